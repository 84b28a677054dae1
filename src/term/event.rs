//! What wakes a full-screen app besides its own work: the second tick, the signals that end
//! it, and the end of its background sync.

use std::io;
use std::time::Duration;

use chrono::Utc;
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc;

/// A tick at each wall-clock second, so countdowns change together and on time.
pub fn tick_stream() -> mpsc::Receiver<()> {
    let (tx, rx) = mpsc::channel(1);
    tokio::spawn(async move {
        loop {
            let into = Utc::now().timestamp_subsec_millis() as u64;
            tokio::time::sleep(Duration::from_millis(1000 - into.min(999))).await;
            if tx.send(()).await.is_err() {
                return;
            }
        }
    });
    rx
}

/// SIGTERM, SIGHUP and SIGINT: each ends the app (and so gives the terminal back).
pub struct Signals {
    term: Signal,
    hup: Signal,
    int: Signal,
}

impl Signals {
    /// Listens for the three, from now on.
    pub fn new() -> io::Result<Signals> {
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            hup: signal(SignalKind::hangup())?,
            int: signal(SignalKind::interrupt())?,
        })
    }

    /// Waits for any of them. Safe to cancel (as a `select!` branch does).
    pub async fn recv(&mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.hup.recv() => {}
            _ = self.int.recv() => {}
        }
    }
}

/// Stops the background sync, giving it a moment to finish a write.
pub async fn stop(stopping: impl std::future::Future<Output = ()>) {
    let _ = tokio::time::timeout(Duration::from_secs(2), stopping).await;
}
