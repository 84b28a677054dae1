//! Fixed words of the interface as English/Japanese pairs side by side, and the domain's words
//! (statuses, priorities, close reasons, clock states…) in the interface's language. The
//! Japanese follows the support guides: 新規, 対応中, お客様回答待ち, 緊急/高/中/低.

use super::Lang;
use crate::cache::{OutboxState, PendingChange, excerpt};
use crate::domain::{
    AnalysisRequest, Channel, CloseReason, ContactMethod, ContractTier, EscalationKind,
    EscalationState, Party, Priority, RequestType, RmaStatus, Status, UserType, Visibility,
};
use crate::sla::ClockKind;

macro_rules! words {
    ($($(#[$m:meta])* $name:ident => $en:literal, $ja:literal;)+) => {
        /// A fixed word or phrase the interface draws, in both languages.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Word {
            $($(#[$m])* #[allow(missing_docs)] $name,)+
        }

        impl Word {
            /// Every word, for tests that look for English left in the Japanese screens.
            pub const ALL: &'static [Word] = &[$(Word::$name),+];

            /// The English.
            pub const fn en(self) -> &'static str {
                match self {
                    $(Word::$name => $en,)+
                }
            }

            /// The Japanese.
            pub const fn ja(self) -> &'static str {
                match self {
                    $(Word::$name => $ja,)+
                }
            }
        }
    };
}

words! {
    // The phone-intake form (tui::intake).
    IntakeTitle => "New case", "新規ケース";
    IntakeSerial => "Serial number (Tab looks up the contract)", "シリアル番号（Tab で契約を照会）";
    IntakePriority => "Priority", "優先度";
    IntakeChannel => "Channel", "受付経路";
    IntakeSubject => "Subject (one line)", "件名（1 行）";
    IntakeContactName => "Contact name", "連絡先 氏名";
    IntakeContactPhone => "Contact phone (required for P1)", "連絡先 電話番号（P1 は必須）";
    IntakeContactEmail => "Contact e-mail", "連絡先 メール";
    IntakePrefer => "Preferred contact", "希望する連絡方法";
    IntakeUserType => "User type", "ユーザーのタイプ";
    IntakeRequestType => "Request type", "リクエストタイプ";
    IntakeProduct => "Product", "製品名";
    IntakePlatform => "Platform (hardware)", "機種";
    IntakeVersion => "Software version", "ソフトウェアバージョン";
    IntakeSiteName => "Site name", "サイト名";
    IntakeSiteId => "Site ID", "サイト ID";
    IntakeAccount => "Account", "取引先";
    IntakeTier => "Contract tier", "契約";
    IntakeFromContract => "from contract", "契約から";
    IntakeDescription => "Description: seen before? done just before? reproducible? what changed? errors, impact", "説明: 以前にも発生したか・直前の作業・再現性・変更点・エラーメッセージ・業務への影響";
    IntakeLookingUp => "looking up the serial…", "シリアル番号を照会中…";
    IntakeActive => "contract active", "契約有効";
    IntakeInactive => "NO ACTIVE CONTRACT: the case will be flagged", "有効な契約なし: ケースに印が付きます";
    IntakeNoneOnFile => "NO CONTRACT ON FILE: the case will be flagged", "契約の登録なし: ケースに印が付きます";
    IntakeUnknown => "contract unknown: the server cannot be reached", "契約不明: サーバーに接続できません";
    IntakeDuplicates => "already open for this serial (one issue per case):", "このシリアルで対応中のケース（1 ケース 1 件）:";
    IntakeMore => "more", "件 ほか";
    // Forms
    // Forms: discarding, the status moves, a lead's closing of an escalation (issue 12).
    EscAgainToDiscard => "Esc again to discard what you typed (any other key keeps it)", "もう一度 Esc で入力内容を破棄（他のキーで入力に戻る）";
    MovesFrom => "From {from} the case may go to: {to}", "{from} から移せる状態: {to}";
    Or => "or", "または";
    ToCloseFirst => "to close, first move it to {to}; then close with a reason", "クローズするには、まず {to} にしてから理由を選んでクローズ";
    RequestedWhy => "Requested {when}; the requester's reason:", "依頼 {when}。依頼者の理由:";
    // Help (issue 12): the saved views by name, the escalation options, a lead's keys.
    HelpView => "view: {name}", "ビュー: {name}";
    HelpEscalationOptions => "Escalation options (1–4 request one at once):", "エスカレーションの種類（1〜4 ですぐ依頼）:";
    HelpListsLead => "Escalations (leads): {acknowledge} acknowledge, {resolve} resolve, {decline} decline", "エスカレーション（リーダー）: {acknowledge} 受付, {resolve} 解決, {decline} 却下";
    AssignTitle => "Assign", "担当者の割り当て";
    OwnerField => "Owner (empty: unassign)", "担当者（空欄で割り当て解除）";
    // The assign form's people picker (issue 12 item 4).
    PickerHint => "Tab completes · ↑↓ choose", "Tab で補完 · ↑↓ で選択";
    PickerMore => "+{n} more", "他 {n} 人";
    RoleViewer => "viewer", "閲覧のみ";
    RoleAgent => "agent", "担当者";
    RoleLead => "lead", "リーダー";
    RoleAdmin => "admin", "管理者";
    NoteTitle => "Note on", "メモ";
    Visibility => "Visibility", "公開範囲";
    NoteText => "Text (Ctrl-E: $EDITOR · Ctrl-T: macro)", "本文（Ctrl-E: $EDITOR · Ctrl-T: マクロ）";
    StatusTitle => "Status of", "状態の変更";
    NewStatus => "New status", "新しい状態";
    CloseReason => "Close reason", "クローズ理由";
    OnlyWhenClosing => "— (only when closing)", "—（クローズ時のみ）";
    HistoryNote => "Note for the history (optional)", "履歴に残すメモ（任意）";
    PriorityTitle => "Priority of", "優先度の変更";
    NewPriority => "New priority", "新しい優先度";
    TemporaryDowngrade => "Temporary P1 → P2 downgrade (customer unreachable)",
        "P1 → P2 の一時引き下げ（お客様に連絡がつかない）";
    No => "no", "いいえ";
    Yes => "yes", "はい";
    WhyRequired => "Why (required)", "理由（必須）";
    RmaTitle => "New RMA on", "RMA の作成";
    PartField => "Replacement part number (required)", "交換部品番号（必須）";
    DefectiveSerial => "Serial of the defective unit", "故障品のシリアル番号";
    AnalysisField => "Analysis request", "解析依頼";
    NoneChoice => "none", "なし";
    EscalationReason => "Reason (required: as much detail as you can)",
        "理由（必須: できるだけ詳しく）";
    ChooseChoice => "— choose —", "— 選択 —";
    ContactBy => "Contact the customer by", "お客様への連絡方法";
    SearchTitle => "Search the server", "サーバーで検索";
    Find => "Find", "検索語";
    EntitlementTitle => "Entitlement", "契約状態";
    SerialNumber => "Serial number", "シリアル番号";
    ResolveEscalation => "Resolve escalation", "エスカレーションを解決";
    DeclineEscalation => "Decline escalation", "エスカレーションを却下";
    WhatWasDone => "What was done", "対応内容";
    WhyDeclined => "Why it is declined", "却下の理由";
    // What a form needs ("… is required")
    NoteTextWhat => "the note's text", "本文";
    PriorityReasonWhat => "a reason for the priority change", "優先度を変える理由";
    ReasonWhat => "a reason", "理由";
    ContactWhat => "how the engineer contacts the customer (phone or email)",
        "お客様への連絡方法（電話またはメール）";
    PartWhat => "the replacement part number", "交換部品番号";
    SerialWhat => "a serial number", "シリアル番号";
    SearchWhat => "something to search for", "検索語";
    OutcomeWhat => "a few words on the outcome", "結果の説明";
    // What failed (before the error's own words)
    SearchFailed => "search", "検索";
    RmaListFailed => "RMA list", "RMA 一覧";
    EscalationFailed => "escalation", "エスカレーション";
    EscalationsFailed => "escalations", "エスカレーション一覧";
    OutboxFailed => "outbox", "送信待ち";
    EntitlementFailed => "entitlement of", "契約状態の確認";
    // Lists
    SearchFound => "found", "件";
    OfflineCachedOnly => " (offline: cached cases only)", "（オフライン: キャッシュ内のケースのみ）";
    RmaList => "RMAs", "RMA 一覧";
    EscalationsWaiting => "Escalations waiting for a lead", "リーダー対応待ちのエスカレーション";
    Outbox => "Outbox", "送信待ち";
    EntitlementOf => "Entitlement of", "契約状態:";
    HintOpenClose => "Enter open · Esc close", "Enter 開く · Esc 閉じる";
    HintOpenCaseClose => "Enter open case · Esc close", "Enter ケースを開く · Esc 閉じる";
    HintClose => "Esc close", "Esc 閉じる";
    HintEscalations => "{acknowledge} acknowledge · {resolve} resolve · {decline} decline · {open} open case · {back} close",
        "{acknowledge} 受付 · {resolve} 解決 · {decline} 却下 · {open} ケースを開く · {back} 閉じる";
    HintOutbox => "{retry} retry on the current version · {discard} discard · {open} open case · {back} close",
        "{retry} 最新の版で再送 · {discard} 破棄 · {open} ケースを開く · {back} 閉じる";
    // Outbox entries written for another server or person (issue 13 item 2): never sent here.
    // The status bar when the server refused the token (401): a configuration problem.
    TokenRefused => "token refused — casedesk login", "トークンが拒否されました — casedesk login";
    OtherServer => "other server", "別のサーバー";
    OtherUser => "other user", "別のユーザー";
    HintOutboxForeign => "other server/user: never sent from here · {discard} discard · casedesk outbox export saves them · {back} close",
        "別のサーバー/ユーザー宛: ここからは送信しません · {discard} 破棄 · casedesk outbox export で保存 · {back} 閉じる";
    ColNumber => "number", "番号";
    ColPri => "pri", "優先";
    ColStatus => "status", "状態";
    ColSite => "site", "サイト";
    ColSubject => "subject", "件名";
    ColCase => "case", "ケース";
    ColAccountSerialPart => "account / serial / part", "取引先 / シリアル / 部品";
    ColCreated => "created", "作成";
    ColId => "id", "番号";
    ColOption => "option", "依頼内容";
    ColState => "state", "状態";
    ColRequested => "requested", "依頼";
    ColReason => "reason", "理由";
    ColChange => "change", "変更";
    ColWhy => "why", "理由";
    Support => "support", "サポート";
    Active => "ACTIVE", "有効";
    NotActive => "NOT ACTIVE", "無効";
    TierWord => "tier", "契約";
    ContractEnd => "contract end", "契約終了日";
    SiteWord => "site", "サイト";
    AccountWord => "account", "取引先";
    Overdue => "OVERDUE", "期限超過";
    NoneListed => "(none)", "（なし）";
    // Detail pane
    TemporarilyP2 => "temporarily P2 (P1 restorable)", "一時的に P2（P1 に戻せます）";
    Ended => "ended", "終了";
    Pending => "PENDING", "未送信";
    Conflict => "CONFLICT", "競合";
    Failed => "FAILED", "失敗";
    Call => "CALL", "電話";
    NoAnswer => "NO ANSWER", "不在";
    Internal => "INTERNAL", "社内";
    Public => "PUBLIC", "公開";
    CustomerMark => "(customer)", "（お客様）";
    ChangeMark => "CHANGE", "変更";
    EscalationMark => "ESCALATION", "エスカレーション";
    By => "by", "依頼者";
    AcknowledgedBy => "acknowledged by", "受付";
    ContactByShort => "contact by", "連絡方法";
    Part => "part", "部品";
    SerialWord => "serial", "シリアル";
    ReturnBy => "return by", "返却期限";
    Attachments => "Attachments", "添付ファイル";
    Bytes => "bytes", "バイト";
    Fetched => "fetched", "取得";
    // Mail (issue 16): a note that came by mail, a public note's mail, the :mail list.
    EmailMark => "EMAIL", "メール";
    MailQueued => "mail queued", "メール送信待ち";
    MailSent => "mailed", "メール送信済み";
    MailFailed => "MAIL FAILED", "メール送信失敗";
    AttachedMark => "attached:", "添付:";
    MailListTitle => "Held and unreadable mail", "保留中・読み取れないメール";
    MailOff => "mail is off: this server has no mail channel, so no mail arrives",
        "メールは無効です: このサーバーにはメール連携がないため、メールは届きません";
    MailHeld => "held", "保留";
    MailUnreadable => "unreadable", "読み取り不可";
    MailReleasedState => "released", "取り込み済み";
    MailDiscardedState => "discarded", "破棄済み";
    ColReceived => "received", "受信";
    ColSender => "sender", "差出人";
    HintMail => "{release} release into its case · {release-to} release into a case… · {discard-mail} discard · {open} open case · {back} close",
        "{release} 該当ケースに取り込む · {release-to} ケースを指定して取り込む · {discard-mail} 破棄 · {open} ケースを開く · {back} 閉じる";
    ReleaseMailTitle => "Release mail", "メールの取り込み";
    ReleaseCaseField => "Into case (number)", "取り込み先のケース番号";
    CaseNumberWhat => "a case number", "ケース番号";
    MailListFailed => "held mail", "保留中のメール";
    MailReleaseFailed => "releasing mail", "メールの取り込み";
    MailDiscardFailed => "discarding mail", "メールの破棄";
    // SLA pane
    Met => "met", "達成";
    NoClocks => "no clocks", "目標なし";
    NoUpdateTarget => "met · no update target", "達成 · 更新の目標なし";
    // The queue's breaching-next order: the breached after what breaches next.
    BreachedGroup => "breached, most overdue first", "期限超過（超過の長い順）";
    UnreachableSince => "customer unreachable since", "お客様に連絡がつかない: 開始";
    DowngradeAvailableNow => "downgrade available now —", "P2 への一時引き下げが可能 —";
    DowngradeAvailableAt => "downgrade available", "P2 への一時引き下げが可能になる時刻";
    RestoreP1 => "temporarily P2: restore P1 with p", "一時的に P2: p で P1 に戻せます";
    // Escalation pane and status bar
    EscalateHint => "{escalate} / {next-pane}", "{escalate} / {next-pane} で選択";
    Since => "since", "から";
    // Wallboard
    Warn => "▲ WARN ", "▲ 注意 ";
    Alert => "■ ALERT ", "■ 警告 ";
    PageNow => "now", "現在";
    PageNext => "next", "次の期限";
    PageWaiting => "waiting", "対応待ち";
    Pinned => "(pinned)", "（固定）";
    WallTooSmall => "casedesk wallboard: make the window at least 40×10",
        "casedesk ウォールボード: ウィンドウを 40×10 以上にしてください";
    LastUpdate => "last update", "最終更新";
    MinAgo => "min ago", "分前";
    NoDataYet => "no data from the server yet", "サーバーからのデータはまだありません";
    DataStale => "DATA STALE — {when}", "データが古くなっています — {when}";
    FirstCounts => "Waiting for the first counts from the server…", "サーバーから最初の集計を待っています…";
    WallMore => "+{n} more", "ほか {n} 件";
    TileP1 => "P1 open", "P1 未完了";
    TileP2 => "P2 open", "P2 未完了";
    TileP3 => "P3 open", "P3 未完了";
    TileP4 => "P4 open", "P4 未完了";
    TileBreached => "SLA breached", "SLA 違反";
    TileBreachedShort => "Breached", "SLA 違反";
    TileDueSoon => "Due within 1 hour", "1 時間以内に期限";
    TileDueSoonShort => "Due < 1h", "1h 以内";
    TileUnassigned => "Unassigned", "未割り当て";
    TileEscalations => "Open escalations", "エスカレーション";
    TileEscalationsShort => "Escalations", "エスカレ";
    TileOverdueRmas => "Overdue RMAs", "返却期限切れ RMA";
    TileOverdueRmasShort => "RMAs overdue", "RMA 期限切れ";
    WallBreachingNext => "Breaching next", "次に期限を迎えるケース";
    WallBreachedFirst => "Breached — most overdue first", "期限切れ — 超過の長い順";
    WallRmasPast => "RMAs past their return date", "返却期限を過ぎた RMA";
    WallPri => "Pri", "優先";
    WallLeft => "Left", "残り";
    WallOverdue => "Overdue", "超過";
    WallCase => "Case", "ケース";
    WallSite => "Site", "サイト";
    WallOwner => "Owner", "担当";
    WallSubject => "Subject", "件名";
    WallOption => "Option", "依頼内容";
    WallState => "State", "状態";
    WallWaiting => "Waiting", "待ち";
    WallRequester => "Requester", "依頼者";
    WallAccount => "Account", "取引先";
    WallStatus => "Status", "状態";
    WallPart => "Part", "部品";
    // Calls, failed contact attempts, problem reports
    CallTitle => "Call with the customer on", "お客様との通話の記録";
    ContactFailedTitle => "Failed attempt to reach the customer on", "連絡不通の記録";
    CallText => "What was said (optional; Enter logs the call)", "通話の内容（任意・Enter で記録）";
    ContactFailedText => "What was tried (optional; Enter logs it)", "試した連絡（任意・Enter で記録）";
    CallDefault => "Call with the customer", "お客様と電話で話しました";
    ContactFailedDefault => "Tried to reach the customer: no answer", "お客様に連絡しましたが応答がありませんでした";
    ProblemReportTitle => "Link a problem report to", "問題報告の関連付け";
    ProblemReportField => "Engineering bug number (e.g. PR1234567, BUG-2041)",
        "エンジニアリングのバグ番号（例: PR1234567, BUG-2041）";
    ProblemReportWhat => "the bug number", "バグ番号";
    ProblemReportForm => "expected a bug number of 1 to 40 letters, digits or punctuation without spaces, e.g. PR1234567 or BUG-2041",
        "バグ番号は空白を含まない 1〜40 文字の英数字・記号です（例: PR1234567, BUG-2041）";
    NeedsProblemReport => "waiting on engineering needs a problem report:",
        "エンジニア対応待ちには問題報告が必要:";
    // Note drafts (issue 17 item 4): the `:drafts` list.
    DraftsTitle => "Drafts not sent yet", "未送信の下書き";
    DraftsFailed => "drafts", "下書き";
    DraftColKind => "editor", "種類";
    DraftColSaved => "saved", "保存日時";
    DraftColText => "text", "本文";
    DraftPublic => "public note", "公開メモ";
    DraftInternal => "internal note", "社内メモ";
    DraftCall => "call", "通話の記録";
    DraftContactFailed => "contact attempt", "連絡不通の記録";
    HintDrafts => "{open} resume writing · {discard-draft} twice discards · {back} close",
        "{open} 続きを書く · {discard-draft} を2回で破棄 · {back} 閉じる";
    // Alerts (issue 17 item 3): the list of this session's alerts and its trigger names.
    AlertsTitle => "Alerts this session", "このセッションのアラート";
    ColTime => "time", "時刻";
    ColTrigger => "trigger", "種類";
    ColWhat => "what", "内容";
    TriggerNewPriority => "new case", "新規ケース";
    TriggerAssigned => "assigned to you", "担当割り当て";
    TriggerReplied => "customer replied", "お客様の返信";
    TriggerDueSoon => "due soon", "期限間近";
    TriggerEscalation => "escalation", "エスカレーション";
    // The queue filter, the search results' RMA table, the RMA list's filter (issue 12).
    NoMatchHere => "no match here — :search asks the server", "ここには該当なし — :search でサーバーに問い合わせます";
    SearchCases => "Cases", "ケース";
    SearchRmas => "RMAs", "RMA";
    // A case's files in the TUI (issue 17 item 2).
    FilesTitle => "Files", "添付ファイル";
    ColFile => "file", "ファイル名";
    ColSize => "size", "サイズ";
    ColType => "type", "種類";
    ColAddedBy => "added by", "追加者";
    ColAdded => "added", "追加日時";
    ColOffline => "offline", "オフライン";
    KeptOffline => "kept", "保存済み";
    HintFiles => "{open} view · {save-file} save · {pager} pager · {back} close",
        "{open} 表示 · {save-file} 保存 · {pager} ページャで開く · {back} 閉じる";
    HintViewer => "/ search · n/N next/previous · h/l sideways · {save-file} save · {pager} pager · {back} close",
        "/ 検索 · n/N 次/前 · h/l 左右 · {save-file} 保存 · {pager} ページャ · {back} 閉じる";
    AttachTitle => "Attach a file to", "ファイルの添付";
    AttachPath => "File (path)", "ファイル（パス）";
    AttachName => "Name (optional)", "名前（省略可）";
    FileWhat => "the file's path", "ファイルのパス";
    SaveTitle => "Save", "保存";
    SavePath => "Save to (path)", "保存先（パス）";
    SaveWhere => "where to save", "保存先";
    SaveNeverOverwrites => "a file already there is kept: the new one is saved as name (1).ext",
        "同名のファイルは上書きしません: name (1).ext のように別名で保存します";
    NoSuchFile => "no such file", "ファイルがありません";
    NotReadable => "not readable (permission denied)", "読み取れません（権限がありません）";
    IsADirectory => "is a directory, not a file", "ディレクトリです（ファイルを指定してください）";
    FileFailed => "file", "ファイル";
    FileMark => "FILE", "ファイル";
    LinesWord => "lines", "行";
    SortedRmasBy => "sorted by", "並び順:";
    BulkNotDone => "Not done — still marked", "未完了（印は残っています）";
    // The macro picker (issue 17 item 1).
    MacroTitle => "Macros", "マクロ";
    MacroInsertTitle => "Insert a macro", "マクロを挿入";
    MacroHint => "type to filter · ↑↓ choose · Enter applies · Esc closes",
        "入力で絞り込み · ↑↓ で選択 · Enter で適用 · Esc で閉じる";
    MacroInsertHint => "type to filter · ↑↓ choose · Enter inserts the text · Esc closes",
        "入力で絞り込み · ↑↓ で選択 · Enter で本文を挿入 · Esc で閉じる";
    MacroPersonal => "personal", "個人";
    MacroNone => "no macros yet: the team's come with the next sync; personal ones go in [[macros]] in the config",
        "マクロはまだありません: チームのマクロは次の同期で届きます。個人のマクロは設定ファイルの [[macros]] に書きます";
    MacroNoMatch => "no macro matches", "一致するマクロはありません";
    MacroLoading => "reading the case…", "ケースを読み込み中…";
    MacroNoNote => "(no note)", "（メモなし）";
    MacroPublicNote => "Public note (the customer sees it):", "公開メモ（お客様に表示されます）:";
    MacroInternalNote => "Internal note:", "社内メモ:";
    MacroChanges => "Changes:", "変更:";
    MacroNoChanges => "no other changes", "ほかの変更なし";
    MacroOnMarked => "applies to {n} marked cases", "マーク中の {n} 件に適用";
    MacroTeam => "team", "チーム";
    // Reports screen (tui::reports).
    ReportsTitle => "Reports", "レポート";
    ReportsHint => "[ ] period · 7/3 days · g group · Tab part · r refresh · Esc close",
        "[ ] 期間 · 7/3 日数 · g 集計 · Tab 切替 · r 更新 · Esc 閉じる";
    ReportsDays => "{n} days", "{n} 日間";
    ReportsByPriority => "by priority", "優先度別";
    ReportsByTier => "by tier", "契約別";
    ReportsByOwner => "by owner", "担当者別";
    ReportsByChannel => "by channel", "受付経路別";
    ReportsByWeek => "by week", "週別";
    ReportsByDay => "by day", "日別";
    ReportsSla => "SLA attainment", "SLA 達成率";
    ReportsResponse => "First response time", "初回応答までの時間";
    ReportsFlow => "Created and resolved per day", "日別の起票・解決";
    ReportsBacklog => "Backlog by age and priority", "未解決ケース（経過日数・優先度）";
    ReportsLoad => "Load per owner", "担当者別の負荷";
    ReportsTarget => "target {pct}", "目標 {pct}";
    ReportsMetOfDecided => "met/decided", "達成/判定";
    ReportsRunning => "{n} running", "進行中 {n}";
    ReportsResponses => "{n} first responses", "初回応答 {n} 件";
    ReportsWall => "wall clock", "経過時間";
    ReportsBusiness => "business hours", "営業時間";
    ReportsMedian => "median", "中央値";
    ReportsP90 => "p90", "90%点";
    ReportsMax => "max", "最大";
    ReportsNoResponses => "no first responses in this period", "この期間の初回応答はありません";
    ReportsCreated => "created", "起票";
    ReportsResolved => "resolved", "解決";
    ReportsClosed => "closed", "クローズ";
    ReportsOpen => "open", "未解決";
    ReportsDay => "day", "日付";
    ReportsTotal => "total", "計";
    ReportsOpenNow => "open now: {n}", "現在の未解決: {n} 件";
    ReportsByAge => "by age", "経過日数別";
    ReportsAgeUnder1d => "<1d", "1日未満";
    ReportsAge1to3d => "1–3d", "1〜3日";
    ReportsAge3to7d => "3–7d", "3〜7日";
    ReportsAge7to30d => "7–30d", "7〜30日";
    ReportsAgeOver30d => ">30d", "30日超";
    ReportsOwner => "owner", "担当者";
    ReportsWithin1h => "<1h", "1h以内";
    ReportsBreached => "breached", "超過";
    ReportsNotes => "notes", "公開メモ";
    ReportsCalls => "calls", "通話";
    ReportsUnassigned => "unassigned", "未割り当て";
    ReportsLoading => "loading the reports…", "レポートを読み込み中…";
    ReportsUpdating => "updating…", "更新中…";
    ReportsOffline => "offline — as fetched at {at}", "オフライン — {at} 取得時点";
    ReportsNeedLead => "reports need a lead's token: casedesk login with a lead's or an admin's token",
        "レポートにはリーダーのトークンが必要です: リーダーまたは管理者のトークンで casedesk login してください";
    ReportsNotCached => "this period's reports are not in the cache and the server cannot be reached",
        "この期間のレポートはキャッシュになく、サーバーに接続できません";
    ReportsNothing => "nothing in this period", "この期間のデータはありません";
    ReportsMore => "↑↓ {n} more", "↑↓ 残り {n} 行";
    ReportsTabSla => "SLA", "SLA";
    ReportsTabResponse => "Response", "応答時間";
    ReportsTabFlow => "Flow", "起票・解決";
    ReportsTabBacklog => "Backlog", "未解決";
    ReportsTabLoad => "Load", "負荷";
    // Wallboard trend page (wallboard::trend).
    PageTrend => "trend", "傾向";
    TrendWaiting => "Waiting for the trend from the server…", "サーバーから傾向の集計を待っています…";
    TrendNotOnBackend => "Trend figures are not available on Request Tracker: only casedesk's server computes them",
        "傾向の集計は Request Tracker では利用できません（casedesk のサーバーだけが集計します）";
    TrendNotCached => "Trend figures are not available: the server cannot be reached and none are cached yet",
        "傾向の集計は利用できません: サーバーに接続できず、キャッシュにもまだありません";
    TrendFailed => "Trend figures are not available from this server", "このサーバーからは傾向の集計を取得できません";
    TrendFirstResponse => "First response", "初回応答";
    TrendUpdates => "Next update", "次回更新";
    TrendTarget => "target", "目標";
    TrendThisWeek => "this week", "今週";
    TrendLastWeek => "last week", "先週";
    TrendMet => "met", "達成";
    TrendBreached => "breached", "違反";
    TrendBetter => "▲ better than last week", "▲ 先週より改善";
    TrendWorse => "▼ worse than last week", "▼ 先週より悪化";
    TrendSame => "= same as last week", "= 先週と同じ";
    TrendNoComparison => "— nothing to compare with last week", "— 先週と比較できません";
    TrendPts => "pts", "ポイント";
    TrendBelowTarget => "■ BELOW TARGET ", "■ 目標未達 ";
    TrendBreachesTitle => "SLA breaches per day, last 14 days", "日別の SLA 違反（直近 14 日）";
    TrendMax => "max", "最大";
    TrendTotal => "total", "合計";
    TrendComputed => "computed", "集計";
    TrendDaysIn => "days in", "日付の基準";
    TrendCachedCopy => "OFFLINE — cached copy fetched {when}", "オフライン — {when} 取得のキャッシュ";
    // Reports on the command line (cli::report): titles and column headers.
    ReportSlaTitle => "SLA attainment", "SLA 達成率";
    ReportResponseTitle => "First-response times", "初回応答までの時間";
    ReportBacklogTitle => "Backlog", "未解決ケース";
    ReportLoadTitle => "Load per owner", "担当者別の負荷";
    ReportPeriod => "{from} to {to} ({zone})", "{from}〜{to}（{zone}）";
    ReportBy => "by {by}", "{by}別";
    ReportTarget => "target {pct}", "目標 {pct}";
    ReportByPriority => "priority", "優先度";
    ReportByTier => "tier", "契約";
    ReportByOwner => "owner", "担当者";
    ReportByChannel => "channel", "受付経路";
    ReportByWeek => "week", "週";
    ReportByDay => "day", "日";
    ReportColClock => "clock", "時計";
    ReportColMet => "met", "達成";
    ReportColBreached => "breached", "超過";
    ReportColAttainment => "attainment", "達成率";
    ReportColRunning => "running", "進行中";
    ReportColTime => "time", "計測";
    ReportWall => "wall", "経過時間";
    ReportBusiness => "business", "営業時間";
    ReportColCount => "count", "件数";
    ReportColMedian => "median", "中央値";
    ReportColP90 => "p90", "90%点";
    ReportColMax => "max", "最大";
    ReportColPeriod => "period", "期間";
    ReportNow => "now", "現在";
    ReportColOpen => "open", "未解決";
    ReportColP1 => "p1", "P1";
    ReportColP2 => "p2", "P2";
    ReportColP3 => "p3", "P3";
    ReportColP4 => "p4", "P4";
    ReportAgeUnder1d => "<1d", "1日未満";
    ReportAge1to3d => "1-3d", "1〜3日";
    ReportAge3to7d => "3-7d", "3〜7日";
    ReportAge7to30d => "7-30d", "7〜30日";
    ReportAgeOver30d => ">30d", "30日超";
    ReportColCreated => "created", "起票";
    ReportColResolved => "resolved", "解決";
    ReportColClosed => "closed", "クローズ";
    ReportColOwner => "owner", "担当者";
    ReportColDueSoon => "<1h", "1h以内";
    ReportColNotes => "notes", "公開メモ";
    ReportColCalls => "calls", "通話";
    ReportUnassigned => "(unassigned)", "（未割り当て）";
    ReportNoRows => "nothing in this period", "この期間のデータはありません";
}

impl Lang {
    /// A fixed word in this language.
    pub const fn word(self, w: Word) -> &'static str {
        match self {
            Lang::En => w.en(),
            Lang::Ja => w.ja(),
        }
    }

    /// A command-line table's column header: the English name upper-cased (`NEXT DUE`), or
    /// its Japanese.
    pub fn table_header(self, name: &str) -> String {
        let ja = match name {
            "number" => "番号",
            "p" | "priority" => "優先",
            "status" => "状態",
            "owner" => "担当",
            "next due" => "次の期限",
            "updated" => "更新",
            "site" => "サイト",
            "subject" => "件名",
            "rma" => "RMA",
            "case" => "ケース",
            "part" => "部品",
            "serial" => "シリアル",
            "return due" => "返却期限",
            "id" => "番号",
            "state" => "状態",
            "change" => "変更",
            "made" => "作成",
            "tries" => "試行",
            "server said" => "サーバーの応答",
            "name" => "名前",
            "role" => "ロール",
            "created" => "作成",
            "revoked" => "失効",
            "from" => "開始",
            "to" => "終了",
            "holiday" => "祝日",
            "zone" => "タイムゾーン",
            "business day" => "営業日",
            "hours" => "営業時間",
            "holidays" => "祝日",
            "description" => "説明",
            "tier" => "契約",
            "channel" => "窓口",
            "clock" => "時計",
            "target" => "目標",
            "due" => "期限",
            "remaining" => "残り",
            "working" => "営業時間残り",
            "account" => "取引先",
            "contact" => "連絡先",
            "platform" => "機種",
            "received" => "受信",
            "sender" => "送信者",
            "reason" => "理由",
            "changes" => "変更内容",
            "text" => "本文",
            "source" => "種類",
            _ => "",
        };
        if self == Lang::Ja && !ja.is_empty() {
            ja.to_string()
        } else {
            name.to_uppercase()
        }
    }

    /// A status in full: `Waiting on customer`, `お客様回答待ち`.
    pub fn status(self, s: Status) -> &'static str {
        match (self, s) {
            (Lang::En, s) => s.label(),
            (Lang::Ja, Status::New) => "新規",
            (Lang::Ja, Status::Open) => "対応中",
            (Lang::Ja, Status::WaitingOnCustomer) => "お客様回答待ち",
            (Lang::Ja, Status::WaitingOnEngineering) => "エンジニアリング対応待ち",
            (Lang::Ja, Status::Resolved) => "解決済み",
            (Lang::Ja, Status::Closed) => "クローズ",
        }
    }

    /// A status in at most eight columns, for the queue.
    pub fn status_short(self, s: Status) -> &'static str {
        match (self, s) {
            (Lang::En, Status::New) => "New",
            (Lang::En, Status::Open) => "Open",
            (Lang::En, Status::WaitingOnCustomer) => "WaitCust",
            (Lang::En, Status::WaitingOnEngineering) => "WaitEng",
            (Lang::En, Status::Resolved) => "Resolved",
            (Lang::En, Status::Closed) => "Closed",
            (Lang::Ja, Status::WaitingOnCustomer) => "回答待ち",
            (Lang::Ja, Status::WaitingOnEngineering) => "開発調査",
            (Lang::Ja, s) => self.status(s),
        }
    }

    /// A priority's word: `Critical`, `緊急`.
    pub fn priority(self, p: Priority) -> &'static str {
        match self {
            Lang::En => p.label(),
            Lang::Ja => p.japanese(),
        }
    }

    /// Why a case was closed.
    pub fn close_reason(self, r: CloseReason) -> &'static str {
        match (self, r) {
            (Lang::En, r) => r.label(),
            (Lang::Ja, CloseReason::ConfirmedResolved) => "解決を確認済み",
            (Lang::Ja, CloseReason::NoCustomerResponse) => "お客様からの回答なし",
            (Lang::Ja, CloseReason::NoLongerNeeded) => "対応不要になった",
            (Lang::Ja, CloseReason::NotOurSoftware) => "当社製品以外の問題",
            (Lang::Ja, CloseReason::FixedInRelease) => "リリースで修正済み",
            (Lang::Ja, CloseReason::WorksAsDesigned) => "仕様どおりの動作",
            (Lang::Ja, CloseReason::FeatureRequestAccepted) => "機能要望として受理",
            (Lang::Ja, CloseReason::WorkaroundAccepted) => "回避策で合意",
        }
    }

    /// Who sees a note.
    pub fn visibility(self, v: Visibility) -> &'static str {
        match (self, v) {
            (Lang::En, v) => v.label(),
            (Lang::Ja, Visibility::Public) => "公開",
            (Lang::Ja, Visibility::Internal) => "社内",
        }
    }

    /// How the customer likes to be reached.
    pub fn contact_method(self, m: ContactMethod) -> &'static str {
        match (self, m) {
            (Lang::En, m) => m.label(),
            (Lang::Ja, ContactMethod::Phone) => "電話",
            (Lang::Ja, ContactMethod::Email) => "メール",
        }
    }

    /// A contract tier: the network vendor's programme names stay as they are sold.
    pub fn tier(self, t: ContractTier) -> &'static str {
        match (self, t) {
            (Lang::Ja, ContractTier::Standard) => "スタンダード",
            (Lang::Ja, ContractTier::Premium) => "プレミアム",
            (Lang::Ja, ContractTier::SelfService) => "セルフサービス",
            (_, t) => t.label(),
        }
    }

    /// How a case came in.
    pub fn channel(self, c: Channel) -> &'static str {
        match (self, c) {
            (Lang::En, c) => c.label(),
            (Lang::Ja, Channel::Phone) => "電話",
            (Lang::Ja, Channel::Web) => "Web",
            (Lang::Ja, Channel::Email) => "メール",
        }
    }

    /// What kind of customer opened the case (the backup vendor's guide's words).
    pub fn user_type(self, u: UserType) -> &'static str {
        match (self, u) {
            (Lang::Ja, UserType::BusinessUser) => "ビジネスユーザー",
            (Lang::Ja, UserType::HomeUser) => "ホームユーザー",
            (_, u) => u.label(),
        }
    }

    /// What the customer asks for.
    pub fn request_type(self, r: RequestType) -> &'static str {
        match (self, r) {
            (Lang::En, r) => r.label(),
            (Lang::Ja, RequestType::TechnicalSupport) => "テクニカルサポート",
            (Lang::Ja, RequestType::BugFix) => "バグ解決",
            (Lang::Ja, RequestType::FeatureRequest) => "機能追加",
            (Lang::Ja, RequestType::Entitlement) => "契約確認",
            (Lang::Ja, RequestType::Registration) => "製品登録",
            (Lang::Ja, RequestType::Licence) => "ライセンス",
            (Lang::Ja, RequestType::Download) => "ダウンロード",
            (Lang::Ja, RequestType::OwnershipTransfer) => "所有権の移転",
            (Lang::Ja, RequestType::RmaStatus) => "RMA 状況",
            (Lang::Ja, RequestType::Other) => "その他",
        }
    }

    /// Who wrote a note.
    pub fn party(self, p: Party) -> &'static str {
        match (self, p) {
            (Lang::En, p) => p.label(),
            (Lang::Ja, Party::Support) => "サポート",
            (Lang::Ja, Party::Customer) => "お客様",
        }
    }

    /// Where an RMA stands.
    pub fn rma_status(self, s: RmaStatus) -> &'static str {
        match (self, s) {
            (Lang::En, s) => s.label(),
            (Lang::Ja, RmaStatus::Requested) => "依頼済み",
            (Lang::Ja, RmaStatus::Issued) => "発行済み",
            (Lang::Ja, RmaStatus::ReplacementShipped) => "交換品発送済み",
            (Lang::Ja, RmaStatus::DefectiveReceived) => "故障品受領済み",
            (Lang::Ja, RmaStatus::Closed) => "クローズ",
            (Lang::Ja, RmaStatus::Cancelled) => "取消",
        }
    }

    /// An analysis asked of a returned unit.
    pub fn analysis(self, a: AnalysisRequest) -> &'static str {
        match (self, a) {
            (Lang::En, a) => a.label(),
            (Lang::Ja, AnalysisRequest::RepairAnalysis) => "修理解析",
            (Lang::Ja, AnalysisRequest::FailureAnalysis) => "故障解析",
        }
    }

    /// A role's name.
    pub fn role(self, r: crate::api::Role) -> &'static str {
        use crate::api::Role;
        self.word(match r {
            Role::Viewer => Word::RoleViewer,
            Role::Agent => Word::RoleAgent,
            Role::Lead => Word::RoleLead,
            Role::Admin => Word::RoleAdmin,
        })
    }

    /// An escalation option's name.
    pub fn escalation_kind(self, k: EscalationKind) -> &'static str {
        let t = self.text();
        match k {
            EscalationKind::FasterProgress => t.faster_progress,
            EscalationKind::EngineerNow => t.engineer_now,
            EscalationKind::Reassignment => t.reassignment,
            EscalationKind::FasterRma => t.faster_rma,
        }
    }

    /// Where an escalation stands. English keeps the wire word lists have always shown.
    pub fn escalation_state(self, s: EscalationState) -> &'static str {
        match (self, s) {
            (Lang::En, s) => s.as_str(),
            (Lang::Ja, EscalationState::Requested) => "依頼中",
            (Lang::Ja, EscalationState::Acknowledged) => "受付済み",
            (Lang::Ja, EscalationState::Resolved) => "解決済み",
            (Lang::Ja, EscalationState::Declined) => "却下",
        }
    }

    /// An SLA clock's name.
    pub fn clock_kind(self, k: ClockKind) -> &'static str {
        match (self, k) {
            (Lang::En, ClockKind::FirstResponse) => "first response",
            (Lang::En, ClockKind::Update) => "next update",
            (Lang::En, ClockKind::AutoClose) => "auto-close",
            (Lang::En, ClockKind::RmaReturn) => "RMA return",
            (Lang::Ja, ClockKind::FirstResponse) => "初回応答",
            (Lang::Ja, ClockKind::Update) => "次回更新",
            (Lang::Ja, ClockKind::AutoClose) => "自動クローズ",
            (Lang::Ja, ClockKind::RmaReturn) => "RMA 返却",
        }
    }

    /// Where an outbox entry stands. English keeps the stored word.
    pub fn outbox_state(self, s: OutboxState) -> &'static str {
        match (self, s) {
            (Lang::En, s) => s.as_str(),
            (Lang::Ja, OutboxState::Pending) => "未送信",
            (Lang::Ja, OutboxState::Conflicted) => "競合",
            (Lang::Ja, OutboxState::Failed) => "失敗",
        }
    }

    /// A change waiting in the outbox, in a few words.
    pub fn change(self, c: &PendingChange) -> String {
        if self == Lang::En {
            // The store's description names statuses and options by their API names.
            return match c {
                PendingChange::Patch(p) if p.status.is_some() => {
                    let mut rest = p.clone();
                    rest.status = None;
                    let status = p.status.map(|s| format!("status → {}", self.status(s)));
                    let others = PendingChange::Patch(rest).describe();
                    match (status, others.as_str()) {
                        (Some(st), "change") => st,
                        (Some(st), o) => format!("{st}, {o}"),
                        (None, o) => o.to_string(),
                    }
                }
                PendingChange::Escalation(e) => {
                    format!("escalation {}", self.escalation_kind(e.kind))
                }
                other => other.describe(),
            };
        }
        match c {
            PendingChange::Note(n) => {
                let body = excerpt(&n.body);
                match n.kind {
                    crate::api::NoteKind::Call => format!("通話記録「{body}」"),
                    crate::api::NoteKind::ContactFailed => format!("連絡不成功「{body}」"),
                    crate::api::NoteKind::Note => {
                        format!("{}メモ「{body}」", self.visibility(n.visibility))
                    }
                }
            }
            PendingChange::Patch(p) => {
                let mut parts = Vec::new();
                if let Some(s) = p.status {
                    parts.push(format!("状態 → {}", self.status(s)));
                }
                if let Some(pr) = p.priority {
                    parts.push(format!("優先度 → {pr}"));
                }
                for pr in &p.add_problem_reports {
                    parts.push(format!("問題報告 {pr}"));
                }
                if let Some(o) = &p.owner {
                    parts.push(if o.is_empty() {
                        "割り当て解除".to_string()
                    } else {
                        format!("担当 → {o}")
                    });
                }
                if parts.is_empty() {
                    "変更".into()
                } else {
                    parts.join("、")
                }
            }
            PendingChange::Escalation(e) => {
                format!("エスカレーション {}", self.escalation_kind(e.kind))
            }
            PendingChange::Create(c) => {
                format!("新規 {} ケース「{}」", c.priority, excerpt(&c.subject))
            }
            PendingChange::Attach { name, size, .. } => {
                format!("ファイル添付「{}」({size} バイト)", excerpt(name))
            }
        }
    }

    /// A line of the server's case history (`status open → waiting_on_customer`) with the
    /// domain's API names in the interface's words (`status Open → Waiting on customer`,
    /// `状態 対応中 → お客様回答待ち`). Free text (a subject) is left as it was written.
    pub fn history(self, summary: &str) -> String {
        let (head, rest) = summary.split_once(' ').unwrap_or((summary, ""));
        if head == "subject" || rest.is_empty() {
            return match (self, head) {
                (Lang::Ja, "subject") => format!("{} {rest}", self.text().col_subject),
                _ => summary.to_string(),
            };
        }
        let head = match (self, head) {
            (Lang::Ja, "status") => self.text().col_status,
            (Lang::Ja, "priority") => Word::IntakePriority.ja(),
            (Lang::Ja, "owner") => self.text().col_owner,
            (Lang::Ja, "tier") => self.text().tier,
            (Lang::Ja, "escalation") => Word::EscalationMark.ja(),
            (_, other) => other,
        };
        // An escalation's option is named by its label after the colon.
        let rest = match rest.split_once(": ") {
            Some((state, label)) if summary.starts_with("escalation ") => {
                let kind = EscalationKind::ALL.iter().find(|k| k.label() == label);
                match kind {
                    Some(k) => {
                        format!("{}: {}", self.domain_words(state), self.escalation_kind(*k))
                    }
                    None => self.domain_words(rest),
                }
            }
            _ => self.domain_words(rest),
        };
        format!("{head} {rest}")
    }

    /// Words of a text that are a domain value's API name, in the interface's words.
    fn domain_words(self, text: &str) -> String {
        self.replace_names(text, |_| true)
    }

    /// A text from the server or the sync with the API names that only a program would write
    /// (`waiting_on_customer`, `engineer_now`) in the interface's words; plain words are left
    /// alone, since in a sentence "open" may not be a status.
    pub fn api_names_as_words(self, text: &str) -> String {
        self.replace_names(text, |core| core.contains('_'))
    }

    fn replace_names(self, text: &str, eligible: impl Fn(&str) -> bool) -> String {
        text.split(' ')
            .map(|token| {
                let core = token.trim_matches(|c: char| "()（）:,.;'\"".contains(c));
                if !eligible(core) {
                    return token.to_string();
                }
                match self.domain_word(core) {
                    Some(word) if !core.is_empty() => token.replacen(core, word, 1),
                    _ => token.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The interface's word for a domain value named by its API name.
    fn domain_word(self, name: &str) -> Option<&'static str> {
        fn find<T: Copy>(all: &[T], name: &str, wire: fn(T) -> &'static str) -> Option<T> {
            all.iter().copied().find(|v| wire(*v) == name)
        }
        if let Some(s) = find(Status::ALL, name, Status::as_str) {
            return Some(self.status(s));
        }
        if let Some(r) = find(CloseReason::ALL, name, CloseReason::as_str) {
            return Some(self.close_reason(r));
        }
        if let Some(t) = find(ContractTier::ALL, name, ContractTier::as_str) {
            return Some(self.tier(t));
        }
        if let Some(k) = find(EscalationKind::ALL, name, EscalationKind::as_str) {
            return Some(self.escalation_kind(k));
        }
        if let Some(r) = find(RmaStatus::ALL, name, RmaStatus::as_str) {
            return Some(self.rma_status(r));
        }
        if let Some(a) = find(AnalysisRequest::ALL, name, AnalysisRequest::as_str) {
            return Some(self.analysis(a));
        }
        if let Some(u) = find(UserType::ALL, name, UserType::as_str) {
            return Some(self.user_type(u));
        }
        if let Some(r) = find(RequestType::ALL, name, RequestType::as_str) {
            return Some(self.request_type(r));
        }
        match (
            self,
            find(EscalationState::ALL, name, EscalationState::as_str),
        ) {
            (Lang::Ja, Some(e)) => Some(self.escalation_state(e)),
            _ => None,
        }
    }

    /// A countdown to `due`: `2h05m`, `BREACHED 2d4h` / `期限超過 2d4h`, `-` with none; the
    /// breach word is the urgency's.
    pub fn countdown(
        self,
        due: Option<chrono::DateTime<chrono::Utc>>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> String {
        use crate::sla::span::{self, Countdown};
        match Countdown::to(due, now) {
            Countdown::None => "-".into(),
            Countdown::Left(s) => span::compact(s),
            Countdown::Overdue(s) => format!(
                "{} {}",
                crate::term::urgency::Urgency::Breached.word_in(self),
                span::compact(s)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_has_both_languages() {
        for w in Word::ALL {
            assert!(!w.en().is_empty() && !w.ja().is_empty(), "{w:?}");
        }
        for s in Status::ALL {
            let short = Lang::Ja.status_short(*s);
            assert!(unicode_width::UnicodeWidthStr::width(short) <= 8, "{short}");
        }
    }

    #[test]
    fn history_and_changes_name_domain_values_in_words() {
        let h = "status waiting_on_customer → closed (no_customer_response)";
        assert_eq!(
            Lang::En.history(h),
            "status Waiting on customer → Closed (No customer response)".replace(
                "No customer response",
                CloseReason::NoCustomerResponse.label()
            )
        );
        let ja = Lang::Ja.history(h);
        assert!(ja.starts_with("状態 お客様回答待ち → クローズ"), "{ja}");
        assert_eq!(
            Lang::Ja.history("escalation acknowledged: Support engineer now"),
            format!(
                "エスカレーション 受付済み: {}",
                Lang::Ja.escalation_kind(EscalationKind::EngineerNow)
            )
        );
        // A subject is the customer's words: "open" there is no status.
        assert_eq!(
            Lang::En.history("subject → open the port"),
            "subject → open the port"
        );
        let patch = PendingChange::Patch(crate::api::CasePatch {
            status: Some(Status::WaitingOnCustomer),
            ..Default::default()
        });
        assert_eq!(Lang::En.change(&patch), "status → Waiting on customer");
    }

    #[test]
    fn command_line_headers_follow_the_language() {
        assert_eq!(Lang::En.table_header("next due"), "NEXT DUE");
        assert_eq!(Lang::Ja.table_header("next due"), "次の期限");
        assert_eq!(Lang::Ja.table_header("subject"), "件名");
        // A header without a Japanese word keeps the English one.
        assert_eq!(Lang::Ja.table_header("P1"), "P1");
    }

    #[test]
    fn clocks_are_named_in_both_languages() {
        let en: Vec<&str> = ClockKind::ALL
            .iter()
            .map(|k| Lang::En.clock_kind(*k))
            .collect();
        assert_eq!(
            en,
            ["first response", "next update", "auto-close", "RMA return"]
        );
        let ja: Vec<&str> = ClockKind::ALL
            .iter()
            .map(|k| Lang::Ja.clock_kind(*k))
            .collect();
        assert_eq!(ja, ["初回応答", "次回更新", "自動クローズ", "RMA 返却"]);
    }

    #[test]
    fn a_countdown_reads_time_left_or_the_breach_in_each_language() {
        let now: chrono::DateTime<chrono::Utc> = "2026-11-24T05:00:00Z".parse().unwrap();
        let min = chrono::Duration::minutes;
        for lang in [Lang::En, Lang::Ja] {
            assert_eq!(lang.countdown(None, now), "-");
            assert_eq!(
                lang.countdown(Some(now), now),
                "0s",
                "at the due it still runs"
            );
            assert_eq!(lang.countdown(Some(now + min(125)), now), "2h05m");
        }
        let late = Some(now - chrono::Duration::seconds(1));
        assert_eq!(Lang::En.countdown(late, now), "BREACHED 1s");
        assert_eq!(Lang::Ja.countdown(late, now), "期限超過 1s");
    }

    #[test]
    fn a_breached_countdown_says_so_in_japanese() {
        let now = chrono::Utc::now();
        let due = Some(now - chrono::Duration::minutes(25));
        assert_eq!(Lang::En.countdown(due, now), "BREACHED 25m");
        assert_eq!(Lang::Ja.countdown(due, now), "期限超過 25m");
    }
}
