//! `casedesk serve` and `casedesk token …`.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use chrono::Utc;
use clap::{Args, Subcommand};

use super::sla::{CalendarSource, PolicySource};
use super::{CliError, parse_flag, table, write_out};
use crate::api::Role;
use crate::server;
use crate::server::clock::Clock;
use crate::server::config::{AttachmentsConfig, ServeFile};
use crate::server::db::Db;
use crate::server::mail::MailConfig;
use crate::server::mail::config::ReadPrivate;
use crate::server::store::{self, Sla};

/// `casedesk serve` arguments. Each can also be set in the server's config file (`--config
/// FILE`, under the flag's name with `_` for `-`); a flag given here wins over the file.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8750].
    #[arg(long)]
    listen: Option<String>,
    /// The SQLite database, created if missing [default: casedesk.db].
    #[arg(long)]
    db: Option<PathBuf>,
    #[command(flatten)]
    policies: PolicySource,
    #[command(flatten)]
    calendars: CalendarSource,
    /// Fill an empty database with demo cases and print one token per role.
    #[arg(long)]
    demo: bool,
    /// How many demo cases (with --demo) [default: 400].
    #[arg(long)]
    demo_cases: Option<usize>,
    /// Days of demo history, 1 to 730: cases are opened over the last N days, those before
    /// the last 30 long since closed (with --demo) [default: 30].
    #[arg(long)]
    demo_days: Option<u32>,
    /// Seed of the demo data (same seed, same cases; with --demo) [default: 2026].
    #[arg(long)]
    seed: Option<u64>,
}

/// What `serve` runs with: the flags over the config file over the defaults.
#[derive(Debug)]
struct ServeSettings {
    listen: String,
    db: PathBuf,
    policies: PolicySource,
    calendars: CalendarSource,
    /// The demo's case count, seed and days of history, when `demo` is on.
    demo: Option<(usize, u64, u32)>,
    mail: Option<MailConfig>,
    /// `[attachments]`: where uploads go and their limits.
    attachments: AttachmentsConfig,
}

const DEFAULT_LISTEN: &str = "127.0.0.1:8750";
const DEFAULT_DB: &str = "casedesk.db";
const DEFAULT_DEMO_CASES: usize = 400;

impl ServeArgs {
    /// The flags laid over `file` (read from `file_path`), the defaults under both; `[mail]` is
    /// checked here so a bad one stops the server before it starts.
    fn settings(
        self,
        file: ServeFile,
        file_path: Option<&Path>,
        read_private: ReadPrivate,
    ) -> Result<ServeSettings, CliError> {
        let demo = self.demo || file.demo.unwrap_or(false);
        let demo_cases = self.demo_cases.or(file.demo_cases);
        let demo_days = self.demo_days.or(file.demo_days);
        let seed = self.seed.or(file.seed);
        if !demo && (demo_cases.is_some() || demo_days.is_some() || seed.is_some()) {
            let which = if demo_cases.is_some() {
                "demo_cases"
            } else if demo_days.is_some() {
                "demo_days"
            } else {
                "seed"
            };
            return Err(CliError::Usage(format!(
                "{which} is set but demo is off: add --demo (or demo = true in the config file)"
            )));
        }
        if let Some(days) = demo_days
            && !(1..=server::demo::MAX_DAYS).contains(&days)
        {
            return Err(CliError::Usage(format!(
                "invalid demo_days {days}: expected a number of days from 1 to {}",
                server::demo::MAX_DAYS
            )));
        }
        let mail = match (&file.mail, file_path) {
            (Some(mail), Some(path)) => {
                let base = path.parent().unwrap_or(Path::new("."));
                Some(
                    MailConfig::from_file(mail, base, read_private)
                        .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?,
                )
            }
            _ => None,
        };
        Ok(ServeSettings {
            listen: self
                .listen
                .or(file.listen)
                .unwrap_or_else(|| DEFAULT_LISTEN.to_string()),
            db: self
                .db
                .or(file.db)
                .unwrap_or_else(|| PathBuf::from(DEFAULT_DB)),
            policies: self.policies.or_file(file.policies),
            calendars: self.calendars.or_file(file.calendar_file),
            demo: demo.then(|| {
                (
                    demo_cases.unwrap_or(DEFAULT_DEMO_CASES),
                    seed.unwrap_or(server::demo::DEFAULT_SEED),
                    demo_days.unwrap_or(server::demo::DEFAULT_DAYS),
                )
            }),
            mail,
            attachments: file
                .attachments
                .as_ref()
                .map(|a| a.config())
                .unwrap_or_default(),
        })
    }
}

