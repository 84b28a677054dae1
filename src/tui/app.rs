//! The TUI's state and how it changes. Everything that happens — a key, a tick, a sync, the
//! answer to a request — arrives as a [`Msg`]; [`App::update`] changes the state and returns the
//! [`Effect`]s for the runtime to carry out. Nothing here does I/O, so every behaviour can be
//! tested by feeding messages and looking at the state or the drawn buffer.

use chrono::{DateTime, Timelike, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use super::form::{Form, FormEvent, Purpose};
use super::input::{Edit, TextInput};
use super::keymap::{Command, KeyMap, ListAction, ListScope};
use super::queue::{Queue, Row};
use super::timeline::{self, Baseline, TimelineOrder};
use super::views::View;
use crate::api::query::SortColumn;
use crate::api::{Case, CaseSummary, EscalationPatch, Me, NewRma, Role};
use crate::cache::{CachedCase, OutboxEntry, PendingChange};
use crate::config::DisplayZone;
use crate::domain::{CaseNumber, EscalationKind, EscalationState};
use crate::sla::Calendars;
use crate::sync::SyncStatus;
use crate::term::text::{Lang, Say, Text, Word};

/// A pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The case queue.
    Queue,
    /// The case detail.
    Detail,
    /// The SLA clocks.
    Clocks,
    /// The escalation options.
    Escalation,
}

impl Pane {
    const ORDER: [Pane; 4] = [Pane::Queue, Pane::Detail, Pane::Clocks, Pane::Escalation];

    fn step(self, forward: bool) -> Pane {
        let i = Pane::ORDER.iter().position(|p| *p == self).unwrap_or(0);
        let n = Pane::ORDER.len();
        Pane::ORDER[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }

    /// Its title.
    pub fn title(self, t: &Text) -> &'static str {
        match self {
            Pane::Queue => t.queue,
            Pane::Detail => t.case,
            Pane::Clocks => t.clocks,
            Pane::Escalation => t.escalation,
        }
    }
}

/// The case shown in the detail, SLA and escalation panes.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// Its number.
    pub number: CaseNumber,
    /// Its detail, once read from the cache.
    pub case: Option<Case>,
    /// When the detail was fetched from the server.
    pub fetched_at: Option<DateTime<Utc>>,
    /// Still being read.
    pub loading: bool,
    /// Lines scrolled down in the detail pane.
    pub scroll: u16,
    /// What its timeline entries are compared with to mark the new ones.
    pub baseline: Baseline,
    /// Bring the newest timeline entry into view at the next frame (the case was opened, or
    /// something arrived); the frame's scroll then replaces `scroll`.
    pub reveal: bool,
}

/// A list in an overlay: search results, RMAs, escalations, the outbox, an entitlement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListView {
    /// What it lists.
    pub kind: ListKind,
    /// The title.
    pub title: String,
    /// Column headers.
    pub header: Vec<String>,
    /// The rows.
    pub rows: Vec<ListRow>,
    /// The selected row.
    pub selected: usize,
    /// The keys that work here.
    pub hint: String,
}

/// What a list overlay lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// Cases found by the server.
    Search,
    /// RMAs.
    Rmas,
    /// Escalations waiting for a lead.
    Escalations,
    /// Outbox entries.
    Outbox,
    /// One serial's contract.
    Entitlement,
    /// Held and unreadable mail.
    Mail,
    /// Note drafts not sent yet.
    Drafts,
    /// This session's alerts.
    Alerts,
    /// A case's files.
    Files,
    /// The cases a bulk action did not change, with why.
    Bulk,
}

/// One row of a list overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    /// The cells, sanitized.
    pub cells: Vec<String>,
    /// The case Enter opens.
    pub case: Option<CaseNumber>,
    /// The escalation or outbox entry it stands for.
    pub id: Option<i64>,
    /// A theme role for the row (a breach, a conflict).
    pub role: Option<crate::term::theme::Role>,
}

/// What covers the panes.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// The keys, scrolled down this many lines.
    Help(u16),
    /// The `:` command line.
    Palette(TextInput),
    /// A form.
    Form(Form),
    /// A list.
    List(ListView),
    /// A file's text.
    Viewer(Box<super::viewer::Viewer>),
    /// The macro picker.
    Macros(Box<super::macros::MacroPicker>),
    /// The reports screen for leads.
    Reports(Box<super::reports::ReportsScreen>),
}

/// A line of feedback under the panes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The words.
    pub text: String,
    /// Whether it reports a failure.
    pub error: bool,
    /// When it was shown (it fades after a while).
    pub at: DateTime<Utc>,
    /// Whether it says something is under way ("sending…", "syncing…"): it stays until the
    /// answer comes, and goes when it does.
    pub progress: bool,
    /// Whether it warns of a breach (drawn as the SLA pane draws one, not as a failure).
    pub alert: bool,
}

/// A place on screen the mouse can click.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    /// A queue column header.
    Sort(SortColumn),
    /// A queue row, by shown position.
    Row(usize),
    /// A pane.
    Pane(Pane),
}

/// Something from outside the state.
#[derive(Debug)]
pub enum Msg {
    /// A key press.
    Key(KeyEvent),
    /// Pasted text.
    Paste(String),
    /// A left click at a cell.
    Click(u16, u16),
    /// The second changed.
    Tick(DateTime<Utc>),
    /// The background sync's state changed.
    Sync(SyncStatus),
    /// Who is signed in (from the cache or the server).
    Me(Me),
    /// The desk's people (from the server, or as cached), for the assign picker.
    People(Vec<crate::api::Person>),
    /// The cached cases and the outbox, freshly read.
    Cases(Vec<Row>, Vec<OutboxEntry>),
    /// A case's cached detail (`None`: not cached).
    Detail(CaseNumber, Option<Box<CachedCase>>),
    /// A serial's lookup for the new-case form.
    SerialChecked(crate::sync::SerialCheck),
    /// A new case is open on the server: show it.
    CaseOpened(CaseNumber),
    /// An action finished: what to say of it, or why it failed (put in words when shown).
    Said(Result<String, super::failure::Failure>),
    /// A list to show, built already (the kinds below arrive as data and are built here).
    List(ListView),
    /// The escalations waiting for a lead, as the server answered.
    Escalations(Vec<crate::api::Escalation>),
    /// The outbox as the cache holds it, and whom the profile talks to (entries written for
    /// another server or person are marked).
    Outbox(Vec<OutboxEntry>, Option<crate::cache::Owner>),
    /// A serial (as typed) and its contract, as the server answered.
    Entitlement(String, crate::api::Entitlement),
    /// The text `$EDITOR` left, for the focused form field.
    Edited(Result<String, super::failure::Failure>),
    /// What the cache says was last seen of a case (`None`: never opened here).
    Seen(CaseNumber, Option<DateTime<Utc>>),
    /// The server's RMA list.
    RmaList(Vec<crate::api::Rma>),
    /// A search's answer: the words, what was found, and a note on where it was looked for
    /// (empty from the server).
    Found(String, crate::api::SearchResults, String),
    /// An RMA move was answered: the RMA now, or its number and the refusal.
    RmaMoved(Result<crate::api::Rma, (crate::domain::RmaNumber, String)>),
    /// What the last frame learned of the layout (sent by the runtime after each draw).
    Layout(super::ui::UiState),
    /// The server's held and unreadable mail, and whether it runs its mail channel.
    Mail(crate::api::MailList),
    /// The note drafts the cache keeps, newest first.
    Drafts(Vec<crate::cache::Draft>),
    /// The customer's latest reply on each of my open cases, as cached (for the alerts).
    CustomerReplies(super::alerts::Replies),
    /// What the effects answered about a case's files.
    Files(super::attachments::Arrived),
    /// A bulk action's outcome for every case it was tried on.
    Bulk(super::bulk::BulkReport),
    /// The team's macros (from the server, or as cached).
    Macros(Vec<crate::api::Macro>),
    /// The four reports asked for with this request, or why they are not here.
    Reports(
        super::reports::ReportsRequest,
        Result<Box<super::reports::Reports>, crate::sync::DeskError>,
    ),
}

