//! A case's files in the TUI: attaching from a path (`A`, `:attach PATH`), the list (`F`,
//! `:files`), the text viewer over one, `$PAGER`, and saving one to disk. What touches files
//! or the desk is an [`Effect::Files`] carried out in `effects/attachments.rs`; the answers come
//! back as [`Msg::Files`](super::app::Msg::Files).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crossterm::event::KeyEvent;

use super::app::{App, Effect, ListKind, ListRow, ListView, Overlay};
use super::form::{Form, Purpose};
use super::keymap::{Command, ListAction, ListScope};
use super::viewer::{Viewer, ViewerKey};
use crate::api::Attachment;
use crate::domain::CaseNumber;
use crate::domain::size::ByteSize;
use crate::sanitize::clean;
use crate::term::text::{Lang, Say, Word};

/// Where paths are read from: set once by the runtime (the app itself reads no environment).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places {
    /// The directory casedesk was started in (relative paths are read from there).
    pub cwd: Option<PathBuf>,
    /// The home directory (`~`).
    pub home: Option<PathBuf>,
    /// `~/Downloads`, when it exists: where a saved file goes by default.
    pub downloads: Option<PathBuf>,
}

impl Places {
    /// The places of this process.
    pub fn here() -> Places {
        let home = std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        let downloads = home
            .as_ref()
            .map(|h| h.join("Downloads"))
            .filter(|d| d.is_dir());
        Places {
            cwd: std::env::current_dir().ok(),
            home,
            downloads,
        }
    }

    /// A typed path made whole: `~` is the home directory, a relative path is read from the
    /// directory casedesk was started in.
    pub fn expand(&self, typed: &str) -> PathBuf {
        let typed = typed.trim();
        let home_rest = match typed {
            "~" => Some(""),
            t => t.strip_prefix("~/"),
        };
        if let (Some(rest), Some(home)) = (home_rest, &self.home) {
            return home.join(rest);
        }
        let path = Path::new(typed);
        match &self.cwd {
            Some(cwd) if path.is_relative() => cwd.join(path),
            _ => path.to_path_buf(),
        }
    }

    /// What the attach form starts with: the current directory and a slash.
    fn start_dir(&self) -> String {
        self.cwd.as_ref().map_or_else(String::new, |d| {
            let d = d.display().to_string();
            if d.ends_with('/') { d } else { format!("{d}/") }
        })
    }

    /// Where a file is saved by default: `~/Downloads` if it exists, else the current
    /// directory, with the file's name.
    pub fn save_default(&self, name: &str) -> PathBuf {
        let dir = self.downloads.as_ref().or(self.cwd.as_ref());
        dir.map_or_else(|| PathBuf::from(name), |d| d.join(name))
    }
}

/// What the app keeps of a case's files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFiles {
    /// Where typed paths are read from.
    pub places: Places,
    /// The files of the list last shown, for its row keys.
    pub listed: Vec<Attachment>,
    /// The files list under the viewer: closing the viewer comes back to it.
    pub under: Option<ListView>,
}

/// Work on files for the effects (`effects/attachments.rs`).
#[derive(Debug, Clone, PartialEq)]
pub enum FileWork {
    /// Attach the file at `path` to a case, under `name` (else the file's own): checked to be
    /// a readable file first; uploaded, or queued in the outbox offline.
    Attach {
        /// The case.
        number: CaseNumber,
        /// The file (made whole).
        path: PathBuf,
        /// The name to give it, when not the file's own.
        name: Option<String>,
    },
    /// Read a case's files and which of them the cache keeps offline.
    List(CaseNumber),
    /// Fetch a file to view: text opens in the viewer, anything else is offered for saving.
    View(Attachment),
    /// Fetch a file to read in `$PAGER`.
    Page(Attachment),
    /// Fetch a file and write it to `path` (a free name next to it when that exists).
    Save(Attachment, PathBuf),
    /// Show these bytes in `$PAGER` under this name (done by the event loop, which gives the
    /// terminal to the pager meanwhile).
    Pager(String, Arc<Vec<u8>>),
}

/// What the effects answer about files.
#[derive(Debug)]
pub enum Arrived {
    /// A case's files, and the ids of those the cache keeps offline.
    Listed(CaseNumber, Vec<Attachment>, Vec<i64>),
    /// A text file, read for the viewer.
    Text(Box<Viewer>),
    /// A file that is not text: offered for saving.
    Binary(Attachment),
    /// A file's bytes for `$PAGER`.
    ForPager(String, Arc<Vec<u8>>),
    /// The file to attach is not a readable file: the form comes back with why.
    Refused {
        /// The case.
        number: CaseNumber,
        /// The path as typed.
        path: String,
        /// The name as typed.
        name: String,
        /// Why, in words.
        why: String,
    },
    /// A file was attached (or queued): what to say; the case is read again.
    Attached(CaseNumber, String),
}

