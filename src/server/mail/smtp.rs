//! Sends the queue over SMTP (STARTTLS, implicit TLS or plain on loopback), retrying with
//! backoff; a refusal is recorded with the mail server's words.

use std::error::Error as _;
use std::sync::Arc;
use std::time::Duration;

use lettre::address::{Address, Envelope};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use tokio::sync::Notify;

use super::config::{MailConfig, Security};
use super::outbox::{self, DueMail, MailState};
use crate::server::state::AppState;

/// The longest the sender sleeps without looking at the queue (a queued mail whose wake-up
/// was missed waits at most this long).
const IDLE: Duration = Duration::from_secs(30);

/// How long one conversation with the mail server may take before it counts as failed.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Mail taken from the queue per read.
const BATCH: u32 = 20;

/// The transport the sender uses.
type Transport = AsyncSmtpTransport<Tokio1Executor>;

/// Why the SMTP transport could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The CA file could not be read.
    #[error("cannot read the CA file {path}: {source}")]
    CaFile {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The TLS settings were refused.
    #[error("TLS for {host}: {detail}")]
    Tls {
        /// The mail server.
        host: String,
        /// What lettre said.
        detail: String,
    },
}

/// The outcome of one attempt to send one mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Accepted (250).
    Sent,
    /// Refused for good (5xx): the server's words.
    Refused(String),
    /// Not sent this time (connection, TLS, 4xx): why.
    Retry(String),
}

/// Sends due mail until the server stops: wakes when `wake` is notified (mail was queued),
/// when the next retry falls due, and every [`IDLE`] in any case.
pub async fn run(state: AppState, config: Arc<MailConfig>, wake: Arc<Notify>) {
    let mut shutdown = state.shutdown();
    let transport = loop {
        match transport(&config) {
            Ok(transport) => break transport,
            Err(e) => tracing::error!(error = %e, "mail cannot be sent; retrying"),
        }
        tokio::select! {
            _ = tokio::time::sleep(IDLE) => {}
            _ = shutdown.wait_for(|stopping| *stopping) => return,
        }
    };
    tracing::info!(
        host = %config.smtp.host,
        port = config.smtp.port,
        security = ?config.smtp.security,
        user = %config.user,
        "sending mail"
    );
    loop {
        send_due(&state, &config, &transport).await;
        if *shutdown.borrow() {
            return;
        }
        let wait = until_next(&state).await;
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
            _ = shutdown.wait_for(|stopping| *stopping) => return,
        }
    }
}

/// How long to sleep until the next queued mail falls due, at most [`IDLE`].
async fn until_next(state: &AppState) -> Duration {
    let now = state.clock().now();
    match state.read(|conn, _| outbox::next_due(conn)).await {
        Ok(Some(next)) => (next - now).to_std().unwrap_or(Duration::ZERO).min(IDLE),
        Ok(None) => IDLE,
        Err(e) => {
            tracing::warn!(error = ?e, "cannot read the mail queue");
            IDLE
        }
    }
}

/// Sends every mail due now, recording each outcome.
async fn send_due(state: &AppState, config: &MailConfig, transport: &Transport) {
    let shutdown = state.shutdown();
    loop {
        let now = state.clock().now();
        let due = match state
            .read(move |conn, _| outbox::due(conn, now, BATCH))
            .await
        {
            Ok(due) => due,
            Err(e) => {
                tracing::warn!(error = ?e, "cannot read the mail queue");
                return;
            }
        };
        if due.is_empty() {
            return;
        }
        for mail in due {
            if *shutdown.borrow() {
                return;
            }
            let attempt = send(config, transport, &mail).await;
            if !record(state, &mail, attempt).await {
                return;
            }
        }
    }
}

