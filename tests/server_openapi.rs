//! The OpenAPI document is exact (every refusal documented, parameters in their real form), and
//! the changes to what a case holds (RMAs, escalations) honour `If-Match` as its document says.
//! `.ci/schemathesis.sh` checks the whole document against the server; these pin the parts
//! that item fixed.

mod common;

use common::{Server, enc, if_match, number};
use serde_json::{Value, json};

/// Each operation of the document, as (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            all.push((method.clone(), path.clone(), operation.clone()));
        }
    }
    all
}

/// The parameter `name` of an operation.
fn parameter<'a>(operation: &'a Value, name: &str) -> &'a Value {
    operation["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .unwrap_or_else(|| panic!("parameter {name} in {operation}"))
}

#[tokio::test]
async fn rma_and_escalation_patches_honour_if_match_with_the_case_etag() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let lead = server.login("lead", "suzuki");
    let case = agent
        .create_case(json!({ "subject": "fan failure", "serial_number": "FOC1111A0AA" }))
        .await;
    let n = number(&case);
    let rma = agent
        .create_rma(&n, json!({ "part_number": "FAN-T1" }))
        .await;
    let rma_path = format!("/v1/rmas/{}", rma["number"].as_str().expect("RMA number"));
    let escalation = agent
        .escalate(
            &n,
            json!({ "kind": "reassignment", "reason": "wrong team" }),
        )
        .await;
    let esc_path = format!("/v1/escalations/{}", escalation["id"]);

    // A stale case ETag is refused and changes nothing.
    let stale = if_match(&case);
    let shipped = json!({ "status": "replacement_shipped" });
    agent
        .patch(&rma_path, Some(&stale), &shipped)
        .await
        .problem(412, Some("If-Match"));
    let ack = json!({ "state": "acknowledged" });
    lead.patch(&esc_path, Some(&stale), &ack)
        .await
        .problem(412, Some("If-Match"));
    let unchanged = agent.case(&n).await;
    assert_eq!(unchanged["rmas"][0]["status"], "issued");
    assert_eq!(unchanged["escalations"][0]["state"], "requested");

    // Not a case ETag: 400, as on the case itself.
    agent
        .patch(&rma_path, Some("v9"), &shipped)
        .await
        .problem(400, Some("If-Match"));

    // The current ETag (or *) is taken.
    let current = agent.version(&n).await;
    let r = agent.patch(&rma_path, Some(&current), &shipped).await;
    assert_eq!(r.expect(200)["status"], "replacement_shipped");
    let current = agent.version(&n).await;
    let r = lead.patch(&esc_path, Some(&current), &ack).await;
    assert_eq!(r.expect(200)["state"], "acknowledged");
    let r = agent
        .patch(
            &rma_path,
            Some("*"),
            &json!({ "status": "defective_received" }),
        )
        .await;
    assert_eq!(r.expect(200)["status"], "defective_received");

    // Without If-Match the change is unconditional, as the clients send it today.
    let r = agent
        .patch(&rma_path, None, &json!({ "status": "closed" }))
        .await;
    assert_eq!(r.expect(200)["status"], "closed");

    // An RMA or escalation that does not exist is 404 whatever If-Match says.
    agent
        .patch("/v1/rmas/R99999999", Some(&current), &shipped)
        .await
        .problem(404, None);
    lead.patch("/v1/escalations/999999", Some(&current), &ack)
        .await
        .problem(404, None);
}

#[tokio::test]
async fn openapi_documents_each_refusal_and_the_real_parameter_forms() {
    let server = Server::start();
    let doc = server.anonymous().get("/v1/openapi.json").await.expect(200);
    let all = operations(&doc);
    for (method, path, operation) in &all {
        let responses = &operation["responses"];
        let has = |status: &str| responses.get(status).is_some();
        if operation.get("requestBody").is_some() {
            for status in ["400", "413", "415", "422"] {
                assert!(has(status), "{method} {path} documents {status}");
            }
        }
        if method != "get" {
            assert!(has("403"), "{method} {path} documents 403");
        }
        for p in operation["parameters"].as_array().into_iter().flatten() {
            match (p["in"].as_str(), p["name"].as_str()) {
                (Some("path"), _) => {
                    assert!(has("400") && has("404"), "{method} {path}: 400 and 404");
                }
                (Some("header"), Some("If-Match")) => {
                    assert!(has("400") && has("412"), "{method} {path}: 400 and 412");
                    let required = p["required"] == true;
                    assert_eq!(has("428"), required, "{method} {path}: 428 iff required");
                }
                (Some("query"), _) => assert!(has("400"), "{method} {path}: 400"),
                _ => {}
            }
        }
    }

    // The RMA and escalation PATCHes document their optional If-Match.
    for path in ["/v1/rmas/{number}", "/v1/escalations/{id}"] {
        let patch = &doc["paths"][path]["patch"];
        assert_eq!(parameter(patch, "If-Match")["required"], false, "{path}");
        assert!(patch["responses"].get("412").is_some(), "{path}");
    }

    // Case and RMA numbers have their real form.
    let api = server.login("agent", "tanaka");
    let case = api
        .create_case(json!({ "subject": "pattern", "serial_number": "FOC1111A0AA" }))
        .await;
    let n = number(&case);
    let rma = api.create_rma(&n, json!({ "part_number": "FAN-T1" })).await;
    let rma_number = rma["number"].as_str().expect("RMA number");
    let pattern = |path: &str, method: &str| {
        let p = parameter(&doc["paths"][path][method], "number");
        regex::Regex::new(p["schema"]["pattern"].as_str().expect("a pattern"))
            .expect("a valid pattern")
    };
    let case_form = pattern("/v1/cases/{number}", "get");
    assert!(case_form.is_match(&n), "{n}");
    assert!(
        case_form.is_match(&n.replace('-', "")),
        "{n} without dashes"
    );
    for wrong in [
        "2026-1122-00012",
        "2026-1322-000123",
        "20261122-000123",
        "x",
    ] {
        assert!(!case_form.is_match(wrong), "{wrong}");
    }
    let rma_form = pattern("/v1/rmas/{number}", "get");
    assert!(rma_form.is_match(rma_number), "{rma_number}");
    assert!(!rma_form.is_match("R1234567"));

    // Every sort value the document lists, and only those, the server takes.
    for (path, first) in [("/v1/cases", "next_due"), ("/v1/rmas", "number")] {
        let sort = parameter(&doc["paths"][path]["get"], "sort");
        let values: Vec<&str> = sort["schema"]["enum"]
            .as_array()
            .expect("sort is an enum")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(values.contains(&first), "{path}: {values:?}");
        assert!(values.len() > 10, "{path}: {values:?}");
        for value in values {
            api.get(&format!("{path}?sort={}", enc(value)))
                .await
                .expect(200);
        }
        api.get(&format!("{path}?sort=nonsense"))
            .await
            .problem(400, Some("sort"));
    }

    // Limits carry their real bounds.
    let limit = parameter(&doc["paths"]["/v1/cases"]["get"], "limit");
    assert_eq!(limit["schema"]["minimum"], 1);
    assert_eq!(limit["schema"]["maximum"], 500);
    api.get("/v1/cases?limit=501")
        .await
        .problem(400, Some("limit"));
    let since = parameter(&doc["paths"]["/v1/changes"]["get"], "since");
    assert_eq!(since["schema"]["minimum"], 0);
}
