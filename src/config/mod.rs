//! The client's configuration: `config.toml`, named server profiles, the environment, the
//! token file and the display time zone (SPEC §6).
//!
//! Precedence, strongest first: command-line flags, `CASEDESK_*` variables, the file.

mod alerts;
mod rt;
mod token;
mod zone;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

pub use alerts::{AlertSettings, Trigger};
pub use rt::{BackendKind, RtSettings, RtSettingsFile, SettingsError};
pub use token::{
    create_private_dir, ensure_private_file, read_private_file, read_token_file, write_token_file,
};
pub use zone::DisplayZone;

/// The profile used when neither a flag, `CASEDESK_PROFILE` nor the file names one.
pub const DEFAULT_PROFILE: &str = "default";

/// A configuration that cannot be used, with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid.
    #[error("config {0}")]
    Invalid(String),
    /// No server is known for the profile.
    #[error(
        "no server for profile '{profile}': run `casedesk login --server URL{flag}`, or set CASEDESK_SERVER"
    )]
    NoServer {
        /// The profile.
        profile: String,
        /// ` --profile P` when the profile is not the default.
        flag: String,
    },
    /// No token is known for the profile.
    #[error(
        "no token for profile '{profile}': run `casedesk login --server {server}{flag}`, or set CASEDESK_TOKEN"
    )]
    NoToken {
        /// The profile.
        profile: String,
        /// Its server.
        server: String,
        /// ` --profile P` when the profile is not the default.
        flag: String,
    },
    /// The token file is unsafe or unreadable.
    #[error("{0}")]
    Token(String),
    /// The platform gives no home for configuration or cache.
    #[error("cannot find a home directory for casedesk's {0}; set HOME or XDG_{0}_HOME")]
    NoHome(&'static str),
}

/// `config.toml` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The profile used when none is named.
    #[serde(default)]
    pub default_profile: Option<String>,
    /// Display time zone (IANA name); default: the system's.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Named servers.
    #[serde(default)]
    pub profiles: BTreeMap<String, ProfileFile>,
    /// The terminal interface: theme, language, mouse, keys and saved views.
    #[serde(default)]
    pub tui: TuiFile,
    /// The wallboard: page rotation, the kiosk quit chord, tile thresholds.
    #[serde(default)]
    pub wallboard: WallboardFile,
    /// Alerts: which events ring the bell and raise a desktop notification.
    #[serde(default)]
    pub alerts: AlertsFile,
    /// Personal macros (`[[macros]]`), offered beside the team's; read as macros (and
    /// checked) by the commands that use them, since their form is the API's.
    #[serde(default)]
    pub macros: Vec<toml::Table>,
    /// The offline cache: how much it keeps of attachments.
    #[serde(default)]
    pub cache: CacheFile,
}

/// The `[alerts]` table, as written; unset keys take the defaults. Only the TUI raises
/// alerts: the wallboard raises none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertsFile {
    /// Whether the TUI raises alerts at all (default true; `--no-alerts` turns them off).
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Whether an alert rings the terminal bell (default true).
    #[serde(default)]
    pub bell: Option<bool>,
    /// Whether an alert sends a desktop notification, OSC 9 and OSC 777 (default true).
    #[serde(default)]
    pub desktop: Option<bool>,
    /// New cases of these priorities alert (default `["P1"]`).
    #[serde(default)]
    pub new_priorities: Option<Vec<String>>,
    /// A case assigned to me alerts (default true).
    #[serde(default)]
    pub assigned_to_me: Option<bool>,
    /// The customer's reply on one of my cases alerts (default true).
    #[serde(default)]
    pub customer_replied: Option<bool>,
    /// One of my cases due within this span alerts, e.g. `30m` (default `30m`; `0` is off).
    #[serde(default)]
    pub due_within: Option<String>,
    /// An escalation waiting for a lead alerts leads (default true).
    #[serde(default)]
    pub escalations: Option<bool>,
}

/// How many bytes of open cases' attachments the cache keeps when `[cache] attachments` is
/// not set: 200 MiB.
pub const DEFAULT_ATTACHMENT_BUDGET: u64 = 200 << 20;

