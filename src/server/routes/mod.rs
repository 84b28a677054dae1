//! The routes of the case API (SPEC §4).

pub(crate) mod cases;
pub(crate) mod entitlements;
pub(crate) mod meta;
pub(crate) mod work;

use axum::Router;
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use chrono::Utc;
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
        .route("/v1/changes", get(meta::changes))
        .route("/v1/events", get(super::events::stream))
        .route("/v1/people", get(meta::people))
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

/// The instant a request acts at, to the millisecond the store keeps.
pub(crate) fn now() -> chrono::DateTime<Utc> {
    chrono::SubsecRound::trunc_subsecs(Utc::now(), 3)
}

/// A case number from the path, or a 400 naming the expected form.
fn case_number(text: &str) -> Result<String, ApiError> {
    text.parse::<CaseNumber>()
        .map(|n| n.to_string())
        .map_err(|e| ApiError::bad_request("number", e.to_string()))
}

/// A POST that adds to a case (a note, an escalation, an RMA): it needs `If-Match` with the
/// case's version and honours `Idempotency-Key`.
async fn add_to_case<T, F>(
    state: &AppState,
    caller: Caller,
    headers: &HeaderMap,
    number: &str,
    what: &str,
    op: F,
) -> Result<Response, ApiError>
where
    T: Serialize + Send + 'static,
    F: FnOnce(&Transaction, &Sla, &str, i64, &Caller) -> Result<T, StoreError> + Send + 'static,
{
    let number = case_number(number)?;
    let expected = super::http::if_match(headers)?;
    let request = format!("POST /v1/cases/{number}/{what}");
    create_once(
        state,
        caller,
        headers,
        request,
        |_| None,
        move |tx, sla, caller| op(tx, sla, &number, expected, caller),
    )
    .await
}

/// Longest `Idempotency-Key` accepted.
const KEY_MAX: usize = 200;

/// Runs a creating write once per `Idempotency-Key`: a retry gets the first response back and
/// changes nothing. `request` names the operation so a key reused for another one is refused.
async fn create_once<T, F>(
    state: &AppState,
    caller: Caller,
    headers: &HeaderMap,
    request: String,
    location: impl FnOnce(&T) -> Option<String> + Send + 'static,
    op: F,
) -> Result<Response, ApiError>
where
    T: Serialize + Send + 'static,
    F: FnOnce(&Transaction, &Sla, &Caller) -> Result<T, StoreError> + Send + 'static,
{
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .map(str::trim)
                .filter(|k| !k.is_empty() && k.len() <= KEY_MAX)
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "Idempotency-Key",
                        format!("expected 1 to {KEY_MAX} printable characters, e.g. a UUID"),
                    )
                })?
                .to_string(),
        ),
    };
    let (status, body, location, replayed) = state
        .write(move |tx, sla| {
            if let Some(key) = &key
                && let Some(first) = store::recall(tx, &caller.name, key)?
            {
                if first.request != request {
                    return Err(StoreError::Conflict {
                        field: "Idempotency-Key",
                        detail: format!("this Idempotency-Key was used for {}: expected a new key for a different request", first.request),
                    });
                }
                return Ok((first.status, first.body, first.location, true));
            }
            let value = op(tx, sla, &caller)?;
            let location = location(&value);
            let body = serde_json::to_string(&value).map_err(|e| StoreError::invalid("body", e.to_string()))?;
            let status = StatusCode::CREATED.as_u16();
            if let Some(key) = &key {
                let first = IdempotentResponse { request, status, body: body.clone(), location: location.clone() };
                store::remember(tx, &caller.name, key, &first, now())?;
            }
            Ok((status, body, location, false))
        })
        .await?;
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
