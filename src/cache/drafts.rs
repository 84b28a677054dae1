//! Note drafts: the text of a note editor not sent yet, one per case and kind of note, kept
//! until it is sent or discarded — so a dropped SSH session, a signal or a crash loses no words.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::{Cache, CacheError};
use crate::domain::CaseNumber;

/// Which editor a draft belongs to: a case may have one draft of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DraftKind {
    /// A note the customer sees.
    Public,
    /// A note for the desk only.
    Internal,
    /// A logged call.
    Call,
    /// A failed contact attempt.
    ContactFailed,
}

impl DraftKind {
    /// Every kind.
    pub const ALL: [DraftKind; 4] = [
        DraftKind::Public,
        DraftKind::Internal,
        DraftKind::Call,
        DraftKind::ContactFailed,
    ];

    /// Its stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            DraftKind::Public => "public",
            DraftKind::Internal => "internal",
            DraftKind::Call => "call",
            DraftKind::ContactFailed => "contact_failed",
        }
    }

    /// The kind of a stored name.
    pub fn parse(name: &str) -> Option<DraftKind> {
        DraftKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// One saved draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The case.
    pub number: CaseNumber,
    /// The editor it was typed in.
    pub kind: DraftKind,
    /// The text as typed.
    pub body: String,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
}

/// The upsert, or the delete when the text is blank: shared by the cache's connection and the
/// panic hook's own.
fn write(
    conn: &Connection,
    number: &CaseNumber,
    kind: DraftKind,
    body: &str,
    at: DateTime<Utc>,
) -> rusqlite::Result<()> {
    if body.trim().is_empty() {
        conn.execute(
            "DELETE FROM drafts WHERE number = ?1 AND kind = ?2",
            (number.to_string(), kind.as_str()),
        )?;
        return Ok(());
    }
    conn.execute(
        "INSERT INTO drafts (number, kind, body, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (number, kind) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        (number.to_string(), kind.as_str(), body, at.to_rfc3339()),
    )?;
    Ok(())
}

/// Writes one draft through a connection of its own: for the panic hook, where the cache's
/// connection may be mid-transaction or its lock poisoned. Waits briefly for a lock, never long.
pub fn save_draft_at(
    path: &Path,
    number: &CaseNumber,
    kind: DraftKind,
    body: &str,
    at: DateTime<Utc>,
) -> Result<(), CacheError> {
    let err = |source| CacheError::Sqlite {
        path: path.display().to_string(),
        source,
    };
    // Never create a file here: a missing cache means there is nowhere the draft belongs.
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(err)?;
    conn.busy_timeout(std::time::Duration::from_secs(1))
        .map_err(err)?;
    write(&conn, number, kind, body, at).map_err(err)
}

impl Cache {
    /// Saves the draft of a case's editor (replacing the last one); a blank text deletes it.
    pub fn save_draft(
        &self,
        number: &CaseNumber,
        kind: DraftKind,
        body: &str,
        at: DateTime<Utc>,
    ) -> Result<(), CacheError> {
        write(&self.conn, number, kind, body, at).map_err(|e| self.err(e))
    }

