//! RMA status and analysis requests (SPEC 2.8).

wire_enum! {
    /// Where a return-merchandise authorisation stands.
    pub enum RmaStatus as "RMA status" {
        /// Asked for, not yet issued.
        Requested => "requested", "Requested";
        /// Issued; the defective unit is now due back.
        Issued => "issued", "Issued";
        /// The replacement is on its way; the defective unit is still due back.
        ReplacementShipped => "replacement_shipped", "Replacement shipped";
        /// The defective unit has come back.
        DefectiveReceived => "defective_received", "Defective received";
        /// Done.
        Closed => "closed", "Closed";
        /// Called off.
        Cancelled => "cancelled", "Cancelled";
    }
}

impl RmaStatus {
    /// Whether the RMA still needs attention: anything but closed or cancelled.
    pub const fn is_open(self) -> bool {
        !matches!(self, Self::Closed | Self::Cancelled)
    }

    /// Whether the defective unit is still due back, so the return clock of SPEC 2.5 runs.
    pub const fn awaits_return(self) -> bool {
        matches!(self, Self::Issued | Self::ReplacementShipped)
    }

    /// The statuses it may move to: an RMA only moves forward (stages may be skipped), or is
    /// cancelled; a closed or cancelled one moves no more.
    pub const fn allowed_next(self) -> &'static [RmaStatus] {
        match self {
            Self::Requested => &[
                Self::Issued,
                Self::ReplacementShipped,
                Self::DefectiveReceived,
                Self::Closed,
                Self::Cancelled,
            ],
            Self::Issued => &[
                Self::ReplacementShipped,
                Self::DefectiveReceived,
                Self::Closed,
                Self::Cancelled,
            ],
            Self::ReplacementShipped => &[Self::DefectiveReceived, Self::Closed, Self::Cancelled],
            Self::DefectiveReceived => &[Self::Closed, Self::Cancelled],
            Self::Closed | Self::Cancelled => &[],
        }
    }
}

wire_enum! {
    /// An optional analysis the customer asks for on the returned unit.
    pub enum AnalysisRequest as "analysis request" {
        /// Repair analysis, reported within 30 days.
        RepairAnalysis => "repair_analysis", "Repair analysis";
        /// Failure analysis, with a preliminary result within 15 days.
        FailureAnalysis => "failure_analysis", "Failure analysis";
    }
}

impl AnalysisRequest {
    /// Calendar days until the (preliminary, for failure analysis) result is due.
    pub const fn days(self) -> u32 {
        match self {
            Self::RepairAnalysis => 30,
            Self::FailureAnalysis => 15,
        }
    }

    /// When the result is due for a defective unit received at `received`: calendar days, as
    /// the guides count them.
    pub fn due(self, received: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
        received + chrono::Duration::days(i64::from(self.days()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RmaStatus::*;

    #[test]
    fn open_and_awaiting_return() {
        let table = [
            (Requested, true, false),
            (Issued, true, true),
            (ReplacementShipped, true, true),
            (DefectiveReceived, true, false),
            (Closed, false, false),
            (Cancelled, false, false),
        ];
        for (status, open, awaits) in table {
            assert_eq!(status.is_open(), open, "{status}");
            assert_eq!(status.awaits_return(), awaits, "{status}");
        }
        assert_eq!(table.map(|(status, ..)| status), *RmaStatus::ALL);
    }

    #[test]
    fn moves_go_forward_or_cancel() {
        for from in RmaStatus::ALL.iter().copied() {
            let stage = |s: RmaStatus| RmaStatus::ALL.iter().position(|x| *x == s);
            for to in RmaStatus::ALL.iter().copied() {
                let expected = from.is_open() && (to == Cancelled || stage(to) > stage(from));
                assert_eq!(
                    from.allowed_next().contains(&to),
                    expected,
                    "{from} -> {to}"
                );
            }
        }
        assert!(Closed.allowed_next().is_empty());
    }

    #[test]
    fn analysis_is_due_in_calendar_days_after_receipt() {
        let received = chrono::DateTime::parse_from_rfc3339("2026-12-20T05:00:00Z")
            .map(|t| t.with_timezone(&chrono::Utc))
            .ok();
        let due = |a: AnalysisRequest| received.map(|r| a.due(r).to_rfc3339());
        assert_eq!(
            due(AnalysisRequest::FailureAnalysis).as_deref(),
            Some("2027-01-04T05:00:00+00:00")
        );
        assert_eq!(
            due(AnalysisRequest::RepairAnalysis).as_deref(),
            Some("2027-01-19T05:00:00+00:00")
        );
    }

    #[test]
    fn wire_names() {
        assert_eq!(
            serde_json::to_string(&ReplacementShipped).ok().as_deref(),
            Some("\"replacement_shipped\"")
        );
        assert_eq!("defective-received".parse(), Ok(DefectiveReceived));
        assert_eq!(
            "lost".parse::<RmaStatus>().map_err(|err| err.to_string()),
            Err(
                "invalid RMA status 'lost': expected requested, issued, replacement_shipped, \
                 defective_received, closed or cancelled"
                    .to_owned()
            )
        );
    }

    #[test]
    fn analysis_days() {
        assert_eq!(AnalysisRequest::RepairAnalysis.days(), 30);
        assert_eq!(AnalysisRequest::FailureAnalysis.days(), 15);
        assert_eq!(
            serde_json::from_str::<AnalysisRequest>("\"failure_analysis\"").ok(),
            Some(AnalysisRequest::FailureAnalysis)
        );
    }
}
