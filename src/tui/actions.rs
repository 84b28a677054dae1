//! The case actions: the form each one opens, and what a submitted form asks of the server.
//! Input is checked here with the domain's own rules (a close needs a reason, a priority change
//! needs a why, the temporary downgrade is P1 → P2 only), so a mistake is named in the form
//! before anything is sent.

use super::app::{App, Effect, Overlay};
use super::form::{Form, Purpose};
use super::keymap::Command;
use super::picker::Picker;
use crate::api::{
    CasePatch, CaseSummary, NewEscalation, NewNote, NewRma, NoteKind, OwnerRefusal, check_owner,
};
use crate::cache::PendingChange;
use crate::domain::change;
use crate::domain::{
    AnalysisRequest, CaseNumber, CloseReason, ContactMethod, EscalationKind, Priority,
    ProblemReport, Status, Visibility,
};
use crate::term::text::{Lang, Say, Word};
use crate::term::theme::Role;

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

/// The statuses offered in a status form (this case's next ones, or every status in bulk).
pub(super) fn status_choices(lang: Lang, statuses: &[Status]) -> Vec<(String, String)> {
    options(statuses, Status::as_str, |s| lang.status(s).to_string())
}

/// Asks why a case closes ("only when closing" first), shown only while closing is chosen.
pub(super) fn ask_close_reason(form: Form, lang: Lang) -> Form {
    let mut reasons = vec![(String::new(), lang.word(Word::OnlyWhenClosing).to_string())];
    reasons.extend(options(CloseReason::ALL, CloseReason::as_str, |r| {
        lang.close_reason(r).to_string()
    }));
    form.choice("close_reason", lang.word(Word::CloseReason), reasons, 0)
        .shown_when("status", Status::Closed.as_str())
}

