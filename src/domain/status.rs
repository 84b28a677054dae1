//! Case status, its allowed transitions and close reasons (SPEC 2.4).

use super::OrList;

wire_enum! {
    /// Where a case stands in its life; the declaration order is the usual workflow order.
    pub enum Status as "status" {
        /// No engineer response yet.
        New => "new", "New";
        /// Being worked by support.
        Open => "open", "Open";
        /// Support asked the customer something and waits for the answer.
        WaitingOnCustomer => "waiting_on_customer", "Waiting on customer";
        /// A problem report is open with engineering.
        WaitingOnEngineering => "waiting_on_engineering", "Waiting on engineering";
        /// A solution was given; waiting for the customer to confirm.
        Resolved => "resolved", "Resolved";
        /// Done, with a close reason.
        Closed => "closed", "Closed";
    }
}

impl Status {
    /// Whether the case still needs work: everything but `resolved` and `closed`.
    pub const fn is_open(self) -> bool {
        !matches!(self, Self::Resolved | Self::Closed)
    }

    /// The statuses a case may move to from this one.
    ///
    /// SPEC 2.4 gives the workflow; `waiting_on_customer` → `closed` is added because SPEC 2.5
    /// auto-closes a case that waited 14 days for the customer (reason `no_customer_response`).
    pub const fn allowed_next(self) -> &'static [Status] {
        match self {
            Self::New => &[Self::Open],
            Self::Open => &[
                Self::WaitingOnCustomer,
                Self::WaitingOnEngineering,
                Self::Resolved,
            ],
            Self::WaitingOnCustomer => &[Self::Open, Self::Closed],
            Self::WaitingOnEngineering => &[Self::Open],
            Self::Resolved => &[Self::Closed, Self::Open],
            Self::Closed => &[Self::Open],
        }
    }

    /// Whether a case may stand at this status only with a problem report linked: waiting on
    /// engineering means waiting on a bug fix, so there must be a bug to wait on.
    pub const fn needs_problem_report(self) -> bool {
        matches!(self, Self::WaitingOnEngineering)
    }

    /// Whether moving from this status to `to` is allowed.
    pub fn may_move_to(self, to: Status) -> bool {
        self.allowed_next().contains(&to)
    }

    /// Checks a move to `to`; a close needs a reason and no other move takes one.
    pub fn transition(
        self,
        to: Status,
        reason: Option<CloseReason>,
    ) -> Result<Transition, TransitionError> {
        if !self.may_move_to(to) {
            return Err(TransitionError::Forbidden {
                from: self,
                to,
                allowed: self.allowed_next(),
            });
        }
        match (to, reason) {
            (Self::Closed, Some(reason)) => Ok(Transition::Close { from: self, reason }),
            (Self::Closed, None) => Err(TransitionError::CloseReasonRequired { from: self }),
            (_, Some(reason)) => Err(TransitionError::UnexpectedCloseReason {
                from: self,
                to,
                reason,
            }),
            // Coming back to `open` from a finished state is a reopen: SPEC 2.6 starts a fresh
            // update interval then, so callers must be able to tell it apart.
            (Self::Open, None) if !self.is_open() => Ok(Transition::Reopen { from: self }),
            (_, None) => Ok(Transition::Move { from: self, to }),
        }
    }
}

/// An allowed status change, as returned by [`Status::transition`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transition {
    /// An ordinary move within the workflow.
    Move {
        /// The status before.
        from: Status,
        /// The status after.
        to: Status,
    },
    /// Closing the case, which records why.
    Close {
        /// The status before.
        from: Status,
        /// Why the case was closed.
        reason: CloseReason,
    },
    /// Back to `open` from `resolved` or `closed`: the same case, with fresh clocks.
    Reopen {
        /// The status before (`resolved` or `closed`).
        from: Status,
    },
}

impl Transition {
    /// The status before the change.
    pub const fn from(self) -> Status {
        match self {
            Self::Move { from, .. } | Self::Close { from, .. } | Self::Reopen { from } => from,
        }
    }

    /// The status after the change.
    pub const fn to(self) -> Status {
        match self {
            Self::Move { to, .. } => to,
            Self::Close { .. } => Status::Closed,
            Self::Reopen { .. } => Status::Open,
        }
    }

    /// Whether this brings a finished case back to `open`.
    pub const fn is_reopen(self) -> bool {
        matches!(self, Self::Reopen { .. })
    }

    /// The close reason, if this closes the case.
    pub const fn close_reason(self) -> Option<CloseReason> {
        match self {
            Self::Close { reason, .. } => Some(reason),
            Self::Move { .. } | Self::Reopen { .. } => None,
        }
    }
}

