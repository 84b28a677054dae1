//! The real mail system of the mail tests (tests/fixtures/mail/start-mail.sh: Dovecot and an
//! SMTP front end on loopback), shared by the tests of one test binary, each of which uses
//! fresh addresses so no test sees another's mail.
//!
//! The tests run only when `CASEDESK_MAIL_TESTS=1` (CI sets it after
//! tests/fixtures/mail/install.sh); otherwise [`MailSystem::start`] says once, on the
//! terminal, how to run them and returns `None`. With the variable set, a mail system that
//! does not start fails the test: CI must not pass by skipping.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Once, OnceLock};
use std::time::{Duration, Instant};

/// The variable that turns the mail tests on.
pub const ENABLE: &str = "CASEDESK_MAIL_TESTS";
/// The variable naming a file that gets one line per mail test run (CI checks it is not empty).
pub const RAN: &str = "CASEDESK_MAIL_RAN";
/// The domain every fixture address is in.
pub const DOMAIN: &str = "example.test";
/// How long a mail may take to arrive or a case to react (the CI machine is loaded).
pub const MAIL_WAIT: Duration = Duration::from_secs(30);

static SKIP_NOTICE: Once = Once::new();
static SHARED: OnceLock<Result<Arc<Fixture>, String>> = OnceLock::new();
static ADDRESSES: AtomicUsize = AtomicUsize::new(0);

/// One running fixture: its directory and what start-mail.sh reported.
struct Fixture {
    dir: PathBuf,
    imap_port: u16,
    smtp_port: u16,
    ca: PathBuf,
    password: String,
    password_file: PathBuf,
}

/// A handle on the test binary's mail system.
#[derive(Clone)]
pub struct MailSystem {
    fixture: Arc<Fixture>,
}

/// A test's own pair of addresses: the desk's mailbox and its customer.
#[derive(Debug, Clone)]
pub struct Addresses {
    /// `support-<test>-<n>@example.test`: the desk reads this mailbox and sends from it.
    pub desk: String,
    /// `customer-<test>-<n>@example.test`: the case's contact.
    pub customer: String,
}

/// A message found in a Maildir.
#[derive(Debug, Clone)]
pub struct Stored {
    /// The file it was read from.
    pub path: PathBuf,
    /// The bytes as stored (LF line ends).
    pub raw: Vec<u8>,
}

impl Stored {
    /// The raw header lines' value of `name` (first occurrence, unfolded, not decoded).
    pub fn header(&self, name: &str) -> Option<String> {
        headers(&self.raw)
            .into_iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// Every raw value of header `name`.
    pub fn headers(&self, name: &str) -> Vec<String> {
        headers(&self.raw)
            .into_iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
            .collect()
    }

    /// The decoded subject.
    pub fn subject(&self) -> String {
        self.parsed()
            .subject()
            .map(str::to_string)
            .unwrap_or_default()
    }

    /// The decoded text body (the first text part).
    pub fn text(&self) -> String {
        self.parsed()
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    }

    /// The Message-ID without angle brackets.
    pub fn message_id(&self) -> String {
        self.header("Message-ID")
            .map(|v| {
                v.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
            .unwrap_or_default()
    }

    fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(&self.raw)
            .unwrap_or_else(|| panic!("unparseable mail {}", self.path.display()))
    }
}

/// The header fields of a message, unfolded, in order.
fn headers(raw: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(raw);
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    out
}

fn fixture_script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mail")
        .join(name)
}

impl MailSystem {
    /// The mail system of this test binary, started by the first test that asks; `None` (after
    /// a notice on the terminal, once) when `CASEDESK_MAIL_TESTS` is not `1`. Panics with the
    /// reason when the variable is set and the mail system cannot start. Records the calling
    /// test in the file named by `CASEDESK_MAIL_RAN`.
    pub fn start() -> Option<MailSystem> {
        if std::env::var(ENABLE).as_deref() != Ok("1") {
            SKIP_NOTICE.call_once(|| {
                let name = super::suite::test_file();
                // Straight to the terminal: the test harness captures print!, not this.
                let _ = std::io::stderr().write_all(
                    format!(
                        "skipped: tests/{name}.rs needs a mail server; run: \
                         tests/fixtures/mail/install.sh && {ENABLE}=1 cargo test --test {name}\n"
                    )
                    .as_bytes(),
                );
            });
            return None;
        }
        let shared = SHARED.get_or_init(|| Fixture::start().map(Arc::new));
        let fixture = match shared {
            Ok(f) => f.clone(),
            Err(why) => panic!("{ENABLE}=1 but the mail system did not start: {why}"),
        };
        super::suite::record_run(RAN, "mail");
        Some(MailSystem { fixture })
    }

    /// The fixture's IMAP port (STARTTLS) on 127.0.0.1.
    pub fn imap_port(&self) -> u16 {
        self.fixture.imap_port
    }

