//! The queue pane: the columns of SPEC §2.9 that fit, the next deadline as a countdown, and
//! only the rows on screen built.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, StatefulWidget, Table, TableState, Widget};

use super::{Drawn, frame, one, placeholder};
use crate::api::CaseSummary;
use crate::api::query::SortColumn;
use crate::cache::{OutboxState, PendingChange};
use crate::term::text::{Say, Text, Word};
use crate::term::theme::{Role, Theme};
use crate::term::urgency::Urgency;
use crate::tui::app::{App, Hit, Pane};

/// A column: what it shows, how wide, from which pane width.
struct Column {
    sort: SortColumn,
    width: u16,
    from: u16,
}

const COLUMNS: [Column; 10] = [
    Column {
        sort: SortColumn::Priority,
        width: 4,
        from: 0,
    },
    Column {
        sort: SortColumn::Number,
        // The 16-column number and the `^` of an open escalation.
        width: 17,
        from: 0,
    },
    Column {
        sort: SortColumn::Status,
        width: 8,
        from: 0,
    },
    Column {
        sort: SortColumn::NextDue,
        width: 15,
        from: 0,
    },
    Column {
        sort: SortColumn::Owner,
        width: 10,
        from: 0,
    },
    Column {
        sort: SortColumn::Site,
        width: 16,
        from: 110,
    },
    Column {
        sort: SortColumn::Contact,
        width: 12,
        from: 150,
    },
    Column {
        sort: SortColumn::Platform,
        width: 12,
        from: 170,
    },
    Column {
        sort: SortColumn::Updated,
        width: 11,
        from: 110,
    },
    Column {
        sort: SortColumn::Subject,
        width: 0,
        from: 0,
    },
];

/// The glyph at the start of a marked row: a shape, so it reads without colour too.
const MARK: &str = "●";

fn header(app: &App, column: SortColumn) -> &'static str {
    column_header(app.text(), column)
}

/// A queue column's header in the interface's words.
pub fn column_header(t: &Text, column: SortColumn) -> &'static str {
    match column {
        SortColumn::Priority => t.col_priority,
        SortColumn::Number => t.col_number,
        SortColumn::Status => t.col_status,
        SortColumn::NextDue => t.col_due,
        SortColumn::Owner => t.col_owner,
        SortColumn::Site => t.col_site,
        SortColumn::Contact => t.col_contact,
        SortColumn::Platform => t.col_platform,
        SortColumn::Updated => t.col_updated,
        _ => t.col_subject,
    }
}

