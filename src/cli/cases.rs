//! `casedesk cases list|show|note|set|escalate`.

use std::io::{IsTerminal, Read};

use chrono::{DateTime, Utc};
use clap::{ArgGroup, Args, Subcommand};

use super::client::{GlobalArgs, Session, block_on};
use super::{CliError, parse_flag, several, table, write_out};
use crate::api::{
    Case, CaseFilter, CasePatch, CaseSummary, NewEscalation, NewNote, Note, NoteKind, Sort,
};
use crate::cache::PendingChange;
use crate::config::DisplayZone;
use crate::domain::{
    CaseNumber, CloseReason, ContactMethod, EscalationKind, Priority, ProblemReport, Status,
    Visibility,
};
use crate::sanitize::clean;
use crate::sla::{ClockState, span};
use crate::sync::{Freshness, Submitted};
use crate::term::text::Lang;

/// `casedesk cases` subcommands.
#[derive(Debug, Subcommand)]
pub enum CasesCommand {
    /// The case queue: open cases unless --status or --all says otherwise.
    List(ListArgs),
    /// One case with its timeline, escalations, RMAs and SLA clocks.
    Show {
        /// Case number, with or without dashes.
        number: String,
        /// Print the case as JSON.
        #[arg(long)]
        json: bool,
        /// Read from the cache only.
        #[arg(long)]
        offline: bool,
    },
    /// Add a public or internal note (from --message or stdin, or a macro's text and changes
    /// with --macro); queued when offline.
    #[command(group(ArgGroup::new("visibility").required(true).multiple(true).args(["public", "internal", "macro_name"])))]
    Note {
        /// Case number; several put the same note on each, `-` reads them from stdin.
        #[arg(required = true, value_name = "NUMBER")]
        numbers: Vec<String>,
        /// Visible to the customer.
        #[arg(long)]
        public: bool,
        /// Support only.
        #[arg(long, conflicts_with = "public")]
        internal: bool,
        /// The note; without it the note is read from stdin.
        #[arg(long, short)]
        message: Option<String>,
        /// Print a JSON array with each case's result.
        #[arg(long)]
        json: bool,
        /// Apply a macro (`casedesk macros list`): its text filled from the case, in the
        /// contact's language, and its changes; --public/--internal override its visibility.
        #[arg(long = "macro", value_name = "NAME", conflicts_with_all = ["message", "json"])]
        macro_name: Option<String>,
    },
    /// Change status, priority or owner; queued when offline.
    Set(SetArgs),
    /// Give a case to someone (an active person the server knows); queued when offline.
    Assign {
        /// Case number.
        number: String,
        /// The new owner's name; `none` unassigns.
        name: String,
    },
    /// Open a case (prints its number); queued with a provisional reference when offline.
    // `--version` is the software version here, as the intake contract names it.
    #[command(disable_version_flag = true)]
    Create(Box<super::intake::CreateArgs>),
    /// Ask for an escalation (SPEC §2.7); queued when offline.
    Escalate {
        /// Case number.
        number: String,
        /// technical_progress, engineer_now, reassignment or rma_progress.
        #[arg(long)]
        kind: String,
        /// Why (required).
        #[arg(long)]
        reason: String,
        /// For engineer_now: phone or email.
        #[arg(long)]
        contact: Option<String>,
    },
    /// Log a call with the customer: meets first response, restarts the update clock; queued
    /// when offline.
    Call {
        /// Case number.
        number: String,
        /// What was said (default: "Call with the customer"); `-` reads it from stdin.
        #[arg(long, short)]
        message: Option<String>,
    },
    /// Log a failed attempt to reach the customer (an hour of them makes a P1's temporary
    /// downgrade available); queued when offline.
    ContactFailed {
        /// Case number.
        number: String,
        /// What was tried (default: "Tried to reach the customer: no answer"); `-` reads stdin.
        #[arg(long, short)]
        message: Option<String>,
    },
    /// Attach a file (or stdin with `-` and --name): prints the new attachment's id alone on
    /// stdout; offline, queued in the outbox (said on stderr, nothing printed).
    Attach {
        /// Case number.
        number: String,
        /// The file, or `-` for stdin.
        file: std::path::PathBuf,
        /// The name the case shows (default: the file's name; required with `-`).
        #[arg(long, value_name = "N")]
        name: Option<String>,
    },
}

