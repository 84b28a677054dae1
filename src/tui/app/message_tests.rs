//! How the message line changes (issue 12, items 10 and 11): the next action's message
//! replaces the last, "sending…"/"syncing…" go when their answer comes, a form's complaint goes
//! when it is answered, API names reach the line as words, and a case that breaches while on
//! screen is told once.

use chrono::Duration;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::tests::app;
use super::*;
use crate::tui::queue::tests::summary;

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn text(app: &App) -> Option<&str> {
    app.message.as_ref().map(|m| m.text.as_str())
}

#[test]
fn the_next_action_replaces_an_old_failure() {
    let mut app = app();
    app.update(Msg::Said(Err("not found".into())));
    assert_eq!(text(&app), Some("not found"));
    // Moving on says nothing: the old failure does not stay under it.
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(text(&app), None);
    // An action with something to say replaces it.
    app.update(Msg::Said(Err("not found".into())));
    key(&mut app, KeyCode::Char('s'));
    assert!(
        text(&app).is_some_and(|t| t.starts_with("sorted by")),
        "{:?}",
        text(&app)
    );
}

#[test]
fn syncing_goes_when_the_round_ends_and_does_not_fade_before() {
    let mut app = app();
    assert_eq!(key(&mut app, KeyCode::Char('r')), vec![Effect::Refresh]);
    assert_eq!(text(&app), Some("syncing…"));
    // Still syncing after the usual fade: it stays.
    let later = app.now + Duration::seconds(MESSAGE_SECS + 5);
    app.update(Msg::Tick(later));
    app.update(Msg::Sync(SyncStatus {
        busy: true,
        online: true,
        ..SyncStatus::default()
    }));
    assert_eq!(text(&app), Some("syncing…"));
    // A key meanwhile does not hide what is under way.
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(text(&app), Some("syncing…"));
    app.update(Msg::Sync(SyncStatus {
        busy: false,
        online: true,
        as_of: Some(later),
        ..SyncStatus::default()
    }));
    assert_eq!(text(&app), None);
}

#[test]
fn sending_goes_when_the_answer_comes_even_an_answer_without_words() {
    let mut app = app();
    app.notice(app.lang().say(Say::Sending), false);
    assert!(app.message.as_ref().is_some_and(|m| m.progress));
    app.update(Msg::List(ListView {
        kind: ListKind::Search,
        title: "Search".into(),
        header: vec![],
        rows: vec![],
        selected: 0,
        hint: String::new(),
    }));
    assert_eq!(text(&app), None);
    // And a worded answer replaces it.
    app.overlay = None;
    app.notice(app.lang().say(Say::Sending), false);
    app.update(Msg::Said(Ok(
        "2026-1120-000001: status → Open — saved".into()
    )));
    assert!(!app.message.as_ref().unwrap().progress);
}

#[test]
fn a_forms_complaint_goes_when_it_is_answered() {
    let mut app = app();
    key(&mut app, KeyCode::Char('i'));
    let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(app.update(Msg::Key(ctrl_s)).is_empty());
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("the form closed");
    };
    assert!(form.error.is_some(), "an empty note is refused");
    key(&mut app, KeyCode::Char('x'));
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("the form closed");
    };
    assert_eq!(form.error, None);
}

#[test]
fn api_names_from_the_server_reach_the_line_as_words() {
    let mut app = app();
    app.update(Msg::Said(Err(
        "cannot move a case from open to waiting_on_customer".into(),
    )));
    let said = text(&app).unwrap();
    assert!(said.contains("Waiting on customer"), "{said}");
    assert!(!said.contains("waiting_on_customer"), "{said}");
    app.update(Msg::Said(Ok("escalation engineer_now requested".into())));
    let said = text(&app).unwrap();
    assert!(!said.contains("engineer_now"), "{said}");
    // Japanese too.
    app.settings.lang = Lang::Ja;
    app.update(Msg::Said(Ok("status → waiting_on_customer".into())));
    assert_eq!(text(&app), Some("status → お客様回答待ち"));
}

/// The app with its first case due `secs` seconds from now.
fn due_in(secs: i64) -> (App, CaseNumber) {
    let mut app = app();
    let mut rows: Vec<Row> = Vec::new();
    for n in 1..=3 {
        let mut c = summary(n, &format!("case {n}"), "Osaka");
        if n == 1 {
            c.next_due = Some(app.now + Duration::seconds(secs));
        }
        rows.push(Row::new(c));
    }
    let number = rows[0].case.number;
    app.update(Msg::Cases(rows, Vec::new()));
    (app, number)
}

#[test]
fn a_countdown_crossing_zero_on_screen_is_told_once() {
    let (mut app, number) = due_in(2);
    let start = app.now;
    app.update(Msg::Tick(start + Duration::seconds(1)));
    assert_eq!(text(&app), None);
    app.update(Msg::Tick(start + Duration::seconds(3)));
    let m = app.message.clone().expect("the breach is told");
    assert!(m.alert && !m.error);
    assert_eq!(m.text, format!("!! {number} has breached its SLA"));
    // Told once: the server's flag arriving later does not tell it again.
    app.message = None;
    app.update(Msg::Tick(start + Duration::seconds(4)));
    assert_eq!(text(&app), None);
}

#[test]
fn a_breach_the_server_announces_is_told_in_the_interfaces_language() {
    let (mut app, number) = due_in(3600);
    app.settings.lang = Lang::Ja;
    let rows = app
        .queue
        .all()
        .cloned()
        .map(|mut c| {
            if c.number == number {
                c.breached = true;
            }
            Row::new(c)
        })
        .collect();
    app.update(Msg::Cases(rows, Vec::new()));
    assert_eq!(
        text(&app),
        Some(format!("!! {number} が SLA の期限を超過しました").as_str())
    );
}

#[test]
fn cases_already_breached_at_start_are_not_told() {
    let mut app = app();
    let mut c = summary(9, "late", "Osaka");
    c.breached = true;
    c.next_due = Some(app.now - Duration::minutes(5));
    // The first load of a fresh app: what was breached before is not news.
    let mut fresh = App::new(app.settings.clone(), Calendars::builtin(), app.now);
    fresh.update(Msg::Cases(vec![Row::new(c.clone())], Vec::new()));
    assert_eq!(text(&fresh), None);
    app.message = None;
    fresh.update(Msg::Tick(app.now + Duration::seconds(1)));
    assert_eq!(text(&fresh), None);
}
