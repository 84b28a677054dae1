//! The server's own work on a timer: breaches, auto-close and overdue RMAs.
//!
//! Everything it does is recorded (the breaches table, the RMA's flag, the case's status), so
//! a restart picks up where it left off and nothing happens twice.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::cases::{clocks, record, refresh_clocks, summary, touch, watch_due};
use super::{Sla, StoreError, emit};
use crate::domain::{CloseReason, Status};
use crate::sla::{CaseEvent, ClockKind, ClockState};

/// What one run of the jobs did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct JobReport {
    /// Cases whose clocks were looked at again.
    pub refreshed: usize,
    /// Cases closed for want of a customer reply.
    pub auto_closed: usize,
    /// RMAs newly found overdue.
    pub overdue_rmas: usize,
}

/// Runs the jobs as of `at`.
pub fn run_jobs(conn: &Connection, sla: &Sla, at: DateTime<Utc>) -> Result<JobReport, StoreError> {
    let mut report = JobReport::default();
    for number in watch_due(conn, at)? {
        report.refreshed += 1;
        let waiting_too_long = clocks(conn, sla, &number, at)?
            .clocks
            .iter()
            .any(|c| c.kind == ClockKind::AutoClose && c.state == ClockState::Breached);
        if waiting_too_long && summary(conn, &number)?.status == Status::WaitingOnCustomer {
            auto_close(conn, sla, &number, at)?;
            report.auto_closed += 1;
        } else {
            refresh_clocks(conn, sla, &number, at)?;
        }
    }
    for rma in super::overdue_rmas_to_announce(conn, at)? {
        emit(
            conn,
            at,
            "rma.overdue",
            Some(&rma.case_number.to_string()),
            &rma,
        )?;
        report.overdue_rmas += 1;
    }
    Ok(report)
}

