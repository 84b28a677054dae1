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
use crate::domain::EscalationKind;
use crate::term::text::Word;
use crate::term::theme::{Role, Theme};
use crate::tui::actions::{kind_label, status_moves};
use crate::tui::app::{App, ListKind, ListRow, ListView, Overlay, Pane, completions};
use crate::tui::form::{Field, FieldKind, Form};
use crate::tui::keymap::Command;

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
                        Span::styled(format!("{n:<14}"), theme.style(Role::Header)),
                        Span::styled(desc, theme.style(Role::Muted)),
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
        Some(Overlay::Viewer(viewer)) => super::viewer::draw(app, theme, buf, body, viewer, drawn),
        Some(Overlay::Macros(picker)) => super::macros::draw(app, theme, buf, body, picker, drawn),
        Some(Overlay::Reports(screen)) => super::reports::draw(app, theme, buf, body, screen),
        Some(Overlay::List(list)) => {
            let area = body;
            clear(area, buf);
            // The hint's `{name}`s become the keys bound now.
            let block = boxed(theme, &list.title, &app.settings.keys.hint(&list.hint));
            let inner = block.inner(area);
            block.render(area, buf);
            if list.rows.is_empty() {
                Paragraph::new(app.settings.lang.word(Word::NoneListed))
                    .style(theme.style(Role::Muted))
                    .render(inner, buf);
                return;
            }
            // Narrow, the RMAs' analysis column gives way (the number, status, case and
            // return due are what the list is read for), and held mail's subject (when, the
            // case, from whom and why it waits are).
            let narrowed = match list.kind {
                ListKind::Rmas => Some(4),
                ListKind::Mail => Some(3),
                // A file's type gives way to its name, size, whether it is kept, who and when.
                ListKind::Files => Some(3),
                _ => None,
            };
            if let Some(drop) = narrowed {
                let (header, rows) = without_column_if_narrow(list, drop, inner.width);
                table(theme, buf, inner, &header, &rows, Some(list.selected));
                return;
            }
            let Some(at) = crate::tui::search::rmas_from(list) else {
                table(
                    theme,
                    buf,
                    inner,
                    &list.header,
                    &list.rows,
                    Some(list.selected),
                );
                return;
            };
            // Search results: the cases, then the RMAs in a table of their own, each under a
            // label; each part gets what it needs, or at least half when both do not fit.
            let lang = app.settings.lang;
            let (cases, rmas) = list.rows.split_at(at);
            let parts = [
                (Word::SearchCases, list.header.clone(), cases, 0),
                (
                    Word::SearchRmas,
                    crate::tui::rma::search_header(lang),
                    rmas,
                    at,
                ),
            ];
            let parts: Vec<_> = parts.into_iter().filter(|p| !p.2.is_empty()).collect();
            let needs: Vec<u16> = parts.iter().map(|p| p.2.len() as u16 + 2).collect();
            let total = inner.height;
            let first = match needs.as_slice() {
                [a, b] if a + b > total => (*a).min(total.saturating_sub(*b).max(total / 2)),
                [a, ..] => (*a).min(total),
                [] => 0,
            };
            let mut y = inner.y;
            let room_for_gap = needs.iter().sum::<u16>() < total;
            for (i, (label, header, rows, from)) in parts.iter().enumerate() {
                if i > 0 && room_for_gap {
                    y += 1;
                }
                let h = if i == 0 { first } else { inner.bottom() - y };
                if h < 3 {
                    continue;
                }
                Line::from(Span::styled(
                    format!("{} ({})", lang.word(*label), rows.len()),
                    theme.style(Role::Title),
                ))
                .render(Rect::new(inner.x, y, inner.width, 1), buf);
                let selected = list.selected.checked_sub(*from).filter(|s| *s < rows.len());
                let rect = Rect::new(inner.x, y + 1, inner.width, h - 1);
                table(theme, buf, rect, header, rows, selected);
                y += h;
            }
        }
    }
}

