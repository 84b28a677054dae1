//! SLA clocks replayed from case histories, table by table against SPEC §2.2, §2.4–2.6.
//!
//! Every instant is written in Tokyo time (+09:00). The default site calendar is `jp-business`:
//! Mon–Fri 09:00–17:00 Asia/Tokyo, Japanese holidays (2026-11-23 is a Monday holiday) and the
//! year-end break Dec 29 – Jan 3.

use casedesk::domain::{Channel, ContractTier, Party, Priority, RmaNumber, Status, Visibility};
use casedesk::sla::{
    CalendarError, Calendars, CaseEvent, CaseHistory, Clock, ClockError, ClockKind, ClockReport,
    ClockState, Policies, TimedEvent, compute,
};
use chrono::{DateTime, FixedOffset, Utc};

use Channel::{Phone, Web};
use ClockKind::{AutoClose, FirstResponse, RmaReturn, Update};
use ClockState::{Breached, Met, Paused, Running, Stopped};
use ContractTier::{Premium, SelfService, Standard, TacAdvanced, TacCare, TacPremium};
use Priority::{P1, P2, P3, P4};
use Status::{Closed, Open, Resolved, WaitingOnCustomer, WaitingOnEngineering};

const HOUR: i64 = 3600;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// An instant from RFC 3339 text.
fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("bad instant {s}: {e}"))
        .with_timezone(&Utc)
}

/// An instant shown in Tokyo time, for readable comparisons.
fn jst(at: DateTime<Utc>) -> String {
    let tokyo = FixedOffset::east_opt(9 * 3600).expect("valid offset");
    at.with_timezone(&tokyo).to_rfc3339()
}

fn rma(s: &str) -> RmaNumber {
    s.parse().expect("valid RMA number")
}

/// A case history under construction.
#[derive(Clone)]
struct Case(CaseHistory);

fn case(tier: ContractTier, channel: Channel, priority: Priority, created: &str) -> Case {
    Case(CaseHistory {
        created_at: t(created),
        priority,
        tier,
        channel,
        calendar: None,
        events: Vec::new(),
    })
}

impl Case {
    fn at(mut self, at: &str, event: CaseEvent) -> Self {
        self.0.events.push(TimedEvent { at: t(at), event });
        self
    }

    fn report(&self, now: &str) -> ClockReport {
        self.report_at(t(now))
    }

    fn report_at(&self, now: DateTime<Utc>) -> ClockReport {
        compute(&self.0, now, &Policies::builtin(), &Calendars::builtin()).expect("clocks compute")
    }
}

// Events, named as the SPEC speaks of them.
fn public_note() -> CaseEvent {
    CaseEvent::Note {
        visibility: Visibility::Public,
        by: Party::Support,
    }
}
fn internal_note() -> CaseEvent {
    CaseEvent::Note {
        visibility: Visibility::Internal,
        by: Party::Support,
    }
}
fn customer_note() -> CaseEvent {
    CaseEvent::Note {
        visibility: Visibility::Public,
        by: Party::Customer,
    }
}
fn call() -> CaseEvent {
    CaseEvent::CallLogged
}
fn contact_failed() -> CaseEvent {
    CaseEvent::ContactFailed
}
fn status(to: Status) -> CaseEvent {
    CaseEvent::StatusChanged { to }
}
fn priority(to: Priority) -> CaseEvent {
    CaseEvent::PriorityChanged {
        to,
        temporary: false,
    }
}
fn temporary_downgrade() -> CaseEvent {
    CaseEvent::PriorityChanged {
        to: P2,
        temporary: true,
    }
}
fn tier(to: ContractTier) -> CaseEvent {
    CaseEvent::TierChanged { to }
}
fn rma_issued(n: &str) -> CaseEvent {
    CaseEvent::RmaIssued { rma: rma(n) }
}
fn rma_settled(n: &str) -> CaseEvent {
    CaseEvent::RmaSettled { rma: rma(n) }
}

fn find(r: &ClockReport, kind: ClockKind) -> Option<&Clock> {
    r.clocks.iter().find(|c| c.kind == kind)
}

fn clock(r: &ClockReport, kind: ClockKind) -> &Clock {
    find(r, kind).unwrap_or_else(|| panic!("no {} clock in {:#?}", kind.as_str(), r.clocks))
}

fn rma_clock<'a>(r: &'a ClockReport, n: &str) -> &'a Clock {
    r.clocks
        .iter()
        .find(|c| c.kind == RmaReturn && c.rma == Some(rma(n)))
        .unwrap_or_else(|| panic!("no RMA clock for {n} in {:#?}", r.clocks))
}

fn due(c: &Clock) -> Option<String> {
    c.due.map(jst)
}

fn met(c: &Clock) -> Option<String> {
    c.met_at.map(jst)
}

fn kinds(r: &ClockReport) -> Vec<ClockKind> {
    r.clocks.iter().map(|c| c.kind).collect()
}

// ---------------------------------------------------------------------------------------------
// First response
// ---------------------------------------------------------------------------------------------

#[test]
fn first_response_due_by_tier_channel_priority_and_creation_instant() {
    // (tier, channel, priority, created, due) — all in JST.
    #[rustfmt::skip]
    let table = [
        // SPEC example: 2bd from Friday 16:00; Monday 2026-11-23 is a holiday.
        (Standard, Web, P3, "2026-11-20T16:00:00+09:00", "2026-11-25T16:00:00+09:00"),
        (Standard, Web, P4, "2026-11-20T16:00:00+09:00", "2026-11-25T16:00:00+09:00"),
        (Standard, Web, P2, "2026-11-20T16:00:00+09:00", "2026-11-24T16:00:00+09:00"),
        (Standard, Web, P1, "2026-11-20T16:00:00+09:00", "2026-11-24T10:00:00+09:00"),
        (Standard, Phone, P1, "2026-11-16T10:00:00+09:00", "2026-11-16T12:00:00+09:00"),
        // Created outside hours: counts from the next business minute.
        (Standard, Phone, P2, "2026-11-19T07:12:00+09:00", "2026-11-19T11:00:00+09:00"),
        (Standard, Phone, P4, "2026-11-20T18:30:00+09:00", "2026-11-24T11:00:00+09:00"),
        (Standard, Phone, P3, "2026-11-21T10:00:00+09:00", "2026-11-24T11:00:00+09:00"),
        (Standard, Web, P2, "2026-11-19T07:12:00+09:00", "2026-11-19T17:00:00+09:00"),
        // Year-end break Dec 29 – Jan 3, then back on Monday 2027-01-04.
        (Standard, Phone, P1, "2026-12-28T16:00:00+09:00", "2027-01-04T10:00:00+09:00"),
        // 24x7 targets ignore hours, weekends and holidays.
        (Premium, Phone, P3, "2026-11-21T03:00:00+09:00", "2026-11-21T04:00:00+09:00"),
        (Premium, Web, P1, "2026-11-22T23:30:00+09:00", "2026-11-23T00:30:00+09:00"),
        (Premium, Web, P2, "2026-11-20T16:00:00+09:00", "2026-11-24T16:00:00+09:00"),
        (TacCare, Web, P1, "2026-11-22T23:30:00+09:00", "2026-11-23T00:30:00+09:00"),
        (TacCare, Phone, P2, "2026-11-21T10:00:00+09:00", "2026-11-21T11:00:00+09:00"),
        (TacCare, Web, P3, "2026-11-20T16:00:00+09:00", "2026-11-21T00:00:00+09:00"),
        (TacCare, Web, P4, "2026-11-20T16:00:00+09:00", "2026-11-21T16:00:00+09:00"),
        (TacAdvanced, Web, P1, "2026-11-21T10:00:00+09:00", "2026-11-21T10:30:00+09:00"),
        (TacAdvanced, Phone, P3, "2026-11-21T10:00:00+09:00", "2026-11-21T14:00:00+09:00"),
        (TacPremium, Web, P1, "2026-11-21T10:00:00+09:00", "2026-11-21T10:15:00+09:00"),
        (TacPremium, Phone, P3, "2026-11-21T10:00:00+09:00", "2026-11-21T12:00:00+09:00"),
    ];
    for (tier, channel, p, created, want) in table {
        let r = case(tier, channel, p, created).report(created);
        let fr = clock(&r, FirstResponse);
        let what = format!("{tier} {channel} {p} created {created}");
        assert_eq!(fr.state, Running, "{what}");
        assert_eq!(fr.started_at, t(created), "{what}");
        assert_eq!(due(fr).as_deref(), Some(want), "{what}");
    }
}

