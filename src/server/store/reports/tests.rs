//! The reports agree with the clocks: a desk with known histories (pauses, a reopen, a
//! priority change, breaches on both sides of the period's edges, business-hour boundaries)
//! is written through the store, and every figure is checked against the clocks the engine
//! reports for each case — plus a few figures worked out by hand.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;

use super::*;
use crate::api::reports::{ReportQuery, TimeBasis};
use crate::api::{CasePatch, NewCase, NewNote, Role};
use crate::server::store::{self, Caller, get_case, patch_case};
use crate::sla::{Calendars, ClockState, Policies};

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn agent() -> Caller {
    Caller {
        name: "tanaka".into(),
        role: Role::Agent,
    }
}

fn sla() -> Sla {
    Sla {
        calendars: Calendars::builtin(),
        policies: Policies::builtin(),
    }
}

/// What happens to a scripted case.
enum Act {
    Public,
    Internal,
    Call,
    Status(&'static str),
    Close,
    Priority(&'static str),
}

struct Script {
    created: &'static str,
    priority: &'static str,
    tier: &'static str,
    channel: &'static str,
    acts: Vec<(&'static str, Act)>,
}

fn open_case(conn: &Connection, sla: &Sla, s: &Script) -> String {
    let new: NewCase = serde_json::from_value(serde_json::json!({
        "subject": "Scripted", "priority": s.priority, "tier": s.tier, "channel": s.channel,
        "site_name": "Tokyo", "site_id": "T1", "account": "A", "contact_name": "C",
        "contact_email": "c@example.com", "contact_phone": "+81 3 0000 0000",
        "product": "MX", "platform": "MX480"
    }))
    .unwrap();
    let case = store::create_case(conn, sla, &new, &agent(), t(s.created)).unwrap();
    let number = case.summary.number.to_string();
    for (at, act) in &s.acts {
        let version = super::super::cases::summary(conn, &number).unwrap().version;
        let patch = |v: serde_json::Value| -> CasePatch { serde_json::from_value(v).unwrap() };
        let note = |v: serde_json::Value| -> NewNote { serde_json::from_value(v).unwrap() };
        let done = match act {
            Act::Public | Act::Internal | Act::Call => {
                let new = match act {
                    Act::Public => {
                        note(serde_json::json!({"body": "Update.", "visibility": "public"}))
                    }
                    Act::Internal => {
                        note(serde_json::json!({"body": "Notes.", "visibility": "internal"}))
                    }
                    _ => note(
                        serde_json::json!({"body": "Called.", "kind": "call", "visibility": "public"}),
                    ),
                };
                store::add_note(conn, sla, &number, &new, version, &agent(), t(at)).map(drop)
            }
            Act::Status(to) => patch_case(
                conn,
                sla,
                &number,
                &patch(serde_json::json!({"status": to})),
                version,
                &agent(),
                t(at),
            )
            .map(drop),
            Act::Close => patch_case(
                conn,
                sla,
                &number,
                &patch(
                    serde_json::json!({"status": "closed", "close_reason": "confirmed_resolved"}),
                ),
                version,
                &agent(),
                t(at),
            )
            .map(drop),
            Act::Priority(p) => patch_case(
                conn,
                sla,
                &number,
                &patch(serde_json::json!({"priority": p, "reason": "Impact reassessed."})),
                version,
                &agent(),
                t(at),
            )
            .map(drop),
        };
        done.unwrap_or_else(|e| panic!("{number} at {at}: {e}"));
        store::run_jobs(conn, sla, t(at)).unwrap();
    }
    number
}

/// The desk: the period is Monday 16 to Friday 20 November 2026 in Tokyo
/// (2026-11-15T15:00Z to 2026-11-20T15:00Z); reports are read on the 25th.
fn desk() -> Vec<Script> {
    use Act::*;
    vec![
        // A: P1 answered in 30 min, then no update: the update breaches at 04:30Z; resolved.
        Script {
            created: "2026-11-16T00:00:00Z",
            priority: "P1",
            tier: "tac-care",
            channel: "phone",
            acts: vec![
                ("2026-11-16T00:10:00Z", Status("open")),
                ("2026-11-16T00:30:00Z", Public),
                ("2026-11-16T06:00:00Z", Status("resolved")),
            ],
        },
        // B: opened 30 min before the period; its first response breaches inside it (15:30Z)
        // and is made late at 16:00Z; an update met; then waiting on the customer to the end.
        Script {
            created: "2026-11-15T14:30:00Z",
            priority: "P1",
            tier: "tac-care",
            channel: "phone",
            acts: vec![
                ("2026-11-15T14:40:00Z", Status("open")),
                ("2026-11-15T16:00:00Z", Public),
                ("2026-11-15T19:00:00Z", Public),
                ("2026-11-15T20:00:00Z", Status("waiting_on_customer")),
            ],
        },
        // C: a web P3 on business days, raised to P2 on Monday: its first response is due
        // sooner, in business time.
        Script {
            created: "2026-11-14T01:00:00Z",
            priority: "P3",
            tier: "standard",
            channel: "web",
            acts: vec![
                ("2026-11-14T02:00:00Z", Status("open")),
                ("2026-11-16T01:00:00Z", Priority("P2")),
                ("2026-11-17T02:00:00Z", Internal),
                ("2026-11-17T05:00:00Z", Public),
            ],
        },
        // D: answered by a call, resolved, reopened the next morning: the update clock's
        // interval ends undecided and a fresh one runs past the period's end.
        Script {
            created: "2026-11-19T08:00:00Z",
            priority: "P2",
            tier: "tac-care",
            channel: "phone",
            acts: vec![
                ("2026-11-19T08:05:00Z", Status("open")),
                ("2026-11-19T08:20:00Z", Call),
                ("2026-11-19T10:00:00Z", Status("resolved")),
                ("2026-11-20T01:00:00Z", Status("open")),
            ],
        },
        // E: a P4 opened an hour before the period ends: running at its end, breached after it.
        Script {
            created: "2026-11-20T14:00:00Z",
            priority: "P4",
            tier: "tac-care",
            channel: "web",
            acts: vec![],
        },
        // F: long resolved, closed inside the period.
        Script {
            created: "2026-11-10T00:00:00Z",
            priority: "P1",
            tier: "tac-care",
            channel: "phone",
            acts: vec![
                ("2026-11-10T00:05:00Z", Status("open")),
                ("2026-11-10T00:20:00Z", Public),
                ("2026-11-11T00:00:00Z", Status("resolved")),
                ("2026-11-17T00:00:00Z", Close),
            ],
        },
        // G: never answered: its first response breached before the period; still open.
        Script {
            created: "2026-11-12T00:00:00Z",
            priority: "P3",
            tier: "tac-care",
            channel: "web",
            acts: vec![],
        },
        // H: a premium web P2 (1 business day) opened at 16:00 JST on Friday, answered on
        // Monday morning: business time crosses the weekend.
        Script {
            created: "2026-11-20T07:00:00Z",
            priority: "P2",
            tier: "premium",
            channel: "web",
            acts: vec![
                ("2026-11-20T07:05:00Z", Status("open")),
                ("2026-11-23T01:00:00Z", Public),
            ],
        },
    ]
}

const AT: &str = "2026-11-25T00:00:00Z";

fn build() -> (Connection, Sla, Vec<String>) {
    let conn = Connection::open_in_memory().unwrap();
    for (_, sql) in crate::server::db::MIGRATIONS {
        conn.execute_batch(sql).unwrap();
    }
    let sla = sla();
    let mut numbers = Vec::new();
    let mut scripts = desk();
    scripts.sort_by_key(|s| s.created);
    for s in &scripts {
        numbers.push(open_case(&conn, &sla, s));
    }
    store::run_jobs(&conn, &sla, t(AT)).unwrap();
    (conn, sla, numbers)
}

fn scope(by: Option<Grouping>) -> ReportScope {
    let query = ReportQuery {
        from: NaiveDate::from_ymd_opt(2026, 11, 16),
        to: NaiveDate::from_ymd_opt(2026, 11, 20),
        zone: Some("Asia/Tokyo".into()),
        by,
    };
    ReportScope {
        period: query
            .resolve(ReportKind::Sla, t(AT), chrono_tz::UTC)
            .unwrap(),
        by,
        at: t(AT),
    }
}

/// Met, breached and running per clock, summed from each case's clocks as the engine reports
/// them (at `AT` for outcomes, at `end` for what was running then).
fn from_clocks(
    conn: &Connection,
    sla: &Sla,
    numbers: &[String],
    from: DateTime<Utc>,
    end: DateTime<Utc>,
) -> BTreeMap<ReportClock, (u64, u64, u64)> {
    let mut out: BTreeMap<ReportClock, (u64, u64, u64)> =
        ReportClock::ALL.iter().map(|c| (*c, (0, 0, 0))).collect();
    let inside = |x: DateTime<Utc>| from <= x && x < end;
    for n in numbers {
        let case = get_case(conn, sla, n, t(AT)).unwrap();
        for clock in &case.clocks.clocks {
            let Some(kind) = ReportClock::of(clock.kind) else {
                continue;
            };
            let entry = out.get_mut(&kind).unwrap();
            for past in &clock.earlier {
                match (past.breached_at, past.met_at) {
                    (Some(b), _) if inside(b) => entry.1 += 1,
                    (None, Some(m)) if inside(m) => entry.0 += 1,
                    _ => {}
                }
            }
            match clock.state {
                ClockState::Breached if clock.due.is_some_and(inside) => entry.1 += 1,
                ClockState::Met if clock.met_at.is_some_and(inside) => entry.0 += 1,
                _ => {}
            }
        }
        if case.summary.created_at <= end {
            let then = get_case(conn, sla, n, end).unwrap();
            for clock in &then.clocks.clocks {
                let Some(kind) = ReportClock::of(clock.kind) else {
                    continue;
                };
                if matches!(clock.state, ClockState::Running | ClockState::Paused) {
                    out.get_mut(&kind).unwrap().2 += 1;
                }
            }
        }
    }
    out
}

fn figures(rows: &[SlaRow]) -> BTreeMap<ReportClock, (u64, u64, u64)> {
    let mut out: BTreeMap<ReportClock, (u64, u64, u64)> = BTreeMap::new();
    for r in rows {
        let e = out.entry(r.clock).or_default();
        e.0 += r.met;
        e.1 += r.breached;
        e.2 += r.running;
    }
    // A grouping lists only the groups it found: a clock with nothing anywhere has no row.
    out.retain(|_, v| *v != (0, 0, 0));
    out
}

#[test]
fn sla_attainment_equals_the_sum_of_the_engines_clocks() {
    let (conn, sla, numbers) = build();
    let s = scope(None);
    let report = sla_report(&conn, &sla, &s).unwrap();
    assert_eq!(report.rows.len(), 3, "one row per clock: {:?}", report.rows);
    let expected = from_clocks(&conn, &sla, &numbers, s.period.from, s.period.to);
    assert_eq!(figures(&report.rows), {
        let mut e = expected;
        e.retain(|_, v| *v != (0, 0, 0));
        e
    });
    // By hand: first responses met in the period: A's (00:30Z) and D's call (Thursday);
    // breached: B's (15:30Z, Monday 00:30 in Tokyo) and C's (raised to P2, one business day
    // from Monday 09:00 JST, answered Tuesday). G's breach was before the period; E's and H's
    // after it.
    let fr = report
        .rows
        .iter()
        .find(|r| r.clock == ReportClock::FirstResponse)
        .unwrap();
    assert_eq!((fr.met, fr.breached), (2, 2), "{fr:?}");
    let up = report
        .rows
        .iter()
        .find(|r| r.clock == ReportClock::NextUpdate)
        .unwrap();
    assert!(up.breached >= 1 && up.met >= 1, "{up:?}");
    assert_eq!(fr.attainment, SlaRow::attainment_of(fr.met, fr.breached));
}

#[test]
fn by_day_each_day_agrees_with_the_clocks_and_the_days_add_up() {
    let (conn, sla, numbers) = build();
    let s = scope(Some(Grouping::Day));
    let report = sla_report(&conn, &sla, &s).unwrap();
    let days: Vec<_> = s.period.days().collect();
    assert_eq!(report.rows.len(), days.len() * 3);
    for (day, end) in days {
        let from = crate::api::reports::start_of(day, s.period.zone);
        let rows: Vec<SlaRow> = report
            .rows
            .iter()
            .filter(|r| r.group.as_deref() == Some(&day.to_string()))
            .cloned()
            .collect();
        assert_eq!(
            figures(&rows),
            {
                let mut e = from_clocks(&conn, &sla, &numbers, from, end);
                e.retain(|_, v| *v != (0, 0, 0));
                e
            },
            "{day}"
        );
    }
    let whole = sla_report(&conn, &sla, &scope(None)).unwrap();
    let (sum, total) = (figures(&report.rows), figures(&whole.rows));
    let decided =
        |m: &BTreeMap<ReportClock, (u64, u64, u64)>| -> BTreeMap<ReportClock, (u64, u64)> {
            m.iter()
                .map(|(k, v)| (*k, (v.0, v.1)))
                .filter(|(_, v)| *v != (0, 0))
                .collect()
        };
    assert_eq!(decided(&sum), decided(&total));
}

#[test]
fn by_priority_counts_each_interval_once() {
    let (conn, sla, _) = build();
    let by = sla_report(&conn, &sla, &scope(Some(Grouping::Priority))).unwrap();
    let whole = sla_report(&conn, &sla, &scope(None)).unwrap();
    assert_eq!(figures(&by.rows), figures(&whole.rows));
    for g in [Grouping::Owner, Grouping::Tier, Grouping::Channel] {
        let rows = sla_report(&conn, &sla, &scope(Some(g))).unwrap().rows;
        assert_eq!(figures(&rows), figures(&whole.rows), "by {g}");
        let response = response_report(&conn, &sla, &scope(Some(g))).unwrap().rows;
        let count: u64 = response
            .iter()
            .filter(|r| r.time == TimeBasis::Wall)
            .map(|r| r.count)
            .sum();
        assert_eq!(count, 4, "by {g}: {response:?}");
    }
    let owners = sla_report(&conn, &sla, &scope(Some(Grouping::Owner)))
        .unwrap()
        .rows;
    assert!(
        owners
            .iter()
            .all(|r| r.group.as_deref() == Some(UNASSIGNED)),
        "{owners:?}"
    );
    // C was raised to P2 before its first response: counted under P2.
    let p2 = by
        .rows
        .iter()
        .find(|r| r.group.as_deref() == Some("P2") && r.clock == ReportClock::FirstResponse)
        .unwrap();
    assert!(p2.met + p2.breached >= 1, "{p2:?}");
}

#[test]
fn response_times_are_the_first_responses_wall_and_business_time() {
    let (conn, sla, numbers) = build();
    let s = scope(None);
    let report = response_report(&conn, &sla, &s).unwrap();
    let calendar = sla.calendars.get("jp-business").unwrap();
    let (mut wall, mut business) = (Vec::new(), Vec::new());
    for n in &numbers {
        let case = get_case(&conn, &sla, n, t(AT)).unwrap();
        let fr = case
            .clocks
            .clocks
            .iter()
            .find(|c| c.kind == crate::sla::ClockKind::FirstResponse);
        if let Some(met) = fr.and_then(|c| c.met_at).filter(|m| s.period.contains(*m)) {
            wall.push((met - case.summary.created_at).num_seconds());
            business.push(crate::sla::between(case.summary.created_at, met, &calendar).unwrap());
        }
    }
    let expected = [
        ResponseRow::of(None, TimeBasis::Wall, wall),
        ResponseRow::of(None, TimeBasis::Business, business),
    ];
    assert_eq!(report.rows, expected);
    // A 30 min, B 1h30 late, C Sat 01:00Z → Tue 05:00Z, D's call 20 min.
    let w = &report.rows[0];
    assert_eq!(w.count, 4);
    assert_eq!(
        w.max_secs,
        Some((t("2026-11-17T05:00:00Z") - t("2026-11-14T01:00:00Z")).num_seconds())
    );
    // C's business time counts only Monday and Tuesday's working hours, not the weekend.
    assert!(report.rows[1].max_secs < w.max_secs);
}

#[test]
fn backlog_counts_open_cases_at_each_days_end_and_the_flow() {
    let (conn, sla, _) = build();
    let report = backlog_report(&conn, &sla, &scope(None)).unwrap();
    let day = |d: &str| report.rows.iter().find(|r| r.period == d).unwrap();
    // End of Monday 16th in Tokyo (15:00Z): B (waiting, P1), C (P2), G (P3) open; A resolved.
    let mon = day("2026-11-16");
    assert_eq!(
        (mon.open, mon.p1, mon.p2, mon.p3, mon.p4),
        (3, 1, 1, 1, 0),
        "{mon:?}"
    );
    assert_eq!(
        mon.ages(),
        [0, 2, 1, 0, 0],
        "B and C 1–3 days old, G 4 days: {mon:?}"
    );
    assert_eq!(
        (mon.created, mon.resolved, mon.closed),
        (Some(1), Some(1), Some(0))
    );
    let tue = day("2026-11-17");
    assert_eq!(tue.closed, Some(1), "F closed on Tuesday: {tue:?}");
    // Friday: D reopened, E and H opened.
    let fri = day("2026-11-20");
    assert_eq!(fri.created, Some(2), "{fri:?}");
    let now = &report.rows[0];
    assert_eq!(now.period, "now");
    assert_eq!(now.created, None);
    assert_eq!(now.open, 6, "B, C, D, E, G, H: {now:?}");
}

#[test]
fn load_counts_notes_and_calls_by_their_author() {
    let (conn, sla, _) = build();
    let report = load_report(&conn, &sla, &scope(Some(Grouping::Owner))).unwrap();
    let tanaka = report
        .rows
        .iter()
        .find(|r| r.owner.as_deref() == Some("tanaka"))
        .unwrap_or_else(|| panic!("{:?}", report.rows));
    // In the period: A's, C's public notes and D's call (B's were on Sunday UTC before 15:00Z?
    // No: 16:00Z and 19:00Z are Monday in Tokyo, inside).
    assert_eq!((tanaka.public_notes, tanaka.calls), (4, 1), "{tanaka:?}");
    let open: u64 = report.rows.iter().map(|r| r.open).sum();
    assert_eq!(open, 6);
}

#[test]
fn facts_are_filled_for_cases_written_before_reports() {
    let (conn, sla, _) = build();
    let before = sla_report(&conn, &sla, &scope(None)).unwrap();
    conn.execute_batch("DELETE FROM report_segments; DELETE FROM report_intervals;")
        .unwrap();
    assert_eq!(fill_missing(&conn, &sla, t(AT)).unwrap(), 8);
    assert_eq!(fill_missing(&conn, &sla, t(AT)).unwrap(), 0);
    assert_eq!(sla_report(&conn, &sla, &scope(None)).unwrap(), before);
}
