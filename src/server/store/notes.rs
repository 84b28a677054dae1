//! Notes, logged calls and failed contact attempts on a case's timeline.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use sha2::{Digest, Sha256};

use super::cases::{expect_version, record, refresh_clocks, reindex, touch};
use super::mail_in::{MailOrigin, attachment_name};
use super::{Caller, Sla, StoreError, col, time_col, ts};
use crate::api::{Attachment, NewNote, Note, NoteAttachment, NoteKind, NoteMail, Role};
use crate::domain::{Party, Status, Visibility};
use crate::sla::CaseEvent;

/// Longest note accepted, in bytes.
pub const NOTE_MAX_BYTES: usize = 64 * 1024;

/// Adds a note to a case at `at`; a public note by support meets first response and restarts
/// the update clock.
pub fn add_note(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    new: &NewNote,
    expected: i64,
    caller: &Caller,
    at: DateTime<Utc>,
) -> Result<Note, StoreError> {
    add(conn, sla, number, new, expected, caller, at, None)
}

/// Adds the customer's note that came by mail (as [`add_note`] with `from_customer`), with
/// its sender, the message it came in and the files that came with it.
#[allow(clippy::too_many_arguments)]
pub fn add_mail_note(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    new: &NewNote,
    expected: i64,
    caller: &Caller,
    at: DateTime<Utc>,
    origin: &MailOrigin,
) -> Result<Note, StoreError> {
    add(conn, sla, number, new, expected, caller, at, Some(origin))
}

#[allow(clippy::too_many_arguments)]
fn add(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    new: &NewNote,
    expected: i64,
    caller: &Caller,
    at: DateTime<Utc>,
    origin: Option<&MailOrigin>,
) -> Result<Note, StoreError> {
    caller.require(Role::Agent, "add notes")?;
    let body = new.body.trim_end();
    if body.trim().is_empty() {
        return Err(StoreError::invalid(
            "body",
            "the note is empty: expected some text",
        ));
    }
    if body.len() > NOTE_MAX_BYTES {
        return Err(StoreError::invalid(
            "body",
            format!(
                "the note is {} bytes: expected at most {NOTE_MAX_BYTES} (64 KiB)",
                body.len()
            ),
        ));
    }
    let case = expect_version(conn, number, expected)?;
    let (party, author) = if new.from_customer {
        if new.kind != NoteKind::Note {
            return Err(StoreError::invalid(
                "kind",
                "a customer's words are a note, not a call or a contact attempt",
            ));
        }
        let name = match origin.and_then(|o| o.author) {
            Some(author) => author.to_string(),
            None if case.contact_name.is_empty() => "customer".to_string(),
            None => case.contact_name.clone(),
        };
        (Party::Customer, name)
    } else {
        (Party::Support, caller.name.clone())
    };
    // A call is contact with the customer and a failed attempt is support's own record.
    let visibility = match new.kind {
        NoteKind::Note => new.visibility,
        NoteKind::Call => Visibility::Public,
        NoteKind::ContactFailed => Visibility::Internal,
    };
    conn.execute(
        "INSERT INTO notes (case_number, author, party, visibility, kind, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        (number, &author, party.as_str(), visibility.as_str(), kind_str(new.kind), body, ts(at)),
    )?;
    let id = conn.last_insert_rowid();
    let attachments = match origin {
        Some(origin) => keep_mail(conn, id, origin)?,
        None => Vec::new(),
    };
    let event = match new.kind {
        NoteKind::Note => CaseEvent::Note {
            visibility,
            by: party,
        },
        NoteKind::Call => CaseEvent::CallLogged,
        NoteKind::ContactFailed => CaseEvent::ContactFailed,
    };
    record(conn, number, at, &author, Some(&event), None, None)?;
    // A new case is one no engineer has answered yet: the first response opens it.
    if case.status == Status::New && party == Party::Support && visibility == Visibility::Public {
        record(
            conn,
            number,
            at,
            &author,
            Some(&CaseEvent::StatusChanged { to: Status::Open }),
            Some("status new → open (first response)".into()),
            None,
        )?;
        conn.execute(
            "UPDATE cases SET status = 'open' WHERE number = ?1",
            [number],
        )?;
    }
    touch(conn, number, at)?;
    reindex(conn, number)?;
    let note = Note {
        id,
        author,
        party,
        visibility,
        kind: new.kind,
        body: body.to_string(),
        created_at: at,
        email_from: origin.map(|o| o.sender.to_string()),
        mail: None,
        attachments,
    };
    emit_note(conn, sla, number, &note, at)?;
    Ok(note)
}

