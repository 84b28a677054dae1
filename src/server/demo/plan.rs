//! Plans: a case with its steps placed in time

use chrono::{DateTime, Duration, Utc};

use crate::api::NewCase;
use crate::domain::{Channel, Status};

use super::install_base::InstallBase;
use super::notes::ENVIRONMENT;
use super::people::{ENGINEERS, PORTAL, Staff, care_for};
use super::rng::Rng;
use super::specs::{CaseSpec, Special};
use super::stories::{Action, Gap, Step, Story, say};
use super::templates::Ctx;

/// A step at its instant.
pub(super) struct Timed {
    pub(super) at: DateTime<Utc>,
    pub(super) by: &'static Staff,
    pub(super) action: Action,
}

/// A case ready to be written.
pub(super) struct Plan {
    pub(super) case: NewCase,
    pub(super) opened_by: &'static Staff,
    pub(super) created: DateTime<Utc>,
    pub(super) steps: Vec<Timed>,
}

/// Turns a spec into the case and its timed steps.
pub(super) fn plan(spec: &CaseSpec, base: &InstallBase, seed: u64) -> Plan {
    let mut rng = Rng::for_case(seed, spec.index);
    let asset = &base.assets[spec.asset];
    let lang = spec.contact.lang;
    let ctx = Ctx::new(spec, asset, &mut rng);
    let subject = say(
        &mut rng,
        &spec.scenario.subjects,
        lang,
        &ctx,
        spec.with_serial,
    );
    let mut description = say(
        &mut rng,
        &spec.scenario.descriptions,
        lang,
        &ctx,
        spec.with_serial,
    );
    // Short descriptions get the environment block the seed guides ask customers for.
    if spec.with_serial && description.chars().count() < 160 && rng.percent(50) {
        description.push_str(&say(&mut rng, &ENVIRONMENT, lang, &ctx, true));
    }

    // A phone case is opened by whoever took the call; a web case by the portal.
    let (opened_by, owner) = match (spec.channel, spec.owner) {
        (Channel::Phone, Some(owner)) => (owner, Some(owner)),
        (Channel::Phone, None) => (care_for(lang), None),
        (Channel::Web | Channel::Email, _) => (&PORTAL, None),
    };
    let case = NewCase {
        subject,
        description,
        priority: spec.priority,
        tier: Some(asset.tier),
        channel: Some(spec.channel),
        request_type: Some(spec.scenario.request),
        site_name: asset.site.name.to_string(),
        site_id: asset.site.id.to_string(),
        account: asset.site.account.to_string(),
        contact_name: spec.contact.name.to_string(),
        contact_email: spec.contact.email.to_string(),
        contact_phone: spec.contact.phone.to_string(),
        preferred_contact: Some(spec.preferred),
        contact_language: None,
        user_type: Some(asset.site.user_type),
        product: asset.product.name.to_string(),
        platform: asset.platform.to_string(),
        software_version: asset.version.to_string(),
        serial_number: spec.with_serial.then(|| asset.serial.clone()),
        owner: owner.map(|o| o.login.to_string()),
    };

    let mut ctx = ctx;
    ctx.engineer = owner.unwrap_or(&ENGINEERS[0]).name(lang);
    let mut story = Story {
        spec,
        rng,
        ctx,
        lang,
        vendor: asset.product.vendor,
        status: Status::New,
        priority: spec.priority,
        owner,
        steps: Vec::new(),
    };
    story.tell();

    // Open cases end `tail` minutes ago with flexible gaps stretched to get there; finished
    // ones keep their natural pace unless it would run past that point.
    let (limit, stretch) = match spec.status {
        Status::New => (spec.now - Duration::minutes(1), false),
        _ if spec.special != Special::None => (spec.now - Duration::minutes(1), false),
        Status::Resolved | Status::Closed => (spec.now - Duration::minutes(spec.tail), false),
        _ => (spec.now - Duration::minutes(spec.tail), true),
    };
    Plan {
        case,
        opened_by,
        created: spec.created,
        steps: place(spec.created, limit, story.steps, stretch),
    }
}

/// Gives each step its instant: fixed gaps as they are, flexible ones scaled so the story ends
/// at `limit` (when `stretch`) or at least not after it. A story too long for the case's age is
/// squeezed as a whole.
pub(super) fn place(
    created: DateTime<Utc>,
    limit: DateTime<Utc>,
    steps: Vec<Step>,
    stretch: bool,
) -> Vec<Timed> {
    let span = (limit - created).num_seconds().max(0);
    let secs = |gap: Gap| match gap {
        Gap::Fixed(m) | Gap::Flex(m) => m * 60,
    };
    let fixed: i64 = steps
        .iter()
        .filter(|s| matches!(s.gap, Gap::Fixed(_)))
        .map(|s| secs(s.gap))
        .sum();
    let flex: i64 = steps
        .iter()
        .filter(|s| matches!(s.gap, Gap::Flex(_)))
        .map(|s| secs(s.gap))
        .sum();
    // Scales as (numerator, denominator), in integers so every machine places steps alike.
    let one = (1, 1);
    let (fixed_scale, flex_scale) = if fixed > span {
        ((span, fixed + flex), (span, fixed + flex))
    } else if flex > 0 && (stretch || fixed + flex > span) {
        (one, (span - fixed, flex))
    } else {
        (one, one)
    };
    let end = limit.max(created);
    let mut at = created;
    steps
        .into_iter()
        .map(|step| {
            let (num, den) = match step.gap {
                Gap::Fixed(_) => fixed_scale,
                Gap::Flex(_) => flex_scale,
            };
            let scaled = i128::from(secs(step.gap)) * i128::from(num) / i128::from(den.max(1));
            // At least a second apart, so the timeline reads in order.
            at = (at + Duration::seconds((scaled as i64).max(1))).min(end);
            Timed {
                at,
                by: step.by,
                action: step.action,
            }
        })
        .collect()
}
