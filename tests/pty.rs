//! The real binary in a pseudo-terminal: what a user sees on the screen, the keys that move
//! between the list and the reader, resizing, and leaving the terminal as it was found.
//!
//! Each test spawns `bitext` on a fresh PTY through the harness in `common/pty.rs`, which polls
//! the emulated screen with a deadline instead of sleeping for fixed times.

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use common::pty::{
    CTRL_C, DEADLINE, DSR_CURSOR, ENTER, ESC, SAMPLE_LIBRARY, Spawn, Tui, copy_library, count, find, status_fields,
};

/// The program left the terminal as it found it: it entered the alternate screen, then left
/// it and showed the cursor again, and the emulated terminal agrees.
fn assert_terminal_restored(tui: &Tui) {
    let bytes = tui.bytes();
    let entered = find(&bytes, b"\x1b[?1049h", 0).expect("never entered the alternate screen (ESC[?1049h)");
    assert!(
        find(&bytes, b"\x1b[?1049l", entered).is_some(),
        "never left the alternate screen (no ESC[?1049l after ESC[?1049h)"
    );
    assert!(
        find(&bytes, b"\x1b[?25h", entered).is_some(),
        "never showed the cursor again (no ESC[?25h after ESC[?1049h)"
    );
    // The one question (whether the terminal has left and right margins) comes after the
    // first frame, so a terminal that never answers cannot hold the start back.
    assert!(count(&bytes, DSR_CURSOR) <= 1, "asked the terminal for the cursor position more than once");
    if let Some(asked) = find(&bytes, DSR_CURSOR, 0) {
        // A frame's text is on screen by then ("too small" at the least).
        let drawn = String::from_utf8_lossy(&bytes[entered..asked]).into_owned();
        assert!(
            drawn.contains("help") || drawn.contains("too small"),
            "asked where the cursor is before the first frame: {drawn:?}"
        );
    }
    let (alternate, hidden) = tui.screen_modes();
    assert!(!alternate, "still on the alternate screen after exit");
    assert!(!hidden, "cursor still hidden after exit");
    assert_cooked_mode(tui);
}

/// The terminal's local mode flags (`c_lflag`), read through the master side, which reports
/// the slave's settings on Linux. `None` where the flag values below are not known.
#[cfg(all(
    target_os = "linux",
    any(
        target_arch = "x86_64",
        target_arch = "x86",
        target_arch = "aarch64",
        target_arch = "arm",
        target_arch = "riscv64"
    )
))]
fn local_flags(tui: &Tui) -> Option<u32> {
    Some(tui.termios_local_flags().expect("read the pty's termios"))
}

#[cfg(not(all(
    target_os = "linux",
    any(
        target_arch = "x86_64",
        target_arch = "x86",
        target_arch = "aarch64",
        target_arch = "arm",
        target_arch = "riscv64"
    )
)))]
fn local_flags(_: &Tui) -> Option<u32> {
    None
}

// From <asm-generic/termbits.h>.
const ICANON: u32 = 0o000002;
const ECHO: u32 = 0o000010;

/// Raw mode is on: no line editing, no echo.
fn assert_raw_mode(tui: &Tui) {
    if let Some(lflag) = local_flags(tui) {
        assert!(lflag & (ICANON | ECHO) == 0, "the reader runs without raw mode (lflag {lflag:o})");
    }
}

/// Raw mode is off again: the terminal reads lines and echoes.
fn assert_cooked_mode(tui: &Tui) {
    if let Some(lflag) = local_flags(tui) {
        assert!(lflag & ICANON != 0, "raw mode left on after exit: ICANON is off (lflag {lflag:o})");
        assert!(lflag & ECHO != 0, "raw mode left on after exit: ECHO is off (lflag {lflag:o})");
    }
}

const FORUM: &str = "ko/seoul-forum-north-korean-human-rights";

