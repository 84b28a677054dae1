//! casedesk on Request Tracker 5 (issue 18), end to end: a real RT (tests/common/rt.rs, one per
//! run of this file, seeded over REST 2) and the real binary on an RT profile. What RT holds is
//! checked through RT's own REST API, never through casedesk.
//!
//! Runs only with `CASEDESK_RT_TESTS=1` (after tests/fixtures/rt/install.sh); a plain
//! `cargo test` skips it and says so on the terminal.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::desk::Desk;
use common::fault_proxy::FaultProxy;
use common::pty::{Pty, Spawn, tui_env};
use common::rt::{QUEUE, Rt, write_rt_profile};
use serde_json::{Value, json};

const FIRST_SCREEN: Duration = Duration::from_secs(30);
const ACTION: Duration = Duration::from_secs(15);
const ENTER: &str = "\r";
const CTRL_S: &str = "\x13";

/// The case with this number in a `--json` list.
fn case_in(list: &Value, id: u32) -> Option<Value> {
    // The number is a string ("1234"), as for casedesk's own numbers.
    let want = id.to_string();
    list.as_array()
        .expect("a JSON array")
        .iter()
        .find(|c| c["number"].as_str() == Some(want.as_str()))
        .cloned()
}

/// The notes of a `cases show --json` case whose body contains `text`.
fn notes_with(case: &Value, text: &str) -> Vec<Value> {
    case["notes"]
        .as_array()
        .map(|notes| {
            notes
                .iter()
                .filter(|n| n["body"].as_str().is_some_and(|b| b.contains(text)))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn tickets_made_in_rt_are_cases_with_their_number_and_backend() {
    let Some(rt) = Rt::start() else { return };
    let root = rt.root();
    let id = root.create_ticket("Core switch reboots nightly (list)", "P2");
    let desk = rt.desk(&rt.agent1_token);

    let list = desk.run(&["cases", "list", "--json"]).json();
    let case = case_in(&list, id).unwrap_or_else(|| panic!("ticket {id} in the list: {list:#}"));
    assert_eq!(case["number"], id.to_string(), "{case:#}");
    assert_eq!(case["backend"], "rt", "{case:#}");
    assert_eq!(case["subject"], "Core switch reboots nightly (list)");
    assert_eq!(
        case["priority"], "P2",
        "the Severity custom field: {case:#}"
    );
    assert_eq!(case["status"], "new", "{case:#}");

    // The ticket's number in each form RT people write it.
    for form in [id.to_string(), format!("#{id}"), format!("rt#{id}")] {
        let shown = desk.run(&["cases", "show", &form, "--json"]).json();
        assert_eq!(shown["number"], id.to_string(), "{form}: {shown:#}");
        assert_eq!(shown["backend"], "rt", "{form}: {shown:#}");
        assert!(
            shown["description"]
                .as_str()
                .is_some_and(|d| d.contains("the customer's first mail")),
            "{form}: the creating mail is the description: {shown:#}"
        );
    }
    let text = desk.run(&["cases", "show", &format!("rt#{id}")]);
    assert!(
        text.ok().contains("Core switch reboots nightly (list)"),
        "{}",
        text.stdout
    );

    // Search finds it by number and by a word of its subject.
    let found = desk.run(&["search", &format!("#{id}"), "--json"]).json();
    assert!(
        found.to_string().contains(&format!("\"number\":\"{id}\"")),
        "{found:#}"
    );
    assert!(
        found.to_string().contains("\"backend\":\"rt\""),
        "{found:#}"
    );
}

#[test]
fn a_public_note_is_a_correspond_and_an_internal_one_a_comment() {
    let Some(rt) = Rt::start() else { return };
    let root = rt.root();
    let agent = rt.agent1();
    let id = root.create_ticket("Notes reach RT as RT's own kinds", "P3");
    let desk = rt.desk(&rt.agent1_token);
    desk.run(&["sync"]).ok();

    let public = "We replaced the line card; please confirm the link is up.";
    let internal = "Checked the optics: RX power fine (internal).";
    desk.run(&["cases", "note", &id.to_string(), "--public", "-m", public])
        .ok();
    desk.run(&[
        "cases",
        "note",
        &format!("#{id}"),
        "--internal",
        "-m",
        internal,
    ])
    .ok();

    assert_eq!(agent.count_messages(id, "Correspond", public), 1);
    assert_eq!(agent.count_messages(id, "Comment", public), 0);
    assert_eq!(agent.count_messages(id, "Comment", internal), 1);
    assert_eq!(agent.count_messages(id, "Correspond", internal), 0);
    let by: Vec<Value> = agent
        .history(id)
        .into_iter()
        .filter(|t| t["Type"] == "Comment" || t["Type"] == "Correspond")
        .map(|t| t["Creator"]["id"].clone())
        .collect();
    assert!(
        by.iter().all(|c| c == "agent1"),
        "written as agent1: {by:?}"
    );

    // And casedesk reads them back with their visibility.
    let case = desk
        .run(&["cases", "show", &id.to_string(), "--json"])
        .json();
    let p = notes_with(&case, public);
    let i = notes_with(&case, internal);
    assert_eq!(p.len(), 1, "{case:#}");
    assert_eq!(i.len(), 1, "{case:#}");
    assert_eq!(p[0]["visibility"], "public", "{:#}", p[0]);
    assert_eq!(i[0]["visibility"], "internal", "{:#}", i[0]);
}

#[test]
fn take_status_and_priority_land_in_rt() {
    let Some(rt) = Rt::start() else { return };
    let root = rt.root();
    let id = root.create_ticket("Take, status and priority", "P3");
    let desk = rt.desk(&rt.agent1_token);
    desk.run(&["sync"]).ok();
    let n = id.to_string();

    desk.run(&["cases", "set", &n, "--take"]).ok();
    assert_eq!(root.owner(id), "agent1");

    desk.run(&["cases", "set", &n, "--status", "waiting_on_customer"])
        .ok();
    assert_eq!(root.ticket(id)["Status"], "stalled");

    desk.run(&[
        "cases",
        "set",
        &format!("rt#{id}"),
        "--priority",
        "P1",
        "--why",
        "the whole site is down",
    ])
    .ok();
    assert_eq!(root.custom_field(id, "Severity").as_deref(), Some("P1"));

    let case = desk.run(&["cases", "show", &n, "--json"]).json();
    assert_eq!(case["priority"], "P1", "{case:#}");
    assert_eq!(case["status"], "waiting_on_customer", "{case:#}");
    assert_eq!(case["owner"], "agent1", "{case:#}");
}

#[test]
fn rt_refusals_are_shown_in_rts_words() {
    let Some(rt) = Rt::start() else { return };
    let root = rt.root();
    let id = root.create_ticket("Someone else's ticket", "P3");
    rt.agent2().send(
        reqwest::Method::PUT,
        &format!("/ticket/{id}/take"),
        None,
        None,
    );
    assert_eq!(root.owner(id), "agent2");
    let desk = rt.desk(&rt.agent1_token);
    desk.run(&["sync"]).ok();
    // An owner RT does not know: RT says no with 200 and a message; casedesk must not say done.
    let run = desk.run(&[
        "cases",
        "set",
        &id.to_string(),
        "--owner",
        "nobody-such-agent",
    ]);
    assert_ne!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(root.owner(id), "agent2", "nothing changed in RT");
}

#[test]
fn a_change_made_in_rt_by_someone_else_shows_after_one_sync() {
    let Some(rt) = Rt::start() else { return };
    let root = rt.root();
    let id = root.create_ticket("Changed behind the desk's back", "P4");
    let desk = rt.desk(&rt.agent1_token);
    desk.run(&["sync"]).ok();
    let before = desk
        .run(&["cases", "show", &id.to_string(), "--json", "--offline"])
        .json();
    assert_eq!(before["priority"], "P4", "{before:#}");

    // agent2 works on the ticket in RT itself.
    let agent2 = rt.agent2();
    agent2.put(
        &format!("/ticket/{id}"),
        &json!({"CustomFields": {"Severity": "P2"}, "Status": "open"}),
    );
    agent2
        .post_ok(
            &format!("/ticket/{id}/comment"),
            &json!({"Content": "agent2 looked at the logs", "ContentType": "text/plain"}),
        )
        .unwrap_or_else(|e| panic!("{e}"));

    desk.run(&["sync"]).ok();
    let after = desk
        .run(&["cases", "show", &id.to_string(), "--json", "--offline"])
        .json();
    assert_eq!(after["priority"], "P2", "{after:#}");
    assert_eq!(after["status"], "open", "{after:#}");
    assert_eq!(
        notes_with(&after, "agent2 looked at the logs").len(),
        1,
        "{after:#}"
    );
    let list = desk.run(&["cases", "list", "--json", "--offline"]).json();
    let row = case_in(&list, id).expect("in the cached list");
    assert_eq!(row["priority"], "P2", "{row:#}");
}

#[test]
fn two_clients_racing_on_one_ticket_one_applies_the_other_is_kept_as_a_conflict() {
    let Some(rt) = Rt::start() else { return };
    let root = rt.root();
    let id = root.create_ticket("Two agents, one ticket", "P3");
    let n = id.to_string();
    let proxy_a = FaultProxy::start(&rt.url);
    let proxy_b = FaultProxy::start(&rt.url);
    let a = Desk::new(&proxy_a.base, &rt.agent1_token);
    write_rt_profile(&a, "");
    let b = Desk::new(&proxy_b.base, &rt.agent2_token);
    write_rt_profile(&b, "");
    a.run(&["sync"]).ok();
    b.run(&["sync"]).ok();

    // Both write against the version they read, neither seeing the other's.
    proxy_a.down();
    proxy_b.down();
    let queued_a = a.run(&["cases", "set", &n, "--status", "waiting_on_customer"]);
    assert!(queued_a.ok().contains("queued"), "{}", queued_a.stdout);
    let queued_b = b.run(&["cases", "set", &n, "--status", "resolved"]);
    assert!(queued_b.ok().contains("queued"), "{}", queued_b.stdout);
    proxy_a.up();
    proxy_b.up();

    let out_a = a.run(&["sync"]).ok().to_string();
    assert!(out_a.contains("sent #"), "{out_a}");
    let run_b = b.run(&["sync"]);
    assert!(
        run_b.stdout.contains("conflicted #"),
        "{}\n{}",
        run_b.stdout,
        run_b.stderr
    );
    let outbox = b.run(&["outbox", "list", "--json"]).json();
    assert_eq!(outbox.as_array().map(Vec::len), Some(1), "{outbox:#}");
    assert_eq!(outbox[0]["state"], "conflicted", "{outbox:#}");
    assert_eq!(root.ticket(id)["Status"], "stalled", "A's change alone");
    let empty = a.run(&["outbox", "list", "--json"]).json();
    assert_eq!(empty, json!([]), "A's outbox is empty");
}

#[test]
fn rt_stopped_the_cache_reads_and_a_queued_note_reaches_rt_once_after_a_crash() {
    let Some(rt) = Rt::exclusive() else { return };
    let root = rt.root();
    let ids: Vec<u32> = (0..3)
        .map(|i| root.create_ticket(&format!("Readable offline {i}"), "P3"))
        .collect();
    let desk = rt.desk(&rt.agent1_token);
    desk.run(&["sync"]).ok();

    rt.stop();
    let list = desk.run(&["cases", "list", "--json"]);
    let list_json: Value = serde_json::from_str(list.ok()).expect("JSON");
    for id in &ids {
        assert!(
            case_in(&list_json, *id).is_some(),
            "{id} offline: {list_json:#}"
        );
        let shown = desk
            .run(&["cases", "show", &id.to_string(), "--json"])
            .json();
        assert_eq!(
            shown["subject"]
                .as_str()
                .map(|s| s.starts_with("Readable offline")),
            Some(true)
        );
    }
    let note = "Written while RT was down (exactly once)";
    let queued = desk.run(&[
        "cases",
        "note",
        &ids[0].to_string(),
        "--internal",
        "-m",
        note,
    ]);
    assert!(queued.ok().starts_with("queued"), "{}", queued.stdout);

    rt.start_again();
    // Killed after RT applied the comment and before the outbox forgot it.
    let crashed = desk
        .command(&["sync"])
        .env("CASEDESK_TEST_CRASH", "sent:1")
        .output()
        .expect("run casedesk");
    assert!(
        !crashed.status.success(),
        "the sync should have been killed: {}",
        String::from_utf8_lossy(&crashed.stdout)
    );
    assert_eq!(
        root.count_messages(ids[0], "Comment", note),
        1,
        "applied before the crash"
    );

    let out = desk.run(&["sync"]).ok().to_string();
    assert!(!out.contains("conflicted"), "{out}");
    let left = desk.run(&["outbox", "list", "--json"]).json();
    assert_eq!(left, json!([]), "the outbox is empty");
    assert_eq!(
        root.count_messages(ids[0], "Comment", note),
        1,
        "exactly once"
    );
    assert_eq!(root.count_messages(ids[0], "Correspond", note), 0);
}

#[test]
fn casedesk_only_features_say_they_are_not_on_request_tracker() {
    let Some(rt) = Rt::start() else { return };
    let id = rt.root().create_ticket("Casedesk-only features", "P3");
    let desk = rt.desk(&rt.agent1_token);
    desk.run(&["sync"]).ok();
    let file = desk.dir.join("log.txt");
    std::fs::write(&file, "show tech\n").expect("write a file");
    let file = file.display().to_string();
    let n = id.to_string();
    for (args, what) in [
        (vec!["rma", "list"], "RMAs"),
        (vec!["entitlement", "FOC1234X0AB"], "entitlements"),
        (vec!["entitlements", "list"], "entitlements"),
        (vec!["mail", "held"], "mail"),
        (
            vec!["cases", "attach", n.as_str(), file.as_str()],
            "attachments",
        ),
    ] {
        let run = desk.run(&args);
        assert_ne!(run.code, 0, "{args:?}: {}", run.stdout);
        assert!(
            run.stderr.contains(what) && run.stderr.contains("Request Tracker"),
            "{args:?} names the feature and the backend: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

#[test]
fn login_checks_the_token_against_rt_and_keeps_the_rt_profile() {
    let Some(rt) = Rt::start() else { return };
    let mut desk = Desk::new(&rt.url, &rt.agent1_token);
    desk.server = None;
    desk.token = None;
    // The administrator's part of the profile: which queues the desk follows.
    let dir = desk.config_dir();
    std::fs::create_dir_all(&dir).expect("config dir");
    std::fs::write(
        dir.join("config.toml"),
        format!("[profiles.default]\nqueues = [\"{QUEUE}\"]\n"),
    )
    .expect("config.toml");
    let bad = desk.run_with(
        &["login", "--server", &rt.url, "--backend", "rt"],
        "1-1-nonsense\n",
    );
    assert_ne!(bad.code, 0, "{}", bad.stdout);
    assert!(!bad.stderr.contains("panicked"), "{}", bad.stderr);

    let run = desk.run_with(
        &["login", "--server", &rt.url, "--backend", "rt"],
        &format!("{}\n", rt.agent1_token),
    );
    let out = run.ok();
    assert!(out.contains("agent1"), "{out}");
    let config = std::fs::read_to_string(desk.config_dir().join("config.toml"))
        .expect("the config was written");
    assert!(config.contains("backend = \"rt\""), "{config}");
    assert!(config.contains(&rt.url), "{config}");

    // The saved profile works without the environment.
    let id = rt.root().create_ticket("After login", "P4");
    let list = desk.run(&["cases", "list", "--json"]).json();
    let case = case_in(&list, id).unwrap_or_else(|| panic!("{list:#}"));
    assert_eq!(case["backend"], "rt");
}

#[test]
fn the_tui_on_rt_lists_opens_and_notes_a_ticket() {
    let Some(rt) = Rt::start() else { return };
    let subject = "Unique walrus outage on RT";
    let id = rt.root().create_ticket(subject, "P2");
    let home = common::temp_dir("casedesk-pty-rt");
    let config = home.join("config").join("casedesk");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(
        config.join("config.toml"),
        format!("[profiles.default]\nbackend = \"rt\"\nqueues = [\"{QUEUE}\"]\n"),
    )
    .expect("config");
    let mut tui = Pty::spawn(Spawn {
        program: PathBuf::from(env!("CARGO_BIN_EXE_casedesk")),
        args: Vec::new(),
        env: tui_env(&home, &rt.url, &rt.agent1_token),
        cols: 160,
        rows: 48,
    });
    tui.home = Some(home);
    tui.wait_for(subject, FIRST_SCREEN);

    tui.send("/walrus");
    tui.wait_for("/walrus", ACTION);
    tui.send(ENTER);
    tui.send(ENTER);
    tui.wait_for(&format!("▶ Case {id}"), ACTION);

    tui.send("i");
    tui.wait_for(&format!("Note on {id}"), ACTION);
    let note = "Walrus moved off the fibre 移動";
    tui.send(note);
    tui.wait_for(note, ACTION);
    tui.send(CTRL_S);
    tui.wait_for(&format!("{id}: internal note \"{note}\" — saved"), ACTION);

    let agent = rt.agent1();
    assert_eq!(agent.count_messages(id, "Comment", note), 1);
    assert_eq!(agent.count_messages(id, "Correspond", note), 0);
    tui.quit_restored("q", ACTION);
}
