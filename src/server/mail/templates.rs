//! The bilingual (EN/JA) mail templates: the shipped defaults, overridden by files in the
//! configured directory, filled with the case's placeholders.

use std::collections::BTreeMap;
use std::path::Path;

use super::config::MailLanguage;

/// What a mail is about; one template per kind and language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TemplateKind {
    /// A new case: number, priority and its meaning, first response due.
    Acknowledgement,
    /// A public note sent to the contact.
    Note,
    /// The priority changed: the new priority and the new expected response time.
    PriorityChanged,
    /// An RMA was issued: number, part, return-by date, "write the RMA number on the box".
    RmaIssued,
    /// The case was resolved: reply to reopen, or confirm.
    Resolved,
    /// The case closed itself after the customer did not answer.
    AutoClosed,
    /// An answer to mail about no case, when mail does not open cases.
    NoNewCases,
}

impl TemplateKind {
    /// Every kind.
    pub const ALL: [TemplateKind; 7] = [
        TemplateKind::Acknowledgement,
        TemplateKind::Note,
        TemplateKind::PriorityChanged,
        TemplateKind::RmaIssued,
        TemplateKind::Resolved,
        TemplateKind::AutoClosed,
        TemplateKind::NoNewCases,
    ];

    /// Its name: the file stem of its templates (`acknowledgement.en.txt`) and the `kind` of
    /// its queued mail.
    pub fn name(self) -> &'static str {
        match self {
            TemplateKind::Acknowledgement => "acknowledgement",
            TemplateKind::Note => "note",
            TemplateKind::PriorityChanged => "priority_changed",
            TemplateKind::RmaIssued => "rma_issued",
            TemplateKind::Resolved => "resolved",
            TemplateKind::AutoClosed => "auto_closed",
            TemplateKind::NoNewCases => "no_new_cases",
        }
    }
}

/// The placeholders a template may use, and what each is filled with:
///
/// - `case`: the case number (`2026-1122-000123`);
/// - `subject`: the case's subject;
/// - `contact`: the contact's name (the address when there is no name);
/// - `priority`: `P1`..`P4`;
/// - `priority_label`: the priority's word in the mail's language (`Critical`, `緊急`);
/// - `priority_meaning`: what the priority means (SPEC §2.2), in the mail's language;
/// - `first_response_due`: when the first response is due, in the site's zone;
/// - `next_update_due`: when the next response from support is due (the first response while
///   none was given, else the next update), in the site's zone;
/// - `status`: the case's status in the mail's language;
/// - `note`: the public note's text;
/// - `author`: who wrote the note (or changed the case);
/// - `rma`: the RMA number (`R21056835`);
/// - `part`: the RMA's part number;
/// - `return_due`: the date the defective unit is due back;
/// - `new_case_how`: how to open a case (the portal address or phone number);
/// - `desk`: the desk's name (the `from` display name).
///
/// A template writes a placeholder as `{name}` and a literal brace as `{{` or `}}`.
pub const PLACEHOLDERS: [&str; 16] = [
    "case",
    "subject",
    "contact",
    "priority",
    "priority_label",
    "priority_meaning",
    "first_response_due",
    "next_update_due",
    "status",
    "note",
    "author",
    "rma",
    "part",
    "return_due",
    "new_case_how",
    "desk",
];

/// The values a template's `{placeholders}` are filled with, by name (see [`PLACEHOLDERS`]).
pub type Vars = BTreeMap<&'static str, String>;

/// The templates in use: the shipped ones with the configured directory's overrides.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    texts: BTreeMap<(TemplateKind, MailLanguage), String>,
}

/// Why templates could not be loaded or filled.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// A template file could not be read.
    #[error("cannot read the mail template {path}: {detail}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        detail: String,
    },
    /// A template names a placeholder that does not exist, or one that has no value here.
    #[error("the mail template {template} uses {{{placeholder}}}, {detail}")]
    Placeholder {
        /// Which template (`acknowledgement.ja`).
        template: String,
        /// The placeholder's name.
        placeholder: String,
        /// Why it cannot be filled, and what is expected.
        detail: String,
    },
}

/// The shipped text of `kind` in `lang`.
fn shipped(kind: TemplateKind, lang: MailLanguage) -> &'static str {
    use MailLanguage::{En, Ja};
    use TemplateKind as K;
    match (kind, lang) {
        (K::Acknowledgement, En) => include_str!("templates/acknowledgement.en.txt"),
        (K::Acknowledgement, Ja) => include_str!("templates/acknowledgement.ja.txt"),
        (K::Note, En) => include_str!("templates/note.en.txt"),
        (K::Note, Ja) => include_str!("templates/note.ja.txt"),
        (K::PriorityChanged, En) => include_str!("templates/priority_changed.en.txt"),
        (K::PriorityChanged, Ja) => include_str!("templates/priority_changed.ja.txt"),
        (K::RmaIssued, En) => include_str!("templates/rma_issued.en.txt"),
        (K::RmaIssued, Ja) => include_str!("templates/rma_issued.ja.txt"),
        (K::Resolved, En) => include_str!("templates/resolved.en.txt"),
        (K::Resolved, Ja) => include_str!("templates/resolved.ja.txt"),
        (K::AutoClosed, En) => include_str!("templates/auto_closed.en.txt"),
        (K::AutoClosed, Ja) => include_str!("templates/auto_closed.ja.txt"),
        (K::NoNewCases, En) => include_str!("templates/no_new_cases.en.txt"),
        (K::NoNewCases, Ja) => include_str!("templates/no_new_cases.ja.txt"),
    }
}

