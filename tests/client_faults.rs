//! Faults a real server cannot produce on demand, from a scripted one: 429 and 503 with and
//! without `Retry-After`, a response that never comes, a body that is not JSON, an event
//! stream that drops or goes silent. The client must retry what is safe to retry, wait as
//! asked, and give up in words.
//!
//! Only what a real `casedesk serve` cannot be made to do belongs here: its refusals (401,
//! 403, 412) and the stream's `Last-Event-ID` resume are tested against the real server in
//! `client_cli.rs`, and a lost answer to a write in `client_crash.rs`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use casedesk::api::{Client, ClientError, ClientOptions, NewNote};
use casedesk::domain::Visibility;
use futures_util::StreamExt;

/// A scripted server: `script(n)` answers the n-th request (0-based).
async fn scripted<F>(script: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(usize, HeaderMap) -> futures_util::future::BoxFuture<'static, Response>
        + Clone
        + Send
        + Sync
        + 'static,
{
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&hits);
    let handler = move |headers: HeaderMap| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let script = script.clone();
        async move { script(n, headers).await }
    };
    let app = Router::new().fallback(handler);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), hits)
}

fn me() -> Response {
    axum::Json(serde_json::json!({"name": "kimura", "role": "agent"})).into_response()
}

fn client(base: &str, timeout: Duration) -> Client {
    Client::new(&ClientOptions {
        request_timeout: timeout,
        stream_silence: Duration::from_millis(600),
        ..ClientOptions::new(base, "cdk_test")
    })
    .unwrap()
}

#[tokio::test]
async fn a_429_is_retried_after_the_wait_the_server_asks_for() {
    let (base, hits) = scripted(|n, _| {
        Box::pin(async move {
            if n == 0 {
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [("retry-after", "1")],
                    "slow down",
                )
                    .into_response()
            } else {
                me()
            }
        })
    })
    .await;
    let started = Instant::now();
    let me = client(&base, Duration::from_secs(5)).me().await.unwrap();
    assert_eq!(me.name, "kimura");
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_503_without_retry_after_backs_off_and_then_gives_up_in_words() {
    let (base, hits) = scripted(|_, _| {
        Box::pin(async { (StatusCode::SERVICE_UNAVAILABLE, "maintenance").into_response() })
    })
    .await;
    let err = client(&base, Duration::from_secs(5))
        .me()
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Busy { .. }), "{err:?}");
    assert!(
        err.is_unreachable(),
        "the cache stands in for a busy server"
    );
    assert!(err.to_string().contains("busy"), "{err}");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        4,
        "the first try and three retries"
    );
}

