//! Untrusted text made safe to print (SPEC §5): whatever a customer or a server wrote must not
//! reach the terminal as a control sequence, and every character cluster left is one that
//! terminals agree on the width of.
//!
//! Terminals disagree about emoji sequences: a family joined by zero-width joiners (`👨‍👩‍👧`) is
//! one glyph two columns wide in some and three glyphs six columns wide in others; a flag
//! (`🇯🇵`) is two columns, or two letters of one or two columns each; `❤️` (with variation
//! selector 16) is one column or two. Measuring cannot follow every terminal, so what is drawn
//! is reduced to clusters whose width `unicode-width` (and so ratatui) and `wcwidth` agree on:
//! a joined sequence keeps its first emoji, a flag becomes its two letters in brackets
//! (`[JP]`), variation selectors, skin-tone modifiers and tag characters are dropped, and at
//! most two combining marks stay on a character.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;

/// Columns a tab expands to.
const TAB: usize = 4;

/// `text` with every control character (C0, DEL, C1 such as `0x9B`), every bidirectional
/// override or isolate, and every escape sequence's introducer removed; tabs become spaces and
/// line breaks spaces too when `one_line`. Untouched text is returned borrowed.
/// Emoji sequences and other clusters terminals draw at different widths are reduced as the
/// module says. Untouched text is returned borrowed.
pub fn clean(text: &str, one_line: bool) -> Cow<'_, str> {
    let controls = text
        .chars()
        .any(|c| unsafe_char(c) || c == '\t' || c == '\n');
    if !controls && !text.chars().any(special) {
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
    if !out.chars().any(special) {
        return Cow::Owned(out);
    }
    let mut clusters = String::with_capacity(out.len());
    for g in out.graphemes(true) {
        clusters.push_str(&cluster(g));
    }
    Cow::Owned(clusters)
}

