//! The layering rules of docs/ARCHITECTURE.md, checked on the source: which module may use which,
//! and no I/O where the apps update their state or draw.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What each top-level module may use besides itself (`crate::NAME`), outside its tests.
const MAY_USE: &[(&str, &[&str])] = &[
    ("domain", &[]),
    ("sla", &["domain"]),
    ("sanitize", &[]),
    ("linebreak", &[]),
    ("sqlite", &[]),
    ("config", &["sla", "domain"]),
    ("api", &["domain", "sla", "config", "sanitize"]),
    // The Request Tracker adapter answers in the API's types; the port holds both adapters.
    ("rt", &["domain", "sla", "api", "config", "sanitize"]),
    ("backend", &["domain", "api", "config", "rt"]),
    ("server", &["domain", "sla", "api", "sqlite", "sanitize"]),
    (
        "cache",
        &["domain", "sla", "api", "config", "sqlite", "sanitize"],
    ),
    (
        "sync",
        &[
            "domain", "sla", "api", "config", "cache", "sanitize", "backend",
        ],
    ),
    (
        "term",
        &[
            "domain",
            "sla",
            "api",
            "config",
            "cache",
            "sanitize",
            "linebreak",
        ],
    ),
    (
        "tui",
        &[
            "domain",
            "sla",
            "api",
            "config",
            "cache",
            "sync",
            "term",
            "sanitize",
            "linebreak",
        ],
    ),
    (
        "wallboard",
        &[
            "domain",
            "sla",
            "api",
            "config",
            "cache",
            "sync",
            "term",
            "sanitize",
            "linebreak",
        ],
    ),
];

/// Files where an app turns messages into state or draws it: they must do no I/O.
const PURE: &[&str] = &["src/tui/app.rs", "src/tui/ui", "src/wallboard/ui.rs"];

/// Paths that mean I/O (files, network, processes, databases, the async runtime).
const IO: &[&str] = &[
    "std::fs",
    "std::net",
    "std::process",
    "tokio::",
    "reqwest",
    "rusqlite",
    "File::open",
    "File::create",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's text before its first `#[cfg(test)]`: tests may reach across layers.
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match text.find("#[cfg(test)]") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// Each top-level module a `crate::` path names, with where: `crate::a::…` and every item of a
/// group, `crate::{a::…, b}`.
fn uses(code: &str) -> Vec<(usize, String)> {
    let ident = |text: &str| -> String {
        text.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item_start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        found.push((at, ident(&group[item_start..i])));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.push((at, ident(&group[item_start..i])));
                        item_start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            found.push((at, ident(rest)));
        }
    }
    found.retain(|(_, used)| !used.is_empty());
    found
}

fn module_of(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root.join("src")).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

#[test]
fn each_layer_uses_only_the_layers_beneath_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules: BTreeMap<&str, &[&str]> = MAY_USE.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut broken = Vec::new();
    for path in &files {
        let Some(module) = module_of(root, path) else {
            continue;
        };
        let Some(allowed) = rules.get(module.as_str()) else {
            continue;
        };
        let code = code_of(path);
        for (at, used) in uses(&code) {
            if used != module && !allowed.contains(&used.as_str()) {
                let line = code[..at].lines().count();
                broken.push(format!("{}:{line} uses crate::{used}", path.display()));
            }
        }
    }
    assert!(broken.is_empty(), "layering broken:\n{}", broken.join("\n"));
}

#[test]
fn updates_and_drawing_do_no_io() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for pure in PURE {
        let path = root.join(pure);
        if path.is_dir() {
            rust_files(&path, &mut files);
        } else {
            files.push(path);
        }
    }
    let mut broken = Vec::new();
    for path in &files {
        let code = code_of(path);
        for io in IO {
            if let Some(at) = code.find(io) {
                let line = code[..at].lines().count();
                broken.push(format!("{}:{line} uses {io}", path.display()));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "I/O where state is updated or drawn:\n{}",
        broken.join("\n")
    );
}
