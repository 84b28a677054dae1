//! Work on one case: a change through the outbox, a new case, a serial's lookup for the
//! intake form, and what was seen of it.

use chrono::{DateTime, Utc};

use super::Context;
use crate::api::{Case, NewCase};
use crate::cache::PendingChange;
use crate::domain::CaseNumber;
use crate::sync::{Opening, Submitted};
use crate::term::text::{Lang, Say};
use crate::tui::app::Msg;
use crate::tui::detail_loads::cached_detail;
use crate::tui::failure::Failure;

/// Makes a change on `number` at version `base` (sent now or queued), says how it went, and
/// re-reads the case and the queue.
pub(super) fn submit(cx: Context, number: CaseNumber, change: PendingChange, base: i64) {
    let lang = cx.lang;
    let what = lang.change(&change);
    // Kept to say what was refused for good: the desk takes the change.
    let asked = change.clone();
    tokio::spawn(async move {
        let desk = &cx.desk;
        let n = number.to_string();
        let said = match desk.submit(&number, change, Some(base)).await {
            Ok(Submitted::Sent) => Ok(lang.say(Say::Saved(&n, &what))),
            Ok(Submitted::Queued(id)) => Ok(lang.say(Say::Queued(&n, &what, id))),
            Ok(Submitted::Conflicted(id, why)) => Err(Failure::Conflicted(number, why, id)),
            Ok(Submitted::Failed(id, why)) => Err(Failure::Refused(number, why, id)),
            Ok(Submitted::Refused(why)) => {
                Err(Failure::RefusedForGood(number, Box::new(asked), why))
            }
            Err(e) => Err(Failure::Case(number, e)),
        };
        cx.send(Msg::Said(said));
        cx.reload.notify_one();
        cx.wake.notify_one();
        cx.send(Msg::Detail(number, cached_detail(desk, &number)));
    });
}

/// Looks a serial up for the new-case form: its contract and its open cases.
pub(super) fn check_serial(cx: Context, serial: String) {
    tokio::spawn(async move {
        match cx.desk.check_serial(&serial).await {
            Ok(check) => cx.send(Msg::SerialChecked(check)),
            Err(e) => cx.send(Msg::Said(Err(Failure::Serial(serial, e)))),
        }
    });
}

/// Opens a new case (or queues it offline) and shows it once the server has it.
pub(super) fn open(cx: Context, case: Box<NewCase>) {
    let lang = cx.lang;
    tokio::spawn(async move {
        match cx.desk.open_case(&case).await {
            Ok(Opening::Opened(case)) => {
                let number = case.summary.number;
                cx.send(Msg::Said(Ok(opened_words(lang, &case, Utc::now()))));
                cx.send(Msg::CaseOpened(number));
            }
            Ok(Opening::Queued(id, reference)) => {
                cx.send(Msg::Said(Ok(lang.say(Say::CaseQueued(&reference, id)))))
            }
            Err(e) => cx.send(Msg::Said(Err(Failure::NotOpened(e)))),
        }
        cx.reload.notify_one();
        cx.wake.notify_one();
    });
}

/// Records in the cache that a case was seen through its newest entry of `through`; off the
/// UI task, as the cache's lock may be held by a long sync write.
pub(super) fn mark_seen(cx: Context, number: CaseNumber, through: DateTime<Utc>) {
    tokio::task::spawn_blocking(move || {
        if let Err(e) = cx.desk.cache().set_seen(&number, through) {
            cx.send(Msg::Said(Err(Failure::Case(number, e.into()))));
        }
    });
}

/// What the message line says of a case just opened: its priority, tier and first-response
/// deadline, and whether its serial is under contract.
fn opened_words(lang: Lang, case: &Case, now: DateTime<Utc>) -> String {
    let s = &case.summary;
    let priority = format!("{} {}", s.priority, lang.priority(s.priority));
    let due = case
        .first_response_due()
        .map(|due| lang.countdown(Some(due), now));
    lang.say(Say::CaseOpened(
        &s.number.to_string(),
        &priority,
        lang.tier(s.tier),
        due.as_deref(),
        case.unentitled,
    ))
}
