//! README promises of the TUI, end to end: the real binary in a pseudo-terminal, its config in
//! a real file, against a real `casedesk serve` — `[tui.keys]` remapping in the running TUI and
//! its help, `[tui]` theme / language / mouse and the `--theme` / `--mouse` flags, `[tui.views.N]`
//! and each default view 1–7 showing what its name says, the terminal given back on a panic,
//! `[PENDING #id]` then `[CONFLICT #id]` and its retry, and Ctrl-E running `$EDITOR`. ("Esc twice
//! discards" is `tui_forms::one_esc_closes_an_untouched_form_and_the_key_after_the_warning_is_not_typed`.)
//!
//! `CASEDESK_PTY_TRACE=1` prints the screens waited for.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::pty::{Pty, Spawn, framed, tui_env};
use common::{Api, Server, number};
use serde_json::{Value, json};

const FIRST_SCREEN: Duration = Duration::from_secs(30);
const ACTION: Duration = Duration::from_secs(15);
const COLS: u16 = 120;
const ROWS: u16 = 40;

/// `casedesk ARGS` in a pty on a private home whose `config.toml` holds `config`, with extra
/// environment variables.
fn tui(server: &Server, token: &str, config: &str, args: &[&str], env: &[(&str, &str)]) -> Pty {
    let home = common::temp_dir("casedesk-readme-tui");
    let dir = home.join("config").join("casedesk");
    std::fs::create_dir_all(&dir).expect("the config directory");
    std::fs::write(dir.join("config.toml"), config).expect("write config.toml");
    let mut all = tui_env(&home, &server.base, token);
    all.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let mut pty = Pty::spawn(Spawn {
        program: PathBuf::from(env!("CARGO_BIN_EXE_casedesk")),
        args: args.iter().map(|s| s.to_string()).collect(),
        env: all,
        cols: COLS,
        rows: ROWS,
    });
    pty.home = Some(home);
    pty
}

/// A demo desk small enough to seed in a moment, and kimura (an agent) on it.
fn demo() -> (Server, String) {
    let server = Server::start_with(&["--demo", "--demo-cases", "40"]);
    let token = server.token("agent", "kimura");
    (server, token)
}

/// The open cases of the server, as its list gives them.
fn open_cases(api: &Api) -> Vec<Value> {
    common::rt().block_on(async {
        let list = api.get("/v1/cases?open=true&limit=500").await.expect(200);
        list["items"].as_array().expect("items").clone()
    })
}

/// The case numbers in the queue's rows on screen (the selected one too).
fn queue_numbers(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix('┃')?;
            let mut words = rest.trim_start_matches('>').split_whitespace();
            let pri = words.next()?;
            if !(pri.len() == 2 && pri.starts_with('P')) {
                return None;
            }
            let n = words.next()?.trim_end_matches(['^', '↓']);
            common::is_case_number(n).then(|| n.to_string())
        })
        .collect()
}

/// The title count of view `key` named `name`, waited for.
fn show_view(tui: &Pty, key: &str, name: &str, count: usize) -> String {
    tui.send(key);
    tui.wait_for(&format!("Queue — {key} {name} ({count})"), ACTION)
}

#[test]
fn each_default_view_and_a_view_from_the_file_show_what_they_say() {
    let (server, token) = demo();
    let cases = open_cases(&server.client(&token));
    let config =
        "[tui.views.8]\nname = \"Night shift P1\"\npriority = [\"P1\"]\nowner = \"none\"\n";
    let tui = tui(&server, &token, config, &[], &[]);
    tui.wait_for("All open", FIRST_SCREEN);
    tui.wait_for("● online", ACTION);

    type Filter = fn(&Value) -> bool;
    let views: [(&str, &str, Filter); 8] = [
        ("1", "My open", |c| c["owner"] == "kimura"),
        ("2", "Unassigned", |c| c["owner"].is_null()),
        ("3", "P1/P2", |c| {
            c["priority"] == "P1" || c["priority"] == "P2"
        }),
        ("4", "Breaching next", |c| {
            c["breached"] == true || !c["next_due"].is_null()
        }),
        ("5", "Waiting on customer", |c| {
            c["status"] == "waiting_on_customer"
        }),
        ("6", "Escalated", |c| {
            c["open_escalations"].as_u64() > Some(0)
        }),
        ("7", "All open", |_| true),
        ("8", "Night shift P1", |c| {
            c["priority"] == "P1" && c["owner"].is_null()
        }),
    ];
    for (key, name, filter) in views {
        let want: Vec<String> = cases
            .iter()
            .filter(|c| filter(c))
            .map(|c| c["number"].as_str().expect("number").to_string())
            .collect();
        assert!(!want.is_empty(), "the demo has cases for view {key} {name}");
        let screen = show_view(&tui, key, name, want.len());
        let shown = queue_numbers(&screen);
        assert!(
            !shown.is_empty(),
            "view {key} lists rows:\n{}",
            framed(&screen)
        );
        for n in &shown {
            assert!(
                want.contains(n),
                "view {key} {name} shows {n}, which it should not:\n{}",
                framed(&screen)
            );
        }
    }
}

