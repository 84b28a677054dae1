//! The lists the list overlay shows, built from what the server or the cache answered: the
//! escalations waiting for a lead, the outbox, and one serial's contract.

use chrono::{DateTime, Utc};

use crate::cache::OutboxState;
use crate::sanitize::clean;
use crate::term::text::{Lang, Say, Word};
use crate::term::theme::Role;
use crate::tui::app::{ListKind, ListRow, ListView};

/// The escalations waiting for a lead, as the list overlay shows them.
pub fn escalation_list(
    lang: Lang,
    list: &[crate::api::Escalation],
    now: DateTime<Utc>,
) -> ListView {
    let rows = list
        .iter()
        .map(|e| ListRow {
            cells: vec![
                format!("#{}", e.id),
                e.case_number.to_string(),
                lang.escalation_kind(e.kind).to_string(),
                lang.escalation_state(e.state).to_string(),
                requested(lang, e, now),
                clean(&e.reason, true).into_owned(),
            ],
            case: Some(e.case_number),
            id: Some(e.id),
            role: (e.state == crate::domain::EscalationState::Requested).then_some(Role::DueSoon),
        })
        .collect();
    ListView {
        kind: ListKind::Escalations,
        title: format!("{} ({})", lang.word(Word::EscalationsWaiting), list.len()),
        header: [
            Word::ColId,
            Word::ColCase,
            Word::ColOption,
            Word::ColState,
            Word::ColRequested,
            Word::ColReason,
        ]
        .map(|w| lang.word(w).to_string())
        .to_vec(),
        rows,
        selected: 0,
        hint: lang.word(Word::HintEscalations).into(),
    }
}

/// The outbox, as the list overlay shows it; `mine` is whom the profile talks to, so that
/// entries written for another server or person are marked (they are never sent from here).
pub fn outbox_list(
    lang: Lang,
    entries: &[crate::cache::OutboxEntry],
    mine: Option<&crate::cache::Owner>,
) -> ListView {
    use crate::cache::Foreignness;
    let mut foreign_seen = false;
    let rows = entries
        .iter()
        .map(|e| {
            let foreign = e.foreign_to(mine);
            foreign_seen |= foreign.is_some();
            let (state, why) = match (foreign, &e.owner) {
                (Some(how), Some(owner)) => (
                    lang.word(match how {
                        Foreignness::OtherServer => Word::OtherServer,
                        Foreignness::OtherUser => Word::OtherUser,
                    }),
                    lang.say(Say::WrittenFor(
                        &clean(&owner.user, true),
                        &clean(&owner.server_id, true),
                    )),
                ),
                _ => (
                    lang.outbox_state(e.state),
                    e.error
                        .as_deref()
                        .map(|x| clean(x, true).into_owned())
                        .unwrap_or_default(),
                ),
            };
            ListRow {
                cells: vec![
                    format!("#{}", e.id),
                    e.reference(),
                    state.to_string(),
                    clean(&lang.change(&e.change), true).into_owned(),
                    why,
                ],
                case: e.case_number,
                id: Some(e.id),
                role: if foreign.is_some() {
                    Some(Role::Muted)
                } else {
                    (e.state != OutboxState::Pending).then_some(Role::Error)
                },
            }
        })
        .collect();
    ListView {
        kind: ListKind::Outbox,
        title: format!("{} ({})", lang.word(Word::Outbox), entries.len()),
        header: [
            Word::ColId,
            Word::ColCase,
            Word::ColState,
            Word::ColChange,
            Word::ColWhy,
        ]
        .map(|w| lang.word(w).to_string())
        .to_vec(),
        rows,
        selected: 0,
        hint: lang
            .word(if foreign_seen {
                Word::HintOutboxForeign
            } else {
                Word::HintOutbox
            })
            .into(),
    }
}

/// One serial's contract, as the list overlay shows it.
pub fn entitlement_list(lang: Lang, serial: &str, e: &crate::api::Entitlement) -> ListView {
    let field = |k: &str, v: String| ListRow {
        cells: vec![k.to_string(), clean(&v, true).into_owned()],
        case: None,
        id: None,
        role: None,
    };
    let mut active = field(
        lang.word(Word::Support),
        lang.word(if e.active {
            Word::Active
        } else {
            Word::NotActive
        })
        .into(),
    );
    if !e.active {
        active.role = Some(Role::Breached);
    }
    ListView {
        kind: ListKind::Entitlement,
        title: format!("{} {}", lang.word(Word::EntitlementOf), clean(serial, true)),
        header: vec!["".into(), "".into()],
        rows: vec![
            active,
            field(lang.word(Word::TierWord), lang.tier(e.tier).to_string()),
            field(lang.word(Word::ContractEnd), e.contract_end.to_string()),
            field(
                lang.word(Word::SiteWord),
                format!("{} ({})", e.site_name, e.site_id),
            ),
            field(lang.word(Word::AccountWord), e.account.clone()),
        ],
        selected: 0,
        hint: lang.word(Word::HintClose).into(),
    }
}

/// When and by whom an escalation was requested ("1h ago by tanaka").
pub fn requested(lang: Lang, e: &crate::api::Escalation, now: DateTime<Utc>) -> String {
    lang.say(Say::AgoBy(
        &crate::sla::span::compact((now - e.requested_at).num_seconds()),
        &clean(&e.requested_by, true),
    ))
}
