//! Drawing: the state in, a buffer out. The layout is chosen from the window's size every frame
//! (four panes from 120 columns, one pane at a time below, a request for more room under
//! 60×16), so a resize re-lays out at once.

mod clocks;
mod detail;
mod escalation;
pub mod lists;
mod macros;
mod overlay;
mod queue;
pub mod reports;
mod viewer;
pub use queue::column_header;
mod status;
mod wrap;

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Widget, Wrap};

use super::app::{App, Hit, Pane};
use crate::term::theme::{Role, Theme};

/// The smallest window the panes are drawn in.
pub const MIN_SIZE: (u16, u16) = (60, 16);
/// The width from which all four panes are shown.
pub const WIDE_FROM: u16 = 120;

/// What a frame leaves for the runtime besides the cells.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Drawn {
    /// Where the terminal cursor goes (a text field has focus).
    pub cursor: Option<Position>,
    /// Clickable places.
    pub hits: Vec<(Rect, Hit)>,
    /// How far the detail pane can scroll, when it was drawn.
    pub detail_max_scroll: Option<u16>,
    /// The detail's scroll that brought the newest timeline entry into view, when the frame
    /// did that (the app asked with `Opened::reveal`).
    pub detail_revealed: Option<u16>,
    /// The first queue row on screen (kept so the list does not jump when moving back up).
    pub queue_offset: usize,
    /// Whether the window showed all four panes.
    pub wide: bool,
    /// The text rows and columns the file viewer had, when it was drawn.
    pub viewer_size: Option<(u16, u16)>,
}

/// What a frame learned about the layout that the app needs for the next keys and clicks;
/// the runtime hands it to [`App::update`] as `Msg::Layout`, so drawing never writes into
/// the app.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct UiState {
    /// Whether all four panes fit.
    pub wide: bool,
    /// Clickable places, in drawing order (the last drawn is on top).
    pub hits: Vec<(Rect, Hit)>,
    /// The first queue row on screen.
    pub queue_offset: usize,
    /// How far the detail pane can scroll, when it was drawn.
    pub detail_max_scroll: Option<u16>,
    /// The detail's scroll that brought the newest timeline entry into view, when it did.
    pub detail_revealed: Option<u16>,
    /// The text rows and columns the file viewer had, when it was drawn.
    pub viewer_size: Option<(u16, u16)>,
}

impl Drawn {
    /// Splits the frame's leftovers: where the cursor goes, and what the app learns.
    pub fn into_parts(self) -> (Option<Position>, UiState) {
        let ui = UiState {
            wide: self.wide,
            hits: self.hits,
            queue_offset: self.queue_offset,
            detail_max_scroll: self.detail_max_scroll,
            detail_revealed: self.detail_revealed,
            viewer_size: self.viewer_size,
        };
        (self.cursor, ui)
    }
}

/// Whether a window of this size shows all four panes.
pub fn is_wide(area: Rect) -> bool {
    area.width >= WIDE_FROM && area.height >= 24
}

/// Draws the whole screen.
pub fn draw(app: &App, theme: &Theme, buf: &mut Buffer) -> Drawn {
    let area = buf.area;
    let mut drawn = Drawn {
        wide: is_wide(area),
        ..Drawn::default()
    };
    buf.set_style(area, theme.style(Role::Text));
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        let text = app.text().too_small;
        let h = 3.min(area.height);
        let y = area.y + area.height.saturating_sub(h) / 2;
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .centered()
            .render(Rect::new(area.x, y, area.width, h), buf);
        return drawn;
    }
    let [body, message, bar] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(status::message_rows(app, area.width)),
        Constraint::Length(1),
    ])
    .areas(area);
    if is_wide(area) {
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(body);
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
                .areas(bottom);
        let [sla, esc] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(right);
        pane(app, theme, buf, Pane::Queue, top, &mut drawn);
        pane(app, theme, buf, Pane::Detail, left, &mut drawn);
        pane(app, theme, buf, Pane::Clocks, sla, &mut drawn);
        pane(app, theme, buf, Pane::Escalation, esc, &mut drawn);
    } else {
        let [tabs, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(body);
        tab_line(app, theme, buf, tabs, &mut drawn);
        pane(app, theme, buf, app.focus, rest, &mut drawn);
    }
    status::message_line(app, theme, buf, message, &mut drawn);
    status::status_bar(app, theme, buf, bar);
    overlay::draw(app, theme, buf, body, &mut drawn);
    drawn
}

fn tab_line(app: &App, theme: &Theme, buf: &mut Buffer, area: Rect, drawn: &mut Drawn) {
    let t = app.text();
    let mut spans = Vec::new();
    let mut x = area.x;
    for p in [Pane::Queue, Pane::Detail, Pane::Clocks, Pane::Escalation] {
        let label = format!(" {} ", p.title(t));
        let focused = p == app.focus;
        // The focused tab is marked by brackets as well as by colour.
        let label = if focused {
            format!("[{}]", label.trim())
        } else {
            label
        };
        let w = unicode_width::UnicodeWidthStr::width(label.as_str()) as u16;
        drawn.hits.push((Rect::new(x, area.y, w, 1), Hit::Pane(p)));
        x += w + 1;
        let style = if focused {
            theme.style(Role::Selected)
        } else {
            theme.style(Role::Muted)
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled("Tab ⇥", theme.style(Role::Muted)));
    Line::from(spans).render(area, buf);
}

fn pane(app: &App, theme: &Theme, buf: &mut Buffer, pane: Pane, area: Rect, drawn: &mut Drawn) {
    drawn.hits.push((area, Hit::Pane(pane)));
    match pane {
        Pane::Queue => queue::draw(app, theme, buf, area, drawn),
        Pane::Detail => detail::draw(app, theme, buf, area, drawn),
        Pane::Clocks => clocks::draw(app, theme, buf, area),
        Pane::Escalation => escalation::draw(app, theme, buf, area),
    }
}

/// A pane's frame: the focused one has a heavier border and a marked title.
fn frame<'a>(app: &App, theme: &Theme, pane: Pane, title: String) -> Block<'a> {
    let focused = app.focus == pane;
    let (border, kind, title) = if focused {
        (
            Role::BorderFocused,
            BorderType::Thick,
            format!("▶ {title} "),
        )
    } else {
        (Role::Border, BorderType::Plain, format!(" {title} "))
    };
    Block::default()
        .borders(Borders::ALL)
        .border_type(kind)
        .border_style(theme.style(border))
        .title(Span::styled(title, theme.style(Role::Title)))
}

/// Untrusted text made safe for one line.
fn one(text: &str) -> Cow<'_, str> {
    crate::sanitize::clean(text, true)
}

/// Untrusted text made safe, lines kept.
fn many(text: &str) -> Cow<'_, str> {
    crate::sanitize::clean(text, false)
}

/// A centred rectangle of at most `w`×`h` inside `area`.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clears an overlay's area. A double-width character just left of it whose right half
/// falls inside is blanked too, or the terminal would draw it over the overlay's border.
fn clear(area: Rect, buf: &mut Buffer) {
    ratatui::widgets::Clear.render(area, buf);
    if area.x == 0 {
        return;
    }
    for y in area.top()..area.bottom() {
        let left = &mut buf[(area.x - 1, y)];
        if unicode_width::UnicodeWidthStr::width(left.symbol()) > 1 {
            left.set_symbol(" ");
        }
    }
}

/// Text for an empty pane.
fn placeholder(buf: &mut Buffer, area: Rect, text: &str, style: Style) {
    Paragraph::new(text)
        .style(style)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}
