//! Note drafts kept in the cache, so a dropped SSH session loses no words. The note editor's
//! text is saved every few seconds while it changes, when the editor is closed, and on every
//! way out of the TUI (the runtime saves what is not saved yet; the panic hook writes the last
//! text it was given); reopening the editor on the case brings it back, sending removes it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Effect, ListKind, ListRow, ListView, Overlay};
use super::form::{FieldKind, Form, Purpose};
use super::keymap::{Command, ListAction, ListScope};
use crate::api::NoteKind;
use crate::cache::{Draft, DraftKind};
use crate::domain::CaseNumber;
use crate::term::text::{Lang, Say, Word};

/// How often a changing editor is saved: often enough that a dropped session loses a few
/// words at most, seldom enough not to write the cache on every key.
const SAVE_EVERY_SECS: i64 = 3;

/// The key that discards the open editor's draft (pressed twice).
const DISCARD_KEY: char = 'd';

/// The text of one editor, keyed by its case and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorText {
    /// The case.
    pub number: CaseNumber,
    /// The editor.
    pub kind: DraftKind,
    /// The text as typed.
    pub body: String,
}

/// The note drafts known to the TUI.
#[derive(Debug, Clone, Default)]
pub struct Drafts {
    /// Every kept draft, newest first: as the cache last listed them, and as this session
    /// saved and deleted since.
    pub known: Vec<Draft>,
    /// The open editor's text as the cache holds it (`None`: nothing saved for it).
    saved: Option<EditorText>,
    /// When the open editor was last saved.
    saved_at: Option<DateTime<Utc>>,
    /// The discard key was pressed once in the editor.
    discard_armed: bool,
    /// `:drafts` was asked: the list is shown when the drafts arrive.
    list_wanted: bool,
    /// The list row a first discard key asked to discard.
    row_armed: Option<(CaseNumber, DraftKind)>,
}

/// The kind of draft a form keeps, and its case: the note editor and the call forms.
fn draft_of(form: &Form) -> Option<(CaseNumber, DraftKind)> {
    match &form.purpose {
        Purpose::Note(number, _) => {
            let kind = if form.value("visibility") == "public" {
                DraftKind::Public
            } else {
                DraftKind::Internal
            };
            Some((*number, kind))
        }
        Purpose::Contact(number, _, NoteKind::Call) => Some((*number, DraftKind::Call)),
        Purpose::Contact(number, _, NoteKind::ContactFailed) => {
            Some((*number, DraftKind::ContactFailed))
        }
        _ => None,
    }
}

/// A draft form's case, kind and text as typed, borrowed: what is compared on every key and
/// tick, copied only to be saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct EditorView<'a> {
    number: CaseNumber,
    kind: DraftKind,
    body: &'a str,
}

impl EditorView<'_> {
    /// Whether `text` holds this (the cache is up to date with it).
    fn is(&self, text: &EditorText) -> bool {
        (self.number, self.kind, self.body) == (text.number, text.kind, text.body.as_str())
    }

    fn owned(self) -> EditorText {
        EditorText {
            number: self.number,
            kind: self.kind,
            body: self.body.to_string(),
        }
    }
}

fn editor_view(form: &Form) -> Option<EditorView<'_>> {
    let (number, kind) = draft_of(form)?;
    let body = form.fields.iter().find_map(|f| match &f.kind {
        FieldKind::Text(t) if f.key == "body" => Some(t.text()),
        _ => None,
    })?;
    Some(EditorView { number, kind, body })
}

/// Whether a form keeps a draft (the note editor and the call forms).
pub fn keeps_draft(form: &Form) -> bool {
    editor_view(form).is_some()
}

fn open_view(app: &App) -> Option<EditorView<'_>> {
    match &app.overlay {
        Some(Overlay::Form(form)) => editor_view(form),
        _ => None,
    }
}

/// The open editor's text, if a draft form is open.
pub fn open_editor(app: &App) -> Option<EditorText> {
    open_view(app).map(EditorView::owned)
}

