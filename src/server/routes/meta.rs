//! Search, entitlements, the engine's data, counts, the change feed, tokens and health.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::api::{
    Changes, Entitlement, Identity, Person, Problem, Role, SearchResults, Stats, TokenInfo,
};
use crate::server::http::{ApiError, ApiJson, ApiPath, Params, json_with_etag};
use crate::server::roles::{Allowed, ManageTokens};
use crate::server::state::AppState;
use crate::server::store::{self, Caller};
use crate::sla::CalendarSpec;

/// Liveness and the newest change sequence; no token needed.
#[utoipa::path(get, path = "/healthz", tag = "meta", responses((status = 200, description = "The server is up")))]
pub async fn healthz(State(state): State<AppState>) -> Response {
    axum::Json(serde_json::json!({ "status": "ok", "seq": state.seq(), "journal": state.db().journal_mode() })).into_response()
}

/// Who the token belongs to and what it may do, and the server's stable id (so a client
/// sends what it queued for this server to this server only).
#[utoipa::path(get, path = "/v1/me", tag = "meta", responses((status = 200, body = Identity)))]
pub async fn me(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let server_id = state
        .read(|conn, _| {
            Ok(conn.query_row(
                "SELECT value FROM server_meta WHERE key = 'server_id'",
                [],
                |r| r.get::<_, String>(0),
            )?)
        })
        .await?;
    Ok(axum::Json(Identity {
        name: caller.name,
        role: caller.role,
        server_id: Some(server_id),
    })
    .into_response())
}

/// Finds cases by number (with or without dashes), RMA number, serial number or keywords.
#[utoipa::path(get, path = "/v1/search", tag = "cases",
    params(("q" = String, Query, min_length = 1, description = "A case number, RMA number, serial number or words"), ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "1–200 (default 50)")),
    responses((status = 200, body = SearchResults)))]
pub async fn search(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let clock = state.clock();
    let params = Params::parse(raw.as_deref());
    params.only(&["q", "limit"])?;
    let q = params
        .get("q")
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .ok_or_else(|| {
            ApiError::bad_request(
                "q",
                "search needs q: a case number, RMA number, serial number or words",
            )
        })?
        .to_string();
    let limit = params.number("limit", 1, 200)?.unwrap_or(50);
    let found = state
        .read(move |conn, _| store::search(conn, &q, clock.now(), limit))
        .await?;
    Ok(json_with_etag(&headers, None, StatusCode::OK, &found))
}

/// The support contract of a serial number.
#[utoipa::path(get, path = "/v1/entitlements/{serial}", tag = "cases",
    params(("serial" = String, Path)),
    responses((status = 200, body = Entitlement)))]
pub async fn entitlement(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
    ApiPath(serial): ApiPath<String>,
) -> Result<Response, ApiError> {
    let clock = state.clock();
    let found = state
        .read(move |conn, _| {
            store::entitlement(conn, &serial, clock.now())?.ok_or(store::StoreError::NotFound {
                what: "entitlement for serial",
                id: serial,
            })
        })
        .await?;
    Ok(json_with_etag(&headers, None, StatusCode::OK, &found))
}

/// The SLA policies the server computes clocks with.
#[utoipa::path(get, path = "/v1/policies", tag = "meta", responses((status = 200, description = "Site calendar, clock settings and targets by tier")))]
pub async fn policies(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
) -> Response {
    json_with_etag(&headers, None, StatusCode::OK, &state.sla().policies)
}

/// The calendars, in the shape of their TOML definitions.
#[utoipa::path(get, path = "/v1/calendars", tag = "meta", responses((status = 200, description = "Every calendar with zone, hours and holidays")))]
pub async fn calendars(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
) -> Response {
    let specs: Vec<CalendarSpec> = state.sla().calendars.iter().map(|c| c.spec()).collect();
    json_with_etag(&headers, None, StatusCode::OK, &specs)
}

