//! The reports screen: SLA attainment as bars with the target line, the first-response
//! histogram, created and resolved per day as sparklines with the days' numbers, the backlog
//! by age and priority, and the load table. Every bar has its number beside it and the target
//! is a character, so the screen reads the same without colour. Side by side from 140×34
//! inside the frame; below that one part at a time, Tab to the next.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use super::overlay::boxed;
use super::{clear, one};
use crate::api::reports::{
    BacklogRow, Grouping, ReportClock, ReportHeader, ResponseRow, SlaRow, TimeBasis,
};
use crate::domain::{Channel, ContractTier};
use crate::sla::ClockKind;
use crate::sla::span;
use crate::term::text::{Lang, Word};
use crate::term::theme::{Role, Theme};
use crate::tui::app::App;
use crate::tui::reports::{Problem, Reports, ReportsScreen, Section, Shown};

/// From this size inside the frame, all parts are drawn at once.
const GRID_FROM: (u16, u16) = (140, 34);

/// The longest bar of a count (histogram, backlog): longer ones are no easier to compare.
const MAX_BAR: usize = 60;

/// A line of a part: pieces of text, each in a role.
type Row = Vec<(String, Role)>;

/// Eighths of a cell, for the end of a bar.
const EIGHTHS: [&str; 7] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/// Sparkline levels, lowest first.
const LEVELS: [&str; 8] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/// Draws the reports screen over `body`.
pub fn draw(app: &App, theme: &Theme, buf: &mut Buffer, body: Rect, screen: &ReportsScreen) {
    let lang = app.lang();
    clear(body, buf);
    let block = boxed(theme, &title(lang, screen), lang.word(Word::ReportsHint));
    let inner = block.inner(body);
    block.render(body, buf);
    if inner.height < 3 || inner.width < 20 {
        return;
    }
    status_line(app, theme, screen).render(Rect::new(inner.x, inner.y, inner.width, 1), buf);
    let rest = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1);
    let problem = match &screen.shown {
        Shown::Ready(reports) => {
            if inner.width >= GRID_FROM.0 && inner.height >= GRID_FROM.1 {
                grid(lang, theme, buf, rest, screen, reports);
            } else {
                tabbed(lang, theme, buf, rest, screen, reports);
            }
            return;
        }
        Shown::Loading => {
            Paragraph::new(lang.word(Word::ReportsLoading))
                .style(theme.style(Role::Muted))
                .render(rest, buf);
            return;
        }
        Shown::Problem(p) => p,
    };
    let words = match problem {
        Problem::NeedsLead => lang.word(Word::ReportsNeedLead).to_string(),
        Problem::NotCached => lang.word(Word::ReportsNotCached).to_string(),
        Problem::Refused(words) => one(words).into_owned(),
    };
    Paragraph::new(words)
        .style(theme.style(Role::Error))
        .wrap(Wrap { trim: true })
        .render(
            Rect::new(rest.x, rest.y + 1, rest.width, rest.height - 1),
            buf,
        );
}

/// `Reports — 2026-11-18 – 2026-11-24 · 7 days · Asia/Tokyo`: the period as the answer
/// counted it (as asked, before one came).
fn title(lang: Lang, screen: &ReportsScreen) -> String {
    let word = lang.word(Word::ReportsTitle);
    let days = |n: i64| lang.word(Word::ReportsDays).replace("{n}", &n.to_string());
    match screen.reports() {
        Some(r) => {
            let (first, last) = days_of(&r.sla.header);
            let n = (last - first).num_days() + 1;
            format!(
                "{word} — {first} – {last} · {} · {}",
                days(n),
                one(&r.sla.header.zone)
            )
        }
        None => format!("{word} — {}", days(screen.days)),
    }
}

/// The first and last day a report covers, in its zone.
fn days_of(h: &ReportHeader) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let zone = h.zone.parse::<chrono_tz::Tz>().unwrap_or(chrono_tz::UTC);
    let first = h.from.with_timezone(&zone).date_naive();
    let last = (h.to - chrono::Duration::seconds(1))
        .with_timezone(&zone)
        .date_naive();
    (first, last)
}

