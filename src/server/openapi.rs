//! The OpenAPI 3 document, generated from the handlers and wire types.

use axum::Json;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::routes::{cases, entitlements, meta, work};

/// The case API as OpenAPI.
#[derive(OpenApi)]
#[openapi(
    info(title = "casedesk case API", version = "1", description = "Cases, SLA clocks, escalations and RMAs for a technical-support desk. Errors are application/problem+json."),
    paths(
        cases::list_cases, cases::get_case, cases::create_case, cases::patch_case, cases::add_note,
        work::create_escalation, work::list_escalations, work::patch_escalation,
        work::create_rma, work::list_rmas, work::patch_rma, work::get_rma,
        meta::healthz, meta::me, meta::search, meta::entitlement, meta::policies, meta::calendars, meta::stats, meta::changes,
        meta::people, meta::list_tokens, meta::create_token, meta::revoke_token,
        entitlements::list_entitlements, entitlements::import_entitlements,
        super::events::stream,
    ),
    modifiers(&BearerAuth, &TokenAnswers),
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
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
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
    let answer = ResponseBuilder::new()
        .description("No valid token: missing, malformed, unknown or revoked")
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
        .entry("401".to_string())
        .or_insert(RefOr::T(answer));
}

/// `GET /v1/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