/// One grapheme cluster as it is drawn: reduced to what every terminal draws at the width
/// `unicode-width` gives it (see the module). A cluster without anything to reduce is
/// returned borrowed.
pub fn cluster(g: &str) -> Cow<'_, str> {
    if !g.chars().any(special) {
        return Cow::Borrowed(g);
    }
    let mut chars = g.chars();
    let Some(first) = chars.next() else {
        return Cow::Borrowed(g);
    };
    if regional(first) {
        // A flag, or a lone regional indicator: the letters, in brackets when a pair.
        let letters: String = g.chars().filter(|c| regional(*c)).map(ri_letter).collect();
        return Cow::Owned(if letters.chars().count() > 1 {
            format!("[{letters}]")
        } else {
            letters
        });
    }
    let mut out = String::new();
    if !dropped(first) {
        out.push(first);
    }
    let mut marks = 0;
    for c in chars {
        if c == ZWJ {
            // The rest of a joined sequence is another emoji: only the first one stays.
            break;
        }
        if dropped(c) || skin_tone(c) {
            continue;
        }
        if c.width() == Some(0) {
            marks += 1;
            if marks > MAX_MARKS {
                continue;
            }
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// Combining marks kept on one character: more pile up above and below the row.
const MAX_MARKS: usize = 2;

/// The zero-width joiner.
const ZWJ: char = '\u{200D}';

/// A character that makes a cluster need reducing (or may be a combining mark over the limit).
fn special(c: char) -> bool {
    !c.is_ascii() && (c.width() == Some(0) || regional(c) || skin_tone(c) || dropped(c))
}

/// Characters that are never drawn: variation selectors, tags, zero-width spaces and joiners
/// outside a sequence, the byte-order mark.
fn dropped(c: char) -> bool {
    matches!(c,
        '\u{FE00}'..='\u{FE0F}' // variation selectors
        | '\u{E0100}'..='\u{E01EF}' // variation selectors supplement
        | '\u{E0000}'..='\u{E007F}' // tags (subdivision flags)
        | '\u{200B}'..='\u{200D}' // zero-width space, non-joiner, joiner
        | '\u{2060}'..='\u{2064}' // word joiner and invisible operators
        | '\u{FEFF}' // byte-order mark
        | '\u{00AD}' // soft hyphen
    )
}

fn regional(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

fn ri_letter(c: char) -> char {
    char::from_u32(c as u32 - 0x1F1E6 + u32::from(b'A')).unwrap_or('?')
}

fn skin_tone(c: char) -> bool {
    ('\u{1F3FB}'..='\u{1F3FF}').contains(&c)
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

/// Longest file name kept, in characters.
const FILE_NAME_MAX: usize = 200;

/// A file name from outside (an upload, a mail, a server's `Content-Disposition`) as it may be
/// kept or saved: no directories, no control characters, no leading dots; `None` when nothing
/// is left.
pub fn file_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = clean(base, true).chars().take(FILE_NAME_MAX).collect();
    let clean = clean.trim().trim_start_matches('.').trim();
    (!clean.is_empty()).then(|| clean.to_string())
}

/// How much of a file [`looks_like_text`] reads.
const TEXT_SAMPLE: usize = 64 * 1024;

/// Whether content looks like text: no NUL and valid UTF-8 in its first 64 KiB (a character
/// cut at the sample's end is not held against it).
pub fn looks_like_text(content: &[u8]) -> bool {
    let head = &content[..content.len().min(TEXT_SAMPLE)];
    if head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    }
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

    use unicode_width::UnicodeWidthStr;

    /// The width of each character drawn one after the other, as a terminal that knows no
    /// sequences (`wcwidth`) lays them out.
    fn char_sum(s: &str) -> usize {
        s.chars().map(|c| c.width().unwrap_or(0)).sum()
    }

    #[test]
    fn emoji_sequences_become_clusters_every_terminal_draws_alike() {
        let cases = [
            // A family joined by ZWJ keeps its first member.
            ("👨\u{200D}👩\u{200D}👧 家族", "👨 家族"),
            // A flag is its letters.
            ("🇯🇵 flag", "[JP] flag"),
            ("🇺🇸🇯🇵", "[US][JP]"),
            // A lone regional indicator is its letter.
            ("x\u{1F1EF}", "xJ"),
            // Skin tones and variation selectors are dropped.
            ("👍\u{1F3FD}ok", "👍ok"),
            ("❤\u{FE0F}", "❤"),
            ("☺\u{FE0E}", "☺"),
            // A rainbow flag: white flag, VS16, ZWJ, rainbow.
            ("🏳\u{FE0F}\u{200D}🌈", "🏳"),
            // A subdivision flag: black flag and tags.
            (
                "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
                "🏴",
            ),
            // Zero-width spaces and a byte-order mark vanish.
            ("a\u{200B}b\u{FEFF}c\u{2060}d", "abcd"),
            // A combining mark stays; a pile of them is cut to two.
            ("e\u{0301}", "e\u{0301}"),
            ("Z\u{0301}\u{0302}\u{0303}\u{0304}!", "Z\u{0301}\u{0302}!"),
            // A keycap keeps its digit and the enclosing mark.
            ("1\u{FE0F}\u{20E3}", "1\u{20E3}"),
        ];
        for (input, want) in cases {
            let got = clean(input, true);
            assert_eq!(got, want, "{input:?}");
            // What is left measures the same as a cluster (ratatui) and char by char (a
            // terminal that knows no sequences).
            assert_eq!(got.width(), char_sum(&got), "{input:?} → {got:?}");
        }
        // Japanese and plain text are untouched and borrowed.
        assert!(matches!(clean("東京本社の VPN", true), Cow::Borrowed(_)));
        assert!(matches!(clean("café", true), Cow::Borrowed(_)));
    }

    #[test]
    fn a_cluster_alone_reduces_the_same_way() {
        assert_eq!(cluster("👨\u{200D}👩\u{200D}👧"), "👨");
        assert_eq!(cluster("🇯🇵"), "[JP]");
        assert_eq!(cluster("東"), "東");
        assert!(matches!(cluster("a"), Cow::Borrowed(_)));
    }

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(file_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(
            file_name("C:\\logs\\show tech.txt").as_deref(),
            Some("show tech.txt")
        );
        assert_eq!(
            file_name("a\u{1b}[31mb\r\n.log").as_deref(),
            Some("a[31mb .log")
        );
        assert_eq!(file_name("../"), None);
        assert_eq!(file_name(" \u{7}"), None);
        assert_eq!(file_name(".hidden").as_deref(), Some("hidden"));
        assert_eq!(file_name("ログ.txt").as_deref(), Some("ログ.txt"));
    }

    #[test]
    fn text_is_utf8_without_nul_even_cut_inside_a_character() {
        assert!(looks_like_text("障害ログ\n".as_bytes()));
        assert!(looks_like_text(&"障".as_bytes()[..2]));
        assert!(!looks_like_text(b"\x00\x01pcap"));
        assert!(!looks_like_text(b"\xff\xfe"));
    }
}
