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
            StoreError::TooLarge { field, .. } => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "Too large",
                detail,
            )
            .field(field),
            StoreError::Db(_)
            | StoreError::Sqlite(_)
            | StoreError::Clock(_)
            | StoreError::Disk(_) => ApiError::new(
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

/// `304 Not Modified` with its ETag: for reads that know their ETag before any work.
pub fn not_modified_response(etag: &str) -> Response {
    etagged(StatusCode::NOT_MODIFIED.into_response(), etag)
}

fn etagged(mut response: Response, etag: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(etag) {
        response.headers_mut().insert(ETAG, v);
    }
    response
}

/// What `If-Match` asks of a case (RFC 9110 §13.1.1): any current version, or one of the
/// versions its entity-tags name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    /// `*`: whatever version the case has now.
    Any,
    /// The versions of the listed entity-tags, in order; never empty.
    Versions(Vec<i64>),
}

impl IfMatch {
    /// The version to write against: the one named when it is alone, else the current one
    /// (read by `current`) when it is matched, else the first named, which the store refuses
    /// as stale (412).
    pub fn expected(
        &self,
        current: impl FnOnce() -> Result<i64, StoreError>,
    ) -> Result<i64, StoreError> {
        match self {
            IfMatch::Any => current(),
            IfMatch::Versions(list) => match list.as_slice() {
                [only] => Ok(*only),
                _ => {
                    let now = current()?;
                    Ok(list
                        .first()
                        .copied()
                        .filter(|_| !list.contains(&now))
                        .unwrap_or(now))
                }
            },
        }
    }
}

/// The precondition of a case write, from `If-Match`: `*`, or one or more of the case's
/// ETags (`W/"v7-s120"`, `"v7"`); missing is 428, anything else 400.
pub fn if_match(headers: &HeaderMap) -> Result<IfMatch, ApiError> {
    let mut lines = headers.get_all(IF_MATCH).iter().peekable();
    if lines.peek().is_none() {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "if-match-required",
            "If-Match is required",
            "send If-Match with the case's ETag (e.g. If-Match: \"v7\") so concurrent changes are not lost",
        )
        .field("If-Match"));
    }
    // Several field lines are one comma-separated list (RFC 9110 §5.3).
    let mut text = String::new();
    for line in lines {
        let line = line.to_str().map_err(|_| {
            invalid_if_match("If-Match has characters outside visible ASCII".into())
        })?;
        if !text.is_empty() {
            text.push_str(", ");
        }
        text.push_str(line);
    }
    parse_if_match(&text).map_err(|why| {
        invalid_if_match(format!(
            "If-Match '{text}': {why}; expected * or the case's ETag, e.g. \"v7\""
        ))
    })
}

fn invalid_if_match(detail: String) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "invalid-if-match",
        "If-Match is not a case ETag",
        detail,
    )
    .field("If-Match")
}

/// Parses an `If-Match` value exactly: `*` or a list of entity-tags whose opaque part is a
/// case's `v<version>` or `v<version>-s<sequence>`; the error says what is wrong.
pub fn parse_if_match(text: &str) -> Result<IfMatch, String> {
    const OWS: [char; 2] = [' ', '\t'];
    let text = text.trim_matches(OWS);
    if text == "*" {
        return Ok(IfMatch::Any);
    }
    let mut versions = Vec::new();
    let mut rest = text;
    loop {
        // Empty list elements are allowed and ignored (RFC 9110 §5.6.1.2).
        rest = rest.trim_start_matches([' ', '\t', ',']);
        if rest.is_empty() {
            break;
        }
        if rest.starts_with('*') {
            return Err("* cannot be listed with entity-tags".into());
        }
        let quoted = rest.strip_prefix("W/").unwrap_or(rest);
        let Some(opaque) = quoted.strip_prefix('"') else {
            return Err("an entity-tag is quoted (\"v7\" or W/\"v7\")".into());
        };
        let Some(end) = opaque.find('"') else {
            return Err("an entity-tag has no closing quote".into());
        };
        versions.push(case_version(&opaque[..end])?);
        rest = opaque[end + 1..].trim_start_matches(OWS);
        if !rest.is_empty() && !rest.starts_with(',') {
            return Err("entity-tags are separated by commas".into());
        }
    }
    if versions.is_empty() {
        return Err("no entity-tag given".into());
    }
    Ok(IfMatch::Versions(versions))
}

