//! What the message line says, in both languages, with the values it names. Errors that come
//! from the server or the system are passed through as they were written; only the words
//! around them are the interface's.

use super::{Lang, Word};

/// A message-line text and the values it names.
#[derive(Debug, Clone, Copy)]
pub enum Say<'a> {
    /// An action needs the signed-in person, not known before the first sync.
    WhoUnknown,
    /// Taking a case already yours.
    AlreadyYours(&'a str),
    /// A form was sent.
    Sending,
    /// A sync was asked for.
    Syncing,
    /// No case to act on.
    NoCaseSelected,
    /// A required form field is empty.
    Required(&'a str),
    /// The temporary downgrade was asked for another move than P1 → P2.
    DowngradeP1ToP2Only,
    /// The priority asked for is the current one.
    AlreadyPriority(&'a str),
    /// A list arrived while a form was open.
    ArrivedWhileBusy(&'a str),
    /// The queue's sort changed: the column's header, the arrow.
    SortedBy(&'a str, &'a str),
    /// `:sort` with an unknown column; the names expected.
    UnknownSortColumn(&'a str, &'a str),
    /// `:profile` alone: the current profile.
    ProfileNow(&'a str),
    /// A view key without a view.
    NoSavedView(u8),
    /// The first press of the discard key (named) on an outbox entry.
    PressAgainToDiscard(&'a str, i64),
    /// An unknown palette command, with the commands it might have meant.
    UnknownCommand(&'a str, &'a str),
    /// A profile switch.
    SwitchedProfile(&'a str),
    /// The cache could not be read.
    CacheUnreadable(&'a str),
    /// A change was saved: the case, the change.
    Saved(&'a str, &'a str),
    /// A change was queued offline: the case, the change, the outbox id.
    Queued(&'a str, &'a str, i64),
    /// A change conflicted: the case, why, the outbox id.
    Conflicted(&'a str, &'a str, i64),
    /// A change was refused: the case, why, the outbox id.
    Refused(&'a str, &'a str, i64),
    /// A change was refused for good and is not kept: the case, the change, why.
    RefusedForGood(&'a str, &'a str, &'a str),
    /// Only a lead may make this owner change: the case, its owner, the escalate key.
    NeedsLead(&'a str, Option<&'a str>, &'a str),
    /// The signed-in role changes no cases: the role.
    ReadOnlyRole(&'a str),
    /// Acting on an escalation is a lead's: the signed-in role.
    EscalationNeedsLead(&'a str),
    /// A name that is not an active person: the name, a close one.
    UnknownPerson(&'a str, Option<&'a str>),
    /// Something failed about a thing: what, the error.
    Failed(&'a str, &'a str),
    /// An RMA was created: the case, the RMA, its status.
    RmaCreated(&'a str, &'a str, &'a str),
    /// An RMA cannot be created offline.
    RmaNeedsServer(&'a str),
    /// A new case is open: its number, priority, tier, when the first response is due (`in
    /// 15m`, or none), whether its serial has no active contract.
    CaseOpened(&'a str, &'a str, &'a str, Option<&'a str>, bool),
    /// A new case waits in the outbox: its provisional reference, the outbox id.
    CaseQueued(&'a str, i64),
    /// A new case was not opened: why.
    CaseNotOpened(&'a str),
    /// An escalation moved: its id, the case, the new state.
    EscalationMoved(i64, &'a str, &'a str),
    /// An outbox entry was sent.
    OutboxSent(i64),
    /// A retry found the server still unreachable.
    StillOffline(i64),
    /// An outbox entry was discarded, with what it was.
    Discarded(i64, &'a str),
    /// An outbox entry written for another server or person: for whom (person, server).
    WrittenFor(&'a str, &'a str),
    /// `r` on an outbox entry written for another server or person: its id.
    ForeignNotSent(i64),
    /// The cache was found damaged and rebuilt: where the damaged file went, how many outbox
    /// changes were kept, whether the outbox could not be read in full.
    CacheRepaired(&'a str, usize, bool),
    /// A search's list title: the words, how many found.
    SearchTitle(&'a str, usize),
    /// `how long ago` by `whom`, in the escalation list.
    AgoBy(&'a str, &'a str),
    /// A case on screen breached its SLA while shown: the case, how many others did too.
    Breached(&'a str, usize),
    /// An alert: what raised it, the case, its subject, and a detail (the priority of a new
    /// case, the time left of a case due soon).
    Alert(crate::config::Trigger, &'a str, &'a str, &'a str),
    /// Several alerts at once: how many, and the counts per trigger (joined [`Say::AlertCount`]).
    AlertSummary(usize, &'a str),
    /// One trigger's count in a summary: the trigger, how many, a detail (the priorities, the
    /// due span).
    AlertCount(crate::config::Trigger, usize, &'a str),
    /// `:alerts` before any alert was raised.
    NoAlertsYet,
    /// `:alerts` with alerts turned off.
    AlertsOff,
    /// A case number was copied to the clipboard.
    Copied(&'a str),
    /// The note editor was opened on a kept draft: when it was saved (`HH:MM`).
    DraftRestored(&'a str),
    /// The note editor was closed with text in it: the draft is kept.
    DraftKept,
    /// The first press of the draft discard key (named) in the editor.
    PressAgainToDiscardDraft(&'a str),
    /// A draft was discarded: the case.
    DraftDiscarded(&'a str),
    /// `:drafts` with no draft kept.
    NoDrafts,
    /// A draft's case is not in the cache (so its editor cannot be opened): the case.
    DraftCaseUnknown(&'a str),
    /// The copy key with `[tui] clipboard = false`.
    ClipboardOff,
    /// The first quit key: how many changes are not sent yet, whether this is the demo, the
    /// quit key.
    QuitAsk(usize, bool, &'a str),
    /// The public note form of a case the server mails: to whom (`Name <addr>`).
    WillBeMailedTo(&'a str),
    /// The first press of the discard key (named) on held mail: its id.
    PressAgainToDiscardMail(&'a str, i64),
    /// Held mail was added to a case as the customer's note: its id, the case.
    MailReleased(i64, &'a str),
    /// Held or unreadable mail was discarded: its id.
    MailDiscarded(i64),
    /// Release asked of a server without a mail channel.
    MailOffNoRelease,
    /// A file was attached: its name, size, the case.
    Attached(&'a str, &'a str, &'a str),
    /// A file was kept to be attached when the server is reachable: name, size, the case.
    AttachQueued(&'a str, &'a str, &'a str),
    /// A path cannot be attached: the path, why.
    CannotAttach(&'a str, &'a str),
    /// A case has no files listed.
    NoFiles(&'a str),
    /// A file to view is not text: its name.
    NotText(&'a str),
    /// A file was saved: its name, where.
    FileSaved(&'a str, &'a str),
    /// A file could not be saved: where, why.
    CannotSave(&'a str, &'a str),
    /// `$PAGER` could not show a file: the pager, why.
    PagerFailed(&'a str, &'a str),
    /// The viewer shows the start of a big file: how much, of how much.
    ViewerCut(&'a str, &'a str),
    /// A search in the viewer found nothing: what was looked for.
    NoMatchFor(&'a str),
    /// What was typed is not a case number.
    NotACaseNumber(&'a str),
    /// `:macro NAME` names no macro: the name, close names (may be empty).
    UnknownMacro(&'a str, &'a str),
    /// A macro's placeholder has no value for the case: the macro, the placeholder.
    MacroMissing(&'a str, &'a str),
    /// A macro's text names an unknown placeholder: the macro, the placeholder, the known ones.
    MacroUnknownPlaceholder(&'a str, &'a str, &'a str),
    /// A macro's changes are refused by the case's rules: the macro, the rule's words.
    MacroChangeRefused(&'a str, &'a str),
    /// How many cases are marked for a bulk action.
    Marked(usize),
    /// The marks were cleared: how many.
    MarksCleared(usize),
    /// The marked cases, as a form's title names them: how many.
    MarkedCases(usize),
    /// A bulk action's outcome: done, queued offline, refused.
    BulkSummary(usize, usize, usize),
    /// A bulk change the server did not take, kept in the outbox: why, the entry.
    BulkKept(&'a str, i64),
}

impl Lang {
    /// A form's title: what it does, the case, and what the case has now (`Status of
    /// 2026-1124-000101 (now Open)`, `状態の変更 — 2026-1124-000101（現在: 対応中）`).
    pub fn form_title(self, what: Word, number: &str, now: Option<&str>) -> String {
        match (self, now) {
            (Lang::En, None) => format!("{} {number}", what.en()),
            (Lang::En, Some(now)) => format!("{} {number} (now {now})", what.en()),
            (Lang::Ja, None) => format!("{} — {number}", what.ja()),
            (Lang::Ja, Some(now)) => format!("{} — {number}（現在: {now}）", what.ja()),
        }
    }

    /// The priority form's title for a temporarily downgraded case.
    pub fn downgraded_title(self, number: &str) -> String {
        match self {
            Lang::En => format!("Priority of {number}: temporarily P2 — choose P1 to restore"),
            Lang::Ja => format!("優先度の変更 — {number}: 一時的に P2（P1 を選ぶと戻ります）"),
        }
    }

    /// Why a status move is refused.
    pub fn transition_error(self, e: &crate::domain::TransitionError) -> String {
        use crate::domain::TransitionError as E;
        let or_list = |all: &[crate::domain::Status]| {
            all.iter()
                .map(|s| self.status(*s))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (self, e) {
            // The domain's own wording names statuses by their API names.
            (Lang::En, E::Forbidden { from, to, allowed }) => format!(
                "cannot move a case from {} to {}: from {} it may go to {}",
                self.status(*from),
                self.status(*to),
                self.status(*from),
                or_list(allowed)
            ),
            (Lang::En, E::CloseReasonRequired { from }) => format!(
                "closing a case from {} needs a close reason",
                self.status(*from)
            ),
            (Lang::En, E::UnexpectedCloseReason { from, to, .. }) => format!(
                "a close reason only goes with closing, not with moving from {} to {}",
                self.status(*from),
                self.status(*to)
            ),
            (Lang::Ja, E::Forbidden { from, to, allowed }) => format!(
                "{} から {} には移せません（移せる状態: {}）",
                self.status(*from),
                self.status(*to),
                allowed
                    .iter()
                    .map(|s| self.status(*s))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            (Lang::Ja, E::CloseReasonRequired { .. }) => {
                "クローズするにはクローズ理由を選んでください".into()
            }
            (Lang::Ja, E::UnexpectedCloseReason { .. }) => {
                "クローズ理由はクローズするときだけ選べます".into()
            }
        }
    }

    /// Why an escalation move is refused.
    pub fn escalation_transition_error(
        self,
        e: &crate::domain::EscalationTransitionError,
    ) -> String {
        match self {
            Lang::En => e.to_string(),
            Lang::Ja if e.allowed.is_empty() => format!(
                "エスカレーションは{}のため、これ以上変更できません",
                self.escalation_state(e.from)
            ),
            Lang::Ja => format!(
                "エスカレーションを{}から{}にはできません（可能: {}）",
                self.escalation_state(e.from),
                self.escalation_state(e.to),
                e.allowed
                    .iter()
                    .map(|s| self.escalation_state(*s))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        }
    }

    /// The message in this language.
    pub fn say(self, s: Say<'_>) -> String {
        match self {
            Lang::En => en(s),
            Lang::Ja => ja(s),
        }
    }
}

fn en(s: Say<'_>) -> String {
    match s {
        Say::WhoUnknown => {
            "who you are is not known yet: it is learnt at the first sync with the server".into()
        }
        Say::AlreadyYours(n) => format!("{n} is already yours"),
        Say::Sending => "sending…".into(),
        Say::Syncing => "syncing…".into(),
        Say::NoCaseSelected => "no case selected".into(),
        Say::Required(what) => format!("{what} is required"),
        Say::DowngradeP1ToP2Only => "the temporary downgrade goes from P1 to P2 only".into(),
        Say::AlreadyPriority(p) => format!("the case is already {p}: choose another priority"),
        Say::ArrivedWhileBusy(title) => {
            format!("{title} — arrived while you were busy; ask again to see it")
        }
        Say::SortedBy(column, arrow) => format!("sorted by {column} {arrow}"),
        Say::UnknownSortColumn(arg, names) => {
            format!("sort: unknown column '{arg}': expected {names}")
        }
        Say::ProfileNow(p) => format!("profile: now '{p}'; type :profile NAME to switch"),
        Say::NoSavedView(key) => {
            format!("no saved view {key}: add one as [tui.views.{key}] in the config")
        }
        Say::PressAgainToDiscard(key, id) => {
            format!("press {key} again to discard #{id} for good")
        }
        Say::UnknownCommand(name, "") => {
            format!("unknown command '{name}': type : and Tab to see the commands")
        }
        Say::UnknownCommand(name, near) => {
            format!("unknown command '{name}': did you mean {near}?")
        }
        Say::SwitchedProfile(p) => format!("switched to profile '{p}'"),
        Say::CacheUnreadable(e) => format!("cannot read the cache: {e}"),
        Say::Saved(n, what) => format!("{n}: {what} — saved"),
        Say::Queued(n, what, id) => {
            format!("{n}: {what} — offline, queued as #{id}; it is sent when the server answers")
        }
        Say::Conflicted(n, why, id) => format!(
            "{n} changed since you saw it ({why}); kept as #{id}: press o to retry or discard"
        ),
        Say::Refused(n, why, id) => format!("{n}: {why} (kept as #{id}; o to retry or discard)"),
        Say::RefusedForGood(n, what, why) => {
            format!("{n}: {what} refused — {why} (not kept: sending it again cannot succeed)")
        }
        Say::NeedsLead(n, Some(owner), key) => format!(
            "{n} is {owner}'s: only a lead moves a case from its owner — ask a lead: escalate ({key}) → Case reassignment"
        ),
        Say::NeedsLead(n, None, key) => format!(
            "{n}: only a lead gives a case to someone else — take it yourself, or ask a lead: escalate ({key}) → Case reassignment"
        ),
        Say::ReadOnlyRole(role) => {
            format!("the role {role} changes no cases: ask an admin for an agent's token")
        }
        Say::EscalationNeedsLead(role) => format!(
            "only a lead acknowledges, resolves or declines escalations (your role: {role}) — ask a lead; Enter opens the case"
        ),
        Say::UnknownPerson(name, Some(close)) => {
            format!("no active person is called '{name}' — did you mean {close}? (Tab completes)")
        }
        Say::UnknownPerson(name, None) => {
            format!("no active person is called '{name}' — type part of a name, Tab completes")
        }
        Say::Failed(what, e) => format!("{what}: {e}"),
        Say::RmaCreated(n, rma, status) => format!("{n}: RMA {rma} created, {status}"),
        Say::RmaNeedsServer(e) => {
            format!("creating an RMA needs the server, which cannot be reached: {e}")
        }
        Say::CaseOpened(n, priority, tier, due, unentitled) => {
            let due = due.map_or("no first-response target".into(), |d| {
                format!("first response due in {d}")
            });
            let flag = if unentitled {
                " · NO ACTIVE CONTRACT"
            } else {
                ""
            };
            format!("opened {n} ({priority}, {tier}) — {due}{flag}")
        }
        Say::CaseQueued(reference, id) => format!(
            "{reference}: offline — the new case waits in the outbox (#{id}) and gets its number when the server answers"
        ),
        Say::CaseNotOpened(e) => format!("the new case was not opened: {e}"),
        Say::EscalationMoved(id, n, state) => format!("escalation #{id} on {n}: {state}"),
        Say::OutboxSent(id) => format!("#{id} sent"),
        Say::StillOffline(id) => format!("#{id}: still offline; it waits"),
        Say::Discarded(id, what) => format!("#{id} discarded: {what}"),
        Say::WrittenFor(user, server) => format!("written for {user} on server {server}"),
        Say::CacheRepaired(path, kept, false) => format!(
            "the cache was damaged: rebuilt from the server, its outbox kept ({kept} change(s)); the damaged file is at {path}"
        ),
        Say::CacheRepaired(path, kept, true) => format!(
            "the cache was damaged: rebuilt from the server; its outbox could not be read in full: {kept} change(s) kept, others made offline are lost; the damaged file is at {path}"
        ),
        Say::ForeignNotSent(id) => format!(
            "#{id} was written for another server or user: it is never sent from here — d discards it, `casedesk outbox export` saves it"
        ),
        Say::SearchTitle(q, n) => format!("Search “{q}” — {n} found"),
        Say::AgoBy(ago, who) => format!("{ago} ago by {who}"),
        Say::Breached(n, 0) => format!("!! {n} has breached its SLA"),
        Say::Breached(n, others) => {
            format!("!! {n} and {others} more have breached their SLA")
        }
        Say::Alert(trigger, n, subject, detail) => {
            use crate::config::Trigger as T;
            match trigger {
                T::NewPriority => format!("new {detail}: {n} {subject}"),
                T::AssignedToMe => format!("assigned to you: {n} {subject}"),
                T::CustomerReplied => format!("the customer replied on {n}: {subject}"),
                T::DueSoon => format!("{n} is due in {detail}: {subject}"),
                T::Escalation => {
                    format!("{n} has an escalation waiting for a lead: {subject}")
                }
            }
        }
        Say::AlertSummary(total, parts) => format!("{total} new alerts: {parts}"),
        Say::AlertCount(trigger, k, detail) => {
            use crate::config::Trigger as T;
            let s = if k == 1 { "" } else { "s" };
            match trigger {
                T::NewPriority => format!("{k} new {detail}"),
                T::AssignedToMe => format!("{k} assigned to you"),
                T::CustomerReplied => {
                    format!("{k} customer repl{}", if k == 1 { "y" } else { "ies" })
                }
                T::DueSoon => format!("{k} due within {detail}"),
                T::Escalation => format!("{k} escalation{s} waiting"),
            }
        }
        Say::NoAlertsYet => "no alerts yet this session".into(),
        Say::AlertsOff => {
            "alerts are off (--no-alerts, or [alerts] enabled = false in the config)".into()
        }
        Say::Copied(n) => format!("copied {n} to the clipboard"),
        Say::DraftRestored(at) => format!("draft restored (saved {at})"),
        Say::DraftKept => "draft kept — :drafts lists it; the editor brings it back".into(),
        Say::PressAgainToDiscardDraft(key) => {
            format!("press {key} again to discard this draft (any other key keeps it)")
        }
        Say::DraftDiscarded(n) => format!("draft on {n} discarded"),
        Say::NoDrafts => "no drafts: every note typed has been sent".into(),
        Say::DraftCaseUnknown(n) => {
            format!("{n} is not in the cache: sync, then open its draft again")
        }
        Say::ClipboardOff => "copying is off in the config ([tui] clipboard = false)".into(),
        Say::QuitAsk(n, false, q) => format!(
            "{n} {} not sent yet — {q} again to quit; they stay in the outbox and are sent next time",
            if n == 1 { "change" } else { "changes" }
        ),
        Say::QuitAsk(0, true, q) => {
            format!("the demo's data is temporary: it is gone when you quit — {q} again to quit")
        }
        Say::QuitAsk(n, true, q) => format!(
            "{n} {} not sent yet, and the demo's data is temporary: it is gone when you quit — {q} again to quit",
            if n == 1 { "change" } else { "changes" }
        ),
        Say::WillBeMailedTo(to) => format!("will be mailed to {to}"),
        Say::PressAgainToDiscardMail(key, id) => {
            format!("press {key} again to discard mail #{id} for good")
        }
        Say::MailReleased(id, n) => format!("mail #{id} added to {n} as the customer's note"),
        Say::MailDiscarded(id) => format!("mail #{id} discarded"),
        Say::MailOffNoRelease => {
            "mail is off on this server: held mail can be discarded, not released".into()
        }
        Say::NotACaseNumber(text) => {
            format!("'{text}' is not a case number: expected YYYY-MMDD-NNNNNN")
        }
        Say::Attached(name, size, n) => format!("attached {name} ({size}) to {n}"),
        Say::AttachQueued(name, size, n) => format!(
            "queued: {name} ({size}) for {n} — offline; it is sent when the server is reachable"
        ),
        Say::CannotAttach(path, why) => format!("cannot attach {path}: {why}"),
        Say::NoFiles(n) => format!("{n} has no files"),
        Say::NotText(name) => format!("{name} is not text: choose where to save it"),
        Say::FileSaved(name, path) => format!("saved {name} to {path}"),
        Say::CannotSave(path, why) => format!("cannot save to {path}: {why}"),
        Say::PagerFailed(pager, why) => format!("the pager '{pager}' failed: {why}"),
        Say::ViewerCut(shown, size) => {
            format!("showing the first {shown} of {size}; the pager key opens what was fetched")
        }
        Say::NoMatchFor(q) => format!("no match for '{q}'"),
        Say::Marked(n) => format!("{n} marked"),
        Say::MarksCleared(n) => format!("marks cleared ({n})"),
        Say::MarkedCases(1) => "1 marked case".into(),
        Say::MarkedCases(n) => format!("{n} marked cases"),
        Say::BulkSummary(done, 0, refused) => format!("{done} done, {refused} refused"),
        Say::BulkSummary(done, queued, refused) => {
            format!("{done} done, {queued} queued offline, {refused} refused")
        }
        Say::BulkKept(why, id) => format!("{why} (kept in the outbox as #{id})"),
        Say::UnknownMacro(name, "") => {
            format!("no macro is called '{name}' — :macro alone lists them")
        }
        Say::UnknownMacro(name, close) => {
            format!("no macro is called '{name}' — did you mean {close}?")
        }
        Say::MacroMissing(name, p) => {
            format!("macro {name}: {{{p}}} has no value for this case — nothing was sent")
        }
        Say::MacroUnknownPlaceholder(name, p, known) => {
            format!(
                "macro {name}: {{{p}}} is not a placeholder (they are {known}) — nothing was sent"
            )
        }
        Say::MacroChangeRefused(name, why) => format!("macro {name}: {why} — nothing was sent"),
    }
}

fn ja(s: Say<'_>) -> String {
    match s {
        Say::WhoUnknown => {
            "ログイン中のユーザーがまだ分かりません。サーバーとの最初の同期で分かります".into()
        }
        Say::AlreadyYours(n) => format!("{n} はすでにあなたの担当です"),
        Say::Sending => "送信中…".into(),
        Say::Syncing => "同期中…".into(),
        Say::NoCaseSelected => "ケースが選ばれていません".into(),
        Say::Required(what) => format!("{what}は必須です"),
        Say::DowngradeP1ToP2Only => "一時的な引き下げは P1 から P2 へのみです".into(),
        Say::AlreadyPriority(p) => {
            format!("このケースはすでに {p} です。別の優先度を選んでください")
        }
        Say::ArrivedWhileBusy(title) => {
            format!("{title} — 作業中に届きました。もう一度開いてください")
        }
        Say::SortedBy(column, arrow) => format!("{column} で並べ替え {arrow}"),
        Say::UnknownSortColumn(arg, names) => {
            format!("sort: 不明な列 '{arg}'。使える列: {names}")
        }
        Say::ProfileNow(p) => {
            format!("プロファイル: 現在は '{p}'。切り替えるには :profile 名前")
        }
        Say::NoSavedView(key) => {
            format!("保存ビュー {key} はありません。設定に [tui.views.{key}] を追加してください")
        }
        Say::PressAgainToDiscard(key, id) => {
            format!("もう一度 {key} を押すと #{id} を破棄します")
        }
        Say::UnknownCommand(name, "") => {
            format!("不明なコマンド '{name}'。: と Tab でコマンド一覧を表示します")
        }
        Say::UnknownCommand(name, near) => {
            format!("不明なコマンド '{name}'。もしかして {near}？")
        }
        Say::SwitchedProfile(p) => format!("プロファイル '{p}' に切り替えました"),
        Say::CacheUnreadable(e) => format!("キャッシュを読めません: {e}"),
        Say::Saved(n, what) => format!("{n}: {what} — 保存しました"),
        Say::Queued(n, what, id) => format!(
            "{n}: {what} — オフラインのため #{id} として保留しました。サーバーに繋がると送信します"
        ),
        Say::Conflicted(n, why, id) => {
            format!("{n} は表示後に変更されました（{why}）。#{id} として保持: o で再送または破棄")
        }
        Say::Refused(n, why, id) => format!("{n}: {why}（#{id} として保持。o で再送または破棄）"),
        Say::RefusedForGood(n, what, why) => {
            format!("{n}: {what} は拒否されました — {why}（再送しても通らないため保持しません）")
        }
        Say::NeedsLead(n, Some(owner), key) => format!(
            "{n} は {owner} の担当です。担当者から外せるのはリーダーだけです — リーダーに依頼: エスカレーション ({key}) → 担当者の変更"
        ),
        Say::NeedsLead(n, None, key) => format!(
            "{n}: 他の人に割り当てられるのはリーダーだけです — 自分で担当するか、リーダーに依頼: エスカレーション ({key}) → 担当者の変更"
        ),
        Say::ReadOnlyRole(role) => {
            format!(
                "ロール {role} ではケースを変更できません。管理者に担当者用のトークンを依頼してください"
            )
        }
        Say::EscalationNeedsLead(role) => format!(
            "エスカレーションの受付・解決・却下はリーダーだけが行えます（あなたのロール: {role}）— リーダーに依頼してください。Enter でケースを開きます"
        ),
        Say::UnknownPerson(name, Some(close)) => {
            format!("'{name}' という有効な担当者はいません — {close} ですか？（Tab で補完）")
        }
        Say::UnknownPerson(name, None) => {
            format!("'{name}' という有効な担当者はいません — 名前の一部を入力し Tab で補完")
        }
        Say::Failed(what, e) => format!("{what}: {e}"),
        Say::RmaCreated(n, rma, status) => format!("{n}: RMA {rma} を作成しました（{status}）"),
        Say::RmaNeedsServer(e) => {
            format!("RMA の作成にはサーバーが必要ですが、接続できません: {e}")
        }
        Say::CaseOpened(n, priority, tier, due, unentitled) => {
            let due = due.map_or("初回応答の目標なし".into(), |d| {
                format!("初回応答期限まで {d}")
            });
            let flag = if unentitled {
                " · 有効な契約なし"
            } else {
                ""
            };
            format!("{n} を起票しました（{priority}・{tier}）— {due}{flag}")
        }
        Say::CaseQueued(reference, id) => format!(
            "{reference}: オフラインのため新規ケースは送信待ち (#{id}) です。サーバーに繋がると番号が付きます"
        ),
        Say::CaseNotOpened(e) => format!("新規ケースを起票できませんでした: {e}"),
        Say::EscalationMoved(id, n, state) => format!("{n} のエスカレーション #{id}: {state}"),
        Say::OutboxSent(id) => format!("#{id} を送信しました"),
        Say::StillOffline(id) => format!("#{id}: まだオフラインです。送信を待ちます"),
        Say::Discarded(id, what) => format!("#{id} を破棄しました: {what}"),
        Say::WrittenFor(user, server) => format!("サーバー {server} の {user} 宛"),
        Say::CacheRepaired(path, kept, false) => format!(
            "キャッシュが破損していたため、サーバーから再構築しました。送信待ちは保持しました（{kept} 件）。破損したファイル: {path}"
        ),
        Say::CacheRepaired(path, kept, true) => format!(
            "キャッシュが破損していたため、サーバーから再構築しました。送信待ちを一部しか読めず、保持できたのは {kept} 件です（他のオフライン中の変更は失われました）。破損したファイル: {path}"
        ),
        Say::ForeignNotSent(id) => format!(
            "#{id} は別のサーバーまたはユーザー宛のため、ここからは送信しません — d で破棄、`casedesk outbox export` で保存"
        ),
        Say::SearchTitle(q, n) => format!("検索「{q}」— {n} 件"),
        Say::AgoBy(ago, who) => format!("{ago}前 · {who}"),
        Say::Breached(n, 0) => format!("!! {n} が SLA の期限を超過しました"),
        Say::Breached(n, others) => {
            format!("!! {n} ほか {others} 件が SLA の期限を超過しました")
        }
        Say::Alert(trigger, n, subject, detail) => {
            use crate::config::Trigger as T;
            match trigger {
                T::NewPriority => format!("新しい {detail} のケース: {n} {subject}"),
                T::AssignedToMe => format!("あなたの担当になりました: {n} {subject}"),
                T::CustomerReplied => format!("{n} にお客様から返信がありました: {subject}"),
                T::DueSoon => format!("{n} の期限まで残り {detail}: {subject}"),
                T::Escalation => {
                    format!("{n} のエスカレーションがリーダーの対応を待っています: {subject}")
                }
            }
        }
        Say::AlertSummary(total, parts) => format!("新しいアラート {total} 件: {parts}"),
        Say::AlertCount(trigger, k, detail) => {
            use crate::config::Trigger as T;
            match trigger {
                T::NewPriority => format!("新しい {detail} {k} 件"),
                T::AssignedToMe => format!("担当割り当て {k} 件"),
                T::CustomerReplied => format!("お客様の返信 {k} 件"),
                T::DueSoon => format!("{detail}以内に期限 {k} 件"),
                T::Escalation => format!("リーダー対応待ちのエスカレーション {k} 件"),
            }
        }
        Say::NoAlertsYet => "このセッションのアラートはまだありません".into(),
        Say::AlertsOff => {
            "アラートは無効です（--no-alerts、または設定の [alerts] enabled = false）".into()
        }
        Say::Copied(n) => format!("{n} をクリップボードにコピーしました"),
        Say::DraftRestored(at) => format!("下書きを復元しました（{at} 保存）"),
        Say::DraftKept => {
            "下書きを保存しました — :drafts で一覧、エディタを開くと復元します".into()
        }
        Say::PressAgainToDiscardDraft(key) => {
            format!("もう一度 {key} でこの下書きを破棄します（他のキーで残します）")
        }
        Say::DraftDiscarded(n) => format!("{n} の下書きを破棄しました"),
        Say::NoDrafts => "下書きはありません（入力したメモはすべて送信済みです）".into(),
        Say::DraftCaseUnknown(n) => {
            format!("{n} はキャッシュにありません。同期してから下書きを開き直してください")
        }
        Say::ClipboardOff => "コピーは設定で無効です（[tui] clipboard = false）".into(),
        Say::QuitAsk(n, false, q) => format!(
            "未送信の変更が {n} 件あります — もう一度 {q} で終了（送信待ちに残り、次回送信します）"
        ),
        Say::QuitAsk(0, true, q) => {
            format!("デモのデータは一時的なもので、終了すると消えます — もう一度 {q} で終了")
        }
        Say::QuitAsk(n, true, q) => format!(
            "未送信の変更が {n} 件あり、デモのデータは終了すると消えます — もう一度 {q} で終了"
        ),
        Say::WillBeMailedTo(to) => format!("{to} 宛にメールで送信されます"),
        Say::PressAgainToDiscardMail(key, id) => {
            format!("もう一度 {key} を押すとメール #{id} を破棄します")
        }
        Say::MailReleased(id, n) => {
            format!("メール #{id} を {n} にお客様のメモとして取り込みました")
        }
        Say::MailDiscarded(id) => format!("メール #{id} を破棄しました"),
        Say::MailOffNoRelease => {
            "このサーバーではメールが無効のため、保留中のメールは破棄のみできます".into()
        }
        Say::NotACaseNumber(text) => {
            format!("'{text}' はケース番号ではありません（形式: YYYY-MMDD-NNNNNN）")
        }
        Say::Attached(name, size, n) => format!("{n} に {name}（{size}）を添付しました"),
        Say::AttachQueued(name, size, n) => format!(
            "送信待ち: {name}（{size}）— オフラインのため、サーバーにつながったら {n} に添付します"
        ),
        Say::CannotAttach(path, why) => format!("{path} を添付できません: {why}"),
        Say::NoFiles(n) => format!("{n} に添付ファイルはありません"),
        Say::NotText(name) => {
            format!("{name} はテキストではありません。保存先を選んでください")
        }
        Say::FileSaved(name, path) => format!("{name} を {path} に保存しました"),
        Say::CannotSave(path, why) => format!("{path} に保存できません: {why}"),
        Say::PagerFailed(pager, why) => format!("ページャ '{pager}' を実行できませんでした: {why}"),
        Say::ViewerCut(shown, size) => format!(
            "{size} のうち先頭の {shown} を表示しています（ページャのキーで取得分を開けます）"
        ),
        Say::NoMatchFor(q) => format!("「{q}」は見つかりません"),
        Say::Marked(n) => format!("{n} 件に印"),
        Say::MarksCleared(n) => format!("印を解除しました（{n} 件）"),
        Say::MarkedCases(n) => format!("印を付けた {n} 件"),
        Say::BulkSummary(done, 0, refused) => format!("{done} 件完了、{refused} 件拒否"),
        Say::BulkSummary(done, queued, refused) => {
            format!("{done} 件完了、{queued} 件はオフラインのため送信待ち、{refused} 件拒否")
        }
        Say::BulkKept(why, id) => format!("{why}（送信待ち #{id} に残しています）"),
        Say::UnknownMacro(name, "") => {
            format!("'{name}' というマクロはありません — :macro だけで一覧を表示します")
        }
        Say::UnknownMacro(name, close) => {
            format!("'{name}' というマクロはありません — {close} ですか？")
        }
        Say::MacroMissing(name, p) => {
            format!("マクロ {name}: このケースには {{{p}}} の値がありません — 送信していません")
        }
        Say::MacroUnknownPlaceholder(name, p, known) => {
            format!(
                "マクロ {name}: {{{p}}} は使えない差し込み項目です（使えるもの: {known}）— 送信していません"
            )
        }
        Say::MacroChangeRefused(name, why) => {
            format!("マクロ {name}: {why} — 送信していません")
        }
    }
}
