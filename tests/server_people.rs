//! The desk's people (`GET /v1/people`) and the owner a case may be given to, end to end
//! against the real `casedesk serve` (issue 12 item 4).

mod common;

use common::{Server, number};
use serde_json::{Value, json};

/// `(name, role, active)` of a people answer, in its order.
fn people(list: &Value) -> Vec<(String, String, bool)> {
    list.as_array()
        .expect("an array of people")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().expect("name").to_string(),
                p["role"].as_str().expect("role").to_string(),
                p["active"].as_bool().expect("active"),
            )
        })
        .collect()
}

#[tokio::test]
async fn people_lists_everyone_with_a_token_active_until_revoked() {
    let server = Server::start();
    let admin = server.login("admin", "root");
    let agent = server.login("agent", "tanaka");
    server.token("lead", "suzuki");
    server.token("agent", "kimura");
    admin.delete("/v1/tokens/kimura").await.expect(204);

    // Any token may read it (the assign picker of an agent needs it).
    let list = agent.get("/v1/people").await.expect(200);
    let row = |n: &str, r: &str, a: bool| (n.to_string(), r.to_string(), a);
    assert_eq!(
        people(&list),
        [
            row("kimura", "agent", false),
            row("root", "admin", true),
            row("suzuki", "lead", true),
            row("tanaka", "agent", true),
        ],
        "by name; a revoked token leaves its person listed, inactive"
    );
    server
        .anonymous()
        .get("/v1/people")
        .await
        .problem(401, None);

    // Revalidation with the ETag (the client caches the list for offline use).
    let r = agent.get("/v1/people").await;
    let etag = r.header("etag").expect("an ETag").to_string();
    let again = agent
        .get_with("/v1/people", &[("If-None-Match", &etag)])
        .await;
    assert_eq!(again.status.as_u16(), 304);

    // Documented, with its schema.
    let doc = server.anonymous().get("/v1/openapi.json").await.expect(200);
    assert!(
        doc["paths"]["/v1/people"]["get"].is_object(),
        "GET /v1/people is documented"
    );
    assert!(
        doc["components"]["schemas"]["Person"]["properties"]["active"].is_object(),
        "the Person schema: {}",
        doc["components"]["schemas"]
    );
}

#[tokio::test]
async fn an_owner_must_be_an_active_person_who_works_cases() {
    let server = Server::start();
    let admin = server.login("admin", "root");
    let lead = server.login("lead", "suzuki");
    server.token("agent", "kimura");
    server.token("agent", "ito");
    server.token("viewer", "wallboard");
    admin.delete("/v1/tokens/ito").await.expect(204);
    let case = lead.create_case(json!({})).await;
    let n = number(&case);

    // A typo is refused with the field and a near name; nothing changes.
    let p = lead
        .patch_case(&n, &json!({ "owner": "kimuraa" }))
        .await
        .problem(422, Some("owner"));
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("'kimuraa'") && detail.contains("did you mean kimura?"),
        "{detail}"
    );
    assert!(lead.case(&n).await["owner"].is_null(), "nothing changed");
    // Someone who left, and the wallboard, are not owners either.
    lead.patch_case(&n, &json!({ "owner": "ito" }))
        .await
        .problem(422, Some("owner"));
    lead.patch_case(&n, &json!({ "owner": "wallboard" }))
        .await
        .problem(422, Some("owner"));
    // Nor on a new case.
    lead.post(
        "/v1/cases",
        &json!({ "subject": "x", "priority": "P3", "owner": "nobody" }),
    )
    .await
    .problem(422, Some("owner"));

    // A known person is fine, and unassigning needs no name.
    let r = lead.patch_case(&n, &json!({ "owner": "kimura" })).await;
    assert_eq!(r.expect(200)["owner"], "kimura");
    let r = lead.patch_case(&n, &json!({ "owner": "" })).await;
    assert!(r.expect(200)["owner"].is_null());
}

#[tokio::test]
async fn an_agent_taking_someone_elses_case_is_forbidden_before_the_name_is_weighed() {
    let server = Server::start();
    let lead = server.login("lead", "suzuki");
    let agent = server.login("agent", "tanaka");
    server.token("agent", "sato");
    let case = lead.create_case(json!({ "owner": "sato" })).await;
    let n = number(&case);
    // The role rule (`Role::may_change_owner`) answers first: 403, the client keeps nothing.
    agent
        .patch_case(&n, &json!({ "owner": "tanaka" }))
        .await
        .problem(403, None);
    agent
        .patch_case(&n, &json!({ "owner": "kimuraa" }))
        .await
        .problem(403, None);
    assert_eq!(agent.case(&n).await["owner"], "sato");
}
