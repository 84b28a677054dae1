//! `casedesk report` through the real binary against a real `casedesk serve --demo`: the JSON
//! rows and CSV headers of each report (a contract), the usage errors, an agent's 403, the
//! cached copy offline, and the demo's SLA and response figures against the sum of every
//! case's clocks.

mod common;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use common::Server;
use common::desk::Desk;
use serde_json::Value;

/// A JSON row's keys, sorted.
fn keys(row: &Value) -> Vec<String> {
    let mut k: Vec<String> = row
        .as_object()
        .unwrap_or_else(|| panic!("a row object: {row}"))
        .keys()
        .cloned()
        .collect();
    k.sort();
    k
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

fn rows(v: &Value) -> &Vec<Value> {
    v.as_array()
        .unwrap_or_else(|| panic!("an array of rows: {v}"))
}

#[tokio::test]
async fn each_report_prints_its_rows_csv_and_table_refuses_bad_values_and_agents_and_works_offline()
{
    let mut server = Server::start_with(&["--demo"]);
    let lead = server.token("lead", "yamamoto");
    let desk = Desk::new(&server.base, &lead);

    // sla: one row per clock without --by, the names.
    let sla = desk.run(&["report", "sla", "--json"]).json();
    let clocks: Vec<&str> = rows(&sla)
        .iter()
        .map(|r| r["clock"].as_str().unwrap())
        .collect();
    assert_eq!(clocks, ["first_response", "next_update", "rma_return"]);
    for r in rows(&sla) {
        assert_eq!(
            keys(r),
            sorted(&["clock", "met", "breached", "attainment", "running"])
        );
        let (met, breached) = (r["met"].as_f64().unwrap(), r["breached"].as_f64().unwrap());
        if met + breached > 0.0 {
            let a = r["attainment"].as_f64().unwrap();
            assert!((a - met / (met + breached)).abs() < 1e-9, "{r}");
        } else {
            assert!(r["attainment"].is_null(), "{r}");
        }
    }
    let by = desk
        .run(&["report", "sla", "--by", "priority", "--json"])
        .json();
    assert!(
        rows(&by).iter().all(|r| r["group"].is_string()),
        "grouped rows carry their group: {by}"
    );

    // response: wall and business, the figures by name, nine histogram buckets.
    let response = desk.run(&["report", "response", "--json"]).json();
    let times: Vec<&str> = rows(&response)
        .iter()
        .map(|r| r["time"].as_str().unwrap())
        .collect();
    assert_eq!(times, ["wall", "business"]);
    for r in rows(&response) {
        assert_eq!(
            keys(r),
            sorted(&[
                "time",
                "count",
                "median_secs",
                "p90_secs",
                "max_secs",
                "histogram"
            ])
        );
        let buckets = rows(&r["histogram"]);
        assert_eq!(buckets.len(), 9, "{r}");
        let total: u64 = buckets.iter().map(|b| b["count"].as_u64().unwrap()).sum();
        assert_eq!(total, r["count"].as_u64().unwrap(), "{r}");
    }

    // backlog: now first (no flow), then each day with created/resolved/closed.
    let backlog = desk.run(&["report", "backlog", "--json"]).json();
    let b = rows(&backlog);
    assert_eq!(b[0]["period"], "now");
    assert!(
        b[0]["created"].is_null() && b[0]["closed"].is_null(),
        "{}",
        b[0]
    );
    assert_eq!(b.len(), 8, "now and seven days");
    let backlog_keys = sorted(&[
        "period",
        "at",
        "open",
        "p1",
        "p2",
        "p3",
        "p4",
        "age_under_1d",
        "age_1_3d",
        "age_3_7d",
        "age_7_30d",
        "age_over_30d",
        "created",
        "resolved",
        "closed",
    ]);
    for r in b {
        assert_eq!(keys(r), backlog_keys);
    }
    assert!(b[1]["created"].is_u64(), "{}", b[1]);

    // load: one row per owner.
    let load = desk.run(&["report", "load", "--json"]).json();
    for r in rows(&load) {
        assert_eq!(
            keys(r),
            sorted(&[
                "owner",
                "open",
                "p1",
                "p2",
                "breaching_1h",
                "breached",
                "public_notes",
                "calls"
            ])
        );
    }
    assert!(rows(&load).iter().any(|r| r["open"].as_u64() > Some(0)));

    // CSV: a header with the same names, then one line per row.
    for (kind, header) in [
        ("sla", "clock,met,breached,attainment,running"),
        (
            "response",
            "time,count,median_secs,p90_secs,max_secs,le_900,le_1800,le_3600,le_7200,le_14400,le_28800,le_86400,le_172800,over",
        ),
        (
            "backlog",
            "period,at,open,p1,p2,p3,p4,age_under_1d,age_1_3d,age_3_7d,age_7_30d,age_over_30d,created,resolved,closed",
        ),
        (
            "load",
            "owner,open,p1,p2,breaching_1h,breached,public_notes,calls",
        ),
    ] {
        let csv = desk.run(&["report", kind, "--csv"]);
        let text = csv.ok();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0].trim_end(), header, "{kind}");
        let json = desk.run(&["report", kind, "--json"]).json();
        assert_eq!(lines.len() - 1, rows(&json).len(), "{kind}: {text}");
    }
    let by_owner = desk.run(&["report", "sla", "--by", "owner", "--csv"]);
    assert!(
        by_owner
            .ok()
            .starts_with("group,clock,met,breached,attainment,running")
    );

    // The table names the report, the period and the grouping.
    let table = desk.run(&["report", "sla", "--by", "priority", "--zone", "UTC"]);
    let first = table.ok().lines().next().unwrap_or_default().to_string();
    assert!(
        first.starts_with("SLA attainment · ") && first.contains("(UTC) · by priority"),
        "{first}"
    );

    // Bad values: one line naming the flag and the form, exit 2.
    desk.run(&["report", "sla", "--from", "20/11/2026"]).fails(
        2,
        "--from \"20/11/2026\" is not a date: expected YYYY-MM-DD",
    );
    desk.run(&["report", "sla", "--by", "month"]).fails(
        2,
        "--by: cannot group by \"month\": expected priority, tier, owner, channel, week or day",
    );
    desk.run(&["report", "sla", "--zone", "Mars/Base"])
        .fails(2, "--zone: zone \"Mars/Base\" is not a time zone");
    desk.run(&["report", "load", "--by", "tier"])
        .fails(2, "always per owner");
    desk.run(&["report", "slas"])
        .fails(2, "the reports are sla, response, backlog and load");

    // An agent's token is refused, naming the role needed.
    let agent = server.token("agent", "tanaka");
    let agent_desk = Desk::new(&server.base, &agent);
    agent_desk
        .run(&["report", "sla"])
        .fails(1, "the role lead or higher is needed");

    // Offline: the copy of the same query, said on stderr; another query is not there.
    server.stop();
    let offline = desk.run(&["report", "sla", "--json"]);
    assert_eq!(offline.json(), sla);
    assert!(
        offline
            .stderr
            .contains("offline: the sla report as fetched at "),
        "{}",
        offline.stderr
    );
    assert!(
        offline.stderr.contains("from the cache"),
        "{}",
        offline.stderr
    );
    desk.run(&["report", "sla", "--by", "tier"]).fails(
        1,
        "the sla report for this period is not in the cache and the server cannot be reached",
    );
}