#[test]
fn opens_article_side_by_side_and_quits_cleanly() {
    let mut tui = Tui::spawn(120, 40);
    tui.wait_for_text("8 articles");
    assert_raw_mode(&tui);

    // Newest first; the second article is the Seoul forum, shown in the reader pane.
    tui.send(b"j");
    tui.wait_for_text(FORUM);
    tui.send(ENTER);
    tui.send(b"3");
    tui.wait_for_status("side by side");

    // The Korean paragraph and its English translation share screen rows: on some row the
    // Korean text is followed, further right, by the English.
    let rows = tui.rows();
    let paired = rows.iter().any(|r| r.find("서울시가").is_some_and(|i| r[i..].contains("Seoul")));
    assert!(paired, "no row has Korean (서울시가) with English (Seoul) to its right:\n{}", tui.framed_screen());
    // The reader has the whole width while it has the focus: the list is not on screen.
    assert!(!tui.contents().contains("8 articles"), "the list is still beside the reader:\n{}", tui.framed_screen());
    // `z` puts the list back beside it, and `z` again takes the whole width.
    tui.send(b"z");
    tui.wait_for_text("8 articles");
    tui.send(b"z");
    tui.wait_for_gone("8 articles");

    // q leaves the reader (the list's position comes back in the status line), q again quits.
    tui.send(b"q");
    tui.wait_for("focus back on the list (\"2/8\" in the status line)", |t| {
        status_fields(&t.status_row()).first().is_some_and(|f| f == "2/8")
    });
    tui.send(b"q");
    let status = tui.wait_exit();
    assert!(status.success(), "bitext exited with {status:?}");
    assert_terminal_restored(&tui);
}

/// A terminal that never answers where the cursor is (bitext asks once, after its first frame,
/// whether the terminal has left and right margins) holds nothing up for long: the first key
/// is taken within a second of the first frame (the wait for an answer is 300 ms; crossterm's
/// own would be two seconds), and nothing typed is lost.
#[test]
fn a_terminal_that_never_answers_holds_nothing_up() {
    let mut tui = Spawn::new(120, 40).silent().start();
    tui.wait_for_text("help");
    let framed = Instant::now();
    tui.send(b"j");
    tui.wait_for_within(Duration::from_secs(1), "the second article selected", |t| {
        status_fields(&t.status_row()).first().is_some_and(|f| f == "2/8")
    });
    assert!(framed.elapsed() < Duration::from_millis(1500), "{:?}", framed.elapsed());
    tui.send(b"q");
    let status = tui.wait_exit();
    assert!(status.success(), "bitext exited with {status:?}");
    assert_terminal_restored(&tui);
}

/// Where the terminal says it has left and right margins, the reader beside the list scrolls
/// alone within them: a line of scrolling is the margins set, the scroll and the margins reset,
/// and the new line (WezTerm's model checks the screen cell for cell in `tests/margins.rs`).
#[test]
fn beside_the_list_a_terminal_with_margins_scrolls_the_reader_alone() {
    let config = tempfile::tempdir().unwrap();
    let path = config.path().join("config.toml");
    fs::write(&path, "[reader]\nfull_width = false\n").unwrap();
    for margins in [true, false] {
        let spawn = Spawn::new(120, 40).env("BITEXT_CONFIG", &path);
        let mut tui = if margins { spawn.with_margins() } else { spawn }.start();
        tui.wait_for_text("8 articles");
        tui.send(b"j");
        tui.wait_for_text(FORUM);
        tui.send(ENTER);
        tui.wait_for_status("translation");
        // The article's text laid out and drawn, and nothing more to draw.
        tui.wait_for_text("Seoul Metropolitan Government");
        thread::sleep(Duration::from_millis(500));
        let before = tui.bytes().len();
        tui.send(b"j");
        tui.wait_for_within(Duration::from_secs(5), "a line scrolled", |t| t.bytes().len() > before);
        thread::sleep(Duration::from_millis(300));
        let line = tui.bytes()[before..].to_vec();
        let within = find(&line, b"s\x1b[1S\x1b[s", 0).is_some();
        assert_eq!(within, margins, "margins {margins}: {:?}", String::from_utf8_lossy(&line));
        assert!(tui.contents().contains("8 articles"), "the list beside the reader");
        if margins {
            assert!(line.len() < 300, "{} B a line within margins: {:?}", line.len(), String::from_utf8_lossy(&line));
        } else {
            assert!(line.len() > 1000, "{} B a line without", line.len());
        }
        tui.send(b"q");
        tui.send(b"q");
        assert!(tui.wait_exit().success());
        // Given back with the margin mode off.
        assert!(find(&tui.bytes(), b"\x1b[?69l", before).is_some());
    }
}

