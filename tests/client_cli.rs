//! The client against a real `casedesk serve`: first and incremental sync, reads from the cache
//! with the server gone, the outbox across a restarted server, conflicts, broken caches and
//! unsafe token files through the real binary's commands; the server's refusals and the event
//! stream's resume through the library client.

mod common;

use std::time::Duration;

use casedesk::api::{Client, ClientError, ClientOptions, NewNote};
use casedesk::domain::{CaseNumber, Visibility};
use common::desk::Desk;
use common::{Server, notes_with, numbers_in, open_case};
use rusqlite::OptionalExtension;
use serde_json::json;

/// A demo server small enough to seed in a moment, and an agent on it.
fn demo() -> (Server, String) {
    let server = Server::start_with(&["--demo", "--demo-cases", "60"]);
    let token = server.token("agent", "kimura");
    (server, token)
}

#[tokio::test]
async fn first_sync_then_incremental_sync_after_another_clients_writes() {
    let (server, token) = demo();
    let desk = Desk::new(&server.base, &token);
    let out = desk.run(&["sync"]).ok().to_string();
    assert!(out.contains("full sync:"), "{out}");

    // Every open case is in the cache, with the fields scripts rely on.
    let api = server.client(&token);
    let open = api.get("/v1/cases?open=true&limit=500").await.expect(200);
    let cached = desk.run(&["cases", "list", "--offline", "--json"]).json();
    assert_eq!(
        cached.as_array().unwrap().len() as u64,
        open["total"].as_u64().unwrap()
    );
    for key in [
        "number",
        "subject",
        "priority",
        "status",
        "owner",
        "updated_at",
        "next_due",
    ] {
        assert!(cached[0].get(key).is_some(), "{key} missing: {}", cached[0]);
    }
    // And every open case's detail, so it can be read offline.
    let first = cached[0]["number"].as_str().unwrap().to_string();
    let shown = desk
        .run(&["cases", "show", &first, "--offline", "--json"])
        .json();
    assert_eq!(shown["number"], first.as_str());
    assert!(shown["clocks"]["clocks"].is_array(), "{shown}");

    // Another client writes: a new case, and a note on an existing one.
    let other = server.login("agent", "ogawa");
    let created = other
        .create_case(json!({"subject": "VPN トンネルが切れる", "priority": "P2"}))
        .await;
    let new_number = created["number"].as_str().unwrap().to_string();
    other
        .note(&first, "Checked the optics; replacing.", "internal")
        .await;

    let out = desk.run(&["sync"]).ok().to_string();
    assert!(out.starts_with("synced: 2 case(s) changed"), "{out}");
    let cached = desk.run(&["cases", "list", "--offline", "--json"]).json();
    assert!(numbers_in(&cached).contains(&new_number));
    let shown = desk
        .run(&["cases", "show", &first, "--offline", "--json"])
        .json();
    let notes = shown["notes"].as_array().unwrap();
    let last = notes.last().unwrap();
    assert_eq!(last["body"], "Checked the optics; replacing.");
    assert_eq!(last["visibility"], "internal");
    assert_eq!(last["author"], "ogawa");

    // Nothing new: the second sync changes nothing.
    let out = desk.run(&["sync"]).ok().to_string();
    assert!(out.starts_with("synced: 0 case(s) changed"), "{out}");
}

#[tokio::test]
async fn reads_come_from_the_cache_once_the_server_is_gone() {
    let (mut server, token) = demo();
    let desk = Desk::new(&server.base, &token);
    desk.run(&["sync"]).ok();
    const URGENT: [&str; 7] = [
        "cases",
        "list",
        "--json",
        "--priority",
        "P1",
        "--priority",
        "P2",
    ];
    let online = desk.run(&URGENT).json();
    let number = open_case(&server, &token).await;
    server.stop();

    let run = desk.run(&URGENT);
    assert_eq!(
        numbers_in(&run.json()),
        numbers_in(&online),
        "the same list offline"
    );
    assert!(run.stderr.contains("offline since"), "{}", run.stderr);
    assert!(run.stderr.contains("data as of"), "{}", run.stderr);

    let table = desk.run(&["cases", "list"]);
    assert!(table.ok().contains("NUMBER"), "{}", table.stdout);

    let show = desk.run(&["cases", "show", &number]);
    assert!(show.ok().contains("SLA clocks"), "{}", show.stdout);
    assert!(show.stderr.contains("offline since"));
    let json = desk.run(&["cases", "show", &number, "--json"]).json();
    // Countdowns move on from the server's last report.
    let at: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(json["clocks"]["at"].clone()).unwrap();
    assert!(chrono::Utc::now() - at < chrono::Duration::seconds(30));

    desk.run(&["cases", "show", "2020-0101-999999"])
        .fails(1, "not in the cache");
    let search = desk.run(&["search", "--json", &number[number.len() - 6..]]);
    assert!(numbers_in(&search.json()["cases"]).contains(&number));
}

