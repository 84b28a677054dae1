//! Strict HTTP semantics against a real `casedesk serve` (issue 13): the role is checked before
//! anything else about a write, one `Authorization` header only, an `Idempotency-Key` answers
//! one request only, and `If-Match` is parsed exactly (RFC 9110 §13.1.1).

mod common;

use common::{Api, Server, number};
use reqwest::Method;
use serde_json::{Value, json};

/// The problem's type ends with `kind`.
#[track_caller]
fn is_kind(problem: &Value, kind: &str) {
    let t = problem["type"].as_str().unwrap_or_default();
    assert!(t.ends_with(&format!("/{kind}")), "type {kind}: {problem}");
}

/// Every write the server documents, with each path parameter replaced by `value`.
async fn documented_writes(api: &Api, value: &str) -> Vec<(Method, String)> {
    let doc = api.get("/v1/openapi.json").await.expect(200);
    let mut writes = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let concrete: String = path
            .split('/')
            .map(|part| if part.starts_with('{') { value } else { part })
            .collect::<Vec<_>>()
            .join("/");
        for (name, method) in [
            ("post", Method::POST),
            ("patch", Method::PATCH),
            ("put", Method::PUT),
            ("delete", Method::DELETE),
        ] {
            if item.get(name).is_some() {
                writes.push((method, concrete.clone()));
            }
        }
    }
    writes
}

#[tokio::test]
async fn a_viewer_is_refused_before_anything_else_is_checked() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let viewer = server.login("viewer", "wallboard");
    let case = agent.create_case(json!({ "subject": "fan noise" })).await;
    let n = number(&case);
    let v = common::if_match(&case);

    // Each of these is wrong in one more way than the role; the role is what is answered.
    let notes = format!("/v1/cases/{n}/notes");
    let note = json!({ "body": "x", "visibility": "public" });
    // No If-Match (was 428).
    is_kind(
        &viewer.post(&notes, &note).await.problem(403, None),
        "forbidden",
    );
    // A malformed If-Match (was 400).
    viewer
        .post_with(&notes, &note, &[("If-Match", "\"v1garbage\"")])
        .await
        .problem(403, None);
    // Not JSON as declared (was 415), not JSON at all (was 400).
    viewer
        .send_raw(Method::POST, "/v1/cases", "text/plain", "{}", &[])
        .await
        .problem(403, None);
    viewer
        .send_raw(Method::POST, "/v1/cases", "application/json", "{", &[])
        .await
        .problem(403, None);
    // JSON of the wrong shape (was 422), on every kind of write.
    viewer
        .post("/v1/cases", &json!({ "priority": "P9" }))
        .await
        .problem(403, None);
    viewer
        .patch(&format!("/v1/cases/{n}"), Some(&v), &json!({ "stauts": 1 }))
        .await
        .problem(403, None);
    // A bad Idempotency-Key (was 400).
    let long = "k".repeat(300);
    viewer
        .post_with(
            "/v1/cases",
            &json!({ "subject": "x", "priority": "P3" }),
            &[("Idempotency-Key", long.as_str())],
        )
        .await
        .problem(403, None);

    // Every documented write, with a malformed path, no If-Match and a body that is not JSON.
    let writes = documented_writes(&viewer, "%20bad").await;
    assert!(writes.len() >= 10, "the writes are documented: {writes:?}");
    for (method, path) in writes {
        let r = viewer
            .send_raw(method.clone(), &path, "text/plain", "{", &[])
            .await;
        assert_eq!(r.status.as_u16(), 403, "{method} {path}: {}", r.text());
        r.problem(403, None);
    }
    assert_eq!(agent.case(&n).await["version"], 1, "nothing was applied");
}

