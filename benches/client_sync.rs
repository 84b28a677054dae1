//! The client's sync against a real server (issue 4; see docs/PERFORMANCE.md). A one-shot
//! measurement program, not criterion: each phase runs once (the load, seven times) because
//! the first sync and the idle minute are what they are, not samples of a hot loop.
//!
//! 1. **First sync**: a fresh cache, `Desk::sync()` against an in-process server holding
//!    `CASES` demo cases (summaries of the open and recently closed cases, the policies and
//!    calendars, the details of the open cases). Wall time, requests, response bytes.
//! 2. **Idle minute**: the background sync (`follow::spawn`) on a copy of the synced cache for
//!    `IDLE_SECS` with no client writing: (a) with the event stream, (b) with the stream off
//!    and the change feed polled every 5 s. Requests and bytes inside the window, after 3 s to
//!    settle. The server's own jobs keep running; the report lists any change they make in the
//!    window (none with `QUIET=1`) and checks afterwards that the cache holds the server's
//!    summary of every case that changed.
//! 3. **Load**: `Cache::summaries()` on the synced cache, in `LOAD_PROCS` fresh child
//!    processes one after another. The target is judged on each process's *first* load, the
//!    one the TUI pays at start-up (fresh heap, nothing warm in the process): their median and
//!    worst (wall time, and the time on a CPU, which other processes on a shared machine do not
//!    inflate). Each child also loads 6 more times, for the warm steady state, and reports the
//!    growth of the resident set (`VmRSS`) while its first loaded `Vec` is alive. The file is
//!    in the OS page cache after the first sync, as it is for a desk that ran before.
//!
//! Environment: `CASES` (default 50000), `IDLE_SECS` (default 60), `QUIET` (default 1: before
//! starting, the server's jobs are run as of 2 × `IDLE_SECS` + 10 minutes ahead, so no clock
//! comes due while measuring and the idle minute is idle; `QUIET=0` leaves the clocks to come
//! due at the real time, one to five breaches a minute on 50k demo cases), `KEEP_WORK=1` (keep the
//! caches in the temporary directory and print where). Seeding 50k demo cases takes
//! 10+ minutes, so the seeded server database is kept in `target/bench-data/demo-<CASES>.db`
//! and reused; delete it to seed afresh. `LOAD_PROCS` (default 15): fresh processes for the
//! load. `LOAD_CACHE=<cache file>`: only the load phase, on that cache (one kept by
//! `KEEP_WORK=1`), without a server.
//!
//! `cargo bench --bench client_sync` (or `CASES=2000 IDLE_SECS=10 cargo bench --bench
//! client_sync` for a quick try).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use casedesk::api::{Client, ClientOptions, Role};
use casedesk::cache::Cache;
use casedesk::server::db::Db;
use casedesk::server::demo::{self, DemoOptions};
use casedesk::server::store::{self, Sla, StoreError};
use casedesk::server::{self, Running};
use casedesk::sla::{Calendars, Policies};
use casedesk::sync::{Desk, FollowOptions, SyncHandle, follow};
use chrono::Utc;
use tracing::field::{Field, Visit};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{Layer, Registry};

/// Set in the child process that measures the load: the cache file to load.
const LOAD_CHILD: &str = "CLIENT_SYNC_LOAD_CACHE";
/// Timed runs of `Cache::summaries()` in each child: the first (the start-up's) and warm ones.
const LOAD_RUNS: usize = 7;
/// The start-up load target, judged on first loads in fresh processes.
const LOAD_TARGET_MS: f64 = 150.0;
/// Time given to the background sync to make its first round (and open the stream).
const SETTLE: Duration = Duration::from_secs(3);
/// One SSE heartbeat as the server sends it every 15 s: `: heartbeat\n\n`.
const HEARTBEAT_BYTES: u64 = 13;
/// The person the benchmark's agent token belongs to (one of the demo's agents).
const AGENT: &str = "tanaka";

