//! The macro picker: the filter, the matching macros (personal ones marked), and a preview of
//! the chosen one filled in for the case — its note and its changes, or in red why it cannot
//! be applied, naming the placeholder.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use super::overlay::boxed;
use super::{Drawn, clear, many, one};
use crate::api::{CasePatch, NoteKind};
use crate::cache::PendingChange;
use crate::domain::Visibility;
use crate::sync::macros::MacroPlan;
use crate::term::text::{Lang, Word};
use crate::term::theme::{Role, Theme};
use crate::tui::app::App;
use crate::tui::macros::{MacroPicker, Preview, preview, refusal_words};

/// Draws the picker over `body`.
pub fn draw(
    app: &App,
    theme: &Theme,
    buf: &mut Buffer,
    body: Rect,
    picker: &MacroPicker,
    drawn: &mut Drawn,
) {
    let lang = app.settings.lang;
    let area = body;
    clear(area, buf);
    let (title, hint) = if picker.inserts() {
        (Word::MacroInsertTitle, Word::MacroInsertHint)
    } else {
        (Word::MacroTitle, Word::MacroHint)
    };
    let mut title = lang.word(title).to_string();
    if let Some(number) = picker.case_number() {
        title = format!("{title} — {number}");
    }
    if !picker.inserts() && !app.marks.is_empty() {
        let marked = lang
            .word(Word::MacroOnMarked)
            .replace("{n}", &app.marks.len().to_string());
        title = format!("{title} · {marked}");
    }
    let block = boxed(theme, &title, lang.word(hint));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height < 3 || inner.width < 20 {
        return;
    }
    // The filter on the first line, the cursor in it.
    let filter = format!("> {}", one(picker.filter.text()));
    Span::styled(filter, theme.style(Role::Header))
        .render(Rect::new(inner.x, inner.y, inner.width, 1), buf);
    let (_, col) = picker.filter.cursor_at();
    drawn.cursor = Some(Position {
        x: inner.x + (2 + col as u16).min(inner.width.saturating_sub(1)),
        y: inner.y,
    });
    let rest = Rect::new(inner.x, inner.y + 2, inner.width, inner.height - 2);
    let book = &app.macros;
    if book.macros.is_empty() {
        Paragraph::new(lang.word(Word::MacroNone))
            .style(theme.style(Role::Muted))
            .wrap(Wrap { trim: true })
            .render(rest, buf);
        return;
    }
    let matches = book.matching(picker.filter.text());
    let list_w = (rest.width * 2 / 5).clamp(16, 36);
    let list = Rect::new(rest.x, rest.y, list_w, rest.height);
    let pane = Rect::new(
        rest.x + list_w + 1,
        rest.y,
        rest.width.saturating_sub(list_w + 1),
        rest.height,
    );
    for y in rest.top()..rest.bottom() {
        buf[(rest.x + list_w, y)]
            .set_symbol("│")
            .set_style(theme.style(Role::Border));
    }
    if matches.is_empty() {
        Span::styled(lang.word(Word::MacroNoMatch), theme.style(Role::Muted)).render(list, buf);
        return;
    }
    let selected = picker.selected.min(matches.len() - 1);
    // The chosen row stays in view.
    let rows = list.height as usize;
    let first = (selected + 1).saturating_sub(rows);
    let personal = lang.word(Word::MacroPersonal);
    for (row, &i) in matches.iter().enumerate().skip(first).take(rows) {
        let Some(m) = book.get(i) else {
            continue;
        };
        let y = list.y + (row - first) as u16;
        let chosen = row == selected;
        let mark = if chosen { "▸ " } else { "  " };
        let style = theme.style(if chosen { Role::Selected } else { Role::Text });
        let tag = if book.is_personal(i) {
            format!(" · {personal}")
        } else {
            String::new()
        };
        let name_w = (list.width as usize).saturating_sub(2 + tag.width());
        let name = crate::term::label::cut(&one(&m.name), name_w);
        let line = Line::from(vec![
            Span::styled(format!("{mark}{name}"), style),
            Span::styled(tag, theme.style(Role::Muted)),
        ]);
        if chosen {
            buf.set_style(Rect::new(list.x, y, list.width, 1), style);
        }
        line.render(Rect::new(list.x, y, list.width, 1), buf);
    }
    let lines = match preview(app, picker) {
        Preview::Nothing => Vec::new(),
        Preview::Loading => vec![Line::from(Span::styled(
            lang.word(Word::MacroLoading),
            theme.style(Role::Muted),
        ))],
        Preview::Refused(refusal) => vec![Line::from(Span::styled(
            refusal_words(lang, &refusal),
            theme.style(Role::Error),
        ))],
        Preview::Planned(plan) => planned(lang, theme, &plan, picker.inserts()),
    };
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(pane, buf);
}

/// The note (its visibility, then its text) and the changes.
fn planned(lang: Lang, theme: &Theme, plan: &MacroPlan, inserts: bool) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    match &plan.note {
        Some(note) => {
            let (role, label) = match (note.kind, note.visibility) {
                (NoteKind::Note, Visibility::Internal) => {
                    (Role::InternalNote, Word::MacroInternalNote)
                }
                _ => (Role::PublicNote, Word::MacroPublicNote),
            };
            lines.push(Line::from(Span::styled(
                lang.word(label),
                theme.style(role),
            )));
            for l in many(&note.body).lines() {
                lines.push(Line::from(l.to_string()));
            }
        }
        None => lines.push(Line::from(Span::styled(
            lang.word(Word::MacroNoNote),
            theme.style(Role::Muted),
        ))),
    }
    // Inserting takes the text only.
    if inserts {
        return lines;
    }
    lines.push(Line::default());
    let changes = plan
        .patch
        .as_ref()
        .map(|p| changes(lang, p))
        .unwrap_or_default();
    if changes.is_empty() {
        lines.push(Line::from(Span::styled(
            lang.word(Word::MacroNoChanges),
            theme.style(Role::Muted),
        )));
        return lines;
    }
    lines.push(Line::from(Span::styled(
        lang.word(Word::MacroChanges),
        theme.style(Role::Header),
    )));
    for change in changes {
        lines.push(Line::from(format!("  {}", one(&change))));
    }
    lines
}

/// A patch's changes, one per line: "status → resolved", "priority → P2 (why)", "owner → me".
pub fn changes(lang: Lang, patch: &CasePatch) -> Vec<String> {
    let said = |p: CasePatch| lang.change(&PendingChange::Patch(p));
    let mut out = Vec::new();
    if patch.status.is_some() {
        out.push(said(CasePatch {
            status: patch.status,
            ..CasePatch::default()
        }));
    }
    if patch.priority.is_some() {
        let mut line = said(CasePatch {
            priority: patch.priority,
            ..CasePatch::default()
        });
        if let Some(reason) = patch.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            line = format!("{line} ({reason})");
        }
        out.push(line);
    }
    if patch.owner.is_some() {
        out.push(said(CasePatch {
            owner: patch.owner.clone(),
            ..CasePatch::default()
        }));
    }
    out
}
