//! The status line that keeps the place, messages above it, the article info (`i`, and `o`
//! where nothing opens URLs), editing an article (`e`), `R` saying what it found, the keys of
//! newsboat and less habits (`]`, `[`, `A`, Esc clearing filters, typing in the picker, keys that
//! work in the other pane), and copies that say where they went (OSC 52, tmux).
//!
//! Screens are drawn into ratatui's TestBackend; the loop's part (the terminal handed to the
//! editor, tmux, the reload) runs the real binary in a PTY.

mod common;

use std::path::{Path, PathBuf};

use bitext::config::Config;
use bitext::library::Library;
use bitext::render::{Mode, Options};
use bitext::tui::app::{Effect, Focus, Overlay};
use bitext::tui::theme::Theme;
use bitext::tui::{Action, App};
use common::app_screen::screen;
use common::pty::{ENTER, ESC, SAMPLE_LIBRARY, Spawn, copy_library};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

const FORUM: &str = "ko/seoul-forum-north-korean-human-rights";
const LONG_URL: &str = "https://www.hangang-morning-post.example/news/seoul-hosts-first-local-government-forum-on-north-korean-human-rights-ahead-of-defectors-day-148201.html";

fn app_for(lib: &Path, w: u16, h: u16) -> App {
    let config = Config::default();
    let mut app = App::new(
        Library::scan(lib).unwrap(),
        Theme::from_colors(&config.colors),
        Options::default(),
        Mode::Translation,
    );
    app.update(Action::Resize(w, h));
    app.select(0);
    app.settle();
    app
}

fn app(w: u16, h: u16) -> App {
    app_for(Path::new(SAMPLE_LIBRARY), w, h)
}

fn select_id(app: &mut App, id: &str) {
    let i = app.library.articles.iter().position(|a| a.meta.id == id).unwrap();
    app.select(i);
    app.settle();
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn press(app: &mut App, c: char) {
    app.handle_key(&key(KeyCode::Char(c)));
}

/// The bundled library in a temporary folder, the forum article with a long URL.
fn library_with_url() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_library(Path::new(SAMPLE_LIBRARY), dir.path());
    let path = dir.path().join(format!("{FORUM}.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen("summary = ", &format!("url = \"{LONG_URL}\"\nfeed = \"hangang\"\nsummary = "), 1);
    std::fs::write(&path, text).unwrap();
    dir
}

fn id_of(app: &App, i: usize) -> &str {
    &app.library.articles[i].meta.id
}

fn set_read(app: &mut App, i: usize, read: bool) {
    let id = app.library.articles[i].meta.id.clone();
    app.state.set_read(&id, read);
}

fn is_read(app: &App, i: usize) -> bool {
    app.state.get(id_of(app, i)).read
}

// ---------------------------------------------------------------------------------------------
// The status line

#[test]
fn the_place_stays_on_the_status_line_when_side_by_side_falls_back_at_64_columns() {
    let mut a = app(64, 24);
    select_id(&mut a, FORUM);
    a.update(Action::Open);
    a.update(Action::SetMode(Mode::SideBySide));
    a.settle();
    for _ in 0..3 {
        a.update(Action::NextParagraph);
    }
    assert!(a.reader.as_ref().unwrap().layout.fell_back, "64 columns are too narrow for side by side");
    let s = screen(&a);
    let status = s.last().unwrap();
    assert!(status.contains("interleaved (too narrow"), "{status}");
    assert!(status.contains("¶ 4/17") && status.contains('%'), "the place is kept: {status}");
}

#[test]
fn a_message_that_does_not_fit_goes_above_the_status_line_and_the_place_stays() {
    let mut a = app(64, 24);
    select_id(&mut a, FORUM);
    a.update(Action::Open);
    for _ in 0..2 {
        a.update(Action::NextParagraph);
    }
    a.update(Action::CopyParagraph);
    let message = a.message.clone().unwrap();
    assert!(message.starts_with("paragraph 3 (") && message.ends_with("sent to the terminal (OSC 52)"), "{message}");
    let s = screen(&a);
    let status = s[23].clone();
    assert!(status.contains("¶ 3/17") && status.contains("translation"), "{status}");
    assert!(!status.contains("paragraph 3"), "the message yields: {status}");
    let above = s[22].trim();
    assert_eq!(above, message, "the message is whole on the row above");

    // Longer than the screen is wide: wrapped over rows above, every word kept.
    a.message = Some(format!("could not run firefox: No such file or directory; URL: {LONG_URL}"));
    let s = screen(&a);
    assert!(s[23].contains("¶ 3/17"), "{}", s[23]);
    let shown: String = s[19..23].iter().map(|r| r.trim()).collect();
    assert!(shown.contains("could not run firefox") && shown.contains("148201.html"), "{}", s.join("\n"));
    // A short message stays on the status line itself.
    a.message = Some("starred".into());
    let s = screen(&a);
    assert!(s[23].contains("│ starred"), "{}", s[23]);
}

