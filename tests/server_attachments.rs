//! Files on a case (issue 17 item 2, the server): the real `casedesk serve` with an
//! `[attachments]` table, uploads streamed in and downloads streamed out over loopback.

mod common;

use std::path::{Path, PathBuf};

use chrono::Utc;
use common::{Api, Server, enc, number};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// A server whose files may be 64 KiB each and 100 KiB per case.
fn small_limits() -> (Server, PathBuf) {
    let dir = common::temp_dir("casedesk-attachments-config");
    let config = dir.join("serve.toml");
    std::fs::write(
        &config,
        "[attachments]\nmax_file = \"64KiB\"\nmax_case = 102400\n",
    )
    .expect("write the config");
    let server = Server::start_with(&["--config", &config.display().to_string()]);
    (server, dir)
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Where the server keeps uploads by default: `<db>.files/`.
fn files_dir(server: &Server) -> PathBuf {
    let mut name = server.db.clone().into_os_string();
    name.push(".files");
    PathBuf::from(name)
}

/// The names in the attachments directory.
fn stored(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// `POST /v1/cases/{n}/attachments?name=NAME` with `bytes` and extra headers.
async fn upload(
    api: &Api,
    n: &str,
    name: &str,
    content_type: &str,
    bytes: &[u8],
    headers: &[(&str, &str)],
) -> common::Resp {
    api.send_raw(
        Method::POST,
        &format!("/v1/cases/{n}/attachments?name={}", enc(name)),
        content_type,
        bytes.to_vec(),
        headers,
    )
    .await
}

/// The same upload sent chunked (no Content-Length), as a stream of 16 KiB pieces.
async fn upload_chunked(api: &Api, n: &str, name: &str, bytes: Vec<u8>) -> common::Resp {
    let pieces: Vec<Result<Vec<u8>, std::io::Error>> =
        bytes.chunks(16 * 1024).map(|c| Ok(c.to_vec())).collect();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(pieces));
    api.send(
        api.request(
            Method::POST,
            &format!("/v1/cases/{n}/attachments?name={}", enc(name)),
        )
        .header("Content-Type", "application/octet-stream")
        .body(body),
    )
    .await
}

/// A `show tech` excerpt: text, with Japanese in it.
fn show_tech() -> Vec<u8> {
    let mut text = String::from("------------------ show version ------------------\n");
    for i in 0..200 {
        text.push_str(&format!(
            "Nov 26 03:{:02}:{:02} rtr1 %LINK-3-UPDOWN: Interface TenGigabitEthernet0/0/0, changed state to down ({i})\n",
            i / 60,
            i % 60
        ));
    }
    text.push_str("備考: 再起動後にリンクが復旧\n");
    text.into_bytes()
}

/// The start of a PNG image: its signature and header chunk.
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

#[tokio::test]
async fn a_file_goes_up_and_comes_back_the_same() {
    let (server, _config) = small_limits();
    let agent = server.login("agent", "tanaka");
    let n = number(&agent.create_case(json!({})).await);
    let before = agent.get(&format!("/v1/cases/{n}")).await;
    let etag_before = before.header("etag").expect("an ETag").to_string();
    let seq = agent.get("/v1/changes?since=0").await.expect(200)["seq"].clone();

    let text = show_tech();
    let up = upload(
        &agent,
        &n,
        "show tech.txt",
        "application/octet-stream",
        &text,
        &[],
    )
    .await;
    let file = up.expect(201);
    let id = file["id"].as_i64().expect("an id");
    assert_eq!(file["name"], "show tech.txt");
    assert_eq!(file["size"], json!(text.len()));
    assert_eq!(file["sha256"], json!(sha256(&text)));
    assert_eq!(file["content_type"], "text/plain; charset=utf-8");
    assert_eq!(file["added_by"], "tanaka");
    assert_eq!(
        up.header("location"),
        Some(format!("/v1/attachments/{id}").as_str())
    );
    // Kept on disk under its SHA-256, beside the database; no partial upload left behind.
    assert_eq!(stored(&files_dir(&server)), vec![sha256(&text)]);

    let down = agent.get(&format!("/v1/attachments/{id}")).await;
    assert_eq!(down.status.as_u16(), 200, "{}", down.text());
    assert_eq!(down.body.as_ref(), text.as_slice());
    assert_eq!(sha256(&down.body), sha256(&text));
    assert_eq!(
        down.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    let etag = format!("\"{}\"", sha256(&text));
    assert_eq!(down.header("etag"), Some(etag.as_str()));
    assert_eq!(
        down.header("content-disposition"),
        Some("attachment; filename=\"show tech.txt\"; filename*=UTF-8''show%20tech.txt")
    );
    let again = agent
        .get_with(
            &format!("/v1/attachments/{id}"),
            &[("If-None-Match", &etag)],
        )
        .await;
    assert_eq!(again.status.as_u16(), 304);
    // A client that accepts gzip (as casedesk's does) still gets the stored bytes: the API's
    // answers are compressed, a file is not.
    let raw = server.raw_client(&server.token("agent", "suzuki"));
    let plain = raw
        .get_with(
            &format!("/v1/attachments/{id}"),
            &[("Accept-Encoding", "gzip")],
        )
        .await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body.as_ref(), text.as_slice());

    // A binary is sniffed; a specific declared type is kept.
    let png = upload(&agent, &n, "port.png", "application/octet-stream", PNG, &[])
        .await
        .expect(201);
    assert_eq!(png["content_type"], "image/png");
    let png_down = agent.get(&format!("/v1/attachments/{}", png["id"])).await;
    assert_eq!(png_down.body.as_ref(), PNG);
    assert_eq!(png_down.header("content-type"), Some("image/png"));
    let declared = upload(
        &agent,
        &n,
        "messages",
        "text/x-syslog",
        b"Nov 26 rtr1 up\n",
        &[],
    )
    .await
    .expect(201);
    assert_eq!(declared["content_type"], "text/x-syslog");

    // The case lists its files, oldest first; its history says who added what; its ETag moved.
    let after = agent.get(&format!("/v1/cases/{n}")).await;
    let case = after.expect(200);
    let names: Vec<&str> = case["attachments"]
        .as_array()
        .expect("attachments")
        .iter()
        .map(|a| a["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(names, ["show tech.txt", "port.png", "messages"]);
    assert_eq!(case["attachments"][0], file);
    let history: Vec<(&str, &str)> = case["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| (h["actor"].as_str().unwrap(), h["summary"].as_str().unwrap()))
        .filter(|(_, s)| s.starts_with("attachment"))
        .collect();
    let size = format!("{:.1} KiB", text.len() as f64 / 1024.0);
    assert_eq!(
        history,
        [
            (
                "tanaka",
                format!("attachment show tech.txt ({size}) added").as_str()
            ),
            ("tanaka", "attachment port.png (33 B) added"),
            ("tanaka", "attachment messages (15 B) added"),
        ]
    );
    assert_ne!(after.header("etag"), Some(etag_before.as_str()));
    // Clients following the change feed see the case changed.
    let changes = agent
        .get(&format!("/v1/changes?since={seq}"))
        .await
        .expect(200);
    assert_eq!(changes["cases"][0]["number"], json!(n), "{changes}");

    // If-Match, when sent, must name the case's version.
    upload(
        &agent,
        &n,
        "late.txt",
        "text/plain",
        b"x",
        &[("If-Match", "\"v1\"")],
    )
    .await
    .problem(412, Some("If-Match"));
    let current = common::if_match(&agent.case(&n).await);
    upload(
        &agent,
        &n,
        "now.txt",
        "text/plain",
        b"x",
        &[("If-Match", &current)],
    )
    .await
    .expect(201);

    // Unknown ids and cases, and who may upload.
    agent.get("/v1/attachments/999999").await.problem(404, None);
    agent
        .get("/v1/attachments/abc")
        .await
        .problem(400, Some("id"));
    upload(&agent, "2026-0101-999999", "a.txt", "text/plain", b"x", &[])
        .await
        .problem(404, None);
    let viewer = server.login("viewer", "wallboard");
    upload(&viewer, &n, "a.txt", "text/plain", b"x", &[])
        .await
        .problem(403, None);
    assert_eq!(
        viewer
            .get(&format!("/v1/attachments/{id}"))
            .await
            .body
            .as_ref(),
        text.as_slice(),
        "anyone who reads the case reads its files"
    );
}

#[tokio::test]
async fn names_are_sanitized_and_retries_add_one_file() {
    let (server, _config) = small_limits();
    let agent = server.login("agent", "tanaka");
    let n = number(&agent.create_case(json!({})).await);

    let passwd = upload(
        &agent,
        &n,
        "../../etc/passwd",
        "text/plain",
        b"root:x:0:0\n",
        &[],
    )
    .await
    .expect(201);
    assert_eq!(passwd["name"], "passwd");
    let control = upload(
        &agent,
        &n,
        "a\u{1b}[31mb\r\n.log",
        "text/plain",
        b"x\n",
        &[],
    )
    .await
    .expect(201);
    assert_eq!(control["name"], "a[31mb .log");
    let empty = upload(&agent, &n, "../", "text/plain", b"x", &[])
        .await
        .problem(400, Some("name"));
    assert!(
        empty["detail"]
            .as_str()
            .unwrap()
            .contains("expected ?name=FILE_NAME"),
        "{empty}"
    );
    agent
        .send_raw(
            Method::POST,
            &format!("/v1/cases/{n}/attachments"),
            "text/plain",
            b"x".to_vec(),
            &[],
        )
        .await
        .problem(400, Some("name"));
    upload(&agent, &n, "a.txt", "not a type", b"x", &[])
        .await
        .problem(400, Some("Content-Type"));

    // A retry with the same Idempotency-Key answers the first response: one file, same id.
    let key = [("Idempotency-Key", "upload-7f3a")];
    let log = b"Nov 26 03:14:07 rtr1 %OSPF-5-ADJCHG: Nbr 10.0.0.2 from FULL to DOWN\n";
    let first = upload(&agent, &n, "ospf.log", "text/plain", log, &key).await;
    let first_body = first.expect(201);
    let retry = upload(&agent, &n, "ospf.log", "text/plain", log, &key).await;
    assert_eq!(retry.expect(201), first_body);
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    let other = upload(&agent, &n, "ospf.log", "text/plain", b"other bytes", &key).await;
    other.problem(422, Some("Idempotency-Key"));
    let case = agent.case(&n).await;
    let logs = case["attachments"]
        .as_array()
        .expect("attachments")
        .iter()
        .filter(|a| a["name"] == "ospf.log")
        .count();
    assert_eq!(logs, 1);

    // The same bytes twice share one file on disk.
    upload(&agent, &n, "copy.log", "text/plain", log, &[])
        .await
        .expect(201);
    let names = stored(&files_dir(&server));
    assert_eq!(names.iter().filter(|f| **f == sha256(log)).count(), 1);
    assert!(
        names.iter().all(|f| !f.starts_with('.')),
        "no partial upload left: {names:?}"
    );
}

/// Sends an upload's head declaring `length` bytes and only 16 of them, holding the rest back;
/// returns what the server answers meanwhile (empty if nothing within 10 s).
async fn answer_before_the_body(server: &Server, n: &str, length: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let token = server.token("agent", "suzuki");
    let address = server.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect to the server");
    let head = format!(
        "POST /v1/cases/{n}/attachments?name=held.log HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: text/plain\r\nContent-Length: {length}\r\n\r\n"
    );
    stream
        .write_all(head.as_bytes())
        .await
        .expect("send the head");
    stream.write_all(&[b'x'; 16]).await.expect("send a little");
    let mut answer = vec![0u8; 512];
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut answer))
        .await
        .map_or(0, |r| r.unwrap_or(0));
    String::from_utf8_lossy(&answer[..read]).into_owned()
}

#[tokio::test]
async fn files_over_the_limits_are_refused_with_the_limit() {
    let (server, _config) = small_limits();
    let agent = server.login("agent", "tanaka");
    let n = number(&agent.create_case(json!({})).await);
    let big = vec![b'a'; 65 * 1024];

    // Refused from its Content-Length before a byte is read, and while streaming without one.
    let per_file = "the file is larger than the server's limit of 64 KiB (65536 bytes) per file ([attachments] max_file)";
    let declared = upload(&agent, &n, "big.log", "text/plain", &big, &[])
        .await
        .problem(413, Some("max_file"));
    assert_eq!(declared["detail"], per_file);
    let held = answer_before_the_body(&server, &n, big.len()).await;
    assert!(
        held.starts_with("HTTP/1.1 413"),
        "a declared length over max_file is refused while the body is held back: {held}"
    );
    let streamed = upload_chunked(&agent, &n, "big.log", big.clone())
        .await
        .problem(413, Some("max_file"));
    assert_eq!(streamed["detail"], per_file);

    // 60 KiB fits; 50 KiB more would pass the case's 100 KiB. A retry of the 60 KiB with its
    // key (its answer lost) is the first 201 again, although 60 more would not fit.
    let key = [("Idempotency-Key", "first-log-1")];
    let first = vec![b'b'; 60 * 1024];
    let stored_once = upload(&agent, &n, "first.log", "text/plain", &first, &key)
        .await
        .expect(201);
    let retry = upload(&agent, &n, "first.log", "text/plain", &first, &key).await;
    assert_eq!(retry.expect(201), stored_once);
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    let more = vec![b'c'; 50 * 1024];
    let declared = upload(&agent, &n, "more.log", "text/plain", &more, &[])
        .await
        .problem(413, Some("max_case"));
    assert_eq!(
        declared["detail"],
        "the case's files would add up to 110 KiB (112640 bytes): larger than the server's limit of 100 KiB (102400 bytes) per case ([attachments] max_case); 60 KiB already on the case"
    );
    let streamed = upload_chunked(&agent, &n, "more.log", more)
        .await
        .problem(413, Some("max_case"));
    assert_eq!(
        streamed["detail"],
        "the case's files would add up to more than 100 KiB: larger than the server's limit of 100 KiB (102400 bytes) per case ([attachments] max_case); 60 KiB already on the case"
    );

    let case = agent.case(&n).await;
    assert_eq!(case["attachments"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        stored(&files_dir(&server)),
        vec![sha256(&vec![b'b'; 60 * 1024])],
        "nothing of the refused uploads is kept"
    );
}

#[tokio::test]
async fn files_that_came_by_mail_are_listed_and_downloadable() {
    use casedesk::api::{NewNote, NoteKind};
    use casedesk::domain::Visibility;
    use casedesk::server::mail::parse::IncomingAttachment;
    use casedesk::server::store::mail_in::{self, MailInState, MailOrigin};
    use casedesk::server::store::{self, Caller, Sla};
    use casedesk::sla::{Calendars, Policies};

    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let n = number(&agent.create_case(json!({})).await);
    let config = b"hostname rtr1\ninterface TenGigabitEthernet0/0/0\n shutdown\n".to_vec();
    {
        // Recorded as the mailbox reader records a customer's reply with a file.
        let conn = rusqlite::Connection::open(&server.db).expect("open the server's database");
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .expect("busy timeout");
        let sla = Sla {
            calendars: Calendars::builtin(),
            policies: Policies::builtin(),
        };
        let at = Utc::now();
        let tx = conn.unchecked_transaction().expect("a transaction");
        let mail = mail_in::insert(
            &tx,
            "cfg@example.test",
            MailInState::Applied,
            None,
            "customer@example.test",
            "Re: config",
            Some(&n),
            b"raw",
            at,
        )
        .expect("record the mail");
        let files = [IncomingAttachment {
            name: "running-config.txt".into(),
            content_type: "text/plain".into(),
            content: config.clone(),
        }];
        let version = store::case_tag(&tx, &n).expect("the case").0;
        let note = NewNote {
            body: "The config is attached.".into(),
            visibility: Visibility::Public,
            kind: NoteKind::Note,
            from_customer: true,
        };
        let origin = MailOrigin {
            sender: "customer@example.test",
            author: None,
            mail_in_id: mail,
            attachments: &files,
        };
        store::add_mail_note(
            &tx,
            &sla,
            &n,
            &note,
            version,
            &Caller::system(),
            at,
            &origin,
        )
        .expect("add the mail's note");
        tx.commit().expect("commit");
    }
    upload(&agent, &n, "later.txt", "text/plain", b"later\n", &[])
        .await
        .expect(201);

    let case = agent.case(&n).await;
    let files: Vec<&Value> = case["attachments"]
        .as_array()
        .expect("attachments")
        .iter()
        .collect();
    assert_eq!(files.len(), 2, "{case}");
    assert_eq!(files[0]["name"], "running-config.txt");
    assert_eq!(files[0]["sha256"], json!(sha256(&config)));
    assert!(files[0]["note_id"].is_i64(), "{}", files[0]);
    assert_eq!(files[1]["name"], "later.txt");
    let down = agent
        .get(&format!("/v1/attachments/{}", files[0]["id"]))
        .await;
    assert_eq!(down.status.as_u16(), 200);
    assert_eq!(down.body.as_ref(), config.as_slice());
    assert_eq!(down.header("content-type"), Some("text/plain"));
}
