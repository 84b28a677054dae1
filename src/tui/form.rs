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
    /// Shown (and asked) only while another field holds a value: `(key, value)`.
    pub shown_when: Option<(&'static str, &'static str)>,
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
    /// Held mail (by id) to release into the case typed.
    ReleaseMail(i64),
    /// A file to attach to a case (its path, and a name to give it).
    Attach(CaseNumber),
    /// Where to save a case's file (by attachment id).
    SaveFile(i64),
    /// An action asked once for every marked case.
    Bulk(super::bulk::BulkAsk),
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
    /// Esc with typed text: the app asks for a second Esc (in the form's error line).
    ConfirmCancel,
    /// Edit the focused text in `$EDITOR`.
    Editor,
    /// Insert a macro's text at the cursor (the note form's Ctrl-T).
    Macro,
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
    pub info: Vec<(String, crate::term::theme::Role)>,
    /// The serial last looked up, so leaving the field again does not ask twice.
    pub looked_up: Option<String>,
    /// Completion of a field from the desk's people (the assign form's owner).
    pub picker: Option<super::picker::Picker>,
    /// Esc was pressed once with typed text in the form.
    cancel_armed: bool,
    /// The user changed some text (prefilled text is not a change).
    edited: bool,
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
            picker: None,
            cancel_armed: false,
            edited: false,
        }
    }

    /// Adds a one-line text field.
    pub fn line(mut self, key: &'static str, label: &str, initial: &str) -> Form {
        self.fields.push(Field {
            key,
            label: label.to_string(),
            kind: FieldKind::Text(TextInput::line(initial)),
            notes: Vec::new(),
            shown_when: None,
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
            shown_when: None,
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
            shown_when: None,
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

    /// Shows the last field only while the field `key` holds `value`.
    pub fn shown_when(mut self, key: &'static str, value: &'static str) -> Form {
        if let Some(field) = self.fields.last_mut() {
            field.shown_when = Some((key, value));
        }
        self
    }

    /// Whether a field is on screen now (a field may wait for another's value).
    pub fn is_shown(&self, field: &Field) -> bool {
        field
            .shown_when
            .is_none_or(|(key, value)| self.value(key) == value)
    }

    /// The next shown field after (or before) `from`, wrapping around when `wrap`; `from`
    /// itself when there is none.
    fn step_focus(&self, from: usize, forward: bool, wrap: bool) -> usize {
        let n = self.fields.len();
        let mut at = from;
        for _ in 0..n {
            at = match (forward, wrap) {
                (true, _) if at + 1 < n => at + 1,
                (true, true) => 0,
                (false, _) if at > 0 => at - 1,
                (false, true) => n.saturating_sub(1),
                _ => return from,
            };
            if self.fields.get(at).is_some_and(|f| self.is_shown(f)) {
                return at;
            }
        }
        from
    }

    /// Whether `at` is the last field on screen.
    fn is_last_shown(&self, at: usize) -> bool {
        self.fields.iter().skip(at + 1).all(|f| !self.is_shown(f))
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

    /// The meaning of a choice field's chosen option, if it has one (an empty note is none).
    pub fn note_of(field: &Field) -> Option<&str> {
        match &field.kind {
            FieldKind::Choice { index, .. } => field
                .notes
                .get(*index)
                .map(String::as_str)
                .filter(|n| !n.is_empty()),
            FieldKind::Text(_) => None,
        }
    }

    /// The text of a field (trimmed), or the value of a choice; empty when absent.
    pub fn value(&self, key: &str) -> String {
        let field = self.fields.iter().find(|f| f.key == key);
        // A field that is not shown was not asked: it holds nothing (a hidden field's own
        // condition never names itself, so this does not loop).
        if field.is_some_and(|f| f.shown_when.is_some_and(|(k, _)| k != key) && !self.is_shown(f)) {
            return String::new();
        }
        match field.map(|f| &f.kind) {
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
            self.edited = true;
        }
    }

    /// The focused text, if the focused field is one.
    pub fn focused_text(&self) -> Option<&TextInput> {
        match &self.fields.get(self.focus)?.kind {
            FieldKind::Text(t) => Some(t),
            FieldKind::Choice { .. } => None,
        }
    }

    /// Whether the user typed something that is still there (prefilled text does not count).
    pub fn is_edited(&self) -> bool {
        self.edited
            && self
                .fields
                .iter()
                .any(|f| matches!(&f.kind, FieldKind::Text(t) if !t.text().trim().is_empty()))
    }

    /// Applies a key. Esc closes an untouched form at once; with text typed it asks once more
    /// ([`FormEvent::ConfirmCancel`]), and the key after that question only answers it: Esc
    /// discards, any other key keeps the text and is not typed (it was meant for the question).
    pub fn key(&mut self, key: &KeyEvent) -> FormEvent {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if self.cancel_armed && key.code != KeyCode::Esc {
            self.cancel_armed = false;
            self.error = None;
            return FormEvent::None;
        }
        if let Some(event) = super::picker::key(self, key) {
            return event;
        }
        match key.code {
            KeyCode::Esc => {
                if self.is_edited() && !self.cancel_armed {
                    self.cancel_armed = true;
                    return FormEvent::ConfirmCancel;
                }
                self.cancel_armed = false;
                return FormEvent::Cancel;
            }
            KeyCode::Char('s') if ctrl => return FormEvent::Submit,
            KeyCode::Char('e') if ctrl && self.focused_text().is_some() => {
                return FormEvent::Editor;
            }
            KeyCode::Char('t') if ctrl && matches!(self.purpose, Purpose::Note(..)) => {
                return FormEvent::Macro;
            }
            KeyCode::Tab => self.focus = self.step_focus(self.focus, true, true),
            KeyCode::BackTab => self.focus = self.step_focus(self.focus, false, true),
            _ => {}
        }
        let at_last = self.is_last_shown(self.focus);
        let next = self.step_focus(self.focus, true, false);
        let prev = self.step_focus(self.focus, false, false);
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
                KeyCode::Up => self.focus = prev,
                KeyCode::Down => self.focus = next,
                KeyCode::Enter if at_last => return FormEvent::Submit,
                KeyCode::Enter => self.focus = next,
                _ => {}
            },
            FieldKind::Text(t) => {
                if key.code == KeyCode::Enter && !t.is_multiline() {
                    if at_last {
                        return FormEvent::Submit;
                    }
                    self.focus = next;
                } else {
                    let before = t.text().to_string();
                    if t.key(key) == Edit::Ignored {
                        match key.code {
                            KeyCode::Up if !t.is_multiline() => self.focus = prev,
                            KeyCode::Down if !t.is_multiline() => self.focus = next,
                            _ => {}
                        }
                    } else if before != t.text() {
                        // A moved cursor is not a change; changed text is.
                        self.edited = true;
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
            self.edited = true;
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
        assert_eq!(form.key(&key(KeyCode::Esc)), FormEvent::ConfirmCancel);
        assert_eq!(form.key(&key(KeyCode::Esc)), FormEvent::Cancel);
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(form.key(&ctrl_s), FormEvent::Submit);
    }

    #[test]
    fn one_esc_closes_an_untouched_form_even_with_prefilled_text() {
        let number: CaseNumber = "2026-1120-000001".parse().unwrap();
        let mut form =
            Form::new("Assign", Purpose::Assign(number, 1)).line("owner", "Owner", "sato");
        // Moving the cursor in the prefilled text is not a change either.
        form.key(&key(KeyCode::Left));
        assert!(!form.is_edited());
        assert_eq!(form.key(&key(KeyCode::Esc)), FormEvent::Cancel);
    }

    #[test]
    fn the_key_after_the_discard_question_is_never_typed() {
        let number: CaseNumber = "2026-1120-000001".parse().unwrap();
        let mut form = Form::new("Assign", Purpose::Assign(number, 1)).line("owner", "Owner", "");
        form.key(&key(KeyCode::Char('k')));
        assert_eq!(form.key(&key(KeyCode::Esc)), FormEvent::ConfirmCancel);
        form.error = Some("Esc again".into());
        // Any other key answers "keep": the warning goes and the text is as it was.
        assert_eq!(form.key(&key(KeyCode::Char('j'))), FormEvent::None);
        assert_eq!(form.value("owner"), "k");
        assert_eq!(form.error, None);
        // Typing goes on as usual after that, and the question is asked again.
        form.key(&key(KeyCode::Char('j')));
        assert_eq!(form.value("owner"), "kj");
        assert_eq!(form.key(&key(KeyCode::Esc)), FormEvent::ConfirmCancel);
        assert_eq!(form.key(&key(KeyCode::Esc)), FormEvent::Cancel);
    }

    #[test]
    fn a_field_shown_only_for_a_value_is_skipped_and_reads_empty() {
        let number: CaseNumber = "2026-1120-000001".parse().unwrap();
        let opts = |v: &[&str]| v.iter().map(|s| (s.to_string(), s.to_string())).collect();
        let mut form = Form::new("Priority", Purpose::Priority(number, 1, Priority::P1))
            .choice("priority", "Priority", opts(&["P1", "P2", "P3"]), 0)
            .choice("temporary", "Temporary", opts(&["no", "yes"]), 1)
            .shown_when("priority", "P2")
            .line("reason", "Why", "");
        assert!(!form.is_shown(&form.fields[1]));
        assert_eq!(form.value("temporary"), "");
        form.key(&key(KeyCode::Tab));
        assert_eq!(form.fields[form.focus].key, "reason");
        form.key(&key(KeyCode::BackTab));
        form.key(&key(KeyCode::Right));
        assert_eq!(form.value("priority"), "P2");
        assert_eq!(form.value("temporary"), "yes");
        form.key(&key(KeyCode::Down));
        assert_eq!(form.fields[form.focus].key, "temporary");
    }
}
