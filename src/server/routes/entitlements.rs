//! The install base: the list of entitlements and an admin's import (SPEC §2.10).

use axum::extract::{RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::api::{Entitlement, EntitlementImport, ImportReport, Problem};
use crate::server::http::{ApiError, Params, json_body, json_with_etag};
use crate::server::roles::{Allowed, ImportEntitlements};
use crate::server::state::AppState;
use crate::server::store::{self, Caller};

/// Largest import body: some 200,000 rows, an install base loaded in one transaction (the
/// other routes keep the server's smaller [`BODY_LIMIT`](crate::server::BODY_LIMIT)).
pub const IMPORT_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// Every entitlement, sorted by serial number; `expired` keeps lapsed or active contracts only.
#[utoipa::path(get, path = "/v1/entitlements", tag = "entitlements",
    params(("expired" = Option<bool>, Query, description = "true: contracts that ended before today (UTC); false: active ones; absent: all")),
    responses((status = 200, body = Vec<Entitlement>), (status = 304, description = "If-None-Match names the current ETag")))]
pub async fn list_entitlements(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let clock = state.clock();
    let params = Params::parse(raw.as_deref());
    params.only(&["expired"])?;
    let expired = match params.get("expired") {
        None => None,
        Some(_) => Some(params.flag("expired")?),
    };
    let list = state
        .read(move |conn, _| store::list_entitlements(conn, expired, clock.now()))
        .await?;
    Ok(json_with_etag(&headers, None, StatusCode::OK, &list))
}

/// Adds and updates entitlements from a batch of rows (admin only), with a report per row.
///
/// Every row is checked first: a serial of 1–64 characters without control characters, given
/// once per batch; a tier by its wire name; `contract_end` as `YYYY-MM-DD`; site name, site ID
/// and account present. With a refused row and `skip_bad` false nothing is written and the
/// answer is 422 with the report (`applied: false`); otherwise 200 with `applied: true`. Rows
/// equal to the stored contract are `unchanged`. An import that changed something emits
/// `entitlements.imported` on the change feed and marks the cases of the changed serials as
/// changed. Importing the same rows again changes nothing, so a retry is safe.
#[utoipa::path(post, path = "/v1/entitlements/import", tag = "entitlements", request_body = EntitlementImport,
    responses((status = 200, body = ImportReport, description = "Applied (refused rows skipped when skip_bad)"),
        (status = 422, description = "A row was refused and skip_bad is false: nothing applied (the report); or the body does not fit the expected shape (a problem)",
            content((ImportReport = "application/json"), (Problem = "application/problem+json"))),
        (status = 413, body = Problem, content_type = "application/problem+json", description = "Over 32 MiB: split the file")))]
pub async fn import_entitlements(
    State(state): State<AppState>,
    Allowed { caller, .. }: Allowed<ImportEntitlements>,
    request: Request,
) -> Result<Response, ApiError> {
    let clock = state.clock();
    let import: EntitlementImport = json_body(request, IMPORT_BODY_LIMIT).await?;
    let report = state
        .write(move |tx, _| {
            store::import_entitlements(tx, &import.rows, import.skip_bad, &caller, clock.now())
        })
        .await?;
    let status = if report.applied {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, axum::Json(report)).into_response())
}
