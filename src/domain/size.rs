//! Sizes in bytes as people write them in config files (`100MiB`, `1 GiB`, `512KB`, `1048576`)
//! and as messages show them (`100 MiB`).

use std::fmt;

/// A size in bytes, parsed from `N`, `N B`, `N KiB|MiB|GiB|TiB` (powers of 1024) or
/// `N kB|MB|GB|TB` (powers of 1000), a space between number and unit optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ByteSize(pub u64);

/// What a size may look like, for error messages.
pub const SIZE_EXPECTED: &str = "a size like 100MiB, 1GiB, 500KB or a number of bytes";

const UNITS: &[(&str, u64)] = &[
    ("b", 1),
    ("kib", 1 << 10),
    ("mib", 1 << 20),
    ("gib", 1 << 30),
    ("tib", 1 << 40),
    ("k", 1 << 10),
    ("m", 1 << 20),
    ("g", 1 << 30),
    ("kb", 1_000),
    ("mb", 1_000_000),
    ("gb", 1_000_000_000),
    ("tb", 1_000_000_000_000),
];

impl std::str::FromStr for ByteSize {
    type Err = super::ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || super::ParseError {
            what: "size",
            input: s.to_string(),
            expected: SIZE_EXPECTED,
        };
        let text = s.trim();
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (digits, unit) = text.split_at(split);
        let number: u64 = digits.parse().map_err(|_| bad())?;
        let unit = unit.trim().to_ascii_lowercase();
        if unit.is_empty() {
            return Ok(ByteSize(number));
        }
        let scale = UNITS
            .iter()
            .find(|(name, _)| *name == unit)
            .map(|(_, scale)| *scale)
            .ok_or_else(bad)?;
        number.checked_mul(scale).map(ByteSize).ok_or_else(bad)
    }
}

impl fmt::Display for ByteSize {
    /// The size for people in binary units: `512 B`, `1.5 KiB`, `100 MiB`, `1 GiB` (a whole
    /// number of the unit is shown without decimals).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const NAMES: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
        let bytes = self.0;
        let mut unit = 0;
        while unit + 1 < NAMES.len() && bytes >= 1u64 << (10 * (unit + 1)) {
            unit += 1;
        }
        let scale = 1u64 << (10 * unit);
        if bytes.is_multiple_of(scale) {
            write!(f, "{} {}", bytes / scale, NAMES[unit])
        } else {
            write!(f, "{:.1} {}", bytes as f64 / scale as f64, NAMES[unit])
        }
    }
}

impl<'de> serde::Deserialize<'de> for ByteSize {
    /// A size in a config file: a string with a unit (`"100MiB"`) or a number of bytes.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = ByteSize;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(SIZE_EXPECTED)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ByteSize, E> {
                Ok(ByteSize(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ByteSize, E> {
                u64::try_from(v)
                    .map(ByteSize)
                    .map_err(|_| E::custom(format!("invalid size {v}: expected {SIZE_EXPECTED}")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ByteSize, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_as_people_write_them() {
        let parse = |s: &str| s.parse::<ByteSize>().map(|b| b.0);
        assert_eq!(parse("1048576"), Ok(1 << 20));
        assert_eq!(parse("100MiB"), Ok(100 << 20));
        assert_eq!(parse("1 GiB"), Ok(1 << 30));
        assert_eq!(parse("200mib"), Ok(200 << 20));
        assert_eq!(parse("500KB"), Ok(500_000));
        assert_eq!(parse("0"), Ok(0));
        for bad in [
            "",
            "MiB",
            "1.5MiB",
            "-1",
            "10 parsecs",
            "99999999999999 TiB",
        ] {
            let e = bad.parse::<ByteSize>().unwrap_err().to_string();
            assert!(e.contains(SIZE_EXPECTED), "{bad}: {e}");
        }
    }

    #[test]
    fn sizes_show_in_binary_units() {
        assert_eq!(ByteSize(512).to_string(), "512 B");
        assert_eq!(ByteSize(1536).to_string(), "1.5 KiB");
        assert_eq!(ByteSize(100 << 20).to_string(), "100 MiB");
        assert_eq!(ByteSize(1 << 30).to_string(), "1 GiB");
        assert_eq!(ByteSize(0).to_string(), "0 B");
    }
}
