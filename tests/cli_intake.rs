//! `casedesk cases create` against a real `casedesk serve`: a phone P1 with the serial's
//! contract filled in and its other open cases named, the exact command-line contract (the
//! number alone on stdout, the API's case with --json), bad input refused field by field with
//! exit 2, and a case opened offline that reaches the server exactly once — also when the
//! process died after the server had opened it.

mod common;

use common::Server;
use common::desk::Desk;
use serde_json::json;

/// A demo server small enough to seed in a moment, and an agent on it.
fn demo() -> (Server, String) {
    let server = Server::start_with(&["--demo", "--demo-cases", "60"]);
    let token = server.token("agent", "kimura");
    (server, token)
}

#[tokio::test]
async fn a_phone_p1_is_opened_with_its_contract_and_the_serials_open_cases_named() {
    let (server, token) = demo();
    let desk = Desk::new(&server.base, &token);
    let (serial, entitlement, open) = common::demo_serial(&server, &token, true).await;
    assert!(open >= 1);

    let run = desk.run_with(
        &[
            "cases",
            "create",
            "--subject",
            "全拠点で通信断 — core router down",
            "--priority",
            "P1",
            "--channel",
            "phone",
            "--serial",
            &serial,
            "--contact-name",
            "清水 拓也",
            "--contact-phone",
            "+81 45-662-3108",
            "--contact-email",
            "takuya.shimizu@nextlink.co.jp",
            "--prefer",
            "phone",
            "--product",
            "MX Series Router",
            "--platform",
            "MX480",
            "--version",
            "23.2R1-S1",
        ],
        "Both PEMs alarm since 03:10; the customer rebooted once; nothing changed before.\n",
    );
    let number = run.ok().trim().to_string();
    assert!(
        common::is_case_number(&number),
        "stdout is the number alone: {number:?}"
    );
    assert!(
        run.stderr.contains(&format!("opened {number}")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("first response due"), "{}", run.stderr);
    assert!(
        run.stderr.contains("already has") && run.stderr.contains("open case"),
        "the serial's other open cases are named: {}",
        run.stderr
    );

    let case = server.client(&token).case(&number).await;
    assert_eq!(case["priority"], "P1");
    assert_eq!(case["channel"], "phone");
    assert_eq!(case["tier"], entitlement["tier"], "tier from the contract");
    assert_eq!(case["site_id"], entitlement["site_id"]);
    assert_eq!(case["account"], entitlement["account"]);
    assert_eq!(case["unentitled"], false);
    assert_eq!(case["contact_phone"], "+81 45-662-3108");
    assert_eq!(case["preferred_contact"], "phone");
    assert_eq!(case["software_version"], "23.2R1-S1");
    assert!(
        case["description"]
            .as_str()
            .unwrap()
            .starts_with("Both PEMs alarm"),
        "description from stdin"
    );
}

#[tokio::test]
async fn json_prints_the_case_as_the_api_returns_it_and_an_unentitled_serial_is_flagged() {
    let (server, token) = demo();
    let desk = Desk::new(&server.base, &token);
    let (serial, _, _) = common::demo_serial(&server, &token, false).await;
    let run = desk.run(&[
        "cases",
        "create",
        "--subject",
        "Licence activation fails",
        "--priority",
        "low",
        "--channel",
        "web",
        "--serial",
        &serial,
        "--request-type",
        "licence",
        "--user-type",
        "msp",
        "--site-name",
        "Own site name",
        "--json",
    ]);
    let case = run.json();
    assert_eq!(case["priority"], "P4");
    assert_eq!(case["request_type"], "licence");
    assert_eq!(case["user_type"], "msp");
    assert_eq!(case["site_name"], "Own site name", "a typed site wins");
    assert_eq!(case["unentitled"], true);
    assert!(run.stderr.contains("warning: serial"), "{}", run.stderr);
    assert!(run.stderr.contains("flagged"), "{}", run.stderr);
    let number = case["number"].as_str().unwrap();
    assert_eq!(server.client(&token).case(number).await["number"], number);
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_with_exit_2_and_nothing_opened() {
    let (server, token) = demo();
    let desk = Desk::new(&server.base, &token);
    let before = server
        .client(&token)
        .get("/v1/cases?limit=1")
        .await
        .expect(200)["total"]
        .clone();
    let base = ["cases", "create", "--subject", "x"];
    let cases: [(&[&str], &str); 7] = [
        (
            &["--channel", "phone", "--priority", "P1"],
            "--contact-phone",
        ),
        (&["--channel", "phone", "--priority", "P9"], "--priority"),
        (&["--priority", "P3", "--channel", "fax"], "--channel"),
        (
            &[
                "--channel",
                "web",
                "--priority",
                "P3",
                "--contact-email",
                "nope",
            ],
            "--contact-email",
        ),
        (
            &[
                "--channel",
                "web",
                "--priority",
                "P3",
                "--contact-phone",
                "call me",
            ],
            "--contact-phone",
        ),
        (
            &["--channel", "web", "--priority", "P3", "--serial", "FOC 12"],
            "--serial",
        ),
        (
            &["--channel", "web", "--priority", "P3", "--tier", "gold"],
            "--tier",
        ),
    ];
    for (extra, flag) in cases {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        let run = desk.run(&args);
        run.fails(2, flag);
        assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
    let run = desk.run(&[
        "cases",
        "create",
        "--subject",
        " ",
        "--priority",
        "P3",
        "--channel",
        "web",
    ]);
    run.fails(2, "--subject");
    let after = server
        .client(&token)
        .get("/v1/cases?limit=1")
        .await
        .expect(200)["total"]
        .clone();
    assert_eq!(before, after, "nothing was opened");
}

#[tokio::test]
async fn a_case_opened_offline_is_queued_then_opened_once() {
    let (mut server, token) = demo();
    let desk = Desk::new(&server.base, &token);
    desk.run(&["sync"]).ok();
    server.stop();

    let subject = "Backups fail every night since the upgrade (phoned in offline)";
    let run = desk.run(&[
        "cases",
        "create",
        "--subject",
        subject,
        "--priority",
        "P2",
        "--channel",
        "phone",
        "--description",
        "ShadowProtect 5.2 after the upgrade",
    ]);
    let out = run.ok();
    assert!(out.starts_with("queued: new P2 case"), "{out}");
    assert!(out.contains("NEW-"), "a provisional reference: {out}");
    let outbox = desk.run(&["outbox", "list"]).ok().to_string();
    assert!(outbox.contains("NEW-"), "{outbox}");

    server.start_again_on_the_same_port();
    let out = desk.run(&["sync"]).ok().to_string();
    assert!(out.contains("new P2 case"), "{out}");
    let opened = opened_with(&server, &token, subject).await;
    assert_eq!(opened.len(), 1, "opened once");
    // In the cache under its real number, and out of the outbox.
    let cached = desk
        .run(&["cases", "show", &opened[0], "--offline", "--json"])
        .json();
    assert_eq!(cached["subject"], subject);
    assert!(
        desk.run(&["outbox", "list", "--json"])
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );
    desk.run(&["sync"]).ok();
    assert_eq!(opened_with(&server, &token, subject).await.len(), 1);
}

#[tokio::test]
async fn a_create_sent_again_after_a_crash_opens_one_case() {
    let (server, token) = demo();
    let desk = Desk::new(&server.base, &token);
    desk.run(&["sync"]).ok();
    let subject = "sent twice, opened once";
    let change =
        json!({"op": "create", "data": {"subject": subject, "priority": "P3", "channel": "web"}});
    // As a client leaves the outbox just before sending…
    let insert = || {
        let conn = rusqlite::Connection::open(desk.cache_file("default")).unwrap();
        conn.execute(
            "INSERT INTO outbox (case_number, change, base_version, idempotency_key, state, attempts, created_at)
             VALUES ('', ?1, 0, 'cdk-test-create-1', 'pending', 1, '2026-11-23T00:00:00Z')",
            [change.to_string()],
        )
        .unwrap();
    };
    insert();
    desk.run(&["sync"]).ok();
    // …and again, as if it had died after the server opened the case.
    insert();
    let out = desk.run(&["sync"]).ok().to_string();
    assert!(out.contains("sent #"), "{out}");
    assert_eq!(opened_with(&server, &token, subject).await.len(), 1);
}

/// Numbers of the cases with this subject.
async fn opened_with(server: &Server, token: &str, subject: &str) -> Vec<String> {
    common::cases_with_subject(&server.client(token), subject)
        .await
        .iter()
        .map(|c| c["number"].as_str().unwrap().to_string())
        .collect()
}
