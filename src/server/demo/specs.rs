//! Case specs: what each case is and where its story ends

use chrono::{DateTime, Duration, Utc};

use crate::domain::ContractTier::{
    self, Premium, SelfService, Standard, TacAdvanced, TacCare, TacPremium,
};
use crate::domain::EscalationKind::{self, EngineerNow, FasterProgress, FasterRma, Reassignment};
use crate::domain::Priority::{self, P1, P2, P3, P4};
use crate::domain::{
    Channel, CloseReason, ContactMethod, EscalationState, RequestType, RmaStatus, Status,
};

use super::install_base::InstallBase;
use super::people::{Contact, ENGINEERS, Lang, Staff, care_for};
use super::rng::Rng;
use super::scenarios::{SCENARIOS, Scenario, SerialUse};
use super::{D, H};

/// A P1 story about reaching the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Special {
    None,
    /// An hour of failed calls, then the temporary downgrade to P2.
    DowngradeTaken,
    /// An hour of failed calls; the downgrade is available but not taken.
    DowngradeAvailable,
}

/// Everything decided about a case before its story is told.
pub(super) struct CaseSpec {
    /// Its place in the draw, which seeds its own generator.
    pub(super) index: usize,
    pub(super) scenario: &'static Scenario,
    pub(super) asset: usize,
    pub(super) contact: &'static Contact,
    pub(super) preferred: ContactMethod,
    pub(super) priority: Priority,
    pub(super) channel: Channel,
    /// Where the story ends.
    pub(super) status: Status,
    pub(super) close: Option<CloseReason>,
    pub(super) created: DateTime<Utc>,
    /// Quiet time between the last step and now, in minutes.
    pub(super) tail: i64,
    pub(super) owner: Option<&'static Staff>,
    pub(super) escalation: Option<(EscalationKind, EscalationState)>,
    pub(super) rma: Option<RmaStatus>,
    pub(super) pr: bool,
    /// Solved once, then the customer came back.
    pub(super) reopened: bool,
    pub(super) with_serial: bool,
    /// Random twists (late responses, priority changes) are allowed; showcases keep to script.
    pub(super) extras: bool,
    pub(super) special: Special,
    pub(super) now: DateTime<Utc>,
}

impl CaseSpec {
    pub(super) fn age_minutes(&self) -> i64 {
        (self.now - self.created).num_minutes()
    }
}

/// A hand-made case, so that every state worth showing is in the demo whatever the seed.
pub(super) struct Showcase {
    pub(super) scenario: &'static str,
    pub(super) tier: ContractTier,
    pub(super) priority: Priority,
    pub(super) channel: Channel,
    pub(super) status: Status,
    pub(super) close: Option<CloseReason>,
    /// Minutes since it was opened.
    age: i64,
    /// Minutes since its last step.
    pub(super) tail: i64,
    pub(super) escalation: Option<(EscalationKind, EscalationState)>,
    pub(super) rma: Option<RmaStatus>,
    pub(super) special: Special,
}

pub(super) const fn show(
    scenario: &'static str,
    tier: ContractTier,
    priority: Priority,
    status: Status,
    age: i64,
    tail: i64,
) -> Showcase {
    Showcase {
        scenario,
        tier,
        priority,
        channel: Channel::Web,
        status,
        close: None,
        age,
        tail,
        escalation: None,
        rma: None,
        special: Special::None,
    }
}

const fn closed(
    scenario: &'static str,
    tier: ContractTier,
    priority: Priority,
    reason: CloseReason,
    age: i64,
) -> Showcase {
    Showcase {
        close: Some(reason),
        ..show(scenario, tier, priority, Status::Closed, age, 2 * H)
    }
}

