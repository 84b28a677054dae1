//! The mailbox: new messages fetched over IMAP (IDLE where offered, else polled), handed to
//! `inbound`, then moved to the processed or the error folder.
//!
//! Processed mail leaves the mailbox, so whatever is in it is new: each pass takes everything
//! there, oldest first. A message `inbound` could not record (database trouble) stays where it
//! is and is tried again on a later pass; nothing is deleted before it is recorded.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_imap::imap_proto::{Response, Status};
use async_imap::types::UnsolicitedResponse;
use futures_util::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::sync::{Notify, watch};
use tokio_rustls::TlsConnector;

use super::config::{Endpoint, MailConfig, Security};
use super::inbound::{self, Disposition};
use super::tls::{self, TlsError};
use crate::server::state::AppState;
use crate::server::store::StoreError;

/// The longest one IDLE lasts before it is renewed (servers may drop one idle for 30 minutes).
const IDLE_RENEW: Duration = Duration::from_secs(25 * 60);
/// How long connecting, the TLS handshake and logging in may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one pass over the mailbox may take before the connection is given up as hung.
const PASS_TIMEOUT: Duration = Duration::from_secs(10 * 60);
/// The first wait before reconnecting; doubled after each failure up to `BACKOFF_MAX`.
const BACKOFF_MIN: Duration = Duration::from_secs(1);
/// The longest wait before reconnecting.
const BACKOFF_MAX: Duration = Duration::from_secs(60);

/// A byte stream the IMAP client can run over: plain TCP or TLS.
pub trait Line: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug> Line for T {}

/// A logged-in IMAP session over either kind of line.
pub type Session = async_imap::Session<Box<dyn Line>>;

/// Why talking to the mailbox failed; the reader logs it and reconnects.
#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    /// The TCP connection could not be made.
    #[error("cannot connect to {server}: {source}")]
    Connect {
        /// `host:port`.
        server: String,
        /// The socket's error.
        source: std::io::Error,
    },
    /// The TLS setup (the CA file, the server name) was refused.
    #[error("{0}")]
    Tls(#[from] TlsError),
    /// The TLS handshake failed (e.g. the certificate is not trusted).
    #[error("TLS handshake with {server}: {source}")]
    Handshake {
        /// `host:port`.
        server: String,
        /// Why.
        source: std::io::Error,
    },
    /// The server did not greet, or refused STARTTLS.
    #[error("{server}: {why}")]
    Greeting {
        /// `host:port`.
        server: String,
        /// What it said or did.
        why: String,
    },
    /// LOGIN was refused (the server's words; never the password).
    #[error("login as {user} refused: {source}")]
    Login {
        /// The login name.
        user: String,
        /// The server's answer.
        source: async_imap::error::Error,
    },
    /// A command failed or the connection broke.
    #[error("{what}: {source}")]
    Command {
        /// The command, e.g. `UID MOVE 12 Processed`.
        what: String,
        /// The server's answer or the I/O error.
        source: async_imap::error::Error,
    },
    /// Connecting or a pass over the mailbox took too long.
    #[error("{0} timed out")]
    Timeout(&'static str),
}

/// Wraps a command's failure with what was being done.
fn command(what: impl Into<String>) -> impl FnOnce(async_imap::error::Error) -> ImapError {
    let what = what.into();
    move |source| ImapError::Command { what, source }
}

/// What the server offers after login that the reader uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// `MOVE` (RFC 6851): a message moves in one command.
    pub moves: bool,
    /// `UIDPLUS` (RFC 4315): `UID EXPUNGE` removes only the message copied away.
    pub uidplus: bool,
    /// `IDLE` (RFC 2177): the server says when mail arrives.
    pub idle: bool,
}

/// Takes a raw message and says what to do with it: the seam between the mailbox and the
/// desk's decisions, so a pass can be tried against a real mailbox with a stand-in.
pub trait Receive {
    /// Records one message (see `inbound::receive`).
    fn receive(&self, raw: &[u8]) -> impl Future<Output = Result<Disposition, StoreError>> + Send;
}

impl Receive for AppState {
    fn receive(&self, raw: &[u8]) -> impl Future<Output = Result<Disposition, StoreError>> + Send {
        inbound::receive(self, raw)
    }
}

/// What one pass over the mailbox did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    /// Messages recorded and moved to the processed folder.
    pub processed: usize,
    /// Messages that could not be parsed, moved to the error folder.
    pub errors: usize,
    /// Messages left in the mailbox because they could not be recorded now.
    pub deferred: usize,
    /// New mail was announced while the pass ran: look again before waiting.
    pub more: bool,
}