/// `casedesk cases list` arguments.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this status (repeatable): new, open, waiting_on_customer, waiting_on_engineering,
    /// resolved, closed.
    #[arg(long = "status", value_name = "S")]
    statuses: Vec<String>,
    /// Only this priority (repeatable): P1 … P4.
    #[arg(long = "priority", value_name = "P")]
    priorities: Vec<String>,
    /// Only my cases.
    #[arg(long, conflicts_with = "owner")]
    mine: bool,
    /// Only this owner's cases.
    #[arg(long, value_name = "NAME")]
    owner: Option<String>,
    /// Every status, closed too.
    #[arg(long, conflicts_with = "statuses")]
    all: bool,
    /// Sort column, optionally :desc (next_due, breaching, number, status, priority, site,
    /// contact, updated, created, platform, owner, subject, tier).
    #[arg(long, default_value = "next_due", value_name = "COLUMN[:desc]")]
    sort: String,
    /// At most this many cases.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Print JSON.
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print CSV.
    #[arg(long)]
    csv: bool,
    /// Read from the cache only.
    #[arg(long)]
    offline: bool,
}

/// `casedesk cases set` arguments.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("change").required(true).multiple(true).args(["status", "priority", "owner", "take", "problem_report"])))]
pub struct SetArgs {
    /// Case number; several get the same change each, `-` reads them from stdin.
    #[arg(required = true, value_name = "NUMBER")]
    numbers: Vec<String>,
    /// Print a JSON array with each case's result.
    #[arg(long)]
    json: bool,
    /// New status.
    #[arg(long)]
    status: Option<String>,
    /// Close reason, when closing: confirmed_resolved, no_longer_needed, fixed_in_release, …
    #[arg(long, requires = "status")]
    reason: Option<String>,
    /// New priority (needs --why).
    #[arg(long, requires = "why")]
    priority: Option<String>,
    /// Why the priority changes.
    #[arg(long, requires = "priority")]
    why: Option<String>,
    /// The P1 → P2 change is the temporary downgrade after failed contact.
    #[arg(long, requires = "priority")]
    temporary: bool,
    /// New owner (an empty name unassigns).
    #[arg(long, conflicts_with = "take")]
    owner: Option<String>,
    /// Take the case yourself.
    #[arg(long)]
    take: bool,
    /// Link an engineering bug number, e.g. PR1234567 (repeatable); waiting_on_engineering
    /// needs one.
    #[arg(long = "problem-report", value_name = "PR")]
    problem_report: Vec<String>,
}

/// Runs a `cases` subcommand.
pub fn run(
    cmd: CasesCommand,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    match cmd {
        CasesCommand::List(args) => list(args, global, out),
        CasesCommand::Show {
            number,
            json,
            offline,
        } => show(&number, json, offline, global, out),
        CasesCommand::Note {
            numbers,
            public,
            internal,
            message,
            json,
            macro_name,
        } => {
            if let Some(name) = macro_name {
                let [number] = numbers.as_slice() else {
                    return Err(CliError::Usage(
                        "--macro takes one case number (several cases: mark them in the TUI and press M)".into(),
                    ));
                };
                let visibility = match (public, internal) {
                    (true, _) => Some(Visibility::Public),
                    (_, true) => Some(Visibility::Internal),
                    _ => None,
                };
                return super::macros::note(number, &name, visibility, global, out);
            }
            let many = several::wanted(&numbers, json);
            if many && message.is_none() && numbers.iter().any(|n| n == "-") {
                return Err(CliError::Usage(
                    "case numbers read from stdin (`-`) need the note in --message".into(),
                ));
            }
            let list = if many {
                several::case_numbers(&numbers, std::io::stdin())?
            } else {
                vec![parse_flag("case number", &numbers[0])?]
            };
            let number = list[0];
            let body = match message {
                Some(m) => m,
                None => read_stdin()?,
            };
            if body.trim().is_empty() {
                return Err(CliError::Usage(
                    "the note is empty: expected text in --message or on stdin".into(),
                ));
            }
            let visibility = if public {
                Visibility::Public
            } else {
                Visibility::Internal
            };
            let note = NewNote {
                body,
                visibility,
                kind: Default::default(),
                from_customer: false,
            };
            if many {
                return several::each(global, &list, json, out, |_, _| {
                    Ok(PendingChange::Note(note.clone()))
                });
            }
            let what = format!("{visibility} note on {number}");
            submit(global, &number, PendingChange::Note(note), &what, out)
        }
        CasesCommand::Create(args) => super::intake::create(*args, global, out),
        CasesCommand::Set(args) => set(args, global, out),
        CasesCommand::Assign { number, name } => {
            let number: CaseNumber = parse_flag("case number", &number)?;
            let owner = if name == "none" { String::new() } else { name };
            check_owner_name(global, &owner)?;
            let patch = CasePatch {
                owner: Some(owner),
                ..CasePatch::default()
            };
            let what = format!(
                "{} on {number}",
                PendingChange::Patch(patch.clone()).describe()
            );
            submit(global, &number, PendingChange::Patch(patch), &what, out)
        }
        CasesCommand::Escalate {
            number,
            kind,
            reason,
            contact,
        } => {
            let number: CaseNumber = parse_flag("case number", &number)?;
            let kind: EscalationKind = parse_flag("--kind", &kind)?;
            let contact_method = contact
                .map(|c| parse_flag::<ContactMethod>("--contact", &c))
                .transpose()?;
            if kind == EscalationKind::EngineerNow && contact_method.is_none() {
                return Err(CliError::Usage(
                    "--kind engineer_now needs --contact phone or --contact email".into(),
                ));
            }
            if reason.trim().is_empty() {
                return Err(CliError::Usage(
                    "--reason is empty: expected why the case needs escalating".into(),
                ));
            }
            let what = format!("escalation {kind} on {number}");
            let change = PendingChange::Escalation(NewEscalation {
                kind,
                reason,
                contact_method,
            });
            submit(global, &number, change, &what, out)
        }
        CasesCommand::Call { number, message } => {
            contact(global, &number, message, NoteKind::Call, out)
        }
        CasesCommand::ContactFailed { number, message } => {
            contact(global, &number, message, NoteKind::ContactFailed, out)
        }
        CasesCommand::Attach { number, file, name } => {
            super::attachments::attach(&number, &file, name, global, out)
        }
    }
}

