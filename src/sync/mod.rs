//! The desk as a client holds it: the server when it answers, the cache when it does not, and
//! the outbox in between (SPEC §3, §6).
//!
//! [`Desk`] pairs the HTTP client with the cache. Reads go to the server and land in the cache;
//! when the server cannot be reached they come from the cache and say so. Every write goes
//! through the outbox on disk first, so a change survives a lost link or a killed process and
//! reaches the server exactly once (`If-Match` + `Idempotency-Key`). [`follow`] keeps the cache
//! current in the background for the TUI.

mod attachments;
pub mod follow;
mod intake;
mod line;
pub mod load;
pub mod macros;
mod people;
mod pull;
mod reports;
mod rmas;
mod send;

use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};

pub use attachments::{Attached, GotFile};
pub use follow::{FollowOptions, SyncHandle, SyncStatus};
pub use intake::SerialCheck;
pub use pull::SyncReport;
pub use reports::Reported;
pub use send::{FlushReport, Foreign, Opening, Refusal, SubmitMany, Submitted};

use crate::api::{Client, ClientError};
use crate::backend::Backend;
use crate::cache::{Cache, CacheError, meta};
use crate::config::DisplayZone;
use crate::sla::Calendars;

/// A failure of the desk: the server's or the cache's.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// The server refused or could not be reached.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The cache failed.
    #[error(transparent)]
    Cache(#[from] CacheError),
    /// Offline, and the cache does not hold what was asked.
    #[error("{0}")]
    NotCached(String),
    /// The server refused a new case (its words); nothing was kept.
    #[error("{0}")]
    Refused(String),
}

impl DeskError {
    /// Whether the server could not be reached (so the cache stands in).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, DeskError::Client(e) if e.is_unreachable())
    }
}

/// How fresh what was read is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Freshness {
    /// Whether it came from the server just now.
    pub online: bool,
    /// When the server stopped answering.
    pub offline_since: Option<DateTime<Utc>>,
    /// When the cached data was last confirmed by the server.
    pub as_of: Option<DateTime<Utc>>,
}

impl Freshness {
    /// `offline since 14:02, data as of 14:01` when read from the cache; `None` when online.
    pub fn notice(&self, zone: DisplayZone, now: DateTime<Utc>) -> Option<String> {
        if self.online {
            return None;
        }
        let when = |t: Option<DateTime<Utc>>| {
            t.map_or_else(|| "never".to_string(), |t| clock_time(zone, t, now))
        };
        Some(match self.offline_since {
            Some(_) => format!(
                "offline since {}, data as of {}",
                when(self.offline_since),
                when(self.as_of)
            ),
            None => format!("from the cache, data as of {}", when(self.as_of)),
        })
    }
}

/// `14:02` today, `11-21 14:02` on another day.
pub fn clock_time(zone: DisplayZone, t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if zone.format(t, "%F") == zone.format(now, "%F") {
        zone.format(t, "%H:%M")
    } else {
        zone.short(t, now)
    }
}

/// The client's desk: one server, one cache.
#[derive(Debug, Clone)]
pub struct Desk {
    line: line::Line,
    cache: Arc<Mutex<Cache>>,
    /// The ETag of the last empty change-feed answer, so an idle poll is a bodiless 304.
    idle_etag: Arc<Mutex<Option<(i64, String)>>>,
    /// What the cache was last told about reaching the server.
    contact: Arc<Mutex<Contact>>,
    /// This server and the token's person, once the server said.
    owner: Arc<Mutex<Option<crate::cache::Owner>>>,
    /// How many times the cache was rebuilt after damage: of two tasks that met the same
    /// damage, only the first rebuilds (see [`Desk::read_repairing`]).
    rebuilds: Arc<std::sync::atomic::AtomicU64>,
    /// Bytes of open cases' attachments the cache keeps (`[cache] attachments`).
    attachment_budget: u64,
}

/// The server contact state last written to the cache.
#[derive(Debug, Default)]
struct Contact {
    online: Option<bool>,
    written: Option<std::time::Instant>,
}

impl Desk {
    /// A desk on a casedesk server; `client` is `None` for cache-only use (`--offline`, no
    /// token).
    pub fn new(client: Option<Client>, cache: Cache) -> Desk {
        Desk::on(client.map(Backend::Casedesk), cache)
    }

    /// A desk on any backend; `None` for cache-only use.
    pub fn on(backend: Option<Backend>, cache: Cache) -> Desk {
        Desk {
            line: line::Line::new(backend),
            cache: Arc::new(Mutex::new(cache)),
            idle_etag: Arc::default(),
            contact: Arc::default(),
            owner: Arc::default(),
            rebuilds: Arc::default(),
            attachment_budget: crate::config::DEFAULT_ATTACHMENT_BUDGET,
        }
    }

