//! Calls, failed contact attempts and problem reports through the real binary against a real
//! `casedesk serve`: `cases call`, `cases contact-failed`, `cases set --problem-report`, and the
//! server's rule that waiting on engineering needs a linked problem report.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::desk::Desk;
use common::{Server, clock, number};
use serde_json::{Value, json};

/// A server, an agent's token and a fresh case of `priority` on tac-care by phone.
async fn desk_with_case(priority: &str) -> (Server, String, String) {
    let server = Server::start();
    let token = server.token("agent", "tanaka");
    let case = server
        .client(&token)
        .create_case(json!({
            "subject": "Core switch down at the Yokohama site",
            "priority": priority,
            "tier": "tac-care",
            "channel": "phone",
            "contact_name": "清水 拓也",
            "contact_phone": "045-662-3108",
        }))
        .await;
    (server, token, number(&case))
}

fn show(desk: &Desk, number: &str) -> Value {
    desk.run(&["cases", "show", number, "--json"]).json()
}

fn instant(v: &Value) -> DateTime<Utc> {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .unwrap_or_else(|| panic!("not an instant: {v}"))
        .with_timezone(&Utc)
}

#[tokio::test]
async fn a_logged_call_meets_first_response_and_restarts_the_update_clock() {
    let (server, token, n) = desk_with_case("P1").await;
    let desk = Desk::new(&server.base, &token);
    let before = show(&desk, &n);
    assert_eq!(clock(&before, "first_response")["state"], "running");

    let out = desk.run(&["cases", "call", &n]).ok().to_string();
    assert_eq!(out, format!("sent: call on {n}\n"));

    let case = show(&desk, &n);
    let note = case["notes"].as_array().expect("notes").last().cloned();
    let note = note.expect("the call is on the timeline");
    assert_eq!(note["kind"], "call");
    assert_eq!(note["body"], "Call with the customer");
    assert_eq!(note["visibility"], "public");
    let first = clock(&case, "first_response");
    assert_eq!(first["state"], "met", "{first}");
    assert_eq!(first["met_at"], note["created_at"]);
    // The update clock runs from the call: tac-care P1 updates every 4 hours.
    let update = clock(&case, "update");
    assert_eq!(update["state"], "running", "{update}");
    assert_eq!(update["started_at"], note["created_at"]);
    assert_eq!(
        instant(&update["due"]) - instant(&note["created_at"]),
        Duration::hours(4)
    );
    // The first response opens a new case.
    assert_eq!(case["status"], "open");

    // A second call with what was said restarts the update clock from that call.
    let out = desk
        .run(&["cases", "call", &n, "--message", "再起動後に復旧を確認"])
        .ok()
        .to_string();
    assert!(out.starts_with("sent: call on"), "{out}");
    let case = show(&desk, &n);
    let second = case["notes"].as_array().expect("notes").last().cloned();
    let second = second.expect("second call");
    assert_eq!(second["body"], "再起動後に復旧を確認");
    assert_eq!(
        clock(&case, "update")["started_at"],
        second["created_at"],
        "restarted by the second call"
    );
    // The human view labels it a call.
    let text = desk.run(&["cases", "show", &n]).ok().to_string();
    assert!(text.contains("[CALL] tanaka"), "{text}");
}

