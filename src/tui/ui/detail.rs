//! The case detail: header, description, the timeline (notes told apart by a label, not only a
//! colour), escalations, RMAs, problem reports, and what waits in the outbox for this case.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::queue::priority_role;
use super::{Drawn, frame, many, one, placeholder};
use crate::api::{Case, NoteKind};
use crate::cache::OutboxState;
use crate::domain::{Party, Visibility};
use crate::tui::app::{App, Pane};
use crate::tui::theme::Theme;

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
        placeholder(buf, inner, t.no_case, theme.style("muted"));
        return;
    };
    let Some(case) = &opened.case else {
        let text = if opened.loading {
            t.loading
        } else {
            t.not_cached
        };
        placeholder(buf, inner, text, theme.style("muted"));
        return;
    };
    let paragraph = Paragraph::new(lines(app, theme, case)).wrap(Wrap { trim: false });
    // The wrapped height, as the paragraph itself wraps, bounds the scrolling.
    let height = paragraph.line_count(inner.width);
    let max = height
        .saturating_sub(inner.height as usize)
        .min(u16::MAX as usize) as u16;
    drawn.detail_max_scroll = Some(max);
    paragraph
        .scroll((opened.scroll.min(max), 0))
        .render(inner, buf);
}

fn section<'a>(theme: &Theme, title: &str) -> Line<'a> {
    Line::from(Span::styled(
        format!("── {title} ──"),
        theme.style("header"),
    ))
}

