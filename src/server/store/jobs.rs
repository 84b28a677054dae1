//! The server's own work on a timer: breaches, auto-close and overdue RMAs.
//!
//! Everything it does is recorded (the breaches table, the RMA's flag, the case's status), so
//! a restart picks up where it left off and nothing happens twice.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::cases::{clocks, record, refresh_clocks, summary, touch, watch_due};
use super::{Sla, StoreError, emit};
use crate::domain::{CloseReason, Status};
use crate::sla::{CaseEvent, ClockKind, ClockState};

/// What one run of the jobs did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct JobReport {
    /// Cases whose clocks were looked at again.
    pub refreshed: usize,
    /// Cases closed for want of a customer reply.
    pub auto_closed: usize,
    /// RMAs newly found overdue.
    pub overdue_rmas: usize,
}

/// Runs the jobs as of `at`.
pub fn run_jobs(conn: &Connection, sla: &Sla, at: DateTime<Utc>) -> Result<JobReport, StoreError> {
    let mut report = JobReport::default();
    for number in watch_due(conn, at)? {
        report.refreshed += 1;
        let waiting_too_long = clocks(conn, sla, &number, at)?
            .clocks
            .iter()
            .any(|c| c.kind == ClockKind::AutoClose && c.state == ClockState::Breached);
        if waiting_too_long && summary(conn, &number)?.status == Status::WaitingOnCustomer {
            auto_close(conn, sla, &number, at)?;
            report.auto_closed += 1;
        } else {
            refresh_clocks(conn, sla, &number, at)?;
        }
    }
    for rma in super::overdue_rmas_to_announce(conn, at)? {
        emit(
            conn,
            at,
            "rma.overdue",
            Some(&rma.case_number.to_string()),
            &rma,
        )?;
        report.overdue_rmas += 1;
    }
    Ok(report)
}

/// Closes a case that waited on the customer past the auto-close target.
fn auto_close(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let reason = CloseReason::NoCustomerResponse;
    record(
        conn,
        number,
        at,
        "system",
        Some(&CaseEvent::StatusChanged { to: Status::Closed }),
        Some(format!("status waiting_on_customer → closed ({reason})")),
        Some("no reply from the customer within the auto-close period"),
    )?;
    conn.execute(
        "UPDATE cases SET status = 'closed', close_reason = ?2 WHERE number = ?1",
        (number, reason.as_str()),
    )?;
    touch(conn, number, at)?;
    let summary = refresh_clocks(conn, sla, number, at)?;
    emit(conn, at, "case.updated", Some(number), &summary)?;
    Ok(())
}
