//! Shell completion of what only the running program knows: article ids, engine names and feed
//! names. The shell runs `COMPLETE=SHELL bitext -- WORDS…` (the script `bitext completions
//! SHELL` prints sets that up), and clap_complete's engine calls the functions here for the
//! arguments they are attached to in [`crate::cli`]; `--mode` and the other fixed choices come
//! from their value enums.
//!
//! The library and the configuration are the ones the completed command would use: its own
//! `--library` and `--config`, then the environment and the config file, as for any command.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use clap_complete::engine::CompletionCandidate;

/// Answers a completion request and exits, when the process was started for one (`COMPLETE`
/// is set); otherwise returns at once. Called first thing in `main`.
pub fn answer_and_exit_if_asked() {
    use clap::CommandFactory;
    clap_complete::CompleteEnv::with_factory(crate::cli::Cli::command).complete();
}

/// The completion registration script for `shell`, which calls `completer` (this program) at
/// each TAB: what `COMPLETE=SHELL bitext` prints.
pub fn registration(shell: clap_complete::Shell, completer: &str) -> std::io::Result<String> {
    let shells = clap_complete::env::Shells::builtins();
    let name = shell.to_string();
    let Some(env) = shells.completer(&name) else {
        return Err(std::io::Error::other(format!("no dynamic completion for {name}")));
    };
    let mut out = Vec::new();
    env.write_registration("COMPLETE", "bitext", "bitext", completer, &mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// `--library` and `--config` as the command line being completed gives them (the words after
/// `--`), in any of their spellings: `--library DIR`, `--library=DIR`, `-l DIR`, `-lDIR`.
fn given_paths(args: &[OsString]) -> (Option<PathBuf>, Option<PathBuf>) {
    let words = match args.iter().position(|a| a == "--") {
        Some(i) => &args[i + 1..],
        None => args,
    };
    // Index 0 is the library, 1 the config file.
    let mut found: [Option<PathBuf>; 2] = [None, None];
    let mut words = words.iter().map(|w| w.to_string_lossy().into_owned());
    while let Some(w) = words.next() {
        let which = match w.as_str() {
            "--library" | "-l" => 0,
            "--config" | "-c" => 1,
            _ => {
                let joined = [("--library=", 0), ("--config=", 1), ("-l", 0), ("-c", 1)];
                if let Some((v, i)) = joined.iter().find_map(|(p, i)| w.strip_prefix(p).map(|v| (v, *i)))
                    && !v.is_empty()
                {
                    found[i] = Some(PathBuf::from(v));
                }
                continue;
            }
        };
        found[which] = words.next().filter(|v| !v.is_empty()).map(PathBuf::from);
    }
    let [library, config] = found;
    (library, config)
}

/// The context of the command being completed; `None` when its configuration cannot be read.
fn context() -> Option<crate::context::Context> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let (library, config) = given_paths(&args);
    let cli =
        crate::cli::Cli { library, config, ascii: false, log_level: crate::logging::LogLevel::Warn, command: None };
    crate::context::Context::new(&cli).ok()
}

/// The candidates among `(value, help)` that start with what was typed.
fn matching(current: &OsStr, items: impl IntoIterator<Item = (String, Option<String>)>) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    items
        .into_iter()
        .filter(|(value, _)| value.starts_with(current.as_ref()))
        .map(|(value, help)| CompletionCandidate::new(value).help(help.map(Into::into)))
        .collect()
}

/// Article ids (`bitext show <TAB>`), with their titles, from the library's index cache (the
/// folder is walked to confirm it; only new or changed files are read, their header only).
pub fn article_ids(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(ctx) = context() else { return Vec::new() };
    let root = &ctx.library_path;
    let cache = crate::library::default_cache_path(root);
    let max = ctx.config.library.max_file_size;
    let Ok((library, _)) = crate::library::Library::load_cached(root, max, cache.as_deref(), false) else {
        return Vec::new();
    };
    matching(current, library.articles.into_iter().map(|a| (a.meta.id.into_string(), Some(a.meta.title))))
}

/// Translation engines: each `[engines.NAME]` of the configuration, and the built-in `apertium`.
pub fn engine_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(ctx) = context() else { return Vec::new() };
    let mut names: Vec<(String, Option<String>)> =
        ctx.config.engines.iter().map(|(name, e)| (name.clone(), Some(e.kind.clone()))).collect();
    if !ctx.config.engines.contains_key("apertium") {
        names.push(("apertium".into(), Some("built-in".into())));
    }
    matching(current, names)
}

/// Subscribed feeds by name, from feeds.toml, with their addresses.
pub fn feed_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(path) = context().and_then(|ctx| ctx.config.feeds.path()) else { return Vec::new() };
    let Ok(file) = crate::feeds::config::load(&path) else { return Vec::new() };
    matching(current, file.feeds.into_iter().map(|f| (f.name, Some(f.url))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_and_config_are_read_from_the_words_in_every_spelling() {
        let words = |s: &str| s.split(' ').map(OsString::from).collect::<Vec<_>>();
        assert_eq!(given_paths(&words("bitext -- bitext --library /a show x")), (Some(PathBuf::from("/a")), None));
        assert_eq!(
            given_paths(&words("bitext -- bitext --library=/a -c /c.toml show")),
            (Some(PathBuf::from("/a")), Some(PathBuf::from("/c.toml")))
        );
        assert_eq!(
            given_paths(&words("bitext -- bitext -l/b --config=/d.toml fetch")),
            (Some(PathBuf::from("/b")), Some(PathBuf::from("/d.toml")))
        );
        assert_eq!(given_paths(&words("bitext -- bitext show")), (None, None));
        // The word being completed may be the flag's value itself, still empty.
        assert_eq!(given_paths(&words("bitext -- bitext --library ")), (None, None));
    }

    #[test]
    fn candidates_start_with_what_was_typed() {
        let items = vec![("ko/a".to_string(), Some("A".to_string())), ("ja/b".to_string(), None)];
        let got = matching(OsStr::new("ko"), items);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].get_value(), "ko/a");
    }
}
