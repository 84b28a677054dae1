//! Request Tracker 5 as a casedesk backend, over its REST 2 API (docs/BACKENDS.md).
//!
//! [`RtClient`] answers the port (`Backend`, src/backend.rs) in the casedesk API's types: a
//! ticket is a case (its id the case number), the followed queues are the desk, the ticket's
//! transactions are the timeline and the history the SLA engine replays — casedesk computes
//! every clock itself, with the profile's policies and calendars. What RT has no place for
//! (RMAs, entitlements) is refused by name, never faked. The mapping (`[profiles.NAME.rt]`)
//! is [`crate::config::RtSettings`].
//!
//! - `http`: the requests themselves — token auth, ETags, RT's errors in RT's words (including
//!   the "200 with an error in the list" answers), the traffic count;
//! - `wire`: RT's JSON as it comes (ids as strings or numbers, unset dates as 1970);
//! - `map`: tickets to case summaries and back (pure);
//! - `history`: transactions to notes, history lines and the SLA engine's case history (pure);
//! - `read`: the list, one case, the change feed, search, counts, people, documents;
//! - `write`: changes, notes and escalations with `If-Match`, replayed exactly once.

mod history;
mod http;
mod map;
mod read;
pub mod wire;
mod write;

use std::sync::Arc;

use crate::api::client::Traffic;
use crate::api::{ClientError, ClientOptions};
use crate::sla::{Calendars, Policies};

pub use crate::config::RtSettings;

/// The SLA rules clocks are computed with: the profile's policies and calendars.
#[derive(Debug, Clone)]
pub struct SlaRules {
    /// Targets by priority, tier and channel.
    pub policies: Policies,
    /// Business calendars by name.
    pub calendars: Calendars,
}

/// A Request Tracker 5 server as a casedesk backend. Cheap to clone.
#[derive(Debug, Clone)]
pub struct RtClient {
    http: http::RtHttp,
    settings: Arc<RtSettings>,
    sla: Arc<SlaRules>,
}

impl RtClient {
    /// A client for the RT at `options.server` (its base URL, without `/REST/2.0`), with the
    /// token sent as `Authorization: token …`.
    pub fn new(
        options: &ClientOptions,
        settings: RtSettings,
        sla: SlaRules,
    ) -> Result<RtClient, ClientError> {
        Ok(RtClient {
            http: http::RtHttp::new(options)?,
            settings: Arc::new(settings),
            sla: Arc::new(sla),
        })
    }

    /// RT's base URL as printed.
    pub fn server(&self) -> &str {
        self.http.server()
    }

    /// What has been sent and received so far.
    pub fn traffic(&self) -> &Traffic {
        self.http.traffic()
    }

    /// The mapping in use.
    pub fn settings(&self) -> &RtSettings {
        &self.settings
    }
}
