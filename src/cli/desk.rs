//! `casedesk login`, `sync`, `search`, `rma list` (and `rma show`/`set`, in `rma.rs`),
//! `entitlement` and `outbox`.

use std::io::{BufRead, IsTerminal};

use chrono::Utc;
use clap::Subcommand;

use super::cases::whoami;
use super::client::{GlobalArgs, Session, backend_for, block_on};
use super::{CliError, table, write_out};
use crate::api::{CaseSummary, ClientError, Entitlement, Rma, SearchResults, text_matches};
use crate::backend::{Backend, BackendKind};
use crate::cache::OutboxState;
use crate::config::{normalize_server, save_profile_login, write_token_file};
use crate::sanitize::clean;
use crate::sync::{DeskError, Submitted};

/// `casedesk rma` subcommands.
#[derive(Debug, Subcommand)]
pub enum RmaCommand {
    /// RMAs, newest first (at most 500).
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// One RMA: status, case, dates, return due (OVERDUE), receipt, analysis and its due date,
    /// and the moves allowed from here.
    Show {
        /// The RMA number, e.g. R21056835.
        rma: String,
        /// Print the API's RMA object as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Move an RMA forward (requested → issued → replacement_shipped → defective_received →
    /// closed, or cancelled) and/or set its analysis request; needs the server (never queued).
    Set {
        /// The RMA number, e.g. R21056835.
        rma: String,
        /// The new status.
        #[arg(long, value_name = "S")]
        status: Option<String>,
        /// The analysis request: repair_analysis (30 days) or failure_analysis (15 days).
        #[arg(long, value_name = "A")]
        analysis: Option<String>,
    },
}

/// `casedesk outbox` subcommands.
#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Changes waiting for the server, conflicted or refused (the default).
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Send a conflicted or refused change again, against the case's current version.
    Retry {
        /// The entry's id.
        id: i64,
    },
    /// Drop a change.
    Discard {
        /// The entry's id.
        id: i64,
    },
    /// Print as JSON the changes written for another server or person (never sent from this
    /// profile), to keep them before discarding; `--all` prints every entry.
    Export {
        /// Every entry, not only the other server's or person's.
        #[arg(long)]
        all: bool,
    },
}

/// `--backend KIND` of `casedesk login`: `casedesk` or `rt`.
pub fn parse_backend(text: &str) -> Result<BackendKind, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "casedesk" => Ok(BackendKind::Casedesk),
        "rt" | "request-tracker" => Ok(BackendKind::Rt),
        other => Err(format!(
            "unknown backend '{other}': expected casedesk or rt (Request Tracker 5)"
        )),
    }
}

/// `casedesk login`: checks a token against the server (casedesk's case API, or RT's REST 2 on
/// `--backend rt` or an RT profile) and keeps it, the server and the backend for the profile.
pub fn login(
    server: &str,
    backend: Option<BackendKind>,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let server = normalize_server(server)?;
    let overrides = global.overrides(Some(server.clone()));
    // Printed without a password of a `user:pass@` URL.
    let shown = crate::config::without_password(&server);
    let config = crate::config::Config::load(&overrides, crate::config::Dirs::platform()?)?;
    let mut profile = config.profile(&overrides, &crate::config::Env::default())?;
    if let Some(kind) = backend {
        profile.backend = kind;
    }
    let kind = profile.backend;
    let token = read_token(&server, kind)?;
    let client = backend_for(&profile, &server, &token)?;
    let me = block_on(async {
        client.me().await.map_err(|e| match e {
            ClientError::Unauthorized { .. } => CliError::Failed(match kind {
                BackendKind::Casedesk => format!(
                    "token rejected by {shown}: check it was copied whole (it starts with cdk_) and is not revoked"
                ),
                BackendKind::Rt => format!(
                    "token rejected by Request Tracker at {shown}: check it was copied whole (RT's auth tokens look like 1-14-…) and is not revoked"
                ),
            }),
            e => e.into(),
        })
    })?;
    write_token_file(&profile.token_file, &token)?;
    save_profile_login(&config.path, &profile.name, &server, backend)?;
    let on = match kind {
        BackendKind::Casedesk => String::new(),
        other => format!(" ({})", other.title()),
    };
    write_out(
        out,
        &format!(
            "logged in to {shown}{on} as {} ({}); profile '{}' saved in {}, token in {} (mode 0600)\n",
            me.name,
            me.role,
            profile.name,
            config.path.display(),
            profile.token_file.display()
        ),
    )
}

