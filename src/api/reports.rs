//! Reports for leads on the wire (`GET /v1/reports/{sla,response,backlog,load}`, and the
//! desk-wide `GET /v1/stats/trend` the wallboard reads): the query, the period it resolves to,
//! and the rows. The CLI's `--json` prints the rows as they are here: a contract.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// SLA attainment per clock.
    Sla,
    /// First-response times.
    Response,
    /// Open cases by age and priority, and the daily flow.
    Backlog,
    /// Per owner: open cases, urgent ones, notes and calls.
    Load,
}

impl ReportKind {
    /// Every report, in the order the reports screen shows them.
    pub const ALL: [ReportKind; 4] = [
        ReportKind::Sla,
        ReportKind::Response,
        ReportKind::Backlog,
        ReportKind::Load,
    ];

    /// The wire word (`sla`), also the path segment and the CLI's subcommand.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Sla => "sla",
            ReportKind::Response => "response",
            ReportKind::Backlog => "backlog",
            ReportKind::Load => "load",
        }
    }

    /// The groupings this report accepts.
    pub fn groupings(self) -> &'static [Grouping] {
        match self {
            ReportKind::Load => &[Grouping::Owner],
            _ => &Grouping::ALL,
        }
    }
}

impl fmt::Display for ReportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ReportKind {
    type Err = ReportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReportKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| ReportError::Kind(s.to_string()))
    }
}

/// What a report's rows are split by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// The case's priority at the instant counted.
    Priority,
    /// The case's contract tier at the instant counted.
    Tier,
    /// The case's owner now.
    Owner,
    /// How the case came in.
    Channel,
    /// ISO week of the instant counted, in the report's zone (`2026-W48`).
    Week,
    /// Day of the instant counted, in the report's zone (`2026-11-26`).
    Day,
}

impl Grouping {
    /// Every grouping.
    pub const ALL: [Grouping; 6] = [
        Grouping::Priority,
        Grouping::Tier,
        Grouping::Owner,
        Grouping::Channel,
        Grouping::Week,
        Grouping::Day,
    ];

    /// The wire word.
    pub fn as_str(self) -> &'static str {
        match self {
            Grouping::Priority => "priority",
            Grouping::Tier => "tier",
            Grouping::Owner => "owner",
            Grouping::Channel => "channel",
            Grouping::Week => "week",
            Grouping::Day => "day",
        }
    }

    /// Whether it splits by time rather than by a property of the case.
    pub fn is_time(self) -> bool {
        matches!(self, Grouping::Week | Grouping::Day)
    }

    /// The group value of an instant, for a time grouping, in `zone`.
    pub fn time_group(self, at: DateTime<Utc>, zone: Tz) -> Option<String> {
        let date = at.with_timezone(&zone).date_naive();
        match self {
            Grouping::Day => Some(date.to_string()),
            Grouping::Week => Some(week_label(date)),
            _ => None,
        }
    }
}

/// `2026-W48`: the ISO week a date falls in.
pub fn week_label(date: NaiveDate) -> String {
    let week = date.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

impl fmt::Display for Grouping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Grouping {
    type Err = ReportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Grouping::ALL
            .into_iter()
            .find(|g| g.as_str() == s)
            .ok_or_else(|| ReportError::Grouping(s.to_string()))
    }
}

/// Why a report query was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// Not a report's name.
    #[error("no report named {0:?}: the reports are sla, response, backlog and load")]
    Kind(String),
    /// Not a grouping.
    #[error("cannot group by {0:?}: expected priority, tier, owner, channel, week or day")]
    Grouping(String),
    /// A grouping the report does not have.
    #[error("the {kind} report cannot be grouped by {by}: it is always per owner")]
    GroupingFor {
        /// The report.
        kind: ReportKind,
        /// The grouping asked for.
        by: Grouping,
    },
    /// A date in the wrong form.
    #[error("{field} {value:?} is not a date: expected YYYY-MM-DD (e.g. 2026-11-20)")]
    Date {
        /// `from` or `to`.
        field: &'static str,
        /// What was given.
        value: String,
    },
    /// Not an IANA zone.
    #[error("zone {0:?} is not a time zone: expected an IANA name such as Asia/Tokyo or UTC")]
    Zone(String),
    /// The period ends before it starts, or is too long.
    #[error("{0}")]
    Period(String),
}

