//! RMA moves in the TUI (SPEC §2.8): the RMA list with its return and analysis dates, and the
//! move form, which offers only the statuses the RMA may move to (forward, or cancelled) and
//! the analysis request. A move goes to the server only — never the outbox — and the message
//! line says what changed or, in the server's words, why not.

use chrono::{DateTime, Utc};

use super::app::{App, Effect, ListKind, ListRow, ListView, Overlay};
use super::form::{Form, Purpose};
use super::keymap::Command;
use super::text::{Lang, Say};
use crate::api::{Rma, RmaPatch};
use crate::config::DisplayZone;
use crate::domain::{AnalysisRequest, CaseNumber, RmaNumber, RmaStatus};
use crate::sanitize::clean;

/// The RMA part of the interface's words.
#[derive(Debug)]
pub struct RmaText {
    /// The move form's title, before the RMA number.
    pub move_title: &'static str,
    /// What the RMA is now, in the title.
    pub now: &'static str,
    /// The status field.
    pub move_to: &'static str,
    /// The option that leaves the status as it is.
    pub no_move: &'static str,
    /// The analysis field.
    pub analysis: &'static str,
    /// The option that leaves the analysis as it is.
    pub unchanged: &'static str,
    /// No analysis requested.
    pub none: &'static str,
    /// Before the return date.
    pub return_due: &'static str,
    /// After a return date that has passed with the unit still out.
    pub overdue: &'static str,
    /// No return date: not issued yet.
    pub not_issued: &'static str,
    /// Before the analysis due date.
    pub result_due: &'static str,
    /// Around the days of an analysis not yet counting (the unit is not back).
    pub after_receipt: [&'static str; 2],
    /// An analysis whose receipt was never recorded.
    pub receipt_unknown: &'static str,
    /// After an RMA number that is closed or cancelled.
    pub is_final: &'static str,
    /// A case without RMAs.
    pub none_on_case: &'static str,
    /// The list title of one case's RMAs, before the case number.
    pub of_case: &'static str,
    /// The list title of all RMAs.
    pub list: &'static str,
    /// A form sent with nothing to change.
    pub choose: &'static str,
    /// The analysis in the message after a move.
    pub analysis_now: &'static str,
    /// The list's column headers.
    pub header: [&'static str; 6],
    /// The list's hint after the move key, and the rest of it.
    pub hint: [&'static str; 2],
    /// Analysis labels, in `AnalysisRequest::ALL` order.
    pub analyses: [&'static str; 2],
}

/// English.
pub static EN: RmaText = RmaText {
    move_title: "Move RMA",
    now: "now",
    move_to: "Move to",
    no_move: "— no move (analysis only)",
    analysis: "Analysis request",
    unchanged: "unchanged",
    none: "none",
    return_due: "return due",
    overdue: "OVERDUE",
    not_issued: "not issued: no return date yet",
    result_due: "result due",
    after_receipt: ["due ", " days after the defective unit is received"],
    receipt_unknown: "due date unknown: the unit's receipt was not recorded",
    is_final: "moves no more",
    none_on_case: "has no RMA",
    of_case: "RMAs of",
    list: "RMAs",
    choose: "choose a status to move to, or an analysis request",
    analysis_now: "analysis",
    header: [
        "RMA",
        "status",
        "case",
        "return due",
        "analysis",
        "account / serial / part",
    ],
    hint: [" move", "Enter open case · Esc close"],
    analyses: ["Repair analysis (30 days)", "Failure analysis (15 days)"],
};

/// Japanese.
pub static JA: RmaText = RmaText {
    move_title: "RMA の状態変更",
    now: "現在",
    move_to: "次の状態",
    no_move: "—（状態は変えず解析依頼のみ）",
    analysis: "解析依頼",
    unchanged: "変更なし",
    none: "なし",
    return_due: "返却期限",
    overdue: "期限超過",
    not_issued: "未発行（返却期限なし）",
    result_due: "結果の期限",
    after_receipt: ["故障品の受領から ", " 日後"],
    receipt_unknown: "期限不明（故障品の受領日時が記録されていません）",
    is_final: "はこれ以上変更できません",
    none_on_case: "に RMA はありません",
    of_case: "RMA 一覧 —",
    list: "RMA 一覧",
    choose: "次の状態か解析依頼を選んでください",
    analysis_now: "解析",
    header: [
        "RMA",
        "状態",
        "ケース",
        "返却期限",
        "解析",
        "取引先 / シリアル / 部品",
    ],
    hint: [" 状態変更", "Enter ケースを開く · Esc 閉じる"],
    analyses: ["修理解析（30 日）", "故障解析（15 日）"],
};

impl Lang {
    /// The RMA words of this language.
    pub fn rma_text(self) -> &'static RmaText {
        match self {
            Lang::En => &EN,
            Lang::Ja => &JA,
        }
    }
}

impl RmaText {
    /// An analysis request in this language.
    pub fn analysis_label(&self, a: AnalysisRequest) -> &'static str {
        let i = AnalysisRequest::ALL
            .iter()
            .position(|x| *x == a)
            .unwrap_or(0);
        self.analyses[i]
    }
}

/// The RMAs an RMA list shows (all, or one case's), kept so a row can be moved and the list
/// shown again, updated, after the move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RmaList {
    /// The case whose RMAs these are; `None` for the server's whole list.
    pub case: Option<CaseNumber>,
    /// The RMAs.
    pub rmas: Vec<Rma>,
    /// Whether the list comes back when the move now being made is answered.
    pub reopen: bool,
}

/// `11-16 17:00 OVERDUE`, `11-16 17:00`, or why there is no return date.
pub fn return_due(t: &RmaText, rma: &Rma, zone: DisplayZone, now: DateTime<Utc>) -> String {
    match rma.return_due {
        Some(d) if rma.overdue => format!("{} {}", zone.short(d, now), t.overdue),
        Some(d) => zone.short(d, now),
        None => t.not_issued.to_string(),
    }
}

/// The analysis due date, or when it will start counting, or why it is unknown; `None`
/// without an analysis request.
pub fn analysis_due(
    t: &RmaText,
    rma: &Rma,
    zone: DisplayZone,
    now: DateTime<Utc>,
) -> Option<String> {
    let a = rma.analysis?;
    let unit_out = rma.status.is_open() && rma.status != RmaStatus::DefectiveReceived;
    Some(match (rma.analysis_due, rma.received_at) {
        (Some(due), _) => format!("{} {}", t.result_due, zone.short(due, now)),
        (None, None) if unit_out => {
            format!("{}{}{}", t.after_receipt[0], a.days(), t.after_receipt[1])
        }
        (None, _) => t.receipt_unknown.to_string(),
    })
}

/// One row of an RMA list; its id is the RMA number's digits.
fn row(lang: Lang, rma: &Rma, zone: DisplayZone, now: DateTime<Utc>) -> ListRow {
    let t = lang.rma_text();
    let analysis = match rma.analysis {
        None => "-".to_string(),
        Some(a) => {
            let due = rma
                .analysis_due
                .map(|d| format!(" · {}", zone.short(d, now)))
                .unwrap_or_default();
            format!("{}{due}", t.analysis_label(a))
        }
    };
    ListRow {
        cells: vec![
            rma.number.to_string(),
            lang.rma_status(rma.status).to_string(),
            rma.case_number.to_string(),
            match rma.return_due {
                Some(_) if !rma.status.awaits_return() && !rma.overdue => "-".into(),
                _ => return_due(t, rma, zone, now),
            },
            analysis,
            clean(
                &format!(
                    "{} / {} / {}",
                    rma.account, rma.serial_number, rma.part_number
                ),
                true,
            )
            .into_owned(),
        ],
        case: Some(rma.case_number),
        id: Some(i64::from(rma.number.value())),
        role: rma.overdue.then_some("breached"),
    }
}

/// The list overlay of `list`, with a hint built from the live key map.
pub fn view(app: &App, list: &RmaList) -> ListView {
    let t = app.settings.lang.rma_text();
    let (zone, now) = (app.settings.zone, app.now);
    let title = match list.case {
        Some(n) => format!("{} {n} ({})", t.of_case, list.rmas.len()),
        None => format!("{} ({})", t.list, list.rmas.len()),
    };
    let keys = app.settings.keys.keys_for(Command::RmaMove);
    let hint = match keys.first() {
        Some(k) => format!("{k}{} · {}", t.hint[0], t.hint[1]),
        None => t.hint[1].to_string(),
    };
    ListView {
        kind: ListKind::Rmas,
        title,
        header: t.header.map(String::from).to_vec(),
        rows: list
            .rmas
            .iter()
            .map(|r| row(app.settings.lang, r, zone, now))
            .collect(),
        selected: 0,
        hint,
    }
}

/// The server's RMA list arrived: keep it and show it.
pub fn arrived(app: &mut App, rmas: Vec<Rma>) -> ListView {
    let list = RmaList {
        case: None,
        rmas,
        reopen: false,
    };
    let shown = view(app, &list);
    app.rmas = Some(list);
    shown
}

/// The move key in the RMA list: the form for the selected row's RMA.
pub fn start_from_list(app: &mut App, list: ListView) -> Vec<Effect> {
    let id = list.rows.get(list.selected).and_then(|r| r.id);
    let rma = app
        .rmas
        .as_ref()
        .and_then(|l| {
            l.rmas
                .iter()
                .find(|r| Some(i64::from(r.number.value())) == id)
        })
        .cloned();
    let Some(rma) = rma else {
        app.overlay = Some(Overlay::List(list));
        return Vec::new();
    };
    if open_form(app, &rma) {
        if let Some(l) = app.rmas.as_mut() {
            l.reopen = true;
        }
    } else {
        app.overlay = Some(Overlay::List(list));
    }
    Vec::new()
}

/// The move key on a case: its only RMA's form, or the list of its RMAs to choose from.
pub fn start_from_case(app: &mut App) -> Vec<Effect> {
    let t = app.settings.lang.rma_text();
    let Some(number) = app.current().map(|c| c.number) else {
        app.notice(app.settings.lang.say(Say::NoCaseSelected), true);
        return Vec::new();
    };
    let rmas = app
        .opened
        .as_ref()
        .filter(|o| o.number == number)
        .and_then(|o| o.case.as_ref())
        .map(|c| c.rmas.clone());
    let Some(rmas) = rmas else {
        // The detail is not read yet: open it; the key works once it shows.
        app.notice(format!("{number}: {}", app.text().loading), false);
        return vec![Effect::LoadCase(number, false)];
    };
    if rmas.is_empty() {
        app.notice(format!("{number} {}", t.none_on_case), true);
        return Vec::new();
    }
    let open: Vec<&Rma> = rmas.iter().filter(|r| r.status.is_open()).collect();
    if let [only] = open.as_slice() {
        let only = (*only).clone();
        app.rmas = Some(RmaList {
            case: Some(number),
            rmas,
            reopen: false,
        });
        open_form(app, &only);
        return Vec::new();
    }
    let list = RmaList {
        case: Some(number),
        rmas,
        reopen: false,
    };
    let shown = view(app, &list);
    app.rmas = Some(list);
    app.overlay = Some(Overlay::List(shown));
    Vec::new()
}

/// Opens the move form for `rma`; refuses (in the message line) one that moves no more.
fn open_form(app: &mut App, rma: &Rma) -> bool {
    let lang = app.settings.lang;
    let t = lang.rma_text();
    let (zone, now) = (app.settings.zone, app.now);
    let next = rma.status.allowed_next();
    if next.is_empty() {
        app.notice(
            format!(
                "{} ({}) {}",
                rma.number,
                lang.rma_status(rma.status),
                t.is_final
            ),
            true,
        );
        return false;
    }
    let title = match lang {
        Lang::En => format!(
            "{} {} ({} {})",
            t.move_title,
            rma.number,
            t.now,
            lang.rma_status(rma.status)
        ),
        Lang::Ja => format!(
            "{} — {}（{}: {}）",
            t.move_title,
            rma.number,
            t.now,
            lang.rma_status(rma.status)
        ),
    };
    let mut statuses: Vec<(String, String)> = next
        .iter()
        .map(|s| (s.as_str().to_string(), lang.rma_status(*s).to_string()))
        .collect();
    statuses.push((String::new(), t.no_move.to_string()));
    let current = rma.analysis.map_or(t.none, |a| t.analysis_label(a));
    let mut analyses = vec![(String::new(), format!("{}: {current}", t.unchanged))];
    analyses.extend(
        AnalysisRequest::ALL
            .iter()
            .filter(|a| Some(**a) != rma.analysis)
            .map(|a| (a.as_str().to_string(), t.analysis_label(*a).to_string())),
    );
    let status_label = format!(
        "{} · {} {}",
        t.move_to,
        t.return_due,
        return_due(t, rma, zone, now)
    );
    let analysis_label = match analysis_due(t, rma, zone, now) {
        Some(due) => format!("{} · {due}", t.analysis),
        None => t.analysis.to_string(),
    };
    let form = Form::new(title, Purpose::RmaMove(rma.number, rma.status))
        .choice("status", &status_label, statuses, 0)
        .choice("analysis", &analysis_label, analyses, 0);
    app.overlay = Some(Overlay::Form(form));
    true
}

/// What a sent move form asks of the server, or what is wrong with it.
pub fn submit(
    lang: Lang,
    form: &Form,
    number: RmaNumber,
    from: RmaStatus,
) -> Result<Vec<Effect>, String> {
    let t = lang.rma_text();
    let status = match form.value("status") {
        s if s.is_empty() => None,
        s => Some(
            s.parse::<RmaStatus>()
                .map_err(|e: crate::domain::ParseError| e.to_string())?,
        ),
    };
    let analysis = match form.value("analysis") {
        a if a.is_empty() => None,
        a => Some(
            a.parse::<AnalysisRequest>()
                .map_err(|e: crate::domain::ParseError| e.to_string())?,
        ),
    };
    if status.is_none() && analysis.is_none() {
        return Err(t.choose.to_string());
    }
    if let Some(to) = status
        && !from.allowed_next().contains(&to)
    {
        return Err(format!("{number}: {from} → {to}?"));
    }
    Ok(vec![Effect::PatchRma(
        number,
        RmaPatch { status, analysis },
    )])
}

/// A move was answered: say what changed (or the server's refusal), update the kept list, and
/// show it again when the move was made from it.
pub fn moved(app: &mut App, result: Result<Rma, (RmaNumber, String)>) {
    let lang = app.settings.lang;
    let t = lang.rma_text();
    let (zone, now) = (app.settings.zone, app.now);
    let moved_number = Some(match &result {
        Ok(rma) => rma.number,
        Err((number, _)) => *number,
    });
    match result {
        Ok(rma) => {
            let before = app
                .rmas
                .as_ref()
                .and_then(|l| l.rmas.iter().find(|r| r.number == rma.number))
                .cloned();
            let mut said = match before.as_ref().map(|b| b.status) {
                Some(from) if from != rma.status => format!(
                    "{}: {} → {}",
                    rma.number,
                    lang.rma_status(from),
                    lang.rma_status(rma.status)
                ),
                _ => format!("{}: {}", rma.number, lang.rma_status(rma.status)),
            };
            let analysis_changed = before.as_ref().is_none_or(|b| b.analysis != rma.analysis);
            if let (Some(a), true) = (rma.analysis, analysis_changed) {
                said.push_str(&format!(" · {} {}", t.analysis_now, t.analysis_label(a)));
                if let Some(due) = analysis_due(t, &rma, zone, now) {
                    said.push_str(&format!(" ({due})"));
                }
            }
            if rma.overdue {
                said.push_str(&format!(
                    " · {} {}",
                    t.return_due,
                    return_due(t, &rma, zone, now)
                ));
            }
            app.notice(said, false);
            if let Some(list) = app.rmas.as_mut()
                && let Some(slot) = list.rmas.iter_mut().find(|r| r.number == rma.number)
            {
                *slot = rma;
            }
        }
        Err((number, why)) => app.notice(format!("{number}: {why}"), true),
    }
    let reopen = app.rmas.as_ref().is_some_and(|l| l.reopen);
    if reopen && app.overlay.is_none() {
        if let Some(list) = app.rmas.as_mut() {
            list.reopen = false;
        }
        if let Some(list) = app.rmas.clone() {
            let mut shown = view(app, &list);
            // Back on the row that was moved.
            shown.selected = list
                .rmas
                .iter()
                .position(|r| Some(r.number) == moved_number)
                .unwrap_or(0);
            app.overlay = Some(Overlay::List(shown));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::app::Msg;
    use crate::tui::app::tests::app;
    use crate::tui::form::FieldKind;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn rma(n: u32, status: RmaStatus, overdue: bool) -> Rma {
        let now = Utc::now();
        Rma {
            number: RmaNumber::new(n).unwrap(),
            status,
            case_number: "2026-1120-000001".parse().unwrap(),
            account: "ACME".into(),
            serial_number: "FOC1".into(),
            part_number: "PWR-1".into(),
            analysis: None,
            created_at: now - chrono::Duration::days(20),
            issued_at: Some(now - chrono::Duration::days(19)),
            return_due: Some(now - chrono::Duration::days(4)),
            overdue,
            received_at: None,
            analysis_due: None,
        }
    }

    fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
        app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn choices<'a>(form: &'a Form, key: &str) -> (&'a str, Vec<&'a str>) {
        let field = form.fields.iter().find(|f| f.key == key).unwrap();
        let FieldKind::Choice { options, .. } = &field.kind else {
            panic!("{key} is not a choice");
        };
        (
            field.label.as_str(),
            options.iter().map(|(v, _)| v.as_str()).collect(),
        )
    }

    #[test]
    fn the_move_form_offers_only_the_allowed_moves_and_shows_the_dates() {
        let mut app = app();
        app.update(Msg::RmaList(vec![
            rma(21_000_001, RmaStatus::ReplacementShipped, true),
            rma(21_000_002, RmaStatus::Closed, false),
        ]));
        let Some(Overlay::List(list)) = &app.overlay else {
            panic!("no list");
        };
        assert_eq!(list.hint, "m move · Enter open case · Esc close");
        assert!(list.rows[0].cells[3].ends_with("OVERDUE"));
        assert_eq!(list.rows[0].role, Some("breached"));

        assert!(press(&mut app, KeyCode::Char('m')).is_empty());
        let Some(Overlay::Form(form)) = &app.overlay else {
            panic!("no form");
        };
        assert_eq!(form.title, "Move RMA R21000001 (now Replacement shipped)");
        let (label, statuses) = choices(form, "status");
        assert_eq!(
            statuses,
            ["defective_received", "closed", "cancelled", ""],
            "forward, cancelled, or no move"
        );
        assert!(
            label.starts_with("Move to · return due ") && label.ends_with("OVERDUE"),
            "{label}"
        );
        let (label, analyses) = choices(form, "analysis");
        assert_eq!(analyses, ["", "repair_analysis", "failure_analysis"]);
        assert_eq!(label, "Analysis request");

        // Failure analysis, then send: one patch with both.
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Right);
        press(&mut app, KeyCode::Right);
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        let effects = app.update(Msg::Key(ctrl_s));
        let number = RmaNumber::new(21_000_001).unwrap();
        assert_eq!(
            effects,
            [Effect::PatchRma(
                number,
                RmaPatch {
                    status: Some(RmaStatus::DefectiveReceived),
                    analysis: Some(AnalysisRequest::FailureAnalysis),
                }
            )]
        );

        // The answer: the message says what changed; the list is back, updated, on the row.
        let mut back = rma(21_000_001, RmaStatus::DefectiveReceived, false);
        back.analysis = Some(AnalysisRequest::FailureAnalysis);
        back.received_at = Some(app.now);
        back.analysis_due = Some(app.now + chrono::Duration::days(15));
        app.update(Msg::RmaMoved(Ok(back)));
        let message = app.message.as_ref().unwrap();
        assert!(!message.error);
        assert!(
            message.text.starts_with(
                "R21000001: Replacement shipped → Defective received · analysis Failure analysis (15 days) (result due "
            ),
            "{}",
            message.text
        );
        let Some(Overlay::List(list)) = &app.overlay else {
            panic!("the list is not back");
        };
        assert_eq!(list.selected, 0);
        assert_eq!(list.rows[0].cells[1], "Defective received");
        assert!(list.rows[0].cells[4].starts_with("Failure analysis (15 days) · "));
    }

    #[test]
    fn a_closed_rma_and_a_refusal_are_said_in_the_message_line() {
        let mut app = app();
        app.update(Msg::RmaList(vec![rma(
            21_000_002,
            RmaStatus::Closed,
            false,
        )]));
        assert!(press(&mut app, KeyCode::Char('m')).is_empty());
        assert!(
            matches!(app.overlay, Some(Overlay::List(_))),
            "the list stays"
        );
        let message = app.message.as_ref().unwrap();
        assert!(message.error);
        assert_eq!(message.text, "R21000002 (Closed) moves no more");

        let number = RmaNumber::new(21_000_002).unwrap();
        app.overlay = None;
        app.update(Msg::RmaMoved(Err((
            number,
            "Not allowed in the current state: RMA R21000002 is closed and cannot change".into(),
        ))));
        let message = app.message.as_ref().unwrap();
        assert!(message.error);
        assert!(
            message.text.starts_with("R21000002: Not allowed"),
            "{}",
            message.text
        );
    }

    #[test]
    fn the_move_key_is_remappable_and_speaks_japanese() {
        let mut app = app();
        app.settings.keys = crate::tui::keymap::KeyMap::with_overrides(
            &[
                ("M".to_string(), "rma-move".to_string()),
                ("m".to_string(), "none".to_string()),
            ]
            .into_iter()
            .collect(),
        )
        .unwrap();
        app.settings.lang = Lang::Ja;
        app.update(Msg::RmaList(vec![rma(
            21_000_003,
            RmaStatus::Issued,
            false,
        )]));
        let Some(Overlay::List(list)) = &app.overlay else {
            panic!("no list");
        };
        assert!(list.hint.starts_with("M 状態変更"), "{}", list.hint);
        press(&mut app, KeyCode::Char('m'));
        assert!(matches!(app.overlay, Some(Overlay::List(_))));
        press(&mut app, KeyCode::Char('M'));
        let Some(Overlay::Form(form)) = &app.overlay else {
            panic!("no form");
        };
        assert_eq!(form.title, "RMA の状態変更 — R21000003（現在: 発行済み）");
        let (label, _) = choices(form, "status");
        assert!(label.starts_with("次の状態 · 返却期限 "), "{label}");
        // Nothing chosen to change: refused in the form.
        press(&mut app, KeyCode::Left);
        for _ in 0..4 {
            press(&mut app, KeyCode::Right);
        }
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert!(app.update(Msg::Key(ctrl_s)).is_empty());
        let Some(Overlay::Form(form)) = &app.overlay else {
            panic!("the form stays");
        };
        assert_eq!(form.error.as_deref(), Some(JA.choose));
    }

    #[test]
    fn analysis_due_is_shown_counting_or_unknown() {
        let zone = DisplayZone::named("UTC").unwrap();
        let now = Utc::now();
        let mut r = rma(21_000_004, RmaStatus::Issued, false);
        assert_eq!(analysis_due(&EN, &r, zone, now), None);
        r.analysis = Some(AnalysisRequest::RepairAnalysis);
        assert_eq!(
            analysis_due(&EN, &r, zone, now).as_deref(),
            Some("due 30 days after the defective unit is received")
        );
        r.status = RmaStatus::Closed;
        assert_eq!(
            analysis_due(&EN, &r, zone, now).as_deref(),
            Some(EN.receipt_unknown)
        );
        r.received_at = Some(now);
        r.analysis_due = Some(now + chrono::Duration::days(30));
        assert!(
            analysis_due(&EN, &r, zone, now)
                .unwrap()
                .starts_with("result due ")
        );
    }
}
