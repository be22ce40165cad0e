//! Configuration: `config.toml` at the repository root is compiled in as the defaults, and one
//! user file is layered over it key by key.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::Color;
use serde::{Deserialize, Deserializer};

use crate::article::{describe_toml_error, key_at, line_col, value_text};
use crate::render::Mode;
use crate::text::sanitize_line;

/// The documented defaults, as shipped.
pub const DEFAULT_TOML: &str = include_str!("../config.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub library: LibraryConfig,
    pub reader: ReaderConfig,
    pub list: ListConfig,
    pub state: StateConfig,
    pub links: LinksConfig,
    pub terminal: TerminalConfig,
    pub theme: ThemeConfig,
    pub colors: Colors,
    pub keys: KeysConfig,
    pub web: WebConfig,
    pub translate: TranslateConfig,
    pub feeds: FeedsConfig,
    /// `[engines.NAME]`: translation engines by name.
    #[serde(default)]
    pub engines: std::collections::BTreeMap<String, crate::translate::EngineConfig>,
}

/// `[translate]`: machine translation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslateConfig {
    /// The engine `bitext translate` and `T` use unless told otherwise.
    pub engine: String,
}

/// `[feeds]`: subscriptions and fetching them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedsConfig {
    /// The subscriptions file (empty: `$XDG_CONFIG_HOME/bitext/feeds.toml`).
    pub file: PathBuf,
    /// Fetch every feed this often while the reader is open (0: only when asked, `r`).
    pub refresh_minutes: u64,
    /// Feeds fetched at the same time (one request at a time per host whatever this says).
    pub parallel: u64,
}

impl FeedsConfig {
    /// Where the subscriptions are.
    pub fn path(&self) -> Option<PathBuf> {
        if self.file.as_os_str().is_empty() { crate::feeds::config::default_path() } else { Some(self.file.clone()) }
    }
}

/// `[web]`: how pages are fetched.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebConfig {
    /// Seconds a whole request may take.
    pub timeout: u64,
    /// Seconds to connect.
    pub connect_timeout: u64,
    /// The most bytes of a page, after decompression.
    pub max_page_size: u64,
}

impl WebConfig {
    /// The HTTP client's options.
    pub fn http_options(&self) -> crate::web::http::Options {
        crate::web::http::Options {
            connect_timeout: std::time::Duration::from_secs(self.connect_timeout),
            timeout: std::time::Duration::from_secs(self.timeout),
            body_limit: self.max_page_size,
            ..Default::default()
        }
    }
}

/// `[terminal]`: how output reaches the terminal.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerminalConfig {
    /// Let the terminal move lines itself when a block of rows scrolls.
    pub scroll_regions: bool,
    /// Scroll one pane without the other within left and right margins, where the terminal
    /// has them (asked at start).
    pub left_right_margins: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateConfig {
    /// Empty means the XDG default.
    pub path: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinksConfig {
    pub open_command: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibraryConfig {
    pub path: PathBuf,
    pub max_file_size: u64,
    /// The language translations are read in (`bitext add` pairs pages into it).
    pub reading_lang: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReaderConfig {
    pub mode: Mode,
    pub max_width: u16,
    pub column_gap: u16,
    pub min_column: u16,
    /// On a wide terminal, the reader takes the whole width while it has the focus.
    pub full_width: bool,
}

/// `[list]`: the library list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListConfig {
    /// The list's width beside the reader, in columns; 0 gives it what the reader does not use.
    pub width: u16,
    /// One row per article: marker, date, title.
    pub compact: bool,
}

/// `[theme]`: the built-in theme the `[colors]` overrides apply to, and ASCII drawing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    pub name: ThemeName,
    /// Borders, markers and scrollbars in plain ASCII (also `--ascii`).
    pub ascii: bool,
}

/// The built-in themes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeName {
    /// The terminal's own foreground and background, emphasis by bold and dim, a few ANSI accents.
    Default,
    /// Dark text on a light background.
    Light,
    /// Light text on a dark background.
    Dark,
    /// Only the 16 ANSI colours (their shades are the terminal's palette).
    Sixteen,
    /// No colour at all: bold, dim, italic, reverse and underline. `NO_COLOR` chooses it.
    Mono,
}

