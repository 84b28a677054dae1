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
                "smtp://host:port (STARTTLS), smtps://host:port (TLS) or smtp+plain://host:port (loopback only)"
            }
            Protocol::Imap => {
                "imap://host:port (STARTTLS), imaps://host:port (TLS) or imap+plain://host:port (loopback only)"
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
    let bad = |why: &str| invalid(key, text, format!("{why}expected {}", protocol.expected()));
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

/// The CA file must exist and hold at least one PEM certificate rustls can trust: checked by
/// building the very TLS setup the mail tasks will use, so a file refused later is refused now.
fn check_ca_file(path: &Path) -> Result<(), MailConfigError> {
    let shown = path.display().to_string();
    match super::tls::client_config(Some(path)) {
        Ok(_) => Ok(()),
        Err(super::tls::TlsError::CaFile { why, .. }) => Err(invalid(
            "ca_file",
            &shown,
            format!("{why}; expected a PEM file of CA certificates (-----BEGIN CERTIFICATE-----)"),
        )),
        Err(e) => Err(invalid("ca_file", &shown, e.to_string())),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A real self-signed CA certificate (EC P-256, valid to 2126), for `ca_file`.
    const CA_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIBjTCCATOgAwIBAgIUFsHHd0jLCQhlbV0scqMqV5MVFVgwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQY2FzZWRlc2sgdGVzdCBDQTAgFw0yNjExMjYxMzI0MTRaGA8y
MTI2MTEwMjEzMjQxNFowGzEZMBcGA1UEAwwQY2FzZWRlc2sgdGVzdCBDQTBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABNMNLSwksEA++htz2hENKbXVQqe69NSTG0xh
brbls7arRPJA42P/ApHnOBh7UliEuqTFdlK4H4ovYc5NQoViJiijUzBRMB0GA1Ud
DgQWBBQGhiaHuZxwtdyvOOaCLOr8NPdsoTAfBgNVHSMEGDAWgBQGhiaHuZxwtdyv
OOaCLOr8NPdsoTAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQCK
xqzd3P+xQVZu3dB3yPE/qWEw6EP/XL8agTEUS9NnVgIgKX788eSA+dIwhBb/6BxP
esatIE/k4F0C2u65GHKWrDw=
-----END CERTIFICATE-----
";

    /// A scratch directory, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir = std::env::temp_dir()
                .join(format!("casedesk-mailcfg-{name}-{}", std::process::id()));
            std::fs::remove_dir_all(&dir).ok();
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            std::fs::remove_dir_all(&self.0).ok();
        }
    }

    fn good() -> MailFile {
        MailFile {
            from: Some("Support <support@example.test>".into()),
            smtp: Some("smtp://mail.example.test:587".into()),
            imap: Some("imaps://mail.example.test".into()),
            user: Some("support@example.test".into()),
            password_file: Some("password".into()),
            ..MailFile::default()
        }
    }

    fn password(_: &Path) -> Result<String, String> {
        Ok("s3cret\n".into())
    }

    fn check(file: &MailFile) -> Result<MailConfig, MailConfigError> {
        MailConfig::from_file(file, Path::new("/nonexistent-casedesk-config"), &password)
    }

    fn refusal(file: &MailFile) -> String {
        match check(file) {
            Ok(config) => panic!("accepted: {config:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn the_defaults_fill_what_is_not_written() {
        let config = check(&good()).unwrap();
        assert_eq!(config.from.to_string(), "Support <support@example.test>");
        assert_eq!(
            config.smtp,
            Endpoint {
                security: Security::StartTls,
                host: "mail.example.test".into(),
                port: 587
            }
        );
        assert_eq!(
            (config.imap.security, config.imap.port),
            (Security::Tls, 993)
        );
        assert_eq!(config.password, "s3cret");
        assert_eq!(
            (
                config.mailbox.as_str(),
                config.processed.as_str(),
                config.errors.as_str()
            ),
            ("INBOX", "Processed", "Errors")
        );
        assert_eq!(config.poll, Duration::from_secs(30));
        assert!(!config.accept_new_cases && !config.trust_account_domains);
        assert_eq!(config.language, MailLanguage::En);
        assert_eq!(config.charset, Charset::Utf8);
        assert_eq!(config.reopen_closed_within, Duration::from_secs(30 * 86400));
        assert_eq!(config.auto_answers_per_hour, 3);
        assert_eq!((config.ca_file, config.templates_dir), (None, None));
    }

    #[test]
    fn schemes_say_the_transport_and_the_default_port() {
        let cases = [
            ("smtp", "smtp://h", Security::StartTls, 25),
            ("smtp", "smtps://h", Security::Tls, 465),
            ("smtp", "SMTP+PLAIN://127.0.0.1:2525", Security::Plain, 2525),
            ("imap", "imap://h", Security::StartTls, 143),
            ("imap", "imaps://h:1993/", Security::Tls, 1993),
            ("imap", "imap+plain://localhost", Security::Plain, 143),
            ("imap", "imap+plain://[::1]:1143", Security::Plain, 1143),
            ("imap", "imap+plain://127.8.9.10", Security::Plain, 143),
        ];
        for (key, url, security, port) in cases {
            let mut file = good();
            match key {
                "smtp" => file.smtp = Some(url.into()),
                _ => file.imap = Some(url.into()),
            }
            let config = check(&file).unwrap_or_else(|e| panic!("{url}: {e}"));
            let endpoint = if key == "smtp" {
                config.smtp
            } else {
                config.imap
            };
            assert_eq!(
                (endpoint.security, endpoint.port),
                (security, port),
                "{url}"
            );
        }
    }

    #[test]
    fn a_bad_scheme_is_refused_with_the_forms() {
        let mut file = good();
        file.smtp = Some("ftp://x".into());
        assert_eq!(
            refusal(&file),
            "[mail] smtp = \"ftp://x\": expected smtp://host:port (STARTTLS), smtps://host:port (TLS) or smtp+plain://host:port (loopback only)"
        );
        let mut file = good();
        file.imap = Some("smtp://x".into());
        assert!(refusal(&file).starts_with("[mail] imap = \"smtp://x\": expected imap://"));
        for url in [
            "imap://",
            "imap://h:0",
            "imap://h:99999",
            "imap://u:p@h",
            "mail.example.test",
        ] {
            let mut file = good();
            file.imap = Some(url.into());
            let text = refusal(&file);
            assert!(text.starts_with("[mail] imap = "), "{url}: {text}");
            assert!(text.contains("imaps://host:port (TLS)"), "{url}: {text}");
        }
    }

    #[test]
    fn plain_is_refused_for_another_machine() {
        for host in [
            "mail.example.test",
            "10.0.0.5",
            "[2001:db8::1]",
            "localhost.example.test",
        ] {
            let mut file = good();
            file.smtp = Some(format!("smtp+plain://{host}:25"));
            let text = refusal(&file);
            assert!(
                text.starts_with(&format!("[mail] smtp = \"smtp+plain://{host}:25\": smtp+plain:// sends the password unencrypted, so it is accepted only for this machine")),
                "{text}"
            );
        }
    }

    #[test]
    fn a_missing_from_is_named() {
        let mut file = good();
        file.from = None;
        assert_eq!(
            refusal(&file),
            "[mail] from is missing: expected a mailbox such as \"Support <support@example.test>\""
        );
        file.from = Some("not a mailbox".into());
        let text = refusal(&file);
        assert!(
            text.starts_with("[mail] from = \"not a mailbox\": ")
                && text.ends_with("expected a mailbox such as \"Support <support@example.test>\""),
            "{text}"
        );
    }

    #[test]
    fn required_keys_are_named() {
        for (key, clear) in [
            (
                "smtp",
                (|f: &mut MailFile| f.smtp = None) as fn(&mut MailFile),
            ),
            ("imap", |f| f.imap = None),
            ("user", |f| f.user = None),
            ("password_file", |f| f.password_file = None),
        ] {
            let mut file = good();
            clear(&mut file);
            let text = refusal(&file);
            assert!(
                text.starts_with(&format!("[mail] {key} is missing: expected "))
                    && !text.contains("expected expected"),
                "{text}"
            );
        }
    }

    #[test]
    fn a_bad_language_or_charset_is_refused() {
        let mut file = good();
        file.language = Some("fr".into());
        assert_eq!(
            refusal(&file),
            "[mail] language = \"fr\": expected \"en\" or \"ja\""
        );
        file.language = Some("JA".into());
        file.charset = Some("ISO-2022-JP".into());
        let config = check(&file).unwrap();
        assert_eq!(
            (config.language, config.charset),
            (MailLanguage::Ja, Charset::Iso2022Jp)
        );
        file.charset = Some("shift_jis".into());
        assert_eq!(
            refusal(&file),
            "[mail] charset = \"shift_jis\": expected \"utf-8\" or \"iso-2022-jp\""
        );
    }

    #[test]
    fn poll_takes_seconds_minutes_and_hours() {
        for (text, secs) in [("90s", 90), ("5m", 300), ("1h", 3600), (" 30s ", 30)] {
            let mut file = good();
            file.poll = Some(text.into());
            assert_eq!(
                check(&file).unwrap().poll,
                Duration::from_secs(secs),
                "{text}"
            );
        }
        for text in ["30", "soon", "0s", "5 m", "1w", "-5s", ""] {
            let mut file = good();
            file.poll = Some(text.into());
            assert_eq!(
                refusal(&file),
                format!(
                    "[mail] poll = \"{text}\": expected a duration such as 30s, 90s, 5m, 1h or 30d"
                )
            );
        }
        let mut file = good();
        file.reopen_closed_within = Some("14d".into());
        assert_eq!(
            check(&file).unwrap().reopen_closed_within,
            Duration::from_secs(14 * 86400)
        );
    }

    #[test]
    fn the_password_loses_its_newline_and_must_not_be_empty() {
        let refused = |_: &Path| Err("password file p can be read by others (mode 0644)".into());
        let e = MailConfig::from_file(&good(), Path::new("/etc/casedesk"), &refused)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "[mail] password_file = \"/etc/casedesk/password\": password file p can be read by others (mode 0644)"
        );
        let empty = |_: &Path| Ok("\n".to_string());
        let e = MailConfig::from_file(&good(), Path::new("/etc"), &empty)
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("the file is empty: expected the password on one line"),
            "{e}"
        );
        let crlf = |_: &Path| Ok("pa ss\r\n".to_string());
        let config = MailConfig::from_file(&good(), Path::new("/etc"), &crlf).unwrap();
        assert_eq!(config.password, "pa ss");
        let shown = format!("{config:?}");
        assert!(!shown.contains("pa ss") && shown.contains("***"), "{shown}");
        assert!(!config.summary().contains("pa ss"));
    }

    #[test]
    fn the_ca_file_must_hold_a_certificate() {
        let dir = Scratch::new("ca");
        let mut file = good();
        file.ca_file = Some("missing.pem".into());
        let text = MailConfig::from_file(&file, &dir.0, &password)
            .unwrap_err()
            .to_string();
        assert!(
            text.starts_with(&format!(
                "[mail] ca_file = \"{}\": ",
                dir.0.join("missing.pem").display()
            )) && text
                .ends_with("expected a PEM file of CA certificates (-----BEGIN CERTIFICATE-----)"),
            "{text}"
        );
        std::fs::write(dir.0.join("text.pem"), "not a certificate\n").unwrap();
        file.ca_file = Some("text.pem".into());
        let text = MailConfig::from_file(&file, &dir.0, &password)
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("ca_file") && text.contains("BEGIN CERTIFICATE"),
            "{text}"
        );
        std::fs::write(dir.0.join("ca.pem"), CA_PEM).unwrap();
        file.ca_file = Some("ca.pem".into());
        let config = MailConfig::from_file(&file, &dir.0, &password).unwrap();
        assert_eq!(config.ca_file, Some(dir.0.join("ca.pem")));
    }

    #[test]
    fn templates_are_taken_beside_the_config() {
        let dir = Scratch::new("tpl");
        let mut file = good();
        file.templates = Some("custom".into());
        let text = MailConfig::from_file(&file, &dir.0, &password)
            .unwrap_err()
            .to_string();
        assert!(
            text.starts_with("[mail] templates = ")
                && text.ends_with("no such directory: expected a directory of NAME.LANG.txt files"),
            "{text}"
        );
        std::fs::create_dir(dir.0.join("custom")).unwrap();
        let config = MailConfig::from_file(&file, &dir.0, &password).unwrap();
        assert_eq!(config.templates_dir, Some(dir.0.join("custom")));
        file.templates = None;
        assert_eq!(
            MailConfig::from_file(&file, &dir.0, &password)
                .unwrap()
                .templates_dir,
            None
        );
        std::fs::create_dir(dir.0.join(DEFAULT_TEMPLATES_DIR)).unwrap();
        assert_eq!(
            MailConfig::from_file(&file, &dir.0, &password)
                .unwrap()
                .templates_dir,
            Some(dir.0.join(DEFAULT_TEMPLATES_DIR))
        );
    }

    #[test]
    fn folders_must_differ_from_the_mailbox() {
        let mut file = good();
        file.processed = Some("INBOX".into());
        assert_eq!(
            refusal(&file),
            "[mail] processed = \"INBOX\": is the folder mail is read from (mailbox): expected another folder"
        );
        let mut file = good();
        file.errors = Some(" ".into());
        assert_eq!(
            refusal(&file),
            "[mail] errors = \" \": expected a folder name such as Processed"
        );
    }
}