pub(super) const SHOWCASES: &[Showcase] = &[
    // The P1 whose customer could not be reached for an hour: temporarily P2 now.
    Showcase {
        channel: Channel::Phone,
        special: Special::DowngradeTaken,
        ..show("core_down", TacPremium, P1, Status::Open, 5 * H, 1)
    },
    // The same, with the downgrade available but not taken.
    Showcase {
        channel: Channel::Phone,
        special: Special::DowngradeAvailable,
        ..show("core_down", TacAdvanced, P1, Status::Open, 2 * H + 10, 1)
    },
    // First responses due within the hour (no response yet, short targets).
    Showcase {
        channel: Channel::Phone,
        ..show("core_down", TacPremium, P1, Status::New, 9, 0)
    },
    show("bgp_flap", TacPremium, P2, Status::New, 14, 0),
    show("psu_rma", TacAdvanced, P2, Status::New, 22, 0),
    Showcase {
        channel: Channel::Phone,
        ..show("restore_down", Premium, P1, Status::New, 35, 0)
    },
    show("bgp_flap", TacCare, P2, Status::New, 41, 0),
    // A P1 whose next update (every 4h) is due in 35 minutes.
    Showcase {
        channel: Channel::Phone,
        ..show("core_down", TacCare, P1, Status::Open, 7 * H, 3 * H + 25)
    },
    // Breached: no first response in two days on an 8h target.
    show("config_q", TacCare, P3, Status::New, 2 * D, 0),
    // Breached: the daily update is four days late; the customer escalated.
    Showcase {
        escalation: Some((FasterProgress, EscalationState::Acknowledged)),
        ..show("bgp_flap", TacAdvanced, P2, Status::Open, 6 * D, 4 * D)
    },
    // The defective unit is weeks overdue; a faster-RMA escalation was declined.
    Showcase {
        rma: Some(RmaStatus::ReplacementShipped),
        escalation: Some((FasterRma, EscalationState::Declined)),
        ..show("psu_rma", TacCare, P2, Status::Open, 27 * D, 2 * D)
    },
    // The auto-close after two weeks of silence.
    Showcase {
        tail: 3 * D,
        ..closed(
            "lab_errors",
            Standard,
            P3,
            CloseReason::NoCustomerResponse,
            24 * D,
        )
    },
    show(
        "verify_fail",
        Standard,
        P2,
        Status::WaitingOnEngineering,
        12 * D,
        3 * D,
    ),
    Showcase {
        channel: Channel::Phone,
        escalation: Some((EngineerNow, EscalationState::Requested)),
        ..show("restore_down", Premium, P1, Status::Open, 90, 20)
    },
    Showcase {
        escalation: Some((Reassignment, EscalationState::Resolved)),
        ..show("config_q", TacPremium, P4, Status::Resolved, 9 * D, 2 * D)
    },
    Showcase {
        rma: Some(RmaStatus::Issued),
        ..show(
            "rma_status",
            TacAdvanced,
            P3,
            Status::WaitingOnCustomer,
            10 * D,
            D,
        )
    },
    Showcase {
        channel: Channel::Phone,
        rma: Some(RmaStatus::Requested),
        ..show("psu_rma", TacPremium, P2, Status::Open, 3 * D, 6 * H)
    },
    Showcase {
        rma: Some(RmaStatus::DefectiveReceived),
        ..show("psu_rma", TacCare, P2, Status::Resolved, 15 * D, 3 * D)
    },
    Showcase {
        rma: Some(RmaStatus::Closed),
        ..closed(
            "psu_rma",
            TacAdvanced,
            P2,
            CloseReason::ConfirmedResolved,
            25 * D,
        )
    },
    Showcase {
        rma: Some(RmaStatus::Cancelled),
        ..closed(
            "psu_rma",
            TacPremium,
            P3,
            CloseReason::NoLongerNeeded,
            8 * D,
        )
    },
    show("licence", SelfService, P4, Status::Resolved, 4 * D, D),
    show(
        "other",
        Standard,
        P4,
        Status::WaitingOnCustomer,
        3 * D,
        20 * H,
    ),
    closed(
        "feature",
        Standard,
        P4,
        CloseReason::FeatureRequestAccepted,
        20 * D,
    ),
    closed(
        "gui_cosmetic",
        Premium,
        P4,
        CloseReason::FixedInRelease,
        18 * D,
    ),
    closed(
        "backup_fail",
        Standard,
        P2,
        CloseReason::NotOurSoftware,
        14 * D,
    ),
    closed(
        "bgp_flap",
        TacCare,
        P2,
        CloseReason::WorkaroundAccepted,
        16 * D,
    ),
    closed(
        "config_q",
        TacAdvanced,
        P4,
        CloseReason::WorksAsDesigned,
        11 * D,
    ),
];

