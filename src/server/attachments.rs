//! Uploaded files on disk, content-addressed: `<dir>/<sha256>` (two uploads of the same bytes
//! share one file). An upload is streamed to a temporary file in the directory while it is
//! hashed and counted, never held whole in memory, then renamed to its SHA-256.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::config::AttachmentsConfig;

/// Bytes of a file's start kept for sniffing its type.
pub const SNIFF_BYTES: usize = 8 * 1024;

/// Where uploaded files are kept, and the limits on them.
#[derive(Debug)]
pub struct Files {
    dir: PathBuf,
    /// The largest file accepted, in bytes.
    pub max_file: u64,
    /// The most one case's files may add up to, in bytes.
    pub max_case: u64,
    /// Made for a database with no file: removed with the server.
    temporary: bool,
}

impl Files {
    /// The directory of `config`, else `<db>.files/` beside the database file, else (an
    /// in-memory database) a temporary directory that lives as long as this value.
    pub fn new(config: &AttachmentsConfig, db: &Path) -> Files {
        let in_memory = db.as_os_str().is_empty() || db == Path::new(":memory:");
        let (dir, temporary) = match &config.dir {
            Some(dir) => (dir.clone(), false),
            None if in_memory => {
                static NEXT: AtomicU64 = AtomicU64::new(0);
                let n = NEXT.fetch_add(1, Ordering::Relaxed);
                let name = format!("casedesk-files-{}-{n}", std::process::id());
                (std::env::temp_dir().join(name), true)
            }
            None => {
                let mut name = db.as_os_str().to_owned();
                name.push(".files");
                (PathBuf::from(name), false)
            }
        };
        Files {
            dir,
            max_file: config.max_file,
            max_case: config.max_case,
            temporary,
        }
    }

    /// Where the content with this SHA-256 is kept.
    pub fn path_of(&self, sha256: &str) -> PathBuf {
        self.dir.join(sha256)
    }