/// Closes a case that waited on the customer past the auto-close target.
fn auto_close(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let reason = CloseReason::NoCustomerResponse;
    record(
        conn,
        number,
        at,
        "system",
        Some(&CaseEvent::StatusChanged { to: Status::Closed }),
        Some(format!("status waiting_on_customer → closed ({reason})")),
        Some("no reply from the customer within the auto-close period"),
    )?;
    conn.execute(
        "UPDATE cases SET status = 'closed', close_reason = ?2 WHERE number = ?1",
        (number, reason.as_str()),
    )?;
    touch(conn, number, at)?;
    let summary = refresh_clocks(conn, sla, number, at)?;
    emit(conn, at, "case.updated", Some(number), &summary)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;
    use serde_json::{Value, json};

    use super::super::{
        Caller, add_note, create_case, create_rma, current_seq, events_after, patch_case,
    };
    use super::*;
    use crate::api::Role;
    use crate::server::db::Db;
    use crate::sla::{Calendars, Policies};

    /// A fresh database in its own temporary file, removed on drop.
    struct TempDb {
        db: Option<Db>,
        dir: std::path::PathBuf,
    }

    impl TempDb {
        fn new(name: &str) -> TempDb {
            let dir =
                std::env::temp_dir().join(format!("casedesk-jobs-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            let db = Db::open(&dir.join("case.db")).unwrap();
            TempDb { db: Some(db), dir }
        }

        fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T, StoreError>) -> T {
            let db = self.db.as_ref().unwrap();
            db.write_blocking(|tx| f(tx)).unwrap()
        }

        /// Runs the jobs at `at`.
        fn jobs(&self, at: DateTime<Utc>) -> JobReport {
            self.write(|tx| run_jobs(tx, &sla(), at))
        }

        /// The events of `kind` after `after`, as JSON.
        fn events(&self, after: i64, kind: &str) -> Vec<Value> {
            let db = self.db.as_ref().unwrap();
            db.read_blocking(|c| events_after(c, after, 10_000))
                .unwrap()
                .into_iter()
                .filter(|e| e.kind == kind)
                .map(|e| serde_json::from_str(&e.data).unwrap())
                .collect()
        }

        fn seq(&self) -> i64 {
            self.db
                .as_ref()
                .unwrap()
                .read_blocking(current_seq)
                .unwrap()
        }
    }

    impl Drop for TempDb {
        fn drop(&mut self) {
            drop(self.db.take());
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    fn sla() -> Sla {
        Sla {
            calendars: Calendars::builtin(),
            policies: Policies::builtin(),
        }
    }

    fn agent() -> Caller {
        Caller {
            name: "tanaka".into(),
            role: Role::Agent,
        }
    }

    /// Monday 2 March 2026, 10:00 in Tokyo: inside business hours, far from any holiday.
    fn t0() -> DateTime<Utc> {
        "2026-03-02T01:00:00Z".parse().unwrap()
    }

    /// A P1 premium phone case opened at `at`: its first response is due one hour later
    /// (24x7).
    fn p1_case(db: &TempDb, at: DateTime<Utc>) -> String {
        let new = serde_json::from_value(json!({
            "subject": "core switch down", "priority": "P1", "tier": "premium",
            "channel": "phone", "serial_number": "JN6F9D6E4C72", "site_name": "Tokyo",
            "site_id": "T1", "account": "A", "contact_name": "C",
            "contact_email": "c@example.com", "product": "MX", "platform": "MX480"
        }))
        .unwrap();
        let case = db.write(|tx| create_case(tx, &sla(), &new, &agent(), at));
        case.summary.number.to_string()
    }

    fn set_status(db: &TempDb, number: &str, status: &str, at: DateTime<Utc>) {
        let patch = serde_json::from_value(json!({ "status": status })).unwrap();
        db.write(|tx| {
            let version = summary(tx, number)?.version;
            patch_case(tx, &sla(), number, &patch, version, &agent(), at)
        });
    }

    #[test]
    fn a_breach_is_announced_once_and_a_second_run_is_silent() {
        let db = TempDb::new("breach");
        let number = p1_case(&db, t0());
        let start = db.seq();
        let due = t0() + TimeDelta::hours(1);

        // At the due instant the clock still runs: nothing to announce.
        db.jobs(due);
        assert_eq!(db.events(start, "sla.breached"), Vec::<Value>::new());

        let report = db.jobs(due + TimeDelta::seconds(1));
        assert_eq!(report.auto_closed, 0);
        let breaches = db.events(start, "sla.breached");
        assert_eq!(breaches.len(), 1, "{breaches:?}");
        assert_eq!(breaches[0]["case_number"], number.as_str());
        assert_eq!(breaches[0]["clock"]["kind"], "first_response");
        assert_eq!(breaches[0]["clock"]["due"], "2026-03-02T02:00:00Z");
        assert!(db.write(|tx| summary(tx, &number)).breached);

        // A later run finds nothing new to say.
        let after = db.seq();
        db.jobs(due + TimeDelta::minutes(1));
        assert_eq!(db.seq(), after, "the silent run changed nothing");

        // A late first response recomputes the case's clocks, and the jobs run on for days: the
        // first response's breach is not announced a second time.
        let note =
            serde_json::from_value(json!({ "body": "Looking into it.", "visibility": "public" }))
                .unwrap();
        db.write(|tx| {
            let version = summary(tx, &number)?.version;
            add_note(
                tx,
                &sla(),
                &number,
                &note,
                version,
                &agent(),
                due + TimeDelta::hours(1),
            )
        });
        for days in [1, 2, 3] {
            db.jobs(due + TimeDelta::days(days));
        }
        let kinds: Vec<Value> = db
            .events(after, "sla.breached")
            .iter()
            .map(|b| b["clock"]["kind"].clone())
            .collect();
        assert_eq!(kinds, Vec::<Value>::new());
    }

    #[test]
    fn a_case_waiting_on_the_customer_closes_after_exactly_fourteen_days() {
        let db = TempDb::new("auto-close");
        let number = p1_case(&db, t0());
        let waiting_since = t0() + TimeDelta::minutes(10);
        set_status(&db, &number, "open", t0() + TimeDelta::minutes(5));
        set_status(&db, &number, "waiting_on_customer", waiting_since);
        let target = waiting_since + TimeDelta::days(14);

        for at in [target - TimeDelta::seconds(1), target] {
            let report = db.jobs(at);
            assert_eq!(report.auto_closed, 0, "at {at}");
            assert_eq!(
                db.write(|tx| summary(tx, &number)).status,
                Status::WaitingOnCustomer,
                "at {at}: the engine breaches only strictly after the due instant"
            );
        }

        let start = db.seq();
        let report = db.jobs(target + TimeDelta::milliseconds(1));
        assert_eq!(report.auto_closed, 1);
        assert_eq!(db.write(|tx| summary(tx, &number)).status, Status::Closed);
        let reason: String = db.write(|tx| {
            Ok(tx.query_row(
                "SELECT close_reason FROM cases WHERE number = ?1",
                [&number],
                |r| r.get(0),
            )?)
        });
        assert_eq!(reason, "no_customer_response");
        let updates = db.events(start, "case.updated");
        assert_eq!(updates.len(), 1, "{updates:?}");
        assert_eq!(updates[0]["status"], "closed");

        // A closed case stops every clock: nothing more happens to it.
        let after = db.seq();
        let report = db.jobs(target + TimeDelta::days(30));
        assert_eq!(report.auto_closed, 0);
        assert_eq!(db.seq(), after);
    }

    #[test]
    fn an_overdue_rma_is_flagged_once() {
        let db = TempDb::new("rma");
        let number = p1_case(&db, t0());
        let new = serde_json::from_value(json!({ "part_number": "PWR-MX480-AC" })).unwrap();
        let rma = db.write(|tx| {
            let version = summary(tx, &number)?.version;
            create_rma(tx, &sla(), &number, &new, version, &agent(), t0())
        });
        // Ten business days from Monday 2 March 10:00 JST: Monday 16 March, 10:00.
        let due = rma.return_due.unwrap();
        assert_eq!(
            due,
            "2026-03-16T01:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );

        let start = db.seq();
        assert_eq!(db.jobs(due).overdue_rmas, 0, "due, not yet overdue");
        assert_eq!(db.jobs(due + TimeDelta::seconds(1)).overdue_rmas, 1);
        assert_eq!(
            db.jobs(due + TimeDelta::days(3)).overdue_rmas,
            0,
            "flagged once"
        );
        let overdue = db.events(start, "rma.overdue");
        assert_eq!(overdue.len(), 1, "{overdue:?}");
        assert_eq!(overdue[0]["number"], rma.number.to_string());
        assert_eq!(overdue[0]["case_number"], number.as_str());
    }
}
