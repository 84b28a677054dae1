//! `casedesk serve --config FILE`, run as the real binary: a bad file is refused at start with
//! the file, the key and the expected form (exit 2, no panic); a good one starts the server with
//! the flags winning over it and says mail is on without showing the password.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long the server may take to print its start lines on a loaded machine.
const START_TIMEOUT: Duration = Duration::from_secs(30);

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "casedesk-serve-config-{name}-{}",
        std::process::id()
    ));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).expect("create the scratch directory");
    dir
}

fn serve(config: &Path, flags: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_casedesk"))
        .arg("serve")
        .arg("--config")
        .arg(config)
        .args(flags)
        .stdin(Stdio::null())
        .output()
        .expect("the casedesk binary runs")
}

/// Runs `serve` on a file that must be refused: exit 2, one error line, nothing on stdout.
fn refused(dir: &Path, text: &str) -> String {
    let config = dir.join("serve.toml");
    std::fs::write(&config, text).expect("write the config");
    let out = serve(
        &config,
        &["--db", &dir.join("desk.db").display().to_string()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    stderr
        .trim_end()
        .replace(&config.display().to_string(), "CONFIG")
        .replace(&dir.display().to_string(), "DIR")
}

const MAIL: &str = "[mail]
from = \"Support <support@example.test>\"
smtp = \"smtp+plain://127.0.0.1:9\"
imap = \"imap+plain://127.0.0.1:9\"
user = \"support@example.test\"
password_file = \"password\"
";

#[test]
fn a_bad_config_is_refused_at_start_naming_file_and_key() {
    let dir = scratch("bad");
    assert_eq!(
        refused(&dir, "listen = \"127.0.0.1:0\"\nport = 8750\n"),
        "error: CONFIG, line 2, column 1: unknown field `port`, expected one of `listen`, `db`, `policies`, `calendar_file`, `demo`, `demo_cases`, `demo_days`, `seed`, `mail`, `attachments`"
    );
    assert_eq!(
        refused(&dir, &MAIL.replace("smtp+plain://127.0.0.1:9", "ftp://x")),
        "error: CONFIG: [mail] smtp = \"ftp://x\": expected smtp://host:port (STARTTLS), smtps://host:port (TLS) or smtp+plain://host:port (loopback only)"
    );
    assert_eq!(
        refused(
            &dir,
            &MAIL.replace("smtp+plain://127.0.0.1", "smtp+plain://mail.example.test")
        ),
        "error: CONFIG: [mail] smtp = \"smtp+plain://mail.example.test:9\": smtp+plain:// sends the password unencrypted, so it is accepted only for this machine (127.0.0.1, ::1, localhost); use smtp:// (STARTTLS) or smtps:// (TLS) for mail.example.test"
    );
    assert_eq!(
        refused(&dir, MAIL),
        "error: CONFIG: [mail] password_file = \"DIR/password\": cannot read password file DIR/password: No such file or directory (os error 2)"
    );
    assert_eq!(
        refused(&dir, "[mail]\nfrom = \"Support <support@example.test>\"\n"),
        "error: CONFIG: [mail] smtp is missing: expected smtp://host:port (STARTTLS), smtps://host:port (TLS) or smtp+plain://host:port (loopback only)"
    );
    let missing = dir.join("none.toml");
    let out = serve(&missing, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        format!(
            "error: cannot read --config '{}': No such file or directory (os error 2); expected the server's TOML config file",
            missing.display()
        )
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[cfg(unix)]
#[test]
fn a_good_config_starts_the_server_with_the_flags_winning_and_mail_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("good");
    let password = dir.join("password");
    std::fs::write(&password, "pw-7f3e91\n").expect("write the password");
    std::fs::set_permissions(&password, std::fs::Permissions::from_mode(0o600))
        .expect("make the password private");
    let config = dir.join("serve.toml");
    // The file's listen cannot be used: the flag must win for the server to start.
    std::fs::write(
        &config,
        format!("listen = \"not an address\"\ndb = \"desk.db\"\n{MAIL}poll = \"1h\"\n"),
    )
    .expect("write the config");
    let mut child = Command::new(env!("CARGO_BIN_EXE_casedesk"))
        .arg("serve")
        .arg("--config")
        .arg(&config)
        .args(["--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "off")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start casedesk serve");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    while lines.len() < 2 {
        match rx.recv_timeout(START_TIMEOUT) {
            Ok(line) => lines.push(line),
            Err(_) => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let text = lines.join("\n");
    assert_eq!(lines.len(), 2, "{text}");
    let db = dir.join("desk.db");
    assert!(
        lines[0].starts_with("casedesk serve: listening on http://127.0.0.1:")
            && lines[0].ends_with(&format!("(database {})", db.display())),
        "{text}"
    );
    assert_eq!(
        lines[1],
        "casedesk serve: mail on: from Support <support@example.test>, smtp 127.0.0.1:9 (no TLS), imap 127.0.0.1:9 (no TLS), user support@example.test, mailbox INBOX"
    );
    assert!(!text.contains("pw-7f3e91"), "{text}");
    std::fs::remove_dir_all(&dir).ok();
}
