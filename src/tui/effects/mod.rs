//! The app's effects carried out on the desk, each as a background task whose outcome comes
//! back to the app as a message; one module per subject. The event loop (`runtime`) keeps what
//! touches the terminal or the loop itself (quit, clipboard, editor, profile switch, loads).

mod alerts;
mod attachments;
mod bulk;
mod case;
pub mod drafts;
mod entitlement;
mod escalations;
mod macros;
mod mail;
mod outbox;
mod reports;
mod rma;
mod search;

use std::sync::Arc;

use tokio::sync::{Notify, mpsc};

pub use attachments::page_externally;

use super::app::{Effect, Msg};
use crate::sync::Desk;
use crate::term::text::Lang;

/// What every effect is carried out with; cheap to clone into a task.
#[derive(Clone)]
pub struct Context {
    /// The language the outcome is said in.
    pub lang: Lang,
    /// The desk the work is done on.
    pub desk: Desk,
    /// Wakes the background sync (a change was queued for the server).
    pub wake: Arc<Notify>,
    /// Asks for the cached cases and outbox to be re-read (requests are folded).
    pub reload: Arc<Notify>,
    /// Where outcomes go: the app's message channel.
    pub tx: mpsc::UnboundedSender<Msg>,
}

impl Context {
    /// Sends an outcome to the app; a closed channel means the app (or its profile) is gone.
    fn send(&self, msg: Msg) {
        let _ = self.tx.send(msg);
    }
}

/// Starts one effect in the background. Effects the event loop handles itself do nothing here.
pub fn perform(cx: Context, effect: Effect) {
    match effect {
        Effect::Submit(number, change, base) => case::submit(cx, number, change, base),
        Effect::CheckSerial(serial) => case::check_serial(cx, serial),
        Effect::OpenCase(case) => case::open(cx, case),
        Effect::MarkSeen(number, through) => case::mark_seen(cx, number, through),
        Effect::CreateRma(number, rma, base) => rma::create(cx, number, rma, base),
        Effect::Rmas => rma::list(cx),
        Effect::PatchRma(rma, patch) => rma::patch(cx, rma, patch),
        Effect::Search(q) => search::search(cx, q),
        Effect::Escalations => escalations::list(cx),
        Effect::PatchEscalation(id, patch) => escalations::patch(cx, id, patch),
        Effect::Entitlement(serial) => entitlement::look_up(cx, serial),
        Effect::Outbox => outbox::show(cx),
        Effect::Retry(id) => outbox::retry(cx, id),
        Effect::Discard(id) => outbox::discard(cx, id),
        Effect::Mail => mail::list(cx),
        Effect::ReleaseMail(id, case) => mail::release(cx, id, case),
        Effect::DiscardMail(id) => mail::discard(cx, id),
        Effect::Files(work) => attachments::perform(cx, work),
        Effect::Bulk(run) => bulk::run(cx, *run),
        Effect::LoadMacros => macros::load(cx),
        Effect::SubmitAll(number, changes, base) => macros::submit_all(cx, number, changes, base),
        Effect::CustomerReplies(owner) => alerts::customer_replies(cx, owner),
        Effect::Reports(request) => reports::fetch(cx, request),
        // Handled by the loop (the drafts in order, by its draft writer).
        Effect::SaveDraft(..) | Effect::DeleteDraft(..) | Effect::LoadDrafts => {}
        Effect::LoadCases
        | Effect::LoadCase(..)
        | Effect::Refresh
        | Effect::SwitchProfile(_)
        | Effect::Editor(_)
        | Effect::Copy(_)
        | Effect::Notify(_)
        | Effect::Quit => {}
    }
}
