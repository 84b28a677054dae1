//! A serial's support contract, looked up on the server.

use super::Context;
use crate::sanitize::clean;
use crate::tui::app::Msg;
use crate::tui::text::{Say, Word};

/// Looks up `serial`'s contract.
pub(super) fn look_up(cx: Context, serial: String) {
    let lang = cx.lang;
    tokio::spawn(async move {
        let desk = &cx.desk;
        let result = desk
            .call(async |client| client.entitlement(&serial).await)
            .await;
        match result {
            Ok(e) => cx.send(Msg::Entitlement(serial, e)),
            Err(e) => cx.send(Msg::Said(Err(lang.say(Say::Failed(
                &format!(
                    "{} {}",
                    lang.word(Word::EntitlementFailed),
                    clean(&serial, true)
                ),
                &e.to_string(),
            ))))),
        }
    });
}
