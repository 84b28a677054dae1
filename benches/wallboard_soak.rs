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

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// `casedesk serve --demo` on a free loopback port: the child, its URL, a viewer's and an
/// agent's token.
fn start_server(dir: &std::path::Path) -> (std::process::Child, String, String, String) {
    use std::io::Read;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_casedesk"))
        .args([
            "serve",
            "--demo",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--db",
        ])
        .arg(dir.join("server.db"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the server");
    let mut out = child.stdout.take().expect("the server's stdout");
    let mut text = String::new();
    let mut buf = [0u8; 4096];
    while !text.contains("listening") {
        match out.read(&mut buf) {
            Ok(0) | Err(_) => panic!("the server stopped before listening:\n{text}"),
            Ok(n) => text.push_str(&String::from_utf8_lossy(&buf[..n])),
        }
    }
    let token = |role: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(role))
            .and_then(|l| l.split_whitespace().nth(2))
            .unwrap_or_else(|| panic!("no {role} token in:\n{text}"))
            .to_string()
    };
    let (viewer, agent) = (token("viewer"), token("agent"));
    (child, format!("http://127.0.0.1:{port}"), viewer, agent)
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
    let (mut server, base, viewer, agent) = start_server(&dir);
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
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
