//! Reading RT: the case list, one case, the change feed, search, counts, people, documents.
//!
//! The desk's list queries (`open=true&sort=number&limit=500&cursor=…`) become TicketSQL over
//! the followed queues; the change feed reads RT's transactions by id, which is both the
//! sequence and a ticket's version (RT's ETag is its newest transaction id), so no date ever
//! goes into TicketSQL (RT misreads ISO dates and counts in whole seconds).

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;

use super::http::{PER_PAGE, etag_number, paged, query};
use super::wire::{Collection, Part, Ticket, Transaction, User};
use super::{RtClient, RtSettings, history, map};
use crate::api::{
    Case, CaseSummary, Changes, ClientError, Escalation, Fetched, Identity, Me, Page, Person, Role,
    SearchResults, Stats,
};
use crate::domain::{CaseNumber, Priority, Status};

/// The ticket fields a queue row needs (`fields[Queue]=Name` names the queue).
const TICKET_FIELDS: &str = "Subject,Status,Priority,Owner,Queue,Requestor,CustomFields,Due,Created,LastUpdated,Resolved,SLA";

/// The history fields the timeline and the SLA replay read.
const HISTORY_FIELDS: &str = "Type,Field,OldValue,NewValue,Data,Created,Creator";

/// The MIME part fields the notes' texts come from.
const PART_FIELDS: &str = "TransactionId,ContentType,Content,Filename,Created";

/// The most rows one list call answers (the desk asks for 500 at a time).
const MAX_LIMIT: u64 = 1_000;

/// Rows when the query names no limit.
const DEFAULT_LIMIT: u64 = 100;

/// Values of a priority field that name a priority besides `P1`…`P4`; each is kept only if
/// the mapping reads it as that priority.
const PRIORITY_WORDS: [&str; 4] = ["緊急", "高", "中", "低"];

impl RtClient {
    /// Who the token belongs to, and this RT as the server's identity.
    pub async fn identity(&self) -> Result<Identity, ClientError> {
        let me = self.me().await?;
        Ok(Identity {
            name: me.name,
            role: me.role,
            server_id: Some(self.http.server().to_string()),
        })
    }

    /// Who the token belongs to: RT's user named by the token (`1-USERID-SECRET`); a
    /// privileged user works cases (an agent, RT's rights deciding the rest), others only
    /// read.
    pub async fn me(&self) -> Result<Me, ClientError> {
        let id = self.http.user_id().ok_or_else(|| {
            ClientError::Setup(
                "the token is not an RT auth token: expected 1-USERID-SECRET (made in RT under Logged in as → Settings → Auth Tokens)"
                    .into(),
            )
        })?;
        let user: User = self.http.get_value(&format!("/user/{id}")).await?;
        Ok(Me {
            role: role_of(&user),
            name: user.name,
        })
    }

