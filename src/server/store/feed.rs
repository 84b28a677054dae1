//! The change feed, the event log behind live events, search and the wallboard's counts.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::cases::{SUMMARY_COLUMNS, summary_from_row};
use super::{StoreError, ts};
use crate::api::{CaseSummary, Changes, SearchResults, Stats};
use crate::domain::{CaseNumber, Priority, RmaNumber, Status};

/// The newest sequence number handed out (0 for an empty database).
pub fn current_seq(conn: &Connection) -> Result<i64, StoreError> {
    Ok(
        conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM changes", [], |r| {
            r.get(0)
        })?,
    )
}

/// Cases changed after `since`, oldest change first, at most `limit`.
pub fn changes(conn: &Connection, since: i64, limit: u32) -> Result<Changes, StoreError> {
    let limit = limit.clamp(1, 1000);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS}, change_seq FROM cases WHERE change_seq > ?1 ORDER BY change_seq LIMIT ?2"
    ))?;
    let mut last = since;
    let mut cases = stmt
        .query_map((since, limit + 1), |r| {
            let seq: i64 = r.get(22)?;
            Ok((summary_from_row(r)?, seq))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let more = cases.len() > limit as usize;
    cases.truncate(limit as usize);
    if let Some((_, seq)) = cases.last() {
        last = *seq;
    }
    // With nothing more to send, the client may jump to the newest sequence (events that touch
    // no case, such as a token change, still advance it).
    let seq = if more {
        last
    } else {
        current_seq(conn)?.max(last)
    };
    Ok(Changes {
        cases: cases.into_iter().map(|(c, _)| c).collect(),
        removed: Vec::new(),
        seq,
        more,
    })
}

/// One event of the live stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// Its id: the change sequence.
    pub seq: i64,
    /// `case.created`, `note.added`, `sla.breached`, ...
    pub kind: String,
    /// The JSON payload.
    pub data: String,
}

/// Events after `after`, oldest first.
pub fn events_after(
    conn: &Connection,
    after: i64,
    limit: u32,
) -> Result<Vec<StoredEvent>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, kind, data FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let rows = stmt
        .query_map((after, limit), |r| {
            Ok(StoredEvent {
                seq: r.get(0)?,
                kind: r.get(1)?,
                data: r.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A sub-select of case numbers whose text holds every word of `q`, with its parameters.
///
/// Trigram full-text matching needs three characters; shorter words (two-kanji Japanese words
/// are common) fall back to a substring scan, which the trigram table also answers.
pub(super) fn text_filter(q: &str) -> (String, Vec<String>) {
    // Control characters cannot be searched for and would break the FTS query syntax.
    let words: Vec<&str> = q
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return ("SELECT number FROM case_text WHERE 0".into(), Vec::new());
    }
    if words.iter().all(|w| w.chars().count() >= 3) {
        let query = words
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" AND ");
        (
            "SELECT number FROM case_text WHERE case_text MATCH ?".into(),
            vec![query],
        )
    } else {
        let likes = vec!["body LIKE ? ESCAPE '\\'"; words.len()].join(" AND ");
        let params = words
            .iter()
            .map(|w| {
                format!(
                    "%{}%",
                    w.replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_")
                )
            })
            .collect();
        (
            format!("SELECT number FROM case_text WHERE {likes}"),
            params,
        )
    }
}

/// Finds cases by number (with or without dashes), RMA number, serial number, or keywords.
pub fn search(
    conn: &Connection,
    q: &str,
    at: DateTime<Utc>,
    limit: u32,
) -> Result<SearchResults, StoreError> {
    let q = q.trim();
    let limit = limit.clamp(1, 200);
    let mut cases: Vec<CaseSummary> = Vec::new();
    let push = |found: Vec<CaseSummary>, cases: &mut Vec<CaseSummary>| {
        for c in found {
            if !cases.iter().any(|x| x.number == c.number) {
                cases.push(c);
            }
        }
    };
    let by = |sql: &str, param: String| -> Result<Vec<CaseSummary>, StoreError> {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM cases WHERE {sql} ORDER BY updated_at DESC LIMIT {limit}"
        ))?;
        Ok(stmt
            .query_map([param], summary_from_row)?
            .collect::<Result<Vec<_>, _>>()?)
    };
    if let Ok(number) = q.parse::<CaseNumber>() {
        push(by("number = ?1", number.to_string())?, &mut cases);
    }
    let mut rmas = Vec::new();
    if let Ok(rma) = q.parse::<RmaNumber>() {
        rmas.extend(super::find_rma(conn, &rma.to_string(), at)?);
        for r in &rmas {
            push(by("number = ?1", r.case_number.to_string())?, &mut cases);
        }
    }
    if !q.is_empty() {
        push(
            by("serial_number = ?1 COLLATE NOCASE", q.to_string())?,
            &mut cases,
        );
        let (sql, params) = text_filter(q);
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM cases WHERE number IN ({sql}) ORDER BY updated_at DESC LIMIT {limit}"
        ))?;
        let found = stmt
            .query_map(rusqlite::params_from_iter(params), summary_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        push(found, &mut cases);
    }
    cases.truncate(limit as usize);
    Ok(SearchResults { cases, rmas })
}

