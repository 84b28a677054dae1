//! Tickets to casedesk case summaries and back (pure).
//!
//! A ticket's id is the case number, its requestor the contact, its priority the priority
//! custom field's value (or RT's numeric Priority by the configured ranges), its status RT's
//! lifecycle word mapped by the profile. What RT has no place for (product, platform, site id,
//! RMAs, entitlements) stays empty; files on RT tickets are not read yet.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::wire::{Part, Ticket, Transaction};
use super::{RtSettings, SlaRules, history};
use crate::api::{Case, CaseSummary};
use crate::domain::{CaseNumber, Channel, ContactMethod, Priority, RequestType, UserType};
use crate::sla::{self, ClockError};

/// Why a ticket could not be read as a case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum MapError {
    /// The id is no case number (0, or beyond casedesk's range).
    #[error("RT ticket {0} has an id casedesk cannot use as a case number")]
    Number(u64),
    /// The SLA engine refused the ticket's history (a policy names an unknown calendar).
    #[error("SLA clocks of RT ticket {ticket}: {source}")]
    Clocks {
        /// The ticket.
        ticket: u64,
        /// What the engine said.
        source: ClockError,
    },
}

/// The case number of a ticket.
fn number(t: &Ticket) -> Result<CaseNumber, MapError> {
    u32::try_from(t.id)
        .ok()
        .and_then(|id| CaseNumber::ticket(id).ok())
        .ok_or(MapError::Number(t.id))
}

/// The ticket's priority: the priority field's value if it names one, else RT's number.
pub(super) fn priority(t: &Ticket, settings: &RtSettings) -> Priority {
    settings
        .priority_field
        .as_deref()
        .and_then(|f| t.field(f).first())
        .and_then(|v| settings.priority_of_value(v))
        .unwrap_or_else(|| {
            settings.priority_of_number(u32::try_from(t.priority.unwrap_or(0)).unwrap_or(u32::MAX))
        })
}

