//! A customer's reply without the quoted history and the signature (the original is kept).
//!
//! Mail programs quote what they answer in a few well-known shapes: `>` lines, an attribution
//! line ("On … wrote:", "…さんは書きました："), or an Outlook header block ("From: … Sent: …",
//! "-----Original Message-----", "-----元のメッセージ-----"). Everything from the first of those
//! on is history; `>` lines elsewhere are quotes too. A signature starts at the `-- ` line, or
//! at a rule of dashes (or similar) followed by a short block at the end.

/// Most lines after a rule that still count as a signature block rather than text.
const SIGNATURE_LINES: usize = 8;

/// Lines an Outlook header block spans from `From:` to its `Sent:`/`Date:` line.
const HEADER_BLOCK: usize = 4;

/// The reply's own words: `text` without quoted history and signature. Never empty when
/// `text` has any text (then the untrimmed text, trimmed of blank edges, is returned).
pub fn trim(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.lines().collect();
    let end = history_start(&lines).map_or(lines.len(), |i| with_rule_above(&lines, i));
    let own: Vec<&str> = lines[..end]
        .iter()
        .copied()
        .filter(|l| !l.trim_start().starts_with('>'))
        .collect();
    let own = &own[..signature_start(&own).unwrap_or(own.len())];
    let trimmed = tidy(own);
    if trimmed.is_empty() {
        tidy(&lines)
    } else {
        trimmed
    }
}

/// The lines joined, without trailing spaces and blank lines at either end.
fn tidy(lines: &[&str]) -> String {
    let lines: Vec<&str> = lines.iter().map(|l| l.trim_end()).collect();
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    match (first, last) {
        (Some(first), Some(last)) => lines[first..=last].join("\n"),
        _ => String::new(),
    }
}

/// Where the quoted history begins: the first attribution line or header block.
fn history_start(lines: &[&str]) -> Option<usize> {
    (0..lines.len()).find(|&i| {
        let line = lines[i].trim();
        separator(line) || attribution(lines, i) || header_block(lines, i)
    })
}

/// Where the history starts when a rule (Outlook's line of underscores) sets it off above.
fn with_rule_above(lines: &[&str], start: usize) -> usize {
    let above = lines[..start].iter().rposition(|l| !l.trim().is_empty());
    match above {
        Some(i) if rule(lines[i]) => i,
        _ => start,
    }
}

/// "-----Original Message-----" and its Japanese form, with or without spaces.
fn separator(line: &str) -> bool {
    let inner = line.trim_matches(|c: char| c == '-' || c == ' ');
    line.starts_with("---")
        && (inner.eq_ignore_ascii_case("original message") || inner == "元のメッセージ")
}

/// "On Mon, 23 Nov 2026 at 10:00, Taro <t@example.com> wrote:" (possibly over two lines),
/// "…さんは書きました：", or a line with an address ending in a colon that a `>` quote follows.
fn attribution(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim();
    let ends_wrote = |l: &str| {
        let l = l.trim();
        l.ends_with("wrote:") || l.ends_with("書きました：") || l.ends_with("書きました:")
    };
    if ends_wrote(line)
        && (line.starts_with("On ") || line.contains('@') || quote_follows(lines, i))
    {
        return true;
    }
    if ends_wrote(line) && line.contains("書きました") {
        return true;
    }
    // The attribution wrapped: "On …, Taro <t@example.com>" then "wrote:".
    if line.starts_with("On ") && lines.get(i + 1).is_some_and(|next| next.trim() == "wrote:") {
        return true;
    }
    // "2026年11月23日(月) 10:00 山田 太郎 <t@example.com>:": an address, a colon, a quote.
    (line.ends_with(':') || line.ends_with('：'))
        && line.contains('@')
        && !line.starts_with('>')
        && quote_follows(lines, i)
}

/// Whether the next non-blank line after `i` is a `>` quote.
fn quote_follows(lines: &[&str], i: usize) -> bool {
    lines[i + 1..]
        .iter()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.trim_start().starts_with('>'))
}

