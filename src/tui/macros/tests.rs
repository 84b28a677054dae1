//! The macro picker at the app's level: filtering, Enter's effects, refusals, insertion.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::api::{Case, Me, Role};
use crate::cache::PendingChange;
use crate::domain::{Status, Visibility};
use crate::tui::app::Msg;
use crate::tui::app::tests::app;

fn mac(name: &str, en: &str, ja: &str) -> Macro {
    Macro {
        name: name.into(),
        text_en: en.into(),
        text_ja: ja.into(),
        changes: MacroChanges::default(),
    }
}

fn book() -> MacroBook {
    let mut book = MacroBook::personal(vec![mac("my-sign-off", "Best regards, {me}", "{me}")]);
    let mut resolved = mac(
        "resolved",
        "Case {case} is resolved. Please confirm, or reply to reopen it.",
        "ケース {case} は解決しました。",
    );
    resolved.changes.status = Some(Status::Resolved);
    book.set_team(vec![
        mac(
            "ack",
            "We received case {case}.",
            "ケース {case} を受け付けました。",
        ),
        mac(
            "info-needed",
            "Please send the logs and the serial.",
            "ログとシリアル番号をお送りください。",
        ),
        mac(
            "rma-issued",
            "RMA {rma} was issued.",
            "RMA {rma} を発行しました。",
        ),
        resolved,
        // The personal one of the same name hides the team's.
        mac("my-sign-off", "team text", "team text"),
    ]);
    book
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| press(app, KeyCode::Char(c)))
        .collect()
}

/// The app with the book, signed in as tanaka, the selected case's detail read.
fn ready() -> App {
    let mut app = app();
    app.macros = book();
    app.update(Msg::Me(Me {
        name: "tanaka".into(),
        role: Role::Agent,
    }));
    press(&mut app, KeyCode::Char('7'));
    let summary = app.current().cloned().expect("a selected case");
    let mut value = serde_json::to_value(&summary).expect("a summary as JSON");
    let extra = serde_json::json!({
        "description": "", "software_version": "", "contact_email": "",
        "contact_phone": "", "preferred_contact": "phone", "user_type": "business_user",
        "problem_reports": [], "attachments": [], "entitlement": null,
        "unentitled": false, "close_reason": null, "notes": [], "history": [],
        "escalations": [], "rmas": [],
        "clocks": {"at": "2026-11-20T00:00:00Z", "clocks": [], "p1_contact": {
            "failing_since": null, "downgrade_available_at": null,
            "downgrade_available": false, "temporarily_downgraded": false}},
    });
    if let (Some(v), serde_json::Value::Object(e)) = (value.as_object_mut(), extra) {
        v.extend(e);
    }
    let case: Case = serde_json::from_value(value).expect("a case");
    let opened = app.opened.as_mut().expect("an opened case");
    assert_eq!(opened.number, summary.number);
    opened.case = Some(case);
    opened.loading = false;
    app
}

fn picker(app: &App) -> &MacroPicker {
    match &app.overlay {
        Some(Overlay::Macros(p)) => p,
        other => panic!("no picker: {other:?}"),
    }
}

fn names(book: &MacroBook, filter: &str) -> Vec<String> {
    book.matching(filter)
        .into_iter()
        .map(|i| book.get(i).unwrap().name.clone())
        .collect()
}

#[test]
fn the_filter_matches_names_letters_in_order_and_texts_personal_first() {
    let book = book();
    assert_eq!(
        names(&book, ""),
        [
            "ack",
            "info-needed",
            "my-sign-off",
            "resolved",
            "rma-issued"
        ]
    );
    assert!(book.is_personal(2) && !book.is_personal(0));
    assert_eq!(
        book.find("my-sign-off").unwrap().text_en,
        "Best regards, {me}"
    );
    assert_eq!(names(&book, "RMA"), ["rma-issued"]);
    // Letters in order: "rsv" is in "resolved" only.
    assert_eq!(names(&book, "rsv"), ["resolved"]);
    // A word of the text, in either language, after the names.
    assert_eq!(names(&book, "logs"), ["info-needed"]);
    assert_eq!(names(&book, "シリアル"), ["info-needed"]);
    // Name prefix, then letters in order, then the texts ("received", "regards").
    assert_eq!(
        names(&book, "re"),
        ["resolved", "rma-issued", "ack", "my-sign-off"]
    );
    assert!(names(&book, "zzz").is_empty());
}

