//! SLA clocks computed from a case's history (SPEC §2.5–2.6).
//!
//! The history is replayed in time order. Each clock keeps the spans during which it counted;
//! its due instant is where the target's working time runs out across those spans, so a pause,
//! a priority change or a tier change needs no special arithmetic: the due instant is simply
//! recomputed from the same spans with the new target. A breach is recorded the moment an
//! event finds a due instant already passed, and stays recorded whatever changes later.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::calendar::{CalendarError, Calendars};
use super::policy::{Metric, Policies, Target};
use super::worktime::OutOfRange;
use crate::domain::{Channel, ContractTier, Party, Priority, RmaNumber, Status, Visibility};

/// What happened on a case, as far as the clocks care.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum CaseEvent {
    /// Priority changed; `temporary` marks the P1 downgrade after failed contact.
    PriorityChanged {
        /// The new priority.
        to: Priority,
        /// Whether this is the temporary P1 → P2 downgrade that can be restored.
        #[serde(default)]
        temporary: bool,
    },
    /// Contract tier changed.
    TierChanged {
        /// The new tier.
        to: ContractTier,
    },
    /// Status changed.
    StatusChanged {
        /// The new status.
        to: Status,
    },
    /// A note was added.
    Note {
        /// Public (the customer sees it) or internal.
        visibility: Visibility,
        /// Who wrote it.
        by: Party,
    },
    /// Support talked to the customer on the phone; counts as a response and an update.
    CallLogged,
    /// Support tried and failed to reach the customer.
    ContactFailed,
    /// An RMA was issued: its defective unit is now due back.
    RmaIssued {
        /// The RMA.
        rma: RmaNumber,
    },
    /// An RMA's defective unit came back, or the RMA was closed or cancelled.
    RmaSettled {
        /// The RMA.
        rma: RmaNumber,
    },
}

/// A case event at an instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TimedEvent {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened.
    #[serde(flatten)]
    pub event: CaseEvent,
}

/// Everything the clocks of one case are computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CaseHistory {
    /// When the case was opened.
    pub created_at: DateTime<Utc>,
    /// Priority at creation.
    pub priority: Priority,
    /// Contract tier at creation.
    pub tier: ContractTier,
    /// How the case came in.
    pub channel: Channel,
    /// The site's business calendar, when it is not the policies' default.
    #[serde(default)]
    pub calendar: Option<String>,
    /// What happened since, in any order (replayed by time, ties in the given order).
    #[serde(default)]
    pub events: Vec<TimedEvent>,
}

/// Which clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    /// From creation to the first public response by support.
    FirstResponse,
    /// From the latest public update by support to the next one due.
    Update,
    /// Waiting on the customer: the case closes when this runs out.
    AutoClose,
    /// An RMA's defective unit is due back.
    RmaReturn,
}

impl ClockKind {
    /// Every clock.
    pub const ALL: [ClockKind; 4] = [
        ClockKind::FirstResponse,
        ClockKind::Update,
        ClockKind::AutoClose,
        ClockKind::RmaReturn,
    ];

    /// The wire name, as the API writes it (`first_response`); what people read is the text
    /// layer's (`Lang::clock_kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            ClockKind::FirstResponse => "first_response",
            ClockKind::Update => "update",
            ClockKind::AutoClose => "auto_close",
            ClockKind::RmaReturn => "rma_return",
        }
    }

    /// Whether the desk itself owes this deadline, so it drives the queue (next due, breached,
    /// due soon). An RMA return is the customer's to make: it is flagged on the RMA instead.
    pub fn is_desk(self) -> bool {
        !matches!(self, ClockKind::RmaReturn)
    }
}

/// Where a clock stands (SPEC §2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// Counting down to its due instant.
    Running,
    /// Not counting while the case waits on the customer.
    Paused,
    /// Met in time.
    Met,
    /// The due instant passed before the clock was met; stays so.
    Breached,
    /// Not counting because the case is resolved or closed.
    Stopped,
}

impl ClockState {
    /// The state's word, e.g. `running`.
    pub fn as_str(self) -> &'static str {
        match self {
            ClockState::Running => "running",
            ClockState::Paused => "paused",
            ClockState::Met => "met",
            ClockState::Breached => "breached",
            ClockState::Stopped => "stopped",
        }
    }
}

