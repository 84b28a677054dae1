//! Alerts in a pseudo-terminal against a real `casedesk serve`: a P1 opened over the API while
//! the TUI runs reaches the byte stream as BEL, OSC 9 and OSC 777 with the case number — once,
//! however many syncs follow — and the alert list shows it; with `--no-alerts` nothing rings.

mod common;

use std::time::{Duration, Instant};

use common::Server;
use common::pty::{Pty, framed};

const FIRST_SCREEN: Duration = Duration::from_secs(30);
const ACTION: Duration = Duration::from_secs(20);

/// How often `needle` occurs in `haystack`.
fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

/// Waits until the raw bytes hold `needle`; panics with the screen after `timeout`.
#[track_caller]
fn wait_for_bytes(tui: &Pty, needle: &[u8], timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while count(&tui.raw(), needle) == 0 {
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {:?}; the screen:\n{}",
            String::from_utf8_lossy(needle),
            framed(&tui.screen())
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[test]
fn a_new_p1_rings_and_notifies_once_and_no_alerts_keeps_quiet() {
    let server = Server::start();
    let me = server.token("agent", "kimura");
    let rt = common::rt();
    let dispatcher = server.client(&server.token("agent", "sato"));
    rt.block_on(dispatcher.create_case(serde_json::json!({"subject": "Printer queue stuck"})));

    let mut tui = Pty::casedesk(&server.base, &me, &[]);
    tui.wait_for("Printer queue stuck", FIRST_SCREEN);
    tui.settle(Duration::from_millis(300));
    let before = tui.raw();
    assert_eq!(count(&before, b"\x1b]9;"), 0, "no alert on the first load");
    assert_eq!(tui.with_seen(|s| s.bells), 0, "no bell on the first load");

    let p1 = rt.block_on(
        dispatcher
            .create_case(serde_json::json!({"subject": "Core router down", "priority": "P1"})),
    );
    let number = p1["number"].as_str().expect("a case number").to_string();
    let body = format!("new P1: {number} Core router down");
    let osc9 = format!("\x1b]9;{body}\x07");
    let osc777 = format!("\x1b]777;notify;casedesk;{body}\x07");
    wait_for_bytes(&tui, osc777.as_bytes(), ACTION);
    tui.wait_for(&format!("!! {body}"), ACTION);
    let raw = tui.raw();
    assert_eq!(
        count(&raw, osc9.as_bytes()),
        1,
        "OSC 9 with the case number"
    );
    assert_eq!(
        count(&raw, osc777.as_bytes()),
        1,
        "OSC 777 with the case number"
    );
    let bell_then_osc = format!("\x07{osc9}{osc777}");
    assert_eq!(
        count(&raw, bell_then_osc.as_bytes()),
        1,
        "BEL, then OSC 9, then OSC 777, together between frames"
    );
    assert_eq!(tui.with_seen(|s| s.bells), 1, "one bell");

    // More syncs: the P1 changes, another case arrives. Nothing new of that kind.
    rt.block_on(dispatcher.note(&number, "Looking at it now.", "public"));
    rt.block_on(dispatcher.create_case(serde_json::json!({"subject": "Fan noise on rack 4"})));
    tui.wait_for("Fan noise on rack 4", ACTION);
    tui.settle(Duration::from_millis(500));
    let raw = tui.raw();
    assert_eq!(count(&raw, b"\x1b]9;"), 1, "no second OSC 9");
    assert_eq!(count(&raw, b"\x1b]777;"), 1, "no second OSC 777");
    assert_eq!(tui.with_seen(|s| s.bells), 1, "no second bell");

    // The list of this session's alerts.
    tui.send("!");
    tui.wait_for("Alerts this session (1)", ACTION);
    let screen = tui.screen();
    assert!(
        screen.contains(&number),
        "the list names the case:\n{screen}"
    );
    tui.send("\x1b");
    // Esc then q at once would read as Alt-q: the list closes first.
    tui.wait_until("the alert list closed", ACTION, |s| {
        !s.contents().contains("Alerts this session")
    });
    tui.quit_restored("q", ACTION);

    // --no-alerts: the same news rings nothing.
    let mut quiet = Pty::casedesk(&server.base, &me, &["--no-alerts"]);
    quiet.wait_for("Fan noise on rack 4", FIRST_SCREEN);
    rt.block_on(
        dispatcher.create_case(
            serde_json::json!({"subject": "Second core router down", "priority": "P1"}),
        ),
    );
    quiet.wait_for("Second core router down", ACTION);
    quiet.settle(Duration::from_millis(500));
    let raw = quiet.raw();
    assert_eq!(count(&raw, b"\x1b]9;"), 0, "no OSC 9 with --no-alerts");
    assert_eq!(count(&raw, b"\x1b]777;"), 0, "no OSC 777 with --no-alerts");
    assert_eq!(quiet.with_seen(|s| s.bells), 0, "no bell with --no-alerts");
    quiet.quit_restored("q", ACTION);
}
