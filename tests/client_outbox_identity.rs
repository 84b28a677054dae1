//! Outbox entries belong to the server and person they were written for (issue 13 item 2):
//! after the profile's URL or token changes, what was queued for the old server or person is
//! never sent, is kept, and is shown with the reason and a way to export or discard it.

mod common;

use common::desk::Desk;
use common::{Server, notes_with, open_case};

fn demo() -> (Server, String) {
    let server = Server::start_with(&["--demo", "--demo-cases", "30"]);
    let token = server.token("agent", "kimura");
    (server, token)
}

async fn server_id(server: &Server, token: &str) -> String {
    let me = server.client(token).get("/v1/me").await.expect(200);
    me["server_id"]
        .as_str()
        .expect("/v1/me has server_id")
        .to_string()
}

#[tokio::test]
async fn a_note_queued_for_one_server_is_never_sent_to_another() {
    let (mut a, a_token) = demo();
    let a_id = server_id(&a, &a_token).await;
    let mut desk = Desk::new(&a.base, &a_token);
    desk.run(&["sync"]).ok();
    let number = open_case(&a, &a_token).await;
    a.stop();

    let body = "Queued while server A was down";
    let run = desk.run(&["cases", "note", &number, "--internal", "--message", body]);
    assert!(run.ok().starts_with("queued:"), "{}", run.stdout);

    // The profile now points at server B: the note stays, is not sent, and says why.
    let (b, b_token) = demo();
    let b_id = server_id(&b, &b_token).await;
    assert_ne!(a_id, b_id, "every server has its own id");
    desk.point_at(&b.base, &b_token);
    let out = desk.run(&["sync"]).ok().to_string();
    assert!(out.contains("kept #"), "{out}");
    assert!(
        out.contains(&a_id),
        "names the server it was written for: {out}"
    );
    assert!(out.contains("casedesk outbox export"), "{out}");
    assert_eq!(notes_with(&b, &b_token, &number, body).await, 0);
    let list = desk.run(&["outbox", "list"]).ok().to_string();
    assert!(list.contains("other server/user"), "{list}");
    let exported = desk.run(&["outbox", "export"]).json();
    let exported = exported.as_array().expect("an array");
    assert_eq!(exported.len(), 1, "{exported:?}");
    assert_eq!(exported[0]["owner"]["server_id"], a_id.as_str());
    assert_eq!(exported[0]["owner"]["user"], "kimura");
    // Still there after a second sync.
    desk.run(&["sync"]).ok();
    assert_eq!(notes_with(&b, &b_token, &number, body).await, 0);
    assert_eq!(
        desk.run(&["outbox", "list", "--json"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Back on server A (same id after a restart), but as another person: still not sent.
    a.start_again_on_the_same_port();
    assert_eq!(server_id(&a, &a_token).await, a_id, "the id is stable");
    let ogawa = a.token("agent", "ogawa");
    desk.point_at(&a.base, &ogawa);
    let out = desk.run(&["sync"]).ok().to_string();
    assert!(out.contains("kept #"), "{out}");
    assert_eq!(notes_with(&a, &a_token, &number, body).await, 0);

    // As the person it was written for, on the server it was written for: sent, once.
    desk.point_at(&a.base, &a_token);
    let out = desk.run(&["sync"]).ok().to_string();
    assert!(out.contains("sent #"), "{out}");
    assert_eq!(notes_with(&a, &a_token, &number, body).await, 1);
    assert!(
        desk.run(&["outbox", "list", "--json"])
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_foreign_entry_can_be_discarded() {
    let (mut a, a_token) = demo();
    let mut desk = Desk::new(&a.base, &a_token);
    desk.run(&["sync"]).ok();
    let number = open_case(&a, &a_token).await;
    a.stop();
    let run = desk.run(&[
        "cases",
        "note",
        &number,
        "--internal",
        "--message",
        "drop me",
    ]);
    assert!(run.ok().starts_with("queued:"), "{}", run.stdout);
    let (b, b_token) = demo();
    desk.point_at(&b.base, &b_token);
    let out = desk.run(&["sync"]).ok().to_string();
    let id = out
        .split("kept #")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .expect("a kept entry")
        .to_string();
    let out = desk.run(&["outbox", "discard", &id]).ok().to_string();
    assert!(out.starts_with(&format!("discarded #{id}")), "{out}");
    assert!(
        desk.run(&["outbox", "export"])
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );
}
