//! `casedesk rma show` and `casedesk rma set` through the real binary against a real server:
//! forward moves, a refused move with the allowed ones, the receipt and the analysis due date,
//! bad input, and a move tried while the server is down.

mod common;

use common::desk::Desk;
use common::{Server, number};
use serde_json::json;

/// A server, an agent's token, and an issued RMA on a fresh case.
async fn rma_on_a_case(server: &Server) -> (String, String, String) {
    let token = server.token("agent", "tanaka");
    let api = server.client(&token);
    let case = api
        .create_case(
            json!({ "subject": "PSU failed", "serial_number": "FOC7777A0AA", "account": "ACME" }),
        )
        .await;
    let n = number(&case);
    let rma = api
        .create_rma(&n, json!({ "part_number": "PWR-C1-350WAC" }))
        .await;
    let r = rma["number"].as_str().expect("number").to_string();
    (token, n, r)
}

#[tokio::test]
async fn an_rma_moves_forward_to_closed_with_its_receipt_and_analysis_due() {
    let server = Server::start();
    let (token, case, r) = rma_on_a_case(&server).await;
    let desk = Desk::new(&server.base, &token);

    let shown = desk.run(&["rma", "show", &r]).ok().to_string();
    for wanted in [
        format!("rma      {r}  Issued (issued)"),
        format!("case     {case}"),
        "account  ACME".to_string(),
        "serial   FOC7777A0AA".to_string(),
        "part     PWR-C1-350WAC".to_string(),
        "return   due ".to_string(),
        "received - (not yet)".to_string(),
        "analysis none".to_string(),
        "next     replacement_shipped, defective_received, closed, cancelled".to_string(),
    ] {
        assert!(shown.contains(&wanted), "{wanted:?} in\n{shown}");
    }
    assert!(
        shown.contains("+09:00"),
        "times in the user's zone: {shown}"
    );

    // The analysis request set after creation: due after the unit is back.
    let out = desk
        .run(&["rma", "set", &r, "--analysis", "failure_analysis"])
        .ok()
        .to_string();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.contains(&format!("{r} issued"))
            && out.contains("15 days after the defective unit is received"),
        "{out}"
    );
    let out = desk
        .run(&["rma", "set", &r, "--status", "replacement_shipped"])
        .ok()
        .to_string();
    assert!(
        out.starts_with(&format!("{r} replacement_shipped · case {case}")),
        "{out}"
    );
    let out = desk
        .run(&["rma", "set", &r, "--status", "defective-received"])
        .ok()
        .to_string();
    assert!(out.contains("next closed, cancelled"), "{out}");

    let json = desk.run(&["rma", "show", &r, "--json"]).json();
    assert_eq!(json["number"], r.as_str());
    assert_eq!(json["status"], "defective_received");
    assert_eq!(json["analysis"], "failure_analysis");
    let received = chrono::DateTime::parse_from_rfc3339(json["received_at"].as_str().unwrap())
        .expect("received_at");
    let due = chrono::DateTime::parse_from_rfc3339(json["analysis_due"].as_str().unwrap())
        .expect("analysis_due");
    assert_eq!(due - received, chrono::Duration::days(15));
    let shown = desk.run(&["rma", "show", &r]).ok().to_string();
    assert!(
        shown.contains("analysis Failure analysis (failure_analysis): preliminary result due "),
        "{shown}"
    );

    // Backwards: refused with the server's words and the allowed moves, exit 1 as a refused
    // `cases set` is.
    desk.run(&["rma", "set", &r, "--status", "issued"]).fails(
        1,
        &format!(
            "RMA {r} cannot go from defective_received to issued: expected one of closed, cancelled"
        ),
    );
    let out = desk
        .run(&["rma", "set", &r, "--status", "closed"])
        .ok()
        .to_string();
    assert!(out.contains("next none (closed is final)"), "{out}");
    desk.run(&["rma", "set", &r, "--status", "cancelled"])
        .fails(1, "is closed and cannot change");

    // The case's timeline has the moves.
    let case_json = desk.run(&["cases", "show", &case, "--json"]).json();
    let history = case_json["history"].to_string();
    assert!(
        history.contains(&format!("RMA {r} defective_received → closed")),
        "{history}"
    );
}

#[tokio::test]
async fn bad_input_exits_2_and_a_move_offline_is_refused_not_queued() {
    let mut server = Server::start();
    let (token, _case, r) = rma_on_a_case(&server).await;
    let desk = Desk::new(&server.base, &token);

    desk.run(&["rma", "show", "R123"]).fails(
        2,
        "invalid RMA number 'R123': expected an RMA number like R21056835 (R and 8 digits)",
    );
    desk.run(&["rma", "set", &r, "--status", "lost"])
        .fails(2, "invalid --status 'lost': expected requested, issued");
    desk.run(&["rma", "set", &r, "--analysis", "autopsy"])
        .fails(
            2,
            "invalid --analysis 'autopsy': expected repair_analysis or failure_analysis",
        );
    desk.run(&["rma", "set", &r]).fails(2, "nothing to change");
    desk.run(&["rma", "show", "R99999999"])
        .fails(1, "not found");

    // Cached by a sync, readable offline; a move is refused at once and nothing is queued.
    desk.run(&["sync"]).ok();
    server.stop();
    let offline = desk.run(&["rma", "show", &r]);
    assert!(offline.ok().contains(&format!("rma      {r}  Issued")));
    assert!(
        offline.stderr.contains("offline since"),
        "{}",
        offline.stderr
    );
    desk.run(&["rma", "set", &r, "--status", "closed"])
        .fails(1, "RMA moves need the server: ");
    let outbox = desk.run(&["outbox"]).ok().to_string();
    assert!(outbox.contains("the outbox is empty"), "{outbox}");
}
