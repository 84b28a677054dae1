//! Reports for leads (issue 19), read from the facts `facts` keeps beside every case: SLA
//! attainment, first-response times, the backlog and each owner's load, for a period and a
//! grouping. SQL picks the rows a period can touch; the counting is done here, once.

pub mod facts;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;

use crate::api::reports::{
    BacklogReport, BacklogRow, Grouping, LoadReport, LoadTally, Period, ReportClock, ReportHeader,
    ReportKind, ResponseReport, ResponseRow, SlaReport, SlaRow, TimeBasis, Trend, TrendClock,
    TrendDay,
};
use crate::domain::{Channel, ContractTier, Priority, Status};
use crate::server::store::{Sla, StoreError, col, opt_time_col, time_col, ts};

/// A period longer than this is read by scanning the facts rather than through their index.
const LONG_PERIOD_DAYS: i64 = 60;

/// The group value of cases nobody owns.
pub const UNASSIGNED: &str = "(unassigned)";

/// What a report is computed for: the period, the grouping and the instant it stands at.
#[derive(Debug, Clone, Copy)]
pub struct ReportScope {
    /// The period.
    pub period: Period,
    /// How rows are split.
    pub by: Option<Grouping>,
    /// The instant counted up to (whole minutes: what the ETag names).
    pub at: DateTime<Utc>,
}

impl ReportScope {
    /// The last instant counted: the period's end, or `at` if sooner.
    fn end(&self) -> DateTime<Utc> {
        self.period.to.min(self.at)
    }

    fn header(&self, kind: ReportKind, sla: &Sla) -> ReportHeader {
        ReportHeader {
            kind,
            from: self.period.from,
            to: self.period.to,
            zone: self.period.zone.name().to_string(),
            by: self.by,
            at: self.at,
            target: f64::from(sla.policies.attainment_target) / 100.0,
        }
    }

    /// The time buckets of a day or week grouping that have begun by `at`: label and the
    /// instant each ends (capped at `at`). Any other grouping: one bucket, the period's end.
    fn buckets(&self) -> Vec<(Option<String>, DateTime<Utc>)> {
        let end = self.end();
        let days = self
            .period
            .days()
            .filter(|(_, day_end)| *day_end - Duration::days(1) < end);
        match self.by {
            Some(Grouping::Day) => days
                .map(|(d, e)| (Some(d.to_string()), e.min(end)))
                .collect(),
            Some(Grouping::Week) => {
                let mut out: Vec<(Option<String>, DateTime<Utc>)> = Vec::new();
                for (d, e) in days {
                    let label = crate::api::reports::week_label(d);
                    match out.last_mut() {
                        Some((Some(l), last_end)) if *l == label => *last_end = e.min(end),
                        _ => out.push((Some(label), e.min(end))),
                    }
                }
                out
            }
            _ => vec![(None, end)],
        }
    }

    /// The owner as the facts queries read it: only a grouping by owner joins the cases.
    fn owner_column(&self) -> &'static str {
        if self.by == Some(Grouping::Owner) {
            "c.owner"
        } else {
            "NULL"
        }
    }

    /// The join to `cases` a grouping by owner needs (the facts carry everything else).
    fn owner_join(&self, facts: &str) -> String {
        if self.by == Some(Grouping::Owner) {
            format!("JOIN cases c ON c.number = {facts}.case_number")
        } else {
            String::new()
        }
    }

    /// Over a long period most facts count, and a scan of the table beats a seek per row
    /// through the index (measured: docs/PERFORMANCE.md, "Reports").
    fn indexed(&self) -> &'static str {
        if self.period.to - self.period.from > Duration::days(LONG_PERIOD_DAYS) {
            "NOT INDEXED"
        } else {
            ""
        }
    }

    /// The group of something counted at `at` on a case with these properties.
    fn group(&self, of: &CaseProps, at: DateTime<Utc>) -> Option<String> {
        let by = self.by?;
        Some(match by {
            Grouping::Priority => of.priority.as_str().to_string(),
            Grouping::Tier => of.tier.as_str().to_string(),
            Grouping::Owner => of.owner.clone().unwrap_or_else(|| UNASSIGNED.to_string()),
            Grouping::Channel => of.channel.as_str().to_string(),
            Grouping::Week | Grouping::Day => by.time_group(at, self.period.zone)?,
        })
    }

    /// Every group a report lists even when nothing fell in it: each priority, each time
    /// bucket; other groupings list what they found.
    fn fixed_groups(&self) -> Vec<Option<String>> {
        match self.by {
            None => vec![None],
            Some(Grouping::Priority) => Priority::ALL
                .iter()
                .map(|p| Some(p.as_str().to_string()))
                .collect(),
            Some(Grouping::Day | Grouping::Week) => {
                self.buckets().into_iter().map(|(l, _)| l).collect()
            }
            Some(_) => Vec::new(),
        }
    }
}

