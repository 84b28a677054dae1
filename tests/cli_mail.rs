//! `casedesk mail` and the mail parts of `casedesk cases show`, through the real binary
//! against a real `casedesk serve` (issue 16 item 4). Mail is written into the server's
//! database as the mail channel records it, so no mail system is needed.

mod common;

use casedesk::server::store::mail_in::{self, MailInState};
use common::desk::Desk;
use common::{Server, number};
use serde_json::json;

/// Opens the server's database as the mail channel writes it.
fn db(server: &Server) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(&server.db).expect("open the server's database");
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .expect("busy timeout");
    conn
}

#[tokio::test]
async fn agents_list_read_and_discard_mail_and_see_mail_on_the_timeline() {
    let server = Server::start();
    let token = server.token("agent", "tanaka");
    let agent = server.client(&token);
    let desk = Desk::new(&server.base, &token);
    let case = agent
        .create_case(json!({ "subject": "link down", "contact_name": "佐藤", "contact_email": "sato@example.test" }))
        .await;
    let n = number(&case);

    let raw = b"From: stranger@example.test\r\nSubject: Re: link down\r\n\r\nhello \x1b[31mred\r\n";
    let held = {
        let conn = db(&server);
        let at = "2026-11-24T04:00:00Z".parse().expect("an instant");
        mail_in::insert(
            &conn,
            "held-1@example.test",
            MailInState::Held,
            Some("not the case's contact"),
            "stranger@example.test",
            "Re: link down",
            Some(&n),
            raw,
            at,
        )
        .expect("record held mail")
    };

    // The list as JSON: an array of what a script needs.
    let list = desk.run(&["mail", "held", "--json"]).json();
    let items = list.as_array().expect("an array");
    assert_eq!(items.len(), 1, "{list}");
    assert_eq!(items[0]["id"], held);
    assert_eq!(items[0]["received_at"], "2026-11-24T04:00:00Z");
    assert_eq!(items[0]["sender"], "stranger@example.test");
    assert_eq!(items[0]["subject"], "Re: link down");
    assert_eq!(items[0]["case_number"], n.as_str());
    assert_eq!(items[0]["reason"], "not the case's contact");
    assert_eq!(desk.run(&["mail", "errors", "--json"]).json(), json!([]));

    // As a table, with the server's mail channel named as off.
    let table = desk.run(&["mail", "held"]);
    let text = table.ok();
    let row = text.lines().nth(1).expect("a row");
    assert!(row.starts_with(&format!("{held} ")), "{text}");
    for cell in [
        "stranger@example.test",
        "Re: link down",
        n.as_str(),
        "not the case's contact",
    ] {
        assert!(row.contains(cell), "{cell} in {row}");
    }
    assert!(text.ends_with("1 message(s)\n"), "{text}");
    assert!(
        table.stderr.contains("mail channel is off"),
        "{}",
        table.stderr
    );

    // The original, exact when piped.
    let shown = desk.run(&["mail", "show", &held.to_string()]);
    assert_eq!(shown.ok().as_bytes(), raw);

    // Refusals, worded as the CLI words them.
    desk.run(&["mail", "show", "abc"])
        .fails(2, "invalid mail id 'abc'");
    desk.run(&["mail", "discard", "999999"])
        .fails(1, "mail 999999");
    desk.run(&["mail", "release", &held.to_string()])
        .fails(1, "[mail]");
    desk.run(&["mail", "release", &held.to_string(), "--case", "x"])
        .fails(2, "--case");

    desk.run(&["mail", "discard", &held.to_string()]).ok();
    assert_eq!(desk.run(&["mail", "held", "--json"]).json(), json!([]));
    desk.run(&["mail", "discard", &held.to_string()])
        .fails(1, "only held or unreadable mail");

    // A note that came by mail, with a file; a public note and where its mail stands.
    agent.note(&n, "We replaced the optic.", "public").await;
    agent.note(&n, "internal thought", "internal").await;
    {
        let conn = db(&server);
        let (support, internal): (i64, i64) = conn
            .query_row(
                "SELECT min(id), max(id) FROM notes WHERE case_number = ?1",
                [&n],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("the notes");
        conn.execute(
            "INSERT INTO notes (case_number, author, party, visibility, kind, body, created_at, email_from) \
             VALUES (?1, '佐藤', 'customer', 'public', 'note', 'Thanks, it works.', strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+1 second'), 'sato@example.test')",
            [&n],
        )
        .expect("a note by mail");
        let by_mail = conn.last_insert_rowid();
        conn.execute(
            "INSERT INTO attachments (case_number, note_id, name, content_type, size, sha256, added_by, added_at, content) \
             VALUES (?1, ?2, 'show-tech.txt', 'text/plain', 2048, 'ab', '佐藤', '2026-01-01T00:00:00Z', x'00')",
            (&n, by_mail),
        )
        .expect("an attachment");
        conn.execute(
            "INSERT INTO mail_out (event_key, case_number, note_id, kind, message_id, recipient, subject, raw, state, next_attempt_at, last_error, created_at) \
             VALUES ('note:' || ?2, ?1, ?2, 'note', 'm-' || ?2, '佐藤 <sato@example.test>', 's', x'00', 'failed', '2026-01-01T00:00:00Z', '550 mailbox unavailable', '2026-01-01T00:00:00Z')",
            (&n, support),
        )
        .expect("the mail of the public note");
        // No mail for the internal note, ever.
        assert!(internal > support);
        // Any write moves the case on, so clients fetch it again.
        conn.execute(
            "UPDATE cases SET version = version + 1 WHERE number = ?1",
            [&n],
        )
        .expect("bump the version");
    }
    let shown = desk.run(&["cases", "show", &n]);
    let text = shown.ok();
    assert!(
        text.contains("[EMAIL] 佐藤 <sato@example.test> (customer):\n    Thanks, it works."),
        "{text}"
    );
    assert!(
        text.contains("    attached show-tech.txt (2 KiB, text/plain)"),
        "{text}"
    );
    assert!(
        text.contains(
            "We replaced the optic.\n    mailed to 佐藤 <sato@example.test>: failed: 550 mailbox unavailable"
        ),
        "{text}"
    );
    assert!(
        text.contains("[INTERNAL] tanaka (support):\n    internal thought\n  "),
        "no mail line under an internal note: {text}"
    );
    // JSON carries the same.
    let json = desk.run(&["cases", "show", &n, "--json"]).json();
    let notes = json["notes"].as_array().expect("notes");
    assert!(
        notes.iter().any(|x| x["email_from"] == "sato@example.test"
            && x["attachments"][0]["name"] == "show-tech.txt"),
        "{json}"
    );
    assert!(
        notes
            .iter()
            .any(|x| x["mail"]["state"] == "failed"
                && x["mail"]["error"] == "550 mailbox unavailable"),
        "{json}"
    );
}
