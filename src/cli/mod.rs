//! The command line: argument parsing (clap) and the non-interactive commands.
//!
//! Values are taken as text and parsed by the domain types, so a bad value gets the domain's
//! own one-line message naming the flag and the expected form, and exits with status 2.

mod attachments;
mod cases;
mod client;
mod desk;
mod entitlements;
mod intake;
mod macros;
mod mail;
mod report;
mod rma;
mod serve;
mod several;
mod sla;
mod table;
mod tui;
mod wallboard;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::sanitize::clean;

/// casedesk: a terminal tool for technical-support desks.
#[derive(Debug, Parser)]
#[command(name = "casedesk", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    global: client::GlobalArgs,
    #[command(flatten)]
    tui: tui::TuiArgs,
    /// What to do; without one, the TUI opens on the configured profile.
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Open the full-screen terminal interface on the configured profile (the default).
    Tui,
    /// Start a server with demo data on loopback and open the TUI on it; quitting stops both.
    Demo(tui::DemoArgs),
    /// The read-only display for the support-room TV (needs only a viewer token).
    Wallboard(wallboard::WallboardArgs),
    /// Ask the SLA engine directly: due instants, business-time arithmetic, calendars, policies.
    #[command(subcommand)]
    Sla(sla::SlaCommand),
    /// Run the case API server; `--config FILE` names its TOML config file (flags win over it).
    Serve(serve::ServeArgs),
    /// Manage the server's API tokens.
    #[command(subcommand)]
    Token(serve::TokenCommand),
    /// Check a token against a server and keep it for a profile (asks for it without echo).
    Login {
        /// The server, e.g. https://casedesk.example.com (RT: its base URL, e.g. https://rt.example.com).
        #[arg(long)]
        server: String,
        /// The case system there: casedesk (default) or rt (Request Tracker 5; the token is
        /// RT's `Authorization: token …` one). Default: what the profile says.
        #[arg(long, value_name = "KIND", value_parser = desk::parse_backend)]
        backend: Option<crate::backend::BackendKind>,
    },
    /// Send the outbox, then bring the cache up to date, then exit.
    Sync,
    /// Work with cases: list, show, note, set, escalate.
    #[command(subcommand)]
    Cases(cases::CasesCommand),
    /// Find cases by number, RMA number, serial or words.
    Search {
        /// What to look for.
        query: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Return merchandise authorisations.
    #[command(subcommand)]
    Rma(desk::RmaCommand),
    /// The support contract of a serial number.
    Entitlement {
        /// The serial number.
        serial: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The install base: import serial numbers' contracts from CSV or JSON (admin), list them.
    #[command(subcommand)]
    Entitlements(entitlements::EntitlementsCommand),
    /// Mail the server held for an agent or could not read: held, errors, show, release,
    /// discard.
    #[command(subcommand)]
    Mail(mail::MailCommand),
    /// Attachment content: `attachment get ID [-o FILE]` (from the cache when it holds it).
    #[command(subcommand)]
    Attachment(attachments::AttachmentCommand),
    /// The team's macros and your personal ones: list, show NAME, put FILE (lead).
    #[command(subcommand)]
    Macros(macros::MacrosCommand),
    /// Reports for leads: sla, response, backlog or load over a period (default: the last 7
    /// days), as a table, `--json` rows or `--csv`.
    Report(report::ReportArgs),
    /// Changes waiting for the server: list (default), retry ID, discard ID.
    Outbox {
        #[command(subcommand)]
        command: Option<desk::OutboxCommand>,
    },
}

/// A command that did not succeed, with the exit status it calls for.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad input: a value, a file or a combination the user can fix (exit status 2).
    #[error("{0}")]
    Usage(String),
    /// The command could not do what was asked (exit status 1).
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Usage(_) => ExitCode::from(2),
            CliError::Failed(_) => ExitCode::from(1),
        }
    }
}

