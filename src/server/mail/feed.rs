//! The change feed → the mail queue: reads each event once (a cursor in `mail_meta`, moved in
//! the same transaction as the mail it queues) and queues what the contact should be told.
//!
//! What is mailed: a new case's acknowledgement; a public note written by support (never an
//! internal note, a logged call, a contact attempt or the customer's own words); a priority
//! change with the new expected response; an RMA once it is issued; resolved; closed by the
//! auto-close job. `mail_threads` remembers the priority and status the contact last heard
//! of, so each change is mailed once however many `case.updated` events follow.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension};
use serde::Deserialize;
use tokio::sync::Notify;

use super::compose::{self, AutoSubmitted};
use super::config::{MailConfig, MailLanguage};
use super::outbox::{self, Contact, Letter};
use super::templates::{TemplateKind, Vars};
use super::wording;
use crate::api::{CaseSummary, Note, NoteKind, Rma};
use crate::domain::{CloseReason, Party, Priority, Status, Visibility};
use crate::server::state::AppState;
use crate::server::store::{self, Sla, StoreError};
use crate::sla::{ClockKind, ClockReport};

/// The `mail_meta` key of the feed's cursor: the last change sequence read.
const CURSOR: &str = "feed_seq";

/// Events read per transaction.
const BATCH: u32 = 500;

/// How often the feed looks even without a new change (a missed wake-up costs this much).
const TICK: Duration = Duration::from_secs(5);

/// What one pass over the feed did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FeedReport {
    /// Events read.
    pub events: usize,
    /// Mail queued.
    pub queued: usize,
    /// Whether more events wait after this batch.
    pub more: bool,
}

/// Follows the feed until the server stops, waking `sender` when mail was queued.
pub async fn run(state: AppState, config: Arc<MailConfig>, sender: Arc<Notify>) {
    let mut changes = state.subscribe();
    let mut shutdown = state.shutdown();
    loop {
        let config = config.clone();
        let clock = state.clock();
        let pass = state
            .write(move |tx, sla| follow(tx, sla, &config, clock.now(), BATCH))
            .await;
        let more = match pass {
            Ok(report) => {
                if report.queued > 0 {
                    tracing::info!(queued = report.queued, "mail queued");
                    sender.notify_one();
                }
                report.more
            }
            Err(e) => {
                tracing::warn!(error = ?e, "mail feed failed; retrying");
                false
            }
        };
        if more {
            continue;
        }
        tokio::select! {
            _ = changes.changed() => {}
            _ = tokio::time::sleep(TICK) => {}
            _ = shutdown.wait_for(|stopping| *stopping) => return,
        }
    }
}

/// Reads the events after the cursor (at most `limit`), queues their mail and moves the
/// cursor, all on `conn` (one transaction, so a crash queues nothing twice and loses nothing).
/// The first run starts at the newest event: switching mail on does not mail the past.
pub fn follow(
    conn: &Connection,
    sla: &Sla,
    config: &MailConfig,
    at: DateTime<Utc>,
    limit: u32,
) -> Result<FeedReport, StoreError> {
    let Some(cursor) = cursor(conn)? else {
        set_cursor(conn, store::current_seq(conn)?)?;
        return Ok(FeedReport::default());
    };
    let events = store::events_after(conn, cursor, limit)?;
    let mut report = FeedReport {
        events: events.len(),
        more: events.len() as u32 >= limit,
        ..FeedReport::default()
    };
    let Some(last) = events.last().map(|e| e.seq) else {
        return Ok(report);
    };
    for event in &events {
        for letter in decide(conn, sla, config, event, at)? {
            if outbox::queue_letter(conn, config, &letter, at)? {
                report.queued += 1;
            }
        }
    }
    set_cursor(conn, last)?;
    Ok(report)
}

fn cursor(conn: &Connection) -> Result<Option<i64>, StoreError> {
    let value: Option<String> = conn
        .query_row(
            "SELECT value FROM mail_meta WHERE key = ?1",
            [CURSOR],
            |r| r.get(0),
        )
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()))
}

fn set_cursor(conn: &Connection, seq: i64) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO mail_meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (CURSOR, seq.to_string()),
    )?;
    Ok(())
}

