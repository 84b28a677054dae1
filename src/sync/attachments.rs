//! Attachments through the desk: adding a file (streamed online, kept in the cache and queued
//! in the outbox offline), reading one (from the cache when it holds it, checked by SHA-256,
//! else from the server), and keeping the open cases' newest files in the cache within the
//! `[cache] attachments` budget.

use bytes::Bytes;
use chrono::Utc;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::{Desk, DeskError};
use crate::api::client::{UploadSource, idempotency_key};
use crate::api::{Attachment, ClientError};
use crate::cache::PendingChange;
use crate::domain::CaseNumber;

/// What became of a file being attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attached {
    /// The server has it: the attachment as it recorded it.
    Sent(Attachment),
    /// The server could not be reached: the file waits in the outbox under this entry id.
    Queued(i64),
}

/// What reading an attachment gave, besides the bytes written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GotFile {
    /// The file name as the server or the cache knows it (unsanitized: clean it before use).
    pub name: Option<String>,
    /// Bytes written.
    pub size: u64,
    /// Whether they came from the cache (the server was not asked).
    pub from_cache: bool,
}

impl Desk {
    /// The desk keeping `bytes` of open cases' attachments in the cache (default
    /// [`crate::config::DEFAULT_ATTACHMENT_BUDGET`]).
    pub fn with_attachment_budget(self, bytes: u64) -> Desk {
        Desk {
            attachment_budget: bytes,
            ..self
        }
    }

    /// How many bytes of open cases' attachments the cache keeps.
    pub fn attachment_budget(&self) -> u64 {
        self.attachment_budget
    }

    /// Adds a file to a case. Online it is streamed to the server; when the server cannot be
    /// reached its content is kept in the cache and an attach entry queued in the outbox,
    /// under the key the first try was sent with, so the server records it once however the
    /// tries and replays land.
    pub async fn attach(
        &self,
        number: &CaseNumber,
        source: UploadSource,
        name: &str,
        content_type: Option<&str>,
    ) -> Result<Attached, DeskError> {
        let key = idempotency_key();
        let sent = self
            .call(async |client| {
                client
                    .casedesk("attachments")?
                    .upload_attachment(number, name, content_type, &source, &key)
                    .await
            })
            .await;
        match sent {
            Ok(file) => {
                // The case moved on (its timeline, its version): read it back if it answers.
                let etag = self.cache().detail(number)?.and_then(|c| c.etag);
                if let Err(e) = self.fetch_detail(number, etag.as_deref()).await {
                    tracing::debug!("reading {number} back after an upload: {e}");
                }
                Ok(Attached::Sent(file))
            }
            Err(e) if e.is_unreachable() => {
                let version = self
                    .cache()
                    .summary(number)?
                    .map(|s| s.version)
                    .ok_or_else(|| {
                        DeskError::NotCached(format!(
                            "case {number} is not in the cache and the server cannot be reached: a file can be queued only for a case seen before (run `casedesk sync` when online)"
                        ))
                    })?;
                let content = match source {
                    UploadSource::Bytes(b) => b.to_vec(),
                    UploadSource::File(path) => tokio::fs::read(&path).await.map_err(|e| {
                        ClientError::Local(format!("cannot read {}: {e}", path.display()))
                    })?,
                };
                let size = content.len() as u64;
                let entry = self.cache().batch(|cache| {
                    let upload =
                        cache.put_upload(number, name, content_type, content, Utc::now())?;
                    let change = PendingChange::Attach {
                        upload: upload.id,
                        name: name.to_string(),
                        size,
                    };
                    cache.enqueue_keyed(Some(number), &change, version, Utc::now(), &key)
                })?;
                Ok(Attached::Queued(entry.id))
            }
            Err(e) => Err(e),
        }
    }

    /// Sends a file waiting in the outbox (the attach entry's `upload`) under the entry's key.
    pub(super) async fn send_upload(
        &self,
        number: &CaseNumber,
        upload: i64,
        key: &str,
    ) -> Result<Attachment, DeskError> {
        let Some(file) = self.cache().upload(upload)? else {
            return Err(ClientError::Local(format!(
                "the file of this attach is no longer in the cache (upload {upload}): discard the entry and attach it again"
            ))
            .into());
        };
        let source = UploadSource::Bytes(Bytes::from(file.content));
        self.call(async |client| {
            client
                .casedesk("attachments")?
                .upload_attachment(
                    number,
                    &file.name,
                    file.content_type.as_deref(),
                    &source,
                    key,
                )
                .await
        })
        .await
    }

