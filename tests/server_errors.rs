//! Bad input of every kind gets the right 4xx and a useful `application/problem+json`
//! document — never a 500 (SPEC §4).

mod common;

use common::{Api, Server, number};
use reqwest::Method;
use serde_json::{Value, json};

async fn setup() -> (Server, Api, String, String) {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let case = agent
        .create_case(json!({ "serial_number": "FOC7777E0RR" }))
        .await;
    let n = number(&case);
    let v = common::if_match(&case);
    (server, agent, n, v)
}

#[tokio::test]
async fn malformed_json_and_wrong_content_type() {
    let (server, agent, n, v) = setup().await;
    // Handling escalations is a lead's; the role is checked before the body.
    let lead = server.login("lead", "suzuki");
    for (path, method) in [
        ("/v1/cases".to_string(), Method::POST),
        (format!("/v1/cases/{n}"), Method::PATCH),
        (format!("/v1/cases/{n}/notes"), Method::POST),
        (format!("/v1/cases/{n}/escalations"), Method::POST),
        (format!("/v1/cases/{n}/rmas"), Method::POST),
        ("/v1/escalations/1".to_string(), Method::PATCH),
        ("/v1/rmas/R21000001".to_string(), Method::PATCH),
    ] {
        let agent = if path.starts_with("/v1/escalations/") {
            &lead
        } else {
            &agent
        };
        for body in ["{", "not json", "{\"unterminated", "{]", "\u{0}"] {
            let r = agent
                .send_raw(
                    method.clone(),
                    &path,
                    "application/json",
                    body,
                    &[("If-Match", &v)],
                )
                .await;
            let p = r.problem(400, None);
            assert!(
                p["type"].as_str().unwrap().ends_with("malformed-json"),
                "{method} {path}: {p}"
            );
        }
        // No body at all.
        let r = agent
            .send_raw(
                method.clone(),
                &path,
                "application/json",
                "",
                &[("If-Match", &v)],
            )
            .await;
        assert_eq!(
            r.status.as_u16(),
            400,
            "{method} {path} empty body: {}",
            r.text()
        );
        r.problem(400, None);
        // Not JSON as declared.
        let r = agent
            .send_raw(
                method.clone(),
                &path,
                "text/plain",
                "{\"subject\":\"x\",\"priority\":\"P1\"}",
                &[("If-Match", &v)],
            )
            .await;
        let p = r.problem(415, None);
        assert!(
            p["detail"].as_str().unwrap().contains("application/json"),
            "{p}"
        );
    }
    assert_eq!(agent.case(&n).await["version"], 1, "nothing was applied");
}

