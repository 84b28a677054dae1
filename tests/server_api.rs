//! The case API end to end: the real `casedesk serve` on a loopback port with a temporary
//! database, driven with reqwest (SPEC §2, §4).

mod common;

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use common::{Api, Server, clock, enc, if_match, is_case_number, number};
use serde_json::{Value, json};

fn numbers(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(number)
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

async fn list(api: &Api, query: &str) -> Value {
    api.get(&format!("/v1/cases?{query}")).await.expect(200)
}

async fn list_set(api: &Api, query: &str) -> BTreeSet<String> {
    numbers(&list(api, query).await).into_iter().collect()
}

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| panic!("not an instant: {v}"))
}

#[tokio::test]
async fn create_case_then_get_with_etag_and_304() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");

    let before = Utc::now()
        .with_timezone(&chrono_tz::Asia::Tokyo)
        .date_naive();
    let resp = agent
        .post(
            "/v1/cases",
            &json!({
                "subject": "電源ユニットの故障 / power supply failure",
                "description": "Catalyst 9300 の電源が落ちる",
                "priority": "P2",
                "tier": "tac-care",
                "channel": "phone",
                "site_name": "大阪DC",
                "site_id": "OSA-01",
                "account": "Example KK",
                "contact_name": "佐藤",
                "contact_email": "sato@example.jp",
                "product": "Catalyst 9300",
                "platform": "C9300-48P",
                "serial_number": "FOC2233X0AB"
            }),
        )
        .await;
    let after = Utc::now()
        .with_timezone(&chrono_tz::Asia::Tokyo)
        .date_naive();
    let case = resp.expect(201);
    let n = number(&case);
    assert!(
        is_case_number(&n),
        "case number format YYYY-MMDD-NNNNNN: {n}"
    );
    let day: String = n[..9].replace('-', "");
    let days = [
        before.format("%Y%m%d").to_string(),
        after.format("%Y%m%d").to_string(),
    ];
    assert!(
        days.contains(&day),
        "the number carries today's Tokyo date: {n}"
    );
    assert_eq!(&n[10..], "000001", "the first case of the day");
    assert_eq!(
        resp.header("location"),
        Some(format!("/v1/cases/{n}").as_str())
    );
    assert_eq!(
        resp.header("content-type"),
        Some("application/json"),
        "JSON body"
    );
    assert_eq!(case["status"], "new");
    assert_eq!(case["priority"], "P2");
    assert_eq!(case["tier"], "tac-care");
    assert_eq!(case["channel"], "phone");
    assert_eq!(case["site_name"], "大阪DC");
    assert_eq!(case["serial_number"], "FOC2233X0AB");
    assert_eq!(case["version"], 1);
    assert!(case["notes"].as_array().unwrap().is_empty());
    // The server computes the clocks and puts them in the body.
    let first = clock(&case, "first_response");
    assert_eq!(first["state"], "running", "{first}");
    assert!(first["due"].is_string(), "{first}");
    assert!(first["remaining_secs"].as_i64().unwrap() > 0, "{first}");
    assert!(case["next_due"].is_string());
    assert_eq!(case["breached"], false);

    // A second case the same day gets the next sequence.
    let second = agent.create_case(json!({ "subject": "second" })).await;
    let n2 = number(&second);
    if n2[..9] == n[..9] {
        assert_eq!(&n2[10..], "000002");
    }

    // GET with ETag, then If-None-Match → 304 with no body.
    let got = agent.get(&format!("/v1/cases/{n}")).await;
    let body = got.expect(200);
    assert_eq!(body["number"], n.as_str());
    assert_eq!(body["description"], "Catalyst 9300 の電源が落ちる");
    let etag = got.header("etag").expect("ETag on a case").to_string();
    let not_modified = agent
        .get_with(&format!("/v1/cases/{n}"), &[("If-None-Match", &etag)])
        .await;
    assert_eq!(not_modified.status.as_u16(), 304);
    assert!(not_modified.body.is_empty());
    assert_eq!(not_modified.header("etag"), Some(etag.as_str()));
    // Another tag does not match.
    let other = agent
        .get_with(
            &format!("/v1/cases/{n}"),
            &[("If-None-Match", "W/\"v0-s0\"")],
        )
        .await;
    other.expect(200);

    // The 14 digits without dashes name the same case.
    let digits = n.replace('-', "");
    let by_digits = agent.case(&digits).await;
    assert_eq!(by_digits["number"], n.as_str());

    // After a change the old tag no longer matches.
    agent.note(&n, "調査中です", "internal").await;
    let changed = agent
        .get_with(&format!("/v1/cases/{n}"), &[("If-None-Match", &etag)])
        .await;
    changed.expect(200);
    assert_ne!(changed.header("etag"), Some(etag.as_str()));

    // A well-formed number that does not exist.
    agent
        .get("/v1/cases/2001-0101-000001")
        .await
        .problem(404, None);
}

/// Six cases with different priorities, statuses, owners and words.
async fn seed_queue(agent: &Api) -> Vec<String> {
    let a = agent
        .create_case(json!({ "subject": "電源ユニット故障 power supply failure", "priority": "P1", "owner": "tanaka", "site_name": "Tokyo" }))
        .await;
    let b = agent
        .create_case(json!({ "subject": "Firmware upgrade fails", "description": "the upgrade to 17.3 stops at 80%", "priority": "P2", "site_name": "Osaka" }))
        .await;
    let c = agent
        .create_case(json!({ "subject": "ライセンス認証について", "priority": "P3", "request_type": "licence", "site_name": "Nagoya" }))
        .await;
    let d = agent
        .create_case(json!({ "subject": "Cosmetic typo in the GUI", "priority": "P4", "site_name": "Sapporo" }))
        .await;
    let e = agent
        .create_case(json!({ "subject": "Backup job keeps failing", "priority": "P2", "owner": "tanaka", "site_name": "Fukuoka" }))
        .await;
    let f = agent
        .create_case(json!({ "subject": "Fan noise", "priority": "P3", "site_name": "Sendai" }))
        .await;
    let numbers: Vec<String> = [a, b, c, d, e, f].iter().map(number).collect();
    // b is being worked; f has the word 電源 only in a note.
    let r = agent
        .patch_case(&numbers[1], &json!({ "status": "open" }))
        .await;
    r.expect(200);
    agent
        .note(&numbers[5], "電源ケーブルを交換してください", "internal")
        .await;
    numbers
}

