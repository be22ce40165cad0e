//! `bitext feed …` (the subscriptions) and `bitext fetch` (reading them).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use super::{Context, Error, emit};
use crate::cli::{FeedAddArgs, FeedCommand};
use crate::feeds::config::{self as feeds_config, FeedsFile, Subscription};
use crate::feeds::fetch::{self, Progress};

fn feeds_path(ctx: &Context) -> Result<PathBuf, Error> {
    ctx.config.feeds.path().ok_or_else(|| {
        Error::Usage("cannot tell where feeds.toml is: set [feeds] file in the config, or $XDG_CONFIG_HOME".into())
    })
}

fn load(ctx: &Context) -> Result<(PathBuf, FeedsFile), Error> {
    let path = feeds_path(ctx)?;
    let file = feeds_config::load(&path).map_err(|e| Error::Usage(e.to_string()))?;
    Ok((path, file))
}

/// Failure of a command that is not the user's mistake: one line, exit 1.
fn failed(message: &str) -> Result<ExitCode, Error> {
    crate::logging::say(&format!("bitext: {message}"));
    Ok(ExitCode::from(1))
}

pub fn feed(ctx: &Context, command: FeedCommand) -> Result<ExitCode, Error> {
    match command {
        FeedCommand::Add(args) => add(ctx, &args),
        FeedCommand::List { json } => list(ctx, json),
        FeedCommand::Remove { name } => {
            let path = feeds_path(ctx)?;
            let gone = feeds_config::remove(&path, &name).map_err(|e| Error::Usage(e.to_string()))?;
            emit(&format!(
                "removed {} ({}); its articles stay in {}\n",
                gone.name,
                gone.url,
                ctx.library_path.join(&gone.name).display()
            ))
        }
        FeedCommand::Import { file } => import(ctx, &file),
        FeedCommand::Export => {
            let (_, file) = load(ctx)?;
            emit(&crate::feeds::opml::export(&file.feeds, "bitext subscriptions"))
        }
    }
}

/// A language flag's primary language (`ko-KR` → `ko`), which pages are paired by, once the
/// flag is a language tag.
fn language(tag: &str, flag: &str) -> Result<String, Error> {
    let tag = crate::lang::flag(tag, flag).map_err(Error::Usage)?;
    Ok(crate::web::extract::primary_language(&tag).unwrap_or(tag))
}

fn add(ctx: &Context, args: &FeedAddArgs) -> Result<ExitCode, Error> {
    let path = feeds_path(ctx)?;
    let (_, file) = load(ctx)?;
    let url = args.url.trim().to_string();
    match url::Url::parse(&url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {}
        _ => return Err(Error::Usage(format!("{}: not an http or https address", crate::text::sanitize_line(&url)))),
    }
    if let Some(f) = file.feeds.iter().find(|f| f.url == url) {
        return failed(&format!("{url} is subscribed already, as {}", f.name));
    }
    if let Some(engine) = args.translate.as_deref().filter(|e| !e.is_empty()) {
        crate::translate::engine(engine, &ctx.config.engines).map_err(Error::Usage)?;
    }
    if let Some(name) = &args.name {
        feeds_config::check_name(name).map_err(|e| Error::Usage(format!("--name {name:?}: {e}")))?;
    }
    let mut sub = Subscription::new(&url);
    sub.source_lang = args.source_lang.as_deref().map(|l| language(l, "--source-lang")).transpose()?;
    sub.target_lang = args.target_lang.as_deref().map(|l| language(l, "--target-lang")).transpose()?;
    sub.translate = args.translate.clone();
    sub.full_text = args.full_text.unwrap_or_default();
    sub.edition = !args.no_edition;
    sub.selector = args.selector.clone();
    sub.tags = args.tags.iter().map(|t| crate::text::sanitize_line(t)).filter(|t| !t.is_empty()).collect();
    sub.keep_days = args.keep_days;
    sub.max_articles = args.max_articles;
    match &args.name {
        Some(n) => sub.name = n.clone(),
        None => {
            // Read the feed once for its title; a feed that cannot be read now is still
            // subscribed, named from its address.
            let client = crate::web::http::Client::new(ctx.config.web.http_options());
            let read = client
                .get(&url)
                .map_err(|e| e.to_string())
                .and_then(|p| crate::feeds::parse::parse(&p.body, p.content_type.as_deref(), &p.url));
            match read {
                Ok(feed) => sub.name = feed.title.as_deref().map(feeds_config::slug).unwrap_or_default(),
                Err(e) => crate::logging::say(&format!("bitext: warning: {e}; subscribing anyway")),
            }
        }
    }
    let written = feeds_config::append(&path, &[sub]).map_err(|e| Error::Usage(e.to_string()))?;
    match written.first() {
        Some(s) => emit(&format!("subscribed {} ({})\n", s.name, s.url)),
        None => failed(&format!("{url} is subscribed already")),
    }
}