/// Work for the runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Re-read the cached cases and the outbox.
    LoadCases,
    /// Read a case's detail from the cache; also fetch it when `fetch` or when the cached copy
    /// is missing or older than its summary.
    LoadCase(CaseNumber, bool),
    /// Make a change (through the outbox).
    Submit(CaseNumber, PendingChange, i64),
    /// Look a serial up for the new-case form: its contract and its open cases.
    CheckSerial(String),
    /// Open a new case through the outbox.
    OpenCase(Box<crate::api::NewCase>),
    /// Create an RMA (online only).
    CreateRma(CaseNumber, NewRma, i64),
    /// Ask the server to search.
    Search(String),
    /// Fetch the RMA list.
    Rmas,
    /// Fetch the open escalations.
    Escalations,
    /// Act on an escalation as a lead.
    PatchEscalation(i64, EscalationPatch),
    /// Look up a serial's contract.
    Entitlement(String),
    /// Show the outbox.
    Outbox,
    /// Re-send a conflicted or failed entry on the current version.
    Retry(i64),
    /// Drop an entry.
    Discard(i64),
    /// Sync now.
    Refresh,
    /// Switch to another profile.
    SwitchProfile(String),
    /// Edit text in `$EDITOR`.
    Editor(String),
    /// Record in the cache that a case was seen through its newest entry of this instant.
    MarkSeen(CaseNumber, DateTime<Utc>),
    /// Move an RMA and/or set its analysis request (online only).
    PatchRma(crate::domain::RmaNumber, crate::api::RmaPatch),
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Fetch the held and unreadable mail.
    Mail,
    /// Add held mail to a case as the customer's note: the one typed, or the matched one.
    ReleaseMail(i64, Option<CaseNumber>),
    /// Drop held or unreadable mail.
    DiscardMail(i64),
    /// Keep an editor's text in the cache as of the instant (blank text deletes it).
    SaveDraft(CaseNumber, crate::cache::DraftKind, String, DateTime<Utc>),
    /// Delete a draft (sent or discarded).
    DeleteDraft(CaseNumber, crate::cache::DraftKind),
    /// Read the drafts the cache keeps.
    LoadDrafts,
    /// Ring the bell and/or send a desktop notification (between frames).
    Notify(crate::term::notify::Notice),
    /// Read the customer's latest reply on each open case of this person from the cache.
    CustomerReplies(String),
    /// Attach, list, fetch, save or page a case's files.
    Files(super::attachments::FileWork),
    /// Change every marked case, each through the outbox on its own, and report them all.
    Bulk(Box<super::bulk::BulkRun>),
    /// Read the team's macros (as cached, else from the server).
    LoadMacros,
    /// Make several changes to one case in one step, in order (a macro's note and patch).
    SubmitAll(CaseNumber, Vec<PendingChange>, i64),
    /// Fetch the reports screen's four reports (as cached when offline).
    Reports(super::reports::ReportsRequest),
    /// Stop.
    Quit,
}

/// Settings the app starts with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The key map.
    pub keys: KeyMap,
    /// The saved views.
    pub views: Vec<View>,
    /// The interface language.
    pub lang: Lang,
    /// The display zone.
    pub zone: DisplayZone,
    /// The profile's name.
    pub profile: String,
    /// The order of the case timeline.
    pub timeline: TimelineOrder,
    /// Whether the copy key writes to the clipboard (OSC 52).
    pub clipboard: bool,
    /// Whether this is `casedesk demo`, whose data is gone when it ends.
    pub demo: bool,
}

/// The state of the TUI.
#[derive(Debug)]
pub struct App {
    /// Settings.
    pub settings: Settings,
    /// Who is signed in, once known.
    pub me: Option<Me>,
    /// The desk's people, once known (empty: not known; the server then checks names alone).
    pub people: Vec<crate::api::Person>,
    /// The queue.
    pub queue: Queue,
    /// The saved view shown (index into the views).
    pub view: usize,
    /// The focused pane.
    pub focus: Pane,
    /// Whether all four panes fit (set by the runtime from the window size).
    pub wide: bool,
    /// The case in the detail panes.
    pub opened: Option<Opened>,
    /// The overlay.
    pub overlay: Option<Overlay>,
    /// The filter being typed.
    pub filtering: Option<TextInput>,
    /// The escalation option under the cursor.
    pub option: usize,
    /// The feedback line.
    pub message: Option<Message>,
    /// The background sync.
    pub sync: SyncStatus,
    /// The outbox.
    pub outbox: Vec<OutboxEntry>,
    /// The clock.
    pub now: DateTime<Utc>,
    /// The calendars for ticking clocks offline.
    pub calendars: std::sync::Arc<Calendars>,
    /// Clickable places from the last frame.
    pub hits: Vec<(Rect, Hit)>,
    /// Whether the cases have been read once.
    pub loaded: bool,
    /// Set when the user asked to leave.
    pub quit: bool,
    /// The quit key asked once about unsent changes (or the demo's data): the next quits.
    quit_armed: bool,
    /// The outbox entry a first `d` asked to discard.
    discard_armed: Option<i64>,
    /// What this session recorded as seen, per case (ahead of the cache's copy).
    seen: std::collections::HashMap<CaseNumber, DateTime<Utc>>,
    /// A case to select when the cases are next loaded (one just opened).
    select_next_load: Option<CaseNumber>,
    /// The cases whose breach the message line has told (each is told once).
    breaches_told: std::collections::HashSet<CaseNumber>,
    /// The RMAs of the RMA list last shown, for the move form.
    pub rmas: Option<super::rma::RmaList>,
    /// The escalations of the escalation list shown: a lead's keys act on them by id, never
    /// on the list's display text.
    escalations: Vec<crate::api::Escalation>,
    /// The mail of the mail list last shown, for its row keys.
    pub mail: super::mail::HeldMailbox,
    /// The team's and the config's macros, for the picker.
    pub macros: super::macros::MacroBook,
    /// The cases marked in the queue for a bulk action.
    pub marks: super::bulk::Marks,
    /// The alerts raised this session.
    pub alerts: super::alerts::Alerts,
    /// The note drafts kept in the cache.
    pub drafts: super::drafts::Drafts,
    /// The files of the case last listed, and where typed paths are read from.
    pub files: super::attachments::CaseFiles,
}

/// The queue columns `s` steps through, in the order they are drawn. The due column has two
/// orders, most overdue first and then what breaches next, so key 4's sort is in the cycle.
pub const SORTABLE: [SortColumn; 11] = [
    SortColumn::Priority,
    SortColumn::Number,
    SortColumn::Status,
    SortColumn::NextDue,
    SortColumn::Breaching,
    SortColumn::Owner,
    SortColumn::Site,
    SortColumn::Contact,
    SortColumn::Platform,
    SortColumn::Updated,
    SortColumn::Subject,
];

/// How long a message stays.
const MESSAGE_SECS: i64 = 10;

impl App {
    /// A fresh app at `now`.
    pub fn new(settings: Settings, calendars: Calendars, now: DateTime<Utc>) -> App {
        // Start on "All open" (key 7) unless the config took that key for something else.
        let view = settings.views.iter().position(|v| v.key == 7).unwrap_or(0);
        let mut queue = Queue::default();
        if let Some(v) = settings.views.get(view) {
            queue.sort = v.sort;
        }
        App {
            settings,
            me: None,
            people: Vec::new(),
            queue,
            view,
            focus: Pane::Queue,
            wide: true,
            opened: None,
            overlay: None,
            filtering: None,
            option: 0,
            message: None,
            sync: SyncStatus::default(),
            outbox: Vec::new(),
            now,
            calendars: std::sync::Arc::new(calendars),
            hits: Vec::new(),
            loaded: false,
            quit: false,
            quit_armed: false,
            discard_armed: None,
            seen: std::collections::HashMap::new(),
            select_next_load: None,
            breaches_told: std::collections::HashSet::new(),
            rmas: None,
            escalations: Vec::new(),
            mail: super::mail::HeldMailbox::default(),
            macros: super::macros::MacroBook::default(),
            marks: super::bulk::Marks::default(),
            alerts: super::alerts::Alerts::default(),
            drafts: super::drafts::Drafts::default(),
            files: super::attachments::CaseFiles::default(),
        }
    }

