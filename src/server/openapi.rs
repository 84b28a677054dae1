//! The OpenAPI 3 document, generated from the handlers and wire types.

use axum::Json;
use utoipa::openapi::path::{Operation, Parameter, ParameterIn, PathItem};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, ResponseBuilder, Schema};
use utoipa::{Modify, OpenApi};

use crate::api::SortColumn;
use crate::server::store::RmaSortColumn;

use super::routes::{attachments, cases, entitlements, macros, mail, meta, reports, work};

/// The case API as OpenAPI.
#[derive(OpenApi)]
#[openapi(
    info(title = "casedesk case API", version = "1", description = "Cases, SLA clocks, escalations and RMAs for a technical-support desk. Errors are application/problem+json."),
    paths(
        cases::list_cases, cases::get_case, cases::create_case, cases::patch_case, cases::add_note,
        attachments::add_attachment, attachments::get_attachment,
        work::create_escalation, work::list_escalations, work::patch_escalation,
        work::create_rma, work::list_rmas, work::patch_rma, work::get_rma,
        meta::healthz, meta::me, meta::search, meta::entitlement, meta::policies, meta::calendars, meta::stats, meta::changes,
        meta::people, meta::list_tokens, meta::create_token, meta::revoke_token,
        entitlements::list_entitlements, entitlements::import_entitlements,
        mail::list_held, mail::list_errors, mail::raw_mail, mail::release_mail, mail::discard_mail,
        macros::list_macros, macros::put_macros, macros::put_macro, macros::delete_macro,
        reports::sla, reports::response, reports::backlog, reports::load, reports::trend,
        super::events::stream,
    ),
    modifiers(&BearerAuth, &TokenAnswers, &RequestAnswers),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// What the token check adds to every operation, so each one documents it once, here: a 401
/// problem wherever a token is needed, and no security at all on `/healthz`, which answers
/// anyone.
struct TokenAnswers;

/// The path that needs no token.
const OPEN_PATH: &str = "/healthz";

impl Modify for TokenAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            for (_, operation) in operations(item) {
                if path == OPEN_PATH {
                    operation.security = Some(Vec::new());
                } else {
                    unauthorized(operation);
                }
            }
        }
    }
}

/// Documents the 401 answer of an operation that needs a token, unless it already does.
fn unauthorized(operation: &mut Operation) {
    problem(
        operation,
        401,
        "No valid token: missing, malformed, unknown or revoked",
    );
}

/// Documents a problem answer of `operation`, unless the route already does (its own
/// description says more than this shared one).
fn problem(operation: &mut Operation, status: u16, description: &str) {
    let answer = ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build();
    operation
        .responses
        .responses
        .entry(status.to_string())
        .or_insert(RefOr::T(answer));
}

/// What every operation can answer because of what it takes, documented once here from its
/// parameters and body rather than on each route: the refusals of a JSON body, of a path or
/// query value, of `If-Match` and `Idempotency-Key`, and of a role; and the real constraints
/// of the parameters every route shares (case and RMA numbers, `sort`, `cursor`, `since`).
struct RequestAnswers;

/// A case number as [`CaseNumber`](crate::domain::CaseNumber) reads it: YYYY-MMDD-NNNNNN or
/// the 14 digits, month and day in range (a day the month lacks, or sequence 000000, is a 400).
pub const CASE_NUMBER_PATTERN: &str = concat!(
    "^([0-9]{4}-(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])-([0-9]{6})",
    "|[0-9]{4}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{6})$"
);

/// An RMA number as [`RmaNumber`](crate::domain::RmaNumber) reads it: R and 8 digits.
pub const RMA_NUMBER_PATTERN: &str = "^[Rr][0-9]{8}$";

/// The reads that carry no ETag, so never answer 304.
const UNTAGGED_READS: [&str; 3] = [OPEN_PATH, "/v1/me", "/v1/events"];

/// A page cursor: the `next_cursor` of a previous page.
const CURSOR_PATTERN: &str = "^o[0-9]+$";

const IF_MATCH_ABOUT: &str = "The case's ETag (e.g. \"v7\" or W/\"v7-s120\"), a comma-separated list of them, or * for any current version";
const IDEMPOTENCY_KEY_ABOUT: &str = "1 to 200 printable characters, e.g. a UUID: a retry with the same key and the same request returns the first response and changes nothing";

impl Modify for RequestAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            for (read, operation) in operations(item) {
                if !read {
                    problem(
                        operation,
                        403,
                        "The caller's role may not make this write; checked before anything else about the request",
                    );
                } else if !UNTAGGED_READS.contains(&path.as_str()) {
                    // Every other read is answered with an ETag and honours If-None-Match.
                    operation
                        .responses
                        .responses
                        .entry("304".to_string())
                        .or_insert(RefOr::T(
                            ResponseBuilder::new()
                                .description("Unchanged since the ETag in If-None-Match")
                                .build(),
                        ));
                }
                answers_for_what_it_takes(path, operation);
            }
        }
    }
}

