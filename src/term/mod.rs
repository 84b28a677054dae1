//! The terminal layer both full-screen apps stand on: taking over and restoring the terminal,
//! the frame writer, keys, the tick and the signals, colour themes and how urgent a deadline
//! looks. The TUI and the wallboard are two apps on it.

pub mod event;
pub mod key;
pub mod screen;
pub mod terminal;
pub mod theme;
pub mod urgency;
