//! People and roles in the TUI, in a pseudo-terminal against a real `casedesk serve` (issue 12
//! items 4 and 5): the assign form's picker completes names from the server's people and
//! refuses one that is nobody; an agent's take of someone else's case is refused before it is
//! sent, with the way forward, and leaves nothing in the outbox.

mod common;

use std::path::Path;
use std::time::Duration;

use common::Server;
use common::pty::{Pty, framed};
use serde_json::json;

const FIRST_SCREEN: Duration = Duration::from_secs(30);
const ACTION: Duration = Duration::from_secs(15);
const TAB: &str = "\t";
const CTRL_S: &str = "\x13";
const BACKSPACE: &str = "\x7f";

/// A desk with a lead, an agent and two colleagues, and one case: owned by `owner`.
fn desk(owner: Option<&str>) -> (Server, String, String, String) {
    let server = Server::start();
    let lead = server.token("lead", "suzuki");
    let agent = server.token("agent", "tanaka");
    server.token("agent", "kimura");
    server.token("agent", "sato");
    let rt = common::rt();
    let mut fields = json!({ "subject": "Core switch reloads every night", "priority": "P2" });
    if let Some(o) = owner {
        fields["owner"] = json!(o);
    }
    let case = rt.block_on(server.client(&lead).create_case(fields));
    let number = case["number"].as_str().expect("a number").to_string();
    (server, lead, agent, number)
}

/// Entries in the outbox of the TUI's cache (every profile under its private home).
fn outbox_entries(home: &Path) -> i64 {
    let dir = home.join("cache").join("casedesk");
    let mut total = 0;
    for entry in std::fs::read_dir(&dir).expect("the cache directory") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "sqlite3") {
            let conn = rusqlite::Connection::open(&path).expect("the cache");
            total += conn
                .query_row("SELECT count(*) FROM outbox", [], |r| r.get::<_, i64>(0))
                .expect("the outbox");
        }
    }
    total
}

#[test]
fn the_assign_picker_completes_names_and_refuses_an_unknown_one() {
    let (server, lead, _, number) = desk(None);
    let tui = Pty::casedesk(&server.base, &lead, &[]);
    tui.wait_for("Core switch reloads", FIRST_SCREEN);
    tui.wait_for("● online", ACTION);

    tui.send("a");
    tui.wait_for("Owner (empty: unassign)", ACTION);
    // Typing filters the people (the lead's picker lists who works cases).
    tui.send("kimuraa");
    tui.send(CTRL_S);
    let screen = tui.wait_for("no active person is called 'kimuraa'", ACTION);
    assert!(
        screen.contains("did you mean kimura?"),
        "a near name is offered:\n{}",
        framed(&screen)
    );
    // Nothing was sent.
    let rt = common::rt();
    let case = rt.block_on(server.client(&lead).case(&number));
    assert!(case["owner"].is_null(), "{}", case["owner"]);

    // Back to "ki": both k-names are offered; Tab completes to the first, again to the next.
    for _ in 0.."muraa".len() {
        tui.send(BACKSPACE);
    }
    let screen = tui.wait_until("kimura offered, the refusal gone", ACTION, |s| {
        let s = s.contents();
        s.contains("· kimura") && !s.contains("no active person")
    });
    assert!(
        !screen.contains("· sato"),
        "sato does not match ki:\n{}",
        framed(&screen)
    );
    tui.send(TAB);
    tui.wait_for("▸ kimura", ACTION);
    tui.send(CTRL_S);
    tui.wait_for("saved", ACTION);
    let case = rt.block_on(server.client(&lead).case(&number));
    assert_eq!(case["owner"], "kimura");
}

#[test]
fn an_agents_take_of_someone_elses_case_is_refused_before_sending() {
    let (server, lead, agent, number) = desk(Some("sato"));
    let tui = Pty::casedesk(&server.base, &agent, &[]);
    tui.wait_for("Core switch reloads", FIRST_SCREEN);
    tui.wait_for("● online", ACTION);
    // Who the token is (its role) is learnt from the server at start.
    tui.settle(Duration::from_millis(500));

    tui.send("t");
    let screen = tui.wait_for("only a lead moves a case from its owner", ACTION);
    assert!(
        screen.contains("Case reassignment"),
        "the way forward is named:\n{}",
        framed(&screen)
    );
    tui.settle(Duration::from_millis(800));
    let screen = tui.screen();
    assert!(
        !screen.contains("to resolve") && !screen.contains("pending"),
        "nothing waits in the outbox:\n{}",
        framed(&screen)
    );
    let home = tui.home.clone().expect("a private home");
    assert_eq!(outbox_entries(&home), 0, "no outbox entry");
    let rt = common::rt();
    let case = rt.block_on(server.client(&lead).case(&number));
    assert_eq!(case["owner"], "sato", "nothing was sent");
}
