//! The reports screen for leads (`D`, `:report`) drawn into a plain buffer from hand-made
//! reports: English and Japanese, in the mono theme (`NO_COLOR`), at 80×24 (one part at a time)
//! and 200×60 (all parts side by side); the numbers beside every bar and the target drawn as a
//! character; the offline copy, a non-lead's token and Request Tracker said in words.
//!
//! Update the snapshots with `INSTA_FORCE_PASS=1 INSTA_UPDATE=new cargo test --test tui_reports`
//! and read every `.snap.new` before accepting it.

mod common;

use casedesk::api::ClientError;
use casedesk::api::reports::{BacklogReport, LoadReport, ResponseReport, SlaReport};
use casedesk::api::{Me, Role};
use casedesk::config::{DisplayZone, TuiFile};
use casedesk::sla::Calendars;
use casedesk::sync::{DeskError, SyncStatus};
use casedesk::term::text::Lang;
use casedesk::term::theme::{ColorDepth, Theme};
use casedesk::tui::app::{App, Effect, Msg, Overlay, Settings};
use casedesk::tui::reports::{Reports, ReportsRequest};
use casedesk::tui::ui;
use chrono::{DateTime, Duration, Utc};
use common::drawing::{now, row_text};
use common::japanese::assert_japanese;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use serde_json::{Value, json};

const COMPACT: (u16, u16) = (80, 24);
const LARGE: (u16, u16) = (200, 60);

/// The header every report of the fixture shares: the week to Tuesday 24 November in Tokyo.
fn header(kind: &str, by: Value) -> Value {
    json!({
        "kind": kind,
        "from": "2026-11-17T15:00:00Z",
        "to": "2026-11-24T15:00:00Z",
        "zone": "Asia/Tokyo",
        "by": by,
        "at": "2026-11-24T05:00:00Z",
        "target": 0.9,
    })
}

/// A report envelope: the header flattened, then the rows.
fn report<T: serde::de::DeserializeOwned>(kind: &str, by: Value, rows: Value) -> T {
    let mut v = header(kind, by);
    v["rows"] = rows;
    serde_json::from_value(v).expect("a report")
}

fn sla_row(group: &str, clock: &str, met: u64, breached: u64, running: u64) -> Value {
    let decided = met + breached;
    let attainment = (decided > 0).then(|| met as f64 / decided as f64);
    json!({"group": group, "clock": clock, "met": met, "breached": breached,
           "attainment": attainment, "running": running})
}

fn histogram(counts: [u64; 9]) -> Value {
    let edges = [
        Some(900),
        Some(1800),
        Some(3600),
        Some(7200),
        Some(14_400),
        Some(28_800),
        Some(86_400),
        Some(172_800),
        None,
    ];
    Value::Array(
        edges
            .iter()
            .zip(counts)
            .map(|(le, count)| json!({"le_secs": le, "count": count}))
            .collect(),
    )
}

fn day(period: &str, open: u64, created: u64, resolved: u64, closed: u64) -> Value {
    json!({"period": period, "at": "2026-11-24T15:00:00Z", "open": open,
           "p1": 0, "p2": 0, "p3": 0, "p4": 0,
           "age_under_1d": 0, "age_1_3d": 0, "age_3_7d": 0, "age_7_30d": 0, "age_over_30d": 0,
           "created": created, "resolved": resolved, "closed": closed})
}

fn load_row(owner: Option<&str>, n: [u64; 7]) -> Value {
    json!({"owner": owner, "open": n[0], "p1": n[1], "p2": n[2], "breaching_1h": n[3],
           "breached": n[4], "public_notes": n[5], "calls": n[6]})
}

