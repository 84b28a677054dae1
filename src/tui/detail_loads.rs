//! Loading the selected case's detail, latest wins: moving through the queue in the wide layout
//! asks for a detail load on every step, so at most one load runs and one waits — the newest;
//! a load asked for and overtaken before it started never runs (gitui's `AsyncSingleJob`), and
//! one overtaken while it waits on the server gives the fetch up.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{Notify, mpsc};

use super::app::Msg;
use crate::cache::CachedCase;
use crate::domain::CaseNumber;
use crate::sync::Desk;

/// A job's work: the job and a handle telling it whether a newer job is already waiting.
type Work<J> = dyn Fn(J, Superseded<J>) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync;

/// Folds a newly asked-for job into the one already waiting (by default the new one replaces it).
type Merge<J> = dyn Fn(J, J) -> J + Send + Sync;

/// Runs jobs one at a time on the tokio runtime; while one runs, only the newest request waits
/// and the older waiting one is dropped, so a burst of requests costs at most two runs.
pub struct SingleJob<J> {
    state: Arc<Mutex<Waiting<J>>>,
    /// Woken when a job is queued, for the running one to give way.
    newer: Arc<Notify>,
    work: Arc<Work<J>>,
    merge: Arc<Merge<J>>,
}

impl<J> Clone for SingleJob<J> {
    fn clone(&self) -> Self {
        SingleJob {
            state: Arc::clone(&self.state),
            newer: Arc::clone(&self.newer),
            work: Arc::clone(&self.work),
            merge: Arc::clone(&self.merge),
        }
    }
}

/// Whether a job runs, and the one that waits for it.
struct Waiting<J> {
    running: bool,
    queued: Option<J>,
}

/// Marks the worker stopped when its task ends without saying so (a job panicked), so that
/// later requests do not wait for ever behind it.
struct Worker<J> {
    state: Arc<Mutex<Waiting<J>>>,
    /// Stopped the ordinary way, under the lock: a newer worker may already run.
    done: bool,
}

impl<J> Drop for Worker<J> {
    fn drop(&mut self) {
        if !self.done {
            let mut waiting = lock(&self.state);
            waiting.running = false;
            waiting.queued = None;
        }
    }
}

/// Lets a running job ask whether it has been overtaken, to skip work nobody will see.
pub struct Superseded<J> {
    state: Arc<Mutex<Waiting<J>>>,
    newer: Arc<Notify>,
}

impl<J> Superseded<J> {
    /// True when a newer job waits to run after this one.
    pub fn now(&self) -> bool {
        lock(&self.state).queued.is_some()
    }

    /// Resolves once a newer job waits (at once if one already does).
    pub async fn wait(&self) {
        loop {
            let notified = self.newer.notified();
            tokio::pin!(notified);
            // Registered before looking, so a job queued in between is not missed.
            notified.as_mut().enable();
            if self.now() {
                return;
            }
            notified.await;
        }
    }
}

fn lock<J>(state: &Mutex<Waiting<J>>) -> std::sync::MutexGuard<'_, Waiting<J>> {
    // The state is two plain fields, consistent after any panic.
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<J: Send + 'static> SingleJob<J> {
    /// Runs `work` for each job that is not overtaken before it starts; a waiting job is
    /// replaced by a newer one.
    pub fn new<F, Fut>(work: F) -> SingleJob<J>
    where
        F: Fn(J, Superseded<J>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        SingleJob::merging(work, |_older, newer| newer)
    }

    /// As [`SingleJob::new`], with `merge(waiting, newer)` deciding what waits instead.
    pub fn merging<F, Fut>(work: F, merge: impl Fn(J, J) -> J + Send + Sync + 'static) -> Self
    where
        F: Fn(J, Superseded<J>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        SingleJob {
            state: Arc::new(Mutex::new(Waiting {
                running: false,
                queued: None,
            })),
            newer: Arc::new(Notify::new()),
            work: Arc::new(move |job, superseded| Box::pin(work(job, superseded))),
            merge: Arc::new(merge),
        }
    }

    /// Runs `job` now when nothing runs; otherwise it waits, in place of any job waiting.
    pub fn request(&self, job: J) {
        {
            let mut state = lock(&self.state);
            if state.running {
                state.queued = Some(match state.queued.take() {
                    Some(older) => (self.merge)(older, job),
                    None => job,
                });
                self.newer.notify_waiters();
                return;
            }
            state.running = true;
        }
        let state = Arc::clone(&self.state);
        let newer = Arc::clone(&self.newer);
        let work = Arc::clone(&self.work);
        tokio::spawn(async move {
            let mut worker = Worker {
                state: Arc::clone(&state),
                done: false,
            };
            let mut job = job;
            loop {
                let superseded = Superseded {
                    state: Arc::clone(&state),
                    newer: Arc::clone(&newer),
                };
                work(job, superseded).await;
                let mut waiting = lock(&state);
                match waiting.queued.take() {
                    Some(next) => job = next,
                    None => {
                        waiting.running = false;
                        worker.done = true;
                        return;
                    }
                }
            }
        });
    }
}

