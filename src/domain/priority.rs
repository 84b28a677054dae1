//! Priority, also called severity (SPEC 2.2).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{ParseError, same_word};

/// How urgent a case is; P1 is the most urgent and sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
// Deserialising through `FromStr` lets files and API clients use any alias a person may type.
#[serde(try_from = "String", into = "&'static str")]
pub enum Priority {
    /// Critical: service down or a mission-critical function lost.
    P1,
    /// High: degraded service or repeated failures of critical functions.
    P2,
    /// Medium: no impact on critical functions.
    P3,
    /// Low: information requests and non-urgent work.
    P4,
}

impl Priority {
    /// Every priority, most urgent first.
    pub const ALL: [Self; 4] = [Self::P1, Self::P2, Self::P3, Self::P4];

    /// The accepted canonical words, as listed in parse errors and help texts.
    pub const EXPECTED: &'static str = "P1, P2, P3 or P4";

    /// The canonical name, `P1`..`P4`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::P1 => "P1",
            Self::P2 => "P2",
            Self::P3 => "P3",
            Self::P4 => "P4",
        }
    }

    /// The network vendor's label: Critical, High, Medium or Low.
    pub const fn label(self) -> &'static str {
        match self {
            Self::P1 => "Critical",
            Self::P2 => "High",
            Self::P3 => "Medium",
            Self::P4 => "Low",
        }
    }

    /// The backup vendor's word: emergency, high, medium or low.
    pub const fn backup_word(self) -> &'static str {
        match self {
            Self::P1 => "emergency",
            Self::P2 => "high",
            Self::P3 => "medium",
            Self::P4 => "low",
        }
    }

    /// The Japanese word from the seed guides.
    pub const fn japanese(self) -> &'static str {
        match self {
            Self::P1 => "緊急",
            Self::P2 => "高",
            Self::P3 => "中",
            Self::P4 => "低",
        }
    }

    /// What the priority means, abridged from the seeds (SPEC 2.2).
    pub const fn meaning(self) -> &'static str {
        match self {
            Self::P1 => {
                "service down or mission-critical function lost; \
                 production server down and restore impossible"
            }
            Self::P2 => {
                "degraded; intermittent issue hitting critical functions; \
                 loss of hardware redundancy; backups keep failing"
            }
            Self::P3 => {
                "no impact on critical functions; issue in a lab or pre-production network; \
                 time-bound questions"
            }
            Self::P4 => {
                "information requests, configuration questions, cosmetic defects, \
                 non-urgent RMA, licence/activation"
            }
        }
    }

    /// The digit of the priority, 1 (most urgent) to 4.
    pub const fn rank(self) -> u8 {
        match self {
            Self::P1 => 1,
            Self::P2 => 2,
            Self::P3 => 3,
            Self::P4 => 4,
        }
    }

    /// Every word that names this priority, besides the canonical `P1`..`P4`.
    ///
    /// People type the network vendor's label, the backup vendor's word (in English or
    /// Japanese), a bare digit or a severity, so all of them are accepted.
    const fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::P1 => &["1", "sev1", "critical", "emergency", "緊急"],
            Self::P2 => &["2", "sev2", "high", "高"],
            Self::P3 => &["3", "sev3", "medium", "中"],
            Self::P4 => &["4", "sev4", "low", "低"],
        }
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Priority {
    type Err = ParseError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let word = input.trim();
        Self::ALL
            .into_iter()
            .find(|priority| {
                // `same_word` compares bytes exactly outside ASCII, which is what the
                // Japanese words need, and folds case for the rest.
                same_word(word, priority.as_str())
                    || priority
                        .aliases()
                        .iter()
                        .any(|alias| same_word(word, alias))
            })
            .ok_or_else(|| ParseError::new("priority", input, Self::EXPECTED))
    }
}

impl TryFrom<String> for Priority {
    type Error = ParseError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Priority> for &'static str {
    fn from(priority: Priority) -> Self {
        priority.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alias_parses() {
        let table = [
            ("P1", Priority::P1),
            ("p1", Priority::P1),
            ("1", Priority::P1),
            ("critical", Priority::P1),
            ("Critical", Priority::P1),
            ("EMERGENCY", Priority::P1),
            ("緊急", Priority::P1),
            ("sev1", Priority::P1),
            ("SEV1", Priority::P1),
            (" P1 ", Priority::P1),
            ("P2", Priority::P2),
            ("2", Priority::P2),
            ("high", Priority::P2),
            ("高", Priority::P2),
            ("sev2", Priority::P2),
            ("P3", Priority::P3),
            ("3", Priority::P3),
            ("Medium", Priority::P3),
            ("中", Priority::P3),
            ("sev3", Priority::P3),
            ("p4", Priority::P4),
            ("4", Priority::P4),
            ("LOW", Priority::P4),
            ("低", Priority::P4),
            ("Sev4", Priority::P4),
        ];
        for (text, priority) in table {
            assert_eq!(text.parse(), Ok(priority), "{text}");
        }
    }

    #[test]
    fn unknown_priorities_are_rejected_with_the_expected_words() {
        for text in ["P9", "P0", "0", "5", "", "urgent", "P 1", "高い", "sev-1x"] {
            let err = text.parse::<Priority>().expect_err(text);
            assert_eq!(err.expected, "P1, P2, P3 or P4");
            assert_eq!(err.input, text);
        }
        let err = "P9".parse::<Priority>().expect_err("P9 is not a priority");
        assert_eq!(
            err.for_flag("--priority"),
            "invalid --priority 'P9': expected P1, P2, P3 or P4"
        );
    }

    #[test]
    fn words_and_labels_match_the_spec_table() {
        let table = [
            (Priority::P1, "P1", "Critical", "emergency", "緊急"),
            (Priority::P2, "P2", "High", "high", "高"),
            (Priority::P3, "P3", "Medium", "medium", "中"),
            (Priority::P4, "P4", "Low", "low", "低"),
        ];
        for (priority, name, label, word, japanese) in table {
            assert_eq!(priority.to_string(), name);
            assert_eq!(priority.label(), label);
            assert_eq!(priority.backup_word(), word);
            assert_eq!(priority.japanese(), japanese);
            assert!(!priority.meaning().is_empty());
            // Every word shown for a priority also parses back to it.
            for shown in [name, label, word, japanese] {
                assert_eq!(shown.parse(), Ok(priority), "{shown}");
            }
        }
    }

    #[test]
    fn sorting_puts_p1_first() {
        let mut priorities = [Priority::P3, Priority::P1, Priority::P4, Priority::P2];
        priorities.sort();
        assert_eq!(priorities, Priority::ALL);
        assert!(Priority::P1 < Priority::P2);
        assert_eq!(Priority::ALL.map(Priority::rank), [1, 2, 3, 4]);
    }

    #[test]
    fn serde_writes_p_names_and_reads_aliases() {
        assert_eq!(
            serde_json::to_string(&Priority::P1).ok(),
            Some("\"P1\"".to_owned())
        );
        for (json, priority) in [
            ("\"P1\"", Priority::P1),
            ("\"emergency\"", Priority::P1),
            ("\"high\"", Priority::P2),
            ("\"中\"", Priority::P3),
            ("\"4\"", Priority::P4),
        ] {
            assert_eq!(
                serde_json::from_str::<Priority>(json).ok(),
                Some(priority),
                "{json}"
            );
        }
        assert!(serde_json::from_str::<Priority>("\"P9\"").is_err());
    }
}
