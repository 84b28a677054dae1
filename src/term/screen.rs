//! The screen both full-screen apps draw on: taking the terminal over with a buffered backend,
//! and a frame writer that writes a frame only when it differs from the last one, wrapped in
//! synchronized output. An app says how it draws itself with [`Drawable`].

use std::io::{self, BufWriter, Stdout, Write};

use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Position;

use super::terminal::TerminalGuard;
use super::theme::Theme;

/// The terminal a full-screen app draws on: stdout behind a large buffer, so a frame leaves in
/// one write.
pub type Term = ratatui::Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Takes the terminal over (see [`TerminalGuard::enter`]) and starts from a clear screen.
/// Dropping the guard gives the terminal back; drop the terminal first.
pub fn enter(mouse: bool) -> io::Result<(TerminalGuard, Term)> {
    let guard = TerminalGuard::enter(mouse)?;
    let backend = CrosstermBackend::new(BufWriter::with_capacity(1 << 16, io::stdout()));
    let mut terminal = ratatui::Terminal::new(backend)?;
    clear_screen(&mut terminal)?;
    Ok((guard, terminal))
}

/// Clears the screen and forgets what was on it, so the next frame is drawn whole.
/// (`Terminal::clear` would ask the terminal where its cursor is, and not every terminal
/// answers; resizing to the same area clears without asking.)
pub fn clear_screen<W: Write>(
    terminal: &mut ratatui::Terminal<CrosstermBackend<W>>,
) -> io::Result<()> {
    let area = terminal.get_frame().area();
    terminal.resize(area)
}

/// An app as the screen draws it.
pub trait Drawable {
    /// What drawing learned that the app wants back (the TUI's layout; nothing for others).
    type Drawn;

    /// Draws the whole app into `buf` (laid out for `buf.area`); returns where the cursor
    /// shows, if anywhere, and what drawing learned.
    fn draw_into(&self, theme: &Theme, buf: &mut Buffer) -> (Option<Position>, Self::Drawn);
}

/// The last frame written, to write nothing when nothing changed.
#[derive(Debug, Default)]
pub struct Screen {
    last: Option<Buffer>,
    cursor: Option<Position>,
}

impl Screen {
    /// Forgets the last frame, so the next is written whole (after the terminal was lent out).
    pub fn forget(&mut self) {
        self.last = None;
    }

    /// Lays out and draws the app at the terminal's size; writes the frame (in synchronized
    /// output) only when it differs from the last one. Returns what drawing learned.
    pub fn draw<W: Write, D: Drawable>(
        &mut self,
        terminal: &mut ratatui::Terminal<CrosstermBackend<W>>,
        app: &D,
        theme: &Theme,
    ) -> io::Result<D::Drawn> {
        terminal.autoresize()?;
        let mut next = Buffer::empty(terminal.get_frame().area());
        let (cursor, drawn) = app.draw_into(theme, &mut next);
        self.present(terminal, next, cursor)?;
        Ok(drawn)
    }

    /// Writes a drawn frame when it differs from the last one (in synchronized output).
    /// Returns whether anything was written.
    pub fn present<W: Write>(
        &mut self,
        terminal: &mut ratatui::Terminal<CrosstermBackend<W>>,
        next: Buffer,
        cursor: Option<Position>,
    ) -> io::Result<bool> {
        if self.last.as_ref() == Some(&next) && self.cursor == cursor {
            return Ok(false);
        }
        crossterm::queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
        terminal.draw(|frame| {
            *frame.buffer_mut() = next.clone();
            if let Some(at) = cursor {
                frame.set_cursor_position(at);
            }
        })?;
        crossterm::queue!(terminal.backend_mut(), EndSynchronizedUpdate)?;
        terminal.backend_mut().flush()?;
        self.last = Some(next);
        self.cursor = cursor;
        Ok(true)
    }
}
