//! Reading RT: the case list, one case, the change feed, search, counts, people, documents.

use super::RtClient;
use crate::api::{
    Case, CaseSummary, Changes, ClientError, Escalation, Fetched, Identity, Me, Page, Person,
    SearchResults, Stats,
};
use crate::domain::CaseNumber;

impl RtClient {
    /// Who the token belongs to, and this RT as the server's identity.
    pub async fn identity(&self) -> Result<Identity, ClientError> {
        Err(not_yet())
    }

    /// Who the token belongs to.
    pub async fn me(&self) -> Result<Me, ClientError> {
        Err(not_yet())
    }

    /// RT's privileged users as the desk's people.
    pub async fn people(&self, etag: Option<&str>) -> Result<Fetched<Vec<Person>>, ClientError> {
        let _ = etag;
        Err(not_yet())
    }

    /// One page of tickets for a casedesk list query.
    pub async fn cases(&self, query: &str) -> Result<Page<CaseSummary>, ClientError> {
        let _ = query;
        Err(not_yet())
    }

    /// One ticket as a case, revalidated with `etag`.
    pub async fn case(
        &self,
        number: &CaseNumber,
        etag: Option<&str>,
    ) -> Result<Fetched<Case>, ClientError> {
        let _ = (number, etag);
        Err(not_yet())
    }

    /// Tickets changed after transaction `since`.
    pub async fn changes(
        &self,
        since: i64,
        etag: Option<&str>,
    ) -> Result<Fetched<Changes>, ClientError> {
        let _ = (since, etag);
        Err(not_yet())
    }

    /// The wallboard's counts over the followed queues.
    pub async fn stats(&self) -> Result<Stats, ClientError> {
        Err(not_yet())
    }

    /// Search: a ticket number, or words through RT's simple search.
    pub async fn search(&self, q: &str) -> Result<SearchResults, ClientError> {
        let _ = q;
        Err(not_yet())
    }

    /// Escalations recorded on followed tickets, in the given states.
    pub async fn escalations(&self, states: &str) -> Result<Vec<Escalation>, ClientError> {
        let _ = states;
        Err(not_yet())
    }

    /// A document the desk caches: the profile's policies and calendars, RT's people, no macros.
    pub async fn document(
        &self,
        path: &str,
        etag: Option<&str>,
    ) -> Result<Fetched<serde_json::Value>, ClientError> {
        let _ = (path, etag);
        Err(not_yet())
    }
}

fn not_yet() -> ClientError {
    ClientError::Unsupported("this read is not built yet on Request Tracker".into())
}
