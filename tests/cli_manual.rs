//! The manual page and shell completion, as a user installs and uses them: `bitext man` read by
//! `man`, and the completion script answering a shell's TAB from a real library.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use clap::CommandFactory;
use common::{bitext_in, isolate, text};

/// Every subcommand path, nested ones too (`feed add`), from the clap definitions.
fn subcommand_paths() -> Vec<String> {
    fn walk(prefix: &str, cmd: &clap::Command, out: &mut Vec<String>) {
        for sub in cmd.get_subcommands() {
            let path =
                if prefix.is_empty() { sub.get_name().to_string() } else { format!("{prefix} {}", sub.get_name()) };
            out.push(path.clone());
            walk(&path, sub, out);
        }
    }
    let mut out = Vec::new();
    walk("", &bitext::cli::Cli::command(), &mut out);
    out
}

fn manual() -> String {
    let home = tempfile::tempdir().unwrap();
    let o = bitext_in(home.path(), &["man"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    text(&o.stdout)
}

#[test]
fn the_manual_is_one_page_with_every_section_and_subcommand() {
    let page = manual();
    let sections: Vec<&str> = page.lines().filter_map(|l| l.strip_prefix(".SH ")).collect();
    for want in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "SUBCOMMANDS",
        "KEYS",
        "ARTICLES",
        "FILES",
        "ENVIRONMENT",
        "\"EXIT STATUS\"",
        "EXAMPLES",
    ] {
        assert!(sections.contains(&want), "no .SH {want} in {sections:?}");
    }
    // Every subcommand is described in the page, under its own heading.
    let headings: Vec<&str> = page.lines().filter_map(|l| l.strip_prefix(".SS ")).collect();
    for path in subcommand_paths() {
        if path.starts_with("help ") {
            continue;
        }
        assert!(
            headings.contains(&format!("\"bitext {path}\"").as_str()),
            "no .SS for `bitext {path}` in {headings:?}"
        );
    }
    for name in ["list", "show", "check", "import", "add", "translate", "fetch", "config", "completions", "man"] {
        assert!(headings.iter().any(|h| *h == format!("\"bitext {name}\"")), "{name}");
    }
    for name in ["add", "list", "remove", "import", "export"] {
        assert!(headings.iter().any(|h| *h == format!("\"bitext feed {name}\"")), "feed {name}");
    }
    // No page is referred to that does not exist: no bitext-show(1) and the like.
    let roff_dash = page.replace("\\-", "-");
    for (i, _) in roff_dash.match_indices("bitext-") {
        let after = &roff_dash[i + "bitext-".len()..];
        let word: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        assert!(!after[word.len()..].starts_with('('), "a reference to bitext-{word}(…) in the manual");
    }
}

#[test]
fn the_manual_lists_keys_files_and_environment() {
    let page = manual().replace("\\-", "-").replace("\\fB", "").replace("\\fR", "").replace("\\fI", "");
    // KEYS comes from the binding table: every action by name, with its default keys.
    for b in bitext::keys::DEFAULT_BINDINGS {
        assert!(page.contains(&format!("({})", b.name)), "action {} is not in KEYS", b.name);
        let keys = b.keys.join(", ");
        assert!(page.lines().any(|l| l == keys), "the keys {keys:?} of {} are not in KEYS", b.name);
    }
    for file in [
        "$XDG_CONFIG_HOME/bitext/config.toml",
        "$XDG_CONFIG_HOME/bitext/feeds.toml",
        "$XDG_STATE_HOME/bitext/state.json",
        "$XDG_STATE_HOME/bitext/feeds.json",
        "$XDG_STATE_HOME/bitext/bitext.log",
        "$XDG_CACHE_HOME/bitext/",
        "index-*.bin",
        "translations.jsonl",
        "pages/",
    ] {
        assert!(page.contains(file), "FILES lacks {file}");
    }
    for var in [
        "NO_COLOR",
        "BITEXT_CONFIG",
        "BITEXT_LIBRARY",
        "XDG_CONFIG_HOME",
        "HTTPS_PROXY",
        "HTTP_PROXY",
        "NO_PROXY",
        "EDITOR",
    ] {
        assert!(page.lines().any(|l| l.contains(var)), "ENVIRONMENT lacks {var}");
    }
    assert!(page.contains("docs/article-format.md"), "the article format points to its full description");
}

/// The page is well-formed roff: it starts with the title, every request is one the man macros
/// know, and, where groff and man are installed, they read it without a warning.
#[test]
fn the_manual_is_well_formed_roff() {
    let page = manual();
    let mut requests = page.lines().filter(|l| l.starts_with('.') || l.starts_with('\''));
    let known = ["ie", "el", "TH", "SH", "SS", "TP", "PP", "IP", "RS", "RE", "br", "nf", "fi"];
    let first_macro = requests.clone().find(|l| !l.starts_with(".ie") && !l.starts_with(".el"));
    assert!(first_macro.is_some_and(|l| l.starts_with(".TH BITEXT 1 ")), "{first_macro:?}");
    for line in requests.by_ref() {
        let name = line[1..].split_whitespace().next().unwrap_or("");
        assert!(known.contains(&name), "unexpected request {line:?}");
    }
    assert!(page.is_ascii(), "a manual page in ASCII reads right in any locale");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bitext.1");
    std::fs::write(&file, &page).unwrap();
    if let Ok(o) = Command::new("groff").args(["-man", "-Tutf8", "-ww", "-z"]).arg(&file).output() {
        assert!(o.status.success() && o.stderr.is_empty(), "groff: {}", text(&o.stderr));
    }
    if let Ok(o) = Command::new("man").arg("-l").arg(&file).env("MANWIDTH", "100").env("MANPAGER", "cat").output() {
        assert!(o.status.success(), "man -l: {}", text(&o.stderr));
        assert!(o.stderr.is_empty(), "man -l warned: {}", text(&o.stderr));
        let shown = text(&o.stdout);
        assert!(shown.contains("SUBCOMMANDS") && shown.contains("bitext feed add"), "{shown}");
    }
}

/// A library of two articles, a config naming one engine and a feeds file with one feed, all
/// under `home`.
fn completion_home(home: &Path) -> std::path::PathBuf {
    let lib = home.join("library");
    std::fs::create_dir_all(lib.join("de")).unwrap();
    std::fs::write(
        lib.join("de/rathaus-garten.toml"),
        "title = \"The town hall opens its garden\"\nsource_lang = \"de\"\ntarget_lang = \"en\"\n\
         [[paragraphs]]\nsource = \"Der Garten ist offen.\"\ntranslation = \"The garden is open.\"\n",
    )
    .unwrap();
    std::fs::write(
        lib.join("bahnhof.toml"),
        "title = \"The station gets a new roof\"\nsource_lang = \"de\"\ntarget_lang = \"en\"\n\
         [[paragraphs]]\nsource = \"Das Dach ist neu.\"\ntranslation = \"The roof is new.\"\n",
    )
    .unwrap();
    let config = home.join("config/bitext");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "[engines.nearby]\nkind = \"libretranslate\"\nurl = \"http://127.0.0.1:9\"\n",
    )
    .unwrap();
    std::fs::write(
        config.join("feeds.toml"),
        "[[feeds]]\nurl = \"https://news.example/rss.xml\"\nname = \"town-news\"\n",
    )
    .unwrap();
    lib
}

