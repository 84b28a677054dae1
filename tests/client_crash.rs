//! A client killed in the middle of `casedesk sync` (issue 13 item 6): with notes queued on
//! several cases, a crash at any point is followed by a clean send of everything, exactly
//! once, with no conflict against our own earlier notes. The debug binary's
//! `CASEDESK_TEST_CRASH=sent:N` aborts when the N-th entry was accepted by the server and not
//! yet taken out of the outbox, `removed:N` right after it was.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::desk::Desk;
use common::fault_proxy::FaultProxy;
use common::{Server, notes_with, open_cases};
use serde_json::{Value, json};

#[tokio::test]
async fn a_sync_killed_at_any_point_sends_everything_once_without_conflicts() {
    for point in [
        "sent:1",
        "removed:1",
        "sent:2",
        "removed:2",
        "removed:3",
        "sent:4",
    ] {
        let mut server = Server::start_with(&["--demo", "--demo-cases", "30"]);
        let token = server.token("agent", "kimura");
        let desk = Desk::new(&server.base, &token);
        desk.run(&["sync"]).ok();
        let cases = open_cases(&server, &token, 2).await;
        server.stop();

        // Three notes on one case, then one on another, all made offline against the same
        // cached versions.
        let queued: Vec<(String, String)> = [0, 0, 0, 1]
            .iter()
            .enumerate()
            .map(|(i, &c)| (cases[c].clone(), format!("offline note {i} ({point})")))
            .collect();
        for (number, body) in &queued {
            let run = desk.run(&["cases", "note", number, "--internal", "--message", body]);
            assert!(run.ok().starts_with("queued:"), "{}", run.stdout);
        }

        server.start_again_on_the_same_port();
        let crashed = desk
            .command(&["sync"])
            .env("CASEDESK_TEST_CRASH", point)
            .output()
            .expect("run casedesk");
        assert!(
            !crashed.status.success(),
            "{point}: the sync should have been killed: {}",
            String::from_utf8_lossy(&crashed.stdout)
        );

        let out = desk.run(&["sync"]).ok().to_string();
        assert!(!out.contains("conflicted"), "{point}: {out}");
        let left = desk.run(&["outbox", "list", "--json"]).json();
        assert!(
            left.as_array().expect("array").is_empty(),
            "{point}: the outbox is empty: {left}"
        );
        for (number, body) in &queued {
            assert_eq!(
                notes_with(&server, &token, number, body).await,
                1,
                "{point}: {body} on {number} exactly once"
            );
        }
    }
}

/// Random bytes written into the middle of the cache (issue 13 item 7): the sync that meets
/// the damage moves the file aside, rebuilds it from the server, keeps the outbox, says so,
/// and succeeds — and so does every sync after it.
#[tokio::test]
async fn a_cache_damaged_in_the_middle_is_rebuilt_and_keeps_its_outbox() {
    let server = Server::start_with(&["--demo", "--demo-cases", "60"]);
    let token = server.token("agent", "kimura");
    let desk = Desk::new(&server.base, &token);
    desk.run(&["sync"]).ok();
    let number = open_cases(&server, &token, 1).await.remove(0);
    let cache = desk.cache_file("default");
    desk.damage_cache_keeping_a_refused_note(&number);

    let run = desk.run(&["sync"]);
    let out = run.ok().to_string();
    assert!(
        run.stderr.contains("the cache was damaged"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("its outbox was kept (1 change(s))"),
        "{}",
        run.stderr
    );
    assert!(out.contains("full sync:"), "{out}");
    let aside: Vec<_> = std::fs::read_dir(cache.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".damaged-"))
        .collect();
    assert!(!aside.is_empty(), "the damaged file is kept aside");
    let outbox = desk.run(&["outbox", "list", "--json"]).json();
    assert_eq!(outbox.as_array().unwrap().len(), 1, "{outbox}");
    assert_eq!(outbox[0]["idempotency_key"], "cdk-test-damaged");
    desk.run(&["sync"]).ok();
}

/// A demo server behind a fault proxy, and a desk synced through the proxy.
struct Rig {
    server: Server,
    proxy: FaultProxy,
    token: String,
    desk: Desk,
}

