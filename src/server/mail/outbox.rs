//! The queue of outgoing mail (`mail_out`): written in the same transaction as the feed
//! cursor, so each event queues its mail once; sent and retried by `smtp`.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use lettre::message::Mailbox;
use rusqlite::{Connection, OptionalExtension};

use super::compose::{self, AutoSubmitted, Outgoing};
use super::config::{MailConfig, MailLanguage};
use super::templates::{TemplateKind, Vars};
use crate::api::{CaseMail, OutgoingMail};
use crate::server::store::{self, StoreError, opt_time_col, time_col, ts};

/// A mail to queue.
#[derive(Debug, Clone)]
pub struct NewMail {
    /// What event it is for: `ack:NUMBER`, `note:ID`, `priority:SEQ`, ...; unique.
    pub event_key: String,
    /// The case, if it is about one.
    pub case_number: Option<String>,
    /// The public note it carries.
    pub note_id: Option<i64>,
    /// The template kind's name.
    pub kind: &'static str,
    /// Its Message-ID (without brackets).
    pub message_id: String,
    /// `Name <addr>`.
    pub recipient: String,
    /// The subject.
    pub subject: String,
    /// The composed message.
    pub raw: Vec<u8>,
    /// When it was queued.
    pub at: DateTime<Utc>,
}

/// Where a queued mail stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailState {
    /// Waiting to be sent (or to be retried).
    Queued,
    /// Accepted by the mail server.
    Sent,
    /// Refused for good, or given up after the last retry.
    Failed,
}

impl MailState {
    /// `queued`, `sent` or `failed`, as stored and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            MailState::Queued => "queued",
            MailState::Sent => "sent",
            MailState::Failed => "failed",
        }
    }
}

/// A mail to write from a template and queue: what `feed` and `inbound` ask for.
#[derive(Debug, Clone)]
pub struct Letter {
    /// What event it is for (unique: the same key never queues twice).
    pub event_key: String,
    /// The case, if it is about one (its thread gives `In-Reply-To`/`References`).
    pub case_number: Option<String>,
    /// The public note it carries.
    pub note_id: Option<i64>,
    /// Which template.
    pub kind: TemplateKind,
    /// The contact.
    pub to: Mailbox,
    /// In which language.
    pub language: MailLanguage,
    /// The placeholders' values.
    pub vars: Vars,
    /// The subject (for a case: `compose::subject`).
    pub subject: String,
    /// Sent by itself, or a person's words.
    pub auto: Option<AutoSubmitted>,
    /// The message it answers, when it answers one that is not in a case's thread.
    pub in_reply_to: Option<String>,
}

/// Most message ids a `References` header carries: the thread's first and its newest, so a
/// long case does not grow an endless header (RFC 5322 §3.6.4 allows trimming the middle).
const MAX_REFERENCES: usize = 10;