#[tokio::test]
async fn list_filters_sort_and_cursor_pages() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let other = server.login("agent", "yamada");
    let ns = seed_queue(&agent).await;
    let [a, b, c, d, e, f] = [&ns[0], &ns[1], &ns[2], &ns[3], &ns[4], &ns[5]].map(|s| s.as_str());

    let all = list(&agent, "").await;
    assert_eq!(all["total"], 6);
    assert!(all["next_cursor"].is_null());
    assert_eq!(all["items"].as_array().unwrap().len(), 6);

    // Filters.
    assert_eq!(list_set(&agent, "priority=P2").await, set(&[b, e]));
    assert_eq!(list_set(&agent, "priority=P1,P4").await, set(&[a, d]));
    assert_eq!(
        list_set(&agent, "priority=P1&priority=P4").await,
        set(&[a, d])
    );
    assert_eq!(list_set(&agent, "status=open").await, set(&[b]));
    assert_eq!(list_set(&agent, "status=new").await, set(&[a, c, d, e, f]));
    assert_eq!(list_set(&agent, "open=true").await.len(), 6);
    assert_eq!(list_set(&agent, "mine=true").await, set(&[a, e]));
    assert_eq!(list_set(&other, "mine=true").await, set(&[]));
    assert_eq!(list_set(&other, "owner=tanaka").await, set(&[a, e]));
    assert_eq!(list_set(&agent, "owner=").await, set(&[b, c, d, f]));
    assert_eq!(list_set(&agent, "request_type=licence").await, set(&[c]));
    assert_eq!(list_set(&agent, "site=osaka").await, set(&[b]));
    assert_eq!(
        list_set(&agent, "status=new&priority=P2&mine=true").await,
        set(&[e])
    );
    // Keywords: a two-character Japanese word (also in a note), English words, and both.
    assert_eq!(
        list_set(&agent, &format!("q={}", enc("電源"))).await,
        set(&[a, f])
    );
    assert_eq!(list_set(&agent, "q=firmware").await, set(&[b]));
    assert_eq!(list_set(&agent, "q=upgrade").await, set(&[b]));
    assert_eq!(
        list_set(&agent, &format!("q={}", enc("ライセンス"))).await,
        set(&[c])
    );
    assert_eq!(
        list_set(&agent, &format!("q={}", enc("電源 power"))).await,
        set(&[a])
    );
    assert_eq!(list_set(&agent, "q=nothing-like-this").await, set(&[]));
    let filtered = list(&agent, "q=failing").await;
    assert_eq!(filtered["total"], 1);

    // Sort both ways.
    let mut sorted = ns.clone();
    sorted.sort();
    assert_eq!(numbers(&list(&agent, "sort=number").await), sorted);
    let mut reversed = sorted.clone();
    reversed.reverse();
    assert_eq!(numbers(&list(&agent, "sort=number:desc").await), reversed);
    let by_priority: Vec<String> = list(&agent, "sort=priority").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["priority"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(by_priority, ["P1", "P2", "P2", "P3", "P3", "P4"]);
    let by_priority_desc: Vec<String> = list(&agent, "sort=priority:desc").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["priority"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(by_priority_desc, ["P4", "P3", "P3", "P2", "P2", "P1"]);
    let by_site: Vec<String> = list(&agent, "sort=site:desc").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["site_name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        by_site,
        ["Tokyo", "Sendai", "Sapporo", "Osaka", "Nagoya", "Fukuoka"]
    );
    let created: Vec<String> = numbers(&list(&agent, "sort=created").await);
    assert_eq!(created, ns, "creation order");
    for column in [
        "next_due", "status", "contact", "updated", "platform", "owner", "subject", "tier",
    ] {
        for dir in ["", ":asc", ":desc"] {
            let page = list(&agent, &format!("sort={column}{dir}")).await;
            assert_eq!(page["total"], 6, "sort={column}{dir}");
            let got: BTreeSet<String> = numbers(&page).into_iter().collect();
            assert_eq!(got.len(), 6, "sort={column}{dir}");
        }
    }
    // Unassigned cases sort last whichever way the owner column is sorted.
    let asc = numbers(&list(&agent, "sort=owner").await);
    let desc = numbers(&list(&agent, "sort=owner:desc").await);
    assert_eq!(
        &asc[..2].iter().cloned().collect::<BTreeSet<_>>(),
        &set(&[a, e])
    );
    assert_eq!(
        &desc[..2].iter().cloned().collect::<BTreeSet<_>>(),
        &set(&[a, e])
    );

    // Cursor pages of two: every case exactly once, in the same order as one big page.
    for query in [
        "sort=number",
        "sort=number:desc",
        "sort=priority",
        "sort=next_due",
    ] {
        let whole = numbers(&list(&agent, query).await);
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let q = match &cursor {
                Some(c) => format!("{query}&limit=2&cursor={}", enc(c)),
                None => format!("{query}&limit=2"),
            };
            let page = list(&agent, &q).await;
            assert_eq!(page["total"], 6, "{q}");
            let items = numbers(&page);
            assert!(items.len() <= 2, "{q}");
            seen.extend(items);
            pages += 1;
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
            assert!(pages < 10, "cursor paging does not end");
        }
        assert_eq!(pages, 3, "{query}");
        assert_eq!(seen, whole, "{query}: pages join to the whole list");
    }
    // Filters hold across pages.
    let first = list(&agent, "status=new&limit=2&sort=number").await;
    assert_eq!(first["total"], 5);
    let next = first["next_cursor"].as_str().unwrap().to_string();
    let second = list(
        &agent,
        &format!("status=new&limit=2&sort=number&cursor={}", enc(&next)),
    )
    .await;
    assert!(numbers(&second).iter().all(|n| n != b));
}

/// A queue whose cases differ in every sort column: owners and none, letter case in the text
/// columns, tiers with and without targets, cases paused, resolved and breached.
async fn seed_sortable(agent: &Api, lead: &Api) -> Vec<String> {
    let fields = [
        json!({ "subject": "alpha power failure", "priority": "P1", "tier": "premium", "channel": "phone", "owner": "tanaka", "contact_name": "suzuki", "platform": "MX480", "site_name": "Tokyo" }),
        json!({ "subject": "Bravo firmware", "priority": "P2", "tier": "standard", "channel": "web", "owner": "yamada", "contact_name": "Abe", "platform": "ex4300", "site_name": "osaka" }),
        json!({ "subject": "charlie licence", "priority": "P3", "tier": "self_service", "channel": "web", "contact_name": "ito", "platform": "SRX300", "site_name": "Nagoya" }),
        json!({ "subject": "Delta typo", "priority": "P4", "tier": "tac-care", "channel": "web", "contact_name": "Kato", "platform": "mx204", "site_name": "sapporo" }),
        json!({ "subject": "echo backup", "priority": "P2", "tier": "premium", "channel": "web", "owner": "tanaka", "contact_name": "Abe", "platform": "EX4300", "site_name": "Fukuoka" }),
        json!({ "subject": "Foxtrot fan", "priority": "P1", "tier": "tac-premium", "channel": "phone", "contact_name": "ueda", "platform": "qfx5120", "site_name": "Sendai" }),
        json!({ "subject": "golf paused", "priority": "P3", "tier": "standard", "channel": "phone", "owner": "yamada", "contact_name": "Mori", "platform": "MX480", "site_name": "Kobe" }),
        // Ties with the ones above in every text column (ignoring case), and with each other
        // on the deadline: the same target from the same closed Saturday.
        json!({ "subject": "GOLF PAUSED", "priority": "P3", "tier": "standard", "channel": "web", "owner": "tanaka", "contact_name": "mori", "platform": "mx480", "site_name": "KOBE" }),
        json!({ "subject": "hotel optics", "priority": "P3", "tier": "standard", "channel": "web", "contact_name": "Ito", "platform": "srx300", "site_name": "nagoya" }),
    ];
    let mut numbers = Vec::new();
    for f in fields {
        numbers.push(number(&lead.create_case(f).await));
    }
    // Statuses: one being worked, one resolved (no deadline), one waiting on the customer
    // (paused); a note makes one the most recently updated.
    for (i, statuses) in [
        (1, &["open"][..]),
        (3, &["open", "resolved"][..]),
        (6, &["open", "waiting_on_customer"][..]),
    ] {
        for status in statuses {
            let r = lead
                .patch_case(&numbers[i], &json!({ "status": status }))
                .await;
            r.expect(200);
        }
    }
    agent.note(&numbers[2], "investigating", "internal").await;
    numbers
}

/// The order SPEC §4's list gives, worked out here from the fields each case carries: cases
/// without a value last in both directions, the deadline columns then by priority and age, the
/// case number breaking ties in the sort's direction.
fn spec_order(column: &str, desc: bool, a: &Value, b: &Value) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let text = |c: &Value, k: &str| c[k].as_str().map(|s| s.to_ascii_lowercase());
    let time = |c: &Value, k: &str| {
        c[k].as_str()
            .map(|s| s.parse::<DateTime<Utc>>().expect("a timestamp"))
    };
    let open = |c: &Value| !matches!(c["status"].as_str(), Some("resolved" | "closed"));
    let status_rank = |c: &Value| {
        [
            "new",
            "open",
            "waiting_on_customer",
            "waiting_on_engineering",
            "resolved",
            "closed",
        ]
        .iter()
        .position(|s| c["status"] == *s)
        .expect("a known status")
    };
    let group = |c: &Value| -> u8 {
        match column {
            "next_due" | "breaching" => match (time(c, "next_due"), open(c)) {
                (Some(_), _) if column == "breaching" && c["breached"] == true => 1,
                (Some(_), _) => 0,
                (None, true) => 2,
                (None, false) => 3,
            },
            "owner" => u8::from(c["owner"].is_null()),
            _ => 0,
        }
    };
    let value = |a: &Value, b: &Value| -> Ordering {
        match column {
            "next_due" | "breaching" => time(a, "next_due").cmp(&time(b, "next_due")),
            "number" => Ordering::Equal,
            "status" => status_rank(a).cmp(&status_rank(b)),
            "priority" => text(a, "priority").cmp(&text(b, "priority")),
            "site" => text(a, "site_name").cmp(&text(b, "site_name")),
            "contact" => text(a, "contact_name").cmp(&text(b, "contact_name")),
            "updated" => time(a, "updated_at").cmp(&time(b, "updated_at")),
            "created" => time(a, "created_at").cmp(&time(b, "created_at")),
            "platform" => text(a, "platform").cmp(&text(b, "platform")),
            "owner" => text(a, "owner").cmp(&text(b, "owner")),
            "subject" => text(a, "subject").cmp(&text(b, "subject")),
            "tier" => a["tier"].as_str().cmp(&b["tier"].as_str()),
            other => panic!("no such column {other}"),
        }
    };
    let flip = |o: Ordering| if desc { o.reverse() } else { o };
    let then_priority_and_age = || {
        if matches!(column, "next_due" | "breaching") {
            (text(a, "priority"), time(a, "created_at"))
                .cmp(&(text(b, "priority"), time(b, "created_at")))
        } else {
            Ordering::Equal
        }
    };
    group(a)
        .cmp(&group(b))
        .then_with(|| flip(value(a, b)))
        .then_with(then_priority_and_age)
        .then_with(|| flip(number(a).cmp(&number(b))))
}

