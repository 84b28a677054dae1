//! The wallboard's loop: the background sync, a refresh of the counts and lists whenever the
//! cases change (and every 30 s; the trend with it, at most once a minute), the second tick,
//! and the keys; all of it goes into
//! [`update`](super::app::update) as messages, whose effects are carried out here. Frames are
//! written only when the screen changes.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use tokio::sync::{Notify, mpsc};

use super::app::{Effect, Fetched, Msg, update};
use super::board::Board;
use super::keys::KeyMap;
use super::trend::TrendGap;
use super::ui;
use crate::sync::{Desk, DeskError, FollowOptions, follow};
use crate::term::TermError;
use crate::term::event::{Signals, stop, tick_stream};
use crate::term::screen::{self, Drawable, Screen};
use crate::term::theme::Theme;

/// How the wallboard runs.
pub struct Options {
    /// The theme.
    pub theme: Theme,
    /// How the background sync runs.
    pub follow: FollowOptions,
    /// The keys (and whether only the quit chord is heard).
    pub keys: KeyMap,
}

/// The board as the screen draws it: no cursor, nothing learned.
impl Drawable for Board {
    type Drawn = ();

    fn draw_into(&self, theme: &Theme, buf: &mut Buffer) -> (Option<Position>, ()) {
        ui::draw(self, theme, buf);
        (None, ())
    }
}

/// Runs the wallboard until quit or a signal.
pub async fn run(desk: Desk, mut board: Board, options: Options) -> Result<(), TermError> {
    let (guard, mut terminal) = screen::enter(false)?;

    let sync = follow::spawn(desk.clone(), options.follow);
    let mut status = sync.subscribe();
    let (tx, mut rx) = mpsc::unbounded_channel::<Fetched>();
    let wanted = Arc::new(Notify::new());
    let refresher = tokio::spawn(refresh_loop(
        desk.clone(),
        Arc::clone(&wanted),
        sync.waker(),
        tx,
    ));
    wanted.notify_one();

    let mut events = EventStream::new();
    let mut ticks = tick_stream();
    let mut signals = Signals::new()?;
    let mut screen = Screen::default();
    loop {
        screen.draw(&mut terminal, &board, &options.theme)?;
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => Msg::Key(key),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => break,
            },
            _ = ticks.recv() => Msg::Tick(Utc::now()),
            changed = status.changed() => {
                if changed.is_err() {
                    continue;
                }
                Msg::Sync(status.borrow_and_update().clone())
            }
            Some(fetched) = rx.recv() => Msg::Fetched(fetched),
            _ = signals.recv() => break,
        };
        let effects = update(&mut board, &options.keys, msg);
        if effects.contains(&Effect::Quit) {
            break;
        }
        if effects.contains(&Effect::Refresh) {
            wanted.notify_one();
        }
    }
    refresher.abort();
    stop(sync.stop()).await;
    drop(terminal);
    drop(guard);
    Ok(())
}

/// Refreshes when asked, and every 30 s, until the board is gone.
async fn refresh_loop(
    desk: Desk,
    wanted: Arc<Notify>,
    sync: Arc<Notify>,
    tx: mpsc::UnboundedSender<Fetched>,
) {
    let mut trend_asked: Option<Instant> = None;
    loop {
        let _ = tokio::time::timeout(Duration::from_secs(30), wanted.notified()).await;
        // The board goes on without what failed: the cache is rebuilt, the server's lists are
        // kept as they were until it answers again.
        let gone = refresh(&desk, &sync, |fetched| tx.send(fetched).is_err()).await;
        if matches!(gone, Err(RefreshError::Gone)) {
            return;
        }
        let now = Instant::now();
        if trend_due(trend_asked, now) {
            trend_asked = Some(now);
            if refresh_trend(&desk, |fetched| tx.send(fetched).is_err()).await {
                return;
            }
        }
    }
}

/// How often the trend is asked for: the server computes it once a minute.
pub const TREND_EVERY: Duration = Duration::from_secs(60);

/// Whether the trend is to be asked for again, last asked at `asked`: the first time, then at
/// most once every [`TREND_EVERY`], however often the cases change.
pub fn trend_due(asked: Option<Instant>, now: Instant) -> bool {
    asked.is_none_or(|t| now.saturating_duration_since(t) >= TREND_EVERY)
}

