//! Drawing the wallboard: the stale banner over everything, a page indicator, and the page.
//! Digits scaled to the tile (large at 300×80, one block high at 80×24), plain bold numbers
//! where even that does not fit.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Widget};

use super::board::{Board, Level, Page, Tile};
use super::digits;
use crate::sanitize::clean;
use crate::tui::text::{Lang, Word};
use crate::tui::theme::Theme;
use crate::tui::ui::urgency::Urgency;

fn level_role(level: Level) -> &'static str {
    match level {
        Level::Calm => "text",
        Level::Warn => "due_soon",
        Level::Alert => "breached",
    }
}

/// A word that carries a tile's level without colour.
fn level_word(lang: Lang, level: Level) -> &'static str {
    match level {
        Level::Calm => "",
        Level::Warn => lang.word(Word::Warn),
        Level::Alert => lang.word(Word::Alert),
    }
}

/// Draws the board.
pub fn draw(board: &Board, theme: &Theme, buf: &mut Buffer) {
    let area = buf.area;
    buf.set_style(area, theme.style("text"));
    if area.width < 40 || area.height < 10 {
        Paragraph::new(board.lang.word(Word::WallTooSmall)).render(area, buf);
        return;
    }
    let banner = board.stale_banner();
    let banner_rows = match (&banner, area.height >= 40) {
        (None, _) => 0,
        (Some(_), true) => 5,
        (Some(_), false) => 1,
    };
    let [top, bar, body] = Layout::vertical([
        Constraint::Length(banner_rows),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(area);
    if let Some(text) = banner {
        let level = board.staleness().map_or(Level::Warn, |s| s.level);
        // Reverse video as well as colour: nobody can miss it, with or without colour.
        let mut style = theme.style(if level == Level::Alert {
            "stale"
        } else {
            "offline"
        });
        style = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
        if level == Level::Alert {
            style = style.add_modifier(Modifier::SLOW_BLINK);
        }
        buf.set_style(top, style);
        let y = top.y + top.height / 2;
        Paragraph::new(text)
            .centered()
            .style(style)
            .render(Rect::new(top.x, y, top.width, 1), buf);
    }
    page_bar(board, theme, buf, bar);
    match board.page {
        Page::Now => now_page(board, theme, buf, body),
        Page::Next => next_page(board, theme, buf, body),
        Page::Waiting => waiting_page(board, theme, buf, body),
    }
}

fn page_bar(board: &Board, theme: &Theme, buf: &mut Buffer, area: Rect) {
    let mut spans = vec![Span::styled(" casedesk ", theme.style("title"))];
    for p in Page::ALL {
        let label = if p == board.page {
            Span::styled(
                format!("[● {}]", p.label(board.lang)),
                theme.style("selected"),
            )
        } else {
            Span::styled(format!(" ○ {} ", p.label(board.lang)), theme.style("muted"))
        };
        spans.push(label);
        spans.push(Span::raw(" "));
    }
    if board.pinned {
        spans.push(Span::styled(
            board.lang.word(Word::Pinned),
            theme.style("muted"),
        ));
    }
    Line::from(spans).render(area, buf);
    let clock = board.zone.format(board.now, "%Y-%m-%d %H:%M %Z");
    let w = clock.chars().count() as u16 + 1;
    if area.width > w + 40 {
        Line::from(Span::styled(clock, theme.style("muted")))
            .render(Rect::new(area.right() - w, area.y, w, 1), buf);
    }
}

fn now_page(board: &Board, theme: &Theme, buf: &mut Buffer, area: Rect) {
    let Some(stats) = &board.stats else {
        Paragraph::new(match board.lang {
            Lang::En => "Waiting for the first counts from the server…",
            Lang::Ja => "サーバーから最初の集計を待っています…",
        })
        .style(theme.style("muted"))
        .render(area, buf);
        return;
    };
    let rows = Layout::vertical([Constraint::Ratio(1, 3); 3]).split(area);
    for (r, row) in rows.iter().enumerate() {
        let cols = Layout::horizontal([Constraint::Ratio(1, 3); 3]).split(*row);
        for (c, cell) in cols.iter().enumerate() {
            let tile = Tile::ALL[r * 3 + c];
            let value = tile.value(stats);
            let level = board.thresholds.level(tile, value);
            tile_box(board.lang, theme, buf, *cell, tile, value, level);
        }
    }
}

fn tile_box(
    lang: Lang,
    theme: &Theme,
    buf: &mut Buffer,
    area: Rect,
    tile: Tile,
    value: u64,
    level: Level,
) {
    let role = level_role(level);
    let style = theme.style(role);
    let border = if level == Level::Calm {
        theme.style("border")
    } else {
        style
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(
            {
                // The level word first, so a narrow tile cuts the label, never the word; a
                // label too long for the tile gives way to its short form.
                let word = level_word(lang, level);
                let full = format!(" {word}{} ", tile.label(lang));
                if unicode_width::UnicodeWidthStr::width(full.as_str()) + 2 <= area.width as usize {
                    full
                } else {
                    format!(" {word}{} ", tile.short_label(lang))
                }
            },
            style.add_modifier(Modifier::BOLD),
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    let text = value.to_string();
    match digits::fit(&text, inner.width, inner.height) {
        Some(scale) => {
            let lines = digits::render(&text, scale);
            let h = lines.len() as u16;
            let y = inner.y + inner.height.saturating_sub(h) / 2;
            Paragraph::new(lines.into_iter().map(Line::from).collect::<Vec<_>>())
                .centered()
                .style(style)
                .render(Rect::new(inner.x, y, inner.width, h.min(inner.height)), buf);
        }
        None => {
            let y = inner.y + inner.height.saturating_sub(1) / 2;
            Paragraph::new(text)
                .centered()
                .style(style.add_modifier(Modifier::BOLD))
                .render(Rect::new(inner.x, y, inner.width, 1.min(inner.height)), buf);
        }
    }
}

/// `2:05` (hours:minutes) left, `-0:12` overdue, `-11d22h` beyond a day: the big countdown.
fn clock_text(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let m = seconds.unsigned_abs() / 60;
    let (d, h) = (m / 1440, m % 1440 / 60);
    if d > 0 {
        format!("{sign}{d}d{h}h")
    } else {
        format!("{sign}{h}:{:02}", m % 60)
    }
}

fn next_page(board: &Board, theme: &Theme, buf: &mut Buffer, area: Rect) {
    let title = match board.lang {
        Lang::En => " Breaching next ",
        Lang::Ja => " 次に期限を迎えるケース ",
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style("border"))
        .title(Span::styled(title, theme.style("title")));
    let inner = block.inner(area);
    block.render(area, buf);
    if board.next.is_empty() {
        Paragraph::new("—").render(inner, buf);
        return;
    }
    // The most urgent few with large countdowns when there is room, the rest as a table.
    let big_rows = if inner.height >= 30 { 3 } else { 0 };
    let mut y = inner.y;
    let mut shown = 0;
    for c in board.next.iter().take(big_rows) {
        let left = c.next_due.map_or(0, |d| (d - board.now).num_seconds());
        let u = Urgency::of_case(c, board.now);
        let style = theme.style(u.role());
        let text = clock_text(left);
        let h = 7u16.min(inner.bottom().saturating_sub(y));
        let half = inner.width / 2;
        if let Some(scale) = digits::fit(&text, half, h) {
            let lines = digits::render(&text, scale.min(1));
            Paragraph::new(lines.into_iter().map(Line::from).collect::<Vec<_>>())
                .style(style)
                .render(
                    Rect::new(inner.x + 1, y + 1, half, h.saturating_sub(1)),
                    buf,
                );
        }
        let detail = vec![
            Line::from(Span::styled(
                format!("{} {}  {}", c.priority, u.word_in(board.lang), c.number),
                style.add_modifier(Modifier::BOLD),
            )),
            Line::from(clean(&c.site_name, true).into_owned()),
            Line::from(format!(
                "{}: {}",
                owner_word(board.lang),
                c.owner
                    .as_deref()
                    .map_or("—".into(), |o| clean(o, true).into_owned())
            )),
            Line::from(Span::styled(
                clean(&c.subject, true).into_owned(),
                theme.style("muted"),
            )),
        ];
        Paragraph::new(detail).render(
            Rect::new(
                inner.x + half + 1,
                y + 1,
                inner.width - half - 1,
                h.saturating_sub(1),
            ),
            buf,
        );
        y += h;
        shown += 1;
    }
    let rest = Rect::new(inner.x, y, inner.width, inner.bottom().saturating_sub(y));
    let rows: Vec<Row> = board
        .next
        .iter()
        .skip(shown)
        .take(rest.height.saturating_sub(1) as usize)
        .map(|c| {
            let u = Urgency::of_case(c, board.now);
            let left = c.next_due.map_or(0, |d| (d - board.now).num_seconds());
            let due = if u == Urgency::Breached {
                format!(
                    "{} {}",
                    Urgency::Breached.word_in(board.lang),
                    crate::sla::format_span(-left)
                )
            } else {
                crate::sla::format_span(left)
            };
            Row::new(vec![
                Line::from(Span::styled(
                    c.priority.to_string(),
                    theme.style(crate::tui::ui::priority_role(c.priority)),
                )),
                Line::from(Span::styled(
                    due,
                    theme.style(u.role()).add_modifier(Modifier::BOLD),
                )),
                Line::from(c.number.to_string()),
                Line::from(clean(&c.site_name, true).into_owned()),
                Line::from(
                    c.owner
                        .as_deref()
                        .map_or("—".into(), |o| clean(o, true).into_owned()),
                ),
                Line::from(clean(&c.subject, true).into_owned()),
            ])
        })
        .collect();
    let header = match board.lang {
        Lang::En => ["Pri", "Left", "Case", "Site", "Owner", "Subject"],
        Lang::Ja => ["優先", "残り", "ケース", "サイト", "担当", "件名"],
    };
    Table::new(
        rows,
        [
            Constraint::Length(4),
            Constraint::Length(15),
            Constraint::Length(16),
            Constraint::Fill(1),
            Constraint::Length(10),
            Constraint::Fill(2),
        ],
    )
    .header(Row::new(header).style(theme.style("header")))
    .column_spacing(1)
    .render(rest, buf);
}

fn owner_word(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Owner",
        Lang::Ja => "担当",
    }
}

fn waiting_page(board: &Board, theme: &Theme, buf: &mut Buffer, area: Rect) {
    let [esc, rma] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let (esc_title, rma_title) = match board.lang {
        Lang::En => (
            "Escalations waiting for a lead",
            "RMAs past their return date",
        ),
        Lang::Ja => ("リーダー対応待ちのエスカレーション", "返却期限を過ぎた RMA"),
    };
    let list = |title: String,
                header: [&'static str; 5],
                widths: [Constraint; 5],
                rows: Vec<Row<'static>>,
                area: Rect,
                buf: &mut Buffer| {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style("border"))
            .title(Span::styled(title, theme.style("title")));
        Table::new(rows, widths)
            .header(Row::new(header).style(theme.style("header")))
            .column_spacing(1)
            .block(block)
            .render(area, buf);
    };
    let esc_rows = board
        .escalations
        .iter()
        .map(|e| {
            let waited = crate::sla::format_span((board.now - e.requested_at).num_seconds());
            let style = if e.state == crate::domain::EscalationState::Requested {
                theme.style("due_soon")
            } else {
                Style::default()
            };
            Row::new(vec![
                format!("#{}", e.id),
                e.case_number.to_string(),
                crate::tui::actions::kind_label(board.lang, e.kind).to_string(),
                board.lang.escalation_state(e.state).to_string(),
                format!("{waited} — {}", clean(&e.requested_by, true)),
            ])
            .style(style)
        })
        .collect();
    list(
        format!(" {esc_title} ({}) ", board.escalations.len()),
        match board.lang {
            Lang::En => ["#", "Case", "Option", "State", "Waiting"],
            Lang::Ja => ["#", "ケース", "依頼内容", "状態", "待ち時間"],
        },
        [
            Constraint::Length(6),
            Constraint::Length(17),
            Constraint::Fill(2),
            Constraint::Length(12),
            Constraint::Fill(3),
        ],
        esc_rows,
        esc,
        buf,
    );
    let rma_rows = board
        .overdue_rmas
        .iter()
        .map(|r| {
            let late = r.return_due.map_or("-".into(), |d| {
                crate::sla::format_span((board.now - d).num_seconds())
            });
            Row::new(vec![
                r.number.to_string(),
                r.case_number.to_string(),
                clean(&r.account, true).into_owned(),
                board.lang.rma_status(r.status).to_string(),
                format!("+{late} — {}", clean(&r.part_number, true)),
            ])
            .style(theme.style("breached"))
        })
        .collect();
    list(
        format!(" {rma_title} ({}) ", board.overdue_rmas.len()),
        match board.lang {
            Lang::En => ["RMA", "Case", "Account", "Status", "Overdue by — part"],
            Lang::Ja => ["RMA", "ケース", "取引先", "状態", "超過 — 部品"],
        },
        [
            Constraint::Length(10),
            Constraint::Length(17),
            Constraint::Fill(2),
            Constraint::Length(19),
            Constraint::Fill(3),
        ],
        rma_rows,
        rma,
        buf,
    );
}
