//! `GET /v1/events`: server-sent events from the change log, resumable with `Last-Event-ID`.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::watch;

use super::http::{ApiError, Params};
use super::state::AppState;
use super::store::{self, Caller, StoredEvent};

/// How often an idle stream sends a heartbeat comment, so proxies and clients know it is alive.
pub const HEARTBEAT: Duration = Duration::from_secs(15);

/// Events read from the log per query.
const BATCH: u32 = 200;

struct Follow {
    state: AppState,
    after: i64,
    changes: watch::Receiver<i64>,
    shutdown: watch::Receiver<bool>,
    pending: VecDeque<StoredEvent>,
}

/// The live event stream: `case.created`, `case.updated`, `note.added`, `escalation.*`,
/// `rma.*`, `sla.breached` and `entitlements.imported`, with the change sequence as event id.
#[utoipa::path(get, path = "/v1/events", tag = "meta",
    params(("Last-Event-ID" = Option<i64>, Header, description = "Resume after this event"), ("since" = Option<i64>, Query, description = "Start after this sequence (default: now)")),
    responses((status = 200, description = "text/event-stream")))]
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
    // A subscription taken before reading the log, so no change can slip between the two.
    let changes = state.subscribe();
    let after = resume.unwrap_or_else(|| state.seq());
    let follow = Follow {
        shutdown: state.shutdown(),
        state,
        after,
        changes,
        pending: VecDeque::new(),
    };
    let events = futures_util::stream::unfold(follow, next_event);
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(HEARTBEAT).text("heartbeat")))
}

async fn next_event(mut f: Follow) -> Option<(Result<Event, Infallible>, Follow)> {
    loop {
        if *f.shutdown.borrow() {
            return None;
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
        match f
            .state
            .read(move |conn, _| store::events_after(conn, after, BATCH))
            .await
        {
            Ok(batch) if !batch.is_empty() => {
                f.pending.extend(batch);
                continue;
            }
            Ok(_) => {}
            // The client reconnects with Last-Event-ID and misses nothing.
            Err(_) => return None,
        }
        tokio::select! {
            changed = f.changes.changed() => if changed.is_err() { return None },
            _ = f.shutdown.changed() => return None,
        }
    }
}
