//! Drawing the wallboard: the stale banner over everything, a page indicator, and the page.
//! Digits scaled to the tile (large at 300×80, one block high at 80×24), plain bold numbers
//! where even that does not fit.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::board::{Board, Level, Page, Tile};
use super::digits;
use super::trend::{self, Change, ClockTrend, TrendGap, Week};
use crate::api::CaseSummary;
use crate::api::reports::{ReportClock, Trend};
use crate::sanitize::clean;
use crate::term::label;
use crate::term::text::{Lang, Word};
use crate::term::theme::{Role, Theme};
use crate::term::urgency::Urgency;

fn level_role(level: Level) -> Role {
    match level {
        Level::Calm => Role::Text,
        Level::Warn => Role::DueSoon,
        Level::Alert => Role::Breached,
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
    buf.set_style(area, theme.style(Role::Text));
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
            Role::Stale
        } else {
            Role::Offline
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
        Page::Trend => trend_page(board, theme, buf, body),
    }
}

fn page_bar(board: &Board, theme: &Theme, buf: &mut Buffer, area: Rect) {
    let mut spans = vec![Span::styled(" casedesk ", theme.style(Role::Title))];
    for p in Page::ALL {
        let label = if p == board.page {
            Span::styled(
                format!("[● {}]", p.label(board.lang)),
                theme.style(Role::Selected),
            )
        } else {
            Span::styled(
                format!(" ○ {} ", p.label(board.lang)),
                theme.style(Role::Muted),
            )
        };
        spans.push(label);
        spans.push(Span::raw(" "));
    }
    if board.pinned {
        spans.push(Span::styled(
            board.lang.word(Word::Pinned),
            theme.style(Role::Muted),
        ));
    }
    let line = Line::from(spans);
    let used = line.width() as u16;
    line.render(area, buf);
    let clock = board.zone.format(board.now, "%Y-%m-%d %H:%M %Z");
    let w = clock.chars().count() as u16 + 1;
    // The clock only where it covers no page's name (four pages in Japanese fill 80 columns).
    if area.width > w + 40 && area.width > used + w {
        Line::from(Span::styled(clock, theme.style(Role::Muted)))
            .render(Rect::new(area.right() - w, area.y, w, 1), buf);
    }
}

