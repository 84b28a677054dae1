//! The server's config file (`casedesk serve --config FILE`, TOML): every `serve` flag under
//! the flag's name (`_` for `-`), the `[mail]` table and the `[attachments]` table. Parsing only; the command reads the
//! file and lets its flags win.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::mail::config::MailFile;
use crate::domain::size::ByteSize;

/// The file as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeFile {
    /// `listen`: the address and port, as `--listen`.
    pub listen: Option<String>,
    /// `db`: the SQLite database, as `--db`.
    pub db: Option<PathBuf>,
    /// `policies`: tier presets, as `--policies`.
    pub policies: Option<PathBuf>,
    /// `calendar_file`: extra calendars, as `--calendar-file`.
    pub calendar_file: Option<PathBuf>,
    /// `demo`: fill an empty database with demo cases, as `--demo`.
    pub demo: Option<bool>,
    /// `demo_cases`: how many, as `--demo-cases`.
    pub demo_cases: Option<usize>,
    /// `demo_days`: days of demo history, as `--demo-days`.
    pub demo_days: Option<u32>,
    /// `seed`: the demo's seed, as `--seed`.
    pub seed: Option<u64>,
    /// `[mail]`: the mail channel; without it the server sends and reads no mail.
    pub mail: Option<MailFile>,
    /// `[attachments]`: where uploaded files go and how large they may be.
    pub attachments: Option<AttachmentsFile>,
}

/// `[attachments]` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentsFile {
    /// `dir`: where uploaded files are kept, named by their SHA-256 (default: `<db>.files/`
    /// beside the database file).
    pub dir: Option<PathBuf>,
    /// `max_file`: the largest file accepted, e.g. `"100MiB"` (default 100 MiB).
    pub max_file: Option<ByteSize>,
    /// `max_case`: the most all of one case's files may add up to, e.g. `"1GiB"` (default 1 GiB).
    pub max_case: Option<ByteSize>,
}

/// The server's attachment settings, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentsConfig {
    /// Where uploaded files are kept; `None`: beside the database (`<db>.files/`), or a
    /// temporary directory for a database with no file.
    pub dir: Option<PathBuf>,
    /// The largest file accepted, in bytes.
    pub max_file: u64,
    /// The most one case's files may add up to, in bytes.
    pub max_case: u64,
}

/// Default `[attachments] max_file`: 100 MiB.
pub const DEFAULT_MAX_FILE: u64 = 100 << 20;
/// Default `[attachments] max_case`: 1 GiB.
pub const DEFAULT_MAX_CASE: u64 = 1 << 30;

impl Default for AttachmentsConfig {
    fn default() -> Self {
        AttachmentsConfig {
            dir: None,
            max_file: DEFAULT_MAX_FILE,
            max_case: DEFAULT_MAX_CASE,
        }
    }
}

impl AttachmentsFile {
    /// The settings, defaults filled in.
    pub fn config(&self) -> AttachmentsConfig {
        AttachmentsConfig {
            dir: self.dir.clone(),
            max_file: self.max_file.map_or(DEFAULT_MAX_FILE, |s| s.0),
            max_case: self.max_case.map_or(DEFAULT_MAX_CASE, |s| s.0),
        }
    }
}

/// A config file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ServeFileError(String);

impl ServeFile {
    /// Parses the file's text; `name` is how errors name the file. Relative paths stay as
    /// written: [`ServeFile::relative_to`] anchors them.
    pub fn parse(name: &str, text: &str) -> Result<ServeFile, ServeFileError> {
        let deserializer = toml::Deserializer::parse(text)
            .map_err(|e| ServeFileError(crate::sla::toml_error(name, text, &e)))?;
        serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let message = crate::sla::toml_error(name, text, &inner);
            ServeFileError(table_named(&path, message))
        })
    }

    /// The file with its relative paths (database, policies, calendars) taken from `dir`, the
    /// file's own directory, so the server finds them wherever it is started.
    pub fn relative_to(mut self, dir: &Path) -> ServeFile {
        let files = self.attachments.as_mut().and_then(|a| a.dir.as_mut());
        for path in [&mut self.db, &mut self.policies, &mut self.calendar_file]
            .into_iter()
            .flatten()
            .chain(files)
        {
            *path = dir.join(&*path);
        }
        self
    }
}

