//! The SLA engine: calendars, durations, business-time arithmetic, policies and clocks.
//!
//! Pure: no I/O beyond parsing text handed in. The server owns the truth of every clock; the
//! client runs the same code on cached policies so countdowns keep ticking offline.

mod builtin;
pub mod calendar;
pub mod clock;
pub mod due;
pub mod duration;
pub mod policy;
mod source;
pub mod span;
pub mod worktime;

pub use calendar::{
    Calendar, CalendarError, CalendarSpec, Calendars, Holiday, HolidaySpec, Window,
};
pub use clock::{
    CaseEvent, CaseHistory, Clock, ClockError, ClockKind, ClockReport, ClockState, PastInterval,
    TimedEvent, compute, past_due,
};
pub use duration::{DurationError, SlaDuration};
pub use policy::{Metric, Policies, PolicyError, Target, TargetCalendar};
pub use worktime::{OutOfRange, add, add_seconds, between};

pub(crate) use source::toml_error;
