//! `GET /v1/events`: server-sent events from the change log, resumable with `Last-Event-ID`.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::watch;
use tokio::time::Instant;

use super::http::{ApiError, Params};
use super::state::{AppState, bearer_token};
use super::store::{self, Caller, StoredEvent};

/// How often an idle stream sends a heartbeat comment, so proxies and clients know it is alive.
pub const HEARTBEAT: Duration = Duration::from_secs(15);

/// How long a stream goes on without re-checking its token: a token revoked by another
/// process on the same database (`casedesk token revoke`) ends its streams within this.
pub const TOKEN_RECHECK: Duration = Duration::from_secs(1);

/// Events read from the log per query.
const BATCH: u32 = 200;

struct Follow {
    state: AppState,
    /// The caller's token: the stream lives only while it stays valid.
    token: String,
    /// When the token was last found valid.
    checked: Instant,
    revocations: watch::Receiver<u64>,
    after: i64,
    changes: watch::Receiver<i64>,
    shutdown: watch::Receiver<bool>,
    pending: VecDeque<StoredEvent>,
}

/// The live event stream: `case.created`, `case.updated`, `note.added`, `escalation.*`,
/// `rma.*`, `sla.breached` and `entitlements.imported`, with the change sequence as event id.
/// One event of the stream as it is framed: documentation of the wire, never built.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Only its schema is used, by the OpenAPI document.
pub(crate) struct EventFrame {
    /// The change sequence, to resume after with `Last-Event-ID`.
    id: String,
    /// The kind of change, e.g. `case.updated`.
    event: String,
    /// The change as JSON.
    data: String,
}

#[utoipa::path(get, path = "/v1/events", tag = "meta",
    params(("Last-Event-ID" = Option<i64>, Header, description = "Resume after this event"), ("since" = Option<i64>, Query, description = "Start after this sequence (default: now)")),
    responses((status = 200, body = EventFrame, content_type = "text/event-stream", description = "The changes as server-sent events, then heartbeats")))]
pub async fn stream(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["since"])?;
    let resume = match headers.get("last-event-id") {
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|s| s.trim().parse::<i64>().ok())
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "Last-Event-ID",
                        "expected the id of an event this server sent",
                    )
                })?,
        ),
        None => params.number("since", 0, i64::MAX)?,
    };
    // The extractor accepted this token; the stream keeps checking it (see `next_event`).
    let token = bearer_token(&headers).unwrap_or_default().to_string();
    // A subscription taken before reading the log, so no change can slip between the two.
    let changes = state.subscribe();
    let mut revocations = state.revocations();
    revocations.mark_unchanged();
    let after = resume.unwrap_or_else(|| state.seq());
    let follow = Follow {
        shutdown: state.shutdown(),
        token,
        checked: Instant::now(),
        revocations,
        state,
        after,
        changes,
        pending: VecDeque::new(),
    };
    let events = futures_util::stream::unfold(follow, next_event);
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(HEARTBEAT).text("heartbeat")))
}

/// The next event to send, or the end of the stream: on shutdown, on a read error, and as soon
/// as the caller's token is revoked. The token is checked in the same snapshot as every batch
/// read from the log, again before each further event once a revocation was announced or a
/// `TOKEN_RECHECK` has passed, and on that interval while idle, so no event written after a
/// revocation goes out and an idle stream ends within a second of it.
async fn next_event(mut f: Follow) -> Option<(Result<Event, Infallible>, Follow)> {
    loop {
        if *f.shutdown.borrow() {
            return None;
        }
        let announced = f.revocations.has_changed().unwrap_or(true);
        f.revocations.mark_unchanged();
        // With nothing pending the batch read below checks the token anyway.
        if !f.pending.is_empty() && (announced || f.checked.elapsed() >= TOKEN_RECHECK) {
            let checking = Instant::now();
            let token = f.token.clone();
            match f
                .state
                .read(move |conn, _| store::authenticate(conn, &token))
                .await
            {
                Ok(Some(_)) => f.checked = checking,
                Ok(None) | Err(_) => return None,
            }
        }
        if let Some(e) = f.pending.pop_front() {
            f.after = e.seq;
            let event = Event::default()
                .id(e.seq.to_string())
                .event(e.kind)
                .data(e.data);
            return Some((Ok(event), f));
        }
        let after = f.after;
        let token = f.token.clone();
        let checking = Instant::now();
        // One snapshot: the events read are exactly those committed while the token was valid.
        let read = f
            .state
            .read(move |conn, _| match store::authenticate(conn, &token)? {
                Some(_) => store::events_after(conn, after, BATCH).map(Some),
                None => Ok(None),
            })
            .await;
        match read {
            Ok(Some(batch)) => {
                f.checked = checking;
                if !batch.is_empty() {
                    f.pending.extend(batch);
                    continue;
                }
            }
            Ok(None) => return None,
            // The client reconnects with Last-Event-ID and misses nothing.
            Err(_) => return None,
        }
        tokio::select! {
            changed = f.changes.changed() => if changed.is_err() { return None },
            _ = f.revocations.changed() => {}
            () = tokio::time::sleep_until(f.checked + TOKEN_RECHECK) => {}
            _ = f.shutdown.changed() => return None,
        }
    }
}
