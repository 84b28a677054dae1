//! A case's files on the desk: attaching one from a path (checked to be a readable file before
//! anything is sent or queued), the list with what the cache keeps offline, fetching one to
//! view, page or save, and `$PAGER` itself (run by the event loop with the screen given up).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Context;
use crate::api::Attachment;
use crate::api::client::UploadSource;
use crate::domain::CaseNumber;
use crate::domain::size::ByteSize;
use crate::sanitize::clean;
use crate::sanitize::looks_like_text;
use crate::sync::Attached;
use crate::term::text::{Lang, Say, Word};
use crate::tui::app::Msg;
use crate::tui::attachments::{Arrived, FileWork, free_path, is_text_type};
use crate::tui::failure::{Failure, Fetch};
use crate::tui::viewer::Viewer;

/// Starts work on files in the background (the pager is the event loop's: nothing here).
pub(super) fn perform(cx: Context, work: FileWork) {
    match work {
        FileWork::Attach { number, path, name } => {
            tokio::spawn(async move { attach(&cx, number, path, name).await });
        }
        FileWork::List(number) => {
            tokio::spawn(async move { list(&cx, number).await });
        }
        FileWork::View(file) => {
            tokio::spawn(async move { view(&cx, file).await });
        }
        FileWork::Page(file) => {
            tokio::spawn(async move {
                if let Some(bytes) = fetch(&cx, &file).await {
                    let name = clean(&file.name, true).into_owned();
                    cx.send(Msg::Files(Arrived::ForPager(name, Arc::new(bytes))));
                }
            });
        }
        FileWork::Save(file, path) => {
            tokio::spawn(async move { save(&cx, file, path).await });
        }
        FileWork::Pager(..) => {}
    }
}

/// Why a path cannot be attached, in words, or `None` when it is a readable file.
fn unreadable(lang: Lang, path: &Path) -> Option<String> {
    let why = match std::fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => lang.word(Word::NoSuchFile).to_string(),
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            lang.word(Word::NotReadable).to_string()
        }
        Err(e) => e.to_string(),
        Ok(m) if m.is_dir() => lang.word(Word::IsADirectory).to_string(),
        Ok(_) => match std::fs::File::open(path) {
            Ok(_) => return None,
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                lang.word(Word::NotReadable).to_string()
            }
            Err(e) => e.to_string(),
        },
    };
    Some(lang.say(Say::CannotAttach(&path.display().to_string(), &why)))
}

async fn attach(cx: &Context, number: CaseNumber, path: PathBuf, name: Option<String>) {
    let lang = cx.lang;
    let checked = path.clone();
    let refused = tokio::task::spawn_blocking(move || unreadable(lang, &checked))
        .await
        .unwrap_or_else(|e| Some(e.to_string()));
    if let Some(why) = refused {
        cx.send(Msg::Files(Arrived::Refused {
            number,
            path: path.display().to_string(),
            name: name.unwrap_or_default(),
            why,
        }));
        return;
    }
    let name = name.unwrap_or_else(|| {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_string())
    });
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    let shown = clean(&name, true).into_owned();
    let result = cx
        .desk
        .attach(&number, UploadSource::File(path), &name, None)
        .await;
    let case = number.to_string();
    match result {
        Ok(Attached::Sent(file)) => {
            let said = lang.say(Say::Attached(
                &clean(&file.name, true),
                &ByteSize(file.size).to_string(),
                &case,
            ));
            cx.send(Msg::Files(Arrived::Attached(number, said)));
        }
        Ok(Attached::Queued(_)) => {
            let said = lang.say(Say::AttachQueued(
                &shown,
                &ByteSize(size).to_string(),
                &case,
            ));
            cx.send(Msg::Files(Arrived::Attached(number, said)));
            // The status bar counts the new outbox entry.
            cx.reload.notify_one();
        }
        Err(e) => cx.send(Msg::Said(Err(Failure::Fetch(Fetch::File(shown), e)))),
    }
}

async fn list(cx: &Context, number: CaseNumber) {
    let desk = cx.desk.clone();
    let read = tokio::task::spawn_blocking(move || {
        let cache = desk.cache();
        let files = cache.detail(&number)?.map(|d| d.case.attachments);
        let cached = cache.cached_file_ids(&number)?;
        Ok::<_, crate::cache::CacheError>((files.unwrap_or_default(), cached))
    })
    .await;
    match read {
        Ok(Ok((files, cached))) => cx.send(Msg::Files(Arrived::Listed(number, files, cached))),
        Ok(Err(e)) => cx.send(Msg::Said(Err(Failure::CacheUnreadable(e.into())))),
        Err(_) => {}
    }
}

/// A file's bytes, from the cache or the server; a failure is said and gives `None`.
async fn fetch(cx: &Context, file: &Attachment) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    match cx.desk.attachment(file.id, &mut bytes).await {
        Ok(_) => Some(bytes),
        Err(e) => {
            let name = clean(&file.name, true).into_owned();
            cx.send(Msg::Said(Err(Failure::Fetch(Fetch::File(name), e))));
            None
        }
    }
}

async fn view(cx: &Context, file: Attachment) {
    let Some(bytes) = fetch(cx, &file).await else {
        return;
    };
    // Splitting and cleaning 50 MiB of log is work for a thread, not the event loop.
    let read = tokio::task::spawn_blocking(move || {
        if is_text_type(&file.content_type, &file.name) || looks_like_text(&bytes) {
            let size = file.size.max(bytes.len() as u64);
            Arrived::Text(Box::new(Viewer::new(file.id, &file.name, &bytes, size)))
        } else {
            Arrived::Binary(file)
        }
    })
    .await;
    if let Ok(arrived) = read {
        cx.send(Msg::Files(arrived));
    }
}

async fn save(cx: &Context, file: Attachment, path: PathBuf) {
    let lang = cx.lang;
    let name = clean(&file.name, true).into_owned();
    // A directory means "in there, under the file's name".
    let path = if path.is_dir() {
        path.join(&name)
    } else {
        path
    };
    let target = free_path(&path, |p| p.exists());
    let shown = target.display().to_string();
    // Never over what is there (even one written since the free name was chosen).
    let opened = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .await;
    let mut out = match opened {
        Ok(f) => f,
        Err(e) => {
            let said = lang.say(Say::CannotSave(&shown, &e.to_string()));
            cx.send(Msg::Said(Err(Failure::Words(said))));
            return;
        }
    };
    match cx.desk.attachment(file.id, &mut out).await {
        Ok(_) => cx.send(Msg::Said(Ok(lang.say(Say::FileSaved(&name, &shown))))),
        Err(e) => {
            drop(out);
            let _ = tokio::fs::remove_file(&target).await;
            cx.send(Msg::Said(Err(Failure::Fetch(Fetch::File(name), e))));
        }
    }
}

/// Shows `bytes` in `$PAGER` (default `less`) through a private temporary file named after
/// the attachment; returns the pager's failure in words.
pub fn page_externally(lang: Lang, name: &str, bytes: &[u8]) -> Result<(), String> {
    use crate::tui::external::{PrivateFile, program_from, run_on};
    let pager = program_from(&["PAGER"], "less");
    let failed = |why: String| lang.say(Say::PagerFailed(&pager, &why));
    let file = PrivateFile::create(name, bytes).map_err(|e| failed(e.to_string()))?;
    match run_on(&pager, file.path()) {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(failed(s.to_string())),
        Err(e) => Err(failed(e.to_string())),
    }
}
