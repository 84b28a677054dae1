//! The real binary in a pseudo-terminal: what it writes is read in the background into a
//! `vt100` screen (and kept raw, to look for sequences that must never be sent), and keys are
//! typed into it. Every wait polls the screen against a deadline and fails with the last
//! screen; the child is killed and its private home removed on drop.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, MasterPty, PtySize, SlavePty, native_pty_system};

/// What the terminal was asked to do besides drawing: titles, clipboard writes, bells.
#[derive(Debug, Default)]
pub struct Seen {
    /// Window titles set (OSC 0/2).
    pub titles: Vec<String>,
    /// Icon names set (OSC 0/1).
    pub icon_names: Vec<String>,
    /// Clipboard writes (OSC 52), as (selection, base64 data).
    pub clipboard: Vec<(String, String)>,
    /// Audible bells.
    pub bells: usize,
    /// OSC sequences vt100 does not know.
    pub other_osc: Vec<String>,
}

impl vt100::Callbacks for Seen {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }

    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.icon_names
            .push(String::from_utf8_lossy(name).into_owned());
    }

    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles
            .push(String::from_utf8_lossy(title).into_owned());
    }

    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, ty: &[u8], data: &[u8]) {
        self.clipboard.push((
            String::from_utf8_lossy(ty).into_owned(),
            String::from_utf8_lossy(data).into_owned(),
        ));
    }

    fn unhandled_osc(&mut self, _: &mut vt100::Screen, params: &[&[u8]]) {
        let parts: Vec<String> = params
            .iter()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect();
        self.other_osc.push(parts.join(";"));
    }
}

/// What the reader thread shares with the test.
struct Shared {
    parser: vt100::Parser<Seen>,
    raw: Vec<u8>,
    /// The master end read EOF or an error.
    closed: bool,
}

/// How a child is started in the terminal.
pub struct Spawn {
    /// The program.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
    /// The environment (nothing is inherited but `PATH`).
    pub env: Vec<(String, String)>,
    /// Columns.
    pub cols: u16,
    /// Rows.
    pub rows: u16,
}

/// A child in a pseudo-terminal.
pub struct Pty {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    slave: Option<Box<dyn SlavePty + Send>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    shared: Arc<Mutex<Shared>>,
    /// The child's private home (config and cache), removed on drop.
    pub home: Option<PathBuf>,
}