/// The `[cache]` table, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheFile {
    /// How much of open cases' attachments the cache keeps, newest first, e.g. `200MiB`
    /// (default 200 MiB; `0` keeps none).
    #[serde(default)]
    pub attachments: Option<crate::domain::size::ByteSize>,
}

impl CacheFile {
    /// The attachment budget in bytes (default 200 MiB).
    pub fn attachments_budget(&self) -> u64 {
        self.attachments
            .map_or(DEFAULT_ATTACHMENT_BUDGET, |size| size.0)
    }
}

/// The `[wallboard]` table, as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WallboardFile {
    /// Seconds per page, or a span such as `15s` or `1m` (default 15 s).
    #[serde(default)]
    pub rotate: Option<String>,
    /// The key that quits in kiosk mode (default `ctrl-q`).
    #[serde(default)]
    pub quit: Option<String>,
    /// A theme for the wallboard only.
    #[serde(default)]
    pub theme: Option<String>,
    /// Key bindings over the defaults: `"n" = "next-page"`, `"q" = "none"` to unbind.
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
    /// Per tile, the counts from which it warns and alerts: `p2 = [3, 10]`.
    #[serde(default)]
    pub thresholds: BTreeMap<String, Vec<u64>>,
}

/// The `[tui]` table, as written; the TUI checks the values when it starts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TuiFile {
    /// Theme name: a built-in (dark, light, high-contrast, mono) or `themes/NAME.toml` here.
    #[serde(default)]
    pub theme: Option<String>,
    /// `en` or `ja`; default from `LANG`.
    #[serde(default)]
    pub language: Option<String>,
    /// Whether clicks are taken (default false: the terminal keeps its own selection).
    #[serde(default)]
    pub mouse: Option<bool>,
    /// Key bindings over the defaults: `"ctrl-t" = "take"`, `"t" = "none"` to unbind.
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
    /// Saved views by number key (`[tui.views.8]`), over the defaults 1–7.
    #[serde(default)]
    pub views: BTreeMap<String, ViewFile>,
    /// The case timeline's order: `newest-first` (default) or `oldest-first`.
    #[serde(default)]
    pub timeline: Option<String>,
    /// Whether `y` copies the case number to the clipboard by OSC 52 (default true); off for
    /// terminals that show the sequence or desks that forbid clipboard writes.
    #[serde(default)]
    pub clipboard: Option<bool>,
}

/// One saved view of the queue, as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewFile {
    /// Its name in the queue's title.
    pub name: String,
    /// `me`, `none` (unassigned) or a person.
    #[serde(default)]
    pub owner: Option<String>,
    /// Statuses (default: the open ones).
    #[serde(default)]
    pub status: Vec<String>,
    /// Priorities (default: any).
    #[serde(default)]
    pub priority: Vec<String>,
    /// Only cases whose next deadline is within this span (or breached), e.g. `1h`.
    #[serde(default)]
    pub due_within: Option<String>,
    /// Only cases with an open escalation.
    #[serde(default)]
    pub escalated: bool,
    /// Closed and resolved cases too.
    #[serde(default)]
    pub all: bool,
    /// The sort, e.g. `next_due` or `updated:desc`.
    #[serde(default)]
    pub sort: Option<String>,
}

