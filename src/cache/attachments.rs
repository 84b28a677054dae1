//! Attachment content in the cache: the files of open cases, newest first, up to the
//! `[cache] attachments` budget (so they can be read offline), and the files attached offline,
//! waiting in the outbox (`uploads`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

use super::{Cache, CacheError};
use crate::api::Attachment;
use crate::domain::CaseNumber;

/// An attachment's content as cached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedFile {
    /// The server's attachment id.
    pub id: i64,
    /// Its case.
    pub number: CaseNumber,
    /// The (sanitized) file name.
    pub name: String,
    /// The media type.
    pub content_type: String,
    /// SHA-256 as the server recorded it, lowercase hex.
    pub sha256: String,
    /// The content.
    pub content: Vec<u8>,
}

impl CachedFile {
    /// Whether the content still hashes to the recorded SHA-256.
    pub fn intact(&self) -> bool {
        sha256_hex(&self.content) == self.sha256
    }
}

/// A file attached while the server could not be reached, kept until the outbox sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// Its id, named by the outbox entry.
    pub id: i64,
    /// The case it goes to.
    pub number: CaseNumber,
    /// The file name.
    pub name: String,
    /// The media type, when the user gave one (else the server sniffs it).
    pub content_type: Option<String>,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, lowercase hex.
    pub sha256: String,
    /// The content.
    pub content: Vec<u8>,
}

/// What the cache should hold of open cases' files under a budget: newest first, each that
/// still fits (a big one skipped leaves room for older small ones).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilePlan {
    /// Files to fetch: wanted and not cached (by id and SHA-256).
    pub fetch: Vec<(CaseNumber, Attachment)>,
    /// Cached files to drop: of cases no longer open, or past the budget.
    pub evict: Vec<i64>,
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The open cases' statuses, as the queue's prefetch reads them.
const OPEN: &str = "c.status NOT IN ('resolved', 'closed')";

