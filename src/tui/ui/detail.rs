//! The case detail: header, description, the timeline (notes told apart by a label, not only a
//! colour), escalations, RMAs, problem reports, and what waits in the outbox for this case.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{Drawn, frame, many, one, placeholder};
use crate::api::{Case, Note, NoteKind};
use crate::cache::OutboxState;
use crate::domain::{Party, Visibility};
use crate::term::text::{Lang, Word};
use crate::term::theme::{Role, Theme};
use crate::tui::app::{App, Pane};
use crate::tui::timeline::{self, Baseline, TimelineOrder};

pub fn draw(app: &App, theme: &Theme, buf: &mut Buffer, area: Rect, drawn: &mut Drawn) {
    let t = app.text();
    let title = match &app.opened {
        Some(o) => format!("{} {}", t.case, o.number),
        None => t.case.to_string(),
    };
    let block = frame(app, theme, Pane::Detail, title);
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(opened) = &app.opened else {
        placeholder(buf, inner, t.no_case, theme.style(Role::Muted));
        return;
    };
    let Some(case) = &opened.case else {
        let text = if opened.loading {
            t.loading
        } else {
            t.not_cached
        };
        placeholder(buf, inner, text, theme.style(Role::Muted));
        return;
    };
    let (lines, place) = lines(app, theme, case);
    // Wrapped here rather than by the paragraph: Japanese and English break where a reader
    // expects, and continued rows keep their indent (a timeline entry's heading line hangs
    // under its text, as its body does).
    let entries = place.map_or(0..0, |p| p.heading + 1..p.end);
    let hang = |i: usize| if entries.contains(&i) { HANG } else { 0 };
    let (rows, starts) = super::wrap::wrap_lines(lines, inner.width, hang);
    let revealed = match place {
        Some(place) if opened.reveal => {
            Some(reveal(&starts, place, inner.height, app.settings.timeline))
        }
        _ => None,
    };
    let height = rows.len();
    let max = height
        .saturating_sub(inner.height as usize)
        .min(u16::MAX as usize) as u16;
    drawn.detail_max_scroll = Some(max);
    let scroll = revealed.unwrap_or(opened.scroll).min(max);
    if opened.reveal {
        drawn.detail_revealed = Some(scroll);
    }
    Paragraph::new(rows).scroll((scroll, 0)).render(inner, buf);
}

/// Where the timeline is among the detail's lines (indices, not wrapped rows).
#[derive(Debug, Clone, Copy)]
struct Place {
    /// The timeline's heading.
    heading: usize,
    /// The newest entry's lines: from, up to.
    newest: (usize, usize),
    /// Where the timeline's lines end.
    end: usize,
}

/// How far a timeline entry's continued rows are set in, as a note's body is.
const HANG: usize = 2;

/// The scroll that brings the newest timeline entry into a pane `height` rows high, from the
/// row each line starts on.
fn reveal(starts: &[usize], place: Place, height: u16, order: TimelineOrder) -> u16 {
    let row = |i: usize| {
        let r = starts.get(i).or(starts.last()).copied().unwrap_or(0);
        r.min(u16::MAX as usize) as u16
    };
    timeline::reveal_scroll(
        order,
        row(place.heading),
        (row(place.newest.0), row(place.newest.1)),
        height,
    )
}

fn section<'a>(theme: &Theme, title: &str) -> Line<'a> {
    Line::from(Span::styled(
        format!("── {title} ──"),
        theme.style(Role::Header),
    ))
}

fn field<'a>(theme: &Theme, label: &str, value: String) -> Vec<Span<'a>> {
    vec![
        Span::styled(format!("{label}: "), theme.style(Role::Muted)),
        Span::raw(value),
        Span::raw("  "),
    ]
}

/// The non-blank parts, joined.
fn joined(parts: &[&str], sep: &str) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

/// `(text)`, or nothing for a blank text.
fn bracketed(text: &str) -> String {
    if text.trim().is_empty() {
        String::new()
    } else {
        format!("({text})")
    }
}

/// A file as listed: `name (2.4 MiB, type)`.
fn attachment(name: &str, size: u64, content_type: &str) -> String {
    format!(
        "{} ({}, {})",
        one(name),
        crate::domain::size::ByteSize(size),
        one(content_type)
    )
}

