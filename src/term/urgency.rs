//! One rule for how urgent a deadline looks, shared by the queue's countdown column and the SLA
//! pane: a state word or symbol that survives `NO_COLOR`, and the theme role that colours it.

use chrono::{DateTime, Utc};

use crate::api::CaseSummary;
use crate::domain::Status;
use crate::sla::ClockState;
use crate::term::theme::Role;

/// How a clock or a case's next deadline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// Past due.
    Breached,
    /// Due within the hour, not yet breached ([`crate::sla::due::due_soon`]).
    DueSoon,
    /// Counting, with time to spare.
    Running,
    /// Not counting while the customer is waited on.
    Paused,
    /// Met in time.
    Met,
    /// Not counting: resolved or closed.
    Stopped,
    /// Open with no desk clock running: the tier sets no target (self service), or none after
    /// the first response (the backup vendor's tiers set no update target).
    NoTarget,
}

impl Urgency {
    /// A clock's urgency from its state and wall-clock time left.
    pub fn of_clock(state: ClockState, remaining_secs: Option<i64>) -> Urgency {
        match state {
            ClockState::Breached => Urgency::Breached,
            ClockState::Running => match remaining_secs {
                // Breached only strictly after the due (SPEC §2.6): at the due it still runs.
                Some(s) if s < 0 => Urgency::Breached,
                Some(s) if crate::sla::due::due_soon(s) => Urgency::DueSoon,
                _ => Urgency::Running,
            },
            ClockState::Paused => Urgency::Paused,
            ClockState::Met => Urgency::Met,
            ClockState::Stopped => Urgency::Stopped,
        }
    }

    /// A queued case's urgency from its next deadline.
    pub fn of_case(c: &CaseSummary, now: DateTime<Utc>) -> Urgency {
        match c.next_due {
            Some(due) => {
                let state = if c.breached {
                    ClockState::Breached
                } else {
                    ClockState::Running
                };
                Urgency::of_clock(state, Some((due - now).num_seconds()))
            }
            None if c.breached => Urgency::Breached,
            None if c.status == Status::WaitingOnCustomer => Urgency::Paused,
            None if c.status.is_open() => Urgency::NoTarget,
            None => Urgency::Stopped,
        }
    }

    /// The word that says it without colour.
    pub fn word(self) -> &'static str {
        match self {
            Urgency::Breached => "BREACHED",
            Urgency::DueSoon => "DUE SOON",
            Urgency::Running => "running",
            Urgency::Paused => "paused",
            Urgency::Met => "met",
            Urgency::Stopped => "stopped",
            Urgency::NoTarget => "no target",
        }
    }

    /// The word in the interface's language.
    pub fn word_in(self, lang: crate::term::text::Lang) -> &'static str {
        match (lang, self) {
            (crate::term::text::Lang::En, u) => u.word(),
            (_, Urgency::Breached) => "期限超過",
            (_, Urgency::DueSoon) => "期限間近",
            (_, Urgency::Running) => "進行中",
            (_, Urgency::Paused) => "一時停止",
            (_, Urgency::Met) => "達成",
            (_, Urgency::Stopped) => "停止",
            (_, Urgency::NoTarget) => "目標なし",
        }
    }

    /// A short mark for tight columns.
    pub fn mark(self) -> &'static str {
        match self {
            Urgency::Breached => "!!",
            Urgency::DueSoon => "! ",
            Urgency::Running => "  ",
            Urgency::Paused => "||",
            Urgency::Met => "ok",
            Urgency::Stopped => "--",
            Urgency::NoTarget => "- ",
        }
    }

    /// The theme role that colours it.
    pub fn role(self) -> Role {
        match self {
            Urgency::Breached => Role::Breached,
            Urgency::DueSoon => Role::DueSoon,
            Urgency::Running => Role::Running,
            Urgency::Paused => Role::Paused,
            Urgency::Met => Role::Met,
            Urgency::Stopped | Urgency::NoTarget => Role::Stopped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_and_the_clocks_read_a_deadline_alike() {
        assert_eq!(
            Urgency::of_clock(ClockState::Running, Some(3601)),
            Urgency::Running
        );
        assert_eq!(
            Urgency::of_clock(ClockState::Running, Some(3600)),
            Urgency::DueSoon
        );
        assert_eq!(
            Urgency::of_clock(ClockState::Running, Some(0)),
            Urgency::DueSoon,
            "at the due instant a clock still runs"
        );
        assert_eq!(
            Urgency::of_clock(ClockState::Running, Some(-1)),
            Urgency::Breached
        );
        assert_eq!(
            Urgency::of_clock(ClockState::Breached, Some(500)),
            Urgency::Breached
        );
    }
    #[test]
    fn an_open_case_without_a_desk_clock_has_no_target_not_stopped() {
        let now: DateTime<Utc> = "2026-11-24T05:00:00Z".parse().unwrap();
        let case = |status: &str, next_due: Option<&str>| -> CaseSummary {
            serde_json::from_value(serde_json::json!({
                "number": "2026-1124-000101", "subject": "s", "priority": "P1",
                "status": status, "owner": null, "tier": "self_service", "channel": "web",
                "request_type": "technical_support", "site_name": "", "site_id": "",
                "account": "", "contact_name": "", "product": "", "platform": "",
                "serial_number": null, "created_at": "2026-11-24T01:00:00Z",
                "updated_at": "2026-11-24T01:00:00Z", "next_due": next_due, "breached": false,
                "temporarily_downgraded": false, "open_escalations": 0, "version": 1
            }))
            .unwrap()
        };
        assert_eq!(
            Urgency::of_case(&case("open", None), now),
            Urgency::NoTarget
        );
        assert_eq!(Urgency::of_case(&case("new", None), now), Urgency::NoTarget);
        assert_eq!(
            Urgency::of_case(&case("closed", None), now),
            Urgency::Stopped
        );
        assert_eq!(
            Urgency::of_case(&case("resolved", None), now),
            Urgency::Stopped
        );
        assert_eq!(
            Urgency::of_case(&case("open", Some("2026-11-24T05:05:00Z")), now),
            Urgency::DueSoon
        );
        assert_eq!(Urgency::NoTarget.word(), "no target");
        assert_eq!(
            Urgency::NoTarget.word_in(crate::term::text::Lang::Ja),
            "目標なし"
        );
    }
}