/// A week of a small desk: attainment per priority around the 90% target (one below it on
/// updates, P4's updates with nothing decided, RMA returns on P2), 97 first responses, 52
/// open cases, four owners and the unassigned.
fn fixture() -> Reports {
    let sla = report::<SlaReport>(
        "sla",
        json!("priority"),
        json!([
            sla_row("P1", "first_response", 12, 1, 1),
            sla_row("P1", "next_update", 30, 2, 3),
            sla_row("P2", "first_response", 25, 2, 0),
            sla_row("P2", "next_update", 40, 6, 5),
            sla_row("P2", "rma_return", 3, 1, 2),
            sla_row("P3", "first_response", 51, 0, 4),
            sla_row("P3", "next_update", 60, 3, 8),
            sla_row("P4", "first_response", 9, 0, 0),
            sla_row("P4", "next_update", 0, 0, 1),
        ]),
    );
    let response = report::<ResponseReport>(
        "response",
        Value::Null,
        json!([
            {"time": "wall", "count": 97, "median_secs": 1680, "p90_secs": 9000,
             "max_secs": 190_000, "histogram": histogram([30, 25, 18, 10, 6, 4, 2, 1, 1])},
            {"time": "business", "count": 97, "median_secs": 1500, "p90_secs": 7200,
             "max_secs": 54_000, "histogram": histogram([33, 24, 18, 10, 6, 4, 2, 0, 0])},
        ]),
    );
    let mut now_row = day("now", 52, 0, 0, 0);
    for (k, v) in [
        ("p1", 3),
        ("p2", 9),
        ("p3", 28),
        ("p4", 12),
        ("age_under_1d", 10),
        ("age_1_3d", 14),
        ("age_3_7d", 12),
        ("age_7_30d", 11),
        ("age_over_30d", 5),
    ] {
        now_row[k] = json!(v);
    }
    for k in ["created", "resolved", "closed"] {
        now_row[k] = Value::Null;
    }
    let backlog = report::<BacklogReport>(
        "backlog",
        Value::Null,
        json!([
            now_row,
            day("2026-11-18", 49, 8, 7, 5),
            day("2026-11-19", 51, 12, 10, 9),
            day("2026-11-20", 49, 9, 11, 8),
            day("2026-11-21", 55, 15, 9, 10),
            day("2026-11-22", 57, 4, 2, 3),
            day("2026-11-23", 59, 3, 1, 2),
            day("2026-11-24", 52, 11, 12, 7),
        ]),
    );
    let load = report::<LoadReport>(
        "load",
        Value::Null,
        json!([
            load_row(Some("tanaka"), [14, 1, 3, 2, 1, 22, 4]),
            load_row(Some("yamamoto"), [12, 2, 2, 1, 2, 18, 6]),
            load_row(Some("kim"), [9, 0, 2, 0, 0, 15, 2]),
            load_row(Some("suzuki"), [7, 0, 1, 0, 0, 9, 1]),
            load_row(None, [5, 0, 1, 0, 1, 0, 0]),
        ]),
    );
    Reports {
        sla,
        response,
        backlog,
        load,
        cached_at: None,
    }
}

/// What the fixtures say in Latin letters on a Japanese screen (owners, the zone).
const FIXTURE_TEXT: &str = "tanaka yamamoto kim suzuki Asia/Tokyo";

/// A lead's app in `lang` (times shown in Tokyo), online, the reports screen opened with `D`:
/// returns the app and the request the screen made.
fn opened(lang: Lang) -> (App, ReportsRequest) {
    let settings = Settings::from_file(
        &TuiFile::default(),
        lang,
        DisplayZone::named("Asia/Tokyo").unwrap(),
        "tokyo",
    )
    .unwrap();
    let mut app = App::new(settings, Calendars::builtin(), now());
    app.update(Msg::Me(Me {
        name: "yamamoto".into(),
        role: Role::Lead,
    }));
    app.update(Msg::Sync(SyncStatus {
        online: true,
        live: true,
        as_of: Some(now()),
        revision: 1,
        ..SyncStatus::default()
    }));
    let effects = key(&mut app, KeyCode::Char('D'));
    let [Effect::Reports(request)] = effects.as_slice() else {
        panic!("D asks for the reports: {effects:?}");
    };
    (app, request.clone())
}