#[tokio::test]
async fn a_role_below_the_write_is_refused_before_its_body() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    // Lead-only and admin-only writes, with bodies that are not JSON.
    for (method, path) in [
        (Method::PATCH, "/v1/escalations/1"),
        (Method::POST, "/v1/tokens"),
        (Method::POST, "/v1/entitlements/import"),
    ] {
        let p = agent
            .send_raw(method.clone(), path, "application/json", "{", &[])
            .await
            .problem(403, None);
        let detail = p["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains("agent"),
            "{method} {path}: names the role: {p}"
        );
    }
    // The role allowed: now the body is looked at.
    server
        .login("lead", "suzuki")
        .send_raw(
            Method::PATCH,
            "/v1/escalations/1",
            "application/json",
            "{",
            &[],
        )
        .await
        .problem(400, None);
}

#[tokio::test]
async fn two_authorization_headers_are_refused() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let viewer_token = server.token("viewer", "wallboard");
    let other = format!("Bearer {viewer_token}");
    let same = format!("Bearer {}", agent.token().unwrap_or_default());
    for second in [other.as_str(), same.as_str(), "Basic Zm9vOmJhcg=="] {
        let p = agent
            .get_with("/v1/me", &[("Authorization", second)])
            .await
            .problem(400, Some("Authorization"));
        is_kind(&p, "duplicate-authorization");
        agent
            .post_with(
                "/v1/cases",
                &json!({ "subject": "x", "priority": "P3" }),
                &[("Authorization", second)],
            )
            .await
            .problem(400, Some("Authorization"));
    }
    assert_eq!(agent.get("/v1/cases").await.expect(200)["total"], 0);
    // One is fine.
    assert_eq!(agent.get("/v1/me").await.expect(200)["name"], "tanaka");
}

#[tokio::test]
async fn an_idempotency_key_reused_with_another_body_is_refused() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let key = [("Idempotency-Key", "a3a3c0de-key-1")];
    let first = json!({ "subject": "電源が入らない", "priority": "P2" });
    let case = agent.post_with("/v1/cases", &first, &key).await.expect(201);

    // The same key with another body: refused, nothing created, the first case untouched.
    let other = json!({ "subject": "別の問題", "priority": "P1" });
    let r = agent.post_with("/v1/cases", &other, &key).await;
    assert_eq!(r.header("idempotent-replayed"), None);
    let p = r.problem(422, Some("Idempotency-Key"));
    is_kind(&p, "idempotency-key-reused");
    assert!(
        p["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("another request"),
        "{p}"
    );
    assert_eq!(agent.get("/v1/cases").await.expect(200)["total"], 1);

    // The same body again is still a retry: the first answer.
    let again = agent.post_with("/v1/cases", &first, &key).await;
    assert_eq!(again.expect(201), case);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));

    // The same on a note: the second body is not dropped silently.
    let n = number(&case);
    let notes = format!("/v1/cases/{n}/notes");
    let v = common::if_match(&case);
    let key = [("If-Match", v.as_str()), ("Idempotency-Key", "note-key")];
    agent
        .post_with(
            &notes,
            &json!({ "body": "first", "visibility": "public" }),
            &key,
        )
        .await
        .expect(201);
    let v = agent.version(&n).await;
    agent
        .post_with(
            &notes,
            &json!({ "body": "second", "visibility": "public" }),
            &[("If-Match", v.as_str()), ("Idempotency-Key", "note-key")],
        )
        .await
        .problem(422, Some("Idempotency-Key"));
    // The key on another endpoint is another request too.
    agent
        .post_with(
            &format!("/v1/cases/{n}/escalations"),
            &json!({ "kind": "faster_progress", "reason": "slow" }),
            &[("If-Match", v.as_str()), ("Idempotency-Key", "note-key")],
        )
        .await
        .problem(422, Some("Idempotency-Key"));
    let notes: Vec<Value> = agent.case(&n).await["notes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["body"], "first");
}

