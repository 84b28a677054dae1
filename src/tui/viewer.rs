//! The text viewer over a case's file (a log, a `show tech`, a config): line numbers, scrolling
//! by line and page, sideways scrolling for long lines, and a search whose matches are
//! highlighted and counted ("3/17"). The text is read once, off the event loop, into sanitized
//! lines with tabs expanded to their stops; nothing here does I/O.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthChar;

use super::input::TextInput;
use super::keymap::{Command, KeyMap, ListAction, ListScope};
use crate::sanitize::clean;

/// How much of a file the viewer reads; the rest is left out, with a notice.
pub const VIEW_CAP: usize = 50 * 1024 * 1024;
/// Columns between tab stops (as `less` and terminals set them).
const TAB_STOP: usize = 8;
/// Columns a sideways step moves.
const SIDE_STEP: usize = 8;

/// One match of the search: a line and the bytes of it that matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// The line (0-based).
    pub line: usize,
    /// Where the match starts in the line's text, in bytes.
    pub start: usize,
    /// Where it ends, in bytes.
    pub end: usize,
}

/// What a key in the viewer asks of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewerKey {
    /// Nothing beyond the viewer's own state.
    Stay,
    /// Close the viewer.
    Close,
    /// Save the file to disk.
    Save,
    /// Open the file in `$PAGER`.
    Pager,
}

/// A file's text on screen.
#[derive(Clone, PartialEq)]
pub struct Viewer {
    /// The attachment's id.
    pub id: i64,
    /// Its name, sanitized.
    pub name: String,
    /// Its lines, sanitized, tabs expanded (shared: the overlay moves, the text stays).
    pub lines: Arc<Vec<String>>,
    /// The widest line, in columns.
    pub widest: usize,
    /// The file's whole size when only the first [`VIEW_CAP`] bytes are shown.
    pub cut_from: Option<u64>,
    /// The first line on screen.
    pub top: usize,
    /// The first column on screen.
    pub left: usize,
    /// Text rows and columns the last frame had (pages and bringing a match into view).
    pub size: (usize, usize),
    /// The search being typed after `/`.
    pub typing: Option<TextInput>,
    /// The search last run.
    pub query: String,
    /// Its matches, in reading order.
    pub matches: Vec<Found>,
    /// The match the cursor is on.
    pub current: Option<usize>,
}

impl std::fmt::Debug for Viewer {
    // A log of 50 MiB is not printed in a failed assertion.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Viewer")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("lines", &self.lines.len())
            .field("top", &self.top)
            .field("left", &self.left)
            .field("query", &self.query)
            .field("matches", &self.matches.len())
            .field("current", &self.current)
            .finish()
    }
}

impl Viewer {
    /// The viewer over a file's bytes (invalid UTF-8 shown as U+FFFD); `size` is the file's
    /// whole size, which may be more than the bytes read.
    pub fn new(id: i64, name: &str, bytes: &[u8], size: u64) -> Viewer {
        let read = &bytes[..bytes.len().min(VIEW_CAP)];
        let cut = (size as usize > read.len()).then_some(size.max(bytes.len() as u64));
        let text = String::from_utf8_lossy(read);
        let mut lines: Vec<String> = text
            .split('\n')
            .map(|l| clean(&expand_tabs(l.strip_suffix('\r').unwrap_or(l)), true).into_owned())
            .collect();
        // A file ending in a line break has no empty line after it.
        if lines.len() > 1 && lines.last().is_some_and(String::is_empty) {
            lines.pop();
        }
        let widest = lines.iter().map(|l| width(l)).max().unwrap_or(0);
        Viewer {
            id,
            name: clean(name, true).into_owned(),
            lines: Arc::new(lines),
            widest,
            cut_from: cut,
            top: 0,
            left: 0,
            size: (20, 80),
            typing: None,
            query: String::new(),
            matches: Vec::new(),
            current: None,
        }
    }

