//! Cross-checks on a realistic database (`casedesk serve --demo`): the counts, the lists, the
//! change feed, search and entitlements all tell the same story.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Api, Server, enc, number};
use serde_json::Value;

const DEMO_CASES: usize = 60;

fn demo() -> Server {
    Server::start_with(&["--demo", "--demo-cases", &DEMO_CASES.to_string()])
}

/// Every case of the list for `query`, page by page with `limit`.
async fn pages(api: &Api, query: &str, limit: u32) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut cursor: Option<String> = None;
    let mut total = None;
    for _ in 0..1000 {
        let q = match &cursor {
            Some(c) => format!("{query}&limit={limit}&cursor={}", enc(c)),
            None => format!("{query}&limit={limit}"),
        };
        let page = api.get(&format!("/v1/cases?{q}")).await.expect(200);
        let t = page["total"].as_u64().unwrap();
        assert_eq!(*total.get_or_insert(t), t, "total stays the same: {q}");
        rows.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => {
                assert_eq!(rows.len() as u64, t, "{query}: the pages hold `total` rows");
                return rows;
            }
        }
    }
    panic!("paging {query} does not end");
}

#[tokio::test]
async fn the_demo_starts_with_a_realistic_queue() {
    let server = demo();
    let viewer = server.login("viewer", "tv-board");
    let all = viewer.get("/v1/cases?limit=500").await.expect(200);
    assert_eq!(all["total"], DEMO_CASES as u64);
    let items = all["items"].as_array().unwrap();
    let statuses: BTreeSet<&str> = items
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert!(statuses.len() >= 3, "several statuses: {statuses:?}");
    assert!(viewer.seq().await > 0);
}

