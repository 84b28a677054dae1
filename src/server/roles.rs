//! Which role each write needs, checked before anything else about the request: a caller
//! who may not make a write gets 403 whatever else is wrong with it (its path, `If-Match`,
//! `Idempotency-Key`, content type or body).

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::http::ApiError;
use super::state::AppState;
use super::store::Caller;
use crate::api::Role;

/// A kind of write and the least role allowed to make it.
pub trait Permission {
    /// The least role allowed.
    const ROLE: Role;
    /// What the caller wants to do, as the 403 says it ("open cases").
    const ACTION: &'static str;
}

macro_rules! permissions {
    ($($(#[$doc:meta])* $name:ident = $role:ident, $action:literal;)*) => {$(
        $(#[$doc])*
        pub struct $name;

        impl Permission for $name {
            const ROLE: Role = Role::$role;
            const ACTION: &'static str = $action;
        }
    )*};
}

permissions! {
    /// `POST /v1/cases`.
    OpenCases = Agent, "open cases";
    /// `PATCH /v1/cases/{number}` (some changes need more, checked by the store).
    ChangeCases = Agent, "change cases";
    /// `POST /v1/cases/{number}/notes`.
    AddNotes = Agent, "add notes";
    /// `POST /v1/cases/{number}/attachments`: whoever adds notes adds files.
    AddAttachments = Agent, "add attachments";
    /// `POST /v1/cases/{number}/escalations`.
    RequestEscalations = Agent, "request escalations";
    /// `PATCH /v1/escalations/{id}`.
    HandleEscalations = Lead, "acknowledge, resolve or decline escalations";
    /// `POST /v1/cases/{number}/rmas`.
    CreateRmas = Agent, "create RMAs";
    /// `PATCH /v1/rmas/{number}`.
    ChangeRmas = Agent, "change RMAs";
    /// `POST /v1/entitlements/import`.
    ImportEntitlements = Admin, "import entitlements";
    /// `/v1/tokens`.
    ManageTokens = Admin, "manage tokens";
    /// `GET /v1/mail/held`, `/v1/mail/errors`, `/v1/mail/{id}/raw`: mail from outside the
    /// desk, not for a wallboard's token.
    ReadMail = Agent, "read held or unreadable mail";
    /// `POST /v1/mail/{id}/release` and `/discard`.
    DecideMail = Agent, "release or discard held mail";
    /// `GET /v1/reports/*`: the desk's figures, per owner too (the wallboard's desk-wide
    /// trend, `/v1/stats/trend`, is for any role).
    ReadReports = Lead, "read reports";
    /// `PUT /v1/macros`, `PUT` and `DELETE /v1/macros/{name}`: the team's shared texts.
    EditMacros = Lead, "edit the team's macros";
}

/// The caller, known to be allowed `P`. As a handler's first extractor after `State` it runs
/// before the path, headers and body are looked at (axum extracts in argument order).
pub struct Allowed<P> {
    /// Who is calling.
    pub caller: Caller,
    permission: PhantomData<P>,
}

impl<P: Permission> FromRequestParts<AppState> for Allowed<P> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        caller.require(P::ROLE, P::ACTION)?;
        Ok(Allowed {
            caller,
            permission: PhantomData,
        })
    }
}