#[test]
fn the_list_position_stays_with_a_long_message_at_40_columns() {
    let mut a = app(40, 12);
    a.update(Action::Down);
    a.message = Some("a message much longer than forty columns of the narrowest terminal".into());
    let s = screen(&a);
    assert!(s[11].starts_with(" 2/8"), "{}", s[11]);
    assert!(s[..11].join(" ").contains("narrowest terminal"), "{}", s.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// The article info

/// A list from the index cache holds no summaries: the article's own comes with its body, to
/// the reader's header and the info.
#[test]
fn the_summary_of_an_article_listed_from_the_cache_is_shown_once_its_body_is_read() {
    let cache = tempfile::tempdir().unwrap();
    let cache = cache.path().join("index.bin");
    let lib = Path::new(SAMPLE_LIBRARY);
    Library::load_cached(lib, 1 << 24, Some(&cache), false).unwrap();
    let (library, _, _) = Library::from_cache(lib, &cache).unwrap();
    let i = library.articles.iter().position(|a| a.meta.id == FORUM).unwrap();
    assert_eq!(library.articles[i].meta.summary, None, "not in the list");
    let config = Config::default();
    let mut a = App::new(library, Theme::from_colors(&config.colors), Options::default(), Mode::Translation);
    a.update(Action::Resize(100, 40));
    a.select(i);
    a.settle();
    let summary = "Seoul City Hall hosted the first forum";
    assert!(screen(&a).join("\n").contains(summary), "the reader's header: {}", screen(&a).join("\n"));
    press(&mut a, 'i');
    let info = screen(&a).join("\n");
    assert!(info.contains("Summary") && info.contains(summary), "the info: {info}");
}

#[test]
fn the_info_shows_the_whole_url_plain_and_everything_known() {
    let dir = library_with_url();
    let mut a = app_for(dir.path(), 80, 40);
    select_id(&mut a, FORUM);
    press(&mut a, 'i');
    assert_eq!(a.overlay, Some(Overlay::Info));
    let s = screen(&a);
    let text = s.join("\n");
    // The URL: its rows start at the first column and hold nothing else, so a selection of
    // them copies exactly the URL.
    let first = s.iter().position(|r| r.starts_with("https://")).unwrap_or_else(|| panic!("{text}"));
    let rows: Vec<&str> =
        s[first..].iter().map(|r| r.trim_end()).take_while(|r| !r.is_empty() && !r.starts_with(' ')).collect();
    assert_eq!(rows.concat(), LONG_URL, "{text}");
    assert!(rows.len() > 1 && rows[0].width() == 80, "wrapped at the screen's edge: {rows:?}");
    for r in &rows {
        assert!(!r.contains(['│', '┌', '└', '║', ' ']), "nothing but the URL on its rows: {r:?}");
    }
    for expected in [
        "Seoul City Hall hosted the first forum",
        "north korea, human rights",
        "ko→en",
        "Hangang Morning Post",
        "2024-07-11",
        "Kim Su-a",
        "Claire Donnelly",
        "as the file gives them: 17 paragraph groups",
        "hangang",
        "seoul-forum-north-korean-human-rights.toml",
        "o opens the URL",
        "e edits the file",
    ] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }
    // The file's path, absolute and plain too.
    let path = std::path::absolute(dir.path().join(format!("{FORUM}.toml"))).unwrap();
    let file_row = s.iter().position(|r| r.starts_with('/')).unwrap();
    let path_rows: String =
        s[file_row..].iter().map(|r| r.trim_end()).take_while(|r| !r.is_empty() && !r.starts_with(' ')).collect();
    assert!(path_rows.starts_with(path.to_str().unwrap()), "{path_rows}");
    // Esc closes; i toggles.
    a.handle_key(&key(KeyCode::Esc));
    assert_eq!(a.overlay, None);
    press(&mut a, 'i');
    press(&mut a, 'i');
    assert_eq!(a.overlay, None);
}

#[test]
fn the_info_opens_from_the_reader_and_says_how_the_article_was_aligned_and_translated() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("aligned.toml"),
        "title = \"Aligned\"\nsource_lang = \"es\"\ntarget_lang = \"en\"\n\
         machine_translation = { engine = \"apertium\", kind = \"command\", date = \"2026-12-02\" }\n\
         [body]\nsource = \"Uno.\\n\\nDos.\"\ntranslation = \"One.\\n\\nTwo.\"\n",
    )
    .unwrap();
    let mut a = app_for(dir.path(), 100, 30);
    a.update(Action::Open);
    a.settle();
    press(&mut a, 'i');
    let text = screen(&a).join("\n");
    assert!(text.contains("by the aligner: 2 groups (2×1-1)"), "{text}");
    assert!(text.contains("by machine: apertium (command, 2026-12-02)"), "{text}");
    assert!(text.contains("URL         none"), "{text}");
}

