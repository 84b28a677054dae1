//! What the suites that need an outside system (mail, Request Tracker) share: the test binary's
//! name, and the record of each test that ran, so CI can fail a suite that skipped itself.

use std::io::Write;
use std::path::PathBuf;

/// The running test binary's name, without cargo's `-HASH`.
pub fn test_file() -> String {
    let exe = std::env::current_exe().unwrap_or_default();
    let stem = exe
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    stem.rsplit_once('-')
        .map(|(n, _)| n.to_string())
        .unwrap_or(stem)
}

/// Appends the running test's name to the file named by the environment variable `var`
/// (`CASEDESK_MAIL_RAN`, `CASEDESK_RT_RAN`), if set; `suite` names it in a failure.
pub fn record_run(var: &str, suite: &str) {
    let Some(file) = std::env::var_os(var) else {
        return;
    };
    let test = std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_string();
    let line = format!("{} {test}\n", test_file());
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&file)
        .and_then(|mut f| f.write_all(line.as_bytes()));
    if let Err(e) = written {
        panic!(
            "cannot record the {suite} test in {}: {e}",
            PathBuf::from(file).display()
        );
    }
}