/// Reads and parses the server's config file; paths in it are taken from its directory.
fn read_serve_file(path: &Path) -> Result<ServeFile, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        CliError::Usage(format!(
            "cannot read --config '{}': {e}; expected the server's TOML config file",
            path.display()
        ))
    })?;
    let file = ServeFile::parse(&path.display().to_string(), &text)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    Ok(file.relative_to(path.parent().unwrap_or(Path::new("."))))
}

/// The mail password file: private to its owner, like the client's token file.
fn read_password_file(path: &Path) -> Result<String, String> {
    crate::config::read_private_file(path, "password file").map_err(|e| e.to_string())
}

/// `casedesk token` subcommands.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token for a person; prints the token alone (it is shown only once).
    Create {
        /// The server's database.
        #[arg(long)]
        db: PathBuf,
        /// viewer, agent, lead or admin.
        #[arg(long)]
        role: String,
        /// The person: author of their notes and owner of their cases.
        #[arg(long)]
        name: String,
    },
    /// List the tokens (names, roles, dates; never the secrets).
    List {
        /// The server's database.
        #[arg(long)]
        db: PathBuf,
    },
    /// Revoke a person's token.
    Revoke {
        /// The server's database.
        #[arg(long)]
        db: PathBuf,
        /// The person.
        name: String,
    },
}

/// The engine data a server runs with, from the built-ins and the given files.
pub(super) fn load_sla(
    policies: &PolicySource,
    calendars: &CalendarSource,
) -> Result<Sla, CliError> {
    let sla = Sla {
        calendars: calendars.load()?,
        policies: policies.load()?,
    };
    sla.calendars
        .get(&sla.policies.site_calendar)
        .map_err(|e| CliError::Usage(format!("the policies' site_calendar: {e}")))?;
    Ok(sla)
}

fn store_failed(e: store::StoreError) -> CliError {
    match e {
        store::StoreError::Invalid { .. }
        | store::StoreError::Conflict { .. }
        | store::StoreError::NotFound { .. } => CliError::Usage(e.to_string()),
        e => CliError::Failed(e.to_string()),
    }
}

pub(super) fn open_db(path: &Path) -> Result<Db, CliError> {
    Db::open(path).map_err(|e| CliError::Failed(e.to_string()))
}

/// Runs the server until SIGINT or SIGTERM, with the config file `config` (if given) under
/// the flags.
pub fn serve(args: ServeArgs, config: Option<&Path>, out: &mut dyn Write) -> Result<(), CliError> {
    let file = match config {
        Some(path) => read_serve_file(path)?,
        None => ServeFile::default(),
    };
    let settings = args.settings(file, config, &read_password_file)?;
    let listen: SocketAddr = settings.listen.parse().map_err(|_| {
        CliError::Usage(format!(
            "invalid --listen '{}': expected an address and port like 127.0.0.1:8750",
            settings.listen
        ))
    })?;
    let sla = load_sla(&settings.policies, &settings.calendars)?;
    let clock = server_clock()?;
    init_logging();
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| CliError::Failed(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let db = open_db(&settings.db)?;
        if let Some((cases, seed, days)) = settings.demo {
            seed_demo(&db, &sla, clock, (cases, seed, days), out)?;
        }
        let signals = server::shutdown_signal()
            .map_err(|e| CliError::Failed(format!("cannot listen for signals: {e}")))?;
        let mail_line = settings.mail.as_ref().map(MailConfig::summary);
        let running =
            server::start_configured(db, sla, listen, clock, settings.mail, &settings.attachments)
                .await
                .map_err(|e| CliError::Failed(e.to_string()))?;
        write_out(
            out,
            &format!(
                "casedesk serve: listening on http://{} (database {})\n",
                running.addr,
                settings.db.display()
            ),
        )?;
        if let Some(line) = mail_line {
            write_out(out, &format!("casedesk serve: {line}\n"))?;
        }
        signals.await;
        tracing::info!("shutting down");
        running
            .stop()
            .await
            .map_err(|e| CliError::Failed(e.to_string()))
    })
}

/// The clock the server tells the time by: the system's. A debug build (the tests') takes
/// `CASEDESK_TEST_NOW=<RFC 3339 instant>` to start the server's clock at that instant and let
/// it run on, so tests of deadlines and jobs need not wait for real time; a test moves time
/// forward by restarting the server with a later instant. Release builds have no such hook.
fn server_clock() -> Result<Clock, CliError> {
    #[cfg(debug_assertions)]
    if let Some(text) = std::env::var_os("CASEDESK_TEST_NOW") {
        let text = text.to_string_lossy();
        let start = chrono::DateTime::parse_from_rfc3339(&text).map_err(|e| {
            CliError::Usage(format!(
                "invalid CASEDESK_TEST_NOW '{text}': {e}; expected an instant like 2026-03-02T01:00:00Z"
            ))
        })?;
        return Ok(Clock::starting_at(start.with_timezone(&Utc)));
    }
    Ok(Clock::System)
}

