//! The `[profiles.NAME.rt]` mapping between RT's fields and casedesk's: which custom field
//! carries the priority, how RT's numeric priority splits into P1–P4 when none does, how RT's
//! lifecycle maps to casedesk's statuses, and which custom fields hold the site, serial and
//! tier. Every key has a default that works on a stock RT 5.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::{ContractTier, Priority, Status};

/// Which kind of case system a profile talks to (`backend = "…"` in a profile).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackendKind {
    /// casedesk's own case API (`casedesk serve`).
    #[default]
    Casedesk,
    /// Request Tracker 5 over its REST 2 API.
    Rt,
}

impl BackendKind {
    /// The name as written in the config and in `--json` (`casedesk`, `rt`).
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::Casedesk => "casedesk",
            BackendKind::Rt => "rt",
        }
    }

    /// The name a person reads (`casedesk`, `Request Tracker`).
    pub fn title(self) -> &'static str {
        match self {
            BackendKind::Casedesk => "casedesk",
            BackendKind::Rt => "Request Tracker",
        }
    }
}

/// The `[profiles.NAME.rt]` table as written; unset keys take the defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RtSettingsFile {
    /// The select custom field holding P1–P4 (default `Severity`; `""`: none, use Priority).
    #[serde(default)]
    pub priority_field: Option<String>,
    /// RT's numeric Priority at or above which a ticket is P1, P2, P3 (default `[75, 50, 25]`).
    #[serde(default)]
    pub priority_ranges: Option<[u32; 3]>,
    /// RT status → casedesk status (defaults: new, open, stalled → waiting_on_customer,
    /// resolved, rejected → closed, deleted → closed).
    #[serde(default)]
    pub statuses: BTreeMap<String, Status>,
    /// The custom field with the site's name (default `Site`).
    #[serde(default)]
    pub site_field: Option<String>,
    /// The custom field with the serial number (default `Serial`).
    #[serde(default)]
    pub serial_field: Option<String>,
    /// The custom field with the contract tier (default `Tier`).
    #[serde(default)]
    pub tier_field: Option<String>,
    /// The contract tier when the ticket has none (default `standard`).
    #[serde(default)]
    pub default_tier: Option<ContractTier>,
    /// A custom field set to the escalation's level when one is recorded (default: none).
    #[serde(default)]
    pub escalation_field: Option<String>,
}

/// A mapping value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// `priority_ranges` not strictly falling.
    #[error(
        "[rt] priority_ranges = {0:?}: expected three falling thresholds for P1, P2 and P3, e.g. [75, 50, 25]"
    )]
    Ranges([u32; 3]),
}

/// The mapping in use, defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RtSettings {
    /// The queues followed (the profile's `queues`; default `["General"]`).
    pub queues: Vec<String>,
    /// The priority custom field, if the site has one.
    pub priority_field: Option<String>,
    /// Numeric Priority thresholds for P1, P2, P3.
    pub priority_ranges: [u32; 3],
    /// RT status → casedesk status.
    pub statuses: BTreeMap<String, Status>,
    /// Site custom field.
    pub site_field: Option<String>,
    /// Serial number custom field.
    pub serial_field: Option<String>,
    /// Contract tier custom field.
    pub tier_field: Option<String>,
    /// Tier of a ticket without one.
    pub default_tier: ContractTier,
    /// Escalation level custom field.
    pub escalation_field: Option<String>,
}

/// The stock lifecycle's statuses as casedesk reads them.
const DEFAULT_STATUSES: [(&str, Status); 6] = [
    ("new", Status::New),
    ("open", Status::Open),
    ("stalled", Status::WaitingOnCustomer),
    ("resolved", Status::Resolved),
    ("rejected", Status::Closed),
    ("deleted", Status::Closed),
];

/// Values of the priority field read as each priority, besides `P1`…`P4` themselves.
const PRIORITY_WORDS: [(&str, Priority); 4] = [
    ("緊急", Priority::P1),
    ("高", Priority::P2),
    ("中", Priority::P3),
    ("低", Priority::P4),
];

impl Default for RtSettings {
    fn default() -> Self {
        RtSettingsFile::default()
            .settings(Vec::new())
            .unwrap_or_else(|_| unreachable!("the defaults are valid"))
    }
}

impl RtSettingsFile {
    /// The settings for a profile following `queues` (none given: RT's stock `General`).
    pub fn settings(&self, queues: Vec<String>) -> Result<RtSettings, SettingsError> {
        let named = |given: &Option<String>, default: &str| match given {
            Some(name) if name.trim().is_empty() => None,
            Some(name) => Some(name.trim().to_string()),
            None => Some(default.to_string()),
        };
        let ranges = self.priority_ranges.unwrap_or([75, 50, 25]);
        if !(ranges[0] > ranges[1] && ranges[1] > ranges[2]) {
            return Err(SettingsError::Ranges(ranges));
        }
        let mut statuses: BTreeMap<String, Status> = DEFAULT_STATUSES
            .iter()
            .map(|(rt, s)| ((*rt).to_string(), *s))
            .collect();
        for (rt, status) in &self.statuses {
            statuses.insert(rt.to_lowercase(), *status);
        }
        Ok(RtSettings {
            queues: if queues.is_empty() {
                vec!["General".to_string()]
            } else {
                queues
            },
            priority_field: named(&self.priority_field, "Severity"),
            priority_ranges: ranges,
            statuses,
            site_field: named(&self.site_field, "Site"),
            serial_field: named(&self.serial_field, "Serial"),
            tier_field: named(&self.tier_field, "Tier"),
            default_tier: self.default_tier.unwrap_or(ContractTier::Standard),
            escalation_field: self
                .escalation_field
                .as_ref()
                .map(|f| f.trim().to_string())
                .filter(|f| !f.is_empty()),
        })
    }
}