/// One computed clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Clock {
    /// Which clock.
    pub kind: ClockKind,
    /// The RMA, for an RMA-return clock.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rma: Option<RmaNumber>,
    /// Where it stands.
    pub state: ClockState,
    /// The target it runs to, e.g. `1h 24x7`.
    pub target: Target,
    /// The calendar the target runs on.
    pub calendar: String,
    /// When the current interval began.
    pub started_at: DateTime<Utc>,
    /// When it is (or was) due; none while paused or stopped.
    pub due: Option<DateTime<Utc>>,
    /// When it was met.
    pub met_at: Option<DateTime<Utc>>,
    /// Wall-clock seconds until due; negative when breached (by how much).
    pub remaining_secs: Option<i64>,
    /// Working seconds until due on the clock's calendar; negative when breached.
    pub remaining_working_secs: Option<i64>,
    /// Whether it is counting now (not met, paused or stopped).
    #[serde(default)]
    pub counting: bool,
    /// Earlier intervals of this clock that breached (update clocks restart).
    #[serde(default)]
    pub earlier_breaches: u32,
    /// Earlier intervals of this clock, oldest first: an update clock restarts at every
    /// response and on a reopen. What reports count besides the current interval.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier: Vec<PastInterval>,
}

/// An interval of a clock that a later one replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PastInterval {
    /// When it began.
    pub started_at: DateTime<Utc>,
    /// When it was met, if it was.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub met_at: Option<DateTime<Utc>>,
    /// When it breached (its due instant), if it did; a breach stands even if met later.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub breached_at: Option<DateTime<Utc>>,
    /// When the next interval replaced it.
    pub ended_at: DateTime<Utc>,
}

impl PastInterval {
    /// Whether it breached; otherwise it was met, or ended undecided (a reopen).
    pub fn breached(&self) -> bool {
        self.breached_at.is_some()
    }
}

/// The P1 reachability rule (SPEC §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct P1Contact {
    /// When failed contact attempts on this P1 began, if they are ongoing.
    pub failing_since: Option<DateTime<Utc>>,
    /// From when the temporary downgrade to P2 is available.
    pub downgrade_available_at: Option<DateTime<Utc>>,
    /// Whether the downgrade is available now.
    pub downgrade_available: bool,
    /// Whether the case is temporarily downgraded from P1, so restoring P1 is one action.
    pub temporarily_downgraded: bool,
}

/// Every clock of a case at one instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ClockReport {
    /// The instant the report describes.
    pub at: DateTime<Utc>,
    /// The clocks, first response first.
    pub clocks: Vec<Clock>,
    /// The P1 reachability rule.
    pub p1_contact: P1Contact,
}

impl ClockReport {
    /// The desk's clocks counting now (not an RMA's return, which is the customer's to make).
    pub fn desk_counting(&self) -> impl Iterator<Item = &Clock> {
        self.clocks
            .iter()
            .filter(|c| c.counting && c.kind.is_desk())
    }

    /// The earliest due instant among the desk's clocks counting now: what the queue sorts by.
    /// A breached clock that still counts is overdue, so it sorts first; none when no desk
    /// clock runs (a tier without that target).
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.desk_counting().filter_map(|c| c.due).min()
    }

    /// Whether a desk clock counting now is breached: what the queue and the wallboard call a
    /// breached case. An overdue RMA return is not one.
    pub fn desk_breached(&self) -> bool {
        self.desk_counting()
            .any(|c| c.state == ClockState::Breached)
    }

    /// The same report seen at a later instant: the countdowns of counting clocks move on and a
    /// running clock whose due instant has passed becomes breached. This is how a client keeps
    /// countdowns true offline, from the server's last report and the cached calendars; a clock
    /// on a calendar it does not know keeps its wall-clock countdown and loses the working one.
    pub fn at(&self, now: DateTime<Utc>, calendars: &Calendars) -> ClockReport {
        let mut report = self.clone();
        report.at = now;
        for clock in report.clocks.iter_mut().filter(|c| c.counting) {
            let Some(due) = clock.due else { continue };
            clock.remaining_secs = Some((due - now).num_seconds());
            clock.remaining_working_secs = calendars
                .get(&clock.calendar)
                .ok()
                .and_then(|cal| cal.seconds_between(now, due).ok());
            if clock.state == ClockState::Running && past_due(due, now) {
                clock.state = ClockState::Breached;
            }
        }
        // The P1 downgrade becomes available on its own once its instant passes.
        let contact = &mut report.p1_contact;
        if let Some(available_at) = contact.downgrade_available_at {
            contact.downgrade_available = available_at <= now;
        }
        report
    }
}

