//! The real binary against peers that misbehave in ways a real server cannot: error bodies full
//! of terminal controls, an HTML error page, a TLS or SSH peer where HTTP was expected, a server
//! that never answers; and configurations that are wrong (a token path that is a directory, a
//! CA file that is not PEM). Output stays clean and one line, and the exit status says what
//! happened.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use common::desk::{Desk, Run};
use common::hostile::{HOSTILE, SHOWN, assert_inert, assert_raw_clean};

/// A peer on loopback that answers every connection with `answer` (after reading what the
/// client sent), or holds it open without a word when `answer` is `None`.
fn peer(answer: Option<&'static [u8]>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve_one(stream, answer));
        }
    });
    addr.to_string()
}

fn serve_one(mut stream: TcpStream, answer: Option<&'static [u8]>) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(300)));
    let mut buf = [0u8; 4096];
    let _ = stream.read(&mut buf);
    match answer {
        Some(bytes) => {
            let _ = stream.write_all(bytes);
            let _ = stream.flush();
            std::thread::sleep(Duration::from_millis(200));
        }
        None => std::thread::sleep(Duration::from_secs(120)),
    }
}

/// A machine whose profile `lab` is `profile` (TOML lines), with a token in the environment.
fn desk(profile: &str) -> Desk {
    let mut desk = Desk::new("http://unused", "cdk_0123456789abcdef");
    desk.server = None;
    let dir = desk.config_dir();
    std::fs::create_dir_all(&dir).expect("config dir");
    std::fs::write(
        dir.join("config.toml"),
        format!("default_profile = \"lab\"\n\n[profiles.lab]\n{profile}\n"),
    )
    .expect("config");
    desk
}

/// Asserts that nothing a terminal acts on reached stderr or stdout, and that stderr is one
/// line.
fn clean_one_line(run: &Run) {
    for (name, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        let bad = text.chars().find(|c| {
            (c.is_control() && *c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        });
        assert!(bad.is_none(), "{name} holds {bad:?}: {text:?}");
    }
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "{:?}", run.stderr);
}

const HTML_502: &[u8] = b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: 88\r\nConnection: close\r\n\r\n<html>\n<head><title>502</title></head>\n<body>\x1b]52;c;aGk=\x07 bad\n gateway</body>\n</html>\n\n\n";

