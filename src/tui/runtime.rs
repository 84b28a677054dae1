//! The event loop: terminal events, the second tick, the background sync and finished work go
//! into the app; the app's effects become tasks on the desk; a frame is written only when the
//! drawn screen differs from the last one, wrapped in synchronized output.

use std::sync::Arc;
use std::task::Poll;

use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyEventKind, MouseButton, MouseEventKind};
use futures_util::StreamExt;
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use tokio::sync::{Notify, mpsc};

use super::app::{App, Effect, Msg};
use super::detail_loads::DetailLoads;
use super::effects;
use super::effects::drafts::DraftWriter;
use super::failure::{EditorFailure, Failure};
use super::queue::Row;
use super::ui;
use crate::sync::{Desk, FollowOptions, SyncHandle, follow};
use crate::term::TermError;
use crate::term::event::{Signals, stop, tick_stream};
pub use crate::term::screen::Screen;
use crate::term::screen::{self, Drawable, clear_screen};
use crate::term::text::{Lang, Say};
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

/// Runs the TUI on `desk` until the user quits or a signal ends it.
pub async fn run(mut desk: Desk, mut app: App, options: Options) -> Result<(), TermError> {
    let (guard, mut terminal) = screen::enter(options.mouse)?;

    let (mut tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut sync = follow::spawn(desk.clone(), options.follow);
    let mut status = sync.subscribe();
    let mut loader = Loader::spawn(app.lang(), desk.clone(), sync.waker(), tx.clone());
    loader.load();
    let mut details = DetailLoads::new(desk.clone(), tx.clone());
    spawn_me(&desk, &tx);
    // Drafts are written in order; the app learns which are kept before an editor opens.
    let mut drafts = DraftWriter::spawn(desk.clone(), tx.clone());
    drafts.send(Effect::LoadDrafts);
    let mut cache_path = desk.cache().path().to_path_buf();
    // A panic, or an error return, still writes the editor's last text (see `drafts::track`).
    crate::term::terminal::on_panic(super::drafts::save_tracked);
    let last_words = LastWords;
    // Where typed paths are read from (the app reads no environment itself).
    app.files.places = super::attachments::Places::here();
    // The picker opens with no I/O: the team's macros are read now and after each sync.
    perform(app.lang(), &desk, &sync, &loader, &tx, Effect::LoadMacros);

    let mut events = EventStream::new();
    let mut ticks = tick_stream();
    let mut signals = Signals::new()?;

    let mut screen = Screen::default();
    let mut repaired = None;
    // tmux and GNU screen pass a desktop notification on only when it is wrapped for them.
    let mux = crate::term::notify::Mux::from_env();
    let mut failed = None;
    loop {
        // A terminal gone (a dropped SSH session) ends the loop like a signal: the draft is
        // saved below either way.
        let layout = match screen.draw(&mut terminal, &app, &options.theme) {
            Ok(layout) => layout,
            Err(e) => {
                failed = Some(e);
                break;
            }
        };
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
            _ = signals.recv() => break,
        };
        // The frame's layout first: the message was meant for the screen just drawn.
        let mut pending = vec![(Msg::Layout(layout), Origin::Desk), (msg, Origin::Desk)];
        // Take whatever else has arrived, keys typed meanwhile included, so a burst (a held
        // key, a paste of keys) is one pass through the app and one frame.
        let terminal_gone = !take_typed(&mut events, &mut pending).await;
        while let Ok(more) = rx.try_recv() {
            pending.push((more, Origin::Desk));
        }
        let mut switched = false;
        for (msg, origin) in pending {
            // What follows a quit is not acted on; what the old profile's tasks sent is
            // dropped after a switch, what was typed is not.
            if app.quit || (switched && origin != Origin::Terminal) {
                continue;
            }
            for effect in app.update(msg) {
                match effect {
                    Effect::Quit => {}
                    Effect::Copy(text) => {
                        // Between frames: the sequence must not land inside a frame's bytes.
                        if let Err(e) = crate::term::terminal::copy_to_clipboard(&text) {
                            app.notice(format!("{text}: {e}"), true);
                        }
                    }
                    Effect::Notify(notice) => {
                        // Between frames, as the clipboard's: never inside a frame's bytes.
                        // A terminal that cannot be written to will show nothing more anyway.
                        let _ = crate::term::notify::send(&notice, mux);
                    }
                    Effect::LoadCases => loader.load(),
                    e @ (Effect::SaveDraft(..) | Effect::DeleteDraft(..) | Effect::LoadDrafts) => {
                        drafts.send(e)
                    }
                    Effect::LoadCase(number, fetch) => details.request(number, fetch),
                    Effect::Refresh => sync.wake(),
                    Effect::Files(super::attachments::FileWork::Pager(name, bytes)) => {
                        // The pager has the terminal until it ends, as the editor does.
                        let lang = app.lang();
                        let paged =
                            guard.suspended(|| effects::page_externally(lang, &name, &bytes))?;
                        clear_screen(&mut terminal)?;
                        screen.forget();
                        if let Err(why) = paged {
                            app.notice(why, true);
                        }
                    }
                    Effect::Editor(text) => {
                        let edited = guard.suspended(|| edit_externally(&text))?;
                        clear_screen(&mut terminal)?;
                        screen.forget();
                        for effect in app.update(Msg::Edited(edited.map_err(Failure::Editor))) {
                            perform(app.lang(), &desk, &sync, &loader, &tx, effect);
                        }
                    }
                    Effect::SwitchProfile(name) => match (options.open_profile)(&name) {
                        Ok((next, follow_options)) => {
                            stop(sync.stop()).await;
                            // A new channel: what the old profile's tasks still send is
                            // dropped with the old one, and so is the rest of what they sent
                            // in this batch (and this message's other effects).
                            (tx, rx) = mpsc::unbounded_channel::<Msg>();
                            desk = next;
                            sync = follow::spawn(desk.clone(), follow_options);
                            status = sync.subscribe();
                            loader =
                                Loader::spawn(app.lang(), desk.clone(), sync.waker(), tx.clone());
                            loader.load();
                            details = DetailLoads::new(desk.clone(), tx.clone());
                            spawn_me(&desk, &tx);
                            // The old writer finishes what it was given on the old cache.
                            drafts = DraftWriter::spawn(desk.clone(), tx.clone());
                            drafts.send(Effect::LoadDrafts);
                            cache_path = desk.cache().path().to_path_buf();
                            perform(app.lang(), &desk, &sync, &loader, &tx, Effect::LoadMacros);
                            app.switched_profile(name, desk.calendars());
                            switched = true;
                            break;
                        }
                        Err(e) => app.notice(e, true),
                    },
                    other => perform(app.lang(), &desk, &sync, &loader, &tx, other),
                }
            }
        }
        super::drafts::track(&cache_path, &app);
        if app.quit || terminal_gone {
            break;
        }
    }
    // Every way out (quit, SIGHUP, SIGTERM, SIGINT, the terminal gone) keeps the editor's text.
    for effect in super::drafts::on_exit(&mut app) {
        drafts.send(effect);
    }
    drafts.finish().await;
    super::drafts::forget_tracked();
    drop(last_words);
    stop(sync.stop()).await;
    drop(terminal);
    drop(guard);
    failed.map_or(Ok(()), |e| Err(e.into()))
}

