//! `casedesk cases create`: taking a case in from the command line (SPEC §2.11).
//!
//! The command line is a contract scripts depend on: stdout carries the case number alone (or,
//! with `--json`, the case as the API returns it); everything said to the person goes to
//! stderr.

use std::io::IsTerminal;

use chrono::Utc;
use clap::Args;

use super::client::{GlobalArgs, Session, block_on};
use super::{CliError, parse_flag, write_out};
use crate::api::{Case, NewCase};
use crate::domain::intake::FieldError;
use crate::domain::{Channel, ContactMethod, ContractTier, Priority, RequestType, UserType};
use crate::sanitize::clean;
use crate::sla::ClockKind;
use crate::sync::{Opening, SerialCheck};
use crate::term::text::Lang;

/// `casedesk cases create` arguments.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// One-line summary of the problem.
    #[arg(long)]
    subject: String,
    /// P1 (critical) … P4 (low); also critical/high/medium/low.
    #[arg(long)]
    priority: String,
    /// How the case came in: phone, web or email.
    #[arg(long)]
    channel: String,
    /// What happened, when, what changed, error messages; without it, read from stdin when
    /// stdin is not a terminal.
    #[arg(long)]
    description: Option<String>,
    /// Serial number (or software support reference): its contract fills tier, site, account.
    #[arg(long)]
    serial: Option<String>,
    /// Contact name.
    #[arg(long, value_name = "N")]
    contact_name: Option<String>,
    /// Contact e-mail.
    #[arg(long, value_name = "E")]
    contact_email: Option<String>,
    /// Contact phone (a P1 needs one).
    #[arg(long, value_name = "T")]
    contact_phone: Option<String>,
    /// How the customer prefers to be reached: phone or email.
    #[arg(long)]
    prefer: Option<String>,
    /// technical_support, bug_fix, feature_request, entitlement, registration, licence, …
    #[arg(long, value_name = "T")]
    request_type: Option<String>,
    /// var, msp, business_user or home_user.
    #[arg(long, value_name = "T")]
    user_type: Option<String>,
    /// Product.
    #[arg(long, value_name = "P")]
    product: Option<String>,
    /// Platform (hardware type).
    #[arg(long, value_name = "P")]
    platform: Option<String>,
    /// Software version.
    #[arg(long = "version", id = "software_version", value_name = "V")]
    software_version: Option<String>,
    /// Site name (default: from the serial's contract).
    #[arg(long, value_name = "N")]
    site_name: Option<String>,
    /// Site ID (default: from the serial's contract).
    #[arg(long, value_name = "I")]
    site_id: Option<String>,
    /// Account (default: from the serial's contract).
    #[arg(long, value_name = "A")]
    account: Option<String>,
    /// Contract tier (default: from the serial's contract, else standard).
    #[arg(long, value_name = "T")]
    tier: Option<String>,
    /// Print the created case as JSON.
    #[arg(long)]
    json: bool,
}

/// The flag a field of the API is given with, for messages.
fn flag_of(field: &str) -> &'static str {
    match field {
        "subject" => "--subject",
        "description" => "--description",
        "priority" => "--priority",
        "serial_number" => "--serial",
        "contact_name" => "--contact-name",
        "contact_email" => "--contact-email",
        "contact_phone" => "--contact-phone",
        "product" => "--product",
        "platform" => "--platform",
        "software_version" => "--version",
        "site_name" => "--site-name",
        "site_id" => "--site-id",
        "account" => "--account",
        _ => "input",
    }
}

fn usage(e: FieldError) -> CliError {
    CliError::Usage(format!("{}: {}", flag_of(e.field), e.detail))
}

impl CreateArgs {
    /// The new case the flags describe, checked field by field (exit 2 on the first fault).
    fn new_case(self) -> Result<(NewCase, bool), CliError> {
        let description = match self.description {
            Some(d) => d,
            None => read_description()?,
        };
        let case = NewCase {
            subject: self.subject,
            description,
            priority: parse_flag::<Priority>("--priority", &self.priority)?,
            tier: opt(&self.tier, "--tier", parse_flag::<ContractTier>)?,
            channel: Some(parse_flag::<Channel>("--channel", &self.channel)?),
            request_type: opt(
                &self.request_type,
                "--request-type",
                parse_flag::<RequestType>,
            )?,
            site_name: self.site_name.unwrap_or_default(),
            site_id: self.site_id.unwrap_or_default(),
            account: self.account.unwrap_or_default(),
            contact_name: self.contact_name.unwrap_or_default(),
            contact_email: self.contact_email.unwrap_or_default(),
            contact_phone: self.contact_phone.unwrap_or_default(),
            preferred_contact: opt(&self.prefer, "--prefer", parse_flag::<ContactMethod>)?,
            contact_language: None,
            user_type: opt(&self.user_type, "--user-type", parse_flag::<UserType>)?,
            product: self.product.unwrap_or_default(),
            platform: self.platform.unwrap_or_default(),
            software_version: self.software_version.unwrap_or_default(),
            serial_number: self.serial,
            owner: None,
        };
        Ok((case.taken_in().map_err(usage)?, self.json))
    }
}