/// The list's header and rows without column `drop` when the columns before the last would
/// not fit `width` whole (the last, filling, keeps at least 12 columns).
fn without_column_if_narrow(
    list: &ListView,
    drop: usize,
    width: u16,
) -> (Vec<String>, Vec<ListRow>) {
    let cols = list.header.len();
    let widest = |i: usize| {
        list.rows
            .iter()
            .map(|r| r.cells.get(i).map_or(0, |c| c.width()))
            .chain(std::iter::once(list.header[i].width()))
            .max()
            .unwrap_or(0)
            .min(40)
    };
    // Two for the selection marker, two between columns.
    let wanted: usize = 2
        + (0..cols.saturating_sub(1))
            .map(|i| widest(i) + 2)
            .sum::<usize>();
    if drop + 1 >= cols || wanted + 12 <= width as usize {
        return (list.header.clone(), list.rows.clone());
    }
    let cut = |cells: &[String]| -> Vec<String> {
        cells
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != drop)
            .map(|(_, c)| c.clone())
            .collect()
    };
    let rows = list
        .rows
        .iter()
        .map(|r| ListRow {
            cells: cut(&r.cells),
            ..r.clone()
        })
        .collect();
    (cut(&list.header), rows)
}

/// One table of a list overlay: columns as wide as their widest cell (at most 40), the last
/// taking the rest; the selected row highlighted and kept in view.
fn table(
    theme: &Theme,
    buf: &mut Buffer,
    area: Rect,
    header: &[String],
    rows: &[ListRow],
    selected: Option<usize>,
) {
    let cols = header.len().max(1);
    let widths: Vec<Constraint> = (0..cols)
        .map(|i| {
            let w = rows
                .iter()
                .map(|r| r.cells.get(i).map_or(0, |c| c.width()))
                .chain(std::iter::once(header.get(i).map_or(0, |h| h.width())))
                .max()
                .unwrap_or(4);
            if i + 1 == cols {
                Constraint::Fill(1)
            } else {
                Constraint::Length(w.min(40) as u16)
            }
        })
        .collect();
    let rows: Vec<Row> = rows
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
    let mut state = TableState::default().with_selected(selected);
    let table = Table::new(rows, widths)
        .header(Row::new(header.to_vec()).style(theme.style(Role::Header)))
        .column_spacing(2)
        .row_highlight_style(theme.style(Role::Selected))
        .highlight_symbol(">")
        // The two tables of the search results line up whether or not one holds the cursor.
        .highlight_spacing(ratatui::widgets::HighlightSpacing::Always);
    StatefulWidget::render(table, area, buf, &mut state);
}

