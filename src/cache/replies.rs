//! The customer's latest reply on each of one person's open cases, as the cached details
//! hold them: what the TUI's "the customer replied on my case" alert compares.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{Cache, CacheError};
use crate::domain::CaseNumber;

impl Cache {
    /// For each open case `owner` owns: the instant of the customer's latest note in its
    /// cached detail (`None`: no customer note, or no detail cached yet).
    pub fn customer_replies(
        &self,
        owner: &str,
    ) -> Result<HashMap<CaseNumber, Option<DateTime<Utc>>>, CacheError> {
        // Only the owner's open cases are read, so this stays small on a large desk.
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT c.number, json_extract(n.value, '$.created_at')
                 FROM cases c
                 LEFT JOIN details d ON d.number = c.number AND json_valid(d.body)
                 LEFT JOIN json_each(d.body, '$.notes') n
                   ON json_extract(n.value, '$.party') = 'customer'
                 WHERE c.owner = ?1 AND {}",
                super::OPEN
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([owner], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
            })
            .map_err(|e| self.err(e))?;
        let mut out: HashMap<CaseNumber, Option<DateTime<Utc>>> = HashMap::new();
        for row in rows {
            let (number, at) = row.map_err(|e| self.err(e))?;
            let number: CaseNumber = number.parse().map_err(|e| self.corrupt("case number", e))?;
            let at = at
                .map(|t| DateTime::parse_from_rfc3339(&t).map(|t| t.with_timezone(&Utc)))
                .transpose()
                .map_err(|e| self.corrupt("note time", e))?;
            let latest = out.entry(number).or_default();
            *latest = (*latest).max(at);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_customer_note_of_each_open_case_of_the_owner() {
        let dir = std::env::temp_dir().join(format!(
            "casedesk-replies-{}-{:x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let (cache, _) = Cache::open(&dir.join("c.sqlite3")).unwrap();
        let put = |number: &str, owner: &str, status: &str, notes: &str| {
            cache
                .conn
                .execute(
                    "INSERT INTO cases (number, status, priority, owner, updated_at, version, summary, fetched_at)
                     VALUES (?1, ?3, 'P1', ?2, '2026-11-26T00:00:00Z', 1, x'', '2026-11-26T00:00:00Z')",
                    [number, owner, status],
                )
                .unwrap();
            cache
                .conn
                .execute(
                    "INSERT INTO details (number, etag, version, body, fetched_at)
                     VALUES (?1, NULL, 1, ?2, '2026-11-26T00:00:00Z')",
                    [number, &format!("{{\"notes\": [{notes}]}}")],
                )
                .unwrap();
        };
        let note =
            |party: &str, at: &str| format!("{{\"party\": \"{party}\", \"created_at\": \"{at}\"}}");
        put(
            "2026-1126-000001",
            "tanaka",
            "open",
            &[
                note("customer", "2026-11-26T01:00:00Z"),
                note("customer", "2026-11-26T03:00:00.5Z"),
                note("support", "2026-11-26T05:00:00Z"),
            ]
            .join(","),
        );
        put(
            "2026-1126-000002",
            "tanaka",
            "open",
            &note("support", "2026-11-26T05:00:00Z"),
        );
        put(
            "2026-1126-000003",
            "sato",
            "open",
            &note("customer", "2026-11-26T05:00:00Z"),
        );
        put(
            "2026-1126-000004",
            "tanaka",
            "closed",
            &note("customer", "2026-11-26T05:00:00Z"),
        );
        let got = cache.customer_replies("tanaka").unwrap();
        let at = |t: &str| Some(t.parse::<DateTime<Utc>>().unwrap());
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(
            got[&"2026-1126-000001".parse().unwrap()],
            at("2026-11-26T03:00:00.5Z")
        );
        assert_eq!(got[&"2026-1126-000002".parse().unwrap()], None);
        std::fs::remove_dir_all(&dir).ok();
    }
}
