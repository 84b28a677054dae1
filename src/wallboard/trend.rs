//! The trend page's figures (`GET /v1/stats/trend`): each clock's attainment this week against
//! last, in tenths of a percent so that what is drawn, compared and judged against the target
//! is the same number, and the 14 days of breaches as bar heights. Pure.

use crate::api::reports::{ReportClock, SlaRow, Trend};

/// Why the trend page has no figures to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendGap {
    /// The backend computes no reports (Request Tracker).
    NotOnBackend,
    /// Never fetched, and the server cannot be reached.
    NotCached,
    /// The server did not give them (one without the endpoint, or an error).
    Failed,
}

/// The clocks the page shows, in its order: the customer's first answer, then the updates.
pub const SHOWN: [ReportClock; 2] = [ReportClock::FirstResponse, ReportClock::NextUpdate];

/// One week of one clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Week {
    /// Met in time.
    pub met: u64,
    /// Breached.
    pub breached: u64,
    /// Attainment in tenths of a percent (`875` is 87.5 %), none when nothing was decided.
    pub tenths: Option<u64>,
}

impl Week {
    /// A week from its row.
    pub fn of(row: &SlaRow) -> Week {
        let attainment = row
            .attainment
            .or_else(|| SlaRow::attainment_of(row.met, row.breached));
        Week {
            met: row.met,
            breached: row.breached,
            tenths: attainment.map(|a| tenths(a, row.breached)),
        }
    }
}

/// `attainment` (a fraction) in tenths of a percent. Never 100.0 % with a breach: 1,999 met of
/// 2,000 is 99.95 %, which must not read as perfect.
pub fn tenths(attainment: f64, breached: u64) -> u64 {
    let t = (attainment.clamp(0.0, 1.0) * 1000.0).round() as u64;
    if breached > 0 { t.min(999) } else { t }
}

/// `tenths` as the big figure: whole percent, rounded down (`87%`, never up to the target).
pub fn whole_percent(tenths: u64) -> String {
    format!("{}%", tenths / 10)
}

/// `tenths` as words: `87.5%`.
pub fn percent(tenths: u64) -> String {
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// This week against last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Higher, by so many tenths of a point.
    Better(u64),
    /// Lower, by so many tenths of a point.
    Worse(u64),
    /// The same to a tenth.
    Same,
    /// One of the weeks decided nothing.
    Unknown,
}

impl Change {
    /// How `this` week compares with `last`.
    pub fn of(this: Option<u64>, last: Option<u64>) -> Change {
        match (this, last) {
            (Some(a), Some(b)) if a > b => Change::Better(a - b),
            (Some(a), Some(b)) if a < b => Change::Worse(b - a),
            (Some(_), Some(_)) => Change::Same,
            _ => Change::Unknown,
        }
    }
}

/// One clock on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockTrend {
    /// Which clock.
    pub clock: ReportClock,
    /// The last 7 days, today included.
    pub this_week: Week,
    /// The 7 days before.
    pub last_week: Week,
    /// This week against last.
    pub change: Change,
}

/// The clocks of [`SHOWN`] that the trend holds, in that order.
pub fn clocks(trend: &Trend) -> Vec<ClockTrend> {
    SHOWN
        .iter()
        .filter_map(|kind| trend.clocks.iter().find(|c| c.clock == *kind))
        .map(|c| {
            let (this_week, last_week) = (Week::of(&c.this_week), Week::of(&c.last_week));
            ClockTrend {
                clock: c.clock,
                this_week,
                last_week,
                change: Change::of(this_week.tenths, last_week.tenths),
            }
        })
        .collect()
}

/// The target in tenths of a percent.
pub fn target_tenths(trend: &Trend) -> u64 {
    tenths(trend.target, 0)
}

/// Whether a week's attainment is under the target (a week that decided nothing is not).
pub fn below_target(week: &Week, target_tenths: u64) -> bool {
    week.tenths.is_some_and(|t| t < target_tenths)
}

