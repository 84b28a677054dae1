//! Cases: create, read, list, change, and keep their derived SLA columns current.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params_from_iter};

use super::{Caller, Sla, StoreError, col, emit, json_col, opt_col, opt_time_col, time_col, ts};
use crate::api::{
    Attachment, Case, CasePatch, CaseSummary, HistoryEntry, NewCase, Page, Role, SortColumn,
};
use crate::domain::ProblemReport;
use crate::domain::change;
use crate::domain::{
    CaseNumber, Channel, ContactMethod, ContractTier, Priority, RequestType, Status, UserType,
};
use crate::sla::{self, CaseEvent, CaseHistory, ClockReport, ClockState, TimedEvent};

/// The columns of a [`CaseSummary`], in the order [`summary_from_row`] reads them.
pub(super) const SUMMARY_COLUMNS: &str = "number, subject, priority, status, owner, tier, channel, \
     request_type, site_name, site_id, account, contact_name, product, platform, serial_number, \
     created_at, updated_at, next_due, breached, downgraded, open_escalations, version";

pub(super) fn summary_from_row(row: &Row) -> rusqlite::Result<CaseSummary> {
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
    })
}

/// Reads one case's summary.
pub(super) fn summary(conn: &Connection, number: &str) -> Result<CaseSummary, StoreError> {
    conn.query_row(
        &format!("SELECT {SUMMARY_COLUMNS} FROM cases WHERE number = ?1"),
        [number],
        summary_from_row,
    )
    .optional()?
    .ok_or_else(|| not_found(number))
}

pub(super) fn not_found(number: &str) -> StoreError {
    StoreError::NotFound {
        what: "case",
        id: number.to_string(),
    }
}

fn check_subject(subject: &str) -> Result<String, StoreError> {
    crate::domain::intake::subject(subject)
        .map(str::to_string)
        .map_err(|e| StoreError::invalid(e.field, e.detail))
}

/// Opens a case at `at` and starts its clocks; returns it as read back.
pub fn create_case(
    conn: &Connection,
    sla: &Sla,
    new: &NewCase,
    caller: &Caller,
    at: DateTime<Utc>,
) -> Result<Case, StoreError> {
    caller.require(Role::Agent, "open cases")?;
    let mut new = new
        .checked()
        .map_err(|e| StoreError::invalid(e.field, e.detail))?;
    let serial = new.serial_number.as_deref();
    let entitlement = match serial {
        Some(serial) => super::entitlement(conn, serial, at)?,
        None => None,
    };
    if let Some(e) = &entitlement {
        new.fill_from(e);
    }
    let (new, serial) = (&new, new.serial_number.as_deref());
    let subject = new.subject.as_str();
    let tier = new.tier.unwrap_or(ContractTier::Standard);
    let owner = new.owner.as_deref();
    if let Some(owner) = owner
        && owner != caller.name
    {
        caller.require(Role::Lead, "assign a new case to someone else")?;
    }
    if let Some(owner) = owner {
        super::check_owner(conn, owner)?;
    }

    // The number carries the date the case was opened in the desk's business time zone.
    let zone = sla
        .calendars
        .get(&sla.policies.site_calendar)
        .map_err(|e| StoreError::invalid("calendar", e.to_string()))?
        .zone();
    let day = at.with_timezone(&zone).date_naive();
    let day_text = day.format("%Y-%m-%d").to_string();
    let day_seq: u32 = conn.query_row(
        "SELECT COALESCE(MAX(day_seq), 0) + 1 FROM cases WHERE day = ?1",
        [&day_text],
        |r| r.get(0),
    )?;
    let number = CaseNumber::new(day, day_seq)
        .map_err(|_| StoreError::invalid("number", format!("no case numbers left for {day}")))?
        .to_string();
    let now = ts(at);
    conn.execute(
        "INSERT INTO cases (number, day, day_seq, subject, description, priority, initial_priority, status,
            owner, tier, initial_tier, channel, request_type, user_type, site_name, site_id, account,
            contact_name, contact_email, contact_phone, preferred_contact, product, platform,
            software_version, serial_number, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 'new', ?7, ?8, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
            ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?23)",
        rusqlite::params![
            number,
            day_text,
            day_seq,
            subject,
            new.description.trim_end(),
            new.priority.as_str(),
            owner,
            tier.as_str(),
            new.channel.unwrap_or(Channel::Web).as_str(),
            new.request_type.unwrap_or(RequestType::TechnicalSupport).as_str(),
            new.user_type.unwrap_or(UserType::BusinessUser).as_str(),
            new.site_name.trim(),
            new.site_id.trim(),
            new.account.trim(),
            new.contact_name.trim(),
            new.contact_email.trim(),
            new.contact_phone.trim(),
            new.preferred_contact.unwrap_or(ContactMethod::Email).as_str(),
            new.product.trim(),
            new.platform.trim(),
            new.software_version.trim(),
            serial,
            now,
        ],
    )?;
    if let Some(owner) = owner {
        record(
            conn,
            &number,
            at,
            &caller.name,
            None,
            Some(format!("owner → {owner}")),
            None,
        )?;
    }
    reindex(conn, &number)?;
    let summary = refresh_clocks(conn, sla, &number, at)?;
    emit(conn, at, "case.created", Some(&number), &summary)?;
    get_case(conn, sla, &number, at)
}

