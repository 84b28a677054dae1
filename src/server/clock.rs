//! The server's "now": the system clock, or for tests a clock set to a chosen instant.
//!
//! Every instant the server acts at (a request's, the jobs') comes from the one [`Clock`] in its
//! state, so a test can put a whole server — requests, clocks and jobs alike — at a chosen time.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};

/// Where the server's "now" comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The system clock.
    #[default]
    System,
    /// The system clock moved by a fixed amount: it starts at a chosen instant and runs on.
    Shifted(TimeDelta),
    /// Always the same instant.
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// A clock that reads `start` now and runs on at the system clock's pace.
    pub fn starting_at(start: DateTime<Utc>) -> Clock {
        Clock::Shifted(start - Utc::now())
    }

    /// The current instant, to the millisecond the store keeps.
    pub fn now(&self) -> DateTime<Utc> {
        let now = match self {
            Clock::System => Utc::now(),
            Clock::Shifted(by) => Utc::now() + *by,
            Clock::Fixed(at) => *at,
        };
        now.trunc_subsecs(3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_started_at_an_instant_reads_it_and_runs_on() {
        let start: DateTime<Utc> = "2026-03-02T01:00:00Z".parse().unwrap();
        let clock = Clock::starting_at(start);
        let first = clock.now();
        assert!(first >= start, "{first}");
        assert!(first < start + TimeDelta::seconds(5), "{first}");
        assert!(clock.now() >= first, "it never runs backwards");
        assert_eq!(Clock::Fixed(start).now(), start);
    }
}
