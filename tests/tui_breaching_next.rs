//! The breaching-next view (key 4) of the real TUI, in a pseudo-terminal against a real
//! `casedesk serve --demo`: on a desk with breached, due-soon, RMA-overdue and no-target cases,
//! the cases not yet breached come first, soonest first; a line heads the breached, most overdue
//! first; a case whose RMA return is overdue sorts by its own desk deadline and is not called
//! breached; the cases with no target are not in the view, and in "All open" they say so and
//! come after every case with a deadline.
//!
//! `CASEDESK_PTY_TRACE=1` prints the screens waited for.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::pty::{Pty, framed};
use common::{Server, number};
use serde_json::Value;

const FIRST_SCREEN: Duration = Duration::from_secs(30);
const ACTION: Duration = Duration::from_secs(15);
/// Tall enough that the whole view of the 400-case demo fits (the compact layout: the queue
/// alone); the default demo is the one with an open case whose RMA alone is overdue.
const COLS: u16 = 80;
const ROWS: u16 = 400;

/// The case numbers of the queue's rows, top to bottom, and the line each is on.
fn queue_rows(screen: &str) -> Vec<(usize, String)> {
    screen
        .lines()
        .enumerate()
        .filter_map(|(y, line)| {
            let row = line.trim_start_matches(['┃', '│', ' ', '>']);
            if !row.starts_with('P') {
                return None;
            }
            // The number, without the mark of an open escalation.
            let number = row.split_whitespace().nth(1)?.trim_end_matches('^');
            number
                .chars()
                .all(|c| c.is_ascii_digit() || c == '-')
                .then(|| (y, number.to_string()))
        })
        .collect()
}

fn line_of<'s>(screen: &'s str, needle: &str) -> &'s str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not on screen\n{}", framed(screen)))
}

#[test]
fn breaching_next_orders_the_demo_desk_soonest_first_then_the_breached() {
    let server = Server::start_with(&["--demo"]);
    let token = server.token("agent", "kimura");
    let api = server.client(&token);
    let rt = common::rt();
    let open = |sort: &str| {
        let list = rt
            .block_on(api.get(&format!("/v1/cases?open=true&sort={sort}&limit=500")))
            .expect(200);
        list["items"].as_array().expect("items").clone()
    };

    // The desk holds every kind the view must sort.
    let cases = open("breaching");
    let with_deadline = |c: &&Value| !c["next_due"].is_null();
    let breached: Vec<String> = cases
        .iter()
        .filter(|c| c["breached"] == true)
        .map(number)
        .collect();
    let no_target: Vec<String> = cases
        .iter()
        .filter(|c| c["next_due"].is_null() && c["status"] != "waiting_on_customer")
        .map(number)
        .collect();
    let overdue_rmas = rt
        .block_on(api.get("/v1/rmas?overdue=true&limit=500"))
        .expect(200);
    let rma_cases: BTreeSet<String> = overdue_rmas
        .as_array()
        .expect("items")
        .iter()
        .map(|r| r["case_number"].as_str().unwrap_or_default().to_string())
        .collect();
    // An open case whose RMA return is overdue while none of the desk's own clocks is.
    let desk_breached = |n: &str| {
        let case = rt.block_on(api.get(&format!("/v1/cases/{n}"))).expect(200);
        case["clocks"]["clocks"]
            .as_array()
            .expect("clocks")
            .iter()
            .any(|c| c["kind"] != "rma_return" && c["counting"] == true && c["state"] == "breached")
    };
    let rma_overdue = cases
        .iter()
        .map(number)
        .find(|n| rma_cases.contains(n) && !desk_breached(n))
        .expect("an open case whose RMA is overdue, its own clocks not breached");
    let rma_deadline = cases
        .iter()
        .any(|c| number(c) == rma_overdue && !c["next_due"].is_null());
    let stats = rt.block_on(api.get("/v1/stats")).expect(200);
    assert!(stats["due_within_1h"].as_u64() >= Some(1), "{stats}");
    assert!(!breached.is_empty() && !no_target.is_empty());

    let tui = Pty::casedesk_sized(&server.base, &token, &[], COLS, ROWS);
    tui.wait_for("All open", FIRST_SCREEN);
    tui.wait_for("● online", ACTION);
    tui.send("4");
    tui.wait_for("Breaching next (", ACTION);
    let heading = format!("breached, most overdue first ({})", breached.len());
    let screen = tui.wait_for(&heading, ACTION);

    // The rows are the server's breaching order of the cases with a deadline.
    let want: Vec<String> = open("breaching")
        .iter()
        .filter(with_deadline)
        .map(number)
        .collect();
    let rows = queue_rows(&screen);
    let shown: Vec<&str> = rows.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(shown, want, "{}", framed(&screen));
    // The first row is not yet breached; the heading sits just above the first breached row.
    let first_breached = rows
        .iter()
        .position(|(_, n)| breached.contains(n))
        .expect("a breached row");
    assert!(first_breached > 0, "{}", framed(&screen));
    // The view opens on its first row, whatever "All open" had selected.
    let first_line = screen.lines().nth(rows[0].0).unwrap_or_default();
    assert!(
        first_line
            .trim_start_matches(['┃', '│', ' '])
            .starts_with('>'),
        "{}",
        framed(&screen)
    );
    let heading_y = screen
        .lines()
        .position(|l| l.contains(&heading))
        .expect("heading");
    assert_eq!(heading_y + 1, rows[first_breached].0, "{}", framed(&screen));
    assert!(
        rows[first_breached..]
            .iter()
            .all(|(_, n)| breached.contains(n)),
        "{}",
        framed(&screen)
    );
    // An overdue RMA return is not a desk breach: the case is with the not yet breached by
    // its own deadline, or not in the view when no desk clock runs.
    assert!(!breached.contains(&rma_overdue), "{rma_overdue}");
    match rows.iter().position(|(_, n)| *n == rma_overdue) {
        Some(row) => {
            assert!(rma_deadline && row < first_breached, "{}", framed(&screen));
            assert!(!line_of(&screen, &rma_overdue).contains("BREACHED"));
        }
        None => assert!(!rma_deadline, "{rma_overdue}\n{}", framed(&screen)),
    }
    // No case without a target is in the view.
    for n in &no_target {
        assert!(!screen.contains(n.as_str()), "{n}\n{}", framed(&screen));
    }

    // All open: the no-target cases say so, after every case with a deadline, P1 first.
    tui.send("7");
    let screen = tui.wait_for("All open (", ACTION);
    let rows = queue_rows(&screen);
    let first_without = rows
        .iter()
        .position(|(_, n)| no_target.contains(n))
        .expect("a no-target row");
    let tail: Vec<&str> = rows[first_without..]
        .iter()
        .map(|(_, n)| n.as_str())
        .filter(|n| no_target.iter().any(|t| t == n))
        .collect();
    assert_eq!(tail.len(), no_target.len(), "{}", framed(&screen));
    for n in &no_target {
        let line = line_of(&screen, n);
        assert!(line.contains("no target"), "{line}");
    }
    assert!(!line_of(&screen, &rma_overdue).contains("BREACHED"));
    let priorities: Vec<String> = rows[first_without..]
        .iter()
        .filter(|(_, n)| no_target.contains(n))
        .map(|(y, _)| {
            screen
                .lines()
                .nth(*y)
                .unwrap_or_default()
                .trim_start_matches(['┃', '│', ' ', '>'])[..2]
                .to_string()
        })
        .collect();
    let mut sorted = priorities.clone();
    sorted.sort();
    assert_eq!(priorities, sorted, "{}", framed(&screen));
}
