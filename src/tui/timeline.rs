//! A case's timeline: its notes, changes and escalation requests in the order the config asks
//! for (`[tui] timeline`), which of them arrived since the case was last opened here, and the
//! scroll that brings the newest entry into view when the case opens.

use chrono::{DateTime, Utc};

use crate::api::{Attachment, Case, Escalation, HistoryEntry, Note};

/// The order the timeline is drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimelineOrder {
    /// The newest entry first, right under the timeline's heading (the default).
    #[default]
    NewestFirst,
    /// The oldest entry first; opening a case scrolls down to the newest.
    OldestFirst,
}

impl TimelineOrder {
    /// The names the config accepts, as a message lists them.
    pub const NAMES: &'static str = "newest-first or oldest-first";

    /// The order from the config's `[tui] timeline` (default newest-first).
    pub fn choose(configured: Option<&str>) -> Result<TimelineOrder, String> {
        match configured.map(|c| c.trim().to_ascii_lowercase()).as_deref() {
            None | Some("newest-first") => Ok(TimelineOrder::NewestFirst),
            Some("oldest-first") => Ok(TimelineOrder::OldestFirst),
            Some(other) => Err(format!(
                "unknown timeline order '{other}' in [tui]: expected {}",
                TimelineOrder::NAMES
            )),
        }
    }

    /// Its name in the config.
    pub fn as_str(self) -> &'static str {
        match self {
            TimelineOrder::NewestFirst => "newest-first",
            TimelineOrder::OldestFirst => "oldest-first",
        }
    }
}

/// What the opened case's entries are compared with to tell the new ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Baseline {
    /// Not read from the cache yet: nothing is marked, and the case is not recorded as seen.
    #[default]
    Unknown,
    /// Never opened on this client: nothing is marked (all of it is new, so none of it is).
    Never,
    /// Last opened when its newest entry was of this instant.
    Since(DateTime<Utc>),
}

/// One entry of the timeline.
#[derive(Debug, Clone, Copy)]
pub enum Entry<'c> {
    /// A note, call or failed contact.
    Note(&'c Note),
    /// A change of a field.
    Change(&'c HistoryEntry),
    /// An escalation request.
    Escalation(&'c Escalation),
    /// A file added to the case (one that came with a mail is shown under its note instead).
    File(&'c Attachment),
}

impl Entry<'_> {
    /// When it happened (the server's clock).
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Entry::Note(n) => n.created_at,
            Entry::Change(h) => h.at,
            Entry::Escalation(e) => e.requested_at,
            Entry::File(a) => a.added_at.unwrap_or(DateTime::<Utc>::MIN_UTC),
        }
    }

    /// Who made it.
    pub fn by(&self) -> &str {
        match self {
            Entry::Note(n) => &n.author,
            Entry::Change(h) => &h.actor,
            Entry::Escalation(e) => &e.requested_by,
            Entry::File(a) => &a.added_by,
        }
    }

    /// Whether it arrived after `baseline` from someone other than `me` (what you wrote
    /// yourself is never news to you).
    pub fn is_new(&self, baseline: Baseline, me: Option<&str>) -> bool {
        let Baseline::Since(seen) = baseline else {
            return false;
        };
        self.at() > seen && me.is_none_or(|me| self.by() != me)
    }
}

/// A case's entries in `order` (entries of the same instant keep notes, changes, escalations,
/// files).
pub fn entries(case: &Case, order: TimelineOrder) -> Vec<Entry<'_>> {
    let mut all: Vec<Entry> = Vec::new();
    all.extend(case.notes.iter().map(Entry::Note));
    all.extend(
        case.history
            .iter()
            .filter(|h| !records_a_request(h, &case.escalations))
            .map(Entry::Change),
    );
    all.extend(case.escalations.iter().map(Entry::Escalation));
    all.extend(files(case).map(Entry::File));
    all.sort_by_key(Entry::at);
    if order == TimelineOrder::NewestFirst {
        all.reverse();
    }
    all
}

/// Whether a history entry is the server's record of an escalation request the timeline
/// already shows as an escalation entry (the request is logged once, not twice).
fn records_a_request(h: &HistoryEntry, escalations: &[Escalation]) -> bool {
    h.summary.starts_with(REQUEST_RECORD)
        && escalations
            .iter()
            .any(|e| e.requested_at == h.at && e.requested_by == h.actor)
}

