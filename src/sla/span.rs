//! Spans of time for people to read: the one place a count of seconds becomes text, in the few
//! shapes the screens need. Digits and unit letters only; words (`BREACHED`, `期限超過`) belong
//! to the text layer, which reads [`Countdown`].
//!
//! | variant     | looks like                  | where                                            |
//! |-------------|-----------------------------|--------------------------------------------------|
//! | [`compact`] | `45s` `2h05m` `3d4h`        | countdown columns, waits and ages (TUI, CLI, wallboard) |
//! | [`precise`] | `1m 05s` `1h 02m 05s`       | the TUI's ticking SLA pane                       |
//! | [`working`] | `45m` `52h30m` `1h00m05s`   | working time (`casedesk sla between`, clocks), never days |
//! | [`clock`]   | `2:05` `-0:12` `-11d22h`    | the wallboard's big countdown                    |

use chrono::{DateTime, Utc};

const MINUTE: u64 = 60;
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;

/// The sign and the size of a signed span.
fn split(seconds: i64) -> (&'static str, u64) {
    (if seconds < 0 { "-" } else { "" }, seconds.unsigned_abs())
}

/// The two largest units, no spaces: `45s`, `59m`, `2h05m`, `-3d4h`.
pub fn compact(seconds: i64) -> String {
    let (sign, s) = split(seconds);
    let (d, h, m) = (s / DAY, s % DAY / HOUR, s % HOUR / MINUTE);
    match (d, h, m) {
        (0, 0, 0) => format!("{sign}{s}s"),
        (0, 0, m) => format!("{sign}{m}m"),
        (0, h, m) => format!("{sign}{h}h{m:02}m"),
        (d, h, _) => format!("{sign}{d}d{h}h"),
    }
}

/// Three units with seconds while under a day, for a display that ticks every second:
/// `0m 00s`, `1h 02m 05s`, `3d 04h 10m`.
pub fn precise(seconds: i64) -> String {
    let (sign, s) = split(seconds);
    let (d, h, m, sec) = (s / DAY, s % DAY / HOUR, s % HOUR / MINUTE, s % MINUTE);
    if d > 0 {
        format!("{sign}{d}d {h:02}h {m:02}m")
    } else if h > 0 {
        format!("{sign}{h}h {m:02}m {sec:02}s")
    } else {
        format!("{sign}{m}m {sec:02}s")
    }
}

/// Working time as hours and minutes (`52h30m`, `45m`, `0m`), never days, which would be
/// ambiguous between wall-clock and business days; leftover seconds are shown when present.
pub fn working(seconds: i64) -> String {
    let (sign, s) = split(seconds);
    let (h, m, rest) = (s / HOUR, s % HOUR / MINUTE, s % MINUTE);
    let hm = match h {
        0 => format!("{m}m"),
        h => format!("{h}h{m:02}m"),
    };
    match rest {
        0 => format!("{sign}{hm}"),
        r => format!("{sign}{hm}{r:02}s"),
    }
}

/// Hours and minutes like a clock face, `2:05` left or `-0:12` overdue, and `-11d22h` beyond a
/// day; seconds are dropped.
pub fn clock(seconds: i64) -> String {
    let (sign, s) = split(seconds);
    let m = s / MINUTE;
    let (d, h) = (m / 1440, m % 1440 / 60);
    if d > 0 {
        format!("{sign}{d}d{h}h")
    } else {
        format!("{sign}{h}:{:02}", m % 60)
    }
}

/// Where a next deadline stands at an instant, for a countdown cell: the text layer words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Countdown {
    /// No deadline.
    None,
    /// This many seconds left (0 at the due instant, which is not yet past it).
    Left(i64),
    /// Past the due by this many seconds.
    Overdue(i64),
}

impl Countdown {
    /// The countdown to `due` at `now`; overdue only strictly after the due (SPEC §2.6).
    pub fn to(due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Countdown {
        match due {
            None => Countdown::None,
            Some(due) if super::clock::past_due(due, now) => {
                Countdown::Overdue((now - due).num_seconds())
            }
            Some(due) => Countdown::Left((due - now).num_seconds()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant at the edges: 0, 59 s, 1 min, 1 h, 1 d, a mixed span and negatives.
    #[test]
    fn every_variant_at_the_edges() {
        let secs = [
            0,
            59,
            60,
            3599,
            3600,
            3725,
            86_399,
            86_400,
            90_061,
            -1,
            -65,
            -3600,
            -(3 * 86_400 + 4 * 3600),
        ];
        let want: [[&str; 4]; 13] = [
            // compact, precise, working, clock
            ["0s", "0m 00s", "0m", "0:00"],
            ["59s", "0m 59s", "0m59s", "0:00"],
            ["1m", "1m 00s", "1m", "0:01"],
            ["59m", "59m 59s", "59m59s", "0:59"],
            ["1h00m", "1h 00m 00s", "1h00m", "1:00"],
            ["1h02m", "1h 02m 05s", "1h02m05s", "1:02"],
            ["23h59m", "23h 59m 59s", "23h59m59s", "23:59"],
            ["1d0h", "1d 00h 00m", "24h00m", "1d0h"],
            ["1d1h", "1d 01h 01m", "25h01m01s", "1d1h"],
            ["-1s", "-0m 01s", "-0m01s", "-0:00"],
            ["-1m", "-1m 05s", "-1m05s", "-0:01"],
            ["-1h00m", "-1h 00m 00s", "-1h00m", "-1:00"],
            ["-3d4h", "-3d 04h 00m", "-76h00m", "-3d4h"],
        ];
        for (s, [c, p, w, k]) in secs.into_iter().zip(want) {
            assert_eq!(compact(s), c, "compact {s}");
            assert_eq!(precise(s), p, "precise {s}");
            assert_eq!(working(s), w, "working {s}");
            assert_eq!(clock(s), k, "clock {s}");
        }
    }

    #[test]
    fn a_countdown_is_overdue_only_after_the_due() {
        let now: DateTime<Utc> = "2026-11-24T05:00:00Z".parse().unwrap();
        let min = chrono::TimeDelta::minutes;
        assert_eq!(Countdown::to(None, now), Countdown::None);
        assert_eq!(Countdown::to(Some(now), now), Countdown::Left(0));
        assert_eq!(
            Countdown::to(Some(now + min(125)), now),
            Countdown::Left(7500)
        );
        assert_eq!(
            Countdown::to(Some(now - min(12)), now),
            Countdown::Overdue(720)
        );
    }
}
