//! A fault proxy in front of a real `casedesk serve`, for the client's crash and reconnect
//! tests: it forwards every request to the server, and on demand withholds the answer to a
//! write after the server applied it (so the test can kill the client while it waits), plays
//! a server that cannot be reached, or cuts the open connections (an event stream included).
//!
//! It speaks just enough HTTP/1.1 to do that: one request per connection (`Connection: close`
//! is asked of the server, which says it back to the client), bodies by `Content-Length` or
//! chunked. It runs on its own thread and runtime, so a test may block on a child process
//! while the proxy keeps forwarding.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// The longest request head the proxy reads.
const MAX_HEAD: usize = 64 * 1024;

/// A running proxy; stops when dropped.
pub struct FaultProxy {
    /// `http://127.0.0.1:PORT`: point the client here.
    pub base: String,
    state: Arc<State>,
    lost: Mutex<mpsc::Receiver<String>>,
    stop: watch::Sender<bool>,
}

struct State {
    upstream: SocketAddr,
    /// Every connection is closed at once, as if nothing listened.
    down: AtomicBool,
    /// Writes (POST, PATCH, PUT, DELETE) forwarded since the proxy was armed.
    writes: AtomicUsize,
    /// The write whose answer is withheld (1-based, counted from arming); 0: none.
    lose: AtomicUsize,
    /// Told the request line of the write whose answer was withheld.
    lost: Mutex<mpsc::Sender<String>>,
    /// Bumped to close every open connection (held answers and event streams included).
    cut: watch::Sender<u64>,
}

impl FaultProxy {
    /// Starts a proxy for the server at `upstream` (`http://127.0.0.1:PORT`).
    pub fn start(upstream: &str) -> FaultProxy {
        let upstream: SocketAddr = upstream
            .strip_prefix("http://")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("the proxy forwards to http://IP:PORT, not {upstream}"));
        let (lost_tx, lost_rx) = mpsc::channel();
        let (cut, _) = watch::channel(0);
        let state = Arc::new(State {
            upstream,
            down: AtomicBool::new(false),
            writes: AtomicUsize::new(0),
            lose: AtomicUsize::new(0),
            lost: Mutex::new(lost_tx),
            cut,
        });
        let (stop, mut stop_rx) = watch::channel(false);
        let (addr_tx, addr_rx) = mpsc::channel();
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("the proxy's runtime");
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind the proxy");
                let addr = listener.local_addr().expect("the proxy's address");
                let _ = addr_tx.send(addr);
                loop {
                    tokio::select! {
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            tokio::spawn(serve(stream, Arc::clone(&shared)));
                        }
                        _ = stop_rx.changed() => break,
                    }
                }
            });
        });
        let addr: SocketAddr = addr_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("the proxy listens");
        FaultProxy {
            base: format!("http://{addr}"),
            state,
            lost: Mutex::new(lost_rx),
            stop,
        }
    }

    /// Plays an unreachable server: every connection is closed unanswered (open ones too).
    pub fn down(&self) {
        self.state.down.store(true, Ordering::SeqCst);
        self.cut();
    }

    /// Forwards again.
    pub fn up(&self) {
        self.state.down.store(false, Ordering::SeqCst);
    }

    /// From now on, the `n`-th write (1-based) reaches the server, which applies it, but its
    /// answer never reaches the client: the connection is held open until [`FaultProxy::cut`].
    pub fn lose_answer_to_write(&self, n: usize) {
        self.state.writes.store(0, Ordering::SeqCst);
        self.state.lose.store(n, Ordering::SeqCst);
    }

    /// Waits until the server applied the write whose answer is withheld; its request line.
    pub fn wait_lost(&self, wait: Duration) -> Option<String> {
        self.lost
            .lock()
            .expect("the proxy's channel")
            .recv_timeout(wait)
            .ok()
    }

    /// Closes every open connection: a held answer, a stream in progress.
    pub fn cut(&self) {
        self.state.cut.send_modify(|n| *n += 1);
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.cut();
        self.stop.send_replace(true);
    }
}

/// One client connection: one request, forwarded, and its answer (or not).
async fn serve(mut client: TcpStream, state: Arc<State>) {
    let mut cut = state.cut.subscribe();
    if state.down.load(Ordering::SeqCst) {
        return;
    }
    let Some((head, body)) = read_request(&mut client).await else {
        return;
    };
    if state.down.load(Ordering::SeqCst) {
        return;
    }
    let request_line = head.lines().next().unwrap_or_default().to_string();
    let method = request_line.split(' ').next().unwrap_or_default();
    let write = matches!(method, "POST" | "PATCH" | "PUT" | "DELETE");
    let Ok(mut server) = TcpStream::connect(state.upstream).await else {
        return;
    };
    if server
        .write_all(close_after(&head).as_bytes())
        .await
        .is_err()
        || server.write_all(&body).await.is_err()
    {
        return;
    }
    let lose = write && {
        let n = state.writes.fetch_add(1, Ordering::SeqCst) + 1;
        state.lose.load(Ordering::SeqCst) == n
    };
    if lose {
        // The whole answer, so the server has applied the write; the client gets none of it.
        let mut answer = Vec::new();
        let _ = server.read_to_end(&mut answer).await;
        let _ = state
            .lost
            .lock()
            .expect("the proxy's channel")
            .send(request_line);
        let _ = cut.changed().await;
        return;
    }
    tokio::select! {
        _ = tokio::io::copy(&mut server, &mut client) => {}
        _ = cut.changed() => {}
    }
}

/// Reads one request: its head (up to the blank line) and its body.
async fn read_request(client: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
        let n = client.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..end].to_vec()).ok()?;
    let mut body = buf[end..].to_vec();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_ascii_lowercase())
        })
    };
    if let Some(len) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        while body.len() < len {
            let n = client.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        while !body.ends_with(b"0\r\n\r\n") {
            let n = client.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    }
    Some((head, body))
}

/// The request head with `Connection: close` in place of any connection header, so the
/// server closes the connection after its answer and the proxy knows where the answer ends.
fn close_after(head: &str) -> String {
    let mut lines: Vec<&str> = head
        .trim_end_matches("\r\n")
        .split("\r\n")
        .filter(|l| {
            let name = l.split(':').next().unwrap_or_default().trim();
            !name.eq_ignore_ascii_case("connection") && !name.eq_ignore_ascii_case("keep-alive")
        })
        .collect();
    lines.push("Connection: close");
    format!("{}\r\n\r\n", lines.join("\r\n"))
}