fn now_page(board: &Board, theme: &Theme, buf: &mut Buffer, area: Rect) {
    if board.stats.is_none() {
        Paragraph::new(board.lang.word(Word::FirstCounts))
            .style(theme.style(Role::Muted))
            .render(area, buf);
        return;
    }
    let rows = Layout::vertical([Constraint::Ratio(1, 3); 3]).split(area);
    for (r, row) in rows.iter().enumerate() {
        let cols = Layout::horizontal([Constraint::Ratio(1, 3); 3]).split(*row);
        for (c, cell) in cols.iter().enumerate() {
            let tile = Tile::ALL[r * 3 + c];
            let value = board.tile_value(tile).unwrap_or(0);
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
        theme.style(Role::Border)
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
                let room = (area.width as usize).saturating_sub(2);
                if unicode_width::UnicodeWidthStr::width(full.as_str()) <= room {
                    full
                } else {
                    label::cut(&format!(" {word}{} ", tile.short_label(lang)), room)
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

/// A list on the board: its title, the columns (header, width) and the rows' cells.
struct Section<'a> {
    title: String,
    columns: Vec<(&'static str, Constraint)>,
    rows: Vec<Vec<Span<'a>>>,
}

impl Section<'_> {
    /// The rows it takes to show every row: borders, header, and two lines a row.
    fn need(&self) -> u16 {
        3 + 2 * self.rows.len().min(200) as u16
    }
}

/// Heights for two stacked sections: both whole when they fit, else the second at most `cap`
/// (and at least its title and one line), the first the rest.
fn split_heights(total: u16, need_a: u16, need_b: u16, cap_b: u16) -> (u16, u16) {
    if need_a.saturating_add(need_b) <= total {
        return (total - need_b, need_b);
    }
    let b = need_b.min(cap_b).max(3).min(total);
    let a = (total - b).min(need_a);
    (a, total - a)
}

/// "+N more" (the rows that did not fit).
fn more_text(lang: Lang, n: usize) -> String {
    lang.word(Word::WallMore).replace("{n}", &n.to_string())
}

/// Draws a bordered section: a header, then the rows with a blank line between them (fewer,
/// bigger rows, read from across the room), each cell cut at a word with "…"; when they do not
/// all fit, the last line says "+N more".
fn draw_section(lang: Lang, theme: &Theme, buf: &mut Buffer, area: Rect, section: Section) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Span::styled(
            label::cut(&section.title, area.width.saturating_sub(2) as usize),
            theme.style(Role::Title),
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    draw_rows(lang, theme, buf, inner, &section.columns, section.rows);
}

/// The header and rows of a section inside `inner` (see [`draw_section`]).
fn draw_rows(
    lang: Lang,
    theme: &Theme,
    buf: &mut Buffer,
    inner: Rect,
    columns: &[(&'static str, Constraint)],
    rows: Vec<Vec<Span>>,
) {
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    if rows.is_empty() {
        Paragraph::new("—").render(Rect { height: 1, ..inner }, buf);
        return;
    }
    let cells = Layout::horizontal(columns.iter().map(|(_, c)| *c))
        .spacing(1)
        .split(Rect { height: 1, ..inner });
    let line = |buf: &mut Buffer, y: u16, spans: Vec<Span>| {
        for (span, cell) in spans.into_iter().zip(cells.iter()) {
            let text = label::cut(&span.content, cell.width as usize);
            Span::styled(text, span.style).render(Rect { y, ..*cell }, buf);
        }
    };
    let header = theme.style(Role::Header);
    line(
        buf,
        inner.y,
        columns
            .iter()
            .map(|(h, _)| Span::styled(*h, header))
            .collect(),
    );
    // Rows on every other line, below a blank one; "+N more" right under the last one.
    let h = inner.height as usize;
    let total = rows.len();
    let shown = if 2 * total < h {
        total
    } else {
        h.saturating_sub(2) / 2
    };
    for (i, row) in rows.into_iter().take(shown).enumerate() {
        line(buf, inner.y + 2 + 2 * i as u16, row);
    }
    if shown < total {
        let y = inner.y + (1 + 2 * shown as u16).min(inner.height - 1);
        Span::styled(
            more_text(lang, total - shown),
            theme.style(Role::Muted).add_modifier(Modifier::BOLD),
        )
        .render(
            Rect {
                y,
                height: 1,
                ..inner
            },
            buf,
        );
    }
}

/// A case's cells on the "next" page: priority, the time left (or overdue by), case, site,
/// owner, subject.
fn case_row<'a>(board: &Board, theme: &Theme, c: &CaseSummary) -> Vec<Span<'a>> {
    let bold = |style: Style| style.add_modifier(Modifier::BOLD);
    let u = Urgency::of_case(c, board.now);
    let left = c.next_due.map_or(0, |d| (d - board.now).num_seconds());
    let (span, role) = if left <= 0 || u == Urgency::Breached {
        (crate::sla::span::compact(left.abs()), Role::Breached)
    } else {
        (crate::sla::span::compact(left), u.role())
    };
    vec![
        Span::styled(
            c.priority.to_string(),
            bold(theme.style(Role::of_priority(c.priority))),
        ),
        Span::styled(span, bold(theme.style(role))),
        Span::styled(c.number.to_string(), bold(Style::default())),
        Span::styled(
            clean(&c.site_name, true).into_owned(),
            bold(Style::default()),
        ),
        Span::styled(
            c.owner
                .as_deref()
                .map_or("—".into(), |o| clean(o, true).into_owned()),
            bold(Style::default()),
        ),
        Span::raw(clean(&c.subject, true).into_owned()),
    ]
}

/// The "next" page's columns; `left` names the time column.
fn case_columns(lang: Lang, left: &'static str) -> Vec<(&'static str, Constraint)> {
    let h = [
        Word::WallPri,
        Word::WallCase,
        Word::WallSite,
        Word::WallOwner,
        Word::WallSubject,
    ]
    .map(|w| lang.word(w));
    vec![
        (h[0], Constraint::Length(4)),
        (left, Constraint::Length(7)),
        (h[1], Constraint::Length(16)),
        (h[2], Constraint::Fill(1)),
        (h[3], Constraint::Length(10)),
        (h[4], Constraint::Fill(2)),
    ]
}

fn next_page(board: &Board, theme: &Theme, buf: &mut Buffer, area: Rect) {
    let lang = board.lang;
    let upcoming = board.upcoming();
    let overdue = board.overdue();
    let [up_title, over_title, left, over] = [
        Word::WallBreachingNext,
        Word::WallBreachedFirst,
        Word::WallLeft,
        Word::WallOverdue,
    ]
    .map(|w| lang.word(w));
    let up = Section {
        title: format!(" {up_title} ({}) ", upcoming.len()),
        columns: case_columns(lang, left),
        rows: Vec::new(),
    };
    let late = Section {
        title: format!(" {over_title} ({}) ", overdue.len()),
        columns: case_columns(lang, over),
        rows: overdue.iter().map(|c| case_row(board, theme, c)).collect(),
    };
    // What breaches next is the page's point: the breached get at most two fifths of it.
    let need_up = 3 + 2 * upcoming.len().min(200) as u16;
    let (up_h, _) = split_heights(area.height, need_up, late.need(), area.height * 2 / 5);
    let [up_area, late_area] =
        Layout::vertical([Constraint::Length(up_h), Constraint::Fill(1)]).areas(area);
    draw_section(lang, theme, buf, late_area, late);

    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Span::styled(up.title, theme.style(Role::Title)));
    let inner = block.inner(up_area);
    block.render(up_area, buf);
    // On a big screen the soonest few get large countdowns, the rest a table.
    let cards = if inner.width >= 100 {
        (inner.height.saturating_sub(9) / 7).min(3) as usize
    } else {
        0
    };
    let mut y = inner.y;
    for c in upcoming.iter().take(cards) {
        next_card(board, theme, buf, Rect::new(inner.x, y, inner.width, 7), c);
        y += 7;
    }
    let rest = Rect::new(inner.x, y, inner.width, inner.bottom().saturating_sub(y));
    let rows = upcoming
        .iter()
        .skip(cards)
        .map(|c| case_row(board, theme, c))
        .collect::<Vec<_>>();
    if !rows.is_empty() || upcoming.is_empty() {
        draw_rows(lang, theme, buf, rest, &up.columns, rows);
    }
}

/// One of the soonest cases in large type: the countdown in block digits, the case beside it.
fn next_card(board: &Board, theme: &Theme, buf: &mut Buffer, area: Rect, c: &CaseSummary) {
    let left = c.next_due.map_or(0, |d| (d - board.now).num_seconds());
    let u = Urgency::of_case(c, board.now);
    let style = theme.style(u.role());
    let text = crate::sla::span::clock(left);
    let half = area.width / 2;
    if let Some(scale) = digits::fit(&text, half, area.height) {
        let lines = digits::render(&text, scale.min(1));
        Paragraph::new(lines.into_iter().map(Line::from).collect::<Vec<_>>())
            .style(style)
            .render(
                Rect::new(area.x + 1, area.y + 1, half, area.height - 1),
                buf,
            );
    }
    let width = area.width.saturating_sub(half + 1) as usize;
    let fit = |text: &str| label::cut(&clean(text, true), width);
    let detail = vec![
        Line::from(Span::styled(
            fit(&format!(
                "{} {}  {}",
                c.priority,
                u.word_in(board.lang),
                c.number
            )),
            style.add_modifier(Modifier::BOLD),
        )),
        Line::from(fit(&c.site_name)),
        Line::from(fit(&format!(
            "{}: {}",
            owner_word(board.lang),
            c.owner.as_deref().unwrap_or("—")
        ))),
        Line::from(Span::styled(fit(&c.subject), theme.style(Role::Muted))),
    ];
    Paragraph::new(detail).render(
        Rect::new(area.x + half + 1, area.y + 1, width as u16, area.height - 1),
        buf,
    );
}

fn owner_word(lang: Lang) -> &'static str {
    lang.word(Word::WallOwner)
}

fn waiting_page(board: &Board, theme: &Theme, buf: &mut Buffer, area: Rect) {
    let lang = board.lang;
    let bold = |style: Style| style.add_modifier(Modifier::BOLD);
    let (esc_title, rma_title) = (
        lang.word(Word::EscalationsWaiting),
        lang.word(Word::WallRmasPast),
    );
    let esc_rows = board
        .escalations
        .iter()
        .map(|e| {
            let waited = crate::sla::span::compact((board.now - e.requested_at).num_seconds());
            let style = bold(if e.state == crate::domain::EscalationState::Requested {
                theme.style(Role::DueSoon)
            } else {
                Style::default()
            });
            vec![
                Span::styled(format!("#{}", e.id), style),
                Span::styled(e.case_number.to_string(), style),
                Span::styled(lang.escalation_kind(e.kind), style),
                Span::styled(lang.escalation_state(e.state), style),
                Span::styled(waited, style),
                Span::raw(clean(&e.requested_by, true).into_owned()),
            ]
        })
        .collect();
    let esc = Section {
        title: format!(" {esc_title} ({}) ", board.escalations.len()),
        columns: {
            let h = [
                "#",
                lang.word(Word::WallCase),
                lang.word(Word::WallOption),
                lang.word(Word::WallState),
                lang.word(Word::WallWaiting),
                lang.word(Word::WallRequester),
            ];
            vec![
                (h[0], Constraint::Length(4)),
                (h[1], Constraint::Length(16)),
                (h[2], Constraint::Fill(2)),
                (h[3], Constraint::Length(12)),
                (h[4], Constraint::Length(7)),
                (h[5], Constraint::Fill(1)),
            ]
        },
        rows: esc_rows,
    };
    let rma_rows = board
        .overdue_rmas
        .iter()
        .map(|r| {
            let style = bold(theme.style(Role::Breached));
            let late = r.return_due.map_or("-".into(), |d| {
                crate::sla::span::compact((board.now - d).num_seconds())
            });
            vec![
                Span::styled(r.number.to_string(), style),
                Span::styled(r.case_number.to_string(), style),
                Span::styled(clean(&r.account, true).into_owned(), style),
                Span::styled(lang.rma_status(r.status), style),
                Span::styled(late, style),
                Span::styled(
                    clean(&r.part_number, true).into_owned(),
                    theme.style(Role::Breached),
                ),
            ]
        })
        .collect();
    let rmas = Section {
        title: format!(" {rma_title} ({}) ", board.overdue_rmas.len()),
        columns: {
            let h = [
                "RMA",
                lang.word(Word::WallCase),
                lang.word(Word::WallAccount),
                lang.word(Word::WallStatus),
                lang.word(Word::WallOverdue),
                lang.word(Word::WallPart),
            ];
            vec![
                (h[0], Constraint::Length(9)),
                (h[1], Constraint::Length(16)),
                (h[2], Constraint::Fill(1)),
                (h[3], Constraint::Length(19)),
                (h[4], Constraint::Length(7)),
                (h[5], Constraint::Fill(1)),
            ]
        },
        rows: rma_rows,
    };
    // Room to spare goes below the RMAs, not between the two lists.
    let (rma_h, _) = split_heights(area.height, rmas.need(), esc.need(), area.height / 2);
    let [esc_area, rma_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(rma_h)]).areas(area);
    draw_section(lang, theme, buf, esc_area, esc);
    draw_section(lang, theme, buf, rma_area, rmas);
}

/// This week's attainment against last week's for the first response and the updates, in large
/// type, over the breaches of the last 14 days; or why there are no figures.
fn trend_page(board: &Board, theme: &Theme, buf: &mut Buffer, area: Rect) {
    let lang = board.lang;
    let Some(trend) = &board.trend else {
        let (word, role) = match board.trend_gap {
            None => (Word::TrendWaiting, Role::Muted),
            Some(TrendGap::NotOnBackend) => (Word::TrendNotOnBackend, Role::Text),
            Some(TrendGap::NotCached) => (Word::TrendNotCached, Role::Offline),
            Some(TrendGap::Failed) => (Word::TrendFailed, Role::Error),
        };
        let y = area.y + area.height / 3;
        Paragraph::new(lang.word(word))
            .wrap(ratatui::widgets::Wrap { trim: true })
            .centered()
            .style(theme.style(role).add_modifier(Modifier::BOLD))
            .render(
                Rect::new(
                    area.x + 2,
                    y,
                    area.width.saturating_sub(4),
                    area.bottom() - y,
                ),
                buf,
            );
        return;
    };
    let chart_h = (area.height * 2 / 5)
        .clamp(6, 30)
        .min(area.height.saturating_sub(9));
    let [panels, chart, foot] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(chart_h),
        Constraint::Length(1),
    ])
    .areas(area);
    let clocks = trend::clocks(trend);
    let target = trend::target_tenths(trend);
    if clocks.is_empty() {
        Paragraph::new("—").centered().render(panels, buf);
    } else {
        let n = clocks.len() as u32;
        let cells = Layout::horizontal((0..n).map(|_| Constraint::Ratio(1, n))).split(panels);
        for (clock, cell) in clocks.iter().zip(cells.iter()) {
            clock_panel(lang, theme, buf, *cell, clock, target);
        }
    }
    breaches_chart(lang, trend, theme, buf, chart);
    trend_footer(board, trend, theme, buf, foot);
}

