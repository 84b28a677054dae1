//! The wallboard over a simulated week (issue 6; see docs/PERFORMANCE.md). A one-shot program.
//!
//! `casedesk serve --demo` (400 cases) in a child process; a desk (client + cache) synced from it;
//! the wallboard's board and frame writer (`runtime::Screen`, into a byte sink) at 160×48.
//! Each simulated second the board ticks and a frame is drawn and diffed, as the real loop does;
//! each simulated minute a change event happens for real on the server (a note on a case,
//! every tenth minute a new case) and the board refreshes the way the runtime does on a change
//! (feed pull into the cache, the cached cases, `/v1/stats`, the open escalations, the overdue
//! RMAs). The resident set (`VmRSS`) is read after a warm-up hour, then every simulated day.
//!
//! `cargo bench --bench wallboard_soak` (`SIM_DAYS=1` for a quick try; default 7).

use std::time::{Duration, Instant};

use chrono::Utc;
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

#[path = "support/demo_server.rs"]
mod demo_server;

use casedesk::api::{Client, ClientOptions, NewNote};
use casedesk::cache::Cache;
use casedesk::config::DisplayZone;
use casedesk::domain::Visibility;
use casedesk::sync::Desk;
use casedesk::tui::runtime::Screen;
use casedesk::tui::text::Lang;
use casedesk::tui::theme::{ColorDepth, Theme};
use casedesk::wallboard::board::{Board, Thresholds};
use casedesk::wallboard::ui;
use demo_server::DemoServer;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let days: i64 = std::env::var("SIM_DAYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let dir = std::env::temp_dir().join(format!("casedesk-soak-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("work dir");
    // The server in a process of its own, so the resident set measured is the wallboard's.
    let server = DemoServer::start(&dir.join("server.db"));
    let (base, viewer, agent) = (
        server.base.clone(),
        server.token("viewer"),
        server.token("agent"),
    );
    let client =
        |token: &str| Client::new(&ClientOptions::new(base.clone(), token)).expect("a client");
    let (cache, _) = Cache::open(&dir.join("cache.sqlite3")).expect("cache");
    let desk = Desk::new(Some(client(&viewer)), cache);
    let writer = client(&agent);
    runtime.block_on(desk.sync()).expect("first sync");
    let numbers: Vec<_> = desk
        .cache()
        .summaries()
        .expect("summaries")
        .into_iter()
        .filter(|c| c.status.is_open())
        .map(|c| c.number)
        .collect();

    let theme = Theme::builtin("dark", ColorDepth::Ansi16).expect("theme");
    let start = Utc::now();
    let mut board = Board::new(
        start,
        Duration::from_secs(15),
        None,
        DisplayZone::named("Asia/Tokyo").expect("zone"),
        Lang::En,
        Thresholds::default(),
    );
    let area = Rect::new(0, 0, 160, 48);
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(std::io::sink()),
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )
    .expect("terminal");
    let mut screen = Screen::default();

    let refresh = |board: &mut Board| {
        runtime.block_on(async {
            let _ = desk.pull().await;
            let client = desk.client().expect("client").clone();
            if let Ok(s) = client.stats().await {
                board.stats = Some(s);
            }
            if let Ok(list) = client.escalations("requested,acknowledged").await {
                board.escalations = list;
            }
            if let Ok(list) = client.rmas("overdue=true&limit=200").await {
                board.overdue_rmas = list;
            }
        });
        board.set_cases(desk.cache().summaries().unwrap_or_default());
    };

    let started = Instant::now();
    let mut frames = 0u64;
    let mut events = 0u64;
    let mut samples = Vec::new();
    let total = days * 86_400;
    for second in 0..total {
        let now = start + chrono::Duration::seconds(second);
        board.tick(now);
        if second % 60 == 0 {
            let n = numbers[(second / 60) as usize % numbers.len()];
            let note = NewNote {
                body: format!("soak note at simulated second {second}"),
                visibility: Visibility::Internal,
                kind: Default::default(),
                from_customer: false,
            };
            runtime.block_on(async {
                if let Ok(casedesk::api::Fetched::Fresh { value, .. }) = writer.case(&n, None).await
                {
                    let key = format!("soak-{second}");
                    let _ = writer
                        .add_note(&n, &note, value.summary.version, &key)
                        .await;
                }
            });
            events += 1;
            refresh(&mut board);
        }
        let mut next = Buffer::empty(area);
        ui::draw(&board, &theme, &mut next);
        if screen.present(&mut terminal, next, None).expect("frame") {
            frames += 1;
        }
        if second == 3600 {
            samples.push(("after the warm-up hour".to_string(), rss_kib()));
        }
        if second > 0 && second % 86_400 == 0 {
            samples.push((format!("day {}", second / 86_400), rss_kib()));
        }
    }
    samples.push((format!("end (day {days})"), rss_kib()));
    println!(
        "wallboard soak: {days} simulated days, {total} ticks, {frames} frames written, {events} change events, {:.0} s",
        started.elapsed().as_secs_f64()
    );
    for (when, kib) in &samples {
        println!("  VmRSS {when}: {:.1} MiB", *kib as f64 / 1024.0);
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
