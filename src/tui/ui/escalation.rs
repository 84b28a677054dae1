//! The escalation pane: the four options of SPEC §2.7 with what each is for, and the case's
//! open requests.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{frame, one, placeholder};
use crate::domain::{EscalationKind, EscalationState};
use crate::term::text::Lang;
use crate::term::theme::{Role, Theme};
use crate::tui::actions::kind_label;
use crate::tui::app::{App, Pane};

/// When to choose an option, in the interface's language.
fn when(lang: Lang, kind: EscalationKind) -> &'static str {
    match (lang, kind) {
        (Lang::En, k) => k.when(),
        (Lang::Ja, EscalationKind::FasterProgress) => "ケースをもっと早く進める必要があるとき",
        (Lang::Ja, EscalationKind::EngineerNow) => {
            "お客様がエンジニアからの連絡を必要としているとき"
        }
        (Lang::Ja, EscalationKind::Reassignment) => "別の担当者に移すべきとき",
        (Lang::Ja, EscalationKind::FasterRma) => "RMA の発送や状況確認が必要なとき",
    }
}

pub fn draw(app: &App, theme: &Theme, buf: &mut Buffer, area: Rect) {
    let t = app.text();
    let block = frame(app, theme, Pane::Escalation, t.escalation.to_string());
    let inner = block.inner(area);
    block.render(area, buf);
    if app.opened.is_none() && app.queue.selected_case().is_none() {
        placeholder(buf, inner, t.no_case, theme.style(Role::Muted));
        return;
    }
    let focused = app.focus == Pane::Escalation;
    let mut lines = Vec::new();
    for (i, kind) in EscalationKind::ALL.iter().enumerate() {
        let chosen = focused && i == app.option;
        let marker = if chosen { "> " } else { "  " };
        let style = if chosen {
            theme.style(Role::Selected)
        } else {
            theme.style(Role::Text)
        };
        lines.push(Line::from(vec![Span::styled(
            format!(
                "{marker}{}. {}",
                i + 1,
                kind_label(app.settings.lang, *kind)
            ),
            style,
        )]));
    }
    // What the option under the cursor is for; the others' are a keypress away.
    let described = EscalationKind::ALL[app.option.min(3)];
    lines.push(Line::from(Span::styled(
        format!("   ↳ {}", when(app.settings.lang, described)),
        theme.style(Role::Muted),
    )));
    let open: Vec<_> = app
        .opened
        .as_ref()
        .and_then(|o| o.case.as_ref())
        .map(|c| {
            c.escalations
                .iter()
                .filter(|e| {
                    matches!(
                        e.state,
                        EscalationState::Requested | EscalationState::Acknowledged
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if !open.is_empty() {
        for e in open {
            lines.push(Line::from(Span::styled(
                format!(
                    "#{} {} — {} ({})",
                    e.id,
                    kind_label(app.settings.lang, e.kind),
                    app.settings.lang.escalation_state(e.state),
                    one(&e.requested_by)
                ),
                theme.style(Role::DueSoon),
            )));
        }
    }
    // The hint goes first when space is short: it says how to use the pane.
    lines.insert(
        0,
        Line::from(Span::styled(
            if focused {
                t.choose_option.to_string()
            } else {
                // The keys bound now (`{escalate} / {next-pane}`).
                let hint = app
                    .settings
                    .lang
                    .word(crate::term::text::Word::EscalateHint);
                app.settings.keys.hint(hint)
            },
            theme.style(Role::Muted),
        )),
    );
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}