/// The candidates bitext gives a shell that asks as bash does: `COMPLETE=bash`, the index of
/// the word being completed, and the command line after `--`.
fn complete(home: &Path, words: &[&str]) -> Vec<String> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bitext"));
    cmd.arg("--")
        .args(words)
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .env("_CLAP_IFS", "\n")
        .env_remove("BITEXT_LIBRARY");
    let o: Output = isolate(&mut cmd, home).output().unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    text(&o.stdout).lines().map(str::to_string).filter(|l| !l.is_empty()).collect()
}

#[test]
fn completion_offers_article_ids_engines_feeds_and_modes() {
    let home = tempfile::tempdir().unwrap();
    let lib = completion_home(home.path());
    let lib = lib.to_str().unwrap();
    // With nothing typed yet, the options come too.
    let offered = complete(home.path(), &["bitext", "--library", lib, "show", ""]);
    let mut ids: Vec<&String> = offered.iter().filter(|c| !c.starts_with('-')).collect();
    ids.sort();
    assert_eq!(ids, ["bahnhof", "de/rathaus-garten"], "{offered:?}");
    assert!(offered.contains(&"--mode".to_string()), "{offered:?}");
    assert_eq!(complete(home.path(), &["bitext", "--library", lib, "show", "de/"]), ["de/rathaus-garten"]);
    assert_eq!(complete(home.path(), &["bitext", "-l", lib, "translate", "bahnhof", "de"]), ["de/rathaus-garten"]);
    // The library may come from the environment, as for any command.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bitext"));
    cmd.args(["--", "bitext", "show", "b"]).env("COMPLETE", "bash").env("_CLAP_COMPLETE_INDEX", "2");
    let o = isolate(&mut cmd, home.path()).env("BITEXT_LIBRARY", lib).output().unwrap();
    assert_eq!(text(&o.stdout), "bahnhof");

    let mut engines = complete(home.path(), &["bitext", "translate", "--engine", ""]);
    engines.sort();
    assert_eq!(engines, ["apertium", "nearby"]);
    assert_eq!(complete(home.path(), &["bitext", "add", "--translate", "n"]), ["nearby"]);
    let feeds = complete(home.path(), &["bitext", "fetch", ""]);
    assert_eq!(feeds.iter().filter(|c| !c.starts_with('-')).collect::<Vec<_>>(), ["town-news"], "{feeds:?}");
    assert_eq!(complete(home.path(), &["bitext", "feed", "remove", "to"]), ["town-news"]);
    assert_eq!(
        complete(home.path(), &["bitext", "show", "--mode", ""]),
        ["translation", "source", "side-by-side", "interleaved"]
    );
    assert!(complete(home.path(), &["bitext", "fe"]).contains(&"feed".to_string()));
}

#[test]
fn completions_prints_a_script_that_calls_bitext_back() {
    let home = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = bitext_in(home.path(), &["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", text(&o.stderr));
        let script = text(&o.stdout);
        assert!(script.contains(env!("CARGO_BIN_EXE_bitext")), "{shell}: the script calls this bitext:\n{script}");
        assert!(script.contains("COMPLETE"), "{shell}:\n{script}");
    }
}

/// The bash script, sourced into a real bash, completes an article id at TAB.
#[test]
fn bash_completes_an_article_id_through_the_script() {
    if Command::new("bash").arg("-c").arg("complete").output().is_err() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let lib = completion_home(home.path());
    let script = text(&bitext_in(home.path(), &["completions", "bash"]).stdout);
    let file = home.path().join("bitext.bash");
    std::fs::write(&file, script).unwrap();
    let program = format!(
        "source {}; COMP_WORDS=(bitext --library {} show de/); COMP_CWORD=4; COMP_TYPE=9; \
         _clap_complete_bitext bitext de/ show; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        file.display(),
        lib.display()
    );
    let mut cmd = Command::new("bash");
    cmd.arg("-c").arg(program);
    let o = isolate(&mut cmd, home.path()).output().unwrap();
    assert_eq!(text(&o.stdout).trim(), "de/rathaus-garten", "{}", text(&o.stderr));
}
