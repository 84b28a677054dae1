//! `casedesk sla …`: ask the SLA engine directly.

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use clap::{Args, Subcommand};
use serde_json::json;

use super::{CliError, parse_flag, read_flag_file, table, write_out};
use crate::domain::{Channel, ContractTier, Priority};
use crate::sla::{self, Calendar, Calendars, Metric, Policies, SlaDuration};
use crate::term::text::Lang;

/// The `sla` subcommands.
#[derive(Debug, Subcommand)]
pub enum SlaCommand {
    /// When a tier's target comes due for a case opened (or last updated) at --start.
    Due(DueArgs),
    /// The instant after --duration of working time on a calendar.
    Add(AddArgs),
    /// The working time between two instants on a calendar.
    Between(BetweenArgs),
    /// List the calendars (built-in and from --calendar-file), or show one with its holidays.
    Calendars(CalendarsArgs),
    /// The SLA targets of every contract tier, as in the support guides.
    Policies(PoliciesArgs),
    /// Compute a case's clocks from its history (a JSON file, `-` for stdin).
    Clocks(ClocksArgs),
}

/// Where calendars come from.
#[derive(Debug, Args)]
pub struct CalendarSource {
    /// A TOML file of your own calendars, added to the built-ins.
    #[arg(long, value_name = "FILE")]
    calendar_file: Option<PathBuf>,
}

impl CalendarSource {
    /// This source, or `file` (from a config file) when no flag was given.
    pub(super) fn or_file(self, file: Option<PathBuf>) -> CalendarSource {
        CalendarSource {
            calendar_file: self.calendar_file.or(file),
        }
    }

    /// The built-in calendars plus the file's.
    pub(super) fn load(&self) -> Result<Calendars, CliError> {
        match &self.calendar_file {
            None => Ok(Calendars::builtin()),
            Some(path) => {
                let text = read_flag_file("--calendar-file", path)?;
                Calendars::with_file(&path.display().to_string(), &text)
                    .map_err(|e| CliError::Usage(e.to_string()))
            }
        }
    }
}

/// Where policies come from.
#[derive(Debug, Args)]
pub struct PolicySource {
    /// A TOML file overriding the built-in tier presets.
    #[arg(long, value_name = "FILE")]
    policies: Option<PathBuf>,
}

impl PolicySource {
    /// This source, or `file` (from a config file) when no flag was given.
    pub(super) fn or_file(self, file: Option<PathBuf>) -> PolicySource {
        PolicySource {
            policies: self.policies.or(file),
        }
    }

    /// The built-in policies with the file applied.
    pub(super) fn load(&self) -> Result<Policies, CliError> {
        match &self.policies {
            None => Ok(Policies::builtin()),
            Some(path) => {
                let text = read_flag_file("--policies", path)?;
                Policies::with_file(&path.display().to_string(), &text)
                    .map_err(|e| CliError::Usage(e.to_string()))
            }
        }
    }
}

#[derive(Debug, Args)]
pub struct DueArgs {
    /// Contract tier: tac-care, tac-advanced, tac-premium, standard, premium or self_service.
    #[arg(long)]
    tier: String,
    /// Priority: P1–P4 (or critical/high/medium/low, emergency, 緊急/高/中/低).
    #[arg(long)]
    priority: String,
    /// Which target: first-response or update.
    #[arg(long)]
    metric: String,
    /// How the case came in: web, phone or email.
    #[arg(long, default_value = "web")]
    channel: String,
    /// The site calendar for business targets (default: the policies' site calendar).
    #[arg(long)]
    calendar: Option<String>,
    #[command(flatten)]
    calendars: CalendarSource,
    #[command(flatten)]
    policies: PolicySource,
    /// The instant the clock starts, RFC 3339 (e.g. 2026-11-20T16:00:00+09:00).
    #[arg(long)]
    start: String,
    /// Print one JSON object instead of the instant.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The calendar to count working time on.
    #[arg(long)]
    calendar: String,
    #[command(flatten)]
    calendars: CalendarSource,
    /// The starting instant, RFC 3339.
    #[arg(long)]
    start: String,
    /// How much working time: 15m, 1h, 2h30m, 3bd (business days) or 7d (wall-clock days).
    #[arg(long)]
    duration: String,
    /// Print one JSON object instead of the instant.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct BetweenArgs {
    /// The calendar to count working time on.
    #[arg(long)]
    calendar: String,
    #[command(flatten)]
    calendars: CalendarSource,
    /// The first instant, RFC 3339.
    #[arg(long)]
    from: String,
    /// The second instant, RFC 3339.
    #[arg(long)]
    to: String,
    /// Print one JSON object instead of the working time.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct CalendarsArgs {
    /// Show this calendar's weekly hours and every holiday.
    name: Option<String>,
    #[command(flatten)]
    calendars: CalendarSource,
}

