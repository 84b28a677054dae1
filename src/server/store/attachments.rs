//! Files on a case: the rows of the `attachments` table. Uploaded content lives on disk (the
//! route streams it there first, see `server::attachments`); a mail's files keep their content
//! in the row.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::cases::{case_tag, record, refresh_clocks, touch};
use super::{Caller, Sla, StoreError, opt_time_col};
use crate::api::{Attachment, Role};
use crate::domain::size::ByteSize;

/// An uploaded file, received and stored on disk, to be recorded on a case.
#[derive(Debug, Clone, Serialize)]
pub struct NewFile {
    /// Its sanitized name.
    pub name: String,
    /// Its media type (declared or sniffed).
    pub content_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of the content, lowercase hex: also its file name on disk.
    pub sha256: String,
}

/// The bytes case `number`'s files already take; not found when there is no such case.
pub fn case_files_size(conn: &Connection, number: &str) -> Result<u64, StoreError> {
    case_tag(conn, number)?;
    let total: i64 = conn.query_row(
        "SELECT COALESCE(SUM(size), 0) FROM attachments WHERE case_number = ?1",
        [number],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(total).unwrap_or(0))
}

/// Why a file does not fit on its case: the case's files with it, of `size` bytes (`None`:
/// not known, the upload was cut off at the limit) would be over `limit` (`[attachments]
/// max_case`) with `used` bytes already on the case.
pub fn too_large_for_case(limit: u64, used: u64, size: Option<u64>) -> StoreError {
    let total = match size {
        Some(size) => {
            let total = used.saturating_add(size);
            format!("{} ({total} bytes)", ByteSize(total))
        }
        None => format!("more than {}", ByteSize(limit)),
    };
    StoreError::TooLarge {
        field: "max_case",
        detail: format!(
            "the case's files would add up to {total}: larger than the server's limit of {} ({limit} bytes) per case ([attachments] max_case); {} already on the case",
            ByteSize(limit),
            ByteSize(used),
        ),
    }
}

/// Why a file is refused: over the limit per file (`[attachments] max_file`).
pub fn too_large_file(limit: u64) -> StoreError {
    StoreError::TooLarge {
        field: "max_file",
        detail: format!(
            "the file is larger than the server's limit of {} ({limit} bytes) per file ([attachments] max_file)",
            ByteSize(limit)
        ),
    }
}

/// Records an uploaded file on case `number` at `at`: a history entry, a new case version and
/// the change events. Refused when the case's files would exceed `max_case` bytes. `content`
/// is kept in the row when given (the demo's files); otherwise it is on disk.
#[allow(clippy::too_many_arguments)]
pub fn add_attachment(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    file: &NewFile,
    content: Option<&[u8]>,
    max_case: u64,
    caller: &Caller,
    at: DateTime<Utc>,
) -> Result<Attachment, StoreError> {
    caller.require(Role::Agent, "add attachments")?;
    // Checked again inside the write: another upload may have landed while this one streamed.
    let used = case_files_size(conn, number)?;
    if used.saturating_add(file.size) > max_case {
        return Err(too_large_for_case(max_case, used, Some(file.size)));
    }
    conn.execute(
        "INSERT INTO attachments (case_number, note_id, name, content_type, size, sha256, added_by, added_at, content) \
         VALUES (?1, NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        rusqlite::params![
            number,
            file.name,
            file.content_type,
            file.size,
            file.sha256,
            caller.name,
            super::ts(at),
            content
        ],
    )?;
    let attachment = Attachment {
        id: conn.last_insert_rowid(),
        name: file.name.clone(),
        size: file.size,
        content_type: file.content_type.clone(),
        sha256: file.sha256.clone(),
        added_by: caller.name.clone(),
        added_at: Some(at),
        note_id: None,
    };
    record(
        conn,
        number,
        at,
        &caller.name,
        None,
        Some(format!(
            "attachment {} ({}) added",
            attachment.name,
            ByteSize(attachment.size)
        )),
        None,
    )?;
    touch(conn, number, at)?;
    let summary = refresh_clocks(conn, sla, number, at)?;
    super::emit(
        conn,
        at,
        "attachment.added",
        Some(number),
        &serde_json::json!({ "case_number": number, "attachment": attachment }),
    )?;
    super::emit(conn, at, "case.updated", Some(number), &summary)?;
    Ok(attachment)
}

const COLUMNS: &str = "id, name, size, content_type, sha256, added_by, added_at, note_id";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Attachment> {
    Ok(Attachment {
        id: r.get(0)?,
        name: r.get(1)?,
        size: r.get(2)?,
        content_type: r.get(3)?,
        sha256: r.get(4)?,
        added_by: r.get(5)?,
        added_at: opt_time_col(r, 6)?,
        note_id: r.get(7)?,
    })
}

/// All of case `number`'s files, uploaded and from mail, oldest first.
pub fn attachments_of(conn: &Connection, number: &str) -> Result<Vec<Attachment>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM attachments WHERE case_number = ?1 ORDER BY added_at, id"
    ))?;
    let files = stmt
        .query_map([number], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(files)
}

/// A file as the download reads it.
#[derive(Debug, Clone)]
pub struct StoredFile {
    /// What it is.
    pub attachment: Attachment,
    /// Its content when kept in the row (a mail's file); `None`: on disk, named by its SHA-256.
    pub content: Option<Vec<u8>>,
}

/// Attachment `id`, with its content when the row keeps it.
pub fn find_attachment(conn: &Connection, id: i64) -> Result<StoredFile, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS}, content FROM attachments WHERE id = ?1"),
        [id],
        |r| {
            Ok(StoredFile {
                attachment: from_row(r)?,
                content: r.get(8)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "attachment",
        id: id.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_named_in_bytes_and_for_people() {
        assert_eq!(
            too_large_file(100 << 20).to_string(),
            "the file is larger than the server's limit of 100 MiB (104857600 bytes) per file ([attachments] max_file)"
        );
        assert_eq!(
            too_large_for_case(1 << 30, 1 << 30, Some(2048)).to_string(),
            "the case's files would add up to 1.0 GiB (1073743872 bytes): larger than the server's limit of 1 GiB (1073741824 bytes) per case ([attachments] max_case); 1 GiB already on the case"
        );
    }
}
