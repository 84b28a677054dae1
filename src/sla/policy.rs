//! SLA policies: the targets of each contract tier by metric, priority and channel, read from TOML.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::duration::{self, SlaDuration};
use super::source::{line_of, toml_error};
use crate::domain::{Channel, ContractTier, Priority};

/// Which calendar a target's time runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetCalendar {
    /// Wall-clock time (`24x7`).
    WallClock,
    /// Working time on the site's business calendar.
    Business,
}

/// An SLA target: a duration on a calendar, written `1h 24x7`, `2h business`, `1bd` or `7d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Target {
    /// How long.
    pub duration: SlaDuration,
    /// On which calendar.
    pub calendar: TargetCalendar,
}

/// The name of the wall-clock calendar.
pub const WALL_CLOCK: &str = "24x7";

impl Target {
    /// The calendar name this target runs on, given the site's business calendar.
    pub fn calendar_name<'a>(&self, site_calendar: &'a str) -> &'a str {
        match self.calendar {
            TargetCalendar::WallClock => WALL_CLOCK,
            TargetCalendar::Business => site_calendar,
        }
    }
}

impl FromStr for Target {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let expected = "expected a duration and its calendar, e.g. \"1h 24x7\", \"2h business\", \
                        \"1bd\" (business days) or \"7d\" (wall-clock days)";
        let mut words = text.split_whitespace();
        let duration: SlaDuration = words
            .next()
            .ok_or_else(|| format!("empty target: {expected}"))?
            .parse()
            .map_err(|e: duration::DurationError| format!("{e}"))?;
        let calendar = match (duration, words.next(), words.next()) {
            (_, _, Some(_)) => None,
            (SlaDuration::BusinessDays(_), None | Some("business"), _) => {
                Some(TargetCalendar::Business)
            }
            (SlaDuration::Days(_), None | Some(WALL_CLOCK), _) => Some(TargetCalendar::WallClock),
            (SlaDuration::Working { .. }, Some(WALL_CLOCK), _) => Some(TargetCalendar::WallClock),
            (SlaDuration::Working { .. }, Some("business"), _) => Some(TargetCalendar::Business),
            _ => None,
        };
        calendar
            .map(|calendar| Target { duration, calendar })
            .ok_or_else(|| format!("invalid target '{text}': {expected}"))
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.duration, self.calendar) {
            (SlaDuration::BusinessDays(_) | SlaDuration::Days(_), _) => {
                write!(f, "{}", self.duration)
            }
            (d, TargetCalendar::WallClock) => write!(f, "{d} {WALL_CLOCK}"),
            (d, TargetCalendar::Business) => write!(f, "{d} business"),
        }
    }
}

impl TryFrom<String> for Target {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Target> for String {
    fn from(value: Target) -> Self {
        value.to_string()
    }
}

/// What a tier's target measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    /// Time from creation to the first public response by support.
    FirstResponse,
    /// Time between public updates by support once the first response is given.
    Update,
}

impl Metric {
    /// The command-line spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::FirstResponse => "first-response",
            Metric::Update => "update",
        }
    }
}

impl FromStr for Metric {
    type Err = crate::domain::ParseError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "first-response" => Ok(Metric::FirstResponse),
            "update" => Ok(Metric::Update),
            _ => Err(crate::domain::ParseError {
                what: "metric",
                input: text.to_string(),
                expected: "first-response or update",
            }),
        }
    }
}

/// Targets for the four priorities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ByPriority {
    /// Critical.
    #[serde(rename = "P1")]
    pub p1: Target,
    /// High.
    #[serde(rename = "P2")]
    pub p2: Target,
    /// Medium.
    #[serde(rename = "P3")]
    pub p3: Target,
    /// Low.
    #[serde(rename = "P4")]
    pub p4: Target,
}

impl ByPriority {
    /// The target for one priority.
    pub fn get(&self, priority: Priority) -> Target {
        match priority {
            Priority::P1 => self.p1,
            Priority::P2 => self.p2,
            Priority::P3 => self.p3,
            Priority::P4 => self.p4,
        }
    }
}