/// The priorities offered in a priority form ("P1 critical").
pub(super) fn priority_choices(lang: Lang) -> Vec<(String, String)> {
    options(&Priority::ALL, Priority::as_str, |p| {
        format!("{p} {}", lang.priority(p))
    })
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
    let lang = app.settings.lang;
    let patch = |patch: CasePatch| PendingChange::Patch(patch);
    let form = match cmd {
        Command::Take => {
            let Some(me) = app.me.as_ref().map(|m| m.name.clone()) else {
                app.notice(lang.say(Say::WhoUnknown), true);
                return Vec::new();
            };
            if case.owner.as_deref() == Some(me.as_str()) {
                app.notice(lang.say(Say::AlreadyYours(&number.to_string())), false);
                return Vec::new();
            }
            if let Some(why) = owner_refusal(app, &number, case.owner.as_deref(), Some(&me)) {
                app.notice(why, true);
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
            let to = (!owner.is_empty()).then_some(owner.as_str());
            let unknown = to
                .filter(|_| !app.people.is_empty())
                .and_then(|to| check_owner(&app.people, to).err());
            if let Some(unknown) = unknown {
                let said = Say::UnknownPerson(&unknown.name, unknown.suggestion.as_deref());
                app.notice(lang.say(said), true);
                return Vec::new();
            }
            if let Some(why) = owner_refusal(app, &number, case.owner.as_deref(), to) {
                app.notice(why, true);
                return Vec::new();
            }
            return vec![Effect::Submit(
                number,
                patch(CasePatch {
                    owner: Some(owner),
                    ..CasePatch::default()
                }),
                version,
            )];
        }
        Command::Assign => {
            // A form that can only be refused is not offered: an agent on someone else's case
            // (or a viewer) hears why, and the way forward, before typing a name.
            if let Some(me) = app.me.as_ref() {
                let mine = case.owner.as_deref() == Some(me.name.as_str());
                let nearest = (!mine).then(|| me.name.clone());
                let refusal =
                    owner_refusal(app, &number, case.owner.as_deref(), nearest.as_deref());
                if let Some(why) = refusal {
                    app.notice(why, true);
                    return Vec::new();
                }
            }
            let mut form = Form::new(
                lang.form_title(Word::AssignTitle, &number.to_string(), None),
                Purpose::Assign(number, version),
            )
            .line(
                "owner",
                lang.word(Word::OwnerField),
                case.owner.as_deref().unwrap_or(""),
            );
            form.picker = Some(Picker::new("owner", app.people.clone(), case.owner.clone()));
            form
        }
        Command::NotePublic | Command::NoteInternal => {
            let internal = cmd == Command::NoteInternal;
            let vis = options(Visibility::ALL, Visibility::as_str, |v| {
                lang.visibility(v).to_string()
            });
            let initial = Visibility::ALL
                .iter()
                .position(|v| (*v == Visibility::Internal) == internal)
                .unwrap_or(0);
            // A case the server mails: the public choice says to whom before it is sent;
            // the internal one says nothing of mail.
            let mailed_to = mailed_to(app, &number);
            let mail_notes = Visibility::ALL
                .iter()
                .map(|v| match (v, mailed_to) {
                    (Visibility::Public, Some(to)) => {
                        lang.say(Say::WillBeMailedTo(&crate::sanitize::clean(to, true)))
                    }
                    _ => String::new(),
                })
                .collect();
            let mut form = Form::new(
                lang.form_title(Word::NoteTitle, &number.to_string(), None),
                Purpose::Note(number, version),
            )
            .choice("visibility", lang.word(Word::Visibility), vis, initial)
            .with_notes(mail_notes)
            .lines("body", lang.word(Word::NoteText));
            form.focus = 1;
            // A kept draft first; `:note TEXT` adds to it.
            super::drafts::restore(app, &mut form);
            if !arg.is_empty() {
                form.paste(arg);
            }
            form
        }
        Command::Status => {
            // Waiting on engineering is waiting on a bug: offered once one is linked.
            let linked = has_problem_report(app, &number);
            let all_next = case.status.allowed_next();
            let next: Vec<Status> = all_next
                .iter()
                .copied()
                .filter(|s| !s.needs_problem_report() || linked)
                .collect();
            let status_label = if next.len() < all_next.len() {
                let key = app
                    .settings
                    .keys
                    .keys_for(Command::ProblemReport)
                    .first()
                    .map_or_else(|| ":pr".to_string(), ToString::to_string);
                format!(
                    "{} ({} {key})",
                    lang.word(Word::NewStatus),
                    lang.word(Word::NeedsProblemReport)
                )
            } else {
                lang.word(Word::NewStatus).to_string()
            };
            let initial = arg
                .parse::<Status>()
                .ok()
                .and_then(|s| next.iter().position(|n| *n == s))
                .unwrap_or(0);
            let mut form = Form::new(
                lang.form_title(
                    Word::StatusTitle,
                    &number.to_string(),
                    Some(lang.status(case.status)),
                ),
                Purpose::Status(number, version, case.status),
            )
            .choice(
                "status",
                &status_label,
                status_choices(lang, &next),
                initial,
            );
            // Only a case that may be closed from here is asked why it closes, and only
            // while closing is the chosen move.
            if next.contains(&Status::Closed) {
                form = ask_close_reason(form, lang);
            }
            form.info = status_moves(lang, case.status)
                .into_iter()
                .map(|line| (line, Role::Muted))
                .collect();
            form.line("reason", lang.word(Word::HistoryNote), "")
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
            let prios = priority_choices(lang);
            let title = if case.temporarily_downgraded {
                lang.downgraded_title(&number.to_string())
            } else {
                lang.form_title(
                    Word::PriorityTitle,
                    &number.to_string(),
                    Some(case.priority.as_str()),
                )
            };
            let mut form = Form::new(title, Purpose::Priority(number, version, case.priority))
                .choice(
                    "priority",
                    lang.word(Word::NewPriority),
                    prios,
                    initial as usize - Priority::P1 as usize,
                );
            // The temporary downgrade is P1 → P2 only (SPEC §2.2): asked only then.
            let (downgrade_from, downgrade_to) = change::TEMPORARY_DOWNGRADE;
            if case.priority == downgrade_from {
                form = form
                    .choice(
                        "temporary",
                        lang.word(Word::TemporaryDowngrade),
                        vec![
                            ("no".into(), lang.word(Word::No).into()),
                            ("yes".into(), lang.word(Word::Yes).into()),
                        ],
                        0,
                    )
                    .shown_when("priority", downgrade_to.as_str());
            }
            form.line("reason", lang.word(Word::WhyRequired), "")
        }
        Command::NewRma => {
            let analysis = {
                let mut a = vec![("".to_string(), lang.word(Word::NoneChoice).to_string())];
                a.extend(options(
                    AnalysisRequest::ALL,
                    AnalysisRequest::as_str,
                    |r| lang.analysis(r).to_string(),
                ));
                a
            };
            Form::new(
                lang.form_title(Word::RmaTitle, &number.to_string(), None),
                Purpose::Rma(number, version),
            )
            .line("part", lang.word(Word::PartField), arg)
            .line(
                "serial",
                lang.word(Word::DefectiveSerial),
                case.serial_number.as_deref().unwrap_or(""),
            )
            .choice("analysis", lang.word(Word::AnalysisField), analysis, 0)
        }
        Command::Call | Command::ContactFailed => {
            let (kind, title, label) = if cmd == Command::Call {
                (NoteKind::Call, Word::CallTitle, Word::CallText)
            } else {
                (
                    NoteKind::ContactFailed,
                    Word::ContactFailedTitle,
                    Word::ContactFailedText,
                )
            };
            // `:call TEXT` logs at once; the key asks, and Enter on the empty line logs.
            if !arg.is_empty() {
                return vec![contact_effect(number, version, kind, arg.to_string())];
            }
            Form::new(
                lang.form_title(title, &number.to_string(), None),
                Purpose::Contact(number, version, kind),
            )
            .line("body", lang.word(label), "")
        }
        Command::ProblemReport => {
            if !arg.is_empty() {
                return match problem_report_effect(lang, number, version, arg) {
                    Ok(effect) => vec![effect],
                    Err(e) => {
                        app.notice(e, true);
                        Vec::new()
                    }
                };
            }
            Form::new(
                lang.form_title(Word::ProblemReportTitle, &number.to_string(), None),
                Purpose::ProblemReport(number, version),
            )
            .line("pr", lang.word(Word::ProblemReportField), "")
        }
        _ => return Vec::new(),
    };
    let mut form = form;
    if !matches!(form.purpose, Purpose::Note(..)) {
        super::drafts::restore(app, &mut form);
    }
    app.overlay = Some(Overlay::Form(form));
    Vec::new()
}

/// A logged call or failed contact attempt; the server makes a call public and an attempt
/// internal, so the visibility sent only says the same.
fn contact_effect(number: CaseNumber, version: i64, kind: NoteKind, body: String) -> Effect {
    let visibility = if kind == NoteKind::Call {
        Visibility::Public
    } else {
        Visibility::Internal
    };
    Effect::Submit(
        number,
        PendingChange::Note(NewNote {
            body,
            visibility,
            kind,
            from_customer: false,
        }),
        version,
    )
}

/// Links a bug number, checked for its form first.
fn problem_report_effect(
    lang: Lang,
    number: CaseNumber,
    version: i64,
    text: &str,
) -> Result<Effect, String> {
    let pr: ProblemReport = text
        .parse()
        .map_err(|_| format!("'{}': {}", text.trim(), lang.word(Word::ProblemReportForm)))?;
    Ok(Effect::Submit(
        number,
        PendingChange::Patch(CasePatch {
            add_problem_reports: vec![pr.to_string()],
            ..CasePatch::default()
        }),
        version,
    ))
}

/// What the status form and the help say about where a case may go from `from` (SPEC §2.4,
/// as [`Status::allowed_next`] has it), and how to close it when closing is not one step away.
pub fn status_moves(lang: Lang, from: Status) -> Vec<String> {
    let names = |list: Vec<Status>, sep: &str| {
        list.iter()
            .map(|s| lang.status(*s))
            .collect::<Vec<_>>()
            .join(sep)
    };
    let next = from.allowed_next();
    let mut lines = vec![
        lang.word(Word::MovesFrom)
            .replace("{from}", lang.status(from))
            .replace("{to}", &names(next.to_vec(), ", ")),
    ];
    if from != Status::Closed && !from.may_move_to(Status::Closed) {
        let via: Vec<Status> = next
            .iter()
            .copied()
            .filter(|s| s.may_move_to(Status::Closed))
            .collect();
        if !via.is_empty() {
            let via = names(via, &format!(" {} ", lang.word(Word::Or)));
            lines.push(lang.word(Word::ToCloseFirst).replace("{to}", &via));
        }
    }
    lines
}

/// Whether the case has a problem report linked, or one waiting in the outbox.
fn has_problem_report(app: &App, number: &CaseNumber) -> bool {
    let linked = app
        .opened
        .as_ref()
        .filter(|o| o.number == *number)
        .and_then(|o| o.case.as_ref())
        .is_some_and(|c| !c.problem_reports.is_empty());
    linked
        || app.outbox_of(number).any(
            |e| matches!(&e.change, PendingChange::Patch(p) if !p.add_problem_reports.is_empty()),
        )
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
    .lines("reason", lang.word(Word::EscalationReason));
    if kind.needs_contact_method() {
        // The customer's preferred method when the case is loaded; else the user chooses.
        let mut methods = vec![(String::new(), lang.word(Word::ChooseChoice).to_string())];
        methods.extend(options(ContactMethod::ALL, ContactMethod::as_str, |m| {
            lang.contact_method(m).to_string()
        }));
        let initial = preferred
            .and_then(|p| ContactMethod::ALL.iter().position(|m| *m == p))
            .map_or(0, |i| i + 1);
        form = form.choice("contact", lang.word(Word::ContactBy), methods, initial);
    }
    form
}

/// The label of an escalation option in the interface's language.
pub fn kind_label(lang: Lang, kind: EscalationKind) -> &'static str {
    lang.escalation_kind(kind)
}

