//! Mail taken from the mailbox (`mail_in`): recorded once by Message-ID, with what was decided
//! about it; the automatic answers per sender (`mail_answers`); and the case reads the
//! decision needs (the thread a reply belongs to, the contact's earlier cases, when a case
//! closed).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::{StoreError, opt_time_col, ts};
use crate::domain::Status;
use crate::sla::CaseEvent;

/// What was decided about a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailInState {
    /// Added to its case as the customer's note.
    Applied,
    /// It opened a case.
    Opened,
    /// Waiting for an agent: the sender may not update the case.
    Held,
    /// It could not be parsed.
    Error,
    /// Answered automatically (mail about no case when mail opens none).
    Answered,
    /// Neither applied nor answered (our own mail, machines, lists, the rate limit).
    Ignored,
    /// Held, then released into a case by an agent.
    Released,
    /// Held or unparseable, then discarded by an agent.
    Discarded,
}

impl MailInState {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            MailInState::Applied => "applied",
            MailInState::Opened => "opened",
            MailInState::Held => "held",
            MailInState::Error => "error",
            MailInState::Answered => "answered",
            MailInState::Ignored => "ignored",
            MailInState::Released => "released",
            MailInState::Discarded => "discarded",
        }
    }
}

impl std::str::FromStr for MailInState {
    type Err = crate::domain::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "applied" => MailInState::Applied,
            "opened" => MailInState::Opened,
            "held" => MailInState::Held,
            "error" => MailInState::Error,
            "answered" => MailInState::Answered,
            "ignored" => MailInState::Ignored,
            "released" => MailInState::Released,
            "discarded" => MailInState::Discarded,
            _ => {
                return Err(crate::domain::ParseError {
                    what: "mail state",
                    input: s.to_string(),
                    expected: "applied, opened, held, error, answered, ignored, released or discarded",
                });
            }
        })
    }
}

/// A message as recorded.
#[derive(Debug, Clone)]
pub struct MailIn {
    /// Its row.
    pub id: i64,
    /// Its Message-ID (or `sha256:<hex>` of its bytes).
    pub message_id: String,
    /// What was decided.
    pub state: MailInState,
    /// Why it was held, ignored or unreadable.
    pub reason: Option<String>,
    /// The From address ('' when unreadable).
    pub sender: String,
    /// The subject.
    pub subject: String,
    /// The case it was matched to or opened.
    pub case_number: Option<String>,
    /// The note it became.
    pub note_id: Option<i64>,
    /// The original bytes.
    pub raw: Vec<u8>,
    /// When it was taken from the mailbox.
    pub received_at: DateTime<Utc>,
}

/// The row of the message with this key, if it was taken before.
pub fn find(conn: &Connection, message_id: &str) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT id FROM mail_in WHERE message_id = ?1",
            [message_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Records a message with its first decision; its row.
#[allow(clippy::too_many_arguments)]
pub fn insert(
    conn: &Connection,
    message_id: &str,
    state: MailInState,
    reason: Option<&str>,
    sender: &str,
    subject: &str,
    case_number: Option<&str>,
    raw: &[u8],
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO mail_in (message_id, state, reason, sender, subject, case_number, raw, received_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        rusqlite::params![
            message_id,
            state.as_str(),
            reason,
            sender,
            subject,
            case_number,
            raw,
            ts(at)
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Records what became of a message: its state, reason, case and note.
pub fn decide(
    conn: &Connection,
    id: i64,
    state: MailInState,
    reason: Option<&str>,
    case_number: Option<&str>,
    note_id: Option<i64>,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE mail_in SET state = ?2, reason = ?3, case_number = ?4, note_id = ?5 WHERE id = ?1",
        rusqlite::params![id, state.as_str(), reason, case_number, note_id],
    )?;
    Ok(())
}

/// Records that an agent decided about a held or unparseable message.
pub fn decided_by(
    conn: &Connection,
    id: i64,
    agent: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE mail_in SET decided_by = ?2, decided_at = ?3 WHERE id = ?1",
        rusqlite::params![id, agent, ts(at)],
    )?;
    Ok(())
}

/// One recorded message.
pub fn get(conn: &Connection, id: i64) -> Result<MailIn, StoreError> {
    conn.query_row(
        "SELECT id, message_id, state, reason, sender, subject, case_number, note_id, raw, received_at \
         FROM mail_in WHERE id = ?1",
        [id],
        |r| {
            Ok(MailIn {
                id: r.get(0)?,
                message_id: r.get(1)?,
                state: super::col(r, 2)?,
                reason: r.get(3)?,
                sender: r.get(4)?,
                subject: r.get(5)?,
                case_number: r.get(6)?,
                note_id: r.get(7)?,
                raw: r.get(8)?,
                received_at: super::time_col(r, 9)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "mail",
        id: id.to_string(),
    })
}

/// Whether a case with this number exists.
pub fn case_exists(conn: &Connection, number: &str) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM cases WHERE number = ?1)",
        [number],
        |r| r.get(0),
    )?)
}

