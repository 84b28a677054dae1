//! Case numbers and RMA numbers (SPEC 2.1).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::ParseError;

const CASE_WHAT: &str = "case number";
const CASE_FORM: &str = "a case number like 2026-1122-000123 (YYYY-MMDD-NNNNNN, or the 14 digits)";
const CASE_DATE: &str = "a real calendar date in the YYYY-MMDD part, as in 2026-1122-000123";
const CASE_SEQUENCE: &str = "a sequence from 000001 to 999999 in the last six digits";
const TICKET_FORM: &str = "a ticket number from 1, like 1234, #1234 or rt#1234";
const CASE_YEAR: &str = "a year from 0000 to 9999, so the number keeps its YYYY-MMDD-NNNNNN form";

/// The highest six-digit sequence; 000000 is never issued, so sequences start at 1.
const MAX_SEQUENCE: u32 = 999_999;

/// A case number: the day the case was opened plus a six-digit sequence within that day, or,
/// on a Request Tracker backend, the ticket's id (`1234`, also written `#1234` or `rt#1234`).
///
/// Ordering is by date, then sequence, which is the order cases were opened; tickets by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseNumber(Form);

/// The two forms a case number takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Form {
    // Field order matters: the derived `Ord` compares `date` first.
    Dated { date: NaiveDate, sequence: u32 },
    Ticket(u32),
}

/// The most digits a ticket id is read from (RT's ids are 32-bit).
const TICKET_DIGITS: usize = 9;

impl CaseNumber {
    /// Builds a case number, refusing sequence 0, sequences above 999999 and years outside 0..=9999.
    pub fn new(date: NaiveDate, sequence: u32) -> Result<Self, ParseError> {
        let attempted = || {
            format!(
                "{:04}-{:02}{:02}-{sequence:06}",
                date.year(),
                date.month(),
                date.day()
            )
        };
        if !(0..=9999).contains(&date.year()) {
            return Err(ParseError::new(CASE_WHAT, &attempted(), CASE_YEAR));
        }
        if !(1..=MAX_SEQUENCE).contains(&sequence) {
            return Err(ParseError::new(CASE_WHAT, &attempted(), CASE_SEQUENCE));
        }
        Ok(Self(Form::Dated { date, sequence }))
    }

    /// A Request Tracker ticket's number (its id, from 1).
    pub fn ticket(id: u32) -> Result<Self, ParseError> {
        if id == 0 {
            return Err(ParseError::new(CASE_WHAT, "0", TICKET_FORM));
        }
        Ok(Self(Form::Ticket(id)))
    }

    /// Reads only the dated form (casedesk's own server): a ticket number is refused with the
    /// dated form as what was expected.
    pub fn parse_dated(input: &str) -> Result<Self, ParseError> {
        match input.parse::<CaseNumber>()? {
            n if n.ticket_id().is_some() => Err(ParseError::new(CASE_WHAT, input, CASE_FORM)),
            n => Ok(n),
        }
    }

    /// The ticket id, when this is a Request Tracker ticket's number.
    pub const fn ticket_id(self) -> Option<u32> {
        match self.0 {
            Form::Ticket(id) => Some(id),
            Form::Dated { .. } => None,
        }
    }

    /// The day the case was opened (in the server's business time zone); none for a ticket.
    pub const fn date(self) -> Option<NaiveDate> {
        match self.0 {
            Form::Dated { date, .. } => Some(date),
            Form::Ticket(_) => None,
        }
    }

    /// The sequence within that day, 1..=999999; none for a ticket.
    pub const fn sequence(self) -> Option<u32> {
        match self.0 {
            Form::Dated { sequence, .. } => Some(sequence),
            Form::Ticket(_) => None,
        }
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Form::Dated { date, sequence } => write!(
                f,
                "{:04}-{:02}{:02}-{:06}",
                date.year(),
                date.month(),
                date.day(),
                sequence
            ),
            Form::Ticket(id) => write!(f, "{id}"),
        }
    }
}

