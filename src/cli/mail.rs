//! `casedesk mail`: the mail the server would not put on a case by itself — held (a sender who
//! may not update the case) or unreadable — listed, read in the original, released into a
//! case as the customer's note, or discarded. Server only: nothing of it is cached.

use std::io::IsTerminal;

use chrono::Utc;
use clap::Subcommand;

use super::client::{GlobalArgs, block_on, casedesk_client, load_profile};
use super::{CliError, json_text, parse_flag, table, write_out};
use crate::api::{Client, HeldMail, MailList, MailRelease, MailWaiting};
use crate::config::{DisplayZone, Profile};
use crate::domain::CaseNumber;
use crate::sanitize::clean;

/// `casedesk mail` subcommands.
#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Mail held for an agent: its sender may not update the case by mail.
    Held {
        /// Print a JSON array of the messages.
        #[arg(long)]
        json: bool,
    },
    /// Mail that could not be read (moved to the mailbox's error folder).
    Errors {
        /// Print a JSON array of the messages.
        #[arg(long)]
        json: bool,
    },
    /// Print the original message (cleaned of control characters on a terminal; exact when
    /// piped).
    Show {
        /// The mail's id, as `mail held` lists it.
        id: String,
    },
    /// Add held mail to a case as the customer's note.
    Release {
        /// The mail's id, as `mail held` lists it.
        id: String,
        /// The case to add it to (default: the case it was matched to).
        #[arg(long, value_name = "NUMBER")]
        case: Option<String>,
    },
    /// Drop held or unreadable mail (it stays recorded, so it is never taken again).
    Discard {
        /// The mail's id, as `mail held` or `mail errors` lists it.
        id: String,
    },
}

/// Runs a `mail` subcommand.
pub fn run(
    cmd: MailCommand,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let (_, profile) = load_profile(global)?;
    match cmd {
        MailCommand::Held { json } => list(&profile, MailWaiting::Held, json, out),
        MailCommand::Errors { json } => list(&profile, MailWaiting::Errors, json, out),
        MailCommand::Show { id } => {
            let id = mail_id(&id)?;
            let client = client(&profile)?;
            let raw = block_on(async { Ok(client.mail_raw(id).await?) })?;
            show(&raw, std::io::stdout().is_terminal(), out)
        }
        MailCommand::Release { id, case } => {
            let id = mail_id(&id)?;
            let case = case
                .map(|c| parse_flag::<CaseNumber>("--case", &c))
                .transpose()?;
            let body = MailRelease {
                case: case.map(|c| c.to_string()),
            };
            let client = client(&profile)?;
            let mail = block_on(async { Ok(client.release_mail(id, &body).await?) })?;
            let into = mail.case_number.as_deref().unwrap_or("?");
            let note = mail
                .note_id
                .map(|n| format!(" as note {n}"))
                .unwrap_or_default();
            write_out(
                out,
                &format!("mail {id} released into case {}{note}\n", clean(into, true)),
            )
        }
        MailCommand::Discard { id } => {
            let id = mail_id(&id)?;
            let client = client(&profile)?;
            block_on(async { Ok(client.discard_mail(id).await?) })?;
            write_out(out, &format!("mail {id} discarded\n"))
        }
    }
}

fn client(profile: &Profile) -> Result<Client, CliError> {
    casedesk_client(profile, "the mail channel's held mail and errors")
}

/// A mail id from the command line, or a usage error naming the expected form.
fn mail_id(text: &str) -> Result<i64, CliError> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            CliError::Usage(format!(
                "invalid mail id '{text}': expected a number, as `casedesk mail held` lists it"
            ))
        })
}

fn list(
    profile: &Profile,
    which: MailWaiting,
    json: bool,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let client = client(profile)?;
    let list = block_on(async { Ok(client.mail_list(which).await?) })?;
    if json {
        return write_out(out, &json_text(&list.items)?);
    }
    if !list.enabled {
        eprintln!(
            "notice: the server's mail channel is off (no [mail] in its config): no new mail arrives"
        );
    }
    write_out(out, &mail_table(&list, profile.zone))
}

