//! The real `casedesk` TUI in a pseudo-terminal against a real `casedesk serve`: keys are typed
//! into the terminal, the screen is parsed with `vt100`, and what the TUI did is checked through
//! the server's API, in the raw bytes it wrote, and in the terminal's mode after it ended.

mod common;

use std::time::{Duration, Instant};

use common::Server;
use common::hostile::{HOSTILE, assert_raw_clean};
use common::pty::{Pty, framed};
use serde_json::{Value, json};

/// How long the TUI may take to show its first synced queue.
const FIRST_SCREEN: Duration = Duration::from_secs(30);
/// How long an action may take to show its outcome.
const ACTION: Duration = Duration::from_secs(15);

const ENTER: &str = "\r";
const ESC: &str = "\x1b";
const CTRL_S: &str = "\x13";

/// A server without demo data, an agent's token and a client using it.
fn server() -> (Server, String, common::Api) {
    let server = Server::start();
    let token = server.token("agent", "kimura");
    let api = server.client(&token);
    (server, token, api)
}

/// The screen's row `n` as text.
fn row(pty: &Pty, n: u16) -> String {
    pty.with_screen(|s| {
        let (_, cols) = s.size();
        s.contents_between(n, 0, n, cols.get())
    })
}

/// Asserts the TUI shows its layout: the queue's frame at the top, the status bar at the bottom.
#[track_caller]
fn assert_layout_intact(pty: &Pty) {
    let (rows, screen) = pty.with_screen(|s| (s.size().0.get(), s.contents()));
    let top = row(pty, 0);
    assert!(
        (top.starts_with('┌') || top.starts_with('┏')) && top.contains("Queue — 7 All open"),
        "the queue's frame starts the first row: {top:?}\n{}",
        framed(&screen)
    );
    assert!(
        top.trim_end().ends_with('┐') || top.trim_end().ends_with('┓'),
        "the queue's frame ends the first row: {top:?}\n{}",
        framed(&screen)
    );
    let bottom = row(pty, rows - 1);
    assert!(
        bottom.contains("online") || bottom.contains("OFFLINE"),
        "the status bar is the last row: {bottom:?}\n{}",
        framed(&screen)
    );
}

