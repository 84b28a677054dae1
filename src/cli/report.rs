//! `casedesk report sla|response|backlog|load`: the lead's reports as a table, the rows as JSON
//! (`--json`, an array exactly as `api::reports` serializes them) or CSV (`--csv`, the same
//! field names). Offline, the last copy of the same query answers, and `load` without one is
//! computed from the cached cases.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use clap::Args;
use comfy_table::{CellAlignment, Table};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::client::{GlobalArgs, Session, block_on};
use super::{CliError, json_text, table, write_out};
use crate::api::reports::{
    BacklogReport, BacklogRow, Grouping, LoadReport, LoadRow, RESPONSE_BUCKETS, ReportClock,
    ReportError, ReportHeader, ReportKind, ReportQuery, ResponseReport, ResponseRow, SlaReport,
    SlaRow, TimeBasis,
};
use crate::sanitize::{clean, unsafe_char};
use crate::sla::ClockKind;
use crate::sla::span;
use crate::sync::{DeskError, Reported};
use crate::term::text::{Lang, Word};

/// `casedesk report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Which report: sla (attainment per clock), response (first-response times), backlog
    /// (open cases by age and priority, created/resolved/closed per day) or load (per owner).
    #[arg(value_name = "REPORT")]
    kind: String,
    /// The first day, YYYY-MM-DD (default: six days before --to).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// The last day, YYYY-MM-DD, included (default: today).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Split the rows by priority, tier, owner, channel, week or day (load: always per owner).
    #[arg(long, value_name = "GROUP")]
    by: Option<String>,
    /// The IANA zone days are counted in (default: the server's business zone).
    #[arg(long, value_name = "IANA")]
    zone: Option<String>,
    /// Print the rows as a JSON array.
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print the rows as CSV: a header line, then one line per row.
    #[arg(long)]
    csv: bool,
}

/// How the rows are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Table,
    Json,
    Csv,
}

/// Runs `casedesk report`.
pub fn run(
    args: ReportArgs,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let (kind, query) = parse(&args)?;
    let format = match (args.json, args.csv) {
        (true, _) => Format::Json,
        (_, true) => Format::Csv,
        _ => Format::Table,
    };
    let session = Session::open(global, false)?;
    // On Request Tracker the desk refuses by name; with no server configured, say so first.
    session.desk.server()?;
    let text = match kind {
        ReportKind::Sla => fetch::<SlaReport>(&session, kind, &query)?.print(format)?,
        ReportKind::Response => fetch::<ResponseReport>(&session, kind, &query)?.print(format)?,
        ReportKind::Backlog => fetch::<BacklogReport>(&session, kind, &query)?.print(format)?,
        ReportKind::Load => load(&session, &query)?.print(format)?,
    };
    write_out(out, &text)
}

/// The report and its query from the command line; a bad value is a usage error (exit 2)
/// naming the flag and the form expected.
fn parse(args: &ReportArgs) -> Result<(ReportKind, ReportQuery), CliError> {
    let usage = |flag: &str, e: ReportError| CliError::Usage(format!("{flag}: {e}"));
    let kind: ReportKind = args
        .kind
        .parse()
        .map_err(|e: ReportError| CliError::Usage(e.to_string()))?;
    let date = |flag: &'static str, text: &Option<String>| {
        text.as_deref()
            .map(|t| ReportQuery::date(flag, t))
            .transpose()
            .map_err(|e| CliError::Usage(e.to_string()))
    };
    let query = ReportQuery {
        from: date("--from", &args.from)?,
        to: date("--to", &args.to)?,
        zone: match &args.zone {
            Some(z) => Some(
                ReportQuery::zone(z.trim())
                    .map_err(|e| usage("--zone", e))?
                    .name()
                    .to_string(),
            ),
            None => None,
        },
        by: args
            .by
            .as_deref()
            .map(|b| b.trim().parse::<Grouping>())
            .transpose()
            .map_err(|e| usage("--by", e))?,
    };
    // The grouping and the period's order are checked here; whether today is today is the
    // server's to say (its zone may differ from ours), so only a period with both ends given
    // is judged.
    match query.resolve(kind, Utc::now(), Tz::UTC) {
        Err(e @ ReportError::Period(_)) if query.from.is_some() && query.to.is_some() => {
            Err(CliError::Usage(e.to_string()))
        }
        Err(e @ ReportError::GroupingFor { .. }) => Err(usage("--by", e)),
        _ => Ok((kind, query)),
    }
}

