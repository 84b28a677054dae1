//! Copying a case number and quitting with changes unsent, in a pseudo-terminal against a real
//! `casedesk serve`: `y` writes the OSC 52 sequence with the number (and nothing when the config
//! turns copying off), and `q` with a note waiting in the outbox says so and asks once.

mod common;

use std::path::Path;
use std::time::Duration;

use base64::Engine;
use common::Server;
use common::pty::{Pty, Spawn, framed, tui_env};

const FIRST_SCREEN: Duration = Duration::from_secs(30);
const ACTION: Duration = Duration::from_secs(15);
const CTRL_S: &str = "\x13";

/// The OSC 52 sequence asking the terminal to copy `text`.
fn osc52(text: &str) -> Vec<u8> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\x1b]52;c;{encoded}\x07").into_bytes()
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The TUI on a private home whose config says `config`.
fn tui_with_config(server: &str, token: &str, config: &str) -> Pty {
    let home = common::temp_dir("casedesk-clip");
    let dir = Path::new(&home).join("config").join("casedesk");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), config).unwrap();
    let mut pty = Pty::spawn(Spawn {
        program: env!("CARGO_BIN_EXE_casedesk").into(),
        args: Vec::new(),
        env: tui_env(&home, server, token),
        cols: 120,
        rows: 40,
    });
    pty.home = Some(home);
    pty
}

#[test]
fn y_copies_the_case_number_by_osc_52_unless_turned_off() {
    let server = Server::start();
    let token = server.token("agent", "kimura");
    let rt = common::rt();
    let api = server.client(&token);
    let case = rt.block_on(api.create_case(serde_json::json!({"subject": "Copy me please"})));
    let number = case["number"].as_str().unwrap().to_string();

    let mut tui = Pty::casedesk(&server.base, &token, &[]);
    tui.wait_for("Copy me please", FIRST_SCREEN);
    assert!(!holds(&tui.raw(), b"\x1b]52;"), "nothing copied before y");
    tui.send("y");
    tui.wait_for(&format!("copied {number} to the clipboard"), ACTION);
    tui.settle(Duration::from_millis(200));
    assert!(
        holds(&tui.raw(), &osc52(&number)),
        "the OSC 52 sequence with the case number was written"
    );
    tui.quit_restored("q", ACTION);

    let mut tui = tui_with_config(&server.base, &token, "[tui]\nclipboard = false\n");
    tui.wait_for("Copy me please", FIRST_SCREEN);
    tui.send("y");
    tui.wait_for("copying is off", ACTION);
    tui.settle(Duration::from_millis(200));
    assert!(!holds(&tui.raw(), b"\x1b]52;"), "nothing copied when off");
    tui.quit_restored("q", ACTION);
}

#[test]
fn q_with_a_change_in_the_outbox_says_how_many_and_asks_once() {
    let mut server = Server::start();
    let token = server.token("agent", "kimura");
    let rt = common::rt();
    let api = server.client(&token);
    let case = rt.block_on(api.create_case(serde_json::json!({"subject": "Unsent note case"})));
    let number = case["number"].as_str().unwrap().to_string();

    let mut tui = Pty::casedesk(&server.base, &token, &[]);
    tui.wait_for("Unsent note case", FIRST_SCREEN);
    tui.wait_for("● online", ACTION);
    server.stop();
    tui.send("r");
    tui.wait_for("OFFLINE", Duration::from_secs(60));
    tui.send("i");
    tui.wait_for(&format!("Note on {number}"), ACTION);
    tui.send("Called back, no answer");
    tui.send(CTRL_S);
    tui.wait_for("queued as #", ACTION);

    tui.send("q");
    let screen = tui.wait_for("1 change not sent yet", ACTION);
    assert!(
        screen.contains("q again to quit; they stay in the outbox"),
        "{}",
        framed(&screen)
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(tui.exited().is_none(), "the first q does not quit");
    // The second quits, and the terminal is given back.
    tui.quit_restored("q", ACTION);
}