/// One `[profiles.NAME]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileFile {
    /// Base URL of the case API, e.g. `https://casedesk.example.com` (on `backend = "rt"`,
    /// RT's base URL, e.g. `https://rt.example.com`).
    #[serde(default)]
    pub server: Option<String>,
    /// The case system behind the profile: `casedesk` (default) or `rt` (Request Tracker 5).
    #[serde(default)]
    pub backend: Option<BackendKind>,
    /// On `backend = "rt"`: the queues to follow (default `["General"]`).
    #[serde(default)]
    pub queues: Option<Vec<String>>,
    /// On `backend = "rt"`: how RT's fields map to casedesk's.
    #[serde(default)]
    pub rt: Option<RtSettingsFile>,
    /// Where the token is kept (default: `tokens/NAME` beside the config file).
    #[serde(default)]
    pub token_file: Option<PathBuf>,
    /// A PEM file of extra certificate authorities to trust (a company CA).
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Seconds between change-feed polls while the event stream is down (default 5).
    #[serde(default)]
    pub poll_seconds: Option<u64>,
    /// Whether to follow the live event stream (default true; turn off behind a proxy that
    /// breaks server-sent events, and the change feed is polled instead).
    #[serde(default)]
    pub events: Option<bool>,
    /// Seconds to wait for a connection (default 5).
    #[serde(default)]
    pub connect_timeout_seconds: Option<u64>,
    /// Seconds to wait for a whole response (default 30).
    #[serde(default)]
    pub request_timeout_seconds: Option<u64>,
    /// Seconds one call to the server may take in all, retries included (default 30), so a
    /// server that never answers cannot hold a command for minutes.
    #[serde(default)]
    pub wait_seconds: Option<u64>,
}

/// Where casedesk keeps its files.
#[derive(Debug, Clone)]
pub struct Dirs {
    /// Configuration: `config.toml` and `tokens/`.
    pub config: PathBuf,
    /// The caches, one per profile.
    pub cache: PathBuf,
}

impl Dirs {
    /// The platform's directories (on Linux `$XDG_CONFIG_HOME/casedesk` and
    /// `$XDG_CACHE_HOME/casedesk`).
    pub fn platform() -> Result<Dirs, ConfigError> {
        let dirs = directories::ProjectDirs::from("", "", "casedesk")
            .ok_or(ConfigError::NoHome("CONFIG"))?;
        Ok(Dirs {
            config: dirs.config_dir().to_path_buf(),
            cache: dirs.cache_dir().to_path_buf(),
        })
    }

    /// The default config file.
    pub fn config_file(&self) -> PathBuf {
        self.config.join("config.toml")
    }
}

/// What the command line says about configuration.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--config FILE`.
    pub config_file: Option<PathBuf>,
    /// `--profile P`.
    pub profile: Option<String>,
    /// `--server URL`.
    pub server: Option<String>,
}

/// The environment variables casedesk reads, taken once so tests can hand in their own.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// `CASEDESK_SERVER`.
    pub server: Option<String>,
    /// `CASEDESK_TOKEN`.
    pub token: Option<String>,
    /// `CASEDESK_PROFILE`.
    pub profile: Option<String>,
}

impl Env {
    /// The process environment; empty values count as unset.
    pub fn from_process() -> Env {
        let var = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Env {
            server: var("CASEDESK_SERVER"),
            token: var("CASEDESK_TOKEN"),
            profile: var("CASEDESK_PROFILE"),
        }
    }
}

/// A profile with everything resolved: what the client and the cache run with.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Its name (also the cache's name).
    pub name: String,
    /// Base URL, without a trailing slash; `None` until logged in.
    pub server: Option<String>,
    /// The case system behind it.
    pub backend: BackendKind,
    /// On an RT profile, the mapping (the queues followed among it).
    pub rt: RtSettings,
    /// The token from `CASEDESK_TOKEN`, if set (it wins over the token file).
    pub env_token: Option<String>,
    /// The token file.
    pub token_file: PathBuf,
    /// Extra CA certificates.
    pub ca_file: Option<PathBuf>,
    /// Change-feed poll interval while the stream is down.
    pub poll: Duration,
    /// Whether to follow the live event stream.
    pub events: bool,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Whole-request timeout.
    pub request_timeout: Duration,
    /// The longest one call may take, retries included.
    pub wait: Duration,
    /// The cache database.
    pub cache_file: PathBuf,
    /// How many bytes of open cases' attachments the cache keeps (`[cache] attachments`).
    pub attachments_budget: u64,
    /// The display time zone.
    pub zone: DisplayZone,
    /// Whether the profile was named on the command line or in the environment.
    named: bool,
}

/// The loaded configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from (which may not exist yet).
    pub path: PathBuf,
    /// Its contents (empty when the file does not exist).
    pub file: ConfigFile,
    /// The directories.
    pub dirs: Dirs,
}