/// The longest period a report covers, in days.
pub const MAX_PERIOD_DAYS: i64 = 400;

/// Days a report covers when no `from` is given (ending with `to`, today by default).
pub const DEFAULT_PERIOD_DAYS: i64 = 7;

/// What a report is asked for: dates are whole days in the zone, both ends included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportQuery {
    /// The first day (default: six days before `to`).
    pub from: Option<NaiveDate>,
    /// The last day (default: today).
    pub to: Option<NaiveDate>,
    /// The zone days are counted in (default: the server's business zone).
    pub zone: Option<String>,
    /// How the rows are split (default: not at all, or per owner for `load`).
    pub by: Option<Grouping>,
}

impl ReportQuery {
    /// Reads a date as the API and the CLI take it.
    pub fn date(field: &'static str, text: &str) -> Result<NaiveDate, ReportError> {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| ReportError::Date {
            field,
            value: text.to_string(),
        })
    }

    /// Reads an IANA zone name.
    pub fn zone(text: &str) -> Result<Tz, ReportError> {
        text.parse::<Tz>()
            .map_err(|_| ReportError::Zone(text.to_string()))
    }

    /// The query string (without `?`), in a fixed order so equal queries make equal URLs.
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        if let Some(from) = self.from {
            parts.push(format!("from={from}"));
        }
        if let Some(to) = self.to {
            parts.push(format!("to={to}"));
        }
        if let Some(zone) = &self.zone {
            parts.push(format!("zone={}", zone.replace('+', "%2B")));
        }
        if let Some(by) = self.by {
            parts.push(format!("by={by}"));
        }
        parts.join("&")
    }

    /// Checks the grouping against the report and resolves the period at `now` in the zone
    /// (`default_zone` when the query names none).
    pub fn resolve(
        &self,
        kind: ReportKind,
        now: DateTime<Utc>,
        default_zone: Tz,
    ) -> Result<Period, ReportError> {
        if let Some(by) = self.by
            && !kind.groupings().contains(&by)
        {
            return Err(ReportError::GroupingFor { kind, by });
        }
        let zone = match &self.zone {
            Some(z) => ReportQuery::zone(z)?,
            None => default_zone,
        };
        let today = now.with_timezone(&zone).date_naive();
        let to = self.to.unwrap_or(today);
        let from = self
            .from
            .unwrap_or(to - Duration::days(DEFAULT_PERIOD_DAYS - 1));
        if from > to {
            return Err(ReportError::Period(format!(
                "the period starts ({from}) after it ends ({to}): --from must be on or before --to"
            )));
        }
        let days = (to - from).num_days() + 1;
        if days > MAX_PERIOD_DAYS {
            return Err(ReportError::Period(format!(
                "the period is {days} days; a report covers at most {MAX_PERIOD_DAYS}"
            )));
        }
        Ok(Period::of_days(from, to, zone))
    }
}

/// The instant a day starts in a zone (the first instant that exists, across a DST gap).
pub fn start_of(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    match zone.from_local_datetime(&midnight).earliest() {
        Some(t) => t.with_timezone(&Utc),
        // A zone whose day starts in a gap (none at midnight today, but the data may change):
        // an hour later always exists.
        None => zone
            .from_local_datetime(&(midnight + Duration::hours(1)))
            .earliest()
            .map_or_else(
                || Utc.from_utc_datetime(&midnight),
                |t| t.with_timezone(&Utc),
            ),
    }
}

/// A resolved period: `[from, to)` in UTC, from the start of its first day to the end of its
/// last in `zone`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first instant counted.
    pub from: DateTime<Utc>,
    /// The first instant after the period.
    pub to: DateTime<Utc>,
    /// Its first day in the zone.
    pub first_day: NaiveDate,
    /// Its last day in the zone.
    pub last_day: NaiveDate,
    /// The zone its days are counted in.
    pub zone: Tz,
}

impl Period {
    /// The days `first` to `last` (both included) in `zone`.
    pub fn of_days(first: NaiveDate, last: NaiveDate, zone: Tz) -> Period {
        Period {
            from: start_of(first, zone),
            to: start_of(last + Duration::days(1), zone),
            first_day: first,
            last_day: last,
            zone,
        }
    }