/// Targets of one metric, for any channel or per channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ByChannel {
    /// Applies to channels without their own entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub any: Option<ByPriority>,
    /// Cases opened on the web.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web: Option<ByPriority>,
    /// Cases opened by phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<ByPriority>,
}

impl ByChannel {
    /// The targets for a channel, falling back to `any`.
    pub fn get(&self, channel: Channel) -> Option<&ByPriority> {
        match channel {
            // A mail is a written request, as the portal's: the web targets apply.
            Channel::Web | Channel::Email => self.web.as_ref(),
            Channel::Phone => self.phone.as_ref(),
        }
        .or(self.any.as_ref())
    }

    /// The rows to show in a table: (channel label, targets).
    pub fn rows(&self) -> impl Iterator<Item = (&'static str, &ByPriority)> {
        [
            ("any", &self.any),
            ("phone", &self.phone),
            ("web", &self.web),
        ]
        .into_iter()
        .filter_map(|(label, t)| t.as_ref().map(|t| (label, t)))
    }

    fn is_empty(&self) -> bool {
        self.rows().next().is_none()
    }
}

/// One contract tier's targets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierPolicy {
    /// What the tier is, for people.
    #[serde(default)]
    pub description: String,
    /// First-response targets.
    #[serde(default, skip_serializing_if = "ByChannel::is_empty")]
    pub first_response: ByChannel,
    /// Update-frequency targets.
    #[serde(default, skip_serializing_if = "ByChannel::is_empty")]
    pub update: ByChannel,
}

impl TierPolicy {
    /// The target for a metric, priority and channel; `None` when the tier sets none.
    pub fn target(&self, metric: Metric, priority: Priority, channel: Channel) -> Option<Target> {
        match metric {
            Metric::FirstResponse => &self.first_response,
            Metric::Update => &self.update,
        }
        .get(channel)
        .map(|t| t.get(priority))
    }
}

/// The clocks every case has whatever its tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockSettings {
    /// Waiting on the customer with no reply this long closes the case.
    pub auto_close: Target,
    /// A defective unit is due back this long after its RMA is issued.
    pub rma_return: Target,
    /// Failed contact on a P1 for this long makes the temporary downgrade available.
    pub p1_unreachable: Target,
}

/// Every tier's targets and the site calendar they run on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policies {
    /// The calendar `business` targets run on.
    pub site_calendar: String,
    /// Tier-independent clocks.
    pub clocks: ClockSettings,
    /// Targets by tier.
    pub tiers: BTreeMap<ContractTier, TierPolicy>,
    /// The share of clocks the desk aims to meet, in percent: the target line of the reports.
    #[serde(default = "default_attainment_target")]
    pub attainment_target: u8,
}

/// The attainment target when the policies set none: 95%.
fn default_attainment_target() -> u8 {
    95
}

/// Why a policy file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// Not TOML of the expected shape; the message names the file and line.
    #[error("{message}")]
    Syntax {
        /// `file, line L, column C: problem`.
        message: String,
    },
    /// A definition that parses but names something that does not exist.
    #[error("{source_name}, line {line}: {problem}")]
    Invalid {
        /// The file the text came from.
        source_name: String,
        /// 1-based line.
        line: usize,
        /// What is wrong and what is expected.
        problem: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    site_calendar: Option<String>,
    clocks: Option<ClockSettings>,
    attainment_target: Option<Spanned<u8>>,
    #[serde(default)]
    tier: BTreeMap<Spanned<String>, TierPolicy>,
}