const PROBLEM_400: &[u8] = b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\nContent-Length: 118\r\nConnection: close\r\n\r\n{\"type\":\"about:blank\",\"title\":\"bad\",\"status\":400,\"detail\":\"x\\u001b[2J\\u001b]52;c;aGk=\\u0007\\u009b31m\\u202eevil\\nmore\"}";

const TEXT_500: &[u8] = b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: 26\r\nConnection: close\r\n\r\nboom\x1b[2J\xc2\x9b31m\nsecond line\n";

const UNAUTHORIZED: &[u8] =
    b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

const BAD_REQUEST: &[u8] =
    b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

const SSH_BANNER: &[u8] = b"SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n";

#[test]
fn an_html_error_page_is_one_line_naming_it() {
    let addr = peer(Some(HTML_502));
    let run = desk(&format!("server = \"http://{addr}\"")).run(&["cases", "list"]);
    run.fails(1, "server answered 502 with an HTML page");
    clean_one_line(&run);
    assert!(!run.stderr.contains("<html"), "{}", run.stderr);
}

#[test]
fn a_problem_detail_with_controls_reaches_the_terminal_clean() {
    let addr = peer(Some(PROBLEM_400));
    let run = desk(&format!("server = \"http://{addr}\"")).run(&["cases", "list"]);
    run.fails(1, "evil more");
    clean_one_line(&run);
}

#[test]
fn a_plain_text_error_body_is_its_first_line_clean() {
    let addr = peer(Some(TEXT_500));
    let run = desk(&format!("server = \"http://{addr}\"")).run(&["cases", "list"]);
    run.fails(1, "server answered 500: boom[2J");
    clean_one_line(&run);
    assert!(!run.stderr.contains("second line"), "{}", run.stderr);
}

#[test]
fn usage_errors_echo_arguments_without_their_controls() {
    let d = desk("server = \"http://127.0.0.1:9\"");
    let run = d.run(&["cases", "list", "--sort", "x\x1b]52;c;aGk=\x07\u{202E}"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    clean_one_line(&run);
    let run = d.run(&["--bogus\x1b[2J\u{9b}31m"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    for c in ['\x1b', '\u{9b}'] {
        assert!(!run.stderr.contains(c), "{:?}", run.stderr);
    }
}

#[test]
fn unreachable_with_nothing_cached_fails_instead_of_listing_nothing() {
    let addr = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").to_string()
    };
    let run = desk(&format!("server = \"http://{addr}\"")).run(&["cases", "list"]);
    run.fails(1, "nothing is cached yet");
    assert!(!run.stdout.contains("0 cases"), "{}", run.stdout);
}

#[test]
fn https_to_a_plain_http_server_is_a_configuration_error() {
    let addr = peer(Some(BAD_REQUEST));
    let run = desk(&format!("server = \"https://{addr}\"")).run(&["cases", "list"]);
    run.fails(1, "configuration error");
    assert!(run.stderr.contains("TLS"), "{}", run.stderr);
    assert!(!run.stderr.contains("offline"), "{}", run.stderr);
}

#[test]
fn a_peer_that_is_not_http_is_a_configuration_error() {
    let addr = peer(Some(SSH_BANNER));
    let run = desk(&format!("server = \"http://{addr}\"")).run(&["cases", "list"]);
    run.fails(1, "configuration error");
    assert!(run.stderr.contains("not HTTP"), "{}", run.stderr);
    clean_one_line(&run);
}

#[test]
fn a_refused_token_says_so() {
    let addr = peer(Some(UNAUTHORIZED));
    let run = desk(&format!("server = \"http://{addr}\"")).run(&["cases", "list"]);
    run.fails(1, "token rejected");
    assert!(!run.stderr.contains("offline"), "{}", run.stderr);
}

#[test]
fn a_server_that_never_answers_holds_a_command_only_as_long_as_configured() {
    let addr = peer(None);
    let d = desk(&format!("server = \"http://{addr}\"\nwait_seconds = 2"));
    let started = Instant::now();
    let run = d.run(&["cases", "list"]);
    let took = started.elapsed();
    run.fails(1, "within 2 s");
    assert!(run.stderr.contains("GET /v1/cases"), "{}", run.stderr);
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn a_token_path_that_is_a_directory_is_refused_as_such() {
    let mut d = desk("server = \"http://127.0.0.1:9\"\ntoken_file = \"tokdir\"");
    d.token = None;
    std::fs::create_dir_all(d.config_dir().join("tokdir")).expect("dir");
    let run = d.run(&["cases", "list"]);
    run.fails(2, "is a directory");
    assert!(!run.stderr.contains("read by others"), "{}", run.stderr);
}

#[test]
fn a_ca_file_that_is_not_pem_is_refused() {
    let d = desk("server = \"https://127.0.0.1:9\"\nca_file = \"ca.txt\"");
    std::fs::write(d.config_dir().join("ca.txt"), "not a certificate\n").expect("ca");
    let run = d.run(&["cases", "list"]);
    run.fails(1, "holds no usable certificate");
    assert!(run.stderr.contains("expected PEM"), "{}", run.stderr);
}

/// An entitlement whose words hold C1, DEL and bidi controls (JSON-escaped on the wire).
const ENTITLEMENT: &str = r#"{"serial_number":"FOC1","tier":"standard","contract_end":"2027-01-01","site_name":"Tokyo\u009b31m\u202eX\u007f\u2066","site_id":"S1\u200f","account":"ACME\u061c","active":true}"#;

#[test]
fn json_output_keeps_the_data_but_escapes_what_a_terminal_acts_on() {
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{ENTITLEMENT}",
        ENTITLEMENT.len()
    );
    let addr = peer(Some(Box::leak(response.into_bytes().into_boxed_slice())));
    let run = desk(&format!("server = \"http://{addr}\"")).run(&["entitlement", "FOC1", "--json"]);
    let value = run.json();
    assert_eq!(value["site_name"], "Tokyo\u{9b}31m\u{202e}X\u{7f}\u{2066}");
    assert_eq!(value["site_id"], "S1\u{200f}");
    assert_eq!(value["account"], "ACME\u{61c}");
    let bad = run.stdout.chars().find(|c| {
        (c.is_control() && *c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
    });
    assert!(bad.is_none(), "stdout holds {bad:?}: {:?}", run.stdout);
    assert!(
        run.stdout.contains(r"Tokyo\u009b31m\u202eX\u007f\u2066"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_wallboard_with_a_refused_token_says_so_and_exits() {
    let addr = peer(Some(UNAUTHORIZED));
    let mut board = common::pty::Pty::casedesk(
        &format!("http://{addr}"),
        "cdk_0123456789abcdef",
        &["wallboard"],
    );
    board.wait_for("token rejected", Duration::from_secs(15));
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(status) = board.exited() {
            assert!(!status.success(), "{}", board.screen());
            break;
        }
        assert!(Instant::now() < deadline, "{}", board.screen());
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A real server holding a case whose subject, site, account, description and note carry
/// [`HOSTILE`] (the server keeps what it is sent; drawing it safely is the client's job):
/// the server, an agent's token and the case's number.
fn hostile_case() -> (common::Server, String, String) {
    let server = common::Server::start();
    let token = server.token("agent", "kimura");
    let api = server.client(&token);
    let number = common::rt().block_on(async {
        let case = api
            .create_case(serde_json::json!({
                "subject": format!("Hostile subject {HOSTILE} end"),
                "priority": "P1",
                // A contract with a first-response target: the case is on the wallboard's
                // "next" page.
                "tier": "tac-advanced",
                "site_name": format!("Site {HOSTILE}"),
                "account": format!("Account {HOSTILE}"),
                "description": format!("Hostile description {HOSTILE} end\nline two {HOSTILE}"),
            }))
            .await;
        let number = common::number(&case);
        api.note(
            &number,
            &format!("Hostile note {HOSTILE}\nsecond line {HOSTILE}"),
            "public",
        )
        .await;
        number
    });
    (server, token, number)
}

#[test]
fn hostile_text_is_inert_in_every_command_line_output() {
    let (server, token, number) = hostile_case();
    let d = Desk::new(&server.base, &token);
    let shown = format!("Hostile subject {SHOWN} end");

    // The table cuts long cells: what is left of the subject is its sanitized start.
    let table = d.run(&["cases", "list"]);
    assert_inert("cases list", &table.stdout);
    assert_inert("cases list (stderr)", &table.stderr);
    let row = table
        .ok()
        .lines()
        .find(|l| l.contains(&number))
        .unwrap_or_else(|| panic!("the case's row:\n{}", table.stdout));
    assert!(row.contains("Hostile subject [2J[H]0;PWNED"), "{row}");

    // CSV: the whole cell, sanitized, on one line.
    let csv = d.run(&["cases", "list", "--csv"]);
    assert_inert("cases list --csv", &csv.stdout);
    assert!(csv.ok().contains(&shown), "{}", csv.stdout);
    assert!(
        csv.stdout.contains(&format!("Site {SHOWN}")),
        "{}",
        csv.stdout
    );

    // JSON: the data exactly as stored, every control escaped.
    let json = d.run(&["cases", "list", "--json"]);
    assert_inert("cases list --json", &json.stdout);
    let listed = json.json();
    let case = listed
        .as_array()
        .and_then(|cases| cases.iter().find(|c| c["number"] == number.as_str()))
        .unwrap_or_else(|| panic!("the case in {listed:#}"));
    assert_eq!(case["subject"], format!("Hostile subject {HOSTILE} end"));
    assert!(
        json.stdout
            .contains(r"\u001b]52;c;cHduZWQ=\u0007\u009b31m\u202eevil\u202c\tX"),
        "{}",
        json.stdout
    );

    // The case in full: every line of the description and the note, sanitized.
    let show = d.run(&["cases", "show", &number]);
    assert_inert("cases show", &show.stdout);
    let text = show.ok();
    for expected in [
        shown.as_str(),
        &format!("Hostile description {SHOWN} end"),
        &format!("line two {SHOWN}"),
        &format!("Hostile note {SHOWN}"),
        &format!("second line {SHOWN}"),
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    let show_json = d.run(&["cases", "show", &number, "--json"]);
    assert_inert("cases show --json", &show_json.stdout);
    assert_eq!(
        show_json.json()["description"],
        format!("Hostile description {HOSTILE} end\nline two {HOSTILE}")
    );

    // Search: the server's answer as a table and as JSON.
    let found = d.run(&["search", "Hostile"]);
    assert_inert("search", &found.stdout);
    assert!(
        found.ok().contains(&number) && found.stdout.contains("Hostile subject [2J[H]0;PWNED"),
        "{}",
        found.stdout
    );
    let found = d.run(&["search", "Hostile", "--json"]);
    assert_inert("search --json", &found.stdout);
    assert!(
        found.json().to_string().contains(&number),
        "{}",
        found.stdout
    );

    // An error that quotes the hostile argument back.
    let refused = d.run(&["cases", "show", &format!("{number}{HOSTILE}")]);
    assert_ne!(refused.code, 0, "{}", refused.stderr);
    assert_inert("an error", &refused.stderr);
    assert!(refused.stderr.contains("PWNED"), "{}", refused.stderr);
}

/// A 5xx whose body is plain text full of controls, as a proxy in front of the server might
/// send: reported on one clean line with its printable words.
const HOSTILE_500: &str =
    "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n";

#[test]
fn a_hostile_non_json_5xx_body_is_reported_inert() {
    let answer = format!("{HOSTILE_500}upstream {HOSTILE} down\nsecond line\n");
    let addr = peer(Some(Box::leak(answer.into_bytes().into_boxed_slice())));
    let d = desk(&format!("server = \"http://{addr}\""));
    for args in [
        &["cases", "list"][..],
        &["cases", "list", "--json"],
        &["search", "x"],
    ] {
        let run = d.run(args);
        run.fails(1, "server answered 500");
        clean_one_line(&run);
        assert_inert(&format!("{args:?}"), &run.stderr);
        assert!(
            run.stderr.contains("upstream [2J[H]0;PWNED"),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
}

#[test]
fn hostile_text_on_the_wallboard_reaches_the_terminal_inert() {
    let (server, token, number) = hostile_case();
    let mut board = common::pty::Pty::casedesk_sized(
        &server.base,
        &token,
        &["wallboard", "--page", "next"],
        160,
        48,
    );
    let screen = board.wait_for(&number, Duration::from_secs(30));
    let screen = if screen.contains("PWNED") {
        screen
    } else {
        board.wait_for("PWNED", Duration::from_secs(30))
    };
    assert!(screen.contains("Hostile subject [2J[H]0;PWNED"), "{screen}");
    board.with_seen(|seen| {
        assert!(
            seen.titles.is_empty(),
            "window title set: {:?}",
            seen.titles
        );
        assert!(
            seen.clipboard.is_empty(),
            "clipboard written: {:?}",
            seen.clipboard
        );
        assert!(
            seen.other_osc.is_empty(),
            "OSC sequences: {:?}",
            seen.other_osc
        );
        assert_eq!(seen.bells, 0, "the bell rang");
    });
    assert_raw_clean(&board.raw());
    board.send("q");
    assert!(board.wait_exit(Duration::from_secs(15)).success());
}
