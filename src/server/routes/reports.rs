//! Reports for leads (`GET /v1/reports/{sla,response,backlog,load}`) and the wallboard's
//! desk-wide trend (`GET /v1/stats/trend`).
//!
//! A report stands at a whole minute and at the change sequence: its ETag names both and the
//! query, so a client that has it gets a 304 before anything is read.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::api::reports::{
    BacklogReport, Grouping, LoadReport, ReportKind, ReportQuery, ResponseReport, SlaReport, Trend,
};
use crate::server::http::{
    ApiError, Params, digest, json_with_etag, not_modified, not_modified_response,
};
use crate::server::roles::{Allowed, ReadReports};
use crate::server::state::AppState;
use crate::server::store::reports::{self, ReportScope};
use crate::server::store::{Caller, Sla, StoreError};

/// The query a report was asked with, checked; a bad value is a 400 naming it and its form.
fn query(raw: Option<&str>) -> Result<ReportQuery, ApiError> {
    let params = Params::parse(raw);
    params.only(&["from", "to", "zone", "by"])?;
    let bad = |field: &'static str| {
        move |e: crate::api::reports::ReportError| ApiError::bad_request(field, e.to_string())
    };
    Ok(ReportQuery {
        from: params
            .get("from")
            .map(|t| ReportQuery::date("from", t))
            .transpose()
            .map_err(bad("from"))?,
        to: params
            .get("to")
            .map(|t| ReportQuery::date("to", t))
            .transpose()
            .map_err(bad("to"))?,
        zone: match params.get("zone") {
            Some(z) => Some(
                ReportQuery::zone(z)
                    .map_err(bad("zone"))?
                    .name()
                    .to_string(),
            ),
            None => None,
        },
        by: params
            .get("by")
            .map(str::parse::<Grouping>)
            .transpose()
            .map_err(bad("by"))?,
    })
}

/// The desk's business zone: the site calendar's.
fn business_zone(sla: &Sla) -> Tz {
    sla.calendars
        .get(&sla.policies.site_calendar)
        .map_or(Tz::UTC, |c| c.zone())
}

/// Now, to the minute: the instant reports stand at.
fn report_now(state: &AppState) -> DateTime<Utc> {
    let now = state.clock().now();
    now.duration_trunc(TimeDelta::minutes(1)).unwrap_or(now)
}

/// Answers a report: 304 when the client's ETag is still right, else computes it.
async fn answer<T: serde::Serialize + Send + 'static>(
    state: AppState,
    headers: HeaderMap,
    kind: ReportKind,
    raw: Option<String>,
    compute: fn(&rusqlite::Connection, &Sla, &ReportScope) -> Result<T, StoreError>,
) -> Result<Response, ApiError> {
    let query = query(raw.as_deref())?;
    let at = report_now(&state);
    let period = query
        .resolve(kind, at, business_zone(state.sla()))
        .map_err(|e| {
            let field = match e {
                crate::api::reports::ReportError::GroupingFor { .. } => "by",
                _ => "from",
            };
            ApiError::bad_request(field, e.to_string())
        })?;
    let by = query
        .by
        .or((kind == ReportKind::Load).then_some(Grouping::Owner));
    let etag = format!(
        "\"r{}-{}-{:x}\"",
        state.seq(),
        at.timestamp() / 60,
        digest((kind.as_str(), query.to_query_string()))
    );
    if not_modified(&headers, &etag) {
        return Ok(not_modified_response(&etag));
    }
    let scope = ReportScope { period, by, at };
    let report = state
        .read(move |conn, sla| compute(conn, sla, &scope))
        .await?;
    Ok(json_with_etag(
        &headers,
        Some(etag),
        StatusCode::OK,
        &report,
    ))
}