/// The case a message threads into: the first of `ids` (newest first) that is one of our
/// outgoing Message-IDs or an earlier message of a case.
pub fn case_of_thread(conn: &Connection, ids: &[String]) -> Result<Option<String>, StoreError> {
    for id in ids {
        let found: Option<String> = conn
            .query_row(
                "SELECT case_number FROM mail_out WHERE message_id = ?1 AND case_number IS NOT NULL \
                 UNION ALL \
                 SELECT case_number FROM mail_in WHERE message_id = ?1 AND case_number IS NOT NULL \
                 LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// Automatic answers sent to `sender` since `since`.
pub fn answers_since(
    conn: &Connection,
    sender: &str,
    since: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(conn.query_row(
        "SELECT count(*) FROM mail_answers WHERE sender = ?1 AND at > ?2",
        (sender.to_ascii_lowercase(), ts(since)),
        |r| r.get(0),
    )?)
}

/// Counts an automatic answer to `sender` at `at`.
pub fn answered(conn: &Connection, sender: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO mail_answers (sender, at) VALUES (?1, ?2)",
        (sender.to_ascii_lowercase(), ts(at)),
    )?;
    Ok(())
}

/// When the case last moved to closed, if it did.
pub fn closed_at(conn: &Connection, number: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, event FROM case_events WHERE case_number = ?1 AND event IS NOT NULL \
         ORDER BY at DESC, id DESC",
    )?;
    let rows = stmt.query_map([number], |r| {
        Ok((opt_time_col(r, 0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (at, event) = row?;
        // An event this version cannot read is none of the status changes it looks for.
        if let Ok(CaseEvent::StatusChanged { to: Status::Closed }) =
            serde_json::from_str::<CaseEvent>(&event)
        {
            return Ok(at);
        }
    }
    Ok(None)
}

/// What the desk knows of a contact from their newest case: who they are and what they run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownContact {
    /// The case it comes from.
    pub case_number: String,
    /// Name.
    pub contact_name: String,
    /// Phone.
    pub contact_phone: String,
    /// Site name.
    pub site_name: String,
    /// Site ID.
    pub site_id: String,
    /// Account.
    pub account: String,
    /// Product.
    pub product: String,
    /// Platform.
    pub platform: String,
    /// Software version.
    pub software_version: String,
    /// Serial number.
    pub serial_number: Option<String>,
    /// Contract tier (wire form).
    pub tier: String,
    /// The language of mail to the contact, if set.
    pub contact_language: Option<String>,
}

/// The newest case whose contact has this address (case-insensitive), as a known contact.
pub fn known_contact(conn: &Connection, address: &str) -> Result<Option<KnownContact>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT number, contact_name, contact_phone, site_name, site_id, account, product, \
                    platform, software_version, serial_number, tier, contact_language \
             FROM cases WHERE lower(contact_email) = lower(?1) \
             ORDER BY created_at DESC, number DESC LIMIT 1",
            [address.trim()],
            |r| {
                Ok(KnownContact {
                    case_number: r.get(0)?,
                    contact_name: r.get(1)?,
                    contact_phone: r.get(2)?,
                    site_name: r.get(3)?,
                    site_id: r.get(4)?,
                    account: r.get(5)?,
                    product: r.get(6)?,
                    platform: r.get(7)?,
                    software_version: r.get(8)?,
                    serial_number: r.get(9)?,
                    tier: r.get(10)?,
                    contact_language: r.get(11)?,
                })
            },
        )
        .optional()?)
}

/// Names the case a new case follows up (a reply to a long-closed case).
pub fn link_case(conn: &Connection, number: &str, related: &str) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE cases SET related_case = ?2 WHERE number = ?1",
        (number, related),
    )?;
    Ok(())
}

/// Where a customer's note came from when it came by mail.
#[derive(Debug, Clone, Copy)]
pub struct MailOrigin<'a> {
    /// The sender's address.
    pub sender: &'a str,
    /// The note's author when it is not the case's contact (a colleague, a released stranger).
    pub author: Option<&'a str>,
    /// The message it came in (`mail_in`), which keeps the full original.
    pub mail_in_id: i64,
    /// The files that came with it.
    pub attachments: &'a [crate::server::mail::parse::IncomingAttachment],
}

/// A file name as kept: no directories, no control characters, not empty.
pub fn attachment_name(name: &str) -> String {
    crate::sanitize::file_name(name).unwrap_or_else(|| "attachment".to_string())
}

#[cfg(test)]
mod tests {
    use super::attachment_name;

    #[test]
    fn attachment_names_lose_paths_and_control_characters() {
        assert_eq!(attachment_name("../../etc/passwd"), "passwd");
        assert_eq!(attachment_name("C:\\logs\\show tech.txt"), "show tech.txt");
        assert_eq!(attachment_name("a\u{1b}[31mb\r\n.log"), "a[31mb .log");
        assert_eq!(attachment_name("../"), "attachment");
        assert_eq!(attachment_name("ログ.txt"), "ログ.txt");
    }
}
