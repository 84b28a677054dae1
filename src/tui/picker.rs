//! The people picker of the assign form: typing filters the desk's people (as the server lists
//! them, cached for offline use), Tab or ↑↓ complete to one, and a name that is nobody is
//! refused in the form with its field marked, before anything is sent.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::form::{Form, FormEvent};
use crate::api::{Person, check_owner, owner_matches};
use crate::term::text::{Lang, Say, Word};
use crate::term::theme::Role;

/// Names shown under the field at most.
const SHOWN: usize = 5;

/// The picker attached to one text field of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    /// The field it completes.
    pub key: &'static str,
    /// The people to choose from.
    people: Vec<Person>,
    /// The owner when the form opened (what the role rule weighs a change against).
    pub was: Option<String>,
    /// What the user typed before completing: the filter while they step through matches.
    filter: String,
    /// The match completed to last (an index into the matches of `filter`).
    chosen: Option<usize>,
    /// The text that was refused, while it is still in the field.
    refused: Option<String>,
}

impl Picker {
    /// A picker for the field `key` over `people`, on a case now owned by `was`.
    pub fn new(key: &'static str, people: Vec<Person>, was: Option<String>) -> Picker {
        Picker {
            key,
            people,
            was,
            filter: String::new(),
            chosen: None,
            refused: None,
        }
    }

    /// The filter the matches come from: what was typed, unless the text is the completion.
    fn filter_for(&self, text: &str) -> String {
        match self.chosen {
            Some(i) if self.completion(i).is_some_and(|n| n == text) => self.filter.clone(),
            _ => text.to_string(),
        }
    }

    fn completion(&self, i: usize) -> Option<&str> {
        owner_matches(&self.people, &self.filter)
            .get(i)
            .map(|p| p.name.as_str())
    }

    /// Whether `field` is the one marked as refused (its text unchanged since).
    pub fn marks(&self, field: &str, text: &str) -> bool {
        field == self.key && self.refused.as_deref() == Some(text)
    }
}

/// Handles the keys the picker takes on its field (Tab, ↑, ↓); `None` leaves the key to the
/// form. With no match, Tab moves on as in any form.
pub fn key(form: &mut Form, key: &KeyEvent) -> Option<FormEvent> {
    let picker = form.picker.as_ref()?;
    let focused = form.fields.get(form.focus).map(|f| f.key);
    if focused != Some(picker.key) || !key.modifiers.difference(KeyModifiers::SHIFT).is_empty() {
        return None;
    }
    let step: isize = match key.code {
        KeyCode::Tab | KeyCode::Down => 1,
        KeyCode::Up => -1,
        _ => return None,
    };
    let text = form.value(picker.key);
    let filter = picker.filter_for(&text);
    let matches = owner_matches(&picker.people, &filter);
    if matches.is_empty() {
        return None;
    }
    let stepping = filter != text || matches.first().is_some_and(|p| p.name == text);
    let at = match picker.chosen.filter(|_| stepping) {
        Some(i) => (i as isize + step).rem_euclid(matches.len() as isize) as usize,
        None if step > 0 => 0,
        None => matches.len() - 1,
    };
    let name = matches[at].name.clone();
    if let Some(p) = form.picker.as_mut() {
        p.filter = filter;
        p.chosen = Some(at);
    }
    form.set_focused_text(&name);
    form.error = None;
    Some(FormEvent::None)
}

