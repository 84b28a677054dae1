//! Writing: a batch of plans replayed in time order against the store.

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::api::{NewNote, RmaPatch};
use crate::server::store::{self, Sla, StoreError};

use super::DemoOptions;
use super::files;
use super::install_base::InstallBase;
use super::plan::{Plan, Timed, plan};
use super::products::Product;
use super::rng::Rng;
use super::specs::CaseSpec;
use super::stories::Action;

/// What a case has become in the database so far.
#[derive(Default)]
struct Live {
    number: String,
    escalation: Option<i64>,
    rma: Option<String>,
}

/// Writes a batch of cases, replaying all their steps in time order so case numbers, RMA
/// numbers and the change feed follow the clock as they would have in real use.
pub(super) fn write_batch(
    conn: &Connection,
    sla: &Sla,
    base: &InstallBase,
    specs: &[CaseSpec],
    options: &DemoOptions,
) -> Result<(), StoreError> {
    let plans: Vec<Plan> = specs
        .iter()
        .map(|spec| plan(spec, base, options.seed))
        .collect();
    let mut order: Vec<(DateTime<Utc>, usize, usize)> = Vec::new();
    for (i, plan) in plans.iter().enumerate() {
        order.push((plan.created, i, 0));
        order.extend(
            plan.steps
                .iter()
                .enumerate()
                .map(|(j, step)| (step.at, i, j + 1)),
        );
    }
    order.sort_unstable();

    let mut live: Vec<Live> = plans.iter().map(|_| Live::default()).collect();
    for (at, i, j) in order {
        let plan = &plans[i];
        if j == 0 {
            let case = store::create_case(conn, sla, &plan.case, &plan.opened_by.caller(), at)?;
            live[i].number = case.summary.number.to_string();
            if files::has_files(specs[i].index) {
                let product = base.assets[specs[i].asset].product;
                attach(
                    conn,
                    sla,
                    &live[i].number,
                    plan,
                    product,
                    options.seed,
                    specs[i].index,
                )?;
            }
        } else {
            apply(conn, sla, &mut live[i], &plan.steps[j - 1])?;
        }
    }
    // The stories end in the past; bring what the queue sorts by (breached, next due) to now.
    for case in &live {
        store::refresh_clocks(conn, sla, &case.number, options.now)?;
    }
    Ok(())
}

/// Adds the files the customer sent with the case, as they opened it.
fn attach(
    conn: &Connection,
    sla: &Sla,
    number: &str,
    plan: &Plan,
    product: &Product,
    seed: u64,
    index: usize,
) -> Result<(), StoreError> {
    // A stream of its own, so the case's story draws the same numbers with or without files.
    let mut rng = Rng::for_case(seed ^ 0xF11E, index);
    for file in files::files_for(&plan.case, product, plan.created, &mut rng) {
        let new = store::NewFile {
            name: file.name,
            content_type: file.content_type.to_string(),
            size: file.content.len() as u64,
            sha256: hex::encode(Sha256::digest(&file.content)),
        };
        store::add_attachment(
            conn,
            sla,
            number,
            &new,
            Some(&file.content),
            u64::MAX,
            &plan.opened_by.caller(),
            plan.created,
        )?;
    }
    Ok(())
}

/// Writes one step through the store.
fn apply(conn: &Connection, sla: &Sla, live: &mut Live, step: &Timed) -> Result<(), StoreError> {
    let caller = step.by.caller();
    let at = step.at;
    let number = live.number.as_str();
    // Only patch_case hands back the new version; the other writes bump it too.
    let (version, _) = store::case_tag(conn, number)?;
    match &step.action {
        Action::Note(note) if note.body.contains("{rma}") => {
            let rma = live.rma.as_deref().unwrap_or("-");
            let note = NewNote {
                body: note.body.replace("{rma}", rma),
                ..note.clone()
            };
            store::add_note(conn, sla, number, &note, version, &caller, at)?;
        }
        Action::Note(note) => {
            store::add_note(conn, sla, number, note, version, &caller, at)?;
        }
        Action::Patch(patch) => {
            store::patch_case(conn, sla, number, patch, version, &caller, at)?;
        }
        Action::Escalate(new) => {
            let escalation =
                store::create_escalation(conn, sla, number, new, version, &caller, at)?;
            live.escalation = Some(escalation.id);
        }
        Action::HandleEscalation(patch) => {
            let id = live
                .escalation
                .ok_or_else(|| missing("escalation", number))?;
            store::patch_escalation(conn, sla, id, patch, &caller, at)?;
        }
        Action::OpenRma(new) => {
            let rma = store::create_rma(conn, sla, number, new, version, &caller, at)?;
            live.rma = Some(rma.number.to_string());
        }
        Action::MoveRma(status) => {
            let rma = live.rma.as_deref().ok_or_else(|| missing("RMA", number))?;
            store::patch_rma(
                conn,
                sla,
                rma,
                &RmaPatch {
                    status: Some(*status),
                    analysis: None,
                },
                &caller,
                at,
            )?;
        }
    }
    Ok(())
}

/// A story step that acts on something an earlier step should have made (a bug in the story).
fn missing(what: &'static str, number: &str) -> StoreError {
    StoreError::NotFound {
        what,
        id: format!("(demo story of case {number})"),
    }
}
