//! Shared helpers of the server integration tests: the real `casedesk serve` binary on an
//! ephemeral loopback port with a temporary database, tokens made with `casedesk token create`,
//! and a small reqwest wrapper that sets `Authorization`.
//!
//! Every test binary uses a different subset of these helpers.
#![allow(dead_code)]

pub mod desk;
pub mod drawing;
pub mod fault_proxy;
pub mod hostile;
pub mod japanese;
pub mod mail;
pub mod pty;
pub mod rt;
pub mod suite;

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// How long the server may take to print its listening line.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How long a clean shutdown may take.
const STOP_TIMEOUT: Duration = Duration::from_secs(15);

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_casedesk")
}

/// A fresh, empty temporary directory named after `prefix`.
pub fn temp_dir(prefix: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("{prefix}-{}-{n}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create the temporary directory");
    dir
}

/// A running `casedesk serve` with its own temporary directory; killed and cleaned up on drop.
pub struct Server {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The temporary directory holding the database and the server's log.
    pub dir: PathBuf,
    /// The database file.
    pub db: PathBuf,
    starts: usize,
    extra: Vec<String>,
    env: Vec<(String, String)>,
    ready_at: Instant,
}

impl Server {
    /// Starts a server on a fresh temporary database.
    pub fn start() -> Server {
        Server::start_with(&[])
    }

    /// Starts a server on a fresh temporary database with extra `serve` arguments (e.g.
    /// `--demo`).
    pub fn start_with(extra: &[&str]) -> Server {
        Server::start_with_env(extra, &[])
    }

    /// Starts a server on a fresh temporary database with extra `serve` arguments and
    /// environment (e.g. `CASEDESK_TEST_NOW`, the debug build's clock).
    pub fn start_with_env(extra: &[&str], env: &[(&str, &str)]) -> Server {
        let dir = temp_dir("casedesk-server-test");
        let db = dir.join("case.db");
        let mut server = Server {
            child: None,
            base: String::new(),
            dir,
            db,
            starts: 0,
            extra: extra.iter().map(|s| s.to_string()).collect(),
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ready_at: Instant::now(),
        };
        server.spawn();
        server
    }

    fn spawn(&mut self) {
        self.spawn_listening("127.0.0.1:0");
    }

