//! Wrapping text to a pane's width the way a reader of mixed Japanese and English expects: a
//! line may break between any two CJK characters or at a space, never inside an English word
//! (a word longer than the whole line is the only one cut), and the rows a line wraps onto keep
//! its indent. Styles are kept span by span.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Lines wrapped to `width` columns, and for each line given the row it starts on (one more
/// entry at the end: the number of rows), so a place among the lines is a place among the rows.
/// `hang(i)`: the least indent of line `i`'s continued rows.
pub fn wrap_lines<'a>(
    lines: Vec<Line<'a>>,
    width: u16,
    hang: impl Fn(usize) -> usize,
) -> (Vec<Line<'a>>, Vec<usize>) {
    let mut rows = Vec::with_capacity(lines.len());
    let mut starts = Vec::with_capacity(lines.len() + 1);
    for (i, line) in lines.into_iter().enumerate() {
        starts.push(rows.len());
        rows.extend(wrap_hanging(line, width as usize, hang(i)));
    }
    starts.push(rows.len());
    (rows, starts)
}

/// A piece that is never split across rows (unless longer than a row): an ASCII or other
/// narrow-script word, one space, or a CJK character with the closing marks that may not start
/// a row after it.
struct Piece {
    /// The grapheme clusters with their styles.
    parts: Vec<(String, Style)>,
    width: usize,
    space: bool,
}