impl FromStr for CaseNumber {
    type Err = ParseError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let form_error = || ParseError::new(CASE_WHAT, input, CASE_FORM);
        let text = input.trim();
        if let Some(id) = ticket_digits(text) {
            return id
                .parse::<u32>()
                .ok()
                .filter(|id| *id > 0)
                .map(|id| Self(Form::Ticket(id)))
                .ok_or_else(|| ParseError::new(CASE_WHAT, input, TICKET_FORM));
        }
        let digits = case_digits(text).ok_or_else(form_error)?;

        // The slices below are all ASCII digits, checked by `case_digits`.
        let year = decimal(&digits[0..4]);
        let month = decimal(&digits[4..6]);
        let day = decimal(&digits[6..8]);
        let sequence = decimal(&digits[8..14]);

        let date = i32::try_from(year)
            .ok()
            .and_then(|year| NaiveDate::from_ymd_opt(year, month, day))
            .ok_or_else(|| ParseError::new(CASE_WHAT, input, CASE_DATE))?;
        if sequence == 0 {
            return Err(ParseError::new(CASE_WHAT, input, CASE_SEQUENCE));
        }
        Ok(Self(Form::Dated { date, sequence }))
    }
}

/// The digits of a ticket number — `1234`, `#1234`, `rt#1234` — or `None` for another shape.
fn ticket_digits(text: &str) -> Option<&str> {
    let digits = match text.get(..3) {
        Some(prefix) if prefix.eq_ignore_ascii_case("rt#") => &text[3..],
        _ => text.strip_prefix('#').unwrap_or(text),
    };
    (!digits.is_empty()
        && digits.len() <= TICKET_DIGITS
        && digits.bytes().all(|b| b.is_ascii_digit()))
    .then_some(digits)
}

/// The 14 digits of a case number in either accepted form, or `None` if the shape is wrong.
fn case_digits(text: &str) -> Option<[u8; 14]> {
    let bytes = text.as_bytes();
    let mut digits = [0u8; 14];
    match bytes.len() {
        14 => digits.copy_from_slice(bytes),
        16 if bytes[4] == b'-' && bytes[9] == b'-' => {
            digits[0..4].copy_from_slice(&bytes[0..4]);
            digits[4..8].copy_from_slice(&bytes[5..9]);
            digits[8..14].copy_from_slice(&bytes[10..16]);
        }
        _ => return None,
    }
    digits.iter().all(u8::is_ascii_digit).then_some(digits)
}

/// The value of a run of ASCII digits; at most 8 digits, so `u32` cannot overflow.
fn decimal(digits: &[u8]) -> u32 {
    digits
        .iter()
        .fold(0, |value, digit| value * 10 + u32::from(digit - b'0'))
}

impl TryFrom<String> for CaseNumber {
    type Error = ParseError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<CaseNumber> for String {
    fn from(number: CaseNumber) -> Self {
        number.to_string()
    }
}

const RMA_WHAT: &str = "RMA number";
const RMA_FORM: &str = "an RMA number like R21056835 (R and 8 digits)";

/// The highest number that fits in 8 digits.
const MAX_RMA: u32 = 99_999_999;

/// An RMA number: `R` and 8 digits, e.g. `R21056835`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RmaNumber(u32);

impl RmaNumber {
    /// Builds an RMA number from its digits, refusing values that need more than 8 digits.
    pub fn new(value: u32) -> Result<Self, ParseError> {
        if value > MAX_RMA {
            return Err(ParseError::new(RMA_WHAT, &format!("R{value}"), RMA_FORM));
        }
        Ok(Self(value))
    }

    /// The numeric part (leading zeros are restored by `Display`).
    pub const fn value(self) -> u32 {
        self.0
    }
}

impl fmt::Display for RmaNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "R{:08}", self.0)
    }
}

impl FromStr for RmaNumber {
    type Err = ParseError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        match input.trim().as_bytes() {
            [b'R' | b'r', digits @ ..]
                if digits.len() == 8 && digits.iter().all(u8::is_ascii_digit) =>
            {
                Ok(Self(decimal(digits)))
            }
            _ => Err(ParseError::new(RMA_WHAT, input, RMA_FORM)),
        }
    }
}

