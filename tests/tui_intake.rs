//! Taking a case in from the TUI, in a pseudo-terminal against a real `casedesk serve`: a
//! phone P1 opened with the serial's contract looked up and its open cases listed, and a case
//! opened while the server is down that gets its number — once — when the server is back.

mod common;

use std::time::Duration;

use common::Server;
use common::pty::{Pty, framed};

const FIRST_SCREEN: Duration = Duration::from_secs(30);
const ACTION: Duration = Duration::from_secs(15);
const TAB: &str = "\t";
const CTRL_S: &str = "\x13";
const LEFT: &str = "\x1b[D";

#[test]
fn a_phone_p1_with_a_serial_lookup_is_opened_from_the_form() {
    let server = Server::start_with(&["--demo", "--demo-cases", "60"]);
    let token = server.token("agent", "kimura");
    let api = server.client(&token);
    let rt = common::rt();
    let (serial, entitlement, open) = rt.block_on(common::demo_serial(&server, &token, true));
    assert!(open >= 1);

    let tui = Pty::casedesk_sized(&server.base, &token, &[], 140, 45);
    tui.wait_for("All open", FIRST_SCREEN);
    tui.wait_for("● online", ACTION);

    tui.send("N");
    tui.wait_for("New case", ACTION);
    tui.send(&serial);
    tui.send(TAB);
    // The contract fills the site and account, and the serial's open cases are listed.
    let site = entitlement["site_id"].as_str().unwrap();
    tui.wait_for("contract active", ACTION);
    let screen = tui.wait_for("already open for this serial", ACTION);
    assert!(
        screen.contains(site),
        "the site ID is filled in:\n{}",
        framed(&screen)
    );

    // P3 → P1 with two presses; the meaning of P1 is shown beside the choice.
    tui.send(LEFT);
    tui.send(LEFT);
    tui.wait_for("[P1 Critical]", ACTION);
    tui.wait_for("service down", ACTION);
    tui.send(TAB); // channel: phone already
    tui.send(TAB);
    let subject = "本番ルーター停止 — both PEMs down";
    tui.send(subject);
    tui.send(TAB);
    tui.send("清水 拓也");
    tui.send(CTRL_S);
    // A P1 without a phone number is refused, naming the field; nothing is lost.
    tui.wait_for("needs a contact phone", ACTION);
    tui.send("+81 45-662-3108");
    tui.send(CTRL_S);
    let screen = tui.wait_for("first response due in", ACTION);
    assert!(screen.contains("opened 20"), "{}", framed(&screen));

    let opened = rt.block_on(common::cases_with_subject(&api, subject));
    assert_eq!(opened.len(), 1, "one case opened");
    let case = rt.block_on(api.case(opened[0]["number"].as_str().unwrap()));
    assert_eq!(case["priority"], "P1");
    assert_eq!(case["channel"], "phone");
    assert_eq!(case["contact_phone"], "+81 45-662-3108");
    assert_eq!(case["contact_name"], "清水 拓也");
    assert_eq!(case["tier"], entitlement["tier"]);
    assert_eq!(case["site_id"], entitlement["site_id"]);
    assert_eq!(case["serial_number"], serial.as_str());
    // The new case is selected and shown.
    let number = case["number"].as_str().unwrap();
    tui.wait_for(&format!("Case {number}"), ACTION);

    // The engineer logs the call: it meets the first response.
    tui.send("c");
    tui.wait_for("Call with the customer on", ACTION);
    tui.send("\r");
    tui.wait_for("[CALL]", ACTION);
    let case = rt.block_on(api.case(number));
    let calls: Vec<_> = case["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "call")
        .collect();
    assert_eq!(calls.len(), 1, "{case:#}");
    let first = &case["clocks"]["clocks"][0];
    assert_eq!(first["kind"], "first_response");
    assert_eq!(first["state"], "met", "{first:#}");
}

/// A TUI on `server` with one case, the server then stopped, and a P3 with `subject` opened
/// in the TUI while it is offline: it waits in the outbox.
fn queue_offline(
    server: &mut Server,
    token: &str,
    rt: &tokio::runtime::Runtime,
    subject: &str,
) -> Pty {
    let api = server.client(token);
    rt.block_on(api.create_case(serde_json::json!({"subject": "an existing case"})));
    let tui = Pty::casedesk_sized(&server.base, token, &[], 120, 40);
    tui.wait_for("an existing case", FIRST_SCREEN);
    tui.wait_for("● online", ACTION);
    server.stop();
    tui.send("r");
    tui.wait_for("OFFLINE", Duration::from_secs(60));
    tui.send("N");
    tui.wait_for("New case", ACTION);
    // Serial, priority (P3), channel: as they are.
    tui.send(TAB);
    tui.send(TAB);
    tui.send(TAB);
    tui.send(subject);
    tui.send(CTRL_S);
    tui.wait_for("waits in the outbox", ACTION);
    tui
}

#[test]
fn a_case_opened_offline_waits_as_new_and_is_opened_once_when_the_server_is_back() {
    let mut server = Server::start();
    let token = server.token("agent", "kimura");
    let rt = common::rt();
    let subject = "Offline intake: backups";
    let tui = queue_offline(&mut server, &token, &rt, subject);
    // At the foot of the queue under its provisional reference.
    let screen = tui.wait_for(subject, ACTION);
    assert!(
        screen.contains(&format!("NEW-1            pending — {subject}")),
        "the queue shows the waiting case:\n{}",
        framed(&screen)
    );

    server.start_again_on_the_same_port();
    tui.send("r");
    let screen = tui.wait_until("the case has its number", Duration::from_secs(60), |s| {
        let text = s.contents();
        !text.contains("NEW-") && text.contains(subject)
    });
    assert!(screen.contains("online"), "{}", framed(&screen));
    let api = server.client(&token);
    assert_eq!(
        rt.block_on(common::cases_with_subject(&api, subject)).len(),
        1,
        "opened once"
    );
}

#[test]
fn a_case_queued_offline_survives_a_killed_tui_and_is_opened_once() {
    let mut server = Server::start();
    let token = server.token("agent", "kimura");
    let rt = common::rt();
    let subject = "Queued, then the TUI was killed";
    let mut tui = queue_offline(&mut server, &token, &rt, subject);
    // The SSH session drops hard: no chance to clean up.
    tui.signal("KILL");
    tui.wait_exit(ACTION);

    server.start_again_on_the_same_port();
    let home = tui.home.clone().expect("the TUI's home");
    let sync = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_casedesk"))
            .arg("sync")
            .env_clear()
            .envs(common::pty::tui_env(&home, &server.base, &token))
            .output()
            .expect("run casedesk sync")
    };
    let out = sync();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("new P3 case"), "{said}");
    assert!(sync().status.success());
    let api = server.client(&token);
    assert_eq!(
        rt.block_on(common::cases_with_subject(&api, subject)).len(),
        1,
        "opened once"
    );
}