impl ThemeName {
    pub const ALL: [ThemeName; 5] =
        [ThemeName::Default, ThemeName::Light, ThemeName::Dark, ThemeName::Sixteen, ThemeName::Mono];

    pub fn as_str(self) -> &'static str {
        match self {
            ThemeName::Default => "default",
            ThemeName::Light => "light",
            ThemeName::Dark => "dark",
            ThemeName::Sixteen => "sixteen",
            ThemeName::Mono => "mono",
        }
    }
}

/// `[colors]`: overrides of single colours of the theme; an empty string keeps the theme's.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colors {
    pub foreground: ColorValue,
    pub background: ColorValue,
    pub accent: ColorValue,
    pub source: ColorValue,
    pub dim: ColorValue,
    pub selection_fg: ColorValue,
    pub selection_bg: ColorValue,
    pub status_fg: ColorValue,
    pub status_bg: ColorValue,
    pub warning: ColorValue,
}

/// A colour written as a name, an index or hex; the empty string is none (the theme's own).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColorValue(pub Option<Color>);

impl<'de> Deserialize<'de> for ColorValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.trim().is_empty() {
            return Ok(ColorValue(None));
        }
        Color::from_str(s.trim()).map(|c| ColorValue(Some(c))).map_err(|_| {
            serde::de::Error::custom(format!(
                "unknown colour \"{}\": use a name such as \"cyan\", an index such as \"208\" or hex such as \"#8ab4f8\"",
                crate::text::escape_unprintable(s.as_bytes())
            ))
        })
    }
}

pub use crate::keys::{KeyList, KeysConfig};

/// The built-in file as a table, the bottom layer.
fn builtin_table() -> toml::Table {
    toml::from_str(DEFAULT_TOML).expect("the built-in config.toml is valid TOML")
}

impl Default for Config {
    /// The built-in configuration, as documented in `config.toml`.
    fn default() -> Self {
        toml::Value::Table(builtin_table()).try_into().expect("the built-in config.toml sets every key")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read config file: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("{path}{}: {message}", position.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default())]
    Invalid { path: PathBuf, position: Option<(usize, usize)>, message: String },
}

/// The configuration in force and where it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    /// The user's file, if one was found.
    pub file: Option<PathBuf>,
    /// Dotted keys (`reader.max_width`) the user's file set.
    pub set_by_file: BTreeSet<String>,
    /// The configuration in force as a table (the built-in one with the user's over it, paths
    /// resolved), for `bitext config`.
    pub table: toml::Table,
}

/// Where to look for the user's file: `--config`, then `$BITEXT_CONFIG`, then the XDG path.
/// An explicitly named file must exist; the XDG file is optional.
pub fn find_user_file(explicit: Option<&Path>) -> Result<Option<PathBuf>, ConfigError> {
    let named = explicit
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("BITEXT_CONFIG").filter(|v| !v.is_empty()).map(PathBuf::from));
    if let Some(path) = named {
        if !path.is_file() {
            let reason = if path.exists() { "not a file" } else { "no such file" };
            return Err(ConfigError::Unreadable { path, reason: reason.into() });
        }
        return Ok(Some(path));
    }
    use etcetera::BaseStrategy;
    let xdg = etcetera::choose_base_strategy().ok().map(|s| s.config_dir().join("bitext").join("config.toml"));
    Ok(xdg.filter(|p| p.is_file()))
}

/// Loads the built-in defaults and layers the user's file (if any) over them.
pub fn load(explicit: Option<&Path>) -> Result<Loaded, ConfigError> {
    match find_user_file(explicit)? {
        None => {
            tracing::info!("config: no user file, the built-in defaults");
            Ok(Loaded { config: Config::default(), file: None, set_by_file: BTreeSet::new(), table: builtin_table() })
        }
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| ConfigError::Unreadable { path: path.clone(), reason: e.to_string() })?;
            let loaded = load_layer(&text, &path)?;
            tracing::info!(
                "config: {} over the built-in defaults, setting {}",
                path.display(),
                loaded.set_by_file.iter().cloned().collect::<Vec<_>>().join(", ")
            );
            Ok(loaded)
        }
    }
}

