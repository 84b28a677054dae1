//! `:search` results: the cases the server (or, offline, the cache) found, and under them, in
//! a table of their own with their own columns, the RMAs it found.

use chrono::{DateTime, Utc};

use super::app::{ListKind, ListRow, ListView};
use crate::api::{CaseSummary, SearchResults};
use crate::config::DisplayZone;
use crate::sanitize::clean;
use crate::term::text::{Lang, Say, Word};
use crate::term::theme::Role;

/// A case in a list overlay.
pub fn case_row(lang: Lang, c: &CaseSummary) -> ListRow {
    ListRow {
        cells: vec![
            c.number.to_string(),
            c.priority.to_string(),
            lang.status(c.status).to_string(),
            clean(&c.site_name, true).into_owned(),
            clean(&c.subject, true).into_owned(),
        ],
        case: Some(c.number),
        id: None,
        role: c.breached.then_some(Role::Breached),
    }
}

/// Search results, as the list overlay shows them: case rows, then RMA rows (those with an
/// id, from [`super::rma::search_row`]), which are drawn as a second table.
pub fn search_list(lang: Lang, q: &str, rows: Vec<ListRow>, note: &str) -> ListView {
    ListView {
        kind: ListKind::Search,
        title: format!(
            "{}{note}",
            lang.say(Say::SearchTitle(&clean(q, true), rows.len()))
        ),
        header: [
            Word::ColNumber,
            Word::ColPri,
            Word::ColStatus,
            Word::ColSite,
            Word::ColSubject,
        ]
        .map(|w| lang.word(w).to_string())
        .to_vec(),
        rows,
        selected: 0,
        hint: lang.word(Word::HintOpenClose).into(),
    }
}

/// What a search found, as the list overlay shows it; the RMAs' dates in `zone`.
pub fn results(
    lang: Lang,
    zone: DisplayZone,
    now: DateTime<Utc>,
    q: &str,
    found: &SearchResults,
    note: &str,
) -> ListView {
    let rows = found
        .cases
        .iter()
        .map(|c| case_row(lang, c))
        .chain(
            found
                .rmas
                .iter()
                .map(|r| super::rma::search_row(lang, r, zone, now)),
        )
        .collect();
    search_list(lang, q, rows, note)
}

/// Where the RMA rows of a search list start, if it has any.
pub fn rmas_from(list: &ListView) -> Option<usize> {
    if list.kind != ListKind::Search {
        return None;
    }
    list.rows.iter().position(|r| r.id.is_some())
}
