//! The TUI's speed (issue 5; see docs/PERFORMANCE.md). A one-shot measurement program, not
//! criterion: start-up and the idle minute are what they are, not samples of a hot loop.
//!
//! 1. **Start to first complete frame**: the real binary in a pseudo-terminal (120×40) on a
//!    cache of `CASES` cases (default 50000) with the server unreachable — the cached desk is
//!    what an engineer sees first. Time from spawning the process until the queue's title shows
//!    its count and the status bar is drawn. Median of 5.
//! 2. **Keystroke to frame while typing a filter**: in process, the app over the same cases and
//!    the runtime's own frame writer (`Screen::draw`) into memory at 120×40: one message per key
//!    (`/`, then `tokyo power` letter by letter, then backspaces), each timed from the key to the
//!    frame's bytes written. p50 and p99.
//! 3. **Queue render at 200×60**: `ui::draw` of the whole screen into a buffer; median of 200.
//! 4. **Idle minute at 120×40**: `casedesk serve --demo` and the TUI in a pseudo-terminal, view 4
//!    ("Breaching next") with its first case selected, so the SLA pane shows a clock due
//!    soon ticking every second; after 5 s to settle, the bytes the TUI writes to the terminal
//!    and the CPU time it uses over `IDLE_SECS` (default 60).
//! 5. **Held `j` at 120×40 (the wide layout)**: the real binary on the cache of item 1 (server
//!    unreachable, so each detail load is the cache read and a refused connection). `HELD_KEYS`
//!    (default 200) `j`s one every 30 ms, as a key repeat sends them, then a burst of
//!    `BURST_KEYS` (default 200) `j`s in one write. Each key is timed from its write to the
//!    first frame whose selected row is that key's row or further; frames are counted by their
//!    synchronized-output openings; the selection must end on the row the keys lead to (worked
//!    out in process with the same app over the same cases).
//!
//! `cargo bench --bench tui` (or `CASES=5000 IDLE_SECS=10 cargo bench --bench tui`).

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

#[path = "support/demo_server.rs"]
mod demo_server;

use casedesk::api::CaseSummary;
use casedesk::cache::{Cache, meta};
use casedesk::config::DisplayZone;
use casedesk::sla::Calendars;
use casedesk::term::text::Lang;
use casedesk::term::theme::{ColorDepth, Theme};
use casedesk::tui::app::{App, Msg, Settings};
use casedesk::tui::keymap::KeyMap;
use casedesk::tui::queue::Row;
use casedesk::tui::runtime::Screen;
use casedesk::tui::ui;
use casedesk::tui::views::View;
use demo_server::DemoServer;

const SITES: [&str; 8] = [
    "東京本社",
    "大阪データセンター",
    "Tokyo DC2",
    "Chicago NOC",
    "名古屋工場",
    "Seattle DC",
    "横浜物流センター",
    "Austin Office",
];
const SUBJECTS: [&str; 8] = [
    "VPN トンネルが切断される",
    "Power supply PEM 0 failed - no redundancy",
    "電源ユニット PS2 故障・電源冗長性喪失",
    "Nightly backups failing on file server",
    "BGP セッションが断続的に切れる",
    "License key for new appliance",
    "メモリリークの疑い（21.4R3）",
    "Please register a newly purchased unit",
];
const OWNERS: [Option<&str>; 6] = [
    Some("tanaka"),
    Some("sato"),
    None,
    Some("suzuki"),
    Some("alice"),
    None,
];
const STATUSES: [&str; 6] = [
    "new",
    "open",
    "open",
    "waiting_on_customer",
    "waiting_on_engineering",
    "resolved",
];

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `n` cases spread over sites, owners, priorities, statuses and deadlines.
fn cases(n: usize, now: DateTime<Utc>) -> Vec<CaseSummary> {
    (0..n)
        .map(|i| {
            let day = 1 + (i / 5000) % 28;
            let status = STATUSES[i % STATUSES.len()];
            let due = (status != "resolved" && status != "waiting_on_customer")
                .then(|| now + chrono::Duration::minutes((i as i64 * 37) % 4000 - 600));
            let priority = ["P1", "P2", "P3", "P4"][i % 4];
            let contact = ["佐藤 花子", "Daniel Kim", "清水 拓也"][i % 3];
            let json = serde_json::json!({
                "number": format!("2026-11{day:02}-{:06}", i % 5000 + 1),
                "subject": format!("{} #{i}", SUBJECTS[i % SUBJECTS.len()]),
                "priority": priority,
                "status": status,
                "owner": OWNERS[i % OWNERS.len()],
                "tier": "tac-care", "channel": "web", "request_type": "technical_support",
                "site_name": SITES[i % SITES.len()], "site_id": format!("S-{:04}", i % 300),
                "account": "Account", "contact_name": contact,
                "product": "SRX1500", "platform": "Junos", "serial_number": format!("JN{i:08X}"),
                "created_at": "2026-11-01T00:00:00Z", "updated_at": now - chrono::Duration::minutes(i as i64 % 10_000),
                "next_due": due, "breached": due.is_some_and(|d| d < now),
                "temporarily_downgraded": false, "open_escalations": u32::from(i % 50 == 0), "version": 1
            });
            serde_json::from_value(json).expect("a valid synthetic case")
        })
        .collect()
}