/// The token, asked for without echo on a terminal, or read from a pipe.
fn read_token(server: &str, kind: BackendKind) -> Result<String, CliError> {
    let token = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("Token for {server}: "))
            .map_err(|e| CliError::Failed(format!("cannot read the token: {e}")))?
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| CliError::Failed(format!("cannot read the token from stdin: {e}")))?;
        line
    };
    let token = token.trim().to_string();
    if token.is_empty() || token.contains(char::is_whitespace) {
        return Err(CliError::Usage(match kind {
            BackendKind::Casedesk => {
                "no token given: expected the token the server's admin created (cdk_…)".into()
            }
            BackendKind::Rt => {
                "no token given: expected a Request Tracker auth token (1-14-…, made in RT under Logged in as > Settings > Auth Tokens)".into()
            }
        }));
    }
    Ok(token)
}

/// `casedesk sync`: the outbox first, then the cases, then the open cases' details.
pub fn sync(global: &GlobalArgs, out: &mut dyn std::io::Write) -> Result<(), CliError> {
    let session = Session::open(global, false)?;
    let desk = &session.desk;
    let (flushed, report) = block_on(async {
        // A damaged cache is found by the statement that meets it: moved aside and rebuilt
        // (its outbox kept), then the sync runs again on the new one — once.
        let attempt = async || -> Result<_, DeskError> {
            let flushed = desk.flush_outbox().await?;
            let report = if flushed.unreachable {
                None
            } else {
                desk.me().await?;
                Some(desk.sync().await?)
            };
            Ok((flushed, report))
        };
        let (flushed, report) = match attempt().await {
            Err(e) => match desk.repair_if_damaged(&e)? {
                Some(salvage) => {
                    eprintln!("notice: {salvage}");
                    attempt().await?
                }
                None => return Err(e.into()),
            },
            Ok(done) => done,
        };
        if flushed.unreachable {
            let waiting = desk.cache().outbox().map_err(DeskError::from)?.len();
            return Err(CliError::Failed(format!(
                "server unreachable at {}: {waiting} change(s) stay in the outbox",
                desk.server()?
            )));
        }
        let report = match report {
            Some(report) => report,
            None => return Err(CliError::Failed("the sync did not run".into())),
        };
        whoami(&session).await?;
        Ok((flushed, report))
    })?;
    let mut text = String::new();
    for (id, number, what) in &flushed.sent {
        text.push_str(&format!("sent #{id}: {what} on {number}\n"));
    }
    for (id, why) in &flushed.conflicted {
        text.push_str(&format!(
            "conflicted #{id}: {why} (`casedesk outbox retry {id}` or `discard {id}`)\n"
        ));
    }
    for (id, why) in &flushed.failed {
        text.push_str(&format!("refused #{id}: {why}\n"));
    }
    if let Some(owner) = flushed.owner.as_ref().filter(|_| flushed.bound > 0) {
        text.push_str(&format!(
            "note: {} outbox change(s) from before casedesk recorded whom they were for are now bound to {owner}\n",
            flushed.bound
        ));
    }
    for f in &flushed.foreign {
        text.push_str(&format!(
            "{}\n",
            foreign_line(f.id, &f.what, &f.reference, &f.owner)
        ));
    }
    for r in &flushed.refused {
        let on = r.case.map(|n| format!(" on {n}")).unwrap_or_default();
        text.push_str(&format!(
            "refused for good #{}: {}{on}: {} (taken out of the outbox)\n",
            r.id, r.what, r.why
        ));
    }
    let traffic = desk.traffic()?;
    text.push_str(&format!(
        "{}: {} case(s) changed, {} detail(s) fetched; at sequence {} ({} requests, {} KiB)\n",
        if report.full { "full sync" } else { "synced" },
        report.cases,
        report.details,
        report.seq,
        traffic.requests(),
        traffic.bytes() / 1024
    ));
    write_out(out, &text)
}

