//! A case's files in the TUI: attaching from a path, the list, the text viewer, saving.

use super::app::{App, Effect};

/// Asks for a path (or takes `arg`) and attaches that file to the selected case.
pub fn attach(app: &mut App, arg: &str) -> Vec<Effect> {
    let _ = arg;
    app.notice("attachments: not built yet", true);
    Vec::new()
}

/// Lists the selected case's files, to view or save.
pub fn files(app: &mut App) -> Vec<Effect> {
    app.notice("attachments: not built yet", true);
    Vec::new()
}
