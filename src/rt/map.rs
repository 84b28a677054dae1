//! Tickets to casedesk case summaries and back (pure).
//!
//! A ticket's id is the case number, its requestor the contact, its priority the priority
//! custom field's value (or RT's numeric Priority by the configured ranges), its status RT's
//! lifecycle word mapped by the profile. What RT has no place for (product, platform, site id,
//! RMAs, entitlements) stays empty; files on RT tickets are not read yet.

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
/// `now` with the profile's rules. `version` is the ticket's ETag (its newest transaction).
pub(super) fn case(
    t: &Ticket,
    txns: &[Transaction],
    parts: &[Part],
    version: i64,
    settings: &RtSettings,
    sla: &SlaRules,
    now: DateTime<Utc>,
) -> Result<Case, MapError> {
    let mut summary = summary(t, settings)?;
    let timeline = history::timeline(t, txns, parts, settings);
    let clocks = sla::compute(&timeline.sla, now, &sla.policies, &sla.calendars).map_err(
        |source| MapError::Clocks {
            ticket: t.id,
            source,
        },
    )?;
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
