//! The requests to RT REST 2: token auth, ETags, and RT's refusals in RT's words — including
//! the answers RT gives with 200 and an error in its message list.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ETAG, IF_MATCH, IF_NONE_MATCH};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;

use super::wire::Collection;
use crate::api::client::{Traffic, backoff};
use crate::api::{ClientError, ClientOptions, Fetched, Problem};
use crate::sanitize::clean;

/// RT's largest page (`per_page` above it is capped).
pub(super) const PER_PAGE: u64 = 100;

/// Pages followed by [`RtHttp::all`] before giving up on a runaway collection (100,000 rows).
const MAX_PAGES: u64 = 1_000;

/// Characters of an RT answer kept in an error.
const DETAIL_CHARS: usize = 300;

/// What `casedesk login` needs besides the server to log in to RT.
const LOGIN_FLAGS: &str = " --backend rt";

/// The HTTP side of the RT adapter. Cheap to clone.
#[derive(Debug, Clone)]
pub(super) struct RtHttp {
    http: reqwest::Client,
    /// `…/REST/2.0`, no trailing slash.
    api: Arc<str>,
    /// The base URL as printed.
    shown: Arc<str>,
    token: Arc<str>,
    traffic: Arc<Traffic>,
    retries: u32,
    wait: Duration,
}

impl RtHttp {
    /// A client for the RT at `options.server`.
    pub(super) fn new(options: &ClientOptions) -> Result<RtHttp, ClientError> {
        let base = options.server.trim_end_matches('/');
        let http = reqwest::Client::builder()
            .user_agent(concat!("casedesk/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            .gzip(true)
            .tls_certs_merge(crate::api::client::extra_certificates(options)?)
            .build()
            .map_err(|e| ClientError::Setup(format!("cannot build the HTTP client: {e}")))?;
        Ok(RtHttp {
            http,
            api: format!("{base}/REST/2.0").into(),
            shown: crate::config::without_password(base).into(),
            token: options.token.trim().into(),
            traffic: Arc::default(),
            retries: options.retries,
            wait: options.wait,
        })
    }

    /// RT's base URL as printed.
    pub(super) fn server(&self) -> &str {
        &self.shown
    }

    /// What has been sent and received so far.
    pub(super) fn traffic(&self) -> &Traffic {
        &self.traffic
    }

    /// The RT user id the token belongs to: RT's tokens read `VERSION-USERID-SECRET`
    /// (`1-14-…`, RT::AuthToken::ParseAuthString), so no request is needed to know whose it is.
    pub(super) fn user_id(&self) -> Option<u64> {
        let mut parts = self.token.splitn(3, '-');
        let (_version, user) = (parts.next()?, parts.next()?);
        parts.next()?;
        user.parse().ok()
    }

    /// `GET {api}{path}` (path with its query), answered from `etag` when RT says it is current.
    pub(super) async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        etag: Option<&str>,
    ) -> Result<Fetched<T>, ClientError> {
        let url = format!("{}{path}", self.api);
        let response = self
            .execute(
                || {
                    let req = self.http.get(&url);
                    match etag {
                        Some(tag) => req.header(IF_NONE_MATCH, tag),
                        None => req,
                    }
                },
                true,
            )
            .await?;
        if response.status() == StatusCode::NOT_MODIFIED {
            self.traffic.record(0);
            return Ok(Fetched::NotModified);
        }
        let etag = header(&response, ETAG);
        Ok(Fetched::Fresh {
            value: self.body(response).await?,
            etag,
        })
    }

    /// `GET` that must answer with a body (no `If-None-Match` was sent).
    pub(super) async fn get_value<T: DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<T, ClientError> {
        Ok(self.get_tagged(path).await?.0)
    }

    /// `GET` with no `If-None-Match`: the value and its ETag.
    pub(super) async fn get_tagged<T: DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<(T, Option<String>), ClientError> {
        match self.get(path, None).await? {
            Fetched::Fresh { value, etag } => Ok((value, etag)),
            Fetched::NotModified => {
                Err(self.protocol(format!("304 for {path} without If-None-Match")))
            }
        }
    }

    /// Every row of a collection: `path` (with its query, without paging) read 100 rows a
    /// page, following RT's `pages`.
    pub(super) async fn all<T: DeserializeOwned>(&self, path: &str) -> Result<Vec<T>, ClientError> {
        let mut rows = Vec::new();
        let mut page = 1;
        loop {
            let collection: Collection<T> = self.get_value(&paged(path, page, PER_PAGE)).await?;
            let full = collection.items.len() as u64 >= PER_PAGE;
            rows.extend(collection.items);
            let pages = collection.pages.unwrap_or(0);
            if page >= pages || !full || page >= MAX_PAGES {
                return Ok(rows);
            }
            page += 1;
        }
    }

    /// A write: always `Content-Type: application/json` (RT answers 415 without it, even to
    /// an empty `PUT /ticket/N/take`), `If-Match` with the ticket's ETag when given. Answers
    /// RT's body and the new ETag. Timeouts are not retried: the write may have landed.
    pub(super) async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &serde_json::Value,
        if_match: Option<i64>,
    ) -> Result<(T, Option<String>), ClientError> {
        let url = format!("{}{path}", self.api);
        let body = serde_json::to_vec(body).map_err(|e| ClientError::Setup(e.to_string()))?;
        let response = self
            .execute(
                || {
                    let req = self
                        .http
                        .request(method.clone(), &url)
                        .header("content-type", "application/json")
                        .body(body.clone());
                    match if_match {
                        Some(v) => req.header(IF_MATCH, format!("\"{v}\"")),
                        None => req,
                    }
                },
                false,
            )
            .await?;
        let etag = header(&response, ETAG);
        Ok((self.body(response).await?, etag))
    }

