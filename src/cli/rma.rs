//! `casedesk rma show` and `casedesk rma set`: one RMA's lifecycle (SPEC §2.8).
//!
//! A move goes to the server only — never the outbox (see `sync::rmas`): offline, `rma set`
//! fails with exit status 1 and says so. A move the server refuses exits 1 with its words,
//! which list the allowed moves, as a refused `cases set` does.

use chrono::{DateTime, Utc};

use super::client::{GlobalArgs, Session, block_on};
use super::{CliError, parse_flag, write_out};
use crate::api::{Rma, RmaPatch};
use crate::config::DisplayZone;
use crate::domain::{AnalysisRequest, RmaNumber, RmaStatus};
use crate::sanitize::clean;

/// `casedesk rma show RMA [--json]`.
pub fn show(
    number: &str,
    json: bool,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let number: RmaNumber = parse_flag("RMA number", number)?;
    let session = Session::open(global, false)?;
    let (rma, online) = block_on(async { Ok(session.desk.rma(&number).await?) })?;
    if !online {
        session.announce(session.desk.freshness()?);
    }
    if json {
        return write_out(out, &super::json_text(&rma)?);
    }
    write_out(out, &rma_text(&rma, session.zone(), Utc::now()))
}

/// `casedesk rma set RMA [--status S] [--analysis A]`.
pub fn set(
    number: &str,
    status: Option<&str>,
    analysis: Option<&str>,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let number: RmaNumber = parse_flag("RMA number", number)?;
    let patch = RmaPatch {
        status: status
            .map(|s| parse_flag::<RmaStatus>("--status", s))
            .transpose()?,
        analysis: analysis
            .map(|a| parse_flag::<AnalysisRequest>("--analysis", a))
            .transpose()?,
    };
    if patch.status.is_none() && patch.analysis.is_none() {
        return Err(CliError::Usage(format!(
            "nothing to change on {number}: expected --status ({}) and/or --analysis ({})",
            names(RmaStatus::ALL.iter().map(|s| s.as_str())),
            names(AnalysisRequest::ALL.iter().map(|a| a.as_str())),
        )));
    }
    let session = Session::open(global, false)?;
    let rma = block_on(async { Ok(session.desk.patch_rma(&number, &patch).await?) })?;
    write_out(out, &(one_line(&rma, session.zone(), Utc::now()) + "\n"))
}

fn names<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

fn when(zone: DisplayZone, t: DateTime<Utc>) -> String {
    zone.format(t, "%Y-%m-%d %H:%M %:z")
}

/// `due … OVERDUE`, `due …`, or why there is no date yet.
fn return_due(rma: &Rma, zone: DisplayZone) -> String {
    match rma.return_due {
        Some(d) if rma.overdue => format!("due {} OVERDUE", when(zone, d)),
        Some(d) => format!("due {}", when(zone, d)),
        None => "- (not issued)".into(),
    }
}

/// When the defective unit came back, or why that is not known.
fn received(rma: &Rma, zone: DisplayZone) -> String {
    match rma.received_at {
        Some(t) => when(zone, t),
        None if rma.status.is_open() && rma.status != RmaStatus::DefectiveReceived => {
            "- (not yet)".into()
        }
        None => "not recorded".into(),
    }
}

/// The analysis request and its due date, or why the date is not known.
pub(super) fn analysis(rma: &Rma, zone: DisplayZone) -> String {
    let Some(a) = rma.analysis else {
        return "none".into();
    };
    let result = match a {
        AnalysisRequest::RepairAnalysis => "result",
        AnalysisRequest::FailureAnalysis => "preliminary result",
    };
    match (rma.analysis_due, rma.received_at) {
        (Some(due), _) => format!("{} ({}): {result} due {}", a.label(), a, when(zone, due)),
        (None, None) if rma.status.is_open() && rma.status != RmaStatus::DefectiveReceived => {
            format!(
                "{} ({}): {result} due {} days after the defective unit is received",
                a.label(),
                a,
                a.days()
            )
        }
        (None, _) => format!(
            "{} ({}): due date unknown — the unit's receipt was not recorded",
            a.label(),
            a
        ),
    }
}

