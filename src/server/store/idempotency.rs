//! `Idempotency-Key`: the first response to a POST is kept and replayed on a retry of the same
//! request; the key reused for a different request is refused (IETF Idempotency-Key draft).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::{StoreError, ts};

/// A response kept for replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotentResponse {
    /// The request it answered (method and path), named when a key is reused.
    pub request: String,
    /// The [`fingerprint`] of the request it answered; `None` for keys kept before
    /// fingerprints were (those are compared by `request` alone).
    pub fingerprint: Option<String>,
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: String,
    /// The `Location` of what was created, if any.
    pub location: Option<String>,
}

/// The response kept for this caller's key, if any.
pub fn recall(
    conn: &Connection,
    caller: &str,
    key: &str,
) -> Result<Option<IdempotentResponse>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT request, fingerprint, status, body, location FROM idempotency WHERE token_name = ?1 AND key = ?2",
            (caller, key),
            |r| {
                Ok(IdempotentResponse {
                    request: r.get(0)?,
                    fingerprint: r.get(1)?,
                    status: r.get(2)?,
                    body: r.get(3)?,
                    location: r.get(4)?,
                })
            },
        )
        .optional()?)
}

/// Keeps a response for replay.
pub fn remember(
    conn: &Connection,
    caller: &str,
    key: &str,
    response: &IdempotentResponse,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT OR IGNORE INTO idempotency (token_name, key, request, fingerprint, status, body, location, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        (caller, key, &response.request, &response.fingerprint, response.status, &response.body, &response.location, ts(at)),
    )?;
    Ok(())
}

/// A hash of a request: its method and path (`request`, "POST /v1/cases") and its body.
pub fn fingerprint(request: &str, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(request.as_bytes());
    // A separator no request line contains, so the line and the body cannot run together.
    hash.update(b"\n");
    hash.update(body);
    hex::encode(hash.finalize())
}

impl IdempotentResponse {
    /// Whether this kept response answered the request of `request` and `fingerprint`.
    pub fn answers(&self, request: &str, fingerprint: &str) -> bool {
        self.request == request
            && self
                .fingerprint
                .as_deref()
                .is_none_or(|kept| kept == fingerprint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(fingerprint: Option<String>) -> IdempotentResponse {
        IdempotentResponse {
            request: "POST /v1/cases".into(),
            fingerprint,
            status: 201,
            body: "{}".into(),
            location: None,
        }
    }

    #[test]
    fn fingerprints_differ_by_request_and_body() {
        let a = fingerprint("POST /v1/cases", b"{\"subject\":\"a\"}");
        assert_eq!(a, fingerprint("POST /v1/cases", b"{\"subject\":\"a\"}"));
        assert_ne!(a, fingerprint("POST /v1/cases", b"{\"subject\":\"b\"}"));
        assert_ne!(a, fingerprint("POST /v1/cases/x", b"{\"subject\":\"a\"}"));
    }

    #[test]
    fn a_kept_response_answers_only_its_own_request() {
        let f = fingerprint("POST /v1/cases", b"1");
        let first = kept(Some(f.clone()));
        assert!(first.answers("POST /v1/cases", &f));
        assert!(!first.answers("POST /v1/cases", &fingerprint("POST /v1/cases", b"2")));
        assert!(!first.answers("POST /v1/cases/2026-1122-000001/notes", &f));
        // A key kept before fingerprints is compared by method and path.
        assert!(kept(None).answers("POST /v1/cases", "anything"));
    }
}