/// The payload of `note.added`.
#[derive(Deserialize)]
struct NoteAdded {
    case_number: String,
    note: Note,
}

/// An event's payload, or `None` (logged) when it cannot be read: a payload this server
/// wrote and cannot read back is a bug, not a reason to stop mailing.
fn payload<T: serde::de::DeserializeOwned>(event: &store::StoredEvent) -> Option<T> {
    serde_json::from_str(&event.data)
        .inspect_err(|e| {
            tracing::warn!(seq = event.seq, kind = %event.kind, error = %e, "unreadable event");
        })
        .ok()
}

/// The mail one event asks for (none for most).
fn decide(
    conn: &Connection,
    sla: &Sla,
    config: &MailConfig,
    event: &store::StoredEvent,
    at: DateTime<Utc>,
) -> Result<Vec<Letter>, StoreError> {
    let letters = match event.kind.as_str() {
        "case.created" => {
            let Some(case) = payload::<CaseSummary>(event) else {
                return Ok(Vec::new());
            };
            let number = case.number.to_string();
            remember(conn, &number, case.priority, case.status)?;
            letter(
                conn,
                sla,
                config,
                &number,
                TemplateKind::Acknowledgement,
                at,
            )?
            .map(|l| l.keyed(format!("ack:{number}")))
            .into_iter()
            .collect()
        }
        "case.updated" => match payload::<CaseSummary>(event) {
            Some(case) => changed(conn, sla, config, event.seq, &case, at)?,
            None => Vec::new(),
        },
        "note.added" => {
            let Some(NoteAdded { case_number, note }) = payload(event) else {
                return Ok(Vec::new());
            };
            let mailed = note.party == Party::Support
                && note.visibility == Visibility::Public
                && note.kind == NoteKind::Note;
            if !mailed {
                return Ok(Vec::new());
            }
            let Some(mut letter) = letter(conn, sla, config, &case_number, TemplateKind::Note, at)?
            else {
                return Ok(Vec::new());
            };
            letter.vars.insert("note", note.body.clone());
            letter.vars.insert("author", note.author.clone());
            letter.note_id = Some(note.id);
            // A person's words, not an automatic message (RFC 3834).
            letter.auto = None;
            vec![letter.keyed(format!("note:{}", note.id))]
        }
        "rma.created" | "rma.updated" => {
            let Some(rma) = payload::<Rma>(event).filter(|r| r.issued_at.is_some()) else {
                return Ok(Vec::new());
            };
            let number = rma.case_number.to_string();
            let Some(mut letter) = letter(conn, sla, config, &number, TemplateKind::RmaIssued, at)?
            else {
                return Ok(Vec::new());
            };
            let zone = zone_of(conn, sla, &number)?;
            letter.vars.insert("rma", rma.number.to_string());
            letter.vars.insert("part", rma.part_number.clone());
            letter.vars.insert(
                "return_due",
                wording::date(rma.return_due, zone, letter.language),
            );
            vec![letter.keyed(format!("rma:{}", rma.number))]
        }
        _ => Vec::new(),
    };
    Ok(letters)
}

/// The mail a `case.updated` asks for: what changed since the contact last heard.
fn changed(
    conn: &Connection,
    sla: &Sla,
    config: &MailConfig,
    seq: i64,
    case: &CaseSummary,
    at: DateTime<Utc>,
) -> Result<Vec<Letter>, StoreError> {
    let number = case.number.to_string();
    let told: Option<(String, String)> = conn
        .query_row(
            "SELECT priority, status FROM mail_threads WHERE case_number = ?1",
            [&number],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    remember(conn, &number, case.priority, case.status)?;
    // A case opened before mail was switched on: what it says now is the starting point.
    let Some((priority, status)) = told else {
        return Ok(Vec::new());
    };
    let mut letters = Vec::new();
    if priority != case.priority.as_str()
        && let Some(mut letter) = letter(
            conn,
            sla,
            config,
            &number,
            TemplateKind::PriorityChanged,
            at,
        )?
    {
        // The event's priority, not the case's now: each change is told as it was made.
        fill_priority(&mut letter.vars, case.priority, letter.language);
        letters.push(letter.keyed(format!("priority:{seq}")));
    }
    if status != case.status.as_str() {
        let kind = match case.status {
            Status::Resolved => Some((TemplateKind::Resolved, "resolved")),
            Status::Closed if closed_for_no_reply(conn, &number)? => {
                Some((TemplateKind::AutoClosed, "closed"))
            }
            _ => None,
        };
        if let Some((kind, key)) = kind
            && let Some(letter) = letter(conn, sla, config, &number, kind, at)?
        {
            letters.push(letter.keyed(format!("{key}:{seq}")));
        }
    }
    Ok(letters)
}

/// Records what the contact has now been told of the case (or, with no mail, would have been).
fn remember(
    conn: &Connection,
    number: &str,
    priority: Priority,
    status: Status,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO mail_threads (case_number, priority, status) VALUES (?1, ?2, ?3)
         ON CONFLICT (case_number) DO UPDATE SET priority = excluded.priority,
             status = excluded.status",
        (number, priority.as_str(), status.as_str()),
    )?;
    Ok(())
}

