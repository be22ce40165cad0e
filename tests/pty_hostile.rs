//! The reader under hostile input, in a real pseudo-terminal: an article that takes long to read
//! and pair, a FIFO among the articles, resize storms, and keys typed while the terminal is
//! resized.

mod common;

use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::thread;
use std::time::Duration;

use common::bomb;
use common::pty::{ENTER, SAMPLE_LIBRARY, Spawn, Tui, copy_library};

fn library_with(extra: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_library(Path::new(SAMPLE_LIBRARY), dir.path());
    extra(dir.path());
    dir
}

/// The body of a long article is read and paired on a worker: the list and the keys stay live
/// meanwhile, and `q` is answered at once.
#[test]
fn a_long_article_is_read_while_the_keys_work() {
    let lib = library_with(|p| std::fs::write(p.join("bomb.toml"), bomb(200_000, 100_000)).unwrap());
    let mut tui = Spawn::new(120, 40).library(lib.path()).start();
    tui.wait_for_text("9 articles");
    // The bomb has no date: it is last. Selecting it previews it, which starts reading it.
    tui.send(b"G");
    tui.wait_for_text("reading the article…");
    tui.send(ENTER);
    tui.send(b"q");
    tui.send(b"k");
    tui.wait_for_within(Duration::from_secs(2), "the list to move while the article is read", |t| {
        t.status_fields().iter().any(|f| f == "8/9")
    });
    // It does come, paired within a narrowed band.
    tui.send(b"j");
    // (An unoptimised test build takes several seconds to read, pair and lay out 300,000
    // paragraphs.)
    tui.wait_for_within(Duration::from_secs(60), "the long article laid out", |t| {
        t.contents().contains("aligned:") && t.contents().contains("a0")
    });
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}

#[test]
fn a_fifo_among_the_articles_does_not_stop_the_list() {
    let lib = library_with(|p| {
        let c = std::ffi::CString::new(p.join("x.toml").as_os_str().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    });
    let mut tui = Spawn::new(120, 40).library(lib.path()).start();
    tui.wait_for("the list and one bad file", |t| {
        t.contents().contains("8 articles") && t.status_row().contains("1 file with errors")
    });
    tui.send(b"!");
    tui.wait_for_text("named pipe");
    tui.send(b"qq");
    assert!(tui.wait_exit().success());
}

/// After a storm of resizes that ends where it began, the screen is what a full redraw
/// draws: nothing the terminal cut while it was narrower is left out.
#[test]
fn a_resize_storm_ends_with_a_whole_frame() {
    let mut tui = Tui::spawn(120, 40);
    tui.wait_for_text("8 articles");
    tui.send(b"j");
    tui.send(ENTER);
    tui.wait_for_status("¶ 1/17");
    for round in 0..3 {
        for (w, h) in [(90, 30), (120, 40), (70, 20), (110, 35), (120, 40)] {
            tui.resize(w, h);
        }
        thread::sleep(Duration::from_millis(300));
        let stormed = tui.rows();
        let before = tui.bytes().len();
        tui.send(b"\x0c");
        tui.wait_for("the whole screen drawn again", |t| t.bytes().len() > before + 2000);
        thread::sleep(Duration::from_millis(200));
        assert_eq!(stormed, tui.rows(), "round {round}: the screen after the storm differs from a redraw");
    }
    tui.send(b"qq");
    assert!(tui.wait_exit().success());
}

/// A key typed in the same instant as a resize is read at once, not when the next key comes.
#[test]
fn keys_typed_during_a_resize_are_read_at_once() {
    let mut tui = Tui::spawn(120, 40);
    tui.wait_for_text("8 articles");
    for trial in 0..20 {
        let (w, h) = if trial % 2 == 0 { (110, 36) } else { (120, 40) };
        let expected = if trial % 2 == 0 { "2/8" } else { "1/8" };
        tui.resize(w, h);
        tui.send(if trial % 2 == 0 { b"j" } else { b"k" });
        tui.wait_for_within(Duration::from_secs(2), &format!("trial {trial}: the key read with the resize"), |t| {
            t.status_fields().iter().any(|f| f == expected)
        });
    }
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}