/// The selected case's detail, loaded latest-wins: the cached detail at once, then (when asked
/// for or stale, and only if no newer load waits) a fetch from the server.
pub struct DetailLoads {
    jobs: SingleJob<(CaseNumber, bool)>,
}

impl DetailLoads {
    /// Loads on `desk`, sending what it finds to the app through `tx`.
    pub fn new(desk: Desk, tx: mpsc::UnboundedSender<Msg>) -> DetailLoads {
        let jobs = SingleJob::merging(
            move |(number, fetch), superseded| {
                load(desk.clone(), tx.clone(), number, fetch, superseded)
            },
            keep_fetch,
        );
        DetailLoads { jobs }
    }

    /// Loads `number`'s detail, fetching it from the server when `fetch` (or when stale).
    pub fn request(&self, number: CaseNumber, fetch: bool) {
        self.jobs.request((number, fetch));
    }
}

/// What waits when `newer` is asked for while `older` waits: `newer`, fetching from the server
/// also when `older` was the same case with a fetch asked for.
fn keep_fetch<K: PartialEq>(
    (older, fetch_older): (K, bool),
    (newer, fetch_newer): (K, bool),
) -> (K, bool) {
    let fetch = fetch_newer || (older == newer && fetch_older);
    (newer, fetch)
}

/// A case's cached detail, as the detail panes take it.
pub(crate) fn cached_detail(desk: &Desk, number: &CaseNumber) -> Option<Box<CachedCase>> {
    desk.cache().detail(number).ok().flatten().map(Box::new)
}