/// An optional flag parsed with its type's words.
fn opt<T>(
    value: &Option<String>,
    flag: &str,
    parse: fn(&str, &str) -> Result<T, CliError>,
) -> Result<Option<T>, CliError> {
    value.as_deref().map(|v| parse(flag, v)).transpose()
}

/// The description from stdin when it is a pipe; empty at a terminal (nothing to wait for).
fn read_description() -> Result<String, CliError> {
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(String::new());
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut stdin, &mut text)
        .map_err(|e| CliError::Usage(format!("cannot read the description from stdin: {e}")))?;
    Ok(text.trim_end().to_string())
}

/// Opens a case: checks the input, looks the serial up (its contract, its other open cases),
/// then sends the case through the outbox.
pub fn create(
    args: CreateArgs,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let (new, json) = args.new_case()?;
    let session = Session::open(global, false)?;
    let opening = block_on(async {
        if let Some(serial) = &new.serial_number {
            let check = session.desk.check_serial(serial).await?;
            warn_about(&check, &session);
        }
        Ok(session.desk.open_case(&new).await?)
    });
    match opening {
        Ok(Opening::Opened(case)) => {
            eprintln!("{}", opened_line(&case, &session));
            if json {
                write_out(out, &super::json_text(&case)?)
            } else {
                write_out(out, &format!("{}\n", case.summary.number))
            }
        }
        Ok(Opening::Queued(id, reference)) => write_out(
            out,
            &format!(
                "queued: new {} case \"{}\" as {reference} (outbox #{id}); the server at {} cannot be reached — it gets its number when `casedesk sync` (or the TUI) sends it\n",
                new.priority,
                clean(&new.subject, true),
                session.desk.server()?
            ),
        ),
        Err(e) => Err(e),
    }
}

/// Says on stderr what the serial's lookup found: a missing contract, possible duplicates.
fn warn_about(check: &SerialCheck, session: &Session) {
    if let Some(warning) = check.warning() {
        eprintln!("warning: {}", clean(&warning, true));
    }
    if check.entitlement.is_none() {
        eprintln!(
            "note: the contract of serial {} could not be looked up (server unreachable)",
            clean(&check.serial, true)
        );
    }
    if !check.open_cases.is_empty() {
        eprintln!(
            "note: serial {} already has {} open case(s) — one issue per case; a duplicate?",
            clean(&check.serial, true),
            check.open_cases.len()
        );
        let now = Utc::now();
        for c in &check.open_cases {
            eprintln!(
                "  {}  {}  {:<8}  {}  {}",
                c.number,
                c.priority,
                c.status.label(),
                session.zone().short(c.created_at, now),
                clean(&c.subject, true)
            );
        }
    }
}

/// `opened 2026-1125-000001 (P1, TAC Premium): first response due 11-25 09:15 (in 15m)`.
fn opened_line(case: &Case, session: &Session) -> String {
    let s = &case.summary;
    let now = Utc::now();
    let due = case
        .clocks
        .clocks
        .iter()
        .find(|c| c.kind == ClockKind::FirstResponse)
        .and_then(|c| c.due);
    let due = match due {
        Some(due) => format!(
            "first response due {} ({})",
            session.zone().short(due, now),
            Lang::En.countdown(Some(due), now)
        ),
        None => "no first-response target on this contract".into(),
    };
    let flag = if case.unentitled {
        " — no active contract: flagged"
    } else {
        ""
    };
    format!(
        "opened {} ({} {}, {}): {due}{flag}",
        s.number,
        s.priority,
        s.priority.label(),
        s.tier.label()
    )
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        // clap checks its definition only when a command is parsed: check every one here.
        crate::cli::Cli::command().debug_assert();
    }
}