/// The first value of an optional custom field, if set.
fn field_value(t: &Ticket, name: Option<&str>) -> Option<String> {
    name.and_then(|n| t.field(n).first())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// A ticket as a queue row. `next_due`/`breached` stay unset (they need the history, see
/// [`case`]) and `version` 0 (RT lists carry no ETag).
pub(super) fn summary(t: &Ticket, settings: &RtSettings) -> Result<CaseSummary, MapError> {
    let contact = t.requestors.first().map(|r| r.id.as_str()).unwrap_or("");
    let (name, domain) = contact.split_once('@').unwrap_or((contact, ""));
    let created_at = t.created.unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    Ok(CaseSummary {
        number: number(t)?,
        subject: t.subject.clone(),
        priority: priority(t, settings),
        status: settings.status_of(&t.status),
        owner: t.owner_name().map(str::to_string),
        tier: field_value(t, settings.tier_field.as_deref())
            .and_then(|v| v.parse().ok())
            .unwrap_or(settings.default_tier),
        channel: Channel::Email,
        // RT has no request type; technical support is what a support queue's ticket is.
        request_type: RequestType::TechnicalSupport,
        site_name: field_value(t, settings.site_field.as_deref()).unwrap_or_default(),
        site_id: String::new(),
        account: domain.to_string(),
        contact_name: name.to_string(),
        product: String::new(),
        platform: String::new(),
        serial_number: field_value(t, settings.serial_field.as_deref()),
        created_at,
        updated_at: t.last_updated.unwrap_or(created_at),
        next_due: None,
        breached: false,
        temporarily_downgraded: false,
        open_escalations: 0,
        version: 0,
        backend_due: t.due,
    })
}

/// The fields of a ticket update that set a casedesk priority: the priority custom field when
/// the site has one (`{"CustomFields":{"Severity":"P1"}}`), else RT's numeric Priority in the
/// middle of the priority's range (`{"Priority":87}`).
pub(super) fn priority_fields(p: Priority, settings: &RtSettings) -> serde_json::Value {
    match settings.priority_field.as_deref() {
        Some(field) => json!({ "CustomFields": { field: p.as_str() } }),
        None => json!({ "Priority": settings.number_of_priority(p) }),
    }
}

/// A ticket with its transactions and their MIME parts as a case, its clocks computed at
/// `now` with the profile's rules. `version` is the ticket's ETag (its newest transaction);
/// `users` names the numeric user ids of owner changes ([`history::unknown_owner_ids`]).
#[allow(clippy::too_many_arguments)]
pub(super) fn case(
    t: &Ticket,
    txns: &[Transaction],
    parts: &[Part],
    users: &BTreeMap<String, String>,
    version: i64,
    settings: &RtSettings,
    sla: &SlaRules,
    now: DateTime<Utc>,
) -> Result<Case, MapError> {
    let mut summary = summary(t, settings)?;
    let timeline = history::timeline(t, txns, parts, users, settings);
    let clocks =
        sla::compute(&timeline.sla, now, &sla.policies, &sla.calendars).map_err(|source| {
            MapError::Clocks {
                ticket: t.id,
                source,
            }
        })?;
    summary.next_due = clocks.next_due();
    summary.breached = clocks.desk_breached();
    summary.temporarily_downgraded = clocks.p1_contact.temporarily_downgraded;
    summary.open_escalations = u32::try_from(
        timeline
            .escalations
            .iter()
            .filter(|e| e.state.is_open())
            .count(),
    )
    .unwrap_or(u32::MAX);
    summary.version = version;
    let contact_email = t
        .requestors
        .first()
        .map(|r| r.id.clone())
        .unwrap_or_default();
    Ok(Case {
        summary,
        description: timeline.description,
        software_version: String::new(),
        contact_email,
        contact_phone: String::new(),
        preferred_contact: ContactMethod::Email,
        contact_language: None,
        user_type: UserType::BusinessUser,
        problem_reports: Vec::new(),
        // Files on RT tickets are not read yet: the case lists none rather than some.
        attachments: Vec::new(),
        entitlement: None,
        unentitled: false,
        close_reason: None,
        notes: timeline.notes,
        history: timeline.history,
        escalations: timeline.escalations,
        rmas: Vec::new(),
        clocks,
        mail: None,
    })
}

#[cfg(test)]
mod tests {
    //! Real RT 5.0.3 answers (tests/fixtures/rt/captured, `_url`s trimmed): ticket 1 has a
    //! Severity and Tier, an internal comment, a reply, the requestor's mail, a call, a failed
    //! contact, an escalation, owner, status and subject changes; ticket 2 only RT's numeric
    //! Priority, a take and a give.
    use super::*;
    use crate::api::NoteKind;
    use crate::domain::{
        ContactMethod, ContractTier, EscalationKind, Party, Priority, Status, Visibility,
    };
    use crate::rt::wire::Collection;
    use crate::sla::{Calendars, CaseEvent, Policies};

    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!("../../tests/fixtures/rt/captured/", $name))
        };
    }

    struct Captured {
        ticket: Ticket,
        txns: Vec<Transaction>,
        parts: Vec<Part>,
    }

    fn captured(ticket: &str, history: &str, attachments: &str) -> Captured {
        Captured {
            ticket: serde_json::from_str(ticket).unwrap(),
            txns: serde_json::from_str::<Collection<Transaction>>(history)
                .unwrap()
                .items,
            parts: serde_json::from_str::<Collection<Part>>(attachments)
                .unwrap()
                .items,
        }
    }

    fn ticket1() -> Captured {
        captured(
            fixture!("ticket-1.json"),
            fixture!("ticket-1-history.json"),
            fixture!("ticket-1-attachments.json"),
        )
    }

    fn ticket2() -> Captured {
        captured(
            fixture!("ticket-2.json"),
            fixture!("ticket-2-history.json"),
            fixture!("ticket-2-attachments.json"),
        )
    }

    fn settings() -> RtSettings {
        crate::config::RtSettingsFile::default()
            .settings(vec!["Support".into()])
            .unwrap()
    }

    fn rules() -> SlaRules {
        SlaRules {
            policies: Policies::builtin(),
            calendars: Calendars::builtin(),
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    /// RT's user ids on the instance the fixtures came from (`GET /user/N`).
    fn users() -> BTreeMap<String, String> {
        [("14", "root"), ("31", "agent1"), ("33", "agent2")]
            .into_iter()
            .map(|(id, n)| (id.to_string(), n.to_string()))
            .collect()
    }

    fn case_of(c: &Captured, now: &str) -> Case {
        case(
            &c.ticket,
            &c.txns,
            &c.parts,
            &users(),
            67,
            &settings(),
            &rules(),
            at(now),
        )
        .unwrap()
    }

    #[test]
    fn a_ticket_with_custom_fields_is_a_summary() {
        let s = summary(&ticket1().ticket, &settings()).unwrap();
        assert_eq!(s.number.to_string(), "1");
        assert_eq!(s.subject, "Router link flapping on xe-0/0/1");
        assert_eq!(s.priority, Priority::P1, "from the Severity field");
        assert_eq!(s.status, Status::Resolved);
        assert_eq!(s.owner.as_deref(), Some("root"));
        assert_eq!(s.tier, ContractTier::Premium);
        assert_eq!(s.channel, Channel::Email);
        assert_eq!(s.site_name, "Tokyo DC1");
        assert_eq!(s.serial_number.as_deref(), Some("SN-4711"));
        assert_eq!(s.contact_name, "alice");
        assert_eq!(s.account, "example.test");
        assert_eq!(s.created_at, at("2026-11-26T19:29:32Z"));
        assert_eq!(s.updated_at, at("2026-11-26T19:29:57Z"));
        assert_eq!((s.version, s.next_due, s.backend_due), (0, None, None));
    }

    #[test]
    fn a_ticket_without_a_severity_takes_rts_number() {
        let mut c = ticket2();
        let s = summary(&c.ticket, &settings()).unwrap();
        // Priority 30 with the default ranges [75, 50, 25].
        assert_eq!(s.priority, Priority::P3);
        assert_eq!(s.status, Status::WaitingOnCustomer, "stalled");
        assert_eq!(s.owner.as_deref(), Some("agent2"));
        assert_eq!(s.tier, ContractTier::Standard, "the default tier");
        assert_eq!((s.site_name.as_str(), s.serial_number), ("", None));
        // A site without the field reads the number as well; a Nobody owner is none.
        let mut none = settings();
        none.priority_field = None;
        assert_eq!(
            summary(&ticket1().ticket, &none).unwrap().priority,
            Priority::P4
        );
        c.ticket.owner.as_mut().unwrap().id = "Nobody".into();
        c.ticket.due = Some(at("2026-12-01T00:00:00Z"));
        let s = summary(&c.ticket, &settings()).unwrap();
        assert_eq!(s.owner, None);
        assert_eq!(s.backend_due, Some(at("2026-12-01T00:00:00Z")));
    }

    #[test]
    fn priorities_are_written_where_the_site_keeps_them() {
        assert_eq!(
            priority_fields(Priority::P1, &settings()),
            json!({"CustomFields": {"Severity": "P1"}})
        );
        let mut none = settings();
        none.priority_field = None;
        let written = priority_fields(Priority::P3, &none);
        let n = written["Priority"].as_u64().unwrap();
        assert_eq!(none.priority_of_number(n as u32), Priority::P3);
    }

    #[test]
    fn notes_have_their_kind_visibility_and_party() {
        let c = case_of(&ticket1(), "2026-11-26T20:00:00Z");
        assert_eq!(
            c.description,
            "Our core router link goes down every 10 minutes.\nPlease help."
        );
        assert_eq!(c.contact_email, "alice@example.test");
        let notes: Vec<_> = c
            .notes
            .iter()
            .map(|n| (n.id, n.author.as_str(), n.party, n.visibility, n.kind))
            .collect();
        assert_eq!(
            notes,
            [
                (
                    49,
                    "root",
                    Party::Support,
                    Visibility::Internal,
                    NoteKind::Note
                ),
                (
                    50,
                    "root",
                    Party::Support,
                    Visibility::Public,
                    NoteKind::Note
                ),
                (
                    57,
                    "root",
                    Party::Support,
                    Visibility::Public,
                    NoteKind::Call
                ),
                (
                    58,
                    "root",
                    Party::Support,
                    Visibility::Internal,
                    NoteKind::ContactFailed
                ),
                (
                    64,
                    "alice@example.test",
                    Party::Customer,
                    Visibility::Public,
                    NoteKind::Note
                ),
            ]
        );
        let body = |id| c.notes.iter().find(|n| n.id == id).unwrap().body.as_str();
        assert_eq!(body(49), "Checked the logs: CRC errors on xe-0/0/1.");
        assert_eq!(
            body(57),
            "Called Alice, she confirmed the optics were replaced."
        );
        assert_eq!(body(58), "No answer on the mobile.");
        assert_eq!(body(64), "New optics arrived, still flapping.");
        assert_eq!(c.notes[4].email_from.as_deref(), Some("alice@example.test"));
        assert_eq!(c.notes[0].email_from, None);
        // RT's own mails (EmailRecord) are not notes.
        assert!(c.notes.iter().all(|n| !n.body.contains("Greetings")));
    }

    #[test]
    fn escalations_and_changes_read_from_the_history() {
        let c = case_of(&ticket1(), "2026-11-26T20:00:00Z");
        assert_eq!(c.escalations.len(), 1);
        let e = &c.escalations[0];
        assert_eq!((e.id, e.kind), (59, EscalationKind::EngineerNow));
        assert_eq!(e.contact_method, Some(ContactMethod::Phone));
        assert_eq!(e.reason, "Customer asks for an engineer on site.");
        assert_eq!(e.requested_by, "root");
        assert_eq!(e.case_number.to_string(), "1");
        assert_eq!(c.summary.open_escalations, 1);
        let lines: Vec<_> = c.history.iter().map(|h| h.summary.as_str()).collect();
        assert_eq!(
            lines,
            [
                "status new → open",
                "owner → agent1",
                "priority P2 → P1",
                "escalation requested: engineer_now",
                "status open → waiting_on_customer",
                "subject → Router link flapping on xe-0/0/1",
                "owner → root",
                "status waiting_on_customer → resolved",
            ]
        );
        assert_eq!(c.history[0].actor, "RT_System");
        assert_eq!(c.summary.version, 67);
        // Without the looked-up names, the newest owner is still known from the ticket.
        let t = ticket1();
        let bare = history::timeline(&t.ticket, &t.txns, &t.parts, &BTreeMap::new(), &settings());
        assert_eq!(bare.history[1].summary, "owner → user #31");
        assert_eq!(bare.history[6].summary, "owner → root");
        assert_eq!(history::unknown_owner_ids(&t.ticket, &t.txns), [31]);
        let t2 = ticket2();
        let lines: Vec<_> =
            history::timeline(&t2.ticket, &t2.txns, &t2.parts, &users(), &settings())
                .history
                .into_iter()
                .map(|h| h.summary)
                .collect();
        assert_eq!(
            lines,
            [
                "priority P1 → P3",
                "status new → open",
                "owner → root",
                "owner → agent2",
                "open → waiting_on_customer"
                    .replace("open", "status open")
                    .as_str(),
            ]
        );
    }

    #[test]
    fn the_sla_history_replays_rts_changes_from_creation() {
        let c = ticket1();
        let h = history::timeline(&c.ticket, &c.txns, &c.parts, &users(), &settings()).sla;
        assert_eq!(h.created_at, at("2026-11-26T19:29:32Z"));
        assert_eq!(h.priority, Priority::P2, "Severity before the change to P1");
        assert_eq!(h.tier, ContractTier::Premium);
        assert_eq!(h.channel, Channel::Email);
        let events: Vec<_> = h.events.iter().map(|e| e.event.clone()).collect();
        let public_support = CaseEvent::Note {
            visibility: Visibility::Public,
            by: Party::Support,
        };
        assert_eq!(
            events,
            [
                CaseEvent::Note {
                    visibility: Visibility::Internal,
                    by: Party::Support
                },
                public_support,
                CaseEvent::StatusChanged { to: Status::Open },
                CaseEvent::PriorityChanged {
                    to: Priority::P1,
                    temporary: false
                },
                CaseEvent::CallLogged,
                CaseEvent::ContactFailed,
                CaseEvent::StatusChanged {
                    to: Status::WaitingOnCustomer
                },
                CaseEvent::Note {
                    visibility: Visibility::Public,
                    by: Party::Customer
                },
                CaseEvent::StatusChanged {
                    to: Status::Resolved
                },
            ]
        );
        let c2 = ticket2();
        let h2 = history::timeline(&c2.ticket, &c2.txns, &c2.parts, &users(), &settings()).sla;
        assert_eq!(h2.priority, Priority::P1, "Priority 80 at creation");
        assert_eq!(
            h2.events[0].event,
            CaseEvent::PriorityChanged {
                to: Priority::P3,
                temporary: false
            }
        );
    }

    #[test]
    fn clocks_equal_what_sla_clocks_computes_for_the_same_history() {
        // Ticket 2 waits on the customer; ticket 1 is resolved. Seen a little later and a
        // day later, so running, paused and breached states are all compared.
        for (c, now) in [
            (ticket2(), "2026-11-26T19:45:00Z"),
            (ticket2(), "2026-11-27T19:45:00Z"),
            (ticket1(), "2026-11-26T19:29:50Z"),
            (ticket1(), "2026-11-28T00:00:00Z"),
        ] {
            let case = case_of(&c, now);
            // What `casedesk sla clocks --history FILE` does with the same history: read the
            // JSON and compute with the built-in policies and calendars.
            let h = history::timeline(&c.ticket, &c.txns, &c.parts, &users(), &settings()).sla;
            let file = serde_json::to_string(&h).unwrap();
            let read: crate::sla::CaseHistory = serde_json::from_str(&file).unwrap();
            let report =
                crate::sla::compute(&read, at(now), &Policies::builtin(), &Calendars::builtin())
                    .unwrap();
            assert_eq!(case.clocks, report, "{now}");
            assert_eq!(case.summary.next_due, report.next_due(), "{now}");
            assert_eq!(case.summary.breached, report.desk_breached(), "{now}");
        }
        // And the binary itself: `casedesk sla clocks --history ticket-N-sla-history.json
        // --now … --json` (the built-in policies) gave ticket-N-clocks-cli.json.
        for (c, now, history, clocks) in [
            (
                ticket1(),
                "2026-11-26T19:29:50Z",
                fixture!("ticket-1-sla-history.json"),
                fixture!("ticket-1-clocks-cli.json"),
            ),
            (
                ticket2(),
                "2026-11-27T19:45:00Z",
                fixture!("ticket-2-sla-history.json"),
                fixture!("ticket-2-clocks-cli.json"),
            ),
        ] {
            let h = history::timeline(&c.ticket, &c.txns, &c.parts, &users(), &settings()).sla;
            assert_eq!(h, serde_json::from_str(history).unwrap(), "{now}");
            let cli: crate::sla::ClockReport = serde_json::from_str(clocks).unwrap();
            assert_eq!(case_of(&c, now).clocks, cli, "{now}");
        }
        // Ticket 2's first response was met by the reply; stalled, it runs to auto-close.
        let c = case_of(&ticket2(), "2026-11-27T19:45:00Z");
        let kinds: Vec<_> = c
            .clocks
            .clocks
            .iter()
            .map(|k| (k.kind.as_str(), k.state.as_str(), k.met_at, k.due))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    "first_response",
                    "met",
                    Some(at("2026-11-26T19:29:57Z")),
                    None
                ),
                (
                    "auto_close",
                    "running",
                    None,
                    Some(at("2026-12-10T19:29:58Z"))
                ),
            ]
        );
    }
}
