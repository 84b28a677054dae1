//! Running the client commands of the real binary with their own config and cache
//! directories, against a test server.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// One user's machine: private config and cache directories, a server and a token.
pub struct Desk {
    /// The home of this user's files.
    pub dir: PathBuf,
    /// `CASEDESK_SERVER`, when set.
    pub server: Option<String>,
    /// `CASEDESK_TOKEN`, when set.
    pub token: Option<String>,
}

/// What a command did.
pub struct Run {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Asserts success and returns stdout.
    pub fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "expected success; stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        &self.stdout
    }

    /// Asserts success and parses stdout as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(self.ok())
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// Asserts the exit code and that stderr holds `text`.
    pub fn fails(&self, code: i32, text: &str) {
        assert_eq!(
            self.code, code,
            "expected exit {code}; stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        assert!(
            self.stderr.contains(text),
            "stderr should mention {text:?}:\n{}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
    }
}

impl Desk {
    /// A fresh machine for `server` with `token` in the environment.
    pub fn new(server: &str, token: &str) -> Desk {
        let dir = super::temp_dir("casedesk-desk");
        Desk {
            dir,
            server: Some(server.to_string()),
            token: Some(token.to_string()),
        }
    }

    /// Points this machine at another server and token (the profile's URL changed).
    pub fn point_at(&mut self, server: &str, token: &str) {
        self.server = Some(server.to_string());
        self.token = Some(token.to_string());
    }

    /// Where the profile's cache lives.
    pub fn cache_file(&self, profile: &str) -> PathBuf {
        self.dir
            .join("cache")
            .join("casedesk")
            .join(format!("{profile}.sqlite3"))
    }

    /// Queues a refused note on `number` (one the repair must keep), then writes garbage over
    /// the middle of the default profile's cache, as a failing disk would leave it.
    pub fn damage_cache_keeping_a_refused_note(&self, number: &str) {
        let cache = self.cache_file("default");
        let conn = rusqlite::Connection::open(&cache).unwrap();
        let change = serde_json::json!({"op": "note", "data": {"body": "kept across the rebuild", "visibility": "internal"}});
        conn.execute(
            "INSERT INTO outbox (case_number, change, base_version, idempotency_key, state, error, attempts, created_at)
             VALUES (?1, ?2, 1, 'cdk-test-damaged', 'failed', 'refused', 1, '2026-11-23T00:00:00Z')",
            (number, change.to_string()),
        )
        .unwrap();
        drop(conn);
        let mut bytes = std::fs::read(&cache).unwrap();
        let len = bytes.len();
        assert!(len > 64 * 1024, "a cache of some size: {len}");
        for (i, b) in bytes[len / 3..len / 3 + 16 * 4096].iter_mut().enumerate() {
            *b = (i * 7919 % 251) as u8;
        }
        std::fs::write(&cache, &bytes).unwrap();
    }

    /// The config directory.
    pub fn config_dir(&self) -> PathBuf {
        self.dir.join("config").join("casedesk")
    }

    /// The command, with this machine's environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_casedesk"));
        cmd.args(args)
            .env("HOME", &self.dir)
            .env("XDG_CONFIG_HOME", self.dir.join("config"))
            .env("XDG_CACHE_HOME", self.dir.join("cache"))
            .env_remove("CASEDESK_PROFILE")
            .env_remove("CASEDESK_SERVER")
            .env_remove("CASEDESK_TOKEN")
            .env("TZ", "Asia/Tokyo");
        if let Some(s) = &self.server {
            cmd.env("CASEDESK_SERVER", s);
        }
        if let Some(t) = &self.token {
            cmd.env("CASEDESK_TOKEN", t);
        }
        cmd
    }

    /// Runs `casedesk ARGS` with `stdin`.
    pub fn run_with(&self, args: &[&str], stdin: &str) -> Run {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start casedesk");
        if let Some(mut input) = child.stdin.take() {
            let _ = input.write_all(stdin.as_bytes());
        }
        let out: Output = child.wait_with_output().expect("wait for casedesk");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs `casedesk ARGS`.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, "")
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
