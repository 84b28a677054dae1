//! RMA moves in the TUI (SPEC §2.8): the RMA list with its return and analysis dates, and the
//! move form, which offers only the statuses the RMA may move to (forward, or cancelled) and
//! the analysis request. A move goes to the server only — never the outbox — and the message
//! line says what changed or, in the server's words, why not.

use chrono::{DateTime, Utc};

use super::app::{App, Effect, ListKind, ListRow, ListView, Overlay};
use super::form::{Form, Purpose};
use super::input::{Edit, TextInput};
use super::keymap::Command;
use crate::api::{Rma, RmaPatch};
use crate::config::DisplayZone;
use crate::domain::{AnalysisRequest, CaseNumber, RmaNumber, RmaStatus};
use crate::sanitize::clean;
use crate::term::text::{Lang, Say};
use crate::term::theme::Role;
use crossterm::event::{KeyCode, KeyEvent};

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
    /// The RMA table of the search results: number, case, status, return due, serial / part.
    pub search_header: [&'static str; 5],
    /// The list's hint for its filter and sort keys, after each key.
    pub filter_sort: [&'static str; 2],
    /// The hint while a filter is typed.
    pub typing: &'static str,
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
    search_header: ["RMA", "case", "status", "return due", "serial / part"],
    filter_sort: [" filter", " sort"],
    typing: "type to filter · Enter keep · Esc clear",
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
    search_header: ["RMA", "ケース", "状態", "返却期限", "シリアル / 部品"],
    filter_sort: [" 絞り込み", " 並べ替え"],
    typing: "入力して絞り込み · Enter 確定 · Esc 解除",
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
/// shown again, updated, after the move; and how the list is sorted and filtered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RmaList {
    /// The case whose RMAs these are; `None` for the server's whole list.
    pub case: Option<CaseNumber>,
    /// The RMAs.
    pub rmas: Vec<Rma>,
    /// Whether the list comes back when the move now being made is answered.
    pub reopen: bool,
    /// The column the list is sorted by.
    pub sort: RmaSort,
    /// Whether the sort is reversed.
    pub desc: bool,
    /// The filter the shown RMAs pass (empty: all).
    pub filter: String,
    /// The filter being typed.
    pub filtering: Option<TextInput>,
}

impl RmaList {
    /// A list of `rmas`, sorted by return due, unfiltered.
    pub fn new(case: Option<CaseNumber>, rmas: Vec<Rma>) -> RmaList {
        RmaList {
            case,
            rmas,
            reopen: false,
            sort: RmaSort::default(),
            desc: false,
            filter: String::new(),
            filtering: None,
        }
    }

    /// The RMAs shown: those passing the filter, in the sort's order.
    pub fn shown(&self, lang: Lang) -> Vec<&Rma> {
        let needle = self.filter.trim().to_lowercase();
        let mut shown: Vec<&Rma> = self
            .rmas
            .iter()
            .filter(|r| needle.is_empty() || haystack(lang, r).contains(&needle))
            .collect();
        shown.sort_by(|a, b| {
            let o = self.sort.compare(a, b);
            if self.desc { o.reverse() } else { o }
        });
        shown
    }
}

/// What the RMA list's filter searches: the RMA and case numbers, the status (in the
/// interface's language and as the API writes it), the account, the serial and the part.
fn haystack(lang: Lang, r: &Rma) -> String {
    [
        r.number.to_string(),
        r.case_number.to_string(),
        lang.rma_status(r.status).to_string(),
        r.status.as_str().to_string(),
        r.account.clone(),
        r.serial_number.clone(),
        r.part_number.clone(),
    ]
    .join("\0")
    .to_lowercase()
}

/// The columns the RMA list sorts by, in the order `s` steps through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RmaSort {
    /// The return due date: overdue first, then the units still out by due date, then the
    /// rest (not issued, or back).
    #[default]
    ReturnDue,
    /// The RMA number.
    Number,
    /// The status, in workflow order.
    Status,
    /// The case number.
    Case,
}

impl RmaSort {
    const ORDER: [RmaSort; 4] = [
        RmaSort::ReturnDue,
        RmaSort::Number,
        RmaSort::Status,
        RmaSort::Case,
    ];

    /// The next column `s` sorts by.
    pub fn next(self) -> RmaSort {
        let i = RmaSort::ORDER.iter().position(|s| *s == self).unwrap_or(0);
        RmaSort::ORDER[(i + 1) % RmaSort::ORDER.len()]
    }

    /// The list column it sorts (index into the header).
    fn column(self) -> usize {
        match self {
            RmaSort::Number => 0,
            RmaSort::Status => 1,
            RmaSort::Case => 2,
            RmaSort::ReturnDue => 3,
        }
    }

