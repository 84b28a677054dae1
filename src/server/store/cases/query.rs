//! The query side of cases: one summary, the whole case with its clocks, the list (filters,
//! sort and page), and what the jobs and the ETag read.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params_from_iter};

use crate::api::{Case, CaseSummary, HistoryEntry, Page, SortColumn};
use crate::domain::{
    Channel, ContactMethod, ContractTier, Priority, RequestType, Status, UserType,
};
use crate::server::store::{
    self, Caller, Sla, StoreError, col, json_col, opt_col, opt_time_col, time_col, ts,
};
use crate::sla::{self, CaseHistory, ClockReport, TimedEvent};

/// The columns of a [`CaseSummary`], in the order [`summary_from_row`] reads them.
pub(in crate::server::store) const SUMMARY_COLUMNS: &str = "number, subject, priority, status, owner, tier, channel, \
     request_type, site_name, site_id, account, contact_name, product, platform, serial_number, \
     created_at, updated_at, next_due, breached, downgraded, open_escalations, version";

pub(in crate::server::store) fn summary_from_row(row: &Row) -> rusqlite::Result<CaseSummary> {
    Ok(CaseSummary {
        number: col(row, 0)?,
        subject: row.get(1)?,
        priority: col(row, 2)?,
        status: col(row, 3)?,
        owner: row.get(4)?,
        tier: col(row, 5)?,
        channel: col(row, 6)?,
        request_type: col(row, 7)?,
        site_name: row.get(8)?,
        site_id: row.get(9)?,
        account: row.get(10)?,
        contact_name: row.get(11)?,
        product: row.get(12)?,
        platform: row.get(13)?,
        serial_number: row.get(14)?,
        created_at: time_col(row, 15)?,
        updated_at: time_col(row, 16)?,
        next_due: opt_time_col(row, 17)?,
        breached: row.get(18)?,
        temporarily_downgraded: row.get(19)?,
        open_escalations: row.get(20)?,
        version: row.get(21)?,
        backend_due: None,
    })
}

/// Reads one case's summary.
pub(in crate::server::store) fn summary(
    conn: &Connection,
    number: &str,
) -> Result<CaseSummary, StoreError> {
    conn.query_row(
        &format!("SELECT {SUMMARY_COLUMNS} FROM cases WHERE number = ?1"),
        [number],
        summary_from_row,
    )
    .optional()?
    .ok_or_else(|| not_found(number))
}

/// The error for a case number the store does not hold.
fn not_found(number: &str) -> StoreError {
    StoreError::NotFound {
        what: "case",
        id: number.to_string(),
    }
}

