//! The words mail to a contact fills its templates with: priorities, statuses and instants,
//! in the contact's language and the site's time zone.

use chrono::{DateTime, Datelike, Utc, Weekday};
use chrono_tz::Tz;

use super::config::MailLanguage;
use crate::domain::{Priority, Status};

/// The priority's word: `Critical` in English, the seed guides' `緊急` in Japanese.
pub fn priority_label(priority: Priority, lang: MailLanguage) -> &'static str {
    match lang {
        MailLanguage::En => priority.label(),
        MailLanguage::Ja => priority.japanese(),
    }
}

/// What the priority means to the customer (SPEC §2.2), as a sentence.
pub fn priority_meaning(priority: Priority, lang: MailLanguage) -> &'static str {
    match (lang, priority) {
        (MailLanguage::En, Priority::P1) => {
            "Service is down or a mission-critical function is lost \
             (e.g. a production server is down and cannot be restored)."
        }
        (MailLanguage::En, Priority::P2) => {
            "Service is degraded: an intermittent issue affects critical functions, \
             hardware redundancy is lost, or backups keep failing."
        }
        (MailLanguage::En, Priority::P3) => {
            "No impact on critical functions: an issue in a lab or pre-production \
             network, or a time-bound question."
        }
        (MailLanguage::En, Priority::P4) => {
            "An information request, configuration question, cosmetic defect, \
             non-urgent RMA, or licence and activation matter."
        }
        (MailLanguage::Ja, Priority::P1) => {
            "サービスが停止している、またはミッションクリティカルな機能が失われている状態\
             （本番サーバーが停止し、復旧できない場合など）"
        }
        (MailLanguage::Ja, Priority::P2) => {
            "サービスの品質が低下している状態（重要な機能に断続的な障害が発生している、\
             ハードウェアの冗長性が失われている、バックアップの失敗が続いている場合など）"
        }
        (MailLanguage::Ja, Priority::P3) => {
            "重要な機能への影響がない状態（ラボや本番前のネットワークでの問題、\
             期限のあるご質問など）"
        }
        (MailLanguage::Ja, Priority::P4) => {
            "情報のご請求、設定に関するご質問、表示上の不具合、緊急ではないRMA、\
             ライセンスやアクティベーションに関するご依頼"
        }
    }
}

/// The case's status as the customer reads it.
pub fn status(status: Status, lang: MailLanguage) -> &'static str {
    match (lang, status) {
        (MailLanguage::En, Status::New) => "Received",
        (MailLanguage::En, Status::Open) => "In progress",
        (MailLanguage::En, Status::WaitingOnCustomer) => "Waiting for your reply",
        (MailLanguage::En, Status::WaitingOnEngineering) => "Under investigation by engineering",
        (MailLanguage::En, Status::Resolved) => "Resolved",
        (MailLanguage::En, Status::Closed) => "Closed",
        (MailLanguage::Ja, Status::New) => "受付済み",
        (MailLanguage::Ja, Status::Open) => "対応中",
        (MailLanguage::Ja, Status::WaitingOnCustomer) => "お客様からのご返信待ち",
        (MailLanguage::Ja, Status::WaitingOnEngineering) => "開発部門にて調査中",
        (MailLanguage::Ja, Status::Resolved) => "解決済み",
        (MailLanguage::Ja, Status::Closed) => "クローズ",
    }
}

/// A weekday's short name: `Thu`, `木`.
fn weekday(day: Weekday, lang: MailLanguage) -> &'static str {
    let (en, ja) = match day {
        Weekday::Mon => ("Mon", "月"),
        Weekday::Tue => ("Tue", "火"),
        Weekday::Wed => ("Wed", "水"),
        Weekday::Thu => ("Thu", "木"),
        Weekday::Fri => ("Fri", "金"),
        Weekday::Sat => ("Sat", "土"),
        Weekday::Sun => ("Sun", "日"),
    };
    match lang {
        MailLanguage::En => en,
        MailLanguage::Ja => ja,
    }
}

/// An instant in `zone`, with the zone's abbreviation so a reader elsewhere is not misled:
/// `Thu 26 Nov 2026, 14:00 JST`, `2026年11月26日(木) 14:00 JST`.
pub fn format_instant(at: DateTime<Utc>, zone: Tz, lang: MailLanguage) -> String {
    let local = at.with_timezone(&zone);
    let (day, time) = (format_day(at, zone, lang), local.format("%H:%M %Z"));
    match lang {
        MailLanguage::En => format!("{day}, {time}"),
        MailLanguage::Ja => format!("{day} {time}"),
    }
}