/// On an error return from the loop: writes the editor's last text tracked, as the panic hook
/// does. The normal way out saves through the draft writer and forgets it first.
struct LastWords;

impl Drop for LastWords {
    fn drop(&mut self) {
        super::drafts::save_tracked();
    }
}

/// Where a message of one batch came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// Typed (or pasted, clicked) while the last batch was handled.
    Terminal,
    /// Anything else: the tick, the sync, the profile's tasks.
    Desk,
}

/// Adds the terminal events that are already waiting to `pending`, without waiting for more.
/// False when the terminal is gone.
async fn take_typed(events: &mut EventStream, pending: &mut Vec<(Msg, Origin)>) -> bool {
    loop {
        // Polled with this task's waker (not `now_or_never`'s no-op one): crossterm hands the
        // waker of its first pending poll to the thread that waits for input, and only that
        // one is woken when a key comes.
        let next = std::future::poll_fn(|cx| Poll::Ready(events.poll_next_unpin(cx))).await;
        match next {
            Poll::Ready(Some(Ok(event))) => {
                if let Some(msg) = to_msg(event) {
                    pending.push((msg, Origin::Terminal));
                }
            }
            Poll::Ready(Some(Err(_)) | None) => return false,
            Poll::Pending => return true,
        }
    }
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

/// The TUI as the screen draws it: the frame's layout comes back, for the app to take in as
/// `Msg::Layout` before its next message.
impl Drawable for App {
    type Drawn = ui::UiState;

    fn draw_into(&self, theme: &Theme, buf: &mut Buffer) -> (Option<Position>, ui::UiState) {
        ui::draw(self, theme, buf).into_parts()
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
                    Ok(Err(e)) => Msg::Said(Err(Failure::CacheUnreadable(e))),
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
                let _ = tx.send(Msg::Said(Err(Failure::Me(e))));
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

/// Carries out one effect in the background (see [`super::effects`]); its outcome comes back
/// as a message.
fn perform(
    lang: Lang,
    desk: &Desk,
    sync: &SyncHandle,
    loader: &Loader,
    tx: &mpsc::UnboundedSender<Msg>,
    effect: Effect,
) {
    let cx = effects::Context {
        lang,
        desk: desk.clone(),
        wake: sync.waker(),
        reload: loader.wanted.clone(),
        tx: tx.clone(),
    };
    effects::perform(cx, effect);
}

/// Edits text in `$VISUAL` or `$EDITOR` (default `vi`) through a private temporary file.
fn edit_externally(text: &str) -> Result<String, EditorFailure> {
    use super::external::{PrivateFile, program_from, run_on};
    let editor = program_from(&["VISUAL", "EDITOR"], "vi");
    let file = PrivateFile::create("note.txt", text.as_bytes())
        .map_err(|e| EditorFailure::Write(std::env::temp_dir(), e))?;
    match run_on(&editor, file.path()) {
        Ok(s) if s.success() => std::fs::read_to_string(file.path()).map_err(EditorFailure::Read),
        Ok(s) => Err(EditorFailure::Exited(editor, s)),
        Err(e) => Err(EditorFailure::Run(editor, e)),
    }
}