/// The lines the picker shows under the form while its field is focused: the matching people
/// with their roles, the completed one marked, and how many more there are.
pub fn lines(form: &Form, lang: Lang) -> Vec<(String, Role)> {
    let Some(picker) = &form.picker else {
        return Vec::new();
    };
    if form.fields.get(form.focus).map(|f| f.key) != Some(picker.key) {
        return Vec::new();
    }
    let text = form.value(picker.key);
    let filter = picker.filter_for(&text);
    let matches = owner_matches(&picker.people, &filter);
    if matches.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<(String, Role)> = matches
        .iter()
        .take(SHOWN)
        .map(|p| {
            let chosen = p.name == text;
            let line = format!(
                "{} {:<16} {}",
                // Not blank: the form's lines are trimmed where they wrap.
                if chosen { "▸" } else { "·" },
                p.name,
                lang.role(p.role)
            );
            (line, if chosen { Role::Selected } else { Role::Muted })
        })
        .collect();
    let more = matches.len().saturating_sub(SHOWN);
    let hint = lang.word(Word::PickerHint);
    let tail = if more > 0 {
        format!(
            "  {} · {hint}",
            lang.word(Word::PickerMore)
                .replace("{n}", &more.to_string())
        )
    } else {
        format!("  {hint}")
    };
    out.push((tail, Role::Muted));
    out
}

/// Checks the picker's field on submit: empty (unassign) or an active person's name. An
/// unknown name marks the field, focuses it and says what is wrong; with no people known
/// (never synced) the server decides.
pub fn check(form: &mut Form, lang: Lang) -> Result<(), String> {
    let Some(picker) = &form.picker else {
        return Ok(());
    };
    let text = form.value(picker.key);
    if text.is_empty() || picker.people.is_empty() {
        return Ok(());
    }
    let Err(unknown) = check_owner(&picker.people, &text) else {
        return Ok(());
    };
    let key = picker.key;
    if let Some(at) = form.fields.iter().position(|f| f.key == key) {
        form.focus = at;
    }
    if let Some(p) = form.picker.as_mut() {
        p.refused = Some(text.clone());
    }
    Err(lang.say(Say::UnknownPerson(
        &unknown.name,
        unknown.suggestion.as_deref(),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Role;
    use crate::domain::CaseNumber;
    use crate::tui::form::Purpose;

    fn form() -> Form {
        let number: CaseNumber = "2026-1120-000001".parse().unwrap();
        let people = ["kimura", "kato", "sato", "suzuki"]
            .iter()
            .map(|n| Person {
                name: n.to_string(),
                role: Role::Agent,
                active: true,
            })
            .collect();
        let mut form = Form::new("Assign", Purpose::Assign(number, 1)).line("owner", "Owner", "");
        form.picker = Some(Picker::new("owner", people, None));
        form
    }

    /// A key as the form gets it (the picker first).
    fn press(form: &mut Form, code: KeyCode) {
        form.key(&KeyEvent::new(code, KeyModifiers::NONE));
    }

    #[test]
    fn typing_filters_and_tab_completes_then_steps() {
        let mut form = form();
        press(&mut form, KeyCode::Char('k'));
        let shown: Vec<String> = lines(&form, Lang::En).into_iter().map(|l| l.0).collect();
        assert!(
            shown[0].contains("kato") && shown[1].contains("kimura"),
            "{shown:?}"
        );
        assert!(shown.iter().all(|l| !l.contains("sato")), "{shown:?}");
        press(&mut form, KeyCode::Tab);
        assert_eq!(form.value("owner"), "kato");
        press(&mut form, KeyCode::Tab);
        assert_eq!(form.value("owner"), "kimura");
        press(&mut form, KeyCode::Up);
        assert_eq!(form.value("owner"), "kato");
        assert!(lines(&form, Lang::En)[0].0.starts_with('▸'));
    }

    #[test]
    fn an_unknown_name_is_refused_with_its_field_marked_until_edited() {
        let mut form = form();
        for c in "kimuraa".chars() {
            press(&mut form, KeyCode::Char(c));
        }
        let err = check(&mut form, Lang::En).unwrap_err();
        assert!(
            err.contains("'kimuraa'") && err.contains("kimura?"),
            "{err}"
        );
        let picker = form.picker.as_ref().unwrap();
        assert!(picker.marks("owner", "kimuraa"));
        press(&mut form, KeyCode::Backspace);
        assert!(!form.picker.as_ref().unwrap().marks("owner", "kimura"));
        assert_eq!(check(&mut form, Lang::En), Ok(()));
        form.set_text("owner", "");
        assert_eq!(check(&mut form, Lang::En), Ok(()), "empty unassigns");
    }
}
