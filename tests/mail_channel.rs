//! The mail channel end to end (issue 16, "How it is checked"): the real binary
//! `casedesk serve --config FILE` with a `[mail]` table, against the real mail system of
//! tests/fixtures/mail/ (Dovecot + an SMTP front end on loopback). Mail out is read from the
//! contact's Maildir; mail in is sent by SMTP to the desk's mailbox as a customer's mail server
//! would deliver it, and seen through the case API.
//!
//! Runs only with `CASEDESK_MAIL_TESTS=1` (see tests/common/mail.rs); each test has its own
//! server and its own addresses on the one mail system of this test binary.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use base64::Engine;
use chrono::{DateTime, Utc};
use common::desk::Desk;
use common::mail::{Addresses, MAIL_WAIT, MailSystem, Stored};
use common::{Api, Server, clock, number};
use serde_json::{Value, json};

/// A desk for one test: a server whose `[mail]` reads and sends as the test's own desk address.
struct MailDesk {
    server: Server,
    token: String,
    api: Api,
    mail: MailSystem,
    to: Addresses,
    _config_dir: PathBuf,
}

impl MailDesk {
    /// Starts `casedesk serve --config FILE` with the fixture's `[mail]` plus `extra` lines.
    fn start(mail: &MailSystem, what: &str, extra: &str) -> MailDesk {
        let to = mail.addresses(what);
        let config_dir = common::temp_dir("casedesk-mail-config");
        let config = config_dir.join("casedesk.toml");
        std::fs::write(&config, mail.config(&to.desk, extra)).expect("write the config");
        let server = Server::start_with(&["--config", &config.display().to_string()]);
        let token = server.token("agent", "tanaka");
        let api = server.client(&token);
        MailDesk {
            server,
            token,
            api,
            mail: mail.clone(),
            to,
            _config_dir: config_dir,
        }
    }

    /// Opens a case of `priority` whose contact is the test's customer.
    async fn open_case(&self, subject: &str, priority: &str) -> String {
        self.open_case_for(subject, priority, &self.to.customer.clone())
            .await
    }

    /// Opens a case of `priority` whose contact is `address`.
    async fn open_case_for(&self, subject: &str, priority: &str, address: &str) -> String {
        let case = self
            .api
            .create_case(json!({
                "subject": subject,
                "priority": priority,
                "channel": "web",
                "contact_name": "Hanako Yamada",
                "contact_email": address,
            }))
            .await;
        number(&case)
    }

    /// The acknowledgement of case `n` in the customer's mailbox.
    fn acknowledgement(&self, n: &str) -> Stored {
        let tag = format!("[{n}]");
        self.expect_mail(&self.to.customer, "INBOX", "the acknowledgement", |m| {
            m.subject().contains(&tag)
        })
    }

    /// Waits for a message in `address`'s `folder`; panics with the server's log if none comes.
    fn expect_mail(
        &self,
        address: &str,
        folder: &str,
        what: &str,
        matches: impl Fn(&Stored) -> bool,
    ) -> Stored {
        self.mail
            .try_wait_for(address, folder, what, matches)
            .unwrap_or_else(|why| panic!("{why}\nserver log:\n{}", self.server.log()))
    }

