//! RMAs (SPEC §2.8).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params_from_iter};

use super::cases::{expect_version, record, refresh_clocks, touch};
use super::{Caller, Sla, StoreError, col, opt_col, opt_time_col, time_col, ts};
use crate::api::{NewRma, Rma, RmaPatch, Role};
use crate::domain::{AnalysisRequest, RmaNumber, RmaStatus};
use crate::sla::CaseEvent;

const COLUMNS: &str = "number, status, case_number, account, serial_number, part_number, analysis, \
     created_at, issued_at, return_due, received_at";

fn from_row(r: &Row, at: DateTime<Utc>) -> rusqlite::Result<Rma> {
    let status: RmaStatus = col(r, 1)?;
    let return_due = opt_time_col(r, 9)?;
    let analysis: Option<AnalysisRequest> = opt_col(r, 6)?;
    let received_at = opt_time_col(r, 10)?;
    Ok(Rma {
        number: col(r, 0)?,
        status,
        case_number: col(r, 2)?,
        account: r.get(3)?,
        serial_number: r.get(4)?,
        part_number: r.get(5)?,
        analysis,
        created_at: time_col(r, 7)?,
        issued_at: opt_time_col(r, 8)?,
        overdue: status.awaits_return() && return_due.is_some_and(|d| d < at),
        return_due,
        received_at,
        analysis_due: analysis.zip(received_at).map(|(a, r)| a.due(r)),
    })
}

/// SQL condition for an RMA whose defective unit is overdue at `?`.
const OVERDUE: &str = "status IN ('issued', 'replacement_shipped') AND return_due < ?";

/// The RMA of that number, if there is one.
pub fn find_rma(
    conn: &Connection,
    number: &str,
    at: DateTime<Utc>,
) -> Result<Option<Rma>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM rmas WHERE number = ?1");
    Ok(conn
        .query_row(&sql, [number], |r| from_row(r, at))
        .optional()?)
}

/// The number of the case an RMA belongs to (whose ETag guards changing it).
pub fn rma_case(conn: &Connection, number: &str) -> Result<String, StoreError> {
    conn.query_row(
        "SELECT case_number FROM rmas WHERE number = ?1",
        [number],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "RMA",
        id: number.to_string(),
    })
}

fn get(conn: &Connection, number: &str, at: DateTime<Utc>) -> Result<Rma, StoreError> {
    find_rma(conn, number, at)?.ok_or_else(|| StoreError::NotFound {
        what: "RMA",
        id: number.to_string(),
    })
}

/// The defective unit's return date: the RMA-return target after issue, on the site calendar.
fn return_due(
    sla: &Sla,
    case_calendar: Option<&str>,
    issued: DateTime<Utc>,
) -> Result<DateTime<Utc>, StoreError> {
    let target = sla.policies.clocks.rma_return;
    let site = case_calendar.unwrap_or(&sla.policies.site_calendar);
    let calendar = sla
        .calendars
        .get(target.calendar_name(site))
        .map_err(|e| StoreError::invalid("calendar", e.to_string()))?;
    crate::sla::add(issued, target.duration, &calendar)
        .map_err(|e| StoreError::invalid("issued_at", e.to_string()))
}

/// The calendar a case names for its site (`None`: the desk's site calendar).
pub fn case_calendar(conn: &Connection, number: &str) -> Result<Option<String>, StoreError> {
    Ok(conn.query_row(
        "SELECT calendar FROM cases WHERE number = ?1",
        [number],
        |r| r.get(0),
    )?)
}

/// Creates an RMA on a case at `at` (issued at once unless asked otherwise).
pub fn create_rma(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    new: &NewRma,
    expected: i64,
    caller: &Caller,
    at: DateTime<Utc>,
) -> Result<Rma, StoreError> {
    caller.require(Role::Agent, "create RMAs")?;
    let case = expect_version(conn, number, expected)?;
    let part = new.part_number.trim();
    if part.is_empty() {
        return Err(StoreError::invalid(
            "part_number",
            "an RMA needs the part number of the replacement, e.g. PWR-C1-350WAC",
        ));
    }
    let serial = new
        .serial_number
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .or(case.serial_number.clone())
        .ok_or_else(|| {
            StoreError::invalid(
                "serial_number",
                "the case has no serial number: give the serial of the defective unit",
            )
        })?;
    let last: Option<String> = conn.query_row("SELECT max(number) FROM rmas", [], |r| r.get(0))?;
    let next = last
        .and_then(|n| n.parse::<RmaNumber>().ok())
        .map_or(21_000_001, |n| n.value() + 1);
    let rma_number = RmaNumber::new(next)
        .map_err(|_| StoreError::invalid("number", "RMA numbers are exhausted"))?;
    let status = if new.issue {
        RmaStatus::Issued
    } else {
        RmaStatus::Requested
    };
    let issued_at = new.issue.then_some(at);
    let due = issued_at
        .map(|t| return_due(sla, case_calendar(conn, number)?.as_deref(), t))
        .transpose()?;
    conn.execute(
        "INSERT INTO rmas (number, case_number, status, account, serial_number, part_number, analysis, created_at, issued_at, return_due)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        rusqlite::params![
            rma_number.to_string(),
            number,
            status.as_str(),
            case.account,
            serial,
            part,
            new.analysis.map(|a| a.as_str()),
            ts(at),
            issued_at.map(ts),
            due.map(ts),
        ],
    )?;
    record(
        conn,
        number,
        at,
        &caller.name,
        None,
        Some(format!("RMA {rma_number} {status}: {part}")),
        None,
    )?;
    if new.issue {
        record(
            conn,
            number,
            at,
            &caller.name,
            Some(&CaseEvent::RmaIssued { rma: rma_number }),
            None,
            None,
        )?;
    }
    let rma = get(conn, &rma_number.to_string(), at)?;
    changed(conn, sla, number, &rma, "rma.created", at)?;
    Ok(rma)
}

