//! The SLA engine: calendars, durations, business-time arithmetic, policies and clocks.
//!
//! Pure: no I/O beyond parsing text handed in. The server owns the truth of every clock; the
//! client runs the same code on cached policies so countdowns keep ticking offline.

mod builtin;
pub mod calendar;
pub mod duration;
pub mod worktime;

pub use calendar::{Calendar, CalendarError, Calendars, Holiday, Window};
pub use duration::{DurationError, SlaDuration, format_span};
pub use worktime::{OutOfRange, add, add_seconds, between};