impl TryFrom<String> for RmaNumber {
    type Error = ParseError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<RmaNumber> for String {
    fn from(number: RmaNumber) -> Self {
        number.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn case(text: &str) -> CaseNumber {
        text.parse()
            .unwrap_or_else(|err| panic!("{text} should parse: {err}"))
    }

    fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("test dates are real")
    }

    #[test]
    fn case_number_parses_with_and_without_dashes() {
        let table = [
            ("2026-1122-000123", ymd(2026, 11, 22), 123),
            ("20261122000123", ymd(2026, 11, 22), 123),
            ("  2026-1122-000123\n", ymd(2026, 11, 22), 123),
            ("2024-0229-999999", ymd(2024, 2, 29), 999_999),
            ("2026-0101-000001", ymd(2026, 1, 1), 1),
        ];
        for (text, date, sequence) in table {
            let number = case(text);
            assert_eq!(number.date(), Some(date), "{text}");
            assert_eq!(number.sequence(), Some(sequence), "{text}");
        }
        assert_eq!(case("20261122000123").to_string(), "2026-1122-000123");
    }

    #[test]
    fn bad_case_numbers_say_what_was_expected() {
        let table = [
            ("", CASE_FORM),
            ("2026-1122-00012", CASE_FORM),
            ("2026-1122-0001234", CASE_FORM),
            ("2026112200012", CASE_FORM),
            ("202611220001234", CASE_FORM),
            ("2026-1122-00012a", CASE_FORM),
            ("abcd-efgh-ijklmn", CASE_FORM),
            ("2026_1122_000123", CASE_FORM),
            ("20261-122-000123", CASE_FORM),
            ("2026-1122-+00123", CASE_FORM),
            ("２０２６-1122-000123", CASE_FORM),
            ("2026-1332-000001", CASE_DATE),
            ("2026-0230-000001", CASE_DATE),
            ("2025-0229-000001", CASE_DATE),
            ("2026-0001-000001", CASE_DATE),
            ("2026-1122-000000", CASE_SEQUENCE),
            ("20261122000000", CASE_SEQUENCE),
        ];
        for (text, expected) in table {
            let err = text.parse::<CaseNumber>().expect_err(text);
            assert_eq!(
                err,
                ParseError {
                    what: "case number",
                    input: text.to_owned(),
                    expected,
                },
                "{text}"
            );
        }
        assert_eq!(
            "2026-1122".parse::<CaseNumber>().unwrap_err().to_string(),
            "invalid case number '2026-1122': expected a case number like 2026-1122-000123 \
             (YYYY-MMDD-NNNNNN, or the 14 digits)"
        );
    }

    #[test]
    fn ticket_numbers_read_in_rts_three_forms() {
        for text in ["1234", "#1234", "rt#1234", "RT#1234", " 1234 "] {
            let n: CaseNumber = text.parse().unwrap();
            assert_eq!(n.ticket_id(), Some(1234), "{text}");
            assert_eq!(n.to_string(), "1234");
            assert_eq!(n.date(), None);
        }
        assert_eq!(
            "#0".parse::<CaseNumber>().unwrap_err().expected,
            TICKET_FORM
        );
        for text in [
            "#",
            "rt#",
            "#12a",
            "rt#-1",
            "1234567890",
            "#2026-1122-000123",
        ] {
            assert!(text.parse::<CaseNumber>().is_err(), "{text}");
        }
        assert_eq!(CaseNumber::ticket(7).unwrap().to_string(), "7");
        assert_eq!(
            CaseNumber::parse_dated("12345").unwrap_err().expected,
            CASE_FORM
        );
        assert!(CaseNumber::parse_dated("2026-1122-000123").is_ok());
        let json = serde_json::to_string(&CaseNumber::ticket(42).unwrap()).unwrap();
        assert_eq!(json, "\"42\"");
        assert!(CaseNumber::ticket(1).unwrap() > "2026-1122-000123".parse().unwrap());
    }

    #[test]
    fn case_number_new_validates() {
        let date = ymd(2026, 11, 22);
        assert_eq!(
            CaseNumber::new(date, 123).map(|n| n.to_string()),
            Ok("2026-1122-000123".to_owned())
        );
        assert_eq!(
            CaseNumber::new(date, 0).unwrap_err().expected,
            CASE_SEQUENCE
        );
        assert_eq!(
            CaseNumber::new(date, 1_000_000).unwrap_err().expected,
            CASE_SEQUENCE
        );
        assert_eq!(
            CaseNumber::new(ymd(10_000, 1, 1), 1).unwrap_err().expected,
            CASE_YEAR
        );
    }

    #[test]
    fn case_numbers_sort_by_date_then_sequence() {
        let mut numbers = [
            case("2026-1122-000002"),
            case("2026-1123-000001"),
            case("2026-1122-000010"),
            case("2025-1231-999999"),
        ];
        numbers.sort();
        let shown: Vec<String> = numbers.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "2025-1231-999999",
                "2026-1122-000002",
                "2026-1122-000010",
                "2026-1123-000001"
            ]
        );
    }

    #[test]
    fn case_number_serde_is_the_dashed_string() {
        let number = case("20261122000123");
        assert_eq!(
            serde_json::to_string(&number).ok(),
            Some("\"2026-1122-000123\"".to_owned())
        );
        let back: CaseNumber =
            serde_json::from_str("\"2026-1122-000123\"").expect("valid case number");
        assert_eq!(back, number);
        assert!(serde_json::from_str::<CaseNumber>("\"2026-1332-000001\"").is_err());
    }

    #[test]
    fn rma_numbers() {
        let table = [
            ("R21056835", Some(21_056_835)),
            ("r21056835", Some(21_056_835)),
            (" R00000042 ", Some(42)),
            ("R2105683", None),
            ("R210568350", None),
            ("21056835", None),
            ("X21056835", None),
            ("R2105683a", None),
            ("RR1056835", None),
            ("R-2105683", None),
            ("", None),
        ];
        for (text, value) in table {
            match value {
                Some(value) => {
                    let number: RmaNumber = text.parse().expect(text);
                    assert_eq!(number.value(), value, "{text}");
                }
                None => assert_eq!(
                    text.parse::<RmaNumber>(),
                    Err(ParseError {
                        what: "RMA number",
                        input: text.to_owned(),
                        expected: RMA_FORM,
                    }),
                    "{text}"
                ),
            }
        }
        let number: RmaNumber = "r00000042".parse().expect("valid");
        assert_eq!(number.to_string(), "R00000042");
        assert_eq!(RmaNumber::new(42), Ok(number));
        assert!(RmaNumber::new(100_000_000).is_err());
    }

    #[test]
    fn rma_number_serde_is_the_string() {
        let number = RmaNumber::new(21_056_835).expect("fits in 8 digits");
        assert_eq!(
            serde_json::to_string(&number).ok(),
            Some("\"R21056835\"".to_owned())
        );
        assert_eq!(
            serde_json::from_str::<RmaNumber>("\"r21056835\"").ok(),
            Some(number)
        );
        assert!(serde_json::from_str::<RmaNumber>("\"R1\"").is_err());
    }

    fn valid_case_number() -> impl Strategy<Value = CaseNumber> {
        // Any day with a four-digit year: the whole range `CaseNumber` can display.
        let first = ymd(0, 1, 1);
        let last = ymd(9999, 12, 31);
        let span = u64::try_from((last - first).num_days()).expect("positive span");
        (0..=span, 1..=MAX_SEQUENCE).prop_map(move |(offset, sequence)| {
            let date = first + chrono::Days::new(offset);
            CaseNumber::new(date, sequence).expect("strategy yields valid parts")
        })
    }

    proptest! {
        #[test]
        fn display_parses_back(number in valid_case_number()) {
            prop_assert_eq!(number.to_string().parse::<CaseNumber>(), Ok(number));
        }

        #[test]
        fn bare_digits_parse_equal(number in valid_case_number()) {
            let bare = number.to_string().replace('-', "");
            prop_assert_eq!(bare.len(), 14);
            prop_assert_eq!(bare.parse::<CaseNumber>(), Ok(number));
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,20}") {
            let _ = text.parse::<CaseNumber>();
            let _ = text.parse::<RmaNumber>();
        }
    }
}
