//! HTTP plumbing: problem documents, JSON and query extraction with clear errors, ETags.

use std::hash::{DefaultHasher, Hash, Hasher};

use axum::extract::{FromRequest, Request};
use axum::http::header::{CONTENT_TYPE, ETAG, IF_MATCH, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::db::DbError;
use super::store::StoreError;
use crate::api::Problem;

/// An error answered as `application/problem+json`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    title: &'static str,
    detail: String,
    field: Option<String>,
}

impl ApiError {
    /// A problem of a given status and stable type.
    pub fn new(
        status: StatusCode,
        kind: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            kind,
            title,
            detail: detail.into(),
            field: None,
        }
    }

    /// Names the request field at fault.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// A bad query parameter or path value.
    pub fn bad_request(field: &str, detail: impl Into<String>) -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid-parameter",
            "Invalid parameter",
            detail,
        )
        .field(field)
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(status = %self.status, detail = %self.detail, "request failed");
        }
        let problem = Problem {
            kind: format!("https://casedesk.dev/problems/{}", self.kind),
            title: self.title.to_string(),
            status: self.status.as_u16(),
            detail: self.detail,
            field: self.field,
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        response.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert("www-authenticate", HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let detail = e.to_string();
        match e {
            StoreError::NotFound { .. } => {
                ApiError::new(StatusCode::NOT_FOUND, "not-found", "Not found", detail)
            }
            StoreError::Invalid { field, .. } => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-value",
                "Invalid value",
                detail,
            )
            .field(field),
            StoreError::Conflict { field, .. } => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                "Not allowed in the current state",
                detail,
            )
            .field(field),
            StoreError::Stale { .. } => ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "stale-version",
                "The case changed since you read it",
                format!("{detail}: read it again and reapply your change"),
            )
            .field("If-Match"),
            StoreError::Forbidden(_) => ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Not allowed for your role",
                detail,
            ),
            StoreError::Db(_) | StoreError::Sqlite(_) | StoreError::Clock(_) => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
                detail,
            ),
        }
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        ApiError::from(StoreError::Db(e))
    }
}

/// A JSON request body whose every failure is a problem document naming what is wrong:
/// 415 without a JSON content type, 413 over [`BODY_LIMIT`](super::BODY_LIMIT), 400 for text
/// that is not JSON, 422 (with the field) for JSON of the wrong shape.
pub struct ApiJson<T>(pub T);

/// How much of an oversized body is read and thrown away before answering 413, so the client
/// gets the answer instead of a connection reset.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        json_body(req, super::BODY_LIMIT).await.map(ApiJson)
    }
}

/// A JSON request body of at most `limit` bytes, refused as [`ApiJson`] refuses; for the few
/// routes whose bodies may be larger than [`BODY_LIMIT`](super::BODY_LIMIT).
pub async fn json_body<T: DeserializeOwned>(req: Request, limit: usize) -> Result<T, ApiError> {
    let is_json = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.starts_with("application/json")
                || ct.split(';').next().is_some_and(|t| t.ends_with("+json"))
        });
    if !is_json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Expected a JSON body",
            "send the body with Content-Type: application/json",
        ));
    }
    let body = read_limited(req.into_body(), limit).await?;
    let value: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed-json",
            "The body is not valid JSON",
            e.to_string(),
        )
    })?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        // A missing member has no path yet: its name is in the message.
        let field = if path == "." {
            message
                .split('`')
                .nth(1)
                .filter(|_| message.starts_with("missing field"))
                .map(str::to_string)
        } else {
            Some(path.clone())
        };
        let detail = if path == "." {
            message
        } else {
            format!("{path}: {message}")
        };
        let e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-body",
            "The body does not fit the expected shape",
            detail,
        );
        match field {
            Some(f) => e.field(f),
            None => e,
        }
    })
}

/// Reads a body of at most `limit` bytes.
async fn read_limited(mut body: axum::body::Body, limit: usize) -> Result<Vec<u8>, ApiError> {
    use http_body_util::BodyExt;
    let mut buf = Vec::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "unreadable-body",
                "The body could not be read",
                e.to_string(),
            )
        })?;
        if let Ok(data) = frame.into_data() {
            total += data.len();
            if total <= limit {
                buf.extend_from_slice(&data);
            } else if total > DRAIN_LIMIT {
                break;
            }
        }
    }
    if total > limit {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body-too-large",
            "The body is too large",
            format!(
                "request bodies are limited to {} MiB",
                limit / (1024 * 1024)
            ),
        ));
    }
    Ok(buf)
}

/// A path parameter whose bad form is a problem document.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> axum::extract::FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| ApiPath(v))
            .map_err(|e| {
                let text = e.body_text();
                // axum names the parameter in backticks: "Invalid UTF-8 in `number`".
                let field = text.split('`').nth(1).map(str::to_string);
                let problem = ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid-path",
                    "Invalid path",
                    text,
                );
                match field {
                    Some(f) => problem.field(f),
                    None => problem,
                }
            })
    }
}

