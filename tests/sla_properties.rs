//! Property tests of the SLA business-time arithmetic (`casedesk::sla::{add, add_seconds,
//! between}`), over the three built-in calendars and custom calendars built from TOML text that
//! stress what the built-ins do not: several windows a day, windows ending at 24:00 that run on
//! into the next day, a US DST zone whose Sunday window a spring-forward shrinks and a fall-back
//! grows, a zone whose DST change happens at midnight, a half-hour UTC offset, and holiday
//! ranges (one across a year boundary, one a month long).
//!
//! Starts are 2025-01-01..=2030-12-31 at minute resolution, a third of them pinned to a window's
//! exact start or end (or one minute either side); durations run from 0 to 40 business days.
//!
//! Besides the algebraic properties, `matches_a_minute_walking_reference` checks `add` and
//! `between` against a reference written directly from the calendar's windows and holidays
//! with chrono-tz: a minute is working time when its local wall time lies in a window of its
//! local weekday and its local date is not a holiday.

use std::sync::{Arc, LazyLock};

use casedesk::sla::calendar::parse_calendars;
use casedesk::sla::{Calendar, Calendars, SlaDuration, add, add_seconds, between};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};
use proptest::prelude::*;
use proptest::sample::Index;

/// Custom calendars, as a user would write them.
const CUSTOM: &str = r#"
# Several windows a day (a lunch break), a Saturday morning, a declared business day shorter
# than the longest day, a holiday range across a year boundary and a month-long closure.
[[calendar]]
name = "split-shift"
zone = "Europe/Berlin"
business_day = "8h"

[calendar.hours]
mon = ["08:00-12:00", "13:00-18:00"]
tue = ["08:00-12:00", "13:00-18:00"]
wed = ["08:00-12:00", "13:00-18:00"]
thu = ["08:00-12:00", "13:00-18:00"]
fri = ["08:00-12:00", "13:00-16:00"]
sat = ["10:00-14:00"]

[[calendar.holiday]]
from = "2026-12-24"
to = "2027-01-01"
name = "Winter break"

[[calendar.holiday]]
date = "2028-05-01"
name = "Labour Day"

[[calendar.holiday]]
from = "2029-07-15"
to = "2029-08-15"
name = "Summer closure"

# A night shift: windows end at 24:00 and go on at 00:00 the next day, in a zone with a
# half-hour offset.
[[calendar]]
name = "overnight"
zone = "Asia/Kolkata"
business_day = "12h"

[calendar.hours]
mon = ["18:00-24:00"]
tue = ["00:00-06:00", "18:00-24:00"]
wed = ["00:00-06:00", "18:00-24:00"]
thu = ["00:00-06:00", "18:00-24:00"]
fri = ["00:00-06:00", "18:00-24:00"]
sat = ["00:00-06:00"]

[[calendar.holiday]]
from = "2027-12-30"
to = "2028-01-02"
name = "Year-end"

# A US DST zone whose Sunday window contains the 02:00 change: 2h on the spring-forward Sunday,
# 4h on the fall-back one; Saturday's late window runs straight into it. Sparse, so 40 business
# days (of the longest day, 4h30m) span most of a year.
[[calendar]]
name = "ny-sunday-night"
zone = "America/New_York"

[calendar.hours]
wed = ["09:00-12:00"]
sat = ["23:00-24:00"]
sun = ["00:00-03:00", "20:00-21:30"]

[[calendar.holiday]]
from = "2028-11-19"
to = "2028-11-26"
name = "Thanksgiving week"

# Chile changes clocks at midnight: the spring-forward Sunday has no 00:00 (the day starts at
# 01:00), and the fall-back Saturday repeats 23:00-24:00.
[[calendar]]
name = "santiago-midnight"
zone = "America/Santiago"

