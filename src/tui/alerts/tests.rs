//! The triggers, the rate limit and the list, fed as the runtime feeds the app.

use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::api::{CasePatch, CaseSummary, Me, Role};
use crate::config::DisplayZone;
use crate::sla::Calendars;
use crate::term::text::Lang;
use crate::tui::app::{Msg, Overlay, Settings};
use crate::tui::keymap::KeyMap;
use crate::tui::queue::Row;
use crate::tui::timeline::TimelineOrder;
use crate::tui::views::View;

fn now() -> DateTime<Utc> {
    "2026-11-26T10:00:00Z".parse().unwrap()
}

fn number(n: u32) -> CaseNumber {
    format!("2026-1126-{n:06}").parse().unwrap()
}

/// A case of `priority`, owned by `owner`, opened `age` minutes before [`now`].
fn case(n: u32, priority: Priority, owner: Option<&str>, age: i64) -> CaseSummary {
    let mut c = crate::tui::queue::tests::summary(n, &format!("subject {n}"), "Osaka");
    c.number = number(n);
    c.priority = priority;
    c.owner = owner.map(str::to_string);
    c.created_at = now() - Duration::minutes(age);
    c
}

/// An app as `casedesk` starts it (alerts at their defaults), signed in as tanaka.
fn app_as(role: Role) -> App {
    let settings = Settings {
        keys: KeyMap::default(),
        views: View::defaults(),
        lang: Lang::En,
        zone: DisplayZone::named("UTC").unwrap(),
        profile: "test".into(),
        timeline: TimelineOrder::default(),
        clipboard: true,
        demo: false,
    };
    let mut app = App::new(settings, Calendars::builtin(), now());
    app.alerts = Alerts::new(AlertSettings::default());
    app.update(Msg::Me(Me {
        name: "tanaka".into(),
        role,
    }));
    app
}

fn app() -> App {
    app_as(Role::Agent)
}

fn load(app: &mut App, cases: &[CaseSummary]) -> Vec<Notice> {
    let rows = cases.iter().cloned().map(Row::new).collect();
    notices(app.update(Msg::Cases(rows, Vec::new())))
}

fn notices(effects: Vec<Effect>) -> Vec<Notice> {
    effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Notify(n) => Some(n),
            _ => None,
        })
        .collect()
}

fn bodies(notices: &[Notice]) -> Vec<&str> {
    notices.iter().map(|n| n.body.as_str()).collect()
}

#[test]
fn the_first_load_alerts_nothing_but_what_is_due_soon() {
    let mut app = app();
    let mut due = case(2, Priority::P3, Some("tanaka"), 600);
    due.next_due = Some(now() + Duration::minutes(10));
    let mut later = case(3, Priority::P3, Some("tanaka"), 600);
    later.next_due = Some(now() + Duration::hours(2));
    let mut theirs = case(4, Priority::P3, Some("sato"), 600);
    theirs.next_due = Some(now() + Duration::minutes(5));
    let fresh_p1 = case(1, Priority::P1, None, 1);
    let got = load(&mut app, &[fresh_p1, due, later, theirs]);
    assert_eq!(
        bodies(&got),
        ["2026-1126-000002 is due in 10m: subject 2"],
        "only my case due within 30 minutes"
    );
    assert!(got[0].bell && got[0].desktop);
    let said = app.message.as_ref().unwrap();
    assert_eq!(said.text, "!! 2026-1126-000002 is due in 10m: subject 2");
    assert!(said.alert);
}