#[tokio::test]
async fn a_retry_after_too_long_to_wait_is_reported_at_once() {
    let (base, hits) = scripted(|_, _| {
        Box::pin(async {
            (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "3600")], "").into_response()
        })
    })
    .await;
    let started = Instant::now();
    let err = client(&base, Duration::from_secs(5))
        .me()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("retry after 3600 s"), "{err}");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_stalled_response_times_out_and_only_safe_requests_are_repeated() {
    let (base, hits) = scripted(|_, _| {
        Box::pin(async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            me()
        })
    })
    .await;
    let c = client(&base, Duration::from_millis(300));
    let err = c.me().await.unwrap_err();
    assert!(err.to_string().contains("no answer in time"), "{err}");
    assert!(err.is_unreachable());
    assert_eq!(hits.load(Ordering::SeqCst), 4, "a GET is retried");

    // A note POST with an Idempotency-Key is safe to repeat; without one it is sent once.
    hits.store(0, Ordering::SeqCst);
    let note = NewNote {
        body: "x".into(),
        visibility: Visibility::Internal,
        kind: Default::default(),
        from_customer: false,
    };
    let _ = c
        .send::<_, serde_json::Value>(
            reqwest::Method::POST,
            "/v1/cases/2026-1101-000001/notes",
            &note,
            Some(1),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    hits.store(0, Ordering::SeqCst);
    let number = "2026-1101-000001".parse().unwrap();
    let _ = c.add_note(&number, &note, 1, "key-1").await.unwrap_err();
    assert_eq!(hits.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn an_answer_that_is_not_json_or_no_server_at_all_is_named() {
    let (base, _) =
        scripted(|_, _| Box::pin(async { (StatusCode::OK, "not json").into_response() })).await;
    let e = client(&base, Duration::from_secs(5))
        .me()
        .await
        .unwrap_err();
    assert!(e.to_string().contains("unexpected answer"), "{e}");

    let e = Client::new(&ClientOptions::new("http://127.0.0.1:9", "t"))
        .unwrap()
        .me()
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("server unreachable at http://127.0.0.1:9: cannot connect"),
        "{e}"
    );
}

#[tokio::test]
async fn a_dropped_or_silent_event_stream_ends_so_the_client_can_poll() {
    // One event, then the connection is dropped.
    let (base, _) = scripted(|_, _| {
        Box::pin(async move {
            let body = "id: 7\nevent: case.updated\ndata: {}\n\n";
            ([("content-type", "text/event-stream")], body).into_response()
        })
    })
    .await;
    let c = client(&base, Duration::from_secs(5));
    let events: Vec<_> = c.events(None).await.unwrap().collect().await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].seq, events[0].kind.as_str()),
        (7, "case.updated")
    );

    // A stream that sends headers and then nothing at all — no heartbeats — is given up.
    let (base, _) = scripted(|_, _| {
        Box::pin(async {
            let (tx, rx) = tokio::sync::mpsc::channel::<Result<String, std::io::Error>>(1);
            // Keeps the sender alive so the body never ends by itself.
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                drop(tx);
            });
            let body =
                axum::body::Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx));
            ([("content-type", "text/event-stream")], body).into_response()
        })
    })
    .await;
    let started = Instant::now();
    let events: Vec<_> = client(&base, Duration::from_secs(5))
        .events(None)
        .await
        .unwrap()
        .collect()
        .await;
    assert!(events.is_empty());
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(500) && took < Duration::from_secs(10),
        "{took:?}"
    );
}

#[tokio::test]
async fn a_non_json_error_body_becomes_one_clean_line() {
    let (base, _) = scripted(|n, _| {
        Box::pin(async move {
            if n == 0 {
                (
                    StatusCode::BAD_GATEWAY,
                    [("content-type", "text/html")],
                    "<html>\n<body>\x1b]52;c;aGk=\x07 bad gateway</body>\n</html>\n",
                )
                    .into_response()
            } else {
                (
                    StatusCode::IM_A_TEAPOT,
                    [("content-type", "text/plain")],
                    "short\x1b[2J \u{202e}and\nstout\n",
                )
                    .into_response()
            }
        })
    })
    .await;
    let c = client(&base, Duration::from_secs(5));
    let e = c.me().await.unwrap_err().to_string();
    assert!(e.contains("server answered 502 with an HTML page"), "{e}");
    assert!(
        !e.contains("<html") && !e.contains('\n') && !e.contains('\x1b'),
        "{e:?}"
    );
    let e = c.me().await.unwrap_err().to_string();
    assert!(e.contains("server answered 418: short[2J and"), "{e:?}");
    assert!(!e.contains("stout") && !e.contains('\u{202e}'), "{e:?}");
}

#[tokio::test]
async fn one_call_waits_no_longer_than_its_wait_and_says_for_what() {
    let (base, _) = scripted(|_, _| {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_secs(60)).await;
            me()
        })
    })
    .await;
    let c = Client::new(&ClientOptions {
        request_timeout: Duration::from_secs(30),
        wait: Duration::from_secs(1),
        ..ClientOptions::new(base.as_str(), "cdk_test")
    })
    .unwrap();
    let started = Instant::now();
    let e = c.me().await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(e.is_unreachable());
    assert!(
        e.to_string().contains("no answer to GET /v1/me within 1 s"),
        "{e}"
    );
}

#[test]
fn a_ca_file_without_a_pem_certificate_is_refused() {
    let path = std::env::temp_dir().join(format!("casedesk-ca-{}.txt", std::process::id()));
    std::fs::write(&path, "not a certificate\n").unwrap();
    let e = Client::new(&ClientOptions {
        ca_file: Some(path.clone()),
        ..ClientOptions::new("https://127.0.0.1:9", "cdk_test")
    })
    .unwrap_err()
    .to_string();
    std::fs::remove_file(&path).ok();
    assert!(
        e.contains("holds no usable certificate") && e.contains("expected PEM"),
        "{e}"
    );
}
