//! The case actions: the form each one opens, and what a submitted form asks of the server.
//! Input is checked here with the domain's own rules (a close needs a reason, a priority change
//! needs a why, the temporary downgrade is P1 → P2 only), so a mistake is named in the form
//! before anything is sent.

use super::app::{App, Effect, Overlay};
use super::form::{Form, Purpose};
use super::keymap::Command;
use super::text::Lang;
use crate::api::{CasePatch, CaseSummary, NewEscalation, NewNote, NewRma, NoteKind};
use crate::cache::PendingChange;
use crate::domain::{
    AnalysisRequest, CaseNumber, CloseReason, ContactMethod, EscalationKind, Priority, Status,
    Visibility,
};

fn options<T: Copy>(
    items: &[T],
    value: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> String,
) -> Vec<(String, String)> {
    items
        .iter()
        .map(|&i| (value(i).to_string(), label(i)))
        .collect()
}

/// Starts a case action: at once when nothing needs asking, else by opening its form.
pub fn start(
    app: &mut App,
    cmd: Command,
    arg: &str,
    case: &CaseSummary,
    number: CaseNumber,
    version: i64,
) -> Vec<Effect> {
    let patch = |patch: CasePatch| PendingChange::Patch(patch);
    let form = match cmd {
        Command::Take => {
            let Some(me) = app.me.as_ref().map(|m| m.name.clone()) else {
                app.notice(
                    "who you are is not known yet: it is learnt at the first sync with the server",
                    true,
                );
                return Vec::new();
            };
            if case.owner.as_deref() == Some(me.as_str()) {
                app.notice(format!("{number} is already yours"), false);
                return Vec::new();
            }
            return vec![Effect::Submit(
                number,
                patch(CasePatch {
                    owner: Some(me),
                    ..CasePatch::default()
                }),
                version,
            )];
        }
        Command::Assign if !arg.is_empty() => {
            let owner = if arg == "none" {
                String::new()
            } else {
                arg.to_string()
            };
            return vec![Effect::Submit(
                number,
                patch(CasePatch {
                    owner: Some(owner),
                    ..CasePatch::default()
                }),
                version,
            )];
        }
        Command::Assign => Form::new(format!("Assign {number}"), Purpose::Assign(number, version))
            .line(
                "owner",
                "Owner (empty: unassign)",
                case.owner.as_deref().unwrap_or(""),
            ),
        Command::NotePublic | Command::NoteInternal => {
            let internal = cmd == Command::NoteInternal;
            let vis = options(Visibility::ALL, Visibility::as_str, |v| {
                v.label().to_string()
            });
            let initial = Visibility::ALL
                .iter()
                .position(|v| (*v == Visibility::Internal) == internal)
                .unwrap_or(0);
            let mut form = Form::new(format!("Note on {number}"), Purpose::Note(number, version))
                .choice("visibility", "Visibility", vis, initial)
                .lines("body", "Text (Ctrl-E: $EDITOR)");
            form.focus = 1;
            if !arg.is_empty() {
                form.paste(arg);
            }
            form
        }
        Command::Status => {
            let next = case.status.allowed_next();
            let initial = arg
                .parse::<Status>()
                .ok()
                .and_then(|s| next.iter().position(|n| *n == s))
                .unwrap_or(0);
            let mut reasons = vec![("".to_string(), "— (only when closing)".to_string())];
            reasons.extend(options(CloseReason::ALL, CloseReason::as_str, |r| {
                r.label().to_string()
            }));
            let mut form = Form::new(
                format!("Status of {number} (now {})", case.status.label()),
                Purpose::Status(number, version, case.status),
            )
            .choice(
                "status",
                "New status",
                options(next, Status::as_str, |s| s.label().to_string()),
                initial,
            );
            // Only a case that may be closed from here is asked why it closes.
            if next.contains(&Status::Closed) {
                form = form.choice("close_reason", "Close reason", reasons, 0);
            }
            form.line("reason", "Note for the history (optional)", "")
        }
        Command::Priority => {
            let initial = arg
                .parse::<Priority>()
                .ok()
                .or(if case.temporarily_downgraded {
                    Some(Priority::P1)
                } else {
                    None
                })
                .unwrap_or(case.priority);
            let prios = options(&Priority::ALL, Priority::as_str, |p| {
                format!("{p} {}", p.label())
            });
            let title = if case.temporarily_downgraded {
                format!("Priority of {number}: temporarily P2 — choose P1 to restore")
            } else {
                format!("Priority of {number} (now {})", case.priority)
            };
            Form::new(title, Purpose::Priority(number, version, case.priority))
                .choice(
                    "priority",
                    "New priority",
                    prios,
                    initial as usize - Priority::P1 as usize,
                )
                .choice(
                    "temporary",
                    "Temporary P1 → P2 downgrade (customer unreachable)",
                    vec![("no".into(), "no".into()), ("yes".into(), "yes".into())],
                    0,
                )
                .line("reason", "Why (required)", "")
        }
        Command::NewRma => {
            let analysis = {
                let mut a = vec![("".to_string(), "none".to_string())];
                a.extend(options(
                    AnalysisRequest::ALL,
                    AnalysisRequest::as_str,
                    |r| r.label().to_string(),
                ));
                a
            };
            Form::new(
                format!("New RMA on {number}"),
                Purpose::Rma(number, version),
            )
            .line("part", "Replacement part number (required)", arg)
            .line(
                "serial",
                "Serial of the defective unit",
                case.serial_number.as_deref().unwrap_or(""),
            )
            .choice("analysis", "Analysis request", analysis, 0)
        }
        _ => return Vec::new(),
    };
    app.overlay = Some(Overlay::Form(form));
    Vec::new()
}