    /// The interface's words.
    pub fn text(&self) -> &'static Text {
        self.settings.lang.text()
    }

    /// The interface's language.
    pub fn lang(&self) -> Lang {
        self.settings.lang
    }

    /// The saved view shown.
    pub fn current_view(&self) -> &View {
        &self.settings.views[self.view.min(self.settings.views.len() - 1)]
    }

    fn me_name(&self) -> Option<&str> {
        self.me.as_ref().map(|m| m.name.as_str())
    }

    fn say(&mut self, text: impl Into<String>, error: bool) {
        let text = text.into();
        let lang = self.lang();
        let progress = !error && (text == lang.say(Say::Sending) || text == lang.say(Say::Syncing));
        self.message = Some(Message {
            text,
            error,
            at: self.now,
            progress,
            alert: false,
        });
    }

    /// Clears a "sending…" or "syncing…": what it waited for has come.
    fn done_waiting(&mut self) {
        if self.message.as_ref().is_some_and(|m| m.progress) {
            self.message = None;
        }
    }

    /// Says which cases on screen (in the view, or open) breached: those whose deadline
    /// passed between `before` and now, and those the server now marks breached that it did
    /// not before (`was_breached`: the flags before). Each case is told once.
    fn tell_breaches(
        &mut self,
        before: DateTime<Utc>,
        was_breached: &std::collections::HashMap<CaseNumber, bool>,
    ) {
        let now = self.now;
        // The shown rows, and the opened case if the view no longer holds it: one pass each,
        // as this runs every tick over queues of 50,000 cases.
        let opened = self
            .opened
            .as_ref()
            .map(|o| o.number)
            .filter(|n| !self.queue.shows(n))
            .and_then(|n| self.queue.all().find(|c| c.number == n));
        let breached: Vec<CaseNumber> = self
            .queue
            .shown_cases()
            .chain(opened)
            .filter(|c| {
                let crossed = c.next_due.is_some_and(|d| {
                    !crate::sla::past_due(d, before) && crate::sla::past_due(d, now)
                });
                let flagged = c.breached && was_breached.get(&c.number) == Some(&false);
                crossed || flagged
            })
            .map(|c| c.number)
            .filter(|n| !self.breaches_told.contains(n))
            .collect();
        let Some(first) = breached.first() else {
            return;
        };
        self.breaches_told.extend(breached.iter().copied());
        let said = self
            .lang()
            .say(Say::Breached(&first.to_string(), breached.len() - 1));
        self.say(said, false);
        if let Some(m) = self.message.as_mut() {
            m.alert = true;
        }
    }

    /// Applies a message and returns the work it calls for.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        if let Msg::CaseOpened(number) = &msg {
            self.alerts.note_opened(*number);
        }
        let mut effects = self.apply(msg);
        self.alerts
            .note_own(&effects, self.me.as_ref().map(|m| m.name.as_str()));
        effects.extend(self.record_seen());
        effects
    }

    /// A case shown while a case pane has the focus has been seen through its newest entry;
    /// the preview beside the queue does not count.
    fn record_seen(&mut self) -> Option<Effect> {
        let o = self.opened.as_ref()?;
        if self.focus == Pane::Queue || o.baseline == Baseline::Unknown {
            return None;
        }
        let newest = o.case.as_ref().and_then(timeline::newest)?;
        if self.seen.get(&o.number).is_some_and(|s| *s >= newest) {
            return None;
        }
        self.seen.insert(o.number, newest);
        Some(Effect::MarkSeen(o.number, newest))
    }

    fn apply(&mut self, msg: Msg) -> Vec<Effect> {
        // An answer to what was sent replaces its "sending…" even when it says nothing.
        if matches!(
            msg,
            Msg::List(_)
                | Msg::Escalations(_)
                | Msg::Outbox(..)
                | Msg::Entitlement(..)
                | Msg::RmaList(_)
                | Msg::RmaMoved(_)
                | Msg::Mail(_)
                | Msg::Files(_)
                | Msg::CaseOpened(_)
                | Msg::Edited(_)
        ) {
            self.done_waiting();
        }
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Paste(text) => {
                match (&mut self.overlay, &mut self.filtering) {
                    (Some(Overlay::Form(form)), _) => form.paste(&text),
                    (Some(Overlay::Palette(input)), _) => input.insert(&text.replace('\n', " ")),
                    (None, Some(input)) => {
                        input.insert(&text.replace('\n', " "));
                        let text = input.text().to_string();
                        return self.set_filter(&text);
                    }
                    _ => {}
                }
                Vec::new()
            }
            Msg::Click(x, y) => self.on_click(x, y),
            Msg::Tick(now) => {
                let minute_changed = now.minute() != self.now.minute();
                let before = self.now;
                self.now = now;
                if self
                    .message
                    .as_ref()
                    .is_some_and(|m| !m.progress && (now - m.at).num_seconds() >= MESSAGE_SECS)
                {
                    self.message = None;
                    // The quit question is gone from the screen: a later quit key asks again.
                    self.quit_armed = false;
                }
                if self.loaded && now > before {
                    self.tell_breaches(before, &std::collections::HashMap::new());
                }
                let mut effects = super::alerts::on_tick(self);
                // The note editor's text is kept every few seconds while it changes.
                effects.extend(super::drafts::on_tick(self));
                // Views that depend on the time ("breaching within 1 hour") move with it, and
                // the case panes follow the view's rows as after a reload.
                if minute_changed && self.current_view().due_within.is_some() {
                    let opened_shown = self.opened_shown();
                    self.reapply_view();
                    effects.extend(self.after_rows_changed(opened_shown));
                }
                effects
            }
            Msg::Sync(status) => {
                let changed = status.revision != self.sync.revision
                    || status.pending != self.sync.pending
                    || status.needs_attention != self.sync.needs_attention;
                // A round that ends answers "syncing…".
                let round_ended = !status.busy
                    && (self.sync.busy
                        || status.as_of != self.sync.as_of
                        || status.last_error != self.sync.last_error);
                if round_ended {
                    self.done_waiting();
                }
                // A sync may have brought the team's macros: the picker opens with no I/O.
                let macros = round_ended.then_some(Effect::LoadMacros);
                // A change queued earlier that the server refused for good has left the
                // outbox: said once, as when it is refused at once.
                if status.refused != self.sync.refused {
                    for r in &status.refused {
                        let case = r
                            .case
                            .map_or_else(|| format!("#{}", r.id), |n| n.to_string());
                        let said = self.lang().say(Say::RefusedForGood(&case, &r.what, &r.why));
                        self.say(said, true);
                    }
                }
                self.sync = status;
                let mut effects: Vec<Effect> = macros.into_iter().collect();
                if changed {
                    effects.insert(0, Effect::LoadCases);
                }
                effects
            }
            Msg::People(people) => {
                self.people = people;
                Vec::new()
            }
            Msg::Me(me) => {
                self.me = Some(me);
                self.reapply_view();
                super::alerts::on_me(self)
            }
            Msg::Cases(rows, outbox) => {
                let view = self.current_view().clone();
                let me = self.me_name().map(str::to_string);
                let opened_shown = self.opened_shown();
                let was_breached: std::collections::HashMap<CaseNumber, bool> =
                    self.queue.all().map(|c| (c.number, c.breached)).collect();
                self.queue.set_rows(rows, &view, me.as_deref(), self.now);
                super::bulk::prune(self);
                if self.loaded {
                    self.tell_breaches(self.now, &was_breached);
                }
                if let Some(number) = self.select_next_load.take() {
                    self.queue.select_number(&number);
                }
                self.outbox = outbox;
                // The status bar counts the outbox as it is now (an entry refused for good has
                // just left it), not as of the last sync round.
                self.sync.pending = self
                    .outbox
                    .iter()
                    .filter(|e| e.state == crate::cache::OutboxState::Pending)
                    .count();
                self.sync.needs_attention = self.outbox.len() - self.sync.pending;
                self.loaded = true;
                let mut effects = super::alerts::on_cases(self);
                effects.extend(self.after_rows_changed(opened_shown));
                effects
            }
            Msg::Detail(number, detail) => {
                if let Some(opened) = self.opened.as_mut().filter(|o| o.number == number) {
                    opened.loading = false;
                    if let Some(cached) = detail {
                        let CachedCase {
                            case,
                            fetched_at: at,
                            ..
                        } = *cached;
                        // Something arrived on the open case: it shows at once.
                        let before = opened.case.as_ref().and_then(timeline::newest);
                        if before.is_some() && timeline::newest(&case) > before {
                            opened.reveal = true;
                        }
                        opened.case = Some(case);
                        opened.fetched_at = Some(at);
                    }
                }
                Vec::new()
            }
            Msg::SerialChecked(check) => {
                super::intake::serial_checked(self, check);
                Vec::new()
            }
            Msg::CaseOpened(number) => {
                // Selected once the reload brings it into the queue.
                self.select_next_load = Some(number);
                self.open(number, false)
            }
            Msg::Said(result) => {
                // What the server wrote may name statuses and options by their API names.
                let lang = self.lang();
                match result {
                    Ok(text) => self.say(lang.api_names_as_words(&text), false),
                    Err(failure) => {
                        let text = failure.words(lang);
                        self.say(lang.api_names_as_words(&text), true)
                    }
                }
                Vec::new()
            }
            Msg::List(list) => {
                if self.show_list(list) && self.escalations_shown() {
                    // Built elsewhere: no escalations to act on by id.
                    self.escalations.clear();
                }
                Vec::new()
            }
            Msg::Escalations(escalations) => {
                let list = super::ui::lists::escalation_list(self.lang(), &escalations, self.now);
                if self.show_list(list) {
                    self.escalations = escalations;
                }
                Vec::new()
            }
            Msg::Outbox(entries, mine) => {
                let list = super::ui::lists::outbox_list(self.lang(), &entries, mine.as_ref());
                self.show_list(list);
                Vec::new()
            }
            Msg::Entitlement(serial, entitlement) => {
                let list = super::ui::lists::entitlement_list(self.lang(), &serial, &entitlement);
                self.show_list(list);
                Vec::new()
            }
            Msg::Edited(result) => {
                match result {
                    Ok(text) => {
                        if let Some(Overlay::Form(form)) = &mut self.overlay {
                            form.set_focused_text(&text);
                        }
                    }
                    Err(failure) => {
                        let text = failure.words(self.lang());
                        self.say(text, true)
                    }
                }
                Vec::new()
            }
            Msg::Seen(number, stored) => {
                // Read once per opening: what this opening records must not move it.
                let known = self.seen.get(&number).copied();
                if let Some(o) = self
                    .opened
                    .as_mut()
                    .filter(|o| o.number == number && o.baseline == Baseline::Unknown)
                {
                    o.baseline = stored.max(known).map_or(Baseline::Never, Baseline::Since);
                }
                Vec::new()
            }
            Msg::RmaList(rmas) => {
                let list = super::rma::arrived(self, rmas);
                self.update(Msg::List(list))
            }
            Msg::RmaMoved(result) => {
                super::rma::moved(self, result);
                Vec::new()
            }
            Msg::Found(q, found, note) => {
                let (lang, zone) = (self.lang(), self.settings.zone);
                let list = super::search::results(lang, zone, self.now, &q, &found, &note);
                self.update(Msg::List(list))
            }
            Msg::Layout(ui) => {
                self.laid_out(ui);
                Vec::new()
            }
            Msg::Mail(list) => {
                let list = super::mail::arrived(self, list);
                self.show_list(list);
                Vec::new()
            }
            Msg::Drafts(drafts) => {
                if let Some(list) = super::drafts::arrived(self, drafts) {
                    self.show_list(list);
                }
                Vec::new()
            }
            Msg::CustomerReplies(replies) => super::alerts::on_replies(self, replies),
            Msg::Files(arrived) => match super::attachments::arrived(self, arrived) {
                Ok(effects) => effects,
                Err(list) => {
                    self.show_list(list);
                    Vec::new()
                }
            },
            Msg::Bulk(report) => {
                super::bulk::finished(self, report);
                Vec::new()
            }
            Msg::Macros(team) => {
                self.macros.set_team(team);
                Vec::new()
            }
            Msg::Reports(request, result) => super::reports::arrived(self, request, result),
        }
    }

    /// Shows a list, unless a form or another kind of list is in the way (then says it
    /// arrived); a refreshed list keeps its place. Returns whether it is shown.
    fn show_list(&mut self, mut list: ListView) -> bool {
        let busy = match &self.overlay {
            None => false,
            Some(Overlay::List(old)) => old.kind != list.kind,
            Some(_) => true,
        };
        if busy {
            let said = self.lang().say(Say::ArrivedWhileBusy(&list.title));
            self.say(said, false);
            return false;
        }
        // Acting on escalations is a lead's: others are not offered the keys.
        if list.kind == ListKind::Escalations && !self.is_lead() {
            list.hint = self.lang().word(Word::HintOpenCaseClose).to_string();
        }
        // A refreshed list (after acting on a row) keeps its place.
        if let Some(Overlay::List(old)) = &self.overlay
            && old.kind == list.kind
        {
            list.selected = old.selected.min(list.rows.len().saturating_sub(1));
        }
        self.overlay = Some(Overlay::List(list));
        true
    }

    /// Whether the escalation list is what the overlay shows.
    fn escalations_shown(&self) -> bool {
        matches!(&self.overlay, Some(Overlay::List(l)) if l.kind == ListKind::Escalations)
    }

    /// The escalation the shown list's selected row stands for.
    fn selected_escalation(&self, list: &ListView) -> Option<&crate::api::Escalation> {
        let id = list.rows.get(list.selected)?.id?;
        self.escalations.iter().find(|e| e.id == id)
    }

    /// Takes in what a frame learned: the layout, the clickable places, where the queue
    /// starts, and how far the detail may scroll (a scroll past the end comes back to it; a
    /// frame that brought the newest entry into view sets the scroll it used).
    fn laid_out(&mut self, ui: super::ui::UiState) {
        self.wide = ui.wide;
        self.hits = ui.hits;
        self.queue.offset = ui.queue_offset;
        if let (Some((rows, cols)), Some(Overlay::Viewer(v))) = (ui.viewer_size, &mut self.overlay)
        {
            v.size = (rows as usize, cols as usize);
        }
        if let Some(o) = self.opened.as_mut() {
            if let Some(max) = ui.detail_max_scroll {
                o.scroll = o.scroll.min(max);
            }
            if let Some(revealed) = ui.detail_revealed {
                o.scroll = revealed;
                o.reveal = false;
            }
        }
    }

    fn reapply_view(&mut self) {
        let view = self.current_view().clone();
        let me = self.me_name().map(str::to_string);
        self.queue.apply_view(&view, me.as_deref(), self.now);
        super::bulk::prune(self);
    }

    /// Whether the queue shows the case the case panes show.
    fn opened_shown(&self) -> bool {
        self.opened
            .as_ref()
            .is_some_and(|o| self.queue.shows(&o.number))
    }

    /// After the queue's rows changed (a reload, or a time-bound view moving on the minute).
    /// When the shown case left the view (an action moved it out), the case panes show the
    /// row that took its place, whichever pane has the focus; otherwise they follow the
    /// selection (a case that came into an empty "due within" view on the minute).
    fn after_rows_changed(&mut self, opened_shown: bool) -> Vec<Effect> {
        let left = opened_shown && !self.opened_shown();
        if left
            && self.wide
            && let Some(number) = self.queue.selected_case().map(|c| c.number)
        {
            return self.open(number, false);
        }
        self.follow_selection()
    }

    /// After the selection may have moved: the detail panes follow it in the wide layout, and
    /// the open case is re-read when its summary shows a newer version.
    fn follow_selection(&mut self) -> Vec<Effect> {
        let selected = self.queue.selected_case().map(|c| (c.number, c.version));
        let Some((number, version)) = selected else {
            return Vec::new();
        };
        let showing_other = self.opened.as_ref().is_none_or(|o| o.number != number);
        if self.wide && showing_other && self.focus == Pane::Queue {
            return self.open(number, false);
        }
        let newer = self.opened.as_ref().is_some_and(|o| {
            o.number == number && o.case.as_ref().is_some_and(|c| c.summary.version < version)
        });
        if newer {
            return vec![Effect::LoadCase(number, true)];
        }
        Vec::new()
    }

    pub(super) fn open(&mut self, number: CaseNumber, fetch: bool) -> Vec<Effect> {
        if let Some(o) = self.opened.as_mut().filter(|o| o.number == number) {
            // Opened for real after the preview: its newest entry comes into view again.
            o.reveal |= fetch;
            return vec![Effect::LoadCase(number, fetch)];
        }
        self.opened = Some(Opened {
            number,
            case: None,
            fetched_at: None,
            loading: true,
            scroll: 0,
            baseline: Baseline::Unknown,
            reveal: true,
        });
        self.option = 0;
        vec![Effect::LoadCase(number, fetch)]
    }

    /// Leaving the queue for a case pane: the case panes show the selected case.
    fn open_selected(&mut self) -> Vec<Effect> {
        match self.queue.selected_case().map(|c| c.number) {
            Some(number) if self.opened.as_ref().is_none_or(|o| o.number != number) => {
                self.open(number, false)
            }
            _ => Vec::new(),
        }
    }

    fn set_filter(&mut self, text: &str) -> Vec<Effect> {
        self.queue.set_filter(text);
        self.follow_selection()
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        // The next action's message replaces the last one; with nothing to say, the line
        // clears rather than keep an old failure under a success. What is under way stays.
        if self.message.as_ref().is_some_and(|m| !m.progress) {
            self.message = None;
        }
        // The quit question stands for the very next key only.
        let quit_key = self.settings.keys.command(&key) == Some(Command::Quit);
        let form_quit = matches!(self.overlay, Some(Overlay::Form(_)))
            && is_ctrl_quit(&self.settings.keys, &key);
        if !quit_key || (self.overlay.is_some() && !form_quit) || self.filtering.is_some() {
            self.quit_armed = false;
        }
        if self.overlay.is_some() {
            return self.on_overlay_key(key);
        }
        if let Some(input) = &mut self.filtering {
            match key.code {
                KeyCode::Enter => self.filtering = None,
                KeyCode::Esc => {
                    self.filtering = None;
                    return self.set_filter("");
                }
                KeyCode::Up | KeyCode::Down => {
                    self.queue
                        .move_by(if key.code == KeyCode::Up { -1 } else { 1 });
                    return self.follow_selection();
                }
                _ => {
                    if input.key(&key) == Edit::Changed {
                        let text = input.text().to_string();
                        return self.set_filter(&text);
                    }
                }
            }
            return Vec::new();
        }
        // In the Escalate pane the digits are its numbered options (SPEC §2.7), not views.
        if self.focus == Pane::Escalation
            && let Some(i) = escalation_digit(&key)
        {
            self.option = i;
            return self.escalate_form(EscalationKind::ALL[i]);
        }
        match self.settings.keys.command(&key) {
            Some(cmd) => self.run(cmd, ""),
            None => Vec::new(),
        }
    }

    fn on_click(&mut self, x: u16, y: u16) -> Vec<Effect> {
        if self.overlay.is_some() {
            return Vec::new();
        }
        // The last drawn is on top: a row before the pane around it.
        let hit = self
            .hits
            .iter()
            .rev()
            .find(|(r, _)| r.contains(ratatui::layout::Position { x, y }))
            .map(|(_, h)| *h);
        match hit {
            Some(Hit::Sort(column)) => {
                let desc = self.queue.sort.column == column && !self.queue.sort.desc;
                self.sort_by(column, desc);
                Vec::new()
            }
            Some(Hit::Row(position)) => {
                self.focus = Pane::Queue;
                self.queue
                    .move_by(position as isize - self.queue.selected() as isize);
                self.follow_selection()
            }
            Some(Hit::Pane(pane)) => {
                self.focus = pane;
                Vec::new()
            }
            None => Vec::new(),
        }
    }

    fn sort_by(&mut self, column: SortColumn, desc: bool) {
        self.queue.sort = crate::api::Sort { column, desc };
        self.reapply_view();
        let arrow = if desc { "↓" } else { "↑" };
        let lang = self.lang();
        let name = match lang {
            Lang::En => column.as_str(),
            Lang::Ja => super::ui::column_header(lang.text(), column),
        };
        self.say(lang.say(Say::SortedBy(name, arrow)), false);
    }

    /// Runs a command with the palette's argument (empty from a key).
    pub fn run(&mut self, cmd: Command, arg: &str) -> Vec<Effect> {
        if let Some(n) = cmd.view_number() {
            return self.switch_view(n);
        }
        match cmd {
            Command::Up | Command::Down | Command::PageUp | Command::PageDown => {
                let step = match cmd {
                    Command::Up => -1,
                    Command::Down => 1,
                    Command::PageUp => -10,
                    _ => 10,
                };
                self.move_by(step)
            }
            Command::Top | Command::Bottom => {
                let last = cmd == Command::Bottom;
                match self.focus {
                    Pane::Queue => {
                        self.queue.select_edge(last);
                        return self.follow_selection();
                    }
                    Pane::Detail => {
                        if let Some(o) = &mut self.opened {
                            o.scroll = if last { u16::MAX } else { 0 };
                            o.reveal = false;
                        }
                    }
                    Pane::Escalation => self.option = if last { 3 } else { 0 },
                    Pane::Clocks => {}
                }
                Vec::new()
            }
            Command::Open => match self.focus {
                Pane::Queue => {
                    let Some(number) = self.queue.selected_case().map(|c| c.number) else {
                        return Vec::new();
                    };
                    self.focus = Pane::Detail;
                    self.open(number, true)
                }
                Pane::Escalation => self.escalate_form(EscalationKind::ALL[self.option.min(3)]),
                _ => Vec::new(),
            },
            Command::Back => {
                if !self.queue.filter().is_empty() && self.focus == Pane::Queue {
                    return self.set_filter("");
                }
                if self.focus == Pane::Queue && super::bulk::clear(self) {
                    return Vec::new();
                }
                self.focus = Pane::Queue;
                Vec::new()
            }
            Command::NextPane | Command::PrevPane => {
                let leaving_queue = self.focus == Pane::Queue;
                self.focus = self.focus.step(cmd == Command::NextPane);
                if leaving_queue {
                    return self.open_selected();
                }
                Vec::new()
            }
            Command::Filter => {
                self.focus = Pane::Queue;
                self.filtering = Some(TextInput::line(self.queue.filter()));
                if !arg.is_empty() {
                    self.filtering = None;
                    return self.set_filter(arg);
                }
                Vec::new()
            }
            Command::SortNext => {
                let i = SORTABLE
                    .iter()
                    .position(|c| *c == self.queue.sort.column)
                    .map_or(0, |i| (i + 1) % SORTABLE.len());
                if let Ok(sort) = arg.parse::<crate::api::Sort>() {
                    self.sort_by(sort.column, sort.desc);
                } else if !arg.is_empty() {
                    let said = self
                        .lang()
                        .say(Say::UnknownSortColumn(arg, SortColumn::NAMES));
                    self.say(said, true);
                } else {
                    self.sort_by(SORTABLE[i], false);
                }
                Vec::new()
            }
            Command::SortReverse => {
                let sort = self.queue.sort;
                self.sort_by(sort.column, !sort.desc);
                Vec::new()
            }
            Command::Palette => {
                self.overlay = Some(Overlay::Palette(TextInput::line("")));
                Vec::new()
            }
            Command::Help => {
                self.overlay = Some(Overlay::Help(0));
                Vec::new()
            }
            Command::Quit => self.ask_quit(),
            Command::Copy => self.copy_number(),
            Command::Refresh => {
                self.say(self.lang().say(Say::Syncing), false);
                vec![Effect::Refresh]
            }
            Command::Outbox => vec![Effect::Outbox],
            Command::NewCase => super::intake::open_form(self),
            Command::Rmas => vec![Effect::Rmas],
            Command::Escalations => vec![Effect::Escalations],
            Command::Mail => vec![Effect::Mail],
            Command::Search => {
                if arg.trim().is_empty() {
                    self.overlay = Some(Overlay::Form(
                        Form::new(self.lang().word(Word::SearchTitle), Purpose::Search).line(
                            "q",
                            self.lang().word(Word::Find),
                            "",
                        ),
                    ));
                    return Vec::new();
                }
                vec![Effect::Search(arg.trim().to_string())]
            }
            Command::Entitlement => {
                if !arg.trim().is_empty() {
                    return vec![Effect::Entitlement(arg.trim().to_string())];
                }
                let serial = self
                    .current()
                    .and_then(|c| c.serial_number.clone())
                    .unwrap_or_default();
                self.overlay = Some(Overlay::Form(
                    Form::new(
                        self.lang().word(Word::EntitlementTitle),
                        Purpose::Entitlement,
                    )
                    .line(
                        "serial",
                        self.lang().word(Word::SerialNumber),
                        &serial,
                    ),
                ));
                Vec::new()
            }
            Command::Profile => {
                if arg.trim().is_empty() {
                    let said = self.lang().say(Say::ProfileNow(&self.settings.profile));
                    self.say(said, false);
                    return Vec::new();
                }
                vec![Effect::SwitchProfile(arg.trim().to_string())]
            }
            Command::Escalate => {
                if !arg.is_empty() {
                    return match arg.parse::<EscalationKind>() {
                        Ok(kind) => self.escalate_form(kind),
                        Err(e) => {
                            self.say(e.to_string(), true);
                            Vec::new()
                        }
                    };
                }
                if self.focus == Pane::Escalation {
                    return self.escalate_form(EscalationKind::ALL[self.option.min(3)]);
                }
                let leaving_queue = self.focus == Pane::Queue;
                self.focus = Pane::Escalation;
                if leaving_queue {
                    return self.open_selected();
                }
                Vec::new()
            }
            Command::Take
            | Command::Assign
            | Command::NotePublic
            | Command::NoteInternal
            | Command::Status
            | Command::Priority
            | Command::NewRma
            | Command::Call
            | Command::ContactFailed
            | Command::ProblemReport => self.case_action(cmd, arg),
            Command::RmaMove => super::rma::start_from_case(self),
            Command::Macro => super::macros::open(self, arg),
            Command::Attach => super::attachments::attach(self, arg),
            Command::Files => super::attachments::files(self),
            Command::Mark | Command::MarkRange | Command::MarkAll => super::bulk::mark(self, cmd),
            Command::Alerts => super::alerts::show(self),
            Command::Drafts => super::drafts::show(self),
            Command::Report => super::reports::open(self),
            _ => Vec::new(),
        }
    }

    fn move_by(&mut self, step: isize) -> Vec<Effect> {
        match self.focus {
            Pane::Queue => {
                self.queue.move_by(step);
                self.follow_selection()
            }
            Pane::Detail => {
                if let Some(o) = &mut self.opened {
                    o.scroll = o.scroll.saturating_add_signed(step as i16);
                    o.reveal = false;
                }
                Vec::new()
            }
            Pane::Escalation => {
                self.option = self.option.saturating_add_signed(step).min(3);
                Vec::new()
            }
            Pane::Clocks => Vec::new(),
        }
    }

    fn switch_view(&mut self, key: u8) -> Vec<Effect> {
        let Some(i) = self.settings.views.iter().position(|v| v.key == key) else {
            self.say(self.lang().say(Say::NoSavedView(key)), true);
            return Vec::new();
        };
        self.view = i;
        self.queue.sort = self.settings.views[i].sort;
        self.focus = Pane::Queue;
        self.reapply_view();
        // A breaching-next view is for what breaches next: it opens on its first row, not on
        // the case the last view had selected (likely a breached one, far down this list).
        if self.queue.sort.column == SortColumn::Breaching {
            self.queue.select_edge(false);
        }
        self.follow_selection()
    }

    /// The case actions apply to: the open one when a case pane has focus or in the compact
    /// layout, else the selected one.
    pub fn current(&self) -> Option<&CaseSummary> {
        let opened = self.opened.as_ref().and_then(|o| {
            o.case
                .as_ref()
                .map(|c| &c.summary)
                .or_else(|| self.summary_of(&o.number))
        });
        if self.focus == Pane::Queue {
            self.queue.selected_case().or(opened)
        } else {
            opened.or_else(|| self.queue.selected_case())
        }
    }

    fn summary_of(&self, number: &CaseNumber) -> Option<&CaseSummary> {
        self.queue.all().find(|c| &c.number == number)
    }

    /// The version a change to `c` is made against: the newest of its summary and its detail.
    pub(super) fn version_of(&self, c: &CaseSummary) -> i64 {
        let detail = self
            .opened
            .as_ref()
            .filter(|o| o.number == c.number)
            .and_then(|o| o.case.as_ref())
            .map(|d| d.summary.version);
        detail.map_or(c.version, |d| d.max(c.version))
    }

    fn case_action(&mut self, cmd: Command, arg: &str) -> Vec<Effect> {
        let Some(case) = self.current().cloned() else {
            self.say(self.lang().say(Say::NoCaseSelected), true);
            return Vec::new();
        };
        // With cases marked, the owner, status and priority actions are for all of them.
        let bulk = matches!(
            cmd,
            Command::Take | Command::Assign | Command::Status | Command::Priority
        );
        if bulk && !self.marks.is_empty() {
            return super::bulk::start(self, cmd, arg);
        }
        let number = case.number;
        let version = self.version_of(&case);
        super::actions::start(self, cmd, arg, &case, number, version)
    }

    fn escalate_form(&mut self, kind: EscalationKind) -> Vec<Effect> {
        let Some(case) = self.current().cloned() else {
            self.say(self.lang().say(Say::NoCaseSelected), true);
            return Vec::new();
        };
        let version = self.version_of(&case);
        let preferred = self
            .opened
            .as_ref()
            .and_then(|o| o.case.as_ref())
            .filter(|c| c.summary.number == case.number)
            .map(|c| c.preferred_contact);
        self.overlay = Some(Overlay::Form(super::actions::escalation_form(
            self.settings.lang,
            &case,
            version,
            kind,
            preferred,
        )));
        Vec::new()
    }

    fn on_overlay_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(overlay) = self.overlay.take() else {
            return Vec::new();
        };
        // In a form, the control quit key (ctrl-c) still quits: the runtime keeps the
        // editor's draft on the way out. The draft discard key is the drafts'.
        let overlay = match overlay {
            Overlay::Form(form) if is_ctrl_quit(&self.settings.keys, &key) => {
                self.overlay = Some(Overlay::Form(form));
                return self.ask_quit();
            }
            Overlay::Form(form) => match super::drafts::form_key(self, form, &key) {
                Ok(effects) => return effects,
                Err(form) => Overlay::Form(*form),
            },
            other => other,
        };
        let focus_before = match &overlay {
            Overlay::Form(form) => form.focus,
            _ => 0,
        };
        let fields_before = match &overlay {
            Overlay::Form(form) if form.error.is_some() => Some(form.fields.clone()),
            _ => None,
        };
        match overlay {
            Overlay::Help(scroll) => {
                let scroll = match self.settings.keys.command(&key) {
                    Some(Command::Back | Command::Help | Command::Quit) => return Vec::new(),
                    Some(Command::Down) => scroll.saturating_add(1),
                    Some(Command::Up) => scroll.saturating_sub(1),
                    Some(Command::PageDown) => scroll.saturating_add(10),
                    Some(Command::PageUp) => scroll.saturating_sub(10),
                    Some(Command::Top) => 0,
                    Some(Command::Bottom) => u16::MAX,
                    _ => scroll,
                };
                // The drawing stops the scroll at the last line.
                self.overlay = Some(Overlay::Help(scroll));
                Vec::new()
            }
            Overlay::Palette(mut input) => match key.code {
                KeyCode::Esc => Vec::new(),
                KeyCode::Enter => self.run_palette(input.text()),
                KeyCode::Tab => {
                    let completed = complete(input.text());
                    input.set(&completed);
                    self.overlay = Some(Overlay::Palette(input));
                    Vec::new()
                }
                _ => {
                    input.key(&key);
                    self.overlay = Some(Overlay::Palette(input));
                    Vec::new()
                }
            },
            Overlay::Form(mut form) => match form.key(&key) {
                FormEvent::None => {
                    // Typing or choosing answers the form's complaint ("reason is required").
                    if fields_before.is_some_and(|f| f != form.fields) {
                        form.error = None;
                    }
                    let effects = if form.purpose == Purpose::NewCase {
                        super::intake::after_key(&mut form, focus_before, self.settings.lang)
                    } else {
                        Vec::new()
                    };
                    self.overlay = Some(Overlay::Form(form));
                    effects
                }
                // A note editor closes at once and keeps its text as a draft.
                FormEvent::Cancel => super::drafts::closed(self, &form),
                FormEvent::ConfirmCancel if super::drafts::keeps_draft(&form) => {
                    super::drafts::closed(self, &form)
                }
                FormEvent::ConfirmCancel => {
                    form.error = Some(self.lang().word(Word::EscAgainToDiscard).to_string());
                    self.overlay = Some(Overlay::Form(form));
                    Vec::new()
                }
                FormEvent::Macro => super::macros::insert(self, form),
                FormEvent::Editor => {
                    let text = form
                        .focused_text()
                        .map(|t| t.text().to_string())
                        .unwrap_or_default();
                    self.overlay = Some(Overlay::Form(form));
                    vec![Effect::Editor(text)]
                }
                FormEvent::Submit => match super::actions::submit_form(self, &mut form) {
                    Ok(mut effects) => {
                        effects.extend(super::drafts::sent(self, &form));
                        effects
                    }
                    Err(problem) => {
                        form.error = Some(problem);
                        self.overlay = Some(Overlay::Form(form));
                        Vec::new()
                    }
                },
            },
            Overlay::List(list) => self.on_list_key(list, key),
            Overlay::Viewer(viewer) => super::attachments::viewer_key(self, viewer, &key),
            Overlay::Macros(picker) => super::macros::key(self, *picker, key),
            Overlay::Reports(screen) => super::reports::key(self, *screen, key),
        }
    }

    fn on_list_key(&mut self, mut list: ListView, key: KeyEvent) -> Vec<Effect> {
        // The RMA list's own filter and sort come first (a filter being typed takes the keys).
        if list.kind == ListKind::Rmas {
            match super::rma::list_key(self, list, &key) {
                Ok(effects) => return effects,
                Err(back) => list = back,
            }
        }
        if list.kind == ListKind::Drafts {
            match super::drafts::list_key(self, list, &key) {
                Ok(effects) => return effects,
                Err(back) => list = back,
            }
        }
        if list.kind == ListKind::Mail {
            match super::mail::list_key(self, list, &key) {
                Ok(effects) => return effects,
                Err(back) => list = back,
            }
        }
        if list.kind == ListKind::Files {
            match super::attachments::list_key(self, list, &key) {
                Ok(effects) => return effects,
                Err(back) => list = back,
            }
        }
        let cmd = self.settings.keys.command(&key);
        let id = list.rows.get(list.selected).and_then(|r| r.id);
        // The row keys of the escalation and outbox lists are the key map's, per list.
        let scope = match list.kind {
            ListKind::Escalations => Some(ListScope::Escalations),
            ListKind::Outbox => Some(ListScope::Outbox),
            _ => None,
        };
        let action = scope.and_then(|s| self.settings.keys.list_action(s, &key));
        let is = |a: ListAction| action == Some(a);
        let mut effects = Vec::new();
        match (list.kind, cmd) {
            (_, Some(Command::Back)) | (_, Some(Command::Quit)) => return Vec::new(),
            (_, Some(Command::Up)) => list.selected = list.selected.saturating_sub(1),
            (_, Some(Command::Down)) => {
                list.selected = (list.selected + 1).min(list.rows.len().saturating_sub(1));
            }
            (_, Some(Command::Top)) => list.selected = 0,
            (_, Some(Command::Bottom)) => list.selected = list.rows.len().saturating_sub(1),
            (_, Some(Command::Open)) => {
                if let Some(number) = list.rows.get(list.selected).and_then(|r| r.case) {
                    self.focus = Pane::Detail;
                    self.queue.select_number(&number);
                    return self.open(number, true);
                }
            }
            (ListKind::Rmas, Some(Command::RmaMove)) => {
                return super::rma::start_from_list(self, list);
            }
            (ListKind::Outbox, _) if is(ListAction::Retry) => {
                if let Some(id) = id {
                    effects.push(Effect::Retry(id));
                }
            }
            (ListKind::Outbox, _) if is(ListAction::Discard) => {
                // A queued change may be an hour's note: discarding takes a second `d`.
                if let Some(id) = id {
                    if self.discard_armed == Some(id) {
                        self.discard_armed = None;
                        effects.push(Effect::Discard(id));
                    } else {
                        self.discard_armed = Some(id);
                        let again = super::keymap::Key::of(&key).to_string();
                        let said = self.lang().say(Say::PressAgainToDiscard(&again, id));
                        self.say(said, false);
                    }
                }
            }
            (ListKind::Escalations, _)
                if let Some(action) = action
                    && self.refuse_escalation_move(&list, action) =>
            {
                // Refused with a message; the list stays.
            }
            (ListKind::Escalations, _) if is(ListAction::Acknowledge) => {
                if let Some(id) = id {
                    effects.push(Effect::PatchEscalation(
                        id,
                        EscalationPatch {
                            state: EscalationState::Acknowledged,
                            resolution: None,
                        },
                    ));
                }
            }
            (ListKind::Escalations, _) if is(ListAction::Resolve) || is(ListAction::Decline) => {
                if let Some(id) = id {
                    let state = if is(ListAction::Resolve) {
                        EscalationState::Resolved
                    } else {
                        EscalationState::Declined
                    };
                    let what = if is(ListAction::Resolve) {
                        Word::ResolveEscalation
                    } else {
                        Word::DeclineEscalation
                    };
                    let patch = EscalationPatch {
                        state,
                        resolution: None,
                    };
                    let escalation = self.selected_escalation(&list);
                    let mut form = Form::new(
                        escalation_form_title(self.lang(), what, id, escalation),
                        Purpose::CloseEscalation(id, patch),
                    )
                    .lines(
                        "resolution",
                        self.lang().word(if state == EscalationState::Resolved {
                            Word::WhatWasDone
                        } else {
                            Word::WhyDeclined
                        }),
                    );
                    form.info = escalation
                        .map(|e| requester_reason(self.lang(), e, self.now))
                        .unwrap_or_default();
                    self.overlay = Some(Overlay::Form(form));
                    return Vec::new();
                }
            }
            _ => {}
        }
        self.overlay = Some(Overlay::List(list));
        effects
    }

    fn run_palette(&mut self, line: &str) -> Vec<Effect> {
        let line = line.trim();
        if line.is_empty() {
            return Vec::new();
        }
        let (name, arg) = line.split_once(' ').unwrap_or((line, ""));
        // A number alone is a saved view, as its key is.
        if let Ok(n) = name.parse::<u8>() {
            return self.switch_view(n);
        }
        let cmd = Command::by_name(name).or_else(|| match name {
            "view" => arg.trim().parse::<u8>().ok().and_then(|n| {
                Command::ALL
                    .iter()
                    .copied()
                    .find(|c| c.view_number() == Some(n))
            }),
            _ => None,
        });
        match cmd {
            Some(cmd) => self.run(cmd, arg.trim()),
            None => {
                let near = completions(name).join(", ");
                let said = self.lang().say(Say::UnknownCommand(name, &near));
                self.say(said, true);
                Vec::new()
            }
        }
    }

    /// Refuses (with a message) an escalation move the domain does not allow from the row's
    /// state, before any text is typed for it.
    fn refuse_escalation_move(&mut self, list: &ListView, action: ListAction) -> bool {
        // The server's rule, said before a form is opened (when who is signed in is not known
        // yet, the server decides).
        let lang = self.lang();
        if let Some(role) = self.me.as_ref().filter(|_| !self.is_lead()).map(|m| m.role) {
            self.say(lang.say(Say::EscalationNeedsLead(lang.role(role))), true);
            return true;
        }
        let to = match action {
            ListAction::Acknowledge => EscalationState::Acknowledged,
            ListAction::Resolve => EscalationState::Resolved,
            _ => EscalationState::Declined,
        };
        let from = self.selected_escalation(list).map(|e| e.state);
        match from.map(|f| f.transition(to)) {
            Some(Err(e)) => {
                self.say(self.lang().escalation_transition_error(&e), true);
                true
            }
            _ => false,
        }
    }

    /// Whether the signed-in person leads (sees the escalation queue's actions).
    pub fn is_lead(&self) -> bool {
        self.me
            .as_ref()
            .is_some_and(|m| matches!(m.role, Role::Lead | Role::Admin))
    }

    /// Outbox entries of a case.
    pub fn outbox_of<'a>(
        &'a self,
        number: &'a CaseNumber,
    ) -> impl Iterator<Item = &'a OutboxEntry> {
        self.outbox.iter().filter(move |e| e.is_for(number))
    }

    /// Starts over on another profile's desk: its cases arrive with the next load.
    pub fn switched_profile(&mut self, name: String, calendars: Calendars) {
        self.say(self.lang().say(Say::SwitchedProfile(&name)), false);
        self.settings.profile = name;
        self.calendars = std::sync::Arc::new(calendars);
        self.me = None;
        self.opened = None;
        self.overlay = None;
        self.outbox.clear();
        self.sync = SyncStatus::default();
        self.loaded = false;
        self.queue = Queue::default();
        self.queue.sort = self.current_view().sort;
        self.focus = Pane::Queue;
        self.alerts.forget_desk();
    }

    /// Changes not sent yet: the outbox as the status bar counts it, or as last read.
    pub fn unsent(&self) -> usize {
        (self.sync.pending + self.sync.needs_attention).max(self.outbox.len())
    }

    /// The quit key: quits, unless changes are still unsent or this is the demo — then it
    /// says so once, and the next quit key quits.
    fn ask_quit(&mut self) -> Vec<Effect> {
        let unsent = self.unsent();
        if self.quit_armed || (unsent == 0 && !self.settings.demo) {
            self.quit = true;
            return vec![Effect::Quit];
        }
        self.quit_armed = true;
        let key = self
            .settings
            .keys
            .keys_for(Command::Quit)
            .first()
            .map_or_else(|| ":quit".to_string(), |k| k.to_string());
        let said = self
            .lang()
            .say(Say::QuitAsk(unsent, self.settings.demo, &key));
        self.say(said, false);
        Vec::new()
    }

    /// The copy key: the case number of the selected (or open) case to the clipboard.
    fn copy_number(&mut self) -> Vec<Effect> {
        let Some(number) = self.current().map(|c| c.number.to_string()) else {
            self.say(self.lang().say(Say::NoCaseSelected), true);
            return Vec::new();
        };
        if !self.settings.clipboard {
            self.say(self.lang().say(Say::ClipboardOff), true);
            return Vec::new();
        }
        self.say(self.lang().say(Say::Copied(&number)), false);
        vec![Effect::Copy(number)]
    }

    /// Says something in the message line (for the runtime's own notices).
    pub fn notice(&mut self, text: impl Into<String>, error: bool) {
        self.say(text, error);
    }

    /// Opens a case in the case panes, as Enter on a list row does.
    pub fn open_case(&mut self, number: CaseNumber) -> Vec<Effect> {
        self.focus = Pane::Detail;
        self.queue.select_number(&number);
        self.open(number, true)
    }
}

