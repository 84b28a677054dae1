//! Escalations and RMAs.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::{add_to_case, case_number, case_unchanged, held_by_case};
use crate::api::{Escalation, EscalationPatch, NewEscalation, NewRma, Problem, Rma, RmaPatch};
use crate::domain::RmaNumber;
use crate::server::http::{ApiError, ApiJson, ApiPath, Params, json_with_etag};
use crate::server::roles::{
    Allowed, ChangeRmas, CreateRmas, HandleEscalations, RequestEscalations,
};
use crate::server::state::AppState;
use crate::server::store::{self, Caller, EscalationQuery, RmaQuery, RmaSortColumn};

/// Requests an escalation: faster progress, an engineer now, reassignment or faster RMA.
#[utoipa::path(post, path = "/v1/cases/{number}/escalations", tag = "escalations", request_body = NewEscalation,
    params(("number" = String, Path), ("If-Match" = String, Header), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = Escalation)))]
pub async fn create_escalation(
    State(state): State<AppState>,
    Allowed { caller, .. }: Allowed<RequestEscalations>,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    ApiJson(new): ApiJson<NewEscalation>,
) -> Result<Response, ApiError> {
    let clock = state.clock();
    add_to_case(
        &state,
        caller,
        &headers,
        &number,
        "escalations",
        new,
        move |tx, sla, number, expected, caller, new| {
            store::create_escalation(tx, sla, number, &new, expected, caller, clock.now())
        },
    )
    .await
}

/// The escalation queue (default: requested and acknowledged), oldest first.
#[utoipa::path(get, path = "/v1/escalations", tag = "escalations",
    params(("state" = Option<String>, Query, description = "States, comma-separated")),
    responses((status = 200, body = Vec<Escalation>)))]
pub async fn list_escalations(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["state"])?;
    let query = EscalationQuery {
        state: params.list("state")?,
    };
    let rows = state
        .read(move |conn, _| store::list_escalations(conn, &query))
        .await?;
    Ok(json_with_etag(&headers, None, StatusCode::OK, &rows))
}

/// A lead acknowledges, resolves or declines an escalation.
#[utoipa::path(patch, path = "/v1/escalations/{id}", tag = "escalations", request_body = EscalationPatch,
    params(("id" = i64, Path, description = "The escalation's id"), ("If-Match" = Option<String>, Header, description = "Optional: the ETag of the case it belongs to, or *; when sent and stale, 412")),
    responses((status = 200, body = Escalation), (status = 409, body = Problem, content_type = "application/problem+json", description = "A move the escalation's state does not allow")))]
pub async fn patch_escalation(
    State(state): State<AppState>,
    Allowed { caller, .. }: Allowed<HandleEscalations>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<EscalationPatch>,
) -> Result<Response, ApiError> {
    let clock = state.clock();
    let id: i64 = id.parse().map_err(|_| {
        ApiError::bad_request(
            "id",
            format!("invalid escalation id '{id}': expected a number"),
        )
    })?;
    let condition = held_by_case(&headers)?;
    let escalation = state
        .write(move |tx, sla| {
            case_unchanged(tx, condition.as_ref(), &store::escalation_case(tx, id)?)?;
            store::patch_escalation(tx, sla, id, &patch, &caller, clock.now())
        })
        .await?;
    Ok(json_with_etag(
        &HeaderMap::new(),
        None,
        StatusCode::OK,
        &escalation,
    ))
}

/// Creates an RMA on a case; issued at once unless `issue` is false.
#[utoipa::path(post, path = "/v1/cases/{number}/rmas", tag = "rmas", request_body = NewRma,
    params(("number" = String, Path), ("If-Match" = String, Header), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = Rma)))]
pub async fn create_rma(
    State(state): State<AppState>,
    Allowed { caller, .. }: Allowed<CreateRmas>,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    ApiJson(new): ApiJson<NewRma>,
) -> Result<Response, ApiError> {
    let clock = state.clock();
    add_to_case(
        &state,
        caller,
        &headers,
        &number,
        "rmas",
        new,
        move |tx, sla, number, expected, caller, new| {
            store::create_rma(tx, sla, number, &new, expected, caller, clock.now())
        },
    )
    .await
}

