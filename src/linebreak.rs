//! Where a line of mixed Japanese and English text may break, shared by the TUI's wrapping and
//! the wallboard's cut labels: between any two CJK characters or at a space, never inside an
//! English word, and never so that a closing mark starts a line or an opening one ends it.

use unicode_width::UnicodeWidthStr;

/// Characters a Japanese line never starts with: a break before them would strand them.
const NO_BREAK_BEFORE: &str = "、。，．）」』】〕ー・：；！？ぁぃぅぇぉっゃゅょァィゥェォッャュョ";
/// Characters a Japanese line never ends with.
const NO_BREAK_AFTER: &str = "（「『【〔";

/// Whether a line may break between grapheme `a` and grapheme `b`.
pub fn may_break(a: &str, b: &str) -> bool {
    if is_space(a) || is_space(b) {
        return true;
    }
    if NO_BREAK_BEFORE.contains(first(b)) || NO_BREAK_AFTER.contains(last(a)) {
        return false;
    }
    a.width() >= 2 || b.width() >= 2
}

/// Whether a grapheme is white space.
pub fn is_space(g: &str) -> bool {
    g.chars().all(char::is_whitespace)
}

/// A grapheme's first character.
pub fn first(g: &str) -> char {
    g.chars().next().unwrap_or(' ')
}

/// A grapheme's last character.
pub fn last(g: &str) -> char {
    g.chars().next_back().unwrap_or(' ')
}

#[cfg(test)]
mod tests {
    use super::may_break;

    #[test]
    fn breaks_between_cjk_and_at_spaces_never_inside_words_or_before_closing_marks() {
        assert!(may_break("電", "源"));
        assert!(may_break("S", "の"));
        assert!(may_break("d", " "));
        assert!(!may_break("P", "S"));
        assert!(!may_break("源", "、"));
        assert!(!may_break("（", "東"));
    }
}
