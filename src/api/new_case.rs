//! A new case checked field by field with the domain's intake rules, before it is sent (client)
//! and before it is stored (server), so both refuse the same input with the same words.

use super::types::{Case, Entitlement, NewCase};
use crate::domain::intake::{self, FieldError};

impl NewCase {
    /// The case as a desk agent takes it in: [`NewCase::checked`], and a P1 must come with a
    /// phone number (SPEC §2.2). The API itself accepts a P1 without one, since a portal or a
    /// script may open it before anyone has spoken to the customer.
    pub fn taken_in(&self) -> Result<NewCase, FieldError> {
        let case = self.checked()?;
        intake::reachable(case.priority, &case.contact_phone)?;
        Ok(case)
    }

    /// The case with every field trimmed and checked; the first field at fault otherwise.
    pub fn checked(&self) -> Result<NewCase, FieldError> {
        let line = |field, text: &str| intake::line(field, text).map(str::to_string);
        let phone = intake::phone(&self.contact_phone)?.to_string();
        Ok(NewCase {
            subject: intake::subject(&self.subject)?.to_string(),
            description: self.description.trim_end().to_string(),
            priority: self.priority,
            tier: self.tier,
            channel: self.channel,
            request_type: self.request_type,
            site_name: line("site_name", &self.site_name)?,
            site_id: line("site_id", &self.site_id)?,
            account: line("account", &self.account)?,
            contact_name: line("contact_name", &self.contact_name)?,
            contact_email: intake::email(&self.contact_email)?.to_string(),
            contact_phone: phone,
            preferred_contact: self.preferred_contact,
            contact_language: self.contact_language,
            user_type: self.user_type,
            product: line("product", &self.product)?,
            platform: line("platform", &self.platform)?,
            software_version: line("software_version", &self.software_version)?,
            serial_number: match &self.serial_number {
                Some(s) => intake::serial(s)?.map(str::to_string),
                None => None,
            },
            owner: match &self.owner {
                Some(o) => Some(line("owner", o)?).filter(|o| !o.is_empty()),
                None => None,
            },
        })
    }

    /// Fills what the serial's contract knows and the caller left empty: tier, site, account.
    pub fn fill_from(&mut self, entitlement: &Entitlement) {
        self.tier.get_or_insert(entitlement.tier);
        for (field, value) in [
            (&mut self.site_name, &entitlement.site_name),
            (&mut self.site_id, &entitlement.site_id),
            (&mut self.account, &entitlement.account),
        ] {
            if field.trim().is_empty() {
                field.clone_from(value);
            }
        }
    }
}

impl Case {
    /// When the first response is (or was) due, if the contract sets a target.
    pub fn first_response_due(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.clocks
            .clocks
            .iter()
            .find(|c| c.kind == crate::sla::ClockKind::FirstResponse)
            .and_then(|c| c.due)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ContractTier, Priority};

    fn case(priority: Priority) -> NewCase {
        NewCase {
            subject: "  PSU failed ".into(),
            description: String::new(),
            priority,
            tier: None,
            channel: None,
            request_type: None,
            site_name: String::new(),
            site_id: String::new(),
            account: String::new(),
            contact_name: " 清水 拓也 ".into(),
            contact_email: String::new(),
            contact_phone: String::new(),
            preferred_contact: None,
            contact_language: None,
            user_type: None,
            product: String::new(),
            platform: String::new(),
            software_version: String::new(),
            serial_number: Some(" ".into()),
            owner: Some(String::new()),
        }
    }

    #[test]
    fn checked_trims_and_drops_empty_options() {
        let c = case(Priority::P3).checked().unwrap();
        assert_eq!(c.subject, "PSU failed");
        assert_eq!(c.contact_name, "清水 拓也");
        assert_eq!(c.serial_number, None);
        assert_eq!(c.owner, None);
    }

    #[test]
    fn p1_without_phone_names_the_phone() {
        let e = case(Priority::P1).taken_in().unwrap_err();
        assert_eq!(e.field, "contact_phone");
        assert!(case(Priority::P1).checked().is_ok(), "the API takes it");
        let mut ok = case(Priority::P1);
        ok.contact_phone = "+81 45-662-3108".into();
        assert!(ok.taken_in().is_ok());
    }

    #[test]
    fn entitlement_fills_only_empty_fields() {
        let mut c = case(Priority::P2);
        c.site_name = "Own site".into();
        c.fill_from(&Entitlement {
            serial_number: "FOC1".into(),
            tier: ContractTier::TacPremium,
            contract_end: chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            site_name: "Tokyo".into(),
            site_id: "TKY-01".into(),
            account: "ACME".into(),
            active: true,
        });
        assert_eq!(c.tier, Some(ContractTier::TacPremium));
        assert_eq!(c.site_name, "Own site");
        assert_eq!(c.site_id, "TKY-01");
        assert_eq!(c.account, "ACME");
    }
}
