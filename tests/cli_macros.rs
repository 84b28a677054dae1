//! Macros through the real binary against a real `casedesk serve`: the shipped defaults, the
//! API's checks and roles, `casedesk macros list|show`, `casedesk cases note --macro` online
//! and offline (queued, then delivered exactly once), and a placeholder without a value
//! refused before anything is queued.

mod common;

use chrono::{DateTime, Utc};
use common::desk::Desk;
use common::{Server, clock, number};
use reqwest::Method;
use serde_json::{Value, json};

/// The six shipped macros, sorted by name as the API lists them.
const DEFAULTS: [&str; 6] = [
    "ack",
    "need-info",
    "no-reply",
    "priority-changed",
    "resolved",
    "rma-issued",
];

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a JSON array")
        .iter()
        .map(|m| m["name"].as_str().expect("name").to_string())
        .collect()
}

fn show(desk: &Desk, number: &str) -> Value {
    desk.run(&["cases", "show", number, "--json"]).json()
}

fn notes_of(case: &Value) -> Vec<Value> {
    case["notes"].as_array().expect("notes").clone()
}

/// A desk whose config reads times in Tokyo (so due times say JST) with one personal macro.
fn tokyo_desk(server: &Server, token: &str) -> Desk {
    let desk = Desk::new(&server.base, token);
    std::fs::create_dir_all(desk.config_dir()).unwrap();
    std::fs::write(
        desk.config_dir().join("config.toml"),
        r#"timezone = "Asia/Tokyo"

[[macros]]
name = "thanks"
text_en = "Thanks, {contact}."
text_ja = "{contact} 様、ありがとうございます。"
"#,
    )
    .unwrap();
    desk
}

#[tokio::test]
async fn the_defaults_are_listed_shown_edited_by_leads_and_applied_to_a_japanese_case() {
    let server = Server::start();
    let agent = server.token("agent", "tanaka");
    let lead = server.token("lead", "suzuki");
    let desk = tokyo_desk(&server, &agent);

    // The six defaults with both texts, and the personal one marked.
    let list = desk.run(&["macros", "list", "--json"]).json();
    let mut expected: Vec<String> = DEFAULTS.iter().map(|s| s.to_string()).collect();
    expected.push("thanks".into());
    expected.sort();
    assert_eq!(names(&list), expected);
    for m in list.as_array().unwrap() {
        assert!(!m["text_en"].as_str().unwrap().trim().is_empty(), "{m}");
        assert!(!m["text_ja"].as_str().unwrap().trim().is_empty(), "{m}");
        assert_eq!(m["personal"], json!(m["name"] == "thanks"), "{m}");
    }
    let by_name = |n: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == n)
            .cloned()
            .unwrap()
    };
    assert_eq!(by_name("resolved")["changes"]["status"], "resolved");
    assert_eq!(
        by_name("no-reply")["changes"]["status"],
        "waiting_on_customer"
    );
    assert!(
        by_name("rma-issued")["text_en"]
            .as_str()
            .unwrap()
            .contains("within 10 business days, by {return_due}")
    );
    let table = desk.run(&["macros", "list"]).ok().to_string();
    assert!(
        table.lines().any(|l| l.starts_with("resolved")
            && l.contains("status=resolved")
            && l.contains("Dear {contact},")),
        "{table}"
    );

    // One macro in full; an unknown one lists the names.
    let need = desk.run(&["macros", "show", "need-info"]).ok().to_string();
    assert!(need.contains("show tech-support"), "{need}");
    assert!(need.contains("シリアル番号"), "{need}");
    desk.run(&["macros", "show", "needinfo"]).fails(
        2,
        "no macro named 'needinfo': the macros are ack, need-info, no-reply, priority-changed, resolved, rma-issued, thanks",
    );

    // The set's ETag: a revalidation is a bodiless 304.
    let api = server.client(&agent);
    let got = api.get("/v1/macros").await;
    got.expect(200);
    let etag = got.header("etag").expect("an ETag").to_string();
    let again = api
        .get_with("/v1/macros", &[("If-None-Match", &etag)])
        .await;
    assert_eq!(again.status.as_u16(), 304);

    // Leads edit; an engineer may not.
    let greeting =
        json!({"name": "greeting", "text_en": "Hello {contact}", "text_ja": "{contact} 様"});
    let put = |token: &str, body: &Value, path: &str, if_match: Option<&str>| {
        let api = server.client(token);
        let mut b = api.request(Method::PUT, path).json(body);
        if let Some(v) = if_match {
            b = b.header("If-Match", v);
        }
        async move { api.send(b).await }
    };
    put(&agent, &greeting, "/v1/macros/greeting", None)
        .await
        .problem(403, None);
    put(&lead, &greeting, "/v1/macros/greeting", None)
        .await
        .expect(201);
    // An unknown placeholder is named, with the known ones.
    let bad = json!({"name": "greeting", "text_en": "Hello {customer}", "text_ja": ""});
    let p = put(&lead, &bad, "/v1/macros/greeting", None)
        .await
        .problem(422, Some("text_en"));
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("{customer} is not a placeholder")
            && detail.contains("{first_response_due}"),
        "{p}"
    );
    // A replacement of the whole set against the ETag read before the lead's change: 412.
    let whole = json!({"macros": [greeting]});
    put(&lead, &whole, "/v1/macros", Some(&etag))
        .await
        .problem(412, Some("If-Match"));
    // The desk sees the lead's macro.
    let list = desk.run(&["macros", "list", "--json"]).json();
    assert!(names(&list).contains(&"greeting".to_string()), "{list}");

    // A case for a Japanese contact: the Japanese text, filled from the case.
    let case = api
        .create_case(json!({
            "subject": "コアスイッチが再起動を繰り返す",
            "priority": "P2",
            "tier": "tac-care",
            "channel": "web",
            "contact_name": "清水 拓也",
            "contact_email": "shimizu@example.jp",
            "contact_language": "ja",
        }))
        .await;
    let n = number(&case);
    let due: DateTime<Utc> = clock(&case, "first_response")["due"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("a first response due");
    let due_ja = due
        .with_timezone(&chrono_tz::Asia::Tokyo)
        .format("%Y年%-m月%-d日 %H:%M JST")
        .to_string();
    let out = desk
        .run(&["cases", "note", &n, "--macro", "ack"])
        .ok()
        .to_string();
    assert!(out.starts_with("sent: public note"), "{out}");
    let after = show(&desk, &n);
    let note = notes_of(&after).last().cloned().expect("the macro's note");
    let body = note["body"].as_str().unwrap();
    assert_eq!(note["visibility"], "public");
    assert!(body.starts_with("清水 拓也 様"), "{body}");
    assert!(
        body.contains(&format!("ケース {n}「コアスイッチが再起動を繰り返す」")),
        "{body}"
    );
    assert!(body.contains("優先度：P2（高）"), "{body}");
    assert!(body.contains(&format!("初回回答期限：{due_ja}")), "{body}");
    assert!(!body.contains('{'), "every placeholder filled: {body}");

    // A macro's change: resolved moves the status, its note in Japanese.
    let out = desk
        .run(&["cases", "note", &n, "--macro", "resolved"])
        .ok()
        .to_string();
    assert_eq!(out.lines().count(), 2, "the note and the change: {out}");
    let after = show(&desk, &n);
    assert_eq!(after["status"], "resolved");
    let last = notes_of(&after).last().cloned().unwrap();
    assert!(
        last["body"]
            .as_str()
            .unwrap()
            .contains("解決済みといたしました"),
        "{last}"
    );

    // No RMA on the case: refused, naming {rma}, and nothing queued or sent.
    let before = notes_of(&after).len();
    desk.run(&["cases", "note", &n, "--macro", "rma-issued"])
        .fails(1, "macro rma-issued: {rma} has no value for this case");
    let outbox = desk.run(&["outbox", "list", "--json"]).json();
    assert_eq!(outbox, json!([]), "nothing queued");
    assert_eq!(notes_of(&show(&desk, &n)).len(), before);

    // A personal macro, with the visibility chosen on the command line.
    desk.run(&["cases", "note", &n, "--macro", "thanks", "--internal"])
        .ok();
    let last = notes_of(&show(&desk, &n)).last().cloned().unwrap();
    assert_eq!(last["body"], "清水 拓也 様、ありがとうございます。");
    assert_eq!(last["visibility"], "internal");
}

