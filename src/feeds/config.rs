//! `feeds.toml`: the subscriptions, one `[[feeds]]` table each. The file is the user's: bitext
//! reads it with every error at its line and column, and changes it (`feed add`, `feed remove`,
//! `feed import`) through `toml_edit`, so comments and layout stay as they were.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// When to fetch an item's page for its full text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FullText {
    /// When the item carries only a summary (no full content).
    #[default]
    Auto,
    /// Always: the page is the article.
    Always,
    /// Never: the item's own content is the article.
    Never,
}

impl FullText {
    pub fn as_str(self) -> &'static str {
        match self {
            FullText::Auto => "auto",
            FullText::Always => "always",
            FullText::Never => "never",
        }
    }
}

/// One subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    pub url: String,
    /// The feed's name: its folder in the library and its tag (default: the feed's title,
    /// slugged).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The language of the feed's articles (default: what the feed declares).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_lang: Option<String>,
    /// The reading language (default: `[library] reading_lang`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_lang: Option<String>,
    #[serde(default)]
    pub full_text: FullText,
    /// Look for the other-language edition of each item's page.
    #[serde(default = "yes")]
    pub edition: bool,
    /// The engine to machine-translate what has no edition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translate: Option<String>,
    /// A CSS selector for the article body on this feed's site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    /// Remove this feed's articles older than this many days (starred ones are kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_days: Option<u32>,
    /// Keep at most this many of this feed's articles, the newest (starred ones are kept and
    /// not counted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_articles: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Subscription {
    /// A subscription to `url` with every option at its default.
    pub fn new(url: &str) -> Subscription {
        Subscription {
            url: url.to_string(),
            name: String::new(),
            source_lang: None,
            target_lang: None,
            full_text: FullText::Auto,
            edition: true,
            translate: None,
            selector: None,
            keep_days: None,
            max_articles: None,
            tags: Vec::new(),
        }
    }
}

/// `feeds.toml` as read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedsFile {
    #[serde(default)]
    pub feeds: Vec<Subscription>,
}

#[derive(Debug, thiserror::Error)]
pub enum FeedsError {
    #[error("{path}: cannot read: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{path}{}: {message}", position.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default())]
    Invalid { path: String, position: Option<(usize, usize)>, message: String },
    #[error("{path}: cannot write: {reason}")]
    Write { path: String, reason: String },
    #[error("{0}")]
    Usage(String),
}

/// `$XDG_CONFIG_HOME/bitext/feeds.toml`, beside the user's config.toml.
pub fn default_path() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    Some(etcetera::choose_base_strategy().ok()?.config_dir().join("bitext").join("feeds.toml"))
}

/// A name for a feed from its title (or, without one, its address): lower case, words joined
/// by `-`, at most 40 characters; letters of every script are kept.
pub fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
        if s.chars().count() >= 40 {
            break;
        }
    }
    let s = s.trim_matches('-').to_string();
    if s.is_empty() { "feed".to_string() } else { s }
}

/// A name from a feed's address: its host without `www.`, and its path's words.
pub fn slug_from_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => {
            let host = u.host_str().unwrap_or("feed").trim_start_matches("www.");
            slug(&format!("{host} {}", u.path()).replace(['.', '/'], " "))
        }
        Err(_) => slug(url),
    }
}

/// Checks one file's subscriptions: every URL is http(s), every name usable as a folder and
/// unique, every number in range. The message names the feed.
fn validate(file: &mut FeedsFile) -> Result<(), String> {
    // Language tags in the registry's case, so they compare equal to the pages' own.
    for (i, f) in file.feeds.iter_mut().enumerate() {
        for (key, tag) in [("source_lang", &mut f.source_lang), ("target_lang", &mut f.target_lang)] {
            if let Some(t) = tag.as_mut() {
                *t = crate::lang::normalise(t)
                    .map_err(|e| format!("feed {} ({}): `{key}`: {e}", i + 1, crate::text::sanitize_line(&f.url)))?;
            }
        }
    }
    let mut names = std::collections::BTreeSet::new();
    let mut urls = std::collections::BTreeSet::new();
    for (i, f) in file.feeds.iter().enumerate() {
        let which = format!("feed {} ({})", i + 1, crate::text::sanitize_line(&f.url));
        match url::Url::parse(&f.url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && !f.url.chars().any(char::is_control) => {}
            _ => return Err(format!("{which}: `url` must be an http or https address")),
        }
        if !urls.insert(f.url.as_str()) {
            return Err(format!("{which}: the same url is subscribed twice"));
        }
        if !f.name.is_empty() {
            if let Err(e) = check_name(&f.name) {
                return Err(format!("{which}: `name` = {:?}: {e}", f.name));
            }
            if !names.insert(f.name.as_str()) {
                return Err(format!("{which}: `name` = {:?} is used by another feed", f.name));
            }
        }
        if f.keep_days == Some(0) || f.max_articles == Some(0) {
            return Err(format!(
                "{which}: `keep_days` and `max_articles` start at 1 (leave them out to keep everything)"
            ));
        }
    }
    Ok(())
}

