//! Applying a macro to a case: its text filled from the case (in the contact's language), its
//! changes checked, as the note and the patch that then go through the outbox like any change.
//! Shared by the TUI's picker, `casedesk cases note --macro` and bulk actions.

use crate::api::{Case, CasePatch, Macro, NewNote};
use crate::config::DisplayZone;
use crate::domain::macros::FillError;

/// What a macro does to one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroPlan {
    /// The note, its text filled in (none when the macro's text is empty).
    pub note: Option<NewNote>,
    /// The field changes (none when the macro changes nothing).
    pub patch: Option<CasePatch>,
}

/// Why a macro cannot be applied to a case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MacroRefusal {
    /// A placeholder has no value for the case, or is unknown.
    #[error("macro {name}: {error}")]
    Fill {
        /// The macro.
        name: String,
        /// Which placeholder and why.
        error: FillError,
    },
    /// Its changes are refused by the case's rules (a priority change without a reason, a
    /// status move the workflow does not allow).
    #[error("macro {name}: {why}")]
    Change {
        /// The macro.
        name: String,
        /// The rule's words.
        why: String,
    },
}

/// Plans `m` on `case` for the person `me`, due times shown in `zone`.
pub fn plan(
    m: &Macro,
    case: &Case,
    me: &str,
    zone: &DisplayZone,
) -> Result<MacroPlan, MacroRefusal> {
    let _ = (m, case, me, zone);
    Err(MacroRefusal::Change {
        name: m.name.clone(),
        why: "macros are not built yet".into(),
    })
}