    /// RT's privileged users as the desk's people (members of RT's `Privileged` group; a
    /// disabled user is listed inactive).
    pub async fn people(&self, etag: Option<&str>) -> Result<Fetched<Vec<Person>>, ClientError> {
        let _ = etag;
        let group = query(&[(
            "query",
            r#"[{"field":"Name","value":"Privileged"},{"field":"Domain","value":"SystemInternal"}]"#,
        )]);
        let groups: Collection<Member> = self.http.get_value(&format!("/groups?{group}")).await?;
        let Some(group) = groups.items.first() else {
            return Ok(Fetched::Fresh {
                value: Vec::new(),
                etag: None,
            });
        };
        // Members come as bare links (`fields` is ignored there): each user is read once.
        let members: Vec<Member> = self
            .http
            .all(&format!("/group/{}/members", group.id))
            .await?;
        let mut people = Vec::new();
        for member in members.iter().filter(|m| m.kind == "user") {
            let user: UserRecord = self.http.get_value(&format!("/user/{}", member.id)).await?;
            people.push(Person {
                role: Role::Agent,
                active: !user.disabled,
                name: user.user.name,
            });
        }
        people.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Fetched::Fresh {
            value: people,
            etag: None,
        })
    }

    /// One page of tickets for a casedesk list query (see [`ListQuery`]).
    pub async fn cases(&self, query_text: &str) -> Result<Page<CaseSummary>, ClientError> {
        let list = ListQuery::parse(query_text, &self.settings)?;
        let Some(sql) = list.sql.clone() else {
            return Ok(Page {
                items: Vec::new(),
                next_cursor: None,
                total: 0,
            });
        };
        let (tickets, total) = self.page_tickets(&sql, &list).await?;
        let items = self.summaries(&tickets)?;
        let next = list.offset + tickets.len() as u64;
        Ok(Page {
            next_cursor: (next < total && !tickets.is_empty()).then(|| next.to_string()),
            items,
            total,
        })
    }

    /// The rows `list` asks for: from its offset, up to its limit, 100 a request (fewer when
    /// the limit is smaller and the offset falls on a page).
    async fn page_tickets(
        &self,
        sql: &str,
        list: &ListQuery,
    ) -> Result<(Vec<Ticket>, u64), ClientError> {
        let per = if list.limit < PER_PAGE && list.offset.is_multiple_of(list.limit) {
            list.limit
        } else {
            PER_PAGE
        };
        let mut page = list.offset / per + 1;
        let mut skip = (list.offset % per) as usize;
        let base = format!("/tickets?{}", list.rt_query(sql));
        let mut rows = Vec::new();
        loop {
            let c: Collection<Ticket> = self.http.get_value(&paged(&base, page, per)).await?;
            let total = c.total.unwrap_or(0);
            let got = c.items.len() as u64;
            let want = (list.limit as usize).saturating_sub(rows.len());
            rows.extend(c.items.into_iter().skip(skip).take(want));
            skip = 0;
            if rows.len() as u64 >= list.limit || got < per || page >= c.pages.unwrap_or(0) {
                return Ok((rows, total));
            }
            page += 1;
        }
    }

    /// Queue rows for tickets.
    fn summaries(&self, tickets: &[Ticket]) -> Result<Vec<CaseSummary>, ClientError> {
        tickets
            .iter()
            .map(|t| map::summary(t, &self.settings).map_err(|e| self.http.protocol(e.to_string())))
            .collect()
    }

    /// One ticket as a case, revalidated with `etag` (RT's, the newest transaction id): its
    /// history and message parts are read only when it changed. A ticket outside the
    /// followed queues is not found.
    pub async fn case(
        &self,
        number: &CaseNumber,
        etag: Option<&str>,
    ) -> Result<Fetched<Case>, ClientError> {
        let id = ticket_id(number)?;
        let fetched: Fetched<Ticket> = self
            .http
            .get(&format!("/ticket/{id}?fields%5BQueue%5D=Name"), etag)
            .await
            .map_err(|e| match e {
                ClientError::NotFound(said) => {
                    ClientError::NotFound(format!("RT ticket {id} not found (RT: {said})"))
                }
                e => e,
            })?;
        let (ticket, tag) = match fetched {
            Fetched::NotModified => return Ok(Fetched::NotModified),
            Fetched::Fresh { value, etag } => (value, etag),
        };
        if !self.follows(&ticket) {
            return Err(not_followed(id, &self.settings));
        }
        let case = self.detail(&ticket, tag.as_deref()).await?;
        Ok(Fetched::Fresh {
            value: case,
            etag: tag,
        })
    }

    /// A ticket read in full: its history, its parts, the owners its history names by id.
    async fn detail(&self, ticket: &Ticket, etag: Option<&str>) -> Result<Case, ClientError> {
        let id = ticket.id;
        let fields = |f: &str| query(&[("fields", f)]);
        let txns: Vec<Transaction> = self
            .http
            .all(&format!("/ticket/{id}/history?{}", fields(HISTORY_FIELDS)))
            .await?;
        let parts: Vec<Part> = self
            .http
            .all(&format!("/ticket/{id}/attachments?{}", fields(PART_FIELDS)))
            .await?;
        let mut users = BTreeMap::new();
        for uid in history::unknown_owner_ids(ticket, &txns) {
            let user: User = self.http.get_value(&format!("/user/{uid}")).await?;
            users.insert(uid.to_string(), user.name);
        }
        let version = etag
            .and_then(etag_number)
            .or_else(|| {
                txns.iter()
                    .map(|t| t.id)
                    .max()
                    .and_then(|v| i64::try_from(v).ok())
            })
            .unwrap_or(0);
        map::case(
            ticket,
            &txns,
            &parts,
            &users,
            version,
            &self.settings,
            &self.sla,
            Utc::now(),
        )
        .map_err(|e| self.http.protocol(e.to_string()))
    }

    /// Whether a ticket is in a followed queue (a ticket read without its queue's name is
    /// taken as followed: RT answered it to this token).
    fn follows(&self, t: &Ticket) -> bool {
        let Some(name) = t.queue.as_ref().and_then(|q| q.name.as_deref()) else {
            return true;
        };
        self.settings
            .queues
            .iter()
            .any(|q| q.eq_ignore_ascii_case(name))
    }

    /// Tickets changed after transaction `since`: RT's transactions after it (100 a call,
    /// `more` when there may be others), each changed ticket's summary at its newest
    /// transaction (its version); tickets that left the followed queues are `removed`.
    /// `since = i64::MAX` answers only the newest transaction id. RT lists carry no ETag.
    pub async fn changes(
        &self,
        since: i64,
        etag: Option<&str>,
    ) -> Result<Fetched<Changes>, ClientError> {
        let _ = etag;
        if since == i64::MAX {
            let q = query(&[
                ("query", "id > 0"),
                ("fields", "ObjectId"),
                ("orderby", "id"),
                ("order", "DESC"),
            ]);
            let newest: Collection<Transaction> = self
                .http
                .get_value(&paged(&format!("/transactions?{q}"), 1, 1))
                .await?;
            let seq = newest.items.first().map_or(0, |t| t.id);
            return Ok(fresh(Changes {
                cases: Vec::new(),
                removed: Vec::new(),
                seq: i64::try_from(seq).unwrap_or(i64::MAX),
                more: false,
            }));
        }
        let q = query(&[
            (
                "query",
                &format!("ObjectType = 'RT::Ticket' AND id > {}", since.max(0)),
            ),
            ("fields", "ObjectId,Type"),
            ("orderby", "id"),
        ]);
        let txns: Collection<Transaction> = self
            .http
            .get_value(&paged(&format!("/transactions?{q}"), 1, PER_PAGE))
            .await?;
        let more = txns.items.len() as u64 >= PER_PAGE;
        let seq = txns
            .items
            .iter()
            .map(|t| i64::try_from(t.id).unwrap_or(i64::MAX))
            .max()
            .unwrap_or(since);
        // Each changed ticket at its newest transaction, in change order.
        let mut newest: BTreeMap<u64, u64> = BTreeMap::new();
        for t in &txns.items {
            if let Some(ticket) = t.object_id {
                let v = newest.entry(ticket).or_default();
                *v = (*v).max(t.id);
            }
        }
        let mut cases = Vec::new();
        let mut removed = Vec::new();
        if !newest.is_empty() {
            let ids: Vec<u64> = newest.keys().copied().collect();
            let sql = format!(
                "({}) AND {}",
                ids_clause(&ids),
                queues_clause(&self.settings)
            );
            let list = ListQuery::all(sql.clone());
            let (tickets, _) = self.page_tickets(&sql, &list).await?;
            let found: BTreeSet<u64> = tickets.iter().map(|t| t.id).collect();
            for t in &tickets {
                let mut s = map::summary(t, &self.settings)
                    .map_err(|e| self.http.protocol(e.to_string()))?;
                s.version = newest
                    .get(&t.id)
                    .and_then(|v| i64::try_from(*v).ok())
                    .unwrap_or(0);
                cases.push(s);
            }
            cases.sort_by_key(|c| c.version);
            removed = ids
                .iter()
                .filter(|id| !found.contains(id))
                .filter_map(|id| u32::try_from(*id).ok())
                .filter_map(|id| CaseNumber::ticket(id).ok())
                .collect();
        }
        Ok(fresh(Changes {
            cases,
            removed,
            seq,
            more,
        }))
    }

    /// The wallboard's counts over the followed queues' open tickets (paged once), and the
    /// open escalations (see [`RtClient::escalations`]). Clocks need each ticket's history,
    /// so breached and due-soon count only what the rows know (nothing): the wallboard's
    /// clock tiles come from the cache's details.
    pub async fn stats(&self) -> Result<Stats, ClientError> {
        let seq = match self.changes(i64::MAX, None).await? {
            Fetched::Fresh { value, .. } => value.seq,
            Fetched::NotModified => 0,
        };
        let list = ListQuery::parse("open=true", &self.settings)?;
        let mut open = Vec::new();
        if let Some(sql) = &list.sql {
            let all = ListQuery::all(sql.clone());
            let (tickets, _) = self.page_tickets(sql, &all).await?;
            open = self.summaries(&tickets)?;
        }
        let at = Utc::now();
        let mut open_by_priority: BTreeMap<String, u64> = Priority::ALL
            .iter()
            .map(|p| (p.as_str().to_string(), 0))
            .collect();
        let mut open_by_status: BTreeMap<String, u64> = Status::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| (s.as_str().to_string(), 0))
            .collect();
        for c in &open {
            *open_by_priority
                .entry(c.priority.as_str().to_string())
                .or_default() += 1;
            *open_by_status
                .entry(c.status.as_str().to_string())
                .or_default() += 1;
        }
        let (soon_from, soon_to) = crate::sla::due::due_soon_bounds(at);
        // List rows know nothing of escalations: they are read from the marker comments.
        let open_escalations = self.escalations("requested,acknowledged").await?.len();
        Ok(Stats {
            open_by_priority,
            open_by_status,
            breached: open.iter().filter(|c| c.breached).count() as u64,
            due_within_1h: open
                .iter()
                .filter(|c| !c.breached)
                .filter(|c| c.next_due.is_some_and(|d| d >= soon_from && d <= soon_to))
                .count() as u64,
            unassigned: open.iter().filter(|c| c.owner.is_none()).count() as u64,
            open_escalations: open_escalations as u64,
            overdue_rmas: 0,
            seq,
            at,
        })
    }

    /// Search: a ticket number (`1234`, `#1234`, `rt#1234`) reads that ticket; words go
    /// through RT's simple search within the followed queues. RT has no RMAs.
    pub async fn search(&self, q: &str) -> Result<SearchResults, ClientError> {
        let q = q.trim();
        let sql_or_simple = match q.parse::<CaseNumber>().ok().and_then(|n| n.ticket_id()) {
            Some(id) => format!("/tickets?{}", {
                let sql = format!("id = {id} AND {}", queues_clause(&self.settings));
                query(&[
                    ("query", &sql),
                    ("fields", TICKET_FIELDS),
                    ("fields[Queue]", "Name"),
                ])
            }),
            None if q.is_empty() => {
                return Ok(SearchResults {
                    cases: Vec::new(),
                    rmas: Vec::new(),
                });
            }
            None => {
                // Simple search ORs repeated `queue:` terms and keeps to active tickets.
                let words: String = std::iter::once(q.to_string())
                    .chain(self.settings.queues.iter().map(|name| simple_queue(name)))
                    .collect::<Vec<_>>()
                    .join(" ");
                format!(
                    "/tickets?{}",
                    query(&[
                        ("simple", "1"),
                        ("query", &words),
                        ("fields", TICKET_FIELDS),
                        ("fields[Queue]", "Name"),
                        ("orderby", "LastUpdated"),
                        ("order", "DESC"),
                    ])
                )
            }
        };
        let found: Collection<Ticket> = self
            .http
            .get_value(&paged(&sql_or_simple, 1, PER_PAGE))
            .await?;
        let tickets: Vec<Ticket> = found
            .items
            .into_iter()
            .filter(|t| self.follows(t))
            .collect();
        Ok(SearchResults {
            cases: self.summaries(&tickets)?,
            rmas: Vec::new(),
        })
    }

    /// Escalations recorded on followed tickets, in the given states: the comments carrying
    /// casedesk's escalation marker are found with one attachment search, and each ticket
    /// they are on is read in full (its timeline says which are still open).
    pub async fn escalations(&self, states: &str) -> Result<Vec<Escalation>, ClientError> {
        let wanted: Vec<&str> = states
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let q = query(&[
            (
                "query",
                r#"[{"field":"Content","operator":"LIKE","value":"[casedesk:escalation"}]"#,
            ),
            ("fields", "TransactionId"),
        ]);
        let parts: Vec<Part> = self.http.all(&format!("/attachments?{q}")).await?;
        let txn_ids: BTreeSet<u64> = parts.iter().filter_map(|p| p.transaction).collect();
        if txn_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut tickets: BTreeSet<u64> = BTreeSet::new();
        let ids: Vec<u64> = txn_ids.into_iter().collect();
        for chunk in ids.chunks(PER_PAGE as usize) {
            let sql = format!("ObjectType = 'RT::Ticket' AND ({})", ids_clause(chunk));
            let q = query(&[("query", &sql), ("fields", "ObjectId")]);
            let txns: Vec<Transaction> = self.http.all(&format!("/transactions?{q}")).await?;
            tickets.extend(txns.iter().filter_map(|t| t.object_id));
        }
        let mut out = Vec::new();
        for id in tickets {
            let Some(number) = u32::try_from(id)
                .ok()
                .and_then(|i| CaseNumber::ticket(i).ok())
            else {
                continue;
            };
            let case = match self.case(&number, None).await {
                Ok(Fetched::Fresh { value, .. }) => value,
                Ok(Fetched::NotModified) => continue,
                // Outside the followed queues, or gone: not this desk's.
                Err(ClientError::NotFound(_) | ClientError::Forbidden(_)) => continue,
                Err(e) => return Err(e),
            };
            out.extend(
                case.escalations
                    .into_iter()
                    .filter(|e| wanted.is_empty() || wanted.contains(&e.state.as_str())),
            );
        }
        out.sort_by_key(|e| e.requested_at);
        Ok(out)
    }

    /// A document the desk caches: the profile's policies and calendars, RT's people, no
    /// team macros (personal macros from the config still work). No ETag: each is cheap.
    pub async fn document(
        &self,
        path: &str,
        etag: Option<&str>,
    ) -> Result<Fetched<serde_json::Value>, ClientError> {
        let value = match path.split('?').next().unwrap_or(path) {
            "/v1/policies" => to_value(&self.sla.policies)?,
            "/v1/calendars" => {
                let specs: Vec<crate::sla::CalendarSpec> =
                    self.sla.calendars.iter().map(|c| c.spec()).collect();
                to_value(&specs)?
            }
            "/v1/people" => match self.people(etag).await? {
                Fetched::Fresh { value, .. } => to_value(&value)?,
                Fetched::NotModified => return Ok(Fetched::NotModified),
            },
            "/v1/macros" => to_value(&crate::api::macros::MacroSet { macros: Vec::new() })?,
            other => {
                return Err(ClientError::Unsupported(format!(
                    "{other} is not available on Request Tracker"
                )));
            }
        };
        Ok(Fetched::Fresh { value, etag: None })
    }
}

