//! `casedesk serve --demo` in a child process on a free loopback port, for the benchmarks that
//! measure a client apart from the server.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A running demo server; killed on drop.
pub struct DemoServer {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// What the server printed: the listening line and one token per role.
    printed: String,
}

impl DemoServer {
    /// Seeds `db` with the demo desk (unless it holds cases) and serves it.
    pub fn start(db: &Path) -> DemoServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_casedesk"))
            .args([
                "serve",
                "--demo",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--db",
            ])
            .arg(db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the server");
        let mut out = child.stdout.take().expect("the server's stdout");
        let mut printed = String::new();
        let mut buf = [0u8; 4096];
        while !printed.contains("listening") {
            match out.read(&mut buf) {
                Ok(0) | Err(_) => panic!("the server stopped before listening:\n{printed}"),
                Ok(n) => printed.push_str(&String::from_utf8_lossy(&buf[..n])),
            }
        }
        DemoServer {
            child,
            base: format!("http://127.0.0.1:{port}"),
            printed,
        }
    }

    /// The token the demo issued for `role` (viewer, agent, lead, admin).
    pub fn token(&self, role: &str) -> String {
        self.printed
            .lines()
            .find(|l| l.trim_start().starts_with(role))
            .and_then(|l| l.split_whitespace().nth(2))
            .unwrap_or_else(|| panic!("no {role} token in:\n{}", self.printed))
            .to_string()
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