/// Whether a clock due at `due` is breached at `at`: only strictly after its due instant. A
/// response at the due is met, `now == due` is running, and a clock that stops counting at
/// its due (resolved or paused then) is not late.
pub fn past_due(due: DateTime<Utc>, at: DateTime<Utc>) -> bool {
    at > due
}

/// Why clocks could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// The policies name a calendar that does not exist.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// An instant the arithmetic cannot reach.
    #[error(transparent)]
    OutOfRange(#[from] OutOfRange),
}

/// The spans one interval of a clock counted during, and what happened to it.
#[derive(Debug, Clone)]
struct Interval {
    started_at: DateTime<Utc>,
    /// Counting spans; the last one is open while the clock counts.
    spans: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    met_at: Option<DateTime<Utc>>,
    breached_at: Option<DateTime<Utc>>,
}

impl Interval {
    fn new(at: DateTime<Utc>, counting: bool) -> Self {
        Interval {
            started_at: at,
            spans: if counting {
                vec![(at, None)]
            } else {
                Vec::new()
            },
            met_at: None,
            breached_at: None,
        }
    }

    fn counting(&self) -> bool {
        matches!(self.spans.last(), Some((_, None)))
    }

    fn resume(&mut self, at: DateTime<Utc>) {
        if !self.counting() && self.met_at.is_none() {
            self.spans.push((at, None));
        }
    }

    fn pause(&mut self, at: DateTime<Utc>) {
        if let Some((_, end @ None)) = self.spans.last_mut() {
            *end = Some(at);
        }
    }

    fn meet(&mut self, at: DateTime<Utc>) {
        if self.met_at.is_none() {
            self.met_at = Some(at);
            self.pause(at);
        }
    }
}

/// A clock's interval with the rules that pick its target.
struct Tracked {
    kind: ClockKind,
    rma: Option<RmaNumber>,
    interval: Interval,
    earlier_breaches: u32,
    earlier: Vec<PastInterval>,
}

/// Replays a history and computes every clock as it stands at `now`.
pub fn compute(
    history: &CaseHistory,
    now: DateTime<Utc>,
    policies: &Policies,
    calendars: &Calendars,
) -> Result<ClockReport, ClockError> {
    let site = history
        .calendar
        .as_deref()
        .unwrap_or(&policies.site_calendar);
    let mut replay = Replay {
        policies,
        calendars,
        site,
        priority: history.priority,
        tier: history.tier,
        channel: history.channel,
        status: Status::New,
        first_response: Tracked::new(
            ClockKind::FirstResponse,
            Interval::new(history.created_at, true),
        ),
        update: None,
        auto_close: None,
        rmas: Vec::new(),
        contact: P1Contact::default(),
    };
    let mut events: Vec<&TimedEvent> = history.events.iter().filter(|e| e.at <= now).collect();
    events.sort_by_key(|e| e.at);
    for e in events {
        replay.check_breaches(e.at)?;
        replay.apply(e.at, &e.event);
    }
    replay.check_breaches(now)?;
    replay.report(now)
}

struct Replay<'a> {
    policies: &'a Policies,
    calendars: &'a Calendars,
    site: &'a str,
    priority: Priority,
    tier: ContractTier,
    channel: Channel,
    status: Status,
    first_response: Tracked,
    update: Option<Tracked>,
    auto_close: Option<Tracked>,
    rmas: Vec<Tracked>,
    contact: P1Contact,
}

impl Tracked {
    fn new(kind: ClockKind, interval: Interval) -> Self {
        Tracked {
            kind,
            rma: None,
            interval,
            earlier_breaches: 0,
            earlier: Vec::new(),
        }
    }

    /// Starts a fresh interval, remembering how the old one ended.
    fn restart(&mut self, interval: Interval) {
        self.earlier_breaches += u32::from(self.interval.breached_at.is_some());
        let old = std::mem::replace(&mut self.interval, interval);
        self.earlier.push(PastInterval {
            started_at: old.started_at,
            met_at: old.met_at,
            breached_at: old.breached_at,
            ended_at: self.interval.started_at,
        });
    }
}