#[tokio::test]
async fn wrong_types_and_unknown_words_name_the_field() {
    let (_server, agent, n, v) = setup().await;
    let cases = [
        (json!({ "subject": 5, "priority": "P1" }), "subject"),
        (json!({ "subject": "x", "priority": "P9" }), "priority"),
        (json!({ "subject": "x", "priority": 1 }), "priority"),
        (
            json!({ "subject": "x", "priority": "P1", "tier": "gold" }),
            "tier",
        ),
        (
            json!({ "subject": "x", "priority": "P1", "channel": "fax" }),
            "channel",
        ),
        (
            json!({ "subject": "x", "priority": "P1", "request_type": "pizza" }),
            "request_type",
        ),
        (
            json!({ "subject": "x", "priority": "P1", "preferred_contact": "pigeon" }),
            "preferred_contact",
        ),
        (
            json!({ "subject": "x", "priority": "P1", "serial_number": ["a"] }),
            "serial_number",
        ),
        (json!({ "subject": "", "priority": "P1" }), "subject"),
        (
            json!({ "subject": "two\nlines", "priority": "P1" }),
            "subject",
        ),
        (
            json!({ "subject": "x".repeat(201), "priority": "P1" }),
            "subject",
        ),
    ];
    for (body, field) in cases {
        let r = agent.post("/v1/cases", &body).await;
        let p = r.problem(422, Some(field));
        assert!(p["detail"].as_str().unwrap().len() > 10, "{p}");
    }
    // Unknown status, priority alias and close reason in a PATCH.
    let path = format!("/v1/cases/{n}");
    let p = agent
        .patch(&path, Some(&v), &json!({ "status": "finished" }))
        .await
        .problem(422, Some("status"));
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("finished") && detail.contains("waiting_on_customer"),
        "lists the statuses: {detail}"
    );
    agent
        .patch(
            &path,
            Some(&v),
            &json!({ "status": "closed", "close_reason": "bored" }),
        )
        .await
        .problem(422, Some("close_reason"));
    agent
        .patch(&path, Some(&v), &json!({ "add_problem_reports": "CSC1" }))
        .await
        .problem(422, Some("add_problem_reports"));
    agent
        .patch(
            &path,
            Some(&v),
            &json!({ "close_reason": "confirmed_resolved" }),
        )
        .await
        .problem(422, Some("close_reason"));
    // Notes, escalations, RMAs.
    let notes = format!("/v1/cases/{n}/notes");
    agent
        .post_with(
            &notes,
            &json!({ "body": "x", "visibility": "secret" }),
            &[("If-Match", &v)],
        )
        .await
        .problem(422, Some("visibility"));
    agent
        .post_with(
            &notes,
            &json!({ "body": "x", "visibility": "public", "kind": "fax" }),
            &[("If-Match", &v)],
        )
        .await
        .problem(422, Some("kind"));
    agent
        .post_with(
            &notes,
            &json!({ "body": "x", "visibility": "public", "kind": "call", "from_customer": true }),
            &[("If-Match", &v)],
        )
        .await
        .problem(422, Some("kind"));
    agent
        .post_with(
            &format!("/v1/cases/{n}/escalations"),
            &json!({ "kind": "now_please", "reason": "x" }),
            &[("If-Match", &v)],
        )
        .await
        .problem(422, Some("kind"));
    agent
        .post_with(
            &format!("/v1/cases/{n}/escalations"),
            &json!({ "kind": "engineer_now", "reason": "x", "contact_method": "telepathy" }),
            &[("If-Match", &v)],
        )
        .await
        .problem(422, Some("contact_method"));
    agent
        .post_with(
            &format!("/v1/cases/{n}/rmas"),
            &json!({ "part_number": "X", "analysis": "deep" }),
            &[("If-Match", &v)],
        )
        .await
        .problem(422, Some("analysis"));
    agent
        .post_with(
            &format!("/v1/cases/{n}/rmas"),
            &json!({ "part_number": "X", "issue": "yes" }),
            &[("If-Match", &v)],
        )
        .await
        .problem(422, Some("issue"));
    assert_eq!(agent.case(&n).await["version"], 1, "nothing was applied");
}

/// serde_json calls a number where an enum word belongs a syntax error ("expected value"), so
/// valid JSON of the wrong type is answered "The body is not valid JSON" without the field.
#[tokio::test]
async fn a_number_where_a_word_belongs_is_a_shape_error() {
    let (_server, agent, n, v) = setup().await;
    agent
        .patch(&format!("/v1/cases/{n}"), Some(&v), &json!({ "status": 3 }))
        .await
        .problem(422, Some("status"));
    agent
        .post_with(
            &format!("/v1/cases/{n}/notes"),
            &json!({ "body": "x", "visibility": true }),
            &[("If-Match", &v)],
        )
        .await
        .problem(422, Some("visibility"));
    agent
        .post(
            "/v1/cases",
            &json!({ "subject": "x", "priority": "P1", "channel": 1 }),
        )
        .await
        .problem(422, Some("channel"));
}

#[tokio::test]
async fn a_missing_member_is_named_in_field() {
    let (_server, agent, n, v) = setup().await;
    agent
        .post("/v1/cases", &json!({ "priority": "P1" }))
        .await
        .problem(422, Some("subject"));
    agent
        .post("/v1/cases", &json!({ "subject": "x" }))
        .await
        .problem(422, Some("priority"));
    agent
        .post_with(
            &format!("/v1/cases/{n}/notes"),
            &json!({ "body": "x" }),
            &[("If-Match", &v)],
        )
        .await
        .problem(422, Some("visibility"));
}