impl RtSettings {
    /// The casedesk status of an RT status (an unknown one — a site's own lifecycle — reads
    /// as open, since RT counts it active).
    pub fn status_of(&self, rt: &str) -> Status {
        self.statuses
            .get(&rt.to_lowercase())
            .copied()
            .unwrap_or(Status::Open)
    }

    /// The RT status to write for a casedesk status: the first of the mapping that reads
    /// back as it, preferring RT's stock names (`waiting_on_customer` → `stalled`, `closed`
    /// → `resolved`, since RT keeps no separate closed state by default).
    pub fn rt_status(&self, status: Status) -> String {
        let stock = match status {
            Status::New => "new",
            Status::Open => "open",
            Status::WaitingOnCustomer | Status::WaitingOnEngineering => "stalled",
            Status::Resolved | Status::Closed => "resolved",
        };
        if self.status_of(stock) == status {
            return stock.to_string();
        }
        // Only a site's own entries: the stock ones say how RT's statuses read, and writing
        // them would turn a close into RT's `deleted` or `rejected`.
        self.statuses
            .iter()
            .find(|(rt, s)| **s == status && !DEFAULT_STATUSES.contains(&(rt.as_str(), **s)))
            .map_or_else(|| stock.to_string(), |(rt, _)| rt.clone())
    }

    /// The priority a value of the priority field names (`P1`…`P4`, `緊急`/`高`/`中`/`低`).
    pub fn priority_of_value(&self, value: &str) -> Option<Priority> {
        let value = value.trim();
        value.parse::<Priority>().ok().or_else(|| {
            PRIORITY_WORDS
                .iter()
                .find(|(word, _)| *word == value)
                .map(|(_, p)| *p)
        })
    }

    /// The priority RT's numeric Priority falls in.
    pub fn priority_of_number(&self, n: u32) -> Priority {
        let [p1, p2, p3] = self.priority_ranges;
        match n {
            n if n >= p1 => Priority::P1,
            n if n >= p2 => Priority::P2,
            n if n >= p3 => Priority::P3,
            _ => Priority::P4,
        }
    }

    /// The numeric Priority written for a priority when no priority field is set: the
    /// middle of its range.
    pub fn number_of_priority(&self, p: Priority) -> u32 {
        let [p1, p2, p3] = self.priority_ranges;
        match p {
            Priority::P1 => p1.max(p1.saturating_add(100) / 2),
            Priority::P2 => (p1 + p2) / 2,
            Priority::P3 => (p2 + p3) / 2,
            Priority::P4 => p3 / 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> RtSettingsFile {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn a_stock_rt_reads_with_the_defaults() {
        let s = RtSettings::default();
        assert_eq!(s.queues, vec!["General".to_string()]);
        assert_eq!(s.priority_field.as_deref(), Some("Severity"));
        assert_eq!(s.status_of("stalled"), Status::WaitingOnCustomer);
        assert_eq!(s.status_of("Rejected"), Status::Closed);
        assert_eq!(s.status_of("triage"), Status::Open);
        assert_eq!(s.rt_status(Status::WaitingOnCustomer), "stalled");
        assert_eq!(s.rt_status(Status::Closed), "resolved");
        assert_eq!(s.priority_of_value("緊急"), Some(Priority::P1));
        assert_eq!(s.priority_of_value("P3"), Some(Priority::P3));
        assert_eq!(s.priority_of_value("urgent"), None);
        assert_eq!(s.priority_of_number(80), Priority::P1);
        assert_eq!(s.priority_of_number(50), Priority::P2);
        assert_eq!(s.priority_of_number(0), Priority::P4);
        for p in [Priority::P1, Priority::P2, Priority::P3, Priority::P4] {
            assert_eq!(s.priority_of_number(s.number_of_priority(p)), p, "{p:?}");
        }
    }

    #[test]
    fn a_site_maps_its_own_lifecycle_and_fields() {
        let s = file(
            "priority_field = \"\"\npriority_ranges = [90, 60, 30]\nsite_field = \"Customer Site\"\n\
             [statuses]\nwaiting = \"waiting_on_customer\"\nstalled = \"waiting_on_engineering\"\n",
        )
        .settings(vec!["Support".into()])
        .unwrap();
        assert_eq!(s.priority_field, None);
        assert_eq!(s.site_field.as_deref(), Some("Customer Site"));
        assert_eq!(s.status_of("waiting"), Status::WaitingOnCustomer);
        assert_eq!(s.rt_status(Status::WaitingOnCustomer), "waiting");
        assert_eq!(s.rt_status(Status::WaitingOnEngineering), "stalled");
        assert_eq!(s.priority_of_number(89), Priority::P2);
    }

    #[test]
    fn bad_values_are_refused_by_name() {
        let e = file("priority_ranges = [10, 50, 25]")
            .settings(Vec::new())
            .unwrap_err();
        assert!(e.to_string().contains("priority_ranges"), "{e}");
        let e = toml::from_str::<RtSettingsFile>("statuses = { stalled = \"paused\" }")
            .unwrap_err()
            .to_string();
        assert!(e.contains("paused"), "{e}");
        let e = toml::from_str::<RtSettingsFile>("severity = \"X\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field `severity`"), "{e}");
    }
}