    /// The same days moved `days` earlier (negative: later).
    pub fn earlier_by(&self, days: i64) -> Period {
        let shift = Duration::days(days);
        Period::of_days(self.first_day - shift, self.last_day - shift, self.zone)
    }

    /// Whether `at` falls in it.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && at < self.to
    }

    /// Its days, first to last, each with the instant it ends.
    pub fn days(&self) -> impl Iterator<Item = (NaiveDate, DateTime<Utc>)> + '_ {
        self.first_day
            .iter_days()
            .take_while(|d| *d <= self.last_day)
            .map(|d| (d, start_of(d + Duration::days(1), self.zone)))
    }
}

/// What every report answers besides its rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReportHeader {
    /// Which report.
    pub kind: ReportKind,
    /// The first instant counted.
    pub from: DateTime<Utc>,
    /// The first instant after the period.
    pub to: DateTime<Utc>,
    /// The zone days and weeks are counted in.
    pub zone: String,
    /// How the rows are split, if they are.
    pub by: Option<Grouping>,
    /// The instant the report was computed at (whole minutes): clocks still running are
    /// counted as they stood then.
    pub at: DateTime<Utc>,
    /// The attainment the desk aims for (a fraction), drawn as the target line.
    pub target: f64,
}

/// Which clock an SLA row counts; the names are the report's, not the engine's.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReportClock {
    /// From creation to the first public response.
    FirstResponse,
    /// From one public update to the next.
    NextUpdate,
    /// An RMA's defective unit due back.
    RmaReturn,
}

impl ReportClock {
    /// Every clock, in row order.
    pub const ALL: [ReportClock; 3] = [
        ReportClock::FirstResponse,
        ReportClock::NextUpdate,
        ReportClock::RmaReturn,
    ];

    /// The wire word.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportClock::FirstResponse => "first_response",
            ReportClock::NextUpdate => "next_update",
            ReportClock::RmaReturn => "rma_return",
        }
    }

    /// The report clock of an engine clock; none for auto-close (not a promise to the
    /// customer).
    pub fn of(kind: crate::sla::ClockKind) -> Option<ReportClock> {
        use crate::sla::ClockKind;
        match kind {
            ClockKind::FirstResponse => Some(ReportClock::FirstResponse),
            ClockKind::Update => Some(ReportClock::NextUpdate),
            ClockKind::RmaReturn => Some(ReportClock::RmaReturn),
            ClockKind::AutoClose => None,
        }
    }
}

/// One row of `report sla`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SlaRow {
    /// The group's value (`P1`, `2026-W48`, an owner, `(unassigned)`), when grouped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Which clock.
    pub clock: ReportClock,
    /// Intervals met in time, counted at the instant they were met within the period.
    pub met: u64,
    /// Intervals breached, counted at their due instant within the period.
    pub breached: u64,
    /// met / (met + breached); null when neither happened.
    pub attainment: Option<f64>,
    /// Intervals still undecided at the period's end (or now) on open cases.
    pub running: u64,
}

impl SlaRow {
    /// met / (met + breached), or none.
    pub fn attainment_of(met: u64, breached: u64) -> Option<f64> {
        let decided = met + breached;
        (decided > 0).then(|| met as f64 / decided as f64)
    }
}

/// Which time a response row measures.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TimeBasis {
    /// Wall-clock seconds from creation to the first response.
    Wall,
    /// Working seconds of the site's business calendar in between.
    Business,
}

impl TimeBasis {
    /// Both, in row order.
    pub const ALL: [TimeBasis; 2] = [TimeBasis::Wall, TimeBasis::Business];

    /// The wire word.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeBasis::Wall => "wall",
            TimeBasis::Business => "business",
        }
    }
}

/// Upper edges of the first-response histogram's buckets, in seconds; the last bucket has no
/// upper edge.
pub const RESPONSE_BUCKETS: [i64; 8] = [
    15 * 60,
    30 * 60,
    3600,
    2 * 3600,
    4 * 3600,
    8 * 3600,
    24 * 3600,
    48 * 3600,
];

/// One bucket of a histogram: responses that took at most `le_secs` (and more than the
/// previous bucket's); `le_secs` is null for the last, open-ended bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Bucket {
    /// The bucket's upper edge, inclusive; null for "longer".
    pub le_secs: Option<i64>,
    /// How many fell in it.
    pub count: u64,
}

