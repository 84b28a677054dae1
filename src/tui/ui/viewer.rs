//! The file viewer: line numbers in a gutter, the lines from the viewer's top line and left
//! column (wide characters cut at the edge become a space), search matches underlined and the
//! current one in the selection's style (so they show without colour too), a notice when only
//! the start of a big file is shown, and the search line at the bottom.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::{Drawn, clear, one};
use crate::domain::size::ByteSize;
use crate::term::text::{Say, Word};
use crate::term::theme::{Role, Theme};
use crate::tui::app::App;
use crate::tui::viewer::{Found, VIEW_CAP, Viewer};

pub fn draw(app: &App, theme: &Theme, buf: &mut Buffer, body: Rect, v: &Viewer, drawn: &mut Drawn) {
    let lang = app.settings.lang;
    clear(body, buf);
    let total = v.lines.len();
    let title = format!(
        "{} — {}–{} / {total} {}",
        v.name,
        (v.top + 1).min(total),
        (v.top + v.size.0).min(total),
        lang.word(Word::LinesWord)
    );
    let hint = app.settings.keys.hint(lang.word(Word::HintViewer));
    let block = super::overlay::boxed(theme, &title, &hint);
    let inner = block.inner(body);
    block.render(body, buf);
    if inner.height < 2 || inner.width < 8 {
        return;
    }
    let mut y = inner.y;
    if let Some(size) = v.cut_from {
        let said = lang.say(Say::ViewerCut(
            &ByteSize(VIEW_CAP as u64).to_string(),
            &ByteSize(size).to_string(),
        ));
        Line::from(Span::styled(said, theme.style(Role::DueSoon)))
            .render(Rect::new(inner.x, y, inner.width, 1), buf);
        y += 1;
    }
    let rows = inner.bottom().saturating_sub(y + 1);
    let gutter = total.max(1).to_string().len();
    let cols = inner.width.saturating_sub(gutter as u16 + 1);
    drawn.viewer_size = Some((rows, cols));
    let marked = theme.style(Role::New).add_modifier(Modifier::UNDERLINED);
    let current = theme.style(Role::Selected).add_modifier(Modifier::BOLD);
    let lines: Vec<Line> = (v.top..total.min(v.top + rows as usize))
        .map(|i| {
            let mut spans = vec![Span::styled(
                format!("{:>gutter$} ", i + 1),
                theme.style(Role::Muted),
            )];
            let marks: Vec<(Found, bool)> = v.matches_on(i).collect();
            spans.extend(visible(
                &v.lines[i],
                v.left,
                cols as usize,
                &marks,
                marked,
                current,
            ));
            Line::from(spans)
        })
        .collect();
    Paragraph::new(lines).render(Rect::new(inner.x, y, inner.width, rows), buf);
    // The search line.
    let bottom = Rect::new(inner.x, inner.bottom() - 1, inner.width, 1);
    if let Some(input) = &v.typing {
        Line::from(format!("/{}", one(input.text()))).render(bottom, buf);
        let (_, col) = input.cursor_at();
        drawn.cursor = Some(Position {
            x: inner.x + (1 + col as u16).min(inner.width.saturating_sub(1)),
            y: bottom.y,
        });
    } else if let Some((at, of)) = v.count() {
        let q = one(&v.query);
        let line = if of == 0 {
            Line::from(Span::styled(
                lang.say(Say::NoMatchFor(&q)),
                theme.style(Role::Error),
            ))
        } else {
            Line::from(vec![
                Span::raw(format!("/{q}  ")),
                Span::styled(format!("{at}/{of}"), theme.style(Role::Title)),
            ])
        };
        line.render(bottom, buf);
    }
}

/// The part of a line from column `left`, `cols` wide, its matches styled.
fn visible(
    line: &str,
    left: usize,
    cols: usize,
    marks: &[(Found, bool)],
    marked: Style,
    current: Style,
) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut push = |text: &str, style: Style| match spans.last_mut() {
        Some(last) if last.style == style => last.content.to_mut().push_str(text),
        _ => spans.push(Span::styled(text.to_string(), style)),
    };
    let mut col = 0;
    let end = left + cols;
    for (at, g) in line.grapheme_indices(true) {
        let w = g.width();
        let style = marks
            .iter()
            .find(|(m, _)| m.start <= at && at < m.end)
            .map_or(
                Style::default(),
                |(_, is_current)| {
                    if *is_current { current } else { marked }
                },
            );
        if col + w > end {
            // A wide character cut at the right edge: the column stays empty.
            if col < end && col >= left {
                push(&" ".repeat(end - col), style);
            }
            break;
        }
        if col >= left {
            push(g, style);
        } else if col + w > left {
            // Cut at the left edge.
            push(&" ".repeat(col + w - left), style);
        }
        col += w;
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn wide_characters_cut_at_either_edge_become_spaces() {
        let none = Style::default();
        assert_eq!(text(&visible("ab障害cd", 0, 4, &[], none, none)), "ab障");
        assert_eq!(text(&visible("ab障害cd", 0, 3, &[], none, none)), "ab ");
        assert_eq!(text(&visible("ab障害cd", 3, 4, &[], none, none)), " 害c");
        assert_eq!(text(&visible("abc", 5, 4, &[], none, none)), "");
    }

    #[test]
    fn matches_take_their_style() {
        let m = Style::default().add_modifier(Modifier::UNDERLINED);
        let c = Style::default().add_modifier(Modifier::REVERSED);
        let marks = [
            (
                Found {
                    line: 0,
                    start: 0,
                    end: 2,
                },
                false,
            ),
            (
                Found {
                    line: 0,
                    start: 3,
                    end: 5,
                },
                true,
            ),
        ];
        let spans = visible("ab ab", 0, 10, &marks, m, c);
        assert_eq!(spans.len(), 3);
        assert_eq!(spans[0].style, m);
        assert_eq!(spans[1].style, Style::default());
        assert_eq!(spans[2].style, c);
    }
}