    fn spawn_listening(&mut self, listen: &str) {
        self.starts += 1;
        let log = File::create(self.log_path()).expect("create the server log");
        let mut child = Command::new(bin())
            .args(["serve", "--listen", listen, "--db"])
            .arg(&self.db)
            .args(&self.extra)
            .env("RUST_LOG", "info")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start casedesk serve");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // Keeps draining stdout for the life of the process.
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + START_TIMEOUT;
        let base = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(rest) = line.strip_prefix("casedesk serve: listening on ") {
                        let url = rest.split_whitespace().next().unwrap_or_default();
                        assert!(
                            url.starts_with("http://127.0.0.1:"),
                            "unexpected listening line: {line}"
                        );
                        assert!(
                            rest.contains(&self.db.display().to_string()),
                            "the listening line names the database: {line}"
                        );
                        break url.to_string();
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "casedesk serve printed no listening line within {START_TIMEOUT:?}; log:\n{}",
                        self.log()
                    );
                }
            }
        };
        self.base = base;
        self.child = Some(child);
        self.ready_at = Instant::now();
    }

    fn log_path(&self) -> PathBuf {
        self.dir.join(format!("server-{}.log", self.starts))
    }

    /// What the server wrote to stderr so far (its log).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("the server runs").id()
    }

    /// Creates a token with `casedesk token create` on the same database. A person of the
    /// demo already holds one (the demo's people are listed by `GET /v1/people`): it is
    /// revoked first, as an admin would, so the test can sign in as them.
    pub fn token(&self, role: &str, name: &str) -> String {
        let create = || {
            Command::new(bin())
                .args(["token", "create", "--db"])
                .arg(&self.db)
                .args(["--role", role, "--name", name])
                .output()
                .expect("run casedesk token create")
        };
        let mut out = create();
        if !out.status.success()
            && String::from_utf8_lossy(&out.stderr).contains("already has a token")
        {
            let revoked = Command::new(bin())
                .args(["token", "revoke", "--db"])
                .arg(&self.db)
                .arg(name)
                .output()
                .expect("run casedesk token revoke");
            assert!(revoked.status.success(), "token revoke --name {name}");
            out = create();
        }
        assert!(
            out.status.success(),
            "token create --role {role} --name {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("utf-8 token");
        let token = text.trim().to_string();
        assert_eq!(
            text.lines().count(),
            1,
            "the token alone on stdout: {text:?}"
        );
        assert!(
            !token.is_empty() && !token.contains(' '),
            "token: {token:?}"
        );
        token
    }

    /// A client that sends `Authorization: Bearer <token>`.
    pub fn client(&self, token: &str) -> Api {
        Api::new(&self.base, Some(token.to_string()), true)
    }

    /// A client without a token.
    pub fn anonymous(&self) -> Api {
        Api::new(&self.base, None, true)
    }

    /// A client that neither asks for nor decodes compressed responses by itself.
    pub fn raw_client(&self, token: &str) -> Api {
        Api::new(&self.base, Some(token.to_string()), false)
    }

    /// Convenience: a token of `role` for `name` and a client using it.
    pub fn login(&self, role: &str, name: &str) -> Api {
        let token = self.token(role, name);
        self.client(&token)
    }

    /// Sends SIGTERM and waits for the process to end; returns its exit status.
    ///
    /// The server prints its listening line before it installs its SIGTERM handler, so a signal
    /// sent at once may kill it uncleanly (see `server_concurrency::sigterm_right_after_start…`);
    /// this waits a little after the start before signalling.
    pub fn stop(&mut self) -> ExitStatus {
        let settle = Duration::from_millis(300);
        let since = self.ready_at.elapsed();
        if since < settle {
            std::thread::sleep(settle - since);
        }
        self.signal_and_wait()
    }

    /// Sends SIGTERM at once and waits for the process to end.
    pub fn signal_and_wait(&mut self) -> ExitStatus {
        let mut child = self.child.take().expect("the server runs");
        let status = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -TERM failed");
        let deadline = Instant::now() + STOP_TIMEOUT;
        loop {
            if let Some(status) = child.try_wait().expect("wait for the server") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "the server did not stop within {STOP_TIMEOUT:?} of SIGTERM; log:\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the server with SIGKILL (a crash: nothing of its shutdown runs) and waits for it.
    pub fn kill(&mut self) {
        let mut child = self.child.take().expect("the server runs");
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Sets an environment variable for the next start (e.g. a later `CASEDESK_TEST_NOW`).
    pub fn set_env(&mut self, key: &str, value: &str) {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_string(), value.to_string()));
    }

    /// Starts the server again after a stop, on the same database; `base` changes.
    pub fn start_again(&mut self) {
        assert!(self.child.is_none(), "the server still runs");
        self.spawn();
    }

    /// Starts the server again after a stop, on the same database and the same port (so a
    /// client configured with `base` finds it again).
    pub fn start_again_on_the_same_port(&mut self) {
        assert!(self.child.is_none(), "the server still runs");
        let port = self.base.rsplit(':').next().expect("a port").to_string();
        self.spawn_listening(&format!("127.0.0.1:{port}"));
    }

    /// Starts the server again after a stop, on the same database and the given port (a
    /// client still configured with an earlier `base` finds it there).
    pub fn start_again_on_port(&mut self, port: &str) {
        assert!(self.child.is_none(), "the server still runs");
        self.spawn_listening(&format!("127.0.0.1:{port}"));
    }

    /// Stops the server cleanly (asserting a successful exit) and starts it again on the same
    /// database; `base` changes to the new port.
    pub fn restart(&mut self) {
        let status = self.stop();
        assert!(
            status.success(),
            "clean shutdown on SIGTERM, got {status}; log:\n{}",
            self.log()
        );
        self.spawn();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// An HTTP response, read in full.
#[derive(Debug)]
pub struct Resp {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body bytes (decoded unless the client is raw).
    pub body: bytes::Bytes,
}

impl Resp {
    /// The body as JSON; panics with the body text when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{} body is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts the status and returns the JSON body.
    #[track_caller]
    pub fn expect(&self, status: u16) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "expected {status}, got {}: {}",
            self.status,
            self.text()
        );
        if self.body.is_empty() {
            Value::Null
        } else {
            self.json()
        }
    }

    /// Asserts an `application/problem+json` answer of `status` whose `field` is `field` (when
    /// given), with every member a client shows; returns the problem.
    #[track_caller]
    pub fn problem(&self, status: u16, field: Option<&str>) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "expected {status}, got {}: {}",
            self.status,
            self.text()
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "problem content type for {status}: {}",
            self.text()
        );
        let p = self.json();
        let kind = p["type"].as_str().unwrap_or_default();
        assert!(
            kind.starts_with("https://") && kind.len() > "https://".len() + 3,
            "a stable type URI: {p}"
        );
        assert!(
            !p["title"].as_str().unwrap_or_default().is_empty(),
            "a title: {p}"
        );
        assert_eq!(p["status"], json!(status), "status member: {p}");
        assert!(
            p["detail"].as_str().unwrap_or_default().len() >= 10,
            "a useful detail: {p}"
        );
        if let Some(field) = field {
            assert_eq!(p["field"], json!(field), "the field at fault: {p}");
        }
        p
    }
}