/// What a grouping reads of a case.
struct CaseProps {
    priority: Priority,
    tier: ContractTier,
    owner: Option<String>,
    channel: Channel,
}

/// One interval as read back.
struct Interval {
    clock: ReportClock,
    started_at: DateTime<Utc>,
    ended_at: Option<DateTime<Utc>>,
    met_at: Option<DateTime<Utc>>,
    breached_at: Option<DateTime<Utc>>,
    closed_gaps: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    props: CaseProps,
}

impl Interval {
    /// Whether it ran undecided at `t` on an open case: as the engine sees it, a clock is
    /// still running at its due instant and breached only after it.
    fn running_at(&self, t: DateTime<Utc>) -> bool {
        let undecided = match (self.breached_at, self.met_at.or(self.ended_at)) {
            (Some(b), _) => b >= t,
            (None, Some(d)) => d > t,
            (None, None) => true,
        };
        self.started_at <= t
            && undecided
            && !self
                .closed_gaps
                .iter()
                .any(|&(from, to)| from <= t && to.is_none_or(|to| t < to))
    }
}

fn gaps(text: Option<String>) -> Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> {
    let Some(text) = text else {
        return Vec::new();
    };
    let pairs: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> =
        serde_json::from_str(&text).unwrap_or_default();
    pairs
}

/// `report sla`: met, breached and running per clock (per group).
pub fn sla_report(
    conn: &Connection,
    sla: &Sla,
    scope: &ReportScope,
) -> Result<SlaReport, StoreError> {
    Ok(SlaReport {
        header: scope.header(ReportKind::Sla, sla),
        rows: sla_rows(conn, scope)?,
    })
}

