//! The client's local store (SQLite, one file per profile): case summaries and details, the
//! policies and calendars, the change-feed sequence, when each was fetched — and the outbox of
//! changes made while offline.
//!
//! Everything here can be rebuilt from the server except the outbox (and what was last seen of
//! each case), so a file that is not ours (a newer or unknown schema version, or corrupt) is
//! moved aside with a notice rather than trusted; an older layout is brought up to date.

mod attachments;
mod cases;
mod drafts;
mod outbox;
mod replies;
mod seen;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

pub use cases::CachedCase;
pub use drafts::{Draft, DraftKind, save_draft_at};
pub use outbox::{Foreignness, OutboxEntry, OutboxState, Owner, PendingChange, excerpt};

/// The SQL condition for an open case, on the `cases` table as `c`.
const OPEN: &str = "c.status NOT IN ('resolved', 'closed')";

/// Marks the file as a casedesk cache (`PRAGMA application_id`, "CDKC").
const APPLICATION_ID: i32 = 0x4344_4b43;

/// A cached document, its ETag and when it was fetched.
pub type Stored<T> = (T, Option<String>, DateTime<Utc>);

/// The layout version (`PRAGMA user_version`); an older file is brought up to date by
/// [`MIGRATIONS`], a file of any other version is rebuilt.
const SCHEMA_VERSION: i32 = 6;

/// The steps from an older layout, each from the version it starts at to the next. A step only
/// adds: the outbox, which nothing else could rebuild, is kept.
const MIGRATIONS: [(i32, &str); 4] = [
    (2, SEEN_TABLE),
    (3, OUTBOX_OWNER),
    (4, RMA_TABLE),
    (5, DESK_TOOLS),
];

/// Version 3: per case, the newest timeline instant (microseconds) seen when it was last opened.
const SEEN_TABLE: &str = "CREATE TABLE seen (number TEXT PRIMARY KEY, through INTEGER NOT NULL);";

/// Version 4: whom each outbox entry was written for — the server's id and the token's
/// person. Entries from before have neither (NULL): see [`Cache::outbox_bind_unowned`].
const OUTBOX_OWNER: &str =
    "ALTER TABLE outbox ADD COLUMN server_id TEXT; ALTER TABLE outbox ADD COLUMN user_name TEXT;";

/// Version 5: the RMA numbers of each cached detail, written with it, so the queue's filter
/// reads a small keyed table instead of every detail's JSON at each reload. A cache of version
/// 4 fills it once from the details it holds.
const RMA_TABLE: &str = "
CREATE TABLE detail_rmas (
    number TEXT NOT NULL,
    position INTEGER NOT NULL,
    rma TEXT NOT NULL,
    PRIMARY KEY (number, position)
) WITHOUT ROWID;
INSERT INTO detail_rmas (number, position, rma)
    SELECT d.number, r.key, json_extract(r.value, '$.number')
    FROM details d, json_each(d.body, '$.rmas') r
    WHERE json_valid(d.body) AND json_extract(r.value, '$.number') IS NOT NULL;";

/// The `uploads` columns a rebuild carries over (ids included: outbox entries name them).
const UPLOAD_COLUMNS: &str = "id, number, name, content_type, size, sha256, created_at, content";

/// The highest upload id a damaged cache gave or its outbox names, as far as either can be
/// read (0 when neither can).
fn upload_id_floor(conn: &Connection) -> i64 {
    let given: i64 = conn
        .query_row(
            "SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'uploads'",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0);
    let named: i64 = conn
        .query_row(
            "SELECT coalesce(max(json_extract(change, '$.data.upload')), 0) FROM outbox
             WHERE json_valid(change) AND json_extract(change, '$.op') = 'attach'",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0);
    given.max(named)
}

/// Version 6: note drafts (kept until sent or discarded), the content of open cases'
/// attachments (up to the `[cache] attachments` budget, newest first), and files attached
/// offline, waiting in the outbox (an outbox entry names its upload by id).
const DESK_TOOLS: &str = "
CREATE TABLE drafts (
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (number, kind)
);
CREATE TABLE attachment_files (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    added_at TEXT,
    fetched_at TEXT NOT NULL,
    content BLOB NOT NULL
);
CREATE INDEX attachment_files_number ON attachment_files (number);
CREATE TABLE uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    content BLOB NOT NULL
);";

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE cases (
    number TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    priority TEXT NOT NULL,
    owner TEXT,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    summary BLOB NOT NULL,
    fetched_at TEXT NOT NULL
);
CREATE TABLE details (
    number TEXT PRIMARY KEY,
    etag TEXT,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);
