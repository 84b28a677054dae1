//! RMAs: read from the server (or the cached cases offline), changed on the server only.
//!
//! An RMA move is not queued in the outbox: the outbox holds case changes sent with the case's
//! version, and an RMA has no version of its own to check a late move against — a move queued
//! offline could land after someone else closed or cancelled the RMA, and a warehouse acting on
//! a status the desk only believed it had set is worse than being told to try again. So a move
//! made while the server cannot be reached is refused at once, in words that say so.

use super::{Desk, DeskError};
use crate::api::{Rma, RmaPatch};
use crate::domain::RmaNumber;

impl Desk {
    /// One RMA: from the server, else from the cached detail of its case; `true` with it when
    /// it came from the server.
    pub async fn rma(&self, number: &RmaNumber) -> Result<(Rma, bool), DeskError> {
        if self.has_server() {
            match self
                .call(async |client| client.casedesk("RMAs")?.rma(number).await)
                .await
            {
                Ok(rma) => return Ok((rma, true)),
                Err(e) if e.is_unreachable() => {}
                Err(e) => return Err(e),
            }
        }
        let cached = self
            .cache()
            .details()?
            .into_iter()
            .flat_map(|c| c.rmas)
            .find(|r| &r.number == number);
        cached.map(|r| (r, false)).ok_or_else(|| {
            DeskError::NotCached(format!(
                "RMA {number} is not in the cache and the server cannot be reached"
            ))
        })
    }

    /// Changes an RMA on the server (never queued: see the module notes), then refreshes the
    /// cached detail of its case so the case shows the move at once.
    pub async fn patch_rma(&self, number: &RmaNumber, patch: &RmaPatch) -> Result<Rma, DeskError> {
        let unreachable = |e: &dyn std::fmt::Display| {
            DeskError::NotCached(format!(
                "RMA moves need the server: {e}; nothing was queued — try again when it answers"
            ))
        };
        self.server().map_err(|e| unreachable(&e))?;
        let rma = match self
            .call(async |client| client.casedesk("RMAs")?.patch_rma(number, patch).await)
            .await
        {
            Ok(rma) => rma,
            Err(e) if e.is_unreachable() => return Err(unreachable(&e)),
            Err(e) => return Err(e),
        };
        // The move is made; a failed refresh only leaves the cache a little behind.
        if let Err(e) = self.fetch_detail(&rma.case_number, None).await {
            tracing::warn!("refreshing {} after an RMA move: {e}", rma.case_number);
        }
        Ok(rma)
    }
}
