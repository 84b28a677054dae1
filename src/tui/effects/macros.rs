//! Macros: the team's read for the picker, and a macro's changes made in one step.

use super::Context;
use crate::cache::PendingChange;
use crate::domain::CaseNumber;
use crate::sync::Submitted;
use crate::term::text::Say;
use crate::tui::app::Msg;
use crate::tui::detail_loads::cached_detail;
use crate::tui::failure::Failure;

/// Reads the team's macros as the sync last cached them (each round revalidates them) for
/// the picker.
pub(super) fn load(cx: Context) {
    tokio::task::spawn_blocking(move || {
        // Not worth a message when it fails: the picker still has the personal macros, and
        // the next sync reads them again.
        if let Ok(team) = cx.desk.cached_team_macros() {
            cx.send(Msg::Macros(team));
        }
    });
}

/// Makes a macro's changes on `number` at version `base` in one step (sent now or queued, in
/// order), says how it went, and re-reads the case and the queue.
pub(super) fn submit_all(cx: Context, number: CaseNumber, changes: Vec<PendingChange>, base: i64) {
    let lang = cx.lang;
    tokio::spawn(async move {
        let desk = &cx.desk;
        let n = number.to_string();
        let said = match desk.submit_all(&number, &changes, base).await {
            Ok(outcomes) => {
                // The first that did not go is what the line says; else all of it.
                let failed = outcomes
                    .into_iter()
                    .zip(&changes)
                    .find_map(|(o, change)| match o {
                        Submitted::Sent => None,
                        Submitted::Queued(id) => {
                            Some(Ok(lang.say(Say::Queued(&n, &describe(lang, &changes), id))))
                        }
                        Submitted::Conflicted(id, why) => {
                            Some(Err(Failure::Conflicted(number, why, id)))
                        }
                        Submitted::Failed(id, why) => Some(Err(Failure::Refused(number, why, id))),
                        Submitted::Refused(why) => Some(Err(Failure::RefusedForGood(
                            number,
                            Box::new(change.clone()),
                            why,
                        ))),
                    });
                match failed {
                    Some(said) => said,
                    None => Ok(lang.say(Say::Saved(&n, &describe(lang, &changes)))),
                }
            }
            Err(e) => Err(Failure::Case(number, e)),
        };
        cx.send(Msg::Said(said));
        cx.reload.notify_one();
        cx.wake.notify_one();
        cx.send(Msg::Detail(number, cached_detail(desk, &number)));
    });
}

/// The changes in a few words, joined.
fn describe(lang: crate::term::text::Lang, changes: &[PendingChange]) -> String {
    changes
        .iter()
        .map(|c| lang.change(c))
        .collect::<Vec<_>>()
        .join(", ")
}
