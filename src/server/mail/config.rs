//! `[mail]` in the server's config file: parsed and checked at start, so a bad key is refused
//! with its name and the expected form before anything is sent.

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use super::templates::{TemplateError, Templates};

/// The mail channel's settings, checked.
#[derive(Clone)]
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

/// The `[mail]` table as written, before it is checked: every key optional here so a missing
/// one is reported by name with its expected form rather than as a TOML shape error.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailFile {
    /// `from`: the desk's mailbox, e.g. `"Support <support@example.test>"`.
    pub from: Option<String>,
    /// `smtp`: `smtp://`, `smtps://` or `smtp+plain://` URL.
    pub smtp: Option<String>,
    /// `imap`: `imap://`, `imaps://` or `imap+plain://` URL.
    pub imap: Option<String>,
    /// `user`: the login for both servers.
    pub user: Option<String>,
    /// `password_file`: a file of mode 0600 holding the password.
    pub password_file: Option<PathBuf>,
    /// `ca_file`: an extra CA to trust (PEM).
    pub ca_file: Option<PathBuf>,
    /// `mailbox`: the folder read (default `INBOX`).
    pub mailbox: Option<String>,
    /// `processed`: the folder processed mail goes to (default `Processed`).
    pub processed: Option<String>,
    /// `errors`: the folder unparseable mail goes to (default `Errors`).
    pub errors: Option<String>,
    /// `poll`: a duration such as `30s`, `5m`, `1h` (default `30s`).
    pub poll: Option<String>,
    /// `accept_new_cases` (default false).
    pub accept_new_cases: Option<bool>,
    /// `language`: `en` (default) or `ja`.
    pub language: Option<String>,
    /// `charset`: `utf-8` (default) or `iso-2022-jp`.
    pub charset: Option<String>,
    /// `templates`: a directory of template overrides.
    pub templates: Option<PathBuf>,
    /// `trust_account_domains` (default false).
    pub trust_account_domains: Option<bool>,
    /// `reopen_closed_within`: a duration such as `30d` (default `30d`).
    pub reopen_closed_within: Option<String>,
    /// `auto_answers_per_hour` (default 3).
    pub auto_answers_per_hour: Option<u32>,
}

/// The directory of template overrides used when `templates` is not set, beside the config.
pub const DEFAULT_TEMPLATES_DIR: &str = "mail-templates";

/// Why `[mail]` was refused: always the key, and what was expected.
#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    /// A required key is absent.
    #[error("[mail] {key} is missing: expected {expected}")]
    Missing {
        /// The key.
        key: &'static str,
        /// The expected form.
        expected: &'static str,
    },
    /// A key's value does not have the expected form.
    #[error("[mail] {key} = \"{value}\": {why}")]
    Invalid {
        /// The key.
        key: &'static str,
        /// The value as written.
        value: String,
        /// What is wrong and what is expected.
        why: String,
    },
    /// The templates could not be loaded.
    #[error("[mail] templates: {0}")]
    Templates(#[from] TemplateError),
}

/// Reads a file that must be private to its owner (mode 0600), or says why it cannot be used.
/// Given by the caller, so the server shares the client's token-file rule without depending on
/// the client's configuration.
pub type ReadPrivate<'a> = &'a dyn Fn(&Path) -> Result<String, String>;

/// The protocols a URL can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protocol {
    Smtp,
    Imap,
}

impl Protocol {
    fn key(self) -> &'static str {
        match self {
            Protocol::Smtp => "smtp",
            Protocol::Imap => "imap",
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Protocol::Smtp => {
                "expected smtp://host:port (STARTTLS), smtps://host:port (TLS) or smtp+plain://host:port (loopback only)"
            }
            Protocol::Imap => {
                "expected imap://host:port (STARTTLS), imaps://host:port (TLS) or imap+plain://host:port (loopback only)"
            }
        }
    }

    /// The port used when the URL names none: 25 and 143 (STARTTLS or plain), 465 and 993 (TLS).
    fn default_port(self, security: Security) -> u16 {
        match (self, security) {
            (Protocol::Smtp, Security::Tls) => 465,
            (Protocol::Smtp, _) => 25,
            (Protocol::Imap, Security::Tls) => 993,
            (Protocol::Imap, _) => 143,
        }
    }
}