/// A Saturday (closed in the business calendars), so cases on a business-time target share
/// their deadline; three hours later the 1-hour 24x7 first responses have breached.
const SORT_T0: &str = "2026-02-28T01:00:00Z";
const SORT_LATER: &str = "2026-02-28T04:00:00Z";

#[tokio::test]
async fn every_sort_column_orders_both_ways_as_the_fields_say_and_as_the_cache_does() {
    let mut server = Server::start_with_env(&[], &[("CASEDESK_TEST_NOW", SORT_T0)]);
    let (agent_token, lead_token) = (
        server.token("agent", "tanaka"),
        server.token("lead", "yamada"),
    );
    let ns = seed_sortable(&server.client(&agent_token), &server.client(&lead_token)).await;
    // Later, after a restart: the job run at start marks the missed first responses breached.
    let status = server.stop();
    assert!(
        status.success(),
        "clean stop: {status}; log:\n{}",
        server.log()
    );
    server.set_env("CASEDESK_TEST_NOW", SORT_LATER);
    server.start_again();
    let agent = server.client(&agent_token);

    // Every group and every tie the order must settle is on this desk. The job that marks
    // the missed first responses runs beside the first requests: wait for its marks.
    let breached_with_deadline = |all: &[Value]| {
        all.iter()
            .filter(|c| !c["next_due"].is_null() && c["breached"] == true)
            .count()
    };
    let mut all = Vec::new();
    for _ in 0..100 {
        all = list(&agent, "sort=number&limit=500").await["items"]
            .as_array()
            .expect("items")
            .clone();
        if breached_with_deadline(&all) >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(all.len(), ns.len(), "every case");
    let with_deadline = |breached: bool| {
        all.iter()
            .filter(|c| !c["next_due"].is_null() && c["breached"] == breached)
            .count()
    };
    assert!(
        with_deadline(true) >= 2,
        "breached cases with a deadline: {all:#?}"
    );
    assert!(with_deadline(false) >= 2, "counting cases: {all:#?}");
    for field in [
        "next_due",
        "site_name",
        "contact_name",
        "platform",
        "owner",
        "subject",
        "tier",
        "priority",
        "status",
    ] {
        let key = |c: &Value| c[field].as_str().map(str::to_ascii_lowercase);
        let tied = all
            .iter()
            .enumerate()
            .any(|(i, a)| key(a).is_some() && all[i + 1..].iter().any(|b| key(a) == key(b)));
        assert!(tied, "two cases tie on {field}: {all:#?}");
    }

    // Every column the API names (SPEC §4), both ways.
    let names: BTreeSet<&str> = casedesk::api::SortColumn::NAMES
        .split(", ")
        .flat_map(|n| n.split(" or "))
        .collect();
    let mut columns_seen = BTreeSet::new();
    for column in casedesk::api::SortColumn::ALL {
        let name = column.as_str();
        columns_seen.insert(name);
        for desc in [false, true] {
            let query = format!("sort={name}:{}", if desc { "desc" } else { "asc" });
            let page = list(&agent, &format!("{query}&limit=500")).await;
            let items = page["items"].as_array().expect("items").clone();
            assert_eq!(items.len(), ns.len(), "{query}: every case");
            let mut want = items.clone();
            want.reverse();
            want.sort_by(|a, b| spec_order(name, desc, a, b));
            let got: Vec<String> = items.iter().map(number).collect();
            let want: Vec<String> = want.iter().map(number).collect();
            assert_eq!(got, want, "{query}");

            // The cache sorts its copy with `Sort::compare`: the same order as the server's.
            let mut cached: Vec<casedesk::api::CaseSummary> = items
                .iter()
                .rev()
                .map(|c| serde_json::from_value(c.clone()).expect("a case summary"))
                .collect();
            let sort = casedesk::api::Sort { column, desc };
            cached.sort_by(|a, b| sort.compare(a, b));
            let cached: Vec<String> = cached.iter().map(|c| c.number.to_string()).collect();
            assert_eq!(cached, got, "{query}: the cache's order");
        }
    }
    assert_eq!(columns_seen, names, "every column of SPEC §4");
    assert_eq!(columns_seen.len(), 13);
}

#[tokio::test]
async fn list_etag_and_if_none_match() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    agent.create_case(json!({})).await;
    let first = agent.get("/v1/cases?sort=number").await;
    first.expect(200);
    let etag = first.header("etag").expect("ETag on a list").to_string();
    let again = agent
        .get_with("/v1/cases?sort=number", &[("If-None-Match", &etag)])
        .await;
    assert_eq!(again.status.as_u16(), 304);
    assert!(again.body.is_empty());
    // Another query has another tag.
    let other = agent
        .get_with("/v1/cases?sort=number:desc", &[("If-None-Match", &etag)])
        .await;
    other.expect(200);
    // A write makes the old tag stale.
    agent.create_case(json!({ "subject": "another" })).await;
    let after = agent
        .get_with("/v1/cases?sort=number", &[("If-None-Match", &etag)])
        .await;
    assert_eq!(after.expect(200)["total"], 2);
    // `mine` pages are per person.
    let yamada = server.login("agent", "yamada");
    let mine = agent.get("/v1/cases?mine=true").await;
    let mine_tag = mine.header("etag").unwrap().to_string();
    let theirs = yamada
        .get_with("/v1/cases?mine=true", &[("If-None-Match", &mine_tag)])
        .await;
    assert_eq!(
        theirs.status.as_u16(),
        200,
        "another person's `mine` is another page"
    );
    // Every other read carries an ETag too.
    for path in [
        "/v1/stats",
        "/v1/policies",
        "/v1/calendars",
        "/v1/rmas",
        "/v1/escalations",
        "/v1/changes?since=0",
    ] {
        let r = agent.get(path).await;
        r.expect(200);
        let tag = r
            .header("etag")
            .unwrap_or_else(|| panic!("ETag on {path}"))
            .to_string();
        if path != "/v1/stats" {
            let again = agent.get_with(path, &[("If-None-Match", &tag)]).await;
            assert_eq!(again.status.as_u16(), 304, "{path}");
        }
    }
}

