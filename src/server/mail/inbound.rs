//! One incoming message, decided and applied: matched to a case (case number in the subject,
//! or `In-Reply-To`/`References` to our mail), added as the customer's note, the case moved as
//! the guides say; held for an agent when the sender may not update the case; recorded once.

use chrono::{DateTime, TimeDelta, Utc};
use lettre::message::Mailbox;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::compose::AutoSubmitted;
use super::config::{MailConfig, MailLanguage};
use super::outbox::{self, Letter};
use super::parse::{self, Incoming, ParseError};
use super::templates::{TemplateKind, Vars};
use super::{reply, safety};
use crate::api::{CasePatch, NewCase, NewNote, NoteKind};
use crate::domain::{CaseNumber, Channel, ContactLanguage, Priority, Status, Visibility};
use crate::server::state::AppState;
use crate::server::store::mail_in::{self, MailInState, MailOrigin};
use crate::server::store::{self, Caller, Sla, StoreError};

/// What the mailbox reader does with the message afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disposition {
    /// Recorded (applied, held, answered or ignored): move it to the processed folder.
    Processed,
    /// It cannot be parsed: move it to the error folder (it is recorded for agents).
    Unparseable(String),
}

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It was taken before (same Message-ID, or same bytes): nothing done again.
    Duplicate,
    /// It cannot be parsed; recorded as an error for agents.
    Unparseable(String),
    /// Added to the case as the customer's note.
    Applied {
        /// The case.
        case: String,
        /// The new note.
        note: i64,
    },
    /// It opened a case (mail about no case, or a reply to a long-closed one).
    Opened {
        /// The new case.
        case: String,
        /// The customer's note on it.
        note: i64,
    },
    /// Held for an agent.
    Held {
        /// The case it was matched to, if any.
        case: Option<String>,
        /// Why.
        reason: String,
    },
    /// Answered automatically: mail does not open cases.
    Answered,
    /// Neither applied nor answered, and why.
    Ignored(String),
}

impl Outcome {
    /// What the mailbox reader does with the message.
    pub fn disposition(&self) -> Disposition {
        match self {
            Outcome::Unparseable(reason) => Disposition::Unparseable(reason.clone()),
            _ => Disposition::Processed,
        }
    }
}

/// Takes one message from the mailbox: records it once, decides and applies it.
pub async fn receive(state: &AppState, raw: &[u8]) -> Result<Disposition, StoreError> {
    let Some(config) = state.mail().cloned() else {
        return Err(StoreError::invalid(
            "mail",
            "the mail channel is off: expected a [mail] table in the server's config",
        ));
    };
    let at = state.clock().now();
    let parsed = parse::parse(raw);
    let raw = raw.to_vec();
    let outcome = state
        .write_store(move |tx, sla| take(tx, sla, &config, &raw, parsed, at))
        .await?;
    tracing::info!(?outcome, "mail taken from the mailbox");
    Ok(outcome.disposition())
}

/// Records `raw` once (by its Message-ID, else the hash of its bytes) and applies what is
/// decided about it, all on `conn` (one transaction: the record and the case change together).
pub fn take(
    conn: &Connection,
    sla: &Sla,
    config: &MailConfig,
    raw: &[u8],
    parsed: Result<Incoming, ParseError>,
    at: DateTime<Utc>,
) -> Result<Outcome, StoreError> {
    let key = parsed
        .as_ref()
        .ok()
        .and_then(|m| m.message_id.as_deref())
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| format!("sha256:{}", hex::encode(Sha256::digest(raw))));
    if mail_in::find(conn, &key)?.is_some() {
        return Ok(Outcome::Duplicate);
    }
    let incoming = match parsed {
        Ok(incoming) => incoming,
        Err(e) => {
            let reason = e.to_string();
            let state = MailInState::Error;
            mail_in::insert(conn, &key, state, Some(&reason), "", "", None, raw, at)?;
            return Ok(Outcome::Unparseable(reason));
        }
    };
    let sender = sender_of(&incoming);
    let subject = incoming.subject.trim();
    let id = mail_in::insert(
        conn,
        &key,
        MailInState::Held,
        None,
        &sender,
        subject,
        None,
        raw,
        at,
    )?;
    // A message the case refuses (a change the rules forbid, a field out of form) is held for
    // an agent with the reason rather than retried for ever: its partial writes are undone.
    conn.execute_batch("SAVEPOINT mail_apply")?;
    let outcome = match decide(conn, sla, config, id, &incoming, at) {
        Ok(outcome) => {
            conn.execute_batch("RELEASE mail_apply")?;
            outcome
        }
        Err(e) if refused(&e) => {
            conn.execute_batch("ROLLBACK TO mail_apply; RELEASE mail_apply")?;
            Outcome::Held {
                case: None,
                reason: format!("cannot be applied: {e}"),
            }
        }
        Err(e) => return Err(e),
    };
    record(conn, id, &outcome)?;
    Ok(outcome)
}

/// An agent releases held mail into `case` (default: the case it was matched to); the new
/// note's id.
pub fn release(
    conn: &Connection,
    sla: &Sla,
    config: &MailConfig,
    id: i64,
    case: Option<&str>,
    caller: &Caller,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    caller.require(crate::api::Role::Agent, "release held mail")?;
    let held = mail_in::get(conn, id)?;
    if held.state != MailInState::Held {
        return Err(StoreError::Conflict {
            field: "id",
            detail: format!(
                "mail {id} is {}, not held: only held mail can be released",
                held.state.as_str()
            ),
        });
    }
    let number = match case.map(str::trim).filter(|c| !c.is_empty()) {
        Some(text) => CaseNumber::parse_dated(text)
            .map_err(|e| StoreError::invalid("case", e.to_string()))?
            .to_string(),
        None => held.case_number.clone().ok_or_else(|| {
            StoreError::invalid(
                "case",
                format!(
                    "mail {id} matched no case: expected the case to release it into, like 2026-1122-000123"
                ),
            )
        })?,
    };
    if !mail_in::case_exists(conn, &number)? {
        return Err(StoreError::NotFound {
            what: "case",
            id: number,
        });
    }
    let incoming = parse::parse(&held.raw)
        .map_err(|e| StoreError::invalid("id", format!("mail {id} can no longer be read: {e}")))?;
    let outcome = apply_to_case(conn, sla, config, id, &number, &incoming, at)?;
    let (case, note) = match &outcome {
        Outcome::Applied { case, note } | Outcome::Opened { case, note } => (case.clone(), *note),
        other => {
            return Err(StoreError::invalid(
                "id",
                format!("mail {id} was not applied: {other:?}"),
            ));
        }
    };
    mail_in::decide(
        conn,
        id,
        MailInState::Released,
        held.reason.as_deref(),
        Some(&case),
        Some(note),
    )?;
    mail_in::decided_by(conn, id, &caller.name, at)?;
    Ok(note)
}

