//! Assigning from the command line against a real `casedesk serve` (issue 12 items 4 and 5):
//! `casedesk cases assign` refuses a name that is nobody before sending (exit 2, one line), and
//! a change the server refuses for good is reported and not left in the outbox.

mod common;

use common::Server;
use common::desk::Desk;
use serde_json::json;

/// A server with a lead, an agent and two colleagues; a case the lead gave to sato.
async fn desk() -> (Server, String, String, String) {
    let server = Server::start();
    let lead = server.token("lead", "suzuki");
    let agent = server.token("agent", "tanaka");
    server.token("agent", "kimura");
    server.token("agent", "sato");
    let case = server
        .client(&lead)
        .create_case(json!({ "subject": "Core switch reloads", "owner": "sato" }))
        .await;
    let number = case["number"].as_str().expect("a number").to_string();
    (server, lead, agent, number)
}

#[tokio::test]
async fn cases_assign_refuses_an_unknown_name_with_one_usage_line() {
    let (server, lead, _, number) = desk().await;
    let desk = Desk::new(&server.base, &lead);
    let run = desk.run(&["cases", "assign", &number, "kimuraa"]);
    run.fails(
        2,
        "invalid owner 'kimuraa': expected the name of an active person (did you mean kimura?)",
    );
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    // Nothing was queued or sent.
    let outbox = desk.run(&["outbox", "list", "--json"]).json();
    assert_eq!(outbox.as_array().map(Vec::len), Some(0), "{outbox}");
    assert_eq!(server.client(&lead).case(&number).await["owner"], "sato");

    // With nothing near, the line gives examples of names that would do.
    let run = desk.run(&["cases", "set", &number, "--owner", "zzz"]);
    run.fails(
        2,
        "invalid owner 'zzz': expected the name of an active person, e.g. ",
    );
    assert!(run.stderr.contains("kimura"), "{}", run.stderr);

    // A real name goes through; `none` unassigns.
    let out = desk
        .run(&["cases", "assign", &number, "kimura"])
        .ok()
        .to_string();
    assert!(out.starts_with("sent: "), "{out}");
    assert_eq!(server.client(&lead).case(&number).await["owner"], "kimura");
    desk.run(&["cases", "assign", &number, "none"]).ok();
    assert!(server.client(&lead).case(&number).await["owner"].is_null());
}

#[tokio::test]
async fn a_change_refused_for_good_is_reported_and_not_kept() {
    let (server, lead, agent, number) = desk().await;
    let desk = Desk::new(&server.base, &agent);
    // An agent taking sato's case: 403 from the server, which no retry can change.
    let run = desk.run(&["cases", "set", &number, "--take"]);
    run.fails(1, "not kept in the outbox");
    let outbox = desk.run(&["outbox", "list", "--json"]).json();
    assert_eq!(outbox.as_array().map(Vec::len), Some(0), "{outbox}");
    assert_eq!(server.client(&lead).case(&number).await["owner"], "sato");
}