CREATE TABLE documents (
    name TEXT PRIMARY KEY,
    etag TEXT,
    body TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_number TEXT NOT NULL,
    change TEXT NOT NULL,
    base_version INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
";

/// A cache failure.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// SQLite refused.
    #[error("cache {path}: {source}")]
    Sqlite {
        /// The cache file.
        path: String,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// A stored value could not be read back.
    #[error("cache {path}: unreadable {what}: {detail}")]
    Corrupt {
        /// The cache file.
        path: String,
        /// What.
        what: String,
        /// Why.
        detail: String,
    },
    /// The file could not be moved aside or its directory made.
    #[error("cache {path}: {source}")]
    Io {
        /// The cache file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

impl CacheError {
    /// Whether SQLite found the file damaged (`database disk image is malformed`, or not a
    /// database at all): rebuilding, not retrying, is what helps.
    pub fn is_damaged(&self) -> bool {
        use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
        matches!(self, CacheError::Sqlite { source, .. }
            if matches!(source.sqlite_error_code(), Some(DatabaseCorrupt | NotADatabase)))
    }
}

/// What rebuilding a damaged cache kept of its outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Salvage {
    /// Where the damaged file went.
    pub moved_to: PathBuf,
    /// Outbox entries carried over to the new cache.
    pub kept: usize,
    /// Whether the outbox could not be read (whole or in part): what it held may be lost.
    pub outbox_unreadable: bool,
}

impl std::fmt::Display for Salvage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the cache was damaged (database disk image is malformed): rebuilt from the server; the damaged file is kept at {}; ",
            self.moved_to.display()
        )?;
        if self.outbox_unreadable {
            write!(
                f,
                "its outbox could not be read in full: {} change(s) were kept, any others made offline are lost and must be made again",
                self.kept
            )
        } else {
            write!(f, "its outbox was kept ({} change(s))", self.kept)
        }
    }
}

/// The open cache of one profile.
pub struct Cache {
    conn: Connection,
    path: PathBuf,
    journal: &'static str,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache")
            .field("path", &self.path)
            .field("journal", &self.journal)
            .finish()
    }
}

/// What opening the cache had to do besides opening it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    /// Where the old file went.
    pub moved_to: PathBuf,
    /// Why.
    pub reason: String,
}

impl std::fmt::Display for Rebuilt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cache rebuilt: {}; the old file is kept at {}",
            self.reason,
            self.moved_to.display()
        )
    }
}

