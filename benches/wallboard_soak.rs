//! The wallboard over a simulated day or week (issues 6 and 14; see docs/PERFORMANCE.md). A
//! one-shot program.
//!
//! `casedesk serve --demo` (400 cases, the real clock) in a child process. In the measured
//! process: a desk (client + cache) with a viewer token, kept current by the real background
//! sync (`sync::follow::spawn`: first sync, then the event stream), and the wallboard's board
//! and frame writer (`term::screen::Screen`, into a byte sink) at 160×48.
//!
//! Each simulated second the board ticks and a frame is drawn and diffed, as the real loop
//! does. Each simulated minute one change is made for real on the server with an agent token:
//! an internal note on an open case, or — every tenth minute — a new P1 case, which is resolved
//! five minutes later (opened, then resolved: so the open desk keeps its size over a week). The change counts
//! only when the server took it *and* the follow loop brought it into the cache (the case's
//! version moved on, or the new case is there) *and* the follow loop then published a new
//! revision; the board then refreshes as the wallboard's runtime does on a new revision (the
//! cached cases, `/v1/stats`, the open escalations, the overdue RMAs), and a new P1 must be on
//! the board (a resolved one off it). Any error, or a change not delivered within `DELIVERY_LIMIT`, aborts the run.
//!
//! Measured: the resident set (`VmRSS`) after a warm-up hour and every 4 simulated hours;
//! from each write's answer to the case in the cache (event delivery through the follow loop);
//! from each new P1's answer to the case on the board (what a wallboard viewer waits for,
//! without the terminal write).
//!
//! The follow loop runs in real time: it publishes a revision 250 ms after the last event of a
//! burst, so each simulated minute costs at least that — about 7 to 8 minutes of real time per
//! simulated day. `cargo bench --bench wallboard_soak` (`SIM_DAYS`, default 1; 7 for a week;
//! or `SIM_HOURS=2` for a quick try).

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use tokio::sync::{Notify, watch};

#[path = "support/demo_server.rs"]
mod demo_server;

use casedesk::api::{CasePatch, Client, ClientOptions, Fetched, NewCase, NewNote};
use casedesk::cache::Cache;
use casedesk::config::DisplayZone;
use casedesk::domain::{CaseNumber, Status, Visibility};
use casedesk::sync::{Desk, FollowOptions, SyncStatus, follow};
use casedesk::term::screen::Screen;
use casedesk::term::text::Lang;
use casedesk::term::theme::{ColorDepth, Theme};
use casedesk::wallboard::board::{Board, Thresholds};
use casedesk::wallboard::{runtime, ui};
use demo_server::DemoServer;

type Fallible<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The longest a change may take from the server's answer to the board before the run is
/// refused (generous: the machine is shared).
const DELIVERY_LIMIT: Duration = Duration::from_secs(30);
/// A resident-set sample every this many simulated seconds (4 hours).
const SAMPLE_EVERY: i64 = 4 * 3600;

fn rss_kib() -> Fallible<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    Ok(status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .ok_or("no VmRSS in /proc/self/status")?)
}

/// Waits until `ready` holds for the sync's status, or fails after `limit`.
async fn status_until(
    status: &mut watch::Receiver<SyncStatus>,
    limit: Duration,
    what: &str,
    ready: impl Fn(&SyncStatus) -> bool,
) -> Fallible<SyncStatus> {
    let waited = tokio::time::timeout(limit, status.wait_for(|s| ready(s)))
        .await
        .map(|r| r.map(|s| s.clone()));
    match waited {
        Ok(Ok(s)) => Ok(s),
        Ok(Err(_)) => Err(format!("the background sync stopped while waiting for {what}").into()),
        Err(_) => Err(format!(
            "{what}: not within {limit:?}; status {:?}",
            *status.borrow()
        )
        .into()),
    }
}