/// Adds an entry to the case's history: a clock event, a human summary, or both.
pub(super) fn record(
    conn: &Connection,
    number: &str,
    at: DateTime<Utc>,
    actor: &str,
    event: Option<&CaseEvent>,
    summary: Option<String>,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    let event = event
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::invalid("event", e.to_string()))?;
    conn.execute(
        "INSERT INTO case_events (case_number, at, actor, event, summary, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        (number, ts(at), actor, event, summary, reason),
    )?;
    Ok(())
}

/// Rebuilds the case's search text: subject, description, serial, site, contact and notes.
pub(super) fn reindex(conn: &Connection, number: &str) -> Result<(), StoreError> {
    let rowid: i64 =
        conn.query_row("SELECT rowid FROM cases WHERE number = ?1", [number], |r| {
            r.get(0)
        })?;
    conn.execute("DELETE FROM case_text WHERE rowid = ?1", [rowid])?;
    conn.execute(
        "INSERT INTO case_text (rowid, number, body)
         SELECT c.rowid, c.number,
                c.number || ' ' || replace(c.number, '-', '') || ' ' || c.subject || ' ' || c.description || ' ' ||
                COALESCE(c.serial_number, '') || ' ' || c.site_name || ' ' || c.site_id || ' ' ||
                c.account || ' ' || c.contact_name || ' ' ||
                COALESCE((SELECT group_concat(body, ' ') FROM notes WHERE case_number = c.number), '')
         FROM cases c WHERE c.rowid = ?1",
        [rowid],
    )?;
    Ok(())
}

