//! Configuration: `config.toml` at the repository root is compiled in as the defaults, and one
//! user file is layered over it key by key.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::Color;
use serde::{Deserialize, Deserializer};

use crate::article::line_col;
use crate::render::Mode;
use crate::text::sanitize_line;

/// The documented defaults, as shipped.
pub const DEFAULT_TOML: &str = include_str!("../config.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub library: LibraryConfig,
    pub reader: ReaderConfig,
    pub state: StateConfig,
    pub links: LinksConfig,
    pub colors: Colors,
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
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReaderConfig {
    pub mode: Mode,
    pub max_width: u16,
    pub column_gap: u16,
    pub min_column: u16,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colors {
    pub accent: ColorValue,
    pub source: ColorValue,
    pub dim: ColorValue,
    pub selection_fg: ColorValue,
    pub selection_bg: ColorValue,
    pub status_fg: ColorValue,
    pub status_bg: ColorValue,
    pub warning: ColorValue,
}

/// A colour written as a name, an index or hex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColorValue(pub Color);

impl<'de> Deserialize<'de> for ColorValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Color::from_str(s.trim()).map(ColorValue).map_err(|_| {
            serde::de::Error::custom(format!(
                "unknown colour {:?}: use a name such as \"cyan\", an index such as \"208\" or hex such as \"#8ab4f8\"",
                sanitize_line(&s)
            ))
        })
    }
}

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
        None => Ok(Loaded { config: Config::default(), file: None, set_by_file: BTreeSet::new() }),
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| ConfigError::Unreadable { path: path.clone(), reason: e.to_string() })?;
            load_layer(&text, &path)
        }
    }
}

/// Layers one file's text over the defaults, key by key. Relative library paths resolve
/// against the file's folder.
pub fn load_layer(text: &str, path: &Path) -> Result<Loaded, ConfigError> {
    let invalid = |position, message: &str| ConfigError::Invalid {
        path: path.to_path_buf(),
        position,
        message: sanitize_line(message),
    };
    let user: toml::Table =
        toml::from_str(text).map_err(|e| invalid(e.span().map(|s| line_col(text, s.start)), e.message()))?;
    let mut merged = builtin_table();
    merge(&mut merged, &user);
    let mut config: Config = serde_path_to_error::deserialize(toml::Value::Table(merged)).map_err(|e| {
        let key = e.path().to_string();
        let message = e.inner().message().to_string();
        // An unknown key is reported by its parent; name the key itself.
        let unknown =
            message.strip_prefix("unknown field `").and_then(|m| m.split('`').next()).map(|k| format!("{key}.{k}"));
        let located = unknown.as_deref().unwrap_or(&key);
        invalid(find_dotted_key(text, located), &format!("`{located}`: {message}"))
    })?;
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
    Ok(Loaded { config, file: Some(path.to_path_buf()), set_by_file })
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

/// Line and column of `section.key = …` in a config file: the key line inside its `[section]`.
fn find_dotted_key(text: &str, dotted: &str) -> Option<(usize, usize)> {
    let (section, key) = dotted.rsplit_once('.').unwrap_or(("", dotted));
    let mut current = String::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if let Some(name) = t.strip_prefix('[').and_then(|r| r.split(']').next()) {
            current = name.trim().to_string();
        } else if current == section
            && let Some(rest) = t.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let value_at =
                line.find('=').map_or(0, |i| i + 1 + (line[i + 1..].len() - line[i + 1..].trim_start().len()));
            return Some(line_col(text, offset + value_at));
        }
        offset += line.len();
    }
    None
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
}