impl Config {
    /// Reads the config file named by `--config`, or the platform's; a missing platform file is
    /// an empty configuration, a missing `--config` file an error.
    pub fn load(overrides: &Overrides, dirs: Dirs) -> Result<Config, ConfigError> {
        let (path, required) = match &overrides.config_file {
            Some(p) => (p.clone(), true),
            None => (dirs.config_file(), false),
        };
        let file = match std::fs::read_to_string(&path) {
            Ok(text) => parse(&path, &text)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                ConfigFile::default()
            }
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.display().to_string(),
                    source,
                });
            }
        };
        Ok(Config { path, file, dirs })
    }

    /// The profile to use: `--profile`, else `CASEDESK_PROFILE`, else the file's default.
    pub fn profile(&self, overrides: &Overrides, env: &Env) -> Result<Profile, ConfigError> {
        let named = overrides.profile.clone().or_else(|| env.profile.clone());
        let name = named
            .clone()
            .or_else(|| self.file.default_profile.clone())
            .unwrap_or_else(|| DEFAULT_PROFILE.to_string());
        check_profile_name(&name)?;
        let entry = self.file.profiles.get(&name).cloned().unwrap_or_default();
        let server = overrides
            .server
            .clone()
            .or_else(|| env.server.clone())
            .or(entry.server)
            .map(|s| normalize_server(&s))
            .transpose()?;
        let zone = match &self.file.timezone {
            Some(tz) => DisplayZone::named(tz).map_err(ConfigError::Invalid)?,
            None => DisplayZone::System,
        };
        let base = self.path.parent().unwrap_or(&self.dirs.config);
        let rt = entry
            .rt
            .clone()
            .unwrap_or_default()
            .settings(entry.queues.clone().unwrap_or_default())
            .map_err(|e| {
                ConfigError::Invalid(format!("{}: profile '{name}': {e}", self.path.display()))
            })?;
        Ok(Profile {
            backend: entry.backend.unwrap_or_default(),
            rt,
            token_file: entry
                .token_file
                .map(|p| base.join(p))
                .unwrap_or_else(|| self.dirs.config.join("tokens").join(&name)),
            ca_file: entry.ca_file.map(|p| base.join(p)),
            poll: Duration::from_secs(entry.poll_seconds.unwrap_or(5).max(1)),
            events: entry.events.unwrap_or(true),
            connect_timeout: Duration::from_secs(entry.connect_timeout_seconds.unwrap_or(5).max(1)),
            request_timeout: Duration::from_secs(
                entry.request_timeout_seconds.unwrap_or(30).max(1),
            ),
            wait: Duration::from_secs(entry.wait_seconds.unwrap_or(30).max(1)),
            cache_file: self.dirs.cache.join(format!("{name}.sqlite3")),
            attachments_budget: self.file.cache.attachments_budget(),
            env_token: env.token.clone(),
            zone,
            named: named.is_some(),
            name,
            server,
        })
    }
}

impl Profile {
    /// The server URL, or an error saying how to set one.
    pub fn server(&self) -> Result<&str, ConfigError> {
        self.server.as_deref().ok_or_else(|| ConfigError::NoServer {
            profile: self.name.clone(),
            flag: self.flag(),
        })
    }

    /// The token: `CASEDESK_TOKEN`, else the token file (which must be private to its owner).
    pub fn token(&self) -> Result<String, ConfigError> {
        if let Some(token) = &self.env_token {
            return Ok(token.trim().to_string());
        }
        match read_token_file(&self.token_file)? {
            Some(token) => Ok(token),
            None => Err(ConfigError::NoToken {
                profile: self.name.clone(),
                server: self.server.clone().unwrap_or_else(|| "URL".into()),
                flag: self.flag(),
            }),
        }
    }

    fn flag(&self) -> String {
        if self.named || self.name != DEFAULT_PROFILE {
            format!(" --profile {}", self.name)
        } else {
            String::new()
        }
    }
}

