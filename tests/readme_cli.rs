//! README promises of the command line and the server, end to end: the real binary, real files
//! and a real `casedesk serve` — `--config FILE`, `token list` / `token revoke`, `serve
//! --policies` / `--calendar-file` / `--seed`, `sla clocks --history -`, `cases list --mine` /
//! `--sort`, and an online `cases set --status` / `--priority`. (Exit 1 for "unreachable with
//! nothing cached" is `cli_hostile::unreachable_with_nothing_cached_fails_instead_of_listing_nothing`.)

mod common;

use chrono::{DateTime, Utc};
use common::desk::Desk;
use common::{Server, clock, number, numbers_in};
use serde_json::{Value, json};

/// A demo server small enough to seed in a moment.
fn demo() -> Server {
    Server::start_with(&["--demo", "--demo-cases", "60"])
}

fn instant(v: &Value) -> DateTime<Utc> {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .unwrap_or_else(|| panic!("not an instant: {v}"))
        .with_timezone(&Utc)
}

/// A clock of `sla clocks --json`.
fn sla_clock<'a>(out: &'a Value, kind: &str) -> &'a Value {
    out["clocks"]
        .as_array()
        .expect("clocks")
        .iter()
        .find(|c| c["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} clock: {out}"))
}

/// The rows of `token list` as (name, role, revoked).
fn token_rows(desk: &Desk, db: &str) -> Vec<(String, String, String)> {
    let out = desk.run(&["token", "list", "--db", db]).ok().to_string();
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().expect("a header").split_whitespace().collect();
    assert_eq!(header, ["NAME", "ROLE", "CREATED", "REVOKED"], "{out}");
    lines
        .map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            // name role YYYY-MM-DD HH:MM UTC [YYYY-MM-DD HH:MM UTC]
            let revoked = if w.len() > 5 {
                w[5..].join(" ")
            } else {
                String::new()
            };
            (w[0].to_string(), w[1].to_string(), revoked)
        })
        .collect()
}

#[tokio::test]
async fn token_list_names_roles_and_revoke_ends_the_token_at_once() {
    let server = Server::start();
    let agent = server.token("agent", "tanaka");
    let viewer = server.token("viewer", "wall");
    let desk = Desk::new(&server.base, &agent);
    let db = server.db.display().to_string();

    let mut rows = token_rows(&desk, &db);
    rows.sort();
    assert_eq!(
        rows,
        [
            ("tanaka".to_string(), "agent".to_string(), String::new()),
            ("wall".to_string(), "viewer".to_string(), String::new()),
        ],
        "no secret, no revocation yet"
    );
    let listed = desk.run(&["token", "list", "--db", &db]).ok().to_string();
    assert!(
        !listed.contains(&agent) && !listed.contains(&viewer),
        "token list never prints a secret:\n{listed}"
    );
    server.client(&agent).get("/v1/me").await.expect(200);

    let out = desk.run(&["token", "revoke", "--db", &db, "tanaka"]);
    assert_eq!(out.ok(), "revoked the token of tanaka\n");
    let mut rows = token_rows(&desk, &db);
    rows.sort();
    assert_eq!(rows[0].0, "tanaka");
    assert!(rows[0].2.ends_with(" UTC"), "a revocation date: {rows:?}");
    assert_eq!(rows[1].2, "", "the viewer's token is untouched: {rows:?}");
    // The running server refuses it at once; the other token still works.
    server.client(&agent).get("/v1/me").await.expect(401);
    server.client(&viewer).get("/v1/me").await.expect(200);
}