#[tokio::test]
async fn if_match_is_parsed_exactly() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let case = agent.create_case(json!({ "subject": "link flaps" })).await;
    let n = number(&case);
    let path = format!("/v1/cases/{n}");
    let change = json!({ "priority": "P2", "reason": "spreading" });

    // Malformed: 400 naming If-Match, whatever digits lead.
    for bad in [
        "\"v1garbage\"",
        "W/\"v1-sx\"",
        "\"v1-s\"",
        "W/\"v1-s3junk\"",
        "\"1\"",
        "1",
        "v1",
        "\"v1",
        "*, \"v1\"",
    ] {
        let p = agent
            .patch(&path, Some(bad), &change)
            .await
            .problem(400, Some("If-Match"));
        is_kind(&p, "invalid-if-match");
        agent
            .post_with(
                &format!("{path}/notes"),
                &json!({ "body": "x", "visibility": "internal" }),
                &[("If-Match", bad)],
            )
            .await
            .problem(400, Some("If-Match"));
    }
    assert_eq!(agent.case(&n).await["version"], 1, "nothing was applied");

    // The case's own ETag works, weak or strong.
    let etag = agent
        .get(&path)
        .await
        .header("etag")
        .map(str::to_string)
        .unwrap_or_default();
    assert!(etag.starts_with("W/\"v1-s"), "{etag}");
    agent.patch(&path, Some(&etag), &change).await.expect(200);

    // `*`: whatever the current version is.
    let updated = agent
        .patch(&path, Some("*"), &json!({ "status": "open" }))
        .await
        .expect(200);
    assert_eq!(updated["version"], 3);
    agent
        .post_with(
            &format!("{path}/notes"),
            &json!({ "body": "any version", "visibility": "internal" }),
            &[("If-Match", "*")],
        )
        .await
        .expect(201);
    // `*` on a case that does not exist is still 404.
    agent
        .patch("/v1/cases/2001-0101-000001", Some("*"), &change)
        .await
        .problem(404, None);

    // A list matches when any of its tags does; a stale tag alone is 412.
    let current = agent.case(&n).await["version"].as_i64().unwrap_or_default();
    let list = format!("\"v1\", W/\"v{current}-s0\"");
    agent
        .patch(
            &path,
            Some(&list),
            &json!({ "priority": "P3", "reason": "calmer" }),
        )
        .await
        .expect(200);
    agent
        .patch(&path, Some("\"v1\""), &change)
        .await
        .problem(412, Some("If-Match"));
    agent
        .patch(&path, Some("\"v1\", \"v2\""), &change)
        .await
        .problem(412, Some("If-Match"));
}

#[tokio::test]
async fn the_openapi_document_lists_the_new_answers() {
    let server = Server::start();
    let api = server.login("viewer", "wallboard");
    let doc = api.get("/v1/openapi.json").await.expect(200);
    let answers = |path: &str, method: &str| doc["paths"][path][method]["responses"].clone();
    for (path, method) in [
        ("/v1/cases", "post"),
        ("/v1/cases/{number}/notes", "post"),
        ("/v1/cases/{number}/escalations", "post"),
        ("/v1/cases/{number}/rmas", "post"),
    ] {
        let r = answers(path, method);
        for status in ["400", "403", "422"] {
            assert!(
                r.get(status).is_some(),
                "{method} {path} documents {status}: {r}"
            );
        }
        let said = r["422"]["description"].as_str().unwrap_or_default();
        assert!(said.contains("Idempotency-Key"), "{method} {path}: {said}");
    }
    let patch = answers("/v1/cases/{number}", "patch");
    assert!(
        patch["400"]["description"]
            .as_str()
            .unwrap_or_default()
            .contains("If-Match")
    );
    assert!(patch.get("403").is_some(), "{patch}");
    let if_match = doc["paths"]["/v1/cases/{number}"]["patch"]["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|p| p["name"] == "If-Match")
        .unwrap_or_default();
    assert!(
        if_match["description"]
            .as_str()
            .unwrap_or_default()
            .contains('*'),
        "{if_match}"
    );
}