/// One row of `report response`: first responses made within the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ResponseRow {
    /// The group's value, when grouped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Wall-clock or business time.
    pub time: TimeBasis,
    /// First responses counted.
    pub count: u64,
    /// The median, in seconds (null when none).
    pub median_secs: Option<i64>,
    /// The 90th percentile (nearest rank), in seconds.
    pub p90_secs: Option<i64>,
    /// The longest, in seconds.
    pub max_secs: Option<i64>,
    /// How many fell in each of [`RESPONSE_BUCKETS`] and above.
    pub histogram: Vec<Bucket>,
}

impl ResponseRow {
    /// The row of `times` (seconds, any order).
    pub fn of(group: Option<String>, time: TimeBasis, mut times: Vec<i64>) -> ResponseRow {
        times.sort_unstable();
        let mut histogram: Vec<Bucket> = RESPONSE_BUCKETS
            .iter()
            .map(|&le| Bucket {
                le_secs: Some(le),
                count: 0,
            })
            .chain(std::iter::once(Bucket {
                le_secs: None,
                count: 0,
            }))
            .collect();
        for &t in &times {
            let i = RESPONSE_BUCKETS.partition_point(|&le| le < t);
            histogram[i].count += 1;
        }
        ResponseRow {
            group,
            time,
            count: times.len() as u64,
            median_secs: nearest_rank(&times, 50),
            p90_secs: nearest_rank(&times, 90),
            max_secs: times.last().copied(),
            histogram,
        }
    }
}

/// The nearest-rank percentile of sorted values: the smallest value with at least `pct`% of
/// the values at or below it.
pub fn nearest_rank(sorted: &[i64], pct: usize) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (pct * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// Age buckets of open cases: upper edges in days; the last is open-ended.
pub const AGE_BUCKETS: [(&str, Option<i64>); 5] = [
    ("age_under_1d", Some(1)),
    ("age_1_3d", Some(3)),
    ("age_3_7d", Some(7)),
    ("age_7_30d", Some(30)),
    ("age_over_30d", None),
];

/// Index into [`AGE_BUCKETS`] of a case `age_secs` old.
pub fn age_bucket(age_secs: i64) -> usize {
    AGE_BUCKETS
        .iter()
        .position(|(_, le)| le.is_none_or(|days| age_secs < days * 86_400))
        .unwrap_or(AGE_BUCKETS.len() - 1)
}

/// One row of `report backlog`: the open cases at the end of a day (or now) and that day's flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BacklogRow {
    /// The day (`2026-11-26`), the week (`2026-W48`, by its end) or `now`.
    pub period: String,
    /// The instant the open cases are counted at.
    pub at: DateTime<Utc>,
    /// The group's value, when grouped by a property of the case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Open cases then.
    pub open: u64,
    /// Of them, P1.
    pub p1: u64,
    /// P2.
    pub p2: u64,
    /// P3.
    pub p3: u64,
    /// P4.
    pub p4: u64,
    /// Opened less than a day before.
    pub age_under_1d: u64,
    /// 1–3 days.
    pub age_1_3d: u64,
    /// 3–7 days.
    pub age_3_7d: u64,
    /// 7–30 days.
    pub age_7_30d: u64,
    /// Over 30 days.
    pub age_over_30d: u64,
    /// Cases opened that day (week); null on the `now` row.
    pub created: Option<u64>,
    /// Cases resolved that day.
    pub resolved: Option<u64>,
    /// Cases closed that day.
    pub closed: Option<u64>,
}

impl BacklogRow {
    /// An empty row for `period` at `at`.
    pub fn empty(period: String, at: DateTime<Utc>, group: Option<String>, flow: bool) -> Self {
        let flow = flow.then_some(0);
        BacklogRow {
            period,
            at,
            group,
            open: 0,
            p1: 0,
            p2: 0,
            p3: 0,
            p4: 0,
            age_under_1d: 0,
            age_1_3d: 0,
            age_3_7d: 0,
            age_7_30d: 0,
            age_over_30d: 0,
            created: flow,
            resolved: flow,
            closed: flow,
        }
    }

