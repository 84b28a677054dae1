//! The message line and the status bar: connection and data age, sync activity, the outbox,
//! and the keys that work in the focused pane.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use super::{Drawn, one};
use crate::term::theme::{Role, Theme};
use crate::tui::app::{App, Message};
use crate::tui::keymap::Command;

/// The message line: the filter being typed, or the last message, wrapped.
pub fn message_line(app: &App, theme: &Theme, buf: &mut Buffer, area: Rect, drawn: &mut Drawn) {
    if let Some(input) = &app.filtering {
        let prefix = format!("/{} ", app.text().filter);
        let line = Line::from(vec![
            Span::styled(prefix.clone(), theme.style(Role::Header)),
            Span::raw(one(input.text()).into_owned()),
        ]);
        line.render(area, buf);
        let (_, col) = input.cursor_at();
        let x = area.x + (prefix.width() + col).min(area.width.saturating_sub(1) as usize) as u16;
        drawn.cursor = Some(Position { x, y: area.y });
        return;
    }
    if let Some(m) = &app.message {
        // A long message wraps onto the rows the layout gave it (see [`message_rows`]); what
        // still does not fit ends in "…".
        let role = match (m.error, m.alert) {
            (true, _) => Role::Error,
            (false, true) => Role::Breached,
            (false, false) => Role::Text,
        };
        let rows = message_text(m, area.width, theme.style(role));
        let shown = rows.len().min(area.height as usize);
        for (i, row) in rows.iter().take(shown).enumerate() {
            let y = area.y + i as u16;
            row.clone().render(Rect::new(area.x, y, area.width, 1), buf);
        }
        if rows.len() > shown && shown > 0 && area.width > 0 {
            let y = area.y + shown as u16 - 1;
            let x = area.right() - 1;
            // Not over the right half of a wide character.
            if x > area.x && buf[(x - 1, y)].symbol().width() > 1 {
                buf[(x - 1, y)].set_symbol(" ");
            }
            buf[(x, y)].set_symbol("…");
        }
    }
}

/// The most rows the message line grows to.
const MESSAGE_MAX_ROWS: u16 = 3;

/// The rows the message line takes: one, or as many as its message wraps to (at most three).
pub fn message_rows(app: &App, width: u16) -> u16 {
    match (&app.message, &app.filtering) {
        (Some(m), None) => {
            let rows = message_text(m, width, Style::default()).len();
            (rows as u16).clamp(1, MESSAGE_MAX_ROWS)
        }
        _ => 1,
    }
}

/// A message wrapped to `width` columns in `style`; a failure is marked `✗` and its continued
/// rows line up under its text.
fn message_text(m: &Message, width: u16, style: Style) -> Vec<Line<'static>> {
    let mark = if m.error { "✗ " } else { "" };
    let text = Line::from(Span::styled(one(&m.text).into_owned(), style));
    let rows = super::wrap::wrap_line(text, (width as usize).saturating_sub(mark.width()));
    rows.into_iter()
        .enumerate()
        .map(|(i, mut row)| {
            let lead = if i == 0 { mark } else { "  " };
            if !mark.is_empty() {
                row.spans.insert(0, Span::styled(lead, style));
            }
            row
        })
        .collect()
}

pub fn status_bar(app: &App, theme: &Theme, buf: &mut Buffer, area: Rect) {
    let t = app.text();
    let bar = theme.style(Role::StatusBar);
    buf.set_style(area, bar);
    let zone = app.settings.zone;
    let clock = |at: chrono::DateTime<chrono::Utc>| zone.format(at, "%H:%M");
    let mut spans = Vec::new();
    let s = &app.sync;
    if s.token_refused {
        let words = app
            .settings
            .lang
            .word(crate::term::text::Word::TokenRefused);
        spans.push(Span::styled(
            format!(" ✗ {words} "),
            theme.style(Role::Error),
        ));
    } else if s.online {
        let how = if s.live { t.live } else { t.polling };
        spans.push(Span::styled(
            format!(" ● {} {how} ", t.online),
            theme.style(Role::Online).patch(bar),
        ));
    } else if s.connecting() {
        // Before the first answer: neither online nor known to be offline.
        spans.push(Span::styled(format!(" ◌ {} ", t.connecting), bar));
    } else {
        let since = s
            .offline_since
            .map(|at| match app.settings.lang {
                crate::term::text::Lang::En => format!(" since {}", clock(at)),
                lang => format!(
                    " {}{}",
                    clock(at),
                    lang.word(crate::term::text::Word::Since)
                ),
            })
            .unwrap_or_default();
        spans.push(Span::styled(
            format!(" ○ {}{since} ", t.offline),
            theme.style(Role::Offline),
        ));
        if let Some(at) = s.as_of {
            spans.push(Span::styled(
                format!(" {} {} ", t.data_as_of, clock(at)),
                bar,
            ));
        }
    }
    if s.busy {
        spans.push(Span::styled(format!(" {}… ", t.syncing), bar));
    }
    spans.push(Span::styled(format!(" {} ", app.settings.profile), bar));
    if s.pending > 0 {
        spans.push(Span::styled(
            format!(" {} {} ", s.pending, t.pending),
            theme.style(Role::Stale),
        ));
    }
    if s.needs_attention > 0 {
        spans.push(Span::styled(
            format!(" {} {} ", s.needs_attention, t.needs_attention),
            theme.style(Role::Error),
        ));
    }
    let left = Line::from(spans);
    let used = left.width() as u16;
    left.render(area, buf);

    // The keys valid in the focused pane, as many as fit on the right.
    let keys = &app.settings.keys;
    let mut hint = String::new();
    for cmd in [
        Command::Help,
        Command::Filter,
        Command::Open,
        Command::NextPane,
        Command::Take,
        Command::NoteInternal,
        Command::Escalate,
        Command::Palette,
        Command::Quit,
    ] {
        if !cmd.applies_in(app.focus) {
            continue;
        }
        let Some(key) = keys.keys_for(cmd).into_iter().next() else {
            continue;
        };
        let item = format!("{key} {}  ", cmd.short(app.settings.lang));
        if used as usize + hint.width() + item.width() + 2 > area.width as usize {
            break;
        }
        hint.push_str(&item);
    }
    let w = hint.width() as u16;
    if w > 0 && area.width > used + w {
        Line::from(Span::styled(hint, bar)).render(Rect::new(area.right() - w, area.y, w, 1), buf);
    }
}