#[test]
fn narrow_terminal_uses_separate_screens() {
    let mut tui = Tui::spawn(80, 24);
    tui.wait_for_text("8 articles");
    // The list is the whole screen: no reader pane beside it.
    let rows = tui.rows();
    assert!(rows[0].starts_with("┌ Library"), "list not at the top left:\n{}", tui.framed_screen());
    assert!(
        !tui.contents().contains("ja/sakura-front-sample-trees"),
        "a reader pane is showing:\n{}",
        tui.framed_screen()
    );

    tui.send(ENTER);
    tui.wait_for_gone("Library ·");
    tui.wait_for_text("ja/sakura-front-sample-trees");
    tui.wait_for_status("translation");

    // Esc alone (crossterm would read ESC followed by another byte as Alt+key).
    tui.send(ESC);
    tui.wait_for_text("8 articles");
    assert!(
        !tui.contents().contains("ja/sakura-front-sample-trees"),
        "the reader is still showing:\n{}",
        tui.framed_screen()
    );

    tui.send(CTRL_C);
    let status = tui.wait_exit();
    assert!(status.success(), "bitext exited with {status:?}");
    assert_terminal_restored(&tui);
}

#[test]
fn help_overlay_lists_bindings() {
    let mut tui = Tui::spawn(120, 40);
    tui.wait_for_text("8 articles");
    assert!(!tui.contents().contains("Keys"), "help open before ? was pressed:\n{}", tui.framed_screen());
    tui.send(b"?");
    tui.wait_for("the help overlay listing the mode and quit keys", |t| {
        let s = t.contents();
        s.contains("Keys") && s.contains("side by side") && s.contains("ctrl-c")
    });

    tui.send(ESC);
    tui.wait_for_gone("Keys");
    // Esc only closed the overlay; the program is still running on the list.
    tui.wait_for_text("8 articles");
    tui.send(b"q");
    let status = tui.wait_exit();
    assert!(status.success(), "bitext exited with {status:?}");
    assert_terminal_restored(&tui);
}

#[test]
fn too_small_terminal_shows_message() {
    let mut tui = Tui::spawn(30, 8);
    tui.wait_for_text("too small");
    assert!(
        !tui.contents().contains("Library"),
        "the interface drew into a too-small terminal:\n{}",
        tui.framed_screen()
    );

    tui.resize(120, 40);
    tui.wait_for_text("8 articles");
    tui.wait_for_gone("too small");
    // The wide layout: the reader pane is beside the list.
    tui.wait_for_text("ja/sakura-front-sample-trees");

    tui.send(b"q");
    let status = tui.wait_exit();
    assert!(status.success(), "bitext exited with {status:?}");
    assert_terminal_restored(&tui);
}

#[test]
fn ctrl_c_restores_terminal_from_reader() {
    let mut tui = Tui::spawn(120, 40);
    tui.wait_for_text("8 articles");
    tui.send(ENTER);
    // Focus in the reader: the list position leaves the status line.
    tui.wait_for("focus in the reader (no \"1/8\" in the status line)", |t| {
        let fields = status_fields(&t.status_row());
        fields.first().is_some_and(|f| f == "translation")
    });

    tui.send(CTRL_C);
    let status = tui.wait_exit();
    assert!(status.success(), "bitext exited with {status:?}");
    assert_terminal_restored(&tui);
}

/// The base64 payload of every OSC 52 clipboard write in `bytes`, decoded.
fn osc52_payloads(bytes: &[u8]) -> Vec<String> {
    use base64::Engine;
    const START: &[u8] = b"\x1b]52;c;";
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = find(bytes, START, from) {
        let body = at + START.len();
        let end = find(bytes, b"\x07", body).unwrap_or_else(|| panic!("OSC 52 at byte {at} is not ended by BEL"));
        let decoded = base64::engine::general_purpose::STANDARD.decode(&bytes[body..end]).unwrap_or_else(|e| {
            panic!("OSC 52 payload is not base64 ({e}): {:?}", String::from_utf8_lossy(&bytes[body..end]))
        });
        found.push(String::from_utf8(decoded).expect("the copied text is UTF-8"));
        from = end;
    }
    found
}

#[test]
fn osc52_copy_writes_the_paragraph_to_the_terminal() {
    let mut tui = forum_open_at_120x40();
    assert!(osc52_payloads(&tui.bytes()).is_empty(), "something was copied before y was pressed");

    tui.send(b"y");
    tui.wait_for_message("paragraph 1 (");
    let copied = osc52_payloads(&tui.bytes());
    assert_eq!(copied.len(), 1, "expected one OSC 52 write, got {copied:?}");
    let text = &copied[0];
    assert!(text.contains("서울시가"), "the copy lacks the Korean first paragraph: {text:?}");
    assert!(text.contains("The Seoul Metropolitan Government"), "the copy lacks the English first paragraph: {text:?}");
    // Only the first paragraph pair, not the whole article.
    assert!(!text.contains("Oh Se-hoon delivers"), "the copy holds more than paragraph 1: {text:?}");

    tui.send(b"q");
    tui.send(b"q");
    assert!(tui.wait_exit().success());
    assert_terminal_restored(&tui);
}