/// Counts for the wallboard at `at`.
pub fn stats(conn: &Connection, at: DateTime<Utc>) -> Result<Stats, StoreError> {
    let open = "status NOT IN ('resolved', 'closed')";
    let count = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> Result<u64, StoreError> {
        Ok(conn.query_row(sql, params, |r| r.get(0))?)
    };
    let mut open_by_priority: BTreeMap<String, u64> = Priority::ALL
        .iter()
        .map(|p| (p.as_str().to_string(), 0))
        .collect();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT priority, count(*) FROM cases WHERE {open} GROUP BY priority"
    ))?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))? {
        let (p, n) = row?;
        open_by_priority.insert(p, n);
    }
    let mut open_by_status: BTreeMap<String, u64> = Status::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| (s.as_str().to_string(), 0))
        .collect();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT status, count(*) FROM cases WHERE {open} GROUP BY status"
    ))?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))? {
        let (s, n) = row?;
        open_by_status.insert(s, n);
    }
    let now = ts(at);
    // Due soon, not yet breached: the one definition, as instants for SQL.
    let (soon_from, soon_to) = crate::sla::due::due_soon_bounds(at);
    let (soon_from, soon_to) = (ts(soon_from), ts(soon_to));
    Ok(Stats {
        open_by_priority,
        open_by_status,
        breached: count(
            &format!("SELECT count(*) FROM cases WHERE {open} AND breached = 1"),
            &[],
        )?,
        due_within_1h: count(
            &format!(
                "SELECT count(*) FROM cases WHERE {open} AND breached = 0 AND next_due >= ?1 AND next_due <= ?2"
            ),
            &[&soon_from, &soon_to],
        )?,
        unassigned: count(
            &format!("SELECT count(*) FROM cases WHERE {open} AND owner IS NULL"),
            &[],
        )?,
        open_escalations: count(
            "SELECT count(*) FROM escalations WHERE state IN ('requested', 'acknowledged')",
            &[],
        )?,
        overdue_rmas: count(
            "SELECT count(*) FROM rmas WHERE status IN ('issued', 'replacement_shipped') AND return_due < ?1",
            &[&now],
        )?,
        seq: current_seq(conn)?,
        at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_due_soon_count_is_the_one_due_soon_rule() {
        let conn = Connection::open_in_memory().unwrap();
        for sql in [
            include_str!("../migrations/001_initial.sql"),
            include_str!("../migrations/002_rma_receipt.sql"),
            include_str!("../migrations/003_desk_deadlines.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        let at: DateTime<Utc> = "2026-11-24T05:00:00Z".parse().unwrap();
        // status, seconds from `at` to the next deadline, breached
        let rows: [(&str, Option<i64>, bool); 12] = [
            ("open", Some(-3600), false),
            ("open", Some(-1), false),
            ("open", Some(0), false),
            ("new", Some(1), false),
            ("open", Some(3599), false),
            ("waiting_on_engineering", Some(3600), false),
            ("open", Some(3601), false),
            ("open", Some(86_400), false),
            ("open", Some(600), true),
            ("closed", Some(600), false),
            ("resolved", Some(600), false),
            ("open", None, false),
        ];
        for (i, (status, due, breached)) in rows.iter().enumerate() {
            let next_due = due.map(|s| ts(at + chrono::TimeDelta::seconds(s)));
            conn.execute(
                "INSERT INTO cases (number, day, day_seq, subject, description, priority,
                    initial_priority, status, owner, tier, initial_tier, channel, request_type,
                    user_type, site_name, site_id, account, contact_name, contact_email,
                    contact_phone, preferred_contact, product, platform, software_version,
                    created_at, updated_at, next_due, breached)
                 VALUES (?1, '2026-11-24', ?2, 's', '', 'P2', 'P2', ?3, NULL, 'tac_care',
                    'tac_care', 'web', 'technical_support', 'business_user', 'S', 'S', 'A',
                    'C', '', '', 'email', 'P', 'MX480', '1', '2026-11-20T00:00:00.000Z',
                    '2026-11-20T00:00:00.000Z', ?4, ?5)",
                rusqlite::params![
                    format!("2026-1124-{:06}", i + 1),
                    i + 1,
                    status,
                    next_due,
                    breached
                ],
            )
            .unwrap();
        }
        let by_rule = rows
            .iter()
            .filter(|(status, due, breached)| {
                !matches!(*status, "resolved" | "closed")
                    && !breached
                    && due.is_some_and(crate::sla::due::due_soon)
            })
            .count() as u64;
        assert_eq!(by_rule, 4, "0 s, 1 s, 59:59 and 1:00:00 before the due");
        assert_eq!(stats(&conn, at).unwrap().due_within_1h, by_rule);
    }
}