/// Errors that say the message cannot be applied as it is (kept for an agent), as opposed to
/// the database failing (retried later).
fn refused(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Invalid { .. }
            | StoreError::Conflict { .. }
            | StoreError::NotFound { .. }
            | StoreError::Stale { .. }
            | StoreError::Forbidden(_)
    )
}

/// Writes the decision on the message's row.
fn record(conn: &Connection, id: i64, outcome: &Outcome) -> Result<(), StoreError> {
    let (state, reason, case, note) = match outcome {
        Outcome::Applied { case, note } => (MailInState::Applied, None, Some(case), Some(*note)),
        Outcome::Opened { case, note } => (MailInState::Opened, None, Some(case), Some(*note)),
        Outcome::Held { case, reason } => (MailInState::Held, Some(reason), case.as_ref(), None),
        Outcome::Answered => (MailInState::Answered, None, None, None),
        Outcome::Ignored(reason) => (MailInState::Ignored, Some(reason), None, None),
        Outcome::Duplicate | Outcome::Unparseable(_) => return Ok(()),
    };
    mail_in::decide(
        conn,
        id,
        state,
        reason.map(String::as_str),
        case.map(String::as_str),
        note,
    )
}

/// The sender's address, lower-cased ('' when the message has none).
fn sender_of(incoming: &Incoming) -> String {
    incoming
        .from_address
        .as_deref()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// What to do with a parsed message, done.
fn decide(
    conn: &Connection,
    sla: &Sla,
    config: &MailConfig,
    id: i64,
    incoming: &Incoming,
    at: DateTime<Utc>,
) -> Result<Outcome, StoreError> {
    if let Some(refusal) = safety::refusal(incoming, config) {
        return Ok(Outcome::Ignored(refusal.to_string()));
    }
    let sender = sender_of(incoming);
    match matched_case(conn, incoming)? {
        Some(number) => {
            let case = store::get_case(conn, sla, &number, at)?;
            if !safety::may_update(&sender, &case.contact_email, config.trust_account_domains) {
                let contact = match case.contact_email.trim() {
                    "" => "(none)",
                    contact => contact,
                };
                return Ok(Outcome::Held {
                    case: Some(number),
                    reason: format!("sender {sender} is not the case's contact {contact}"),
                });
            }
            apply_to_case(conn, sla, config, id, &number, incoming, at)
        }
        None if config.accept_new_cases => open_case(conn, sla, id, incoming, None, at),
        None => answer(conn, config, id, incoming, &sender, at),
    }
}

/// The case a message is about: a case number in its subject, else its thread.
fn matched_case(conn: &Connection, incoming: &Incoming) -> Result<Option<String>, StoreError> {
    for number in case_numbers(&incoming.subject) {
        let number = number.to_string();
        if mail_in::case_exists(conn, &number)? {
            return Ok(Some(number));
        }
    }
    // The message it answers first, then its references from the newest back.
    let thread: Vec<String> = incoming
        .in_reply_to
        .iter()
        .chain(incoming.references.iter().rev())
        .cloned()
        .collect();
    mail_in::case_of_thread(conn, &thread)
}

/// The case numbers written in `text` (`2026-1122-000123`, as our subjects carry them in
/// brackets), in order.
pub fn case_numbers(text: &str) -> Vec<CaseNumber> {
    const LEN: usize = "2026-1122-000123".len();
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i + LEN <= bytes.len() {
        let shape = bytes[i..i + LEN].iter().enumerate().all(|(k, b)| match k {
            4 | 9 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
        // Not a piece of a longer run of digits.
        let alone = (i == 0 || !bytes[i - 1].is_ascii_digit())
            && bytes.get(i + LEN).is_none_or(|b| !b.is_ascii_digit());
        // The window is ASCII by its shape, so it lies on character boundaries.
        if shape
            && alone
            && let Some(number) = text.get(i..i + LEN).and_then(|t| t.parse().ok())
        {
            found.push(number);
            i += LEN;
            continue;
        }
        i += 1;
    }
    found
}

/// The customer's words as a note on `number`, and the case's reaction: back to open from
/// waiting on the customer or resolved; from closed, reopened when it closed recently, else a
/// new case that names it.
fn apply_to_case(
    conn: &Connection,
    sla: &Sla,
    config: &MailConfig,
    id: i64,
    number: &str,
    incoming: &Incoming,
    at: DateTime<Utc>,
) -> Result<Outcome, StoreError> {
    let case = store::get_case(conn, sla, number, at)?;
    let status = case.summary.status;
    if status == Status::Closed {
        let closed_at = mail_in::closed_at(conn, number)?.unwrap_or(case.summary.updated_at);
        let window = TimeDelta::from_std(config.reopen_closed_within).unwrap_or(TimeDelta::MAX);
        if at - closed_at >= window {
            return open_case(conn, sla, id, incoming, Some(&case), at);
        }
    }
    let sender = sender_of(incoming);
    let author = author_of(incoming, &sender, &case.contact_email);
    let note = add_customer_note(
        conn,
        sla,
        number,
        case.summary.version,
        id,
        incoming,
        &sender,
        author.as_deref(),
        at,
    )?;
    let reason = match status {
        Status::WaitingOnCustomer => Some("the customer replied by mail"),
        Status::Resolved | Status::Closed => Some("reopened by the customer's mail"),
        _ => None,
    };
    if let Some(reason) = reason {
        let version = store::get_case(conn, sla, number, at)?.summary.version;
        let patch = CasePatch {
            status: Some(Status::Open),
            reason: Some(reason.to_string()),
            ..CasePatch::default()
        };
        store::patch_case(conn, sla, number, &patch, version, &Caller::system(), at)?;
    }
    Ok(Outcome::Applied {
        case: number.to_string(),
        note,
    })
}

/// The note's author when the sender is not the case's contact: their name, else address.
fn author_of(incoming: &Incoming, sender: &str, contact: &str) -> Option<String> {
    if sender.eq_ignore_ascii_case(contact.trim()) {
        return None;
    }
    let name = incoming.from_name.as_deref().map(str::trim).unwrap_or("");
    Some(if name.is_empty() { sender } else { name }.to_string())
}

/// Adds the message as the customer's public note, linked to the mail and with its files.
#[allow(clippy::too_many_arguments)]
fn add_customer_note(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    version: i64,
    id: i64,
    incoming: &Incoming,
    sender: &str,
    author: Option<&str>,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let new = NewNote {
        body: note_body(incoming),
        visibility: Visibility::Public,
        kind: NoteKind::Note,
        from_customer: true,
    };
    let origin = MailOrigin {
        sender,
        author,
        mail_in_id: id,
        attachments: &incoming.attachments,
    };
    let note = store::add_mail_note(
        conn,
        sla,
        number,
        &new,
        version,
        &Caller::system(),
        at,
        &origin,
    )?;
    Ok(note.id)
}

/// The note's text: the reply trimmed, cut to the longest note (the original stays with the
/// mail); a message without text gives its subject, else its files' names.
fn note_body(incoming: &Incoming) -> String {
    let mut body = reply::trim(&incoming.text);
    if body.trim().is_empty() {
        body = case_subject(&incoming.subject);
    }
    if body.is_empty() {
        let names: Vec<String> = incoming
            .attachments
            .iter()
            .map(|a| mail_in::attachment_name(&a.name))
            .collect();
        body = names.join(", ");
    }
    if body.is_empty() {
        body = "-".to_string();
    }
    let max = store::NOTE_MAX_BYTES;
    if body.len() > max {
        let cut = (0..=max)
            .rev()
            .find(|&i| body.is_char_boundary(i))
            .unwrap_or(0);
        body.truncate(cut);
    }
    body
}

/// Opens a case from a message (channel email, the customer's note on it): from what the
/// desk knows of the sender, or for a reply to a long-closed case, from that case, which the
/// new one names.
fn open_case(
    conn: &Connection,
    sla: &Sla,
    id: i64,
    incoming: &Incoming,
    follows: Option<&crate::api::Case>,
    at: DateTime<Utc>,
) -> Result<Outcome, StoreError> {
    let sender = sender_of(incoming);
    let from_name = incoming.from_name.as_deref().map(str::trim).unwrap_or("");
    let text = note_body(incoming);
    let japanese = is_japanese(&incoming.subject) || is_japanese(&text);
    let mut new = NewCase {
        subject: case_subject(&incoming.subject),
        description: text,
        priority: Priority::P3,
        tier: None,
        channel: Some(Channel::Email),
        request_type: None,
        site_name: String::new(),
        site_id: String::new(),
        account: String::new(),
        contact_name: one_line(if from_name.is_empty() {
            &sender
        } else {
            from_name
        }),
        contact_email: sender.clone(),
        contact_phone: String::new(),
        preferred_contact: None,
        contact_language: japanese.then_some(ContactLanguage::Ja),
        user_type: None,
        product: String::new(),
        platform: String::new(),
        software_version: String::new(),
        serial_number: None,
        owner: None,
    };
    let mut related = None;
    if let Some(old) = follows {
        related = Some(old.summary.number.to_string());
        // P1 is taken only by phone (SPEC §2.11).
        new.priority = match old.summary.priority {
            Priority::P1 => Priority::P2,
            p => p,
        };
        new.tier = Some(old.summary.tier);
        new.site_name.clone_from(&old.summary.site_name);
        new.site_id.clone_from(&old.summary.site_id);
        new.account.clone_from(&old.summary.account);
        new.contact_name.clone_from(&old.summary.contact_name);
        new.contact_email.clone_from(&old.contact_email);
        new.contact_phone.clone_from(&old.contact_phone);
        new.contact_language = old.contact_language.or(new.contact_language);
        new.product.clone_from(&old.summary.product);
        new.platform.clone_from(&old.summary.platform);
        new.software_version.clone_from(&old.software_version);
        new.serial_number.clone_from(&old.summary.serial_number);
        if new.subject.is_empty() {
            new.subject.clone_from(&old.summary.subject);
        }
    } else if let Some(known) = mail_in::known_contact(conn, &sender)? {
        new.tier = known.tier.parse().ok();
        if from_name.is_empty() && !known.contact_name.trim().is_empty() {
            new.contact_name = known.contact_name;
        }
        new.contact_phone = known.contact_phone;
        new.site_name = known.site_name;
        new.site_id = known.site_id;
        new.account = known.account;
        new.product = known.product;
        new.platform = known.platform;
        new.software_version = known.software_version;
        new.serial_number = known.serial_number;
        if let Some(language) = known.contact_language.and_then(|l| l.parse().ok()) {
            new.contact_language = Some(language);
        }
    } else {
        // The install base knows a serial the customer wrote: its contract fills the rest.
        new.serial_number = entitled_serial(conn, incoming, at)?;
    }
    if new.subject.is_empty() {
        new.subject = "(no subject)".to_string();
    }
    let case = store::create_case(conn, sla, &new, &Caller::system(), at)?;
    let number = case.summary.number.to_string();
    if let Some(related) = &related {
        mail_in::link_case(conn, &number, related)?;
    }
    let author = follows.and_then(|old| author_of(incoming, &sender, &old.contact_email));
    let note = add_customer_note(
        conn,
        sla,
        &number,
        store::get_case(conn, sla, &number, at)?.summary.version,
        id,
        incoming,
        &sender,
        author.as_deref(),
        at,
    )?;
    Ok(Outcome::Opened { case: number, note })
}

/// A case's subject from a mail's: without `Re:`/`Fwd:` prefixes and case tags, one line of
/// at most the longest subject; empty when nothing is left.
fn case_subject(subject: &str) -> String {
    let mut text = subject.replace(['\r', '\n', '\t'], " ");
    for number in case_numbers(subject) {
        text = text.replace(&format!("[{number}]"), " ");
    }
    let mut text = text.trim();
    loop {
        let lower = text.to_lowercase();
        let prefix = [
            "re:", "fwd:", "fw:", "aw:", "sv:", "返信:", "転送:", "re：", "fw：",
        ]
        .iter()
        .find(|p| lower.starts_with(**p));
        match prefix {
            // The prefixes are the same length lower-cased, so the cut is on a boundary.
            Some(p) => text = text.get(p.len()..).unwrap_or("").trim(),
            None => break,
        }
    }
    text.chars()
        .take(crate::domain::intake::SUBJECT_MAX)
        .collect::<String>()
        .trim()
        .to_string()
}

/// A header's text as a one-line field of a case: no line breaks, at most the longest field.
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n', '\t'], " ")
        .chars()
        .take(crate::domain::intake::FIELD_MAX)
        .collect::<String>()
        .trim()
        .to_string()
}

/// Whether the text is written in Japanese (has kana or kanji).
fn is_japanese(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ff66}'..='\u{ff9f}')
    })
}

