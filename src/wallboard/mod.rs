//! The wallboard (SPEC §1): the desk on a TV, read-only, large type, for weeks without a touch.
//! It shares the TUI's sync, cache, themes and terminal handling; it has no write path.

pub mod app;
pub mod board;
pub mod digits;
pub mod keys;
pub mod runtime;
pub mod trend;
pub mod ui;
