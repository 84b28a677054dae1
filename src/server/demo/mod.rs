//! Demo data: a month (or, for the benchmarks, up to two years) of realistic support cases for
//! `casedesk demo` and the benchmarks.
//!
//! Everything goes through the store functions with backdated instants, so the history, the SLA
//! clocks, the change feed and the search index are exactly what real use would have produced.
//! The data depends only on the seed (a small SplitMix64 generator, no dependency), so `--seed`
//! shows the same queue on every machine.
//!
//! How it is built:
//! 1. an install base: serial numbers at the customers' sites with their contracts (some
//!    expired, some missing), written as entitlements first;
//! 2. a spec per case: first the showcases, hand-made cases that make sure every state worth
//!    showing exists (breached and due-soon clocks, the P1 downgrade, overdue RMAs, every
//!    escalation and RMA state), then random cases drawn from the scenario templates;
//! 3. a story per case: timed steps (notes, status and owner changes, escalations, RMAs) fitted
//!    between the case's creation and `now`;
//! 4. the steps of a batch of cases replayed in time order against the store, one transaction
//!    per batch: the demo's own work grows linearly with the number of cases, and the writer
//!    lock is released between batches.

mod files;
mod install_base;
mod notes;
mod people;
mod plan;
mod products;
mod rng;
mod scenarios;
mod specs;
mod stories;
mod templates;
mod writing;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::server::db::Db;
use crate::server::store::{self, Caller, CaseQuery, Sla, StoreError};

use install_base::InstallBase;
use people::{CARE, ENGINEERS, FORMER, LEADS};
use rng::Rng;
use specs::draw_specs;
use writing::write_batch;

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 2026;

/// Days of history when none is given: a month.
pub const DEFAULT_DAYS: u32 = 30;

/// The most days of history a demo may span (two years), so a mistyped number is caught.
pub const MAX_DAYS: u32 = 730;

/// What the demo should hold.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// How many cases to open (default 400).
    pub cases: usize,
    /// Seed of the generator: the same seed gives the same data on every machine.
    pub seed: u64,
    /// The end of the demo's history: cases are opened in the `days` days before it.
    pub now: DateTime<Utc>,
    /// Days of history (1 to [`MAX_DAYS`], default 30). Beyond the last 30 days every case is
    /// closed; under 30 the random cases' ages shrink in proportion (the hand-made showcases
    /// keep theirs, up to three weeks).
    pub days: u32,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            cases: 400,
            seed: DEFAULT_SEED,
            now: Utc::now(),
            days: DEFAULT_DAYS,
        }
    }
}

/// Cases written per transaction: large enough to amortise the commit, small enough that the
/// writer lock is never held for long.
const BATCH: usize = 500;

/// Seeds a database that holds no cases yet; returns how many cases were made (0 if the
/// database already had cases).
pub fn seed(db: &Db, sla: &Sla, options: &DemoOptions) -> Result<usize, StoreError> {
    let now = options.now;
    let base = InstallBase::generate(&mut Rng::new(options.seed), now);
    let days = options.days.clamp(1, MAX_DAYS);
    let mut specs = draw_specs(&base, options.seed, options.cases, now, days);
    // Cases are opened in time order, so case numbers follow the calendar.
    specs.sort_by_key(|spec| (spec.created, spec.index));

    let mut batches = specs.chunks(BATCH);
    let first = batches.next().unwrap_or_default();
    // The emptiness check, the entitlements and the first batch share one transaction, so two
    // demo starts on the same database cannot both seed it.
    let seeded = db.write_blocking(|tx| {
        if has_cases(tx)? {
            return Ok(false);
        }
        for asset in &base.assets {
            if let Some(entitlement) = asset.entitlement(now) {
                store::put_entitlement(tx, &entitlement)?;
            }
        }
        issue_staff(tx, now)?;
        write_batch(tx, sla, &base, first, options)?;
        Ok::<_, StoreError>(true)
    })?;
    if !seeded {
        return Ok(0);
    }
    for batch in batches {
        db.write_blocking(|tx| write_batch(tx, sla, &base, batch, options))?;
    }
    Ok(specs.len())
}