/// Writes `letter` from its template and queues it, unless its event already queued one;
/// `true` when it was queued now.
///
/// A letter that cannot be written (a template placeholder without a value, text the
/// configured character set cannot carry) is recorded as failed with the reason, so the case
/// shows it, and does not stop the feed.
pub fn queue_letter(
    conn: &Connection,
    config: &MailConfig,
    letter: &Letter,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let known: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM mail_out WHERE event_key = ?1)",
        [&letter.event_key],
        |r| r.get(0),
    )?;
    if known {
        return Ok(false);
    }
    let message_id = compose::message_id(
        &letter.event_key,
        &server_id(conn)?,
        config.from.email.domain(),
    );
    let thread = match &letter.case_number {
        Some(number) => thread_of(conn, number)?,
        None => Vec::new(),
    };
    let in_reply_to = letter
        .in_reply_to
        .clone()
        .or_else(|| thread.last().cloned());
    let mut references = trimmed(thread);
    if let Some(answered) = &letter.in_reply_to
        && !references.contains(answered)
    {
        references.push(answered.clone());
    }
    let written = config
        .templates
        .render(letter.kind, letter.language, &letter.vars)
        .map_err(|e| e.to_string())
        .and_then(|body| {
            compose::render(&Outgoing {
                from: config.from.clone(),
                to: letter.to.clone(),
                subject: letter.subject.clone(),
                body,
                message_id: message_id.clone(),
                in_reply_to,
                references,
                auto: letter.auto,
                charset: config.charset,
                date: at,
            })
            .map_err(|e| e.to_string())
        });
    let mail = NewMail {
        event_key: letter.event_key.clone(),
        case_number: letter.case_number.clone(),
        note_id: letter.note_id,
        kind: letter.kind.name(),
        message_id,
        recipient: recipient(&letter.to),
        subject: letter.subject.clone(),
        raw: Vec::new(),
        at,
    };
    match written {
        Ok(raw) => insert(conn, &NewMail { raw, ..mail }, MailState::Queued, None),
        Err(why) => {
            tracing::warn!(event = %letter.event_key, error = %why, "mail cannot be written");
            insert(conn, &mail, MailState::Failed, Some(&why))?;
            Ok(false)
        }
    }
}

/// Tells the case's followers that one of its mails changed (queued, sent, failed): an event
/// on the change feed moves the case's ETag, so a client showing the case reads it again.
fn announce(conn: &Connection, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
    let row = conn
        .query_row(
            "SELECT case_number, kind, state, note_id, last_error, created_at, sent_at
               FROM mail_out WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    OutgoingMail {
                        kind: r.get(1)?,
                        state: r.get(2)?,
                        note_id: r.get(3)?,
                        error: r.get(4)?,
                        created_at: time_col(r, 5)?,
                        sent_at: opt_time_col(r, 6)?,
                    },
                ))
            },
        )
        .optional()?;
    if let Some((Some(number), mail)) = row {
        let data = serde_json::json!({ "case_number": number, "mail": mail });
        store::emit(conn, at, MAIL_EVENT, Some(&number), &data)?;
    }
    Ok(())
}

/// The change-feed event of a case's mail changing state.
pub const MAIL_EVENT: &str = "mail.updated";

/// Queues an already composed mail, unless its event already queued one; `true` when it was
/// queued now.
pub fn queue(conn: &Connection, mail: &NewMail) -> Result<bool, StoreError> {
    insert(conn, mail, MailState::Queued, None)
}

fn insert(
    conn: &Connection,
    mail: &NewMail,
    state: MailState,
    error: Option<&str>,
) -> Result<bool, StoreError> {
    let at = ts(mail.at);
    let inserted = conn.execute(
        "INSERT OR IGNORE INTO mail_out (event_key, case_number, note_id, kind, message_id,
            recipient, subject, raw, state, next_attempt_at, last_error, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10)",
        rusqlite::params![
            mail.event_key,
            mail.case_number,
            mail.note_id,
            mail.kind,
            mail.message_id,
            mail.recipient,
            mail.subject,
            mail.raw,
            state.as_str(),
            at,
            error,
        ],
    )?;
    if inserted == 1 {
        announce(conn, conn.last_insert_rowid(), mail.at)?;
    }
    Ok(inserted == 1 && state == MailState::Queued)
}

/// How a contact's mailbox is shown and stored: `Name <addr>`, or the bare address.
pub fn recipient(to: &Mailbox) -> String {
    match to.name.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => format!("{name} <{}>", to.email),
        _ => to.email.to_string(),
    }
}

/// The address part of a stored recipient (`Name <addr>` or `addr`).
pub fn recipient_address(recipient: &str) -> &str {
    match recipient.rsplit_once('<') {
        Some((_, rest)) => rest.trim_end().trim_end_matches('>').trim(),
        None => recipient.trim(),
    }
}