/// A record of RT's `Privileged` group or one of its members (a bare link).
#[derive(Debug, serde::Deserialize)]
struct Member {
    #[serde(deserialize_with = "text")]
    id: String,
    #[serde(rename = "type", default)]
    kind: String,
}

/// A user with whether RT disabled it (`GET /user/N` gives `Disabled` as `0`/`1`).
#[derive(Debug, serde::Deserialize)]
struct UserRecord {
    #[serde(flatten)]
    user: User,
    #[serde(rename = "Disabled", default, deserialize_with = "flag")]
    disabled: bool,
}

/// An id that may come as a JSON string or number.
fn text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    use serde::Deserialize;
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    })
}

/// RT's `0`/`1`/`""` flags.
fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    use serde::Deserialize;
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n.as_u64().is_some_and(|n| n != 0),
        serde_json::Value::String(s) => !matches!(s.trim(), "" | "0"),
        serde_json::Value::Bool(b) => b,
        _ => false,
    })
}

/// A privileged RT user works cases (RT's rights decide the rest); others only read.
fn role_of(user: &User) -> Role {
    if user.privileged.is_some_and(|p| p != 0) {
        Role::Agent
    } else {
        Role::Viewer
    }
}

fn to_value<T: serde::Serialize>(v: &T) -> Result<serde_json::Value, ClientError> {
    serde_json::to_value(v).map_err(|e| ClientError::Setup(format!("cannot encode: {e}")))
}

