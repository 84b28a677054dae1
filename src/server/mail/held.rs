//! Held and unparseable mail for agents: listed, released into a case, or discarded.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row};

use crate::api::{HeldMail, Role};
use crate::server::store::mail_in::MailInState;
use crate::server::store::{Caller, StoreError, opt_time_col, time_col, ts};

/// Which list an agent asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// Mail the sender may not put on a case by themselves.
    Held,
    /// Mail that could not be parsed.
    Errors,
}

impl Waiting {
    /// The `mail_in` state listed.
    fn state(self) -> MailInState {
        match self {
            Waiting::Held => MailInState::Held,
            Waiting::Errors => MailInState::Error,
        }
    }
}

/// Most rows a list answers.
pub const LIST_MAX: u32 = 500;

/// The columns of a [`HeldMail`], the raw message's size in place of its bytes.
const COLUMNS: &str = "id, state, received_at, sender, subject, case_number, reason, \
                       length(raw), decided_by, decided_at, note_id";

fn held_mail(r: &Row) -> rusqlite::Result<HeldMail> {
    Ok(HeldMail {
        id: r.get(0)?,
        state: r.get(1)?,
        received_at: time_col(r, 2)?,
        sender: r.get(3)?,
        subject: r.get(4)?,
        case_number: r.get(5)?,
        reason: r.get(6)?,
        size: r.get(7)?,
        decided_by: r.get(8)?,
        decided_at: opt_time_col(r, 9)?,
        note_id: r.get(10)?,
    })
}

/// The mail waiting in `which`, newest first, at most `limit` rows.
pub fn list(conn: &Connection, which: Waiting, limit: u32) -> Result<Vec<HeldMail>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM mail_in WHERE state = ?1 ORDER BY received_at DESC, id DESC LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map((which.state().as_str(), limit), held_mail)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// One message as agents see it, whatever became of it.
pub fn find(conn: &Connection, id: i64) -> Result<HeldMail, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM mail_in WHERE id = ?1"),
        [id],
        held_mail,
    )
    .optional()?
    .ok_or_else(|| not_found(id))
}

/// The original bytes of message `id`, as they came from the mailbox.
pub fn raw(conn: &Connection, id: i64) -> Result<Vec<u8>, StoreError> {
    conn.query_row("SELECT raw FROM mail_in WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| not_found(id))
}

/// An agent drops held or unparseable mail `id`: it stays recorded (so it is never taken
/// again) as `discarded`, with who did it and when.
pub fn discard(
    conn: &Connection,
    id: i64,
    caller: &Caller,
    at: DateTime<Utc>,
) -> Result<HeldMail, StoreError> {
    caller.require(Role::Agent, "discard held mail")?;
    let current = find(conn, id)?;
    let waiting = [MailInState::Held, MailInState::Error].map(MailInState::as_str);
    if !waiting.contains(&current.state.as_str()) {
        return Err(StoreError::Conflict {
            field: "id",
            detail: format!(
                "mail {id} is {}: only held or unreadable mail can be discarded",
                current.state
            ),
        });
    }
    conn.execute(
        "UPDATE mail_in SET state = ?2, decided_by = ?3, decided_at = ?4 WHERE id = ?1",
        (id, MailInState::Discarded.as_str(), &caller.name, ts(at)),
    )?;
    find(conn, id)
}

fn not_found(id: i64) -> StoreError {
    StoreError::NotFound {
        what: "mail",
        id: id.to_string(),
    }
}