/// How one clock interval ended, as the cases' clocks say.
enum Decided {
    Met(DateTime<Utc>),
    Breached(DateTime<Utc>),
    Running,
    Nothing,
}

fn time(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str().and_then(|s| s.parse().ok())
}

/// Every interval of a clock: its earlier ones, then the current one on a case open or not, as
/// it stood at `at` (a breach after `at` was still running then).
fn intervals(clock: &Value, open: bool, at: DateTime<Utc>) -> Vec<Decided> {
    let mut out: Vec<Decided> = clock["earlier"]
        .as_array()
        .map(|e| e.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|i| match (time(&i["breached_at"]), time(&i["met_at"])) {
            (Some(b), _) => Decided::Breached(b),
            (None, Some(m)) => Decided::Met(m),
            (None, None) => Decided::Nothing,
        })
        .collect();
    let running = if open {
        Decided::Running
    } else {
        Decided::Nothing
    };
    out.push(match clock["state"].as_str().unwrap_or_default() {
        "breached" => match time(&clock["due"]) {
            Some(due) if due < at => Decided::Breached(due),
            _ => running,
        },
        "met" => time(&clock["met_at"]).map_or(Decided::Nothing, Decided::Met),
        "running" | "paused" => running,
        _ => Decided::Nothing,
    });
    out
}

