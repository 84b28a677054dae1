//! Runs the store's timed jobs every few seconds until shutdown.

use std::time::Duration;

use super::state::AppState;
use super::store;

/// How often the jobs run; breaches show within this of their due instant.
pub const INTERVAL: Duration = Duration::from_secs(2);

/// The job loop.
pub async fn run(state: AppState) {
    let mut tick = tokio::time::interval(INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut shutdown = state.shutdown();
    let clock = state.clock();
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shutdown.wait_for(|stopping| *stopping) => return,
        }
        match state
            .write(move |tx, sla| store::run_jobs(tx, sla, clock.now()))
            .await
        {
            Ok(report) if report != store::JobReport::default() => tracing::info!(?report, "jobs"),
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(status = %e.status(), "jobs failed; retrying on the next tick")
            }
        }
    }
}