/// What a note's heading says of mail, in words as well as roles: `[EMAIL] sender` for one
/// that came by mail, and where the mail carrying a public note stands (a failure with the
/// mail server's words).
fn mail_spans<'a>(lang: Lang, theme: &Theme, n: &Note) -> Vec<Span<'a>> {
    let mut spans = Vec::new();
    if let Some(from) = n.email_from.as_deref() {
        spans.push(Span::styled(
            format!(" [{}] {}", lang.word(Word::EmailMark), one(from)),
            theme.style(Role::EmailNote),
        ));
    }
    if let Some(mail) = &n.mail {
        let (text, role) = match mail.state.as_str() {
            "queued" => (lang.word(Word::MailQueued).to_string(), Role::Muted),
            "sent" => (lang.word(Word::MailSent).to_string(), Role::Muted),
            "failed" => {
                let mut text = lang.word(Word::MailFailed).to_string();
                if let Some(why) = mail.error.as_deref().filter(|w| !w.trim().is_empty()) {
                    text.push_str(&format!(": {}", one(why)));
                }
                (text, Role::Error)
            }
            // A state a newer server names: shown as it is written.
            other => (one(other).into_owned(), Role::Muted),
        };
        spans.push(Span::styled(format!(" · {text}"), theme.style(role)));
    }
    spans
}