/// The screen with `reports` arrived.
fn shown(lang: Lang, reports: Reports) -> App {
    let (mut app, request) = opened(lang);
    app.update(Msg::Reports(request, Ok(Box::new(reports))));
    app
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn mono() -> Theme {
    Theme::builtin("mono", ColorDepth::Mono).unwrap()
}

fn draw(app: &App, size: (u16, u16)) -> Buffer {
    let mut buf = Buffer::empty(Rect::new(0, 0, size.0, size.1));
    ui::draw(app, &mono(), &mut buf);
    buf
}

/// The screen as text, trailing spaces trimmed.
fn screen(app: &App, size: (u16, u16)) -> String {
    let buf = draw(app, size);
    (0..size.1)
        .map(|y| row_text(&buf, y).trim_end().to_string() + "\n")
        .collect()
}

/// Checks a snapshot; a Japanese one must show no English word of the interface.
fn snapshot(name: &str, text: &str) {
    if name.split('_').any(|p| p == "ja") {
        assert_japanese(name, text, FIXTURE_TEXT);
    }
    insta::assert_snapshot!(name, text);
}

#[test]
fn the_large_screen_shows_every_part_side_by_side() {
    for (lang, name) in [(Lang::En, "en"), (Lang::Ja, "ja")] {
        let app = shown(lang, fixture());
        let text = screen(&app, LARGE);
        snapshot(&format!("reports_{name}_200x60"), &text);
    }
}

#[test]
fn the_compact_screen_shows_one_part_and_tab_moves_on() {
    for (lang, name) in [(Lang::En, "en"), (Lang::Ja, "ja")] {
        let mut app = shown(lang, fixture());
        snapshot(&format!("reports_{name}_80x24_sla"), &screen(&app, COMPACT));
        for part in ["response", "flow", "backlog", "load"] {
            assert!(key(&mut app, KeyCode::Tab).is_empty());
            snapshot(
                &format!("reports_{name}_80x24_{part}"),
                &screen(&app, COMPACT),
            );
        }
    }
}

/// The rows of the SLA bars on screen: those with a percentage or a dash after a bar.
fn bar_rows(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.contains('░') || l.contains('█'))
        .filter(|l| l.contains("first response") || l.contains("next update"))
        .collect()
}

#[test]
fn every_bar_has_its_number_and_the_target_line_without_colour() {
    for size in [COMPACT, LARGE] {
        let app = shown(Lang::En, fixture());
        let text = screen(&app, size);
        let bars = bar_rows(&text);
        // Eight clocks of four priorities (the RMA row is "RMA return").
        assert_eq!(bars.len(), 8, "{text}");
        // The target `│` stands at the same column in every bar, under the `▼`.
        let column = |l: &str| l.chars().position(|c| c == '│' || c == '▼');
        let marker = text
            .lines()
            .find(|l| l.contains("target 90%") && l.contains('▼'))
            .and_then(|l| l.chars().position(|c| c == '▼'))
            .expect("the target's ▼");
        for bar in &bars {
            let inner: String = bar.chars().skip(1).collect();
            assert_eq!(
                column(&inner).map(|c| c + 1),
                Some(marker),
                "the target line in {bar:?}\n{text}"
            );
        }
        // The percentage beside each bar: P1's first response is 12 of 13.
        assert!(
            bars[0].contains("92.3%") && bars[0].contains("12/13"),
            "{text}"
        );
        // P4's updates decided nothing: a dash, not 0%.
        assert!(bars[7].contains('—') && bars[7].contains("0/0"), "{text}");
    }
}

#[test]
fn the_offline_copy_says_when_it_was_fetched() {
    let mut reports = fixture();
    let at: DateTime<Utc> = now() - Duration::minutes(12);
    reports.cached_at = Some(at);
    // 04:48 UTC is 13:48 in Tokyo.
    let text = screen(&shown(Lang::En, reports.clone()), COMPACT);
    assert!(text.contains("offline — as fetched at 13:48"), "{text}");
    let text = screen(&shown(Lang::Ja, reports), COMPACT);
    assert!(text.contains("オフライン — 13:48 取得時点"), "{text}");
}