/// What the desk answers for a report: the copy, or why there is none (the outer error is
/// the runtime's).
fn ask<T>(
    session: &Session,
    kind: ReportKind,
    query: &ReportQuery,
) -> Result<Result<Reported<T>, DeskError>, CliError>
where
    T: DeserializeOwned + Serialize,
{
    block_on(async { Ok(session.desk.report(kind, query).await) })
}

/// The report of a copy, saying on stderr when it came from the cache.
fn announced<T>(session: &Session, kind: ReportKind, reported: Reported<T>) -> T {
    if let Some(at) = reported.cached_at {
        eprintln!(
            "offline: the {kind} report as fetched at {} from the cache",
            session.zone().format(at, "%Y-%m-%d %H:%M")
        );
    }
    reported.report
}

/// A report from the server or, offline, as last fetched for the same query.
fn fetch<T>(session: &Session, kind: ReportKind, query: &ReportQuery) -> Result<T, CliError>
where
    T: DeserializeOwned + Serialize,
{
    Ok(announced(session, kind, ask(session, kind, query)??))
}

/// The load report; offline without a copy, computed from the cached cases.
fn load(session: &Session, query: &ReportQuery) -> Result<LoadReport, CliError> {
    let why = match ask::<LoadReport>(session, ReportKind::Load, query)? {
        Err(DeskError::NotCached(why)) => why,
        answer => return Ok(announced(session, ReportKind::Load, answer?)),
    };
    session.fall_back(&why)?;
    if session.desk.cache().case_count().map_err(DeskError::from)? == 0 {
        return Err(CliError::Failed(format!(
            "{why}, and no cases are cached to compute it from (run `casedesk sync` once the server answers)"
        )));
    }
    let now = Utc::now();
    let period = query
        .resolve(ReportKind::Load, now, offline_zone(session, query))
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let report = session.desk.load_from_cache(&period, now)?;
    let freshness = session.desk.freshness()?.notice(session.zone(), now);
    eprintln!(
        "offline: the load report computed from the cached cases ({}); public notes and calls count only the cases kept in the cache",
        freshness.unwrap_or_default()
    );
    Ok(report)
}

/// The zone an offline load report counts days in: the query's, else the cached trend's (the
/// server's business zone), else the config's `timezone`, else `TZ`'s, else UTC.
fn offline_zone(session: &Session, query: &ReportQuery) -> Tz {
    let named = |z: &str| ReportQuery::zone(z).ok();
    let trend = || session.desk.cached_business_zone();
    let configured = || match session.zone() {
        crate::config::DisplayZone::Named(z) => Some(z),
        crate::config::DisplayZone::System => None,
    };
    let system = || {
        std::env::var("TZ")
            .ok()
            .and_then(|z| named(z.trim_start_matches(':')))
    };
    query
        .zone
        .as_deref()
        .and_then(named)
        .or_else(trend)
        .or_else(configured)
        .or_else(system)
        .unwrap_or(Tz::UTC)
}

/// What each report's envelope gives the printers.
trait Envelope {
    /// One row.
    type Row: Serialize;
    fn header(&self) -> &ReportHeader;
    fn rows(&self) -> &[Self::Row];
    /// The readable table under the title.
    fn table(&self, lang: Lang) -> String;
    /// The CSV header and each row's fields.
    fn csv(&self) -> (Vec<String>, Vec<Vec<String>>);

    /// The rows as `format` prints them.
    fn print(&self, format: Format) -> Result<String, CliError> {
        match format {
            Format::Json => json_text(self.rows()),
            Format::Csv => {
                let (header, rows) = self.csv();
                csv_text(&header, &rows)
            }
            Format::Table => {
                let lang = table::language();
                let mut text = title(self.header(), lang) + "\n";
                if self.rows().is_empty() {
                    text.push_str(lang.word(Word::ReportNoRows));
                    text.push('\n');
                } else {
                    text.push_str(&self.table(lang));
                }
                Ok(text)
            }
        }
    }
}