fn parse(path: &Path, text: &str) -> Result<ConfigFile, ConfigError> {
    let file: ConfigFile = toml::from_str(text).map_err(|e| {
        ConfigError::Invalid(crate::sla::toml_error(
            &path.display().to_string(),
            text,
            &e,
        ))
    })?;
    for (name, profile) in &file.profiles {
        check_profile_name(name)?;
        if let Some(server) = &profile.server {
            normalize_server(server).map_err(|e| {
                ConfigError::Invalid(format!("{}: [profiles.{name}] {e}", path.display()))
            })?;
        }
    }
    if let Some(tz) = &file.timezone {
        DisplayZone::named(tz)
            .map_err(|e| ConfigError::Invalid(format!("{}: {e}", path.display())))?;
    }
    Ok(file)
}

/// Profile names become file names: letters, digits, `-` and `_` only.
fn check_profile_name(name: &str) -> Result<(), ConfigError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(ConfigError::Invalid(format!(
            "invalid profile name '{name}': expected letters, digits, '-' or '_' (at most 64)"
        )))
    }
}

/// A server URL as the client uses it: `http(s)://host[:port][/prefix]`, no trailing slash.
pub fn normalize_server(url: &str) -> Result<String, ConfigError> {
    let url = url.trim().trim_end_matches('/');
    let parsed = reqwest::Url::parse(url).ok().filter(|u| {
        matches!(u.scheme(), "http" | "https") && u.host().is_some() && u.query().is_none()
    });
    match parsed {
        Some(_) => Ok(url.to_string()),
        None => Err(ConfigError::Invalid(format!(
            "invalid server URL '{}': expected http(s)://HOST[:PORT], e.g. https://casedesk.example.com",
            without_password(url)
        ))),
    }
}

/// A server URL fit to print: a password in `user:pass@` is replaced by `***` (never echoed
/// back in an error or a message).
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            let hidden = if userinfo.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{host}{path}")
        }
        None => url.to_string(),
    }
}

/// Records a profile's server in the config file, keeping the rest of the file (comments
/// included) as it was; the first profile saved becomes the default.
pub fn save_profile_server(path: &Path, profile: &str, server: &str) -> Result<(), ConfigError> {
    save_profile_login(path, profile, server, None)
}