/// The form for one escalation option; the contact method is asked only where it is needed.
pub fn escalation_form(
    lang: Lang,
    case: &CaseSummary,
    version: i64,
    kind: EscalationKind,
    preferred: Option<ContactMethod>,
) -> Form {
    let number = case.number;
    let mut form = Form::new(
        format!("{} — {number}", kind_label(lang, kind)),
        Purpose::Escalate(number, version, kind),
    )
    .lines("reason", "Reason (required: as much detail as you can)");
    if kind.needs_contact_method() {
        // The customer's preferred method when the case is loaded; else the user chooses.
        let mut methods = vec![(String::new(), "— choose —".to_string())];
        methods.extend(options(ContactMethod::ALL, ContactMethod::as_str, |m| {
            m.label().to_string()
        }));
        let initial = preferred
            .and_then(|p| ContactMethod::ALL.iter().position(|m| *m == p))
            .map_or(0, |i| i + 1);
        form = form.choice("contact", "Contact the customer by", methods, initial);
    }
    form
}

/// The label of an escalation option in the interface's language.
pub fn kind_label(lang: Lang, kind: EscalationKind) -> &'static str {
    let t = lang.text();
    match kind {
        EscalationKind::FasterProgress => t.faster_progress,
        EscalationKind::EngineerNow => t.engineer_now,
        EscalationKind::Reassignment => t.reassignment,
        EscalationKind::FasterRma => t.faster_rma,
    }
}

fn required(form: &Form, key: &str, what: &str) -> Result<String, String> {
    let value = form.value(key);
    if value.is_empty() {
        return Err(format!("{what} is required"));
    }
    Ok(value)
}