/// Polls the cache until `ready` holds for the case's cached summary (the follow loop writes
/// an event's summary as soon as it arrives). Returns how long it took.
async fn cached_until(
    desk: &Desk,
    number: &CaseNumber,
    ready: impl Fn(Option<i64>) -> bool,
) -> Fallible<Duration> {
    let started = Instant::now();
    loop {
        let version = desk.cache().summary(number)?.map(|s| s.version);
        if ready(version) {
            return Ok(started.elapsed());
        }
        if started.elapsed() > DELIVERY_LIMIT {
            return Err(format!("{number} not in the cache within {DELIVERY_LIMIT:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// What the wallboard's runtime does on a new revision (`wallboard::runtime::refresh`),
/// except that here every error aborts the run.
async fn refresh(desk: &Desk, board: &mut Board) -> Fallible<()> {
    let mut fetched = Vec::new();
    let sync = Arc::new(Notify::new());
    runtime::refresh(desk, &sync, |f| {
        fetched.push(f);
        false
    })
    .await?;
    for f in fetched {
        board.take(f);
    }
    Ok(())
}

/// The change of one simulated minute, made for real: a new P1 case every tenth minute; five
/// minutes later that case resolved (so the open desk stays the demo's size and the board's
/// list does not grow with the soak); an internal note on an open demo case otherwise.
/// Returns the case and its version before the change (`None` for a new case).
async fn change(
    writer: &Client,
    minute: i64,
    open: &[CaseNumber],
    soak_case: &mut Option<CaseNumber>,
) -> Fallible<(CaseNumber, Option<i64>)> {
    if minute % 10 == 0 {
        let case: NewCase = serde_json::from_value(serde_json::json!({
            "subject": format!("Soak: site offline at simulated minute {minute}"),
            "priority": "P1",
            "tier": "tac-care",
            "channel": "web",
        }))?;
        let made = writer
            .create_case(&case, &format!("soak-case-{minute}"))
            .await?;
        *soak_case = Some(made.summary.number);
        return Ok((made.summary.number, None));
    }
    let resolve = minute % 10 == 5 && soak_case.is_some();
    let number = match soak_case.take() {
        Some(n) if resolve => n,
        kept => {
            *soak_case = kept;
            open[(minute as usize) % open.len()]
        }
    };
    let Fetched::Fresh { value, .. } = writer.case(&number, None).await? else {
        return Err(format!("{number}: no case body without an ETag").into());
    };
    let version = value.summary.version;
    if resolve {
        // A new case is opened before it can be resolved.
        let mut at = version;
        for status in [Status::Open, Status::Resolved] {
            let patch = CasePatch {
                status: Some(status),
                reason: Some("soak".into()),
                ..CasePatch::default()
            };
            at = writer
                .patch_case(&number, &patch, at)
                .await?
                .summary
                .version;
        }
    } else {
        let note = NewNote {
            body: format!("soak note at simulated minute {minute}"),
            visibility: Visibility::Internal,
            kind: Default::default(),
            from_customer: false,
        };
        let key = format!("soak-note-{minute}");
        writer.add_note(&number, &note, version, &key).await?;
    }
    Ok((number, Some(version)))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn describe(name: &str, mut v: Vec<Duration>) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "  {name}: n={} p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        v.len(),
        ms(percentile(&v, 0.5)),
        ms(percentile(&v, 0.95)),
        ms(percentile(&v, 0.99)),
        ms(v.last().copied().unwrap_or_default()),
    );
}

fn main() -> Fallible<()> {
    let number = |name: &str, default: i64| -> Fallible<i64> {
        match std::env::var(name) {
            Ok(v) => Ok(v
                .parse()
                .map_err(|_| format!("{name}={v}: expected a whole number"))?),
            Err(_) => Ok(default),
        }
    };
    let hours = number("SIM_HOURS", 24 * number("SIM_DAYS", 1)?)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let dir = std::env::temp_dir().join(format!("casedesk-soak-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    // The server in a process of its own, so the resident set measured is the wallboard's.
    let server = DemoServer::start(&dir.join("server.db"));
    let result = runtime.block_on(soak(&server, &dir, hours));
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn soak(server: &DemoServer, dir: &std::path::Path, hours: i64) -> Fallible<()> {
    let client = |token: &str| Client::new(&ClientOptions::new(server.base.clone(), token));
    let (cache, _) = Cache::open(&dir.join("cache.sqlite3"))?;
    let desk = Desk::new(Some(client(&server.token("viewer"))?), cache);
    let writer = client(&server.token("agent"))?;

    // The real background sync, as `wallboard::runtime::run` starts it.
    let sync = follow::spawn(desk.clone(), FollowOptions::default());
    let mut status = sync.subscribe();
    status_until(
        &mut status,
        Duration::from_secs(120),
        "the first sync and the stream",
        |s| s.online && s.live && s.revision > 0,
    )
    .await?;
    let open: Vec<CaseNumber> = desk
        .cache()
        .summaries()?
        .into_iter()
        .filter(|c| c.status.is_open())
        .map(|c| c.number)
        .collect();
    if open.is_empty() {
        return Err("the demo desk has no open case".into());
    }

    let theme = Theme::builtin("dark", ColorDepth::Ansi16)?;
    let start: DateTime<Utc> = Utc::now();
    let mut board = Board::new(
        start,
        Duration::from_secs(15),
        None,
        DisplayZone::named("Asia/Tokyo")?,
        Lang::En,
        Thresholds::default(),
    );
    refresh(&desk, &mut board).await?;
    let area = Rect::new(0, 0, 160, 48);
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(std::io::sink()),
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )?;
    let mut screen = Screen::default();

    let started = Instant::now();
    let (mut frames, mut notes, mut cases, mut resolved) = (0u64, 0u64, 0u64, 0u64);
    let mut soak_case = None;
    let mut delivery = Vec::new();
    let mut appearance = Vec::new();
    let mut samples = Vec::new();
    let total = hours * 3600;
    for second in 0..total {
        let now = start + chrono::Duration::seconds(second);
        board.tick(now);
        if second % 60 == 0 {
            let minute = second / 60;
            let revision = status.borrow().revision;
            let (number, before) = change(&writer, minute, &open, &mut soak_case).await?;
            let written = Instant::now();
            delivery.push(
                cached_until(&desk, &number, |v| match (before, v) {
                    (Some(before), Some(now)) => now > before,
                    (None, found) => found.is_some(),
                    (Some(_), None) => false,
                })
                .await?,
            );
            let s = status_until(&mut status, DELIVERY_LIMIT, "a new revision", |s| {
                s.revision > revision
            })
            .await?;
            if let Some(error) = &s.last_error {
                return Err(format!("the background sync failed: {error}").into());
            }
            refresh(&desk, &mut board).await?;
            // The sync's own times are real; the board lives in simulated time, where the
            // server has just answered.
            board.sync = SyncStatus {
                as_of: Some(now),
                ..s
            };
            if before.is_none() {
                if !board.next.iter().any(|c| c.number == number) {
                    return Err(format!("new P1 {number} is not on the board").into());
                }
                appearance.push(written.elapsed());
                cases += 1;
            } else if minute % 10 == 5 {
                if board.next.iter().any(|c| c.number == number) {
                    return Err(format!("resolved {number} is still on the board").into());
                }
                resolved += 1;
            } else {
                notes += 1;
            }
        }
        let mut next = Buffer::empty(area);
        ui::draw(&board, &theme, &mut next);
        if screen.present(&mut terminal, next, None)? {
            frames += 1;
        }
        let sample = match second {
            3600 => Some("after the warm-up hour".to_string()),
            s if s > 3600 && s % SAMPLE_EVERY == 0 => Some(format!("hour {}", s / 3600)),
            _ => None,
        };
        if let Some(when) = sample {
            let kib = rss_kib()?;
            // Progress as it goes: a week takes most of an hour.
            eprintln!(
                "  VmRSS {when}: {:.1} MiB ({:.0} s)",
                kib as f64 / 1024.0,
                started.elapsed().as_secs_f64()
            );
            samples.push((when, kib));
        }
    }
    samples.push((format!("end (hour {})", total / 3600), rss_kib()?));
    sync.stop().await;
    println!(
        "wallboard soak: {hours} simulated hours, {total} ticks, {frames} frames written, {} changes delivered ({notes} notes, {cases} new P1 cases, {resolved} resolved), {:.0} s",
        notes + cases + resolved,
        started.elapsed().as_secs_f64()
    );
    for (when, kib) in &samples {
        println!("  VmRSS {when}: {:.1} MiB", *kib as f64 / 1024.0);
    }
    describe(
        "write answered -> case in the cache (follow loop, event stream)",
        delivery,
    );
    describe(
        "new P1 answered -> on the board (revision, refresh)",
        appearance,
    );
    Ok(())
}
