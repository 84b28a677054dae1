//! `GET /v1/events`: server-sent events from the real server, parsed by hand, resumed with
//! `Last-Event-ID` (SPEC §4).

mod common;

use std::time::Duration;

use common::{Api, Server, SseEvent, SseStream, number};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(5);
/// How long to wait before deciding that no further event is coming.
const QUIET: Duration = Duration::from_millis(700);

fn kinds(events: &[SseEvent]) -> Vec<&str> {
    events
        .iter()
        .map(|e| e.event.as_deref().unwrap_or(""))
        .collect()
}

fn ids(events: &[SseEvent]) -> Vec<i64> {
    events.iter().map(SseEvent::seq).collect()
}

fn data(e: &SseEvent) -> Value {
    serde_json::from_str(&e.data).unwrap_or_else(|err| panic!("event data is JSON ({err}): {e:?}"))
}

/// Writes that make a known number of events: returns the kinds, in order.
async fn create_with_note(agent: &Api, subject: &str) -> (String, Vec<&'static str>) {
    let case = agent
        .create_case(json!({ "subject": subject, "serial_number": "FOC0000E0VT" }))
        .await;
    let n = number(&case);
    agent
        .note(&n, "ご連絡ありがとうございます", "internal")
        .await;
    (n, vec!["case.created", "note.added", "case.updated"])
}

#[tokio::test]
async fn reconnecting_with_last_event_id_gets_exactly_the_missed_events() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let lead = server.login("lead", "suzuki");

    // Something before the stream opens is not sent to a client that starts from now.
    agent
        .create_case(json!({ "subject": "before the stream" }))
        .await;
    let start = agent.seq().await;

    let mut stream = SseStream::open(&agent, "/v1/events", &[]).await;
    let (a, mut expected) = create_with_note(&agent, "電源障害").await;
    agent
        .patch_case(&a, &json!({ "status": "open" }))
        .await
        .expect(200);
    expected.push("case.updated");
    let seen = stream.take(expected.len(), WAIT).await;
    assert_eq!(kinds(&seen), expected);
    let first_ids = ids(&seen);
    assert_eq!(
        first_ids,
        ((start + 1)..=(start + 4)).collect::<Vec<_>>(),
        "ids are the change sequence, none skipped"
    );
    assert!(stream.next(QUIET).await.is_none(), "nothing else was sent");
    let created = data(&seen[0]);
    assert_eq!(created["number"], a.as_str());
    assert_eq!(created["status"], "new");
    let note = data(&seen[1]);
    assert_eq!(note["case_number"], a.as_str());
    assert_eq!(note["note"]["body"], "ご連絡ありがとうございます");
    assert_eq!(data(&seen[3])["status"], "open");
    let last_id = seen.last().unwrap().id.clone().unwrap();
    drop(stream);

    // Writes while the client is away.
    let b = agent
        .create_case(json!({ "subject": "while away", "serial_number": "FOC5555W0AY" }))
        .await;
    let nb = number(&b);
    let esc = agent
        .escalate(&a, json!({ "kind": "faster_progress", "reason": "slow" }))
        .await;
    lead.patch(
        &format!("/v1/escalations/{}", esc["id"]),
        None,
        &json!({ "state": "acknowledged" }),
    )
    .await
    .expect(200);
    let v = agent.version(&nb).await;
    agent
        .post_with(
            &format!("/v1/cases/{nb}/rmas"),
            &json!({ "part_number": "PWR-C1" }),
            &[("If-Match", &v)],
        )
        .await
        .expect(201);
    let missed_kinds = [
        "case.created",
        "escalation.requested",
        "case.updated",
        "escalation.acknowledged",
        "case.updated",
        "rma.created",
        "case.updated",
    ];
    let newest = agent.seq().await;
    let last: i64 = last_id.parse().unwrap();
    assert_eq!(newest - last, missed_kinds.len() as i64);

    // Resume: exactly the missed events, in order, none repeated, none missing.
    let mut resumed = SseStream::open(&agent, "/v1/events", &[("Last-Event-ID", &last_id)]).await;
    let missed = resumed.take(missed_kinds.len(), WAIT).await;
    assert_eq!(kinds(&missed), missed_kinds);
    assert_eq!(ids(&missed), ((last + 1)..=newest).collect::<Vec<_>>());
    assert!(
        resumed.next(QUIET).await.is_none(),
        "nothing beyond the missed events"
    );
    assert_eq!(data(&missed[0])["number"], nb.as_str());
    assert_eq!(data(&missed[1])["id"], esc["id"]);
    assert_eq!(data(&missed[3])["acknowledged_by"], "suzuki");
    assert_eq!(data(&missed[5])["case_number"], nb.as_str());

    // The same events as a client that reads the whole log from 0.
    let mut whole = SseStream::open(&agent, "/v1/events?since=0", &[]).await;
    let everything = whole.take(newest as usize, WAIT).await;
    assert_eq!(ids(&everything), (1..=newest).collect::<Vec<_>>());
    assert_eq!(
        &everything[(start as usize)..(start as usize + 4)],
        &seen[..]
    );
    assert_eq!(&everything[(last as usize)..], &missed[..]);
    assert!(whole.next(QUIET).await.is_none());

    // Both streams carry on live.
    agent.note(&nb, "live", "internal").await;
    for s in [&mut resumed, &mut whole] {
        let live = s.take(2, WAIT).await;
        assert_eq!(kinds(&live), ["note.added", "case.updated"]);
        assert_eq!(ids(&live), [newest + 1, newest + 2]);
    }

    // Last-Event-ID wins over `since`; resuming at the newest id gives nothing old.
    let newest = agent.seq().await;
    let mut at_end = SseStream::open(
        &agent,
        "/v1/events?since=0",
        &[("Last-Event-ID", &newest.to_string())],
    )
    .await;
    assert!(at_end.next(QUIET).await.is_none());
    agent
        .patch_case(&nb, &json!({ "status": "open" }))
        .await
        .expect(200);
    let e = at_end.take(1, WAIT).await;
    assert_eq!(ids(&e), [newest + 1]);
}