    /// Counts one open case of `priority`, `age_secs` old.
    pub fn count_open(&mut self, priority: crate::domain::Priority, age_secs: i64) {
        use crate::domain::Priority;
        self.open += 1;
        *match priority {
            Priority::P1 => &mut self.p1,
            Priority::P2 => &mut self.p2,
            Priority::P3 => &mut self.p3,
            Priority::P4 => &mut self.p4,
        } += 1;
        *match age_bucket(age_secs) {
            0 => &mut self.age_under_1d,
            1 => &mut self.age_1_3d,
            2 => &mut self.age_3_7d,
            3 => &mut self.age_7_30d,
            _ => &mut self.age_over_30d,
        } += 1;
    }

    /// The counts by age bucket, in [`AGE_BUCKETS`] order.
    pub fn ages(&self) -> [u64; 5] {
        [
            self.age_under_1d,
            self.age_1_3d,
            self.age_3_7d,
            self.age_7_30d,
            self.age_over_30d,
        ]
    }

    /// The counts by priority, P1 first.
    pub fn priorities(&self) -> [u64; 4] {
        [self.p1, self.p2, self.p3, self.p4]
    }
}

/// One row of `report load`: one owner (null: unassigned).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LoadRow {
    /// The owner; null for cases nobody owns.
    pub owner: Option<String>,
    /// Open cases now.
    pub open: u64,
    /// Of them, P1.
    pub p1: u64,
    /// Of them, P2.
    pub p2: u64,
    /// Open cases whose next deadline falls within the next hour (not yet breached).
    pub breaching_1h: u64,
    /// Open cases with a breached clock counting.
    pub breached: u64,
    /// Public notes they wrote in the period.
    pub public_notes: u64,
    /// Calls they logged in the period.
    pub calls: u64,
}

/// Load rows as they are counted, one per owner: what the server and the offline cache both
/// fill, so the two count alike.
#[derive(Debug, Default)]
pub struct LoadTally(std::collections::BTreeMap<Option<String>, LoadRow>);

impl LoadTally {
    fn row(&mut self, owner: Option<&str>) -> &mut LoadRow {
        self.0
            .entry(owner.map(str::to_string))
            .or_insert_with(|| LoadRow {
                owner: owner.map(str::to_string),
                open: 0,
                p1: 0,
                p2: 0,
                breaching_1h: 0,
                breached: 0,
                public_notes: 0,
                calls: 0,
            })
    }

    /// Counts an open case of `owner` as it stands at `at`.
    pub fn open_case(
        &mut self,
        owner: Option<&str>,
        priority: crate::domain::Priority,
        next_due: Option<DateTime<Utc>>,
        breached: bool,
        at: DateTime<Utc>,
    ) {
        use crate::domain::Priority;
        let row = self.row(owner);
        row.open += 1;
        row.p1 += u64::from(priority == Priority::P1);
        row.p2 += u64::from(priority == Priority::P2);
        row.breached += u64::from(breached);
        let soon = !breached
            && next_due.is_some_and(|d| crate::sla::due::due_soon((d - at).num_seconds()));
        row.breaching_1h += u64::from(soon);
    }

    /// Counts public notes and calls `author` made in the period.
    pub fn wrote(&mut self, author: &str, public_notes: u64, calls: u64) {
        if public_notes + calls > 0 {
            let row = self.row(Some(author));
            row.public_notes += public_notes;
            row.calls += calls;
        }
    }

    /// The rows: most open cases first, then by name; the unassigned last.
    pub fn rows(self) -> Vec<LoadRow> {
        let mut rows: Vec<LoadRow> = self.0.into_values().collect();
        rows.sort_by(|a, b| {
            (a.owner.is_none(), std::cmp::Reverse(a.open), &a.owner).cmp(&(
                b.owner.is_none(),
                std::cmp::Reverse(b.open),
                &b.owner,
            ))
        });
        rows
    }
}

/// `GET /v1/reports/sla`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SlaReport {
    /// The period and how it was computed.
    #[serde(flatten)]
    pub header: ReportHeader,
    /// One row per clock (per group).
    pub rows: Vec<SlaRow>,
}

/// `GET /v1/reports/response`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ResponseReport {
    /// The period and how it was computed.
    #[serde(flatten)]
    pub header: ReportHeader,
    /// Wall then business time (per group).
    pub rows: Vec<ResponseRow>,
}

