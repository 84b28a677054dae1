//! A serial's support contract, looked up on the server.

use super::Context;
use crate::tui::app::Msg;
use crate::tui::failure::{Failure, Fetch};

/// Looks up `serial`'s contract.
pub(super) fn look_up(cx: Context, serial: String) {
    tokio::spawn(async move {
        let desk = &cx.desk;
        let result = desk
            .call(async |client| client.casedesk("entitlements")?.entitlement(&serial).await)
            .await;
        match result {
            Ok(e) => cx.send(Msg::Entitlement(serial, e)),
            Err(e) => cx.send(Msg::Said(Err(Failure::Fetch(
                Fetch::Entitlement(serial),
                e,
            )))),
        }
    });
}