#[test]
fn o_with_nothing_to_open_urls_shows_the_info_and_y_copies_the_url_from_it() {
    let dir = library_with_url();
    let mut a = app_for(dir.path(), 120, 40);
    select_id(&mut a, FORUM);
    a.update(Action::Open);
    a.settle();
    a.take_effects();
    assert!(!a.can_open_urls);
    press(&mut a, 'o');
    assert_eq!(a.overlay, Some(Overlay::Info), "o over SSH shows the info");
    assert!(a.take_effects().is_empty());
    assert!(a.message.as_deref().unwrap().starts_with("nothing here can open the URL"), "{:?}", a.message);
    press(&mut a, 'y');
    assert_eq!(a.take_effects(), vec![Effect::Copy(LONG_URL.into())], "y copies the URL in the info");
    assert_eq!(a.message.as_deref(), Some("the URL sent to the terminal (OSC 52)"));
    a.copy_to_tmux = true;
    press(&mut a, 'Y');
    assert_eq!(a.take_effects(), vec![Effect::Copy(LONG_URL.into())]);
    assert_eq!(a.message.as_deref(), Some("the URL sent to tmux's buffer and the terminal (OSC 52)"));
    press(&mut a, 'e');
    let path = dir.path().join(format!("{FORUM}.toml"));
    assert_eq!(a.take_effects(), vec![Effect::Edit(path)]);
    // Where a browser can be started, o in the info opens the URL.
    a.can_open_urls = true;
    press(&mut a, 'o');
    assert_eq!(a.take_effects(), vec![Effect::Open(LONG_URL.into())]);
    // From the list, the info's keys are the same.
    a.handle_key(&key(KeyCode::Esc));
    a.update(Action::Back);
    assert_eq!(a.focus, Focus::List);
    press(&mut a, 'i');
    press(&mut a, 'y');
    assert_eq!(a.take_effects(), vec![Effect::Copy(LONG_URL.into())], "y in the info opened from the list");
}

