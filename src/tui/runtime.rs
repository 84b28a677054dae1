//! The event loop: terminal events, the second tick, the background sync and finished work go
//! into the app; the app's effects become tasks on the desk; a frame is written only when the
//! drawn screen differs from the last one, wrapped in synchronized output.

use std::io::{self, BufWriter, Write};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use crossterm::event::{Event, EventStream, KeyEventKind, MouseButton, MouseEventKind};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use tokio::sync::{Notify, mpsc};

use super::app::{App, Effect, ListKind, ListRow, ListView, Msg};
use super::queue::Row;
pub use super::search::{case_row, search_list};
use super::text::{Lang, Say, Word};
use super::ui;
use crate::cache::{CachedCase, OutboxState};
use crate::domain::CaseNumber;
use crate::sanitize::clean;
use crate::sync::{Desk, FollowOptions, Opening, Submitted, SyncHandle, follow};
use crate::term::terminal::TerminalGuard;
use crate::term::theme::Theme;

/// Opens another profile's desk for `:profile NAME`: the desk, its follow options, its name.
pub type ProfileOpener = Box<dyn Fn(&str) -> Result<(Desk, FollowOptions), String> + Send>;

/// What the TUI runs with.
pub struct Options {
    /// The theme.
    pub theme: Theme,
    /// Whether clicks are taken.
    pub mouse: bool,
    /// How the background sync runs.
    pub follow: FollowOptions,
    /// Opens another profile.
    pub open_profile: ProfileOpener,
}

/// A failure that ends the TUI.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// The terminal could not be used.
    #[error("terminal: {0}")]
    Terminal(#[from] io::Error),
}

/// Runs the TUI on `desk` until the user quits or a signal ends it.
pub async fn run(mut desk: Desk, mut app: App, options: Options) -> Result<(), TuiError> {
    let guard = TerminalGuard::enter(options.mouse)?;
    let backend = CrosstermBackend::new(BufWriter::with_capacity(1 << 16, io::stdout()));
    let mut terminal = Terminal::new(backend)?;
    clear_screen(&mut terminal)?;

    let (mut tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut sync = follow::spawn(desk.clone(), options.follow);
    let mut status = sync.subscribe();
    let mut loader = Loader::spawn(app.lang(), desk.clone(), sync.waker(), tx.clone());
    loader.load();
    spawn_me(&desk, &tx);

    let mut events = EventStream::new();
    let mut ticks = tick_stream();
    let mut term_sig = signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut hup_sig = signal(tokio::signal::unix::SignalKind::hangup())?;
    let mut int_sig = signal(tokio::signal::unix::SignalKind::interrupt())?;

    let mut screen = Screen::default();
    let mut repaired = None;
    loop {
        screen.draw(&mut terminal, &mut app, &options.theme)?;
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => match to_msg(event) {
                    Some(msg) => msg,
                    None => continue,
                },
                // The terminal is gone.
                Some(Err(_)) | None => break,
            },
            _ = ticks.recv() => Msg::Tick(Utc::now()),
            changed = status.changed() => match changed {
                Ok(()) => {
                    let now = status.borrow_and_update().clone();
                    // The background sync rebuilt a damaged cache: said once.
                    if now.repaired.is_some() && now.repaired != repaired {
                        repaired.clone_from(&now.repaired);
                        if let Some(salvage) = &now.repaired {
                            let _ = tx.send(Msg::Said(Ok(repaired_words(app.lang(), salvage))));
                        }
                    }
                    Msg::Sync(now)
                }
                Err(_) => continue,
            },
            Some(msg) = rx.recv() => msg,
            _ = term_sig.recv() => break,
            _ = hup_sig.recv() => break,
            _ = int_sig.recv() => break,
        };
        let mut pending = vec![msg];
        // Take whatever else has arrived, so a burst becomes one frame.
        while let Ok(more) = rx.try_recv() {
            pending.push(more);
        }
        'batch: for msg in pending {
            for effect in app.update(msg) {
                match effect {
                    Effect::Quit => {}
                    Effect::Copy(text) => {
                        // Between frames: the sequence must not land inside a frame's bytes.
                        if let Err(e) = crate::term::terminal::copy_to_clipboard(&text) {
                            app.notice(format!("{text}: {e}"), true);
                        }
                    }
                    Effect::LoadCases => loader.load(),
                    Effect::Refresh => sync.wake(),
                    Effect::Editor(text) => {
                        let edited = guard.suspended(|| edit_externally(&text))?;
                        clear_screen(&mut terminal)?;
                        screen.forget();
                        for effect in app.update(Msg::Edited(edited)) {
                            perform(app.lang(), &desk, &sync, &loader, &tx, effect);
                        }
                    }
                    Effect::SwitchProfile(name) => match (options.open_profile)(&name) {
                        Ok((next, follow_options)) => {
                            stop(sync).await;
                            // A new channel: what the old profile's tasks still send is
                            // dropped with the old one, and so is the rest of this batch.
                            (tx, rx) = mpsc::unbounded_channel::<Msg>();
                            desk = next;
                            sync = follow::spawn(desk.clone(), follow_options);
                            status = sync.subscribe();
                            loader =
                                Loader::spawn(app.lang(), desk.clone(), sync.waker(), tx.clone());
                            loader.load();
                            spawn_me(&desk, &tx);
                            app.switched_profile(name, desk.calendars());
                            break 'batch;
                        }
                        Err(e) => app.notice(e, true),
                    },
                    other => perform(app.lang(), &desk, &sync, &loader, &tx, other),
                }
            }
        }
        if app.quit {
            break;
        }
    }
    stop(sync).await;
    drop(terminal);
    drop(guard);
    Ok(())
}

