//! The SLA pane's P1 reachability line at a fixed instant: from when the temporary downgrade
//! is available (in the user's zone), then that it is available and by which key — in English
//! and Japanese, and following a remapped key.

mod common;

use std::collections::BTreeMap;

use casedesk::api::Case;
use casedesk::cache::CachedCase;
use casedesk::config::DisplayZone;
use casedesk::sla::Calendars;
use casedesk::term::text::Lang;
use casedesk::term::theme::{ColorDepth, Theme};
use casedesk::tui::app::{App, Effect, Hit, Msg, Pane, Settings};
use casedesk::tui::keymap::KeyMap;
use casedesk::tui::queue::Row;
use casedesk::tui::ui;
use casedesk::tui::views::View;
use chrono::{DateTime, Duration, Utc};
use common::drawing::{NOW, at, now, summary_json};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use serde_json::{Value, json};

const NUMBER: &str = "2026-1124-000101";

/// A P1 whose customer has not answered since `failing` minutes before now.
fn unreachable_p1(failing: i64) -> Case {
    let since = now() - Duration::minutes(failing);
    let available = since + Duration::hours(1);
    let mut case = summary_json(json!({
        "number": NUMBER, "subject": "Core switch down", "priority": "P1", "status": "new",
        "tier": "tac-care", "channel": "phone",
    }));
    let detail = json!({
        "description": "", "software_version": "", "contact_email": "",
        "contact_phone": "045-662-3108", "preferred_contact": "phone",
        "user_type": "business_user", "problem_reports": [], "attachments": [],
        "entitlement": null, "unentitled": false, "close_reason": null,
        "notes": [], "history": [], "escalations": [], "rmas": [],
        "clocks": {
            "at": NOW,
            "clocks": [{
                "kind": "first_response", "state": "running", "target": "1h 24x7",
                "calendar": "24x7", "started_at": at(-failing - 5), "due": at(55 - failing),
                "met_at": null, "remaining_secs": (55 - failing) * 60,
                "remaining_working_secs": (55 - failing) * 60, "counting": true,
                "earlier_breaches": 0
            }],
            "p1_contact": {
                "failing_since": instant(since), "downgrade_available_at": instant(available),
                "downgrade_available": false, "temporarily_downgraded": false
            }
        }
    });
    let (Value::Object(m), Value::Object(d)) = (&mut case, detail) else {
        unreachable!()
    };
    m.extend(d);
    serde_json::from_value(case).unwrap()
}

fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// An app at [`NOW`] in `zone`, with the case open in the wide layout.
fn app(lang: Lang, zone: &str, keys: KeyMap, case: Case) -> App {
    let settings = Settings {
        keys,
        views: View::defaults_in(lang),
        lang,
        zone: DisplayZone::named(zone).unwrap(),
        profile: "tokyo".into(),
        timeline: Default::default(),
        clipboard: true,
        demo: false,
    };
    let mut app = App::new(settings, Calendars::builtin(), now());
    let effects = app.update(Msg::Cases(vec![Row::new(case.summary.clone())], Vec::new()));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::LoadCase(..))),
        "{effects:?}"
    );
    app.update(Msg::Detail(
        case.summary.number,
        Some(Box::new(CachedCase {
            case,
            etag: None,
            fetched_at: now(),
        })),
    ));
    app
}

/// The SLA pane as text, trailing spaces trimmed.
fn sla_pane(app: &App) -> String {
    let area = Rect::new(0, 0, 160, 48);
    let mut buf = Buffer::empty(area);
    let theme = Theme::builtin("dark", ColorDepth::Ansi16).unwrap();
    let drawn = ui::draw(app, &theme, &mut buf);
    let pane = drawn
        .hits
        .iter()
        .find(|(_, h)| *h == Hit::Pane(Pane::Clocks))
        .map(|(r, _)| *r)
        .expect("the SLA pane is drawn");
    (pane.top()..pane.bottom())
        .map(|y| {
            // The pane's own cells; a wide glyph's second cell is skipped.
            let mut line = String::new();
            let mut skip = 0;
            for x in pane.left()..pane.right() {
                let symbol = buf[(x, y)].symbol();
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                line.push_str(symbol);
                skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            }
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_sla_pane_says_from_when_the_downgrade_is_available_in_the_users_zone() {
    // Failing since 04:40 UTC: available at 05:40 UTC, 14:40 in Tokyo.
    let tokyo = sla_pane(&app(
        Lang::En,
        "Asia/Tokyo",
        KeyMap::default(),
        unreachable_p1(20),
    ));
    assert!(tokyo.contains("downgrade available 14:40"), "{tokyo}");
    assert!(!tokyo.contains("available now"), "{tokyo}");
    insta::assert_snapshot!("sla_downgrade_available_at", tokyo);

    let utc = sla_pane(&app(Lang::En, "UTC", KeyMap::default(), unreachable_p1(20)));
    assert!(utc.contains("downgrade available 05:40"), "{utc}");

    let ja = sla_pane(&app(
        Lang::Ja,
        "Asia/Tokyo",
        KeyMap::default(),
        unreachable_p1(20),
    ));
    assert!(
        ja.contains("P2 への一時引き下げが可能になる時刻 14:40"),
        "{ja}"
    );
}

#[test]
fn once_available_the_pane_says_so_and_names_the_key() {
    let mut app = app(
        Lang::En,
        "Asia/Tokyo",
        KeyMap::default(),
        unreachable_p1(20),
    );
    // The server's report is from 05:00; at 05:40 the downgrade becomes available as time
    // passes, without a new report.
    app.update(Msg::Tick(now() + Duration::minutes(40)));
    let pane = sla_pane(&app);
    assert!(pane.contains("downgrade available now — p"), "{pane}");
    insta::assert_snapshot!("sla_downgrade_available_now", pane);

    // A remapped priority key is the one named.
    let keys = KeyMap::with_overrides(&BTreeMap::from([
        ("p".to_string(), "none".to_string()),
        ("ctrl-p".to_string(), "priority".to_string()),
    ]))
    .unwrap();
    let pane = sla_pane(&app_with(keys, 61));
    assert!(pane.contains("downgrade available now — Ctrl-p"), "{pane}");

    let ja = sla_pane(&self::app(
        Lang::Ja,
        "Asia/Tokyo",
        KeyMap::default(),
        unreachable_p1(61),
    ));
    assert!(ja.contains("P2 への一時引き下げが可能 — p"), "{ja}");
}

fn app_with(keys: KeyMap, failing: i64) -> App {
    app(Lang::En, "Asia/Tokyo", keys, unreachable_p1(failing))
}

#[test]
fn a_case_that_is_not_failing_contact_has_no_reachability_line() {
    let mut case = unreachable_p1(20);
    case.clocks.p1_contact = Default::default();
    let pane = sla_pane(&app(Lang::En, "UTC", KeyMap::default(), case));
    assert!(!pane.contains("downgrade"), "{pane}");
}
