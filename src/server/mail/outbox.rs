//! The queue of outgoing mail (`mail_out`): written in the same transaction as the feed
//! cursor, so each event queues its mail once; sent and retried by `smtp`.

use chrono::{DateTime, Utc};

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