#[tokio::test]
async fn every_sort_column_pages_without_gaps_or_duplicates() {
    let server = demo();
    let viewer = server.login("viewer", "tv-board");
    let everything: BTreeSet<String> = pages(&viewer, "sort=number", 500)
        .await
        .iter()
        .map(number)
        .collect();
    assert_eq!(everything.len(), DEMO_CASES);
    for column in [
        "next_due",
        "breaching",
        "number",
        "status",
        "priority",
        "site",
        "contact",
        "updated",
        "created",
        "platform",
        "owner",
        "subject",
        "tier",
    ] {
        for dir in ["asc", "desc"] {
            let query = format!("sort={column}:{dir}");
            let whole: Vec<String> = pages(&viewer, &query, 500)
                .await
                .iter()
                .map(number)
                .collect();
            let paged: Vec<String> = pages(&viewer, &query, 7).await.iter().map(number).collect();
            assert_eq!(paged, whole, "{query}: pages of 7 join to the whole list");
            let set: BTreeSet<String> = paged.iter().cloned().collect();
            assert_eq!(set, everything, "{query}: every case once");
        }
    }
    // The two directions of a column are mirror images where the column has no empty values.
    for column in ["number", "created"] {
        let asc: Vec<String> = pages(&viewer, &format!("sort={column}"), 500)
            .await
            .iter()
            .map(number)
            .collect();
        let mut desc: Vec<String> = pages(&viewer, &format!("sort={column}:desc"), 500)
            .await
            .iter()
            .map(number)
            .collect();
        desc.reverse();
        assert_eq!(asc, desc, "{column}");
    }
    // Sorted by priority, P1 first; by next_due, soonest first with the cases without a clock last.
    let by_priority: Vec<String> = pages(&viewer, "sort=priority", 500)
        .await
        .iter()
        .map(|c| c["priority"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = by_priority.clone();
    sorted.sort();
    assert_eq!(by_priority, sorted);
    for dir in ["asc", "desc"] {
        let rows = pages(&viewer, &format!("sort=next_due:{dir}"), 500).await;
        let dues: Vec<Option<&str>> = rows.iter().map(|c| c["next_due"].as_str()).collect();
        let first_none = dues.iter().position(Option::is_none).unwrap_or(dues.len());
        assert!(
            dues[first_none..].iter().all(Option::is_none),
            "{dir}: cases without a deadline last: {dues:?}"
        );
        let present: Vec<&str> = dues[..first_none].iter().map(|d| d.unwrap()).collect();
        let mut want = present.clone();
        want.sort();
        if dir == "desc" {
            want.reverse();
        }
        assert_eq!(present, want, "{dir}: deadlines in order");
    }
}

#[tokio::test]
async fn stats_agree_with_the_lists() {
    let server = demo();
    let viewer = server.login("viewer", "tv-board");
    // The server's jobs may announce a breach meanwhile: take both views at one sequence.
    for _attempt in 0..5 {
        let before = viewer.seq().await;
        let stats = viewer.get("/v1/stats").await.expect(200);
        let open = pages(&viewer, "open=true", 500).await;
        let escalations = viewer.get("/v1/escalations").await.expect(200);
        let overdue = viewer.get("/v1/rmas?overdue=true").await.expect(200);
        if viewer.seq().await != before || stats["seq"] != before {
            continue;
        }
        let mut by_priority: BTreeMap<String, u64> = ["P1", "P2", "P3", "P4"]
            .iter()
            .map(|p| (p.to_string(), 0))
            .collect();
        let mut by_status: BTreeMap<String, u64> = BTreeMap::new();
        for c in &open {
            *by_priority
                .entry(c["priority"].as_str().unwrap().to_string())
                .or_default() += 1;
            *by_status
                .entry(c["status"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        let stats_priority: BTreeMap<String, u64> =
            serde_json::from_value(stats["open_by_priority"].clone()).unwrap();
        assert_eq!(stats_priority, by_priority);
        let stats_status: BTreeMap<String, u64> =
            serde_json::from_value(stats["open_by_status"].clone()).unwrap();
        let nonzero: BTreeMap<String, u64> =
            stats_status.into_iter().filter(|(_, n)| *n > 0).collect();
        assert_eq!(nonzero, by_status);
        let unassigned = open.iter().filter(|c| c["owner"].is_null()).count() as u64;
        assert_eq!(stats["unassigned"], unassigned);
        let breached = open.iter().filter(|c| c["breached"] == true).count() as u64;
        assert_eq!(stats["breached"], breached);
        assert_eq!(
            stats["open_escalations"],
            escalations.as_array().unwrap().len() as u64
        );
        assert_eq!(
            stats["overdue_rmas"],
            overdue.as_array().unwrap().len() as u64
        );
        let open_escalations: u64 = open
            .iter()
            .map(|c| c["open_escalations"].as_u64().unwrap())
            .sum();
        assert_eq!(stats["open_escalations"], open_escalations);
        // The list's own filters agree with the rows.
        let unassigned_list = viewer.get("/v1/cases?open=true&owner=").await.expect(200);
        assert_eq!(unassigned_list["total"], unassigned);
        return;
    }
    panic!("the sequence never held still for five attempts");
}

#[tokio::test]
async fn the_change_feed_from_zero_holds_every_case_once() {
    let server = demo();
    let viewer = server.login("viewer", "tv-board");
    let newest = viewer.seq().await;
    let mut since = 0;
    let mut seen = Vec::new();
    loop {
        let page = viewer
            .get(&format!("/v1/changes?since={since}&limit=9"))
            .await
            .expect(200);
        seen.extend(page["cases"].as_array().unwrap().iter().map(number));
        since = page["seq"].as_i64().unwrap();
        if page["more"] == false {
            break;
        }
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no case twice");
    assert_eq!(seen.len(), DEMO_CASES);
    assert!(since >= newest);
}

#[tokio::test]
async fn search_and_entitlements_on_demo_data() {
    let server = demo();
    let viewer = server.login("viewer", "tv-board");
    let rows = pages(&viewer, "sort=number", 500).await;
    // Entitlements: a case with a serial carries its contract, and the lookup agrees.
    let mut checked = 0;
    for c in rows
        .iter()
        .filter(|c| c["serial_number"].is_string())
        .take(10)
    {
        let n = number(c);
        let case = viewer.case(&n).await;
        let serial = case["serial_number"].as_str().unwrap();
        let r = viewer
            .get(&format!("/v1/entitlements/{}", enc(serial)))
            .await;
        match case["entitlement"].is_null() {
            true => {
                r.problem(404, None);
                assert_eq!(
                    case["unentitled"], true,
                    "{n}: a serial with no contract is flagged"
                );
            }
            false => {
                let e = r.expect(200);
                assert_eq!(e, case["entitlement"], "{n}");
                assert_eq!(case["unentitled"], e["active"] == false, "{n}");
                let lower = viewer
                    .get(&format!("/v1/entitlements/{}", enc(&serial.to_lowercase())))
                    .await
                    .expect(200);
                assert_eq!(lower["serial_number"], e["serial_number"]);
                checked += 1;
            }
        }
        // Search by serial finds the case.
        let found = viewer
            .get(&format!("/v1/search?q={}", enc(serial)))
            .await
            .expect(200);
        let numbers: Vec<String> = found["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(number)
            .collect();
        assert!(numbers.contains(&n), "search {serial}: {numbers:?}");
        // And by number without dashes, first.
        let found = viewer
            .get(&format!("/v1/search?q={}", n.replace('-', "")))
            .await
            .expect(200);
        assert_eq!(number(&found["cases"][0]), n);
    }
    assert!(checked > 0, "some demo serials have a contract");
    // Every RMA is found by its number, with its case.
    let rmas = viewer.get("/v1/rmas?limit=500").await.expect(200);
    for rma in rmas.as_array().unwrap().iter().take(10) {
        let r = rma["number"].as_str().unwrap();
        let found = viewer.get(&format!("/v1/search?q={r}")).await.expect(200);
        assert_eq!(found["rmas"][0]["number"], r);
        let cases: Vec<String> = found["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(number)
            .collect();
        assert!(cases.contains(&rma["case_number"].as_str().unwrap().to_string()));
        // Lower case works too.
        let lower = viewer
            .get(&format!("/v1/search?q={}", r.to_lowercase()))
            .await
            .expect(200);
        assert_eq!(lower["rmas"][0]["number"], r);
    }
    assert!(!server.log().contains("request failed"), "{}", server.log());
}
