//! The wallboard as an app, in the TUI's shape: what happens arrives as a [`Msg`], [`update`]
//! changes the board and returns the [`Effect`]s the runtime carries out. Pure: no I/O here.

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use super::board::Board;
use super::keys::{Action, KeyMap};
use super::trend::TrendGap;
use crate::api::reports::Trend;
use crate::api::{CaseSummary, Escalation, Rma, Stats};
use crate::sync::{Reported, SyncStatus};

/// What a refresh brought.
#[derive(Debug, Clone)]
pub enum Fetched {
    /// The server's counts.
    Stats(Stats),
    /// The cached cases.
    Cases(Vec<CaseSummary>),
    /// The escalations waiting for a lead.
    Escalations(Vec<Escalation>),
    /// The RMAs past their return date.
    Rmas(Vec<Rma>),
    /// The desk's SLA trend, from the server or (offline) the cached copy.
    Trend(Reported<Trend>),
    /// Why no trend came.
    NoTrend(TrendGap),
}

/// Something that happened.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key was pressed.
    Key(KeyEvent),
    /// A wall-clock second passed.
    Tick(DateTime<Utc>),
    /// The background sync's status changed.
    Sync(SyncStatus),
    /// A refresh brought something.
    Fetched(Fetched),
}

/// Something for the runtime to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Leave the board.
    Quit,
    /// Fetch the counts and lists now.
    Refresh,
}

/// Takes in one message.
pub fn update(board: &mut Board, keys: &KeyMap, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => match keys.action(&key) {
            Some(Action::Quit) => return vec![Effect::Quit],
            Some(Action::NextPage) => board.turn(1),
            Some(Action::PrevPage) => board.turn(-1),
            Some(Action::Pin) => board.pinned = !board.pinned,
            Some(Action::Refresh) => return vec![Effect::Refresh],
            None => {}
        },
        Msg::Tick(now) => board.tick(now),
        Msg::Sync(status) => {
            // The cases changed, or the server is back: the counts and lists are fetched again.
            let refresh =
                status.revision != board.sync.revision || (status.online && !board.sync.online);
            board.sync = status;
            if refresh {
                return vec![Effect::Refresh];
            }
        }
        Msg::Fetched(fetched) => board.take(fetched),
    }
    Vec::new()
}