fn fresh(changes: Changes) -> Fetched<Changes> {
    Fetched::Fresh {
        value: changes,
        etag: None,
    }
}

/// The RT ticket id a case number names.
fn ticket_id(number: &CaseNumber) -> Result<u32, ClientError> {
    number.ticket_id().ok_or_else(|| {
        ClientError::NotFound(format!(
            "case {number} is not an RT ticket number: expected a ticket id such as 1234 or rt#1234"
        ))
    })
}

fn not_followed(id: u32, settings: &RtSettings) -> ClientError {
    ClientError::NotFound(format!(
        "RT ticket {id} is not in the followed queues ({})",
        settings.queues.join(", ")
    ))
}

/// A TicketSQL string literal.
fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// A `queue:` term of RT's simple search (quoted when the name has spaces).
fn simple_queue(name: &str) -> String {
    if name.contains(char::is_whitespace) {
        format!("queue:\"{}\"", name.replace('"', ""))
    } else {
        format!("queue:{name}")
    }
}

/// `(Queue = 'A' OR Queue = 'B')`.
fn queues_clause(settings: &RtSettings) -> String {
    let each: Vec<String> = settings
        .queues
        .iter()
        .map(|q| format!("Queue = {}", sql_text(q)))
        .collect();
    format!("({})", each.join(" OR "))
}