    /// The last line that can be at the top (the last page ends on the last line).
    fn max_top(&self) -> usize {
        self.lines.len().saturating_sub(self.size.0.max(1))
    }

    /// Moves down (or up, negative) by `step` lines.
    pub fn scroll(&mut self, step: isize) {
        self.top = self.top.saturating_add_signed(step).min(self.max_top());
    }

    /// Lines a page moves: a screenful less one, so a line of context stays.
    fn page(&self) -> isize {
        self.size.0.saturating_sub(1).max(1) as isize
    }

    /// Takes a key; says what the app must do beyond the viewer.
    pub fn key(&mut self, key: &KeyEvent, keys: &KeyMap) -> ViewerKey {
        if let Some(input) = &mut self.typing {
            match key.code {
                KeyCode::Enter => {
                    let q = input.text().to_string();
                    self.typing = None;
                    self.search(&q);
                }
                KeyCode::Esc => self.typing = None,
                _ => {
                    input.key(key);
                }
            }
            return ViewerKey::Stay;
        }
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match key.code {
            KeyCode::Char('/') if plain => {
                self.typing = Some(TextInput::line(""));
                return ViewerKey::Stay;
            }
            KeyCode::Char('n') if plain => {
                self.step_match(true);
                return ViewerKey::Stay;
            }
            KeyCode::Char('N') if plain => {
                self.step_match(false);
                return ViewerKey::Stay;
            }
            KeyCode::Char('h') | KeyCode::Left if plain => {
                self.left = self.left.saturating_sub(SIDE_STEP);
                return ViewerKey::Stay;
            }
            KeyCode::Char('l') | KeyCode::Right if plain => {
                let last = self.widest.saturating_sub(self.size.1.max(1));
                self.left = (self.left + SIDE_STEP).min(last);
                return ViewerKey::Stay;
            }
            KeyCode::Char('|') if plain => return ViewerKey::Pager,
            _ => {}
        }
        match keys.list_action(ListScope::Files, key) {
            Some(ListAction::SaveFile) => return ViewerKey::Save,
            Some(ListAction::PageFile) => return ViewerKey::Pager,
            _ => {}
        }
        match keys.command(key) {
            Some(Command::Back | Command::Quit) => return ViewerKey::Close,
            Some(Command::Down) => self.scroll(1),
            Some(Command::Up) => self.scroll(-1),
            Some(Command::PageDown) => self.scroll(self.page()),
            Some(Command::PageUp) => self.scroll(-self.page()),
            Some(Command::Top) => self.top = 0,
            Some(Command::Bottom) => self.top = self.max_top(),
            _ => {}
        }
        ViewerKey::Stay
    }

    /// Finds every match of `q` (case-insensitive unless it has a capital letter) and goes to
    /// the first one at or below the top line (wrapping to the first of all).
    pub fn search(&mut self, q: &str) {
        self.query = q.to_string();
        self.matches.clear();
        self.current = None;
        if q.is_empty() {
            return;
        }
        let sensitive = q.chars().any(char::is_uppercase);
        // ASCII folding keeps byte offsets, so a match's bytes are the line's own.
        let needle = if sensitive {
            q.to_string()
        } else {
            q.to_ascii_lowercase()
        };
        for (i, line) in self.lines.iter().enumerate() {
            let folded;
            let hay = if sensitive {
                line.as_str()
            } else {
                folded = line.to_ascii_lowercase();
                folded.as_str()
            };
            self.matches
                .extend(hay.match_indices(&needle).map(|(at, m)| Found {
                    line: i,
                    start: at,
                    end: at + m.len(),
                }));
        }
        if self.matches.is_empty() {
            return;
        }
        let first = self
            .matches
            .iter()
            .position(|m| m.line >= self.top)
            .unwrap_or(0);
        self.go_to(first);
    }