/// Clears the screen and forgets what was on it, so the next frame is drawn whole.
/// (`Terminal::clear` would ask the terminal where its cursor is, and not every terminal
/// answers; resizing to the same area clears without asking.)
pub(crate) fn clear_screen<W: Write>(
    terminal: &mut Terminal<CrosstermBackend<W>>,
) -> io::Result<()> {
    let area = terminal.get_frame().area();
    terminal.resize(area)
}

/// Stops the background sync, giving it a moment to finish a write.
pub(crate) async fn stop(sync: SyncHandle) {
    let _ = tokio::time::timeout(Duration::from_secs(2), sync.stop()).await;
}

fn signal(kind: tokio::signal::unix::SignalKind) -> io::Result<tokio::signal::unix::Signal> {
    tokio::signal::unix::signal(kind)
}

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            panic_on_test_key(&key);
            Some(Msg::Key(key))
        }
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Mouse(m) if m.kind == MouseEventKind::Down(MouseButton::Left) => {
            Some(Msg::Click(m.column, m.row))
        }
        // A resize needs no message: the next frame is laid out for the new size.
        Event::Resize(..) => Some(Msg::Tick(Utc::now())),
        _ => None,
    }
}

/// For the terminal-restore test of a debug build: with `CASEDESK_TEST_PANIC` set, F12 panics
/// as a bug would, so the test can see the panic hook give the terminal back. Release builds
/// have no such hook.
fn panic_on_test_key(key: &crossterm::event::KeyEvent) {
    #[cfg(debug_assertions)]
    if key.code == crossterm::event::KeyCode::F(12)
        && std::env::var_os("CASEDESK_TEST_PANIC").is_some()
    {
        panic!("CASEDESK_TEST_PANIC: F12 pressed");
    }
    #[cfg(not(debug_assertions))]
    let _ = key;
}