type Fallible<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn main() -> Fallible<()> {
    if let Some(path) = std::env::var_os(LOAD_CHILD) {
        return load_child(Path::new(&path));
    }
    let cases = env_number("CASES", 50_000)?;
    let idle_secs = env_number("IDLE_SECS", 60)?;
    let quiet = env_number("QUIET", 1)? != 0;
    let keep_work = env_number("KEEP_WORK", 0)? != 0;
    let load_procs = env_number("LOAD_PROCS", 15)?.max(1) as usize;
    if let Some(cache) = std::env::var_os("LOAD_CACHE") {
        let loads = load_in_children(Path::new(&cache), load_procs)?;
        println!("Machine: {}\n", machine());
        print_load(&loads);
        return Ok(());
    }
    init_tracing();

    let (db_path, seeding) = seeded_db(cases, &sla())?;
    let work = std::env::temp_dir().join(format!("casedesk-client-sync-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let runtime = tokio::runtime::Runtime::new()?;
    // Long enough for the first sync and both idle phases, with room for a slow machine.
    let quiet_for = quiet.then(|| Duration::from_secs(2 * idle_secs + 600));
    let result = runtime.block_on(run(&db_path, &work, idle_secs, quiet_for, load_procs));
    if keep_work {
        eprintln!("kept the caches in {}", work.display());
    } else {
        let _ = std::fs::remove_dir_all(&work);
    }
    let report = result?;
    print_report(cases, idle_secs, quiet_for, &db_path, &seeding, &report);
    Ok(())
}

/// The built-in calendars and policies, as `casedesk serve` starts with by default.
fn sla() -> Sla {
    Sla {
        calendars: Calendars::builtin(),
        policies: Policies::builtin(),
    }
}

fn env_number(name: &str, default: u64) -> Fallible<u64> {
    match std::env::var(name) {
        Ok(v) => Ok(v
            .trim()
            .parse()
            .map_err(|_| format!("{name}={v}: expected a whole number"))?),
        Err(_) => Ok(default),
    }
}

// ---------------------------------------------------------------------------------------------
// The server's database

/// How the seeded database came to be.
struct Seeding {
    /// Reused from an earlier run.
    reused: bool,
    /// What the seed recorded: when and how long it took.
    note: String,
}

/// The seeded server database for `cases`, seeded now if it does not exist yet.
fn seeded_db(cases: u64, sla: &Sla) -> Fallible<(PathBuf, Seeding)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("demo-{cases}.db"));
    let note_path = dir.join(format!("demo-{cases}.seeded"));
    if path.exists() {
        let note = std::fs::read_to_string(&note_path).unwrap_or_else(|_| "(no record)".into());
        eprintln!("reusing {} (seeded {})", path.display(), note.trim());
        return Ok((
            path,
            Seeding {
                reused: true,
                note: note.trim().to_string(),
            },
        ));
    }
    // Seeded under a temporary name and renamed when complete, so an interrupted seed is
    // never taken for a finished one.
    let partial = dir.join(format!("demo-{cases}.db.partial"));
    remove_db_files(&partial);
    eprintln!("seeding {cases} demo cases into {} ...", path.display());
    let started = Instant::now();
    let seeded_at = Utc::now();
    {
        let db = Db::open(&partial)?;
        let options = DemoOptions {
            cases: cases as usize,
            seed: demo::DEFAULT_SEED,
            now: seeded_at,
            days: demo::DEFAULT_DAYS,
        };
        let made = demo::seed(&db, sla, &options)?;
        if made as u64 != cases {
            return Err(format!("seeded {made} cases, expected {cases}").into());
        }
        catch_up_jobs(&db, sla, None)?;
    } // Closing the last connection checkpoints the WAL into the file.
    let took = started.elapsed();
    let note = format!(
        "{} with seed {} in {:.0} s",
        seeded_at.format("%Y-%m-%d %H:%M UTC"),
        demo::DEFAULT_SEED,
        took.as_secs_f64()
    );
    eprintln!("seeded: {note}");
    std::fs::rename(&partial, &path)?;
    remove_db_files(&partial);
    std::fs::write(&note_path, format!("{note}\n"))?;
    Ok((
        path,
        Seeding {
            reused: false,
            note,
        },
    ))
}