    /// The next (or previous) match, wrapping around at either end.
    pub fn step_match(&mut self, forward: bool) {
        let n = self.matches.len();
        if n == 0 {
            return;
        }
        let next = match self.current {
            None => 0,
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
        };
        self.go_to(next);
    }

    /// Makes match `i` the current one and brings it on screen (a third of the way down when
    /// it was off screen, and sideways when it lies past the columns shown).
    fn go_to(&mut self, i: usize) {
        let Some(m) = self.matches.get(i).copied() else {
            return;
        };
        self.current = Some(i);
        let (rows, cols) = (self.size.0.max(1), self.size.1.max(1));
        if m.line < self.top || m.line >= self.top + rows {
            self.top = m.line.saturating_sub(rows / 3).min(self.max_top());
        }
        let line = &self.lines[m.line];
        let from = width(&line[..m.start]);
        let to = from + width(&line[m.start..m.end]);
        if from < self.left || to > self.left + cols {
            self.left = from.saturating_sub(cols / 4);
        }
    }

    /// "3/17" — the current match and how many there are — or `None` before a search.
    pub fn count(&self) -> Option<(usize, usize)> {
        if self.query.is_empty() {
            return None;
        }
        Some((self.current.map_or(0, |c| c + 1), self.matches.len()))
    }

    /// The matches on line `line`, with whether each is the current one.
    pub fn matches_on(&self, line: usize) -> impl Iterator<Item = (Found, bool)> + '_ {
        let from = self.matches.partition_point(|m| m.line < line);
        self.matches[from..]
            .iter()
            .enumerate()
            .take_while(move |(_, m)| m.line == line)
            .map(move |(k, m)| (*m, self.current == Some(from + k)))
    }
}