/// Whether a key is a quit key with Ctrl (ctrl-c): one that types nothing in a form.
fn is_ctrl_quit(keys: &KeyMap, key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && keys.command(key) == Some(Command::Quit)
}

/// A lead's resolve/decline form is titled with the escalation, and (when the list came from
/// the server) its case and its option.
fn escalation_form_title(
    lang: Lang,
    what: Word,
    id: i64,
    escalation: Option<&crate::api::Escalation>,
) -> String {
    let (case, option) = escalation.map_or((String::new(), ""), |e| {
        (e.case_number.to_string(), lang.escalation_kind(e.kind))
    });
    format!("{} #{id} — {case} · {option}", lang.word(what))
}

/// The requester's words and when and by whom they were written, shown under a lead's
/// resolve/decline form so the answer fits them.
fn requester_reason(
    lang: Lang,
    escalation: &crate::api::Escalation,
    now: DateTime<Utc>,
) -> Vec<(String, crate::term::theme::Role)> {
    let when = super::ui::lists::requested(lang, escalation, now);
    vec![
        (
            lang.word(Word::RequestedWhy).replace("{when}", &when),
            crate::term::theme::Role::Muted,
        ),
        (
            crate::sanitize::clean(&escalation.reason, true).into_owned(),
            crate::term::theme::Role::Text,
        ),
    ]
}

