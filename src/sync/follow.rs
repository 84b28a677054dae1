//! The background sync the TUI and the wallboard subscribe to: sync, then follow the event
//! stream; when the stream is down, poll the change feed; when the server is gone, back off.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use super::{Desk, DeskError};
use crate::api::{CaseSummary, LiveEvent};
use crate::cache::{OutboxState, meta};

/// How the background sync runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowOptions {
    /// Change-feed poll interval while the stream is down.
    pub poll: Duration,
    /// The longest wait between attempts while the server is unreachable.
    pub max_backoff: Duration,
    /// Whether to use the event stream at all (some proxies break it).
    pub events: bool,
    /// How long the stream is left alone after it failed, before it is tried again.
    pub stream_retry: Duration,
}

impl Default for FollowOptions {
    fn default() -> Self {
        FollowOptions {
            poll: Duration::from_secs(5),
            max_backoff: Duration::from_secs(60),
            events: true,
            stream_retry: Duration::from_secs(30),
        }
    }
}

impl FollowOptions {
    /// The options a profile asks for.
    pub fn for_profile(profile: &crate::config::Profile) -> FollowOptions {
        FollowOptions {
            poll: profile.poll,
            // Only casedesk's server streams events; other backends are polled.
            events: profile.events && profile.backend == crate::config::BackendKind::Casedesk,
            ..FollowOptions::default()
        }
    }
}

/// What the background sync is doing, for the status bar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncStatus {
    /// Whether the server answered last time.
    pub online: bool,
    /// Whether the event stream is connected.
    pub live: bool,
    /// Whether a sync is running now.
    pub busy: bool,
    /// When the server stopped answering.
    pub offline_since: Option<DateTime<Utc>>,
    /// When the server last answered.
    pub as_of: Option<DateTime<Utc>>,
    /// Bumped whenever the cache's cases changed: re-read them.
    pub revision: u64,
    /// Outbox entries waiting.
    pub pending: usize,
    /// Outbox entries that need the user (conflicted or failed).
    pub needs_attention: usize,
    /// The last error, in words.
    pub last_error: Option<String>,
    /// The last repair of a damaged cache this sync made (the TUI tells it once).
    pub repaired: Option<crate::cache::Salvage>,
    /// Whether the server refused the token (401) in the last round: a configuration problem
    /// (`casedesk login`), not a connection one, so neither "online" nor "offline".
    pub token_refused: bool,
    /// Changes the last round's flush found refused for good (taken out of the outbox), for
    /// the TUI to tell once.
    pub refused: Vec<super::Refusal>,
}

impl SyncStatus {
    /// Before the first round has ended: neither online nor known to be offline.
    pub fn connecting(&self) -> bool {
        !self.online && self.offline_since.is_none() && self.last_error.is_none()
    }
}

/// The running background sync.
#[derive(Debug)]
pub struct SyncHandle {
    status: watch::Receiver<SyncStatus>,
    wake: Arc<Notify>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl SyncHandle {
    /// A receiver of status changes.
    pub fn subscribe(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }

    /// Asks for a sync now (after a write was queued, or on the user's refresh).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// A handle that asks for a sync from another task (the same as [`SyncHandle::wake`]).
    pub fn waker(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }

    /// Stops the task and waits for it.
    pub async fn stop(self) {
        self.stop.send_replace(true);
        self.task.await.ok();
    }
}

/// Starts the background sync of `desk`.
pub fn spawn(desk: Desk, options: FollowOptions) -> SyncHandle {
    let (status_tx, status) = watch::channel(SyncStatus::default());
    let wake = Arc::new(Notify::new());
    let (stop, stop_rx) = watch::channel(false);
    let follower = Follower {
        desk,
        options,
        status: status_tx,
        wake: Arc::clone(&wake),
        stop: stop_rx,
    };
    let task = tokio::spawn(follower.run());
    SyncHandle {
        status,
        wake,
        stop,
        task,
    }
}

struct Follower {
    desk: Desk,
    options: FollowOptions,
    status: watch::Sender<SyncStatus>,
    wake: Arc<Notify>,
    stop: watch::Receiver<bool>,
}

/// What a live event did to the cache.
enum Applied {
    /// It carried this case's summary, now cached.
    Summary(String),
    /// It touched this case without carrying its summary.
    Touched(String),
    /// It concerned no case.
    Nothing,
}

/// The live event saying the team's macros changed.
const MACROS_CHANGED: &str = "macros.changed";

/// How a wait ended.
enum Woken {
    Timer,
    Asked,
    Stop,
}

impl Follower {
    async fn run(mut self) {
        let mut backoff = self.options.poll;
        let mut stream_after = tokio::time::Instant::now();
        loop {
            let ok = self.round().await;
            if *self.stop.borrow() {
                return;
            }
            if !ok {
                // Unreachable: back off, doubling up to the ceiling.
                if let Woken::Stop = self.wait(backoff).await {
                    return;
                }
                backoff = (backoff * 2).min(self.options.max_backoff);
                continue;
            }
            backoff = self.options.poll;
            if self.options.events && tokio::time::Instant::now() >= stream_after {
                match self.follow_stream().await {
                    Woken::Stop => return,
                    Woken::Asked => {}
                    // The stream failed or ended: poll for a while before trying it again.
                    Woken::Timer => {
                        stream_after = tokio::time::Instant::now() + self.options.stream_retry;
                    }
                }
                continue;
            }
            if let Woken::Stop = self.wait(self.options.poll).await {
                return;
            }
        }
    }

