//! `casedesk macros list|show|put` and `casedesk cases note NUMBER --macro NAME`: the team's
//! macros (cached for offline use) with the config's personal ones, and a macro applied to a
//! case through the outbox like any change.

use clap::Subcommand;
use serde::Deserialize;

use super::client::{GlobalArgs, Session, block_on, load_profile};
use super::{CliError, json_text, parse_flag, table, write_out};
use crate::api::{Macro, MacroChanges, MacroSet};
use crate::cache::PendingChange;
use crate::domain::{CaseNumber, Visibility};
use crate::sanitize::clean;
use crate::sync::Submitted;
use crate::sync::macros::KnownMacro;
use crate::term::text::{Lang, Word};

/// `casedesk macros` subcommands.
#[derive(Debug, Subcommand)]
pub enum MacrosCommand {
    /// The team's macros and your personal ones: name, changes, first line of the text.
    List {
        /// Print a JSON array of the macros (name, text_en, text_ja, changes, personal).
        #[arg(long)]
        json: bool,
        /// Read from the cache only.
        #[arg(long)]
        offline: bool,
    },
    /// One macro: both texts and its changes.
    Show {
        /// The macro's name, as `macros list` shows it.
        name: String,
        /// Print the macro as JSON.
        #[arg(long)]
        json: bool,
        /// Read from the cache only.
        #[arg(long)]
        offline: bool,
    },
    /// Replace the team's macros with those of a TOML (`[[macros]]`) or JSON (`{"macros":
    /// [...]}`) file (lead or admin).
    Put {
        /// The file.
        file: std::path::PathBuf,
    },
}

/// A macro as `--json` prints it: its wire form and whether it is personal.
#[derive(serde::Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    def: &'a Macro,
    personal: bool,
}

/// Runs a `macros` subcommand.
pub fn run(
    cmd: MacrosCommand,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    match cmd {
        MacrosCommand::List { json, offline } => {
            let known = known(global, offline)?;
            let text = if json {
                json_text(&known.iter().map(shown).collect::<Vec<_>>())?
            } else {
                list_table(&known, table::language())
            };
            write_out(out, &text)
        }
        MacrosCommand::Show {
            name,
            json,
            offline,
        } => {
            let known = known(global, offline)?;
            let m = find(&known, &name)?;
            let text = if json {
                json_text(&shown(m))?
            } else {
                show_text(m, table::language())
            };
            write_out(out, &text)
        }
        MacrosCommand::Put { file } => put(&file, global, out),
    }
}

fn shown(k: &KnownMacro) -> Shown<'_> {
    Shown {
        def: &k.def,
        personal: k.personal,
    }
}

/// The team's macros (from the server, else the cache) with the config's personal ones.
fn known(global: &GlobalArgs, offline: bool) -> Result<Vec<KnownMacro>, CliError> {
    let (config, _) = load_profile(global)?;
    let personal = personal(&config.file.macros)?;
    let session = Session::open(global, offline)?;
    block_on(async { Ok(session.desk.macros(&personal).await?) })
}

/// The config's `[[macros]]`, each checked as the server checks the team's.
pub(crate) fn personal(tables: &[toml::Table]) -> Result<Vec<Macro>, CliError> {
    tables
        .iter()
        .enumerate()
        .map(|(i, table)| {
            let at = |e: &dyn std::fmt::Display| {
                CliError::Usage(format!("[[macros]] number {} in the config: {e}", i + 1))
            };
            let m = Macro::deserialize(toml::Value::Table(table.clone())).map_err(|e| at(&e))?;
            m.check().map_err(|e| at(&e))?;
            Ok(m)
        })
        .collect()
}

/// The macro called `name`, or an error listing the names there are.
fn find<'a>(known: &'a [KnownMacro], name: &str) -> Result<&'a KnownMacro, CliError> {
    known.iter().find(|k| k.def.name == name).ok_or_else(|| {
        let names: Vec<&str> = known.iter().map(|k| k.def.name.as_str()).collect();
        let names = if names.is_empty() {
            "none is known yet (run `casedesk sync` once while online)".to_string()
        } else {
            names.join(", ")
        };
        CliError::Usage(format!(
            "no macro named '{}': the macros are {names}",
            clean(name, true)
        ))
    })
}

/// The changes in wire words: `status=resolved owner=me internal`.
fn changes_text(c: &MacroChanges) -> String {
    let mut parts = Vec::new();
    if let Some(s) = c.status {
        parts.push(format!("status={s}"));
    }
    if let Some(p) = c.priority {
        parts.push(format!("priority={p}"));
    }
    if let Some(o) = &c.owner {
        parts.push(format!("owner={}", if o.is_empty() { "none" } else { o }));
    }
    if let Some(v) = c.visibility {
        parts.push(format!("visibility={v}"));
    }
    if parts.is_empty() {
        "-".into()
    } else {
        parts.join(" ")
    }
}

