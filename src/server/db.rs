//! The SQLite database: opening it, its migrations, one writer and a pool of readers.
//!
//! SQLite allows one writer at a time, so writes queue on one connection instead of fighting
//! over the lock; reads run in parallel on their own connections (WAL). Every call runs on
//! tokio's blocking pool so the async server never waits on disk.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

/// The migrations, in order; each is applied once and recorded in `schema_migrations`.
pub(crate) const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/001_initial.sql")),
    (2, include_str!("migrations/002_rma_receipt.sql")),
    (3, include_str!("migrations/003_desk_deadlines.sql")),
    (4, include_str!("migrations/004_server_identity.sql")),
    (5, include_str!("migrations/005_idempotency_hash.sql")),
    (6, include_str!("migrations/006_mail.sql")),
    (7, include_str!("migrations/007_attachments.sql")),
    (8, include_str!("migrations/008_macros.sql")),
    (9, include_str!("migrations/009_reports.sql")),
];

/// A database failure.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// SQLite refused.
    #[error("database {path}: {source}")]
    Sqlite {
        /// The database file.
        path: String,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The blocking task died (a panic in a query).
    #[error("database task failed: {0}")]
    Task(String),
}

/// The open database.
pub struct Db {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    journal: &'static str,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("path", &self.path)
            .field("journal", &self.journal)
            .finish()
    }
}

impl Db {
    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        let err = |source| DbError::Sqlite {
            path: path.display().to_string(),
            source,
        };
        let writer = Connection::open(path).map_err(err)?;
        let journal = configure(&writer).map_err(err)?;
        migrate(&writer).map_err(err)?;
        Ok(Db {
            path: path.to_path_buf(),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            journal,
        })
    }

    /// The journal mode in use: `wal`, or `delete` where the filesystem refuses WAL.
    pub fn journal_mode(&self) -> &'static str {
        self.journal
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, source: rusqlite::Error) -> DbError {
        DbError::Sqlite {
            path: self.path.display().to_string(),
            source,
        }
    }

    /// Runs `f` in a write transaction on the single writer, committing if it returns `Ok`.
    pub fn write_blocking<T, E>(&self, f: impl FnOnce(&Transaction) -> Result<T, E>) -> Result<T, E>
    where
        E: From<DbError>,
    {
        // A panic while holding the lock poisons it; the connection itself is still sound.
        let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        let value = f(&tx)?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(value)
    }

    /// Runs `f` on a reader connection, in one read transaction so every query it makes sees
    /// the same snapshot (a write committed halfway through is seen by none of them).
    pub fn read_blocking<T, E>(&self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<DbError>,
    {
        let pooled = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => self.open_reader().map_err(|e| self.err(e))?,
        };
        let value = match conn.unchecked_transaction() {
            // Dropping the transaction ends it; a read has nothing to commit.
            Ok(snapshot) => f(&snapshot),
            Err(e) => Err(self.err(e).into()),
        };
        let mut pool = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < 16 {
            pool.push(conn);
        }
        value
    }

    fn open_reader(&self) -> Result<Connection, rusqlite::Error> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(conn)
    }
}

/// Sets the pragmas; returns the journal mode SQLite accepted.
fn configure(conn: &Connection) -> Result<&'static str, rusqlite::Error> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    crate::sqlite::use_wal_or_rollback(conn)
}

/// Applies the migrations not yet recorded.
fn migrate(conn: &Connection) -> Result<(), rusqlite::Error> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    )?;
    for &(version, sql) in MIGRATIONS {
        let applied: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?1)",
            [version],
            |r| r.get(0),
        )?;
        if !applied {
            conn.execute_batch(&format!(
                "BEGIN IMMEDIATE;\n{sql}\nINSERT INTO schema_migrations VALUES ({version}, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));\nCOMMIT;"
            ))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_once_and_are_recorded() {
        let dir = std::env::temp_dir().join(format!("casedesk-db-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        let db = Db::open(&path).unwrap();
        assert_eq!(db.journal_mode(), "wal");
        drop(db);
        let db = Db::open(&path).unwrap();
        let n: i64 = db
            .read_blocking(|c| {
                c.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0))
                    .map_err(|e| db.err(e))
            })
            .unwrap();
        assert_eq!(n, MIGRATIONS.len() as i64);
        std::fs::remove_dir_all(&dir).ok();
    }
}