fn remove_db_files(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

/// Brings every clock up to now, as `casedesk serve --demo` does before serving, so the server's
/// jobs start from a quiet desk instead of announcing everything that came due since the seed.
///
/// With `ahead`, the jobs run as of that much later: every clock due before then is recorded
/// as breached already (and every auto-close and overdue RMA done), so the server's own jobs
/// find nothing to do until then and an idle phase is really idle.
fn catch_up_jobs(db: &Db, sla: &Sla, ahead: Option<Duration>) -> Fallible<()> {
    let at = Utc::now() + chrono::Duration::from_std(ahead.unwrap_or_default())?;
    loop {
        let report = db.write_blocking(|tx| store::run_jobs(tx, sla, at))?;
        if report.refreshed == 0 {
            return Ok(());
        }
    }
}

/// A fresh agent token (the previous run's is revoked first: one active token per person).
fn agent_token(db: &Db) -> Result<String, StoreError> {
    db.write_blocking(|tx| {
        match store::revoke_token(tx, AGENT, Utc::now()) {
            Ok(()) | Err(StoreError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        store::create_token(tx, AGENT, Role::Agent, Utc::now())
    })
}

// ---------------------------------------------------------------------------------------------
// Server-side response statuses (from tower-http's trace events), to see the 304s

static STATUSES: Mutex<BTreeMap<i64, u64>> = Mutex::new(BTreeMap::new());

/// Counts the `status` of every "finished processing request" event.
struct StatusCounter;

impl<S: tracing::Subscriber> Layer<S> for StatusCounter {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        struct Status(Option<i64>);
        impl Visit for Status {
            fn record_i64(&mut self, field: &Field, value: i64) {
                if field.name() == "status" {
                    self.0 = Some(value);
                }
            }
            fn record_debug(&mut self, _field: &Field, _value: &dyn std::fmt::Debug) {}
        }
        let mut status = Status(None);
        event.record(&mut status);
        if let Some(code) = status.0 {
            *STATUSES
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .entry(code)
                .or_default() += 1;
        }
    }
}

fn statuses() -> BTreeMap<i64, u64> {
    STATUSES.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// `after - before`, without the zeros: `200×3, 304×12`.
fn status_delta(before: &BTreeMap<i64, u64>, after: &BTreeMap<i64, u64>) -> String {
    let parts: Vec<String> = after
        .iter()
        .filter_map(|(code, n)| {
            let d = n - before.get(code).copied().unwrap_or(0);
            (d > 0).then(|| format!("{code}×{d}"))
        })
        .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

fn init_tracing() {
    let responses = Targets::new().with_target("tower_http::trace::on_response", LevelFilter::INFO);
    let _ = Registry::default()
        .with(StatusCounter.with_filter(responses))
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_target(false)
                .with_filter(LevelFilter::WARN),
        )
        .try_init();
}

// ---------------------------------------------------------------------------------------------
// The phases

/// Requests, bytes and server statuses over a stretch of time.
#[derive(Debug, Clone, Default)]
struct Traffic {
    requests: u64,
    bytes: u64,
    statuses: String,
}

struct FirstSync {
    took: Duration,
    traffic: Traffic,
    summaries: usize,
    details: usize,
    cached: u64,
    cache_bytes: u64,
}

struct Idle {
    /// From the start of the background sync to the start of the window (first round, stream).
    setup: Traffic,
    /// The window itself.
    window: Traffic,
    /// How long the window really was.
    secs: f64,
    /// Changes the server made on its own during the window (`kind×n`).
    server_changes: String,
    /// What those changes weigh as server-sent events (`id:`, `event:`, `data:` lines).
    event_bytes: u64,
    /// Whether the stream was up at the end of the window.
    live: bool,
    /// Cached summaries that differ from the server's after the phase (`number (what)`).
    behind: Vec<String>,
    /// Cases the server changed during the phase (setup and window).
    changed: usize,
}

struct Load {
    cases: usize,
    open_ms: f64,
    runs_ms: Vec<f64>,
    /// On-CPU time of each run (empty where the kernel does not tell).
    cpu_ms: Vec<f64>,
    rss_before_kib: u64,
    rss_after_kib: u64,
}

struct Report {
    first: FirstSync,
    streaming: Idle,
    polling: Idle,
    /// One per fresh process.
    loads: Vec<Load>,
    server_seq: i64,
}

async fn run(
    db_path: &Path,
    work: &Path,
    idle_secs: u64,
    quiet_for: Option<Duration>,
    load_procs: usize,
) -> Fallible<Report> {
    let db_path = db_path.to_path_buf();
    let (db, sla, token) = tokio::task::spawn_blocking(move || -> Fallible<(Db, Sla, String)> {
        let db = Db::open(&db_path)?;
        let sla = sla();
        catch_up_jobs(&db, &sla, quiet_for)?;
        let token = agent_token(&db)?;
        Ok((db, sla, token))
    })
    .await??;
    let running = server::start_on(db, sla, "127.0.0.1:0".parse()?).await?;
    let url = format!("http://{}", running.addr);
    eprintln!("server on {url}, change sequence {}", running.state.seq());

    let result = phases(&running, &url, &token, work, idle_secs, load_procs).await;
    running.stop().await?;
    result
}

async fn phases(
    running: &Running,
    url: &str,
    token: &str,
    work: &Path,
    idle_secs: u64,
    load_procs: usize,
) -> Fallible<Report> {
    let synced = work.join("synced.db");
    eprintln!("first sync ...");
    let first = first_sync(url, token, &synced).await?;
    eprintln!(
        "first sync: {:.1} s, {} requests",
        first.took.as_secs_f64(),
        first.traffic.requests
    );

    let idle = Duration::from_secs(idle_secs);
    eprintln!("idle {idle_secs} s with the event stream ...");
    let streaming = idle_phase(
        running,
        url,
        token,
        &synced,
        &work.join("idle-stream.db"),
        FollowOptions::default(),
        idle,
    )
    .await?;
    eprintln!("idle {idle_secs} s polling every 5 s ...");
    let polling = idle_phase(
        running,
        url,
        token,
        &synced,
        &work.join("idle-poll.db"),
        FollowOptions {
            events: false,
            poll: Duration::from_secs(5),
            ..FollowOptions::default()
        },
        idle,
    )
    .await?;

    eprintln!("load ...");
    let child = synced.clone();
    let loads = tokio::task::spawn_blocking(move || load_in_children(&child, load_procs)).await??;
    Ok(Report {
        first,
        streaming,
        polling,
        loads,
        server_seq: running.state.seq(),
    })
}

fn client(url: &str, token: &str) -> Fallible<Client> {
    Ok(Client::new(&ClientOptions::new(url, token))?)
}

async fn first_sync(url: &str, token: &str, cache_path: &Path) -> Fallible<FirstSync> {
    let (cache, _) = Cache::open(cache_path)?;
    let client = client(url, token)?;
    let desk = Desk::new(Some(client.clone()), cache);
    let before = statuses();
    let started = Instant::now();
    let report = desk.sync().await?;
    let took = started.elapsed();
    let traffic = Traffic {
        requests: client.traffic().requests(),
        bytes: client.traffic().bytes(),
        statuses: status_delta(&before, &statuses()),
    };
    let cached = desk.cache().case_count()?;
    drop(desk); // Closes the cache, so its file is complete for the copies.
    Ok(FirstSync {
        took,
        traffic,
        summaries: report.cases,
        details: report.details,
        cached,
        cache_bytes: std::fs::metadata(cache_path)?.len(),
    })
}

/// Copies a closed SQLite file (and its WAL, should one be left).
fn copy_db(from: &Path, to: &Path) -> Fallible<()> {
    remove_db_files(to);
    std::fs::copy(from, to)?;
    let mut wal = from.as_os_str().to_owned();
    wal.push("-wal");
    if Path::new(&wal).exists() {
        let mut to_wal = to.as_os_str().to_owned();
        to_wal.push("-wal");
        std::fs::copy(&wal, &to_wal)?;
    }
    Ok(())
}

fn snapshot(client: &Client) -> (u64, u64, BTreeMap<i64, u64>) {
    (
        client.traffic().requests(),
        client.traffic().bytes(),
        statuses(),
    )
}

fn delta(a: &(u64, u64, BTreeMap<i64, u64>), b: &(u64, u64, BTreeMap<i64, u64>)) -> Traffic {
    Traffic {
        requests: b.0 - a.0,
        bytes: b.1 - a.1,
        statuses: status_delta(&a.2, &b.2),
    }
}

async fn idle_phase(
    running: &Running,
    url: &str,
    token: &str,
    synced: &Path,
    cache_path: &Path,
    options: FollowOptions,
    idle: Duration,
) -> Fallible<Idle> {
    copy_db(synced, cache_path)?;
    let (cache, _) = Cache::open(cache_path)?;
    let client = client(url, token)?;
    let desk = Desk::new(Some(client.clone()), cache);
    let cache_seq = desk.cache().seq()?.unwrap_or(0);
    let start = snapshot(&client);
    let handle = follow::spawn(desk.clone(), options);
    settle(&handle, options.events).await;
    let seq_before = running.state.seq();
    let window_start = snapshot(&client);
    let opened = Instant::now();
    tokio::time::sleep(idle).await;
    let window_end = snapshot(&client);
    let secs = opened.elapsed().as_secs_f64();
    let seq_after = running.state.seq();
    let live = handle.subscribe().borrow().live;
    handle.stop().await;
    let (behind, changed) = cached_behind(running, &desk, cache_seq).await?;
    let (server_changes, event_bytes) = server_changes(running, seq_before, seq_after).await?;
    Ok(Idle {
        setup: delta(&start, &window_start),
        window: delta(&window_start, &window_end),
        secs,
        server_changes,
        event_bytes,
        live,
        behind,
        changed,
    })
}

/// Of the cases the server changed since the cache's sequence at the start, how many cached
/// summaries differ from the server's (after the background sync stopped); and how many
/// cases changed.
async fn cached_behind(
    running: &Running,
    desk: &Desk,
    since: i64,
) -> Fallible<(Vec<String>, usize)> {
    let state = running.state.clone();
    let server = tokio::task::spawn_blocking(move || {
        state.db().read_blocking(|c| {
            let mut numbers = std::collections::BTreeSet::new();
            for e in store::events_after(c, since, 100_000)? {
                let data: serde_json::Value = serde_json::from_str(&e.data).unwrap_or_default();
                let number = data
                    .get("case_number")
                    .or_else(|| data.get("number"))
                    .and_then(|n| n.as_str());
                if let Some(n) = number {
                    numbers.insert(n.to_string());
                }
            }
            numbers
                .into_iter()
                .map(|n| Ok(store::get_case(c, state.sla(), &n, Utc::now())?.summary))
                .collect::<Result<Vec<_>, StoreError>>()
        })
    })
    .await??;
    let mut behind = Vec::new();
    for summary in &server {
        let cached = desk.cache().summary(&summary.number)?;
        if cached.as_ref() != Some(summary) {
            let what = match cached {
                None => "missing".to_string(),
                Some(c) => format!(
                    "breached {}→{}, version {}→{}",
                    c.breached, summary.breached, c.version, summary.version
                ),
            };
            behind.push(format!("{} ({what})", summary.number));
        }
    }
    Ok((behind, server.len()))
}

/// Waits for the first round to finish (and the stream to open, when used), at least
/// [`SETTLE`] after the start.
async fn settle(handle: &SyncHandle, events: bool) {
    let started = tokio::time::Instant::now();
    let mut status = handle.subscribe();
    let ready = status.wait_for(|s| s.as_of.is_some() && !s.busy && (!events || s.live));
    if tokio::time::timeout(Duration::from_secs(30), ready)
        .await
        .is_err()
    {
        eprintln!("warning: the background sync did not settle within 30 s");
    }
    tokio::time::sleep_until(started + SETTLE).await;
}

/// The kinds of the changes the server logged after `before` up to `after` (`sla.breached×2`),
/// and their size as server-sent events.
async fn server_changes(running: &Running, before: i64, after: i64) -> Fallible<(String, u64)> {
    if after <= before {
        return Ok(("none".into(), 0));
    }
    let state = running.state.clone();
    let events = tokio::task::spawn_blocking(move || {
        state
            .db()
            .read_blocking(|c| store::events_after(c, before, 10_000))
    })
    .await??;
    let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
    let mut bytes = 0;
    for e in events.iter().filter(|e| e.seq <= after) {
        *kinds.entry(e.kind.clone()).or_default() += 1;
        // As axum writes it: `id: 7\nevent: case.updated\ndata: {...}\n\n`.
        bytes += format!("id: {}\nevent: {}\ndata: {}\n\n", e.seq, e.kind, e.data).len() as u64;
    }
    let kinds = kinds
        .iter()
        .map(|(k, n)| format!("{k}×{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    Ok((kinds, bytes))
}

// ---------------------------------------------------------------------------------------------
// The load, in a child process

/// Resident set size of this process, in KiB.
fn rss_kib() -> Fallible<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .ok_or("no VmRSS in /proc/self/status")?;
    Ok(line
        .split_whitespace()
        .nth(1)
        .ok_or("VmRSS without a value")?
        .parse()?)
}

/// The load in `procs` fresh processes, one after another (not at once: each would take the
/// other's core).
fn load_in_children(cache: &Path, procs: usize) -> Fallible<Vec<Load>> {
    (0..procs).map(|_| load_in_child(cache)).collect()
}

fn load_in_child(cache: &Path) -> Fallible<Load> {
    let output = std::process::Command::new(std::env::current_exe()?)
        .env(LOAD_CHILD, cache)
        .stderr(std::process::Stdio::inherit())
        .output()?;
    if !output.status.success() {
        return Err(format!("the load process failed: {}", output.status).into());
    }
    let text = String::from_utf8(output.stdout)?;
    let field = |name: &str| -> Fallible<&str> {
        text.split_whitespace()
            .find_map(|w| w.strip_prefix(name).and_then(|w| w.strip_prefix('=')))
            .ok_or_else(|| format!("the load process did not report {name}: {text}").into())
    };
    Ok(Load {
        cases: field("cases")?.parse()?,
        open_ms: field("open_ms")?.parse()?,
        runs_ms: field("runs_ms")?
            .split(',')
            .map(str::parse)
            .collect::<Result<_, _>>()?,
        cpu_ms: match field("cpu_ms")? {
            "" => Vec::new(),
            list => list.split(',').map(str::parse).collect::<Result<_, _>>()?,
        },
        rss_before_kib: field("rss_before_kib")?.parse()?,
        rss_after_kib: field("rss_after_kib")?.parse()?,
    })
}

/// The child: opens the cache, loads every summary [`LOAD_RUNS`] times; the first loaded
/// `Vec` is kept while the resident set is read. Prints one line of `name=value`.
fn load_child(path: &Path) -> Fallible<()> {
    let started = Instant::now();
    let (cache, _) = Cache::open(path)?;
    let open_ms = started.elapsed().as_secs_f64() * 1e3;
    let rss_before_kib = rss_kib()?;
    let mut runs_ms = Vec::with_capacity(LOAD_RUNS);
    let mut cpu_ms = Vec::with_capacity(LOAD_RUNS);
    let mut cases = 0;
    let mut rss_after_kib = 0;
    for run in 0..LOAD_RUNS {
        let (cpu, started) = (thread_cpu_ns(), Instant::now());
        let loaded = cache.summaries()?;
        runs_ms.push(started.elapsed().as_secs_f64() * 1e3);
        if let (Some(after), Some(before)) = (thread_cpu_ns(), cpu) {
            cpu_ms.push((after - before) as f64 / 1e6);
        }
        if run == 0 {
            rss_after_kib = rss_kib()?;
            cases = loaded.len();
        }
        drop(std::hint::black_box(loaded));
    }
    let list = |v: &[f64]| {
        v.iter()
            .map(|ms| format!("{ms:.2}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    println!(
        "cases={cases} open_ms={open_ms:.2} runs_ms={} cpu_ms={} rss_before_kib={rss_before_kib} rss_after_kib={rss_after_kib}",
        list(&runs_ms),
        list(&cpu_ms),
    );
    Ok(())
}

/// Time this thread has spent on a CPU (`/proc/thread-self/schedstat`), in nanoseconds: the
/// load without the time other processes of a shared machine took from it. `summaries()` runs
/// on the calling thread.
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

// ---------------------------------------------------------------------------------------------
// The report

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let rustc = std::process::Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    format!(
        "{cores} cores ({}), {cpu}; load average {load}; {rustc}",
        std::env::consts::ARCH
    )
}

fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT met" }
}

fn print_report(
    cases: u64,
    idle_secs: u64,
    quiet_for: Option<Duration>,
    db: &Path,
    seeding: &Seeding,
    r: &Report,
) {
    let f = &r.first;
    println!("## Client sync (issue 4): {cases} demo cases, idle {idle_secs} s\n");
    println!("Machine: {}", machine());
    println!(
        "Server database: {} ({}; seeded {}), change sequence {} at the end\n",
        db.display(),
        if seeding.reused { "reused" } else { "new" },
        seeding.note,
        r.server_seq
    );
    match quiet_for {
        Some(d) => println!(
            "Server jobs run {} s ahead before starting (QUIET=1): no clock comes due during the run\n",
            d.as_secs()
        ),
        None => println!(
            "Server jobs at the real time (QUIET=0): clocks come due during the run as they would\n"
        ),
    }

    println!("### First sync\n");
    println!(
        "| wall time | requests | response bytes | summaries | details | cases cached | cache file |"
    );
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| {:.2} s | {} | {} ({}) | {} | {} | {} | {} |",
        f.took.as_secs_f64(),
        f.traffic.requests,
        f.traffic.bytes,
        mib(f.traffic.bytes),
        f.summaries,
        f.details,
        f.cached,
        mib(f.cache_bytes)
    );
    println!("\nServer statuses: {}\n", f.traffic.statuses);

    println!("### Idle\n");
    println!(
        "| mode | window | requests | bytes | server statuses | server changes in the window |"
    );
    println!("|---|---|---|---|---|---|");
    for (name, idle) in [
        ("event stream", &r.streaming),
        ("polling every 5 s", &r.polling),
    ] {
        println!(
            "| {name} | {:.1} s | {} | {} | {} | {} |",
            idle.secs,
            idle.window.requests,
            idle.window.bytes,
            idle.window.statuses,
            idle.server_changes
        );
    }
    for (name, idle) in [("event stream", &r.streaming), ("polling", &r.polling)] {
        println!(
            "\nSetup before the window ({name}): {} requests, {} bytes, statuses {}{}",
            idle.setup.requests,
            idle.setup.bytes,
            idle.setup.statuses,
            if name == "event stream" {
                format!("; stream live at the end: {}", idle.live)
            } else {
                String::new()
            }
        );
    }
    for (name, idle) in [("event stream", &r.streaming), ("polling", &r.polling)] {
        println!(
            "\nCache against the server after the phase ({name}): {} of the {} changed cases differ{}",
            idle.behind.len(),
            idle.changed,
            if idle.behind.is_empty() {
                String::new()
            } else {
                format!(": {}", idle.behind.join("; "))
            }
        );
    }
    let heartbeats = idle_secs / 15;
    let (stream, poll) = (&r.streaming, &r.polling);
    let rest = stream.window.bytes.saturating_sub(stream.event_bytes);
    if stream.event_bytes > 0 {
        println!(
            "\nEvent stream window: {} bytes = {} bytes of server events ({}) + {rest} bytes of heartbeats and of feed reads after those events",
            stream.window.bytes, stream.event_bytes, stream.server_changes,
        );
    }
    println!(
        "\nTarget (stream): no request in the window, only heartbeats (~{heartbeats} × {HEARTBEAT_BYTES} = {} bytes): {}",
        heartbeats * HEARTBEAT_BYTES,
        met(stream.window.requests == 0
            && stream.live
            && stream.window.bytes <= (heartbeats + 1) * HEARTBEAT_BYTES)
    );
    let polls_ok = poll.window.requests <= idle_secs / 5;
    println!(
        "Target (polling): at most {} polls ({}: {}), each a bodiless 304 ({}): {}\n",
        idle_secs / 5,
        poll.window.requests,
        met(polls_ok),
        poll.window.statuses,
        met(polls_ok && poll.window.bytes == 0)
    );

    print_load(&r.loads);
}

/// The load phase's table and verdict: the target judged on the first load of each fresh
/// process, the warm loads shown beside it.
fn print_load(loads: &[Load]) {
    let Some(l) = loads.first() else { return };
    let procs = loads.len();
    let firsts: Vec<f64> = loads.iter().map(|l| l.runs_ms[0]).collect();
    let first_cpu: Vec<f64> = loads
        .iter()
        .filter_map(|l| l.cpu_ms.first().copied())
        .collect();
    let startup: Vec<f64> = loads.iter().map(|l| l.open_ms + l.runs_ms[0]).collect();
    let warm: Vec<f64> = loads.iter().flat_map(|l| l.runs_ms[1..].to_vec()).collect();
    let warm_cpu: Vec<f64> = loads
        .iter()
        .flat_map(|l| l.cpu_ms.get(1..).unwrap_or_default().to_vec())
        .collect();
    let max = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let cpu = |v: &[f64]| {
        if v.is_empty() {
            "n/a".to_string()
        } else {
            format!("{:.1} ms", median(v))
        }
    };
    let growth: Vec<f64> = loads
        .iter()
        .map(|l| l.rss_after_kib.saturating_sub(l.rss_before_kib) as f64 / 1024.0)
        .collect();
    println!(
        "### Load from the cache: {} summaries, {procs} fresh processes\n",
        l.cases
    );
    println!("| | median | min | max | on-CPU median |");
    println!("|---|---|---|---|---|");
    println!(
        "| first load in a fresh process ({procs}) | {:.1} ms | {:.1} ms | {:.1} ms | {} |",
        median(&firsts),
        min(&firsts),
        max(&firsts),
        cpu(&first_cpu)
    );
    println!(
        "| open + first load ({procs}) | {:.1} ms | {:.1} ms | {:.1} ms | |",
        median(&startup),
        min(&startup),
        max(&startup)
    );
    println!(
        "| warm loads, runs 2–{LOAD_RUNS} ({}) | {:.1} ms | {:.1} ms | {:.1} ms | {} |",
        warm.len(),
        median(&warm),
        min(&warm),
        max(&warm),
        cpu(&warm_cpu)
    );
    println!(
        "\nRSS growth with the first `Vec` alive: median {:.1} MiB (from {:.1} MiB)",
        median(&growth),
        l.rss_before_kib as f64 / 1024.0
    );
    println!("First loads (wall, ms): {firsts:.1?}\nOn-CPU: {first_cpu:.1?}");
    let over = firsts.iter().filter(|&&ms| ms >= LOAD_TARGET_MS).count();
    println!(
        "Target: first load in a fresh process under {LOAD_TARGET_MS} ms: {} for the median ({:.1} ms); {over} of {procs} first loads at or over it (worst {:.1} ms)",
        met(median(&firsts) < LOAD_TARGET_MS),
        median(&firsts),
        max(&firsts)
    );
}
