//! The client's files hold customer data (issue 13 item 5): the cache is a 0600 file in a
//! 0700 directory, like the token file, and a password in a `user:pass@` server URL is never
//! echoed back in an error.

#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;

use common::Server;
use common::desk::Desk;

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn the_cache_is_private_and_a_loose_one_is_narrowed() {
    let server = Server::start_with(&["--demo", "--demo-cases", "10"]);
    let token = server.token("agent", "kimura");
    let desk = Desk::new(&server.base, &token);
    desk.run(&["sync"]).ok();
    let cache = desk.cache_file("default");
    assert_eq!(mode(&cache), 0o600, "the cache file");
    assert_eq!(mode(cache.parent().unwrap()), 0o700, "the cache directory");
    let wal = cache.with_extension("sqlite3-wal");
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600, "the WAL");
    }

    // A cache left readable by others (an older casedesk, a copy) is narrowed on next use.
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o644)).unwrap();
    desk.run(&["cases", "list", "--offline"]).ok();
    assert_eq!(mode(&cache), 0o600, "narrowed");
}

#[test]
fn a_password_in_the_server_url_is_never_echoed() {
    let mut server = Server::start_with(&["--demo", "--demo-cases", "10"]);
    let token = server.token("agent", "kimura");
    let port = server.base.rsplit(':').next().unwrap().to_string();
    server.stop();
    let url = format!("http://kimura:s3cretpw@127.0.0.1:{port}");
    let desk = Desk::new(&url, &token);
    let run = desk.run_with(&["login", "--server", &url], &format!("{token}\n"));
    assert_ne!(run.code, 0, "{}", run.stdout);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(!all.contains("s3cretpw"), "{all}");
    assert!(all.contains("kimura:***@127.0.0.1"), "{all}");

    // A URL refused as invalid is shown without its password either.
    let run = desk.run_with(
        &["login", "--server", "http://kimura:s3cretpw@host?x=1"],
        "cdk_x\n",
    );
    assert_ne!(run.code, 0);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(!all.contains("s3cretpw"), "{all}");
    assert!(all.contains("***"), "{all}");
}
