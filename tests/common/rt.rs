//! A real Request Tracker 5 for the RT backend's tests (tests/fixtures/rt/start-rt.sh): one
//! instance per test binary, on a free loopback port with a private SQLite database in a
//! temporary directory, seeded over REST 2 the way an RT administrator would set up a desk
//! (queue `Support` with RT's SLA on, the select custom field `Severity` P1–P4 and the free
//! fields `Site`, `Serial` and `Tier` applied to it, the privileged agents `agent1` and
//! `agent2` with tokens of their own), and stopped when the test process ends.
//!
//! The tests run only when `CASEDESK_RT_TESTS=1` (CI sets it after tests/fixtures/rt/install.sh);
//! otherwise [`Rt::start`] says once, on the terminal, how to run them and returns `None`. With
//! the variable set, an RT that does not start fails the test: CI must not pass by skipping.
//! Each test that runs appends its name to the file named by `CASEDESK_RT_RAN`.
//!
//! Tests share the instance and therefore each makes its own tickets; a test that stops RT
//! takes the instance for itself ([`Rt::exclusive`]) and the others wait for it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Once, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::desk::Desk;

/// The variable that turns the RT tests on.
pub const ENABLE: &str = "CASEDESK_RT_TESTS";
/// The variable naming a file that gets one line per RT test run (CI checks it is not empty).
pub const RAN: &str = "CASEDESK_RT_RAN";
/// The queue the desk follows.
pub const QUEUE: &str = "Support";

static SKIP_NOTICE: Once = Once::new();
static SHARED: OnceLock<Result<Arc<Instance>, String>> = OnceLock::new();
/// Readers: tests using the running RT; the writer: a test that stops and restarts it.
static GATE: RwLock<()> = RwLock::new(());

/// The running RT of this test binary.
pub struct Instance {
    /// Its state directory (database, logs, mbox).
    pub dir: PathBuf,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// `http://127.0.0.1:PORT`: the profile's `server`.
    pub url: String,
    /// root's token.
    pub root_token: String,
    /// agent1's token.
    pub agent1_token: String,
    /// agent2's token.
    pub agent2_token: String,
}

enum Gate {
    Shared(#[allow(dead_code)] RwLockReadGuard<'static, ()>),
    Exclusive(#[allow(dead_code)] RwLockWriteGuard<'static, ()>),
}

/// A test's hold on the RT of this binary.
pub struct Rt {
    instance: Arc<Instance>,
    gate: Gate,
    /// Stopped by this test and not started again yet.
    stopped: std::cell::Cell<bool>,
}

impl Drop for Rt {
    /// A test that failed while RT was stopped leaves it running for the tests after it.
    fn drop(&mut self) {
        if self.stopped.get() {
            self.start_again();
        }
    }
}

impl std::ops::Deref for Rt {
    type Target = Instance;
    fn deref(&self) -> &Instance {
        &self.instance
    }
}

fn fixture_script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rt")
        .join(name)
}

impl Rt {
    /// The RT of this test binary, started by the first test that asks; `None` (after a notice
    /// on the terminal, once) when `CASEDESK_RT_TESTS` is not `1`. Panics with the reason when
    /// the variable is set and RT cannot start.
    pub fn start() -> Option<Rt> {
        let gate = Gate::Shared(GATE.read().unwrap_or_else(|e| e.into_inner()));
        Rt::open(gate)
    }

    /// [`Rt::start`], with the instance to this test alone (to stop and restart it).
    pub fn exclusive() -> Option<Rt> {
        let gate = Gate::Exclusive(GATE.write().unwrap_or_else(|e| e.into_inner()));
        Rt::open(gate)
    }

    fn open(gate: Gate) -> Option<Rt> {
        if std::env::var(ENABLE).as_deref() != Ok("1") {
            SKIP_NOTICE.call_once(|| {
                let name = super::suite::test_file();
                // Straight to the terminal: the harness captures print!, not this.
                let _ = std::io::stderr().write_all(
                    format!(
                        "skipped: tests/{name}.rs needs Request Tracker 5; run: \
                         tests/fixtures/rt/install.sh && {ENABLE}=1 cargo test --test {name}\n"
                    )
                    .as_bytes(),
                );
            });
            return None;
        }
        let shared = SHARED.get_or_init(|| Instance::start().map(Arc::new));
        let instance = match shared {
            Ok(i) => i.clone(),
            Err(why) => panic!("{ENABLE}=1 but Request Tracker did not start: {why}"),
        };
        super::suite::record_run(RAN, "RT");
        Some(Rt {
            instance,
            gate,
            stopped: std::cell::Cell::new(false),
        })
    }