/// A percentage as the target is said: `95%`, or `99.5%` when it has tenths.
fn target_percent(tenths: u64) -> String {
    if tenths.is_multiple_of(10) {
        trend::whole_percent(tenths)
    } else {
        trend::percent(tenths)
    }
}

/// A week in words: `this week 87.5% · met 171 · breached 9`, or without the dots when
/// `compact` (a narrow panel keeps the counts).
fn week_line(lang: Lang, label: Word, week: &Week, compact: bool) -> String {
    let figure = match week.tenths {
        Some(t) => trend::percent(t),
        None => "—".to_string(),
    };
    let sep = if compact { "  " } else { " · " };
    format!(
        "{} {figure}{sep}{} {}{sep}{} {}",
        lang.word(label),
        lang.word(Word::TrendMet),
        week.met,
        lang.word(Word::TrendBreached),
        week.breached
    )
}

/// The change in words, with an arrow (it reads without colour), and its role.
fn change_line(lang: Lang, change: Change) -> (String, Role) {
    let points = |d: u64| format!("{}.{} {}", d / 10, d % 10, lang.word(Word::TrendPts));
    match change {
        Change::Better(d) => (
            format!("{} (+{})", lang.word(Word::TrendBetter), points(d)),
            Role::Met,
        ),
        Change::Worse(d) => (
            format!("{} (−{})", lang.word(Word::TrendWorse), points(d)),
            Role::Breached,
        ),
        Change::Same => (lang.word(Word::TrendSame).to_string(), Role::Text),
        Change::Unknown => (lang.word(Word::TrendNoComparison).to_string(), Role::Muted),
    }
}

