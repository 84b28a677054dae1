//! Reports for leads over HTTP against the real `casedesk serve` (issue 19 item 1): who may
//! read them, the ETag's 304, refusals that name the parameter and its form, the document.

mod common;

use common::Server;

const REPORTS: [&str; 4] = ["sla", "response", "backlog", "load"];

#[tokio::test]
async fn leads_read_every_report_and_revalidate_with_the_etag() {
    let server = Server::start_with(&["--demo", "--demo-cases", "60"]);
    let lead = server.login("lead", "report-lead");
    for kind in REPORTS {
        let path = format!("/v1/reports/{kind}");
        let r = lead.get(&path).await;
        let report = r.expect(200);
        assert_eq!(report["kind"], kind, "{report}");
        assert!(report["rows"].is_array(), "{report}");
        assert_eq!(report["target"], 0.95, "the built-in attainment target");
        let etag = r.header("etag").expect("an ETag").to_string();
        let again = lead.get_with(&path, &[("If-None-Match", &etag)]).await;
        assert_eq!(again.status.as_u16(), 304, "{kind}: nothing changed");
        // Another query is another report.
        let other = lead
            .get_with(&format!("{path}?by=owner"), &[("If-None-Match", &etag)])
            .await;
        assert_eq!(other.status.as_u16(), 200, "{kind} by owner");
    }
    let sla = lead.get("/v1/reports/sla").await.expect(200);
    let clocks: Vec<&str> = sla["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["clock"].as_str().unwrap())
        .collect();
    assert_eq!(clocks, ["first_response", "next_update", "rma_return"]);
    for row in sla["rows"].as_array().unwrap() {
        for field in ["met", "breached", "attainment", "running"] {
            assert!(row.get(field).is_some(), "{field} in {row}");
        }
    }

    // A change moves the ETag: the report is computed again.
    let r = lead.get("/v1/reports/load").await;
    let etag = r.header("etag").unwrap().to_string();
    let case = &lead.get("/v1/cases?limit=1&status=open").await.expect(200)["items"][0];
    let (number, version) = (common::number(case), case["version"].as_i64().unwrap());
    lead.post_with(
        &format!("/v1/cases/{number}/notes"),
        &serde_json::json!({"body": "Checked the logs.", "visibility": "internal"}),
        &[("If-Match", &format!("\"v{version}\""))],
    )
    .await
    .expect(201);
    let after = lead
        .get_with("/v1/reports/load", &[("If-None-Match", &etag)])
        .await;
    assert_eq!(after.status.as_u16(), 200, "a write changes the sequence");
}

#[tokio::test]
async fn reports_are_for_leads_and_the_trend_for_everyone() {
    let server = Server::start_with(&["--demo", "--demo-cases", "20"]);
    let agent = server.login("agent", "report-agent");
    let viewer = server.login("viewer", "report-tv");
    for kind in REPORTS {
        let p = agent
            .get(&format!("/v1/reports/{kind}"))
            .await
            .problem(403, None);
        assert!(p["detail"].to_string().contains("lead"), "{p}");
    }
    let trend = viewer.get("/v1/stats/trend").await.expect(200);
    assert_eq!(
        trend["breaches"].as_array().map(Vec::len),
        Some(14),
        "{trend}"
    );
    let clocks: Vec<&str> = trend["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["clock"].as_str().unwrap())
        .collect();
    assert_eq!(clocks, ["first_response", "next_update"]);
}

#[tokio::test]
async fn a_bad_query_names_the_parameter_and_its_form() {
    let server = Server::start();
    let lead = server.login("lead", "report-lead");
    let cases = [
        ("from=20/11/2026", "from", "YYYY-MM-DD"),
        ("to=tomorrow", "to", "YYYY-MM-DD"),
        ("zone=Mars/Base", "zone", "IANA"),
        (
            "by=colour",
            "by",
            "priority, tier, owner, channel, week or day",
        ),
        ("from=2026-11-20&to=2026-11-01", "from", "on or before"),
        ("from=2024-01-01&to=2026-11-01", "from", "at most"),
        ("limit=5", "limit", ""),
    ];
    for (query, field, words) in cases {
        let p = lead
            .get(&format!("/v1/reports/sla?{query}"))
            .await
            .problem(400, Some(field));
        assert!(
            p["detail"].as_str().unwrap_or_default().contains(words),
            "{query}: {p}"
        );
    }
    let p = lead
        .get("/v1/reports/load?by=tier")
        .await
        .problem(400, Some("by"));
    assert!(p["detail"].as_str().unwrap().contains("per owner"), "{p}");
}

#[tokio::test]
async fn the_reports_are_documented() {
    let server = Server::start();
    let doc = server.anonymous().get("/v1/openapi.json").await.expect(200);
    for path in [
        "/v1/reports/sla",
        "/v1/reports/response",
        "/v1/reports/backlog",
        "/v1/reports/load",
        "/v1/stats/trend",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} documented");
    }
    for schema in ["SlaRow", "ResponseRow", "BacklogRow", "LoadRow", "Trend"] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "{schema} in the schemas"
        );
    }
}