/// `SLA attainment · 2026-11-20 to 2026-11-26 (Asia/Tokyo) · by priority · target 95%`.
fn title(h: &ReportHeader, lang: Lang) -> String {
    let name = match h.kind {
        ReportKind::Sla => Word::ReportSlaTitle,
        ReportKind::Response => Word::ReportResponseTitle,
        ReportKind::Backlog => Word::ReportBacklogTitle,
        ReportKind::Load => Word::ReportLoadTitle,
    };
    let (first, last) = days(h);
    let mut parts = vec![
        lang.word(name).to_string(),
        lang.word(Word::ReportPeriod)
            .replace("{from}", &first.to_string())
            .replace("{to}", &last.to_string())
            .replace("{zone}", &clean(&h.zone, true)),
    ];
    if let Some(by) = h.by.filter(|_| h.kind != ReportKind::Load) {
        parts.push(
            lang.word(Word::ReportBy)
                .replace("{by}", lang.word(grouping_word(by))),
        );
    }
    if h.kind == ReportKind::Sla {
        parts.push(
            lang.word(Word::ReportTarget)
                .replace("{pct}", &percent(Some(h.target))),
        );
    }
    parts.join(" · ")
}

/// The first and last day of the header's period in its zone.
fn days(h: &ReportHeader) -> (NaiveDate, NaiveDate) {
    let zone = ReportQuery::zone(&h.zone).unwrap_or(Tz::UTC);
    let day = |t: DateTime<Utc>| t.with_timezone(&zone).date_naive();
    (day(h.from), day(h.to - Duration::seconds(1)))
}

fn grouping_word(by: Grouping) -> Word {
    match by {
        Grouping::Priority => Word::ReportByPriority,
        Grouping::Tier => Word::ReportByTier,
        Grouping::Owner => Word::ReportByOwner,
        Grouping::Channel => Word::ReportByChannel,
        Grouping::Week => Word::ReportByWeek,
        Grouping::Day => Word::ReportByDay,
    }
}

/// `93.2%`, or `-` when nothing was decided.
fn percent(fraction: Option<f64>) -> String {
    fraction.map_or_else(|| "-".to_string(), |f| format!("{:.1}%", f * 100.0))
}

/// A group's value for a table: the server's word, or "(unassigned)" for an owner of none.
fn group_text(group: Option<&str>, lang: Lang) -> String {
    group.map_or_else(
        || lang.word(Word::ReportUnassigned).to_string(),
        |g| clean(g, true).into_owned(),
    )
}

fn clock_text(clock: ReportClock, lang: Lang) -> &'static str {
    lang.clock_kind(match clock {
        ReportClock::FirstResponse => ClockKind::FirstResponse,
        ReportClock::NextUpdate => ClockKind::Update,
        ReportClock::RmaReturn => ClockKind::RmaReturn,
    })
}

fn count_text(n: Option<u64>) -> String {
    n.map_or_else(|| "-".to_string(), |n| n.to_string())
}

/// The histogram's bucket labels for a table: `≤15m` … `≤2d`, then `>2d`.
fn bucket_labels() -> Vec<String> {
    let unit = |s: i64| match s {
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s => format!("{}m", s / 60),
    };
    let last = RESPONSE_BUCKETS.last().copied().unwrap_or_default();
    RESPONSE_BUCKETS
        .iter()
        .map(|&le| format!("≤{}", unit(le)))
        .chain(std::iter::once(format!(">{}", unit(last))))
        .collect()
}

/// The histogram's CSV columns: `le_900` … `le_172800`, `over`.
fn bucket_fields() -> Vec<String> {
    RESPONSE_BUCKETS
        .iter()
        .map(|le| format!("le_{le}"))
        .chain(std::iter::once("over".to_string()))
        .collect()
}

/// A borderless table of `header` (words upper-cased in English), its columns from `numbers`
/// on right-aligned; one space between the numbers' columns so the widest report fits 80
/// columns.
fn report_table(header: Vec<String>, numbers: usize) -> Table {
    let mut t = table::plain(&[]);
    t.set_header(header);
    for (i, column) in t.column_iter_mut().enumerate() {
        if i >= numbers {
            column.set_cell_alignment(CellAlignment::Right);
            column.set_padding((1, 0));
        } else {
            column.set_padding((0, 2));
        }
    }
    t
}

/// A header word: upper-cased in English, as the other tables' headers are.
fn head(lang: Lang, w: Word) -> String {
    match lang {
        Lang::En => w.en().to_uppercase(),
        Lang::Ja => w.ja().to_string(),
    }
}

/// Whether the rows carry a group: whenever the report is split (an unassigned owner's row
/// has none, so the rows alone cannot say).
fn grouped(h: &ReportHeader) -> bool {
    h.by.is_some()
}

