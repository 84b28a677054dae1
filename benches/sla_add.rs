//! Cost of `casedesk::sla::add` on the built-in calendars (see docs/PERFORMANCE.md).
//!
//! Groups:
//! - `sla_add/mix_100k`: 100,000 `add` calls per iteration over `24x7`, `jp-business` and
//!   `us-pacific-business` in turn, with deterministic pseudo-random starts spread over
//!   2025–2030 and durations from 15m to 30bd. Mean per call = time / 100,000.
//! - `sla_add/fixed/<calendar>/<1h|30bd>`: one fixed duration on one calendar, over 1,024
//!   pseudo-random starts per iteration. Mean per call = time / 1,024; their ratio shows that
//!   the cost follows the days touched, not the minutes crossed.
//! - `sla_add/cold/<calendar>/<1h|30bd>`: the first call on a freshly loaded calendar, which
//!   builds the per-year table it needs (the warm groups never pay this), mid-2027.
//! - `sla_add/cold/<calendar>/year-end/<1h|30bd>`: the same, starting at the end of 2027 so the
//!   deadline falls in 2028 and the first call builds two year tables.
//!
//! Every warm group runs after a pass over all its inputs, so the lazily built year tables
//! exist and the measurement is the steady state. Kept short for a 2-core machine:
//! `cargo bench --bench sla_add` takes about 1.5 minutes after the build.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use casedesk::sla::{Calendar, Calendars, SlaDuration, add};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

const CALENDARS: [&str; 3] = ["24x7", "jp-business", "us-pacific-business"];
const MIX_CALLS: usize = 100_000;
const FIXED_CALLS: usize = 1_024;

/// SplitMix64: a fixed, dependency-free sequence so every run measures the same inputs.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A start on a whole minute between 2025-01-01 and 2030-12-31 (UTC).
fn start(rng: &mut SplitMix) -> DateTime<Utc> {
    let first = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    const MINUTES: u64 = 2191 * 24 * 60;
    first + chrono::Duration::minutes(rng.below(MINUTES) as i64)
}

/// A duration from 15m to 30bd: half working minutes (15m..=8h, log-uniform-ish), half whole
/// business days (1..=30).
fn duration(rng: &mut SplitMix) -> SlaDuration {
    if rng.below(2) == 0 {
        // 15 * 2^(k/4) minutes for k in 0..=20: 15m, 18m, 21m, 25m, 30m, ... 8h.
        let k = rng.below(21) as f64;
        SlaDuration::minutes((15.0 * (k / 4.0).exp2()).round() as u32)
    } else {
        SlaDuration::BusinessDays(1 + rng.below(30) as u32)
    }
}

fn calendars() -> Vec<Arc<Calendar>> {
    let set = Calendars::builtin();
    CALENDARS.iter().map(|n| set.get(n).unwrap()).collect()
}

/// Runs every input once so the calendars' year tables are built before measuring.
fn warm(inputs: &[(usize, DateTime<Utc>, SlaDuration)], cals: &[Arc<Calendar>]) {
    for &(c, t, d) in inputs {
        black_box(add(t, d, &cals[c]).unwrap());
    }
}

fn bench_mix(c: &mut Criterion) {
    let cals = calendars();
    let mut rng = SplitMix(0x5EED_CA5E_DE5C_2025);
    let inputs: Vec<(usize, DateTime<Utc>, SlaDuration)> = (0..MIX_CALLS)
        .map(|i| (i % cals.len(), start(&mut rng), duration(&mut rng)))
        .collect();
    warm(&inputs, &cals);

    let mut group = c.benchmark_group("sla_add");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Elements(MIX_CALLS as u64));
    group.bench_function("mix_100k", |b| {
        b.iter(|| {
            for &(c, t, d) in &inputs {
                black_box(add(black_box(t), black_box(d), &cals[c]).unwrap());
            }
        })
    });
    group.finish();
}

fn bench_fixed(c: &mut Criterion) {
    let cals = calendars();
    let mut rng = SplitMix(0x0F1C_ED5E_ED00_0001);
    let starts: Vec<DateTime<Utc>> = (0..FIXED_CALLS).map(|_| start(&mut rng)).collect();

    let mut group = c.benchmark_group("sla_add/fixed");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements(FIXED_CALLS as u64));
    for (ci, cal) in cals.iter().enumerate() {
        for (label, d) in [
            ("1h", SlaDuration::hours(1)),
            ("30bd", SlaDuration::BusinessDays(30)),
        ] {
            let inputs: Vec<_> = starts.iter().map(|&t| (ci, t, d)).collect();
            warm(&inputs, &cals);
            group.bench_function(format!("{}/{label}", cal.name()), |b| {
                b.iter(|| {
                    for &t in &starts {
                        black_box(add(black_box(t), black_box(d), cal).unwrap());
                    }
                })
            });
        }
    }
    group.finish();
}

/// The cold cases on `cal`: `(label, start, duration)`. The mid-year ones build one year
/// table; the year-end ones start at 16:30 local on the calendar's last working day of 2027
/// (1h) or on 1 December 2027 (30bd), so the deadline lands in 2028 and the first call builds
/// both years' tables.
fn cold_cases(cal: &Calendar) -> [(&'static str, DateTime<Utc>, SlaDuration); 4] {
    let mid = Utc.with_ymd_and_hms(2027, 6, 15, 3, 30, 0).unwrap();
    let zone = cal.zone();
    let at_half_past_four = |date: NaiveDate| {
        zone.from_local_datetime(&date.and_hms_opt(16, 30, 0).unwrap())
            .unwrap()
            .with_timezone(&Utc)
    };
    let last_working_day = (0..14)
        .map(|back| NaiveDate::from_ymd_opt(2027, 12, 31).unwrap() - chrono::Days::new(back))
        .find(|d| {
            !cal.is_day_off(*d)
                && !cal
                    .windows(d.weekday().num_days_from_monday() as usize)
                    .is_empty()
        })
        .unwrap();
    [
        ("1h", mid, SlaDuration::hours(1)),
        ("30bd", mid, SlaDuration::BusinessDays(30)),
        (
            "year-end/1h",
            at_half_past_four(last_working_day),
            SlaDuration::hours(1),
        ),
        (
            "year-end/30bd",
            at_half_past_four(NaiveDate::from_ymd_opt(2027, 12, 1).unwrap()),
            SlaDuration::BusinessDays(30),
        ),
    ]
}

fn bench_cold(c: &mut Criterion) {
    // 24x7 is continuous (plain addition, no tables), so only the business calendars.
    let mut group = c.benchmark_group("sla_add/cold");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for name in &CALENDARS[1..] {
        let scratch = Calendars::builtin().get(name).unwrap();
        for (label, t, d) in cold_cases(&scratch) {
            // Guard the premise: a year-end case must end in the next local year, and only it.
            let due = add(t, d, &scratch).unwrap();
            let year = |i: DateTime<Utc>| i.with_timezone(&scratch.zone()).year();
            assert_eq!(
                label.starts_with("year-end"),
                year(due) > year(t),
                "{name}/{label}: {t} + {d:?} = {due}"
            );
            group.bench_function(format!("{name}/{label}"), |b| {
                b.iter_batched(
                    // A freshly loaded calendar, its year tables not yet built (not timed).
                    || Calendars::builtin().get(name).unwrap(),
                    // Returned, so the calendar is dropped outside the timing.
                    |cal| (add(black_box(t), black_box(d), &cal).unwrap(), cal),
                    BatchSize::PerIteration,
                )
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_mix, bench_fixed, bench_cold);
criterion_main!(benches);