    /// After an error that says the cache file is damaged: moves it aside and rebuilds it,
    /// keeping what can be read of the outbox; `None` for any other error (nothing done).
    pub fn repair_if_damaged(
        &self,
        e: &DeskError,
    ) -> Result<Option<crate::cache::Salvage>, DeskError> {
        self.repair_damaged(e, None)
    }

    /// How many times the cache was rebuilt after damage; taken before a cache read whose
    /// error may lead to [`Desk::repair_if_damaged_since`].
    pub fn rebuilds(&self) -> u64 {
        self.rebuilds.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// [`Desk::repair_if_damaged`] for tasks that share the desk (the TUI's reads and its
    /// background sync): nothing is done (`None`) when the cache was rebuilt since `seen`,
    /// because another task met the same damage first.
    pub fn repair_if_damaged_since(
        &self,
        e: &DeskError,
        seen: u64,
    ) -> Result<Option<crate::cache::Salvage>, DeskError> {
        self.repair_damaged(e, Some(seen))
    }

    fn repair_damaged(
        &self,
        e: &DeskError,
        seen: Option<u64>,
    ) -> Result<Option<crate::cache::Salvage>, DeskError> {
        match e {
            DeskError::Cache(c) if c.is_damaged() => {
                let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
                if seen.is_some_and(|seen| seen != self.rebuilds()) {
                    return Ok(None);
                }
                let salvage = cache.rebuild_damaged()?;
                self.rebuilds
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                drop(cache);
                *self.idle_etag.lock().unwrap_or_else(|p| p.into_inner()) = None;
                Ok(Some(salvage))
            }
            _ => Ok(None),
        }
    }

    /// Reads from the cache; when the read finds the file damaged, repairs it (unless another
    /// task already did) and reads again. Returns what was read, and what this call's repair
    /// kept, for the one-line notice.
    pub fn read_repairing<T>(
        &self,
        read: impl Fn(&Cache) -> Result<T, CacheError>,
    ) -> Result<(T, Option<crate::cache::Salvage>), DeskError> {
        let seen = self.rebuilds();
        let first = read(&self.cache());
        match first {
            Ok(value) => Ok((value, None)),
            Err(e) if e.is_damaged() => {
                let salvage = self.repair_if_damaged_since(&DeskError::Cache(e), seen)?;
                let value = read(&self.cache())?;
                Ok((value, salvage))
            }
            Err(e) => Err(e.into()),
        }
    }

    fn owner_memo(&self) -> Option<crate::cache::Owner> {
        self.owner.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn set_owner_memo(&self, owner: crate::cache::Owner) {
        *self.owner.lock().unwrap_or_else(|p| p.into_inner()) = Some(owner);
    }

    /// The cache, locked. Calls are short: one statement or one page in one transaction.
    pub fn cache(&self) -> MutexGuard<'_, Cache> {
        // A panic while holding the lock leaves the connection usable; SQLite rolled back.
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How fresh the cache is.
    pub fn freshness(&self) -> Result<Freshness, DeskError> {
        let cache = self.cache();
        Ok(Freshness {
            online: false,
            offline_since: cache.meta_time(meta::OFFLINE_SINCE)?,
            as_of: cache.meta_time(meta::SYNCED_AT)?,
        })
    }

    /// The calendars to tick clocks with offline: the server's, as last fetched, else the
    /// built-ins.
    pub fn calendars(&self) -> Calendars {
        let cached = self
            .cache()
            .document::<Vec<crate::sla::CalendarSpec>>(pull::CALENDARS)
            .ok()
            .flatten();
        cached
            .and_then(|(specs, _)| Calendars::from_specs(&specs).ok())
            .unwrap_or_else(Calendars::builtin)
    }

    /// Who the token belongs to: asked of the server (and remembered in the cache), or as
    /// remembered when the server cannot be reached; `None` when never learnt.
    pub async fn me(&self) -> Result<Option<crate::api::Me>, DeskError> {
        if let Ok(server) = self.server() {
            match self.call(async |client| client.identity().await).await {
                Ok(me) => {
                    // Remembered as whom the outbox is written for, with the server's id.
                    let owner = crate::cache::Owner {
                        server_id: me.server_id.unwrap_or_else(|| format!("url:{server}")),
                        user: me.name.clone(),
                    };
                    self.cache().remember_owner(&owner, me.role.as_str())?;
                    self.set_owner_memo(owner);
                    return Ok(Some(crate::api::Me {
                        name: me.name,
                        role: me.role,
                    }));
                }
                Err(e) if e.is_unreachable() => {}
                Err(e) => return Err(e),
            }
        }
        let remembered = self.cache().meta(meta::ME)?;
        Ok(remembered.and_then(|line| {
            let (name, role) = line.split_once(' ')?;
            Some(crate::api::Me {
                name: name.to_string(),
                role: role.parse().ok()?,
            })
        }))
    }
}