/// [`save_profile_server`], also writing the profile's `backend` when given (`casedesk login
/// --backend rt`); the rest of the file, comments included, is kept.
pub fn save_profile_login(
    path: &Path,
    profile: &str,
    server: &str,
    backend: Option<BackendKind>,
) -> Result<(), ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.display().to_string(),
                source,
            });
        }
    };
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| ConfigError::Invalid(format!("{}: {e}", path.display())))?;
    if doc.get("default_profile").is_none() {
        doc["default_profile"] = toml_edit::value(profile);
    }
    let profiles = doc
        .entry("profiles")
        .or_insert_with(|| {
            let mut t = toml_edit::Table::new();
            t.set_implicit(true);
            toml_edit::Item::Table(t)
        })
        .as_table_mut()
        .ok_or_else(|| {
            ConfigError::Invalid(format!("{}: 'profiles' is not a table", path.display()))
        })?;
    let entry = profiles
        .entry(profile)
        .or_insert_with(toml_edit::table)
        .as_table_mut()
        .ok_or_else(|| {
            ConfigError::Invalid(format!(
                "{}: 'profiles.{profile}' is not a table",
                path.display()
            ))
        })?;
    entry["server"] = toml_edit::value(server);
    if let Some(backend) = backend {
        entry["backend"] = toml_edit::value(backend.as_str());
    }
    let write = |path: &Path| -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, doc.to_string())
    };
    write(path).map_err(|source| ConfigError::Read {
        path: path.display().to_string(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs() -> Dirs {
        Dirs {
            config: PathBuf::from("/cfg"),
            cache: PathBuf::from("/cache"),
        }
    }

    fn config(text: &str) -> Config {
        Config {
            path: PathBuf::from("/cfg/config.toml"),
            file: parse(Path::new("config.toml"), text).unwrap(),
            dirs: dirs(),
        }
    }

    const TEXT: &str = r#"
default_profile = "prod"
timezone = "Asia/Tokyo"
[profiles.prod]
server = "https://desk.example.com/"
poll_seconds = 10
[profiles.lab]
server = "http://127.0.0.1:8750"
token_file = "lab.token"
"#;

    #[test]
    fn profile_comes_from_flag_then_env_then_file() {
        let c = config(TEXT);
        let p = c.profile(&Overrides::default(), &Env::default()).unwrap();
        assert_eq!(p.name, "prod");
        assert_eq!(p.server.as_deref(), Some("https://desk.example.com"));
        assert_eq!(p.poll, Duration::from_secs(10));
        assert_eq!(p.token_file, PathBuf::from("/cfg/tokens/prod"));
        assert_eq!(p.cache_file, PathBuf::from("/cache/prod.sqlite3"));
        let env = Env {
            profile: Some("lab".into()),
            ..Env::default()
        };
        let p = c.profile(&Overrides::default(), &env).unwrap();
        assert_eq!(p.name, "lab");
        assert_eq!(p.token_file, PathBuf::from("/cfg/lab.token"));
        let flags = Overrides {
            profile: Some("prod".into()),
            ..Overrides::default()
        };
        assert_eq!(c.profile(&flags, &env).unwrap().name, "prod");
    }

    #[test]
    fn environment_wins_over_the_file() {
        let c = config(TEXT);
        let env = Env {
            server: Some("http://10.0.0.1:9000".into()),
            token: Some(" cdk_x \n".into()),
            ..Env::default()
        };
        let p = c.profile(&Overrides::default(), &env).unwrap();
        assert_eq!(p.server.as_deref(), Some("http://10.0.0.1:9000"));
        assert_eq!(p.token().unwrap(), "cdk_x");
    }

    #[test]
    fn bad_files_name_the_problem() {
        let e = parse(Path::new("c.toml"), "[profiles.a]\nserver = \"ftp://x\"\n").unwrap_err();
        assert!(e.to_string().contains("expected http(s)://HOST"), "{e}");
        let e = parse(Path::new("c.toml"), "[profiles.a]\nsever = \"x\"\n").unwrap_err();
        assert!(e.to_string().contains("c.toml, line 2"), "{e}");
        let e = parse(Path::new("c.toml"), "timezone = \"Mars/Olympus\"\n").unwrap_err();
        assert!(e.to_string().contains("Asia/Tokyo"), "{e}");
        let e = parse(Path::new("c.toml"), "[profiles.\"a b\"]\n").unwrap_err();
        assert!(e.to_string().contains("invalid profile name"), "{e}");
    }

    #[test]
    fn missing_server_and_token_say_how_to_log_in() {
        let c = config("");
        let p = c.profile(&Overrides::default(), &Env::default()).unwrap();
        assert!(
            p.server()
                .unwrap_err()
                .to_string()
                .contains("casedesk login --server URL")
        );
    }

    #[test]
    fn saving_a_profile_keeps_comments() {
        let dir = std::env::temp_dir().join(format!("casedesk-cfg-{}", std::process::id()));
        let path = dir.join("config.toml");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(&path, "# my desk\ntimezone = \"UTC\"\n").unwrap();
        save_profile_server(&path, "lab", "http://127.0.0.1:1").unwrap();
        save_profile_server(&path, "prod", "https://x.example").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# my desk"), "{text}");
        let file = parse(&path, &text).unwrap();
        assert_eq!(file.default_profile.as_deref(), Some("lab"));
        assert_eq!(
            file.profiles["prod"].server.as_deref(),
            Some("https://x.example")
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn the_timeline_order_is_read_as_written() {
        let file = parse(Path::new("c.toml"), "[tui]\ntimeline = \"oldest-first\"\n").unwrap();
        assert_eq!(file.tui.timeline.as_deref(), Some("oldest-first"));
        assert_eq!(config("").file.tui.timeline, None);
    }

    #[test]
    fn the_clipboard_switch_is_read_and_defaults_to_unset() {
        let file = parse(Path::new("c.toml"), "[tui]\nclipboard = false\n").unwrap();
        assert_eq!(file.tui.clipboard, Some(false));
        assert_eq!(config("").file.tui.clipboard, None);
    }
}