const EXPECTED_FROM: &str = "a mailbox such as \"Support <support@example.test>\"";
const EXPECTED_USER: &str = "the login name for the SMTP and IMAP servers";
const EXPECTED_PASSWORD_FILE: &str =
    "a file of mode 0600 holding the password, relative to the config file";
const EXPECTED_SPAN: &str = "a duration such as 30s, 90s, 5m, 1h or 30d";
const EXPECTED_FOLDER: &str = "a folder name such as Processed";

impl MailConfig {
    /// Checks `[mail]` and reads what it points at: relative paths are taken from `base` (the
    /// config file's directory), the password through `read_private`.
    pub fn from_file(
        file: &MailFile,
        base: &Path,
        read_private: ReadPrivate,
    ) -> Result<MailConfig, MailConfigError> {
        let from_text = required("from", &file.from, EXPECTED_FROM)?;
        let from = from_text
            .trim()
            .parse::<lettre::message::Mailbox>()
            .map_err(|e| invalid("from", from_text, format!("{e}; expected {EXPECTED_FROM}")))?;
        let smtp = parse_endpoint(
            Protocol::Smtp,
            required("smtp", &file.smtp, Protocol::Smtp.expected())?,
        )?;
        let imap = parse_endpoint(
            Protocol::Imap,
            required("imap", &file.imap, Protocol::Imap.expected())?,
        )?;
        let user = required("user", &file.user, EXPECTED_USER)?
            .trim()
            .to_string();
        if user.is_empty() {
            return Err(invalid("user", "", format!("expected {EXPECTED_USER}")));
        }
        let password_path = base.join(file.password_file.as_ref().ok_or(
            MailConfigError::Missing {
                key: "password_file",
                expected: EXPECTED_PASSWORD_FILE,
            },
        )?);
        let password = read_password(&password_path, read_private)?;
        let ca_file = match &file.ca_file {
            Some(path) => {
                let path = base.join(path);
                check_ca_file(&path)?;
                Some(path)
            }
            None => None,
        };
        let mailbox = folder("mailbox", &file.mailbox, "INBOX")?;
        let processed = folder("processed", &file.processed, "Processed")?;
        let errors = folder("errors", &file.errors, "Errors")?;
        for (key, name) in [("processed", &processed), ("errors", &errors)] {
            if name == &mailbox {
                return Err(invalid(
                    key,
                    name,
                    "is the folder mail is read from (mailbox): expected another folder".into(),
                ));
            }
        }
        let poll = span("poll", file.poll.as_deref(), Duration::from_secs(30))?;
        let language = match &file.language {
            None => MailLanguage::default(),
            Some(text) => MailLanguage::parse(text)
                .ok_or_else(|| invalid("language", text, "expected \"en\" or \"ja\"".into()))?,
        };
        let charset = match &file.charset {
            None => Charset::default(),
            Some(text) => Charset::parse(text).ok_or_else(|| {
                invalid(
                    "charset",
                    text,
                    "expected \"utf-8\" or \"iso-2022-jp\"".into(),
                )
            })?,
        };
        let templates_dir = templates_dir(file.templates.as_deref(), base)?;
        let templates = Templates::load(templates_dir.as_deref())?;
        let reopen_closed_within = span(
            "reopen_closed_within",
            file.reopen_closed_within.as_deref(),
            Duration::from_secs(30 * 24 * 3600),
        )?;
        Ok(MailConfig {
            from,
            smtp,
            imap,
            user,
            password,
            ca_file,
            mailbox,
            processed,
            errors,
            poll,
            accept_new_cases: file.accept_new_cases.unwrap_or(false),
            language,
            charset,
            templates_dir,
            templates,
            trust_account_domains: file.trust_account_domains.unwrap_or(false),
            reopen_closed_within,
            auto_answers_per_hour: file.auto_answers_per_hour.unwrap_or(3),
        })
    }