#[test]
fn a_new_p1_alerts_once_and_other_priorities_not_at_all() {
    let mut app = app();
    load(&mut app, &[case(1, Priority::P3, None, 60)]);
    let p1 = case(2, Priority::P1, None, 0);
    let p3 = case(3, Priority::P3, None, 0);
    let got = load(&mut app, &[case(1, Priority::P3, None, 60), p1.clone(), p3]);
    assert_eq!(bodies(&got), ["new P1: 2026-1126-000002 subject 2"]);
    // Another sync, the case changed since: nothing new.
    let mut again = p1.clone();
    again.version = 2;
    again.status = crate::domain::Status::WaitingOnCustomer;
    assert!(load(&mut app, &[case(1, Priority::P3, None, 60), again]).is_empty());
    // A case raised to P1 is a new P1 too (once).
    let mut raised = case(1, Priority::P1, None, 60);
    raised.version = 2;
    let got = load(&mut app, &[raised.clone(), p1.clone()]);
    assert_eq!(bodies(&got), ["new P1: 2026-1126-000001 subject 1"]);
    raised.version = 3;
    assert!(load(&mut app, &[raised, p1]).is_empty());
}

#[test]
fn an_old_case_first_seen_after_start_is_not_news() {
    let mut app = app();
    load(&mut app, &[]);
    // A fresh cache's full sync: a P1 opened yesterday is no alert.
    assert!(load(&mut app, &[case(1, Priority::P1, None, 24 * 60)]).is_empty());
}

#[test]
fn assigned_to_me_by_someone_else_alerts_and_my_own_take_does_not() {
    let mut app = app();
    let cases = [
        case(1, Priority::P3, None, 60),
        case(2, Priority::P3, None, 60),
    ];
    load(&mut app, &cases);
    let mut given = case(1, Priority::P3, Some("tanaka"), 60);
    given.version = 2;
    let got = load(&mut app, &[given.clone(), cases[1].clone()]);
    assert_eq!(
        bodies(&got),
        ["assigned to you: 2026-1126-000001 subject 1"]
    );

    // I take case 2 myself: the reload that shows it mine says nothing.
    let take = CasePatch {
        owner: Some("tanaka".into()),
        ..CasePatch::default()
    };
    app.alerts.note_own(
        &[Effect::Submit(number(2), PendingChange::Patch(take), 1)],
        Some("tanaka"),
    );
    let mut taken = case(2, Priority::P3, Some("tanaka"), 60);
    taken.version = 2;
    assert!(load(&mut app, &[given, taken]).is_empty());
}

#[test]
fn a_customer_reply_on_my_case_alerts_once_per_reply() {
    let mut app = app();
    let mine = case(1, Priority::P3, Some("tanaka"), 60);
    let effects = app.update(Msg::Cases(vec![Row::new(mine)], Vec::new()));
    assert!(
        effects.contains(&Effect::CustomerReplies("tanaka".into())),
        "the replies are read after each load: {effects:?}"
    );
    let at = |m: i64| Some(now() - Duration::minutes(m));
    let replies = |t| Replies::from([(number(1), t)]);
    // The first read is the baseline, even with a reply in it.
    assert!(notices(app.update(Msg::CustomerReplies(replies(at(30))))).is_empty());
    assert!(notices(app.update(Msg::CustomerReplies(replies(at(30))))).is_empty());
    let got = notices(app.update(Msg::CustomerReplies(replies(at(1)))));
    assert_eq!(
        bodies(&got),
        ["the customer replied on 2026-1126-000001: subject 1"]
    );
    assert!(notices(app.update(Msg::CustomerReplies(replies(at(1))))).is_empty());
}

#[test]
fn a_new_escalation_alerts_leads_only() {
    for (role, expected) in [(Role::Lead, 1), (Role::Agent, 0)] {
        let mut app = app_as(role);
        load(&mut app, &[case(1, Priority::P2, Some("sato"), 60)]);
        let mut escalated = case(1, Priority::P2, Some("sato"), 60);
        escalated.open_escalations = 1;
        escalated.version = 2;
        let got = load(&mut app, &[escalated]);
        assert_eq!(got.len(), expected, "{role:?}: {got:?}");
        if expected == 1 {
            assert_eq!(
                got[0].body,
                "2026-1126-000001 has an escalation waiting for a lead: subject 1"
            );
        }
    }
}

