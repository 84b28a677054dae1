//! What every client command shares: the global flags, opening the profile's desk, the
//! runtime, and turning the desk's errors into exit statuses.

use std::path::PathBuf;

use chrono::Utc;
use clap::Args;

use super::CliError;
use crate::api::{Client, ClientError, ClientOptions};
use crate::backend::{Backend, BackendKind};
use crate::cache::{Cache, meta};
use crate::config::{Config, ConfigError, Dirs, DisplayZone, Env, Overrides, Profile};
use crate::rt::RtClient;
use crate::sync::{Desk, DeskError, Freshness};

/// Flags every client command takes.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// The config file (default: casedesk/config.toml in the platform config directory).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The server profile (default: CASEDESK_PROFILE, else the config's default_profile).
    #[arg(long, global = true, value_name = "P")]
    pub profile: Option<String>,
}

impl GlobalArgs {
    /// The command line's part of the configuration.
    pub fn overrides(&self, server: Option<String>) -> Overrides {
        Overrides {
            config_file: self.config.clone(),
            profile: self.profile.clone(),
            server,
        }
    }
}

impl From<ConfigError> for CliError {
    fn from(e: ConfigError) -> Self {
        CliError::Usage(e.to_string())
    }
}

impl From<DeskError> for CliError {
    fn from(e: DeskError) -> Self {
        CliError::Failed(e.to_string())
    }
}

impl From<ClientError> for CliError {
    fn from(e: ClientError) -> Self {
        CliError::Failed(e.to_string())
    }
}

/// The configuration and profile a command runs with.
pub fn load_profile(global: &GlobalArgs) -> Result<(Config, Profile), CliError> {
    let overrides = global.overrides(None);
    let config = Config::load(&overrides, Dirs::platform()?)?;
    super::table::set_language(config.file.tui.language.as_deref());
    let profile = config.profile(&overrides, &Env::from_process())?;
    Ok((config, profile))
}

/// The HTTP settings of the profile, for any backend.
fn options_for(profile: &Profile, server: &str, token: &str) -> ClientOptions {
    ClientOptions {
        connect_timeout: profile.connect_timeout,
        request_timeout: profile.request_timeout,
        wait: profile.wait,
        ca_file: profile.ca_file.clone(),
        ..ClientOptions::new(server, token)
    }
}

/// The profile's HTTP client.
pub fn client_for(profile: &Profile, server: &str, token: &str) -> Result<Client, CliError> {
    Ok(Client::new(&options_for(profile, server, token))?)
}

/// The casedesk client of a profile, for commands only casedesk's server answers (`what`,
/// plural: "entitlements"); on another backend the refusal names the feature and the backend
/// before anything is sent (RT would answer casedesk's paths with 404s).
pub fn casedesk_client(profile: &Profile, what: &str) -> Result<Client, CliError> {
    if profile.backend != BackendKind::Casedesk {
        return Err(ClientError::Unsupported(format!(
            "{what} are not available on {}",
            profile.backend.title()
        ))
        .into());
    }
    client_for(profile, profile.server()?, &profile.token()?)
}

/// The profile's backend: casedesk's case API, or Request Tracker on `backend = "rt"` (its
/// clocks computed with the built-in policies and calendars).
pub fn backend_for(profile: &Profile, server: &str, token: &str) -> Result<Backend, CliError> {
    Ok(match profile.backend {
        BackendKind::Casedesk => Backend::Casedesk(client_for(profile, server, token)?),
        BackendKind::Rt => {
            let options = options_for(profile, server, token);
            let rules = crate::rt::SlaRules {
                policies: crate::sla::Policies::builtin(),
                calendars: crate::sla::Calendars::builtin(),
            };
            Backend::Rt(RtClient::new(&options, profile.rt.clone(), rules)?)
        }
    })
}

/// An open desk and what a command prints around it.
pub struct Session {
    /// The desk.
    pub desk: Desk,
    /// The profile.
    pub profile: Profile,
}

impl Session {
    /// Opens the profile's cache (announcing a rebuild on stderr) and, unless `offline`, its
    /// client.
    pub fn open(global: &GlobalArgs, offline: bool) -> Result<Session, CliError> {
        let (_, profile) = load_profile(global)?;
        let client = if offline {
            None
        } else {
            let server = profile.server()?.to_string();
            Some(backend_for(&profile, &server, &profile.token()?)?)
        };
        let (cache, rebuilt) = Cache::open(&profile.cache_file).map_err(DeskError::from)?;
        if let Some(rebuilt) = rebuilt {
            eprintln!("notice: {rebuilt}");
        }
        // A cache of another server holds nothing this one knows.
        if let Some(server) = &profile.server {
            let known = cache.meta(meta::SERVER).map_err(DeskError::from)?;
            if known.as_deref() != Some(server.as_str()) && !offline {
                // What was queued for the old server stays its own (never sent to this one).
                cache
                    .forget_server(known.as_deref())
                    .map_err(DeskError::from)?;
                cache.clear_cases().map_err(DeskError::from)?;
                cache.clear_meta(meta::SEQ).map_err(DeskError::from)?;
                cache
                    .set_meta(meta::SERVER, server)
                    .map_err(DeskError::from)?;
            }
        }
        let desk = Desk::on(client, cache).with_attachment_budget(profile.attachments_budget);
        Ok(Session { desk, profile })
    }

    /// The display zone.
    pub fn zone(&self) -> DisplayZone {
        self.profile.zone
    }

    /// Asks the server; when it cannot be reached, says so on stderr and answers with
    /// `cached` instead.
    pub fn online_or_cached<T>(
        &self,
        online: impl AsyncFnOnce(&crate::backend::Backend) -> Result<T, ClientError>,
        cached: impl FnOnce(&Session, DeskError) -> Result<T, CliError>,
    ) -> Result<T, CliError> {
        block_on(async {
            match self.desk.call(online).await {
                Ok(value) => Ok(value),
                Err(e) if e.is_unreachable() => {
                    self.fall_back(&e)?;
                    self.announce(self.desk.freshness()?);
                    cached(self, e)
                }
                Err(e) => Err(e.into()),
            }
        })
    }

    /// Whether the cache may stand in for a server that could not be reached (`why`): not
    /// when it never held anything from the server, which is a failure (exit 1), not "0
    /// cases".
    pub fn fall_back(&self, why: &dyn std::fmt::Display) -> Result<(), CliError> {
        if self.desk.freshness()?.as_of.is_none() {
            return Err(CliError::Failed(format!(
                "{why}; nothing is cached yet to show instead (run `casedesk sync` once the server answers)"
            )));
        }
        Ok(())
    }

    /// Says on stderr that what follows came from the cache, and how old it is.
    pub fn announce(&self, freshness: Freshness) {
        if let Some(notice) = freshness.notice(self.zone(), Utc::now()) {
            eprintln!("{notice}");
        }
    }
}

/// Runs a client command's future on a runtime of its own.
pub fn block_on<T>(
    f: impl std::future::Future<Output = Result<T, CliError>>,
) -> Result<T, CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(f)
}
