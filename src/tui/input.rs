//! A text field: one line or several, with a cursor that moves by character. Control
//! characters typed or pasted are refused, so nothing the user enters can reach the terminal
//! as a command when it is drawn.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

/// What a key did to a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The text or the cursor changed.
    Changed,
    /// The key is not an editing key.
    Ignored,
}

/// An editable text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Cursor position in characters.
    cursor: usize,
    multiline: bool,
}

impl TextInput {
    /// A one-line field.
    pub fn line(initial: &str) -> TextInput {
        let mut t = TextInput::default();
        t.set(initial);
        t
    }

    /// A multi-line field (Enter starts a new line).
    pub fn lines(initial: &str) -> TextInput {
        let mut t = TextInput {
            multiline: true,
            ..TextInput::default()
        };
        t.set(initial);
        t
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Whether it holds several lines.
    pub fn is_multiline(&self) -> bool {
        self.multiline
    }

    /// Replaces the text, cursor at the end.
    pub fn set(&mut self, text: &str) {
        self.text = text
            .chars()
            .filter(|&c| self.accepts(c))
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        self.cursor = self.text.chars().count();
    }

    fn accepts(&self, c: char) -> bool {
        (c == '\n' && self.multiline) || c == '\t' || !crate::sanitize::unsafe_char(c)
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    /// Inserts text at the cursor (typing or a paste).
    pub fn insert(&mut self, s: &str) {
        // A pasted CRLF is one line break, not two.
        let s = s.replace("\r\n", "\n");
        for c in s.chars() {
            let c = if c == '\r' { '\n' } else { c };
            if !self.accepts(c) {
                continue;
            }
            let at = self.byte_at(self.cursor);
            self.text.insert(at, if c == '\t' { ' ' } else { c });
            self.cursor += 1;
        }
    }

    /// Applies an editing key.
    pub fn key(&mut self, key: &KeyEvent) -> Edit {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('u') if ctrl => {
                let at = self.byte_at(self.cursor);
                self.text.drain(..at);
                self.cursor = 0;
            }
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char(c) if !ctrl => self.insert(&c.to_string()),
            KeyCode::Enter if self.multiline => self.insert("\n"),
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
            }
            KeyCode::Delete if self.cursor < self.text.chars().count() => {
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.text.chars().count()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.text.chars().count(),
            _ => return Edit::Ignored,
        }
        Edit::Changed
    }

    /// The cursor's line and display column (double-width characters count two).
    pub fn cursor_at(&self) -> (usize, usize) {
        let before = &self.text[..self.byte_at(self.cursor)];
        let line = before.matches('\n').count();
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        // Measured as it is drawn: emoji sequences reduced (see `sanitize`).
        (line, crate::sanitize::clean(&before[start..], true).width())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(t: &mut TextInput, code: KeyCode) {
        t.key(&KeyEvent::new(code, KeyModifiers::NONE));
    }

    #[test]
    fn edits_by_character_and_refuses_control_characters() {
        let mut t = TextInput::line("");
        t.insert("東京\x1b[31m\u{9b}2J\u{202e}");
        assert_eq!(t.text(), "東京[31m2J");
        press(&mut t, KeyCode::Home);
        press(&mut t, KeyCode::Right);
        press(&mut t, KeyCode::Backspace);
        assert_eq!(t.text(), "京[31m2J");
        assert_eq!(t.cursor_at(), (0, 0));
        press(&mut t, KeyCode::End);
        press(&mut t, KeyCode::Enter);
        assert_eq!(
            t.text(),
            "京[31m2J",
            "Enter is not text in a one-line field"
        );
    }

    #[test]
    fn multi_line_cursor_counts_wide_characters() {
        let mut t = TextInput::lines("first\n");
        t.insert("日本");
        assert_eq!(t.cursor_at(), (1, 4));
    }
}
