//! Handing text to the user's own programs — `$VISUAL`/`$EDITOR` for a note, `$PAGER` for a
//! file — through a private temporary file, while the TUI has given the terminal back.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitStatus;

/// The program the first set, non-blank variable of `vars` names, else `default`.
pub fn program_from(vars: &[&str], default: &str) -> String {
    vars.iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_string())
}

/// Runs `command` (its words split on whitespace: `code -w`, `less -R`) on `path`, waiting for
/// it to end.
pub fn run_on(command: &str, path: &Path) -> io::Result<ExitStatus> {
    let mut words = command.split_whitespace();
    let program = words.next().unwrap_or(command);
    std::process::Command::new(program)
        .args(words)
        .arg(path)
        .status()
}

/// A temporary file only its owner may read (created new, mode 0600), removed when dropped.
#[derive(Debug)]
pub struct PrivateFile {
    path: PathBuf,
}

impl PrivateFile {
    /// A new file holding `bytes`, named after `label` (kept to letters, digits and `.-_`, so
    /// neither a path nor a shell takes any of it for its own).
    pub fn create(label: &str, bytes: &[u8]) -> io::Result<PrivateFile> {
        let safe: String = label
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || ".-_".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = std::env::temp_dir().join(format!(
            "casedesk-{}-{:x}-{safe}",
            std::process::id(),
            rand::random::<u64>()
        ));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        // Made, it is ours to remove, even when writing it fails.
        let file = PrivateFile { path };
        options.open(&file.path)?.write_all(bytes)?;
        Ok(file)
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for PrivateFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_file_is_owners_only_named_safely_and_gone_when_dropped() {
        use std::os::unix::fs::PermissionsExt;
        let file = PrivateFile::create("../show tech;rm.txt", b"log").expect("a temporary file");
        let path = file.path().to_path_buf();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.ends_with("-.._show_tech_rm.txt"), "{name}");
        assert_eq!(path.parent(), Some(std::env::temp_dir().as_path()));
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read(&path).unwrap(), b"log");
        drop(file);
        assert!(!path.exists());
    }
}
