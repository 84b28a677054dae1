//! The team's and the config's macros and the picker over them (`M`, `:macro`).

use super::app::{App, Effect};

/// The macros known to the TUI: the team's (from the server, cached) and the personal ones.
#[derive(Debug, Clone, Default)]
pub struct MacroBook {
    /// The team's and the personal macros, personal ones first.
    pub macros: Vec<crate::api::Macro>,
}

/// Opens the macro picker, or applies the macro named by `arg`.
pub fn open(app: &mut App, arg: &str) -> Vec<Effect> {
    let _ = arg;
    app.notice("macros: not built yet", true);
    Vec::new()
}
