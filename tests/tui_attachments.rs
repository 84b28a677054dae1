//! Attachments in the TUI, in a pseudo-terminal against a real `casedesk serve`: a path that
//! is no file is refused in the `A` form naming it; a log attached through the form shows in
//! the timeline with its size and who added it; `F` lists it, Enter opens it in the viewer,
//! and a search finds the line that matters and counts it.

mod common;

use std::time::Duration;

use common::Server;
use common::pty::{Pty, framed};
use serde_json::json;

const FIRST_SCREEN: Duration = Duration::from_secs(30);
const ACTION: Duration = Duration::from_secs(15);
const CTRL_U: &str = "\x15";

#[test]
fn a_log_attached_from_the_form_is_in_the_timeline_listed_viewed_and_searched() {
    let server = Server::start();
    let token = server.token("agent", "kimura");
    let api = server.client(&token);
    let rt = common::rt();
    let case = rt.block_on(api.create_case(json!({ "subject": "Firewall drops VPN 東京" })));
    let number = common::number(&case);
    let dir = common::temp_dir("casedesk-attach");
    let log = dir.join("fw01-show-tech.log");
    let mut text = String::new();
    for i in 0..200 {
        text.push_str(&format!("{i:04} heartbeat ok\tpeer 203.0.113.7\n"));
    }
    text.push_str("0200 %LINK-3-UPDOWN: ge-0/0/1 changed state to down — 拠点間 VPN 切断\n");
    std::fs::write(&log, &text).unwrap();

    let tui = Pty::casedesk_sized(&server.base, &token, &[], 120, 40);
    tui.wait_for("Firewall drops VPN", FIRST_SCREEN);
    tui.wait_for("● online", ACTION);

    // The form starts in the directory the TUI was started in.
    tui.send("A");
    let screen = tui.wait_for("Attach a file to", ACTION);
    // The PTY helper starts the TUI in the temp directory (its HOME is a directory beneath
    // it): the field holds exactly that directory and a slash, nothing after.
    let start = format!(
        "{}/",
        std::env::temp_dir()
            .display()
            .to_string()
            .trim_end_matches('/')
    );
    let prefilled = screen.lines().any(|line| {
        line.match_indices(&start).any(|(at, _)| {
            line[at + start.len()..]
                .chars()
                .next()
                .is_none_or(|c| c == ' ' || c == '│' || c == '┃')
        })
    });
    assert!(prefilled, "{start} pre-filled:\n{}", framed(&screen));

    // A path that is not there is refused before anything is sent, naming it and why.
    let missing = dir.join("missing.log").display().to_string();
    tui.send(CTRL_U);
    tui.send(&missing);
    tui.send("\r\r");
    let screen = tui.wait_for("no such file", ACTION);
    assert!(
        screen.contains(&format!("cannot attach {missing}")),
        "{}",
        framed(&screen)
    );

    // The real file: uploaded, said with its size, and in the timeline.
    tui.send(CTRL_U);
    tui.send(&log.display().to_string());
    tui.send("\r\r");
    let size = text.len() as f64 / 1024.0;
    let said = format!("attached fw01-show-tech.log ({size:.1} KiB) to {number}");
    tui.wait_for(&said, ACTION);
    let entry = format!("[FILE] kimura: fw01-show-tech.log ({size:.1} KiB, text/plain");
    tui.wait_for(&entry, ACTION);
    let on_server = rt.block_on(api.case(&number));
    let files = on_server["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{on_server:#}");
    assert_eq!(files[0]["name"], "fw01-show-tech.log");
    assert_eq!(files[0]["size"], text.len() as u64);

    // The files list, the viewer, a search.
    tui.send("F");
    let screen = tui.wait_for(&format!("Files — {number} (1)"), ACTION);
    assert!(screen.contains("kimura"), "{}", framed(&screen));
    tui.send("\r");
    tui.wait_for("fw01-show-tech.log — 1–", ACTION);
    tui.send("/updown\r");
    let screen = tui.wait_for("/updown  1/1", ACTION);
    let hit = screen
        .lines()
        .find(|l| l.contains("%LINK-3-UPDOWN"))
        .unwrap_or_else(|| panic!("the hit is on screen:\n{}", framed(&screen)));
    assert!(
        hit.contains("201 0200 %LINK-3-UPDOWN"),
        "{}",
        framed(&screen)
    );
    assert!(hit.contains("拠点間 VPN 切断"), "{}", framed(&screen));
    // Tabs became spaces up to their 8-column stop ("0166 heartbeat ok" is 17 wide).
    assert!(
        screen.contains("heartbeat ok       peer"),
        "{}",
        framed(&screen)
    );
    // Esc goes back to the list, and again to the case.
    tui.send("\x1b");
    tui.wait_for(&format!("Files — {number} (1)"), ACTION);
}