/// The effects that bring the cache up to `now_text` (a move to another kind deletes the old
/// one; blank text deletes), and the same in `known`.
fn save(app: &mut App, text: Option<EditorText>) -> Vec<Effect> {
    let at = app.now;
    let drafts = &mut app.drafts;
    let mut effects = Vec::new();
    if let Some(old) = drafts.saved.take()
        && text
            .as_ref()
            .is_none_or(|t| (t.number, t.kind) != (old.number, old.kind))
    {
        effects.push(Effect::DeleteDraft(old.number, old.kind));
        drafts.forget(old.number, old.kind);
    }
    if let Some(t) = text {
        drafts.forget(t.number, t.kind);
        if !t.body.trim().is_empty() {
            drafts.known.insert(
                0,
                Draft {
                    number: t.number,
                    kind: t.kind,
                    body: t.body.clone(),
                    updated_at: at,
                },
            );
        }
        effects.push(Effect::SaveDraft(t.number, t.kind, t.body.clone(), at));
        drafts.saved = Some(t);
        drafts.saved_at = Some(at);
    }
    effects
}

impl Drafts {
    fn forget(&mut self, number: CaseNumber, kind: DraftKind) {
        self.known.retain(|d| (d.number, d.kind) != (number, kind));
    }
}

/// On the tick: the open editor is saved when its text changed and the last save is a few
/// seconds old.
pub fn on_tick(app: &mut App) -> Vec<Effect> {
    let due = app
        .drafts
        .saved_at
        .is_none_or(|at| (app.now - at).num_seconds() >= SAVE_EVERY_SECS);
    match due.then(|| unsaved(app)).flatten() {
        Some(text) => save(app, Some(text)),
        None => Vec::new(),
    }
}

/// The open editor's text when the cache does not hold it yet (the runtime saves it on the
/// way out); copied only then.
pub fn unsaved(app: &App) -> Option<EditorText> {
    let view = open_view(app)?;
    match &app.drafts.saved {
        Some(saved) if view.is(saved) => None,
        // Nothing typed and nothing kept: nothing to save.
        None if view.body.trim().is_empty() => None,
        _ => Some(view.owned()),
    }
}

/// On the way out of the TUI: the effects that save what the open editor holds.
pub fn on_exit(app: &mut App) -> Vec<Effect> {
    match unsaved(app) {
        Some(text) => save(app, Some(text)),
        None => Vec::new(),
    }
}

/// Fills a just-built editor from its kept draft (a note editor takes the other visibility's
/// draft when it has none of its own) and says so. Called for every editor opened, so the
/// last editor's state never carries over.
pub fn restore(app: &mut App, form: &mut Form) {
    app.drafts.saved = None;
    // The first save comes a few seconds after opening, not at the first key's tick.
    app.drafts.saved_at = Some(app.now);
    app.drafts.discard_armed = false;
    let Some((number, kind)) = draft_of(form) else {
        return;
    };
    let other = match kind {
        DraftKind::Public => Some(DraftKind::Internal),
        DraftKind::Internal => Some(DraftKind::Public),
        _ => None,
    };
    let found = [Some(kind), other]
        .into_iter()
        .flatten()
        .find_map(|k| {
            app.drafts
                .known
                .iter()
                .find(|d| d.number == number && d.kind == k)
        })
        .cloned();
    let Some(draft) = found else {
        return;
    };
    if draft.kind != kind {
        form.choose("visibility", draft.kind.as_str());
    }
    form.set_text("body", &draft.body);
    app.drafts.saved = Some(EditorText {
        number,
        kind: draft.kind,
        body: draft.body,
    });
    app.drafts.saved_at = Some(draft.updated_at);
    let at = crate::sync::clock_time(app.settings.zone, draft.updated_at, app.now);
    let said = app.lang().say(Say::DraftRestored(&at));
    app.notice(said, false);
}