#[tokio::test]
async fn failed_contact_on_a_p1_makes_the_downgrade_available_an_hour_later() {
    let (server, token, n) = desk_with_case("P1").await;
    let desk = Desk::new(&server.base, &token);

    let run = desk.run(&["cases", "contact-failed", &n]);
    let out = run.ok();
    assert!(
        out.starts_with(&format!("sent: failed contact attempt on {n}\n")),
        "{out}"
    );
    assert!(
        out.contains("the temporary downgrade to P2 is available from"),
        "{out}"
    );
    let out = desk
        .run(&[
            "cases",
            "contact-failed",
            &n,
            "-m",
            "Called 045-662-3108 twice: voicemail",
        ])
        .ok()
        .to_string();
    assert!(out.starts_with("sent: failed contact attempt"), "{out}");

    let case = show(&desk, &n);
    let attempts: Vec<&Value> = case["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter(|n| n["kind"] == "contact_failed")
        .collect();
    assert_eq!(attempts.len(), 2, "{}", case["notes"]);
    assert_eq!(
        attempts[0]["body"],
        "Tried to reach the customer: no answer"
    );
    assert_eq!(attempts[1]["body"], "Called 045-662-3108 twice: voicemail");
    // Support's own record: the customer does not see it, and it is no response.
    assert!(attempts.iter().all(|a| a["visibility"] == "internal"));
    assert_eq!(clock(&case, "first_response")["state"], "running");
    let p1 = &case["clocks"]["p1_contact"];
    assert_eq!(p1["failing_since"], attempts[0]["created_at"], "{p1}");
    assert_eq!(
        instant(&p1["downgrade_available_at"]) - instant(&attempts[0]["created_at"]),
        Duration::hours(1),
        "{p1}"
    );
    assert_eq!(p1["downgrade_available"], false, "{p1}");
    let text = desk.run(&["cases", "show", &n]).ok().to_string();
    assert!(
        text.contains("temporary downgrade to P2 available from"),
        "{text}"
    );
    assert!(text.contains("[CONTACT FAILED] tanaka"), "{text}");
    // Not yet: the server says from when.
    desk.run(&[
        "cases",
        "set",
        &n,
        "--priority",
        "P2",
        "--temporary",
        "--why",
        "customer unreachable",
    ])
    .fails(1, "available only from");

    // An hour cannot pass in a test: the attempts are moved an hour back in the server's
    // database, which is what the server computes the clocks from.
    let db = rusqlite::Connection::open(&server.db).expect("open the server's database");
    let moved = db
        .execute(
            "UPDATE case_events SET at = strftime('%Y-%m-%dT%H:%M:%fZ', at, '-61 minutes') \
             WHERE case_number = ?1 AND event LIKE '%contact_failed%'",
            [&n],
        )
        .expect("move the attempts back");
    assert_eq!(moved, 2);
    drop(db);

    let later = Desk::new(&server.base, &token);
    let case = show(&later, &n);
    let p1 = &case["clocks"]["p1_contact"];
    assert_eq!(p1["downgrade_available"], true, "{p1}");
    let text = later.run(&["cases", "show", &n]).ok().to_string();
    assert!(
        text.contains("temporary downgrade to P2 available now"),
        "{text}"
    );
    let out = later
        .run(&[
            "cases",
            "set",
            &n,
            "--priority",
            "P2",
            "--temporary",
            "--why",
            "customer unreachable",
        ])
        .ok()
        .to_string();
    assert!(out.starts_with("sent:"), "{out}");
    let case = show(&later, &n);
    assert_eq!(case["priority"], "P2");
    assert_eq!(case["temporarily_downgraded"], true);
    let text = later.run(&["cases", "show", &n]).ok().to_string();
    assert!(
        text.contains("temporarily P2 (customer unreachable)"),
        "{text}"
    );
}

#[tokio::test]
async fn waiting_on_engineering_needs_a_linked_problem_report() {
    let (server, token, n) = desk_with_case("P3").await;
    let desk = Desk::new(&server.base, &token);
    desk.run(&["cases", "call", &n]).ok();

    // Without a problem report: refused before anything is sent, naming the flag.
    desk.run(&["cases", "set", &n, "--status", "waiting_on_engineering"])
        .fails(2, "--problem-report");
    // And the server refuses it too, naming the field.
    let p = server
        .client(&token)
        .patch_case(&n, &json!({ "status": "waiting_on_engineering" }))
        .await
        .problem(409, Some("status"));
    assert!(
        p["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("problem report"),
        "{p}"
    );

    let out = desk
        .run(&["cases", "set", &n, "--problem-report", "PR1234567"])
        .ok()
        .to_string();
    assert_eq!(out, format!("sent: problem report PR1234567 on {n}\n"));
    let out = desk
        .run(&["cases", "set", &n, "--status", "waiting_on_engineering"])
        .ok()
        .to_string();
    assert!(
        out.starts_with("sent: status → waiting_on_engineering"),
        "{out}"
    );
    let case = show(&desk, &n);
    assert_eq!(case["status"], "waiting_on_engineering");
    assert_eq!(case["problem_reports"], json!(["PR1234567"]));
    let text = desk.run(&["cases", "show", &n]).ok().to_string();
    assert!(text.contains("Problem reports: PR1234567"), "{text}");

    // Both in one change, two reports at once; a report linked twice is kept once.
    let (server2, token2, m) = desk_with_case("P3").await;
    let desk2 = Desk::new(&server2.base, &token2);
    desk2.run(&["cases", "call", &m]).ok();
    desk2
        .run(&[
            "cases",
            "set",
            &m,
            "--status",
            "waiting_on_engineering",
            "--problem-report",
            "BUG-2041",
            "--problem-report",
            "CSCwa12345",
            "--problem-report",
            "BUG-2041",
        ])
        .ok();
    let case = show(&desk2, &m);
    assert_eq!(case["status"], "waiting_on_engineering");
    assert_eq!(case["problem_reports"], json!(["BUG-2041", "CSCwa12345"]));
}

#[tokio::test]
async fn bad_input_exits_2_with_one_line_naming_the_field() {
    let (server, token, n) = desk_with_case("P2").await;
    let desk = Desk::new(&server.base, &token);
    for (args, field) in [
        (vec!["cases", "call", "2026-13"], "case number"),
        (vec!["cases", "contact-failed", "R21056835"], "case number"),
        (
            vec!["cases", "set", &n, "--problem-report", "PR 1234"],
            "--problem-report",
        ),
        (
            vec!["cases", "set", &n, "--problem-report", ""],
            "--problem-report",
        ),
    ] {
        let run = desk.run(&args);
        run.fails(2, field);
        assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    }
    let run = desk.run(&["cases", "set", &n, "--problem-report", "不具合"]);
    run.fails(2, "e.g. PR1234567");
    // The server names the field too.
    server
        .client(&token)
        .patch_case(&n, &json!({ "add_problem_reports": ["PR 1"] }))
        .await
        .problem(422, Some("add_problem_reports"));
    // Nothing reached the case.
    assert!(show(&desk, &n)["problem_reports"] == json!([]));
}

#[tokio::test]
async fn calls_and_attempts_made_offline_are_queued_and_sent_later() {
    let (mut server, token, n) = desk_with_case("P1").await;
    let desk = Desk::new(&server.base, &token);
    show(&desk, &n);
    server.stop();

    let out = desk.run(&["cases", "call", &n]).ok().to_string();
    assert!(out.starts_with(&format!("queued: call on {n}")), "{out}");
    let out = desk
        .run(&["cases", "contact-failed", &n, "-m", "line busy"])
        .ok()
        .to_string();
    assert!(
        out.starts_with(&format!("queued: failed contact attempt on {n}")),
        "{out}"
    );
    let outbox = desk.run(&["outbox"]).ok().to_string();
    assert!(
        outbox.contains("call \"Call with the customer\""),
        "{outbox}"
    );
    assert!(
        outbox.contains("failed contact attempt \"line busy\""),
        "{outbox}"
    );

    server.start_again_on_the_same_port();
    desk.run(&["sync"]).ok();
    let case = server.client(&token).case(&n).await;
    let kinds: Vec<&str> = case["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(|n| n["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["call", "contact_failed"]);
}
