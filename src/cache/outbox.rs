//! The outbox: changes made while the server could not be reached, kept on disk until the
//! server has them. Nothing leaves it silently: an entry is removed only when the server
//! accepted it or the user discarded it.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::{Cache, CacheError};
use crate::api::{CasePatch, NewCase, NewEscalation, NewNote};
use crate::domain::CaseNumber;

/// A change waiting to be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", content = "data", rename_all = "snake_case")]
pub enum PendingChange {
    /// A note.
    Note(NewNote),
    /// A status, priority or owner change.
    Patch(CasePatch),
    /// An escalation request.
    Escalation(NewEscalation),
    /// A case to open; it has no number until the server gives it one.
    Create(Box<NewCase>),
    /// A file attached offline: its content waits in the cache's `uploads` under `upload`,
    /// and leaves with the entry (sent or discarded).
    Attach {
        /// The `uploads` row holding the content.
        upload: i64,
        /// The file name.
        name: String,
        /// Size in bytes.
        size: u64,
    },
}

/// The start of a text for a one-line list: at most 40 characters, line breaks as spaces.
pub fn excerpt(text: &str) -> String {
    let mut short: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        short.push('…');
    }
    short.replace('\n', " ").trim().to_string()
}

impl PendingChange {
    /// A few words for lists: `internal note "Rebooted the…"`, `status → resolved`.
    pub fn describe(&self) -> String {
        match self {
            PendingChange::Note(n) => {
                let body = excerpt(&n.body);
                match n.kind {
                    crate::api::NoteKind::Call => format!("call \"{body}\""),
                    crate::api::NoteKind::ContactFailed => {
                        format!("failed contact attempt \"{body}\"")
                    }
                    crate::api::NoteKind::Note => format!("{} note \"{body}\"", n.visibility),
                }
            }
            PendingChange::Patch(p) => {
                let mut parts = Vec::new();
                if let Some(s) = p.status {
                    parts.push(format!("status → {s}"));
                }
                if let Some(pr) = p.priority {
                    parts.push(format!("priority → {pr}"));
                }
                for pr in &p.add_problem_reports {
                    parts.push(format!("problem report {pr}"));
                }
                if let Some(o) = &p.owner {
                    parts.push(if o.is_empty() {
                        "unassign".to_string()
                    } else {
                        format!("owner → {o}")
                    });
                }
                if parts.is_empty() {
                    "change".into()
                } else {
                    parts.join(", ")
                }
            }
            PendingChange::Escalation(e) => format!("escalation {}", e.kind),
            PendingChange::Create(c) => {
                format!("new {} case \"{}\"", c.priority, excerpt(&c.subject))
            }
            PendingChange::Attach { name, size, .. } => {
                format!("attach \"{}\" ({size} bytes)", excerpt(name))
            }
        }
    }
}

/// Where an outbox entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting for the server.
    Pending,
    /// The case changed on the server since the change was made: retry against the new
    /// version, or discard.
    Conflicted,
    /// The server refused it (a forbidden transition, a missing role): fix, retry or discard.
    Failed,
}

impl OutboxState {
    /// The word stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Conflicted => "conflicted",
            OutboxState::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Conflicted, Self::Failed]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// Whom an outbox entry was written for: one server (its stable id) and one person (the
/// token's). An entry is sent only to that server under that person's token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// The server's id (`/v1/me`'s `server_id`; `url:…` for a server that reports none).
    pub server_id: String,
    /// The person the token belonged to.
    pub user: String,
}

impl std::fmt::Display for Owner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} on server {}", self.user, self.server_id)
    }
}

/// How an outbox entry belongs to someone else (see [`OutboxEntry::foreign_to`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Foreignness {
    /// Written for another server.
    OtherServer,
    /// Written on this server for another person (another token's).
    OtherUser,
}

/// One change in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxEntry {
    /// Its id, for `casedesk outbox retry|discard ID`.
    pub id: i64,
    /// The case; `None` for a case still to be opened (see [`OutboxEntry::reference`]).
    pub case_number: Option<CaseNumber>,
    /// What.
    pub change: PendingChange,
    /// The case version the change was made against (`If-Match`).
    pub base_version: i64,
    /// Sent with the change so a repeat is applied once.
    pub idempotency_key: String,
    /// Where it stands.
    pub state: OutboxState,
    /// The server's words, for a conflicted or failed entry.
    pub error: Option<String>,
    /// How many times it was sent.
    pub attempts: u32,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Whom it was written for; `None` for an entry from before casedesk recorded it (bound
    /// to the first server and person that send the outbox).
    pub owner: Option<Owner>,
}

impl OutboxEntry {
    /// The case number, or for a case not opened yet its provisional local reference
    /// (`NEW-7`), which names it until the server gives it a number.
    pub fn reference(&self) -> String {
        match &self.case_number {
            Some(number) => number.to_string(),
            None => format!("NEW-{}", self.id),
        }
    }