fn list_table(known: &[KnownMacro], lang: Lang) -> String {
    let mut t = table::fitted(&["name", "source", "changes", "text"], &["text"]);
    for k in known {
        let first = k
            .def
            .text(lang == Lang::Ja)
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        let source = if k.personal {
            Word::MacroPersonal
        } else {
            Word::MacroTeam
        };
        table::add_line(
            &mut t,
            vec![
                clean(&k.def.name, true).into_owned(),
                lang.word(source).to_string(),
                changes_text(&k.def.changes),
                clean(first, true).into_owned(),
            ],
        );
    }
    table::render(&t)
}

fn show_text(k: &KnownMacro, lang: Lang) -> String {
    let m = &k.def;
    let source = if k.personal {
        Word::MacroPersonal
    } else {
        Word::MacroTeam
    };
    let mut text = format!("{} ({})\n", clean(&m.name, true), lang.word(source));
    text.push_str(&format!("changes: {}\n", changes_text(&m.changes)));
    if let Some(reason) = &m.changes.reason {
        text.push_str(&format!("reason: {}\n", clean(reason, true)));
    }
    for (label, body) in [("en", &m.text_en), ("ja", &m.text_ja)] {
        text.push_str(&format!("\n--- {label} ---\n"));
        text.push_str(&clean(body, false));
        text.push('\n');
    }
    text
}

/// `macros put FILE`: the whole set replaced, whatever version it is at (`If-Match: *`).
fn put(
    file: &std::path::Path,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        CliError::Usage(format!(
            "cannot read '{}': {e}; expected a TOML or JSON file of macros",
            file.display()
        ))
    })?;
    let set: MacroSet = if text.trim_start().starts_with('{') {
        serde_json::from_str(&text).map_err(|e| {
            CliError::Usage(format!(
                "{}: {e}; expected JSON {{\"macros\": [{{\"name\", \"text_en\", \"text_ja\", \"changes\"}}]}}",
                file.display()
            ))
        })?
    } else {
        toml::from_str(&text).map_err(|e| {
            CliError::Usage(format!(
                "{}: {e}; expected TOML [[macros]] tables with name, text_en, text_ja and [macros.changes]",
                file.display()
            ))
        })?
    };
    set.check().map_err(|e| CliError::Usage(e.to_string()))?;
    let session = Session::open(global, false)?;
    let (stored, etag) = block_on(async {
        Ok(session
            .desk
            .call(async |client| client.casedesk("team macros")?.put_macros(&set, "*").await)
            .await?)
    })?;
    // The cache gets the stored set now rather than at the next sync.
    session.desk.cache_team_macros(&stored, etag.as_deref())?;
    write_out(out, &format!("stored {} macros\n", stored.macros.len()))
}

/// `cases note NUMBER --macro NAME`: the macro planned on the case as the server (or, offline,
/// the cache) has it, and its note and changes sent in one step or queued. A refusal (a
/// placeholder without a value, a change the case's rules refuse) comes before anything is
/// queued.
pub fn note(
    number: &str,
    name: &str,
    visibility: Option<Visibility>,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let number: CaseNumber = parse_flag("case number", number)?;
    let (config, _) = load_profile(global)?;
    let personal = personal(&config.file.macros)?;
    let session = Session::open(global, false)?;
    let zone = session.zone();
    let outcome = block_on(async {
        let desk = &session.desk;
        let known = desk.macros(&personal).await?;
        let m = find(&known, name)?.def.clone();
        let me = super::cases::whoami(&session).await?;
        let (mut changes, version) = desk
            .plan_macro(&m, &number, &me, &zone)
            .await?
            .map_err(|e| CliError::Failed(format!("refused: {e}; nothing was queued")))?;
        if let (Some(PendingChange::Note(note)), Some(v)) = (changes.first_mut(), visibility) {
            note.visibility = v;
        }
        if changes.is_empty() {
            return Err(CliError::Failed(format!(
                "macro {name} changes nothing on case {number}: nothing was queued"
            )));
        }
        let outcomes = desk.submit_all(&number, &changes, version).await?;
        Ok((changes, outcomes))
    })?;
    report(&session, &number, name, outcome, out)
}

/// Says what became of each change of the macro, as `cases note` and `cases set` do.
fn report(
    session: &Session,
    number: &CaseNumber,
    name: &str,
    (changes, outcomes): (Vec<PendingChange>, Vec<Submitted>),
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let server = session.desk.server()?;
    let mut failed = Vec::new();
    for (change, outcome) in changes.iter().zip(outcomes) {
        let what = format!("{} on {number} (macro {name})", change.describe());
        match super::cases::said(outcome, &what, server) {
            Ok(line) => write_out(out, &line)?,
            Err(why) => failed.push(format!("{what}: {why}")),
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::Failed(failed.join("; ")))
    }
}