/// Display columns of sanitized text.
pub fn width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// Tabs replaced by spaces up to the next stop, counting wide (Japanese) characters as two.
fn expand_tabs(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains('\t') {
        return std::borrow::Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut col = 0;
    for c in line.chars() {
        if c == '\t' {
            let n = TAB_STOP - col % TAB_STOP;
            out.extend(std::iter::repeat_n(' ', n));
            col += n;
        } else {
            out.push(c);
            col += c.width().unwrap_or(0);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(lines: usize) -> Vec<u8> {
        (1..=lines)
            .map(|i| {
                if i % 10 == 0 {
                    format!("{i:04} ERROR link down on ge-0/0/{i}\n")
                } else {
                    format!("{i:04} info heartbeat ok\n")
                }
            })
            .collect::<String>()
            .into_bytes()
    }

    fn viewer(lines: usize) -> Viewer {
        let bytes = log(lines);
        let mut v = Viewer::new(7, "messages.log", &bytes, bytes.len() as u64);
        v.size = (10, 40);
        v
    }

    fn press(v: &mut Viewer, code: KeyCode) -> ViewerKey {
        v.key(&KeyEvent::from(code), &KeyMap::default())
    }

    fn typed(v: &mut Viewer, text: &str) {
        press(v, KeyCode::Char('/'));
        for c in text.chars() {
            press(v, KeyCode::Char(c));
        }
        press(v, KeyCode::Enter);
    }

    #[test]
    fn scrolling_stops_at_both_ends_and_pages_keep_a_line() {
        let mut v = viewer(100);
        assert_eq!(v.lines.len(), 100, "no empty line after the last break");
        press(&mut v, KeyCode::Char('j'));
        press(&mut v, KeyCode::Char('j'));
        assert_eq!(v.top, 2);
        press(&mut v, KeyCode::PageDown);
        assert_eq!(v.top, 11);
        press(&mut v, KeyCode::Char('G'));
        assert_eq!(v.top, 90, "the last page ends on the last line");
        press(&mut v, KeyCode::Char('j'));
        assert_eq!(v.top, 90);
        press(&mut v, KeyCode::PageUp);
        assert_eq!(v.top, 81);
        press(&mut v, KeyCode::Char('g'));
        assert_eq!(v.top, 0);
        press(&mut v, KeyCode::Char('k'));
        assert_eq!(v.top, 0);
        assert_eq!(press(&mut v, KeyCode::Esc), ViewerKey::Close);
    }

    #[test]
    fn search_counts_matches_moves_with_n_and_wraps() {
        let mut v = viewer(100);
        typed(&mut v, "error");
        assert_eq!(v.count(), Some((1, 10)), "case-insensitive in lower case");
        assert_eq!(
            v.matches[0],
            Found {
                line: 9,
                start: 5,
                end: 10
            }
        );
        press(&mut v, KeyCode::Char('n'));
        press(&mut v, KeyCode::Char('n'));
        assert_eq!(v.count(), Some((3, 10)));
        // Line 30 (index 29) is on screen: a third of the way down.
        assert!(v.top <= 29 && 29 < v.top + 10, "top {}", v.top);
        press(&mut v, KeyCode::Char('N'));
        press(&mut v, KeyCode::Char('N'));
        press(&mut v, KeyCode::Char('N'));
        assert_eq!(v.count(), Some((10, 10)), "wraps to the last");
        assert!(v.top <= 99 && 99 < v.top + 10);
        typed(&mut v, "ERROR link down on ge-0/0/50");
        assert_eq!(v.count(), Some((1, 1)));
        typed(&mut v, "Error");
        assert_eq!(v.count(), Some((0, 0)), "a capital makes it case-sensitive");
    }

    #[test]
    fn a_search_starts_from_the_top_line_and_esc_drops_what_was_typed() {
        let mut v = viewer(100);
        press(&mut v, KeyCode::Char('G'));
        typed(&mut v, "error");
        assert_eq!(v.current, Some(9), "the first match at or after line 91");
        press(&mut v, KeyCode::Char('/'));
        press(&mut v, KeyCode::Char('x'));
        press(&mut v, KeyCode::Esc);
        assert_eq!(v.typing, None);
        assert_eq!(v.query, "error", "the last search stays");
        assert_eq!(v.matches_on(99).collect::<Vec<_>>().len(), 1);
        assert!(v.matches_on(99).all(|(_, current)| current));
        assert_eq!(v.matches_on(98).count(), 0);
    }

    #[test]
    fn tabs_japanese_and_control_characters_are_made_safe() {
        let text = "a\tb\r\n障害\tx\n\x1b[31mred\x07\n";
        let v = Viewer::new(1, "a\x1bb.txt", text.as_bytes(), text.len() as u64);
        assert_eq!(v.lines[0], "a       b");
        assert_eq!(
            v.lines[1], "障害    x",
            "a wide character counts two columns"
        );
        assert!(!v.lines[2].contains('\x1b') && !v.lines[2].contains('\x07'));
        assert!(!v.name.contains('\x1b'));
        assert_eq!(v.cut_from, None);
    }

    #[test]
    fn japanese_search_and_sideways_scroll_to_a_match_far_right() {
        let line = format!("{}ネットワーク障害\n", " ".repeat(200));
        let mut v = Viewer::new(1, "j.log", line.as_bytes(), line.len() as u64);
        v.size = (10, 40);
        typed(&mut v, "障害");
        assert_eq!(v.count(), Some((1, 1)));
        assert!(v.left > 150 && v.left <= 212, "left {}", v.left);
        let at = v.left;
        press(&mut v, KeyCode::Char('h'));
        press(&mut v, KeyCode::Char('h'));
        assert_eq!(v.left, at - 16);
        for _ in 0..100 {
            press(&mut v, KeyCode::Char('l'));
        }
        assert_eq!(
            v.left,
            v.widest - 40,
            "stops when the widest line's end shows"
        );
    }

    #[test]
    fn a_file_over_the_cap_is_cut_with_its_size_kept() {
        let v = Viewer::new(1, "big.log", b"line\n", 60 * 1024 * 1024);
        assert_eq!(v.cut_from, Some(60 * 1024 * 1024));
    }
}
