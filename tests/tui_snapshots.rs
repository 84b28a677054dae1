//! Snapshots of every pane and overlay of the TUI, drawn into a plain buffer (no terminal):
//! the wide layout at 160×48, the compact one at 80×24, the "too small" message, the Japanese
//! interface, and `NO_COLOR` (the mono theme), with buffer checks that the colours and the
//! modifiers that carry meaning are where they should be, and that Japanese text never breaks
//! a pane's border.
//!
//! The fixtures are fixed in time (`NOW`, in UTC), so every countdown is deterministic.
//! Update the snapshots with `INSTA_UPDATE=always cargo test --test tui_snapshots` and read
//! every changed `.snap` file before committing it.

mod common;

use casedesk::api::{Case, CaseSummary, Me, Role};
use casedesk::cache::{CachedCase, OutboxEntry, OutboxState, PendingChange};
use casedesk::config::{DisplayZone, TuiFile};
use casedesk::domain::CaseNumber;
use casedesk::sla::Calendars;
use casedesk::sync::SyncStatus;
use casedesk::term::text::Lang;
use casedesk::term::theme::{self, ColorDepth, Theme};
use casedesk::tui::app::{App, Effect, ListKind, ListRow, ListView, Msg, Pane, Settings};
use casedesk::tui::queue::Row;
use casedesk::tui::timeline::TimelineOrder;
use casedesk::tui::ui::{self, Drawn};
use casedesk::tui::views::View;
use chrono::Duration;
use common::drawing::{NOW, at, find, find_in_row, now, row_text, summary, summary_json};
use common::japanese::assert_japanese;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use serde_json::{Value, json};
use unicode_width::UnicodeWidthStr;

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/// The case the detail panes show.
const OPENED: &str = "2026-1124-000101";

const WIDE: (u16, u16) = (160, 48);
const COMPACT: (u16, u16) = (80, 24);

fn number(n: &str) -> CaseNumber {
    n.parse().unwrap()
}

/// Eight cases, English and Japanese: all four priorities, one breached, one due in 30
/// minutes, one waiting on the customer, unassigned ones, escalated ones, one temporarily
/// downgraded from P1.
fn cases() -> Vec<CaseSummary> {
    vec![
        // Breached, escalated: the opened case.
        summary(json!({
            "number": OPENED,
            "subject": "VPN トンネルが切断される（東京本社）",
            "priority": "P1",
            "site_name": "東京本社", "site_id": "JP-TYO-01",
            "contact_name": "佐藤 花子",
            "platform": "ASA-5525",
            "next_due": at(-25), "breached": true,
            "open_escalations": 1, "version": 7,
            "updated_at": at(-40),
        })),
        // Due in 30 minutes.
        summary(json!({
            "number": "2026-1124-000102",
            "subject": "Backup job fails with error E1234 after upgrade",
            "priority": "P2", "owner": "kim",
            "site_name": "Osaka DC", "site_id": "JP-OSA-02",
            "contact_name": "John Smith",
            "platform": "StoreOnce",
            "next_due": at(30),
            "updated_at": at(-15),
        })),
        // Waiting on the customer: paused.
        summary(json!({
            "number": "2026-1123-000087",
            "subject": "ライセンスキーの再発行依頼",
            "priority": "P3", "status": "waiting_on_customer",
            "site_name": "大阪支店", "site_id": "JP-OSA-07",
            "contact_name": "鈴木 一郎",
            "request_type": "licence",
            "updated_at": at(-20 * 60),
        })),
        // Unassigned P4.
        summary(json!({
            "number": "2026-1120-000012",
            "subject": "Feature request: export the queue to CSV",
            "priority": "P4", "owner": null,
            "site_name": "Seattle HQ", "site_id": "US-SEA-01",
            "contact_name": "Maria Garcia",
            "request_type": "feature_request", "tier": "standard",
            "next_due": at(3 * 24 * 60),
            "updated_at": at(-4 * 24 * 60),
        })),
        // Temporarily downgraded from P1.
        summary(json!({
            "number": "2026-1124-000095",
            "subject": "Core switch reboot loop after firmware 17.9 upgrade",
            "priority": "P2", "temporarily_downgraded": true,
            "site_name": "名古屋工場", "site_id": "JP-NGO-03",
            "contact_name": "高橋 健",
            "platform": "C9500",
            "next_due": at(2 * 60 + 10),
            "updated_at": at(-50),
        })),
        // Escalated twice, Japanese subject.
        summary(json!({
            "number": "2026-1122-000044",
            "subject": "管理画面にログインできない（SSO エラー AADSTS50011）",
            "priority": "P3", "owner": "yamamoto",
            "site_name": "東京本社", "site_id": "JP-TYO-01",
            "contact_name": "山田 太郎",
            "open_escalations": 2,
            "next_due": at(5 * 60),
            "updated_at": at(-3 * 60),
        })),
        // New P1, unassigned.
        summary(json!({
            "number": "2026-1124-000110",
            "subject": "Storage array degraded – controller B offline",
            "priority": "P1", "status": "new", "owner": null,
            "site_name": "Frankfurt DC", "site_id": "DE-FRA-01",
            "contact_name": "Jonas Müller",
            "platform": "3PAR 8440",
            "tier": "tac-premium",
            "next_due": at(50),
            "updated_at": at(-10),
        })),
        // A long English subject, for truncation.
        summary(json!({
            "number": "2026-1118-000003",
            "subject": "Intermittent packet loss on the WAN link between the Frankfurt and Singapore offices during nightly backups",
            "priority": "P3", "owner": "kim",
            "site_name": "Singapore Regional Office", "site_id": "SG-SIN-01",
            "contact_name": "Wei Ling Tan",
            "status": "waiting_on_engineering",
            "next_due": at(26 * 60),
            "updated_at": at(-6 * 24 * 60),
        })),
    ]
}

fn clock(kind: &str, state: &str, target: &str, calendar: &str, due_min: Option<i64>) -> Value {
    let counting = matches!(state, "running" | "breached");
    let remaining = due_min.filter(|_| counting).map(|m| m * 60);
    json!({
        "kind": kind,
        "state": state,
        "target": target,
        "calendar": calendar,
        "started_at": at(-26 * 60),
        "due": due_min.filter(|_| state != "paused" && state != "met").map(at),
        "met_at": null,
        "remaining_secs": remaining,
        "remaining_working_secs": remaining,
        "counting": counting,
        "earlier_breaches": 0,
    })
}