/// Columns of the list pane in a 120-column terminal, borders included: what the reader (80
/// columns of text, its gutter, a free column and its border: 87) does not use.
const LIST_WIDTH: u16 = 33;

/// The start of each sample article's title as the list shows it (27 columns), newest first.
const SAMPLE_TITLES: [&str; 8] = [
    "How Japan decides the",
    "Seoul hosts first local",
    "Ten years after its World",
    "Ten years on the UNESCO",
    "Day of the Dead",
    "Across the country for 49",
    "Five years after UNESCO",
    "Ten years on, Cheonggye",
];
const HAENYEO_TITLE: &str = "Five years after UNESCO";
const FORUM_TITLE: &str = "Seoul hosts first local";

/// The list pane of a 120-column screen, one string per row.
fn list_pane(t: &Tui) -> Vec<String> {
    t.columns(0, LIST_WIDTH)
}

fn list_shows(t: &Tui, text: &str) -> bool {
    list_pane(t).iter().any(|r| r.contains(text))
}

#[test]
fn search_prompt_filters_the_list() {
    let mut tui = Tui::spawn(120, 40);
    tui.wait_for_text("8 articles");
    tui.wait_for("every sample title in the list", |t| SAMPLE_TITLES.iter().all(|title| list_shows(t, title)));

    tui.send(b"/");
    tui.wait_for("the search prompt", |t| t.status_row().trim_start().starts_with("search all:"));
    tui.send(b"haenyeo");
    tui.wait_for_within(Duration::from_secs(2), "only the haenyeo article in the list, /haenyeo on its border", |t| {
        let pane = list_pane(t);
        let bottom = pane.iter().rev().nth(1).map(String::as_str).unwrap_or("");
        list_shows(t, HAENYEO_TITLE) && !list_shows(t, FORUM_TITLE) && bottom.contains("/haenyeo")
    });
    let shown: Vec<&str> = SAMPLE_TITLES.iter().copied().filter(|title| list_shows(&tui, title)).collect();
    assert_eq!(shown, [HAENYEO_TITLE], "the list should hold only the haenyeo article:\n{}", tui.framed_screen());
    assert!(
        tui.status_row().contains("search all: haenyeo"),
        "the prompt does not show the query:\n{}",
        tui.framed_screen()
    );

    tui.send(ESC);
    tui.wait_for("all 8 articles back in the list, no search on its border", |t| {
        let pane = list_pane(t);
        let bottom = pane.iter().rev().nth(1).map(String::as_str).unwrap_or("");
        SAMPLE_TITLES.iter().all(|title| list_shows(t, title)) && !bottom.contains("haenyeo")
    });
    tui.wait_for("the list position out of 8 in the status line", |t| {
        t.status_fields().first().is_some_and(|f| f.ends_with("/8"))
    });

    tui.send(b"q");
    assert!(tui.wait_exit().success());
    assert_terminal_restored(&tui);
}

/// A complete article, oldest of all (so it is listed last), with `title`.
fn new_article(title: &str) -> String {
    format!(
        "title = \"{title}\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\npublished = 2001-01-01\n\n\
         [[paragraphs]]\nsource = \"새 기사의 첫 문단이다.\"\ntranslation = \"The first paragraph of a new article.\"\n\n\
         [[paragraphs]]\nsource = \"두 번째 문단이다.\"\ntranslation = \"The second paragraph.\"\n"
    )
}

/// The list title says `n` articles.
fn wait_for_count(tui: &mut Tui, within: Duration, n: usize) {
    let title = format!("· {n} articles ");
    tui.wait_for_within(within, &format!("{title:?} in the list title"), |t| {
        t.rows().first().is_some_and(|r| r.contains(&title))
    });
}

