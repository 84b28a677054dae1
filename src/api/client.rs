//! The HTTP client of the case API: timeouts, retries with backoff and jitter, `Retry-After`,
//! gzip, proxies from the environment, an extra CA, and errors that say what went wrong.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use reqwest::header::{ETAG, HeaderMap, HeaderValue, IF_MATCH, IF_NONE_MATCH, RETRY_AFTER};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::people::Person;
use super::types::{
    Case, CasePatch, CaseSummary, Changes, Entitlement, Escalation, EscalationPatch, HeldMail,
    MailList, MailRelease, Me, NewCase, NewEscalation, NewNote, NewRma, Note, Page, Problem, Rma,
    SearchResults, Stats,
};
use crate::domain::CaseNumber;
use crate::sanitize::clean;

mod attachments;
pub use attachments::{Downloaded, UploadSource};
mod macros;

/// Characters of a body that is not a problem document kept in the error.
const BODY_CHARS: usize = 200;

/// A body that is not a problem document (a proxy's page, a plain-text error) as one clean
/// line: an HTML page is named, not printed; text is cut to its first line.
fn foreign_body(status: StatusCode, text: &str, html: bool) -> String {
    let code = status.as_u16();
    let start = text.trim_start().get(..64).unwrap_or(text.trim_start());
    let looks_html = start.starts_with('<')
        && ["<!doctype html", "<html", "<head", "<body", "<title"]
            .iter()
            .any(|tag| start.to_ascii_lowercase().starts_with(tag));
    if html || looks_html {
        return format!("server answered {code} with an HTML page");
    }
    let line = text.lines().map(str::trim).find(|l| !l.is_empty());
    match line {
        None => format!("server answered {code} with an empty body"),
        Some(line) => {
            let line: String = clean(line, true).chars().take(BODY_CHARS).collect();
            format!("server answered {code}: {}", line.trim())
        }
    }
}

/// How to reach a server.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Base URL, e.g. `https://casedesk.example.com`.
    pub server: String,
    /// The bearer token.
    pub token: String,
    /// How long to wait for a connection.
    pub connect_timeout: Duration,
    /// How long to wait for a whole response.
    pub request_timeout: Duration,
    /// Extra CA certificates (PEM), trusted besides the system's.
    pub ca_file: Option<PathBuf>,
    /// Retries after the first attempt, for requests that are safe to repeat.
    pub retries: u32,
    /// The longest one call may take in all, retries and their waits included.
    pub wait: Duration,
    /// How long the event stream may stay silent before it is taken as dead (the server sends
    /// a heartbeat every 15 s).
    pub stream_silence: Duration,
}

impl ClientOptions {
    /// Options with the usual timeouts (5 s to connect, 30 s per request, 3 retries, a stream
    /// silent for three missed heartbeats is dead).
    pub fn new(server: impl Into<String>, token: impl Into<String>) -> Self {
        ClientOptions {
            server: server.into(),
            token: token.into(),
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            ca_file: None,
            retries: 3,
            wait: Duration::from_secs(30),
            stream_silence: Duration::from_secs(45),
        }
    }
}

/// Why a request failed, in the words a user needs.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ClientError {
    /// No connection, a timeout, or a gateway that cannot reach the server.
    #[error("server unreachable at {url}: {detail}")]
    Unreachable {
        /// The server.
        url: String,
        /// What failed.
        detail: String,
    },
    /// 401: the token is unknown or revoked.
    #[error(
        "token rejected by {url}: run `casedesk login --server {url}{login}` with a valid token"
    )]
    Unauthorized {
        /// The server.
        url: String,
        /// What else `casedesk login` needs to reach this server (` --backend rt`), or nothing.
        login: &'static str,
    },
    /// 403: the token's role may not do this.
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// 404 (the server's words name what was not found).
    #[error("{0}")]
    NotFound(String),
    /// 412: the case changed since it was read.
    #[error("case changed by someone else since you read it: {0}")]
    Conflict(String),
    /// Any other refusal, with the server's problem document.
    #[error("{}: {}", .0.title, .0.detail)]
    Rejected(Problem),
    /// 429/503 still refused after the retries, or asked to wait too long.
    #[error("server at {url} is busy: {detail}")]
    Busy {
        /// The server.
        url: String,
        /// For how long.
        detail: String,
    },
    /// A 5xx.
    #[error("server error at {url} ({status}): {detail}")]
    Server {
        /// The server.
        url: String,
        /// HTTP status.
        status: u16,
        /// What it said.
        detail: String,
    },
    /// An answer that is not what the API promises.
    #[error("unexpected answer from {url}: {detail}")]
    Protocol {
        /// The server.
        url: String,
        /// What was wrong.
        detail: String,
    },
    /// The peer is not the server the profile means: wrong scheme, wrong port, an untrusted
    /// certificate. A configuration error, never taken as "offline".
    #[error("configuration error for {url}: {detail}")]
    Misconfigured {
        /// The server.
        url: String,
        /// What does not match.
        detail: String,
    },
    /// The client could not be built (a bad CA file).
    #[error("{0}")]
    Setup(String),
    /// A local file (an upload's source, a download's target) could not be read or written.
    #[error("{0}")]
    Local(String),
    /// The backend has no such thing (RMAs on Request Tracker); the words name it.
    #[error("{0}")]
    Unsupported(String),
}

