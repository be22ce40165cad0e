//! `list`, `list --json` and `check` from the index cache: the same output as reading every
//! file, cold and warm, and kept up to date as the folder changes.

mod common;

use common::copy_dir;
use std::path::Path;
use std::process::{Command, Output};

fn bitext(cache_home: &Path, lib: &Path, args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_bitext"))
        .arg("--library")
        .arg(lib)
        .args(args)
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CACHE_HOME", cache_home)
        .env_remove("BITEXT_CONFIG")
        .output()
        .unwrap()
}

/// The bundled articles and the broken fixtures in one folder.
fn library() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&root.join("articles"), dir.path());
    std::fs::create_dir(dir.path().join("broken")).unwrap();
    copy_dir(&root.join("tests/fixtures/broken"), &dir.path().join("broken"));
    dir
}

/// What a command prints: stdout, stderr, exit code.
fn run(cache_home: &Path, lib: &Path, args: &[&str]) -> (String, String, Option<i32>) {
    let o = bitext(cache_home, lib, args);
    (String::from_utf8(o.stdout).unwrap(), String::from_utf8(o.stderr).unwrap(), o.status.code())
}

#[test]
fn list_and_check_from_the_cache_print_what_a_full_read_prints() {
    let lib = library();
    // A cache home that is a file: no cache can be written there, so every file is read.
    let nowhere = tempfile::NamedTempFile::new().unwrap();
    let cache_home = tempfile::tempdir().unwrap();
    for args in [&["list"][..], &["list", "--json"], &["check"]] {
        let scanned = run(nowhere.path(), lib.path(), args);
        assert!(!scanned.0.is_empty(), "{args:?}");
        let cold = run(cache_home.path(), lib.path(), args);
        let warm = run(cache_home.path(), lib.path(), args);
        assert_eq!(cold, scanned, "{args:?} cold");
        assert_eq!(warm, scanned, "{args:?} warm");
    }
    let cache = std::fs::read_dir(cache_home.path().join("bitext")).unwrap().count();
    assert_eq!(cache, 1, "one index cache for the folder");
}

#[test]
fn the_cached_list_follows_the_folder() {
    let lib = library();
    let cache_home = tempfile::tempdir().unwrap();
    let titles = || {
        let (out, _, code) = run(cache_home.path(), lib.path(), &["list", "--json"]);
        assert_eq!(code, Some(0));
        let items: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
        items.iter().map(|i| i["title"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    let first = titles();
    assert!(first.iter().any(|t| t == "A good article among broken ones"));
    // Added, changed, removed, and a body broken after the cache was written.
    let added = "title = \"Added later\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n[[paragraphs]]\nsource = \"새 글\"\ntranslation = \"A new one\"\n";
    std::fs::write(lib.path().join("added.toml"), added).unwrap();
    let good = lib.path().join("broken/good.toml");
    let text = std::fs::read_to_string(&good).unwrap().replace("A good article among broken ones", "Renamed");
    std::fs::write(&good, text).unwrap();
    std::fs::remove_file(lib.path().join("broken/sub/typo.toml")).unwrap();
    let now = titles();
    assert!(now.contains(&"Added later".to_string()), "{now:?}");
    assert!(now.contains(&"Renamed".to_string()) && !now.iter().any(|t| t == "A good article among broken ones"));
    assert!(!now.iter().any(|t| t == "A typo in a key is only a warning"));
    assert_eq!(now.len(), first.len(), "one added, one removed");
    // The paragraph counts come from the cache too: the added article has one.
    let (out, _, _) = run(cache_home.path(), lib.path(), &["list", "--json"]);
    let items: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let item = items.iter().find(|i| i["title"] == "Added later").unwrap();
    assert_eq!((item["paragraphs"].as_u64(), item["translation"].as_str()), (Some(1), Some("human")));
}

#[test]
fn a_damaged_cache_never_shows() {
    let lib = library();
    let cache_home = tempfile::tempdir().unwrap();
    let good = run(cache_home.path(), lib.path(), &["list"]);
    let cache = std::fs::read_dir(cache_home.path().join("bitext")).unwrap().next().unwrap().unwrap().path();
    let mut bytes = std::fs::read(&cache).unwrap();
    // Change a title inside the cache, keeping its length: only the checksum can tell.
    let at = bytes.windows(6).position(|w| w == b"A good").unwrap();
    bytes[at] = b'X';
    std::fs::write(&cache, &bytes).unwrap();
    let after = run(cache_home.path(), lib.path(), &["list"]);
    assert_eq!(after, good, "the folder decides, not a damaged cache");
    assert!(!after.0.contains("X good"));
}
