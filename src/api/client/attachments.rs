//! Attachment content over HTTP, streamed both ways: an upload reads its file as it sends, a
//! download writes as it receives, so a 50 MiB log never sits whole in memory.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE, ETAG};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::{Client, ClientError, header_text};
use crate::api::types::Attachment;
use crate::domain::CaseNumber;

/// What an upload sends: a file, read as it is sent (opened again for a retry), or bytes
/// already in memory (stdin, the cache's offline copy).
#[derive(Debug, Clone)]
pub enum UploadSource {
    /// A file on disk.
    File(PathBuf),
    /// The content itself.
    Bytes(Bytes),
}

impl UploadSource {
    /// The size in bytes, for `Content-Length` (so the server can refuse too big a file
    /// before it is sent).
    pub fn size(&self) -> Result<u64, ClientError> {
        match self {
            UploadSource::Bytes(b) => Ok(b.len() as u64),
            UploadSource::File(path) => std::fs::metadata(path)
                .map(|m| m.len())
                .map_err(|e| ClientError::Local(format!("cannot read {}: {e}", path.display()))),
        }
    }

    /// A fresh request body: each attempt reads the file from its start.
    fn body(&self) -> reqwest::Body {
        match self {
            UploadSource::Bytes(b) => reqwest::Body::from(b.clone()),
            UploadSource::File(path) => match std::fs::File::open(path) {
                Ok(file) => {
                    let file = tokio::fs::File::from_std(file);
                    reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::with_capacity(
                        file,
                        64 * 1024,
                    ))
                }
                // Failing the request's body fails the attempt with these words.
                Err(e) => reqwest::Body::wrap_stream(futures_util::stream::once(async move {
                    Err::<Bytes, _>(e)
                })),
            },
        }
    }
}

/// What a download received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloaded {
    /// Bytes written.
    pub size: u64,
    /// SHA-256 of what was written, lowercase hex (checked against the server's ETag).
    pub sha256: String,
    /// The file name the server gave (`Content-Disposition`), as sent: sanitize before use.
    pub file_name: Option<String>,
}

/// The file name of a `Content-Disposition` header: `filename*=UTF-8''…` (percent-encoded)
/// preferred over `filename="…"`.
fn disposition_name(header: &str) -> Option<String> {
    let mut plain = None;
    for part in header.split(';').map(str::trim) {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "filename*" => {
                let encoded = value.trim().splitn(3, '\'').nth(2)?;
                let bytes: Vec<u8> = percent_decode(encoded);
                return String::from_utf8(bytes).ok();
            }
            "filename" => plain = Some(value.trim().trim_matches('"').replace("\\\"", "\"")),
            _ => {}
        }
    }
    plain
}

/// `%XX` escapes as bytes; anything else as it is.
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|_| bytes[i] == b'%')
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
}

impl Client {
    /// Adds a file to a case (`POST /v1/cases/{number}/attachments?name=NAME`), streaming its
    /// content. `key` (an `Idempotency-Key`) makes a repeat — after a timeout, or a crash
    /// before the answer was kept — give back the same attachment instead of a second one.
    pub async fn upload_attachment(
        &self,
        number: &CaseNumber,
        name: &str,
        content_type: Option<&str>,
        source: &UploadSource,
        key: &str,
    ) -> Result<Attachment, ClientError> {
        let size = source.size()?;
        let name: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
        let url = self.url(&format!("/v1/cases/{number}/attachments?name={name}"));
        // No deadline for the whole call (a big file on a slow link takes what it takes):
        // the stream client gives up on silence instead.
        let response = self
            .attempts(
                &|| {
                    let req = self
                        .stream_http
                        .post(&url)
                        .header(CONTENT_LENGTH, size)
                        .header("idempotency-key", key)
                        .body(source.body());
                    // Without a type the server sniffs one from the content.
                    match content_type {
                        Some(t) => req.header(CONTENT_TYPE, t),
                        None => req,
                    }
                },
                true,
            )
            .await?;
        let response = self.check(response).await?;
        self.body(response).await
    }

    /// Streams the content of attachment `id` (`GET /v1/attachments/{id}`) into `to`; the
    /// SHA-256 of what came is checked against the server's ETag, so a cut or damaged
    /// transfer is an error, never a silently short file.
    pub async fn download_attachment<W: AsyncWrite + Unpin>(
        &self,
        id: i64,
        to: &mut W,
    ) -> Result<Downloaded, ClientError> {
        let url = self.url(&format!("/v1/attachments/{id}"));
        let response = self.execute(|| self.stream_http.get(&url), true).await?;
        let response = self.check(response).await?;
        let etag = header_text(response.headers(), ETAG).map(|t| {
            t.trim_start_matches("W/")
                .trim_matches('"')
                .to_ascii_lowercase()
        });
        let file_name = header_text(response.headers(), CONTENT_DISPOSITION)
            .as_deref()
            .and_then(disposition_name);
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut chunks = response.bytes_stream();
        let write =
            |e: std::io::Error| ClientError::Local(format!("cannot write attachment {id}: {e}"));
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk.map_err(|e| self.transport(e))?;
            hasher.update(&chunk);
            size += chunk.len() as u64;
            self.traffic
                .bytes
                .fetch_add(chunk.len() as u64, Ordering::Relaxed);
            to.write_all(&chunk).await.map_err(write)?;
        }
        to.flush().await.map_err(write)?;
        let sha256 = hex::encode(hasher.finalize());
        if let Some(etag) = etag.filter(|t| t.len() == 64 && *t != sha256) {
            return Err(ClientError::Protocol {
                url: self.shown.to_string(),
                detail: format!(
                    "attachment {id} arrived damaged: SHA-256 {sha256}, the server's ETag says {etag}"
                ),
            });
        }
        Ok(Downloaded {
            size,
            sha256,
            file_name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_names_prefer_the_encoded_form() {
        assert_eq!(
            disposition_name("attachment; filename=\"a b.log\"").as_deref(),
            Some("a b.log")
        );
        assert_eq!(
            disposition_name(
                "attachment; filename=\"_.txt\"; filename*=UTF-8''%E3%83%AD%E3%82%B0.txt"
            )
            .as_deref(),
            Some("ログ.txt")
        );
        assert_eq!(disposition_name("inline"), None);
    }
}
