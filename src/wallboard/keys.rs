//! The wallboard's keys: its few actions and the keys bound to them, remappable in the
//! config's `[wallboard.keys]` by the same rules as the TUI's `[tui.keys]`. In kiosk mode no
//! key does anything but the quit chord (`[wallboard] quit`).

use std::collections::{BTreeMap, HashMap};

use crossterm::event::{KeyCode, KeyEvent};

use crate::term::key::{Key, apply_overrides};

/// Something a key can ask of the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Leave the board.
    Quit,
    /// Show the next page.
    NextPage,
    /// Show the previous page.
    PrevPage,
    /// Stop or restart the rotation.
    Pin,
    /// Fetch the counts and lists now.
    Refresh,
}

impl Action {
    /// Every action, in the README's order.
    pub const ALL: [Action; 5] = [
        Action::Quit,
        Action::NextPage,
        Action::PrevPage,
        Action::Pin,
        Action::Refresh,
    ];

    /// The action's name in `[wallboard.keys]`.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::NextPage => "next-page",
            Action::PrevPage => "prev-page",
            Action::Pin => "pin",
            Action::Refresh => "refresh",
        }
    }

    /// An action by its config name.
    pub fn by_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// Keys to actions, and whether only the quit chord is heard.
#[derive(Debug, Clone)]
pub struct KeyMap {
    bindings: HashMap<Key, Action>,
    /// Quits always, and is the only key heard in kiosk mode.
    quit: Key,
    kiosk: bool,
}

impl KeyMap {
    /// The default bindings with the config's `[wallboard.keys]` over them (`"none"` unbinds a
    /// key); `quit` is the quit chord, `kiosk` whether it is the only key heard.
    pub fn new(
        overrides: &BTreeMap<String, String>,
        quit: Key,
        kiosk: bool,
    ) -> Result<KeyMap, String> {
        let mut bindings = HashMap::new();
        for (code, action) in [
            (KeyCode::Char('q'), Action::Quit),
            (KeyCode::Esc, Action::Quit),
            (KeyCode::Right, Action::NextPage),
            (KeyCode::Char('l'), Action::NextPage),
            (KeyCode::Char(' '), Action::NextPage),
            (KeyCode::Left, Action::PrevPage),
            (KeyCode::Char('h'), Action::PrevPage),
            (KeyCode::Char('p'), Action::Pin),
            (KeyCode::Char('r'), Action::Refresh),
        ] {
            bindings.insert(Key::plain(code), action);
        }
        let names = Action::ALL.map(Action::name);
        apply_overrides(
            &mut bindings,
            "[wallboard.keys]",
            overrides,
            Action::by_name,
            &names,
        )?;
        Ok(KeyMap {
            bindings,
            quit,
            kiosk,
        })
    }

    /// The action a key event asks for. A key with Ctrl or Alt that is not bound as such does
    /// what the key alone does (as the board's keys always have).
    pub fn action(&self, event: &KeyEvent) -> Option<Action> {
        let key = Key::of(event);
        if key == self.quit {
            return Some(Action::Quit);
        }
        if self.kiosk {
            return None;
        }
        self.bindings
            .get(&key)
            .or_else(|| self.bindings.get(&Key::plain(key.code())))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn defaults(kiosk: bool) -> KeyMap {
        KeyMap::new(&BTreeMap::new(), Key::ctrl('q'), kiosk).unwrap()
    }

    #[test]
    fn the_default_keys() {
        let map = defaults(false);
        let cases = [
            (KeyCode::Char('q'), Some(Action::Quit)),
            (KeyCode::Esc, Some(Action::Quit)),
            (KeyCode::Right, Some(Action::NextPage)),
            (KeyCode::Char('l'), Some(Action::NextPage)),
            (KeyCode::Char(' '), Some(Action::NextPage)),
            (KeyCode::Left, Some(Action::PrevPage)),
            (KeyCode::Char('h'), Some(Action::PrevPage)),
            (KeyCode::Char('p'), Some(Action::Pin)),
            (KeyCode::Char('r'), Some(Action::Refresh)),
            (KeyCode::Char('x'), None),
        ];
        for (code, action) in cases {
            assert_eq!(map.action(&press(code)), action, "{code:?}");
        }
        let ctrl_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(map.action(&ctrl_q), Some(Action::Quit), "the quit chord");
    }

    #[test]
    fn kiosk_mode_hears_only_the_quit_chord() {
        let map = defaults(true);
        for code in [
            KeyCode::Char('q'),
            KeyCode::Esc,
            KeyCode::Right,
            KeyCode::Char('r'),
        ] {
            assert_eq!(map.action(&press(code)), None, "{code:?}");
        }
        let ctrl_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(map.action(&ctrl_q), Some(Action::Quit));
    }

    #[test]
    fn keys_are_remapped_and_unbound_from_the_config() {
        let overrides = BTreeMap::from([
            ("n".to_string(), "next-page".to_string()),
            ("ctrl-r".to_string(), "refresh".to_string()),
            ("q".to_string(), "none".to_string()),
        ]);
        let map = KeyMap::new(&overrides, Key::ctrl('x'), false).unwrap();
        assert_eq!(
            map.action(&press(KeyCode::Char('n'))),
            Some(Action::NextPage)
        );
        let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(map.action(&ctrl_r), Some(Action::Refresh));
        assert_eq!(map.action(&press(KeyCode::Char('q'))), None, "unbound");
        assert_eq!(map.action(&press(KeyCode::Esc)), Some(Action::Quit));
    }

    #[test]
    fn an_unknown_action_or_key_is_refused_with_what_is_expected() {
        let bad = BTreeMap::from([("x".to_string(), "explode".to_string())]);
        let err = KeyMap::new(&bad, Key::ctrl('q'), false).unwrap_err();
        assert_eq!(
            err,
            "[wallboard.keys] 'x' = 'explode': unknown command; expected none or one of quit, next-page, prev-page, pin, refresh"
        );
        let bad = BTreeMap::from([("hyper-x".to_string(), "quit".to_string())]);
        let err = KeyMap::new(&bad, Key::ctrl('q'), false).unwrap_err();
        assert!(
            err.starts_with("[wallboard.keys] unknown key 'hyper-x': expected a character"),
            "{err}"
        );
    }
}
