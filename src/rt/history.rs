//! A ticket's transactions to casedesk's notes, history lines and the SLA engine's case
//! history (pure).
//!
//! RT keeps everything that happened to a ticket as transactions; casedesk reads them once and
//! derives the timeline (notes), the change history, the escalations and the [`CaseHistory`] its
//! own SLA engine replays. A public note is a correspond, an internal one a comment; calls,
//! failed contact attempts and escalations are comments whose first line is casedesk's marker
//! (`[casedesk:call]`, `[casedesk:contact-failed]`, `[casedesk:escalation kind=K]`), shown
//! without that line.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::RtSettings;
use super::wire::{Part, Ticket, Transaction};
use crate::api::{Escalation, HistoryEntry, NewEscalation, Note, NoteKind};
use crate::domain::{
    CaseNumber, Channel, ContactMethod, ContractTier, EscalationKind, EscalationState, Party,
    Priority, Status, Visibility,
};
use crate::sla::{CaseEvent, CaseHistory, TimedEvent};

/// The first line of a comment that records a phone call with the customer.
pub(super) const CALL_MARKER: &str = "[casedesk:call]";
/// The first line of a comment that records a failed attempt to reach the customer.
pub(super) const CONTACT_FAILED_MARKER: &str = "[casedesk:contact-failed]";
/// The start of the first line of a comment that records an escalation request.
const ESCALATION_PREFIX: &str = "[casedesk:escalation";

/// RT's stock user ids that history values name by number (the same on every RT 5).
const STOCK_USERS: [(&str, &str); 2] = [("1", "RT_System"), ("6", "Nobody")];

/// The marker line a note of this kind is written with (none for a plain note).
pub(super) fn note_marker(kind: NoteKind) -> Option<&'static str> {
    match kind {
        NoteKind::Note => None,
        NoteKind::Call => Some(CALL_MARKER),
        NoteKind::ContactFailed => Some(CONTACT_FAILED_MARKER),
    }
}

/// The comment text that records an escalation: the marker line, then the reason.
pub(super) fn escalation_comment(e: &NewEscalation) -> String {
    let contact = e
        .contact_method
        .map(|c| format!(" contact={}", c.as_str()))
        .unwrap_or_default();
    format!(
        "{ESCALATION_PREFIX} kind={}{contact}]\n{}",
        e.kind.as_str(),
        e.reason
    )
}

/// The comment or correspond text for a note: its marker line (if its kind has one), then
/// the body.
pub(super) fn note_text(kind: NoteKind, body: &str) -> String {
    match note_marker(kind) {
        Some(marker) => format!("{marker}\n{body}"),
        None => body.to_string(),
    }
}

/// What a marker line says a comment is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Marker {
    /// A logged call.
    Call,
    /// A failed contact attempt.
    ContactFailed,
    /// An escalation request.
    Escalation {
        kind: EscalationKind,
        contact: Option<ContactMethod>,
    },
}

/// The marker a text starts with, if any, and the text without that line.
fn read_marker(text: &str) -> (Option<Marker>, &str) {
    let trimmed = text.trim_start();
    let (first, rest) = trimmed.split_once('\n').unwrap_or((trimmed, ""));
    let first = first.trim();
    let marker = if first == CALL_MARKER {
        Some(Marker::Call)
    } else if first == CONTACT_FAILED_MARKER {
        Some(Marker::ContactFailed)
    } else if let Some(tags) = first
        .strip_prefix(ESCALATION_PREFIX)
        .and_then(|t| t.strip_suffix(']'))
        .filter(|t| t.is_empty() || t.starts_with(' '))
    {
        let mut kind = EscalationKind::FasterProgress;
        let mut contact = None;
        for tag in tags.split_whitespace() {
            match tag.split_once('=') {
                // `level=` is accepted as well: it is what a person writing the marker by hand
                // in RT's web UI is likely to type.
                Some(("kind" | "level", v)) => kind = v.parse().unwrap_or(kind),
                Some(("contact", v)) => contact = v.parse().ok(),
                _ => {}
            }
        }
        Some(Marker::Escalation { kind, contact })
    } else {
        None
    };
    match marker {
        Some(m) => (Some(m), rest.trim_matches('\n')),
        None => (None, text),
    }
}

