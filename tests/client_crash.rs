//! A client killed in the middle of `casedesk sync` (issue 13 item 6): with notes queued on
//! several cases, a crash at any point is followed by a clean send of everything, exactly
//! once, with no conflict against our own earlier notes. The debug binary's
//! `CASEDESK_TEST_CRASH=sent:N` aborts when the N-th entry was accepted by the server and not
//! yet taken out of the outbox, `removed:N` right after it was.

mod common;

use common::desk::Desk;
use common::{Server, notes_with, open_cases};

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

/// Random bytes written into the middle of the cache (issue 13 item 7): the sync that meets
/// the damage moves the file aside, rebuilds it from the server, keeps the outbox, says so,
/// and succeeds — and so does every sync after it.
#[tokio::test]
async fn a_cache_damaged_in_the_middle_is_rebuilt_and_keeps_its_outbox() {
    let server = Server::start_with(&["--demo", "--demo-cases", "60"]);
    let token = server.token("agent", "kimura");
    let desk = Desk::new(&server.base, &token);
    desk.run(&["sync"]).ok();
    let number = open_cases(&server, &token, 1).await.remove(0);
    let cache = desk.cache_file("default");
    // A change the server refused, waiting for the user: it must survive the rebuild.
    let conn = rusqlite::Connection::open(&cache).unwrap();
    let change = serde_json::json!({"op": "note", "data": {"body": "kept across the rebuild", "visibility": "internal"}});
    conn.execute(
        "INSERT INTO outbox (case_number, change, base_version, idempotency_key, state, error, attempts, created_at)
         VALUES (?1, ?2, 1, 'cdk-test-damaged', 'failed', 'refused', 1, '2026-11-23T00:00:00Z')",
        (&number, change.to_string()),
    )
    .unwrap();
    drop(conn);

    // Garbage over the middle of the file (the cases' pages), as a failing disk would leave.
    let mut bytes = std::fs::read(&cache).unwrap();
    let len = bytes.len();
    assert!(len > 64 * 1024, "a cache of some size: {len}");
    for (i, b) in bytes[len / 3..len / 3 + 16 * 4096].iter_mut().enumerate() {
        *b = (i * 7919 % 251) as u8;
    }
    std::fs::write(&cache, &bytes).unwrap();

    let run = desk.run(&["sync"]);
    let out = run.ok().to_string();
    assert!(
        run.stderr.contains("the cache was damaged"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("its outbox was kept (1 change(s))"),
        "{}",
        run.stderr
    );
    assert!(out.contains("full sync:"), "{out}");
    let aside: Vec<_> = std::fs::read_dir(cache.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".damaged-"))
        .collect();
    assert!(!aside.is_empty(), "the damaged file is kept aside");
    let outbox = desk.run(&["outbox", "list", "--json"]).json();
    assert_eq!(outbox.as_array().unwrap().len(), 1, "{outbox}");
    assert_eq!(outbox[0]["idempotency_key"], "cdk-test-damaged");
    desk.run(&["sync"]).ok();
}
