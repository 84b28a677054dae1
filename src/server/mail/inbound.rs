//! One incoming message, decided and applied: matched to a case (case number in the subject,
//! or `In-Reply-To`/`References` to our mail), added as the customer's note, the case moved as
//! the guides say; held for an agent when the sender may not update the case; recorded once.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::config::MailConfig;
use crate::server::state::AppState;
use crate::server::store::{Caller, Sla, StoreError};

/// What the mailbox reader does with the message afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disposition {
    /// Recorded (applied, held, answered or ignored): move it to the processed folder.
    Processed,
    /// It cannot be parsed: move it to the error folder (it is recorded for agents).
    Unparseable(String),
}

/// Takes one message from the mailbox: records it once, decides and applies it.
pub async fn receive(state: &AppState, raw: &[u8]) -> Result<Disposition, StoreError> {
    let _ = (state, raw);
    Ok(Disposition::Processed)
}

/// An agent releases held mail into `case` (default: the case it was matched to); the new
/// note's id.
pub fn release(
    conn: &Connection,
    sla: &Sla,
    config: &MailConfig,
    id: i64,
    case: Option<&str>,
    caller: &Caller,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let _ = (conn, sla, config, id, case, caller, at);
    Err(StoreError::invalid("id", "not yet"))
}