pub(super) fn scenario(key: &str) -> &'static Scenario {
    SCENARIOS
        .iter()
        .find(|s| s.key == key)
        .unwrap_or(&SCENARIOS[0])
}

/// The days the stories are written for: a random case's age and status are drawn for a
/// month of history.
const MONTH_DAYS: u32 = 30;

/// The specs of all cases over `days` days of history: the showcases first (as many as fit),
/// then random ones.
pub(super) fn draw_specs(
    base: &InstallBase,
    seed: u64,
    cases: usize,
    now: DateTime<Utc>,
    days: u32,
) -> Vec<CaseSpec> {
    let mut rng = Rng::new(seed ^ 0x00C0_FFEE);
    let mut deck = Deck::new(&mut rng);
    (0..cases)
        .map(|index| match SHOWCASES.get(index) {
            Some(showcase) => showcase_spec(showcase, index, base, &mut rng, now),
            None => random_spec(&mut deck, index, base, &mut rng, now, days),
        })
        .collect()
}

/// Scenario draws: each scenario once in a shuffled order first, so even a small demo shows
/// every request type, then in proportion to the weights.
struct Deck {
    first: Vec<usize>,
    weights: Vec<u32>,
}

impl Deck {
    pub(super) fn new(rng: &mut Rng) -> Self {
        let mut first: Vec<usize> = (0..SCENARIOS.len()).collect();
        rng.shuffle(&mut first);
        Deck {
            first,
            weights: SCENARIOS.iter().map(|s| s.weight).collect(),
        }
    }

    fn draw(&mut self, rng: &mut Rng) -> &'static Scenario {
        let index = self
            .first
            .pop()
            .unwrap_or_else(|| rng.weighted(&self.weights));
        &SCENARIOS[index]
    }
}

fn showcase_spec(
    show: &Showcase,
    index: usize,
    base: &InstallBase,
    rng: &mut Rng,
    now: DateTime<Utc>,
) -> CaseSpec {
    let scenario = scenario(show.scenario);
    let asset = base.pick(rng, scenario.vendor, Some(show.tier));
    let contact = rng.pick(base.assets[asset].site.contacts);
    let pr = scenario.pr
        && (show.status == Status::WaitingOnEngineering
            || show.close == Some(CloseReason::FixedInRelease));
    CaseSpec {
        index,
        scenario,
        asset,
        contact,
        preferred: contact.prefers,
        priority: show.priority,
        channel: show.channel,
        status: show.status,
        close: show.close,
        created: now - Duration::minutes(show.age),
        tail: show.tail,
        owner: (show.status != Status::New).then(|| pick_owner(rng, scenario, contact.lang)),
        escalation: show.escalation,
        rma: show.rma,
        pr,
        reopened: false,
        with_serial: scenario.serial != SerialUse::Rarely,
        extras: false,
        special: show.special,
        now,
    }
}