[calendar.hours]
mon = ["09:00-13:00", "14:00-18:00"]
tue = ["09:00-13:00", "14:00-18:00"]
wed = ["09:00-13:00", "14:00-18:00"]
thu = ["09:00-13:00", "14:00-18:00"]
fri = ["09:00-13:00", "14:00-18:00"]
sat = ["22:00-24:00"]
sun = ["00:00-02:00"]

[[calendar.holiday]]
from = "2025-09-18"
to = "2025-09-19"
name = "Fiestas Patrias"
"#;

/// Every calendar under test: the built-ins, then the custom ones. Shared by all properties so
/// each calendar's lazily built year tables are built once.
static CALENDARS: LazyLock<Vec<Arc<Calendar>>> = LazyLock::new(|| {
    let mut set = Calendars::builtin();
    set.extend(parse_calendars("sla_properties.rs", CUSTOM).expect("custom calendars load"));
    let names = [
        "24x7",
        "jp-business",
        "us-pacific-business",
        "split-shift",
        "overnight",
        "ny-sunday-night",
        "santiago-midnight",
    ];
    names.iter().map(|n| set.get(n).unwrap()).collect()
});

fn calendar(name: &str) -> Arc<Calendar> {
    CALENDARS
        .iter()
        .find(|c| c.name() == name)
        .cloned()
        .unwrap()
}

const FIRST_DAY: NaiveDate = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
/// Days from 2025-01-01 to 2030-12-31 inclusive.
const DAYS: i64 = 2191;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn show(cal: &Calendar, t: DateTime<Utc>) -> String {
    format!("{} ({})", t.with_timezone(&cal.zone()).to_rfc3339(), t)
}

/// A weekday's windows as (start, end) local minutes, read back from their `HH:MM-HH:MM` form.
fn windows(cal: &Calendar, date: NaiveDate) -> Vec<(u32, u32)> {
    let clock = |s: &str| {
        let (h, m) = s.split_once(':').unwrap();
        h.parse::<u32>().unwrap() * 60 + m.parse::<u32>().unwrap()
    };
    cal.windows(date.weekday().num_days_from_monday() as usize)
        .iter()
        .map(|w| {
            let text = w.to_string();
            let (s, e) = text.split_once('-').unwrap();
            (clock(s), clock(e))
        })
        .collect()
}

/// The instants at which the windows of a local date start and end (as wall times; a start
/// skipped by a spring-forward is left out).
fn window_edges(cal: &Calendar, date: NaiveDate) -> Vec<DateTime<Utc>> {
    let zone = cal.zone();
    let local = |date: NaiveDate, minutes: u32| {
        zone.from_local_datetime(
            &(date.and_hms_opt(0, 0, 0).unwrap() + Duration::minutes(minutes.into())),
        )
    };
    let mut out = Vec::new();
    for (s, e) in windows(cal, date) {
        if let Some(t) = local(date, s).earliest() {
            out.push(t.with_timezone(&Utc));
        }
        let end = if e == 24 * 60 {
            local(date.succ_opt().unwrap(), 0).earliest()
        } else {
            local(date, e).latest()
        };
        if let Some(t) = end {
            out.push(t.with_timezone(&Utc));
        }
    }
    out
}

/// How a start instant is drawn; resolved against a calendar by [`StartSpec::resolve`].
#[derive(Debug, Clone)]
struct StartSpec {
    /// Day offset from 2025-01-01 (UTC).
    day: i64,
    /// Minute of the UTC day.
    minute: i64,
    /// `Some`: pin to a window edge of that day (chosen by the index), nudged by the minutes.
    edge: Option<(Index, i64)>,
}

impl StartSpec {
    fn resolve(&self, cal: &Calendar) -> DateTime<Utc> {
        let midnight = Utc.from_utc_datetime(&FIRST_DAY.and_hms_opt(0, 0, 0).unwrap());
        let t = midnight + Duration::days(self.day) + Duration::minutes(self.minute);
        let Some((index, nudge)) = &self.edge else {
            return t;
        };
        let edges = window_edges(cal, cal_date(cal, t));
        if edges.is_empty() {
            return t;
        }
        edges[index.index(edges.len())] + Duration::minutes(*nudge)
    }
}