fn import(ctx: &Context, file: &std::path::Path) -> Result<ExitCode, Error> {
    let path = feeds_path(ctx)?;
    let text = super::read_input(file)?;
    let origin = if file.as_os_str() == "-" { "standard input".to_string() } else { file.display().to_string() };
    let imported = crate::feeds::opml::import(&text, &origin).map_err(|e| Error::Usage(e.to_string()))?;
    for line in &imported.skipped {
        crate::logging::say(&format!("bitext: {line}"));
    }
    if imported.feeds.is_empty() {
        return failed(&format!("{origin}: no feeds found"));
    }
    let offered = imported.feeds.len();
    let written = feeds_config::append(&path, &imported.feeds).map_err(|e| Error::Usage(e.to_string()))?;
    let already = offered - written.len();
    let mut line = format!("imported {} feed{}", written.len(), if written.len() == 1 { "" } else { "s" });
    if already > 0 {
        line.push_str(&format!(" ({already} subscribed already)"));
    }
    emit(&format!("{line} into {}\n", path.display()))
}

/// `2 h ago`, `3 d ago`, `just now`.
fn ago(secs: u64) -> String {
    let d = crate::feeds::state::now().saturating_sub(secs);
    match d {
        0..60 => "just now".into(),
        60..3600 => format!("{} min ago", d / 60),
        3600..86_400 => format!("{} h ago", d / 3600),
        _ => format!("{} d ago", d / 86_400),
    }
}

fn list(ctx: &Context, json: bool) -> Result<ExitCode, Error> {
    let (_, file) = load(ctx)?;
    let states = match crate::feeds::state::default_path() {
        Some(p) => crate::feeds::state::load(&p).map_err(Error::Usage)?,
        None => Default::default(),
    };
    let cache = crate::library::default_cache_path(&ctx.library_path);
    let library = crate::library::Library::load_cached(
        &ctx.library_path,
        ctx.config.library.max_file_size,
        cache.as_deref(),
        true,
    )
    .map(|(l, _)| l)
    .unwrap_or_default();
    let count = |name: &str| library.articles.iter().filter(|a| a.meta.feed.as_deref() == Some(name)).count();
    let reading = &ctx.config.library.reading_lang;
    if json {
        let items: Vec<serde_json::Value> = file
            .feeds
            .iter()
            .map(|f| {
                let st = states.feeds.get(&f.url).cloned().unwrap_or_default();
                serde_json::json!({
                    "name": f.name,
                    "url": f.url,
                    "source_lang": f.source_lang.clone().or(st.lang.clone()),
                    "target_lang": f.target_lang.clone().unwrap_or_else(|| reading.clone()),
                    "full_text": f.full_text.as_str(),
                    "edition": f.edition,
                    "translate": f.translate,
                    "selector": f.selector,
                    "keep_days": f.keep_days,
                    "max_articles": f.max_articles,
                    "tags": f.tags,
                    "title": st.title,
                    "last_fetch": st.last_fetch.map(crate::clock::utc),
                    "last_success": st.last_success.map(crate::clock::utc),
                    "last_error": st.last_error,
                    "articles": count(&f.name),
                })
            })
            .collect();
        let mut text = serde_json::to_string_pretty(&items).map_err(|e| Error::Usage(e.to_string()))?;
        text.push('\n');
        return emit(&text);
    }
    if file.feeds.is_empty() {
        crate::logging::say(
            "bitext: no subscriptions yet; `bitext feed add URL` or `bitext feed import FILE` adds some",
        );
        return Ok(ExitCode::SUCCESS);
    }
    let w = file.feeds.iter().map(|f| crate::text::width(&f.name)).max().unwrap_or(0);
    let mut text = String::new();
    for f in &file.feeds {
        let st = states.feeds.get(&f.url).cloned().unwrap_or_default();
        let langs = format!(
            "{}→{}",
            f.source_lang.clone().or(st.lang.clone()).unwrap_or_else(|| "?".into()),
            f.target_lang.clone().unwrap_or_else(|| reading.clone())
        );
        let when = st.last_fetch.map_or("never fetched".to_string(), ago);
        let mut line = format!(
            "{}  {langs:<7}  {:>5} articles  {when:<14}  {}",
            crate::text::pad(&f.name, w),
            count(&f.name),
            f.url
        );
        if let Some(e) = &st.last_error {
            line.push_str(&format!("\n{}  last error: {e}", " ".repeat(w)));
        }
        text.push_str(&line);
        text.push('\n');
    }
    emit(&text)
}