/// Layers one file's text over the defaults, key by key. Relative library paths resolve
/// against the file's folder. Key bindings are checked here, so that a bad one is reported at its
/// place in the file.
pub fn load_layer(text: &str, path: &Path) -> Result<Loaded, ConfigError> {
    let invalid = |position, message: &str| ConfigError::Invalid {
        path: path.to_path_buf(),
        position,
        message: sanitize_line(message),
    };
    let user: toml::Table = toml::from_str(text).map_err(|e| {
        let at = e.span().map(|s| s.start);
        let message = match at.and_then(|o| key_at(text, o)) {
            // A value the parser could not hold (a number too large for any integer type).
            Some(key) if !e.message().starts_with("duplicate key") => {
                bad_value(&key, &value_text(text, at.unwrap_or(0)), &sanitize_line(e.message()))
            }
            _ => describe_toml_error(text, e.message(), e.span()),
        };
        invalid(at.map(|o| line_col(text, o)), &message)
    })?;
    let mut merged = builtin_table();
    merge(&mut merged, &user);
    let mut config: Config = serde_path_to_error::deserialize(toml::Value::Table(merged.clone())).map_err(|e| {
        let mut segments: Vec<Segment> = e
            .path()
            .iter()
            .filter_map(|s| match s {
                serde_path_to_error::Segment::Map { key } => Some(Segment::Key(key.clone())),
                serde_path_to_error::Segment::Seq { index } => Some(Segment::Index(*index)),
                _ => None,
            })
            .collect();
        let key = e.path().to_string();
        let message = e.inner().message().to_string();
        // An unknown key is reported by its parent; name the key itself and point at it.
        let unknown = message.strip_prefix("unknown field `").and_then(|m| m.split('`').next());
        let located = match unknown {
            Some(k) if segments.last() != Some(&Segment::Key(k.to_string())) => {
                segments.push(Segment::Key(k.to_string()));
                format!("{key}.{k}")
            }
            _ => key,
        };
        let value_at = locate(text, &segments, false);
        let position = locate(text, &segments, unknown.is_some()).map(|at| line_col(text, at));
        let message = match (unknown, value_at) {
            (None, Some(at)) => bad_value(&located, &value_text(text, at), &message),
            _ => format!("`{located}`: {message}"),
        };
        invalid(position, &message)
    })?;
    check_ranges(&config, text).map_err(|(key, message)| {
        let segments: Vec<Segment> = key.split('.').map(|k| Segment::Key(k.to_string())).collect();
        invalid(locate(text, &segments, false).map(|at| line_col(text, at)), &message)
    })?;
    match crate::lang::normalise(&config.library.reading_lang) {
        Ok(tag) => config.library.reading_lang = tag,
        Err(e) => {
            let at = [Segment::Key("library".into()), Segment::Key("reading_lang".into())];
            let position = locate(text, &at, false).map(|at| line_col(text, at));
            return Err(invalid(position, &format!("`library.reading_lang`: {e}")));
        }
    }
    if let Err(e) = crate::keys::Keymap::from_config(&config.keys) {
        return Err(invalid(keymap_error_position(text, &e).map(|at| line_col(text, at)), &e.to_string()));
    }
    let mut set_by_file = BTreeSet::new();
    collect_keys(&user, "", &mut set_by_file);
    let base = path.parent().unwrap_or(Path::new("."));
    if set_by_file.contains("library.path") && config.library.path.is_relative() {
        config.library.path = base.join(&config.library.path);
    }
    if set_by_file.contains("state.path")
        && config.state.path.is_relative()
        && !config.state.path.as_os_str().is_empty()
    {
        config.state.path = base.join(&config.state.path);
    }
    if config.feeds.file.is_relative() && !config.feeds.file.as_os_str().is_empty() {
        config.feeds.file = base.join(&config.feeds.file);
    }
    for (section, value) in [("library", &config.library.path), ("state", &config.state.path)] {
        if let Some(toml::Value::Table(t)) = merged.get_mut(section) {
            t.insert("path".into(), toml::Value::String(value.display().to_string()));
        }
    }
    Ok(Loaded { config, file: Some(path.to_path_buf()), set_by_file, table: merged })
}

/// The documented range of every number in the configuration: `(key, lowest, highest)`.
pub const RANGES: &[(&str, u64, u64)] = &[
    ("library.max_file_size", 256, 1 << 30),
    ("reader.max_width", 20, 1000),
    ("reader.column_gap", 0, 20),
    ("reader.min_column", 10, 1000),
    ("list.width", 0, 1000),
    ("web.timeout", 1, 600),
    ("web.connect_timeout", 1, 120),
    ("web.max_page_size", 1024, 1 << 30),
    ("feeds.refresh_minutes", 0, 10_080),
    ("feeds.parallel", 1, 16),
];

