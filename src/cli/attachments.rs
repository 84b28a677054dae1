//! `casedesk cases attach NUMBER FILE|-` and `casedesk attachment get ID [-o FILE]`.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use clap::Subcommand;

use super::client::{GlobalArgs, Session, block_on};
use super::{CliError, parse_flag, write_out};
use crate::api::client::UploadSource;
use crate::domain::CaseNumber;
use crate::domain::size::ByteSize;
use crate::sanitize::clean;
use crate::sync::{Attached, GotFile};
use crate::tui::attachments::free_path;

/// `casedesk attachment` subcommands.
#[derive(Debug, Subcommand)]
pub enum AttachmentCommand {
    /// Write an attachment's content: to FILE with -o (`-o -`: stdout), else to stdout when it
    /// is not a terminal, else to a file of its name in the current directory (never
    /// overwriting). Read from the cache when it holds the file, so it works offline.
    Get {
        /// The attachment's id (`casedesk cases show NUMBER` lists them).
        id: String,
        /// Where to write it; `-` is stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// `casedesk cases attach`: prints the new attachment's id alone on stdout; offline, queues
/// the file in the outbox, says so on stderr and prints nothing.
pub fn attach(
    number: &str,
    file: &Path,
    name: Option<String>,
    global: &GlobalArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let number: CaseNumber = parse_flag("case number", number)?;
    let stdin = file.as_os_str() == "-";
    let name = match (name, stdin) {
        (Some(n), _) => n,
        (None, true) => {
            return Err(CliError::Usage(
                "reading the file from stdin (-) needs --name NAME: the file name the case will show"
                    .into(),
            ));
        }
        (None, false) => file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    if name.trim().is_empty() {
        return Err(CliError::Usage(
            "the file name is empty: expected --name NAME".into(),
        ));
    }
    let source = if stdin {
        let mut content = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut content)
            .map_err(|e| CliError::Usage(format!("cannot read the file from stdin: {e}")))?;
        UploadSource::Bytes(Bytes::from(content))
    } else {
        let meta = std::fs::metadata(file).map_err(|e| {
            CliError::Usage(format!(
                "cannot read FILE '{}': {e}; expected a readable file, or - for stdin",
                file.display()
            ))
        })?;
        if !meta.is_file() {
            return Err(CliError::Usage(format!(
                "'{}' is not a file: expected a readable file, or - for stdin",
                file.display()
            )));
        }
        UploadSource::File(file.to_path_buf())
    };
    let session = Session::open(global, false)?;
    let attached = block_on(async {
        Ok(session
            .desk
            .attach(&number, source, name.trim(), None)
            .await?)
    })?;
    match attached {
        Attached::Sent(file) => write_out(out, &format!("{}\n", file.id)),
        Attached::Queued(id) => {
            eprintln!(
                "queued: the server cannot be reached; it will be sent by the next sync (outbox #{id}, `casedesk sync`)"
            );
            Ok(())
        }
    }
}

/// Runs an `attachment` subcommand.
pub fn run(
    cmd: AttachmentCommand,
    global: &GlobalArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match cmd {
        AttachmentCommand::Get { id, output } => get(&id, output.as_deref(), global, out),
    }
}

fn get(
    id: &str,
    output: Option<&Path>,
    global: &GlobalArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let id: i64 = id.trim().parse().ok().filter(|id| *id > 0).ok_or_else(|| {
        CliError::Usage(format!(
            "invalid attachment id '{id}': expected a positive number (`casedesk cases show NUMBER` lists them)"
        ))
    })?;
    let session = Session::open(global, false)?;
    let desk = &session.desk;
    let to_stdout = match output {
        Some(path) => path.as_os_str() == "-",
        None => !std::io::stdout().is_terminal(),
    };
    if to_stdout {
        let mut writer = SyncWriter(out);
        block_on(async { Ok(desk.attachment(id, &mut writer).await?) })?;
        return Ok(());
    }
    // Written beside its target first, so a failed transfer leaves no half file behind.
    let dir = match output {
        Some(path) => path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(".")),
        None => PathBuf::from("."),
    };
    let part = dir.join(format!(
        ".casedesk-attachment-{id}-{}.part",
        std::process::id()
    ));
    let got = block_on(async {
        let mut file = tokio::fs::File::create(&part)
            .await
            .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", part.display())))?;
        let got = desk.attachment(id, &mut file).await;
        if got.is_err() {
            drop(file);
            tokio::fs::remove_file(&part).await.ok();
        }
        Ok(got?)
    })?;
    let target = match output {
        Some(path) => path.to_path_buf(),
        None => free_path(&dir.join(file_name(&got, id)), |p| {
            p.symlink_metadata().is_ok()
        }),
    };
    std::fs::rename(&part, &target).map_err(|e| {
        std::fs::remove_file(&part).ok();
        CliError::Failed(format!("cannot write {}: {e}", target.display()))
    })?;
    if output.is_none() {
        eprintln!(
            "saved {} ({}){} as {}",
            clean(got.name.as_deref().unwrap_or("attachment"), true),
            ByteSize(got.size),
            if got.from_cache {
                " from the cache"
            } else {
                ""
            },
            target.display()
        );
    }
    Ok(())
}

/// The name to save a file under: its own, cleaned ([`crate::sanitize::file_name`]), else
/// `attachment-ID`.
fn file_name(got: &GotFile, id: i64) -> String {
    crate::sanitize::file_name(got.name.as_deref().unwrap_or_default())
        .unwrap_or_else(|| format!("attachment-{id}"))
}

/// A blocking writer (the command's stdout) for the desk's async download: the CLI runs on a
/// runtime of its own, so blocking here blocks nobody else.
struct SyncWriter<'a>(&'a mut dyn Write);

impl tokio::io::AsyncWrite for SyncWriter<'_> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Poll::Ready(self.0.write(buf))
    }

    fn poll_flush(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(self.0.flush())
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_names_lose_paths_and_control_characters() {
        let got = |name: &str| GotFile {
            name: Some(name.into()),
            size: 1,
            from_cache: false,
        };
        assert_eq!(file_name(&got("../../etc/passwd"), 3), "passwd");
        assert_eq!(
            file_name(&got("C:\\logs\\show tech.txt"), 3),
            "show tech.txt"
        );
        assert_eq!(file_name(&got(".."), 3), "attachment-3");
        assert!(!file_name(&got("a\u{1b}[31mb.log"), 3).contains('\u{1b}'));
    }
}
