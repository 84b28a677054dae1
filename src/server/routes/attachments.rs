//! Files on a case: `POST /v1/cases/{number}/attachments` streams one in, `GET
//! /v1/attachments/{id}` streams it out. Neither holds a whole file in memory.

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE, ETAG, HeaderName,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio_util::io::ReaderStream;

use super::{Creation, case_number, case_unchanged, create_once, held_by_case, idempotency_key};
use crate::api::{Attachment, Problem};
use crate::server::attachments::{Receive, declared_type, disposition, sniff};
use crate::server::http::{ApiError, ApiPath, Params, not_modified};
use crate::server::roles::{AddAttachments, Allowed};
use crate::server::state::AppState;
use crate::server::store::{self, Caller, NewFile, StoreError};

/// What `?name=` should look like, for error messages.
const NAME_EXPECTED: &str =
    "expected ?name=FILE_NAME, the file's name without a path (e.g. ?name=show-tech.txt)";

/// Adds a file to a case: the request body is the file's bytes, streamed to disk while hashed.
#[utoipa::path(post, path = "/v1/cases/{number}/attachments", tag = "cases",
    params(
        ("number" = String, Path, description = "Case number, with or without dashes"),
        ("name" = String, Query, description = "The file's name; paths and control characters are removed"),
        ("If-Match" = Option<String>, Header, description = "The case's ETag (or *): refused with 412 if the case changed"),
        ("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key answers the first response"),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
        description = "The file's bytes. A specific Content-Type (not application/octet-stream) is kept as the file's type; otherwise the type is sniffed from the content."),
    responses(
        (status = 201, body = Attachment, description = "Added; Location names the download",
            headers(("Location" = String, description = "/v1/attachments/{id}"))),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "No usable name, or a Content-Type that is no media type"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "The role may not add files"),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "No such case"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "Not allowed in the case's state"),
        (status = 412, body = Problem, content_type = "application/problem+json", description = "If-Match names an older version of the case"),
        (status = 413, body = Problem, content_type = "application/problem+json", description = "Over the server's limit per file or per case ([attachments] max_file, max_case), named in bytes"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Idempotency-Key used for another request"),
    ))]
pub async fn add_attachment(
    State(state): State<AppState>,
    Allowed { caller, .. }: Allowed<AddAttachments>,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    RawQuery(raw): RawQuery,
    body: Body,
) -> Result<Response, ApiError> {
    let number = case_number(&number)?;
    let params = Params::parse(raw.as_deref());
    params.only(&["name"])?;
    let given = params.get("name").ok_or_else(|| {
        ApiError::bad_request(
            "name",
            format!("the file's name is missing: {NAME_EXPECTED}"),
        )
    })?;
    let name = crate::sanitize::file_name(given).ok_or_else(|| {
        ApiError::bad_request(
            "name",
            format!(
                "the name '{}' is empty once paths and control characters are removed: {NAME_EXPECTED}",
                crate::sanitize::clean(given, true)
            ),
        )
    })?;
    let declared = headers
        .get(CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let declared =
        declared_type(declared.as_deref()).map_err(|e| ApiError::bad_request("Content-Type", e))?;
    let condition = held_by_case(&headers)?;
    let (max_file, max_case) = (state.files().max_file, state.files().max_case);

    // The case must exist and have room before a byte is read, unless this is a retry whose
    // first try was stored: that file already counts in the case's size, and the retry is
    // answered with the first 201 (the in-write check still guards a real second file).
    let line = format!("POST /v1/cases/{number}/attachments");
    let (n, who, key, kept_line) = (
        number.clone(),
        caller.name.clone(),
        idempotency_key(&headers)?,
        line.clone(),
    );
    let (used, retry) = state
        .read(move |conn, _| {
            let used = store::case_files_size(conn, &n)?;
            let retry = match &key {
                Some(key) => {
                    store::recall(conn, &who, key)?.is_some_and(|f| f.request == kept_line)
                }
                None => false,
            };
            Ok((used, retry))
        })
        .await?;
    let used = if retry { 0 } else { used };
    let length = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(length) = length {
        if length > max_file {
            return Err(store::too_large_file(max_file).into());
        }
        if used.saturating_add(length) > max_case {
            return Err(store::too_large_for_case(max_case, used, Some(length)).into());
        }
    }
    let case_room = max_case.saturating_sub(used);
    let received = match state.files().receive(body, max_file.min(case_room)).await {
        Ok(received) => received,
        Err(Receive::TooLarge) if max_file <= case_room => {
            return Err(store::too_large_file(max_file).into());
        }
        Err(Receive::TooLarge) => {
            return Err(store::too_large_for_case(max_case, used, None).into());
        }
        Err(e @ Receive::Body(_)) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "upload-broke-off",
                "The upload broke off",
                e.to_string(),
            ));
        }
        Err(e @ Receive::Disk { .. }) => return Err(StoreError::Disk(e.to_string()).into()),
    };

    let file = NewFile {
        name,
        content_type: declared.unwrap_or_else(|| sniff(&received.head)),
        size: received.size,
        sha256: received.sha256.clone(),
    };
    let clock = state.clock();
    // The content's hash stands for the body in the idempotency fingerprint.
    let request = Creation::new(line, &file)?;
    create_once(
        &state,
        caller,
        &headers,
        request,
        |a: &Attachment| Some(format!("/v1/attachments/{}", a.id)),
        move |tx, sla, caller| {
            case_unchanged(tx, condition.as_ref(), &number)?;
            let attachment = store::add_attachment(
                tx,
                sla,
                &number,
                &file,
                None,
                max_case,
                caller,
                clock.now(),
            )?;
            // Inside the write: the file gets its name only with its row.
            received
                .keep()
                .map_err(|e| StoreError::Disk(format!("cannot keep the upload: {e}")))?;
            Ok(attachment)
        },
    )
    .await
}