/// `A` or `:attach [PATH]`: with a path, attaches it; without, asks for one.
pub fn attach(app: &mut App, arg: &str) -> Vec<Effect> {
    let lang = app.lang();
    let Some(number) = app.current().map(|c| c.number) else {
        app.notice(lang.say(Say::NoCaseSelected), true);
        return Vec::new();
    };
    if !arg.trim().is_empty() {
        let path = app.files.places.expand(arg);
        return vec![Effect::Files(FileWork::Attach {
            number,
            path,
            name: None,
        })];
    }
    let start = app.files.places.start_dir();
    app.overlay = Some(Overlay::Form(attach_form(lang, number, &start, "")));
    Vec::new()
}

/// The attach form: the path (pre-filled), and a name to give the file (optional).
fn attach_form(lang: Lang, number: CaseNumber, path: &str, name: &str) -> Form {
    Form::new(
        lang.form_title(Word::AttachTitle, &number.to_string(), None),
        Purpose::Attach(number),
    )
    .line("path", lang.word(Word::AttachPath), path)
    .line("name", lang.word(Word::AttachName), name)
}

/// The attach form was sent: the path is required and must name a file, not a directory
/// (whether it exists and can be read is checked by the effect, before anything is queued).
pub fn submit_attach(app: &App, number: CaseNumber, form: &Form) -> Result<Vec<Effect>, String> {
    let lang = app.lang();
    let typed = form.value("path");
    if typed.is_empty() || typed.ends_with('/') {
        return Err(lang.say(Say::Required(lang.word(Word::FileWhat))));
    }
    let name = form.value("name");
    Ok(vec![Effect::Files(FileWork::Attach {
        number,
        path: app.files.places.expand(&typed),
        name: (!name.is_empty()).then_some(name),
    })])
}

/// `F` or `:files`: the selected case's files, read from the cache.
pub fn files(app: &mut App) -> Vec<Effect> {
    let Some(number) = app.current().map(|c| c.number) else {
        app.notice(app.lang().say(Say::NoCaseSelected), true);
        return Vec::new();
    };
    vec![Effect::Files(FileWork::List(number))]
}

/// What the effects answered: the work it calls for, or a case's files list for the app to
/// show.
pub fn arrived(app: &mut App, arrived: Arrived) -> Result<Vec<Effect>, ListView> {
    let lang = app.lang();
    let effects = match arrived {
        Arrived::Listed(number, files, cached) => {
            if files.is_empty() {
                app.notice(lang.say(Say::NoFiles(&number.to_string())), false);
                return Ok(Vec::new());
            }
            let list = list_view(app, number, &files, &cached);
            app.files.listed = files;
            return Err(list);
        }
        Arrived::Text(viewer) => {
            if matches!(app.overlay, None | Some(Overlay::List(_))) {
                app.files.under = match app.overlay.take() {
                    Some(Overlay::List(list)) if list.kind == ListKind::Files => Some(list),
                    _ => None,
                };
                app.overlay = Some(Overlay::Viewer(viewer));
            } else {
                let said = lang.say(Say::ArrivedWhileBusy(&viewer.name));
                app.notice(said, false);
            }
            Vec::new()
        }
        Arrived::Binary(file) => {
            app.notice(lang.say(Say::NotText(&clean(&file.name, true))), false);
            save_form(app, &file);
            Vec::new()
        }
        Arrived::ForPager(name, bytes) => vec![Effect::Files(FileWork::Pager(name, bytes))],
        Arrived::Refused {
            number,
            path,
            name,
            why,
        } => {
            let mut form = attach_form(lang, number, &path, &name);
            form.error = Some(why);
            if app.overlay.is_none() {
                app.overlay = Some(Overlay::Form(form));
            } else {
                app.notice(form.error.unwrap_or_default(), true);
            }
            Vec::new()
        }
        Arrived::Attached(number, said) => {
            app.notice(said, false);
            match &app.opened {
                Some(o) if o.number == number => vec![Effect::LoadCase(number, true)],
                _ => Vec::new(),
            }
        }
    };
    Ok(effects)
}