/// The grouping of the SLA part, the target, and whether what is shown is an offline copy or
/// being updated.
fn status_line<'a>(app: &App, theme: &Theme, screen: &ReportsScreen) -> Line<'a> {
    let lang = app.lang();
    let mut spans = vec![Span::styled(
        format!(
            "{} {}",
            lang.word(Word::ReportsTabSla),
            by_word(lang, screen.by)
        ),
        theme.style(Role::Header),
    )];
    if let Some(r) = screen.reports() {
        let target = lang
            .word(Word::ReportsTarget)
            .replace("{pct}", &percent(r.sla.header.target));
        spans.push(Span::styled(
            format!(" · {target}"),
            theme.style(Role::Text),
        ));
        if let Some(at) = r.cached_at {
            let at = crate::sync::clock_time(app.settings.zone, at, app.now);
            let said = lang.word(Word::ReportsOffline).replace("{at}", &at);
            spans.push(Span::raw(" · "));
            spans.push(Span::styled(said, theme.style(Role::Offline)));
        }
    }
    if screen.asked.is_some() && screen.reports().is_some() {
        spans.push(Span::styled(
            format!(" · {}", lang.word(Word::ReportsUpdating)),
            theme.style(Role::Muted),
        ));
    }
    Line::from(spans)
}

/// `by priority`, `優先度別`.
fn by_word(lang: Lang, by: Grouping) -> &'static str {
    lang.word(match by {
        Grouping::Priority => Word::ReportsByPriority,
        Grouping::Tier => Word::ReportsByTier,
        Grouping::Owner => Word::ReportsByOwner,
        Grouping::Channel => Word::ReportsByChannel,
        Grouping::Week => Word::ReportsByWeek,
        Grouping::Day => Word::ReportsByDay,
    })
}

/// A part's name in its frame.
fn section_title(lang: Lang, section: Section, r: &Reports) -> String {
    match section {
        Section::Sla => {
            let by = r.sla.header.by.map_or("", |b| by_word(lang, b));
            format!("{} {by}", lang.word(Word::ReportsSla))
        }
        Section::Response => lang.word(Word::ReportsResponse).to_string(),
        Section::Flow => lang.word(Word::ReportsFlow).to_string(),
        Section::Backlog => lang.word(Word::ReportsBacklog).to_string(),
        Section::Load => lang.word(Word::ReportsLoad).to_string(),
    }
}

/// A part's short name, for the tab line.
fn tab_name(lang: Lang, section: Section) -> &'static str {
    lang.word(match section {
        Section::Sla => Word::ReportsTabSla,
        Section::Response => Word::ReportsTabResponse,
        Section::Flow => Word::ReportsTabFlow,
        Section::Backlog => Word::ReportsTabBacklog,
        Section::Load => Word::ReportsTabLoad,
    })
}