fn random_spec(
    deck: &mut Deck,
    index: usize,
    base: &InstallBase,
    rng: &mut Rng,
    now: DateTime<Utc>,
    days: u32,
) -> CaseSpec {
    let scenario = deck.draw(rng);
    let asset = base.pick(rng, scenario.vendor, None);
    let contact = rng.pick(base.assets[asset].site.contacts);
    let priority = vary(rng, scenario.priority);
    // Beyond the last month every story has long since ended: a case opened earlier is closed.
    // Cases are spread evenly over the days, so as many open per day as in the month. (No draw
    // at all for a month or less, so the default demo stays the same for a seed.)
    let archived = days > MONTH_DAYS && rng.below(days as usize) >= MONTH_DAYS as usize;
    let status = if archived {
        Status::Closed
    } else {
        draw_status(rng, scenario)
    };
    let pr = scenario.pr
        && match status {
            Status::WaitingOnEngineering => true,
            Status::Open | Status::Resolved | Status::Closed => rng.percent(40),
            _ => false,
        };
    let mut close = (status == Status::Closed).then(|| draw_close_reason(rng, scenario, pr));
    // The auto-close story needs three weeks; a shorter history has no room for it.
    if days < MONTH_DAYS && close == Some(CloseReason::NoCustomerResponse) {
        close = Some(CloseReason::NoLongerNeeded);
    }
    let age = if archived {
        rng.range(i64::from(MONTH_DAYS) * D, i64::from(days) * D - 1)
    } else if days < MONTH_DAYS {
        // A shorter history: the month's ages shrunk to fit, the stories squeezed with them.
        (draw_age(rng, status, close) * i64::from(days) / i64::from(MONTH_DAYS)).max(5)
    } else {
        draw_age(rng, status, close)
    };
    let tail = draw_tail(rng, status, close, age);
    let channel = if rng.percent(if priority == Priority::P1 { 65 } else { 15 }) {
        Channel::Phone
    } else {
        Channel::Web
    };
    let owned = status != Status::New || rng.percent(30);
    let rma = if scenario.rma && status != Status::New {
        Some(draw_rma(rng, status))
    } else {
        None
    };
    CaseSpec {
        index,
        scenario,
        asset,
        contact,
        preferred: if rng.percent(20) {
            other_method(contact.prefers)
        } else {
            contact.prefers
        },
        priority,
        channel,
        status,
        close,
        created: now - Duration::minutes(age),
        tail,
        owner: owned.then(|| pick_owner(rng, scenario, contact.lang)),
        escalation: draw_escalation(rng, status, rma.is_some()),
        rma,
        pr,
        reopened: matches!(status, Status::Open | Status::Resolved) && rng.percent(6),
        with_serial: match scenario.serial {
            SerialUse::Always => true,
            SerialUse::Often => rng.percent(80),
            SerialUse::Rarely => rng.percent(30),
        },
        extras: true,
        special: Special::None,
        now,
    }
}

/// The customer's pick, sometimes one step off.
fn vary(rng: &mut Rng, priority: Priority) -> Priority {
    match (rng.below(100), priority) {
        (0..10, Priority::P2) => Priority::P1,
        (0..10, Priority::P3) => Priority::P2,
        (0..10, Priority::P4) => Priority::P3,
        (10..20, Priority::P1) => Priority::P2,
        (10..20, Priority::P2) => Priority::P3,
        (10..20, Priority::P3) => Priority::P4,
        _ => priority,
    }
}

fn other_method(method: ContactMethod) -> ContactMethod {
    match method {
        ContactMethod::Phone => ContactMethod::Email,
        ContactMethod::Email => ContactMethod::Phone,
    }
}

fn draw_status(rng: &mut Rng, scenario: &Scenario) -> Status {
    // A month of history: most cases are done, a good share is being worked.
    let engineering = if scenario.pr { 8 } else { 0 };
    let weights = [8, 22, 12, engineering, 12, 38];
    Status::ALL[rng.weighted(&weights)]
}

fn draw_close_reason(rng: &mut Rng, scenario: &Scenario, pr: bool) -> CloseReason {
    if rng.percent(8) {
        return CloseReason::NoCustomerResponse;
    }
    if scenario.request == RequestType::FeatureRequest {
        return if rng.percent(70) {
            CloseReason::FeatureRequestAccepted
        } else {
            CloseReason::WorksAsDesigned
        };
    }
    if pr {
        return CloseReason::FixedInRelease;
    }
    const REASONS: [CloseReason; 5] = [
        CloseReason::ConfirmedResolved,
        CloseReason::WorkaroundAccepted,
        CloseReason::NoLongerNeeded,
        CloseReason::WorksAsDesigned,
        CloseReason::NotOurSoftware,
    ];
    REASONS[rng.weighted(&[60, 14, 10, 6, 5])]
}

