//! The support domain of SPEC section 2: pure value types, no I/O.
//!
//! Every type here parses from the words people type (`FromStr`, forgiving about case and about
//! `-` versus `_`) and serialises to one exact wire name, so the CLI, the files and the API agree.

use std::fmt;

/// Formats a slice as `a, b, c or d`, the way error messages list the valid choices.
pub(crate) struct OrList<'a, T>(pub(crate) &'a [T]);

impl<T: fmt::Display> fmt::Display for OrList<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last = self.0.len().saturating_sub(1);
        for (i, item) in self.0.iter().enumerate() {
            match i {
                0 => {}
                i if i == last => f.write_str(" or ")?,
                _ => f.write_str(", ")?,
            }
            write!(f, "{item}")?;
        }
        Ok(())
    }
}

/// Builds the `&'static str` "a, b, c or d" at compile time, so `EXPECTED` texts never drift
/// from the wire names they list.
macro_rules! or_list {
    ($only:literal) => { $only };
    ($a:literal, $b:literal) => { concat!($a, " or ", $b) };
    ($first:literal, $($rest:literal),+) => { concat!($first, ", ", or_list!($($rest),+)) };
}

/// Declares a plain enum whose every variant has one wire name and one human label.
///
/// Generates the enum (with serde renames from the wire names, and `Ord` in declaration order),
/// `ALL`, `EXPECTED`, `as_str()`, `label()`, `Display` (the wire name) and a `FromStr` that is
/// case-insensitive and treats `-` and `_` alike. Types whose parsing differs are hand-written.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident as $what:literal {
            $(
                $(#[$vmeta:meta])*
                $variant:ident => $wire:literal, $label:literal;
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $wire)]
                $variant,
            )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The accepted words, as listed in parse errors and help texts.
            pub const EXPECTED: &'static str = or_list!($($wire),+);

            /// The wire name used in files, the API and on the command line.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                }
            }

            /// The human label shown on screens.
            pub const fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                // `pad` rather than `write_str` so that column widths in tables apply.
                f.pad(self.as_str())
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::domain::ParseError;

            fn from_str(input: &str) -> Result<Self, Self::Err> {
                let word = input.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|candidate| $crate::domain::same_word(word, candidate.as_str()))
                    .ok_or_else(|| $crate::domain::ParseError::new($what, input, Self::EXPECTED))
            }
        }
    };
}

pub mod change;
mod contract;
mod escalation;
pub mod intake;
pub mod macros;
mod note;
mod number;
mod priority;
mod problem;
mod rma;
pub mod size;
mod status;

pub use contract::{
    Channel, ContactLanguage, ContactMethod, ContractTier, RequestType, UserType, Vendor,
};
pub use escalation::{EscalationKind, EscalationState, EscalationTransitionError};
pub use note::{Party, Visibility};
pub use number::{CaseNumber, RmaNumber};
pub use priority::Priority;
pub use problem::ProblemReport;
pub use rma::{AnalysisRequest, RmaStatus};
pub use status::{CloseReason, Status, Transition, TransitionError};

/// A typed word that did not parse, with the form that was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} '{input}': expected {expected}")]
pub struct ParseError {
    /// What was being parsed, e.g. `priority` or `case number`.
    pub what: &'static str,
    /// The input exactly as given (untrimmed), so the message shows what the user typed.
    pub input: String,
    /// The valid forms, e.g. `P1, P2, P3 or P4`.
    pub expected: &'static str,
}

impl ParseError {
    /// Builds an error for `input`, keeping it raw.
    pub(crate) fn new(what: &'static str, input: &str, expected: &'static str) -> Self {
        Self {
            what,
            input: input.to_owned(),
            expected,
        }
    }

    /// The same message naming the command-line flag instead of the type, e.g. `invalid --priority 'P9': …`.
    pub fn for_flag(&self, flag: &str) -> String {
        format!(
            "invalid {flag} '{}': expected {}",
            self.input, self.expected
        )
    }
}

/// Whether `input` is `word`, ignoring ASCII case and treating `-` and `_` alike.
///
/// Byte-wise on purpose: the wire words are ASCII, so a non-ASCII input can never match one, and
/// comparing bytes avoids allocating a normalised copy on every parse.
pub(crate) fn same_word(input: &str, word: &str) -> bool {
    fn fold(byte: u8) -> u8 {
        match byte {
            b'-' => b'_',
            other => other.to_ascii_lowercase(),
        }
    }
    input.len() == word.len()
        && input
            .bytes()
            .zip(word.bytes())
            .all(|(a, b)| fold(a) == fold(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_display_and_for_flag() {
        let err = ParseError::new("priority", " P9", "P1, P2, P3 or P4");
        assert_eq!(
            err.to_string(),
            "invalid priority ' P9': expected P1, P2, P3 or P4"
        );
        assert_eq!(
            err.for_flag("--priority"),
            "invalid --priority ' P9': expected P1, P2, P3 or P4"
        );
    }

    #[test]
    fn or_list_joins_like_prose() {
        assert_eq!(or_list!("a"), "a");
        assert_eq!(or_list!("a", "b"), "a or b");
        assert_eq!(or_list!("a", "b", "c"), "a, b or c");
        assert_eq!(OrList::<&str>(&[]).to_string(), "");
        assert_eq!(OrList(&["a"]).to_string(), "a");
        assert_eq!(OrList(&["a", "b"]).to_string(), "a or b");
        assert_eq!(OrList(&["a", "b", "c"]).to_string(), "a, b or c");
    }

    #[test]
    fn same_word_folds_case_and_separators() {
        assert!(same_word("Waiting-On-Customer", "waiting_on_customer"));
        assert!(same_word("TAC_CARE", "tac-care"));
        assert!(!same_word("open ", "open"));
        assert!(!same_word("ope", "open"));
        assert!(!same_word("緊急", "high"));
    }
}