/// `GET /v1/reports/backlog`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BacklogReport {
    /// The period and how it was computed.
    #[serde(flatten)]
    pub header: ReportHeader,
    /// `now` first, then each day (or week) of the period (per group).
    pub rows: Vec<BacklogRow>,
}

/// `GET /v1/reports/load`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LoadReport {
    /// The period and how it was computed.
    #[serde(flatten)]
    pub header: ReportHeader,
    /// One row per owner, most open cases first; unassigned last.
    pub rows: Vec<LoadRow>,
}

/// One day of the trend: breaches of the desk's clocks (first response and updates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TrendDay {
    /// The day in the desk's zone.
    pub day: NaiveDate,
    /// Breaches that day.
    pub breaches: u64,
}

/// Attainment of one clock this week and last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TrendClock {
    /// Which clock (first response or next update).
    pub clock: ReportClock,
    /// Met and breached in the last 7 days (today included).
    pub this_week: SlaRow,
    /// The 7 days before.
    pub last_week: SlaRow,
}

/// `GET /v1/stats/trend`: desk-wide figures for the wallboard (any role).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Trend {
    /// When it was computed (whole minutes).
    pub at: DateTime<Utc>,
    /// The zone days are counted in.
    pub zone: String,
    /// The attainment the desk aims for.
    pub target: f64,
    /// First response, then next update.
    pub clocks: Vec<TrendClock>,
    /// The last 14 days, oldest first, today last.
    pub breaches: Vec<TrendDay>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn nearest_rank_percentiles() {
        assert_eq!(nearest_rank(&[], 50), None);
        assert_eq!(nearest_rank(&[7], 90), Some(7));
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(nearest_rank(&v, 50), Some(5));
        assert_eq!(nearest_rank(&v, 90), Some(9));
        assert_eq!(nearest_rank(&v, 100), Some(10));
    }

    #[test]
    fn histogram_edges_are_inclusive() {
        let row = ResponseRow::of(None, TimeBasis::Wall, vec![900, 901, 200_000, 3600]);
        let counts: Vec<u64> = row.histogram.iter().map(|b| b.count).collect();
        assert_eq!(counts, [1, 1, 1, 0, 0, 0, 0, 0, 1]);
        assert_eq!((row.median_secs, row.max_secs), (Some(901), Some(200_000)));
    }

    #[test]
    fn age_buckets() {
        assert_eq!(age_bucket(0), 0);
        assert_eq!(age_bucket(86_399), 0);
        assert_eq!(age_bucket(86_400), 1);
        assert_eq!(age_bucket(31 * 86_400), 4);
    }

    #[test]
    fn the_default_period_is_the_last_seven_days_in_the_zone() {
        let now = "2026-11-26T16:00:00Z".parse().unwrap(); // 01:00 on the 27th in Tokyo
        let p = ReportQuery::default()
            .resolve(ReportKind::Sla, now, chrono_tz::Asia::Tokyo)
            .unwrap();
        assert_eq!(
            (p.first_day, p.last_day),
            (day("2026-11-21"), day("2026-11-27"))
        );
        assert_eq!(
            p.from,
            "2026-11-20T15:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(
            p.to,
            "2026-11-27T15:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(p.days().count(), 7);
    }

    #[test]
    fn bad_queries_are_named() {
        let now = Utc::now();
        let q = ReportQuery {
            from: Some(day("2026-11-20")),
            to: Some(day("2026-11-19")),
            ..ReportQuery::default()
        };
        let e = q.resolve(ReportKind::Sla, now, Tz::UTC).unwrap_err();
        assert!(
            e.to_string().contains("--from must be on or before --to"),
            "{e}"
        );
        let q = ReportQuery {
            by: Some(Grouping::Tier),
            ..ReportQuery::default()
        };
        assert!(matches!(
            q.resolve(ReportKind::Load, now, Tz::UTC),
            Err(ReportError::GroupingFor { .. })
        ));
        assert!(
            ReportQuery::date("from", "20/11/2026")
                .unwrap_err()
                .to_string()
                .contains("YYYY-MM-DD")
        );
        assert!(ReportQuery::zone("Mars/Base").is_err());
        assert_eq!("week".parse::<Grouping>().unwrap(), Grouping::Week);
        assert_eq!(week_label(day("2026-11-26")), "2026-W48");
    }
}