impl ClientError {
    /// Whether the server could not be reached at all, so the cache and the outbox stand in.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            ClientError::Unreachable { .. } | ClientError::Busy { .. }
        ) || matches!(self, ClientError::Server { status, .. } if matches!(status, 502..=504))
    }
}

/// A read that may be answered `304 Not Modified`.
#[derive(Debug, Clone)]
pub enum Fetched<T> {
    /// A new value and its ETag.
    Fresh {
        /// The value.
        value: T,
        /// Its ETag.
        etag: Option<String>,
    },
    /// The copy named by `If-None-Match` is current.
    NotModified,
}

/// Requests made and response bytes received, for `casedesk sync` and the benchmarks.
#[derive(Debug, Default)]
pub struct Traffic {
    requests: AtomicU64,
    bytes: AtomicU64,
}

impl Traffic {
    /// Requests sent (each retry counts).
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Response body bytes received (after gzip decoding).
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Counts one request that received `bytes` of body (for adapters with their own HTTP).
    pub fn record(&self, bytes: u64) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }
}

/// A live event from `/v1/events`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveEvent {
    /// The change sequence.
    pub seq: i64,
    /// `case.updated`, `note.added`, …
    pub kind: String,
    /// The JSON payload.
    pub data: String,
}

/// The case API client. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    stream_http: reqwest::Client,
    base: Arc<str>,
    /// `base` as printed: without a password of `user:pass@`.
    shown: Arc<str>,
    auth: HeaderValue,
    retries: u32,
    wait: Duration,
    traffic: Arc<Traffic>,
}

/// The certificate authorities of the profile's `ca_file` (a company CA), besides the system's;
/// a file with no PEM certificate is refused, naming it and the expected form.
pub(crate) fn extra_certificates(
    options: &ClientOptions,
) -> Result<Vec<reqwest::Certificate>, ClientError> {
    Ok(match &options.ca_file {
        None => Vec::new(),
        Some(path) => {
            let pem = std::fs::read(path).map_err(|e| {
                ClientError::Setup(format!("cannot read CA file {}: {e}", path.display()))
            })?;
            let not_pem = |why: String| {
                ClientError::Setup(format!(
                    "CA file {} holds no usable certificate: {why}; expected PEM (-----BEGIN CERTIFICATE-----)",
                    path.display()
                ))
            };
            // A file without a single PEM certificate (DER, a key, text) parses as an
            // empty bundle: trusting nothing extra would fail later in vaguer words.
            let certs =
                reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| not_pem(e.to_string()))?;
            if certs.is_empty() || !pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----") {
                return Err(not_pem("no -----BEGIN CERTIFICATE----- block".into()));
            }
            certs
        }
    })
}

/// The longest `Retry-After` honoured inside one call; longer ones are reported.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

