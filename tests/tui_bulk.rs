//! Bulk actions in the TUI, in a pseudo-terminal against a real `casedesk serve`: twenty cases
//! marked with `*`, two of them a colleague's, taken with one `t` — the message line says 18
//! done and 2 refused, a list names the two with the rule's reason, and the server has the 18.

mod common;

use std::time::Duration;

use common::pty::{Pty, framed};
use common::{Server, number};
use serde_json::json;

const FIRST_SCREEN: Duration = Duration::from_secs(30);
const ACTION: Duration = Duration::from_secs(30);

#[test]
fn a_bulk_take_of_twenty_marked_cases_with_two_refused_says_18_done_and_why() {
    let server = Server::start();
    let token = server.token("agent", "tanaka");
    let api = server.client(&token);
    let sato = server.client(&server.token("agent", "sato"));
    let rt = common::rt();
    let numbers: Vec<String> = rt.block_on(async {
        let mut numbers = Vec::new();
        for i in 0..20 {
            let case = api
                .create_case(json!({ "subject": format!("Bulk case {i:02}") }))
                .await;
            numbers.push(number(&case));
        }
        // Two are sato's: an agent may not take a colleague's case.
        for n in [&numbers[3], &numbers[11]] {
            sato.patch_case(n, &json!({ "owner": "sato" }))
                .await
                .expect(200);
        }
        numbers
    });

    let tui = Pty::casedesk_sized(&server.base, &token, &[], 120, 40);
    tui.wait_for("● online", FIRST_SCREEN);
    tui.send("7");
    tui.wait_for("All open (20)", ACTION);
    tui.send("*");
    tui.wait_for("20 marked", ACTION);
    tui.send("t");
    let screen = tui.wait_for("18 done, 2 refused", ACTION);
    for refused in [&numbers[3], &numbers[11]] {
        assert!(
            screen.contains(refused.as_str()),
            "{refused} is listed:\n{}",
            framed(&screen)
        );
    }
    assert!(
        screen.contains("Not done — still marked"),
        "{}",
        framed(&screen)
    );
    assert!(
        screen.contains("lead"),
        "the rule's words:\n{}",
        framed(&screen)
    );

    let owners: Vec<String> = rt.block_on(async {
        let mut owners = Vec::new();
        for n in &numbers {
            owners.push(
                api.case(n).await["owner"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            );
        }
        owners
    });
    let taken = owners.iter().filter(|o| *o == "tanaka").count();
    assert_eq!(taken, 18, "{owners:?}");
    assert_eq!(owners[3], "sato");
    assert_eq!(owners[11], "sato");

    // The refused stay marked; Esc closes the list, Esc again clears the marks.
    tui.send("\x1b");
    tui.wait_for("2 marked", ACTION);
    tui.send("\x1b");
    tui.wait_until("the marks cleared", ACTION, |s| {
        let screen = s.contents();
        screen.contains("All open (20)") && !screen.contains("marked")
    });
}