#[test]
fn first_response_running_shows_wall_and_working_time_left() {
    // standard web P3 = 2bd, created Friday 16:00 → due Wednesday 16:00.
    let c = case(Standard, Web, P3, "2026-11-20T16:00:00+09:00");
    // (now, wall seconds left, working seconds left)
    #[rustfmt::skip]
    let table = [
        ("2026-11-20T16:00:00+09:00", 120 * HOUR, 16 * HOUR),
        // Saturday morning: 102 wall hours but only 15 business hours left.
        ("2026-11-21T10:00:00+09:00", 102 * HOUR, 15 * HOUR),
        ("2026-11-23T12:00:00+09:00", 52 * HOUR, 15 * HOUR),
        ("2026-11-24T12:00:00+09:00", 28 * HOUR, 12 * HOUR),
        ("2026-11-25T15:30:00+09:00", HOUR / 2, HOUR / 2),
        ("2026-11-25T16:00:00+09:00", 0, 0),
    ];
    for (now, wall, working) in table {
        let r = c.report(now);
        let fr = clock(&r, FirstResponse);
        assert_eq!(fr.state, Running, "at {now}");
        assert_eq!(due(fr).as_deref(), Some("2026-11-25T16:00:00+09:00"));
        assert_eq!(fr.remaining_secs, Some(wall), "wall at {now}");
        assert_eq!(fr.remaining_working_secs, Some(working), "working at {now}");
        assert_eq!(fr.met_at, None);
    }
}

#[test]
fn first_response_is_met_only_by_a_public_support_note_or_a_logged_call() {
    // standard phone P1 = 2h business from Monday 10:00 → due 12:00; something happens at 11:00.
    #[rustfmt::skip]
    let table = [
        (public_note(), Met),
        (call(), Met),
        (internal_note(), Running),
        (customer_note(), Running),
        (CaseEvent::Note { visibility: Visibility::Internal, by: Party::Customer }, Running),
        (status(Open), Running),
    ];
    for (event, want) in table {
        let r = case(Standard, Phone, P1, "2026-11-16T10:00:00+09:00")
            .at("2026-11-16T11:00:00+09:00", event.clone())
            .report("2026-11-16T11:30:00+09:00");
        let fr = clock(&r, FirstResponse);
        assert_eq!(fr.state, want, "{event:?}");
        if want == Met {
            assert_eq!(met(fr).as_deref(), Some("2026-11-16T11:00:00+09:00"));
            assert_eq!(fr.remaining_secs, None);
        } else {
            assert_eq!(fr.met_at, None, "{event:?}");
            assert_eq!(fr.remaining_working_secs, Some(HOUR / 2), "{event:?}");
        }
    }
}

#[test]
fn first_response_never_restarts_after_it_is_met() {
    let r = case(Standard, Phone, P1, "2026-11-16T10:00:00+09:00")
        .at("2026-11-16T11:00:00+09:00", public_note())
        .at("2026-11-16T13:00:00+09:00", public_note())
        .at("2026-11-17T10:00:00+09:00", call())
        .report("2026-11-18T10:00:00+09:00");
    let fr = clock(&r, FirstResponse);
    assert_eq!(fr.state, Met);
    assert_eq!(met(fr).as_deref(), Some("2026-11-16T11:00:00+09:00"));
}

#[test]
fn first_response_late_is_breached_by_how_late() {
    // standard phone P1: created Monday 10:00, due 12:00.
    // (response or none, now, wall seconds left, working seconds left)
    #[rustfmt::skip]
    let table = [
        // Responded at 13:30: 90 minutes late, both ways.
        (Some("2026-11-16T13:30:00+09:00"), "2026-11-18T10:00:00+09:00", -90 * 60, -90 * 60),
        // Responded next morning 10:00: 22 wall hours but 6 business hours late.
        (Some("2026-11-17T10:00:00+09:00"), "2026-11-18T10:00:00+09:00", -22 * HOUR, -6 * HOUR),
        // Not responded yet: late by now.
        (None, "2026-11-16T13:00:00+09:00", -HOUR, -HOUR),
        // Exactly at the due instant is in time.
        (Some("2026-11-16T12:00:00+09:00"), "2026-11-16T13:00:00+09:00", 0, 0),
    ];
    for (response, now, wall, working) in table {
        let mut c = case(Standard, Phone, P1, "2026-11-16T10:00:00+09:00");
        if let Some(at) = response {
            c = c.at(at, public_note());
        }
        let fr = clock(&c.report(now), FirstResponse).clone();
        assert_eq!(fr.met_at, response.map(t), "{response:?}");
        if wall == 0 {
            assert_eq!(fr.state, Met, "{response:?}");
            continue;
        }
        assert_eq!(fr.state, Breached, "{response:?}");
        assert_eq!(due(&fr).as_deref(), Some("2026-11-16T12:00:00+09:00"));
        assert_eq!(fr.remaining_secs, Some(wall), "{response:?}");
        assert_eq!(fr.remaining_working_secs, Some(working), "{response:?}");
    }
}

#[test]
fn first_response_tac_care_p1_is_one_hour_wall_clock() {
    // Saturday night, outside any business hours: 1h 24x7 still counts.
    let c = case(TacCare, Phone, P1, "2026-11-21T23:30:00+09:00");
    let r = c.report("2026-11-22T00:10:00+09:00");
    let fr = clock(&r, FirstResponse);
    assert_eq!(fr.calendar, "24x7");
    assert_eq!(fr.target.to_string(), "1h 24x7");
    assert_eq!(due(fr).as_deref(), Some("2026-11-22T00:30:00+09:00"));
    assert_eq!(fr.remaining_secs, Some(20 * 60));
    assert_eq!(fr.remaining_working_secs, Some(20 * 60));
    let fr = clock(&c.report("2026-11-22T01:00:00+09:00"), FirstResponse).clone();
    assert_eq!(fr.state, Breached);
    assert_eq!(fr.remaining_secs, Some(-30 * 60));
}

#[test]
fn first_response_keeps_running_while_waiting_on_customer() {
    // Only the update clock pauses in waiting_on_customer (SPEC §2.6).
    let r = case(Standard, Phone, P1, "2026-11-16T10:00:00+09:00")
        .at("2026-11-16T10:10:00+09:00", status(Open))
        .at("2026-11-16T10:20:00+09:00", status(WaitingOnCustomer))
        .report("2026-11-16T11:00:00+09:00");
    let fr = clock(&r, FirstResponse);
    assert_eq!(fr.state, Running);
    assert_eq!(due(fr).as_deref(), Some("2026-11-16T12:00:00+09:00"));
}

