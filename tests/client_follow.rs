//! The background sync against a real server: live events, polling when the stream is off,
//! offline when the server stops, online again — by itself — when it is back.

mod common;

use std::time::{Duration, Instant};

use casedesk::api::{Client, ClientOptions};
use casedesk::cache::Cache;
use casedesk::sync::{Desk, FollowOptions, SyncStatus, follow};
use common::Server;
use serde_json::json;
use tokio::sync::watch;

fn desk(server: &Server, token: &str) -> Desk {
    let dir = common::temp_dir("casedesk-follow");
    let (cache, _) = Cache::open(&dir.join("c.sqlite3")).unwrap();
    let options = ClientOptions {
        retries: 1,
        connect_timeout: Duration::from_secs(1),
        ..ClientOptions::new(&server.base, token)
    };
    Desk::new(Some(Client::new(&options).unwrap()), cache)
}

/// Waits until the status satisfies `want`, or panics after `limit`.
async fn until(
    rx: &mut watch::Receiver<SyncStatus>,
    limit: Duration,
    what: &str,
    want: impl Fn(&SyncStatus) -> bool,
) -> SyncStatus {
    let deadline = Instant::now() + limit;
    loop {
        if want(&rx.borrow()) {
            return rx.borrow().clone();
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if tokio::time::timeout(left, rx.changed()).await.is_err() {
            panic!("{what} not within {limit:?}; status: {:?}", *rx.borrow());
        }
    }
}

fn cached(desk: &Desk, number: &str) -> bool {
    let number = number.parse().unwrap();
    desk.cache().summary(&number).unwrap().is_some()
}

async fn follows_new_cases(events: bool) {
    let server = Server::start_with(&["--demo", "--demo-cases", "30"]);
    let token = server.token("viewer", "tv");
    let desk = desk(&server, &token);
    let options = FollowOptions {
        events,
        poll: Duration::from_millis(300),
        ..FollowOptions::default()
    };
    let handle = follow::spawn(desk.clone(), options);
    let mut rx = handle.subscribe();
    let first = until(&mut rx, Duration::from_secs(20), "first sync", |s| {
        s.online && s.revision > 0 && !s.busy
    })
    .await;
    assert!(desk.cache().case_count().unwrap() > 0);
    if events {
        until(&mut rx, Duration::from_secs(5), "stream", |s| s.live).await;
    }

    let api = server.login("agent", "ogawa");
    let created = api
        .create_case(json!({"subject": "新しい P1: 全拠点で通信断", "priority": "P1"}))
        .await;
    let number = created["number"].as_str().unwrap().to_string();
    // The 2 s the README promises is a benchmark's to measure; on a loaded CI machine the test
    // only asks that the case comes, generously.
    let started = Instant::now();
    until(&mut rx, Duration::from_secs(20), "the new case", |s| {
        s.revision > first.revision && cached(&desk, &number)
    })
    .await;
    eprintln!("[follow] the new case came after {:?}", started.elapsed());
    // Its detail follows in the background.
    let deadline = Instant::now() + Duration::from_secs(20);
    while desk
        .cache()
        .detail(&number.parse().unwrap())
        .unwrap()
        .is_none()
    {
        assert!(Instant::now() < deadline, "detail of the new case");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    handle.stop().await;
}

#[tokio::test]
async fn live_events_bring_a_new_case() {
    follows_new_cases(true).await;
}

#[tokio::test]
async fn polling_brings_a_new_case_when_the_stream_is_off() {
    follows_new_cases(false).await;
}

#[tokio::test]
async fn offline_when_the_server_stops_and_online_again_when_it_returns() {
    let mut server = Server::start_with(&["--demo", "--demo-cases", "30"]);
    let token = server.token("viewer", "tv");
    let desk = desk(&server, &token);
    let options = FollowOptions {
        poll: Duration::from_millis(300),
        max_backoff: Duration::from_secs(1),
        ..FollowOptions::default()
    };
    let handle = follow::spawn(desk.clone(), options);
    let mut rx = handle.subscribe();
    until(&mut rx, Duration::from_secs(20), "live", |s| {
        s.online && s.live
    })
    .await;
    let before = desk.cache().case_count().unwrap();

    server.stop();
    let offline = until(&mut rx, Duration::from_secs(15), "offline", |s| !s.online).await;
    assert!(offline.offline_since.is_some());
    assert!(
        offline
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("unreachable"),
        "{offline:?}"
    );
    // Reads keep working from the cache.
    assert_eq!(desk.cache().case_count().unwrap(), before);

    server.start_again_on_the_same_port();
    until(&mut rx, Duration::from_secs(15), "online again", |s| {
        s.online
    })
    .await;
    let api = server.login("agent", "ogawa");
    let created = api
        .create_case(json!({"subject": "after the restart", "priority": "P3"}))
        .await;
    let number = created["number"].as_str().unwrap().to_string();
    until(
        &mut rx,
        Duration::from_secs(10),
        "the case made after the restart",
        |_| cached(&desk, &number),
    )
    .await;
    handle.stop().await;
}

#[tokio::test]
async fn a_reset_server_is_synced_afresh() {
    let mut server = Server::start();
    let token = server.token("viewer", "tv");
    let api = server.login("agent", "ogawa");
    for i in 0..3 {
        let c = api
            .create_case(json!({"subject": format!("old case {i}"), "priority": "P3"}))
            .await;
        api.note(c["number"].as_str().unwrap(), "looking", "internal")
            .await;
    }
    let desk = desk(&server, &token);
    desk.sync().await.unwrap();
    assert_eq!(desk.cache().summaries().unwrap().len(), 3);

    // Same address, a new and empty database: its sequence is behind the cache's.
    server.stop();
    std::fs::remove_file(&server.db).unwrap();
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", server.db.display()));
    }
    server.start_again_on_the_same_port();
    // The same cache file, a client with a token of the new database.
    let token2 = server.token("viewer", "tv");
    let cache_path = desk.cache().path().to_path_buf();
    drop(desk);
    let (cache, _) = Cache::open(&cache_path).unwrap();
    let client = Client::new(&ClientOptions::new(&server.base, &token2)).unwrap();
    let desk = Desk::new(Some(client), cache);
    let agent = server.login("agent", "ogawa");
    agent
        .create_case(json!({"subject": "the only case now", "priority": "P2"}))
        .await;
    let report = desk.sync().await.unwrap();
    assert!(report.full, "{report:?}");
    let now: Vec<_> = desk.cache().summaries().unwrap();
    assert_eq!(now.len(), 1, "the old server's cases are gone");
}
