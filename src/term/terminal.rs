//! Taking over the terminal and giving it back. Whatever ends the TUI — quit, an error, a
//! panic, SIGTERM or SIGHUP — the terminal is put back in cooked mode on the main screen with
//! the cursor shown. Restoring is idempotent, so the paths that race to it cannot do it twice.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Once, OnceLock};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// Whether the terminal is ours now.
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Whether mouse reporting was turned on.
static MOUSE: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();
/// What the panic hook does before the process ends (the TUI saves the note being typed).
static ON_PANIC: OnceLock<fn()> = OnceLock::new();

/// Sets what the panic hook does after giving the terminal back, before the process ends;
/// the first call wins.
pub fn on_panic(last_words: fn()) {
    let _ = ON_PANIC.set(last_words);
}

/// Holds the terminal; dropping it gives the terminal back.
#[derive(Debug)]
pub struct TerminalGuard(());

impl TerminalGuard {
    /// Raw mode, the alternate screen, bracketed paste, the cursor hidden, and mouse reporting
    /// if asked for. A panic hook restores the terminal before the panic is printed, and ends
    /// the process.
    pub fn enter(mouse: bool) -> io::Result<TerminalGuard> {
        HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                let ours = ACTIVE.load(Ordering::SeqCst);
                restore();
                if ours && let Some(last_words) = ON_PANIC.get() {
                    last_words();
                }
                previous(info);
                // A panic on any thread (a background task's too) ends the TUI: drawing on
                // over a restored terminal would leave it in a mess.
                if ours {
                    std::process::exit(101);
                }
            }));
        });
        take_over(mouse)?;
        Ok(TerminalGuard(()))
    }

    /// Gives the terminal back for a while (to run `$EDITOR`), then takes it again.
    pub fn suspended<T>(&self, f: impl FnOnce() -> T) -> io::Result<T> {
        let mouse = MOUSE.load(Ordering::SeqCst);
        restore();
        let result = f();
        take_over(mouse)?;
        Ok(result)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

fn take_over(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    MOUSE.store(mouse, Ordering::SeqCst);
    let mut out = io::stdout();
    execute!(out, EnterAlternateScreen, EnableBracketedPaste, Hide)?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

/// Puts the terminal back as it was; does nothing when it is not ours. Errors are ignored: on
/// SIGHUP the terminal may already be gone, and there is nobody left to tell.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    if MOUSE.swap(false, Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(out, DisableBracketedPaste, LeaveAlternateScreen, Show);
    let _ = out.flush();
    let _ = disable_raw_mode();
}

/// The OSC 52 sequence that asks the terminal to put `text` on the system clipboard. Terminals
/// pass it over SSH, and tmux with `set-clipboard on` passes it on to the outer terminal.
pub fn osc52(text: &str) -> String {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{encoded}\x07")
}

/// Writes `text` to the clipboard with [`osc52`], between frames.
pub fn copy_to_clipboard(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(osc52(text).as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::osc52;

    #[test]
    fn the_copy_sequence_is_osc_52_with_standard_base64() {
        assert_eq!(
            osc52("2026-1124-000101"),
            "\x1b]52;c;MjAyNi0xMTI0LTAwMDEwMQ==\x07"
        );
    }
}