/// Whether the case was closed for want of the customer's reply (what the auto-close job
/// records; an agent who closes it with that reason tells the same story).
fn closed_for_no_reply(conn: &Connection, number: &str) -> Result<bool, StoreError> {
    let reason: Option<String> = conn
        .query_row(
            "SELECT close_reason FROM cases WHERE number = ?1",
            [number],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    Ok(reason.as_deref() == Some(CloseReason::NoCustomerResponse.as_str()))
}

impl Letter {
    /// The letter for event `key`.
    fn keyed(mut self, key: String) -> Letter {
        self.event_key = key;
        self
    }
}

/// A letter of `kind` about case `number` to its contact, with the case's placeholders
/// filled; `None` when the case has no mail address (nothing is queued, nothing fails).
fn letter(
    conn: &Connection,
    sla: &Sla,
    config: &MailConfig,
    number: &str,
    kind: TemplateKind,
    at: DateTime<Utc>,
) -> Result<Option<Letter>, StoreError> {
    let Some(Contact {
        mailbox: Some(to),
        language,
    }) = outbox::contact_of(conn, number, config)?
    else {
        return Ok(None);
    };
    let case = store::get_case(conn, sla, number, at)?;
    let zone = zone_of(conn, sla, number)?;
    let summary = &case.summary;
    let mut vars = Vars::new();
    vars.insert("case", number.to_string());
    vars.insert("subject", summary.subject.clone());
    vars.insert(
        "contact",
        to.name.clone().unwrap_or_else(|| to.email.to_string()),
    );
    vars.insert("desk", desk_name(config));
    vars.insert(
        "status",
        wording::status(summary.status, language).to_string(),
    );
    vars.insert("author", last_actor(conn, number)?);
    fill_priority(&mut vars, summary.priority, language);
    vars.insert(
        "first_response_due",
        wording::instant(due(&case.clocks, ClockKind::FirstResponse), zone, language),
    );
    vars.insert(
        "next_update_due",
        wording::instant(next_response_due(&case.clocks), zone, language),
    );
    Ok(Some(Letter {
        event_key: String::new(),
        case_number: Some(number.to_string()),
        note_id: None,
        kind,
        to,
        language,
        vars,
        subject: compose::subject(number, &summary.subject),
        auto: Some(AutoSubmitted::AutoGenerated),
        in_reply_to: None,
    }))
}

fn fill_priority(vars: &mut Vars, priority: Priority, language: MailLanguage) {
    vars.insert("priority", priority.as_str().to_string());
    vars.insert(
        "priority_label",
        wording::priority_label(priority, language).to_string(),
    );
    vars.insert(
        "priority_meaning",
        wording::priority_meaning(priority, language).to_string(),
    );
}

/// The desk's name as the contact sees it: `from`'s display name, else its address.
fn desk_name(config: &MailConfig) -> String {
    config
        .from
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| config.from.email.to_string())
}