fn sla_rows(conn: &Connection, scope: &ReportScope) -> Result<Vec<SlaRow>, StoreError> {
    let (from, end, at) = (scope.period.from, scope.end(), scope.at);
    let mut counts: BTreeMap<(Option<String>, ReportClock), (u64, u64, u64)> = BTreeMap::new();
    for g in scope.fixed_groups() {
        for clock in ReportClock::ALL {
            counts.insert((g.clone(), clock), (0, 0, 0));
        }
    }
    let buckets = scope.buckets();
    let sql = format!(
        "SELECT i.clock, i.started_at, i.ended_at, i.met_at, i.breached_at, i.due, i.closed_gaps,
                i.priority, i.tier, {owner}, i.channel
         FROM report_intervals i {indexed} {join}
         WHERE coalesce(i.breached_at, i.met_at, i.ended_at, i.stopped_at, i.due, '9999') >= ?1
           AND i.started_at < ?2",
        owner = scope.owner_column(),
        indexed = scope.indexed(),
        join = scope.owner_join("i"),
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map((ts(from), ts(end)), |r| {
        let due = opt_time_col(r, 5)?;
        let breached_at = opt_time_col(r, 4)?;
        Ok(Interval {
            clock: match r.get_ref(0)?.as_str()? {
                "first_response" => ReportClock::FirstResponse,
                "next_update" => ReportClock::NextUpdate,
                _ => ReportClock::RmaReturn,
            },
            started_at: time_col(r, 1)?,
            ended_at: opt_time_col(r, 2)?,
            met_at: opt_time_col(r, 3)?,
            // A running clock whose due passed before `at` breached then, whether or not the
            // jobs have recorded it yet.
            breached_at: breached_at.or(due.filter(|d| crate::sla::past_due(*d, at))),
            closed_gaps: gaps(r.get(6)?),
            props: CaseProps {
                priority: col(r, 7)?,
                tier: col(r, 8)?,
                owner: r.get(9)?,
                channel: col(r, 10)?,
            },
        })
    })?;
    let in_period = |t: DateTime<Utc>| from <= t && t < end;
    for row in rows {
        let iv = row?;
        let outcome = match (iv.breached_at, iv.met_at) {
            (Some(b), _) => Some((b, false)),
            (None, Some(m)) => Some((m, true)),
            (None, None) => None,
        };
        if let Some((t, met)) = outcome.filter(|(t, _)| in_period(*t)) {
            let entry = counts
                .entry((scope.group(&iv.props, t), iv.clock))
                .or_default();
            if met {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
        }
        for (label, bucket_end) in &buckets {
            if iv.running_at(*bucket_end) {
                let group = match scope.by {
                    Some(g) if g.is_time() => label.clone(),
                    _ => scope.group(&iv.props, *bucket_end),
                };
                counts.entry((group, iv.clock)).or_default().2 += 1;
            }
        }
    }
    Ok(counts
        .into_iter()
        .map(|((group, clock), (met, breached, running))| SlaRow {
            group,
            clock,
            met,
            breached,
            attainment: SlaRow::attainment_of(met, breached),
            running,
        })
        .collect())
}

/// `report response`: first responses made within the period, wall and business time.
pub fn response_report(
    conn: &Connection,
    sla: &Sla,
    scope: &ReportScope,
) -> Result<ResponseReport, StoreError> {
    let mut times: BTreeMap<Option<String>, (Vec<i64>, Vec<i64>)> = scope
        .fixed_groups()
        .into_iter()
        .map(|g| (g, Default::default()))
        .collect();
    let sql = format!(
        "SELECT i.met_at, i.wall_secs, i.business_secs, i.priority, i.tier, {owner}, i.channel
         FROM report_intervals i {join}
         WHERE i.clock = 'first_response' AND i.met_at IS NOT NULL
           AND i.met_at >= ?1 AND i.met_at < ?2",
        owner = scope.owner_column(),
        join = scope.owner_join("i"),
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map((ts(scope.period.from), ts(scope.end())), |r| {
        Ok((
            time_col(r, 0)?,
            r.get::<_, Option<i64>>(1)?.unwrap_or(0),
            r.get::<_, Option<i64>>(2)?.unwrap_or(0),
            CaseProps {
                priority: col(r, 3)?,
                tier: col(r, 4)?,
                owner: r.get(5)?,
                channel: col(r, 6)?,
            },
        ))
    })?;
    for row in rows {
        let (met_at, wall, business, props) = row?;
        let entry = times.entry(scope.group(&props, met_at)).or_default();
        entry.0.push(wall);
        entry.1.push(business);
    }
    let rows = times
        .into_iter()
        .flat_map(|(group, (wall, business))| {
            [
                ResponseRow::of(group.clone(), TimeBasis::Wall, wall),
                ResponseRow::of(group, TimeBasis::Business, business),
            ]
        })
        .collect();
    Ok(ResponseReport {
        header: scope.header(ReportKind::Response, sla),
        rows,
    })
}

/// `report backlog`: open cases now and at the end of each day (week) of the period, by
/// priority and age, with the cases created, resolved and closed in each.
pub fn backlog_report(
    conn: &Connection,
    sla: &Sla,
    scope: &ReportScope,
) -> Result<BacklogReport, StoreError> {
    let at = scope.at;
    let time_buckets = ReportScope {
        by: match scope.by {
            Some(Grouping::Week) => Some(Grouping::Week),
            _ => Some(Grouping::Day),
        },
        ..*scope
    }
    .buckets();
    // Properties group the rows; time is the buckets themselves.
    let group_of = |props: &CaseProps| match scope.by {
        Some(g) if !g.is_time() => scope.group(props, at),
        _ => None,
    };

    let mut now_rows: BTreeMap<Option<String>, BacklogRow> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT created_at, priority, tier, owner, channel FROM cases
         WHERE status NOT IN ('resolved', 'closed')",
    )?;
    let open_now = stmt.query_map([], |r| {
        Ok((
            time_col(r, 0)?,
            CaseProps {
                priority: col(r, 1)?,
                tier: col(r, 2)?,
                owner: r.get(3)?,
                channel: col(r, 4)?,
            },
        ))
    })?;
    for row in open_now {
        let (created_at, props) = row?;
        let group = group_of(&props);
        now_rows
            .entry(group.clone())
            .or_insert_with(|| BacklogRow::empty("now".into(), at, group, false))
            .count_open(props.priority, (at - created_at).num_seconds());
    }

    // (bucket index, group) → row
    let mut rows: BTreeMap<(usize, Option<String>), BacklogRow> = BTreeMap::new();
    let fixed: Vec<Option<String>> = match scope.by {
        Some(Grouping::Priority) => scope.fixed_groups(),
        Some(g) if !g.is_time() => Vec::new(),
        _ => vec![None],
    };
    for (i, (label, end)) in time_buckets.iter().enumerate() {
        for g in &fixed {
            rows.insert(
                (i, g.clone()),
                BacklogRow::empty(label.clone().unwrap_or_default(), *end, g.clone(), true),
            );
        }
    }
    let ends: Vec<DateTime<Utc>> = time_buckets.iter().map(|(_, e)| *e).collect();
    let labels: Vec<String> = time_buckets
        .iter()
        .map(|(l, _)| l.clone().unwrap_or_default())
        .collect();
    let (from, end) = (scope.period.from, scope.end());
    let sql = format!(
        "SELECT s.start, s.end, s.status, s.priority, s.tier, s.change, s.created_at, {owner},
                s.channel
         FROM report_segments s {indexed} {join}
         WHERE s.start < ?2 AND s.relevant_until >= ?1",
        owner = scope.owner_column(),
        indexed = scope.indexed(),
        join = scope.owner_join("s"),
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let segments = stmt.query_map((ts(from), ts(end)), |r| {
        Ok((
            time_col(r, 0)?,
            opt_time_col(r, 1)?,
            col::<Status>(r, 2)?,
            r.get::<_, String>(5)?,
            time_col(r, 6)?,
            CaseProps {
                priority: col(r, 3)?,
                tier: col(r, 4)?,
                owner: r.get(7)?,
                channel: col(r, 8)?,
            },
        ))
    })?;
    fn row_for<'a>(
        rows: &'a mut BTreeMap<(usize, Option<String>), BacklogRow>,
        (labels, ends): (&[String], &[DateTime<Utc>]),
        i: usize,
        group: Option<String>,
    ) -> &'a mut BacklogRow {
        rows.entry((i, group.clone()))
            .or_insert_with(|| BacklogRow::empty(labels[i].clone(), ends[i], group, true))
    }
    for seg in segments {
        let (start, seg_end, status, change, created_at, props) = seg?;
        let group = group_of(&props);
        // Open just before a bucket's end: start < end_i <= seg_end.
        if status.is_open() {
            let first = ends.partition_point(|e| *e <= start);
            for i in first..ends.len() {
                if seg_end.is_some_and(|se| se < ends[i]) {
                    break;
                }
                row_for(&mut rows, (&labels, &ends), i, group.clone())
                    .count_open(props.priority, (ends[i] - created_at).num_seconds());
            }
        }
        // The flow: what began this segment, in the bucket it fell in.
        if from <= start && start < end {
            let i = ends.partition_point(|e| *e <= start);
            if i < ends.len() {
                let row = row_for(&mut rows, (&labels, &ends), i, group);
                let counter = match (change.as_str(), status) {
                    ("created", _) => &mut row.created,
                    ("status", Status::Resolved) => &mut row.resolved,
                    ("status", Status::Closed) => &mut row.closed,
                    _ => continue,
                };
                *counter.get_or_insert(0) += 1;
            }
        }
    }
    let mut out: Vec<BacklogRow> = if now_rows.is_empty() {
        vec![BacklogRow::empty("now".into(), at, None, false)]
    } else {
        now_rows.into_values().collect()
    };
    out.extend(rows.into_values());
    Ok(BacklogReport {
        header: scope.header(ReportKind::Backlog, sla),
        rows: out,
    })
}

/// `report load`: per owner, open cases now (P1, P2, due within the hour, breached), and the
/// public notes and calls they made in the period.
pub fn load_report(
    conn: &Connection,
    sla: &Sla,
    scope: &ReportScope,
) -> Result<LoadReport, StoreError> {
    let at = scope.at;
    let mut tally = LoadTally::default();
    let mut stmt = conn.prepare_cached(
        "SELECT owner, priority, next_due, breached FROM cases
         WHERE status NOT IN ('resolved', 'closed')",
    )?;
    let open = stmt.query_map([], |r| {
        Ok((
            r.get::<_, Option<String>>(0)?,
            col::<Priority>(r, 1)?,
            opt_time_col(r, 2)?,
            r.get::<_, bool>(3)?,
        ))
    })?;
    for row in open {
        let (owner, priority, next_due, breached) = row?;
        tally.open_case(owner.as_deref(), priority, next_due, breached, at);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT author,
                sum(kind = 'note' AND visibility = 'public'),
                sum(kind = 'call')
         FROM notes
         WHERE created_at >= ?1 AND created_at < ?2 AND party = 'support'
         GROUP BY author",
    )?;
    let notes = stmt.query_map((ts(scope.period.from), ts(scope.end())), |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, u64>(1)?,
            r.get::<_, u64>(2)?,
        ))
    })?;
    for row in notes {
        let (author, public_notes, calls) = row?;
        tally.wrote(&author, public_notes, calls);
    }
    let rows = tally.rows();
    Ok(LoadReport {
        header: scope.header(ReportKind::Load, sla),
        rows,
    })
}