/// Minutes since the case was opened, by where it stands now.
fn draw_age(rng: &mut Rng, status: Status, close: Option<CloseReason>) -> i64 {
    match status {
        Status::New if rng.percent(60) => rng.range(5, 12 * H),
        Status::New => rng.range(12 * H, 6 * D),
        Status::Open => rng.range(2 * H, 18 * D),
        Status::WaitingOnCustomer => rng.range(D, 25 * D),
        Status::WaitingOnEngineering => rng.range(2 * D, 28 * D),
        Status::Resolved => rng.range(D, 26 * D),
        // Two weeks of silence (and the work before) must fit in the month.
        Status::Closed if close == Some(CloseReason::NoCustomerResponse) => {
            rng.range(20 * D, 30 * D - 1)
        }
        Status::Closed => rng.range(D, 30 * D - 1),
    }
}

/// Minutes between the last step and now.
fn draw_tail(rng: &mut Rng, status: Status, close: Option<CloseReason>, age: i64) -> i64 {
    match status {
        Status::New => 0,
        Status::Open => rng.range(20, 36 * H).min(age / 2),
        // Under two weeks, so the auto-close has not come due.
        Status::WaitingOnCustomer => rng.range(2 * H, 12 * D).min(age * 2 / 3),
        Status::WaitingOnEngineering => rng.range(3 * H, 10 * D).min(age * 2 / 3),
        Status::Resolved => rng.range(2 * H, 7 * D).min(age / 2),
        Status::Closed if close == Some(CloseReason::NoCustomerResponse) => {
            rng.range(30, age - 19 * D)
        }
        Status::Closed => rng.range(30, (age / 2).max(31)),
    }
}

/// An RMA's status that fits the case's.
fn draw_rma(rng: &mut Rng, status: Status) -> RmaStatus {
    use RmaStatus::*;
    match status {
        Status::Resolved => {
            [ReplacementShipped, DefectiveReceived, Closed][rng.weighted(&[2, 3, 2])]
        }
        Status::Closed => [Closed, Cancelled, DefectiveReceived][rng.weighted(&[5, 1, 1])],
        _ => [
            Requested,
            Issued,
            ReplacementShipped,
            DefectiveReceived,
            Cancelled,
        ][rng.weighted(&[1, 3, 4, 1, 1])],
    }
}

/// Now and then the customer escalates; a finished case has only finished escalations.
fn draw_escalation(
    rng: &mut Rng,
    status: Status,
    has_rma: bool,
) -> Option<(EscalationKind, EscalationState)> {
    use EscalationState::*;
    if !rng.percent(if status == Status::New { 4 } else { 8 }) {
        return None;
    }
    let kinds: &[EscalationKind] = if has_rma {
        &[
            FasterProgress,
            EngineerNow,
            Reassignment,
            FasterRma,
            FasterRma,
        ]
    } else {
        &[FasterProgress, EngineerNow, Reassignment]
    };
    let kind = rng.choose(kinds);
    let state = match status {
        Status::New => Requested,
        Status::Resolved | Status::Closed => [Resolved, Declined][rng.weighted(&[3, 1])],
        _ => [Requested, Acknowledged, Resolved, Declined][rng.weighted(&[3, 3, 2, 1])],
    };
    Some((kind, state))
}

/// Who works the case: an engineer in the customer's language (now and then not), or customer
/// care for most non-technical requests.
fn pick_owner(rng: &mut Rng, scenario: &Scenario, lang: Lang) -> &'static Staff {
    let lang = match (rng.percent(10), lang) {
        (true, Lang::Ja) => Lang::En,
        (true, Lang::En) => Lang::Ja,
        (false, lang) => lang,
    };
    if scenario.request.is_non_technical() && rng.percent(70) {
        return care_for(lang);
    }
    let engineers: Vec<&'static Staff> = ENGINEERS.iter().filter(|e| e.lang == lang).collect();
    rng.choose(&engineers)
}
