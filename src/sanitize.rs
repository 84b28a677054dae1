//! Untrusted text made safe to print (SPEC §5): whatever a customer or a server wrote must not
//! reach the terminal as a control sequence.

use std::borrow::Cow;

/// Columns a tab expands to.
const TAB: usize = 4;

/// `text` with every control character (C0, DEL, C1 such as `0x9B`), every bidirectional
/// override or isolate, and every escape sequence's introducer removed; tabs become spaces and
/// line breaks spaces too when `one_line`. Untouched text is returned borrowed.
pub fn clean(text: &str, one_line: bool) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| unsafe_char(c) || c == '\t' || c == '\n')
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.extend(std::iter::repeat_n(' ', TAB)),
            '\n' if one_line => out.push(' '),
            '\n' => out.push('\n'),
            c if unsafe_char(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Characters that change what a terminal does instead of being drawn.
pub fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c,
            '\u{202A}'..='\u{202E}' // embeddings and overrides
            | '\u{2066}'..='\u{2069}' // isolates
            | '\u{200E}' | '\u{200F}' | '\u{061C}' // marks
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_c1_and_bidi_never_survive() {
        let hostile =
            "ok\x1b[2J\x1b]0;pwned\x07\x1b]52;c;aGk=\x07\u{9b}31m\u{202E}evil\u{2066}\r\tend";
        let c = clean(hostile, true);
        assert!(!c.chars().any(unsafe_char), "{c:?}");
        assert!(!c.contains('\x1b') && !c.contains('\u{9b}'));
        assert!(c.starts_with("ok[2J]0;pwned"));
        assert!(c.ends_with("    end"));
        assert!(matches!(clean("日本語 plain", true), Cow::Borrowed(_)));
        assert_eq!(clean("a\nb", true), "a b");
        assert_eq!(clean("a\nb", false), "a\nb");
    }
}