/// A tick at each wall-clock second, so countdowns change together and on time.
pub(crate) fn tick_stream() -> mpsc::Receiver<()> {
    let (tx, rx) = mpsc::channel(1);
    tokio::spawn(async move {
        loop {
            let into = Utc::now().timestamp_subsec_millis() as u64;
            tokio::time::sleep(Duration::from_millis(1000 - into.min(999))).await;
            if tx.send(()).await.is_err() {
                return;
            }
        }
    });
    rx
}

/// The last frame written, to write nothing when nothing changed.
#[derive(Debug, Default)]
pub struct Screen {
    last: Option<Buffer>,
    cursor: Option<Position>,
}

impl Screen {
    /// Forgets the last frame, so the next is written whole (after the terminal was lent out).
    pub fn forget(&mut self) {
        self.last = None;
    }

    /// Lays out and draws the app; writes the frame (in synchronized output) only when it
    /// differs from the last one. Returns whether anything was written.
    pub fn draw<W: Write>(
        &mut self,
        terminal: &mut Terminal<CrosstermBackend<W>>,
        app: &mut App,
        theme: &Theme,
    ) -> io::Result<bool> {
        terminal.autoresize()?;
        let area = terminal.get_frame().area();
        app.wide = ui::is_wide(area);
        let mut next = Buffer::empty(area);
        let drawn = ui::draw(app, theme, &mut next);
        app.hits = drawn.hits;
        app.queue.offset = drawn.queue_offset;
        if let (Some(o), Some(max)) = (app.opened.as_mut(), drawn.detail_max_scroll) {
            o.scroll = o.scroll.min(max);
        }
        if let (Some(o), Some(revealed)) = (app.opened.as_mut(), drawn.detail_revealed) {
            o.scroll = revealed;
            o.reveal = false;
        }
        self.present(terminal, next, drawn.cursor)
    }

    /// Writes a drawn frame when it differs from the last one (in synchronized output).
    /// Returns whether anything was written.
    pub fn present<W: Write>(
        &mut self,
        terminal: &mut Terminal<CrosstermBackend<W>>,
        next: Buffer,
        cursor: Option<Position>,
    ) -> io::Result<bool> {
        if self.last.as_ref() == Some(&next) && self.cursor == cursor {
            return Ok(false);
        }
        crossterm::queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
        terminal.draw(|frame| {
            *frame.buffer_mut() = next.clone();
            if let Some(at) = cursor {
                frame.set_cursor_position(at);
            }
        })?;
        crossterm::queue!(terminal.backend_mut(), EndSynchronizedUpdate)?;
        terminal.backend_mut().flush()?;
        self.last = Some(next);
        self.cursor = cursor;
        Ok(true)
    }
}

/// Re-reads the cached cases in the background; requests made while a read runs are folded
/// into one more read.
struct Loader {
    wanted: Arc<Notify>,
}

impl Loader {
    /// `sync` is woken after a damaged cache was rebuilt, to fill it from the server.
    fn spawn(lang: Lang, desk: Desk, sync: Arc<Notify>, tx: mpsc::UnboundedSender<Msg>) -> Loader {
        let wanted = Arc::new(Notify::new());
        let signal = Arc::clone(&wanted);
        tokio::spawn(async move {
            loop {
                signal.notified().await;
                let desk = desk.clone();
                let read = tokio::task::spawn_blocking(move || {
                    desk.read_repairing(|cache| {
                        let rmas = cache.rma_numbers()?;
                        let rows: Vec<Row> = cache
                            .summaries()?
                            .into_iter()
                            .map(|c| {
                                let of_case = rmas.get(&c.number).map_or(&[][..], Vec::as_slice);
                                Row::new(c).with_rmas(of_case)
                            })
                            .collect();
                        Ok((rows, cache.outbox()?))
                    })
                })
                .await;
                let msg = match read {
                    Ok(Ok(((rows, outbox), repaired))) => {
                        if let Some(salvage) = repaired {
                            sync.notify_one();
                            let _ = tx.send(Msg::Said(Ok(repaired_words(lang, &salvage))));
                        }
                        Msg::Cases(rows, outbox)
                    }
                    Ok(Err(e)) => Msg::Said(Err(lang.say(Say::CacheUnreadable(&e.to_string())))),
                    Err(_) => return,
                };
                if tx.send(msg).is_err() {
                    return;
                }
            }
        });
        Loader { wanted }
    }