    /// One line saying the channel is on and where it talks to; never the password.
    pub fn summary(&self) -> String {
        format!(
            "mail on: from {}, smtp {} ({}), imap {} ({}), user {}, mailbox {}",
            self.from,
            self.smtp,
            self.smtp.security.label(),
            self.imap,
            self.imap.security.label(),
            self.user,
            self.mailbox
        )
    }
}

impl fmt::Debug for MailConfig {
    // By hand so the password never reaches a log or a panic message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailConfig")
            .field("from", &self.from)
            .field("smtp", &self.smtp)
            .field("imap", &self.imap)
            .field("user", &self.user)
            .field("password", &"***")
            .field("ca_file", &self.ca_file)
            .field("mailbox", &self.mailbox)
            .field("processed", &self.processed)
            .field("errors", &self.errors)
            .field("poll", &self.poll)
            .field("accept_new_cases", &self.accept_new_cases)
            .field("language", &self.language)
            .field("charset", &self.charset)
            .field("templates_dir", &self.templates_dir)
            .field("trust_account_domains", &self.trust_account_domains)
            .field("reopen_closed_within", &self.reopen_closed_within)
            .field("auto_answers_per_hour", &self.auto_answers_per_hour)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Endpoint {
    /// `host:port`, an IPv6 address in brackets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

impl Security {
    /// How the line is protected, in words for the start-up line.
    pub fn label(self) -> &'static str {
        match self {
            Security::StartTls => "STARTTLS",
            Security::Tls => "TLS",
            Security::Plain => "no TLS",
        }
    }
}

impl Charset {
    /// Parses `utf-8` or `iso-2022-jp` (any case).
    pub fn parse(text: &str) -> Option<Charset> {
        match text.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(Charset::Utf8),
            "iso-2022-jp" => Some(Charset::Iso2022Jp),
            _ => None,
        }
    }
}

fn invalid(key: &'static str, value: &str, why: String) -> MailConfigError {
    MailConfigError::Invalid {
        key,
        value: value.to_string(),
        why,
    }
}

fn required<'a>(
    key: &'static str,
    value: &'a Option<String>,
    expected: &'static str,
) -> Result<&'a str, MailConfigError> {
    value
        .as_deref()
        .ok_or(MailConfigError::Missing { key, expected })
}