/// An Outlook header block: `From:` (`差出人:`) with `Sent:`/`Date:` (`送信日時:`) right after.
fn header_block(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim();
    let from = ["From:", "差出人:", "差出人："]
        .iter()
        .any(|p| line.starts_with(p));
    from && lines[i + 1..]
        .iter()
        .take(HEADER_BLOCK)
        .map(|l| l.trim())
        .any(|l| {
            ["Sent:", "Date:", "送信日時:", "送信日時：", "日付:"]
                .iter()
                .any(|p| l.starts_with(p))
        })
}

/// Where the signature begins: the last `-- ` line, else a rule followed by a short block at
/// the end.
fn signature_start(lines: &[&str]) -> Option<usize> {
    if let Some(i) = lines.iter().rposition(|l| *l == "-- " || *l == "--") {
        return Some(i);
    }
    // The earliest rule with only a short block after it: a signature framed by two rules
    // starts at the first.
    (0..lines.len()).filter(|&i| rule(lines[i])).find(|&i| {
        let block = lines[i + 1..]
            .iter()
            .filter(|l| !l.trim().is_empty() && !rule(l))
            .count();
        (1..=SIGNATURE_LINES).contains(&block)
    })
}

/// A line that is only a rule: three or more of one of `-_=*━─＝`.
fn rule(line: &str) -> bool {
    let line = line.trim();
    let mut chars = line.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    matches!(first, '-' | '_' | '=' | '*' | '━' | '─' | '＝')
        && line.chars().count() >= 3
        && chars.all(|c| c == first)
}

#[cfg(test)]
mod tests {
    use super::trim;

    #[test]
    fn an_english_reply_loses_the_quote_and_the_signature() {
        let text = "Thanks, the new PSU works.\r\n\r\nTaro\r\n-- \r\nTaro Yamada\r\nExample Corp\r\n\r\nOn Mon, 23 Nov 2026 at 10:00, Support <support@example.test> wrote:\r\n> Please replace the PSU.\r\n> Regards\r\n";
        assert_eq!(trim(text), "Thanks, the new PSU works.\n\nTaro");
    }

    #[test]
    fn a_wrapped_attribution_and_inline_quotes_are_dropped() {
        let text = "> Did it reboot?\nYes, twice.\n\nOn Mon, 23 Nov 2026 at 10:00, Support\nwrote:\n> Did it reboot?\n";
        assert_eq!(trim(text), "Yes, twice.");
    }

    #[test]
    fn an_outlook_reply_loses_the_original_message() {
        let text = "It happened again at 09:12.\n\n-----Original Message-----\nFrom: Support <support@example.test>\nSent: Monday, November 23, 2026 10:00 AM\nSubject: [2026-1122-000123] PSU\n\nPlease send the logs.\n";
        assert_eq!(trim(text), "It happened again at 09:12.");
        let text = "Logs attached.\n\n________________________________\nFrom: Support <support@example.test>\nSent: Monday, November 23, 2026 10:00\nTo: Taro\n\nPlease send the logs.\n";
        assert_eq!(trim(text), "Logs attached.");
    }

    #[test]
    fn a_japanese_reply_loses_the_quote_and_the_signature() {
        let text = "お世話になっております。\n交換後、正常に動作しています。\n\n━━━━━━━━━━━━\n山田 太郎\n株式会社サンプル\n━━━━━━━━━━━━\n\nサポート さんは書きました：\n> 電源ユニットを交換してください。\n";
        assert_eq!(
            trim(text),
            "お世話になっております。\n交換後、正常に動作しています。"
        );
        let text = "ログを添付します。\n\n-----元のメッセージ-----\n差出人: Support <support@example.test>\n送信日時: 2026年11月23日 10:00\n件名: [2026-1122-000123] 電源\n\nログを送ってください。\n";
        assert_eq!(trim(text), "ログを添付します。");
        let text = "再起動しました。\n\n2026年11月23日(月) 10:00 Support <support@example.test>:\n> 再起動してください。\n";
        assert_eq!(trim(text), "再起動しました。");
    }

    #[test]
    fn a_rule_in_the_middle_of_the_text_is_no_signature() {
        let text = "Steps:\n---\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
        assert_eq!(trim(text), text.trim_end());
    }

    #[test]
    fn a_reply_that_is_all_quote_keeps_its_text() {
        let text = "> Please replace the PSU.\n> Regards\n";
        assert_eq!(trim(text), "> Please replace the PSU.\n> Regards");
        assert_eq!(trim("  \n"), "");
    }
}