/// The wallboard's trend: the desk's clocks this week and last, and breaches per day over two
/// weeks, in the desk's zone.
pub fn trend(conn: &Connection, sla: &Sla, scope: &ReportScope) -> Result<Trend, StoreError> {
    let this_week = scope.period;
    let last_week = this_week.earlier_by(7);
    let fortnight = Period::of_days(last_week.first_day, this_week.last_day, this_week.zone);
    let rows_for = |period: Period, by: Option<Grouping>| {
        sla_rows(
            conn,
            &ReportScope {
                period,
                by,
                at: scope.at,
            },
        )
    };
    let this_rows = rows_for(this_week, None)?;
    let last_rows = rows_for(last_week, None)?;
    let pick = |rows: &[SlaRow], clock| {
        rows.iter()
            .find(|r| r.clock == clock)
            .cloned()
            .unwrap_or(SlaRow {
                group: None,
                clock,
                met: 0,
                breached: 0,
                attainment: None,
                running: 0,
            })
    };
    let clocks = [ReportClock::FirstResponse, ReportClock::NextUpdate]
        .into_iter()
        .map(|clock| TrendClock {
            clock,
            this_week: pick(&this_rows, clock),
            last_week: pick(&last_rows, clock),
        })
        .collect();
    let mut by_day: BTreeMap<String, u64> = BTreeMap::new();
    for row in rows_for(fortnight, Some(Grouping::Day))? {
        if row.clock != ReportClock::RmaReturn
            && let Some(day) = row.group
        {
            *by_day.entry(day).or_default() += row.breached;
        }
    }
    let breaches = fortnight
        .days()
        .map(|(day, _)| TrendDay {
            day,
            breaches: by_day.get(&day.to_string()).copied().unwrap_or(0),
        })
        .collect();
    Ok(Trend {
        at: scope.at,
        zone: scope.period.zone.name().to_string(),
        target: f64::from(sla.policies.attainment_target) / 100.0,
        clocks,
        breaches,
    })
}

/// Writes the report facts of every case that has none (a database from before reports, or
/// one written by an older server); returns how many.
pub fn fill_missing(conn: &Connection, sla: &Sla, at: DateTime<Utc>) -> Result<usize, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT number FROM cases c
         WHERE NOT EXISTS (SELECT 1 FROM report_segments s WHERE s.case_number = c.number)",
    )?;
    let numbers = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    for number in &numbers {
        super::cases::write_report_facts(conn, sla, number, at)?;
    }
    Ok(numbers.len())
}