    /// Two RMAs in this column's order, ascending; the RMA number breaks ties.
    fn compare(self, a: &Rma, b: &Rma) -> std::cmp::Ordering {
        let due = |r: &Rma| {
            let group = if r.overdue {
                0
            } else if r.status.awaits_return() && r.return_due.is_some() {
                1
            } else {
                2
            };
            (group, r.return_due)
        };
        match self {
            RmaSort::ReturnDue => due(a).cmp(&due(b)),
            RmaSort::Number => std::cmp::Ordering::Equal,
            RmaSort::Status => a.status.cmp(&b.status),
            RmaSort::Case => a.case_number.cmp(&b.case_number),
        }
        .then_with(|| a.number.cmp(&b.number))
    }
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
        role: rma.overdue.then_some(Role::Breached),
    }
}

/// The list overlay of `list`: the RMAs passing its filter in its order, the sorted column's
/// header marked, a hint built from the live key map.
pub fn view(app: &App, list: &RmaList) -> ListView {
    let lang = app.settings.lang;
    let t = lang.rma_text();
    let (zone, now) = (app.settings.zone, app.now);
    let shown = list.shown(lang);
    let counts = if shown.len() == list.rmas.len() {
        list.rmas.len().to_string()
    } else {
        format!("{}/{}", shown.len(), list.rmas.len())
    };
    let mut title = match list.case {
        Some(n) => format!("{} {n} ({counts})", t.of_case),
        None => format!("{} ({counts})", t.list),
    };
    let filter = list
        .filtering
        .as_ref()
        .map_or(list.filter.as_str(), |f| f.text());
    if !filter.is_empty() || list.filtering.is_some() {
        title.push_str(&format!(" /{filter}"));
    }
    let keys = &app.settings.keys;
    let first = |cmd: Command| keys.keys_for(cmd).first().map(|k| k.to_string());
    let mut hint = Vec::new();
    if let Some(k) = first(Command::RmaMove) {
        hint.push(format!("{k}{}", t.hint[0]));
    }
    if let Some(k) = first(Command::Filter) {
        hint.push(format!("{k}{}", t.filter_sort[0]));
    }
    if let Some(k) = first(Command::SortNext) {
        hint.push(format!("{k}{}", t.filter_sort[1]));
    }
    hint.push(t.hint[1].to_string());
    let hint = if list.filtering.is_some() {
        t.typing.to_string()
    } else {
        hint.join(" · ")
    };
    let mut header: Vec<String> = t.header.map(String::from).to_vec();
    if let Some(h) = header.get_mut(list.sort.column()) {
        h.push_str(if list.desc { "↓" } else { "↑" });
    }
    ListView {
        kind: ListKind::Rmas,
        title,
        header,
        rows: shown.iter().map(|r| row(lang, r, zone, now)).collect(),
        selected: 0,
        hint,
    }
}

/// Shows `app.rmas` again (after a sort, a filter keystroke or a move), on the RMA `keep` if
/// it is still shown.
fn show_again(app: &mut App, keep: Option<i64>) {
    let Some(list) = app.rmas.as_ref() else {
        return;
    };
    let mut shown = view(app, list);
    shown.selected = shown
        .rows
        .iter()
        .position(|r| r.id.is_some() && r.id == keep)
        .unwrap_or(0);
    app.overlay = Some(Overlay::List(shown));
}

/// A key in the RMA list for its filter and sort: `Ok` with the work when it was one of
/// theirs, else the list back for the list's other keys.
pub fn list_key(app: &mut App, list: ListView, key: &KeyEvent) -> Result<Vec<Effect>, ListView> {
    let keep = list.rows.get(list.selected).and_then(|r| r.id);
    let cmd = app.settings.keys.command(key);
    let Some(rmas) = app.rmas.as_mut() else {
        return Err(list);
    };
    if let Some(input) = rmas.filtering.as_mut() {
        match key.code {
            KeyCode::Enter => rmas.filtering = None,
            KeyCode::Esc => {
                rmas.filtering = None;
                rmas.filter.clear();
            }
            // Moving through what the filter left, while typing.
            KeyCode::Up | KeyCode::Down => return Err(list),
            _ => {
                if input.key(key) == Edit::Changed {
                    rmas.filter = input.text().to_string();
                }
            }
        }
        show_again(app, keep);
        return Ok(Vec::new());
    }
    match cmd {
        Some(Command::Filter) => rmas.filtering = Some(TextInput::line(&rmas.filter)),
        Some(Command::SortNext) => {
            rmas.sort = rmas.sort.next();
            rmas.desc = false;
        }
        Some(Command::SortReverse) => rmas.desc = !rmas.desc,
        // Esc clears a filter before it closes the list.
        Some(Command::Back) if !rmas.filter.is_empty() => rmas.filter.clear(),
        _ => return Err(list),
    }
    show_again(app, keep);
    Ok(Vec::new())
}

/// The header of the search results' RMA table.
pub fn search_header(lang: Lang) -> Vec<String> {
    lang.rma_text().search_header.map(String::from).to_vec()
}

