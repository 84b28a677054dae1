//! The lists arrive as data (issue 15 item 1): the escalations, the outbox and an entitlement
//! come in as what the server or cache answered, the overlay's rows are built from them, and a
//! lead's keys act on the escalation itself, never on the words drawn for it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::tests::{app, escalation};
use super::*;

fn key(app: &mut App, c: char) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

fn shown(app: &App) -> &ListView {
    match &app.overlay {
        Some(Overlay::List(list)) => list,
        other => panic!("expected a list, got {other:?}"),
    }
}

fn lead(app: &mut App) {
    app.update(Msg::Me(Me {
        name: "yamamoto".into(),
        role: Role::Lead,
    }));
}

#[test]
fn a_leads_keys_follow_the_escalations_state_not_the_words_drawn_for_it() {
    let mut app = app();
    lead(&mut app);
    let now = app.now;
    app.update(Msg::Escalations(vec![escalation(
        3,
        EscalationState::Acknowledged,
        "customer asks",
        now,
    )]));
    assert_eq!(shown(&app).kind, ListKind::Escalations);
    assert_eq!(shown(&app).rows[0].cells[3], "acknowledged");
    // Whatever the cell says, the escalation is acknowledged: resolving it is allowed.
    if let Some(Overlay::List(list)) = &mut app.overlay {
        list.rows[0].cells[3] = "requested".into();
    }
    assert!(key(&mut app, 'v').is_empty());
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("the resolve form opens: {:?}", app.message);
    };
    assert_eq!(
        form.title,
        "Resolve escalation #3 — 2026-1120-000002 · Case reassignment"
    );
}

#[test]
fn a_requested_escalation_cannot_be_resolved_in_either_language() {
    for lang in [Lang::En, Lang::Ja] {
        let mut app = app();
        app.settings.lang = lang;
        lead(&mut app);
        let now = app.now;
        app.update(Msg::Escalations(vec![escalation(
            4,
            EscalationState::Requested,
            "r",
            now,
        )]));
        assert!(key(&mut app, 'v').is_empty());
        assert!(matches!(app.overlay, Some(Overlay::List(_))), "{lang:?}");
        assert!(app.message.as_ref().is_some_and(|m| m.error), "{lang:?}");
        assert!(matches!(
            key(&mut app, 'a').as_slice(),
            [Effect::PatchEscalation(4, _)]
        ));
    }
}

#[test]
fn a_list_built_elsewhere_leaves_no_escalation_to_act_on() {
    let mut app = app();
    lead(&mut app);
    let now = app.now;
    let requested = escalation(5, EscalationState::Requested, "r", now);
    app.update(Msg::Escalations(vec![requested]));
    let list = shown(&app).clone();
    app.update(Msg::List(list));
    // The refusal needs the escalation's state, and a prebuilt list carries none.
    key(&mut app, 'v');
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("a form opens");
    };
    assert!(form.info.is_empty());
}

#[test]
fn the_outbox_and_an_entitlement_arrive_as_data_and_are_shown_as_lists() {
    let mut app = app();
    app.update(Msg::Outbox(Vec::new(), None));
    assert_eq!(shown(&app).kind, ListKind::Outbox);
    assert_eq!(shown(&app).title, "Outbox (0)");
    app.overlay = None;
    let entitlement: crate::api::Entitlement = serde_json::from_value(serde_json::json!({
        "serial_number": "FTX1", "tier": "tac-advanced", "contract_end": "2026-10-31",
        "site_name": "Tokyo", "site_id": "JP-TYO-01", "account": "ACME", "active": true
    }))
    .expect("an entitlement");
    app.update(Msg::Entitlement("FTX1".into(), entitlement));
    assert_eq!(shown(&app).kind, ListKind::Entitlement);
    assert_eq!(shown(&app).rows[0].cells[1], "ACTIVE");
}