#[tokio::test]
async fn patch_needs_if_match_and_follows_the_workflow() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let case = agent.create_case(json!({ "priority": "P3" })).await;
    let n = number(&case);
    let path = format!("/v1/cases/{n}");

    // No If-Match → 428.
    agent
        .patch(&path, None, &json!({ "status": "open" }))
        .await
        .problem(428, Some("If-Match"));
    // A stale version → 412.
    agent
        .patch(&path, Some("\"v7\""), &json!({ "status": "open" }))
        .await
        .problem(412, Some("If-Match"));
    // Forbidden transition → 409 naming the allowed statuses.
    let p = agent
        .patch(&path, Some("\"v1\""), &json!({ "status": "resolved" }))
        .await
        .problem(409, Some("status"));
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains("open"), "names the allowed move: {detail}");
    // Priority change without a reason → 422.
    agent
        .patch(&path, Some("\"v1\""), &json!({ "priority": "P1" }))
        .await
        .problem(422, Some("reason"));
    agent
        .patch(
            &path,
            Some("\"v1\""),
            &json!({ "priority": "P1", "reason": "   " }),
        )
        .await
        .problem(422, Some("reason"));
    // Nothing above changed the case.
    assert_eq!(agent.case(&n).await["version"], 1);

    // The ETag of a GET works as If-Match.
    let got = agent.get(&path).await;
    let etag = got.header("etag").unwrap().to_string();
    let r = agent
        .patch(
            &path,
            Some(&etag),
            &json!({ "priority": "P1", "reason": "production down after the call with the customer" }),
        )
        .await;
    let patched = r.expect(200);
    assert_eq!(patched["priority"], "P1");
    assert_eq!(patched["version"], 2);
    let new_tag = r.header("etag").expect("ETag on a PATCH answer");
    assert!(new_tag.contains("v2"), "{new_tag}");
    let history = patched["history"].as_array().unwrap();
    let entry = history
        .iter()
        .find(|h| {
            h["summary"]
                .as_str()
                .unwrap_or_default()
                .contains("P3 → P1")
        })
        .unwrap_or_else(|| panic!("priority change in the history: {history:?}"));
    assert_eq!(entry["actor"], "tanaka");
    assert_eq!(
        entry["reason"],
        "production down after the call with the customer"
    );
    // The old ETag is stale now.
    agent
        .patch(&path, Some(&etag), &json!({ "subject": "x" }))
        .await
        .problem(412, Some("If-Match"));

    // Through the workflow: new → open → waiting_on_customer → open → resolved → closed → open.
    for status in ["open", "waiting_on_customer", "open", "resolved"] {
        let r = agent.patch_case(&n, &json!({ "status": status })).await;
        assert_eq!(r.expect(200)["status"], status);
    }
    let waiting = agent
        .patch_case(&n, &json!({ "status": "waiting_on_customer" }))
        .await;
    let p = waiting.problem(409, Some("status"));
    assert!(
        p["detail"].as_str().unwrap().contains("closed"),
        "from resolved: closed or open: {p}"
    );
    // Closing needs a reason.
    let p = agent
        .patch_case(&n, &json!({ "status": "closed" }))
        .await
        .problem(409, Some("status"));
    assert!(
        p["detail"].as_str().unwrap().contains("confirmed_resolved"),
        "lists the close reasons: {p}"
    );
    let closed = agent
        .patch_case(
            &n,
            &json!({ "status": "closed", "close_reason": "confirmed_resolved" }),
        )
        .await
        .expect(200);
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["close_reason"], "confirmed_resolved");
    assert!(closed["next_due"].is_null(), "closed stops all clocks");
    let reopened = agent
        .patch_case(&n, &json!({ "status": "open" }))
        .await
        .expect(200);
    assert_eq!(reopened["status"], "open");
    assert!(reopened["close_reason"].is_null());

    // Ownership: take it, subject and problem reports.
    let r = agent
        .patch_case(
            &n,
            &json!({ "owner": "tanaka", "subject": "新しい件名", "add_problem_reports": ["CSCab12345"] }),
        )
        .await
        .expect(200);
    assert_eq!(r["owner"], "tanaka");
    assert_eq!(r["subject"], "新しい件名");
    assert_eq!(r["problem_reports"], json!(["CSCab12345"]));
    // The temporary P1 → P2 downgrade needs an hour of failed contact first.
    assert_eq!(r["priority"], "P1");
    let p = agent
        .patch_case(
            &n,
            &json!({ "priority": "P2", "temporary": true, "reason": "customer unreachable" }),
        )
        .await
        .problem(409, Some("temporary"));
    assert!(
        p["detail"].as_str().unwrap().contains("contact_failed"),
        "{p}"
    );
    let r = agent
        .patch_case(&n, &json!({ "owner": "tanaka" }))
        .await
        .expect(200);
    // A PATCH that changes nothing keeps the version.
    let v = r["version"].clone();
    let same = agent
        .patch_case(&n, &json!({ "owner": "tanaka" }))
        .await
        .expect(200);
    assert_eq!(same["version"], v);
}

#[tokio::test]
async fn notes_meet_first_response_and_have_limits() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let case = agent
        .create_case(json!({ "priority": "P2", "tier": "tac-care" }))
        .await;
    let n = number(&case);
    let notes = format!("/v1/cases/{n}/notes");

    // An internal note is not a response.
    let internal = agent.note(&n, "社内メモ: ログを確認", "internal").await;
    assert_eq!(internal["visibility"], "internal");
    assert_eq!(internal["author"], "tanaka");
    assert_eq!(internal["party"], "support");
    assert_eq!(internal["kind"], "note");
    assert!(internal["id"].is_i64());
    let case = agent.case(&n).await;
    assert_eq!(clock(&case, "first_response")["state"], "running");

    // A public note by support meets first response.
    let public = agent
        .note(
            &n,
            "お問い合わせありがとうございます。ログを送付してください。",
            "public",
        )
        .await;
    assert_eq!(public["visibility"], "public");
    let case = agent.case(&n).await;
    let first = clock(&case, "first_response");
    assert_eq!(first["state"], "met", "{first}");
    let met_at = time(&first["met_at"]);
    assert_eq!(case["notes"].as_array().unwrap().len(), 2);
    assert_eq!(case["notes"][1]["body"], public["body"]);
    assert_eq!(
        case["status"], "open",
        "the first response opens a new case"
    );
    assert_eq!(met_at, time(&case["notes"][1]["created_at"]));
    // The update clock (TAC Care: every business day) now runs.
    assert_eq!(clock(&case, "update")["state"], "running");

    // A customer's reply is recorded under the contact's name.
    let v = agent.version(&n).await;
    let reply = agent
        .post_with(
            &notes,
            &json!({ "body": "ログを添付しました", "visibility": "public", "from_customer": true }),
            &[("If-Match", &v)],
        )
        .await
        .expect(201);
    assert_eq!(reply["party"], "customer");
    // A logged call is public whatever was asked.
    let v = agent.version(&n).await;
    let call = agent
        .post_with(
            &notes,
            &json!({ "body": "Called the customer", "visibility": "internal", "kind": "call" }),
            &[("If-Match", &v)],
        )
        .await
        .expect(201);
    assert_eq!(call["kind"], "call");
    assert_eq!(call["visibility"], "public");

    // Exactly 64 KiB is accepted; one byte more is refused with 422.
    let v = agent.version(&n).await;
    let max = "a".repeat(64 * 1024);
    agent
        .post_with(
            &notes,
            &json!({ "body": max, "visibility": "internal" }),
            &[("If-Match", &v)],
        )
        .await
        .expect(201);
    let v = agent.version(&n).await;
    let over = "a".repeat(64 * 1024 + 1);
    let p = agent
        .post_with(
            &notes,
            &json!({ "body": over, "visibility": "internal" }),
            &[("If-Match", &v)],
        )
        .await
        .problem(422, Some("body"));
    assert!(p["detail"].as_str().unwrap().contains("64 KiB"), "{p}");
    // Bytes, not characters: 22,000 three-byte characters are over the limit.
    let japanese = "電".repeat(22_000);
    agent
        .post_with(
            &notes,
            &json!({ "body": japanese, "visibility": "internal" }),
            &[("If-Match", &v)],
        )
        .await
        .problem(422, Some("body"));
    // An empty note.
    agent
        .post_with(
            &notes,
            &json!({ "body": "  \n ", "visibility": "internal" }),
            &[("If-Match", &v)],
        )
        .await
        .problem(422, Some("body"));
    // A body over 1 MiB → 413.
    let huge = "a".repeat(1024 * 1024 + 10);
    let p = agent
        .post_with(
            &notes,
            &json!({ "body": huge, "visibility": "internal" }),
            &[("If-Match", &v)],
        )
        .await
        .problem(413, None);
    assert!(p["detail"].as_str().unwrap().contains("1 MiB"), "{p}");
    // Without If-Match → 428; stale → 412; unknown case → 404.
    agent
        .post(&notes, &json!({ "body": "x", "visibility": "public" }))
        .await
        .problem(428, Some("If-Match"));
    agent
        .post_with(
            &notes,
            &json!({ "body": "x", "visibility": "public" }),
            &[("If-Match", "\"v1\"")],
        )
        .await
        .problem(412, Some("If-Match"));
    agent
        .post_with(
            "/v1/cases/2001-0101-000009/notes",
            &json!({ "body": "x", "visibility": "public" }),
            &[("If-Match", "\"v1\"")],
        )
        .await
        .problem(404, None);
    // Nothing refused was stored.
    assert_eq!(agent.case(&n).await["notes"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn escalations_requested_handled_by_leads_and_listed() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let lead = server.login("lead", "suzuki");
    let case = agent.create_case(json!({ "priority": "P1" })).await;
    let n = number(&case);
    let path = format!("/v1/cases/{n}/escalations");

    // engineer_now needs the contact method.
    let v = agent.version(&n).await;
    agent
        .post_with(
            &path,
            &json!({ "kind": "engineer_now", "reason": "the customer needs a call" }),
            &[("If-Match", &v)],
        )
        .await
        .problem(422, Some("contact_method"));
    agent
        .post_with(
            &path,
            &json!({ "kind": "faster_progress", "reason": "  " }),
            &[("If-Match", &v)],
        )
        .await
        .problem(422, Some("reason"));
    agent
        .post(
            &path,
            &json!({ "kind": "faster_progress", "reason": "slow" }),
        )
        .await
        .problem(428, Some("If-Match"));

    let e1 = agent
        .post_with(
            &path,
            &json!({ "kind": "engineer_now", "reason": "本番停止中、すぐに電話がほしい", "contact_method": "phone" }),
            &[("If-Match", &v)],
        )
        .await
        .expect(201);
    assert_eq!(e1["state"], "requested");
    assert_eq!(e1["kind"], "engineer_now");
    assert_eq!(e1["contact_method"], "phone");
    assert_eq!(e1["requested_by"], "tanaka");
    assert_eq!(e1["case_number"], n.as_str());
    let id1 = e1["id"].as_i64().unwrap();
    let v = agent.version(&n).await;
    let e2 = agent
        .post_with(
            &path,
            &json!({ "kind": "reassignment", "reason": "needs a routing expert" }),
            &[("If-Match", &v)],
        )
        .await
        .expect(201);
    let id2 = e2["id"].as_i64().unwrap();
    let case = agent.case(&n).await;
    assert_eq!(case["open_escalations"], 2);
    assert_eq!(case["escalations"].as_array().unwrap().len(), 2);

    // The queue: oldest first.
    let queue = agent.get("/v1/escalations").await.expect(200);
    let ids: Vec<i64> = queue
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [id1, id2]);

    // Agents cannot handle escalations.
    agent
        .patch(
            &format!("/v1/escalations/{id1}"),
            None,
            &json!({ "state": "acknowledged" }),
        )
        .await
        .problem(403, None);
    agent
        .patch(
            &format!("/v1/escalations/{id2}"),
            None,
            &json!({ "state": "declined", "resolution": "no" }),
        )
        .await
        .problem(403, None);
    // Resolving needs an acknowledgement first.
    let p = lead
        .patch(
            &format!("/v1/escalations/{id1}"),
            None,
            &json!({ "state": "resolved" }),
        )
        .await
        .problem(409, Some("state"));
    assert!(
        p["detail"].as_str().unwrap().contains("acknowledged"),
        "{p}"
    );
    // The lead acknowledges, then resolves.
    let ack = lead
        .patch(
            &format!("/v1/escalations/{id1}"),
            None,
            &json!({ "state": "acknowledged" }),
        )
        .await
        .expect(200);
    assert_eq!(ack["state"], "acknowledged");
    assert_eq!(ack["acknowledged_by"], "suzuki");
    assert!(ack["acknowledged_at"].is_string());
    let done = lead
        .patch(
            &format!("/v1/escalations/{id1}"),
            None,
            &json!({ "state": "resolved", "resolution": "called the customer at 03:10" }),
        )
        .await
        .expect(200);
    assert_eq!(done["state"], "resolved");
    assert_eq!(done["closed_by"], "suzuki");
    assert_eq!(done["resolution"], "called the customer at 03:10");
    // Finished is final.
    lead.patch(
        &format!("/v1/escalations/{id1}"),
        None,
        &json!({ "state": "acknowledged" }),
    )
    .await
    .problem(409, Some("state"));
    // Declining needs a reason.
    lead.patch(
        &format!("/v1/escalations/{id2}"),
        None,
        &json!({ "state": "declined" }),
    )
    .await
    .problem(422, Some("resolution"));
    let declined = lead
        .patch(
            &format!("/v1/escalations/{id2}"),
            None,
            &json!({ "state": "declined", "resolution": "the owner is the right person" }),
        )
        .await
        .expect(200);
    assert_eq!(declined["state"], "declined");
    // Unknown escalation.
    lead.patch(
        "/v1/escalations/999999",
        None,
        &json!({ "state": "acknowledged" }),
    )
    .await
    .problem(404, None);

    // Lists by state.
    let open = lead.get("/v1/escalations").await.expect(200);
    assert!(open.as_array().unwrap().is_empty(), "{open}");
    let resolved = lead.get("/v1/escalations?state=resolved").await.expect(200);
    assert_eq!(resolved.as_array().unwrap().len(), 1);
    assert_eq!(resolved[0]["id"], id1);
    let finished = lead
        .get("/v1/escalations?state=resolved,declined")
        .await
        .expect(200);
    assert_eq!(finished.as_array().unwrap().len(), 2);
    let case = agent.case(&n).await;
    assert_eq!(case["open_escalations"], 0);
    let history: Vec<String> = case["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["summary"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        history.iter().any(|h| h.contains("escalation requested")),
        "{history:?}"
    );
    assert!(
        history.iter().any(|h| h.contains("escalation resolved")),
        "{history:?}"
    );
    assert!(
        history.iter().any(|h| h.contains("escalation declined")),
        "{history:?}"
    );
}