fn settings() -> Settings {
    Settings {
        keys: KeyMap::default(),
        views: View::defaults(),
        lang: Lang::En,
        zone: DisplayZone::named("Asia/Tokyo").expect("a known zone"),
        profile: "bench".into(),
        timeline: Default::default(),
        clipboard: true,
        demo: false,
    }
}

fn screen_of(rows: u16, cols: u16) -> vt100::Parser {
    let nz = |n: u16| std::num::NonZeroU16::new(n).expect("a size above zero");
    vt100::Parser::new(nz(rows), nz(cols), 0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// A child in a pseudo-terminal, its output read on a thread.
struct PtyChild {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    input: Box<dyn std::io::Write + Send>,
    output: mpsc::Receiver<Vec<u8>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl PtyChild {
    fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> PtyChild {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let child = pair.slave.spawn_command(cmd).expect("spawn the TUI");
        drop(pair.slave);
        let input = pair.master.take_writer().expect("a PTY writer");
        let mut reader = pair.master.try_clone_reader().expect("a PTY reader");
        let (tx, output) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    return;
                }
            }
        });
        PtyChild {
            child,
            input,
            output,
            _master: pair.master,
        }
    }

    /// Feeds output to `screen` until `done` holds; the time it took, or `None` on timeout.
    fn wait(
        &self,
        screen: &mut vt100::Parser,
        timeout: Duration,
        done: impl Fn(&str) -> bool,
    ) -> Option<Instant> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(chunk) = self.output.recv_timeout(Duration::from_millis(20)) {
                screen.process(&chunk);
                if done(&screen.screen().contents()) {
                    return Some(Instant::now());
                }
            }
        }
        None
    }

    fn cpu_ticks(&self) -> u64 {
        let pid = self.child.process_id().unwrap_or(0);
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
        let rest = stat.rsplit_once(") ").map(|(_, r)| r).unwrap_or("");
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let get = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<u64>().ok())
                .unwrap_or(0)
        };
        get(11) + get(12)
    }
}

impl Drop for PtyChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tui_command(home: &Path, server: &str, token: &str) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_casedesk"));
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("XDG_CACHE_HOME", home.join("cache"));
    cmd.env("HOME", home);
    cmd.env("CASEDESK_SERVER", server);
    cmd.env("CASEDESK_TOKEN", token);
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    cmd.env("TZ", "Asia/Tokyo");
    cmd
}

fn start_to_first_frame(home: &Path, all: &[CaseSummary]) -> Vec<Duration> {
    let server = "http://127.0.0.1:9";
    let dir = home.join("cache").join("casedesk");
    std::fs::create_dir_all(&dir).expect("cache dir");
    let (cache, _) = Cache::open(&dir.join("default.sqlite3")).expect("open the cache");
    cache
        .put_summaries(all, Utc::now())
        .expect("fill the cache");
    cache.set_meta(meta::SERVER, server).expect("meta");
    drop(cache);
    let open = all.iter().filter(|c| c.status.is_open()).count();
    let title = format!("All open ({open})");
    (0..5)
        .map(|_| {
            let mut screen = screen_of(40, 120);
            let started = Instant::now();
            let child = PtyChild::spawn(tui_command(home, server, "bench"), 120, 40);
            let at = child
                .wait(&mut screen, Duration::from_secs(30), |s| {
                    s.contains(&title) && (s.contains("connecting") || s.contains("OFFLINE"))
                })
                .unwrap_or_else(|| {
                    panic!(
                        "no first frame; the screen:\n{}",
                        screen.screen().contents()
                    )
                });
            at - started
        })
        .collect()
}