/// The demo cases of a server as (subject, priority, serial), in number order.
async fn demo_desk(server: &Server) -> Vec<(Value, Value, Value)> {
    let token = server.token("viewer", "wall");
    let list = server
        .client(&token)
        .get("/v1/cases?sort=number&limit=500")
        .await
        .expect(200);
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| {
            (
                c["subject"].clone(),
                c["priority"].clone(),
                c["serial_number"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn serve_seed_makes_the_same_demo_desk_and_another_seed_another() {
    let args = |seed: &'static str| ["--demo", "--demo-cases", "25", "--seed", seed];
    let a = demo_desk(&Server::start_with(&args("7"))).await;
    let b = demo_desk(&Server::start_with(&args("7"))).await;
    let c = demo_desk(&Server::start_with(&args("8"))).await;
    assert_eq!(a.len(), 25, "--demo-cases 25");
    assert_eq!(a, b, "the same seed, the same desk");
    assert_ne!(a, c, "another seed, another desk");
}

const POLICIES: &str = r#"
site_calendar = "night-desk"

[tier.tac-care]
description = "Care, as this desk runs it"
first_response.any = { P1 = "5m 24x7", P2 = "7m 24x7", P3 = "11m 24x7", P4 = "1bd" }
update.any = { P1 = "4h 24x7", P2 = "1bd", P3 = "3bd", P4 = "7d" }
"#;

const CALENDARS: &str = r#"
[[calendar]]
name = "night-desk"
description = "Every hour counts; a business day is one hour of it"
zone = "UTC"
business_day = "1h"

[calendar.hours]
mon = ["00:00-24:00"]
tue = ["00:00-24:00"]
wed = ["00:00-24:00"]
thu = ["00:00-24:00"]
fri = ["00:00-24:00"]
sat = ["00:00-24:00"]
sun = ["00:00-24:00"]
"#;

#[tokio::test]
async fn serve_policies_and_calendar_file_set_the_targets_the_server_computes() {
    let dir = common::temp_dir("casedesk-readme-sla");
    let policies = dir.join("policies.toml");
    let calendars = dir.join("calendars.toml");
    std::fs::write(&policies, POLICIES).expect("write the policies");
    std::fs::write(&calendars, CALENDARS).expect("write the calendars");
    let server = Server::start_with(&[
        "--policies",
        &policies.display().to_string(),
        "--calendar-file",
        &calendars.display().to_string(),
    ]);
    let api = server.login("agent", "tanaka");

    let served = api.get("/v1/policies").await.expect(200);
    assert_eq!(served["site_calendar"], "night-desk");
    let cals = api.get("/v1/calendars").await.expect(200);
    let night = cals
        .as_array()
        .expect("calendars")
        .iter()
        .find(|c| c["name"] == "night-desk")
        .unwrap_or_else(|| panic!("the file's calendar is served: {cals}"));
    assert_eq!(night["zone"], "UTC");

    // The file's tier replaces the preset: P3 first response in 11 minutes, wall clock; P4's
    // "1bd" runs on the file's site calendar, whose business day is one hour.
    for (priority, minutes) in [("P3", 11), ("P4", 60)] {
        let case = api
            .create_case(json!({ "priority": priority, "tier": "tac-care", "channel": "web" }))
            .await;
        let first = clock(&case, "first_response");
        let due = instant(&first["due"]) - instant(&case["created_at"]);
        assert_eq!(
            due.num_seconds(),
            minutes * 60,
            "{priority} first response: {first}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// The README's example history.
const HISTORY: &str = r#"{
  "created_at": "2026-11-20T07:00:00Z", "priority": "P1", "tier": "tac-care", "channel": "phone",
  "events": [
    {"at": "2026-11-20T07:20:00Z", "event": "note", "visibility": "public", "by": "support"},
    {"at": "2026-11-20T07:40:00Z", "event": "status_changed", "to": "waiting_on_customer"},
    {"at": "2026-11-20T07:45:00Z", "event": "contact_failed"}
  ]
}"#;

#[test]
fn sla_clocks_reads_the_history_from_stdin() {
    let desk = Desk::new("http://127.0.0.1:9", "unused");
    let args = [
        "sla",
        "clocks",
        "--history",
        "-",
        "--now",
        "2026-11-20T08:00:00Z",
        "--json",
    ];
    let out = desk.run_with(&args, HISTORY).json();
    let kinds: Vec<&str> = out["clocks"]
        .as_array()
        .expect("clocks")
        .iter()
        .map(|c| c["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["first_response", "update", "auto_close"]);
    // Met by the public note at 07:20 (1 h on the wall clock from 07:00).
    let first = sla_clock(&out, "first_response");
    assert_eq!(first["state"], "met");
    assert_eq!(first["met_at"], "2026-11-20T07:20:00Z");
    // The update clock ran 07:20–07:40 of its 4 h, then paused waiting on the customer.
    let update = sla_clock(&out, "update");
    assert_eq!(update["state"], "paused");
    assert_eq!(update["remaining_working_secs"], 4 * 3600 - 20 * 60);
    // Auto-close: 14 days from 07:40; at 08:00, 20 minutes of it are gone.
    let close = sla_clock(&out, "auto_close");
    assert_eq!(close["due"], "2026-12-04T07:40:00Z");
    assert_eq!(close["remaining_secs"], 14 * 86400 - 20 * 60);
    // The failed contact at 07:45 makes the downgrade available an hour later.
    assert_eq!(
        out["p1_contact"]["downgrade_available_at"],
        "2026-11-20T08:45:00Z"
    );
    assert_eq!(out["p1_contact"]["downgrade_available"], false);

    // The same from a file, and in the table.
    let dir = common::temp_dir("casedesk-readme-history");
    let file = dir.join("case.json");
    std::fs::write(&file, HISTORY).expect("write the history");
    let from_file = desk
        .run(&[
            "sla",
            "clocks",
            "--history",
            &file.display().to_string(),
            "--now",
            "2026-11-20T08:00:00Z",
            "--json",
        ])
        .json();
    assert_eq!(from_file, out);
    let table = desk.run_with(&args[..6], HISTORY).ok().to_string();
    assert!(
        table.contains("next update     paused   4h 24x7"),
        "{table}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn cases_list_mine_and_sort_follow_the_server() {
    let server = demo();
    let token = server.token("agent", "kimura");
    let api = server.client(&token);
    let desk = Desk::new(&server.base, &token);

    // --mine: exactly the open cases the server has for kimura.
    let mine = desk.run(&["cases", "list", "--mine", "--json"]).json();
    let theirs = api
        .get("/v1/cases?open=true&owner=kimura&sort=next_due&limit=500")
        .await
        .expect(200);
    let want = numbers_in(&theirs["items"]);
    assert!(!want.is_empty(), "the demo gives kimura open cases");
    assert_eq!(numbers_in(&mine), want);
    for c in mine.as_array().expect("array") {
        assert_eq!(c["owner"], "kimura", "{c}");
    }

    // --sort: the order computed here from the rows themselves, both ways.
    let all = desk
        .run(&["cases", "list", "--sort", "number", "--json"])
        .json();
    let got = numbers_in(&all);
    let mut sorted = got.clone();
    sorted.sort();
    assert_eq!(got, sorted, "--sort number");
    assert!(got.len() > 20, "the demo's open cases: {}", got.len());
    let desc = desk
        .run(&["cases", "list", "--sort", "number:desc", "--json"])
        .json();
    sorted.reverse();
    assert_eq!(numbers_in(&desc), sorted, "--sort number:desc");

    let by_updated = desk
        .run(&["cases", "list", "--sort", "updated:desc", "--json"])
        .json();
    let times: Vec<DateTime<Utc>> = by_updated
        .as_array()
        .expect("array")
        .iter()
        .map(|c| instant(&c["updated_at"]))
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "--sort updated:desc is newest first: {times:?}"
    );
    assert_eq!(times.len(), got.len(), "the same cases, another order");
}

#[tokio::test]
async fn cases_set_status_and_priority_reach_the_server_online() {
    let server = Server::start();
    let token = server.token("agent", "tanaka");
    let api = server.client(&token);
    let case = api
        .create_case(json!({ "priority": "P3", "tier": "tac-care", "channel": "web" }))
        .await;
    let n = number(&case);
    let desk = Desk::new(&server.base, &token);

    let out = desk.run(&["cases", "set", &n, "--status", "open"]);
    assert!(out.ok().starts_with("sent:"), "{}", out.stdout);
    assert_eq!(api.case(&n).await["status"], "open");
    let out = desk.run(&["cases", "set", &n, "--status", "waiting_on_customer"]);
    assert!(out.ok().starts_with("sent:"), "{}", out.stdout);
    assert_eq!(api.case(&n).await["status"], "waiting_on_customer");

    let out = desk.run(&[
        "cases",
        "set",
        &n,
        "--priority",
        "P1",
        "--why",
        "outage spreading to a second site",
    ]);
    assert!(out.ok().starts_with("sent:"), "{}", out.stdout);
    let now = api.case(&n).await;
    assert_eq!(now["priority"], "P1");
    assert_eq!(now["version"], 4, "three writes, each once: {now}");
    // Online, nothing stays behind in the outbox.
    let outbox = desk.run(&["outbox", "list", "--json"]).json();
    assert_eq!(outbox, json!([]));
}

#[tokio::test]
async fn config_file_given_with_config_is_the_one_read() {
    let server = Server::start();
    let token = server.token("agent", "tanaka");
    let api = server.client(&token);
    let case = api
        .create_case(json!({ "subject": "Config from a file" }))
        .await;
    let n = number(&case);

    // A desk with nothing in its environment and nothing in its own config directory.
    let mut desk = Desk::new(&server.base, &token);
    desk.server = None;
    desk.token = None;
    let elsewhere = common::temp_dir("casedesk-readme-config");
    let token_file = elsewhere.join("lab.token");
    std::fs::write(&token_file, format!("{token}\n")).expect("write the token");
    std::fs::set_permissions(
        &token_file,
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .expect("chmod 600");
    let config = elsewhere.join("desk.toml");
    std::fs::write(
        &config,
        format!(
            "default_profile = \"lab\"\ntimezone = \"UTC\"\n\n[profiles.lab]\nserver = \"{}\"\ntoken_file = \"lab.token\"\n",
            server.base
        ),
    )
    .expect("write the config");
    let config = config.display().to_string();

    let listed = desk
        .run(&["--config", &config, "cases", "list", "--json"])
        .json();
    assert_eq!(numbers_in(&listed), std::slice::from_ref(&n));
    // Without the flag the same desk has no server to ask.
    let run = desk.run(&["cases", "list", "--json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // The file's time zone shows: UTC, where the desk's environment says Asia/Tokyo.
    let shown = desk.run(&["--config", &config, "cases", "show", &n]);
    let created = instant(&case["created_at"]);
    let utc = created.format("%m-%d %H:%M").to_string();
    assert!(
        shown.ok().contains(&utc),
        "times in UTC ({utc}):\n{}",
        shown.stdout
    );
    // A bad file is refused with its line.
    std::fs::write(&config, "default_profile = \"lab\"\n[profiles.lab\n").expect("write");
    desk.run(&["--config", &config, "cases", "list"])
        .fails(2, "line 2");
    let _ = std::fs::remove_dir_all(elsewhere);
}
