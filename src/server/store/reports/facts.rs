//! The facts reports are read from, written from one case's history and clocks: its segments
//! (status, priority and tier over time) and every interval of its clocks.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::api::reports::ReportClock;
use crate::domain::{ContractTier, Priority, Status};
use crate::server::store::{Sla, StoreError, ts};
use crate::sla::{self, CaseEvent, CaseHistory, ClockReport, ClockState};

/// A piece of a case's life with constant status, priority and tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// When it began.
    pub start: DateTime<Utc>,
    /// When it ended; none while it lasts.
    pub end: Option<DateTime<Utc>>,
    /// The status throughout.
    pub status: Status,
    /// The priority throughout.
    pub priority: Priority,
    /// The tier throughout.
    pub tier: ContractTier,
    /// What began it.
    pub change: Change,
}

/// What began a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The case was opened.
    Created,
    /// The status changed.
    Status,
    /// The priority changed.
    Priority,
    /// The tier changed.
    Tier,
}

impl Change {
    fn as_str(self) -> &'static str {
        match self {
            Change::Created => "created",
            Change::Status => "status",
            Change::Priority => "priority",
            Change::Tier => "tier",
        }
    }
}

/// The segments of a history, in time order (events at the same instant make empty ones, so
/// every status change is counted).
pub fn segments(history: &CaseHistory) -> Vec<Segment> {
    let mut out = vec![Segment {
        start: history.created_at,
        end: None,
        status: Status::New,
        priority: history.priority,
        tier: history.tier,
        change: Change::Created,
    }];
    let mut events: Vec<_> = history.events.iter().collect();
    events.sort_by_key(|e| e.at);
    for e in events {
        let Some(last) = out.last() else { break };
        let (mut status, mut priority, mut tier) = (last.status, last.priority, last.tier);
        let change = match e.event {
            CaseEvent::StatusChanged { to } if to != status => {
                status = to;
                Change::Status
            }
            CaseEvent::PriorityChanged { to, .. } if to != priority => {
                priority = to;
                Change::Priority
            }
            CaseEvent::TierChanged { to } if to != tier => {
                tier = to;
                Change::Tier
            }
            _ => continue,
        };
        if let Some(last) = out.last_mut() {
            last.end = Some(e.at);
        }
        out.push(Segment {
            start: e.at,
            end: None,
            status,
            priority,
            tier,
            change,
        });
    }
    out
}

/// The segment in force at `at` (the first one before the case existed).
pub fn segment_at(segments: &[Segment], at: DateTime<Utc>) -> Option<&Segment> {
    let i = segments.partition_point(|s| s.start <= at);
    segments.get(i.saturating_sub(1))
}

/// One interval of a clock, as reports count it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntervalFact {
    /// Which clock.
    pub clock: ReportClock,
    /// When it began.
    pub started_at: DateTime<Utc>,
    /// When a later interval replaced it.
    pub ended_at: Option<DateTime<Utc>>,
    /// When it was met.
    pub met_at: Option<DateTime<Utc>>,
    /// When it breached.
    pub breached_at: Option<DateTime<Utc>>,
    /// Its due instant while it runs undecided.
    pub due: Option<DateTime<Utc>>,
    /// Undecided on a case resolved or closed since this instant.
    pub stopped_at: Option<DateTime<Utc>>,
    /// Spans within it when the case was resolved or closed.
    pub closed_gaps: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    /// The priority at the instant it is counted.
    pub priority: Priority,
    /// The tier then.
    pub tier: ContractTier,
    /// First response: wall seconds from creation to the response.
    pub wall_secs: Option<i64>,
    /// First response: working seconds of the site's calendar in between.
    pub business_secs: Option<i64>,
}

impl IntervalFact {
    /// The instant that decides it: its breach, else its meeting, else its replacement.
    pub fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.breached_at.or(self.met_at).or(self.ended_at)
    }
}

/// Every interval of the report's clocks, with the priority and tier at the instant each is
/// counted (its outcome, or `at` while undecided).
pub fn intervals(
    history: &CaseHistory,
    report: &ClockReport,
    segments: &[Segment],
    sla: &Sla,
) -> Result<Vec<IntervalFact>, StoreError> {
    let site = history
        .calendar
        .as_deref()
        .unwrap_or(&sla.policies.site_calendar);
    let calendar = sla.calendars.get(site).map_err(sla::ClockError::from)?;
    let mut out = Vec::new();
    for clock in &report.clocks {
        let Some(kind) = ReportClock::of(clock.kind) else {
            continue;
        };
        let earlier = clock.earlier.iter().map(|p| {
            (
                p.started_at,
                Some(p.ended_at),
                p.met_at,
                p.breached_at,
                None,
            )
        });
        let breached_now = (clock.state == ClockState::Breached)
            .then_some(clock.due)
            .flatten();
        let running_due = (clock.state == ClockState::Running && clock.counting)
            .then_some(clock.due)
            .flatten();
        let current = (
            clock.started_at,
            None,
            clock.met_at,
            breached_now,
            running_due,
        );
        for (started_at, ended_at, met_at, breached_at, due) in earlier.chain([current]) {
            let decided = breached_at.or(met_at).or(ended_at);
            let counted_at = decided.unwrap_or(report.at);
            let (priority, tier) = segment_at(segments, counted_at)
                .map_or((history.priority, history.tier), |s| (s.priority, s.tier));
            let end = decided.unwrap_or(DateTime::<Utc>::MAX_UTC);
            let closed_gaps = segments
                .iter()
                .filter(|s| !s.status.is_open())
                .filter(|s| s.start < end && s.end.is_none_or(|e| e > started_at))
                .map(|s| (s.start, s.end))
                .collect();
            let stopped_at = match (decided, segments.last()) {
                (None, Some(last)) if !last.status.is_open() => Some(last.start),
                _ => None,
            };
            let (wall_secs, business_secs) = match (kind, met_at) {
                (ReportClock::FirstResponse, Some(met)) => (
                    Some((met - history.created_at).num_seconds().max(0)),
                    Some(
                        sla::between(history.created_at, met, &calendar)
                            .map_err(sla::ClockError::from)?,
                    ),
                ),
                _ => (None, None),
            };
            out.push(IntervalFact {
                clock: kind,
                started_at,
                ended_at,
                met_at,
                breached_at,
                due,
                stopped_at,
                closed_gaps,
                priority,
                tier,
                wall_secs,
                business_secs,
            });
        }
    }
    Ok(out)
}