/// A bordered overlay box: its title on top, its keys at the bottom.
pub(super) fn boxed<'a>(theme: &Theme, title: &str, hint: &str) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::BorderFocused))
        .title(Span::styled(
            format!(" {} ", one(title)),
            theme.style(Role::Title),
        ))
        .title_bottom(Span::styled(format!(" {hint} "), theme.style(Role::Muted)))
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
    let lang = app.settings.lang;
    if app.focus == Pane::Escalation {
        // The pane's own keys first: its numbered options.
        lines.push(Line::from(Span::styled(
            lang.word(Word::HelpEscalationOptions),
            theme.style(Role::Header),
        )));
        for (i, kind) in EscalationKind::ALL.iter().enumerate() {
            lines.push(Line::from(vec![
                Span::styled(format!("{:<16}", i + 1), theme.style(Role::Header)),
                Span::raw(kind_label(lang, *kind)),
            ]));
        }
        lines.push(Line::default());
    }
    for cmd in Command::ALL {
        if !cmd.applies_in(app.focus) {
            continue;
        }
        // A view key is listed by its view's name, and only when that view exists.
        let view = cmd
            .view_number()
            .map(|n| app.settings.views.iter().find(|v| v.key == n));
        let describe = match view {
            Some(None) => continue,
            Some(Some(v)) => lang.word(Word::HelpView).replace("{name}", &one(&v.name)),
            None => cmd.describe(lang).to_string(),
        };
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
            Span::styled(format!("{keys_text:<16}"), theme.style(Role::Header)),
            Span::raw(describe),
            Span::styled(format!("  :{}", cmd.name()), theme.style(Role::Muted)),
        ]));
        // Where the case at hand may go, so the status form holds no surprise.
        if *cmd == Command::Status
            && let Some(case) = app.current()
        {
            for line in status_moves(lang, case.status) {
                lines.push(Line::from(Span::styled(
                    format!("{:<16}{line}", ""),
                    theme.style(Role::Muted),
                )));
            }
        }
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        t.help_forms,
        theme.style(Role::Muted),
    )));
    lines.push(Line::from(Span::styled(
        app.settings.keys.hint(t.help_lists),
        theme.style(Role::Muted),
    )));
    // Acting on escalations is a lead's (the server refuses others).
    if app.is_lead() {
        lines.push(Line::from(Span::styled(
            app.settings.keys.hint(lang.word(Word::HelpListsLead)),
            theme.style(Role::Muted),
        )));
    }
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
    // A field waiting for another's value takes no room.
    let height_of = |f: &Field| {
        if !form.is_shown(f) {
            return 0;
        }
        1 + rows_of(&f.kind) + note_paragraph(f, field_width as u16).map_or(0, |(_, rows)| rows)
    };
    let heights: Vec<u16> = form.fields.iter().map(height_of).collect();
    // The lines under the fields wrap at the box's width (a requester's reason, the moves a
    // status may make) rather than being cut.
    let info_width = w.saturating_sub(2).max(1);
    // The people picker's matches join the app's lines while its field is focused.
    let picked = crate::tui::picker::lines(form, app.settings.lang);
    let info: Vec<(Paragraph, u16)> = form
        .info
        .iter()
        .chain(&picked)
        .map(|(line, role)| {
            let p = Paragraph::new(one(line))
                .style(theme.style(*role))
                .wrap(Wrap { trim: true });
            let rows = p.line_count(info_width).max(1) as u16;
            (p, rows)
        })
        .collect();
    let info_rows: u16 = info.iter().map(|(_, rows)| rows).sum();
    let h = (heights.iter().sum::<u16>() + info_rows + 3).min(body.height);
    let area = centered(body, w, h);
    clear(area, buf);
    let block = boxed(theme, &form.title, app.text().submit_hint);
    let inner = block.inner(area);
    block.render(area, buf);
    // The lookup's lines stay in view at the bottom, above the error line: all of them when
    // the fields fit too (a one-field form with its picker's matches and hint), else at most
    // half the box; the fields scroll so the focused one is whole on screen.
    let fields_rows: u16 = heights.iter().sum();
    let info_rows = info_rows.min(
        inner
            .height
            .saturating_sub(1 + fields_rows)
            .max(inner.height / 2),
    );
    let fields_bottom = inner.bottom().saturating_sub(1 + info_rows);
    let room = fields_bottom.saturating_sub(inner.y);
    let focus = form.focus.min(heights.len().saturating_sub(1));
    let mut first = 0;
    while first < focus && heights[first..=focus].iter().sum::<u16>() > room {
        first += 1;
    }
    let more = |text: &str, y: u16, buf: &mut Buffer| {
        let width = text.width() as u16;
        Span::styled(text.to_string(), theme.style(Role::Muted)).render(
            Rect::new(area.right().saturating_sub(width + 2), y, width, 1),
            buf,
        );
    };
    if first > 0 {
        more("↑", area.y, buf);
    }
    let mut y = inner.y;
    for (i, field) in form.fields.iter().enumerate().skip(first) {
        if heights[i] == 0 {
            continue;
        }
        if y + heights[i] > fields_bottom && i != first {
            more("↓", fields_bottom.saturating_sub(1), buf);
            break;
        }
        if y >= fields_bottom {
            break;
        }
        let focused = i == form.focus;
        // A field refused on submit (an unknown name) stays marked until it is edited.
        let refused = form
            .picker
            .as_ref()
            .is_some_and(|p| p.marks(field.key, &form.value(field.key)));
        let label_style = if refused {
            theme.style(Role::Error)
        } else if focused {
            theme.style(Role::Header)
        } else {
            theme.style(Role::Muted)
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
                        spans.push(Span::styled(
                            format!("[{label}]"),
                            theme.style(Role::Selected),
                        ));
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
                    theme.style(Role::Text)
                } else {
                    theme.style(Role::Muted)
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
            note.style(theme.style(Role::Muted)).render(
                Rect::new(inner.x + 2, y, inner.width.saturating_sub(2), rows),
                buf,
            );
            y += rows;
        }
    }
    let mut iy = fields_bottom;
    let info_bottom = fields_bottom + info_rows;
    for (p, rows) in info {
        let rows = rows.min(info_bottom.saturating_sub(iy));
        if rows == 0 {
            break;
        }
        p.render(Rect::new(inner.x, iy, inner.width, rows), buf);
        iy += rows;
    }
    if let Some(err) = &form.error {
        let ey = inner.bottom().saturating_sub(1);
        Line::from(Span::styled(
            format!("✗ {}", one(err)),
            theme.style(Role::Error),
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