/// The list as a table: id, received, sender, subject, case, reason; then a count.
fn mail_table(list: &MailList, zone: DisplayZone) -> String {
    let now = Utc::now();
    let mut t = table::fitted(
        &["id", "received", "sender", "subject", "case", "reason"],
        &["subject", "reason"],
    );
    for m in &list.items {
        table::add_line(&mut t, row(m, zone, now));
    }
    let mut text = table::render(&t);
    text.push_str(&format!("{} message(s)\n", list.items.len()));
    text
}

fn row(m: &HeldMail, zone: DisplayZone, now: chrono::DateTime<Utc>) -> Vec<String> {
    let line = |t: &str| clean(t, true).into_owned();
    vec![
        m.id.to_string(),
        zone.short(m.received_at, now),
        line(&m.sender),
        line(&m.subject),
        line(m.case_number.as_deref().unwrap_or("-")),
        line(m.reason.as_deref().unwrap_or("")),
    ]
}

/// Writes the original message: exact bytes into a pipe or file (for a mail tool), text
/// without control characters or escape sequences to a terminal (SPEC §5).
fn show(raw: &[u8], terminal: bool, out: &mut dyn std::io::Write) -> Result<(), CliError> {
    if !terminal {
        return match out.write_all(raw).and_then(|()| out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(CliError::Failed(format!("cannot write output: {e}")))
            }
            _ => Ok(()),
        };
    }
    let text = String::from_utf8_lossy(raw).replace("\r\n", "\n");
    let mut text = clean(&text, false).into_owned();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    write_out(out, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(id: i64, subject: &str) -> HeldMail {
        HeldMail {
            id,
            state: "held".into(),
            received_at: "2026-11-24T04:30:00Z".parse().unwrap(),
            sender: "stranger@example.test".into(),
            subject: subject.into(),
            case_number: Some("2026-1124-000101".into()),
            reason: Some("not the case's contact".into()),
            size: 2048,
            decided_by: None,
            decided_at: None,
            note_id: None,
        }
    }

    #[test]
    fn a_terminal_gets_the_message_without_escapes_a_pipe_gets_it_exact() {
        let raw = b"Subject: hi\r\n\r\nred \x1b[31mtext\x1b]0;title\x07 \xe2\x80\xae end\r\n";
        let mut piped = Vec::new();
        show(raw, false, &mut piped).unwrap();
        assert_eq!(piped, raw);
        let mut shown = Vec::new();
        show(raw, true, &mut shown).unwrap();
        let shown = String::from_utf8(shown).unwrap();
        assert!(
            !shown.chars().any(crate::sanitize::unsafe_char),
            "{shown:?}"
        );
        assert!(shown.starts_with("Subject: hi\n\nred "), "{shown:?}");
    }

    #[test]
    fn the_table_cleans_each_cell_to_one_line() {
        let list = MailList {
            enabled: true,
            items: vec![mail(7, "VPN\x1b[2J down\nagain")],
        };
        let text = mail_table(&list, DisplayZone::default());
        assert!(!text.contains('\x1b'), "{text:?}");
        let row = text.lines().nth(1).unwrap();
        assert!(row.starts_with("7 "), "{row}");
        assert!(row.contains("VPN[2J down again"), "{row}");
        assert!(row.contains("2026-1124-000101"), "{row}");
        assert!(text.ends_with("1 message(s)\n"), "{text}");
    }

    #[test]
    fn mail_ids_are_positive_numbers() {
        assert_eq!(mail_id(" 12 ").ok(), Some(12));
        for bad in ["", "x", "-1", "0", "1.5"] {
            let e = mail_id(bad).unwrap_err();
            assert!(matches!(e, CliError::Usage(_)), "{bad}");
        }
    }
}