/// Every language a template is written in.
const LANGUAGES: [MailLanguage; 2] = [MailLanguage::En, MailLanguage::Ja];

/// The name of a template: `acknowledgement.ja`.
fn template_name(kind: TemplateKind, lang: MailLanguage) -> String {
    format!("{}.{}", kind.name(), lang.as_str())
}

/// A piece of a template's text.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    /// Text written as is (a `{{` already made `{`).
    Text(&'a str),
    /// A `{placeholder}`.
    Placeholder(&'a str),
}

/// Splits `text` into literal text and placeholders; `Err` holds a malformed placeholder.
fn pieces(text: &str) -> Result<Vec<Piece<'_>>, (String, &'static str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        if at > 0 {
            out.push(Piece::Text(&rest[..at]));
        }
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("{{") {
            out.push(Piece::Text("{"));
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            out.push(Piece::Text("}"));
            rest = after;
        } else if let Some(after) = tail.strip_prefix('}') {
            // A lone closing brace cannot start anything: it is text.
            out.push(Piece::Text("}"));
            rest = after;
        } else {
            let inner = &tail[1..];
            let end = inner.find('}').filter(|end| {
                inner[..*end]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
            match end {
                Some(end) if end > 0 => {
                    out.push(Piece::Placeholder(&inner[..end]));
                    rest = &inner[end + 1..];
                }
                _ => {
                    let shown: String = inner.chars().take(20).take_while(|c| *c != '\n').collect();
                    return Err((
                        shown,
                        "an unclosed or malformed placeholder (write {{ for a brace)",
                    ));
                }
            }
        }
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

/// Checks that `text` uses only known placeholders, for the error naming `template`.
fn check(template: &str, text: &str) -> Result<(), TemplateError> {
    let pieces = pieces(text).map_err(|(placeholder, why)| TemplateError::Placeholder {
        template: template.to_owned(),
        placeholder,
        detail: why.to_owned(),
    })?;
    for piece in pieces {
        if let Piece::Placeholder(name) = piece
            && !PLACEHOLDERS.contains(&name)
        {
            return Err(TemplateError::Placeholder {
                template: template.to_owned(),
                placeholder: name.to_owned(),
                detail: format!(
                    "which is not a known placeholder; known: {}",
                    PLACEHOLDERS.join(", ")
                ),
            });
        }
    }
    Ok(())
}

impl Templates {
    /// The shipped templates, with the files of `dir` (if given) overriding them: a file
    /// `NAME.LANG.txt` (`acknowledgement.ja.txt`) replaces that template. Every template is
    /// checked here, so one with an unknown placeholder is refused at start, not at sending.
    pub fn load(dir: Option<&Path>) -> Result<Templates, TemplateError> {
        let mut texts = BTreeMap::new();
        for kind in TemplateKind::ALL {
            for lang in LANGUAGES {
                let name = template_name(kind, lang);
                let file = dir.map(|dir| dir.join(format!("{name}.txt")));
                let (text, shown) = match file.filter(|file| file.exists()) {
                    Some(file) => {
                        let text =
                            std::fs::read_to_string(&file).map_err(|err| TemplateError::Read {
                                path: file.display().to_string(),
                                detail: err.to_string(),
                            })?;
                        (text, file.display().to_string())
                    }
                    None => (shipped(kind, lang).to_owned(), name),
                };
                check(&shown, &text)?;
                texts.insert((kind, lang), text);
            }
        }
        Ok(Templates { texts })
    }

    /// The text of `kind` in `lang` with the placeholders filled from `vars`.
    pub fn render(
        &self,
        kind: TemplateKind,
        lang: MailLanguage,
        vars: &Vars,
    ) -> Result<String, TemplateError> {
        let template = template_name(kind, lang);
        let text = match self.texts.get(&(kind, lang)) {
            Some(text) => text.as_str(),
            // Templates::default() holds none: the shipped text, which is checked by the tests.
            None => shipped(kind, lang),
        };
        let pieces = pieces(text).map_err(|(placeholder, why)| TemplateError::Placeholder {
            template: template.clone(),
            placeholder,
            detail: why.to_owned(),
        })?;
        let mut out = String::with_capacity(text.len() + 256);
        for piece in pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Placeholder(name) => match vars.get(name) {
                    Some(value) => out.push_str(value),
                    None => {
                        return Err(TemplateError::Placeholder {
                            template,
                            placeholder: name.to_owned(),
                            detail: "which has no value for this mail".to_owned(),
                        });
                    }
                },
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value for every placeholder: `<name>`.
    fn all_vars() -> Vars {
        PLACEHOLDERS
            .iter()
            .map(|name| (*name, format!("<{name}>")))
            .collect()
    }

    /// A fresh, empty directory for one test's override files.
    fn scratch(test: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("casedesk-templates-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn every_shipped_template_says_what_its_mail_is_for() {
        use TemplateKind as K;
        // What each kind's mail must tell the contact (issue 16, SPEC §7).
        let needs: [(K, &[&str]); 7] = [
            (
                K::Acknowledgement,
                &[
                    "<case>",
                    "<priority>",
                    "<priority_meaning>",
                    "<first_response_due>",
                ],
            ),
            (K::Note, &["<case>", "<note>", "<author>"]),
            (
                K::PriorityChanged,
                &[
                    "<case>",
                    "<priority>",
                    "<priority_meaning>",
                    "<next_update_due>",
                ],
            ),
            (K::RmaIssued, &["<case>", "<rma>", "<part>", "<return_due>"]),
            (K::Resolved, &["<case>"]),
            (K::AutoClosed, &["<case>"]),
            (K::NoNewCases, &["<new_case_how>"]),
        ];
        let templates = Templates::load(None).unwrap();
        for (kind, needed) in needs {
            for lang in LANGUAGES {
                let text = templates.render(kind, lang, &all_vars()).unwrap();
                for want in needed {
                    assert!(
                        text.contains(want),
                        "{kind:?} {lang:?} lacks {want}:\n{text}"
                    );
                }
                assert!(
                    text.contains("<contact>"),
                    "{kind:?} {lang:?} greets nobody"
                );
                assert!(text.contains("<desk>"), "{kind:?} {lang:?} is not signed");
            }
        }
        let rma = |lang| templates.render(K::RmaIssued, lang, &all_vars()).unwrap();
        assert!(rma(MailLanguage::En).contains("on the outside of the box"));
        assert!(rma(MailLanguage::Ja).contains("10営業日以内"));
        assert!(rma(MailLanguage::Ja).contains("箱の外側にRMA番号"));
        let resolved = templates
            .render(K::Resolved, MailLanguage::Ja, &all_vars())
            .unwrap();
        assert!(resolved.contains("ケースを再開"), "{resolved}");
    }

    #[test]
    fn a_placeholder_without_a_value_is_named() {
        let mut vars = all_vars();
        vars.remove("rma");
        let err = Templates::load(None)
            .unwrap()
            .render(TemplateKind::RmaIssued, MailLanguage::Ja, &vars)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the mail template rma_issued.ja uses {rma}, which has no value for this mail"
        );
    }

    #[test]
    fn override_files_replace_the_shipped_text_and_braces_can_be_written() {
        let dir = scratch("override");
        std::fs::write(
            dir.join("note.en.txt"),
            "Hi {contact}, {{literal}} and }} stay.\n{note}\n",
        )
        .unwrap();
        let templates = Templates::load(Some(&dir)).unwrap();
        let mut vars = Vars::new();
        vars.insert("contact", "Ann".into());
        vars.insert("note", "Try the patch.".into());
        assert_eq!(
            templates
                .render(TemplateKind::Note, MailLanguage::En, &vars)
                .unwrap(),
            "Hi Ann, {literal} and } stay.\nTry the patch.\n"
        );
        // The other language and kinds keep the shipped text.
        let ja = templates
            .render(TemplateKind::Note, MailLanguage::Ja, &all_vars())
            .unwrap();
        assert!(ja.starts_with("<contact> 様"), "{ja}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_override_with_an_unknown_placeholder_is_refused_at_load() {
        let dir = scratch("unknown");
        std::fs::write(dir.join("resolved.ja.txt"), "{contact} 様\n{case_no}\n").unwrap();
        let err = Templates::load(Some(&dir)).unwrap_err();
        let file = dir.join("resolved.ja.txt").display().to_string();
        assert_eq!(
            err.to_string(),
            format!(
                "the mail template {file} uses {{case_no}}, which is not a known placeholder; \
                 known: case, subject, contact, priority, priority_label, priority_meaning, \
                 first_response_due, next_update_due, status, note, author, rma, part, \
                 return_due, new_case_how, desk"
            )
        );
        std::fs::write(dir.join("resolved.ja.txt"), "{contact 様\n").unwrap();
        let err = Templates::load(Some(&dir)).unwrap_err();
        assert!(
            matches!(&err, TemplateError::Placeholder { placeholder, .. } if placeholder == "contact 様"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
