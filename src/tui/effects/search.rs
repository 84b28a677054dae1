//! `:search`: the server's answer, or offline the same words over the cached cases.

use super::Context;
use crate::api::SearchResults;
use crate::term::text::Word;
use crate::tui::app::Msg;
use crate::tui::failure::{Failure, Fetch};

/// Offline, at most this many cached cases are listed.
const OFFLINE_LIMIT: usize = 500;

/// Searches for `q`; the app builds the list (the RMAs' dates are shown in its zone).
pub(super) fn search(cx: Context, q: String) {
    let lang = cx.lang;
    tokio::spawn(async move {
        let desk = &cx.desk;
        let found = desk.call(async |client| client.search(&q).await).await;
        let msg = match found {
            Ok(found) => Msg::Found(q, found, String::new()),
            Err(e) if e.is_unreachable() => {
                let cases = desk.cache().summaries().unwrap_or_default();
                let found = SearchResults {
                    cases: cases
                        .into_iter()
                        .filter(|c| crate::api::text_matches(c, &q))
                        .take(OFFLINE_LIMIT)
                        .collect(),
                    rmas: Vec::new(),
                };
                let note = lang.word(Word::OfflineCachedOnly).to_string();
                Msg::Found(q, found, note)
            }
            Err(e) => Msg::Said(Err(Failure::Fetch(Fetch::Search, e))),
        };
        cx.send(msg);
    });
}
