//! What this client last saw of each case: the instant of the newest timeline entry shown when
//! the case was last opened, so the next opening can mark what arrived since as new.

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;

use super::{Cache, CacheError};
use crate::domain::CaseNumber;

impl Cache {
    /// The newest timeline instant seen on a case (`None`: never opened here).
    pub fn seen(&self, number: &CaseNumber) -> Result<Option<DateTime<Utc>>, CacheError> {
        let micros: Option<i64> = self
            .conn
            .query_row(
                "SELECT through FROM seen WHERE number = ?1",
                [number.to_string()],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        micros
            .map(|m| {
                DateTime::from_timestamp_micros(m)
                    .ok_or_else(|| self.corrupt("seen instant", format!("{m} out of range")))
            })
            .transpose()
    }

    /// Records that a case was seen through `through`; an earlier instant never replaces a later
    /// one (two windows on the same cache, or a stale detail shown first).
    pub fn set_seen(&self, number: &CaseNumber, through: DateTime<Utc>) -> Result<(), CacheError> {
        self.conn
            .execute(
                "INSERT INTO seen (number, through) VALUES (?1, ?2)
                 ON CONFLICT (number) DO UPDATE SET through = excluded.through
                 WHERE excluded.through > seen.through",
                (number.to_string(), through.timestamp_micros()),
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_moves_only_forward_and_survives_reopening() {
        let dir = std::env::temp_dir().join(format!("casedesk-seen-{}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        let path = dir.join("c.sqlite3");
        let number: CaseNumber = "2026-1124-000101".parse().unwrap();
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        {
            let (cache, _) = Cache::open(&path).unwrap();
            assert_eq!(cache.seen(&number).unwrap(), None);
            cache
                .set_seen(&number, t("2026-11-24T05:00:00.123456Z"))
                .unwrap();
            cache.set_seen(&number, t("2026-11-24T04:00:00Z")).unwrap();
        }
        let (cache, rebuilt) = Cache::open(&path).unwrap();
        assert!(rebuilt.is_none());
        assert_eq!(
            cache.seen(&number).unwrap(),
            Some(t("2026-11-24T05:00:00.123456Z"))
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