#[tokio::test]
async fn rmas_created_listed_and_moved_forward_only() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let viewer = server.login("viewer", "wallboard");
    let case = agent
        .create_case(
            json!({ "subject": "PSU dead", "serial_number": "FOC1111A0AA", "account": "ACME" }),
        )
        .await;
    let n = number(&case);
    let path = format!("/v1/cases/{n}/rmas");

    let v = agent.version(&n).await;
    agent
        .post_with(&path, &json!({ "part_number": " " }), &[("If-Match", &v)])
        .await
        .problem(422, Some("part_number"));
    agent
        .post(&path, &json!({ "part_number": "PWR-C1-350WAC" }))
        .await
        .problem(428, Some("If-Match"));
    let r1 = agent
        .post_with(
            &path,
            &json!({ "part_number": "PWR-C1-350WAC", "analysis": "failure_analysis" }),
            &[("If-Match", &v)],
        )
        .await
        .expect(201);
    let rma1 = r1["number"].as_str().unwrap().to_string();
    assert!(
        rma1.len() == 9 && rma1.starts_with('R') && rma1[1..].chars().all(|c| c.is_ascii_digit()),
        "RMA number R + 8 digits: {rma1}"
    );
    assert_eq!(r1["status"], "issued");
    assert_eq!(
        r1["serial_number"], "FOC1111A0AA",
        "the case's serial by default"
    );
    assert_eq!(r1["account"], "ACME");
    assert_eq!(r1["case_number"], n.as_str());
    assert_eq!(r1["analysis"], "failure_analysis");
    assert_eq!(r1["overdue"], false);
    let created = time(&r1["created_at"]);
    let due = time(&r1["return_due"]);
    assert!(
        due - created >= chrono::Duration::days(10) && due - created <= chrono::Duration::days(30),
        "10 business days after issue: {created} → {due}"
    );
    // Requested only: no return clock yet.
    let v = agent.version(&n).await;
    let r2 = agent
        .post_with(
            &path,
            &json!({ "part_number": "C9300-48P", "serial_number": "FOC2222B0BB", "issue": false }),
            &[("If-Match", &v)],
        )
        .await
        .expect(201);
    let rma2 = r2["number"].as_str().unwrap().to_string();
    assert_eq!(r2["status"], "requested");
    assert!(r2["return_due"].is_null());
    assert_eq!(r2["serial_number"], "FOC2222B0BB");
    assert!(rma2 > rma1, "numbers increase");
    // A case without a serial needs one given.
    let bare = agent.create_case(json!({ "subject": "no serial" })).await;
    let bn = number(&bare);
    agent
        .post_with(
            &format!("/v1/cases/{bn}/rmas"),
            &json!({ "part_number": "X" }),
            &[("If-Match", &if_match(&bare))],
        )
        .await
        .problem(422, Some("serial_number"));
    let r3 = agent
        .create_rma(
            &bn,
            json!({ "part_number": "FAN-T1", "serial_number": "SAL3333C0CC" }),
        )
        .await;
    let rma3 = r3["number"].as_str().unwrap().to_string();

    // The list, sorted both ways.
    let all = agent.get("/v1/rmas").await.expect(200);
    let got: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_str().unwrap())
        .collect();
    assert_eq!(
        got,
        [rma1.as_str(), rma2.as_str(), rma3.as_str()],
        "oldest first"
    );
    let desc = agent.get("/v1/rmas?sort=number:desc").await.expect(200);
    let got: Vec<&str> = desc
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_str().unwrap())
        .collect();
    assert_eq!(got, [rma3.as_str(), rma2.as_str(), rma1.as_str()]);
    let by_serial = agent.get("/v1/rmas?sort=serial_number").await.expect(200);
    let serials: Vec<&str> = by_serial
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["serial_number"].as_str().unwrap())
        .collect();
    assert_eq!(serials, ["FOC1111A0AA", "FOC2222B0BB", "SAL3333C0CC"]);
    let of_case = agent
        .get(&format!("/v1/rmas?case_number={}", n.replace('-', "")))
        .await
        .expect(200);
    assert_eq!(of_case.as_array().unwrap().len(), 2);
    let requested = agent.get("/v1/rmas?status=requested").await.expect(200);
    assert_eq!(requested.as_array().unwrap().len(), 1);
    let overdue = agent.get("/v1/rmas?overdue=true").await.expect(200);
    assert!(overdue.as_array().unwrap().is_empty());
    // The case lists its RMAs.
    assert_eq!(agent.case(&n).await["rmas"].as_array().unwrap().len(), 2);

    // Forward moves.
    let rpath = format!("/v1/rmas/{rma1}");
    viewer
        .patch(&rpath, None, &json!({ "status": "replacement_shipped" }))
        .await
        .problem(403, None);
    for status in ["replacement_shipped", "defective_received"] {
        let r = agent
            .patch(&rpath, None, &json!({ "status": status }))
            .await
            .expect(200);
        assert_eq!(r["status"], status);
    }
    // Backwards → 409 naming what is allowed.
    let p = agent
        .patch(&rpath, None, &json!({ "status": "issued" }))
        .await
        .problem(409, Some("status"));
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("closed") && detail.contains("cancelled"),
        "{detail}"
    );
    agent
        .patch(&rpath, None, &json!({ "status": "closed" }))
        .await
        .expect(200);
    agent
        .patch(&rpath, None, &json!({ "status": "cancelled" }))
        .await
        .problem(409, Some("status"));
    // Issuing a requested RMA starts its return clock.
    let issued = agent
        .patch(
            &format!("/v1/rmas/{rma2}"),
            None,
            &json!({ "status": "issued" }),
        )
        .await
        .expect(200);
    assert!(issued["return_due"].is_string());
    assert!(issued["issued_at"].is_string());
    // An RMA that does not exist.
    agent
        .patch("/v1/rmas/R99999999", None, &json!({ "status": "closed" }))
        .await
        .problem(404, None);
    let case = agent.case(&n).await;
    let summaries: Vec<String> = case["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["summary"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        summaries
            .iter()
            .any(|s| s.contains(&rma1) && s.contains("defective_received → closed")),
        "{summaries:?}"
    );
}

