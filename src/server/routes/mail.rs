//! Held and unreadable mail, for agents: listed, read in the original, released into a case
//! as the customer's note, or discarded.

use axum::extract::{RawQuery, State};
use axum::http::header::{CONTENT_TYPE, ETAG};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::api::{HeldMail, MailList, MailRelease, Problem};
use crate::server::http::{ApiError, ApiJson, ApiPath, Params, json_with_etag, not_modified};
use crate::server::mail::held::{self, LIST_MAX, Waiting};
use crate::server::mail::inbound;
use crate::server::roles::{Allowed, DecideMail, ReadMail};
use crate::server::state::AppState;

/// Rows a list answers without `limit`.
const LIST_DEFAULT: u32 = 200;

/// Mail held for an agent because its sender may not update the case (a stranger, or an
/// address outside the case's contact and account), newest first. Without `[mail]` the
/// server reads no mail: `enabled` is false and only mail kept from before is listed.
#[utoipa::path(get, path = "/v1/mail/held", tag = "mail",
    params(("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "1–500 (default 200)")),
    responses((status = 200, body = MailList),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "A viewer's token: held mail is for agents")))]
pub async fn list_held(
    State(state): State<AppState>,
    Allowed { .. }: Allowed<ReadMail>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    listed(&state, &headers, raw.as_deref(), Waiting::Held).await
}

/// Mail that could not be parsed (moved to the mailbox's error folder, kept here for
/// agents), newest first; `enabled` as for `/v1/mail/held`.
#[utoipa::path(get, path = "/v1/mail/errors", tag = "mail",
    params(("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "1–500 (default 200)")),
    responses((status = 200, body = MailList),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "A viewer's token: unreadable mail is for agents")))]
pub async fn list_errors(
    State(state): State<AppState>,
    Allowed { .. }: Allowed<ReadMail>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    listed(&state, &headers, raw.as_deref(), Waiting::Errors).await
}

async fn listed(
    state: &AppState,
    headers: &HeaderMap,
    raw: Option<&str>,
    which: Waiting,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw);
    params.only(&["limit"])?;
    let limit = params.number("limit", 1, LIST_MAX)?.unwrap_or(LIST_DEFAULT);
    let items = state
        .read(move |conn, _| held::list(conn, which, limit))
        .await?;
    let list = MailList {
        enabled: state.mail().is_some(),
        items,
    };
    Ok(json_with_etag(headers, None, StatusCode::OK, &list))
}

/// The original message, exactly as it came from the mailbox (it may hold anything the
/// sender wrote: show it as untrusted text).
#[utoipa::path(get, path = "/v1/mail/{id}/raw", tag = "mail",
    params(("id" = i64, Path, description = "The mail's id")),
    responses((status = 200, content_type = "message/rfc822", body = String, description = "The original message"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "A viewer's token: mail is for agents")))]
pub async fn raw_mail(
    State(state): State<AppState>,
    Allowed { .. }: Allowed<ReadMail>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let id = mail_id(&id)?;
    // The bytes of a message never change: its id tags them.
    let etag = format!("\"mail-{id}\"");
    let bytes = state.read(move |conn, _| held::raw(conn, id)).await?;
    let mut response = if not_modified(&headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            StatusCode::OK,
            [(CONTENT_TYPE, HeaderValue::from_static("message/rfc822"))],
            bytes,
        )
            .into_response()
    };
    if let Ok(v) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(ETAG, v);
    }
    Ok(response)
}

/// Releases held mail into a case as the customer's note: `case`, or the case it was
/// matched to. Answers the mail as it is now (`released`, with its case and note).
#[utoipa::path(post, path = "/v1/mail/{id}/release", tag = "mail", request_body = MailRelease,
    params(("id" = i64, Path, description = "The held mail's id")),
    responses((status = 200, body = HeldMail, description = "Released: its case_number and note_id name the new note"),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "No such mail, or no such case"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "The mail is not held (already released, discarded, applied or unreadable), or the server has no [mail]"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "case is not a case number, or the mail matched no case and none was given")))]
pub async fn release_mail(
    State(state): State<AppState>,
    Allowed { caller, .. }: Allowed<DecideMail>,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<MailRelease>,
) -> Result<Response, ApiError> {
    let id = mail_id(&id)?;
    let Some(config) = state.mail().cloned() else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "mail-off",
            "The mail channel is off",
            "this server has no [mail] in its config: held mail can be discarded, not released",
        ));
    };
    let at = state.clock().now();
    let released = state
        .write(move |tx, sla| {
            inbound::release(tx, sla, &config, id, body.case.as_deref(), &caller, at)?;
            held::find(tx, id)
        })
        .await?;
    Ok(json_with_etag(
        &HeaderMap::new(),
        None,
        StatusCode::OK,
        &released,
    ))
}

/// Discards held or unreadable mail: it stays recorded as `discarded` (so it is never taken
/// again), with who did it and when.
#[utoipa::path(post, path = "/v1/mail/{id}/discard", tag = "mail",
    params(("id" = i64, Path, description = "The held or unreadable mail's id")),
    responses((status = 200, body = HeldMail, description = "Discarded"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "The mail is neither held nor unreadable (already released, discarded or applied)")))]
pub async fn discard_mail(
    State(state): State<AppState>,
    Allowed { caller, .. }: Allowed<DecideMail>,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let id = mail_id(&id)?;
    let at = state.clock().now();
    let discarded = state
        .write(move |tx, _| held::discard(tx, id, &caller, at))
        .await?;
    Ok(json_with_etag(
        &HeaderMap::new(),
        None,
        StatusCode::OK,
        &discarded,
    ))
}

/// A mail id from the path, or a 400 naming the expected form.
fn mail_id(text: &str) -> Result<i64, ApiError> {
    text.parse().map_err(|_| {
        ApiError::bad_request("id", format!("invalid mail id '{text}': expected a number"))
    })
}