pub fn draw(app: &App, theme: &Theme, buf: &mut Buffer, area: Rect, drawn: &mut Drawn) {
    let (in_view, shown) = app.queue.counts();
    let view = &app.current_view().name;
    let counts = if shown == in_view {
        format!("{shown}")
    } else {
        format!("{shown}/{in_view}")
    };
    let filter = app.queue.filter();
    let mut title = format!(
        "{} — {} {view} ({counts})",
        app.text().queue,
        app.current_view().key
    );
    if !filter.is_empty() {
        title.push_str(&format!(" /{filter}"));
    }
    if !app.marks.is_empty() {
        let marked = app.settings.lang.say(Say::Marked(app.marks.len()));
        title.push_str(&format!(" · {marked}"));
    }
    let block = frame(app, theme, Pane::Queue, title);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height < 2 {
        return;
    }
    let inner = draw_unopened(app, theme, buf, inner);
    if app.queue.is_empty() {
        let text = if app.loaded && !app.queue.filter().trim().is_empty() {
            // The filter sees only this desk's cache; the server knows more.
            app.settings.lang.word(Word::NoMatchHere)
        } else if app.loaded {
            app.text().no_cases
        } else {
            app.text().loading
        };
        placeholder(buf, inner, text, theme.style(Role::Muted));
        return;
    }
    let columns: Vec<&Column> = COLUMNS.iter().filter(|c| area.width >= c.from).collect();
    let widths: Vec<Constraint> = columns
        .iter()
        .map(|c| {
            if c.width == 0 {
                Constraint::Fill(1)
            } else {
                Constraint::Length(c.width)
            }
        })
        .collect();

    let sort = app.queue.sort;
    let header_cells: Vec<Span> = columns
        .iter()
        .map(|c| {
            let mut label = header(app, c.sort).to_string();
            // The breaching-next order is by the next deadline too.
            let by_due = c.sort == SortColumn::NextDue && sort.column == SortColumn::Breaching;
            if c.sort == sort.column || by_due {
                label.push(if sort.desc { '↓' } else { '↑' });
            }
            Span::styled(label, theme.style(Role::Header))
        })
        .collect();

    // Only the rows that fit are built.
    let height = (inner.height - 1) as usize;
    let mut queue_offset = app.queue.offset;
    let selected = app.queue.selected();
    if selected < queue_offset {
        queue_offset = selected;
    } else if selected >= queue_offset + height {
        queue_offset = selected + 1 - height;
    }
    // Sorted by what breaches next, a line heads the breached; on screen it takes a row.
    let breached = breached_group(app);
    let separator_in = |offset: usize| {
        breached
            .map(|(from, _)| from)
            .filter(|&from| from >= offset && from < offset + height)
    };
    if separator_in(queue_offset).is_some_and(|from| selected >= from)
        && selected + 1 >= queue_offset + height
    {
        queue_offset += 1;
    }
    let separator = separator_in(queue_offset).filter(|_| height > 1);
    let fits = height - usize::from(separator.is_some());
    // A row's line on screen: one further down past the separator.
    let line_of = |i: usize| i - queue_offset + usize::from(separator.is_some_and(|s| i >= s));
    drawn.queue_offset = queue_offset;
    let now = app.now;
    let mut rows: Vec<Row> = Vec::new();
    for i in queue_offset..(queue_offset + fits).min(app.queue.len()) {
        let Some(c) = app.queue.shown(i) else { break };
        if separator == Some(i) {
            rows.push(Row::new(Vec::<Line>::new()));
        }
        drawn.hits.push((
            Rect::new(inner.x, inner.y + 1 + line_of(i) as u16, inner.width, 1),
            Hit::Row(i),
        ));
        rows.push(row(app, theme, &columns, c, now));
    }
    let mut state = TableState::default().with_selected(Some(line_of(selected)));
    // With cases marked, the gutter widens by a column for the mark; without, it is as ever.
    let marking = !app.marks.is_empty();
    let gutter: u16 = if marking { 2 } else { 1 };
    let table = Table::new(rows, widths.clone())
        .header(Row::new(header_cells))
        .column_spacing(1)
        .row_highlight_style(theme.style(Role::Selected).add_modifier(Modifier::BOLD))
        .highlight_symbol(if marking { "> " } else { ">" });
    StatefulWidget::render(table, inner, buf, &mut state);
    if marking {
        for i in queue_offset..(queue_offset + fits).min(app.queue.len()) {
            let Some(c) = app.queue.shown(i) else { break };
            if !app.marks.contains(&c.number) {
                continue;
            }
            let y = inner.y + 1 + line_of(i) as u16;
            Span::styled(MARK, theme.style(Role::Marked))
                .render(Rect::new(inner.x + 1, y, 1, 1), buf);
        }
    }
    if let (Some(at), Some((_, count))) = (separator, breached) {
        // The line just above the first breached row.
        let y = inner.y + 1 + (at - queue_offset) as u16;
        let text = format!(
            "── {} ({count}) {}",
            app.settings.lang.word(Word::BreachedGroup),
            "─".repeat(inner.width as usize)
        );
        Line::from(Span::styled(text, theme.style(Role::Breached))).render(
            Rect::new(inner.x + 1, y, inner.width.saturating_sub(1), 1),
            buf,
        );
    }

    // Header cells are click targets for sorting.
    let rects = ratatui::layout::Layout::horizontal(widths)
        .spacing(1)
        .split(Rect::new(
            inner.x + gutter,
            inner.y,
            inner.width.saturating_sub(gutter),
            1,
        ));
    for (c, r) in columns.iter().zip(rects.iter()) {
        drawn.hits.push((*r, Hit::Sort(c.sort)));
    }
}

