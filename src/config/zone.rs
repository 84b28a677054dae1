//! The time zone the user reads times in.

use chrono::{DateTime, Local, Utc};
use chrono_tz::Tz;

/// Where displayed times are shown: the system's zone (honouring `TZ`), or a named one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DisplayZone {
    /// The system's zone.
    #[default]
    System,
    /// An IANA zone from the config.
    Named(Tz),
}

impl DisplayZone {
    /// An IANA zone by name, or an error naming the expected form.
    pub fn named(name: &str) -> Result<DisplayZone, String> {
        name.trim().parse::<Tz>().map(DisplayZone::Named).map_err(|_| {
            format!(
                "unknown timezone '{name}': expected an IANA name such as Asia/Tokyo or America/Los_Angeles"
            )
        })
    }

    /// `at` formatted in this zone with a chrono format string.
    pub fn format(self, at: DateTime<Utc>, fmt: &str) -> String {
        match self {
            DisplayZone::System => at.with_timezone(&Local).format(fmt).to_string(),
            DisplayZone::Named(tz) => at.with_timezone(&tz).format(fmt).to_string(),
        }
    }

    /// A short, readable instant: `11-23 14:02` (with the year when it is not this year's).
    pub fn short(self, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
        let same_year = self.format(at, "%Y") == self.format(now, "%Y");
        self.format(
            at,
            if same_year {
                "%m-%d %H:%M"
            } else {
                "%Y-%m-%d %H:%M"
            },
        )
    }
}