/// Downloads a file: its bytes, with its type and name; `If-None-Match` with its ETag (the
/// SHA-256) answers 304.
#[utoipa::path(get, path = "/v1/attachments/{id}", tag = "cases",
    params(("id" = i64, Path, description = "The attachment's id, from the case's attachments")),
    responses(
        (status = 200, content_type = "*/*", body = Vec<u8>,
            description = "The content, with its own Content-Type, Content-Length, Content-Disposition (attachment; filename, filename*) and ETag (its SHA-256)"),
        (status = 304, description = "Not modified"),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "The id is not a number"),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "No such attachment"),
    ))]
pub async fn get_attachment(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let id = id.trim().parse::<i64>().map_err(|_| {
        ApiError::bad_request(
            "id",
            format!(
                "invalid attachment id '{}': expected a number, the id of one of a case's attachments",
                crate::sanitize::clean(&id, true)
            ),
        )
    })?;
    let stored = state
        .read(move |conn, _| store::find_attachment(conn, id))
        .await?;
    let file = &stored.attachment;
    let etag = format!("\"{}\"", file.sha256);
    if not_modified(&headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, [(ETAG, etag)]).into_response());
    }
    let (body, length) = match stored.content {
        Some(bytes) => {
            let length = bytes.len() as u64;
            (Body::from(bytes), length)
        }
        None => {
            let path = state.files().path_of(&file.sha256);
            let missing = |e: std::io::Error| {
                ApiError::from(StoreError::Disk(format!(
                    "the content of attachment {id} ({}) cannot be read: {e}",
                    path.display()
                )))
            };
            let content = tokio::fs::File::open(&path).await.map_err(missing)?;
            let length = content.metadata().await.map_err(missing)?.len();
            (
                Body::from_stream(ReaderStream::with_capacity(content, 256 * 1024)),
                length,
            )
        }
    };
    let content_type = HeaderValue::from_str(&file.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let mut response = (StatusCode::OK, body).into_response();
    let out = response.headers_mut();
    out.insert(CONTENT_TYPE, content_type);
    out.insert(CONTENT_LENGTH, HeaderValue::from(length));
    if let Ok(v) = HeaderValue::from_str(&disposition(&file.name)) {
        out.insert(CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        out.insert(ETAG, v);
    }
    out.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    // A customer's HTML or SVG must stay a download, never run in a browser.
    out.insert(
        HeaderName::from_static("x-content-type-options"),
        HeaderValue::from_static("nosniff"),
    );
    response.extensions_mut().insert(FileDownload);
    Ok(response)
}

/// Marks a file's download, which goes out as stored: never gzipped on the way (the client
/// checks the bytes against the ETag, and most files are compressed already).
#[derive(Debug, Clone, Copy)]
pub(crate) struct FileDownload;
