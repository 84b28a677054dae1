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
use crate::tui::form::{Field, FieldKind, Form};
use crate::tui::keymap::Command;
use crate::tui::theme::Theme;

pub fn draw(app: &App, theme: &Theme, buf: &mut Buffer, body: Rect, drawn: &mut Drawn) {
    match &app.overlay {
        None => {}
        Some(Overlay::Help(scroll)) => help(app, theme, buf, body, *scroll),
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
            lines.push(Line::from(format!(":{}", one(input.text()))));
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
            let area = body;
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
                Paragraph::new(app.settings.lang.word(crate::tui::text::Word::NoneListed))
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

fn help(app: &App, theme: &Theme, buf: &mut Buffer, body: Rect, scroll: u16) {
    let t = app.text();
    // The whole body, so no sliver of a pane shows beside it.
    let area = body;
    clear(area, buf);
    let block = boxed(
        theme,
        &format!("{} — {}", t.help, app.focus.title(t)),
        t.help_close,
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
    lines.push(Line::from(Span::styled(t.help_forms, theme.style("muted"))));
    lines.push(Line::from(Span::styled(t.help_lists, theme.style("muted"))));
    let last = (lines.len() as u16).saturating_sub(inner.height);
    Paragraph::new(lines)
        .scroll((scroll.min(last), 0))
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
    // Inside the box: two columns of border, two of indent.
    let field_width = w.saturating_sub(4).max(1) as usize;
    let choice_rows = |options: &[(String, String)]| -> u16 {
        let total: usize = options.iter().map(|(_, l)| l.width() + 3).sum();
        total.div_ceil(field_width).max(1) as u16
    };
    let rows_of = |kind: &FieldKind| -> u16 {
        match kind {
            FieldKind::Choice { options, .. } => choice_rows(options),
            FieldKind::Text(t) if t.is_multiline() => 6,
            FieldKind::Text(_) => 1,
        }
    };
    // What the chosen option means (a priority's definition), at most two rows under it.
    let height_of = |f: &Field| {
        1 + rows_of(&f.kind) + note_paragraph(f, field_width as u16).map_or(0, |(_, rows)| rows)
    };
    let heights: Vec<u16> = form.fields.iter().map(height_of).collect();
    let info_rows = form.info.len() as u16;
    let h = (heights.iter().sum::<u16>() + info_rows + 3).min(body.height);
    let area = centered(body, w, h);
    clear(area, buf);
    let block = boxed(theme, &form.title, app.text().submit_hint);
    let inner = block.inner(area);
    block.render(area, buf);
    // The lookup's lines stay in view at the bottom (at most half the box), above the error
    // line; the fields scroll so the focused one is whole on screen.
    let info_rows = info_rows.min(inner.height / 2);
    let fields_bottom = inner.bottom().saturating_sub(1 + info_rows);
    let room = fields_bottom.saturating_sub(inner.y);
    let focus = form.focus.min(heights.len().saturating_sub(1));
    let mut first = 0;
    while first < focus && heights[first..=focus].iter().sum::<u16>() > room {
        first += 1;
    }
    let more = |text: &str, y: u16, buf: &mut Buffer| {
        let width = text.width() as u16;
        Span::styled(text.to_string(), theme.style("muted")).render(
            Rect::new(area.right().saturating_sub(width + 2), y, width, 1),
            buf,
        );
    };
    if first > 0 {
        more("↑", area.y, buf);
    }
    let mut y = inner.y;
    for (i, field) in form.fields.iter().enumerate().skip(first) {
        if y + heights[i] > fields_bottom && i != first {
            more("↓", fields_bottom.saturating_sub(1), buf);
            break;
        }
        if y >= fields_bottom {
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
        let rows = rows_of(&field.kind).min(fields_bottom.saturating_sub(y));
        let rect = Rect::new(inner.x + 2, y, inner.width.saturating_sub(2), rows);
        match &field.kind {
            FieldKind::Choice { options, index } => {
                let mut spans = Vec::new();
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
                    .render(rect, buf);
            }
            FieldKind::Text(input) => {
                let (lines, (line, col)) =
                    wrap_at(input.text(), rect.width.max(1) as usize, input.cursor());
                // Keep the cursor's line in view.
                let scroll = line.saturating_sub(rows.saturating_sub(1) as usize);
                let style = if focused {
                    theme.style("text")
                } else {
                    theme.style("muted")
                };
                let shown: Vec<Line> = lines
                    .into_iter()
                    .skip(scroll)
                    .take(rows as usize)
                    .map(Line::from)
                    .collect();
                Paragraph::new(shown).style(style).render(rect, buf);
                if focused && rows > 0 {
                    drawn.cursor = Some(Position {
                        x: rect.x + (col as u16).min(rect.width.saturating_sub(1)),
                        y: rect.y + ((line - scroll) as u16).min(rows - 1),
                    });
                }
            }
        }
        y += rows;
        if let Some((note, rows)) = note_paragraph(field, field_width as u16) {
            let rows = rows.min(fields_bottom.saturating_sub(y));
            note.style(theme.style("muted")).render(
                Rect::new(inner.x + 2, y, inner.width.saturating_sub(2), rows),
                buf,
            );
            y += rows;
        }
    }
    for (k, (line, role)) in form.info.iter().take(info_rows as usize).enumerate() {
        Line::from(Span::styled(one(line), theme.style(role))).render(
            Rect::new(inner.x, fields_bottom + k as u16, inner.width, 1),
            buf,
        );
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

/// What a choice's chosen option means, word-wrapped to at most two rows, and its rows.
fn note_paragraph(field: &Field, width: u16) -> Option<(Paragraph<'_>, u16)> {
    let note = Paragraph::new(Form::note_of(field)?).wrap(Wrap { trim: true });
    let rows = note.line_count(width).min(2) as u16;
    Some((note, rows))
}

/// `text` cut into rows of at most `width` columns (a double-width character is never split),
/// and the row and column where the character at `cursor` (in characters) is drawn.
fn wrap_at(text: &str, width: usize, cursor: usize) -> (Vec<String>, (usize, usize)) {
    let mut rows = vec![String::new()];
    let mut col = 0;
    let mut at = None;
    // Cluster by cluster, each reduced as it is drawn (an emoji sequence is measured as the
    // glyph the terminal shows), so a row never ends inside a cluster.
    let mut i = 0;
    for g in unicode_segmentation::UnicodeSegmentation::graphemes(text, true) {
        let chars = g.chars().count();
        let holds_cursor = (i..i + chars).contains(&cursor);
        i += chars;
        let newline = g == "\n" || g == "\r\n";
        let shown = crate::sanitize::cluster(g);
        let w = shown.width();
        if !newline && col + w > width {
            rows.push(String::new());
            col = 0;
        }
        if holds_cursor {
            at = Some((rows.len() - 1, col));
        }
        if newline {
            rows.push(String::new());
            col = 0;
            continue;
        }
        if let Some(row) = rows.last_mut() {
            row.push_str(&shown);
        }
        col += w;
    }
    let at = at.unwrap_or_else(|| {
        if col >= width {
            rows.push(String::new());
            (rows.len() - 1, 0)
        } else {
            (rows.len() - 1, col)
        }
    });
    (rows, at)
}

#[cfg(test)]
mod tests {
    use super::wrap_at;

    #[test]
    fn wrapping_keeps_wide_characters_whole_and_finds_the_cursor() {
        let (rows, at) = wrap_at("ab日本語\nx", 5, 7);
        assert_eq!(rows, vec!["ab日", "本語", "x"]);
        assert_eq!(at, (2, 1));
        let (rows, at) = wrap_at("abcde", 5, 5);
        assert_eq!(rows, vec!["abcde", ""]);
        assert_eq!(at, (1, 0));
        // A joined emoji is one glyph: the cursor after it is two columns on.
        let (rows, at) = wrap_at("👨\u{200D}👩\u{200D}👧x", 4, 5);
        assert_eq!(rows, vec!["👨x"]);
        assert_eq!(at, (0, 2));
        let (rows, _) = wrap_at("ab🇯🇵cd", 5, 0);
        assert_eq!(rows, vec!["ab", "[JP]c", "d"]);
        let (_, at) = wrap_at("ab日本語", 5, 3);
        assert_eq!(
            at,
            (1, 0),
            "the cursor on 本 sits at the start of the second row"
        );
    }
}