#[test]
fn a_site_calendar_named_by_the_case_replaces_the_default() {
    // us-pacific-business, spring forward on Sunday 2026-03-08:
    // Friday 16:00 PST + 2h business = Monday 10:00 PDT.
    let mut c = case(Standard, Phone, P1, "2026-03-06T16:00:00-08:00");
    c.0.calendar = Some("us-pacific-business".into());
    let r = c.report("2026-03-09T09:30:00-07:00");
    let fr = clock(&r, FirstResponse);
    assert_eq!(fr.calendar, "us-pacific-business");
    assert_eq!(fr.due, Some(t("2026-03-09T10:00:00-07:00")));
    assert_eq!(fr.remaining_working_secs, Some(HOUR / 2));

    // 24x7 targets stay on the wall clock whatever the site.
    let mut c = case(TacCare, Phone, P1, "2026-03-06T16:00:00-08:00");
    c.0.calendar = Some("us-pacific-business".into());
    let fr = clock(&c.report("2026-03-06T16:00:00-08:00"), FirstResponse).clone();
    assert_eq!(
        (fr.calendar.as_str(), fr.due),
        ("24x7", Some(t("2026-03-06T17:00:00-08:00")))
    );
}

#[test]
fn an_unknown_site_calendar_is_an_error() {
    let mut c = case(Standard, Phone, P1, "2026-11-16T10:00:00+09:00");
    c.0.calendar = Some("mars-business".into());
    let err = compute(
        &c.0,
        t("2026-11-16T10:00:00+09:00"),
        &Policies::builtin(),
        &Calendars::builtin(),
    )
    .unwrap_err();
    assert!(
        matches!(
            &err,
            ClockError::Calendar(CalendarError::Unknown { name, .. }) if name == "mars-business"
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("jp-business"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Update frequency
// ---------------------------------------------------------------------------------------------

/// tac-care P2 (first response 1h 24x7, update 1bd), created Monday 2026-11-16 10:00,
/// answered publicly at 10:30 → next update due Tuesday 10:30.
fn answered_p2() -> Case {
    case(TacCare, Web, P2, "2026-11-16T10:00:00+09:00")
        .at("2026-11-16T10:30:00+09:00", status(Open))
        .at("2026-11-16T10:30:00+09:00", public_note())
}

#[test]
fn update_clock_exists_only_after_the_first_response() {
    let c = case(TacCare, Web, P2, "2026-11-16T10:00:00+09:00")
        .at("2026-11-16T10:10:00+09:00", internal_note())
        .at("2026-11-16T10:15:00+09:00", customer_note());
    assert_eq!(
        kinds(&c.report("2026-11-16T10:20:00+09:00")),
        [FirstResponse]
    );

    let r = answered_p2().report("2026-11-16T11:00:00+09:00");
    assert_eq!(kinds(&r), [FirstResponse, Update]);
    let up = clock(&r, Update);
    assert_eq!(up.state, Running);
    assert_eq!(up.target.to_string(), "1bd");
    assert_eq!(up.calendar, "jp-business");
    assert_eq!(up.started_at, t("2026-11-16T10:30:00+09:00"));
    assert_eq!(due(up).as_deref(), Some("2026-11-17T10:30:00+09:00"));
    assert_eq!(up.remaining_working_secs, Some(7 * HOUR + HOUR / 2));
}

#[test]
fn update_due_follows_the_latest_public_support_note_only() {
    // Something happens Tuesday 09:00, before the update falls due at 10:30.
    #[rustfmt::skip]
    let table = [
        // One business day from Tuesday 09:00 is Tuesday 17:00.
        (public_note(), "2026-11-17T17:00:00+09:00"),
        (call(), "2026-11-17T17:00:00+09:00"),
        (internal_note(), "2026-11-17T10:30:00+09:00"),
        (customer_note(), "2026-11-17T10:30:00+09:00"),
        (contact_failed(), "2026-11-17T10:30:00+09:00"),
    ];
    for (event, want) in table {
        let r = answered_p2()
            .at("2026-11-17T09:00:00+09:00", event.clone())
            .report("2026-11-17T09:30:00+09:00");
        let up = clock(&r, Update);
        assert_eq!(up.state, Running, "{event:?}");
        assert_eq!(due(up).as_deref(), Some(want), "{event:?}");
    }
}

#[test]
fn update_pause_in_waiting_on_customer_moves_due_by_the_paused_working_time() {
    // Paused Monday 13:00 → Wednesday 11:00 = 4h + 8h + 2h = 14 business hours.
    // Before: due Tuesday 10:30. After: Tuesday 10:30 + 14 business hours = Wednesday 16:30.
    let waiting = answered_p2().at("2026-11-16T13:00:00+09:00", status(WaitingOnCustomer));
    let before = answered_p2().report("2026-11-16T12:00:00+09:00");
    assert_eq!(
        due(clock(&before, Update)).as_deref(),
        Some("2026-11-17T10:30:00+09:00")
    );

    let r = waiting.report("2026-11-17T12:00:00+09:00");
    let up = clock(&r, Update);
    assert_eq!(up.state, Paused);
    assert_eq!(up.due, None);
    // 2h30m of the 8h were used before the pause.
    assert_eq!(up.remaining_working_secs, Some(5 * HOUR + HOUR / 2));

    let r = waiting
        .at("2026-11-18T11:00:00+09:00", status(Open))
        .report("2026-11-18T12:00:00+09:00");
    let up = clock(&r, Update);
    assert_eq!(up.state, Running);
    assert_eq!(due(up).as_deref(), Some("2026-11-18T16:30:00+09:00"));
    assert_eq!(up.remaining_working_secs, Some(4 * HOUR + HOUR / 2));
}

#[test]
fn update_pause_on_a_wall_clock_target_moves_due_by_the_paused_wall_time() {
    // tac-care P1 update 4h 24x7: note 10:00 → due 14:00; paused 11:00–13:30 → due 16:30.
    let r = case(TacCare, Phone, P1, "2026-11-21T09:30:00+09:00")
        .at("2026-11-21T10:00:00+09:00", public_note())
        .at("2026-11-21T10:00:00+09:00", status(Open))
        .at("2026-11-21T11:00:00+09:00", status(WaitingOnCustomer))
        .at("2026-11-21T13:30:00+09:00", status(Open))
        .report("2026-11-21T14:30:00+09:00");
    let up = clock(&r, Update);
    assert_eq!(up.state, Running);
    assert_eq!(due(up).as_deref(), Some("2026-11-21T16:30:00+09:00"));
    assert_eq!(up.remaining_secs, Some(2 * HOUR));
}

#[test]
fn update_keeps_running_while_waiting_on_engineering() {
    let r = answered_p2()
        .at("2026-11-16T13:00:00+09:00", status(WaitingOnEngineering))
        .report("2026-11-17T09:00:00+09:00");
    let up = clock(&r, Update);
    assert_eq!(up.state, Running);
    assert_eq!(due(up).as_deref(), Some("2026-11-17T10:30:00+09:00"));
}

#[test]
fn resolved_and_closed_stop_all_clocks() {
    // (events after creation, status reached)
    let resolved = [("2026-11-16T15:00:00+09:00", status(Resolved))];
    let closed = [
        ("2026-11-16T15:00:00+09:00", status(Resolved)),
        ("2026-11-16T16:00:00+09:00", status(Closed)),
    ];
    let auto_closed = [
        ("2026-11-16T15:00:00+09:00", status(WaitingOnCustomer)),
        ("2026-11-30T15:00:00+09:00", status(Closed)),
    ];
    for events in [&resolved[..], &closed[..], &auto_closed[..]] {
        // Answered: first response stays met, the update clock stops.
        let mut c = answered_p2();
        for (at, e) in events {
            c = c.at(at, e.clone());
        }
        let r = c.report("2026-12-10T12:00:00+09:00");
        assert_eq!(kinds(&r), [FirstResponse, Update], "{events:?}");
        assert_eq!(clock(&r, FirstResponse).state, Met);
        let up = clock(&r, Update);
        assert_eq!(up.state, Stopped, "{events:?}");
        assert_eq!((up.due, up.remaining_secs), (None, None), "{events:?}");
        assert_eq!(r.next_due(), None, "{events:?}");
    }
    // Not answered yet (standard web P3, due Wednesday 10:00): the first response stops too.
    for events in [&resolved[..], &closed[..]] {
        let mut c = case(Standard, Web, P3, "2026-11-16T10:00:00+09:00")
            .at("2026-11-16T10:30:00+09:00", status(Open));
        for (at, e) in events {
            c = c.at(at, e.clone());
        }
        let r = c.report("2026-12-10T12:00:00+09:00");
        assert_eq!(kinds(&r), [FirstResponse], "{events:?}");
        let fr = clock(&r, FirstResponse);
        assert_eq!(fr.state, Stopped, "{events:?}");
        assert_eq!((fr.due, fr.remaining_secs), (None, None), "{events:?}");
        assert_eq!(r.next_due(), None, "{events:?}");
    }
}

#[test]
fn reopen_starts_a_fresh_update_interval_from_the_reopen_instant() {
    // tac-care P1 update 4h 24x7; closed Monday, reopened Wednesday 09:00 → due 13:00.
    let closed = case(TacCare, Phone, P1, "2026-11-16T10:00:00+09:00")
        .at("2026-11-16T10:10:00+09:00", status(Open))
        .at("2026-11-16T10:10:00+09:00", public_note())
        .at("2026-11-16T11:00:00+09:00", status(Resolved))
        .at("2026-11-16T12:00:00+09:00", status(Closed));
    // tac-care P2 update 1bd; resolved Monday, back to open Wednesday 09:00 → due 17:00.
    let resolved = answered_p2().at("2026-11-16T11:00:00+09:00", status(Resolved));
    for (from, want) in [
        (closed, "2026-11-18T13:00:00+09:00"),
        (resolved, "2026-11-18T17:00:00+09:00"),
    ] {
        let r = from
            .at("2026-11-18T09:00:00+09:00", status(Open))
            .report("2026-11-18T10:00:00+09:00");
        let up = clock(&r, Update);
        assert_eq!(up.state, Running);
        assert_eq!(up.started_at, t("2026-11-18T09:00:00+09:00"));
        assert_eq!(due(up).as_deref(), Some(want));
        assert_eq!(up.earlier_breaches, 0);
        assert_eq!(clock(&r, FirstResponse).state, Met);
    }
}

#[test]
fn tiers_without_update_targets_have_no_update_clock() {
    for (tier, channel) in [
        (Standard, Phone),
        (Standard, Web),
        (Premium, Phone),
        (Premium, Web),
    ] {
        let r = case(tier, channel, P1, "2026-11-16T10:00:00+09:00")
            .at("2026-11-16T10:10:00+09:00", public_note())
            .at("2026-11-17T10:10:00+09:00", public_note())
            .report("2026-11-30T10:00:00+09:00");
        assert_eq!(kinds(&r), [FirstResponse], "{tier} {channel}");
    }
}

#[test]
fn earlier_update_breaches_are_counted_after_a_new_public_note() {
    // tac-care P1 update 4h 24x7: note 10:10 → due 14:10, missed; next note 15:00 → due 19:00.
    let c = case(TacCare, Phone, P1, "2026-11-16T10:00:00+09:00")
        .at("2026-11-16T10:10:00+09:00", public_note());
    let r = c.report("2026-11-16T14:30:00+09:00");
    let up = clock(&r, Update);
    assert_eq!(up.state, Breached);
    assert_eq!(due(up).as_deref(), Some("2026-11-16T14:10:00+09:00"));
    assert_eq!(up.remaining_secs, Some(-20 * 60));
    assert_eq!(up.earlier_breaches, 0);

    // (public notes after 10:10, earlier breaches, due)
    #[rustfmt::skip]
    let table: [(&[&str], u32, &str); 3] = [
        (&["2026-11-16T15:00:00+09:00"], 1, "2026-11-16T19:00:00+09:00"),
        (&["2026-11-16T14:00:00+09:00"], 0, "2026-11-16T18:00:00+09:00"),
        (&["2026-11-16T15:00:00+09:00", "2026-11-16T20:00:00+09:00"],
         2, "2026-11-17T00:00:00+09:00"),
    ];
    for (notes, breaches, want) in table {
        let mut c = case(TacCare, Phone, P1, "2026-11-16T10:00:00+09:00")
            .at("2026-11-16T10:10:00+09:00", public_note());
        for at in notes {
            c = c.at(at, public_note());
        }
        let last = t(notes[notes.len() - 1]);
        let r = c.report_at(last + chrono::Duration::minutes(30));
        let up = clock(&r, Update);
        assert_eq!(up.state, Running, "{notes:?}");
        assert_eq!(up.earlier_breaches, breaches, "{notes:?}");
        assert_eq!(due(up).as_deref(), Some(want), "{notes:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Priority and tier changes
// ---------------------------------------------------------------------------------------------

#[test]
fn priority_change_recomputes_targets_from_the_same_start() {
    // tac-care created 10:00 as P3 (8h 24x7 → 18:00); changed at 10:30.
    #[rustfmt::skip]
    let table = [
        (P1, "2026-11-16T11:00:00+09:00"),
        (P2, "2026-11-16T11:00:00+09:00"),
        (P3, "2026-11-16T18:00:00+09:00"),
        (P4, "2026-11-17T10:00:00+09:00"),
    ];
    for (to, want) in table {
        let r = case(TacCare, Web, P3, "2026-11-16T10:00:00+09:00")
            .at("2026-11-16T10:30:00+09:00", priority(to))
            .report("2026-11-16T10:45:00+09:00");
        let fr = clock(&r, FirstResponse);
        assert_eq!(fr.state, Running, "P3 → {to}");
        assert_eq!(fr.started_at, t("2026-11-16T10:00:00+09:00"));
        assert_eq!(due(fr).as_deref(), Some(want), "P3 → {to}");
    }
}

#[test]
fn priority_change_recomputes_the_update_interval_from_its_start() {
    // tac-care update: P2 1bd from Monday 10:30 (→ Tuesday 10:30); P1 is 4h 24x7 (→ 14:30).
    let r = answered_p2()
        .at("2026-11-16T11:00:00+09:00", priority(P1))
        .report("2026-11-16T12:00:00+09:00");
    let up = clock(&r, Update);
    assert_eq!(up.started_at, t("2026-11-16T10:30:00+09:00"));
    assert_eq!(due(up).as_deref(), Some("2026-11-16T14:30:00+09:00"));
}

#[test]
fn a_breach_under_the_old_target_stays_after_a_looser_one() {
    // tac-care P1 created 10:00 → first response due 11:00. P4 would give 24h.
    // (change at, state, due)
    #[rustfmt::skip]
    let table = [
        ("2026-11-16T10:30:00+09:00", Running, "2026-11-17T10:00:00+09:00"),
        ("2026-11-16T11:30:00+09:00", Breached, "2026-11-16T11:00:00+09:00"),
    ];
    for (change, state, want) in table {
        let c = case(TacCare, Web, P1, "2026-11-16T10:00:00+09:00").at(change, priority(P4));
        let fr = clock(&c.report("2026-11-16T12:00:00+09:00"), FirstResponse).clone();
        assert_eq!(fr.state, state, "P1 → P4 at {change}");
        assert_eq!(due(&fr).as_deref(), Some(want), "P1 → P4 at {change}");

        // Answering later does not undo the breach.
        let r = c
            .at("2026-11-16T12:00:00+09:00", public_note())
            .report("2026-11-16T13:00:00+09:00");
        let fr = clock(&r, FirstResponse);
        assert_eq!(met(fr).as_deref(), Some("2026-11-16T12:00:00+09:00"));
        assert_eq!(fr.state, if state == Running { Met } else { state });
        if fr.state == Breached {
            assert_eq!(fr.remaining_secs, Some(-HOUR));
        }
    }
}

#[test]
fn tier_change_to_self_service_removes_the_tier_clocks() {
    let r = case(TacCare, Web, P1, "2026-11-16T10:00:00+09:00")
        .at("2026-11-16T10:10:00+09:00", public_note())
        .at("2026-11-16T10:30:00+09:00", tier(SelfService))
        .report("2026-11-16T18:00:00+09:00");
    assert!(r.clocks.is_empty(), "{:?}", r.clocks);
    assert_eq!(r.next_due(), None);

    // Created self_service: no clocks at all; going to tac-care recomputes from creation.
    let c = case(SelfService, Web, P3, "2026-11-16T10:00:00+09:00");
    assert!(c.report("2026-11-16T10:30:00+09:00").clocks.is_empty());
    let r = c
        .at("2026-11-16T11:00:00+09:00", tier(TacCare))
        .report("2026-11-16T11:30:00+09:00");
    assert_eq!(kinds(&r), [FirstResponse]);
    assert_eq!(
        due(clock(&r, FirstResponse)).as_deref(),
        Some("2026-11-16T18:00:00+09:00")
    );
}

// ---------------------------------------------------------------------------------------------
// Auto-close
// ---------------------------------------------------------------------------------------------

/// tac-care P3, answered, waiting on the customer from Friday 2026-11-20 15:00.
fn waiting_from_friday() -> Case {
    case(TacCare, Web, P3, "2026-11-20T10:00:00+09:00")
        .at("2026-11-20T10:30:00+09:00", status(Open))
        .at("2026-11-20T10:30:00+09:00", public_note())
        .at("2026-11-20T15:00:00+09:00", status(WaitingOnCustomer))
}

#[test]
fn auto_close_runs_fourteen_calendar_days_while_waiting_on_the_customer() {
    assert!(
        find(
            &answered_p2().report("2026-11-16T12:00:00+09:00"),
            AutoClose
        )
        .is_none()
    );

    // (event on Tuesday 2026-11-24 10:00, now, state, due; none when the clock is gone)
    #[rustfmt::skip]
    let table = [
        // Fourteen wall-clock days, across weekends and the Nov 23 holiday.
        (None, "2026-11-24T10:00:00+09:00", Some(Running), Some("2026-12-04T15:00:00+09:00")),
        // A customer reply restarts it.
        (Some(customer_note()), "2026-11-25T10:00:00+09:00",
         Some(Running), Some("2026-12-08T10:00:00+09:00")),
        // Support's own notes do not.
        (Some(public_note()), "2026-11-25T10:00:00+09:00",
         Some(Running), Some("2026-12-04T15:00:00+09:00")),
        (Some(internal_note()), "2026-11-25T10:00:00+09:00",
         Some(Running), Some("2026-12-04T15:00:00+09:00")),
        // Leaving waiting_on_customer removes it.
        (Some(status(Open)), "2026-11-25T10:00:00+09:00", None, None),
        // Overdue: breached.
        (None, "2026-12-05T15:00:00+09:00", Some(Breached), Some("2026-12-04T15:00:00+09:00")),
    ];
    for (event, now, state, want) in table {
        let mut c = waiting_from_friday();
        if let Some(e) = &event {
            c = c.at("2026-11-24T10:00:00+09:00", e.clone());
        }
        let r = c.report(now);
        let ac = find(&r, AutoClose);
        assert_eq!(ac.map(|c| c.state), state, "{event:?} at {now}");
        let Some(ac) = ac else { continue };
        assert_eq!(ac.calendar, "24x7");
        assert_eq!(due(ac).as_deref(), want, "{event:?} at {now}");
        if ac.state == Breached {
            assert_eq!(ac.remaining_secs, Some(-24 * HOUR));
        }
    }
}

#[test]
fn auto_close_starts_afresh_on_each_wait() {
    let r = waiting_from_friday()
        .at("2026-11-24T10:00:00+09:00", status(Open))
        .at("2026-11-26T11:00:00+09:00", status(WaitingOnCustomer))
        .report("2026-11-26T12:00:00+09:00");
    let ac = clock(&r, AutoClose);
    assert_eq!(ac.started_at, t("2026-11-26T11:00:00+09:00"));
    assert_eq!(due(ac).as_deref(), Some("2026-12-10T11:00:00+09:00"));
}

// ---------------------------------------------------------------------------------------------
// RMA return
// ---------------------------------------------------------------------------------------------

#[test]
fn rma_return_is_ten_business_days_from_issue() {
    // (issued, due) — worked by hand on jp-business, 8h business days.
    #[rustfmt::skip]
    let table = [
        // Tue 17 10:00: 7h+8+8+8 (Fri 20) = 31h; Sat, Sun, Mon 23 holiday; Tue 24–Fri 27 = 63h;
        // Mon 30 = 71h; Tue Dec 1 = 79h; Wed Dec 2 09:00 + 1h.
        ("2026-11-17T10:00:00+09:00", "2026-12-02T10:00:00+09:00"),
        // Wed 18 09:00: Wed–Fri = 24h; Tue 24–Fri 27 = 56h; Mon 30, Tue 1, Wed 2 = 80h.
        ("2026-11-18T09:00:00+09:00", "2026-12-02T17:00:00+09:00"),
        // Wed Dec 23 14:00: 3+8+8 (Fri 25) +8 (Mon 28) = 27h; break Dec 29 – Jan 3;
        // Mon Jan 4 – Fri Jan 8 = 67h; Mon Jan 11 Coming of Age Day; Tue 12 = 75h; Wed 13 +5h.
        ("2026-12-23T14:00:00+09:00", "2027-01-13T14:00:00+09:00"),
        // Issued on a Saturday: counts from Tuesday 09:00 (Monday is a holiday).
        ("2026-11-21T11:00:00+09:00", "2026-12-07T17:00:00+09:00"),
    ];
    for (issued, want) in table {
        let r = answered_p2()
            .at(issued, rma_issued("R21056835"))
            .report(issued);
        let c = rma_clock(&r, "R21056835");
        assert_eq!(c.state, Running, "issued {issued}");
        assert_eq!(c.calendar, "jp-business");
        assert_eq!(c.started_at, t(issued));
        assert_eq!(due(c).as_deref(), Some(want), "issued {issued}");
        assert_eq!(c.remaining_working_secs, Some(80 * HOUR), "issued {issued}");
    }
}

#[test]
fn several_rmas_each_have_their_own_clock() {
    let c = answered_p2()
        .at("2026-11-17T10:00:00+09:00", rma_issued("R21056835"))
        .at("2026-11-18T09:00:00+09:00", rma_issued("R21056836"))
        .at("2026-11-30T11:00:00+09:00", rma_settled("R21056835"));

    let r = c.report("2026-12-02T12:00:00+09:00");
    let first = rma_clock(&r, "R21056835");
    assert_eq!(first.state, Met);
    assert_eq!(met(first).as_deref(), Some("2026-11-30T11:00:00+09:00"));
    let second = rma_clock(&r, "R21056836");
    assert_eq!(second.state, Running);
    assert_eq!(due(second).as_deref(), Some("2026-12-02T17:00:00+09:00"));
    assert_eq!(second.remaining_working_secs, Some(5 * HOUR));

    // Overdue: flagged; settling late keeps the flag and says how late.
    let r = c.report("2026-12-03T10:00:00+09:00");
    let second = rma_clock(&r, "R21056836");
    assert_eq!(second.state, Breached);
    assert_eq!(second.remaining_working_secs, Some(-HOUR));
    let r = c
        .at("2026-12-04T09:00:00+09:00", rma_settled("R21056836"))
        .report("2026-12-10T10:00:00+09:00");
    let second = rma_clock(&r, "R21056836");
    assert_eq!(second.state, Breached);
    assert_eq!(met(second).as_deref(), Some("2026-12-04T09:00:00+09:00"));
    assert_eq!(second.remaining_working_secs, Some(-8 * HOUR));
    assert_eq!(rma_clock(&r, "R21056835").state, Met);
}

// ---------------------------------------------------------------------------------------------
// P1 reachability
// ---------------------------------------------------------------------------------------------

/// tac-care P1 created Monday 10:00; contact attempts fail from 10:05.
fn unreachable_p1() -> Case {
    case(TacCare, Phone, P1, "2026-11-16T10:00:00+09:00")
        .at("2026-11-16T10:05:00+09:00", contact_failed())
        .at("2026-11-16T10:35:00+09:00", contact_failed())
}

#[test]
fn p1_downgrade_becomes_available_one_hour_after_contact_first_fails() {
    // (now, available)
    for (now, available) in [
        ("2026-11-16T10:05:00+09:00", false),
        ("2026-11-16T11:04:59+09:00", false),
        ("2026-11-16T11:05:00+09:00", true),
        ("2026-11-16T13:00:00+09:00", true),
    ] {
        let p = unreachable_p1().report(now).p1_contact;
        assert_eq!(
            p.failing_since,
            Some(t("2026-11-16T10:05:00+09:00")),
            "{now}"
        );
        assert_eq!(
            p.downgrade_available_at,
            Some(t("2026-11-16T11:05:00+09:00")),
            "{now}"
        );
        assert_eq!(p.downgrade_available, available, "{now}");
        assert!(!p.temporarily_downgraded);
    }
}

#[test]
fn p1_contact_rule_is_cleared_by_reaching_the_customer_or_leaving_p1() {
    // (event at 10:40, after both failed attempts; still failing)
    #[rustfmt::skip]
    let table = [
        (public_note(), false),
        (call(), false),
        (internal_note(), true),
        (status(Open), true),
        (priority(P2), false),
    ];
    for (event, failing) in table {
        let p = unreachable_p1()
            .at("2026-11-16T10:40:00+09:00", event.clone())
            .report("2026-11-16T12:00:00+09:00")
            .p1_contact;
        assert_eq!(p.failing_since.is_some(), failing, "{event:?}");
        assert_eq!(p.downgrade_available, failing, "{event:?}");
        assert_eq!(p.downgrade_available_at.is_some(), failing, "{event:?}");
    }
    // Failed contact on a case that is not P1 starts nothing.
    let p = case(TacCare, Phone, P2, "2026-11-16T10:00:00+09:00")
        .at("2026-11-16T10:05:00+09:00", contact_failed())
        .report("2026-11-16T12:00:00+09:00")
        .p1_contact;
    assert_eq!(p, Default::default());
}

#[test]
fn a_logged_call_meets_first_response_and_restarts_the_update_clock() {
    // tac-care P1: first response due 11:00; a call at 10:20 meets it, next update due 14:20.
    let r = case(TacCare, Phone, P1, "2026-11-16T10:00:00+09:00")
        .at("2026-11-16T10:20:00+09:00", call())
        .report("2026-11-16T10:30:00+09:00");
    let fr = clock(&r, FirstResponse);
    assert_eq!(fr.state, Met);
    assert_eq!(met(fr).as_deref(), Some("2026-11-16T10:20:00+09:00"));
    let up = clock(&r, Update);
    assert_eq!(up.state, Running);
    assert_eq!(due(up).as_deref(), Some("2026-11-16T14:20:00+09:00"));
}

#[test]
fn a_report_moved_on_in_time_makes_the_downgrade_available() {
    // The server's report from 10:40 says "from 11:05"; a client ticking it on says when it is.
    let calendars = Calendars::builtin();
    let then = unreachable_p1().report("2026-11-16T10:40:00+09:00");
    assert!(!then.p1_contact.downgrade_available);
    for (later, available) in [
        ("2026-11-16T11:04:59+09:00", false),
        ("2026-11-16T11:05:00+09:00", true),
        ("2026-11-16T12:30:00+09:00", true),
    ] {
        let ticked = then.at(t(later), &calendars).p1_contact;
        assert_eq!(ticked.downgrade_available, available, "{later}");
        assert_eq!(
            ticked,
            unreachable_p1().report(later).p1_contact,
            "ticking agrees with recomputing at {later}"
        );
    }
}

#[test]
fn temporary_downgrade_is_remembered_until_p1_is_restored() {
    let downgraded = unreachable_p1().at("2026-11-16T11:10:00+09:00", temporary_downgrade());
    // (later event, temporarily downgraded)
    #[rustfmt::skip]
    let table = [
        (None, true),
        (Some(priority(P1)), false),
        (Some(public_note()), true),
    ];
    for (event, flag) in table {
        let mut c = downgraded.clone();
        if let Some(e) = &event {
            c = c.at("2026-11-16T12:00:00+09:00", e.clone());
        }
        let p = c.report("2026-11-16T13:00:00+09:00").p1_contact;
        assert_eq!(p.temporarily_downgraded, flag, "{event:?}");
        assert!(!p.downgrade_available, "{event:?}");
    }
    // A permanent P1 → P2 change is not a temporary downgrade.
    let p = unreachable_p1()
        .at("2026-11-16T11:10:00+09:00", priority(P2))
        .report("2026-11-16T13:00:00+09:00")
        .p1_contact;
    assert!(!p.temporarily_downgraded);
}

// ---------------------------------------------------------------------------------------------
// Queue order and wire form
// ---------------------------------------------------------------------------------------------

#[test]
fn next_due_is_the_earliest_running_or_breached_due() {
    // tac-care P2 created Monday 10:00 (first response due 11:00), RMA issued 10:30.
    let with_rma = case(TacCare, Web, P2, "2026-11-16T10:00:00+09:00")
        .at("2026-11-16T10:30:00+09:00", rma_issued("R21056835"));
    // (extra public note, now, next due)
    #[rustfmt::skip]
    let table = [
        (None, "2026-11-16T10:40:00+09:00", Some("2026-11-16T11:00:00+09:00")),
        // Breached and still unmet: it keeps the case at the top.
        (None, "2026-11-16T11:30:00+09:00", Some("2026-11-16T11:00:00+09:00")),
        // Met: the next update is what comes due next.
        (Some("2026-11-16T10:50:00+09:00"), "2026-11-16T11:30:00+09:00",
         Some("2026-11-17T10:50:00+09:00")),
        // Breached but met late: no longer pending.
        (Some("2026-11-16T11:20:00+09:00"), "2026-11-16T11:30:00+09:00",
         Some("2026-11-17T11:20:00+09:00")),
    ];
    for (note, now, want) in table {
        let mut c = with_rma.clone();
        if let Some(at) = note {
            c = c.at(at, public_note());
        }
        let r = c.report(now);
        assert_eq!(r.next_due().map(jst).as_deref(), want, "{note:?} at {now}");
    }
    // Waiting on the customer: the update is paused, and the auto-close (Nov 30 11:00) comes
    // before the RMA (10bd from Monday 10:30 = Tuesday Dec 1 10:30).
    let r = with_rma
        .at("2026-11-16T10:50:00+09:00", public_note())
        .at("2026-11-16T10:50:00+09:00", status(Open))
        .at("2026-11-16T11:00:00+09:00", status(WaitingOnCustomer))
        .report("2026-11-16T12:00:00+09:00");
    assert_eq!(
        r.next_due().map(jst).as_deref(),
        Some("2026-11-30T11:00:00+09:00")
    );
}

#[test]
fn an_rma_return_never_drives_the_desk_deadline() {
    // Backup-vendor standard web P3: first response met at 10:30, no update target after it;
    // an RMA issued at 10:40 is due back 10 business days later and is long overdue by Dec 10.
    let c = case(Standard, Web, P3, "2026-11-16T10:00:00+09:00")
        .at("2026-11-16T10:30:00+09:00", status(Open))
        .at("2026-11-16T10:30:00+09:00", public_note())
        .at("2026-11-16T10:40:00+09:00", rma_issued("R21056835"));
    for now in ["2026-11-16T12:00:00+09:00", "2026-12-10T12:00:00+09:00"] {
        let r = c.report(now);
        // No desk clock runs: no next deadline, and an overdue RMA is no desk breach.
        assert_eq!(r.next_due(), None, "{now}");
        assert!(!r.desk_breached(), "{now}");
        assert_eq!(r.desk_counting().count(), 0, "{now}");
        // The RMA's own clock is still there for the SLA pane.
        assert!(clock(&r, RmaReturn).counting, "{now}");
    }
    assert_eq!(
        clock(&c.report("2026-12-10T12:00:00+09:00"), RmaReturn).state,
        Breached
    );

    // A network-vendor case keeps its update deadline as the next due, RMA overdue or not.
    let r = case(TacCare, Web, P3, "2026-11-16T10:00:00+09:00")
        .at("2026-11-16T10:30:00+09:00", rma_issued("R21056835"))
        .at("2026-12-10T10:00:00+09:00", public_note())
        .report("2026-12-10T12:00:00+09:00");
    assert_eq!(clock(&r, RmaReturn).state, Breached);
    assert_eq!(clock(&r, FirstResponse).state, Breached);
    // First response was met late, so only the update clock (3 business days) counts.
    assert!(!r.desk_breached());
    assert_eq!(r.next_due(), clock(&r, Update).due);
}

#[test]
fn case_history_round_trips_through_json() {
    let mut c = unreachable_p1()
        .at("2026-11-16T10:40:00+09:00", status(Open))
        .at("2026-11-16T10:50:00+09:00", internal_note())
        .at("2026-11-16T11:10:00+09:00", temporary_downgrade())
        .at("2026-11-16T11:20:00+09:00", call())
        .at("2026-11-16T11:30:00+09:00", customer_note())
        .at("2026-11-16T12:00:00+09:00", priority(P1))
        .at("2026-11-16T12:10:00+09:00", tier(TacAdvanced))
        .at("2026-11-16T12:20:00+09:00", rma_issued("R21056835"))
        .at("2026-11-16T12:30:00+09:00", status(WaitingOnCustomer))
        .at("2026-11-20T12:30:00+09:00", rma_settled("R21056835"));
    c.0.calendar = Some("jp-business".into());
    let json = serde_json::to_string(&c.0).expect("serialises");
    let back: CaseHistory = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, c.0);

    // The wire form, as the server sends it; optional fields may be left out.
    let wire = r#"{
        "created_at": "2026-11-20T07:00:00Z", "priority": "P3", "tier": "standard",
        "channel": "web",
        "events": [
            {"at": "2026-11-20T07:30:00Z", "event": "priority_changed", "to": "P2",
             "temporary": true},
            {"at": "2026-11-24T01:00:00Z", "event": "note", "visibility": "public",
             "by": "support"},
            {"at": "2026-11-24T02:00:00Z", "event": "rma_issued", "rma": "R21056835"}
        ]
    }"#;
    let h: CaseHistory = serde_json::from_str(wire).expect("wire form parses");
    assert_eq!(h.created_at, t("2026-11-20T16:00:00+09:00"));
    assert_eq!(h.calendar, None);
    assert_eq!(
        h.events[0].event,
        CaseEvent::PriorityChanged {
            to: P2,
            temporary: true
        }
    );
    assert_eq!(h.events[1].event, public_note());
    assert_eq!(h.events[2].event, rma_issued("R21056835"));

    // And a report survives the trip too.
    let r = c.report("2026-11-21T10:00:00+09:00");
    let back: ClockReport =
        serde_json::from_str(&serde_json::to_string(&r).expect("serialises")).expect("parses");
    assert_eq!(back, r);
}

// ---------------------------------------------------------------------------------------------
// Breached clocks, and what `now` means
// ---------------------------------------------------------------------------------------------

/// tac-care P1 answered at 10:10 (update 4h 24x7 → due 14:10) and not updated in time.
fn update_missed_at_14_10() -> Case {
    case(TacCare, Phone, P1, "2026-11-16T10:00:00+09:00")
        .at("2026-11-16T10:10:00+09:00", status(Open))
        .at("2026-11-16T10:10:00+09:00", public_note())
}

#[test]
fn a_breached_clock_stops_when_the_case_is_resolved() {
    // Resolved at 15:00, 50 minutes after the missed update: breached by 50m, for good.
    let c = update_missed_at_14_10().at("2026-11-16T15:00:00+09:00", status(Resolved));
    for now in ["2026-11-16T15:00:00+09:00", "2026-11-20T15:00:00+09:00"] {
        let r = c.report(now);
        let up = clock(&r, Update);
        assert_eq!(up.state, Breached, "{now}");
        assert_eq!(due(up).as_deref(), Some("2026-11-16T14:10:00+09:00"));
        assert_eq!(up.remaining_secs, Some(-50 * 60), "{now}");
        assert_eq!(up.remaining_working_secs, Some(-50 * 60), "{now}");
        // All clocks are stopped: nothing is due on a resolved case.
        assert_eq!(r.next_due(), None, "{now}");
    }
}

#[test]
fn a_breached_update_clock_excludes_the_paused_span_from_its_lateness() {
    // Waiting on the customer Monday 15:00 → Wednesday 15:00; counted after the 14:10 due:
    // 14:10–15:00 and Wednesday 15:00–16:00 = 1h50m late, not 49h50m.
    let r = update_missed_at_14_10()
        .at("2026-11-16T15:00:00+09:00", status(WaitingOnCustomer))
        .at("2026-11-18T15:00:00+09:00", status(Open))
        .report("2026-11-18T16:00:00+09:00");
    let up = clock(&r, Update);
    assert_eq!(up.state, Breached);
    assert_eq!(up.remaining_secs, Some(-110 * 60));
    assert_eq!(up.remaining_working_secs, Some(-110 * 60));
}

#[test]
fn events_after_now_are_not_yet_counted() {
    // standard phone P1, due 12:00, answered at 13:00; at 11:00 it is still running.
    let r = case(Standard, Phone, P1, "2026-11-16T10:00:00+09:00")
        .at("2026-11-16T13:00:00+09:00", public_note())
        .report("2026-11-16T11:00:00+09:00");
    let fr = clock(&r, FirstResponse);
    assert_eq!(fr.state, Running);
    assert_eq!(fr.met_at, None);
    assert_eq!(fr.remaining_secs, Some(HOUR));
    assert_eq!(kinds(&r), [FirstResponse]);
}

// ---------------------------------------------------------------------------------------------
// Offline ticking: a client moves the server's last report on to now
// ---------------------------------------------------------------------------------------------

#[test]
fn a_report_ticked_forward_matches_one_computed_then() {
    // With nothing happening in between, moving an old report on in time gives the same
    // clocks the engine computes at the later instant: what lets countdowns tick offline.
    let cases = [
        case(Standard, Web, P3, "2026-11-20T16:00:00+09:00"),
        case(TacCare, Phone, P1, "2026-11-20T16:00:00+09:00"),
        case(Premium, Web, P2, "2026-11-19T10:00:00+09:00")
            .at("2026-11-19T11:00:00+09:00", public_note()),
        case(Standard, Web, P4, "2026-11-02T09:30:00+09:00")
            .at("2026-11-02T10:00:00+09:00", public_note())
            .at("2026-11-02T10:05:00+09:00", status(WaitingOnCustomer)),
    ];
    let calendars = Calendars::builtin();
    let then = "2026-11-20T16:30:00+09:00";
    for later in [
        "2026-11-20T17:30:00+09:00",
        "2026-11-21T09:00:00+09:00",
        "2026-11-25T16:00:01+09:00",
        "2026-12-30T12:00:00+09:00",
    ] {
        for c in &cases {
            let ticked = c.report(then).at(t(later), &calendars);
            let fresh = c.report(later);
            assert_eq!(ticked.at, fresh.at);
            for (a, b) in ticked.clocks.iter().zip(&fresh.clocks) {
                assert_eq!(
                    (
                        a.kind,
                        a.state,
                        a.due,
                        a.remaining_secs,
                        a.remaining_working_secs
                    ),
                    (
                        b.kind,
                        b.state,
                        b.due,
                        b.remaining_secs,
                        b.remaining_working_secs
                    ),
                    "{later}"
                );
            }
        }
    }
}

#[test]
fn calendars_rebuilt_from_the_servers_specs_compute_the_same() {
    let builtin = Calendars::builtin();
    let specs: Vec<_> = builtin.iter().map(|c| c.spec()).collect();
    let rebuilt = Calendars::from_specs(&specs).expect("specs rebuild");
    let from = t("2026-12-25T15:00:00+09:00");
    for cal in builtin.iter() {
        let other = rebuilt.get(cal.name()).expect("same names");
        assert_eq!(other.spec(), cal.spec());
        let to = casedesk::sla::add_seconds(from, 40 * HOUR, cal).unwrap();
        assert_eq!(
            casedesk::sla::add_seconds(from, 40 * HOUR, &other).unwrap(),
            to
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The due instant itself: breached only strictly after it (issue 13 item 14)
// ---------------------------------------------------------------------------------------------

#[test]
fn a_clock_that_stops_at_its_due_is_not_breached() {
    // standard phone P1: 2h business from Monday 10:00 → due 12:00.
    let resolved = case(Standard, Phone, P1, "2026-11-16T10:00:00+09:00")
        .at("2026-11-16T12:00:00+09:00", status(Resolved));
    for now in ["2026-11-16T12:00:00+09:00", "2026-11-20T12:00:00+09:00"] {
        let fr = clock(&resolved.report(now), FirstResponse).clone();
        assert_eq!(fr.state, Stopped, "{now}: {fr:?}");
        assert_eq!(fr.remaining_secs, None, "{now}");
    }
    // tac-care P2 update every business day: answered Monday 10:00 → due Tuesday 10:00, and
    // waiting on the customer from exactly then: paused with nothing left, not late.
    let waiting = case(TacCare, Phone, P2, "2026-11-16T09:30:00+09:00")
        .at("2026-11-16T10:00:00+09:00", status(Open))
        .at("2026-11-16T10:00:00+09:00", public_note())
        .at("2026-11-17T10:00:00+09:00", status(WaitingOnCustomer));
    let r = waiting.report("2026-11-18T15:00:00+09:00");
    let up = clock(&r, Update);
    assert_eq!(up.state, Paused, "{up:?}");
    assert_eq!(up.remaining_working_secs, Some(0));
    assert!(!r.desk_breached());
    // Back to open Wednesday 15:00: no time left, so due then and breached a second later.
    let back = waiting.at("2026-11-18T15:00:00+09:00", status(Open));
    let up = clock(&back.report("2026-11-18T15:00:00+09:00"), Update).clone();
    assert_eq!(
        (up.state, due(&up).as_deref()),
        (Running, Some("2026-11-18T15:00:00+09:00"))
    );
    let up = clock(&back.report("2026-11-18T15:00:01+09:00"), Update).clone();
    assert_eq!((up.state, up.remaining_secs), (Breached, Some(-1)));
}

#[test]
fn at_the_due_instant_a_clock_runs_and_a_response_is_met() {
    // standard phone P1 due Monday 12:00.
    let c = case(Standard, Phone, P1, "2026-11-16T10:00:00+09:00");
    let calendars = Calendars::builtin();
    let fresh = c.report("2026-11-16T12:00:00+09:00");
    let ticked = c
        .report("2026-11-16T11:00:00+09:00")
        .at(t("2026-11-16T12:00:00+09:00"), &calendars);
    for r in [&fresh, &ticked] {
        let fr = clock(r, FirstResponse);
        assert_eq!((fr.state, fr.remaining_secs), (Running, Some(0)));
        assert!(!r.desk_breached());
    }
    let answered = c.at("2026-11-16T12:00:00+09:00", public_note());
    let fr = clock(&answered.report("2026-11-16T13:00:00+09:00"), FirstResponse).clone();
    assert_eq!(
        (fr.state, met(&fr).as_deref()),
        (Met, Some("2026-11-16T12:00:00+09:00"))
    );
}

// ---------------------------------------------------------------------------------------------
// Reopened straight into a wait (issue 13 item 13)
// ---------------------------------------------------------------------------------------------

#[test]
fn reopened_straight_into_waiting_on_customer_the_update_clock_is_paused() {
    // tac-care P1, update every 4h 24x7; resolved or closed Monday, back Wednesday 09:00
    // waiting on the customer: the fresh interval starts paused, and auto-close runs.
    for done in [Resolved, Closed] {
        let c = case(TacCare, Phone, P1, "2026-11-16T10:00:00+09:00")
            .at("2026-11-16T10:10:00+09:00", status(Open))
            .at("2026-11-16T10:10:00+09:00", public_note())
            .at("2026-11-16T15:00:00+09:00", status(done))
            .at("2026-11-18T09:00:00+09:00", status(WaitingOnCustomer));
        let r = c.report("2026-11-19T09:00:00+09:00");
        let up = clock(&r, Update);
        assert_eq!(up.state, Paused, "{done}: {up:?}");
        assert_eq!(jst(up.started_at), "2026-11-18T09:00:00+09:00");
        assert_eq!(up.remaining_working_secs, Some(4 * HOUR), "{done}");
        assert_eq!(clock(&r, AutoClose).state, Running, "{done}");
        assert!(!r.desk_breached(), "{done}");
        // Open again Thursday 10:00: the whole interval is still ahead.
        let r = c
            .at("2026-11-19T10:00:00+09:00", status(Open))
            .report("2026-11-19T10:00:00+09:00");
        let up = clock(&r, Update);
        assert_eq!(
            (up.state, due(up).as_deref()),
            (Running, Some("2026-11-19T14:00:00+09:00")),
            "{done}"
        );
    }
}