/// Reads the mailbox until the server stops; `queued` wakes the sender after a pass that may
/// have queued an automatic answer.
pub async fn run(state: AppState, config: Arc<MailConfig>, queued: Arc<Notify>) {
    let mut shutdown = state.shutdown();
    let mut backoff = BACKOFF_MIN;
    loop {
        if *shutdown.borrow() {
            return;
        }
        let mut reached = false;
        match serve(&state, &config, &queued, &mut shutdown, &mut reached).await {
            Ok(()) => return,
            Err(error) => {
                tracing::warn!(%error, imap = %config.imap, "mail in: mailbox connection failed");
            }
        }
        if reached {
            backoff = BACKOFF_MIN;
        }
        tracing::info!(
            wait_s = backoff.as_secs(),
            "mail in: reconnecting to the mailbox"
        );
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = shutdown.changed() => return,
        }
        backoff = (backoff * 2).min(BACKOFF_MAX);
    }
}

/// One connection's life: log in, prepare, then pass and wait until shutdown (`Ok`) or a
/// failure (`Err`). `reached` is set once a pass went through, so the backoff starts over.
async fn serve(
    state: &AppState,
    config: &MailConfig,
    queued: &Notify,
    shutdown: &mut watch::Receiver<bool>,
    reached: &mut bool,
) -> Result<(), ImapError> {
    let mut session = tokio::time::timeout(CONNECT_TIMEOUT, connect(config))
        .await
        .map_err(|_| ImapError::Timeout("connecting to the mailbox"))??;
    let caps = prepare(&mut session, config).await?;
    tracing::info!(imap = %config.imap, mailbox = %config.mailbox, idle = caps.idle, "mail in: reading the mailbox");
    loop {
        let pass = tokio::time::timeout(PASS_TIMEOUT, drain(&mut session, caps, state, config))
            .await
            .map_err(|_| ImapError::Timeout("a pass over the mailbox"))??;
        *reached = true;
        if pass.processed + pass.errors + pass.deferred > 0 {
            tracing::info!(?pass, "mail in: mailbox read");
        }
        if pass.processed > 0 {
            queued.notify_one();
        }
        if *shutdown.borrow() {
            session.logout().await.ok();
            return Ok(());
        }
        if pass.more {
            continue;
        }
        // Mail left behind is retried after the poll interval, not after a whole IDLE.
        let wait = if pass.deferred > 0 {
            config.poll
        } else {
            IDLE_RENEW
        };
        let woke = if caps.idle {
            let (back, woke) = idle(session, wait, shutdown).await?;
            session = back;
            woke
        } else {
            sleep(config.poll, shutdown).await
        };
        if woke == Woke::Shutdown {
            session.logout().await.ok();
            return Ok(());
        }
    }
}

/// Connects as `config.imap` says (STARTTLS, TLS or plain), reads the greeting and logs in.
pub async fn connect(config: &MailConfig) -> Result<Session, ImapError> {
    let endpoint = &config.imap;
    let server = endpoint.to_string();
    let tcp = TcpStream::connect((endpoint.host.as_str(), endpoint.port))
        .await
        .map_err(|source| ImapError::Connect {
            server: server.clone(),
            source,
        })?;
    let line: Box<dyn Line> = match endpoint.security {
        Security::Plain => {
            let mut client = async_imap::Client::new(Box::new(tcp) as Box<dyn Line>);
            greeting(&mut client, &server).await?;
            return login(client, config).await;
        }
        Security::Tls => Box::new(wrap_tls(tcp, endpoint, config).await?),
        Security::StartTls => {
            let mut client = async_imap::Client::new(tcp);
            greeting(&mut client, &server).await?;
            client
                .run_command_and_check_ok("STARTTLS", None)
                .await
                .map_err(|e| ImapError::Greeting {
                    server: server.clone(),
                    why: format!("STARTTLS refused ({e}); STARTTLS is required by imap://"),
                })?;
            Box::new(wrap_tls(client.into_inner(), endpoint, config).await?)
        }
    };
    let mut client = async_imap::Client::new(line);
    if endpoint.security == Security::Tls {
        greeting(&mut client, &server).await?;
    }
    login(client, config).await
}

