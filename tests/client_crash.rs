//! A client killed in the middle of `casedesk sync` (issue 13 item 6): with notes queued on
//! several cases, a crash at any point is followed by a clean send of everything, exactly
//! once, with no conflict against our own earlier notes. The debug binary's
//! `CASEDESK_TEST_CRASH=sent:N` aborts when the N-th entry was accepted by the server and not
//! yet taken out of the outbox, `removed:N` right after it was.

mod common;

use common::Server;
use common::desk::Desk;

async fn open_cases(server: &Server, token: &str, n: usize) -> Vec<String> {
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

async fn notes_with(server: &Server, token: &str, number: &str, body: &str) -> usize {
    let case = server.client(token).case(number).await;
    case["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter(|n| n["body"] == body)
        .count()
}

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