#[test]
fn keys_remapped_in_the_config_reach_the_tui_and_its_help() {
    let (server, token) = demo();
    let api = server.client(&token);
    let config = "[tui.keys]\n\"ctrl-t\" = \"take\"\n\"t\" = \"none\"\n\"f5\" = \"refresh\"\n";
    let tui = tui(&server, &token, config, &[], &[]);
    tui.wait_for("All open", FIRST_SCREEN);
    tui.wait_for("● online", ACTION);

    // The help is generated from the key map: take is Ctrl-t now, sync now also F5.
    tui.send("?");
    // The whole help drawn, not only its title (a loaded machine delivers a frame in parts).
    let help = tui.wait_until("the help with its commands", ACTION, |s| {
        let shown = s.contents();
        shown.contains("Help — Queue") && shown.contains("take the case")
    });
    let line = |what: &str| {
        help.lines()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("{what:?} in the help:\n{}", framed(&help)))
            .to_string()
    };
    assert!(
        line("take the case").starts_with("│Ctrl-t "),
        "{}",
        framed(&help)
    );
    tui.send("G");
    let help = tui.wait_for("sync now", ACTION);
    let sync = help
        .lines()
        .find(|l| l.contains("sync now"))
        .expect("sync now");
    assert!(sync.contains("F5"), "F5 syncs now: {sync:?}");
    tui.send_keys(&["\x1b"]);
    tui.wait_until("the help closed", ACTION, |s| {
        !s.contents().contains("Help — Queue")
    });
    let bar = tui.screen();
    assert!(
        bar.contains("Ctrl-t take") && !bar.contains(" t take"),
        "the hint bar shows the remapped key:\n{}",
        framed(&bar)
    );

    // On an unassigned case, `t` does nothing and Ctrl-T takes it.
    tui.send("2");
    let screen = tui.wait_for("Queue — 2 Unassigned", ACTION);
    let selected = screen
        .lines()
        .find(|l| l.starts_with("┃>"))
        .and_then(|l| queue_numbers(l).into_iter().next())
        .unwrap_or_else(|| panic!("a selected row:\n{}", framed(&screen)));
    let rt = common::rt();
    let before = rt.block_on(api.case(&selected));
    assert!(before["owner"].is_null(), "{before}");
    tui.send("t");
    tui.send("?");
    tui.wait_for("Help — Queue", ACTION);
    tui.send_keys(&["\x1b"]);
    tui.wait_until("the help closed", ACTION, |s| {
        !s.contents().contains("Help — Queue")
    });
    tui.settle(Duration::from_millis(500));
    let unchanged = rt.block_on(api.case(&selected));
    assert!(
        unchanged["owner"].is_null(),
        "`t` took nothing: {unchanged}"
    );
    tui.send("\x14");
    let (api_ref, sel) = (&api, selected.as_str());
    let taken = rt.block_on(common::eventually(ACTION, || async move {
        api_ref.case(sel).await["owner"] == "kimura"
    }));
    assert!(taken, "Ctrl-T took the case:\n{}", framed(&tui.screen()));
    let after = rt.block_on(api.case(&selected));
    assert_eq!(after["owner"], "kimura", "{after}");
    assert_eq!(
        after["version"].as_i64(),
        before["version"].as_i64().map(|v| v + 1),
        "one take, by Ctrl-T; `t` sent nothing"
    );
}