#[test]
fn typing_filters_the_picker_and_esc_closes_it() {
    let mut app = ready();
    assert!(press(&mut app, KeyCode::Char('M')).is_empty(), "no I/O");
    typed(&mut app, "rsv");
    let p = picker(&app);
    assert_eq!(p.filter.text(), "rsv");
    assert_eq!(
        app.macros.get(p.chosen(&app.macros).unwrap()).unwrap().name,
        "resolved"
    );
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
}

#[test]
fn enter_applies_the_note_and_the_patch_in_one_step() {
    let mut app = ready();
    let number = app.current().unwrap().number;
    press(&mut app, KeyCode::Char('M'));
    typed(&mut app, "resolved");
    let Preview::Planned(planned) = preview(&app, picker(&app)) else {
        panic!("no plan: {:?}", preview(&app, picker(&app)));
    };
    let body = planned.note.as_ref().expect("a note").body.clone();
    assert_eq!(
        body,
        format!("Case {number} is resolved. Please confirm, or reply to reopen it.")
    );
    let effects = press(&mut app, KeyCode::Enter);
    let [Effect::SubmitAll(n, changes, _)] = effects.as_slice() else {
        panic!("expected one step, got {effects:?}");
    };
    assert_eq!(*n, number);
    let [PendingChange::Note(note), PendingChange::Patch(patch)] = changes.as_slice() else {
        panic!("expected the note then the patch, got {changes:?}");
    };
    assert_eq!(note.body, body);
    assert_eq!(note.visibility, Visibility::Public);
    assert_eq!(patch.status, Some(Status::Resolved));
    assert!(app.overlay.is_none());
}

#[test]
fn a_placeholder_without_a_value_is_refused_by_name_and_nothing_is_sent() {
    let mut app = ready();
    press(&mut app, KeyCode::Char('M'));
    typed(&mut app, "rma-issued");
    let Preview::Refused(refusal) = preview(&app, picker(&app)) else {
        panic!("not refused: {:?}", preview(&app, picker(&app)));
    };
    assert!(refusal_words(Lang::En, &refusal).contains("{rma}"));
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    let said = app.message.as_ref().expect("a message");
    assert!(said.error && said.text.contains("{rma}"), "{}", said.text);
    assert!(said.text.contains("nothing was sent"), "{}", said.text);
    // The picker stays, to choose another.
    assert!(matches!(app.overlay, Some(Overlay::Macros(_))));
}

#[test]
fn palette_macro_name_applies_at_once_and_an_unknown_name_lists_close_ones() {
    let mut app = ready();
    let effects = app.run(crate::tui::keymap::Command::Macro, "ack");
    assert!(
        matches!(effects.as_slice(), [Effect::SubmitAll(_, changes, _)] if changes.len() == 1),
        "{effects:?}"
    );
    assert!(
        app.run(crate::tui::keymap::Command::Macro, "rma-isued")
            .is_empty()
    );
    let said = &app.message.as_ref().expect("a message").text;
    assert!(
        said.contains("'rma-isued'") && said.contains("rma-issued"),
        "{said}"
    );
}

#[test]
fn ctrl_t_in_the_note_form_inserts_the_filled_text_at_the_cursor() {
    let mut app = ready();
    let number = app.current().unwrap().number;
    press(&mut app, KeyCode::Char('n'));
    typed(&mut app, "Hello. ");
    let ctrl_t = KeyEvent::new(KeyCode::Char('t'), KeyModifiers::CONTROL);
    assert!(app.update(Msg::Key(ctrl_t)).is_empty());
    assert!(picker(&app).inserts());
    typed(&mut app, "ack");
    assert!(
        press(&mut app, KeyCode::Enter).is_empty(),
        "nothing is sent"
    );
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("the note form is back: {:?}", app.overlay);
    };
    assert_eq!(
        form.value("body"),
        format!("Hello. We received case {number}.")
    );
    // Esc from the picker gives the form back untouched.
    app.update(Msg::Key(ctrl_t));
    press(&mut app, KeyCode::Esc);
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("the note form is back");
    };
    assert_eq!(
        form.value("body"),
        format!("Hello. We received case {number}.")
    );
}

#[test]
fn the_picker_on_a_case_not_read_yet_asks_for_it_and_shows_it_loading() {
    let mut app = app();
    app.macros = book();
    let number = app.current().unwrap().number;
    if let Some(o) = app.opened.as_mut() {
        o.case = None;
    }
    app.opened = None;
    let effects = press(&mut app, KeyCode::Char('M'));
    assert_eq!(effects, vec![Effect::LoadCase(number, false)]);
    assert_eq!(preview(&app, picker(&app)), Preview::Loading);
    assert!(press(&mut app, KeyCode::Enter).is_empty());
}