/// Everything casedesk reads from a ticket's transactions.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Timeline {
    /// The Create transaction's text (the case description).
    pub description: String,
    /// Comments and corresponds, oldest first.
    pub notes: Vec<Note>,
    /// Status, owner, priority, tier and subject changes, oldest first.
    pub history: Vec<HistoryEntry>,
    /// Escalations recorded with casedesk's marker, oldest first.
    pub escalations: Vec<Escalation>,
    /// What the SLA engine replays.
    pub sla: CaseHistory,
}

/// The text of each transaction: its text/plain parts (files excluded), or its HTML parts
/// turned to text when it has no plain one.
fn bodies(parts: &[Part]) -> BTreeMap<u64, String> {
    let mut plain: BTreeMap<u64, Vec<&str>> = BTreeMap::new();
    let mut html: BTreeMap<u64, Vec<&str>> = BTreeMap::new();
    for part in parts {
        let Some(txn) = part.transaction else {
            continue;
        };
        if !part.filename.is_empty() {
            continue;
        }
        let kind = part.content_type.to_ascii_lowercase();
        if kind.starts_with("text/plain") {
            plain.entry(txn).or_default().push(&part.content);
        } else if kind.starts_with("text/html") {
            html.entry(txn).or_default().push(&part.content);
        }
    }
    let mut out: BTreeMap<u64, String> = plain
        .into_iter()
        .map(|(txn, texts)| (txn, texts.join("\n").trim_end().to_string()))
        .collect();
    for (txn, texts) in html {
        out.entry(txn).or_insert_with(|| {
            texts
                .iter()
                .map(|h| html_text(h))
                .collect::<Vec<_>>()
                .join("\n")
                .trim_end()
                .to_string()
        });
    }
    out
}

/// HTML as plain text: tags dropped (line breaks kept for `<br>` and `</p>`), the common
/// entities decoded. Enough for mail bodies; not a renderer.
fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end].trim().to_ascii_lowercase();
        if tag.starts_with("br") || tag == "/p" || tag == "/div" {
            out.push('\n');
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// User names by RT's numeric user id: the ones the caller looked up (`users`), RT's stock
/// users, and the current owner as the newest owner change's new value. Others read as
/// `user #N` (RT's history names owners only by id).
fn owner_names(
    t: &Ticket,
    txns: &[&Transaction],
    users: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut names: BTreeMap<String, String> = STOCK_USERS
        .iter()
        .map(|(id, name)| ((*id).to_string(), (*name).to_string()))
        .collect();
    names.extend(users.iter().map(|(id, name)| (id.clone(), name.clone())));
    if let (Some(last), Some(owner)) = (
        txns.iter().rev().find(|x| is_owner_change(x)),
        t.owner.as_ref(),
    ) {
        names.insert(last.new_value.clone(), owner.id.clone());
    }
    names
}

/// Whether a transaction moves the ticket's owner.
fn is_owner_change(x: &Transaction) -> bool {
    match x.kind.as_str() {
        "Set" => x.field == "Owner",
        "Take" | "Untake" | "Steal" | "Give" | "Force" => true,
        _ => false,
    }
}

/// The priority a ticket has with this value of the priority field and this numeric Priority.
fn effective_priority(settings: &RtSettings, field: Option<&str>, number: u64) -> Priority {
    field
        .and_then(|v| settings.priority_of_value(v))
        .unwrap_or_else(|| settings.priority_of_number(u32::try_from(number).unwrap_or(u32::MAX)))
}

/// The tier a value of the tier field names, else the default.
fn effective_tier(settings: &RtSettings, field: Option<&str>) -> ContractTier {
    field
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(settings.default_tier)
}

/// The id of the ticket's custom field `name`, as its CustomField transactions name it.
fn field_id<'a>(t: &'a Ticket, name: Option<&str>) -> Option<&'a str> {
    let name = name?;
    t.custom_fields
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))
        .map(|f| f.id.as_str())
}