fn changed(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    rma: &Rma,
    kind: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    touch(conn, number, at)?;
    let summary = refresh_clocks(conn, sla, number, at)?;
    super::emit(conn, at, kind, Some(number), rma)?;
    super::emit(conn, at, "case.updated", Some(number), &summary)?;
    Ok(())
}

/// Changes an RMA at `at`: moves its status forward (or cancels it) and/or sets its analysis
/// request. Reaching `defective_received` records the receipt, from which the analysis is due.
pub fn patch_rma(
    conn: &Connection,
    sla: &Sla,
    rma_number: &str,
    patch: &RmaPatch,
    caller: &Caller,
    at: DateTime<Utc>,
) -> Result<Rma, StoreError> {
    caller.require(Role::Agent, "change RMAs")?;
    if patch.status.is_none() && patch.analysis.is_none() {
        return Err(StoreError::invalid(
            "status",
            "nothing to change: give status, analysis or both (e.g. {\"status\": \"defective_received\"})",
        ));
    }
    let current = get(conn, rma_number, at)?;
    let to = patch.status.filter(|to| *to != current.status);
    let analysis = patch.analysis.filter(|a| Some(*a) != current.analysis);
    if to.is_none() && analysis.is_none() {
        return Ok(current);
    }
    if let Some(to) = to
        && !current.status.allowed_next().contains(&to)
    {
        let next: Vec<&str> = current
            .status
            .allowed_next()
            .iter()
            .map(|s| s.as_str())
            .collect();
        let detail = if next.is_empty() {
            format!("RMA {rma_number} is {} and cannot change", current.status)
        } else {
            format!(
                "RMA {rma_number} cannot go from {} to {to}: expected one of {}",
                current.status,
                next.join(", ")
            )
        };
        return Err(StoreError::Conflict {
            field: "status",
            detail,
        });
    }
    if analysis.is_some() && !current.status.is_open() {
        return Err(StoreError::Conflict {
            field: "analysis",
            detail: format!(
                "RMA {rma_number} is {}: its analysis request can no longer change",
                current.status
            ),
        });
    }
    let number = current.case_number.to_string();
    let rma = current.number;
    if let Some(analysis) = analysis {
        conn.execute(
            "UPDATE rmas SET analysis = ?2 WHERE number = ?1",
            (rma_number, analysis.as_str()),
        )?;
        let was = current
            .analysis
            .map_or(String::new(), |a| format!(" (was {a})"));
        record(
            conn,
            &number,
            at,
            &caller.name,
            None,
            Some(format!(
                "RMA {rma} analysis request: {analysis}{was}, result due {} days after the defective unit is received",
                analysis.days()
            )),
            None,
        )?;
    }
    if let Some(to) = to {
        move_status(conn, sla, &current, to, caller, at)?;
    }
    let updated = get(conn, rma_number, at)?;
    changed(conn, sla, &number, &updated, "rma.updated", at)?;
    Ok(updated)
}

/// Moves an allowed step: issue (the return clock starts), settle the return clock, record
/// the receipt, and the move itself in the timeline.
fn move_status(
    conn: &Connection,
    sla: &Sla,
    current: &Rma,
    to: RmaStatus,
    caller: &Caller,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let rma_number = current.number.to_string();
    let number = current.case_number.to_string();
    let rma = current.number;
    let mut issued_at = current.issued_at;
    if issued_at.is_none() && matches!(to, RmaStatus::Issued | RmaStatus::ReplacementShipped) {
        let due = return_due(sla, case_calendar(conn, &number)?.as_deref(), at)?;
        conn.execute(
            "UPDATE rmas SET issued_at = ?2, return_due = ?3 WHERE number = ?1",
            (&rma_number, ts(at), ts(due)),
        )?;
        record(
            conn,
            &number,
            at,
            &caller.name,
            Some(&CaseEvent::RmaIssued { rma }),
            None,
            None,
        )?;
        issued_at = Some(at);
    }
    if issued_at.is_some() && !to.awaits_return() && current.status.awaits_return() {
        record(
            conn,
            &number,
            at,
            &caller.name,
            Some(&CaseEvent::RmaSettled { rma }),
            None,
            None,
        )?;
    }
    // Only a stop at defective_received is a receipt; a move past it records none, so the
    // analysis due date stays unknown rather than invented.
    if to == RmaStatus::DefectiveReceived {
        conn.execute(
            "UPDATE rmas SET received_at = ?2 WHERE number = ?1",
            (&rma_number, ts(at)),
        )?;
    }
    conn.execute(
        "UPDATE rmas SET status = ?2 WHERE number = ?1",
        (&rma_number, to.as_str()),
    )?;
    record(
        conn,
        &number,
        at,
        &caller.name,
        None,
        Some(format!("RMA {rma} {} → {to}", current.status)),
        None,
    )?;
    Ok(())
}

