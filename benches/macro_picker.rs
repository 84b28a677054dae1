//! The macro picker's open-to-frame time with 500 macros (issue 17): an app on a case whose
//! detail is read, `M` pressed, and the frame drawn into a test backend — the work between the
//! key and the screen, with no I/O. Also one key typed into the open picker's filter.
//!
//! Run: `cargo bench --bench macro_picker`.

// The case fixture is one JSON literal.
#![recursion_limit = "256"]

use chrono::Utc;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use casedesk::api::{Case, Macro, MacroChanges};
use casedesk::cache::CachedCase;
use casedesk::config::DisplayZone;
use casedesk::domain::Status;
use casedesk::sla::Calendars;
use casedesk::term::text::Lang;
use casedesk::term::theme::{ColorDepth, Theme};
use casedesk::tui::app::{App, Msg, Settings};
use casedesk::tui::keymap::KeyMap;
use casedesk::tui::macros::MacroBook;
use casedesk::tui::queue::Row;
use casedesk::tui::ui;
use casedesk::tui::views::View;

/// A case with its detail, as the cache holds it.
fn case() -> Case {
    let json = serde_json::json!({
        "number": "2026-1124-000101", "subject": "VPN tunnel drops every 30 minutes",
        "priority": "P2", "status": "open", "owner": "tanaka", "tier": "tac-advanced",
        "channel": "web", "request_type": "technical_support", "site_name": "Tokyo HQ",
        "site_id": "JP-TYO-01", "account": "ACME Japan", "contact_name": "Hanako Sato",
        "product": "ASA-5525", "platform": "ASA-5525", "serial_number": "FTX2231A0KQ",
        "created_at": "2026-11-24T01:00:00Z", "updated_at": "2026-11-24T04:00:00Z",
        "next_due": null, "breached": false, "temporarily_downgraded": false,
        "open_escalations": 0, "version": 3,
        "description": "", "software_version": "9.18(4)", "contact_email": "",
        "contact_phone": "", "preferred_contact": "phone", "user_type": "business_user",
        "problem_reports": [], "attachments": [], "entitlement": null,
        "unentitled": false, "close_reason": null, "notes": [], "history": [],
        "escalations": [], "rmas": [],
        "clocks": {"at": "2026-11-24T05:00:00Z", "clocks": [], "p1_contact": {
            "failing_since": null, "downgrade_available_at": null,
            "downgrade_available": false, "temporarily_downgraded": false}},
    });
    serde_json::from_value(json).expect("a case")
}

/// 500 macros of support-desk length, every tenth with a status change.
fn macros() -> Vec<Macro> {
    (0..500)
        .map(|i| Macro {
            name: format!("macro-{i:03}"),
            text_en: format!(
                "Dear {{contact}},\n\nThank you for your patience with case {{case}} ({{subject}}). \
                 Step {i}: please send the output of `show tech` and the logs from when it started.\n\n{{me}}"
            ),
            text_ja: format!(
                "{{contact}} 様\n\nケース {{case}}（{{subject}}）の件、手順 {i}: show tech の出力と発生時のログをお送りください。\n\n{{me}}"
            ),
            changes: MacroChanges {
                status: (i % 10 == 0).then_some(Status::WaitingOnCustomer),
                ..MacroChanges::default()
            },
        })
        .collect()
}

/// The app on the case, its detail read, with the macros.
fn app() -> App {
    let settings = Settings {
        keys: KeyMap::default(),
        views: View::defaults(),
        lang: Lang::En,
        zone: DisplayZone::named("Asia/Tokyo").expect("a known zone"),
        profile: "bench".into(),
        timeline: Default::default(),
        clipboard: true,
        demo: false,
    };
    let mut app = App::new(settings, Calendars::builtin(), Utc::now());
    let case = case();
    app.update(Msg::Cases(vec![Row::new(case.summary.clone())], Vec::new()));
    app.update(Msg::Detail(
        case.summary.number,
        Some(Box::new(CachedCase {
            case,
            etag: None,
            fetched_at: Utc::now(),
        })),
    ));
    app.macros = MacroBook::personal(Vec::new());
    app.macros.set_team(macros());
    app
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn bench_picker(c: &mut Criterion) {
    // Timing a plain frame instead of the picker would pass silently: check `M` opens it.
    let mut probe = app();
    probe.update(key('M'));
    assert!(
        matches!(probe.overlay, Some(casedesk::tui::app::Overlay::Macros(_))),
        "M opens the macro picker"
    );
    let theme = Theme::builtin("dark", ColorDepth::Ansi256).expect("the dark theme");
    let mut group = c.benchmark_group("macro_picker_500");
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        group.bench_function(format!("open_to_frame_{w}x{h}"), |b| {
            b.iter_batched(
                || {
                    (
                        app(),
                        Terminal::new(TestBackend::new(w, h)).expect("a test terminal"),
                    )
                },
                |(mut app, mut terminal)| {
                    app.update(key('M'));
                    terminal
                        .draw(|f| {
                            ui::draw(&app, &theme, f.buffer_mut());
                        })
                        .expect("a frame");
                    (app, terminal)
                },
                BatchSize::SmallInput,
            );
        });
    }
    group.bench_function("type_one_key_to_frame_160x48", |b| {
        b.iter_batched(
            || {
                let mut app = app();
                app.update(key('M'));
                (
                    app,
                    Terminal::new(TestBackend::new(160, 48)).expect("a test terminal"),
                )
            },
            |(mut app, mut terminal)| {
                app.update(key('9'));
                terminal
                    .draw(|f| {
                        ui::draw(&app, &theme, f.buffer_mut());
                    })
                    .expect("a frame");
                (app, terminal)
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

criterion_group!(benches, bench_picker);
criterion_main!(benches);