/// A name is a folder of the library: no `/`, no leading `.`, nothing unprintable.
pub fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("a name cannot be empty");
    }
    if name.contains(['/', '\\']) || name.starts_with('.') {
        return Err("a name is a folder in the library: no `/`, no leading `.`");
    }
    if name.chars().any(char::is_control) || name.chars().count() > 80 {
        return Err("a name has at most 80 characters and no control characters");
    }
    Ok(())
}

/// Reads `path`; a missing file is no subscriptions.
pub fn load(path: &Path) -> Result<FeedsFile, FeedsError> {
    let shown = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FeedsFile::default()),
        Err(e) => return Err(FeedsError::Unreadable { path: shown, reason: e.to_string() }),
    };
    parse(&text, path)
}

/// Parses the text of a feeds file found at `path`.
pub fn parse(text: &str, path: &Path) -> Result<FeedsFile, FeedsError> {
    let shown = path.display().to_string();
    let file: FeedsFile = toml::from_str(text).map_err(|e| {
        let span = e.span();
        FeedsError::Invalid {
            path: shown.clone(),
            position: span.as_ref().map(|s| crate::article::line_col(text, s.start)),
            message: crate::article::describe_toml_error(text, e.message(), span),
        }
    })?;
    let mut file = file;
    validate(&mut file).map_err(|message| FeedsError::Invalid { path: shown, position: None, message })?;
    Ok(file)
}

/// The file's text as a document that keeps its comments (empty if the file is missing).
fn document(path: &Path) -> Result<toml_edit::DocumentMut, FeedsError> {
    let shown = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(FeedsError::Unreadable { path: shown, reason: e.to_string() }),
    };
    // Validate the whole file first, so an edit never builds on a broken one.
    parse(&text, path)?;
    text.parse::<toml_edit::DocumentMut>().map_err(|e| FeedsError::Invalid {
        path: shown,
        position: None,
        message: e.to_string(),
    })
}

/// The first lines of a new feeds file.
const HEADER: &str = "\
# bitext's subscriptions: one [[feeds]] table each. `bitext feed add URL` writes one; edit
# freely. Keys: url, name, source_lang, target_lang, full_text = \"auto\" | \"always\" |
# \"never\", edition = true | false, translate = \"ENGINE\", selector = \"CSS\", keep_days,
# max_articles, tags = [\"…\"]. See `bitext man` (FILES) or docs/feeds.md.
";

/// Appends `new` subscriptions to the file at `path` (made if missing), keeping what is there.
/// A feed whose URL is already subscribed is left out; the ones written are returned.
pub fn append(path: &Path, new: &[Subscription]) -> Result<Vec<Subscription>, FeedsError> {
    let mut doc = document(path)?;
    let before = parse(&doc.to_string(), path)?;
    let mut names: std::collections::BTreeSet<String> = before.feeds.iter().map(|f| f.name.clone()).collect();
    let mut urls: std::collections::BTreeSet<String> = before.feeds.iter().map(|f| f.url.clone()).collect();
    let mut written = Vec::new();
    for sub in new {
        if !urls.insert(sub.url.clone()) {
            continue;
        }
        let mut sub = sub.clone();
        if sub.name.is_empty() {
            sub.name = slug_from_url(&sub.url);
        }
        // A name taken by another feed gets -2, -3…
        let base = sub.name.clone();
        let mut n = 2;
        while !names.insert(sub.name.clone()) {
            sub.name = format!("{base}-{n}");
            n += 1;
        }
        let table = toml::to_string(&sub)
            .ok()
            .and_then(|t| t.parse::<toml_edit::DocumentMut>().ok())
            .ok_or_else(|| FeedsError::Usage("cannot write the subscription".into()))?;
        let entry = doc.entry("feeds").or_insert(toml_edit::Item::ArrayOfTables(Default::default()));
        let Some(array) = entry.as_array_of_tables_mut() else {
            return Err(FeedsError::Invalid {
                path: path.display().to_string(),
                position: None,
                message: "`feeds` must be an array of tables ([[feeds]])".into(),
            });
        };
        array.push(table.as_table().clone());
        written.push(sub);
    }
    let mut text = doc.to_string();
    if before.feeds.is_empty() && !text.starts_with('#') {
        text = format!("{HEADER}\n{text}");
    }
    parse(&text, path)?;
    write(path, &text)?;
    Ok(written)
}