/// RMA list filters and sort (SPEC §2.9).
#[derive(Debug, Clone, Default)]
pub struct RmaQuery {
    /// Any of these statuses.
    pub status: Vec<RmaStatus>,
    /// Of this case.
    pub case_number: Option<String>,
    /// Of this serial.
    pub serial_number: Option<String>,
    /// Of this account.
    pub account: Option<String>,
    /// Only overdue returns.
    pub overdue: bool,
    /// Sort column.
    pub sort: RmaSortColumn,
    /// Descending.
    pub desc: bool,
    /// Most rows.
    pub limit: u32,
}

/// A column of the RMA list to sort by (SPEC §2.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RmaSortColumn {
    /// RMA number.
    Number,
    /// Status, in the order of an RMA's life.
    Status,
    /// Account.
    Account,
    /// Case number.
    CaseNumber,
    /// Serial number.
    SerialNumber,
    /// Part number.
    PartNumber,
    /// Created.
    #[default]
    CreatedAt,
    /// Return due.
    ReturnDue,
}

impl RmaSortColumn {
    /// The accepted names, for messages.
    pub const NAMES: &str = "number, status, account, case_number, serial_number, part_number, created_at or return_due";

    fn sql(self) -> &'static str {
        match self {
            RmaSortColumn::Number => "number",
            RmaSortColumn::Status => {
                "CASE status WHEN 'requested' THEN 0 WHEN 'issued' THEN 1 WHEN 'replacement_shipped' THEN 2 \
                 WHEN 'defective_received' THEN 3 WHEN 'closed' THEN 4 ELSE 5 END"
            }
            RmaSortColumn::Account => "account COLLATE NOCASE",
            RmaSortColumn::CaseNumber => "case_number",
            RmaSortColumn::SerialNumber => "serial_number COLLATE NOCASE",
            RmaSortColumn::PartNumber => "part_number COLLATE NOCASE",
            RmaSortColumn::CreatedAt => "created_at",
            RmaSortColumn::ReturnDue => "return_due",
        }
    }
}

/// The RMA list.
pub fn list_rmas(
    conn: &Connection,
    query: &RmaQuery,
    at: DateTime<Utc>,
) -> Result<Vec<Rma>, StoreError> {
    let mut clauses = Vec::new();
    let mut params: Vec<String> = Vec::new();
    if !query.status.is_empty() {
        clauses.push(format!(
            "status IN ({})",
            vec!["?"; query.status.len()].join(", ")
        ));
        params.extend(query.status.iter().map(|s| s.as_str().to_string()));
    }
    for (column, value) in [
        ("case_number", &query.case_number),
        ("serial_number", &query.serial_number),
        ("account", &query.account),
    ] {
        if let Some(v) = value {
            clauses.push(format!("{column} = ?"));
            params.push(v.clone());
        }
    }
    if query.overdue {
        clauses.push(OVERDUE.to_string());
        params.push(ts(at));
    }
    let sort = query.sort.sql();
    let dir = if query.desc { "DESC" } else { "ASC" };
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM rmas {filter} ORDER BY {sort} {dir}, number {dir} LIMIT {}",
        query.limit.clamp(1, 500)
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(params_from_iter(params), |r| from_row(r, at))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A case's RMAs, oldest first.
pub(super) fn rmas_of(
    conn: &Connection,
    number: &str,
    at: DateTime<Utc>,
) -> Result<Vec<Rma>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM rmas WHERE case_number = ?1 ORDER BY created_at, number"
    ))?;
    let rows = stmt
        .query_map([number], |r| from_row(r, at))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Overdue RMAs not yet announced; marks them announced.
pub fn overdue_rmas_to_announce(
    conn: &Connection,
    at: DateTime<Utc>,
) -> Result<Vec<Rma>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM rmas WHERE overdue_notified = 0 AND {OVERDUE}"
    ))?;
    let rows = stmt
        .query_map([ts(at)], |r| from_row(r, at))?
        .collect::<Result<Vec<_>, _>>()?;
    for rma in &rows {
        conn.execute(
            "UPDATE rmas SET overdue_notified = 1 WHERE number = ?1",
            [rma.number.to_string()],
        )?;
    }
    Ok(rows)
}