#[tokio::test]
async fn a_stream_sees_every_event_of_concurrent_writers_once() {
    let server = Server::start();
    let viewer = server.login("viewer", "wallboard");
    let writers: Vec<Api> = (0..8)
        .map(|i| server.login("agent", &format!("w{i}")))
        .collect();
    let mut a = SseStream::open(&viewer, "/v1/events", &[]).await;
    let mut b = SseStream::open(&viewer, "/v1/events?since=0", &[]).await;
    let mut tasks = Vec::new();
    for (i, w) in writers.iter().enumerate() {
        let w = w.clone();
        tasks.push(tokio::spawn(async move {
            for j in 0..3 {
                let case = w
                    .create_case(json!({ "subject": format!("w{i} c{j}") }))
                    .await;
                w.note(&number(&case), "note", "public").await;
            }
        }));
    }
    for t in tasks {
        t.await.expect("writer");
    }
    let total = 8 * 3 * 3;
    assert_eq!(viewer.seq().await, total);
    for s in [&mut a, &mut b] {
        let events = s.take(total as usize, WAIT).await;
        assert_eq!(
            ids(&events),
            (1..=total).collect::<Vec<_>>(),
            "every event once, in order"
        );
        assert_eq!(
            kinds(&events)
                .iter()
                .filter(|k| **k == "case.created")
                .count(),
            24
        );
        assert_eq!(
            kinds(&events)
                .iter()
                .filter(|k| **k == "note.added")
                .count(),
            24
        );
        assert!(s.next(QUIET).await.is_none());
    }
}

#[tokio::test]
async fn bad_resume_points_are_problems() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let r = agent
        .get_with("/v1/events", &[("Last-Event-ID", "yesterday")])
        .await;
    r.problem(400, Some("Last-Event-ID"));
    agent
        .get("/v1/events?since=-1")
        .await
        .problem(400, Some("since"));
    agent
        .get("/v1/events?since=abc")
        .await
        .problem(400, Some("since"));
    agent
        .get("/v1/events?from=3")
        .await
        .problem(400, Some("from"));
    server
        .anonymous()
        .get("/v1/events")
        .await
        .problem(401, None);
    // A resume point beyond the log waits for new events rather than failing.
    let mut s = SseStream::open(&agent, "/v1/events", &[("Last-Event-ID", "0")]).await;
    assert!(s.next(QUIET).await.is_none());
    agent.create_case(json!({})).await;
    assert_eq!(ids(&s.take(1, WAIT).await), [1]);
}

#[tokio::test]
async fn an_idle_stream_sends_heartbeats() {
    let server = Server::start();
    let viewer = server.login("viewer", "wallboard");
    let mut s = SseStream::open(&viewer, "/v1/events", &[]).await;
    // The heartbeat interval is 15 s; a comment line must come within 20 s.
    assert!(
        s.heartbeat(Duration::from_secs(20)).await,
        "a heartbeat comment within 20 s"
    );
    assert!(
        s.next(Duration::from_millis(100)).await.is_none(),
        "no events on an idle server"
    );
}

#[tokio::test]
async fn the_stream_is_not_compressed() {
    // A gzip encoder would hold events back until its buffer fills.
    let server = Server::start();
    let token = server.token("agent", "tanaka");
    let raw = server.raw_client(&token);
    let mut s = SseStream::open(&raw, "/v1/events", &[("Accept-Encoding", "gzip")]).await;
    assert_eq!(s.headers.get("content-encoding"), None);
    let cache = s
        .headers
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(cache.contains("no-cache"), "cache-control: {cache}");
    server.client(&token).create_case(json!({})).await;
    let e = s.take(1, WAIT).await;
    assert_eq!(kinds(&e), ["case.created"]);
}