/// SLA attainment per clock: met, breached, attainment and running, counted at the instant
/// each interval was met or breached within the period.
#[utoipa::path(get, path = "/v1/reports/sla", tag = "reports",
    params(
        ("from" = Option<String>, Query, description = "First day, YYYY-MM-DD (default: six days before `to`)"),
        ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD (default: today)"),
        ("zone" = Option<String>, Query, description = "IANA zone days are counted in (default: the desk's business zone)"),
        ("by" = Option<String>, Query, description = "priority, tier, owner, channel, week or day")),
    responses((status = 200, body = SlaReport), (status = 304, description = "Not modified"), (status = 403, description = "Not a lead")))]
pub async fn sla(
    State(state): State<AppState>,
    _allowed: Allowed<ReadReports>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    answer(state, headers, ReportKind::Sla, raw, reports::sla_report).await
}

/// First-response times, wall-clock and business: median, 90th percentile, maximum and a
/// histogram, of first responses made within the period.
#[utoipa::path(get, path = "/v1/reports/response", tag = "reports",
    params(
        ("from" = Option<String>, Query, description = "First day, YYYY-MM-DD"),
        ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD"),
        ("zone" = Option<String>, Query, description = "IANA zone"),
        ("by" = Option<String>, Query, description = "priority, tier, owner, channel, week or day")),
    responses((status = 200, body = ResponseReport), (status = 304, description = "Not modified"), (status = 403, description = "Not a lead")))]
pub async fn response(
    State(state): State<AppState>,
    _allowed: Allowed<ReadReports>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    answer(
        state,
        headers,
        ReportKind::Response,
        raw,
        reports::response_report,
    )
    .await
}

/// Open cases by age and priority now and at the end of each day (or week), with the cases
/// created, resolved and closed in each.
#[utoipa::path(get, path = "/v1/reports/backlog", tag = "reports",
    params(
        ("from" = Option<String>, Query, description = "First day, YYYY-MM-DD"),
        ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD"),
        ("zone" = Option<String>, Query, description = "IANA zone"),
        ("by" = Option<String>, Query, description = "priority, tier, owner, channel, week or day")),
    responses((status = 200, body = BacklogReport), (status = 304, description = "Not modified"), (status = 403, description = "Not a lead")))]
pub async fn backlog(
    State(state): State<AppState>,
    _allowed: Allowed<ReadReports>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    answer(
        state,
        headers,
        ReportKind::Backlog,
        raw,
        reports::backlog_report,
    )
    .await
}

/// Per owner: open cases, P1 and P2 among them, due within the hour, breached, and the public
/// notes and calls they made in the period.
#[utoipa::path(get, path = "/v1/reports/load", tag = "reports",
    params(
        ("from" = Option<String>, Query, description = "First day, YYYY-MM-DD"),
        ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD"),
        ("zone" = Option<String>, Query, description = "IANA zone"),
        ("by" = Option<String>, Query, description = "owner (the only grouping)")),
    responses((status = 200, body = LoadReport), (status = 304, description = "Not modified"), (status = 403, description = "Not a lead")))]
pub async fn load(
    State(state): State<AppState>,
    _allowed: Allowed<ReadReports>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    answer(state, headers, ReportKind::Load, raw, reports::load_report).await
}

/// The wallboard's trend: first-response and update attainment this week (the last 7 days)
/// against the 7 before, and breaches per day over 14 days; desk-wide, so any role may read it.
#[utoipa::path(get, path = "/v1/stats/trend", tag = "meta",
    responses((status = 200, body = Trend), (status = 304, description = "Not modified")))]
pub async fn trend(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref()).only(&[])?;
    let at = report_now(&state);
    let etag = format!("\"t{}-{}\"", state.seq(), at.timestamp() / 60);
    if not_modified(&headers, &etag) {
        return Ok(not_modified_response(&etag));
    }
    let period = ReportQuery::default()
        .resolve(ReportKind::Sla, at, business_zone(state.sla()))
        .map_err(|e| ApiError::bad_request("from", e.to_string()))?;
    let scope = ReportScope {
        period,
        by: None,
        at,
    };
    let trend = state
        .read(move |conn, sla| reports::trend(conn, sla, &scope))
        .await?;
    Ok(json_with_etag(&headers, Some(etag), StatusCode::OK, &trend))
}
