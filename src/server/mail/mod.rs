//! The desk's mail channel to customers (SPEC §7): mail out from a durable queue over SMTP,
//! mail in from a mailbox over IMAP, threaded into cases. Off unless `[mail]` is configured.
//!
//! The store knows nothing of mail: `feed` reads the change feed after the fact and queues
//! what each event should send (`outbox`), `smtp` sends the queue, `imap` takes new messages
//! from the mailbox and hands them to `inbound`, which parses, decides and writes.

pub mod compose;
pub mod config;
pub mod feed;
pub mod held;
pub mod imap;
pub mod inbound;
pub mod outbox;
pub mod parse;
pub mod reply;
pub mod safety;
pub mod smtp;
pub mod templates;
pub mod tls;
pub mod wording;

use std::sync::Arc;

use tokio::task::JoinHandle;

pub use config::MailConfig;

use super::state::AppState;

/// Starts the channel's tasks (feed → queue, the sender, the mailbox reader); they stop when
/// the server shuts down.
pub fn spawn(state: AppState, config: Arc<MailConfig>) -> Vec<JoinHandle<()>> {
    // The feed and the mailbox reader wake the sender when they queued mail.
    let queued = Arc::new(tokio::sync::Notify::new());
    vec![
        tokio::spawn(feed::run(state.clone(), config.clone(), queued.clone())),
        tokio::spawn(smtp::run(state.clone(), config.clone(), queued.clone())),
        tokio::spawn(imap::run(state, config, queued)),
    ]
}
