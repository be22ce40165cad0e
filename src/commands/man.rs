//! `bitext man`: the one manual page, bitext(1). The name, synopsis, options and every
//! subcommand come from the clap definitions (through clap_mangen) and the keys from the
//! binding table, so they cannot drift from the program; the rest (files, environment, the
//! article format, examples) is written here.

use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::{Inline, Roff, bold, italic, roman};

use crate::cli::Cli;

/// What `roff` puts before every page it renders (the apostrophe string); the page has it once.
const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";

/// The manual page in roff.
pub fn page() -> String {
    let mut cmd = Cli::command();
    cmd.build();
    let man = Man::new(cmd.clone())
        .title("BITEXT")
        .section("1")
        .source(format!("bitext {}", env!("CARGO_PKG_VERSION")))
        .manual("User Commands");
    let mut out = String::from(PREAMBLE);
    out.push_str(&piece(|w| man.render_title(w)));
    out.push_str(&piece(|w| man.render_name_section(w)));
    out.push_str(&piece(|w| man.render_synopsis_section(w)));
    out.push_str(&body(description));
    out.push_str(&piece(|w| man.render_options_section(w)));
    out.push_str(&subcommands(&cmd));
    out.push_str(&body(keys));
    out.push_str(&body(articles));
    out.push_str(&body(files));
    out.push_str(&body(environment));
    out.push_str(&body(exit_status));
    out.push_str(&body(examples));
    out
}