/// Most words of a message looked up in the install base as serial numbers.
const SERIAL_CANDIDATES: usize = 50;

/// The first word of the subject or text that is a serial with an entitlement.
fn entitled_serial(
    conn: &Connection,
    incoming: &Incoming,
    at: DateTime<Utc>,
) -> Result<Option<String>, StoreError> {
    let words = incoming
        .subject
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .chain(
            incoming
                .text
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')),
        )
        .map(|w| w.trim_matches('-'))
        .filter(|w| {
            (6..=store::SERIAL_MAX).contains(&w.len())
                && w.chars().any(|c| c.is_ascii_digit())
                && w.chars().any(|c| c.is_ascii_alphabetic())
        })
        .take(SERIAL_CANDIDATES);
    for word in words {
        if store::entitlement(conn, word, at)?.is_some() {
            return Ok(Some(word.to_string()));
        }
    }
    Ok(None)
}

/// How to open a case, for the automatic answer to mail about none.
fn new_case_how(lang: MailLanguage) -> &'static str {
    match lang {
        MailLanguage::En => "on the support portal, or by phone for emergencies",
        MailLanguage::Ja => "サポートポータルから（緊急の場合はお電話で）",
    }
}

/// The polite automatic answer to mail about no case, unless the sender had their hour's
/// answers already.
fn answer(
    conn: &Connection,
    config: &MailConfig,
    id: i64,
    incoming: &Incoming,
    sender: &str,
    at: DateTime<Utc>,
) -> Result<Outcome, StoreError> {
    if !safety::answer_allowed(conn, sender, config.auto_answers_per_hour, at)? {
        return Ok(Outcome::Ignored(format!(
            "no new cases by mail; {sender} had {} automatic answers this hour already",
            config.auto_answers_per_hour
        )));
    }
    let Ok(address) = sender.parse() else {
        return Ok(Outcome::Ignored(format!(
            "no new cases by mail; {sender} cannot be answered"
        )));
    };
    let name = incoming.from_name.as_deref().map(str::trim).unwrap_or("");
    let to = Mailbox::new((!name.is_empty()).then(|| name.to_string()), address);
    let language = if is_japanese(&incoming.subject) || is_japanese(&incoming.text) {
        MailLanguage::Ja
    } else {
        config.language
    };
    let desk = config
        .from
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| config.from.email.to_string());
    let subject = incoming.subject.trim();
    let mut vars = Vars::new();
    vars.insert(
        "contact",
        if name.is_empty() { sender } else { name }.to_string(),
    );
    vars.insert("subject", subject.to_string());
    vars.insert("desk", desk);
    vars.insert("new_case_how", new_case_how(language).to_string());
    let letter = Letter {
        event_key: format!("answer:{id}"),
        case_number: None,
        note_id: None,
        kind: TemplateKind::NoNewCases,
        to,
        language,
        vars,
        subject: reply_subject(subject),
        auto: Some(AutoSubmitted::AutoReplied),
        in_reply_to: incoming.message_id.clone(),
    };
    outbox::queue_letter(conn, config, &letter, at)?;
    mail_in::answered(conn, sender, at)?;
    Ok(Outcome::Answered)
}