    /// One sync: the outbox, the feed, the documents (first time), the details. `false` when
    /// the server could not be reached.
    async fn round(&mut self) -> bool {
        self.update(|s| s.busy = true);
        let rebuilds = self.desk.rebuilds();
        let mut refused = Vec::new();
        let result = async {
            let flushed = self.desk.flush_outbox().await?;
            refused.clone_from(&flushed.refused);
            if flushed.unreachable {
                return Err(DeskError::Client(crate::api::ClientError::Unreachable {
                    url: String::new(),
                    detail: "while sending the outbox".into(),
                }));
            }
            let before = self.desk.cache().seq()?;
            let first = before.is_none();
            let report = self.desk.pull().await?;
            if first || report.full {
                self.desk.refresh_documents().await?;
            } else if before != Some(report.seq) {
                // Something changed on the server, maybe the team's macros (a 304 when not):
                // the change feed lists cases only, so it cannot say which. The live stream
                // names `macros.changed` (see `follow_stream`).
                self.desk.refresh_macros().await?;
            }
            let details = self.desk.prefetch_details().await?;
            // New details may list new files, a changed case may have closed: once a round.
            if report.cases + details > 0 || report.full {
                self.desk.keep_files().await?;
            }
            Ok::<_, DeskError>(report.cases + details + flushed.sent.len() > 0 || report.full)
        }
        .await;
        let ok = match &result {
            Ok(_) => true,
            Err(e) => !e.is_unreachable(),
        };
        // A damaged cache is rebuilt (unless the TUI's read did it first) and synced afresh
        // at once.
        if let Err(e) = &result
            && let Ok(Some(salvage)) = self.desk.repair_if_damaged_since(e, rebuilds)
        {
            self.update(|s| s.repaired = Some(salvage));
            self.wake.notify_one();
        }
        let changed = matches!(result, Ok(true));
        let token_refused = matches!(
            result,
            Err(DeskError::Client(
                crate::api::ClientError::Unauthorized { .. }
            ))
        );
        let error = result.err().map(|e| e.to_string());
        self.update(|s| {
            s.refused = refused;
            s.token_refused = token_refused;
        });
        self.publish(changed, error);
        ok
    }