/// The TLS handshake over `tcp`, trusting the system roots and `ca_file`, checking the
/// certificate names the configured host (a DNS name or an IP address).
async fn wrap_tls(
    tcp: TcpStream,
    endpoint: &Endpoint,
    config: &MailConfig,
) -> Result<tokio_rustls::client::TlsStream<TcpStream>, ImapError> {
    let connector = TlsConnector::from(tls::client_config(config.ca_file.as_deref())?);
    let name = tls::server_name(&endpoint.host)?;
    connector
        .connect(name, tcp)
        .await
        .map_err(|source| ImapError::Handshake {
            server: endpoint.to_string(),
            source,
        })
}

/// Reads the server's first line: `* OK` (or `* PREAUTH`) to go on, anything else refused.
async fn greeting<T: Line>(
    client: &mut async_imap::Client<T>,
    server: &str,
) -> Result<(), ImapError> {
    let refused = |why: String| ImapError::Greeting {
        server: server.to_string(),
        why,
    };
    let first = client
        .read_response()
        .await
        .map_err(|e| refused(format!("no greeting: {e}")))?
        .ok_or_else(|| refused("closed the connection before greeting".into()))?;
    match first.parsed() {
        Response::Data {
            status: Status::Ok | Status::PreAuth,
            ..
        } => Ok(()),
        other => Err(refused(format!("greeted with {other:?}"))),
    }
}

/// LOGIN as `config.user`.
async fn login(
    client: async_imap::Client<Box<dyn Line>>,
    config: &MailConfig,
) -> Result<Session, ImapError> {
    client
        .login(&config.user, &config.password)
        .await
        .map_err(|(source, _)| ImapError::Login {
            user: config.user.clone(),
            source,
        })
}

/// Reads the capabilities offered after login (MOVE, UIDPLUS and IDLE are often announced
/// only then), creates the processed and error folders when missing and selects the mailbox.
pub async fn prepare(
    session: &mut Session,
    config: &MailConfig,
) -> Result<Capabilities, ImapError> {
    let offered = session
        .capabilities()
        .await
        .map_err(command("CAPABILITY"))?;
    let caps = Capabilities {
        moves: offered.has_str("MOVE"),
        uidplus: offered.has_str("UIDPLUS"),
        idle: offered.has_str("IDLE"),
    };
    let existing: Vec<String> = session
        .list(Some(""), Some("*"))
        .await
        .map_err(command("LIST"))?
        .map_ok(|name| name.name().to_string())
        .try_collect()
        .await
        .map_err(command("LIST"))?;
    for folder in [&config.processed, &config.errors] {
        if !existing.iter().any(|name| name == folder) {
            session
                .create(folder)
                .await
                .map_err(command(format!("CREATE {folder}")))?;
            tracing::info!(%folder, "mail in: folder created");
        }
    }
    session
        .select(&config.mailbox)
        .await
        .map_err(command(format!("SELECT {}", config.mailbox)))?;
    Ok(caps)
}

/// One pass over the selected mailbox: every message, oldest first, fetched (without marking
/// it seen), handed to `receiver`, then moved to the processed folder, or to the error folder
/// when it cannot be parsed; left where it is when it could not be recorded.
pub async fn drain<R: Receive>(
    session: &mut Session,
    caps: Capabilities,
    receiver: &R,
    config: &MailConfig,
) -> Result<Pass, ImapError> {
    // What the server announced before this search is covered by it.
    while session.unsolicited_responses.try_recv().is_ok() {}
    let mut uids: Vec<u32> = session
        .uid_search("ALL")
        .await
        .map_err(command("UID SEARCH ALL"))?
        .into_iter()
        .collect();
    uids.sort_unstable();
    let mut pass = Pass::default();
    for uid in uids {
        let Some(raw) = fetch(session, uid).await? else {
            // Gone since the search (another reader took it).
            continue;
        };
        match receiver.receive(&raw).await {
            Ok(Disposition::Processed) => {
                move_to(session, caps, uid, &config.processed).await?;
                pass.processed += 1;
            }
            Ok(Disposition::Unparseable(why)) => {
                tracing::warn!(uid, %why, folder = %config.errors, "mail in: unreadable message moved to the error folder");
                move_to(session, caps, uid, &config.errors).await?;
                pass.errors += 1;
            }
            Err(error) => {
                tracing::warn!(uid, %error, "mail in: message not recorded; left in the mailbox to try again");
                pass.deferred += 1;
            }
        }
    }
    pass.more = new_mail_announced(session);
    Ok(pass)
}

