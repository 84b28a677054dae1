//! The terminal layer both full-screen apps stand on: taking over and restoring the terminal,
//! the frame writer, keys, the tick and the signals, colour themes and how urgent a deadline
//! looks. The TUI and the wallboard are two apps on it.

pub mod event;
pub mod key;
pub mod label;
pub mod notify;
pub mod screen;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod urgency;

/// A failure that ends a full-screen app (the TUI or the wallboard).
#[derive(Debug, thiserror::Error)]
pub enum TermError {
    /// The terminal could not be used.
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
}