#[derive(Debug, Args)]
pub struct PoliciesArgs {
    #[command(flatten)]
    policies: PolicySource,
    /// Print the policies as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ClocksArgs {
    /// The case history as JSON: created_at, priority, tier, channel, events.
    #[arg(long, value_name = "FILE")]
    history: PathBuf,
    /// The instant to compute at, RFC 3339 (default: now).
    #[arg(long)]
    now: Option<String>,
    #[command(flatten)]
    calendars: CalendarSource,
    #[command(flatten)]
    policies: PolicySource,
    /// Print the clocks as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs one `sla` subcommand, writing its output to `out`.
pub fn run(cmd: SlaCommand, out: &mut dyn Write) -> Result<(), CliError> {
    match cmd {
        SlaCommand::Due(args) => due(args, out),
        SlaCommand::Add(args) => add(args, out),
        SlaCommand::Between(args) => between(args, out),
        SlaCommand::Calendars(args) => calendars(args, out),
        SlaCommand::Policies(args) => policies(args, out),
        SlaCommand::Clocks(args) => clocks(args, out),
    }
}

fn parse_instant(flag: &str, value: &str) -> Result<DateTime<FixedOffset>, CliError> {
    DateTime::parse_from_rfc3339(value.trim()).map_err(|_| {
        CliError::Usage(format!(
            "invalid {flag} '{value}': expected an RFC 3339 instant like 2026-11-20T16:00:00+09:00"
        ))
    })
}

fn parse_duration(value: &str) -> Result<SlaDuration, CliError> {
    value.parse().map_err(|_| {
        CliError::Usage(format!(
            "invalid --duration '{value}': expected {}",
            sla::duration::EXPECTED
        ))
    })
}

fn get_calendar(calendars: &Calendars, name: &str) -> Result<std::sync::Arc<Calendar>, CliError> {
    calendars
        .get(name)
        .map_err(|e| CliError::Usage(format!("invalid --calendar: {e}")))
}

/// An instant as RFC 3339 in the calendar's zone; for a 24x7 calendar, in the offset the user gave.
fn show_instant(t: DateTime<Utc>, calendar: &Calendar, start: &DateTime<FixedOffset>) -> String {
    if calendar.is_continuous() {
        t.with_timezone(start.offset())
            .to_rfc3339_opts(SecondsFormat::Secs, false)
    } else {
        t.with_timezone(&calendar.zone())
            .to_rfc3339_opts(SecondsFormat::Secs, false)
    }
}

fn out_of_range(e: sla::OutOfRange) -> CliError {
    CliError::Usage(e.to_string())
}

fn due(args: DueArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let tier: ContractTier = parse_flag("--tier", &args.tier)?;
    let priority: Priority = parse_flag("--priority", &args.priority)?;
    let metric: Metric = parse_flag("--metric", &args.metric)?;
    let channel: Channel = parse_flag("--channel", &args.channel)?;
    let start = parse_instant("--start", &args.start)?;
    let calendars = args.calendars.load()?;
    let policies = args.policies.load()?;
    let site = args.calendar.as_deref().unwrap_or(&policies.site_calendar);
    // Check the site calendar even when this target runs on 24x7, so a typo never passes silently.
    get_calendar(&calendars, site)?;
    let target = policies.target(tier, metric, priority, channel).ok_or_else(|| {
        CliError::Failed(format!(
            "tier {tier} sets no {} target for {priority} ({channel}); `casedesk sla policies` lists the targets",
            metric.as_str()
        ))
    })?;
    let calendar = get_calendar(&calendars, target.calendar_name(site))?;
    let due =
        sla::add(start.with_timezone(&Utc), target.duration, &calendar).map_err(out_of_range)?;
    let shown = show_instant(due, &calendar, &start);
    let text = if args.json {
        super::escape_controls(
            &json!({
                "due": shown,
                "calendar": calendar.name(),
                "target": target.duration.to_string(),
                "working_seconds": target.duration.seconds(calendar.business_day_secs()),
            })
            .to_string(),
        )
    } else {
        shown
    };
    write_out(out, &(text + "\n"))
}

fn add(args: AddArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let start = parse_instant("--start", &args.start)?;
    let duration = parse_duration(&args.duration)?;
    let calendars = args.calendars.load()?;
    let calendar = get_calendar(&calendars, &args.calendar)?;
    let due = sla::add(start.with_timezone(&Utc), duration, &calendar).map_err(out_of_range)?;
    let shown = show_instant(due, &calendar, &start);
    let text = if args.json {
        super::escape_controls(
            &json!({
                "due": shown,
                "calendar": calendar.name(),
                "working_seconds": duration.seconds(calendar.business_day_secs()),
            })
            .to_string(),
        )
    } else {
        shown
    };
    write_out(out, &(text + "\n"))
}

fn between(args: BetweenArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let from = parse_instant("--from", &args.from)?;
    let to = parse_instant("--to", &args.to)?;
    let calendars = args.calendars.load()?;
    let calendar = get_calendar(&calendars, &args.calendar)?;
    let secs = sla::between(from.with_timezone(&Utc), to.with_timezone(&Utc), &calendar)
        .map_err(out_of_range)?;
    let text = if args.json {
        super::escape_controls(
            &json!({
                "from": from.to_rfc3339_opts(SecondsFormat::Secs, false),
                "to": to.to_rfc3339_opts(SecondsFormat::Secs, false),
                "calendar": calendar.name(),
                "working_seconds": secs,
                "business_days": secs as f64 / calendar.business_day_secs() as f64,
            })
            .to_string(),
        )
    } else {
        sla::span::working(secs)
    };
    write_out(out, &(text + "\n"))
}

/// The weekly hours in short form: `Mon–Fri 09:00-17:00; Sat 10:00-14:00`.
fn weekly_hours(calendar: &Calendar) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut parts = Vec::new();
    let mut day = 0;
    while day < 7 {
        let windows = calendar.windows(day);
        let mut last = day;
        while last + 1 < 7 && calendar.windows(last + 1) == windows {
            last += 1;
        }
        if !windows.is_empty() {
            let days = match (day, last) {
                (0, 6) => "every day".to_string(),
                (a, b) if a == b => DAYS[a].to_string(),
                (a, b) => format!("{}–{}", DAYS[a], DAYS[b]),
            };
            let hours: Vec<String> = windows.iter().map(ToString::to_string).collect();
            parts.push(format!("{days} {}", hours.join(", ")));
        }
        day = last + 1;
    }
    parts.join("; ")
}

