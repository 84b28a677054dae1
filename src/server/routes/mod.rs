//! The routes of the case API (SPEC §4).

pub(crate) mod attachments;
pub(crate) mod cases;
pub(crate) mod entitlements;
pub(crate) mod macros;
pub(crate) mod mail;
pub(crate) mod meta;
pub(crate) mod reports;
pub(crate) mod work;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use rusqlite::Transaction;
use serde::Serialize;

use super::http::ApiError;
use super::state::AppState;
use super::store::{self, Caller, IdempotentResponse, Sla, StoreError};
use crate::domain::CaseNumber;

/// Every route of the API.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(meta::healthz))
        .route("/v1/openapi.json", get(super::openapi::document))
        .route("/v1/me", get(meta::me))
        .route("/v1/cases", get(cases::list_cases).post(cases::create_case))
        .route(
            "/v1/cases/{number}",
            get(cases::get_case).patch(cases::patch_case),
        )
        .route("/v1/cases/{number}/notes", post(cases::add_note))
        // Files are streamed under their own limits ([attachments]), not the JSON body limit.
        .route(
            "/v1/cases/{number}/attachments",
            post(attachments::add_attachment).layer(DefaultBodyLimit::disable()),
        )
        .route("/v1/attachments/{id}", get(attachments::get_attachment))
        .route(
            "/v1/cases/{number}/escalations",
            post(work::create_escalation),
        )
        .route("/v1/cases/{number}/rmas", post(work::create_rma))
        .route("/v1/escalations", get(work::list_escalations))
        .route("/v1/escalations/{id}", patch(work::patch_escalation))
        .route("/v1/rmas", get(work::list_rmas))
        .route(
            "/v1/rmas/{number}",
            get(work::get_rma).patch(work::patch_rma),
        )
        .route("/v1/search", get(meta::search))
        .route("/v1/entitlements", get(entitlements::list_entitlements))
        .route(
            "/v1/entitlements/import",
            post(entitlements::import_entitlements),
        )
        .route("/v1/entitlements/{serial}", get(meta::entitlement))
        .route("/v1/policies", get(meta::policies))
        .route("/v1/calendars", get(meta::calendars))
        .route("/v1/stats", get(meta::stats))
        .route("/v1/stats/trend", get(reports::trend))
        .route("/v1/reports/sla", get(reports::sla))
        .route("/v1/reports/response", get(reports::response))
        .route("/v1/reports/backlog", get(reports::backlog))
        .route("/v1/reports/load", get(reports::load))
        .route("/v1/changes", get(meta::changes))
        .route("/v1/events", get(super::events::stream))
        .route("/v1/people", get(meta::people))
        .route(
            "/v1/macros",
            get(macros::list_macros).put(macros::put_macros),
        )
        .route(
            "/v1/macros/{name}",
            axum::routing::put(macros::put_macro).delete(macros::delete_macro),
        )
        .route("/v1/mail/held", get(mail::list_held))
        .route("/v1/mail/errors", get(mail::list_errors))
        .route("/v1/mail/{id}/raw", get(mail::raw_mail))
        .route("/v1/mail/{id}/release", post(mail::release_mail))
        .route("/v1/mail/{id}/discard", post(mail::discard_mail))
        .route(
            "/v1/tokens",
            get(meta::list_tokens).post(meta::create_token),
        )
        .route(
            "/v1/tokens/{name}",
            axum::routing::delete(meta::revoke_token),
        )
        .fallback(|| async {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "no-such-endpoint",
                "No such endpoint",
                "the endpoints are listed in /v1/openapi.json",
            )
        })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Method not allowed",
                "the methods of each endpoint are listed in /v1/openapi.json",
            )
        })
}

/// A case number from the path, or a 400 naming the expected form.
fn case_number(text: &str) -> Result<String, ApiError> {
    CaseNumber::parse_dated(text)
        .map(|n| n.to_string())
        .map_err(|e| ApiError::bad_request("number", e.to_string()))
}

/// The precondition of a change to something a case holds (an RMA, an escalation): its
/// `If-Match`, when sent, names the case's ETag (or `*`); without one the change is
/// unconditional, as the clients that predate the check send none.
fn held_by_case(headers: &HeaderMap) -> Result<Option<super::http::IfMatch>, ApiError> {
    if headers.contains_key(axum::http::header::IF_MATCH) {
        super::http::if_match(headers).map(Some)
    } else {
        Ok(None)
    }
}