/// A key for a draft form before the form has it: the discard key (ctrl-d) asks, then
/// discards. `Ok` when the key was taken (the form is put back unless discarded); the form
/// comes back boxed otherwise.
pub fn form_key(app: &mut App, mut form: Form, key: &KeyEvent) -> Result<Vec<Effect>, Box<Form>> {
    let Some((number, kind)) = editor_view(&form).map(|v| (v.number, v.kind)) else {
        return Err(Box::new(form));
    };
    let discard =
        key.code == KeyCode::Char(DISCARD_KEY) && key.modifiers.contains(KeyModifiers::CONTROL);
    if !discard {
        if app.drafts.discard_armed {
            app.drafts.discard_armed = false;
            form.error = None;
        }
        return Err(Box::new(form));
    }
    if !app.drafts.discard_armed {
        app.drafts.discard_armed = true;
        let said = app.lang().say(Say::PressAgainToDiscardDraft("Ctrl-D"));
        form.error = Some(said);
        app.overlay = Some(Overlay::Form(form));
        return Ok(Vec::new());
    }
    app.drafts.discard_armed = false;
    let mut effects = save(app, None);
    effects.push(Effect::DeleteDraft(number, kind));
    app.drafts.forget(number, kind);
    let said = app.lang().say(Say::DraftDiscarded(&number.to_string()));
    app.notice(said, false);
    Ok(effects)
}

/// A draft form closed without sending: what it holds is kept (said), blank text drops the
/// draft.
pub fn closed(app: &mut App, form: &Form) -> Vec<Effect> {
    let Some(view) = editor_view(form) else {
        return Vec::new();
    };
    let blank = view.body.trim().is_empty();
    let unchanged = app.drafts.saved.as_ref().is_some_and(|s| view.is(s));
    let effects = if unchanged || (blank && app.drafts.saved.is_none()) {
        Vec::new()
    } else {
        save(app, Some(view.owned()))
    };
    app.drafts.saved = None;
    app.drafts.saved_at = None;
    if !blank {
        let said = app.lang().say(Say::DraftKept);
        app.notice(said, false);
    }
    effects
}

/// A draft form was sent: its draft (and where it was last saved) is removed.
pub fn sent(app: &mut App, form: &Form) -> Vec<Effect> {
    let Some((number, kind)) = editor_view(form).map(|v| (v.number, v.kind)) else {
        return Vec::new();
    };
    let mut effects = save(app, None);
    if !effects.contains(&Effect::DeleteDraft(number, kind)) {
        effects.push(Effect::DeleteDraft(number, kind));
    }
    app.drafts.forget(number, kind);
    app.drafts.saved_at = None;
    effects
}

/// Lists the saved drafts (`:drafts`): read from the cache first (another window may have
/// saved some).
pub fn show(app: &mut App) -> Vec<Effect> {
    app.drafts.list_wanted = true;
    vec![Effect::LoadDrafts]
}

/// The cache's drafts arrived: kept, and listed when `:drafts` asked.
pub fn arrived(app: &mut App, drafts: Vec<Draft>) -> Option<ListView> {
    app.drafts.known = drafts;
    if !std::mem::take(&mut app.drafts.list_wanted) {
        return None;
    }
    if app.drafts.known.is_empty() {
        let said = app.lang().say(Say::NoDrafts);
        app.notice(said, false);
        return None;
    }
    Some(drafts_list(app))
}

/// The list of drafts, newest first.
fn drafts_list(app: &App) -> ListView {
    let lang = app.lang();
    let (zone, now) = (app.settings.zone, app.now);
    let rows = app
        .drafts
        .known
        .iter()
        .map(|d| ListRow {
            cells: vec![
                d.number.to_string(),
                kind_word(lang, d.kind).to_string(),
                crate::sync::clock_time(zone, d.updated_at, now),
                first_words(&d.body),
            ],
            case: Some(d.number),
            id: None,
            role: None,
        })
        .collect::<Vec<_>>();
    ListView {
        kind: ListKind::Drafts,
        title: format!("{} ({})", lang.word(Word::DraftsTitle), rows.len()),
        header: [
            Word::ColCase,
            Word::DraftColKind,
            Word::DraftColSaved,
            Word::DraftColText,
        ]
        .map(|w| lang.word(w).to_string())
        .to_vec(),
        rows,
        selected: 0,
        hint: app.settings.keys.hint(lang.word(Word::HintDrafts)),
    }
}