fn format_hours(secs: i64) -> String {
    SlaDuration::minutes(u32::try_from(secs / 60).unwrap_or(u32::MAX)).to_string()
}

fn calendars(args: CalendarsArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let calendars = args.calendars.load()?;
    if let Some(name) = args.name {
        let cal = calendars
            .get(&name)
            .map_err(|e| CliError::Usage(e.to_string()))?;
        let mut text = format!(
            "{}: {}\nzone          {}\nhours         {}\nbusiness day  {}\n\n",
            cal.name(),
            cal.description(),
            cal.zone(),
            weekly_hours(&cal),
            format_hours(cal.business_day_secs()),
        );
        let mut t = table::plain(&["from", "to", "holiday"]);
        for h in cal.holidays() {
            let to = if h.to == h.from {
                String::new()
            } else {
                h.to.to_string()
            };
            t.add_row(vec![h.from.to_string(), to, h.name.clone()]);
        }
        if cal.holidays().is_empty() {
            text.push_str("no holidays\n");
        } else {
            text.push_str(&table::render(&t));
        }
        return write_out(out, &text);
    }
    let mut t = table::plain(&[
        "name",
        "zone",
        "business day",
        "hours",
        "holidays",
        "description",
    ]);
    for cal in calendars.iter() {
        let holidays = match (cal.holidays().first(), cal.holidays().last()) {
            (Some(first), Some(last)) => {
                format!("{} ({}..{})", cal.holidays().len(), first.from, last.to)
            }
            _ => "none".to_string(),
        };
        t.add_row(vec![
            cal.name().to_string(),
            cal.zone().to_string(),
            format_hours(cal.business_day_secs()),
            weekly_hours(cal),
            holidays,
            cal.description().to_string(),
        ]);
    }
    write_out(out, &table::render(&t))
}

