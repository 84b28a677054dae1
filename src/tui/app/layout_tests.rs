//! Drawing never writes into the app (issue 15 item 2): a frame reports what it learned of the
//! layout, and only `Msg::Layout` through `App::update` takes it in.

use ratatui::backend::CrosstermBackend;
use ratatui::{Terminal, TerminalOptions, Viewport};

use super::tests::app;
use super::*;
use crate::term::theme::{ColorDepth, Theme};
use crate::tui::runtime::Screen;
use crate::tui::ui::UiState;

/// Draws `app` as the runtime does, into memory, at `w`×`h`.
fn frame(app: &App, w: u16, h: u16) -> UiState {
    let theme = Theme::builtin("dark", ColorDepth::Ansi16).expect("the dark theme");
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(Vec::<u8>::new()),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
        },
    )
    .expect("an in-memory terminal");
    Screen::default()
        .draw(&mut terminal, app, &theme)
        .expect("a frame")
}

#[test]
fn a_frame_changes_nothing_in_the_app_until_its_layout_message_is_applied() {
    let mut app = app();
    let before = format!("{app:?}");
    let layout = frame(&app, 80, 24);
    assert_eq!(format!("{app:?}"), before, "drawing wrote into the app");
    assert!(!layout.wide);
    assert!(app.wide && app.hits.is_empty());

    // A click on a column header means nothing before the app knows where the headers are.
    let (header, column) = layout
        .hits
        .iter()
        .find_map(|(r, h)| match h {
            Hit::Sort(c) if *c != app.queue.sort.column => Some((*r, *c)),
            _ => None,
        })
        .expect("a sortable header on screen");
    app.update(Msg::Click(header.x, header.y));
    assert_ne!(app.queue.sort.column, column);

    app.update(Msg::Layout(layout.clone()));
    assert!(!app.wide);
    assert_eq!(app.hits, layout.hits);
    app.update(Msg::Click(header.x, header.y));
    assert_eq!(app.queue.sort.column, column);
}

#[test]
fn the_layout_message_moves_the_queue_start_and_keeps_the_detail_scroll_in_range() {
    let mut app = app();
    app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    let opened = app.opened.as_mut().expect("a case is open");
    opened.scroll = 50;
    app.update(Msg::Layout(UiState {
        wide: true,
        queue_offset: 2,
        detail_max_scroll: Some(7),
        ..UiState::default()
    }));
    assert_eq!(app.queue.offset, 2);
    let opened = app.opened.as_ref().expect("a case is open");
    assert_eq!((opened.scroll, opened.reveal), (7, true));

    // The frame that brought the newest entry into view sets the scroll, once.
    app.update(Msg::Layout(UiState {
        wide: true,
        detail_revealed: Some(3),
        ..UiState::default()
    }));
    let opened = app.opened.as_ref().expect("a case is open");
    assert_eq!((opened.scroll, opened.reveal), (3, false));
}