/// A bar's height in eighths of a row, for `value` of `max` over `rows` rows: a day with a
/// breach always shows at least an eighth, a day without none.
pub fn eighths(value: u64, max: u64, rows: u16) -> u32 {
    if value == 0 || max == 0 {
        return 0;
    }
    let full = u64::from(rows) * 8;
    (value.min(max) * full).div_ceil(max).max(1) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(clock: ReportClock, met: u64, breached: u64) -> SlaRow {
        SlaRow {
            group: None,
            clock,
            met,
            breached,
            attainment: SlaRow::attainment_of(met, breached),
            running: 3,
        }
    }

    #[test]
    fn tenths_never_read_perfect_with_a_breach() {
        assert_eq!(tenths(0.875, 1), 875);
        assert_eq!(tenths(0.9995, 1), 999);
        assert_eq!(tenths(1.0, 0), 1000);
        assert_eq!(tenths(0.9496, 3), 950);
        assert_eq!(whole_percent(999), "99%");
        assert_eq!(whole_percent(1000), "100%");
        assert_eq!(percent(875), "87.5%");
        assert_eq!(percent(40), "4.0%");
    }

    #[test]
    fn weeks_compare_to_a_tenth() {
        assert_eq!(Change::of(Some(900), Some(875)), Change::Better(25));
        assert_eq!(Change::of(Some(850), Some(920)), Change::Worse(70));
        assert_eq!(Change::of(Some(900), Some(900)), Change::Same);
        assert_eq!(Change::of(None, Some(900)), Change::Unknown);
        assert_eq!(Change::of(Some(900), None), Change::Unknown);
    }

    #[test]
    fn the_shown_clocks_in_order_and_the_target() {
        let trend = Trend {
            at: chrono::Utc::now(),
            zone: "UTC".into(),
            target: 0.95,
            clocks: vec![
                crate::api::reports::TrendClock {
                    clock: ReportClock::RmaReturn,
                    this_week: row(ReportClock::RmaReturn, 1, 1),
                    last_week: row(ReportClock::RmaReturn, 1, 1),
                },
                crate::api::reports::TrendClock {
                    clock: ReportClock::NextUpdate,
                    this_week: row(ReportClock::NextUpdate, 0, 0),
                    last_week: row(ReportClock::NextUpdate, 9, 1),
                },
                crate::api::reports::TrendClock {
                    clock: ReportClock::FirstResponse,
                    this_week: row(ReportClock::FirstResponse, 171, 9),
                    last_week: row(ReportClock::FirstResponse, 19, 1),
                },
            ],
            breaches: Vec::new(),
        };
        let shown = clocks(&trend);
        assert_eq!(
            shown.iter().map(|c| c.clock).collect::<Vec<_>>(),
            SHOWN,
            "first response, then updates; no RMA return"
        );
        assert_eq!(shown[0].this_week.tenths, Some(950));
        assert_eq!(shown[0].change, Change::Same);
        assert_eq!(shown[1].this_week.tenths, None);
        assert_eq!(shown[1].change, Change::Unknown);
        let target = target_tenths(&trend);
        assert_eq!(target, 950);
        assert!(
            !below_target(&shown[0].this_week, target),
            "95.0% meets 95%"
        );
        assert!(below_target(&shown[1].last_week, target), "90.0% is under");
        assert!(
            !below_target(&shown[1].this_week, target),
            "nothing decided"
        );
    }

    #[test]
    fn bars_scale_to_the_largest_day() {
        assert_eq!(eighths(0, 12, 4), 0);
        assert_eq!(eighths(12, 12, 4), 32);
        assert_eq!(eighths(6, 12, 4), 16);
        assert_eq!(eighths(1, 200, 4), 1, "a breach always shows");
        assert_eq!(eighths(3, 0, 4), 0);
    }
}
