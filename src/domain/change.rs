//! The rules of changing a case (SPEC 2.2–2.4): who may move its owner, when a priority change
//! is allowed (and the P1 temporary downgrade with it), which status moves need what. The server
//! enforces them and the clients ask the same functions before sending, so a refusal is named
//! before anything is queued.

use chrono::{DateTime, SecondsFormat, Utc};

use super::{CloseReason, Priority, Status, Transition, TransitionError};

/// The one priority move that may be the temporary downgrade after failed contact: P1 → P2.
pub const TEMPORARY_DOWNGRADE: (Priority, Priority) = (Priority::P1, Priority::P2);

/// A change to a case that its rules refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    /// A priority change without a reason.
    #[error(
        "a priority change needs a reason: the customer is told the new expected response time"
    )]
    PriorityReasonRequired,
    /// The temporary downgrade asked for another move than P1 → P2.
    #[error("the temporary downgrade goes from P1 to P2 only")]
    DowngradeP1ToP2Only,
    /// The temporary downgrade asked for before the customer was unreachable for long enough.
    #[error(
        "the temporary downgrade of a P1 is available only {}; record failed contact attempts as notes of kind contact_failed",
        downgrade_when(*.available_at)
    )]
    DowngradeNotYet {
        /// From when it will be available, once a failed contact attempt is recorded.
        available_at: Option<DateTime<Utc>>,
    },
    /// A status move the workflow does not allow.
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// Waiting on engineering without a bug to wait on.
    #[error(
        "waiting_on_engineering needs a linked problem report: link the engineering bug number with add_problem_reports first (or in the same change)"
    )]
    ProblemReportRequired,
    /// A close reason sent without a status change.
    #[error("close_reason goes with status closed")]
    CloseReasonWithoutStatus,
}

/// "from <instant>" in the wire form of instants, or what is still missing.
fn downgrade_when(available_at: Option<DateTime<Utc>>) -> String {
    available_at.map_or_else(
        || "after an hour of failed contact attempts".to_string(),
        |t| format!("from {}", t.to_rfc3339_opts(SecondsFormat::Millis, true)),
    )
}

impl ChangeError {
    /// The field of the change at fault.
    pub const fn field(&self) -> &'static str {
        match self {
            Self::PriorityReasonRequired => "reason",
            Self::DowngradeP1ToP2Only | Self::DowngradeNotYet { .. } => "temporary",
            Self::Transition(_) | Self::ProblemReportRequired => "status",
            Self::CloseReasonWithoutStatus => "close_reason",
        }
    }

    /// Whether the change conflicts with the case as it stands (rather than being malformed
    /// whatever the case): the server answers 409 for these and 422 for the others.
    pub const fn is_conflict(&self) -> bool {
        !matches!(
            self,
            Self::PriorityReasonRequired | Self::CloseReasonWithoutStatus
        )
    }
}

/// The reason given for a priority change, trimmed; a change without one is refused, since the
/// customer is told the new expected response time and why.
pub fn priority_reason(reason: Option<&str>) -> Result<&str, ChangeError> {
    reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .ok_or(ChangeError::PriorityReasonRequired)
}

/// Checks that a priority move asked as the temporary downgrade is P1 → P2 (SPEC 2.2).
pub fn temporary_downgrade(from: Priority, to: Priority) -> Result<(), ChangeError> {
    if (from, to) == TEMPORARY_DOWNGRADE {
        Ok(())
    } else {
        Err(ChangeError::DowngradeP1ToP2Only)
    }
}

/// Checks that the temporary downgrade is open now: after an hour of failed contact attempts
/// (`available`, as the P1 contact clock says), else names from when it will be.
pub fn downgrade_available(
    available: bool,
    available_at: Option<DateTime<Utc>>,
) -> Result<(), ChangeError> {
    if available {
        Ok(())
    } else {
        Err(ChangeError::DowngradeNotYet { available_at })
    }
}