#[test]
fn due_soon_alerts_once_per_deadline_as_the_clock_moves() {
    let mut app = app();
    let mut c = case(1, Priority::P2, Some("tanaka"), 60);
    c.next_due = Some(now() + Duration::minutes(45));
    assert!(load(&mut app, &[c.clone()]).is_empty());
    // 15 minutes later the deadline is 30 minutes away: once.
    let got = notices(app.update(Msg::Tick(now() + Duration::minutes(15))));
    assert_eq!(bodies(&got), ["2026-1126-000001 is due in 30m: subject 1"]);
    assert!(notices(app.update(Msg::Tick(now() + Duration::minutes(16)))).is_empty());
    // A new deadline (the next clock) alerts again when it comes near.
    c.next_due = Some(now() + Duration::minutes(60));
    c.version = 2;
    assert!(load(&mut app, &[c]).is_empty());
    assert_eq!(
        notices(app.update(Msg::Tick(now() + Duration::minutes(31)))).len(),
        1
    );
}

#[test]
fn more_than_three_at_once_are_one_summary_and_all_in_the_list() {
    let mut app = app();
    load(&mut app, &[]);
    let mut cases: Vec<CaseSummary> = (1..=2).map(|n| case(n, Priority::P1, None, 0)).collect();
    for n in 3..=5 {
        let mut c = case(n, Priority::P3, Some("tanaka"), 600);
        c.next_due = Some(now() + Duration::minutes(20));
        cases.push(c);
    }
    // Cases 3–5 are mine from before: known, then due.
    let got = load(&mut app, &cases);
    assert_eq!(
        bodies(&got),
        ["5 new alerts: 2 new P1, 3 due within 30m"],
        "one summary"
    );
    assert_eq!(
        app.message.as_ref().unwrap().text,
        "!! 5 new alerts: 2 new P1, 3 due within 30m"
    );
    assert_eq!(app.alerts.raised.len(), 5);

    // Three at once: each on its own.
    let three: Vec<CaseSummary> = (6..=8).map(|n| case(n, Priority::P1, None, 0)).collect();
    let got = load(&mut app, &[cases.clone(), three].concat());
    assert_eq!(got.len(), 3);
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .text
            .starts_with("!! 3 new alerts: 3 new P1")
    );
}

#[test]
fn the_list_shows_this_sessions_alerts_newest_first_and_enter_opens_the_case() {
    let mut app = app();
    app.run(crate::tui::keymap::Command::Alerts, "");
    assert_eq!(
        app.message.as_ref().unwrap().text,
        "no alerts yet this session"
    );
    load(&mut app, &[]);
    load(&mut app, &[case(1, Priority::P1, None, 0)]);
    load(
        &mut app,
        &[
            case(1, Priority::P1, None, 0),
            case(2, Priority::P1, None, 0),
        ],
    );
    app.run(crate::tui::keymap::Command::Alerts, "");
    let Some(Overlay::List(list)) = &app.overlay else {
        panic!("no list: {:?}", app.overlay);
    };
    assert_eq!(list.title, "Alerts this session (2)");
    assert_eq!(list.header, ["time", "trigger", "case", "what"]);
    assert_eq!(
        list.rows[0].cells,
        [
            "10:00:00",
            "new case",
            "2026-1126-000002",
            "new P1: 2026-1126-000002 subject 2"
        ]
    );
    let effects = app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert_eq!(effects, vec![Effect::LoadCase(number(2), true)]);
}

#[test]
fn turned_off_nothing_is_raised() {
    let mut app = app();
    app.alerts = Alerts::default();
    load(&mut app, &[]);
    assert!(load(&mut app, &[case(1, Priority::P1, Some("tanaka"), 0)]).is_empty());
    app.run(crate::tui::keymap::Command::Alerts, "");
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .text
            .starts_with("alerts are off")
    );
}

#[test]
fn japanese_alerts_read_as_a_japanese_desk_writes() {
    let mut app = app();
    app.settings.lang = Lang::Ja;
    load(&mut app, &[]);
    let got = load(&mut app, &[case(1, Priority::P1, None, 0)]);
    assert_eq!(
        bodies(&got),
        ["新しい P1 のケース: 2026-1126-000001 subject 1"]
    );
}
