//! `Idempotency-Key`: the first response to a POST is kept and replayed on a retry.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::{StoreError, ts};

/// A response kept for replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotentResponse {
    /// The request it answered (method and path), so a key reused elsewhere is refused.
    pub request: String,
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: String,
    /// The `Location` of what was created, if any.
    pub location: Option<String>,
}

/// The response kept for this caller's key, if any.
pub fn recall(
    conn: &Connection,
    caller: &str,
    key: &str,
) -> Result<Option<IdempotentResponse>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT request, status, body, location FROM idempotency WHERE token_name = ?1 AND key = ?2",
            (caller, key),
            |r| {
                Ok(IdempotentResponse {
                    request: r.get(0)?,
                    status: r.get(1)?,
                    body: r.get(2)?,
                    location: r.get(3)?,
                })
            },
        )
        .optional()?)
}

/// Keeps a response for replay.
pub fn remember(
    conn: &Connection,
    caller: &str,
    key: &str,
    response: &IdempotentResponse,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT OR IGNORE INTO idempotency (token_name, key, request, status, body, location, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        (caller, key, &response.request, response.status, &response.body, &response.location, ts(at)),
    )?;
    Ok(())
}
