//! Held and unreadable mail (`:mail`, issue 16): mail the server would not put on a case by
//! itself (a stranger's, or one it could not read), listed for an agent who releases it into
//! a case as the customer's note or discards it. Both go to the server only, never the outbox.

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use super::app::{App, Effect, ListKind, ListRow, ListView, Overlay};
use super::form::{Form, Purpose};
use super::keymap::{Key, ListAction, ListScope};
use crate::api::{HeldMail, MailList};
use crate::config::DisplayZone;
use crate::domain::CaseNumber;
use crate::sanitize::clean;
use crate::term::text::{Lang, Say, Word};
use crate::term::theme::Role;

/// What the app keeps of the mail list last shown, so a row's keys act on the mail by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeldMailbox {
    /// Whether the server runs its mail channel (off: nothing can be released).
    pub enabled: bool,
    /// The mail listed.
    pub items: Vec<HeldMail>,
    /// The mail a first discard key asked to drop: the next press on it drops it.
    discard_armed: Option<i64>,
}

/// The mail list as the overlay shows it: newest first, as the server sends it. When the
/// server has no mail channel, a first row says so (mail kept from before is still listed).
pub fn view(lang: Lang, zone: DisplayZone, now: DateTime<Utc>, list: &MailList) -> ListView {
    let mut rows = Vec::new();
    if !list.enabled {
        let mut cells = vec![String::new(); 4];
        cells.push(lang.word(Word::MailOff).to_string());
        rows.push(ListRow {
            cells,
            case: None,
            id: None,
            role: Some(Role::Muted),
        });
    }
    rows.extend(list.items.iter().map(|m| row(lang, zone, now, m)));
    ListView {
        kind: ListKind::Mail,
        title: format!("{} ({})", lang.word(Word::MailListTitle), list.items.len()),
        header: [
            Word::ColReceived,
            Word::ColCase,
            Word::ColSender,
            Word::ColSubject,
            Word::ColWhy,
        ]
        .map(|w| lang.word(w).to_string())
        .to_vec(),
        rows,
        selected: 0,
        hint: lang.word(Word::HintMail).into(),
    }
}

/// One mail's row: when, the case it was matched to, from whom, about what, and held or
/// unreadable with why.
fn row(lang: Lang, zone: DisplayZone, now: DateTime<Utc>, m: &HeldMail) -> ListRow {
    let case = m.case_number.as_deref().and_then(|n| n.parse().ok());
    let state = match m.state.as_str() {
        "held" => lang.word(Word::MailHeld).to_string(),
        "error" => lang.word(Word::MailUnreadable).to_string(),
        "released" => lang.word(Word::MailReleasedState).to_string(),
        "discarded" => lang.word(Word::MailDiscardedState).to_string(),
        other => clean(other, true).into_owned(),
    };
    let text = |t: &str| clean(t, true).into_owned();
    let why = match m.reason.as_deref().filter(|r| !r.trim().is_empty()) {
        Some(reason) => format!("{state}: {}", text(reason)),
        None => state,
    };
    ListRow {
        cells: vec![
            zone.short(m.received_at, now),
            m.case_number.as_deref().map(text).unwrap_or_default(),
            text(&m.sender),
            text(&m.subject),
            why,
        ],
        case,
        id: Some(m.id),
        role: (m.state == "error").then_some(Role::Error),
    }
}

/// The server's mail list arrived: kept for the row keys, and the list to show.
pub fn arrived(app: &mut App, list: MailList) -> ListView {
    let shown = view(app.lang(), app.settings.zone, app.now, &list);
    app.mail = HeldMailbox {
        enabled: list.enabled,
        items: list.items,
        discard_armed: None,
    };
    shown
}