/// `casedesk search`: the server's search, or the cache's cases when offline.
pub fn search(
    query: &str,
    json: bool,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let session = Session::open(global, false)?;
    session.desk.server()?;
    let online = async |client: &Backend| client.search(query).await;
    let found = session.online_or_cached(online, |session, _| {
        let mut cases: Vec<CaseSummary> = session
            .desk
            .cache()
            .summaries()
            .map_err(DeskError::from)?
            .into_iter()
            .filter(|c| text_matches(c, query))
            .collect();
        cases.sort_by_key(|c| std::cmp::Reverse(c.updated_at));
        Ok(SearchResults {
            cases,
            rmas: Vec::new(),
        })
    })?;
    if json {
        return write_out(out, &super::cases_json(&found, session.profile.backend)?);
    }
    let now = Utc::now();
    let mut t = table::plain(&["number", "p", "status", "owner", "updated", "subject"]);
    for c in &found.cases {
        t.add_row(vec![
            c.number.to_string(),
            c.priority.to_string(),
            c.status.to_string(),
            clean(c.owner.as_deref().unwrap_or("-"), true).into_owned(),
            session.zone().short(c.updated_at, now),
            clean(&c.subject, true).into_owned(),
        ]);
    }
    let mut text = table::render(&t);
    if !found.rmas.is_empty() {
        text.push('\n');
        text.push_str(&rma_table(&found.rmas, &session));
    }
    text.push_str(&format!(
        "{} case(s), {} RMA(s)\n",
        found.cases.len(),
        found.rmas.len()
    ));
    write_out(out, &text)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    super::json_text(value)
}

fn rma_table(rmas: &[Rma], session: &Session) -> String {
    let now = Utc::now();
    let mut t = table::plain(&["rma", "status", "case", "part", "serial", "return due"]);
    for r in rmas {
        t.add_row(vec![
            r.number.to_string(),
            r.status.to_string(),
            r.case_number.to_string(),
            clean(&r.part_number, true).into_owned(),
            clean(&r.serial_number, true).into_owned(),
            match r.return_due {
                Some(d) if r.overdue => format!("{} OVERDUE", session.zone().short(d, now)),
                Some(d) => session.zone().short(d, now),
                None => "-".into(),
            },
        ]);
    }
    table::render(&t)
}

/// `casedesk rma list`: the server's list, or the RMAs of the cached cases when offline.
pub fn rma(
    cmd: RmaCommand,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let json = match cmd {
        RmaCommand::List { json } => json,
        RmaCommand::Show { rma, json } => return super::rma::show(&rma, json, global, out),
        RmaCommand::Set {
            rma,
            status,
            analysis,
        } => {
            return super::rma::set(&rma, status.as_deref(), analysis.as_deref(), global, out);
        }
    };
    let session = Session::open(global, false)?;
    session.desk.server()?;
    let online = async |client: &Backend| {
        client
            .casedesk("RMAs")?
            .rmas("sort=created_at:desc&limit=500")
            .await
    };
    let rmas = session.online_or_cached(online, |session, _| {
        let mut rmas: Vec<Rma> = cached_cases(session)?
            .into_iter()
            .flat_map(|c| c.rmas)
            .collect();
        rmas.sort_by_key(|r| std::cmp::Reverse(r.created_at));
        Ok(rmas)
    })?;
    if json {
        return write_out(out, &to_json(&rmas)?);
    }
    let mut text = rma_table(&rmas, &session);
    text.push_str(&format!("{} RMA(s)\n", rmas.len()));
    write_out(out, &text)
}

fn cached_cases(session: &Session) -> Result<Vec<crate::api::Case>, CliError> {
    Ok(session.desk.cache().details().map_err(DeskError::from)?)
}

/// `casedesk entitlement SERIAL`.
pub fn entitlement(
    serial: &str,
    json: bool,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let session = Session::open(global, false)?;
    session.desk.server()?;
    let online =
        async |client: &Backend| client.casedesk("entitlements")?.entitlement(serial).await;
    let found: Entitlement = session.online_or_cached(online, |session, e| {
        cached_cases(session)?
            .into_iter()
            .filter_map(|c| c.entitlement)
            .find(|x| x.serial_number.eq_ignore_ascii_case(serial.trim()))
            .ok_or_else(|| {
                CliError::Failed(format!(
                    "no entitlement for serial {serial} in the cache, and {e}"
                ))
            })
    })?;
    if json {
        return write_out(out, &to_json(&found)?);
    }
    let text = format!(
        "serial {}\ntier {}\ncontract ends {}\nsite {} ({})\naccount {}\n{}\n",
        clean(&found.serial_number, true),
        found.tier,
        found.contract_end,
        clean(&found.site_name, true),
        clean(&found.site_id, true),
        clean(&found.account, true),
        if found.active {
            "support ACTIVE"
        } else {
            "support EXPIRED: no active contract"
        }
    );
    write_out(out, &text)
}