/// Fills an empty database with `(cases, seed, days)` of demo and prints a token per role.
pub(super) fn seed_demo(
    db: &Db,
    sla: &Sla,
    clock: Clock,
    (cases, seed, days): (usize, u64, u32),
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let tokens = seed_demo_at(db, sla, clock, cases, seed, days)?;
    if tokens.is_empty() {
        return write_out(
            out,
            "demo: the database already holds cases; nothing added\n",
        );
    }
    let mut text = format!("demo: {cases} cases. Tokens (shown once):\n");
    for (name, role, token) in tokens {
        text.push_str(&format!("  {:<7} {name:<8} {token}\n", role.as_str()));
    }
    write_out(out, &text)
}

/// Fills an empty database with demo cases; the tokens issued, one per role (none when the
/// database already held cases).
pub(super) fn seed_demo_quietly(
    db: &Db,
    sla: &Sla,
    cases: usize,
    seed: u64,
) -> Result<Vec<(&'static str, Role, String)>, CliError> {
    seed_demo_at(
        db,
        sla,
        Clock::System,
        cases,
        seed,
        server::demo::DEFAULT_DAYS,
    )
}

/// [`seed_demo_quietly`] with the history ending at `clock`'s now.
fn seed_demo_at(
    db: &Db,
    sla: &Sla,
    clock: Clock,
    cases: usize,
    seed: u64,
    days: u32,
) -> Result<Vec<(&'static str, Role, String)>, CliError> {
    let options = server::demo::DemoOptions {
        cases,
        seed,
        now: clock.now(),
        days,
    };
    let made = server::demo::seed(db, sla, &options).map_err(store_failed)?;
    // The history ends in the past: bring every clock up to now before serving, so the jobs
    // start from a quiet desk rather than announcing a month of breaches under load.
    loop {
        let report = db
            .write_blocking(|tx| store::run_jobs(tx, sla, clock.now()))
            .map_err(store_failed)?;
        if report.refreshed == 0 {
            break;
        }
    }
    if made == 0 {
        return Ok(Vec::new());
    }
    DEMO_PEOPLE
        .iter()
        .map(|(name, role)| {
            db.write_blocking(|tx| store::reissue_token(tx, name, *role, clock.now()))
                .map(|token| (*name, *role, token))
                .map_err(store_failed)
        })
        .collect()
}

/// The people the demo issues tokens to, one per role (the demo's staff already hold tokens
/// from the seed; these are issued afresh so their secrets can be shown).
pub(super) const DEMO_PEOPLE: [(&str, Role); 4] = [
    ("wallboard", Role::Viewer),
    ("tanaka", Role::Agent),
    ("yamamoto", Role::Lead),
    ("admin", Role::Admin),
];

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colour only on a terminal that has not asked for none.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false)
        .try_init();
}