#[tokio::test]
async fn search_by_number_rma_serial_and_words_and_entitlements() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let a = agent
        .create_case(json!({ "subject": "Optics flapping", "serial_number": "FDO1234Z0XY" }))
        .await;
    let b = agent
        .create_case(json!({ "subject": "バックアップが失敗する", "serial_number": "VBR-998877" }))
        .await;
    let (na, nb) = (number(&a), number(&b));
    let rma = agent
        .create_rma(&nb, json!({ "part_number": "DISK-4TB" }))
        .await;
    let rma_number = rma["number"].as_str().unwrap().to_string();

    let search = |q: String| {
        let agent = agent.clone();
        async move {
            agent
                .get(&format!("/v1/search?q={}", enc(&q)))
                .await
                .expect(200)
        }
    };
    let cases_of =
        |r: &Value| -> Vec<String> { r["cases"].as_array().unwrap().iter().map(number).collect() };

    // Case number with and without dashes.
    let r = search(nb.replace('-', "")).await;
    assert_eq!(cases_of(&r).first(), Some(&nb), "{r}");
    let r = search(na.clone()).await;
    assert_eq!(cases_of(&r).first(), Some(&na), "{r}");
    // RMA number: the RMA and its case.
    let r = search(rma_number.clone()).await;
    let rmas: Vec<&str> = r["rmas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["number"].as_str().unwrap())
        .collect();
    assert_eq!(rmas, [rma_number.as_str()]);
    assert_eq!(cases_of(&r), [nb.as_str()]);
    // Serial numbers, any case.
    assert_eq!(cases_of(&search("FDO1234Z0XY".into()).await), [na.as_str()]);
    assert_eq!(cases_of(&search("fdo1234z0xy".into()).await), [na.as_str()]);
    // Words, Japanese and English.
    assert_eq!(cases_of(&search("失敗".into()).await), [nb.as_str()]);
    assert_eq!(cases_of(&search("flapping".into()).await), [na.as_str()]);
    assert!(cases_of(&search("nothing-matches-this".into()).await).is_empty());
    // No query → 400.
    agent.get("/v1/search").await.problem(400, Some("q"));
    agent.get("/v1/search?q=%20").await.problem(400, Some("q"));

    // Entitlements: an unknown serial is a 404 problem.
    let p = agent
        .get("/v1/entitlements/NO-SUCH-SERIAL")
        .await
        .problem(404, None);
    assert!(
        p["detail"].as_str().unwrap().contains("NO-SUCH-SERIAL"),
        "{p}"
    );
    // The case says it has no known contract.
    assert!(agent.case(&na).await["entitlement"].is_null());
}