/// All five parts: attainment beside the histogram, the flow beside the backlog, the load
/// table under them; each row of parts gets what it needs while the height allows.
fn grid(
    lang: Lang,
    theme: &Theme,
    buf: &mut Buffer,
    area: Rect,
    screen: &ReportsScreen,
    r: &Reports,
) {
    let (left1, left2) = (area.width * 3 / 5, area.width * 11 / 20);
    let rows_of = |s: Section, w: u16| rows(s, lang, r, w.saturating_sub(2));
    let parts = [
        [
            (Section::Sla, rows_of(Section::Sla, left1)),
            (
                Section::Response,
                rows_of(Section::Response, area.width - left1),
            ),
        ],
        [
            (Section::Flow, rows_of(Section::Flow, left2)),
            (
                Section::Backlog,
                rows_of(Section::Backlog, area.width - left2),
            ),
        ],
    ];
    let load = rows_of(Section::Load, area.width);
    let mut heights = [
        parts[0].iter().map(|p| p.1.len()).max().unwrap_or(0) as u16 + 2,
        parts[1].iter().map(|p| p.1.len()).max().unwrap_or(0) as u16 + 2,
        load.len() as u16 + 2,
    ];
    // Too tall: the tallest row of parts gives way first (it scrolls), never below a frame
    // and a line.
    while heights.iter().sum::<u16>() > area.height {
        let Some(tallest) = (0..3)
            .max_by_key(|&i| heights[i])
            .filter(|&i| heights[i] > 3)
        else {
            break;
        };
        heights[tallest] -= 1;
    }
    // Room left over goes to the load table, which grows with the desk.
    let spare = area.height.saturating_sub(heights.iter().sum());
    heights[2] += spare;
    let mut y = area.y;
    for (i, row) in parts.iter().enumerate() {
        let split = if i == 0 { left1 } else { left2 };
        let h = heights[i].min(area.bottom().saturating_sub(y));
        let [(a, a_rows), (b, b_rows)] = row;
        section(
            lang,
            theme,
            buf,
            Rect::new(area.x, y, split, h),
            screen,
            r,
            *a,
            a_rows,
        );
        section(
            lang,
            theme,
            buf,
            Rect::new(area.x + split, y, area.width - split, h),
            screen,
            r,
            *b,
            b_rows,
        );
        y += h;
    }
    let h = area.bottom().saturating_sub(y);
    section(
        lang,
        theme,
        buf,
        Rect::new(area.x, y, area.width, h),
        screen,
        r,
        Section::Load,
        &load,
    );
}

/// One part at a time under a tab line naming all five.
fn tabbed(
    lang: Lang,
    theme: &Theme,
    buf: &mut Buffer,
    area: Rect,
    screen: &ReportsScreen,
    r: &Reports,
) {
    let mut spans = Vec::new();
    for s in Section::ALL {
        let name = tab_name(lang, s);
        // The chosen part is marked by brackets as well as by colour.
        if s == screen.section {
            spans.push(Span::styled(
                format!("[{name}]"),
                theme.style(Role::Selected),
            ));
        } else {
            spans.push(Span::styled(format!(" {name} "), theme.style(Role::Muted)));
        }
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled("Tab ⇥", theme.style(Role::Muted)));
    Line::from(spans).render(Rect::new(area.x, area.y, area.width, 1), buf);
    if area.height < 4 {
        return;
    }
    let rect = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
    let lines = rows(screen.section, lang, r, rect.width.saturating_sub(2));
    section(lang, theme, buf, rect, screen, r, screen.section, &lines);
}