    fn load(&self) {
        self.wanted.notify_one();
    }
}

fn spawn_me(desk: &Desk, tx: &mpsc::UnboundedSender<Msg>) {
    let desk = desk.clone();
    let tx = tx.clone();
    tokio::spawn(async move {
        match desk.me().await {
            Ok(Some(me)) => {
                let _ = tx.send(Msg::Me(me));
            }
            Ok(None) => {}
            Err(e) => {
                let _ = tx.send(Msg::Said(Err(e.to_string())));
            }
        }
        // The assign picker's names; as cached when the server does not answer.
        if let Ok(people) = desk.people().await {
            let _ = tx.send(Msg::People(people));
        }
    });
}

/// What the message line says after a damaged cache was rebuilt.
pub fn repaired_words(lang: Lang, salvage: &crate::cache::Salvage) -> String {
    lang.say(Say::CacheRepaired(
        &salvage.moved_to.display().to_string(),
        salvage.kept,
        salvage.outbox_unreadable,
    ))
}

/// What the message line says of a case just opened.
fn opened_words(lang: Lang, case: &crate::api::Case, now: DateTime<Utc>) -> String {
    let s = &case.summary;
    let priority = format!("{} {}", s.priority, lang.priority(s.priority));
    let due = case
        .first_response_due()
        .map(|due| lang.countdown(Some(due), now));
    lang.say(Say::CaseOpened(
        &s.number.to_string(),
        &priority,
        lang.tier(s.tier),
        due.as_deref(),
        case.unentitled,
    ))
}

/// A case's cached detail, as the detail panes take it.
fn cached_detail(desk: &Desk, number: &CaseNumber) -> Option<Box<CachedCase>> {
    desk.cache().detail(number).ok().flatten().map(Box::new)
}