#[tokio::test]
async fn meta_endpoints_policies_calendars_stats_changes_health_openapi() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let lead = server.login("lead", "suzuki");
    // A colleague cases are reassigned to (an owner must be an active person).
    server.token("agent", "yamada");
    let anonymous = server.anonymous();

    // /healthz needs no token.
    let h = anonymous.get("/healthz").await.expect(200);
    assert_eq!(h["status"], "ok");
    assert_eq!(h["seq"], 0);
    assert_eq!(h["journal"], "wal");

    // The OpenAPI document.
    let doc = anonymous.get("/v1/openapi.json").await.expect(200);
    assert!(
        doc["openapi"].as_str().unwrap().starts_with('3'),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().expect("paths");
    // Every route of the server is documented.
    for (p, methods) in [
        ("/healthz", &["get"][..]),
        ("/v1/cases", &["get", "post"]),
        ("/v1/cases/{number}", &["get", "patch"]),
        ("/v1/cases/{number}/notes", &["post"]),
        ("/v1/cases/{number}/escalations", &["post"]),
        ("/v1/cases/{number}/rmas", &["post"]),
        ("/v1/escalations", &["get"]),
        ("/v1/escalations/{id}", &["patch"]),
        ("/v1/rmas", &["get"]),
        ("/v1/rmas/{number}", &["patch"]),
        ("/v1/search", &["get"]),
        ("/v1/entitlements/{serial}", &["get"]),
        ("/v1/policies", &["get"]),
        ("/v1/calendars", &["get"]),
        ("/v1/stats", &["get"]),
        ("/v1/changes", &["get"]),
        ("/v1/events", &["get"]),
        ("/v1/people", &["get"]),
        ("/v1/tokens", &["get", "post"]),
        ("/v1/tokens/{name}", &["delete"]),
    ] {
        assert!(paths.contains_key(p), "OpenAPI lists {p}");
        for m in methods {
            assert!(paths[p][m].is_object(), "OpenAPI documents {m} {p}");
        }
    }
    assert!(
        doc["components"]["securitySchemes"]["bearer"].is_object(),
        "bearer authentication is documented"
    );
    assert!(paths["/v1/cases"]["get"].is_object() && paths["/v1/cases"]["post"].is_object());

    // Policies and calendars.
    let policies = agent.get("/v1/policies").await.expect(200);
    let site = policies["site_calendar"]
        .as_str()
        .expect("site_calendar")
        .to_string();
    for tier in [
        "tac-care",
        "tac-advanced",
        "tac-premium",
        "standard",
        "premium",
    ] {
        assert!(
            policies["tiers"].get(tier).is_some(),
            "policies for {tier}: {policies}"
        );
    }
    let calendars = agent.get("/v1/calendars").await.expect(200);
    let calendars = calendars.as_array().expect("a list of calendars");
    let site_cal = calendars
        .iter()
        .find(|c| c["name"] == site.as_str())
        .unwrap_or_else(|| panic!("the site calendar {site} is listed"));
    assert_eq!(site_cal["zone"], "Asia/Tokyo");
    assert!(!site_cal["hours"].as_object().unwrap().is_empty());
    assert!(!site_cal["holiday"].as_array().unwrap().is_empty());

    // Stats are consistent with what we create.
    let mut ns = Vec::new();
    for (p, owner) in [
        ("P1", None),
        ("P2", Some("tanaka")),
        ("P2", None),
        ("P3", None),
        ("P4", Some("tanaka")),
    ] {
        let mut fields = json!({ "priority": p });
        if let Some(o) = owner {
            fields["owner"] = json!(o);
        }
        ns.push(number(&agent.create_case(fields).await));
    }
    agent
        .patch_case(&ns[0], &json!({ "status": "open" }))
        .await
        .expect(200);
    agent
        .patch_case(&ns[3], &json!({ "status": "open" }))
        .await
        .expect(200);
    agent
        .patch_case(&ns[3], &json!({ "status": "resolved" }))
        .await
        .expect(200);
    let v = agent.version(&ns[1]).await;
    agent
        .post_with(
            &format!("/v1/cases/{}/escalations", ns[1]),
            &json!({ "kind": "faster_progress", "reason": "slow" }),
            &[("If-Match", &v)],
        )
        .await
        .expect(201);
    let stats = agent.get("/v1/stats").await.expect(200);
    assert_eq!(
        stats["open_by_priority"],
        json!({ "P1": 1, "P2": 2, "P3": 0, "P4": 1 }),
        "{stats}"
    );
    assert_eq!(stats["open_by_status"]["new"], 3, "{stats}");
    assert_eq!(stats["open_by_status"]["open"], 1, "{stats}");
    assert_eq!(stats["open_by_status"]["waiting_on_customer"], 0, "{stats}");
    assert_eq!(stats["unassigned"], 2, "{stats}");
    assert_eq!(stats["open_escalations"], 1, "{stats}");
    assert_eq!(stats["overdue_rmas"], 0, "{stats}");
    assert_eq!(stats["breached"], 0, "{stats}");
    let seq = agent.seq().await;
    assert_eq!(stats["seq"], seq);
    assert!(seq > 0);

    // The change feed: everything since 0, then nothing since the newest seq.
    let all = agent.get("/v1/changes?since=0").await.expect(200);
    let changed: BTreeSet<String> = all["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(number)
        .collect();
    assert_eq!(changed, ns.iter().cloned().collect::<BTreeSet<_>>());
    assert_eq!(all["cases"].as_array().unwrap().len(), 5, "each case once");
    assert_eq!(all["seq"], seq);
    assert_eq!(all["more"], false);
    assert!(all["removed"].as_array().unwrap().is_empty());
    let none = agent
        .get(&format!("/v1/changes?since={seq}"))
        .await
        .expect(200);
    assert!(none["cases"].as_array().unwrap().is_empty(), "{none}");
    assert_eq!(none["seq"], seq);
    assert_eq!(none["more"], false);
    // In change order, the most recently changed case last.
    let order: Vec<String> = all["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(number)
        .collect();
    assert_eq!(
        order.last(),
        Some(&ns[1]),
        "the escalated case changed last: {order:?}"
    );
    // A change after `seq` shows just that case.
    lead.patch_case(&ns[2], &json!({ "owner": "yamada" }))
        .await
        .expect(200);
    let next = agent
        .get(&format!("/v1/changes?since={seq}"))
        .await
        .expect(200);
    let only: Vec<String> = next["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(number)
        .collect();
    assert_eq!(only, [ns[2].clone()]);
    assert_eq!(next["cases"][0]["owner"], "yamada");
    assert!(next["seq"].as_i64().unwrap() > seq);
    // Small pages with `more`.
    let mut since = 0;
    let mut seen = Vec::new();
    loop {
        let page = agent
            .get(&format!("/v1/changes?since={since}&limit=2"))
            .await
            .expect(200);
        seen.extend(page["cases"].as_array().unwrap().iter().map(number));
        since = page["seq"].as_i64().unwrap();
        if page["more"] == false {
            break;
        }
    }
    assert_eq!(seen.len(), 5, "every case once across pages: {seen:?}");
    assert_eq!(since, agent.seq().await);
}

#[tokio::test]
async fn gzip_on_a_large_list() {
    let server = Server::start();
    let token = server.token("agent", "tanaka");
    let agent = server.client(&token);
    for i in 0..30 {
        agent
            .create_case(json!({ "subject": format!("Case {i}: 電源ユニットの故障が繰り返し発生"), "description": "x".repeat(200) }))
            .await;
    }
    // A client that does not decode: the header and the gzip magic are visible.
    let raw = server.raw_client(&token);
    let zipped = raw
        .get_with("/v1/cases?limit=500", &[("Accept-Encoding", "gzip")])
        .await;
    assert_eq!(zipped.status.as_u16(), 200);
    assert_eq!(zipped.header("content-encoding"), Some("gzip"));
    assert_eq!(&zipped.body[..2], &[0x1f, 0x8b], "gzip magic");
    // Without Accept-Encoding: plain JSON.
    let plain = raw.get("/v1/cases?limit=500").await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.json()["total"], 30);
    assert!(
        zipped.body.len() < plain.body.len() / 2,
        "compressed {} vs {}",
        zipped.body.len(),
        plain.body.len()
    );
    // The decoding client reads it transparently.
    assert_eq!(
        agent.get("/v1/cases?limit=500").await.expect(200)["total"],
        30
    );
    // Single cases and other reads are compressed too.
    let n = number(&agent.get("/v1/cases?limit=1").await.expect(200)["items"][0]);
    let one = raw
        .get_with(&format!("/v1/cases/{n}"), &[("Accept-Encoding", "gzip")])
        .await;
    assert_eq!(one.header("content-encoding"), Some("gzip"));
}

#[tokio::test]
async fn roles_and_the_tokens_api() {
    let server = Server::start();
    let admin = server.login("admin", "root");
    let lead = server.login("lead", "suzuki");
    let agent = server.login("agent", "tanaka");
    let viewer = server.login("viewer", "wallboard");
    // A colleague cases are reassigned to (an owner must be an active person).
    server.token("agent", "yamada");
    let anonymous = server.anonymous();

    let case = agent.create_case(json!({ "owner": "tanaka" })).await;
    let n = number(&case);
    let v = if_match(&case);

    // No token → 401 on every API route, with a challenge.
    for path in [
        "/v1/cases",
        &format!("/v1/cases/{n}"),
        "/v1/escalations",
        "/v1/rmas",
        "/v1/search?q=x",
        "/v1/entitlements/X",
        "/v1/policies",
        "/v1/calendars",
        "/v1/stats",
        "/v1/changes",
        "/v1/events",
        "/v1/tokens",
    ] {
        let r = anonymous.get(path).await;
        r.problem(401, None);
        assert_eq!(r.header("www-authenticate"), Some("Bearer"), "{path}");
    }
    anonymous
        .post("/v1/cases", &json!({ "subject": "x", "priority": "P1" }))
        .await
        .problem(401, None);
    // Wrong token, wrong scheme.
    server
        .client("cdk_not-a-real-token")
        .get("/v1/cases")
        .await
        .problem(401, None);
    let basic = anonymous
        .get_with("/v1/cases", &[("Authorization", "Basic dXNlcjpwYXNz")])
        .await;
    basic.problem(401, None);

    // A viewer reads everything and writes nothing.
    for path in [
        "/v1/cases",
        &format!("/v1/cases/{n}"),
        "/v1/escalations",
        "/v1/rmas",
        "/v1/stats",
        "/v1/changes?since=0",
        "/v1/policies",
        "/v1/calendars",
    ] {
        viewer.get(path).await.expect(200);
    }
    viewer
        .post("/v1/cases", &json!({ "subject": "x", "priority": "P1" }))
        .await
        .problem(403, None);
    viewer
        .patch(
            &format!("/v1/cases/{n}"),
            Some(&v),
            &json!({ "status": "open" }),
        )
        .await
        .problem(403, None);
    viewer
        .post_with(
            &format!("/v1/cases/{n}/notes"),
            &json!({ "body": "x", "visibility": "public" }),
            &[("If-Match", &v)],
        )
        .await
        .problem(403, None);
    viewer
        .post_with(
            &format!("/v1/cases/{n}/escalations"),
            &json!({ "kind": "faster_progress", "reason": "x" }),
            &[("If-Match", &v)],
        )
        .await
        .problem(403, None);
    viewer
        .post_with(
            &format!("/v1/cases/{n}/rmas"),
            &json!({ "part_number": "X", "serial_number": "S" }),
            &[("If-Match", &v)],
        )
        .await
        .problem(403, None);
    viewer.get("/v1/tokens").await.problem(403, None);
    assert_eq!(agent.case(&n).await["version"], 1, "nothing changed");

    // Agents: their own cases, not others'; no escalation handling; no tokens.
    agent
        .post(
            "/v1/cases",
            &json!({ "subject": "for someone else", "priority": "P3", "owner": "yamada" }),
        )
        .await
        .problem(403, None);
    let unowned = agent.create_case(json!({})).await;
    let un = number(&unowned);
    let r = agent.patch_case(&un, &json!({ "owner": "yamada" })).await;
    r.problem(403, None);
    let esc = agent
        .escalate(
            &un,
            json!({ "kind": "reassignment", "reason": "wrong team" }),
        )
        .await;
    let id = esc["id"].as_i64().unwrap();
    agent
        .patch(
            &format!("/v1/escalations/{id}"),
            None,
            &json!({ "state": "declined", "resolution": "no" }),
        )
        .await
        .problem(403, None);
    agent.get("/v1/tokens").await.problem(403, None);
    agent
        .post("/v1/tokens", &json!({ "name": "x", "role": "admin" }))
        .await
        .problem(403, None);
    agent.delete("/v1/tokens/suzuki").await.problem(403, None);

    // Leads reassign and decline; still no tokens.
    let r = lead
        .patch_case(
            &un,
            &json!({ "owner": "yamada", "reason": "network specialist" }),
        )
        .await;
    assert_eq!(r.expect(200)["owner"], "yamada");
    let r = lead.patch_case(&n, &json!({ "owner": "suzuki" })).await;
    assert_eq!(
        r.expect(200)["owner"],
        "suzuki",
        "a lead takes a case from its owner"
    );
    lead.patch(
        &format!("/v1/escalations/{id}"),
        None,
        &json!({ "state": "declined", "resolution": "the owner stays" }),
    )
    .await
    .expect(200);
    lead.get("/v1/tokens").await.problem(403, None);
    let created = lead.create_case(json!({ "owner": "tanaka" })).await;
    assert_eq!(created["owner"], "tanaka", "a lead assigns new cases");

    // Admins manage tokens.
    let tokens = admin.get("/v1/tokens").await.expect(200);
    let names: BTreeSet<&str> = tokens
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["root", "suzuki", "tanaka", "wallboard", "yamada"]
            .into_iter()
            .collect()
    );
    assert!(
        tokens
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t.get("token").is_none() && t.get("hash").is_none()),
        "no secrets listed"
    );
    let made = admin
        .post("/v1/tokens", &json!({ "name": "sato", "role": "agent" }))
        .await
        .expect(201);
    assert_eq!(made["name"], "sato");
    assert_eq!(made["role"], "agent");
    let secret = made["token"].as_str().unwrap().to_string();
    let sato = server.client(&secret);
    let mine = sato.create_case(json!({ "owner": "sato" })).await;
    assert_eq!(mine["owner"], "sato", "the new token is sato");
    // One live token per person.
    admin
        .post("/v1/tokens", &json!({ "name": "sato", "role": "lead" }))
        .await
        .problem(409, Some("name"));
    admin
        .post("/v1/tokens", &json!({ "name": "", "role": "lead" }))
        .await
        .problem(422, Some("name"));
    admin
        .post(
            "/v1/tokens",
            &json!({ "name": "kato", "role": "superuser" }),
        )
        .await
        .problem(422, Some("role"));
    // Revoking locks the token out.
    assert_eq!(admin.delete("/v1/tokens/sato").await.status.as_u16(), 204);
    sato.get("/v1/cases").await.problem(401, None);
    admin.delete("/v1/tokens/sato").await.problem(404, None);
    let tokens = admin.get("/v1/tokens").await.expect(200);
    let sato_info = tokens
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "sato")
        .unwrap();
    assert!(sato_info["revoked_at"].is_string());
    // A revoked name may get a new token.
    let again = admin
        .post("/v1/tokens", &json!({ "name": "sato", "role": "viewer" }))
        .await
        .expect(201);
    let sato2 = server.client(again["token"].as_str().unwrap());
    sato2.get("/v1/cases").await.expect(200);
    sato2
        .post("/v1/cases", &json!({ "subject": "x", "priority": "P1" }))
        .await
        .problem(403, None);
    sato.get("/v1/cases").await.problem(401, None);
}

