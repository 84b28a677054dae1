//! Commands and the keys bound to them (SPEC §5). Every binding can be replaced or removed in
//! the config's `[tui.keys]`; the help overlay and the palette are generated from this table,
//! so neither can drift from what the keys do.

use std::collections::{BTreeMap, HashMap};

use crossterm::event::{KeyCode, KeyEvent};

pub use crate::term::key::Key;
use crate::term::text::Lang;

/// Where a command does something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere.
    Global,
    /// Needs a case (the selected or open one).
    Case,
    /// The queue pane.
    Queue,
    /// The escalation pane.
    Escalation,
}

macro_rules! commands {
    ($($variant:ident => $name:literal, $scope:ident, $en:literal, $ja:literal;)*) => {
        /// Something the user can ask for, by a key or by name in the `:` palette.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Command { $(#[doc = $en] $variant,)* }

        impl Command {
    /// A command in a word or two, for the status bar's key hints: its name in English (what
    /// the palette takes), a short Japanese word otherwise.
    pub fn short(self, lang: Lang) -> &'static str {
        use Command as C;
        match (lang, self) {
            (Lang::En, c) => c.name(),
            (Lang::Ja, C::Help) => "ヘルプ",
            (Lang::Ja, C::Filter) => "絞り込み",
            (Lang::Ja, C::Open) => "開く",
            (Lang::Ja, C::NextPane) => "次のペイン",
            (Lang::Ja, C::PrevPane) => "前のペイン",
            (Lang::Ja, C::Take) => "担当",
            (Lang::Ja, C::NotePublic) => "公開メモ",
            (Lang::Ja, C::NoteInternal) => "社内メモ",
            (Lang::Ja, C::Escalate) => "エスカレ",
            (Lang::Ja, C::Palette) => "コマンド",
            (Lang::Ja, C::Quit) => "終了",
            (Lang::Ja, c) => c.describe(Lang::Ja),
        }
    }

            /// Every command, in help order.
            pub const ALL: &'static [Command] = &[$(Command::$variant,)*];

            /// The name used in the palette and the config.
            pub fn name(self) -> &'static str {
                match self { $(Command::$variant => $name,)* }
            }

            /// Where it applies.
            pub fn scope(self) -> Scope {
                match self { $(Command::$variant => Scope::$scope,)* }
            }

            /// What it does, in the interface's language.
            pub fn describe(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Command::$variant, Lang::En) => $en, (Command::$variant, Lang::Ja) => $ja,)*
                }
            }
        }
    };
}

