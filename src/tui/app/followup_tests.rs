//! Issue 12 follow-ups: the quit question goes with its message, `s` steps through the
//! breaching sort, and the case panes follow a time-bound view as it moves on the minute.

use chrono::Duration;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::tests::app;
use super::*;
use crate::tui::queue::tests::summary;

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

#[test]
fn the_quit_question_is_disarmed_when_its_message_fades() {
    let mut app = app();
    app.update(Msg::Sync(SyncStatus {
        pending: 2,
        ..SyncStatus::default()
    }));
    assert!(key(&mut app, KeyCode::Char('q')).is_empty());
    assert!(app.message.is_some(), "the question is asked");
    let later = app.now + Duration::seconds(MESSAGE_SECS + 1);
    app.update(Msg::Tick(later));
    assert!(app.message.is_none(), "the question has faded");
    // The next q asks again rather than quitting on a question no longer on screen.
    assert!(key(&mut app, KeyCode::Char('q')).is_empty());
    assert!(!app.quit);
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.starts_with("2 changes not sent")),
        "{:?}",
        app.message
    );
    assert_eq!(key(&mut app, KeyCode::Char('q')), vec![Effect::Quit]);
}

#[test]
fn s_steps_from_the_breaching_sort_to_the_next_column_not_back_to_priority() {
    let mut app = app();
    key(&mut app, KeyCode::Char('4'));
    assert_eq!(app.queue.sort.column, SortColumn::Breaching);
    key(&mut app, KeyCode::Char('s'));
    assert_eq!(app.queue.sort.column, SortColumn::Owner);
    // From the due column's first order, `s` offers its second: what breaches next.
    app.queue.sort.column = SortColumn::NextDue;
    key(&mut app, KeyCode::Char('s'));
    assert_eq!(app.queue.sort.column, SortColumn::Breaching);
    // The whole cycle comes back where it started, through every column once.
    let mut seen = Vec::new();
    for _ in 0..SORTABLE.len() {
        key(&mut app, KeyCode::Char('s'));
        seen.push(app.queue.sort.column);
    }
    assert_eq!(app.queue.sort.column, SortColumn::Breaching);
    seen.sort_by_key(|c| c.as_str());
    seen.dedup();
    assert_eq!(seen.len(), SORTABLE.len());
}

#[test]
fn the_case_panes_follow_a_due_within_view_as_it_moves_on_the_minute() {
    let mut app = app();
    // View 8: due within an hour (or breached).
    let mut soon = app.settings.views[6].clone();
    soon.key = 8;
    soon.name = "Due within 1h".into();
    soon.due_within = Some(3600);
    app.settings.views.push(soon);
    // Case 4 is due in 61 minutes; the others have no deadline.
    let now = app.now;
    let rows = (1..=5)
        .map(|n| {
            let mut c = summary(n, &format!("case {n}"), "Osaka");
            if n == 4 {
                c.next_due = Some(now + Duration::minutes(61));
            }
            crate::tui::queue::Row::new(c)
        })
        .collect();
    app.update(Msg::Cases(rows, Vec::new()));
    let first = app.opened.as_ref().map(|o| o.number);
    assert!(first.is_some(), "All open shows its first case");
    // The view is empty for now: the panes still show the case from All open.
    key(&mut app, KeyCode::Char('8'));
    assert!(app.queue.selected_case().is_none());
    assert_eq!(app.opened.as_ref().map(|o| o.number), first);
    // Two minutes later case 4 is due within the hour: it is the view's row, and the panes
    // follow it without waiting for the next reload.
    let effects = app.update(Msg::Tick(now + Duration::minutes(2)));
    let four: CaseNumber = "2026-1120-000004".parse().unwrap();
    assert_eq!(app.queue.selected_case().map(|c| c.number), Some(four));
    assert_eq!(effects, vec![Effect::LoadCase(four, false)]);
    assert_eq!(app.opened.as_ref().map(|o| o.number), Some(four));
}