#[test]
fn an_edited_article_is_read_again_in_place() {
    let dir = library_with_url();
    let mut a = app_for(dir.path(), 120, 40);
    select_id(&mut a, FORUM);
    a.update(Action::Open);
    a.settle();
    for _ in 0..4 {
        a.update(Action::NextParagraph);
    }
    let path = dir.path().join(format!("{FORUM}.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replacen("title = \"Seoul hosts", "title = \"Edited: Seoul hosts", 1)
        .replace("The Seoul Metropolitan Government held", "The city government held");
    std::fs::write(&path, text).unwrap();
    let reloaded = Library::load_one(dir.path(), &path, bitext::library::DEFAULT_MAX_FILE_SIZE);
    a.article_edited(&path, reloaded, Ok(()));
    a.settle();
    assert_eq!(a.message.as_deref(), Some(format!("{FORUM} read again").as_str()));
    assert_eq!(a.selected_article().unwrap().meta.id, FORUM);
    assert!(a.selected_article().unwrap().meta.title.starts_with("Edited: "));
    assert_eq!(a.focus, Focus::Reader);
    assert_eq!(a.paragraph_position().unwrap().0, 5, "the reading place stays");
    let body = a.selected_article().unwrap().groups.iter().flat_map(|g| g.translation.clone()).collect::<String>();
    assert!(body.contains("The city government held"), "the body is read again");

    // A file the editor broke: the error is said, and the article leaves the list.
    std::fs::write(&path, "title = \n").unwrap();
    let reloaded = Library::load_one(dir.path(), &path, bitext::library::DEFAULT_MAX_FILE_SIZE);
    a.article_edited(&path, reloaded, Err("vi ended with status 1".into()));
    let message = a.message.clone().unwrap();
    assert!(message.starts_with("vi ended with status 1; the file has an error:"), "{message}");
    assert!(a.library.articles.iter().all(|x| x.meta.id != FORUM));
    assert_eq!(a.library.error_count(), 1);
}

#[test]
fn the_info_and_long_messages_fit_every_size() {
    let dir = library_with_url();
    for (w, h) in [(40, 10), (41, 11), (64, 24), (80, 24), (120, 40), (200, 50), (300, 100)] {
        let mut a = app_for(dir.path(), w, h);
        for i in 0..a.library.articles.len() {
            a.select(i);
            a.settle();
            a.update(Action::Info);
            a.message = Some(format!("could not run firefox: No such file or directory; URL: {LONG_URL}"));
            let s = screen(&a);
            assert!(s[0].contains("About this article"), "{w}x{h}:\n{}", s.join("\n"));
            for r in &s {
                assert_eq!(r.width(), usize::from(w), "{w}x{h}: {r:?}");
            }
            a.update(Action::Bottom);
            screen(&a);
            a.update(Action::Info);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Habits of newsboat and less users

#[test]
fn brackets_step_through_unread_articles_from_the_reader() {
    let mut a = app(120, 40);
    a.update(Action::Open);
    a.settle();
    assert!(is_read(&a, a.view[0]));
    // The second article was read already: ] skips it.
    let second = a.view[1];
    set_read(&mut a, second, true);
    press(&mut a, ']');
    a.settle();
    assert_eq!(a.selected, a.view[2], "the next unread article");
    assert_eq!(a.focus, Focus::Reader, "opened in the reader");
    assert!(is_read(&a, a.view[2]), "and read once shown");
    press(&mut a, '[');
    a.settle();
    assert_eq!(a.selected, a.view[7], "the previous unread goes round from the bottom");
    assert!(a.message.as_deref().unwrap().contains("went round to the bottom"), "{:?}", a.message);
    // With everything read there is nowhere to go.
    for &i in &a.view.clone() {
        set_read(&mut a, i, true);
    }
    let at = a.selected;
    press(&mut a, ']');
    assert_eq!(a.selected, at);
    assert_eq!(a.message.as_deref(), Some("no other unread article"));
}

#[test]
fn brackets_in_the_list_move_the_selection_without_opening() {
    let mut a = app(80, 24);
    press(&mut a, ']');
    assert_eq!(a.selected, a.view[1]);
    assert_eq!(a.focus, Focus::List);
    assert!(!is_read(&a, a.view[1]));
}

#[test]
fn capital_a_marks_every_listed_article_read_and_m_undoes_one() {
    let mut a = app(120, 40);
    press(&mut a, 'A');
    assert_eq!(a.message.as_deref(), Some("marked 8 articles read"));
    assert_eq!(a.unread_count(), 0);
    press(&mut a, 'm');
    assert_eq!(a.unread_count(), 1, "m marks the selected one unread again");
    press(&mut a, 'A');
    assert_eq!(a.message.as_deref(), Some("marked 1 article read"));
    press(&mut a, 'A');
    assert_eq!(a.message.as_deref(), Some("every listed article is already read"));
    // Only what the list shows: here the three Korean articles.
    for i in 0..a.library.articles.len() {
        set_read(&mut a, i, false);
    }
    a.filter.facet = Some(bitext::tui::library_view::Facet::Languages("ko→en".into()));
    a.rebuild_view();
    assert_eq!(a.view.len(), 3);
    press(&mut a, 'A');
    assert_eq!(a.message.as_deref(), Some("marked 3 articles read"));
    assert_eq!(a.unread_count(), 5);
}

#[test]
fn esc_in_the_list_clears_the_filters_with_the_search() {
    let mut a = app(120, 40);
    press(&mut a, 'u');
    press(&mut a, 'S');
    assert!(a.view.is_empty(), "nothing is starred");
    a.handle_key(&key(KeyCode::Esc));
    assert_eq!(a.view.len(), 8);
    assert!(!a.filter.unread && !a.filter.starred);
    assert_eq!(a.message.as_deref(), Some("filters cleared: 8 articles listed"));
    // A facet and a search together.
    press(&mut a, 't');
    a.handle_key(&key(KeyCode::Enter));
    assert!(a.filter.facet.is_some());
    a.set_search("seoul");
    a.handle_key(&key(KeyCode::Esc));
    assert!(a.filter.facet.is_none() && a.search.is_none());
    assert_eq!(a.view.len(), 8);
}

#[test]
fn the_picker_narrows_as_letters_are_typed() {
    let mut a = app(120, 40);
    press(&mut a, 't');
    let all = a.picker_matches().len();
    for c in "her".chars() {
        press(&mut a, c);
    }
    let labels: Vec<String> = a.picker_matches().iter().map(|(_, (f, _))| f.label()).collect();
    assert!(!labels.is_empty() && labels.len() < all, "{labels:?}");
    assert!(labels.iter().all(|l| l.to_lowercase().contains("her")), "{labels:?}");
    assert!(screen(&a).join("\n").contains("Filter by: her"));
    press(&mut a, 'x');
    assert!(a.picker_matches().is_empty());
    assert!(screen(&a).join("\n").contains("nothing matches"));
    a.handle_key(&key(KeyCode::Backspace));
    // j is typed, not a move: the arrows move.
    a.handle_key(&key(KeyCode::Down));
    let chosen = a.picker_matches()[1].1.0.clone();
    a.handle_key(&key(KeyCode::Enter));
    assert_eq!(a.overlay, None);
    assert_eq!(a.filter.facet, Some(chosen));
    assert!(a.picker_query.is_empty(), "the next picker starts afresh");
    // Two words: both must be in the label.
    press(&mut a, 't');
    for c in "tag: korea".chars() {
        press(&mut a, c);
    }
    let labels: Vec<String> = a.picker_matches().iter().map(|(_, (f, _))| f.label()).collect();
    assert_eq!(labels, ["tag: north korea"]);
    a.handle_key(&key(KeyCode::Esc));
    assert_eq!(a.overlay, None);
}

#[test]
fn a_key_of_the_other_pane_says_where_it_works() {
    let mut a = app(80, 24);
    a.update(Action::Open);
    press(&mut a, 'S');
    assert_eq!(a.message.as_deref(), Some("S works in the list (Tab goes there)"));
    assert!(!a.filter.starred);
    press(&mut a, 'A');
    assert_eq!(a.message.as_deref(), Some("A works in the list (Tab goes there)"));
    a.update(Action::Back);
    press(&mut a, 'y');
    assert_eq!(a.message.as_deref(), Some("y works in the reader (Enter opens the article)"));
    // A key bound nowhere says nothing.
    a.message = None;
    press(&mut a, 'w');
    assert_eq!(a.message, None);
}

// ---------------------------------------------------------------------------------------------
// The real binary

/// A fake `tmux` in its own folder that records its arguments and what it reads.
fn fake_tmux(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("tmux");
    let record = dir.join("record");
    std::fs::write(&script, format!("#!/bin/sh\necho \"$@\" >> '{0}.args'\ncat >> '{0}.stdin'\n", record.display()))
        .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

#[test]
fn inside_tmux_y_goes_through_the_passthrough_and_into_tmuxs_buffer() {
    let fake = tempfile::tempdir().unwrap();
    let bin = fake_tmux(fake.path());
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let mut tui = Spawn::new(120, 40).env("PATH", path).env("TMUX", "/tmp/tmux-0/default,1,0").start();
    tui.wait_for_text("8 articles");
    tui.send(b"j");
    tui.wait_for_text(FORUM);
    tui.send(ENTER);
    tui.wait_for_status("¶ 1/17");
    tui.send(b"y");
    tui.wait_for("the copy to be said", |t| t.contents().contains("sent to tmux's buffer and the terminal (OSC 52)"));
    let record = fake.path().join("record");
    tui.wait_for("tmux to be run", |_| {
        std::fs::read_to_string(record.with_extension("stdin")).is_ok_and(|s| s.contains("The Seoul Metropolitan"))
    });
    assert_eq!(std::fs::read_to_string(record.with_extension("args")).unwrap().trim(), "load-buffer -w -");
    let copied = std::fs::read_to_string(record.with_extension("stdin")).unwrap();
    assert!(copied.starts_with("서울시가") && copied.contains("The Seoul Metropolitan Government"), "{copied}");
    // The OSC 52 sequence went to the terminal wrapped in tmux's passthrough, its ESC doubled.
    let bytes = tui.bytes();
    let start = b"\x1bPtmux;\x1b\x1b]52;c;";
    let at = common::pty::find(&bytes, start, 0).expect("no OSC 52 in tmux's passthrough");
    let end = common::pty::find(&bytes, b"\x07\x1b\\", at).expect("the passthrough is not ended");
    use base64::Engine;
    let payload = base64::engine::general_purpose::STANDARD.decode(&bytes[at + start.len()..end]).unwrap();
    assert_eq!(String::from_utf8(payload).unwrap(), copied);
    tui.send(b"q");
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}

#[test]
fn outside_tmux_y_says_it_was_sent_to_the_terminal() {
    let mut tui = Spawn::new(120, 40).start();
    tui.wait_for_text("8 articles");
    tui.send(b"j");
    tui.wait_for_text(FORUM);
    tui.send(ENTER);
    tui.wait_for_status("¶ 1/17");
    tui.send(b"y");
    tui.wait_for("the copy to be said", |t| t.contents().contains("sent to the terminal (OSC 52)"));
    assert!(!tui.contents().contains("copied"), "{}", tui.framed_screen());
    assert!(common::pty::find(&tui.bytes(), b"\x1b]52;c;", 0).is_some());
    assert!(common::pty::find(&tui.bytes(), b"\x1bPtmux;", 0).is_none());
    tui.send(b"q");
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}

#[test]
fn capital_r_says_when_the_reload_is_done_and_what_changed() {
    let lib = tempfile::tempdir().unwrap();
    copy_library(Path::new(SAMPLE_LIBRARY), lib.path());
    let mut tui = Spawn::new(100, 30).library(lib.path()).start();
    tui.wait_for_text("8 articles");
    tui.send(b"R");
    tui.wait_for_message("library reloaded: 8 articles, as before");
    assert!(!tui.contents().contains("reloading the library"), "{}", tui.framed_screen());
    // A file removed: the watcher may see it first, and R then finds the library as it is.
    std::fs::remove_file(lib.path().join("de/deutschlandticket-start.toml")).unwrap();
    tui.wait_for_text("7 articles");
    tui.send(b"R");
    tui.wait_for_message("library reloaded: 7 articles, as before");
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}

#[test]
fn the_reload_line_counts_the_articles_that_came_changed_and_went() {
    use bitext::tui::reload::LibraryChanges;
    let dir = tempfile::tempdir().unwrap();
    copy_library(Path::new(SAMPLE_LIBRARY), dir.path());
    let mut a = app_for(dir.path(), 120, 40);
    std::fs::remove_file(dir.path().join("de/deutschlandticket-start.toml")).unwrap();
    let ja = dir.path().join("ja/sakura-front-sample-trees.toml");
    let text = std::fs::read_to_string(&ja).unwrap().replacen("title = \"", "title = \"Retitled: ", 1);
    std::fs::write(&ja, text).unwrap();
    std::fs::write(
        dir.path().join("new.toml"),
        "title = \"New\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n[[paragraphs]]\nsource = \"가\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("broken.toml"), "title = \n").unwrap();
    let new = Library::scan(dir.path()).unwrap();
    let changes = LibraryChanges::between(&a.library, &new);
    assert_eq!(changes, LibraryChanges { articles: 8, new: 1, changed: 1, gone: 1 });
    a.replace_library(new);
    a.reloaded(changes);
    assert_eq!(
        a.message.as_deref(),
        Some("library reloaded: 8 articles (1 new, 1 changed, 1 gone), 1 file with errors")
    );
    let same = Library::scan(dir.path()).unwrap();
    a.reloaded(LibraryChanges::between(&a.library, &same));
    assert_eq!(a.message.as_deref(), Some("library reloaded: 8 articles, as before, 1 file with errors"));
}

#[test]
fn e_hands_the_terminal_to_the_editor_and_reads_the_article_again() {
    use std::os::unix::fs::PermissionsExt;
    let lib = tempfile::tempdir().unwrap();
    copy_library(Path::new(SAMPLE_LIBRARY), lib.path());
    let tools = tempfile::tempdir().unwrap();
    let marker = tools.path().join("typed");
    let editor = tools.path().join("editor");
    // Reads a line from the terminal, which works only in cooked mode with nothing else
    // reading it, then changes the article's title.
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\nprintf 'EDITOR READY\\n'\nread line\nprintf '%s' \"$line\" > '{}'\n\
             sed -i 's/^title = .*/title = \"Retitled in the editor\"/' \"$1\"\n",
            marker.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut tui = Spawn::new(100, 30).library(lib.path()).env("EDITOR", &editor).start();
    tui.wait_for_text("8 articles");
    tui.send(b"j");
    tui.wait_for_text(FORUM);
    tui.send(ENTER);
    tui.wait_for_status("¶ 1/17");
    tui.send(b"}}");
    tui.wait_for_status("¶ 3/17");
    tui.send(b"e");
    tui.wait_for_text("EDITOR READY");
    assert!(!tui.screen_modes().0, "the editor runs on the main screen");
    tui.send(b"hello editor\r");
    tui.wait_for_text("Retitled in the editor");
    assert_eq!(std::fs::read_to_string(&marker).unwrap(), "hello editor", "every key went to the editor");
    tui.wait_for_message(&format!("{FORUM} read again"));
    assert!(tui.screen_modes().0, "back on the alternate screen");
    assert!(tui.status_fields().iter().any(|f| f == "¶ 3/17"), "the reading place stays: {}", tui.framed_screen());
    // Keys reach bitext again.
    tui.send(b"i");
    tui.wait_for_text("About this article");
    tui.send(ESC);
    tui.wait_for_gone("About this article");
    tui.send(b"q");
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}

#[test]
fn o_over_ssh_shows_the_whole_url_in_the_info() {
    let lib = library_with_url();
    let mut tui = Spawn::new(80, 24).library(lib.path()).env("SSH_CONNECTION", "10.0.0.1 22 10.0.0.2 22").start();
    tui.wait_for_text("8 articles");
    tui.send(b"j");
    tui.send(ENTER);
    tui.wait_for_status("¶ 1/17");
    tui.send(b"o");
    tui.wait_for_text("About this article");
    let rows = tui.rows();
    let first = rows.iter().position(|r| r.starts_with("https://")).expect("the URL's first row");
    let url: String =
        rows[first..].iter().map(|r| r.trim_end()).take_while(|r| !r.is_empty() && !r.starts_with(' ')).collect();
    assert_eq!(url, LONG_URL, "{}", tui.framed_screen());
    tui.send(b"q");
    tui.wait_for_gone("About this article");
    tui.send(b"q");
    tui.send(b"q");
    assert!(tui.wait_exit().success());
}

/// Files that come and go while the reader is open: the status line says the count each time,
/// not the first change's count after the second (a message of another kind stays).
#[test]
fn the_library_count_says_what_came_and_then_what_went() {
    let library = Library::scan(Path::new(SAMPLE_LIBRARY)).unwrap();
    let n = library.articles.len();
    let mut more = library.clone();
    let mut copy = more.articles[0].clone();
    copy.meta.id = "zz/copy".into();
    more.articles.push(copy);
    let mut a = app(100, 30);
    a.library_arrived(more.clone(), false);
    assert_eq!(a.message.as_deref(), Some(format!("library: {} articles (+1)", n + 1).as_str()));
    a.library_arrived(library.clone(), false);
    assert_eq!(a.message.as_deref(), Some(format!("library: {n} articles (-1)").as_str()));
    a.message = Some("copied the paragraph".into());
    a.library_arrived(more, false);
    assert_eq!(a.message.as_deref(), Some("copied the paragraph"));
}