/// A small API client: one base URL, one optional token.
#[derive(Clone)]
pub struct Api {
    /// The reqwest client.
    pub http: reqwest::Client,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    token: Option<String>,
}

impl Api {
    fn new(base: &str, token: Option<String>, decompress: bool) -> Api {
        let http = reqwest::Client::builder()
            .no_proxy()
            .gzip(decompress)
            .timeout(Duration::from_secs(30))
            .build()
            .expect("build the reqwest client");
        Api {
            http,
            base: base.to_string(),
            token,
        }
    }

    /// The same client against another base (after a restart).
    pub fn rebased(&self, base: &str) -> Api {
        Api {
            http: self.http.clone(),
            base: base.to_string(),
            token: self.token.clone(),
        }
    }

    /// The token, if any.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request with `Authorization` set.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let builder = self.http.request(method, self.url(path));
        match &self.token {
            Some(t) => builder.bearer_auth(t),
            None => builder,
        }
    }

    /// Sends a request and reads the whole response.
    pub async fn send(&self, builder: reqwest::RequestBuilder) -> Resp {
        let response = builder
            .send()
            .await
            .expect("the request reaches the server");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.expect("the body is read");
        Resp {
            status,
            headers,
            body,
        }
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Resp {
        self.send(self.request(Method::GET, path)).await
    }

    /// `GET path` with extra headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut b = self.request(Method::GET, path);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.send(b).await
    }

    /// `POST path` with a JSON body.
    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        self.send(self.request(Method::POST, path).json(body)).await
    }

    /// `POST path` with a JSON body and extra headers.
    pub async fn post_with(&self, path: &str, body: &Value, headers: &[(&str, &str)]) -> Resp {
        let mut b = self.request(Method::POST, path).json(body);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.send(b).await
    }

    /// `PATCH path` with a JSON body and, when given, `If-Match`.
    pub async fn patch(&self, path: &str, if_match: Option<&str>, body: &Value) -> Resp {
        let mut b = self.request(Method::PATCH, path).json(body);
        if let Some(v) = if_match {
            b = b.header("If-Match", v);
        }
        self.send(b).await
    }

    /// `DELETE path`.
    pub async fn delete(&self, path: &str) -> Resp {
        self.send(self.request(Method::DELETE, path)).await
    }

    /// A raw body with a content type.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut b = self
            .request(method, path)
            .header("Content-Type", content_type)
            .body(body);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.send(b).await
    }

    // ---- domain helpers ----

    /// Opens a case from `fields` merged over a minimal valid case; asserts 201.
    pub async fn create_case(&self, fields: Value) -> Value {
        let mut body = json!({ "subject": "Switch reboots every night", "priority": "P3" });
        if let (Some(b), Some(f)) = (body.as_object_mut(), fields.as_object()) {
            for (k, v) in f {
                b.insert(k.clone(), v.clone());
            }
        }
        self.post("/v1/cases", &body).await.expect(201)
    }

    /// Reads a case; asserts 200.
    pub async fn case(&self, number: &str) -> Value {
        self.get(&format!("/v1/cases/{number}")).await.expect(200)
    }

    /// The case's current version as an `If-Match` value.
    pub async fn version(&self, number: &str) -> String {
        let case = self.case(number).await;
        if_match(&case)
    }

    /// Adds a note with the case's current version; asserts 201.
    pub async fn note(&self, number: &str, body: &str, visibility: &str) -> Value {
        let v = self.version(number).await;
        self.post_with(
            &format!("/v1/cases/{number}/notes"),
            &json!({ "body": body, "visibility": visibility }),
            &[("If-Match", &v)],
        )
        .await
        .expect(201)
    }

    /// Patches a case at its current version; returns the response.
    /// Requests an escalation on a case at its current version; expects 201.
    pub async fn escalate(&self, number: &str, body: Value) -> Value {
        self.add_to_case(number, "escalations", body).await
    }

    /// Creates an RMA on a case at its current version; expects 201.
    pub async fn create_rma(&self, number: &str, body: Value) -> Value {
        self.add_to_case(number, "rmas", body).await
    }

    async fn add_to_case(&self, number: &str, what: &str, body: Value) -> Value {
        let v = self.version(number).await;
        self.post_with(
            &format!("/v1/cases/{number}/{what}"),
            &body,
            &[("If-Match", &v)],
        )
        .await
        .expect(201)
    }

    pub async fn patch_case(&self, number: &str, body: &Value) -> Resp {
        let v = self.version(number).await;
        self.patch(&format!("/v1/cases/{number}"), Some(&v), body)
            .await
    }

    /// The newest change sequence from `/healthz`.
    pub async fn seq(&self) -> i64 {
        let h = self.get("/healthz").await.expect(200);
        h["seq"].as_i64().expect("healthz seq")
    }
}

