//! Forms and the Escalate pane in a pseudo-terminal against a real `casedesk serve` (issue 12):
//! one Esc closes a form nothing was typed in (its prefilled serial is no change), the key after
//! "Esc again to discard" is never typed, and in the Escalate pane the digits 1–4 choose the
//! option instead of switching the queue's view.

mod common;

use std::time::Duration;

use common::Server;
use common::pty::{Pty, framed};

const FIRST_SCREEN: Duration = Duration::from_secs(30);
const ACTION: Duration = Duration::from_secs(15);
const ESC: &str = "\x1b";

/// The demo desk in the TUI, signed in as an agent, online.
fn desk() -> (Server, Pty) {
    let server = Server::start_with(&["--demo", "--demo-cases", "40"]);
    let token = server.token("agent", "kimura");
    let tui = Pty::casedesk_sized(&server.base, &token, &[], 140, 45);
    tui.wait_for("All open", FIRST_SCREEN);
    tui.wait_for("● online", ACTION);
    (server, tui)
}

/// Whether a form box titled `title` is on screen.
fn form_open(screen: &vt100::Screen, title: &str) -> bool {
    screen.contents().contains(&format!("┌ {title} "))
}

#[test]
fn one_esc_closes_an_untouched_form_and_the_key_after_the_warning_is_not_typed() {
    let (_server, tui) = desk();

    // The entitlement form comes with the selected case's serial: still untouched.
    tui.send("E");
    let screen = tui.wait_until("the entitlement form", ACTION, |s| {
        form_open(s, "Entitlement")
    });
    assert!(screen.contains("Serial number"), "{}", framed(&screen));
    tui.send_keys(&[ESC]);
    tui.wait_until("the form closed by one Esc", ACTION, |s| {
        !form_open(s, "Entitlement")
    });

    // Typed text is asked about once; the key after the question only answers it. (The note
    // editors keep their text as a draft on Esc instead: tests/tui_drafts.rs.)
    tui.send("E");
    tui.wait_until("the entitlement form again", ACTION, |s| {
        form_open(s, "Entitlement")
    });
    tui.send("QX");
    tui.wait_for("QX", ACTION);
    tui.send_keys(&[ESC]);
    tui.wait_for("Esc again to discard", ACTION);
    tui.send_keys(&["j"]);
    let screen = tui.wait_until("the warning answered", ACTION, |s| {
        !s.contents().contains("Esc again to discard")
    });
    assert!(
        screen.contains("QX") && !screen.contains("QXj"),
        "the key after the warning is not typed:\n{}",
        framed(&screen)
    );
    // Typing goes on; two Escs then discard.
    tui.send("!");
    tui.wait_for("QX!", ACTION);
    tui.send_keys(&[ESC]);
    tui.wait_for("Esc again to discard", ACTION);
    tui.send_keys(&[ESC]);
    tui.wait_until("the form closed", ACTION, |s| !s.contents().contains("QX!"));
}

#[test]
fn digits_in_the_escalate_pane_choose_the_option_not_a_view() {
    let (_server, tui) = desk();

    tui.send("e");
    tui.wait_for("1–4 or Enter: request an option", ACTION);
    tui.send("3");
    let screen = tui.wait_until("the reassignment form", ACTION, |s| {
        s.contents().contains("┌ Case reassignment — ")
    });
    assert!(
        screen.contains("7 All open"),
        "the queue's view did not change:\n{}",
        framed(&screen)
    );
    // Nothing typed: one Esc closes it, and the pane shows the option chosen.
    tui.send_keys(&[ESC]);
    let screen = tui.wait_until("the pane with option 3 chosen", ACTION, |s| {
        !s.contents().contains("┌ Case reassignment — ")
    });
    assert!(
        screen.contains("> 3. Case reassignment"),
        "{}",
        framed(&screen)
    );
    // `?` in the pane lists the options.
    tui.send("?");
    let screen = tui.wait_for("Escalation options (1–4 request one at once)", ACTION);
    assert!(
        screen.contains("Faster RMA progress"),
        "{}",
        framed(&screen)
    );
}