/// Whether backlog rows carry a group: split by a property of the case (by day or week, the
/// period column says it).
fn backlog_grouped(h: &ReportHeader) -> bool {
    h.by.is_some_and(|b| !b.is_time())
}

impl Envelope for SlaReport {
    type Row = SlaRow;
    fn header(&self) -> &ReportHeader {
        &self.header
    }
    fn rows(&self) -> &[SlaRow] {
        &self.rows
    }

    fn table(&self, lang: Lang) -> String {
        let grouped = grouped(&self.header);
        let mut header = Vec::new();
        if let Some(by) = self.header.by.filter(|_| grouped) {
            header.push(head(lang, grouping_word(by)));
        }
        let labels = header.len() + 1;
        header.extend(
            [
                Word::ReportColClock,
                Word::ReportColMet,
                Word::ReportColBreached,
                Word::ReportColAttainment,
                Word::ReportColRunning,
            ]
            .map(|w| head(lang, w)),
        );
        let mut t = report_table(header, labels);
        for r in &self.rows {
            let mut cells = Vec::new();
            if grouped {
                cells.push(group_text(r.group.as_deref(), lang));
            }
            cells.extend([
                clock_text(r.clock, lang).to_string(),
                r.met.to_string(),
                r.breached.to_string(),
                percent(r.attainment),
                r.running.to_string(),
            ]);
            table::add_line(&mut t, cells);
        }
        table::render(&t)
    }

    fn csv(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let grouped = grouped(&self.header);
        let mut header: Vec<String> = grouped.then(|| "group".to_string()).into_iter().collect();
        header.extend(["clock", "met", "breached", "attainment", "running"].map(str::to_string));
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let mut cells: Vec<String> = Vec::new();
                if grouped {
                    cells.push(r.group.clone().unwrap_or_default());
                }
                cells.extend([
                    r.clock.as_str().to_string(),
                    r.met.to_string(),
                    r.breached.to_string(),
                    r.attainment.map(|a| a.to_string()).unwrap_or_default(),
                    r.running.to_string(),
                ]);
                cells
            })
            .collect();
        (header, rows)
    }
}

impl Envelope for ResponseReport {
    type Row = ResponseRow;
    fn header(&self) -> &ReportHeader {
        &self.header
    }
    fn rows(&self) -> &[ResponseRow] {
        &self.rows
    }

    fn table(&self, lang: Lang) -> String {
        let grouped = grouped(&self.header);
        let mut header = Vec::new();
        if let Some(by) = self.header.by.filter(|_| grouped) {
            header.push(head(lang, grouping_word(by)));
        }
        let labels = header.len() + 1;
        header.extend(
            [
                Word::ReportColTime,
                Word::ReportColCount,
                Word::ReportColMedian,
                Word::ReportColP90,
                Word::ReportColMax,
            ]
            .map(|w| head(lang, w)),
        );
        header.extend(bucket_labels());
        let mut t = report_table(header, labels);
        for r in &self.rows {
            // Business time never in days, which would read as calendar days.
            let span = |s: Option<i64>| match (r.time, s) {
                (_, None) => "-".to_string(),
                (TimeBasis::Wall, Some(s)) => span::compact(s),
                (TimeBasis::Business, Some(s)) => span::working(s),
            };
            let mut cells = Vec::new();
            if grouped {
                cells.push(group_text(r.group.as_deref(), lang));
            }
            cells.extend([
                lang.word(match r.time {
                    TimeBasis::Wall => Word::ReportWall,
                    TimeBasis::Business => Word::ReportBusiness,
                })
                .to_string(),
                r.count.to_string(),
                span(r.median_secs),
                span(r.p90_secs),
                span(r.max_secs),
            ]);
            cells.extend(r.histogram.iter().map(|b| b.count.to_string()));
            table::add_line(&mut t, cells);
        }
        table::render(&t)
    }