/// One RMA among the search results: number, case, status, return due (or overdue), serial
/// and part. Its id is the RMA number's digits, as in the RMA list; that marks it an RMA row.
pub fn search_row(lang: Lang, rma: &Rma, zone: DisplayZone, now: DateTime<Utc>) -> ListRow {
    let mut full = row(lang, rma, zone, now);
    let mut cells = std::mem::take(&mut full.cells).into_iter();
    let (number, status, case, due) = (cells.next(), cells.next(), cells.next(), cells.next());
    full.cells = [number, case, status, due]
        .into_iter()
        .map(Option::unwrap_or_default)
        .chain(std::iter::once(
            clean(
                &format!("{} / {}", rma.serial_number, rma.part_number),
                true,
            )
            .into_owned(),
        ))
        .collect();
    full
}

/// The server's RMA list arrived: keep it and show it.
pub fn arrived(app: &mut App, rmas: Vec<Rma>) -> ListView {
    let list = RmaList::new(None, rmas);
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
        app.rmas = Some(RmaList::new(Some(number), rmas));
        open_form(app, &only);
        return Vec::new();
    }
    let list = RmaList::new(Some(number), rmas);
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
        // Back on the row that was moved.
        show_again(app, moved_number.map(|n| i64::from(n.value())));
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
        assert_eq!(
            list.hint,
            "m move · / filter · s sort · Enter open case · Esc close"
        );
        assert!(list.rows[0].cells[3].ends_with("OVERDUE"));
        assert_eq!(list.rows[0].role, Some(Role::Breached));

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
        let moved = &list.rows[list.selected];
        assert_eq!(moved.cells[0], "R21000001");
        assert_eq!(moved.cells[1], "Defective received");
        assert!(moved.cells[4].starts_with("Failure analysis (15 days) · "));
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

    fn numbers(app: &App) -> Vec<String> {
        let Some(Overlay::List(list)) = &app.overlay else {
            panic!("no list");
        };
        list.rows.iter().map(|r| r.cells[0].clone()).collect()
    }

    #[test]
    fn the_rma_list_sorts_by_return_due_then_by_s_and_filters_with_slash() {
        let mut app = app();
        let mut early = rma(21_000_011, RmaStatus::Issued, false);
        early.return_due = Some(app.now + chrono::Duration::days(2));
        early.serial_number = "FOC-EARLY".into();
        let mut late = rma(21_000_012, RmaStatus::ReplacementShipped, false);
        late.return_due = Some(app.now + chrono::Duration::days(9));
        let overdue = rma(21_000_013, RmaStatus::ReplacementShipped, true);
        let closed = rma(21_000_010, RmaStatus::Closed, false);
        app.update(Msg::RmaList(vec![
            closed.clone(),
            late.clone(),
            early.clone(),
            overdue.clone(),
        ]));
        // Overdue first, then the units still out by due date, then the rest.
        assert_eq!(
            numbers(&app),
            ["R21000013", "R21000011", "R21000012", "R21000010"]
        );
        let Some(Overlay::List(list)) = &app.overlay else {
            panic!("no list");
        };
        assert_eq!(list.header[3], "return due↑");

        press(&mut app, KeyCode::Char('s'));
        assert_eq!(
            numbers(&app),
            ["R21000010", "R21000011", "R21000012", "R21000013"],
            "by number"
        );
        press(&mut app, KeyCode::Char('S'));
        assert_eq!(numbers(&app)[0], "R21000013", "reversed");

        // `/` filters as you type: here the serial, and the selection stays on its RMA.
        press(&mut app, KeyCode::Char('/'));
        for c in "early".chars() {
            press(&mut app, KeyCode::Char(c));
        }
        assert_eq!(numbers(&app), ["R21000011"]);
        let Some(Overlay::List(list)) = &app.overlay else {
            panic!("no list");
        };
        assert!(list.title.ends_with("(1/4) /early"), "{}", list.title);
        assert_eq!(list.hint, EN.typing);
        // Enter keeps the filter; `m` is then the move key again, on the filtered row.
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('m'));
        let Some(Overlay::Form(form)) = &app.overlay else {
            panic!("no form");
        };
        assert!(form.title.contains("R21000011"), "{}", form.title);
        // A status in the interface's language matches too; Esc clears, a second closes.
        app.overlay = None;
        app.update(Msg::RmaList(vec![closed, late, early, overdue]));
        press(&mut app, KeyCode::Char('/'));
        for c in "closed".chars() {
            press(&mut app, KeyCode::Char(c));
        }
        press(&mut app, KeyCode::Enter);
        assert_eq!(numbers(&app), ["R21000010"]);
        press(&mut app, KeyCode::Esc);
        assert_eq!(numbers(&app).len(), 4);
        press(&mut app, KeyCode::Esc);
        assert!(app.overlay.is_none());
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
