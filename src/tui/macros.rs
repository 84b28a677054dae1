//! The team's and the config's macros and the picker over them (`M`, `:macro`): filtered as
//! typed, a preview of the text filled in for the case at hand and of the changes, applied in
//! one step through the outbox — or, from the note form's Ctrl-T, the text inserted at the
//! cursor. The picker reads only what the app holds: the macros are loaded at start and after
//! each sync, the case's detail as the detail pane has it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Effect, Overlay};
use super::form::{Form, Purpose};
use super::input::{Edit, TextInput};
use crate::api::{Case, Macro, MacroChanges};
use crate::domain::CaseNumber;
use crate::domain::macros::{FillError, PLACEHOLDERS};
use crate::sync::macros::{KnownMacro, MacroPlan, MacroRefusal, merge, plan};
use crate::term::text::{Lang, Say};

/// The macros known to the TUI: the team's (from the server, cached) and the personal ones.
#[derive(Debug, Clone, Default)]
pub struct MacroBook {
    /// The config's `[[macros]]`.
    personal: Vec<Macro>,
    /// The team's and the personal ones (which hide the team's of the same name), by name.
    pub macros: Vec<KnownMacro>,
}

impl MacroBook {
    /// A book of the config's personal macros (the team's come with [`MacroBook::set_team`]).
    pub fn personal(personal: Vec<Macro>) -> MacroBook {
        let macros = merge(Vec::new(), &personal);
        MacroBook { personal, macros }
    }

    /// Replaces the team's macros.
    pub fn set_team(&mut self, team: Vec<Macro>) {
        self.macros = merge(team, &self.personal);
    }

    /// Whether the macro at `index` is a personal one.
    pub fn is_personal(&self, index: usize) -> bool {
        self.macros.get(index).is_some_and(|m| m.personal)
    }

    /// The macro at `index`.
    pub fn get(&self, index: usize) -> Option<&Macro> {
        self.macros.get(index).map(|m| &m.def)
    }

    /// The macro called `name`.
    pub fn find(&self, name: &str) -> Option<&Macro> {
        self.macros.iter().map(|m| &m.def).find(|m| m.name == name)
    }

    /// The indexes of the macros `filter` matches, best first: every word of it (any case) in
    /// the name or either text, or its letters in order in the name; a name that starts with
    /// it first, then names that hold it, then the rest.
    pub fn matching(&self, filter: &str) -> Vec<usize> {
        let filter = filter.trim().to_lowercase();
        if filter.is_empty() {
            return (0..self.macros.len()).collect();
        }
        let words: Vec<&str> = filter.split_whitespace().collect();
        let mut ranked: Vec<(u8, usize)> = self
            .macros
            .iter()
            .enumerate()
            .filter_map(|(i, m)| rank(&m.def, &filter, &words).map(|r| (r, i)))
            .collect();
        // Stable: within a rank, by name.
        ranked.sort_by_key(|(r, _)| *r);
        ranked.into_iter().map(|(_, i)| i).collect()
    }

    /// Up to three names close to `name` (for an unknown `:macro NAME`), joined.
    fn close_to(&self, name: &str) -> String {
        let mut close: Vec<&str> = self
            .matching(name)
            .into_iter()
            .filter_map(|i| self.get(i).map(|m| m.name.as_str()))
            .collect();
        if close.is_empty() {
            close = self
                .macros
                .iter()
                .map(|m| m.def.name.as_str())
                .filter(|n| strsim::levenshtein(n, name) <= 2)
                .collect();
        }
        close.truncate(3);
        close.join(", ")
    }
}

/// How well `m` matches: 0 its name starts with the filter, 1 its name holds every word, 2 its
/// name holds the filter's letters in order, 3 a text holds every word.
fn rank(m: &Macro, filter: &str, words: &[&str]) -> Option<u8> {
    let name = m.name.to_lowercase();
    if name.starts_with(filter) {
        return Some(0);
    }
    if words.iter().all(|w| name.contains(w)) {
        return Some(1);
    }
    let mut letters = name.chars();
    if filter
        .chars()
        .filter(|c| !c.is_whitespace())
        .all(|c| letters.any(|n| n == c))
    {
        return Some(2);
    }
    let (en, ja) = (m.text_en.to_lowercase(), m.text_ja.to_lowercase());
    words
        .iter()
        .all(|w| name.contains(w) || en.contains(w) || ja.contains(w))
        .then_some(3)
}