/// The files list: name, size, type, who added it and when, and whether it is kept offline.
fn list_view(app: &App, number: CaseNumber, files: &[Attachment], cached: &[i64]) -> ListView {
    let lang = app.lang();
    let text = |t: &str| clean(t, true).into_owned();
    let rows = files
        .iter()
        .map(|f| ListRow {
            cells: vec![
                text(&f.name),
                ByteSize(f.size).to_string(),
                // Beside the size: whether it can be read offline is what a narrow screen
                // must still say.
                if cached.contains(&f.id) {
                    lang.word(Word::KeptOffline).to_string()
                } else {
                    "-".to_string()
                },
                text(&f.content_type),
                text(&f.added_by),
                f.added_at
                    .map_or_else(String::new, |at| app.settings.zone.short(at, app.now)),
            ],
            case: None,
            id: Some(f.id),
            role: None,
        })
        .collect();
    ListView {
        kind: ListKind::Files,
        title: format!(
            "{} — {number} ({})",
            lang.word(Word::FilesTitle),
            files.len()
        ),
        header: [
            Word::ColFile,
            Word::ColSize,
            Word::ColOffline,
            Word::ColType,
            Word::ColAddedBy,
            Word::ColAdded,
        ]
        .map(|w| lang.word(w).to_string())
        .to_vec(),
        rows,
        selected: 0,
        hint: lang.word(Word::HintFiles).into(),
    }
}

/// A key in the files list: Enter views, the save and pager keys act on the selected file.
/// Gives the list back for the common keys (move, close) otherwise.
pub fn list_key(app: &mut App, list: ListView, key: &KeyEvent) -> Result<Vec<Effect>, ListView> {
    let action = app.settings.keys.list_action(ListScope::Files, key);
    let open = app.settings.keys.command(key) == Some(Command::Open);
    if action.is_none() && !open {
        return Err(list);
    }
    let id = list.rows.get(list.selected).and_then(|r| r.id);
    let Some(file) = app.files.listed.iter().find(|f| Some(f.id) == id).cloned() else {
        app.overlay = Some(Overlay::List(list));
        return Ok(Vec::new());
    };
    // The list stays under what it opens: closing the viewer comes back to it.
    app.overlay = Some(Overlay::List(list));
    Ok(match action {
        Some(ListAction::SaveFile) => {
            save_form(app, &file);
            Vec::new()
        }
        Some(ListAction::PageFile) => vec![Effect::Files(FileWork::Page(file))],
        _ => vec![Effect::Files(FileWork::View(file))],
    })
}

/// A key in the viewer.
pub fn viewer_key(app: &mut App, mut viewer: Box<Viewer>, key: &KeyEvent) -> Vec<Effect> {
    let file = app.files.listed.iter().find(|f| f.id == viewer.id).cloned();
    match viewer.key(key, &app.settings.keys) {
        ViewerKey::Stay => {
            app.overlay = Some(Overlay::Viewer(viewer));
            Vec::new()
        }
        ViewerKey::Close => {
            // Back to the files list it was opened from.
            app.overlay = app.files.under.take().map(Overlay::List);
            Vec::new()
        }
        ViewerKey::Save => match file {
            Some(file) => {
                save_form(app, &file);
                Vec::new()
            }
            None => {
                app.overlay = Some(Overlay::Viewer(viewer));
                Vec::new()
            }
        },
        ViewerKey::Pager => {
            let bytes = Arc::new(viewer.lines.join("\n").into_bytes());
            let name = viewer.name.clone();
            app.overlay = Some(Overlay::Viewer(viewer));
            vec![Effect::Files(FileWork::Pager(name, bytes))]
        }
    }
}

/// The save form: where to (default `~/Downloads` or the current directory, + the name).
fn save_form(app: &mut App, file: &Attachment) {
    let lang = app.lang();
    let name = crate::sanitize::clean(&file.name, true).into_owned();
    let path = app.files.places.save_default(&name).display().to_string();
    let mut form = Form::new(
        format!(
            "{} — {name} ({})",
            lang.word(Word::SaveTitle),
            ByteSize(file.size)
        ),
        Purpose::SaveFile(file.id),
    )
    .line("path", lang.word(Word::SavePath), &path);
    form.info = vec![(
        lang.word(Word::SaveNeverOverwrites).to_string(),
        crate::term::theme::Role::Muted,
    )];
    app.overlay = Some(Overlay::Form(form));
}

/// The save form was sent.
pub fn submit_save(app: &App, id: i64, form: &Form) -> Result<Vec<Effect>, String> {
    let lang = app.lang();
    let typed = form.value("path");
    if typed.is_empty() {
        return Err(lang.say(Say::Required(lang.word(Word::SaveWhere))));
    }
    let Some(file) = app.files.listed.iter().find(|f| f.id == id).cloned() else {
        return Err(lang.say(Say::NoFiles("-")));
    };
    Ok(vec![Effect::Files(FileWork::Save(
        file,
        app.files.places.expand(&typed),
    ))])
}

