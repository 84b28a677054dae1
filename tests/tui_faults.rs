//! The real TUI in a pseudo-terminal against a real `casedesk serve`, when what is wrong is not
//! the connection: a token the server refuses (issue 13 item 10: a configuration problem, not
//! "online") and a cache damaged in the middle (item 7: the TUI repairs it as `sync` does).

mod common;

use std::time::Duration;

use common::desk::Desk;
use common::pty::{Pty, Spawn, framed, tui_env};
use common::{Server, open_cases};

/// How long the TUI may take to show its first synced queue (the CI machine is loaded).
const FIRST_SCREEN: Duration = Duration::from_secs(30);
/// How long a round of the background sync may take to show its outcome.
const ROUND: Duration = Duration::from_secs(20);

/// The screen's last row: the status bar.
fn status_bar(s: &vt100::Screen) -> String {
    let (rows, cols) = s.size();
    s.contents_between(rows.get() - 1, 0, rows.get() - 1, cols.get())
}

/// The number of cases the queue's title counts (`Queue — 7 All open`).
fn queue_count(screen: &str) -> Option<usize> {
    let after = screen.split("Queue — ").nth(1)?;
    after
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

#[test]
fn a_refused_token_is_shown_as_such_not_as_online() {
    let server = Server::start();
    let token = server.token("agent", "kimura");
    let admin = server.client(&server.token("admin", "root"));
    let tui = Pty::casedesk(&server.base, &token, &[]);
    tui.wait_until("online in the status bar", FIRST_SCREEN, |s| {
        status_bar(s).contains("online")
    });

    let revoked = common::rt().block_on(admin.delete("/v1/tokens/kimura"));
    assert_eq!(revoked.status.as_u16(), 204, "{}", revoked.text());
    // `r` asks for a sync now: its first request meets the 401.
    tui.send("r");
    let screen = tui.wait_until("the token refused in the status bar", ROUND, |s| {
        status_bar(s).contains("token refused — casedesk login")
    });
    let bar = tui.with_screen(status_bar);
    assert!(
        !bar.contains("online") && !bar.contains("OFFLINE"),
        "neither online nor offline: {bar:?}\n{}",
        framed(&screen)
    );
}

#[test]
fn a_cache_damaged_in_the_middle_is_rebuilt_by_the_tui_and_keeps_its_outbox() {
    let server = Server::start_with(&["--demo", "--demo-cases", "60"]);
    let token = server.token("agent", "kimura");
    let desk = Desk::new(&server.base, &token);
    desk.run(&["sync"]).ok();
    let number = common::rt()
        .block_on(open_cases(&server, &token, 1))
        .remove(0);
    let cache = desk.cache_file("default");
    desk.damage_cache_keeping_a_refused_note(&number);

    // The TUI on the same machine: the same config and cache directories.
    let mut tui = Pty::spawn(Spawn {
        program: env!("CARGO_BIN_EXE_casedesk").into(),
        args: Vec::new(),
        env: tui_env(&desk.dir, &server.base, &token),
        cols: 160,
        rows: 40,
    });
    let said = |s: &vt100::Screen| {
        let text = s
            .contents()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        text.contains(
            "the cache was damaged: rebuilt from the server, its outbox kept (1 change(s))",
        )
    };
    tui.wait_until("the repair said on the message line", FIRST_SCREEN, said);
    let screen = tui.wait_until("the queue filled again", FIRST_SCREEN, |s| {
        queue_count(&s.contents()).is_some_and(|n| n > 0)
    });
    assert!(
        !screen.contains("cannot read the cache"),
        "{}",
        framed(&screen)
    );
    tui.quit_restored("qq", Duration::from_secs(10));

    let aside = std::fs::read_dir(cache.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".damaged-"))
        .count();
    assert_eq!(aside, 1, "the damaged file is kept aside, once");
    let outbox = desk.run(&["outbox", "list", "--json"]).json();
    assert_eq!(outbox.as_array().map(Vec::len), Some(1), "{outbox}");
    assert_eq!(outbox[0]["idempotency_key"], "cdk-test-damaged");
}