#[test]
fn new_changed_and_deleted_files_appear_without_restart() {
    const SOON: Duration = Duration::from_secs(2);
    let library = tempfile::tempdir().expect("temp library");
    let outside = tempfile::tempdir().expect("temp dir beside the library");
    copy_library(Path::new(SAMPLE_LIBRARY), library.path());
    let mut tui = Spawn::new(120, 40).library(library.path()).start();
    wait_for_count(&mut tui, DEADLINE, 8);
    // Keep the list beside the reader, to see it change while an article is open.
    tui.send(b"z");
    tui.wait_for_message("the list stays beside the reader");

    // A file written elsewhere and moved in whole.
    let renamed = library.path().join("ko/renamed-in.toml");
    let staged = outside.path().join("renamed-in.toml");
    fs::write(&staged, new_article("Moved into the library whole")).expect("write the new article");
    fs::rename(&staged, &renamed).expect("move the new article into the library");
    tui.wait_for_within(SOON, "the moved-in article in the list", |t| list_shows(t, "Moved into the library"));
    wait_for_count(&mut tui, SOON, 9);

    // A file written in place in two halves, as a slow editor or a copy would: the first half
    // alone is not valid TOML (it stops inside a string).
    let halves = library.path().join("halves.toml");
    let text = new_article("Written in two halves");
    let cut = text.find("new article").expect("cut point");
    let mut file = fs::File::create(&halves).expect("create the half-written article");
    file.write_all(&text.as_bytes()[..cut]).expect("write the first half");
    file.flush().expect("flush");
    thread::sleep(Duration::from_millis(100));
    file.write_all(&text.as_bytes()[cut..]).expect("write the second half");
    drop(file);
    tui.wait_for_within(SOON, "the article written in halves in the list", |t| list_shows(t, "Written in two halves"));
    wait_for_count(&mut tui, SOON, 10);
    tui.wait_for("no file with errors", |t| !t.status_row().contains("with errors"));

    // Open the forum (still second: the new articles are the oldest) at paragraph 5.
    tui.send(b"j");
    tui.wait_for_text(FORUM);
    tui.send(ENTER);
    tui.wait_for_status("¶ 1/17");
    tui.send(b"JJJJ");
    tui.wait_for_status("¶ 5/17");

    // Change the translation of its first paragraph.
    let forum = library.path().join(format!("{FORUM}.toml"));
    let original = fs::read_to_string(&forum).expect("read the forum article");
    const OLD: &str = "The Seoul Metropolitan Government held the 2024 Seoul Forum";
    const NEW: &str = "EDITED: the city government convened the 2024 Seoul Forum";
    assert!(original.contains(OLD), "the sample article changed; update this test");
    fs::write(&forum, original.replacen(OLD, NEW, 1)).expect("rewrite the forum article");
    // Paragraph 1 is still on screen at paragraph 5, so the new text shows without scrolling.
    tui.wait_for_within(SOON, "the changed paragraph, with the cursor still at paragraph 5", |t| {
        t.contents().contains("EDITED: the city government") && t.status_fields().iter().any(|f| f == "¶ 5/17")
    });
    tui.send(b"g");
    tui.wait_for_status("¶ 1/17");
    let screen = tui.contents();
    assert!(screen.contains("EDITED: the city government"), "the change is not shown:\n{}", tui.framed_screen());
    assert!(
        !screen.contains("The Seoul Metropolitan Government held"),
        "the old text is still shown:\n{}",
        tui.framed_screen()
    );
    assert!(screen.contains(FORUM), "another article is open:\n{}", tui.framed_screen());

    // Deleted files leave the list.
    fs::remove_file(&renamed).expect("delete the moved-in article");
    tui.wait_for_within(SOON, "the deleted article to leave the list", |t| !list_shows(t, "Moved into the library"));
    wait_for_count(&mut tui, SOON, 9);
    fs::remove_file(&halves).expect("delete the article written in halves");
    tui.wait_for_within(SOON, "the second deleted article to leave the list", |t| {
        !list_shows(t, "Written in two halves")
    });
    wait_for_count(&mut tui, SOON, 8);
    // The open article stayed open where it was.
    tui.wait_for_status("¶ 1/17");
    assert!(tui.contents().contains(FORUM), "the forum article was closed:\n{}", tui.framed_screen());

    tui.send(b"q");
    tui.send(b"q");
    assert!(tui.wait_exit().success());
    assert_terminal_restored(&tui);
}