fn typing_latency(all: &[CaseSummary], theme: &Theme, now: DateTime<Utc>) -> Vec<Duration> {
    let mut app = App::new(settings(), Calendars::builtin(), now);
    let rows: Vec<Row> = all.iter().cloned().map(Row::new).collect();
    app.update(Msg::Cases(rows, Vec::new()));
    let area = Rect::new(0, 0, 120, 40);
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(Vec::<u8>::with_capacity(1 << 20)),
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )
    .expect("an in-memory terminal");
    let mut screen = Screen::default();
    let layout = screen
        .draw(&mut terminal, &app, theme)
        .expect("first frame");
    app.update(Msg::Layout(layout));
    let key = |c: KeyCode| KeyEvent::new(c, KeyModifiers::NONE);
    let mut keys = vec![key(KeyCode::Char('/'))];
    let text = "tokyo power";
    for _ in 0..3 {
        keys.extend(text.chars().map(|c| key(KeyCode::Char(c))));
        keys.extend(text.chars().map(|_| key(KeyCode::Backspace)));
    }
    let mut times = Vec::with_capacity(keys.len());
    for k in keys {
        let t = Instant::now();
        app.update(Msg::Key(k));
        let layout = screen.draw(&mut terminal, &app, theme).expect("frame");
        app.update(Msg::Layout(layout));
        times.push(t.elapsed());
    }
    times.sort();
    times
}

fn render_times(all: &[CaseSummary], theme: &Theme, now: DateTime<Utc>) -> Vec<Duration> {
    let mut app = App::new(settings(), Calendars::builtin(), now);
    app.update(Msg::Cases(
        all.iter().cloned().map(Row::new).collect(),
        Vec::new(),
    ));
    let area = Rect::new(0, 0, 200, 60);
    app.wide = ui::is_wide(area);
    let mut times: Vec<Duration> = (0..200)
        .map(|i| {
            app.update(Msg::Tick(now + chrono::Duration::seconds(i)));
            let mut buf = Buffer::empty(area);
            let t = Instant::now();
            let drawn = ui::draw(&app, theme, &mut buf);
            let took = t.elapsed();
            std::hint::black_box(drawn);
            took
        })
        .collect();
    times.sort();
    times
}

/// What holding `j` measured.
struct Held {
    keys: usize,
    latencies: Vec<Duration>,
    frames: usize,
    burst: usize,
    burst_took: Duration,
    burst_frames: usize,
    burst_frames_settled: usize,
    landed: String,
}

impl Held {
    fn print(&self) {
        let l = &self.latencies;
        println!(
            "held j every 30 ms at 120×40 ({} keys): key to frame p50 {}  p99 {}  max {}; {} frames ({:.2} per key)",
            self.keys,
            ms(percentile(l, 0.5)),
            ms(percentile(l, 0.99)),
            ms(l[l.len() - 1]),
            self.frames,
            self.frames as f64 / self.keys as f64
        );
        println!(
            "burst of {} j in one write: last row drawn after {}; {} frames until then, {} with 1 s after; selection on {} (the right row)",
            self.burst,
            ms(self.burst_took),
            self.burst_frames,
            self.burst_frames_settled,
            self.landed
        );
    }
}

/// The case numbers the selection passes through from the first row, `n` moves down, as the
/// app itself moves it over the same cases.
fn rows_passed(all: &[CaseSummary], n: usize) -> Vec<String> {
    let mut app = App::new(settings(), Calendars::builtin(), Utc::now());
    app.update(Msg::Cases(
        all.iter().cloned().map(Row::new).collect(),
        Vec::new(),
    ));
    let j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    let mut passed = Vec::with_capacity(n + 1);
    let number = |app: &App| {
        app.queue
            .selected_case()
            .map(|c| c.number.to_string())
            .expect("a selected case")
    };
    passed.push(number(&app));
    for _ in 0..n {
        app.update(Msg::Key(j));
        passed.push(number(&app));
    }
    passed
}

/// The case number on the queue's selected row (marked `>`), if one is drawn.
fn selected_on(screen: &vt100::Parser) -> Option<String> {
    let contents = screen.screen().contents();
    let line = contents.lines().find(|l| l.starts_with("┃>"))?;
    let number = line.split_whitespace().nth(1)?;
    Some(
        number
            .trim_end_matches(|c: char| !c.is_ascii_digit())
            .to_string(),
    )
}

/// Synchronized-output openings (one per frame written) in `chunk`, `carry` holding the tail of
/// the previous chunk so an opening split between two is counted once.
fn frames_in(carry: &mut Vec<u8>, chunk: &[u8]) -> usize {
    const BEGIN: &[u8] = b"\x1b[?2026h";
    let mut joined = std::mem::take(carry);
    let before = joined.len();
    joined.extend_from_slice(chunk);
    let count = joined
        .windows(BEGIN.len())
        .enumerate()
        .filter(|(i, w)| *w == BEGIN && i + BEGIN.len() > before)
        .count();
    let keep = joined.len().saturating_sub(BEGIN.len() - 1);
    *carry = joined[keep..].to_vec();
    count
}