    /// REST 2 as root.
    pub fn root(&self) -> RtApi {
        RtApi::new(&self.url, &self.root_token)
    }

    /// REST 2 as agent1.
    pub fn agent1(&self) -> RtApi {
        RtApi::new(&self.url, &self.agent1_token)
    }

    /// REST 2 as agent2.
    pub fn agent2(&self) -> RtApi {
        RtApi::new(&self.url, &self.agent2_token)
    }

    /// A fresh machine whose default profile is `backend = "rt"` on this RT, following
    /// `Support`, with `token` in `CASEDESK_TOKEN`.
    pub fn desk(&self, token: &str) -> Desk {
        let desk = Desk::new(&self.url, token);
        write_rt_profile(&desk, "");
        desk
    }

    /// Stops the server (its database stays); only on an [`Rt::exclusive`] hold.
    pub fn stop(&self) {
        assert!(
            matches!(self.gate, Gate::Exclusive(_)),
            "stopping RT needs Rt::exclusive()"
        );
        let out = Command::new(fixture_script("start-rt.sh"))
            .arg("stop")
            .arg(&self.dir)
            .output()
            .expect("run start-rt.sh stop");
        self.stopped.set(true);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Starts the stopped server again on the same port, database and token.
    pub fn start_again(&self) {
        let out = Command::new(fixture_script("start-rt.sh"))
            .arg(&self.dir)
            .arg(self.port.to_string())
            .stdin(Stdio::null())
            .output()
            .expect("run start-rt.sh");
        self.stopped.set(false);
        assert!(
            out.status.success(),
            "RT did not start again: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Writes the default profile of `desk` as an RT profile following `Support`, plus `extra`
/// lines in the profile's table.
pub fn write_rt_profile(desk: &Desk, extra: &str) {
    let dir = desk.config_dir();
    std::fs::create_dir_all(&dir).expect("the config directory");
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "timezone = \"Asia/Tokyo\"\n\n[profiles.default]\nbackend = \"rt\"\nqueues = [\"{QUEUE}\"]\npoll_seconds = 1\n{extra}\n"
        ),
    )
    .expect("write config.toml");
}

/// A port nobody listens on now.
fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    Ok(port)
}

impl Instance {
    fn start() -> Result<Instance, String> {
        let dir = super::temp_dir("cd-rt");
        let mut last = String::new();
        // A port found free may be taken before RT binds it: another try with another port.
        for _ in 0..3 {
            let port = free_port()?;
            let out = Command::new(fixture_script("start-rt.sh"))
                .arg(&dir)
                .arg(port.to_string())
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("cannot run tests/fixtures/rt/start-rt.sh: {e}"))?;
            if !out.status.success() {
                last = format!(
                    "tests/fixtures/rt/start-rt.sh {} {port} failed ({}):\n{}",
                    dir.display(),
                    out.status,
                    String::from_utf8_lossy(&out.stderr)
                );
                continue;
            }
            watch_and_stop(&dir);
            let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
            let (url, token) = line
                .split_once(' ')
                .ok_or_else(|| format!("start-rt.sh printed {line:?}, not URL TOKEN"))?;
            let mut instance = Instance {
                dir: dir.clone(),
                port,
                url: url.to_string(),
                root_token: token.to_string(),
                agent1_token: String::new(),
                agent2_token: String::new(),
            };
            instance.seed()?;
            return Ok(instance);
        }
        Err(last)
    }