/// Counts for the wallboard.
#[utoipa::path(get, path = "/v1/stats", tag = "meta", responses((status = 200, body = Stats)))]
pub async fn stats(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let clock = state.clock();
    let stats = state
        .read(move |conn, _| store::stats(conn, clock.now()))
        .await?;
    Ok(json_with_etag(&headers, None, StatusCode::OK, &stats))
}

/// The change feed: cases changed after `since`, and the sequence to ask from next.
#[utoipa::path(get, path = "/v1/changes", tag = "meta",
    params(("since" = Option<i64>, Query, description = "The seq of the previous answer (0: everything)"), ("limit" = Option<u32>, Query, minimum = 1, maximum = 1000, description = "1–1000 (default 500)")),
    responses((status = 200, body = Changes)))]
pub async fn changes(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["since", "limit"])?;
    let since = params.number("since", 0, i64::MAX)?.unwrap_or(0);
    let limit = params.number("limit", 1, 1000)?.unwrap_or(500);
    if since == state.seq() {
        // Nothing new: answer without touching the database.
        return Ok(empty_changes(&headers, since));
    }
    if since > state.seq() {
        // Either a write just committed and the in-memory sequence has not caught up, or the
        // client knew another database (the server was reset). The database tells which;
        // answering with its lower sequence tells a client to sync afresh.
        let newest = state.read(|conn, _| store::current_seq(conn)).await?;
        return Ok(empty_changes(&headers, since.min(newest)));
    }
    let feed = state
        .read(move |conn, _| store::changes(conn, since, limit))
        .await?;
    Ok(json_with_etag(&headers, None, StatusCode::OK, &feed))
}

/// A change-feed answer with nothing in it, at `seq`.
fn empty_changes(headers: &HeaderMap, seq: i64) -> Response {
    let empty = Changes {
        cases: Vec::new(),
        removed: Vec::new(),
        seq,
        more: false,
    };
    json_with_etag(headers, None, StatusCode::OK, &empty)
}

/// The people of the desk: everyone a token was issued to, active while it is unrevoked (the
/// names a case may be assigned to are the active ones who work cases).
#[utoipa::path(get, path = "/v1/people", tag = "meta", responses((status = 200, body = Vec<Person>)))]
pub async fn people(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let people = state.read(|conn, _| store::list_people(conn)).await?;
    Ok(json_with_etag(&headers, None, StatusCode::OK, &people))
}

/// Every token (admin only).
#[utoipa::path(get, path = "/v1/tokens", tag = "tokens", responses((status = 200, body = Vec<TokenInfo>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list_tokens(
    State(state): State<AppState>,
    _admin: Allowed<ManageTokens>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let tokens = state.read(|conn, _| store::list_tokens(conn)).await?;
    Ok(json_with_etag(&headers, None, StatusCode::OK, &tokens))
}

/// A token to create.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// The person.
    pub name: String,
    /// Their role.
    pub role: Role,
}

/// Creates a token (admin only); the secret is in this response and nowhere else.
#[utoipa::path(post, path = "/v1/tokens", tag = "tokens", request_body = NewToken,
    responses((status = 201, description = "{\"name\", \"role\", \"token\"}"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn create_token(
    State(state): State<AppState>,
    _admin: Allowed<ManageTokens>,
    ApiJson(new): ApiJson<NewToken>,
) -> Result<Response, ApiError> {
    let clock = state.clock();
    let (name, role) = (new.name.clone(), new.role);
    let token = state
        .write(move |tx, _| store::create_token(tx, &new.name, new.role, clock.now()))
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(serde_json::json!({ "name": name, "role": role, "token": token })),
    )
        .into_response())
}

/// Revokes a token (admin only).
#[utoipa::path(delete, path = "/v1/tokens/{name}", tag = "tokens", params(("name" = String, Path)),
    responses((status = 204)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    _admin: Allowed<ManageTokens>,
    ApiPath(name): ApiPath<String>,
) -> Result<Response, ApiError> {
    let clock = state.clock();
    state
        .write(move |tx, _| store::revoke_token(tx, &name, clock.now()))
        .await?;
    // Its open event streams end now rather than at their next periodic token check.
    state.token_revoked();
    Ok(StatusCode::NO_CONTENT.into_response())
}