impl Cache {
    /// Opens the cache at `path`, creating it; a file of another schema or a corrupt one is moved
    /// aside (the outbox too is then lost, which is why it is named in the notice) and a fresh
    /// cache made in its place.
    pub fn open(path: &Path) -> Result<(Cache, Option<Rebuilt>), CacheError> {
        // Contacts, notes and the outbox are customer data: like the token, a 0600 file in
        // a 0700 directory (SQLite gives its -wal and -shm files the file's mode).
        let io = |source| CacheError::Io {
            path: path.display().to_string(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::config::create_private_dir(dir).map_err(io)?;
        }
        crate::config::ensure_private_file(path).map_err(io)?;
        for suffix in ["-wal", "-shm", "-journal"] {
            let side = PathBuf::from(format!("{}{suffix}", path.display()));
            if side.exists() {
                crate::config::ensure_private_file(&side).map_err(io)?;
            }
        }
        match Cache::try_open(path) {
            Ok(cache) => Ok((cache, None)),
            Err(reason) => {
                let moved_to = move_aside(path, "broken")?;
                crate::config::ensure_private_file(path).map_err(io)?;
                let cache = Cache::try_open(path).map_err(|reason| CacheError::Corrupt {
                    path: path.display().to_string(),
                    what: "new cache".into(),
                    detail: reason,
                })?;
                Ok((cache, Some(Rebuilt { moved_to, reason })))
            }
        }
    }

    /// Opens and checks the file; the error says why it cannot be used.
    fn try_open(path: &Path) -> Result<Cache, String> {
        let conn = Connection::open(path).map_err(|e| e.to_string())?;
        // Another casedesk holding the lock is waited for, briefly; never forever.
        conn.busy_timeout(std::time::Duration::from_secs(3))
            .map_err(|e| e.to_string())?;
        let read = |pragma: &str| -> Result<i32, String> {
            conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
                .map_err(|e| format!("not a readable database ({e})"))
        };
        let (app, version) = (read("application_id")?, read("user_version")?);
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(|e| format!("not a readable database ({e})"))?;
        if tables == 0 && app == 0 {
            let journal = crate::sqlite::use_wal_or_rollback(&conn).map_err(|e| e.to_string())?;
            conn.execute_batch(&format!(
                "BEGIN; {SCHEMA} {} PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;",
                MIGRATIONS.map(|(_, step)| step).join(" ")
            ))
            .map_err(|e| e.to_string())?;
            return Ok(Cache {
                conn,
                path: path.to_path_buf(),
                journal,
            });
        }
        if app != APPLICATION_ID {
            return Err("the file is not a casedesk cache".into());
        }
        if version < SCHEMA_VERSION {
            migrate(&conn, version)?;
        } else if version != SCHEMA_VERSION {
            return Err(format!(
                "it was written by another version of casedesk (schema {version}, expected {SCHEMA_VERSION})"
            ));
        }
        // No integrity check here: on 50k cases it costs more than loading them, and a damaged
        // page shows up as an error of the read that meets it (never a crash).
        let journal = crate::sqlite::use_wal_or_rollback(&conn).map_err(|e| e.to_string())?;
        Ok(Cache {
            conn,
            path: path.to_path_buf(),
            journal,
        })
    }

    /// Moves a damaged cache aside (`….damaged-TIMESTAMP`) and makes a new one in its place,
    /// copying over the outbox rows, the files they attach and the drafts that can still be
    /// read from the damaged file.
    pub fn rebuild_damaged(&mut self) -> Result<Salvage, CacheError> {
        type Row = Vec<rusqlite::types::Value>;
        let read = |conn: &Connection, sql: &str| -> Result<Vec<Row>, rusqlite::Error> {
            let mut stmt = conn.prepare(sql)?;
            let n = stmt.column_count();
            let rows =
                stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect::<Result<Row, _>>())?;
            rows.collect()
        };
        let outbox_sql = format!("SELECT {} FROM outbox ORDER BY id", outbox::COLUMNS);
        let (rows, outbox_unreadable) = match read(&self.conn, &outbox_sql) {
            Ok(rows) => (rows, false),
            Err(_) => (Vec::new(), true),
        };
        // The files attach entries name, under the same ids; and the highest id ever given, so
        // a new upload never takes an id an old entry still names (even one whose file is lost).
        let uploads_sql = format!("SELECT {UPLOAD_COLUMNS} FROM uploads ORDER BY id");
        let uploads = read(&self.conn, &uploads_sql).unwrap_or_default();
        let upload_floor = upload_id_floor(&self.conn);
        // Unsent drafts are someone's typing: carried over too, as far as they can be read.
        let drafts = self.drafts().unwrap_or_default();
        let path = self.path.clone();
        // Close the damaged file before it is moved.
        self.conn = Connection::open_in_memory().map_err(|e| self.err(e))?;
        let moved_to = move_aside(&path, "damaged")?;
        let (cache, _) = Cache::open(&path)?;
        let insert = format!(
            "INSERT INTO outbox ({}) VALUES ({})",
            outbox::COLUMNS,
            vec!["?"; outbox::COLUMNS.split(',').count()].join(", ")
        );
        let mut kept = 0;
        for row in &rows {
            cache
                .conn
                .execute(&insert, rusqlite::params_from_iter(row.iter()))
                .map_err(|e| cache.err(e))?;
            kept += 1;
        }
        let insert = format!(
            "INSERT INTO uploads ({UPLOAD_COLUMNS}) VALUES ({})",
            vec!["?"; UPLOAD_COLUMNS.split(',').count()].join(", ")
        );
        for row in &uploads {
            cache
                .conn
                .execute(&insert, rusqlite::params_from_iter(row.iter()))
                .map_err(|e| cache.err(e))?;
        }
        cache
            .conn
            .execute(
                "UPDATE sqlite_sequence SET seq = max(seq, ?1) WHERE name = 'uploads'",
                [upload_floor],
            )
            .and_then(|updated| match updated {
                0 => cache.conn.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES ('uploads', ?1)",
                    [upload_floor],
                ),
                n => Ok(n),
            })
            .map_err(|e| cache.err(e))?;
        for d in &drafts {
            cache.save_draft(&d.number, d.kind, &d.body, d.updated_at)?;
        }
        *self = cache;
        Ok(Salvage {
            moved_to,
            kept,
            outbox_unreadable,
        })
    }

    /// The journal mode in use: `wal`, or `delete` where the filesystem refuses WAL.
    pub fn journal_mode(&self) -> &'static str {
        self.journal
    }

    /// The cache file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, source: rusqlite::Error) -> CacheError {
        CacheError::Sqlite {
            path: self.path.display().to_string(),
            source,
        }
    }

    fn corrupt(&self, what: impl Into<String>, detail: impl ToString) -> CacheError {
        CacheError::Corrupt {
            path: self.path.display().to_string(),
            what: what.into(),
            detail: detail.to_string(),
        }
    }

    /// A value of the `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>, CacheError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Sets a value of the `meta` table.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), CacheError> {
        self.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// An instant of the `meta` table.
    pub fn meta_time(&self, key: &str) -> Result<Option<DateTime<Utc>>, CacheError> {
        Ok(self
            .meta(key)?
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc)))
    }

    /// Sets an instant of the `meta` table.
    pub fn set_meta_time(&self, key: &str, at: DateTime<Utc>) -> Result<(), CacheError> {
        self.set_meta(key, &at.to_rfc3339())
    }

    /// Removes a key of the `meta` table.
    pub fn clear_meta(&self, key: &str) -> Result<(), CacheError> {
        self.conn
            .execute("DELETE FROM meta WHERE key = ?1", [key])
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// The change-feed sequence the cache is up to date with (`None` before the first sync).
    pub fn seq(&self) -> Result<Option<i64>, CacheError> {
        Ok(self.meta(meta::SEQ)?.and_then(|s| s.parse().ok()))
    }

    /// A stored document (`policies`, `calendars`) and its ETag.
    pub fn document<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<(T, Option<String>)>, CacheError> {
        let row: Option<(String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT body, etag FROM documents WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        row.map(|(body, etag)| {
            serde_json::from_str(&body)
                .map(|v| (v, etag))
                .map_err(|e| self.corrupt(name, e))
        })
        .transpose()
    }

    /// A stored document, its ETag and when it was fetched.
    pub fn document_with_time<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<Stored<T>>, CacheError> {
        let row: Option<(String, Option<String>, String)> = self
            .conn
            .query_row(
                "SELECT body, etag, fetched_at FROM documents WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        row.map(|(body, etag, at)| {
            let at = DateTime::parse_from_rfc3339(&at)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| self.corrupt(name, e))?;
            serde_json::from_str(&body)
                .map(|v| (v, etag, at))
                .map_err(|e| self.corrupt(name, e))
        })
        .transpose()
    }

    /// Stores a document.
    pub fn put_document<T: serde::Serialize>(
        &self,
        name: &str,
        value: &T,
        etag: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), CacheError> {
        let body = serde_json::to_string(value).map_err(|e| self.corrupt(name, e))?;
        self.conn
            .execute(
                "INSERT INTO documents (name, etag, body, fetched_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (name) DO UPDATE SET etag = excluded.etag, body = excluded.body, fetched_at = excluded.fetched_at",
                (name, etag, body, at.to_rfc3339()),
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// Runs `f` in one transaction (one fsync for a whole page of cases).
    pub fn batch<T>(
        &mut self,
        f: impl FnOnce(&Cache) -> Result<T, CacheError>,
    ) -> Result<T, CacheError> {
        self.conn.execute_batch("BEGIN").map_err(|e| self.err(e))?;
        match f(self) {
            Ok(v) => {
                self.conn.execute_batch("COMMIT").map_err(|e| self.err(e))?;
                Ok(v)
            }
            Err(e) => {
                self.conn.execute_batch("ROLLBACK").ok();
                Err(e)
            }
        }
    }
}

/// Keys of the `meta` table.
pub mod meta {
    /// The change-feed sequence synced to.
    pub const SEQ: &str = "seq";
    /// When the server last answered: the data is as of then.
    pub const SYNCED_AT: &str = "synced_at";
    /// When the server stopped answering (absent while online).
    pub const OFFLINE_SINCE: &str = "offline_since";
    /// The server the cache holds data of.
    pub const SERVER: &str = "server";
    /// Who the token belongs to (`name role`).
    pub const ME: &str = "me";
    /// The server's stable id, as its `/v1/me` last said.
    pub const SERVER_ID: &str = "server_id";
}

/// Brings a cache of an older layout up to [`SCHEMA_VERSION`], all steps in one transaction;
/// a version no step starts from is refused (and the file then rebuilt).
fn migrate(conn: &Connection, from: i32) -> Result<(), String> {
    let mut sql = String::from("BEGIN;");
    let mut version = from;
    while version < SCHEMA_VERSION {
        let Some((_, step)) = MIGRATIONS.iter().find(|(v, _)| *v == version) else {
            return Err(format!(
                "it was written by another version of casedesk (schema {from}, expected {SCHEMA_VERSION})"
            ));
        };
        sql.push_str(step);
        version += 1;
    }
    sql.push_str(&format!("PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"));
    conn.execute_batch(&sql).map_err(|e| {
        conn.execute_batch("ROLLBACK").ok();
        format!("cannot bring schema {from} up to {SCHEMA_VERSION}: {e}")
    })
}

/// Moves a cache file and its journal companions aside; returns the new name.
fn move_aside(path: &Path, label: &str) -> Result<PathBuf, CacheError> {
    let stamp = Utc::now().format("%Y%m%dT%H%M%S");
    let target = PathBuf::from(format!("{}.{label}-{stamp}", path.display()));
    std::fs::rename(path, &target).map_err(|source| CacheError::Io {
        path: path.display().to_string(),
        source,
    })?;
    for suffix in ["-wal", "-shm", "-journal"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        if side.exists() {
            std::fs::rename(&side, format!("{}{suffix}", target.display())).ok();
        }
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("casedesk-cache-{}-{name}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("c.sqlite3")
    }

    #[test]
    fn garbage_and_foreign_files_are_moved_aside() {
        let path = temp("garbage");
        std::fs::write(&path, vec![0x5a; 8192]).unwrap();
        let (cache, rebuilt) = Cache::open(&path).unwrap();
        let rebuilt = rebuilt.expect("rebuilt");
        assert!(
            rebuilt.reason.contains("not a readable database"),
            "{rebuilt}"
        );
        assert!(rebuilt.moved_to.exists());
        assert_eq!(cache.journal_mode(), "wal");
        drop(cache);

        // Reopening a good cache keeps it.
        let (cache, rebuilt) = Cache::open(&path).unwrap();
        assert!(rebuilt.is_none());
        cache.set_meta("x", "1").unwrap();
        cache
            .conn
            .execute_batch("PRAGMA user_version = 99")
            .unwrap();
        drop(cache);
        let (cache, rebuilt) = Cache::open(&path).unwrap();
        assert!(rebuilt.unwrap().reason.contains("schema 99"));
        assert_eq!(cache.meta("x").unwrap(), None);

        let other = temp("foreign");
        let conn = Connection::open(&other).unwrap();
        conn.execute_batch("CREATE TABLE t (x)").unwrap();
        drop(conn);
        let (_, rebuilt) = Cache::open(&other).unwrap();
        assert!(rebuilt.unwrap().reason.contains("not a casedesk cache"));
    }

    #[test]
    fn a_schema_2_cache_is_migrated_and_keeps_its_outbox() {
        let path = temp("migrate");
        let (cache, _) = Cache::open(&path).unwrap();
        // A cache as schema 2 left it: no `seen` table, no outbox owners, a change waiting
        // in the outbox.
        cache
            .conn
            .execute_batch(
                "DROP TABLE drafts; DROP TABLE attachment_files; DROP TABLE uploads;
                 DROP TABLE seen; DROP TABLE detail_rmas; PRAGMA user_version = 2;
                 ALTER TABLE outbox DROP COLUMN server_id; ALTER TABLE outbox DROP COLUMN user_name;
                 INSERT INTO outbox (case_number, change, base_version, idempotency_key, state, created_at)
                 VALUES ('2026-1124-000101', '{\"op\":\"note\",\"data\":{\"body\":\"b\",\"visibility\":\"internal\"}}', 3, 'k1', 'pending', '2026-11-24T05:00:00Z');",
            )
            .unwrap();
        drop(cache);
        let (cache, rebuilt) = Cache::open(&path).unwrap();
        assert!(rebuilt.is_none(), "migrated, not rebuilt: {rebuilt:?}");
        let waiting: i64 = cache
            .conn
            .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
            .unwrap();
        assert_eq!(waiting, 1);
        // Whom it was written for is not known: bound when the outbox is next sent.
        assert_eq!(cache.outbox().unwrap()[0].owner, None);
        let number = "2026-1124-000101".parse().unwrap();
        assert_eq!(cache.seen(&number).unwrap(), None);
        cache.set_seen(&number, Utc::now()).unwrap();
        let version: i32 = cache
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);

        // A version no step starts from is rebuilt, as before.
        cache.conn.execute_batch("PRAGMA user_version = 1").unwrap();
        drop(cache);
        let (_, rebuilt) = Cache::open(&path).unwrap();
        assert!(rebuilt.unwrap().reason.contains("schema 1"));
    }
}