    /// Whether the entry was written for another server or person than `mine` (whom the
    /// profile last heard it talks to): such an entry is never sent from here. `None` when it
    /// is ours, bound to nobody yet, or whom we talk to is not known yet.
    pub fn foreign_to(&self, mine: Option<&Owner>) -> Option<Foreignness> {
        let (theirs, mine) = (self.owner.as_ref()?, mine?);
        if theirs.server_id != mine.server_id {
            Some(Foreignness::OtherServer)
        } else if theirs.user != mine.user {
            Some(Foreignness::OtherUser)
        } else {
            None
        }
    }

    /// Whether this entry is the change `number` is waiting on.
    pub fn is_for(&self, number: &CaseNumber) -> bool {
        self.case_number.as_ref() == Some(number)
    }
}

/// The outbox's columns, in the order rows are read and copied.
pub(super) const COLUMNS: &str = "id, case_number, change, base_version, idempotency_key, state, error, attempts, created_at, server_id, user_name";

impl Cache {
    /// Adds a change to the outbox; returns the entry.
    pub fn enqueue(
        &self,
        number: Option<&CaseNumber>,
        change: &PendingChange,
        base_version: i64,
        at: DateTime<Utc>,
    ) -> Result<OutboxEntry, CacheError> {
        let key = crate::api::client::idempotency_key();
        self.enqueue_keyed(number, change, base_version, at, &key)
    }