/// Logs a call or a failed contact attempt; on a P1 a failed attempt also says when the
/// temporary downgrade to P2 becomes available.
fn contact(
    global: &GlobalArgs,
    number: &str,
    message: Option<String>,
    kind: NoteKind,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let number: CaseNumber = parse_flag("case number", number)?;
    let (default, what) = match kind {
        NoteKind::ContactFailed => (
            "Tried to reach the customer: no answer",
            "failed contact attempt",
        ),
        _ => ("Call with the customer", "call"),
    };
    let body = match message.as_deref() {
        Some("-") => read_stdin()?,
        Some(m) => m.to_string(),
        None => String::new(),
    };
    let body = if body.trim().is_empty() {
        default.to_string()
    } else {
        body
    };
    let note = NewNote {
        body,
        // The server decides: a call is public, a failed attempt internal.
        visibility: if kind == NoteKind::Call {
            Visibility::Public
        } else {
            Visibility::Internal
        },
        kind,
        from_customer: false,
    };
    let what = format!("{what} on {number}");
    let sent = submit_outcome(global, &number, PendingChange::Note(note), &what, out)?;
    if sent && kind == NoteKind::ContactFailed {
        downgrade_notice(global, &number, out)?;
    }
    Ok(())
}

/// After a failed contact attempt on a P1: from when the temporary downgrade is available.
fn downgrade_notice(
    global: &GlobalArgs,
    number: &CaseNumber,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let session = Session::open(global, false)?;
    let fetched = block_on(async { Ok(session.desk.fetch_detail(number, None).await?) });
    // The attempt is recorded either way; the notice is a courtesy.
    if fetched.is_err() {
        return Ok(());
    }
    let Some(cached) = session
        .desk
        .cache()
        .detail(number)
        .map_err(crate::sync::DeskError::from)?
    else {
        return Ok(());
    };
    let now = Utc::now();
    let contact = cached
        .case
        .clocks
        .at(now, &session.desk.calendars())
        .p1_contact;
    let Some(at) = contact.downgrade_available_at else {
        return Ok(());
    };
    let text = if contact.downgrade_available {
        format!(
            "the temporary downgrade to P2 is available now: casedesk cases set {number} --priority P2 --temporary --why \"customer unreachable\"\n"
        )
    } else {
        format!(
            "the temporary downgrade to P2 is available from {} (an hour after the first failed attempt)\n",
            session.zone().short(at, now)
        )
    };
    write_out(out, &text)
}