impl Client {
    /// A client for one server and token.
    pub fn new(options: &ClientOptions) -> Result<Client, ClientError> {
        let mut auth =
            HeaderValue::from_str(&format!("Bearer {}", options.token.trim())).map_err(|_| {
                ClientError::Setup(
                    "the token holds characters a header cannot carry: expected cdk_ and hex digits"
                        .into(),
                )
            })?;
        auth.set_sensitive(true);
        let certs = extra_certificates(options)?;
        let builder = || {
            reqwest::Client::builder()
                .user_agent(concat!("casedesk/", env!("CARGO_PKG_VERSION")))
                .connect_timeout(options.connect_timeout)
                .gzip(true)
                .tls_certs_merge(certs.clone())
        };
        let setup = |e: reqwest::Error| ClientError::Setup(format!("cannot set up HTTP: {e}"));
        Ok(Client {
            http: builder()
                .timeout(options.request_timeout)
                .build()
                .map_err(setup)?,
            // A stream has no overall deadline; silence is what tells it is dead.
            stream_http: builder()
                .read_timeout(options.stream_silence)
                .build()
                .map_err(setup)?,
            base: options.server.trim_end_matches('/').into(),
            shown: crate::config::without_password(options.server.trim_end_matches('/')).into(),
            auth,
            retries: options.retries,
            wait: options.wait,
            traffic: Arc::default(),
        })
    }

    /// The server's base URL as printed (a password in it hidden).
    pub fn server(&self) -> &str {
        &self.shown
    }