/// The files that are timeline entries of their own: those with a time, not carried by a note.
fn files(case: &Case) -> impl Iterator<Item = &Attachment> {
    case.attachments
        .iter()
        .filter(|a| a.added_at.is_some() && a.note_id.is_none())
}

/// How the server's history words an escalation request.
const REQUEST_RECORD: &str = "escalation requested";

/// The instant of a case's newest entry (asked after every message: no list is built).
pub fn newest(case: &Case) -> Option<DateTime<Utc>> {
    let notes = case.notes.iter().map(|n| n.created_at);
    let changes = case.history.iter().map(|h| h.at);
    let escalations = case.escalations.iter().map(|e| e.requested_at);
    let files = files(case).filter_map(|a| a.added_at);
    notes.chain(changes).chain(escalations).chain(files).max()
}

/// The detail's scroll, in wrapped rows, that brings the newest entry (rows `newest.0` up to
/// `newest.1`) into a pane `height` rows high. Oldest first: the newest entry ends at the
/// pane's bottom, older ones above it (its start wins when it is taller than the pane). Newest
/// first: no scroll when the entry already shows under the case's header, else the timeline's
/// heading (row `heading`) at the top.
pub fn reveal_scroll(order: TimelineOrder, heading: u16, newest: (u16, u16), height: u16) -> u16 {
    let (start, end) = newest;
    match order {
        TimelineOrder::OldestFirst => end.saturating_sub(height).min(start),
        TimelineOrder::NewestFirst if end <= height => 0,
        TimelineOrder::NewestFirst => heading.min(start),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_comes_from_the_config() {
        assert_eq!(TimelineOrder::choose(None), Ok(TimelineOrder::NewestFirst));
        assert_eq!(
            TimelineOrder::choose(Some("oldest-first")),
            Ok(TimelineOrder::OldestFirst)
        );
        assert_eq!(
            TimelineOrder::choose(Some(" Newest-First ")),
            Ok(TimelineOrder::NewestFirst)
        );
        let e = TimelineOrder::choose(Some("newest")).unwrap_err();
        assert!(e.contains("expected newest-first or oldest-first"), "{e}");
    }

    #[test]
    fn reveal_keeps_the_newest_entry_on_screen_in_both_orders() {
        use TimelineOrder::*;
        // Everything fits: no scroll either way.
        assert_eq!(reveal_scroll(OldestFirst, 10, (14, 16), 20), 0);
        assert_eq!(reveal_scroll(NewestFirst, 10, (11, 13), 20), 0);
        // Oldest first, below the fold: the entry's last row on the pane's last row.
        assert_eq!(reveal_scroll(OldestFirst, 10, (30, 33), 20), 13);
        // Taller than the pane: its first row at the top.
        assert_eq!(reveal_scroll(OldestFirst, 10, (30, 60), 20), 30);
        // Newest first, below the fold: the heading at the top.
        assert_eq!(reveal_scroll(NewestFirst, 18, (19, 22), 20), 18);
    }

    #[test]
    fn new_means_after_the_baseline_and_by_someone_else() {
        let note = |author: &str, at: &str| Note {
            id: 1,
            author: author.into(),
            party: crate::domain::Party::Support,
            visibility: crate::domain::Visibility::Internal,
            kind: Default::default(),
            body: String::new(),
            created_at: at.parse().unwrap(),
            email_from: None,
            mail: None,
            attachments: Vec::new(),
        };
        let seen = Baseline::Since("2026-11-24T05:00:00Z".parse().unwrap());
        let later = note("kim", "2026-11-24T05:01:00Z");
        let mine = note("tanaka", "2026-11-24T05:01:00Z");
        let older = note("kim", "2026-11-24T04:59:00Z");
        assert!(Entry::Note(&later).is_new(seen, Some("tanaka")));
        assert!(!Entry::Note(&mine).is_new(seen, Some("tanaka")));
        assert!(!Entry::Note(&older).is_new(seen, Some("tanaka")));
        assert!(!Entry::Note(&later).is_new(Baseline::Never, Some("tanaka")));
        assert!(!Entry::Note(&later).is_new(Baseline::Unknown, None));
    }
}