#[tokio::test]
async fn an_unknown_member_is_refused_and_named() {
    // A typo must not be silently dropped.
    let (_server, agent, n, v) = setup().await;
    agent
        .post(
            "/v1/cases",
            &json!({ "subject": "x", "priority": "P1", "prioirty": "P2" }),
        )
        .await
        .problem(422, Some("prioirty"));
    agent
        .patch(
            &format!("/v1/cases/{n}"),
            Some(&v),
            &json!({ "stauts": "open" }),
        )
        .await
        .problem(422, Some("stauts"));
    agent
        .post_with(
            &format!("/v1/cases/{n}/notes"),
            &json!({ "body": "x", "visibility": "public", "public": true }),
            &[("If-Match", &v)],
        )
        .await
        .problem(422, Some("public"));
    assert_eq!(agent.case(&n).await["version"], 1);
}

#[tokio::test]
async fn missing_and_unknown_fields_are_refused_with_a_problem() {
    // The status and the problem document, whether or not the field is named.
    let (_server, agent, n, v) = setup().await;
    for (path, body) in [
        ("/v1/cases".to_string(), json!({ "priority": "P1" })),
        (
            "/v1/cases".to_string(),
            json!({ "subject": "x", "priority": "P1", "prioirty": "P2" }),
        ),
        ("/v1/cases".to_string(), json!([1, 2])),
        ("/v1/cases".to_string(), json!("a string")),
        (format!("/v1/cases/{n}/notes"), json!({ "body": "x" })),
    ] {
        let r = agent.post_with(&path, &body, &[("If-Match", &v)]).await;
        let p = r.problem(422, None);
        let detail = p["detail"].as_str().unwrap();
        assert!(
            detail.contains('`') || detail.contains("expected"),
            "says what is wrong: {p}"
        );
    }
    let p = agent
        .post("/v1/cases", &json!({ "priority": "P1" }))
        .await
        .problem(422, None);
    assert!(p["detail"].as_str().unwrap().contains("subject"), "{p}");
}

#[tokio::test]
async fn invalid_case_and_rma_numbers_and_ids() {
    let (server, agent, _n, v) = setup().await;
    for bad in [
        "12345",
        "2026-1122-00012",
        "2026-1341-000001",
        "2026-0230-000001",
        "2026-1122-000000",
        "abc",
        "2026-1122-0001234",
    ] {
        let p = agent
            .get(&format!("/v1/cases/{bad}"))
            .await
            .problem(400, Some("number"));
        let detail = p["detail"].as_str().unwrap();
        assert!(
            detail.contains(bad) && detail.contains("expected"),
            "shows the input and the expected form: {p}"
        );
        agent
            .patch(
                &format!("/v1/cases/{bad}"),
                Some(&v),
                &json!({ "status": "open" }),
            )
            .await
            .problem(400, Some("number"));
        agent
            .post_with(
                &format!("/v1/cases/{bad}/notes"),
                &json!({ "body": "x", "visibility": "public" }),
                &[("If-Match", &v)],
            )
            .await
            .problem(400, Some("number"));
        agent
            .post_with(
                &format!("/v1/cases/{bad}/escalations"),
                &json!({ "kind": "faster_progress", "reason": "x" }),
                &[("If-Match", &v)],
            )
            .await
            .problem(400, Some("number"));
        agent
            .post_with(
                &format!("/v1/cases/{bad}/rmas"),
                &json!({ "part_number": "x" }),
                &[("If-Match", &v)],
            )
            .await
            .problem(400, Some("number"));
    }
    for bad in ["R123", "21000001", "X21000001", "R2100000a"] {
        let p = agent
            .patch(
                &format!("/v1/rmas/{bad}"),
                None,
                &json!({ "status": "closed" }),
            )
            .await
            .problem(400, Some("number"));
        assert!(p["detail"].as_str().unwrap().contains('R'), "{p}");
    }
    let lead = server.login("lead", "suzuki");
    lead.patch(
        "/v1/escalations/abc",
        None,
        &json!({ "state": "acknowledged" }),
    )
    .await
    .problem(400, Some("id"));
    // The case number in the path is valid but unknown.
    agent
        .get("/v1/cases/2001-0101-000001")
        .await
        .problem(404, None);
}