/// Removes the feed named `name` (or with that URL); returns it.
pub fn remove(path: &Path, name: &str) -> Result<Subscription, FeedsError> {
    let mut doc = document(path)?;
    let file = parse(&doc.to_string(), path)?;
    let Some(at) = file.feeds.iter().position(|f| f.name == name || f.url == name) else {
        return Err(FeedsError::Usage(format!(
            "no feed named {:?} in {} (`bitext feed list` shows them)",
            crate::text::sanitize_line(name),
            path.display()
        )));
    };
    if let Some(array) = doc.get_mut("feeds").and_then(toml_edit::Item::as_array_of_tables_mut) {
        // The comment above the removed table belongs to the file (or the next feed) as much
        // as to it: it stays, above the table that follows.
        let prefix = array.get(at).and_then(|t| t.decor().prefix()).and_then(|p| p.as_str()).map(str::to_string);
        array.remove(at);
        if let (Some(prefix), Some(next)) = (prefix, array.get_mut(at)) {
            let own = next.decor().prefix().and_then(|p| p.as_str()).unwrap_or("").to_string();
            next.decor_mut().set_prefix(format!("{}{own}", prefix.trim_end_matches('\n').to_string() + "\n"));
        }
    }
    write(path, &doc.to_string())?;
    Ok(file.feeds[at].clone())
}

/// Writes through a temporary file in the same folder.
fn write(path: &Path, text: &str) -> Result<(), FeedsError> {
    crate::files::write_atomically(path, text.as_bytes())
        .map_err(|e| FeedsError::Write { path: path.display().to_string(), reason: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_every_script() {
        assert_eq!(slug("Hankyoreh: 전체 기사"), "hankyoreh-전체-기사");
        assert_eq!(slug("  !!  "), "feed");
        assert_eq!(slug_from_url("https://www.example.org/rss/world.xml"), "example-org-rss-world-xml");
    }

    #[test]
    fn errors_name_the_place_and_the_feed() {
        let p = Path::new("feeds.toml");
        let e = parse("[[feeds]]\nurl = \"https://a.test/f\"\nfull_text = \"sometimes\"\n", p).unwrap_err();
        assert!(e.to_string().starts_with("feeds.toml:3:13: unknown variant `sometimes`, expected one of"), "{e}");
        let e = parse("[[feeds]]\nurl = \"ftp://a.test/f\"\n", p).unwrap_err();
        assert_eq!(e.to_string(), "feeds.toml: feed 1 (ftp://a.test/f): `url` must be an http or https address");
        let e = parse("[[feeds]]\nurl = \"https://a.test/\\u001b[31mf\"\n", p).unwrap_err();
        assert!(e.to_string().contains("`url` must be an http or https address"), "{e}");
        assert!(!e.to_string().contains('\u{1b}'), "{e}");
        let e = parse("[[feeds]]\nurl = \"https://a.test/f\"\nname = \"../x\"\n", p).unwrap_err();
        assert!(e.to_string().contains("a name is a folder"), "{e}");
        let e = parse("[[feeds]]\nurl = \"https://a.test/f\"\ncolour = 1\n", p).unwrap_err();
        assert!(e.to_string().contains("unknown field `colour`"), "{e}");
    }

    #[test]
    fn languages_are_tags_in_their_usual_case() {
        let p = Path::new("feeds.toml");
        let file = parse("[[feeds]]\nurl = \"https://a.test/f\"\nsource_lang = \"ZH-hant\"\ntarget_lang = \"EN\"\n", p)
            .unwrap();
        assert_eq!(file.feeds[0].source_lang.as_deref(), Some("zh-Hant"));
        assert_eq!(file.feeds[0].target_lang.as_deref(), Some("en"));
        let e = parse("[[feeds]]\nurl = \"https://a.test/f\"\nsource_lang = \"Korean\"\n", p).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("feeds.toml: feed 1 (https://a.test/f): `source_lang`: \"Korean\" is not a BCP 47"),
            "{e}"
        );
    }

    #[test]
    fn append_and_remove_keep_comments() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feeds.toml");
        std::fs::write(
            &path,
            "# my feeds\n\n[[feeds]]\n# the Korean one\nurl = \"https://a.test/ko.xml\"\nname = \"ko\"\n",
        )
        .unwrap();
        let mut a = Subscription::new("https://b.test/ja.xml");
        a.name = "ko".into();
        a.tags = vec!["asia".into()];
        let written = append(&path, &[a, Subscription::new("https://a.test/ko.xml")]).unwrap();
        assert_eq!(written.len(), 1, "the second is subscribed already");
        assert_eq!(written[0].name, "ko-2");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("# my feeds") && text.contains("# the Korean one"), "{text}");
        let file = load(&path).unwrap();
        assert_eq!(file.feeds.len(), 2);
        assert_eq!(file.feeds[1].tags, vec!["asia"]);
        assert!(file.feeds[1].edition);
        let gone = remove(&path, "ko").unwrap();
        assert_eq!(gone.url, "https://a.test/ko.xml");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("# my feeds") && !text.contains("a.test/ko.xml"), "{text}");
        assert!(remove(&path, "nope").unwrap_err().to_string().contains("no feed named \"nope\""));
    }
}
