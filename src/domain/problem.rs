//! Problem reports: the engineering bug numbers a case waits on (SPEC 2.3, 2.4).

use std::fmt;
use std::str::FromStr;

use super::ParseError;

/// An engineering bug number linked to a case, e.g. `PR1234567`, `BUG-2041`, `CSCwa12345`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProblemReport(String);

impl ProblemReport {
    /// Longest bug number accepted, in characters.
    pub const MAX_CHARS: usize = 40;

    /// The form a bug number must have, as error messages state it.
    pub const EXPECTED: &'static str = "a bug number of 1 to 40 letters, digits or punctuation without spaces, e.g. PR1234567 or BUG-2041";

    /// The bug number as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ProblemReport {
    type Err = ParseError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let text = input.trim();
        // ASCII graphic only: bug trackers number in ASCII, and this keeps control characters,
        // bidi overrides and look-alike spaces out of every screen that shows the number.
        let ok = !text.is_empty()
            && text.chars().count() <= Self::MAX_CHARS
            && text.chars().all(|c| c.is_ascii_graphic());
        if ok {
            Ok(ProblemReport(text.to_string()))
        } else {
            Err(ParseError::new("problem report", input, Self::EXPECTED))
        }
    }
}

impl fmt::Display for ProblemReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bug_numbers_parse_and_odd_input_is_refused_with_the_form() {
        for good in [
            "PR1234567",
            "BUG-2041",
            " CSCwa12345 ",
            "SPX-12345",
            "JIRA/OPS#12",
        ] {
            let pr: ProblemReport = good.parse().unwrap();
            assert_eq!(pr.as_str(), good.trim());
        }
        for bad in [
            "",
            "  ",
            "PR 123",
            "PR\t1",
            "PR\u{202e}1",
            "不具合123",
            &"X".repeat(41),
        ] {
            let err = bad.parse::<ProblemReport>().unwrap_err();
            assert!(err.to_string().contains("e.g. PR1234567"), "{err}");
        }
        assert!("X".repeat(40).parse::<ProblemReport>().is_ok());
    }
}