/// `id = 1 OR id = 2 …`.
fn ids_clause(ids: &[u64]) -> String {
    ids.iter()
        .map(|id| format!("id = {id}"))
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// A casedesk list query (`open=true&status=…&priority=…&owner=…&q=…&sort=…&limit=…&cursor=…`)
/// as TicketSQL over the followed queues. The cursor is a row offset.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ListQuery {
    /// The TicketSQL; `None` when nothing can match (no RT status maps to the statuses).
    sql: Option<String>,
    /// RT's `orderby`/`order` pairs, in order.
    order: Vec<(&'static str, &'static str)>,
    /// Rows wanted.
    limit: u64,
    /// Rows skipped.
    offset: u64,
}

impl ListQuery {
    /// Every row of `sql`, by id.
    fn all(sql: String) -> ListQuery {
        ListQuery {
            sql: Some(sql),
            order: vec![("id", "ASC")],
            limit: u64::MAX,
            offset: 0,
        }
    }

    /// Translates the desk's query; a value the desk would never send is refused by name.
    fn parse(text: &str, settings: &RtSettings) -> Result<ListQuery, ClientError> {
        let bad = |what: &str, value: &str, expected: &str| {
            super::http::rejected(
                400,
                format!("{what} {value:?} cannot be asked of Request Tracker: expected {expected}"),
            )
        };
        let mut statuses: Option<BTreeSet<Status>> = None;
        let mut priorities: BTreeSet<Priority> = BTreeSet::new();
        let mut owner: Option<String> = None;
        let mut words: Option<String> = None;
        let mut order = vec![("id", "ASC")];
        let mut limit = DEFAULT_LIMIT;
        let mut offset = 0;
        for (key, value) in form_urlencoded::parse(text.as_bytes()) {
            match key.as_ref() {
                "open" if value == "true" => {
                    let open: BTreeSet<Status> = Status::ALL
                        .iter()
                        .copied()
                        .filter(|s| s.is_open())
                        .collect();
                    statuses = Some(match statuses {
                        Some(s) => s.intersection(&open).copied().collect(),
                        None => open,
                    });
                }
                "status" => {
                    let asked = value
                        .split(',')
                        .filter(|s| !s.trim().is_empty())
                        .map(|s| s.trim().parse::<Status>())
                        .collect::<Result<BTreeSet<_>, _>>()
                        .map_err(|_| {
                            bad("status", &value, "casedesk statuses such as open,resolved")
                        })?;
                    statuses = Some(match statuses {
                        Some(s) => s.intersection(&asked).copied().collect(),
                        None => asked,
                    });
                }
                "priority" => {
                    for p in value.split(',').filter(|s| !s.trim().is_empty()) {
                        priorities.insert(
                            p.trim()
                                .parse()
                                .map_err(|_| bad("priority", &value, "P1,P2,P3,P4"))?,
                        );
                    }
                }
                "owner" => owner = Some(value.trim().to_string()),
                "q" if !value.trim().is_empty() => words = Some(value.trim().to_string()),
                "sort" => order = rt_order(&value),
                "limit" => {
                    limit = value
                        .parse::<u64>()
                        .map_err(|_| bad("limit", &value, "a number of rows"))?
                        .clamp(1, MAX_LIMIT);
                }
                "cursor" => {
                    offset = value
                        .parse()
                        .map_err(|_| bad("cursor", &value, "a cursor from a previous page"))?;
                }
                _ => {}
            }
        }
        let mut clauses = vec![queues_clause(settings)];
        if let Some(statuses) = &statuses {
            match status_clause(statuses, settings) {
                Some(c) => clauses.push(c),
                None => {
                    return Ok(ListQuery {
                        sql: None,
                        order,
                        limit,
                        offset,
                    });
                }
            }
        }
        if !priorities.is_empty() {
            let each: Vec<String> = priorities
                .iter()
                .map(|p| priority_clause(*p, settings))
                .collect();
            clauses.push(format!("({})", each.join(" OR ")));
        }
        if let Some(owner) = owner {
            let name = if owner.is_empty() { "Nobody" } else { &owner };
            clauses.push(format!("Owner = {}", sql_text(name)));
        }
        if let Some(words) = words {
            let like = sql_text(&words);
            let mut any = vec![
                format!("Subject LIKE {like}"),
                format!("Requestor.EmailAddress LIKE {like}"),
            ];
            for field in [&settings.serial_field, &settings.site_field]
                .into_iter()
                .flatten()
            {
                any.push(format!("CF.{{{field}}} LIKE {like}"));
            }
            clauses.push(format!("({})", any.join(" OR ")));
        }
        Ok(ListQuery {
            sql: Some(clauses.join(" AND ")),
            order,
            limit,
            offset,
        })
    }