fn read_stdin() -> Result<String, CliError> {
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Err(CliError::Usage(
            "no note given: expected --message TEXT, or the note on stdin".into(),
        ));
    }
    let mut text = String::new();
    stdin
        .read_to_string(&mut text)
        .map_err(|e| CliError::Usage(format!("cannot read the note from stdin: {e}")))?;
    // The newline a pipe or an editor leaves at the end is not part of the note.
    Ok(text.trim_end().to_string())
}

fn list(args: ListArgs, global: &GlobalArgs, out: &mut dyn std::io::Write) -> Result<(), CliError> {
    let mut filter = CaseFilter {
        statuses: args
            .statuses
            .iter()
            .map(|s| parse_flag("--status", s))
            .collect::<Result<_, _>>()?,
        priorities: args
            .priorities
            .iter()
            .map(|p| parse_flag("--priority", p))
            .collect::<Result<_, _>>()?,
        owner: args.owner.clone(),
        all: args.all,
    };
    let sort: Sort = parse_flag("--sort", &args.sort)?;
    let session = Session::open(global, args.offline)?;
    let (mut cases, freshness) = block_on(async {
        if args.mine {
            filter.owner = Some(whoami(&session).await?);
        }
        if !args.offline {
            match fetch_list(&session, &filter, sort, args.limit).await {
                Ok(cases) => return Ok((cases, online())),
                Err(e) if e.is_unreachable() => session.fall_back(&e)?,
                Err(e) => return Err(e.into()),
            }
        }
        let cases = session
            .desk
            .cache()
            .summaries()
            .map_err(crate::sync::DeskError::from)?;
        Ok((cases, session.desk.freshness()?))
    })?;
    // The server filtered and sorted already; the cache's copy is filtered here the same way.
    cases.retain(|c| filter.matches(c));
    cases.sort_by(|a, b| sort.compare(a, b));
    if let Some(limit) = args.limit {
        cases.truncate(limit);
    }
    session.announce(freshness);
    let now = Utc::now();
    let text = if args.json {
        super::cases_json(&cases, session.profile.backend)?
    } else if args.csv {
        csv(&cases, session.zone())
    } else {
        queue_table(&cases, session.zone(), now)
    };
    write_out(out, &text)
}

fn online() -> Freshness {
    Freshness {
        online: true,
        ..Freshness::default()
    }
}

/// Pages the server's list (up to `limit`) into the cache and returns it.
async fn fetch_list(
    session: &Session,
    filter: &CaseFilter,
    sort: Sort,
    limit: Option<usize>,
) -> Result<Vec<CaseSummary>, crate::sync::DeskError> {
    session.desk.server()?;
    let mut cases = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let want = limit.map_or(500, |l| (l - cases.len()).clamp(1, 500));
        let mut q = format!(
            "{}&sort={}&limit={want}",
            filter.to_query(),
            sort.to_query()
        );
        if let Some(c) = &cursor {
            q.push_str("&cursor=");
            q.extend(form_urlencoded::byte_serialize(c.as_bytes()));
        }
        let page = session
            .desk
            .call(async |client| client.cases(&q).await)
            .await?;
        session
            .desk
            .cache()
            .put_summaries(&page.items, Utc::now())?;
        cases.extend(page.items);
        cursor = page.next_cursor;
        if cursor.is_none() || limit.is_some_and(|l| cases.len() >= l) {
            return Ok(cases);
        }
    }
}

/// The caller's name: from the server (remembered in the cache), or as remembered.
pub(super) async fn whoami(session: &Session) -> Result<String, CliError> {
    session.desk.me().await?.map(|me| me.name).ok_or_else(|| {
        CliError::Failed(
            "who you are is not known offline yet: run `casedesk sync` once while online".into(),
        )
    })
}

