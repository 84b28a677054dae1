//! The bytes that reach an engineer whose terminal is in the background: the bell, and a
//! desktop notification as OSC 9 (iTerm2, WezTerm, Windows Terminal, foot, kitty) and OSC 777
//! (rxvt, VTE terminals such as GNOME Terminal, Ghostty). A terminal that knows neither
//! ignores them. Inside tmux or GNU screen each sequence is wrapped so it reaches the outer
//! terminal; the bell needs no wrapping (tmux marks the window and passes it on).

use std::io::{self, Write};

/// The title of every desktop notification.
pub const TITLE: &str = "casedesk";

/// The longest body, in characters: notifications show one line, and GNU screen cuts a long
/// DCS string.
pub const MAX_BODY: usize = 100;

/// One alert as the terminal receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Ring the bell.
    pub bell: bool,
    /// Send a desktop notification.
    pub desktop: bool,
    /// The notification's text (cleaned and cut here).
    pub body: String,
}

/// What the terminal runs inside, which decides how a sequence is passed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mux {
    /// Nothing: the sequences go as they are.
    Plain,
    /// tmux: `ESC P tmux; … ESC \` with every ESC doubled (needs `allow-passthrough on`).
    Tmux,
    /// GNU screen: `ESC P … ESC \`.
    Screen,
}

impl Mux {
    /// From `TMUX`, `STY` and `TERM`: tmux when `TMUX` is set, screen when `STY` is set or
    /// `TERM` starts with `screen` outside tmux.
    pub fn detect(tmux: Option<&str>, sty: Option<&str>, term: Option<&str>) -> Mux {
        let set = |v: Option<&str>| v.is_some_and(|v| !v.is_empty());
        if set(tmux) {
            Mux::Tmux
        } else if set(sty) || term.is_some_and(|t| t.starts_with("screen")) {
            Mux::Screen
        } else {
            Mux::Plain
        }
    }

    /// From the process environment.
    pub fn from_env() -> Mux {
        let var = |k: &str| std::env::var(k).ok();
        Mux::detect(
            var("TMUX").as_deref(),
            var("STY").as_deref(),
            var("TERM").as_deref(),
        )
    }

    fn wrap(self, seq: &str, out: &mut Vec<u8>) {
        match self {
            Mux::Plain => out.extend_from_slice(seq.as_bytes()),
            Mux::Tmux => {
                out.extend_from_slice(b"\x1bPtmux;");
                out.extend_from_slice(seq.replace('\x1b', "\x1b\x1b").as_bytes());
                out.extend_from_slice(b"\x1b\\");
            }
            Mux::Screen => {
                out.extend_from_slice(b"\x1bP");
                out.extend_from_slice(seq.as_bytes());
                out.extend_from_slice(b"\x1b\\");
            }
        }
    }
}

/// A body fit for a notification: one line, no control characters or escapes, no `;` (which
/// separates OSC 777's fields), at most [`MAX_BODY`] characters.
pub fn body(text: &str) -> String {
    let clean = crate::sanitize::clean(text, true);
    let line: String = clean
        .chars()
        .map(|c| if c == ';' { ',' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if line.chars().count() <= MAX_BODY {
        return line;
    }
    let mut cut: String = line.chars().take(MAX_BODY - 1).collect();
    cut.push('…');
    cut
}

/// The bytes of one notice: BEL, then OSC 9, then OSC 777, each wrapped for `mux`.
pub fn bytes(notice: &Notice, mux: Mux) -> Vec<u8> {
    let mut out = Vec::new();
    if notice.bell {
        out.push(0x07);
    }
    let text = body(&notice.body);
    if notice.desktop && !text.is_empty() {
        mux.wrap(&format!("\x1b]9;{text}\x07"), &mut out);
        mux.wrap(&format!("\x1b]777;notify;{TITLE};{text}\x07"), &mut out);
    }
    out
}

/// Writes a notice to the terminal; called between frames, never inside one.
pub fn send(notice: &Notice, mux: Mux) -> io::Result<()> {
    let bytes = bytes(notice, mux);
    if bytes.is_empty() {
        return Ok(());
    }
    let mut out = io::stdout().lock();
    out.write_all(&bytes)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(body: &str) -> Notice {
        Notice {
            bell: true,
            desktop: true,
            body: body.into(),
        }
    }

    #[test]
    fn plain_is_bel_then_osc_9_then_osc_777() {
        assert_eq!(
            bytes(&notice("new P1: 2026-1126-000001"), Mux::Plain),
            b"\x07\x1b]9;new P1: 2026-1126-000001\x07\x1b]777;notify;casedesk;new P1: 2026-1126-000001\x07"
        );
    }

    #[test]
    fn tmux_wraps_each_sequence_and_doubles_its_escapes() {
        assert_eq!(
            bytes(&notice("x"), Mux::Tmux),
            b"\x07\x1bPtmux;\x1b\x1b]9;x\x07\x1b\\\x1bPtmux;\x1b\x1b]777;notify;casedesk;x\x07\x1b\\"
        );
    }

    #[test]
    fn screen_wraps_each_sequence_in_a_dcs() {
        assert_eq!(
            bytes(&notice("x"), Mux::Screen),
            b"\x07\x1bP\x1b]9;x\x07\x1b\\\x1bP\x1b]777;notify;casedesk;x\x07\x1b\\"
        );
    }

    #[test]
    fn bell_and_desktop_are_each_optional() {
        let mut n = notice("x");
        n.desktop = false;
        assert_eq!(bytes(&n, Mux::Tmux), b"\x07");
        n.bell = false;
        assert!(bytes(&n, Mux::Plain).is_empty());
        n.desktop = true;
        assert_eq!(
            bytes(&n, Mux::Plain),
            b"\x1b]9;x\x07\x1b]777;notify;casedesk;x\x07"
        );
    }

    #[test]
    fn the_body_is_one_clean_short_line() {
        assert_eq!(
            body("a\x1b]0;evil\x07b;c\n d\u{9b}2J"),
            "a]0,evilb,c d2J",
            "no escape, no BEL, no ';', one line"
        );
        let long = "あ".repeat(300);
        let cut = body(&long);
        assert_eq!(cut.chars().count(), MAX_BODY);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn the_multiplexer_is_told_by_the_environment() {
        assert_eq!(
            Mux::detect(
                Some("/tmp/tmux-1/default,1,0"),
                None,
                Some("screen-256color")
            ),
            Mux::Tmux
        );
        assert_eq!(Mux::detect(None, Some("123.pts-0"), None), Mux::Screen);
        assert_eq!(Mux::detect(None, None, Some("screen.xterm")), Mux::Screen);
        assert_eq!(
            Mux::detect(Some(""), None, Some("xterm-256color")),
            Mux::Plain
        );
    }
}