/// Runs a `token` subcommand.
pub fn token(cmd: TokenCommand, out: &mut dyn Write) -> Result<(), CliError> {
    match cmd {
        TokenCommand::Create { db, role, name } => {
            let role: Role = parse_flag("--role", &role)?;
            let db = open_db(&db)?;
            let token = db
                .write_blocking(|tx| store::create_token(tx, &name, role, Utc::now()))
                .map_err(store_failed)?;
            write_out(out, &format!("{token}\n"))
        }
        TokenCommand::List { db } => {
            let db = open_db(&db)?;
            let tokens = db.read_blocking(store::list_tokens).map_err(store_failed)?;
            let mut t = table::plain(&["name", "role", "created", "revoked"]);
            for info in tokens {
                t.add_row(vec![
                    info.name,
                    info.role.to_string(),
                    info.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                    info.revoked_at
                        .map(|r| r.format("%Y-%m-%d %H:%M UTC").to_string())
                        .unwrap_or_default(),
                ]);
            }
            write_out(out, &table::render(&t))
        }
        TokenCommand::Revoke { db, name } => {
            let db = open_db(&db)?;
            db.write_blocking(|tx| store::revoke_token(tx, &name, Utc::now()))
                .map_err(store_failed)?;
            write_out(out, &format!("revoked the token of {name}\n"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Line {
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn args(flags: &[&str]) -> ServeArgs {
        Line::try_parse_from(std::iter::once("serve").chain(flags.iter().copied()))
            .unwrap()
            .serve
    }

    fn no_password(_: &Path) -> Result<String, String> {
        Err("not asked for".into())
    }

    fn file(text: &str) -> ServeFile {
        ServeFile::parse("serve.toml", text)
            .unwrap()
            .relative_to(Path::new("/srv"))
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_the_defaults() {
        let text = "listen = \"127.0.0.1:9001\"\ndb = \"file.db\"\npolicies = \"p.toml\"\ndemo = true\ndemo_cases = 5\ndemo_days = 90\nseed = 9\n";
        let given = args(&[
            "--listen",
            "127.0.0.1:9002",
            "--db",
            "flag.db",
            "--policies",
            "flag.toml",
            "--seed",
            "3",
        ])
        .settings(file(text), Some(Path::new("/srv/serve.toml")), &no_password)
        .unwrap();
        assert_eq!(given.listen, "127.0.0.1:9002");
        assert_eq!(given.db, PathBuf::from("flag.db"));
        assert_eq!(
            format!("{:?}", given.policies),
            "PolicySource { policies: Some(\"flag.toml\") }"
        );
        assert_eq!(given.demo, Some((5, 3, 90)));

        let from_file = args(&[])
            .settings(file(text), Some(Path::new("/srv/serve.toml")), &no_password)
            .unwrap();
        assert_eq!(from_file.listen, "127.0.0.1:9001");
        assert_eq!(from_file.db, PathBuf::from("/srv/file.db"));
        assert_eq!(
            format!("{:?}", from_file.policies),
            "PolicySource { policies: Some(\"/srv/p.toml\") }"
        );
        assert_eq!(from_file.demo, Some((5, 9, 90)));
        assert!(from_file.mail.is_none());

        let defaults = args(&[])
            .settings(ServeFile::default(), None, &no_password)
            .unwrap();
        assert_eq!(defaults.listen, DEFAULT_LISTEN);
        assert_eq!(defaults.db, PathBuf::from(DEFAULT_DB));
        assert_eq!(defaults.demo, None);
    }

    #[test]
    fn demo_settings_need_demo() {
        let e = args(&["--seed", "3"])
            .settings(ServeFile::default(), None, &no_password)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "seed is set but demo is off: add --demo (or demo = true in the config file)"
        );
        let on = args(&["--demo", "--demo-cases", "7"])
            .settings(ServeFile::default(), None, &no_password)
            .unwrap();
        assert_eq!(
            on.demo,
            Some((7, server::demo::DEFAULT_SEED, server::demo::DEFAULT_DAYS))
        );
        let e = args(&["--demo-days", "365"])
            .settings(ServeFile::default(), None, &no_password)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "demo_days is set but demo is off: add --demo (or demo = true in the config file)"
        );
    }

    #[test]
    fn demo_days_run_from_one_to_two_years() {
        let days = |flags: &[&str]| {
            args(flags)
                .settings(ServeFile::default(), None, &no_password)
                .map(|s| s.demo.map(|(_, _, days)| days))
                .map_err(|e| e.to_string())
        };
        assert_eq!(days(&["--demo", "--demo-days", "1"]), Ok(Some(1)));
        assert_eq!(days(&["--demo", "--demo-days", "730"]), Ok(Some(730)));
        for bad in ["0", "731"] {
            assert_eq!(
                days(&["--demo", "--demo-days", bad]),
                Err(format!(
                    "invalid demo_days {bad}: expected a number of days from 1 to 730"
                ))
            );
        }
        let from_file = args(&[])
            .settings(file("demo = true\ndemo_days = 365\n"), None, &no_password)
            .unwrap();
        assert_eq!(from_file.demo.map(|(_, _, days)| days), Some(365));
    }

    #[cfg(unix)]
    #[test]
    fn a_password_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("casedesk-serve-pw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let password = dir.join("password");
        std::fs::write(&password, "s3cret\n").unwrap();
        std::fs::set_permissions(&password, std::fs::Permissions::from_mode(0o644)).unwrap();
        let config = dir.join("serve.toml");
        let text = "[mail]\nfrom = \"Support <support@example.test>\"\nsmtp = \"smtp+plain://127.0.0.1:2525\"\nimap = \"imap+plain://127.0.0.1:1143\"\nuser = \"support@example.test\"\npassword_file = \"password\"\n";
        let settings = |path: &Path| {
            args(&[]).settings(
                ServeFile::parse("serve.toml", text).unwrap(),
                Some(path),
                &read_password_file,
            )
        };
        let e = settings(&config).unwrap_err().to_string();
        let shown = password.display();
        assert_eq!(
            e,
            format!(
                "{}: [mail] password_file = \"{shown}\": password file {shown} can be read by others (mode 0644): run `chmod 600 {shown}` and try again",
                config.display()
            )
        );
        std::fs::set_permissions(&password, std::fs::Permissions::from_mode(0o600)).unwrap();
        let mail = settings(&config).unwrap().mail.unwrap();
        assert_eq!(mail.password, "s3cret");
        std::fs::remove_dir_all(&dir).ok();
    }
}
