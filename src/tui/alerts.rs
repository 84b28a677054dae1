//! Alerts that reach an engineer whose TUI is in a background window: the triggers, the bell
//! and desktop notification, the list (`:alerts`).

use super::app::{App, Effect};

/// The alerts raised this session.
#[derive(Debug, Clone, Default)]
pub struct Alerts {}

/// Shows the alert list.
pub fn show(app: &mut App) -> Vec<Effect> {
    app.notice("alerts: not built yet", true);
    Vec::new()
}