    /// The draft of a case's editor, if one is kept.
    pub fn draft(&self, number: &CaseNumber, kind: DraftKind) -> Result<Option<Draft>, CacheError> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT body, updated_at FROM drafts WHERE number = ?1 AND kind = ?2",
                (number.to_string(), kind.as_str()),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        row.map(|(body, at)| {
            Ok(Draft {
                number: *number,
                kind,
                body,
                updated_at: self.draft_time(&at)?,
            })
        })
        .transpose()
    }

    /// Deletes a draft; whether there was one.
    pub fn delete_draft(&self, number: &CaseNumber, kind: DraftKind) -> Result<bool, CacheError> {
        self.conn
            .execute(
                "DELETE FROM drafts WHERE number = ?1 AND kind = ?2",
                (number.to_string(), kind.as_str()),
            )
            .map(|n| n > 0)
            .map_err(|e| self.err(e))
    }

    /// Every draft, the newest first.
    pub fn drafts(&self) -> Result<Vec<Draft>, CacheError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT number, kind, body, updated_at FROM drafts
                 ORDER BY updated_at DESC, number, kind",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .map_err(|e| self.err(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        let mut drafts = Vec::with_capacity(rows.len());
        for (number, kind, body, at) in rows {
            let number = number
                .parse::<CaseNumber>()
                .map_err(|e| self.corrupt("draft case number", e))?;
            // A kind this version does not know (written by a newer one) is left alone.
            let Some(kind) = DraftKind::parse(&kind) else {
                continue;
            };
            drafts.push(Draft {
                number,
                kind,
                body,
                updated_at: self.draft_time(&at)?,
            });
        }
        Ok(drafts)
    }

    fn draft_time(&self, at: &str) -> Result<DateTime<Utc>, CacheError> {
        DateTime::parse_from_rfc3339(at)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| self.corrupt("draft time", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("casedesk-drafts-{}-{name}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        dir.join("c.sqlite3")
    }

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_draft_is_saved_replaced_listed_newest_first_and_deleted() {
        let path = temp("api");
        let (cache, _) = Cache::open(&path).unwrap();
        let a: CaseNumber = "2026-1124-000101".parse().unwrap();
        let b: CaseNumber = "2026-1124-000102".parse().unwrap();
        assert_eq!(cache.draft(&a, DraftKind::Public).unwrap(), None);
        cache
            .save_draft(
                &a,
                DraftKind::Public,
                "再起動後も",
                t("2026-11-24T05:00:00Z"),
            )
            .unwrap();
        cache
            .save_draft(
                &a,
                DraftKind::Public,
                "再起動後も同じ",
                t("2026-11-24T05:00:03Z"),
            )
            .unwrap();
        cache
            .save_draft(&a, DraftKind::Internal, "memo", t("2026-11-24T05:01:00Z"))
            .unwrap();
        cache
            .save_draft(&b, DraftKind::Call, "called", t("2026-11-24T04:00:00Z"))
            .unwrap();
        let got = cache.draft(&a, DraftKind::Public).unwrap().unwrap();
        assert_eq!(got.body, "再起動後も同じ");
        assert_eq!(got.updated_at, t("2026-11-24T05:00:03Z"));
        let all: Vec<(String, DraftKind)> = cache
            .drafts()
            .unwrap()
            .into_iter()
            .map(|d| (d.number.to_string(), d.kind))
            .collect();
        assert_eq!(
            all,
            vec![
                ("2026-1124-000101".into(), DraftKind::Internal),
                ("2026-1124-000101".into(), DraftKind::Public),
                ("2026-1124-000102".into(), DraftKind::Call),
            ]
        );
        assert!(cache.delete_draft(&a, DraftKind::Internal).unwrap());
        assert!(!cache.delete_draft(&a, DraftKind::Internal).unwrap());
        // A blank text is no draft.
        cache
            .save_draft(&b, DraftKind::Call, "  \n", t("2026-11-24T06:00:00Z"))
            .unwrap();
        assert_eq!(cache.draft(&b, DraftKind::Call).unwrap(), None);
        assert_eq!(cache.drafts().unwrap().len(), 1);
        std::fs::remove_dir_all(path.parent().unwrap()).ok();
    }

    #[test]
    fn a_rebuilt_cache_keeps_its_drafts() {
        let path = temp("rebuild");
        let (mut cache, _) = Cache::open(&path).unwrap();
        let a: CaseNumber = "2026-1124-000101".parse().unwrap();
        let at = t("2026-11-24T05:00:00Z");
        cache
            .save_draft(&a, DraftKind::Public, "お世話になっております。", at)
            .unwrap();
        let salvage = cache.rebuild_damaged().unwrap();
        assert!(salvage.moved_to.exists());
        let kept = cache.draft(&a, DraftKind::Public).unwrap().unwrap();
        assert_eq!(
            (kept.body.as_str(), kept.updated_at),
            ("お世話になっております。", at)
        );
        std::fs::remove_dir_all(path.parent().unwrap()).ok();
    }

    #[test]
    fn the_panic_hooks_own_connection_writes_into_the_open_cache() {
        let path = temp("hook");
        let (cache, _) = Cache::open(&path).unwrap();
        let a: CaseNumber = "2026-1124-000101".parse().unwrap();
        save_draft_at(&path, &a, DraftKind::Internal, "half a sen", Utc::now()).unwrap();
        assert_eq!(
            cache.draft(&a, DraftKind::Internal).unwrap().unwrap().body,
            "half a sen"
        );
        // No cache file: nothing is created.
        let missing = temp("missing");
        assert!(save_draft_at(&missing, &a, DraftKind::Public, "x", Utc::now()).is_err());
        assert!(!missing.exists());
        std::fs::remove_dir_all(path.parent().unwrap()).ok();
    }
}
