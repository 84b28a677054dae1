//! The escalations waiting for a lead, and a lead's answer to one.

use super::Context;
use crate::api::EscalationPatch;
use crate::term::text::Say;
use crate::tui::app::Msg;
use crate::tui::failure::{Failure, Fetch};

/// Fetches the requested and acknowledged escalations.
pub(super) fn list(cx: Context) {
    tokio::spawn(async move { send_list(&cx).await });
}

/// Moves escalation `id` on (acknowledge, resolve, decline), says so, and lists them again.
pub(super) fn patch(cx: Context, id: i64, patch: EscalationPatch) {
    let lang = cx.lang;
    tokio::spawn(async move {
        let desk = &cx.desk;
        let result = desk
            .call(async |client| {
                client
                    .casedesk("escalation answers")?
                    .patch_escalation(id, &patch)
                    .await
            })
            .await;
        match result {
            Ok(e) => {
                cx.send(Msg::Said(Ok(lang.say(Say::EscalationMoved(
                    id,
                    &e.case_number.to_string(),
                    lang.escalation_state(e.state),
                )))));
                send_list(&cx).await;
            }
            Err(e) => cx.send(Msg::Said(Err(Failure::Fetch(Fetch::Escalation(id), e)))),
        }
    });
}

/// Fetches the requested and acknowledged escalations and sends them to the app.
async fn send_list(cx: &Context) {
    let desk = &cx.desk;
    let result = desk
        .call(async |client| client.escalations("requested,acknowledged").await)
        .await;
    match result {
        Ok(list) => cx.send(Msg::Escalations(list)),
        Err(e) => cx.send(Msg::Said(Err(Failure::Fetch(Fetch::Escalations, e)))),
    }
}
