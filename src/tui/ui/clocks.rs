//! The SLA pane: every clock of the open case with its state in a word, the due instant in the
//! user's zone, and the time left both on the wall clock and in working time, ticking each
//! second from the server's last report (so it keeps ticking offline).

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, Widget, Wrap};

use super::{frame, placeholder};
use crate::sla::span;
use crate::term::text::Word;
use crate::term::theme::{Role, Theme};
use crate::term::urgency::Urgency;
use crate::tui::app::{App, Pane};
use crate::tui::keymap::Command;

/// From when the temporary P1 → P2 downgrade can be made (the time in the user's zone), or that
/// it can be made now and by which key.
fn downgrade_line(
    app: &App,
    theme: &Theme,
    at: chrono::DateTime<chrono::Utc>,
    available: bool,
) -> Line<'static> {
    let lang = app.settings.lang;
    if available {
        let key = app
            .settings
            .keys
            .keys_for(Command::Priority)
            .first()
            .map_or_else(|| ":priority".to_string(), ToString::to_string);
        return Line::from(Span::styled(
            format!("{} {key}", lang.word(Word::DowngradeAvailableNow)),
            theme.style(Role::DueSoon),
        ));
    }
    let zone = app.settings.zone;
    let when = if zone.format(at, "%F") == zone.format(app.now, "%F") {
        zone.format(at, "%H:%M")
    } else {
        zone.short(at, app.now)
    };
    Line::from(format!("{} {when}", lang.word(Word::DowngradeAvailableAt)))
}

pub fn draw(app: &App, theme: &Theme, buf: &mut Buffer, area: Rect) {
    let t = app.text();
    let lang = app.settings.lang;
    let zone = app.settings.zone;
    let title = format!("{} ({})", t.clocks, zone.format(app.now, "%Z"));
    let block = frame(app, theme, Pane::Clocks, title);
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(case) = app.opened.as_ref().and_then(|o| o.case.as_ref()) else {
        let text = if app.opened.is_some() {
            t.loading
        } else {
            t.no_case
        };
        placeholder(buf, inner, text, theme.style(Role::Muted));
        return;
    };
    let report = case.clocks.at(app.now, &app.calendars);
    if report.clocks.is_empty() {
        placeholder(
            buf,
            inner,
            lang.word(Word::NoClocks),
            theme.style(Role::Muted),
        );
        return;
    }
    // One line per clock when the pane is wide enough for the names of RMA clocks, else two.
    let narrow = inner.width < 76;
    let mut rows = Vec::new();
    for clock in &report.clocks {
        let urgency = Urgency::of_clock(clock.state, clock.remaining_secs);
        let style = theme.style(urgency.role());
        let mut name = lang.clock_kind(clock.kind).to_string();
        // Two-row layout: the RMA number goes on the second row, beside the target.
        let mut target = clock.target.to_string();
        if let Some(rma) = &clock.rma {
            if narrow {
                target = format!("{rma} {target}");
            } else {
                name.push_str(&format!(" {rma}"));
            }
        }
        // A met clock says when it was met where the others say when they are due.
        let (due_word, at) = match (clock.due, clock.met_at) {
            (Some(d), _) => (t.due, Some(d)),
            (None, Some(m)) => (lang.word(Word::Met), Some(m)),
            (None, None) => (t.due, None),
        };
        let at = at.map_or("-".into(), |d| zone.short(d, app.now));
        let wall = match (clock.counting, clock.remaining_secs) {
            (true, Some(s)) => span::precise(s),
            _ => "-".into(),
        };
        // A paused clock still has working time left, frozen until it runs again.
        let working = clock
            .remaining_working_secs
            .filter(|_| clock.counting || clock.state == crate::sla::ClockState::Paused)
            .map_or("-".into(), span::precise);
        let state = format!("{} {}", urgency.mark(), urgency.word_in(app.settings.lang));
        let muted = theme.style(Role::Muted);
        if narrow {
            rows.push(Row::new(vec![
                Line::from(name),
                Line::from(Span::styled(state, style)),
                Line::from(Span::styled(wall, style)),
            ]));
            rows.push(Row::new(vec![
                Line::from(Span::styled(format!("  {target}"), muted)),
                Line::from(Span::styled(format!("{due_word} {at}"), muted)),
                Line::from(Span::styled(working, muted)),
            ]));
        } else {
            rows.push(Row::new(vec![
                Line::from(name),
                Line::from(Span::styled(state, style)),
                Line::from(format!("{due_word} {at}")),
                Line::from(Span::styled(wall, style)),
                Line::from(working),
            ]));
        }
    }
    let left_working = format!("{} / {}", t.left, t.working);
    let header: Vec<&str> = if narrow {
        vec![t.clock, t.state_due, &left_working]
    } else {
        vec![t.clock, t.state, t.due, t.left, t.working]
    };
    let widths: Vec<Constraint> = if narrow {
        vec![
            Constraint::Fill(1),
            Constraint::Length(16),
            Constraint::Length(14),
        ]
    } else {
        vec![
            Constraint::Fill(1),
            Constraint::Length(11),
            Constraint::Length(17),
            Constraint::Length(12),
            Constraint::Length(12),
        ]
    };
    let table_height = (rows.len() + 1) as u16;
    Table::new(rows, widths)
        .header(Row::new(header).style(theme.style(Role::Header)))
        .column_spacing(1)
        .render(inner, buf);
    let mut notes = Vec::new();
    // A met first response with no update clock after it: the tier sets no update target, so
    // no desk deadline runs (the queue says "no target").
    if case.summary.status.is_open() && no_update_target(&report) {
        notes.push(Line::from(Span::styled(
            lang.word(Word::NoUpdateTarget),
            theme.style(Role::Stopped),
        )));
    }
    // The P1 reachability rule, under the clocks.
    let p1 = report.p1_contact;
    if let Some(since) = p1.failing_since {
        notes.push(Line::from(Span::styled(
            format!(
                "{} {}",
                lang.word(Word::UnreachableSince),
                zone.short(since, app.now)
            ),
            theme.style(Role::DueSoon),
        )));
        if let Some(at) = p1.downgrade_available_at {
            notes.push(downgrade_line(app, theme, at, p1.downgrade_available));
        }
    }
    if p1.temporarily_downgraded {
        notes.push(Line::from(Span::styled(
            lang.word(Word::RestoreP1),
            theme.style(Role::DueSoon),
        )));
    }
    if !notes.is_empty() && inner.height > table_height + 1 {
        let y = inner.y + table_height + 1;
        Paragraph::new(notes)
            .wrap(Wrap { trim: true })
            .render(Rect::new(inner.x, y, inner.width, inner.bottom() - y), buf);
    }
}

/// Whether the first response was met and no update clock follows it.
fn no_update_target(report: &crate::sla::ClockReport) -> bool {
    use crate::sla::ClockKind;
    let met = report
        .clocks
        .iter()
        .any(|c| c.kind == ClockKind::FirstResponse && c.met_at.is_some());
    met && !report.clocks.iter().any(|c| c.kind == ClockKind::Update)
}