/// One line wrapped to `width` columns: rows after the first start with the line's own
/// leading spaces (unless they would take half the row).
pub fn wrap_line(line: Line<'_>, width: usize) -> Vec<Line<'static>> {
    wrap_hanging(line, width, 0)
}

/// One line wrapped to `width` columns, its continued rows set in by its own leading spaces or
/// by `hang` columns, whichever is more.
fn wrap_hanging(line: Line<'_>, width: usize, hang: usize) -> Vec<Line<'static>> {
    let style = line.style;
    let alignment = line.alignment;
    let clusters: Vec<(String, Style)> = line
        .spans
        .iter()
        .flat_map(|s| {
            let st = s.style;
            s.content
                .graphemes(true)
                .map(move |g| (g.to_string(), st))
                .collect::<Vec<_>>()
        })
        .collect();
    let total: usize = clusters.iter().map(|(g, _)| g.width()).sum();
    let finish = |parts: Vec<(String, Style)>| {
        let mut l = Line::from(merge(parts)).style(style);
        l.alignment = alignment;
        l
    };
    if width == 0 || total <= width {
        return vec![finish(clusters)];
    }
    let indent = clusters
        .iter()
        .take_while(|(g, _)| g == " ")
        .count()
        .max(hang);
    let indent = if indent * 2 > width { 0 } else { indent };

    let mut out = Vec::new();
    let mut row: Vec<(String, Style)> = Vec::new();
    let mut used = 0;
    let mut first = true;
    for piece in pieces(clusters) {
        let fresh = used == (if first { 0 } else { indent });
        if piece.space {
            // A space never starts a continued row, and a row never ends in the space that
            // broke it.
            let keep = if fresh {
                first
            } else {
                used + piece.width <= width
            };
            if keep {
                row.extend(piece.parts);
                used += piece.width;
            }
            continue;
        }
        if used + piece.width <= width {
            row.extend(piece.parts);
            used += piece.width;
            continue;
        }
        if !fresh && piece.width <= width - indent {
            // The piece fits on a row of its own: break before it.
            out.push(finish(trimmed(std::mem::take(&mut row))));
            first = false;
            row = indented(indent);
            used = indent;
            row.extend(piece.parts);
            used += piece.width;
            continue;
        }
        // Longer than a row: cut it where the row ends.
        for (g, st) in piece.parts {
            let w = g.width();
            if used + w > width && used > indent {
                out.push(finish(std::mem::take(&mut row)));
                first = false;
                row = indented(indent);
                used = indent;
            }
            row.push((g, st));
            used += w;
        }
    }
    if !row.is_empty() || out.is_empty() {
        out.push(finish(trimmed(row)));
    }
    out
}

/// The clusters cut into pieces that stay together.
fn pieces(clusters: Vec<(String, Style)>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for (g, st) in clusters {
        let w = g.width();
        let space = crate::linebreak::is_space(&g);
        match out.last_mut() {
            // A piece goes on while no break is allowed after its last cluster.
            Some(last) if !space && !last.space && !last.breaks_before(&g) => {
                last.width += w;
                last.parts.push((g, st));
            }
            _ => out.push(Piece {
                parts: vec![(g, st)],
                width: w,
                space,
            }),
        }
    }
    out
}

impl Piece {
    /// Whether a line may break between this piece and cluster `g`.
    fn breaks_before(&self, g: &str) -> bool {
        self.parts
            .last()
            .is_none_or(|(last, _)| crate::linebreak::may_break(last, g))
    }
}

/// A continued row's leading spaces, in the default style.
fn indented(indent: usize) -> Vec<(String, Style)> {
    vec![(" ".to_string(), Style::default()); indent]
}

/// A row without the spaces it ended on.
fn trimmed(mut row: Vec<(String, Style)>) -> Vec<(String, Style)> {
    while row.last().is_some_and(|(g, _)| g == " ") && row.len() > 1 {
        row.pop();
    }
    row
}

/// Clusters back into spans, one per run of a style.
fn merge(parts: Vec<(String, Style)>) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut text = String::new();
    let mut current: Option<Style> = None;
    for (g, st) in parts {
        if current.is_some_and(|c| c != st) {
            spans.push(Span::styled(
                std::mem::take(&mut text),
                current.unwrap_or_default(),
            ));
        }
        current = Some(st);
        text.push_str(&g);
    }
    if let Some(st) = current {
        spans.push(Span::styled(text, st));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, width: usize) -> Vec<String> {
        wrap_line(Line::from(text.to_string()), width)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn english_words_inside_japanese_are_never_split() {
        let r = rows("設定画面からrestartを実行してください", 16);
        assert_eq!(r, vec!["設定画面から", "restartを実行し", "てください"]);
        for row in &r {
            assert!(row.width() <= 16, "{row}");
        }
        // Between CJK characters anywhere, at spaces in English.
        assert_eq!(
            rows("Please send show crypto ipsec sa", 12),
            vec!["Please send", "show crypto", "ipsec sa"]
        );
    }

    #[test]
    fn continued_rows_keep_the_indent() {
        assert_eq!(
            rows("  お客様と電話で状況を確認。回避策として", 20),
            vec!["  お客様と電話で状況", "  を確認。回避策とし", "  て"]
        );
        assert_eq!(
            rows("  one two three four", 10),
            vec!["  one two", "  three", "  four"]
        );
    }

    #[test]
    fn a_word_longer_than_the_row_is_cut_and_short_lines_are_left_alone() {
        assert_eq!(rows("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(rows("short", 20), vec!["short"]);
        let (wrapped, starts) = wrap_lines(vec![Line::from("a b c d"), Line::from("x")], 3, |_| 0);
        assert_eq!(wrapped.len(), 3);
        assert_eq!(starts, vec![0, 2, 3]);
    }

    #[test]
    fn a_hanging_indent_sets_continued_rows_in() {
        let out = wrap_hanging(Line::from("04:00 [ESCALATION] Support engineer now"), 20, 2);
        let rows: Vec<String> = out.iter().map(|l| l.to_string()).collect();
        assert_eq!(
            rows,
            vec!["04:00 [ESCALATION]", "  Support engineer", "  now"]
        );
    }

    #[test]
    fn styles_stay_with_their_text() {
        let bold = Style::default().add_modifier(ratatui::style::Modifier::BOLD);
        let line = Line::from(vec![
            Span::styled("[CALL]", bold),
            Span::raw(" tanaka said"),
        ]);
        let out = wrap_line(line, 12);
        assert_eq!(out[0].spans[0].content, "[CALL]");
        assert_eq!(out[0].spans[0].style, bold);
    }
}
