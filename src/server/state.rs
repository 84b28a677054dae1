//! Shared server state: the database, the SLA engine, the newest change sequence, and where
//! uploaded files go.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use rusqlite::{Connection, Transaction};
use tokio::sync::watch;

use super::attachments::Files;
use super::clock::Clock;
use super::config::AttachmentsConfig;
use super::db::Db;
use super::http::ApiError;
use super::mail::MailConfig;
use super::store::{self, Caller, Sla, StoreError};

/// Everything a handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    db: Db,
    sla: Sla,
    clock: Clock,
    seq: watch::Sender<i64>,
    /// Bumped on every token revocation, so open event streams re-check their token at once.
    revocations: watch::Sender<u64>,
    shutdown: watch::Receiver<bool>,
    pages: Mutex<HashMap<String, CachedPage>>,
    /// The mail channel's settings, when `[mail]` is configured.
    mail: Option<Arc<MailConfig>>,
    /// Uploaded files: their directory and limits.
    files: Files,
}

/// A rendered list page, valid while the change sequence stays the same.
#[derive(Clone)]
pub struct CachedPage {
    /// The sequence it was rendered at.
    pub seq: i64,
    /// The JSON body.
    pub body: bytes::Bytes,
}

/// Most list pages kept rendered.
const PAGE_CACHE_SIZE: usize = 256;

impl AppState {
    /// State over an open database, telling the time by `clock`.
    pub fn new(
        db: Db,
        sla: Sla,
        clock: Clock,
        shutdown: watch::Receiver<bool>,
        mail: Option<Arc<MailConfig>>,
    ) -> Result<AppState, StoreError> {
        let files = Files::new(&AttachmentsConfig::default(), db.path());
        AppState::with_files(db, sla, clock, shutdown, mail, files)
    }

    /// [`new`](Self::new) keeping uploaded files as `files` says.
    pub fn with_files(
        db: Db,
        sla: Sla,
        clock: Clock,
        shutdown: watch::Receiver<bool>,
        mail: Option<Arc<MailConfig>>,
        files: Files,
    ) -> Result<AppState, StoreError> {
        let seq = db.read_blocking(store::current_seq)?;
        let (tx, _) = watch::channel(seq);
        Ok(AppState(Arc::new(Inner {
            db,
            sla,
            clock,
            seq: tx,
            revocations: watch::channel(0).0,
            shutdown,
            pages: Mutex::new(HashMap::new()),
            mail,
            files,
        })))
    }

    /// Where uploaded files are kept, and the limits on them.
    pub fn files(&self) -> &Files {
        &self.0.files
    }

    /// The mail channel's settings; `None` when the server sends and reads no mail.
    pub fn mail(&self) -> Option<&Arc<MailConfig>> {
        self.0.mail.as_ref()
    }

    /// The SLA engine.
    pub fn sla(&self) -> &Sla {
        &self.0.sla
    }

    /// The server's clock: every request and job takes its "now" from it.
    pub fn clock(&self) -> Clock {
        self.0.clock
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.0.db
    }

    /// The newest change sequence.
    pub fn seq(&self) -> i64 {
        *self.0.seq.borrow()
    }

    /// Wakes up on every new change sequence.
    pub fn subscribe(&self) -> watch::Receiver<i64> {
        self.0.seq.subscribe()
    }

    /// Tells every open event stream that a token was revoked: each re-checks its own.
    pub fn token_revoked(&self) {
        self.0.revocations.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Wakes up on every token revocation.
    pub fn revocations(&self) -> watch::Receiver<u64> {
        self.0.revocations.subscribe()
    }

    /// Turns true when the server is shutting down.
    pub fn shutdown(&self) -> watch::Receiver<bool> {
        self.0.shutdown.clone()
    }

    /// Runs a read on a pooled connection, off the async threads.
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection, &Sla) -> Result<T, StoreError> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || state.0.db.read_blocking(|conn| f(conn, &state.0.sla)))
            .await
            .map_err(|e| ApiError::from(super::db::DbError::Task(e.to_string())))?
            .map_err(ApiError::from)
    }

    /// Runs a write transaction on the single writer, then tells subscribers the new sequence.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction, &Sla) -> Result<T, StoreError> + Send + 'static,
    {
        self.write_store(f).await.map_err(ApiError::from)
    }

    /// [`write`](Self::write) for the server's own tasks (the mail channel), which answer no
    /// request: the store's error as it is.
    pub async fn write_store<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction, &Sla) -> Result<T, StoreError> + Send + 'static,
    {
        let state = self.clone();
        let (value, seq) = tokio::task::spawn_blocking(move || {
            state.0.db.write_blocking(|tx| {
                let value = f(tx, &state.0.sla)?;
                Ok::<_, StoreError>((value, store::current_seq(tx)?))
            })
        })
        .await
        .map_err(|e| StoreError::from(super::db::DbError::Task(e.to_string())))??;
        self.0.seq.send_if_modified(|current| {
            let newer = seq > *current;
            if newer {
                *current = seq;
            }
            newer
        });
        Ok(value)
    }

    /// A rendered page if it is still current.
    pub fn cached_page(&self, key: &str) -> Option<CachedPage> {
        let seq = self.seq();
        let pages = self.0.pages.lock().unwrap_or_else(|p| p.into_inner());
        pages.get(key).filter(|p| p.seq == seq).cloned()
    }

    /// Keeps a rendered page until the next change.
    pub fn cache_page(&self, key: String, page: CachedPage) {
        let mut pages = self.0.pages.lock().unwrap_or_else(|p| p.into_inner());
        if pages.len() >= PAGE_CACHE_SIZE {
            let seq = page.seq;
            pages.retain(|_, p| p.seq == seq);
            if pages.len() >= PAGE_CACHE_SIZE {
                pages.clear();
            }
        }
        pages.insert(key, page);
    }
}

/// The token of an `Authorization: Bearer <token>` header, if the request has one.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)?
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let unauthorized = |detail: &str| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Authentication required",
                detail,
            )
        };
        // Two credentials are ambiguous: refused rather than the first one trusted.
        let sent = parts.headers.get_all(AUTHORIZATION).iter().count();
        if sent > 1 {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "duplicate-authorization",
                "More than one Authorization header",
                format!("the request has {sent} Authorization headers: send exactly one"),
            )
            .field("Authorization"));
        }
        if sent == 0 {
            return Err(unauthorized(
                "send Authorization: Bearer <token>; an admin creates tokens with `casedesk token create`",
            ));
        }
        let token = bearer_token(&parts.headers)
            .ok_or_else(|| unauthorized("the Authorization header must be 'Bearer <token>'"))?
            .to_string();
        state
            .read(move |conn, _| store::authenticate(conn, &token))
            .await?
            .ok_or_else(|| unauthorized("the token is unknown or revoked"))
    }
}