#[tokio::test]
async fn a_note_written_offline_reaches_the_server_exactly_once() {
    let (mut server, token) = demo();
    let desk = Desk::new(&server.base, &token);
    desk.run(&["sync"]).ok();
    let number = open_case(&server, &token).await;
    server.stop();

    let body = "Customer confirmed the reboot at 14:05 — written on the train";
    let run = desk.run_with(
        &["cases", "note", &number, "--internal"],
        &format!("{body}\n"),
    );
    assert!(run.ok().starts_with("queued:"), "{}", run.stdout);
    let outbox = desk.run(&["outbox", "list", "--json"]).json();
    assert_eq!(outbox.as_array().unwrap().len(), 1);
    assert_eq!(outbox[0]["state"], "pending");

    // A client killed while the server holds a write it has not answered yet is
    // client_crash.rs's fault-proxy tests.
    server.start_again_on_the_same_port();
    let out = desk.run(&["sync"]).ok().to_string();
    assert!(
        out.contains(&format!("internal note \"{}", &body[..20])),
        "{out}"
    );
    assert_eq!(notes_with(&server, &token, &number, body).await, 1);
    desk.run(&["sync"]).ok();
    assert_eq!(notes_with(&server, &token, &number, body).await, 1);

    // The server applied a note but the client died before it learnt so: the entry is still
    // in the outbox and is sent again — its Idempotency-Key makes the server apply it once.
    let run = desk.run(&[
        "cases",
        "note",
        &number,
        "--public",
        "--message",
        "Replacement shipped",
    ]);
    assert!(run.ok().starts_with("sent:"), "{}", run.stdout);
    let conn = rusqlite::Connection::open(desk.cache_file("default")).unwrap();
    // Only "no rows" passes: any other SQL error fails the test.
    let key: Option<String> = conn
        .query_row(
            "SELECT idempotency_key FROM outbox ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()
        .expect("read the outbox");
    assert_eq!(key, None, "a sent note leaves the outbox");
    drop(conn);
    assert_eq!(
        notes_with(&server, &token, &number, "Replacement shipped").await,
        1
    );
}

#[tokio::test]
async fn a_killed_sender_replays_with_the_same_key() {
    let (server, token) = demo();
    let desk = Desk::new(&server.base, &token);
    desk.run(&["sync"]).ok();
    let number = open_case(&server, &token).await;
    let version = server.client(&token).case(&number).await["version"]
        .as_i64()
        .unwrap();
    // Queue a note by hand, as a client would have just before sending it…
    let conn = rusqlite::Connection::open(desk.cache_file("default")).unwrap();
    let change = json!({"op": "note", "data": {"body": "sent twice, applied once", "visibility": "internal"}});
    let insert = |conn: &rusqlite::Connection| {
        conn.execute(
            "INSERT INTO outbox (case_number, change, base_version, idempotency_key, state, attempts, created_at)
             VALUES (?1, ?2, ?3, 'cdk-test-key-1', 'pending', 1, '2026-11-23T00:00:00Z')",
            (&number, change.to_string(), version),
        )
        .unwrap();
    };
    insert(&conn);
    desk.run(&["sync"]).ok();
    // …and again, as if the process had died after the server answered.
    insert(&conn);
    let out = desk.run(&["sync"]).ok().to_string();
    assert!(out.contains("sent #"), "{out}");
    assert_eq!(
        notes_with(&server, &token, &number, "sent twice, applied once").await,
        1
    );
}

#[tokio::test]
async fn a_conflict_is_kept_and_can_be_retried_or_discarded() {
    let (mut server, token) = demo();
    let desk = Desk::new(&server.base, &token);
    desk.run(&["sync"]).ok();
    let number = open_case(&server, &token).await;
    let version = server.client(&token).case(&number).await["version"]
        .as_i64()
        .expect("version");
    server.stop();
    desk.run(&[
        "cases",
        "note",
        &number,
        "--internal",
        "-m",
        "first offline note",
    ])
    .ok();
    server.start_again_on_the_same_port();
    // Someone else changes the case meanwhile.
    let other = server.login("agent", "ogawa");
    other.note(&number, "a colleague's note", "internal").await;

    let out = desk.run(&["sync"]).ok().to_string();
    assert!(out.contains("conflicted #1"), "{out}");
    let outbox = desk.run(&["outbox", "list", "--json"]).json();
    assert_eq!(outbox[0]["state"], "conflicted");
    // The colleague's note moved the case one version on from the one the note was written
    // against.
    assert_eq!(
        outbox[0]["error"],
        format!(
            "case {number} is at version {}, not {version}: read it again and reapply your change",
            version + 1
        ),
        "{outbox}"
    );
    assert_eq!(
        notes_with(&server, &token, &number, "first offline note").await,
        0
    );

    let out = desk.run(&["outbox", "retry", "1"]).ok().to_string();
    assert!(out.starts_with("sent #1"), "{out}");
    assert_eq!(
        notes_with(&server, &token, &number, "first offline note").await,
        1
    );

    // Another conflict, this time discarded.
    server.stop();
    desk.run(&[
        "cases",
        "set",
        &number,
        "--priority",
        "P1",
        "--why",
        "outage spreading",
    ])
    .ok();
    server.start_again_on_the_same_port();
    server
        .client(&token)
        .note(&number, "meanwhile", "internal")
        .await;
    desk.run(&["sync"]).ok();
    let outbox = desk.run(&["outbox", "list", "--json"]).json();
    let id = outbox[0]["id"].as_i64().unwrap().to_string();
    assert_eq!(outbox[0]["state"], "conflicted");
    let out = desk.run(&["outbox", "discard", &id]).ok().to_string();
    assert!(out.contains("priority → P1"), "{out}");
    assert!(desk.run(&["outbox"]).ok().contains("empty"));
    desk.run(&["outbox", "retry", &id])
        .fails(1, "no outbox entry");
    let case = server.client(&token).case(&number).await;
    assert_ne!(case["priority"], "P1");
}

#[tokio::test]
async fn online_writes_set_escalate_and_refusals() {
    let (server, token) = demo();
    let desk = Desk::new(&server.base, &token);
    let list = server
        .client(&token)
        .get("/v1/cases?status=new&owner=&limit=1")
        .await
        .expect(200);
    let number = list["items"][0]["number"]
        .as_str()
        .expect("an unassigned case")
        .to_string();
    desk.run(&["cases", "set", &number, "--take"]).ok();
    let case = server.client(&token).case(&number).await;
    assert_eq!(case["owner"], "kimura");

    let run = desk.run(&[
        "cases",
        "escalate",
        &number,
        "--kind",
        "engineer_now",
        "--reason",
        "line down",
        "--contact",
        "phone",
    ]);
    assert!(run.ok().starts_with("sent:"), "{}", run.stdout);
    let case = server.client(&token).case(&number).await;
    assert!(
        case["escalations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["reason"] == "line down")
    );

    // The server's refusal is kept with its words; nothing is lost.
    let run = desk.run(&[
        "cases",
        "set",
        &number,
        "--status",
        "closed",
        "--reason",
        "no_longer_needed",
    ]);
    run.fails(1, "kept as outbox #");
    let outbox = desk.run(&["outbox", "list", "--json"]).json();
    assert_eq!(outbox[0]["state"], "failed");

    // Usage errors name the flag and the expected form, exit 2.
    desk.run(&["cases", "list", "--priority", "P9"])
        .fails(2, "--priority");
    desk.run(&["cases", "list", "--sort", "colour"])
        .fails(2, "next_due");
    desk.run(&["cases", "show", "12-34"])
        .fails(2, "case number");
    desk.run(&["cases", "set", &number, "--status", "closed"])
        .fails(2, "--reason");
    desk.run(&[
        "cases",
        "escalate",
        &number,
        "--kind",
        "engineer_now",
        "--reason",
        "x",
    ])
    .fails(2, "--contact");
    desk.run_with(&["cases", "note", &number, "--internal"], "  \n")
        .fails(2, "empty");
}

#[tokio::test]
async fn csv_search_rma_and_entitlement() {
    let (server, token) = demo();
    let desk = Desk::new(&server.base, &token);
    let csv = desk.run(&["cases", "list", "--csv", "--all", "--limit", "5"]);
    let lines: Vec<&str> = csv.ok().lines().collect();
    assert_eq!(
        lines[0],
        "number,priority,status,owner,next_due,updated_at,site,subject"
    );
    assert_eq!(lines.len(), 6);

    let rmas = desk.run(&["rma", "list", "--json"]).json();
    let rma = &rmas.as_array().expect("RMAs")[0];
    let found = desk
        .run(&["search", rma["number"].as_str().unwrap(), "--json"])
        .json();
    assert_eq!(found["rmas"][0]["number"], rma["number"]);
    // The RMA's case says whether its serial has a contract on record: the command must agree.
    let case = server
        .client(&token)
        .case(rma["case_number"].as_str().unwrap())
        .await;
    let serial = case["serial_number"].as_str().expect("the case's serial");
    let run = desk.run(&["entitlement", serial, "--json"]);
    match case["entitlement"].as_object() {
        Some(on_record) => assert_eq!(run.json()["tier"], on_record["tier"], "{}", run.stdout),
        None => run.fails(1, "not found"),
    }
    desk.run(&["entitlement", "NO-SUCH-SERIAL"])
        .fails(1, "entitlement for serial NO-SUCH-SERIAL not found");
}

#[tokio::test]
async fn a_corrupt_or_foreign_cache_is_rebuilt_with_a_notice() {
    let (server, token) = demo();
    let desk = Desk::new(&server.base, &token);
    desk.run(&["sync"]).ok();
    let cache = desk.cache_file("default");
    std::fs::write(&cache, b"this is not a database, it is a shopping list").unwrap();
    let run = desk.run(&["cases", "list", "--offline"]);
    assert!(
        run.stderr.contains("notice: cache rebuilt"),
        "{}",
        run.stderr
    );
    assert!(run.ok().contains("0 cases"), "{}", run.stdout);
    assert!(desk.run(&["sync"]).ok().contains("full sync"));

    // A SQLite file of something else.
    std::fs::remove_file(&cache).unwrap();
    let conn = rusqlite::Connection::open(&cache).unwrap();
    conn.execute_batch("CREATE TABLE recipes (name TEXT)")
        .unwrap();
    drop(conn);
    let run = desk.run(&["sync"]);
    assert!(
        run.stderr.contains("not a casedesk cache"),
        "{}",
        run.stderr
    );
    assert!(run.ok().contains("full sync"));
    let kept = std::fs::read_dir(cache.parent().unwrap())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".broken-")
        })
        .count();
    assert!(kept >= 1, "the old file is kept aside");
}

