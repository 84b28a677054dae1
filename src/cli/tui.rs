//! `casedesk` / `casedesk tui` (the TUI on the configured profile) and `casedesk demo` (an
//! embedded server with demo data on loopback, and the TUI on it).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use chrono::Utc;
use clap::Args;

use super::CliError;
use super::client::{GlobalArgs, Session, client_for, load_profile};
use super::serve::{open_db, seed_demo_quietly};
use crate::api::Role;
use crate::cache::{Cache, meta};
use crate::config::{AlertSettings, Config, Dirs, Env, Overrides};
use crate::server;
use crate::server::store::Sla;
use crate::sla::{Calendars, Policies};
use crate::sync::{Desk, FollowOptions};
use crate::term::TermError;
use crate::term::text::Lang;
use crate::term::theme::{ColorDepth, DEFAULT_THEME, Theme};
use crate::tui::app::{App, Settings};
use crate::tui::runtime::{self, Options, ProfileOpener};

/// How the TUI looks and listens.
#[derive(Debug, Clone, Default, Args)]
pub struct TuiArgs {
    /// Theme: dark, light, high-contrast, mono, or a file's name in the config's themes/.
    #[arg(long)]
    theme: Option<String>,
    /// Take mouse clicks (the terminal's own text selection then needs Shift).
    #[arg(long)]
    mouse: bool,
    /// No alerts: no bell, no desktop notification, no alert lines (over `[alerts]`).
    #[arg(long)]
    no_alerts: bool,
}

/// `casedesk demo` arguments.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many demo cases.
    #[arg(long, default_value_t = 400)]
    cases: usize,
    /// Who you are in the demo: agent (tanaka) or lead (yamamoto, who handles escalations).
    #[arg(long, default_value = "agent")]
    role: String,
    /// Seed of the demo data.
    #[arg(long, default_value_t = server::demo::DEFAULT_SEED)]
    seed: u64,
    /// Open the wallboard (as the viewer) instead of the TUI.
    #[arg(long)]
    wallboard: bool,
    #[command(flatten)]
    board: super::wallboard::BoardArgs,
    #[command(flatten)]
    tui: TuiArgs,
}

/// The theme (flag, else `configured`, else the default) and the language of the config.
pub(super) fn look(
    config: &Config,
    flag: Option<&str>,
    configured: Option<&str>,
) -> Result<(Theme, Lang), CliError> {
    let var = |k: &str| std::env::var(k).ok();
    let depth = ColorDepth::detect(var);
    let name = flag.or(configured).unwrap_or(DEFAULT_THEME);
    let theme = Theme::load(name, &config.dirs.config, depth)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let lang = Lang::choose(config.file.tui.language.as_deref(), var).map_err(CliError::Usage)?;
    Ok((theme, lang))
}

/// The TUI's settings from the config and the flags.
fn prepare(
    config: &Config,
    profile_name: &str,
    zone: crate::config::DisplayZone,
    args: &TuiArgs,
) -> Result<(Settings, Theme, bool), CliError> {
    let tui = &config.file.tui;
    let (theme, lang) = look(config, args.theme.as_deref(), tui.theme.as_deref())?;
    let settings = Settings::from_file(tui, lang, zone, profile_name)
        .map_err(|e| CliError::Usage(format!("{}: {e}", config.path.display())))?;
    Ok((settings, theme, args.mouse || tui.mouse.unwrap_or(false)))
}

pub(super) fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start the runtime: {e}")))
}

pub(super) fn require_terminal() -> Result<(), CliError> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(
            "the TUI needs a terminal; for scripts use `casedesk cases list` and friends".into(),
        ));
    }
    Ok(())
}

/// `casedesk` / `casedesk tui`.
pub fn tui(args: &TuiArgs, global: &GlobalArgs) -> Result<(), CliError> {
    let (config, profile) = load_profile(global)?;
    if profile.server.is_none() {
        return Err(CliError::Usage(format!(
            "profile '{}' has no server: run `casedesk login --server URL` first, or try `casedesk demo`",
            profile.name
        )));
    }
    let (settings, theme, mouse) = prepare(&config, &profile.name, profile.zone, args)?;
    let alerts = alerts(&config, args)?;
    require_terminal()?;
    let session = Session::open(global, false)?;
    let follow = FollowOptions::for_profile(&session.profile);
    let global = global.clone();
    let open_profile: ProfileOpener = Box::new(move |name: &str| {
        let mut g = global.clone();
        g.profile = Some(name.to_string());
        let session = Session::open(&g, false).map_err(|e| format!("profile '{name}': {e}"))?;
        Ok((
            session.desk.clone(),
            FollowOptions::for_profile(&session.profile),
        ))
    });
    let personal = super::macros::personal(&config.file.macros)?;
    let session = tui_session(
        session.desk,
        settings,
        theme,
        mouse,
        follow,
        open_profile,
        personal,
        alerts,
    );
    block_until_done(runtime()?, session)
}

/// The alerts `[alerts]` asks for, off with `--no-alerts`; a bad value names its key.
fn alerts(config: &Config, args: &TuiArgs) -> Result<AlertSettings, CliError> {
    let settings = config
        .file
        .alerts
        .settings()
        .map_err(|e| CliError::Usage(format!("{}: {e}", config.path.display())))?;
    Ok(if args.no_alerts {
        AlertSettings::off()
    } else {
        settings
    })
}