/// The value a field had at creation: its current value with every later change undone.
fn at_creation(current: Option<String>, changes: &[&&Transaction]) -> Option<String> {
    match changes.first() {
        Some(first) => Some(first.old_value.clone()).filter(|v| !v.is_empty()),
        None => current,
    }
}

/// The numeric user ids the ticket's owner changes name that [`timeline`] cannot tell by
/// itself: look each up once (`GET /user/N`, ids never change) and pass them as `users`.
pub(super) fn unknown_owner_ids(t: &Ticket, txns: &[Transaction]) -> Vec<u64> {
    let mut sorted: Vec<&Transaction> = txns.iter().collect();
    sorted.sort_by_key(|x| x.id);
    let names = owner_names(t, &sorted, &BTreeMap::new());
    let mut ids: Vec<u64> = sorted
        .iter()
        .filter(|x| is_owner_change(x))
        .flat_map(|x| [&x.old_value, &x.new_value])
        .filter(|v| !names.contains_key(*v))
        .filter_map(|v| v.trim().parse().ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Reads a ticket's transactions (in any order) with their MIME parts; `users` names RT's
/// numeric user ids (see [`unknown_owner_ids`]; unknown ones read as `user #N`).
pub(super) fn timeline(
    t: &Ticket,
    txns: &[Transaction],
    parts: &[Part],
    users: &BTreeMap<String, String>,
    settings: &RtSettings,
) -> Timeline {
    let mut txns: Vec<&Transaction> = txns.iter().collect();
    txns.sort_by_key(|x| x.id);
    let bodies = bodies(parts);
    let names = owner_names(t, &txns, users);
    let number = u32::try_from(t.id)
        .ok()
        .and_then(|id| CaseNumber::ticket(id).ok());
    let requestors: Vec<String> = t
        .requestors
        .iter()
        .map(|r| r.id.to_ascii_lowercase())
        .collect();
    let created_at = t
        .created
        .or_else(|| txns.first().and_then(|x| x.created))
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);

    // The priority and tier fields as they were at creation: the oldest change's old value.
    let priority_id = field_id(t, settings.priority_field.as_deref());
    let tier_id = field_id(t, settings.tier_field.as_deref());
    let changes_of = |id: Option<&str>| -> Vec<&&Transaction> {
        txns.iter()
            .filter(|x| x.kind == "CustomField" && Some(x.field.as_str()) == id)
            .collect()
    };
    let current = |name: &Option<String>| {
        name.as_deref()
            .and_then(|n| t.field(n).first().cloned())
            .filter(|v| !v.is_empty())
    };
    let mut priority_value = if priority_id.is_some() {
        at_creation(current(&settings.priority_field), &changes_of(priority_id))
    } else {
        None
    };
    let number_changes: Vec<&&Transaction> = txns
        .iter()
        .filter(|x| x.kind == "Set" && x.field == "Priority")
        .collect();
    let mut priority_number = match number_changes.first() {
        Some(first) => first.old_value.trim().parse().unwrap_or(0),
        None => t.priority.unwrap_or(0),
    };
    let mut tier_value = if tier_id.is_some() {
        at_creation(current(&settings.tier_field), &changes_of(tier_id))
    } else {
        current(&settings.tier_field)
    };
    let first_priority = effective_priority(settings, priority_value.as_deref(), priority_number);
    let first_tier = effective_tier(settings, tier_value.as_deref());
    let mut priority = first_priority;
    let mut tier = first_tier;

    // RT's status at creation: the first status change's old value, else the current one.
    let first_status = txns
        .iter()
        .find(|x| x.kind == "Status" || (x.kind == "Set" && x.field == "Status"))
        .map_or(t.status.as_str(), |x| x.old_value.as_str());
    let mut status = settings.status_of(first_status);

    let mut out = Timeline {
        description: String::new(),
        notes: Vec::new(),
        history: Vec::new(),
        escalations: Vec::new(),
        sla: CaseHistory {
            created_at,
            priority: first_priority,
            tier: first_tier,
            channel: Channel::Email,
            calendar: None,
            events: Vec::new(),
        },
    };
    let event = |out: &mut Timeline, at: DateTime<Utc>, event: CaseEvent| {
        out.sla.events.push(TimedEvent { at, event });
    };
    if status != Status::New {
        event(
            &mut out,
            created_at,
            CaseEvent::StatusChanged { to: status },
        );
    }

    for x in txns {
        let at = x.created.unwrap_or(created_at);
        let actor = x
            .creator
            .as_ref()
            .map_or_else(|| "RT_System".to_string(), |c| c.id.clone());
        let line = |summary: String| HistoryEntry {
            at,
            actor: actor.clone(),
            summary,
            reason: None,
        };
        match x.kind.as_str() {
            "Create" if out.description.is_empty() => {
                out.description = bodies.get(&x.id).cloned().unwrap_or_default();
            }
            "Comment" | "Correspond" => {
                let text = bodies.get(&x.id).map_or("", String::as_str);
                let (marker, body) = read_marker(text);
                let customer =
                    actor == "RT_System" || requestors.contains(&actor.to_ascii_lowercase());
                let party = if customer {
                    Party::Customer
                } else {
                    Party::Support
                };
                let public = x.kind == "Correspond";
                let (kind, visibility, sla_event) = match marker {
                    Some(Marker::Escalation { kind, contact }) => {
                        if let Some(number) = number {
                            out.escalations.push(Escalation {
                                id: i64::try_from(x.id).unwrap_or(i64::MAX),
                                case_number: number,
                                kind,
                                state: EscalationState::Requested,
                                reason: body.to_string(),
                                contact_method: contact,
                                requested_by: actor.clone(),
                                requested_at: at,
                                acknowledged_by: None,
                                acknowledged_at: None,
                                closed_by: None,
                                closed_at: None,
                                resolution: None,
                            });
                        }
                        out.history
                            .push(line(format!("escalation requested: {}", kind.as_str())));
                        continue;
                    }
                    // A call is contact with the customer; a failed attempt support's own record.
                    Some(Marker::Call) => {
                        (NoteKind::Call, Visibility::Public, CaseEvent::CallLogged)
                    }
                    Some(Marker::ContactFailed) => (
                        NoteKind::ContactFailed,
                        Visibility::Internal,
                        CaseEvent::ContactFailed,
                    ),
                    None => {
                        let visibility = if public {
                            Visibility::Public
                        } else {
                            Visibility::Internal
                        };
                        (
                            NoteKind::Note,
                            visibility,
                            CaseEvent::Note {
                                visibility,
                                by: party,
                            },
                        )
                    }
                };
                out.notes.push(Note {
                    id: i64::try_from(x.id).unwrap_or(i64::MAX),
                    author: actor.clone(),
                    party,
                    visibility,
                    kind,
                    body: body.to_string(),
                    created_at: at,
                    email_from: (customer && actor.contains('@')).then(|| actor.clone()),
                    mail: None,
                    attachments: Vec::new(),
                });
                event(&mut out, at, sla_event);
            }
            "Status" | "Set" if x.field == "Status" => {
                let to = settings.status_of(&x.new_value);
                if to != status {
                    out.history.push(line(format!(
                        "status {} → {}",
                        status.as_str(),
                        to.as_str()
                    )));
                    event(&mut out, at, CaseEvent::StatusChanged { to });
                    status = to;
                }
            }
            _ if is_owner_change(x) => {
                let summary = match names.get(&x.new_value).map(String::as_str) {
                    Some("Nobody") => "owner → unassigned".to_string(),
                    Some(name) => format!("owner → {name}"),
                    None if x.new_value.is_empty() => "owner → unassigned".to_string(),
                    None => format!("owner → user #{}", x.new_value),
                };
                out.history.push(line(summary));
            }
            "Set" if x.field == "Subject" => {
                out.history.push(line(format!("subject → {}", x.new_value)));
            }
            "Set" if x.field == "Priority" => {
                priority_number = x.new_value.trim().parse().unwrap_or(priority_number);
                let to = effective_priority(settings, priority_value.as_deref(), priority_number);
                move_priority(&mut out, &mut priority, to, at, &line);
            }
            "CustomField" if priority_id.is_some() && Some(x.field.as_str()) == priority_id => {
                priority_value = Some(x.new_value.clone()).filter(|v| !v.is_empty());
                let to = effective_priority(settings, priority_value.as_deref(), priority_number);
                move_priority(&mut out, &mut priority, to, at, &line);
            }
            "CustomField" if tier_id.is_some() && Some(x.field.as_str()) == tier_id => {
                tier_value = Some(x.new_value.clone()).filter(|v| !v.is_empty());
                let to = effective_tier(settings, tier_value.as_deref());
                if to != tier {
                    out.history.push(line(format!("tier {tier} → {to}")));
                    event(&mut out, at, CaseEvent::TierChanged { to });
                    tier = to;
                }
            }
            // Mail records, watchers, links and RT's other bookkeeping are not the desk's.
            _ => {}
        }
    }
    out
}

/// A priority move read from the history: its line and the SLA engine's event, when the
/// effective priority changed.
fn move_priority(
    out: &mut Timeline,
    priority: &mut Priority,
    to: Priority,
    at: DateTime<Utc>,
    line: &dyn Fn(String) -> HistoryEntry,
) {
    if to == *priority {
        return;
    }
    out.history
        .push(line(format!("priority {priority} → {to}")));
    out.sla.events.push(TimedEvent {
        at,
        event: CaseEvent::PriorityChanged {
            to,
            temporary: false,
        },
    });
    *priority = to;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_read_and_dropped_from_the_text() {
        let (m, rest) = read_marker("[casedesk:call]\nCalled Alice.\nShe agreed.");
        assert_eq!(m, Some(Marker::Call));
        assert_eq!(rest, "Called Alice.\nShe agreed.");
        let (m, rest) = read_marker("[casedesk:contact-failed]\r\nNo answer.");
        assert_eq!(m, Some(Marker::ContactFailed));
        assert_eq!(rest.trim(), "No answer.");
        let (m, rest) = read_marker("[casedesk:escalation kind=engineer_now contact=phone]\nNow.");
        assert_eq!(
            m,
            Some(Marker::Escalation {
                kind: EscalationKind::EngineerNow,
                contact: Some(ContactMethod::Phone)
            })
        );
        assert_eq!(rest, "Now.");
        let (m, _) = read_marker("[casedesk:escalation level=reassignment]\nx");
        assert!(matches!(
            m,
            Some(Marker::Escalation {
                kind: EscalationKind::Reassignment,
                ..
            })
        ));
        // A marker not on the first line, or a look-alike, is just text.
        let text = "see [casedesk:call]\nbelow";
        assert_eq!(read_marker(text), (None, text));
        assert_eq!(read_marker("[casedesk:callback]").0, None);
        assert_eq!(read_marker("[casedesk:escalationX]").0, None);
    }

    #[test]
    fn what_casedesk_writes_reads_back() {
        for kind in [NoteKind::Note, NoteKind::Call, NoteKind::ContactFailed] {
            let text = note_text(kind, "Line one\nline two");
            let (m, body) = read_marker(&text);
            assert_eq!(body, "Line one\nline two", "{kind:?}");
            assert_eq!(m.is_none(), kind == NoteKind::Note);
        }
        let e = NewEscalation {
            kind: EscalationKind::FasterRma,
            reason: "Unit still not shipped".into(),
            contact_method: None,
        };
        let text = escalation_comment(&e);
        let (m, body) = read_marker(&text);
        assert_eq!(
            m,
            Some(Marker::Escalation {
                kind: EscalationKind::FasterRma,
                contact: None
            })
        );
        assert_eq!(body, "Unit still not shipped");
    }

    #[test]
    fn html_parts_read_as_text() {
        assert_eq!(
            html_text("<p>Hello &amp; bye</p><br/>x&lt;y"),
            "Hello & bye\n\nx<y"
        );
    }
}