commands! {
    Up => "up", Global, "move up", "上へ";
    Down => "down", Global, "move down", "下へ";
    Top => "top", Global, "go to the first line", "先頭へ";
    Bottom => "bottom", Global, "go to the last line", "末尾へ";
    PageUp => "page-up", Global, "one page up", "1 ページ上へ";
    PageDown => "page-down", Global, "one page down", "1 ページ下へ";
    Open => "open", Global, "open the case / choose", "開く・選ぶ";
    Back => "back", Global, "back to the queue / close", "一覧に戻る・閉じる";
    NextPane => "next-pane", Global, "next pane", "次のペイン";
    PrevPane => "prev-pane", Global, "previous pane", "前のペイン";
    Filter => "filter", Queue, "filter the queue as you type", "入力しながら絞り込み";
    SortNext => "sort", Queue, "sort by the next column", "次の列で並べ替え";
    SortReverse => "sort-reverse", Queue, "reverse the sort", "並び順を逆に";
    View1 => "view-1", Queue, "saved view 1", "保存ビュー 1";
    View2 => "view-2", Queue, "saved view 2", "保存ビュー 2";
    View3 => "view-3", Queue, "saved view 3", "保存ビュー 3";
    View4 => "view-4", Queue, "saved view 4", "保存ビュー 4";
    View5 => "view-5", Queue, "saved view 5", "保存ビュー 5";
    View6 => "view-6", Queue, "saved view 6", "保存ビュー 6";
    View7 => "view-7", Queue, "saved view 7", "保存ビュー 7";
    View8 => "view-8", Queue, "saved view 8", "保存ビュー 8";
    View9 => "view-9", Queue, "saved view 9", "保存ビュー 9";
    Take => "take", Case, "take the case", "自分が担当する";
    Assign => "assign", Case, "assign an owner", "担当者を割り当てる";
    NotePublic => "note", Case, "add a public note", "公開メモを追加";
    NoteInternal => "note-internal", Case, "add an internal note", "社内メモを追加";
    Status => "status", Case, "change the status (close, reopen)", "状態を変更（クローズ・再開）";
    Priority => "priority", Case, "change the priority (P1 downgrade/restore)", "優先度を変更（P1 一時引き下げ・復帰）";
    Escalate => "escalate", Case, "escalate the case", "エスカレーションを依頼";
    NewRma => "rma", Case, "create an RMA", "RMA を作成";
    NewCase => "new", Global, "open a new case (phone intake)", "新規ケースを起票（電話受付）";
    Rmas => "rmas", Global, "the RMA list", "RMA 一覧";
    RmaMove => "rma-move", Case, "move an RMA forward / set its analysis (RMA list, case)", "RMA の状態を進める・解析依頼（RMA 一覧・ケース）";
    Entitlement => "entitlement", Global, "look up a serial's contract", "シリアル番号の契約を調べる";
    Search => "search", Global, "ask the server: search TEXT", "サーバーで検索: search 語句";
    Escalations => "escalations", Global, "escalations waiting for a lead", "リーダー待ちのエスカレーション";
    Outbox => "outbox", Global, "changes waiting to be sent", "送信待ちの変更";
    Mail => "mail", Global, "held and unreadable mail: release or discard", "保留中・読み取れないメール: 取り込み・破棄";
    Refresh => "refresh", Global, "sync now", "今すぐ同期";
    Profile => "profile", Global, "switch profile: profile NAME", "プロファイル切替: profile 名前";
    Palette => "palette", Global, "command palette", "コマンドパレット";
    Help => "help", Global, "this help", "このヘルプ";
    Quit => "quit", Global, "quit", "終了";
    Call => "call", Case, "log a call with the customer: call [TEXT]", "お客様との通話を記録: call [内容]";
    ContactFailed => "contact-failed", Case, "log a failed attempt to reach the customer", "お客様に連絡がつかなかったことを記録";
    ProblemReport => "pr", Case, "link a problem report: pr PR", "問題報告（バグ番号）を関連付け: pr 番号";
    Copy => "copy", Case, "copy the case number to the clipboard", "ケース番号をクリップボードにコピー";
    Macro => "macro", Case, "apply a macro (marked cases too): macro [NAME]", "マクロを適用（マーク中のケースにも）: macro [名前]";
    Attach => "attach", Case, "attach a file: attach PATH", "ファイルを添付: attach パス";
    Files => "files", Case, "the case's files: view or save", "ケースの添付ファイル: 表示・保存";
    Mark => "mark", Queue, "mark the case for a bulk action", "一括操作の対象に印を付ける";
    MarkRange => "mark-range", Queue, "mark from the last marked case to here", "直前に印を付けたケースからここまで印を付ける";
    MarkAll => "mark-all", Queue, "mark every case shown (again: unmark all)", "表示中の全ケースに印（もう一度で全解除）";
    Alerts => "alerts", Global, "recent alerts", "最近の通知";
    Drafts => "drafts", Global, "saved note drafts", "保存されたメモの下書き";
    Report => "report", Global, "reports for leads (SLA, response, backlog, load)", "リーダー向けレポート（SLA・応答・未解決・負荷）";
}

impl Command {
    /// A command by its palette/config name.
    pub fn by_name(name: &str) -> Option<Command> {
        Command::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// Whether it does anything in `pane` (for the help and the status bar).
    pub fn applies_in(self, pane: super::app::Pane) -> bool {
        use super::app::Pane;
        match self.scope() {
            Scope::Global | Scope::Case => true,
            Scope::Queue => pane == Pane::Queue,
            Scope::Escalation => pane == Pane::Escalation,
        }
    }

    /// The saved view a `view-N` command switches to.
    pub fn view_number(self) -> Option<u8> {
        let n = self.name().strip_prefix("view-")?;
        n.parse().ok()
    }
}

/// Which list overlay a list action works in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListScope {
    /// The escalations waiting for a lead.
    Escalations,
    /// The changes waiting to be sent.
    Outbox,
    /// Held and unreadable mail.
    Mail,
    /// A case's files (and the text viewer over one).
    Files,
    /// The note drafts kept in the cache.
    Drafts,
}

