//! The load report computed from the cache, for when the server cannot be reached and holds no
//! copy of it: open cases, P1/P2, breaching within the hour and breached from the cached case
//! summaries; public notes and calls from the notes of the case details the cache keeps (so only
//! of those cases).

use chrono::{DateTime, Utc};

use super::{Desk, DeskError};
use crate::api::reports::{
    Grouping, LoadReport, LoadRow, LoadTally, Period, ReportHeader, ReportKind,
};
use crate::api::{Case, CaseSummary, NoteKind};
use crate::domain::{Party, Visibility};

/// The attainment a header says the desk aims for, when no cached report or trend says it.
const DEFAULT_TARGET: f64 = 0.95;

/// The load rows of the cached `summaries` (open cases, urgency at `now`) and the notes of the
/// cached `details` made in `period`: one row per owner of an open case or author of a counted
/// note, most open cases first (then by name), unassigned last.
pub fn load_rows(
    summaries: &[CaseSummary],
    details: &[Case],
    period: &Period,
    now: DateTime<Utc>,
) -> Vec<LoadRow> {
    let mut tally = LoadTally::default();
    for s in summaries.iter().filter(|s| s.status.is_open()) {
        tally.open_case(s.owner.as_deref(), s.priority, s.next_due, s.breached, now);
    }
    for note in details
        .iter()
        .flat_map(|c| &c.notes)
        .filter(|n| n.party == Party::Support && period.contains(n.created_at))
    {
        let public_note = note.kind == NoteKind::Note && note.visibility == Visibility::Public;
        let call = note.kind == NoteKind::Call;
        tally.wrote(&note.author, u64::from(public_note), u64::from(call));
    }
    tally.rows()
}

impl Desk {
    /// The server's business zone as the last cached trend names it, if one is cached.
    pub fn cached_business_zone(&self) -> Option<chrono_tz::Tz> {
        let cached = self
            .cache()
            .document::<crate::api::reports::Trend>(super::reports::TREND)
            .ok()
            .flatten();
        cached.and_then(|(trend, _)| trend.zone.parse().ok())
    }

    /// The load report from the cache alone (see [`load_rows`]) for `period`: the header's
    /// target is the last cached trend's, `at` is `now`.
    pub fn load_from_cache(
        &self,
        period: &Period,
        now: DateTime<Utc>,
    ) -> Result<LoadReport, DeskError> {
        let cache = self.cache();
        let summaries = cache.summaries()?;
        let details = cache.details()?;
        let target = cache
            .document::<crate::api::reports::Trend>(super::reports::TREND)?
            .map_or(DEFAULT_TARGET, |(t, _)| t.target);
        Ok(LoadReport {
            header: ReportHeader {
                kind: ReportKind::Load,
                from: period.from,
                to: period.to,
                zone: period.zone.name().to_string(),
                by: Some(Grouping::Owner),
                at: now,
                target,
            },
            rows: load_rows(&summaries, &details, period, now),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Note;
    use crate::api::reports::{ReportKind, ReportQuery};
    use crate::domain::{Priority, Status};
    use chrono::Duration;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn case(n: u32, owner: Option<&str>, priority: Priority, status: Status) -> Case {
        let mut value = serde_json::json!({
            "number": format!("2026-1120-{n:06}"), "subject": "s", "priority": priority,
            "status": status, "owner": owner, "tier": "standard", "channel": "phone",
            "request_type": "technical_support", "site_name": "", "site_id": "", "account": "",
            "contact_name": "", "product": "", "platform": "", "serial_number": null,
            "created_at": "2026-11-20T00:00:00Z", "updated_at": "2026-11-20T00:00:00Z",
            "next_due": null, "breached": false, "temporarily_downgraded": false,
            "open_escalations": 0, "version": 1,
        });
        let extra = serde_json::json!({
            "description": "", "software_version": "", "contact_email": "",
            "contact_phone": "", "preferred_contact": "phone", "user_type": "business_user",
            "problem_reports": [], "attachments": [], "entitlement": null,
            "unentitled": false, "close_reason": null, "notes": [], "history": [],
            "escalations": [], "rmas": [],
            "clocks": {"at": "2026-11-20T00:00:00Z", "clocks": [], "p1_contact": {
                "failing_since": null, "downgrade_available_at": null,
                "downgrade_available": false, "temporarily_downgraded": false}},
        });
        if let (Some(v), serde_json::Value::Object(e)) = (value.as_object_mut(), extra) {
            v.extend(e);
        }
        serde_json::from_value(value).unwrap()
    }

    fn note(author: &str, kind: NoteKind, visibility: Visibility, created: &str) -> Note {
        Note {
            id: 1,
            author: author.into(),
            party: Party::Support,
            visibility,
            kind,
            body: "b".into(),
            created_at: at(created),
            email_from: None,
            mail: None,
            attachments: vec![],
        }
    }

    #[test]
    fn load_counts_open_urgent_and_the_notes_of_the_period() {
        let now = at("2026-11-26T12:00:00Z");
        let period = ReportQuery::default()
            .resolve(ReportKind::Load, now, chrono_tz::UTC)
            .unwrap();
        let mut a = case(1, Some("tanaka"), Priority::P1, Status::Open);
        a.summary.next_due = Some(now + Duration::minutes(30));
        let mut b = case(2, Some("tanaka"), Priority::P2, Status::Open);
        b.summary.breached = true;
        b.summary.next_due = Some(now - Duration::minutes(5));
        let mut c = case(3, Some("tanaka"), Priority::P3, Status::Open);
        c.summary.next_due = Some(now + Duration::minutes(61));
        let d = case(4, None, Priority::P1, Status::New);
        let mut e = case(5, Some("suzuki"), Priority::P1, Status::Resolved);
        e.notes = vec![
            note(
                "suzuki",
                NoteKind::Note,
                Visibility::Public,
                "2026-11-25T00:00:00Z",
            ),
            note(
                "suzuki",
                NoteKind::Note,
                Visibility::Internal,
                "2026-11-25T00:00:00Z",
            ),
            note(
                "suzuki",
                NoteKind::Call,
                Visibility::Public,
                "2026-11-25T00:00:00Z",
            ),
            note(
                "suzuki",
                NoteKind::ContactFailed,
                Visibility::Public,
                "2026-11-25T00:00:00Z",
            ),
            // Before the period (which starts on the 20th).
            note(
                "tanaka",
                NoteKind::Note,
                Visibility::Public,
                "2026-11-19T23:59:59Z",
            ),
            note(
                "tanaka",
                NoteKind::Note,
                Visibility::Public,
                "2026-11-20T00:00:00Z",
            ),
        ];
        let cases = [a, b, c, d, e];
        let summaries: Vec<CaseSummary> = cases.iter().map(|c| c.summary.clone()).collect();
        let rows = load_rows(&summaries, &cases, &period, now);
        let owners: Vec<Option<&str>> = rows.iter().map(|r| r.owner.as_deref()).collect();
        assert_eq!(owners, [Some("tanaka"), Some("suzuki"), None]);
        let t = &rows[0];
        assert_eq!(
            (t.open, t.p1, t.p2, t.breaching_1h, t.breached),
            (3, 1, 1, 1, 1)
        );
        assert_eq!((t.public_notes, t.calls), (1, 0));
        let s = &rows[1];
        assert_eq!((s.open, s.public_notes, s.calls), (0, 1, 1));
        assert_eq!((rows[2].open, rows[2].p1), (1, 1));
    }
}