/// Whether a file is text by its type or name (logs, configs, `show tech`): what is not may
/// still be, when its bytes read as UTF-8 (see [`crate::sanitize::looks_like_text`]).
pub fn is_text_type(content_type: &str, name: &str) -> bool {
    let t = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let by_type = t.starts_with("text/")
        || ["json", "xml", "yaml", "toml", "javascript", "x-sh", "csv"]
            .iter()
            .any(|k| t.starts_with("application/") && t.contains(k));
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let by_name = [
        "txt", "log", "cfg", "conf", "ini", "json", "xml", "yaml", "yml", "toml", "csv", "md",
        "out", "diff", "patch",
    ]
    .contains(&ext.as_str());
    by_type || by_name
}

/// A path next to `path` that does not exist yet: `path` itself, else `name (1).ext`,
/// `name (2).ext`… (`exists` is asked; nothing is overwritten silently).
pub fn free_path(path: &Path, exists: impl Fn(&Path) -> bool) -> PathBuf {
    if !exists(path) {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (1..)
        .map(|n| path.with_file_name(format!("{stem} ({n}){ext}")))
        .find(|p| !exists(p))
        .unwrap_or_else(|| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::app::Msg;
    use crossterm::event::KeyCode;

    fn file(id: i64, name: &str, content_type: &str, size: u64) -> Attachment {
        Attachment {
            id,
            name: name.into(),
            size,
            content_type: content_type.into(),
            sha256: String::new(),
            added_by: "kim".into(),
            added_at: Some("2026-11-24T04:30:00Z".parse().unwrap()),
            note_id: None,
        }
    }

    fn number() -> CaseNumber {
        "2026-1124-000101".parse().unwrap()
    }

    fn places() -> Places {
        Places {
            cwd: Some("/work/logs".into()),
            home: Some("/home/kim".into()),
            downloads: Some("/home/kim/Downloads".into()),
        }
    }

    fn listed(app: &mut App) {
        let files = vec![
            file(3, "show-tech.txt", "text/plain", 2_516_582),
            file(4, "capture.pcap", "application/vnd.tcpdump.pcap", 40_000),
        ];
        app.update(Msg::Files(Arrived::Listed(number(), files, vec![3])));
    }

    fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
        app.update(Msg::Key(KeyEvent::from(code)))
    }

    #[test]
    fn paths_expand_home_and_the_start_directory() {
        let p = places();
        assert_eq!(p.expand("~/x.log"), PathBuf::from("/home/kim/x.log"));
        assert_eq!(p.expand("x.log"), PathBuf::from("/work/logs/x.log"));
        assert_eq!(p.expand("/tmp/x.log"), PathBuf::from("/tmp/x.log"));
        assert_eq!(p.start_dir(), "/work/logs/");
        assert_eq!(
            p.save_default("a.bin"),
            PathBuf::from("/home/kim/Downloads/a.bin")
        );
        let no_downloads = Places {
            downloads: None,
            ..places()
        };
        assert_eq!(
            no_downloads.save_default("a.bin"),
            PathBuf::from("/work/logs/a.bin")
        );
    }

    #[test]
    fn a_taken_name_gets_a_number_before_its_extension() {
        let taken = ["/d/a.log", "/d/a (1).log"];
        let exists = |p: &Path| taken.iter().any(|t| Path::new(t) == p);
        assert_eq!(
            free_path(Path::new("/d/a.log"), exists),
            PathBuf::from("/d/a (2).log")
        );
        assert_eq!(
            free_path(Path::new("/d/b.log"), exists),
            PathBuf::from("/d/b.log")
        );
    }

    #[test]
    fn text_is_told_by_type_name_or_bytes() {
        assert!(is_text_type("text/plain; charset=utf-8", "x"));
        assert!(is_text_type("application/json", "x"));
        assert!(is_text_type("application/octet-stream", "router.log"));
        assert!(!is_text_type("application/octet-stream", "capture.pcap"));
    }

    #[test]
    fn the_attach_form_starts_in_the_current_directory_and_sends_the_whole_path() {
        let mut app = crate::tui::app::tests::app();
        app.files.places = places();
        assert_eq!(press(&mut app, KeyCode::Char('A')), Vec::new());
        let Some(Overlay::Form(form)) = &app.overlay else {
            panic!("no attach form: {:?}", app.overlay);
        };
        assert_eq!(form.value("path"), "/work/logs/");
        // The directory alone is refused in the form.
        press(&mut app, KeyCode::Enter);
        assert_eq!(press(&mut app, KeyCode::Enter), Vec::new());
        let Some(Overlay::Form(form)) = &app.overlay else {
            panic!("the form went away");
        };
        assert!(
            form.error
                .as_deref()
                .is_some_and(|e| e.contains("required"))
        );
        press(&mut app, KeyCode::BackTab);
        for c in "show-tech.txt".chars() {
            press(&mut app, KeyCode::Char(c));
        }
        let number = app.current().map(|c| c.number).unwrap();
        press(&mut app, KeyCode::Enter);
        assert_eq!(
            press(&mut app, KeyCode::Enter),
            vec![Effect::Files(FileWork::Attach {
                number,
                path: "/work/logs/show-tech.txt".into(),
                name: None,
            })]
        );
        // The file could not be read: the form is back with why.
        app.update(Msg::Files(Arrived::Refused {
            number,
            path: "/work/logs/show-tech.txt".into(),
            name: String::new(),
            why: "/work/logs/show-tech.txt: no such file".into(),
        }));
        let Some(Overlay::Form(form)) = &app.overlay else {
            panic!("the form did not come back");
        };
        assert_eq!(form.value("path"), "/work/logs/show-tech.txt");
        assert!(
            form.error
                .as_deref()
                .is_some_and(|e| e.contains("no such file"))
        );
    }

    #[test]
    fn the_files_list_views_saves_and_pages_the_selected_file() {
        let mut app = crate::tui::app::tests::app();
        app.files.places = places();
        listed(&mut app);
        let Some(Overlay::List(list)) = &app.overlay else {
            panic!("no list: {:?}", app.overlay);
        };
        assert_eq!(list.kind, ListKind::Files);
        assert_eq!(list.rows[0].cells[1], "2.4 MiB");
        assert_eq!(list.rows[0].cells[2], "kept");
        assert_eq!(list.rows[1].cells[2], "-");
        let effects = press(&mut app, KeyCode::Enter);
        assert!(
            matches!(&effects[..], [Effect::Files(FileWork::View(f))] if f.id == 3),
            "{effects:?}"
        );
        press(&mut app, KeyCode::Char('j'));
        let effects = press(&mut app, KeyCode::Char('o'));
        assert!(matches!(&effects[..], [Effect::Files(FileWork::Page(f))] if f.id == 4));
        assert_eq!(press(&mut app, KeyCode::Char('s')), Vec::new());
        let Some(Overlay::Form(form)) = &app.overlay else {
            panic!("no save form");
        };
        assert_eq!(form.value("path"), "/home/kim/Downloads/capture.pcap");
        let effects = press(&mut app, KeyCode::Enter);
        assert!(matches!(
            &effects[..],
            [Effect::Files(FileWork::Save(f, p))]
                if f.id == 4 && p == Path::new("/home/kim/Downloads/capture.pcap")
        ));
    }

    #[test]
    fn a_text_file_opens_the_viewer_and_closing_it_goes_back_to_the_list() {
        let mut app = crate::tui::app::tests::app();
        listed(&mut app);
        let text = "one\ntwo ERROR\nthree\n";
        let viewer = Viewer::new(3, "show-tech.txt", text.as_bytes(), text.len() as u64);
        app.update(Msg::Files(Arrived::Text(Box::new(viewer))));
        assert!(matches!(app.overlay, Some(Overlay::Viewer(_))));
        for c in "/error".chars() {
            press(&mut app, KeyCode::Char(c));
        }
        press(&mut app, KeyCode::Enter);
        let Some(Overlay::Viewer(v)) = &app.overlay else {
            panic!("viewer gone");
        };
        assert_eq!(v.count(), Some((1, 1)));
        let effects = press(&mut app, KeyCode::Char('|'));
        assert!(
            matches!(&effects[..], [Effect::Files(FileWork::Pager(n, _))] if n == "show-tech.txt")
        );
        press(&mut app, KeyCode::Esc);
        assert!(
            matches!(&app.overlay, Some(Overlay::List(l)) if l.kind == ListKind::Files),
            "{:?}",
            app.overlay
        );
    }

    #[test]
    fn a_binary_file_asks_where_to_save_it() {
        let mut app = crate::tui::app::tests::app();
        app.files.places = places();
        listed(&mut app);
        app.update(Msg::Files(Arrived::Binary(file(
            4,
            "capture.pcap",
            "application/octet-stream",
            40_000,
        ))));
        assert!(
            matches!(&app.overlay, Some(Overlay::Form(f)) if f.purpose == Purpose::SaveFile(4))
        );
        assert!(
            app.message
                .as_ref()
                .is_some_and(|m| m.text.contains("capture.pcap is not text")),
            "{:?}",
            app.message
        );
    }
}
