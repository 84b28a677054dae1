//! API tokens: created by the admin command, shown once, stored as a SHA-256 hash.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::{StoreError, col, opt_time_col, time_col, ts};
use crate::api::{Person, Role, TokenInfo};

/// Who is calling: the token's name is the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The person (author of notes, owner of cases).
    pub name: String,
    /// What they may do.
    pub role: Role,
}

impl Caller {
    /// The server's own jobs.
    pub fn system() -> Caller {
        Caller {
            name: "system".into(),
            role: Role::Admin,
        }
    }

    /// Refuses unless the caller's role is at least `role`.
    pub fn require(&self, role: Role, action: &str) -> Result<(), StoreError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(StoreError::Forbidden(format!(
                "{} has the role {}; to {action} the role {role} or higher is needed",
                self.name, self.role
            )))
        }
    }
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Creates a token for `name`; returns the secret, which is not stored.
pub fn create_token(
    conn: &Connection,
    name: &str,
    role: Role,
    at: DateTime<Utc>,
) -> Result<String, StoreError> {
    let name = name.trim();
    if name.is_empty() || name.len() > 64 || name.chars().any(|c| c.is_control()) {
        return Err(StoreError::invalid(
            "name",
            "expected a person's name of 1 to 64 characters, e.g. tanaka",
        ));
    }
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM tokens WHERE name = ?1 AND revoked_at IS NULL)",
        [name],
        |r| r.get(0),
    )?;
    if exists {
        return Err(StoreError::Conflict {
            field: "name",
            detail: format!("{name} already has a token: revoke it first to issue a new one"),
        });
    }
    let secret: [u8; 32] = rand::random();
    let token = format!("cdk_{}", hex::encode(secret));
    conn.execute(
        "INSERT INTO tokens (name, role, hash, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (name) DO UPDATE SET role = ?2, hash = ?3, created_at = ?4, revoked_at = NULL",
        (name, role.as_str(), hash(&token), ts(at)),
    )?;
    Ok(token)
}

/// Issues `name` a new token whatever they held before (an active one is revoked first);
/// returns the secret. For the demo, whose people already work the desk.
pub fn reissue_token(
    conn: &Connection,
    name: &str,
    role: Role,
    at: DateTime<Utc>,
) -> Result<String, StoreError> {
    conn.execute(
        "UPDATE tokens SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
        (name.trim(), ts(at)),
    )?;
    create_token(conn, name, role, at)
}

/// Every token, newest first.
pub fn list_tokens(conn: &Connection) -> Result<Vec<TokenInfo>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT name, role, created_at, revoked_at FROM tokens ORDER BY created_at DESC, name",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(TokenInfo {
                name: r.get(0)?,
                role: col(r, 1)?,
                created_at: time_col(r, 2)?,
                revoked_at: opt_time_col(r, 3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Revokes `name`'s token.
pub fn revoke_token(conn: &Connection, name: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
    let n = conn.execute(
        "UPDATE tokens SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
        (name, ts(at)),
    )?;
    if n == 0 {
        return Err(StoreError::NotFound {
            what: "active token for",
            id: name.to_string(),
        });
    }
    Ok(())
}

/// The caller a token belongs to, if it is valid.
pub fn authenticate(conn: &Connection, token: &str) -> Result<Option<Caller>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT name, role FROM tokens WHERE hash = ?1 AND revoked_at IS NULL")?;
    Ok(stmt
        .query_row([hash(token)], |r| {
            Ok(Caller {
                name: r.get(0)?,
                role: col(r, 1)?,
            })
        })
        .optional()?)
}

/// Everyone a token was issued to, by name; active while their token is unrevoked. A person
/// whose token was revoked stays listed (their name is on cases and notes) but inactive.
pub fn list_people(conn: &Connection) -> Result<Vec<Person>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT name, role, revoked_at IS NULL FROM tokens ORDER BY name")?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Person {
                name: r.get(0)?,
                role: col(r, 1)?,
                active: r.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Refuses an owner who is not an active person who works cases (a typo, someone who left).
pub fn check_owner(conn: &Connection, name: &str) -> Result<(), StoreError> {
    crate::api::check_owner(&list_people(conn)?, name)
        .map_err(|e| StoreError::invalid("owner", e.to_string()))
}