#[tokio::test]
async fn resuming_after_a_server_restart() {
    let mut server = Server::start();
    let token = server.token("agent", "tanaka");
    let agent = server.client(&token);
    let mut stream = SseStream::open(&agent, "/v1/events", &[]).await;
    let (n, expected) = create_with_note(&agent, "before the restart").await;
    let seen = stream.take(expected.len(), WAIT).await;
    assert_eq!(kinds(&seen), expected);
    let last = seen.last().unwrap().seq();
    server.restart();
    assert!(
        stream.ended(WAIT).await,
        "the stream ended with the old server"
    );
    let agent = agent.rebased(&server.base);
    // Changes made after the restart, before the client is back.
    agent
        .patch_case(&n, &json!({ "status": "open" }))
        .await
        .expect(200);
    let (_, more) = create_with_note(&agent, "after the restart").await;
    let mut resumed = SseStream::open(
        &agent,
        "/v1/events",
        &[("Last-Event-ID", &last.to_string())],
    )
    .await;
    let missed = resumed.take(1 + more.len(), WAIT).await;
    let mut want = vec!["case.updated"];
    want.extend(more);
    assert_eq!(kinds(&missed), want);
    assert_eq!(
        ids(&missed),
        ((last + 1)..=(last + want.len() as i64)).collect::<Vec<_>>()
    );
    assert_eq!(agent.seq().await, last + want.len() as i64);
    assert!(resumed.next(QUIET).await.is_none());
}

/// Reads until the server ends the stream: the events it still sent and how long that took.
/// Panics if the stream is still open after `wait`.
async fn until_end(stream: &mut SseStream, wait: Duration) -> (Vec<SseEvent>, Duration) {
    let start = std::time::Instant::now();
    let mut sent = Vec::new();
    while let Some(e) = stream.next(wait.saturating_sub(start.elapsed())).await {
        sent.push(e);
    }
    let took = start.elapsed();
    assert!(
        took < wait,
        "the stream was still open after {wait:?}; it sent {sent:?}"
    );
    (sent, took)
}

#[tokio::test]
async fn revoking_a_token_ends_its_streams_at_once_and_sends_nothing_after() {
    let server = Server::start();
    let admin = server.login("admin", "boss");
    let tanaka = server.login("agent", "tanaka");
    let sato = server.login("agent", "sato");
    let board = server.login("viewer", "wallboard");
    let mut live = SseStream::open(&tanaka, "/v1/events", &[]).await;
    let mut whole = SseStream::open(&tanaka, "/v1/events?since=0", &[]).await;
    let mut other = SseStream::open(&board, "/v1/events", &[]).await;

    let (n, expected) = create_with_note(&sato, "before the revocation").await;
    for s in [&mut live, &mut whole, &mut other] {
        assert_eq!(kinds(&s.take(expected.len(), WAIT).await), expected);
    }

    // Revoked while the streams are idle; internal notes keep coming right after.
    admin.delete("/v1/tokens/tanaka").await.expect(204);
    sato.note(&n, "社内メモ: after the revocation", "internal")
        .await;
    for s in [&mut live, &mut whole] {
        let (sent, took) = until_end(s, Duration::from_secs(2)).await;
        assert!(sent.is_empty(), "nothing after the revocation: {sent:?}");
        assert!(took < Duration::from_secs(2), "ended after {took:?}");
    }
    // Another person's stream carries on.
    assert_eq!(
        kinds(&other.take(2, WAIT).await),
        ["note.added", "case.updated"]
    );
    // And the revoked token cannot open a new one.
    tanaka.get("/v1/events").await.problem(401, None);
}

#[tokio::test]
async fn a_token_revoked_by_another_process_ends_its_idle_stream_within_two_seconds() {
    let server = Server::start();
    let tanaka = server.login("agent", "tanaka");
    let sato = server.login("agent", "sato");
    let mut idle = SseStream::open(&tanaka, "/v1/events", &[]).await;
    let mut busy = SseStream::open(&tanaka, "/v1/events", &[]).await;
    sato.create_case(json!({ "subject": "before" })).await;
    assert_eq!(kinds(&idle.take(1, WAIT).await), ["case.created"]);
    assert_eq!(kinds(&busy.take(1, WAIT).await), ["case.created"]);

    // `casedesk token revoke` on the server's database: the server hears of it from no one.
    let revoked = std::process::Command::new(env!("CARGO_BIN_EXE_casedesk"))
        .args(["token", "revoke", "--db"])
        .arg(&server.db)
        .arg("tanaka")
        .output()
        .expect("run casedesk token revoke");
    assert!(revoked.status.success(), "token revoke tanaka");

    // No event flows: the stream still ends on its own.
    let (sent, _) = until_end(&mut idle, Duration::from_secs(2)).await;
    assert!(sent.is_empty(), "{sent:?}");
    // Events written after the revocation are not sent.
    sato.create_case(json!({ "subject": "after" })).await;
    let (sent, _) = until_end(&mut busy, Duration::from_secs(2)).await;
    assert!(sent.is_empty(), "nothing after the revocation: {sent:?}");
}