/// The desk's people hold tokens (secrets not kept: nobody logs in as them from here), so
/// `GET /v1/people` lists them and cases can be assigned to them; a colleague who has left
/// is listed too, inactive (their token revoked).
fn issue_staff(conn: &Connection, at: DateTime<Utc>) -> Result<(), StoreError> {
    for person in ENGINEERS.iter().chain(LEADS).chain(CARE) {
        store::create_token(conn, person.login, person.role, at)?;
    }
    store::create_token(conn, FORMER.login, FORMER.role, at)?;
    store::revoke_token(conn, FORMER.login, at)
}

fn has_cases(conn: &Connection) -> Result<bool, StoreError> {
    let query = CaseQuery {
        limit: 1,
        ..CaseQuery::default()
    };
    Ok(store::list_cases(conn, &query, &Caller::system())?.total > 0)
}

/// Minutes, as the story tables write durations.
const H: i64 = 60;
/// Minutes in a day.
const D: i64 = 24 * H;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use chrono::{Duration, TimeZone};

    use super::people::PORTAL;
    use super::plan::place;
    use super::scenarios::SCENARIOS;
    use super::specs::SHOWCASES;
    use super::stories::{Action, Gap, Step};
    use super::templates::{Ctx, render};
    use super::*;
    use crate::api::CaseSummary;
    use crate::domain::{
        Channel, CloseReason, ContractTier, EscalationState, Priority, RequestType, RmaStatus,
        Status,
    };
    use crate::server::store::{EscalationQuery, RmaQuery};
    use crate::sla::{Calendars, Policies};

    /// A database file under the temp directory, removed (with its WAL files) when dropped.
    struct TempDb {
        path: PathBuf,
        db: Option<Db>,
    }

    impl TempDb {
        fn new(name: &str) -> Self {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let unique = NEXT.fetch_add(1, Ordering::Relaxed);
            let file = format!("casedesk-demo-{}-{name}-{unique}.db", std::process::id());
            let path = std::env::temp_dir().join(file);
            let db = Db::open(&path).expect("open a temp database");
            TempDb { path, db: Some(db) }
        }

        fn db(&self) -> &Db {
            self.db.as_ref().expect("open")
        }
    }

    impl Drop for TempDb {
        fn drop(&mut self) {
            drop(self.db.take());
            for suffix in ["", "-wal", "-shm"] {
                let mut path = self.path.clone().into_os_string();
                path.push(suffix);
                let _ = std::fs::remove_file(path);
            }
        }
    }

    fn sla() -> Sla {
        Sla {
            calendars: Calendars::builtin(),
            policies: Policies::builtin(),
        }
    }

    /// A fixed instant, so the tests do not depend on the day they run (Friday, 12:00 in Tokyo).
    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 3, 0, 0)
            .single()
            .expect("valid instant")
    }

    fn options(cases: usize, seed: u64) -> DemoOptions {
        DemoOptions {
            cases,
            seed,
            now: now(),
            days: DEFAULT_DAYS,
        }
    }

    fn all_cases(db: &Db) -> Vec<CaseSummary> {
        let caller = Caller::system();
        let mut cases = Vec::new();
        let mut offset = 0;
        loop {
            let query = CaseQuery {
                sort: crate::api::SortColumn::Number,
                offset,
                limit: 500,
                ..CaseQuery::default()
            };
            let page = db
                .read_blocking(|c| store::list_cases(c, &query, &caller))
                .expect("list cases");
            offset += page.items.len() as u64;
            cases.extend(page.items);
            if page.next_cursor.is_none() {
                return cases;
            }
        }
    }

    fn seeded(name: &str, cases: usize, seed: u64) -> (TempDb, Vec<CaseSummary>) {
        let temp = TempDb::new(name);
        let started = std::time::Instant::now();
        let made = super::seed(temp.db(), &sla(), &options(cases, seed)).expect("seed");
        eprintln!("seeded {made} cases in {:?}", started.elapsed());
        assert_eq!(made, cases);
        let listed = all_cases(temp.db());
        (temp, listed)
    }

    #[test]
    fn seeds_400_cases_covering_every_state() {
        let (temp, cases) = seeded("cover", 400, DEFAULT_SEED);
        let db = temp.db();
        assert_eq!(cases.len(), 400);

        let statuses: BTreeSet<Status> = cases.iter().map(|c| c.status).collect();
        assert_eq!(statuses, Status::ALL.iter().copied().collect());
        let tiers: BTreeSet<ContractTier> = cases.iter().map(|c| c.tier).collect();
        assert_eq!(tiers, ContractTier::ALL.iter().copied().collect());
        let priorities: BTreeSet<Priority> = cases.iter().map(|c| c.priority).collect();
        assert_eq!(priorities, Priority::ALL.iter().copied().collect());
        let requests: BTreeSet<RequestType> = cases.iter().map(|c| c.request_type).collect();
        assert_eq!(requests, RequestType::ALL.iter().copied().collect());
        let channels: BTreeSet<Channel> = cases.iter().map(|c| c.channel).collect();
        assert_eq!(channels.len(), 2);
        assert!(
            cases.iter().any(|c| c.owner.is_none()),
            "some cases are unassigned"
        );

        for &state in EscalationState::ALL {
            let query = EscalationQuery { state: vec![state] };
            let found = db
                .read_blocking(|c| store::list_escalations(c, &query))
                .expect("escalations");
            assert!(!found.is_empty(), "no escalation is {state}");
        }
        for &status in RmaStatus::ALL {
            let query = RmaQuery {
                status: vec![status],
                limit: 10,
                ..RmaQuery::default()
            };
            let found = db
                .read_blocking(|c| store::list_rmas(c, &query, now()))
                .expect("RMAs");
            assert!(!found.is_empty(), "no RMA is {status}");
        }

        let stats = db.read_blocking(|c| store::stats(c, now())).expect("stats");
        assert!(stats.breached >= 1, "{stats:?}");
        assert!(stats.overdue_rmas >= 1, "{stats:?}");
        assert!(stats.due_within_1h >= 1, "{stats:?}");
        assert!(stats.unassigned >= 1, "{stats:?}");
        assert!(stats.open_escalations >= 1, "{stats:?}");
    }

    #[test]
    fn the_p1_downgrade_is_taken_once_and_available_once() {
        let (temp, cases) = seeded("downgrade", SHOWCASES.len(), 7);
        let sla = sla();
        assert!(
            cases
                .iter()
                .any(|c| c.temporarily_downgraded && c.priority == Priority::P2)
        );
        let available = cases
            .iter()
            .filter(|c| c.priority == Priority::P1 && c.status.is_open())
            .any(|c| {
                let case = temp
                    .db()
                    .read_blocking(|conn| store::get_case(conn, &sla, &c.number.to_string(), now()))
                    .expect("case");
                case.clocks.p1_contact.downgrade_available
            });
        assert!(available, "a P1 with the downgrade available");
        let with_pr = cases
            .iter()
            .filter(|c| c.status == Status::WaitingOnEngineering)
            .all(|c| {
                let case = temp
                    .db()
                    .read_blocking(|conn| store::get_case(conn, &sla, &c.number.to_string(), now()))
                    .expect("case");
                !case.problem_reports.is_empty()
            });
        assert!(
            with_pr,
            "cases waiting on engineering have a problem report"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_cases() {
        let subjects = |seed| {
            seeded("same", 120, seed)
                .1
                .into_iter()
                .map(|c| (c.number, c.subject))
                .collect::<Vec<_>>()
        };
        let first = subjects(42);
        assert_eq!(first, subjects(42));
        assert_ne!(first, subjects(43));
    }

    fn seeded_over(name: &str, cases: usize, days: u32) -> (TempDb, Vec<CaseSummary>) {
        let temp = TempDb::new(name);
        let options = DemoOptions {
            days,
            ..options(cases, DEFAULT_SEED)
        };
        assert_eq!(
            super::seed(temp.db(), &sla(), &options).expect("seed"),
            cases
        );
        let listed = all_cases(temp.db());
        (temp, listed)
    }

    #[test]
    fn a_year_of_history_is_closed_before_the_last_month() {
        let (_temp, cases) = seeded_over("year", 600, 365);
        assert_eq!(cases.len(), 600);
        let age_days = |c: &CaseSummary| (now() - c.created_at).num_days();
        assert!(cases.iter().all(|c| age_days(c) < 365), "within the year");
        assert!(cases.iter().any(|c| age_days(c) > 330), "the year's start");
        // Spread evenly: about half the cases are from the year's first half.
        let older = cases.iter().filter(|c| age_days(c) >= 183).count();
        assert!(
            (240..=330).contains(&older),
            "{older} of 600 older than 183 days"
        );
        for case in cases.iter().filter(|c| age_days(c) > 30) {
            assert_eq!(
                case.status,
                Status::Closed,
                "{} {}",
                case.number,
                age_days(case)
            );
        }
        // Closed long since: the story ends weeks after it starts, not at the end of the year.
        for case in cases.iter().filter(|c| age_days(c) > 120) {
            let worked = (case.updated_at - case.created_at).num_days();
            assert!(worked < 60, "{} worked for {worked} days", case.number);
        }
        let open = cases.iter().filter(|c| c.status.is_open()).count();
        assert!(open >= 20, "{open} open cases in the last month");
    }

    #[test]
    fn a_short_history_keeps_the_random_cases_within_it() {
        let base = InstallBase::generate(&mut Rng::new(DEFAULT_SEED), now());
        for days in [1, 7] {
            let specs = draw_specs(&base, DEFAULT_SEED, 400, now(), days);
            let earliest = now() - Duration::days(i64::from(days));
            for spec in &specs[SHOWCASES.len()..] {
                assert!(spec.created >= earliest, "case {} {days}", spec.index);
                assert_ne!(spec.close, Some(CloseReason::NoCustomerResponse));
            }
        }
        let (_temp, cases) = seeded_over("week", 200, 7);
        assert_eq!(cases.len(), 200);
    }

    #[test]
    fn a_second_seed_adds_nothing() {
        let (temp, cases) = seeded("twice", 60, 1);
        let seq = |db: &Db| db.read_blocking(store::current_seq).expect("seq");
        let before = seq(temp.db());
        assert_eq!(
            super::seed(temp.db(), &sla(), &options(60, 1)).expect("seed again"),
            0
        );
        assert_eq!(seq(temp.db()), before);
        assert_eq!(all_cases(temp.db()).len(), cases.len());
    }

    #[test]
    fn placing_keeps_fixed_gaps_and_ends_stretched_stories_at_the_limit() {
        let created = now() - Duration::days(10);
        let limit = now() - Duration::hours(2);
        let step = |gap| Step {
            gap,
            by: &PORTAL,
            action: Action::MoveRma(RmaStatus::Closed),
        };
        let steps = vec![
            step(Gap::Fixed(15)),
            step(Gap::Flex(60)),
            step(Gap::Flex(60)),
        ];
        let placed = place(created, limit, steps, true);
        assert_eq!(placed[0].at, created + Duration::minutes(15));
        assert_eq!(placed[2].at, limit);
        assert!(placed.windows(2).all(|w| w[0].at < w[1].at));

        // A story longer than the case is old is squeezed, never placed after the limit.
        let steps = vec![step(Gap::Fixed(3 * D)), step(Gap::Flex(D))];
        let placed = place(limit - Duration::hours(1), limit, steps, false);
        assert!(placed.iter().all(|t| t.at <= limit));
    }

    #[test]
    fn templates_fill_known_names_and_keep_the_rest() {
        let base = InstallBase::generate(&mut Rng::new(1), now());
        let mut specs = draw_specs(&base, 1, 1, now(), DEFAULT_DAYS);
        let spec = specs.remove(0);
        let ctx = Ctx::new(&spec, &base.assets[spec.asset], &mut Rng::new(2));
        let text = render("{site} {rma} {unknown", &ctx);
        assert_eq!(text, format!("{} {{rma}} {{unknown", ctx.site));
    }

    #[test]
    fn showcases_name_real_scenarios() {
        for show in SHOWCASES {
            assert!(
                SCENARIOS.iter().any(|s| s.key == show.scenario),
                "{}",
                show.scenario
            );
        }
    }
}