/// One part in its frame: the chosen one's frame is marked, and scrolled as the screen says;
/// a part with more lines than room says how many more.
#[allow(clippy::too_many_arguments)]
fn section(
    lang: Lang,
    theme: &Theme,
    buf: &mut Buffer,
    area: Rect,
    screen: &ReportsScreen,
    r: &Reports,
    which: Section,
    lines: &[Row],
) {
    if area.height < 3 || area.width < 10 {
        return;
    }
    let chosen = which == screen.section;
    let name = section_title(lang, which, r);
    let (border, kind, title) = if chosen {
        (Role::BorderFocused, BorderType::Thick, format!("▶ {name} "))
    } else {
        (Role::Border, BorderType::Plain, format!(" {name} "))
    };
    let room = (area.height - 2) as usize;
    let scroll = if chosen {
        screen.scroll.min(lines.len().saturating_sub(room))
    } else {
        0
    };
    let below = lines.len().saturating_sub(scroll + room);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_type(kind)
        .border_style(theme.style(border))
        .title(Span::styled(title, theme.style(Role::Title)));
    if below > 0 {
        let more = lang
            .word(Word::ReportsMore)
            .replace("{n}", &below.to_string());
        block = block.title_bottom(Span::styled(format!(" {more} "), theme.style(Role::Muted)));
    }
    let inner = block.inner(area);
    block.render(area, buf);
    let shown: Vec<Line> = lines
        .iter()
        .skip(scroll)
        .take(room)
        .map(|row| {
            Line::from(
                row.iter()
                    .map(|(text, role)| Span::styled(text.clone(), theme.style(*role)))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    Paragraph::new(shown).render(inner, buf);
}

/// How many lines a part has, whatever its width: what the screen can scroll through.
pub fn line_count(section: Section, r: &Reports) -> usize {
    rows(section, Lang::En, r, 80).len()
}

/// A part's lines at `width` columns.
fn rows(section: Section, lang: Lang, r: &Reports, width: u16) -> Vec<Row> {
    let width = width as usize;
    match section {
        Section::Sla => sla_rows(lang, r, width),
        Section::Response => response_rows(lang, r, width),
        Section::Flow => flow_rows(lang, r, width),
        Section::Backlog => backlog_rows(lang, r, width),
        Section::Load => load_rows(lang, r, width),
    }
}

/// `96.2%`, `87.0%`; a whole number as it is (`100%`, the target's `90%`).
fn percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{:.0}%", p.round())
    } else {
        format!("{p:.1}%")
    }
}

/// `text` padded with spaces to `width` columns (cut with "…" when longer).
fn pad(text: &str, width: usize) -> String {
    let cut = crate::term::label::cut(text, width);
    let w = cut.width();
    format!("{cut}{}", " ".repeat(width.saturating_sub(w)))
}

/// `text` right-aligned in `width` columns.
fn right(text: &str, width: usize) -> String {
    format!("{}{text}", " ".repeat(width.saturating_sub(text.width())))
}

/// A bar of `width` cells filled to `fraction`, the rest a light track; with `marker`, that
/// cell is the target line `│` whether the bar reaches it or not.
fn bar(fraction: f64, width: usize, fill: Role, marker: Option<usize>) -> Row {
    let cells = fraction.clamp(0.0, 1.0) * width as f64;
    let mut full = cells.floor() as usize;
    let mut eighths = ((cells - full as f64) * 8.0).round() as usize;
    if eighths == 8 {
        full += 1;
        eighths = 0;
    }
    let mut out: Row = Vec::new();
    let mut push = |text: &str, role: Role| match out.last_mut() {
        Some((t, r)) if *r == role => t.push_str(text),
        _ => out.push((text.to_string(), role)),
    };
    for i in 0..width {
        if Some(i) == marker {
            push("│", Role::Header);
        } else if i < full {
            push("█", fill);
        } else if i == full && eighths > 0 {
            push(EIGHTHS[eighths - 1], fill);
        } else {
            push("░", Role::Muted);
        }
    }
    out
}

/// A group's value as shown: tiers and channels in the interface's words, the owner nobody is
/// as "unassigned".
fn group_label(lang: Lang, by: Option<Grouping>, group: Option<&str>) -> String {
    match (by, group) {
        // The wire says null for nobody; the server's SLA rows by owner say "(unassigned)".
        (Some(Grouping::Owner), None | Some("(unassigned)")) => {
            lang.word(Word::ReportsUnassigned).to_string()
        }
        (_, None) => "—".to_string(),
        (Some(Grouping::Tier), Some(g)) => g
            .parse::<ContractTier>()
            .map_or_else(|_| one(g).into_owned(), |t| lang.tier(t).to_string()),
        (Some(Grouping::Channel), Some(g)) => g
            .parse::<Channel>()
            .map_or_else(|_| one(g).into_owned(), |c| lang.channel(c).to_string()),
        (_, Some(g)) => one(g).into_owned(),
    }
}

/// A report clock in the interface's words.
fn clock_word(lang: Lang, clock: ReportClock) -> &'static str {
    lang.clock_kind(match clock {
        ReportClock::FirstResponse => ClockKind::FirstResponse,
        ReportClock::NextUpdate => ClockKind::Update,
        ReportClock::RmaReturn => ClockKind::RmaReturn,
    })
}