/// Whether any cell on screen has a colour of its own.
fn coloured(screen: &vt100::Screen) -> bool {
    let (rows, cols) = screen.size();
    let (rows, cols) = (u16::from(rows), u16::from(cols));
    (0..rows).any(|r| {
        (0..cols).any(|c| {
            screen.cell(r, c).is_some_and(|cell| {
                cell.fgcolor() != vt100::Color::Default || cell.bgcolor() != vt100::Color::Default
            })
        })
    })
}

#[test]
fn theme_language_and_mouse_come_from_the_file_and_the_flags_override() {
    let (server, token) = demo();
    let config = "[tui]\ntheme = \"mono\"\nlanguage = \"ja\"\nmouse = true\n";

    // From the file: Japanese, no colour (mono), clicks taken.
    let mut file = tui(&server, &token, config, &[], &[]);
    let screen = file.wait_for("すべての未完了", FIRST_SCREEN);
    file.wait_until("the queue's rows", ACTION, |s| {
        !queue_numbers(&s.contents_between(4, 0, 4, COLS)).is_empty()
    });
    assert!(!screen.contains("All open"), "{}", framed(&screen));
    file.with_screen(|s| {
        assert!(
            !coloured(s),
            "mono draws no colour:\n{}",
            framed(&s.contents())
        );
        assert_ne!(
            s.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse = true turns on mouse reporting"
        );
    });
    // A click on the third row selects it.
    let third = file.with_screen(|s| s.contents_between(4, 0, 4, COLS));
    let want = queue_numbers(&third);
    assert_eq!(want.len(), 1, "a row under the header: {third:?}");
    file.send("\x1b[<0;20;5M\x1b[<0;20;5m");
    file.wait_until("the clicked row selected", ACTION, |s| {
        s.contents_between(4, 0, 4, COLS).starts_with("┃>")
    });
    file.quit_restored("q", ACTION);

    // --theme over the file's theme: colour again.
    let flag = tui(&server, &token, config, &["--theme", "dark"], &[]);
    flag.wait_for("すべての未完了", FIRST_SCREEN);
    flag.wait_until("colour from --theme dark", ACTION, coloured);
    drop(flag);

    // No mouse in the file: off, unless --mouse.
    let plain = tui(&server, &token, "", &[], &[]);
    plain.wait_for("All open", FIRST_SCREEN);
    plain.with_screen(|s| {
        assert_eq!(s.mouse_protocol_mode(), vt100::MouseProtocolMode::None);
        assert!(coloured(s), "the default theme has colour");
    });
    drop(plain);
    let mouse = tui(&server, &token, "", &["--mouse"], &[]);
    mouse.wait_for("All open", FIRST_SCREEN);
    mouse.with_screen(|s| {
        assert_ne!(
            s.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "--mouse turns on mouse reporting"
        );
    });
}

#[test]
fn a_panic_gives_the_terminal_back() {
    let (server, token) = demo();
    let mut tui = tui(
        &server,
        &token,
        "[tui]\nmouse = true\n",
        &[],
        &[("CASEDESK_TEST_PANIC", "1")],
    );
    tui.wait_for("All open", FIRST_SCREEN);
    tui.with_screen(|s| {
        assert!(
            s.alternate_screen() && s.hide_cursor(),
            "the TUI has the terminal"
        );
    });
    // F12 panics in a debug build with CASEDESK_TEST_PANIC set.
    tui.send("\x1b[24~");
    let status = tui.wait_exit(ACTION);
    assert_eq!(status.exit_code(), 101, "a panic's exit status");
    // The terminal is given back first, then the panic is printed on the main screen.
    let raw = String::from_utf8_lossy(&tui.raw()).into_owned();
    let left = raw.rfind("\x1b[?1049l").expect("the alternate screen left");
    let said = raw
        .find("CASEDESK_TEST_PANIC: F12 pressed")
        .expect("the panic's message is printed");
    assert!(
        left < said,
        "the terminal is restored before the panic is printed"
    );
    tui.with_screen(|s| {
        assert!(!s.alternate_screen(), "back on the main screen");
        assert!(!s.hide_cursor(), "the cursor is shown again");
        assert_eq!(s.mouse_protocol_mode(), vt100::MouseProtocolMode::None);
    });
    let flags = tui.local_flags();
    for flag in ["ICANON", "ECHO", "ISIG"] {
        assert!(
            flags.iter().any(|f| f == flag),
            "{flag} is off after the panic: {flags:?}"
        );
    }
}

