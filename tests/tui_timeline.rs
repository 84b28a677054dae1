//! A case opens on what happened last (issue 11, item 6), with the real `casedesk` TUI in a
//! pseudo-terminal against a real `casedesk serve`: what another person adds to a case through
//! the API is on screen, marked new, as soon as the case is opened — in a later run of the TUI,
//! since what was last seen is kept in the cache — and again when it arrives while the case is
//! open.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::Server;
use common::pty::{Pty, Spawn, framed, tui_env};
use serde_json::json;

/// How long the TUI may take to show its first synced queue.
const FIRST_SCREEN: Duration = Duration::from_secs(30);
/// How long something may take to show.
const ACTION: Duration = Duration::from_secs(15);

const ENTER: &str = "\r";

/// The TUI at 140×45 (where the issue was seen) on `home`, which outlives it.
fn tui(home: &std::path::Path, server: &Server, token: &str) -> Pty {
    Pty::spawn(Spawn {
        program: PathBuf::from(env!("CARGO_BIN_EXE_casedesk")),
        args: Vec::new(),
        env: tui_env(home, &server.base, token),
        cols: 140,
        rows: 45,
    })
}

/// The screen's line holding `needle`, or a failure showing the screen.
#[track_caller]
fn line_with(screen: &str, needle: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .map(str::to_string)
        .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{}", framed(screen)))
}

#[test]
fn a_note_from_someone_else_is_on_screen_and_new_when_the_case_opens() {
    let server = Server::start();
    let me = server.token("agent", "kimura");
    let other = server.client(&server.token("agent", "suzuki"));
    let rt = common::rt();
    let case = rt.block_on(other.create_case(json!({ "subject": "Timeline probe 東京" })));
    let number = common::number(&case);
    // A long timeline, so the oldest entries alone would fill the pane.
    rt.block_on(async {
        for i in 1..=12 {
            other
                .note(
                    &number,
                    &format!("Older note {i}\nwith a second line"),
                    "internal",
                )
                .await;
        }
    });
    let home = common::temp_dir("casedesk-timeline");

    // First run: the case was never opened here, so nothing is new; opening it records it.
    let mut first = tui(&home, &server, &me);
    first.wait_for("Timeline probe 東京", FIRST_SCREEN);
    first.wait_for("● online", ACTION);
    first.send(ENTER);
    first.wait_for(&format!("▶ Case {number}"), ACTION);
    let screen = first.wait_for("Older note 12", ACTION);
    assert!(
        !screen.contains("● new"),
        "a case never opened marks nothing:\n{}",
        framed(&screen)
    );
    first.settle(Duration::from_millis(500));
    first.quit_restored("q", ACTION);
    drop(first);

    // Someone else adds a note while the TUI is closed.
    let reply = "Customer sent the capture 再送";
    rt.block_on(other.note(&number, reply, "public"));

    // Second run on the same cache: opening the case shows the note at once, marked new.
    let mut second = tui(&home, &server, &me);
    second.wait_for("Timeline probe 東京", FIRST_SCREEN);
    second.wait_for("● online", ACTION);
    second.send(ENTER);
    second.wait_for(&format!("▶ Case {number}"), ACTION);
    let screen = second.wait_for(reply, ACTION);
    let screen = if screen.contains("● new") {
        screen
    } else {
        second.wait_for("● new", ACTION)
    };
    // The reply and the status change it made (a first response opens the case) are new;
    // the notes seen in the first run are not.
    assert!(
        line_with(&screen, "[PUBLIC] suzuki").contains("● new"),
        "the new note's label is marked:\n{}",
        framed(&screen)
    );
    assert!(
        line_with(&screen, "── Timeline").contains("· 2 new ──"),
        "{}",
        framed(&screen)
    );
    for line in screen.lines().filter(|l| l.contains("[INTERNAL] suzuki")) {
        assert!(!line.contains("● new"), "{line:?}\n{}", framed(&screen));
    }

    // Another note arrives while the case is open: it shows at once, marked new too (newest
    // first, so its label is the first internal one).
    let later = "Reboot scheduled tonight 今夜再起動";
    rt.block_on(other.note(&number, later, "internal"));
    second.wait_for(later, ACTION);
    let screen = second.wait_for("· 3 new ──", ACTION);
    assert!(
        line_with(&screen, "[INTERNAL] suzuki").contains("● new") && screen.contains(reply),
        "{}",
        framed(&screen)
    );
    second.quit_restored("q", ACTION);
    drop(second);
    let _ = std::fs::remove_dir_all(&home);
}