/// What the picker does with the chosen macro.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// Applies it to this case (and to the marked cases, when there are).
    Apply(CaseNumber),
    /// Inserts its text at the cursor of this note form (held here while the picker is open).
    Insert(Box<Form>),
}

/// The macro picker on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct MacroPicker {
    /// What was typed to filter.
    pub filter: TextInput,
    /// The chosen match (an index into the matches of the filter).
    pub selected: usize,
    /// What Enter does.
    pub target: Target,
}

impl MacroPicker {
    /// The case the macro is filled from.
    pub fn case_number(&self) -> Option<CaseNumber> {
        match &self.target {
            Target::Apply(number) => Some(*number),
            Target::Insert(form) => match form.purpose {
                Purpose::Note(number, _) => Some(number),
                _ => None,
            },
        }
    }

    /// Whether Enter inserts the text rather than applying the macro.
    pub fn inserts(&self) -> bool {
        matches!(self.target, Target::Insert(_))
    }

    /// The chosen macro's index in the book, if anything matches.
    pub fn chosen(&self, book: &MacroBook) -> Option<usize> {
        let matches = book.matching(self.filter.text());
        matches
            .get(self.selected.min(matches.len().saturating_sub(1)))
            .copied()
    }
}

/// What the preview shows for the chosen macro.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preview {
    /// No macro matches (or there are none).
    Nothing,
    /// The case's detail is still being read.
    Loading,
    /// The macro planned on the case.
    Planned(MacroPlan),
    /// Why it cannot be applied to the case.
    Refused(MacroRefusal),
}

/// The preview of the picker's chosen macro on its case.
pub fn preview(app: &App, picker: &MacroPicker) -> Preview {
    let Some(m) = picker.chosen(&app.macros).and_then(|i| app.macros.get(i)) else {
        return Preview::Nothing;
    };
    let Some(case) = picker.case_number().and_then(|n| detail(app, &n)) else {
        return Preview::Loading;
    };
    let planned = if picker.inserts() {
        plan(&text_only(m), case, me(app), &app.settings.zone)
    } else {
        plan(m, case, me(app), &app.settings.zone)
    };
    match planned {
        Ok(p) => Preview::Planned(p),
        Err(refusal) => Preview::Refused(refusal),
    }
}

/// The macro without its field changes: what the note form inserts.
fn text_only(m: &Macro) -> Macro {
    Macro {
        changes: MacroChanges {
            visibility: m.changes.visibility,
            ..MacroChanges::default()
        },
        ..m.clone()
    }
}

fn me(app: &App) -> &str {
    app.me.as_ref().map_or("", |m| m.name.as_str())
}

/// The full detail of `number`, when the app holds it.
fn detail<'a>(app: &'a App, number: &CaseNumber) -> Option<&'a Case> {
    app.opened
        .as_ref()
        .filter(|o| o.number == *number)
        .and_then(|o| o.case.as_ref())
}

/// The refusal in the interface's words, naming the placeholder or the rule.
pub fn refusal_words(lang: Lang, refusal: &MacroRefusal) -> String {
    match refusal {
        MacroRefusal::Fill {
            name,
            error: FillError::Missing(p),
        } => lang.say(Say::MacroMissing(name, p)),
        MacroRefusal::Fill {
            name,
            error: FillError::Unknown(p),
        } => {
            let known: Vec<String> = PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect();
            lang.say(Say::MacroUnknownPlaceholder(name, p, &known.join(", ")))
        }
        MacroRefusal::Change { name, why } => lang.say(Say::MacroChangeRefused(name, why)),
    }
}

/// Opens the macro picker on the case at hand, or applies the macro named by `arg`.
pub fn open(app: &mut App, arg: &str) -> Vec<Effect> {
    let Some(number) = app.current().map(|c| c.number) else {
        app.notice(app.lang().say(Say::NoCaseSelected), true);
        return Vec::new();
    };
    let name = arg.trim();
    if !name.is_empty() && app.macros.find(name).is_none() {
        let close = app.macros.close_to(name);
        let said = app.lang().say(Say::UnknownMacro(name, &close));
        app.notice(said, true);
        return Vec::new();
    }
    let picker = MacroPicker {
        filter: TextInput::line(name),
        selected: 0,
        target: Target::Apply(number),
    };
    // `:macro NAME` on a case whose detail is here applies at once; else the picker shows it
    // (and Enter applies it) once the detail is read.
    if !name.is_empty() && detail(app, &number).is_some() {
        return choose(app, picker);
    }
    show(app, picker)
}