    /// Sends with retries where safe (connection refused always, timeouts when `repeatable`,
    /// 429/503 with backoff), the whole call bounded by the profile's wait; a non-success
    /// status becomes its error.
    async fn execute(
        &self,
        build: impl Fn() -> RequestBuilder,
        repeatable: bool,
    ) -> Result<Response, ClientError> {
        let attempts = async {
            let mut attempt = 0;
            loop {
                let result = build()
                    .header("authorization", format!("token {}", self.token))
                    .send()
                    .await;
                let last = attempt >= self.retries;
                match result {
                    Ok(r) if matches!(r.status().as_u16(), 429 | 503) && !last => {
                        self.traffic.record(0);
                    }
                    Ok(r) => return self.check(r).await,
                    Err(e) if !last && (e.is_connect() || (repeatable && e.is_timeout())) => {
                        self.traffic.record(0);
                    }
                    Err(e) => {
                        self.traffic.record(0);
                        return Err(self.transport(&e));
                    }
                }
                tokio::time::sleep(backoff(attempt)).await;
                attempt += 1;
            }
        };
        match tokio::time::timeout(self.wait, attempts).await {
            Ok(result) => result,
            Err(_) => Err(ClientError::Unreachable {
                url: self.shown.to_string(),
                detail: format!(
                    "no answer within {} s (the profile's wait_seconds)",
                    self.wait.as_secs()
                ),
            }),
        }
    }

    /// A success or 304 passes; anything else is read and turned into its error.
    async fn check(&self, response: Response) -> Result<Response, ClientError> {
        let status = response.status();
        if status.is_success() || status == StatusCode::NOT_MODIFIED {
            return Ok(response);
        }
        let text = response.text().await.unwrap_or_default();
        self.traffic.record(text.len() as u64);
        Err(error_for(status.as_u16(), &text, &self.shown))
    }

    /// Reads a JSON body, counting it.
    async fn body<T: DeserializeOwned>(&self, response: Response) -> Result<T, ClientError> {
        let bytes = response.bytes().await.map_err(|e| self.transport(&e))?;
        self.traffic.record(bytes.len() as u64);
        serde_json::from_slice(&bytes)
            .map_err(|e| self.protocol(format!("cannot read RT's JSON: {e}")))
    }

    fn transport(&self, e: &reqwest::Error) -> ClientError {
        let detail = if e.is_timeout() {
            "no answer in time".to_string()
        } else if e.is_connect() {
            let mut source: &dyn std::error::Error = e;
            while let Some(inner) = source.source() {
                source = inner;
            }
            format!("cannot connect ({source})")
        } else {
            e.to_string()
        };
        ClientError::Unreachable {
            url: self.shown.to_string(),
            detail: clean(&detail, true).into_owned(),
        }
    }

    /// An answer that is not what RT's API promises.
    pub(super) fn protocol(&self, detail: String) -> ClientError {
        ClientError::Protocol {
            url: self.shown.to_string(),
            detail,
        }
    }
}

/// `path` with RT's paging appended.
pub(super) fn paged(path: &str, page: u64, per_page: u64) -> String {
    let join = if path.contains('?') { '&' } else { '?' };
    format!("{path}{join}page={page}&per_page={per_page}")
}

/// A query string from pairs, each value percent-encoded (TicketSQL holds spaces and quotes).
pub(super) fn query(pairs: &[(&str, &str)]) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        q.append_pair(k, v);
    }
    q.finish()
}

fn header(response: &Response, name: reqwest::header::HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The ETag's number (`"41"` → 41): the ticket's newest transaction id, casedesk's version.
pub(super) fn etag_number(etag: &str) -> Option<i64> {
    etag.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .ok()
}

/// RT's error for a status, in RT's words: `{"message": …}` when RT sent one.
pub(super) fn error_for(status: u16, body: &str, url: &str) -> ClientError {
    let said = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            v.get("message")
                .and_then(|m| m.as_str())
                .map(str::to_string)
        });
    let detail = match said {
        Some(message) => clean(&message, true).chars().take(DETAIL_CHARS).collect(),
        None => {
            let line = body
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with('<'));
            match line {
                Some(line) => clean(line, true).chars().take(DETAIL_CHARS).collect(),
                None => format!("Request Tracker answered {status}"),
            }
        }
    };
    let url = url.to_string();
    match status {
        401 => ClientError::Unauthorized {
            url,
            login: LOGIN_FLAGS,
        },
        403 => ClientError::Forbidden(detail),
        404 => ClientError::NotFound(detail),
        412 => ClientError::Conflict(detail),
        429 | 503 => ClientError::Busy { url, detail },
        500..=599 => ClientError::Server {
            url,
            status,
            detail,
        },
        400 | 409 | 415 | 422 => rejected(status, detail),
        _ => ClientError::Protocol {
            url,
            detail: format!("{status}: {detail}"),
        },
    }
}

