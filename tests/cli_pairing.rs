//! Pairing editions through the command line: `bitext import` pairs two editions, marks moved
//! and unsure pairs, says how it paired them and warns when the texts are not one story;
//! `--engine apertium` (the real engine) helps; `bitext realign` pairs again and keeps pairs
//! made by hand.

mod common;

use std::path::Path;
use std::process::Output;

use common::align_cases::{Case, load_from};

fn bitext(home: &Path, args: &[&str]) -> Output {
    common::bitext_in(home, args)
}

fn text(o: &[u8]) -> String {
    common::text(o)
}

fn edition(name: &str) -> Case {
    let dir = common::align_cases::dir().join("editions");
    load_from(&dir).into_iter().find(|c| c.name == name).unwrap()
}

/// Writes a case's two sides as text files (a headline first, so neither side's first
/// paragraph is taken as the title) and imports them; returns the output and the file written.
fn import(home: &Path, source: &[String], translation: &[String], lang: &str, extra: &[&str]) -> (Output, String) {
    let (s, t) = (home.join("source.txt"), home.join("translation.txt"));
    std::fs::write(&s, format!("제목\n\n{}", source.join("\n\n"))).unwrap();
    std::fs::write(&t, format!("Headline\n\n{}", translation.join("\n\n"))).unwrap();
    let lib = home.join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    let mut args = vec![
        "--library",
        lib.to_str().unwrap(),
        "import",
        "--source",
        s.to_str().unwrap(),
        "--translation",
        t.to_str().unwrap(),
        "--source-lang",
        lang,
        "--target-lang",
        "en",
        "--force",
    ];
    args.extend_from_slice(extra);
    let o = bitext(home, &args);
    let written = text(&o.stdout).lines().next().map(|p| std::fs::read_to_string(p).unwrap()).unwrap_or_default();
    (o, written)
}

#[test]
fn two_editions_are_paired_with_their_moved_quote_and_no_warning() {
    let home = tempfile::tempdir().unwrap();
    let c = edition("ko-edition-port-budget");
    let (o, file) = import(home.path(), &c.source, &c.translation, "ko", &[]);
    let err = text(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("warning"), "{err}");
    assert!(text(&o.stdout).contains("1 moved"), "{}", text(&o.stdout));
    // The mayor's quote, source ¶14 (counting from 1), stands second, as the English edition
    // put it.
    let doc: toml::Table = toml::from_str(&file).unwrap();
    let paragraphs = doc["paragraphs"].as_array().unwrap();
    assert_eq!(paragraphs[1]["moved_from"].as_integer(), Some(14), "{file}");
    assert!(paragraphs.iter().any(|p| p.get("confidence").is_some()), "{file}");
    assert_eq!(doc["alignment"]["method"].as_str(), Some("anchors and lengths"));
    assert!(doc["alignment"]["confidence"].as_float().unwrap() >= 0.5, "{file}");
    // And the file loads: the reader shows the pairs with their marks.
    let lib = home.path().join("lib");
    let check = bitext(home.path(), &["--library", lib.to_str().unwrap(), "check"]);
    assert!(check.status.success(), "{}{}", text(&check.stdout), text(&check.stderr));
}

#[test]
fn two_unrelated_texts_warn() {
    let home = tempfile::tempdir().unwrap();
    let a = edition("ko-edition-port-budget");
    let b = edition("ko-edition-heatwave");
    let (o, _) = import(home.path(), &a.source, &b.translation, "ko", &[]);
    let err = text(&o.stderr);
    assert!(o.status.success(), "a warning, not a failure: {err}");
    let line = err.lines().find(|l| l.starts_with("warning: ")).unwrap_or_else(|| panic!("no warning: {err}"));
    assert!(line.contains(".toml: ") && line.contains("one story"), "{line}");
}

