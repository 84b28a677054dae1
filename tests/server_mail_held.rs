//! Held and unreadable mail for agents (issue 16 item 4), end to end on the real `casedesk
//! serve`: the lists, the original message, release and discard, their refusals and roles;
//! and a case's contact language. Rows are written into `mail_in` through the store, as the
//! mailbox reader records them, so no mail system is needed.

mod common;

use std::path::Path;

use casedesk::server::store::mail_in::{self, MailInState};
use chrono::{DateTime, Utc};
use common::{Server, number, temp_dir};
use serde_json::{Value, json};

/// A message from a stranger about case `number`.
fn stranger_mail(number: &str, message_id: &str) -> Vec<u8> {
    format!(
        "From: Mallory <stranger@example.test>\r\n\
         To: support@example.test\r\n\
         Subject: Re: [{number}] link down\r\n\
         Message-ID: <{message_id}>\r\n\
         Date: Tue, 24 Nov 2026 13:30:00 +0900\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         \r\n\
         The link came back after the reboot.\r\n"
    )
    .into_bytes()
}

/// Records a message in the server's database as the mailbox reader does; its id.
fn record(
    db: &Path,
    state: MailInState,
    reason: &str,
    sender: &str,
    case: Option<&str>,
    raw: &[u8],
    at: &str,
) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open the server's database");
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .expect("busy timeout");
    let at: DateTime<Utc> = at.parse().expect("an instant");
    let key = format!("{}@test", raw.len() as u64 * 31 + at.timestamp() as u64);
    mail_in::insert(
        &conn,
        &key,
        state,
        Some(reason),
        sender,
        "Re: link down",
        case,
        raw,
        at,
    )
    .expect("record the mail")
}

fn ids(list: &Value) -> Vec<i64> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| m["id"].as_i64().expect("an id"))
        .collect()
}

