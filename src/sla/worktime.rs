//! Business-time arithmetic: how much working time lies between two instants, and when a given
//! amount of it has elapsed.
//!
//! The cost follows the days the answer touches, not the minutes crossed: each calendar keeps,
//! per year and built on first use, the working seconds before every local day, so finding the
//! day on which a long target falls is a binary search.

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use super::calendar::Calendar;
use super::duration::SlaDuration;

/// First year the arithmetic covers.
pub const FIRST_YEAR: i32 = 1970;
/// Last year the arithmetic covers.
pub const LAST_YEAR: i32 = 2199;

/// An instant the arithmetic cannot reach.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0} is outside the supported range: expected an instant in the years {FIRST_YEAR}–{LAST_YEAR}"
)]
pub struct OutOfRange(pub DateTime<Utc>);

/// Per-year tables of cumulative working seconds, built lazily and shared between threads.
pub(crate) struct YearIndex {
    years: Box<[OnceLock<YearTable>]>,
}

struct YearTable {
    /// `before[i]`: working seconds from the start of Jan 1 to the start of day `i` of the
    /// year; one entry more than the year has days.
    before: Vec<i64>,
}

impl YearIndex {
    pub(crate) fn new() -> Self {
        let n = (LAST_YEAR - FIRST_YEAR + 1) as usize;
        YearIndex {
            years: (0..n).map(|_| OnceLock::new()).collect(),
        }
    }
}

impl YearTable {
    fn total(&self) -> i64 {
        self.before.last().copied().unwrap_or(0)
    }
}

impl Calendar {
    fn year(&self, year: i32) -> Option<&YearTable> {
        let slot = self
            .index()
            .years
            .get(usize::try_from(year - FIRST_YEAR).ok()?)?;
        Some(slot.get_or_init(|| self.build_year(year)))
    }

    fn build_year(&self, year: i32) -> YearTable {
        let mut before = Vec::with_capacity(367);
        let mut sum = 0;
        before.push(0);
        // Years in FIRST_YEAR..=LAST_YEAR are all representable dates.
        let mut day = NaiveDate::from_ymd_opt(year, 1, 1);
        while let Some(d) = day.filter(|d| d.year() == year) {
            sum += self.day_seconds(d);
            before.push(sum);
            day = d.succ_opt();
        }
        YearTable { before }
    }

    /// Working seconds on a local date.
    fn day_seconds(&self, date: NaiveDate) -> i64 {
        self.intervals(date)
            .iter()
            .map(|(s, e)| (*e - *s).num_seconds())
            .sum()
    }

    /// Working seconds on `date` before the instant `t` (which lies on that date).
    fn seconds_before(&self, date: NaiveDate, t: DateTime<Utc>) -> i64 {
        self.intervals(date)
            .iter()
            .map(|&(s, e)| (t.clamp(s, e) - s).num_seconds())
            .sum()
    }

    /// Working seconds from the start of local date `a` to the start of local date `b`, `a <= b`.
    fn seconds_between_days(
        &self,
        a: NaiveDate,
        b: NaiveDate,
        t: DateTime<Utc>,
    ) -> Result<i64, OutOfRange> {
        let table = |y| self.year(y).ok_or(OutOfRange(t));
        let (ya, yb) = (a.year(), b.year());
        let ia = a.ordinal0() as usize;
        let ib = b.ordinal0() as usize;
        if ya == yb {
            let t = table(ya)?;
            return Ok(t.before[ib] - t.before[ia]);
        }
        let first = table(ya)?;
        let mut sum = first.total() - first.before[ia];
        for y in ya + 1..yb {
            sum += table(y)?.total();
        }
        Ok(sum + table(yb)?.before[ib])
    }

    /// The first day on or after `from` by whose end `need` working seconds (counted from the
    /// start of `from`) have elapsed, with the working seconds of the days before it.
    fn day_reaching(
        &self,
        from: NaiveDate,
        need: i64,
        t: DateTime<Utc>,
    ) -> Result<(NaiveDate, i64), OutOfRange> {
        let mut day = from;
        let mut consumed = 0;
        loop {
            let table = self.year(day.year()).ok_or(OutOfRange(t))?;
            let i = day.ordinal0() as usize;
            let base = table.before[i];
            let target = base + need - consumed;
            if table.total() >= target {
                // First boundary at which the target is reached; the day before it holds the end.
                let j = i + 1 + table.before[i + 1..].partition_point(|&c| c < target);
                let end_day = from_ordinal0(day.year(), j - 1).ok_or(OutOfRange(t))?;
                return Ok((end_day, consumed + table.before[j - 1] - base));
            }
            consumed += table.total() - base;
            day = NaiveDate::from_ymd_opt(day.year() + 1, 1, 1).ok_or(OutOfRange(t))?;
        }
    }

