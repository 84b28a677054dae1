//! The install base through the real binary against a real `casedesk serve`: importing CSV and
//! JSON over the API and straight into the database, the all-or-nothing rule, the per-row
//! report, the roles, and what an imported serial does to lookups and new cases.

mod common;

use std::path::PathBuf;

use common::Server;
use common::desk::Desk;
use serde_json::{Value, json};

const HEADER: &str = "serial_number,tier,contract_end,site_name,site_id,account";

/// Writes `text` into the desk's directory as `name`.
fn file(desk: &Desk, name: &str, text: &str) -> PathBuf {
    let path = desk.dir.join(name);
    std::fs::write(&path, text).expect("write the import file");
    path
}

fn arg(path: &std::path::Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

fn serials(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a JSON array")
        .iter()
        .map(|e| e["serial_number"].as_str().expect("serial").to_string())
        .collect()
}

/// An empty server and an admin's machine.
fn admin_desk() -> (Server, Desk) {
    let server = Server::start();
    let token = server.token("admin", "root");
    let desk = Desk::new(&server.base, &token);
    (server, desk)
}

#[tokio::test]
async fn import_over_the_api_adds_updates_and_is_what_lookups_and_new_cases_see() {
    let (server, desk) = admin_desk();
    let first = file(
        &desk,
        "base.csv",
        &format!(
            "\u{feff}{HEADER}\r\n\
             FOC2455VHBE,tac-care,2099-12-31,\"Tokyo HQ, 5F\",TKY-HQ01,\"Acme \"\"Japan\"\"\"\r\n\
             JN6F9D6E4C72,premium,2020-01-31,横浜物流センター,YKH-LOG05,ネクストリンク株式会社\r\n\
             SSI1234,standard,2099-06-30,Osaka DC,OSA-DC02,Example KK\r\n"
        ),
    );
    let seq_before = server.anonymous().get("/healthz").await.expect(200)["seq"].clone();
    let out = desk.run(&["entitlements", "import", arg(&first)]);
    let text = out.ok();
    assert!(text.contains("row 1  FOC2455VHBE   added\n"), "{text}");
    assert!(
        text.ends_with("3 added, 0 updated, 0 unchanged, 0 refused — applied\n"),
        "{text}"
    );
    // The change feed moved on, so clients know.
    let seq_after = server.anonymous().get("/healthz").await.expect(200)["seq"].clone();
    assert!(
        seq_after.as_i64() > seq_before.as_i64(),
        "{seq_before} → {seq_after}"
    );

    // Again with one change, one new serial and one the same: the counts are exact.
    let second = file(
        &desk,
        "base2.csv",
        &format!(
            "{HEADER}\n\
             FOC2455VHBE,tac-care,2099-12-31,\"Tokyo HQ, 5F\",TKY-HQ01,\"Acme \"\"Japan\"\"\"\n\
             SSI1234,premium,2099-06-30,Osaka DC,OSA-DC02,Example KK\n\
             ABC0001,tac-premium,2099-01-01,Nagoya,NGO-01,Nagoya Works\n"
        ),
    );
    let text = desk
        .run(&["entitlements", "import", arg(&second)])
        .ok()
        .to_string();
    assert!(
        text.ends_with("1 added, 1 updated, 1 unchanged, 0 refused — applied\n"),
        "{text}"
    );
    assert!(text.contains("row 2  SSI1234      updated\n"), "{text}");

    // The list: sorted by serial, as JSON and as a table; --expired keeps the lapsed one.
    let all = desk.run(&["entitlements", "list", "--json"]).json();
    assert_eq!(
        serials(&all),
        ["ABC0001", "FOC2455VHBE", "JN6F9D6E4C72", "SSI1234"]
    );
    assert_eq!(all[1]["site_name"], "Tokyo HQ, 5F");
    assert_eq!(all[1]["account"], "Acme \"Japan\"");
    assert_eq!(all[3]["tier"], "premium");
    let expired = desk
        .run(&["entitlements", "list", "--expired", "--json"])
        .json();
    assert_eq!(serials(&expired), ["JN6F9D6E4C72"]);
    assert_eq!(expired[0]["active"], false);
    let table = desk.run(&["entitlements", "list"]).ok().to_string();
    assert!(table.starts_with("SERIAL"), "{table}");
    assert!(table.contains("EXPIRED"), "{table}");
    assert!(table.contains("横浜物流センター (YKH-LOG05)"), "{table}");
    assert!(table.ends_with("4 entitlement(s)\n"), "{table}");

    // Reads are for any token, with an ETag and 304.
    let viewer = server.login("viewer", "wall");
    let listed = viewer.get("/v1/entitlements?expired=false").await;
    assert_eq!(serials(&listed.expect(200)).len(), 3);
    let etag = listed.header("etag").expect("an ETag").to_string();
    let again = viewer
        .get_with(
            "/v1/entitlements?expired=false",
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(again.status.as_u16(), 304);
    viewer
        .get("/v1/entitlements?expired=maybe")
        .await
        .problem(400, Some("expired"));

    // The single lookup and a new case use the imported contract.
    let agent = server.login("agent", "tanaka");
    let one = agent.get("/v1/entitlements/ssi1234").await.expect(200);
    assert_eq!(one["tier"], "premium");
    assert_eq!(one["active"], true);
    let case = agent
        .create_case(json!({ "serial_number": "SSI1234" }))
        .await;
    assert_eq!(case["tier"], "premium", "{case}");
    assert_eq!(case["site_name"], "Osaka DC", "{case}");
    assert_eq!(case["site_id"], "OSA-DC02", "{case}");
    assert_eq!(case["account"], "Example KK", "{case}");
    assert_eq!(case["unentitled"], false, "{case}");
    let lapsed = agent
        .create_case(json!({ "serial_number": "JN6F9D6E4C72" }))
        .await;
    assert_eq!(lapsed["unentitled"], true, "{lapsed}");
    let single = desk.run(&["entitlement", "FOC2455VHBE"]).ok().to_string();
    assert!(single.contains("support ACTIVE"), "{single}");
}

#[tokio::test]
async fn a_bad_row_applies_nothing_unless_skip_bad() {
    let (server, desk) = admin_desk();
    let bad = file(
        &desk,
        "bad.csv",
        &format!(
            "{HEADER}\n\
             FOC1,standard,2099-01-01,Tokyo,TKY-01,Acme\n\
             FOC123,gold,2099-01-01,Tokyo,TKY-01,Acme\n\
             FOC2,premium,2099/01/01,Tokyo,TKY-01,Acme\n\
             foc1,standard,2099-01-01,Tokyo,TKY-01,Acme\n\
             FOC3,premium,2099-01-01,Tokyo,TKY-01,\n"
        ),
    );
    let run = desk.run(&["entitlements", "import", arg(&bad)]);
    run.fails(2, "nothing applied");
    let text = &run.stdout;
    assert!(
        text.contains(
            "row 2  FOC123  refused: invalid tier 'gold': expected tac-care, tac-advanced, tac-premium, standard, premium or self_service\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "row 3  FOC2    refused: contract_end '2099/01/01': expected a date YYYY-MM-DD"
        ),
        "{text}"
    );
    assert!(
        text.contains("row 4  foc1    refused: serial_number foc1 is already given by row 1"),
        "{text}"
    );
    assert!(
        text.contains("row 5  FOC3    refused: account is missing"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "1 added, 0 updated, 0 unchanged, 4 refused — nothing applied: fix the refused rows or use --skip-bad\n"
        ),
        "{text}"
    );
    let admin = desk.token.clone().expect("a token");
    let api = server.client(&admin);
    assert_eq!(
        api.get("/v1/entitlements").await.expect(200),
        json!([]),
        "nothing applied"
    );

    // The JSON report says the same, with the same exit status.
    let run = desk.run(&["entitlements", "import", arg(&bad), "--json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).expect("a JSON report");
    assert_eq!(report["applied"], false);
    assert_eq!(report["refused"], 4);
    assert_eq!(report["rows"][1]["outcome"], "refused");
    assert_eq!(report["rows"][1]["row"], 2);

    // Over HTTP: 422 with the report, documented in the OpenAPI document.
    let rows = json!([{"serial_number": "X1", "tier": "gold", "contract_end": "2099-01-01",
        "site_name": "a", "site_id": "b", "account": "c"}]);
    let answer = api
        .post("/v1/entitlements/import", &json!({ "rows": rows }))
        .await;
    assert_eq!(answer.expect(422)["applied"], false);
    let doc = api.get("/v1/openapi.json").await.expect(200);
    assert!(doc["paths"]["/v1/entitlements/import"]["post"].is_object());
    assert!(doc["paths"]["/v1/entitlements"]["get"].is_object());

    // --skip-bad applies the good row and says what it left out.
    let text = desk
        .run(&["entitlements", "import", arg(&bad), "--skip-bad"])
        .ok()
        .to_string();
    assert!(
        text.ends_with(
            "1 added, 0 updated, 0 unchanged, 4 refused — applied without the refused rows\n"
        ),
        "{text}"
    );
    let list = desk.run(&["entitlements", "list", "--json"]).json();
    assert_eq!(serials(&list), ["FOC1"]);
}

#[tokio::test]
async fn json_files_and_a_direct_import_into_the_database() {
    let (server, desk) = admin_desk();
    let rows = json!([
        {"serial_number": "JSON1", "tier": "self_service", "contract_end": "2099-01-01",
         "site_name": "大阪データセンター", "site_id": "OSA-01", "account": "株式会社サンプル"},
        {"serial_number": "JSON2", "tier": "TAC-Advanced", "contract_end": "2021-03-31",
         "site_name": "Austin", "site_id": "AUS-1", "account": "Example Inc"}
    ]);
    let by_name = file(&desk, "rows.json", &rows.to_string());
    let text = desk
        .run(&["entitlements", "import", arg(&by_name), "--json"])
        .json();
    assert_eq!(text["added"], 2, "{text}");
    assert_eq!(text["applied"], true);

    // A list's JSON imports as it is (by its leading bracket, whatever the name).
    let listed = desk
        .run(&["entitlements", "list", "--json"])
        .ok()
        .to_string();
    let round_trip = file(&desk, "export.txt", &listed);
    let text = desk
        .run(&["entitlements", "import", arg(&round_trip)])
        .ok()
        .to_string();
    assert!(
        text.ends_with("0 added, 0 updated, 2 unchanged, 0 refused — applied\n"),
        "{text}"
    );

    // Straight into the server's database file, with the same rules and report.
    let csv = file(
        &desk,
        "direct.csv",
        &format!(
            "{HEADER}\nDB1,standard,2099-01-01,Fukuoka,FUK-1,Kyushu KK\nJSON2,tac-advanced,2027-03-31,Austin,AUS-1,Example Inc\n"
        ),
    );
    let db = server.db.to_str().expect("a UTF-8 path").to_string();
    let offline = Desk::new("http://127.0.0.1:9", "cdk_unused");
    let text = offline
        .run(&["entitlements", "import", arg(&csv), "--db", &db])
        .ok()
        .to_string();
    assert!(
        text.ends_with("1 added, 1 updated, 0 unchanged, 0 refused — applied\n"),
        "{text}"
    );
    let list = desk.run(&["entitlements", "list", "--json"]).json();
    assert_eq!(serials(&list), ["DB1", "JSON1", "JSON2"]);
    assert_eq!(list[2]["contract_end"], "2027-03-31");

    let missing = desk.dir.join("no-such.db");
    offline
        .run(&["entitlements", "import", arg(&csv), "--db", arg(&missing)])
        .fails(2, "no database at");
    assert!(!missing.exists(), "a typo must not create a database");
}

#[tokio::test]
async fn a_non_admin_and_a_broken_file_are_refused_with_one_clear_line() {
    let server = Server::start();
    let agent = Desk::new(&server.base, &server.token("agent", "tanaka"));
    let good = file(
        &agent,
        "good.csv",
        &format!("{HEADER}\nFOC1,standard,2099-01-01,Tokyo,TKY-01,Acme\n"),
    );
    agent.run(&["entitlements", "import", arg(&good)]).fails(
        1,
        "not allowed: tanaka has the role agent; to import entitlements the role admin or higher is needed",
    );
    // Reading is for every role.
    assert_eq!(
        agent.run(&["entitlements", "list", "--json"]).json(),
        json!([])
    );

    let wrong = file(
        &agent,
        "wrong.csv",
        "serial,tier,end\nFOC1,standard,2099-01-01\n",
    );
    let run = agent.run(&["entitlements", "import", arg(&wrong)]);
    run.fails(
        2,
        "the header is 'serial,tier,end': expected exactly serial_number,tier,contract_end,site_name,site_id,account",
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    let missing = agent.dir.join("missing.csv");
    agent
        .run(&["entitlements", "import", arg(&missing)])
        .fails(2, "cannot read");
    let short = file(&agent, "short.csv", &format!("{HEADER}\nFOC1,standard\n"));
    agent
        .run(&["entitlements", "import", arg(&short)])
        .fails(2, "row 1 (line 2) has 2 fields: expected 6");
}

#[tokio::test]
async fn an_install_base_larger_than_other_request_bodies_imports_in_one_go() {
    let (_server, desk) = admin_desk();
    // About 2 MiB as JSON on the wire: twice the limit of the other routes.
    let mut text = format!("{HEADER}\n");
    for i in 0..15_000 {
        text.push_str(&format!(
            "SN{i:08},tac-advanced,2099-12-31,Data centre {i},DC-{i:05},Account number {i}\n"
        ));
    }
    let big = file(&desk, "big.csv", &text);
    let out = desk
        .run(&["entitlements", "import", arg(&big), "--json"])
        .json();
    assert_eq!(out["added"], 15_000);
    assert_eq!(out["applied"], true);
    let list = desk.run(&["entitlements", "list", "--json"]).json();
    assert_eq!(list.as_array().map(Vec::len), Some(15_000));
}

#[tokio::test]
async fn an_import_puts_the_cases_of_its_serials_on_the_change_feed() {
    let (server, desk) = admin_desk();
    let agent = server.login("agent", "tanaka");
    let case = agent
        .create_case(json!({ "serial_number": "LATE0001" }))
        .await;
    assert_eq!(case["unentitled"], true, "{case}");
    let number = case["number"].as_str().expect("a number").to_string();
    // A case of another serial stays off the feed.
    agent
        .create_case(json!({ "serial_number": "OTHER001" }))
        .await;
    let seq = agent.get("/v1/changes?since=0").await.expect(200)["seq"].clone();

    let csv = file(
        &desk,
        "late.csv",
        &format!("{HEADER}\nLATE0001,tac-care,2099-12-31,Sendai,SDJ-01,Tohoku KK\n"),
    );
    desk.run(&["entitlements", "import", arg(&csv)]).ok();
    let changes = agent
        .get(&format!("/v1/changes?since={seq}"))
        .await
        .expect(200);
    let changed: Vec<&str> = changes["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter_map(|c| c["number"].as_str())
        .collect();
    assert_eq!(changed, [number.as_str()], "{changes}");
    assert_eq!(agent.case(&number).await["unentitled"], false);

    // An import that changes nothing leaves the feed alone.
    let before = agent.get("/v1/changes?since=0").await.expect(200)["seq"].clone();
    let text = desk
        .run(&["entitlements", "import", arg(&csv)])
        .ok()
        .to_string();
    assert!(text.contains("1 unchanged"), "{text}");
    let after = agent.get("/v1/changes?since=0").await.expect(200)["seq"].clone();
    assert_eq!(before, after);
}