impl Rig {
    fn new() -> Rig {
        let server = Server::start_with(&["--demo", "--demo-cases", "60"]);
        let token = server.token("agent", "kimura");
        let proxy = FaultProxy::start(&server.base);
        let desk = Desk::new(&proxy.base, &token);
        desk.run(&["sync"]).ok();
        Rig {
            server,
            proxy,
            token,
            desk,
        }
    }

    /// The first `n` cases in status `open`, by number.
    async fn open_status_cases(&self, n: usize) -> Vec<String> {
        let list = self
            .server
            .client(&self.token)
            .get(&format!("/v1/cases?status=open&sort=number&limit={n}"))
            .await
            .expect(200);
        let numbers: Vec<String> = list["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|c| c["number"].as_str().expect("number").to_string())
            .collect();
        assert_eq!(numbers.len(), n, "the demo has {n} cases in status open");
        numbers
    }

    /// Runs each command while the server cannot be reached: each change is queued.
    fn queue_offline(&self, commands: &[Vec<String>]) {
        self.proxy.down();
        for args in commands {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = self.desk.run(&args);
            assert!(run.ok().starts_with("queued:"), "{args:?}: {}", run.stdout);
        }
        self.proxy.up();
    }

    /// `casedesk sync` with the answer to its `n`-th write lost: the server applies the write,
    /// and the client, still waiting for the answer, is killed. The lost write's request line.
    fn sync_killed_after_write(&self, n: usize) -> String {
        self.proxy.lose_answer_to_write(n);
        let mut child = self
            .desk
            .command(&["sync"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start casedesk sync");
        let lost = self.proxy.wait_lost(Duration::from_secs(60));
        let waiting = child.try_wait().expect("poll the client").is_none();
        // SIGKILL: nothing of the client's own clean-up runs.
        child.kill().expect("kill the client");
        child.wait().expect("reap the client");
        self.proxy.lose_answer_to_write(0);
        self.proxy.cut();
        let lost = lost.unwrap_or_else(|| panic!("write #{n} never reached the server"));
        assert!(
            waiting,
            "the client was still waiting for the answer to {lost}"
        );
        lost
    }

    /// A sync straight after: no conflict, an empty outbox.
    fn sync_clean(&self) -> String {
        let out = self.desk.run(&["sync"]).ok().to_string();
        assert!(!out.contains("conflicted"), "{out}");
        let left = self.desk.run(&["outbox", "list", "--json"]).json();
        assert_eq!(left, json!([]), "the outbox is empty after: {out}");
        out
    }

    /// The case as the server holds it.
    async fn case(&self, number: &str) -> Value {
        self.server.client(&self.token).case(number).await
    }
}

/// The command queuing an internal note.
fn note(number: &str, body: &str) -> Vec<String> {
    ["cases", "note", number, "--internal", "--message", body]
        .map(String::from)
        .to_vec()
}

/// The command moving a case to `waiting_on_customer`.
fn wait_on_customer(number: &str) -> Vec<String> {
    ["cases", "set", number, "--status", "waiting_on_customer"]
        .map(String::from)
        .to_vec()
}

/// The command changing a case's priority, with its reason.
fn reprioritise(number: &str, to: &str) -> Vec<String> {
    ["cases", "set", number, "--priority", to, "--why", WHY]
        .map(String::from)
        .to_vec()
}

const WHY: &str = "outage spreading to a second site";

/// A priority other than the case's.
fn other_priority(case: &Value) -> &'static str {
    if case["priority"] == "P1" { "P2" } else { "P1" }
}

/// How many of our (kimura's) history entries on a case say exactly `summary` (and, when
/// given, give `reason`); the demo's own history has others'.
fn history_with(case: &Value, summary: &str, reason: Option<&str>) -> usize {
    case["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter(|h| h["actor"] == "kimura" && h["summary"] == summary)
        .filter(|h| reason.is_none_or(|r| h["reason"] == r))
        .count()
}

fn version(case: &Value) -> i64 {
    case["version"].as_i64().expect("version")
}

/// Issue 14 item 2: the server applies a change, its answer is lost and the client killed
/// while waiting for it; the next sync sends it again. A note is replayed under its
/// `Idempotency-Key`; a status or priority change (a PATCH, which has none) meets `412` and is
/// recognised as already applied. Each ends on the server exactly once, with no conflict.
#[tokio::test]
async fn a_change_whose_answer_was_lost_lands_exactly_once() {
    let rig = Rig::new();
    let cases = rig.open_status_cases(3).await;
    let before: Vec<Value> =
        futures_util::future::join_all(cases.iter().map(|c| rig.case(c))).await;

    let body = "Rebooted the line card; answer lost on the way back";
    rig.queue_offline(&[note(&cases[0], body)]);
    let lost = rig.sync_killed_after_write(1);
    assert!(
        lost.starts_with(&format!("POST /v1/cases/{}/notes ", cases[0])),
        "{lost}"
    );
    assert_eq!(
        notes_with(&rig.server, &rig.token, &cases[0], body).await,
        1
    );
    let out = rig.sync_clean();
    assert!(out.contains("sent #"), "{out}");
    let case = rig.case(&cases[0]).await;
    assert_eq!(
        notes_with(&rig.server, &rig.token, &cases[0], body).await,
        1
    );
    assert_eq!(version(&case), version(&before[0]) + 1, "one write applied");

    rig.queue_offline(&[wait_on_customer(&cases[1])]);
    let lost = rig.sync_killed_after_write(1);
    assert!(
        lost.starts_with(&format!("PATCH /v1/cases/{} ", cases[1])),
        "{lost}"
    );
    rig.sync_clean();
    let case = rig.case(&cases[1]).await;
    assert_eq!(case["status"], "waiting_on_customer");
    assert_eq!(
        history_with(&case, "status open → waiting_on_customer", None),
        1,
        "{}",
        case["history"]
    );
    assert_eq!(version(&case), version(&before[1]) + 1, "one write applied");

    let to = other_priority(&before[2]);
    rig.queue_offline(&[reprioritise(&cases[2], to)]);
    let lost = rig.sync_killed_after_write(1);
    assert!(
        lost.starts_with(&format!("PATCH /v1/cases/{} ", cases[2])),
        "{lost}"
    );
    rig.sync_clean();
    let case = rig.case(&cases[2]).await;
    assert_eq!(case["priority"], to);
    let from = before[2]["priority"].as_str().expect("priority");
    assert_eq!(
        history_with(&case, &format!("priority {from} → {to}"), Some(WHY)),
        1,
        "{}",
        case["history"]
    );
    assert_eq!(version(&case), version(&before[2]) + 1, "one write applied");
}

/// Issue 14 item 2: four changes queued on one case against the same cached version — a note,
/// a status change, a priority change, another note — chained one after another when sent.
/// Whichever write's answer is lost before the client is killed, the next sync sends the rest
/// on the chain kept on disk: every change exactly once, none conflicting with our own.
#[tokio::test]
async fn a_chain_of_changes_on_one_case_survives_a_lost_answer_at_any_link() {
    let rig = Rig::new();
    let cases = rig.open_status_cases(4).await;
    for (i, number) in cases.iter().enumerate() {
        let lose = i + 1;
        let before = rig.case(number).await;
        let to = other_priority(&before);
        let first = format!("first of the chain, answer {lose} lost");
        let last = format!("last of the chain, answer {lose} lost");
        rig.queue_offline(&[
            note(number, &first),
            wait_on_customer(number),
            reprioritise(number, to),
            note(number, &last),
        ]);
        let lost = rig.sync_killed_after_write(lose);
        let expected = ["POST", "PATCH", "PATCH", "POST"][i];
        assert!(
            lost.starts_with(&format!("{expected} /v1/cases/{number}")),
            "{lost}"
        );
        let out = rig.sync_clean();

        let case = rig.case(number).await;
        let from = before["priority"].as_str().expect("priority");
        assert_eq!(
            (
                notes_with(&rig.server, &rig.token, number, &first).await,
                notes_with(&rig.server, &rig.token, number, &last).await,
                history_with(&case, "status open → waiting_on_customer", None),
                history_with(&case, &format!("priority {from} → {to}"), Some(WHY)),
            ),
            (1, 1, 1, 1),
            "answer {lose} lost: each change once; {out}; {}",
            case["history"]
        );
        assert_eq!(
            version(&case),
            version(&before) + 4,
            "answer {lose} lost: four writes applied"
        );
    }
}