/// `Re: subject`, once.
fn reply_subject(subject: &str) -> String {
    if subject.to_lowercase().starts_with("re:") {
        subject.to_string()
    } else if subject.is_empty() {
        "Re:".to_string()
    } else {
        format!("Re: {subject}")
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{DateTime, TimeDelta, Utc};
    use rusqlite::Connection;
    use serde_json::json;

    use super::*;
    use crate::api::Case;
    use crate::domain::Party;
    use crate::server::mail::outbox::testing::{TempDb, agent, config, open_case, sla, t0};
    use crate::server::store::{get_case, patch_case};
    use crate::sla::{ClockKind, ClockState};

    /// The contact of `open_case`'s cases.
    const CONTACT: &str = "ichiro@example.test";

    /// A reply from `from` with `subject` and `text`.
    fn mail(id: &str, from: &str, subject: &str, text: &str) -> Incoming {
        Incoming {
            message_id: Some(id.to_string()),
            from_name: Some("Ichiro Suzuki".into()),
            from_address: Some(from.to_string()),
            subject: subject.to_string(),
            text: text.to_string(),
            ..Incoming::default()
        }
    }

    fn take_at(db: &TempDb, config: &MailConfig, incoming: Incoming, at: DateTime<Utc>) -> Outcome {
        let raw = format!("Message-ID: <{:?}>\r\n\r\nraw", incoming.message_id).into_bytes();
        db.write(|tx| take(tx, &sla(), config, &raw, Ok(incoming), at))
    }

    fn case_of(db: &TempDb, number: &str, at: DateTime<Utc>) -> Case {
        db.write(|tx| get_case(tx, &sla(), number, at))
    }

    fn set_status(db: &TempDb, number: &str, status: &str, at: DateTime<Utc>) {
        let mut patch = json!({ "status": status });
        if status == "closed" {
            patch["close_reason"] = json!("confirmed_resolved");
        }
        let patch = serde_json::from_value(patch).unwrap();
        db.write(|tx| {
            let version = get_case(tx, &sla(), number, at)?.summary.version;
            patch_case(tx, &sla(), number, &patch, version, &agent(), at)
        });
    }

    /// A case moved through `statuses` one minute apart from `t0`; its number.
    fn case_at(db: &TempDb, statuses: &[&str]) -> String {
        let number = open_case(db, t0(), json!({}));
        for (i, status) in statuses.iter().enumerate() {
            set_status(db, &number, status, t0() + TimeDelta::minutes(i as i64 + 1));
        }
        number
    }

    fn count(db: &TempDb, sql: &str) -> i64 {
        db.write(|tx: &Connection| Ok(tx.query_row(sql, [], |r| r.get(0))?))
    }

    fn mail_in_row(db: &TempDb, key: &str) -> (String, Option<String>, Option<String>) {
        let key = key.to_string();
        db.write(move |tx: &Connection| {
            Ok(tx.query_row(
                "SELECT state, reason, case_number FROM mail_in WHERE message_id = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
    }

    #[test]
    fn a_reply_to_a_case_waiting_on_the_customer_is_their_note_and_opens_it() {
        let db = TempDb::new("inbound-waiting");
        let number = case_at(&db, &["open", "waiting_on_customer"]);
        let at = t0() + TimeDelta::hours(2);
        let reply = mail(
            "r1@example.test",
            CONTACT,
            &format!("Re: [{number}] BGP session flaps"),
            "It flapped again at 09:12.\n\nOn Mon, Support <support@example.test> wrote:\n> Did it flap again?\n",
        );
        let outcome = take_at(&db, &config(), reply, at);
        let Outcome::Applied {
            case: applied,
            note,
        } = outcome
        else {
            panic!("{outcome:?}");
        };
        assert_eq!(applied, number);
        let case = case_of(&db, &number, at);
        assert_eq!(case.summary.status, Status::Open);
        let last = case.notes.last().unwrap();
        assert_eq!(last.id, note);
        assert_eq!(last.party, Party::Customer);
        assert_eq!(last.visibility, Visibility::Public);
        assert_eq!(last.author, "Ichiro Suzuki");
        assert_eq!(last.body, "It flapped again at 09:12.");
        assert_eq!(last.email_from.as_deref(), Some(CONTACT));
        // Open again: the auto-close clock no longer runs, the update clock does.
        assert!(
            !case
                .clocks
                .clocks
                .iter()
                .any(|c| c.kind == ClockKind::AutoClose),
            "{:?}",
            case.clocks
        );
        assert!(case.history.iter().any(|h| h.actor == "system"
            && h.summary == "status waiting_on_customer → open"
            && h.reason.as_deref() == Some("the customer replied by mail")));
        let (state, _, matched) = mail_in_row(&db, "r1@example.test");
        assert_eq!(
            (state.as_str(), matched.as_deref()),
            ("applied", Some(number.as_str()))
        );
        let linked = count(
            &db,
            "SELECT count(*) FROM notes n JOIN mail_in m ON m.id = n.mail_in_id AND m.note_id = n.id",
        );
        assert_eq!(linked, 1);
    }

    #[test]
    fn a_reply_restarts_the_auto_close_clock_of_a_case_left_waiting() {
        // Without the status change (an agent put it back to waiting at once), the customer's
        // note alone restarts auto-close: checked on the clock the SLA engine computes.
        let db = TempDb::new("inbound-autoclose");
        let number = case_at(&db, &["open", "waiting_on_customer"]);
        let at = t0() + TimeDelta::days(3);
        let reply = mail(
            "r-ac@example.test",
            CONTACT,
            &format!("[{number}]"),
            "Still there.",
        );
        take_at(&db, &config(), reply, at);
        set_status(&db, &number, "waiting_on_customer", at);
        let clock = case_of(&db, &number, at)
            .clocks
            .clocks
            .into_iter()
            .find(|c| c.kind == ClockKind::AutoClose)
            .unwrap();
        assert_eq!(clock.state, ClockState::Running);
        assert_eq!(clock.started_at, at);
    }

    #[test]
    fn a_reply_to_a_resolved_case_reopens_it() {
        let db = TempDb::new("inbound-resolved");
        let number = case_at(&db, &["open", "resolved"]);
        let at = t0() + TimeDelta::hours(1);
        let reply = mail(
            "r2@example.test",
            "Ichiro@Example.test",
            &format!("[{number}] Re: done?"),
            "No, it is back.",
        );
        assert!(matches!(
            take_at(&db, &config(), reply, at),
            Outcome::Applied { .. }
        ));
        let case = case_of(&db, &number, at);
        assert_eq!(case.summary.status, Status::Open);
        assert!(
            case.history
                .iter()
                .any(|h| h.summary == "status resolved → open"
                    && h.reason.as_deref() == Some("reopened by the customer's mail"))
        );
    }

    #[test]
    fn a_reply_to_a_recently_closed_case_reopens_it_and_to_an_old_one_opens_a_linked_case() {
        let db = TempDb::new("inbound-closed");
        let number = case_at(&db, &["open", "resolved", "closed"]);
        let closed = t0() + TimeDelta::minutes(3);
        let window = TimeDelta::from_std(config().reopen_closed_within).unwrap();

        let soon = closed + window - TimeDelta::seconds(1);
        let reply = mail(
            "r3@example.test",
            CONTACT,
            &format!("[{number}]"),
            "Back again.",
        );
        assert!(matches!(
            take_at(&db, &config(), reply, soon),
            Outcome::Applied { .. }
        ));
        assert_eq!(case_of(&db, &number, soon).summary.status, Status::Open);

        set_status(&db, &number, "resolved", soon);
        set_status(&db, &number, "closed", soon);
        let late = soon + window;
        let reply = mail(
            "r4@example.test",
            CONTACT,
            &format!("Re: [{number}] BGP session flaps"),
            "It is back, months later.",
        );
        let outcome = take_at(&db, &config(), reply, late);
        let Outcome::Opened { case: new, note } = outcome else {
            panic!("{outcome:?}");
        };
        assert_ne!(new, number);
        assert_eq!(case_of(&db, &number, late).summary.status, Status::Closed);
        let created = case_of(&db, &new, late);
        assert_eq!(created.summary.channel, Channel::Email);
        assert_eq!(created.summary.subject, "BGP session flaps");
        assert_eq!(created.summary.contact_name, "Ichiro Suzuki");
        assert_eq!(created.contact_email, CONTACT);
        assert_eq!(created.summary.site_name, "Tokyo");
        assert_eq!(created.description, "It is back, months later.");
        assert_eq!(created.notes.len(), 1);
        assert_eq!(created.notes[0].id, note);
        assert_eq!(created.notes[0].party, Party::Customer);
        let related: Option<String> = db.write(|tx: &Connection| {
            Ok(tx.query_row(
                "SELECT related_case FROM cases WHERE number = ?1",
                [&new],
                |r| r.get(0),
            )?)
        });
        assert_eq!(related.as_deref(), Some(number.as_str()));
        let (state, _, matched) = mail_in_row(&db, "r4@example.test");
        assert_eq!(
            (state.as_str(), matched.as_deref()),
            ("opened", Some(new.as_str()))
        );
    }

    #[test]
    fn a_reply_in_the_thread_of_our_mail_finds_its_case_without_the_number() {
        let db = TempDb::new("inbound-thread");
        let number = case_at(&db, &["open"]);
        db.write(|tx: &Connection| {
            tx.execute(
                "INSERT INTO mail_out (event_key, case_number, kind, message_id, recipient, subject, raw, state, next_attempt_at, created_at) \
                 VALUES ('ack:x', ?1, 'acknowledgement', 'ack.x@example.test', 'i', 's', x'00', 'sent', 't', 't')",
                [&number],
            )?;
            Ok(())
        });
        let mut reply = mail("r5@example.test", CONTACT, "Re: your case", "Thanks.");
        reply.references = vec!["other@example.test".into(), "ack.x@example.test".into()];
        let outcome = take_at(&db, &config(), reply, t0() + TimeDelta::hours(1));
        assert_eq!(
            outcome,
            Outcome::Applied {
                case: number.clone(),
                note: case_of(&db, &number, t0()).notes[0].id
            }
        );
    }

    #[test]
    fn a_stranger_is_held_without_a_note_until_an_agent_releases_it() {
        let db = TempDb::new("inbound-stranger");
        let number = case_at(&db, &["open", "waiting_on_customer"]);
        let at = t0() + TimeDelta::hours(1);
        let mut reply = mail(
            "r6@example.test",
            "mallory@evil.test",
            &format!("[{number}]"),
            "Close it.",
        );
        reply.from_name = Some("Mallory".into());
        reply.attachments = vec![crate::server::mail::parse::IncomingAttachment {
            name: "../../tmp/log.txt".into(),
            content_type: "text/plain".into(),
            content: b"abc".to_vec(),
        }];
        let outcome = take_at(&db, &config(), reply, at);
        let reason = format!("sender mallory@evil.test is not the case's contact {CONTACT}");
        assert_eq!(
            outcome,
            Outcome::Held {
                case: Some(number.clone()),
                reason: reason.clone()
            }
        );
        assert!(case_of(&db, &number, at).notes.is_empty());
        assert_eq!(
            case_of(&db, &number, at).summary.status,
            Status::WaitingOnCustomer
        );
        let (state, why, matched) = mail_in_row(&db, "r6@example.test");
        assert_eq!((state.as_str(), why), ("held", Some(reason)));
        assert_eq!(matched.as_deref(), Some(number.as_str()));

        // With the account's domain trusted, a colleague of the contact may update the case.
        let trusting = MailConfig {
            trust_account_domains: true,
            ..config()
        };
        let colleague = mail(
            "r7@example.test",
            "hanako@example.test",
            &format!("[{number}]"),
            "Me too.",
        );
        assert!(matches!(
            take_at(&db, &trusting, colleague, at),
            Outcome::Applied { .. }
        ));
        set_status(&db, &number, "waiting_on_customer", at);

        let id: i64 = db.write(|tx: &Connection| {
            Ok(tx.query_row(
                "SELECT id FROM mail_in WHERE message_id = 'r6@example.test'",
                [],
                |r| r.get(0),
            )?)
        });
        let later = at + TimeDelta::minutes(5);
        // The raw bytes of these tests are no mail: release reads the kept original, so give
        // it a real one.
        db.write(|tx: &Connection| {
            tx.execute(
                "UPDATE mail_in SET raw = ?2 WHERE id = ?1",
                (id, format!("From: Mallory <mallory@evil.test>\r\nMessage-ID: <r6@example.test>\r\nSubject: [{number}]\r\nContent-Type: text/plain\r\n\r\nClose it.\r\n").into_bytes()),
            )?;
            Ok(())
        });
        let note = db.write(|tx| release(tx, &sla(), &config(), id, None, &agent(), later));
        let case = case_of(&db, &number, later);
        let released = case.notes.iter().find(|n| n.id == note).unwrap();
        assert_eq!(released.author, "Mallory");
        assert_eq!(released.body, "Close it.");
        assert_eq!(released.email_from.as_deref(), Some("mallory@evil.test"));
        assert_eq!(case.summary.status, Status::Open);
        let decided: (String, Option<String>, Option<i64>) = db.write(|tx: &Connection| {
            Ok(tx.query_row(
                "SELECT state, decided_by, note_id FROM mail_in WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        });
        assert_eq!(
            decided,
            (
                "released".to_string(),
                Some("tanaka".to_string()),
                Some(note)
            )
        );
        // Released once: a second release is refused.
        let again = db.write(|tx| Ok(release(tx, &sla(), &config(), id, None, &agent(), later)));
        assert!(
            matches!(again, Err(StoreError::Conflict { .. })),
            "{again:?}"
        );
        let missing = db.write(|tx| Ok(release(tx, &sla(), &config(), 999, None, &agent(), later)));
        assert!(
            matches!(missing, Err(StoreError::NotFound { .. })),
            "{missing:?}"
        );
    }

    #[test]
    fn attachments_are_kept_with_the_note_under_a_clean_name() {
        let db = TempDb::new("inbound-files");
        let number = case_at(&db, &["open"]);
        let mut reply = mail(
            "r8@example.test",
            CONTACT,
            &format!("[{number}]"),
            "Logs attached.",
        );
        reply.attachments = vec![crate::server::mail::parse::IncomingAttachment {
            name: "C:\\logs\\show\u{7}tech.txt".into(),
            content_type: "text/plain".into(),
            content: b"abc".to_vec(),
        }];
        take_at(&db, &config(), reply, t0() + TimeDelta::hours(1));
        let note = case_of(&db, &number, t0()).notes.remove(0);
        assert_eq!(note.attachments.len(), 1);
        let file = &note.attachments[0];
        assert_eq!((file.name.as_str(), file.size), ("showtech.txt", 3));
        assert_eq!(
            file.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_same_message_twice_is_one_note() {
        let db = TempDb::new("inbound-twice");
        let number = case_at(&db, &["open"]);
        let at = t0() + TimeDelta::hours(1);
        let reply = mail(
            "twice@example.test",
            CONTACT,
            &format!("[{number}]"),
            "Once.",
        );
        assert!(matches!(
            take_at(&db, &config(), reply.clone(), at),
            Outcome::Applied { .. }
        ));
        assert_eq!(take_at(&db, &config(), reply, at), Outcome::Duplicate);
        assert_eq!(case_of(&db, &number, at).notes.len(), 1);
        // Without a Message-ID the bytes are the key.
        let raw = b"From: x@example.test\r\n\r\nno id".to_vec();
        let mut bare = mail("", CONTACT, &format!("[{number}]"), "No id.");
        bare.message_id = None;
        let first = db.write(|tx| take(tx, &sla(), &config(), &raw, Ok(bare.clone()), at));
        let second = db.write(|tx| take(tx, &sla(), &config(), &raw, Ok(bare.clone()), at));
        assert!(matches!(first, Outcome::Applied { .. }), "{first:?}");
        assert_eq!(second, Outcome::Duplicate);
        assert_eq!(case_of(&db, &number, at).notes.len(), 2);
    }

    #[test]
    fn machines_lists_bounces_and_our_own_mail_are_never_answered_or_applied() {
        let db = TempDb::new("inbound-machines");
        let number = case_at(&db, &["open", "resolved"]);
        let at = t0() + TimeDelta::hours(1);
        let about_case = format!("Re: [{number}] out of office");
        let mut auto = mail("m1@example.test", CONTACT, &about_case, "I am away.");
        auto.auto_submitted = Some("auto-replied".into());
        let mut bounce = mail(
            "m2@example.test",
            "mailer-daemon@example.test",
            "Undelivered",
            "550",
        );
        bounce.is_bounce = true;
        let mut list = mail("m3@example.test", "news@example.test", "News", "Hello");
        list.is_list = true;
        let own = mail(
            "m4@example.test",
            "support@example.test",
            &about_case,
            "loop",
        );
        let noreply = mail("m5@example.test", "noreply@example.test", "Hi", "x");
        let mut empty_path = mail("m6@example.test", "a@example.test", "Hi", "x");
        empty_path.return_path = Some("<>".into());
        let cases = [
            (auto, "automatic mail (Auto-Submitted: auto-replied)"),
            (bounce, "a bounce (delivery report)"),
            (list, "a list or bulk message"),
            (own, "mail from our own address support@example.test"),
            (noreply, "mail from the system address noreply@example.test"),
            (empty_path, "a bounce (delivery report)"),
        ];
        for (incoming, reason) in cases {
            let key = incoming.message_id.clone().unwrap();
            let outcome = take_at(&db, &config(), incoming, at);
            assert_eq!(outcome, Outcome::Ignored(reason.to_string()));
            let (state, why, _) = mail_in_row(&db, &key);
            assert_eq!((state.as_str(), why.as_deref()), ("ignored", Some(reason)));
        }
        assert_eq!(count(&db, "SELECT count(*) FROM mail_out"), 0);
        assert_eq!(count(&db, "SELECT count(*) FROM notes"), 0);
        assert_eq!(case_of(&db, &number, at).summary.status, Status::Resolved);
        // `Auto-Submitted: no` is a person's mail.
        let mut person = mail("m7@example.test", "new@example.test", "Help", "x");
        person.auto_submitted = Some("no".into());
        assert_eq!(take_at(&db, &config(), person, at), Outcome::Answered);
    }

    #[test]
    fn mail_about_no_case_gets_one_polite_answer_within_the_rate_limit() {
        let db = TempDb::new("inbound-answer");
        let config = MailConfig {
            auto_answers_per_hour: 2,
            ..config()
        };
        let at = t0();
        let first = mail(
            "n1@example.test",
            "New.Person@Example.test",
            "Router broken",
            "Help!",
        );
        assert_eq!(take_at(&db, &config, first, at), Outcome::Answered);
        let (kind, recipient, raw, key): (String, String, Vec<u8>, String) =
            db.write(|tx: &Connection| {
                Ok(tx.query_row(
                    "SELECT kind, recipient, raw, event_key FROM mail_out",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?)
            });
        assert_eq!(kind, "no_new_cases");
        assert!(recipient.contains("new.person@example.test"), "{recipient}");
        let raw = String::from_utf8_lossy(&raw);
        assert!(raw.contains("In-Reply-To: <n1@example.test>"), "{raw}");
        assert!(raw.contains("Auto-Submitted: auto-replied"), "{raw}");
        let id: i64 = db.write(|tx: &Connection| {
            Ok(tx.query_row(
                "SELECT id FROM mail_in WHERE message_id = 'n1@example.test'",
                [],
                |r| r.get(0),
            )?)
        });
        assert_eq!(key, format!("answer:{id}"));
        assert_eq!(mail_in_row(&db, "n1@example.test").0, "answered");

        let second = mail(
            "n2@example.test",
            "new.person@example.test",
            "Still broken",
            "Help!",
        );
        assert_eq!(
            take_at(&db, &config, second, at + TimeDelta::minutes(10)),
            Outcome::Answered
        );
        let third = mail(
            "n3@example.test",
            "new.person@example.test",
            "Hello?",
            "Help!",
        );
        let outcome = take_at(&db, &config, third, at + TimeDelta::minutes(20));
        assert_eq!(
            outcome,
            Outcome::Ignored(
                "no new cases by mail; new.person@example.test had 2 automatic answers this hour already".into()
            )
        );
        assert_eq!(count(&db, "SELECT count(*) FROM mail_out"), 2);
        // An hour after the first answer, one more is allowed.
        let fourth = mail(
            "n4@example.test",
            "new.person@example.test",
            "Hello?",
            "Help!",
        );
        assert_eq!(
            take_at(&db, &config, fourth, at + TimeDelta::minutes(61)),
            Outcome::Answered
        );
        assert_eq!(count(&db, "SELECT count(*) FROM mail_out"), 3);
    }

    #[test]
    fn with_new_cases_accepted_mail_about_no_case_opens_one_from_what_is_known_of_the_sender() {
        let db = TempDb::new("inbound-open");
        let config = MailConfig {
            accept_new_cases: true,
            ..config()
        };
        let earlier = case_at(&db, &[]);
        let at = t0() + TimeDelta::hours(1);
        let new = mail(
            "o1@example.test",
            CONTACT,
            "Fwd: RE: Second router down",
            "Router 2 is down too.\n-- \nIchiro",
        );
        let outcome = take_at(&db, &config, new, at);
        let Outcome::Opened { case: number, note } = outcome else {
            panic!("{outcome:?}");
        };
        assert_ne!(number, earlier);
        let case = case_of(&db, &number, at);
        assert_eq!(case.summary.channel, Channel::Email);
        assert_eq!(case.summary.status, Status::New);
        assert_eq!(case.summary.subject, "Second router down");
        assert_eq!(case.description, "Router 2 is down too.");
        assert_eq!(case.contact_email, CONTACT);
        assert_eq!(case.summary.contact_name, "Ichiro Suzuki");
        assert_eq!(
            (
                case.summary.site_name.as_str(),
                case.summary.account.as_str()
            ),
            ("Tokyo", "A")
        );
        assert_eq!(case.summary.tier, crate::domain::ContractTier::Premium);
        assert_eq!(case.notes[0].id, note);
        assert_eq!(mail_in_row(&db, "o1@example.test").0, "opened");
        assert_eq!(
            count(&db, "SELECT count(*) FROM mail_out"),
            0,
            "the feed acknowledges it"
        );

        // A stranger's first mail opens a case with what the mail says.
        let stranger = mail(
            "o2@example.test",
            "yamada@other.test",
            "ルーターが故障",
            "再起動できません。",
        );
        let Outcome::Opened { case: number, .. } = take_at(&db, &config, stranger, at) else {
            panic!();
        };
        let case = case_of(&db, &number, at);
        assert_eq!(case.contact_email, "yamada@other.test");
        assert_eq!(case.summary.site_name, "");
        assert_eq!(case.contact_language, Some(ContactLanguage::Ja));
    }

    #[test]
    fn an_unparseable_message_is_recorded_once_as_an_error() {
        let db = TempDb::new("inbound-error");
        let raw = b"\x00\x01garbage".to_vec();
        let bad = || Err(ParseError::Unreadable("no headers".into()));
        let outcome = db.write(|tx| take(tx, &sla(), &config(), &raw, bad(), t0()));
        assert_eq!(
            outcome,
            Outcome::Unparseable("not a mail message: no headers".into())
        );
        assert_eq!(
            outcome.disposition(),
            Disposition::Unparseable("not a mail message: no headers".into())
        );
        let again = db.write(|tx| take(tx, &sla(), &config(), &raw, bad(), t0()));
        assert_eq!(again, Outcome::Duplicate);
        let (state, reason): (String, String) = db.write(|tx: &Connection| {
            Ok(tx.query_row("SELECT state, reason FROM mail_in", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?)
        });
        assert_eq!(
            (state.as_str(), reason.as_str()),
            ("error", "not a mail message: no headers")
        );
    }

    #[test]
    fn a_raw_reply_received_twice_by_the_server_is_one_note() {
        let db_dir = std::env::temp_dir().join(format!(
            "casedesk-mail-inbound-receive-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&db_dir);
        std::fs::create_dir_all(&db_dir).unwrap();
        let db = crate::server::db::Db::open(&db_dir.join("case.db")).unwrap();
        let at = t0() + TimeDelta::hours(1);
        let new = serde_json::from_value(json!({
            "subject": "BGP", "priority": "P3", "contact_name": "Ichiro Suzuki",
            "contact_email": CONTACT
        }))
        .unwrap();
        let number = db
            .write_blocking(|tx| store::create_case(tx, &sla(), &new, &agent(), t0()))
            .unwrap()
            .summary
            .number
            .to_string();
        let (_stop, shutdown) = tokio::sync::watch::channel(false);
        let state = AppState::new(
            db,
            sla(),
            crate::server::clock::Clock::Fixed(at),
            shutdown,
            Some(Arc::new(config())),
        )
        .unwrap();
        let raw = format!(
            "From: Ichiro Suzuki <{CONTACT}>\r\nTo: support@example.test\r\nMessage-ID: <raw1@example.test>\r\nSubject: Re: [{number}] BGP\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nStill flapping.\r\n\r\n> old\r\n"
        );
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let seq = state.seq();
        for _ in 0..2 {
            let done = runtime.block_on(receive(&state, raw.as_bytes())).unwrap();
            assert_eq!(done, Disposition::Processed);
        }
        assert!(state.seq() > seq, "followers are told");
        let case = state
            .db()
            .read_blocking(|c| get_case(c, &sla(), &number, at))
            .unwrap();
        assert_eq!(case.notes.len(), 1);
        assert_eq!(case.notes[0].body, "Still flapping.");
        drop(state);
        let _ = std::fs::remove_dir_all(&db_dir);
    }

    #[test]
    fn case_numbers_are_found_in_subjects() {
        let found = |s: &str| {
            case_numbers(s)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(found("Re: [2026-1122-000123] PSU"), ["2026-1122-000123"]);
        assert_eq!(
            found("2026-1122-000123 and 2026-1123-000001"),
            ["2026-1122-000123", "2026-1123-000001"]
        );
        assert!(found("12026-1122-000123").is_empty());
        assert!(found("2026-1122-0001234").is_empty());
        assert!(found("2026-1322-000123 件名").is_empty(), "no such date");
        assert_eq!(found("件名【2026-1122-000123】"), ["2026-1122-000123"]);
        assert_eq!(case_subject("RE: Fwd: [2026-1122-000123] PSU"), "PSU");
        assert_eq!(case_subject("返信: 電源"), "電源");
        assert_eq!(case_subject("Re:"), "");
    }
}