/// Attainment per group: a bar per clock (RMA returns only when there were any), the
/// target's `│` through every bar and `▼` over them, the percentage and met/decided beside.
fn sla_rows(lang: Lang, r: &Reports, width: usize) -> Vec<Row> {
    let report = &r.sla;
    let target = report.header.target;
    let by = report.header.by;
    let shown: Vec<&SlaRow> = report
        .rows
        .iter()
        .filter(|row| {
            row.clock != ReportClock::RmaReturn || row.met + row.breached + row.running > 0
        })
        .collect();
    if shown.is_empty() {
        return vec![vec![(lang.word(Word::ReportsNothing).into(), Role::Muted)]];
    }
    let labels: Vec<String> = shown
        .iter()
        .map(|row| match (by, &row.group) {
            (None, _) => String::new(),
            (by, group) => group_label(lang, by, group.as_deref()),
        })
        .collect();
    let group_w = labels.iter().map(|l| l.width()).max().unwrap_or(0).min(16);
    let clock_w = shown
        .iter()
        .map(|row| clock_word(lang, row.clock).width())
        .max()
        .unwrap_or(0);
    let counts: Vec<String> = shown
        .iter()
        .map(|row| {
            let decided = format!("{}/{}", row.met, row.met + row.breached);
            if row.running > 0 {
                let running = lang
                    .word(Word::ReportsRunning)
                    .replace("{n}", &row.running.to_string());
                format!("{decided} · {running}")
            } else {
                decided
            }
        })
        .collect();
    let legend = lang.word(Word::ReportsMetOfDecided);
    let counts_w = counts
        .iter()
        .map(|c| c.width())
        .chain([legend.width()])
        .max()
        .unwrap_or(0);
    const PCT: usize = 6;
    let lead = if group_w > 0 { group_w + 1 } else { 0 } + clock_w + 1;
    let bar_w = width.saturating_sub(lead + 1 + PCT + 2 + counts_w).max(8);
    let marker = ((target * bar_w as f64).round() as usize).min(bar_w - 1);
    // The heading: the target's `▼` over its line, its words to the left (or right, when the
    // bars start too near the edge), the legend over the counts.
    let said = format!(
        "{} ",
        lang.word(Word::ReportsTarget)
            .replace("{pct}", &percent(target))
    );
    let at = lead + marker;
    let mut heading = if said.width() <= at {
        format!("{}{said}▼", " ".repeat(at - said.width()))
    } else {
        format!("{}▼ {}", " ".repeat(at), said.trim_end())
    };
    let legend_at = lead + bar_w + 1 + PCT + 2;
    let used = heading.width();
    if used < legend_at {
        heading.push_str(&" ".repeat(legend_at - used));
        heading.push_str(legend);
    }
    let mut out = vec![vec![(heading, Role::Muted)]];
    let mut last_group: Option<&str> = None;
    for ((row, label), count) in shown.iter().zip(&labels).zip(&counts) {
        let mut line: Row = Vec::new();
        if group_w > 0 {
            // A group's name on its first line only.
            let first = last_group != Some(label.as_str());
            last_group = Some(label.as_str());
            let text = if first { label.as_str() } else { "" };
            line.push((format!("{} ", pad(text, group_w)), Role::Header));
        }
        line.push((
            format!("{} ", pad(clock_word(lang, row.clock), clock_w)),
            Role::Text,
        ));
        let (fraction, role, pct) = match row.attainment {
            Some(a) => (
                a,
                if a + 1e-9 >= target {
                    Role::Met
                } else {
                    Role::Breached
                },
                percent(a),
            ),
            None => (0.0, Role::Muted, "—".to_string()),
        };
        line.extend(bar(fraction, bar_w, role, Some(marker)));
        line.push((format!(" {} ", right(&pct, PCT)), role));
        line.push((format!(" {count}"), Role::Muted));
        out.push(line);
    }
    out
}

