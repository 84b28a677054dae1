//! Overlays: help (generated from the key map), the command palette with its completions,
//! forms, and lists (search results, RMAs, the escalation queue, the outbox, an entitlement).

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Paragraph, Row, StatefulWidget, Table, TableState, Widget, Wrap,
};
use unicode_width::UnicodeWidthStr;

use super::{Drawn, centered, clear, one};
use crate::tui::app::{App, Overlay, completions};
use crate::tui::form::{FieldKind, Form};
use crate::tui::keymap::Command;
use crate::tui::theme::Theme;

pub fn draw(app: &App, theme: &Theme, buf: &mut Buffer, body: Rect, drawn: &mut Drawn) {
    match &app.overlay {
        None => {}
        Some(Overlay::Help) => help(app, theme, buf, body),
        Some(Overlay::Palette(input)) => {
            let names = completions(input.text().split(' ').next().unwrap_or(""));
            let h = (names.len().min(8) as u16) + 3;
            let area = Rect::new(
                body.x,
                body.bottom().saturating_sub(h),
                body.width,
                h.min(body.height),
            );
            clear(area, buf);
            let block = boxed(theme, ":", app.text().palette_hint);
            let inner = block.inner(area);
            block.render(area, buf);
            let mut lines: Vec<Line> = names
                .iter()
                .take(8)
                .map(|n| {
                    let desc = Command::by_name(n)
                        .map(|c| c.describe(app.settings.lang))
                        .unwrap_or("");
                    Line::from(vec![
                        Span::styled(format!("{n:<14}"), theme.style("header")),
                        Span::styled(desc, theme.style("muted")),
                    ])
                })
                .collect();
            lines.push(Line::from(format!(":{}", input.text())));
            let y = inner.bottom().saturating_sub(lines.len() as u16);
            Paragraph::new(lines)
                .render(Rect::new(inner.x, y, inner.width, inner.bottom() - y), buf);
            let (_, col) = input.cursor_at();
            drawn.cursor = Some(Position {
                x: inner.x + (1 + col as u16).min(inner.width.saturating_sub(1)),
                y: inner.bottom().saturating_sub(1),
            });
        }
        Some(Overlay::Form(form)) => draw_form(app, theme, buf, body, form, drawn),
        Some(Overlay::List(list)) => {
            let area = centered(
                body,
                body.width.saturating_sub(4),
                body.height.saturating_sub(2),
            );
            clear(area, buf);
            let block = boxed(theme, &list.title, &list.hint);
            let inner = block.inner(area);
            block.render(area, buf);
            let cols = list.header.len().max(1);
            let widths: Vec<Constraint> = (0..cols)
                .map(|i| {
                    let w = list
                        .rows
                        .iter()
                        .map(|r| r.cells.get(i).map_or(0, |c| c.width()))
                        .chain(std::iter::once(list.header[i].width()))
                        .max()
                        .unwrap_or(4);
                    if i + 1 == cols {
                        Constraint::Fill(1)
                    } else {
                        Constraint::Length(w.min(40) as u16)
                    }
                })
                .collect();
            let rows: Vec<Row> = list
                .rows
                .iter()
                .map(|r| {
                    let row = Row::new(
                        r.cells
                            .iter()
                            .map(|c| Line::from(c.clone()))
                            .collect::<Vec<_>>(),
                    );
                    match r.role {
                        Some(role) => row.style(theme.style(role)),
                        None => row,
                    }
                })
                .collect();
            if rows.is_empty() {
                Paragraph::new("(none)")
                    .style(theme.style("muted"))
                    .render(inner, buf);
                return;
            }
            let mut state = TableState::default().with_selected(Some(list.selected));
            let table = Table::new(rows, widths)
                .header(Row::new(list.header.clone()).style(theme.style("header")))
                .column_spacing(2)
                .row_highlight_style(theme.style("selected"))
                .highlight_symbol(">");
            StatefulWidget::render(table, inner, buf, &mut state);
        }
    }
}

fn boxed<'a>(theme: &Theme, title: &str, hint: &str) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style("border_focused"))
        .title(Span::styled(
            format!(" {} ", one(title)),
            theme.style("title"),
        ))
        .title_bottom(Span::styled(format!(" {hint} "), theme.style("muted")))
}

