//! The port between the desk and a case system (docs/BACKENDS.md).
//!
//! The TUI, the CLI, the wallboard, the cache and the sync speak to one [`Backend`]; what sits
//! behind it is an adapter: the casedesk case API ([`Client`]) or Request Tracker 5's REST 2
//! ([`RtClient`]). Both answer in the casedesk API's own types (`CaseSummary`, `Case`,
//! `Changes`, …), so the outbox, the cache, the follow loop, offline reads and conflict
//! handling are written once. What only casedesk's server has (RMAs, entitlements, the mail
//! channel, attachments, team macros) is reached through [`Backend::casedesk`], which names the
//! missing feature on any other backend instead of pretending.

use crate::api::client::Traffic;
use crate::api::{
    Case, CasePatch, CaseSummary, Changes, Client, ClientError, Escalation, Fetched, Identity, Me,
    NewEscalation, NewNote, Note, Page, Person, SearchResults, Stats,
};
pub use crate::config::BackendKind;
use crate::domain::CaseNumber;
use crate::rt::RtClient;

/// One adapter behind the port. Cheap to clone.
#[derive(Debug, Clone)]
pub enum Backend {
    /// The casedesk case API.
    Casedesk(Client),
    /// Request Tracker 5 (REST 2).
    Rt(RtClient),
}

/// Calls the same method on whichever adapter this is.
macro_rules! on_either {
    ($self:ident, $adapter:ident => $call:expr) => {
        match $self {
            Backend::Casedesk($adapter) => $call,
            Backend::Rt($adapter) => $call,
        }
    };
}

impl Backend {
    /// Which kind of backend this is.
    pub fn kind(&self) -> BackendKind {
        match self {
            Backend::Casedesk(_) => BackendKind::Casedesk,
            Backend::Rt(_) => BackendKind::Rt,
        }
    }

    /// The casedesk client, for what only casedesk's server offers; on another backend the
    /// error names `what` and the backend (`RMAs are not available on Request Tracker`).
    pub fn casedesk(&self, what: &str) -> Result<&Client, ClientError> {
        match self {
            Backend::Casedesk(client) => Ok(client),
            other => Err(ClientError::Unsupported(format!(
                "{what} are not available on {}",
                other.kind().title()
            ))),
        }
    }

    /// The base URL as printed (no password).
    pub fn server(&self) -> &str {
        on_either!(self, c => c.server())
    }

    /// What has been sent and received so far.
    pub fn traffic(&self) -> &Traffic {
        on_either!(self, c => c.traffic())
    }

    /// Who the token belongs to and which server this is.
    pub async fn identity(&self) -> Result<Identity, ClientError> {
        on_either!(self, c => c.identity().await)
    }

    /// Who the token belongs to.
    pub async fn me(&self) -> Result<Me, ClientError> {
        on_either!(self, c => c.me().await)
    }

    /// The people of the desk, revalidated with `etag`.
    pub async fn people(&self, etag: Option<&str>) -> Result<Fetched<Vec<Person>>, ClientError> {
        on_either!(self, c => c.people(etag).await)
    }

    /// One page of the case list; `query` is the casedesk API's query string without `?`
    /// (`open=true&sort=number&limit=200&cursor=…`), which an adapter translates.
    pub async fn cases(&self, query: &str) -> Result<Page<CaseSummary>, ClientError> {
        on_either!(self, c => c.cases(query).await)
    }

    /// One case with everything on it, revalidated with `etag`.
    pub async fn case(
        &self,
        number: &CaseNumber,
        etag: Option<&str>,
    ) -> Result<Fetched<Case>, ClientError> {
        on_either!(self, c => c.case(number, etag).await)
    }

    /// Cases changed after the sequence `since` (`i64::MAX`: none, only the current sequence).
    pub async fn changes(
        &self,
        since: i64,
        etag: Option<&str>,
    ) -> Result<Fetched<Changes>, ClientError> {
        on_either!(self, c => c.changes(since, etag).await)
    }

    /// The wallboard's counts.
    pub async fn stats(&self) -> Result<Stats, ClientError> {
        on_either!(self, c => c.stats().await)
    }

    /// A search by number or words.
    pub async fn search(&self, q: &str) -> Result<SearchResults, ClientError> {
        on_either!(self, c => c.search(q).await)
    }

    /// Changes a case that is still at `version`.
    pub async fn patch_case(
        &self,
        number: &CaseNumber,
        patch: &CasePatch,
        version: i64,
    ) -> Result<Case, ClientError> {
        on_either!(self, c => c.patch_case(number, patch, version).await)
    }

    /// Adds a note (a call, a failed contact) once per `key`.
    pub async fn add_note(
        &self,
        number: &CaseNumber,
        note: &NewNote,
        version: i64,
        key: &str,
    ) -> Result<Note, ClientError> {
        on_either!(self, c => c.add_note(number, note, version, key).await)
    }

    /// Requests an escalation once per `key`.
    pub async fn escalate(
        &self,
        number: &CaseNumber,
        escalation: &NewEscalation,
        version: i64,
        key: &str,
    ) -> Result<Escalation, ClientError> {
        on_either!(self, c => c.escalate(number, escalation, version, key).await)
    }

    /// Escalations in the given states (`requested,acknowledged`).
    pub async fn escalations(&self, states: &str) -> Result<Vec<Escalation>, ClientError> {
        on_either!(self, c => c.escalations(states).await)
    }

    /// A document the desk caches (`/v1/policies`, `/v1/calendars`, `/v1/people`,
    /// `/v1/macros`), revalidated with `etag`.
    pub async fn document<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        etag: Option<&str>,
    ) -> Result<Fetched<T>, ClientError> {
        match self {
            Backend::Casedesk(c) => c.get::<T>(path, etag).await,
            Backend::Rt(rt) => match rt.document(path, etag).await? {
                Fetched::NotModified => Ok(Fetched::NotModified),
                Fetched::Fresh { value, etag } => Ok(Fetched::Fresh {
                    value: serde_json::from_value(value).map_err(|e| ClientError::Protocol {
                        url: rt.server().to_string(),
                        detail: format!("{path}: {e}"),
                    })?,
                    etag,
                }),
            },
        }
    }
}
