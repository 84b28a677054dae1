//! A bulk action carried out: each marked case's changes into the outbox as entries of their
//! own, sent case by case, and one report of every case's outcome.

use super::Context;
use crate::cache::PendingChange;
use crate::domain::CaseNumber;
use crate::sync::{DeskError, SubmitMany, Submitted};
use crate::term::text::{Lang, Say};
use crate::tui::app::Msg;
use crate::tui::bulk::{BulkItem, BulkReport, BulkRun, Outcome, Work};

/// Sends every case's changes in turn and reports them all in one message. Once the server
/// stops answering, the rest are only queued (no point waiting on it twenty times).
pub(super) fn run(cx: Context, run: BulkRun) {
    let lang = cx.lang;
    tokio::spawn(async move {
        let mut many = cx.desk.submit_many();
        let mut report = BulkReport::default();
        for item in run.items {
            let number = item.number;
            let outcome = match changes_of(&many, &item).await {
                Ok((changes, version)) => {
                    let sent = many.submit(&number, &changes, Some(version)).await;
                    outcome(lang, &number, sent)
                }
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

/// The changes a case gets and the version they are made against; a macro is planned on the
/// case's detail (revalidated while the server answers, else as cached).
async fn changes_of(
    many: &SubmitMany<'_>,
    item: &BulkItem,
) -> Result<(Vec<PendingChange>, i64), String> {
    match &item.work {
        Work::Changes(changes) => Ok((changes.clone(), item.version)),
        Work::Macro(m, me, zone) => many
            .plan_macro(m, &item.number, me, zone)
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string()),
    }
}

/// What became of one case's changes: the first that was not done decides.
fn outcome(lang: Lang, number: &CaseNumber, sent: Result<Vec<Submitted>, DeskError>) -> Outcome {
    let outcomes = match sent {
        Ok(outcomes) => outcomes,
        Err(e) => return Outcome::Refused(format!("{number}: {e}")),
    };
    outcomes
        .into_iter()
        .map(|o| match o {
            Submitted::Sent => Outcome::Done,
            Submitted::Queued(id) => Outcome::Queued(id),
            Submitted::Conflicted(id, why) | Submitted::Failed(id, why) => {
                Outcome::Refused(lang.say(Say::BulkKept(&why, id)))
            }
            Submitted::Refused(why) => Outcome::Refused(why),
        })
        .find(|o| *o != Outcome::Done)
        .unwrap_or(Outcome::Done)
}