/// The version in a case ETag's opaque part: `v7` or `v7-s120`, digits only.
fn case_version(opaque: &str) -> Result<i64, String> {
    let number = |digits: &str| {
        Some(digits)
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse::<i64>().ok())
    };
    let wrong =
        || format!("\"{opaque}\" is not a case ETag (v<version> or v<version>-s<sequence>)");
    let body = opaque.strip_prefix('v').ok_or_else(wrong)?;
    let (version, sequence) = match body.split_once("-s") {
        Some((version, sequence)) => (version, Some(sequence)),
        None => (body, None),
    };
    if sequence.is_some_and(|s| number(s).is_none()) {
        return Err(wrong());
    }
    number(version).ok_or_else(wrong)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn versions(list: &[i64]) -> Result<IfMatch, String> {
        Ok(IfMatch::Versions(list.to_vec()))
    }

    #[test]
    fn if_match_takes_case_etags_strong_or_weak() {
        assert_eq!(parse_if_match("\"v7\""), versions(&[7]));
        assert_eq!(parse_if_match("W/\"v7-s120\""), versions(&[7]));
        assert_eq!(parse_if_match(" \"v12-s3\" "), versions(&[12]));
        assert_eq!(parse_if_match(&case_etag(9, 44)), versions(&[9]));
    }

    #[test]
    fn if_match_star_is_any_version() {
        assert_eq!(parse_if_match("*"), Ok(IfMatch::Any));
        assert_eq!(parse_if_match(" * "), Ok(IfMatch::Any));
    }

    #[test]
    fn if_match_takes_a_list_with_empty_elements() {
        assert_eq!(parse_if_match("\"v3\", W/\"v4-s9\""), versions(&[3, 4]));
        assert_eq!(parse_if_match(", \"v3\",,\"v5\","), versions(&[3, 5]));
    }

    #[test]
    fn if_match_refuses_what_is_not_exactly_a_case_etag() {
        for bad in [
            "\"v9garbage\"",
            "\"v9-sx\"",
            "\"v9-s\"",
            "\"v9-s12x\"",
            "\"v9-s1-s2\"",
            "\"v\"",
            "\"v+9\"",
            "\"v-9\"",
            "\"9\"",
            "9",
            "v9",
            "\"v9",
            "W/v9",
            "w/\"v9\"",
            "\"v9\" \"v10\"",
            "\"v9\"x",
            "*, \"v9\"",
            "\"v9\", *",
            "",
            " , ",
            "\"v99999999999999999999\"",
        ] {
            assert!(parse_if_match(bad).is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn if_match_header_missing_is_428_malformed_is_400() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            if_match(&headers).map_err(|e| e.status()),
            Err(StatusCode::PRECONDITION_REQUIRED)
        );
        headers.insert(IF_MATCH, HeaderValue::from_static("\"v9garbage\""));
        assert_eq!(
            if_match(&headers).map_err(|e| e.status()),
            Err(StatusCode::BAD_REQUEST)
        );
        // Two field lines are one list.
        headers.insert(IF_MATCH, HeaderValue::from_static("\"v2\""));
        headers.append(IF_MATCH, HeaderValue::from_static("W/\"v3-s1\""));
        assert_eq!(
            if_match(&headers).map_err(|e| e.status()),
            Ok(IfMatch::Versions(vec![2, 3]))
        );
    }

    #[test]
    fn the_expected_version_is_the_current_one_when_matched() {
        let current = |v: i64| move || Ok::<_, StoreError>(v);
        let one = IfMatch::Versions(vec![4]);
        assert_eq!(one.expected(|| unreachable!()).ok(), Some(4));
        assert_eq!(IfMatch::Any.expected(current(6)).ok(), Some(6));
        let list = IfMatch::Versions(vec![3, 6]);
        assert_eq!(list.expected(current(6)).ok(), Some(6));
        // Not matched: the first named, which the store refuses as stale.
        assert_eq!(list.expected(current(8)).ok(), Some(3));
    }
}