/// Checks a status move: the workflow's [`Status::transition`], and a move that waits on
/// engineering needs a problem report `linked` (already, or in the same change).
pub fn status(
    from: Status,
    to: Status,
    close_reason: Option<CloseReason>,
    linked: bool,
) -> Result<Transition, ChangeError> {
    let transition = from.transition(to, close_reason)?;
    if to.needs_problem_report() && !linked {
        return Err(ChangeError::ProblemReportRequired);
    }
    Ok(transition)
}

/// Checks that a close reason comes with a status change (where [`status`] judges it).
pub fn close_reason_alone(
    status: Option<Status>,
    close_reason: Option<CloseReason>,
) -> Result<(), ChangeError> {
    if close_reason.is_some() && status.is_none() {
        Err(ChangeError::CloseReasonWithoutStatus)
    } else {
        Ok(())
    }
}

/// What a person may do to a case's owner, as their role grants it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnerAuthority {
    /// They work cases: take an unowned case, drop their own.
    pub works_cases: bool,
    /// They also give cases to others and take them from their owners (a lead).
    pub reassigns: bool,
}

/// Why a person may not make an owner change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerRefusal {
    /// The role changes no cases at all (a viewer).
    ReadOnly,
    /// Giving a case to someone else, or taking it from its owner, is a lead's to do.
    NeedsLead,
}