/// Carries out one effect in the background; its outcome comes back as a message.
fn perform(
    lang: Lang,
    desk: &Desk,
    sync: &SyncHandle,
    loader: &Loader,
    tx: &mpsc::UnboundedSender<Msg>,
    effect: Effect,
) {
    let desk = desk.clone();
    let tx = tx.clone();
    let send = move |msg: Msg| {
        let _ = tx.send(msg);
    };
    match effect {
        Effect::LoadCase(number, fetch) => {
            tokio::spawn(async move {
                let cached = cached_detail(&desk, &number);
                let summary_version = desk
                    .cache()
                    .summary(&number)
                    .ok()
                    .flatten()
                    .map(|s| s.version);
                let stale = match (&cached, summary_version) {
                    (None, _) => true,
                    (Some(c), Some(v)) => c.case.summary.version < v,
                    _ => false,
                };
                let etag = cached.as_ref().and_then(|c| c.etag.clone());
                // What was seen before, ahead of the detail: its new entries are marked at once.
                if let Ok(seen) = desk.cache().seen(&number) {
                    send(Msg::Seen(number, seen));
                }
                send(Msg::Detail(number, cached));
                if (fetch || stale) && desk.client().is_ok() {
                    match desk.fetch_detail(&number, etag.as_deref()).await {
                        Ok(true) => {
                            send(Msg::Detail(number, cached_detail(&desk, &number)));
                        }
                        Ok(false) => {}
                        Err(e) if e.is_unreachable() => {}
                        Err(e) => send(Msg::Said(Err(format!("{number}: {e}")))),
                    }
                }
            });
        }
        Effect::Submit(number, change, base) => {
            let what = lang.change(&change);
            let wake = sync.waker();
            let reload = loader.wanted.clone();
            tokio::spawn(async move {
                let n = number.to_string();
                let said = match desk.submit(&number, change, Some(base)).await {
                    Ok(Submitted::Sent) => Ok(lang.say(Say::Saved(&n, &what))),
                    Ok(Submitted::Queued(id)) => Ok(lang.say(Say::Queued(&n, &what, id))),
                    Ok(Submitted::Conflicted(id, why)) => {
                        Err(lang.say(Say::Conflicted(&n, &why, id)))
                    }
                    Ok(Submitted::Failed(id, why)) => Err(lang.say(Say::Refused(&n, &why, id))),
                    Ok(Submitted::Refused(why)) => {
                        Err(lang.say(Say::RefusedForGood(&n, &what, &why)))
                    }
                    Err(e) => Err(format!("{number}: {e}")),
                };
                send(Msg::Said(said));
                reload.notify_one();
                wake.notify_one();
                send(Msg::Detail(number, cached_detail(&desk, &number)));
            });
        }
        Effect::CheckSerial(serial) => {
            tokio::spawn(async move {
                match desk.check_serial(&serial).await {
                    Ok(check) => send(Msg::SerialChecked(check)),
                    Err(e) => send(Msg::Said(Err(format!(
                        "serial {}: {e}",
                        clean(&serial, true)
                    )))),
                }
            });
        }
        Effect::OpenCase(case) => {
            let wake = sync.waker();
            let reload = loader.wanted.clone();
            tokio::spawn(async move {
                match desk.open_case(&case).await {
                    Ok(Opening::Opened(case)) => {
                        let number = case.summary.number;
                        send(Msg::Said(Ok(opened_words(lang, &case, Utc::now()))));
                        send(Msg::CaseOpened(number));
                    }
                    Ok(Opening::Queued(id, reference)) => {
                        send(Msg::Said(Ok(lang.say(Say::CaseQueued(&reference, id)))))
                    }
                    Err(e) => send(Msg::Said(Err(lang.say(Say::CaseNotOpened(&e.to_string()))))),
                }
                reload.notify_one();
                wake.notify_one();
            });
        }
        Effect::CreateRma(number, rma, base) => {
            tokio::spawn(async move {
                let key = crate::api::client::idempotency_key();
                let result = async {
                    let client = desk.client()?;
                    desk.observe(client.create_rma(&number, &rma, base, &key).await)
                }
                .await;
                send(Msg::Said(match result {
                    Ok(r) => Ok(lang.say(Say::RmaCreated(
                        &number.to_string(),
                        &r.number.to_string(),
                        lang.rma_status(r.status),
                    ))),
                    Err(e) if e.is_unreachable() => {
                        Err(lang.say(Say::RmaNeedsServer(&e.to_string())))
                    }
                    Err(e) => Err(format!("{number}: {e}")),
                }));
                let _ = desk.fetch_detail(&number, None).await;
                send(Msg::Detail(number, cached_detail(&desk, &number)));
            });
        }
        Effect::Search(q) => {
            tokio::spawn(async move {
                let found = async {
                    let client = desk.client()?;
                    desk.observe(client.search(&q).await)
                }
                .await;
                let msg = match found {
                    // The app builds the list: the RMAs' dates are shown in its zone.
                    Ok(found) => Msg::Found(q, found, String::new()),
                    Err(e) if e.is_unreachable() => {
                        // Offline: the same words over the cached cases.
                        let cases = desk.cache().summaries().unwrap_or_default();
                        let found = crate::api::SearchResults {
                            cases: cases
                                .into_iter()
                                .filter(|c| crate::api::text_matches(c, &q))
                                .take(500)
                                .collect(),
                            rmas: Vec::new(),
                        };
                        let note = lang.word(Word::OfflineCachedOnly).to_string();
                        Msg::Found(q, found, note)
                    }
                    Err(e) => {
                        return send(Msg::Said(Err(
                            lang.say(Say::Failed(lang.word(Word::SearchFailed), &e.to_string()))
                        )));
                    }
                };
                send(msg);
            });
        }
        Effect::Rmas => {
            tokio::spawn(async move {
                let result = async {
                    let client = desk.client()?;
                    desk.observe(client.rmas("sort=created_at:desc&limit=500").await)
                }
                .await;
                match result {
                    Ok(rmas) => send(Msg::RmaList(rmas)),
                    Err(e) => send(Msg::Said(Err(
                        lang.say(Say::Failed(lang.word(Word::RmaListFailed), &e.to_string()))
                    ))),
                }
            });
        }
        Effect::Escalations => {
            tokio::spawn(async move { send_escalations(lang, &desk, &send).await });
        }
        Effect::PatchEscalation(id, patch) => {
            tokio::spawn(async move {
                let result = async {
                    let client = desk.client()?;
                    desk.observe(client.patch_escalation(id, &patch).await)
                }
                .await;
                match result {
                    Ok(e) => {
                        send(Msg::Said(Ok(lang.say(Say::EscalationMoved(
                            id,
                            &e.case_number.to_string(),
                            lang.escalation_state(e.state),
                        )))));
                        send_escalations(lang, &desk, &send).await;
                    }
                    Err(e) => send(Msg::Said(Err(lang.say(Say::Failed(
                        &format!("{} #{id}", lang.word(Word::EscalationFailed)),
                        &e.to_string(),
                    ))))),
                }
            });
        }
        Effect::Entitlement(serial) => {
            tokio::spawn(async move {
                let result = async {
                    let client = desk.client()?;
                    desk.observe(client.entitlement(&serial).await)
                }
                .await;
                match result {
                    Ok(e) => send(Msg::List(entitlement_list(lang, &serial, &e))),
                    Err(e) => send(Msg::Said(Err(lang.say(Say::Failed(
                        &format!(
                            "{} {}",
                            lang.word(Word::EntitlementFailed),
                            clean(&serial, true)
                        ),
                        &e.to_string(),
                    ))))),
                }
            });
        }
        // Cache work off the UI task: the cache's lock may be held by a long sync write.
        Effect::Outbox => {
            tokio::task::spawn_blocking(move || send_outbox(lang, &desk, &send));
        }
        Effect::Retry(id) => {
            let reload = loader.wanted.clone();
            tokio::spawn(async move {
                // Another server's or person's entry is never sent from here: a retry would
                // only leave it waiting, which would read as "still offline".
                let foreign = {
                    let cache = desk.cache();
                    let mine = cache.remembered_owner().ok().flatten();
                    cache
                        .outbox_entry(id)
                        .ok()
                        .flatten()
                        .is_some_and(|e| e.foreign_to(mine.as_ref()).is_some())
                };
                if foreign {
                    return send(Msg::Said(Err(lang.say(Say::ForeignNotSent(id)))));
                }
                let said = match desk.retry(id).await {
                    Ok(Submitted::Sent) => Ok(lang.say(Say::OutboxSent(id))),
                    Ok(Submitted::Queued(_)) => Ok(lang.say(Say::StillOffline(id))),
                    Ok(Submitted::Conflicted(_, why))
                    | Ok(Submitted::Failed(_, why))
                    | Ok(Submitted::Refused(why)) => Err(format!("#{id}: {why}")),
                    Err(e) => Err(format!("#{id}: {e}")),
                };
                send(Msg::Said(said));
                reload.notify_one();
                send_outbox(lang, &desk, &send);
            });
        }
        Effect::Discard(id) => {
            let reload = loader.wanted.clone();
            tokio::task::spawn_blocking(move || {
                let said = match desk.discard(id) {
                    Ok(e) => Ok(lang.say(Say::Discarded(id, &lang.change(&e.change)))),
                    Err(e) => Err(format!("#{id}: {e}")),
                };
                send(Msg::Said(said));
                reload.notify_one();
                send_outbox(lang, &desk, &send);
            });
        }
        Effect::PatchRma(rma, patch) => {
            let reload = loader.wanted.clone();
            tokio::spawn(async move {
                match desk.patch_rma(&rma, &patch).await {
                    Ok(moved) => {
                        let number = moved.case_number;
                        send(Msg::RmaMoved(Ok(moved)));
                        reload.notify_one();
                        send(Msg::Detail(number, cached_detail(&desk, &number)));
                    }
                    Err(e) => send(Msg::RmaMoved(Err((rma, e.to_string())))),
                }
            });
        }
        Effect::MarkSeen(number, through) => {
            tokio::task::spawn_blocking(move || {
                if let Err(e) = desk.cache().set_seen(&number, through) {
                    send(Msg::Said(Err(format!("{number}: {e}"))));
                }
            });
        }
        // Handled by the loop.
        Effect::LoadCases
        | Effect::Refresh
        | Effect::SwitchProfile(_)
        | Effect::Editor(_)
        | Effect::Copy(_)
        | Effect::Quit => {}
    }
}

