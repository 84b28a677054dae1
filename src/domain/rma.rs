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