#[tokio::test]
async fn agents_list_read_and_discard_held_and_unreadable_mail() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let viewer = server.login("viewer", "wallboard");
    let case = agent.create_case(json!({ "subject": "link down" })).await;
    let n = number(&case);

    let raw = stranger_mail(&n, "m1@example.test");
    let older = record(
        &server.db,
        MailInState::Held,
        "not the case's contact",
        "stranger@example.test",
        Some(&n),
        &raw,
        "2026-11-24T04:00:00Z",
    );
    let newer = record(
        &server.db,
        MailInState::Held,
        "not the case's contact",
        "other@example.test",
        None,
        b"From: other@example.test\r\n\r\nhi\r\n",
        "2026-11-24T05:00:00Z",
    );
    let broken = record(
        &server.db,
        MailInState::Error,
        "not a mail message: no headers",
        "",
        None,
        b"\x00\x01garbage",
        "2026-11-24T04:30:00Z",
    );
    // Mail the desk applied by itself is no agent's business.
    record(
        &server.db,
        MailInState::Applied,
        "",
        "sato@example.test",
        Some(&n),
        b"From: sato@example.test\r\n\r\nthanks\r\n",
        "2026-11-24T06:00:00Z",
    );

    // Held: newest first, with what an agent decides on, never the message itself; this
    // server has no [mail], which the list says.
    let held = agent.get("/v1/mail/held").await.expect(200);
    assert_eq!(held["enabled"], false, "{held}");
    assert_eq!(ids(&held), [newer, older]);
    let first = &held["items"][1];
    assert_eq!(first["state"], "held");
    assert_eq!(first["sender"], "stranger@example.test");
    assert_eq!(first["subject"], "Re: link down");
    assert_eq!(first["case_number"], n.as_str());
    assert_eq!(first["reason"], "not the case's contact");
    assert_eq!(first["received_at"], "2026-11-24T04:00:00Z");
    assert_eq!(first["size"], raw.len() as u64);
    assert!(first.get("raw").is_none(), "{first}");
    let limited = agent.get("/v1/mail/held?limit=1").await.expect(200);
    assert_eq!(ids(&limited), [newer]);
    agent
        .get("/v1/mail/held?limit=0")
        .await
        .problem(400, Some("limit"));
    agent
        .get("/v1/mail/held?state=error")
        .await
        .problem(400, Some("state"));

    let errors = agent.get("/v1/mail/errors").await.expect(200);
    assert_eq!(ids(&errors), [broken]);
    assert_eq!(
        errors["items"][0]["reason"],
        "not a mail message: no headers"
    );

    // The original, byte for byte, for an agent who wants to read it.
    let original = agent.get(&format!("/v1/mail/{older}/raw")).await;
    assert_eq!(original.status, 200);
    assert_eq!(original.header("content-type"), Some("message/rfc822"));
    assert_eq!(original.body.as_ref(), raw.as_slice());
    let etag = original.header("etag").expect("an ETag").to_string();
    let again = agent
        .get_with(
            &format!("/v1/mail/{older}/raw"),
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(again.status, 304);

    // Mail is for agents: a wallboard's token reads none of it and decides nothing.
    for path in [
        "/v1/mail/held".to_string(),
        "/v1/mail/errors".to_string(),
        format!("/v1/mail/{older}/raw"),
    ] {
        viewer.get(&path).await.problem(403, None);
    }
    viewer
        .post(&format!("/v1/mail/{older}/discard"), &json!({}))
        .await
        .problem(403, None);
    viewer
        .post(&format!("/v1/mail/{older}/release"), &json!({}))
        .await
        .problem(403, None);

    // Unknown and malformed ids.
    for path in ["/v1/mail/999999/raw", "/v1/mail/-3/raw"] {
        agent.get(path).await.problem(404, None);
    }
    agent.get("/v1/mail/abc/raw").await.problem(400, Some("id"));
    agent
        .post("/v1/mail/999999/discard", &json!({}))
        .await
        .problem(404, None);
    agent
        .post("/v1/mail/x1/discard", &json!({}))
        .await
        .problem(400, Some("id"));

    // Without [mail] nothing can be released (it would need the channel's settings).
    let off = agent
        .post(&format!("/v1/mail/{older}/release"), &json!({}))
        .await
        .problem(409, None);
    assert!(
        off["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("[mail]"),
        "{off}"
    );

    // Discarded: it leaves the lists, recorded with who and when; a second discard is refused.
    let discarded = agent
        .post(&format!("/v1/mail/{broken}/discard"), &json!({}))
        .await
        .expect(200);
    assert_eq!(discarded["state"], "discarded");
    assert_eq!(discarded["decided_by"], "tanaka");
    assert!(discarded["decided_at"].is_string(), "{discarded}");
    let errors = agent.get("/v1/mail/errors").await.expect(200);
    assert_eq!(ids(&errors), Vec::<i64>::new());
    agent
        .post(&format!("/v1/mail/{broken}/discard"), &json!({}))
        .await
        .problem(409, Some("id"));
    agent
        .post(&format!("/v1/mail/{newer}/discard"), &json!({}))
        .await
        .expect(200);
    assert_eq!(ids(&agent.get("/v1/mail/held").await.expect(200)), [older]);
}

/// A `[mail]` that names mail servers nobody listens on: the routes work, nothing is sent.
fn mail_config() -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("casedesk-mail-held");
    let password = dir.join("password");
    std::fs::write(&password, "secret\n").expect("write the password file");
    std::fs::set_permissions(&password, std::fs::Permissions::from_mode(0o600)).expect("chmod 600");
    let config = dir.join("serve.toml");
    std::fs::write(
        &config,
        "[mail]\n\
         from = \"Support <support@example.test>\"\n\
         smtp = \"smtp+plain://127.0.0.1:9\"\n\
         imap = \"imap+plain://127.0.0.1:9\"\n\
         user = \"support@example.test\"\n\
         password_file = \"password\"\n",
    )
    .expect("write the config");
    config
}

