//! When a deadline is "due soon": one window, and the two readings the screens need of it.
//!
//! - [`due_soon`]: due within the window and not yet breached. The wallboard's "due within
//!   1 hour" tile (the server's `/v1/stats`, [`due_soon_bounds`] in SQL) and the TUI's
//!   DUE SOON urgency (queue countdown column, SLA pane) read a deadline this way.
//! - [`breaching_or_due_within`]: breached, or due within a window of the view's own choosing.
//!   A saved view's `due_within` (`[tui.views.N]`) reads a deadline this way, so an overdue case
//!   stays in the view with the ones about to be.

use chrono::{DateTime, TimeDelta, Utc};

/// How close a deadline must be to be due soon, in seconds: one hour.
pub const DUE_SOON_SECS: i64 = 3600;

/// Due soon and not yet breached, from the wall-clock seconds left to the due: between 0 (at
/// the due instant a clock still runs, SPEC §2.6) and [`DUE_SOON_SECS`], both inclusive.
pub fn due_soon(remaining_secs: i64) -> bool {
    (0..=DUE_SOON_SECS).contains(&remaining_secs)
}

/// The first and last instant a not yet breached deadline may fall on to be due soon at `now`:
/// [`due_soon`] for a store that compares instants (the server's stats query).
pub fn due_soon_bounds(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    (now, now + TimeDelta::seconds(DUE_SOON_SECS))
}

/// Breached, or a next deadline within `window_secs` of `now`, past ones included.
pub fn breaching_or_due_within(
    breached: bool,
    next_due: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    window_secs: i64,
) -> bool {
    breached || next_due.is_some_and(|due| (due - now).num_seconds() <= window_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn due_soon_is_the_hour_up_to_the_due_instant() {
        assert!(!due_soon(-1), "past the due it is breached, not due soon");
        assert!(due_soon(0), "at the due instant a clock still runs");
        assert!(due_soon(59));
        assert!(due_soon(3600));
        assert!(!due_soon(3601));
    }

    #[test]
    fn the_bounds_hold_exactly_the_due_soon_instants() {
        let now = at("2026-11-24T05:00:00Z");
        let (first, last) = due_soon_bounds(now);
        for secs in [-3601, -1, 0, 1, 59, 3599, 3600, 3601, 86_400] {
            let due = now + TimeDelta::seconds(secs);
            assert_eq!(first <= due && due <= last, due_soon(secs), "{secs}");
        }
    }

    #[test]
    fn breaching_or_due_within_keeps_the_overdue_and_the_breached() {
        let now = at("2026-11-24T05:00:00Z");
        let due = |secs: i64| Some(now + TimeDelta::seconds(secs));
        assert!(breaching_or_due_within(false, due(-600), now, 3600));
        assert!(breaching_or_due_within(false, due(3600), now, 3600));
        assert!(!breaching_or_due_within(false, due(3601), now, 3600));
        assert!(breaching_or_due_within(true, None, now, 3600));
        assert!(breaching_or_due_within(true, due(86_400), now, 3600));
        assert!(!breaching_or_due_within(false, None, now, 3600));
    }
}
