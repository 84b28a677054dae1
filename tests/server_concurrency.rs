//! Concurrent writers, optimistic locking, idempotent retries and restarts, against the real
//! `casedesk serve` binary (SPEC §4).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Api, Server, number};
use serde_json::json;

#[tokio::test]
async fn two_agents_patching_the_same_case_one_gets_412() {
    let server = Server::start();
    let tanaka = server.login("agent", "tanaka");
    let yamada = server.login("agent", "yamada");
    for round in 0..5 {
        let case = tanaka
            .create_case(json!({ "subject": format!("race {round}") }))
            .await;
        let n = number(&case);
        let v = common::if_match(&case);
        let path = format!("/v1/cases/{n}");
        let (ta, ya) = (
            json!({ "subject": "tanaka's subject" }),
            json!({ "subject": "yamada's subject" }),
        );
        let (a, b) = tokio::join!(
            tanaka.patch(&path, Some(&v), &ta),
            yamada.patch(&path, Some(&v), &ya),
        );
        let statuses = [a.status.as_u16(), b.status.as_u16()];
        let mut sorted = statuses;
        sorted.sort_unstable();
        assert_eq!(sorted, [200, 412], "round {round}: exactly one wins");
        let (winner, loser, subject) = if statuses[0] == 200 {
            (&a, &b, "tanaka's subject")
        } else {
            (&b, &a, "yamada's subject")
        };
        let p = loser.problem(412, Some("If-Match"));
        assert!(
            p["detail"].as_str().unwrap().contains("version 2"),
            "says where the case is now: {p}"
        );
        assert_eq!(winner.json()["version"], 2);
        let now = tanaka.case(&n).await;
        assert_eq!(now["subject"], subject, "the winner's change is kept");
        assert_eq!(now["version"], 2, "the loser changed nothing");
    }
    // The same race on notes: one note, one 412.
    let case = tanaka.create_case(json!({})).await;
    let n = number(&case);
    let v = common::if_match(&case);
    let path = format!("/v1/cases/{n}/notes");
    let (ta, ya) = (
        json!({ "body": "from tanaka", "visibility": "public" }),
        json!({ "body": "from yamada", "visibility": "public" }),
    );
    let headers = [("If-Match", v.as_str())];
    let (a, b) = tokio::join!(
        tanaka.post_with(&path, &ta, &headers),
        yamada.post_with(&path, &ya, &headers),
    );
    let mut sorted = [a.status.as_u16(), b.status.as_u16()];
    sorted.sort_unstable();
    assert_eq!(sorted, [201, 412]);
    assert_eq!(tanaka.case(&n).await["notes"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn idempotency_key_applies_a_post_once() {
    let server = Server::start();
    let tanaka = server.login("agent", "tanaka");
    let yamada = server.login("agent", "yamada");

    // A case created twice with one key is one case.
    let body = json!({ "subject": "電源が入らない", "priority": "P2" });
    let key = [("Idempotency-Key", "6f1c2a4e-0d7b-4c1e-9a53-1b2c3d4e5f60")];
    let first = tanaka.post_with("/v1/cases", &body, &key).await;
    let case = first.expect(201);
    assert_eq!(first.header("idempotent-replayed"), None);
    let second = tanaka.post_with("/v1/cases", &body, &key).await;
    assert_eq!(second.expect(201), case, "the first answer, replayed");
    assert_eq!(second.header("idempotent-replayed"), Some("true"));
    assert_eq!(tanaka.get("/v1/cases").await.expect(200)["total"], 1);
    let n = number(&case);

    // A note posted twice with one key is one note, even though the version moved on.
    let v = common::if_match(&case);
    let notes = format!("/v1/cases/{n}/notes");
    let note = json!({ "body": "ログを送ってください", "visibility": "public" });
    let key = [("If-Match", v.as_str()), ("Idempotency-Key", "note-1")];
    let a = tanaka.post_with(&notes, &note, &key).await.expect(201);
    let b = tanaka.post_with(&notes, &note, &key).await;
    assert_eq!(b.expect(201), a);
    assert_eq!(b.header("idempotent-replayed"), Some("true"));
    let case = tanaka.case(&n).await;
    assert_eq!(case["notes"].as_array().unwrap().len(), 1);
    assert_eq!(case["version"], 2, "the retry did not touch the case");

    // Concurrent retries with one key: still one note.
    let v = common::if_match(&case);
    let key = [("If-Match", v.as_str()), ("Idempotency-Key", "note-2")];
    let note2 = json!({ "body": "second", "visibility": "internal" });
    let (x, y, z) = tokio::join!(
        tanaka.post_with(&notes, &note2, &key),
        tanaka.post_with(&notes, &note2, &key),
        tanaka.post_with(&notes, &note2, &key),
    );
    let ids: BTreeSet<i64> = [x.expect(201), y.expect(201), z.expect(201)]
        .iter()
        .map(|n| n["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 1, "one note for three tries");
    assert_eq!(tanaka.case(&n).await["notes"].as_array().unwrap().len(), 2);

    // Keys belong to a person: the same key from someone else is a new request.
    let v = tanaka.version(&n).await;
    let theirs = yamada
        .post_with(
            &notes,
            &note,
            &[("If-Match", v.as_str()), ("Idempotency-Key", "note-1")],
        )
        .await;
    assert_eq!(theirs.header("idempotent-replayed"), None);
    assert_ne!(theirs.expect(201)["id"], a["id"]);
    assert_eq!(tanaka.case(&n).await["notes"].as_array().unwrap().len(), 3);

    // A key reused for another request is refused (422, as the Idempotency-Key draft says).
    let v = tanaka.version(&n).await;
    tanaka
        .post_with(
            &format!("/v1/cases/{n}/escalations"),
            &json!({ "kind": "faster_progress", "reason": "slow" }),
            &[("If-Match", v.as_str()), ("Idempotency-Key", "note-1")],
        )
        .await
        .problem(422, Some("Idempotency-Key"));
    // A key that is too long.
    let long = "k".repeat(201);
    tanaka
        .post_with("/v1/cases", &body, &[("Idempotency-Key", long.as_str())])
        .await
        .problem(400, Some("Idempotency-Key"));
    // A refused request is not remembered: fixing it and retrying with the key works.
    let bad = tanaka
        .post_with(
            "/v1/cases",
            &json!({ "subject": "", "priority": "P2" }),
            &[("Idempotency-Key", "k-9")],
        )
        .await;
    bad.problem(422, Some("subject"));
    let good = tanaka
        .post_with(
            "/v1/cases",
            &json!({ "subject": "fixed", "priority": "P2" }),
            &[("Idempotency-Key", "k-9")],
        )
        .await;
    assert_eq!(good.expect(201)["subject"], "fixed");
    assert_eq!(tanaka.get("/v1/cases").await.expect(200)["total"], 2);
}

/// What the feed said about one case: its version at each appearance.
type Seen = BTreeMap<String, Vec<i64>>;

/// Polls the change feed from `since` until it reports nothing more; records every case.
async fn drain(api: &Api, since: &mut i64, seen: &mut Seen, limit: u32) {
    loop {
        let page = api
            .get(&format!("/v1/changes?since={since}&limit={limit}"))
            .await
            .expect(200);
        let next = page["seq"].as_i64().unwrap();
        assert!(next >= *since, "the feed never goes back: {since} → {next}");
        for c in page["cases"].as_array().unwrap() {
            seen.entry(number(c))
                .or_default()
                .push(c["version"].as_i64().unwrap());
        }
        *since = next;
        if page["more"] == false {
            return;
        }
    }
}

#[tokio::test]
async fn eight_concurrent_writers_and_the_change_feed() {
    let server = Server::start();
    let reader = server.login("viewer", "wallboard");
    let writers: Vec<Api> = (0..8)
        .map(|i| server.login("agent", &format!("agent{i}")))
        .collect();

    // A reader follows the feed while the writers work.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let follower = {
        let reader = reader.clone();
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut since = 0;
            let mut seen = Seen::new();
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                drain(&reader, &mut since, &mut seen, 3).await;
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
            drain(&reader, &mut since, &mut seen, 3).await;
            (since, seen)
        })
    };

    const CASES_PER_WRITER: usize = 4;
    let mut tasks = Vec::new();
    for (w, api) in writers.iter().enumerate() {
        let api = api.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            for i in 0..CASES_PER_WRITER {
                let case = api
                    .create_case(json!({ "subject": format!("writer {w} case {i}"), "owner": format!("agent{w}") }))
                    .await;
                let n = number(&case);
                // Two more writes on the same case: a note and a status change.
                api.note(&n, &format!("writer {w} note {i}"), "internal").await;
                api.patch_case(&n, &json!({ "status": "open" })).await.expect(200);
                mine.push(n);
            }
            mine
        }));
    }
    let mut created = BTreeSet::new();
    for t in tasks {
        for n in t.await.expect("writer task") {
            assert!(created.insert(n.clone()), "case number {n} issued twice");
        }
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let (followed_to, followed) = follower.await.expect("follower task");
    let total = writers.len() * CASES_PER_WRITER;
    assert_eq!(created.len(), total);

    // Every case is at version 3 (created, note, status).
    let newest = reader.seq().await;
    let all = reader.get("/v1/cases?limit=500").await.expect(200);
    assert_eq!(all["total"], total as u64);
    assert!(
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["version"] == 3 && c["status"] == "open")
    );

    // A fresh reader from 0 gets every case exactly once, in pages, at its final version.
    let mut since = 0;
    let mut fresh = Seen::new();
    drain(&reader, &mut since, &mut fresh, 5).await;
    assert_eq!(since, newest, "the feed ends at the newest sequence");
    assert_eq!(fresh.keys().cloned().collect::<BTreeSet<_>>(), created);
    for (n, versions) in &fresh {
        assert_eq!(versions, &[3], "{n} once, at its final version");
    }
    // Each write is one event per created case, two per note, one per status change: the
    // sequence counts them all.
    assert_eq!(
        newest,
        (total * (1 + 2 + 1)) as i64,
        "one sequence number per event"
    );

    // The reader that followed along ends at the newest sequence and never got the same
    // version of a case twice. (That a follower hears of every write under heavier load is
    // `a_feed_follower_never_misses_a_write`.)
    assert_eq!(followed_to, newest);
    assert_eq!(followed.keys().cloned().collect::<BTreeSet<_>>(), created);
    for (n, versions) in &followed {
        let mut dedup = versions.clone();
        dedup.dedup();
        assert_eq!(
            &dedup, versions,
            "{n}: a version reported twice: {versions:?}"
        );
        assert!(
            versions.windows(2).all(|w| w[0] < w[1]),
            "{n}: versions go forward: {versions:?}"
        );
    }
    // Numbers are a gapless per-day sequence.
    let mut seqs: Vec<u32> = created.iter().map(|n| n[10..].parse().unwrap()).collect();
    seqs.sort_unstable();
    if created
        .iter()
        .all(|n| n[..9] == created.iter().next().unwrap()[..9])
    {
        assert_eq!(seqs, (1..=total as u32).collect::<Vec<_>>());
    }
}

