//! Bringing the cache up to date: the first full sync, the change feed, the engine's
//! documents, and the background fetch of every open case's detail.

use chrono::{Duration, Utc};
use futures_util::StreamExt;

use super::{Desk, DeskError};
use crate::api::{CaseSummary, Changes, Fetched};
use crate::cache::meta;
use crate::domain::CaseNumber;

/// Cache document names.
pub(super) const POLICIES: &str = "policies";
pub(super) const CALENDARS: &str = "calendars";

/// Rows per page of the first sync (the API's maximum).
const PAGE: u32 = 500;

/// Closed and resolved cases younger than this are part of the first sync.
const RECENT_CLOSED_DAYS: i64 = 30;

/// Detail requests in flight at once during the prefetch.
const PREFETCH_PARALLEL: usize = 8;

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Whether it paged through everything (first sync, or the server was reset).
    pub full: bool,
    /// Case summaries received.
    pub cases: usize,
    /// Case details fetched (a 304 does not count).
    pub details: usize,
    /// The sequence the cache is now at.
    pub seq: i64,
}

impl Desk {
    /// Brings the cache up to date: a full sync the first time (or after a server reset), the
    /// change feed otherwise, then the policies and calendars, then the open cases' details.
    pub async fn sync(&self) -> Result<SyncReport, DeskError> {
        let mut report = self.pull().await?;
        self.refresh_documents().await?;
        report.details = self.prefetch_details().await?;
        // Open cases' files, once per sync, even when no detail changed (a case closed: its
        // files go).
        self.keep_files().await?;
        Ok(report)
    }

    /// The summaries part of [`Desk::sync`]: full or incremental as needed.
    pub async fn pull(&self) -> Result<SyncReport, DeskError> {
        let seq = self.cache().seq()?;
        match seq {
            None => self.full_sync().await,
            Some(seq) => match self.pull_changes(seq).await? {
                Some(report) => Ok(report),
                // The server's sequence went backwards: it is another database now.
                None => {
                    self.cache().clear_cases()?;
                    self.full_sync().await
                }
            },
        }
    }

    /// Pages through every open case and the cases closed in the last 30 days, then catches up
    /// on what changed while paging.
    pub async fn full_sync(&self) -> Result<SyncReport, DeskError> {
        // The sequence before the first page: anything that changes while paging is after it.
        let start = self
            .call(async |client| client.changes(i64::MAX, None).await)
            .await?;
        let start = match start {
            Fetched::Fresh { value, .. } => value.seq,
            Fetched::NotModified => 0,
        };
        let mut cases = self.pages("open=true&sort=number", None).await?;
        let since = Utc::now() - Duration::days(RECENT_CLOSED_DAYS);
        cases += self
            .pages("status=resolved,closed&sort=updated:desc", Some(since))
            .await?;
        self.cache().set_meta(meta::SEQ, &start.to_string())?;
        let caught_up = self.pull_changes(start).await?.unwrap_or_default();
        Ok(SyncReport {
            full: true,
            cases: cases + caught_up.cases,
            details: 0,
            seq: caught_up.seq.max(start),
        })
    }

    /// Pages a case list into the cache, stopping at cases updated before `until` (the list is
    /// then sorted newest first).
    async fn pages(
        &self,
        query: &str,
        until: Option<chrono::DateTime<Utc>>,
    ) -> Result<usize, DeskError> {
        let mut cursor: Option<String> = None;
        let mut count = 0;
        loop {
            let mut q = format!("{query}&limit={PAGE}");
            if let Some(c) = &cursor {
                q.push_str("&cursor=");
                q.extend(form_urlencoded::byte_serialize(c.as_bytes()));
            }
            let page = self.call(async |client| client.cases(&q).await).await?;
            let keep: Vec<CaseSummary> = page
                .items
                .into_iter()
                .take_while(|c| until.is_none_or(|u| c.updated_at >= u))
                .collect();
            let done =
                page.next_cursor.is_none() || (until.is_some() && keep.len() < PAGE as usize);
            count += keep.len();
            let now = Utc::now();
            self.cache()
                .batch(|cache| cache.put_summaries(&keep, now))?;
            if done {
                return Ok(count);
            }
            cursor = page.next_cursor;
        }
    }