    /// The fixture's SMTP port (STARTTLS offered, AUTH after it) on 127.0.0.1.
    pub fn smtp_port(&self) -> u16 {
        self.fixture.smtp_port
    }

    /// The run's CA certificate (PEM), which signs the servers' certificate.
    pub fn ca(&self) -> &Path {
        &self.fixture.ca
    }

    /// The password every address logs in with.
    pub fn password(&self) -> &str {
        &self.fixture.password
    }

    /// A file holding the password, mode 0600 (for `password_file`).
    pub fn password_file(&self) -> &Path {
        &self.fixture.password_file
    }

    /// Fresh addresses for one test (`what` names it; a counter keeps them unique).
    pub fn addresses(&self, what: &str) -> Addresses {
        let n = ADDRESSES.fetch_add(1, Ordering::SeqCst);
        let tag: String = what
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        Addresses {
            desk: format!("support-{tag}-{n}@{DOMAIN}"),
            customer: format!("customer-{tag}-{n}@{DOMAIN}"),
        }
    }

    /// The `[mail]` table for a desk reading and sending as `desk` (STARTTLS both ways, the
    /// run's CA, a 1 s poll), plus `extra` lines (e.g. `language = "en"`).
    pub fn config(&self, desk: &str, extra: &str) -> String {
        format!(
            "[mail]\n\
             from = \"Support <{desk}>\"\n\
             smtp = \"smtp://127.0.0.1:{smtp}\"\n\
             imap = \"imap://127.0.0.1:{imap}\"\n\
             user = \"{desk}\"\n\
             password_file = \"{pw}\"\n\
             ca_file = \"{ca}\"\n\
             poll = \"1s\"\n\
             {extra}\n",
            smtp = self.smtp_port(),
            imap = self.imap_port(),
            pw = self.password_file().display(),
            ca = self.ca().display(),
        )
    }

    /// The Maildir of `address`'s folder (`INBOX` or a folder name such as `Processed`).
    pub fn maildir(&self, address: &str, folder: &str) -> PathBuf {
        let (local, domain) = address.split_once('@').unwrap_or((address, DOMAIN));
        let base = self
            .fixture
            .dir
            .join("mail")
            .join(domain)
            .join(local.split('+').next().unwrap_or(local))
            .join("Maildir");
        if folder.eq_ignore_ascii_case("INBOX") {
            base
        } else {
            // Maildir++: a folder is a dot-directory beside new/ and cur/
            base.join(format!(".{folder}"))
        }
    }