fn cal_date(cal: &Calendar, t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&cal.zone()).date_naive()
}

fn start_spec() -> impl Strategy<Value = StartSpec> {
    let edge = prop_oneof![
        2 => Just(None),
        1 => (any::<Index>(), prop_oneof![3 => Just(0i64), 1 => Just(-1i64), 1 => Just(1i64)])
            .prop_map(Some),
    ];
    (0..DAYS, 0..1440i64, edge).prop_map(|(day, minute, edge)| StartSpec { day, minute, edge })
}

/// How a duration is drawn; resolved against the calendar's business-day length.
#[derive(Debug, Clone, Copy)]
enum DurSpec {
    /// Up to 4 hours, in minutes.
    Short(u32),
    /// Up to 3 business days, in minutes.
    Days(u32),
    /// A whole number of business days, 0..=40.
    WholeDays(u32),
    /// Anything up to 40 business days, in minutes.
    Any(u32),
}

impl DurSpec {
    /// The duration in working minutes on `cal`.
    fn minutes(self, cal: &Calendar) -> u32 {
        let bd = u32::try_from(cal.business_day_secs() / 60).unwrap();
        match self {
            DurSpec::Short(m) => m % 241,
            DurSpec::Days(m) => m % (3 * bd + 1),
            DurSpec::WholeDays(n) => (n % 41) * bd,
            DurSpec::Any(m) => m % (40 * bd + 1),
        }
    }
}

fn dur_spec() -> impl Strategy<Value = DurSpec> {
    prop_oneof![
        1 => Just(DurSpec::Short(0)),
        3 => any::<u32>().prop_map(DurSpec::Short),
        3 => any::<u32>().prop_map(DurSpec::Days),
        1 => any::<u32>().prop_map(DurSpec::WholeDays),
        3 => any::<u32>().prop_map(DurSpec::Any),
    ]
}

fn cal_index() -> impl Strategy<Value = usize> {
    0..CALENDARS.len()
}

fn add_min(t: DateTime<Utc>, minutes: u32, cal: &Calendar) -> DateTime<Utc> {
    add(t, SlaDuration::minutes(minutes), cal).unwrap()
}

fn secs(minutes: u32) -> i64 {
    i64::from(minutes) * 60
}

// ---------------------------------------------------------------------------------------------
// The reference: working time read minute by minute from the windows and holidays.

/// Whether the minute starting at `m` is working time, from the calendar's definition alone.
/// (Every window edge, DST change and UTC offset in these zones is a whole minute, and starts
/// are whole minutes, so a minute is all working time or none of it.)
fn reference_working_minute(cal: &Calendar, m: DateTime<Utc>) -> bool {
    let local = m.with_timezone(&cal.zone()).naive_local();
    let date = local.date();
    if cal
        .holidays()
        .iter()
        .any(|h| h.from <= date && date <= h.to)
    {
        return false;
    }
    let minute = local.hour() * 60 + local.minute();
    windows(cal, date)
        .iter()
        .any(|&(s, e)| s <= minute && minute < e)
}

/// The reference's `add` over at most `limit` minutes of wall time: `Some(due)` if `minutes` of
/// working time elapse within it, with the working minutes counted at each wall minute.
fn reference_add(
    cal: &Calendar,
    start: DateTime<Utc>,
    minutes: u32,
    limit: i64,
) -> (Option<DateTime<Utc>>, Vec<u32>) {
    let mut counted = Vec::with_capacity(limit as usize + 1);
    let mut n = 0;
    counted.push(0);
    let mut due = (minutes == 0).then_some(start);
    for i in 0..limit {
        let m = start + Duration::minutes(i);
        if reference_working_minute(cal, m) {
            n += 1;
            if n == minutes && due.is_none() {
                due = Some(m + Duration::minutes(1));
            }
        }
        counted.push(n);
    }
    (due, counted)
}

