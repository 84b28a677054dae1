//! Marking queue rows and applying one action to every marked case, with a summary.

use super::app::{App, Effect};
use super::keymap::Command;
use crate::domain::CaseNumber;

/// The cases marked in the queue.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// The marked cases, in the order they were marked.
    pub cases: Vec<CaseNumber>,
}

/// Marks or unmarks as `cmd` says (one row, a range, every row shown).
pub fn mark(app: &mut App, cmd: Command) -> Vec<Effect> {
    let _ = cmd;
    app.notice("marks: not built yet", true);
    Vec::new()
}