/// The editor's name in the interface's language.
fn kind_word(lang: Lang, kind: DraftKind) -> &'static str {
    lang.word(match kind {
        DraftKind::Public => Word::DraftPublic,
        DraftKind::Internal => Word::DraftInternal,
        DraftKind::Call => Word::DraftCall,
        DraftKind::ContactFailed => Word::DraftContactFailed,
    })
}

/// The start of a draft on one line, cleaned for the screen (the list cuts it to the column).
fn first_words(body: &str) -> String {
    let line = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = line.chars().take(80).collect();
    crate::sanitize::clean(&short, true).into_owned()
}

/// A key on the drafts list: Enter opens the draft's editor, the discard key twice drops it;
/// `Err` gives the list back for the common keys.
pub fn list_key(app: &mut App, list: ListView, key: &KeyEvent) -> Result<Vec<Effect>, ListView> {
    // The list is `known` in order (the row's case guards against a reload since).
    let row = app
        .drafts
        .known
        .get(list.selected)
        .filter(|d| list.rows.get(list.selected).and_then(|r| r.case) == Some(d.number))
        .map(|d| (d.number, d.kind));
    let cmd = app.settings.keys.command(key);
    let discard =
        app.settings.keys.list_action(ListScope::Drafts, key) == Some(ListAction::DiscardDraft);
    if !discard {
        app.drafts.row_armed = None;
    }
    let Some((number, kind)) = row else {
        return Err(list);
    };
    if cmd == Some(Command::Open) {
        return Ok(resume(app, number, kind));
    }
    if !discard {
        return Err(list);
    }
    if app.drafts.row_armed != Some((number, kind)) {
        app.drafts.row_armed = Some((number, kind));
        let again = super::keymap::Key::of(key).to_string();
        let said = app.lang().say(Say::PressAgainToDiscardDraft(&again));
        app.notice(said, false);
        app.overlay = Some(Overlay::List(list));
        return Ok(Vec::new());
    }
    app.drafts.row_armed = None;
    app.drafts.forget(number, kind);
    let said = app.lang().say(Say::DraftDiscarded(&number.to_string()));
    app.notice(said, false);
    let effects = vec![Effect::DeleteDraft(number, kind)];
    if app.drafts.known.is_empty() {
        return Ok(effects);
    }
    let mut shown = drafts_list(app);
    shown.selected = list.selected.min(shown.rows.len().saturating_sub(1));
    app.overlay = Some(Overlay::List(shown));
    Ok(effects)
}

/// Opens a draft's case and its editor, which restores the draft.
fn resume(app: &mut App, number: CaseNumber, kind: DraftKind) -> Vec<Effect> {
    let cmd = match kind {
        DraftKind::Public => Command::NotePublic,
        DraftKind::Internal => Command::NoteInternal,
        DraftKind::Call => Command::Call,
        DraftKind::ContactFailed => Command::ContactFailed,
    };
    app.overlay = None;
    let effects = app.open_case(number);
    if app.current().is_none_or(|c| c.number != number) {
        let said = app.lang().say(Say::DraftCaseUnknown(&number.to_string()));
        app.notice(said, true);
        return effects;
    }
    let mut all = effects;
    all.extend(app.run(cmd, ""));
    all
}

/// The last editor text the runtime saw, and the cache it belongs to, for the panic hook.
struct Latest {
    path: PathBuf,
    text: EditorText,
}

static LATEST: Mutex<Option<Latest>> = Mutex::new(None);