impl Cache {
    /// The cached content of attachment `id`.
    pub fn attachment_file(&self, id: i64) -> Result<Option<CachedFile>, CacheError> {
        let row: Option<(String, String, String, String, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT number, name, content_type, sha256, content FROM attachment_files WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        row.map(|(number, name, content_type, sha256, content)| {
            Ok(CachedFile {
                id,
                number: number.parse().map_err(|e| self.corrupt("file case", e))?,
                name,
                content_type,
                sha256,
                content,
            })
        })
        .transpose()
    }

    /// Keeps the content of attachment `file` of case `number`.
    pub fn put_attachment_file(
        &self,
        number: &CaseNumber,
        file: &Attachment,
        content: &[u8],
        at: DateTime<Utc>,
    ) -> Result<(), CacheError> {
        self.conn
            .execute(
                "INSERT INTO attachment_files (id, number, name, content_type, size, sha256, added_at, fetched_at, content)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (id) DO UPDATE SET number = excluded.number, name = excluded.name,
                    content_type = excluded.content_type, size = excluded.size, sha256 = excluded.sha256,
                    added_at = excluded.added_at, fetched_at = excluded.fetched_at, content = excluded.content",
                (
                    file.id,
                    number.to_string(),
                    &file.name,
                    &file.content_type,
                    content.len() as i64,
                    &file.sha256,
                    file.added_at.map(|t| t.to_rfc3339()),
                    at.to_rfc3339(),
                    content,
                ),
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// Drops the cached content of attachment `id` (damaged, or evicted).
    pub fn remove_attachment_file(&self, id: i64) -> Result<(), CacheError> {
        self.conn
            .execute("DELETE FROM attachment_files WHERE id = ?1", [id])
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// Bytes of attachment content the cache holds.
    pub fn attachment_files_size(&self) -> Result<u64, CacheError> {
        self.conn
            .query_row(
                "SELECT coalesce(sum(size), 0) FROM attachment_files",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// The ids of a case's files the cache holds (readable offline), for the TUI's list.
    pub fn cached_file_ids(&self, number: &CaseNumber) -> Result<Vec<i64>, CacheError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM attachment_files WHERE number = ?1 ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([number.to_string()], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The case attachment `id` belongs to and its listing, as the cached details say.
    pub fn attachment_listing(
        &self,
        id: i64,
    ) -> Result<Option<(CaseNumber, Attachment, bool)>, CacheError> {
        let row: Option<(String, String, bool)> = self
            .conn
            .query_row(
                &format!(
                    "SELECT d.number, a.value, coalesce({OPEN}, 0)
                     FROM details d LEFT JOIN cases c ON c.number = d.number,
                          json_each(d.body, '$.attachments') a
                     WHERE json_valid(d.body) AND json_extract(a.value, '$.id') = ?1
                     LIMIT 1"
                ),
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        row.map(|(number, value, open)| {
            let number = number.parse().map_err(|e| self.corrupt("file case", e))?;
            let file = serde_json::from_str(&value).map_err(|e| self.corrupt("attachment", e))?;
            Ok((number, file, open))
        })
        .transpose()
    }

    /// What to fetch and what to drop so the cache holds the open cases' newest files within
    /// `budget` bytes. Only the listings are read; no content is touched.
    pub fn file_plan(&self, budget: u64) -> Result<FilePlan, CacheError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT d.number, a.value FROM details d JOIN cases c ON c.number = d.number,
                      json_each(d.body, '$.attachments') a
                 WHERE {OPEN} AND json_valid(d.body) AND json_extract(a.value, '$.id') > 0
                   AND coalesce(json_extract(a.value, '$.sha256'), '') != ''"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| self.err(e))?;
        let mut wanted: Vec<(CaseNumber, Attachment)> = Vec::new();
        for row in rows {
            let (number, value) = row.map_err(|e| self.err(e))?;
            let number = number.parse().map_err(|e| self.corrupt("file case", e))?;
            let file: Attachment =
                serde_json::from_str(&value).map_err(|e| self.corrupt("attachment", e))?;
            wanted.push((number, file));
        }
        // Newest first; the id breaks ties (and orders files of a server without times).
        wanted.sort_by_key(|(_, f)| std::cmp::Reverse((f.added_at, f.id)));
        let cached = self.cached_hashes()?;
        let mut plan = FilePlan::default();
        let mut keep: HashMap<i64, ()> = HashMap::new();
        let mut used = 0u64;
        for (number, file) in wanted {
            if keep.contains_key(&file.id) || used.saturating_add(file.size) > budget {
                continue;
            }
            used += file.size;
            keep.insert(file.id, ());
            if cached.get(&file.id) != Some(&file.sha256) {
                plan.fetch.push((number, file));
            }
        }
        plan.evict = cached
            .into_keys()
            .filter(|id| !keep.contains_key(id))
            .collect();
        plan.evict.sort_unstable();
        Ok(plan)
    }

    /// The cached files' SHA-256, by id.
    fn cached_hashes(&self) -> Result<HashMap<i64, String>, CacheError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, sha256 FROM attachment_files")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Keeps a file attached offline until the outbox sends it; returns it with its id.
    pub fn put_upload(
        &self,
        number: &CaseNumber,
        name: &str,
        content_type: Option<&str>,
        content: Vec<u8>,
        at: DateTime<Utc>,
    ) -> Result<Upload, CacheError> {
        let sha256 = sha256_hex(&content);
        self.conn
            .execute(
                "INSERT INTO uploads (number, name, content_type, size, sha256, created_at, content)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                (
                    number.to_string(),
                    name,
                    content_type,
                    content.len() as i64,
                    &sha256,
                    at.to_rfc3339(),
                    &content,
                ),
            )
            .map_err(|e| self.err(e))?;
        Ok(Upload {
            id: self.conn.last_insert_rowid(),
            number: *number,
            name: name.to_string(),
            content_type: content_type.map(str::to_string),
            size: content.len() as u64,
            sha256,
            content,
        })
    }

    /// A file waiting in the outbox.
    pub fn upload(&self, id: i64) -> Result<Option<Upload>, CacheError> {
        type Row = (String, String, Option<String>, i64, String, Vec<u8>);
        let row: Option<Row> = self
            .conn
            .query_row(
                "SELECT number, name, content_type, size, sha256, content FROM uploads WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        row.map(|(number, name, content_type, size, sha256, content)| {
            Ok(Upload {
                id,
                number: number.parse().map_err(|e| self.corrupt("upload case", e))?,
                name,
                content_type,
                size: u64::try_from(size).unwrap_or(0),
                sha256,
                content,
            })
        })
        .transpose()
    }

    /// How many files wait in the outbox (for tests and `casedesk outbox`).
    pub fn uploads_waiting(&self) -> Result<u64, CacheError> {
        self.conn
            .query_row("SELECT count(*) FROM uploads", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(name: &str) -> Cache {
        let dir =
            std::env::temp_dir().join(format!("casedesk-files-{}-{name}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(&dir).unwrap();
        Cache::open(&dir.join("c.sqlite3")).unwrap().0
    }

    #[test]
    fn uploads_and_files_round_trip() {
        let cache = cache("round-trip");
        let number: CaseNumber = "2026-1124-000101".parse().unwrap();
        let up = cache
            .put_upload(&number, "a.log", None, b"hello".to_vec(), Utc::now())
            .unwrap();
        assert_eq!(cache.upload(up.id).unwrap().unwrap(), up);
        assert_eq!(up.sha256, sha256_hex(b"hello"));
        let file = Attachment {
            id: 9,
            name: "a.log".into(),
            size: 5,
            content_type: "text/plain".into(),
            sha256: up.sha256.clone(),
            added_by: "x".into(),
            added_at: None,
            note_id: None,
        };
        cache
            .put_attachment_file(&number, &file, b"hello", Utc::now())
            .unwrap();
        let got = cache.attachment_file(9).unwrap().unwrap();
        assert!(got.intact());
        assert_eq!(cache.attachment_files_size().unwrap(), 5);
    }
}