    /// The desk's setup, as an administrator makes it.
    fn seed(&mut self) -> Result<(), String> {
        let root = RtApi::new(&self.url, &self.root_token);
        root.post_ok(
            "/queue",
            &json!({"Name": QUEUE, "Description": "casedesk tests", "CorrespondAddress": "support@example.test", "SLADisabled": 0}),
        )?;
        let severity = root.post_ok(
            "/customfield",
            &json!({"Name": "Severity", "Type": "Select", "MaxValues": 1, "LookupType": "RT::Queue-RT::Ticket", "Queue": QUEUE}),
        )?;
        let severity = id_of(&severity)?;
        for (i, value) in ["P1", "P2", "P3", "P4"].iter().enumerate() {
            root.post_ok(
                &format!("/customfield/{severity}/value"),
                &json!({"Name": value, "SortOrder": i + 1}),
            )?;
        }
        for field in ["Site", "Serial", "Tier"] {
            root.post_ok(
                "/customfield",
                &json!({"Name": field, "Type": "Freeform", "MaxValues": 1, "LookupType": "RT::Queue-RT::Ticket", "Queue": QUEUE}),
            )?;
        }
        for (name, real) in [("agent1", "Agent One"), ("agent2", "Agent Two")] {
            root.post_ok(
                "/user",
                &json!({"Name": name, "EmailAddress": format!("{name}@example.test"), "RealName": real, "Password": format!("pw-{name}-casedesk"), "Privileged": 1}),
            )?;
        }
        // Tokens only through RT's Perl API (REST 2 has no endpoint); both at once (~1.2 s each).
        let make = |user: &'static str| {
            let dir = self.dir.clone();
            std::thread::spawn(move || -> Result<String, String> {
                let out = Command::new(fixture_script("start-rt.sh"))
                    .args(["token"])
                    .arg(&dir)
                    .arg(user)
                    .stdin(Stdio::null())
                    .output()
                    .map_err(|e| e.to_string())?;
                if !out.status.success() {
                    return Err(format!(
                        "no token for {user}: {}",
                        String::from_utf8_lossy(&out.stderr)
                    ));
                }
                Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
            })
        };
        let (one, two) = (make("agent1"), make("agent2"));
        self.agent1_token = one.join().map_err(|_| "token thread panicked")??;
        self.agent2_token = two.join().map_err(|_| "token thread panicked")??;
        Ok(())
    }
}

fn id_of(created: &Value) -> Result<String, String> {
    match &created["id"] {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(format!("no id in {created} ({other})")),
    }
}

/// Starts a watcher that, once this process has ended, stops the RT in `dir` and removes it
/// (statics are never dropped; a crashed or aborted run leaves no RT behind).
fn watch_and_stop(dir: &Path) {
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.2; done; \"$0\" stop \"$1\" >/dev/null 2>&1; rm -rf \"$1\"",
        pid = std::process::id()
    );
    let spawned = Command::new("setsid")
        .args(["sh", "-c", &script])
        .arg(fixture_script("start-rt.sh"))
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        panic!("cannot start the RT watcher: {e}");
    }
}

/// One answer from RT.
#[derive(Debug)]
pub struct RtResp {
    /// The status.
    pub status: StatusCode,
    /// The `ETag` header without quotes, when there is one.
    pub etag: Option<String>,
    /// The body as JSON (`Null` when it is not JSON).
    pub body: Value,
}

/// A small blocking REST 2 client with a token (tests call it from plain `#[test]`s).
pub struct RtApi {
    base: String,
    token: String,
    http: reqwest::Client,
    runtime: tokio::runtime::Runtime,
}

