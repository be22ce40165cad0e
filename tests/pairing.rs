//! The pairing facts of the article format in the reader (the gutter's `↕7` and `?`, the
//! header's `paired:` line, the status line's note on the cursor's pair), and fixing a pair by
//! hand: `+` joins, `-` splits, `x` unlinks, `u` undoes, each written to the article file and
//! read back, the cursor kept on the edited pair. The App is driven without a terminal (its
//! loop's part through `App::settle`) and drawn into ratatui's TestBackend.

mod common;

use std::path::{Path, PathBuf};

use bitext::config::{Config, ThemeName};
use bitext::library::Library;
use bitext::render::{Mode, Options};
use bitext::tui::app::Effect;
use bitext::tui::theme::{ColorSupport, Theme};
use bitext::tui::{Action, App};
use common::app_screen::screen;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

/// Four pairs: a plain one, a moved and unsure one, a merged one (two source paragraphs against
/// one translation) and a last plain one; comments and keys the edits must leave alone.
const ARTICLE: &str = r#"# Written by hand for the pairing tests.
title = "Seoul opens a night market"   # the headline
source_lang = "ko"
target_lang = "en"
tags = ["seoul",   "markets"]

[alignment]
method = "anchors and lengths"
confidence = 0.87

# The lead.
[[paragraphs]]
source = "서울시가 여의도에 야시장을 열었다."
translation = "Seoul opened a night market on Yeouido."

[[paragraphs]]
source = "상인 200명이 참여한다."
translation = "Two hundred traders take part."
moved_from = 7
confidence = 0.31

[[paragraphs]]
source = """
시장은 금요일마다 열린다.

비가 오면 쉰다."""
translation = "The market opens on Fridays, except when it rains."

[[paragraphs]]
source = "입장은 무료다."
translation = "Entry is free."
# The end.
"#;

struct Lib {
    dir: tempfile::TempDir,
}

impl Lib {
    fn new(text: &str) -> Lib {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("market.toml"), text).unwrap();
        Lib { dir }
    }

    fn file(&self) -> PathBuf {
        self.dir.path().join("market.toml")
    }

    fn text(&self) -> String {
        std::fs::read_to_string(self.file()).unwrap()
    }

    /// The pairs the file now holds, as (source, translation) paragraphs.
    fn pairs(&self) -> Vec<(Vec<String>, Vec<String>)> {
        let parsed = bitext::article::parse(self.text().as_bytes(), "market", &self.file());
        let article = parsed.article.unwrap_or_else(|| panic!("{:?}", parsed.diagnostics));
        article.groups.iter().map(|g| (g.source.clone(), g.translation.clone())).collect()
    }
}

/// The reader open on the library's one article, side by side at `w`×`h`.
fn reader(dir: &Path, (w, h): (u16, u16), theme: Theme) -> App {
    let mut app = App::new(Library::scan(dir).unwrap(), theme, Options::default(), Mode::Translation);
    app.update(Action::Resize(w, h));
    app.select(0);
    app.settle();
    app.update(Action::Open);
    app.update(Action::SetMode(Mode::SideBySide));
    app.settle();
    app
}

fn default_theme() -> Theme {
    Theme::from_colors(&Config::default().colors)
}

fn press(app: &mut App, c: char) {
    app.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
}

/// A key, and the loop's part of what it asked for.
fn press_and_settle(app: &mut App, c: char) {
    press(app, c);
    app.settle();
}

fn cursor(app: &App) -> usize {
    app.reader.as_ref().unwrap().current
}

fn p(s: &[&str], t: &[&str]) -> (Vec<String>, Vec<String>) {
    (s.iter().map(|x| x.to_string()).collect(), t.iter().map(|x| x.to_string()).collect())
}

/// The screen row holding `text`, and the text left of it there (the gutter).
fn row_with<'a>(screen: &'a [String], text: &str) -> (&'a str, &'a str) {
    let row = screen.iter().find(|r| r.contains(text)).unwrap_or_else(|| panic!("{text:?} in {screen:#?}"));
    (row, &row[..row.find(text).unwrap()])
}

#[test]
fn the_gutter_the_header_and_the_status_line_show_the_pairing_facts() {
    let lib = Lib::new(ARTICLE);
    let mut a = reader(lib.dir.path(), (120, 40), default_theme());
    let s = screen(&a);
    let all = s.join("\n");
    assert!(all.contains("paired: anchors and lengths · 0.87 · 1 unsure · 1 moved"), "{all}");
    // The moved, unsure pair is one row: both marks side by side, left of its text.
    let (_, gutter) = row_with(&s, "상인 200명이");
    assert!(gutter.ends_with("↕7? ") || gutter.ends_with("↕7?▌"), "{gutter:?}");
    // The merged pair: its kind on its first row.
    let (_, gutter) = row_with(&s, "시장은 금요일마다");
    assert!(gutter.trim_end().ends_with("2:1"), "{gutter:?}");
    // Both columns start on the same row, whatever the gutter shows.
    let (row, _) = row_with(&s, "상인 200명이");
    assert!(row.contains("Two hundred traders"), "{row}");
    // The cursor on the moved pair: the status line says what the marks mean.
    press(&mut a, '}');
    assert_eq!(cursor(&a), 1);
    let last = screen(&a).join("\n");
    assert!(last.contains("moved: source ¶7 · unsure pair (confidence 0.31)"), "{last}");
    // In ASCII, one column for one.
    let ascii = Theme::named(ThemeName::Default, true, ColorSupport::TRUECOLOR);
    let a = reader(lib.dir.path(), (120, 40), ascii);
    let s = screen(&a);
    let (_, gutter) = row_with(&s, "상인 200명이");
    assert!(gutter.ends_with("^7? ") || gutter.ends_with("^7?|"), "{gutter:?}");
    assert!(s.join("\n").contains("paired: anchors and lengths - 0.87 - 1 unsure - 1 moved"));
}

