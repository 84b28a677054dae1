//! RMAs, which need the server: the list, a new one on a case, and a move.

use super::Context;
use crate::api::{NewRma, RmaPatch};
use crate::domain::{CaseNumber, RmaNumber};
use crate::term::text::Say;
use crate::tui::app::Msg;
use crate::tui::detail_loads::cached_detail;
use crate::tui::failure::{Failure, Fetch};

/// Fetches the newest RMAs (500) for the RMA list.
pub(super) fn list(cx: Context) {
    tokio::spawn(async move {
        let desk = &cx.desk;
        let result = desk
            .call(async |client| {
                client
                    .casedesk("RMAs")?
                    .rmas("sort=created_at:desc&limit=500")
                    .await
            })
            .await;
        match result {
            Ok(rmas) => cx.send(Msg::RmaList(rmas)),
            Err(e) => cx.send(Msg::Said(Err(Failure::Fetch(Fetch::Rmas, e)))),
        }
    });
}

/// Creates an RMA on `number` at version `base`, then re-reads the case from the server.
pub(super) fn create(cx: Context, number: CaseNumber, rma: NewRma, base: i64) {
    let lang = cx.lang;
    tokio::spawn(async move {
        let desk = &cx.desk;
        let key = crate::api::client::idempotency_key();
        let result = desk
            .call(async |client| {
                client
                    .casedesk("RMAs")?
                    .create_rma(&number, &rma, base, &key)
                    .await
            })
            .await;
        cx.send(Msg::Said(match result {
            Ok(r) => Ok(lang.say(Say::RmaCreated(
                &number.to_string(),
                &r.number.to_string(),
                lang.rma_status(r.status),
            ))),
            Err(e) if e.is_unreachable() => Err(Failure::RmaNeedsServer(e)),
            Err(e) => Err(Failure::Case(number, e)),
        }));
        let _ = desk.fetch_detail(&number, None).await;
        cx.send(Msg::Detail(number, cached_detail(desk, &number)));
    });
}

/// Moves an RMA and/or sets its analysis request; the case it belongs to is re-read.
pub(super) fn patch(cx: Context, rma: RmaNumber, patch: RmaPatch) {
    tokio::spawn(async move {
        let desk = &cx.desk;
        match desk.patch_rma(&rma, &patch).await {
            Ok(moved) => {
                let number = moved.case_number;
                cx.send(Msg::RmaMoved(Ok(moved)));
                cx.reload.notify_one();
                cx.send(Msg::Detail(number, cached_detail(desk, &number)));
            }
            Err(e) => cx.send(Msg::RmaMoved(Err((rma, e.to_string())))),
        }
    });
}