fn required(form: &Form, key: &str, lang: Lang, what: Word) -> Result<String, String> {
    let value = form.value(key);
    if value.is_empty() {
        return Err(lang.say(Say::Required(lang.word(what))));
    }
    Ok(value)
}

/// What a submitted form asks for, or what is wrong with it (shown in the form); a form that
/// checks itself field by field may move its focus to the field at fault.
pub fn submit_form(app: &mut App, form: &mut Form) -> Result<Vec<Effect>, String> {
    if form.purpose == Purpose::NewCase {
        let effects = super::intake::submit(form)?;
        app.notice("opening the case…", false);
        return Ok(effects);
    }
    if let Purpose::Bulk(ask) = form.purpose {
        return super::bulk::submit(app, ask, form);
    }
    if let Purpose::Assign(number, _) = form.purpose {
        super::picker::check(form, app.settings.lang)?;
        let to = form.value("owner");
        let from = form.picker.as_ref().and_then(|p| p.was.clone());
        let to = (!to.is_empty()).then_some(to.as_str());
        if let Some(why) = owner_refusal(app, &number, from.as_deref(), to) {
            return Err(why);
        }
    }
    submit(app, form)
}

/// Why the signed-in person may not move a case's owner from `from` to `to` — the server's
/// own rule ([`crate::api::Role::may_change_owner`]), checked before anything is sent — with
/// the way forward; `None` when they may, or when who they are is not known yet (the server
/// then decides).
pub(super) fn owner_refusal(
    app: &App,
    number: &CaseNumber,
    from: Option<&str>,
    to: Option<&str>,
) -> Option<String> {
    let me = app.me.as_ref()?;
    let lang = app.settings.lang;
    match me.role.may_change_owner(&me.name, from, to).err()? {
        OwnerRefusal::ReadOnly => Some(lang.say(Say::ReadOnlyRole(lang.role(me.role)))),
        OwnerRefusal::NeedsLead => {
            let key = app
                .settings
                .keys
                .keys_for(Command::Escalate)
                .first()
                .map_or_else(|| ":escalate".to_string(), ToString::to_string);
            // Handing one's own case on is "giving it to someone else", not taking it.
            let owner = from.filter(|o| *o != me.name);
            Some(lang.say(Say::NeedsLead(&number.to_string(), owner, &key)))
        }
    }
}

