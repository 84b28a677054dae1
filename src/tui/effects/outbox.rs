//! The outbox: shown, an entry re-sent, an entry dropped. Cache work runs off the UI task, as
//! the cache's lock may be held by a long sync write.

use super::Context;
use crate::cache::CacheError;
use crate::sync::Submitted;
use crate::term::text::Say;
use crate::tui::app::Msg;
use crate::tui::failure::{Failure, Fetch};

/// Reads and shows the outbox.
pub(super) fn show(cx: Context) {
    tokio::task::spawn_blocking(move || send_list(&cx));
}

/// Re-sends a conflicted or failed entry on the case's current version, then shows the
/// outbox again. Another server's or person's entry is never sent from here: a retry would
/// only leave it waiting, which would read as "still offline".
pub(super) fn retry(cx: Context, id: i64) {
    let lang = cx.lang;
    tokio::spawn(async move {
        let desk = &cx.desk;
        let foreign = {
            let cache = desk.cache();
            let mine = cache.remembered_owner().ok().flatten();
            cache
                .outbox_entry(id)
                .ok()
                .flatten()
                .is_some_and(|e| e.foreign_to(mine.as_ref()).is_some())
        };
        if foreign {
            return cx.send(Msg::Said(Err(Failure::ForeignNotSent(id))));
        }
        let said = match desk.retry(id).await {
            Ok(Submitted::Sent) => Ok(lang.say(Say::OutboxSent(id))),
            Ok(Submitted::Queued(_)) => Ok(lang.say(Say::StillOffline(id))),
            Ok(Submitted::Conflicted(_, why))
            | Ok(Submitted::Failed(_, why))
            | Ok(Submitted::Refused(why)) => Err(Failure::EntryRefused(id, why)),
            Err(e) => Err(Failure::Entry(id, e)),
        };
        cx.send(Msg::Said(said));
        cx.reload.notify_one();
        send_list(&cx);
    });
}

/// Drops an entry, says what it was, and shows the outbox again.
pub(super) fn discard(cx: Context, id: i64) {
    let lang = cx.lang;
    tokio::task::spawn_blocking(move || {
        let said = match cx.desk.discard(id) {
            Ok(e) => Ok(lang.say(Say::Discarded(id, &lang.change(&e.change)))),
            Err(e) => Err(Failure::Entry(id, e)),
        };
        cx.send(Msg::Said(said));
        cx.reload.notify_one();
        send_list(&cx);
    });
}

/// Reads the outbox and whom the profile talks to, and sends them to the app.
fn send_list(cx: &Context) {
    let read = || {
        let cache = cx.desk.cache();
        Ok::<_, CacheError>((cache.outbox()?, cache.remembered_owner()?))
    };
    match read() {
        Ok((entries, mine)) => cx.send(Msg::Outbox(entries, mine)),
        Err(e) => cx.send(Msg::Said(Err(Failure::Fetch(Fetch::Outbox, e.into())))),
    }
}