/// Who last acted on the case (the engineer who changed its priority or resolved it).
fn last_actor(conn: &Connection, number: &str) -> Result<String, StoreError> {
    Ok(conn
        .query_row(
            "SELECT actor FROM case_events WHERE case_number = ?1 ORDER BY at DESC, id DESC LIMIT 1",
            [number],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default())
}

/// When a clock of `kind` is due, if it is running or breached (not met, not paused).
fn due(clocks: &ClockReport, kind: ClockKind) -> Option<DateTime<Utc>> {
    clocks
        .clocks
        .iter()
        .find(|c| c.kind == kind && c.met_at.is_none())
        .and_then(|c| c.due)
}

/// When support's next response is due (SPEC §2.2, "the new expected response time"): the
/// first response while none was given, else the next update.
fn next_response_due(clocks: &ClockReport) -> Option<DateTime<Utc>> {
    due(clocks, ClockKind::FirstResponse).or_else(|| due(clocks, ClockKind::Update))
}

/// The time zone of the case's site: its calendar's, else the desk's site calendar's.
fn zone_of(conn: &Connection, sla: &Sla, number: &str) -> Result<Tz, StoreError> {
    let name =
        store::case_calendar(conn, number)?.unwrap_or_else(|| sla.policies.site_calendar.clone());
    let calendar = sla
        .calendars
        .get(&name)
        .or_else(|_| sla.calendars.get(&sla.policies.site_calendar))
        .map_err(|e| StoreError::invalid("calendar", e.to_string()))?;
    Ok(calendar.zone())
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;
    use mail_parser::MessageParser;
    use serde_json::json;

    use super::*;
    use crate::server::mail::outbox::testing::{TempDb, agent, config, open_case, sla, t0};
    use crate::server::store::{add_note, create_rma, patch_case, patch_rma, run_jobs};

    /// A queued mail as the tests read it back.
    #[derive(Debug)]
    struct Queued {
        event_key: String,
        kind: String,
        recipient: String,
        message_id: String,
        note_id: Option<i64>,
        raw: Vec<u8>,
    }

    impl Queued {
        /// The mail's text, decoded.
        fn text(&self) -> String {
            let message = MessageParser::default().parse(&self.raw).unwrap();
            message.body_text(0).unwrap().into_owned()
        }

        /// A header's raw value, trimmed.
        fn header(&self, name: &str) -> Option<String> {
            let message = MessageParser::default().parse(&self.raw).unwrap();
            message
                .header_raw(name)
                .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
        }
    }

    fn queued(db: &TempDb) -> Vec<Queued> {
        db.write(|tx| {
            let mut stmt = tx.prepare(
                "SELECT event_key, kind, recipient, message_id, note_id, raw FROM mail_out ORDER BY id",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(Queued {
                        event_key: r.get(0)?,
                        kind: r.get(1)?,
                        recipient: r.get(2)?,
                        message_id: r.get(3)?,
                        note_id: r.get(4)?,
                        raw: r.get(5)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
    }

    fn follow_at(db: &TempDb, at: DateTime<Utc>) -> FeedReport {
        db.write(|tx| follow(tx, &sla(), &config(), at, BATCH))
    }

    /// A database whose feed cursor is set (mail switched on before anything happened).
    fn switched_on(name: &str) -> TempDb {
        let db = TempDb::new(name);
        assert_eq!(follow_at(&db, t0()), FeedReport::default());
        db
    }

    fn patch(db: &TempDb, number: &str, patch: serde_json::Value, at: DateTime<Utc>) {
        let patch = serde_json::from_value(patch).unwrap();
        db.write(|tx| {
            let version = store::case_tag(tx, number)?.0;
            patch_case(tx, &sla(), number, &patch, version, &agent(), at)
        });
    }

    fn note(db: &TempDb, number: &str, body: serde_json::Value, at: DateTime<Utc>) -> i64 {
        let new = serde_json::from_value(body).unwrap();
        db.write(|tx| {
            let version = store::case_tag(tx, number)?.0;
            add_note(tx, &sla(), number, &new, version, &agent(), at)
        })
        .id
    }

    #[test]
    fn switching_mail_on_mails_nothing_that_happened_before() {
        let db = TempDb::new("feed-start");
        open_case(&db, t0(), json!({}));
        assert_eq!(
            follow_at(&db, t0()).queued,
            0,
            "the first run sets the cursor"
        );
        assert_eq!(follow_at(&db, t0()).events, 0);
        assert!(queued(&db).is_empty());

        let number = open_case(&db, t0(), json!({}));
        assert_eq!(follow_at(&db, t0()).queued, 1);
        let keys: Vec<String> = queued(&db).into_iter().map(|q| q.event_key).collect();
        assert_eq!(keys, vec![format!("ack:{number}")]);
    }

    #[test]
    fn a_new_case_is_acknowledged_once_with_its_number_priority_and_first_response_due() {
        let mut db = switched_on("feed-ack");
        let number = open_case(&db, t0(), json!({ "priority": "P1" }));
        assert_eq!(follow_at(&db, t0()).queued, 1);
        let mail = queued(&db);
        assert_eq!(mail.len(), 1, "{mail:?}");
        let ack = &mail[0];
        assert_eq!(ack.kind, "acknowledgement");
        assert_eq!(ack.recipient, "Ichiro Suzuki <ichiro@example.test>");
        assert_eq!(
            ack.header("Subject").as_deref(),
            Some(format!("[{number}] BGP session flaps").as_str())
        );
        assert_eq!(
            ack.header("Auto-Submitted").as_deref(),
            Some("auto-generated")
        );
        assert_eq!(
            ack.header("Message-ID"),
            Some(format!("<{}>", ack.message_id))
        );
        let text = ack.text();
        assert!(text.contains(&number), "{text}");
        assert!(text.contains("P1"), "{text}");
        // Premium phone P1: one hour, 24x7, from 10:00 in Tokyo (the site's zone).
        assert!(text.contains("Mon 2 Mar 2026, 11:00 JST"), "{text}");

        // Read again, and again after a restart (and with the cursor lost): still once.
        assert_eq!(follow_at(&db, t0()).queued, 0);
        db.restart();
        assert_eq!(follow_at(&db, t0()).queued, 0);
        db.write(|tx| set_cursor(tx, 0));
        assert_eq!(follow_at(&db, t0()).queued, 0);
        assert_eq!(queued(&db).len(), 1);

        // The feed goes on after the restart.
        let second = open_case(&db, t0(), json!({}));
        assert_eq!(follow_at(&db, t0()).queued, 1);
        assert_eq!(queued(&db)[1].event_key, format!("ack:{second}"));
    }

    #[test]
    fn public_notes_by_support_are_mailed_and_internal_notes_calls_and_customer_words_are_not() {
        let db = switched_on("feed-notes");
        let number = open_case(&db, t0(), json!({}));
        follow_at(&db, t0());
        let at = t0() + TimeDelta::minutes(5);
        let public = note(
            &db,
            &number,
            json!({ "body": "Please send the output of show bgp summary.", "visibility": "public" }),
            at,
        );
        note(
            &db,
            &number,
            json!({ "body": "Looks like the known PR 1234567.", "visibility": "internal" }),
            at,
        );
        note(
            &db,
            &number,
            json!({ "body": "Called, no answer.", "kind": "contact_failed", "visibility": "internal" }),
            at,
        );
        note(
            &db,
            &number,
            json!({ "body": "Talked it through on the phone.", "kind": "call", "visibility": "public" }),
            at,
        );
        note(
            &db,
            &number,
            json!({ "body": "Here is the output.", "visibility": "public", "from_customer": true }),
            at,
        );
        assert_eq!(follow_at(&db, at).queued, 1);
        let mail = queued(&db);
        let notes: Vec<&Queued> = mail.iter().filter(|m| m.kind == "note").collect();
        assert_eq!(notes.len(), 1, "{mail:?}");
        assert_eq!(notes[0].event_key, format!("note:{public}"));
        assert_eq!(notes[0].note_id, Some(public));
        assert_eq!(notes[0].header("Auto-Submitted"), None, "a person's words");
        let text = notes[0].text();
        assert!(text.contains("show bgp summary"), "{text}");
        assert!(!text.contains("PR 1234567"), "{text}");
        // Threaded under the acknowledgement.
        let ack = &mail[0];
        assert_eq!(
            notes[0].header("In-Reply-To"),
            Some(format!("<{}>", ack.message_id))
        );
        assert_eq!(
            notes[0].header("References"),
            Some(format!("<{}>", ack.message_id))
        );
    }

    #[test]
    fn a_priority_change_is_mailed_once_with_the_new_expected_response() {
        let db = switched_on("feed-priority");
        let number = open_case(&db, t0(), json!({ "priority": "P4", "tier": "tac-care" }));
        follow_at(&db, t0());
        let at = t0() + TimeDelta::minutes(10);
        patch(
            &db,
            &number,
            json!({ "priority": "P1", "reason": "production down" }),
            at,
        );
        // More updates that change neither priority nor status.
        note(
            &db,
            &number,
            json!({ "body": "Checking logs.", "visibility": "internal" }),
            at,
        );
        assert_eq!(follow_at(&db, at).queued, 1);
        let mail = queued(&db);
        let changed: Vec<&Queued> = mail
            .iter()
            .filter(|m| m.kind == "priority_changed")
            .collect();
        assert_eq!(changed.len(), 1, "{mail:?}");
        assert!(changed[0].event_key.starts_with("priority:"));
        let text = changed[0].text();
        assert!(text.contains("P1"), "{text}");
        // tac-care P1: first response in 1 hour 24x7 from creation at 10:00 in Tokyo (the
        // P4's was a day).
        assert!(text.contains("Mon 2 Mar 2026, 11:00 JST"), "{text}");
        assert_eq!(follow_at(&db, at).queued, 0);
    }

    #[test]
    fn resolving_and_auto_closing_are_mailed() {
        let db = switched_on("feed-status");
        let resolved = open_case(&db, t0(), json!({}));
        let waiting = open_case(&db, t0(), json!({}));
        let at = t0() + TimeDelta::minutes(5);
        for number in [&resolved, &waiting] {
            patch(&db, number, json!({ "status": "open" }), at);
        }
        patch(&db, &resolved, json!({ "status": "resolved" }), at);
        patch(
            &db,
            &waiting,
            json!({ "status": "waiting_on_customer" }),
            at,
        );
        let later = at + TimeDelta::days(15);
        db.write(|tx| run_jobs(tx, &sla(), later));
        follow_at(&db, later);
        let kinds: Vec<(String, String)> = queued(&db)
            .into_iter()
            .filter(|m| !m.event_key.starts_with("ack:"))
            .map(|m| {
                (
                    m.kind,
                    m.event_key.split(':').next().unwrap_or("").to_string(),
                )
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("resolved".to_string(), "resolved".to_string()),
                ("auto_closed".to_string(), "closed".to_string()),
            ]
        );
    }

    #[test]
    fn an_rma_is_mailed_once_when_it_is_issued() {
        let db = switched_on("feed-rma");
        let number = open_case(&db, t0(), json!({ "serial_number": "JN6F9D6E4C72" }));
        let new = serde_json::from_value(json!({ "part_number": "PWR-MX480-AC", "issue": false }))
            .unwrap();
        let rma = db.write(|tx| {
            let version = store::case_tag(tx, &number)?.0;
            create_rma(tx, &sla(), &number, &new, version, &agent(), t0())
        });
        follow_at(&db, t0());
        assert!(
            queued(&db).iter().all(|m| m.kind != "rma_issued"),
            "not issued yet"
        );
        for status in ["issued", "replacement_shipped"] {
            let patch = serde_json::from_value(json!({ "status": status })).unwrap();
            db.write(|tx| patch_rma(tx, &sla(), &rma.number.to_string(), &patch, &agent(), t0()));
            follow_at(&db, t0());
        }
        let mail = queued(&db);
        let issued: Vec<&Queued> = mail.iter().filter(|m| m.kind == "rma_issued").collect();
        assert_eq!(issued.len(), 1, "{mail:?}");
        assert_eq!(issued[0].event_key, format!("rma:{}", rma.number));
        let text = issued[0].text();
        assert!(text.contains(&rma.number.to_string()), "{text}");
        assert!(text.contains("PWR-MX480-AC"), "{text}");
        // Ten business days from Monday 2 March: Monday 16 March.
        assert!(text.contains("Mon 16 Mar 2026"), "{text}");
    }

    #[test]
    fn a_case_without_a_mail_address_queues_nothing_and_fails_nothing() {
        let db = switched_on("feed-no-address");
        let number = open_case(&db, t0(), json!({ "contact_email": "" }));
        note(
            &db,
            &number,
            json!({ "body": "Called you back.", "visibility": "public" }),
            t0(),
        );
        assert_eq!(follow_at(&db, t0()).queued, 0);
        assert!(queued(&db).is_empty());
    }
}
