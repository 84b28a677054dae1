//! `/v1/cases`: the list, one case, opening, changing, and notes.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::header::{CONTENT_TYPE, ETAG};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{Creation, add_to_case, case_number, create_once};
use crate::api::SortColumn;
use crate::api::{Case, CasePatch, CaseSummary, NewCase, NewNote, Note, Page, Problem};
use crate::server::http::ApiPath;
use crate::server::http::{
    ApiError, ApiJson, Params, case_etag, digest, if_match, json_with_etag, not_modified,
};
use crate::server::mail;
use crate::server::roles::{AddNotes, Allowed, ChangeCases, OpenCases};
use crate::server::state::{AppState, CachedPage};
use crate::server::store::{self, Caller, CaseQuery};

const LIST_PARAMS: [&str; 12] = [
    "status",
    "open",
    "priority",
    "owner",
    "mine",
    "tier",
    "site",
    "request_type",
    "q",
    "sort",
    "cursor",
    "limit",
];

fn case_query(params: &Params) -> Result<CaseQuery, ApiError> {
    params.only(&LIST_PARAMS)?;
    let (sort, desc) = params.sort::<SortColumn>(SortColumn::NAMES)?;
    let offset = match params.get("cursor") {
        None => 0,
        Some(c) => c
            .strip_prefix('o')
            .and_then(|n| n.parse::<i64>().ok())
            .and_then(|n| u64::try_from(n).ok())
            .ok_or_else(|| {
                ApiError::bad_request(
                    "cursor",
                    "invalid cursor: expected the next_cursor of a previous page",
                )
            })?,
    };
    Ok(CaseQuery {
        status: params.list("status")?,
        open: params.flag("open")?,
        priority: params.list("priority")?,
        owner: params.get("owner").map(str::to_string),
        mine: params.flag("mine")?,
        tier: params.list("tier")?,
        site: params.get("site").map(str::to_string),
        request_type: params.list("request_type")?,
        q: params.get("q").map(str::to_string),
        sort,
        desc,
        offset,
        limit: params.number("limit", 1, 500)?.unwrap_or(100),
    })
}

/// The case list: filters, sort by any column both ways, cursor pages.
#[utoipa::path(get, path = "/v1/cases", tag = "cases",
    params(
        ("status" = Option<String>, Query, description = "Statuses, comma-separated or repeated"),
        ("open" = Option<bool>, Query, description = "Only cases not resolved or closed"),
        ("priority" = Option<String>, Query, description = "Priorities, e.g. P1,P2"),
        ("owner" = Option<String>, Query, description = "Owner's name; empty for unassigned"),
        ("mine" = Option<bool>, Query, description = "Owned by the caller"),
        ("tier" = Option<String>, Query, description = "Contract tiers"),
        ("site" = Option<String>, Query, description = "Site name or ID"),
        ("request_type" = Option<String>, Query, description = "Request types"),
        ("q" = Option<String>, Query, description = "Words in subject, description, notes, serial, site or contact"),
        ("sort" = Option<String>, Query, description = "A column, optionally with :asc or :desc"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "Rows per page, 1–500 (default 100)"),
    ),
    responses((status = 200, body = Page<CaseSummary>), (status = 304)))]
pub async fn list_cases(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let query = case_query(&params)?;
    // The page depends only on the query, the caller (for `mine`) and the data's sequence.
    let key = format!(
        "{}|{}",
        raw.as_deref().unwrap_or_default(),
        if query.mine { caller.name.as_str() } else { "" }
    );
    let seq = state.seq();
    let etag = format!("W/\"s{seq}-{:x}\"", digest(&key));
    if not_modified(&headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, [(ETAG, etag)]).into_response());
    }
    if let Some(page) = state.cached_page(&key) {
        return Ok(page_response(page.body, &etag));
    }
    let page = state
        .read(move |conn, _| store::list_cases(conn, &query, &caller))
        .await?;
    let body = Bytes::from(serde_json::to_vec(&page).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            e.to_string(),
        )
    })?);
    state.cache_page(
        key,
        CachedPage {
            seq,
            body: body.clone(),
        },
    );
    Ok(page_response(body, &etag))
}

fn page_response(body: Bytes, etag: &str) -> Response {
    let mut response = (StatusCode::OK, [(CONTENT_TYPE, "application/json")], body).into_response();
    if let Ok(v) = HeaderValue::from_str(etag) {
        response.headers_mut().insert(ETAG, v);
    }
    response
}

