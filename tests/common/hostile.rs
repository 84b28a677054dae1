//! Hostile text: what a customer or a broken server might send to take over a terminal (screen
//! clears, a window title, an OSC 52 clipboard write, a C1 CSI, a right-to-left override, a
//! tab), and the checks that none of it reaches an output as anything but inert characters.

/// Escape sequences of every kind a hostile customer might type.
pub const HOSTILE: &str =
    "\x1b[2J\x1b[H\x1b]0;PWNED\x07\x1b]52;c;cHduZWQ=\x07\u{9b}31m\u{202e}evil\u{202c}\tX";

/// What the sanitizer leaves of [`HOSTILE`] on one line: the controls gone, the printable rest
/// shown as it was, the tab as spaces.
pub const SHOWN: &str = "[2J[H]0;PWNED]52;c;cHduZWQ=31mevil    X";

/// The first character of `text` a terminal would act on or that reorders what it shows: a C0
/// control other than a line break, DEL, a C1 control, a bidirectional override, isolate or
/// mark.
pub fn acted_on(text: &str) -> Option<char> {
    text.chars().find(|c| {
        (c.is_control() && *c != '\n')
            || matches!(c,
                '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
                | '\u{200E}' | '\u{200F}' | '\u{061C}')
    })
}

/// Asserts that `text` (an output named `name`) holds nothing a terminal acts on.
pub fn assert_inert(name: &str, text: &str) {
    let bad = acted_on(text);
    assert!(bad.is_none(), "{name} holds {bad:?}:\n{text:?}");
}

/// Asserts that the raw bytes a program wrote to a terminal carry none of [`HOSTILE`]'s
/// sequences (the program's own escapes are fine).
pub fn assert_raw_clean(raw: &[u8]) {
    let find = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
    assert!(!find(b"\x1b]52"), "OSC 52 in the output");
    assert!(!find(b"\x1b]0;PWNED"), "the OSC title in the output");
    assert!(
        !find(b"\x1b[2J\x1b[H\x1b]"),
        "the hostile clear in the output"
    );
    assert!(!raw.contains(&0x07), "BEL in the output");
    assert!(!raw.contains(&b'\t'), "a tab in the output");
    let text = std::str::from_utf8(raw).expect("the output is UTF-8 (no lone 0x9b byte)");
    for c in ['\u{9b}', '\u{202e}', '\u{202c}'] {
        assert!(!text.contains(c), "{c:?} in the output");
    }
}