/// A part clap_mangen renders, without the preamble it starts with.
fn piece(render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    // Rendering into memory cannot fail.
    let _ = render(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    text.strip_prefix(PREAMBLE).map(str::to_string).unwrap_or(text)
}

/// A part written here.
fn body(write: fn(&mut Roff)) -> String {
    let mut roff = Roff::new();
    write(&mut roff);
    piece(|w| roff.to_writer(w))
}

/// A paragraph of plain text.
fn para(roff: &mut Roff, text: &str) {
    roff.control("PP", []);
    roff.text([roman(text)]);
}

/// A tagged paragraph: `tag` in bold, then `text`.
fn item(roff: &mut Roff, tag: &str, text: &str) {
    roff.control("TP", []);
    roff.text([bold(tag)]);
    roff.text([roman(text)]);
}

/// Lines shown as they are (commands to type), indented.
fn example(roff: &mut Roff, lines: &[&str]) {
    roff.control("PP", []);
    roff.control("RS", ["4"]);
    roff.control("nf", []);
    for line in lines {
        roff.text([roman(*line)]);
    }
    roff.control("fi", []);
    roff.control("RE", []);
}

fn description(roff: &mut Roff) {
    roff.control("SH", ["DESCRIPTION"]);
    roff.text([roman(
        "bitext reads news articles that come as a source text and its translation, paired paragraph by \
         paragraph. Without a subcommand (or with read) it opens the reader: a library list, and the \
         selected article as its translation, its source, both side by side scrolling in step, or \
         interleaved. It is made for a terminal, often over SSH, and the keyboard alone.",
    )]);
    para(
        roff,
        "The other subcommands work without the reader: list and show print the library and an article \
         (show prints the rows the reader draws), check validates every file, import and add make \
         articles from text files and web pages, translate fills in missing translations with a machine \
         engine, realign pairs an article again keeping the pairs made by hand, feed and fetch subscribe to news feeds and turn their items into articles, config prints \
         the configuration in force, and completions and man print the shell completion script and this \
         page.",
    );
    para(
        roff,
        "The library is a folder of article files (see ARTICLES). It is the first of: --library, \
         $BITEXT_LIBRARY, [library] path in the config file, ./articles if that folder exists, and \
         $XDG_DATA_HOME/bitext/articles, made on first use.",
    );
}

/// Every subcommand, nested ones too (`feed add`), with its synopsis, what it does and its own
/// options; the global options are under OPTIONS.
fn subcommands(cmd: &clap::Command) -> String {
    let mut roff = Roff::new();
    roff.control("SH", ["SUBCOMMANDS"]);
    roff.text([roman(
        "Each subcommand takes the global options above as well as its own. bitext help COMMAND and \
         bitext COMMAND --help print the same as this section, for one command.",
    )]);
    let mut out = piece(|w| roff.to_writer(w));
    for sub in cmd.get_subcommands() {
        nested(sub.get_name(), sub, &mut out);
    }
    out
}

/// `sub` and, after it, each of its own subcommands (`feed add`, …); `help` mirrors the others
/// and has none of its own here.
fn nested(path: &str, sub: &clap::Command, out: &mut String) {
    out.push_str(&subcommand(path, sub));
    if sub.get_name() == "help" {
        return;
    }
    for inner in sub.get_subcommands().filter(|s| s.get_name() != "help") {
        nested(&format!("{path} {}", inner.get_name()), inner, out);
    }
}

/// One subcommand: `.SS` with its name, its usage, its description and its own arguments.
fn subcommand(path: &str, sub: &clap::Command) -> String {
    let mut roff = Roff::new();
    roff.control("SS", [format!("bitext {path}").as_str()]);
    let usage = sub.clone().render_usage().to_string();
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    let rest = usage.strip_prefix(&format!("bitext {path}")).unwrap_or(usage);
    roff.text([bold(format!("bitext {path}")), roman(rest)]);
    if let Some(about) = sub.get_long_about().or_else(|| sub.get_about()) {
        roff.control("PP", []);
        roff.text([roman(about.to_string())]);
    }
    let mut out = piece(|w| roff.to_writer(w));
    // Its own arguments: the global ones are described once, and --help everywhere.
    let own = sub
        .clone()
        .mut_args(|a| if a.is_global_set() || a.get_id() == "help" { a.hide(true) } else { a })
        .subcommands(std::iter::empty::<clap::Command>());
    let options = piece(|w| Man::new(own).render_options_section(w));
    out.push_str(options.strip_prefix(".SH OPTIONS\n").unwrap_or(&options));
    out
}

fn keys(roff: &mut Roff) {
    roff.control("SH", ["KEYS"]);
    roff.text([roman(
        "The reader's keys, as built in. Each is rebindable in the [keys] table of the config file by \
         the action's name, given in parentheses (bitext config --default lists them all with their keys); \
         ? in the reader shows the keys in force. Keys marked list or reader act only where that pane has \
         the focus. The keys of the search and find line are fixed: Enter keeps, Esc clears.",
    )]);
    for b in crate::keys::DEFAULT_BINDINGS {
        roff.control("TP", []);
        let mut tag: Vec<Inline> = Vec::new();
        for (i, k) in b.keys.iter().enumerate() {
            if i > 0 {
                tag.push(roman(", "));
            }
            tag.push(bold(*k));
        }
        if b.keys.is_empty() {
            tag.push(italic("no key"));
        }
        roff.text(tag);
        let place = match b.context.label() {
            "" => String::new(),
            label => format!("in the {label}: "),
        };
        roff.text([roman(format!("{place}{} ({})", b.help, b.name))]);
    }
}

fn articles(roff: &mut Roff) {
    roff.control("SH", ["ARTICLES"]);
    roff.text([roman(
        "An article is one UTF-8 TOML file anywhere under the library folder; its id is its path in the \
         library without .toml (ko/seoul-forum). It needs title, source_lang and target_lang (BCP 47 \
         language tags such as ko, en or zh-Hant) and a body; it may have source_title, outlet, url, \
         published (a TOML date), authors, translator, tags, summary, feed, guid, machine_translation, \
         and an [alignment] table (method, free text, and confidence, 0 to 1) saying how it was paired.",
    )]);
    para(
        roff,
        "The body is either [[paragraphs]] tables, one per pair, each with source and translation (either \
         may be missing), kind (text, heading, quote or caption), machine, moved_from (where the source \
         paragraph stands in the source edition, 1 or more), confidence (how sure the aligner is of the pair, \
         0 to 1; below 0.5 the reader marks it unsure) and manual (made by hand, kept by a re-alignment); \
         or one [body] table with a source and a translation text whose paragraphs are separated by blank \
         lines, which bitext pairs with its aligner. The reader's +, - and x join, split and unlink the \
         cursor's pair in the file (u undoes), a [body] becoming [[paragraphs]] first.",
    );
    example(
        roff,
        &[
            "title = \"The museum opens its doors again\"",
            "source_lang = \"es\"",
            "target_lang = \"en\"",
            "published = 2024-07-11",
            "",
            "[[paragraphs]]",
            "source = \"El museo abre sus puertas de nuevo.\"",
            "translation = \"The museum opens its doors again.\"",
        ],
    );
    para(
        roff,
        "bitext check lists every problem of every file with its path, line and column: errors (the file \
         is not listed) and warnings such as an unknown key (the article is listed). The full format is \
         described in docs/article-format.md, and feeds.toml in docs/feeds.md, in bitext's source.",
    );
}

fn files(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    roff.text([roman(
        "Where XDG_CONFIG_HOME, XDG_STATE_HOME, XDG_CACHE_HOME or XDG_DATA_HOME is unset, it is \
         ~/.config, ~/.local/state, ~/.cache or ~/.local/share.",
    )]);
    item(
        roff,
        "$XDG_CONFIG_HOME/bitext/config.toml",
        "The configuration, layered key by key over the built-in defaults (bitext config --default prints \
         them, documented). --config and $BITEXT_CONFIG name another file.",
    );
    item(
        roff,
        "$XDG_CONFIG_HOME/bitext/feeds.toml",
        "The subscriptions, one [[feeds]] table each, written by bitext feed add and feed import and \
         editable by hand ([feeds] file in the config names another).",
    );
    item(
        roff,
        "$XDG_STATE_HOME/bitext/state.json",
        "The reading state: what was read, what is starred and where reading stopped ([state] path in \
         the config names another).",
    );
    item(
        roff,
        "$XDG_STATE_HOME/bitext/feeds.json",
        "What each feed's server said last (validators for conditional requests, errors, the items seen), \
         and beside it the lock that keeps two fetches apart.",
    );
    item(
        roff,
        "$XDG_STATE_HOME/bitext/bitext.log",
        "The log (--log-level), written only when there is something to say; over 4 MiB it is moved to \
         bitext.log.old.",
    );
    item(
        roff,
        "$XDG_CACHE_HOME/bitext/",
        "Caches, any of which may be deleted: index-*.bin (the library index, one per library folder), \
         translations.jsonl (machine translations by a hash of the engine and the text) and pages/ (fetched \
         web pages, compressed, for add --offline).",
    );
    item(roff, "$XDG_DATA_HOME/bitext/articles/", "The library when no other is named (see DESCRIPTION).");
}

fn environment(roff: &mut Roff) {
    roff.control("SH", ["ENVIRONMENT"]);
    item(
        roff,
        "NO_COLOR",
        "Set to anything but the empty string: no colour at all (the mono theme), whatever the config says.",
    );
    item(roff, "COLORTERM", "truecolor or 24bit: hex colours are sent as they are, else as the nearest of 256.");
    item(roff, "BITEXT_CONFIG", "The config file, when --config is not given.");
    item(roff, "BITEXT_LIBRARY", "The library folder, when --library is not given.");
    item(
        roff,
        "XDG_CONFIG_HOME, XDG_STATE_HOME, XDG_CACHE_HOME, XDG_DATA_HOME",
        "Where the files above are (see FILES).",
    );
    item(
        roff,
        "HTTPS_PROXY, HTTP_PROXY, NO_PROXY",
        "The proxy for web requests (add, fetch, HTTP translation engines), and the hosts reached without it.",
    );
    item(roff, "EDITOR", "The editor the reader opens an article's file in (e); vi when it is unset.");
    item(
        roff,
        "BROWSER",
        "The program that opens an article's URL (o), when [links] open_command is empty; over SSH the URL \
         is shown instead.",
    );
    item(
        roff,
        "COMPLETE",
        "Set by the completion script while the shell completes a command line; not for use by hand.",
    );
}

fn exit_status(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    item(roff, "0", "Success; also when the terminal hangs up or bitext is told to terminate.");
    item(
        roff,
        "1",
        "The command ran but failed at its task: check found a file with an error, add could not add the \
         page, translate failed for an article, or fetch failed for every feed.",
    );
    item(
        roff,
        "2",
        "A usage error, said on standard error in one line: a bad flag or value, an unknown article id, a \
         bad config file, a library folder that does not exist.",
    );
}

fn examples(roff: &mut Roff) {
    roff.control("SH", ["EXAMPLES"]);
    roff.text([roman("Open the reader on a library folder:")]);
    example(roff, &["bitext --library ~/news"]);
    para(roff, "Print an article side by side at 120 columns, and page through it:");
    example(roff, &["bitext show ko/seoul-forum --mode side-by-side --width 120 | less"]);
    para(roff, "Make an article from two text files, and check the library:");
    example(
        roff,
        &["bitext import --source ko.txt --translation en.md --source-lang ko --target-lang en", "bitext check"],
    );
    para(roff, "Pair an article again, with an engine's help, keeping the pairs fixed by hand in the reader:");
    example(roff, &["bitext realign es/2025-09-14-vendimia --engine apertium"]);
    para(roff, "Add a page from the web with its English edition, translating what the edition lacks:");
    example(roff, &["bitext add https://news.example/2025/04/article.html --translate"]);
    para(roff, "Subscribe to a feed and fetch it from cron every half hour:");
    example(
        roff,
        &[
            "bitext feed add https://news.example/rss.xml --source-lang ko --translate apertium",
            "*/30 * * * * bitext fetch --quiet",
        ],
    );
    para(roff, "Install the shell completion and this page:");
    example(
        roff,
        &[
            "bitext completions bash > ~/.local/share/bash-completion/completions/bitext",
            "bitext man > ~/.local/share/man/man1/bitext.1",
        ],
    );
}