async fn send_escalations(lang: Lang, desk: &Desk, send: &impl Fn(Msg)) {
    let result = async {
        let client = desk.client()?;
        desk.observe(client.escalations("requested,acknowledged").await)
    }
    .await;
    match result {
        Ok(list) => send(Msg::List(escalation_list(lang, &list, Utc::now()))),
        Err(e) => send(Msg::Said(Err(lang.say(Say::Failed(
            lang.word(Word::EscalationsFailed),
            &e.to_string(),
        ))))),
    }
}

fn send_outbox(lang: Lang, desk: &Desk, send: &impl Fn(Msg)) {
    let read = || {
        let cache = desk.cache();
        Ok::<_, crate::cache::CacheError>((cache.outbox()?, cache.remembered_owner()?))
    };
    match read() {
        Ok((entries, mine)) => send(Msg::List(outbox_list(lang, &entries, mine.as_ref()))),
        Err(e) => send(Msg::Said(Err(
            lang.say(Say::Failed(lang.word(Word::OutboxFailed), &e.to_string()))
        ))),
    }
}

/// The escalations waiting for a lead, as the list overlay shows them.
pub fn escalation_list(
    lang: Lang,
    list: &[crate::api::Escalation],
    now: DateTime<Utc>,
) -> ListView {
    let rows = list
        .iter()
        .map(|e| ListRow {
            cells: vec![
                format!("#{}", e.id),
                e.case_number.to_string(),
                lang.escalation_kind(e.kind).to_string(),
                lang.escalation_state(e.state).to_string(),
                lang.say(Say::AgoBy(
                    &crate::sla::format_span((now - e.requested_at).num_seconds()),
                    &clean(&e.requested_by, true),
                )),
                clean(&e.reason, true).into_owned(),
            ],
            case: Some(e.case_number),
            id: Some(e.id),
            role: (e.state == crate::domain::EscalationState::Requested).then_some("due_soon"),
        })
        .collect();
    ListView {
        kind: ListKind::Escalations,
        title: format!("{} ({})", lang.word(Word::EscalationsWaiting), list.len()),
        header: [
            Word::ColId,
            Word::ColCase,
            Word::ColOption,
            Word::ColState,
            Word::ColRequested,
            Word::ColReason,
        ]
        .map(|w| lang.word(w).to_string())
        .to_vec(),
        rows,
        selected: 0,
        hint: lang.word(Word::HintEscalations).into(),
    }
}

