//! The real `casedesk wallboard` in a pseudo-terminal against a real `casedesk serve`: the
//! tiles' big digits are read back from the screen and compared with `/v1/stats`; a new P1
//! shows within seconds; a server that goes away raises the stale banner and one that comes
//! back clears it; kiosk mode ignores every key but the quit chord and gives the terminal back;
//! on the demo's desk the "next" page leads with what breaches next, the breached apart.
//!
//! `CASEDESK_PTY_TRACE=1` prints the screens waited for.

mod common;

use std::time::{Duration, Instant};

use common::Server;
use common::pty::{Pty, framed};
use serde_json::{Value, json};

/// How long the board may take to show its first counts.
const FIRST_SCREEN: Duration = Duration::from_secs(30);
/// How long a key or a change may take to show.
const ACTION: Duration = Duration::from_secs(15);
/// The board's size: big enough for block digits in every tile.
const COLS: u16 = 160;
const ROWS: u16 = 48;

/// The tiles in reading order, with the `/v1/stats` field each one shows.
const TILES: [(&str, &str); 9] = [
    ("P1 open", "P1"),
    ("P2 open", "P2"),
    ("P3 open", "P3"),
    ("P4 open", "P4"),
    ("SLA breached", "breached"),
    ("Due within 1 hour", "due_within_1h"),
    ("Unassigned", "unassigned"),
    ("Open escalations", "open_escalations"),
    ("Overdue RMAs", "overdue_rmas"),
];

/// `casedesk wallboard ARGS` with a viewer's token, 160×48.
fn wallboard(server: &Server, token: &str, args: &[&str]) -> Pty {
    let mut all = vec!["wallboard"];
    all.extend_from_slice(args);
    Pty::casedesk_sized(&server.base, token, &all, COLS, ROWS)
}