/// A status change that the workflow does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The target status cannot be reached from the current one.
    #[error(
        "cannot move a case from {from} to {to}: from {from} it may go to {}",
        OrList(allowed)
    )]
    Forbidden {
        /// The current status.
        from: Status,
        /// The status asked for.
        to: Status,
        /// Where the case may go instead.
        allowed: &'static [Status],
    },
    /// Closing without saying why.
    #[error("closing a case from {from} needs a reason: {}", CloseReason::EXPECTED)]
    CloseReasonRequired {
        /// The current status.
        from: Status,
    },
    /// A close reason given for a move that does not close the case.
    #[error(
        "a close reason ({reason}) only goes with closing, not with moving from {from} to {to}"
    )]
    UnexpectedCloseReason {
        /// The current status.
        from: Status,
        /// The status asked for.
        to: Status,
        /// The reason that was given anyway.
        reason: CloseReason,
    },
}

wire_enum! {
    /// Why a case was closed.
    pub enum CloseReason as "close reason" {
        /// The customer confirmed the solution works.
        ConfirmedResolved => "confirmed_resolved", "Confirmed resolved";
        /// Two weeks without a reply after repeated contact.
        NoCustomerResponse => "no_customer_response", "No customer response";
        /// The customer no longer needs help.
        NoLongerNeeded => "no_longer_needed", "No longer needed";
        /// The problem is in someone else's software.
        NotOurSoftware => "not_our_software", "Not our software";
        /// Fixed in a released version.
        FixedInRelease => "fixed_in_release", "Fixed in release";
        /// The product behaves as designed.
        WorksAsDesigned => "works_as_designed", "Works as designed";
        /// Taken on as a feature request.
        FeatureRequestAccepted => "feature_request_accepted", "Feature request accepted";
        /// The customer accepted a workaround.
        WorkaroundAccepted => "workaround_accepted", "Workaround accepted";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ParseError;
    use Status::*;

    #[test]
    fn every_allowed_transition_succeeds() {
        let table = [
            (
                New,
                Open,
                Transition::Move {
                    from: New,
                    to: Open,
                },
            ),
            (
                Open,
                WaitingOnCustomer,
                Transition::Move {
                    from: Open,
                    to: WaitingOnCustomer,
                },
            ),
            (
                Open,
                WaitingOnEngineering,
                Transition::Move {
                    from: Open,
                    to: WaitingOnEngineering,
                },
            ),
            (
                Open,
                Resolved,
                Transition::Move {
                    from: Open,
                    to: Resolved,
                },
            ),
            (
                WaitingOnCustomer,
                Open,
                Transition::Move {
                    from: WaitingOnCustomer,
                    to: Open,
                },
            ),
            (
                WaitingOnEngineering,
                Open,
                Transition::Move {
                    from: WaitingOnEngineering,
                    to: Open,
                },
            ),
            (Resolved, Open, Transition::Reopen { from: Resolved }),
            (Closed, Open, Transition::Reopen { from: Closed }),
        ];
        for (from, to, expected) in table {
            let transition = from.transition(to, None);
            assert_eq!(transition, Ok(expected), "{from} -> {to}");
            assert_eq!(expected.from(), from);
            assert_eq!(expected.to(), to);
            assert_eq!(expected.close_reason(), None);
        }

        for from in [Resolved, WaitingOnCustomer] {
            let transition = from.transition(Closed, Some(CloseReason::ConfirmedResolved));
            assert_eq!(
                transition,
                Ok(Transition::Close {
                    from,
                    reason: CloseReason::ConfirmedResolved
                })
            );
        }
    }

    #[test]
    fn allowed_next_matches_transition() {
        for from in Status::ALL.iter().copied() {
            for to in Status::ALL.iter().copied() {
                let reason = (to == Closed).then_some(CloseReason::NoLongerNeeded);
                assert_eq!(
                    from.transition(to, reason).is_ok(),
                    from.allowed_next().contains(&to),
                    "{from} -> {to}"
                );
            }
        }
    }

    #[test]
    fn only_returns_to_open_from_finished_states_are_reopens() {
        assert!(
            Closed
                .transition(Open, None)
                .is_ok_and(Transition::is_reopen)
        );
        assert!(
            Resolved
                .transition(Open, None)
                .is_ok_and(Transition::is_reopen)
        );
        assert!(
            !WaitingOnCustomer
                .transition(Open, None)
                .is_ok_and(Transition::is_reopen)
        );
        assert!(!New.transition(Open, None).is_ok_and(Transition::is_reopen));
    }

    #[test]
    fn forbidden_transitions_name_the_allowed_ones() {
        let table = [
            (
                New,
                Resolved,
                "cannot move a case from new to resolved: from new it may go to open",
            ),
            (
                New,
                Closed,
                "cannot move a case from new to closed: from new it may go to open",
            ),
            (
                Open,
                Closed,
                "cannot move a case from open to closed: from open it may go to \
                 waiting_on_customer, waiting_on_engineering or resolved",
            ),
            (
                Open,
                Open,
                "cannot move a case from open to open: from open it may go to \
                 waiting_on_customer, waiting_on_engineering or resolved",
            ),
            (
                WaitingOnEngineering,
                Resolved,
                "cannot move a case from waiting_on_engineering to resolved: \
                 from waiting_on_engineering it may go to open",
            ),
            (
                Resolved,
                WaitingOnCustomer,
                "cannot move a case from resolved to waiting_on_customer: \
                 from resolved it may go to closed or open",
            ),
            (
                Closed,
                Resolved,
                "cannot move a case from closed to resolved: from closed it may go to open",
            ),
            (
                Closed,
                New,
                "cannot move a case from closed to new: from closed it may go to open",
            ),
        ];
        for (from, to, message) in table {
            let err = from.transition(to, None).expect_err("forbidden");
            assert_eq!(
                err,
                TransitionError::Forbidden {
                    from,
                    to,
                    allowed: from.allowed_next()
                }
            );
            assert_eq!(err.to_string(), message);
        }
    }

    #[test]
    fn closing_needs_a_reason_and_only_closing_takes_one() {
        let err = Resolved.transition(Closed, None).expect_err("no reason");
        assert_eq!(err, TransitionError::CloseReasonRequired { from: Resolved });
        assert!(err.to_string().contains("confirmed_resolved"));

        let err = Open
            .transition(Resolved, Some(CloseReason::WorksAsDesigned))
            .expect_err("reason on a non-close");
        assert_eq!(
            err.to_string(),
            "a close reason (works_as_designed) only goes with closing, \
             not with moving from open to resolved"
        );
    }

    #[test]
    fn is_open_excludes_resolved_and_closed() {
        let open: Vec<Status> = Status::ALL
            .iter()
            .copied()
            .filter(|s| s.is_open())
            .collect();
        assert_eq!(open, [New, Open, WaitingOnCustomer, WaitingOnEngineering]);
    }

    #[test]
    fn status_words_parse_case_insensitively_with_either_separator() {
        let table = [
            ("new", New),
            ("OPEN", Open),
            ("waiting_on_customer", WaitingOnCustomer),
            ("waiting-on-customer", WaitingOnCustomer),
            ("Waiting-On-Engineering", WaitingOnEngineering),
            (" resolved ", Resolved),
            ("closed", Closed),
        ];
        for (text, status) in table {
            assert_eq!(text.parse(), Ok(status), "{text}");
        }
        assert_eq!(
            "pending".parse::<Status>(),
            Err(ParseError {
                what: "status",
                input: "pending".to_owned(),
                expected: "new, open, waiting_on_customer, waiting_on_engineering, \
                           resolved or closed",
            })
        );
        assert_eq!(WaitingOnCustomer.to_string(), "waiting_on_customer");
        assert_eq!(WaitingOnCustomer.label(), "Waiting on customer");
    }

    #[test]
    fn serde_uses_snake_case() {
        assert_eq!(
            serde_json::to_string(&WaitingOnCustomer).ok(),
            Some("\"waiting_on_customer\"".to_owned())
        );
        for status in Status::ALL.iter().copied() {
            let json = serde_json::to_string(&status).expect("plain enum serialises");
            assert_eq!(json, format!("\"{status}\""));
            assert_eq!(serde_json::from_str::<Status>(&json).ok(), Some(status));
        }
        for reason in CloseReason::ALL.iter().copied() {
            let json = serde_json::to_string(&reason).expect("plain enum serialises");
            assert_eq!(json, format!("\"{reason}\""));
            assert_eq!(
                serde_json::from_str::<CloseReason>(&json).ok(),
                Some(reason)
            );
        }
    }

    #[test]
    fn close_reasons_are_the_eight_of_the_spec() {
        let names: Vec<&str> = CloseReason::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(
            names,
            [
                "confirmed_resolved",
                "no_customer_response",
                "no_longer_needed",
                "not_our_software",
                "fixed_in_release",
                "works_as_designed",
                "feature_request_accepted",
                "workaround_accepted",
            ]
        );
        assert_eq!(
            "No-Customer-Response".parse(),
            Ok(CloseReason::NoCustomerResponse)
        );
        assert_eq!(CloseReason::FixedInRelease.label(), "Fixed in release");
    }
}
