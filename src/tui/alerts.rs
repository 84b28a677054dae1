//! Alerts that reach an engineer whose TUI is in a background window: the triggers, the bell
//! and desktop notification, the list (`:alerts`).
//!
//! Everything is computed from the old and the new state when the cached cases are re-read
//! (`Msg::Cases`, which both the live event stream and polling end in), the clock ticks, or the
//! customer replies on my cases are read (`Msg::CustomerReplies`). The first load after start
//! is the baseline: it alerts nothing but what is due soon. Each case alerts once per trigger
//! (a case due soon once per deadline, a reply once per reply); more than three alerts at
//! once become one summary.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::app::{App, Effect, ListKind, ListRow, ListView};
use crate::api::CaseSummary;
use crate::cache::PendingChange;
use crate::config::{AlertSettings, Trigger};
use crate::domain::{CaseNumber, Priority};
use crate::term::notify::Notice;
use crate::term::text::{Lang, Say, Word};

/// More alerts than this in one update become one summary.
const MAX_SINGLE: usize = 3;

/// A case created up to this long before the first load still counts as new when it first
/// appears (the server's clock and ours may differ a little).
const NEW_SLACK_SECS: i64 = 300;

/// The customer's latest reply on each of my open cases (`None`: none yet), as the cache
/// holds their details.
pub type Replies = HashMap<CaseNumber, Option<DateTime<Utc>>>;

/// One alert raised this session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raised {
    /// When.
    pub at: DateTime<Utc>,
    /// What raised it.
    pub trigger: Trigger,
    /// The case.
    pub case: CaseNumber,
    /// What the message line said of it.
    pub words: String,
}

/// What a case looked like at the last load, to compare the next one with.
#[derive(Debug, Clone)]
struct Known {
    version: i64,
    priority: Priority,
    owner: Option<String>,
    escalations: u32,
}

/// An alert found, before the rate limit.
#[derive(Debug, Clone)]
struct Found {
    trigger: Trigger,
    case: CaseNumber,
    /// A deadline or a reply's instant: a new one alerts again.
    instant: Option<DateTime<Utc>>,
    subject: String,
    detail: String,
}

/// The alerts raised this session, and what the triggers compare with.
#[derive(Debug, Clone)]
pub struct Alerts {
    settings: AlertSettings,
    /// The first load (the baseline); `None` before it.
    started: Option<DateTime<Utc>>,
    known: HashMap<CaseNumber, Known>,
    replies: Option<Replies>,
    told: HashSet<(CaseNumber, Trigger, Option<DateTime<Utc>>)>,
    /// Changes I made myself (a take, a priority raised), which alert nobody.
    own: HashSet<(CaseNumber, Trigger)>,
    /// This session's alerts, oldest first.
    pub raised: Vec<Raised>,
}

impl Default for Alerts {
    /// Off: an app built without settings (tests, snapshots) raises nothing.
    fn default() -> Self {
        Alerts::new(AlertSettings::off())
    }
}

impl Alerts {
    /// Alerts with these settings.
    pub fn new(settings: AlertSettings) -> Alerts {
        Alerts {
            settings,
            started: None,
            known: HashMap::new(),
            replies: None,
            told: HashSet::new(),
            own: HashSet::new(),
            raised: Vec::new(),
        }
    }

    /// The settings.
    pub fn settings(&self) -> &AlertSettings {
        &self.settings
    }

    /// Another desk (a profile switch): its first load is a new baseline.
    pub fn forget_desk(&mut self) {
        let settings = self.settings.clone();
        let raised = std::mem::take(&mut self.raised);
        *self = Alerts::new(settings);
        self.raised = raised;
    }