/// Whether the server said, since the pass's search, that mail arrived.
fn new_mail_announced(session: &mut Session) -> bool {
    let mut announced = false;
    while let Ok(response) = session.unsolicited_responses.try_recv() {
        if let UnsolicitedResponse::Exists(_) = response {
            announced = true;
        } else if let UnsolicitedResponse::Recent(count) = response {
            announced |= count > 0;
        }
    }
    announced
}

/// The whole message `uid` (`BODY.PEEK[]`, so it is not marked seen); `None` when it is gone.
async fn fetch(session: &mut Session, uid: u32) -> Result<Option<Vec<u8>>, ImapError> {
    let what = format!("UID FETCH {uid} BODY.PEEK[]");
    let fetches: Vec<async_imap::types::Fetch> = session
        .uid_fetch(uid.to_string(), "BODY.PEEK[]")
        .await
        .map_err(command(what.clone()))?
        .try_collect()
        .await
        .map_err(command(what))?;
    // Other messages' flag changes may come in between; take the one asked for.
    let body = fetches
        .iter()
        .find(|fetch| fetch.uid == Some(uid) && fetch.body().is_some())
        .or_else(|| {
            fetches
                .iter()
                .find(|fetch| fetch.uid.is_none() && fetch.body().is_some())
        })
        .and_then(|fetch| fetch.body())
        .map(<[u8]>::to_vec);
    Ok(body)
}

/// Moves message `uid` to `folder`: `UID MOVE` when offered, else copy, flag deleted and
/// expunge (only that message with UIDPLUS).
pub async fn move_to(
    session: &mut Session,
    caps: Capabilities,
    uid: u32,
    folder: &str,
) -> Result<(), ImapError> {
    let set = uid.to_string();
    if caps.moves {
        return session
            .uid_mv(&set, folder)
            .await
            .map_err(command(format!("UID MOVE {uid} {folder}")));
    }
    session
        .uid_copy(&set, folder)
        .await
        .map_err(command(format!("UID COPY {uid} {folder}")))?;
    let flag = format!("UID STORE {uid} +FLAGS (\\Deleted)");
    session
        .uid_store(&set, "+FLAGS.SILENT (\\Deleted)")
        .await
        .map_err(command(flag.clone()))?
        .try_collect::<Vec<_>>()
        .await
        .map_err(command(flag))?;
    if caps.uidplus {
        let what = format!("UID EXPUNGE {uid}");
        session
            .uid_expunge(&set)
            .await
            .map_err(command(what.clone()))?
            .try_collect::<Vec<_>>()
            .await
            .map_err(command(what))?;
    } else {
        session
            .expunge()
            .await
            .map_err(command("EXPUNGE"))?
            .try_collect::<Vec<_>>()
            .await
            .map_err(command("EXPUNGE"))?;
    }
    Ok(())
}

/// Why a wait between passes ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Woke {
    /// The server announced something (new mail, most likely).
    Mail,
    /// The wait ran out: look again (and renew IDLE).
    Timeout,
    /// The server is stopping.
    Shutdown,
}

/// IDLE for at most `wait`: until the server announces something or the server stops.
async fn idle(
    session: Session,
    wait: Duration,
    shutdown: &mut watch::Receiver<bool>,
) -> Result<(Session, Woke), ImapError> {
    let mut handle = session.idle();
    handle.init().await.map_err(command("IDLE"))?;
    let woke = {
        let (announced, _stop) = handle.wait_with_timeout(wait);
        // The outer timeout bounds the whole IDLE: the crate's own restarts at every keepalive.
        tokio::select! {
            outcome = tokio::time::timeout(wait, announced) => match outcome {
                Ok(Ok(async_imap::extensions::idle::IdleResponse::NewData(_))) => Woke::Mail,
                Ok(Ok(_)) | Err(_) => Woke::Timeout,
                Ok(Err(error)) => return Err(command("IDLE")(error)),
            },
            () = stopped(shutdown) => Woke::Shutdown,
        }
    };
    let session = handle.done().await.map_err(command("DONE"))?;
    Ok((session, woke))
}

/// Sleeps `wait` unless the server stops first.
async fn sleep(wait: Duration, shutdown: &mut watch::Receiver<bool>) -> Woke {
    tokio::select! {
        _ = tokio::time::sleep(wait) => Woke::Timeout,
        () = stopped(shutdown) => Woke::Shutdown,
    }
}

/// Resolves when the server is stopping (or whoever could tell it is gone).
async fn stopped(shutdown: &mut watch::Receiver<bool>) {
    // wait_for also returns at once when it is already true; an error means no sender is left.
    let _ = shutdown.wait_for(|stop| *stop).await;
}