/// The outbox, as the list overlay shows it; `mine` is whom the profile talks to, so that
/// entries written for another server or person are marked (they are never sent from here).
pub fn outbox_list(
    lang: Lang,
    entries: &[crate::cache::OutboxEntry],
    mine: Option<&crate::cache::Owner>,
) -> ListView {
    use crate::cache::Foreignness;
    let mut foreign_seen = false;
    let rows = entries
        .iter()
        .map(|e| {
            let foreign = e.foreign_to(mine);
            foreign_seen |= foreign.is_some();
            let (state, why) = match (foreign, &e.owner) {
                (Some(how), Some(owner)) => (
                    lang.word(match how {
                        Foreignness::OtherServer => Word::OtherServer,
                        Foreignness::OtherUser => Word::OtherUser,
                    }),
                    lang.say(Say::WrittenFor(
                        &clean(&owner.user, true),
                        &clean(&owner.server_id, true),
                    )),
                ),
                _ => (
                    lang.outbox_state(e.state),
                    e.error
                        .as_deref()
                        .map(|x| clean(x, true).into_owned())
                        .unwrap_or_default(),
                ),
            };
            ListRow {
                cells: vec![
                    format!("#{}", e.id),
                    e.reference(),
                    state.to_string(),
                    clean(&lang.change(&e.change), true).into_owned(),
                    why,
                ],
                case: e.case_number,
                id: Some(e.id),
                role: if foreign.is_some() {
                    Some("muted")
                } else {
                    (e.state != OutboxState::Pending).then_some("error")
                },
            }
        })
        .collect();
    ListView {
        kind: ListKind::Outbox,
        title: format!("{} ({})", lang.word(Word::Outbox), entries.len()),
        header: [
            Word::ColId,
            Word::ColCase,
            Word::ColState,
            Word::ColChange,
            Word::ColWhy,
        ]
        .map(|w| lang.word(w).to_string())
        .to_vec(),
        rows,
        selected: 0,
        hint: lang
            .word(if foreign_seen {
                Word::HintOutboxForeign
            } else {
                Word::HintOutbox
            })
            .into(),
    }
}

