//! The terminal layer both full-screen apps stand on: taking over and restoring the terminal,
//! colour themes and how urgent a deadline looks. The TUI and the wallboard are two apps on it.

pub mod terminal;
pub mod theme;
pub mod urgency;
