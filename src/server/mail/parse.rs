//! An incoming message, parsed (MIME, quoted-printable, base64; UTF-8, ISO-2022-JP,
//! Shift_JIS) into what the desk needs to decide about it.

use chrono::{DateTime, Utc};

/// What the desk reads from one incoming message.
#[derive(Debug, Clone, Default)]
pub struct Incoming {
    /// `Message-ID`, without brackets.
    pub message_id: Option<String>,
    /// `In-Reply-To`, without brackets.
    pub in_reply_to: Vec<String>,
    /// `References`, oldest first, without brackets.
    pub references: Vec<String>,
    /// The sender's display name.
    pub from_name: Option<String>,
    /// The sender's address, lower-cased.
    pub from_address: Option<String>,
    /// `Return-Path` (an empty one, `<>`, marks a bounce).
    pub return_path: Option<String>,
    /// The decoded subject.
    pub subject: String,
    /// `Date:`.
    pub date: Option<DateTime<Utc>>,
    /// The text: the text/plain part, else the HTML part as text.
    pub text: String,
    /// Attached files.
    pub attachments: Vec<IncomingAttachment>,
    /// `Auto-Submitted` (anything but `no` means a machine sent it).
    pub auto_submitted: Option<String>,
    /// A delivery report or a message from a mailer daemon.
    pub is_bounce: bool,
    /// A mailing list's or bulk message (`List-Id`, `List-Unsubscribe`, `Precedence`).
    pub is_list: bool,
}

/// A file that came with a message.
#[derive(Debug, Clone)]
pub struct IncomingAttachment {
    /// The decoded file name.
    pub name: String,
    /// Its MIME type.
    pub content_type: String,
    /// The bytes.
    pub content: Vec<u8>,
}

/// Why a message could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// Not a mail message at all.
    #[error("not a mail message: {0}")]
    Unreadable(String),
}
