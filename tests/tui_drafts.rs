//! Drafts that survive (issue 17 item 4): the real TUI in a pseudo-terminal against a real
//! `casedesk serve`, killed mid-sentence as a dropped SSH session (SIGHUP), a shutdown
//! (SIGTERM) or a bug (a panic) would kill it; started again on the same cache, the note editor
//! on that case holds the text. Sending the note removes the draft.

mod common;

use std::time::Duration;

use common::desk::Desk;
use common::pty::{Pty, Spawn, tui_env};
use common::{Server, open_cases};

/// How long the TUI may take to show its first synced queue (the CI machine is loaded).
const FIRST_SCREEN: Duration = Duration::from_secs(30);
/// How long a key, or a way out, may take to show.
const STEP: Duration = Duration::from_secs(15);

/// The screen's text on one line, so a wrapped line still matches.
fn flat(s: &vt100::Screen) -> String {
    s.contents()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The TUI on the desk's config and cache, with `extra` environment.
fn start(desk: &Desk, server: &Server, token: &str, extra: &[(&str, &str)]) -> Pty {
    let mut env = tui_env(&desk.dir, &server.base, token);
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Pty::spawn(Spawn {
        program: env!("CARGO_BIN_EXE_casedesk").into(),
        args: Vec::new(),
        env,
        cols: 120,
        rows: 40,
    })
}

/// Filters the queue down to `number` and opens its internal note editor.
fn open_editor(tui: &Pty, number: &str) {
    tui.wait_for(number, FIRST_SCREEN);
    tui.send("/");
    tui.send(number);
    tui.send("\r");
    // The queue's title ends in the filter and counts the one match: "(1/N) /NUMBER".
    tui.wait_until("the queue filtered to the case", STEP, |s| {
        let screen = s.contents();
        screen.contains(&format!(" /{number}"))
            && (screen.contains("(1/") || screen.contains("(1)"))
    });
    tui.send("i");
    tui.wait_for(&format!("Note on {number}"), STEP);
}

/// A desk with one open case on a fresh server.
fn desk() -> (Server, String, Desk, String) {
    let server = Server::start_with(&["--demo", "--demo-cases", "5"]);
    let token = server.token("agent", "kimura");
    let desk = Desk::new(&server.base, &token);
    let number = common::rt()
        .block_on(open_cases(&server, &token, 1))
        .remove(0);
    (server, token, desk, number)
}

#[test]
fn a_draft_survives_sighup_and_sigterm_and_sending_removes_it() {
    let (server, token, desk, number) = desk();

    // A dropped SSH session mid-sentence.
    let mut tui = start(&desk, &server, &token, &[]);
    open_editor(&tui, &number);
    tui.send("Rebooted the core switch and the");
    tui.wait_until("the typed text", STEP, |s| {
        flat(s).contains("Rebooted the core switch and the")
    });
    tui.signal("HUP");
    tui.wait_exit(STEP);

    let mut tui = start(&desk, &server, &token, &[]);
    open_editor(&tui, &number);
    tui.wait_until("the draft restored", STEP, |s| {
        let text = flat(s);
        text.contains("Rebooted the core switch and the") && text.contains("draft restored (saved ")
    });
    // Esc closes the editor and keeps the draft: reopened, the text is back.
    tui.send("\x1b");
    tui.wait_until("the editor closed", STEP, |s| {
        !flat(s).contains(&format!("Note on {number}"))
    });
    tui.send("i");
    tui.wait_until("the draft back after Esc", STEP, |s| {
        let text = flat(s);
        text.contains(&format!("Note on {number}"))
            && text.contains("Rebooted the core switch and the")
    });

    // A shutdown: what was typed since is kept too.
    tui.send(" uplink");
    tui.wait_until("the added text", STEP, |s| {
        flat(s).contains("and the uplink")
    });
    tui.signal("TERM");
    tui.wait_exit(STEP);

    let tui = start(&desk, &server, &token, &[]);
    open_editor(&tui, &number);
    tui.wait_until("the draft restored after SIGTERM", STEP, |s| {
        flat(s).contains("Rebooted the core switch and the uplink")
    });

    // Sent: no draft is left.
    tui.send("\x13");
    tui.wait_until("the note sent", STEP, |s| {
        !flat(s).contains(&format!("Note on {number}"))
    });
    tui.send(":drafts\r");
    tui.wait_until("no drafts left", STEP, |s| {
        flat(s).contains("no drafts: every note typed has been sent")
    });
    let notes = desk.run(&["cases", "show", &number, "--json"]).json();
    let bodies: Vec<&str> = notes["notes"]
        .as_array()
        .map(|n| n.iter().filter_map(|n| n["body"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        bodies.contains(&"Rebooted the core switch and the uplink"),
        "{bodies:?}"
    );
}

/// A bug's panic ends the TUI (exit 101, the terminal given back); the hook writes the text.
#[cfg(debug_assertions)]
#[test]
fn a_draft_survives_a_panic() {
    let (server, token, desk, number) = desk();
    let mut tui = start(&desk, &server, &token, &[("CASEDESK_TEST_PANIC", "1")]);
    open_editor(&tui, &number);
    tui.send("お客様に再起動を依頼し");
    tui.wait_until("the typed text", STEP, |s| {
        flat(s).contains("お客様に再起動を依頼し")
    });
    // F12 panics in a debug build with CASEDESK_TEST_PANIC set.
    tui.send("\x1b[24~");
    let status = tui.wait_exit(STEP);
    assert_eq!(status.exit_code(), 101, "the panic's exit");

    let tui = start(&desk, &server, &token, &[]);
    open_editor(&tui, &number);
    tui.wait_until("the draft restored after the panic", STEP, |s| {
        flat(s).contains("お客様に再起動を依頼し")
    });
}
