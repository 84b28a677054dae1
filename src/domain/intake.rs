//! Taking a case in (SPEC §2.11): the rules a new case's fields must meet, shared by the
//! server (which has the last word), the CLI and the TUI's form (which name a mistake before
//! anything is sent).
//!
//! The rules are about form, not content: text keeps whatever characters it was sent with —
//! the server stores what it is given, and every client sanitizes untrusted text where it
//! draws it (SPEC §5).

use super::Priority;

/// Longest subject, in characters.
pub const SUBJECT_MAX: usize = 200;
/// Longest one-line field (names, product, site, …), in characters.
pub const FIELD_MAX: usize = 200;
/// Longest serial number, in characters.
pub const SERIAL_MAX: usize = 64;

/// A field of a new case that breaks a rule, with what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct FieldError {
    /// The field, by its wire name (`contact_phone`), so a form can point at it.
    pub field: &'static str,
    /// What is wrong and the form expected.
    pub detail: String,
}

impl FieldError {
    fn new(field: &'static str, detail: impl Into<String>) -> Self {
        FieldError {
            field,
            detail: detail.into(),
        }
    }
}

/// The subject, trimmed: one line, not empty, at most [`SUBJECT_MAX`] characters.
pub fn subject(text: &str) -> Result<&str, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::new(
            "subject",
            "subject is empty: expected a one-line summary of the problem",
        ));
    }
    if text.chars().count() > SUBJECT_MAX || text.contains('\n') {
        return Err(FieldError::new(
            "subject",
            format!(
                "subject is too long or has line breaks: expected one line of at most {SUBJECT_MAX} characters"
            ),
        ));
    }
    Ok(text)
}

/// A one-line optional field (names, product, site, account), trimmed.
pub fn line<'a>(field: &'static str, text: &'a str) -> Result<&'a str, FieldError> {
    let text = text.trim();
    if text.chars().count() > FIELD_MAX || text.contains('\n') {
        return Err(FieldError::new(
            field,
            format!("invalid {field}: expected one line of at most {FIELD_MAX} characters"),
        ));
    }
    Ok(text)
}

/// An e-mail address, trimmed; empty is allowed (no e-mail given).
pub fn email(text: &str) -> Result<&str, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(text);
    }
    let bad = || {
        FieldError::new(
            "contact_email",
            format!("invalid contact e-mail '{text}': expected an address like name@example.com"),
        )
    };
    let (local, domain) = text.rsplit_once('@').ok_or_else(bad)?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && text.len() <= 254
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && !local.contains('@');
    if ok { Ok(text) } else { Err(bad()) }
}

/// A phone number, trimmed; empty is allowed (no phone given). Digits with the separators
/// people write (`+81 3-1234-5678`, `(045) 662 3108`, `ext. 12`).
pub fn phone(text: &str) -> Result<&str, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(text);
    }
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let allowed = |c: char| c.is_ascii_digit() || " +-().#/".contains(c) || "ext".contains(c);
    let plus_first = text.find('+').is_none_or(|i| i == 0) && text.matches('+').count() <= 1;
    if (5..=20).contains(&digits) && text.chars().all(allowed) && plus_first {
        Ok(text)
    } else {
        Err(FieldError::new(
            "contact_phone",
            format!(
                "invalid contact phone '{text}': expected 5 to 20 digits, e.g. +81 3-1234-5678"
            ),
        ))
    }
}

/// A serial number (or software support reference), trimmed; `None` when empty.
pub fn serial(text: &str) -> Result<Option<&str>, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let ok = text.len() <= SERIAL_MAX
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if ok {
        Ok(Some(text))
    } else {
        Err(FieldError::new(
            "serial_number",
            format!(
                "invalid serial number '{text}': expected letters, digits and - _ . / (at most {SERIAL_MAX}), e.g. FOC2455VHBE"
            ),
        ))
    }
}

/// A P1 needs a customer who can be reached around the clock (SPEC §2.2): a phone number.
pub fn reachable(priority: Priority, phone: &str) -> Result<(), FieldError> {
    if priority == Priority::P1 && phone.trim().is_empty() {
        return Err(FieldError::new(
            "contact_phone",
            "a P1 case needs a contact phone: the customer must be reachable around the clock (or choose P2)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_one_trimmed_line() {
        assert_eq!(subject("  PSU failed  "), Ok("PSU failed"));
        assert_eq!(subject(" ").unwrap_err().field, "subject");
        assert!(subject("a\nb").is_err());
        assert!(subject(&"x".repeat(SUBJECT_MAX + 1)).is_err());
        assert!(subject("電源ユニット故障").is_ok());
        // Content is the drawing's to make safe, not the intake's to refuse.
        assert!(subject("esc\x1b[2J").is_ok());
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert_eq!(email(""), Ok(""));
        assert_eq!(email(" a.b@example.co.jp "), Ok("a.b@example.co.jp"));
        for bad in [
            "a",
            "a@b",
            "@b.com",
            "a@.com",
            "a@b.",
            "a b@c.com",
            "a@@b.com",
        ] {
            let e = email(bad).unwrap_err();
            assert_eq!(e.field, "contact_email", "{bad}");
            assert!(e.detail.contains("name@example.com"), "{}", e.detail);
        }
    }

    #[test]
    fn phones_take_the_usual_separators() {
        for ok in [
            "+81 3-1234-5678",
            "(045) 662 3108",
            "045-662-3108 ext 12",
            "12345",
        ] {
            assert!(phone(ok).is_ok(), "{ok}");
        }
        for bad in [
            "1234",
            "call me",
            "81+3",
            "+81 3 1234 5678 9012 3456 78",
            "０３",
        ] {
            assert_eq!(phone(bad).unwrap_err().field, "contact_phone", "{bad}");
        }
    }

    #[test]
    fn serials_are_plain_references() {
        assert_eq!(serial(" FOC2455VHBE "), Ok(Some("FOC2455VHBE")));
        assert_eq!(serial(""), Ok(None));
        assert!(serial("FOC 2455").is_err());
        assert!(serial(&"A".repeat(SERIAL_MAX + 1)).is_err());
    }

    #[test]
    fn p1_needs_a_phone() {
        assert!(reachable(Priority::P1, "").is_err());
        assert!(reachable(Priority::P1, "+81 3-1234-5678").is_ok());
        assert!(reachable(Priority::P2, "").is_ok());
    }

    #[test]
    fn lines_are_bounded_and_one_line() {
        assert_eq!(line("site_name", " 東京本社 "), Ok("東京本社"));
        assert!(line("site_name", "a\nb").is_err());
        assert!(line("account", &"x".repeat(FIELD_MAX + 1)).is_err());
    }
}
