//! Issue 7: key bindings from `[keys]`, themes, `--ascii`, `NO_COLOR`, and the command-line
//! conveniences (`config`, `completions`, `man`, `--log-level`). Screens are drawn with ratatui's
//! TestBackend; the command line runs the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use bitext::config::{self, Config, ThemeName};
use bitext::library::Library;
use bitext::render::{Mode, Options};
use bitext::tui::keymap::Keymap;
use bitext::tui::theme::{self, ColorSupport, Theme};
use bitext::tui::{Action, App, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;

// ---------------------------------------------------------------------------------------------
// Helpers

fn articles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("articles")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-configs")
}

/// The binary with no config, state or colour settings from the machine it runs on.
fn bitext_in(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bitext"));
    cmd.args(args)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env_remove("BITEXT_CONFIG")
        .env_remove("NO_COLOR")
        .env_remove("COLORTERM");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn bitext(args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    bitext_in(home.path(), args, &[])
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A library of ASCII-only articles (every kind of paragraph, a missing side, merged
/// paragraphs) and one broken file, so that every part of the interface has something to show.
fn ascii_library() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("harbour.toml"),
        r#"title = "The harbour reopens after a long winter of repairs to the old stone quay"
source_title = "Der Hafen ist wieder offen"
source_lang = "de"
target_lang = "en"
outlet = "Nordsee Abendblatt"
published = 2024-05-02
authors = ["Anna Berg", "Jonas Wolf"]
translator = "Claire Donnelly"
tags = ["harbour", "town"]
url = "https://news.example/harbour"

[[paragraphs]]
source = "Nach sechs Monaten Bauzeit ist der alte Hafen wieder fuer Boote offen. Die Stadt hat die Kaimauer erneuert."
translation = "After six months of work the old harbour is open to boats again. The town has rebuilt the quay wall."

[[paragraphs]]
kind = "heading"
source = "Was sich geaendert hat"
translation = "What has changed"

[[paragraphs]]
kind = "quote"
source = "Wir sind froh, dass wir wieder rausfahren koennen, sagte ein Fischer am Morgen."
translation = "We are glad we can go out again, a fisherman said in the morning."

[[paragraphs]]
kind = "caption"
source = "Der neue Kai am Morgen."

[[paragraphs]]
source = """
Die Arbeiten kosteten zwei Millionen Euro.

Das Land zahlte die Haelfte."""
translation = "The work cost two million euros, half of it paid by the state."
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("market.toml"),
        r#"title = "A market day"
source_lang = "es"
target_lang = "en"
published = 2023-11-02
outlet = "El Mirador"

[body]
source = """
El mercado abre cada sabado por la manana.

Los vecinos venden queso, pan y fruta.
"""
translation = """
The market opens every Saturday morning.

Neighbours sell cheese, bread and fruit.
"""
"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("broken.toml"), "title = \"Broken\nsource_lang = \"de\"\n").unwrap();
    dir
}

fn app_with(library: Library, theme: Theme, w: u16, h: u16) -> App {
    let mut app = App::new(library, theme, Options::default(), Mode::Translation);
    app.update(Action::Resize(w, h));
    app.select(0);
    app
}

fn draw(app: &App) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| view(app, f)).unwrap();
    t.backend().buffer().clone()
}