/// The escalation option (0-based) a plain digit 1–4 names.
fn escalation_digit(key: &KeyEvent) -> Option<usize> {
    let KeyCode::Char(c) = key.code else {
        return None;
    };
    if key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return None;
    }
    let n = c.to_digit(10)? as usize;
    (1..=EscalationKind::ALL.len()).contains(&n).then(|| n - 1)
}

/// Command names the palette could mean by `prefix`.
pub fn completions(prefix: &str) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Command::ALL
        .iter()
        .map(|c| c.name())
        .filter(|n| n.starts_with(prefix))
        .collect();
    names.sort_unstable();
    names
}

/// Completes the palette's first word to the longest prefix all its candidates share.
pub fn complete(line: &str) -> String {
    if line.contains(' ') {
        return line.to_string();
    }
    let names = completions(line);
    match names.as_slice() {
        [] => line.to_string(),
        [one] => format!("{one} "),
        [first, rest @ ..] => {
            let mut common = first.to_string();
            for n in rest {
                while !n.starts_with(common.as_str()) {
                    common.pop();
                }
            }
            common
        }
    }
}

#[cfg(test)]
mod message_tests;

#[cfg(test)]
mod followup_tests;

#[cfg(test)]
mod layout_tests;

#[cfg(test)]
mod list_tests;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::tui::queue::tests::summary;

    /// An English app on five cases, for tests of the app's parts.
    pub(crate) fn app() -> App {
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
        let mut app = App::new(settings, Calendars::builtin(), Utc::now());
        let rows = (1..=5)
            .map(|n| {
                Row::new(summary(
                    n,
                    &format!("case {n}"),
                    if n == 3 { "東京" } else { "Osaka" },
                ))
            })
            .collect();
        app.update(Msg::Cases(rows, Vec::new()));
        app
    }

    fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
        app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    /// A reassignment request on case 2026-1120-000002, asked by sato two hours before `now`.
    pub(crate) fn escalation(
        id: i64,
        state: EscalationState,
        reason: &str,
        now: DateTime<Utc>,
    ) -> crate::api::Escalation {
        crate::api::Escalation {
            id,
            case_number: "2026-1120-000002".parse().expect("a case number"),
            kind: EscalationKind::Reassignment,
            state,
            reason: reason.into(),
            contact_method: None,
            requested_by: "sato".into(),
            requested_at: now - chrono::Duration::hours(2),
            acknowledged_by: None,
            acknowledged_at: None,
            closed_by: None,
            closed_at: None,
            resolution: None,
        }
    }

    #[test]
    fn the_detail_follows_the_selection_in_the_wide_layout() {
        let mut app = app();
        let effects = key(&mut app, KeyCode::Char('j'));
        let second = app.queue.selected_case().unwrap().number;
        assert_eq!(effects, vec![Effect::LoadCase(second, false)]);
        assert_eq!(app.opened.as_ref().unwrap().number, second);
    }

    #[test]
    fn filter_typed_then_escaped() {
        let mut app = app();
        key(&mut app, KeyCode::Char('/'));
        for c in "東京".chars() {
            key(&mut app, KeyCode::Char(c));
        }
        assert_eq!(app.queue.counts(), (5, 1));
        key(&mut app, KeyCode::Esc);
        assert!(app.filtering.is_none());
        assert_eq!(app.queue.counts(), (5, 5));
    }

    #[test]
    fn a_click_on_a_header_sorts_and_a_second_reverses() {
        let mut app = app();
        app.hits = vec![(Rect::new(10, 0, 6, 1), Hit::Sort(SortColumn::Subject))];
        app.update(Msg::Click(12, 0));
        assert_eq!(app.queue.sort.column, SortColumn::Subject);
        assert!(!app.queue.sort.desc);
        assert_eq!(app.queue.selected_case().unwrap().subject, "case 1");
        app.update(Msg::Click(12, 0));
        assert!(app.queue.sort.desc);
    }

    #[test]
    fn take_needs_to_know_who_you_are_then_submits_an_owner_change() {
        let mut app = app();
        assert!(key(&mut app, KeyCode::Char('t')).is_empty());
        assert!(app.message.as_ref().unwrap().error);
        app.update(Msg::Me(Me {
            name: "tanaka".into(),
            role: Role::Agent,
        }));
        // "My open" is empty for tanaka until a case is theirs; back to "All open".
        key(&mut app, KeyCode::Char('7'));
        let effects = key(&mut app, KeyCode::Char('t'));
        let [Effect::Submit(_, PendingChange::Patch(patch), 1)] = effects.as_slice() else {
            panic!("expected an owner change, got {effects:?}");
        };
        assert_eq!(patch.owner.as_deref(), Some("tanaka"));
    }

    #[test]
    fn the_palette_completes_and_runs_commands_with_arguments() {
        assert_eq!(complete("esc"), "escalat");
        assert_eq!(complete("escalations"), "escalations ");
        let mut app = app();
        key(&mut app, KeyCode::Char(':'));
        for c in "search 東京".chars() {
            key(&mut app, KeyCode::Char(c));
        }
        assert_eq!(
            key(&mut app, KeyCode::Enter),
            vec![Effect::Search("東京".into())]
        );
        key(&mut app, KeyCode::Char(':'));
        for c in "bogus".chars() {
            key(&mut app, KeyCode::Char(c));
        }
        key(&mut app, KeyCode::Enter);
        assert!(
            app.message
                .as_ref()
                .unwrap()
                .text
                .contains("unknown command 'bogus'")
        );
    }

    fn list(kind: ListKind, rows: Vec<ListRow>) -> ListView {
        ListView {
            kind,
            title: "t".into(),
            header: vec![],
            rows,
            selected: 0,
            hint: String::new(),
        }
    }

    fn row(id: i64, state: &str) -> ListRow {
        ListRow {
            cells: vec![format!("#{id}"), "c".into(), "k".into(), state.into()],
            case: None,
            id: Some(id),
            role: None,
        }
    }

    #[test]
    fn a_list_arriving_late_never_replaces_a_form_being_typed() {
        let mut app = app();
        key(&mut app, KeyCode::Char('i'));
        key(&mut app, KeyCode::Char('x'));
        app.update(Msg::List(list(ListKind::Search, vec![])));
        assert!(matches!(app.overlay, Some(Overlay::Form(_))));
        assert!(
            app.message
                .as_ref()
                .unwrap()
                .text
                .contains("while you were busy")
        );
    }

    #[test]
    fn outbox_discard_takes_two_presses_and_escalation_moves_follow_the_domain() {
        let mut app = app();
        app.update(Msg::List(list(ListKind::Outbox, vec![row(7, "pending")])));
        assert!(key(&mut app, KeyCode::Char('d')).is_empty());
        assert_eq!(key(&mut app, KeyCode::Char('d')), vec![Effect::Discard(7)]);

        app.overlay = None;
        let now = app.now;
        app.update(Msg::Escalations(vec![escalation(
            3,
            EscalationState::Requested,
            "r",
            now,
        )]));
        // Requested → resolved is not allowed: refused before a resolution is typed.
        assert!(key(&mut app, KeyCode::Char('v')).is_empty());
        assert!(matches!(app.overlay, Some(Overlay::List(_))));
        assert!(app.message.as_ref().unwrap().error);
        let effects = key(&mut app, KeyCode::Char('a'));
        assert!(matches!(
            effects.as_slice(),
            [Effect::PatchEscalation(3, _)]
        ));
    }

    #[test]
    fn the_list_keys_are_the_key_maps_and_remap_under_tui_keys() {
        let mut app = app();
        let overrides = std::collections::BTreeMap::from([
            ("d".to_string(), "none".to_string()),
            ("x".to_string(), "discard".to_string()),
            ("A".to_string(), "acknowledge".to_string()),
        ]);
        app.settings.keys = KeyMap::with_overrides(&overrides).unwrap();
        app.update(Msg::List(list(ListKind::Outbox, vec![row(7, "pending")])));
        // The old key does nothing there now; the new one discards (pressed twice) and says so.
        assert!(key(&mut app, KeyCode::Char('d')).is_empty());
        assert!(key(&mut app, KeyCode::Char('x')).is_empty());
        let said = &app.message.as_ref().unwrap().text;
        assert!(said.contains("press x again to discard #7"), "{said}");
        assert_eq!(key(&mut app, KeyCode::Char('x')), vec![Effect::Discard(7)]);

        app.overlay = None;
        let now = app.now;
        app.update(Msg::Escalations(vec![escalation(
            3,
            EscalationState::Requested,
            "r",
            now,
        )]));
        let effects = key(&mut app, KeyCode::Char('A'));
        assert!(matches!(
            effects.as_slice(),
            [Effect::PatchEscalation(3, _)]
        ));
    }

    #[test]
    fn a_status_form_asks_for_a_close_reason_only_where_a_case_may_close() {
        let mut app = app();
        key(&mut app, KeyCode::Char('x'));
        let Some(Overlay::Form(form)) = &app.overlay else {
            panic!("no form");
        };
        // An open case may not close directly: no close reason is asked.
        assert!(form.fields.iter().all(|f| f.key != "close_reason"));
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        let effects = app.update(Msg::Key(ctrl_s));
        assert!(matches!(effects.as_slice(), [Effect::Submit(..)]));
    }

    #[test]
    fn y_copies_the_selected_case_number_unless_the_config_turned_copying_off() {
        let mut app = app();
        key(&mut app, KeyCode::Char('j'));
        let number = app.queue.selected_case().unwrap().number.to_string();
        assert_eq!(
            key(&mut app, KeyCode::Char('y')),
            vec![Effect::Copy(number.clone())]
        );
        let message = app.message.as_ref().unwrap();
        assert_eq!(message.text, format!("copied {number} to the clipboard"));
        assert!(!message.error);

        app.settings.clipboard = false;
        assert!(key(&mut app, KeyCode::Char('y')).is_empty());
        assert!(app.message.as_ref().unwrap().error);
        assert!(
            app.message
                .as_ref()
                .unwrap()
                .text
                .contains("clipboard = false")
        );
    }

    #[test]
    fn q_quits_at_once_with_nothing_unsent_and_asks_once_otherwise() {
        let mut app = app();
        assert_eq!(key(&mut app, KeyCode::Char('q')), vec![Effect::Quit]);
        assert!(app.quit);

        let mut app = app_with_unsent(3);
        assert!(key(&mut app, KeyCode::Char('q')).is_empty());
        assert!(!app.quit);
        assert_eq!(
            app.message.as_ref().unwrap().text,
            "3 changes not sent yet — q again to quit; they stay in the outbox and are sent next time"
        );
        assert_eq!(key(&mut app, KeyCode::Char('q')), vec![Effect::Quit]);
        assert!(app.quit);

        // Another key in between: the question is asked again.
        let mut app = app_with_unsent(1);
        key(&mut app, KeyCode::Char('q'));
        key(&mut app, KeyCode::Char('j'));
        assert!(key(&mut app, KeyCode::Char('q')).is_empty());
        assert!(
            app.message
                .as_ref()
                .unwrap()
                .text
                .starts_with("1 change not sent")
        );
    }

    #[test]
    fn q_in_the_demo_says_its_data_is_temporary_once() {
        let mut app = app();
        app.settings.demo = true;
        app.settings.lang = Lang::Ja;
        assert!(key(&mut app, KeyCode::Char('q')).is_empty());
        assert!(
            app.message
                .as_ref()
                .unwrap()
                .text
                .starts_with("デモのデータは一時的なもの"),
            "{}",
            app.message.as_ref().unwrap().text
        );
        assert_eq!(key(&mut app, KeyCode::Char('q')), vec![Effect::Quit]);
    }

    fn app_with_unsent(n: usize) -> App {
        let mut app = app();
        app.update(Msg::Sync(SyncStatus {
            pending: n,
            ..SyncStatus::default()
        }));
        app
    }

    #[test]
    fn a_queued_change_refused_for_good_in_the_background_is_said_once() {
        let mut app = app();
        let number: CaseNumber = "2026-1120-000001".parse().unwrap();
        let refused = crate::sync::Refusal {
            id: 7,
            case: Some(number),
            what: "owner → kimura".into(),
            why: "not allowed: tanaka has the role agent".into(),
        };
        let status = SyncStatus {
            online: true,
            refused: vec![refused],
            ..app.sync.clone()
        };
        app.update(Msg::Sync(status.clone()));
        let said = app.message.as_ref().expect("a message");
        assert!(said.error);
        assert!(
            said.text
                .starts_with("2026-1120-000001: owner → kimura refused — not allowed"),
            "{}",
            said.text
        );
        // The same round's status again says nothing new.
        app.message = None;
        app.update(Msg::Sync(status));
        assert!(app.message.is_none());
    }
}