/// One case with notes, history, escalations, RMAs and its clocks computed now.
#[utoipa::path(get, path = "/v1/cases/{number}", tag = "cases",
    params(("number" = String, Path, description = "Case number, with or without dashes")),
    responses((status = 200, body = Case), (status = 304)))]
pub async fn get_case(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
) -> Result<Response, ApiError> {
    let clock = state.clock();
    let number = case_number(&number)?;
    let inm = headers.clone();
    let mail = state.mail().cloned();
    let found = state
        .read(move |conn, sla| {
            let (version, change_seq) = store::case_tag(conn, &number)?;
            let etag = case_etag(version, change_seq);
            if not_modified(&inm, &etag) {
                return Ok((etag, None));
            }
            let mut case = store::get_case(conn, sla, &number, clock.now())?;
            // Every change of the case's mail moves its change sequence (a `mail.updated`
            // event), so the ETag covers this too.
            if let Some(config) = &mail {
                case.mail = mail::outbox::case_mail(conn, &number, config)?;
            }
            Ok((etag, Some(case)))
        })
        .await?;
    Ok(match found {
        (etag, None) => (StatusCode::NOT_MODIFIED, [(ETAG, etag)]).into_response(),
        (etag, Some(case)) => json_with_etag(&headers, Some(etag), StatusCode::OK, &case),
    })
}

/// Opens a case; the number is assigned and the clocks start.
#[utoipa::path(post, path = "/v1/cases", tag = "cases", request_body = NewCase,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = Case)))]
pub async fn create_case(
    State(state): State<AppState>,
    Allowed { caller, .. }: Allowed<OpenCases>,
    headers: HeaderMap,
    ApiJson(new): ApiJson<NewCase>,
) -> Result<Response, ApiError> {
    let clock = state.clock();
    create_once(
        &state,
        caller,
        &headers,
        Creation::new("POST /v1/cases".into(), &new)?,
        |case: &Case| Some(format!("/v1/cases/{}", case.summary.number)),
        move |tx, sla, caller| store::create_case(tx, sla, &new, caller, clock.now()),
    )
    .await
}

/// Changes priority (with a reason), status (closing needs a reason), owner, tier or fields.
#[utoipa::path(patch, path = "/v1/cases/{number}", tag = "cases", request_body = CasePatch,
    params(("number" = String, Path), ("If-Match" = String, Header)),
    responses((status = 200, body = Case), (status = 409, body = Problem, content_type = "application/problem+json", description = "A change the case's state does not allow")))]
pub async fn patch_case(
    State(state): State<AppState>,
    Allowed { caller, .. }: Allowed<ChangeCases>,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    ApiJson(patch): ApiJson<CasePatch>,
) -> Result<Response, ApiError> {
    let clock = state.clock();
    let number = case_number(&number)?;
    let condition = if_match(&headers)?;
    let (case, change_seq) = state
        .write(move |tx, sla| {
            let expected = condition.expected(|| Ok(store::case_tag(tx, &number)?.0))?;
            let case = store::patch_case(tx, sla, &number, &patch, expected, &caller, clock.now())?;
            Ok((case, store::case_tag(tx, &number)?.1))
        })
        .await?;
    let etag = case_etag(case.summary.version, change_seq);
    Ok(json_with_etag(
        &HeaderMap::new(),
        Some(etag),
        StatusCode::OK,
        &case,
    ))
}

/// Adds a note (or a logged call, or a failed contact attempt); the author is the token's name.
#[utoipa::path(post, path = "/v1/cases/{number}/notes", tag = "cases", request_body = NewNote,
    params(("number" = String, Path), ("If-Match" = String, Header), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = Note)))]
pub async fn add_note(
    State(state): State<AppState>,
    Allowed { caller, .. }: Allowed<AddNotes>,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    ApiJson(new): ApiJson<NewNote>,
) -> Result<Response, ApiError> {
    let clock = state.clock();
    add_to_case(
        &state,
        caller,
        &headers,
        &number,
        "notes",
        new,
        move |tx, sla, number, expected, caller, new| {
            store::add_note(tx, sla, number, &new, expected, caller, clock.now())
        },
    )
    .await
}