/// The history the clocks are computed from.
pub(in crate::server::store) fn history(
    conn: &Connection,
    number: &str,
    at: DateTime<Utc>,
) -> Result<CaseHistory, StoreError> {
    let (created_at, priority, tier, channel, calendar) = conn
        .query_row(
            "SELECT created_at, initial_priority, initial_tier, channel, calendar FROM cases WHERE number = ?1",
            [number],
            |r| Ok((time_col(r, 0)?, col::<Priority>(r, 1)?, col::<ContractTier>(r, 2)?, col::<Channel>(r, 3)?, r.get::<_, Option<String>>(4)?)),
        )
        .optional()?
        .ok_or_else(|| not_found(number))?;
    let mut stmt = conn.prepare_cached(
        "SELECT at, event FROM case_events WHERE case_number = ?1 AND event IS NOT NULL AND at <= ?2 ORDER BY at, id",
    )?;
    let events = stmt
        .query_map((number, ts(at)), |r| {
            Ok(TimedEvent {
                at: time_col(r, 0)?,
                event: json_col(r, 1)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CaseHistory {
        created_at,
        priority,
        tier,
        channel,
        calendar,
        events,
    })
}

/// The case's clocks at `at`.
pub(in crate::server::store) fn clocks(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    at: DateTime<Utc>,
) -> Result<ClockReport, StoreError> {
    let history = history(conn, number, at)?;
    Ok(sla::compute(&history, at, &sla.policies, &sla.calendars)?)
}

/// The case's version and the sequence of its latest change: what its ETag is made of.
pub fn case_tag(conn: &Connection, number: &str) -> Result<(i64, i64), StoreError> {
    conn.query_row(
        "SELECT version, change_seq FROM cases WHERE number = ?1",
        [number],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| not_found(number))
}

/// Cases whose clocks may have changed state by `at`.
pub fn watch_due(conn: &Connection, at: DateTime<Utc>) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT number FROM cases WHERE watch_at <= ?1 ORDER BY watch_at LIMIT 1000",
    )?;
    let rows = stmt
        .query_map([ts(at)], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(rows)
}

/// The whole case, with its clocks computed at `at`.
pub fn get_case(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    at: DateTime<Utc>,
) -> Result<Case, StoreError> {
    let summary = summary(conn, number)?;
    let (
        description,
        software_version,
        contact_email,
        contact_phone,
        preferred_contact,
        user_type,
        problem_reports,
        close_reason,
        contact_language,
    ) = conn.query_row(
        // The legacy `attachments` JSON column is unused: files are rows of `attachments`.
        "SELECT description, software_version, contact_email, contact_phone, preferred_contact,
                    user_type, problem_reports, close_reason, contact_language
             FROM cases WHERE number = ?1",
        [number],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                col::<ContactMethod>(r, 4)?,
                col::<UserType>(r, 5)?,
                json_col::<Vec<String>>(r, 6)?,
                opt_col(r, 7)?,
                opt_col(r, 8)?,
            ))
        },
    )?;
    let entitlement = match &summary.serial_number {
        Some(serial) => store::entitlement(conn, serial, at)?,
        None => None,
    };
    let unentitled =
        summary.serial_number.is_some() && !entitlement.as_ref().is_some_and(|e| e.active);
    let mut stmt = conn.prepare_cached(
        "SELECT at, actor, summary, reason FROM case_events WHERE case_number = ?1 AND summary IS NOT NULL ORDER BY at, id",
    )?;
    let history = stmt
        .query_map([number], |r| {
            Ok(HistoryEntry {
                at: time_col(r, 0)?,
                actor: r.get(1)?,
                summary: r.get(2)?,
                reason: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    // One read of the case's files: the case lists them all, each mail note its own.
    let attachments = store::attachments_of(conn, number)?;
    Ok(Case {
        notes: store::notes::notes_of(conn, number, &attachments)?,
        escalations: store::escalations::escalations_of(conn, number)?,
        rmas: store::rmas::rmas_of(conn, number, at)?,
        clocks: clocks(conn, sla, number, at)?,
        summary,
        description,
        software_version,
        contact_email,
        contact_phone,
        preferred_contact,
        contact_language,
        user_type,
        problem_reports,
        attachments,
        entitlement,
        unentitled,
        close_reason,
        history,
        // Filled by the route when the server has a mail channel.
        mail: None,
    })
}

/// The server sorts in SQL; [`SortColumn::compare`] is the same order for the client's cache.
impl SortColumn {
    /// The SQL expression that sorts this column.
    fn sql(self) -> &'static str {
        match self {
            SortColumn::NextDue | SortColumn::Breaching => "next_due",
            SortColumn::Number => "number",
            SortColumn::Status => {
                "CASE status WHEN 'new' THEN 0 WHEN 'open' THEN 1 WHEN 'waiting_on_customer' THEN 2 \
                 WHEN 'waiting_on_engineering' THEN 3 WHEN 'resolved' THEN 4 ELSE 5 END"
            }
            SortColumn::Priority => "priority",
            SortColumn::Site => "site_name COLLATE NOCASE",
            SortColumn::Contact => "contact_name COLLATE NOCASE",
            SortColumn::Updated => "updated_at",
            SortColumn::Created => "created_at",
            SortColumn::Platform => "platform COLLATE NOCASE",
            SortColumn::Owner => "owner COLLATE NOCASE",
            SortColumn::Subject => "subject COLLATE NOCASE",
            SortColumn::Tier => "tier",
        }
    }

    /// `ORDER BY` for this column: its groups first in both directions (cases without a
    /// value last), then the value; the deadline columns then go by priority and age (a P1
    /// without a deadline is not the last row); the case number breaks ties.
    fn order_by(self, desc: bool) -> String {
        let dir = if desc { "DESC" } else { "ASC" };
        let then = if self.by_priority_then_age() {
            "priority ASC, created_at ASC, "
        } else {
            ""
        };
        let group = self.group_sql().map_or(String::new(), |g| format!("{g}, "));
        format!("{group}{} {dir}, {then}number {dir}", self.sql())
    }
}

/// Filters, sort and page of the case list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseQuery {
    /// Any of these statuses (none: all).
    pub status: Vec<Status>,
    /// Only open (not resolved or closed) cases.
    pub open: bool,
    /// Any of these priorities.
    pub priority: Vec<Priority>,
    /// Owned by this person (empty string: unassigned).
    pub owner: Option<String>,
    /// Owned by the caller.
    pub mine: bool,
    /// Any of these tiers.
    pub tier: Vec<ContractTier>,
    /// Site name or ID.
    pub site: Option<String>,
    /// Any of these request types.
    pub request_type: Vec<RequestType>,
    /// Words in subject, description, notes, serial, site or contact.
    pub q: Option<String>,
    /// Sort column.
    pub sort: SortColumn,
    /// Sort descending.
    pub desc: bool,
    /// Rows to skip (from the cursor).
    pub offset: u64,
    /// Rows per page (1–500).
    pub limit: u32,
}

/// Builds the WHERE clause of a case query; returns (sql, parameters).
fn case_filter(query: &CaseQuery, caller: &Caller) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut params: Vec<String> = Vec::new();
    let mut any_of = |column: &str, values: Vec<String>, clauses: &mut Vec<String>| {
        if !values.is_empty() {
            let marks = vec!["?"; values.len()].join(", ");
            clauses.push(format!("{column} IN ({marks})"));
            params.extend(values);
        }
    };
    any_of(
        "status",
        query
            .status
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        &mut clauses,
    );
    any_of(
        "priority",
        query
            .priority
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        &mut clauses,
    );
    any_of(
        "tier",
        query.tier.iter().map(|s| s.as_str().to_string()).collect(),
        &mut clauses,
    );
    any_of(
        "request_type",
        query
            .request_type
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        &mut clauses,
    );
    if query.open {
        clauses.push("status NOT IN ('resolved', 'closed')".into());
    }
    let owner = if query.mine {
        Some(caller.name.as_str())
    } else {
        query.owner.as_deref()
    };
    match owner {
        Some("") => clauses.push("owner IS NULL".into()),
        Some(owner) => {
            clauses.push("owner = ?".into());
            params.push(owner.to_string());
        }
        None => {}
    }
    if let Some(site) = query.site.as_deref().filter(|s| !s.is_empty()) {
        clauses.push("(site_name = ? COLLATE NOCASE OR site_id = ? COLLATE NOCASE)".into());
        params.push(site.to_string());
        params.push(site.to_string());
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let (sql, words) = store::feed::text_filter(q);
        clauses.push(format!("number IN ({sql})"));
        params.extend(words);
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (sql, params)
}

/// One page of cases.
pub fn list_cases(
    conn: &Connection,
    query: &CaseQuery,
    caller: &Caller,
) -> Result<Page<CaseSummary>, StoreError> {
    let (filter, params) = case_filter(query, caller);
    let order = query.sort.order_by(query.desc);
    let limit = query.limit.clamp(1, 500);
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM cases {filter} ORDER BY {order} LIMIT {} OFFSET {}",
        limit + 1,
        query.offset
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut items = stmt
        .query_map(params_from_iter(params.iter()), summary_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    let total: u64 = conn.query_row(
        &format!("SELECT count(*) FROM cases {filter}"),
        params_from_iter(params.iter()),
        |r| r.get(0),
    )?;
    Ok(Page {
        next_cursor: more.then(|| format!("o{}", query.offset.saturating_add(u64::from(limit)))),
        items,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Sort;

    fn empty() -> Connection {
        super::super::tests::empty()
    }

    /// priority, status, owner, next_due, breached, created_at
    type Fixture = (
        &'static str,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        bool,
        &'static str,
    );

    /// A desk whose cases cover every group of every sort: with and without a deadline,
    /// breached or not, open or closed, owned or not, with ties on the deadline.
    fn desk() -> Connection {
        let conn = empty();
        #[rustfmt::skip]
        let rows: [Fixture; 12] = [
            // priority, status, owner, next_due, breached, created_at
            ("P3", "open", Some("sato"), Some("2026-11-20T03:05:00.000Z"), false, "2026-11-19T01:00:00.000Z"),
            ("P1", "new", None, Some("2026-11-20T03:05:00.000Z"), false, "2026-11-19T02:00:00.000Z"),
            ("P2", "open", Some("Bob"), Some("2026-11-10T00:00:00.000Z"), true, "2026-11-09T00:00:00.000Z"),
            ("P4", "new", None, Some("2026-11-19T00:00:00.000Z"), true, "2026-11-18T00:00:00.000Z"),
            ("P1", "open", Some("alice"), None, false, "2026-11-01T00:00:00.000Z"),
            ("P1", "open", None, None, false, "2026-10-01T00:00:00.000Z"),
            ("P4", "new", Some("sato"), None, false, "2026-09-01T00:00:00.000Z"),
            ("P1", "closed", Some("sato"), None, false, "2026-08-01T00:00:00.000Z"),
            ("P3", "resolved", None, None, false, "2026-11-15T00:00:00.000Z"),
            ("P2", "waiting_on_customer", Some("kimura"), Some("2026-12-01T00:00:00.000Z"), false, "2026-11-02T00:00:00.000Z"),
            ("P2", "open", Some("kimura"), Some("2026-11-20T05:00:00.000Z"), false, "2026-11-02T00:00:00.000Z"),
            ("P3", "waiting_on_engineering", None, Some("2026-11-20T05:00:00.000Z"), false, "2026-11-03T00:00:00.000Z"),
        ];
        for (i, (priority, status, owner, next_due, breached, created)) in rows.iter().enumerate() {
            let seq = i + 1;
            conn.execute(
                "INSERT INTO cases (number, day, day_seq, subject, description, priority,
                    initial_priority, status, owner, tier, initial_tier, channel, request_type,
                    user_type, site_name, site_id, account, contact_name, contact_email,
                    contact_phone, preferred_contact, product, platform, software_version,
                    created_at, updated_at, next_due, breached)
                 VALUES (?1, '2026-11-19', ?2, ?3, '', ?4, ?4, ?5, ?6, 'tac_care', 'tac_care',
                    'web', 'technical_support', 'business_user', ?7, 'S', 'A', ?8, '', '',
                    'email', 'P', ?9, '1', ?10, ?10, ?11, ?12)",
                rusqlite::params![
                    format!("2026-1119-{seq:06}"),
                    seq,
                    format!("subject {}", 12 - i),
                    priority,
                    status,
                    owner,
                    if i % 2 == 0 { "tokyo" } else { "Osaka" },
                    format!("contact {}", i % 5),
                    if i % 3 == 0 { "MX480" } else { "srx" },
                    created,
                    next_due,
                    breached,
                ],
            )
            .unwrap();
        }
        conn
    }

    #[test]
    fn the_server_and_the_cache_sort_every_column_alike() {
        let conn = desk();
        for column in SortColumn::ALL {
            for desc in [false, true] {
                let query = CaseQuery {
                    sort: column,
                    desc,
                    limit: 500,
                    ..CaseQuery::default()
                };
                let server = list_cases(&conn, &query, &Caller::system()).unwrap().items;
                let mut client = server.clone();
                client.reverse();
                client.sort_by(|a, b| Sort { column, desc }.compare(a, b));
                let numbers =
                    |v: &[CaseSummary]| v.iter().map(|c| c.number.to_string()).collect::<Vec<_>>();
                assert_eq!(numbers(&server), numbers(&client), "{column:?} desc={desc}");
            }
        }
    }

    #[test]
    fn next_due_puts_no_target_by_priority_then_age_after_the_deadlines() {
        let conn = desk();
        for (column, desc, want) in [
            // Deadlines soonest (most overdue) first, ties by priority; then the open cases
            // without a target, P1 oldest first; then the resolved and closed.
            (
                SortColumn::NextDue,
                false,
                [3, 4, 2, 1, 11, 12, 10, 6, 5, 7, 8, 9],
            ),
            (
                SortColumn::NextDue,
                true,
                [10, 11, 12, 2, 1, 4, 3, 6, 5, 7, 8, 9],
            ),
            // What breaches next: the not yet breached soonest first, then the breached most
            // overdue first, then no target.
            (
                SortColumn::Breaching,
                false,
                [2, 1, 11, 12, 10, 3, 4, 6, 5, 7, 8, 9],
            ),
        ] {
            let query = CaseQuery {
                sort: column,
                desc,
                limit: 500,
                ..CaseQuery::default()
            };
            let got: Vec<u32> = list_cases(&conn, &query, &Caller::system())
                .unwrap()
                .items
                .iter()
                .map(|c| c.number.to_string()[10..].parse().unwrap())
                .collect();
            assert_eq!(got, want, "{column:?} desc={desc}");
        }
    }
}