    /// What this client has sent and received so far.
    pub fn traffic(&self) -> &Traffic {
        &self.traffic
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends a request, retrying where that is safe: connection failures always (nothing was
    /// sent), timeouts only when `repeatable`, and 429/503 honouring `Retry-After`.
    /// The whole call is bounded by the `wait` option, and its error names what it waited
    /// for.
    async fn execute(
        &self,
        build: impl Fn() -> RequestBuilder,
        repeatable: bool,
    ) -> Result<Response, ClientError> {
        match tokio::time::timeout(self.wait, self.attempts(&build, repeatable)).await {
            Ok(result) => result,
            Err(_) => {
                let what = build()
                    .build()
                    .map(|r| format!("{} {}", r.method(), r.url().path()))
                    .unwrap_or_else(|_| "a request".into());
                Err(ClientError::Unreachable {
                    url: self.shown.to_string(),
                    detail: format!(
                        "no answer to {what} within {} s (the profile's wait_seconds)",
                        self.wait.as_secs()
                    ),
                })
            }
        }
    }

    /// The attempts of one call: the first, and the retries that are safe.
    async fn attempts(
        &self,
        build: &impl Fn() -> RequestBuilder,
        repeatable: bool,
    ) -> Result<Response, ClientError> {
        let mut attempt = 0;
        loop {
            self.traffic.requests.fetch_add(1, Ordering::Relaxed);
            let result = build().header("authorization", &self.auth).send().await;
            let last = attempt >= self.retries;
            let wait = match &result {
                Ok(r) if matches!(r.status().as_u16(), 429 | 503) => {
                    let asked = retry_after(r.headers());
                    if asked.is_some_and(|d| d > MAX_RETRY_AFTER) || last {
                        return Err(ClientError::Busy {
                            url: self.shown.to_string(),
                            detail: match asked {
                                Some(d) => format!("asked to retry after {} s", d.as_secs()),
                                None => format!("still refusing after {} attempts", attempt + 1),
                            },
                        });
                    }
                    asked.unwrap_or_else(|| backoff(attempt))
                }
                Ok(_) => break result.map_err(|e| self.transport(e)),
                Err(e) if !last && (e.is_connect() || (repeatable && e.is_timeout())) => {
                    backoff(attempt)
                }
                Err(_) => break result.map_err(|e| self.transport(e)),
            };
            tracing::debug!(attempt, ?wait, "retrying");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    fn transport(&self, e: reqwest::Error) -> ClientError {
        if let Some(wrong) = self.wrong_peer(&e) {
            return wrong;
        }
        let detail = if e.is_timeout() {
            "no answer in time".to_string()
        } else if e.is_connect() {
            // The innermost cause says it best ("Connection refused", "dns error").
            let mut source: &dyn std::error::Error = &e;
            while let Some(inner) = source.source() {
                source = inner;
            }
            format!("cannot connect ({source})")
        } else {
            // reqwest's words name the URL, password and all.
            e.without_url().to_string()
        };
        ClientError::Unreachable {
            url: self.shown.to_string(),
            detail,
        }
    }

    /// A peer that answered, but not as the profile expects: TLS spoken to a plain-HTTP
    /// server (or the reverse), or a server that does not speak HTTP at all (an SSH port).
    /// These are configuration errors, not the server being away.
    fn wrong_peer(&self, e: &reqwest::Error) -> Option<ClientError> {
        let mut chain = String::new();
        let mut source: Option<&dyn std::error::Error> = Some(e);
        while let Some(s) = source {
            chain.push_str(&s.to_string().to_ascii_lowercase());
            chain.push(' ');
            source = s.source();
        }
        let https = self.base.starts_with("https:");
        let detail = if https
            && [
                "invalidcontenttype",
                "corrupt message",
                "wrong version number",
                "tls",
                "handshake",
                "certificate",
            ]
            .iter()
            .any(|w| chain.contains(w))
        {
            if chain.contains("certificate") {
                "the server's TLS certificate is not trusted: set ca_file to the company CA (PEM) or check the server name".to_string()
            } else {
                "the server does not speak TLS (a plain-HTTP server?): use http:// in the profile's server, or enable TLS on the server".to_string()
            }
        } else if [
            "invalid http version",
            "invalid status",
            "message head",
            "invalid header",
        ]
        .iter()
        .any(|w| chain.contains(w))
        {
            "the peer answered something that is not HTTP (another service on that port?): check the profile's server address and port".to_string()
        } else {
            return None;
        };
        Some(ClientError::Misconfigured {
            url: self.shown.to_string(),
            detail,
        })
    }

    /// Turns a non-success response into its error.
    async fn check(&self, response: Response) -> Result<Response, ClientError> {
        let status = response.status();
        if status.is_success() || status == StatusCode::NOT_MODIFIED {
            return Ok(response);
        }
        let html = header_text(response.headers(), reqwest::header::CONTENT_TYPE)
            .is_some_and(|t| t.to_ascii_lowercase().contains("html"));
        let text = response.text().await.unwrap_or_default();
        let problem = serde_json::from_str::<Problem>(&text).ok().map(|mut p| {
            // The server's words reach terminals and logs: one clean line each.
            p.title = clean(&p.title, true).into_owned();
            p.detail = clean(&p.detail, true).into_owned();
            p
        });
        let detail = match &problem {
            Some(p) => p.detail.clone(),
            None => foreign_body(status, &text, html),
        };
        let url = self.shown.to_string();
        Err(match status.as_u16() {
            401 => ClientError::Unauthorized { url, login: "" },
            403 => ClientError::Forbidden(detail),
            404 => ClientError::NotFound(detail),
            412 => ClientError::Conflict(detail),
            500..=599 => ClientError::Server {
                url,
                status: status.as_u16(),
                detail,
            },
            _ => match problem {
                Some(p) => ClientError::Rejected(p),
                None => ClientError::Protocol { url, detail },
            },
        })
    }

    async fn body<T: DeserializeOwned>(&self, response: Response) -> Result<T, ClientError> {
        let bytes = response.bytes().await.map_err(|e| self.transport(e))?;
        self.traffic
            .bytes
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Protocol {
            url: self.shown.to_string(),
            detail: format!("cannot read the JSON: {e}"),
        })
    }

    /// `GET path`, answered from `etag` when the server says it is current.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        etag: Option<&str>,
    ) -> Result<Fetched<T>, ClientError> {
        let url = self.url(path);
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
        let response = self.check(response).await?;
        if response.status() == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        let etag = header_text(response.headers(), ETAG);
        Ok(Fetched::Fresh {
            value: self.body(response).await?,
            etag,
        })
    }

    async fn get_value<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        match self.get(path, None).await? {
            Fetched::Fresh { value, .. } => Ok(value),
            Fetched::NotModified => Err(ClientError::Protocol {
                url: self.shown.to_string(),
                detail: format!("304 for {path} without If-None-Match"),
            }),
        }
    }

    /// A write: `If-Match` with the case version when given, and an `Idempotency-Key` (which
    /// makes a POST safe to retry after a timeout).
    pub async fn send<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
        if_match: Option<i64>,
        idempotency_key: Option<&str>,
    ) -> Result<T, ClientError> {
        let url = self.url(path);
        let body = serde_json::to_vec(body).map_err(|e| ClientError::Setup(e.to_string()))?;
        let repeatable = idempotency_key.is_some();
        let response = self
            .execute(
                || {
                    let mut req = self
                        .http
                        .request(method.clone(), &url)
                        .header("content-type", "application/json")
                        .body(body.clone());
                    if let Some(v) = if_match {
                        req = req.header(IF_MATCH, format!("\"v{v}\""));
                    }
                    if let Some(key) = idempotency_key {
                        req = req.header("idempotency-key", key);
                    }
                    req
                },
                repeatable,
            )
            .await?;
        let response = self.check(response).await?;
        self.body(response).await
    }

