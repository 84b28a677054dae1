//! Stories: the steps of a case

use crate::api::{CasePatch, EscalationPatch, NewEscalation, NewNote, NewRma, NoteKind};
use crate::domain::{
    AnalysisRequest, Channel, CloseReason, EscalationKind, EscalationState, Priority, RequestType,
    RmaStatus, Status, Vendor, Visibility,
};

use super::notes::{
    ACK, ASK_ADMIN, ASK_BACKUP, ASK_FEATURE, ASK_NETWORK, ASSIGN, AUTO_CLOSE, CALLS, CHASER,
    CONFIRM, CONTACT_FAILED, DECLINE, DOWNGRADE_NOTICE, INTERNAL, INTERNAL_ADMIN, INTERNAL_FEATURE,
    MANAGER_NOTE, NO_LONGER_NEEDED, PR_FILED, PR_FIXED, PR_REASON, PRIORITY_DOWN, PRIORITY_UP,
    REMINDER, REOPEN, REOPEN_REASON, REPLY, REPLY_ADMIN, REPLY_FEATURE, RMA_CANCELLED, RMA_ISSUED,
    RMA_RECEIVED, RMA_REQUESTED, RMA_SHIPPED, RMA_STATUS_NOTE, TEMP_DOWNGRADE, close_note,
    escalation_reasons, escalation_resolutions,
};
use super::people::{ENGINEERS, Lang, PORTAL, Pool, SYSTEM, Staff, care_for, lead_for};
use super::rng::Rng;
use super::specs::{CaseSpec, Special};
use super::templates::{Ctx, render};
use super::{D, H};

/// What a step does, through which store function.
pub(super) enum Action {
    Note(NewNote),
    Patch(CasePatch),
    Escalate(NewEscalation),
    /// Acts on the case's latest escalation.
    HandleEscalation(EscalationPatch),
    OpenRma(NewRma),
    /// Moves the case's latest RMA.
    MoveRma(RmaStatus),
}

/// The time before a step. Fixed gaps keep their length (a first response after 12 minutes,
/// the 14 days before the auto-close); flexible ones stretch or shrink so the story ends where
/// the spec says.
#[derive(Clone, Copy)]
pub(super) enum Gap {
    Fixed(i64),
    Flex(i64),
}

pub(super) struct Step {
    pub(super) gap: Gap,
    pub(super) by: &'static Staff,
    pub(super) action: Action,
}

/// Builds a case's steps, keeping track of its status, priority and owner as they change.
pub(super) struct Story<'a> {
    pub(super) spec: &'a CaseSpec,
    pub(super) rng: Rng,
    pub(super) ctx: Ctx,
    pub(super) lang: Lang,
    /// Whose product the case is about.
    pub(super) vendor: Vendor,
    pub(super) status: Status,
    pub(super) priority: Priority,
    pub(super) owner: Option<&'static Staff>,
    pub(super) steps: Vec<Step>,
}

