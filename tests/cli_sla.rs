//! The `casedesk sla` commands, run as the real binary, in the exact forms the acceptance
//! scripts use.

use std::process::{Command, Output};

/// Runs the binary with a command line split on whitespace.
fn casedesk(cmdline: &str) -> Output {
    run(&cmdline.split_whitespace().collect::<Vec<_>>())
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_casedesk"))
        .args(args)
        .output()
        .expect("the casedesk binary runs")
}

fn stdout(cmdline: &str) -> String {
    let args = cmdline;
    let out = casedesk(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs a command that must fail with status 2 and one line on stderr; returns that line.
fn usage_error(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stdout.is_empty(), "{args:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    err.trim_end().to_string()
}

fn json(args: &str) -> serde_json::Value {
    serde_json::from_str(&stdout(args)).unwrap()
}

#[test]
fn due_prints_the_instant_in_the_calendars_offset() {
    let due = stdout(
        "sla due --tier standard --priority P2 --metric first-response --start 2026-11-20T16:00:00+09:00",
    );
    // Web by default: 1 business day; Monday Nov 23 is Labour Thanksgiving Day.
    assert_eq!(due, "2026-11-24T16:00:00+09:00\n");
}

#[test]
fn due_json_carries_calendar_target_and_working_seconds() {
    let v = json(
        "sla due --tier standard --priority high --metric first-response --channel web --start 2026-11-20T16:00:00+09:00 --json",
    );
    assert_eq!(v["due"], "2026-11-24T16:00:00+09:00");
    assert_eq!(v["calendar"], "jp-business");
    assert_eq!(v["target"], "1bd");
    assert_eq!(v["working_seconds"], 28_800);
}

#[test]
fn wall_clock_targets_keep_the_offset_of_the_start() {
    let v = json(
        "sla due --tier tac-premium --priority P1 --metric first-response --start 2026-11-21T23:50:00-08:00 --json",
    );
    assert_eq!(v["due"], "2026-11-22T00:05:00-08:00");
    assert_eq!(v["calendar"], "24x7");
    assert_eq!(v["target"], "15m");
    assert_eq!(v["working_seconds"], 900);
}

#[test]
fn due_on_another_site_calendar() {
    let due = stdout(
        "sla due --tier standard --priority P1 --metric first-response --channel phone --calendar us-pacific-business --start 2026-11-25T16:30:00-08:00",
    );
    // 30 minutes Wednesday, Thanksgiving Thursday off, 90 minutes Friday.
    assert_eq!(due, "2026-11-27T10:30:00-08:00\n");
}

#[test]
fn add_and_between_agree() {
    let v = json(
        "sla add --calendar jp-business --start 2026-12-28T16:00:00+09:00 --duration 2h30m --json",
    );
    assert_eq!(v["due"], "2027-01-04T10:30:00+09:00");
    assert_eq!(v["working_seconds"], 9000);
    let b = json(
        "sla between --calendar jp-business --from 2026-12-28T16:00:00+09:00 --to 2027-01-04T10:30:00+09:00 --json",
    );
    assert_eq!(b["working_seconds"], 9000);
    let plain = stdout(
        "sla between --calendar jp-business --from 2026-12-28T16:00:00+09:00 --to 2027-01-04T10:30:00+09:00",
    );
    assert_eq!(plain, "2h30m\n");
}

#[test]
fn bad_values_name_the_argument_and_the_expected_form() {
    let base = |flag: &'static str, value: &'static str| {
        let mut args: Vec<&str> = "sla due --tier tac-care --priority P1 --metric update --start 2026-11-20T16:00:00+09:00".split_whitespace().collect();
        match args.iter().position(|a| *a == flag) {
            Some(i) => args[i + 1] = value,
            None => args.extend([flag, value]),
        }
        usage_error(&args)
    };
    assert_eq!(
        base("--priority", "P9"),
        "error: invalid --priority 'P9': expected P1, P2, P3 or P4"
    );
    assert!(base("--tier", "gold").contains("invalid --tier 'gold': expected tac-care"));
    assert!(
        base("--metric", "resolution")
            .contains("invalid --metric 'resolution': expected first-response or update")
    );
    assert!(base("--channel", "fax").contains("invalid --channel 'fax': expected"));
    assert!(
        base("--start", "yesterday")
            .contains("invalid --start 'yesterday': expected an RFC 3339 instant")
    );
    assert!(base("--calendar", "mars").contains("unknown calendar 'mars'"));
    let err = usage_error(&[
        "sla",
        "add",
        "--calendar",
        "24x7",
        "--start",
        "2026-11-20T16:00:00Z",
        "--duration",
        "3 hours",
    ]);
    assert!(
        err.contains("invalid --duration '3 hours': expected a duration like 15m"),
        "{err}"
    );
}

#[test]
fn a_broken_calendar_file_is_refused_naming_the_line() {
    let dir = std::env::temp_dir().join(format!("casedesk-cli-sla-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("site.toml");
    std::fs::write(
        &file,
        "[[calendar]]\nname = \"site\"\nzone = \"UTC\"\n[calendar.hours]\nmon = [\"9-17\"]\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let err = usage_error(&[
        "sla",
        "add",
        "--calendar",
        "site",
        "--calendar-file",
        file,
        "--start",
        "2026-11-20T16:00:00Z",
        "--duration",
        "1h",
    ]);
    assert!(
        err.contains("line 5") && err.contains("HH:MM-HH:MM"),
        "{err}"
    );

    std::fs::write(file, "[[calendar]]\nname = \"site\"\nzone = \"Europe/Berlin\"\n[calendar.hours]\nmon = [\"08:00-12:00\", \"13:00-17:00\"]\n").unwrap();
    let due = stdout(&format!(
        "sla add --calendar site --calendar-file {file} --start 2026-11-23T11:00:00+01:00 --duration 2h"
    ));
    assert_eq!(due, "2026-11-23T14:00:00+01:00\n");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_tier_without_that_target_says_so() {
    let out = casedesk(
        "sla due --tier standard --priority P1 --metric update --start 2026-11-20T16:00:00+09:00",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("sets no update target"), "{err}");
}

#[test]
fn listings_show_the_builtins() {
    let cals = stdout("sla calendars");
    for name in [
        "24x7",
        "jp-business",
        "us-pacific-business",
        "Asia/Tokyo",
        "America/Los_Angeles",
    ] {
        assert!(cals.contains(name), "{name} missing from:\n{cals}");
    }
    let jp = stdout("sla calendars jp-business");
    assert!(
        jp.contains("2026-09-22") && jp.contains("国民の休日"),
        "{jp}"
    );
    let policies = stdout("sla policies");
    for row in [
        "tac-care      any      1h 24x7 / 4h 24x7",
        "standard      web      2h business         1bd",
        "self_service",
    ] {
        assert!(policies.contains(row), "{row:?} missing from:\n{policies}");
    }
}

#[test]
fn clocks_from_a_history_file() {
    let history = r#"{
        "created_at": "2026-11-20T07:00:00Z",
        "priority": "P2", "tier": "standard", "channel": "phone",
        "events": [{"at": "2026-11-20T07:30:00Z", "event": "note", "visibility": "public", "by": "support"}]
    }"#;
    let dir = std::env::temp_dir().join(format!("casedesk-cli-clocks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("history.json");
    std::fs::write(&file, history).unwrap();
    let cmd = format!(
        "sla clocks --history {} --now 2026-11-20T08:00:00Z",
        file.display()
    );
    let v = json(&format!("{cmd} --json"));
    assert_eq!(v["clocks"][0]["kind"], "first_response");
    assert_eq!(v["clocks"][0]["state"], "met");
    let table = stdout(&cmd);
    assert!(
        table.contains("first response") && table.contains("met"),
        "{table}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
