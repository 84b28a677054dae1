//! Marking queue rows and applying one action to every marked case, with a summary.
//!
//! Each marked case gets its own outbox entry made against its own version, so one refusal
//! never holds the others back; the changes are checked with the domain's rules first (a
//! status move the workflow does not allow is refused here, with the rule's words), then
//! sent in turn by one effect, which answers with every case's outcome at once.

use super::actions::{ask_close_reason, priority_choices, status_choices};
use super::app::{App, Effect, ListKind, ListRow, ListView, Overlay};
use super::form::{Form, Purpose};
use super::keymap::Command;
use super::picker::Picker;
use crate::api::{CasePatch, CaseSummary, Macro};
use crate::cache::PendingChange;
use crate::config::DisplayZone;
use crate::domain::{CaseNumber, CloseReason, Priority, Status, change};
use crate::term::text::{Say, Word};
use crate::term::theme::Role;

/// The cases marked in the queue.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// The marked cases, in the order they were marked.
    pub cases: Vec<CaseNumber>,
}

impl Marks {
    /// Whether a case is marked.
    pub fn contains(&self, number: &CaseNumber) -> bool {
        self.cases.contains(number)
    }

    /// How many cases are marked.
    pub fn len(&self) -> usize {
        self.cases.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    fn add(&mut self, number: CaseNumber) {
        if !self.contains(&number) {
            self.cases.push(number);
        }
    }
}

/// An action asked once for every marked case (its form's purpose).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkAsk {
    /// A new owner.
    Assign,
    /// A status move.
    Status,
    /// A priority change with its reason.
    Priority,
}

/// What one marked case gets.
#[derive(Debug, Clone, PartialEq)]
pub enum Work {
    /// These changes, in order.
    Changes(Vec<PendingChange>),
    /// A macro, planned on the case's detail when the effect runs (the queue holds only
    /// summaries): its note and its changes.
    Macro(Box<Macro>, String, DisplayZone),
}

/// One marked case's part of a bulk action.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkItem {
    /// The case.
    pub number: CaseNumber,
    /// The version the changes are made against.
    pub version: i64,
    /// What it gets.
    pub work: Work,
}

/// A bulk action for the effect to carry out: the changes to send, and the cases already
/// refused here (reported with the rest).
#[derive(Debug, Clone, PartialEq)]
pub struct BulkRun {
    /// The cases to change, in the queue's order.
    pub items: Vec<BulkItem>,
    /// Cases refused before sending, with the rule's words.
    pub refused: Vec<(CaseNumber, String)>,
}

/// What became of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server has the change.
    Done,
    /// Queued offline under this outbox id.
    Queued(i64),
    /// Not done: why (the rule's or the server's words).
    Refused(String),
}

/// Every case's outcome of a bulk action, as the effect reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BulkReport {
    /// Each case and its outcome, in the order they were tried.
    pub outcomes: Vec<(CaseNumber, Outcome)>,
}

impl BulkReport {
    /// How many were done, queued and refused.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for (_, o) in &self.outcomes {
            match o {
                Outcome::Done => counts.0 += 1,
                Outcome::Queued(_) => counts.1 += 1,
                Outcome::Refused(_) => counts.2 += 1,
            }
        }
        counts
    }
}

/// Marks or unmarks as `cmd` says (one row, a range, every row shown).
pub fn mark(app: &mut App, cmd: Command) -> Vec<Effect> {
    let mut effects = Vec::new();
    match cmd {
        Command::Mark => {
            let Some(number) = app.queue.selected_case().map(|c| c.number) else {
                return Vec::new();
            };
            if app.marks.contains(&number) {
                app.marks.cases.retain(|n| *n != number);
            } else {
                app.marks.add(number);
            }
            effects = app.run(Command::Down, "");
        }
        Command::MarkRange => {
            let to = app.queue.selected();
            // From the last mark still shown; with none, the range is the row itself.
            let from = app
                .marks
                .cases
                .iter()
                .rev()
                .find_map(|n| app.queue.position_of(n))
                .unwrap_or(to);
            for i in from.min(to)..=from.max(to) {
                if let Some(number) = app.queue.shown(i).map(|c| c.number) {
                    app.marks.add(number);
                }
            }
        }
        Command::MarkAll => {
            let shown: Vec<CaseNumber> = app.queue.shown_cases().map(|c| c.number).collect();
            if !shown.is_empty() && shown.iter().all(|n| app.marks.contains(n)) {
                let n = app.marks.len();
                app.marks.cases.clear();
                app.notice(app.lang().say(Say::MarksCleared(n)), false);
                return Vec::new();
            }
            for number in shown {
                app.marks.add(number);
            }
        }
        _ => return Vec::new(),
    }
    let said = app.lang().say(Say::Marked(app.marks.len()));
    app.notice(said, false);
    effects
}

