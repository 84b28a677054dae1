//! `casedesk cases set` and `cases note` on several cases, through the real binary against a
//! real `casedesk serve`: numbers as arguments or from stdin (`-`), one line (or one JSON object)
//! per case, every case tried and a failure exit status when any was refused, and a malformed
//! number refused before anything is sent.

mod common;

use common::desk::Desk;
use common::{Server, number};
use serde_json::{Value, json};

/// A server, tanaka's (agent) token, and `n` fresh cases opened by tanaka.
async fn desk_with_cases(n: usize) -> (Server, String, Vec<String>) {
    let server = Server::start();
    let token = server.token("agent", "tanaka");
    let api = server.client(&token);
    let mut numbers = Vec::new();
    for i in 0..n {
        let case = api
            .create_case(json!({ "subject": format!("Bulk case {i}") }))
            .await;
        numbers.push(number(&case));
    }
    (server, token, numbers)
}

#[tokio::test]
async fn several_numbers_are_each_tried_one_line_each_and_a_refusal_fails_the_run() {
    let (server, token, n) = desk_with_cases(3).await;
    // The third case is sato's: an agent may not take it (the server refuses).
    let sato = server.client(&server.token("agent", "sato"));
    sato.patch_case(&n[2], &json!({ "owner": "sato" }))
        .await
        .expect(200);
    let desk = Desk::new(&server.base, &token);

    let run = desk.run(&["cases", "set", &n[0], &n[2], &n[1], "--take"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert_eq!(lines[0], format!("{} done", n[0]));
    assert!(
        lines[1].starts_with(&format!("{} refused: ", n[2])),
        "{}",
        run.stdout
    );
    assert_eq!(
        lines[2],
        format!("{} done", n[1]),
        "tried after the refusal"
    );
    run.fails(1, "1 of 3 cases not changed");

    let api = server.client(&token);
    assert_eq!(api.case(&n[0]).await["owner"], "tanaka");
    assert_eq!(api.case(&n[1]).await["owner"], "tanaka");
    assert_eq!(api.case(&n[2]).await["owner"], "sato");

    // One number alone prints as it always has.
    let out = desk
        .run(&["cases", "set", &n[0], "--status", "open"])
        .ok()
        .to_string();
    assert_eq!(out, format!("sent: status → open on {}\n", n[0]));
}

#[tokio::test]
async fn numbers_from_stdin_with_comments_json_results_and_a_bad_number_sends_nothing() {
    let (server, token, n) = desk_with_cases(3).await;
    let desk = Desk::new(&server.base, &token);
    let api = server.client(&token);
    let notes = async |number: &str| -> usize {
        api.case(number).await["notes"]
            .as_array()
            .map_or(0, Vec::len)
    };
    let before: Vec<usize> = vec![notes(&n[0]).await, notes(&n[1]).await, notes(&n[2]).await];

    // A malformed number (line 3) is refused before anything is sent, naming it.
    let stdin = format!("{}\n\n2026-1120-00x002\n{}\n", n[0], n[1]);
    let run = desk.run_with(
        &["cases", "note", "-", "--internal", "--message", "checked"],
        &stdin,
    );
    run.fails(2, "'2026-1120-00x002'");
    run.fails(2, "stdin line 3");
    assert_eq!(run.stdout, "");
    assert_eq!(notes(&n[0]).await, before[0], "nothing was sent");

    // One per line or several on a line; blank lines and comments ignored.
    let stdin = format!(
        "# the morning's cases\n{}\n\n{} {}  # two more\n",
        n[0], n[1], n[2]
    );
    let out = desk
        .run_with(
            &[
                "cases",
                "note",
                "-",
                "--internal",
                "--message",
                "PR1234567 を確認中",
            ],
            &stdin,
        )
        .ok()
        .to_string();
    assert_eq!(
        out,
        format!("{} done\n{} done\n{} done\n", n[0], n[1], n[2])
    );
    for (i, number) in n.iter().enumerate() {
        assert_eq!(notes(number).await, before[i] + 1, "{number}");
    }

    // --json: an array with each case's result.
    let run = desk.run_with(
        &[
            "cases",
            "set",
            "-",
            "--priority",
            "P2",
            "--why",
            "second site down",
            "--json",
        ],
        &format!("{}\n{}\n", n[0], n[1]),
    );
    let results: Value = run.json();
    assert_eq!(
        results,
        json!([
            { "case": n[0], "result": "done" },
            { "case": n[1], "result": "done" },
        ])
    );
    assert_eq!(api.case(&n[1]).await["priority"], "P2");

    // Numbers from stdin need the note in --message (stdin is taken).
    desk.run_with(&["cases", "note", "-", "--public"], &n[0])
        .fails(2, "need the note in --message");
}