/// Whether `actor`, with `authority`, may move a case's owner from `from` to `to` (`None`:
/// unassigned). Anyone who works cases takes an unowned case or drops their own; giving a case
/// to someone else or taking it from its owner needs a lead. No change is always fine.
pub fn owner(
    authority: OwnerAuthority,
    actor: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(), OwnerRefusal> {
    if from == to {
        return Ok(());
    }
    if !authority.works_cases {
        return Err(OwnerRefusal::ReadOnly);
    }
    let takes_or_drops_own = match (from, to) {
        (None, Some(to)) => to == actor,
        (Some(from), None) => from == actor,
        _ => false,
    };
    if takes_or_drops_own || authority.reassigns {
        Ok(())
    } else {
        Err(OwnerRefusal::NeedsLead)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Priority::*;

    #[test]
    fn a_priority_change_needs_a_reason_and_trims_it() {
        assert_eq!(
            priority_reason(Some("  outage confirmed ")),
            Ok("outage confirmed")
        );
        for missing in [None, Some(""), Some("   ")] {
            let err = priority_reason(missing).expect_err("no reason");
            assert_eq!(err, ChangeError::PriorityReasonRequired);
            assert_eq!((err.field(), err.is_conflict()), ("reason", false));
            assert_eq!(
                err.to_string(),
                "a priority change needs a reason: the customer is told the new expected response time"
            );
        }
    }

    #[test]
    fn the_temporary_downgrade_is_p1_to_p2_only() {
        assert_eq!(temporary_downgrade(P1, P2), Ok(()));
        for (from, to) in [(P1, P3), (P1, P4), (P2, P3), (P2, P1), (P1, P1)] {
            let err = temporary_downgrade(from, to).expect_err("not P1 → P2");
            assert_eq!(err, ChangeError::DowngradeP1ToP2Only, "{from} → {to}");
            assert_eq!((err.field(), err.is_conflict()), ("temporary", true));
            assert_eq!(
                err.to_string(),
                "the temporary downgrade goes from P1 to P2 only"
            );
        }
    }

    #[test]
    fn the_temporary_downgrade_waits_for_an_hour_of_failed_contact() {
        assert_eq!(downgrade_available(true, None), Ok(()));
        let at = "2026-11-20T04:05:06Z".parse::<DateTime<Utc>>().ok();
        assert_eq!(downgrade_available(true, at), Ok(()));
        let err = downgrade_available(false, at).expect_err("not yet");
        assert_eq!(err, ChangeError::DowngradeNotYet { available_at: at });
        assert_eq!((err.field(), err.is_conflict()), ("temporary", true));
        assert_eq!(
            err.to_string(),
            "the temporary downgrade of a P1 is available only from 2026-11-20T04:05:06.000Z; \
             record failed contact attempts as notes of kind contact_failed"
        );
        let err = downgrade_available(false, None).expect_err("no attempt yet");
        assert_eq!(
            err.to_string(),
            "the temporary downgrade of a P1 is available only after an hour of failed contact \
             attempts; record failed contact attempts as notes of kind contact_failed"
        );
    }

    #[test]
    fn waiting_on_engineering_needs_a_linked_problem_report() {
        use Status::*;
        let moved = Transition::Move {
            from: Open,
            to: WaitingOnEngineering,
        };
        assert_eq!(status(Open, WaitingOnEngineering, None, true), Ok(moved));
        let err = status(Open, WaitingOnEngineering, None, false).expect_err("no bug");
        assert_eq!(err, ChangeError::ProblemReportRequired);
        assert_eq!((err.field(), err.is_conflict()), ("status", true));
        assert!(err.to_string().starts_with(
            "waiting_on_engineering needs a linked problem report: link the engineering bug"
        ));
        // Other moves do not ask for one.
        let resolved = Transition::Move {
            from: Open,
            to: Resolved,
        };
        assert_eq!(status(Open, Resolved, None, false), Ok(resolved));
    }

    #[test]
    fn a_status_move_the_workflow_forbids_is_refused_first() {
        use Status::*;
        let err = status(New, WaitingOnEngineering, None, false).expect_err("forbidden");
        assert_eq!(
            err,
            ChangeError::Transition(TransitionError::Forbidden {
                from: New,
                to: WaitingOnEngineering,
                allowed: New.allowed_next(),
            })
        );
        assert_eq!((err.field(), err.is_conflict()), ("status", true));
        assert_eq!(
            err.to_string(),
            "cannot move a case from new to waiting_on_engineering: from new it may go to open"
        );
        let err = status(Resolved, Closed, None, true).expect_err("no close reason");
        assert_eq!(
            err,
            ChangeError::Transition(TransitionError::CloseReasonRequired { from: Resolved })
        );
    }

    #[test]
    fn a_close_reason_goes_with_a_status_change() {
        let reason = Some(CloseReason::NoLongerNeeded);
        assert_eq!(close_reason_alone(Some(Status::Closed), reason), Ok(()));
        assert_eq!(close_reason_alone(None, None), Ok(()));
        let err = close_reason_alone(None, reason).expect_err("reason alone");
        assert_eq!(err, ChangeError::CloseReasonWithoutStatus);
        assert_eq!((err.field(), err.is_conflict()), ("close_reason", false));
        assert_eq!(err.to_string(), "close_reason goes with status closed");
    }

    const AGENT: OwnerAuthority = OwnerAuthority {
        works_cases: true,
        reassigns: false,
    };
    const LEAD: OwnerAuthority = OwnerAuthority {
        works_cases: true,
        reassigns: true,
    };
    const VIEWER: OwnerAuthority = OwnerAuthority {
        works_cases: false,
        reassigns: false,
    };

    #[test]
    fn who_works_cases_takes_unowned_and_drops_own_but_never_moves_others() {
        assert_eq!(owner(AGENT, "tanaka", None, Some("tanaka")), Ok(()));
        assert_eq!(owner(AGENT, "tanaka", Some("tanaka"), None), Ok(()));
        assert_eq!(owner(AGENT, "tanaka", Some("sato"), Some("sato")), Ok(()));
        for (from, to) in [
            (Some("sato"), Some("tanaka")),
            (None, Some("sato")),
            (Some("sato"), None),
            (Some("tanaka"), Some("sato")),
        ] {
            assert_eq!(
                owner(AGENT, "tanaka", from, to),
                Err(OwnerRefusal::NeedsLead),
                "{from:?} → {to:?}"
            );
        }
    }

    #[test]
    fn who_reassigns_moves_any_owner_and_a_reader_none() {
        assert_eq!(
            owner(LEAD, "yamamoto", Some("sato"), Some("tanaka")),
            Ok(())
        );
        assert_eq!(owner(LEAD, "yamamoto", Some("sato"), None), Ok(()));
        assert_eq!(
            owner(VIEWER, "wallboard", None, Some("wallboard")),
            Err(OwnerRefusal::ReadOnly)
        );
        assert_eq!(owner(VIEWER, "wallboard", None, None), Ok(()), "no change");
    }
}
