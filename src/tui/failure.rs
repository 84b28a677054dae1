//! Why something the TUI asked for did not happen, kept typed (the desk's, the cache's or the
//! server's error, and what it was for) until the message line shows it; the words are chosen
//! in one place, [`Failure::words`], in the interface's language.

use crate::cache::PendingChange;
use crate::domain::CaseNumber;
use crate::sync::DeskError;
use crate::term::text::{Lang, Say, Word};

/// A failure on its way to the message line.
#[derive(Debug)]
pub enum Failure {
    /// Work on a case failed (a change, a detail fetch, an RMA, recording what was seen).
    Case(CaseNumber, DeskError),
    /// The new-case form's serial lookup failed.
    Serial(String, DeskError),
    /// A new case was not opened.
    NotOpened(DeskError),
    /// A new RMA needs the server, which could not be reached.
    RmaNeedsServer(DeskError),
    /// Fetching or reading something to show failed.
    Fetch(Fetch, DeskError),
    /// The server answered a change with a version conflict; the entry waits in the outbox.
    Conflicted(CaseNumber, String, i64),
    /// The server refused a queued change for now (its words); the entry waits in the outbox.
    Refused(CaseNumber, String, i64),
    /// The server refused a change for good (its words); nothing was kept.
    RefusedForGood(CaseNumber, Box<PendingChange>, String),
    /// An outbox entry written for another server or person is not sent from here.
    ForeignNotSent(i64),
    /// Re-sending or dropping an outbox entry failed: the server's words.
    EntryRefused(i64, String),
    /// Re-sending or dropping an outbox entry failed: the desk's error.
    Entry(i64, DeskError),
    /// The cached cases could not be read.
    CacheUnreadable(DeskError),
    /// Who is signed in could not be learned.
    Me(DeskError),
    /// The external editor did not give the text back; the form keeps what it had.
    Editor(EditorFailure),
    /// Words written elsewhere (another program, a test), shown as they are.
    Words(String),
}

/// Why `$VISUAL`/`$EDITOR` did not give the edited text back.
#[derive(Debug)]
pub enum EditorFailure {
    /// The private temporary file could not be written.
    Write(std::path::PathBuf, std::io::Error),
    /// The editor (named as configured) could not be started.
    Run(String, std::io::Error),
    /// The editor ended with a failure status; the text is unchanged.
    Exited(String, std::process::ExitStatus),
    /// The edited file could not be read back.
    Read(std::io::Error),
}

/// What was being fetched or read when a [`Failure::Fetch`] happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetch {
    /// `:search`.
    Search,
    /// The RMA list.
    Rmas,
    /// The escalations waiting for a lead.
    Escalations,
    /// A lead's move of one escalation.
    Escalation(i64),
    /// A serial's contract (as typed).
    Entitlement(String),
    /// The outbox, from the cache.
    Outbox,
    /// Note drafts, kept in or read from the cache.
    Drafts,
    /// The held and unreadable mail.
    Mail,
    /// Releasing one held mail (by id).
    MailRelease(i64),
    /// Discarding one held mail (by id).
    MailDiscard(i64),
    /// Attaching, reading or saving a case's file (by name).
    File(String),
}

impl From<String> for Failure {
    fn from(words: String) -> Failure {
        Failure::Words(words)
    }
}

impl From<&str> for Failure {
    fn from(words: &str) -> Failure {
        Failure::Words(words.to_string())
    }
}