/// Under the breaching-next sort, where the breached cases begin among the shown ones and how
/// many they are. The sort groups them, so two binary searches find them.
fn breached_group(app: &App) -> Option<(usize, usize)> {
    let column = app.queue.sort.column;
    if column != SortColumn::Breaching {
        return None;
    }
    let group = |i: usize| app.queue.shown(i).map_or(u8::MAX, |c| column.group(c));
    let first_with = |g: u8| {
        let (mut lo, mut hi) = (0, app.queue.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if group(mid) < g {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    };
    let (from, to) = (first_with(1), first_with(2));
    (to > from).then_some((from, to - from))
}

/// New cases still in the outbox (opened offline), at the foot of the queue under their
/// provisional reference: they have no number, no clocks and cannot be selected until the
/// server opens them. Returns the area left for the table.
fn draw_unopened(app: &App, theme: &Theme, buf: &mut Buffer, inner: Rect) -> Rect {
    let unopened: Vec<_> = app
        .outbox
        .iter()
        .filter_map(|e| match &e.change {
            PendingChange::Create(new) if e.case_number.is_none() => Some((e, new)),
            _ => None,
        })
        .collect();
    // The table keeps its header and at least two rows.
    let rows = (unopened.len() as u16).min(inner.height.saturating_sub(3) / 2);
    if rows == 0 {
        return inner;
    }
    let top = inner.bottom() - rows;
    let more = unopened.len() - rows as usize;
    for (k, (entry, new)) in unopened.iter().take(rows as usize).enumerate() {
        let (word, role) = match entry.state {
            OutboxState::Pending => (app.text().pending, Role::Stale),
            OutboxState::Conflicted | OutboxState::Failed => ("!", Role::Error),
        };
        let mut text = format!(
            " {:<4} {:<16} {word} — {}",
            new.priority.as_str(),
            entry.reference(),
            one(&new.subject)
        );
        if more > 0 && k + 1 == rows as usize {
            text = format!(" +{more} … {text}");
        }
        Line::from(Span::styled(text, theme.style(role)))
            .render(Rect::new(inner.x, top + k as u16, inner.width, 1), buf);
    }
    Rect {
        height: inner.height - rows,
        ..inner
    }
}

fn row<'a>(
    app: &App,
    theme: &Theme,
    columns: &[&Column],
    c: &'a CaseSummary,
    now: chrono::DateTime<chrono::Utc>,
) -> Row<'a> {
    let urgency = Urgency::of_case(c, now);
    let lang = app.settings.lang;
    let cells: Vec<Line> = columns
        .iter()
        .map(|col| match col.sort {
            SortColumn::Priority => {
                let mark = if c.temporarily_downgraded { "↓" } else { "" };
                Line::from(Span::styled(
                    format!("{}{mark}", c.priority),
                    theme.style(Role::of_priority(c.priority)),
                ))
            }
            SortColumn::Number => {
                let esc = if c.open_escalations > 0 { "^" } else { "" };
                Line::from(format!("{}{esc}", c.number))
            }
            SortColumn::Status => Line::from(lang.status_short(c.status)),
            SortColumn::NextDue => {
                let text = match (urgency, c.next_due) {
                    (Urgency::Breached, Some(_)) => lang.countdown(c.next_due, now),
                    (Urgency::Breached, None) => Urgency::Breached.word_in(lang).to_string(),
                    (Urgency::DueSoon, due) => format!("! {}", lang.countdown(due, now)),
                    (_, Some(_)) => lang.countdown(c.next_due, now),
                    (u, None) => u.word_in(lang).to_string(),
                };
                Line::from(Span::styled(text, theme.style(urgency.role())))
            }
            SortColumn::Owner => match &c.owner {
                Some(o) => Line::from(one(o).into_owned()),
                None => Line::from(Span::styled(
                    app.text().unassigned,
                    theme.style(Role::Muted),
                )),
            },
            SortColumn::Site => Line::from(one(&c.site_name).into_owned()),
            SortColumn::Contact => Line::from(one(&c.contact_name).into_owned()),
            SortColumn::Platform => Line::from(one(&c.platform).into_owned()),
            SortColumn::Updated => Line::from(app.settings.zone.short(c.updated_at, now)),
            _ => Line::from(one(&c.subject).into_owned()),
        })
        .collect();
    Row::new(cells)
}