impl Board {
    /// Takes in what a refresh brought.
    pub fn take(&mut self, fetched: Fetched) {
        match fetched {
            Fetched::Stats(stats) => self.stats = Some(stats),
            Fetched::Cases(cases) => self.set_cases(cases),
            Fetched::Escalations(list) => self.escalations = list,
            Fetched::Rmas(list) => self.overdue_rmas = list,
            Fetched::Trend(reported) => {
                self.trend = Some(reported.report);
                self.trend_cached_at = reported.cached_at;
                self.trend_gap = None;
            }
            Fetched::NoTrend(gap) => {
                // A backend without reports has none to keep; after any other failure the
                // figures last shown stay, under the board's stale banner.
                if gap == TrendGap::NotOnBackend {
                    self.trend = None;
                    self.trend_cached_at = None;
                }
                self.trend_gap = Some(gap);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crossterm::event::{KeyCode, KeyModifiers};

    use super::*;
    use crate::term::key::Key;
    use crate::wallboard::board::Page;
    use crate::wallboard::board::tests::board;

    fn key(c: char) -> Msg {
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
    }

    fn keys(overrides: &[(&str, &str)], kiosk: bool) -> KeyMap {
        let overrides = overrides
            .iter()
            .map(|(k, a)| (k.to_string(), a.to_string()))
            .collect::<BTreeMap<_, _>>();
        KeyMap::new(&overrides, Key::ctrl('q'), kiosk).unwrap()
    }

    #[test]
    fn each_key_does_its_action() {
        let (mut b, k) = (board(), keys(&[], false));
        assert_eq!(update(&mut b, &k, key('l')), []);
        assert_eq!(b.page, Page::Next);
        assert_eq!(update(&mut b, &k, key('h')), []);
        assert_eq!(b.page, Page::Now);
        assert_eq!(update(&mut b, &k, key(' ')), []);
        assert_eq!(b.page, Page::Next);
        assert!(!b.pinned);
        assert_eq!(update(&mut b, &k, key('p')), []);
        assert!(b.pinned);
        assert_eq!(update(&mut b, &k, key('r')), [Effect::Refresh]);
        assert_eq!(update(&mut b, &k, key('q')), [Effect::Quit]);
        assert_eq!(update(&mut b, &k, key('z')), []);
        assert_eq!(b.page, Page::Next);
    }

    #[test]
    fn a_remapped_key_works_and_kiosk_hears_only_the_chord() {
        let (mut b, k) = (board(), keys(&[("n", "next-page"), ("l", "none")], false));
        assert_eq!(update(&mut b, &k, key('l')), []);
        assert_eq!(b.page, Page::Now);
        assert_eq!(update(&mut b, &k, key('n')), []);
        assert_eq!(b.page, Page::Next);

        let k = keys(&[], true);
        assert_eq!(update(&mut b, &k, key('q')), []);
        assert_eq!(update(&mut b, &k, key('l')), []);
        assert_eq!(b.page, Page::Next);
        let chord = Msg::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL));
        assert_eq!(update(&mut b, &k, chord), [Effect::Quit]);
    }

    /// The trend is taken with when its cached copy was fetched; a failure keeps the figures
    /// shown (the stale banner says the server is away); a backend without reports drops them.
    #[test]
    fn the_trend_is_kept_through_a_failure_and_dropped_without_reports() {
        let (mut b, k) = (board(), keys(&[], false));
        let trend = Trend {
            at: b.now,
            zone: "UTC".into(),
            target: 0.95,
            clocks: Vec::new(),
            breaches: Vec::new(),
        };
        let fetched = |cached_at| {
            Msg::Fetched(Fetched::Trend(Reported {
                report: trend.clone(),
                cached_at,
            }))
        };
        assert_eq!(update(&mut b, &k, fetched(None)), []);
        assert_eq!(
            (&b.trend, b.trend_cached_at, b.trend_gap),
            (&Some(trend.clone()), None, None)
        );
        update(&mut b, &k, Msg::Fetched(Fetched::NoTrend(TrendGap::Failed)));
        assert_eq!(b.trend.as_ref(), Some(&trend), "kept through a failure");
        assert_eq!(b.trend_gap, Some(TrendGap::Failed));
        let then = b.now - chrono::Duration::minutes(9);
        update(&mut b, &k, fetched(Some(then)));
        assert_eq!((b.trend_cached_at, b.trend_gap), (Some(then), None));
        update(
            &mut b,
            &k,
            Msg::Fetched(Fetched::NoTrend(TrendGap::NotOnBackend)),
        );
        assert_eq!(
            (&b.trend, b.trend_cached_at, b.trend_gap),
            (&None, None, Some(TrendGap::NotOnBackend))
        );
    }

    #[test]
    fn a_new_revision_or_the_server_back_refreshes() {
        let (mut b, k) = (board(), keys(&[], false));
        let status = |revision: u64, online: bool| SyncStatus {
            revision,
            online,
            ..SyncStatus::default()
        };
        assert_eq!(
            update(&mut b, &k, Msg::Sync(status(0, false))),
            [],
            "nothing new"
        );
        assert_eq!(
            update(&mut b, &k, Msg::Sync(status(0, true))),
            [Effect::Refresh],
            "back online"
        );
        assert_eq!(update(&mut b, &k, Msg::Sync(status(0, true))), []);
        assert_eq!(
            update(&mut b, &k, Msg::Sync(status(1, true))),
            [Effect::Refresh],
            "a new revision"
        );
    }
}