/// Parses the process arguments, runs the command, and turns any error into one line on stderr.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage(&e),
    };
    let mut out = std::io::stdout().lock();
    let Some(command) = cli.command else {
        return finish(tui::tui(&cli.tui, &cli.global));
    };
    let result = match command {
        Command::Tui => tui::tui(&cli.tui, &cli.global),
        Command::Demo(args) => tui::demo(&args, &cli.global),
        Command::Wallboard(args) => wallboard::wallboard(&args, &cli.global),
        Command::Sla(cmd) => sla::run(cmd, &mut out),
        Command::Serve(args) => serve::serve(args, cli.global.config.as_deref(), &mut out),
        Command::Token(cmd) => serve::token(cmd, &mut out),
        Command::Login { server, backend } => desk::login(&server, backend, &cli.global, &mut out),
        Command::Sync => desk::sync(&cli.global, &mut out),
        Command::Cases(cmd) => cases::run(cmd, &cli.global, &mut out),
        Command::Search { query, json } => desk::search(&query, json, &cli.global, &mut out),
        Command::Rma(cmd) => desk::rma(cmd, &cli.global, &mut out),
        Command::Entitlement { serial, json } => {
            desk::entitlement(&serial, json, &cli.global, &mut out)
        }
        Command::Entitlements(cmd) => entitlements::run(cmd, &cli.global, &mut out),
        Command::Outbox { command } => desk::outbox(command, &cli.global, &mut out),
        Command::Mail(cmd) => mail::run(cmd, &cli.global, &mut out),
        Command::Macros(cmd) => macros::run(cmd, &cli.global, &mut out),
        Command::Attachment(cmd) => attachments::run(cmd, &cli.global, &mut out),
        Command::Report(args) => report::run(args, &cli.global, &mut out),
    };
    finish(result)
}

/// Turns a command's result into the exit status, printing the error in one line.
fn finish(result: Result<(), CliError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Messages carry server words, file contents and arguments: one clean line.
            eprintln!("error: {}", clean(&e.to_string(), true));
            e.exit_code()
        }
    }
}

/// Prints clap's answer to bad arguments (or `--help`/`--version`) with the arguments it
/// echoes cleaned of control characters, and returns clap's exit status.
fn usage(e: &clap::Error) -> ExitCode {
    let text = e.render().to_string();
    let text = clean(&text, false);
    if e.use_stderr() {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

/// `value` as pretty JSON for a terminal: the data exact, but C1 controls, DEL and the
/// bidirectional controls escaped as `\uXXXX` like serde_json escapes C0 (SPEC §5).
/// `--json` of cases (a list, one case, or search results with `cases`): on a profile whose
/// backend is not casedesk, every case object also says which backend it came from
/// (`"backend": "rt"`), since its number is that system's (an RT ticket id). casedesk
/// profiles print the API's objects unchanged.
fn cases_json<T: serde::Serialize + ?Sized>(
    value: &T,
    backend: crate::backend::BackendKind,
) -> Result<String, CliError> {
    if backend == crate::backend::BackendKind::Casedesk {
        return json_text(value);
    }
    let mut value = serde_json::to_value(value)
        .map_err(|e| CliError::Failed(format!("cannot write JSON: {e}")))?;
    let tag = |case: &mut serde_json::Value| {
        if let Some(case) = case.as_object_mut() {
            case.insert("backend".into(), backend.as_str().into());
        }
    };
    match &mut value {
        serde_json::Value::Array(cases) => cases.iter_mut().for_each(tag),
        serde_json::Value::Object(found) if found.contains_key("cases") => {
            if let Some(cases) = found.get_mut("cases").and_then(|c| c.as_array_mut()) {
                cases.iter_mut().for_each(tag);
            }
        }
        case => tag(case),
    }
    json_text(&value)
}

fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::Failed(format!("cannot write JSON: {e}")))?;
    Ok(escape_controls(&text) + "\n")
}

/// Escapes the characters serde_json leaves raw that a terminal would act on; they can only
/// occur inside JSON strings, so a `\uXXXX` escape keeps the value exact.
fn escape_controls(json: &str) -> String {
    if !json.chars().any(crate::sanitize::unsafe_char) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if crate::sanitize::unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Parses a flag's value with its type's `FromStr`, naming the flag in the error.
fn parse_flag<T>(flag: &str, value: &str) -> Result<T, CliError>
where
    T: std::str::FromStr<Err = crate::domain::ParseError>,
{
    value
        .parse()
        .map_err(|e: crate::domain::ParseError| CliError::Usage(e.for_flag(flag)))
}

/// Reads a file named on the command line, naming the flag if it cannot be read.
fn read_flag_file(flag: &str, path: &std::path::Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| {
        CliError::Usage(format!(
            "cannot read {flag} '{}': {e}; expected a readable TOML file",
            path.display()
        ))
    })
}

/// Writes command output; a closed pipe (`| head`) is not an error worth a message.
fn write_out(out: &mut dyn std::io::Write, text: &str) -> Result<(), CliError> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::Failed(format!("cannot write output: {e}")))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_c1_del_and_bidi_and_stays_exact() {
        let value =
            serde_json::json!({"s": "a\u{9b}b\u{7f}c\u{202e}d\u{2067}e\u{200e}f\u{61c}\x1b日本"});
        let text = json_text(&value).unwrap();
        assert!(!text.chars().any(crate::sanitize::unsafe_char), "{text:?}");
        assert!(
            text.contains(r"a\u009bb\u007fc\u202ed\u2067e\u200ef\u061c\u001b日本"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
