//! Forms: a few labelled fields — text, several lines, or a choice — that an action fills in.
//! The form only edits; what a submitted form means is decided by the app, which refuses bad
//! input with a message in the form so nothing typed is lost.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::input::{Edit, TextInput};
use crate::api::EscalationPatch;
use crate::domain::{CaseNumber, EscalationKind, Priority, Status};

/// What a field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// Text, one line or several.
    Text(TextInput),
    /// One of a few options: (value, label).
    Choice {
        /// The options.
        options: Vec<(String, String)>,
        /// The chosen one.
        index: usize,
    },
}

/// One field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Its name, for reading the value.
    pub key: &'static str,
    /// Its label.
    pub label: String,
    /// Its value.
    pub kind: FieldKind,
    /// For a choice: what each option means, shown under it while it is chosen.
    pub notes: Vec<String>,
}

/// What the form is for, with what the action needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// A note on a case.
    Note(CaseNumber, i64),
    /// A new owner.
    Assign(CaseNumber, i64),
    /// A status change from the current status.
    Status(CaseNumber, i64, Status),
    /// A priority change from the current priority.
    Priority(CaseNumber, i64, Priority),
    /// An escalation request.
    Escalate(CaseNumber, i64, EscalationKind),
    /// A new RMA.
    Rma(CaseNumber, i64),
    /// A serial number to look up.
    Entitlement,
    /// Text to search for.
    Search,
    /// A lead resolving or declining an escalation.
    CloseEscalation(i64, EscalationPatch),
    /// A logged call (`NoteKind::Call`) or failed contact attempt on a case.
    Contact(CaseNumber, i64, crate::api::NoteKind),
    /// An engineering bug number to link to a case.
    ProblemReport(CaseNumber, i64),
    /// A new case (the phone intake).
    NewCase,
    /// An RMA move (or analysis request) from its current status.
    RmaMove(crate::domain::RmaNumber, crate::domain::RmaStatus),
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEvent {
    /// Nothing to act on.
    None,
    /// Send it.
    Submit,
    /// Close it without sending.
    Cancel,
    /// Edit the focused text in `$EDITOR`.
    Editor,
}

/// A form on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// The title.
    pub title: String,
    /// The fields.
    pub fields: Vec<Field>,
    /// The focused field.
    pub focus: usize,
    /// What is wrong with it, or the Esc warning.
    pub error: Option<String>,
    /// What it is for.
    pub purpose: Purpose,
    /// Lines the app adds under the fields (a serial's contract, possible duplicates), each
    /// with its theme role.
    pub info: Vec<(String, &'static str)>,
    /// The serial last looked up, so leaving the field again does not ask twice.
    pub looked_up: Option<String>,
    /// Esc was pressed once with text in the form.
    cancel_armed: bool,
}

impl Form {
    /// An empty form.
    pub fn new(title: impl Into<String>, purpose: Purpose) -> Form {
        Form {
            title: title.into(),
            fields: Vec::new(),
            focus: 0,
            error: None,
            purpose,
            info: Vec::new(),
            looked_up: None,
            cancel_armed: false,
        }
    }

    /// Adds a one-line text field.
    pub fn line(mut self, key: &'static str, label: &str, initial: &str) -> Form {
        self.fields.push(Field {
            key,
            label: label.to_string(),
            kind: FieldKind::Text(TextInput::line(initial)),
            notes: Vec::new(),
        });
        self
    }

    /// Adds a multi-line text field.
    pub fn lines(mut self, key: &'static str, label: &str) -> Form {
        self.fields.push(Field {
            key,
            label: label.to_string(),
            kind: FieldKind::Text(TextInput::lines("")),
            notes: Vec::new(),
        });
        self
    }

    /// Adds a choice of `(value, label)` options, with `initial` chosen.
    pub fn choice(
        mut self,
        key: &'static str,
        label: &str,
        options: Vec<(String, String)>,
        initial: usize,
    ) -> Form {
        let index = initial.min(options.len().saturating_sub(1));
        self.fields.push(Field {
            key,
            label: label.to_string(),
            kind: FieldKind::Choice { options, index },
            notes: Vec::new(),
        });
        self
    }

    /// Gives the last field's options their meanings, one per option.
    pub fn with_notes(mut self, notes: Vec<String>) -> Form {
        if let Some(field) = self.fields.last_mut() {
            field.notes = notes;
        }
        self
    }

    /// Replaces a text field's text.
    pub fn set_text(&mut self, key: &str, text: &str) {
        if let Some(Field {
            kind: FieldKind::Text(t),
            ..
        }) = self.fields.iter_mut().find(|f| f.key == key)
        {
            t.set(text);
        }
    }

    /// Chooses the option whose value is `value`, if the field has one.
    pub fn choose(&mut self, key: &str, value: &str) {
        if let Some(Field {
            kind: FieldKind::Choice { options, index },
            ..
        }) = self.fields.iter_mut().find(|f| f.key == key)
            && let Some(at) = options.iter().position(|(v, _)| v == value)
        {
            *index = at;
        }
    }

    /// The meaning of a choice field's chosen option, if it has one.
    pub fn note_of(field: &Field) -> Option<&str> {
        match &field.kind {
            FieldKind::Choice { index, .. } => field.notes.get(*index).map(String::as_str),
            FieldKind::Text(_) => None,
        }
    }