/// A key that acts on the selected row of a list overlay. Bound apart from the commands, so a
/// key can mean one thing in a list and another elsewhere (`a` assigns in the queue and
/// acknowledges in the escalation list); remapped in `[tui.keys]` like a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListAction {
    /// Acknowledge the escalation.
    Acknowledge,
    /// Resolve the escalation (asks what was done).
    Resolve,
    /// Decline the escalation (asks why).
    Decline,
    /// Send the queued change again, on the case's current version.
    Retry,
    /// Drop the queued change (pressed twice).
    Discard,
    /// Add held mail to the case it was matched to (asks for one when none was).
    Release,
    /// Add held mail to a case typed in a form (the matched one filled in).
    ReleaseTo,
    /// Drop held or unreadable mail (pressed twice).
    DiscardMail,
    /// Save a case's file to disk (asks where).
    SaveFile,
    /// Open a case's file in `$PAGER`.
    PageFile,
    /// Drop a kept note draft (pressed twice).
    DiscardDraft,
}

impl ListAction {
    /// Every list action.
    pub const ALL: [ListAction; 11] = [
        ListAction::Acknowledge,
        ListAction::Resolve,
        ListAction::Decline,
        ListAction::Retry,
        ListAction::Discard,
        ListAction::Release,
        ListAction::ReleaseTo,
        ListAction::DiscardMail,
        ListAction::SaveFile,
        ListAction::PageFile,
        ListAction::DiscardDraft,
    ];

    /// The name used in the config and in hints' `{name}`.
    pub fn name(self) -> &'static str {
        match self {
            ListAction::Acknowledge => "acknowledge",
            ListAction::Resolve => "resolve",
            ListAction::Decline => "decline",
            ListAction::Retry => "retry",
            ListAction::Discard => "discard",
            ListAction::Release => "release",
            ListAction::ReleaseTo => "release-to",
            ListAction::DiscardMail => "discard-mail",
            ListAction::SaveFile => "save-file",
            ListAction::PageFile => "pager",
            ListAction::DiscardDraft => "discard-draft",
        }
    }

    /// A list action by its config name.
    pub fn by_name(name: &str) -> Option<ListAction> {
        ListAction::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The list it works in.
    pub fn scope(self) -> ListScope {
        match self {
            ListAction::Acknowledge | ListAction::Resolve | ListAction::Decline => {
                ListScope::Escalations
            }
            ListAction::Retry | ListAction::Discard => ListScope::Outbox,
            ListAction::Release | ListAction::ReleaseTo | ListAction::DiscardMail => {
                ListScope::Mail
            }
            ListAction::SaveFile | ListAction::PageFile => ListScope::Files,
            ListAction::DiscardDraft => ListScope::Drafts,
        }
    }

    /// Its default key.
    fn default_key(self) -> char {
        match self {
            ListAction::Acknowledge => 'a',
            ListAction::Resolve => 'v',
            ListAction::Decline
            | ListAction::Discard
            | ListAction::DiscardMail
            | ListAction::DiscardDraft => 'd',
            ListAction::Retry | ListAction::Release => 'r',
            ListAction::ReleaseTo => 'c',
            ListAction::SaveFile => 's',
            ListAction::PageFile => 'o',
        }
    }
}

/// Keys to commands.
#[derive(Debug, Clone)]
pub struct KeyMap {
    bindings: HashMap<Key, Command>,
    /// The list overlays' keys, by list: a key may be bound once in each.
    list_bindings: HashMap<(ListScope, Key), ListAction>,
}

