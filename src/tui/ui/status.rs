//! The message line and the status bar: connection and data age, sync activity, the outbox,
//! and the keys that work in the focused pane.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use super::{Drawn, one};
use crate::tui::app::App;
use crate::tui::keymap::Command;
use crate::tui::theme::Theme;

pub fn message_line(app: &App, theme: &Theme, buf: &mut Buffer, area: Rect, drawn: &mut Drawn) {
    if let Some(input) = &app.filtering {
        let prefix = format!("/{} ", app.text().filter);
        let line = Line::from(vec![
            Span::styled(prefix.clone(), theme.style("header")),
            Span::raw(one(input.text()).into_owned()),
        ]);
        line.render(area, buf);
        let (_, col) = input.cursor_at();
        let x = area.x + (prefix.width() + col).min(area.width.saturating_sub(1) as usize) as u16;
        drawn.cursor = Some(Position { x, y: area.y });
        return;
    }
    if let Some(m) = &app.message {
        let (mark, role) = if m.error {
            ("✗ ", "error")
        } else {
            ("", "text")
        };
        Line::from(Span::styled(
            format!("{mark}{}", one(&m.text)),
            theme.style(role),
        ))
        .render(area, buf);
    }
}

pub fn status_bar(app: &App, theme: &Theme, buf: &mut Buffer, area: Rect) {
    let t = app.text();
    let bar = theme.style("status_bar");
    buf.set_style(area, bar);
    let zone = app.settings.zone;
    let clock = |at: chrono::DateTime<chrono::Utc>| zone.format(at, "%H:%M");
    let mut spans = Vec::new();
    let s = &app.sync;
    if s.online {
        let how = if s.live { t.live } else { t.polling };
        spans.push(Span::styled(
            format!(" ● {} {how} ", t.online),
            theme.style("online").patch(bar),
        ));
    } else if s.connecting() {
        // Before the first answer: neither online nor known to be offline.
        spans.push(Span::styled(format!(" ◌ {} ", t.connecting), bar));
    } else {
        let since = s
            .offline_since
            .map(|at| match app.settings.lang {
                crate::tui::text::Lang::En => format!(" since {}", clock(at)),
                lang => format!(" {}{}", clock(at), lang.word(crate::tui::text::Word::Since)),
            })
            .unwrap_or_default();
        spans.push(Span::styled(
            format!(" ○ {}{since} ", t.offline),
            theme.style("offline"),
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
            theme.style("stale"),
        ));
    }
    if s.needs_attention > 0 {
        spans.push(Span::styled(
            format!(" {} {} ", s.needs_attention, t.needs_attention),
            theme.style("error"),
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
        let item = format!("{key} {}  ", app.settings.lang.command_short(cmd));
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