    /// [`Cache::enqueue`] under a key already sent once (a write tried online whose answer
    /// never came): a replay is then applied once, whichever send reached the server.
    pub fn enqueue_keyed(
        &self,
        number: Option<&CaseNumber>,
        change: &PendingChange,
        base_version: i64,
        at: DateTime<Utc>,
        key: &str,
    ) -> Result<OutboxEntry, CacheError> {
        // Written for the server and person last heard from (kept in `meta`, forgotten when
        // the profile's URL changes); unknown yet, it is bound when the outbox is next sent.
        let owner = self.remembered_owner()?;
        let json = serde_json::to_string(change).map_err(|e| self.corrupt("outbox change", e))?;
        self.conn
            .execute(
                "INSERT INTO outbox (case_number, change, base_version, idempotency_key, state, created_at, server_id, user_name)
                 VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6, ?7)",
                (
                    number.map(ToString::to_string).unwrap_or_default(),
                    json,
                    base_version,
                    key,
                    at.to_rfc3339(),
                    owner.as_ref().map(|o| o.server_id.as_str()),
                    owner.as_ref().map(|o| o.user.as_str()),
                ),
            )
            .map_err(|e| self.err(e))?;
        let id = self.conn.last_insert_rowid();
        self.outbox_entry(id)?
            .ok_or_else(|| self.corrupt("outbox", "entry vanished after insert"))
    }

    /// Every outbox entry, oldest first.
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>, CacheError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM outbox ORDER BY id"))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok(self.entry_from_row(r)))
            .map_err(|e| self.err(e))?;
        rows.map(|r| r.map_err(|e| self.err(e))?).collect()
    }

    /// One outbox entry.
    pub fn outbox_entry(&self, id: i64) -> Result<Option<OutboxEntry>, CacheError> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"),
                [id],
                |r| Ok(self.entry_from_row(r)),
            )
            .optional()
            .map_err(|e| self.err(e))?
            .transpose()
    }

    fn entry_from_row(&self, r: &Row) -> Result<OutboxEntry, CacheError> {
        let e = |e| self.err(e);
        let change: String = r.get(2).map_err(e)?;
        let state: String = r.get(5).map_err(e)?;
        let number: String = r.get(1).map_err(e)?;
        let created: String = r.get(8).map_err(e)?;
        let server_id: Option<String> = r.get(9).map_err(e)?;
        let user: Option<String> = r.get(10).map_err(e)?;
        Ok(OutboxEntry {
            id: r.get(0).map_err(e)?,
            case_number: match number.as_str() {
                "" => None,
                n => Some(n.parse().map_err(|x| self.corrupt("outbox case", x))?),
            },
            change: serde_json::from_str(&change).map_err(|x| self.corrupt("outbox change", x))?,
            base_version: r.get(3).map_err(e)?,
            idempotency_key: r.get(4).map_err(e)?,
            state: OutboxState::parse(&state)
                .ok_or_else(|| self.corrupt("outbox state", &state))?,
            error: r.get(6).map_err(e)?,
            attempts: r.get(7).map_err(e)?,
            created_at: DateTime::parse_from_rfc3339(&created)
                .map_err(|x| self.corrupt("outbox time", x))?
                .with_timezone(&Utc),
            owner: server_id.map(|server_id| Owner {
                server_id,
                user: user.unwrap_or_default(),
            }),
        })
    }

    /// Counts one more attempt at sending an entry (before it is sent, so a crash mid-send
    /// still shows it was tried).
    pub fn outbox_attempt(&self, id: i64) -> Result<(), CacheError> {
        self.conn
            .execute(
                "UPDATE outbox SET attempts = attempts + 1 WHERE id = ?1",
                [id],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// Marks an entry conflicted or failed, with the server's words.
    pub fn outbox_mark(
        &self,
        id: i64,
        state: OutboxState,
        error: Option<&str>,
    ) -> Result<(), CacheError> {
        self.conn
            .execute(
                "UPDATE outbox SET state = ?2, error = ?3 WHERE id = ?1",
                (id, state.as_str(), error),
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// Puts an entry back to pending against a new case version (a retry after a conflict).
    pub fn outbox_rebase(&self, id: i64, version: i64) -> Result<(), CacheError> {
        self.conn
            .execute(
                "UPDATE outbox SET state = 'pending', error = NULL, base_version = ?2 WHERE id = ?1",
                (id, version),
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// The server and person the cache last heard from, if both are known.
    pub fn remembered_owner(&self) -> Result<Option<Owner>, CacheError> {
        let server_id = self.meta(super::meta::SERVER_ID)?;
        let me = self.meta(super::meta::ME)?;
        Ok(server_id.zip(me).map(|(server_id, me)| Owner {
            server_id,
            user: me
                .split_once(' ')
                .map_or(me.as_str(), |(name, _)| name)
                .to_string(),
        }))
    }

    /// Remembers whom the server says the token belongs to, and which server it is.
    pub fn remember_owner(&self, owner: &Owner, role: &str) -> Result<(), CacheError> {
        self.set_meta(super::meta::SERVER_ID, &owner.server_id)?;
        self.set_meta(super::meta::ME, &format!("{} {role}", owner.user))
    }

    /// Binds the entries that say for whom they were written to nobody (made before casedesk
    /// recorded it, or while the server was never reached) to `owner`; returns how many.
    pub fn outbox_bind_unowned(&self, owner: &Owner) -> Result<usize, CacheError> {
        self.conn
            .execute(
                "UPDATE outbox SET server_id = ?1, user_name = ?2 WHERE server_id IS NULL",
                (&owner.server_id, &owner.user),
            )
            .map_err(|e| self.err(e))
    }

    /// The profile now points at another URL: what was queued so far stays bound to the
    /// server it was written for (the one last heard from, else the old URL), and the cache
    /// forgets whom it talks to until the new server answers.
    pub fn forget_server(&self, old_url: Option<&str>) -> Result<(), CacheError> {
        let user = self
            .meta(super::meta::ME)?
            .and_then(|me| me.split_once(' ').map(|(n, _)| n.to_string()))
            .unwrap_or_default();
        let owner = match self.remembered_owner()? {
            Some(owner) => Some(owner),
            None => old_url.map(|url| Owner {
                server_id: format!("url:{url}"),
                user,
            }),
        };
        if let Some(owner) = owner {
            self.outbox_bind_unowned(&owner)?;
        }
        self.clear_meta(super::meta::SERVER_ID)?;
        self.clear_meta(super::meta::ME)
    }

    /// Takes a sent entry out of the outbox and, in the same transaction, moves the entries
    /// of its case made against the same version on to the version the server now holds (the
    /// chain between them lives on disk, so a crash between two of them never leaves the next
    /// one conflicting with our own write).
    pub fn outbox_sent(
        &mut self,
        entry: &OutboxEntry,
        new_version: Option<i64>,
    ) -> Result<(), CacheError> {
        let number = entry.case_number.as_ref().map(ToString::to_string);
        self.batch(|cache| {
            cache.remove_entry_upload(entry.id)?;
            cache
                .conn
                .execute("DELETE FROM outbox WHERE id = ?1", [entry.id])
                .map_err(|e| cache.err(e))?;
            if let (Some(number), Some(version)) = (&number, new_version) {
                cache
                    .conn
                    .execute(
                        "UPDATE outbox SET base_version = ?3
                         WHERE case_number = ?1 AND base_version = ?2 AND state = 'pending' AND id > ?4",
                        (number, entry.base_version, version, entry.id),
                    )
                    .map_err(|e| cache.err(e))?;
            }
            Ok(())
        })
    }

    /// Removes an entry (sent, or discarded by the user); returns whether it existed.
    pub fn outbox_remove(&self, id: i64) -> Result<bool, CacheError> {
        self.remove_entry_upload(id)?;
        self.conn
            .execute("DELETE FROM outbox WHERE id = ?1", [id])
            .map(|n| n > 0)
            .map_err(|e| self.err(e))
    }

    /// Drops the file an attach entry holds in `uploads` (nothing for other entries): it
    /// leaves with its entry.
    fn remove_entry_upload(&self, id: i64) -> Result<(), CacheError> {
        self.conn
            .execute(
                "DELETE FROM uploads WHERE id IN (
                    SELECT json_extract(change, '$.data.upload') FROM outbox
                    WHERE id = ?1 AND json_valid(change) AND json_extract(change, '$.op') = 'attach')",
                [id],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }
}