    /// Writes the content of attachment `id` to `to`: from the cache when it holds an intact
    /// copy, else from the server (kept in the cache on the way when its case is open and it
    /// is among the newest files within the budget).
    pub async fn attachment<W: AsyncWrite + Unpin>(
        &self,
        id: i64,
        to: &mut W,
    ) -> Result<GotFile, DeskError> {
        let cached = self.cache().attachment_file(id)?;
        if let Some(file) = cached {
            if file.intact() {
                to.write_all(&file.content)
                    .await
                    .and(to.flush().await)
                    .map_err(|e| {
                        ClientError::Local(format!("cannot write attachment {id}: {e}"))
                    })?;
                return Ok(GotFile {
                    name: Some(file.name),
                    size: file.content.len() as u64,
                    from_cache: true,
                });
            }
            // Damaged on disk: dropped, and fetched again below.
            self.cache().remove_attachment_file(id)?;
        }
        let listing = self.cache().attachment_listing(id)?;
        let keep = match &listing {
            Some((_, _, true)) => {
                let plan = self.cache().file_plan(self.attachment_budget())?;
                plan.fetch.into_iter().find(|(_, f)| f.id == id)
            }
            _ => None,
        };
        let got = match keep {
            Some((number, file)) => {
                let mut content = Vec::new();
                let got = self
                    .call(async |client| {
                        client
                            .casedesk("attachments")?
                            .download_attachment(id, &mut content)
                            .await
                    })
                    .await;
                let got = self.not_cached(id, got)?;
                to.write_all(&content)
                    .await
                    .and(to.flush().await)
                    .map_err(|e| {
                        ClientError::Local(format!("cannot write attachment {id}: {e}"))
                    })?;
                if got.sha256 == file.sha256 {
                    self.cache()
                        .put_attachment_file(&number, &file, &content, Utc::now())?;
                }
                got
            }
            None => {
                let got = self
                    .call(async |client| {
                        client
                            .casedesk("attachments")?
                            .download_attachment(id, to)
                            .await
                    })
                    .await;
                self.not_cached(id, got)?
            }
        };
        Ok(GotFile {
            name: got
                .file_name
                .or_else(|| listing.map(|(_, file, _)| file.name)),
            size: got.size,
            from_cache: false,
        })
    }

    /// A download's failure; offline, in words that say the cache does not hold the file.
    fn not_cached<T>(&self, id: i64, result: Result<T, DeskError>) -> Result<T, DeskError> {
        result.map_err(|e| {
            if e.is_unreachable() {
                DeskError::NotCached(format!(
                    "attachment {id} is not in the cache and the server cannot be reached ({e}); the cache keeps open cases' newest files after a sync"
                ))
            } else {
                e
            }
        })
    }

    /// Brings the cached files in line with the budget: drops those of cases no longer open
    /// and those past the budget, fetches the open cases' newest files not held yet (by id and
    /// SHA-256). Returns how many were fetched; a lost link ends it (the next sync resumes).
    pub async fn sync_files(&self) -> Result<usize, DeskError> {
        let plan = self.cache().file_plan(self.attachment_budget())?;
        for id in &plan.evict {
            self.cache().remove_attachment_file(*id)?;
        }
        let mut fetched = 0;
        for (number, file) in plan.fetch {
            let mut content = Vec::new();
            let got = self
                .call(async |client| {
                    client
                        .casedesk("attachments")?
                        .download_attachment(file.id, &mut content)
                        .await
                })
                .await;
            match got {
                Ok(got) if got.sha256 == file.sha256 => {
                    self.cache()
                        .put_attachment_file(&number, &file, &content, Utc::now())?;
                    fetched += 1;
                }
                Ok(got) => tracing::warn!(
                    "attachment {}: SHA-256 {} is not the listed {}",
                    file.id,
                    got.sha256,
                    file.sha256
                ),
                Err(e) if e.is_unreachable() => return Err(e),
                // A file removed or not readable by this token is skipped.
                Err(e) => tracing::warn!("attachment {}: {e}", file.id),
            }
        }
        Ok(fetched)
    }
}

impl Desk {
    /// [`Desk::sync_files`] as part of a sync: a lost link ends the sync, any other failure is
    /// logged (the cases are more important than their files).
    pub(super) async fn keep_files(&self) -> Result<(), DeskError> {
        match self.sync_files().await {
            Err(e) if e.is_unreachable() => Err(e),
            Err(e) => {
                tracing::warn!("attachments: {e}");
                Ok(())
            }
            Ok(_) => Ok(()),
        }
    }
}
