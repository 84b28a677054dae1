//! Japanese screens with no English left in them: the interface's English words and phrases,
//! taken from the product's own tables (the EN side of every pair), and a check that a
//! Japanese screen holds none of them. Every Japanese snapshot test (TUI and wallboard) runs
//! its screen through [`assert_japanese`].

use casedesk::api::Role;
use casedesk::cache::OutboxState;
use casedesk::domain::{
    AnalysisRequest, Channel, CloseReason, ContactMethod, ContractTier, EscalationKind,
    EscalationState, Party, Priority, RequestType, RmaStatus, Status, UserType, Visibility,
};
use casedesk::sla::ClockKind;
use casedesk::term::text::{EN, JA, Lang, Word};
use casedesk::term::urgency::Urgency;
use casedesk::tui::keymap::Command;

/// What a Japanese screen may show in Latin letters besides what the fixtures say: key names,
/// the placeholder of the editor, and the words that are the same in both languages.
const SHARED: &str = "Ctrl-E Ctrl-S $EDITOR Esc Enter Tab Shift-Tab PgUp PgDn Home End \
     SLA RMA UTC casedesk P1 P2 P3 P4 ja en TAC Care TAC Advanced TAC Premium";

/// Each English word of an (English, Japanese) pair, unless the Japanese says it too (a key
/// hint such as `e / Tab` is not English left behind).
fn english_of(pairs: impl IntoIterator<Item = (&'static str, &'static str)>) -> Vec<String> {
    pairs
        .into_iter()
        .filter(|(en, ja)| !ja.contains(en))
        .map(|(en, _)| en.to_string())
        .collect()
}

/// The interface's English words and phrases: every [`Word`], every fixed string of the
/// screens' table, and every domain value's English word.
pub fn english_ui_words() -> Vec<String> {
    fn domain<T: Copy>(
        all: &[T],
        word: fn(Lang, T) -> &'static str,
    ) -> Vec<(&'static str, &'static str)> {
        all.iter()
            .map(|v| (word(Lang::En, *v), word(Lang::Ja, *v)))
            .collect()
    }
    let mut pairs: Vec<(&str, &str)> = Word::ALL.iter().map(|w| (w.en(), w.ja())).collect();
    pairs.extend(EN.all().into_iter().zip(JA.all()));
    pairs.extend(domain(Status::ALL, Lang::status));
    pairs.extend(domain(Status::ALL, Lang::status_short));
    pairs.extend(domain(&Priority::ALL, Lang::priority));
    pairs.extend(domain(CloseReason::ALL, Lang::close_reason));
    pairs.extend(domain(Visibility::ALL, Lang::visibility));
    pairs.extend(domain(ContactMethod::ALL, Lang::contact_method));
    pairs.extend(domain(ContractTier::ALL, Lang::tier));
    pairs.extend(domain(Channel::ALL, Lang::channel));
    pairs.extend(domain(UserType::ALL, Lang::user_type));
    pairs.extend(domain(RequestType::ALL, Lang::request_type));
    pairs.extend(domain(Party::ALL, Lang::party));
    pairs.extend(domain(RmaStatus::ALL, Lang::rma_status));
    pairs.extend(domain(AnalysisRequest::ALL, Lang::analysis));
    pairs.extend(domain(&Role::ALL, Lang::role));
    pairs.extend(domain(EscalationKind::ALL, Lang::escalation_kind));
    pairs.extend(domain(EscalationState::ALL, Lang::escalation_state));
    let clocks = [
        ClockKind::FirstResponse,
        ClockKind::Update,
        ClockKind::AutoClose,
        ClockKind::RmaReturn,
    ];
    pairs.extend(domain(&clocks, Lang::clock_kind));
    let outbox = [
        OutboxState::Pending,
        OutboxState::Conflicted,
        OutboxState::Failed,
    ];
    pairs.extend(domain(&outbox, Lang::outbox_state));
    let urgencies = [
        Urgency::Breached,
        Urgency::DueSoon,
        Urgency::Running,
        Urgency::Paused,
        Urgency::Met,
        Urgency::Stopped,
        Urgency::NoTarget,
    ];
    pairs.extend(urgencies.map(|u| (u.word(), u.word_in(Lang::Ja))));
    let mut words = english_of(pairs);
    // Messages of the status line seen in the snapshots.
    words.extend(["the case needs", "sending", "sorted by"].map(String::from));
    words
}

/// `word` stands alone in `text` (not inside a longer word; a hyphen joins, so the palette's
/// `:contact-failed` is not the word "failed").
pub fn contains_word(text: &str, word: &str) -> bool {
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-');
    text.match_indices(word).any(|(i, _)| {
        !alnum(text[..i].chars().next_back()) && !alnum(text[i + word.len()..].chars().next())
    })
}

/// The English words to look for on a Japanese screen whose fixtures say `fixtures`: the
/// interface's words of three letters or more, less what the fixtures (customer text, names,
/// products) and [`SHARED`] say and the command names (typed in the palette in either
/// language).
pub fn english_to_find(fixtures: &str) -> Vec<String> {
    let allowed = format!("{fixtures} {SHARED}");
    let mut words: Vec<String> = english_ui_words()
        .into_iter()
        .flat_map(|w| {
            // A template's words around its `{placeholder}`s are looked for one by one.
            w.split(['{', '}'])
                .enumerate()
                .filter(|(i, _)| i % 2 == 0)
                .map(|(_, part)| part.to_string())
                .collect::<Vec<_>>()
        })
        .map(|w| {
            w.trim()
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_string()
        })
        .filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 3)
        .filter(|w| !contains_word(&allowed, w))
        .filter(|w| Command::ALL.iter().all(|c| c.name() != w.as_str()))
        .collect();
    words.sort();
    words.dedup();
    words
}

/// Asserts that the Japanese screen `name` shows none of the interface's English words; what
/// the fixtures say (`fixtures`) may be English.
pub fn assert_japanese(name: &str, screen: &str, fixtures: &str) {
    let left: Vec<String> = english_to_find(fixtures)
        .into_iter()
        .filter(|w| contains_word(screen, w))
        .collect();
    assert!(
        left.is_empty(),
        "the Japanese screen {name} still says {left:?}\n{screen}"
    );
}