/// The server's stable id (made once by the migrations), which makes our Message-IDs ours.
fn server_id(conn: &Connection) -> Result<String, StoreError> {
    Ok(conn
        .query_row(
            "SELECT value FROM server_meta WHERE key = 'server_id'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default())
}

/// The message ids of a case's thread, oldest first: the mail we sent or will send (not the
/// mail that failed for good, which the contact never saw) and the contact's mail applied to
/// the case.
fn thread_of(conn: &Connection, number: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT message_id, at FROM (
             SELECT message_id, created_at AS at, 0 AS side, id FROM mail_out
              WHERE case_number = ?1 AND state != 'failed'
             UNION ALL
             SELECT message_id, received_at AS at, 1 AS side, id FROM mail_in
              WHERE case_number = ?1 AND state IN ('applied', 'opened', 'released')
         ) ORDER BY at, side, id",
    )?;
    let ids = stmt
        .query_map([number], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ids)
}

/// The thread's first message and its newest ones, at most [`MAX_REFERENCES`].
fn trimmed(mut thread: Vec<String>) -> Vec<String> {
    if thread.len() > MAX_REFERENCES {
        let newest = thread.split_off(thread.len() - (MAX_REFERENCES - 1));
        thread.truncate(1);
        thread.extend(newest);
    }
    thread
}

/// A queued mail the sender should try now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueMail {
    /// Its row.
    pub id: i64,
    /// Its Message-ID (without brackets), for the log.
    pub message_id: String,
    /// `Name <addr>`.
    pub recipient: String,
    /// The whole message, sent as is.
    pub raw: Vec<u8>,
    /// Attempts made so far.
    pub attempts: u32,
}

