//! The interface's own words in English and Japanese (SPEC §5). What came from the server or a
//! customer is shown as it was written; only the chrome around it is translated.

mod say;
mod words;

pub use say::Say;
pub use words::Word;

/// The language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Japanese.
    Ja,
}

impl Lang {
    /// `en` or `ja` from the config, else from `LANG`/`LC_ALL`/`LC_MESSAGES` (`ja_JP.UTF-8` → ja).
    pub fn choose(
        configured: Option<&str>,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Lang, String> {
        if let Some(name) = configured {
            return match name.trim().to_ascii_lowercase().as_str() {
                "en" | "english" => Ok(Lang::En),
                "ja" | "japanese" | "日本語" => Ok(Lang::Ja),
                other => Err(format!(
                    "unknown language '{other}' in [tui]: expected en or ja"
                )),
            };
        }
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .find_map(|k| var(k).filter(|v| !v.is_empty()))
            .unwrap_or_default();
        Ok(if locale.starts_with("ja") {
            Lang::Ja
        } else {
            Lang::En
        })
    }

    /// The words of this language.
    pub fn text(self) -> &'static Text {
        match self {
            Lang::En => &EN,
            Lang::Ja => &JA,
        }
    }
}

/// Every fixed string the interface draws.
#[derive(Debug)]
pub struct Text {
    pub queue: &'static str,
    pub case: &'static str,
    pub clocks: &'static str,
    pub escalation: &'static str,
    pub help: &'static str,
    pub filter: &'static str,
    pub no_case: &'static str,
    pub no_cases: &'static str,
    pub loading: &'static str,
    pub not_cached: &'static str,
    pub too_small: &'static str,
    pub online: &'static str,
    pub live: &'static str,
    pub polling: &'static str,
    pub offline: &'static str,
    pub connecting: &'static str,
    pub syncing: &'static str,
    pub data_as_of: &'static str,
    pub pending: &'static str,
    pub needs_attention: &'static str,
    pub description: &'static str,
    pub timeline: &'static str,
    pub escalations: &'static str,
    pub rmas: &'static str,
    pub problem_reports: &'static str,
    pub waiting_to_send: &'static str,
    pub owner: &'static str,
    pub account: &'static str,
    pub opened: &'static str,
    pub updated: &'static str,
    pub unassigned: &'static str,
    pub tier: &'static str,
    pub site: &'static str,
    pub contact: &'static str,
    pub prefers: &'static str,
    pub product: &'static str,
    pub serial: &'static str,
    pub entitlement: &'static str,
    pub entitled: &'static str,
    pub not_entitled: &'static str,
    pub due: &'static str,
    pub left: &'static str,
    pub working: &'static str,
    pub choose_option: &'static str,
    pub clock: &'static str,
    pub state: &'static str,
    pub state_due: &'static str,
    pub help_forms: &'static str,
    pub help_lists: &'static str,
    pub help_close: &'static str,
    pub views: [&'static str; 7],
    pub col_status: &'static str,
    pub col_number: &'static str,
    pub col_site: &'static str,
    pub col_contact: &'static str,
    pub col_updated: &'static str,
    pub col_platform: &'static str,
    pub col_priority: &'static str,
    pub col_due: &'static str,
    pub col_owner: &'static str,
    pub col_subject: &'static str,
    pub submit_hint: &'static str,
    pub palette_hint: &'static str,
    pub faster_progress: &'static str,
    pub engineer_now: &'static str,
    pub reassignment: &'static str,
    pub faster_rma: &'static str,
    pub newest_first: &'static str,
    pub oldest_first: &'static str,
    pub new_marker: &'static str,
    pub new_count: [&'static str; 2],
}

impl Text {
    /// Every string of the table, for tests that look for one language left in the other's
    /// screens. The pattern names every field, so a new one cannot be left out.
    pub fn all(&self) -> Vec<&'static str> {
        let Text {
            queue,
            case,
            clocks,
            escalation,
            help,
            filter,
            no_case,
            no_cases,
            loading,
            not_cached,
            too_small,
            online,
            live,
            polling,
            offline,
            connecting,
            syncing,
            data_as_of,
            pending,
            needs_attention,
            description,
            timeline,
            escalations,
            rmas,
            problem_reports,
            waiting_to_send,
            owner,
            account,
            opened,
            updated,
            unassigned,
            tier,
            site,
            contact,
            prefers,
            product,
            serial,
            entitlement,
            entitled,
            not_entitled,
            due,
            left,
            working,
            choose_option,
            clock,
            state,
            state_due,
            help_forms,
            help_lists,
            help_close,
            views,
            col_status,
            col_number,
            col_site,
            col_contact,
            col_updated,
            col_platform,
            col_priority,
            col_due,
            col_owner,
            col_subject,
            submit_hint,
            palette_hint,
            faster_progress,
            engineer_now,
            reassignment,
            faster_rma,
            newest_first,
            oldest_first,
            new_marker,
            new_count,
        } = self;
        let mut all = vec![
            *queue,
            *case,
            *clocks,
            *escalation,
            *help,
            *filter,
            *no_case,
            *no_cases,
            *loading,
            *not_cached,
            *too_small,
            *online,
            *live,
            *polling,
            *offline,
            *connecting,
            *syncing,
            *data_as_of,
            *pending,
            *needs_attention,
            *description,
            *timeline,
            *escalations,
            *rmas,
            *problem_reports,
            *waiting_to_send,
            *owner,
            *account,
            *opened,
            *updated,
            *unassigned,
            *tier,
            *site,
            *contact,
            *prefers,
            *product,
            *serial,
            *entitlement,
            *entitled,
            *not_entitled,
            *due,
            *left,
            *working,
            *choose_option,
            *clock,
            *state,
            *state_due,
            *help_forms,
            *help_lists,
            *help_close,
            *col_status,
            *col_number,
            *col_site,
            *col_contact,
            *col_updated,
            *col_platform,
            *col_priority,
            *col_due,
            *col_owner,
            *col_subject,
            *submit_hint,
            *palette_hint,
            *faster_progress,
            *engineer_now,
            *reassignment,
            *faster_rma,
            *newest_first,
            *oldest_first,
            *new_marker,
        ];
        all.extend(views.iter().chain(new_count.iter()));
        all
    }
}

/// English.
pub static EN: Text = Text {
    queue: "Queue",
    case: "Case",
    clocks: "SLA",
    escalation: "Escalate",
    help: "Help",
    filter: "filter",
    no_case: "No case selected: pick one in the queue and press Enter.",
    no_cases: "No cases in this view.",
    loading: "Loading…",
    not_cached: "This case is not in the cache yet; it is fetched when the server answers.",
    too_small: "casedesk needs a window of at least 60×16. Make it larger, or press q to quit.",
    online: "online",
    live: "live",
    polling: "polling",
    offline: "OFFLINE",
    connecting: "connecting…",
    syncing: "syncing",
    data_as_of: "data as of",
    pending: "pending",
    needs_attention: "to resolve (o)",
    description: "Description",
    timeline: "Timeline",
    escalations: "Escalations",
    rmas: "RMAs",
    problem_reports: "Problem reports",
    waiting_to_send: "Waiting to be sent",
    owner: "Owner",
    account: "Account",
    opened: "opened",
    updated: "updated",
    unassigned: "unassigned",
    tier: "Tier",
    site: "Site",
    contact: "Contact",
    prefers: "prefers",
    product: "Product",
    serial: "Serial",
    entitlement: "Entitlement",
    entitled: "active",
    not_entitled: "NO ACTIVE CONTRACT",
    due: "due",
    left: "left",
    working: "working",
    choose_option: "1–4 or Enter: request an option",
    clock: "clock",
    state: "state",
    state_due: "state / due",
    help_forms: "In forms: Tab next field · ←/→ choose · Ctrl-S send · Ctrl-E $EDITOR · Esc cancel",
    help_lists: "Lists: {open} open · outbox {retry} retry, {discard} discard",
    help_close: "j/k scroll · Esc close",
    views: [
        "My open",
        "Unassigned",
        "P1/P2",
        "Breaching next",
        "Waiting on customer",
        "Escalated",
        "All open",
    ],
    col_status: "Status",
    col_number: "Case",
    col_site: "Site",
    col_contact: "Contact",
    col_updated: "Updated",
    col_platform: "Platform",
    col_priority: "Pri",
    col_due: "Next due",
    col_owner: "Owner",
    col_subject: "Subject",
    submit_hint: "Ctrl-S send · Tab next field · Esc cancel",
    palette_hint: "Tab completes · Enter runs · Esc closes",
    faster_progress: "Faster technical progress",
    engineer_now: "Support engineer now",
    reassignment: "Case reassignment",
    faster_rma: "Faster RMA progress",
    newest_first: "newest first",
    oldest_first: "oldest first",
    new_marker: "● new",
    new_count: ["", " new"],
};

/// Japanese.
pub static JA: Text = Text {
    queue: "ケース一覧",
    case: "ケース",
    clocks: "SLA",
    escalation: "エスカレーション",
    help: "ヘルプ",
    filter: "絞り込み",
    no_case: "ケースが選ばれていません。一覧で選んで Enter を押してください。",
    no_cases: "このビューにケースはありません。",
    loading: "読み込み中…",
    not_cached: "このケースはまだキャッシュにありません。サーバーに繋がると取得します。",
    too_small: "casedesk には 60×16 以上のウィンドウが必要です。広げるか q で終了してください。",
    online: "オンライン",
    live: "ライブ",
    polling: "ポーリング",
    offline: "オフライン",
    connecting: "接続中…",
    syncing: "同期中",
    data_as_of: "データ時刻",
    pending: "未送信",
    needs_attention: "件 要対応 (o)",
    description: "説明",
    timeline: "経過",
    escalations: "エスカレーション",
    rmas: "RMA",
    problem_reports: "問題報告",
    waiting_to_send: "送信待ち",
    owner: "担当",
    account: "取引先",
    opened: "起票",
    updated: "更新",
    unassigned: "未割り当て",
    tier: "契約",
    site: "サイト",
    contact: "連絡先",
    prefers: "希望",
    product: "製品",
    serial: "シリアル",
    entitlement: "契約状態",
    entitled: "有効",
    not_entitled: "有効な契約なし",
    due: "期限",
    left: "残り",
    working: "営業時間",
    choose_option: "1〜4 または Enter: 選んだ方法で依頼",
    clock: "時計",
    state: "状態",
    state_due: "状態 / 期限",
    help_forms: "フォーム: Tab 次の項目 · ←/→ 選択 · Ctrl-S 送信 · Ctrl-E $EDITOR · Esc 取消",
    help_lists: "一覧: {open} 開く · 送信待ち {retry} 再送 {discard} 破棄",
    help_close: "j/k スクロール · Esc 閉じる",
    views: [
        "自分の未完了",
        "未割り当て",
        "P1/P2",
        "次に期限超過",
        "お客様の回答待ち",
        "エスカレーション中",
        "すべての未完了",
    ],
    col_status: "状態",
    col_number: "ケース",
    col_site: "サイト",
    col_contact: "連絡先",
    col_updated: "更新",
    col_platform: "機種",
    col_priority: "優先",
    col_due: "次の期限",
    col_owner: "担当",
    col_subject: "件名",
    submit_hint: "Ctrl-S 送信 · Tab 次の項目 · Esc 取消",
    palette_hint: "Tab 補完 · Enter 実行 · Esc 閉じる",
    faster_progress: "技術的な進捗の迅速化",
    engineer_now: "サポートエンジニアからの連絡",
    reassignment: "担当者の変更",
    faster_rma: "RMA 対応の迅速化",
    newest_first: "新しい順",
    oldest_first: "古い順",
    new_marker: "● 新着",
    new_count: ["新着 ", " 件"],
};

/// A file's size for people, the same in both languages: bytes, KiB or MiB (`2.4 MiB`).
pub fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    match bytes {
        b if b < KIB => format!("{b} B"),
        b if b < KIB * KIB => format!("{:.1} KiB", b as f64 / KIB as f64),
        b if b < KIB * KIB * KIB => format!("{:.1} MiB", b as f64 / (KIB * KIB) as f64),
        b => format!("{:.1} GiB", b as f64 / (KIB * KIB * KIB) as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_comes_from_config_then_locale() {
        let env = |v: &'static str| move |k: &str| (k == "LANG").then(|| v.to_string());
        assert_eq!(Lang::choose(None, env("ja_JP.UTF-8")), Ok(Lang::Ja));
        assert_eq!(Lang::choose(None, env("en_US.UTF-8")), Ok(Lang::En));
        assert_eq!(Lang::choose(Some("en"), env("ja_JP.UTF-8")), Ok(Lang::En));
        let err = Lang::choose(Some("fr"), env("C")).unwrap_err();
        assert!(err.contains("expected en or ja"), "{err}");
    }
}