/// The RMA list: filter by status, case, serial, account or overdue; sort by any RMA column.
#[utoipa::path(get, path = "/v1/rmas", tag = "rmas",
    params(
        ("status" = Option<String>, Query), ("case_number" = Option<String>, Query), ("serial_number" = Option<String>, Query),
        ("account" = Option<String>, Query), ("overdue" = Option<bool>, Query),
        ("sort" = Option<String>, Query, description = "A column, optionally with :asc or :desc"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "1–500 (default 200)"),
    ),
    responses((status = 200, body = Vec<Rma>)))]
pub async fn list_rmas(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let clock = state.clock();
    let params = Params::parse(raw.as_deref());
    params.only(&[
        "status",
        "case_number",
        "serial_number",
        "account",
        "overdue",
        "sort",
        "limit",
    ])?;
    let (sort, desc) = params.sort::<RmaSortColumn>(RmaSortColumn::NAMES)?;
    let case_number = params
        .get("case_number")
        .map(|n| {
            case_number(n).map_err(|_| {
                ApiError::bad_request(
                    "case_number",
                    format!(
                        "invalid case_number '{n}': expected a case number like 2026-1122-000123"
                    ),
                )
            })
        })
        .transpose()?;
    let query = RmaQuery {
        status: params.list("status")?,
        case_number,
        serial_number: params.get("serial_number").map(str::to_string),
        account: params.get("account").map(str::to_string),
        overdue: params.flag("overdue")?,
        sort,
        desc,
        limit: params.number("limit", 1, 500)?.unwrap_or(200),
    };
    let rows = state
        .read(move |conn, _| store::list_rmas(conn, &query, clock.now()))
        .await?;
    Ok(json_with_etag(&headers, None, StatusCode::OK, &rows))
}

/// One RMA, with its receipt and analysis due date.
#[utoipa::path(get, path = "/v1/rmas/{number}", tag = "rmas",
    params(("number" = String, Path, description = "RMA number, e.g. R21056835")),
    responses((status = 200, body = Rma), (status = 304, description = "Unchanged since the ETag given")))]
pub async fn get_rma(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
) -> Result<Response, ApiError> {
    let clock = state.clock();
    let number = rma_number(&number)?;
    let at = clock.now();
    let found = state
        .read({
            let number = number.clone();
            move |conn, _| store::find_rma(conn, &number, at)
        })
        .await?;
    let rma = found.ok_or_else(|| {
        ApiError::from(store::StoreError::NotFound {
            what: "RMA",
            id: number,
        })
    })?;
    Ok(json_with_etag(&headers, None, StatusCode::OK, &rma))
}

/// The RMA number of a path, or a 400 naming the expected form.
fn rma_number(text: &str) -> Result<String, ApiError> {
    Ok(text
        .parse::<RmaNumber>()
        .map_err(|e| ApiError::bad_request("number", e.to_string()))?
        .to_string())
}

/// Changes an RMA: moves its status forward (requested → issued → replacement_shipped →
/// defective_received → closed; stages may be skipped) or cancels it, and/or sets or changes
/// its analysis request. Reaching defective_received records `received_at`, from which
/// `analysis_due` counts (30 calendar days for repair analysis, 15 for failure analysis's
/// preliminary result); an RMA moved past defective_received has no receipt and no due date.
#[utoipa::path(patch, path = "/v1/rmas/{number}", tag = "rmas", request_body = RmaPatch,
    params(("number" = String, Path, description = "RMA number, e.g. R21056835"), ("If-Match" = Option<String>, Header, description = "Optional: the ETag of the case it belongs to, or *; when sent and stale, 412")),
    responses((status = 200, body = Rma, description = "The RMA after the change (unchanged when nothing differs)"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "A move the RMA's status does not allow (the detail lists the allowed ones), or an analysis change on a closed or cancelled RMA"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Neither status nor analysis given; or the body does not fit the expected shape")))]
pub async fn patch_rma(
    State(state): State<AppState>,
    Allowed { caller, .. }: Allowed<ChangeRmas>,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    ApiJson(patch): ApiJson<RmaPatch>,
) -> Result<Response, ApiError> {
    let clock = state.clock();
    let number = rma_number(&number)?;
    let condition = held_by_case(&headers)?;
    let rma = state
        .write(move |tx, sla| {
            case_unchanged(tx, condition.as_ref(), &store::rma_case(tx, &number)?)?;
            store::patch_rma(tx, sla, &number, &patch, &caller, clock.now())
        })
        .await?;
    Ok(json_with_etag(
        &HeaderMap::new(),
        None,
        StatusCode::OK,
        &rma,
    ))
}