#[test]
fn refusals_are_said_in_words() {
    // The server's 403 for a token below lead.
    let (mut app, request) = opened(Lang::En);
    let forbidden = ClientError::Forbidden("reports need the lead role".into());
    app.update(Msg::Reports(request, Err(DeskError::Client(forbidden))));
    let text = screen(&app, COMPACT);
    assert!(text.contains("reports need a lead's token"), "{text}");

    // Request Tracker: the desk's refusal, as it says it.
    let (mut app, request) = opened(Lang::En);
    let rt = ClientError::Unsupported("reports are not available on Request Tracker".into());
    app.update(Msg::Reports(request, Err(DeskError::Client(rt))));
    let text = screen(&app, COMPACT);
    assert!(
        text.contains("reports are not available on Request Tracker"),
        "{text}"
    );

    // Offline with no copy of the period.
    let (mut app, request) = opened(Lang::Ja);
    let missing = DeskError::NotCached("the sla report for this period is not in the cache".into());
    app.update(Msg::Reports(request, Err(missing)));
    let text = screen(&app, COMPACT);
    assert!(text.contains("キャッシュになく"), "{text}");

    // An agent known to be one is told without asking the server.
    let (mut app, _) = opened(Lang::En);
    app.overlay = None;
    app.update(Msg::Me(Me {
        name: "tanaka".into(),
        role: Role::Agent,
    }));
    assert!(key(&mut app, KeyCode::Char('D')).is_empty());
    let text = screen(&app, COMPACT);
    assert!(text.contains("reports need a lead's token"), "{text}");
}

#[test]
fn the_palette_opens_it_and_esc_closes_it() {
    let (mut app, _) = opened(Lang::En);
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    key(&mut app, KeyCode::Char(':'));
    for c in "report".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    let effects = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(effects.as_slice(), [Effect::Reports(_)]),
        "{effects:?}"
    );
    assert!(matches!(app.overlay, Some(Overlay::Reports(_))));
}

#[test]
fn the_owner_nobody_is_named_in_the_interfaces_words() {
    let mut reports = fixture();
    reports.sla = report::<SlaReport>(
        "sla",
        json!("owner"),
        json!([
            sla_row("(unassigned)", "first_response", 3, 2, 1),
            sla_row("tanaka", "first_response", 9, 1, 0),
        ]),
    );
    let text = screen(&shown(Lang::En, reports.clone()), COMPACT);
    assert!(
        text.lines()
            .any(|l| l.contains("unassigned first response") && l.contains("60%")),
        "{text}"
    );
    let text = screen(&shown(Lang::Ja, reports), COMPACT);
    assert!(text.contains("未割り当て 初回応答"), "{text}");
    assert!(!text.contains("(unassigned)"), "{text}");
}

/// The real thing: a lead's TUI on `casedesk serve --demo` opens the screen with `D` and shows
/// the demo's figures; `[` moves to the week before; an agent is told it is a lead's screen.
#[test]
fn a_lead_sees_the_demo_desks_reports_in_a_terminal() {
    use common::pty::{Pty, framed};
    let wait = std::time::Duration::from_secs(30);
    let server = common::Server::start_with(&["--demo", "--demo-cases", "40"]);
    let lead = server.token("lead", "yamamoto");
    let tui = Pty::casedesk_sized(&server.base, &lead, &[], 200, 60);
    tui.wait_for("● online", wait);
    tui.send("D");
    let screen = tui.wait_until("the reports with their numbers", wait, |s| {
        let text = s.contents();
        text.contains("SLA attainment by priority")
            && text.contains("target ")
            && text.contains("met/decided")
            && text.contains("Load per owner")
    });
    assert!(
        screen
            .lines()
            .any(|l| l.contains("first response") && l.contains('%')),
        "{}",
        framed(&screen)
    );
    let title = |text: &str| text.lines().next().unwrap_or_default().to_string();
    let this_week = title(&screen);
    assert!(this_week.contains("7 days"), "{}", framed(&screen));
    tui.send("[");
    // The period in the title moves back a week once the server answers.
    tui.wait_until("the week before", wait, |s| {
        let now = title(&s.contents());
        now.contains("Reports —") && now.contains("7 days") && now != this_week
    });

    let agent = server.token("agent", "kimura");
    let tui = Pty::casedesk_sized(&server.base, &agent, &[], 120, 40);
    tui.wait_for("● online", wait);
    tui.send("D");
    tui.wait_for("reports need a lead's token", wait);
}