/// Clears every mark (Esc in the queue); `false` when there were none.
pub fn clear(app: &mut App) -> bool {
    if app.marks.is_empty() {
        return false;
    }
    let n = app.marks.len();
    app.marks.cases.clear();
    app.notice(app.lang().say(Say::MarksCleared(n)), false);
    true
}

/// Drops the marks of cases that left the saved view (after a reload or a view switch); a
/// case only hidden by the live filter stays marked.
pub fn prune(app: &mut App) {
    let queue = &app.queue;
    app.marks.cases.retain(|n| queue.in_view(n));
}

/// The marked cases the queue still holds, in the queue's order, with the version each change
/// is made against.
fn marked(app: &App) -> Vec<(CaseSummary, i64)> {
    let mut cases: Vec<(usize, CaseSummary)> = app
        .queue
        .all()
        .filter(|c| app.marks.contains(&c.number) && app.queue.in_view(&c.number))
        .map(|c| {
            (
                app.queue.position_of(&c.number).unwrap_or(usize::MAX),
                c.clone(),
            )
        })
        .collect();
    cases.sort_by_key(|(at, _)| *at);
    cases
        .into_iter()
        .map(|(_, c)| {
            let version = app.version_of(&c);
            (c, version)
        })
        .collect()
}

/// Starts `cmd` (take, assign, status, priority) on every marked case: at once for a take or
/// an `:assign NAME`, else through one form asked once.
pub fn start(app: &mut App, cmd: Command, arg: &str) -> Vec<Effect> {
    let lang = app.lang();
    let n = marked(app).len();
    let title_of = |what: Word| lang.form_title(what, &lang.say(Say::MarkedCases(n)), None);
    let form = match cmd {
        Command::Take => {
            let Some(me) = app.me.as_ref().map(|m| m.name.clone()) else {
                app.notice(lang.say(Say::WhoUnknown), true);
                return Vec::new();
            };
            return assign_to(app, Some(me));
        }
        Command::Assign if !arg.is_empty() => {
            let owner = (arg != "none").then(|| arg.to_string());
            return assign_to(app, owner.or(Some(String::new())));
        }
        Command::Assign => {
            let mut form = Form::new(title_of(Word::AssignTitle), Purpose::Bulk(BulkAsk::Assign))
                .line("owner", lang.word(Word::OwnerField), "");
            form.picker = Some(Picker::new("owner", app.people.clone(), None));
            form
        }
        Command::Status => {
            let initial = arg
                .parse::<Status>()
                .ok()
                .and_then(|s| Status::ALL.iter().position(|n| *n == s))
                .unwrap_or(0);
            let form = Form::new(title_of(Word::StatusTitle), Purpose::Bulk(BulkAsk::Status))
                .choice(
                    "status",
                    lang.word(Word::NewStatus),
                    status_choices(lang, Status::ALL),
                    initial,
                );
            ask_close_reason(form, lang).line("reason", lang.word(Word::HistoryNote), "")
        }
        Command::Priority => {
            let initial = arg
                .parse::<Priority>()
                .map_or(0, |p| p as usize - Priority::P1 as usize);
            Form::new(
                title_of(Word::PriorityTitle),
                Purpose::Bulk(BulkAsk::Priority),
            )
            .choice(
                "priority",
                lang.word(Word::NewPriority),
                priority_choices(lang),
                initial,
            )
            .line("reason", lang.word(Word::WhyRequired), "")
        }
        _ => return Vec::new(),
    };
    app.overlay = Some(Overlay::Form(form));
    Vec::new()
}