/// Refuses (412) a change whose `If-Match` no longer names case `number`'s current version.
fn case_unchanged(
    tx: &Transaction,
    condition: Option<&super::http::IfMatch>,
    number: &str,
) -> Result<(), StoreError> {
    let Some(condition) = condition else {
        return Ok(());
    };
    let current = store::case_tag(tx, number)?.0;
    let expected = condition.expected(|| Ok(current))?;
    if expected != current {
        return Err(StoreError::Stale {
            number: number.to_string(),
            current,
            expected,
        });
    }
    Ok(())
}

/// A POST that adds to a case (a note, an escalation, an RMA): it needs `If-Match` with the
/// case's ETag (or `*`) and honours `Idempotency-Key`.
async fn add_to_case<B, T, F>(
    state: &AppState,
    caller: Caller,
    headers: &HeaderMap,
    number: &str,
    what: &str,
    body: B,
    op: F,
) -> Result<Response, ApiError>
where
    B: Serialize + Send + 'static,
    T: Serialize + Send + 'static,
    F: FnOnce(&Transaction, &Sla, &str, i64, &Caller, B) -> Result<T, StoreError> + Send + 'static,
{
    let number = case_number(number)?;
    let condition = super::http::if_match(headers)?;
    let request = format!("POST /v1/cases/{number}/{what}");
    create_once(
        state,
        caller,
        headers,
        Creation::new(request, &body)?,
        |_| None,
        move |tx, sla, caller| {
            let expected = condition.expected(|| Ok(store::case_tag(tx, &number)?.0))?;
            op(tx, sla, &number, expected, caller, body)
        },
    )
    .await
}

/// A creating request as `Idempotency-Key` tells requests apart: its method and path, and a
/// fingerprint of those and its body.
pub(crate) struct Creation {
    line: String,
    fingerprint: String,
}

impl Creation {
    /// The request `line` ("POST /v1/cases") with `body`, as it was parsed (so two bodies
    /// meaning the same are the same request).
    pub(crate) fn new(line: String, body: &impl Serialize) -> Result<Creation, ApiError> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
                e.to_string(),
            )
        })?;
        let fingerprint = store::fingerprint(&line, &bytes);
        Ok(Creation { line, fingerprint })
    }
}

/// The answer to an `Idempotency-Key` used before for another request (IETF
/// draft-ietf-httpapi-idempotency-key-header: 422).
fn key_reused(first: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency-key-reused",
        "Idempotency-Key used for another request",
        format!(
            "this Idempotency-Key was used for another request ({first}, with its own body): send a new key for a different request"
        ),
    )
    .field("Idempotency-Key")
}

/// Longest `Idempotency-Key` accepted.
const KEY_MAX: usize = 200;

/// The request's `Idempotency-Key`, if it sent one; a malformed one is refused.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    v.to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= KEY_MAX)
        .map(|k| Some(k.to_string()))
        .ok_or_else(|| {
            ApiError::bad_request(
                "Idempotency-Key",
                format!("expected 1 to {KEY_MAX} printable characters, e.g. a UUID"),
            )
        })
}

/// Runs a creating write once per `Idempotency-Key`: a retry gets the first response back and
/// changes nothing; the key reused for another request (method, path or body) is refused.
async fn create_once<T, F>(
    state: &AppState,
    caller: Caller,
    headers: &HeaderMap,
    request: Creation,
    location: impl FnOnce(&T) -> Option<String> + Send + 'static,
    op: F,
) -> Result<Response, ApiError>
where
    T: Serialize + Send + 'static,
    F: FnOnce(&Transaction, &Sla, &Caller) -> Result<T, StoreError> + Send + 'static,
{
    let clock = state.clock();
    let key = idempotency_key(headers)?;
    let answer = state
        .write(move |tx, sla| {
            if let Some(key) = &key
                && let Some(first) = store::recall(tx, &caller.name, key)?
            {
                if !first.answers(&request.line, &request.fingerprint) {
                    return Ok(Err(first.request));
                }
                return Ok(Ok((first.status, first.body, first.location, true)));
            }
            let value = op(tx, sla, &caller)?;
            let location = location(&value);
            let body = serde_json::to_string(&value)
                .map_err(|e| StoreError::invalid("body", e.to_string()))?;
            let status = StatusCode::CREATED.as_u16();
            if let Some(key) = &key {
                let first = IdempotentResponse {
                    request: request.line,
                    fingerprint: Some(request.fingerprint),
                    status,
                    body: body.clone(),
                    location: location.clone(),
                };
                store::remember(tx, &caller.name, key, &first, clock.now())?;
            }
            Ok(Ok((status, body, location, false)))
        })
        .await?;
    let (status, body, location, replayed) = answer.map_err(|first| key_reused(&first))?;
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::CREATED);
    let mut response = (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response();
    if let Some(location) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        response.headers_mut().insert(LOCATION, location);
    }
    if replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}
