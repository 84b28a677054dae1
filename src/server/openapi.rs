//! The OpenAPI 3 document, generated from the handlers and wire types.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
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
    modifiers(&BearerAuth),
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

/// `GET /v1/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
