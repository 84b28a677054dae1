//! Fitting a label into a column (a wallboard tile, a picker row): cut where a word ends (between
//! Japanese characters, or at a space or dash in English), never inside an English word or a
//! part number, and say so with "…".

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// `text` in at most `width` columns: whole if it fits, else cut at the last word boundary
/// that leaves room for "…" (at a grapheme only when the first word alone is too long).
pub fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let room = width - 1; // for "…"
    let graphemes: Vec<&str> = text.graphemes(true).collect();
    // How many graphemes fit in `room`.
    let mut used = 0;
    let mut fit = 0;
    for g in &graphemes {
        let w = g.width();
        if used + w > room {
            break;
        }
        used += w;
        fit += 1;
    }
    // The last boundary at or before `fit` where a word ends.
    let boundary = (1..=fit)
        .rev()
        .find(|&i| i < graphemes.len() && breaks_between(graphemes[i - 1], graphemes[i]));
    // A boundary that leaves less than half the room would show almost nothing: cut the long
    // word instead.
    let end = match boundary {
        Some(i) if graphemes[..i].concat().width() * 2 >= room => i,
        _ => fit,
    };
    let mut out: String = graphemes[..end].concat();
    // A cut after "a -" or "x," reads better as "a…".
    let trimmed = out
        .trim_end_matches(|c: char| c.is_whitespace() || "-–—,;:/・、".contains(c))
        .len();
    if trimmed > 0 {
        out.truncate(trimmed);
    }
    out.push('…');
    out
}

/// Whether a label may be cut between grapheme `a` and grapheme `b`: where a line may break,
/// or after a dash or slash, which ends a part of an English word or a part number.
fn breaks_between(a: &str, b: &str) -> bool {
    use crate::linebreak::{last, may_break};
    may_break(a, b) || matches!(last(a), '-' | '–' | '—' | '/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_stays_whole() {
        assert_eq!(cut("Osaka DC", 8), "Osaka DC");
        assert_eq!(cut("東京本社", 8), "東京本社");
    }

    #[test]
    fn english_is_cut_after_a_whole_word() {
        assert_eq!(
            cut("Backup job fails with error E1234 after upgrade", 22),
            "Backup job fails with…"
        );
        assert_eq!(cut("Frankfurt DC", 11), "Frankfurt…");
        assert_eq!(
            cut("Storage array degraded – controller B offline", 26),
            "Storage array degraded…"
        );
        // One word longer than the column: cut inside it, the only way to show anything.
        assert_eq!(cut("Supercalifragilistic", 8), "Superca…");
    }

    #[test]
    fn japanese_is_cut_between_characters_not_inside_english_words() {
        let cut_ja = cut("C9300-48P の電源ユニット PS2 故障", 20);
        assert_eq!(cut_ja, "C9300-48P の電源ユ…");
        assert!(cut_ja.width() <= 20);
        // Never inside "PS2", never before "）".
        assert_eq!(cut("電源ユニット PS2 故障", 16), "電源ユニット…");
        assert_eq!(
            cut("VPN トンネルが切断される（東京本社）", 34),
            "VPN トンネルが切断される（東京本…"
        );
        assert_eq!(cut("名古屋工場（第二）", 13), "名古屋工場…");
    }

    #[test]
    fn every_cut_fits_its_width() {
        let texts = [
            "管理画面にログインできない（SSO エラー AADSTS50011）",
            "Feature request: export the queue to CSV",
            "eBGP peer 198.51.100.106 keeps resetting (hold timer expired)",
        ];
        for t in texts {
            for w in 0..60 {
                let c = cut(t, w);
                assert!(c.width() <= w, "{t:?} at {w}: {c:?}");
            }
        }
    }
}
