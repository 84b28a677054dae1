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
