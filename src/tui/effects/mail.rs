//! Held and unreadable mail: listed, released into a case, discarded — on the server only.

use super::Context;
use crate::api::MailRelease;
use crate::domain::CaseNumber;
use crate::term::text::Say;
use crate::tui::app::Msg;
use crate::tui::failure::{Failure, Fetch};

/// Fetches the held and unreadable mail.
pub(super) fn list(cx: Context) {
    tokio::spawn(async move { send_list(&cx).await });
}

/// Adds held mail `id` to a case as the customer's note (`case`, or the one it was matched
/// to), says so, and lists the mail again.
pub(super) fn release(cx: Context, id: i64, case: Option<CaseNumber>) {
    let lang = cx.lang;
    tokio::spawn(async move {
        let body = MailRelease {
            case: case.map(|n| n.to_string()),
        };
        let result = cx
            .desk
            .call(async |client| client.casedesk("held mail")?.release_mail(id, &body).await)
            .await;
        match result {
            Ok(released) => {
                let into = released.case_number.unwrap_or_default();
                cx.send(Msg::Said(Ok(lang.say(Say::MailReleased(id, &into)))));
                send_list(&cx).await;
            }
            Err(e) => cx.send(Msg::Said(Err(Failure::Fetch(Fetch::MailRelease(id), e)))),
        }
    });
}

/// Drops held or unreadable mail `id`, says so, and lists the mail again.
pub(super) fn discard(cx: Context, id: i64) {
    let lang = cx.lang;
    tokio::spawn(async move {
        let result = cx
            .desk
            .call(async |client| client.casedesk("held mail")?.discard_mail(id).await)
            .await;
        match result {
            Ok(_) => {
                cx.send(Msg::Said(Ok(lang.say(Say::MailDiscarded(id)))));
                send_list(&cx).await;
            }
            Err(e) => cx.send(Msg::Said(Err(Failure::Fetch(Fetch::MailDiscard(id), e)))),
        }
    });
}

/// Fetches the held and unreadable mail and sends it to the app.
async fn send_list(cx: &Context) {
    let result = cx
        .desk
        .call(async |client| client.casedesk("held mail")?.held_mail().await)
        .await;
    match result {
        Ok(list) => cx.send(Msg::Mail(list)),
        Err(e) => cx.send(Msg::Said(Err(Failure::Fetch(Fetch::Mail, e)))),
    }
}