    /// The query string for `/tickets`, without paging.
    fn rt_query(&self, sql: &str) -> String {
        let mut pairs: Vec<(&str, &str)> = vec![
            ("query", sql),
            ("fields", TICKET_FIELDS),
            ("fields[Queue]", "Name"),
        ];
        for (by, dir) in &self.order {
            pairs.push(("orderby", by));
            pairs.push(("order", dir));
        }
        query(&pairs)
    }
}

/// RT's ordering for a casedesk sort (`updated:desc` → LastUpdated DESC), ids breaking ties
/// so pages do not overlap; columns RT cannot order by (clocks, sites) fall back to ids (the
/// desk sorts its copy itself).
fn rt_order(sort: &str) -> Vec<(&'static str, &'static str)> {
    let (column, dir) = sort.split_once(':').unwrap_or((sort, "asc"));
    let desc = dir.eq_ignore_ascii_case("desc");
    let (field, inverted) = match column {
        "updated" => ("LastUpdated", false),
        "created" => ("Created", false),
        // P1 sorts first ascending, and is RT's highest number.
        "priority" => ("Priority", true),
        "status" => ("Status", false),
        "owner" => ("Owner", false),
        "subject" => ("Subject", false),
        _ => ("id", false),
    };
    let dir = if desc != inverted { "DESC" } else { "ASC" };
    if field == "id" {
        return vec![("id", dir)];
    }
    vec![(field, dir), ("id", "ASC")]
}

