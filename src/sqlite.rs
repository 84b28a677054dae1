//! SQLite settings shared by the server's database and the client's cache.

use rusqlite::Connection;

/// Puts `conn` in WAL mode, or in the rollback journal where the filesystem refuses WAL (NFS
/// home directories, some containers); returns the mode in use: `wal` or `delete`.
pub(crate) fn use_wal_or_rollback(conn: &Connection) -> Result<&'static str, rusqlite::Error> {
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if mode.eq_ignore_ascii_case("wal") {
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        return Ok("wal");
    }
    tracing::warn!(mode, "WAL refused; using the rollback journal");
    conn.query_row("PRAGMA journal_mode = DELETE", [], |r| {
        r.get::<_, String>(0)
    })?;
    Ok("delete")
}