/// `15m`, `1h`, `2d` from a bucket's upper edge in seconds.
fn edge(secs: i64) -> String {
    if secs % 86_400 == 0 {
        format!("{}d", secs / 86_400)
    } else if secs % 3600 == 0 {
        format!("{}h", secs / 3600)
    } else {
        format!("{}m", secs / 60)
    }
}

/// The median, p90 and max of a response row, in words.
fn figures(lang: Lang, row: &ResponseRow, show: fn(i64) -> String) -> String {
    let f = |v: Option<i64>| v.map_or_else(|| "—".to_string(), show);
    format!(
        "{} {} · {} {} · {} {}",
        lang.word(Word::ReportsMedian),
        f(row.median_secs),
        lang.word(Word::ReportsP90),
        f(row.p90_secs),
        lang.word(Word::ReportsMax),
        f(row.max_secs)
    )
}

/// The wall-clock histogram of first responses (`15m` … `>2d`, a count beside each bar), then
/// the median, p90 and max on the wall clock and in business hours.
fn response_rows(lang: Lang, r: &Reports, width: usize) -> Vec<Row> {
    let find = |time: TimeBasis| {
        r.response
            .rows
            .iter()
            .find(|row| row.time == time && row.group.is_none())
            .or_else(|| r.response.rows.iter().find(|row| row.time == time))
    };
    let Some(wall) = find(TimeBasis::Wall).filter(|w| w.count > 0) else {
        return vec![vec![(
            lang.word(Word::ReportsNoResponses).into(),
            Role::Muted,
        )]];
    };
    let responses = lang
        .word(Word::ReportsResponses)
        .replace("{n}", &wall.count.to_string());
    let mut out = vec![vec![(
        format!("{responses} · {}", lang.word(Word::ReportsWall)),
        Role::Header,
    )]];
    let mut previous = String::new();
    let labels: Vec<String> = wall
        .histogram
        .iter()
        .map(|b| match b.le_secs {
            Some(le) => {
                previous = edge(le);
                previous.clone()
            }
            None => format!(">{previous}"),
        })
        .collect();
    let label_w = labels.iter().map(|l| l.width()).max().unwrap_or(0);
    let max = wall.histogram.iter().map(|b| b.count).max().unwrap_or(0);
    let count_w = max.to_string().len();
    let bar_w = width
        .saturating_sub(label_w + 2 + count_w)
        .clamp(4, MAX_BAR);
    for (bucket, label) in wall.histogram.iter().zip(&labels) {
        let fraction = if max == 0 {
            0.0
        } else {
            bucket.count as f64 / max as f64
        };
        let mut line = vec![(format!("{} ", right(label, label_w)), Role::Text)];
        line.extend(bar(fraction, bar_w, Role::Running, None));
        line.push((
            format!(" {}", right(&bucket.count.to_string(), count_w)),
            Role::Text,
        ));
        out.push(line);
    }
    out.push(vec![(figures(lang, wall, span::compact), Role::Text)]);
    if let Some(business) = find(TimeBasis::Business).filter(|b| b.count > 0) {
        out.push(vec![(
            format!(
                "{}: {}",
                lang.word(Word::ReportsBusiness),
                figures(lang, business, span::working)
            ),
            Role::Muted,
        )]);
    }
    out
}

/// The day rows of the backlog report, first day first.
fn day_rows(r: &Reports) -> Vec<&BacklogRow> {
    r.backlog
        .rows
        .iter()
        .filter(|row| row.period != "now" && row.group.is_none())
        .collect()
}

/// `11-24` from `2026-11-24`; a week as it is.
fn short_day(period: &str) -> String {
    match period.get(5..) {
        Some(md) if period.len() == 10 => md.to_string(),
        _ => one(period).into_owned(),
    }
}