    /// Applies the change feed after `since`; `None` when the server's sequence is behind
    /// `since` (it was reset and the cache must be rebuilt).
    pub async fn pull_changes(&self, since: i64) -> Result<Option<SyncReport>, DeskError> {
        let mut since = since;
        let mut cases = 0;
        loop {
            // An idle poll repeats the last empty answer's ETag and gets a bodiless 304.
            let etag = self
                .idle_etag
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone()
                .filter(|(s, _)| *s == since)
                .map(|(_, tag)| tag);
            let changes: Changes = match self
                .call(async |client| client.changes(since, etag.as_deref()).await)
                .await?
            {
                Fetched::NotModified => {
                    return Ok(Some(SyncReport {
                        seq: since,
                        ..SyncReport::default()
                    }));
                }
                Fetched::Fresh { value, etag } => {
                    if value.cases.is_empty()
                        && let Some(tag) = etag
                    {
                        *self.idle_etag.lock().unwrap_or_else(|p| p.into_inner()) =
                            Some((value.seq, tag));
                    }
                    value
                }
            };
            if changes.seq < since {
                return Ok(None);
            }
            cases += changes.cases.len();
            let now = Utc::now();
            self.cache().batch(|cache| {
                cache.put_summaries(&changes.cases, now)?;
                cache.set_meta(meta::SEQ, &changes.seq.to_string())
            })?;
            since = changes.seq;
            if !changes.more {
                return Ok(Some(SyncReport {
                    full: false,
                    cases,
                    details: 0,
                    seq: since,
                }));
            }
        }
    }

    /// Fetches the policies, calendars, people and the team's macros when they changed.
    pub async fn refresh_documents(&self) -> Result<(), DeskError> {
        self.refresh_document::<crate::sla::Policies>(POLICIES, "/v1/policies")
            .await?;
        self.refresh_document::<Vec<crate::sla::CalendarSpec>>(CALENDARS, "/v1/calendars")
            .await?;
        self.refresh_document::<Vec<crate::api::Person>>(super::people::PEOPLE, "/v1/people")
            .await?;
        self.refresh_macros().await
    }

    /// Fetches the team's macros when they changed (a bodiless 304 when not).
    pub async fn refresh_macros(&self) -> Result<(), DeskError> {
        self.refresh_document::<crate::api::MacroSet>(
            super::macros::MACROS,
            super::macros::MACROS_PATH,
        )
        .await
    }

    /// Revalidates one cached document with its ETag, storing a new copy if one comes.
    async fn refresh_document<T>(&self, name: &str, path: &str) -> Result<(), DeskError>
    where
        T: serde::de::DeserializeOwned + serde::Serialize,
    {
        let cached = self.cache().document::<serde_json::Value>(name)?;
        let etag = cached.and_then(|(_, e)| e);
        if let Fetched::Fresh { value, etag } = self
            .call(async |client| client.document::<T>(path, etag.as_deref()).await)
            .await?
        {
            self.cache()
                .put_document(name, &value, etag.as_deref(), Utc::now())?;
        }
        Ok(())
    }

    /// Fetches the detail of every open case whose cached copy is missing or older than its
    /// summary, revalidating with `If-None-Match`; returns how many were fetched.
    pub async fn prefetch_details(&self) -> Result<usize, DeskError> {
        let stale = self.cache().stale_details()?;
        let fetches = futures_util::stream::iter(stale)
            .map(|(number, etag)| async move { self.fetch_detail(&number, etag.as_deref()).await })
            .buffer_unordered(PREFETCH_PARALLEL);
        futures_util::pin_mut!(fetches);
        let mut fetched = 0;
        while let Some(result) = fetches.next().await {
            match result {
                Ok(true) => fetched += 1,
                Ok(false) => {}
                // A case that vanished or that this token may not read is skipped; a lost link
                // ends the prefetch (the next sync resumes it).
                Err(e) if e.is_unreachable() => return Err(e),
                Err(e) => tracing::warn!("prefetch: {e}"),
            }
        }
        Ok(fetched)
    }

    /// Fetches one case's detail into the cache; `true` when a new copy came.
    pub async fn fetch_detail(
        &self,
        number: &CaseNumber,
        etag: Option<&str>,
    ) -> Result<bool, DeskError> {
        match self
            .call(async |client| client.case(number, etag).await)
            .await?
        {
            Fetched::Fresh { value, etag } => {
                self.cache()
                    .put_detail(&value, etag.as_deref(), Utc::now())?;
                Ok(true)
            }
            Fetched::NotModified => {
                self.cache().touch_detail(number, Utc::now())?;
                Ok(false)
            }
        }
    }
}