/// The note in the POST answer is the note every later read gives (the same instant, to the
/// millisecond it is stored with), so a client that keeps the answer sees no change on sync.
#[tokio::test]
async fn a_note_reads_back_as_it_was_answered() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let n = number(&agent.create_case(json!({})).await);
    let posted = agent.note(&n, "確認します", "public").await;
    let case = agent.case(&n).await;
    assert_eq!(case["notes"][0], posted);
}

#[tokio::test]
async fn openapi_documents_errors_as_problem_json() {
    let server = Server::start();
    let doc = server.anonymous().get("/v1/openapi.json").await.expect(200);
    let responses = &doc["paths"]["/v1/cases"]["post"]["responses"];
    for status in ["403", "422"] {
        let content = responses[status]["content"]
            .as_object()
            .unwrap_or_else(|| panic!("{status} documented: {responses}"));
        assert!(
            content.contains_key("application/problem+json"),
            "{status}: {content:?}"
        );
    }
}

#[tokio::test]
async fn openapi_documents_the_token_check_on_every_operation_and_none_on_healthz() {
    let server = Server::start();
    let doc = server.anonymous().get("/v1/openapi.json").await.expect(200);
    let paths = doc["paths"].as_object().expect("paths");
    let mut checked = 0;
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("a path item") {
            if path == "/healthz" {
                assert_eq!(operation["security"], json!([]), "{method} {path}");
                assert!(operation["responses"].get("401").is_none());
            } else {
                let content = &operation["responses"]["401"]["content"];
                assert!(
                    content.get("application/problem+json").is_some(),
                    "{method} {path} documents 401 as a problem: {operation}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "every operation was looked at ({checked})");
    // And the server does as the document says.
    server.anonymous().get("/healthz").await.expect(200);
}

#[tokio::test]
async fn rma_lifecycle_records_receipt_and_analysis_due() {
    let server = Server::start();
    let agent = server.login("agent", "tanaka");
    let case = agent
        .create_case(
            json!({ "subject": "Fan tray failed", "serial_number": "FOC4444D0DD", "account": "ACME" }),
        )
        .await;
    let n = number(&case);
    let rma = agent
        .create_rma(&n, json!({ "part_number": "FAN-T2" }))
        .await;
    let r = rma["number"].as_str().unwrap().to_string();
    let path = format!("/v1/rmas/{r}");
    assert!(rma["received_at"].is_null() && rma["analysis_due"].is_null());

    // Nothing to change: 422 naming both fields.
    let p = agent
        .patch(&path, None, &json!({}))
        .await
        .problem(422, Some("status"));
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("status") && detail.contains("analysis"),
        "{detail}"
    );
    // Not an RMA number.
    agent
        .patch("/v1/rmas/R123", None, &json!({ "status": "closed" }))
        .await
        .problem(400, Some("number"));

    // The analysis request set after creation: due unknown until the unit is back.
    let set = agent
        .patch(&path, None, &json!({ "analysis": "repair_analysis" }))
        .await
        .expect(200);
    assert_eq!(set["analysis"], "repair_analysis");
    assert_eq!(set["status"], "issued", "an analysis change moves nothing");
    assert!(set["analysis_due"].is_null());

    // Forward: issued → replacement_shipped → defective_received, with the analysis changed
    // in the same request.
    agent
        .patch(&path, None, &json!({ "status": "replacement_shipped" }))
        .await
        .expect(200);
    let before = Utc::now();
    let got = agent
        .patch(
            &path,
            None,
            &json!({ "status": "defective_received", "analysis": "failure_analysis" }),
        )
        .await
        .expect(200);
    let after = Utc::now();
    assert_eq!(got["status"], "defective_received");
    assert_eq!(got["analysis"], "failure_analysis");
    let received = time(&got["received_at"]);
    assert!(
        received >= before - chrono::Duration::seconds(1)
            && received <= after + chrono::Duration::seconds(1),
        "{received}"
    );
    assert_eq!(
        time(&got["analysis_due"]),
        received + chrono::Duration::days(15),
        "failure analysis: preliminary result 15 calendar days after receipt"
    );
    let repair = agent
        .patch(&path, None, &json!({ "analysis": "repair_analysis" }))
        .await
        .expect(200);
    assert_eq!(
        time(&repair["analysis_due"]),
        received + chrono::Duration::days(30),
        "repair analysis: 30 calendar days after receipt"
    );
    assert_eq!(repair["received_at"], got["received_at"], "receipt kept");

    // Backwards is refused with the moves that are allowed.
    let p = agent
        .patch(&path, None, &json!({ "status": "issued" }))
        .await
        .problem(409, Some("status"));
    assert_eq!(
        p["detail"].as_str().unwrap(),
        format!(
            "RMA {r} cannot go from defective_received to issued: expected one of closed, cancelled"
        )
    );
    let closed = agent
        .patch(&path, None, &json!({ "status": "closed" }))
        .await
        .expect(200);
    assert_eq!(closed["received_at"], got["received_at"]);
    // Closed: the analysis can no longer change, and nothing moves.
    agent
        .patch(&path, None, &json!({ "analysis": "failure_analysis" }))
        .await
        .problem(409, Some("analysis"));
    let p = agent
        .patch(&path, None, &json!({ "status": "cancelled" }))
        .await
        .problem(409, Some("status"));
    assert!(
        p["detail"].as_str().unwrap().contains("cannot change"),
        "{p}"
    );

    // Skipping defective_received records no receipt: the due date stays unknown.
    let skip = agent
        .create_rma(
            &n,
            json!({ "part_number": "PSU-2", "analysis": "failure_analysis" }),
        )
        .await;
    let s = skip["number"].as_str().unwrap().to_string();
    let skipped = agent
        .patch(
            &format!("/v1/rmas/{s}"),
            None,
            &json!({ "status": "closed" }),
        )
        .await
        .expect(200);
    assert!(skipped["received_at"].is_null() && skipped["analysis_due"].is_null());

    // The timeline has every move and the analysis requests.
    let history: Vec<String> = agent.case(&n).await["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["summary"].as_str().unwrap_or_default().to_string())
        .collect();
    for wanted in [
        format!("RMA {r} issued → replacement_shipped"),
        format!("RMA {r} replacement_shipped → defective_received"),
        format!("RMA {r} defective_received → closed"),
        format!("RMA {r} analysis request: repair_analysis"),
        format!("RMA {r} analysis request: failure_analysis (was repair_analysis)"),
        format!("RMA {s} issued → closed"),
    ] {
        assert!(
            history.iter().any(|h| h.contains(&wanted)),
            "{wanted} in {history:?}"
        );
    }
}
