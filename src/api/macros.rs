//! Macros on the wire: the team's named, bilingual texts with the changes applied with them
//! (`GET/PUT /v1/macros`), also read from the config as personal macros.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{Priority, Status, Visibility};

/// A named, bilingual text with placeholders (`{case}`, `{first_response_due}`, …) and the
/// changes applied with it in one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Macro {
    /// Its name: lowercase letters, digits and `-` (`ack`, `priority-changed`).
    pub name: String,
    /// The text in English.
    pub text_en: String,
    /// The text in Japanese.
    pub text_ja: String,
    /// What else it changes on the case.
    #[serde(default)]
    pub changes: MacroChanges,
}

/// The changes a macro makes besides its note; all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MacroChanges {
    /// A new status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// A new priority (needs `reason`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    /// Why the priority changes (told to the customer with the new expected response time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A new owner: a person, `me`, or empty to unassign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The note's visibility (default public).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
}

/// The team's macros: what `GET /v1/macros` answers and `PUT /v1/macros` replaces.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MacroSet {
    /// The macros, by name.
    pub macros: Vec<Macro>,
}
