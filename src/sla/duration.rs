//! SLA durations as written in policy files and on the command line: `15m`, `2h30m`, `3bd`, `7d`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// A length of time an SLA target is measured in.
///
/// The three forms mean different things: hours and minutes are working time on whatever
/// calendar the target names, business days scale with the calendar's business-day length, and
/// days are always wall-clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum SlaDuration {
    /// Working time in whole minutes (`15m`, `1h`, `2h30m`).
    Working { minutes: u32 },
    /// N business days: N × the calendar's business-day length of working time (`3bd`).
    BusinessDays(u32),
    /// N × 24 hours of wall-clock time, whatever the calendar (`7d`).
    Days(u32),
}

/// A duration that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid duration '{input}': expected {EXPECTED}")]
pub struct DurationError {
    /// The text as given.
    pub input: String,
}

/// The accepted forms, for error messages.
pub const EXPECTED: &str = "a duration like 15m, 1h, 2h30m, 3bd (business days) or 7d";

impl SlaDuration {
    /// A duration of whole working minutes.
    pub const fn minutes(minutes: u32) -> Self {
        SlaDuration::Working { minutes }
    }

    /// A duration of whole working hours.
    pub const fn hours(hours: u32) -> Self {
        SlaDuration::Working {
            minutes: hours * 60,
        }
    }

    /// The working seconds this duration stands for on a calendar whose business day is
    /// `business_day_secs` long. Days count as wall-clock seconds.
    pub fn seconds(self, business_day_secs: i64) -> i64 {
        match self {
            SlaDuration::Working { minutes } => i64::from(minutes) * MINUTE,
            SlaDuration::BusinessDays(n) => i64::from(n) * business_day_secs,
            SlaDuration::Days(n) => i64::from(n) * DAY,
        }
    }

    /// Whether this duration is measured on the wall clock whatever calendar is asked for.
    pub fn is_wall_clock(self) -> bool {
        matches!(self, SlaDuration::Days(_))
    }

    /// Whether this is zero time.
    pub fn is_zero(self) -> bool {
        match self {
            SlaDuration::Working { minutes } => minutes == 0,
            SlaDuration::BusinessDays(n) | SlaDuration::Days(n) => n == 0,
        }
    }
}

impl FromStr for SlaDuration {
    type Err = DurationError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let err = || DurationError {
            input: input.to_string(),
        };
        let text = input.trim().to_ascii_lowercase();
        if let Some(n) = text.strip_suffix("bd") {
            return parse_count(n)
                .map(SlaDuration::BusinessDays)
                .ok_or_else(err);
        }
        if let Some(n) = text.strip_suffix('d') {
            return parse_count(n).map(SlaDuration::Days).ok_or_else(err);
        }
        // Hours and minutes: `1h`, `45m`, `2h30m`, each unit at most once and in that order.
        let (hours, rest) = match text.split_once('h') {
            Some((h, rest)) => (parse_count(h).ok_or_else(err)?, rest),
            None => (0, text.as_str()),
        };
        let minutes = match rest {
            "" if text.contains('h') => 0,
            "" => return Err(err()),
            m => parse_count(m.strip_suffix('m').ok_or_else(err)?).ok_or_else(err)?,
        };
        hours
            .checked_mul(60)
            .and_then(|h| h.checked_add(minutes))
            .map(|minutes| SlaDuration::Working { minutes })
            .ok_or_else(err)
    }
}

/// A non-negative count written with ASCII digits only (no sign, no spaces).
fn parse_count(digits: &str) -> Option<u32> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

impl fmt::Display for SlaDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            SlaDuration::BusinessDays(n) => write!(f, "{n}bd"),
            SlaDuration::Days(n) => write!(f, "{n}d"),
            SlaDuration::Working { minutes } => match (minutes / 60, minutes % 60) {
                (0, m) => write!(f, "{m}m"),
                (h, 0) => write!(f, "{h}h"),
                (h, m) => write!(f, "{h}h{m}m"),
            },
        }
    }
}

impl TryFrom<String> for SlaDuration {
    type Error = DurationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<SlaDuration> for String {
    fn from(value: SlaDuration) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_documented_form() {
        let cases = [
            ("15m", SlaDuration::minutes(15), 900),
            ("1h", SlaDuration::hours(1), 3600),
            ("2h30m", SlaDuration::minutes(150), 9000),
            ("90m", SlaDuration::minutes(90), 5400),
            ("0m", SlaDuration::minutes(0), 0),
            ("3bd", SlaDuration::BusinessDays(3), 3 * 8 * 3600),
            ("7d", SlaDuration::Days(7), 7 * 86_400),
            (" 24H ", SlaDuration::hours(24), 86_400),
        ];
        for (text, want, secs) in cases {
            let got: SlaDuration = text.parse().unwrap();
            assert_eq!(got, want, "{text}");
            assert_eq!(got.seconds(8 * 3600), secs, "{text}");
        }
    }

    #[test]
    fn displays_in_canonical_form() {
        for (text, shown) in [
            ("90m", "1h30m"),
            ("2h30m", "2h30m"),
            ("60m", "1h"),
            ("3bd", "3bd"),
        ] {
            assert_eq!(text.parse::<SlaDuration>().unwrap().to_string(), shown);
        }
    }

    #[test]
    fn refuses_malformed_text_naming_the_expected_form() {
        for bad in [
            "", "h", "m", "1", "-1h", "1.5h", "30m2h", "1h1h", "bd", "1w", "1 h", "+3bd",
        ] {
            let err = bad.parse::<SlaDuration>().unwrap_err();
            assert!(
                err.to_string().contains("expected a duration like 15m"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn serde_uses_the_written_form() {
        let d: SlaDuration = serde_json::from_str("\"2h30m\"").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2h30m\"");
        assert!(serde_json::from_str::<SlaDuration>("\"soon\"").is_err());
    }
}