/// At most `n` characters of a one-line, sanitized text.
fn cell(text: &str, n: usize) -> String {
    let text = clean(text, true);
    if text.chars().count() <= n {
        return text.into_owned();
    }
    let mut cut: String = text.chars().take(n.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

fn queue_table(cases: &[CaseSummary], zone: DisplayZone, now: DateTime<Utc>) -> String {
    let mut t = table::fitted(
        &[
            "number", "p", "status", "owner", "next due", "updated", "site", "subject",
        ],
        &["owner", "site", "subject"],
    );
    for c in cases {
        table::add_line(
            &mut t,
            vec![
                c.number.to_string(),
                c.priority.to_string(),
                c.status.to_string(),
                cell(c.owner.as_deref().unwrap_or("-"), 16),
                Lang::En.countdown(c.next_due, now),
                zone.short(c.updated_at, now),
                cell(&c.site_name, 24),
                cell(&c.subject, 48),
            ],
        );
    }
    let mut text = table::render(&t);
    text.push_str(&format!("{} cases\n", cases.len()));
    text
}

fn csv(cases: &[CaseSummary], zone: DisplayZone) -> String {
    let field = |s: &str| {
        let s = clean(s, true);
        if s.contains([',', '"']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.into_owned()
        }
    };
    let time = |t: DateTime<Utc>| zone.format(t, "%Y-%m-%dT%H:%M:%S%:z");
    let mut text = String::from("number,priority,status,owner,next_due,updated_at,site,subject\n");
    for c in cases {
        text.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            c.number,
            c.priority.as_str(),
            c.status.as_str(),
            field(c.owner.as_deref().unwrap_or("")),
            c.next_due.map(time).unwrap_or_default(),
            time(c.updated_at),
            field(&c.site_name),
            field(&c.subject),
        ));
    }
    text
}

fn show(
    number: &str,
    as_json: bool,
    offline: bool,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let number: CaseNumber = parse_flag("case number", number)?;
    let session = Session::open(global, offline)?;
    let (cached, freshness) = block_on(async {
        let mut freshness = session.desk.freshness()?;
        if !offline {
            let etag = session
                .desk
                .cache()
                .detail(&number)
                .map_err(crate::sync::DeskError::from)?
                .and_then(|c| c.etag);
            match session
                .desk
                .fetch_detail(&number, etag.as_deref())
                .await
                .map(drop)
            {
                Ok(()) => freshness = online(),
                Err(e) if e.is_unreachable() => freshness = session.desk.freshness()?,
                Err(e) => return Err(e.into()),
            }
        }
        let cached = session
            .desk
            .cache()
            .detail(&number)
            .map_err(crate::sync::DeskError::from)?;
        Ok((cached, freshness))
    })?;
    let Some(cached) = cached else {
        let why = freshness
            .notice(session.zone(), Utc::now())
            .unwrap_or_else(|| "from the cache".into());
        return Err(CliError::Failed(format!(
            "case {number} is not in the cache ({why})"
        )));
    };
    session.announce(freshness);
    let now = Utc::now();
    let mut case = cached.case;
    // Countdowns from the last report, moved on to now on the cached calendars.
    case.clocks = case.clocks.at(now, &session.desk.calendars());
    let text = if as_json {
        super::cases_json(&case, session.profile.backend)?
    } else {
        case_text(&case, session.zone(), now)
    };
    write_out(out, &text)
}