    /// The earliest instant at or after `start` by which `seconds` of working time have elapsed.
    fn add_seconds(&self, start: DateTime<Utc>, seconds: i64) -> Result<DateTime<Utc>, OutOfRange> {
        if seconds <= 0 || self.is_continuous() {
            return Ok(start + Duration::seconds(seconds.max(0)));
        }
        let date = self.local_date(start);
        self.year(date.year()).ok_or(OutOfRange(start))?;
        let mut remaining = seconds;
        for (s, e) in self.intervals(date) {
            let s = s.max(start);
            if e > s {
                let span = (e - s).num_seconds();
                if remaining <= span {
                    return Ok(s + Duration::seconds(remaining));
                }
                remaining -= span;
            }
        }
        let next = date.succ_opt().ok_or(OutOfRange(start))?;
        let (day, before) = self.day_reaching(next, remaining, start)?;
        remaining -= before;
        for (s, e) in self.intervals(day) {
            let span = (e - s).num_seconds();
            if remaining <= span {
                return Ok(s + Duration::seconds(remaining));
            }
            remaining -= span;
        }
        // The tables said this day completes the target, and they are built from these intervals.
        Err(OutOfRange(start))
    }

    /// Working seconds from `a` to `b`; negative when `b` is before `a`.
    pub fn seconds_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> Result<i64, OutOfRange> {
        if b < a {
            return self.seconds_between(b, a).map(|s| -s);
        }
        if self.is_continuous() {
            return Ok((b - a).num_seconds());
        }
        let (da, db) = (self.local_date(a), self.local_date(b));
        if da == db {
            self.year(da.year()).ok_or(OutOfRange(a))?;
            return Ok(self.seconds_before(db, b) - self.seconds_before(da, a));
        }
        let after_a = self.day_seconds(da) - self.seconds_before(da, a);
        let days = self.seconds_between_days(da.succ_opt().ok_or(OutOfRange(a))?, db, b)?;
        Ok(after_a + days + self.seconds_before(db, b))
    }
}

fn from_ordinal0(year: i32, ordinal0: usize) -> Option<NaiveDate> {
    NaiveDate::from_yo_opt(year, u32::try_from(ordinal0).ok()? + 1)
}

/// The earliest instant at which `duration` of working time on `calendar` has elapsed since
/// `start`. Days (`7d`) are wall-clock whatever the calendar; zero is `start` itself.
pub fn add(
    start: DateTime<Utc>,
    duration: SlaDuration,
    calendar: &Calendar,
) -> Result<DateTime<Utc>, OutOfRange> {
    if duration.is_wall_clock() {
        return Ok(start + Duration::seconds(duration.seconds(0)));
    }
    calendar.add_seconds(start, duration.seconds(calendar.business_day_secs()))
}

/// The earliest instant at which `seconds` of working time on `calendar` have elapsed since `start`.
pub fn add_seconds(
    start: DateTime<Utc>,
    seconds: i64,
    calendar: &Calendar,
) -> Result<DateTime<Utc>, OutOfRange> {
    calendar.add_seconds(start, seconds)
}