    /// Streams `body` into a temporary file in the directory, at most `room` bytes (more:
    /// [`Receive::TooLarge`]), hashing it on the way; [`Received::keep`] then names it by its
    /// SHA-256 (dropped unkept, it is removed).
    pub async fn receive(&self, body: Body, room: u64) -> Result<Received, Receive> {
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|source| Receive::Disk {
                path: self.dir.clone(),
                source,
            })?;
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let temp = Partial(self.dir.join(format!(".upload-{}-{n}", std::process::id())));
        let disk = |source| Receive::Disk {
            path: temp.0.clone(),
            source,
        };
        let file = tokio::fs::File::create(&temp.0).await.map_err(disk)?;
        let mut out = tokio::io::BufWriter::with_capacity(256 * 1024, file);
        let mut hash = Sha256::new();
        let mut size: u64 = 0;
        let mut head = Vec::new();
        let mut stream = body.into_data_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| Receive::Body(e.to_string()))?;
            size = size.saturating_add(chunk.len() as u64);
            if size > room {
                return Err(Receive::TooLarge);
            }
            if head.len() < SNIFF_BYTES {
                let take = (SNIFF_BYTES - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
            }
            hash.update(&chunk);
            out.write_all(&chunk).await.map_err(disk)?;
        }
        out.flush().await.map_err(disk)?;
        out.get_ref().sync_data().await.map_err(disk)?;
        let sha256 = hex::encode(hash.finalize());
        let path = self.path_of(&sha256);
        Ok(Received {
            sha256,
            size,
            head,
            temp,
            path,
        })
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        if self.temporary {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A temporary upload file, removed unless renamed (also when the client goes away mid-upload
/// and the request's future is dropped).
#[derive(Debug)]
struct Partial(PathBuf);

impl Drop for Partial {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// An upload received into a temporary file.
#[derive(Debug)]
pub struct Received {
    /// SHA-256 of the content, lowercase hex: its file name once kept.
    pub sha256: String,
    /// Bytes.
    pub size: u64,
    /// The first bytes, for sniffing the type.
    pub head: Vec<u8>,
    temp: Partial,
    path: PathBuf,
}

impl Received {
    /// Names the file by its SHA-256 (same bytes, same name: replacing a copy changes
    /// nothing). Blocking; called in the write that records it, so the file and its row
    /// appear together.
    pub fn keep(self) -> std::io::Result<()> {
        std::fs::rename(&self.temp.0, &self.path)
        // Dropping `temp` now finds nothing left to remove.
    }
}

/// Why an upload was not kept.
#[derive(Debug, thiserror::Error)]
pub enum Receive {
    /// More bytes than there was room for.
    #[error("the upload is over the limit")]
    TooLarge,
    /// The request body failed (the client went away).
    #[error("the upload broke off: {0}")]
    Body(String),
    /// The directory could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Disk {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// The media type of content starting with `head`: a known binary format by its magic bytes,
/// text (no NUL, valid UTF-8) as `text/plain; charset=utf-8`, anything else
/// `application/octet-stream`.
pub fn sniff(head: &[u8]) -> String {
    if let Some(kind) = infer::get(head) {
        return kind.mime_type().to_string();
    }
    if crate::sanitize::looks_like_text(head) {
        "text/plain; charset=utf-8".to_string()
    } else {
        "application/octet-stream".to_string()
    }
}

/// The type the uploader declared in `Content-Type`, when it names one: none, a generic
/// `application/octet-stream`, or what a form post sends by default mean "sniff it". `Err`
/// for a header that is no media type.
pub fn declared_type(value: Option<&str>) -> Result<Option<String>, String> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let essence = value.split(';').next().unwrap_or("").trim();
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    let valid = value.len() <= 200
        && value.bytes().all(|b| (0x20..0x7f).contains(&b))
        && essence
            .split_once('/')
            .is_some_and(|(t, s)| token(t) && token(s));
    if !valid {
        return Err(format!(
            "'{}' is not a media type: expected one like text/plain or application/octet-stream (the server then sniffs the type)",
            crate::sanitize::clean(value, true)
        ));
    }
    let generic = [
        "application/octet-stream",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ];
    Ok((!generic.iter().any(|g| essence.eq_ignore_ascii_case(g))).then(|| value.to_string()))
}

/// `Content-Disposition` for a download of `name`: `attachment` with an ASCII fallback
/// `filename` and the exact name as RFC 5987 `filename*`.
pub fn disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_known_binaries_are_told_apart() {
        assert_eq!(
            sniff(b"Nov 26 03:14:07 rtr1 %LINK-3-UPDOWN"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(sniff("ログ\n".as_bytes()), "text/plain; charset=utf-8");
        // A sample cut inside a character is still text.
        assert_eq!(sniff(&"ロ".as_bytes()[..2]), "text/plain; charset=utf-8");
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "image/png");
        assert_eq!(sniff(b"\x1f\x8b\x08\0\0\0\0\0"), "application/gzip");
        assert_eq!(sniff(b"ab\0cd"), "application/octet-stream");
        assert_eq!(sniff(b"\xff\xfe\xfa"), "application/octet-stream");
    }

    #[test]
    fn only_a_specific_declared_type_is_taken() {
        assert_eq!(declared_type(None), Ok(None));
        assert_eq!(declared_type(Some("application/octet-stream")), Ok(None));
        assert_eq!(
            declared_type(Some("application/x-www-form-urlencoded")),
            Ok(None)
        );
        assert_eq!(
            declared_type(Some("text/x-log; charset=utf-8")),
            Ok(Some("text/x-log; charset=utf-8".into()))
        );
        assert!(declared_type(Some("not a type")).is_err());
        assert!(declared_type(Some("text/\u{1b}")).is_err());
    }

    #[test]
    fn downloads_name_the_file_for_every_browser() {
        assert_eq!(
            disposition("show tech.txt"),
            "attachment; filename=\"show tech.txt\"; filename*=UTF-8''show%20tech.txt"
        );
        assert_eq!(
            disposition("ログ\"1\".txt"),
            "attachment; filename=\"___1_.txt\"; filename*=UTF-8''%E3%83%AD%E3%82%B0%221%22.txt"
        );
    }
}
