//! The team's macros (`GET/PUT /v1/macros`): one row per macro holding its definition as
//! JSON, and one version for the whole set, moved by every change (the set's ETag).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::{StoreError, ts};
use crate::api::{Macro, MacroSet};

/// The set and its version.
pub fn macro_set(conn: &Connection) -> Result<(MacroSet, i64), StoreError> {
    let mut stmt = conn.prepare("SELECT body FROM macros ORDER BY name")?;
    let macros = stmt
        .query_map([], |r| super::json_col::<Macro>(r, 0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((MacroSet { macros }, macro_version(conn)?))
}

/// The set's version: 0 before anything was stored.
pub fn macro_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(
        conn.query_row("SELECT version FROM macro_meta WHERE id = 1", [], |r| {
            r.get(0)
        })?,
    )
}

/// The feed event of a change to the macros, so clients refresh their copy.
#[derive(Serialize)]
struct Changed<'a> {
    by: &'a str,
    version: i64,
    changed: &'a [&'a str],
    deleted: &'a [&'a str],
}

/// Moves the version and tells the change feed; returns the new version.
fn bump(
    conn: &Connection,
    by: &str,
    changed: &[&str],
    deleted: &[&str],
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    conn.execute(
        "UPDATE macro_meta SET version = version + 1 WHERE id = 1",
        [],
    )?;
    let version = macro_version(conn)?;
    super::emit(
        conn,
        at,
        "macros.changed",
        None,
        &Changed {
            by,
            version,
            changed,
            deleted,
        },
    )?;
    Ok(version)
}

fn write(conn: &Connection, m: &Macro, by: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
    let body = serde_json::to_string(m).map_err(|e| StoreError::invalid("body", e.to_string()))?;
    conn.execute(
        "INSERT INTO macros (name, body, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by,
             updated_at = excluded.updated_at",
        (&m.name, body, by, ts(at)),
    )?;
    Ok(())
}

fn checked(m: &Macro) -> Result<(), StoreError> {
    m.check().map_err(|e| StoreError::Invalid {
        field: e.field,
        detail: e.to_string(),
    })
}

/// Replaces the whole set; returns the new version.
pub fn replace_macros(
    conn: &Connection,
    set: &MacroSet,
    by: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    set.check().map_err(|e| StoreError::Invalid {
        field: e.field,
        detail: e.to_string(),
    })?;
    let (old, _) = macro_set(conn)?;
    conn.execute("DELETE FROM macros", [])?;
    for m in &set.macros {
        write(conn, m, by, at)?;
    }
    let changed: Vec<&str> = set.macros.iter().map(|m| m.name.as_str()).collect();
    let deleted: Vec<&str> = old
        .macros
        .iter()
        .map(|m| m.name.as_str())
        .filter(|n| set.get(n).is_none())
        .collect();
    bump(conn, by, &changed, &deleted, at)
}

/// Creates or replaces one macro; returns whether it is new, and the new version.
pub fn put_macro(
    conn: &Connection,
    m: &Macro,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(bool, i64), StoreError> {
    checked(m)?;
    let existed = conn
        .query_row(
            "SELECT 1 FROM macros WHERE name = ?1",
            [&m.name],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    write(conn, m, by, at)?;
    Ok((!existed, bump(conn, by, &[m.name.as_str()], &[], at)?))
}

/// Deletes one macro; returns the new version.
pub fn delete_macro(
    conn: &Connection,
    name: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let gone = conn.execute("DELETE FROM macros WHERE name = ?1", [name])?;
    if gone == 0 {
        return Err(StoreError::NotFound {
            what: "macro",
            id: name.to_string(),
        });
    }
    bump(conn, by, &[], &[name], at)
}

/// Inserts `defaults` the first time the server starts (never again, so a macro a lead
/// deleted stays deleted); returns whether it did.
pub fn seed_macros(
    conn: &Connection,
    defaults: &MacroSet,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let seeded: bool = conn.query_row("SELECT seeded FROM macro_meta WHERE id = 1", [], |r| {
        r.get(0)
    })?;
    if seeded {
        return Ok(false);
    }
    for m in &defaults.macros {
        write(conn, m, "system", at)?;
    }
    // The starting set is no change anybody follows: the version moves (a client that read
    // an empty set fetches again) but the change feed starts with the desk's own first event.
    conn.execute(
        "UPDATE macro_meta SET seeded = 1, version = version + 1 WHERE id = 1",
        [],
    )?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        for (_, sql) in crate::server::db::MIGRATIONS {
            conn.execute_batch(sql).unwrap();
        }
        conn
    }

    #[test]
    fn defaults_are_seeded_once_and_a_deleted_one_stays_deleted() {
        let conn = db();
        let now = Utc::now();
        let defaults = crate::server::macros::defaults().unwrap();
        assert!(seed_macros(&conn, &defaults, now).unwrap());
        assert_eq!(macro_set(&conn).unwrap().0.macros.len(), 6);
        let v = delete_macro(&conn, "ack", "lead", now).unwrap();
        assert!(!seed_macros(&conn, &defaults, now).unwrap());
        let (set, version) = macro_set(&conn).unwrap();
        assert_eq!(version, v);
        assert!(set.get("ack").is_none() && set.macros.len() == 5);
    }
}