/// The opened case: description, public, internal and customer notes, a call, history, an
/// escalation, RMAs and problem reports; its clocks met, breached, due soon, running and paused.
fn opened_case() -> Case {
    let mut first = clock("first_response", "met", "1h 24x7", "24x7", None);
    first["met_at"] = json!(at(-26 * 60 + 35));
    let update = clock("update", "breached", "4h 24x7", "24x7", Some(-25));
    let mut rma_soon = clock("rma_return", "running", "10bd", "jp-business", Some(30));
    rma_soon["rma"] = json!("R00004711");
    let mut rma_later = clock(
        "rma_return",
        "running",
        "10bd",
        "jp-business",
        Some(6 * 24 * 60),
    );
    rma_later["rma"] = json!("R00004712");
    let mut auto_close = clock("auto_close", "paused", "7d", "24x7", None);
    auto_close["remaining_working_secs"] = json!(4 * 86_400);
    let mut case = summary_json(json!({
        "number": OPENED,
        "subject": "VPN トンネルが切断される（東京本社）",
        "priority": "P1",
        "site_name": "東京本社", "site_id": "JP-TYO-01",
        "contact_name": "佐藤 花子",
        "platform": "ASA-5525",
        "next_due": at(-25), "breached": true,
        "open_escalations": 1, "version": 7,
        "updated_at": at(-40),
    }));
    let detail = json!({
        "description": "本社と大阪支店の間の IPsec VPN トンネルが 30 分おきに切断されます。\n\
                        Since the upgrade to 9.18(4) the tunnel drops every ~30 minutes; phase 2 rekey fails.\n\
                        影響: 約 200 名が基幹システムに接続できません。",
        "software_version": "9.18(4)",
        "contact_email": "hanako.sato@example.co.jp",
        "contact_phone": "+81 3-1234-5678",
        "preferred_contact": "phone",
        "user_type": "business_user",
        "problem_reports": ["PR-48213", "CSCwh12345"],
        "attachments": [
            {"name": "show_tech_東京.txt", "size": 482133, "content_type": "text/plain"}
        ],
        "entitlement": {
            "serial_number": "FTX2231A0KQ", "tier": "tac-advanced",
            "contract_end": "2027-03-31", "site_name": "東京本社", "site_id": "JP-TYO-01",
            "account": "ACME Japan", "active": true
        },
        "unentitled": false,
        "close_reason": null,
        "notes": [
            {"id": 1, "author": "佐藤 花子", "party": "customer", "visibility": "public",
             "kind": "note", "body": "朝から 3 回切断されました。至急対応をお願いします。",
             "created_at": at(-26 * 60)},
            {"id": 2, "author": "tanaka", "party": "support", "visibility": "public",
             "kind": "note", "body": "Thank you. Please send `show crypto ipsec sa` from both peers.",
             "created_at": at(-26 * 60 + 35)},
            {"id": 3, "author": "tanaka", "party": "support", "visibility": "internal",
             "kind": "note", "body": "Looks like CSCwh12345 (rekey with PFS group mismatch).\n社内検証環境で再現済み。",
             "created_at": at(-6 * 60)},
            {"id": 4, "author": "tanaka", "party": "support", "visibility": "public",
             "kind": "call", "body": "お客様と電話で状況を確認。回避策として PFS を無効化する案を説明。",
             "created_at": at(-4 * 60 - 25)},
            // Since tanaka last opened the case (`SEEN`): two entries by others.
            {"id": 5, "author": "kim", "party": "support", "visibility": "internal",
             "kind": "note", "body": "Engineering asks for a capture on the hub side.",
             "created_at": at(-50)},
            {"id": 6, "author": "佐藤 花子", "party": "customer", "visibility": "public",
             "kind": "note", "body": "PFS を無効化したところ、1 時間切断されていません。",
             "created_at": at(-45)},
        ],
        "history": [
            {"at": at(-26 * 60 + 5), "actor": "system", "summary": "status new → open", "reason": null},
            {"at": at(-26 * 60 + 10), "actor": "tanaka", "summary": "priority P2 → P1",
             "reason": "全拠点で業務停止"},
        ],
        "escalations": [
            {"id": 31, "case_number": OPENED, "kind": "engineer_now", "state": "requested",
             "reason": "お客様の CIO から至急エンジニアと話したいとの要望",
             "contact_method": "phone", "requested_by": "tanaka", "requested_at": at(-60),
             "acknowledged_by": null, "acknowledged_at": null, "closed_by": null,
             "closed_at": null, "resolution": null},
        ],
        "rmas": [
            {"number": "R00004711", "status": "issued", "case_number": OPENED,
             "account": "ACME Japan", "serial_number": "FTX2231A0KQ", "part_number": "ASA5525-K9",
             "analysis": "failure_analysis", "created_at": at(-3 * 60), "issued_at": at(-3 * 60),
             "return_due": at(30), "overdue": false},
            {"number": "R00004712", "status": "replacement_shipped", "case_number": OPENED,
             "account": "ACME Japan", "serial_number": "FTX2231A0KR", "part_number": "SFP-10G-SR",
             "analysis": null, "created_at": at(-2 * 60), "issued_at": at(-2 * 60),
             "return_due": at(6 * 24 * 60), "overdue": false},
        ],
        "clocks": {
            "at": NOW,
            "clocks": [first, update, rma_soon, rma_later, auto_close],
            "p1_contact": {
                "failing_since": null, "downgrade_available_at": null,
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

fn outbox() -> Vec<OutboxEntry> {
    vec![OutboxEntry {
        id: 7,
        case_number: Some(number(OPENED)),
        change: PendingChange::Note(
            serde_json::from_value(json!({
                "body": "再起動手順をお客様に送付済み。明朝 9 時に再確認する。",
                "visibility": "internal"
            }))
            .unwrap(),
        ),
        base_version: 7,
        idempotency_key: "cdk-00000000000000000000000000000007".into(),
        state: OutboxState::Pending,
        error: None,
        attempts: 0,
        created_at: now() - Duration::minutes(5),
        owner: None,
    }]
}

// ---------------------------------------------------------------------------------------------
// Driving the app
// ---------------------------------------------------------------------------------------------

/// What the fixtures themselves say (customer text, names, products), which may be English on
/// a Japanese screen.
fn fixture_text() -> String {
    // Subjects of the breaching-next desk, and a refusal in the server's own (English) words.
    let more = [
        "Licence portal shows the wrong expiry",
        "How do I reset the admin password?",
        "while an escalation is open; ask a lead to acknowledge it",
    ];
    format!(
        "{} {} {:?} {} {} {} {} {}",
        serde_json::to_string(&cases()).unwrap(),
        serde_json::to_string(&opened_case()).unwrap(),
        outbox(),
        more.join(" "),
        mail_detail_json(),
        serde_json::to_string(&held_mail()).unwrap(),
        files_json(),
        show_tech(),
    )
}

/// Checks a snapshot; a Japanese one (`ja` in its name) must first show no English word of
/// the interface.
fn snapshot(name: impl AsRef<str>, screen: impl AsRef<str>) {
    let (name, screen) = (name.as_ref(), screen.as_ref());
    if name.split('_').any(|part| part == "ja") {
        assert_japanese(name, screen, &fixture_text());
    }
    insta::assert_snapshot!(name, screen);
}

/// When tanaka last opened the case before the tests run: two entries by others came since.
fn seen() -> Option<chrono::DateTime<chrono::Utc>> {
    Some(now() - Duration::hours(5))
}

/// The app and the window it is drawn in.
struct Desk {
    app: App,
    size: (u16, u16),
    /// What the cache says was last seen of the opened case.
    seen: Option<chrono::DateTime<chrono::Utc>>,
    /// What the app asked to record as seen.
    marked: Vec<(CaseNumber, chrono::DateTime<chrono::Utc>)>,
    /// Cases the cache holds in full besides the opened one.
    details: Vec<Case>,
}

impl Desk {
    /// A desk signed in as tanaka, online, with the fixtures loaded, as the runtime would
    /// leave it after the first sync.
    fn new(lang: Lang, size: (u16, u16)) -> Desk {
        Desk::ordered(lang, size, TimelineOrder::default())
    }

    /// The same, with the timeline in `order`.
    fn ordered(lang: Lang, size: (u16, u16), order: TimelineOrder) -> Desk {
        Desk::holding(lang, size, order, cases(), Vec::new())
    }

    /// A desk whose cache holds `cases`, and `details` in full.
    fn holding(
        lang: Lang,
        size: (u16, u16),
        order: TimelineOrder,
        cases: Vec<CaseSummary>,
        details: Vec<Case>,
    ) -> Desk {
        // What `casedesk` starts with for an empty `[tui]` in `lang`: the views are named in
        // the interface's language there, not here.
        let mut settings = Settings::from_file(
            &TuiFile::default(),
            lang,
            DisplayZone::named("UTC").unwrap(),
            "tokyo",
        )
        .unwrap();
        settings.timeline = order;
        let mut app = App::new(settings, Calendars::builtin(), now());
        // The runtime sets this from the window before anything arrives.
        app.wide = ui::is_wide(Rect::new(0, 0, size.0, size.1));
        let mut desk = Desk {
            app,
            size,
            seen: seen(),
            marked: Vec::new(),
            details,
        };
        desk.send(Msg::Me(Me {
            name: "tanaka".into(),
            role: Role::Agent,
        }));
        desk.send(Msg::Sync(SyncStatus {
            online: true,
            live: true,
            as_of: Some(now()),
            revision: 1,
            ..SyncStatus::default()
        }));
        desk.send(Msg::Cases(
            cases.into_iter().map(Row::new).collect(),
            outbox(),
        ));
        desk
    }

    /// Sends a message and carries out the effects that read the cache.
    fn send(&mut self, msg: Msg) {
        let mut queue = vec![msg];
        while let Some(msg) = queue.pop() {
            for effect in self.app.update(msg) {
                match effect {
                    Effect::LoadCase(n, _) => {
                        let held = self.details.iter().find(|c| c.summary.number == n);
                        let detail = held
                            .cloned()
                            .or_else(|| (n.to_string() == OPENED).then(opened_case))
                            .map(|case| {
                                Box::new(CachedCase {
                                    case,
                                    etag: None,
                                    fetched_at: now() - Duration::minutes(2),
                                })
                            });
                        queue.push(Msg::Detail(n, detail));
                        // Popped first: the runtime sends what was seen ahead of the detail.
                        if n.to_string() == OPENED {
                            queue.push(Msg::Seen(n, self.seen));
                        }
                    }
                    Effect::MarkSeen(n, at) => self.marked.push((n, at)),
                    Effect::LoadCases => {}
                    // The lookup's answer is sent by the test that wants one.
                    Effect::CheckSerial(_) => {}
                    // The team's macros are set by the test that wants them.
                    Effect::LoadMacros => {}
                    other => panic!("unexpected effect in a snapshot test: {other:?}"),
                }
            }
        }
    }

    fn key(&mut self, code: KeyCode) {
        self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    /// Types characters one key at a time (`\n` is Enter).
    fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.key(if c == '\n' {
                KeyCode::Enter
            } else {
                KeyCode::Char(c)
            });
        }
    }

    /// Draws a frame as the runtime does.
    fn draw(&mut self, theme: &Theme) -> (Buffer, Drawn) {
        let area = Rect::new(0, 0, self.size.0, self.size.1);
        self.app.wide = ui::is_wide(area);
        let mut buf = Buffer::empty(area);
        let drawn = ui::draw(&self.app, theme, &mut buf);
        self.app.hits = drawn.hits.clone();
        self.app.queue.offset = drawn.queue_offset;
        if let Some(o) = self.app.opened.as_mut() {
            o.scroll = o.scroll.min(drawn.detail_max_scroll.unwrap_or(o.scroll));
            if let Some(revealed) = drawn.detail_revealed {
                o.scroll = revealed;
                o.reveal = false;
            }
        }
        (buf, drawn)
    }

    /// The screen as text, without the border check (nothing is framed).
    fn screen_plain(&mut self) -> String {
        let (buf, drawn) = self.draw(&dark());
        text(&buf, &drawn)
    }

    /// The screen as text, checked for broken borders when no overlay covers the panes.
    fn screen(&mut self) -> String {
        let (buf, drawn) = self.draw(&dark());
        if self.app.overlay.is_none() {
            assert_borders_intact(&buf, &drawn);
        }
        text(&buf, &drawn)
    }
}

fn dark() -> Theme {
    Theme::builtin("dark", ColorDepth::Ansi16).unwrap()
}

fn mono() -> Theme {
    Theme::builtin("mono", ColorDepth::Mono).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Reading the buffer
// ---------------------------------------------------------------------------------------------

/// The buffer as lines of text, trailing spaces trimmed. A double-width glyph is stored in its
/// first cell; the cells it covers are skipped, and anything hidden under one (text drawn
/// over the right half of a wide character, which a terminal would garble) is listed after the
/// screen so a snapshot shows it. The cursor, when a field has focus, is given last.
fn text(buf: &Buffer, drawn: &Drawn) -> String {
    let area = buf.area;
    let mut out = String::new();
    let mut hidden = Vec::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        let mut skip = 0usize;
        for x in area.left()..area.right() {
            let symbol = buf[(x, y)].symbol();
            if skip > 0 {
                skip -= 1;
                if !symbol.trim().is_empty() {
                    hidden.push(format!("({x},{y}) {symbol:?}"));
                }
                continue;
            }
            line.push_str(symbol);
            skip = symbol.width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if !hidden.is_empty() {
        out.push_str(&format!(
            "HIDDEN UNDER WIDE CHARACTERS: {}\n",
            hidden.join(", ")
        ));
    }
    if let Some(c) = drawn.cursor {
        out.push_str(&format!("cursor at column {}, row {}\n", c.x, c.y));
    }
    out
}

const VERTICAL: [&str; 2] = ["│", "┃"];
const TOP_LEFT: [&str; 2] = ["┌", "┏"];
const TOP_RIGHT: [&str; 2] = ["┐", "┓"];
const BOTTOM_LEFT: [&str; 2] = ["└", "┗"];
const BOTTOM_RIGHT: [&str; 2] = ["┘", "┛"];

/// Every pane's frame is whole: no glyph of a cell's content spills over the left or right
/// border, on any row.
fn assert_borders_intact(buf: &Buffer, drawn: &Drawn) {
    let panes: Vec<Rect> = drawn
        .hits
        .iter()
        .filter(|(r, h)| matches!(h, casedesk::tui::app::Hit::Pane(_)) && r.height >= 3)
        .map(|(r, _)| *r)
        .collect();
    assert!(!panes.is_empty(), "no pane drawn");
    let screen = text(buf, drawn);
    for r in panes {
        let (left, right) = (r.left(), r.right() - 1);
        for y in r.top()..r.bottom() {
            let (l_ok, r_ok): (&[&str], &[&str]) = if y == r.top() {
                (&TOP_LEFT, &TOP_RIGHT)
            } else if y == r.bottom() - 1 {
                (&BOTTOM_LEFT, &BOTTOM_RIGHT)
            } else {
                (&VERTICAL, &VERTICAL)
            };
            let l = buf[(left, y)].symbol();
            let rs = buf[(right, y)].symbol();
            assert!(
                l_ok.contains(&l),
                "left border of pane {r:?} broken at row {y}: {l:?}\n{screen}"
            );
            assert!(
                r_ok.contains(&rs),
                "right border of pane {r:?} broken at row {y}: {rs:?}\n{screen}"
            );
            // The cell just inside the right border must not hold the left half of a wide
            // glyph (its right half would be drawn over the border).
            let inside = buf[(right - 1, y)].symbol();
            assert!(
                inside.width() <= 1,
                "wide glyph {inside:?} against the right border of pane {r:?} at row {y}\n{screen}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Wide layout, 160×48
// ---------------------------------------------------------------------------------------------

#[test]
fn wide_initial() {
    let mut d = Desk::new(Lang::En, WIDE);
    assert_eq!(d.app.focus, Pane::Queue);
    assert_eq!(
        d.app.opened.as_ref().map(|o| o.number.to_string()),
        Some(OPENED.into())
    );
    snapshot("wide_initial", d.screen());
}

#[test]
fn wide_escalation_focused() {
    let mut d = Desk::new(Lang::En, WIDE);
    d.keys("e");
    assert_eq!(d.app.focus, Pane::Escalation);
    snapshot("wide_escalation_focused", d.screen());
}

#[test]
fn wide_detail_scrolled() {
    let mut d = Desk::new(Lang::En, WIDE);
    d.key(KeyCode::Tab);
    d.keys(&"j".repeat(12));
    snapshot("wide_detail_scrolled", d.screen());
    d.keys("G");
    snapshot("wide_detail_bottom", d.screen());
}

#[test]
fn wide_help() {
    let mut d = Desk::new(Lang::En, WIDE);
    d.keys("?");
    snapshot("wide_help", d.screen());
}

#[test]
fn wide_palette() {
    let mut d = Desk::new(Lang::En, WIDE);
    d.keys(":es");
    snapshot("wide_palette", d.screen());
}

#[test]
fn wide_note_form() {
    let mut d = Desk::new(Lang::En, WIDE);
    d.keys("i");
    d.keys("PFS を無効化したところ、24 時間切断が発生していないことをお客様と確認しました。恒久対策として 9.18(4)12 へのアップグレードを提案済み。\n明朝 9 時に再確認。");
    snapshot("wide_note_form", d.screen());
}

#[test]
fn wide_status_form() {
    let mut d = Desk::new(Lang::En, WIDE);
    d.keys("x");
    snapshot("wide_status_form", d.screen());
}

#[test]
fn wide_priority_form() {
    let mut d = Desk::new(Lang::En, WIDE);
    d.keys("p");
    snapshot("wide_priority_form", d.screen());
}

#[test]
fn wide_escalation_form_engineer_now() {
    let mut d = Desk::new(Lang::En, WIDE);
    d.keys("e");
    d.key(KeyCode::Down);
    d.key(KeyCode::Enter);
    d.keys("CIO から直接説明を求められています");
    let screen = d.screen();
    assert!(
        screen.contains("Contact the customer by"),
        "option 2 asks how to reach the customer\n{screen}"
    );
    snapshot("wide_escalation_form_engineer_now", screen);
}

#[test]
fn wide_escalation_list() {
    let mut d = Desk::new(Lang::En, WIDE);
    // The lead's queue, as a lead sees it (others are not offered a lead's keys).
    d.send(Msg::Me(Me {
        name: "yamamoto".into(),
        role: Role::Lead,
    }));
    let row = |id: i64, case: &str, kind: &str, state: &str, ago: &str, reason: &str| ListRow {
        cells: vec![
            format!("#{id}"),
            case.to_string(),
            kind.to_string(),
            state.to_string(),
            ago.to_string(),
            reason.to_string(),
        ],
        case: Some(number(case)),
        id: Some(id),
        role: (state == "requested").then_some(theme::Role::DueSoon),
    };
    d.send(Msg::List(ListView {
        kind: ListKind::Escalations,
        title: "Escalations waiting for a lead (3)".into(),
        header: ["id", "case", "option", "state", "requested", "reason"]
            .map(String::from)
            .to_vec(),
        rows: vec![
            row(
                31,
                OPENED,
                "Support engineer now",
                "requested",
                "1h ago by tanaka",
                "お客様の CIO から至急エンジニアと話したいとの要望",
            ),
            row(
                29,
                "2026-1122-000044",
                "Faster technical progress",
                "acknowledged",
                "2d 3h ago by yamamoto",
                "SSO の設定変更後もログインできず、3 日間進展なし",
            ),
            row(
                27,
                "2026-1122-000044",
                "Case reassignment",
                "requested",
                "2d 5h ago by yamamoto",
                "Customer asks for a Japanese-speaking engineer",
            ),
        ],
        selected: 1,
        hint: "a acknowledge · v resolve · d decline · Enter open case · Esc close".into(),
    }));
    snapshot("wide_escalation_list", d.screen());
}

#[test]
fn wide_offline() {
    let mut d = Desk::new(Lang::En, WIDE);
    d.send(Msg::Sync(SyncStatus {
        online: false,
        live: false,
        offline_since: Some(now() - Duration::minutes(12)),
        as_of: Some(now() - Duration::minutes(13)),
        revision: 1,
        pending: 1,
        needs_attention: 1,
        last_error: Some("connection refused".into()),
        ..SyncStatus::default()
    }));
    let screen = d.screen();
    assert!(screen.contains("OFFLINE since 04:48"), "{screen}");
    snapshot("wide_offline", screen);
}

#[test]
fn wide_filter() {
    let mut d = Desk::new(Lang::En, WIDE);
    d.keys("/東京");
    assert_eq!(d.app.queue.len(), 2);
    snapshot("wide_filter", d.screen());
}

#[test]
fn wide_error_message() {
    let mut d = Desk::new(Lang::En, WIDE);
    d.send(Msg::Said(Err(
        "note on 2026-1124-000101: the server refused it: version 7 is stale (the case changed; now 8)"
            .into(),
    )));
    let screen = d.screen();
    assert!(screen.contains("✗ note on 2026-1124-000101"), "{screen}");
    snapshot("wide_error_message", screen);
}

// ---------------------------------------------------------------------------------------------
// Compact layout, 80×24
// ---------------------------------------------------------------------------------------------

#[test]
fn compact_panes() {
    let mut d = Desk::new(Lang::En, COMPACT);
    assert!(!d.app.wide);
    snapshot("compact_queue", d.screen());
    d.key(KeyCode::Tab);
    assert_eq!(d.app.focus, Pane::Detail);
    snapshot("compact_detail", d.screen());
    d.key(KeyCode::Tab);
    assert_eq!(d.app.focus, Pane::Clocks);
    snapshot("compact_clocks", d.screen());
    d.key(KeyCode::Tab);
    assert_eq!(d.app.focus, Pane::Escalation);
    snapshot("compact_escalation", d.screen());
}

#[test]
fn compact_help() {
    let mut d = Desk::new(Lang::En, COMPACT);
    d.keys("?");
    snapshot("compact_help", d.screen());
}

#[test]
fn compact_note_form() {
    let mut d = Desk::new(Lang::En, COMPACT);
    d.keys("i");
    d.keys("再起動後も切断が続くため、ログの取得をお願いしました。");
    snapshot("compact_note_form", d.screen());
}

#[test]
fn too_small() {
    let mut d = Desk::new(Lang::En, (59, 15));
    let screen = d.screen_plain();
    assert!(screen.contains("60×16"), "{screen}");
    snapshot("too_small", screen);
}

// ---------------------------------------------------------------------------------------------
// Japanese interface
// ---------------------------------------------------------------------------------------------

#[test]
fn japanese_wide() {
    let mut d = Desk::new(Lang::Ja, WIDE);
    snapshot("ja_wide_initial", d.screen());
    d.keys("e");
    snapshot("ja_wide_escalation_focused", d.screen());
    d.key(KeyCode::Down);
    d.key(KeyCode::Enter);
    snapshot("ja_wide_escalation_form", d.screen());
    d.key(KeyCode::Esc);
    d.keys("?");
    snapshot("ja_wide_help", d.screen());
}

#[test]
fn japanese_compact() {
    let mut d = Desk::new(Lang::Ja, COMPACT);
    snapshot("ja_compact_queue", d.screen());
    d.key(KeyCode::Tab);
    snapshot("ja_compact_detail", d.screen());
    d.key(KeyCode::Tab);
    snapshot("ja_compact_clocks", d.screen());
    d.key(KeyCode::Tab);
    snapshot("ja_compact_escalation", d.screen());
}

#[test]
fn japanese_too_small() {
    let mut d = Desk::new(Lang::Ja, (59, 15));
    snapshot("ja_too_small", d.screen_plain());
}

// ---------------------------------------------------------------------------------------------
// NO_COLOR and the colours that carry meaning
// ---------------------------------------------------------------------------------------------

/// The queue row (y) of a case.
fn queue_row(buf: &Buffer, case: &str) -> u16 {
    find(buf, case)
        .unwrap_or_else(|| panic!("{case} not on screen"))
        .1
}

#[test]
fn mono_theme_keeps_the_meaning_without_colour() {
    let theme = mono();
    let mut d = Desk::new(Lang::En, WIDE);
    let (buf, _) = d.draw(&theme);
    // No colour anywhere.
    for cell in buf.content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "colour under NO_COLOR: {cell:?}"
        );
    }

    // The selected row (the breached case, first in next-due order) is marked with ">" and
    // drawn in the `selected` style (reverse video).
    let selected = theme.style(theme::Role::Selected).add_modifier;
    assert!(selected.contains(Modifier::REVERSED));
    let y = queue_row(&buf, OPENED);
    let row = row_text(&buf, y);
    assert!(
        row[..].trim_start_matches(['│', '┃']).starts_with('>'),
        "{row}"
    );
    let (x, _) = find(&buf, OPENED).unwrap();
    assert!(
        buf[(x, y)].modifier.contains(Modifier::REVERSED),
        "selected row not reversed: {:?}",
        buf[(x, y)]
    );
    // The breached row says so in words.
    assert!(row.contains("BREACHED"), "{row}");

    // Unselected: the row is not reversed and has no ">"; P1 stays bold; the breach word stays.
    d.key(KeyCode::Down);
    let (buf, _) = d.draw(&theme);
    let y = queue_row(&buf, OPENED);
    let row = row_text(&buf, y);
    assert!(!row.contains('>'), "{row}");
    assert!(row.contains("BREACHED"), "{row}");
    let (x, _) = find_in_row(&buf, y, OPENED).map(|x| (x, y)).unwrap();
    assert!(!buf[(x, y)].modifier.contains(Modifier::REVERSED));
    let (bx, _) = find_in_row(&buf, y, "BREACHED").map(|x| (x, y)).unwrap();
    assert!(
        buf[(bx, y)].modifier.contains(Modifier::BOLD),
        "breached countdown not bold: {:?}",
        buf[(bx, y)]
    );
    let px = find_in_row(&buf, y, "P1").unwrap();
    assert!(
        buf[(px, y)].modifier.contains(Modifier::BOLD),
        "P1 not bold: {:?}",
        buf[(px, y)]
    );
    // The newly selected row is the one marked.
    let y2 = queue_row(&buf, "2026-1124-000102");
    assert!(
        row_text(&buf, y2)
            .trim_start_matches(['│', '┃'])
            .starts_with('>')
    );

    // Notes are told apart by a label, not only by a style (the opened case's detail,
    // scrolled to its timeline).
    let mut d = Desk::new(Lang::En, WIDE);
    d.key(KeyCode::Tab);
    d.keys(&"j".repeat(12));
    let (buf, _) = d.draw(&theme);
    let (ix, iy) = find(&buf, "[INTERNAL]").expect("an internal note labelled [INTERNAL]");
    assert!(
        buf[(ix, iy)].modifier.contains(Modifier::UNDERLINED),
        "{:?}",
        buf[(ix, iy)]
    );
    let (px, py) = find(&buf, "[PUBLIC]").expect("a public note labelled [PUBLIC]");
    assert!(
        buf[(px, py)].modifier.contains(Modifier::BOLD),
        "{:?}",
        buf[(px, py)]
    );
    assert!(find(&buf, "[CALL]").is_some());

    // The SLA pane says each state in a word as well.
    let screen = text(&buf, &Drawn::default());
    for word in ["!! BREACHED", "DUE SOON", "|| paused", "ok met"] {
        assert!(screen.contains(word), "{word} missing\n{screen}");
    }
}

#[test]
fn mono_snapshot_is_the_same_text_as_colour() {
    let mut d = Desk::new(Lang::En, WIDE);
    let (colour, drawn) = d.draw(&dark());
    let (plain, drawn_plain) = d.draw(&mono());
    assert_eq!(text(&colour, &drawn), text(&plain, &drawn_plain));
}

#[test]
fn dark_theme_colours_the_breach_and_the_priority() {
    let theme = dark();
    let mut d = Desk::new(Lang::En, WIDE);
    // Move off the breached row: the selection's colours cover a row's own.
    d.key(KeyCode::Down);
    let (buf, _) = d.draw(&theme);
    let y = queue_row(&buf, OPENED);
    let bx = find_in_row(&buf, y, "BREACHED").unwrap();
    let breached = theme.style(theme::Role::Breached);
    assert_eq!(buf[(bx, y)].fg, breached.fg.unwrap(), "{:?}", buf[(bx, y)]);
    assert!(buf[(bx, y)].modifier.contains(Modifier::BOLD));
    let px = find_in_row(&buf, y, "P1").unwrap();
    let p1 = theme.style(theme::Role::P1);
    assert_eq!(buf[(px, y)].fg, p1.fg.unwrap(), "{:?}", buf[(px, y)]);
    assert!(buf[(px, y)].modifier.contains(Modifier::BOLD));

    // The P2 due in 30 minutes (now selected) keeps its "!" mark; the other P1 (not selected)
    // has the p1 colour too.
    let y = queue_row(&buf, "2026-1124-000110");
    let px = find_in_row(&buf, y, "P1").unwrap();
    assert_eq!(buf[(px, y)].fg, p1.fg.unwrap());
    let y = queue_row(&buf, "2026-1124-000102");
    assert!(row_text(&buf, y).contains("! 30m"), "{}", row_text(&buf, y));

    // The SLA pane and the notes of the opened case, scrolled to its timeline.
    let mut d = Desk::new(Lang::En, WIDE);
    d.key(KeyCode::Tab);
    d.keys(&"j".repeat(12));
    let (buf, _) = d.draw(&theme);
    let (sx, sy) = find(&buf, "!! BREACHED").unwrap();
    assert_eq!(buf[(sx + 3, sy)].fg, breached.fg.unwrap());
    let (dx, dy) = find(&buf, "DUE SOON").unwrap();
    assert_eq!(
        buf[(dx, dy)].fg,
        theme.style(theme::Role::DueSoon).fg.unwrap()
    );

    // Internal and public notes differ in colour as well as in label.
    let (ix, iy) = find(&buf, "[INTERNAL]").unwrap();
    assert_eq!(
        buf[(ix, iy)].fg,
        theme.style(theme::Role::InternalNote).fg.unwrap()
    );
    let (px, py) = find(&buf, "[PUBLIC]").unwrap();
    assert_eq!(
        buf[(px, py)].fg,
        theme.style(theme::Role::PublicNote).fg.unwrap()
    );
}

#[test]
fn offline_is_marked_in_colour_and_in_mono() {
    for theme in [dark(), mono()] {
        let mut d = Desk::new(Lang::En, WIDE);
        d.send(Msg::Sync(SyncStatus {
            online: false,
            offline_since: Some(now() - Duration::minutes(12)),
            as_of: Some(now() - Duration::minutes(13)),
            revision: 1,
            pending: 1,
            needs_attention: 1,
            ..SyncStatus::default()
        }));
        let (buf, _) = d.draw(&theme);
        let (x, y) = find(&buf, "OFFLINE").unwrap();
        assert_eq!(y, WIDE.1 - 1, "on the status bar");
        let cell = &buf[(x, y)];
        let want = theme.style(theme::Role::Offline);
        assert_eq!(cell.fg, want.fg.unwrap_or(Color::Reset), "{}", theme.name);
        assert!(cell.modifier.contains(want.add_modifier), "{}", theme.name);
    }
}

// ---------------------------------------------------------------------------------------------
// Borders and wide characters
// ---------------------------------------------------------------------------------------------

#[test]
fn japanese_text_never_breaks_a_border() {
    for (lang, size) in [
        (Lang::En, WIDE),
        (Lang::Ja, WIDE),
        (Lang::En, COMPACT),
        (Lang::Ja, COMPACT),
        (Lang::Ja, (121, 30)),
        (Lang::Ja, (61, 17)),
        (Lang::Ja, (97, 31)),
    ] {
        let mut d = Desk::new(lang, size);
        for pane in 0..4 {
            for _ in 0..3 {
                let (buf, drawn) = d.draw(&dark());
                assert_borders_intact(&buf, &drawn);
                assert!(
                    !text(&buf, &drawn).contains("HIDDEN UNDER"),
                    "{lang:?} {size:?} pane {pane}\n{}",
                    text(&buf, &drawn)
                );
                d.key(KeyCode::Down);
            }
            d.key(KeyCode::Tab);
        }
    }
}

#[test]
fn overlays_never_hide_half_a_wide_character() {
    for lang in [Lang::En, Lang::Ja] {
        for size in [WIDE, COMPACT, (121, 30), (83, 25)] {
            for keys in ["?", ":es", "i東京", "x", "p", "e\n"] {
                let mut d = Desk::new(lang, size);
                d.keys(keys);
                let (buf, drawn) = d.draw(&dark());
                let screen = text(&buf, &drawn);
                assert!(
                    !screen.contains("HIDDEN UNDER"),
                    "{lang:?} {size:?} {keys:?}\n{screen}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A case opens on what happened last
// ---------------------------------------------------------------------------------------------

/// The size the issue was seen at: the timeline started below the header, and only its oldest
/// two entries showed.
const MID: (u16, u16) = (140, 45);

/// The newest entry's text: the customer's reply, 45 minutes ago.
const NEWEST: &str = "PFS を無効化したところ";

/// A desk with the case opened as a person opens it: Enter on the queue's first row.
fn opened(lang: Lang, size: (u16, u16), order: TimelineOrder) -> Desk {
    let mut d = Desk::ordered(lang, size, order);
    d.key(KeyCode::Enter);
    assert_eq!(d.app.focus, Pane::Detail);
    d
}

/// The screen's line holding `needle`.
fn line_with<'s>(screen: &'s str, needle: &str) -> &'s str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{screen}"))
}

#[test]
fn opening_shows_the_newest_entry_and_marks_what_is_new() {
    for (size, order, name) in [
        (
            MID,
            TimelineOrder::NewestFirst,
            "timeline_newest_first_140x45",
        ),
        (
            MID,
            TimelineOrder::OldestFirst,
            "timeline_oldest_first_140x45",
        ),
        (
            COMPACT,
            TimelineOrder::NewestFirst,
            "timeline_newest_first_80x24",
        ),
        (
            COMPACT,
            TimelineOrder::OldestFirst,
            "timeline_oldest_first_80x24",
        ),
    ] {
        let mut d = opened(Lang::En, size, order);
        let screen = d.screen();
        assert!(
            screen.contains(NEWEST),
            "{order:?} {size:?}: the newest entry on screen\n{screen}"
        );
        // The customer's reply and kim's note came since; tanaka's own call did not count.
        assert_eq!(
            screen.matches("● new").count(),
            2,
            "{order:?} {size:?}\n{screen}"
        );
        assert!(
            screen.contains("11-24 04:15 ● new [PUBLIC] 佐藤 花子 (customer)"),
            "{order:?} {size:?}\n{screen}"
        );
        if screen.contains("[CALL]") {
            assert!(!line_with(&screen, "[CALL]").contains("● new"));
        }
        // Recorded as seen through the newest entry, once.
        assert_eq!(
            d.marked,
            vec![(number(OPENED), now() - Duration::minutes(45))],
            "{order:?} {size:?}"
        );
        snapshot(name, screen);
    }
}

#[test]
fn the_heading_names_the_order_and_counts_the_new() {
    let mut d = opened(Lang::En, MID, TimelineOrder::NewestFirst);
    d.keys("g");
    let screen = d.screen();
    assert!(
        screen.contains("── Timeline · newest first · 2 new ──"),
        "{screen}"
    );
    let mut d = opened(Lang::En, MID, TimelineOrder::OldestFirst);
    d.keys("g");
    assert!(d.screen().contains("── Timeline · oldest first · 2 new ──"));
}

#[test]
fn newest_first_lists_the_newest_entry_first() {
    let mut d = opened(Lang::En, MID, TimelineOrder::NewestFirst);
    let screen = d.screen();
    let (newest, older) = (
        screen.find(NEWEST).expect("newest"),
        screen.find("Engineering asks").expect("kim's note"),
    );
    assert!(newest < older, "{screen}");
}

#[test]
fn a_case_never_opened_marks_nothing_and_is_then_recorded() {
    let mut d = Desk::ordered(Lang::En, MID, TimelineOrder::NewestFirst);
    d.seen = None;
    // Another case first, so the opened case is read afresh.
    d.app.opened = None;
    d.key(KeyCode::Enter);
    let screen = d.screen();
    assert!(screen.contains(NEWEST), "{screen}");
    assert!(!screen.contains("● new"), "{screen}");
    assert!(!screen.contains(" new ──"), "{screen}");
    assert_eq!(
        d.marked,
        vec![(number(OPENED), now() - Duration::minutes(45))]
    );
}

#[test]
fn the_preview_beside_the_queue_is_not_recorded_as_seen() {
    let mut d = Desk::new(Lang::En, MID);
    let screen = d.screen();
    // The preview shows the markers, but only opening the case records it.
    assert!(screen.contains("● new"), "{screen}");
    assert!(d.marked.is_empty());
    d.key(KeyCode::Enter);
    assert_eq!(d.marked.len(), 1);
}

#[test]
fn a_note_arriving_on_the_open_case_shows_at_once_marked_new() {
    for order in [TimelineOrder::NewestFirst, TimelineOrder::OldestFirst] {
        for size in [MID, COMPACT] {
            let mut d = opened(Lang::En, size, order);
            d.screen();
            // Scrolled away to the top to read the description.
            d.keys("g");
            d.screen();
            let mut case = opened_case();
            case.summary.version += 1;
            let mut note = case.notes[5].clone();
            note.id = 7;
            note.author = "yamamoto".into();
            note.party = casedesk::domain::Party::Support;
            note.body = "Lead: call the customer's CIO back before 15:00.".into();
            note.created_at = now() - Duration::minutes(1);
            case.notes.push(note);
            d.send(Msg::Detail(
                number(OPENED),
                Some(Box::new(CachedCase {
                    case,
                    etag: None,
                    fetched_at: now(),
                })),
            ));
            let screen = d.screen();
            let line = line_with(&screen, "] yamamoto");
            assert!(line.contains("● new"), "{order:?} {size:?}\n{screen}");
            assert!(
                screen.contains("call the customer's CIO"),
                "{order:?} {size:?}\n{screen}"
            );
            assert_eq!(
                d.marked.last(),
                Some(&(number(OPENED), now() - Duration::minutes(1)))
            );
            if size == MID && order == TimelineOrder::OldestFirst {
                snapshot("timeline_arrival_oldest_first_140x45", screen);
            }
        }
    }
}

#[test]
fn the_detail_scroll_stays_bounded_in_both_orders() {
    for order in [TimelineOrder::NewestFirst, TimelineOrder::OldestFirst] {
        for size in [MID, COMPACT] {
            let mut d = opened(Lang::En, size, order);
            let (_, drawn) = d.draw(&dark());
            let max = drawn.detail_max_scroll.expect("the detail was drawn");
            let revealed = d.app.opened.as_ref().map(|o| o.scroll).unwrap_or(0);
            assert!(revealed <= max, "{order:?} {size:?}: {revealed} > {max}");
            assert!(!d.app.opened.as_ref().is_some_and(|o| o.reveal));
            // Far past the end: held at the last line; back up one line moves one line.
            d.keys(&"j".repeat(200));
            d.draw(&dark());
            assert_eq!(d.app.opened.as_ref().map(|o| o.scroll), Some(max));
            d.keys("k");
            d.draw(&dark());
            assert_eq!(
                d.app.opened.as_ref().map(|o| o.scroll),
                Some(max.saturating_sub(1))
            );
            // The user's scroll is kept from frame to frame (no reveal pulls it back).
            d.keys("g");
            d.draw(&dark());
            d.draw(&dark());
            assert_eq!(d.app.opened.as_ref().map(|o| o.scroll), Some(0));
        }
    }
}

#[test]
fn japanese_new_markers() {
    let mut d = opened(Lang::Ja, COMPACT, TimelineOrder::NewestFirst);
    let screen = d.screen();
    assert!(screen.contains("● 新着"), "{screen}");
    assert!(screen.contains(NEWEST), "{screen}");
    snapshot("ja_timeline_newest_first_80x24", screen);
    let mut d = opened(Lang::Ja, MID, TimelineOrder::NewestFirst);
    d.keys("g");
    let screen = d.screen();
    assert!(screen.contains("経過 · 新しい順 · 新着 2 件"), "{screen}");
}

#[test]
fn new_markers_keep_their_meaning_without_colour() {
    let mut d = opened(Lang::En, MID, TimelineOrder::NewestFirst);
    let (buf, _) = d.draw(&mono());
    let (x, y) = find(&buf, "● new").expect("a marker on screen");
    for dx in 0..5 {
        let cell = &buf[(x + dx, y)];
        assert!(cell.modifier.contains(Modifier::BOLD), "{cell:?}");
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
    }
    let (buf, _) = d.draw(&dark());
    let (x, y) = find(&buf, "● new").expect("a marker on screen");
    assert!(buf[(x, y)].modifier.contains(Modifier::BOLD));
    assert_eq!(buf[(x, y)].fg, Color::LightGreen);
}

// ---------------------------------------------------------------------------------------------
// Japanese throughout: every pane, form, overlay and list, at 80×24 and 160×48, and no English
// word of the interface left on a Japanese screen
// ---------------------------------------------------------------------------------------------

/// The lists the runtime builds, from the opened case's escalation, the outbox fixture, a
/// search over the fixtures and an entitlement.
fn lists(lang: Lang) -> Vec<(&'static str, ListView)> {
    use casedesk::tui::ui::lists::{entitlement_list, escalation_list, outbox_list};
    let case = opened_case();
    let mut second = case.escalations[0].clone();
    second.id = 32;
    second.kind = casedesk::domain::EscalationKind::FasterRma;
    second.state = casedesk::domain::EscalationState::Acknowledged;
    second.requested_at = now() - Duration::minutes(200);
    let found: Vec<CaseSummary> = cases().into_iter().take(4).collect();
    let entitlement: casedesk::api::Entitlement = serde_json::from_value(json!({
        "serial_number": "FTX2231A0KQ", "tier": "tac-advanced", "contract_end": "2026-10-31",
        "site_name": "東京本社", "site_id": "JP-TYO-01", "account": "ACME Japan", "active": false
    }))
    .unwrap();
    vec![
        (
            "escalations",
            escalation_list(lang, &[case.escalations[0].clone(), second], now()),
        ),
        ("outbox", outbox_list(lang, &outbox(), None)),
        (
            "search",
            casedesk::tui::search::results(
                lang,
                DisplayZone::named("UTC").unwrap(),
                now(),
                "VPN",
                &casedesk::api::SearchResults {
                    cases: found,
                    rmas: found_rmas(),
                },
                "",
            ),
        ),
        (
            "entitlement",
            entitlement_list(lang, "FTX2231A0KQ", &entitlement),
        ),
        ("alerts", alert_list(lang)),
    ]
}

/// This session's alerts as `!` lists them: a new P1, an assignment, a reply, a case due soon
/// and a summary's parts, from the fixture's cases.
fn alert_list(lang: Lang) -> ListView {
    use casedesk::config::Trigger;
    use casedesk::term::text::Say;
    use casedesk::tui::alerts::Raised;
    let cases = cases();
    let raised: Vec<Raised> = [
        (Trigger::NewPriority, 0, "P1", 95),
        (Trigger::AssignedToMe, 1, "", 60),
        (Trigger::CustomerReplied, 2, "", 42),
        (Trigger::DueSoon, 3, "25m", 12),
        (Trigger::Escalation, 4, "", 3),
    ]
    .into_iter()
    .map(|(trigger, i, detail, ago)| {
        let c = &cases[i];
        let number = c.number.to_string();
        Raised {
            at: now() - Duration::minutes(ago),
            trigger,
            case: c.number,
            words: lang.say(Say::Alert(trigger, &number, &c.subject, detail)),
        }
    })
    .collect();
    casedesk::tui::alerts::alert_list(lang, DisplayZone::named("UTC").unwrap(), &raised)
}

#[test]
fn the_alert_list_in_english_compact_and_wide() {
    for size in [COMPACT, WIDE] {
        let mut d = Desk::new(Lang::En, size);
        d.send(Msg::List(alert_list(Lang::En)));
        snapshot(format!("alerts_{}x{}", size.0, size.1), d.screen());
    }
}

/// Every screen worth seeing in `lang` at `size`: the panes, help, the palette, each case
/// action's form, the search and entitlement forms, and the lists.
fn every_screen(lang: Lang, size: (u16, u16)) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut shot = |name: &str, d: &mut Desk| {
        let (buf, drawn) = d.draw(&dark());
        if d.app.overlay.is_none() {
            assert_borders_intact(&buf, &drawn);
        }
        out.push((name.to_string(), text(&buf, &drawn)));
    };
    let mut d = Desk::new(lang, size);
    shot("queue", &mut d);
    for pane in ["detail", "clocks", "escalation"] {
        d.key(KeyCode::Tab);
        shot(pane, &mut d);
    }
    // The detail scrolled to its end: escalations, RMAs, problem reports.
    let mut d = Desk::new(lang, size);
    d.key(KeyCode::Enter);
    d.key(KeyCode::Char('G'));
    shot("detail_end", &mut d);
    for (name, keys) in [
        ("help", "?"),
        ("palette", ":es"),
        ("assign", "a"),
        ("note", "n"),
        ("note_internal", "i"),
        ("status", "x"),
        ("priority", "p"),
        ("rma", "R"),
        ("entitlement_form", "E"),
        ("search_form", ":search\n"),
    ] {
        let mut d = Desk::new(lang, size);
        d.keys(keys);
        shot(name, &mut d);
    }
    // The phone-intake form, empty and after its serial was looked up.
    let mut d = Desk::new(lang, size);
    d.keys("N");
    shot("new_case", &mut d);
    shot("new_case_looked_up", &mut looked_up(lang, size));
    // The status form of a resolved case asks for a close reason; a send without one is
    // refused in the form's words.
    let mut d = Desk::new(lang, size);
    d.keys("x");
    if let Some(casedesk::tui::app::Overlay::Form(form)) = &mut d.app.overlay {
        form.error = Some(lang.say(casedesk::term::text::Say::Required(
            lang.word(casedesk::term::text::Word::ReasonWhat),
        )));
    }
    shot("status_refused", &mut d);
    for option in 0..4 {
        let mut d = Desk::new(lang, size);
        d.keys("e");
        for _ in 0..option {
            d.key(KeyCode::Down);
        }
        d.key(KeyCode::Enter);
        shot(&format!("escalate_{}", option + 1), &mut d);
    }
    for (name, list) in lists(lang) {
        let mut d = Desk::new(lang, size);
        d.send(Msg::List(list));
        shot(&format!("list_{name}"), &mut d);
    }
    out
}

#[test]
fn japanese_every_pane_form_and_list() {
    // `japanese_compact` and `japanese_wide` already hold these.
    let elsewhere = [
        (COMPACT, "queue"),
        (COMPACT, "detail"),
        (COMPACT, "clocks"),
        (COMPACT, "escalation"),
        (WIDE, "queue"),
        (WIDE, "escalation"),
        (WIDE, "help"),
        (WIDE, "escalate_2"),
    ];
    for size in [COMPACT, WIDE] {
        for (name, screen) in every_screen(Lang::Ja, size) {
            assert!(
                !screen.contains("HIDDEN UNDER"),
                "{name} {size:?}\n{screen}"
            );
            if elsewhere.contains(&(size, name.as_str())) {
                continue;
            }
            snapshot(format!("ja_{}x{}_{name}", size.0, size.1), screen);
        }
    }
}

#[test]
fn japanese_screens_keep_no_english_interface_words() {
    // Besides the snapshots, a size between the two layouts.
    for size in [COMPACT, WIDE, (121, 30)] {
        for (name, screen) in every_screen(Lang::Ja, size) {
            assert_japanese(&format!("{name} {size:?}"), &screen, &fixture_text());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Emoji sequences and flags
// ---------------------------------------------------------------------------------------------

#[test]
fn emoji_sequences_and_flags_never_shift_a_border() {
    let subject = "👨\u{200D}👩\u{200D}👧 家族 🇯🇵 flag ❤\u{FE0F} 👍\u{1F3FD} e\u{0301}";
    for lang in [Lang::En, Lang::Ja] {
        for size in [
            WIDE,
            (121, 30),
            (100, 30),
            COMPACT,
            (61, 17),
            (97, 31),
            (133, 40),
        ] {
            let mut d = Desk::new(lang, size);
            let mut rows = cases();
            rows[0].subject = subject.to_string();
            rows[0].site_name = "🇯🇵 東京👨\u{200D}👩\u{200D}👧".into();
            d.send(Msg::Cases(
                rows.into_iter().map(Row::new).collect(),
                outbox(),
            ));
            let mut case = opened_case();
            case.summary.subject = subject.to_string();
            case.description = format!("{subject}\n{subject}{subject}{subject}");
            d.send(Msg::Detail(
                number(OPENED),
                Some(Box::new(CachedCase {
                    case,
                    etag: None,
                    fetched_at: now(),
                })),
            ));
            for pane in 0..4 {
                let (buf, drawn) = d.draw(&dark());
                assert_borders_intact(&buf, &drawn);
                let screen = text(&buf, &drawn);
                assert!(
                    !screen.contains("HIDDEN UNDER"),
                    "{lang:?} {size:?}\n{screen}"
                );
                for y in 0..buf.area.height {
                    for x in 0..buf.area.width {
                        let symbol = buf[(x, y)].symbol();
                        // Nothing a terminal could draw wider than measured: no joiner, flag
                        // letter, variation selector or skin tone reaches a cell.
                        assert!(
                            !symbol.chars().any(|c| matches!(c,
                                '\u{200D}' | '\u{FE00}'..='\u{FE0F}'
                                | '\u{1F1E6}'..='\u{1F1FF}' | '\u{1F3FB}'..='\u{1F3FF}')),
                            "{lang:?} {size:?} cell ({x},{y}) holds {symbol:?}\n{screen}"
                        );
                        // Each cell's glyph is as wide as its cluster and the cells it covers
                        // are blank, so a cut never leaves half a glyph.
                        let w = symbol.width();
                        assert!(w <= 2, "{symbol:?}");
                        if w == 2 {
                            assert!(x + 1 < buf.area.width, "half a glyph at the edge");
                            assert_eq!(
                                buf[(x + 1, y)].symbol(),
                                " ",
                                "{lang:?} {size:?} ({x},{y})"
                            );
                        }
                    }
                }
                if pane == 0 {
                    assert!(
                        screen.contains("👨 家族") || size.0 < 100,
                        "{lang:?} {size:?} the family keeps its first member\n{screen}"
                    );
                }
                d.key(KeyCode::Tab);
            }
        }
    }
}

#[test]
fn rma_move_from_a_case_offers_the_allowed_moves_and_the_dates() {
    for (lang, name) in [
        (Lang::En, "wide_rma_move_form"),
        (Lang::Ja, "ja_wide_rma_move_form"),
    ] {
        let mut d = Desk::new(lang, WIDE);
        // Two open RMAs on the case: their list comes first, then the form for the chosen row.
        d.keys("m");
        let Some(casedesk::tui::app::Overlay::List(list)) = &d.app.overlay else {
            panic!("the case's RMAs are listed first");
        };
        assert_eq!(list.kind, ListKind::Rmas);
        assert_eq!(list.rows.len(), 2);
        d.keys("m");
        let Some(casedesk::tui::app::Overlay::Form(form)) = &d.app.overlay else {
            panic!("the move form opens");
        };
        let options: Vec<&str> = form
            .fields
            .iter()
            .find(|f| f.key == "status")
            .map(|f| match &f.kind {
                casedesk::tui::form::FieldKind::Choice { options, .. } => {
                    options.iter().map(|(v, _)| v.as_str()).collect()
                }
                _ => Vec::new(),
            })
            .unwrap_or_default();
        assert_eq!(
            options,
            [
                "replacement_shipped",
                "defective_received",
                "closed",
                "cancelled",
                ""
            ],
            "an issued RMA moves forward or is cancelled"
        );
        snapshot(name, d.screen());
    }
}

#[test]
fn what_an_opening_records_does_not_move_its_own_markers() {
    let mut d = opened(Lang::En, MID, TimelineOrder::NewestFirst);
    // The case is re-read while open (a sync), after this opening recorded it as seen: the
    // entries that were new when it opened stay marked until it is opened again.
    d.send(Msg::Seen(number(OPENED), Some(now())));
    let screen = d.screen();
    assert_eq!(screen.matches("● new").count(), 2, "{screen}");
    // Opened again (another case in between), it starts from what was recorded.
    d.seen = d.marked.last().map(|(_, at)| *at);
    d.key(KeyCode::Esc);
    d.key(KeyCode::Down);
    d.key(KeyCode::Up);
    d.key(KeyCode::Enter);
    let screen = d.screen();
    assert!(!screen.contains("● new"), "{screen}");
}

/// The new-case form with a serial typed and its lookup back: a lapsed contract, and two open
/// cases of the serial.
fn looked_up(lang: Lang, size: (u16, u16)) -> Desk {
    use casedesk::api::Entitlement;
    use casedesk::sync::SerialCheck;
    let mut d = Desk::new(lang, size);
    d.keys("N");
    d.keys("JN6F9D6E4C72");
    d.key(KeyCode::Tab);
    let open_cases = cases()
        .into_iter()
        .filter(|c| c.status.is_open())
        .take(2)
        .collect();
    d.send(Msg::SerialChecked(SerialCheck {
        serial: "JN6F9D6E4C72".into(),
        entitlement: Some(Some(Entitlement {
            serial_number: "JN6F9D6E4C72".into(),
            tier: casedesk::domain::ContractTier::TacCare,
            contract_end: chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            site_name: "横浜物流センター".into(),
            site_id: "YKH-LOG05".into(),
            account: "ネクストリンク株式会社".into(),
            active: false,
        })),
        open_cases,
    }));
    // P1, whose meaning is shown under the choice.
    d.key(KeyCode::Left);
    d.key(KeyCode::Left);
    d
}

#[test]
fn the_new_case_form_fills_from_the_contract_and_names_possible_duplicates() {
    for size in [COMPACT, WIDE] {
        let mut d = looked_up(Lang::En, size);
        let screen = d.screen();
        assert!(screen.contains("NO ACTIVE CONTRACT"), "{screen}");
        assert!(screen.contains("already open for this serial"), "{screen}");
        assert!(screen.contains("[P1 Critical]"), "{screen}");
        assert!(screen.contains("service down"), "{screen}");
        snapshot(format!("new_case_{}x{}", size.0, size.1), screen);
    }
    // The contract filled the fields the agent left empty.
    let d = looked_up(Lang::En, WIDE);
    let Some(casedesk::tui::app::Overlay::Form(form)) = &d.app.overlay else {
        panic!("the form is open");
    };
    assert_eq!(form.value("site_id"), "YKH-LOG05");
    assert_eq!(form.value("account"), "ネクストリンク株式会社");
    assert_eq!(form.value("tier"), "tac-care");
    // A send without a subject and phone is refused in the form, nothing is lost.
    let mut d = looked_up(Lang::En, WIDE);
    d.send(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    let screen = d.screen();
    assert!(screen.contains("subject is empty"), "{screen}");
    assert!(screen.contains("JN6F9D6E4C72"), "{screen}");
}

// ---------------------------------------------------------------------------------------------
// What breaches next (issue 12): breached, due soon, RMA overdue and no-target cases
// ---------------------------------------------------------------------------------------------

/// A case of the on-call desk: its summary and its clocks (the rest of the case is plain).
fn on_call_case(summary: Value, clocks: Vec<Value>, rmas: Value) -> Case {
    let mut case = summary_json(summary);
    let detail = json!({
        "description": "", "software_version": "1.0",
        "contact_email": "", "contact_phone": "", "preferred_contact": "email",
        "user_type": "business_user", "problem_reports": [], "attachments": [],
        "entitlement": null, "unentitled": false, "close_reason": null,
        "notes": [], "history": [], "escalations": [], "rmas": rmas,
        "clocks": {
            "at": NOW,
            "clocks": clocks,
            "p1_contact": {
                "failing_since": null, "downgrade_available_at": null,
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

/// A met first response.
fn met_first_response() -> Value {
    let mut first = clock("first_response", "met", "2h business", "jp-business", None);
    first["met_at"] = json!(at(-20 * 60));
    first
}

/// The on-call desk: three breached, two due within the hour, one later, a case whose RMA
/// return is overdue (its own clocks fine), and three open cases with no desk clock running
/// (self service, and a backup-vendor tier after its first response) — one a P1.
fn on_call_desk() -> Vec<Case> {
    let update =
        |state: &str, minutes: i64| clock("update", state, "4h 24x7", "24x7", Some(minutes));
    let mut rma_late = clock(
        "rma_return",
        "breached",
        "10bd",
        "jp-business",
        Some(-3 * 24 * 60),
    );
    rma_late["rma"] = json!("R21000008");
    let mut auto_close = clock("auto_close", "running", "14d", "24x7", Some(9 * 24 * 60));
    auto_close["counting"] = json!(true);
    let paused = clock("update", "paused", "1bd", "jp-business", None);
    vec![
        on_call_case(
            json!({
                "number": "2026-1124-000201", "priority": "P2", "owner": "kim",
                "subject": "BGP session flaps every 5 minutes", "site_name": "Osaka DC",
                "next_due": at(5),
            }),
            vec![met_first_response(), update("running", 5)],
            json!([]),
        ),
        on_call_case(
            json!({
                "number": "2026-1124-000202", "priority": "P1", "status": "new", "owner": null,
                "subject": "全店舗の POS が決済できない", "site_name": "東京本社",
                "tier": "tac-premium", "next_due": at(40),
            }),
            vec![clock(
                "first_response",
                "running",
                "1h 24x7",
                "24x7",
                Some(40),
            )],
            json!([]),
        ),
        on_call_case(
            json!({
                "number": "2026-1123-000150", "priority": "P3",
                "subject": "SNMP traps missing after upgrade", "site_name": "Chicago NOC",
                "next_due": at(3 * 60),
            }),
            vec![met_first_response(), update("running", 3 * 60)],
            json!([]),
        ),
        on_call_case(
            json!({
                "number": "2026-1114-000031", "priority": "P2", "owner": "suzuki",
                "subject": "電源ユニット PS2 の障害", "site_name": "名古屋工場",
                "next_due": at(-10 * 24 * 60), "breached": true,
            }),
            vec![met_first_response(), update("breached", -10 * 24 * 60)],
            json!([]),
        ),
        on_call_case(
            json!({
                "number": "2026-1124-000190", "priority": "P1",
                "subject": "Core router down after power cut", "site_name": "Frankfurt DC",
                "next_due": at(-15), "breached": true,
            }),
            vec![met_first_response(), update("breached", -15)],
            json!([]),
        ),
        on_call_case(
            json!({
                "number": "2026-1121-000077", "priority": "P4", "owner": null,
                "subject": "Licence portal shows the wrong expiry", "site_name": "Seattle HQ",
                "next_due": at(-2 * 24 * 60), "breached": true,
            }),
            vec![met_first_response(), update("breached", -2 * 24 * 60)],
            json!([]),
        ),
        // The defective unit is the customer's to send back: not a desk breach.
        on_call_case(
            json!({
                "number": "2026-1110-000012", "priority": "P3", "status": "waiting_on_customer",
                "subject": "RMA R21000008: replacement PSU delivered", "site_name": "横浜物流センター",
                "next_due": at(9 * 24 * 60),
            }),
            vec![met_first_response(), paused, auto_close, rma_late],
            json!([
                {"number": "R21000008", "status": "replacement_shipped",
                 "case_number": "2026-1110-000012", "account": "ACME Japan",
                 "serial_number": "JN6F9D6E4C72", "part_number": "PWR-MX480-AC",
                 "analysis": null, "created_at": at(-17 * 24 * 60), "issued_at": at(-17 * 24 * 60),
                 "return_due": at(-3 * 24 * 60), "overdue": true}
            ]),
        ),
        // No desk clock runs: self service, and backup-vendor standard after its response.
        on_call_case(
            json!({
                "number": "2026-1124-000120", "priority": "P1", "tier": "self_service",
                "subject": "Production down: storage cluster offline", "site_name": "Singapore",
            }),
            vec![],
            json!([]),
        ),
        on_call_case(
            json!({
                "number": "2026-1120-000040", "priority": "P2", "tier": "standard",
                "subject": "バックアップが失敗する", "site_name": "大阪支店",
                "created_at": at(-4 * 24 * 60),
            }),
            vec![met_first_response()],
            json!([]),
        ),
        on_call_case(
            json!({
                "number": "2026-1122-000008", "priority": "P4", "status": "new",
                "tier": "self_service", "owner": null,
                "subject": "How do I reset the admin password?", "site_name": "Austin Office",
            }),
            vec![],
            json!([]),
        ),
    ]
}

fn on_call(lang: Lang, size: (u16, u16)) -> Desk {
    let details = on_call_desk();
    let cases = details.iter().map(|c| c.summary.clone()).collect();
    Desk::holding(lang, size, TimelineOrder::default(), cases, details)
}

/// The case numbers in the queue, top to bottom, as drawn: the rows that begin with a
/// priority (not the detail pane's title, which names the case too).
fn queue_order(screen: &str) -> Vec<String> {
    let numbers: Vec<String> = on_call_desk()
        .iter()
        .map(|c| c.summary.number.to_string())
        .collect();
    screen
        .lines()
        .filter(|l| l.trim_start_matches(['┃', '│', ' ', '>']).starts_with('P'))
        .filter_map(|l| numbers.iter().find(|n| l.contains(n.as_str())).cloned())
        .collect()
}

#[test]
fn breaching_next_is_key_4_soonest_first_then_the_breached() {
    for (lang, size) in [
        (Lang::En, COMPACT),
        (Lang::En, WIDE),
        (Lang::Ja, COMPACT),
        (Lang::Ja, WIDE),
    ] {
        let mut d = on_call(lang, size);
        d.keys("4");
        // It opens on what breaches next, not on the breached case view 7 had selected.
        assert_eq!(d.app.queue.selected(), 0);
        let screen = d.screen();
        // What breaches next first (due in 5 minutes on row 1), the breached after the line
        // that heads them, most overdue first; the RMA-overdue case by its own next deadline;
        // no case without a deadline.
        assert_eq!(
            queue_order(&screen),
            [
                "2026-1124-000201",
                "2026-1124-000202",
                "2026-1123-000150",
                "2026-1110-000012",
                "2026-1114-000031",
                "2026-1121-000077",
                "2026-1124-000190",
            ],
            "{screen}"
        );
        let heading = match lang {
            Lang::En => "── breached, most overdue first (3)",
            Lang::Ja => "── 期限超過（超過の長い順） (3)",
        };
        let rma = line_with(&screen, "2026-1110-000012");
        assert!(
            !rma.contains("BREACHED") && !rma.contains("期限超過"),
            "{rma}"
        );
        let (separator, breached) = (
            screen.find(heading).unwrap_or_else(|| panic!("{screen}")),
            screen.find("2026-1114-000031").unwrap(),
        );
        assert!(separator < breached, "{screen}");
        let name = format!("breaching_next_{}_{}x{}", lang_code(lang), size.0, size.1);
        snapshot(name, screen);
    }
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Ja => "ja",
    }
}

#[test]
fn next_due_shows_no_target_and_sorts_it_by_priority_after_the_deadlines() {
    for (lang, size) in [(Lang::En, WIDE), (Lang::Ja, COMPACT)] {
        let mut d = on_call(lang, size);
        d.keys("7");
        let screen = d.screen();
        assert_eq!(
            queue_order(&screen),
            [
                "2026-1114-000031",
                "2026-1121-000077",
                "2026-1124-000190",
                "2026-1124-000201",
                "2026-1124-000202",
                "2026-1123-000150",
                "2026-1110-000012",
                // No target: P1 first, not last.
                "2026-1124-000120",
                "2026-1120-000040",
                "2026-1122-000008",
            ],
            "{screen}"
        );
        let word = match lang {
            Lang::En => "no target",
            Lang::Ja => "目標なし",
        };
        for n in ["2026-1124-000120", "2026-1120-000040", "2026-1122-000008"] {
            let line = line_with(&screen, n);
            assert!(line.contains(word), "{line}");
            assert!(
                !line.contains("stopped") && !line.contains("停止"),
                "{line}"
            );
        }
        let name = format!(
            "next_due_no_target_{}_{}x{}",
            lang_code(lang),
            size.0,
            size.1
        );
        snapshot(name, screen);
    }
}

#[test]
fn the_sla_pane_says_met_with_no_update_target() {
    for lang in [Lang::En, Lang::Ja] {
        let mut d = on_call(lang, WIDE);
        d.keys("7");
        // The backup-vendor case, ninth row.
        d.keys("jjjjjjjj");
        let screen = d.screen();
        let want = match lang {
            Lang::En => "met · no update target",
            Lang::Ja => "達成 · 更新の目標なし",
        };
        assert!(screen.contains(want), "{screen}");
        snapshot(format!("sla_no_update_target_{}", lang_code(lang)), screen);
    }
}

// ---------------------------------------------------------------------------------------------
// Seeing what happened (issue 12, items 9–12)
// ---------------------------------------------------------------------------------------------

/// Both languages at both sizes, with the snapshot suffix naming them.
const LANGS_AND_SIZES: [(Lang, (u16, u16), &str); 4] = [
    (Lang::En, COMPACT, "en_80x24"),
    (Lang::En, WIDE, "en_160x48"),
    (Lang::Ja, COMPACT, "ja_80x24"),
    (Lang::Ja, WIDE, "ja_160x48"),
];

#[test]
fn an_open_escalation_marks_the_case_number_with_a_caret() {
    for (lang, size, name) in LANGS_AND_SIZES {
        let mut d = Desk::new(lang, size);
        let screen = d.screen();
        // The opened case has an open escalation; the one after it has none.
        let row = line_with(&screen, OPENED);
        assert!(row.contains(&format!("{OPENED}^")), "{name}:\n{screen}");
        let other = line_with(&screen, "2026-1124-000102");
        assert!(!other.contains("2026-1124-000102^"), "{name}:\n{screen}");
        snapshot(format!("escalation_caret_{name}"), screen);
    }
}

#[test]
fn a_long_message_wraps_instead_of_being_cut() {
    let long = "note on 2026-1124-000101: the server refused it: cannot move a case from open to \
                waiting_on_customer while an escalation is open; ask a lead to acknowledge it \
                first (escalations: 1)";
    for (lang, size, name) in LANGS_AND_SIZES {
        let mut d = Desk::new(lang, size);
        d.send(Msg::Said(Err(long.into())));
        let screen = d.screen();
        // The end of the message is on screen, and the API name is a word.
        assert!(screen.contains("(escalations: 1)"), "{name}:\n{screen}");
        assert!(!screen.contains("waiting_on_customer"), "{name}:\n{screen}");
        let word = match lang {
            Lang::En => "Waiting on customer",
            Lang::Ja => "お客様回答待ち",
        };
        assert!(screen.contains(word), "{name}:\n{screen}");
        snapshot(format!("long_message_{name}"), screen);
        // The next key's silence clears it, and the panes get their rows back.
        d.key(KeyCode::Char('j'));
        let screen = d.screen();
        assert!(!screen.contains("(escalations: 1)"), "{name}:\n{screen}");
    }
}

#[test]
fn a_case_breaching_on_screen_says_so_in_the_message_line() {
    for (lang, size, name) in LANGS_AND_SIZES {
        let mut d = Desk::new(lang, size);
        // The P2 due in 30 minutes, 31 minutes later.
        d.send(Msg::Tick(now() + Duration::minutes(31)));
        let screen = d.screen();
        let said = match lang {
            Lang::En => "!! 2026-1124-000102 has breached its SLA",
            Lang::Ja => "!! 2026-1124-000102 が SLA の期限を超過しました",
        };
        assert!(screen.contains(said), "{name}:\n{screen}");
        snapshot(format!("breach_told_{name}"), screen);
    }
}

/// The opened case as the server gives it after an escalation and a status change: the
/// server's history records the request too, and a note mixes Japanese with long English words.
fn case_with_history() -> Case {
    let mut case = opened_case();
    let history = serde_json::from_value(json!([
        {"at": at(-60), "actor": "tanaka", "summary": "escalation requested: Support engineer now",
         "reason": "お客様の CIO から至急エンジニアと話したいとの要望"},
        {"at": at(-35), "actor": "tanaka", "summary": "status open → waiting_on_customer",
         "reason": null},
    ]))
    .unwrap();
    case.history.extend::<Vec<_>>(history);
    let note = serde_json::from_value(json!(
        {"id": 7, "author": "tanaka", "party": "support", "visibility": "internal",
         "kind": "note",
         "body": "ハブ側でcapture取得の依頼を送付済み。お客様のネットワーク管理者がreconfigurationを実施したあとにfirmwareをdowngradeする予定です。続報はmaintenance window後に共有されます。",
         "created_at": at(-30)}
    ))
    .unwrap();
    case.notes.push(note);
    case
}

#[test]
fn the_timeline_logs_an_escalation_once_and_wraps_without_splitting_words() {
    for (lang, size, name) in LANGS_AND_SIZES {
        let mut d = opened(lang, size, TimelineOrder::NewestFirst);
        d.send(Msg::Detail(
            number(OPENED),
            Some(Box::new(CachedCase {
                case: case_with_history(),
                etag: None,
                fetched_at: now() - Duration::minutes(1),
            })),
        ));
        let screen = d.screen();
        snapshot(format!("timeline_history_{name}"), &screen);
        let (request, change) = match lang {
            Lang::En => ("[ESCALATION", "[CHANGE]"),
            Lang::Ja => ("[エスカレーション", "[変更]"),
        };
        // Down to the request (an hour ago), past the newer entries.
        let mut below = d.screen();
        for _ in 0..30 {
            if below.contains(request) {
                // Two rows more: what follows it at the same instant is on screen too.
                d.keys("jj");
                below = d.screen();
                break;
            }
            d.key(KeyCode::Char('j'));
            below = d.screen();
        }
        let escalations = below.lines().filter(|l| l.contains(request)).count();
        assert_eq!(escalations, 1, "{name}:\n{below}");
        assert!(
            !below
                .lines()
                .any(|l| l.contains(change) && l.contains("escalation")),
            "{name}:\n{below}"
        );
        assert!(
            !screen
                .lines()
                .any(|l| l.contains(change) && l.contains("escalation")),
            "{name}:\n{screen}"
        );
        // The status change is in words.
        assert!(!screen.contains("waiting_on_customer"), "{name}:\n{screen}");
        // English words inside the Japanese note are whole on their rows, and the rows the
        // note wraps onto keep its indent.
        for word in [
            "capture",
            "reconfiguration",
            "firmware",
            "downgrade",
            "maintenance",
        ] {
            assert!(screen.contains(word), "{word} split in {name}:\n{screen}");
        }
        let body_rows: Vec<&str> = screen
            .lines()
            .skip_while(|l| !l.contains("ハブ側で"))
            .take_while(|l| !l.contains("11-24"))
            .collect();
        assert!(body_rows.len() > 1, "{name}:\n{screen}");
        for row in &body_rows {
            let inside = row.trim_start_matches(['│', '┃']);
            assert!(inside.starts_with("  "), "{name}: {row:?}\n{screen}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Forms and panes (issue 12, items 6, 7, 14)
// ---------------------------------------------------------------------------------------------

/// An escalation waiting for a lead, as the server sends it.
fn waiting_escalation() -> casedesk::api::Escalation {
    serde_json::from_value(json!({
        "id": 31, "case_number": OPENED, "kind": "reassignment", "state": "acknowledged",
        "reason": "お客様が日本語で対応できるエンジニアを希望。現在の担当は英語のみで、説明が 2 回行き違っている",
        "contact_method": null, "requested_by": "tanaka", "requested_at": at(-75),
        "acknowledged_by": "yamamoto", "acknowledged_at": at(-30), "closed_by": null,
        "closed_at": null, "resolution": null
    }))
    .unwrap()
}

#[test]
fn the_status_form_lists_the_domains_moves_and_how_to_close() {
    for (lang, size, name) in LANGS_AND_SIZES {
        let mut d = Desk::new(lang, size);
        d.keys("x");
        let screen = d.screen();
        let expected = match lang {
            Lang::En => "to close, first move it to",
            Lang::Ja => "クローズするには",
        };
        assert!(screen.contains(expected), "{name}:\n{screen}");
        snapshot(format!("status_form_moves_{name}"), screen);
    }
}

#[test]
fn the_downgrade_field_appears_only_for_p1_to_p2() {
    for (lang, size, name) in LANGS_AND_SIZES {
        let mut d = Desk::new(lang, size);
        d.keys("p");
        let label = lang.word(casedesk::term::text::Word::TemporaryDowngrade);
        assert!(
            !d.screen().contains(label),
            "{name}: P1 chosen, no downgrade asked"
        );
        d.key(KeyCode::Right);
        let screen = d.screen();
        assert!(screen.contains(label), "{name}: P2 chosen\n{screen}");
        snapshot(format!("priority_form_downgrade_{name}"), screen);
    }
}

#[test]
fn a_leads_resolve_form_names_the_case_the_option_and_the_reason() {
    for (lang, size, name) in LANGS_AND_SIZES {
        let mut d = Desk::new(lang, size);
        d.send(Msg::Me(Me {
            name: "yamamoto".into(),
            role: Role::Lead,
        }));
        d.send(Msg::Escalations(vec![waiting_escalation()]));
        d.keys("v");
        let screen = d.screen();
        assert!(
            screen.contains(&format!("#31 — {OPENED}")),
            "{name}:\n{screen}"
        );
        assert!(screen.contains("お客様が日本語で"), "{name}:\n{screen}");
        snapshot(format!("lead_resolve_form_{name}"), screen);
    }
}

#[test]
fn digits_in_the_escalate_pane_choose_its_options_and_help_lists_them() {
    for (lang, size, name) in LANGS_AND_SIZES {
        let mut d = Desk::new(lang, size);
        let view = d.app.current_view().key;
        d.keys("e");
        d.keys("?");
        let screen = d.screen();
        assert!(
            screen.contains("1–4") || screen.contains("1〜4"),
            "{name}:\n{screen}"
        );
        snapshot(format!("help_escalate_pane_{name}"), screen);
        d.key(KeyCode::Esc);
        d.keys("3");
        assert_eq!(d.app.current_view().key, view, "{name}: no view switch");
        assert_eq!(d.app.option, 2);
        snapshot(format!("escalate_digit_form_{name}"), d.screen());
    }
}

#[test]
fn help_names_the_saved_views_and_offers_a_leads_keys_only_to_leads() {
    for (lang, size, name) in LANGS_AND_SIZES {
        let mut d = Desk::new(lang, size);
        d.keys("?");
        let top = d.screen();
        let views = View::defaults_in(lang);
        for v in &views {
            assert!(
                top.contains(&v.name),
                "{name}: view {} named\n{top}",
                v.name
            );
        }
        assert!(!top.contains(":view-8"), "{name}: no view 8 exists\n{top}");
        // The end of the help: the lists' keys; an agent is not offered a lead's.
        d.keys("G");
        let lead_line = match lang {
            Lang::En => "Escalations (leads)",
            Lang::Ja => "エスカレーション（リーダー）",
        };
        assert!(!d.screen().contains(lead_line), "{name}");
        d.key(KeyCode::Esc);
        d.send(Msg::Me(Me {
            name: "yamamoto".into(),
            role: Role::Lead,
        }));
        d.keys("?G");
        let bottom = d.screen();
        assert!(bottom.contains(lead_line), "{name}:\n{bottom}");
        snapshot(format!("help_views_{name}"), top);
        snapshot(format!("help_lead_end_{name}"), bottom);
    }
}

// ---------------------------------------------------------------------------------------------
// Search results with RMAs in their own table, and the RMA list (issue 12 item 13)
// ---------------------------------------------------------------------------------------------

/// RMAs as a search or the RMA list finds them: the opened case's two, one overdue, one closed.
fn found_rmas() -> Vec<casedesk::api::Rma> {
    let mut rmas = opened_case().rmas;
    rmas.extend(
        serde_json::from_value::<Vec<casedesk::api::Rma>>(json!([
            {"number": "R00004650", "status": "replacement_shipped", "case_number": "2026-1122-000044",
             "account": "Osaka Trading", "serial_number": "FOC1822X0AB", "part_number": "PWR-C1-350WAC",
             "analysis": null, "created_at": at(-20 * 24 * 60), "issued_at": at(-20 * 24 * 60),
             "return_due": at(-6 * 24 * 60), "overdue": true},
            {"number": "R00004601", "status": "closed", "case_number": "2026-1120-000012",
             "account": "ACME Japan", "serial_number": "FTX2231A0KQ", "part_number": "NXA-FAN-30CFM",
             "analysis": "repair_analysis", "created_at": at(-40 * 24 * 60), "issued_at": at(-40 * 24 * 60),
             "return_due": at(-30 * 24 * 60), "overdue": false}
        ]))
        .unwrap(),
    );
    rmas
}

fn lang_tag(lang: Lang, size: (u16, u16)) -> String {
    let l = match lang {
        Lang::En => "en",
        Lang::Ja => "ja",
    };
    format!("{l}_{}x{}", size.0, size.1)
}

#[test]
fn search_results_show_rmas_in_their_own_table() {
    for lang in [Lang::En, Lang::Ja] {
        for size in [COMPACT, WIDE] {
            let mut d = Desk::new(lang, size);
            d.send(Msg::Found(
                "FTX2231A0KQ".into(),
                casedesk::api::SearchResults {
                    cases: cases().into_iter().take(3).collect(),
                    rmas: found_rmas(),
                },
                String::new(),
            ));
            // The cursor moves on from the cases into the RMAs' table.
            d.keys("jjjj");
            let screen = d.screen();
            // An RMA's status sits under the RMA table's status column, not the cases' "pri".
            if lang == Lang::En {
                let (buf, _) = d.draw(&dark());
                let (x, y) = find(&buf, "R00004712").unwrap();
                let (sx, _) = (0..y)
                    .rev()
                    .find_map(|hy| find_in_row(&buf, hy, "status").map(|sx| (sx, hy)))
                    .unwrap();
                assert_eq!(
                    find_in_row(&buf, y, "Replacement shipped"),
                    Some(sx),
                    "{screen}"
                );
                assert!(x < sx);
            }
            snapshot(format!("search_rmas_{}", lang_tag(lang, size)), screen);
        }
    }
}

#[test]
fn the_rma_list_sorts_by_return_due_and_filters() {
    for lang in [Lang::En, Lang::Ja] {
        for size in [COMPACT, WIDE] {
            let tag = lang_tag(lang, size);
            let mut d = Desk::new(lang, size);
            d.send(Msg::RmaList(found_rmas()));
            snapshot(format!("rma_list_{tag}"), d.screen());
            // By case, then filtered to one serial (typing: the title shows the filter).
            d.keys("sss/ftx2231a0kq");
            snapshot(format!("rma_list_filtered_{tag}"), d.screen());
        }
    }
}

#[test]
fn a_filter_matching_nothing_here_points_to_search() {
    for (lang, said) in [
        (Lang::En, "no match here — :search asks the server"),
        (
            Lang::Ja,
            "ここには該当なし — :search でサーバーに問い合わせます",
        ),
    ] {
        let mut d = Desk::new(lang, COMPACT);
        d.keys("/zzqx");
        let screen = d.screen();
        assert!(screen.contains(said), "{screen}");
        // Without a filter, an empty view says what it always did.
        d.key(KeyCode::Esc);
        assert!(!d.screen().contains(said));
    }
}

// ---------------------------------------------------------------------------------------------
// Issue 12 follow-ups: the assign form's people picker; emoji sequences on a real terminal
// ---------------------------------------------------------------------------------------------

/// Seven people who may own cases (and one who left): more than the picker lists at once.
fn people() -> Vec<casedesk::api::Person> {
    let person = |name: &str, role: Role, active: bool| casedesk::api::Person {
        name: name.into(),
        role,
        active,
    };
    vec![
        person("tanaka", Role::Agent, true),
        person("kim", Role::Agent, true),
        person("sato", Role::Agent, true),
        person("suzuki", Role::Agent, true),
        person("yamamoto", Role::Lead, true),
        person("carol", Role::Lead, true),
        person("watanabe", Role::Agent, true),
        person("ito", Role::Agent, false),
    ]
}

#[test]
fn the_assign_forms_picker_shows_its_matches_and_how_to_choose() {
    for lang in [Lang::En, Lang::Ja] {
        let hint = match lang {
            Lang::En => "Tab completes · ↑↓ choose",
            Lang::Ja => "Tab で補完 · ↑↓ で選択",
        };
        for size in [COMPACT, WIDE] {
            let tag = lang_tag(lang, size);
            let mut d = Desk::new(lang, size);
            d.send(Msg::People(people()));
            // The unassigned P1: the owner field starts empty, so every owner matches.
            d.keys("jja");
            assert!(
                d.app
                    .overlay
                    .as_ref()
                    .is_some_and(|o| format!("{o:?}").contains("000110")),
                "{tag}: the assign form of 2026-1124-000110"
            );
            let screen = d.screen_plain();
            // Five names, how many more, and how to choose: all in the box at either size.
            assert!(screen.contains(hint), "{tag}\n{screen}");
            for name in ["carol", "kim", "sato", "suzuki", "tanaka"] {
                assert!(screen.contains(name), "{tag}: {name}\n{screen}");
            }
            snapshot(format!("assign_picker_{tag}"), screen);
            // Typing narrows the matches; Tab completes to the first.
            d.keys("s");
            d.key(KeyCode::Tab);
            let screen = d.screen_plain();
            assert!(screen.contains(hint), "{tag}\n{screen}");
            snapshot(format!("assign_picker_completed_{tag}"), screen);
        }
    }
}

/// What a terminal that lays text out one character at a time (as `wcwidth` terminals do, and
/// `vt100`) shows after `frames` are sent as the runtime sends them: each frame's diff from
/// the last through the crossterm backend. One string per row, trailing blanks trimmed.
fn on_a_char_by_char_terminal(frames: &[Buffer]) -> Vec<Vec<String>> {
    use ratatui::backend::{Backend, CrosstermBackend};
    let Some(first) = frames.first() else {
        return Vec::new();
    };
    let (w, h) = (first.area.width, first.area.height);
    let nonzero = |n: u16| std::num::NonZeroU16::new(n).expect("a frame is never empty");
    let mut parser = vt100::Parser::new(nonzero(h), nonzero(w), 0);
    let mut last = Buffer::empty(first.area);
    let mut screens = Vec::new();
    for frame in frames {
        let mut bytes = Vec::<u8>::new();
        {
            let mut backend = CrosstermBackend::new(&mut bytes);
            backend.draw(last.diff(frame).into_iter()).unwrap();
            Backend::flush(&mut backend).unwrap();
        }
        parser.process(&bytes);
        screens.push(
            parser
                .screen()
                .rows(0, w)
                .map(|r| r.trim_end().to_string())
                .collect(),
        );
        last = frame.clone();
    }
    screens
}

fn buffer_rows(buf: &Buffer) -> Vec<String> {
    (buf.area.top()..buf.area.bottom())
        .map(|y| row_text(buf, y).trim_end().to_string())
        .collect()
}

#[test]
fn the_terminal_model_sees_an_unreduced_joined_emoji_shift_the_row() {
    // The check below would catch the bug: a joined sequence put into the buffer as it came
    // (ratatui measures it 2 wide) is drawn 4 wide by the terminal, pushing the border right.
    let area = Rect::new(0, 0, 12, 1);
    let mut buf = Buffer::empty(area);
    buf.set_string(
        0,
        0,
        "👩\u{200D}💻 ab   │",
        ratatui::style::Style::default(),
    );
    let screens = on_a_char_by_char_terminal(&[buf.clone()]);
    assert_ne!(screens[0], buffer_rows(&buf));
}

#[test]
fn zwj_emoji_and_flags_leave_no_ghosts_and_shift_no_border_on_a_real_terminal() {
    // Issue 13 item 15: a coder (woman, ZWJ, laptop) and a flag in a subject and a site.
    let subject = "👩\u{200D}💻 VPN 🇯🇵 東京 down";
    for lang in [Lang::En, Lang::Ja] {
        for size in [WIDE, COMPACT] {
            let tag = lang_tag(lang, size);
            let mut d = Desk::new(lang, size);
            let mut rows = cases();
            rows[0].subject = subject.to_string();
            rows[0].site_name = "🇯🇵 東京👩\u{200D}💻".into();
            d.send(Msg::Cases(
                rows.into_iter().map(Row::new).collect(),
                outbox(),
            ));
            let mut case = opened_case();
            case.summary.subject = subject.to_string();
            case.summary.site_name = "🇯🇵 東京👩\u{200D}💻".into();
            case.description = format!("{subject}\n{subject} {subject}");
            // Held by the cache, so opening the case reads this copy.
            d.details = vec![case.clone()];
            d.send(Msg::Detail(
                number(OPENED),
                Some(Box::new(CachedCase {
                    case,
                    etag: None,
                    fetched_at: now(),
                })),
            ));
            let mut frames = Vec::new();
            let (buf, drawn) = d.draw(&dark());
            assert_borders_intact(&buf, &drawn);
            let first = text(&buf, &drawn);
            assert!(first.contains("👩 VPN [JP] 東京"), "{tag}\n{first}");
            snapshot(format!("emoji_queue_{tag}"), first);
            frames.push(buf);
            // The detail (the compact layout's only pane then), then the emoji's rows
            // emptied: the case filtered out of the queue, the detail on another case.
            d.key(KeyCode::Enter);
            d.draw(&dark());
            // From the top, where the subject and the description are.
            d.key(KeyCode::Char('g'));
            let (buf, drawn) = d.draw(&dark());
            assert_borders_intact(&buf, &drawn);
            let detail = text(&buf, &drawn);
            assert!(detail.contains("👩 VPN [JP]"), "{tag}\n{detail}");
            snapshot(format!("emoji_detail_{tag}"), detail);
            frames.push(buf);
            d.key(KeyCode::Esc);
            d.keys("/Backup\n");
            frames.push(d.draw(&dark()).0);
            let terminal = on_a_char_by_char_terminal(&frames);
            for (i, (frame, shown)) in frames.iter().zip(&terminal).enumerate() {
                assert_eq!(
                    &buffer_rows(frame),
                    shown,
                    "{tag}: frame {i} as the terminal draws it differs from the buffer"
                );
            }
        }
    }
}

/// Outbox entries written for another server or person are marked as such, say for whom, and
/// the list says how to keep or drop them: they are never sent from this profile.
#[test]
fn the_outbox_marks_entries_of_another_server_or_user() {
    use casedesk::cache::Owner;
    use casedesk::tui::ui::lists::outbox_list;
    let mine = Owner {
        server_id: "srv-a".into(),
        user: "tanaka".into(),
    };
    let mut entries = outbox();
    entries[0].owner = Some(mine.clone());
    for (id, server, user) in [(8, "srv-b", "tanaka"), (9, "srv-a", "sato")] {
        let mut e = outbox()[0].clone();
        e.id = id;
        e.idempotency_key = format!("cdk-0000000000000000000000000000000{id}");
        e.owner = Some(Owner {
            server_id: server.into(),
            user: user.into(),
        });
        entries.push(e);
    }
    for (lang, code) in [(Lang::En, "en"), (Lang::Ja, "ja")] {
        for size in [COMPACT, WIDE] {
            let mut d = Desk::new(lang, size);
            d.send(Msg::List(outbox_list(lang, &entries, Some(&mine))));
            let screen = d.screen();
            let (server, user) = match lang {
                Lang::En => ("other server", "other user"),
                Lang::Ja => ("別のサーバー", "別のユーザー"),
            };
            assert!(screen.contains(server), "{screen}");
            assert!(screen.contains(user), "{screen}");
            snapshot(
                format!("{code}_outbox_foreign_{}x{}", size.0, size.1),
                screen,
            );
        }
    }
}

/// Every hint names the key bound now (issue 15 item 6): with the outbox's, the escalation
/// list's and the escalate key remapped under `[tui.keys]`, the lists' frames, the help and
/// the Escalate pane name the new keys, and no longer the old ones.
#[test]
fn a_remapped_key_changes_the_hints_shown() {
    use casedesk::tui::keymap::KeyMap;
    let overrides: std::collections::BTreeMap<String, String> = [
        ("d", "none"),
        ("D", "discard"),
        ("r", "none"),
        ("f5", "retry"),
        ("a", "none"),
        ("A", "acknowledge"),
        ("e", "none"),
        ("ctrl-e", "escalate"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let keys = KeyMap::with_overrides(&overrides).unwrap();
    for lang in [Lang::En, Lang::Ja] {
        let ja = lang == Lang::Ja;
        let mut d = Desk::new(lang, WIDE);
        d.app.settings.keys = keys.clone();
        d.send(Msg::Me(Me {
            name: "yamamoto".into(),
            role: Role::Lead,
        }));
        // The Escalate pane, not focused: how to get to its options.
        let screen = d.screen();
        let escalate = if ja {
            "Ctrl-e / Tab で選択"
        } else {
            "Ctrl-e / Tab"
        };
        assert!(screen.contains(escalate), "{screen}");
        // No plain `e` is offered: every "e / Tab" is the Ctrl-e one.
        assert_eq!(
            screen.matches("e / Tab").count(),
            screen.matches("Ctrl-e / Tab").count(),
            "{screen}"
        );
        for (name, list) in lists(lang) {
            let expected = match (name, ja) {
                ("outbox", false) => {
                    "F5 retry on the current version · D discard · Enter open case"
                }
                ("outbox", true) => "F5 最新の版で再送 · D 破棄 · Enter ケースを開く",
                ("escalations", false) => "A acknowledge · v resolve · Enter open case",
                ("escalations", true) => "A 受付 · v 解決 · Enter ケースを開く",
                _ => continue,
            };
            d.app.overlay = None;
            d.send(Msg::List(list));
            let screen = d.screen();
            assert!(screen.contains(expected), "{name} {lang:?}\n{screen}");
            // `d` is unbound: the escalations' decline is left out of the hint.
            let gone = if ja { "d 却下" } else { "d decline" };
            assert!(!screen.contains(gone), "{name} {lang:?}\n{screen}");
        }
        // The help's end: the lists' keys.
        d.app.overlay = None;
        d.keys("?G");
        let help = d.screen();
        let lead = if ja {
            "F5 再送 D 破棄"
        } else {
            "outbox F5 retry, D discard"
        };
        assert!(help.contains(lead), "{help}");
    }
}

// ---------------------------------------------------------------------------------------------
// Mail (issue 16): notes that came by mail, a public note's mail, the note form, `:mail`
// ---------------------------------------------------------------------------------------------

const MAIL_WIDE: (u16, u16) = (200, 60);

/// The mail case's notes and its channel, as the server sends them.
fn mail_detail_json() -> Value {
    json!({
        "mail": {"to": "佐藤 花子 <hanako.sato@example.co.jp>", "language": "ja", "outgoing": []},
        "notes": [
            {"id": 11, "author": "tanaka", "party": "support", "visibility": "internal",
             "kind": "note", "body": "Not mailed: internal.", "created_at": at(-80)},
            {"id": 12, "author": "tanaka", "party": "support", "visibility": "public",
             "kind": "note", "body": "Please send the output of `show vpn-sessiondb`.",
             "created_at": at(-70),
             "mail": {"state": "sent", "to": "佐藤 花子 <hanako.sato@example.co.jp>"}},
            {"id": 13, "author": "佐藤 花子", "party": "customer", "visibility": "public",
             "kind": "note", "body": "ログを添付します。",
             "created_at": at(-60),
             "email_from": "hanako.sato@example.co.jp",
             "attachments": [
                {"id": 1, "name": "vpn-sessiondb.txt", "size": 18234,
                 "content_type": "text/plain", "sha256": "00"},
                {"id": 2, "name": "hub.pcap", "size": 1048576,
                 "content_type": "application/vnd.tcpdump.pcap", "sha256": "01"}
             ]},
            {"id": 14, "author": "tanaka", "party": "support", "visibility": "public",
             "kind": "note", "body": "Thank you, looking at it now.",
             "created_at": at(-30),
             "mail": {"state": "failed", "to": "佐藤 花子 <hanako.sato@example.co.jp>",
                      "error": "550 5.1.1 <hanako.sato@example.co.jp>: mailbox unavailable"}},
            {"id": 15, "author": "tanaka", "party": "support", "visibility": "public",
             "kind": "note", "body": "Sent again from the portal.",
             "created_at": at(-5),
             "mail": {"state": "queued", "to": "佐藤 花子 <hanako.sato@example.co.jp>"}},
        ],
    })
}

/// The opened case as a server with a mail channel sends it.
fn mail_case() -> Case {
    let mut case = serde_json::to_value(opened_case()).unwrap();
    let (Value::Object(m), Value::Object(d)) = (&mut case, mail_detail_json()) else {
        unreachable!()
    };
    m.extend(d);
    serde_json::from_value(case).unwrap()
}

/// A desk whose opened case is the mail case, opened (the detail has the focus).
fn mail_desk(lang: Lang, size: (u16, u16)) -> Desk {
    let mut d = Desk::holding(
        lang,
        size,
        TimelineOrder::NewestFirst,
        cases(),
        vec![mail_case()],
    );
    d.key(KeyCode::Enter);
    d
}

/// Held and unreadable mail, newest first.
fn held_mail() -> Vec<casedesk::api::HeldMail> {
    serde_json::from_value(json!([
        {"id": 42, "state": "held", "received_at": at(-12), "sender": "stranger@example.net",
         "subject": "Re: [2026-1124-000101] VPN トンネルが切断される", "case_number": OPENED,
         "reason": "not the case's contact", "size": 4096},
        {"id": 41, "state": "error", "received_at": at(-95), "sender": "",
         "subject": "", "case_number": null,
         "reason": "no From header; truncated MIME", "size": 977},
    ]))
    .unwrap()
}

fn mail_list(enabled: bool, items: Vec<casedesk::api::HeldMail>) -> casedesk::api::MailList {
    casedesk::api::MailList { enabled, items }
}

#[test]
fn a_mailed_note_a_public_notes_mail_and_attachments_show_in_the_timeline() {
    for lang in [Lang::En, Lang::Ja] {
        for size in [COMPACT, MAIL_WIDE] {
            let mut d = mail_desk(lang, size);
            let screen = d.screen();
            let name = format!("mail_timeline_{}_{}x{}", lang_code(lang), size.0, size.1);
            let (email, sent, failed, attached) = match lang {
                Lang::En => ("[EMAIL]", "· mailed", "· MAIL FAILED: 550", "attached:"),
                Lang::Ja => (
                    "[メール]",
                    "· メール送信済み",
                    "· メール送信失敗: 550",
                    "添付:",
                ),
            };
            // Newest first, at 80×24 the newest three entries show; all of them at 200×60.
            for needle in [email, failed, attached] {
                assert!(screen.contains(needle), "{name}: {needle}\n{screen}");
            }
            if size == MAIL_WIDE {
                assert!(screen.contains(sent), "{name}\n{screen}");
                assert!(screen.contains("hub.pcap (1 MiB"), "{name}\n{screen}");
                // The internal note says nothing of mail.
                let tag = match lang {
                    Lang::En => "[INTERNAL] tanaka",
                    Lang::Ja => "[社内] tanaka",
                };
                let internal = line_with(&screen, tag);
                assert!(!internal.contains('·'), "{name}\n{screen}");
            }
            snapshot(name, screen);
        }
    }
}

#[test]
fn mail_labels_keep_their_meaning_without_colour() {
    let mut d = mail_desk(Lang::En, MAIL_WIDE);
    let (buf, _) = d.draw(&mono());
    let (x, y) = find(&buf, "[EMAIL]").expect("the [EMAIL] label");
    let email = &buf[(x, y)];
    assert_eq!(email.fg, Color::Reset, "no colour under NO_COLOR");
    assert!(email.modifier.contains(Modifier::ITALIC), "{email:?}");
    let (x, y) = find(&buf, "MAIL FAILED").expect("the failure in words");
    assert!(row_text(&buf, y).contains("mailbox unavailable"));
    let failed = &buf[(x, y)];
    let dark = d.draw(&dark()).0;
    assert_eq!(dark[(x, y)].fg, Color::LightRed, "failed in the error role");
    assert_eq!(failed.fg, Color::Reset);
    let (x, y) = find(&dark, "[EMAIL]").unwrap();
    assert_eq!(dark[(x, y)].fg, Color::Cyan, "the email_note role");
}

#[test]
fn the_public_note_form_says_where_the_note_will_be_mailed() {
    for lang in [Lang::En, Lang::Ja] {
        let mut d = mail_desk(lang, COMPACT);
        d.keys("n");
        let screen = d.screen_plain();
        let to = match lang {
            Lang::En => "will be mailed to 佐藤 花子 <hanako.sato@example.co.jp>",
            Lang::Ja => "佐藤 花子 <hanako.sato@example.co.jp> 宛にメールで送信されます",
        };
        assert!(screen.contains(to), "{lang:?}\n{screen}");
        snapshot(format!("mail_note_form_{}_80x24", lang_code(lang)), screen);
        // An internal note is not mailed: nothing is said of mail.
        let mut d = mail_desk(lang, COMPACT);
        d.keys("i");
        let screen = d.screen_plain();
        assert!(!screen.contains("hanako.sato"), "{lang:?}\n{screen}");
        // Switching the public form to internal takes the line away.
        let mut d = mail_desk(lang, COMPACT);
        d.keys("n");
        d.key(KeyCode::BackTab);
        d.key(KeyCode::Right);
        let screen = d.screen_plain();
        assert!(!screen.contains("hanako.sato"), "{lang:?}\n{screen}");
    }
    // A case the server does not mail: nothing is said either.
    let mut d = opened(Lang::En, COMPACT, TimelineOrder::NewestFirst);
    d.keys("n");
    let screen = d.screen_plain();
    assert!(!screen.contains("mailed"), "{screen}");
}

#[test]
fn the_mail_list_shows_held_and_unreadable_mail_and_says_when_mail_is_off() {
    for lang in [Lang::En, Lang::Ja] {
        for size in [COMPACT, WIDE] {
            let mut d = Desk::new(lang, size);
            d.send(Msg::Mail(mail_list(true, held_mail())));
            let screen = d.screen_plain();
            assert!(screen.contains("stranger@example.net"), "{screen}");
            snapshot(
                format!("mail_list_{}_{}x{}", lang_code(lang), size.0, size.1),
                screen,
            );
        }
        let mut d = Desk::new(lang, COMPACT);
        d.send(Msg::Mail(mail_list(false, Vec::new())));
        let screen = d.screen_plain();
        let off = match lang {
            Lang::En => "mail is off",
            Lang::Ja => "メールは無効です",
        };
        assert!(screen.contains(off), "{screen}");
        snapshot(format!("mail_list_off_{}_80x24", lang_code(lang)), screen);
    }
}

// ---------------------------------------------------------------------------------------------
// The macro picker (issue 17 item 1)
// ---------------------------------------------------------------------------------------------

/// The team's macros and one personal one, for the picker.
fn macro_book() -> casedesk::tui::macros::MacroBook {
    use casedesk::api::{Macro, MacroChanges};
    let mac = |name: &str, en: &str, ja: &str, changes: MacroChanges| Macro {
        name: name.into(),
        text_en: en.into(),
        text_ja: ja.into(),
        changes,
    };
    let mut book = casedesk::tui::macros::MacroBook::personal(vec![mac(
        "my-sign-off",
        "Best regards,\n{me}\nTAC Tokyo",
        "よろしくお願いいたします。\nTAC 東京 {me}",
        MacroChanges::default(),
    )]);
    book.set_team(vec![
        mac(
            "ack",
            "Thank you, {contact}. Case {case} is open.",
            "{contact} 様\nお問い合わせありがとうございます。ケース {case} で承りました。",
            MacroChanges::default(),
        ),
        mac(
            "rma-issued",
            "Dear {contact},\n\nRMA {rma} has been issued for case {case}. Please return the defective unit by {return_due} and write the RMA number on the box.\n\n{me}",
            "{contact} 様\n\nケース {case} について RMA {rma} を発行しました。{return_due} までに故障品をご返送ください。箱には RMA 番号をご記入ください。\n\n{me}",
            MacroChanges {
                status: Some(casedesk::domain::Status::WaitingOnCustomer),
                ..MacroChanges::default()
            },
        ),
        mac(
            "needs-serial",
            "Please confirm the serial {serial_number}.",
            "シリアル番号 {serial_number} をご確認ください。",
            MacroChanges::default(),
        ),
    ]);
    book
}

/// A desk with the macros, on the opened case (in Japanese for a Japanese contact).
fn macro_desk(lang: Lang, size: (u16, u16)) -> Desk {
    let mut case = opened_case();
    if lang == Lang::Ja {
        case.contact_language = Some(casedesk::domain::ContactLanguage::Ja);
    }
    let mut d = Desk::holding(lang, size, TimelineOrder::default(), cases(), vec![case]);
    d.app.macros = macro_book();
    d
}

#[test]
fn the_macro_picker_filters_and_previews_the_filled_text_and_the_changes() {
    for lang in [Lang::En, Lang::Ja] {
        for size in [COMPACT, WIDE] {
            let tag = lang_tag(lang, size);
            let mut d = macro_desk(lang, size);
            d.keys("M");
            let screen = d.screen_plain();
            // Every macro listed, the personal one marked.
            for name in ["ack", "my-sign-off", "needs-serial", "rma-issued"] {
                assert!(screen.contains(name), "{tag}: {name}\n{screen}");
            }
            let personal = match lang {
                Lang::En => "my-sign-off · personal",
                Lang::Ja => "my-sign-off · 個人",
            };
            assert!(screen.contains(personal), "{tag}\n{screen}");
            d.keys("rma");
            let screen = d.screen_plain();
            let (filled, change) = match lang {
                Lang::En => (
                    "RMA R00004712 has been issued",
                    "status → Waiting on customer",
                ),
                Lang::Ja => ("について RMA R00004712", "状態 → "),
            };
            assert!(screen.contains(filled), "{tag}\n{screen}");
            assert!(screen.contains(change), "{tag}\n{screen}");
            assert!(
                !screen.contains("needs-serial"),
                "{tag}: filtered\n{screen}"
            );
            snapshot(format!("macro_picker_{tag}"), screen);
        }
    }
}

#[test]
fn the_macro_picker_refuses_a_placeholder_in_red_naming_it() {
    for lang in [Lang::En, Lang::Ja] {
        let mut d = macro_desk(lang, COMPACT);
        d.keys("Mserial");
        let (buf, _) = d.draw(&dark());
        let (x, y) = find(&buf, "{serial_number}").expect("the placeholder is named");
        let error = dark().style(theme::Role::Error).fg.unwrap();
        assert_eq!(buf[(x, y)].fg, error, "drawn as an error");
        let screen = d.screen_plain();
        snapshot(
            format!("macro_picker_refused_{}", lang_tag(lang, COMPACT)),
            screen,
        );
    }
    // Without colour the words still say it was refused.
    let mut d = macro_desk(Lang::En, COMPACT);
    d.keys("Mserial");
    let (buf, drawn) = d.draw(&mono());
    let screen = text(&buf, &drawn);
    assert!(screen.contains("nothing was sent"), "{screen}");
    snapshot("macro_picker_refused_mono_en_80x24", screen);
}

// ---------------------------------------------------------------------------------------------
// Files (issue 17 item 2): the timeline's file entries, the files list, the text viewer
// ---------------------------------------------------------------------------------------------

/// The opened case's files: two added by agents (timeline entries of their own), one that came
/// with the customer's mail (shown under its note, not twice).
fn files_json() -> Value {
    json!([
        {"id": 21, "name": "show-tech-fw01.txt", "size": 2516582, "content_type": "text/plain",
         "sha256": "aa", "added_by": "tanaka", "added_at": at(-20)},
        {"id": 22, "name": "ファイアウォール設定.conf", "size": 18234,
         "content_type": "text/plain", "sha256": "bb", "added_by": "kim", "added_at": at(-50)},
        {"id": 23, "name": "hub.pcap", "size": 1048576,
         "content_type": "application/vnd.tcpdump.pcap", "sha256": "cc",
         "added_by": "hanako.sato@example.co.jp", "added_at": at(-60), "note_id": 13},
    ])
}

/// The log the viewer shows: `show tech` lines, a tab-aligned table, Japanese, a line longer
/// than any window, and an escape sequence that must not reach the terminal.
fn show_tech() -> String {
    let mut text = String::from(
        "show tech-support fw01\n\
         ======================\n\
         Interface\tStatus\tProtocol\n\
         ge-0/0/0\tup\tup\n\
         ge-0/0/1\tdown\tdown\n\
         \x1b[31m%LINK-3-UPDOWN: Interface ge-0/0/1, changed state to down\x1b[0m\n\
         備考: 拠点間 VPN のトンネルが 10:02 に切断\n",
    );
    for i in 0..40 {
        text.push_str(&format!("{i:03} heartbeat ok peer 203.0.113.{i}\n"));
    }
    text.push_str("%LINK-3-UPDOWN: Interface ge-0/0/1, changed state to up\n");
    text.push_str(&format!("{} long line end\n", "x".repeat(300)));
    text
}

fn files_case() -> Case {
    let mut case = serde_json::to_value(mail_case()).unwrap();
    case["attachments"] = files_json();
    serde_json::from_value(case).unwrap()
}

/// A desk with the files case opened (the detail has the focus).
fn files_desk(lang: Lang, size: (u16, u16)) -> Desk {
    let mut d = Desk::holding(
        lang,
        size,
        TimelineOrder::NewestFirst,
        cases(),
        vec![files_case()],
    );
    d.key(KeyCode::Enter);
    d
}

fn files_listed(d: &mut Desk) {
    let files: Vec<casedesk::api::Attachment> = serde_json::from_value(files_json()).unwrap();
    d.send(Msg::Files(casedesk::tui::attachments::Arrived::Listed(
        number(OPENED),
        files,
        vec![21],
    )));
}

/// The viewer over the log, searched for `updown`, the layout fed back as the runtime does.
fn viewer_desk(lang: Lang, size: (u16, u16)) -> Desk {
    let mut d = files_desk(lang, size);
    files_listed(&mut d);
    let text = show_tech();
    let viewer = casedesk::tui::viewer::Viewer::new(
        21,
        "show-tech-fw01.txt",
        text.as_bytes(),
        text.len() as u64,
    );
    d.send(Msg::Files(casedesk::tui::attachments::Arrived::Text(
        Box::new(viewer),
    )));
    let (_, drawn) = d.draw(&dark());
    d.send(Msg::Layout(drawn.into_parts().1));
    d.keys("/updown\nn");
    d
}

#[test]
fn files_show_in_the_timeline_with_their_size_and_who_added_them() {
    for lang in [Lang::En, Lang::Ja] {
        for size in [COMPACT, WIDE] {
            let mut d = files_desk(lang, size);
            let screen = d.screen();
            let name = format!("files_timeline_{}_{}x{}", lang_code(lang), size.0, size.1);
            let mark = match lang {
                Lang::En => "[FILE] tanaka: show-tech-fw01.txt (2.4 MiB, text/plain)",
                Lang::Ja => "[ファイル] tanaka: show-tech-fw01.txt (2.4 MiB, text/plain)",
            };
            assert!(screen.contains(mark), "{name}\n{screen}");
            // The mail's file is under its note, not an entry of its own.
            assert!(!screen.contains("] hanako.sato"), "{name}\n{screen}");
            snapshot(name, screen);
        }
    }
}

#[test]
fn the_files_list_shows_size_type_who_when_and_what_is_kept_offline() {
    for lang in [Lang::En, Lang::Ja] {
        for size in [COMPACT, WIDE] {
            let mut d = files_desk(lang, size);
            files_listed(&mut d);
            let screen = d.screen_plain();
            let name = format!("files_list_{}_{}x{}", lang_code(lang), size.0, size.1);
            let row = line_with(&screen, "show-tech-fw01.txt");
            assert!(row.contains("2.4 MiB"), "{name}\n{screen}");
            let kept = match lang {
                Lang::En => "kept",
                Lang::Ja => "保存済み",
            };
            assert!(row.contains(kept), "{name}\n{screen}");
            assert!(
                !line_with(&screen, "hub.pcap").contains(kept),
                "{name}\n{screen}"
            );
            snapshot(name, screen);
        }
    }
}

#[test]
fn the_viewer_numbers_lines_and_shows_a_search_hit_with_its_count() {
    for lang in [Lang::En, Lang::Ja] {
        for size in [COMPACT, WIDE] {
            let mut d = viewer_desk(lang, size);
            let screen = d.screen_plain();
            let name = format!("files_viewer_{}_{}x{}", lang_code(lang), size.0, size.1);
            assert!(screen.contains("/updown  2/2"), "{name}\n{screen}");
            // The second hit (line 48) is on screen, numbered; the escape sequence is gone.
            assert!(
                line_with(&screen, "changed state to up").contains("48"),
                "{name}\n{screen}"
            );
            assert!(!screen.contains('\x1b'), "{name}\n{screen}");
            snapshot(name, screen);
        }
    }
}

#[test]
fn the_viewer_marks_matches_without_colour() {
    let mut d = viewer_desk(Lang::En, COMPACT);
    let (buf, _) = d.draw(&mono());
    // The current match (second UPDOWN) and another one (the first, scrolled to when on screen).
    let (x, y) = find(&buf, "UPDOWN: Interface ge-0/0/1, changed state to up").expect("hit");
    let current = &buf[(x, y)];
    let plain = &buf[(x + 8, y)];
    assert_ne!(current.modifier, plain.modifier, "the hit stands out");
    assert_eq!(current.fg, Color::Reset, "no colour under NO_COLOR");
    d.keys("g");
    let (buf, drawn) = d.draw(&mono());
    let (x, y) = find(&buf, "UPDOWN: Interface ge-0/0/1, changed state to down").expect("hit");
    assert!(
        buf[(x, y)].modifier.contains(Modifier::UNDERLINED),
        "{:?}",
        buf[(x, y)]
    );
    snapshot("files_viewer_mono_en_80x24", text(&buf, &drawn));
}

// ---------------------------------------------------------------------------------------------
// Bulk actions: marked rows and the summary of what was not done (issue 17 item 5)
// ---------------------------------------------------------------------------------------------

#[test]
fn marked_rows_show_a_mark_and_the_count_and_the_summary_lists_the_refused() {
    use casedesk::tui::bulk::{BulkReport, Outcome};
    for (lang, size, name) in LANGS_AND_SIZES {
        let mut d = Desk::new(lang, size);
        d.key(KeyCode::Char(' '));
        d.key(KeyCode::Char(' '));
        assert_eq!(d.app.marks.len(), 2, "{name}");
        let screen = d.screen();
        let first = d.app.queue.shown(0).map(|c| c.number.to_string());
        let first = first.expect("a first row");
        assert!(
            line_with(&screen, &first).contains('●'),
            "{name}:\n{screen}"
        );
        snapshot(format!("bulk_marks_{name}"), screen);

        let second = d.app.marks.cases[1];
        let third = d.app.queue.shown(2).map(|c| c.number).expect("a third row");
        let report = BulkReport {
            outcomes: vec![
                (d.app.marks.cases[0], Outcome::Done),
                (
                    second,
                    Outcome::Refused(
                        "only a lead may give a case that is not yours to someone else".into(),
                    ),
                ),
                (third, Outcome::Queued(4)),
            ],
        };
        d.send(Msg::Bulk(report));
        assert_eq!(d.app.marks.cases, [second], "{name}");
        snapshot(format!("bulk_summary_{name}"), d.screen());
    }
}

#[test]
fn marks_read_without_colour() {
    let mut d = Desk::new(Lang::En, COMPACT);
    d.key(KeyCode::Char(' '));
    let (buf, drawn) = d.draw(&mono());
    let marked = d.app.marks.cases[0].to_string();
    let y = queue_row(&buf, &marked);
    let (x, _) = find(&buf, "●").expect("the mark is drawn");
    assert_eq!(find_in_row(&buf, y, "●"), Some(x), "on the marked row");
    assert!(buf[(x, y)].modifier.contains(Modifier::BOLD));
    snapshot("bulk_marks_mono_en_80x24", text(&buf, &drawn));
}
