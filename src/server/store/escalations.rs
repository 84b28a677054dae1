//! Escalation requests (SPEC §2.7): asked by anyone working the case, handled by leads.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row};

use super::cases::{expect_version, record, refresh_clocks, touch};
use super::{Caller, Sla, StoreError, col, opt_col, opt_time_col, time_col, ts};
use crate::api::{Escalation, EscalationPatch, NewEscalation, Role};
use crate::domain::EscalationState;

const COLUMNS: &str = "id, case_number, kind, state, reason, contact_method, requested_by, requested_at, \
     acknowledged_by, acknowledged_at, closed_by, closed_at, resolution";

fn from_row(r: &Row) -> rusqlite::Result<Escalation> {
    Ok(Escalation {
        id: r.get(0)?,
        case_number: col(r, 1)?,
        kind: col(r, 2)?,
        state: col(r, 3)?,
        reason: r.get(4)?,
        contact_method: opt_col(r, 5)?,
        requested_by: r.get(6)?,
        requested_at: time_col(r, 7)?,
        acknowledged_by: r.get(8)?,
        acknowledged_at: opt_time_col(r, 9)?,
        closed_by: r.get(10)?,
        closed_at: opt_time_col(r, 11)?,
        resolution: r.get(12)?,
    })
}

/// Requests an escalation on a case at `at`.
pub fn create_escalation(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    new: &NewEscalation,
    expected: i64,
    caller: &Caller,
    at: DateTime<Utc>,
) -> Result<Escalation, StoreError> {
    caller.require(Role::Agent, "request escalations")?;
    expect_version(conn, number, expected)?;
    let reason = new.reason.trim();
    if reason.is_empty() {
        return Err(StoreError::invalid(
            "reason",
            "an escalation needs a reason: describe in as much detail as possible why it is needed",
        ));
    }
    if new.kind.needs_contact_method() && new.contact_method.is_none() {
        return Err(StoreError::invalid(
            "contact_method",
            "\"Support engineer now\" needs the customer's contact method: phone or email",
        ));
    }
    let contact = new
        .contact_method
        .filter(|_| new.kind.needs_contact_method());
    conn.execute(
        "INSERT INTO escalations (case_number, kind, state, reason, contact_method, requested_by, requested_at)
         VALUES (?1, ?2, 'requested', ?3, ?4, ?5, ?6)",
        (number, new.kind.as_str(), reason, contact.map(|c| c.as_str()), &caller.name, ts(at)),
    )?;
    let id = conn.last_insert_rowid();
    record(
        conn,
        number,
        at,
        &caller.name,
        None,
        Some(format!("escalation requested: {}", new.kind.label())),
        Some(reason),
    )?;
    let escalation = get(conn, id)?;
    changed(conn, sla, number, &escalation, "escalation.requested", at)?;
    Ok(escalation)
}

/// The number of the case an escalation belongs to (whose ETag guards changing it).
pub fn escalation_case(conn: &Connection, id: i64) -> Result<String, StoreError> {
    Ok(get(conn, id)?.case_number.to_string())
}

fn get(conn: &Connection, id: i64) -> Result<Escalation, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM escalations WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "escalation",
        id: id.to_string(),
    })
}

/// Bumps the case for an escalation change and announces both.
fn changed(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    e: &Escalation,
    kind: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE cases SET open_escalations = (SELECT count(*) FROM escalations WHERE case_number = ?1 AND state IN ('requested', 'acknowledged')) WHERE number = ?1",
        [number],
    )?;
    touch(conn, number, at)?;
    let summary = refresh_clocks(conn, sla, number, at)?;
    super::emit(conn, at, kind, Some(number), e)?;
    super::emit(conn, at, "case.updated", Some(number), &summary)?;
    Ok(())
}

/// A lead acknowledges, resolves or declines an escalation.
pub fn patch_escalation(
    conn: &Connection,
    sla: &Sla,
    id: i64,
    patch: &EscalationPatch,
    caller: &Caller,
    at: DateTime<Utc>,
) -> Result<Escalation, StoreError> {
    caller.require(Role::Lead, "acknowledge, resolve or decline escalations")?;
    let current = get(conn, id)?;
    let to = current
        .state
        .transition(patch.state)
        .map_err(|e| StoreError::Conflict {
            field: "state",
            detail: e.to_string(),
        })?;
    let resolution = patch
        .resolution
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if to == EscalationState::Declined && resolution.is_none() {
        return Err(StoreError::invalid(
            "resolution",
            "declining an escalation needs a reason in resolution",
        ));
    }
    let now = ts(at);
    if to == EscalationState::Acknowledged {
        conn.execute(
            "UPDATE escalations SET state = ?2, acknowledged_by = ?3, acknowledged_at = ?4 WHERE id = ?1",
            (id, to.as_str(), &caller.name, &now),
        )?;
    } else {
        conn.execute(
            "UPDATE escalations SET state = ?2, closed_by = ?3, closed_at = ?4, resolution = ?5 WHERE id = ?1",
            (id, to.as_str(), &caller.name, &now, resolution),
        )?;
    }
    let number = current.case_number.to_string();
    record(
        conn,
        &number,
        at,
        &caller.name,
        None,
        Some(format!(
            "escalation {}: {}",
            to.as_str(),
            current.kind.label()
        )),
        resolution,
    )?;
    let escalation = get(conn, id)?;
    changed(
        conn,
        sla,
        &number,
        &escalation,
        &format!("escalation.{}", to.as_str()),
        at,
    )?;
    Ok(escalation)
}

/// Filter of the escalation queue.
#[derive(Debug, Clone, Default)]
pub struct EscalationQuery {
    /// Only these states (none: requested and acknowledged).
    pub state: Vec<EscalationState>,
}

/// The escalation queue, oldest request first.
pub fn list_escalations(
    conn: &Connection,
    query: &EscalationQuery,
) -> Result<Vec<Escalation>, StoreError> {
    let states: Vec<&str> = if query.state.is_empty() {
        vec!["requested", "acknowledged"]
    } else {
        query.state.iter().map(|s| s.as_str()).collect()
    };
    let marks = vec!["?"; states.len()].join(", ");
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM escalations WHERE state IN ({marks}) ORDER BY requested_at, id"
    ))?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(states), from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A case's escalations, oldest first.
pub(super) fn escalations_of(
    conn: &Connection,
    number: &str,
) -> Result<Vec<Escalation>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM escalations WHERE case_number = ?1 ORDER BY requested_at, id"
    ))?;
    let rows = stmt
        .query_map([number], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