#[tokio::test]
async fn data_and_sequence_survive_a_restart() {
    let mut server = Server::start();
    let agent_token = server.token("agent", "tanaka");
    let lead_token = server.token("lead", "suzuki");
    let agent = server.client(&agent_token);
    let lead = server.client(&lead_token);

    let a = agent
        .create_case(json!({ "subject": "再起動テスト 電源", "priority": "P1", "serial_number": "FOC9999R0ST" }))
        .await;
    let n = number(&a);
    agent.note(&n, "public answer", "public").await;
    let esc = agent
        .escalate(&n, json!({ "kind": "faster_progress", "reason": "slow" }))
        .await;
    lead.patch(
        &format!("/v1/escalations/{}", esc["id"]),
        None,
        &json!({ "state": "acknowledged" }),
    )
    .await
    .expect(200);
    let rma = agent
        .create_rma(&n, json!({ "part_number": "PWR-1" }))
        .await;
    let key = [("Idempotency-Key", "restart-key")];
    let b = agent
        .post_with(
            "/v1/cases",
            &json!({ "subject": "second", "priority": "P4" }),
            &key,
        )
        .await
        .expect(201);

    let before_case = agent.case(&n).await;
    let before_seq = agent.seq().await;
    let before_stats = agent.get("/v1/stats").await.expect(200);
    let before_list = agent.get("/v1/cases?sort=number").await.expect(200);
    assert!(before_seq > 0);

    server.restart();
    let agent = agent.rebased(&server.base);
    let lead = lead.rebased(&server.base);

    // The sequence and every record survive; tokens still work.
    assert_eq!(agent.seq().await, before_seq);
    let after_case = agent.case(&n).await;
    for field in [
        "number",
        "subject",
        "priority",
        "status",
        "version",
        "notes",
        "escalations",
        "rmas",
        "history",
        "created_at",
        "updated_at",
        "serial_number",
    ] {
        assert_eq!(after_case[field], before_case[field], "{field} survives");
    }
    assert_eq!(after_case["clocks"]["clocks"][0]["state"], "met");
    let mut after_stats = agent.get("/v1/stats").await.expect(200);
    let mut before_stats = before_stats;
    for s in [&mut after_stats, &mut before_stats] {
        s.as_object_mut().unwrap().remove("at");
    }
    assert_eq!(after_stats, before_stats);
    assert_eq!(
        agent.get("/v1/cases?sort=number").await.expect(200)["items"],
        before_list["items"]
    );
    assert_eq!(
        lead.get("/v1/escalations").await.expect(200)[0]["state"],
        "acknowledged"
    );
    let rmas = agent.get("/v1/rmas").await.expect(200);
    assert_eq!(rmas[0]["number"], rma["number"]);
    let nothing_new = agent
        .get(&format!("/v1/changes?since={before_seq}"))
        .await
        .expect(200);
    assert!(nothing_new["cases"].as_array().unwrap().is_empty());
    assert_eq!(nothing_new["seq"], before_seq);
    // An idempotent retry across the restart is still replayed.
    let replay = agent
        .post_with(
            "/v1/cases",
            &json!({ "subject": "second", "priority": "P4" }),
            &key,
        )
        .await;
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    assert_eq!(replay.expect(201)["number"], b["number"]);

    // New writes continue both sequences.
    let c = agent
        .create_case(json!({ "subject": "after restart" }))
        .await;
    let nc = number(&c);
    if nc[..9] == n[..9] {
        assert_eq!(&nc[10..], "000003", "the day's case sequence continues");
    }
    let after_seq = agent.seq().await;
    assert_eq!(after_seq, before_seq + 1);
    let feed = agent
        .get(&format!("/v1/changes?since={before_seq}"))
        .await
        .expect(200);
    let changed: Vec<String> = feed["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(number)
        .collect();
    assert_eq!(changed, [nc]);
    let rma2 = agent
        .create_rma(&n, json!({ "part_number": "PWR-2" }))
        .await;
    assert!(
        rma2["number"].as_str() > rma["number"].as_str(),
        "RMA numbers continue"
    );

    // And once more, to be sure a restarted server also shuts down cleanly.
    server.restart();
    let agent = agent.rebased(&server.base);
    assert_eq!(agent.seq().await, after_seq + 2);
    let status = server.stop();
    assert!(status.success(), "clean exit: {status}");
}

#[tokio::test]
async fn shutdown_is_clean_with_requests_and_streams_open() {
    let mut server = Server::start();
    let agent = server.login("agent", "tanaka");
    let case = agent.create_case(json!({})).await;
    // A live event stream stays open until the server stops.
    let mut stream = common::SseStream::open(&agent, "/v1/events?since=0", &[]).await;
    let first = stream
        .next(std::time::Duration::from_secs(5))
        .await
        .expect("the creation event");
    assert_eq!(first.event.as_deref(), Some("case.created"));
    assert!(first.data.contains(&number(&case)));
    let status = server.stop();
    assert!(
        status.success(),
        "clean exit with a stream open: {status}\n{}",
        server.log()
    );
    assert!(
        stream.ended(std::time::Duration::from_secs(5)).await,
        "the stream ends when the server stops"
    );
}

#[tokio::test]
async fn an_idempotent_replay_repeats_the_location() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let body = json!({ "subject": "retry me", "priority": "P3" });
    let key = [("Idempotency-Key", "loc-1")];
    let first = agent.post_with("/v1/cases", &body, &key).await;
    first.expect(201);
    let location = first.header("location").expect("Location").to_string();
    let again = agent.post_with("/v1/cases", &body, &key).await;
    again.expect(201);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.header("location"), Some(location.as_str()));
}

