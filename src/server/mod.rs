//! The case API server (`casedesk serve`): axum routes over a SQLite store, with live events,
//! background jobs and demo data.

pub mod attachments;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
mod events;
pub mod http;
mod jobs;
pub mod macros;
pub mod mail;
pub mod openapi;
mod roles;
mod routes;
pub mod state;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::extract::DefaultBodyLimit;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use self::clock::Clock;
use self::db::Db;
use self::state::AppState;
use self::store::{Sla, StoreError};

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// How to run a server.
#[derive(Debug)]
pub struct ServeOptions {
    /// Address to listen on (port 0: any free port).
    pub listen: SocketAddr,
    /// The database file.
    pub db: PathBuf,
    /// Calendars and policies.
    pub sla: Sla,
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The database could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The server failed while running.
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// A started server.
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// Its state (for tests and the embedded demo).
    pub state: AppState,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<Result<(), std::io::Error>>,
}

impl Running {
    /// Stops accepting, ends live streams, finishes requests in flight, and waits.
    pub async fn stop(self) -> Result<(), ServerError> {
        let _ = self.shutdown.send(true);
        match self.task.await {
            Ok(result) => Ok(result?),
            Err(e) => Err(ServerError::Io(std::io::Error::other(e.to_string()))),
        }
    }
}

/// Opens the database and starts serving on `options.listen`.
pub async fn start(options: ServeOptions) -> Result<Running, ServerError> {
    let path = options.db.clone();
    let db = tokio::task::spawn_blocking(move || Db::open(&path))
        .await
        .map_err(|e| StoreError::Db(db::DbError::Task(e.to_string())))?
        .map_err(StoreError::Db)?;
    start_on(db, options.sla, options.listen).await
}

/// Whether a response may be gzipped: the API's answers may, a file's download may not.
fn not_a_file(
    _: axum::http::StatusCode,
    _: axum::http::Version,
    _: &axum::http::HeaderMap,
    extensions: &axum::http::Extensions,
) -> bool {
    extensions
        .get::<routes::attachments::FileDownload>()
        .is_none()
}

/// Starts serving an open database on the system clock.
pub async fn start_on(db: Db, sla: Sla, listen: SocketAddr) -> Result<Running, ServerError> {
    start_clocked(db, sla, listen, Clock::System).await
}

/// Starts serving an open database, telling the time by `clock`.
pub async fn start_clocked(
    db: Db,
    sla: Sla,
    listen: SocketAddr,
    clock: Clock,
) -> Result<Running, ServerError> {
    start_configured(
        db,
        sla,
        listen,
        clock,
        None,
        &config::AttachmentsConfig::default(),
    )
    .await
}

/// Starts serving an open database, telling the time by `clock`, with the mail channel when
/// `mail` is given, keeping uploaded files as `attachments` says (`[attachments]`).
pub async fn start_configured(
    db: Db,
    sla: Sla,
    listen: SocketAddr,
    clock: Clock,
    mail: Option<mail::MailConfig>,
    attachments: &config::AttachmentsConfig,
) -> Result<Running, ServerError> {
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let mail = mail.map(std::sync::Arc::new);
    let files = attachments::Files::new(attachments, db.path());
    let state = AppState::with_files(db, sla, clock, shutdown_rx.clone(), mail.clone(), files)?;
    // The shipped macros, once: a lead who deletes one keeps it deleted.
    let defaults = macros::defaults().map_err(|e| StoreError::invalid("macros", e))?;
    let now = state.clock().now();
    state
        .write_store(move |tx, _| store::seed_macros(tx, &defaults, now))
        .await?;
    // Report facts for cases written before reports existed (once: afterwards every write keeps
    // them).
    state
        .write_store(move |tx, sla| store::reports::fill_missing(tx, sla, now))
        .await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|source| ServerError::Bind {
            addr: listen,
            source,
        })?;
    let addr = listener.local_addr()?;
    let app = routes::router()
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .compress_when(DefaultPredicate::new().and(not_a_file)),
        )
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state.clone());
    tokio::spawn(jobs::run(state.clone()));
    if let Some(config) = mail {
        mail::spawn(state.clone(), config);
    }
    let mut stop = shutdown_rx;
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stop.wait_for(|stopping| *stopping).await;
            })
            .await
    });
    Ok(Running {
        addr,
        state,
        shutdown: shutdown_tx,
        task,
    })
}

/// Listens for SIGINT and SIGTERM from the moment it is created, so a signal sent right after
/// the server announces itself still shuts it down cleanly.
pub fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {},
                _ = terminate.recv() => {},
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
