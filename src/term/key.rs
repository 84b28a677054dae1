//! Keys as the config writes them (`j`, `ctrl-r`, `pagedown`) and the machinery both apps use
//! to bind them to their own actions: the TUI's commands (`[tui.keys]`) and the wallboard's
//! (`[wallboard.keys]`) are read by the same rules and refused with the same words.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key as written in the config: `j`, `G`, `ctrl-r`, `alt-x`, `enter`, `f5`, `pagedown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    ctrl: bool,
    alt: bool,
}

impl Key {
    /// The key of a terminal event (Shift is part of the character, except for BackTab).
    pub fn of(event: &KeyEvent) -> Key {
        let code = event.code;
        Key {
            code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// A key without modifiers.
    pub fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    /// Ctrl with a character.
    pub fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
        }
    }

    /// The key's code, without its modifiers.
    pub fn code(&self) -> KeyCode {
        self.code
    }

    /// Whether Ctrl or Alt is part of it.
    pub fn has_modifier(&self) -> bool {
        self.ctrl || self.alt
    }

    /// Reads the config's form of a key.
    pub fn parse(text: &str) -> Result<Key, String> {
        let expected = "expected a character, or ctrl-/alt- with one, or a named key (enter, esc, tab, backtab, up, down, left, right, home, end, pageup, pagedown, f1–f12)";
        let mut rest = text;
        let (mut ctrl, mut alt) = (false, false);
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower
                .strip_prefix("ctrl-")
                .or_else(|| lower.strip_prefix("c-"))
            {
                ctrl = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower
                .strip_prefix("alt-")
                .or_else(|| lower.strip_prefix("m-"))
            {
                alt = true;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" | "shift-tab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "backspace" => KeyCode::Backspace,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" => KeyCode::PageUp,
                "pagedown" => KeyCode::PageDown,
                "delete" | "del" => KeyCode::Delete,
                f if f.starts_with('f') => match f[1..].parse::<u8>() {
                    Ok(n @ 1..=12) => KeyCode::F(n),
                    _ => return Err(format!("unknown key '{text}': {expected}")),
                },
                _ => return Err(format!("unknown key '{text}': {expected}")),
            },
        };
        Ok(Key { code, ctrl, alt })
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Puts a config table of bindings (`"ctrl-t" = "take"`, `"t" = "none"` to unbind) over
/// `bindings`. `table` names the table in errors (`[tui.keys]`); `by_name` finds an action by
/// its config name, and `names` lists them all for the error that refuses an unknown one.
pub fn apply_overrides<A: Copy + Eq + Hash>(
    bindings: &mut HashMap<Key, A>,
    table: &str,
    overrides: &BTreeMap<String, String>,
    by_name: impl Fn(&str) -> Option<A>,
    names: &[&str],
) -> Result<(), String> {
    for (key_text, action) in overrides {
        let key = Key::parse(key_text).map_err(|e| format!("{table} {e}"))?;
        if action == "none" {
            bindings.remove(&key);
            continue;
        }
        let found = by_name(action).ok_or_else(|| {
            format!(
                "{table} '{key_text}' = '{action}': unknown command; expected none or one of {}",
                names.join(", ")
            )
        })?;
        bindings.insert(key, found);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_in_the_config_forms() {
        assert_eq!(Key::parse("ctrl-r").unwrap(), Key::ctrl('r'));
        assert_eq!(Key::parse("C-R").unwrap(), Key::ctrl('r'));
        assert_eq!(Key::parse("G").unwrap(), Key::plain(KeyCode::Char('G')));
        assert_eq!(
            Key::parse("pagedown").unwrap(),
            Key::plain(KeyCode::PageDown)
        );
        assert_eq!(Key::parse("f5").unwrap(), Key::plain(KeyCode::F(5)));
        let err = Key::parse("hyper-x").unwrap_err();
        assert!(err.contains("unknown key 'hyper-x'"), "{err}");
    }
}