/// A supervisor may stop the server the moment it reports ready: the SIGTERM handler is
/// installed before the listening line is printed (`server::shutdown_signal`), so even a
/// signal sent at once is a clean shutdown. This guards that order.
#[tokio::test]
async fn sigterm_right_after_start_is_a_clean_shutdown() {
    let mut server = Server::start();
    for attempt in 0..10 {
        let status = server.signal_and_wait();
        assert!(
            status.success(),
            "attempt {attempt}: SIGTERM right after the listening line: {status}"
        );
        server.start_again();
    }
}

/// `store::changes` reads the changed cases and then the newest sequence in two statements; they
/// must see one snapshot (`Db::read_blocking` runs them in one read transaction), or a write
/// committed between them would be skipped because the answer's `seq` jumps past it, and a
/// client following the feed would never see that change. Every write here opens a new case,
/// so a skipped write is a case the follower never hears of. The race is narrow: were the
/// snapshot lost, this would fail on some runs, not all.
#[tokio::test]
async fn a_feed_follower_never_misses_a_write() {
    let server = Server::start();
    let reader = server.login("viewer", "wallboard");
    let writers: Vec<Api> = (0..8)
        .map(|i| server.login("agent", &format!("stress{i}")))
        .collect();
    for round in 0..4 {
        follow_while_writing(&reader, &writers, round).await;
    }
}

async fn follow_while_writing(reader: &Api, writers: &[Api], round: usize) {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut followers = Vec::new();
    for _ in 0..4 {
        let reader = reader.clone();
        let stop = stop.clone();
        followers.push(tokio::spawn(async move {
            let mut since = 0;
            let mut seen = Seen::new();
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                drain(&reader, &mut since, &mut seen, 1000).await;
            }
            drain(&reader, &mut since, &mut seen, 1000).await;
            seen
        }));
    }
    let mut tasks = Vec::new();
    for (i, w) in writers.iter().cloned().enumerate() {
        tasks.push(tokio::spawn(async move {
            let mut made = Vec::new();
            for j in 0..40 {
                let case = w
                    .create_case(json!({ "subject": format!("stress {round}/{i}/{j}") }))
                    .await;
                made.push(number(&case));
            }
            made
        }));
    }
    let mut created = BTreeSet::new();
    for t in tasks {
        created.extend(t.await.expect("writer"));
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for f in followers {
        let seen = f.await.expect("follower");
        let missed: Vec<&String> = created.iter().filter(|n| !seen.contains_key(*n)).collect();
        assert!(
            missed.is_empty(),
            "round {round}: the follower never heard of {missed:?}"
        );
    }
}