    /// Every message now in `address`'s `folder` (new/ and cur/), oldest file first.
    pub fn messages(&self, address: &str, folder: &str) -> Vec<Stored> {
        let dir = self.maildir(address, folder);
        let mut found: Vec<(std::time::SystemTime, String, PathBuf)> = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let modified = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .unwrap_or(std::time::UNIX_EPOCH);
                let name = entry.file_name().to_string_lossy().into_owned();
                found.push((modified, name, path));
            }
        }
        found.sort();
        found
            .into_iter()
            .filter_map(|(_, _, path)| {
                // A message moved to cur/ between listing and reading is read on the next look.
                let raw = std::fs::read(&path).ok()?;
                Some(Stored { path, raw })
            })
            .collect()
    }

    /// Waits (at most [`MAIL_WAIT`]) until a message in `address`'s `folder` satisfies
    /// `matches`; panics with what is there when none does.
    pub fn wait_for(
        &self,
        address: &str,
        folder: &str,
        what: &str,
        matches: impl Fn(&Stored) -> bool,
    ) -> Stored {
        self.try_wait_for(address, folder, what, matches)
            .unwrap_or_else(|why| panic!("{why}"))
    }

    /// [`MailSystem::wait_for`], saying what is there instead of panicking.
    pub fn try_wait_for(
        &self,
        address: &str,
        folder: &str,
        what: &str,
        matches: impl Fn(&Stored) -> bool,
    ) -> Result<Stored, String> {
        let deadline = Instant::now() + MAIL_WAIT;
        loop {
            let now = self.messages(address, folder);
            if let Some(found) = now.iter().find(|m| matches(m)) {
                return Ok(found.clone());
            }
            if Instant::now() > deadline {
                let subjects: Vec<String> = now.iter().map(Stored::subject).collect();
                return Err(format!(
                    "no {what} in {address}'s {folder} within {MAIL_WAIT:?}; there: {subjects:?}"
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for a message in `address`'s INBOX whose subject contains `needle`.
    pub fn wait_for_subject(&self, address: &str, needle: &str) -> Stored {
        self.wait_for(address, "INBOX", &format!("mail with {needle:?}"), |m| {
            m.subject().contains(needle)
        })
    }

    /// Sends `raw` (CRLF or LF lines) by SMTP from `from` to `to`, as a customer's mail server
    /// would (no TLS, no AUTH: loopback is accepted); panics unless every step is accepted.
    pub fn send(&self, from: &str, to: &[&str], raw: &[u8]) {
        if let Err(why) = smtp_send(self.smtp_port(), from, to, raw) {
            panic!("sending mail from {from} to {to:?}: {why}");
        }
    }
}

/// A minimal SMTP client: EHLO, MAIL, RCPT, DATA (dot-stuffed, CRLF), QUIT.
fn smtp_send(port: u16, from: &str, to: &[&str], raw: &[u8]) -> Result<(), String> {
    let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
    let mut writer = stream;
    let mut reply = |expect: u32| -> Result<(), String> {
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).map_err(|e| e.to_string())?;
            if line.len() < 4 {
                return Err(format!("short reply {line:?}"));
            }
            let code: u32 = line[..3].parse().map_err(|_| format!("reply {line:?}"))?;
            if line.as_bytes()[3] == b'-' {
                continue;
            }
            return if code == expect {
                Ok(())
            } else {
                Err(format!("expected {expect}, got {}", line.trim_end()))
            };
        }
    };
    let say =
        |w: &mut TcpStream, text: &str| w.write_all(text.as_bytes()).map_err(|e| e.to_string());
    reply(220)?;
    say(&mut writer, "EHLO customer.test\r\n")?;
    reply(250)?;
    say(&mut writer, &format!("MAIL FROM:<{from}>\r\n"))?;
    reply(250)?;
    for rcpt in to {
        say(&mut writer, &format!("RCPT TO:<{rcpt}>\r\n"))?;
        reply(250)?;
    }
    say(&mut writer, "DATA\r\n")?;
    reply(354)?;
    let mut data = Vec::with_capacity(raw.len() + 64);
    let text = raw.strip_suffix(b"\n").unwrap_or(raw);
    for line in text.split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.first() == Some(&b'.') {
            data.push(b'.');
        }
        data.extend_from_slice(line);
        data.extend_from_slice(b"\r\n");
    }
    data.extend_from_slice(b".\r\n");
    writer.write_all(&data).map_err(|e| e.to_string())?;
    reply(250)?;
    say(&mut writer, "QUIT\r\n")?;
    Ok(())
}

impl Fixture {
    /// Runs start-mail.sh in a fresh directory and arranges for the servers to stop when this
    /// test process ends (statics are never dropped, so a watcher process does it).
    fn start() -> Result<Fixture, String> {
        let dir = super::temp_dir("cd-mail");
        // Dovecot's socket paths are short: the script refuses a DIR over 60 characters.
        let dir = if dir.as_os_str().len() > 60 {
            let short = std::env::temp_dir().join(format!(
                "cd-mail-{}-{}",
                std::process::id(),
                ADDRESSES.load(Ordering::SeqCst)
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&short).map_err(|e| e.to_string())?;
            short
        } else {
            dir
        };
        let out = Command::new(fixture_script("start-mail.sh"))
            .arg(&dir)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run tests/fixtures/mail/start-mail.sh: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "tests/fixtures/mail/start-mail.sh {} failed ({}):\n{}",
                dir.display(),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        watch_and_stop(&dir);
        let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let fields: HashMap<&str, &str> = line
            .split_whitespace()
            .filter_map(|f| f.split_once('='))
            .collect();
        let port = |key: &str| -> Result<u16, String> {
            fields
                .get(key)
                .and_then(|v| v.rsplit(':').next())
                .and_then(|p| p.parse().ok())
                .ok_or_else(|| format!("no {key}=127.0.0.1:PORT in {line:?}"))
        };
        let imap_port = port("IMAP")?;
        let smtp_port = port("SMTP")?;
        let ca = PathBuf::from(
            fields
                .get("CA")
                .ok_or_else(|| format!("no CA= in {line:?}"))?,
        );
        let password = fields
            .get("PASS")
            .ok_or_else(|| format!("no PASS= in {line:?}"))?
            .to_string();
        let password_file = dir.join("password");
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(true)
            .write(true)
            .mode(0o600)
            .open(&password_file)
            .and_then(|mut f| f.write_all(format!("{password}\n").as_bytes()))
            .map_err(|e| format!("cannot write {}: {e}", password_file.display()))?;
        Ok(Fixture {
            dir,
            imap_port,
            smtp_port,
            ca,
            password,
            password_file,
        })
    }
}

/// Starts a watcher that, once this process has ended, stops the fixture in `dir` and removes
/// it (a crashed or aborted test run leaves no mail servers behind).
fn watch_and_stop(dir: &Path) {
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.2; done; \"$0\" stop \"$1\" >/dev/null 2>&1; rm -rf \"$1\"",
        pid = std::process::id()
    );
    let spawned = Command::new("setsid")
        .args(["sh", "-c", &script])
        .arg(fixture_script("start-mail.sh"))
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        let _ = Command::new(fixture_script("start-mail.sh"))
            .arg("stop")
            .arg(dir)
            .status();
        panic!("cannot start the mail fixture's watcher: {e}");
    }
}
