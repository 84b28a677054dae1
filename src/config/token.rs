//! The token file: one line, readable by its owner only (mode 0600).

use std::io::Write;
use std::path::Path;

use super::ConfigError;

/// Reads the token file; `None` when there is none. A file that others can read is refused
/// (the token is as good as a password), with the command that fixes it.
pub fn read_token_file(path: &Path) -> Result<Option<String>, ConfigError> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(ConfigError::Token(format!(
                "cannot read token file {}: {e}",
                path.display()
            )));
        }
    };
    if !meta.is_file() {
        // A directory's usual mode would otherwise be reported as "readable by others".
        return Err(ConfigError::Token(format!(
            "token file {} is {}, not a file: expected a file holding one line such as cdk_3f9a…; set token_file to a file or run `casedesk login`",
            path.display(),
            if meta.is_dir() {
                "a directory"
            } else {
                "not a regular file"
            }
        )));
    }
    check_private(path, &meta, "token file")?;
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError::Token(format!("cannot read token file {}: {e}", path.display()))
    })?;
    let token = text.trim();
    if token.is_empty() || token.contains(char::is_whitespace) {
        return Err(ConfigError::Token(format!(
            "token file {} does not hold a token: expected one line such as cdk_3f9a…; run `casedesk login` again",
            path.display()
        )));
    }
    Ok(Some(token.to_string()))
}

/// Reads a secret file that must be private to its owner (mode 0600), such as the server's
/// mail password file; `what` names it in the refusal ("password file").
pub fn read_private_file(path: &Path, what: &str) -> Result<String, ConfigError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| ConfigError::Token(format!("cannot read {what} {}: {e}", path.display())))?;
    if !meta.is_file() {
        return Err(ConfigError::Token(format!(
            "{what} {} is not a file",
            path.display()
        )));
    }
    check_private(path, &meta, what)?;
    std::fs::read_to_string(path)
        .map_err(|e| ConfigError::Token(format!("cannot read {what} {}: {e}", path.display())))
}

#[cfg(unix)]
fn check_private(path: &Path, meta: &std::fs::Metadata, what: &str) -> Result<(), ConfigError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(ConfigError::Token(format!(
            "{what} {} can be read by others (mode {mode:04o}): run `chmod 600 {}` and try again",
            path.display(),
            path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _meta: &std::fs::Metadata, _what: &str) -> Result<(), ConfigError> {
    Ok(())
}

/// Makes `dir` and its missing parents, each new one with mode 0700 (readable by its owner
/// only): the token and the cache live in such directories.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Makes sure the file at `path` exists with mode 0600: created so from the start when
/// absent, narrowed to it when it was readable by others (customer data lives there).
pub fn ensure_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    drop(options.open(path)?);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))?;
        }
    }
    Ok(())
}

/// Writes the token file, created with mode 0600 from the start (never briefly readable by
/// others), replacing any earlier token atomically.
pub fn write_token_file(path: &Path, token: &str) -> Result<(), ConfigError> {
    let fail = |e: std::io::Error| {
        ConfigError::Token(format!("cannot write token file {}: {e}", path.display()))
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    create_private_dir(dir).map_err(fail)?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("token"),
        std::process::id()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let result = options.open(&tmp).and_then(|mut f| {
        f.write_all(format!("{}\n", token.trim()).as_bytes())?;
        f.sync_all()
    });
    result
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            std::fs::remove_file(&tmp).ok();
            fail(e)
        })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn written_private_and_refused_when_shared() {
        let dir = std::env::temp_dir().join(format!("casedesk-tok-{}", std::process::id()));
        let path = dir.join("tokens").join("lab");
        write_token_file(&path, "cdk_abc\n").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(read_token_file(&path).unwrap().as_deref(), Some("cdk_abc"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = read_token_file(&path).unwrap_err().to_string();
        assert!(e.contains("mode 0644") && e.contains("chmod 600"), "{e}");
        assert!(read_token_file(&dir.join("none")).unwrap().is_none());
        let e = read_token_file(&dir).unwrap_err().to_string();
        assert!(
            e.contains("is a directory") && !e.contains("read by others"),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
