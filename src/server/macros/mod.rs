//! The macros a new server ships with: acknowledgement, priority changed, information needed,
//! RMA issued, resolved and no reply, in English and Japanese (`defaults.toml`).

use crate::api::MacroSet;

/// The shipped defaults as TOML.
const DEFAULTS: &str = include_str!("defaults.toml");

/// The shipped defaults; an error only if the file shipped broken (its test catches that).
pub fn defaults() -> Result<MacroSet, String> {
    let set: MacroSet =
        toml::from_str(DEFAULTS).map_err(|e| format!("shipped macros (defaults.toml): {e}"))?;
    set.check().map_err(|e| format!("shipped macros: {e}"))?;
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_six_defaults_parse_with_both_texts() {
        let set = defaults().unwrap();
        let names: Vec<&str> = set.macros.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "ack",
                "priority-changed",
                "need-info",
                "rma-issued",
                "resolved",
                "no-reply"
            ]
        );
        for m in &set.macros {
            assert!(!m.text_en.trim().is_empty() && !m.text_ja.trim().is_empty());
            assert!(m.text_en.starts_with("Dear {contact},"), "{}", m.name);
        }
        let ack = set.get("ack").unwrap();
        assert!(
            ack.text_en.contains("{first_response_due}")
                && ack.text_ja.contains("{priority_label}")
        );
        let rma = set.get("rma-issued").unwrap();
        assert!(rma.text_ja.contains("{return_due}") && rma.text_en.contains("10 business days"));
        assert_eq!(
            set.get("resolved").unwrap().changes.status,
            Some(crate::domain::Status::Resolved)
        );
        assert_eq!(
            set.get("no-reply").unwrap().changes.status,
            Some(crate::domain::Status::WaitingOnCustomer)
        );
    }
}