impl Default for KeyMap {
    fn default() -> Self {
        use Command as C;
        use KeyCode as K;
        let mut bindings = HashMap::new();
        let chars = [
            ('k', C::Up),
            ('j', C::Down),
            ('g', C::Top),
            ('G', C::Bottom),
            ('/', C::Filter),
            ('s', C::SortNext),
            ('S', C::SortReverse),
            ('t', C::Take),
            ('a', C::Assign),
            ('n', C::NotePublic),
            ('i', C::NoteInternal),
            ('x', C::Status),
            ('p', C::Priority),
            ('e', C::Escalate),
            ('N', C::NewCase),
            ('R', C::NewRma),
            ('m', C::RmaMove),
            ('E', C::Entitlement),
            ('L', C::Escalations),
            ('o', C::Outbox),
            ('r', C::Refresh),
            (':', C::Palette),
            ('?', C::Help),
            ('q', C::Quit),
            ('c', C::Call),
            ('C', C::ContactFailed),
            ('P', C::ProblemReport),
            ('y', C::Copy),
            ('M', C::Macro),
            ('A', C::Attach),
            ('F', C::Files),
            (' ', C::Mark),
            ('V', C::MarkRange),
            ('*', C::MarkAll),
            ('!', C::Alerts),
            ('D', C::Report),
        ];
        for (c, cmd) in chars {
            bindings.insert(Key::plain(K::Char(c)), cmd);
        }
        for (n, cmd) in [
            C::View1,
            C::View2,
            C::View3,
            C::View4,
            C::View5,
            C::View6,
            C::View7,
            C::View8,
            C::View9,
        ]
        .into_iter()
        .enumerate()
        {
            let digit = char::from_digit(n as u32 + 1, 10).unwrap_or('1');
            bindings.insert(Key::plain(K::Char(digit)), cmd);
        }
        for (code, cmd) in [
            (K::Up, C::Up),
            (K::Down, C::Down),
            (K::Home, C::Top),
            (K::End, C::Bottom),
            (K::PageUp, C::PageUp),
            (K::PageDown, C::PageDown),
            (K::Enter, C::Open),
            (K::Esc, C::Back),
            (K::Tab, C::NextPane),
            (K::BackTab, C::PrevPane),
        ] {
            bindings.insert(Key::plain(code), cmd);
        }
        bindings.insert(Key::ctrl('c'), C::Quit);
        bindings.insert(Key::ctrl('b'), C::PageUp);
        bindings.insert(Key::ctrl('f'), C::PageDown);
        bindings.insert(Key::ctrl('l'), C::Refresh);
        let list_bindings = ListAction::ALL
            .into_iter()
            .map(|a| ((a.scope(), Key::plain(K::Char(a.default_key()))), a))
            .collect();
        KeyMap {
            bindings,
            list_bindings,
        }
    }
}

impl KeyMap {
    /// The defaults with the config's `[tui.keys]` over them (`"none"` unbinds a key, in the
    /// lists too). A list action's name binds the key in its list only.
    pub fn with_overrides(overrides: &BTreeMap<String, String>) -> Result<KeyMap, String> {
        let mut map = KeyMap::default();
        let names: Vec<&str> = Command::ALL
            .iter()
            .map(|c| c.name())
            .chain(ListAction::ALL.map(ListAction::name))
            .collect();
        let (for_lists, for_commands): (BTreeMap<_, _>, BTreeMap<_, _>) = overrides
            .clone()
            .into_iter()
            .partition(|(_, action)| ListAction::by_name(action).is_some() || action == "none");
        crate::term::key::apply_overrides(
            &mut map.bindings,
            "[tui.keys]",
            &for_commands,
            Command::by_name,
            &names,
        )?;
        for (key_text, action) in &for_lists {
            let key = Key::parse(key_text).map_err(|e| format!("[tui.keys] {e}"))?;
            match ListAction::by_name(action) {
                Some(a) => {
                    map.list_bindings.insert((a.scope(), key), a);
                }
                None => {
                    map.bindings.remove(&key);
                    map.list_bindings.retain(|(_, k), _| *k != key);
                }
            }
        }
        Ok(map)
    }

    /// The list action bound to a key event in a list.
    pub fn list_action(&self, scope: ListScope, event: &KeyEvent) -> Option<ListAction> {
        self.list_bindings.get(&(scope, Key::of(event))).copied()
    }

    /// The first key bound to a list action, as a hint shows it.
    pub fn list_key(&self, action: ListAction) -> Option<Key> {
        let mut keys: Vec<Key> = self
            .list_bindings
            .iter()
            .filter(|(_, a)| **a == action)
            .map(|((_, k), _)| *k)
            .collect();
        keys.sort_by_key(key_order);
        keys.first().copied()
    }

    /// A hint with the keys bound now put in (gitui's `get_hint`): each `{name}` of a command
    /// or list action becomes its first key. A ` · `-separated part naming an unbound one is
    /// left out, so a hint never offers a key that does nothing.
    pub fn hint(&self, text: &str) -> String {
        if !text.contains('{') {
            return text.to_string();
        }
        text.split(" · ")
            .filter_map(|part| self.fill(part))
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// One part of a hint with its `{name}`s filled, or `None` when one is not bound.
    fn fill(&self, part: &str) -> Option<String> {
        let mut out = String::new();
        let mut rest = part;
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}')? + open;
            let name = &rest[open + 1..close];
            let key = match (Command::by_name(name), ListAction::by_name(name)) {
                (Some(cmd), _) => Some(self.keys_for(cmd).first().copied()?.to_string()),
                (None, Some(action)) => Some(self.list_key(action)?.to_string()),
                // Not a name: braces in the text itself stay as they are.
                (None, None) => None,
            };
            out.push_str(&rest[..open]);
            out.push_str(key.as_deref().unwrap_or(&rest[open..=close]));
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        Some(out)
    }