/// `If-Match` for the version in a case body.
pub fn if_match(case: &Value) -> String {
    let v = case["version"].as_i64().expect("case version");
    format!("\"v{v}\"")
}

/// The case number in a case body.
pub fn number(case: &Value) -> String {
    case["number"].as_str().expect("case number").to_string()
}

/// Percent-encodes a query value.
pub fn enc(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Whether `text` is a case number `YYYY-MMDD-NNNNNN`.
pub fn is_case_number(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 16
        && b[4] == b'-'
        && b[9] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 9 || c.is_ascii_digit())
}

/// One server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// `id:`.
    pub id: Option<String>,
    /// `event:`.
    pub event: Option<String>,
    /// `data:` lines joined with `\n`.
    pub data: String,
}

impl SseEvent {
    /// The id as a number.
    pub fn seq(&self) -> i64 {
        self.id
            .as_deref()
            .and_then(|i| i.parse().ok())
            .unwrap_or_else(|| panic!("event without a numeric id: {self:?}"))
    }
}

/// An open `text/event-stream`, parsed by hand.
pub struct SseStream {
    stream:
        std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    buffer: Vec<u8>,
    pending: std::collections::VecDeque<SseEvent>,
    /// Comment lines seen (heartbeats).
    pub comments: usize,
    /// The response headers.
    pub headers: HeaderMap,
}

impl SseStream {
    /// Opens `GET path` (with extra headers), asserting `200 text/event-stream`.
    pub async fn open(api: &Api, path: &str, headers: &[(&str, &str)]) -> SseStream {
        let mut b = api
            .request(Method::GET, path)
            .header("Accept", "text/event-stream")
            .timeout(Duration::from_secs(3600));
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let response = b.send().await.expect("open the event stream");
        assert_eq!(response.status(), StatusCode::OK, "event stream status");
        let ct = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert!(ct.starts_with("text/event-stream"), "content type {ct}");
        SseStream {
            headers: response.headers().clone(),
            stream: Box::pin(response.bytes_stream()),
            buffer: Vec::new(),
            pending: std::collections::VecDeque::new(),
            comments: 0,
        }
    }

    /// Reads one more chunk before `deadline` and parses what it completes; false when the
    /// stream ended or the deadline passed.
    async fn fill(&mut self, deadline: tokio::time::Instant) -> bool {
        use futures_util::StreamExt;
        match tokio::time::timeout_at(deadline, self.stream.next()).await {
            Ok(Some(Ok(bytes))) => {
                self.buffer.extend_from_slice(&bytes);
                self.parse();
                true
            }
            Ok(Some(Err(_)) | None) | Err(_) => false,
        }
    }

    /// The next event, or `None` when the stream ends or nothing comes within `wait`.
    pub async fn next(&mut self, wait: Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some(event);
            }
            if !self.fill(deadline).await {
                return None;
            }
        }
    }

    /// Waits at most `wait` for a comment line (a heartbeat); events meanwhile are kept.
    pub async fn heartbeat(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        let before = self.comments;
        while self.comments == before {
            if !self.fill(deadline).await {
                return false;
            }
        }
        true
    }

    /// Whether the server ended the stream within `wait` (events before the end are skipped).
    pub async fn ended(&mut self, wait: Duration) -> bool {
        use futures_util::StreamExt;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.stream.next()).await {
                Ok(Some(Ok(_))) => {}
                Ok(Some(Err(_)) | None) => return true,
                Err(_) => return false,
            }
        }
    }

    /// Reads exactly `n` events, each within `wait`; panics if fewer come.
    pub async fn take(&mut self, n: usize, wait: Duration) -> Vec<SseEvent> {
        let mut events = Vec::with_capacity(n);
        while events.len() < n {
            match self.next(wait).await {
                Some(e) => events.push(e),
                None => panic!("expected {n} events, got {}: {events:?}", events.len()),
            }
        }
        events
    }

    /// Moves every complete block (ended by a blank line) out of the buffer.
    fn parse(&mut self) {
        while let Some((content_end, block_end)) = find_blank_line(&self.buffer) {
            let block: Vec<u8> = self.buffer.drain(..block_end).collect();
            let block = String::from_utf8_lossy(&block[..content_end]).into_owned();
            let mut event = SseEvent {
                id: None,
                event: None,
                data: String::new(),
            };
            let mut has_data = false;
            let mut fields = 0;
            for line in block.lines() {
                if line.starts_with(':') {
                    self.comments += 1;
                    continue;
                }
                fields += 1;
                let (field, value) = match line.split_once(':') {
                    Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
                    None => (line, ""),
                };
                match field {
                    "id" => event.id = Some(value.to_string()),
                    "event" => event.event = Some(value.to_string()),
                    "data" => {
                        if has_data {
                            event.data.push('\n');
                        }
                        event.data.push_str(value);
                        has_data = true;
                    }
                    _ => {}
                }
            }
            if fields > 0 {
                self.pending.push_back(event);
            }
        }
    }
}