    /// Who the token belongs to.
    pub async fn me(&self) -> Result<Me, ClientError> {
        self.get_value("/v1/me").await
    }

    /// Who the token belongs to and the server's stable id (`GET /v1/me`).
    pub async fn identity(&self) -> Result<super::Identity, ClientError> {
        self.get_value("/v1/me").await
    }

    /// The people of the desk (`GET /v1/people`), revalidated with `etag`.
    pub async fn people(&self, etag: Option<&str>) -> Result<Fetched<Vec<Person>>, ClientError> {
        self.get("/v1/people", etag).await
    }

    /// One page of the case list; `query` is the query string without `?`.
    pub async fn cases(&self, query: &str) -> Result<Page<CaseSummary>, ClientError> {
        self.get_value(&format!("/v1/cases?{query}")).await
    }

    /// One case with everything on it.
    pub async fn case(
        &self,
        number: &CaseNumber,
        etag: Option<&str>,
    ) -> Result<Fetched<Case>, ClientError> {
        self.get(&format!("/v1/cases/{number}"), etag).await
    }

    /// A report for leads (`GET /v1/reports/{kind}`), revalidated with `etag`; `T` is the
    /// kind's report type (`reports::SlaReport` for `sla`, …).
    pub async fn report<T: DeserializeOwned>(
        &self,
        kind: super::reports::ReportKind,
        query: &super::reports::ReportQuery,
        etag: Option<&str>,
    ) -> Result<Fetched<T>, ClientError> {
        let q = query.to_query_string();
        let sep = if q.is_empty() { "" } else { "?" };
        self.get(&format!("/v1/reports/{kind}{sep}{q}"), etag).await
    }

    /// The desk's trend for the wallboard (`GET /v1/stats/trend`), revalidated with `etag`.
    pub async fn trend(
        &self,
        etag: Option<&str>,
    ) -> Result<Fetched<super::reports::Trend>, ClientError> {
        self.get("/v1/stats/trend", etag).await
    }

    /// Cases changed after `since`.
    pub async fn changes(
        &self,
        since: i64,
        etag: Option<&str>,
    ) -> Result<Fetched<Changes>, ClientError> {
        self.get(&format!("/v1/changes?since={since}&limit=1000"), etag)
            .await
    }

    /// The wallboard's counts.
    pub async fn stats(&self) -> Result<Stats, ClientError> {
        self.get_value("/v1/stats").await
    }

    /// A server-side search.
    pub async fn search(&self, q: &str) -> Result<SearchResults, ClientError> {
        let q: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
        self.get_value(&format!("/v1/search?q={q}")).await
    }

    /// The RMA list (at most 500); `query` is the query string without `?`.
    pub async fn rmas(&self, query: &str) -> Result<Vec<Rma>, ClientError> {
        self.get_value(&format!("/v1/rmas?{query}")).await
    }

    /// The entitlement of a serial number.
    pub async fn entitlement(&self, serial: &str) -> Result<Entitlement, ClientError> {
        let serial: String = form_urlencoded::byte_serialize(serial.as_bytes()).collect();
        self.get_value(&format!("/v1/entitlements/{serial}")).await
    }

    /// Changes a case.
    pub async fn patch_case(
        &self,
        number: &CaseNumber,
        patch: &CasePatch,
        version: i64,
    ) -> Result<Case, ClientError> {
        let path = format!("/v1/cases/{number}");
        self.send(Method::PATCH, &path, patch, Some(version), None)
            .await
    }

    /// Adds a note.
    pub async fn add_note(
        &self,
        number: &CaseNumber,
        note: &NewNote,
        version: i64,
        key: &str,
    ) -> Result<Note, ClientError> {
        let path = format!("/v1/cases/{number}/notes");
        self.send(Method::POST, &path, note, Some(version), Some(key))
            .await
    }

    /// Requests an escalation.
    pub async fn escalate(
        &self,
        number: &CaseNumber,
        escalation: &NewEscalation,
        version: i64,
        key: &str,
    ) -> Result<Escalation, ClientError> {
        let path = format!("/v1/cases/{number}/escalations");
        self.send(Method::POST, &path, escalation, Some(version), Some(key))
            .await
    }