#[test]
fn join_writes_the_file_rereads_it_and_undo_restores_the_bytes() {
    let lib = Lib::new(ARTICLE);
    let mut a = reader(lib.dir.path(), (120, 40), default_theme());
    press(&mut a, '}');
    press(&mut a, '+');
    assert!(matches!(a.take_effects().as_slice(), [Effect::EditPairing(e)] if e.index == 1), "the loop writes");
    assert_eq!(lib.text(), ARTICLE, "nothing is written by update itself");
    press_and_settle(&mut a, '+');
    assert_eq!(a.message.as_deref(), Some("joined ¶2 and ¶3 (written to market.toml)"));
    assert_eq!(
        lib.pairs()[1],
        p(
            &["상인 200명이 참여한다.", "시장은 금요일마다 열린다.", "비가 오면 쉰다."],
            &["Two hundred traders take part.", "The market opens on Fridays, except when it rains."]
        )
    );
    let text = lib.text();
    assert!(text.starts_with(&ARTICLE[..ARTICLE.find("[[paragraphs]]\nsource = \"상인").unwrap()]), "{text}");
    assert!(text.contains("manual = true") && !text.contains("moved_from") && !text.contains("confidence = 0.31"));
    assert!(text.ends_with("translation = \"Entry is free.\"\n# The end.\n"), "{text}");
    // The reader shows what the file holds, the cursor on the joined pair.
    let article = &a.library.articles[a.selected];
    assert_eq!(article.groups.len(), 3);
    assert!(article.groups[1].manual);
    assert_eq!(cursor(&a), 1);
    let s = screen(&a);
    assert!(s.join("\n").contains("paired: anchors and lengths · 0.87 · 1 by hand"), "{s:#?}");
    let (_, gutter) = row_with(&s, "상인 200명이");
    assert!(gutter.trim_end().trim_end_matches('▌').ends_with("3:2"), "{gutter:?}");
    // Undo: the file byte for byte as it was, the pairs as they were.
    press_and_settle(&mut a, 'u');
    assert_eq!(a.message.as_deref(), Some("undone: joined ¶2 and ¶3 (market.toml is as it was)"));
    assert_eq!(lib.text(), ARTICLE);
    assert_eq!(a.library.articles[a.selected].groups.len(), 4);
    assert_eq!(cursor(&a), 1);
    press_and_settle(&mut a, 'u');
    assert_eq!(a.message.as_deref(), Some("no pairing edit of this article to undo"));
}

#[test]
fn split_and_unlink_then_undo_each_in_turn() {
    let lib = Lib::new(ARTICLE);
    let mut a = reader(lib.dir.path(), (120, 40), default_theme());
    // A plain pair: nothing to split, at once and without touching the file.
    press(&mut a, '-');
    assert_eq!(a.message.as_deref(), Some("nothing to split: ¶1 is one paragraph against one"));
    assert!(a.take_effects().is_empty());
    press(&mut a, '}');
    press(&mut a, '}');
    press_and_settle(&mut a, '-');
    assert_eq!(a.message.as_deref(), Some("split ¶3 into 2 pairs (written to market.toml)"));
    let after_split = lib.text();
    assert_eq!(
        lib.pairs()[2..4],
        [
            p(&["시장은 금요일마다 열린다."], &["The market opens on Fridays, except when it rains."]),
            p(&["비가 오면 쉰다."], &[])
        ]
    );
    assert_eq!(cursor(&a), 2);
    press_and_settle(&mut a, 'x');
    assert_eq!(a.message.as_deref(), Some("unlinked ¶3: its source, then its translation (written to market.toml)"));
    assert_eq!(
        lib.pairs()[2..5],
        [
            p(&["시장은 금요일마다 열린다."], &[]),
            p(&[], &["The market opens on Fridays, except when it rains."]),
            p(&["비가 오면 쉰다."], &[])
        ]
    );
    assert!(screen(&a).join("\n").contains("0:1 (no source text)"));
    // Once the message is gone, the status line says how the cursor's pair was made.
    press(&mut a, '}');
    press(&mut a, '{');
    assert_eq!(cursor(&a), 2);
    let s = screen(&a);
    assert!(s.last().unwrap().contains("paired by hand"), "{s:#?}");
    press_and_settle(&mut a, 'u');
    assert_eq!(lib.text(), after_split, "the unlink undone");
    press_and_settle(&mut a, 'u');
    assert_eq!(lib.text(), ARTICLE, "then the split");
}

