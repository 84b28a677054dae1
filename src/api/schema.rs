//! OpenAPI schemas for the domain types, which stay free of any web dependency.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::{PartialSchema, ToSchema};

use crate::domain::{
    AnalysisRequest, CaseNumber, Channel, CloseReason, ContactLanguage, ContactMethod,
    ContractTier, EscalationKind, EscalationState, Party, Priority, RequestType, RmaNumber,
    RmaStatus, Status, UserType, Visibility,
};
use crate::sla::Target;

fn string_schema(
    description: &str,
    values: Option<Vec<&'static str>>,
    pattern: Option<&str>,
) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .description(Some(description))
        .enum_values(values)
        .pattern(pattern)
        .into()
}

/// Implements the schema of enums that serialise as one of their `as_str()` words.
macro_rules! word_schema {
    ($($ty:ty => $desc:literal,)+) => {$(
        impl PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                string_schema($desc, Some(<$ty>::ALL.iter().map(|v| v.as_str()).collect()), None)
            }
        }
        impl ToSchema for $ty {}
    )+};
}

word_schema! {
    Priority => "Case priority: P1 (Critical) to P4 (Low).",
    Status => "Case status.",
    CloseReason => "Why a case was closed.",
    ContractTier => "Contract tier, which sets the SLA targets.",
    Channel => "How the case came in.",
    UserType => "Who the customer is.",
    RequestType => "What the customer asks for.",
    ContactMethod => "How the customer prefers to be contacted.",
    ContactLanguage => "The language of mail to the case's contact: en or ja.",
    EscalationKind => "Escalation option.",
    EscalationState => "Where an escalation stands.",
    RmaStatus => "Where an RMA stands.",
    AnalysisRequest => "Analysis asked of a returned unit.",
    Visibility => "Public notes are seen by the customer; internal ones are not.",
    Party => "Who wrote a note.",
}

/// Implements the schema of types that serialise as a patterned string.
macro_rules! pattern_schema {
    ($($ty:ty => $desc:literal, $pattern:literal;)+) => {$(
        impl PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                string_schema($desc, None, Some($pattern))
            }
        }
        impl ToSchema for $ty {}
    )+};
}

pattern_schema! {
    CaseNumber => "Case number YYYY-MMDD-NNNNNN.", "^[0-9]{4}-[0-9]{4}-[0-9]{6}$";
    RmaNumber => "RMA number: R and 8 digits.", "^R[0-9]{8}$";
    Target => "SLA target: a duration and its calendar, e.g. `1h 24x7`, `2h business`, `1bd`, `7d`.", "^[0-9]+(m|h|h[0-9]+m|bd|d)( (24x7|business))?$";
}