#[tokio::test]
async fn login_keeps_a_private_token_and_refuses_a_shared_one() {
    use std::os::unix::fs::PermissionsExt;
    let (server, token) = demo();
    let mut desk = Desk::new(&server.base, &token);
    desk.server = None;
    desk.token = None;
    desk.run(&["cases", "list"])
        .fails(2, "casedesk login --server URL");

    desk.run_with(&["login", "--server", &server.base], "cdk_wrong\n")
        .fails(1, "token rejected");
    let run = desk.run_with(
        &["login", "--server", &server.base, "--profile", "lab"],
        &format!("{token}\n"),
    );
    assert!(run.ok().contains("as kimura (agent)"), "{}", run.stdout);
    let token_file = desk.config_dir().join("tokens").join("lab");
    let mode = std::fs::metadata(&token_file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // The first profile saved is the default one.
    assert!(desk.run(&["cases", "list", "--json"]).json().is_array());

    std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    desk.run(&["cases", "list"]).fails(2, "chmod 600");
    std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    desk.run(&["--profile", "nope", "cases", "list"])
        .fails(2, "--profile nope");
    std::fs::write(desk.config_dir().join("config.toml"), "[profiles.lab\n").unwrap();
    desk.run(&["cases", "list"]).fails(2, "config.toml, line 1");
}

/// The library client against the real server's refusals (issue 14 item 4; these were
/// scripted): a token the server never issued and a revoked one (401), a write against a
/// version someone else moved on (412), a viewer's write (403) — each in the client's words
/// around the server's own.
#[tokio::test]
async fn the_real_servers_refusals_reach_the_user_in_words() {
    let (server, token) = demo();
    let num = open_case(&server, &token).await;
    let number: CaseNumber = num.parse().expect("a case number");
    let rejected = format!(
        "token rejected by {0}: run `casedesk login --server {0}` with a valid token",
        server.base
    );
    let client = |token: &str| {
        Client::new(&ClientOptions::new(server.base.as_str(), token)).expect("a client")
    };

    let e = client("cdk_never_issued").me().await.unwrap_err();
    assert!(matches!(e, ClientError::Unauthorized { .. }), "{e:?}");
    assert_eq!(e.to_string(), rejected);

    let revoked = server.token("agent", "ogawa");
    assert_eq!(
        client(&revoked).me().await.expect("a valid token").name,
        "ogawa"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_casedesk"))
        .args(["token", "revoke", "--db"])
        .arg(&server.db)
        .arg("ogawa")
        .output()
        .expect("run casedesk token revoke");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let e = client(&revoked).me().await.unwrap_err();
    assert_eq!(e.to_string(), rejected);

    // 412: the version the client read is stale once a colleague wrote.
    let stale = server.client(&token).case(&num).await["version"]
        .as_i64()
        .expect("version");
    server
        .login("agent", "suzuki")
        .note(&num, "a colleague was quicker", "internal")
        .await;
    let note = NewNote {
        body: "written against a stale version".into(),
        visibility: Visibility::Internal,
        kind: Default::default(),
        from_customer: false,
    };
    let e = client(&token)
        .add_note(&number, &note, stale, "cdk-test-stale")
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::Conflict(_)), "{e:?}");
    assert_eq!(
        e.to_string(),
        format!(
            "case changed by someone else since you read it: case {num} is at version {}, not {stale}: read it again and reapply your change",
            stale + 1
        )
    );
    assert_eq!(notes_with(&server, &token, &num, &note.body).await, 0);

    // 403: a viewer may read, not write.
    let viewer = server.token("viewer", "mori");
    let now = server.client(&token).case(&num).await["version"]
        .as_i64()
        .expect("version");
    let e = client(&viewer)
        .add_note(&number, &note, now, "cdk-test-viewer")
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::Forbidden(_)), "{e:?}");
    assert_eq!(
        e.to_string(),
        "not allowed: mori has the role viewer; to add notes the role agent or higher is needed"
    );
    assert_eq!(notes_with(&server, &token, &num, &note.body).await, 0);
}