pub fn fetch(ctx: &Context, names: &[String], quiet: bool) -> Result<ExitCode, Error> {
    let (path, file) = load(ctx)?;
    let mut chosen: Vec<Subscription> = Vec::new();
    for n in names {
        match file.feeds.iter().find(|f| &f.name == n || &f.url == n) {
            Some(f) => chosen.push(f.clone()),
            None => {
                let known: Vec<&str> = file.feeds.iter().map(|f| f.name.as_str()).collect();
                return Err(Error::Usage(format!(
                    "no feed named {:?} in {} (feeds: {})",
                    crate::text::sanitize_line(n),
                    path.display(),
                    if known.is_empty() { "none".to_string() } else { known.join(", ") }
                )));
            }
        }
    }
    if names.is_empty() {
        chosen = file.feeds.clone();
    }
    if chosen.is_empty() {
        if !quiet {
            crate::logging::say(&format!(
                "bitext: no subscriptions in {}; `bitext feed add URL` subscribes to a feed",
                path.display()
            ));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let options = ctx.fetch_options();
    let bars = (!quiet && std::io::stderr().is_terminal()).then(Bars::new);
    let progress = |p: Progress| {
        match &p {
            Progress::ItemFailed { feed, message } | Progress::Warning { feed, message } => {
                tracing::warn!("fetch: {feed}: {message}");
                let line = match p {
                    Progress::Warning { .. } => format!("warning: {feed}: {message}"),
                    _ => format!("bitext: {feed}: {message}"),
                };
                match &bars {
                    Some(b) => b.multi.suspend(|| crate::logging::say(&line)),
                    None => crate::logging::say(&line),
                }
            }
            Progress::Finished(report) => {
                tracing::info!("fetch: {report}");
                let failed = matches!(report.outcome, fetch::Outcome::Failed(_) | fetch::Outcome::Waiting(_));
                let line = report.to_string();
                let print = || {
                    if quiet {
                        if failed {
                            crate::logging::say(&format!("bitext: {line}"));
                        }
                    } else {
                        let _ = emit(&format!("{line}\n"));
                    }
                };
                match &bars {
                    Some(b) => b.multi.suspend(print),
                    None => print(),
                }
            }
            _ => {}
        }
        if let Some(b) = &bars {
            b.update(&p);
        }
    };
    let summary = fetch::run(&chosen, &options, &progress);
    if let Some(b) = &bars {
        b.multi.clear().ok();
    }
    match summary {
        Ok(summary) => {
            if !quiet {
                emit(&format!("{summary}\n"))?;
            }
            Ok(if summary.all_failed() { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Err(e) => failed(&e),
    }
}

/// One progress bar per feed being fetched, on a terminal's stderr.
struct Bars {
    multi: indicatif::MultiProgress,
    bars: std::sync::Mutex<std::collections::HashMap<String, indicatif::ProgressBar>>,
}

impl Bars {
    fn new() -> Bars {
        Bars { multi: indicatif::MultiProgress::new(), bars: Default::default() }
    }

    fn update(&self, p: &Progress) {
        let Ok(mut bars) = self.bars.lock() else { return };
        match p {
            Progress::Started { feed } => {
                let bar = self.multi.add(indicatif::ProgressBar::new_spinner());
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{spinner} {prefix}: {msg}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
                );
                bar.set_prefix(feed.clone());
                bar.set_message("fetching the feed…");
                bar.enable_steady_tick(std::time::Duration::from_millis(120));
                bars.insert(feed.clone(), bar);
            }
            Progress::Items { feed, total } => {
                if let Some(bar) = bars.get(feed) {
                    bar.set_length(*total as u64);
                    bar.set_style(
                        indicatif::ProgressStyle::with_template("{prefix}: [{bar:30}] {pos}/{len} new items {msg}")
                            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                            .progress_chars("=> "),
                    );
                    bar.set_message("");
                }
            }
            Progress::Added { feed, done, .. } => {
                if let Some(bar) = bars.get(feed) {
                    bar.set_position(*done as u64);
                }
            }
            Progress::Finished(report) => {
                if let Some(bar) = bars.remove(&report.name) {
                    bar.finish_and_clear();
                    self.multi.remove(&bar);
                }
            }
            Progress::ItemFailed { .. } | Progress::Warning { .. } => {}
        }
    }
}