/// Links the note to the mail it came in and keeps the mail's files with it.
fn keep_mail(
    conn: &Connection,
    note_id: i64,
    origin: &MailOrigin,
) -> Result<Vec<NoteAttachment>, StoreError> {
    conn.execute(
        "UPDATE notes SET email_from = ?2, mail_in_id = ?3 WHERE id = ?1",
        (note_id, origin.sender, origin.mail_in_id),
    )?;
    let mut kept = Vec::with_capacity(origin.attachments.len());
    for file in origin.attachments {
        let name = attachment_name(&file.name);
        let sha256 = hex::encode(Sha256::digest(&file.content));
        let size = u64::try_from(file.content.len()).unwrap_or(u64::MAX);
        conn.execute(
            "INSERT INTO attachments (case_number, note_id, name, content_type, size, sha256, \
             added_by, added_at, content) \
             SELECT case_number, id, ?2, ?3, ?4, ?5, author, created_at, ?6 FROM notes WHERE id = ?1",
            rusqlite::params![note_id, name, file.content_type, size, sha256, file.content],
        )?;
        kept.push(NoteAttachment {
            id: conn.last_insert_rowid(),
            name,
            size,
            content_type: file.content_type.clone(),
            sha256,
        });
    }
    Ok(kept)
}

fn emit_note(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    note: &Note,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let summary = refresh_clocks(conn, sla, number, at)?;
    super::emit(
        conn,
        at,
        "note.added",
        Some(number),
        &serde_json::json!({ "case_number": number, "note": note }),
    )?;
    super::emit(conn, at, "case.updated", Some(number), &summary)?;
    Ok(())
}

fn kind_str(kind: NoteKind) -> &'static str {
    match kind {
        NoteKind::Note => "note",
        NoteKind::Call => "call",
        NoteKind::ContactFailed => "contact_failed",
    }
}

impl std::str::FromStr for NoteKind {
    type Err = crate::domain::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "note" => Ok(NoteKind::Note),
            "call" => Ok(NoteKind::Call),
            "contact_failed" => Ok(NoteKind::ContactFailed),
            _ => Err(crate::domain::ParseError {
                what: "note kind",
                input: s.to_string(),
                expected: "note, call or contact_failed",
            }),
        }
    }
}

/// A case's notes, oldest first, with how each came or went by mail and, from `files` (the
/// case's files), the files each brought.
pub(super) fn notes_of(
    conn: &Connection,
    number: &str,
    files: &[Attachment],
) -> Result<Vec<Note>, StoreError> {
    // The newest mail carrying a note tells its state (a note is mailed once; the newest row
    // wins should an agent ever resend it).
    let mut stmt = conn.prepare_cached(
        "SELECT n.id, n.author, n.party, n.visibility, n.kind, n.body, n.created_at, n.email_from, \
                m.state, m.recipient, m.last_error \
         FROM notes n LEFT JOIN mail_out m ON m.id = \
             (SELECT max(id) FROM mail_out WHERE note_id = n.id) \
         WHERE n.case_number = ?1 ORDER BY n.created_at, n.id",
    )?;
    let mut notes = stmt
        .query_map([number], |r| {
            let state: Option<String> = r.get(8)?;
            Ok(Note {
                id: r.get(0)?,
                author: r.get(1)?,
                party: col(r, 2)?,
                visibility: col(r, 3)?,
                kind: col(r, 4)?,
                body: r.get(5)?,
                created_at: time_col(r, 6)?,
                email_from: r.get(7)?,
                mail: match state {
                    Some(state) => Some(NoteMail {
                        state,
                        to: r.get(9)?,
                        error: r.get(10)?,
                    }),
                    None => None,
                },
                attachments: Vec::new(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    for file in files {
        if let Some(note) = file
            .note_id
            .and_then(|id| notes.iter_mut().find(|n| n.id == id))
        {
            note.attachments.push(NoteAttachment {
                id: file.id,
                name: file.name.clone(),
                size: file.size,
                content_type: file.content_type.clone(),
                sha256: file.sha256.clone(),
            });
        }
    }
    Ok(notes)
}