fn policies(args: PoliciesArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let policies = args.policies.load()?;
    if args.json {
        return write_out(out, &super::json_text(&policies)?);
    }
    let mut t = table::plain(&["tier", "channel", "P1", "P2", "P3", "P4"]);
    for (tier, policy) in &policies.tiers {
        let mut channels: Vec<&str> = policy
            .first_response
            .rows()
            .chain(policy.update.rows())
            .map(|(channel, _)| channel)
            .collect();
        channels.dedup();
        if channels.is_empty() {
            t.add_row(vec![tier.to_string(), "—".into(), "no targets".into()]);
        }
        for channel in channels {
            let by = |metric: &crate::sla::policy::ByChannel| {
                metric
                    .rows()
                    .find(|(c, _)| *c == channel)
                    .map(|(_, targets)| *targets)
            };
            let (first, update) = (by(&policy.first_response), by(&policy.update));
            let mut row = vec![tier.to_string(), channel.to_string()];
            for priority in Priority::ALL {
                let cell = match (first, update) {
                    (Some(f), Some(u)) => format!("{} / {}", f.get(priority), u.get(priority)),
                    (Some(f), None) => f.get(priority).to_string(),
                    (None, Some(u)) => format!("— / {}", u.get(priority)),
                    (None, None) => String::new(),
                };
                row.push(cell);
            }
            t.add_row(row);
        }
    }
    let c = &policies.clocks;
    let text = format!(
        "{}\nCells are first response / update frequency. \"business\" and \"bd\" run on the site calendar ({}).\n\
         Every case: auto-close after {} waiting on the customer; RMA return due {} after issue; \
         P1 downgrade after {} of failed contact.\n",
        table::render(&t),
        policies.site_calendar,
        c.auto_close,
        c.rma_return,
        c.p1_unreachable,
    );
    write_out(out, &text)
}

fn clocks(args: ClocksArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let text = if args.history.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())
            .map_err(|e| CliError::Usage(format!("cannot read --history from stdin: {e}")))?
    } else {
        std::fs::read_to_string(&args.history).map_err(|e| {
            CliError::Usage(format!(
                "cannot read --history '{}': {e}",
                args.history.display()
            ))
        })?
    };
    let history: sla::CaseHistory = serde_json::from_str(&text).map_err(|e| {
        CliError::Usage(format!(
            "invalid --history: {e}; expected a JSON object with created_at, priority, tier, channel and events"
        ))
    })?;
    let now = match &args.now {
        Some(now) => parse_instant("--now", now)?.with_timezone(&Utc),
        None => Utc::now(),
    };
    let calendars = args.calendars.load()?;
    let policies = args.policies.load()?;
    let report = sla::compute(&history, now, &policies, &calendars)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    if args.json {
        return write_out(out, &super::json_text(&report)?);
    }
    let site = history
        .calendar
        .as_deref()
        .unwrap_or(&policies.site_calendar);
    let zone = get_calendar(&calendars, site)?.zone();
    let when = |t: DateTime<Utc>| {
        t.with_timezone(&zone)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string()
    };
    let mut t = table::plain(&["clock", "state", "target", "due", "remaining", "working"]);
    for c in &report.clocks {
        let label = match c.rma {
            Some(rma) => format!("{} {rma}", Lang::En.clock_kind(c.kind)),
            None => Lang::En.clock_kind(c.kind).to_string(),
        };
        let due = match (c.state, c.met_at, c.due) {
            (sla::ClockState::Met, Some(met), _) => format!("met {}", when(met)),
            (_, _, Some(due)) => when(due),
            _ => "—".to_string(),
        };
        let span = |s: Option<i64>, f: fn(i64) -> String| s.map_or_else(|| "—".to_string(), f);
        t.add_row(vec![
            label,
            c.state.as_str().to_string(),
            c.target.to_string(),
            due,
            span(c.remaining_secs, sla::span::compact),
            span(c.remaining_working_secs, sla::span::working),
        ]);
    }
    let mut text = table::render(&t);
    let contact = report.p1_contact;
    if contact.temporarily_downgraded {
        text.push_str("Temporarily downgraded from P1: restoring P1 is one action.\n");
    } else if let Some(at) = contact.downgrade_available_at {
        let word = if contact.downgrade_available {
            "available since"
        } else {
            "available at"
        };
        text.push_str(&format!(
            "P1 unreachable: temporary downgrade to P2 {word} {}.\n",
            when(at)
        ));
    }
    write_out(out, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_hours_group_days() {
        let cals = Calendars::builtin();
        assert_eq!(
            weekly_hours(&cals.get("jp-business").unwrap()),
            "Mon–Fri 09:00-17:00"
        );
        assert_eq!(
            weekly_hours(&cals.get("24x7").unwrap()),
            "every day 00:00-24:00"
        );
    }
}
