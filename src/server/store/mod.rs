//! The case store: every query and write of the server, as plain functions on a connection.
//!
//! Functions take the instant they act at, so the demo can write a month of history and the
//! jobs can act on a clock; the HTTP layer passes the server's [`Clock`](super::clock::Clock)'s now.

mod attachments;
mod cases;
mod entitlements;
mod escalations;
mod feed;
mod idempotency;
mod jobs;
mod macros;
pub mod mail_in;
mod notes;
pub mod reports;
mod rmas;
mod tokens;

use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::Type;
use rusqlite::{Connection, Row};
use serde::Serialize;

pub use attachments::{
    NewFile, StoredFile, add_attachment, attachments_of, case_files_size, find_attachment,
    too_large_file, too_large_for_case,
};
pub use cases::{
    CaseQuery, case_tag, create_case, get_case, list_cases, patch_case, refresh_clocks, watch_due,
};
pub use entitlements::{
    Contract, SERIAL_MAX, check_row, entitlement, import_entitlements, list_entitlements,
    put_entitlement,
};
pub use escalations::{
    EscalationQuery, create_escalation, escalation_case, list_escalations, patch_escalation,
};
pub use feed::{StoredEvent, changes, current_seq, events_after, search, stats};
pub use idempotency::{IdempotentResponse, fingerprint, recall, remember};
pub use jobs::{JobReport, run_jobs};
pub use macros::{delete_macro, macro_set, macro_version, put_macro, replace_macros, seed_macros};
pub use notes::{NOTE_MAX_BYTES, add_mail_note, add_note};
pub use rmas::{
    RmaQuery, RmaSortColumn, case_calendar, create_rma, find_rma, list_rmas,
    overdue_rmas_to_announce, patch_rma, rma_case,
};
pub use tokens::{
    Caller, authenticate, check_owner, create_token, list_people, list_tokens, reissue_token,
    revoke_token,
};

use super::db::DbError;
use crate::sla::{Calendars, Policies};

/// The SLA engine's data, as the server was started with.
#[derive(Debug)]
pub struct Sla {
    /// Calendars by name.
    pub calendars: Calendars,
    /// Tier targets.
    pub policies: Policies,
}

/// Why a store operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such thing.
    #[error("{what} {id} not found")]
    NotFound {
        /// What was looked for.
        what: &'static str,
        /// Its identifier.
        id: String,
    },
    /// The request is well-formed but a value is not acceptable.
    #[error("{detail}")]
    Invalid {
        /// The field at fault.
        field: &'static str,
        /// What is wrong and what is expected.
        detail: String,
    },
    /// The change conflicts with the current state (a forbidden transition).
    #[error("{detail}")]
    Conflict {
        /// The field at fault.
        field: &'static str,
        /// What is wrong and what is allowed.
        detail: String,
    },
    /// The case changed since the version the client read.
    #[error("case {number} is at version {current}, not {expected}")]
    Stale {
        /// The case.
        number: String,
        /// Its version now.
        current: i64,
        /// The version the client sent.
        expected: i64,
    },
    /// The caller's role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// The attachments directory failed (a file could not be kept).
    #[error("attachments directory: {0}")]
    Disk(String),
    /// Over one of the server's size limits (`[attachments]`).
    #[error("{detail}")]
    TooLarge {
        /// The limit (its config key).
        field: &'static str,
        /// What is too large, and the limit in bytes and for people.
        detail: String,
    },
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// SQLite failed in a way the database layer did not wrap.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The SLA engine could not compute a clock.
    #[error("SLA clocks: {0}")]
    Clock(#[from] crate::sla::ClockError),
}

impl StoreError {
    pub(crate) fn invalid(field: &'static str, detail: impl Into<String>) -> Self {
        StoreError::Invalid {
            field,
            detail: detail.into(),
        }
    }
}

/// A case change the domain's rules refuse: a conflict with the case as it stands, or a
/// malformed change, at the field the rule names.
impl From<crate::domain::change::ChangeError> for StoreError {
    fn from(e: crate::domain::change::ChangeError) -> Self {
        let (field, detail) = (e.field(), e.to_string());
        if e.is_conflict() {
            StoreError::Conflict { field, detail }
        } else {
            StoreError::Invalid { field, detail }
        }
    }
}

/// An instant as stored: RFC 3339 UTC with milliseconds, which sorts in time order as text.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads a column that holds a value of a domain type in its wire form.
pub(crate) fn col<T>(row: &Row, idx: usize) -> rusqlite::Result<T>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let text: String = row.get(idx)?;
    text.parse()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

/// Reads an optional column of a domain type.
pub(crate) fn opt_col<T>(row: &Row, idx: usize) -> rusqlite::Result<Option<T>>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let text: Option<String> = row.get(idx)?;
    text.map(|t| {
        t.parse()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
    })
    .transpose()
}

/// Reads a stored instant.
pub(crate) fn time_col(row: &Row, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(idx)?;
    parse_time(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

/// Reads an optional stored instant.
pub(crate) fn opt_time_col(row: &Row, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|t| {
        parse_time(&t)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
    })
    .transpose()
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc))
}

/// Reads a JSON column.
pub(crate) fn json_col<T: serde::de::DeserializeOwned>(
    row: &Row,
    idx: usize,
) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    serde_json::from_str(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

/// Appends an event to the change feed and marks the case as changed by it; returns its sequence.
pub(crate) fn emit(
    conn: &Connection,
    at: DateTime<Utc>,
    kind: &str,
    case_number: Option<&str>,
    data: &impl Serialize,
) -> Result<i64, StoreError> {
    let data =
        serde_json::to_string(data).map_err(|e| StoreError::invalid("body", e.to_string()))?;
    conn.execute(
        "INSERT INTO changes (at, kind, case_number, data) VALUES (?1, ?2, ?3, ?4)",
        (ts(at), kind, case_number, data),
    )?;
    let seq = conn.last_insert_rowid();
    if let Some(number) = case_number {
        conn.execute(
            "UPDATE cases SET change_seq = ?1 WHERE number = ?2",
            (seq, number),
        )?;
    }
    Ok(seq)
}