#[test]
fn apertium_helps_pair_a_spanish_edition() {
    if !common::apertium_spa_eng() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let c = edition("es-edition-vendimia");
    let (o, file) = import(home.path(), &c.source, &c.translation, "es", &["--engine", "apertium"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let doc: toml::Table = toml::from_str(&file).unwrap();
    assert_eq!(doc["alignment"]["method"].as_str(), Some("anchors, lengths and apertium"), "{file}");
    // The translations were cached: `bitext translate` would not ask again.
    assert!(home.path().join("cache").exists());
}

#[test]
fn an_engine_that_does_not_exist_is_a_usage_error() {
    let home = tempfile::tempdir().unwrap();
    let c = edition("ko-edition-port-budget");
    let (o, _) = import(home.path(), &c.source, &c.translation, "ko", &["--engine", "nonesuch"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("no engine named \"nonesuch\""), "{}", text(&o.stderr));
}

#[test]
fn realign_keeps_pairs_made_by_hand() {
    let home = tempfile::tempdir().unwrap();
    let c = edition("ko-edition-heatwave");
    let (o, file) = import(home.path(), &c.source, &c.translation, "ko", &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let path = text(&o.stdout).lines().next().unwrap().to_string();
    // By hand: the third pair unlinked into two entries, marked manual, with a comment.
    let mut doc: toml_edit::DocumentMut = file.parse().unwrap();
    let entries = doc["paragraphs"].as_array_of_tables_mut().unwrap();
    let third = entries.get_mut(2).unwrap();
    let translation = third.remove("translation").unwrap();
    third["manual"] = toml_edit::value(true);
    let mut alone = toml_edit::Table::new();
    alone["translation"] = translation;
    alone["manual"] = toml_edit::value(true);
    entries.insert(3, alone);
    let edited = format!("# kept by hand\n{doc}");
    std::fs::write(&path, &edited).unwrap();
    let lib = home.path().join("lib");
    let id = Path::new(&path).file_stem().unwrap().to_str().unwrap().to_string();
    let o = bitext(home.path(), &["--library", lib.to_str().unwrap(), "realign", &id]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("2 kept as made by hand"), "{}", text(&o.stdout));
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.starts_with("# kept by hand\n"), "{after}");
    let doc: toml::Table = toml::from_str(&after).unwrap();
    let entries = doc["paragraphs"].as_array().unwrap();
    let manual: Vec<&toml::Value> = entries.iter().filter(|e| e.get("manual").is_some()).collect();
    assert_eq!(manual.len(), 2, "{after}");
    assert!(manual[0].get("translation").is_none() && manual[1].get("source").is_none(), "{after}");
    // An unknown id is a usage error that names it.
    let o = bitext(home.path(), &["--library", lib.to_str().unwrap(), "realign", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("\"nope\""), "{}", text(&o.stderr));
}

/// A saved page as an outlet would publish it: the paragraphs in an `<article>`.
fn page(lang: &str, title: &str, paragraphs: &[String]) -> String {
    let body: String =
        paragraphs.iter().map(|p| format!("<p>{}</p>\n", p.replace('&', "&amp;").replace('<', "&lt;"))).collect();
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><article><h1>{title}</h1>\n{body}</article></body></html>"
    )
}

#[test]
fn add_warns_when_the_edition_is_another_story() {
    let home = tempfile::tempdir().unwrap();
    let lib = home.path().join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    let a = edition("ko-edition-port-budget");
    let b = edition("ko-edition-heatwave");
    let source = home.path().join("source.html");
    let same = home.path().join("same.html");
    let other = home.path().join("other.html");
    std::fs::write(&source, page("ko", "가람항 확장", &a.source)).unwrap();
    std::fs::write(&same, page("en", "Garam Port expansion", &a.translation)).unwrap();
    std::fs::write(&other, page("en", "Heat wave in Haneul", &b.translation)).unwrap();
    let add = |translation: &Path| {
        bitext(
            home.path(),
            &[
                "--library",
                lib.to_str().unwrap(),
                "add",
                source.to_str().unwrap(),
                "--translation",
                translation.to_str().unwrap(),
                "--target-lang",
                "en",
                "--force",
            ],
        )
    };
    let o = add(&same);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!text(&o.stderr).contains("warning"), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("moved"), "{}", text(&o.stdout));
    let o = add(&other);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.lines().any(|l| l.starts_with("warning: ko/") && l.contains("one story")), "{err}");
}
