//! The server's background jobs on a real `casedesk serve`, its clock set by the debug build's
//! `CASEDESK_TEST_NOW` hook: a test moves time forward by restarting the server at a later
//! instant, instead of waiting for a deadline to pass.

mod common;

use std::time::Duration;

use common::{Api, Server, SseEvent, SseStream, number};
use serde_json::{Value, json};

/// How long the first job run after a start may take to reach the stream (the jobs run at
/// once on start, then every 2 s); generous for a loaded CI machine.
const WAIT: Duration = Duration::from_secs(20);

/// Monday 2 March 2026, 10:00 in Tokyo.
const T0: &str = "2026-03-02T01:00:00Z";
/// Two hours later: past the 1 h first response of a case opened at `T0`.
const T0_PLUS_2H: &str = "2026-03-02T03:00:00Z";
/// Four hours later: past the first response of a case opened at `T0_PLUS_2H`.
const T0_PLUS_4H: &str = "2026-03-02T05:00:00Z";

/// A P1 premium phone case: its first response is due one hour after it opens (24x7).
async fn p1_case(agent: &Api, subject: &str) -> String {
    let case = agent
        .create_case(json!({
            "subject": subject, "priority": "P1", "tier": "premium", "channel": "phone"
        }))
        .await;
    number(&case)
}

/// Restarts the server with its clock at `now`; returns the client rebased on it.
fn restart_at(server: &mut Server, agent: &Api, now: &str) -> Api {
    let status = server.stop();
    assert!(
        status.success(),
        "clean stop: {status}; log:\n{}",
        server.log()
    );
    server.set_env("CASEDESK_TEST_NOW", now);
    server.start_again();
    agent.rebased(&server.base)
}

/// Reads the stream until `done` holds for an event; returns every event read.
async fn read_until(stream: &mut SseStream, done: impl Fn(&SseEvent) -> bool) -> Vec<SseEvent> {
    let mut seen = Vec::new();
    loop {
        match stream.next(WAIT).await {
            Some(event) => {
                let last = done(&event);
                seen.push(event);
                if last {
                    return seen;
                }
            }
            None => panic!("the awaited event did not come within {WAIT:?}; got {seen:?}"),
        }
    }
}

/// The `sla.breached` events as (case number, clock kind).
fn breaches(events: &[SseEvent]) -> Vec<(String, String)> {
    events
        .iter()
        .filter(|e| e.event.as_deref() == Some("sla.breached"))
        .map(|e| {
            let data: Value = serde_json::from_str(&e.data).expect("event data is JSON");
            (
                data["case_number"].as_str().unwrap_or_default().to_string(),
                data["clock"]["kind"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}

fn is_breach_of(event: &SseEvent, case: &str) -> bool {
    event.event.as_deref() == Some("sla.breached")
        && serde_json::from_str::<Value>(&event.data)
            .is_ok_and(|d| d["case_number"].as_str() == Some(case))
}

#[tokio::test]
async fn a_breach_reaches_the_stream_exactly_once_across_writes_job_runs_and_restarts() {
    let mut server = Server::start_with_env(&[], &[("CASEDESK_TEST_NOW", T0)]);
    let token = server.token("agent", "tanaka");
    let agent = server.client(&token);
    let start = agent.seq().await;
    let a = p1_case(&agent, "core switch down").await;
    let created = agent.case(&a).await;
    assert!(
        created["created_at"]
            .as_str()
            .is_some_and(|t| t.starts_with("2026-03-02T01:00:")),
        "the request took its time from the test clock: {created}"
    );

    // Two hours later the job run at start finds the first response missed.
    let agent = restart_at(&mut server, &agent, T0_PLUS_2H);
    let from = start.to_string();
    let mut stream = SseStream::open(&agent, "/v1/events", &[("Last-Event-ID", &from)]).await;
    let seen = read_until(&mut stream, |e| is_breach_of(e, &a)).await;
    assert_eq!(breaches(&seen), vec![(a.clone(), "first_response".into())]);
    drop(stream);

    // A write recomputes the breached case's clocks; a second case will breach later.
    agent.note(&a, "調査中です", "internal").await;
    let b = p1_case(&agent, "second outage").await;

    // Two hours on again, after a restart: the second case's breach comes from a later job
    // run than the first's, so everything the server did in between is on the stream before
    // it — and the first case's breach is still there only once.
    let agent = restart_at(&mut server, &agent, T0_PLUS_4H);
    let mut stream = SseStream::open(&agent, "/v1/events", &[("Last-Event-ID", &from)]).await;
    let seen = read_until(&mut stream, |e| is_breach_of(e, &b)).await;
    assert_eq!(
        breaches(&seen),
        vec![
            (a.clone(), "first_response".into()),
            (b.clone(), "first_response".into())
        ]
    );
    let case = agent.case(&a).await;
    assert_eq!(case["breached"], true, "{case}");
}