/// Working time on `calendar` from `a` to `b`, in seconds; negative when `b` is before `a`.
pub fn between(a: DateTime<Utc>, b: DateTime<Utc>, calendar: &Calendar) -> Result<i64, OutOfRange> {
    calendar.seconds_between(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sla::Calendars;
    use chrono::FixedOffset;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn in_zone(t: DateTime<Utc>, offset_hours: i32) -> String {
        t.with_timezone(&FixedOffset::east_opt(offset_hours * 3600).unwrap())
            .to_rfc3339()
    }

    fn dur(text: &str) -> SlaDuration {
        text.parse().unwrap()
    }

    #[test]
    fn jp_business_table() {
        let cals = Calendars::builtin();
        let jp = cals.get("jp-business").unwrap();
        // (start, duration, expected due) — all in JST.
        let cases = [
            // The issue's own example: 16:00 + 1h on a 9–17 calendar is 17:00 the same day.
            (
                "2026-11-20T16:00:00+09:00",
                "1h",
                "2026-11-20T17:00:00+09:00",
            ),
            (
                "2026-11-20T16:00:00+09:00",
                "0m",
                "2026-11-20T16:00:00+09:00",
            ),
            // Friday evening: resumes Tuesday because Monday Nov 23 is Labour Thanksgiving Day.
            (
                "2026-11-20T16:30:00+09:00",
                "1h",
                "2026-11-24T09:30:00+09:00",
            ),
            (
                "2026-11-20T16:00:00+09:00",
                "1bd",
                "2026-11-24T16:00:00+09:00",
            ),
            // Started outside hours: counts from the next business minute.
            (
                "2026-11-19T07:12:00+09:00",
                "2h",
                "2026-11-19T11:00:00+09:00",
            ),
            (
                "2026-11-21T10:00:00+09:00",
                "15m",
                "2026-11-24T09:15:00+09:00",
            ),
            // Golden Week 2026: Apr 29 (Wed), May 3–6 (Sun–Wed, with the substitute holiday).
            (
                "2026-05-01T16:00:00+09:00",
                "2h",
                "2026-05-07T10:00:00+09:00",
            ),
            // Silver Week 2026: Sep 19–23, with the citizens' holiday on the 22nd.
            (
                "2026-09-18T17:00:00+09:00",
                "1bd",
                "2026-09-24T17:00:00+09:00",
            ),
            // Year-end break Dec 29 – Jan 3, then a weekend: back on Monday Jan 4 2027.
            (
                "2026-12-28T16:00:00+09:00",
                "2h",
                "2027-01-04T10:00:00+09:00",
            ),
            // An end exactly at a window's close is that close, not the next morning.
            (
                "2026-11-24T09:00:00+09:00",
                "8h",
                "2026-11-24T17:00:00+09:00",
            ),
            (
                "2026-11-24T09:00:00+09:00",
                "1bd",
                "2026-11-24T17:00:00+09:00",
            ),
            // 7d is wall-clock whatever the calendar.
            (
                "2026-11-21T10:00:00+09:00",
                "7d",
                "2026-11-28T10:00:00+09:00",
            ),
        ];
        for (start, d, want) in cases {
            let due = add(at(start), dur(d), &jp).unwrap();
            assert_eq!(in_zone(due, 9), want, "{start} + {d}");
            if !dur(d).is_wall_clock() {
                let back = between(at(start), due, &jp).unwrap();
                assert_eq!(
                    back,
                    dur(d).seconds(jp.business_day_secs()),
                    "{start} + {d} back"
                );
            }
        }
    }

    #[test]
    fn us_pacific_dst_weekends() {
        let cals = Calendars::builtin();
        let us = cals.get("us-pacific-business").unwrap();
        // Spring forward on Sunday 2026-03-08: Friday 16:00 PST + 2h = Monday 10:00 PDT.
        let due = add(at("2026-03-06T16:00:00-08:00"), dur("2h"), &us).unwrap();
        assert_eq!(in_zone(due, -7), "2026-03-09T10:00:00-07:00");
        // Fall back on Sunday 2026-11-01: Friday 16:00 PDT + 2h = Monday 10:00 PST.
        let due = add(at("2026-10-30T16:00:00-07:00"), dur("2h"), &us).unwrap();
        assert_eq!(in_zone(due, -8), "2026-11-02T10:00:00-08:00");
        // Observed holiday: Independence Day 2026 is a Saturday, so Friday Jul 3 is off.
        let due = add(at("2026-07-02T16:00:00-07:00"), dur("2h"), &us).unwrap();
        assert_eq!(in_zone(due, -7), "2026-07-06T10:00:00-07:00");
    }

    #[test]
    fn twenty_four_seven_has_no_gap_at_midnight() {
        let cals = Calendars::builtin();
        let c = cals.get("24x7").unwrap();
        let due = add(at("2026-11-21T23:30:00Z"), dur("1h"), &c).unwrap();
        assert_eq!(due, at("2026-11-22T00:30:00Z"));
        assert_eq!(between(at("2026-11-21T23:30:00Z"), due, &c).unwrap(), 3600);
    }

    #[test]
    fn five_hundred_business_days() {
        let cals = Calendars::builtin();
        let jp = cals.get("jp-business").unwrap();
        let start = at("2026-01-05T09:00:00+09:00");
        let due = add(start, dur("500bd"), &jp).unwrap();
        assert_eq!(between(start, due, &jp).unwrap(), 500 * 8 * 3600);
        // It ends at a close of business, two years or so later.
        assert_eq!(in_zone(due, 9)[11..], *"17:00:00+09:00");
    }
}