fn case_text(case: &Case, zone: DisplayZone, now: DateTime<Utc>) -> String {
    use std::fmt::Write;
    let s = &case.summary;
    let line = |t: &str| clean(t, true).into_owned();
    let mut o = String::new();
    let _ = writeln!(o, "{}  {}", s.number, line(&s.subject));
    let _ = writeln!(
        o,
        "{} {}  ·  {}  ·  owner {}  ·  tier {}",
        s.priority,
        s.priority.label(),
        s.status.label(),
        line(s.owner.as_deref().unwrap_or("(unassigned)")),
        s.tier
    );
    let _ = writeln!(
        o,
        "site {} ({})  ·  account {}",
        line(&s.site_name),
        line(&s.site_id),
        line(&s.account)
    );
    let _ = writeln!(
        o,
        "contact {} <{}> {}  ·  prefers {}",
        line(&s.contact_name),
        line(&case.contact_email),
        line(&case.contact_phone),
        case.preferred_contact
    );
    let _ = writeln!(
        o,
        "product {} on {} version {}  ·  serial {}{}",
        line(&s.product),
        line(&s.platform),
        line(&case.software_version),
        line(s.serial_number.as_deref().unwrap_or("-")),
        if case.unentitled {
            "  ·  NO ACTIVE CONTRACT"
        } else {
            ""
        }
    );
    let _ = writeln!(
        o,
        "opened {}  ·  updated {}",
        zone.short(s.created_at, now),
        zone.short(s.updated_at, now)
    );
    if !case.description.is_empty() {
        let _ = writeln!(o, "\n{}", clean(&case.description, false));
    }
    let _ = writeln!(o, "\nSLA clocks");
    for c in &case.clocks.clocks {
        let state = match c.state {
            ClockState::Breached => "BREACHED".to_string(),
            other => other.as_str().to_string(),
        };
        let due = c.due.map_or_else(|| "-".into(), |d| zone.short(d, now));
        let remaining = match (c.remaining_secs, c.remaining_working_secs) {
            (Some(w), Some(b)) if c.counting => {
                format!("{} ({} working)", span::compact(w), span::compact(b))
            }
            (Some(w), None) if c.counting => span::compact(w),
            _ => String::new(),
        };
        let rma = c.rma.map(|r| format!(" {r}")).unwrap_or_default();
        let _ = writeln!(
            o,
            "  {:<16} {:<9} {:<14} due {:<12} {}",
            format!("{}{rma}", Lang::En.clock_kind(c.kind)),
            state,
            c.target.to_string(),
            due,
            remaining
        );
    }
    // The P1 reachability rule (SPEC 2.2), under the clocks.
    let contact = case.clocks.p1_contact;
    if contact.temporarily_downgraded {
        let _ = writeln!(
            o,
            "  temporarily P2 (customer unreachable): restore P1 with `casedesk cases set {} --priority P1 --why …`",
            s.number
        );
    } else if let (Some(since), Some(at)) = (contact.failing_since, contact.downgrade_available_at)
    {
        let when = if contact.downgrade_available {
            "now".to_string()
        } else {
            format!("from {}", zone.short(at, now))
        };
        let _ = writeln!(
            o,
            "  customer unreachable since {}: temporary downgrade to P2 available {when}",
            zone.short(since, now)
        );
    }
    // Notes and history interleaved by time: the case's story.
    let mut timeline: Vec<(DateTime<Utc>, String)> = Vec::new();
    for n in &case.notes {
        timeline.push((n.created_at, note_text(n)));
    }
    for h in &case.history {
        let reason = h
            .reason
            .as_deref()
            .map(|r| format!(" — {}", line(r)))
            .unwrap_or_default();
        timeline.push((
            h.at,
            format!(
                "[CHANGE] {} by {}{reason}",
                line(&h.summary),
                line(&h.actor)
            ),
        ));
    }
    timeline.sort_by_key(|(at, _)| *at);
    let _ = writeln!(o, "\nTimeline");
    for (at, text) in timeline {
        let _ = writeln!(o, "  {}  {text}", zone.short(at, now));
    }
    if !case.escalations.is_empty() {
        let _ = writeln!(o, "\nEscalations");
        for e in &case.escalations {
            let _ = writeln!(
                o,
                "  #{} {} — {} by {} at {}: {}",
                e.id,
                e.kind.label(),
                e.state,
                line(&e.requested_by),
                zone.short(e.requested_at, now),
                line(&e.reason)
            );
        }
    }
    if !case.rmas.is_empty() {
        let _ = writeln!(o, "\nRMAs");
        for r in &case.rmas {
            let due = r
                .return_due
                .map_or_else(|| "-".into(), |d| zone.short(d, now));
            let _ = writeln!(
                o,
                "  {} {} part {} serial {} return due {}{}",
                r.number,
                r.status,
                line(&r.part_number),
                line(&r.serial_number),
                due,
                if r.overdue { " OVERDUE" } else { "" }
            );
            if r.analysis.is_some() {
                let _ = writeln!(o, "    analysis {}", super::rma::analysis(r, zone));
            }
        }
    }
    if !case.attachments.is_empty() {
        let _ = writeln!(o, "\nFiles");
        for f in &case.attachments {
            let when = f
                .added_at
                .map_or_else(|| "-".into(), |t| zone.short(t, now));
            let _ = writeln!(
                o,
                "  #{} {}  {}  {}  by {} at {}",
                f.id,
                line(&f.name),
                crate::domain::size::ByteSize(f.size),
                line(&f.content_type),
                line(&f.added_by),
                when
            );
        }
    }
    if !case.problem_reports.is_empty() {
        let _ = writeln!(
            o,
            "\nProblem reports: {}",
            line(&case.problem_reports.join(", "))
        );
    }
    o
}