/// The values a key written as a word may take, where serde's own message does not list them.
const CHOICES: &[(&str, &str)] = &[
    ("reader.mode", "\"translation\", \"source\", \"side-by-side\" or \"interleaved\""),
    ("theme.name", "\"default\", \"light\", \"dark\", \"sixteen\" or \"mono\""),
];

/// What is wrong with `key = value` (the value as the file writes it), given serde's message.
fn bad_value(key: &str, value: &str, message: &str) -> String {
    if let Some((_, lo, hi)) = RANGES.iter().find(|(k, _, _)| *k == key) {
        return format!("`{key}` = {value} is out of range: use a whole number from {lo} to {hi}");
    }
    if let Some((_, choices)) = CHOICES.iter().find(|(k, _)| *k == key)
        && !message.starts_with("unknown variant")
    {
        return format!("`{key}` = {value}: expected one of {choices}");
    }
    let bare = value.trim_matches('"');
    if message.starts_with("unknown colour") || (!bare.is_empty() && message.contains(bare)) {
        return format!("`{key}`: {message}");
    }
    format!("`{key}` = {value}: {message}")
}

/// Every number within its documented range ([`RANGES`]), else the key and the message.
fn check_ranges(config: &Config, _text: &str) -> Result<(), (String, String)> {
    let values = [
        ("library.max_file_size", config.library.max_file_size),
        ("reader.max_width", u64::from(config.reader.max_width)),
        ("reader.column_gap", u64::from(config.reader.column_gap)),
        ("reader.min_column", u64::from(config.reader.min_column)),
        ("list.width", u64::from(config.list.width)),
        ("web.timeout", config.web.timeout),
        ("web.connect_timeout", config.web.connect_timeout),
        ("web.max_page_size", config.web.max_page_size),
    ];
    for (key, value) in values {
        if let Some((_, lo, hi)) = RANGES.iter().find(|(k, _, _)| *k == key)
            && !(*lo..=*hi).contains(&value)
        {
            return Err((key.to_string(), bad_value(key, &value.to_string(), "")));
        }
    }
    Ok(())
}

