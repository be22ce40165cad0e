//! What a careless admin or an attacker can put in a library: alignment bombs, FIFOs, file
//! names that are not UTF-8 or that differ only in what cannot be shown. Each must cost little,
//! be reported in one line, and never take another article's place.

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use bitext::library::Library;
use common::{bitext_in, bomb, text};

mod common;

const GOOD: &str = "title = \"A good article\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n\
[[paragraphs]]\nsource = \"좋은 기사다.\"\ntranslation = \"A good article.\"\n";

fn make_fifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo has no other preconditions.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo {}", path.display());
}

/// 20,000 against 10,000 paragraphs used to take a minute and 1.8 GB to align; the band no longer
/// grows with the difference in counts, and `check` says the alignment was narrowed.
#[test]
fn an_alignment_bomb_is_checked_with_a_warning() {
    let lib = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(lib.path().join("bomb.toml"), bomb(20_000, 10_000)).unwrap();
    std::fs::write(lib.path().join("good.toml"), GOOD).unwrap();
    let o = bitext_in(home.path(), &["--library", lib.path().to_str().unwrap(), "check"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("bomb.toml: warning: 20000 source and 10000 translation paragraphs: too many to align fully"),
        "{out}"
    );
    assert!(out.contains("2 article(s) loaded, 0 file(s) with errors, 1 warning(s)"), "{out}");
    let o = bitext_in(
        home.path(),
        &["--library", lib.path().to_str().unwrap(), "show", "bomb", "-w", "80", "-m", "source"],
    );
    assert!(o.status.success());
    assert!(text(&o.stdout).contains("가9"));
}

#[test]
fn a_fifo_is_an_error_line_not_a_hang() {
    let lib = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(lib.path().join("good.toml"), GOOD).unwrap();
    make_fifo(&lib.path().join("x.toml"));
    let root = lib.path().to_str().unwrap();
    let o = bitext_in(home.path(), &["--library", root, "check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stdout).contains("x.toml: error: is a named pipe (FIFO), not an article file"),
        "{}",
        text(&o.stdout)
    );
    let o = bitext_in(home.path(), &["--library", root, "list"]);
    assert!(o.status.success());
    assert!(text(&o.stdout).contains("A good article"));
    let o = bitext_in(home.path(), &["--library", root, "show", "x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("named pipe"), "{}", text(&o.stderr));
    // Reading a FIFO directly (as the body reader would) is refused without blocking.
    let e = Library::read_body(&lib.path().join("x.toml"), "x", 1 << 20).unwrap_err();
    assert!(e.message.contains("named pipe"), "{e}");
}

/// Names that differ only in what a terminal cannot show get different ids, shown escaped.
#[test]
fn unprintable_names_get_unique_escaped_ids() {
    let lib = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let names: [&[u8]; 5] = [b"ab.toml", b"a\x1b[31mb.toml", b"new\nline.toml", b"new line.toml", b"caf\xe9.toml"];
    for name in names {
        std::fs::write(lib.path().join(std::ffi::OsStr::from_bytes(name)), GOOD).unwrap();
    }
    let o = bitext_in(home.path(), &["--library", lib.path().to_str().unwrap(), "list", "--json"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let items: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut ids: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, ["a\\u{1b}[31mb", "ab", "caf\\xe9", "new line", "new\\u{a}line"]);
    // The plain list is inert on a terminal.
    let o = bitext_in(home.path(), &["--library", lib.path().to_str().unwrap(), "list"]);
    assert!(!text(&o.stdout).contains('\x1b'));
    // Reading state goes to each article by its own id.
    let state = home.path().join("state/bitext/state.json");
    std::fs::create_dir_all(state.parent().unwrap()).unwrap();
    std::fs::write(&state, r#"{"version":1,"articles":{"ab":{"starred":true,"starred_at":5,"updated":5}}}"#).unwrap();
    let o = bitext_in(home.path(), &["--library", lib.path().to_str().unwrap(), "list", "--json"]);
    let items: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let starred: Vec<&str> =
        items.as_array().unwrap().iter().filter(|i| i["starred"] == true).map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(starred, ["ab"]);
}

/// A file name that is not UTF-8 used to make the index cache fail to save, so every start
/// read the whole library again.
#[test]
fn a_name_that_is_not_utf8_keeps_the_index_cache() {
    let lib = tempfile::tempdir().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache: PathBuf = cache_dir.path().join("index.bin");
    std::fs::write(lib.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.toml")), GOOD).unwrap();
    std::fs::write(lib.path().join("plain.toml"), GOOD).unwrap();
    let (first, stats) = Library::load_cached(lib.path(), 1 << 20, Some(&cache), false).unwrap();
    assert_eq!(first.articles.len(), 2);
    assert!(stats.cache_current, "the cache was written");
    let (second, stats) = Library::load_cached(lib.path(), 1 << 20, Some(&cache), false).unwrap();
    assert_eq!((stats.files, stats.hits), (2, 2), "both files from the cache");
    let paths: Vec<_> = second.articles.iter().map(|a| a.meta.path.clone()).collect();
    assert!(paths.contains(&lib.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.toml"))));
    let (from_cache, _, _) = Library::from_cache(lib.path(), &cache).unwrap();
    assert_eq!(from_cache.articles.len(), 2);
}