    /// The text of a field (trimmed), or the value of a choice; empty when absent.
    pub fn value(&self, key: &str) -> String {
        match self.fields.iter().find(|f| f.key == key).map(|f| &f.kind) {
            Some(FieldKind::Text(t)) => t.text().trim().to_string(),
            Some(FieldKind::Choice { options, index }) => options
                .get(*index)
                .map(|(v, _)| v.clone())
                .unwrap_or_default(),
            None => String::new(),
        }
    }

    /// Replaces the focused text (after `$EDITOR`).
    pub fn set_focused_text(&mut self, text: &str) {
        if let Some(Field {
            kind: FieldKind::Text(t),
            ..
        }) = self.fields.get_mut(self.focus)
        {
            t.set(text.trim_end_matches('\n'));
        }
    }

    /// The focused text, if the focused field is one.
    pub fn focused_text(&self) -> Option<&TextInput> {
        match &self.fields.get(self.focus)?.kind {
            FieldKind::Text(t) => Some(t),
            FieldKind::Choice { .. } => None,
        }
    }

    fn has_text(&self) -> bool {
        self.fields
            .iter()
            .any(|f| matches!(&f.kind, FieldKind::Text(t) if !t.text().trim().is_empty()))
    }

    /// Applies a key; Esc with text typed asks once more before throwing it away.
    pub fn key(&mut self, key: &KeyEvent) -> FormEvent {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if key.code != KeyCode::Esc {
            self.cancel_armed = false;
        }
        let last = self.fields.len().saturating_sub(1);
        match key.code {
            KeyCode::Esc => {
                if self.has_text() && !self.cancel_armed {
                    self.cancel_armed = true;
                    self.error = Some("Esc again to discard what you typed".into());
                    return FormEvent::None;
                }
                return FormEvent::Cancel;
            }
            KeyCode::Char('s') if ctrl => return FormEvent::Submit,
            KeyCode::Char('e') if ctrl && self.focused_text().is_some() => {
                return FormEvent::Editor;
            }
            KeyCode::Tab => {
                self.focus = if self.focus >= last {
                    0
                } else {
                    self.focus + 1
                }
            }
            KeyCode::BackTab => self.focus = self.focus.checked_sub(1).unwrap_or(last),
            _ => {}
        }
        if matches!(key.code, KeyCode::Tab | KeyCode::BackTab) {
            return FormEvent::None;
        }
        let Some(field) = self.fields.get_mut(self.focus) else {
            return FormEvent::None;
        };
        match &mut field.kind {
            FieldKind::Choice { options, index } => match key.code {
                KeyCode::Left | KeyCode::Char('h') => *index = index.saturating_sub(1),
                KeyCode::Right | KeyCode::Char('l') | KeyCode::Char(' ') => {
                    *index = (*index + 1).min(options.len().saturating_sub(1));
                }
                KeyCode::Up => self.focus = self.focus.saturating_sub(1),
                KeyCode::Down => self.focus = (self.focus + 1).min(last),
                KeyCode::Enter if self.focus >= last => return FormEvent::Submit,
                KeyCode::Enter => self.focus += 1,
                _ => {}
            },
            FieldKind::Text(t) => {
                if key.code == KeyCode::Enter && !t.is_multiline() {
                    if self.focus >= last {
                        return FormEvent::Submit;
                    }
                    self.focus += 1;
                } else if t.key(key) == Edit::Ignored {
                    match key.code {
                        KeyCode::Up if !t.is_multiline() => {
                            self.focus = self.focus.saturating_sub(1);
                        }
                        KeyCode::Down if !t.is_multiline() => {
                            self.focus = (self.focus + 1).min(last);
                        }
                        _ => {}
                    }
                }
            }
        }
        FormEvent::None
    }

    /// Inserts pasted text into the focused field.
    pub fn paste(&mut self, text: &str) {
        if let Some(Field {
            kind: FieldKind::Text(t),
            ..
        }) = self.fields.get_mut(self.focus)
        {
            t.insert(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn fields_are_walked_and_text_is_not_lost_to_one_esc() {
        let number: CaseNumber = "2026-1120-000001".parse().unwrap();
        let mut form = Form::new("Note", Purpose::Note(number, 1))
            .choice(
                "visibility",
                "Visibility",
                vec![
                    ("public".into(), "Public".into()),
                    ("internal".into(), "Internal".into()),
                ],
                0,
            )
            .lines("body", "Text");
        assert_eq!(form.key(&key(KeyCode::Right)), FormEvent::None);
        assert_eq!(form.value("visibility"), "internal");
        form.key(&key(KeyCode::Tab));
        for c in "再起動しました".chars() {
            form.key(&key(KeyCode::Char(c)));
        }
        form.key(&key(KeyCode::Enter));
        form.key(&key(KeyCode::Char('x')));
        assert_eq!(form.value("body"), "再起動しました\nx");
        assert_eq!(form.key(&key(KeyCode::Esc)), FormEvent::None);
        assert!(form.error.as_deref().unwrap().contains("Esc again"));
        assert_eq!(form.key(&key(KeyCode::Esc)), FormEvent::Cancel);
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(form.key(&ctrl_s), FormEvent::Submit);
    }
}