/// A note on the timeline: its label and author (`[EMAIL] Name <addr>` when it came by mail),
/// its text, where the mail carrying it stands, and the files that came with it.
fn note_text(n: &Note) -> String {
    let line = |t: &str| clean(t, true).into_owned();
    let label = match (n.visibility, n.kind) {
        (_, NoteKind::Call) => "CALL",
        (_, NoteKind::ContactFailed) => "CONTACT FAILED",
        _ if n.email_from.is_some() => "EMAIL",
        (Visibility::Public, _) => "PUBLIC",
        (Visibility::Internal, _) => "INTERNAL",
    };
    let who = match &n.email_from {
        Some(sender) => format!("{} <{}>", line(&n.author), line(sender)),
        None => line(&n.author),
    };
    let body = clean(&n.body, false).replace('\n', "\n    ");
    let mut text = format!("[{label}] {who} ({}):\n    {body}", n.party);
    if let Some(mail) = &n.mail {
        text.push_str(&format!(
            "\n    mailed to {}: {}",
            line(&mail.to),
            line(&mail.state)
        ));
        if let Some(error) = &mail.error {
            text.push_str(&format!(": {}", line(error)));
        }
    }
    for file in &n.attachments {
        text.push_str(&format!(
            "\n    attached {} ({}, {})",
            line(&file.name),
            crate::domain::size::ByteSize(file.size),
            line(&file.content_type)
        ));
    }
    text
}

