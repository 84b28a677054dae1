//! Attachment content in the cache: the files of open cases, newest first, up to the
//! `[cache] attachments` budget (so they can be read offline), and the files attached offline,
//! waiting in the outbox (`uploads`).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

use super::{Cache, CacheError, OPEN};
use crate::api::Attachment;
use crate::domain::CaseNumber;

/// An attachment's content as cached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedFile {
    /// The server's attachment id.
    pub id: i64,
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
fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Cache {
    /// The cached content of attachment `id`.
    pub fn attachment_file(&self, id: i64) -> Result<Option<CachedFile>, CacheError> {
        self.conn
            .query_row(
                "SELECT name, content_type, sha256, content FROM attachment_files WHERE id = ?1",
                [id],
                |r| {
                    Ok(CachedFile {
                        id,
                        name: r.get(0)?,
                        content_type: r.get(1)?,
                        sha256: r.get(2)?,
                        content: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
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
        let mut keep: HashSet<i64> = HashSet::new();
        let mut used = 0u64;
        for (number, file) in wanted {
            if keep.contains(&file.id) || used.saturating_add(file.size) > budget {
                continue;
            }
            used += file.size;
            keep.insert(file.id);
            if cached.get(&file.id) != Some(&file.sha256) {
                plan.fetch.push((number, file));
            }
        }
        plan.evict = cached.into_keys().filter(|id| !keep.contains(id)).collect();
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
        self.conn
            .execute(
                "INSERT INTO uploads (number, name, content_type, size, sha256, created_at, content)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                (
                    number.to_string(),
                    name,
                    content_type,
                    content.len() as i64,
                    sha256_hex(&content),
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
            content,
        })
    }

    /// A file waiting in the outbox.
    pub fn upload(&self, id: i64) -> Result<Option<Upload>, CacheError> {
        type Row = (String, String, Option<String>, Vec<u8>);
        let row: Option<Row> = self
            .conn
            .query_row(
                "SELECT number, name, content_type, content FROM uploads WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        row.map(|(number, name, content_type, content)| {
            Ok(Upload {
                id,
                number: number.parse().map_err(|e| self.corrupt("upload case", e))?,
                name,
                content_type,
                content,
            })
        })
        .transpose()
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
        let file = Attachment {
            id: 9,
            name: "a.log".into(),
            size: 5,
            content_type: "text/plain".into(),
            sha256: sha256_hex(b"hello"),
            added_by: "x".into(),
            added_at: None,
            note_id: None,
        };
        cache
            .put_attachment_file(&number, &file, b"hello", Utc::now())
            .unwrap();
        let got = cache.attachment_file(9).unwrap().unwrap();
        assert!(got.intact());
        assert_eq!(got.content, b"hello");
    }

    #[test]
    fn a_rebuilt_cache_keeps_queued_files_and_never_reuses_their_ids() {
        use crate::cache::PendingChange;
        let mut cache = cache("rebuild");
        let number: CaseNumber = "2026-1124-000101".parse().unwrap();
        let attach = |cache: &Cache, content: &[u8]| {
            let up = cache
                .put_upload(&number, "a.log", None, content.to_vec(), Utc::now())
                .unwrap();
            let change = PendingChange::Attach {
                upload: up.id,
                name: "a.log".into(),
                size: content.len() as u64,
            };
            cache
                .enqueue(Some(&number), &change, 1, Utc::now())
                .unwrap();
            up.id
        };
        let first = attach(&cache, b"first");
        let second = attach(&cache, b"second");
        // The newest entry was sent: its file left, but its id was given once.
        let sent = cache.outbox().unwrap()[1].id;
        cache.outbox_remove(sent).unwrap();
        cache.rebuild_damaged().unwrap();
        assert_eq!(cache.upload(first).unwrap().unwrap().content, b"first");
        let queued = cache.outbox().unwrap();
        assert_eq!(queued.len(), 1);
        assert!(
            matches!(queued[0].change, PendingChange::Attach { upload, .. } if upload == first)
        );
        let third = attach(&cache, b"third");
        assert!(third > second, "new upload {third} reuses an old id");
        // Sending the new entry drops only its own file.
        let newest = cache.outbox().unwrap()[1].id;
        cache.outbox_remove(newest).unwrap();
        assert_eq!(cache.upload(first).unwrap().unwrap().content, b"first");
    }
}