impl Replay<'_> {
    /// The target a clock runs to now, if the tier sets one.
    fn target(&self, kind: ClockKind) -> Option<Target> {
        let clocks = &self.policies.clocks;
        match kind {
            ClockKind::FirstResponse => self.policies.target(
                self.tier,
                Metric::FirstResponse,
                self.priority,
                self.channel,
            ),
            ClockKind::Update => {
                self.policies
                    .target(self.tier, Metric::Update, self.priority, self.channel)
            }
            ClockKind::AutoClose => Some(clocks.auto_close),
            ClockKind::RmaReturn => Some(clocks.rma_return),
        }
    }

    fn tracked(&self) -> impl Iterator<Item = &Tracked> {
        std::iter::once(&self.first_response)
            .chain(self.update.as_ref())
            .chain(self.auto_close.as_ref())
            .chain(&self.rmas)
    }

    /// Due instant of an interval under a target: where the target's working time runs out
    /// across the counted spans; `None` while not counting and not yet run out.
    fn due(
        &self,
        interval: &Interval,
        target: Target,
    ) -> Result<Option<DateTime<Utc>>, ClockError> {
        let calendar = self.calendars.get(target.calendar_name(self.site))?;
        let mut remaining = target.duration.seconds(calendar.business_day_secs());
        for &(start, end) in &interval.spans {
            let span_end = match end {
                None => return Ok(Some(super::add_seconds(start, remaining, &calendar)?)),
                Some(end) => end,
            };
            let worked = super::between(start, span_end, &calendar)?;
            if worked >= remaining {
                let due = super::add_seconds(start, remaining, &calendar)?;
                // Ran out while counting; one that stopped right at its due has no time left
                // but is not late, so it breaches only if it counts again.
                if past_due(due, span_end) {
                    return Ok(Some(due));
                }
            }
            remaining = (remaining - worked).max(0);
        }
        Ok(None)
    }

    /// Records the breach of every clock whose due instant passed before `at`.
    fn check_breaches(&mut self, at: DateTime<Utc>) -> Result<(), ClockError> {
        let mut breaches = Vec::new();
        for (i, t) in self.tracked().enumerate() {
            let iv = &t.interval;
            if iv.met_at.is_some() || iv.breached_at.is_some() {
                continue;
            }
            let Some(target) = self.target(t.kind) else {
                continue;
            };
            if let Some(due) = self.due(iv, target)?.filter(|&due| past_due(due, at)) {
                breaches.push((i, due));
            }
        }
        for (i, due) in breaches {
            if let Some(t) = self.tracked_mut().nth(i) {
                t.interval.breached_at = Some(due);
            }
        }
        Ok(())
    }

    fn tracked_mut(&mut self) -> impl Iterator<Item = &mut Tracked> {
        std::iter::once(&mut self.first_response)
            .chain(self.update.as_mut())
            .chain(self.auto_close.as_mut())
            .chain(&mut self.rmas)
    }

    fn apply(&mut self, at: DateTime<Utc>, event: &CaseEvent) {
        match *event {
            CaseEvent::PriorityChanged { to, temporary } => {
                // Restoring P1, or any assessed change, ends a temporary downgrade.
                self.contact.temporarily_downgraded = to != Priority::P1
                    && temporary
                    && (self.priority == Priority::P1 || self.contact.temporarily_downgraded);
                if to != Priority::P1 {
                    self.contact.failing_since = None;
                }
                self.priority = to;
            }
            CaseEvent::TierChanged { to } => self.tier = to,
            CaseEvent::StatusChanged { to } => self.change_status(at, to),
            CaseEvent::Note {
                visibility: Visibility::Public,
                by: Party::Support,
            }
            | CaseEvent::CallLogged => self.responded(at),
            CaseEvent::Note {
                by: Party::Customer,
                ..
            } => {
                if let Some(auto_close) = &mut self.auto_close {
                    auto_close.restart(Interval::new(at, true));
                }
            }
            CaseEvent::Note { .. } => {}
            CaseEvent::ContactFailed => {
                if self.priority == Priority::P1 && self.contact.failing_since.is_none() {
                    self.contact.failing_since = Some(at);
                }
            }
            CaseEvent::RmaIssued { rma } => {
                if !self.rmas.iter().any(|t| t.rma == Some(rma)) {
                    let mut t = Tracked::new(ClockKind::RmaReturn, Interval::new(at, true));
                    t.rma = Some(rma);
                    self.rmas.push(t);
                }
            }
            CaseEvent::RmaSettled { rma } => {
                if let Some(t) = self.rmas.iter_mut().find(|t| t.rma == Some(rma)) {
                    t.interval.meet(at);
                }
            }
        }
    }

    /// A public response by support: meets first response and starts a fresh update interval.
    fn responded(&mut self, at: DateTime<Utc>) {
        self.contact.failing_since = None;
        self.first_response.interval.meet(at);
        let interval = Interval::new(at, self.update_counts());
        match &mut self.update {
            Some(update) => {
                // The response meets the interval it ends (a breach before it still stands).
                update.interval.meet(at);
                update.restart(interval);
            }
            None => self.update = Some(Tracked::new(ClockKind::Update, interval)),
        }
    }

    /// Whether the update clock counts in the current status.
    fn update_counts(&self) -> bool {
        matches!(
            self.status,
            Status::New | Status::Open | Status::WaitingOnEngineering
        )
    }

    fn change_status(&mut self, at: DateTime<Utc>, to: Status) {
        let from = std::mem::replace(&mut self.status, to);
        let reopened = matches!(from, Status::Resolved | Status::Closed) && to.is_open();
        let stopped = !to.is_open();

        // First response counts until met, except while resolved or closed.
        if stopped {
            self.first_response.interval.pause(at);
        } else {
            self.first_response.interval.resume(at);
        }

        // Waiting on the customer pauses the update clock whatever led there, a reopen too.
        let update_counts = self.update_counts();
        if let Some(update) = &mut self.update {
            if reopened {
                update.restart(Interval::new(at, update_counts));
            } else if matches!(to, Status::Open | Status::WaitingOnEngineering) {
                update.interval.resume(at);
            } else {
                update.interval.pause(at);
            }
        }

        // Auto-close runs only while waiting on the customer.
        if to == Status::WaitingOnCustomer {
            if from != Status::WaitingOnCustomer {
                self.auto_close = Some(Tracked::new(ClockKind::AutoClose, Interval::new(at, true)));
            }
        } else {
            self.auto_close = None;
        }
    }

    fn report(self, now: DateTime<Utc>) -> Result<ClockReport, ClockError> {
        let mut clocks = Vec::new();
        for t in self.tracked() {
            if let Some(target) = self.target(t.kind) {
                clocks.push(self.clock(t, target, now)?);
            }
        }
        let mut contact = self.contact;
        if self.priority == Priority::P1 {
            let wait = self.policies.clocks.p1_unreachable;
            if let Some(since) = contact.failing_since {
                let calendar = self.calendars.get(wait.calendar_name(self.site))?;
                let at = super::add(since, wait.duration, &calendar)?;
                contact.downgrade_available_at = Some(at);
                contact.downgrade_available = at <= now;
            }
        } else {
            contact.failing_since = None;
        }
        Ok(ClockReport {
            at: now,
            clocks,
            p1_contact: contact,
        })
    }

    fn clock(&self, t: &Tracked, target: Target, now: DateTime<Utc>) -> Result<Clock, ClockError> {
        let calendar_name = target.calendar_name(self.site);
        let calendar = self.calendars.get(calendar_name)?;
        let iv = &t.interval;
        let mut due = None;
        let (state, remaining_secs, remaining_working_secs) = match (iv.breached_at, iv.met_at) {
            (Some(breached), _) => {
                due = Some(breached);
                // Lateness grows only while the clock counts: a pause or a stop freezes it.
                let (wall, working) = counted(iv, Some(breached), now, &calendar)?;
                (ClockState::Breached, Some(-wall), Some(-working))
            }
            (None, Some(_)) => (ClockState::Met, None, None),
            (None, None) if iv.counting() => {
                due = self.due(iv, target)?;
                let remaining = |d: DateTime<Utc>| (d - now).num_seconds();
                let working = due.map(|d| super::between(now, d, &calendar)).transpose()?;
                (ClockState::Running, due.map(remaining), working)
            }
            (None, None) if self.status == Status::WaitingOnCustomer => {
                let total = target.duration.seconds(calendar.business_day_secs());
                let (_, worked) = counted(iv, None, now, &calendar)?;
                (ClockState::Paused, None, Some(total - worked))
            }
            (None, None) => (ClockState::Stopped, None, None),
        };
        Ok(Clock {
            kind: t.kind,
            rma: t.rma,
            state,
            target,
            calendar: calendar_name.to_string(),
            started_at: iv.started_at,
            due,
            met_at: iv.met_at,
            counting: iv.counting(),
            remaining_secs,
            remaining_working_secs,
            earlier_breaches: t.earlier_breaches,
            earlier: t.earlier.clone(),
        })
    }
}