/// Created, resolved and closed per day as sparklines on one scale (`·` a day with none),
/// each with its total; then every day's numbers, newest first.
fn flow_rows(lang: Lang, r: &Reports, width: usize) -> Vec<Row> {
    let days = day_rows(r);
    if days.is_empty() {
        return vec![vec![(lang.word(Word::ReportsNothing).into(), Role::Muted)]];
    }
    let series: [(Word, Role, Vec<u64>); 3] = [
        (
            Word::ReportsCreated,
            Role::Running,
            days.iter().map(|d| d.created.unwrap_or(0)).collect(),
        ),
        (
            Word::ReportsResolved,
            Role::Met,
            days.iter().map(|d| d.resolved.unwrap_or(0)).collect(),
        ),
        (
            Word::ReportsClosed,
            Role::Stopped,
            days.iter().map(|d| d.closed.unwrap_or(0)).collect(),
        ),
    ];
    let label_w = series
        .iter()
        .map(|(w, _, _)| lang.word(*w).width())
        .max()
        .unwrap_or(0);
    let max = series
        .iter()
        .flat_map(|(_, _, v)| v.iter().copied())
        .max()
        .unwrap_or(0);
    let totals: Vec<String> = series
        .iter()
        .map(|(_, _, v)| {
            format!(
                "{} {}",
                lang.word(Word::ReportsTotal),
                v.iter().sum::<u64>()
            )
        })
        .collect();
    let total_w = totals.iter().map(|t| t.width()).max().unwrap_or(0);
    // Each day as wide as the room allows, up to three cells.
    let room = width.saturating_sub(label_w + 2 + total_w);
    let cell = (room / days.len()).clamp(1, 3);
    let mut out = Vec::new();
    for ((word, role, values), total) in series.iter().zip(&totals) {
        let line: String = values
            .iter()
            .map(|&v| {
                let glyph = if v == 0 || max == 0 {
                    "·"
                } else {
                    let level = ((v as f64 / max as f64) * LEVELS.len() as f64).ceil() as usize;
                    LEVELS[level.clamp(1, LEVELS.len()) - 1]
                };
                glyph.repeat(cell)
            })
            .collect();
        out.push(vec![
            (format!("{} ", pad(lang.word(*word), label_w)), Role::Text),
            (line, *role),
            (format!(" {total}"), Role::Muted),
        ]);
    }
    // The numbers under the lines, newest day first.
    let heads = [
        Word::ReportsDay,
        Word::ReportsCreated,
        Word::ReportsResolved,
        Word::ReportsClosed,
        Word::ReportsOpen,
    ];
    let widths: Vec<usize> = heads.iter().map(|w| lang.word(*w).width().max(5)).collect();
    out.push(Vec::new());
    out.push(vec![(
        heads
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (w, &cw))| {
                if i == 0 {
                    pad(lang.word(*w), cw)
                } else {
                    right(lang.word(*w), cw)
                }
            })
            .collect::<Vec<_>>()
            .join("  "),
        Role::Header,
    )]);
    for d in days.iter().rev() {
        let cells = [
            short_day(&d.period),
            d.created.unwrap_or(0).to_string(),
            d.resolved.unwrap_or(0).to_string(),
            d.closed.unwrap_or(0).to_string(),
            d.open.to_string(),
        ];
        let text = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, &cw))| if i == 0 { pad(c, cw) } else { right(c, cw) })
            .collect::<Vec<_>>()
            .join("  ");
        out.push(vec![(text, Role::Text)]);
    }
    out
}

