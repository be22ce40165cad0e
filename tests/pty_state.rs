//! Reading state through the real binary in a pseudo-terminal: what one run leaves for the next,
//! what a SIGKILL leaves on disk, and two runs sharing one state file.
//!
//! The harness is in `common/pty.rs`; every test points `$XDG_STATE_HOME` at a temp folder of its
//! own and reads `bitext/state.json` in it.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::pty::{ENTER, SAMPLE_LIBRARY, Spawn, Tui, copy_library};
use serde_json::Value;

const FORUM: &str = "ko/seoul-forum-north-korean-human-rights";
/// The start of its title, as a 33-column list shows it.
const FORUM_TITLE: &str = "Seoul hosts first local";
/// The first and the third article in the list (newest first).
const FIRST: &str = "ja/sakura-front-sample-trees";
const THIRD: &str = "zh/grand-canal-heritage-decade";

fn state_file(state_home: &Path) -> PathBuf {
    state_home.join("bitext").join("state.json")
}

/// The state file as JSON; panics with its text when it does not parse.
fn read_state(state_home: &Path) -> Value {
    let path = state_file(state_home);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON ({e}):\n{text}", path.display()))
}

/// The entry of `id` in the state file.
fn entry<'a>(state: &'a Value, id: &str) -> &'a Value {
    state
        .get("articles")
        .and_then(|a| a.get(id))
        .unwrap_or_else(|| panic!("no entry for {id} in the state file:\n{state:#}"))
}

fn flag(state: &Value, id: &str, key: &str) -> bool {
    entry(state, id).get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// Waits for the list, selects the second article (the forum) and opens it.
fn open_forum(tui: &mut Tui) {
    tui.wait_for_text("8 articles");
    tui.send(b"j");
    tui.wait_for_text(FORUM);
    tui.send(ENTER);
    tui.wait_for("the forum article in the reader", |t| {
        t.status_fields().iter().any(|f| f.starts_with("¶ ") && f.ends_with("/17"))
    });
}

/// The row of the list pane (the left 33 columns of a 120-column screen: what the 87-column
/// reader does not use) holding the forum's title.
fn forum_row(tui: &Tui) -> String {
    tui.columns(0, 33).into_iter().find(|r| r.contains(FORUM_TITLE)).unwrap_or_default()
}

/// The marker columns of a list row: what lies between the border and selection bar on the left
/// and the title (unread ●, starred ★).
fn markers(row: &str) -> String {
    let title_at = row.find(FORUM_TITLE).unwrap_or(0);
    row[..title_at].chars().skip(2).collect()
}

#[test]
fn state_survives_restart_and_resumes_position() {
    let state_home = tempfile::tempdir().expect("temp state home");

    let mut tui = Spawn::new(120, 40).state_home(state_home.path()).start();
    open_forum(&mut tui);
    tui.wait_for_status("¶ 1/17");
    for n in 2..=4 {
        tui.send(b"J");
        tui.wait_for_status(&format!("¶ {n}/17"));
    }
    tui.send(b"*");
    tui.send(b"q");
    tui.wait_for("focus back on the list", |t| t.status_fields().first().is_some_and(|f| f == "2/8"));
    tui.wait_for("the forum starred in the list", |t| markers(&forum_row(t)).contains('★'));
    tui.send(b"q");
    let status = tui.wait_exit();
    assert!(status.success(), "bitext exited with {status:?}");
    drop(tui);

    let state = read_state(state_home.path());
    assert_eq!(state.get("version").and_then(Value::as_u64), Some(1), "state file version:\n{state:#}");
    let forum = entry(&state, FORUM);
    assert_eq!(forum.get("read"), Some(&Value::Bool(true)), "forum entry: {forum}");
    assert_eq!(forum.get("starred"), Some(&Value::Bool(true)), "forum entry: {forum}");
    assert_eq!(forum.get("position").and_then(Value::as_u64), Some(3), "forum entry: {forum}");

    // A new run with the same state: the list shows the star (and no unread dot), and the
    // article opens where it was left.
    let mut tui = Spawn::new(120, 40).state_home(state_home.path()).start();
    tui.wait_for_text("7 unread · 8 articles");
    let row = forum_row(&tui);
    let marks = markers(&row);
    assert!(marks.contains('★'), "no star on the forum's row {row:?}:\n{}", tui.framed_screen());
    assert!(!marks.contains('●'), "the forum is marked unread on {row:?}:\n{}", tui.framed_screen());
    tui.send(b"j");
    tui.wait_for_text(FORUM);
    tui.send(ENTER);
    tui.wait_for_status("¶ 4/17");
    tui.send(b"q");
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}

/// A small xorshift generator, so the kill times vary but a failing seed can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

/// Names in the state folder that show a state file was found broken and moved aside.
fn corrupt_copies(state_home: &Path) -> Vec<String> {
    let Ok(listing) = fs::read_dir(state_home.join("bitext")) else { return Vec::new() };
    listing
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".corrupt-"))
        .collect()
}