impl Story<'_> {
    // --- building blocks

    pub(super) fn fixed(&mut self, lo: i64, hi: i64) -> Gap {
        Gap::Fixed(self.rng.range(lo, hi))
    }

    pub(super) fn flex(&mut self, lo: i64, hi: i64) -> Gap {
        Gap::Flex(self.rng.range(lo, hi))
    }

    /// A template from `pool` in the case's language, filled in. Templates that name a serial
    /// are left out when the case has none.
    pub(super) fn say(&mut self, pool: &Pool) -> String {
        say(
            &mut self.rng,
            pool,
            self.lang,
            &self.ctx,
            self.spec.with_serial,
        )
    }

    pub(super) fn push(&mut self, gap: Gap, by: &'static Staff, action: Action) {
        self.steps.push(Step { gap, by, action });
    }

    pub(super) fn note(
        &mut self,
        gap: Gap,
        by: &'static Staff,
        pool: &Pool,
        kind: NoteKind,
        visibility: Visibility,
    ) {
        let body = self.say(pool);
        let note = NewNote {
            body,
            visibility,
            kind,
            from_customer: false,
        };
        self.push(gap, by, Action::Note(note));
    }

    /// A public note by support: a response and an update as far as the clocks go.
    fn public(&mut self, gap: Gap, by: &'static Staff, pool: &Pool) {
        self.note(gap, by, pool, NoteKind::Note, Visibility::Public);
    }

    fn internal(&mut self, gap: Gap, by: &'static Staff, pool: &Pool) {
        self.note(gap, by, pool, NoteKind::Note, Visibility::Internal);
    }

    fn call(&mut self, gap: Gap, by: &'static Staff, pool: &Pool) {
        self.note(gap, by, pool, NoteKind::Call, Visibility::Public);
    }

    fn contact_failed(&mut self, gap: Gap) {
        let who = self.worker();
        self.note(
            gap,
            who,
            &CONTACT_FAILED,
            NoteKind::ContactFailed,
            Visibility::Internal,
        );
    }

    /// The customer's words, as the portal (web) or the engineer (e-mail, phone) records them.
    fn customer(&mut self, gap: Gap, pool: &Pool) {
        let body = self.say(pool);
        let by = self.customer_side();
        let note = NewNote {
            body,
            visibility: Visibility::Public,
            kind: NoteKind::Note,
            from_customer: true,
        };
        self.push(gap, by, Action::Note(note));
    }

    pub(super) fn patch(&mut self, gap: Gap, by: &'static Staff, patch: CasePatch) {
        self.push(gap, by, Action::Patch(patch));
    }

    fn move_to(&mut self, gap: Gap, by: &'static Staff, to: Status, reason: Option<String>) {
        debug_assert!(
            self.status.may_move_to(to),
            "{} → {to} in {}",
            self.status,
            self.spec.scenario.key
        );
        self.status = to;
        let patch = CasePatch {
            status: Some(to),
            reason,
            ..CasePatch::default()
        };
        self.patch(gap, by, patch);
    }

    pub(super) fn close(&mut self, gap: Gap, by: &'static Staff, reason: CloseReason, why: String) {
        debug_assert!(self.status.may_move_to(Status::Closed));
        self.status = Status::Closed;
        let patch = CasePatch {
            status: Some(Status::Closed),
            close_reason: Some(reason),
            reason: Some(why),
            ..CasePatch::default()
        };
        self.patch(gap, by, patch);
    }

    fn set_owner(
        &mut self,
        gap: Gap,
        by: &'static Staff,
        owner: &'static Staff,
        reason: Option<String>,
    ) {
        self.owner = Some(owner);
        self.ctx.engineer = owner.name(self.lang);
        let patch = CasePatch {
            owner: Some(owner.login.to_string()),
            reason,
            ..CasePatch::default()
        };
        self.patch(gap, by, patch);
    }

    /// Who does support's part: the owner, or whoever is on shift.
    fn worker(&self) -> &'static Staff {
        self.owner.unwrap_or(&ENGINEERS[0])
    }

    fn customer_side(&self) -> &'static Staff {
        match self.spec.channel {
            Channel::Web | Channel::Email => &PORTAL,
            Channel::Phone => self.worker(),
        }
    }

    /// What support asks the customer for: logs for a fault, facts for paperwork.
    fn ask_pool(&self) -> &'static Pool {
        match (self.spec.scenario.request, self.vendor) {
            (RequestType::FeatureRequest, _) => &ASK_FEATURE,
            (request, _) if request.is_non_technical() => &ASK_ADMIN,
            (_, Vendor::Network) => &ASK_NETWORK,
            (_, Vendor::Backup) => &ASK_BACKUP,
        }
    }

    fn reply_pool(&self) -> &'static Pool {
        match self.spec.scenario.request {
            RequestType::FeatureRequest => &REPLY_FEATURE,
            request if request.is_non_technical() => &REPLY_ADMIN,
            _ => &REPLY,
        }
    }

    fn internal_pool(&self) -> &'static Pool {
        match self.spec.scenario.request {
            RequestType::FeatureRequest => &INTERNAL_FEATURE,
            request if request.is_non_technical() => &INTERNAL_ADMIN,
            _ => &INTERNAL,
        }
    }

    // --- the story

    pub(super) fn tell(&mut self) {
        if self.spec.status == Status::New {
            return self.untouched();
        }
        self.take_ownership();
        match self.spec.special {
            Special::DowngradeTaken => return self.unreachable(true),
            Special::DowngradeAvailable => return self.unreachable(false),
            Special::None => {}
        }
        self.first_response();
        if let Some(rma) = self.spec.rma {
            self.rma(rma);
        }
        if self.spec.extras && self.rng.percent(8) {
            self.reassess_priority();
        }
        let rounds = match (
            self.spec.scenario.request.is_non_technical(),
            self.spec.extras,
        ) {
            (_, false) => 1,
            (true, true) => self.rng.weighted(&[60, 40]),
            (false, true) => self.rng.weighted(&[25, 50, 25]),
        };
        for _ in 0..rounds {
            self.round();
        }
        // Finished escalations happened along the way; open ones are recent.
        let escalation = self.spec.escalation;
        let finished = escalation.filter(|(_, state)| !state.is_open());
        if let Some(escalation) = finished {
            self.escalate(escalation);
        }
        if self.spec.pr && self.spec.status != Status::WaitingOnEngineering {
            self.problem_report();
            self.fix_available();
        }
        if self.spec.reopened {
            self.resolve();
            self.reopen();
        }
        if let Some(escalation) = escalation.filter(|(_, state)| state.is_open()) {
            self.escalate(escalation);
        }
        self.finish();
    }

    /// A new case: nobody has answered yet, though a lead may have assigned it.
    fn untouched(&mut self) {
        if let Some(owner) = self.spec.owner
            && self.owner.is_none()
        {
            let lead = lead_for(self.lang);
            let gap = self.flex(5, 3 * H);
            let reason = Some(self.say(&ASSIGN));
            self.set_owner(gap, lead, owner, reason);
        }
        if self.rng.percent(30) {
            let gap = self.flex(5, 2 * H);
            let who = self.owner.unwrap_or(lead_for(self.lang));
            let pool = self.internal_pool();
            self.internal(gap, who, pool);
        }
        if self.rng.percent(20) {
            let gap = self.flex(H, 6 * H);
            self.customer(gap, &CHASER);
        }
        if let Some(escalation) = self.spec.escalation {
            self.escalate(escalation);
        }
    }

    /// The owner takes the case, or a lead hands it out. Phone cases are owned from the start.
    fn take_ownership(&mut self) {
        let Some(owner) = self.spec.owner else { return };
        if self.owner.is_some() {
            return;
        }
        if self.rng.percent(75) {
            let gap = self.fixed(1, 12);
            self.set_owner(gap, owner, owner, None);
        } else {
            let gap = self.fixed(2, 20);
            let reason = Some(self.say(&ASSIGN));
            self.set_owner(gap, lead_for(self.lang), owner, reason);
        }
    }

    /// Minutes until support first answers: quick for a P1, now and then late.
    fn response_delay(&mut self) -> i64 {
        let (lo, hi) = match self.spec.priority {
            Priority::P1 => (3, 20),
            Priority::P2 => (8, 45),
            Priority::P3 => (30, 5 * H),
            Priority::P4 => (H, 20 * H),
        };
        let delay = self.rng.range(lo, hi);
        if self.spec.extras && self.rng.percent(12) {
            (delay * self.rng.range(3, 5)).min(3 * D)
        } else {
            delay
        }
    }

    fn first_response(&mut self) {
        let delay = self.response_delay();
        let who = self.worker();
        if self.spec.priority == Priority::P1 && self.spec.extras && self.rng.percent(25) {
            // Could not get through at first; the call back is the response.
            self.contact_failed(Gap::Fixed(delay / 2));
            self.call(Gap::Fixed(delay - delay / 2 + 5), who, &CALLS);
        } else if self.spec.channel == Channel::Phone && self.rng.percent(50) {
            self.call(Gap::Fixed(delay), who, &CALLS);
        } else {
            self.public(Gap::Fixed(delay), who, &ACK);
        }
        // The store opens a new case on support's first public note or call.
        self.status = Status::Open;
    }

    /// A P1 whose customer does not pick up: an hour of failed calls makes the temporary
    /// downgrade available (SPEC 2.2).
    fn unreachable(&mut self, downgrade: bool) {
        let who = self.worker();
        self.public(Gap::Fixed(8), who, &ACK);
        self.status = Status::Open;
        self.contact_failed(Gap::Fixed(4));
        self.contact_failed(Gap::Fixed(30));
        self.contact_failed(Gap::Fixed(35));
        if downgrade {
            let reason = Some(self.say(&TEMP_DOWNGRADE));
            let patch = CasePatch {
                priority: Some(Priority::P2),
                temporary: true,
                reason,
                ..CasePatch::default()
            };
            self.patch(Gap::Fixed(5), who, patch);
            self.priority = Priority::P2;
            self.public(Gap::Fixed(3), who, &DOWNGRADE_NOTICE);
            let pool = self.internal_pool();
            self.internal(Gap::Fixed(55), who, pool);
        }
    }

    /// Support re-assesses the priority with the customer (the reason is required).
    fn reassess_priority(&mut self) {
        let (to, pool) = match self.priority {
            Priority::P1 => (Priority::P2, &PRIORITY_DOWN),
            Priority::P2 if self.rng.percent(60) => (Priority::P3, &PRIORITY_DOWN),
            Priority::P2 => (Priority::P1, &PRIORITY_UP),
            Priority::P3 if self.rng.percent(50) => (Priority::P4, &PRIORITY_DOWN),
            Priority::P3 => (Priority::P2, &PRIORITY_UP),
            Priority::P4 => (Priority::P3, &PRIORITY_UP),
        };
        let gap = self.flex(30, 4 * H);
        let who = self.worker();
        let reason = Some(self.say(pool));
        self.priority = to;
        let patch = CasePatch {
            priority: Some(to),
            reason,
            ..CasePatch::default()
        };
        self.patch(gap, who, patch);
    }

    /// Investigate, ask the customer, wait, get the answer.
    fn round(&mut self) {
        let who = self.worker();
        if self.rng.percent(60) {
            let gap = self.flex(H, 10 * H);
            let pool = self.internal_pool();
            self.internal(gap, who, pool);
        }
        if self.rng.percent(30) {
            let gap = self.flex(H, 6 * H);
            self.call(gap, who, &CALLS);
        }
        let gap = self.flex(H, 8 * H);
        let ask = self.ask_pool();
        self.public(gap, who, ask);
        let gap = self.fixed(1, 3);
        self.move_to(gap, who, Status::WaitingOnCustomer, None);
        if self.rng.percent(15) {
            let gap = self.flex(D, 3 * D);
            self.public(gap, who, &REMINDER);
        }
        let gap = self.flex(3 * H, 2 * D);
        let reply = self.reply_pool();
        self.customer(gap, reply);
        let gap = self.fixed(5, 40);
        self.move_to(gap, who, Status::Open, None);
        if self.rng.percent(50) {
            let gap = self.flex(H, 6 * H);
            let updates = &self.spec.scenario.updates;
            self.public(gap, who, updates);
        }
    }

    /// The RMA's life, from issue to where the spec leaves it. The replacement ships the next
    /// day whatever the rest of the story does, so an old RMA is really overdue.
    pub(super) fn rma(&mut self, target: RmaStatus) {
        let who = self.worker();
        let care = care_for(self.lang);
        let issue = match target {
            RmaStatus::Requested => false,
            RmaStatus::Cancelled => self.rng.percent(50),
            _ => true,
        };
        let analysis = match self.rng.below(10) {
            0 => Some(AnalysisRequest::FailureAnalysis),
            1 => Some(AnalysisRequest::RepairAnalysis),
            _ => None,
        };
        let gap = self.fixed(20, 3 * H);
        let part = self.ctx.part.to_string();
        self.push(
            gap,
            who,
            Action::OpenRma(NewRma {
                serial_number: None,
                part_number: part,
                analysis,
                issue,
            }),
        );
        let gap = self.fixed(1, 3);
        if issue {
            self.public(gap, who, &RMA_ISSUED);
        } else {
            self.internal(gap, who, &RMA_REQUESTED);
        }
        match target {
            RmaStatus::Requested | RmaStatus::Issued => {}
            RmaStatus::Cancelled => {
                let gap = self.flex(4 * H, 2 * D);
                self.push(gap, care, Action::MoveRma(RmaStatus::Cancelled));
                let gap = self.fixed(1, 5);
                self.public(gap, who, &RMA_CANCELLED);
            }
            RmaStatus::ReplacementShipped | RmaStatus::DefectiveReceived | RmaStatus::Closed => {
                let gap = self.fixed(12 * H, 36 * H);
                self.push(gap, care, Action::MoveRma(RmaStatus::ReplacementShipped));
                let gap = self.fixed(1, 10);
                self.public(gap, care, &RMA_SHIPPED);
                if target != RmaStatus::ReplacementShipped {
                    let gap = self.flex(3 * D, 7 * D);
                    self.push(gap, care, Action::MoveRma(RmaStatus::DefectiveReceived));
                    let gap = self.fixed(1, 10);
                    self.internal(gap, care, &RMA_RECEIVED);
                }
                if target == RmaStatus::Closed {
                    let gap = self.flex(D, 3 * D);
                    self.push(gap, care, Action::MoveRma(RmaStatus::Closed));
                }
            }
        }
    }

    fn escalate(&mut self, (kind, state): (EscalationKind, EscalationState)) {
        let requester = if self.spec.channel == Channel::Web && self.rng.percent(60) {
            &PORTAL
        } else {
            self.worker()
        };
        let reason = self.say(escalation_reasons(kind));
        let contact_method = kind.needs_contact_method().then_some(self.spec.preferred);
        let gap = self.flex(H, 20 * H);
        self.push(
            gap,
            requester,
            Action::Escalate(NewEscalation {
                kind,
                reason,
                contact_method,
            }),
        );
        let lead = lead_for(self.lang);
        match state {
            EscalationState::Requested => {}
            // A lead may decline at once, without acknowledging first.
            EscalationState::Declined if self.rng.percent(40) => self.decline(lead),
            _ => {
                let gap = self.fixed(10, 2 * H);
                self.handle(gap, lead, EscalationState::Acknowledged, None);
                match state {
                    EscalationState::Resolved => {
                        self.escalation_work(kind, lead);
                        let gap = self.fixed(10, H);
                        let resolution = Some(self.say(escalation_resolutions(kind)));
                        self.handle(gap, lead, EscalationState::Resolved, resolution);
                    }
                    EscalationState::Declined => self.decline(lead),
                    _ => {}
                }
            }
        }
    }

    fn handle(
        &mut self,
        gap: Gap,
        lead: &'static Staff,
        state: EscalationState,
        resolution: Option<String>,
    ) {
        self.push(
            gap,
            lead,
            Action::HandleEscalation(EscalationPatch { state, resolution }),
        );
    }

    fn decline(&mut self, lead: &'static Staff) {
        let gap = self.fixed(15, 3 * H);
        let resolution = Some(self.say(&DECLINE));
        self.handle(gap, lead, EscalationState::Declined, resolution);
    }

    /// What the desk does for an escalation before resolving it (SPEC 2.7).
    fn escalation_work(&mut self, kind: EscalationKind, lead: &'static Staff) {
        match kind {
            EscalationKind::FasterProgress => {
                let gap = self.fixed(10, H);
                self.internal(gap, lead, &MANAGER_NOTE);
            }
            EscalationKind::EngineerNow => {
                let gap = self.fixed(5, 40);
                let who = self.worker();
                self.call(gap, who, &CALLS);
            }
            EscalationKind::Reassignment => {
                let current = self.worker().login;
                let others: Vec<&'static Staff> = ENGINEERS
                    .iter()
                    .filter(|e| e.lang == self.lang && e.login != current)
                    .collect();
                let to = self.rng.choose(&others);
                let gap = self.fixed(10, H);
                let reason = Some(self.say(escalation_reasons(kind)));
                self.set_owner(gap, lead, to, reason);
            }
            EscalationKind::FasterRma => {
                let gap = self.fixed(10, 2 * H);
                self.public(gap, care_for(self.lang), &RMA_STATUS_NOTE);
            }
        }
    }

    /// Support finds a product defect and hands it to engineering.
    pub(super) fn problem_report(&mut self) {
        let who = self.worker();
        let gap = self.flex(2 * H, D);
        let reason = Some(self.say(&PR_REASON));
        self.status = Status::WaitingOnEngineering;
        let patch = CasePatch {
            status: Some(Status::WaitingOnEngineering),
            add_problem_reports: vec![self.ctx.pr.clone()],
            reason,
            ..CasePatch::default()
        };
        self.patch(gap, who, patch);
        let gap = self.fixed(2, 15);
        self.public(gap, who, &PR_FILED);
    }

    fn fix_available(&mut self) {
        let who = self.worker();
        let gap = self.flex(3 * D, 10 * D);
        self.public(gap, who, &PR_FIXED);
        let gap = self.fixed(1, 5);
        self.move_to(gap, who, Status::Open, None);
    }

    fn resolve(&mut self) {
        let who = self.worker();
        let gap = self.flex(2 * H, 2 * D);
        let solutions = &self.spec.scenario.solutions;
        self.public(gap, who, solutions);
        let gap = self.fixed(1, 5);
        self.move_to(gap, who, Status::Resolved, None);
    }

    fn reopen(&mut self) {
        let gap = self.flex(D, 4 * D);
        self.customer(gap, &REOPEN);
        let gap = self.fixed(10, 2 * H);
        let who = self.worker();
        let reason = Some(self.say(&REOPEN_REASON));
        self.move_to(gap, who, Status::Open, reason);
    }

    /// The last steps, which leave the case where the spec says.
    fn finish(&mut self) {
        let who = self.worker();
        match self.spec.status {
            Status::New => {}
            Status::Open => {
                if self.spec.extras && self.rng.percent(25) {
                    let gap = self.flex(2 * H, D);
                    self.customer(gap, &CHASER);
                }
                let gap = self.flex(H, D);
                let updates = &self.spec.scenario.updates;
                self.public(gap, who, updates);
            }
            Status::WaitingOnCustomer => self.wait_for_customer(),
            Status::WaitingOnEngineering => self.problem_report(),
            Status::Resolved => self.resolve(),
            Status::Closed => self.finish_closed(),
        }
    }

    fn wait_for_customer(&mut self) {
        let who = self.worker();
        let gap = self.flex(H, 8 * H);
        let ask = self.ask_pool();
        self.public(gap, who, ask);
        let gap = self.fixed(1, 3);
        self.move_to(gap, who, Status::WaitingOnCustomer, None);
    }

    fn finish_closed(&mut self) {
        let who = self.worker();
        let reason = self.spec.close.unwrap_or(CloseReason::ConfirmedResolved);
        let why = close_note(reason, self.lang).to_string();
        match reason {
            CloseReason::NoCustomerResponse => {
                // A reminder after a week, then the server's job closes the case when the
                // 14-day auto-close clock runs out (SPEC 2.5).
                self.wait_for_customer();
                self.public(Gap::Fixed(7 * D), who, &REMINDER);
                let why = self.say(&AUTO_CLOSE);
                self.close(Gap::Fixed(7 * D), &SYSTEM, reason, why);
            }
            CloseReason::NoLongerNeeded => {
                self.wait_for_customer();
                let gap = self.flex(3 * H, 3 * D);
                self.customer(gap, &NO_LONGER_NEEDED);
                let gap = self.fixed(10, 3 * H);
                self.close(gap, who, reason, why);
            }
            _ => {
                self.resolve();
                let gap = self.flex(3 * H, 3 * D);
                self.customer(gap, &CONFIRM);
                let gap = self.fixed(5, 4 * H);
                self.close(gap, who, reason, why);
            }
        }
    }
}

/// A template from `pool` in `lang`, filled in from `ctx`.
pub(super) fn say(rng: &mut Rng, pool: &Pool, lang: Lang, ctx: &Ctx, with_serial: bool) -> String {
    let all = pool.get(lang);
    let usable: Vec<&str> = all
        .iter()
        .copied()
        .filter(|t| with_serial || !t.contains("{serial}"))
        .collect();
    let template = if usable.is_empty() {
        rng.choose(all)
    } else {
        rng.choose(&usable)
    };
    render(template, ctx)
}
