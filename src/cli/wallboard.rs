//! `casedesk wallboard`: the read-only display for the support-room TV.

use std::time::Duration;

use chrono::Utc;
use clap::Args;

use super::CliError;
use super::client::{GlobalArgs, Session, load_profile};
use super::tui::{block_until_done, look, require_terminal, runtime};
use crate::config::{Config, DisplayZone};
use crate::sync::{Desk, FollowOptions};
use crate::term::key::Key;
use crate::wallboard::board::{Board, Page, Thresholds};
use crate::wallboard::keys::KeyMap;
use crate::wallboard::runtime::{self as board_runtime, Options};

/// How the board turns its pages and listens.
#[derive(Debug, Clone, Default, Args)]
pub struct BoardArgs {
    /// Time per page: `15s`, `1m`, or seconds; `0` stops the rotation (default 15s).
    #[arg(long, value_name = "SPAN")]
    rotate: Option<String>,
    /// Show one page only: now, next, waiting or trend (or 1–4).
    #[arg(long, value_name = "N")]
    page: Option<String>,
    /// Ignore every key except the quit chord (`[wallboard] quit`, default ctrl-q).
    #[arg(long)]
    kiosk: bool,
}

/// `casedesk wallboard` arguments.
#[derive(Debug, Args)]
pub struct WallboardArgs {
    #[command(flatten)]
    board: BoardArgs,
    /// Theme: dark, light, high-contrast, mono, or a file's name in the config's themes/.
    #[arg(long)]
    theme: Option<String>,
}

/// `15s`, `2m`, `1h` or plain seconds.
fn parse_span(text: &str) -> Result<Duration, CliError> {
    let t = text.trim();
    let (number, unit) = t
        .find(|c: char| !c.is_ascii_digit())
        .map_or((t, "s"), |i| (&t[..i], &t[i..]));
    let n: u64 = number.parse().map_err(|_| bad_span(text))?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => return Err(bad_span(text)),
    };
    Ok(Duration::from_secs(secs))
}

fn bad_span(text: &str) -> CliError {
    CliError::Usage(format!(
        "invalid --rotate '{text}': expected seconds or a span such as 15s, 1m or 1h (0 to stop)"
    ))
}

/// The board and how it runs, from the config and the flags; the config's thresholds go over
/// `thresholds` (the defaults, or the demo's).
pub(super) fn prepare(
    config: &Config,
    zone: DisplayZone,
    args: &BoardArgs,
    theme_flag: Option<&str>,
    follow: FollowOptions,
    thresholds: Thresholds,
) -> Result<(Board, Options), CliError> {
    let file = &config.file.wallboard;
    let (theme, lang) = look(config, theme_flag, file.theme.as_deref())?;
    let rotate = parse_span(
        args.rotate
            .as_deref()
            .or(file.rotate.as_deref())
            .unwrap_or("15s"),
    )?;
    let page = args
        .page
        .as_deref()
        .map(Page::parse)
        .transpose()
        .map_err(CliError::Usage)?;
    let thresholds = thresholds
        .configured(&file.thresholds)
        .map_err(|e| CliError::Usage(format!("{}: {e}", config.path.display())))?;
    let quit = Key::parse(file.quit.as_deref().unwrap_or("ctrl-q")).map_err(|e| {
        CliError::Usage(format!("{}: [wallboard] quit: {e}", config.path.display()))
    })?;
    let keys = KeyMap::new(&file.keys, quit, args.kiosk)
        .map_err(|e| CliError::Usage(format!("{}: {e}", config.path.display())))?;
    let board = Board::new(Utc::now(), rotate, page, zone, lang, thresholds);
    let options = Options {
        theme,
        follow,
        keys,
    };
    Ok((board, options))
}

/// Runs the board on `desk` on a runtime of its own.
pub(super) fn run(desk: Desk, board: Board, options: Options) -> Result<(), CliError> {
    block_until_done(runtime()?, board_runtime::run(desk, board, options))
}

/// `casedesk wallboard`.
pub fn wallboard(args: &WallboardArgs, global: &GlobalArgs) -> Result<(), CliError> {
    let (config, profile) = load_profile(global)?;
    if profile.server.is_none() {
        return Err(CliError::Usage(format!(
            "profile '{}' has no server: run `casedesk login --server URL` with a viewer token first, or try `casedesk demo --wallboard`",
            profile.name
        )));
    }
    let follow = FollowOptions::for_profile(&profile);
    let (board, options) = prepare(
        &config,
        profile.zone,
        &args.board,
        args.theme.as_deref(),
        follow,
        Thresholds::default(),
    )?;
    require_terminal()?;
    let session = Session::open(global, false)?;
    check_server(&session)?;
    run(session.desk, board, options)
}

/// Asks the server who the token is before the screen is taken: a refused token or a peer
/// that is not the server (TLS to plain HTTP, another service) is a configuration error said
/// in words and exit 1, not an empty board waiting forever. An unreachable server is fine: the
/// board shows the cache and says it is offline.
fn check_server(session: &Session) -> Result<(), CliError> {
    super::client::block_on(async {
        match session
            .desk
            .call_unobserved(async |client| client.me().await)
            .await
        {
            Err(e) if !e.is_unreachable() => Err(e.into()),
            _ => Ok(()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_spans() {
        assert_eq!(parse_span("15s").unwrap(), Duration::from_secs(15));
        assert_eq!(parse_span("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_span("30").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_span("0").unwrap(), Duration::ZERO);
        assert!(
            parse_span("soon")
                .unwrap_err()
                .to_string()
                .contains("15s, 1m or 1h")
        );
        assert!(parse_span("5d").is_err());
    }
}
