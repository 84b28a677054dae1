//! The people of the desk, kept in the cache beside the policies and calendars so the assign
//! picker completes names (and refuses unknown ones) offline too.

use chrono::Utc;

use super::{Desk, DeskError};
use crate::api::{Fetched, Person};

/// The cache document holding `GET /v1/people`.
pub(super) const PEOPLE: &str = "people";

/// The people as cached, with the ETag they came with.
type CachedPeople = Option<(Vec<Person>, Option<String>)>;

impl Desk {
    /// The people of the desk: asked of the server (revalidated with the cached copy's ETag)
    /// when it answers, else as last cached; empty when never learnt.
    pub async fn people(&self) -> Result<Vec<Person>, DeskError> {
        let cached = self.cached_people()?;
        if !self.has_server() {
            return Ok(cached.map(|(p, _)| p).unwrap_or_default());
        }
        let etag = cached.as_ref().and_then(|(_, e)| e.clone());
        match self
            .call(async |client| client.people(etag.as_deref()).await)
            .await
        {
            Ok(Fetched::Fresh { value, etag }) => {
                self.cache()
                    .put_document(PEOPLE, &value, etag.as_deref(), Utc::now())?;
                Ok(value)
            }
            Ok(Fetched::NotModified) => Ok(cached.map(|(p, _)| p).unwrap_or_default()),
            Err(e) if e.is_unreachable() => Ok(cached.map(|(p, _)| p).unwrap_or_default()),
            Err(e) => Err(e),
        }
    }

    /// The people as last cached, without asking the server.
    pub fn known_people(&self) -> Result<Vec<Person>, DeskError> {
        Ok(self.cached_people()?.map(|(p, _)| p).unwrap_or_default())
    }

    fn cached_people(&self) -> Result<CachedPeople, DeskError> {
        Ok(self.cache().document::<Vec<Person>>(PEOPLE)?)
    }
}