    fn csv(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let grouped = grouped(&self.header);
        let mut header: Vec<String> = grouped.then(|| "group".to_string()).into_iter().collect();
        header.extend(["time", "count", "median_secs", "p90_secs", "max_secs"].map(str::to_string));
        let buckets = bucket_fields();
        header.extend(buckets.iter().cloned());
        let secs = |s: Option<i64>| s.map(|s| s.to_string()).unwrap_or_default();
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let mut cells: Vec<String> = Vec::new();
                if grouped {
                    cells.push(r.group.clone().unwrap_or_default());
                }
                cells.extend([
                    r.time.as_str().to_string(),
                    r.count.to_string(),
                    secs(r.median_secs),
                    secs(r.p90_secs),
                    secs(r.max_secs),
                ]);
                // Each bucket in its column by its edge, whatever order the server sent.
                cells.extend(RESPONSE_BUCKETS.iter().map(Some).chain([None]).map(|le| {
                    r.histogram
                        .iter()
                        .find(|b| b.le_secs.as_ref() == le)
                        .map_or(0, |b| b.count)
                        .to_string()
                }));
                cells
            })
            .collect();
        (header, rows)
    }
}

impl Envelope for BacklogReport {
    type Row = BacklogRow;
    fn header(&self) -> &ReportHeader {
        &self.header
    }
    fn rows(&self) -> &[BacklogRow] {
        &self.rows
    }

    fn table(&self, lang: Lang) -> String {
        let grouped = backlog_grouped(&self.header);
        let mut header = vec![head(lang, Word::ReportColPeriod)];
        if let Some(by) = self.header.by.filter(|_| grouped) {
            header.push(head(lang, grouping_word(by)));
        }
        let labels = header.len();
        header.extend(
            [
                Word::ReportColOpen,
                Word::ReportColP1,
                Word::ReportColP2,
                Word::ReportColP3,
                Word::ReportColP4,
                Word::ReportAgeUnder1d,
                Word::ReportAge1to3d,
                Word::ReportAge3to7d,
                Word::ReportAge7to30d,
                Word::ReportAgeOver30d,
                Word::ReportColCreated,
                Word::ReportColResolved,
                Word::ReportColClosed,
            ]
            .map(|w| head(lang, w)),
        );
        let mut t = report_table(header, labels);
        for r in &self.rows {
            let mut cells = vec![if r.period == "now" {
                lang.word(Word::ReportNow).to_string()
            } else {
                clean(&r.period, true).into_owned()
            }];
            if grouped {
                cells.push(group_text(r.group.as_deref(), lang));
            }
            cells.push(r.open.to_string());
            cells.extend(r.priorities().iter().map(u64::to_string));
            cells.extend(r.ages().iter().map(u64::to_string));
            cells.extend([r.created, r.resolved, r.closed].map(count_text));
            table::add_line(&mut t, cells);
        }
        table::render(&t)
    }

    fn csv(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let grouped = backlog_grouped(&self.header);
        let mut header = vec!["period".to_string(), "at".to_string()];
        if grouped {
            header.push("group".to_string());
        }
        header.extend(
            [
                "open",
                "p1",
                "p2",
                "p3",
                "p4",
                "age_under_1d",
                "age_1_3d",
                "age_3_7d",
                "age_7_30d",
                "age_over_30d",
                "created",
                "resolved",
                "closed",
            ]
            .map(str::to_string),
        );
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let mut cells = vec![r.period.clone(), r.at.to_rfc3339()];
                if grouped {
                    cells.push(r.group.clone().unwrap_or_default());
                }
                cells.push(r.open.to_string());
                cells.extend(r.priorities().iter().map(u64::to_string));
                cells.extend(r.ages().iter().map(u64::to_string));
                cells.extend(
                    [r.created, r.resolved, r.closed]
                        .map(|n| n.map(|n| n.to_string()).unwrap_or_default()),
                );
                cells
            })
            .collect();
        (header, rows)
    }
}

impl Envelope for LoadReport {
    type Row = LoadRow;
    fn header(&self) -> &ReportHeader {
        &self.header
    }
    fn rows(&self) -> &[LoadRow] {
        &self.rows
    }

    fn table(&self, lang: Lang) -> String {
        let header = [
            Word::ReportColOwner,
            Word::ReportColOpen,
            Word::ReportColP1,
            Word::ReportColP2,
            Word::ReportColDueSoon,
            Word::ReportColBreached,
            Word::ReportColNotes,
            Word::ReportColCalls,
        ]
        .map(|w| head(lang, w))
        .to_vec();
        let mut t = report_table(header, 1);
        for r in &self.rows {
            table::add_line(
                &mut t,
                vec![
                    group_text(r.owner.as_deref(), lang),
                    r.open.to_string(),
                    r.p1.to_string(),
                    r.p2.to_string(),
                    r.breaching_1h.to_string(),
                    r.breached.to_string(),
                    r.public_notes.to_string(),
                    r.calls.to_string(),
                ],
            );
        }
        table::render(&t)
    }

