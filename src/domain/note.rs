//! Who wrote a timeline note and who may see it (SPEC 2.3).

wire_enum! {
    /// Who may read a note.
    pub enum Visibility as "visibility" {
        /// Seen by the customer; a public note by support counts as a response or update.
        Public => "public", "public";
        /// Support only; never counts toward an SLA.
        Internal => "internal", "internal";
    }
}

impl Visibility {
    /// Whether the customer sees the note.
    pub const fn is_public(self) -> bool {
        matches!(self, Self::Public)
    }
}

wire_enum! {
    /// Which side of the case wrote a note.
    pub enum Party as "party" {
        /// The support desk.
        Support => "support", "Support";
        /// The customer.
        Customer => "customer", "Customer";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visibility_is_lowercase_everywhere() {
        for (visibility, word) in [
            (Visibility::Public, "public"),
            (Visibility::Internal, "internal"),
        ] {
            assert_eq!(visibility.label(), word);
            assert_eq!(visibility.to_string(), word);
            assert_eq!(
                serde_json::to_string(&visibility).ok(),
                Some(format!("\"{word}\""))
            );
            assert_eq!(word.to_uppercase().parse(), Ok(visibility));
        }
        assert!(Visibility::Public.is_public());
        assert!(!Visibility::Internal.is_public());
    }

    #[test]
    fn party_parses() {
        assert_eq!("Customer".parse(), Ok(Party::Customer));
        assert_eq!(
            serde_json::from_str::<Party>("\"support\"").ok(),
            Some(Party::Support)
        );
        assert!("vendor".parse::<Party>().is_err());
    }
}