#[tokio::test]
async fn a_macro_applied_offline_is_queued_and_delivered_once() {
    let mut server = Server::start();
    let agent = server.token("agent", "tanaka");
    let api = server.client(&agent);
    let case = api
        .create_case(json!({
            "subject": "Backup job fails every night",
            "priority": "P3",
            "contact_name": "Alex Morgan",
            "contact_email": "alex@example.com",
        }))
        .await;
    let n = number(&case);
    // A first response opens the case, so waiting on the customer is a move it allows.
    api.note(&n, "We are looking into it.", "public").await;
    let desk = tokyo_desk(&server, &agent);
    desk.run(&["sync"]).ok();
    server.stop();

    let out = desk
        .run(&["cases", "note", &n, "--macro", "no-reply"])
        .ok()
        .to_string();
    assert_eq!(
        out.lines().filter(|l| l.starts_with("queued:")).count(),
        2,
        "the note and the status change wait in the outbox: {out}"
    );
    let outbox = desk.run(&["outbox", "list", "--json"]).json();
    assert_eq!(outbox.as_array().unwrap().len(), 2, "{outbox}");

    server.start_again_on_the_same_port();
    desk.run(&["sync"]).ok();
    desk.run(&["sync"]).ok();
    let case = server.client(&agent).case(&n).await;
    let sent: Vec<&Value> = case["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|note| {
            note["body"]
                .as_str()
                .unwrap()
                .starts_with("Dear Alex Morgan,\n\nWe have not heard from you on case")
        })
        .collect();
    assert_eq!(sent.len(), 1, "exactly one note: {}", case["notes"]);
    assert!(
        sent[0]["body"].as_str().unwrap().contains("within 14 days"),
        "{}",
        sent[0]
    );
    assert_eq!(case["status"], "waiting_on_customer");
    assert_eq!(desk.run(&["outbox", "list", "--json"]).json(), json!([]));
}