/// The counts `/v1/stats` gives, in tile order.
fn expected(stats: &Value) -> Vec<u64> {
    TILES
        .iter()
        .map(|(_, field)| {
            let v = if field.starts_with('P') {
                &stats["open_by_priority"][*field]
            } else {
                &stats[*field]
            };
            // A priority without open cases may be left out of the map.
            v.as_u64().unwrap_or(0)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Reading the tiles back from the screen
// ---------------------------------------------------------------------------------------------

/// The 3×5 font of `src/wallboard/digits.rs`, digits only.
const FONT: [(char, [&str; 5]); 10] = [
    ('0', ["###", "# #", "# #", "# #", "###"]),
    ('1', [" # ", "## ", " # ", " # ", "###"]),
    ('2', ["###", "  #", "###", "#  ", "###"]),
    ('3', ["###", "  #", "###", "  #", "###"]),
    ('4', ["# #", "# #", "###", "  #", "  #"]),
    ('5', ["###", "#  ", "###", "  #", "###"]),
    ('6', ["###", "#  ", "###", "# #", "###"]),
    ('7', ["###", "  #", "  #", "  #", "  #"]),
    ('8', ["###", "# #", "###", "# #", "###"]),
    ('9', ["###", "# #", "###", "  #", "###"]),
];

/// The screen as a grid of cells (one `char` per column; a wide glyph's second cell is empty).
fn grid(screen: &vt100::Screen) -> Vec<Vec<char>> {
    let (rows, cols) = screen.size();
    (0..rows.get())
        .map(|r| {
            (0..cols.get())
                .map(|c| {
                    screen
                        .cell(r, c)
                        .and_then(|cell| cell.contents().chars().next())
                        .unwrap_or(' ')
                })
                .collect()
        })
        .collect()
}

/// Where `needle` starts on the grid.
fn find(g: &[Vec<char>], needle: &str) -> Option<(usize, usize)> {
    let n: Vec<char> = needle.chars().collect();
    g.iter().enumerate().find_map(|(r, row)| {
        row.windows(n.len())
            .position(|w| w == n.as_slice())
            .map(|c| (r, c))
    })
}

/// Decodes the block digits (or the plain number) inside the tile titled `label`.
fn tile_value(g: &[Vec<char>], label: &str) -> Result<u64, String> {
    // The title is the label, after a level word when the count warns or alerts.
    let (top, left) = ["", "▲ WARN ", "■ ALERT "]
        .iter()
        .find_map(|word| find(g, &format!("┌ {word}{label} ")))
        .ok_or(format!("no tile {label:?}"))?;
    let right = (left + 1..g[top].len())
        .find(|&c| g[top][c] == '┐')
        .ok_or(format!("tile {label:?} has no right corner"))?;
    let bottom = (top + 1..g.len())
        .find(|&r| g[r][left] == '└')
        .ok_or(format!("tile {label:?} has no bottom"))?;
    let inner: Vec<&[char]> = (top + 1..bottom).map(|r| &g[r][left + 1..right]).collect();
    let lit: Vec<usize> = (0..inner.len())
        .filter(|&r| inner[r].contains(&'█'))
        .collect();
    let Some((&first, &last)) = lit.first().zip(lit.last()) else {
        // No blocks: a plain number.
        let text: String = inner.iter().flat_map(|r| r.iter()).collect();
        return text
            .trim()
            .parse()
            .map_err(|_| format!("tile {label:?} shows {:?}", text.trim()));
    };
    let height = last - first + 1;
    if height % 5 != 0 {
        return Err(format!("tile {label:?}: digits {height} rows tall"));
    }
    let scale = height / 5;
    let px = 2 * scale;
    let x0 = (0..inner[0].len())
        .find(|&c| lit.iter().any(|&r| inner[r][c] == '█'))
        .unwrap_or(0);
    let x1 = (0..inner[0].len())
        .rev()
        .find(|&c| lit.iter().any(|&r| inner[r][c] == '█'))
        .unwrap_or(0);
    let width = x1 - x0 + 1;
    // n glyphs of 3 pixels with a blank pixel between them.
    if (width + px) % (4 * px) != 0 {
        return Err(format!(
            "tile {label:?}: digits {width} columns wide at scale {scale}"
        ));
    }
    let n = (width + px) / (4 * px);
    let mut digits = String::new();
    for i in 0..n {
        let rows: Vec<String> = (0..5)
            .map(|y| {
                (0..3)
                    .map(|x| {
                        let c = inner[first + y * scale][x0 + i * 4 * px + x * px];
                        if c == '█' { '#' } else { ' ' }
                    })
                    .collect()
            })
            .collect();
        let digit = FONT
            .iter()
            .find(|(_, glyph)| glyph.iter().zip(&rows).all(|(a, b)| a == b))
            .map(|(d, _)| *d)
            .ok_or(format!("tile {label:?}: unknown glyph {rows:?}"))?;
        digits.push(digit);
    }
    digits.parse().map_err(|e| format!("{digits:?}: {e}"))
}

/// Every tile's value, in reading order.
fn tile_values(screen: &vt100::Screen) -> Result<Vec<u64>, String> {
    let g = grid(screen);
    TILES
        .iter()
        .map(|(label, _)| tile_value(&g, label))
        .collect()
}

/// Waits until the tiles read `want`; panics with the last reading and the screen.
#[track_caller]
fn wait_for_values(board: &Pty, want: &[u64], timeout: Duration) -> Duration {
    let start = Instant::now();
    let mut last = Err(String::from("nothing read"));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        board.wait_until(&format!("tiles {want:?}"), timeout, |s| {
            last = tile_values(s);
            last.as_deref() == Ok(want)
        })
    }));
    if outcome.is_err() {
        panic!(
            "the tiles never read {want:?} within {timeout:?}; last read {last:?}\n{}",
            framed(&board.screen())
        );
    }
    start.elapsed()
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

/// Some cases of each kind: two P1 (one unassigned), a P2, three P3, an escalation.
async fn seed(api: &common::Api) {
    let p1 = api
        .create_case(json!({ "priority": "P1", "subject": "Core down" }))
        .await;
    api.create_case(json!({ "priority": "P1", "subject": "Storage array degraded" }))
        .await;
    api.create_case(json!({ "priority": "P2", "subject": "Backup fails" }))
        .await;
    for i in 0..3 {
        api.create_case(json!({ "priority": "P3", "subject": format!("Slow portal {i}") }))
            .await;
    }
    api.escalate(
        &common::number(&p1),
        json!({ "kind": "faster_progress", "reason": "Waited too long" }),
    )
    .await;
}

#[test]
fn a_viewer_sees_the_server_counts_and_a_new_p1() {
    let server = Server::start();
    let agent = server.login("agent", "kimura");
    let viewer_token = server.token("viewer", "wall");
    let viewer = server.client(&viewer_token);
    let rt = common::rt();
    rt.block_on(seed(&agent));
    let stats = rt.block_on(viewer.get("/v1/stats")).expect(200);
    let want = expected(&stats);
    assert_eq!(want[0], 2, "two open P1: {stats:#}");
    assert_eq!(want[7], 1, "one open escalation: {stats:#}");

    let board = wallboard(&server, &viewer_token, &["--page", "now", "--rotate", "0"]);
    board.wait_for("[● now]", FIRST_SCREEN);
    wait_for_values(&board, &want, FIRST_SCREEN);
    let screen = board.screen();
    assert!(screen.contains("■ ALERT P1 open"), "{}", framed(&screen));
    assert!(!screen.contains("DATA STALE"), "{}", framed(&screen));

    // A new P1 through the API: counted on the board. The 2 s the README promises is measured
    // by a benchmark; a loaded CI machine only has to show it within `ACTION`.
    let before = Instant::now();
    rt.block_on(agent.create_case(json!({ "priority": "P1", "subject": "Site offline" })));
    let stats = rt.block_on(viewer.get("/v1/stats")).expect(200);
    let want = expected(&stats);
    assert_eq!(want[0], 3, "three open P1: {stats:#}");
    wait_for_values(&board, &want, ACTION);
    eprintln!("[wallboard] a new P1 showed after {:?}", before.elapsed());
}

#[test]
fn the_stale_banner_comes_with_an_outage_and_goes_by_itself() {
    let mut server = Server::start();
    let agent = server.login("agent", "kimura");
    let token = server.token("viewer", "wall");
    let rt = common::rt();
    rt.block_on(agent.create_case(json!({ "priority": "P2" })));
    let want = expected(&rt.block_on(agent.get("/v1/stats")).expect(200));

    let board = wallboard(&server, &token, &["--page", "now", "--rotate", "0"]);
    wait_for_values(&board, &want, FIRST_SCREEN);
    assert!(!board.screen().contains("DATA STALE"));

    let stopped = Instant::now();
    let status = server.stop();
    assert!(status.success(), "clean shutdown: {status}");
    let screen = board.wait_for("DATA STALE", Duration::from_secs(90));
    let to_stale = stopped.elapsed();
    eprintln!("[wallboard] stale banner {to_stale:?} after the server stopped");
    assert!(
        screen.contains("DATA STALE — last update "),
        "{}",
        framed(&screen)
    );
    // The counts stay on screen under the banner.
    assert_eq!(board.with_screen(tile_values).as_deref(), Ok(&want[..]));
    // The banner is on the first rows, in reverse video.
    let banner_row = board.with_screen(|s| {
        let g = grid(s);
        find(&g, "DATA STALE").map(|(r, c)| (r, s.cell(r as u16, c as u16).unwrap().inverse()))
    });
    let (row, inverse) = banner_row.expect("the banner");
    assert!(row < 5 && inverse, "banner on row {row}, inverse {inverse}");

    let restarted = Instant::now();
    server.start_again_on_the_same_port();
    board.wait_until("the stale banner gone", Duration::from_secs(90), |s| {
        !s.contents().contains("DATA STALE")
    });
    let to_clear = restarted.elapsed();
    eprintln!("[wallboard] stale banner cleared {to_clear:?} after the server came back");
    wait_for_values(&board, &want, ACTION);
}

#[test]
fn kiosk_mode_ignores_keys_but_the_quit_chord_and_restores_the_terminal() {
    let server = Server::start();
    let token = server.token("viewer", "wall");
    let mut board = wallboard(
        &server,
        &token,
        &["--kiosk", "--page", "now", "--rotate", "0"],
    );
    board.wait_for("┌ P1 open", FIRST_SCREEN);
    board.with_screen(|s| {
        assert!(s.alternate_screen(), "on the alternate screen");
        assert!(s.hide_cursor(), "the cursor hidden");
    });

    // q, Esc, the arrows, space and Ctrl-C's neighbours: nothing quits, nothing turns a page.
    // Rather than wait and see that nothing happened, the board is made to show something
    // after the keys: a P1 opened once they are sent must reach the screen, which a board that
    // quit or turned the page would not show.
    board.send_keys(&["q", "\x1b", "l", " ", "\x1b[C", "h", "Q"]);
    let agent = server.login("agent", "kimura");
    let rt = common::rt();
    rt.block_on(agent.create_case(json!({ "priority": "P1", "subject": "Site offline" })));
    let want = expected(&rt.block_on(agent.get("/v1/stats")).expect(200));
    assert_eq!(want[0], 1, "one open P1");
    wait_for_values(&board, &want, ACTION);
    assert!(
        board.exited().is_none(),
        "the kiosk board quit on a key\n{}",
        framed(&board.screen())
    );
    let screen = board.screen();
    assert!(screen.contains("[● now]"), "{}", framed(&screen));

    // Ctrl-Q quits with success and gives the terminal back.
    board.quit_restored("\x11", ACTION);
    let flags = board.local_flags();
    for flag in ["ICANON", "ECHO"] {
        assert!(
            flags.iter().any(|f| f == flag),
            "{flag} is off after the board quit: {flags:?}"
        );
    }
}

/// The "next" page on the demo's desk at 80×24: the soonest case not yet breached is the first
/// row (it used to be lost below a screenful of breaches), and the breached are counted in a
/// section of their own that starts with the most overdue — both as the server's case list has
/// them (whose deadlines leave out the RMA return clock: an overdue RMA is no desk breach).
#[test]
fn the_next_page_puts_what_breaches_next_first_at_80x24() {
    let server = Server::start_with(&["--demo"]);
    let viewer_token = server.token("viewer", "wall");
    let viewer = server.client(&viewer_token);
    let rt = common::rt();
    let list = rt.block_on(viewer.get("/v1/cases?limit=500")).expect(200);
    let now = chrono::Utc::now();
    let due = |c: &Value| {
        c["next_due"]
            .as_str()
            .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
            .map(|d| d.with_timezone(&chrono::Utc))
    };
    let mut open: Vec<&Value> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|c| {
            !matches!(c["status"].as_str(), Some("resolved" | "closed")) && due(c).is_some()
        })
        .collect();
    open.sort_by_key(|c| (due(c), c["priority"].as_str().map(str::to_string)));
    let breached = |c: &Value| c["breached"] == json!(true) || due(c).is_some_and(|d| d <= now);
    let soonest = open
        .iter()
        .find(|c| !breached(c))
        .expect("a case not yet breached");
    let worst = open.iter().find(|c| breached(c)).expect("a breached case");
    let n_breached = open.iter().filter(|c| breached(c)).count();
    assert!(n_breached > 3, "the demo has breaches to crowd the page");

    let board = Pty::casedesk_sized(
        &server.base,
        &viewer_token,
        &["wallboard", "--page", "next", "--rotate", "0"],
        80,
        24,
    );
    let screen = board.wait_for(&format!("({n_breached})"), FIRST_SCREEN);
    let lines: Vec<&str> = screen.lines().collect();
    let row = |needle: &str| lines.iter().position(|l| l.contains(needle));
    let up = row("Breaching next (").expect("the not-yet-breached section");
    let late = row("Breached — most overdue first (").expect("the breached section");
    let first = row(&common::number(soonest)).unwrap_or_else(|| {
        panic!(
            "the soonest case {} is not shown\n{}",
            common::number(soonest),
            framed(&screen)
        )
    });
    assert!(up < first && first < late, "{}", framed(&screen));
    // Its row is the first one of the section: header, blank line, row.
    assert_eq!(first, up + 3, "{}", framed(&screen));
    let worst_row = row(&common::number(worst)).expect("the most overdue case");
    assert_eq!(worst_row, late + 3, "{}", framed(&screen));
    assert!(
        lines[late].contains(&format!("({n_breached})")),
        "{}",
        framed(&screen)
    );
    assert!(screen.contains(" more"), "{}", framed(&screen));
}