impl Failure {
    /// A failure in words, as the message line shows it.
    pub fn words(&self, lang: Lang) -> String {
        use crate::sanitize::clean;
        match self {
            Failure::Case(number, e) => format!("{number}: {e}"),
            Failure::Serial(serial, e) => format!("serial {}: {e}", clean(serial, true)),
            Failure::NotOpened(e) => lang.say(Say::CaseNotOpened(&e.to_string())),
            Failure::RmaNeedsServer(e) => lang.say(Say::RmaNeedsServer(&e.to_string())),
            Failure::Fetch(what, e) => {
                let what = match what {
                    Fetch::Search => lang.word(Word::SearchFailed).to_string(),
                    Fetch::Rmas => lang.word(Word::RmaListFailed).to_string(),
                    Fetch::Escalations => lang.word(Word::EscalationsFailed).to_string(),
                    Fetch::Escalation(id) => format!("{} #{id}", lang.word(Word::EscalationFailed)),
                    Fetch::Entitlement(serial) => format!(
                        "{} {}",
                        lang.word(Word::EntitlementFailed),
                        clean(serial, true)
                    ),
                    Fetch::Outbox => lang.word(Word::OutboxFailed).to_string(),
                    Fetch::Drafts => lang.word(Word::DraftsFailed).to_string(),
                    Fetch::Mail => lang.word(Word::MailListFailed).to_string(),
                    Fetch::MailRelease(id) => {
                        format!("{} #{id}", lang.word(Word::MailReleaseFailed))
                    }
                    Fetch::MailDiscard(id) => {
                        format!("{} #{id}", lang.word(Word::MailDiscardFailed))
                    }
                    Fetch::File(name) => {
                        format!("{} {}", lang.word(Word::FileFailed), clean(name, true))
                    }
                };
                lang.say(Say::Failed(&what, &e.to_string()))
            }
            Failure::Conflicted(number, why, id) => {
                lang.say(Say::Conflicted(&number.to_string(), why, *id))
            }
            Failure::Refused(number, why, id) => {
                lang.say(Say::Refused(&number.to_string(), why, *id))
            }
            Failure::RefusedForGood(number, change, why) => lang.say(Say::RefusedForGood(
                &number.to_string(),
                &lang.change(change),
                why,
            )),
            Failure::ForeignNotSent(id) => lang.say(Say::ForeignNotSent(*id)),
            Failure::EntryRefused(id, why) => format!("#{id}: {why}"),
            Failure::Entry(id, e) => format!("#{id}: {e}"),
            Failure::CacheUnreadable(e) => lang.say(Say::CacheUnreadable(&e.to_string())),
            Failure::Me(e) => e.to_string(),
            Failure::Editor(e) => match (lang, e) {
                (Lang::En, EditorFailure::Write(path, e)) => {
                    format!("cannot write {}: {e}", path.display())
                }
                (Lang::Ja, EditorFailure::Write(path, e)) => {
                    format!("{} に書き込めません: {e}", path.display())
                }
                (Lang::En, EditorFailure::Run(editor, e)) => {
                    format!("cannot run {editor}: {e}; set EDITOR")
                }
                (Lang::Ja, EditorFailure::Run(editor, e)) => {
                    format!("{editor} を起動できません: {e} — EDITOR を設定してください")
                }
                (Lang::En, EditorFailure::Exited(editor, status)) => {
                    format!("{editor} exited with {status}; the text is unchanged")
                }
                (Lang::Ja, EditorFailure::Exited(editor, status)) => {
                    format!("{editor} が異常終了しました ({status}) — テキストは変更されていません")
                }
                (Lang::En, EditorFailure::Read(e)) => format!("cannot read the edited text: {e}"),
                (Lang::Ja, EditorFailure::Read(e)) => {
                    format!("編集したテキストを読み込めません: {e}")
                }
            },
            Failure::Words(words) => words.clone(),
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::term::text::{Lang, Say};
    use crate::tui::app::Msg;
    use crate::tui::app::tests::app;

    fn shown(lang: Lang, failure: Failure) -> (String, bool) {
        let mut app = app();
        app.settings.lang = lang;
        app.update(Msg::Said(Err(failure)));
        let m = app.message.expect("a message");
        (m.text, m.error)
    }

    #[test]
    fn a_failure_is_put_in_words_when_shown_in_the_interfaces_language() {
        let number: CaseNumber = "2026-1120-000001".parse().expect("a case number");
        for lang in [Lang::En, Lang::Ja] {
            let conflict = Failure::Conflicted(number, "version 7 is stale".into(), 12);
            let want = lang.say(Say::Conflicted(
                &number.to_string(),
                "version 7 is stale",
                12,
            ));
            assert_eq!(shown(lang, conflict), (want, true));

            let gone = DeskError::NotCached("no such escalation".into());
            let (text, error) = shown(lang, Failure::Fetch(Fetch::Escalation(7), gone));
            let what = match lang {
                Lang::En => "escalation #7",
                Lang::Ja => "エスカレーション #7",
            };
            assert_eq!(text, lang.say(Say::Failed(what, "no such escalation")));
            assert!(error);
        }
        assert_ne!(
            shown(Lang::En, Failure::ForeignNotSent(3)).0,
            shown(Lang::Ja, Failure::ForeignNotSent(3)).0
        );
    }

    #[test]
    fn an_editor_that_failed_is_said_in_the_interfaces_language() {
        let failed = |lang: Lang| {
            let mut app = app();
            app.settings.lang = lang;
            let gone = std::io::Error::from(std::io::ErrorKind::NotFound);
            app.update(Msg::Edited(Err(Failure::Editor(EditorFailure::Run(
                "nano".into(),
                gone,
            )))));
            app.message.expect("a message")
        };
        let (en, ja) = (failed(Lang::En), failed(Lang::Ja));
        assert!(en.error && ja.error);
        assert!(en.text.starts_with("cannot run nano: ") && en.text.ends_with("; set EDITOR"));
        assert!(
            ja.text.starts_with("nano を起動できません: "),
            "{}",
            ja.text
        );
        assert!(
            ja.text.ends_with("EDITOR を設定してください"),
            "{}",
            ja.text
        );
    }
}