fn field<'a>(theme: &Theme, label: &str, value: String) -> Vec<Span<'a>> {
    vec![
        Span::styled(format!("{label}: "), theme.style("muted")),
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

fn lines<'a>(app: &App, theme: &Theme, case: &'a Case) -> Vec<Line<'a>> {
    let t = app.text();
    let s = &case.summary;
    let zone = app.settings.zone;
    let now = app.now;
    let mut out = Vec::new();

    let mut head = vec![
        Span::styled(
            format!("{} {}", s.priority, s.priority.label()),
            theme.style(priority_role(s.priority)),
        ),
        Span::raw("  "),
        Span::styled(s.status.label().to_string(), theme.style("title")),
    ];
    if s.temporarily_downgraded {
        head.push(Span::styled(
            "  temporarily P2 (P1 restorable)",
            theme.style("due_soon"),
        ));
    }
    if case.unentitled {
        head.push(Span::styled(
            format!("  [{}]", t.not_entitled),
            theme.style("breached"),
        ));
    }
    out.push(Line::from(head));
    out.push(Line::from(Span::styled(
        one(&s.subject).into_owned(),
        theme.style("title"),
    )));

    let owner = s
        .owner
        .as_deref()
        .map_or_else(|| t.unassigned.to_string(), |o| one(o).into_owned());
    let mut l = field(theme, t.owner, owner);
    l.extend(field(theme, t.tier, s.tier.label().to_string()));
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
    let prefers = format!("{} {}", t.prefers, case.preferred_contact.label());
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
        Some(e) if e.active => format!("{} {} · {}", t.entitled, e.tier.label(), e.contract_end),
        Some(e) => format!("{} (ended {})", t.not_entitled, e.contract_end),
        None if case.unentitled => t.not_entitled.to_string(),
        None => "-".to_string(),
    };
    let style = if case.unentitled {
        theme.style("breached")
    } else {
        Style::default()
    };
    out.push(Line::from(vec![
        Span::styled(format!("{}: ", t.entitlement), theme.style("muted")),
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
        theme.style("muted"),
    )));

    let pending: Vec<_> = app.outbox_of(&s.number).collect();
    if !pending.is_empty() {
        out.push(Line::default());
        out.push(section(theme, t.waiting_to_send));
        for e in pending {
            let (word, role) = match e.state {
                OutboxState::Pending => ("PENDING", "stale"),
                OutboxState::Conflicted => ("CONFLICT", "error"),
                OutboxState::Failed => ("FAILED", "error"),
            };
            let mut spans = vec![
                Span::styled(format!("[{word} #{}]", e.id), theme.style(role)),
                Span::raw(format!(" {}", one(&e.change.describe()))),
            ];
            if let Some(err) = &e.error {
                spans.push(Span::styled(
                    format!(" — {}", one(err)),
                    theme.style("error"),
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
    out.push(section(theme, t.timeline));
    // Notes, changes and escalation requests in time order.
    enum Item<'c> {
        Note(&'c crate::api::Note),
        Change(&'c crate::api::HistoryEntry),
        Escalation(&'c crate::api::Escalation),
    }
    let mut items: Vec<(chrono::DateTime<chrono::Utc>, Item)> = Vec::new();
    items.extend(case.notes.iter().map(|n| (n.created_at, Item::Note(n))));
    items.extend(case.history.iter().map(|h| (h.at, Item::Change(h))));
    items.extend(
        case.escalations
            .iter()
            .map(|e| (e.requested_at, Item::Escalation(e))),
    );
    items.sort_by_key(|(at, _)| *at);
    for (at, item) in items {
        let when = Span::styled(format!("{} ", zone.short(at, now)), theme.style("muted"));
        match item {
            Item::Note(n) => {
                let (label, role) = match (n.kind, n.visibility) {
                    (NoteKind::Call, _) => ("CALL", "public_note"),
                    (NoteKind::ContactFailed, _) => ("NO ANSWER", "due_soon"),
                    (_, Visibility::Internal) => ("INTERNAL", "internal_note"),
                    (_, Visibility::Public) => ("PUBLIC", "public_note"),
                };
                let who = match n.party {
                    Party::Customer => format!("{} (customer)", one(&n.author)),
                    Party::Support => one(&n.author).into_owned(),
                };
                out.push(Line::from(vec![
                    when,
                    Span::styled(format!("[{label}]"), theme.style(role)),
                    Span::styled(format!(" {who}"), theme.style("title")),
                ]));
                for line in many(&n.body).lines() {
                    out.push(Line::from(format!("  {line}")));
                }
            }
            Item::Change(h) => {
                let mut text = format!("[CHANGE] {}: {}", one(&h.actor), one(&h.summary));
                if let Some(r) = &h.reason {
                    text.push_str(&format!(" — {}", one(r)));
                }
                out.push(Line::from(vec![
                    when,
                    Span::styled(text, theme.style("muted")),
                ]));
            }
            Item::Escalation(e) => {
                out.push(Line::from(vec![
                    when,
                    Span::styled(
                        format!("[ESCALATION {}]", e.state.as_str().to_uppercase()),
                        theme.style("due_soon"),
                    ),
                    Span::raw(format!(" {} by {}", e.kind.label(), one(&e.requested_by))),
                ]));
            }
        }
    }

    if !case.escalations.is_empty() {
        out.push(Line::default());
        out.push(section(theme, t.escalations));
        for e in &case.escalations {
            let mut text = format!("#{} {} — {}", e.id, e.kind.label(), e.state.as_str());
            if let Some(by) = &e.acknowledged_by {
                text.push_str(&format!(" (acknowledged by {})", one(by)));
            }
            if let Some(m) = e.contact_method {
                text.push_str(&format!(" · contact by {}", m.label()));
            }
            out.push(Line::from(text));
            out.push(Line::from(Span::styled(
                format!("  {}", one(&e.reason)),
                theme.style("muted"),
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
                theme.style("breached")
            } else {
                Style::default()
            };
            let overdue = if r.overdue { " OVERDUE" } else { "" };
            out.push(Line::from(Span::styled(
                format!(
                    "{} {} part {} serial {} return by {due}{overdue}",
                    r.number,
                    r.status.label(),
                    one(&r.part_number),
                    one(&r.serial_number)
                ),
                style,
            )));
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
        out.push(section(theme, "Attachments"));
        for a in &case.attachments {
            out.push(Line::from(format!(
                "{} ({} bytes, {})",
                one(&a.name),
                a.size,
                one(&a.content_type)
            )));
        }
    }
    out.push(Line::default());
    if let Some(at) = app.opened.as_ref().and_then(|o| o.fetched_at) {
        out.push(Line::from(Span::styled(
            format!("fetched {}", zone.short(at, now)),
            theme.style("muted"),
        )));
    }
    out
}