/// The day of an instant in `zone`: `Thu 26 Nov 2026`, `2026年11月26日(木)`.
pub fn format_day(at: DateTime<Utc>, zone: Tz, lang: MailLanguage) -> String {
    let local = at.with_timezone(&zone);
    let day = weekday(local.weekday(), lang);
    match lang {
        MailLanguage::En => format!("{day} {}", local.format("%-d %b %Y")),
        MailLanguage::Ja => format!(
            "{}年{}月{}日({day})",
            local.year(),
            local.month(),
            local.day()
        ),
    }
}

/// What a due instant that is not set reads as (no target under the contract, or already met).
fn not_set(lang: MailLanguage) -> String {
    match lang {
        MailLanguage::En => "to be confirmed by your engineer".to_owned(),
        MailLanguage::Ja => "担当者より別途ご連絡いたします".to_owned(),
    }
}

/// [`format_instant`] of a due instant that may not be set.
pub fn instant(at: Option<DateTime<Utc>>, zone: Tz, lang: MailLanguage) -> String {
    at.map_or_else(|| not_set(lang), |at| format_instant(at, zone, lang))
}

/// [`format_day`] of a due date that may not be set.
pub fn date(at: Option<DateTime<Utc>>, zone: Tz, lang: MailLanguage) -> String {
    at.map_or_else(|| not_set(lang), |at| format_day(at, zone, lang))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap()
    }

    #[test]
    fn instants_read_in_the_sites_zone_with_its_abbreviation() {
        let five_utc = at(2026, 11, 26, 5, 0);
        assert_eq!(
            format_instant(five_utc, chrono_tz::Asia::Tokyo, MailLanguage::En),
            "Thu 26 Nov 2026, 14:00 JST"
        );
        assert_eq!(
            format_instant(five_utc, chrono_tz::Asia::Tokyo, MailLanguage::Ja),
            "2026年11月26日(木) 14:00 JST"
        );
        // Late in UTC is the next day in Tokyo: the day and weekday follow the zone.
        assert_eq!(
            format_instant(
                at(2026, 1, 4, 23, 30),
                chrono_tz::Asia::Tokyo,
                MailLanguage::Ja
            ),
            "2026年1月5日(月) 08:30 JST"
        );
        assert_eq!(
            format_instant(
                at(2026, 7, 1, 16, 0),
                chrono_tz::America::New_York,
                MailLanguage::En
            ),
            "Wed 1 Jul 2026, 12:00 EDT"
        );
    }

    #[test]
    fn dates_and_unset_dues() {
        let due = Some(at(2026, 12, 10, 3, 0));
        assert_eq!(
            date(due, chrono_tz::Asia::Tokyo, MailLanguage::En),
            "Thu 10 Dec 2026"
        );
        assert_eq!(
            date(due, chrono_tz::Asia::Tokyo, MailLanguage::Ja),
            "2026年12月10日(木)"
        );
        assert_eq!(
            instant(None, chrono_tz::Asia::Tokyo, MailLanguage::En),
            "to be confirmed by your engineer"
        );
        assert_eq!(
            instant(None, chrono_tz::Asia::Tokyo, MailLanguage::Ja),
            "担当者より別途ご連絡いたします"
        );
    }

    #[test]
    fn priorities_and_statuses_have_words_in_both_languages() {
        assert_eq!(priority_label(Priority::P1, MailLanguage::En), "Critical");
        assert_eq!(priority_label(Priority::P1, MailLanguage::Ja), "緊急");
        assert_eq!(priority_label(Priority::P4, MailLanguage::Ja), "低");
        assert!(priority_meaning(Priority::P1, MailLanguage::En).starts_with("Service is down"));
        assert!(priority_meaning(Priority::P2, MailLanguage::Ja).contains("冗長性"));
        for p in Priority::ALL {
            for lang in [MailLanguage::En, MailLanguage::Ja] {
                // The meanings are continued over source lines: no doubled spaces left behind.
                assert!(!priority_meaning(p, lang).contains("  "), "{p:?} {lang:?}");
            }
        }
        assert_eq!(
            status(Status::WaitingOnCustomer, MailLanguage::En),
            "Waiting for your reply"
        );
        assert_eq!(status(Status::Resolved, MailLanguage::Ja), "解決済み");
    }
}