/// The end of the first event block: (content end, block end including the blank line).
fn find_blank_line(buf: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    while i + 1 < buf.len() {
        if buf[i] == b'\n' && buf[i + 1] == b'\n' {
            return Some((i, i + 2));
        }
        if buf[i] == b'\n' && i + 2 < buf.len() && buf[i + 1] == b'\r' && buf[i + 2] == b'\n' {
            return Some((i, i + 3));
        }
        i += 1;
    }
    None
}

/// Waits until `check` holds, polling every 20 ms, for at most `wait`.
pub async fn eventually<F, Fut>(wait: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        if check().await {
            return true;
        }
        if tokio::time::Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Whether `path` exists (for cleanup assertions).
pub fn exists(path: &Path) -> bool {
    path.exists()
}

/// A serial of an open demo case whose contract is active, or (with `active` false) one with
/// no active contract; with its contract (`null` when none is on file) and how many open cases
/// it has.
pub async fn demo_serial(server: &Server, token: &str, active: bool) -> (String, Value, usize) {
    let api = server.client(token);
    let list = api.get("/v1/cases?open=true&limit=500").await.expect(200);
    let items = list["items"].as_array().expect("items");
    for case in items {
        let Some(serial) = case["serial_number"].as_str() else {
            continue;
        };
        let found = api.get(&format!("/v1/entitlements/{serial}")).await;
        let is_active = found.status == 200 && found.json()["active"] == true;
        if is_active == active {
            let open = items
                .iter()
                .filter(|c| c["serial_number"] == serial)
                .count();
            let entitlement = if found.status == 200 {
                found.json()
            } else {
                Value::Null
            };
            return (serial.to_string(), entitlement, open);
        }
    }
    panic!("the demo data has no serial with active = {active}");
}

/// A runtime for the async API client, for tests that drive a terminal from their own thread.
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// The case numbers of a `--json` case list, in its order.
pub fn numbers_in(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a JSON array")
        .iter()
        .map(|c| c["number"].as_str().expect("number").to_string())
        .collect()
}

/// The clock of `kind` in a case's JSON (`clocks.clocks[]`).
pub fn clock<'a>(case: &'a Value, kind: &str) -> &'a Value {
    case["clocks"]["clocks"]
        .as_array()
        .expect("clocks")
        .iter()
        .find(|c| c["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} clock in {}", case["clocks"]))
}

/// The cases on the server with exactly this subject.
pub async fn cases_with_subject(api: &Api, subject: &str) -> Vec<Value> {
    let list = api
        .get(&format!("/v1/cases?q={}&limit=50", enc(subject)))
        .await
        .expect(200);
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|c| c["subject"] == subject)
        .cloned()
        .collect()
}

/// The first `n` open cases of the server, by number.
pub async fn open_cases(server: &Server, token: &str, n: usize) -> Vec<String> {
    let list = server
        .client(token)
        .get(&format!("/v1/cases?open=true&sort=number&limit={n}"))
        .await
        .expect(200);
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["number"].as_str().expect("number").to_string())
        .collect()
}

/// The first open case of the server.
pub async fn open_case(server: &Server, token: &str) -> String {
    open_cases(server, token, 1)
        .await
        .into_iter()
        .next()
        .expect("an open case")
}

/// How many notes on a case have this body.
pub async fn notes_with(server: &Server, token: &str, number: &str, body: &str) -> usize {
    let case = server.client(token).case(number).await;
    case["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter(|n| n["body"] == body)
        .count()
}