// ---------------------------------------------------------------------------------------------
// Properties.

/// `cases` cases per property, scaled by `SLA_PROPTEST_SCALE` (e.g. `SLA_PROPTEST_SCALE=100
/// cargo test --release --test sla_properties` for a deeper search than CI's default).
fn config(cases: u32) -> ProptestConfig {
    let scale = std::env::var("SLA_PROPTEST_SCALE")
        .ok()
        .and_then(|s| s.parse::<u32>().ok())
        .unwrap_or(1);
    ProptestConfig {
        cases: cases.saturating_mul(scale.max(1)),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// `between(t, add(t, d)) == d` for every start, working or not: `between` counts only
    /// working time, and `add` stops as soon as `d` of it has elapsed. Also checked with starts
    /// that are not whole minutes, and for business days.
    #[test]
    fn between_undoes_add(
        ci in cal_index(), s in start_spec(), d in dur_spec(), sub_second in 0..60i64,
        bd in 0u32..=40,
    ) {
        let cal = &*CALENDARS[ci];
        let minutes = d.minutes(cal);
        for t in [s.resolve(cal), s.resolve(cal) + Duration::seconds(sub_second)] {
            let due = add_min(t, minutes, cal);
            prop_assert!(due >= t);
            prop_assert_eq!(
                between(t, due, cal).unwrap(), secs(minutes),
                "{}: {} + {}m = {}", cal.name(), show(cal, t), minutes, show(cal, due)
            );
            // The three ways of asking agree.
            prop_assert_eq!(add_seconds(t, secs(minutes), cal).unwrap(), due);
            let due_bd = add(t, SlaDuration::BusinessDays(bd), cal).unwrap();
            let bd_secs = i64::from(bd) * cal.business_day_secs();
            prop_assert_eq!(add_seconds(t, bd_secs, cal).unwrap(), due_bd);
            prop_assert_eq!(between(t, due_bd, cal).unwrap(), bd_secs);
        }
    }

    /// `add(t, a + b) == add(add(t, a), b)` for ALL starts and all a, b >= 0.
    ///
    /// Why no restriction is needed: `add(t, a)` is the earliest `r >= t` with
    /// `between(t, r) == a`. Every `x` with `between(t, x) == a + b` is at or after `r` (before
    /// `r` fewer than `a` seconds have elapsed), and for `x >= r`,
    /// `between(t, x) == a + between(r, x)`; so the earliest such `x` is `add(r, b)`. The edge
    /// cases the naive reading worries about are consistent with this: `add(t, 0) == t` even
    /// outside working time (it does not snap to the next window), so a = 0 makes both sides
    /// `add(t, b)`; and `add(t, a)` for a > 0 may be a window's close, from which `add(close, b)`
    /// with b > 0 jumps to the next window, as `add(t, a + b)` does. (A variant of `add` that
    /// snapped zero durations forward, or returned the next window's opening instead of the
    /// close, would break exactly those cases.)
    #[test]
    fn add_is_associative(ci in cal_index(), s in start_spec(), a in dur_spec(), b in dur_spec()) {
        let cal = &*CALENDARS[ci];
        let t = s.resolve(cal);
        let (a, b) = (a.minutes(cal), b.minutes(cal));
        let whole = add_min(t, a + b, cal);
        let mid = add_min(t, a, cal);
        let stepped = add_min(mid, b, cal);
        prop_assert_eq!(
            whole, stepped,
            "{}: {} + {}m + {}m: at once {}, via {}: {}",
            cal.name(), show(cal, t), a, b, show(cal, whole), show(cal, mid), show(cal, stepped)
        );
    }

    /// `t1 <= t2 => add(t1, d) <= add(t2, d)`.
    #[test]
    fn add_is_monotonic_in_start(
        ci in cal_index(), s1 in start_spec(), s2 in start_spec(), d in dur_spec(),
        near in 0..3 * 1440i64,
    ) {
        let cal = &*CALENDARS[ci];
        let minutes = d.minutes(cal);
        let t1 = s1.resolve(cal);
        // Far apart (two independent starts) and close together (within three days).
        for t2 in [s2.resolve(cal), t1 + Duration::minutes(near)] {
            let (lo, hi) = if t1 <= t2 { (t1, t2) } else { (t2, t1) };
            let (due_lo, due_hi) = (add_min(lo, minutes, cal), add_min(hi, minutes, cal));
            prop_assert!(
                due_lo <= due_hi,
                "{}: {} + {}m = {} but later {} + {}m = {}", cal.name(),
                show(cal, lo), minutes, show(cal, due_lo), show(cal, hi), minutes, show(cal, due_hi)
            );
        }
    }

    /// `d1 <= d2 => add(t, d1) <= add(t, d2)`.
    #[test]
    fn add_is_monotonic_in_duration(
        ci in cal_index(), s in start_spec(), d1 in dur_spec(), d2 in dur_spec(), step in 0u32..120,
    ) {
        let cal = &*CALENDARS[ci];
        let t = s.resolve(cal);
        let (a, b) = (d1.minutes(cal), d2.minutes(cal));
        for (lo, hi) in [(a.min(b), a.max(b)), (a, a + step)] {
            let (due_lo, due_hi) = (add_min(t, lo, cal), add_min(t, hi, cal));
            prop_assert!(
                due_lo <= due_hi,
                "{}: {} + {}m = {} > + {}m = {}",
                cal.name(), show(cal, t), lo, show(cal, due_lo), hi, show(cal, due_hi)
            );
        }
    }

    /// For d > 0 the due instant is inside a window or exactly at a window's close: the second
    /// before it is working time, and it is the earliest instant with d elapsed (one second
    /// earlier, d minus one second has). Working time never exceeds wall time.
    #[test]
    fn add_lands_in_working_time(ci in cal_index(), s in start_spec(), d in dur_spec()) {
        let cal = &*CALENDARS[ci];
        let t = s.resolve(cal);
        let minutes = d.minutes(cal).max(1);
        let due = add_min(t, minutes, cal);
        let before = due - Duration::seconds(1);
        prop_assert_eq!(
            between(before, due, cal).unwrap(), 1,
            "{}: {} + {}m = {}, whose previous second is not working time",
            cal.name(), show(cal, t), minutes, show(cal, due)
        );
        prop_assert_eq!(between(t, before, cal).unwrap(), secs(minutes) - 1);
        prop_assert!((due - t).num_seconds() >= secs(minutes));
    }

    /// The same algebra at one-second resolution (`add_seconds` with durations and starts that
    /// are not whole minutes), so nothing relies on minute alignment.
    #[test]
    fn second_resolution_algebra(
        ci in cal_index(), s in start_spec(), offset in 0..3600i64,
        a in 0..3 * 86_400i64, b in 0..86_400i64,
    ) {
        let cal = &*CALENDARS[ci];
        let t = s.resolve(cal) + Duration::seconds(offset);
        let mid = add_seconds(t, a, cal).unwrap();
        let whole = add_seconds(t, a + b, cal).unwrap();
        prop_assert_eq!(between(t, mid, cal).unwrap(), a);
        prop_assert_eq!(between(t, whole, cal).unwrap(), a + b);
        prop_assert_eq!(add_seconds(mid, b, cal).unwrap(), whole);
        prop_assert!(mid <= whole);
        if a > 0 {
            prop_assert_eq!(between(mid - Duration::seconds(1), mid, cal).unwrap(), 1);
        }
    }

    /// `between` is antisymmetric, zero on an empty span, at most the wall time, and additive
    /// over any three instants in any order.
    #[test]
    fn between_is_antisymmetric_and_additive(
        ci in cal_index(), a in start_spec(), b in start_spec(), c in start_spec(),
        near in 0..2 * 1440i64,
    ) {
        let cal = &*CALENDARS[ci];
        let (a, b) = (a.resolve(cal), b.resolve(cal));
        // One far point and one close to `a`, so both long and same-day spans are covered.
        for c in [c.resolve(cal), a + Duration::minutes(near) - Duration::hours(12)] {
            let ab = between(a, b, cal).unwrap();
            let bc = between(b, c, cal).unwrap();
            let ac = between(a, c, cal).unwrap();
            prop_assert_eq!(between(b, a, cal).unwrap(), -ab);
            prop_assert_eq!(between(a, a, cal).unwrap(), 0);
            prop_assert_eq!(
                ac, ab + bc,
                "{}: a {} b {} c {}", cal.name(), show(cal, a), show(cal, b), show(cal, c)
            );
            let (lo, hi) = if a <= c { (a, c) } else { (c, a) };
            let w = between(lo, hi, cal).unwrap();
            prop_assert!(0 <= w && w <= (hi - lo).num_seconds());
        }
    }
}

proptest! {
    // The reference walks up to three days minute by minute (about 1 ms a case in a debug build).
    #![proptest_config(config(256))]

    /// `add` and `between` agree with the minute-walking reference over three days of wall time.
    #[test]
    fn matches_a_minute_walking_reference(
        ci in cal_index(), s in start_spec(),
        d in prop_oneof![1 => Just(0u32), 4 => 1u32..=240, 3 => 1u32..=1440],
        probe in 0..3 * 1440usize,
    ) {
        let cal = &*CALENDARS[ci];
        let t = s.resolve(cal);
        const LIMIT: i64 = 3 * 1440;
        let (want, counted) = reference_add(cal, t, d, LIMIT);
        let got = add_min(t, d, cal);
        match want {
            Some(want) => prop_assert_eq!(
                got, want,
                "{}: {} + {}m: engine {}, reference {}",
                cal.name(), show(cal, t), d, show(cal, got), show(cal, want)
            ),
            None => prop_assert!(
                got > t + Duration::minutes(LIMIT),
                "{}: {} + {}m: engine {}, reference: not within 3 days",
                cal.name(), show(cal, t), d, show(cal, got)
            ),
        }
        for i in [probe, counted.len() - 1] {
            let end = t + Duration::minutes(i as i64);
            prop_assert_eq!(
                between(t, end, cal).unwrap(), secs(counted[i]),
                "{}: between {} and {}", cal.name(), show(cal, t), show(cal, end)
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Fixed cases for the custom calendars' edges (the properties above find these only by luck).

#[test]
fn ny_sunday_window_shrinks_and_grows_with_dst() {
    let ny = calendar("ny-sunday-night");
    // Spring forward, Sunday 2026-03-08: 00:00-03:00 EST/EDT is two real hours.
    let (from, to) = (
        utc("2026-03-08T00:00:00-05:00"),
        utc("2026-03-08T03:00:00-04:00"),
    );
    assert_eq!((to - from).num_hours(), 2);
    assert_eq!(between(from, to, &ny).unwrap(), 2 * 3600);
    // Saturday 23:00 + 3h: one hour on Saturday, two on the short Sunday window.
    let due = add(utc("2026-03-07T23:00:00-05:00"), SlaDuration::hours(3), &ny).unwrap();
    assert_eq!(due, to);
    // Fall back, Sunday 2026-11-01: 00:00 EDT to 03:00 EST is four real hours, all working.
    let (from, to) = (
        utc("2026-11-01T00:00:00-04:00"),
        utc("2026-11-01T03:00:00-05:00"),
    );
    assert_eq!((to - from).num_hours(), 4);
    assert_eq!(between(from, to, &ny).unwrap(), 4 * 3600);
    let due = add(utc("2026-10-31T23:30:00-04:00"), SlaDuration::hours(4), &ny).unwrap();
    assert_eq!(due, utc("2026-11-01T02:30:00-05:00"));
    // The repeated 01:00-02:00 counts twice.
    assert_eq!(
        between(
            utc("2026-11-01T01:00:00-04:00"),
            utc("2026-11-01T02:00:00-05:00"),
            &ny
        )
        .unwrap(),
        2 * 3600
    );
}

#[test]
fn window_ending_at_midnight_runs_on_into_the_next_day() {
    let night = calendar("overnight");
    // Monday 2026-11-16 18:00 IST + 12h = Tuesday 06:00, with no gap at midnight.
    let start = utc("2026-11-16T18:00:00+05:30");
    let due = add(start, SlaDuration::hours(12), &night).unwrap();
    assert_eq!(due, utc("2026-11-17T06:00:00+05:30"));
    // Exactly 6h ends at the 24:00 close, not at the next window's start.
    let due = add(start, SlaDuration::hours(6), &night).unwrap();
    assert_eq!(due, utc("2026-11-17T00:00:00+05:30"));
    assert_eq!(
        between(
            utc("2026-11-16T23:59:00+05:30"),
            utc("2026-11-17T00:01:00+05:30"),
            &night
        )
        .unwrap(),
        120
    );
    // One business day (12h) from Friday 18:00 ends Saturday 06:00.
    let due = add(
        utc("2026-11-20T18:00:00+05:30"),
        SlaDuration::BusinessDays(1),
        &night,
    )
    .unwrap();
    assert_eq!(due, utc("2026-11-21T06:00:00+05:30"));
}

#[test]
fn santiago_days_that_start_at_one_or_repeat_an_hour() {
    let cl = calendar("santiago-midnight");
    // 2025-09-07: clocks go from Saturday 24:00 (-04) to Sunday 01:00 (-03). Saturday's
    // 22:00-24:00 is two hours, Sunday's 00:00-02:00 only one (01:00-02:00).
    let sat = utc("2025-09-06T22:00:00-04:00");
    let sun_end = utc("2025-09-07T02:00:00-03:00");
    assert_eq!(between(sat, sun_end, &cl).unwrap(), 3 * 3600);
    assert_eq!(
        add(sat, SlaDuration::hours(3), &cl).unwrap(),
        sun_end,
        "22:00 Saturday + 3h"
    );
    // 2025-04-06: Sunday 00:00 (-03) becomes Saturday 23:00 (-04). Saturday's window holds
    // 22:00-24:00 -03 and 23:00-24:00 -04: three hours; then Sunday 00:00-02:00 -04.
    let sat = utc("2025-04-05T22:00:00-03:00");
    assert_eq!(
        between(sat, utc("2025-04-06T00:00:00-04:00"), &cl).unwrap(),
        3 * 3600
    );
    assert_eq!(
        add(sat, SlaDuration::hours(5), &cl).unwrap(),
        utc("2025-04-06T02:00:00-04:00")
    );
}

#[test]
fn split_shift_skips_lunch_and_holiday_ranges() {
    let split = calendar("split-shift");
    // Wednesday 2026-11-18 11:30 CET + 1h: 30 minutes before lunch, 30 after.
    let due = add(
        utc("2026-11-18T11:30:00+01:00"),
        SlaDuration::hours(1),
        &split,
    )
    .unwrap();
    assert_eq!(due, utc("2026-11-18T13:30:00+01:00"));
    // Wednesday 2026-12-23 17:00 + 2h: the winter break runs to Friday Jan 1, then Saturday
    // 10:00-14:00 on Jan 2 2027.
    let due = add(
        utc("2026-12-23T17:00:00+01:00"),
        SlaDuration::hours(2),
        &split,
    )
    .unwrap();
    assert_eq!(due, utc("2027-01-02T11:00:00+01:00"));
    // 1bd is the declared 8h, not the 9h of the longest day.
    assert_eq!(split.business_day_secs(), 8 * 3600);
}

/// The reference itself must be right for the fixed cases above, or it proves nothing.
#[test]
fn reference_agrees_with_the_fixed_cases() {
    let ny = calendar("ny-sunday-night");
    let t = utc("2026-10-31T23:30:00-04:00");
    let (due, _) = reference_add(&ny, t, 4 * 60, 3 * 1440);
    assert_eq!(due, Some(utc("2026-11-01T02:30:00-05:00")));
    let cl = calendar("santiago-midnight");
    let t = utc("2025-09-06T22:00:00-04:00");
    let (due, _) = reference_add(&cl, t, 3 * 60, 3 * 1440);
    assert_eq!(due, Some(utc("2025-09-07T02:00:00-03:00")));
    let jp = calendar("jp-business");
    let t = utc("2026-11-20T16:30:00+09:00");
    let (due, _) = reference_add(&jp, t, 60, 5 * 1440);
    assert_eq!(due, Some(utc("2026-11-24T09:30:00+09:00")));
}

/// The clocks' one rule for the due instant (issue 13 item 14), over creation instants on the
/// business calendar and the tiers, channels and priorities: at its due a first response still
/// runs; a case resolved exactly then is stopped, not breached (by 0 s), however long after it
/// is looked at; resolved a second later it is breached.
mod due_instant {
    use super::*;
    use casedesk::domain::{Channel, ContractTier, Priority, Status};
    use casedesk::sla::{
        CaseEvent, CaseHistory, ClockKind, ClockReport, ClockState, Policies, TimedEvent, compute,
    };

    fn first_response(history: &CaseHistory, now: DateTime<Utc>) -> (ClockState, ClockReport) {
        let r = compute(history, now, &Policies::builtin(), &Calendars::builtin())
            .expect("clocks compute");
        let state = r
            .clocks
            .iter()
            .find(|c| c.kind == ClockKind::FirstResponse)
            .map(|c| c.state)
            .expect("a first-response clock");
        (state, r)
    }

    fn resolved_at(history: &CaseHistory, at: DateTime<Utc>) -> CaseHistory {
        let mut h = history.clone();
        h.events.push(TimedEvent {
            at,
            event: CaseEvent::StatusChanged {
                to: Status::Resolved,
            },
        });
        h
    }

    proptest! {
        #![proptest_config(config(256))]
        #[test]
        fn breached_only_strictly_after_the_due(
            minute in 0i64..(2 * 366 * 1440),
            tier in prop::sample::select(vec![
                ContractTier::Standard, ContractTier::Premium, ContractTier::TacCare,
                ContractTier::TacAdvanced, ContractTier::TacPremium,
            ]),
            channel in prop::sample::select(vec![Channel::Phone, Channel::Web]),
            priority in prop::sample::select(vec![Priority::P1, Priority::P2, Priority::P3, Priority::P4]),
            later in 0i64..(30 * 86_400),
        ) {
            let created = utc("2026-01-01T00:00:00+09:00") + Duration::minutes(minute);
            let history = CaseHistory {
                created_at: created,
                priority,
                tier,
                channel,
                calendar: None,
                events: Vec::new(),
            };
            let (_, r) = first_response(&history, created);
            let due = r.clocks[0].due.expect("a running first response has a due");
            prop_assert_eq!(first_response(&history, due).0, ClockState::Running);
            let calendars = Calendars::builtin();
            prop_assert!(!r.at(due, &calendars).desk_breached());

            let on_time = resolved_at(&history, due);
            let (state, _) = first_response(&on_time, due + Duration::seconds(later));
            prop_assert_eq!(state, ClockState::Stopped);

            let late = resolved_at(&history, due + Duration::seconds(1));
            let (state, _) = first_response(&late, due + Duration::seconds(1 + later));
            prop_assert_eq!(state, ClockState::Breached);
        }
    }
}