/// The TUI on `desk`, until the user quits or a signal ends it.
#[allow(clippy::too_many_arguments)]
async fn tui_session(
    desk: Desk,
    settings: Settings,
    theme: Theme,
    mouse: bool,
    follow: FollowOptions,
    open_profile: ProfileOpener,
    personal_macros: Vec<crate::api::Macro>,
    alerts: AlertSettings,
) -> Result<(), TermError> {
    let mut app = App::new(settings, desk.calendars(), Utc::now());
    app.macros = crate::tui::macros::MacroBook::personal(personal_macros);
    app.alerts = crate::tui::alerts::Alerts::new(alerts);
    let options = Options {
        theme,
        mouse,
        follow,
        open_profile,
    };
    runtime::run(desk, app, options).await
}

/// Runs a terminal session to its end on `rt`. Background tasks (a request in flight) are not
/// waited for.
pub(super) fn block_until_done(
    rt: tokio::runtime::Runtime,
    session: impl std::future::Future<Output = Result<(), TermError>>,
) -> Result<(), CliError> {
    let result = rt.block_on(session);
    rt.shutdown_timeout(std::time::Duration::from_millis(500));
    result.map_err(|e| CliError::Failed(e.to_string()))
}

/// A private directory for the demo's database and cache, removed when the demo ends.
struct DemoDir(PathBuf);

impl DemoDir {
    fn create() -> Result<DemoDir, CliError> {
        let path = std::env::temp_dir().join(format!(
            "casedesk-demo-{}-{:x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        let mut builder = std::fs::DirBuilder::new();
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(&path)
            .map_err(|e| CliError::Failed(format!("cannot create {}: {e}", path.display())))?;
        Ok(DemoDir(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for DemoDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `casedesk demo`.
pub fn demo(args: &DemoArgs, global: &GlobalArgs) -> Result<(), CliError> {
    let role: Role = super::parse_flag("--role", &args.role)?;
    let person = match role {
        // The wallboard needs no more than a viewer's token.
        _ if args.wallboard => "wallboard",
        Role::Agent => "tanaka",
        Role::Lead => "yamamoto",
        _ => {
            return Err(CliError::Usage(format!(
                "invalid --role '{}': expected agent or lead (the wallboard is the viewer's)",
                args.role
            )));
        }
    };
    if args.cases == 0 || args.cases > 200_000 {
        return Err(CliError::Usage(format!(
            "invalid --cases {}: expected 1 to 200000",
            args.cases
        )));
    }
    let overrides = Overrides {
        config_file: global.config.clone(),
        profile: Some("demo".into()),
        server: None,
    };
    let config = Config::load(&overrides, Dirs::platform()?)?;
    let alerts = alerts(&config, &args.tui)?;
    require_terminal()?;
    let dir = DemoDir::create()?;
    eprintln!("casedesk demo: seeding {} cases…", args.cases);
    let sla = Sla {
        calendars: Calendars::builtin(),
        policies: Policies::builtin(),
    };
    let db = open_db(&dir.path().join("demo.db"))?;
    let tokens = seed_demo_quietly(&db, &sla, args.cases, args.seed)?;
    let token = tokens
        .into_iter()
        .find(|(name, _, _)| *name == person)
        .map(|(_, _, token)| token)
        .ok_or_else(|| CliError::Failed("the demo issued no token".into()))?;

    let rt = runtime()?;
    let running = rt
        .block_on(server::start_on(
            db,
            sla,
            SocketAddr::from(([127, 0, 0, 1], 0)),
        ))
        .map_err(|e| CliError::Failed(e.to_string()))?;
    let url = format!("http://{}", running.addr);
    let env = Env {
        server: Some(url.clone()),
        token: Some(token.clone()),
        profile: None,
    };
    let mut profile = config.profile(&overrides, &env)?;
    profile.cache_file = dir.path().join("cache.sqlite3");
    let (mut settings, theme, mouse) = prepare(
        &config,
        &format!("demo as {person} ({url})"),
        profile.zone,
        &args.tui,
    )?;
    settings.demo = true;
    let client = client_for(&profile, &url, &token)?;
    let (cache, _) = Cache::open(&profile.cache_file).map_err(crate::sync::DeskError::from)?;
    cache
        .set_meta(meta::SERVER, &url)
        .map_err(crate::sync::DeskError::from)?;
    let desk = Desk::new(Some(client), cache).with_attachment_budget(profile.attachments_budget);
    let follow = FollowOptions::for_profile(&profile);
    if args.wallboard {
        let (board, options) = super::wallboard::prepare(
            &config,
            profile.zone,
            &args.board,
            args.tui.theme.as_deref(),
            follow,
            // Thresholds for the demo's desk, where the defaults would put most tiles on alert.
            crate::wallboard::board::Thresholds::demo(),
        )?;
        return block_until_done(rt, async {
            let result = crate::wallboard::runtime::run(desk, board, options).await;
            let _ = running.stop().await;
            result
        });
    }
    let open_profile: ProfileOpener = Box::new(|name: &str| {
        Err(format!(
            "the demo has one profile; quit and run `casedesk --profile {name}` instead"
        ))
    });
    let personal = super::macros::personal(&config.file.macros)?;
    // The demo's directory (held by `dir`) outlives the session and the server.
    block_until_done(rt, async {
        let result = tui_session(
            desk,
            settings,
            theme,
            mouse,
            follow,
            open_profile,
            personal,
            alerts,
        )
        .await;
        let _ = running.stop().await;
        result
    })
}
