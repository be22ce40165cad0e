//! Files and folders bitext may not read. The tests run bitext as an unprivileged user (through
//! `setpriv` when they run as root, as CI does), so permissions apply as they do for a reader.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use common::pty::{SAMPLE_LIBRARY, Spawn, as_unprivileged, open_to_all};

fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// A copy of the sample articles that any user may read.
fn shared_library() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in walk(Path::new(SAMPLE_LIBRARY)) {
        let rel = entry.strip_prefix(SAMPLE_LIBRARY).unwrap();
        let to = dir.path().join(rel);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(&entry, &to).unwrap();
    }
    for entry in walk_dirs(dir.path()) {
        chmod(&entry, 0o755);
    }
    chmod(dir.path(), 0o755);
    dir
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

fn walk_dirs(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk_dirs(&p));
            out.push(p);
        }
    }
    out
}

/// The binary as an unprivileged user, with its own config, state and cache folders.
fn bitext_unprivileged(home: &Path, args: &[&str]) -> Output {
    open_to_all(home);
    let (program, prefix) = as_unprivileged();
    let mut cmd = Command::new(program);
    cmd.args(prefix).arg(env!("CARGO_BIN_EXE_bitext")).args(args);
    common::isolate(&mut cmd, home).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn an_unreadable_library_is_an_error_like_a_missing_one() {
    let lib = shared_library();
    let home = tempfile::tempdir().unwrap();
    chmod(lib.path(), 0o000);
    for command in
        [&["list"][..], &["list", "--json"], &["check"], &["show", "ko/seoul-forum-north-korean-human-rights"]]
    {
        let mut args = vec!["--library", lib.path().to_str().unwrap()];
        args.extend_from_slice(command);
        let o = bitext_unprivileged(home.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{command:?}: {}", stderr(&o));
        assert_eq!(
            stderr(&o),
            format!("bitext: cannot read library folder {}: permission denied\n", lib.path().display()),
            "{command:?}"
        );
        assert!(o.stdout.is_empty(), "{command:?}");
    }
    chmod(lib.path(), 0o755);
}

#[test]
fn show_in_an_unreadable_folder_says_why() {
    let lib = shared_library();
    let home = tempfile::tempdir().unwrap();
    chmod(&lib.path().join("ko"), 0o000);
    let o = bitext_unprivileged(
        home.path(),
        &["--library", lib.path().to_str().unwrap(), "show", "ko/seoul-forum-north-korean-human-rights"],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("could not be loaded") && err.contains("permission denied"), "{err}");
    assert!(err.contains(&lib.path().join("ko").display().to_string()), "{err}");
    // `list --json` lists the rest and says on stderr that files were left out.
    let o = bitext_unprivileged(home.path(), &["--library", lib.path().to_str().unwrap(), "list", "--json"]);
    assert!(o.status.success());
    assert!(stderr(&o).contains("could not be loaded"), "{}", stderr(&o));
    let items: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(items.as_array().unwrap().iter().all(|i| !i["id"].as_str().unwrap().starts_with("ko/")));
    chmod(&lib.path().join("ko"), 0o755);
}

/// The index cache remembers a file as good; it becomes unreadable (`chmod 000` keeps its size
/// and modification time). The next start must not list it as good.
#[test]
fn a_file_made_unreadable_is_not_listed_from_the_cache() {
    let lib = shared_library();
    let cache = tempfile::tempdir().unwrap();
    open_to_all(cache.path());
    let mut tui = Spawn::new(120, 40).library(lib.path()).cache_home(cache.path()).unprivileged().start();
    tui.wait_for("eight articles", |t| t.contents().contains("8 articles"));
    tui.send(b"q");
    assert!(tui.wait_exit().success());
    assert!(fs::read_dir(cache.path().join("bitext")).unwrap().count() > 0, "the index cache was written");

    let forum = lib.path().join("ko/seoul-forum-north-korean-human-rights.toml");
    chmod(&forum, 0o000);
    let mut tui = Spawn::new(120, 40).library(lib.path()).cache_home(cache.path()).unprivileged().start();
    tui.wait_for("seven articles and one error", |t| {
        t.contents().contains("7 articles") && t.status_row().contains("1 file with errors")
    });
    assert!(!tui.contents().contains("Seoul hosts first"), "{}", tui.framed_screen());
    tui.send(b"!");
    tui.wait_for("the error names the file", |t| {
        t.contents().contains("seoul-forum-north-korean-human-rights.toml")
            && t.contents().contains("permission denied")
    });
    tui.send(b"q");
    tui.send(b"q");
    assert!(tui.wait_exit().success());

    // `R` checks again: readable once more, the article is back.
    chmod(&forum, 0o644);
    let mut tui = Spawn::new(120, 40).library(lib.path()).cache_home(cache.path()).unprivileged().start();
    tui.wait_for("eight articles again", |t| t.contents().contains("8 articles"));
    chmod(&forum, 0o000);
    tui.send(b"R");
    tui.wait_for_within(Duration::from_secs(5), "the reload to find the unreadable file", |t| {
        t.contents().contains("7 articles") && t.status_row().contains("1 file with errors")
    });
    tui.send(b"q");
    assert!(tui.wait_exit().success());
    chmod(&forum, 0o644);
}