/// Fetches the trend (revalidated with its ETag; offline, the cached copy) and hands it, or
/// why there is none, to `send`, which returns whether the board is gone (returned too).
pub async fn refresh_trend(desk: &Desk, mut send: impl FnMut(Fetched) -> bool) -> bool {
    // Only casedesk's server computes reports: on another backend the page says so, and the
    // server is not asked.
    let kind = desk.backend_kind();
    if kind.is_some_and(|k| k != crate::config::BackendKind::Casedesk) {
        return send(Fetched::NoTrend(TrendGap::NotOnBackend));
    }
    send(match desk.trend().await {
        Ok(reported) => Fetched::Trend(reported),
        Err(DeskError::NotCached(_)) => Fetched::NoTrend(TrendGap::NotCached),
        Err(e) if e.is_unreachable() => Fetched::NoTrend(TrendGap::NotCached),
        Err(_) => Fetched::NoTrend(TrendGap::Failed),
    })
}

/// Why a refresh fell short.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    /// Nobody takes what is fetched any more.
    #[error("the board is gone")]
    Gone,
    /// The cached cases could not be read (the board then shows none).
    #[error("the cached cases: {0}")]
    Cache(String),
    /// The server did not answer for one of the lists or the counts (the rest was fetched).
    #[error("{0}: {1}")]
    Server(&'static str, DeskError),
}

/// One refresh, each part handed to `send` as it arrives (`send` returns whether the board is
/// gone): the cases from the cache (kept current by the sync; a damaged cache is rebuilt as
/// the TUI does, and `sync` woken to fill it again), then the counts, the open escalations and
/// the overdue RMAs from the server. Returns the first failure; a failed part is left out, the
/// others are still fetched.
pub async fn refresh(
    desk: &Desk,
    sync: &Arc<Notify>,
    mut send: impl FnMut(Fetched) -> bool,
) -> Result<(), RefreshError> {
    let mut failed = None;
    let cached = {
        let desk = desk.clone();
        let sync = Arc::clone(sync);
        tokio::task::spawn_blocking(move || match desk.read_repairing(|c| c.summaries()) {
            Ok((cases, repaired)) => {
                if repaired.is_some() {
                    sync.notify_one();
                }
                Ok(cases)
            }
            Err(e) => Err(RefreshError::Cache(e.to_string())),
        })
        .await
    };
    match cached {
        Ok(cases) => {
            let cases = cases.unwrap_or_else(|e| {
                failed.get_or_insert(e);
                Vec::new()
            });
            if send(Fetched::Cases(cases)) {
                return Err(RefreshError::Gone);
            }
        }
        Err(e) => {
            failed.get_or_insert(RefreshError::Cache(e.to_string()));
        }
    }
    if let Err(e) = desk.server() {
        return Err(failed.unwrap_or(RefreshError::Server("server", e.into())));
    }
    let mut take = |what: &'static str, result: Result<Fetched, DeskError>| match result {
        Ok(fetched) => send(fetched),
        Err(e) => {
            failed.get_or_insert(RefreshError::Server(what, e));
            false
        }
    };
    let stats = desk
        .call(async |client| client.stats().await)
        .await
        .map(Fetched::Stats);
    if take("stats", stats) {
        return Err(RefreshError::Gone);
    }
    let list = desk
        .call(async |client| client.escalations("requested,acknowledged").await)
        .await;
    if take("escalations", list.map(Fetched::Escalations)) {
        return Err(RefreshError::Gone);
    }
    // RMAs live on casedesk's server only; on another backend the tile is left unfed
    // rather than shown as an error every refresh.
    if desk.backend_kind() == Some(crate::config::BackendKind::Casedesk) {
        let list = desk
            .call(async |client| {
                client
                    .casedesk("RMAs")?
                    .rmas("overdue=true&sort=return_due&limit=200")
                    .await
            })
            .await;
        if take("overdue RMAs", list.map(Fetched::Rmas)) {
            return Err(RefreshError::Gone);
        }
    }
    failed.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trend_is_asked_for_at_most_once_a_minute() {
        let t0 = Instant::now();
        assert!(trend_due(None, t0), "the first refresh asks");
        assert!(!trend_due(Some(t0), t0 + Duration::from_secs(59)));
        assert!(trend_due(Some(t0), t0 + TREND_EVERY));
    }
}