#[tokio::test]
async fn a_bad_case_number_filter_names_its_parameter() {
    let (_server, agent, _n, _v) = setup().await;
    let p = agent
        .get("/v1/rmas?case_number=12345")
        .await
        .problem(400, None);
    assert!(p["detail"].as_str().unwrap().contains("12345"), "{p}");
    assert_eq!(
        p["field"], "case_number",
        "the query parameter at fault: {p}"
    );
}

#[tokio::test]
async fn bad_query_parameters() {
    let (_server, agent, _n, _v) = setup().await;
    for (query, field) in [
        ("status=bogus", "status"),
        ("status=open,bogus", "status"),
        ("priority=P9", "priority"),
        ("tier=gold", "tier"),
        ("request_type=pizza", "request_type"),
        ("mine=maybe", "mine"),
        ("open=2", "open"),
        ("sort=colour", "sort"),
        ("sort=number:sideways", "sort"),
        ("cursor=xyz", "cursor"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=ten", "limit"),
        ("limit=99999999999999999999999", "limit"),
        ("colour=red", "colour"),
    ] {
        let p = agent
            .get(&format!("/v1/cases?{query}"))
            .await
            .problem(400, Some(field));
        assert!(
            p["detail"].as_str().unwrap().contains("expected"),
            "{query}: {p}"
        );
    }
    for (path, field) in [
        ("/v1/changes?since=-1", "since"),
        ("/v1/changes?since=x", "since"),
        ("/v1/changes?limit=0", "limit"),
        ("/v1/changes?limit=1001", "limit"),
        ("/v1/changes?after=3", "after"),
        ("/v1/escalations?state=lost", "state"),
        ("/v1/escalations?status=requested", "status"),
        ("/v1/rmas?status=lost", "status"),
        ("/v1/rmas?sort=colour", "sort"),
        ("/v1/rmas?sort=number:up", "sort"),
        ("/v1/rmas?overdue=perhaps", "overdue"),
        ("/v1/rmas?limit=0", "limit"),
        ("/v1/search?q=x&limit=201", "limit"),
        ("/v1/search?q=x&page=2", "page"),
        ("/v1/search", "q"),
    ] {
        agent.get(path).await.problem(400, Some(field));
    }
}

#[tokio::test]
async fn bad_headers() {
    let (_server, agent, n, _v) = setup().await;
    let path = format!("/v1/cases/{n}");
    // (`*` is "any current version": tests/server_strict.rs.)
    for bad in ["\"latest\"", "W/\"\"", "v", "\"v1garbage\""] {
        agent
            .patch(&path, Some(bad), &json!({ "status": "open" }))
            .await
            .problem(400, Some("If-Match"));
    }
    let long = "k".repeat(300);
    agent
        .post_with(
            "/v1/cases",
            &json!({ "subject": "x", "priority": "P1" }),
            &[("Idempotency-Key", &long)],
        )
        .await
        .problem(400, Some("Idempotency-Key"));
    agent
        .post_with(
            "/v1/cases",
            &json!({ "subject": "x", "priority": "P1" }),
            &[("Idempotency-Key", "  ")],
        )
        .await
        .problem(400, Some("Idempotency-Key"));
    agent
        .get_with("/v1/events", &[("Last-Event-ID", "x")])
        .await
        .problem(400, Some("Last-Event-ID"));
    assert_eq!(agent.case(&n).await["version"], 1);
}

/// A JSON body of `size` bytes that is valid for every write route.
fn body_of(size: usize) -> Vec<u8> {
    let head = br#"{"priority":"P1","visibility":"public","subject":"x","body":""#;
    let tail = br#""}"#;
    let mut body = Vec::with_capacity(size);
    body.extend_from_slice(head);
    body.resize(size - tail.len(), b'a');
    body.extend_from_slice(tail);
    body
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let (server, agent, n, v) = setup().await;
    // Tokens are an admin's; the role is checked before the body.
    let admin = server.login("admin", "root");
    let routes = [
        (Method::POST, "/v1/cases".to_string()),
        (Method::PATCH, format!("/v1/cases/{n}")),
        (Method::POST, format!("/v1/cases/{n}/notes")),
        (Method::POST, format!("/v1/cases/{n}/escalations")),
        (Method::POST, format!("/v1/cases/{n}/rmas")),
        (Method::POST, "/v1/tokens".to_string()),
    ];
    for (method, path) in &routes {
        let agent = if path == "/v1/tokens" { &admin } else { &agent };
        // Just over 1 MiB.
        let r = agent
            .send_raw(
                method.clone(),
                path,
                "application/json",
                body_of(1024 * 1024 + 16),
                &[("If-Match", &v)],
            )
            .await;
        let p = r.problem(413, None);
        assert!(
            p["detail"].as_str().unwrap().contains("1 MiB"),
            "{method} {path}: {p}"
        );
    }
    // Exactly 1 MiB is read (and judged by its content, not its size).
    let head = r#"{"visibility":"internal","body":""#;
    let note = format!("{head}{}\"}}", "a".repeat(1024 * 1024 - head.len() - 2));
    assert_eq!(note.len(), 1024 * 1024);
    let r = agent
        .send_raw(
            Method::POST,
            &format!("/v1/cases/{n}/notes"),
            "application/json",
            note,
            &[("If-Match", &v)],
        )
        .await;
    r.problem(422, Some("body"));
    let big_description = "説".repeat(300_000);
    let r = agent
        .post(
            "/v1/cases",
            &json!({ "subject": "big", "priority": "P3", "description": big_description }),
        )
        .await;
    assert_eq!(
        r.expect(201)["description"].as_str().unwrap().len(),
        900_000
    );
    assert_eq!(agent.case(&n).await["version"], 1);
}

/// The server answers 413 after reading the first MiB and closes the connection with the rest
/// of the body unread: a client still sending gets "broken pipe" or "connection reset" instead
/// of the problem document.
#[tokio::test]
async fn a_body_far_over_the_limit_gets_413_not_a_reset() {
    let (_server, agent, n, v) = setup().await;
    for _ in 0..5 {
        let r = agent
            .http
            .patch(agent.url(&format!("/v1/cases/{n}")))
            .header(
                "Authorization",
                format!("Bearer {}", agent.token().unwrap()),
            )
            .header("Content-Type", "application/json")
            .header("If-Match", &v)
            .body(body_of(4 * 1024 * 1024))
            .send()
            .await;
        let r = r.unwrap_or_else(|e| panic!("no 413, a transport error: {e:?}"));
        assert_eq!(r.status().as_u16(), 413);
    }
}

#[tokio::test]
async fn unknown_routes_and_methods_are_problems() {
    let (_server, agent, n, _v) = setup().await;
    let r = agent.get("/v1/nothing-here").await;
    r.problem(404, None);
    let r = agent.delete(&format!("/v1/cases/{n}")).await;
    r.problem(405, None);
}

#[tokio::test]
async fn undecodable_path_segments_are_problems() {
    let (_server, agent, _n, _v) = setup().await;
    agent
        .get("/v1/cases/%FF%FE")
        .await
        .problem(400, Some("number"));
}

#[tokio::test]
async fn a_huge_cursor_is_not_a_500() {
    let (_server, agent, _n, _v) = setup().await;
    for cursor in ["o18446744073709551615", "o9223372036854775808"] {
        // Past i64: not a page anyone was given, so a bad cursor, not an empty page.
        agent
            .get(&format!("/v1/cases?cursor={cursor}"))
            .await
            .problem(400, Some("cursor"));
    }
}

#[tokio::test]
async fn cursors_at_or_past_the_end() {
    let (_server, agent, _n, _v) = setup().await;
    for cursor in ["o1", "o1000", "o9223372036854775807"] {
        let page = agent
            .get(&format!("/v1/cases?cursor={cursor}"))
            .await
            .expect(200);
        assert!(
            page["items"].as_array().unwrap().is_empty(),
            "{cursor}: {page}"
        );
        assert!(page["next_cursor"].is_null());
        assert_eq!(page["total"], 1);
    }
    agent
        .get("/v1/cases?cursor=o-1")
        .await
        .problem(400, Some("cursor"));
}

#[tokio::test]
async fn a_nul_in_a_search_word_is_not_a_500() {
    let (_server, agent, _n, _v) = setup().await;
    for (path, found) in [
        ("/v1/search?q=abc%00def", "cases"),
        ("/v1/cases?q=abc%00def", "items"),
        ("/v1/search?q=%00%00%00", "cases"),
    ] {
        // A NUL is only a character of the word: nothing matches it.
        let page = agent.get(path).await.expect(200);
        assert_eq!(page[found], json!([]), "{path}: {page}");
    }
}

/// Throws garbage at every route: every answer is below 500 and every 4xx is a problem.
#[tokio::test]
async fn never_a_500() {
    let (server, agent, n, v) = setup().await;
    let lead = server.login("lead", "suzuki");
    let routes: Vec<(Method, String)> = vec![
        (Method::GET, "/v1/cases".into()),
        (Method::POST, "/v1/cases".into()),
        (Method::GET, format!("/v1/cases/{n}")),
        (Method::PATCH, format!("/v1/cases/{n}")),
        (Method::POST, format!("/v1/cases/{n}/notes")),
        (Method::POST, format!("/v1/cases/{n}/escalations")),
        (Method::POST, format!("/v1/cases/{n}/rmas")),
        (Method::GET, "/v1/escalations".into()),
        (Method::PATCH, "/v1/escalations/1".into()),
        (Method::GET, "/v1/rmas".into()),
        (Method::PATCH, "/v1/rmas/R21000001".into()),
        (
            Method::GET,
            "/v1/search?q=%22%27%3B--%20%2A%20OR%201%3D1".into(),
        ),
        (Method::GET, "/v1/entitlements/%22%3B".into()),
        (Method::GET, "/v1/changes?since=9223372036854775807".into()),
        (Method::POST, "/v1/tokens".into()),
        (Method::DELETE, "/v1/tokens/nobody".into()),
    ];
    let bodies: Vec<Value> = vec![
        json!(null),
        json!({}),
        json!([]),
        json!(42),
        json!({ "subject": "\u{0}\u{202e}", "priority": "P1", "body": "\"; DROP TABLE cases; --", "visibility": "public", "kind": "engineer_now", "reason": "x", "state": "resolved", "part_number": "x", "status": "closed" }),
        json!({ "subject": "x", "priority": "P1", "owner": "x".repeat(10_000) }),
        json!({ "status": "open", "priority": "P1", "reason": "x", "temporary": true }),
        json!({ "status": "closed", "close_reason": "confirmed_resolved" }),
        json!({ "tier": "self_service" }),
        json!({ "name": "\u{7}", "role": "admin" }),
    ];
    let mut seen = 0;
    for api in [&agent, &lead] {
        for (method, path) in &routes {
            for body in &bodies {
                for if_match in [v.as_str(), "\"v999\"", "\"v-1\""] {
                    let r = api
                        .send_raw(
                            method.clone(),
                            path,
                            "application/json",
                            serde_json::to_vec(body).unwrap(),
                            &[
                                ("If-Match", if_match),
                                ("Idempotency-Key", &format!("k{seen}")),
                            ],
                        )
                        .await;
                    seen += 1;
                    let status = r.status.as_u16();
                    assert!(
                        status < 500,
                        "{method} {path} {body} → {status}: {}",
                        r.text()
                    );
                    if status >= 400 {
                        r.problem(status, None);
                    }
                }
            }
        }
    }
    // Tricky query values.
    for q in [
        "%22",
        "%2A",
        "a%22b",
        "NEAR",
        "AND",
        "OR%20NOT",
        "%5E",
        "-",
        "%25",
        "_",
        "%E9%9B%BB",
    ] {
        // Search syntax characters are words like any other, never a query error.
        agent.get(&format!("/v1/search?q={q}")).await.expect(200);
        agent.get(&format!("/v1/cases?q={q}")).await.expect(200);
    }
    assert!(
        !server.log().contains("request failed"),
        "no internal errors logged:\n{}",
        server.log()
    );
}