    /// The command bound to a key event.
    pub fn command(&self, event: &KeyEvent) -> Option<Command> {
        self.bindings.get(&Key::of(event)).copied()
    }

    /// The keys bound to a command, in a stable order.
    pub fn keys_for(&self, cmd: Command) -> Vec<Key> {
        let mut keys: Vec<Key> = self
            .bindings
            .iter()
            .filter(|(_, c)| **c == cmd)
            .map(|(k, _)| *k)
            .collect();
        keys.sort_by_key(key_order);
        keys
    }
}

/// Characters first (what people type), then named keys; each group in a fixed order.
fn key_order(k: &Key) -> (bool, bool, String) {
    (
        !matches!(k.code(), KeyCode::Char(_)),
        k.has_modifier(),
        k.to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_overrides_and_unbinds() {
        let overrides = BTreeMap::from([
            ("ctrl-t".to_string(), "take".to_string()),
            ("t".to_string(), "none".to_string()),
        ]);
        let map = KeyMap::with_overrides(&overrides).unwrap();
        assert_eq!(map.keys_for(Command::Take), vec![Key::ctrl('t')]);
        let bad = BTreeMap::from([("x".to_string(), "explode".to_string())]);
        let err = KeyMap::with_overrides(&bad).unwrap_err();
        assert!(err.contains("unknown command"), "{err}");
    }

    #[test]
    fn hints_name_the_keys_bound_now() {
        let defaults = KeyMap::default();
        let hint = "{acknowledge} acknowledge · {discard} discard · {open} open · {back} close";
        assert_eq!(
            defaults.hint(hint),
            "a acknowledge · d discard · Enter open · Esc close"
        );
        let overrides = BTreeMap::from([
            ("A".to_string(), "acknowledge".to_string()),
            ("a".to_string(), "none".to_string()),
            ("d".to_string(), "none".to_string()),
        ]);
        let map = KeyMap::with_overrides(&overrides).unwrap();
        // A remapped key is named; a part whose key is unbound is left out.
        assert_eq!(map.hint(hint), "A acknowledge · Enter open · Esc close");
        // Braces that name nothing are the text's own.
        assert_eq!(map.hint("{nothing} here"), "{nothing} here");
    }

    #[test]
    fn a_list_key_is_bound_per_list_and_apart_from_the_commands() {
        let press = |c: char| KeyEvent::from(KeyCode::Char(c));
        let map = KeyMap::default();
        assert_eq!(map.command(&press('a')), Some(Command::Assign));
        assert_eq!(
            map.list_action(ListScope::Escalations, &press('a')),
            Some(ListAction::Acknowledge)
        );
        assert_eq!(
            map.list_action(ListScope::Escalations, &press('d')),
            Some(ListAction::Decline)
        );
        assert_eq!(
            map.list_action(ListScope::Outbox, &press('d')),
            Some(ListAction::Discard)
        );
        assert_eq!(map.list_action(ListScope::Outbox, &press('a')), None);
        let overrides = BTreeMap::from([("z".to_string(), "retry".to_string())]);
        let map = KeyMap::with_overrides(&overrides).unwrap();
        assert_eq!(
            map.list_action(ListScope::Outbox, &press('z')),
            Some(ListAction::Retry)
        );
        assert_eq!(map.command(&press('z')), None);
        let bad = BTreeMap::from([("x".to_string(), "acknowledg".to_string())]);
        let err = KeyMap::with_overrides(&bad).unwrap_err();
        assert!(err.contains("'acknowledg': unknown command"), "{err}");
        assert!(
            err.contains("drafts, report, acknowledge, resolve, decline, retry, discard"),
            "{err}"
        );
    }

    #[test]
    fn every_command_has_a_unique_name() {
        let mut names: Vec<_> = Command::ALL
            .iter()
            .map(|c| c.name())
            .chain(ListAction::ALL.map(ListAction::name))
            .collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Command::ALL.len() + ListAction::ALL.len());
    }
}