/// Checks that the state file, if there is one, is complete JSON with a version.
fn assert_state_whole(state_home: &Path, context: &str) {
    let path = state_file(state_home);
    match fs::read(&path) {
        Ok(bytes) => match serde_json::from_slice::<Value>(&bytes) {
            Ok(v) => {
                assert!(v.get("version").is_some(), "{context}: the state file has no version: {}", end_of(&bytes))
            }
            Err(e) => panic!("{context}: the state file is not complete JSON ({e}): {}", end_of(&bytes)),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => panic!("{context}: cannot read {}: {e}", path.display()),
    }
    let corrupt = corrupt_copies(state_home);
    assert!(corrupt.is_empty(), "{context}: a state file was found broken and moved aside: {corrupt:?}");
}

/// The size and the last few hundred characters of a (big) file, for a failure message.
fn end_of(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let tail: Vec<char> = text.chars().rev().take(300).collect();
    format!("{} bytes, ending\n…{}", bytes.len(), tail.into_iter().rev().collect::<String>())
}

/// Entries of articles that are not in the library, to make the state file big: each write then
/// takes long enough (reading, merging and writing a few megabytes) that many kills land in the
/// middle of one.
const PADDING: usize = 5_000;

/// A state file with [`PADDING`] entries, all read and none starred.
fn padded_state() -> String {
    let articles: serde_json::Map<String, Value> = (0..PADDING)
        .map(|i| {
            let entry = serde_json::json!({ "read": true, "starred": false, "position": i % 7, "updated": 1 });
            (format!("zz-gone/article-{i:05}"), entry)
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "articles": articles })).expect("JSON")
}

#[test]
fn killing_the_app_never_leaves_a_half_written_state_file() {
    let library = tempfile::tempdir().expect("temp library");
    copy_library(Path::new(SAMPLE_LIBRARY), library.path());
    let state_home = tempfile::tempdir().expect("temp state home");
    let path = state_file(state_home.path());
    fs::create_dir_all(path.parent().expect("state folder")).expect("create the state folder");
    fs::write(&path, padded_state()).expect("write the padded state file");

    let seed = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1) | 1;
    let mut rng = Rng(seed);
    let keys: [&[u8]; 3] = [b"*", b"m", b"J"];
    let mut runs_that_wrote = 0;

    for run in 0..20 {
        let context = format!("run {run} (seed {seed})");
        let before = fs::read(&path).ok();
        let mut tui = Spawn::new(120, 40).library(library.path()).state_home(state_home.path()).start();
        tui.wait_for_text("8 articles");
        // The previous run's file loaded without complaint (a broken one would be moved aside,
        // with a warning in the status line).
        assert!(!tui.status_row().contains("state file"), "{context}:\n{}", tui.framed_screen());
        tui.send(ENTER);
        tui.wait_for("an article in the reader", |t| t.status_fields().iter().any(|f| f.starts_with("¶ ")));

        let burst = Duration::from_millis(rng.between(50, 400));
        let start = Instant::now();
        while start.elapsed() < burst {
            tui.send(keys[rng.between(0, 2) as usize]);
            thread::sleep(Duration::from_millis(rng.between(1, 8)));
        }
        let status = tui.sigkill();
        assert!(!status.success(), "{context}: bitext was not killed: {status:?}");
        drop(tui);

        assert_state_whole(state_home.path(), &context);
        if fs::read(&path).ok() != before {
            runs_that_wrote += 1;
        }
    }
    assert!(runs_that_wrote > 0, "no run wrote the state file before it was killed: the test proved nothing");
    // Nothing was lost on the way either.
    let state = read_state(state_home.path());
    let kept = state["articles"].as_object().map_or(0, |a| a.keys().filter(|id| id.starts_with("zz-gone/")).count());
    assert_eq!(kept, PADDING, "entries of other articles were lost");
}