/// The RT statuses for casedesk statuses: when open is asked for, every RT status except
/// those mapped to statuses not asked for (a site's own active statuses read as open);
/// otherwise exactly the RT statuses mapped to them. `None`: no RT status matches.
fn status_clause(asked: &BTreeSet<Status>, settings: &RtSettings) -> Option<String> {
    if asked.contains(&Status::Open) {
        let not: Vec<String> = settings
            .statuses
            .iter()
            .filter(|(_, s)| !asked.contains(s))
            .map(|(rt, _)| format!("Status != {}", sql_text(rt)))
            .collect();
        return Some(if not.is_empty() {
            "Status != '__none__'".to_string()
        } else {
            format!("({})", not.join(" AND "))
        });
    }
    let is: Vec<String> = settings
        .statuses
        .iter()
        .filter(|(_, s)| asked.contains(s))
        .map(|(rt, _)| format!("Status = {}", sql_text(rt)))
        .collect();
    (!is.is_empty()).then(|| format!("({})", is.join(" OR ")))
}

/// The tickets of one priority: the priority field's value naming it, or — when the field is
/// empty — RT's numeric Priority in its range (as [`map::priority`] reads a ticket).
fn priority_clause(p: Priority, settings: &RtSettings) -> String {
    let [p1, p2, p3] = settings.priority_ranges;
    let range = match p {
        Priority::P1 => format!("Priority >= {p1}"),
        Priority::P2 => format!("Priority >= {p2} AND Priority < {p1}"),
        Priority::P3 => format!("Priority >= {p3} AND Priority < {p2}"),
        Priority::P4 => format!("Priority < {p3}"),
    };
    let Some(field) = &settings.priority_field else {
        return format!("({range})");
    };
    let mut any: Vec<String> = std::iter::once(p.as_str())
        .chain(
            PRIORITY_WORDS
                .into_iter()
                .filter(|w| settings.priority_of_value(w) == Some(p)),
        )
        .map(|v| format!("CF.{{{field}}} = {}", sql_text(v)))
        .collect();
    any.push(format!("(CF.{{{field}}} IS NULL AND {range})"));
    format!("({})", any.join(" OR "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> RtSettings {
        crate::config::RtSettingsFile::default()
            .settings(vec!["Support".into(), "Field Ops".into()])
            .unwrap()
    }

    #[test]
    fn the_desks_first_sync_reads_as_ticketsql_over_the_followed_queues() {
        let s = settings();
        let q = ListQuery::parse("open=true&sort=number&limit=500&cursor=200", &s).unwrap();
        assert_eq!(
            q.sql.as_deref(),
            Some(
                "(Queue = 'Support' OR Queue = 'Field Ops') AND \
                 (Status != 'deleted' AND Status != 'rejected' AND Status != 'resolved')"
            )
        );
        assert_eq!(q.order, vec![("id", "ASC")]);
        assert_eq!((q.limit, q.offset), (500, 200));
        let q = ListQuery::parse("status=resolved,closed&sort=updated:desc&limit=500", &s).unwrap();
        assert_eq!(
            q.sql.as_deref(),
            Some(
                "(Queue = 'Support' OR Queue = 'Field Ops') AND \
                 (Status = 'deleted' OR Status = 'rejected' OR Status = 'resolved')"
            )
        );
        assert_eq!(q.order, vec![("LastUpdated", "DESC"), ("id", "ASC")]);
        let rt = q.rt_query(q.sql.as_deref().unwrap());
        assert!(
            rt.contains("orderby=LastUpdated&order=DESC&orderby=id&order=ASC"),
            "{rt}"
        );
        assert!(rt.contains("fields%5BQueue%5D=Name"), "{rt}");
    }

    #[test]
    fn the_clis_filters_read_as_ticketsql() {
        let s = settings();
        let q = ListQuery::parse(
            "status=waiting_on_customer&priority=P1&owner=agent+1&sort=priority:asc&limit=5",
            &s,
        )
        .unwrap();
        assert_eq!(
            q.sql.as_deref(),
            Some(
                "(Queue = 'Support' OR Queue = 'Field Ops') AND (Status = 'stalled') AND \
                 ((CF.{Severity} = 'P1' OR CF.{Severity} = '緊急' OR (CF.{Severity} IS NULL AND Priority >= 75))) \
                 AND Owner = 'agent 1'"
            )
        );
        assert_eq!(q.order, vec![("Priority", "DESC"), ("id", "ASC")]);
        // Nobody's tickets, and words with a quote in them.
        let q = ListQuery::parse("owner=&q=O'Brien", &s).unwrap();
        let sql = q.sql.unwrap();
        assert!(sql.contains("Owner = 'Nobody'"), "{sql}");
        assert!(sql.contains("Subject LIKE 'O\\'Brien'"), "{sql}");
        assert!(sql.contains("CF.{Serial} LIKE 'O\\'Brien'"), "{sql}");
        // No RT status maps to waiting on engineering in the stock lifecycle: nothing to ask.
        let q = ListQuery::parse("status=waiting_on_engineering", &s).unwrap();
        assert_eq!(q.sql, None);
        // Without a priority field, the numeric ranges.
        let plain = crate::config::RtSettingsFile {
            priority_field: Some(String::new()),
            ..Default::default()
        }
        .settings(vec!["Support".into()])
        .unwrap();
        let q = ListQuery::parse("priority=P2,P4", &plain).unwrap();
        assert_eq!(
            q.sql.as_deref(),
            Some("(Queue = 'Support') AND ((Priority >= 50 AND Priority < 75) OR (Priority < 25))")
        );
        let e = ListQuery::parse("status=paused", &s).unwrap_err();
        assert!(e.to_string().contains("paused"), "{e}");
    }
}