    /// Escalations in the given states (`requested,acknowledged` for a lead's queue).
    pub async fn escalations(&self, states: &str) -> Result<Vec<Escalation>, ClientError> {
        self.get_value(&format!("/v1/escalations?state={states}"))
            .await
    }

    /// A lead acknowledges, resolves or declines an escalation.
    pub async fn patch_escalation(
        &self,
        id: i64,
        patch: &EscalationPatch,
    ) -> Result<Escalation, ClientError> {
        let path = format!("/v1/escalations/{id}");
        self.send(Method::PATCH, &path, patch, None, None).await
    }

    /// Creates an RMA on a case.
    pub async fn create_rma(
        &self,
        number: &CaseNumber,
        rma: &NewRma,
        version: i64,
        key: &str,
    ) -> Result<Rma, ClientError> {
        let path = format!("/v1/cases/{number}/rmas");
        self.send(Method::POST, &path, rma, Some(version), Some(key))
            .await
    }

    /// Moves an RMA's status forward (or cancels it) and/or sets its analysis request.
    pub async fn patch_rma(
        &self,
        number: &crate::domain::RmaNumber,
        patch: &super::types::RmaPatch,
    ) -> Result<Rma, ClientError> {
        let path = format!("/v1/rmas/{number}");
        self.send(Method::PATCH, &path, patch, None, None).await
    }

    /// One RMA.
    pub async fn rma(&self, number: &crate::domain::RmaNumber) -> Result<Rma, ClientError> {
        self.get_value(&format!("/v1/rmas/{number}")).await
    }

    /// Opens a case; `key` makes a repeat (after a timeout or a crash) open it once.
    pub async fn create_case(&self, case: &NewCase, key: &str) -> Result<Case, ClientError> {
        self.send(Method::POST, "/v1/cases", case, None, Some(key))
            .await
    }

    /// Mail held for an agent (`held`) or that could not be read (`errors`), newest first.
    pub async fn mail_list(&self, which: MailWaiting) -> Result<MailList, ClientError> {
        self.get_value(&format!("/v1/mail/{}", which.as_str()))
            .await
    }

    /// Held and unreadable mail together, newest first.
    pub async fn held_mail(&self) -> Result<MailList, ClientError> {
        let held = self.mail_list(MailWaiting::Held).await?;
        let errors = self.mail_list(MailWaiting::Errors).await?;
        let mut items = held.items;
        items.extend(errors.items);
        items.sort_by_key(|m| std::cmp::Reverse((m.received_at, m.id)));
        Ok(MailList {
            enabled: held.enabled && errors.enabled,
            items,
        })
    }

    /// The original message of mail `id`, byte for byte (untrusted: clean it before showing).
    pub async fn mail_raw(&self, id: i64) -> Result<Vec<u8>, ClientError> {
        let url = self.url(&format!("/v1/mail/{id}/raw"));
        let response = self.execute(|| self.http.get(&url), true).await?;
        let response = self.check(response).await?;
        let bytes = response.bytes().await.map_err(|e| self.transport(e))?;
        self.traffic
            .bytes
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(bytes.to_vec())
    }

    /// Releases held mail `id` into a case as the customer's note; the mail as it is now.
    pub async fn release_mail(
        &self,
        id: i64,
        release: &MailRelease,
    ) -> Result<HeldMail, ClientError> {
        // Not repeatable on a timeout: a second release is refused (409), not applied twice.
        self.send(
            Method::POST,
            &format!("/v1/mail/{id}/release"),
            release,
            None,
            None,
        )
        .await
    }

    /// Discards held or unreadable mail `id`; the mail as it is now.
    pub async fn discard_mail(&self, id: i64) -> Result<HeldMail, ClientError> {
        self.send(
            Method::POST,
            &format!("/v1/mail/{id}/discard"),
            &serde_json::json!({}),
            None,
            None,
        )
        .await
    }