#[test]
fn ctrl_e_edits_the_note_in_editor() {
    let server = Server::start();
    let token = server.token("agent", "tanaka");
    let api = server.client(&token);
    let rt = common::rt();
    let n = number(&rt.block_on(api.create_case(json!({ "subject": "Edited elsewhere" }))));
    let dir = common::temp_dir("casedesk-readme-editor");
    let editor = dir.join("editor.sh");
    // The editor adds a line to the file it is given, as a person would.
    std::fs::write(
        &editor,
        "#!/bin/sh\nprintf 'written in the editor\\n' >> \"$1\"\n",
    )
    .expect("write the editor");
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod the editor");
    let editor_s = editor.display().to_string();
    let tui = tui(&server, &token, "", &[], &[("EDITOR", &editor_s)]);
    tui.wait_for("All open (1)", FIRST_SCREEN);
    tui.wait_for("● online", ACTION);

    tui.send("i");
    tui.wait_for("Ctrl-E: $EDITOR", ACTION);
    tui.send("typed first ");
    tui.wait_for("typed first", ACTION);
    tui.send("\x05");
    tui.wait_for("written in the editor", ACTION);
    tui.send("\x13");
    let found = rt.block_on(async {
        let (api, n) = (&api, n.as_str());
        common::eventually(ACTION, || async move {
            let case = api.case(n).await;
            case["notes"].as_array().is_some_and(|ns| !ns.is_empty())
        })
        .await
    });
    assert!(found, "the note reached the server");
    let case = rt.block_on(api.case(&n));
    assert_eq!(
        case["notes"][0]["body"], "typed first written in the editor",
        "the editor's text is what is sent"
    );
    assert_eq!(case["notes"][0]["visibility"], "internal");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn pending_then_conflict_then_retry_in_the_tui() {
    let mut server = Server::start();
    let token = server.token("agent", "tanaka");
    let lead = server.token("lead", "yamamoto");
    let rt = common::rt();
    let n = rt.block_on(async {
        let case = server
            .client(&token)
            .create_case(json!({ "subject": "Conflicting notes" }))
            .await;
        number(&case)
    });
    let port = server.base.rsplit(':').next().expect("a port").to_string();
    let tui = tui(&server, &token, "", &[], &[]);
    tui.wait_for("All open (1)", FIRST_SCREEN);
    tui.wait_for("● online", ACTION);

    // Offline, a note waits in the outbox and the case says so.
    assert!(server.stop().success());
    tui.wait_for("OFFLINE", Duration::from_secs(30));
    tui.send("i");
    tui.wait_for("Ctrl-E: $EDITOR", ACTION);
    tui.send("written offline");
    tui.wait_for("written offline", ACTION);
    tui.send("\x13");
    tui.wait_for("[PENDING #1]", ACTION);

    // Meanwhile someone else changes the case (the server up elsewhere for a moment).
    server.start_again();
    rt.block_on(async {
        server
            .client(&lead)
            .note(&n, "the lead got there first", "internal")
            .await;
    });
    assert!(server.stop().success());
    server.start_again_on_port(&port);

    // Back online the note meets a newer version: kept as a conflict, shown on the case.
    tui.send("r");
    tui.wait_for("[CONFLICT #1]", Duration::from_secs(60));
    let api = server.client(&token);
    assert_eq!(
        rt.block_on(common::notes_with(&server, &token, &n, "written offline")),
        0
    );

    // The outbox: `r` retries on the current version; the note lands once.
    tui.send("o");
    tui.wait_for("┌ Outbox (1)", ACTION);
    tui.send("r");
    let landed = rt.block_on(async {
        let (server, token, n) = (&server, token.as_str(), n.as_str());
        common::eventually(ACTION, || async move {
            common::notes_with(server, token, n, "written offline").await == 1
        })
        .await
    });
    assert!(
        landed,
        "the retried note reached the server:\n{}",
        framed(&tui.screen())
    );
    tui.send_keys(&["\x1b"]);
    tui.wait_until("no conflict left", ACTION, |s| {
        !s.contents().contains("[CONFLICT #1]") && !s.contents().contains("[PENDING #1]")
    });
    let case = rt.block_on(api.case(&n));
    assert_eq!(case["notes"].as_array().map(Vec::len), Some(2), "{case}");
}