/// Rewrites a case's facts from its history and its clocks at `report.at`.
pub fn write(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    history: &CaseHistory,
    report: &ClockReport,
) -> Result<(), StoreError> {
    let segments = segments(history);
    let intervals = intervals(history, report, &segments, sla)?;
    conn.execute(
        "DELETE FROM report_segments WHERE case_number = ?1",
        [number],
    )?;
    conn.execute(
        "DELETE FROM report_intervals WHERE case_number = ?1",
        [number],
    )?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO report_segments (case_number, start, end, status, priority, tier, change,
             created_at, channel, relevant_until)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for s in &segments {
        let relevant_until = if s.status.is_open() {
            s.end.map_or_else(|| "9999".to_string(), ts)
        } else {
            ts(s.start)
        };
        insert.execute(rusqlite::params![
            number,
            ts(s.start),
            s.end.map(ts),
            s.status.as_str(),
            s.priority.as_str(),
            s.tier.as_str(),
            s.change.as_str(),
            ts(history.created_at),
            history.channel.as_str(),
            relevant_until,
        ])?;
    }
    let mut insert = conn.prepare_cached(
        "INSERT INTO report_intervals (case_number, clock, started_at, ended_at, met_at,
             breached_at, due, stopped_at, closed_gaps, priority, tier, channel, wall_secs,
             business_secs)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    for i in &intervals {
        let gaps = (!i.closed_gaps.is_empty()).then(|| {
            serde_json::Value::Array(
                i.closed_gaps
                    .iter()
                    .map(|(from, to)| serde_json::json!([ts(*from), to.map(ts)]))
                    .collect(),
            )
            .to_string()
        });
        insert.execute(rusqlite::params![
            number,
            i.clock.as_str(),
            ts(i.started_at),
            i.ended_at.map(ts),
            i.met_at.map(ts),
            i.breached_at.map(ts),
            i.due.map(ts),
            i.stopped_at.map(ts),
            gaps,
            i.priority.as_str(),
            i.tier.as_str(),
            history.channel.as_str(),
            i.wall_secs,
            i.business_secs,
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Channel;
    use crate::sla::TimedEvent;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn segments_follow_status_and_priority_and_keep_same_instant_changes() {
        let h = CaseHistory {
            created_at: t("2026-11-02T00:00:00Z"),
            priority: Priority::P3,
            tier: ContractTier::TacCare,
            channel: Channel::Web,
            calendar: None,
            events: vec![
                TimedEvent {
                    at: t("2026-11-02T00:00:00Z"),
                    event: CaseEvent::StatusChanged { to: Status::Open },
                },
                TimedEvent {
                    at: t("2026-11-03T00:00:00Z"),
                    event: CaseEvent::PriorityChanged {
                        to: Priority::P1,
                        temporary: false,
                    },
                },
                TimedEvent {
                    at: t("2026-11-03T00:00:00Z"),
                    event: CaseEvent::PriorityChanged {
                        to: Priority::P1,
                        temporary: false,
                    },
                },
                TimedEvent {
                    at: t("2026-11-04T00:00:00Z"),
                    event: CaseEvent::StatusChanged {
                        to: Status::Resolved,
                    },
                },
            ],
        };
        let s = segments(&h);
        let got: Vec<_> = s.iter().map(|s| (s.status, s.priority, s.change)).collect();
        assert_eq!(
            got,
            [
                (Status::New, Priority::P3, Change::Created),
                (Status::Open, Priority::P3, Change::Status),
                (Status::Open, Priority::P1, Change::Priority),
                (Status::Resolved, Priority::P1, Change::Status),
            ]
        );
        assert_eq!(s[0].end, Some(t("2026-11-02T00:00:00Z")));
        assert_eq!(s[3].end, None);
        assert_eq!(
            segment_at(&s, t("2026-11-03T12:00:00Z")).map(|s| s.priority),
            Some(Priority::P1)
        );
        assert_eq!(
            segment_at(&s, t("2026-11-02T12:00:00Z")).map(|s| s.priority),
            Some(Priority::P3)
        );
    }
}