/// A refusal in RT's words, as a problem document.
pub(super) fn rejected(status: u16, detail: String) -> ClientError {
    ClientError::Rejected(Problem {
        kind: "about:blank".into(),
        title: "Request Tracker refused".into(),
        status,
        detail,
        field: None,
    })
}

/// Words in RT's 200 answers that mean a change was refused (RT lists successes and failures
/// alike, and answers 200 either way).
const REFUSALS: [&str; 9] = [
    "isn't a valid",
    "is not a valid",
    "may not own",
    "invalid value",
    "you can only steal",
    "permission denied",
    "could not",
    "not allowed",
    "no permission",
];

/// The refusals in RT's message list after a write that answered 200, joined in RT's words;
/// `None` when every message reports a change.
pub(super) fn refusal(messages: &[String]) -> Option<String> {
    let refused: Vec<String> = messages
        .iter()
        .filter(|m| {
            let lower = m.to_lowercase();
            REFUSALS.iter().any(|r| lower.contains(r))
        })
        .map(|m| clean(m, true).into_owned())
        .collect();
    (!refused.is_empty()).then(|| refused.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "http://127.0.0.1:18081";

    #[test]
    fn rts_statuses_map_to_the_desks_errors_in_rts_words() {
        // Real bodies from RT 5.0.3.
        let e = error_for(401, "", URL);
        assert!(matches!(e, ClientError::Unauthorized { .. }), "{e:?}");
        assert!(
            e.to_string()
                .contains("casedesk login --server http://127.0.0.1:18081 --backend rt"),
            "{e}"
        );
        let e = error_for(
            403,
            r#"{"message":"No permission to create tickets in the queue 'X'"}"#,
            URL,
        );
        assert_eq!(
            e.to_string(),
            "not allowed: No permission to create tickets in the queue 'X'"
        );
        assert!(
            matches!(error_for(404, r#"{"message":"Not Found"}"#, URL), ClientError::NotFound(m) if m == "Not Found")
        );
        assert!(matches!(
            error_for(412, r#"{"message":"Precondition Failed"}"#, URL),
            ClientError::Conflict(_)
        ));
        let e = error_for(400, r#"{"message":"Unknown field: Bogus"}"#, URL);
        assert!(
            matches!(&e, ClientError::Rejected(p) if p.detail == "Unknown field: Bogus" && p.status == 400),
            "{e:?}"
        );
        assert!(matches!(
            error_for(415, "", URL),
            ClientError::Rejected(p) if p.status == 415
        ));
        let e = error_for(
            500,
            "<html><body>Internal Server Error</body></html>\n",
            URL,
        );
        assert!(
            matches!(&e, ClientError::Server { status: 500, .. }),
            "{e:?}"
        );
        assert!(!e.to_string().contains("<html>"), "{e}");
        assert!(error_for(502, "", URL).is_unreachable());
    }

    #[test]
    fn a_200_list_with_a_refusal_is_an_error_and_changes_are_not() {
        let ok: Vec<String> = [
            "Ticket 1: Owner changed from Nobody to root",
            "Ticket 1: Status changed from 'open' to 'stalled'",
            "Severity P2 changed to P1",
            "Correspondence added",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(refusal(&ok), None);
        let mixed: Vec<String> = [
            "Ticket 1: Owner changed from Nobody to root",
            "Status 'bogus' isn't a valid status for tickets in this queue.",
            "That user may not own tickets in that queue",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            refusal(&mixed).as_deref(),
            Some(
                "Status 'bogus' isn't a valid status for tickets in this queue.; That user may not own tickets in that queue"
            )
        );
        for said in [
            "You can only steal a ticket owned by someone else",
            "Invalid value for custom field",
            "Permission Denied",
            "Could not add new custom field value: …",
        ] {
            assert!(refusal(&[said.to_string()]).is_some(), "{said}");
        }
    }

    #[test]
    fn tokens_name_their_user_and_etags_read_as_versions() {
        let http = RtHttp::new(&ClientOptions::new(
            URL,
            "1-14-2ed9526b1c76b171d15b1ba08466114a",
        ))
        .unwrap();
        assert_eq!(http.user_id(), Some(14));
        let odd = RtHttp::new(&ClientOptions::new(URL, "not-a-token")).unwrap();
        assert_eq!(odd.user_id(), None);
        assert_eq!(etag_number("\"72\""), Some(72));
        assert_eq!(etag_number("W/\"72\""), Some(72));
        assert_eq!(etag_number("\"2026-11-26\""), None);
        assert_eq!(
            paged("/tickets?query=x", 2, 100),
            "/tickets?query=x&page=2&per_page=100"
        );
        assert_eq!(
            paged("/queues/all", 1, 100),
            "/queues/all?page=1&per_page=100"
        );
    }
}