/// The history the clocks are computed from.
fn history(conn: &Connection, number: &str, at: DateTime<Utc>) -> Result<CaseHistory, StoreError> {
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
pub(super) fn clocks(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    at: DateTime<Utc>,
) -> Result<ClockReport, StoreError> {
    let history = history(conn, number, at)?;
    Ok(sla::compute(&history, at, &sla.policies, &sla.calendars)?)
}

/// Recomputes the case's clocks at `at`, stores what the queue sorts and filters by, and
/// announces each breach once. Returns the summary as it now stands.
pub fn refresh_clocks(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    at: DateTime<Utc>,
) -> Result<CaseSummary, StoreError> {
    let report = clocks(conn, sla, number, at)?;
    // Only the desk's own deadlines make a case breached; an RMA return keeps its flag on the
    // RMA (and still gets its breach announced below).
    let breached = report.desk_breached();
    // The next instant a clock could change state on its own: the jobs look again then.
    let watch_at = report
        .clocks
        .iter()
        .filter(|c| c.counting)
        .filter(|c| c.state == ClockState::Running)
        .filter_map(|c| c.due)
        .min();
    conn.execute(
        "UPDATE cases SET next_due = ?2, watch_at = ?3, breached = ?4, downgraded = ?5 WHERE number = ?1",
        (
            number,
            report.next_due().map(ts),
            watch_at.map(ts),
            breached,
            report.p1_contact.temporarily_downgraded,
        ),
    )?;
    for clock in report
        .clocks
        .iter()
        .filter(|c| c.state == ClockState::Breached)
    {
        let Some(due) = clock.due else { continue };
        let kind = serde_json::to_value(clock.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let clock_id = match clock.rma {
            Some(rma) => format!("{kind}:{rma}"),
            None => kind,
        };
        let fresh = conn.execute(
            "INSERT OR IGNORE INTO breaches (case_number, clock, started_at, due) VALUES (?1, ?2, ?3, ?4)",
            (number, &clock_id, ts(clock.started_at), ts(due)),
        )?;
        if fresh > 0 {
            let data = serde_json::json!({ "case_number": number, "clock": clock, });
            emit(conn, at, "sla.breached", Some(number), &data)?;
        }
    }
    summary(conn, number)
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
        attachments,
        close_reason,
    ) = conn.query_row(
        "SELECT description, software_version, contact_email, contact_phone, preferred_contact,
                    user_type, problem_reports, attachments, close_reason
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
                json_col::<Vec<Attachment>>(r, 7)?,
                opt_col(r, 8)?,
            ))
        },
    )?;
    let entitlement = match &summary.serial_number {
        Some(serial) => super::entitlement(conn, serial, at)?,
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
    Ok(Case {
        notes: super::notes::notes_of(conn, number)?,
        escalations: super::escalations::escalations_of(conn, number)?,
        rmas: super::rmas::rmas_of(conn, number, at)?,
        clocks: clocks(conn, sla, number, at)?,
        summary,
        description,
        software_version,
        contact_email,
        contact_phone,
        preferred_contact,
        user_type,
        problem_reports,
        attachments,
        entitlement,
        unentitled,
        close_reason,
        history,
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
        let (sql, words) = super::feed::text_filter(q);
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

/// What the client believed the case to be, for `If-Match`.
pub type ExpectedVersion = i64;

/// Applies a change to a case at `at`, if the case is still at `expected`.
pub fn patch_case(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    patch: &CasePatch,
    expected: ExpectedVersion,
    caller: &Caller,
    at: DateTime<Utc>,
) -> Result<Case, StoreError> {
    caller.require(Role::Agent, "change cases")?;
    let current = expect_version(conn, number, expected)?;
    let reason = patch
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let actor = caller.name.as_str();
    let mut changed = false;
    let new_reports = patch
        .add_problem_reports
        .iter()
        .map(|p| {
            p.parse::<ProblemReport>()
                .map_err(|e| StoreError::invalid("add_problem_reports", e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;

    if let Some(to) = patch.priority.filter(|p| *p != current.priority) {
        let reason = change::priority_reason(reason)?;
        if patch.temporary {
            let contact = clocks(conn, sla, number, at)?.p1_contact;
            change::temporary_downgrade(current.priority, to)?;
            change::downgrade_available(
                contact.downgrade_available,
                contact.downgrade_available_at,
            )?;
        }
        let word = if patch.temporary {
            " (temporary, customer unreachable)"
        } else {
            ""
        };
        record(
            conn,
            number,
            at,
            actor,
            Some(&CaseEvent::PriorityChanged {
                to,
                temporary: patch.temporary,
            }),
            Some(format!("priority {} → {}{word}", current.priority, to)),
            Some(reason),
        )?;
        conn.execute(
            "UPDATE cases SET priority = ?2 WHERE number = ?1",
            (number, to.as_str()),
        )?;
        changed = true;
    }

    if let Some(to) = patch.status.filter(|s| *s != current.status) {
        // A problem report in the same change counts; the linked ones are read only when the
        // move needs one.
        let linked = !new_reports.is_empty()
            || (to.needs_problem_report() && !linked_reports(conn, number)?.is_empty());
        let transition = change::status(current.status, to, patch.close_reason, linked)?;
        let close_reason = transition.close_reason();
        let summary = match close_reason {
            Some(r) => format!("status {} → {} ({})", current.status, to, r),
            None => format!("status {} → {}", current.status, to),
        };
        record(
            conn,
            number,
            at,
            actor,
            Some(&CaseEvent::StatusChanged { to }),
            Some(summary),
            reason,
        )?;
        conn.execute(
            "UPDATE cases SET status = ?2, close_reason = ?3 WHERE number = ?1",
            (number, to.as_str(), close_reason.map(|r| r.as_str())),
        )?;
        changed = true;
    } else {
        change::close_reason_alone(patch.status, patch.close_reason)?;
    }

    if let Some(owner) = &patch.owner {
        let owner = owner.trim();
        let new_owner = (!owner.is_empty()).then_some(owner);
        if new_owner != current.owner.as_deref() {
            // The same rule the clients check before sending (`domain::change::owner`).
            if change::owner(
                caller.role.owner_authority(),
                actor,
                current.owner.as_deref(),
                new_owner,
            )
            .is_err()
            {
                caller.require(
                    Role::Lead,
                    "assign a case to someone else or take it from its owner",
                )?;
            }
            if let Some(owner) = new_owner {
                super::check_owner(conn, owner)?;
            }
            let summary = match new_owner {
                Some(o) => format!("owner → {o}"),
                None => "owner → unassigned".to_string(),
            };
            record(conn, number, at, actor, None, Some(summary), reason)?;
            conn.execute(
                "UPDATE cases SET owner = ?2 WHERE number = ?1",
                (number, new_owner),
            )?;
            changed = true;
        }
    }

    if let Some(to) = patch.tier.filter(|t| *t != current.tier) {
        record(
            conn,
            number,
            at,
            actor,
            Some(&CaseEvent::TierChanged { to }),
            Some(format!("tier {} → {}", current.tier, to)),
            reason,
        )?;
        conn.execute(
            "UPDATE cases SET tier = ?2 WHERE number = ?1",
            (number, to.as_str()),
        )?;
        changed = true;
    }

    if let Some(subject) = &patch.subject {
        let subject = check_subject(subject)?;
        if subject != current.subject {
            record(
                conn,
                number,
                at,
                actor,
                None,
                Some(format!("subject → {subject}")),
                reason,
            )?;
            conn.execute(
                "UPDATE cases SET subject = ?2 WHERE number = ?1",
                (number, subject),
            )?;
            changed = true;
        }
    }
    if let Some(description) = &patch.description {
        record(
            conn,
            number,
            at,
            actor,
            None,
            Some("description edited".into()),
            reason,
        )?;
        conn.execute(
            "UPDATE cases SET description = ?2 WHERE number = ?1",
            (number, description.trim_end()),
        )?;
        changed = true;
    }
    if !patch.add_problem_reports.is_empty() {
        let mut reports = linked_reports(conn, number)?;
        for pr in new_reports.iter().map(ProblemReport::as_str) {
            if !reports.iter().any(|r| r == pr) {
                reports.push(pr.to_string());
                record(
                    conn,
                    number,
                    at,
                    actor,
                    None,
                    Some(format!("problem report {pr} linked")),
                    reason,
                )?;
            }
        }
        let json = serde_json::to_string(&reports)
            .map_err(|e| StoreError::invalid("add_problem_reports", e.to_string()))?;
        conn.execute(
            "UPDATE cases SET problem_reports = ?2 WHERE number = ?1",
            (number, json),
        )?;
        changed = true;
    }

    if changed {
        touch(conn, number, at)?;
        if patch.subject.is_some() || patch.description.is_some() {
            reindex(conn, number)?;
        }
        let summary = refresh_clocks(conn, sla, number, at)?;
        emit(conn, at, "case.updated", Some(number), &summary)?;
    }
    get_case(conn, sla, number, at)
}

/// The problem reports linked to the case.
fn linked_reports(conn: &Connection, number: &str) -> Result<Vec<String>, StoreError> {
    Ok(conn.query_row(
        "SELECT problem_reports FROM cases WHERE number = ?1",
        [number],
        |r| json_col(r, 0),
    )?)
}

/// The case's summary, if it is still at the version the client read.
pub(super) fn expect_version(
    conn: &Connection,
    number: &str,
    expected: ExpectedVersion,
) -> Result<CaseSummary, StoreError> {
    let current = summary(conn, number)?;
    if current.version != expected {
        return Err(StoreError::Stale {
            number: number.to_string(),
            current: current.version,
            expected,
        });
    }
    Ok(current)
}

/// Marks a case as changed by a person: a new version and a new `updated_at`.
pub(super) fn touch(conn: &Connection, number: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE cases SET version = version + 1, updated_at = max(updated_at, ?2) WHERE number = ?1",
        (number, ts(at)),
    )?;
    Ok(())
}

/// How close a due instant must be for the wallboard's "due within the hour" count.
pub(super) const DUE_SOON: Duration = Duration::hours(1);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Sort;

    /// A database with no cases.
    fn empty() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        for sql in [
            include_str!("../migrations/001_initial.sql"),
            include_str!("../migrations/002_rma_receipt.sql"),
            include_str!("../migrations/003_desk_deadlines.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn
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
    #[test]
    fn an_overdue_rma_return_is_no_desk_breach_and_no_deadline() {
        let conn = empty();
        let sla = Sla {
            calendars: crate::sla::Calendars::builtin(),
            policies: crate::sla::Policies::builtin(),
        };
        let agent = Caller {
            name: "tanaka".into(),
            role: Role::Agent,
        };
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        // A backup-vendor (standard) case: first response met, then no update target; an RMA
        // issued the same morning is due back 10 business days later.
        let new: NewCase = serde_json::from_value(serde_json::json!({
            "subject": "PSU failed", "priority": "P3", "tier": "standard", "channel": "web",
            "serial_number": "JN6F9D6E4C72", "site_name": "Tokyo", "site_id": "T1",
            "account": "A", "contact_name": "C", "contact_email": "c@example.com",
            "product": "MX", "platform": "MX480"
        }))
        .unwrap();
        let case = create_case(&conn, &sla, &new, &agent, t("2026-11-16T01:00:00Z")).unwrap();
        let number = case.summary.number.to_string();
        let note: crate::api::NewNote = serde_json::from_value(serde_json::json!({
            "body": "Replacing the PSU.", "visibility": "public"
        }))
        .unwrap();
        super::super::notes::add_note(
            &conn,
            &sla,
            &number,
            &note,
            case.summary.version,
            &agent,
            t("2026-11-16T01:30:00Z"),
        )
        .unwrap();
        let version = summary(&conn, &number).unwrap().version;
        let rma: crate::api::NewRma =
            serde_json::from_value(serde_json::json!({"part_number": "PWR-MX480-AC"})).unwrap();
        super::super::rmas::create_rma(
            &conn,
            &sla,
            &number,
            &rma,
            version,
            &agent,
            t("2026-11-16T02:00:00Z"),
        )
        .unwrap();

        // Long after the return was due: the RMA is overdue, the case is neither breached nor
        // due, and the wallboard's counts agree.
        let at = t("2026-12-10T03:00:00Z");
        let now = refresh_clocks(&conn, &sla, &number, at).unwrap();
        assert!(!now.breached, "{now:?}");
        assert_eq!(now.next_due, None);
        let stats = super::super::stats(&conn, at).unwrap();
        assert_eq!((stats.breached, stats.due_within_1h), (0, 0), "{stats:?}");
        assert_eq!(stats.overdue_rmas, 1, "{stats:?}");
        // The RMA's clock is still in the case's report, breached, for the SLA pane.
        let report = clocks(&conn, &sla, &number, at).unwrap();
        assert!(
            report
                .clocks
                .iter()
                .any(|c| c.kind == crate::sla::ClockKind::RmaReturn
                    && c.state == ClockState::Breached)
        );
    }
}
