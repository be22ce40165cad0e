//! What the command line checks and says: language tags, every problem of a file, `show` in
//! ASCII and when side by side does not fit, and which failures reach the log.

mod common;

use std::path::Path;
use std::process::Output;

use common::{bitext_in, text};
use unicode_width::UnicodeWidthStr;

/// An article of two pairs whose own text holds characters the ASCII interface replaces
/// (`…`, `·`, `→`, `×`, `│`).
const MARKS: &str = "title = \"Prices rise… and fall · a market in 3×2 stalls\"\n\
source_lang = \"de\"\ntarget_lang = \"en\"\n\
source_title = \"Preise steigen… und fallen\"\n\
outlet = \"Marktblatt\"\n\
[[paragraphs]]\n\
source = \"Am Markt kosten Äpfel 2 € → 3 €. Die Stände │ links sind neu.\"\n\
translation = \"At the market apples cost 2 € → 3 €. The stalls │ on the left are new.\"\n\
[[paragraphs]]\n\
source = \"Der Markt öffnet um 7 Uhr… sagt die Stadt.\"\n\
translation = \"The market opens at 7… says the town.\"\n";

fn library_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
    dir
}

fn run(home: &Path, lib: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--library", lib.to_str().unwrap()];
    all.extend_from_slice(args);
    bitext_in(home, &all)
}

#[test]
fn ascii_show_and_list_keep_the_article_text() {
    let home = tempfile::tempdir().unwrap();
    let lib = library_with(&[("markt.toml", MARKS)]);
    let plain = run(home.path(), lib.path(), &["show", "markt", "-m", "side-by-side", "-w", "140"]);
    let ascii = run(home.path(), lib.path(), &["--ascii", "show", "markt", "-m", "side-by-side", "-w", "140"]);
    assert!(ascii.status.success(), "{}", text(&ascii.stderr));
    let (plain, ascii) = (text(&plain.stdout), text(&ascii.stdout));
    for own in [
        "Prices rise… and fall · a market in 3×2 stalls",
        "Preise steigen… und fallen",
        "2 € → 3 €",
        "Die Stände │ links",
        "The stalls │ on the left",
        "opens at 7… says",
    ] {
        assert!(ascii.contains(own), "the article's {own:?} changed in ASCII:\n{ascii}");
    }
    // The interface is ASCII: the rule, the divider, the header's separators and arrow.
    assert!(!ascii.contains('─'), "{ascii}");
    assert!(ascii.contains("Marktblatt - de>en - pairs given"), "{ascii}");
    assert!(ascii.lines().any(|l| l.contains("Am Markt") && l.contains(" | ")), "{ascii}");
    // Both print the same rows, one column for one.
    let (p, a): (Vec<&str>, Vec<&str>) = (plain.lines().collect(), ascii.lines().collect());
    assert_eq!(p.len(), a.len());
    for (p, a) in p.iter().zip(&a) {
        assert_eq!(p.width(), a.width(), "{p:?} / {a:?}");
    }
    let list = text(&run(home.path(), lib.path(), &["--ascii", "list"]).stdout);
    assert!(list.starts_with("+  markt") && list.contains("de>en"), "{list}");
    assert!(list.contains("Prices rise… and fall · a market in 3×2 stalls"), "{list}");
}

#[test]
fn show_says_when_side_by_side_does_not_fit_and_marks_the_source() {
    let home = tempfile::tempdir().unwrap();
    let lib = library_with(&[("markt.toml", MARKS)]);
    let o = run(home.path(), lib.path(), &["show", "markt", "-m", "side-by-side", "-w", "50"]);
    assert!(o.status.success());
    let err = text(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(
            "bitext: side by side needs 68 columns (two of at least 30, `reader.min_column`, and a gap of 3)"
        ) && err.contains("printed interleaved at 50, source lines marked │"),
        "{err}"
    );
    let out = text(&o.stdout);
    let body: Vec<&str> = out.lines().skip_while(|l| !l.contains('─')).skip(1).filter(|l| !l.is_empty()).collect();
    for line in &body {
        let german = ["Am Markt", "Die Stände", "links sind", "Der Markt", "sagt die"].iter().any(|w| line.contains(w));
        assert_eq!(line.trim_start().starts_with('│'), german, "{line:?} in\n{out}");
        assert!(line.width() <= 50, "{line:?}");
    }
    // The same article asked for interleaved is marked the same way, with no note.
    let o = run(home.path(), lib.path(), &["show", "markt", "-m", "interleaved", "-w", "50"]);
    assert!(o.stderr.is_empty(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), out);
    // In ASCII the mark is `|`; below 30 columns, where there is no gutter, it still fits.
    let o = run(home.path(), lib.path(), &["--ascii", "show", "markt", "-m", "side-by-side", "-w", "24"]);
    assert!(text(&o.stderr).contains("source lines marked |"), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.lines().any(|l| l.starts_with("|Am Markt")), "{out}");
    assert!(out.lines().all(|l| l.width() <= 24), "{out}");
    // Other modes have no mark.
    let o = run(home.path(), lib.path(), &["show", "markt", "-m", "source", "-w", "100"]);
    assert!(!text(&o.stdout).lines().any(|l| l.trim_start().starts_with('│')));
}