/// The event stream resumed after the client was disconnected (issue 14 item 4): what was
/// written meanwhile is delivered on reconnecting with `Last-Event-ID`, in order, from the
/// first event missed.
#[tokio::test]
async fn a_reconnected_event_stream_delivers_what_was_written_while_away() {
    let (server, token) = demo();
    let number = open_case(&server, &token).await;
    let api = server.client(&token);
    let client =
        Client::new(&ClientOptions::new(server.base.as_str(), token.as_str())).expect("a client");

    // Connected: a note arrives live.
    let mut stream = Box::pin(client.events(None).await.expect("the event stream"));
    api.note(&number, "seen live", "internal").await;
    let last = loop {
        let event = next_event(&mut stream).await.expect("the live note");
        if event.kind == "note.added" && event.data.contains("seen live") {
            break event.seq;
        }
    };
    drop(stream);

    // Disconnected: two notes are written.
    api.note(&number, "written while away 1", "internal").await;
    api.note(&number, "written while away 2", "internal").await;
    let newest = api.seq().await;
    assert!(newest > last + 1, "{last} → {newest}");

    let mut stream = Box::pin(client.events(Some(last)).await.expect("the event stream"));
    let mut seen: Vec<(i64, String, String)> = Vec::new();
    while seen.last().is_none_or(|(seq, ..)| *seq < newest) {
        let event = next_event(&mut stream).await.expect("the missed events");
        seen.push((event.seq, event.kind, event.data));
    }
    let seqs: Vec<i64> = seen.iter().map(|(seq, ..)| *seq).collect();
    assert_eq!(
        seqs,
        (last + 1..=newest).collect::<Vec<_>>(),
        "none missed, none repeated"
    );
    let notes: Vec<&str> = seen
        .iter()
        .filter(|(_, kind, _)| kind == "note.added")
        .filter_map(|(.., data)| {
            ["written while away 1", "written while away 2"]
                .into_iter()
                .find(|body| data.contains(body))
        })
        .collect();
    assert_eq!(notes, ["written while away 1", "written while away 2"]);
}

/// The next event within a generous wait, or `None`.
async fn next_event<S>(stream: &mut S) -> Option<casedesk::api::LiveEvent>
where
    S: futures_util::Stream<Item = casedesk::api::LiveEvent> + Unpin,
{
    use futures_util::StreamExt;
    tokio::time::timeout(Duration::from_secs(30), stream.next())
        .await
        .ok()
        .flatten()
}