/// Every operation of a path, each with whether it is a read (GET).
fn operations(item: &mut PathItem) -> impl Iterator<Item = (bool, &mut Operation)> {
    [
        (true, &mut item.get),
        (false, &mut item.put),
        (false, &mut item.post),
        (false, &mut item.delete),
        (false, &mut item.patch),
    ]
    .into_iter()
    .filter_map(|(read, operation)| operation.as_mut().map(|o| (read, o)))
}

/// The answers and parameter constraints of one operation, from its parameters and body.
fn answers_for_what_it_takes(path: &str, operation: &mut Operation) {
    let mut answers: Vec<(u16, String)> = Vec::new();
    if path != OPEN_PATH {
        answers.push((400, "More than one Authorization header".into()));
    }
    if operation.request_body.is_some() {
        answers.push((400, "The body is not JSON".into()));
        answers.push((413, "The body is over the server's limit".into()));
        answers.push((
            415,
            "No JSON Content-Type (application/json or */*+json)".into(),
        ));
        answers.push((
            422,
            "The body does not fit the expected shape, or a value in it is refused".into(),
        ));
    }
    let parameters = operation.parameters.iter_mut().flatten();
    for parameter in parameters.filter_map(|p| match p {
        RefOr::T(p) => Some(p),
        RefOr::Ref(_) => None,
    }) {
        constrain(path, parameter);
        match (&parameter.parameter_in, parameter.name.as_str()) {
            (ParameterIn::Path, name) => {
                answers.push((400, format!("Not a valid {name}")));
                answers.push((404, format!("No such {name}")));
            }
            (ParameterIn::Query, _) => answers.push((
                400,
                "A query parameter is unknown or its value is refused".into(),
            )),
            (ParameterIn::Header, "If-Match") => {
                about(parameter, IF_MATCH_ABOUT);
                answers.push((400, "If-Match is not * or case ETags".into()));
                answers.push((412, "The case changed since the ETag in If-Match: read it again and reapply the change".into()));
                if parameter.required == Required::True {
                    answers.push((428, "No If-Match".into()));
                }
            }
            (ParameterIn::Header, "Idempotency-Key") => {
                about(parameter, IDEMPOTENCY_KEY_ABOUT);
                answers.push((400, "Idempotency-Key is empty or too long".into()));
                answers.push((
                    422,
                    "The Idempotency-Key was used for another request (method, path or body)"
                        .into(),
                ));
            }
            (ParameterIn::Header, _) => {
                answers.push((400, format!("{} is refused", parameter.name)))
            }
            _ => {}
        }
    }
    // One answer per status, giving every reason for it.
    let mut by_status: std::collections::BTreeMap<u16, Vec<String>> = Default::default();
    for (status, reason) in answers {
        let reasons = by_status.entry(status).or_default();
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    for (status, reasons) in by_status {
        problem(operation, status, &reasons.join("; "));
    }
}

/// Gives a parameter the shared description when its route gives none.
fn about(parameter: &mut Parameter, description: &str) {
    parameter
        .description
        .get_or_insert_with(|| description.to_string());
}

/// The real constraints of a parameter the routes share, as the handlers parse it.
fn constrain(path: &str, parameter: &mut Parameter) {
    let Some(RefOr::T(Schema::Object(schema))) = parameter.schema.as_mut() else {
        return;
    };
    match (&parameter.parameter_in, parameter.name.as_str()) {
        (ParameterIn::Path, "number") if path.starts_with("/v1/cases/") => {
            schema.pattern = Some(CASE_NUMBER_PATTERN.to_string());
        }
        (ParameterIn::Path, "number") if path.starts_with("/v1/rmas/") => {
            schema.pattern = Some(RMA_NUMBER_PATTERN.to_string());
        }
        (ParameterIn::Query, "case_number") => {
            schema.pattern = Some(CASE_NUMBER_PATTERN.to_string());
        }
        (ParameterIn::Query, "cursor") => schema.pattern = Some(CURSOR_PATTERN.to_string()),
        (ParameterIn::Query, "since") => schema.minimum = Some(0.into()),
        (ParameterIn::Query, "sort") => {
            let columns = if path == "/v1/rmas" {
                RmaSortColumn::NAMES
            } else {
                SortColumn::NAMES
            };
            schema.enum_values = Some(sort_values(columns));
        }
        _ => {}
    }
}

/// Every `sort` value a list takes: each column of `names` (as its error message lists them,
/// "a, b or c") alone, with `:asc` and with `:desc`.
pub fn sort_values(names: &str) -> Vec<serde_json::Value> {
    names
        .split(", ")
        .flat_map(|n| n.split(" or "))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .flat_map(|column| {
            [
                column.to_string(),
                format!("{column}:asc"),
                format!("{column}:desc"),
            ]
        })
        .map(serde_json::Value::String)
        .collect()
}

/// `GET /v1/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
