//! Contract tiers and the other classifying fields of a case (SPEC 2.3, 2.5).

wire_enum! {
    /// The support contract behind a case, which sets its SLA targets.
    pub enum ContractTier as "contract tier" {
        /// Network vendor, base tier.
        TacCare => "tac-care", "TAC Care";
        /// Network vendor, faster first response.
        TacAdvanced => "tac-advanced", "TAC Advanced";
        /// Network vendor, fastest first response.
        TacPremium => "tac-premium", "TAC Premium";
        /// Backup vendor, business-hours targets.
        Standard => "standard", "Standard";
        /// Backup vendor, 24x7 targets on the phone.
        Premium => "premium", "Premium";
        /// Backup vendor, forums and knowledge base only.
        SelfService => "self_service", "Self-service";
    }
}

impl ContractTier {
    /// Which vendor's guide defines this tier.
    pub const fn vendor(self) -> Vendor {
        match self {
            Self::TacCare | Self::TacAdvanced | Self::TacPremium => Vendor::Network,
            Self::Standard | Self::Premium | Self::SelfService => Vendor::Backup,
        }
    }

    /// Whether the tier promises any SLA target; self-service promises none.
    pub const fn has_targets(self) -> bool {
        !matches!(self, Self::SelfService)
    }
}

wire_enum! {
    /// The vendor whose support guide a contract tier comes from.
    pub enum Vendor as "vendor" {
        /// The network vendor's technical-assistance center.
        Network => "network", "Network vendor";
        /// The backup-software vendor's technical support.
        Backup => "backup", "Backup vendor";
    }
}

wire_enum! {
    /// How the case came in; some backup-vendor targets depend on it.
    pub enum Channel as "channel" {
        /// Opened on the web portal.
        Web => "web", "Web";
        /// Opened by phone.
        Phone => "phone", "Phone";
        /// Opened by the customer's mail (where the desk accepts new cases by mail).
        Email => "email", "Email";
    }
}

wire_enum! {
    /// What kind of customer opened the case.
    pub enum UserType as "user type" {
        /// Value-added reseller.
        Var => "var", "VAR";
        /// Managed service provider.
        Msp => "msp", "MSP";
        /// A business using the product itself.
        BusinessUser => "business_user", "Business user";
        /// A home user.
        HomeUser => "home_user", "Home user";
    }
}

wire_enum! {
    /// What the customer asks for; the non-technical kinds go to customer care.
    pub enum RequestType as "request type" {
        /// Help with a technical problem.
        TechnicalSupport => "technical_support", "Technical support";
        /// A defect to fix.
        BugFix => "bug_fix", "Bug fix";
        /// A new capability asked for.
        FeatureRequest => "feature_request", "Feature request";
        /// What the customer is entitled to.
        Entitlement => "entitlement", "Entitlement";
        /// Product registration.
        Registration => "registration", "Registration";
        /// Licence keys and activation.
        Licence => "licence", "Licence";
        /// Getting software or documents.
        Download => "download", "Download";
        /// Moving a product to a new owner.
        OwnershipTransfer => "ownership_transfer", "Ownership transfer";
        /// Where an RMA stands.
        RmaStatus => "rma_status", "RMA status";
        /// Anything else non-technical.
        Other => "other", "Other";
    }
}

impl RequestType {
    /// Whether customer care rather than an engineer handles it (SPEC 2.3 lists these).
    pub const fn is_non_technical(self) -> bool {
        !matches!(
            self,
            Self::TechnicalSupport | Self::BugFix | Self::FeatureRequest
        )
    }
}

wire_enum! {
    /// How the customer prefers to be contacted.
    pub enum ContactMethod as "contact method" {
        /// Call them.
        Phone => "phone", "Phone";
        /// Write to them.
        Email => "email", "Email";
    }
}

wire_enum! {
    /// The language the desk's mail to a case's contact is written in.
    pub enum ContactLanguage as "contact language" {
        /// English.
        En => "en", "English";
        /// Japanese.
        Ja => "ja", "Japanese";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ParseError;

    #[test]
    fn tier_wire_names_round_trip_through_serde() {
        let table = [
            (ContractTier::TacCare, "\"tac-care\""),
            (ContractTier::TacAdvanced, "\"tac-advanced\""),
            (ContractTier::TacPremium, "\"tac-premium\""),
            (ContractTier::Standard, "\"standard\""),
            (ContractTier::Premium, "\"premium\""),
            (ContractTier::SelfService, "\"self_service\""),
        ];
        for (tier, json) in table {
            assert_eq!(serde_json::to_string(&tier).ok().as_deref(), Some(json));
            assert_eq!(serde_json::from_str::<ContractTier>(json).ok(), Some(tier));
        }
        assert_eq!(table.map(|(tier, _)| tier), *ContractTier::ALL);
    }

    #[test]
    fn tiers_parse_with_either_separator_and_any_case() {
        let table = [
            ("tac-care", ContractTier::TacCare),
            ("tac_care", ContractTier::TacCare),
            ("TAC-Advanced", ContractTier::TacAdvanced),
            ("tac_premium", ContractTier::TacPremium),
            ("Standard", ContractTier::Standard),
            ("premium", ContractTier::Premium),
            ("self-service", ContractTier::SelfService),
            ("SELF_SERVICE", ContractTier::SelfService),
        ];
        for (text, tier) in table {
            assert_eq!(text.parse(), Ok(tier), "{text}");
        }
        assert_eq!(
            "gold".parse::<ContractTier>(),
            Err(ParseError {
                what: "contract tier",
                input: "gold".to_owned(),
                expected: "tac-care, tac-advanced, tac-premium, standard, premium or self_service",
            })
        );
    }

    #[test]
    fn tiers_know_their_vendor() {
        let network: Vec<ContractTier> = ContractTier::ALL
            .iter()
            .copied()
            .filter(|tier| tier.vendor() == Vendor::Network)
            .collect();
        assert_eq!(
            network,
            [
                ContractTier::TacCare,
                ContractTier::TacAdvanced,
                ContractTier::TacPremium
            ]
        );
        assert!(!ContractTier::SelfService.has_targets());
        assert!(ContractTier::Standard.has_targets());
    }

    #[test]
    fn non_technical_requests_are_the_ones_the_spec_lists() {
        let non_technical: Vec<&str> = RequestType::ALL
            .iter()
            .filter(|request| request.is_non_technical())
            .map(|request| request.as_str())
            .collect();
        assert_eq!(
            non_technical,
            [
                "entitlement",
                "registration",
                "licence",
                "download",
                "ownership_transfer",
                "rma_status",
                "other"
            ]
        );
    }

    #[test]
    fn small_enums_parse_and_serialise() {
        assert_eq!("WEB".parse(), Ok(Channel::Web));
        assert_eq!("business-user".parse(), Ok(UserType::BusinessUser));
        assert_eq!(UserType::Var.label(), "VAR");
        assert_eq!("rma-status".parse(), Ok(RequestType::RmaStatus));
        assert_eq!("Email".parse(), Ok(ContactMethod::Email));
        assert_eq!(
            serde_json::to_string(&UserType::HomeUser).ok().as_deref(),
            Some("\"home_user\"")
        );
        assert_eq!(
            serde_json::from_str::<Channel>("\"phone\"").ok(),
            Some(Channel::Phone)
        );
        let err = "fax".parse::<ContactMethod>().expect_err("not a method");
        assert_eq!(
            err.to_string(),
            "invalid contact method 'fax': expected phone or email"
        );
    }
}