fn lines<'a>(app: &App, theme: &Theme, case: &'a Case) -> (Vec<Line<'a>>, Option<Place>) {
    let t = app.text();
    let lang = app.settings.lang;
    let s = &case.summary;
    let zone = app.settings.zone;
    let now = app.now;
    let mut out = Vec::new();

    let mut head = vec![
        Span::styled(
            format!("{} {}", s.priority, lang.priority(s.priority)),
            theme.style(Role::of_priority(s.priority)),
        ),
        Span::raw("  "),
        Span::styled(lang.status(s.status).to_string(), theme.style(Role::Title)),
    ];
    if s.temporarily_downgraded {
        head.push(Span::styled(
            format!("  {}", lang.word(Word::TemporarilyP2)),
            theme.style(Role::DueSoon),
        ));
    }
    if case.unentitled {
        head.push(Span::styled(
            format!("  [{}]", t.not_entitled),
            theme.style(Role::Breached),
        ));
    }
    out.push(Line::from(head));
    out.push(Line::from(Span::styled(
        one(&s.subject).into_owned(),
        theme.style(Role::Title),
    )));

    let owner = s
        .owner
        .as_deref()
        .map_or_else(|| t.unassigned.to_string(), |o| one(o).into_owned());
    let mut l = field(theme, t.owner, owner);
    l.extend(field(theme, t.tier, lang.tier(s.tier).to_string()));
    out.push(Line::from(l));
    // Each line holds one subject, and blank parts are left out rather than shown as "()".
    let site = joined(&[&one(&s.site_name), &bracketed(&one(&s.site_id))], " ");
    let account = one(&s.account).into_owned();
    let mut l = Vec::new();
    if !site.is_empty() {
        l.extend(field(theme, t.site, site));
    }
    if !account.is_empty() {
        l.extend(field(theme, t.account, account));
    }
    if !l.is_empty() {
        out.push(Line::from(l));
    }
    let prefers = format!(
        "{} {}",
        t.prefers,
        lang.contact_method(case.preferred_contact)
    );
    let contact = joined(
        &[
            &one(&s.contact_name),
            &prefers,
            &one(&case.contact_phone),
            &one(&case.contact_email),
        ],
        " · ",
    );
    out.push(Line::from(field(theme, t.contact, contact)));
    let product = joined(
        &[
            &one(&s.product),
            &one(&s.platform),
            &one(&case.software_version),
        ],
        " · ",
    );
    let mut l = Vec::new();
    if !product.is_empty() {
        l.extend(field(theme, t.product, product));
    }
    if let Some(serial) = s.serial_number.as_deref().filter(|x| !x.is_empty()) {
        l.extend(field(theme, t.serial, one(serial).into_owned()));
    }
    if !l.is_empty() {
        out.push(Line::from(l));
    }
    let entitlement = match &case.entitlement {
        Some(e) if e.active => format!("{} {} · {}", t.entitled, lang.tier(e.tier), e.contract_end),
        Some(e) => format!(
            "{} ({} {})",
            t.not_entitled,
            lang.word(Word::Ended),
            e.contract_end
        ),
        None if case.unentitled => t.not_entitled.to_string(),
        None => "-".to_string(),
    };
    let style = if case.unentitled {
        theme.style(Role::Breached)
    } else {
        Style::default()
    };
    // A Request Tracker ticket has no contract or RMA records: said, not shown as empty.
    let (label, entitlement, style) = if s.number.ticket_id().is_some() {
        (
            format!("{} · {}: ", t.entitlement, t.rmas),
            t.not_on_rt.to_string(),
            theme.style(Role::Muted),
        )
    } else {
        (format!("{}: ", t.entitlement), entitlement, style)
    };
    out.push(Line::from(vec![
        Span::styled(label, theme.style(Role::Muted)),
        Span::styled(entitlement, style),
    ]));
    out.push(Line::from(Span::styled(
        format!(
            "{} {} · {} {}",
            t.opened,
            zone.short(s.created_at, now),
            t.updated,
            zone.short(s.updated_at, now)
        ),
        theme.style(Role::Muted),
    )));
    if let Some(due) = s.backend_due {
        out.push(Line::from(vec![
            Span::styled(format!("{}: ", t.backend_due), theme.style(Role::Muted)),
            Span::raw(zone.short(due, now)),
        ]));
    }

    let pending: Vec<_> = app.outbox_of(&s.number).collect();
    if !pending.is_empty() {
        out.push(Line::default());
        out.push(section(theme, t.waiting_to_send));
        for e in pending {
            let (word, role) = match e.state {
                OutboxState::Pending => (lang.word(Word::Pending), Role::Stale),
                OutboxState::Conflicted => (lang.word(Word::Conflict), Role::Error),
                OutboxState::Failed => (lang.word(Word::Failed), Role::Error),
            };
            let mut spans = vec![
                Span::styled(format!("[{word} #{}]", e.id), theme.style(role)),
                Span::raw(format!(" {}", one(&lang.change(&e.change)))),
            ];
            if let Some(err) = &e.error {
                spans.push(Span::styled(
                    format!(" — {}", one(err)),
                    theme.style(Role::Error),
                ));
            }
            out.push(Line::from(spans));
        }
    }

    out.push(Line::default());
    out.push(section(theme, t.description));
    for line in many(&case.description).lines() {
        out.push(Line::from(line.to_string()));
    }

    out.push(Line::default());
    // Notes, changes and escalation requests in the configured order, those that arrived since
    // the case was last opened marked in words as well as in the `new` role.
    let order = app.settings.timeline;
    let baseline = app
        .opened
        .as_ref()
        .map_or(Baseline::Unknown, |o| o.baseline);
    let me = app.me.as_ref().map(|m| m.name.as_str());
    let entries = timeline::entries(case, order);
    let fresh = entries.iter().filter(|e| e.is_new(baseline, me)).count();
    let mut heading = format!(
        "{} · {}",
        t.timeline,
        match order {
            TimelineOrder::NewestFirst => t.newest_first,
            TimelineOrder::OldestFirst => t.oldest_first,
        }
    );
    if fresh > 0 {
        heading.push_str(&format!(" · {}{fresh}{}", t.new_count[0], t.new_count[1]));
    }
    let mut place = None;
    let heading_at = out.len();
    out.push(section(theme, &heading));
    let newest_at = match order {
        TimelineOrder::NewestFirst => 0,
        TimelineOrder::OldestFirst => entries.len().saturating_sub(1),
    };
    for (i, item) in entries.iter().enumerate() {
        let start = out.len();
        let mut when = vec![Span::styled(
            format!("{} ", zone.short(item.at(), now)),
            theme.style(Role::Muted),
        )];
        if item.is_new(baseline, me) {
            when.push(Span::styled(
                format!("{} ", t.new_marker),
                theme.style(Role::New),
            ));
        }
        match *item {
            timeline::Entry::Note(n) => {
                let (label, role) = match (n.kind, n.visibility) {
                    (NoteKind::Call, _) => (lang.word(Word::Call), Role::PublicNote),
                    (NoteKind::ContactFailed, _) => (lang.word(Word::NoAnswer), Role::DueSoon),
                    (_, Visibility::Internal) => (lang.word(Word::Internal), Role::InternalNote),
                    (_, Visibility::Public) => (lang.word(Word::Public), Role::PublicNote),
                };
                let who = match n.party {
                    Party::Customer => {
                        format!("{} {}", one(&n.author), lang.word(Word::CustomerMark))
                    }
                    Party::Support => one(&n.author).into_owned(),
                };
                when.extend([
                    Span::styled(format!("[{label}]"), theme.style(role)),
                    Span::styled(format!(" {who}"), theme.style(Role::Title)),
                ]);
                when.extend(mail_spans(lang, theme, n));
                out.push(Line::from(when));
                for line in many(&n.body).lines() {
                    out.push(Line::from(format!("  {line}")));
                }
                for a in &n.attachments {
                    out.push(Line::from(Span::styled(
                        format!(
                            "  {} {}",
                            lang.word(Word::AttachedMark),
                            attachment(&a.name, a.size, &a.content_type)
                        ),
                        theme.style(Role::Muted),
                    )));
                }
            }
            timeline::Entry::Change(h) => {
                let mut text = format!(
                    "[{}] {}: {}",
                    lang.word(Word::ChangeMark),
                    one(&h.actor),
                    one(&lang.history(&h.summary))
                );
                if let Some(r) = &h.reason {
                    text.push_str(&format!(" — {}", one(r)));
                }
                when.push(Span::styled(text, theme.style(Role::Muted)));
                out.push(Line::from(when));
            }
            timeline::Entry::Escalation(e) => {
                when.extend([
                    Span::styled(
                        match lang {
                            Lang::En => format!("[ESCALATION {}]", e.state.as_str().to_uppercase()),
                            Lang::Ja => format!(
                                "[{} {}]",
                                lang.word(Word::EscalationMark),
                                lang.escalation_state(e.state)
                            ),
                        },
                        theme.style(Role::DueSoon),
                    ),
                    Span::raw(format!(
                        " {} {} {}",
                        lang.escalation_kind(e.kind),
                        lang.word(Word::By),
                        one(&e.requested_by)
                    )),
                ]);
                out.push(Line::from(when));
            }
            timeline::Entry::File(a) => {
                when.extend([
                    Span::styled(
                        format!("[{}]", lang.word(Word::FileMark)),
                        theme.style(Role::Header),
                    ),
                    Span::styled(format!(" {}", one(&a.added_by)), theme.style(Role::Title)),
                    Span::raw(format!(
                        ": {}",
                        attachment(&a.name, a.size, &a.content_type)
                    )),
                ]);
                out.push(Line::from(when));
            }
        }
        if i == newest_at {
            place = Some(Place {
                heading: heading_at,
                newest: (start, out.len()),
                end: 0,
            });
        }
    }

    if let Some(p) = place.as_mut() {
        p.end = out.len();
    }

    if !case.escalations.is_empty() {
        out.push(Line::default());
        out.push(section(theme, t.escalations));
        for e in &case.escalations {
            let mut text = format!(
                "#{} {} — {}",
                e.id,
                lang.escalation_kind(e.kind),
                lang.escalation_state(e.state)
            );
            if let Some(by) = &e.acknowledged_by {
                text.push_str(&format!(
                    " ({} {})",
                    lang.word(Word::AcknowledgedBy),
                    one(by)
                ));
            }
            if let Some(m) = e.contact_method {
                text.push_str(&format!(
                    " · {} {}",
                    lang.word(Word::ContactByShort),
                    lang.contact_method(m)
                ));
            }
            out.push(Line::from(text));
            out.push(Line::from(Span::styled(
                format!("  {}", one(&e.reason)),
                theme.style(Role::Muted),
            )));
            if let Some(r) = &e.resolution {
                out.push(Line::from(format!("  → {}", one(r))));
            }
        }
    }

    if !case.rmas.is_empty() {
        out.push(Line::default());
        out.push(section(theme, t.rmas));
        for r in &case.rmas {
            let due = r.return_due.map_or("-".into(), |d| zone.short(d, now));
            let style = if r.overdue {
                theme.style(Role::Breached)
            } else {
                Style::default()
            };
            let overdue = if r.overdue {
                format!(" {}", lang.word(Word::Overdue))
            } else {
                String::new()
            };
            out.push(Line::from(Span::styled(
                format!(
                    "{} {} {} {} {} {} {} {due}{overdue}",
                    r.number,
                    lang.rma_status(r.status),
                    lang.word(Word::Part),
                    one(&r.part_number),
                    lang.word(Word::SerialWord),
                    one(&r.serial_number),
                    lang.word(Word::ReturnBy),
                ),
                style,
            )));
            // The analysis request, and when its result is due (or why that is not known).
            let rt = lang.rma_text();
            let due = crate::tui::rma::analysis_due(rt, r, zone, now);
            if let (Some(a), Some(due)) = (r.analysis, due) {
                out.push(Line::from(Span::styled(
                    format!("  {} · {due}", rt.analysis_label(a)),
                    theme.style(Role::Muted),
                )));
            }
        }
    }

    if !case.problem_reports.is_empty() {
        out.push(Line::default());
        out.push(section(theme, t.problem_reports));
        out.push(Line::from(
            case.problem_reports
                .iter()
                .map(|p| one(p).into_owned())
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    if !case.attachments.is_empty() {
        out.push(Line::default());
        out.push(section(theme, lang.word(Word::Attachments)));
        for a in &case.attachments {
            out.push(Line::from(attachment(&a.name, a.size, &a.content_type)));
        }
    }
    out.push(Line::default());
    if let Some(at) = app.opened.as_ref().and_then(|o| o.fetched_at) {
        out.push(Line::from(Span::styled(
            format!("{} {}", lang.word(Word::Fetched), zone.short(at, now)),
            theme.style(Role::Muted),
        )));
    }
    (out, place)
}