fn help(app: &App, theme: &Theme, buf: &mut Buffer, body: Rect) {
    let t = app.text();
    let area = centered(body, 76, body.height.saturating_sub(2));
    clear(area, buf);
    let block = boxed(
        theme,
        &format!("{} — {}", t.help, app.focus.title(t)),
        "Esc / ? close",
    );
    let inner = block.inner(area);
    block.render(area, buf);
    let keys = &app.settings.keys;
    let mut lines = Vec::new();
    for cmd in Command::ALL {
        if !cmd.applies_in(app.focus) {
            continue;
        }
        let bound = keys.keys_for(*cmd);
        let keys_text = if bound.is_empty() {
            format!(":{}", cmd.name())
        } else {
            bound
                .iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{keys_text:<16}"), theme.style("header")),
            Span::raw(cmd.describe(app.settings.lang)),
            Span::styled(format!("  :{}", cmd.name()), theme.style("muted")),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "In forms: Tab next field · ←/→ choose · Ctrl-S send · Ctrl-E $EDITOR · Esc cancel",
        theme.style("muted"),
    )));
    lines.push(Line::from(Span::styled(
        "Lists: Enter open · outbox r retry, d discard · escalations a acknowledge, v resolve, d decline",
        theme.style("muted"),
    )));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}

fn draw_form(
    app: &App,
    theme: &Theme,
    buf: &mut Buffer,
    body: Rect,
    form: &Form,
    drawn: &mut Drawn,
) {
    let w = body.width.saturating_sub(4).min(90);
    let multiline = form
        .fields
        .iter()
        .any(|f| matches!(&f.kind, FieldKind::Text(t) if t.is_multiline()));
    let text_rows: u16 = if multiline { 6 } else { 0 };
    let h = (form.fields.len() as u16 * 2 + text_rows + 3).min(body.height);
    let area = centered(body, w, h);
    clear(area, buf);
    let block = boxed(theme, &form.title, app.text().submit_hint);
    let inner = block.inner(area);
    block.render(area, buf);
    let mut y = inner.y;
    for (i, field) in form.fields.iter().enumerate() {
        if y >= inner.bottom() {
            break;
        }
        let focused = i == form.focus;
        let label_style = if focused {
            theme.style("header")
        } else {
            theme.style("muted")
        };
        let marker = if focused { "> " } else { "  " };
        Line::from(Span::styled(
            format!("{marker}{}", field.label),
            label_style,
        ))
        .render(Rect::new(inner.x, y, inner.width, 1), buf);
        y += 1;
        match &field.kind {
            FieldKind::Choice { options, index } => {
                let mut spans = vec![Span::raw("  ")];
                for (j, (_, label)) in options.iter().enumerate() {
                    // The choice is bracketed, so it reads without colour too.
                    if j == *index {
                        spans.push(Span::styled(format!("[{label}]"), theme.style("selected")));
                    } else {
                        spans.push(Span::raw(format!(" {label} ")));
                    }
                    spans.push(Span::raw(" "));
                }
                Paragraph::new(Line::from(spans))
                    .wrap(Wrap { trim: false })
                    .render(Rect::new(inner.x, y, inner.width, 1), buf);
                y += 1;
            }
            FieldKind::Text(input) => {
                let rows = if input.is_multiline() {
                    text_rows.max(1)
                } else {
                    1
                };
                let rows = rows.min(inner.bottom().saturating_sub(y));
                let rect = Rect::new(inner.x + 2, y, inner.width.saturating_sub(2), rows);
                let (line, col) = input.cursor_at();
                // Keep the cursor's line in view.
                let scroll = (line as u16).saturating_sub(rows.saturating_sub(1));
                let style = if focused {
                    theme.style("text")
                } else {
                    theme.style("muted")
                };
                Paragraph::new(input.text().to_string())
                    .style(style)
                    .scroll((scroll, 0))
                    .render(rect, buf);
                if focused {
                    drawn.cursor = Some(Position {
                        x: rect.x + (col as u16).min(rect.width.saturating_sub(1)),
                        y: rect.y + (line as u16 - scroll).min(rows.saturating_sub(1)),
                    });
                }
                y += rows;
            }
        }
    }
    if let Some(err) = &form.error {
        let ey = inner.bottom().saturating_sub(1);
        Line::from(Span::styled(
            format!("✗ {}", one(err)),
            theme.style("error"),
        ))
        .render(Rect::new(inner.x, ey, inner.width, 1), buf);
    }
}