impl RtApi {
    /// A client for the RT at `url` with `token`.
    pub fn new(url: &str, token: &str) -> RtApi {
        RtApi {
            base: format!("{}/REST/2.0", url.trim_end_matches('/')),
            token: token.to_string(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .expect("an HTTP client"),
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime"),
        }
    }

    /// Any request; `body` sent as JSON (with RT's required content type) when given.
    pub fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        if_match: Option<&str>,
    ) -> RtResp {
        let url = format!("{}{path}", self.base);
        let mut b = self
            .http
            .request(method.clone(), &url)
            .header("Authorization", format!("token {}", self.token));
        if let Some(body) = body {
            b = b
                .header("Content-Type", "application/json")
                .body(body.to_string());
        } else if method != reqwest::Method::GET {
            b = b.header("Content-Type", "application/json");
        }
        if let Some(v) = if_match {
            b = b.header("If-Match", format!("\"{v}\""));
        }
        self.runtime.block_on(async {
            let r = b
                .send()
                .await
                .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
            let status = r.status();
            let etag = r
                .headers()
                .get("etag")
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim_matches('"').to_string());
            let text = r.text().await.unwrap_or_default();
            RtResp {
                status,
                etag,
                body: serde_json::from_str(&text).unwrap_or(Value::Null),
            }
        })
    }

    /// `GET path`; asserts 200.
    pub fn get(&self, path: &str) -> Value {
        let r = self.send(reqwest::Method::GET, path, None, None);
        assert_eq!(r.status, StatusCode::OK, "GET {path}: {}", r.body);
        r.body
    }

    /// `POST path` expecting 201 (or 200), as a `Result` for the seeding.
    pub fn post_ok(&self, path: &str, body: &Value) -> Result<Value, String> {
        let r = self.send(reqwest::Method::POST, path, Some(body), None);
        if r.status == StatusCode::CREATED || r.status == StatusCode::OK {
            Ok(r.body)
        } else {
            Err(format!("POST {path} {body}: {} {}", r.status, r.body))
        }
    }

    /// `PUT path`; asserts 200 and returns RT's message list.
    pub fn put(&self, path: &str, body: &Value) -> Value {
        let r = self.send(reqwest::Method::PUT, path, Some(body), None);
        assert_eq!(r.status, StatusCode::OK, "PUT {path}: {}", r.body);
        r.body
    }

    /// Creates a ticket in `Support` with `subject`, a requestor and a severity; its id.
    pub fn create_ticket(&self, subject: &str, severity: &str) -> u32 {
        self.create_ticket_with(json!({
            "Subject": subject,
            "Requestor": "customer@example.test",
            "Content": format!("{subject}: the customer's first mail."),
            "ContentType": "text/plain",
            "CustomFields": {"Severity": severity, "Site": "Tokyo DC", "Serial": "FOC1234X0AB"},
        }))
    }

    /// Creates a ticket in `Support` from `fields` (Queue added); its id.
    pub fn create_ticket_with(&self, mut fields: Value) -> u32 {
        fields["Queue"] = json!(QUEUE);
        let created = self
            .post_ok("/ticket", &fields)
            .unwrap_or_else(|e| panic!("{e}"));
        id_of(&created)
            .ok()
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("no ticket id in {created}"))
    }

    /// The ticket as RT shows it.
    pub fn ticket(&self, id: u32) -> Value {
        self.get(&format!("/ticket/{id}"))
    }

    /// The ticket's ETag (its newest transaction id).
    pub fn etag(&self, id: u32) -> String {
        let r = self.send(reqwest::Method::GET, &format!("/ticket/{id}"), None, None);
        r.etag
            .unwrap_or_else(|| panic!("no ETag on ticket {id}: {}", r.body))
    }

    /// The value of custom field `name` on the ticket (first value), if any.
    pub fn custom_field(&self, id: u32, name: &str) -> Option<String> {
        let ticket = self.ticket(id);
        ticket["CustomFields"]
            .as_array()?
            .iter()
            .find(|cf| cf["name"] == name)?["values"]
            .as_array()?
            .first()?
            .as_str()
            .map(str::to_string)
    }

    /// The owner's name (`Nobody` when none).
    pub fn owner(&self, id: u32) -> String {
        self.ticket(id)["Owner"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The ticket's transactions, oldest first: `Type`, `Creator`, `Field`, `OldValue`,
    /// `NewValue`, `Created` and, for those with a message, its text as `Content`.
    pub fn history(&self, id: u32) -> Vec<Value> {
        let mut txns: Vec<Value> = Vec::new();
        for page in 1.. {
            let got = self.get(&format!(
                "/ticket/{id}/history?per_page=100&page={page}&fields=Type,Creator,Field,OldValue,NewValue,Created"
            ));
            let items = got["items"].as_array().cloned().unwrap_or_default();
            txns.extend(items);
            if got["pages"].as_u64().unwrap_or(1) <= page {
                break;
            }
        }
        let mut contents: Vec<(String, String)> = Vec::new();
        for page in 1.. {
            let got = self.get(&format!(
                "/ticket/{id}/attachments?per_page=100&page={page}&fields=TransactionId,ContentType,Content"
            ));
            for a in got["items"].as_array().cloned().unwrap_or_default() {
                if a["ContentType"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("text/plain"))
                {
                    let txn = match &a["TransactionId"] {
                        Value::Object(o) => o
                            .get("id")
                            .map(|v| v.to_string().trim_matches('"').to_string()),
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    };
                    if let (Some(txn), Some(text)) = (txn, a["Content"].as_str()) {
                        contents.push((txn, text.to_string()));
                    }
                }
            }
            if got["pages"].as_u64().unwrap_or(1) <= page {
                break;
            }
        }
        for txn in &mut txns {
            let id = id_of(txn).unwrap_or_default();
            if let Some((_, text)) = contents.iter().find(|(t, _)| *t == id) {
                txn["Content"] = json!(text);
            }
        }
        txns
    }

    /// How many transactions of `kind` (`Comment`, `Correspond`) carry `text`.
    pub fn count_messages(&self, id: u32, kind: &str, text: &str) -> usize {
        self.history(id)
            .iter()
            .filter(|t| {
                t["Type"] == kind && t["Content"].as_str().is_some_and(|c| c.contains(text))
            })
            .count()
    }
}