fn screen_text(buf: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Every screen of the interface, each as a name and a buffer: the list, the reader in every
/// mode with its cursor, a find and a peek, the help, the problems and the picker, a message in
/// the status line, wide, narrow, and low enough for a scrollbar beside the list.
fn every_screen(theme: &Theme) -> Vec<(String, Buffer)> {
    let lib = ascii_library();
    let mut screens = Vec::new();
    for (w, h) in [(120, 40), (80, 24), (120, 16)] {
        let mut a = app_with(Library::scan(lib.path()).unwrap(), theme.clone(), w, h);
        screens.push((format!("{w}x{h} list"), draw(&a)));
        a.update(Action::Open);
        for mode in [Mode::Translation, Mode::Source, Mode::SideBySide, Mode::Interleaved] {
            a.update(Action::SetMode(mode));
            a.update(Action::NextParagraph);
            screens.push((format!("{w}x{h} reader {mode:?}"), draw(&a)));
        }
        a.update(Action::SetMode(Mode::Translation));
        a.update(Action::Peek);
        screens.push((format!("{w}x{h} peek"), draw(&a)));
        a.update(Action::Cancel);
        a.update(Action::Find);
        for c in "the".chars() {
            a.update(Action::PromptChar(c));
        }
        screens.push((format!("{w}x{h} find prompt"), draw(&a)));
        a.update(Action::PromptAccept);
        a.update(Action::FindNext);
        screens.push((format!("{w}x{h} find"), draw(&a)));
        a.message = Some("reloading the library\u{2026}".into());
        screens.push((format!("{w}x{h} message"), draw(&a)));
        a.message = None;
        a.update(Action::Help);
        screens.push((format!("{w}x{h} help"), draw(&a)));
        a.update(Action::Cancel);
        a.update(Action::Problems);
        screens.push((format!("{w}x{h} problems"), draw(&a)));
        a.update(Action::Cancel);
        a.update(Action::Back);
        a.update(Action::Picker);
        screens.push((format!("{w}x{h} picker"), draw(&a)));
        a.update(Action::Open);
        screens.push((format!("{w}x{h} filtered list"), draw(&a)));
        a.update(Action::Picker);
        screens.push((format!("{w}x{h} picker with a choice"), draw(&a)));
        a.update(Action::Cancel);
    }
    let mut a = app_with(Library::scan(lib.path()).unwrap(), theme.clone(), 30, 8);
    a.update(Action::Resize(30, 8));
    screens.push(("too small".into(), draw(&a)));
    screens
}

// ---------------------------------------------------------------------------------------------
// Key bindings

#[test]
fn unknown_action_is_an_error_with_file_line_column_and_the_name() {
    let text = "[reader]\nmax_width = 70\n\n[keys]\nquit = [\"q\"]\nscrol_down = [\"j\"]\n";
    let e = config::load_layer(text, Path::new("/home/u/bitext.toml")).unwrap_err().to_string();
    assert_eq!(e, "/home/u/bitext.toml:6:1: unknown action \"scrol_down\" in [keys]; did you mean \"scroll_down\"?");
    let e = config::load_layer("keys.teleport = \"t\"\n", Path::new("c.toml")).unwrap_err().to_string();
    assert_eq!(e, "c.toml:1:6: unknown action \"teleport\" in [keys]; `bitext config --default` lists every action");
}

#[test]
fn unparsable_key_points_at_the_list_element() {
    let text = "[keys]\npage_down = [\"space\",  \"ctrl+f\"]\n";
    let e = config::load_layer(text, Path::new("c.toml")).unwrap_err().to_string();
    assert!(e.starts_with("c.toml:2:24: unknown key \"ctrl+f\" for \"page_down\" in [keys]"), "{e}");
    // A single key written as a plain string is pointed at as a whole.
    let e = config::load_layer("[keys]\nhelp = \"hyper-h\"\n", Path::new("c.toml")).unwrap_err().to_string();
    assert!(e.starts_with("c.toml:2:8: unknown key \"hyper-h\" for \"help\""), "{e}");
    // Inline tables are found too.
    let e = config::load_layer("keys = { top = [\"g\", \"\"] }\n", Path::new("c.toml")).unwrap_err().to_string();
    assert!(e.starts_with("c.toml:1:22: unknown key \"\""), "{e}");
}

#[test]
fn conflicting_keys_name_both_actions() {
    let text = "[keys]\ncopy_url = [\"Y\", \"y\"]\n";
    let e = config::load_layer(text, Path::new("c.toml")).unwrap_err().to_string();
    assert_eq!(
        e,
        "c.toml:2:18: key \"y\" is bound to both \"copy_paragraph\" and \"copy_url\" in the reader; \
         give one of them other keys in [keys]"
    );
    // A global key may not shadow a pane's key, whichever is written first.
    let e = config::load_layer("[keys]\nhelp = [\"t\"]\n", Path::new("c.toml")).unwrap_err().to_string();
    assert!(e.contains("\"filter_picker\" and \"help\" in the list"), "{e}");
    // The same key in two different panes is fine; so is a key moved away and reused.
    let ok = "[keys]\nfind_next = [\"ctrl-n\"]\nscroll_down = [\"j\", \"n\"]\npeek = [\"o\"]\nopen_url = [\"O\"]\n";
    config::load_layer(ok, Path::new("c.toml")).unwrap();
}

#[test]
fn builtin_keys_table_lists_every_action_with_its_default_keys() {
    let keys = Config::default().keys;
    let names: Vec<&str> = bitext::tui::keymap::DEFAULT_BINDINGS.iter().map(|b| b.name).collect();
    assert_eq!(keys.0.len(), names.len(), "config.toml lists exactly the actions");
    for b in bitext::tui::keymap::DEFAULT_BINDINGS {
        let listed = keys.0.get(b.name).unwrap_or_else(|| panic!("{} missing from config.toml", b.name));
        assert_eq!(listed.0, b.keys, "{}", b.name);
    }
    let from_config = Keymap::from_config(&keys).unwrap();
    assert_eq!(from_config.help, Keymap::default().help);
}

#[test]
fn a_rebinding_takes_effect_and_shows_in_the_help() {
    let text = "[keys]\nscroll_down = [\"ctrl-e\", \"w\"]\nhelp = [\"f2\"]\nquit = []\n";
    let loaded = config::load_layer(text, Path::new("c.toml")).unwrap();
    let mut a = app_with(Library::scan(&articles()).unwrap(), Theme::from_colors(&Config::default().colors), 120, 40);
    a.keymap = Keymap::from_config(&loaded.config.keys).unwrap();
    let first = a.selected;
    a.handle_key(&key(KeyCode::Char('j')));
    assert_eq!(a.selected, first, "j no longer moves");
    a.handle_key(&key(KeyCode::Char('w')));
    assert_ne!(a.selected, first, "w does");
    let moved = a.selected;
    a.handle_key(&KeyEvent::new(KeyCode::Char('e'), KeyModifiers::CONTROL));
    assert_ne!(a.selected, moved, "so does ctrl-e");
    a.handle_key(&key(KeyCode::Char('?')));
    assert!(a.overlay.is_none(), "? is no longer help");
    a.handle_key(&key(KeyCode::F(2)));
    assert!(a.overlay.is_some(), "f2 is");
    let screen = screen_text(&draw(&a));
    assert!(screen.contains("ctrl-e, w"), "{screen}");
    assert!(screen.contains("f2 "), "{screen}");
    assert!(!screen.contains("j, down"), "{screen}");
    assert!(!screen.contains("?, f1"), "{screen}");
    assert!(!screen.contains("ctrl-c"), "an unbound action is not in the help: {screen}");
}

// ---------------------------------------------------------------------------------------------
// Themes

fn cells(buf: &Buffer) -> impl Iterator<Item = &ratatui::buffer::Cell> {
    buf.content.iter()
}

#[test]
fn every_theme_draws_every_screen() {
    for name in ThemeName::ALL {
        for support in [ColorSupport::TRUECOLOR, ColorSupport { no_color: false, truecolor: false }] {
            let theme = Theme::named(name, false, support);
            assert_eq!(theme.name, name);
            for (screen, buf) in every_screen(&theme) {
                let colours: Vec<Color> =
                    cells(&buf).flat_map(|c| [c.fg, c.bg, c.underline_color]).filter(|&c| c != Color::Reset).collect();
                match name {
                    ThemeName::Mono => assert!(colours.is_empty(), "{name:?} {screen}: {colours:?}"),
                    ThemeName::Sixteen => assert!(
                        colours.iter().all(|c| !matches!(c, Color::Rgb(..) | Color::Indexed(_))),
                        "{name:?} {screen}: {colours:?}"
                    ),
                    _ if !support.truecolor => {
                        assert!(!colours.iter().any(|c| matches!(c, Color::Rgb(..))), "{name:?} {screen}: 256 only")
                    }
                    _ => {}
                }
                if name != ThemeName::Mono && screen != "too small" {
                    assert!(!colours.is_empty(), "{name:?} {screen} has some colour");
                }
            }
        }
    }
}

#[test]
fn default_theme_keeps_the_terminals_own_text_colours() {
    let theme = Theme::named(ThemeName::Default, false, ColorSupport::TRUECOLOR);
    let mut a = app_with(Library::scan(&articles()).unwrap(), theme, 120, 40);
    a.update(Action::Open);
    let buf = draw(&a);
    let inner = a.geometry().reader_inner();
    // The first letter of plain body text on screen: the terminal's foreground and background.
    let r = a.reader.as_ref().unwrap();
    let (row, x) = (r.scroll..r.scroll + usize::from(inner.height))
        .find_map(|i| {
            let text = bitext::render::Tone::Body(bitext::article::Kind::Text, bitext::render::Side::Translation);
            let cell = r.layout.row(i)?.cells().find(|c| c.tone == text)?;
            Some((i - r.scroll, cell.x))
        })
        .expect("body text");
    let body = &buf[(inner.x + x as u16, inner.y + row as u16)];
    assert_eq!((body.fg, body.bg), (Color::Reset, Color::Reset));
    // Every colour used is one of the 16 ANSI colours.
    assert!(
        cells(&buf).all(|c| !matches!(c.fg, Color::Rgb(..) | Color::Indexed(_))
            && !matches!(c.bg, Color::Rgb(..) | Color::Indexed(_)))
    );
}

#[test]
fn light_and_dark_paint_the_background() {
    for (name, bg) in [(ThemeName::Light, Color::Rgb(255, 255, 255)), (ThemeName::Dark, Color::Rgb(0x0d, 0x11, 0x17))] {
        let a =
            app_with(Library::scan(&articles()).unwrap(), Theme::named(name, false, ColorSupport::TRUECOLOR), 120, 40);
        let buf = draw(&a);
        let inner = a.geometry().reader_inner();
        assert_eq!(buf[(inner.x + inner.width - 2, inner.y + inner.height - 1)].bg, bg, "{name:?}");
        // Without truecolor the same theme uses the 256-colour palette.
        let theme = Theme::named(name, false, ColorSupport { no_color: false, truecolor: false });
        let a = app_with(Library::scan(&articles()).unwrap(), theme, 120, 40);
        let buf = draw(&a);
        let Color::Rgb(r, g, b) = bg else { unreachable!() };
        let expected = Color::Indexed(theme::nearest_256(r, g, b));
        assert_eq!(buf[(inner.x + inner.width - 2, inner.y + inner.height - 1)].bg, expected, "{name:?}");
    }
}

#[test]
fn colour_overrides_apply_over_the_theme() {
    let text = "[theme]\nname = \"sixteen\"\n[colors]\nselection_bg = \"#0000f0\"\naccent = \"208\"\n";
    let loaded = config::load_layer(text, Path::new("c.toml")).unwrap();
    let theme = Theme::from_config(&loaded.config.theme, &loaded.config.colors, ColorSupport::TRUECOLOR);
    assert_eq!(theme.selection.bg, Some(Color::Blue), "sixteen: the nearest ANSI colour");
    assert_eq!(theme.accent.fg, Some(Color::Yellow), "index 208 (orange) becomes the nearest of the 16");
    let text = "[colors]\nselection_bg = \"#8ab4f8\"\n";
    let loaded = config::load_layer(text, Path::new("c.toml")).unwrap();
    let truecolor = Theme::from_config(&loaded.config.theme, &loaded.config.colors, ColorSupport::TRUECOLOR);
    assert_eq!(truecolor.selection.bg, Some(Color::Rgb(0x8a, 0xb4, 0xf8)));
    let palette = ColorSupport::from_vars(None, Some("256color"));
    let fitted = Theme::from_config(&loaded.config.theme, &loaded.config.colors, palette);
    assert_eq!(fitted.selection.bg, Some(Color::Indexed(111)));
    let mono = Theme::from_config(
        &loaded.config.theme,
        &loaded.config.colors,
        ColorSupport::from_vars(Some("1".as_ref()), None),
    );
    assert_eq!(mono.selection.bg, None, "mono ignores colours");
}

#[test]
fn no_color_gives_mono() {
    let support = ColorSupport::from_vars(Some(std::ffi::OsStr::new("1")), Some("truecolor"));
    for name in ThemeName::ALL {
        let theme = Theme::named(name, false, support);
        assert_eq!(theme.name, ThemeName::Mono);
        for (screen, buf) in every_screen(&theme) {
            assert!(
                cells(&buf).all(|c| c.fg == Color::Reset && c.bg == Color::Reset && c.underline_color == Color::Reset),
                "{name:?} {screen}"
            );
        }
    }
    assert!(!ColorSupport::from_vars(Some(std::ffi::OsStr::new("")), None).no_color, "empty NO_COLOR does not count");
    // And the command line says so.
    let home = tempfile::tempdir().unwrap();
    let o = bitext_in(home.path(), &["config"], &[("NO_COLOR", "1")]);
    assert!(
        stdout(&o).lines().any(|l| l.starts_with("name = \"mono\"") && l.ends_with("# $NO_COLOR")),
        "{}",
        stdout(&o)
    );
}

#[test]
fn hex_colours_map_to_the_nearest_of_256() {
    assert_eq!(theme::nearest_256(0x8a, 0xb4, 0xf8), 111);
    assert_eq!(theme::nearest_256(0xff, 0x87, 0x00), 208);
    assert_eq!(theme::nearest_256(0x00, 0x00, 0x00), 16);
    assert_eq!(theme::nearest_256(0xff, 0xff, 0xff), 231);
    assert_eq!(theme::nearest_256(0x30, 0x36, 0x3d), 237, "dark greys go to the grey ramp");
    assert_eq!(theme::nearest_256(0x12, 0x12, 0x12), 233);
    assert_eq!(theme::nearest_256(0xee, 0xee, 0xee), 255);
    for i in 16..=255u8 {
        let (r, g, b) = theme::index_rgb(i);
        assert_eq!(theme::index_rgb(theme::nearest_256(r, g, b)), (r, g, b), "index {i} is its own nearest");
    }
    assert_eq!(theme::fit(Color::Rgb(0x8a, 0xb4, 0xf8), theme::Depth::Palette256), Color::Indexed(111));
    assert_eq!(theme::fit(Color::Rgb(0x8a, 0xb4, 0xf8), theme::Depth::TrueColor), Color::Rgb(0x8a, 0xb4, 0xf8));
}

// ---------------------------------------------------------------------------------------------
// ASCII

#[test]
fn ascii_mode_puts_nothing_but_ascii_on_screen() {
    for name in [ThemeName::Default, ThemeName::Mono] {
        let theme = Theme::named(name, true, ColorSupport::TRUECOLOR);
        for (screen, buf) in every_screen(&theme) {
            let s = screen_text(&buf);
            let bad: String = s.chars().filter(|c| !c.is_ascii()).collect();
            assert!(bad.is_empty(), "{screen}: {bad:?}\n{s}");
        }
    }
    // The same screens without --ascii do use box drawing and markers (so the test means something).
    let theme = Theme::named(ThemeName::Default, false, ColorSupport::TRUECOLOR);
    let all: String = every_screen(&theme).iter().map(|(_, b)| screen_text(b)).collect();
    for symbol in ["┌", "│", "─", "▌", "●", "·", "→", "¶", "…", "▎", "✓", "×", "█", "║"] {
        assert!(all.contains(symbol), "{symbol} is drawn without --ascii");
    }
}

#[test]
fn ascii_from_the_flag_and_the_config() {
    let loaded = config::load_layer("[theme]\nascii = true\n", Path::new("c.toml")).unwrap();
    assert!(loaded.config.theme.ascii);
    let home = tempfile::tempdir().unwrap();
    let o = bitext_in(home.path(), &["--ascii", "config"], &[]);
    assert!(stdout(&o).lines().any(|l| l.starts_with("ascii = true") && l.ends_with("# --ascii")), "{}", stdout(&o));
}

// ---------------------------------------------------------------------------------------------
// The command line

/// The script registers bitext with the shell, which then asks bitext itself at each TAB
/// (tests/cli_manual.rs completes from a library through it).
#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let o = bitext(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(out.contains("COMPLETE") && out.contains("bitext"), "{shell}: {out}");
    }
    // What the script asks for: the subcommands and global options, from the definitions.
    let o = Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(["--", "bitext", ""])
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", "1")
        .env("_CLAP_IFS", "\n")
        .output()
        .unwrap();
    let offered = stdout(&o);
    for word in ["show", "import", "completions", "config", "man", "--log-level", "--ascii"] {
        assert!(offered.lines().any(|l| l == word), "bash completes {word}: {offered}");
    }
    assert_eq!(bitext(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn man_page() {
    let o = bitext(&["man"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with(".ie") && out.contains(".TH BITEXT 1"), "{out}");
    for word in ["SUBCOMMANDS", "show", "import", "completions", "config", "log\\-level", "ascii"] {
        assert!(out.contains(word), "{word}: {out}");
    }
}

#[test]
fn config_shows_where_each_value_came_from() {
    let home = tempfile::tempdir().unwrap();
    let cfg = home.path().join("my config.toml");
    std::fs::write(&cfg, "[reader]\nmax_width = 66\n\n[keys]\nquit = [\"ctrl-c\", \"Q\"]\n").unwrap();
    let o = bitext_in(home.path(), &["--config", cfg.to_str().unwrap(), "config"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let user = format!("# {}", cfg.display());
    let mut values = 0;
    for line in out.lines().filter(|l| !l.starts_with('#') && l.contains(" = ")) {
        values += 1;
        if line.starts_with("max_width = 66") || line.starts_with("quit = [\"ctrl-c\", \"Q\"]") {
            assert!(line.ends_with(&user), "{line}");
        } else {
            assert!(line.ends_with("# built-in"), "{line}");
        }
    }
    assert!(values > 50, "every value is listed: {out}");
    // It is TOML, and says what is in force.
    let table: toml::Table = toml::from_str(&out).unwrap();
    assert_eq!(table["reader"]["max_width"].as_integer(), Some(66));
    assert_eq!(table["keys"]["scroll_down"].as_array().unwrap().len(), 2);
    assert_eq!(table.keys().cloned().collect::<Vec<_>>().len(), 12, "every section, [feeds] and [list] included");

    // The XDG file is found by itself; relative paths show resolved against it.
    let xdg = home.path().join("config/bitext");
    std::fs::create_dir_all(&xdg).unwrap();
    std::fs::write(xdg.join("config.toml"), "[library]\npath = \"news\"\n").unwrap();
    let out = stdout(&bitext_in(home.path(), &["config"], &[]));
    let line = out.lines().find(|l| l.starts_with("path = ") && l.contains("news")).unwrap();
    assert!(line.contains(&xdg.join("news").display().to_string()), "{line}");
    assert!(line.ends_with(&format!("# {}", xdg.join("config.toml").display())), "{line}");
    // --library wins and says so.
    let out = stdout(&bitext_in(home.path(), &["--library", "/srv/news", "config"], &[]));
    assert!(out.lines().any(|l| l.starts_with("path = \"/srv/news\"") && l.ends_with("# --library")), "{out}");
}

#[test]
fn config_default_prints_the_builtin_file_verbatim() {
    let home = tempfile::tempdir().unwrap();
    // Even when the user's file is broken.
    let cfg = home.path().join("c.toml");
    std::fs::write(&cfg, "[keys\n").unwrap();
    let o = bitext_in(home.path(), &["--config", cfg.to_str().unwrap(), "config", "--default"], &[]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), include_str!("../config.toml"));
    assert_eq!(stdout(&o), config::DEFAULT_TOML);
}

/// Each file in tests/fixtures/bad-configs/ is one kind of mistake; the binary must refuse it
/// with exactly this message (after `bitext: PATH:`) and exit code 2.
const BAD_CONFIGS: &[(&str, &str)] = &[
    ("unknown-action.toml", "3:1: unknown action \"scroll_dwon\" in [keys]; did you mean \"scroll_down\"?"),
    (
        "bad-key.toml",
        "3:21: unknown key \"ctrl-hyper-x\" for \"scroll_down\" in [keys]; write keys such as \"j\", \"G\", \"?\", \
         \"ctrl-d\", \"shift-tab\", \"pagedown\" or \"f1\"",
    ),
    (
        "key-conflict.toml",
        "4:16: key \"g\" is bound to both \"top\" and \"bottom\"; give one of them other keys in [keys]",
    ),
    (
        "conflict-with-default.toml",
        "2:26: key \"n\" is bound to both \"scroll_down\" and \"find_next\" in the reader; give one of them other \
         keys in [keys]",
    ),
    (
        "keys-not-a-list.toml",
        "3:8: `keys.quit`: invalid type: integer `3`, expected a list of keys such as [\"j\", \"down\"]",
    ),
    (
        "unknown-theme.toml",
        "2:8: `theme.name`: unknown variant `solarized`, expected one of `default`, `light`, `dark`, `sixteen`, \
         `mono`",
    ),
    (
        "bad-colour.toml",
        "5:10: `colors.accent`: unknown colour \"#8ab4f\": use a name such as \"cyan\", an index such as \"208\" or \
         hex such as \"#8ab4f8\"",
    ),
    (
        "unknown-option.toml",
        "2:1: `reader.max_widht`: unknown field `max_widht`, expected one of `mode`, `max_width`, `column_gap`, \
         `min_column`, `full_width`",
    ),
    ("wrong-type.toml", "2:9: `theme.ascii`: invalid type: string \"yes\", expected a boolean"),
    ("syntax-error.toml", "1:6: unclosed table, expected `]`"),
    ("duplicate-key.toml", "4:1: duplicate key `max_width` in [reader]: a key may be set only once"),
    (
        "too-large-number.toml",
        "3:17: `library.max_file_size` = 99999999999999999999 is out of range: use a whole number from 256 to \
         1073741824",
    ),
    (
        "mode-a-number.toml",
        "3:8: `reader.mode` = 3: expected one of \"translation\", \"source\", \"side-by-side\" or \"interleaved\"",
    ),
    (
        "colour-escape.toml",
        "3:10: `colors.accent`: unknown colour \"\\u{1b}[31m\": use a name such as \"cyan\", an index such as \"208\" \
         or hex such as \"#8ab4f8\"",
    ),
    (
        "no-quit.toml",
        "3:1: no key quits bitext: \"quit\" and \"back\" both have no keys in [keys]; give one of them a key such as \
         \"q\" or \"ctrl-c\"",
    ),
    ("zero-width.toml", "3:13: `reader.max_width` = 0 is out of range: use a whole number from 20 to 1000"),
    (
        "zero-file-size.toml",
        "3:17: `library.max_file_size` = 0 is out of range: use a whole number from 256 to 1073741824",
    ),
    ("gap-too-large.toml", "3:14: `reader.column_gap` = 70000 is out of range: use a whole number from 0 to 20"),
];

#[test]
fn bad_configs_are_refused_with_exact_messages() {
    let mut on_disk: Vec<String> =
        std::fs::read_dir(fixtures()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    on_disk.sort();
    let mut listed: Vec<String> = BAD_CONFIGS.iter().map(|(f, _)| f.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "every fixture has its expected message");
    let lib = articles();
    for (file, message) in BAD_CONFIGS {
        let path = fixtures().join(file);
        for command in ["list", "config"] {
            let o = bitext(&["--config", path.to_str().unwrap(), "--library", lib.to_str().unwrap(), command]);
            assert_eq!(o.status.code(), Some(2), "{file} {command}");
            assert_eq!(stderr(&o), format!("bitext: {}:{message}\n", path.display()), "{file} {command}");
            assert!(o.stdout.is_empty(), "{file}");
        }
    }
}

#[test]
fn logs_go_to_the_state_folder_and_never_to_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let log = home.path().join("state/bitext/bitext.log");
    let lib = articles();
    // A quiet run at the default level leaves no log behind.
    let o = bitext_in(home.path(), &["--library", lib.to_str().unwrap(), "list"], &[]);
    assert!(o.status.success());
    assert!(!log.exists());
    // More detail on request; stderr stays clean.
    let o = bitext_in(home.path(), &["--log-level", "debug", "--library", lib.to_str().unwrap(), "list"], &[]);
    assert!(o.status.success());
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("DEBUG bitext 0.1.0 started") || text.contains("started"), "{text}");
    assert!(text.contains("config: no user file"), "{text}");
    // A bad config file is the user's to fix: said on stderr, not logged.
    let cfg = fixtures().join("unknown-theme.toml");
    let o = bitext_in(home.path(), &["--config", cfg.to_str().unwrap(), "list"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("solarized"), "{}", stderr(&o));
    let after = std::fs::read_to_string(&log).unwrap();
    assert_eq!(after, text, "a usage error was logged");
    assert_eq!(stderr(&o).lines().count(), 1, "one line on stderr, as before");
    // A bad level is a usage error.
    assert_eq!(bitext_in(home.path(), &["--log-level", "loud", "list"], &[]).status.code(), Some(2));
}