/// One serial's contract, as the list overlay shows it.
pub fn entitlement_list(lang: Lang, serial: &str, e: &crate::api::Entitlement) -> ListView {
    let field = |k: &str, v: String| ListRow {
        cells: vec![k.to_string(), clean(&v, true).into_owned()],
        case: None,
        id: None,
        role: None,
    };
    let mut active = field(
        lang.word(Word::Support),
        lang.word(if e.active {
            Word::Active
        } else {
            Word::NotActive
        })
        .into(),
    );
    if !e.active {
        active.role = Some("breached");
    }
    ListView {
        kind: ListKind::Entitlement,
        title: format!("{} {}", lang.word(Word::EntitlementOf), clean(serial, true)),
        header: vec!["".into(), "".into()],
        rows: vec![
            active,
            field(lang.word(Word::TierWord), lang.tier(e.tier).to_string()),
            field(lang.word(Word::ContractEnd), e.contract_end.to_string()),
            field(
                lang.word(Word::SiteWord),
                format!("{} ({})", e.site_name, e.site_id),
            ),
            field(lang.word(Word::AccountWord), e.account.clone()),
        ],
        selected: 0,
        hint: lang.word(Word::HintClose).into(),
    }
}

/// Edits text in `$VISUAL` or `$EDITOR` (default `vi`) through a private temporary file.
fn edit_externally(text: &str) -> Result<String, String> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_string());
    let path = std::env::temp_dir().join(format!(
        "casedesk-note-{}-{:x}.txt",
        std::process::id(),
        rand::random::<u64>()
    ));
    let write = || -> io::Result<()> {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        opts.open(&path)?.write_all(text.as_bytes())
    };
    write().map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    // The editor's command may carry arguments (`code -w`).
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(words)
        .arg(&path)
        .status();
    let result = match status {
        Ok(s) if s.success() => {
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read the edited text: {e}"))
        }
        Ok(s) => Err(format!("{editor} exited with {s}; the text is unchanged")),
        Err(e) => Err(format!("cannot run {editor}: {e}; set EDITOR")),
    };
    let _ = std::fs::remove_file(&path);
    result
}