#[test]
fn two_instances_do_not_lose_each_others_changes() {
    let state_home = tempfile::tempdir().expect("temp state home");
    let mut one = Spawn::new(120, 40).state_home(state_home.path()).start();
    let mut two = Spawn::new(120, 40).state_home(state_home.path()).start();
    one.wait_for_text("8 articles");
    two.wait_for_text("8 articles");

    // The first stars the first article, the second the third.
    one.wait_for_text(FIRST);
    one.send(b"*");
    one.wait_for_message("starred");
    two.send(b"jj");
    two.wait_for_text(THIRD);
    two.send(b"*");
    two.wait_for_message("starred");

    // Both writers get a turn (at most four writes a second each).
    thread::sleep(Duration::from_millis(700));
    one.send(b"q");
    two.send(b"q");
    assert!(one.wait_exit().success());
    assert!(two.wait_exit().success());

    let state = read_state(state_home.path());
    assert!(flag(&state, FIRST, "starred"), "the first instance's star was lost:\n{state:#}");
    assert!(flag(&state, THIRD, "starred"), "the second instance's star was lost:\n{state:#}");
}

/// The probe's two sessions on one article. B sits in the list; A stars the forum and quits;
/// B opens it: the star is there. A reads it to ¶11 and quits; B opens it: at ¶11. B's own
/// opening changes neither.
#[test]
fn two_sessions_on_one_article_keep_star_and_place() {
    let state_home = tempfile::tempdir().expect("temp state home");
    let mut b = Spawn::new(120, 40).state_home(state_home.path()).start();
    b.wait_for_text("8 articles");

    let mut a = Spawn::new(120, 40).state_home(state_home.path()).start();
    open_forum(&mut a);
    a.send(b"*");
    a.wait_for_message("starred");
    a.send(b"q");
    a.send(b"q");
    assert!(a.wait_exit().success());
    assert!(flag(&read_state(state_home.path()), FORUM, "starred"));

    // B, which loaded the state before A's star, opens the forum.
    open_forum(&mut b);
    b.send(b"q");
    b.wait_for("the star A set, in B's list", |t| markers(&forum_row(t)).contains('★'));
    thread::sleep(Duration::from_millis(400));
    let state = read_state(state_home.path());
    assert!(flag(&state, FORUM, "starred"), "B's visit lost A's star:\n{state:#}");

    // A again: reads on to ¶11 and quits.
    let mut a = Spawn::new(120, 40).state_home(state_home.path()).start();
    open_forum(&mut a);
    a.send(b"JJJJJJJJJJ");
    a.wait_for_status("¶ 11/17");
    a.send(b"q");
    a.send(b"q");
    assert!(a.wait_exit().success());

    // B opens the forum again: where A left it.
    b.send(ENTER);
    b.wait_for_status("¶ 11/17");
    b.send(b"q");
    b.send(b"q");
    assert!(b.wait_exit().success());
    let state = read_state(state_home.path());
    assert!(flag(&state, FORUM, "starred"), "{state:#}");
    assert_eq!(entry(&state, FORUM)["position"], 10, "{state:#}");
}