/// A key in the mail list: release, release into a typed case, discard (pressed twice). Gives
/// the list back for the common keys (move, open, close) when the key is none of these.
pub fn list_key(app: &mut App, list: ListView, key: &KeyEvent) -> Result<Vec<Effect>, ListView> {
    let Some(action) = app.settings.keys.list_action(ListScope::Mail, key) else {
        return Err(list);
    };
    let id = list.rows.get(list.selected).and_then(|r| r.id);
    let Some(mail) = id.and_then(|id| app.mail.items.iter().find(|m| m.id == id).cloned()) else {
        // The row saying mail is off, or an empty list: nothing to act on.
        app.overlay = Some(Overlay::List(list));
        return Ok(Vec::new());
    };
    let lang = app.lang();
    let effects = match action {
        ListAction::Release | ListAction::ReleaseTo if !app.mail.enabled => {
            app.notice(lang.say(Say::MailOffNoRelease), true);
            Vec::new()
        }
        ListAction::Release if mail.case_number.is_some() => {
            vec![Effect::ReleaseMail(mail.id, None)]
        }
        ListAction::Release | ListAction::ReleaseTo => {
            let matched = mail.case_number.as_deref().unwrap_or("");
            let title = format!(
                "{} #{} — {}",
                lang.word(Word::ReleaseMailTitle),
                mail.id,
                clean(&mail.sender, true)
            );
            let mut form = Form::new(title, Purpose::ReleaseMail(mail.id)).line(
                "case",
                lang.word(Word::ReleaseCaseField),
                &clean(matched, true),
            );
            form.info = vec![(clean(&mail.subject, true).into_owned(), Role::Muted)];
            app.overlay = Some(Overlay::Form(form));
            return Ok(Vec::new());
        }
        ListAction::DiscardMail => {
            // Mail may be a customer's only copy of what they wrote: a second press drops it.
            if app.mail.discard_armed == Some(mail.id) {
                app.mail.discard_armed = None;
                vec![Effect::DiscardMail(mail.id)]
            } else {
                app.mail.discard_armed = Some(mail.id);
                let again = Key::of(key).to_string();
                app.notice(
                    lang.say(Say::PressAgainToDiscardMail(&again, mail.id)),
                    false,
                );
                Vec::new()
            }
        }
        // The other lists' actions are not bound in this one.
        _ => Vec::new(),
    };
    app.overlay = Some(Overlay::List(list));
    Ok(effects)
}

