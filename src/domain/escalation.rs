//! Escalation options and the life of an escalation request (SPEC 2.7).

use super::OrList;

wire_enum! {
    /// The four ways a customer may escalate a case; each needs a free-text reason.
    pub enum EscalationKind as "escalation" {
        /// The case needs to move faster.
        FasterProgress => "faster_progress", "Faster technical progress";
        /// The customer needs an engineer to contact them.
        EngineerNow => "engineer_now", "Support engineer now";
        /// The case should go to someone else.
        Reassignment => "reassignment", "Case reassignment";
        /// An RMA shipment or status is needed.
        FasterRma => "faster_rma", "Faster RMA progress";
    }
}

impl EscalationKind {
    /// When a customer should pick this option.
    pub const fn when(self) -> &'static str {
        match self {
            Self::FasterProgress => "the case needs to move faster",
            Self::EngineerNow => "the customer needs an engineer to contact them",
            Self::Reassignment => "the case should go to someone else",
            Self::FasterRma => "an RMA shipment or status is needed",
        }
    }

    /// What the desk does once this option is requested.
    pub const fn what_the_desk_does(self) -> &'static str {
        match self {
            Self::FasterProgress => {
                "an escalation manager is assigned, sets the right priority and speeds the case up"
            }
            Self::EngineerNow => {
                "an engineer contacts the customer by their preferred method (phone or email)"
            }
            Self::Reassignment => "an escalation manager reassigns the case",
            Self::FasterRma => "a customer-care agent answers with the RMA status",
        }
    }

    /// Whether the request must record how to reach the customer (phone or email).
    pub const fn needs_contact_method(self) -> bool {
        matches!(self, Self::EngineerNow)
    }
}

wire_enum! {
    /// Where an escalation request stands.
    pub enum EscalationState as "escalation state" {
        /// Asked for, nobody has picked it up yet.
        Requested => "requested", "Requested";
        /// Someone has taken it on.
        Acknowledged => "acknowledged", "Acknowledged";
        /// Done.
        Resolved => "resolved", "Resolved";
        /// Refused.
        Declined => "declined", "Declined";
    }
}

impl EscalationState {
    /// Whether the escalation still waits in the leads' queue.
    pub const fn is_open(self) -> bool {
        matches!(self, Self::Requested | Self::Acknowledged)
    }

    /// The states an escalation may move to from this one; none once it is finished.
    pub const fn allowed_next(self) -> &'static [EscalationState] {
        match self {
            // Resolving needs someone to have acknowledged it first, so the timeline says who.
            Self::Requested => &[Self::Acknowledged, Self::Declined],
            Self::Acknowledged => &[Self::Resolved, Self::Declined],
            Self::Resolved | Self::Declined => &[],
        }
    }

    /// Checks a move to `to`, giving the new state.
    pub fn transition(self, to: EscalationState) -> Result<Self, EscalationTransitionError> {
        if self.allowed_next().contains(&to) {
            Ok(to)
        } else {
            Err(EscalationTransitionError {
                from: self,
                to,
                allowed: self.allowed_next(),
            })
        }
    }
}

/// An escalation state change that is not allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot move an escalation from {from} to {to}: {}", Allowed(*from, allowed))]
pub struct EscalationTransitionError {
    /// The current state.
    pub from: EscalationState,
    /// The state asked for.
    pub to: EscalationState,
    /// Where the escalation may go instead; empty once it is finished.
    pub allowed: &'static [EscalationState],
}

/// The tail of the error message: the allowed states, or that there are none.
struct Allowed<'a>(EscalationState, &'a [EscalationState]);

impl std::fmt::Display for Allowed<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self(from, allowed) = self;
        if allowed.is_empty() {
            write!(f, "{from} is final")
        } else {
            write!(f, "from {from} it may go to {}", OrList(allowed))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EscalationState::*;

    #[test]
    fn kinds_match_the_spec_table() {
        let table = [
            (
                EscalationKind::FasterProgress,
                "\"faster_progress\"",
                "Faster technical progress",
            ),
            (
                EscalationKind::EngineerNow,
                "\"engineer_now\"",
                "Support engineer now",
            ),
            (
                EscalationKind::Reassignment,
                "\"reassignment\"",
                "Case reassignment",
            ),
            (
                EscalationKind::FasterRma,
                "\"faster_rma\"",
                "Faster RMA progress",
            ),
        ];
        for (kind, json, label) in table {
            assert_eq!(kind.label(), label);
            assert_eq!(serde_json::to_string(&kind).ok().as_deref(), Some(json));
            assert_eq!(
                serde_json::from_str::<EscalationKind>(json).ok(),
                Some(kind)
            );
            assert!(!kind.when().is_empty());
            assert!(!kind.what_the_desk_does().is_empty());
        }
        assert_eq!(table.map(|(kind, ..)| kind), *EscalationKind::ALL);
        let needing: Vec<EscalationKind> = EscalationKind::ALL
            .iter()
            .copied()
            .filter(|kind| kind.needs_contact_method())
            .collect();
        assert_eq!(needing, [EscalationKind::EngineerNow]);
        assert_eq!("faster-rma".parse(), Ok(EscalationKind::FasterRma));
    }

    #[test]
    fn allowed_state_changes() {
        for (from, to) in [
            (Requested, Acknowledged),
            (Requested, Declined),
            (Acknowledged, Resolved),
            (Acknowledged, Declined),
        ] {
            assert_eq!(from.transition(to), Ok(to), "{from} -> {to}");
        }
    }

    #[test]
    fn forbidden_state_changes_name_the_allowed_ones() {
        let table = [
            (
                Requested,
                Resolved,
                "cannot move an escalation from requested to resolved: \
                 from requested it may go to acknowledged or declined",
            ),
            (
                Acknowledged,
                Requested,
                "cannot move an escalation from acknowledged to requested: \
                 from acknowledged it may go to resolved or declined",
            ),
            (
                Resolved,
                Acknowledged,
                "cannot move an escalation from resolved to acknowledged: resolved is final",
            ),
            (
                Declined,
                Requested,
                "cannot move an escalation from declined to requested: declined is final",
            ),
        ];
        for (from, to, message) in table {
            let err = from.transition(to).expect_err("forbidden");
            assert_eq!(err.allowed, from.allowed_next());
            assert_eq!(err.to_string(), message);
        }
    }

    #[test]
    fn only_requested_and_acknowledged_are_open() {
        let open: Vec<EscalationState> = EscalationState::ALL
            .iter()
            .copied()
            .filter(|state| state.is_open())
            .collect();
        assert_eq!(open, [Requested, Acknowledged]);
    }
}
