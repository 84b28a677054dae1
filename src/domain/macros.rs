//! Macros' text: placeholders such as `{case}` or `{first_response_due}` filled from a case.
//! Pure: the caller says what each placeholder stands for; a placeholder that is unknown or has
//! no value is refused by name before anything is sent.

/// Every placeholder a macro's text may use.
pub const PLACEHOLDERS: [&str; 10] = [
    "case",
    "subject",
    "contact",
    "priority",
    "priority_label",
    "first_response_due",
    "next_update_due",
    "rma",
    "return_due",
    "me",
];

/// A macro text that cannot be filled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FillError {
    /// `{name}` is not a placeholder.
    #[error("{{{0}}} is not a placeholder; the placeholders are {list}", list = placeholder_list())]
    Unknown(String),
    /// `{name}` has no value for this case (no RMA yet, no due time).
    #[error("{{{0}}} has no value for this case")]
    Missing(String),
}

impl FillError {
    /// The placeholder at fault.
    pub fn placeholder(&self) -> &str {
        match self {
            Self::Unknown(name) | Self::Missing(name) => name,
        }
    }
}

fn placeholder_list() -> String {
    PLACEHOLDERS
        .iter()
        .map(|p| format!("{{{p}}}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `{name}`s of `text`, in order (a name is lowercase letters, digits and `_`; other
/// braces are plain text).
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(after.len());
        if name_len > 0 && after[name_len..].starts_with('}') {
            found.push(&after[..name_len]);
            rest = &after[name_len + 1..];
        } else {
            rest = after;
        }
    }
    found
}

/// Checks that every placeholder of `text` is known (what a server checks when a macro is
/// saved).
pub fn check(text: &str) -> Result<(), FillError> {
    match placeholders(text)
        .into_iter()
        .find(|p| !PLACEHOLDERS.contains(p))
    {
        Some(unknown) => Err(FillError::Unknown(unknown.to_string())),
        None => Ok(()),
    }
}

/// `text` with each placeholder replaced by `value(name)`; the first unknown or empty one is
/// refused.
pub fn fill(text: &str, value: impl Fn(&str) -> Option<String>) -> Result<String, FillError> {
    check(text)?;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    for name in placeholders(text) {
        let marker = format!("{{{name}}}");
        let Some(at) = rest.find(&marker) else {
            continue;
        };
        let filled = value(name)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| FillError::Missing(name.to_string()))?;
        out.push_str(&rest[..at]);
        out.push_str(&filled);
        rest = &rest[at + marker.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(name: &str) -> Option<String> {
        match name {
            "case" => Some("2026-1124-000101".into()),
            "contact" => Some("Taro {me}".into()),
            "rma" => None,
            _ => Some(format!("<{name}>")),
        }
    }

    #[test]
    fn placeholders_are_filled_and_other_braces_kept() {
        assert_eq!(
            fill("Case {case} for {contact}: {x y} {}", values),
            Ok("Case 2026-1124-000101 for Taro {me}: {x y} {}".to_string())
        );
    }

    #[test]
    fn an_unknown_or_empty_placeholder_is_named() {
        assert_eq!(
            fill("RMA {rma}", values),
            Err(FillError::Missing("rma".into()))
        );
        let unknown = fill("{case} {ticket}", values).unwrap_err();
        assert_eq!(unknown.placeholder(), "ticket");
        assert!(unknown.to_string().contains("{first_response_due}"));
    }

    #[test]
    fn placeholders_are_found_in_order() {
        assert_eq!(placeholders("{a}{b_2} {C} {rma}"), vec!["a", "b_2", "rma"]);
        assert_eq!(check("{case} {me}"), Ok(()));
    }
}