/// What the bulk form asks for, or what is wrong with it (shown in the form).
pub fn submit(app: &mut App, ask: BulkAsk, form: &mut Form) -> Result<Vec<Effect>, String> {
    let lang = app.lang();
    let parse_error = |e: crate::domain::ParseError| e.to_string();
    match ask {
        BulkAsk::Assign => {
            super::picker::check(form, lang)?;
            Ok(assign_to(app, Some(form.value("owner"))))
        }
        BulkAsk::Status => {
            let to: Status = form.value("status").parse().map_err(parse_error)?;
            let reason_text = form.value("close_reason");
            let close_reason = if reason_text.is_empty() {
                None
            } else {
                Some(reason_text.parse::<CloseReason>().map_err(parse_error)?)
            };
            if to == Status::Closed && close_reason.is_none() {
                return Err(lang.say(Say::Required(lang.word(Word::CloseReason))));
            }
            let note = form.value("reason");
            let patch = CasePatch {
                status: Some(to),
                close_reason,
                reason: (!note.is_empty()).then_some(note),
                ..CasePatch::default()
            };
            Ok(per_case(app, |_, c| {
                c.status
                    .transition(to, close_reason)
                    .map(|_| PendingChange::Patch(patch.clone()))
                    .map_err(|e| lang.transition_error(&e))
            }))
        }
        BulkAsk::Priority => {
            let to: Priority = form.value("priority").parse().map_err(parse_error)?;
            let reason = form.value("reason");
            let reason = change::priority_reason(Some(&reason))
                .map_err(|_| lang.say(Say::Required(lang.word(Word::PriorityReasonWhat))))?
                .to_string();
            Ok(per_case(app, |_, c| {
                if c.priority == to {
                    return Err(lang.say(Say::AlreadyPriority(to.as_str())));
                }
                Ok(PendingChange::Patch(CasePatch {
                    priority: Some(to),
                    reason: Some(reason.clone()),
                    ..CasePatch::default()
                }))
            }))
        }
    }
}

/// Gives every marked case to `owner` (empty: unassigned), each checked against the role's
/// rule for owner changes first.
fn assign_to(app: &mut App, owner: Option<String>) -> Vec<Effect> {
    let owner = owner.unwrap_or_default();
    let lang = app.lang();
    per_case(app, |app, c| {
        if !owner.is_empty() && c.owner.as_deref() == Some(owner.as_str()) {
            let mine = app.me.as_ref().is_some_and(|m| m.name == owner);
            return Err(if mine {
                lang.say(Say::AlreadyYours(&c.number.to_string()))
            } else {
                format!("{} → {owner}: {}", c.number, lang.word(Word::OwnerField))
            });
        }
        let to = (!owner.is_empty()).then_some(owner.as_str());
        if let Some(why) = super::actions::owner_refusal(app, &c.number, c.owner.as_deref(), to) {
            return Err(why);
        }
        Ok(PendingChange::Patch(CasePatch {
            owner: Some(owner.clone()),
            ..CasePatch::default()
        }))
    })
}

/// One change per marked case as `change_for` makes it (or refuses it), run as one effect.
fn per_case(
    app: &mut App,
    change_for: impl Fn(&App, &CaseSummary) -> Result<PendingChange, String>,
) -> Vec<Effect> {
    let mut run = BulkRun {
        items: Vec::new(),
        refused: Vec::new(),
    };
    for (case, version) in marked(app) {
        match change_for(app, &case) {
            Ok(change) => run.items.push(BulkItem {
                number: case.number,
                version,
                work: Work::Changes(vec![change]),
            }),
            Err(why) => run.refused.push((case.number, why)),
        }
    }
    begin(app, run)
}

/// Applies a macro to every marked case (the picker's Enter while cases are marked): each
/// case's note and changes are planned from its detail when the effect runs.
pub fn apply_macro(app: &mut App, m: &Macro) -> Vec<Effect> {
    let Some(me) = app.me.as_ref().map(|m| m.name.clone()) else {
        app.notice(app.lang().say(Say::WhoUnknown), true);
        return Vec::new();
    };
    let zone = app.settings.zone;
    let items = marked(app)
        .into_iter()
        .map(|(c, version)| BulkItem {
            number: c.number,
            version,
            work: Work::Macro(Box::new(m.clone()), me.clone(), zone),
        })
        .collect();
    begin(
        app,
        BulkRun {
            items,
            refused: Vec::new(),
        },
    )
}

/// Sends the run, or — when every case was refused here — reports at once.
fn begin(app: &mut App, run: BulkRun) -> Vec<Effect> {
    if run.items.is_empty() {
        let report = BulkReport {
            outcomes: run
                .refused
                .into_iter()
                .map(|(n, why)| (n, Outcome::Refused(why)))
                .collect(),
        };
        finished(app, report);
        return Vec::new();
    }
    app.notice(app.lang().say(Say::Sending), false);
    vec![Effect::Bulk(Box::new(run))]
}