/// Queued mail due at `now`, oldest first, at most `limit`.
pub fn due(conn: &Connection, now: DateTime<Utc>, limit: u32) -> Result<Vec<DueMail>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, message_id, recipient, raw, attempts FROM mail_out
          WHERE state = 'queued' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2",
    )?;
    let rows = stmt
        .query_map((ts(now), limit), |r| {
            Ok(DueMail {
                id: r.get(0)?,
                message_id: r.get(1)?,
                recipient: r.get(2)?,
                raw: r.get(3)?,
                attempts: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// When the next queued mail falls due (now or later), if any is queued.
pub fn next_due(conn: &Connection) -> Result<Option<DateTime<Utc>>, StoreError> {
    let next: Option<String> = conn.query_row(
        "SELECT min(next_attempt_at) FROM mail_out WHERE state = 'queued'",
        [],
        |r| r.get(0),
    )?;
    Ok(next.and_then(|t| DateTime::parse_from_rfc3339(&t).ok().map(|t| t.to_utc())))
}

/// The mail server accepted mail `id` at `at`.
pub fn mark_sent(conn: &Connection, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
    let changed = conn.execute(
        "UPDATE mail_out SET state = 'sent', attempts = attempts + 1, sent_at = ?2,
            last_error = NULL WHERE id = ?1 AND state = 'queued'",
        (id, ts(at)),
    )?;
    if changed == 1 {
        announce(conn, id, at)?;
    }
    Ok(())
}

/// Attempts after which a mail is given up.
pub const MAX_ATTEMPTS: u32 = 8;

/// How long to wait after `attempts` failed attempts before the next one; `None` once the
/// mail is given up. 1 min, 5 min, 15 min, 1 h, then every 4 h until [`MAX_ATTEMPTS`]
/// (about half a day in all: long enough to ride out a mail server's restart or a night's
/// outage, short enough that the agent learns of a dead address the same day).
pub fn retry_delay(attempts: u32) -> Option<Duration> {
    const MINUTE: u64 = 60;
    let secs = match attempts {
        0 | 1 => MINUTE,
        2 => 5 * MINUTE,
        3 => 15 * MINUTE,
        4 => 60 * MINUTE,
        n if n < MAX_ATTEMPTS => 4 * 60 * MINUTE,
        _ => return None,
    };
    Some(Duration::from_secs(secs))
}

/// An attempt to send mail `id` failed at `now` with the mail server's `error`: a permanent
/// refusal fails it at once, anything else is retried later (see [`retry_delay`]) until it is
/// given up. Returns where the mail now stands.
pub fn mark_failed(
    conn: &Connection,
    id: i64,
    error: &str,
    permanent: bool,
    now: DateTime<Utc>,
) -> Result<MailState, StoreError> {
    let attempts: Option<u32> = conn
        .query_row(
            "SELECT attempts FROM mail_out WHERE id = ?1 AND state = 'queued'",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(attempts) = attempts.map(|a| a + 1) else {
        // Sent or failed already (a second sender, an agent): nothing to record.
        return Ok(MailState::Failed);
    };
    let retry = if permanent {
        None
    } else {
        retry_delay(attempts)
    };
    let (state, next) = match retry {
        Some(wait) => (
            MailState::Queued,
            now + TimeDelta::from_std(wait).unwrap_or(TimeDelta::hours(4)),
        ),
        None => (MailState::Failed, now),
    };
    conn.execute(
        "UPDATE mail_out SET state = ?2, attempts = ?3, next_attempt_at = ?4, last_error = ?5
          WHERE id = ?1",
        rusqlite::params![id, state.as_str(), attempts, ts(next), error],
    )?;
    announce(conn, id, now)?;
    Ok(state)
}

/// Where a case's mail goes and what was mailed, for its detail; `None` when the case has no
/// mail address and no mail was ever queued for it. `to` is empty when there is no address
/// (nothing more will be mailed).
pub fn case_mail(
    conn: &Connection,
    number: &str,
    config: &MailConfig,
) -> Result<Option<CaseMail>, StoreError> {
    let Some(contact) = contact_of(conn, number, config)? else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT kind, state, note_id, last_error, created_at, sent_at FROM mail_out
          WHERE case_number = ?1 ORDER BY created_at, id",
    )?;
    let outgoing = stmt
        .query_map([number], |r| {
            Ok(OutgoingMail {
                kind: r.get(0)?,
                state: r.get(1)?,
                note_id: r.get(2)?,
                error: r.get(3)?,
                created_at: time_col(r, 4)?,
                sent_at: opt_time_col(r, 5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let to = contact.mailbox.as_ref().map(recipient).unwrap_or_default();
    if to.is_empty() && outgoing.is_empty() {
        return Ok(None);
    }
    Ok(Some(CaseMail {
        to,
        language: contact.language.as_str().to_string(),
        outgoing,
    }))
}

/// A case's contact as mail sees them.
#[derive(Debug, Clone)]
pub struct Contact {
    /// Their mailbox; `None` when the case has no (usable) address.
    pub mailbox: Option<Mailbox>,
    /// The language of mail to them.
    pub language: MailLanguage,
}

/// The contact of case `number` (`None` when there is no such case).
pub fn contact_of(
    conn: &Connection,
    number: &str,
    config: &MailConfig,
) -> Result<Option<Contact>, StoreError> {
    let row: Option<(String, String, Option<String>)> = conn
        .query_row(
            "SELECT contact_name, contact_email, contact_language FROM cases WHERE number = ?1",
            [number],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(row.map(|(name, email, language)| Contact {
        mailbox: mailbox(&name, &email),
        language: language
            .as_deref()
            .and_then(MailLanguage::parse)
            .unwrap_or(config.language),
    }))
}

/// The mailbox of a contact: `None` without an address or with one that is not a mail
/// address (nothing can be sent there).
fn mailbox(name: &str, email: &str) -> Option<Mailbox> {
    let email = email.trim();
    if email.is_empty() {
        return None;
    }
    let address = email.parse().ok()?;
    let name = name.trim();
    Some(Mailbox::new(
        (!name.is_empty()).then(|| name.to_string()),
        address,
    ))
}

/// A database and a mail configuration for the channel's tests.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::{Path, PathBuf};

    use chrono::{DateTime, Utc};
    use rusqlite::Connection;
    use serde_json::json;

    use crate::api::Role;
    use crate::server::db::Db;
    use crate::server::mail::config::{MailConfig, MailFile};
    use crate::server::store::{Caller, Sla, StoreError, create_case};
    use crate::sla::{Calendars, Policies};

    /// A fresh database in its own temporary directory, removed on drop.
    pub(crate) struct TempDb {
        db: Option<Db>,
        dir: PathBuf,
    }

    impl TempDb {
        /// A new database named for the test.
        pub(crate) fn new(name: &str) -> TempDb {
            let dir =
                std::env::temp_dir().join(format!("casedesk-mail-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            let db = Db::open(&dir.join("case.db")).unwrap();
            TempDb { db: Some(db), dir }
        }

        /// Closes and opens the database again, as a restarted server does.
        pub(crate) fn restart(&mut self) {
            drop(self.db.take());
            self.db = Some(Db::open(&self.dir.join("case.db")).unwrap());
        }

        /// Runs `f` in one write transaction.
        pub(crate) fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T, StoreError>) -> T {
            self.db
                .as_ref()
                .unwrap()
                .write_blocking(|tx| f(tx))
                .unwrap()
        }
    }

    impl Drop for TempDb {
        fn drop(&mut self) {
            drop(self.db.take());
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    /// The built-in calendars and policies.
    pub(crate) fn sla() -> Sla {
        Sla {
            calendars: Calendars::builtin(),
            policies: Policies::builtin(),
        }
    }

    /// An agent.
    pub(crate) fn agent() -> Caller {
        Caller {
            name: "tanaka".into(),
            role: Role::Agent,
        }
    }

    /// Monday 2 March 2026, 10:00 in Tokyo: inside business hours, far from any holiday.
    pub(crate) fn t0() -> DateTime<Utc> {
        "2026-03-02T01:00:00Z".parse().unwrap()
    }

    /// A `[mail]` configuration sending from `Support <support@example.test>`.
    pub(crate) fn config() -> MailConfig {
        let file = MailFile {
            from: Some("Support <support@example.test>".into()),
            smtp: Some("smtp+plain://127.0.0.1:2525".into()),
            imap: Some("imap+plain://127.0.0.1:1143".into()),
            user: Some("support@example.test".into()),
            password_file: Some("password".into()),
            ..MailFile::default()
        };
        MailConfig::from_file(&file, Path::new("/nonexistent"), &|_: &Path| {
            Ok("secret".to_string())
        })
        .unwrap()
    }

    /// Opens a case at `at` (a P3 premium phone case for Ichiro Suzuki unless `extra` says
    /// otherwise); its number.
    pub(crate) fn open_case(db: &TempDb, at: DateTime<Utc>, extra: serde_json::Value) -> String {
        let mut fields = json!({
            "subject": "BGP session flaps", "priority": "P3", "tier": "premium",
            "channel": "phone", "site_name": "Tokyo", "site_id": "T1", "account": "A",
            "contact_name": "Ichiro Suzuki", "contact_email": "ichiro@example.test",
            "product": "MX", "platform": "MX480"
        });
        if let (Some(fields), Some(extra)) = (fields.as_object_mut(), extra.as_object()) {
            for (k, v) in extra {
                fields.insert(k.clone(), v.clone());
            }
        }
        let new = serde_json::from_value(fields).unwrap();
        let case = db.write(|tx| create_case(tx, &sla(), &new, &agent(), at));
        case.summary.number.to_string()
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;
    use serde_json::json;

    use super::testing::{TempDb, config, open_case, t0};
    use super::*;
    use crate::server::mail::feed;

    /// A case with its acknowledgement queued; the case's number and the mail's row.
    fn acknowledged(db: &TempDb) -> (String, i64) {
        let config = config();
        db.write(|tx| feed::follow(tx, &testing::sla(), &config, t0(), 100));
        let number = open_case(db, t0(), json!({}));
        db.write(|tx| feed::follow(tx, &testing::sla(), &config, t0(), 100));
        let id = db.write(|tx| {
            Ok(tx.query_row(
                "SELECT id FROM mail_out WHERE event_key = ?1",
                [format!("ack:{number}")],
                |r| r.get(0),
            )?)
        });
        (number, id)
    }

    fn row(db: &TempDb, id: i64) -> (String, u32, String, Option<String>) {
        db.write(|tx| {
            Ok(tx.query_row(
                "SELECT state, attempts, next_attempt_at, last_error FROM mail_out WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?)
        })
    }

    #[test]
    fn the_backoff_waits_longer_each_time_and_gives_up_after_eight_attempts() {
        let minutes = |m: u64| Some(Duration::from_secs(m * 60));
        let schedule: Vec<Option<Duration>> = (1..=9).map(retry_delay).collect();
        assert_eq!(
            schedule,
            vec![
                minutes(1),
                minutes(5),
                minutes(15),
                minutes(60),
                minutes(240),
                minutes(240),
                minutes(240),
                None,
                None
            ]
        );

        let db = TempDb::new("outbox-backoff");
        let (_, id) = acknowledged(&db);
        let mut now = t0();
        for attempt in 1..MAX_ATTEMPTS {
            let state = db.write(|tx| mark_failed(tx, id, "connection refused", false, now));
            assert_eq!(state, MailState::Queued, "attempt {attempt}");
            let wait = TimeDelta::from_std(retry_delay(attempt).unwrap()).unwrap();
            let (_, attempts, next, _) = row(&db, id);
            assert_eq!(attempts, attempt);
            assert_eq!(next, ts(now + wait));
            assert!(
                db.write(|tx| due(tx, now + wait - TimeDelta::seconds(1), 10))
                    .is_empty()
            );
            assert_eq!(db.write(|tx| due(tx, now + wait, 10)).len(), 1);
            now += wait;
        }
        let state = db.write(|tx| mark_failed(tx, id, "451 4.3.0 try later", false, now));
        assert_eq!(state, MailState::Failed);
        let (state, attempts, _, error) = row(&db, id);
        assert_eq!((state.as_str(), attempts), ("failed", MAX_ATTEMPTS));
        assert_eq!(error.as_deref(), Some("451 4.3.0 try later"));
        assert!(
            db.write(|tx| due(tx, now + TimeDelta::days(30), 10))
                .is_empty()
        );
        assert_eq!(db.write(next_due), None);
    }

    #[test]
    fn a_permanent_refusal_fails_at_once_with_the_servers_words_and_the_case_shows_it() {
        let db = TempDb::new("outbox-refused");
        let (number, id) = acknowledged(&db);
        let before = db.write(|tx| crate::server::store::case_tag(tx, &number));
        let words = "550 5.1.1 <ichiro@example.test>: Recipient address rejected";
        let state = db.write(|tx| mark_failed(tx, id, words, true, t0()));
        assert_eq!(state, MailState::Failed);
        let after = db.write(|tx| crate::server::store::case_tag(tx, &number));
        assert!(
            after.1 > before.1,
            "the case's ETag moves: {before:?} → {after:?}"
        );
        let mail = db
            .write(|tx| case_mail(tx, &number, &config()))
            .expect("the case has mail");
        assert_eq!(mail.to, "Ichiro Suzuki <ichiro@example.test>");
        assert_eq!(mail.language, "en");
        assert_eq!(mail.outgoing.len(), 1);
        let ack = &mail.outgoing[0];
        assert_eq!(
            (ack.kind.as_str(), ack.state.as_str()),
            ("acknowledgement", "failed")
        );
        assert_eq!(ack.error.as_deref(), Some(words));
        assert_eq!(ack.sent_at, None);
        // Failed for good: not tried again.
        assert!(
            db.write(|tx| due(tx, t0() + TimeDelta::days(1), 10))
                .is_empty()
        );
    }

    #[test]
    fn a_sent_mail_is_sent_once_and_the_case_shows_when() {
        let db = TempDb::new("outbox-sent");
        let (number, id) = acknowledged(&db);
        let queued = db.write(|tx| due(tx, t0(), 10));
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0].recipient, "Ichiro Suzuki <ichiro@example.test>");
        assert_eq!(
            recipient_address(&queued[0].recipient),
            "ichiro@example.test"
        );
        let at = t0() + TimeDelta::seconds(3);
        db.write(|tx| mark_sent(tx, id, at));
        assert!(
            db.write(|tx| due(tx, at + TimeDelta::days(1), 10))
                .is_empty()
        );
        let mail = db.write(|tx| case_mail(tx, &number, &config())).unwrap();
        assert_eq!(mail.outgoing[0].state, "sent");
        assert_eq!(mail.outgoing[0].sent_at, Some(at));
    }

    #[test]
    fn the_case_mail_is_in_the_contacts_language_and_absent_without_an_address() {
        let db = TempDb::new("outbox-case-mail");
        let number = open_case(&db, t0(), json!({}));
        db.write(|tx| {
            Ok(tx.execute(
                "UPDATE cases SET contact_language = 'ja' WHERE number = ?1",
                [&number],
            )?)
        });
        let mail = db.write(|tx| case_mail(tx, &number, &config())).unwrap();
        assert_eq!(
            (mail.to.as_str(), mail.language.as_str()),
            ("Ichiro Suzuki <ichiro@example.test>", "ja")
        );
        assert!(mail.outgoing.is_empty());

        let nowhere = open_case(&db, t0(), json!({ "contact_email": "" }));
        assert_eq!(db.write(|tx| case_mail(tx, &nowhere, &config())), None);
    }

    #[test]
    fn a_long_thread_keeps_its_first_and_newest_references() {
        let ids: Vec<String> = (0..15).map(|i| format!("m{i}@x")).collect();
        let kept = trimmed(ids.clone());
        assert_eq!(kept.len(), MAX_REFERENCES);
        assert_eq!(kept[0], "m0@x");
        assert_eq!(kept[1..], ids[6..]);
        assert_eq!(trimmed(ids[..3].to_vec()), ids[..3].to_vec());
    }

    #[test]
    fn a_letter_that_cannot_be_written_is_recorded_as_failed_and_not_sent() {
        let db = TempDb::new("outbox-unwritable");
        let number = open_case(&db, t0(), json!({}));
        let letter = Letter {
            event_key: format!("note:{number}"),
            case_number: Some(number.clone()),
            note_id: None,
            kind: TemplateKind::Note,
            to: "Ichiro Suzuki <ichiro@example.test>".parse().unwrap(),
            language: MailLanguage::En,
            // No values: the template's {contact} has none.
            vars: Vars::new(),
            subject: compose::subject(&number, "BGP session flaps"),
            auto: None,
            in_reply_to: None,
        };
        let queued = db.write(|tx| queue_letter(tx, &config(), &letter, t0()));
        assert!(!queued);
        assert!(db.write(|tx| due(tx, t0(), 10)).is_empty());
        let mail = db.write(|tx| case_mail(tx, &number, &config())).unwrap();
        assert_eq!(mail.outgoing[0].state, "failed");
        let error = mail.outgoing[0].error.clone().unwrap_or_default();
        assert!(error.contains("{contact}"), "{error}");
        // Once per event, failed or not.
        assert!(!db.write(|tx| queue_letter(tx, &config(), &letter, t0())));
        assert_eq!(
            db.write(|tx| case_mail(tx, &number, &config()))
                .unwrap()
                .outgoing
                .len(),
            1
        );
    }
}