/// Where the server mails a public note on `number` (`Name <addr>`), as its opened detail
/// says; `None` when it does not, or the detail is not read yet.
fn mailed_to<'a>(app: &'a App, number: &CaseNumber) -> Option<&'a str> {
    let opened = app.opened.as_ref().filter(|o| o.number == *number)?;
    let mail = opened.case.as_ref()?.mail.as_ref()?;
    Some(mail.to.as_str()).filter(|to| !to.trim().is_empty())
}

/// What a submitted form asks for, or what is wrong with it (shown in the form).
pub fn submit(app: &mut App, form: &Form) -> Result<Vec<Effect>, String> {
    let lang = app.settings.lang;
    let effects = match &form.purpose {
        Purpose::Note(number, version) => {
            let body = required(form, "body", lang, Word::NoteTextWhat)?;
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
                .map_err(|e| lang.transition_error(&e))?;
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
            if temporary {
                change::temporary_downgrade(*from, to)
                    .map_err(|_| lang.say(Say::DowngradeP1ToP2Only))?;
            }
            if to == *from {
                return Err(lang.say(Say::AlreadyPriority(to.as_str())));
            }
            let reason = form.value("reason");
            let reason = change::priority_reason(Some(&reason))
                .map_err(|_| lang.say(Say::Required(lang.word(Word::PriorityReasonWhat))))?
                .to_string();
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
            let reason = required(form, "reason", lang, Word::ReasonWhat)?;
            let contact_method = if kind.needs_contact_method() {
                let method = required(form, "contact", lang, Word::ContactWhat)?;
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
            let part_number = required(form, "part", lang, Word::PartWhat)?;
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
            lang,
            Word::SerialWhat,
        )?)],
        Purpose::Search => vec![Effect::Search(required(form, "q", lang, Word::SearchWhat)?)],
        Purpose::NewCase => return submit_form(app, &mut form.clone()),
        Purpose::RmaMove(rma, from) => super::rma::submit(lang, form, *rma, *from)?,
        Purpose::ReleaseMail(id) => super::mail::submit_release(lang, *id, form)?,
        Purpose::Attach(number) => super::attachments::submit_attach(app, *number, form)?,
        Purpose::SaveFile(id) => super::attachments::submit_save(app, *id, form)?,
        Purpose::Bulk(ask) => return super::bulk::submit(app, *ask, &mut form.clone()),
        Purpose::Contact(number, version, kind) => {
            let body = form.value("body");
            let body = if body.is_empty() {
                let default = if *kind == NoteKind::Call {
                    Word::CallDefault
                } else {
                    Word::ContactFailedDefault
                };
                lang.word(default).to_string()
            } else {
                body
            };
            vec![contact_effect(*number, *version, *kind, body)]
        }
        Purpose::ProblemReport(number, version) => {
            let pr = required(form, "pr", lang, Word::ProblemReportWhat)?;
            vec![problem_report_effect(lang, *number, *version, &pr)?]
        }
        Purpose::CloseEscalation(id, patch) => {
            let resolution = required(form, "resolution", lang, Word::OutcomeWhat)?;
            vec![Effect::PatchEscalation(
                *id,
                crate::api::EscalationPatch {
                    state: patch.state,
                    resolution: Some(resolution),
                },
            )]
        }
    };
    app.notice(lang.say(Say::Sending), false);
    Ok(effects)
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::api::Case;
    use crate::tui::app::Msg;
    use crate::tui::app::tests::app;

    fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
        app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn typed(app: &mut App, text: &str) -> Vec<Effect> {
        let mut effects = Vec::new();
        for c in text.chars() {
            effects = key(app, KeyCode::Char(c));
        }
        effects
    }

    fn form(app: &App) -> &Form {
        match &app.overlay {
            Some(Overlay::Form(form)) => form,
            other => panic!("expected a form, got {other:?}"),
        }
    }

    /// One acknowledged reassignment request, #3, asked by sato two hours before `now`.
    fn escalations(
        reason: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Vec<crate::api::Escalation> {
        let acknowledged = crate::domain::EscalationState::Acknowledged;
        vec![crate::tui::app::tests::escalation(
            3,
            acknowledged,
            reason,
            now,
        )]
    }

    /// The one note an action submits (beside dropping the editor's draft, when it had one).
    fn note(effects: &[Effect]) -> &NewNote {
        let submitted: Vec<&Effect> = effects
            .iter()
            .filter(|e| !matches!(e, Effect::DeleteDraft(..)))
            .collect();
        match submitted.as_slice() {
            [Effect::Submit(_, PendingChange::Note(n), _)] => n,
            other => panic!("expected one note, got {other:?}"),
        }
    }

    /// The selected case's detail, with these problem reports linked.
    fn detail(app: &mut App, reports: &[&str]) {
        let summary = app.current().cloned().expect("a selected case");
        let mut value = serde_json::to_value(&summary).unwrap();
        let extra = serde_json::json!({
            "description": "", "software_version": "", "contact_email": "",
            "contact_phone": "", "preferred_contact": "phone", "user_type": "business_user",
            "problem_reports": reports, "attachments": [], "entitlement": null,
            "unentitled": false, "close_reason": null, "notes": [], "history": [],
            "escalations": [], "rmas": [],
            "clocks": {"at": "2026-11-20T00:00:00Z", "clocks": [], "p1_contact": {
                "failing_since": null, "downgrade_available_at": null,
                "downgrade_available": false, "temporarily_downgraded": false}},
        });
        if let (Some(v), serde_json::Value::Object(e)) = (value.as_object_mut(), extra) {
            v.extend(e);
        }
        let case: Case = serde_json::from_value(value).unwrap();
        let opened = app.opened.as_mut().expect("an opened case");
        assert_eq!(opened.number, summary.number);
        opened.case = Some(case);
    }

    #[test]
    fn c_opens_a_short_call_form_and_enter_logs_the_call_at_once() {
        let mut app = app();
        assert!(key(&mut app, KeyCode::Char('c')).is_empty());
        assert!(matches!(
            form(&app).purpose,
            Purpose::Contact(_, _, NoteKind::Call)
        ));
        let effects = key(&mut app, KeyCode::Enter);
        let n = note(&effects);
        assert_eq!(n.kind, NoteKind::Call);
        assert_eq!(n.body, "Call with the customer");
        assert_eq!(n.visibility, Visibility::Public);
        assert!(app.overlay.is_none());
    }

    #[test]
    fn shift_c_logs_a_failed_attempt_with_what_was_typed() {
        let mut app = app();
        key(&mut app, KeyCode::Char('C'));
        typed(&mut app, "留守電に折り返しを依頼");
        let effects = key(&mut app, KeyCode::Enter);
        let n = note(&effects);
        assert_eq!(n.kind, NoteKind::ContactFailed);
        assert_eq!(n.body, "留守電に折り返しを依頼");
        assert_eq!(n.visibility, Visibility::Internal);
    }

    #[test]
    fn the_palette_logs_calls_and_attempts_and_links_problem_reports() {
        let mut app = app();
        key(&mut app, KeyCode::Char(':'));
        typed(&mut app, "call restarted the BGP session together");
        let n = note(&key(&mut app, KeyCode::Enter)).clone();
        assert_eq!(n.kind, NoteKind::Call);
        assert_eq!(n.body, "restarted the BGP session together");

        key(&mut app, KeyCode::Char(':'));
        typed(&mut app, "contact-failed");
        key(&mut app, KeyCode::Enter);
        let effects = key(&mut app, KeyCode::Enter);
        assert_eq!(note(&effects).kind, NoteKind::ContactFailed);
        assert_eq!(
            note(&effects).body,
            "Tried to reach the customer: no answer"
        );

        key(&mut app, KeyCode::Char(':'));
        typed(&mut app, "pr BUG-2041");
        let effects = key(&mut app, KeyCode::Enter);
        let [Effect::Submit(_, PendingChange::Patch(patch), _)] = effects.as_slice() else {
            panic!("expected a patch, got {effects:?}");
        };
        assert_eq!(patch.add_problem_reports, vec!["BUG-2041".to_string()]);

        // A malformed number is refused with the form expected; nothing is sent.
        key(&mut app, KeyCode::Char(':'));
        typed(&mut app, "pr PR 12");
        assert!(key(&mut app, KeyCode::Enter).is_empty());
        let message = app.message.as_ref().unwrap();
        assert!(
            message.error && message.text.contains("e.g. PR1234567"),
            "{message:?}"
        );
    }

    #[test]
    fn the_problem_report_form_checks_the_number_in_the_form() {
        let mut app = app();
        key(&mut app, KeyCode::Char('P'));
        assert!(key(&mut app, KeyCode::Enter).is_empty());
        assert!(form(&app).error.as_deref().unwrap().contains("bug number"));
        typed(&mut app, "不具合");
        assert!(key(&mut app, KeyCode::Enter).is_empty());
        assert!(form(&app).error.as_deref().unwrap().contains("PR1234567"));
    }

    #[test]
    fn waiting_on_engineering_is_offered_only_with_a_problem_report() {
        let offered = |app: &App| match &form(app).fields[0].kind {
            crate::tui::form::FieldKind::Choice { options, .. } => options
                .iter()
                .any(|(v, _)| v == Status::WaitingOnEngineering.as_str()),
            _ => panic!("the status is a choice"),
        };
        let mut app = app();
        detail(&mut app, &[]);
        key(&mut app, KeyCode::Char('x'));
        assert!(!offered(&app));
        assert!(form(&app).fields[0].label.contains("problem report"));
        app.overlay = None;

        detail(&mut app, &["PR1234567"]);
        key(&mut app, KeyCode::Char('x'));
        assert!(offered(&app));
    }

    fn choices(form: &Form, key: &str) -> Vec<String> {
        match form.fields.iter().find(|f| f.key == key).map(|f| &f.kind) {
            Some(crate::tui::form::FieldKind::Choice { options, .. }) => {
                options.iter().map(|(v, _)| v.clone()).collect()
            }
            other => panic!("{key} is not a choice: {other:?}"),
        }
    }

    fn shown(form: &Form, key: &str) -> bool {
        form.fields
            .iter()
            .find(|f| f.key == key)
            .is_some_and(|f| form.is_shown(f))
    }

    /// The cases reloaded with the selected one changed as `change` says.
    fn reload(app: &mut App, change: impl Fn(&mut CaseSummary)) -> Vec<Effect> {
        let rows = app
            .queue
            .all()
            .cloned()
            .map(|mut c| {
                if Some(c.number) == app.queue.selected_case().map(|s| s.number) {
                    change(&mut c);
                    c.version += 1;
                }
                crate::tui::queue::Row::new(c)
            })
            .collect();
        app.update(Msg::Cases(rows, Vec::new()))
    }

    #[test]
    fn one_esc_closes_a_form_with_only_prefilled_text() {
        let mut app = app();
        // The entitlement form comes with the case's serial; the RMA form with it too.
        key(&mut app, KeyCode::Char('E'));
        assert_eq!(form(&app).value("serial"), "FTX1234");
        key(&mut app, KeyCode::Esc);
        assert!(app.overlay.is_none(), "one Esc closes an untouched form");
        key(&mut app, KeyCode::Char('R'));
        key(&mut app, KeyCode::Right);
        key(&mut app, KeyCode::Esc);
        assert!(app.overlay.is_none());
    }

    #[test]
    fn after_esc_again_to_discard_the_next_key_is_not_typed() {
        // A form that is no draft editor (those keep their text on Esc): the serial lookup.
        let mut app = app();
        key(&mut app, KeyCode::Char('E'));
        let serial = form(&app).value("serial").to_string();
        typed(&mut app, "abc");
        key(&mut app, KeyCode::Esc);
        let warning = form(&app).error.clone().unwrap_or_default();
        assert!(warning.contains("Esc again to discard"), "{warning}");
        // `j` answers the question (keep): it is not typed, and the warning goes.
        key(&mut app, KeyCode::Char('j'));
        assert_eq!(form(&app).value("serial"), format!("{serial}abc"));
        assert_eq!(form(&app).error, None);
        typed(&mut app, "d");
        assert_eq!(form(&app).value("serial"), format!("{serial}abcd"));
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Esc);
        assert!(app.overlay.is_none());

        app.settings.lang = Lang::Ja;
        key(&mut app, KeyCode::Char('E'));
        typed(&mut app, "あ");
        key(&mut app, KeyCode::Esc);
        assert!(
            form(&app)
                .error
                .as_deref()
                .unwrap_or("")
                .contains("もう一度 Esc")
        );
    }

    #[test]
    fn the_status_form_offers_the_domains_moves_and_says_how_to_close() {
        let mut app = app();
        detail(&mut app, &["PR1234567"]);
        key(&mut app, KeyCode::Char('x'));
        let from_open: Vec<String> = Status::Open
            .allowed_next()
            .iter()
            .map(|s| s.as_str().to_string())
            .collect();
        assert_eq!(choices(form(&app), "status"), from_open);
        let info: Vec<&str> = form(&app).info.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            info,
            [
                "From Open the case may go to: Waiting on customer, Waiting on engineering, Resolved",
                "to close, first move it to Waiting on customer or Resolved; then close with a reason",
            ]
        );
        app.overlay = None;

        // Waiting on the customer: closing is one of the moves, and its reason is asked
        // only while closing is chosen.
        reload(&mut app, |c| c.status = Status::WaitingOnCustomer);
        key(&mut app, KeyCode::Char('x'));
        assert_eq!(choices(form(&app), "status"), ["open", "closed"]);
        assert!(!shown(form(&app), "close_reason"));
        key(&mut app, KeyCode::Right);
        assert_eq!(form(&app).value("status"), "closed");
        assert!(shown(form(&app), "close_reason"));
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Right);
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        let effects = app.update(Msg::Key(ctrl_s));
        let [Effect::Submit(_, PendingChange::Patch(patch), _)] = effects.as_slice() else {
            panic!("expected a close, got {effects:?}");
        };
        assert_eq!(patch.status, Some(Status::Closed));
        assert_eq!(patch.close_reason, Some(CloseReason::ALL[0]));
    }

    #[test]
    fn the_temporary_downgrade_is_asked_only_for_p1_to_p2() {
        let mut app = app();
        // A P3 case: never asked.
        key(&mut app, KeyCode::Char('p'));
        assert!(form(&app).fields.iter().all(|f| f.key != "temporary"));
        app.overlay = None;

        reload(&mut app, |c| c.priority = Priority::P1);
        key(&mut app, KeyCode::Char('p'));
        assert!(!shown(form(&app), "temporary"), "P1 → P1: not asked");
        key(&mut app, KeyCode::Right);
        assert_eq!(form(&app).value("priority"), "P2");
        assert!(shown(form(&app), "temporary"));
        key(&mut app, KeyCode::Right);
        assert!(!shown(form(&app), "temporary"), "P1 → P3: not asked");
        // Tab walks past it to the reason.
        key(&mut app, KeyCode::Tab);
        assert_eq!(form(&app).fields[form(&app).focus].key, "reason");
    }

    #[test]
    fn a_leads_resolve_form_names_the_case_the_option_and_the_reason() {
        let mut app = app();
        let escalations = escalations("customer asks for a Japanese-speaking engineer", app.now);
        app.update(Msg::Escalations(escalations.clone()));
        // An agent is not offered a lead's keys; a lead is.
        let Some(Overlay::List(list)) = &app.overlay else {
            panic!("the list is shown");
        };
        assert_eq!(list.hint, "Enter open case · Esc close");
        app.update(Msg::Me(crate::api::Me {
            name: "yamamoto".into(),
            role: crate::api::Role::Lead,
        }));
        app.overlay = None;
        app.update(Msg::Escalations(escalations));
        let Some(Overlay::List(list)) = &app.overlay else {
            panic!("the list is shown");
        };
        assert_eq!(list.hint, Lang::En.word(Word::HintEscalations));
        key(&mut app, KeyCode::Char('v'));
        let f = form(&app);
        assert_eq!(
            f.title,
            "Resolve escalation #3 — 2026-1120-000002 · Case reassignment"
        );
        let info: Vec<&str> = f.info.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            info,
            [
                "Requested 2h00m ago by sato; the requester's reason:",
                "customer asks for a Japanese-speaking engineer",
            ]
        );
    }

    #[test]
    fn an_agent_is_refused_the_assign_form_on_someone_elses_case_before_typing() {
        let owned_by = |app: &mut App, owner: &str| {
            let mut summary = app.current().cloned().expect("a selected case");
            summary.owner = Some(owner.into());
            app.update(Msg::Cases(
                vec![crate::tui::queue::Row::new(summary)],
                Vec::new(),
            ));
        };
        let mut app = app();
        app.update(Msg::Me(crate::api::Me {
            name: "sato".into(),
            role: crate::api::Role::Agent,
        }));
        owned_by(&mut app, "bob");
        let number = app.current().map(|c| c.number.to_string()).unwrap();
        assert!(key(&mut app, KeyCode::Char('a')).is_empty());
        assert!(app.overlay.is_none(), "no form opens");
        let message = app.message.as_ref().expect("a message");
        assert!(message.error);
        assert!(
            message
                .text
                .starts_with(&format!("{number} is bob's: only a lead moves")),
            "{}",
            message.text
        );
        // Their own case: the form opens (they may hand it back).
        owned_by(&mut app, "sato");
        key(&mut app, KeyCode::Char('a'));
        assert!(matches!(form(&app).purpose, Purpose::Assign(_, _)));
        // A lead may move anyone's case.
        app.overlay = None;
        app.update(Msg::Me(crate::api::Me {
            name: "yamamoto".into(),
            role: crate::api::Role::Lead,
        }));
        owned_by(&mut app, "bob");
        key(&mut app, KeyCode::Char('a'));
        assert!(matches!(form(&app).purpose, Purpose::Assign(_, _)));
    }

    #[test]
    fn a_non_lead_pressing_a_leads_escalation_key_is_told_why_before_any_form() {
        for (lang, want) in [
            (
                Lang::En,
                "only a lead acknowledges, resolves or declines escalations (your role: agent) — ask a lead; Enter opens the case",
            ),
            (
                Lang::Ja,
                "エスカレーションの受付・解決・却下はリーダーだけが行えます（あなたのロール: 担当者）— リーダーに依頼してください。Enter でケースを開きます",
            ),
        ] {
            for pressed in ['v', 'd', 'a'] {
                let mut app = app();
                app.settings.lang = lang;
                app.update(Msg::Me(crate::api::Me {
                    name: "sato".into(),
                    role: crate::api::Role::Agent,
                }));
                let now = app.now;
                app.update(Msg::Escalations(escalations("customer asks", now)));
                let effects = key(&mut app, KeyCode::Char(pressed));
                assert!(effects.is_empty(), "{pressed}: nothing is sent");
                assert!(
                    matches!(app.overlay, Some(Overlay::List(_))),
                    "{pressed}: the list stays, no form opens"
                );
                let message = app.message.as_ref().expect("a message");
                assert!(message.error);
                assert_eq!(message.text, want, "{pressed}");
            }
        }
    }

    #[test]
    fn digits_in_the_escalate_pane_choose_the_option_not_a_view() {
        let mut app = app();
        let view = app.view;
        key(&mut app, KeyCode::Char('e'));
        assert_eq!(app.focus, crate::tui::app::Pane::Escalation);
        key(&mut app, KeyCode::Char('3'));
        assert_eq!(app.view, view, "the queue view did not change");
        assert_eq!(app.option, 2);
        assert!(matches!(
            form(&app).purpose,
            Purpose::Escalate(_, _, EscalationKind::Reassignment)
        ));
        // Out of the pane, a digit is a saved view again.
        app.overlay = None;
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('3'));
        assert_eq!(app.current_view().key, 3);
    }

    #[test]
    fn the_detail_follows_the_selection_when_an_action_moves_the_case_out_of_the_view() {
        let mut app = app();
        key(&mut app, KeyCode::Char('j'));
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.focus, crate::tui::app::Pane::Detail);
        let acted_on = app.opened.as_ref().unwrap().number;
        // Resolved: out of "All open". The next row takes its place, and the detail shows it.
        let effects = reload(&mut app, |c| c.status = Status::Resolved);
        let now_selected = app.queue.selected_case().unwrap().number;
        assert_ne!(now_selected, acted_on);
        assert_eq!(app.queue.selected(), 1, "the row that took its place");
        assert_eq!(app.opened.as_ref().unwrap().number, now_selected);
        assert!(effects.contains(&Effect::LoadCase(now_selected, false)));

        // A case opened from elsewhere (never in the view) stays shown through a reload.
        let other = "2026-1120-000099".parse().unwrap();
        app.update(Msg::CaseOpened(other));
        app.update(Msg::Cases(
            app.queue
                .all()
                .cloned()
                .map(crate::tui::queue::Row::new)
                .collect(),
            Vec::new(),
        ));
        assert_eq!(app.opened.as_ref().unwrap().number, other);
    }
}