/// Open cases now: by age bucket and by priority, a bar and the count each.
fn backlog_rows(lang: Lang, r: &Reports, width: usize) -> Vec<Row> {
    let Some(now) = r
        .backlog
        .rows
        .iter()
        .find(|row| row.period == "now" && row.group.is_none())
    else {
        return vec![vec![(lang.word(Word::ReportsNothing).into(), Role::Muted)]];
    };
    let ages = [
        Word::ReportsAgeUnder1d,
        Word::ReportsAge1to3d,
        Word::ReportsAge3to7d,
        Word::ReportsAge7to30d,
        Word::ReportsAgeOver30d,
    ];
    let age_rows: Vec<(String, Role, u64)> = ages
        .iter()
        .zip(now.ages())
        .map(|(w, n)| (lang.word(*w).to_string(), Role::DueSoon, n))
        .collect();
    let priority_rows: Vec<(String, Role, u64)> = crate::domain::Priority::ALL
        .iter()
        .zip(now.priorities())
        .map(|(p, n)| (p.to_string(), Role::of_priority(*p), n))
        .collect();
    let label_w = age_rows
        .iter()
        .chain(&priority_rows)
        .map(|(l, _, _)| l.width())
        .max()
        .unwrap_or(0);
    let count_w = now.open.to_string().len();
    let bar_w = width
        .saturating_sub(2 + label_w + 2 + count_w)
        .clamp(4, MAX_BAR);
    let open = lang
        .word(Word::ReportsOpenNow)
        .replace("{n}", &now.open.to_string());
    let mut out = vec![vec![(open, Role::Header)]];
    for (heading, group) in [
        (Word::ReportsByAge, &age_rows),
        (Word::ReportsByPriority, &priority_rows),
    ] {
        out.push(vec![(lang.word(heading).to_string(), Role::Muted)]);
        let max = group.iter().map(|(_, _, n)| *n).max().unwrap_or(0);
        for (label, role, n) in group {
            let fraction = if max == 0 {
                0.0
            } else {
                *n as f64 / max as f64
            };
            let mut line = vec![(format!("  {} ", right(label, label_w)), Role::Text)];
            line.extend(bar(fraction, bar_w, *role, None));
            line.push((format!(" {}", right(&n.to_string(), count_w)), Role::Text));
            out.push(line);
        }
    }
    out
}

/// The load table: owner, open, P1, P2, breaching within the hour, breached, public notes and
/// calls in the period; unassigned last, as the report orders it.
fn load_rows(lang: Lang, r: &Reports, width: usize) -> Vec<Row> {
    if r.load.rows.is_empty() {
        return vec![vec![(lang.word(Word::ReportsNothing).into(), Role::Muted)]];
    }
    let heads: [&str; 7] = [
        lang.word(Word::ReportsOpen),
        "P1",
        "P2",
        lang.word(Word::ReportsWithin1h),
        lang.word(Word::ReportsBreached),
        lang.word(Word::ReportsNotes),
        lang.word(Word::ReportsCalls),
    ];
    let widths: Vec<usize> = heads.iter().map(|h| h.width().max(4)).collect();
    let numbers_w: usize = widths.iter().map(|w| w + 2).sum();
    let owners: Vec<String> = r
        .load
        .rows
        .iter()
        .map(|row| group_label(lang, Some(Grouping::Owner), row.owner.as_deref()))
        .collect();
    let owner_w = owners
        .iter()
        .map(|o| o.width())
        .chain([lang.word(Word::ReportsOwner).width()])
        .max()
        .unwrap_or(0)
        .min(20)
        .min(width.saturating_sub(numbers_w).max(6));
    let mut heading = pad(lang.word(Word::ReportsOwner), owner_w);
    for (h, w) in heads.iter().zip(&widths) {
        heading.push_str("  ");
        heading.push_str(&right(h, *w));
    }
    let mut out = vec![vec![(heading, Role::Header)]];
    for (row, owner) in r.load.rows.iter().zip(&owners) {
        let values = [
            row.open,
            row.p1,
            row.p2,
            row.breaching_1h,
            row.breached,
            row.public_notes,
            row.calls,
        ];
        let mut line: Row = vec![(pad(owner, owner_w), Role::Text)];
        for (i, (v, w)) in values.iter().zip(&widths).enumerate() {
            // The urgent figures stand out when they are not zero.
            let role = match i {
                1 if *v > 0 => Role::P1,
                3 if *v > 0 => Role::DueSoon,
                4 if *v > 0 => Role::Breached,
                _ => Role::Text,
            };
            line.push((format!("  {}", right(&v.to_string(), *w)), role));
        }
        out.push(line);
    }
    out
}
