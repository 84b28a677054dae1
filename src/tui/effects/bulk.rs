//! A bulk action carried out: each marked case's changes into the outbox as entries of their
//! own, sent case by case, and one report of every case's outcome.

use chrono::Utc;

use super::Context;
use crate::cache::PendingChange;
use crate::domain::CaseNumber;
use crate::sync::{Desk, DeskError, FlushReport};
use crate::term::text::{Lang, Say};
use crate::tui::app::Msg;
use crate::tui::bulk::{BulkItem, BulkReport, BulkRun, Outcome, Work};

/// Sends every case's changes in turn and reports them all in one message. Once the server
/// stops answering, the rest are only queued (no point waiting on it twenty times).
pub(super) fn run(cx: Context, run: BulkRun) {
    let lang = cx.lang;
    tokio::spawn(async move {
        let desk = &cx.desk;
        let mut report = BulkReport::default();
        let mut offline = false;
        for item in run.items {
            let number = item.number;
            let outcome = match changes_of(desk, &item).await {
                Ok(changes) => send(desk, lang, &item, changes, &mut offline).await,
                Err(why) => Outcome::Refused(why),
            };
            report.outcomes.push((number, outcome));
        }
        report.outcomes.extend(
            run.refused
                .into_iter()
                .map(|(n, why)| (n, Outcome::Refused(why))),
        );
        cx.send(Msg::Bulk(report));
        cx.reload.notify_one();
        cx.wake.notify_one();
    });
}

/// The changes a case gets; a macro is planned on the case's detail (fetched when the server
/// answers, else as cached).
async fn changes_of(desk: &Desk, item: &BulkItem) -> Result<Vec<PendingChange>, String> {
    let (m, me, zone) = match &item.work {
        Work::Changes(changes) => return Ok(changes.clone()),
        Work::Macro(m, me, zone) => (m, me, zone),
    };
    let number = &item.number;
    let etag = desk
        .cache()
        .detail(number)
        .map_err(|e| e.to_string())?
        .and_then(|c| c.etag);
    match desk.fetch_detail(number, etag.as_deref()).await {
        Ok(_) => {}
        Err(e) if e.is_unreachable() => {}
        Err(e) => return Err(e.to_string()),
    }
    let case = desk
        .cache()
        .detail(number)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("case {number} is not in the cache"))?
        .case;
    let plan = crate::sync::macros::plan(m, &case, me, zone).map_err(|e| e.to_string())?;
    let mut changes = Vec::new();
    changes.extend(plan.note.map(PendingChange::Note));
    changes.extend(plan.patch.map(PendingChange::Patch));
    Ok(changes)
}

/// Queues one case's changes against its version, then sends the outbox (unless the server
/// is known to be away) and says what became of them: the first that was not done decides.
async fn send(
    desk: &Desk,
    lang: Lang,
    item: &BulkItem,
    changes: Vec<PendingChange>,
    offline: &mut bool,
) -> Outcome {
    let mut ids = Vec::new();
    for change in &changes {
        let queued = desk
            .cache()
            .enqueue(Some(&item.number), change, item.version, Utc::now());
        match queued {
            Ok(entry) => ids.push(entry.id),
            Err(e) => return Outcome::Refused(e.to_string()),
        }
    }
    if *offline {
        return ids.first().map_or(Outcome::Done, |id| Outcome::Queued(*id));
    }
    let report = match desk.flush_outbox().await {
        Ok(report) => report,
        Err(e) => return Outcome::Refused(failure(&item.number, e)),
    };
    if report.unreachable {
        *offline = true;
    }
    ids.iter()
        .map(|id| entry_outcome(lang, *id, &report))
        .find(|o| *o != Outcome::Done)
        .unwrap_or(Outcome::Done)
}

/// What a flush did with one entry.
fn entry_outcome(lang: Lang, id: i64, report: &FlushReport) -> Outcome {
    if report.sent.iter().any(|(sent, ..)| *sent == id) {
        return Outcome::Done;
    }
    if let Some(r) = report.refused.iter().find(|r| r.id == id) {
        return Outcome::Refused(r.why.clone());
    }
    let kept = report
        .conflicted
        .iter()
        .chain(report.failed.iter())
        .find(|(kept, _)| *kept == id);
    match kept {
        Some((_, why)) => Outcome::Refused(lang.say(Say::BulkKept(why, id))),
        None => Outcome::Queued(id),
    }
}

fn failure(number: &CaseNumber, e: DeskError) -> String {
    format!("{number}: {e}")
}