/// `--page trend` on the demo's desk, with the viewer's token: the trend page is pinned and
/// shows `/v1/stats/trend` as the viewer reads it — this week's attainment of both clocks in
/// words and each of the 14 days' breaches.
#[test]
fn page_trend_pins_the_servers_trend() {
    use casedesk::api::reports::Trend;
    use casedesk::wallboard::trend;

    let server = Server::start_with(&["--demo"]);
    let viewer_token = server.token("viewer", "wall");
    let viewer = server.client(&viewer_token);
    let rt = common::rt();
    let body = rt.block_on(viewer.get("/v1/stats/trend")).expect(200);
    let figures: Trend = serde_json::from_value(body).expect("a trend");
    let clocks = trend::clocks(&figures);
    assert_eq!(clocks.len(), 2, "first response and next update");

    let board = wallboard(
        &server,
        &viewer_token,
        &["--page", "trend", "--rotate", "0"],
    );
    board.wait_for("[● trend]", FIRST_SCREEN);
    for c in &clocks {
        let said = match c.this_week.tenths {
            Some(t) => format!("this week {}", trend::percent(t)),
            None => "this week —".to_string(),
        };
        board.wait_for(&said, FIRST_SCREEN);
    }
    let screen = board.screen();
    assert!(screen.contains("(pinned)"), "{}", framed(&screen));
    let counts: Vec<String> = figures
        .breaches
        .iter()
        .map(|d| d.breaches.to_string())
        .collect();
    assert_eq!(counts.len(), 14, "{figures:?}");
    assert!(
        screen.lines().any(|l| {
            let row: Vec<&str> = l
                .trim_matches(|c| c == '│' || c == ' ')
                .split_whitespace()
                .collect();
            row == counts
        }),
        "the 14 days' breaches {counts:?}\n{}",
        framed(&screen)
    );
}
