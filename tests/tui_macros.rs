//! The macro picker in a pseudo-terminal against a real `casedesk serve`: the team's macro
//! (put by a lead) is found by typing part of its name, its preview shows the text filled in
//! for the case, and Enter sends its note and its status change — each once — to the server.

mod common;

use std::time::{Duration, Instant};

use common::Server;
use common::pty::{Pty, framed};
use reqwest::Method;
use serde_json::{Value, json};

const FIRST_SCREEN: Duration = Duration::from_secs(30);
const ACTION: Duration = Duration::from_secs(15);

/// Waits until the server's copy of the case satisfies `done`.
fn case_when(
    rt: &tokio::runtime::Runtime,
    api: &common::Api,
    number: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let start = Instant::now();
    loop {
        let case = rt.block_on(api.case(number));
        if done(&case) {
            return case;
        }
        assert!(
            start.elapsed() < ACTION,
            "the case never got there: {case:#}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_picker_fills_the_macro_for_the_case_and_enter_sends_note_and_status_once() {
    let server = Server::start();
    let lead = server.client(&server.token("lead", "yamamoto"));
    let token = server.token("agent", "tanaka");
    let api = server.client(&token);
    let rt = common::rt();

    let subject = "Edge router drops BGP sessions";
    let case = rt.block_on(api.create_case(json!({
        "subject": subject, "contact_name": "Hanako Sato", "owner": "tanaka",
    })));
    let number = case["number"].as_str().expect("a case number").to_string();
    let version = rt.block_on(api.version(&number));
    rt.block_on(api.patch(
        &format!("/v1/cases/{number}"),
        Some(&version),
        &json!({"status": "open"}),
    ))
    .expect(200);
    for (name, en, status) in [
        (
            "info-needed",
            "Dear {contact}, to look into case {case} we need the software version and the serial number.",
            Some("waiting_on_customer"),
        ),
        ("ack", "Case {case} is open.", None),
    ] {
        let mut changes = json!({});
        if let Some(s) = status {
            changes["status"] = json!(s);
        }
        let body = json!({"name": name, "text_en": en, "text_ja": en, "changes": changes});
        let put = rt.block_on(lead.send_raw(
            Method::PUT,
            &format!("/v1/macros/{name}"),
            "application/json",
            body.to_string(),
            &[],
        ));
        // Created, or one of the shipped defaults replaced.
        assert!(
            matches!(put.status.as_u16(), 200 | 201),
            "PUT /v1/macros/{name}: {}",
            put.status
        );
    }

    let tui = Pty::casedesk_sized(&server.base, &token, &[], 120, 40);
    tui.wait_for(subject, FIRST_SCREEN);
    tui.wait_for("● online", ACTION);

    tui.send("M");
    tui.wait_for("Macros", ACTION);
    tui.send("info");
    let filled = format!("Dear Hanako Sato, to look into case {number}");
    // The preview wraps inside its frame: read it without the borders and line ends.
    let unframed = |screen: &str| {
        screen
            .replace(['│', '┃', '║'], " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let screen = tui.wait_until("the preview filled in for the case", ACTION, |s| {
        unframed(&s.contents()).contains(&filled)
    });
    assert!(
        screen.contains("Waiting on customer"),
        "the preview shows the change:\n{}",
        framed(&screen)
    );
    assert!(!screen.contains("{contact}"), "{}", framed(&screen));
    tui.send("\r");

    let case = case_when(&rt, &api, &number, |c| {
        c["status"] == "waiting_on_customer" && c["notes"].as_array().is_some_and(|n| !n.is_empty())
    });
    let notes = case["notes"].as_array().expect("notes");
    assert_eq!(notes.len(), 1, "one note, sent once: {case:#}");
    assert_eq!(
        notes[0]["body"],
        format!(
            "Dear Hanako Sato, to look into case {number} we need the software version and the serial number."
        )
    );
    assert_eq!(notes[0]["visibility"], "public");
    // Still once after the next sync rounds: one note, one status change.
    tui.send("r");
    tui.wait_for("● online", ACTION);
    for _ in 0..10 {
        let case = rt.block_on(api.case(&number));
        assert_eq!(case["notes"].as_array().map(Vec::len), Some(1), "{case:#}");
        let moves = case["history"]
            .as_array()
            .map(|h| {
                h.iter()
                    .filter(|e| e["summary"].as_str().is_some_and(|s| s.contains("waiting")))
                    .count()
            })
            .unwrap_or_default();
        assert_eq!(moves, 1, "one status change: {case:#}");
        std::thread::sleep(Duration::from_millis(100));
    }
}
