//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueHint};
use clap_complete::engine::ArgValueCompleter;

use crate::logging::LogLevel;
use crate::render::Mode;

/// A terminal reader for translated news: source and translation side by side.
#[derive(Debug, Parser)]
#[command(name = "bitext", version, about, long_about = None)]
pub struct Cli {
    /// The folder of articles (overrides `library.path` in the config).
    #[arg(long, short = 'l', global = true, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub library: Option<PathBuf>,

    /// The config file to layer over the built-in defaults (else $BITEXT_CONFIG, else
    /// $XDG_CONFIG_HOME/bitext/config.toml).
    #[arg(long, short = 'c', global = true, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub config: Option<PathBuf>,

    /// Draw every border, marker and scrollbar with plain ASCII (as `[theme] ascii = true`).
    #[arg(long, global = true)]
    pub ascii: bool,

    /// How much to write to the log file, $XDG_STATE_HOME/bitext/bitext.log (never to the
    /// terminal).
    #[arg(long, global = true, value_enum, value_name = "LEVEL", default_value = "warn")]
    pub log_level: LogLevel,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the reader (the default).
    Read,
    /// Print one line per article: id, date, languages, title.
    List {
        /// Print a JSON array of objects instead, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Print an article laid out as the reader draws it, as plain text.
    Show {
        /// The article id (its path in the library without `.toml`), as `bitext list` prints it.
        #[arg(add = ArgValueCompleter::new(crate::completion::article_ids))]
        id: String,
        /// The reading mode.
        #[arg(long, short = 'm', value_enum)]
        mode: Option<Mode>,
        /// Width in columns (default: the terminal's, or 100 when not printing to a terminal).
        #[arg(long, short = 'w', value_parser = clap::value_parser!(u16).range(1..))]
        width: Option<u16>,
        /// Put the translation on the left in side-by-side mode.
        #[arg(long)]
        swap: bool,
    },
    /// Validate every file in the library; exit 1 if any file has an error.
    Check,
    /// Make an article from plain-text or Markdown files: split into paragraphs, align, write.
    Import(Box<ImportArgs>),
    /// Add a news article from the web (or a saved page): fetch, extract, find its edition in
    /// the reading language, pair the two, write it into the library.
    Add(Box<AddArgs>),
    /// Machine-translate the paragraphs an article has no translation for.
    Translate(Box<TranslateArgs>),
    /// Pair an article's paragraphs again with the aligner, keeping pairs made by hand.
    Realign(RealignArgs),
    /// Subscriptions: add, list, remove, import and export the feeds `bitext fetch` reads.
    Feed {
        #[command(subcommand)]
        command: FeedCommand,
    },
    /// Fetch the subscribed feeds (or those named): every new item becomes an article, with its
    /// full text, its edition in the reading language and, where the feed says, a machine
    /// translation. A second fetch asks each server only for what changed.
    Fetch {
        /// Feeds by name (default: all).
        #[arg(value_name = "NAME", add = ArgValueCompleter::new(crate::completion::feed_names))]
        names: Vec<String>,
        /// Print nothing but errors (for cron).
        #[arg(long, short = 'q')]
        quiet: bool,
    },
    /// Print the configuration in force as TOML, each value with the file it came from.
    Config {
        /// Print the built-in config.toml instead: every option, documented, with its default.
        #[arg(long)]
        default: bool,
    },
    /// Print the script that makes a shell complete bitext's commands, options, article ids,
    /// engine and feed names (e.g. `bitext completions bash >
    /// ~/.local/share/bash-completion/completions/bitext`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, bitext(1), in roff (e.g. `bitext man >
    /// ~/.local/share/man/man1/bitext.1`).
    Man,
}

#[derive(Debug, Subcommand)]
pub enum FeedCommand {
    /// Subscribe to a feed (RSS, Atom or JSON Feed); it is read once to name it.
    Add(Box<FeedAddArgs>),
    /// Print the subscriptions: name, languages, last fetch, last error, articles.
    List {
        /// Print a JSON array of objects instead, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Unsubscribe (the feed's articles stay in the library).
    Remove {
        /// The feed's name (or its URL).
        #[arg(add = ArgValueCompleter::new(crate::completion::feed_names))]
        name: String,
    },
    /// Subscribe to every feed of an OPML file or of newsboat's `urls` file (with its tags).
    Import {
        /// The file (`-` reads standard input).
        #[arg(value_hint = ValueHint::FilePath)]
        file: PathBuf,
    },
    /// Print the subscriptions as OPML 2.0 (tags as `category`), for another reader or
    /// `bitext feed import`.
    Export,
}

#[derive(Debug, clap::Args)]
pub struct FeedAddArgs {
    /// The feed's address.
    pub url: String,
    /// Its name: its folder in the library and its tag (default: from the feed's title).
    #[arg(long)]
    pub name: Option<String>,
    /// The language of its articles (default: what the feed declares).
    #[arg(long, value_name = "LANG")]
    pub source_lang: Option<String>,
    /// The reading language (default: `[library] reading_lang`).
    #[arg(long, value_name = "LANG")]
    pub target_lang: Option<String>,
    /// Machine-translate what has no edition, with ENGINE (or `[translate] engine`).
    #[arg(
        long,
        value_name = "ENGINE",
        num_args = 0..=1,
        default_missing_value = "",
        add = ArgValueCompleter::new(crate::completion::engine_names)
    )]
    pub translate: Option<String>,
    /// When to fetch an item's page for its full text: `auto` (when the item carries only a
    /// summary), `always` or `never`.
    #[arg(long, value_enum, value_name = "MODE")]
    pub full_text: Option<crate::feeds::config::FullText>,
    /// Do not look for the other-language edition of each page.
    #[arg(long)]
    pub no_edition: bool,
    /// A CSS selector for the article body on the feed's site.
    #[arg(long, value_name = "CSS")]
    pub selector: Option<String>,
    /// A tag for the feed's articles (repeatable).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Remove the feed's articles older than DAYS (starred ones stay).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..))]
    pub keep_days: Option<u32>,
    /// Keep at most N of the feed's articles, the newest (starred ones stay).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_articles: Option<u32>,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The source-language text (`-` reads standard input).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub source: Option<PathBuf>,
    /// The translation (`-` reads standard input).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub translation: Option<PathBuf>,
    /// The source language, a BCP 47 tag such as `ko`.
    #[arg(long, value_name = "LANG")]
    pub source_lang: String,
    /// The translation's language, such as `en`.
    #[arg(long, value_name = "LANG")]
    pub target_lang: String,
    /// The headline (default: the translation's first line).
    #[arg(long)]
    pub title: Option<String>,
    /// The headline in the source language (default: the source's first line, when the title
    /// came from the translation's).
    #[arg(long)]
    pub source_title: Option<String>,
    /// The publication.
    #[arg(long)]
    pub outlet: Option<String>,
    /// The publication date, `YYYY-MM-DD` or an RFC 3339 date-time.
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
    /// Where the original was published.
    #[arg(long)]
    pub url: Option<String>,
    /// The folder to write into (default: the library).
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub out: Option<PathBuf>,
    /// Overwrite an existing file of the same name.
    #[arg(long)]
    pub force: bool,
    /// How plain texts separate paragraphs: `blank` lines, one per `lines`, or `auto` (one per
    /// line when a text has no blank line at all).
    #[arg(long, value_enum, default_value = "auto")]
    pub paragraphs: crate::import::Paragraphs,
    /// Pair the two texts with help from ENGINE's translations of the source (a name from
    /// `[engines.NAME]`, or the built-in `apertium`).
    #[arg(long, value_name = "ENGINE", add = ArgValueCompleter::new(crate::completion::engine_names))]
    pub engine: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The page: a URL, a saved page (FILE.html), or `-` for standard input.
    #[arg(value_name = "URL|FILE|-", value_hint = ValueHint::AnyPath)]
    pub page: String,
    /// The other-language edition, if the page does not link it: a URL or a file.
    #[arg(long, value_name = "URL|FILE")]
    pub translation: Option<String>,
    /// The page's language, when the page does not say (else a detector guesses).
    #[arg(long, value_name = "LANG")]
    pub source_lang: Option<String>,
    /// The reading language (default: `[library] reading_lang`, `en`).
    #[arg(long, value_name = "LANG")]
    pub target_lang: Option<String>,
    /// Write the article file even if it would not change.
    #[arg(long)]
    pub force: bool,
    /// Read the page (and its edition) from the pages kept when they were last fetched, not
    /// from the network: extract them again.
    #[arg(long)]
    pub offline: bool,
    /// Machine-translate what the edition lacks (everything when there is no edition), with
    /// ENGINE or `[translate] engine`.
    #[arg(
        long,
        value_name = "ENGINE",
        num_args = 0..=1,
        default_missing_value = "",
        add = ArgValueCompleter::new(crate::completion::engine_names)
    )]
    pub translate: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct TranslateArgs {
    /// The articles, by id (`bitext list` prints them).
    #[arg(value_name = "ID", add = ArgValueCompleter::new(crate::completion::article_ids))]
    pub ids: Vec<String>,
    /// The engine: a name from `[engines.NAME]`, or the built-in `apertium` (default:
    /// `[translate] engine`).
    #[arg(long, value_name = "NAME", add = ArgValueCompleter::new(crate::completion::engine_names))]
    pub engine: Option<String>,
    /// Translate every paragraph, not only those without a translation.
    #[arg(long)]
    pub force: bool,
    /// Every article of the library that has no translation at all.
    #[arg(long)]
    pub untranslated: bool,
    /// Neither read nor write the translation cache.
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, clap::Args)]
pub struct RealignArgs {
    /// The articles, by id (`bitext list` prints them).
    #[arg(required = true, add = ArgValueCompleter::new(crate::completion::article_ids))]
    pub ids: Vec<String>,
    /// Pair with help from ENGINE's translations of the source (a name from `[engines.NAME]`,
    /// or the built-in `apertium`).
    #[arg(long, value_name = "ENGINE", add = ArgValueCompleter::new(crate::completion::engine_names))]
    pub engine: Option<String>,
}
