//! Reports for leads as the desk holds them: fetched (revalidated with their ETag) and kept in
//! the cache, so the last copy of each report stays readable offline, saying when it was taken.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Desk, DeskError};
use crate::api::Fetched;
use crate::api::reports::{ReportKind, ReportQuery, Trend};

/// A report and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Reported<T> {
    /// The report.
    pub report: T,
    /// When the copy was fetched, if the server could not be reached and the cache answered.
    pub cached_at: Option<DateTime<Utc>>,
}

/// The cache document a report query is kept under.
fn document_name(kind: ReportKind, query: &ReportQuery) -> String {
    format!("report/{kind}?{}", query.to_query_string())
}

/// The cache document of the wallboard's trend.
pub(super) const TREND: &str = "report/trend";

impl Desk {
    /// A report (`T` is the kind's type: `SlaReport` for `sla`, …): from the server, else as
    /// last cached for the same query. Refused by name on a backend without reports, and
    /// [`DeskError::NotCached`] when offline with no copy.
    pub async fn report<T>(
        &self,
        kind: ReportKind,
        query: &ReportQuery,
    ) -> Result<Reported<T>, DeskError>
    where
        T: DeserializeOwned + Serialize,
    {
        let name = document_name(kind, query);
        self.fetch_document(&name, async |backend, etag| {
            backend
                .casedesk("reports")?
                .report::<T>(kind, query, etag)
                .await
        })
        .await
        .map_err(|e| match e {
            DeskError::NotCached(_) => DeskError::NotCached(format!(
                "the {kind} report for this period is not in the cache and the server cannot be reached"
            )),
            e => e,
        })
    }

    /// The desk's trend for the wallboard, from the server or as last cached.
    pub async fn trend(&self) -> Result<Reported<Trend>, DeskError> {
        self.fetch_document(TREND, async |backend, etag| {
            backend.casedesk("reports")?.trend(etag).await
        })
        .await
    }

    /// Revalidates the cached document `name` with `fetch`; answers from the cache when the
    /// server cannot be reached.
    async fn fetch_document<T>(
        &self,
        name: &str,
        fetch: impl AsyncFnOnce(
            &crate::backend::Backend,
            Option<&str>,
        ) -> Result<Fetched<T>, crate::api::ClientError>,
    ) -> Result<Reported<T>, DeskError>
    where
        T: DeserializeOwned + Serialize,
    {
        let cached = self.cache().document_with_time::<T>(name)?;
        let etag = cached.as_ref().and_then(|(_, e, _)| e.clone());
        if self.has_server() {
            match self
                .call(async |backend| fetch(backend, etag.as_deref()).await)
                .await
            {
                Ok(Fetched::Fresh { value, etag }) => {
                    self.cache()
                        .put_document(name, &value, etag.as_deref(), Utc::now())?;
                    return Ok(Reported {
                        report: value,
                        cached_at: None,
                    });
                }
                Ok(Fetched::NotModified) => {
                    if let Some((report, _, _)) = cached {
                        return Ok(Reported {
                            report,
                            cached_at: None,
                        });
                    }
                }
                Err(e) if e.is_unreachable() => {}
                Err(e) => return Err(e),
            }
        }
        match cached {
            Some((report, _, at)) => Ok(Reported {
                report,
                cached_at: Some(at),
            }),
            None => Err(DeskError::NotCached(format!(
                "{name} is not in the cache and the server cannot be reached"
            ))),
        }
    }
}