/// The environment of the TUI on a private home: its own config and cache directories, the
/// server and token from the environment, a known terminal, locale and zone.
pub fn tui_env(home: &std::path::Path, server: &str, token: &str) -> Vec<(String, String)> {
    let path = std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into());
    let home_s = home.display().to_string();
    [
        ("PATH", path),
        ("HOME", home_s.clone()),
        ("XDG_CONFIG_HOME", format!("{home_s}/config")),
        ("XDG_CACHE_HOME", format!("{home_s}/cache")),
        ("XDG_DATA_HOME", format!("{home_s}/data")),
        ("XDG_STATE_HOME", format!("{home_s}/state")),
        ("CASEDESK_SERVER", server.to_string()),
        ("CASEDESK_TOKEN", token.to_string()),
        ("TERM", "xterm-256color".into()),
        ("LANG", "C.UTF-8".into()),
        ("TZ", "UTC".into()),
        ("RUST_BACKTRACE", "1".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

impl Pty {
    /// `casedesk ARGS` on a fresh private home against `server` with `token`, 120×40.
    pub fn casedesk(server: &str, token: &str, args: &[&str]) -> Pty {
        Pty::casedesk_sized(server, token, args, 120, 40)
    }

    /// `casedesk ARGS` on a fresh private home, at a given size.
    pub fn casedesk_sized(server: &str, token: &str, args: &[&str], cols: u16, rows: u16) -> Pty {
        let home = super::temp_dir("casedesk-pty");
        let mut pty = Pty::spawn(Spawn {
            program: PathBuf::from(env!("CARGO_BIN_EXE_casedesk")),
            args: args.iter().map(|s| s.to_string()).collect(),
            env: tui_env(&home, server, token),
            cols,
            rows,
        });
        pty.home = Some(home);
        pty
    }

    /// Starts a program in a new pseudo-terminal.
    pub fn spawn(spec: Spawn) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: spec.rows,
                cols: spec.cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(&spec.program);
        cmd.args(&spec.args);
        cmd.env_clear();
        for (k, v) in &spec.env {
            cmd.env(k, v);
        }
        cmd.cwd(std::env::temp_dir());
        let child = pair
            .slave
            .spawn_command(cmd)
            .unwrap_or_else(|e| panic!("start {} in the pty: {e}", spec.program.display()));
        let reader = pair.master.try_clone_reader().expect("a pty reader");
        let writer = Arc::new(Mutex::new(pair.master.take_writer().expect("a pty writer")));
        let rows = NonZeroU16::new(spec.rows).expect("rows > 0");
        let cols = NonZeroU16::new(spec.cols).expect("cols > 0");
        let shared = Arc::new(Mutex::new(Shared {
            parser: vt100::Parser::new_with_callbacks(rows, cols, 0, Seen::default()),
            raw: Vec::new(),
            closed: false,
        }));
        {
            let shared = Arc::clone(&shared);
            let writer = Arc::clone(&writer);
            std::thread::spawn(move || read_loop(reader, shared, writer));
        }
        Pty {
            child,
            master: pair.master,
            slave: Some(pair.slave),
            writer,
            shared,
            home: None,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Types `text` (raw bytes: `\r` is Enter, `\x1b` Esc, `\x13` Ctrl-S).
    pub fn send(&self, text: &str) {
        self.send_bytes(text.as_bytes());
    }

    /// Writes bytes to the terminal's input.
    pub fn send_bytes(&self, bytes: &[u8]) {
        let mut w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        w.write_all(bytes).expect("write to the pty");
        w.flush().expect("flush the pty");
    }

    /// Types `text` one key at a time with a short pause, for keys that must not be read as
    /// one sequence (a lone Esc, then more keys).
    pub fn send_keys(&self, keys: &[&str]) {
        for k in keys {
            self.send(k);
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    /// The visible screen as text.
    pub fn screen(&self) -> String {
        self.lock().parser.screen().contents()
    }

    /// Runs `f` on the parsed screen.
    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(self.lock().parser.screen())
    }

    /// Runs `f` on what the terminal was asked to do besides drawing.
    pub fn with_seen<T>(&self, f: impl FnOnce(&Seen) -> T) -> T {
        f(self.lock().parser.callbacks())
    }

    /// Every byte the child wrote so far.
    pub fn raw(&self) -> Vec<u8> {
        self.lock().raw.clone()
    }

    /// Waits until the screen shows `text`; returns the screen. Panics with the last screen
    /// after `timeout`.
    #[track_caller]
    pub fn wait_for(&self, text: &str, timeout: Duration) -> String {
        self.wait_until(&format!("{text:?} on screen"), timeout, |s| {
            s.contents().contains(text)
        })
    }

    /// Waits until `check` holds on the screen; returns the screen's text. Panics with the
    /// last screen after `timeout`.
    #[track_caller]
    pub fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        mut check: impl FnMut(&vt100::Screen) -> bool,
    ) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            {
                let shared = self.lock();
                let screen = shared.parser.screen();
                if check(screen) {
                    if std::env::var_os("CASEDESK_PTY_TRACE").is_some() {
                        eprintln!("[pty] {what}:\n{}", framed(&screen.contents()));
                    }
                    return screen.contents();
                }
                if Instant::now() >= deadline {
                    let closed = if shared.closed {
                        " (the terminal was closed)"
                    } else {
                        ""
                    };
                    panic!(
                        "timed out after {timeout:?} waiting for {what}{closed}; the screen:\n{}",
                        framed(&screen.contents())
                    );
                }
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child's pid")
    }

    /// Sends a signal (`TERM`, `HUP`, …) to the child with `kill(1)`.
    pub fn signal(&self, name: &str) {
        let status = std::process::Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.pid().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name} {} failed", self.pid());
    }

    /// Whether the child has exited (without waiting).
    pub fn exited(&mut self) -> Option<portable_pty::ExitStatus> {
        self.child.try_wait().expect("poll the child")
    }

    /// Sends `keys`, waits for a successful exit, and checks the terminal was given back: the
    /// main screen, the cursor shown.
    #[track_caller]
    pub fn quit_restored(&mut self, keys: &str, timeout: Duration) {
        self.send(keys);
        let status = self.wait_exit(timeout);
        assert!(
            status.success(),
            "exit status {status}; the screen:\n{}",
            framed(&self.screen())
        );
        self.with_screen(|s| {
            assert!(!s.alternate_screen(), "back on the main screen");
            assert!(!s.hide_cursor(), "the cursor is shown again");
        });
    }

    /// Waits for the child to exit; panics with the screen after `timeout`.
    #[track_caller]
    pub fn wait_exit(&mut self, timeout: Duration) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.exited() {
                // Let the reader take the last bytes the child wrote.
                self.settle(Duration::from_millis(200));
                return status;
            }
            if Instant::now() >= deadline {
                panic!(
                    "the child did not exit within {timeout:?}; the screen:\n{}",
                    framed(&self.screen())
                );
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Waits until nothing new has been read for `quiet`.
    pub fn settle(&self, quiet: Duration) {
        let mut len = self.lock().raw.len();
        let mut since = Instant::now();
        let give_up = Instant::now() + Duration::from_secs(10);
        while since.elapsed() < quiet && Instant::now() < give_up {
            std::thread::sleep(Duration::from_millis(20));
            let now = self.lock().raw.len();
            if now != len {
                len = now;
                since = Instant::now();
            }
        }
    }

    /// The terminal's local mode flags as `termios` names (`ICANON`, `ECHO`, `ISIG`, …).
    pub fn local_flags(&self) -> Vec<String> {
        let termios = self.master.get_termios().expect("read the pty's termios");
        // `LocalFlags(ECHOKE | ECHOE | ECHOK | ECHO | … )`: the names set.
        let text = format!("{:?}", termios.local_flags);
        text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty() && *w != "LocalFlags")
            .map(str::to_string)
            .collect()
    }

    /// Starts another program on the same terminal after the first exited (the slave end is
    /// kept open for this), e.g. `stty -a`.
    pub fn spawn_again(&mut self, program: &str, args: &[&str]) {
        let slave = self.slave.as_ref().expect("the slave end is open");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env_clear();
        cmd.env(
            "PATH",
            std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into()),
        );
        cmd.env("LANG", "C.UTF-8");
        self.child = slave
            .spawn_command(cmd)
            .unwrap_or_else(|e| panic!("start {program} in the pty: {e}"));
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        // Closing the slave end ends the reader thread (EIO on the master).
        self.slave.take();
        if let Some(home) = self.home.take() {
            let _ = std::fs::remove_dir_all(home);
        }
    }
}

/// The screen in a box, so blank lines and trailing spaces are visible in a failure.
pub fn framed(screen: &str) -> String {
    let mut out = String::from("┌────────\n");
    for line in screen.lines() {
        out.push('│');
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("└────────");
    out
}

fn read_loop(
    mut reader: Box<dyn Read + Send>,
    shared: Arc<Mutex<Shared>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let mut s = shared.lock().unwrap_or_else(|e| e.into_inner());
        // Only windows ending in the new bytes: a request is answered once.
        let start = s.raw.len().saturating_sub(3);
        s.raw.extend_from_slice(&buf[..n]);
        // A real terminal answers a cursor position request; answer like one.
        let asked = s.raw[start..]
            .windows(4)
            .filter(|w| *w == b"\x1b[6n")
            .count();
        s.parser.process(&buf[..n]);
        if asked > 0 {
            let (row, col) = s.parser.screen().cursor_position();
            let answer = format!("\x1b[{};{}R", row + 1, col + 1);
            drop(s);
            if let Ok(mut w) = writer.lock() {
                for _ in 0..asked {
                    let _ = w.write_all(answer.as_bytes());
                }
                let _ = w.flush();
            }
        }
    }
    shared.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
}