/// The moves allowed from here.
fn next_moves(rma: &Rma) -> String {
    let next = rma.status.allowed_next();
    if next.is_empty() {
        format!("none ({} is final)", rma.status)
    } else {
        names(next.iter().map(|s| s.as_str()))
    }
}

fn rma_text(rma: &Rma, zone: DisplayZone, _now: DateTime<Utc>) -> String {
    let line = |t: &str| clean(t, true).into_owned();
    let rows = [
        (
            "rma",
            format!("{}  {} ({})", rma.number, rma.status.label(), rma.status),
        ),
        ("case", rma.case_number.to_string()),
        ("account", line(&rma.account)),
        ("serial", line(&rma.serial_number)),
        ("part", line(&rma.part_number)),
        ("created", when(zone, rma.created_at)),
        (
            "issued",
            rma.issued_at.map_or_else(|| "-".into(), |t| when(zone, t)),
        ),
        ("return", return_due(rma, zone)),
        ("received", received(rma, zone)),
        ("analysis", analysis(rma, zone)),
        ("next", next_moves(rma)),
    ];
    rows.iter().map(|(k, v)| format!("{k:<9}{v}\n")).collect()
}

/// The new state after `rma set`, in one line.
fn one_line(rma: &Rma, zone: DisplayZone, _now: DateTime<Utc>) -> String {
    format!(
        "{} {} · case {} · return {} · received {} · analysis {} · next {}",
        rma.number,
        rma.status,
        rma.case_number,
        return_due(rma, zone),
        received(rma, zone),
        analysis(rma, zone),
        next_moves(rma)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rma(status: RmaStatus, analysis: Option<AnalysisRequest>, received: bool) -> Rma {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc));
        let created = t("2026-11-20T01:00:00Z").unwrap_or_default();
        let received_at = received.then(|| t("2026-11-30T02:00:00Z").unwrap_or_default());
        Rma {
            number: RmaNumber::new(21_000_008).unwrap(),
            status,
            case_number: "2026-1120-000001".parse().unwrap(),
            account: "ACME\x1b[2J".into(),
            serial_number: "FOC1".into(),
            part_number: "PWR-1".into(),
            analysis,
            created_at: created,
            issued_at: Some(created),
            return_due: t("2026-12-04T08:00:00Z").ok(),
            overdue: status.awaits_return(),
            received_at,
            analysis_due: analysis.zip(received_at).map(|(a, r)| a.due(r)),
        }
    }

    #[test]
    fn show_names_every_field_and_the_allowed_moves() {
        let zone = DisplayZone::named("Asia/Tokyo").unwrap();
        let r = rma(
            RmaStatus::ReplacementShipped,
            Some(AnalysisRequest::FailureAnalysis),
            false,
        );
        let text = rma_text(&r, zone, Utc::now());
        assert!(text.contains("rma      R21000008  Replacement shipped (replacement_shipped)"));
        assert!(text.contains("account  ACME[2J"), "sanitized: {text}");
        assert!(
            text.contains("return   due 2026-12-04 17:00 +09:00 OVERDUE"),
            "{text}"
        );
        assert!(text.contains("received - (not yet)"), "{text}");
        assert!(
            text.contains("preliminary result due 15 days after the defective unit is received")
        );
        assert!(
            text.contains("next     defective_received, closed, cancelled"),
            "{text}"
        );
    }

    #[test]
    fn analysis_due_is_shown_or_said_to_be_unknown() {
        let zone = DisplayZone::named("UTC").unwrap();
        let back = rma(
            RmaStatus::DefectiveReceived,
            Some(AnalysisRequest::RepairAnalysis),
            true,
        );
        assert_eq!(
            analysis(&back, zone),
            "Repair analysis (repair_analysis): result due 2026-12-30 02:00 +00:00"
        );
        let skipped = rma(
            RmaStatus::Closed,
            Some(AnalysisRequest::FailureAnalysis),
            false,
        );
        assert!(analysis(&skipped, zone).contains("receipt was not recorded"));
        assert_eq!(received(&skipped, zone), "not recorded");
        assert!(one_line(&skipped, zone, Utc::now()).contains("next none (closed is final)"));
    }
}