#[test]
fn a_file_changed_on_disk_or_read_only_is_never_written() {
    use std::os::unix::fs::PermissionsExt;
    let lib = Lib::new(ARTICLE);
    let mut a = reader(lib.dir.path(), (120, 40), default_theme());
    // Someone else changed a translation since the reader read the file.
    let theirs = ARTICLE.replace("Entry is free.", "Entry costs nothing.");
    std::fs::write(lib.file(), &theirs).unwrap();
    press_and_settle(&mut a, '+');
    assert_eq!(
        a.message.as_deref(),
        Some("market.toml: the file changed on disk since it was read; nothing was written")
    );
    assert_eq!(lib.text(), theirs);
    assert_eq!(a.library.articles[a.selected].groups.len(), 4, "the reader keeps what it showed");
    // A read-only file is not replaced, though its folder would allow it.
    std::fs::write(lib.file(), ARTICLE).unwrap();
    std::fs::set_permissions(lib.file(), std::fs::Permissions::from_mode(0o444)).unwrap();
    press_and_settle(&mut a, '+');
    assert_eq!(a.message.as_deref(), Some("market.toml is read-only; nothing was written"));
    assert_eq!(lib.text(), ARTICLE);
    // Writable again: the edit goes through, and the file keeps its mode.
    std::fs::set_permissions(lib.file(), std::fs::Permissions::from_mode(0o640)).unwrap();
    press_and_settle(&mut a, '+');
    assert!(a.message.as_deref().unwrap().starts_with("joined ¶1 and ¶2"), "{:?}", a.message);
    assert_eq!(std::fs::metadata(lib.file()).unwrap().permissions().mode() & 0o777, 0o640);
    // Changed again after the edit: the undo refuses and leaves it.
    let later = lib.text().replace("Entry is free.", "Entry is still free.");
    std::fs::write(lib.file(), &later).unwrap();
    press_and_settle(&mut a, 'u');
    assert_eq!(a.message.as_deref(), Some("market.toml changed on disk since joined ¶1 and ¶2; not undone"));
    assert_eq!(lib.text(), later);
}

#[test]
fn a_body_article_is_written_as_its_pairs_then_edited() {
    let body = "# Paired by bitext when read.\ntitle = \"Night market\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n\n\
                # The two texts.\n[body]\nsource = \"\"\"\n서울시가 야시장을 열었다.\n\n상인 200명이 참여한다.\n\"\"\"\n\
                translation = \"\"\"\nSeoul opened a night market.\n\nTwo hundred traders take part.\n\"\"\"\n";
    let lib = Lib::new(body);
    let mut a = reader(lib.dir.path(), (120, 40), default_theme());
    assert!(screen(&a).join("\n").contains("aligned: 2×1-1"));
    press_and_settle(&mut a, 'x');
    assert_eq!(a.message.as_deref(), Some("unlinked ¶1: its source, then its translation (written to market.toml)"));
    let text = lib.text();
    assert!(!text.contains("[body]"), "{text}");
    assert!(
        text.starts_with("# Paired by bitext when read.\ntitle = \"Night market\"\nsource_lang = \"ko\"\ntarget_lang = \"en\"\n\n# The two texts.\n[[paragraphs]]\n"),
        "{text}"
    );
    assert_eq!(
        lib.pairs(),
        [
            p(&["서울시가 야시장을 열었다."], &[]),
            p(&[], &["Seoul opened a night market."]),
            p(&["상인 200명이 참여한다."], &["Two hundred traders take part."])
        ]
    );
    // The header now tells what the file says: given pairs, two of them by hand.
    let s = screen(&a).join("\n");
    assert!(s.contains("paired: 2 by hand") && !s.contains("aligned:"), "{s}");
    press_and_settle(&mut a, 'u');
    assert_eq!(lib.text(), body);
    assert!(screen(&a).join("\n").contains("aligned: 2×1-1"));
}

/// In a narrow terminal the reader has the whole screen; interleaved, the marks of a pair stack
/// on its lines and the text stays in its column.
#[test]
fn narrow_screens_keep_the_text_in_place() {
    let lib = Lib::new(ARTICLE);
    for (w, h) in [(40, 20), (60, 30)] {
        let mut a = reader(lib.dir.path(), (w, h), default_theme());
        a.update(Action::SetMode(Mode::Interleaved));
        let s = screen(&a);
        let (_, source) = row_with(&s, "상인 200명이");
        let (_, translation) = row_with(&s, "Two hundred");
        assert!(source.ends_with("↕7  "), "{w}: {source:?}");
        assert!(translation.ends_with("?   "), "{w}: {translation:?}");
        assert_eq!(source.width(), translation.width(), "{w}: both lines start in one column");
    }
}