    /// Follows the event stream until it ends; applies each case event to the cache, and
    /// fetches the details of changed cases once the burst is over.
    async fn follow_stream(&mut self) -> Woken {
        let Ok(client) = self.desk.stream_client() else {
            return Woken::Timer;
        };
        let last = self.desk.cache().seq().ok().flatten();
        let stream = match client.events(last).await {
            Ok(s) => s,
            Err(e) => {
                tracing::debug!("event stream: {e}");
                return Woken::Timer;
            }
        };
        futures_util::pin_mut!(stream);
        self.update(|s| s.live = true);
        let mut dirty = false;
        // Cases an event touched without carrying their summary (a breach announcement, an
        // overdue RMA), and the sequence before the first of them: read from the feed once the
        // burst is over, unless a later event brought the summary anyway.
        let mut stale: BTreeSet<String> = BTreeSet::new();
        let mut resync_from: Option<i64> = None;
        // A lead changed the team's macros: fetched once the burst is over.
        let mut macros_changed = false;
        let quiet = Duration::from_millis(250);
        let woken = loop {
            let next = if dirty {
                tokio::time::timeout(quiet, stream.next()).await
            } else {
                tokio::select! {
                    e = stream.next() => Ok(e),
                    _ = self.wake.notified() => { break Woken::Asked }
                    _ = self.stop.changed() => { break Woken::Stop }
                }
            };
            match next {
                Ok(Some(event)) => {
                    macros_changed |= event.kind == MACROS_CHANGED;
                    let before = self.desk.cache().seq().ok().flatten().unwrap_or(0);
                    match self.apply(&event) {
                        Ok(Applied::Summary(number)) => {
                            stale.remove(&number);
                        }
                        Ok(Applied::Touched(number)) => {
                            stale.insert(number);
                            resync_from.get_or_insert(before);
                        }
                        Ok(Applied::Nothing) => {}
                        Err(e) => tracing::warn!("event {}: {e}", event.seq),
                    }
                    dirty = true;
                }
                Ok(None) => break Woken::Timer,
                // The burst is over: catch up on touched cases, fetch changed cases' details.
                Err(_) => {
                    dirty = false;
                    let mut result = Ok(());
                    if let Some(since) = resync_from.take()
                        && !std::mem::take(&mut stale).is_empty()
                    {
                        result = self.desk.pull_changes(since).await.map(drop);
                    }
                    if result.is_ok() {
                        result = match self.desk.prefetch_details().await {
                            Ok(0) => Ok(()),
                            Ok(_) => self.desk.keep_files().await,
                            Err(e) => Err(e),
                        };
                    }
                    if result.is_ok() && std::mem::take(&mut macros_changed) {
                        result = self.desk.refresh_macros().await;
                    }
                    self.publish(true, result.err().map(|e| e.to_string()));
                }
            }
        };
        self.update(|s| s.live = false);
        if dirty {
            self.publish(true, None);
        }
        woken
    }

    /// Applies one live event: a case event carries the case's summary; other events name the
    /// case they touched.
    fn apply(&self, event: &LiveEvent) -> Result<Applied, DeskError> {
        let cache = self.desk.cache();
        let applied = match serde_json::from_str::<CaseSummary>(&event.data) {
            Ok(summary) if event.kind.starts_with("case.") => {
                let number = summary.number.to_string();
                cache.put_summaries(&[summary], Utc::now())?;
                Applied::Summary(number)
            }
            _ => serde_json::from_str::<serde_json::Value>(&event.data)
                .ok()
                .and_then(|v| v.get("case_number")?.as_str().map(str::to_string))
                .map_or(Applied::Nothing, Applied::Touched),
        };
        // A cache without a sequence (just rebuilt) waits for its full sync: an event's
        // sequence would make the next sync read only the changes after it.
        if cache.seq()?.is_some() {
            cache.set_meta(meta::SEQ, &event.seq.to_string())?;
        }
        cache.set_meta_time(meta::SYNCED_AT, Utc::now())?;
        Ok(applied)
    }

    async fn wait(&mut self, d: Duration) -> Woken {
        tokio::select! {
            _ = tokio::time::sleep(d) => Woken::Timer,
            _ = self.wake.notified() => Woken::Asked,
            _ = self.stop.changed() => Woken::Stop,
        }
    }

    fn update(&self, f: impl FnOnce(&mut SyncStatus)) {
        self.status.send_if_modified(|s| {
            let before = s.clone();
            f(s);
            *s != before
        });
    }

    /// Publishes the status after a round.
    fn publish(&self, changed: bool, error: Option<String>) {
        let fresh = self.desk.freshness().unwrap_or_default();
        let outbox = self.desk.cache().outbox().unwrap_or_default();
        self.update(|s| {
            s.busy = false;
            s.online = fresh.offline_since.is_none();
            s.offline_since = fresh.offline_since;
            s.as_of = fresh.as_of;
            s.pending = outbox
                .iter()
                .filter(|e| e.state == OutboxState::Pending)
                .count();
            s.needs_attention = outbox.len() - s.pending;
            s.last_error = error;
            if changed {
                s.revision += 1;
            }
        });
    }
}