    /// Follows `/v1/events` from after `last_id` (or from now). The stream ends when the
    /// connection drops or stays silent past three heartbeats.
    pub async fn events(
        &self,
        last_id: Option<i64>,
    ) -> Result<impl Stream<Item = LiveEvent> + Send + use<>, ClientError> {
        let url = self.url("/v1/events");
        let response = self
            .execute(
                || {
                    let req = self
                        .stream_http
                        .get(&url)
                        .header("accept", "text/event-stream");
                    match last_id {
                        Some(id) => req.header("last-event-id", id.to_string()),
                        None => req,
                    }
                },
                true,
            )
            .await?;
        let response = self.check(response).await?;
        let traffic = Arc::clone(&self.traffic);
        let bytes = response.bytes_stream().map(move |chunk| {
            if let Ok(c) = &chunk {
                traffic.bytes.fetch_add(c.len() as u64, Ordering::Relaxed);
            }
            chunk
        });
        let events = eventsource_stream::Eventsource::eventsource(bytes)
            .take_while(|e| std::future::ready(e.is_ok()))
            .filter_map(|e| {
                std::future::ready(e.ok().and_then(|e| {
                    Some(LiveEvent {
                        seq: e.id.trim().parse().ok()?,
                        kind: e.event,
                        data: e.data,
                    })
                }))
            });
        Ok(events)
    }

    /// The install base, by serial number; `expired` keeps lapsed (true) or active (false)
    /// contracts only.
    pub async fn entitlements(
        &self,
        expired: Option<bool>,
    ) -> Result<Vec<Entitlement>, ClientError> {
        let path = match expired {
            None => "/v1/entitlements".to_string(),
            Some(e) => format!("/v1/entitlements?expired={e}"),
        };
        self.get_value(&path).await
    }

    /// Imports install-base rows (admin only). A batch with a refused row and `skip_bad` false
    /// is answered 422 with the report: that comes back as `Ok` with `applied: false`.
    pub async fn import_entitlements(
        &self,
        rows: &[super::EntitlementRow],
        skip_bad: bool,
    ) -> Result<super::ImportReport, ClientError> {
        #[derive(Serialize)]
        struct Body<'a> {
            rows: &'a [super::EntitlementRow],
            skip_bad: bool,
        }
        let url = self.url("/v1/entitlements/import");
        let body = serde_json::to_vec(&Body { rows, skip_bad })
            .map_err(|e| ClientError::Setup(e.to_string()))?;
        // An import is idempotent (the same rows again are unchanged), so a timeout may retry.
        let response = self
            .execute(
                || {
                    self.http
                        .post(&url)
                        .header("content-type", "application/json")
                        .body(body.clone())
                },
                true,
            )
            .await?;
        let is_report = response.status() == StatusCode::UNPROCESSABLE_ENTITY
            && header_text(response.headers(), reqwest::header::CONTENT_TYPE)
                .is_some_and(|t| t.starts_with("application/json"));
        if is_report {
            return self.body(response).await;
        }
        let response = self.check(response).await?;
        self.body(response).await
    }
}

/// Which of the mail waiting for agents to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailWaiting {
    /// Held: the sender may not update the case by mail.
    Held,
    /// Unreadable: it could not be parsed.
    Errors,
}

impl MailWaiting {
    /// The path word: `held` or `errors`.
    pub fn as_str(self) -> &'static str {
        match self {
            MailWaiting::Held => "held",
            MailWaiting::Errors => "errors",
        }
    }
}

/// The delay before retry `attempt` (0-based): 250 ms doubling to at most 4 s, with full
/// jitter over its upper half so clients that failed together do not retry together.
pub fn backoff(attempt: u32) -> Duration {
    let ceiling = 250u64.saturating_mul(1 << attempt.min(4)).min(4_000);
    let jitter: u64 = rand::random_range(0..=ceiling / 2);
    Duration::from_millis(ceiling / 2 + jitter)
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = header_text(headers, RETRY_AFTER)?;
    if let Ok(secs) = text.trim().parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(text.trim()).ok()?;
    let wait = at.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

fn header_text(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// A fresh `Idempotency-Key`: a write sent again with it is applied once.
pub fn idempotency_key() -> String {
    format!("cdk-{:032x}", rand::random::<u128>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_a_ceiling_with_jitter() {
        for attempt in 0..10 {
            let d = backoff(attempt).as_millis() as u64;
            let ceiling = (250u64 << attempt.min(4)).min(4000);
            assert!(d >= ceiling / 2 && d <= ceiling, "{attempt}: {d}");
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
    }
}