#[tokio::test]
async fn released_mail_becomes_the_customers_note_on_its_case() {
    let config = mail_config();
    let server = Server::start_with(&["--config", config.to_str().expect("a UTF-8 path")]);
    let agent = server.login("agent", "tanaka");
    let case = agent
        .create_case(json!({ "subject": "link down", "contact_email": "sato@example.test" }))
        .await;
    let n = number(&case);
    let other = number(&agent.create_case(json!({ "subject": "fan noise" })).await);
    let raw = stranger_mail(&n, "release-1@example.test");
    let id = record(
        &server.db,
        MailInState::Held,
        "not the case's contact",
        "stranger@example.test",
        Some(&n),
        &raw,
        "2026-11-24T04:00:00Z",
    );

    let listed = agent.get("/v1/mail/held").await.expect(200);
    assert_eq!(listed["enabled"], true, "{listed}");

    // A case that is not a case number, or that does not exist, is refused.
    agent
        .post(
            &format!("/v1/mail/{id}/release"),
            &json!({ "case": "nonsense" }),
        )
        .await
        .problem(422, Some("case"));
    agent
        .post(
            &format!("/v1/mail/{id}/release"),
            &json!({ "case": "2026-0101-999999" }),
        )
        .await
        .problem(404, None);
    agent
        .post(&format!("/v1/mail/{id}/release"), &json!({ "to": n }))
        .await
        .problem(422, None);

    // Released into the case it was matched to: the stranger's words, as the customer's
    // public note, labelled with the sender.
    let released = agent
        .post(&format!("/v1/mail/{id}/release"), &json!({}))
        .await
        .expect(200);
    assert_eq!(released["state"], "released", "{released}");
    assert_eq!(released["case_number"], n.as_str());
    assert_eq!(released["decided_by"], "tanaka");
    let note_id = released["note_id"].as_i64().expect("the note's id");
    let case = agent.case(&n).await;
    let note = case["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .find(|note| note["id"] == note_id)
        .unwrap_or_else(|| panic!("note {note_id} on {n}: {case}"));
    assert_eq!(note["party"], "customer");
    assert_eq!(note["visibility"], "public");
    assert_eq!(note["email_from"], "stranger@example.test");
    assert!(
        note["body"]
            .as_str()
            .unwrap_or_default()
            .contains("The link came back after the reboot."),
        "{note}"
    );
    assert!(
        agent.case(&other).await["notes"]
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    assert_eq!(
        ids(&agent.get("/v1/mail/held").await.expect(200)),
        Vec::<i64>::new()
    );

    // Once only.
    agent
        .post(&format!("/v1/mail/{id}/release"), &json!({}))
        .await
        .problem(409, Some("id"));
    let _ = std::fs::remove_dir_all(config.parent().expect("the config's directory"));
}

#[tokio::test]
async fn a_case_keeps_the_language_its_contact_is_mailed_in() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");

    let unset = agent.create_case(json!({ "subject": "no language" })).await;
    assert_eq!(unset["contact_language"], Value::Null, "{unset}");

    let case = agent
        .create_case(json!({ "subject": "日本語で", "contact_language": "ja" }))
        .await;
    assert_eq!(case["contact_language"], "ja");
    let n = number(&case);
    assert_eq!(agent.case(&n).await["contact_language"], "ja");

    let changed = agent
        .patch_case(&n, &json!({ "contact_language": "en" }))
        .await
        .expect(200);
    assert_eq!(changed["contact_language"], "en");
    assert!(
        changed["version"].as_i64() > case["version"].as_i64(),
        "a change: {changed}"
    );
    let history = changed["history"].as_array().expect("history");
    assert!(
        history
            .iter()
            .any(|h| h["summary"] == "contact language → en"),
        "{history:?}"
    );

    // Only en or ja, said with the field.
    let refused = agent
        .post(
            "/v1/cases",
            &json!({ "subject": "x", "priority": "P3", "contact_language": "fr" }),
        )
        .await
        .problem(422, Some("contact_language"));
    assert!(
        refused["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("`ja`"),
        "{refused}"
    );
    agent
        .patch_case(&n, &json!({ "contact_language": "EN" }))
        .await
        .problem(422, Some("contact_language"));
    assert_eq!(agent.case(&n).await["contact_language"], "en");
}
