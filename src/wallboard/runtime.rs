//! The wallboard's loop: the background sync, a refresh of the counts and lists whenever the
//! cases change (and every 30 s), the second tick, and — in kiosk mode — no key but the quit
//! chord. Frames are written only when the screen changes.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyCode, KeyEventKind};
use futures_util::StreamExt;
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use tokio::sync::{Notify, mpsc};

use super::board::Board;
use super::ui;
use crate::api::{CaseSummary, Escalation, Rma, Stats};
use crate::sync::{Desk, FollowOptions, follow};
use crate::term::event::{Signals, stop, tick_stream};
use crate::term::key::Key;
use crate::term::screen::{self, Drawable, Screen};
use crate::term::theme::Theme;
use crate::tui::runtime::TuiError;

/// How the wallboard runs.
pub struct Options {
    /// The theme.
    pub theme: Theme,
    /// How the background sync runs.
    pub follow: FollowOptions,
    /// Ignore every key but `quit`.
    pub kiosk: bool,
    /// The quit chord in kiosk mode.
    pub quit: Key,
}

/// What a refresh brought.
enum Fetched {
    Stats(Stats),
    Cases(Vec<CaseSummary>),
    Escalations(Vec<Escalation>),
    Rmas(Vec<Rma>),
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
pub async fn run(desk: Desk, mut board: Board, options: Options) -> Result<(), TuiError> {
    let (guard, mut terminal) = screen::enter(false)?;

    let sync = follow::spawn(desk.clone(), options.follow);
    let mut status = sync.subscribe();
    let (tx, mut rx) = mpsc::unbounded_channel::<Fetched>();
    let refresh = Arc::new(Notify::new());
    let refresher = tokio::spawn(refresh_loop(
        desk.clone(),
        Arc::clone(&refresh),
        sync.waker(),
        tx,
    ));
    refresh.notify_one();

    let mut events = EventStream::new();
    let mut ticks = tick_stream();
    let mut signals = Signals::new()?;
    let mut screen = Screen::default();
    let mut revision = 0;
    loop {
        screen.draw(&mut terminal, &board, &options.theme)?;
        tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => {
                    if Key::of(&key) == options.quit {
                        break;
                    }
                    if options.kiosk {
                        continue;
                    }
                    match key.code {
                        KeyCode::Char('q') | KeyCode::Esc => break,
                        KeyCode::Right | KeyCode::Char('l') | KeyCode::Char(' ') => board.turn(1),
                        KeyCode::Left | KeyCode::Char('h') => board.turn(-1),
                        KeyCode::Char('p') => board.pinned = !board.pinned,
                        KeyCode::Char('r') => refresh.notify_one(),
                        _ => {}
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
            _ = ticks.recv() => board.tick(Utc::now()),
            changed = status.changed() => {
                if changed.is_err() {
                    continue;
                }
                let s = status.borrow_and_update().clone();
                if s.revision != revision || (s.online && !board.sync.online) {
                    revision = s.revision;
                    refresh.notify_one();
                }
                board.sync = s;
            }
            Some(fetched) = rx.recv() => match fetched {
                Fetched::Stats(stats) => board.stats = Some(stats),
                Fetched::Cases(cases) => board.set_cases(cases),
                Fetched::Escalations(list) => board.escalations = list,
                Fetched::Rmas(list) => board.overdue_rmas = list,
            },
            _ = signals.recv() => break,
        }
    }
    refresher.abort();
    stop(sync).await;
    drop(terminal);
    drop(guard);
    Ok(())
}

/// Fetches the counts and the lists when asked, and every 30 s: the cases from the cache
/// (kept current by the sync), the rest from the server (kept as they were when it is gone).
async fn refresh_loop(
    desk: Desk,
    wanted: Arc<Notify>,
    sync: Arc<Notify>,
    tx: mpsc::UnboundedSender<Fetched>,
) {
    loop {
        let _ = tokio::time::timeout(Duration::from_secs(30), wanted.notified()).await;
        let cached = {
            let desk = desk.clone();
            // A damaged cache is rebuilt as the TUI does; the sync then fills it again.
            let sync = Arc::clone(&sync);
            tokio::task::spawn_blocking(move || match desk.read_repairing(|c| c.summaries()) {
                Ok((cases, repaired)) => {
                    if repaired.is_some() {
                        sync.notify_one();
                    }
                    cases
                }
                Err(_) => Vec::new(),
            })
            .await
        };
        if let Ok(cases) = cached
            && tx.send(Fetched::Cases(cases)).is_err()
        {
            return;
        }
        let Ok(client) = desk.client().cloned() else {
            continue;
        };
        if let Ok(stats) = desk.observe(client.stats().await) {
            let _ = tx.send(Fetched::Stats(stats));
        }
        if let Ok(list) = desk.observe(client.escalations("requested,acknowledged").await) {
            let _ = tx.send(Fetched::Escalations(list));
        }
        if let Ok(list) = desk.observe(client.rmas("overdue=true&sort=return_due&limit=200").await)
        {
            let _ = tx.send(Fetched::Rmas(list));
        }
    }
}
