//! `[mail]` in the server's config file: parsed and checked at start, so a bad key is refused
//! with its name and the expected form before anything is sent.

use std::path::PathBuf;
use std::time::Duration;

use super::templates::Templates;

/// The mail channel's settings, checked.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `from`: the desk's address, e.g. `Support <support@example.test>`.
    pub from: lettre::message::Mailbox,
    /// `smtp`: where mail goes out.
    pub smtp: Endpoint,
    /// `imap`: where mail comes in.
    pub imap: Endpoint,
    /// `user`: the login for both.
    pub user: String,
    /// The password, read from `password_file`.
    pub password: String,
    /// `ca_file`: an extra CA to trust (PEM).
    pub ca_file: Option<PathBuf>,
    /// `mailbox`: the folder new mail is read from (default `INBOX`).
    pub mailbox: String,
    /// `processed`: where processed mail is moved (default `Processed`, created if missing).
    pub processed: String,
    /// `errors`: where mail that cannot be parsed is moved (default `Errors`).
    pub errors: String,
    /// `poll`: how often the mailbox is looked at when the server offers no IDLE (default 30s).
    pub poll: Duration,
    /// `accept_new_cases`: whether mail about no case opens one (default false: a polite answer).
    pub accept_new_cases: bool,
    /// `language`: the default language of mail to contacts (`ja` or `en`).
    pub language: MailLanguage,
    /// `charset`: `utf-8` (default) or `iso-2022-jp` for text mail to contacts.
    pub charset: Charset,
    /// `templates`: a directory of template files overriding the shipped ones.
    pub templates_dir: Option<PathBuf>,
    /// The templates in use (the shipped ones with the directory's overrides), loaded at start.
    pub templates: Templates,
    /// `trust_account_domains`: whether any address of the contact's domain may update a case.
    pub trust_account_domains: bool,
    /// `reopen_closed_within`: a reply to a case closed longer ago opens a new linked case.
    pub reopen_closed_within: Duration,
    /// `auto_answers_per_hour`: automatic answers to one sender per hour, at most.
    pub auto_answers_per_hour: u32,
}

/// A mail server's address and how to secure the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// How the connection is protected.
    pub security: Security,
    /// Host name or address.
    pub host: String,
    /// Port.
    pub port: u16,
}

/// The transport a URL's scheme asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtp://`, `imap://`: plain connection upgraded with STARTTLS, which is required.
    StartTls,
    /// `smtps://`, `imaps://`: TLS from the first byte.
    Tls,
    /// `smtp+plain://`, `imap+plain://`: no TLS; accepted only for loopback addresses.
    Plain,
}

/// The language of a mail to a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum MailLanguage {
    /// English.
    #[default]
    En,
    /// Japanese.
    Ja,
}

impl MailLanguage {
    /// `en` or `ja`.
    pub fn as_str(self) -> &'static str {
        match self {
            MailLanguage::En => "en",
            MailLanguage::Ja => "ja",
        }
    }

    /// Parses `en` or `ja`.
    pub fn parse(text: &str) -> Option<MailLanguage> {
        match text.trim().to_ascii_lowercase().as_str() {
            "en" => Some(MailLanguage::En),
            "ja" => Some(MailLanguage::Ja),
            _ => None,
        }
    }
}

/// The character set of the text of outgoing mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Charset {
    /// UTF-8 (the default).
    #[default]
    Utf8,
    /// ISO-2022-JP, for Japanese mail systems that still expect it.
    Iso2022Jp,
}