    /// Notes the changes I am making myself in `effects` (one case, a macro's steps, a bulk
    /// action): the case I take and the priority I set alert nobody when they come back.
    pub fn note_own(&mut self, effects: &[Effect], me: Option<&str>) {
        if !self.settings.enabled {
            return;
        }
        for effect in effects {
            match effect {
                Effect::Submit(number, change, _) => self.note_change(*number, change, me),
                Effect::SubmitAll(number, changes, _) => {
                    for change in changes {
                        self.note_change(*number, change, me);
                    }
                }
                Effect::Bulk(run) => {
                    for item in &run.items {
                        match &item.work {
                            super::bulk::Work::Changes(changes) => {
                                for change in changes {
                                    self.note_change(item.number, change, me);
                                }
                            }
                            super::bulk::Work::Macro(m, ..) => {
                                let c = &m.changes;
                                let mine = c
                                    .owner
                                    .as_deref()
                                    .is_some_and(|o| o == "me" || (me.is_some() && Some(o) == me));
                                if mine {
                                    self.own.insert((item.number, Trigger::AssignedToMe));
                                }
                                if c.priority.is_some() {
                                    self.own.insert((item.number, Trigger::NewPriority));
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn note_change(&mut self, number: CaseNumber, change: &PendingChange, me: Option<&str>) {
        let PendingChange::Patch(patch) = change else {
            return;
        };
        if patch.owner.is_some() && patch.owner.as_deref() == me {
            self.own.insert((number, Trigger::AssignedToMe));
        }
        if patch.priority.is_some() {
            self.own.insert((number, Trigger::NewPriority));
        }
    }

    /// A case I opened myself alerts nobody as new.
    pub fn note_opened(&mut self, number: CaseNumber) {
        self.own.insert((number, Trigger::NewPriority));
        self.own.insert((number, Trigger::AssignedToMe));
    }

    fn watched(&self, p: Priority) -> bool {
        self.settings.new_priorities.contains(&p)
    }
}

/// After the cached cases were re-read (already in the queue): compares them with the last
/// load, and asks for the customer replies on my cases.
pub fn on_cases(app: &mut App) -> Vec<Effect> {
    if !app.alerts.settings.enabled {
        return Vec::new();
    }
    let now = app.now;
    let me = app.me.as_ref().map(|m| m.name.clone());
    let lead = app.is_lead();
    let alerts = &mut app.alerts;
    let first = alerts.started.is_none();
    let started = *alerts.started.get_or_insert(now);
    let mut old = std::mem::take(&mut alerts.known);
    let mut known = HashMap::with_capacity(old.len());
    let mut found = Vec::new();
    let is_me = |owner: Option<&str>| me.is_some() && owner == me.as_deref();
    for c in app.queue.all() {
        let before = old.remove(&c.number);
        let open = c.status.is_open();
        if !first && open {
            let mut add = |trigger: Trigger| found.push(found_in(c, trigger, None, ""));
            match &before {
                Some(b) if b.version == c.version => {}
                Some(b) => {
                    if alerts.watched(c.priority) && !alerts.watched(b.priority) {
                        add(Trigger::NewPriority);
                    }
                    if is_me(c.owner.as_deref()) && !is_me(b.owner.as_deref()) {
                        add(Trigger::AssignedToMe);
                    }
                    if lead && c.open_escalations > b.escalations {
                        add(Trigger::Escalation);
                    }
                }
                None if (started - c.created_at).num_seconds() <= NEW_SLACK_SECS => {
                    if alerts.watched(c.priority) {
                        add(Trigger::NewPriority);
                    }
                    if is_me(c.owner.as_deref()) {
                        add(Trigger::AssignedToMe);
                    }
                }
                None => {}
            }
        }
        let keep = match before {
            Some(b) if b.version == c.version => b,
            _ => Known {
                version: c.version,
                priority: c.priority,
                owner: c.owner.clone(),
                escalations: c.open_escalations,
            },
        };
        known.insert(c.number, keep);
    }
    for f in &mut found {
        if f.trigger == Trigger::NewPriority {
            f.detail = app
                .queue
                .all()
                .find(|c| c.number == f.case)
                .map_or_else(String::new, |c| c.priority.to_string());
        }
    }
    app.alerts.known = known;
    found.extend(due_soon(app));
    let mut effects = raise(app, found);
    if app.alerts.settings.wants(Trigger::CustomerReplied)
        && let Some(me) = me
    {
        effects.push(Effect::CustomerReplies(me));
    }
    effects
}

/// Who I am became known: what of my cases is due soon alerts.
pub fn on_me(app: &mut App) -> Vec<Effect> {
    if !app.alerts.settings.enabled || app.alerts.started.is_none() {
        return Vec::new();
    }
    let found = due_soon(app);
    raise(app, found)
}

/// The clock ticked: my cases that came within the due span.
pub fn on_tick(app: &mut App) -> Vec<Effect> {
    if !app.alerts.settings.enabled || app.alerts.started.is_none() {
        return Vec::new();
    }
    let found = due_soon(app);
    raise(app, found)
}

/// The customer's latest replies on my cases: a reply newer than the last read alerts. The
/// first read is the baseline, and so is a case's first read (it just became mine).
pub fn on_replies(app: &mut App, replies: Replies) -> Vec<Effect> {
    if !app.alerts.settings.wants(Trigger::CustomerReplied) {
        return Vec::new();
    }
    let Some(before) = app.alerts.replies.replace(replies) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if let Some(now) = &app.alerts.replies {
        for (number, at) in now {
            let newer = before.get(number).is_some_and(|old| at > old);
            if newer && let Some(c) = app.queue.all().find(|c| c.number == *number) {
                found.push(found_in(c, Trigger::CustomerReplied, *at, ""));
            }
        }
    }
    raise(app, found)
}

fn found_in(
    c: &CaseSummary,
    trigger: Trigger,
    instant: Option<DateTime<Utc>>,
    detail: &str,
) -> Found {
    Found {
        trigger,
        case: c.number,
        instant,
        subject: c.subject.clone(),
        detail: detail.to_string(),
    }
}

/// My cases whose next deadline is within the span (not yet past), each deadline once.
fn due_soon(app: &App) -> Vec<Found> {
    let Some(within) = app.alerts.settings.due_within else {
        return Vec::new();
    };
    let Some(me) = app.me.as_ref().map(|m| m.name.as_str()) else {
        return Vec::new();
    };
    let now = app.now;
    let lang = app.lang();
    app.queue
        .all()
        .filter(|c| c.status.is_open() && c.owner.as_deref() == Some(me))
        .filter_map(|c| {
            let due = c.next_due?;
            let left = (due - now).num_seconds();
            let fresh = !app
                .alerts
                .told
                .contains(&(c.number, Trigger::DueSoon, Some(due)));
            (left > 0 && left <= within && fresh).then(|| {
                found_in(
                    c,
                    Trigger::DueSoon,
                    Some(due),
                    &lang.countdown(Some(due), now),
                )
            })
        })
        .collect()
}

/// Raises what was found and is new: each into the list, the message line (one summary for
/// several), and the bell and desktop notification (one summary for more than three).
fn raise(app: &mut App, found: Vec<Found>) -> Vec<Effect> {
    let settings = app.alerts.settings.clone();
    let fresh: Vec<Found> = found
        .into_iter()
        .filter(|f| settings.wants(f.trigger))
        .filter(|f| !app.alerts.own.remove(&(f.case, f.trigger)))
        .filter(|f| {
            // Due soon and replies alert once per deadline and per reply, the rest once.
            let instant = match f.trigger {
                Trigger::DueSoon | Trigger::CustomerReplied => f.instant,
                _ => None,
            };
            app.alerts.told.insert((f.case, f.trigger, instant))
        })
        .collect();
    if fresh.is_empty() {
        return Vec::new();
    }
    let lang = app.lang();
    let now = app.now;
    let mut bodies = Vec::new();
    for f in &fresh {
        let number = f.case.to_string();
        let subject = crate::sanitize::clean(&f.subject, true);
        let words = lang.say(Say::Alert(f.trigger, &number, &subject, &f.detail));
        bodies.push(words.clone());
        app.alerts.raised.push(Raised {
            at: now,
            trigger: f.trigger,
            case: f.case,
            words,
        });
    }
    let summary = (fresh.len() > 1).then(|| summary(lang, &settings, &fresh));
    let line = summary.clone().unwrap_or_else(|| bodies[0].clone());
    // The marker belongs to the message line only: the list and the notification have their own.
    app.notice(format!("!! {line}"), false);
    if let Some(m) = app.message.as_mut() {
        m.alert = true;
    }
    let notices: Vec<String> = if fresh.len() > MAX_SINGLE {
        summary.into_iter().collect()
    } else {
        bodies
    };
    notices
        .into_iter()
        .map(|body| {
            Effect::Notify(Notice {
                bell: settings.bell,
                desktop: settings.desktop,
                body,
            })
        })
        .collect()
}

/// "5 new alerts: 2 new P1, 3 due within 30m".
fn summary(lang: Lang, settings: &AlertSettings, fresh: &[Found]) -> String {
    let parts: Vec<String> = Trigger::ALL
        .iter()
        .filter_map(|t| {
            let of: Vec<&Found> = fresh.iter().filter(|f| f.trigger == *t).collect();
            if of.is_empty() {
                return None;
            }
            let detail = match t {
                Trigger::NewPriority => {
                    let mut ps: Vec<&str> = of.iter().map(|f| f.detail.as_str()).collect();
                    ps.sort_unstable();
                    ps.dedup();
                    ps.join("/")
                }
                Trigger::DueSoon => {
                    crate::sla::span::compact(settings.due_within.unwrap_or_default())
                }
                _ => String::new(),
            };
            Some(lang.say(Say::AlertCount(*t, of.len(), &detail)))
        })
        .collect();
    let sep = match lang {
        Lang::En => ", ",
        Lang::Ja => "、",
    };
    lang.say(Say::AlertSummary(fresh.len(), &parts.join(sep)))
}

/// `:alerts` / `!`: this session's alerts, newest first; Enter opens the case.
pub fn show(app: &mut App) -> Vec<Effect> {
    let lang = app.lang();
    if !app.alerts.settings.enabled {
        app.notice(lang.say(Say::AlertsOff), false);
        return Vec::new();
    }
    if app.alerts.raised.is_empty() {
        app.notice(lang.say(Say::NoAlertsYet), false);
        return Vec::new();
    }
    let list = alert_list(lang, app.settings.zone, &app.alerts.raised);
    app.overlay = Some(super::app::Overlay::List(list));
    Vec::new()
}

/// The alert list as the list overlay shows it.
pub fn alert_list(lang: Lang, zone: crate::config::DisplayZone, raised: &[Raised]) -> ListView {
    let rows = raised
        .iter()
        .rev()
        .map(|r| ListRow {
            cells: vec![
                zone.format(r.at, "%H:%M:%S"),
                lang.word(trigger_word(r.trigger)).to_string(),
                r.case.to_string(),
                r.words.clone(),
            ],
            case: Some(r.case),
            id: None,
            role: Some(crate::term::theme::Role::DueSoon),
        })
        .collect();
    ListView {
        kind: ListKind::Alerts,
        title: format!("{} ({})", lang.word(Word::AlertsTitle), raised.len()),
        header: [
            Word::ColTime,
            Word::ColTrigger,
            Word::ColCase,
            Word::ColWhat,
        ]
        .map(|w| lang.word(w).to_string())
        .to_vec(),
        rows,
        selected: 0,
        hint: lang.word(Word::HintOpenCaseClose).into(),
    }
}

/// A trigger's name in the list.
fn trigger_word(t: Trigger) -> Word {
    match t {
        Trigger::NewPriority => Word::TriggerNewPriority,
        Trigger::AssignedToMe => Word::TriggerAssigned,
        Trigger::CustomerReplied => Word::TriggerReplied,
        Trigger::DueSoon => Word::TriggerDueSoon,
        Trigger::Escalation => Word::TriggerEscalation,
    }
}

#[cfg(test)]
mod tests;
