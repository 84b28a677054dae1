//! The team's macros replaced by a lead against the set's ETag (read like any document).

use reqwest::header::{ETAG, IF_MATCH};

use super::{Client, ClientError, header_text};
use crate::api::MacroSet;

impl Client {
    /// Replaces the team's macros (`PUT /v1/macros`, lead or admin) if they are still at
    /// `if_match` (the ETag they were read with, or `*`); returns the stored set and its new
    /// ETag. A PUT is idempotent, so it is retried like a read.
    pub async fn put_macros(
        &self,
        set: &MacroSet,
        if_match: &str,
    ) -> Result<(MacroSet, Option<String>), ClientError> {
        let url = self.url("/v1/macros");
        let body = serde_json::to_vec(set).map_err(|e| ClientError::Setup(e.to_string()))?;
        let response = self
            .execute(
                || {
                    self.http
                        .put(&url)
                        .header("content-type", "application/json")
                        .header(IF_MATCH, if_match)
                        .body(body.clone())
                },
                true,
            )
            .await?;
        let response = self.check(response).await?;
        let etag = header_text(response.headers(), ETAG);
        Ok((self.body(response).await?, etag))
    }
}
