//! README promises of `casedesk demo` and the wallboard's config, end to end in a pseudo-
//! terminal: the demo opens the TUI on its own server as tanaka and quitting removes its
//! temporary files; `--role lead` signs in as yamamoto with a lead's keys; `--wallboard` shows the
//! board; and `[wallboard]` rotate / quit / thresholds are read from a real config file.
//!
//! `CASEDESK_PTY_TRACE=1` prints the screens waited for.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::Server;
use common::pty::{Pty, Spawn, framed, tui_env};
use serde_json::json;

const FIRST_SCREEN: Duration = Duration::from_secs(60);
const ACTION: Duration = Duration::from_secs(15);

/// `casedesk ARGS` in a 120×40 pty on a private home that is also its `TMPDIR`, with
/// `config` as its `config.toml`, without server or token in the environment unless given.
fn start(args: &[&str], config: &str, server: Option<(&str, &str)>) -> Pty {
    let home = common::temp_dir("casedesk-readme-demo");
    let dir = home.join("config").join("casedesk");
    std::fs::create_dir_all(&dir).expect("the config directory");
    std::fs::write(dir.join("config.toml"), config).expect("write config.toml");
    let (base, token) = server.unwrap_or(("", ""));
    let mut env: Vec<(String, String)> = tui_env(&home, base, token)
        .into_iter()
        .filter(|(k, _)| server.is_some() || !k.starts_with("CASEDESK_"))
        .collect();
    env.push(("TMPDIR".into(), home.display().to_string()));
    let mut pty = Pty::spawn(Spawn {
        program: PathBuf::from(env!("CARGO_BIN_EXE_casedesk")),
        args: args.iter().map(|s| s.to_string()).collect(),
        env,
        cols: 120,
        rows: 40,
    });
    pty.home = Some(home);
    pty
}

/// The demo's directories in `tmp`.
fn demo_dirs(tmp: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(tmp)
        .expect("read TMPDIR")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("casedesk-demo-"))
        })
        .collect()
}

#[test]
fn demo_opens_the_tui_as_tanaka_and_quitting_removes_its_files() {
    let mut demo = start(&["demo", "--cases", "60"], "", None);
    let screen = demo.wait_for("● online", FIRST_SCREEN);
    assert!(
        screen.contains("demo as tanaka (http://127.0.0.1:"),
        "{}",
        framed(&screen)
    );
    assert!(
        screen.contains("Queue — 7 All open ("),
        "{}",
        framed(&screen)
    );
    let tmp = demo.home.clone().expect("a home");
    let dirs = demo_dirs(&tmp);
    assert_eq!(dirs.len(), 1, "one demo directory while it runs: {dirs:?}");
    assert!(dirs[0].join("demo.db").exists(), "the demo's database");
    // A lead's keys are not an agent's.
    demo.send("?");
    let help = demo.wait_for("Help — Queue", ACTION);
    assert!(!help.contains("acknowledge"), "{}", framed(&help));
    demo.send_keys(&["\x1b"]);

    // q says the data goes with the demo; q again quits.
    demo.send("q");
    demo.wait_for("q again to quit", ACTION);
    demo.quit_restored("q", ACTION);
    assert_eq!(
        demo_dirs(&tmp),
        Vec::<PathBuf>::new(),
        "the demo's files are gone"
    );
}

#[test]
fn demo_role_lead_signs_in_as_yamamoto_with_a_leads_keys() {
    let mut demo = start(&["demo", "--role", "lead", "--cases", "60"], "", None);
    let screen = demo.wait_for("● online", FIRST_SCREEN);
    assert!(screen.contains("demo as yamamoto ("), "{}", framed(&screen));
    demo.send("L");
    demo.wait_for("a acknowledge", ACTION);
    demo.send_keys(&["\x1b"]);
    demo.send("q");
    demo.wait_for("q again to quit", ACTION);
    demo.quit_restored("q", ACTION);
}

#[test]
fn demo_wallboard_shows_the_board_and_quits_clean() {
    let mut board = start(
        &["demo", "--wallboard", "--cases", "60", "--rotate", "0"],
        "",
        None,
    );
    let screen = board.wait_for("P1 open", FIRST_SCREEN);
    assert!(screen.contains("[● now]"), "{}", framed(&screen));
    let tmp = board.home.clone().expect("a home");
    assert_eq!(demo_dirs(&tmp).len(), 1);
    board.quit_restored("q", ACTION);
    assert_eq!(
        demo_dirs(&tmp),
        Vec::<PathBuf>::new(),
        "the demo's files are gone"
    );
}

/// The page the indicator marks, e.g. `now`.
fn page(screen: &str) -> Option<String> {
    let start = screen.find("[● ")? + "[● ".len();
    let end = screen[start..].find(']')? + start;
    Some(screen[start..end].to_string())
}

#[test]
fn wallboard_rotate_quit_and_thresholds_come_from_the_config_file() {
    let server = Server::start();
    let viewer = server.token("viewer", "wall");
    let agent = server.client(&server.token("agent", "tanaka"));
    let rt = common::rt();
    rt.block_on(async {
        agent.create_case(json!({ "priority": "P2" })).await;
    });
    // Defaults: P2 warns at 3 and alerts at 10; here at 1 and 2. Pages turn every second; the
    // kiosk's quit chord is Ctrl-X.
    let config =
        "[wallboard]\nrotate = \"1s\"\nquit = \"ctrl-x\"\n\n[wallboard.thresholds]\np2 = [1, 2]\n";
    let mut board = start(
        &["wallboard", "--kiosk"],
        config,
        Some((&server.base, &viewer)),
    );
    board.wait_for("▲ WARN P2 open", FIRST_SCREEN);

    // The page turns within seconds (the default is 15 s).
    let first = page(&board.screen()).expect("a page indicator");
    board.wait_until("the next page", Duration::from_secs(8), |s| {
        page(&s.contents()).is_some_and(|p| p != first)
    });

    // Ctrl-Q, the default chord, is just a key now: the board goes on turning its pages.
    board.send("\x11");
    for _ in 0..2 {
        let now = page(&board.screen()).expect("a page indicator");
        board.wait_until("the board still turning", Duration::from_secs(8), |s| {
            page(&s.contents()).is_some_and(|p| p != now)
        });
    }
    assert!(board.exited().is_none(), "Ctrl-Q did not quit");

    // A second P2 reaches the file's alert threshold.
    rt.block_on(async {
        agent.create_case(json!({ "priority": "P2" })).await;
    });
    board.wait_for("■ ALERT P2 open", Duration::from_secs(30));
    board.quit_restored("\x18", ACTION);
}
