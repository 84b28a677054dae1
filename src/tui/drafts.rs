//! Note drafts kept in the cache, so a dropped SSH session loses no words.

use super::app::{App, Effect};

/// The note drafts known to the TUI.
#[derive(Debug, Clone, Default)]
pub struct Drafts {}

/// Lists the saved drafts (`:drafts`).
pub fn show(app: &mut App) -> Vec<Effect> {
    app.notice("drafts: not built yet", true);
    Vec::new()
}