/// One clock: its name and the target on the border (`■ BELOW TARGET` first when this week is
/// under it), this week's attainment in block digits, both weeks in words, and the change.
fn clock_panel(
    lang: Lang,
    theme: &Theme,
    buf: &mut Buffer,
    area: Rect,
    c: &ClockTrend,
    target: u64,
) {
    let below = trend::below_target(&c.this_week, target);
    let style = theme.style(if below { Role::Breached } else { Role::Text });
    let border = if below {
        style
    } else {
        theme.style(Role::Border)
    };
    let name = lang.word(match c.clock {
        ReportClock::FirstResponse => Word::TrendFirstResponse,
        ReportClock::NextUpdate | ReportClock::RmaReturn => Word::TrendUpdates,
    });
    let word = if below {
        lang.word(Word::TrendBelowTarget)
    } else {
        ""
    };
    // The target gives way first on a narrow panel (the footer says it too), the level word
    // never.
    let room = area.width.saturating_sub(2) as usize;
    let mut title = format!(
        " {word}{name} · {} {} ",
        lang.word(Word::TrendTarget),
        target_percent(target)
    );
    if unicode_width::UnicodeWidthStr::width(title.as_str()) > room {
        title = format!(" {word}{name} ");
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(
            label::cut(&title, room),
            style.add_modifier(Modifier::BOLD),
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let width = inner.width as usize;
    let (change, change_role) = change_line(lang, c.change);
    // Both weeks in the same form, with a column to spare on each side.
    let weeks = |compact: bool| {
        [
            week_line(lang, Word::TrendThisWeek, &c.this_week, compact),
            week_line(lang, Word::TrendLastWeek, &c.last_week, compact),
        ]
    };
    let mut week_lines = weeks(false);
    if week_lines
        .iter()
        .any(|l| unicode_width::UnicodeWidthStr::width(l.as_str()) + 2 > width)
    {
        week_lines = weeks(true);
    }
    let [this_line, last_line] = week_lines;
    let lines = vec![
        Line::from(Span::styled(
            label::cut(&this_line, width),
            style.add_modifier(Modifier::BOLD),
        )),
        Line::from(Span::styled(
            label::cut(&last_line, width),
            theme.style(Role::Muted),
        )),
        Line::from(Span::styled(
            label::cut(&change, width),
            theme.style(change_role).add_modifier(Modifier::BOLD),
        )),
    ];
    // The figure in block digits, a blank row, the words: together, in the middle.
    let words_h = (lines.len() as u16).min(inner.height);
    let room = inner.height.saturating_sub(words_h + 1);
    let figure = match c.this_week.tenths {
        Some(t) => trend::whole_percent(t),
        None => "--".to_string(),
    };
    let (big, big_style) = match digits::fit(&figure, inner.width, room) {
        Some(scale) => (digits::render(&figure, scale), style),
        None if room > 0 => (vec![figure], style.add_modifier(Modifier::BOLD)),
        None => (Vec::new(), style),
    };
    let big_h = big.len() as u16;
    let block_h = if big_h > 0 {
        big_h + 1 + words_h
    } else {
        words_h
    };
    let y = inner.y + inner.height.saturating_sub(block_h) / 2;
    if big_h > 0 {
        Paragraph::new(big.into_iter().map(Line::from).collect::<Vec<_>>())
            .centered()
            .style(big_style)
            .render(Rect::new(inner.x, y, inner.width, big_h), buf);
    }
    let words_y = inner
        .bottom()
        .saturating_sub(words_h)
        .min(y + block_h - words_h);
    Paragraph::new(lines)
        .centered()
        .render(Rect::new(inner.x, words_y, inner.width, words_h), buf);
}

/// The eighth-of-a-row blocks a bar is built of.
const BAR: [&str; 9] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/// The breaches of each of the last 14 days as bars, oldest first: each day's number under its
/// bar and its date under that (today's marked), the two weeks named below, the largest day
/// and the total in the title, so that it reads without colour.
fn breaches_chart(lang: Lang, trend: &Trend, theme: &Theme, buf: &mut Buffer, area: Rect) {
    let days = &trend.breaches;
    let max = days.iter().map(|d| d.breaches).max().unwrap_or(0);
    let total: u64 = days.iter().map(|d| d.breaches).sum();
    let title = format!(
        " {} · {} {max} · {} {total} ",
        lang.word(Word::TrendBreachesTitle),
        lang.word(Word::TrendMax),
        lang.word(Word::TrendTotal)
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Span::styled(
            label::cut(&title, area.width.saturating_sub(2) as usize),
            theme.style(Role::Title),
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    let n = days.len() as u16;
    if n == 0 || inner.height < 3 || inner.width < n {
        Paragraph::new("—").render(Rect { height: 1, ..inner }, buf);
        return;
    }
    let cw = inner.width / n;
    let x0 = inner.x + (inner.width - cw * n) / 2;
    let weeks_row = inner.height >= 6 && n == 14;
    let bar_rows = inner.height - 2 - u16::from(weeks_row);
    let bar_w = (cw * 2 / 3).max(1);
    let bar_style = theme.style(Role::Breached);
    let bold = theme.style(Role::Text).add_modifier(Modifier::BOLD);
    let date_format = if cw >= 6 { "%m/%d" } else { "%d" };
    for (i, day) in days.iter().enumerate() {
        let x = x0 + cw * i as u16;
        let bx = x + (cw - bar_w) / 2;
        let e = trend::eighths(day.breaches, max, bar_rows);
        for r in 0..bar_rows {
            let fill = e.saturating_sub(u32::from(r) * 8).min(8) as usize;
            if fill == 0 {
                break;
            }
            let y = inner.y + bar_rows - 1 - r;
            Span::styled(BAR[fill].repeat(bar_w as usize), bar_style)
                .render(Rect::new(bx, y, bar_w, 1), buf);
        }
        let today = i + 1 == days.len();
        let count_style = if day.breaches == 0 {
            theme.style(Role::Muted)
        } else {
            bold
        };
        let cell = |y: u16| Rect::new(x, y, cw, 1);
        Paragraph::new(label::cut(&day.breaches.to_string(), cw as usize))
            .centered()
            .style(count_style)
            .render(cell(inner.y + bar_rows), buf);
        let date = day.day.format(date_format).to_string();
        let date_style = if today {
            theme.style(Role::Selected).add_modifier(Modifier::BOLD)
        } else {
            theme.style(Role::Muted)
        };
        let w = (date.len() as u16).min(cw);
        Span::styled(label::cut(&date, cw as usize), date_style).render(
            Rect::new(x + (cw - w) / 2, inner.y + bar_rows + 1, w, 1),
            buf,
        );
    }
    if weeks_row {
        let y = inner.y + bar_rows + 2;
        for (half, word) in [(0u16, Word::TrendLastWeek), (1, Word::TrendThisWeek)] {
            let w = cw * 7;
            let text = format!(" {} ", lang.word(word));
            let tw = unicode_width::UnicodeWidthStr::width(text.as_str()) as u16;
            let side = w.saturating_sub(tw) / 2;
            let rule = format!(
                "{}{text}{}",
                "─".repeat(side.saturating_sub(1) as usize),
                "─".repeat(w.saturating_sub(side + tw).saturating_sub(1) as usize)
            );
            Span::styled(label::cut(&rule, w as usize), theme.style(Role::Muted))
                .render(Rect::new(x0 + half * w + 1, y, w.saturating_sub(1), 1), buf);
        }
    }
}

/// When the figures were computed, the zone their days are in and the target; offline, that
/// they are the cached copy and when it was fetched.
fn trend_footer(board: &Board, trend: &Trend, theme: &Theme, buf: &mut Buffer, area: Rect) {
    let lang = board.lang;
    let when = |t: chrono::DateTime<chrono::Utc>| {
        let same_day = board.zone.format(t, "%F") == board.zone.format(board.now, "%F");
        board
            .zone
            .format(t, if same_day { "%H:%M" } else { "%m-%d %H:%M" })
    };
    let mut spans = vec![Span::styled(
        format!(
            " {} {} · {} {} · {} {} ",
            lang.word(Word::TrendComputed),
            when(trend.at),
            lang.word(Word::TrendDaysIn),
            clean(&trend.zone, true),
            lang.word(Word::TrendTarget),
            target_percent(trend::target_tenths(trend))
        ),
        theme.style(Role::Muted),
    )];
    if let Some(at) = board.trend_cached_at {
        spans.push(Span::styled(
            format!(
                "· {}",
                lang.word(Word::TrendCachedCopy)
                    .replace("{when}", &when(at))
            ),
            theme.style(Role::Offline).add_modifier(Modifier::BOLD),
        ));
    }
    Line::from(spans).render(area, buf);
}