/// The release form was sent: the case typed, checked before it goes to the server.
pub fn submit_release(lang: Lang, id: i64, form: &Form) -> Result<Vec<Effect>, String> {
    let typed = form.value("case");
    if typed.is_empty() {
        return Err(lang.say(Say::Required(lang.word(Word::CaseNumberWhat))));
    }
    let number: CaseNumber = typed
        .parse()
        .map_err(|_| lang.say(Say::NotACaseNumber(&typed)))?;
    Ok(vec![Effect::ReleaseMail(id, Some(number))])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::app::Msg;
    use crossterm::event::KeyCode;

    fn held(id: i64, state: &str, case: Option<&str>) -> HeldMail {
        HeldMail {
            id,
            state: state.into(),
            received_at: "2026-11-24T04:30:00Z".parse().unwrap(),
            sender: "stranger@example.test".into(),
            subject: "Re: [2026-1124-000101] VPN".into(),
            case_number: case.map(String::from),
            reason: Some("not the case's contact".into()),
            size: 2048,
            decided_by: None,
            decided_at: None,
            note_id: None,
        }
    }

    fn shown(items: Vec<HeldMail>, enabled: bool) -> App {
        let mut app = crate::tui::app::tests::app();
        app.update(Msg::Mail(MailList { enabled, items }));
        assert!(
            matches!(&app.overlay, Some(Overlay::List(l)) if l.kind == ListKind::Mail),
            "{:?}",
            app.overlay
        );
        app
    }

    fn press(app: &mut App, c: char) -> Vec<Effect> {
        app.update(Msg::Key(KeyEvent::from(KeyCode::Char(c))))
    }

    #[test]
    fn release_goes_to_the_matched_case_and_asks_for_one_otherwise() {
        let mut app = shown(
            vec![
                held(4, "held", Some("2026-1124-000101")),
                held(5, "held", None),
            ],
            true,
        );
        assert_eq!(press(&mut app, 'r'), vec![Effect::ReleaseMail(4, None)]);
        // No case matched: a form asks which.
        press(&mut app, 'j');
        assert_eq!(press(&mut app, 'r'), Vec::new());
        let Some(Overlay::Form(form)) = &app.overlay else {
            panic!("no release form: {:?}", app.overlay);
        };
        assert_eq!(form.purpose, Purpose::ReleaseMail(5));
        for c in "2026-1124-000102".chars() {
            press(&mut app, c);
        }
        let effects = app.update(Msg::Key(KeyEvent::from(KeyCode::Enter)));
        assert_eq!(
            effects,
            vec![Effect::ReleaseMail(
                5,
                Some("2026-1124-000102".parse().unwrap())
            )]
        );
    }

    #[test]
    fn release_to_asks_with_the_matched_case_filled_in_and_refuses_a_bad_number() {
        let mut app = shown(vec![held(4, "held", Some("2026-1124-000101"))], true);
        assert_eq!(press(&mut app, 'c'), Vec::new());
        let Some(Overlay::Form(form)) = &app.overlay else {
            panic!("no release form");
        };
        assert_eq!(form.value("case"), "2026-1124-000101");
        for _ in 0..3 {
            app.update(Msg::Key(KeyEvent::from(KeyCode::Backspace)));
        }
        let effects = app.update(Msg::Key(KeyEvent::from(KeyCode::Enter)));
        assert_eq!(effects, Vec::new());
        let Some(Overlay::Form(form)) = &app.overlay else {
            panic!("the form went away");
        };
        assert!(
            form.error
                .as_deref()
                .is_some_and(|e| e.contains("is not a case number")),
            "{:?}",
            form.error
        );
    }

    #[test]
    fn discard_takes_two_presses_on_the_same_mail() {
        let mut app = shown(vec![held(4, "error", None), held(5, "held", None)], true);
        assert_eq!(press(&mut app, 'd'), Vec::new());
        assert!(
            app.message
                .as_ref()
                .is_some_and(|m| m.text.contains("again to discard mail #4")),
            "{:?}",
            app.message
        );
        // Another row first: its own two presses.
        press(&mut app, 'j');
        assert_eq!(press(&mut app, 'd'), Vec::new());
        assert_eq!(press(&mut app, 'd'), vec![Effect::DiscardMail(5)]);
    }

    #[test]
    fn with_the_mail_channel_off_it_says_so_and_releases_nothing() {
        let mut app = shown(vec![held(4, "held", Some("2026-1124-000101"))], false);
        let Some(Overlay::List(list)) = &app.overlay else {
            panic!("no list");
        };
        assert!(list.rows[0].cells.iter().any(|c| c.contains("mail is off")));
        assert_eq!(list.rows[0].id, None);
        // The note row holds nothing to act on.
        assert_eq!(press(&mut app, 'd'), Vec::new());
        press(&mut app, 'j');
        assert_eq!(press(&mut app, 'r'), Vec::new());
        assert!(
            app.message
                .as_ref()
                .is_some_and(|m| m.error && m.text.contains("not released")),
            "{:?}",
            app.message
        );
        press(&mut app, 'd');
        assert_eq!(press(&mut app, 'd'), vec![Effect::DiscardMail(4)]);
    }

    #[test]
    fn the_mail_command_asks_the_server() {
        let mut app = crate::tui::app::tests::app();
        let effects = app.update(Msg::Key(KeyEvent::from(KeyCode::Char(':'))));
        assert!(effects.is_empty());
        for c in "mail".chars() {
            press(&mut app, c);
        }
        let effects = app.update(Msg::Key(KeyEvent::from(KeyCode::Enter)));
        assert_eq!(effects, vec![Effect::Mail]);
    }
}