/// Wall and working seconds an interval counted from `after` (or its start) up to `now`.
fn counted(
    iv: &Interval,
    after: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    calendar: &super::Calendar,
) -> Result<(i64, i64), ClockError> {
    let mut wall = 0;
    let mut working = 0;
    for &(start, end) in &iv.spans {
        let start = after.map_or(start, |a| start.max(a));
        let end = end.unwrap_or(now).min(now);
        if end > start {
            wall += (end - start).num_seconds();
            working += super::between(start, end, calendar)?;
        }
    }
    Ok((wall, working))
}

#[cfg(test)]
mod tests {
    //! Exact instants at the edges: the due instant itself, and reopening into a wait.
    //! tac-care P1 (phone): first response 1h 24x7, update every 4h 24x7.

    use super::*;

    fn t(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    /// A tac-care P1 created at 10:00 with `events` (instant, event) after.
    fn p1(events: &[(&str, CaseEvent)]) -> CaseHistory {
        CaseHistory {
            created_at: t("2026-11-16T10:00:00Z"),
            priority: Priority::P1,
            tier: ContractTier::TacCare,
            channel: Channel::Phone,
            calendar: None,
            events: events
                .iter()
                .map(|(at, event)| TimedEvent {
                    at: t(at),
                    event: event.clone(),
                })
                .collect(),
        }
    }

    fn report(history: &CaseHistory, now: &str) -> ClockReport {
        compute(history, t(now), &Policies::builtin(), &Calendars::builtin())
            .unwrap_or_else(|e| panic!("clocks at {now}: {e}"))
    }

    fn clock(r: &ClockReport, kind: ClockKind) -> &Clock {
        r.clocks
            .iter()
            .find(|c| c.kind == kind)
            .unwrap_or_else(|| panic!("no {} clock in {:#?}", kind.as_str(), r.clocks))
    }

    fn status(to: Status) -> CaseEvent {
        CaseEvent::StatusChanged { to }
    }

    fn public_note() -> CaseEvent {
        CaseEvent::Note {
            visibility: Visibility::Public,
            by: Party::Support,
        }
    }

    #[test]
    fn breached_only_strictly_after_the_due() {
        let due = t("2026-11-16T11:00:00Z");
        assert!(!past_due(due, due));
        assert!(!past_due(due, t("2026-11-16T10:59:59Z")));
        assert!(past_due(due, t("2026-11-16T11:00:01Z")));
    }

    #[test]
    fn at_its_due_a_clock_runs_and_a_response_then_is_met() {
        let open = p1(&[]);
        let fr = clock(
            &report(&open, "2026-11-16T11:00:00Z"),
            ClockKind::FirstResponse,
        )
        .clone();
        assert_eq!(
            (fr.state, fr.remaining_secs),
            (ClockState::Running, Some(0))
        );
        let fr = clock(
            &report(&open, "2026-11-16T11:00:01Z"),
            ClockKind::FirstResponse,
        )
        .clone();
        assert_eq!(
            (fr.state, fr.remaining_secs),
            (ClockState::Breached, Some(-1))
        );

        let answered = p1(&[("2026-11-16T11:00:00Z", public_note())]);
        let fr = clock(
            &report(&answered, "2026-11-16T12:00:00Z"),
            ClockKind::FirstResponse,
        )
        .clone();
        assert_eq!(fr.state, ClockState::Met);
        assert_eq!(fr.met_at, Some(t("2026-11-16T11:00:00Z")));
    }

    #[test]
    fn a_report_ticked_to_the_due_instant_still_runs() {
        let r = report(&p1(&[]), "2026-11-16T10:30:00Z");
        let calendars = Calendars::builtin();
        let at_due = r.at(t("2026-11-16T11:00:00Z"), &calendars);
        let fr = clock(&at_due, ClockKind::FirstResponse);
        assert_eq!(
            (fr.state, fr.remaining_secs),
            (ClockState::Running, Some(0))
        );
        assert!(!at_due.desk_breached());
        let after = r.at(t("2026-11-16T11:00:01Z"), &calendars);
        assert_eq!(
            clock(&after, ClockKind::FirstResponse).state,
            ClockState::Breached
        );
    }

    #[test]
    fn resolved_exactly_at_the_due_is_stopped_not_breached_by_zero() {
        let h = p1(&[("2026-11-16T11:00:00Z", status(Status::Resolved))]);
        for now in [
            "2026-11-16T11:00:00Z",
            "2026-11-16T11:00:01Z",
            "2026-11-20T09:00:00Z",
        ] {
            let r = report(&h, now);
            let fr = clock(&r, ClockKind::FirstResponse);
            assert_eq!(fr.state, ClockState::Stopped, "{now}: {fr:?}");
            assert_eq!((fr.due, fr.remaining_secs), (None, None), "{now}");
        }
        // Reopened, it has no time left: due at the reopen instant, breached just after.
        let reopened = p1(&[
            ("2026-11-16T11:00:00Z", status(Status::Resolved)),
            ("2026-11-16T12:00:00Z", status(Status::Open)),
        ]);
        let fr = clock(
            &report(&reopened, "2026-11-16T12:00:00Z"),
            ClockKind::FirstResponse,
        )
        .clone();
        assert_eq!(
            (fr.state, fr.due),
            (ClockState::Running, Some(t("2026-11-16T12:00:00Z")))
        );
        let fr = clock(
            &report(&reopened, "2026-11-16T12:00:30Z"),
            ClockKind::FirstResponse,
        )
        .clone();
        assert_eq!(
            (fr.state, fr.remaining_secs),
            (ClockState::Breached, Some(-30))
        );
    }

    #[test]
    fn paused_exactly_at_the_due_is_paused_with_nothing_left() {
        // Answered 10:10, so the update is due 14:10; waiting on the customer from 14:10.
        let h = p1(&[
            ("2026-11-16T10:10:00Z", status(Status::Open)),
            ("2026-11-16T10:10:00Z", public_note()),
            ("2026-11-16T14:10:00Z", status(Status::WaitingOnCustomer)),
        ]);
        let r = report(&h, "2026-11-16T18:00:00Z");
        let up = clock(&r, ClockKind::Update);
        assert_eq!(up.state, ClockState::Paused, "{up:?}");
        assert_eq!((up.due, up.remaining_working_secs), (None, Some(0)));
        assert!(!r.desk_breached());
    }

    #[test]
    fn reopened_straight_into_waiting_on_customer_the_update_clock_is_paused() {
        for done in [Status::Resolved, Status::Closed] {
            let h = p1(&[
                ("2026-11-16T10:10:00Z", status(Status::Open)),
                ("2026-11-16T10:10:00Z", public_note()),
                ("2026-11-16T11:00:00Z", status(done)),
                ("2026-11-17T09:00:00Z", status(Status::WaitingOnCustomer)),
            ]);
            // Long past the 4h an update interval would run.
            let r = report(&h, "2026-11-17T20:00:00Z");
            let up = clock(&r, ClockKind::Update);
            assert_eq!(up.state, ClockState::Paused, "{done}: {up:?}");
            assert!(!up.counting, "{done}");
            assert_eq!(up.started_at, t("2026-11-17T09:00:00Z"), "{done}");
            assert_eq!(up.remaining_working_secs, Some(4 * 3600), "{done}");
            assert_eq!(clock(&r, ClockKind::AutoClose).state, ClockState::Running);
            assert!(!r.desk_breached(), "{done}");
            // The fresh interval counts from when the wait ends.
            let h = CaseHistory {
                events: [
                    h.events.clone(),
                    vec![TimedEvent {
                        at: t("2026-11-18T08:00:00Z"),
                        event: status(Status::Open),
                    }],
                ]
                .concat(),
                ..h
            };
            let up = clock(&report(&h, "2026-11-18T09:00:00Z"), ClockKind::Update).clone();
            assert_eq!(up.state, ClockState::Running, "{done}");
            assert_eq!(up.due, Some(t("2026-11-18T12:00:00Z")), "{done}");
        }
    }

    #[test]
    fn a_clock_is_named_by_its_wire_word_not_a_display_word() {
        for kind in ClockKind::ALL {
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::json!(kind.as_str())
            );
        }
        for state in [
            ClockState::Running,
            ClockState::Paused,
            ClockState::Met,
            ClockState::Breached,
            ClockState::Stopped,
        ] {
            assert_eq!(
                serde_json::to_value(state).unwrap(),
                serde_json::json!(state.as_str())
            );
        }
    }
}