#[tokio::test]
async fn the_demo_report_equals_the_sum_of_every_cases_clocks() {
    let server = Server::start_with(&["--demo"]);
    let lead = server.token("lead", "yamamoto");
    let desk = Desk::new(&server.base, &lead);
    let api = server.client(&lead);

    // A period covering the whole demo, in UTC.
    let today = Utc::now().date_naive();
    let from = (today - Duration::days(120)).to_string();
    let to = today.to_string();
    let query = ["--from", &from, "--to", &to, "--zone", "UTC"];
    let path = format!("/v1/reports/sla?from={from}&to={to}&zone=UTC");

    // The report and the cases read in the same minute, so the report's instant is theirs.
    let (sla, response, header, cases) = loop {
        let before = api.get(&path).await.expect(200);
        let sla = desk
            .run(&[&["report", "sla", "--json"], &query[..]].concat())
            .json();
        let response = desk
            .run(&[&["report", "response", "--json"], &query[..]].concat())
            .json();
        let list = desk.run(&["cases", "list", "--all", "--json"]).json();
        let mut cases = Vec::new();
        for n in common::numbers_in(&list) {
            cases.push(api.get(&format!("/v1/cases/{n}")).await.expect(200));
        }
        let after = api.get(&path).await.expect(200);
        if before["at"] == after["at"] {
            break (sla, response, after, cases);
        }
    };
    assert!(cases.len() >= 300, "the demo's cases: {}", cases.len());
    let at = time(&header["at"]).expect("the report's instant");
    let (start, end) = (
        time(&header["from"]).unwrap(),
        time(&header["to"]).unwrap().min(at),
    );
    let within = |t: DateTime<Utc>| start <= t && t < end;

    // Per report clock: met, breached, running.
    let mut expected: BTreeMap<&str, (u64, u64, u64)> = BTreeMap::new();
    let mut first_responses: Vec<(String, i64)> = Vec::new();
    for case in &cases {
        let status = case["status"].as_str().unwrap_or_default();
        let open = !matches!(status, "resolved" | "closed");
        for clock in rows(&case["clocks"]["clocks"]) {
            let kind = match clock["kind"].as_str().unwrap_or_default() {
                "first_response" => "first_response",
                "update" => "next_update",
                "rma_return" => "rma_return",
                _ => continue,
            };
            let e = expected.entry(kind).or_default();
            for i in intervals(clock, open, at) {
                match i {
                    Decided::Breached(b) if within(b) => e.1 += 1,
                    Decided::Met(m) if within(m) => e.0 += 1,
                    Decided::Running => e.2 += 1,
                    _ => {}
                }
            }
            if kind == "first_response"
                && let (Some(met), Some(created)) =
                    (time(&clock["met_at"]), time(&case["created_at"]))
                && within(met)
            {
                first_responses.push((common::number(case), (met - created).num_seconds()));
            }
        }
    }
    let mut disagreements = Vec::new();
    for row in rows(&sla) {
        let clock = row["clock"].as_str().unwrap();
        let (met, breached, running) = expected.get(clock).copied().unwrap_or_default();
        let got = (
            row["met"].as_u64().unwrap(),
            row["breached"].as_u64().unwrap(),
            row["running"].as_u64().unwrap(),
        );
        if got != (met, breached, running) {
            disagreements.push(format!(
                "{clock}: report met/breached/running {got:?}, the clocks sum to {:?}",
                (met, breached, running)
            ));
        }
    }
    let wall = &rows(&response)[0];
    assert_eq!(wall["time"], "wall");
    let longest = first_responses.iter().map(|(_, s)| *s).max();
    if wall["count"].as_u64() != Some(first_responses.len() as u64)
        || wall["max_secs"].as_i64() != longest
    {
        disagreements.push(format!(
            "first responses: report count {} max {}, the clocks give {} max {longest:?}",
            wall["count"],
            wall["max_secs"],
            first_responses.len()
        ));
    }
    assert!(
        disagreements.is_empty(),
        "the report disagrees with the cases' clocks at {at}:\n{}",
        disagreements.join("\n")
    );
}
