//! The write side of cases: open one, change one (the rules asked of `domain::change` first),
//! record its history, rebuild its search text, and keep its derived SLA columns current.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::query::{clocks, get_case, history, summary};
use crate::api::{Case, CasePatch, CaseSummary, NewCase, Role};
use crate::domain::ProblemReport;
use crate::domain::change;
use crate::domain::{
    CaseNumber, Channel, ContactLanguage, ContactMethod, ContractTier, RequestType, UserType,
};
use crate::server::store::{self, Caller, Sla, StoreError, emit, json_col, opt_col, ts};
use crate::sla::{CaseEvent, ClockReport, ClockState};

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
        Some(serial) => store::entitlement(conn, serial, at)?,
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
        store::check_owner(conn, owner)?;
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
            software_version, serial_number, created_at, updated_at, contact_language)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 'new', ?7, ?8, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
            ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?23, ?24)",
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
            new.contact_language.map(|l| l.as_str()),
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
pub(in crate::server::store) fn record(
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
pub(in crate::server::store) fn reindex(conn: &Connection, number: &str) -> Result<(), StoreError> {
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

/// Recomputes the case's clocks at `at`, stores what the queue sorts and filters by, and
/// announces each breach once. Returns the summary as it now stands.
pub fn refresh_clocks(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    at: DateTime<Utc>,
) -> Result<CaseSummary, StoreError> {
    let report = write_report_facts(conn, sla, number, at)?;
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

/// Computes the case's clocks at `at` and rewrites the facts reports are read from; returns
/// the clocks.
pub(in crate::server::store) fn write_report_facts(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    at: DateTime<Utc>,
) -> Result<ClockReport, StoreError> {
    let history = history(conn, number, at)?;
    let report = crate::sla::compute(&history, at, &sla.policies, &sla.calendars)?;
    store::reports::facts::write(conn, sla, number, &history, &report)?;
    Ok(report)
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
                store::check_owner(conn, owner)?;
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
    if let Some(to) = patch.contact_language
        && Some(to) != current_language(conn, number)?
    {
        record(
            conn,
            number,
            at,
            actor,
            None,
            Some(format!("contact language → {to}")),
            reason,
        )?;
        conn.execute(
            "UPDATE cases SET contact_language = ?2 WHERE number = ?1",
            (number, to.as_str()),
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

/// The language the case's contact is mailed in, when one was set for the case.
fn current_language(
    conn: &Connection,
    number: &str,
) -> Result<Option<ContactLanguage>, StoreError> {
    Ok(conn.query_row(
        "SELECT contact_language FROM cases WHERE number = ?1",
        [number],
        |r| opt_col(r, 0),
    )?)
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
pub(in crate::server::store) fn expect_version(
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
pub(in crate::server::store) fn touch(
    conn: &Connection,
    number: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE cases SET version = version + 1, updated_at = max(updated_at, ?2) WHERE number = ?1",
        (number, ts(at)),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::store::cases::query::clocks;

    fn empty() -> Connection {
        super::super::tests::empty()
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
        super::store::notes::add_note(
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
        super::store::rmas::create_rma(
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
        let stats = crate::server::store::stats(&conn, at).unwrap();
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