#[test]
fn language_tags_are_checked_in_files_and_flags() {
    let home = tempfile::tempdir().unwrap();
    let lib = library_with(&[
        (
            "bad.toml",
            "title = \"A\"\nsource_lang = \"Korean\"\ntarget_lang = \"english!!\"\n[[paragraphs]]\nsource = \"가\"\n",
        ),
        (
            "cased.toml",
            "title = \"B\"\nsource_lang = \"zh-hans\"\ntarget_lang = \"EN\"\n[[paragraphs]]\nsource = \"中\"\n",
        ),
    ]);
    let o = run(home.path(), lib.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert!(out.contains("bad.toml:2:15: error: `source_lang`: \"Korean\" is not a BCP 47 language tag"), "{out}");
    assert!(out.contains("bad.toml:3:15: error: `target_lang`: \"english!!\" is not a BCP 47 language tag"), "{out}");
    assert!(out.contains("1 article(s) loaded, 1 file(s) with errors"), "{out}");
    let json: serde_json::Value =
        serde_json::from_slice(&run(home.path(), lib.path(), &["list", "--json"]).stdout).unwrap();
    assert_eq!((json[0]["source_lang"].as_str(), json[0]["target_lang"].as_str()), (Some("zh-Hans"), Some("en")));

    let src = home.path().join("ko.txt");
    std::fs::write(&src, "첫 문단.\n\n둘째 문단.\n").unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let import = |source_lang: &str, target_lang: &str| {
        run(
            home.path(),
            lib.path(),
            &[
                "import",
                "--source",
                src.to_str().unwrap(),
                "--source-lang",
                source_lang,
                "--target-lang",
                target_lang,
                "--title",
                "Two paragraphs",
                "--out",
                out_dir.path().to_str().unwrap(),
                "--force",
            ],
        )
    };
    let o = import("Korean", "en");
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.starts_with("bitext: --source-lang: \"Korean\" is not a BCP 47 language tag"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(text(&import("ko", "en_GB").stderr).contains("--target-lang: \"en_GB\""), "underscore");
    let o = import("KO", "en-gb");
    assert!(o.status.success(), "{}", text(&o.stderr));
    let written = std::fs::read_to_string(out_dir.path().join("two-paragraphs.toml")).unwrap();
    assert!(written.contains("source_lang = \"ko\"") && written.contains("target_lang = \"en-GB\""), "{written}");

    // add and feed add refuse a bad tag before fetching anything.
    let page = home.path().join("page.html");
    std::fs::write(&page, "<html lang=\"de\"><body><article><p>Ein Satz.</p></article></body></html>").unwrap();
    let o = run(home.path(), lib.path(), &["add", page.to_str().unwrap(), "--source-lang", "Deutsch"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--source-lang: \"Deutsch\" is not a BCP 47 language tag"), "{}", text(&o.stderr));
    let o = run(home.path(), lib.path(), &["add", page.to_str().unwrap(), "--target-lang", "english"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--target-lang: \"english\""), "{}", text(&o.stderr));
    let o = run(
        home.path(),
        lib.path(),
        &["feed", "add", "http://127.0.0.1:9/rss.xml", "--name", "x", "--target-lang", "en!"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--target-lang: \"en!\" is not a BCP 47 language tag"), "{}", text(&o.stderr));
    assert!(!home.path().join("config/bitext/feeds.toml").exists(), "nothing subscribed");

    // The config's reading language, at its line and column.
    let cfg = home.path().join("c.toml");
    std::fs::write(&cfg, "[library]\nreading_lang = \"English\"\n").unwrap();
    let o = run(home.path(), lib.path(), &["--config", cfg.to_str().unwrap(), "list"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains(&format!("{}:2:16: `library.reading_lang`: \"English\" is not a BCP 47", cfg.display())),
        "{err}"
    );
}

/// A file with several problems: `check` lists each at its line and column, and counts the
/// file once.
#[test]
fn check_lists_every_problem_of_a_file() {
    let home = tempfile::tempdir().unwrap();
    let many = "title = \"Market day\"\nsource_lang = \"de\"\ntarget_lang = \"en\"\n\
                tags = \"market\"\nauthors = \"A. Writer\"\npublished = \"next Tuesday\"\nsubtitle = \"x\"\n\
                [[paragraphs]]\nsource = \"Markt.\"\n\
                [[paragraphs]]\nkind = \"poem\"\nsource = \"Stand.\"\n\
                [[paragraphs]]\nmachine = true\n";
    let lib = library_with(&[("many.toml", many), ("fine.toml", MARKS)]);
    let o = run(home.path(), lib.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    let path = lib.path().join("many.toml");
    let at = |pos: &str| format!("{}:{pos}", path.display());
    for (pos, says) in [
        ("4:8: error:", "`tags`: invalid type: string \"market\", expected an array"),
        ("5:11: error:", "`authors`: invalid type: string \"A. Writer\", expected an array"),
        ("6:13: error:", "`published` is not a date: \"next Tuesday\""),
        ("7:1: warning:", "unknown key `subtitle`"),
        ("11:8: error:", "`kind` in paragraph 2: unknown value `poem`"),
        ("13:1: error:", "paragraph 3 has neither `source` nor `translation`"),
    ] {
        assert!(out.lines().any(|l| l.starts_with(&at(pos)) && l.contains(says)), "no {pos} {says} in\n{out}");
    }
    assert_eq!(out.lines().filter(|l| l.contains("many.toml")).count(), 6, "{out}");
    assert!(out.contains("1 article(s) loaded, 1 file(s) with errors, 1 warning(s)"), "{out}");
    let list = run(home.path(), lib.path(), &["list"]);
    assert!(text(&list.stderr).contains("1 file(s) could not be loaded"), "{}", text(&list.stderr));
}

/// A mistake on the command line is said on stderr and is no event of the log.
#[test]
fn usage_errors_are_not_logged() {
    let home = tempfile::tempdir().unwrap();
    let lib = library_with(&[("fine.toml", MARKS)]);
    let log = home.path().join("state/bitext/bitext.log");
    let cfg = home.path().join("c.toml");
    std::fs::write(&cfg, "[reader]\nmax_width = 0\n").unwrap();
    let cfg = cfg.to_str().unwrap();
    let lib = lib.path().to_str().unwrap();
    for args in [
        &["--library", lib, "show", "no/such-article"][..],
        &["--library", lib, "--bogus"],
        &["--library", lib, "show", "fine", "--width", "0"],
        &["--library", lib, "translate"],
        &["--library", lib, "import", "--source-lang", "Korean", "--target-lang", "en"],
        &["--library", "/nonexistent/bitext-library", "list"],
        &["--config", cfg, "--library", lib, "list"],
    ] {
        let o = bitext_in(home.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(!o.stderr.is_empty(), "{args:?}");
        // At the default level a usage error leaves no log behind at all.
        let logged = std::fs::read_to_string(&log).unwrap_or_default();
        assert!(!log.exists(), "{args:?} was logged:\n{logged}");
    }
    // With more logged, still no error event for it.
    let o = bitext_in(home.path(), &["--library", lib, "--log-level", "info", "show", "no/such-article"]);
    assert_eq!(o.status.code(), Some(2));
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(!logged.contains("ERROR") && !logged.contains("no/such-article"), "{logged}");
}

/// The terminal going away (an SSH connection dropped) is a normal end: logged at `info`, with
/// what happened, never as an error.
#[test]
fn a_hang_up_is_logged_as_information_with_its_cause() {
    use common::pty::{SAMPLE_LIBRARY, Spawn, copy_library};
    let library = tempfile::tempdir().unwrap();
    copy_library(Path::new(SAMPLE_LIBRARY), library.path());
    let state_home = tempfile::tempdir().unwrap();
    let mut tui =
        Spawn::new(100, 30).library(library.path()).state_home(state_home.path()).args(["--log-level", "info"]).start();
    tui.wait_for_text("8 articles");
    tui.hang_up();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = tui.try_exit() {
            break s;
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "bitext did not end after the hang-up");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(status.exit_code(), 0);
    let log = std::fs::read_to_string(state_home.path().join("bitext/bitext.log")).unwrap_or_default();
    assert!(!log.contains("ERROR"), "{log}");
    let line = log.lines().find(|l| l.contains("hang")).unwrap_or_else(|| panic!("no hang-up in the log:\n{log}"));
    assert!(line.contains(" INFO "), "{line}");
}

/// A hang-up that comes as a signal (the terminal still open) is logged the same way.
#[test]
fn a_hang_up_signal_is_logged_as_information() {
    use common::pty::{SAMPLE_LIBRARY, Spawn, copy_library};
    let library = tempfile::tempdir().unwrap();
    copy_library(Path::new(SAMPLE_LIBRARY), library.path());
    let state_home = tempfile::tempdir().unwrap();
    let mut tui =
        Spawn::new(100, 30).library(library.path()).state_home(state_home.path()).args(["--log-level", "info"]).start();
    tui.wait_for_text("8 articles");
    let sent = std::process::Command::new("kill").args(["-HUP", &tui.pid().to_string()]).status().unwrap();
    assert!(sent.success());
    assert_eq!(tui.wait_exit().exit_code(), 0);
    let log = std::fs::read_to_string(state_home.path().join("bitext/bitext.log")).unwrap_or_default();
    assert!(!log.contains("ERROR"), "{log}");
    let line = log.lines().find(|l| l.contains("SIGHUP")).unwrap_or_else(|| panic!("no SIGHUP in the log:\n{log}"));
    assert!(line.contains(" INFO ") && line.contains("hang-up"), "{line}");
}
