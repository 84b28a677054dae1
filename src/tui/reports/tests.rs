//! The reports screen's state: what it asks for as the period and the grouping move, what it
//! does with late or failed answers.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::api::reports::{ReportKind, SlaRow};
use crate::api::{Me, Role};
use crate::tui::app::Msg;
use crate::tui::app::tests::app;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn press(app: &mut App, c: char) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

fn lead_app() -> App {
    let mut app = app();
    app.now = "2026-11-24T05:00:00Z".parse().unwrap();
    app.update(Msg::Me(Me {
        name: "yamamoto".into(),
        role: Role::Lead,
    }));
    app
}

fn screen(app: &App) -> &ReportsScreen {
    match &app.overlay {
        Some(Overlay::Reports(s)) => s,
        other => panic!("no reports screen: {other:?}"),
    }
}

fn asked(effects: &[Effect]) -> ReportsRequest {
    match effects {
        [Effect::Reports(r)] => r.clone(),
        other => panic!("expected one request for reports, got {other:?}"),
    }
}

/// Reports of the week to 24 November in Tokyo, as a server answers `request`.
fn answer(request: &ReportsRequest) -> Box<Reports> {
    let header = ReportHeader {
        kind: ReportKind::Sla,
        from: "2026-11-17T15:00:00Z".parse().unwrap(),
        to: "2026-11-24T15:00:00Z".parse().unwrap(),
        zone: "Asia/Tokyo".into(),
        by: request.sla.by,
        at: "2026-11-24T05:00:00Z".parse().unwrap(),
        target: 0.9,
    };
    let rows = (0..40)
        .map(|i| SlaRow {
            group: Some(format!("owner{i}")),
            clock: crate::api::reports::ReportClock::FirstResponse,
            met: i,
            breached: 1,
            attainment: SlaRow::attainment_of(i, 1),
            running: 0,
        })
        .collect();
    Box::new(Reports {
        sla: SlaReport {
            header: header.clone(),
            rows,
        },
        response: ResponseReport {
            header: header.clone(),
            rows: Vec::new(),
        },
        backlog: BacklogReport {
            header: header.clone(),
            rows: Vec::new(),
        },
        load: LoadReport {
            header,
            rows: Vec::new(),
        },
        cached_at: None,
    })
}

#[test]
fn the_first_week_is_asked_as_the_cli_asks_it_then_the_period_moves_by_its_length() {
    let mut app = lead_app();
    let first = asked(&app.run(Command::Report, ""));
    assert_eq!(
        first.rest,
        ReportQuery::default(),
        "no dates: the server's last 7 days"
    );
    assert_eq!(first.sla.by, Some(Grouping::Priority));
    app.update(Msg::Reports(first.clone(), Ok(answer(&first))));

    // `[`: the week before, by the days of the answer's zone (Tokyo's 24th).
    let back = asked(&press(&mut app, '['));
    assert_eq!(
        (back.rest.from, back.rest.to),
        (Some(day("2026-11-11")), Some(day("2026-11-17")))
    );
    assert_eq!(back.sla.by, Some(Grouping::Priority));
    app.update(Msg::Reports(back.clone(), Ok(answer(&back))));
    // `]` comes back to the current week (no dates), and no further.
    assert_eq!(asked(&press(&mut app, ']')), first);
    app.update(Msg::Reports(first.clone(), Ok(answer(&first))));
    assert!(press(&mut app, ']').is_empty(), "already the current week");

    // `3`: thirty days to today; `7` back to the week.
    let month = asked(&press(&mut app, '3'));
    assert_eq!(
        (month.rest.from, month.rest.to),
        (Some(day("2026-10-26")), None)
    );
    // `7` before the month came: the week shown is what is wanted, nothing is waited for.
    assert!(press(&mut app, '7').is_empty());
    assert_eq!(screen(&app).asked, None);
}

#[test]
fn g_cycles_the_sla_grouping_and_leaves_the_other_reports_ungrouped() {
    let mut app = lead_app();
    app.run(Command::Report, "");
    let mut seen = Vec::new();
    for _ in 0..Grouping::ALL.len() {
        let r = asked(&press(&mut app, 'g'));
        assert_eq!(r.rest.by, None);
        seen.push(r.sla.by.unwrap());
    }
    assert_eq!(
        seen,
        [
            Grouping::Tier,
            Grouping::Owner,
            Grouping::Channel,
            Grouping::Week,
            Grouping::Day,
            Grouping::Priority,
        ]
    );
}

#[test]
fn a_late_answer_to_an_earlier_question_is_dropped() {
    let mut app = lead_app();
    let first = asked(&app.run(Command::Report, ""));
    let second = asked(&press(&mut app, 'g'));
    app.update(Msg::Reports(first.clone(), Ok(answer(&first))));
    assert_eq!(screen(&app).shown, Shown::Loading);
    app.update(Msg::Reports(second.clone(), Ok(answer(&second))));
    assert!(screen(&app).reports().is_some());
    // An answer after the screen closed changes nothing.
    app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    app.update(Msg::Reports(second.clone(), Ok(answer(&second))));
    assert!(app.overlay.is_none());
}

#[test]
fn failures_become_what_the_screen_says() {
    let forbidden = DeskError::Client(ClientError::Forbidden("lead".into()));
    assert_eq!(Problem::of(&forbidden), Problem::NeedsLead);
    let offline = DeskError::NotCached("no copy".into());
    assert_eq!(Problem::of(&offline), Problem::NotCached);
    let rt = DeskError::Client(ClientError::Unsupported(
        "reports are not available on Request Tracker".into(),
    ));
    assert_eq!(
        Problem::of(&rt),
        Problem::Refused("reports are not available on Request Tracker".into())
    );

    let mut app = lead_app();
    let first = asked(&app.run(Command::Report, ""));
    app.update(Msg::Reports(first, Err(forbidden)));
    assert_eq!(screen(&app).shown, Shown::Problem(Problem::NeedsLead));
}

#[test]
fn scrolling_stops_at_the_last_line_and_tab_starts_the_next_part_at_the_top() {
    let mut app = lead_app();
    let first = asked(&app.run(Command::Report, ""));
    app.update(Msg::Reports(first.clone(), Ok(answer(&first))));
    for _ in 0..100 {
        press(&mut app, 'j');
    }
    // A heading and forty bars.
    assert_eq!(screen(&app).scroll, 40);
    press(&mut app, 'k');
    assert_eq!(screen(&app).scroll, 39);
    app.update(Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
    assert_eq!(
        (screen(&app).section, screen(&app).scroll),
        (Section::Response, 0)
    );
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::BackTab,
        KeyModifiers::NONE,
    )));
    assert_eq!(screen(&app).section, Section::Sla);
}