/// Overlays `top` on `base`, table by table and key by key.
fn merge(base: &mut toml::Table, top: &toml::Table) {
    for (k, v) in top {
        match (base.get_mut(k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(t)) => merge(b, t),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

/// One step of a path into a TOML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// The byte offset in a config file of the value at `path`, or of its key when `key` is set:
/// `[reader] max_width`, `keys.quit` written as a dotted key or an inline table, or the second
/// element of `scroll_down = ["j", "x"]`. A path into a list that was written as a single value
/// stops at that value.
pub fn locate(text: &str, path: &[Segment], key: bool) -> Option<usize> {
    let root = toml::de::DeTable::parse(text).ok()?;
    crate::article::locate_in(root.get_ref(), path, key)
}

/// Where to point for a bad binding: at the bad key or action name the user wrote, and for a
/// clash at whichever of the two bindings the user's file set (the other may be a default).
fn keymap_error_position(text: &str, e: &crate::keys::KeymapError) -> Option<usize> {
    use crate::keys::KeymapError as E;
    let at = |action: &str, index: Option<usize>| {
        let mut path = vec![Segment::Key("keys".into()), Segment::Key(action.into())];
        path.extend(index.map(Segment::Index));
        locate(text, &path, index.is_none())
    };
    match e {
        E::UnknownAction { name, .. } => at(name, None),
        E::BadKey { action, index, .. } => at(action, Some(*index)),
        E::Conflict { second, first, .. } => at(second.0, Some(second.1)).or_else(|| at(first.0, Some(first.1))),
        E::NoQuit => at("quit", None).or_else(|| at("back", None)),
    }
}

/// A value set outside any file, by a command-line flag or the environment.
#[derive(Debug, Clone)]
pub struct Override {
    /// The dotted key, such as `theme.ascii`.
    pub key: String,
    pub value: toml::Value,
    /// Where it came from, such as `--ascii`.
    pub origin: String,
}

/// The sections and keys of the built-in file, in the order it documents them.
fn builtin_order() -> Vec<(String, Vec<String>)> {
    let mut order: Vec<(String, Vec<String>)> = Vec::new();
    for line in DEFAULT_TOML.lines() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            order.push((name.trim().to_string(), Vec::new()));
        } else if !t.starts_with('#')
            && let Some((key, _)) = t.split_once('=')
            && let Some((_, keys)) = order.last_mut()
        {
            keys.push(key.trim().to_string());
        }
    }
    order
}

/// The configuration in force as TOML, each value followed by where it came from: `# built-in`,
/// the user's file, or a flag or variable from `overrides`.
pub fn annotated(loaded: &Loaded, overrides: &[Override]) -> String {
    let mut out =
        String::from("# The configuration in force. `bitext config --default` prints the documented defaults.\n");
    match &loaded.file {
        Some(f) => out.push_str(&format!("# Your file: {}\n", f.display())),
        None => out.push_str("# No file of yours was found: everything is built in.\n"),
    }
    for (section, keys) in builtin_order() {
        out.push_str(&format!("\n[{section}]\n"));
        let table = loaded.table.get(&section).and_then(toml::Value::as_table);
        for key in keys {
            let dotted = format!("{section}.{key}");
            let (value, origin) = match overrides.iter().rev().find(|o| o.key == dotted) {
                Some(o) => (Some(o.value.clone()), o.origin.clone()),
                None => {
                    let origin = match &loaded.file {
                        Some(f) if loaded.set_by_file.contains(&dotted) => f.display().to_string(),
                        _ => "built-in".to_string(),
                    };
                    (table.and_then(|t| t.get(&key)).cloned(), origin)
                }
            };
            let Some(value) = value else { continue };
            let line = format!("{key} = {value}");
            out.push_str(&format!("{line:<40} # {}\n", sanitize_line(&origin)));
        }
    }
    out
}

fn collect_keys(table: &toml::Table, prefix: &str, out: &mut BTreeSet<String>) {
    for (k, v) in table {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match v {
            toml::Value::Table(t) => collect_keys(t, &key, out),
            _ => {
                out.insert(key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_and_has_documented_defaults() {
        let c = Config::default();
        assert_eq!(c.reader.max_width, 80);
        assert_eq!(c.reader.mode, Mode::Translation);
        assert_eq!(c.library.path, PathBuf::from("articles"));
    }

    #[test]
    fn user_layer_overrides_key_by_key() {
        let l = load_layer("[reader]\nmax_width = 60\n", Path::new("/home/u/.config/bitext/config.toml")).unwrap();
        assert_eq!(l.config.reader.max_width, 60);
        assert_eq!(l.config.reader.column_gap, Config::default().reader.column_gap);
        assert!(l.set_by_file.contains("reader.max_width"));
    }

    #[test]
    fn relative_library_resolves_against_the_file() {
        let l = load_layer("[library]\npath = \"news\"\n", Path::new("/etc/bitext/config.toml")).unwrap();
        assert_eq!(l.config.library.path, PathBuf::from("/etc/bitext/news"));
    }

    #[test]
    fn bad_values_name_line_and_column() {
        let e = load_layer("[reader]\nmax_width = \"wide\"\n", Path::new("c.toml")).unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("c.toml:2:"), "{s}");
        let e = load_layer("[reader]\nmode = \"sideways\"\n", Path::new("c.toml")).unwrap_err();
        assert!(e.to_string().contains("sideways"), "{e}");
        let e = load_layer("[colors]\naccent = \"chartreuse-ish\"\n", Path::new("c.toml")).unwrap_err();
        assert!(e.to_string().contains("unknown colour"), "{e}");
        let e = load_layer("[reader]\nmax_widht = 3\n", Path::new("c.toml")).unwrap_err();
        assert!(e.to_string().contains("max_widht"), "{e}");
        let e = load_layer("[reader\n", Path::new("c.toml")).unwrap_err();
        assert!(e.to_string().starts_with("c.toml:1:"), "{e}");
    }

    /// The values of the report: a gap that fits the integer type but not the documented range
    /// is refused at its place, like a zero width.
    #[test]
    fn numbers_outside_their_documented_range_are_refused() {
        let e = load_layer("[reader]\ncolumn_gap = 200\n", Path::new("c.toml")).unwrap_err().to_string();
        assert_eq!(e, "c.toml:2:14: `reader.column_gap` = 200 is out of range: use a whole number from 0 to 20");
        let e = load_layer("[reader]\nmax_width = 0\n", Path::new("c.toml")).unwrap_err().to_string();
        assert_eq!(e, "c.toml:2:13: `reader.max_width` = 0 is out of range: use a whole number from 20 to 1000");
    }

    #[test]
    fn reading_lang_is_a_language_tag() {
        let l = load_layer("[library]\nreading_lang = \"EN-gb\"\n", Path::new("c.toml")).unwrap();
        assert_eq!(l.config.library.reading_lang, "en-GB");
        let e = load_layer("[library]\nreading_lang = \"English\"\n", Path::new("c.toml")).unwrap_err().to_string();
        assert!(e.starts_with("c.toml:2:16: `library.reading_lang`: \"English\" is not a BCP 47 language tag"), "{e}");
    }

    #[test]
    fn locate_finds_keys_values_and_list_elements() {
        let key = |k: &str| Segment::Key(k.into());
        let text = "# c\n[reader]\nmax_width = 70\n\n[keys]\nquit = [\"q\",  \"Q\"]\nhelp = \"?\"\n";
        let at = |path: &[Segment], k| locate(text, path, k).map(|o| line_col(text, o));
        assert_eq!(at(&[key("reader"), key("max_width")], false), Some((3, 13)));
        assert_eq!(at(&[key("reader"), key("max_width")], true), Some((3, 1)));
        assert_eq!(at(&[key("keys"), key("quit"), Segment::Index(1)], false), Some((6, 15)));
        assert_eq!(at(&[key("keys"), key("help"), Segment::Index(0)], false), Some((7, 8)), "a lone string");
        assert_eq!(at(&[key("keys"), key("nothing")], false), None);
        let dotted = "keys.top = [\"g\", \"x\"]\n";
        assert_eq!(locate(dotted, &[key("keys"), key("top"), Segment::Index(1)], false), Some(17));
        let inline = "keys = { top = [\"g\"] }\n";
        assert_eq!(locate(inline, &[key("keys"), key("top")], true), Some(9));
    }

    #[test]
    fn themes_and_keys_are_part_of_the_defaults() {
        let c = Config::default();
        assert_eq!(c.theme.name, ThemeName::Default);
        assert!(!c.theme.ascii);
        assert_eq!(c.colors.accent, ColorValue(None), "colours are the theme's unless overridden");
        assert_eq!(c.keys.0["scroll_down"], KeyList(vec!["j".into(), "down".into()]));
        let l = load_layer("[keys]\nquit = \"Q\"\n[colors]\naccent = \"#8ab4f8\"\n", Path::new("c.toml")).unwrap();
        assert_eq!(l.config.keys.0["quit"], KeyList(vec!["Q".into()]), "one key may be a plain string");
        assert_eq!(l.config.colors.accent, ColorValue(Some(Color::Rgb(0x8a, 0xb4, 0xf8))));
    }

    #[test]
    fn annotated_is_toml_with_origins() {
        let l = load_layer("[reader]\nmax_width = 60\n", Path::new("/u/c.toml")).unwrap();
        let o = Override { key: "theme.ascii".into(), value: toml::Value::Boolean(true), origin: "--ascii".into() };
        let text = annotated(&l, &[o]);
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(parsed["reader"]["max_width"].as_integer(), Some(60));
        assert_eq!(parsed["theme"]["ascii"].as_bool(), Some(true));
        assert!(text.lines().any(|l| l.starts_with("max_width = 60") && l.ends_with("# /u/c.toml")), "{text}");
        assert!(text.lines().any(|l| l.starts_with("ascii = true") && l.ends_with("# --ascii")), "{text}");
        assert!(text.lines().any(|l| l.starts_with("column_gap = 3") && l.ends_with("# built-in")), "{text}");
        // Every key of the built-in file is there, in its order.
        let keys: Vec<&str> =
            text.lines().filter(|l| l.contains(" = ")).map(|l| l.split(' ').next().unwrap()).collect();
        let builtin: Vec<String> = builtin_order().into_iter().flat_map(|(_, k)| k).collect();
        assert_eq!(keys, builtin);
    }
}