/// A server URL: its scheme says the transport; `+plain` only to this machine.
fn parse_endpoint(protocol: Protocol, text: &str) -> Result<Endpoint, MailConfigError> {
    let key = protocol.key();
    let bad = |why: &str| invalid(key, text, format!("{why}{}", protocol.expected()));
    let (scheme, rest) = text.trim().split_once("://").ok_or_else(|| bad(""))?;
    let scheme = scheme.to_ascii_lowercase();
    let security = match scheme.strip_prefix(key) {
        Some("") => Security::StartTls,
        Some("s") => Security::Tls,
        Some("+plain") => Security::Plain,
        _ => return Err(bad("")),
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.contains(['/', '?', '#', '@']) {
        return Err(bad(
            "only a host and port are taken (the login is `user`, the password `password_file`); ",
        ));
    }
    let (host, port) = split_host_port(authority).ok_or_else(|| bad(""))?;
    let port = match port {
        None => protocol.default_port(security),
        Some(text) => match text.parse::<u16>() {
            Ok(port) if port > 0 => port,
            _ => return Err(bad("the port is not a number from 1 to 65535; ")),
        },
    };
    if security == Security::Plain && !is_loopback(&host) {
        return Err(invalid(
            key,
            text,
            format!(
                "{key}+plain:// sends the password unencrypted, so it is accepted only for this machine (127.0.0.1, ::1, localhost); use {key}:// (STARTTLS) or {key}s:// (TLS) for {host}"
            ),
        ));
    }
    Ok(Endpoint {
        security,
        host,
        port,
    })
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`; `None` when there is no host.
fn split_host_port(authority: &str) -> Option<(String, Option<&str>)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        host.parse::<std::net::Ipv6Addr>().ok()?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        (host, port)
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '_'));
    host_ok.then(|| (host.to_ascii_lowercase(), port))
}

/// 127.0.0.0/8, ::1 and `localhost`: the only hosts a password may travel to in the clear.
fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn read_password(path: &Path, read_private: ReadPrivate) -> Result<String, MailConfigError> {
    let shown = path.display().to_string();
    let text = read_private(path).map_err(|why| invalid("password_file", &shown, why))?;
    let password = text.trim_end_matches(['\n', '\r']);
    if password.is_empty() {
        return Err(invalid(
            "password_file",
            &shown,
            "the file is empty: expected the password on one line".into(),
        ));
    }
    Ok(password.to_string())
}

/// The CA file must exist and hold at least one PEM certificate.
fn check_ca_file(path: &Path) -> Result<(), MailConfigError> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        invalid(
            "ca_file",
            &shown,
            format!("cannot read it ({e}): expected a PEM file of CA certificates"),
        )
    })?;
    let mut count = 0;
    for cert in CertificateDer::pem_slice_iter(&bytes) {
        cert.map_err(|e| {
            invalid(
                "ca_file",
                &shown,
                format!("not valid PEM ({e}): expected -----BEGIN CERTIFICATE----- blocks"),
            )
        })?;
        count += 1;
    }
    if count == 0 {
        return Err(invalid(
            "ca_file",
            &shown,
            "holds no certificate: expected -----BEGIN CERTIFICATE----- blocks (PEM)".into(),
        ));
    }
    Ok(())
}

fn folder(
    key: &'static str,
    value: &Option<String>,
    default: &str,
) -> Result<String, MailConfigError> {
    let Some(text) = value else {
        return Ok(default.to_string());
    };
    let name = text.trim();
    if name.is_empty() || name.chars().any(char::is_control) {
        return Err(invalid(key, text, format!("expected {EXPECTED_FOLDER}")));
    }
    Ok(name.to_string())
}

fn span(
    key: &'static str,
    value: Option<&str>,
    default: Duration,
) -> Result<Duration, MailConfigError> {
    match value {
        None => Ok(default),
        Some(text) => parse_span(text)
            .filter(|d| !d.is_zero())
            .ok_or_else(|| invalid(key, text, format!("expected {EXPECTED_SPAN}"))),
    }
}

/// `30s`, `90s`, `5m`, `1h`, `30d`: a whole number and one unit.
pub fn parse_span(text: &str) -> Option<Duration> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = text.split_at(split);
    let n: u64 = number.parse().ok()?;
    let unit_secs = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 24 * 3600,
        _ => return None,
    };
    n.checked_mul(unit_secs).map(Duration::from_secs)
}

/// `templates` relative to the config file; when unset, `mail-templates` beside it if there.
fn templates_dir(value: Option<&Path>, base: &Path) -> Result<Option<PathBuf>, MailConfigError> {
    match value {
        Some(dir) => {
            let path = base.join(dir);
            if path.is_dir() {
                Ok(Some(path))
            } else {
                Err(invalid(
                    "templates",
                    &path.display().to_string(),
                    "no such directory: expected a directory of NAME.LANG.txt files".into(),
                ))
            }
        }
        None => {
            let path = base.join(DEFAULT_TEMPLATES_DIR);
            Ok(path.is_dir().then_some(path))
        }
    }
}
