//! One change for several cases (`cases set` and `cases note` with more than one number, or
//! `-` to read them from stdin): every number checked before anything is sent, each case
//! tried on its own, one line (or one JSON object) per case, and a failure exit status when
//! any was not done — after trying them all.

use std::io::Read;

use serde::Serialize;

use super::client::{GlobalArgs, Session, block_on};
use super::{CliError, write_out};
use crate::cache::PendingChange;
use crate::domain::CaseNumber;
use crate::sync::{SubmitMany, Submitted};

/// Whether a command runs in the several-cases form: more than one number, `-`, or `--json`
/// (one number without them keeps the single case's output, which scripts read).
pub(super) fn wanted(args: &[String], json: bool) -> bool {
    json || args.len() > 1 || args.iter().any(|a| a == "-")
}

/// The case numbers as given: `-` stands for the numbers on stdin (one per line or separated
/// by spaces; blank lines and `#` comments ignored). A malformed one is an error naming it;
/// a number given twice counts once.
pub(super) fn case_numbers(args: &[String], stdin: impl Read) -> Result<Vec<CaseNumber>, CliError> {
    let mut stdin = Some(stdin);
    let mut numbers: Vec<CaseNumber> = Vec::new();
    for arg in args {
        let read = if arg == "-" {
            let Some(mut input) = stdin.take() else {
                return Err(CliError::Usage(
                    "'-' is given twice: stdin can be read once".into(),
                ));
            };
            let mut text = String::new();
            input.read_to_string(&mut text).map_err(|e| {
                CliError::Usage(format!("cannot read case numbers from stdin: {e}"))
            })?;
            from_text(&text)?
        } else {
            vec![parse(arg, None)?]
        };
        for number in read {
            if !numbers.contains(&number) {
                numbers.push(number);
            }
        }
    }
    if numbers.is_empty() {
        return Err(CliError::Usage(
            "no case numbers on stdin: expected one per line or separated by spaces".into(),
        ));
    }
    Ok(numbers)
}

/// The numbers in a text, line by line, `#` to the end of a line being a comment.
fn from_text(text: &str) -> Result<Vec<CaseNumber>, CliError> {
    let mut numbers = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split_once('#').map_or(line, |(before, _)| before);
        for word in line.split_whitespace() {
            numbers.push(parse(word, Some(i + 1))?);
        }
    }
    Ok(numbers)
}

fn parse(text: &str, line: Option<usize>) -> Result<CaseNumber, CliError> {
    text.parse().map_err(|e: crate::domain::ParseError| {
        let at = line.map_or(String::new(), |n| format!(" (stdin line {n})"));
        CliError::Usage(format!(
            "{}{at}; nothing was sent",
            e.for_flag("case number")
        ))
    })
}

/// What became of one case.
#[derive(Debug, Serialize)]
struct CaseResult {
    /// The case.
    case: String,
    /// `done`, `queued` or `refused`.
    result: &'static str,
    /// Why it was refused, in the server's or the rule's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    /// The outbox entry it waits in (queued offline, or kept after a refusal).
    #[serde(skip_serializing_if = "Option::is_none")]
    outbox_id: Option<i64>,
}

impl CaseResult {
    fn line(&self) -> String {
        match (self.result, &self.reason, self.outbox_id) {
            ("queued", _, Some(id)) => format!("{} queued (outbox #{id})\n", self.case),
            (_, Some(why), _) => format!("{} {}: {why}\n", self.case, self.result),
            _ => format!("{} {}\n", self.case, self.result),
        }
    }
}

/// Makes `change_for`'s change on every case in turn, printing each case's line as it is
/// known (or, with `json`, an array of them at the end); an error when any was not done.
pub(super) fn each(
    global: &GlobalArgs,
    numbers: &[CaseNumber],
    json: bool,
    out: &mut dyn std::io::Write,
    change_for: impl Fn(&Session, &CaseNumber) -> Result<PendingChange, String>,
) -> Result<(), CliError> {
    let session = Session::open(global, false)?;
    let mut many = session.desk.submit_many();
    let mut results = Vec::new();
    for number in numbers {
        let result = match change_for(&session, number) {
            Ok(change) => submit(&mut many, number, change),
            Err(why) => refused(number, why, None),
        };
        if !json {
            write_out(out, &result.line())?;
        }
        results.push(result);
    }
    if json {
        let text = serde_json::to_string_pretty(&results)
            .map_err(|e| CliError::Failed(format!("cannot write JSON: {e}")))?;
        write_out(out, &format!("{text}\n"))?;
    }
    let failed = results.iter().filter(|r| r.result == "refused").count();
    if failed > 0 {
        return Err(CliError::Failed(format!(
            "{failed} of {} cases not changed (see the lines above)",
            results.len()
        )));
    }
    Ok(())
}

/// Sends one case's change (queued without dialling once the server is away).
fn submit(many: &mut SubmitMany<'_>, number: &CaseNumber, change: PendingChange) -> CaseResult {
    let sent = block_on(async {
        Ok(many
            .submit(number, std::slice::from_ref(&change), None)
            .await?)
    });
    let case = number.to_string();
    match sent.map(|mut outcomes| outcomes.pop()) {
        Ok(Some(Submitted::Sent) | None) => CaseResult {
            case,
            result: "done",
            reason: None,
            outbox_id: None,
        },
        Ok(Some(Submitted::Queued(id))) => CaseResult {
            case,
            result: "queued",
            reason: None,
            outbox_id: Some(id),
        },
        Ok(Some(kept)) => {
            let id = match kept {
                Submitted::Conflicted(id, _) | Submitted::Failed(id, _) => Some(id),
                _ => None,
            };
            // The server's words and what to do about it, as for one case.
            let why = super::cases::said(kept, "", "").err().unwrap_or_default();
            refused(number, why, id)
        }
        Err(e) => refused(number, e.to_string(), None),
    }
}

fn refused(number: &CaseNumber, why: String, outbox_id: Option<i64>) -> CaseResult {
    CaseResult {
        case: number.to_string(),
        result: "refused",
        reason: Some(crate::sanitize::clean(&why, true).into_owned()),
        outbox_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(args: &[&str], stdin: &str) -> Result<Vec<String>, String> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        case_numbers(&args, stdin.as_bytes())
            .map(|ns| ns.iter().map(ToString::to_string).collect())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn stdin_numbers_skip_blanks_and_comments_and_count_once() {
        let stdin = "# from the morning report\n2026-1120-000001\n\n20261120000002 2026-1120-000003 # P1s\n2026-1120-000001\n";
        assert_eq!(
            numbers(&["-"], stdin).unwrap(),
            ["2026-1120-000001", "2026-1120-000002", "2026-1120-000003"]
        );
    }

    #[test]
    fn a_malformed_number_is_named_with_its_line() {
        let e = numbers(&["-"], "2026-1120-000001\n2026-1120-00x002\n").unwrap_err();
        assert!(e.contains("'2026-1120-00x002'"), "{e}");
        assert!(e.contains("stdin line 2"), "{e}");
        let e = numbers(&["2026-1120-000001", "bogus"], "").unwrap_err();
        assert!(e.starts_with("invalid case number 'bogus'"), "{e}");
    }

    #[test]
    fn empty_stdin_is_an_error() {
        let e = numbers(&["-"], "# nothing\n\n").unwrap_err();
        assert!(e.contains("no case numbers"), "{e}");
    }
}