/// The second start takes the list from the index cache, then walks the folder: a file added
/// while the reader was closed shows up without a key pressed, and the cache is rewritten.
#[test]
fn a_file_added_while_closed_shows_after_the_cached_list() {
    let library = tempfile::tempdir().expect("temp library");
    let cache_home = tempfile::tempdir().expect("temp cache home");
    copy_library(Path::new(SAMPLE_LIBRARY), library.path());
    let start = || Spawn::new(120, 40).library(library.path()).env("XDG_CACHE_HOME", cache_home.path()).start();
    let mut tui = start();
    wait_for_count(&mut tui, DEADLINE, 8);
    tui.send(b"q");
    assert!(tui.wait_exit().success());
    let cache_file = || {
        fs::read_dir(cache_home.path().join("bitext"))
            .expect("the cache folder")
            .flatten()
            .find(|e| e.file_name().to_string_lossy().ends_with(".bin"))
            .map(|e| fs::read(e.path()).expect("read the cache"))
            .expect("an index cache file")
    };
    let before = cache_file();

    fs::write(library.path().join("added-while-closed.toml"), new_article("Added while closed")).expect("write");
    let mut tui = start();
    tui.wait_for("the added article in the list", |t| list_shows(t, "Added while closed"));
    wait_for_count(&mut tui, DEADLINE, 9);
    tui.send(b"q");
    assert!(tui.wait_exit().success());
    assert_ne!(cache_file(), before, "the cache now holds the new file");
}

/// Scrolling with scrolling regions leaves on the terminal exactly what a full redraw (Ctrl-L)
/// draws, in every mode; and one line of scrolling costs far less than a screenful.
#[test]
fn scrolled_screen_equals_a_full_redraw() {
    let mut tui = forum_open_at_120x40();
    for (mode, label) in [(b"3", "side by side"), (b"4", "interleaved"), (b"2", "source"), (b"1", "translation")] {
        tui.send(mode);
        tui.wait_for_status(label);
        for _ in 0..3 {
            tui.send(b"jjjJ");
            thread::sleep(Duration::from_millis(30));
        }
        let before = tui.bytes().len();
        tui.send(b"j");
        tui.wait_for("the line scrolled", |t| t.bytes().len() > before);
        thread::sleep(Duration::from_millis(200));
        let line = tui.bytes().len() - before;
        assert!(line < 1500, "{label}: one line of scrolling wrote {line} bytes");
        let scrolled = tui.rows();
        let before = tui.bytes().len();
        tui.send(b"\x0c");
        tui.wait_for("the whole screen drawn again", |t| t.bytes().len() > before + 2000);
        thread::sleep(Duration::from_millis(200));
        assert_eq!(tui.rows(), scrolled, "{label}: the redraw differs from the scrolled screen");
    }
    tui.send(b"qq");
    assert!(tui.wait_exit().success());
}

/// bitext at 120×40 on the sample articles, with the forum (second in the list) open.
fn forum_open_at_120x40() -> Tui {
    let mut tui = Tui::spawn(120, 40);
    tui.wait_for_text("8 articles");
    tui.send(b"j");
    tui.wait_for_text(FORUM);
    tui.send(ENTER);
    tui.wait_for_status("¶ 1/17");
    tui
}

/// The check of the bodies after the first start finds an article whose body is broken (the
/// newest, so every other article moves up one place when it goes): the search index that comes
/// with the check is the library's as it is now, and a search finds the right article.
#[test]
fn a_search_after_the_check_of_the_bodies_finds_the_right_article() {
    let lib = tempfile::tempdir().unwrap();
    copy_library(Path::new(SAMPLE_LIBRARY), lib.path());
    fs::write(
        lib.path().join("broken-body.toml"),
        "title = \"Newest, but its body is broken\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n\
         published = 2099-01-01\n\n[[paragraphs]]\nsource = \"가\"\n\n[body]\n",
    )
    .unwrap();
    let mut tui = Spawn::new(120, 40).library(lib.path()).start();
    tui.wait_for("the check to take the broken article away", |t| {
        t.status_row().contains("1 file with errors") && t.contents().contains("8 articles")
    });
    tui.send(b"/haenyeo");
    tui.wait_for("the search to end", |t| t.contents().contains("/haenyeo (1 fo"));
    let list = tui.columns(0, 40).join("\n");
    assert!(list.contains("Five years after UNESCO"), "the haenyeo article is the one found:\n{}", tui.framed_screen());
    tui.send(ENTER);
    tui.wait_for("the prompt closed", |t| !t.status_row().contains("search all"));
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}
