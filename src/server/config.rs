//! The server's config file (`casedesk serve --config FILE`, TOML): every `serve` flag under
//! the flag's name (`_` for `-`), and the `[mail]` table. Parsing only; the command reads the
//! file and lets its flags win.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::mail::config::MailFile;

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
    /// `seed`: the demo's seed, as `--seed`.
    pub seed: Option<u64>,
    /// `[mail]`: the mail channel; without it the server sends and reads no mail.
    pub mail: Option<MailFile>,
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
        for path in [&mut self.db, &mut self.policies, &mut self.calendar_file]
            .into_iter()
            .flatten()
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
            (file.demo, file.demo_cases, file.seed),
            (Some(true), Some(12), Some(7))
        );
        let mail = file.mail.unwrap();
        assert_eq!(mail.poll.as_deref(), Some("5m"));
        assert!(ServeFile::parse("serve.toml", "").unwrap().mail.is_none());
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
