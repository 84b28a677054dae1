//! Note drafts written to the cache in the order they were asked for, off the UI task: a save
//! overtaken by the delete that follows a send would bring a sent note back as a draft.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::sync::Desk;
use crate::tui::app::{Effect, Msg};
use crate::tui::failure::{Failure, Fetch};

/// One profile's draft writer: a task that does the drafts' effects one after another.
pub struct DraftWriter {
    queue: mpsc::UnboundedSender<Effect>,
    task: JoinHandle<()>,
}

impl DraftWriter {
    /// Starts the writer on `desk`; failures and the drafts read go to `tx`.
    pub fn spawn(desk: Desk, tx: mpsc::UnboundedSender<Msg>) -> DraftWriter {
        let (queue, mut asked) = mpsc::unbounded_channel::<Effect>();
        let task = tokio::spawn(async move {
            while let Some(effect) = asked.recv().await {
                let desk = desk.clone();
                let done = tokio::task::spawn_blocking(move || perform(&desk, effect)).await;
                match done {
                    Ok(Some(msg)) => {
                        let _ = tx.send(msg);
                    }
                    Ok(None) => {}
                    Err(_) => return,
                }
            }
        });
        DraftWriter { queue, task }
    }

    /// Queues a drafts effect (others are ignored).
    pub fn send(&self, effect: Effect) {
        let _ = self.queue.send(effect);
    }

    /// Waits (a little, never long) for what is queued to be written: on the way out.
    pub async fn finish(self) {
        drop(self.queue);
        let _ = tokio::time::timeout(Duration::from_secs(3), self.task).await;
    }
}

/// Does one drafts effect; what to tell the app.
fn perform(desk: &Desk, effect: Effect) -> Option<Msg> {
    let cache = desk.cache();
    let failed =
        |e: crate::cache::CacheError| Some(Msg::Said(Err(Failure::Fetch(Fetch::Drafts, e.into()))));
    match effect {
        Effect::SaveDraft(number, kind, body, at) => cache
            .save_draft(&number, kind, &body, at)
            .err()
            .and_then(failed),
        Effect::DeleteDraft(number, kind) => {
            cache.delete_draft(&number, kind).err().and_then(failed)
        }
        Effect::LoadDrafts => match cache.drafts() {
            Ok(drafts) => Some(Msg::Drafts(drafts)),
            Err(e) => failed(e),
        },
        _ => None,
    }
}
