//! The team's macros: read by everyone, edited by leads and admins (`/v1/macros`).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::api::{Macro, MacroSet, check_macro_name};
use crate::server::http::{ApiError, ApiJson, ApiPath, IfMatch, json_with_etag};
use crate::server::roles::{Allowed, EditMacros};
use crate::server::state::AppState;
use crate::server::store::{self, Caller, StoreError};

/// The set's ETag at a version.
fn etag(version: i64) -> String {
    format!("\"v{version}\"")
}

/// The 412 of a change made against an older set.
fn stale(current: i64, expected: i64) -> ApiError {
    ApiError::new(
        StatusCode::PRECONDITION_FAILED,
        "stale-version",
        "The macros changed since you read them",
        format!(
            "the macros are at {}, not {}: read them again (GET /v1/macros) and reapply your change",
            etag(current),
            etag(expected)
        ),
    )
    .field("If-Match")
}

/// The precondition of a change, checked in its transaction: `Ok(Err(..))` when stale.
fn unchanged(
    tx: &rusqlite::Connection,
    condition: Option<&IfMatch>,
) -> Result<Result<(), (i64, i64)>, StoreError> {
    let Some(condition) = condition else {
        return Ok(Ok(()));
    };
    let current = store::macro_version(tx)?;
    let expected = condition.expected(|| Ok(current))?;
    Ok(if expected == current {
        Ok(())
    } else {
        Err((current, expected))
    })
}

/// A macro name from the path, or a 400 naming the expected form.
fn path_name(name: &str) -> Result<(), ApiError> {
    check_macro_name(name).map_err(|e| ApiError::bad_request("name", e.detail))
}

/// The team's macros, by name, with the set's ETag (`"v<version>"`).
#[utoipa::path(get, path = "/v1/macros", tag = "macros",
    responses((status = 200, body = MacroSet, description = "Every macro, sorted by name; the ETag names the set's version")))]
pub async fn list_macros(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (set, version) = state.read(|conn, _| store::macro_set(conn)).await?;
    Ok(json_with_etag(
        &headers,
        Some(etag(version)),
        StatusCode::OK,
        &set,
    ))
}

/// Replaces the whole set (lead or admin). Every macro is checked: its name, texts of at most
/// 16 KiB whose placeholders are all known, some text or change, a reason with a priority.
#[utoipa::path(put, path = "/v1/macros", tag = "macros", request_body = MacroSet,
    params(("If-Match" = String, Header, description = "The set's ETag from GET /v1/macros (e.g. \"v3\"), or * to replace whatever is there")),
    responses((status = 200, body = MacroSet, description = "Stored; the ETag names the new version"),
        (status = 412, body = crate::api::Problem, content_type = "application/problem+json", description = "The macros changed since the ETag in If-Match")))]
pub async fn put_macros(
    State(state): State<AppState>,
    Allowed { caller, .. }: Allowed<EditMacros>,
    headers: HeaderMap,
    ApiJson(set): ApiJson<MacroSet>,
) -> Result<Response, ApiError> {
    let condition = crate::server::http::if_match(&headers)?;
    let clock = state.clock();
    let answer = state
        .write(move |tx, _| {
            if let Err(stale) = unchanged(tx, Some(&condition))? {
                return Ok(Err(stale));
            }
            store::replace_macros(tx, &set, &caller.name, clock.now())?;
            Ok(Ok(store::macro_set(tx)?))
        })
        .await?;
    let (set, version) = answer.map_err(|(current, expected)| stale(current, expected))?;
    Ok(json_with_etag(
        &HeaderMap::new(),
        Some(etag(version)),
        StatusCode::OK,
        &set,
    ))
}

/// Creates or replaces one macro (lead or admin); the body's `name` is the path's.
#[utoipa::path(put, path = "/v1/macros/{name}", tag = "macros", request_body = Macro,
    params(("name" = String, Path, pattern = "^[a-z0-9][a-z0-9-]{0,47}$", description = "The macro's name"),
        ("If-Match" = Option<String>, Header, description = "The set's ETag (e.g. \"v3\") or *; without it the change is unconditional")),
    responses((status = 200, body = Macro, description = "Replaced; the ETag names the set's new version"),
        (status = 201, body = Macro, description = "Created; the ETag names the set's new version"),
        (status = 412, body = crate::api::Problem, content_type = "application/problem+json", description = "The macros changed since the ETag in If-Match")))]
pub async fn put_macro(
    State(state): State<AppState>,
    Allowed { caller, .. }: Allowed<EditMacros>,
    ApiPath(name): ApiPath<String>,
    headers: HeaderMap,
    ApiJson(m): ApiJson<Macro>,
) -> Result<Response, ApiError> {
    path_name(&name)?;
    if m.name != name {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-value",
            "Invalid value",
            format!(
                "the body's name '{}' is not the path's '{name}': expected the same name",
                crate::sanitize::clean(&m.name, true)
            ),
        )
        .field("name"));
    }
    let condition = super::held_by_case(&headers)?;
    let clock = state.clock();
    let answer = state
        .write(move |tx, _| {
            if let Err(stale) = unchanged(tx, condition.as_ref())? {
                return Ok(Err(stale));
            }
            let (created, version) = store::put_macro(tx, &m, &caller.name, clock.now())?;
            Ok(Ok((m, created, version)))
        })
        .await?;
    let (m, created, version) = answer.map_err(|(current, expected)| stale(current, expected))?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(json_with_etag(
        &HeaderMap::new(),
        Some(etag(version)),
        status,
        &m,
    ))
}

/// Deletes one macro (lead or admin); the shipped defaults are not put back.
#[utoipa::path(delete, path = "/v1/macros/{name}", tag = "macros",
    params(("name" = String, Path, pattern = "^[a-z0-9][a-z0-9-]{0,47}$", description = "The macro's name"),
        ("If-Match" = Option<String>, Header, description = "The set's ETag (e.g. \"v3\") or *; without it the change is unconditional")),
    responses((status = 204, description = "Deleted"),
        (status = 412, body = crate::api::Problem, content_type = "application/problem+json", description = "The macros changed since the ETag in If-Match")))]
pub async fn delete_macro(
    State(state): State<AppState>,
    Allowed { caller, .. }: Allowed<EditMacros>,
    ApiPath(name): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    path_name(&name)?;
    let condition = super::held_by_case(&headers)?;
    let clock = state.clock();
    let answer = state
        .write(move |tx, _| {
            if let Err(stale) = unchanged(tx, condition.as_ref())? {
                return Ok(Err(stale));
            }
            Ok(Ok(store::delete_macro(
                tx,
                &name,
                &caller.name,
                clock.now(),
            )?))
        })
        .await?;
    let version = answer.map_err(|(current, expected)| stale(current, expected))?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&etag(version)) {
        response.headers_mut().insert(axum::http::header::ETAG, v);
    }
    Ok(response)
}
