//! `[alerts]` checked: which events alert, and how (bell, desktop notification).

use super::AlertsFile;
use crate::domain::Priority;
use crate::sla::SlaDuration;

/// What raised an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Trigger {
    /// A new case of a watched priority (or a case raised to one).
    NewPriority,
    /// A case assigned to me by someone else.
    AssignedToMe,
    /// The customer replied on one of my cases.
    CustomerReplied,
    /// One of my cases is due soon.
    DueSoon,
    /// An escalation waits for a lead.
    Escalation,
}

impl Trigger {
    /// Every trigger, in the order a summary names them.
    pub const ALL: [Trigger; 5] = [
        Trigger::NewPriority,
        Trigger::AssignedToMe,
        Trigger::CustomerReplied,
        Trigger::DueSoon,
        Trigger::Escalation,
    ];
}

/// The alert settings the TUI runs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSettings {
    /// Whether alerts are raised at all.
    pub enabled: bool,
    /// Ring the terminal bell.
    pub bell: bool,
    /// Send a desktop notification (OSC 9 and OSC 777).
    pub desktop: bool,
    /// New cases of these priorities alert.
    pub new_priorities: Vec<Priority>,
    /// A case assigned to me alerts.
    pub assigned_to_me: bool,
    /// The customer's reply on my case alerts.
    pub customer_replied: bool,
    /// My cases due within this many seconds alert (`None`: off).
    pub due_within: Option<i64>,
    /// An escalation waiting for a lead alerts leads.
    pub escalations: bool,
}

impl Default for AlertSettings {
    /// The TUI's defaults: on, bell and desktop, new P1s, assignments, replies, due within
    /// 30 minutes, escalations for leads. (The wallboard raises none.)
    fn default() -> Self {
        AlertSettings {
            enabled: true,
            bell: true,
            desktop: true,
            new_priorities: vec![Priority::P1],
            assigned_to_me: true,
            customer_replied: true,
            due_within: Some(30 * 60),
            escalations: true,
        }
    }
}

impl AlertSettings {
    /// Nothing alerts (`--no-alerts`, and apps built without a config).
    pub fn off() -> Self {
        AlertSettings {
            enabled: false,
            ..AlertSettings::default()
        }
    }

    /// Whether `trigger` is on.
    pub fn wants(&self, trigger: Trigger) -> bool {
        self.enabled
            && match trigger {
                Trigger::NewPriority => !self.new_priorities.is_empty(),
                Trigger::AssignedToMe => self.assigned_to_me,
                Trigger::CustomerReplied => self.customer_replied,
                Trigger::DueSoon => self.due_within.is_some(),
                Trigger::Escalation => self.escalations,
            }
    }
}

impl AlertsFile {
    /// The table checked, unset keys at their defaults; the error names the key and the
    /// expected form.
    pub fn settings(&self) -> Result<AlertSettings, String> {
        let d = AlertSettings::default();
        let new_priorities = match &self.new_priorities {
            None => d.new_priorities,
            Some(list) => list
                .iter()
                .map(|p| {
                    p.parse::<Priority>()
                        .map_err(|e| format!("[alerts] {}", e.for_flag("new_priorities")))
                })
                .collect::<Result<_, _>>()?,
        };
        let due_within = match self.due_within.as_deref() {
            None => d.due_within,
            Some(text) => due_span(text)?,
        };
        Ok(AlertSettings {
            enabled: self.enabled.unwrap_or(d.enabled),
            bell: self.bell.unwrap_or(d.bell),
            desktop: self.desktop.unwrap_or(d.desktop),
            new_priorities,
            assigned_to_me: self.assigned_to_me.unwrap_or(d.assigned_to_me),
            customer_replied: self.customer_replied.unwrap_or(d.customer_replied),
            due_within,
            escalations: self.escalations.unwrap_or(d.escalations),
        })
    }
}

/// `due_within`: a wall-clock span (`30m`, `1h`, `2h30m`, `1d`), or `0` for off.
fn due_span(text: &str) -> Result<Option<i64>, String> {
    let bad = || {
        format!(
            "[alerts] invalid due_within '{text}': expected a span like 15m, 1h or 2h30m, or 0 for off"
        )
    };
    if text.trim() == "0" {
        return Ok(None);
    }
    match text.parse::<SlaDuration>() {
        // Business days have no meaning on the wall clock an alert rings by.
        Ok(SlaDuration::BusinessDays(_)) | Err(_) => Err(bad()),
        Ok(d) if d.is_zero() => Ok(None),
        Ok(d) => Ok(Some(d.seconds(0))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> AlertsFile {
        toml::from_str::<crate::config::ConfigFile>(text)
            .unwrap()
            .alerts
    }

    #[test]
    fn unset_keys_take_the_defaults() {
        let s = file("").settings().unwrap();
        assert_eq!(s, AlertSettings::default());
        assert!(s.enabled && s.bell && s.desktop);
        assert_eq!(s.new_priorities, vec![Priority::P1]);
        assert_eq!(s.due_within, Some(1800));
    }

    #[test]
    fn the_table_is_read_as_written() {
        let s = file(
            "[alerts]\nnew_priorities = [\"P1\", \"p2\"]\ndue_within = \"1h\"\nbell = false\nescalations = false\n",
        )
        .settings()
        .unwrap();
        assert_eq!(s.new_priorities, vec![Priority::P1, Priority::P2]);
        assert_eq!(s.due_within, Some(3600));
        assert!(!s.bell && !s.escalations && s.desktop);
        let off = file("[alerts]\ndue_within = \"0\"\nnew_priorities = []\n")
            .settings()
            .unwrap();
        assert_eq!(off.due_within, None);
        assert!(!off.wants(Trigger::DueSoon) && !off.wants(Trigger::NewPriority));
        assert!(!AlertSettings::off().wants(Trigger::AssignedToMe));
    }

    #[test]
    fn bad_values_name_the_key_and_the_expected_form() {
        let e = file("[alerts]\nnew_priorities = [\"P9\"]\n")
            .settings()
            .unwrap_err();
        assert_eq!(
            e,
            "[alerts] invalid new_priorities 'P9': expected P1, P2, P3 or P4"
        );
        for bad in ["soon", "3bd", "-5m"] {
            let e = file(&format!("[alerts]\ndue_within = \"{bad}\"\n"))
                .settings()
                .unwrap_err();
            assert!(
                e.starts_with(&format!("[alerts] invalid due_within '{bad}'")),
                "{e}"
            );
            assert!(e.contains("expected a span like 15m"), "{e}");
        }
    }

    #[test]
    fn there_is_no_wallboard_key_the_wallboard_raises_none() {
        let e = toml::from_str::<crate::config::ConfigFile>("[alerts]\nwallboard = true\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field `wallboard`"), "{e}");
    }
}
