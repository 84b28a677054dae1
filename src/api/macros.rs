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

/// Longest macro text accepted, in bytes, per language.
pub const MACRO_TEXT_MAX: usize = 16 * 1024;

/// Longest macro name.
pub const MACRO_NAME_MAX: usize = 48;

/// The form a macro name takes, as errors state it.
pub const MACRO_NAME_FORM: &str =
    "1 to 48 lowercase letters, digits and -, starting with a letter or digit (e.g. need-info)";

/// Why a macro cannot be stored: the field at fault and what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("macro {name}: {detail}")]
pub struct MacroError {
    /// The macro's name as given.
    pub name: String,
    /// The field at fault (`name`, `text_en`, `changes.reason`, …).
    pub field: &'static str,
    /// What is wrong and what is expected.
    pub detail: String,
}

/// Checks a macro name: `[a-z0-9][a-z0-9-]{0,47}`.
pub fn check_macro_name(name: &str) -> Result<(), MacroError> {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if first_ok && rest_ok && name.len() <= MACRO_NAME_MAX {
        Ok(())
    } else {
        Err(MacroError {
            name: format!("'{}'", crate::sanitize::clean(name, true)),
            field: "name",
            detail: format!("invalid name: expected {MACRO_NAME_FORM}"),
        })
    }
}

impl Macro {
    /// Checks what a server stores: the name's form, texts of at most 16 KiB whose every
    /// placeholder is known, some text or some change, a reason with a priority change.
    pub fn check(&self) -> Result<(), MacroError> {
        check_macro_name(&self.name)?;
        let refuse = |field: &'static str, detail: String| MacroError {
            name: self.name.clone(),
            field,
            detail,
        };
        for (field, text) in [("text_en", &self.text_en), ("text_ja", &self.text_ja)] {
            if text.len() > MACRO_TEXT_MAX {
                return Err(refuse(
                    field,
                    format!(
                        "{field} is {} bytes: expected at most {MACRO_TEXT_MAX} (16 KiB)",
                        text.len()
                    ),
                ));
            }
            crate::domain::macros::check(text)
                .map_err(|e| refuse(field, format!("{field}: {e}")))?;
        }
        let c = &self.changes;
        let changes_something = c.status.is_some()
            || c.priority.is_some()
            || c.owner.is_some()
            || c.visibility.is_some();
        if self.text_en.trim().is_empty() && self.text_ja.trim().is_empty() && !changes_something {
            return Err(refuse(
                "text_en",
                "the macro does nothing: expected text_en or text_ja, or a change".into(),
            ));
        }
        if c.priority.is_some() {
            crate::domain::change::priority_reason(c.reason.as_deref())
                .map_err(|e| refuse("changes.reason", e.to_string()))?;
        }
        Ok(())
    }

    /// The text in `ja` or English, falling back to the other when that one is empty.
    pub fn text(&self, ja: bool) -> &str {
        let (first, other) = if ja {
            (&self.text_ja, &self.text_en)
        } else {
            (&self.text_en, &self.text_ja)
        };
        if first.trim().is_empty() {
            other
        } else {
            first
        }
    }
}

impl MacroSet {
    /// Checks every macro and that no name is given twice.
    pub fn check(&self) -> Result<(), MacroError> {
        let mut seen = std::collections::BTreeSet::new();
        for m in &self.macros {
            m.check()?;
            if !seen.insert(m.name.as_str()) {
                return Err(MacroError {
                    name: m.name.clone(),
                    field: "name",
                    detail: "the name is given twice: expected each macro once".into(),
                });
            }
        }
        Ok(())
    }

    /// The macro named `name`.
    pub fn get(&self, name: &str) -> Option<&Macro> {
        self.macros.iter().find(|m| m.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(name: &str, en: &str) -> Macro {
        Macro {
            name: name.into(),
            text_en: en.into(),
            text_ja: String::new(),
            changes: MacroChanges::default(),
        }
    }

    #[test]
    fn names_take_lowercase_digits_and_dashes() {
        for good in ["ack", "need-info", "0day", &"a".repeat(48)] {
            assert_eq!(check_macro_name(good), Ok(()), "{good}");
        }
        for bad in ["", "-ack", "Ack", "a_b", "a b", &"a".repeat(49), "ack/x"] {
            assert!(check_macro_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_placeholders_long_texts_and_reasonless_priorities_are_refused() {
        let e = text("x", "{ticket}").check().unwrap_err();
        assert_eq!(e.field, "text_en");
        assert!(
            e.detail.contains("{ticket}") && e.detail.contains("{rma}"),
            "{e}"
        );
        let e = text("x", &"a".repeat(MACRO_TEXT_MAX + 1))
            .check()
            .unwrap_err();
        assert!(e.detail.contains("16 KiB"), "{e}");
        assert!(text("x", " ").check().is_err());
        let mut m = text("x", "");
        m.changes.priority = Some(crate::domain::Priority::P2);
        assert_eq!(m.check().unwrap_err().field, "changes.reason");
        m.changes.reason = Some("impact confirmed".into());
        assert_eq!(m.check(), Ok(()));
    }

    #[test]
    fn a_set_names_each_macro_once() {
        let set = MacroSet {
            macros: vec![text("a", "x"), text("a", "y")],
        };
        assert!(set.check().unwrap_err().detail.contains("twice"));
    }
}