/// Notes on a case with this body.
fn notes_with(case: &Value, body: &str) -> Vec<Value> {
    case["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter(|n| n["body"] == body)
        .cloned()
        .collect()
}

#[test]
fn filter_open_note_escalate_reach_the_server() {
    let (server, token, api) = server();
    let rt = common::rt();
    let kiwi = rt.block_on(async {
        api.create_case(json!({ "subject": "Router drops BGP sessions at night" }))
            .await;
        let kiwi = api
            .create_case(json!({ "subject": "Unique kiwi outage 東京", "priority": "P2" }))
            .await;
        api.create_case(json!({ "subject": "Fan alarm on chassis 3", "priority": "P4" }))
            .await;
        api.create_case(json!({ "subject": "License expired on the spare" }))
            .await;
        kiwi
    });
    let number = common::number(&kiwi);

    let mut tui = Pty::casedesk(&server.base, &token, &[]);
    tui.wait_for("All open (4)", FIRST_SCREEN);
    tui.wait_for("Unique kiwi outage 東京", ACTION);
    tui.wait_for("● online", ACTION);

    // A live filter that matches nothing; Esc clears it.
    tui.send("/zzz");
    tui.wait_for("All open (0/4) /zzz", ACTION);
    tui.send(ESC);
    tui.wait_until("the filter cleared", ACTION, |s| {
        let text = s.contents();
        text.contains("All open (4)") && !text.contains("/filter")
    });

    // A live filter: the title counts what matches while typing.
    tui.send("/kiwi");
    tui.wait_for("All open (1/4) /kiwi", ACTION);
    let screen = tui.wait_for("/filter kiwi", ACTION);
    assert!(
        !screen.contains("Fan alarm") && !screen.contains("Router drops"),
        "only the matching case is listed:\n{}",
        framed(&screen)
    );
    // Enter keeps the filter and leaves the filter line.
    tui.send(ENTER);
    tui.wait_until("the filter line closed", ACTION, |s| {
        !s.contents().contains("/filter kiwi")
    });
    tui.wait_for("All open (1/4) /kiwi", ACTION);

    // Enter opens the case: the detail pane has the focus.
    tui.send(ENTER);
    tui.wait_for(&format!("▶ Case {number}"), ACTION);
    tui.wait_for("Unique kiwi outage 東京", ACTION);

    // An internal note, sent with Ctrl-S.
    tui.send("i");
    tui.wait_for(&format!("Note on {number}"), ACTION);
    let note = "Rebooted the kiwi gateway 再起動";
    tui.send(note);
    tui.wait_for(note, ACTION);
    tui.send(CTRL_S);
    tui.wait_for(
        &format!("{number}: internal note \"{note}\" — saved"),
        ACTION,
    );

    // The first escalation option, from the escalation pane.
    tui.send("e");
    tui.wait_for("▶ Escalate", ACTION);
    tui.wait_for("> 1. Faster technical progress", ACTION);
    tui.send(ENTER);
    tui.wait_for(&format!("Faster technical progress — {number}"), ACTION);
    tui.send("Customer waited three days");
    tui.send(ENTER);
    tui.send("for a fix");
    tui.wait_for("for a fix", ACTION);
    tui.send(CTRL_S);
    tui.wait_for(
        &format!("{number}: escalation Faster technical progress — saved"),
        ACTION,
    );

    // The server has both.
    let case = rt.block_on(api.case(&number));
    let notes = notes_with(&case, note);
    assert_eq!(notes.len(), 1, "one note with the text: {case:#}");
    assert_eq!(notes[0]["visibility"], "internal", "{:#}", notes[0]);
    let escalations = case["escalations"].as_array().expect("escalations");
    assert_eq!(escalations.len(), 1, "{case:#}");
    assert_eq!(escalations[0]["kind"], "faster_progress", "{case:#}");
    assert_eq!(
        escalations[0]["reason"], "Customer waited three days\nfor a fix",
        "the reason keeps its lines: {case:#}"
    );

    // q quits with success and gives the terminal back.
    tui.quit_restored("q", ACTION);
}

#[test]
fn hostile_text_does_not_reach_the_terminal() {
    let (server, token, api) = server();
    let rt = common::rt();
    let case = rt.block_on(async {
        let case = api
            .create_case(json!({
                "subject": format!("Hostile subject {HOSTILE} end"),
                "description": format!("Hostile description {HOSTILE} end"),
            }))
            .await;
        api.note(
            &common::number(&case),
            &format!("Hostile note {HOSTILE}\nsecond line {HOSTILE}"),
            "public",
        )
        .await;
        case
    });
    let number = common::number(&case);
    // The server keeps what it was sent (it is the client's job to draw it safely).
    let stored = rt.block_on(api.case(&number));
    assert!(
        stored["subject"]
            .as_str()
            .is_some_and(|s| s.contains("\x1b]52")),
        "the server stored the escapes as sent: {stored:#}"
    );

    let mut tui = Pty::casedesk(&server.base, &token, &[]);
    tui.wait_for("All open (1)", FIRST_SCREEN);
    tui.wait_for("Hostile subject", ACTION);
    tui.send(ENTER);
    tui.wait_for(&format!("▶ Case {number}"), ACTION);
    tui.wait_for("Hostile description", ACTION);
    let screen = tui.wait_for("Hostile note", ACTION);
    assert!(
        screen.contains("second line"),
        "the note's second line:\n{}",
        framed(&screen)
    );
    tui.settle(Duration::from_millis(300));

    // The text is shown as inert characters…
    assert!(
        screen.contains("]0;PWNED") || screen.contains("PWNED"),
        "the escape's printable rest is shown as text:\n{}",
        framed(&screen)
    );
    // …and the layout survived it.
    assert_layout_intact(&tui);

    // Nothing the text carried reached the terminal as a sequence.
    tui.with_seen(|seen| {
        assert!(
            seen.titles.is_empty(),
            "window title set: {:?}",
            seen.titles
        );
        assert!(
            seen.icon_names.is_empty(),
            "icon name set: {:?}",
            seen.icon_names
        );
        assert!(
            seen.clipboard.is_empty(),
            "clipboard written: {:?}",
            seen.clipboard
        );
        assert_eq!(seen.bells, 0, "the bell rang");
        assert!(
            seen.other_osc.is_empty(),
            "OSC sequences: {:?}",
            seen.other_osc
        );
    });
    assert_raw_clean(&tui.raw());

    tui.send("q");
    assert!(tui.wait_exit(ACTION).success());
}

/// Starts the TUI, waits for its queue, signals it and checks the terminal it leaves.
fn signal_restores_the_terminal(signal: &str) {
    let (server, token, api) = server();
    let rt = common::rt();
    rt.block_on(api.create_case(json!({ "subject": "Signals are handled" })));

    let mut tui = Pty::casedesk(&server.base, &token, &[]);
    tui.wait_for("Signals are handled", FIRST_SCREEN);
    tui.wait_for("● online", ACTION);
    // Taken over: alternate screen, hidden cursor, bracketed paste, raw mode.
    tui.with_screen(|s| {
        assert!(s.alternate_screen(), "on the alternate screen");
        assert!(s.hide_cursor(), "the cursor hidden");
        assert!(s.bracketed_paste(), "bracketed paste on");
    });
    let flags = tui.local_flags();
    assert!(
        !flags.iter().any(|f| f == "ICANON" || f == "ECHO"),
        "raw mode while running: {flags:?}"
    );

    tui.signal(signal);
    let status = tui.wait_exit(ACTION);
    let screen = tui.screen();
    assert!(
        status.signal().is_none(),
        "SIG{signal} is handled, not fatal: {status}\n{}",
        framed(&screen)
    );
    tui.with_screen(|s| {
        assert!(
            !s.alternate_screen(),
            "after SIG{signal}: still on the alternate screen\n{}",
            framed(&screen)
        );
        assert!(!s.hide_cursor(), "after SIG{signal}: the cursor is hidden");
        assert!(
            !s.bracketed_paste(),
            "after SIG{signal}: bracketed paste still on"
        );
        assert_eq!(
            s.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "after SIG{signal}: mouse reporting left on"
        );
    });
    let flags = tui.local_flags();
    for flag in ["ICANON", "ECHO", "ISIG", "IEXTEN"] {
        assert!(
            flags.iter().any(|f| f == flag),
            "after SIG{signal}: {flag} is off (not cooked mode): {flags:?}"
        );
    }

    // What a shell would see next on that terminal: `stty -a` in the same terminal.
    let before = tui.raw().len();
    tui.spawn_again("stty", &["-a"]);
    let status = tui.wait_exit(ACTION);
    assert!(status.success(), "stty -a: {status}");
    let raw = tui.raw();
    let out = String::from_utf8_lossy(&raw[before..]).into_owned();
    let words: Vec<&str> = out
        .split(|c: char| c.is_whitespace() || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    for mode in ["icanon", "echo", "isig", "icrnl", "opost"] {
        assert!(
            words.contains(&mode),
            "after SIG{signal}: stty shows -{mode}:\n{out}"
        );
    }
}

#[test]
fn sigterm_restores_the_terminal() {
    signal_restores_the_terminal("TERM");
}

#[test]
fn sighup_restores_the_terminal() {
    signal_restores_the_terminal("HUP");
}

#[test]
fn server_stop_goes_offline_and_back() {
    let (mut server, token, api) = server();
    let rt = common::rt();
    rt.block_on(async {
        api.create_case(json!({ "subject": "Cached while the server is gone" }))
            .await;
        api.create_case(json!({ "subject": "Second cached case", "priority": "P2" }))
            .await;
    });

    let tui = Pty::casedesk(&server.base, &token, &[]);
    tui.wait_for("All open (2)", FIRST_SCREEN);
    tui.wait_for("● online", ACTION);

    let status = server.stop();
    assert!(status.success(), "the server stopped cleanly: {status}");
    let stopped = Instant::now();
    let screen = tui.wait_for("○ OFFLINE since", Duration::from_secs(30));
    let went_offline = stopped.elapsed();
    // The subject column is cut to the window, so only the subject's start is looked for.
    for text in [
        "All open (2)",
        "Cached while the server",
        "Second cached case",
    ] {
        assert!(
            screen.contains(text),
            "offline, the cached queue still shows {text:?}:\n{}",
            framed(&screen)
        );
    }
    let bottom = row(&tui, 39);
    assert!(
        bottom.contains("OFFLINE"),
        "the status bar says OFFLINE: {bottom:?}"
    );

    server.start_again_on_the_same_port();
    let restarted = Instant::now();
    // The client backs off while the server is gone (up to a minute between tries).
    let screen = tui.wait_for("● online", Duration::from_secs(90));
    let back = restarted.elapsed();
    assert!(
        !screen.contains("OFFLINE"),
        "online again and no longer OFFLINE:\n{}",
        framed(&screen)
    );
    assert!(screen.contains("Cached while the server"));
    eprintln!("offline after {went_offline:?}; online again {back:?} after the restart");
}

#[test]
fn an_rma_moves_from_issued_to_closed_from_the_rma_list() {
    const RIGHT: &str = "\x1b[C";
    let (server, token, api) = server();
    let rt = common::rt();
    let (number, rma) = rt.block_on(async {
        let case = api
            .create_case(json!({ "subject": "PSU failed on the core switch", "serial_number": "FOC9999Z0ZZ" }))
            .await;
        let n = common::number(&case);
        let rma = api
            .create_rma(&n, json!({ "part_number": "PWR-C1-350WAC" }))
            .await;
        (n, rma["number"].as_str().expect("an RMA number").to_string())
    });

    let mut tui = Pty::casedesk(&server.base, &token, &[]);
    tui.wait_for("All open (1)", FIRST_SCREEN);
    tui.wait_for("● online", ACTION);
    tui.send(":");
    tui.send("rmas");
    tui.send(ENTER);
    tui.wait_for("RMAs (1)", ACTION);
    tui.wait_for(
        "m move · / filter · s sort · Enter open case · Esc close",
        ACTION,
    );

    // Issued → replacement shipped: the first choice, as offered.
    tui.send("m");
    tui.wait_for(&format!("Move RMA {rma} (now Issued)"), ACTION);
    let screen = tui.wait_for("Move to · return due", ACTION);
    assert!(
        !screen.contains("[Requested]") && !screen.contains(" Requested "),
        "no move backwards is offered:\n{}",
        framed(&screen)
    );
    tui.send(CTRL_S);
    tui.wait_for(&format!("{rma}: Issued → Replacement shipped"), ACTION);
    tui.wait_for("RMAs (1)", ACTION);

    // → defective received, with a failure analysis asked for in the same form.
    tui.send("m");
    tui.wait_for("(now Replacement shipped)", ACTION);
    tui.send("\t");
    tui.send(RIGHT);
    tui.send(RIGHT);
    tui.wait_for("[Failure analysis (15 days)]", ACTION);
    tui.send(CTRL_S);
    tui.wait_for(
        &format!(
            "{rma}: Replacement shipped → Defective received · analysis Failure analysis (15 days) (result due"
        ),
        ACTION,
    );

    // → closed; then it moves no more.
    tui.send("m");
    let screen = tui.wait_for("(now Defective received)", ACTION);
    assert!(
        screen.contains("Analysis request · result due"),
        "the analysis due date is in the form:\n{}",
        framed(&screen)
    );
    tui.send(CTRL_S);
    tui.wait_for(&format!("{rma}: Defective received → Closed"), ACTION);
    tui.wait_for("RMAs (1)", ACTION);
    tui.send("m");
    tui.wait_for(&format!("{rma} (Closed) moves no more"), ACTION);

    // The server has every step: the receipt, the analysis due 15 days after it, the timeline.
    let (got, case) = rt.block_on(async {
        let got = api.get(&format!("/v1/rmas/{rma}")).await.expect(200);
        (got, api.case(&number).await)
    });
    assert_eq!(got["status"], "closed", "{got:#}");
    assert_eq!(got["analysis"], "failure_analysis", "{got:#}");
    let at = |v: &Value| {
        chrono::DateTime::parse_from_rfc3339(v.as_str().expect("an instant")).expect("RFC 3339")
    };
    assert_eq!(
        at(&got["analysis_due"]) - at(&got["received_at"]),
        chrono::Duration::days(15)
    );
    let history = case["history"].to_string();
    for step in [
        "issued → replacement_shipped",
        "replacement_shipped → defective_received",
        "defective_received → closed",
    ] {
        assert!(
            history.contains(&format!("RMA {rma} {step}")),
            "{step} in {history}"
        );
    }

    tui.send(ESC);
    tui.wait_until("the list closed", ACTION, |s| {
        !s.contents().contains("RMAs (1)")
    });
    tui.quit_restored("q", ACTION);
}

/// Frames written (each opens synchronized output once) in `bytes`.
fn frames_in(bytes: &[u8]) -> usize {
    const BEGIN: &[u8] = b"\x1b[?2026h";
    bytes.windows(BEGIN.len()).filter(|w| *w == BEGIN).count()
}

#[test]
fn a_burst_of_keys_is_drawn_once_and_ends_on_the_row_it_leads_to() {
    const CASES: usize = 45;
    const KEYS: usize = 30;
    let (server, token, api) = server();
    let rt = common::rt();
    // Same priority and tier: the queue (next due, then number) shows them in this order.
    let numbers: Vec<String> = rt.block_on(async {
        let mut numbers = Vec::with_capacity(CASES);
        for i in 0..CASES {
            let case = api
                .create_case(json!({
                    "subject": format!("Burst case {i:02}"),
                    "description": format!("Described burst {i:02}"),
                }))
                .await;
            numbers.push(common::number(&case));
        }
        numbers
    });

    // 120×40: the wide layout, where every move loads the selected case's detail.
    let mut tui = Pty::casedesk(&server.base, &token, &[]);
    tui.wait_for(&format!("All open ({CASES})"), FIRST_SCREEN);
    tui.wait_for(&format!("Case {}", numbers[0]), ACTION);
    tui.settle(Duration::from_millis(500));
    let before = tui.raw().len();

    // A held key's repeats arriving together: one write.
    tui.send(&"j".repeat(KEYS));
    let target = &numbers[KEYS];
    // The last case's detail arrives: the loads the burst asked for end with the newest.
    let screen = tui.wait_until(
        &format!("the selection on {target} and its detail shown"),
        ACTION,
        |s| {
            let text = s.contents();
            text.contains(&format!("Case {target}"))
                && text.contains(&format!("Described burst {KEYS:02}"))
                && text
                    .lines()
                    .any(|l| l.starts_with("┃>") && l.contains(target.as_str()))
        },
    );
    tui.settle(Duration::from_millis(500));
    assert!(
        screen.contains(&format!("Burst case {KEYS:02}")),
        "the selected row is the {KEYS}th case below the first:\n{}",
        framed(&screen)
    );
    let after = tui.screen();
    assert!(
        after
            .lines()
            .any(|l| l.starts_with("┃>") && l.contains(target.as_str())),
        "the selection stayed where the keys led:\n{}",
        framed(&after)
    );
    // One frame for the keys, and a few for the detail arriving; one per key before.
    let frames = frames_in(&tui.raw()[before..]);
    assert!(
        frames < KEYS / 3,
        "{KEYS} keys in one write took {frames} frames; the screen:\n{}",
        framed(&screen)
    );

    tui.send("q");
    assert!(tui.wait_exit(ACTION).success());
}