/// One load: what was seen and the cached detail, then the server's when worth asking for.
async fn load(
    desk: Desk,
    tx: mpsc::UnboundedSender<Msg>,
    number: CaseNumber,
    fetch: bool,
    superseded: Superseded<(CaseNumber, bool)>,
) {
    let send = |msg: Msg| {
        let _ = tx.send(msg);
    };
    let cached = cached_detail(&desk, &number);
    let summary_version = desk
        .cache()
        .summary(&number)
        .ok()
        .flatten()
        .map(|s| s.version);
    let stale = match (&cached, summary_version) {
        (None, _) => true,
        (Some(c), Some(v)) => c.case.summary.version < v,
        _ => false,
    };
    let etag = cached.as_ref().and_then(|c| c.etag.clone());
    // What was seen before, ahead of the detail: its new entries are marked at once.
    if let Ok(seen) = desk.cache().seen(&number) {
        send(Msg::Seen(number, seen));
    }
    send(Msg::Detail(number, cached));
    // The selection has moved on: the case it moved to is loaded next instead.
    if superseded.now() {
        return;
    }
    if (fetch || stale) && desk.has_server() {
        // Given up when the selection moves on: an unreachable server is retried for seconds,
        // and the case moved to must not wait for that.
        let fetched = tokio::select! {
            fetched = desk.fetch_detail(&number, etag.as_deref()) => fetched,
            () = superseded.wait() => return,
        };
        match fetched {
            Ok(true) => send(Msg::Detail(number, cached_detail(&desk, &number))),
            Ok(false) => {}
            Err(e) if e.is_unreachable() => {}
            Err(e) => send(Msg::Said(Err(super::failure::Failure::Case(number, e)))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use tokio::sync::{Notify, mpsc};

    /// A job type whose runs are held until released, recording what started and finished.
    struct Probe {
        jobs: SingleJob<u32>,
        started: mpsc::UnboundedReceiver<u32>,
        finished: mpsc::UnboundedReceiver<u32>,
        release: Arc<Notify>,
    }

    fn probe() -> Probe {
        let (started_tx, started) = mpsc::unbounded_channel();
        let (finished_tx, finished) = mpsc::unbounded_channel();
        let release = Arc::new(Notify::new());
        let gate = Arc::clone(&release);
        let jobs = SingleJob::new(move |n: u32, _superseded| {
            let (started_tx, finished_tx, gate) =
                (started_tx.clone(), finished_tx.clone(), Arc::clone(&gate));
            async move {
                let _ = started_tx.send(n);
                gate.notified().await;
                let _ = finished_tx.send(n);
            }
        });
        Probe {
            jobs,
            started,
            finished,
            release,
        }
    }

    async fn next(rx: &mut mpsc::UnboundedReceiver<u32>) -> Option<u32> {
        tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .ok()
            .flatten()
    }

    async fn nothing_more(rx: &mut mpsc::UnboundedReceiver<u32>) -> bool {
        tokio::time::timeout(Duration::from_millis(100), rx.recv())
            .await
            .is_err()
    }

    #[tokio::test]
    async fn the_running_job_finishes_and_only_the_newest_waiting_one_runs_after_it() {
        let mut p = probe();
        p.jobs.request(1);
        assert_eq!(next(&mut p.started).await, Some(1));
        for n in 2..=10 {
            p.jobs.request(n);
        }
        // One runs, one waits: nothing else starts while the first is held.
        assert!(nothing_more(&mut p.started).await);
        p.release.notify_one();
        assert_eq!(next(&mut p.finished).await, Some(1));
        assert_eq!(next(&mut p.started).await, Some(10));
        p.release.notify_one();
        assert_eq!(next(&mut p.finished).await, Some(10));
        // 2 to 9 were overtaken while waiting and never ran.
        assert!(nothing_more(&mut p.started).await);
    }

    #[tokio::test]
    async fn a_request_when_idle_runs_at_once_and_again_after_the_last_finished() {
        let mut p = probe();
        p.jobs.request(1);
        assert_eq!(next(&mut p.started).await, Some(1));
        p.release.notify_one();
        assert_eq!(next(&mut p.finished).await, Some(1));
        p.jobs.request(2);
        assert_eq!(next(&mut p.started).await, Some(2));
        p.release.notify_one();
        assert_eq!(next(&mut p.finished).await, Some(2));
    }

    #[tokio::test]
    async fn a_job_that_panicked_does_not_hold_up_the_next() {
        let (tx, mut ran) = mpsc::unbounded_channel();
        let jobs = SingleJob::new(move |n: u32, _| {
            let tx = tx.clone();
            async move {
                assert!(n != 1, "job 1 fails");
                let _ = tx.send(n);
            }
        });
        jobs.request(1);
        // Let the failing job run and end.
        for _ in 0..100 {
            if !lock(&jobs.state).running {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        jobs.request(2);
        assert_eq!(next(&mut ran).await, Some(2));
    }

    #[tokio::test]
    async fn a_job_waiting_on_something_slow_gives_way_to_a_newer_one() {
        let (tx, mut ran) = mpsc::unbounded_channel();
        let jobs = SingleJob::new(move |n: u32, superseded: Superseded<u32>| {
            let tx = tx.clone();
            async move {
                if n == 1 {
                    // A fetch that would not end by itself.
                    tokio::select! {
                        () = std::future::pending::<()>() => {}
                        () = superseded.wait() => {}
                    }
                }
                let _ = tx.send(n);
            }
        });
        jobs.request(1);
        tokio::task::yield_now().await;
        jobs.request(2);
        assert_eq!(next(&mut ran).await, Some(1));
        assert_eq!(next(&mut ran).await, Some(2));
    }

    #[tokio::test]
    async fn a_running_job_sees_when_a_newer_one_waits() {
        let (tx, mut seen) = mpsc::unbounded_channel();
        let go = Arc::new(Notify::new());
        let gate = Arc::clone(&go);
        let jobs = SingleJob::new(move |n: u32, superseded: Superseded<u32>| {
            let (tx, gate) = (tx.clone(), Arc::clone(&gate));
            async move {
                if n == 1 {
                    gate.notified().await;
                }
                let _ = tx.send((n, superseded.now()));
            }
        });
        jobs.request(1);
        jobs.request(2);
        go.notify_one();
        let mut got = Vec::new();
        while let Ok(Some(x)) = tokio::time::timeout(Duration::from_secs(5), seen.recv()).await {
            got.push(x);
            if got.len() == 2 {
                break;
            }
        }
        assert_eq!(got, vec![(1, true), (2, false)]);
    }

    #[test]
    fn another_case_asked_for_drops_the_waiting_fetch() {
        assert_eq!(keep_fetch((7, true), (8, false)), (8, false));
        assert_eq!(keep_fetch((7, true), (7, false)), (7, true));
        assert_eq!(keep_fetch((7, false), (8, true)), (8, true));
    }

    #[tokio::test]
    async fn asking_again_for_the_waiting_case_keeps_its_fetch() {
        let (tx, mut ran) = mpsc::unbounded_channel();
        let go = Arc::new(Notify::new());
        let gate = Arc::clone(&go);
        let jobs = SingleJob::merging(
            move |job: (u32, bool), _| {
                let (tx, gate) = (tx.clone(), Arc::clone(&gate));
                async move {
                    if job.0 == 0 {
                        gate.notified().await;
                    }
                    let _ = tx.send(job);
                }
            },
            keep_fetch,
        );
        jobs.request((0, false));
        jobs.request((7, true));
        jobs.request((7, false));
        go.notify_one();
        let first = tokio::time::timeout(Duration::from_secs(5), ran.recv()).await;
        let second = tokio::time::timeout(Duration::from_secs(5), ran.recv()).await;
        assert_eq!(first.ok().flatten(), Some((0, false)));
        assert_eq!(second.ok().flatten(), Some((7, true)));
        // The two asks for 7 were one run.
        let third = tokio::time::timeout(Duration::from_millis(100), ran.recv()).await;
        assert!(third.is_err(), "a third run: {third:?}");
    }
}