impl Policies {
    /// The presets shipped in the binary.
    pub fn builtin() -> Self {
        let (name, text) = super::builtin::POLICIES;
        let base = Policies {
            site_calendar: String::new(),
            clocks: ClockSettings {
                auto_close: Target {
                    duration: SlaDuration::Days(14),
                    calendar: TargetCalendar::WallClock,
                },
                rma_return: Target {
                    duration: SlaDuration::BusinessDays(10),
                    calendar: TargetCalendar::Business,
                },
                p1_unreachable: Target {
                    duration: SlaDuration::hours(1),
                    calendar: TargetCalendar::WallClock,
                },
            },
            tiers: BTreeMap::new(),
            attainment_target: default_attainment_target(),
        };
        // The built-in file is tested to load; failing here is a build defect, not input.
        base.overridden_by(name, text)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The built-ins with a user's TOML file applied: a tier it defines replaces the preset.
    pub fn with_file(source_name: &str, text: &str) -> Result<Self, PolicyError> {
        Policies::builtin().overridden_by(source_name, text)
    }

    fn overridden_by(mut self, source_name: &str, text: &str) -> Result<Self, PolicyError> {
        let file: PolicyFile = toml::from_str(text).map_err(|e| PolicyError::Syntax {
            message: toml_error(source_name, text, &e),
        })?;
        if let Some(site) = file.site_calendar {
            self.site_calendar = site;
        }
        if let Some(clocks) = file.clocks {
            self.clocks = clocks;
        }
        if let Some(target) = file.attainment_target {
            if !(1..=100).contains(target.get_ref()) {
                return Err(PolicyError::Invalid {
                    source_name: source_name.to_string(),
                    line: line_of(text, target.span().start),
                    problem: format!(
                        "attainment_target = {} is not a percentage: expected 1 to 100 (e.g. 95)",
                        target.get_ref()
                    ),
                });
            }
            self.attainment_target = *target.get_ref();
        }
        for (name, policy) in file.tier {
            let tier: ContractTier =
                name.get_ref()
                    .parse()
                    .map_err(|e: crate::domain::ParseError| PolicyError::Invalid {
                        source_name: source_name.to_string(),
                        line: line_of(text, name.span().start),
                        problem: e.to_string(),
                    })?;
            self.tiers.insert(tier, policy);
        }
        Ok(self)
    }

    /// The target for a tier, metric, priority and channel; `None` when the tier sets none.
    pub fn target(
        &self,
        tier: ContractTier,
        metric: Metric,
        priority: Priority,
        channel: Channel,
    ) -> Option<Target> {
        self.tiers.get(&tier)?.target(metric, priority, channel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Target {
        text.parse().unwrap()
    }

    /// SPEC §2.5, row by row: (tier, channel, metric, P1, P2, P3, P4).
    const SPEC_TABLE: &[(&str, &str, &str, [&str; 4])] = &[
        (
            "tac-care",
            "web",
            "first-response",
            ["1h 24x7", "1h 24x7", "8h 24x7", "24h 24x7"],
        ),
        (
            "tac-care",
            "phone",
            "first-response",
            ["1h 24x7", "1h 24x7", "8h 24x7", "24h 24x7"],
        ),
        ("tac-care", "web", "update", ["4h 24x7", "1bd", "3bd", "7d"]),
        (
            "tac-advanced",
            "phone",
            "first-response",
            ["30m 24x7", "30m 24x7", "4h 24x7", "4h 24x7"],
        ),
        (
            "tac-advanced",
            "web",
            "update",
            ["4h 24x7", "1bd", "3bd", "7d"],
        ),
        (
            "tac-premium",
            "web",
            "first-response",
            ["15m 24x7", "30m 24x7", "2h 24x7", "4h 24x7"],
        ),
        (
            "tac-premium",
            "phone",
            "update",
            ["4h 24x7", "1bd", "3bd", "7d"],
        ),
        (
            "standard",
            "phone",
            "first-response",
            ["2h business", "2h business", "2h business", "2h business"],
        ),
        (
            "standard",
            "web",
            "first-response",
            ["2h business", "1bd", "2bd", "2bd"],
        ),
        (
            "premium",
            "phone",
            "first-response",
            ["1h 24x7", "1h 24x7", "1h 24x7", "1h 24x7"],
        ),
        (
            "premium",
            "web",
            "first-response",
            ["1h 24x7", "1bd", "2bd", "2bd"],
        ),
    ];

    #[test]
    fn presets_match_the_spec_table() {
        let p = Policies::builtin();
        assert_eq!(p.site_calendar, "jp-business");
        for (tier, channel, metric, want) in SPEC_TABLE {
            for (priority, want) in Priority::ALL.into_iter().zip(want) {
                let got = p.target(
                    tier.parse().unwrap(),
                    metric.parse().unwrap(),
                    priority,
                    channel.parse().unwrap(),
                );
                assert_eq!(got, Some(t(want)), "{tier} {channel} {metric} {priority}");
            }
        }
    }

    #[test]
    fn tiers_without_targets_have_none() {
        let p = Policies::builtin();
        for priority in Priority::ALL {
            for channel in [Channel::Web, Channel::Phone] {
                for metric in [Metric::FirstResponse, Metric::Update] {
                    assert_eq!(
                        p.target(ContractTier::SelfService, metric, priority, channel),
                        None
                    );
                }
                assert_eq!(
                    p.target(ContractTier::Standard, Metric::Update, priority, channel),
                    None
                );
                assert_eq!(
                    p.target(ContractTier::Premium, Metric::Update, priority, channel),
                    None
                );
            }
        }
    }

    #[test]
    fn a_case_opened_by_mail_has_the_web_targets() {
        let p = Policies::builtin();
        let mut differ = false;
        for tier in ContractTier::ALL {
            for priority in Priority::ALL {
                for metric in [Metric::FirstResponse, Metric::Update] {
                    let target = |channel| p.target(*tier, metric, priority, channel);
                    assert_eq!(target(Channel::Email), target(Channel::Web));
                    differ |= target(Channel::Web) != target(Channel::Phone);
                }
            }
        }
        assert!(
            differ,
            "some web target differs from phone's, so the test tells them apart"
        );
    }

    #[test]
    fn targets_name_their_calendar() {
        assert_eq!(t("1bd").calendar, TargetCalendar::Business);
        assert_eq!(t("7d").calendar, TargetCalendar::WallClock);
        assert_eq!(t("2h business").to_string(), "2h business");
        for bad in [
            "2h",
            "1bd 24x7",
            "7d business",
            "1h 24x7 extra",
            "",
            "soon 24x7",
        ] {
            assert!(bad.parse::<Target>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_file_overrides_one_tier_and_keeps_the_rest() {
        let text = "site_calendar = \"us-pacific-business\"\n[tier.standard]\nfirst_response.any = { P1 = \"30m business\", P2 = \"1h business\", P3 = \"1bd\", P4 = \"1bd\" }\n";
        let p = Policies::with_file("mine.toml", text).unwrap();
        assert_eq!(p.site_calendar, "us-pacific-business");
        assert_eq!(
            p.target(
                ContractTier::Standard,
                Metric::FirstResponse,
                Priority::P1,
                Channel::Phone
            ),
            Some(t("30m business"))
        );
        assert_eq!(
            p.target(
                ContractTier::TacCare,
                Metric::Update,
                Priority::P1,
                Channel::Web
            ),
            Some(t("4h 24x7"))
        );
    }

    #[test]
    fn a_broken_file_is_refused_naming_the_line() {
        let missing = "[tier.standard]\nfirst_response.any = { P1 = \"1h 24x7\" }\n";
        let err = Policies::with_file("mine.toml", missing)
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2") && err.contains("P2"), "{err}");
        let bad_target = "\n\n[tier.premium]\nupdate.any = { P1 = \"2h\", P2 = \"1h 24x7\", P3 = \"1h 24x7\", P4 = \"1h 24x7\" }\n";
        let err = Policies::with_file("mine.toml", bad_target)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 4") && err.contains("2h business"),
            "{err}"
        );
        let bad_tier = "[tier.gold]\n";
        let err = Policies::with_file("mine.toml", bad_tier)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 1") && err.contains("gold") && err.contains("tac-care"),
            "{err}"
        );
    }
}