/// What the detail pane says once a load found no cached detail and no server.
const NOT_CACHED: &str = "This case is not in the cache yet";

fn held_j(home: &Path, all: &[CaseSummary], held: u64, burst: u64) -> Held {
    let (held, burst) = (held as usize, burst as usize);
    let passed = rows_passed(all, held + burst);
    let index: std::collections::HashMap<&str, usize> = passed
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let server = "http://127.0.0.1:9";
    let mut child = PtyChild::spawn(tui_command(home, server, "bench"), 120, 40);
    let mut screen = screen_of(40, 120);
    child
        .wait(&mut screen, Duration::from_secs(30), |s| {
            s.contains(&format!("Case {}", passed[0])) && s.contains(NOT_CACHED)
        })
        .unwrap_or_else(|| {
            panic!(
                "the TUI did not show the first case's load answered; the screen:\n{}",
                screen.screen().contents()
            )
        });
    // Settle: the first detail load and the failed sync.
    let settle = Instant::now() + Duration::from_secs(2);
    while Instant::now() < settle {
        if let Ok(chunk) = child.output.recv_timeout(Duration::from_millis(50)) {
            screen.process(&chunk);
        }
    }
    assert_eq!(selected_on(&screen).as_deref(), Some(passed[0].as_str()));

    // Held: one key every 30 ms; each key's frame is the first showing its row or a later one.
    let mut sent: Vec<Instant> = Vec::with_capacity(held);
    let mut shown: Vec<Option<Instant>> = vec![None; held + 1];
    let mut reached = 0;
    let mut carry = Vec::new();
    let mut frames = 0;
    let started = Instant::now();
    let deadline = started + Duration::from_millis(30 * held as u64) + Duration::from_secs(60);
    while reached < held && Instant::now() < deadline {
        let next = started + Duration::from_millis(30 * sent.len() as u64);
        if sent.len() < held && Instant::now() >= next {
            let _ = child.input.write_all(b"j");
            let _ = child.input.flush();
            sent.push(Instant::now());
            continue;
        }
        let wait = if sent.len() < held {
            next.saturating_duration_since(Instant::now())
        } else {
            Duration::from_millis(20)
        };
        if let Ok(chunk) = child.output.recv_timeout(wait) {
            let at = Instant::now();
            frames += frames_in(&mut carry, &chunk);
            screen.process(&chunk);
            if let Some(i) = selected_on(&screen).and_then(|n| index.get(n.as_str()).copied()) {
                for slot in shown.iter_mut().take(i + 1).skip(reached + 1) {
                    *slot = Some(at);
                }
                reached = reached.max(i);
            }
        }
    }
    assert_eq!(
        reached,
        held,
        "held j: the selection stopped at row {reached}; the screen:\n{}",
        screen.screen().contents()
    );
    // The last key's load answered before the burst starts.
    let answered = screen.screen().contents().contains(NOT_CACHED)
        || child
            .wait(&mut screen, Duration::from_secs(10), |s| {
                s.contains(NOT_CACHED)
            })
            .is_some();
    assert!(
        answered,
        "held j: the last case's load did not answer; the screen:\n{}",
        screen.screen().contents()
    );
    let mut latencies: Vec<Duration> = sent
        .iter()
        .zip(&shown[1..])
        .map(|(s, at)| at.map_or(Duration::MAX, |at| at - *s))
        .collect();
    latencies.sort();

    // Burst: every key in one write.
    let target = held + burst;
    let _ = child.input.write_all(&vec![b'j'; burst]);
    let _ = child.input.flush();
    let t0 = Instant::now();
    let mut burst_frames = 0;
    let mut frames_until = 0;
    let mut burst_took = None;
    let deadline = t0 + Duration::from_secs(60);
    while Instant::now() < deadline {
        let settled = burst_took.is_some_and(|took| t0.elapsed() > took + Duration::from_secs(1));
        if settled {
            break;
        }
        if let Ok(chunk) = child.output.recv_timeout(Duration::from_millis(20)) {
            burst_frames += frames_in(&mut carry, &chunk);
            screen.process(&chunk);
            if burst_took.is_none() && selected_on(&screen).as_deref() == Some(&passed[target]) {
                burst_took = Some(t0.elapsed());
                frames_until = burst_frames;
            }
        }
    }
    let burst_took = burst_took.unwrap_or_else(|| {
        panic!(
            "the burst did not end on row {target} ({}); the screen:\n{}",
            passed[target],
            screen.screen().contents()
        )
    });
    let landed = selected_on(&screen).unwrap_or_default();
    assert_eq!(
        landed, passed[target],
        "the selection moved on after the burst"
    );
    // The newest load answered (the cases have no cached detail and the server is unreachable).
    let contents = screen.screen().contents();
    assert!(
        contents.contains(&format!("Case {landed}")) && contents.contains(NOT_CACHED),
        "the detail pane does not show the selected case's load answered; the screen:\n{contents}"
    );
    Held {
        keys: held,
        latencies,
        frames,
        burst,
        burst_took,
        burst_frames: frames_until,
        burst_frames_settled: burst_frames,
        landed,
    }
}