/// Why an entry of another server or person is kept and not sent, and what to do with it.
fn foreign_line(id: i64, what: &str, reference: &str, owner: &crate::cache::Owner) -> String {
    format!(
        "kept #{id}: {} on {reference} was written for {}, not for this profile's server and token: never sent here — `casedesk outbox export` saves it, `casedesk outbox discard {id}` drops it",
        clean(what, true),
        clean(&owner.to_string(), true)
    )
}

/// `casedesk outbox`.
pub fn outbox(
    cmd: Option<OutboxCommand>,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    match cmd.unwrap_or(OutboxCommand::List { json: false }) {
        OutboxCommand::List { json } => {
            let session = Session::open(global, true)?;
            let entries = session.desk.cache().outbox().map_err(DeskError::from)?;
            if json {
                return write_out(out, &to_json(&entries)?);
            }
            if entries.is_empty() {
                return write_out(
                    out,
                    "the outbox is empty: every change has reached the server\n",
                );
            }
            let now = Utc::now();
            let mine = session
                .desk
                .cache()
                .remembered_owner()
                .map_err(DeskError::from)?;
            let foreign = |e: &crate::cache::OutboxEntry| e.foreign_to(mine.as_ref()).is_some();
            let mut t = table::plain(&[
                "id",
                "state",
                "case",
                "change",
                "made",
                "tries",
                "server said",
            ]);
            for e in &entries {
                t.add_row(vec![
                    e.id.to_string(),
                    if foreign(e) {
                        "other server/user".to_string()
                    } else {
                        e.state.as_str().to_string()
                    },
                    e.reference(),
                    clean(&e.change.describe(), true).into_owned(),
                    session.zone().short(e.created_at, now),
                    e.attempts.to_string(),
                    clean(e.error.as_deref().unwrap_or(""), true).into_owned(),
                ]);
            }
            let mut text = table::render(&t);
            let waiting = entries
                .iter()
                .filter(|e| e.state == OutboxState::Pending)
                .count();
            text.push_str(&format!(
                "{} change(s): {waiting} waiting, {} need you\n",
                entries.len(),
                entries.len() - waiting
            ));
            for e in entries.iter().filter(|e| foreign(e)) {
                if let Some(owner) = &e.owner {
                    text.push_str(&format!(
                        "{}\n",
                        foreign_line(e.id, &e.change.describe(), &e.reference(), owner)
                    ));
                }
            }
            write_out(out, &text)
        }
        OutboxCommand::Retry { id } => {
            let session = Session::open(global, false)?;
            match block_on(async { Ok(session.desk.retry(id).await?) })? {
                Submitted::Sent => write_out(out, &format!("sent #{id}\n")),
                Submitted::Queued(_) => Err(CliError::Failed(format!(
                    "server unreachable: #{id} stays in the outbox"
                ))),
                Submitted::Conflicted(_, why) | Submitted::Failed(_, why) => {
                    Err(CliError::Failed(format!("#{id} refused again: {why}")))
                }
                Submitted::Refused(why) => Err(CliError::Failed(format!(
                    "#{id} refused for good: {why} (taken out of the outbox)"
                ))),
            }
        }
        OutboxCommand::Export { all } => {
            let session = Session::open(global, true)?;
            let cache = session.desk.cache();
            let mine = cache.remembered_owner().map_err(DeskError::from)?;
            let entries: Vec<_> = cache
                .outbox()
                .map_err(DeskError::from)?
                .into_iter()
                .filter(|e| all || (e.owner.is_some() && e.owner != mine))
                .collect();
            write_out(out, &to_json(&entries)?)
        }
        OutboxCommand::Discard { id } => {
            let session = Session::open(global, true)?;
            let entry = session.desk.discard(id)?;
            write_out(
                out,
                &format!(
                    "discarded #{id}: {} on {}\n",
                    entry.change.describe(),
                    entry.reference()
                ),
            )
        }
    }
}