    fn csv(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let header = [
            "owner",
            "open",
            "p1",
            "p2",
            "breaching_1h",
            "breached",
            "public_notes",
            "calls",
        ]
        .map(str::to_string)
        .to_vec();
        let rows = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.owner.clone().unwrap_or_default(),
                    r.open.to_string(),
                    r.p1.to_string(),
                    r.p2.to_string(),
                    r.breaching_1h.to_string(),
                    r.breached.to_string(),
                    r.public_notes.to_string(),
                    r.calls.to_string(),
                ]
            })
            .collect();
        (header, rows)
    }
}

/// RFC 4180 CSV (CRLF line ends, fields quoted when they hold a comma, quote or line break),
/// with the characters a terminal would act on left out of every field.
fn csv_text(header: &[String], rows: &[Vec<String>]) -> Result<String, CliError> {
    let failed = |e: &dyn std::fmt::Display| CliError::Failed(format!("cannot write CSV: {e}"));
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(header).map_err(|e| failed(&e))?;
    for row in rows {
        w.write_record(
            row.iter()
                .map(|f| f.chars().filter(|c| !unsafe_char(*c)).collect::<String>()),
        )
        .map_err(|e| failed(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| failed(&e))?;
    String::from_utf8(bytes).map_err(|e| failed(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(kind: ReportKind, by: Option<Grouping>) -> ReportHeader {
        ReportHeader {
            kind,
            from: "2026-11-19T15:00:00Z".parse().unwrap(),
            to: "2026-11-26T15:00:00Z".parse().unwrap(),
            zone: "Asia/Tokyo".into(),
            by,
            at: "2026-11-26T03:00:00Z".parse().unwrap(),
            target: 0.95,
        }
    }

    fn sla(by: Option<Grouping>, rows: Vec<SlaRow>) -> SlaReport {
        SlaReport {
            header: header(ReportKind::Sla, by),
            rows,
        }
    }

    fn sla_row(group: Option<&str>, clock: ReportClock, met: u64, breached: u64) -> SlaRow {
        SlaRow {
            group: group.map(str::to_string),
            clock,
            met,
            breached,
            attainment: SlaRow::attainment_of(met, breached),
            running: 2,
        }
    }

    fn response() -> ResponseReport {
        let mut wall = ResponseRow::of(None, TimeBasis::Wall, vec![300, 3900, 200_000]);
        wall.group = Some("P1".into());
        let mut business = ResponseRow::of(None, TimeBasis::Business, vec![300, 3900, 90_000]);
        business.group = Some("P1".into());
        ResponseReport {
            header: header(ReportKind::Response, Some(Grouping::Priority)),
            rows: vec![wall, business],
        }
    }

    fn backlog() -> BacklogReport {
        let at = "2026-11-26T03:00:00Z".parse().unwrap();
        let mut now = BacklogRow::empty("now".into(), at, None, false);
        now.count_open(crate::domain::Priority::P1, 100);
        now.count_open(crate::domain::Priority::P3, 40 * 86_400);
        let mut day = BacklogRow::empty("2026-11-26".into(), at, None, true);
        day.count_open(crate::domain::Priority::P2, 2 * 86_400);
        day.created = Some(3);
        day.resolved = Some(1);
        BacklogReport {
            header: header(ReportKind::Backlog, Some(Grouping::Day)),
            rows: vec![now, day],
        }
    }

    fn load_report() -> LoadReport {
        LoadReport {
            header: header(ReportKind::Load, Some(Grouping::Owner)),
            rows: vec![
                LoadRow {
                    owner: Some("tanaka, \"tk\"".into()),
                    open: 12,
                    p1: 1,
                    p2: 3,
                    breaching_1h: 2,
                    breached: 1,
                    public_notes: 40,
                    calls: 7,
                },
                LoadRow {
                    owner: None,
                    open: 3,
                    p1: 0,
                    p2: 1,
                    breaching_1h: 0,
                    breached: 0,
                    public_notes: 0,
                    calls: 0,
                },
            ],
        }
    }

    /// The JSON keys of a row, in the order serde writes them.
    fn keys<T: Serialize>(row: &T) -> Vec<String> {
        let text = serde_json::to_string(row).unwrap();
        let mut keys = Vec::new();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        for k in value.as_object().unwrap().keys() {
            keys.push(k.clone());
        }
        keys
    }

    /// The CSV's field names are the JSON's (the histogram flattened into its columns).
    fn assert_same_fields<T: Serialize>(csv_header: &[String], row: &T) {
        let mut csv: Vec<String> = csv_header
            .iter()
            .filter(|h| !h.starts_with("le_") && *h != "over")
            .cloned()
            .collect();
        let mut json: Vec<String> = keys(row).into_iter().filter(|k| k != "histogram").collect();
        csv.sort();
        json.sort();
        assert_eq!(csv, json);
    }

    #[test]
    fn the_sla_table_names_the_period_the_target_and_each_clock() {
        let report = sla(
            None,
            vec![
                sla_row(None, ReportClock::FirstResponse, 41, 3),
                sla_row(None, ReportClock::NextUpdate, 120, 10),
                sla_row(None, ReportClock::RmaReturn, 0, 0),
            ],
        );
        let text = report.print(Format::Table).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "SLA attainment · 2026-11-20 to 2026-11-26 (Asia/Tokyo) · target 95.0%"
        );
        assert_eq!(
            lines[1].split_whitespace().collect::<Vec<_>>(),
            ["CLOCK", "MET", "BREACHED", "ATTAINMENT", "RUNNING"]
        );
        let cells = |l: &str| l.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(
            cells(lines[2]),
            ["first", "response", "41", "3", "93.2%", "2"]
        );
        assert_eq!(
            cells(lines[4]),
            ["RMA", "return", "0", "0", "-", "2"],
            "nothing decided"
        );
        let ja = report.table(Lang::Ja);
        assert!(ja.contains("初回応答") && ja.contains("達成率"), "{ja}");
    }

    #[test]
    fn the_sla_csv_and_json_carry_the_same_fields() {
        let report = sla(
            Some(Grouping::Owner),
            vec![
                sla_row(Some("a,b"), ReportClock::FirstResponse, 1, 1),
                sla_row(None, ReportClock::FirstResponse, 0, 0),
            ],
        );
        let text = report.print(Format::Csv).unwrap();
        assert_eq!(
            text,
            "group,clock,met,breached,attainment,running\r\n\"a,b\",first_response,1,1,0.5,2\r\n,first_response,0,0,,2\r\n"
        );
        let (h, _) = report.csv();
        assert_same_fields(&h, &report.rows[0]);
        let json: serde_json::Value =
            serde_json::from_str(&report.print(Format::Json).unwrap()).unwrap();
        assert_eq!(json[0]["attainment"], 0.5);
        assert_eq!(json[0]["clock"], "first_response");
        assert!(
            json[1].get("group").is_none(),
            "an unassigned group is left out"
        );
    }

    #[test]
    fn the_response_table_reads_spans_and_the_csv_flattens_the_histogram() {
        let report = response();
        let (h, rows) = report.csv();
        assert_eq!(
            h[6..],
            [
                "le_900",
                "le_1800",
                "le_3600",
                "le_7200",
                "le_14400",
                "le_28800",
                "le_86400",
                "le_172800",
                "over"
            ]
        );
        assert_same_fields(&h, &report.rows[0]);
        assert_eq!(
            rows[0][1..],
            [
                "wall", "3", "3900", "200000", "200000", "1", "0", "0", "1", "0", "0", "0", "0",
                "1"
            ]
        );
        let text = report.print(Format::Table).unwrap();
        assert!(
            text.starts_with(
                "First-response times · 2026-11-20 to 2026-11-26 (Asia/Tokyo) · by priority\n"
            ),
            "{text}"
        );
        assert!(text.contains("≤15m") && text.contains(">2d"), "{text}");
        let wall = text.lines().find(|l| l.contains("wall")).unwrap();
        assert!(wall.contains("1h05m") && wall.contains("2d7h"), "{wall}");
        let business = text.lines().find(|l| l.contains("business")).unwrap();
        assert!(
            business.contains("25h00m"),
            "business time never in days: {business}"
        );
        // Not split, the table fits 80 columns.
        let mut whole = report.clone();
        whole.header.by = None;
        for line in whole.print(Format::Table).unwrap().lines() {
            assert!(
                unicode_width::UnicodeWidthStr::width(line) <= 80,
                "fits 80 columns: {line}"
            );
        }
    }

    #[test]
    fn the_backlog_shows_now_and_each_day_with_its_flow() {
        let report = backlog();
        let text = report.print(Format::Table).unwrap();
        let now = text.lines().nth(2).unwrap();
        assert_eq!(
            now.split_whitespace().collect::<Vec<_>>(),
            [
                "now", "2", "1", "0", "1", "0", "1", "0", "0", "0", "1", "-", "-", "-"
            ]
        );
        let day = text.lines().nth(3).unwrap();
        assert_eq!(
            day.split_whitespace().collect::<Vec<_>>(),
            [
                "2026-11-26",
                "1",
                "0",
                "1",
                "0",
                "0",
                "0",
                "1",
                "0",
                "0",
                "0",
                "3",
                "1",
                "0"
            ]
        );
        for line in text.lines() {
            assert!(unicode_width::UnicodeWidthStr::width(line) <= 80, "{line}");
        }
        let (h, rows) = report.csv();
        assert_same_fields(&h, &report.rows[1]);
        assert_eq!(rows[0][12..], ["", "", ""], "null flow on the now row");
        assert_eq!(rows[0][1], "2026-11-26T03:00:00+00:00");
    }

    #[test]
    fn the_load_table_and_csv_quote_owners() {
        let report = load_report();
        let text = report.print(Format::Csv).unwrap();
        assert!(
            text.starts_with("owner,open,p1,p2,breaching_1h,breached,public_notes,calls\r\n\"tanaka, \"\"tk\"\"\",12,1,3,2,1,40,7\r\n,3,"),
            "{text}"
        );
        let (h, _) = report.csv();
        assert_same_fields(&h, &report.rows[0]);
        let table = report.print(Format::Table).unwrap();
        assert!(
            table.starts_with("Load per owner · 2026-11-20 to 2026-11-26 (Asia/Tokyo)\n"),
            "{table}"
        );
        assert!(table.contains("(unassigned)"), "{table}");
        let json: serde_json::Value =
            serde_json::from_str(&report.print(Format::Json).unwrap()).unwrap();
        assert!(json[1]["owner"].is_null());
    }

    #[test]
    fn csv_leaves_out_terminal_controls() {
        let text = csv_text(&["group".into()], &[vec!["a\u{1b}[2Jb\u{9b}c".into()]]).unwrap();
        assert_eq!(text, "group\r\na[2Jbc\r\n");
    }

    #[test]
    fn bad_values_name_the_flag_and_the_form() {
        let args =
            |kind: &str, from: Option<&str>, by: Option<&str>, zone: Option<&str>| ReportArgs {
                kind: kind.into(),
                from: from.map(str::to_string),
                to: None,
                by: by.map(str::to_string),
                zone: zone.map(str::to_string),
                json: false,
                csv: false,
            };
        let usage = |a: ReportArgs| match parse(&a) {
            Err(CliError::Usage(m)) => m,
            other => panic!("expected a usage error, got {other:?}"),
        };
        assert!(usage(args("slas", None, None, None)).contains("sla, response, backlog and load"));
        let m = usage(args("sla", Some("2026/11/20"), None, None));
        assert!(m.contains("--from") && m.contains("YYYY-MM-DD"), "{m}");
        let m = usage(args("sla", None, Some("month"), None));
        assert!(
            m.starts_with("--by:") && m.contains("priority, tier"),
            "{m}"
        );
        let m = usage(args("load", None, Some("tier"), None));
        assert!(m.contains("always per owner"), "{m}");
        let m = usage(args("sla", None, None, Some("Mars/Base")));
        assert!(m.starts_with("--zone:") && m.contains("IANA"), "{m}");
        let (kind, q) = parse(&args(
            "backlog",
            Some("2026-11-01"),
            Some("week"),
            Some("UTC"),
        ))
        .unwrap();
        assert_eq!(kind, ReportKind::Backlog);
        assert_eq!(q.to_query_string(), "from=2026-11-01&zone=UTC&by=week");
        let mut late = args("sla", Some("2026-11-20"), None, None);
        late.to = Some("2026-11-19".into());
        assert!(usage(late).contains("--from must be on or before --to"));
    }

    #[test]
    fn bucket_labels_read_as_spans() {
        assert_eq!(
            bucket_labels(),
            [
                "≤15m", "≤30m", "≤1h", "≤2h", "≤4h", "≤8h", "≤1d", "≤2d", ">2d"
            ]
        );
    }
}