/// A short stable hash for ETags.
pub fn digest(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Whether the request's `If-None-Match` names `etag` (or `*`).
pub fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    let Some(value) = headers.get(IF_NONE_MATCH).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    value
        .split(',')
        .any(|t| t.trim() == "*" || bare(t) == bare(etag))
}

/// A JSON response with an ETag, or `304 Not Modified` when the client already has it.
pub fn json_with_etag(
    headers: &HeaderMap,
    etag: Option<String>,
    status: StatusCode,
    value: &impl Serialize,
) -> Response {
    let body = match serde_json::to_vec(value) {
        Ok(body) => body,
        Err(e) => {
            return ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
                e.to_string(),
            )
            .into_response();
        }
    };
    let etag = etag.unwrap_or_else(|| format!("\"{:016x}\"", digest(&body)));
    if status == StatusCode::OK && not_modified(headers, &etag) {
        return etagged(StatusCode::NOT_MODIFIED.into_response(), &etag);
    }
    let mut response = (
        status,
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body,
    )
        .into_response();
    response = etagged(response, &etag);
    response
}

fn etagged(mut response: Response, etag: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(etag) {
        response.headers_mut().insert(ETAG, v);
    }
    response
}

/// The version a write is conditioned on, from `If-Match`: `"v7"`, `W/"v7-s120"`, `"7"` or `7`.
pub fn if_match(headers: &HeaderMap) -> Result<i64, ApiError> {
    let value = headers.get(IF_MATCH).ok_or_else(|| {
        ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "if-match-required",
            "If-Match is required",
            "send If-Match with the case's ETag or version (e.g. If-Match: \"v7\") so concurrent changes are not lost",
        )
        .field("If-Match")
    })?;
    let text = value
        .to_str()
        .unwrap_or_default()
        .trim()
        .trim_start_matches("W/")
        .trim_matches('"');
    let digits: String = text
        .trim_start_matches('v')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid-if-match",
            "If-Match is not a case version",
            format!("If-Match '{text}': expected the case's ETag or version, e.g. \"v7\""),
        )
        .field("If-Match")
    })
}

/// The ETag of a case at a version and change sequence.
pub fn case_etag(version: i64, change_seq: i64) -> String {
    format!("W/\"v{version}-s{change_seq}\"")
}

/// Parsed query parameters, kept in order, with helpers that explain bad values.
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Parses a raw query string.
    pub fn parse(raw: Option<&str>) -> Params {
        Params(
            form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// Refuses parameters outside `known`.
    pub fn only(&self, known: &[&str]) -> Result<(), ApiError> {
        match self.0.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            Some((k, _)) => Err(ApiError::bad_request(
                k,
                format!(
                    "unknown parameter '{k}': expected one of {}",
                    known.join(", ")
                ),
            )),
            None => Ok(()),
        }
    }

    /// The last value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, repeated or comma-separated, parsed.
    pub fn list<T: std::str::FromStr<Err = crate::domain::ParseError>>(
        &self,
        name: &str,
    ) -> Result<Vec<T>, ApiError> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .filter(|v| !v.trim().is_empty())
            .map(|v| {
                v.parse().map_err(|e: crate::domain::ParseError| {
                    ApiError::bad_request(name, e.to_string())
                })
            })
            .collect()
    }

    /// A flag: present and not `false`/`0`.
    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.get(name) {
            None => Ok(false),
            Some("" | "true" | "1" | "yes") => Ok(true),
            Some("false" | "0" | "no") => Ok(false),
            Some(v) => Err(ApiError::bad_request(
                name,
                format!("invalid {name} '{v}': expected true or false"),
            )),
        }
    }

    /// `sort=COLUMN[:asc|:desc]` as a typed column (a snake_case serde enum) and a direction;
    /// `columns` lists the accepted names for the error message.
    pub fn sort<T: DeserializeOwned + Default>(
        &self,
        columns: &str,
    ) -> Result<(T, bool), ApiError> {
        let Some(text) = self.get("sort") else {
            return Ok((T::default(), false));
        };
        let (column, dir) = text.split_once(':').unwrap_or((text, "asc"));
        let column = serde_json::from_value(serde_json::Value::String(column.to_string()))
            .map_err(|_| {
                ApiError::bad_request(
                    "sort",
                    format!("cannot sort by '{column}': expected {columns}, optionally with :desc"),
                )
            })?;
        match dir {
            "asc" => Ok((column, false)),
            "desc" => Ok((column, true)),
            other => Err(ApiError::bad_request(
                "sort",
                format!("invalid sort direction '{other}': expected asc or desc"),
            )),
        }
    }

    /// A number within bounds.
    pub fn number<T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy>(
        &self,
        name: &str,
        min: T,
        max: T,
    ) -> Result<Option<T>, ApiError> {
        self.get(name)
            .map(|v| {
                v.parse::<T>()
                    .ok()
                    .filter(|n| *n >= min && *n <= max)
                    .ok_or_else(|| {
                        ApiError::bad_request(
                            name,
                            format!("invalid {name} '{v}': expected a number from {min} to {max}"),
                        )
                    })
            })
            .transpose()
    }
}
