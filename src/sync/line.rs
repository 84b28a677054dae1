//! The desk's line to the server. The backend is sealed in here: a server call goes
//! through [`Desk::call`], which records whether the server answered, so no caller can forget
//! the offline state. The few calls that must not touch it say so by name
//! ([`Desk::call_unobserved`]).

use chrono::Utc;

use super::{Contact, Desk, DeskError};
use crate::api::client::Traffic;
use crate::api::{Client, ClientError};
use crate::backend::{Backend, BackendKind};
use crate::cache::meta;

/// The backend, or none for cache-only use; only this module hands it out.
#[derive(Debug, Clone)]
pub(super) struct Line(Option<Backend>);

impl Line {
    /// A line to `backend`; `None` for cache-only use.
    pub(super) fn new(backend: Option<Backend>) -> Line {
        Line(backend)
    }

    /// The backend, or the error a cache-only desk gives for server work.
    fn client(&self) -> Result<&Backend, ClientError> {
        self.0.as_ref().ok_or_else(|| ClientError::Unreachable {
            url: "(none)".into(),
            detail: "working from the cache only".into(),
        })
    }
}

impl Desk {
    /// Runs a server call and records its outcome: online again, or offline since now. A
    /// cache-only desk answers "working from the cache only" without recording anything.
    pub async fn call<T>(
        &self,
        call: impl AsyncFnOnce(&Backend) -> Result<T, ClientError>,
    ) -> Result<T, DeskError> {
        let client = self.line.client()?;
        self.observe(call(client).await)
    }

    /// Runs a server call whose outcome must not change the recorded offline state (a check
    /// before the screen is taken, a probe whose failure says nothing about the link).
    pub async fn call_unobserved<T>(
        &self,
        call: impl AsyncFnOnce(&Backend) -> Result<T, ClientError>,
    ) -> Result<T, ClientError> {
        call(self.line.client()?).await
    }

    /// The client for the event stream, which outlives one call and reports its own state
    /// (the follower's), so it is not observed. Only casedesk's server has one.
    pub(super) fn stream_client(&self) -> Result<Client, ClientError> {
        self.line.client()?.casedesk("live events").cloned()
    }

    /// Which kind of backend the desk talks to (`None` for cache-only use).
    pub fn backend_kind(&self) -> Option<BackendKind> {
        self.line.0.as_ref().map(Backend::kind)
    }

    /// Whether the desk has a server to call (false for cache-only use).
    pub fn has_server(&self) -> bool {
        self.line.0.is_some()
    }

    /// The server's URL, or the error a cache-only desk gives for server work.
    pub fn server(&self) -> Result<&str, ClientError> {
        self.line.client().map(Backend::server)
    }

    /// What the client has sent and received so far.
    pub fn traffic(&self) -> Result<&Traffic, ClientError> {
        self.line.client().map(Backend::traffic)
    }

    /// Records the outcome of a server call: online again, or offline since now. The cache is
    /// written only when the state changes or the last contact time is a second old, so a sync
    /// of thousands of requests does not write the meta table thousands of times.
    fn observe<T>(&self, result: Result<T, ClientError>) -> Result<T, DeskError> {
        let reached = match &result {
            Ok(_) => true,
            Err(e) if e.is_unreachable() => false,
            Err(_) => return Ok(result?),
        };
        let mut contact = self.contact.lock().unwrap_or_else(|p| p.into_inner());
        let now = std::time::Instant::now();
        let stale = contact
            .written
            .is_none_or(|at| now.duration_since(at) >= std::time::Duration::from_secs(1));
        if contact.online != Some(reached) || (reached && stale) {
            let cache = self.cache();
            if reached {
                cache.set_meta_time(meta::SYNCED_AT, Utc::now())?;
                cache.clear_meta(meta::OFFLINE_SINCE)?;
            } else if cache.meta(meta::OFFLINE_SINCE)?.is_none() {
                cache.set_meta_time(meta::OFFLINE_SINCE, Utc::now())?;
            }
            *contact = Contact {
                online: Some(reached),
                written: Some(now),
            };
        }
        Ok(result?)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::api::ClientOptions;
    use crate::cache::Cache;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("casedesk-line-{}-{name}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("c.sqlite3")
    }

    /// A desk whose client is never dialled: the calls below answer without it.
    fn desk(name: &str) -> Desk {
        let client = Client::new(&ClientOptions::new("http://127.0.0.1:9", "token")).unwrap();
        let (cache, _) = Cache::open(&temp(name)).unwrap();
        Desk::new(Some(client), cache)
    }

    fn unreachable() -> ClientError {
        ClientError::Unreachable {
            url: "http://127.0.0.1:9".into(),
            detail: "connection refused".into(),
        }
    }

    #[tokio::test]
    async fn a_failed_call_marks_the_desk_offline_and_a_success_online_again() {
        let desk = desk("offline-online");
        let failed = desk.call(async |_| Err::<(), _>(unreachable())).await;
        assert!(failed.is_err_and(|e| e.is_unreachable()));
        let fresh = desk.freshness().unwrap();
        assert!(fresh.offline_since.is_some(), "{fresh:?}");
        assert_eq!(fresh.as_of, None);

        let answered = desk.call(async |_| Ok(7)).await;
        assert_eq!(answered.unwrap(), 7);
        let fresh = desk.freshness().unwrap();
        assert_eq!(fresh.offline_since, None);
        assert!(fresh.as_of.is_some(), "{fresh:?}");
    }

    #[tokio::test]
    async fn an_unobserved_call_and_a_cache_only_desk_record_nothing() {
        let desk = desk("unobserved");
        let failed = desk
            .call_unobserved(async |_| Err::<(), _>(unreachable()))
            .await;
        assert!(failed.is_err());
        assert_eq!(desk.freshness().unwrap().offline_since, None);

        let (cache, _) = Cache::open(&temp("cache-only")).unwrap();
        let cache_only = Desk::new(None, cache);
        let refused = cache_only.call(async |_| Ok(())).await;
        assert!(refused.is_err_and(|e| e.is_unreachable()));
        let fresh = cache_only.freshness().unwrap();
        assert_eq!((fresh.offline_since, fresh.as_of), (None, None));
    }
}
