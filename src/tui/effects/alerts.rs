//! What the alerts read: the customer's latest replies on my cases, from the cache.

use super::Context;
use crate::tui::app::Msg;

/// Reads the customer's latest reply on each open case of `owner`; a cache that cannot be
/// read leaves the alerts as they were (the queue's own read says so).
pub(super) fn customer_replies(cx: Context, owner: String) {
    tokio::task::spawn_blocking(move || {
        if let Ok(replies) = cx.desk.cache().customer_replies(&owner) {
            cx.send(Msg::CustomerReplies(replies));
        }
    });
}