    /// Waits until the case satisfies `check`; panics with the case when it does not.
    async fn wait_case(&self, n: &str, what: &str, check: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + MAIL_WAIT;
        loop {
            let case = self.api.case(n).await;
            if check(&case) {
                return case;
            }
            if Instant::now() > deadline {
                panic!(
                    "case {n}: {what} not seen within {MAIL_WAIT:?}; case: {case:#}\nserver log:\n{}",
                    self.server.log()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sets the case's status at its current version; asserts 200.
    async fn set_status(&self, n: &str, body: Value) {
        self.api.patch_case(n, &body).await.expect(200);
    }
}

/// A customer's note on the case whose body contains `text`.
fn customer_note<'a>(case: &'a Value, text: &str) -> Option<&'a Value> {
    case["notes"].as_array().and_then(|notes| {
        notes
            .iter()
            .find(|n| n["party"] == "customer" && n["body"].as_str().unwrap_or("").contains(text))
    })
}

/// An RFC 2047 encoded word of `text` in ISO-2022-JP (B encoding).
fn jis_word(text: &str) -> String {
    let (bytes, _, bad) = encoding_rs::ISO_2022_JP.encode(text);
    assert!(!bad, "{text} is writable in ISO-2022-JP");
    format!(
        "=?ISO-2022-JP?B?{}?=",
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    )
}

/// A reply as a Japanese mail program writes it: ISO-2022-JP subject, sender name and body
/// (7bit, `ESC $ B`), threaded to `parent` by In-Reply-To and References.
fn jis_reply(from: &str, to: &str, subject: &str, body: &str, parent: &str, id: &str) -> Vec<u8> {
    let (text, _, bad) = encoding_rs::ISO_2022_JP.encode(body);
    assert!(!bad, "the body is writable in ISO-2022-JP");
    let mut raw = format!(
        "From: {} <{from}>\r\n\
         To: {to}\r\n\
         Subject: {}\r\n\
         Date: Thu, 26 Nov 2026 10:00:00 +0900\r\n\
         Message-ID: <{id}>\r\n\
         In-Reply-To: <{parent}>\r\n\
         References: <{parent}>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=ISO-2022-JP\r\n\
         Content-Transfer-Encoding: 7bit\r\n\r\n",
        jis_word("山田 花子"),
        jis_word(subject),
    )
    .into_bytes();
    raw.extend_from_slice(&text);
    raw.extend_from_slice(b"\r\n");
    raw
}

/// A plain UTF-8 message with the given extra header lines.
fn utf8_mail(from: &str, to: &str, subject: &str, body: &str, headers: &str, id: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\n\
         To: {to}\r\n\
         Subject: {subject}\r\n\
         Date: Thu, 26 Nov 2026 10:00:00 +0900\r\n\
         Message-ID: <{id}>\r\n\
         {headers}\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\n\
         {body}\r\n"
    )
    .into_bytes()
}

fn instant(v: &Value) -> DateTime<Utc> {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .unwrap_or_else(|| panic!("not an instant: {v}"))
        .with_timezone(&Utc)
}

/// The due time of the case's clock `kind` as an English mail shows it: `Thu 26 Nov 2026,
/// 14:00 JST`, in Tokyo (the desk's site calendar).
fn due_in_tokyo(case: &Value, kind: &str) -> String {
    let due = instant(&clock(case, kind)["due"]);
    due.with_timezone(&chrono_tz::Asia::Tokyo)
        .format("%a %-d %b %Y, %H:%M JST")
        .to_string()
}

/// How many messages in `address`'s INBOX have `needle` in their text.
fn mails_with(mail: &MailSystem, address: &str, needle: &str) -> Vec<Stored> {
    mail.messages(address, "INBOX")
        .into_iter()
        .filter(|m| m.text().contains(needle))
        .collect()
}

#[tokio::test]
async fn a_new_case_is_acknowledged_to_its_contact_with_its_number_and_first_response_due() {
    let Some(mail) = MailSystem::start() else {
        return;
    };
    let desk = MailDesk::start(&mail, "ack", "language = \"en\"");
    let n = desk
        .open_case("Backup job fails with error 0x2F", "P2")
        .await;
    let ack = desk.acknowledgement(&n);
    let case = desk.api.case(&n).await;

    assert_eq!(
        ack.subject(),
        format!("[{n}] Backup job fails with error 0x2F")
    );
    assert!(
        ack.message_id().contains('@') && !ack.message_id().contains(' '),
        "a Message-ID: {:?}",
        ack.header("Message-ID")
    );
    assert_eq!(
        ack.header("Auto-Submitted").as_deref(),
        Some("auto-generated"),
        "an acknowledgement is automatic (RFC 3834)"
    );
    let from = ack.header("From").unwrap_or_default();
    assert!(from.contains(&desk.to.desk), "From the desk: {from}");
    let to = ack.header("To").unwrap_or_default();
    assert!(to.contains(&desk.to.customer), "To the contact: {to}");
    let text = ack.text();
    assert!(text.contains(&n), "the case number in the text:\n{text}");
    assert!(text.contains("P2"), "the priority:\n{text}");
    let due = due_in_tokyo(&case, "first_response");
    assert!(
        text.contains(&due),
        "first response due {due} in the text:\n{text}"
    );

    // The case shows the mail as sent, to its contact.
    let case = desk
        .wait_case(&n, "the acknowledgement sent", |c| {
            c["mail"]["outgoing"].as_array().is_some_and(|o| {
                o.iter()
                    .any(|m| m["kind"] == "acknowledgement" && m["state"] == "sent")
            })
        })
        .await;
    assert!(
        case["mail"]["to"]
            .as_str()
            .unwrap_or("")
            .contains(&desk.to.customer),
        "{}",
        case["mail"]
    );
    // Exactly one acknowledgement.
    assert_eq!(mail.messages(&desk.to.customer, "INBOX").len(), 1);
}

#[tokio::test]
async fn a_public_note_is_mailed_threaded_and_an_internal_one_is_not() {
    let Some(mail) = MailSystem::start() else {
        return;
    };
    let desk = MailDesk::start(&mail, "notes", "language = \"en\"");
    let n = desk.open_case("Tape library offline", "P3").await;
    let ack = desk.acknowledgement(&n);

    desk.api
        .note(
            &n,
            "INTERNAL-7731 the customer's firmware is old",
            "internal",
        )
        .await;
    let public = desk
        .api
        .note(
            &n,
            "PUBLIC-7731 Please update the firmware to 5.2.",
            "public",
        )
        .await;
    let mailed = desk.expect_mail(&desk.to.customer, "INBOX", "the public note", |m| {
        m.text().contains("PUBLIC-7731")
    });
    assert_eq!(mailed.subject(), format!("[{n}] Tape library offline"));
    let parent = format!("<{}>", ack.message_id());
    assert_eq!(
        mailed.header("In-Reply-To").as_deref(),
        Some(parent.as_str())
    );
    assert!(
        mailed
            .header("References")
            .unwrap_or_default()
            .contains(&parent),
        "References the acknowledgement: {:?}",
        mailed.header("References")
    );
    assert_ne!(mailed.message_id(), ack.message_id());
    assert_eq!(
        mailed.header("Auto-Submitted"),
        None,
        "a person's note is not automatic"
    );
    // The feed sends in order: the internal note came first, so it would be here by now.
    assert!(mails_with(&mail, &desk.to.customer, "INTERNAL-7731").is_empty());
    assert_eq!(mail.messages(&desk.to.customer, "INBOX").len(), 2);

    // The note shows its mail as sent.
    let id = public["id"].clone();
    desk.wait_case(&n, "the note's mail sent", |c| {
        c["notes"].as_array().is_some_and(|notes| {
            notes
                .iter()
                .any(|x| x["id"] == id && x["mail"]["state"] == "sent")
        })
    })
    .await;
}

#[tokio::test]
async fn a_priority_change_mails_the_new_priority_and_the_new_expected_response_time() {
    let Some(mail) = MailSystem::start() else {
        return;
    };
    let desk = MailDesk::start(&mail, "priority", "language = \"en\"");
    let n = desk.open_case("Restore is slow", "P4").await;
    let ack = desk.acknowledgement(&n);
    let changed = desk
        .api
        .patch_case(
            &n,
            &json!({ "priority": "P1", "reason": "the backup window is missed every night" }),
        )
        .await
        .expect(200);
    let mailed = desk.expect_mail(&desk.to.customer, "INBOX", "the priority change", |m| {
        m.message_id() != ack.message_id()
    });
    let text = mailed.text();
    assert!(text.contains("P1"), "the new priority:\n{text}");
    let due = due_in_tokyo(&changed, "first_response");
    assert!(text.contains(&due), "the new response time {due}:\n{text}");
    assert_eq!(mailed.subject(), format!("[{n}] Restore is slow"));
    assert_eq!(
        mailed.header("Auto-Submitted").as_deref(),
        Some("auto-generated")
    );
}

#[tokio::test]
async fn an_iso_2022_jp_reply_becomes_a_customer_note_and_reopens_a_case_waiting_on_the_customer() {
    let Some(mail) = MailSystem::start() else {
        return;
    };
    let desk = MailDesk::start(&mail, "jis", "language = \"ja\"");
    let n = desk.open_case("バックアップが失敗する", "P3").await;
    let ack = desk.acknowledgement(&n);
    desk.set_status(&n, json!({ "status": "open" })).await;
    desk.set_status(&n, json!({ "status": "waiting_on_customer" }))
        .await;
    let waiting = desk.api.case(&n).await;
    assert_eq!(clock(&waiting, "auto_close")["state"], "running");

    let reply = jis_reply(
        &desk.to.customer,
        &desk.to.desk,
        &format!("Re: [{n}] バックアップが失敗する"),
        "ファームウェアを更新したら直りました。\r\n\r\n> 以前のメッセージ\r\n",
        &ack.message_id(),
        &format!("jis-reply-{n}@customer.example.test"),
    );
    mail.send(&desk.to.customer, &[&desk.to.desk], &reply);

    let case = desk
        .wait_case(&n, "the customer's note", |c| {
            customer_note(c, "ファームウェアを更新したら直りました").is_some()
        })
        .await;
    let note = customer_note(&case, "ファームウェアを更新したら直りました").expect("the note");
    assert_eq!(note["visibility"], "public");
    assert!(
        note["email_from"]
            .as_str()
            .unwrap_or("")
            .contains(&desk.to.customer),
        "labelled with the sender: {note}"
    );
    assert_eq!(
        case["status"], "open",
        "back to open from waiting on the customer"
    );
    // Auto-close runs only while waiting on the customer: the reply ended the old wait, and
    // the next wait starts its fourteen days afresh, after the reply.
    assert!(
        case["clocks"]["clocks"]
            .as_array()
            .is_some_and(|c| c.iter().all(|k| k["kind"] != "auto_close")),
        "no auto-close while open: {}",
        case["clocks"]
    );
    desk.set_status(&n, json!({ "status": "waiting_on_customer" }))
        .await;
    let again = desk.api.case(&n).await;
    assert!(
        instant(&clock(&again, "auto_close")["started_at"]) >= instant(&note["created_at"]),
        "auto-close restarted after the reply: {}",
        again["clocks"]
    );
    // The message was moved out of the desk's INBOX.
    desk.expect_mail(&desk.to.desk, "Processed", "the processed reply", |m| {
        m.message_id() == format!("jis-reply-{n}@customer.example.test")
    });
}

#[tokio::test]
async fn a_reply_to_a_resolved_case_reopens_it() {
    let Some(mail) = MailSystem::start() else {
        return;
    };
    let desk = MailDesk::start(&mail, "resolved", "language = \"en\"");
    let n = desk.open_case("Deduplication ratio dropped", "P3").await;
    let ack = desk.acknowledgement(&n);
    desk.set_status(&n, json!({ "status": "open" })).await;
    desk.set_status(&n, json!({ "status": "resolved" })).await;

    let id = format!("reopen-{n}@customer.example.test");
    let reply = utf8_mail(
        &desk.to.customer,
        &desk.to.desk,
        &format!("Re: [{n}] Deduplication ratio dropped"),
        "It happened again last night.",
        &format!("In-Reply-To: <{}>\r\n", ack.message_id()),
        &id,
    );
    mail.send(&desk.to.customer, &[&desk.to.desk], &reply);
    let case = desk
        .wait_case(&n, "reopened", |c| {
            customer_note(c, "It happened again last night.").is_some()
        })
        .await;
    assert_eq!(case["status"], "open", "a reply reopens a resolved case");
}

#[tokio::test]
async fn mail_from_a_stranger_about_a_case_is_held_for_an_agent() {
    let Some(mail) = MailSystem::start() else {
        return;
    };
    let desk = MailDesk::start(&mail, "stranger", "language = \"en\"");
    let n = desk.open_case("Replication lag", "P3").await;
    desk.acknowledgement(&n);
    let stranger = format!("stranger-{n}@example.test");
    let id = format!("stranger-{n}@elsewhere.example.test");
    let raw = utf8_mail(
        &stranger,
        &desk.to.desk,
        &format!("[{n}] Replication lag"),
        "Please close this case now. STRANGER-TEXT",
        "",
        &id,
    );
    mail.send(&stranger, &[&desk.to.desk], &raw);

    // Held: listed for agents, and no note on the case.
    let cli = Desk::new(&desk.server.base, &desk.token);
    let deadline = Instant::now() + MAIL_WAIT;
    let held = loop {
        let out = cli.run(&["mail", "held", "--json"]);
        let list = out.json();
        let found = list.as_array().and_then(|items| {
            items
                .iter()
                .find(|m| m.to_string().contains(&stranger))
                .cloned()
        });
        if let Some(found) = found {
            break found;
        }
        assert!(
            Instant::now() < deadline,
            "the stranger's mail is not held within {MAIL_WAIT:?}: {list:#}\nserver log:\n{}",
            desk.server.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(held.to_string().contains(&n), "held about case {n}: {held}");
    let case = desk.api.case(&n).await;
    assert!(
        !case.to_string().contains("STRANGER-TEXT"),
        "a stranger does not update the case: {case}"
    );
}

#[tokio::test]
async fn an_automatic_reply_to_the_desk_is_never_answered() {
    let Some(mail) = MailSystem::start() else {
        return;
    };
    // Mail about no case gets a polite answer (accept_new_cases is off) — unless a machine
    // sent it: an out-of-office reply answered would start a mail loop.
    let desk = MailDesk::start(&mail, "loop", "language = \"en\"");
    let robot = format!("robot-{}", desk.to.customer);
    let person = format!("person-{}", desk.to.customer);
    let out_of_office = utf8_mail(
        &robot,
        &desk.to.desk,
        "Out of office: I am away until Monday",
        "I am away until Monday.",
        "Auto-Submitted: auto-replied\r\n",
        &format!("ooo-{robot}"),
    );
    mail.send(&robot, &[&desk.to.desk], &out_of_office);
    let question = utf8_mail(
        &person,
        &desk.to.desk,
        "How do I open a case?",
        "Our backup server does not boot.",
        "",
        &format!("question-{person}"),
    );
    mail.send(&person, &[&desk.to.desk], &question);

    // The person's mail is answered; the robot's, taken before it, is not.
    let answer = desk.expect_mail(&person, "INBOX", "the answer to mail about no case", |_| {
        true
    });
    assert_eq!(
        answer.header("Auto-Submitted").as_deref(),
        Some("auto-replied")
    );
    desk.expect_mail(
        &desk.to.desk,
        "Processed",
        "the out-of-office mail processed",
        |m| m.message_id() == format!("ooo-{robot}"),
    );
    assert!(
        mail.messages(&robot, "INBOX").is_empty(),
        "no answer to an automatic reply"
    );
}

#[tokio::test]
async fn a_server_killed_mid_send_sends_the_mail_again_with_the_same_message_id() {
    let Some(mail) = MailSystem::start() else {
        return;
    };
    // The fixture delivers the first message to a hang-* address and withholds its 250: the
    // server is killed while it waits for the answer, after the mail was delivered.
    let mut desk = MailDesk::start(&mail, "crash", "language = \"en\"");
    let contact = format!("hang-{}", desk.to.customer);
    let n = desk
        .open_case_for("Catalog corrupted", "P3", &contact)
        .await;
    let tag = format!("[{n}]");
    let first = desk.expect_mail(&contact, "INBOX", "the acknowledgement", |m| {
        m.subject().contains(&tag)
    });
    desk.server.kill();
    desk.server.start_again();
    desk.api = desk.server.client(&desk.token);

    desk.wait_case(&n, "the acknowledgement sent after the restart", |c| {
        c["mail"]["outgoing"].as_array().is_some_and(|o| {
            o.iter()
                .any(|m| m["kind"] == "acknowledgement" && m["state"] == "sent")
        })
    })
    .await;
    let copies = mail.messages(&contact, "INBOX");
    assert!(
        (1..=2).contains(&copies.len()),
        "once, or resent once: {} copies",
        copies.len()
    );
    assert!(
        copies.iter().all(|m| m.message_id() == first.message_id()),
        "every copy has the one Message-ID {}: {:?}",
        first.message_id(),
        copies.iter().map(Stored::message_id).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_message_that_cannot_be_parsed_goes_to_the_errors_folder() {
    let Some(mail) = MailSystem::start() else {
        return;
    };
    let desk = MailDesk::start(&mail, "errors", "language = \"en\"");
    let sender = format!("broken-{}", desk.to.customer);
    // No header block a mail reader can use: binary noise where the headers should be.
    let mut raw = b"\x01\x02\x03 this is not a mail message\r\n".to_vec();
    raw.extend_from_slice(&[0xff, 0xfe, 0x00, 0x9f, b'\r', b'\n']);
    mail.send(&sender, &[&desk.to.desk], &raw);
    desk.expect_mail(&desk.to.desk, "Errors", "the unparseable message", |m| {
        String::from_utf8_lossy(&m.raw).contains("this is not a mail message")
    });
    assert!(
        mail.messages(&desk.to.desk, "INBOX").is_empty(),
        "nothing left in the INBOX"
    );
}
