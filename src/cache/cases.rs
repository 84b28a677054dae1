//! Case summaries and full case details in the cache.

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;

use super::{Cache, CacheError};
use crate::api::{Case, CaseSummary};
use crate::domain::CaseNumber;

/// A case detail as cached.
#[derive(Debug, Clone)]
pub struct CachedCase {
    /// The case as the server last sent it.
    pub case: Case,
    /// Its ETag, for `If-None-Match`.
    pub etag: Option<String>,
    /// When it was fetched.
    pub fetched_at: DateTime<Utc>,
}

/// Summaries are kept packed (postcard), not as JSON: half the bytes, and loading 50k of them —
/// the TUI's start-up — spends its time in decoding, which JSON's Japanese text made slow.
fn unpack(bytes: &[u8]) -> Result<CaseSummary, postcard::Error> {
    postcard::from_bytes(bytes)
}

impl Cache {
    /// Stores summaries; an older version never replaces a newer one (an event and a page
    /// can arrive in either order).
    pub fn put_summaries(
        &self,
        cases: &[CaseSummary],
        at: DateTime<Utc>,
    ) -> Result<(), CacheError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "INSERT INTO cases (number, status, priority, owner, updated_at, version, summary, fetched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (number) DO UPDATE SET status = excluded.status, priority = excluded.priority,
                    owner = excluded.owner, updated_at = excluded.updated_at, version = excluded.version,
                    summary = excluded.summary, fetched_at = excluded.fetched_at
                 WHERE excluded.version >= cases.version",
            )
            .map_err(|e| self.err(e))?;
        let at = at.to_rfc3339();
        for c in cases {
            let packed = postcard::to_allocvec(c).map_err(|e| self.corrupt("case summary", e))?;
            stmt.execute((
                c.number.to_string(),
                c.status.as_str(),
                c.priority.as_str(),
                c.owner.as_deref(),
                c.updated_at.to_rfc3339(),
                c.version,
                packed,
                &at,
            ))
            .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Every cached summary, in no particular order: what the TUI starts from.
    pub fn summaries(&self) -> Result<Vec<CaseSummary>, CacheError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT summary FROM cases")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            // Decoded straight from SQLite's buffer, no copy first.
            let bytes = row
                .get_ref(0)
                .and_then(|v| v.as_blob().map_err(Into::into))
                .map_err(|e| self.err(e))?;
            out.push(unpack(bytes).map_err(|e| self.corrupt("case summary", e))?);
        }
        Ok(out)
    }

    /// One cached summary.
    pub fn summary(&self, number: &CaseNumber) -> Result<Option<CaseSummary>, CacheError> {
        let bytes: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT summary FROM cases WHERE number = ?1",
                [number.to_string()],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        bytes
            .map(|b| unpack(&b).map_err(|e| self.corrupt("case summary", e)))
            .transpose()
    }

    /// How many cases the cache holds.
    pub fn case_count(&self) -> Result<u64, CacheError> {
        self.conn
            .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Stores a case detail (and its summary).
    pub fn put_detail(
        &self,
        case: &Case,
        etag: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), CacheError> {
        // The detail and its RMA numbers change together, inside or outside a caller's
        // transaction.
        self.conn
            .execute_batch("SAVEPOINT put_detail")
            .map_err(|e| self.err(e))?;
        match self.write_detail(case, etag, at) {
            Ok(()) => self
                .conn
                .execute_batch("RELEASE put_detail")
                .map_err(|e| self.err(e)),
            Err(e) => {
                self.conn
                    .execute_batch("ROLLBACK TO put_detail; RELEASE put_detail")
                    .ok();
                Err(e)
            }
        }
    }

    fn write_detail(
        &self,
        case: &Case,
        etag: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), CacheError> {
        self.put_summaries(std::slice::from_ref(&case.summary), at)?;
        let body = serde_json::to_string(case).map_err(|e| self.corrupt("case", e))?;
        let number = case.summary.number.to_string();
        let written = self
            .conn
            .execute(
                "INSERT INTO details (number, etag, version, body, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (number) DO UPDATE SET etag = excluded.etag, version = excluded.version,
                    body = excluded.body, fetched_at = excluded.fetched_at
                 WHERE excluded.version >= details.version",
                (&number, etag, case.summary.version, body, at.to_rfc3339()),
            )
            .map_err(|e| self.err(e))?;
        // An older detail than the cached one was not written: its RMAs are not either.
        if written == 0 {
            return Ok(());
        }
        self.conn
            .prepare_cached("DELETE FROM detail_rmas WHERE number = ?1")
            .and_then(|mut stmt| stmt.execute([&number]))
            .map_err(|e| self.err(e))?;
        let mut insert = self
            .conn
            .prepare_cached("INSERT INTO detail_rmas (number, position, rma) VALUES (?1, ?2, ?3)")
            .map_err(|e| self.err(e))?;
        for (position, rma) in case.rmas.iter().enumerate() {
            insert
                .execute((&number, position as i64, rma.number.to_string()))
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Marks a cached detail as checked now (the server answered 304).
    pub fn touch_detail(&self, number: &CaseNumber, at: DateTime<Utc>) -> Result<(), CacheError> {
        self.conn
            .execute(
                "UPDATE details SET fetched_at = ?2 WHERE number = ?1",
                (number.to_string(), at.to_rfc3339()),
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// One cached case detail.
    pub fn detail(&self, number: &CaseNumber) -> Result<Option<CachedCase>, CacheError> {
        let row: Option<(String, Option<String>, String)> = self
            .conn
            .query_row(
                "SELECT body, etag, fetched_at FROM details WHERE number = ?1",
                [number.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some((body, etag, fetched_at)) = row else {
            return Ok(None);
        };
        Ok(Some(CachedCase {
            case: serde_json::from_str(&body).map_err(|e| self.corrupt("case", e))?,
            etag,
            fetched_at: DateTime::parse_from_rfc3339(&fetched_at)
                .map_err(|e| self.corrupt("fetch time", e))?
                .with_timezone(&Utc),
        }))
    }

    /// Every cached case detail (for offline RMA and entitlement lookups).
    pub fn details(&self) -> Result<Vec<Case>, CacheError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT body FROM details")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let body = row.map_err(|e| self.err(e))?;
            out.push(serde_json::from_str(&body).map_err(|e| self.corrupt("case", e))?);
        }
        Ok(out)
    }

    /// The RMA numbers of every cached case detail, by case (for the queue's filter): read
    /// from the table written with each detail, in key order, so no detail is decoded.
    pub fn rma_numbers(
        &self,
    ) -> Result<std::collections::HashMap<CaseNumber, Vec<String>>, CacheError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT number, rma FROM detail_rmas ORDER BY number, position")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| self.err(e))?;
        let mut out: std::collections::HashMap<CaseNumber, Vec<String>> = Default::default();
        for row in rows {
            let (number, rma) = row.map_err(|e| self.err(e))?;
            let number = number.parse().map_err(|e| self.corrupt("case number", e))?;
            out.entry(number).or_default().push(rma);
        }
        Ok(out)
    }

    /// Open cases whose cached detail is missing or older than their summary, with the ETag
    /// to revalidate by: what the prefetch fetches.
    pub fn stale_details(&self) -> Result<Vec<(CaseNumber, Option<String>)>, CacheError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT c.number, d.etag FROM cases c LEFT JOIN details d ON d.number = c.number
                 WHERE {} AND (d.version IS NULL OR d.version < c.version)
                 ORDER BY c.updated_at DESC",
                super::OPEN
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (number, etag) = row.map_err(|e| self.err(e))?;
            let number = number.parse().map_err(|e| self.corrupt("case number", e))?;
            out.push((number, etag));
        }
        Ok(out)
    }

    /// Forgets every case (the server was reset: its sequence went backwards).
    pub fn clear_cases(&self) -> Result<(), CacheError> {
        self.conn
            .execute_batch("DELETE FROM cases; DELETE FROM details; DELETE FROM detail_rmas;")
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Case;

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("casedesk-rmas-{}-{name}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("c.sqlite3")
    }

    /// Case `n` at `version` with these RMAs.
    fn case(n: u32, version: i64, rmas: &[&str]) -> Case {
        let summary = crate::tui::queue::tests::summary(n, "s", "Osaka");
        let mut value = serde_json::to_value(&summary).unwrap();
        let rmas: Vec<_> = rmas
            .iter()
            .map(|r| {
                serde_json::json!({
                    "number": r, "status": "requested", "case_number": summary.number,
                    "account": "A", "serial_number": "FGL1", "part_number": "P-1",
                    "analysis": null, "created_at": "2026-11-20T00:00:00Z",
                    "issued_at": null, "return_due": null, "overdue": false,
                })
            })
            .collect();
        let extra = serde_json::json!({
            "version": version,
            "description": "", "software_version": "", "contact_email": "",
            "contact_phone": "", "preferred_contact": "phone", "user_type": "business_user",
            "problem_reports": [], "attachments": [], "entitlement": null,
            "unentitled": false, "close_reason": null, "notes": [], "history": [],
            "escalations": [], "rmas": rmas,
            "clocks": {"at": "2026-11-20T00:00:00Z", "clocks": [], "p1_contact": {
                "failing_since": null, "downgrade_available_at": null,
                "downgrade_available": false, "temporarily_downgraded": false}},
        });
        if let (Some(v), serde_json::Value::Object(e)) = (value.as_object_mut(), extra) {
            v.extend(e);
        }
        serde_json::from_value(value).unwrap()
    }

    fn number(n: u32) -> CaseNumber {
        format!("2026-1120-{n:06}").parse().unwrap()
    }

    #[test]
    fn the_rma_numbers_are_stored_with_each_detail_and_follow_it() {
        let path = temp("put");
        let (cache, _) = Cache::open(&path).unwrap();
        let at = Utc::now();
        cache
            .put_detail(&case(1, 3, &["R21000001", "R21000002"]), None, at)
            .unwrap();
        cache.put_detail(&case(2, 1, &[]), None, at).unwrap();
        let rmas = cache.rma_numbers().unwrap();
        assert_eq!(rmas[&number(1)], ["R21000001", "R21000002"]);
        assert_eq!(rmas.len(), 1, "a case without RMAs is not listed");

        // An RMA added: the newer detail's list replaces the old one.
        cache
            .put_detail(
                &case(1, 4, &["R21000001", "R21000002", "R21000003"]),
                None,
                at,
            )
            .unwrap();
        assert_eq!(
            cache.rma_numbers().unwrap()[&number(1)],
            ["R21000001", "R21000002", "R21000003"]
        );
        // An older detail arriving late changes neither the detail nor its RMAs.
        cache
            .put_detail(&case(1, 2, &["R29999999"]), None, at)
            .unwrap();
        assert_eq!(
            cache.rma_numbers().unwrap()[&number(1)],
            ["R21000001", "R21000002", "R21000003"]
        );
        cache.clear_cases().unwrap();
        assert!(cache.rma_numbers().unwrap().is_empty());
    }

    #[test]
    fn a_layout_4_cache_gets_the_rma_numbers_of_the_details_it_holds() {
        let path = temp("upgrade");
        let (cache, _) = Cache::open(&path).unwrap();
        cache
            .put_detail(&case(1, 3, &["R21000001", "R21000002"]), None, Utc::now())
            .unwrap();
        // As layout 4 left it: no table of RMA numbers, a detail body that is not JSON too.
        cache
            .conn
            .execute_batch(
                "DROP TABLE drafts; DROP TABLE attachment_files; DROP TABLE uploads;
                 DROP TABLE detail_rmas; PRAGMA user_version = 4;
                 INSERT INTO details (number, etag, version, body, fetched_at)
                 VALUES ('2026-1120-000009', NULL, 1, 'not json', '2026-11-20T00:00:00Z');",
            )
            .unwrap();
        drop(cache);
        let (cache, rebuilt) = Cache::open(&path).unwrap();
        assert!(rebuilt.is_none(), "migrated, not rebuilt: {rebuilt:?}");
        let rmas = cache.rma_numbers().unwrap();
        assert_eq!(rmas[&number(1)], ["R21000001", "R21000002"]);
        assert_eq!(rmas.len(), 1);
    }
}