/// What a submitted form asks for, or what is wrong with it (shown in the form).
pub fn submit(app: &mut App, form: &Form) -> Result<Vec<Effect>, String> {
    let effects = match &form.purpose {
        Purpose::Note(number, version) => {
            let body = required(form, "body", "the note's text")?;
            let visibility: Visibility = form
                .value("visibility")
                .parse()
                .map_err(|e: crate::domain::ParseError| e.to_string())?;
            vec![Effect::Submit(
                *number,
                PendingChange::Note(NewNote {
                    body,
                    visibility,
                    kind: NoteKind::default(),
                    from_customer: false,
                }),
                *version,
            )]
        }
        Purpose::Assign(number, version) => vec![Effect::Submit(
            *number,
            PendingChange::Patch(CasePatch {
                owner: Some(form.value("owner")),
                ..CasePatch::default()
            }),
            *version,
        )],
        Purpose::Status(number, version, from) => {
            let to: Status = form
                .value("status")
                .parse()
                .map_err(|e: crate::domain::ParseError| e.to_string())?;
            let reason_text = form.value("close_reason");
            let close_reason = if reason_text.is_empty() {
                None
            } else {
                Some(
                    reason_text
                        .parse::<CloseReason>()
                        .map_err(|e| e.to_string())?,
                )
            };
            from.transition(to, close_reason)
                .map_err(|e| e.to_string())?;
            let note = form.value("reason");
            vec![Effect::Submit(
                *number,
                PendingChange::Patch(CasePatch {
                    status: Some(to),
                    close_reason,
                    reason: (!note.is_empty()).then_some(note),
                    ..CasePatch::default()
                }),
                *version,
            )]
        }
        Purpose::Priority(number, version, from) => {
            let to: Priority = form
                .value("priority")
                .parse()
                .map_err(|e: crate::domain::ParseError| e.to_string())?;
            let temporary = form.value("temporary") == "yes";
            if temporary && !(*from == Priority::P1 && to == Priority::P2) {
                return Err("the temporary downgrade goes from P1 to P2 only".into());
            }
            if to == *from {
                return Err(format!("the case is already {to}: choose another priority"));
            }
            let reason = required(form, "reason", "a reason for the priority change")?;
            vec![Effect::Submit(
                *number,
                PendingChange::Patch(CasePatch {
                    priority: Some(to),
                    temporary,
                    reason: Some(reason),
                    ..CasePatch::default()
                }),
                *version,
            )]
        }
        Purpose::Escalate(number, version, kind) => {
            let reason = required(form, "reason", "a reason")?;
            let contact_method = if kind.needs_contact_method() {
                let method = required(
                    form,
                    "contact",
                    "how the engineer contacts the customer (phone or email)",
                )?;
                Some(method.parse::<ContactMethod>().map_err(|e| e.to_string())?)
            } else {
                None
            };
            vec![Effect::Submit(
                *number,
                PendingChange::Escalation(NewEscalation {
                    kind: *kind,
                    reason,
                    contact_method,
                }),
                *version,
            )]
        }
        Purpose::Rma(number, version) => {
            let part_number = required(form, "part", "the replacement part number")?;
            let serial = form.value("serial");
            let analysis = form.value("analysis");
            vec![Effect::CreateRma(
                *number,
                NewRma {
                    serial_number: (!serial.is_empty()).then_some(serial),
                    part_number,
                    analysis: if analysis.is_empty() {
                        None
                    } else {
                        Some(
                            analysis
                                .parse()
                                .map_err(|e: crate::domain::ParseError| e.to_string())?,
                        )
                    },
                    issue: true,
                },
                *version,
            )]
        }
        Purpose::Entitlement => vec![Effect::Entitlement(required(
            form,
            "serial",
            "a serial number",
        )?)],
        Purpose::Search => vec![Effect::Search(required(
            form,
            "q",
            "something to search for",
        )?)],
        Purpose::CloseEscalation(id, patch) => {
            let resolution = required(form, "resolution", "a few words on the outcome")?;
            vec![Effect::PatchEscalation(
                *id,
                crate::api::EscalationPatch {
                    state: patch.state,
                    resolution: Some(resolution),
                },
            )]
        }
    };
    app.notice("sending…", false);
    Ok(effects)
}