/// Opens the picker from the note form (Ctrl-T): Enter inserts the text at its cursor.
pub fn insert(app: &mut App, form: Form) -> Vec<Effect> {
    let picker = MacroPicker {
        filter: TextInput::line(""),
        selected: 0,
        target: Target::Insert(Box::new(form)),
    };
    show(app, picker)
}

/// Shows the picker, asking for its case's detail when the app does not hold it.
fn show(app: &mut App, picker: MacroPicker) -> Vec<Effect> {
    let effects = match picker.case_number() {
        Some(number) if detail(app, &number).is_none() => app.open(number, false),
        _ => Vec::new(),
    };
    app.overlay = Some(Overlay::Macros(Box::new(picker)));
    effects
}

/// A key in the picker.
pub fn key(app: &mut App, mut picker: MacroPicker, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let matches = app.macros.matching(picker.filter.text()).len();
    match key.code {
        KeyCode::Esc => {
            close(app, picker);
            return Vec::new();
        }
        KeyCode::Enter => return choose(app, picker),
        KeyCode::Up => picker.selected = picker.selected.saturating_sub(1),
        KeyCode::Char('p') if ctrl => picker.selected = picker.selected.saturating_sub(1),
        KeyCode::Down => picker.selected = (picker.selected + 1).min(matches.saturating_sub(1)),
        KeyCode::Char('n') if ctrl => {
            picker.selected = (picker.selected + 1).min(matches.saturating_sub(1));
        }
        KeyCode::PageUp => picker.selected = picker.selected.saturating_sub(10),
        KeyCode::PageDown => {
            picker.selected = (picker.selected + 10).min(matches.saturating_sub(1));
        }
        _ => {
            let before = picker.filter.text().to_string();
            if picker.filter.key(&key) == Edit::Changed && picker.filter.text() != before {
                picker.selected = 0;
            }
        }
    }
    app.overlay = Some(Overlay::Macros(Box::new(picker)));
    Vec::new()
}

/// Closes the picker: the note form it came from comes back as it was.
fn close(app: &mut App, picker: MacroPicker) {
    if let Target::Insert(form) = picker.target {
        app.overlay = Some(Overlay::Form(*form));
    }
}

/// Enter: applies the chosen macro (to the marked cases when there are), or inserts its text.
/// A macro that cannot be filled is refused with the placeholder named, and the picker stays.
fn choose(app: &mut App, picker: MacroPicker) -> Vec<Effect> {
    let Some(m) = picker
        .chosen(&app.macros)
        .and_then(|i| app.macros.get(i))
        .cloned()
    else {
        app.overlay = Some(Overlay::Macros(Box::new(picker)));
        return Vec::new();
    };
    if !picker.inserts() && !app.marks.is_empty() {
        // Each marked case's note is filled from its own detail when the bulk action runs.
        app.overlay = None;
        return super::bulk::apply_macro(app, &m);
    }
    let lang = app.lang();
    let planned = match preview(app, &picker) {
        Preview::Planned(p) => p,
        Preview::Refused(refusal) => {
            app.notice(refusal_words(lang, &refusal), true);
            app.overlay = Some(Overlay::Macros(Box::new(picker)));
            return Vec::new();
        }
        Preview::Loading | Preview::Nothing => {
            app.overlay = Some(Overlay::Macros(Box::new(picker)));
            return Vec::new();
        }
    };
    match picker.target {
        Target::Insert(mut form) => {
            if let Some(note) = planned.note {
                if let Some(at) = form.fields.iter().position(|f| f.key == "body") {
                    form.focus = at;
                }
                form.paste(&note.body);
            }
            app.overlay = Some(Overlay::Form(*form));
            Vec::new()
        }
        Target::Apply(number) => {
            app.overlay = None;
            let changes = planned.into_changes();
            if changes.is_empty() {
                return Vec::new();
            }
            let Some(version) = app
                .opened
                .as_ref()
                .and_then(|o| o.case.as_ref())
                .filter(|c| c.summary.number == number)
                .map(|c| app.version_of(&c.summary))
            else {
                return Vec::new();
            };
            app.notice(lang.say(Say::Sending), false);
            vec![Effect::SubmitAll(number, changes, version)]
        }
    }
}

#[cfg(test)]
mod tests;