/// Keeps the open editor's text where the panic hook can reach it (called by the runtime after
/// each batch of messages; copies only when the text changed).
pub fn track(cache: &Path, app: &App) {
    let view = open_view(app);
    let Ok(mut slot) = LATEST.lock() else {
        return;
    };
    let same = match (&*slot, &view) {
        (Some(l), Some(v)) => v.is(&l.text) && l.path == cache,
        (None, None) => true,
        _ => false,
    };
    if !same {
        *slot = view.map(|v| Latest {
            path: cache.to_path_buf(),
            text: v.owned(),
        });
    }
}

/// Forgets the tracked text: the way out saved it through the cache already.
pub fn forget_tracked() {
    if let Ok(mut slot) = LATEST.lock() {
        *slot = None;
    }
}

/// For the panic hook (and an error return): writes the last editor text tracked, with a
/// connection of its own. Never blocks on the slot (the panic may have come while it was held).
pub fn save_tracked() {
    let Ok(slot) = LATEST.try_lock() else {
        return;
    };
    if let Some(l) = slot.as_ref().filter(|l| !l.text.body.trim().is_empty()) {
        let t = &l.text;
        let _ = crate::cache::save_draft_at(&l.path, &t.number, t.kind, &t.body, Utc::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::app::Msg;
    use crate::tui::app::tests::app;

    fn press(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
        app.update(Msg::Key(KeyEvent::new(code, modifiers)))
    }

    fn type_text(app: &mut App, text: &str) {
        for c in text.chars() {
            press(app, KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    fn tick(app: &mut App, secs: i64) -> Vec<Effect> {
        let now = app.now + chrono::Duration::seconds(secs);
        app.update(Msg::Tick(now))
    }

    fn saves(effects: &[Effect]) -> Vec<(DraftKind, String)> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::SaveDraft(_, kind, body, _) => Some((*kind, body.clone())),
                _ => None,
            })
            .collect()
    }

    fn body(app: &App) -> String {
        open_editor(app).map(|t| t.body).unwrap_or_default()
    }

    #[test]
    fn the_editor_is_saved_on_the_tick_while_it_changes_and_every_few_seconds_at_most() {
        let mut app = app();
        app.run(Command::NoteInternal, "");
        assert!(saves(&tick(&mut app, 1)).is_empty(), "nothing typed");
        type_text(&mut app, "Rebooted the");
        assert!(saves(&tick(&mut app, 1)).is_empty(), "opened a second ago");
        assert_eq!(
            saves(&tick(&mut app, SAVE_EVERY_SECS)),
            vec![(DraftKind::Internal, "Rebooted the".to_string())]
        );
        type_text(&mut app, " switch");
        assert!(saves(&tick(&mut app, 1)).is_empty(), "saved a second ago");
        assert_eq!(
            saves(&tick(&mut app, 3)),
            vec![(DraftKind::Internal, "Rebooted the switch".to_string())]
        );
        assert!(saves(&tick(&mut app, 5)).is_empty(), "unchanged");
        // What the last tick did not save, the way out does.
        type_text(&mut app, ",");
        assert_eq!(
            saves(&on_exit(&mut app)),
            vec![(DraftKind::Internal, "Rebooted the switch,".to_string())]
        );
        assert!(on_exit(&mut app).is_empty());
    }

    #[test]
    fn esc_keeps_the_draft_and_reopening_restores_it_with_the_cursor_at_the_end() {
        let mut app = app();
        app.run(Command::NotePublic, "");
        type_text(&mut app, "お世話になっております。");
        let effects = press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
        assert!(app.overlay.is_none(), "one Esc closes: nothing is lost");
        assert_eq!(
            saves(&effects),
            vec![(DraftKind::Public, "お世話になっております。".to_string())]
        );
        assert!(app.message.as_ref().unwrap().text.starts_with("draft kept"));
        app.run(Command::NotePublic, "");
        assert_eq!(body(&app), "お世話になっております。");
        let said = &app.message.as_ref().unwrap().text;
        assert!(said.starts_with("draft restored (saved "), "{said}");
        // The cursor is at the end: typing goes on from there.
        type_text(&mut app, "X");
        assert_eq!(body(&app), "お世話になっております。X");
    }

    #[test]
    fn the_note_editor_takes_the_other_visibilitys_draft_and_moves_it() {
        let mut app = app();
        app.run(Command::NoteInternal, "");
        type_text(&mut app, "memo");
        press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
        app.run(Command::NotePublic, "");
        assert_eq!(body(&app), "memo");
        let Some(Overlay::Form(form)) = &app.overlay else {
            panic!("no form");
        };
        assert_eq!(form.value("visibility"), "internal");
        // Chosen public now: the draft moves to the public editor.
        press(&mut app, KeyCode::BackTab, KeyModifiers::NONE);
        press(&mut app, KeyCode::Left, KeyModifiers::NONE);
        let effects = tick(&mut app, SAVE_EVERY_SECS);
        let number = open_editor(&app).unwrap().number;
        assert!(effects.contains(&Effect::DeleteDraft(number, DraftKind::Internal)));
        assert_eq!(
            saves(&effects),
            vec![(DraftKind::Public, "memo".to_string())]
        );
    }

    #[test]
    fn sending_deletes_the_draft() {
        let mut app = app();
        app.run(Command::NoteInternal, "");
        type_text(&mut app, "done");
        tick(&mut app, SAVE_EVERY_SECS);
        let number = open_editor(&app).unwrap().number;
        let effects = press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert!(
            effects.iter().any(|e| matches!(e, Effect::Submit(..))),
            "{effects:?}"
        );
        assert!(effects.contains(&Effect::DeleteDraft(number, DraftKind::Internal)));
        assert!(app.drafts.known.is_empty());
        app.run(Command::NoteInternal, "");
        assert_eq!(body(&app), "");
    }

    #[test]
    fn ctrl_d_twice_discards_the_draft_and_another_key_keeps_it() {
        let mut app = app();
        app.run(Command::Call, "");
        type_text(&mut app, "no answer");
        let number = open_editor(&app).unwrap().number;
        assert!(press(&mut app, KeyCode::Char('d'), KeyModifiers::CONTROL).is_empty());
        // Any other key answers "keep" and is typed as usual.
        press(&mut app, KeyCode::Char('!'), KeyModifiers::NONE);
        assert_eq!(body(&app), "no answer!");
        press(&mut app, KeyCode::Char('d'), KeyModifiers::CONTROL);
        let effects = press(&mut app, KeyCode::Char('d'), KeyModifiers::CONTROL);
        assert!(app.overlay.is_none());
        assert!(effects.contains(&Effect::DeleteDraft(number, DraftKind::Call)));
        assert!(saves(&effects).is_empty());
        app.run(Command::Call, "");
        assert_eq!(body(&app), "");
    }

    #[test]
    fn the_drafts_list_opens_a_drafts_editor_and_discards_with_two_presses() {
        let mut app = app();
        let number = app.queue.all().nth(1).unwrap().number;
        let draft = |kind, body: &str| Draft {
            number,
            kind,
            body: body.into(),
            updated_at: app.now,
        };
        let kept = vec![
            draft(DraftKind::Call, "called, no"),
            draft(DraftKind::Internal, "half a  \n sentence"),
        ];
        assert_eq!(app.run(Command::Drafts, ""), vec![Effect::LoadDrafts]);
        app.update(Msg::Drafts(kept));
        let Some(Overlay::List(list)) = &app.overlay else {
            panic!("no list");
        };
        assert_eq!(list.rows.len(), 2);
        assert_eq!(list.rows[1].cells[1], "internal note");
        assert_eq!(list.rows[1].cells[3], "half a sentence");
        press(&mut app, KeyCode::Char('d'), KeyModifiers::NONE);
        let effects = press(&mut app, KeyCode::Char('d'), KeyModifiers::NONE);
        assert_eq!(effects, vec![Effect::DeleteDraft(number, DraftKind::Call)]);
        press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(
            open_editor(&app).map(|t| (t.number, t.kind)),
            Some((number, DraftKind::Internal))
        );
        assert_eq!(body(&app), "half a  \n sentence");
    }
}