/// Adds the table an error is in (`[mail]`) when the parser's message does not say it.
fn table_named(path: &str, message: String) -> String {
    match path.split_once('.') {
        Some((table, _)) if !table.is_empty() && path != "." => {
            format!("{message} (in [{table}])")
        }
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flag_and_mail_are_read() {
        let text = r#"
listen = "0.0.0.0:9000"
db = "desk.db"
policies = "/etc/casedesk/policies.toml"
calendar_file = "calendars.toml"
demo = true
demo_cases = 12
demo_days = 90
seed = 7

[mail]
from = "Support <support@example.test>"
poll = "5m"
"#;
        let file = ServeFile::parse("serve.toml", text)
            .unwrap()
            .relative_to(Path::new("/srv/desk"));
        assert_eq!(file.listen.as_deref(), Some("0.0.0.0:9000"));
        assert_eq!(file.db, Some(PathBuf::from("/srv/desk/desk.db")));
        assert_eq!(
            file.policies,
            Some(PathBuf::from("/etc/casedesk/policies.toml"))
        );
        assert_eq!(
            file.calendar_file,
            Some(PathBuf::from("/srv/desk/calendars.toml"))
        );
        assert_eq!(
            (file.demo, file.demo_cases, file.demo_days, file.seed),
            (Some(true), Some(12), Some(90), Some(7))
        );
        let mail = file.mail.unwrap();
        assert_eq!(mail.poll.as_deref(), Some("5m"));
        assert!(ServeFile::parse("serve.toml", "").unwrap().mail.is_none());
    }

    #[test]
    fn attachments_take_sizes_with_units_or_bytes() {
        let file = ServeFile::parse(
            "serve.toml",
            "[attachments]\ndir = \"files\"\nmax_file = \"64KiB\"\nmax_case = 1048576\n",
        )
        .unwrap()
        .relative_to(Path::new("/srv/desk"));
        let config = file.attachments.unwrap().config();
        assert_eq!(config.dir, Some(PathBuf::from("/srv/desk/files")));
        assert_eq!((config.max_file, config.max_case), (64 * 1024, 1 << 20));
        assert_eq!(
            AttachmentsFile::default().config(),
            AttachmentsConfig::default()
        );
        let e = ServeFile::parse("serve.toml", "[attachments]\nmax_file = \"big\"\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "serve.toml, line 2, column 12: invalid size 'big': expected a size like 100MiB, 1GiB, 500KB or a number of bytes (in [attachments])"
        );
    }

    #[test]
    fn the_shipped_example_is_valid() {
        let text = include_str!("../../docs/examples/serve.toml");
        let file = ServeFile::parse("docs/examples/serve.toml", text).unwrap();
        assert_eq!(file.listen.as_deref(), Some("127.0.0.1:8750"));
        let mail = file.mail.unwrap();
        let password = |_: &Path| Ok("pw".to_string());
        let config = crate::server::mail::MailConfig::from_file(
            &mail,
            Path::new("docs/examples"),
            &password,
        )
        .unwrap();
        assert_eq!(config.smtp.port, 587);
        assert_eq!(config.imap.to_string(), "mail.example.com:993");
    }

    #[test]
    fn an_unknown_key_is_refused_with_file_line_and_table() {
        let e = ServeFile::parse("serve.toml", "listen = \"127.0.0.1:1\"\nport = 1\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(
                "serve.toml, line 2, column 1: unknown field `port`, expected one of `listen`"
            ),
            "{e}"
        );
        let e = ServeFile::parse("serve.toml", "[mail]\nfrom = \"a@b\"\nsmtp_host = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(
                "serve.toml, line 3, column 1: unknown field `smtp_host`, expected one of `from`"
            ) && e.ends_with("(in [mail])"),
            "{e}"
        );
        let e = ServeFile::parse("serve.toml", "[mail]\npoll = 30\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "serve.toml, line 2, column 8: invalid type: integer `30`, expected a string (in [mail])"
        );
        let e = ServeFile::parse("serve.toml", "listen = \n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("serve.toml, line 1"), "{e}");
    }
}