fn idle_minute(home: &Path, secs: u64) -> (usize, f64) {
    let server = DemoServer::start(&home.join("idle.db"));
    let token = server.token("agent");
    let home = home.join("idle-home");
    std::fs::create_dir_all(&home).expect("home dir");
    let mut child = PtyChild::spawn(tui_command(&home, &server.base, &token), 120, 40);
    let mut screen = screen_of(40, 120);
    child
        .wait(&mut screen, Duration::from_secs(60), |s| {
            // Online, with the first sync's queue drawn (the SLA pane's words depend on the
            // first case, so they are not waited for).
            s.contains("online") && s.contains("All open (")
        })
        .unwrap_or_else(|| {
            panic!(
                "the TUI did not settle; the screen:\n{}",
                screen.screen().contents()
            )
        });
    // Show the case due next (view 4, "Breaching next", first row: the soonest deadline not yet
    // passed), whose clocks show seconds.
    let _ = child.input.write_all(b"4g");
    let _ = child.input.flush();
    child
        .wait(&mut screen, Duration::from_secs(20), |s| {
            s.contains("DUE SOON")
        })
        .unwrap_or_else(|| {
            panic!(
                "no case due within the hour; the screen:\n{}",
                screen.screen().contents()
            )
        });
    // Settle: the first sync's details and the stream.
    let settle = Instant::now() + Duration::from_secs(5);
    while Instant::now() < settle {
        let _ = child.output.recv_timeout(Duration::from_millis(50));
    }
    let ticks_before = child.cpu_ticks();
    let end = Instant::now() + Duration::from_secs(secs);
    let mut bytes = 0;
    while Instant::now() < end {
        if let Ok(chunk) = child.output.recv_timeout(Duration::from_millis(100)) {
            bytes += chunk.len();
        }
    }
    let ticks = child.cpu_ticks() - ticks_before;
    drop(server);
    // Clock ticks are 1/100 s on Linux.
    (bytes, ticks as f64 / 100.0)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not used here.
    let n = env_num("CASES", 50_000) as usize;
    let idle_secs = env_num("IDLE_SECS", 60);
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
        .single()
        .expect("a fixed instant");
    let home = std::env::temp_dir().join(format!("casedesk-tui-bench-{}", std::process::id()));
    std::fs::create_dir_all(&home).expect("work dir");
    let all = cases(n, Utc::now());
    let theme = Theme::builtin("dark", ColorDepth::Ansi16).expect("the default theme");

    println!("TUI benchmark: {n} cases");
    let mut starts = start_to_first_frame(&home, &all);
    starts.sort();
    println!(
        "start to first complete frame (median of {}): {}  [min {}, max {}]",
        starts.len(),
        ms(percentile(&starts, 0.5)),
        ms(starts[0]),
        ms(starts[starts.len() - 1])
    );

    let keys = typing_latency(&all, &theme, now);
    println!(
        "keystroke to frame while filtering ({} keys): p50 {}  p99 {}  max {}",
        keys.len(),
        ms(percentile(&keys, 0.5)),
        ms(percentile(&keys, 0.99)),
        ms(keys[keys.len() - 1])
    );

    let renders = render_times(&all, &theme, now);
    println!(
        "queue screen render at 200×60 (median of {}): {}  p99 {}",
        renders.len(),
        ms(percentile(&renders, 0.5)),
        ms(percentile(&renders, 0.99))
    );

    let held = held_j(
        &home,
        &all,
        env_num("HELD_KEYS", 200),
        env_num("BURST_KEYS", 200),
    );
    held.print();

    let (bytes, cpu) = idle_minute(&home, idle_secs);
    println!(
        "idle {idle_secs} s at 120×40 (demo server, countdowns ticking): {bytes} bytes written, {cpu:.2} s CPU ({:.2}% of a core)",
        cpu / idle_secs as f64 * 100.0
    );
    let _ = std::fs::remove_dir_all(&home);
}