/// Records the outcome of sending `mail`; `false` when it could not be recorded (the queue
/// is then read again later rather than sent from in a loop).
async fn record(state: &AppState, mail: &DueMail, attempt: Attempt) -> bool {
    let id = mail.id;
    let at = state.clock().now();
    let result = match &attempt {
        Attempt::Sent => {
            tracing::info!(message_id = %mail.message_id, to = %mail.recipient, "mail sent");
            state
                .write(move |tx, _| outbox::mark_sent(tx, id, at).map(|()| MailState::Sent))
                .await
        }
        Attempt::Refused(why) | Attempt::Retry(why) => {
            let permanent = matches!(attempt, Attempt::Refused(_));
            let why = why.clone();
            state
                .write(move |tx, _| outbox::mark_failed(tx, id, &why, permanent, at))
                .await
        }
    };
    match result {
        Ok(MailState::Failed) => {
            tracing::warn!(message_id = %mail.message_id, to = %mail.recipient, outcome = ?attempt, "mail failed");
            true
        }
        Ok(MailState::Queued) => {
            tracing::info!(message_id = %mail.message_id, to = %mail.recipient, outcome = ?attempt, "mail will be retried");
            true
        }
        Ok(MailState::Sent) => true,
        Err(e) => {
            tracing::warn!(error = ?e, "cannot record a mail's outcome");
            false
        }
    }
}

/// One attempt to hand `mail` to the mail server, as it is (its bytes were composed once).
async fn send(config: &MailConfig, transport: &Transport, mail: &DueMail) -> Attempt {
    let to = outbox::recipient_address(&mail.recipient);
    let to: Address = match to.parse() {
        Ok(to) => to,
        Err(_) => return Attempt::Refused(format!("'{to}' is not a mail address")),
    };
    let envelope = match Envelope::new(Some(config.from.email.clone()), vec![to]) {
        Ok(envelope) => envelope,
        Err(e) => return Attempt::Refused(e.to_string()),
    };
    match transport.send_raw(&envelope, &mail.raw).await {
        Ok(_) => Attempt::Sent,
        Err(e) => outcome(&e),
    }
}

/// What a failed attempt means: a 5xx refusal is final, anything else is worth a retry.
fn outcome(e: &lettre::transport::smtp::Error) -> Attempt {
    // The server's own words (`550 5.1.1 <x@example.test>: Recipient address rejected`) are
    // what the agent needs; lettre's wrapper text is not.
    let words = e.source().map(|s| s.to_string());
    let said = match (e.status(), words) {
        (Some(code), Some(words)) => format!("{code} {words}"),
        (Some(code), None) => code.to_string(),
        (None, _) => e.to_string(),
    };
    if e.is_permanent() {
        Attempt::Refused(said)
    } else {
        Attempt::Retry(said)
    }
}

/// The transport `config.smtp` asks for: STARTTLS required, TLS from the first byte, or plain
/// (which the config allows only on loopback); the CA file is trusted besides the system's.
fn transport(config: &MailConfig) -> Result<Transport, SetupError> {
    let host = config.smtp.host.clone();
    let tls = match config.smtp.security {
        Security::StartTls => Tls::Required(tls_parameters(config)?),
        Security::Tls => Tls::Wrapper(tls_parameters(config)?),
        Security::Plain => Tls::None,
    };
    Ok(Transport::builder_dangerous(host)
        .port(config.smtp.port)
        .tls(tls)
        .credentials(Credentials::new(
            config.user.clone(),
            config.password.clone(),
        ))
        .timeout(Some(TIMEOUT))
        .build())
}

fn tls_parameters(config: &MailConfig) -> Result<TlsParameters, SetupError> {
    let host = config.smtp.host.clone();
    let tls_error = |e: lettre::transport::smtp::Error| SetupError::Tls {
        host: host.clone(),
        detail: e.to_string(),
    };
    let mut builder = TlsParameters::builder(host.clone());
    if let Some(path) = &config.ca_file {
        let pem = std::fs::read(path).map_err(|source| SetupError::CaFile {
            path: path.display().to_string(),
            source,
        })?;
        builder = builder.add_root_certificate(Certificate::from_pem(&pem).map_err(tls_error)?);
    }
    builder.build_rustls().map_err(tls_error)
}