/// Takes in a bulk action's outcomes: says how many were done, lists the refused with their
/// reasons, and keeps only the refused marked (so they can be tried again).
pub fn finished(app: &mut App, report: BulkReport) {
    let lang = app.lang();
    let (done, queued, refused) = report.counts();
    let summary = lang.say(Say::BulkSummary(done, queued, refused));
    let left: Vec<CaseNumber> = report
        .outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Refused(_)))
        .map(|(n, _)| *n)
        .collect();
    app.marks.cases.retain(|n| left.contains(n));
    app.notice(summary.clone(), refused > 0);
    if refused == 0 {
        return;
    }
    let rows = report
        .outcomes
        .iter()
        .filter_map(|(n, o)| match o {
            Outcome::Refused(why) => Some(ListRow {
                cells: vec![
                    n.to_string(),
                    crate::sanitize::clean(why, true).into_owned(),
                ],
                case: Some(*n),
                id: None,
                role: Some(Role::Error),
            }),
            _ => None,
        })
        .collect();
    let list = ListView {
        kind: ListKind::Bulk,
        title: format!("{} — {summary}", lang.word(Word::BulkNotDone)),
        header: vec![
            lang.word(Word::ColCase).to_string(),
            lang.word(Word::ColWhy).to_string(),
        ],
        rows,
        selected: 0,
        hint: lang.word(Word::HintOpenCaseClose).to_string(),
    };
    // A form opened meanwhile is not covered: the message line says it all.
    if app.overlay.is_none() {
        app.overlay = Some(Overlay::List(list));
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::api::{Me, Role as ApiRole};
    use crate::tui::app::Msg;
    use crate::tui::app::tests::app;

    fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
        app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn case(n: u32) -> CaseNumber {
        format!("2026-1120-{n:06}").parse().expect("a case number")
    }

    fn marked_numbers(app: &App) -> Vec<u32> {
        let mut all: Vec<u32> = app
            .marks
            .cases
            .iter()
            .map(|c| c.to_string()[10..].parse().unwrap_or(0))
            .collect();
        all.sort();
        all
    }

    fn as_agent(app: &mut App, name: &str) {
        app.update(Msg::Me(Me {
            name: name.into(),
            role: ApiRole::Agent,
        }));
    }

    #[test]
    fn space_marks_and_moves_down_then_unmarks() {
        let mut app = app();
        let first = app.queue.selected_case().map(|c| c.number);
        key(&mut app, KeyCode::Char(' '));
        key(&mut app, KeyCode::Char(' '));
        assert_eq!(app.marks.len(), 2);
        assert_eq!(app.queue.selected(), 2, "each mark moves the cursor down");
        assert_eq!(
            app.message.as_ref().map(|m| m.text.as_str()),
            Some("2 marked")
        );
        app.queue.select_edge(false);
        key(&mut app, KeyCode::Char(' '));
        assert_eq!(app.marks.len(), 1);
        assert!(!app.marks.contains(&first.expect("a first row")));
    }

    #[test]
    fn v_marks_from_the_last_mark_to_the_cursor_and_star_toggles_all_shown() {
        let mut app = app();
        key(&mut app, KeyCode::Char(' ')); // row 0, cursor to 1
        app.queue.move_by(2); // row 3
        key(&mut app, KeyCode::Char('V'));
        assert_eq!(app.marks.len(), 4, "rows 0..=3");
        key(&mut app, KeyCode::Char('*'));
        assert_eq!(app.marks.len(), 5);
        key(&mut app, KeyCode::Char('*'));
        assert!(app.marks.is_empty(), "again unmarks all");
        // Esc in the queue clears marks.
        key(&mut app, KeyCode::Char('*'));
        key(&mut app, KeyCode::Esc);
        assert!(app.marks.is_empty());
    }

    #[test]
    fn star_marks_only_the_filtered_rows_and_a_reload_keeps_marks_by_number() {
        let mut app = app();
        app.run(Command::Filter, "東京");
        key(&mut app, KeyCode::Char('*'));
        assert_eq!(marked_numbers(&app), [3]);
        // A reload with case 3 still there keeps it marked; without it, drops it.
        let rows = (1..=5)
            .map(|n| {
                super::super::queue::Row::new(crate::tui::queue::tests::summary(n, "x", "東京"))
            })
            .collect();
        app.update(Msg::Cases(rows, Vec::new()));
        assert_eq!(marked_numbers(&app), [3]);
        let rows = [1, 2]
            .into_iter()
            .map(|n| {
                super::super::queue::Row::new(crate::tui::queue::tests::summary(n, "x", "東京"))
            })
            .collect();
        app.update(Msg::Cases(rows, Vec::new()));
        assert!(
            app.marks.is_empty(),
            "a case that left the view leaves the marks"
        );
    }

    #[test]
    fn take_with_marks_makes_one_effect_with_a_change_per_case_and_refuses_others_cases() {
        let mut app = app();
        as_agent(&mut app, "tanaka");
        // Case 2 is sato's: an agent may not take it (the server's rule, checked here).
        let mut rows: Vec<_> = (1..=5)
            .map(|n| crate::tui::queue::tests::summary(n, "x", "Osaka"))
            .collect();
        rows[1].owner = Some("sato".into());
        app.update(Msg::Cases(
            rows.into_iter()
                .map(super::super::queue::Row::new)
                .collect(),
            Vec::new(),
        ));
        key(&mut app, KeyCode::Char('*'));
        let effects = key(&mut app, KeyCode::Char('t'));
        let [Effect::Bulk(run)] = effects.as_slice() else {
            panic!("one bulk effect, got {effects:?}");
        };
        assert_eq!(run.items.len(), 4);
        for item in &run.items {
            assert_eq!(
                item.work,
                Work::Changes(vec![PendingChange::Patch(CasePatch {
                    owner: Some("tanaka".into()),
                    ..CasePatch::default()
                })])
            );
            assert_eq!(item.version, 1);
        }
        assert_eq!(run.refused.len(), 1);
        assert_eq!(run.refused[0].0, case(2));
        assert!(run.refused[0].1.contains("lead"), "{}", run.refused[0].1);
    }

    #[test]
    fn a_status_form_asked_once_refuses_moves_the_workflow_does_not_allow() {
        let mut app = app();
        as_agent(&mut app, "tanaka");
        let mut rows: Vec<_> = (1..=3)
            .map(|n| crate::tui::queue::tests::summary(n, "x", "Osaka"))
            .collect();
        rows[2].status = Status::New;
        app.update(Msg::Cases(
            rows.into_iter()
                .map(super::super::queue::Row::new)
                .collect(),
            Vec::new(),
        ));
        key(&mut app, KeyCode::Char('*'));
        app.run(Command::Status, "resolved");
        let Some(Overlay::Form(mut form)) = app.overlay.take() else {
            panic!("the bulk status form");
        };
        assert_eq!(form.title, "Status of 3 marked cases");
        let effects = submit(&mut app, BulkAsk::Status, &mut form).expect("sent");
        let [Effect::Bulk(run)] = effects.as_slice() else {
            panic!("one bulk effect, got {effects:?}");
        };
        assert_eq!(run.items.len(), 2);
        assert_eq!(run.refused.len(), 1);
        assert_eq!(run.refused[0].0, case(3));
        assert!(
            run.refused[0]
                .1
                .starts_with("cannot move a case from New to Resolved"),
            "{}",
            run.refused[0].1
        );
    }

    #[test]
    fn the_summary_counts_outcomes_lists_the_refused_and_keeps_only_them_marked() {
        let mut app = app();
        key(&mut app, KeyCode::Char('*'));
        let report = BulkReport {
            outcomes: vec![
                (case(1), Outcome::Done),
                (case(2), Outcome::Refused("only a lead may".into())),
                (case(3), Outcome::Queued(7)),
                (case(4), Outcome::Done),
                (case(5), Outcome::Refused("closed".into())),
            ],
        };
        app.update(Msg::Bulk(report));
        assert_eq!(
            app.message.as_ref().map(|m| m.text.as_str()),
            Some("2 done, 1 queued offline, 2 refused")
        );
        assert_eq!(marked_numbers(&app), [2, 5]);
        let Some(Overlay::List(list)) = &app.overlay else {
            panic!("the refused are listed");
        };
        assert_eq!(list.kind, ListKind::Bulk);
        let cells: Vec<Vec<String>> = list.rows.iter().map(|r| r.cells.clone()).collect();
        assert_eq!(
            cells,
            [
                ["2026-1120-000002", "only a lead may"],
                ["2026-1120-000005", "closed"]
            ]
        );
        // Every case done: the message alone, no list, no marks left.
        app.overlay = None;
        app.update(Msg::Bulk(BulkReport {
            outcomes: vec![(case(2), Outcome::Done), (case(5), Outcome::Done)],
        }));
        assert!(app.overlay.is_none());
        assert!(app.marks.is_empty());
        assert_eq!(
            app.message.as_ref().map(|m| m.text.as_str()),
            Some("2 done, 0 refused")
        );
    }
}