fn set(args: SetArgs, global: &GlobalArgs, out: &mut dyn std::io::Write) -> Result<(), CliError> {
    let many = several::wanted(&args.numbers, args.json);
    let list = if many {
        several::case_numbers(&args.numbers, std::io::stdin())?
    } else {
        vec![parse_flag("case number", &args.numbers[0])?]
    };
    let number = list[0];
    let status = args
        .status
        .as_deref()
        .map(|s| parse_flag::<Status>("--status", s))
        .transpose()?;
    let close_reason = args
        .reason
        .as_deref()
        .map(|s| parse_flag::<CloseReason>("--reason", s))
        .transpose()?;
    if status == Some(Status::Closed) && close_reason.is_none() {
        return Err(CliError::Usage(format!(
            "--status closed needs --reason: expected {}",
            CloseReason::ALL
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let priority = args
        .priority
        .as_deref()
        .map(|p| parse_flag::<Priority>("--priority", p))
        .transpose()?;
    let problem_reports = args
        .problem_report
        .iter()
        .map(|p| parse_flag::<ProblemReport>("--problem-report", p))
        .collect::<Result<Vec<_>, _>>()?;
    let needs_problem_report =
        status.is_some_and(Status::needs_problem_report) && problem_reports.is_empty();
    let no_problem_report = || {
        format!(
            "--status waiting_on_engineering needs a linked problem report: add --problem-report PR ({})",
            ProblemReport::EXPECTED
        )
    };
    if !many && needs_problem_report && has_problem_report(global, &number)? == Some(false) {
        return Err(CliError::Usage(no_problem_report()));
    }
    let session_owner = if args.take {
        let session = Session::open(global, false)?;
        Some(block_on(whoami(&session))?)
    } else {
        if let Some(owner) = &args.owner {
            check_owner_name(global, owner)?;
        }
        args.owner.clone()
    };
    let patch = CasePatch {
        priority,
        temporary: args.temporary,
        status,
        close_reason,
        owner: session_owner,
        reason: args.why.clone(),
        add_problem_reports: problem_reports.iter().map(ToString::to_string).collect(),
        ..CasePatch::default()
    };
    if many {
        // Each case is judged on its own: one without a problem report is refused, not all.
        return several::each(global, &list, args.json, out, |session, number| {
            if needs_problem_report
                && linked_problem_report(session, number).map_err(|e| e.to_string())? == Some(false)
            {
                return Err(no_problem_report());
            }
            Ok(PendingChange::Patch(patch.clone()))
        });
    }
    let what = format!(
        "{} on {number}",
        PendingChange::Patch(patch.clone()).describe()
    );
    submit(global, &number, PendingChange::Patch(patch), &what, out)
}

/// Refuses (exit 2) an owner who is not an active person of the desk, as the server lists
/// them (or as last cached offline); an empty name unassigns, and with no list known the
/// server judges the name when the change reaches it.
fn check_owner_name(global: &GlobalArgs, owner: &str) -> Result<(), CliError> {
    let owner = owner.trim();
    if owner.is_empty() {
        return Ok(());
    }
    let session = Session::open(global, false)?;
    let people = block_on(async { Ok(session.desk.people().await?) })?;
    if people.is_empty() {
        return Ok(());
    }
    let Err(unknown) = crate::api::check_owner(&people, owner) else {
        return Ok(());
    };
    let hint = match unknown.suggestion {
        Some(close) => format!(" (did you mean {close}?)"),
        None => {
            let names: Vec<&str> = crate::api::owner_matches(&people, "")
                .into_iter()
                .map(|p| p.name.as_str())
                .collect();
            let shown = names.iter().take(6).copied().collect::<Vec<_>>().join(", ");
            let more = if names.len() > 6 { ", …" } else { "" };
            format!(", e.g. {shown}{more}")
        }
    };
    Err(CliError::Usage(format!(
        "invalid owner '{}': expected the name of an active person{hint}",
        unknown.name
    )))
}

/// Whether the case has a problem report linked: from the server, else the cache; `None`
/// when neither knows the case (the server judges when the change reaches it).
fn has_problem_report(global: &GlobalArgs, number: &CaseNumber) -> Result<Option<bool>, CliError> {
    let session = Session::open(global, false)?;
    linked_problem_report(&session, number)
}

/// [`has_problem_report`] on a session already open.
fn linked_problem_report(session: &Session, number: &CaseNumber) -> Result<Option<bool>, CliError> {
    block_on(async {
        // The cache's lock is taken for each read, never across the fetch (which writes).
        let etag = session
            .desk
            .cache()
            .detail(number)
            .map_err(crate::sync::DeskError::from)?
            .and_then(|c| c.etag);
        match session.desk.fetch_detail(number, etag.as_deref()).await {
            Ok(_) => {}
            Err(e) if e.is_unreachable() => {}
            Err(e) => return Err(e.into()),
        }
        Ok(session
            .desk
            .cache()
            .detail(number)
            .map_err(crate::sync::DeskError::from)?
            .map(|c| !c.case.problem_reports.is_empty()))
    })
}

/// Sends a change through the outbox and says what became of it.
fn submit(
    global: &GlobalArgs,
    number: &CaseNumber,
    change: PendingChange,
    what: &str,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    submit_outcome(global, number, change, what, out).map(drop)
}

/// [`submit`], telling whether the server has the change now (rather than the outbox).
fn submit_outcome(
    global: &GlobalArgs,
    number: &CaseNumber,
    change: PendingChange,
    what: &str,
    out: &mut dyn std::io::Write,
) -> Result<bool, CliError> {
    let session = Session::open(global, false)?;
    let result = block_on(async { Ok(session.desk.submit(number, change, None).await?) })?;
    let sent = result == Submitted::Sent;
    let line = said(result, what, session.desk.server()?).map_err(CliError::Failed)?;
    write_out(out, &line).map(|()| sent)
}

/// What became of a submitted change `what`, in the words every `cases` command uses: the
/// line for stdout when the server has it or it waits in the outbox for `server`, else why
/// not and what to do about it.
pub(super) fn said(outcome: Submitted, what: &str, server: &str) -> Result<String, String> {
    match outcome {
        Submitted::Sent => Ok(format!("sent: {what}\n")),
        Submitted::Queued(id) => Ok(format!(
            "queued: {what} (outbox #{id}); the server at {server} cannot be reached — `casedesk sync` sends it later\n"
        )),
        Submitted::Conflicted(id, why) => Err(format!(
            "case changed by someone else: {why}; kept as outbox #{id} — `casedesk outbox retry {id}` sends it against the new version, `casedesk outbox discard {id}` drops it"
        )),
        Submitted::Failed(id, why) => Err(format!(
            "{why}; kept as outbox #{id} — `casedesk outbox discard {id}` drops it"
        )),
        Submitted::Refused(why) => Err(format!(
            "refused: {why} (not kept in the outbox: sending it again cannot succeed)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdown_reads_as_time_left_or_breach() {
        let now = Utc::now();
        assert_eq!(Lang::En.countdown(None, now), "-");
        assert_eq!(
            Lang::En.countdown(Some(now + chrono::Duration::minutes(125)), now),
            "2h05m"
        );
        assert_eq!(
            Lang::En.countdown(Some(now - chrono::Duration::minutes(12)), now),
            "BREACHED 12m"
        );
    }

    #[test]
    fn cells_are_one_line_and_clean() {
        assert_eq!(cell("a\x1b[2Jb\nc", 10), "a[2Jb c");
        assert_eq!(cell("0123456789abc", 5), "0123…");
    }
}
