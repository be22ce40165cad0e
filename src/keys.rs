//! Key bindings as data: one table maps written keys (`ctrl-d`, `pagedown`, `G`) to actions,
//! and the help overlay is generated from the same table.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::Action;
use crate::render::Mode;

/// A key with the modifiers that matter. Shift is part of the character (`G`), not a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub fn from_event(e: &KeyEvent) -> Key {
        Key {
            code: e.code,
            ctrl: e.modifiers.contains(KeyModifiers::CONTROL),
            alt: e.modifiers.contains(KeyModifiers::ALT),
        }
    }
}

/// Parses a key as users write it: `j`, `G`, `?`, `ctrl-d`, `alt-x`, `shift-g` (= `G`), `space`,
/// `enter`, `esc`, `tab`, `shift-tab`, `up`, `pagedown`, `home`, `f1`. Modifier and key names are
/// not case-sensitive; a single character is.
pub fn parse_key(s: &str) -> Result<Key, String> {
    let unknown = || format!("unknown key {s:?}");
    let (mut ctrl, mut alt, mut shift) = (false, false, false);
    let mut rest = s;
    loop {
        let lower = rest.to_ascii_lowercase();
        let prefix = ["ctrl-", "alt-", "shift-"].into_iter().find(|p| lower.starts_with(p) && rest.len() > p.len());
        match prefix {
            Some("ctrl-") => ctrl = true,
            Some("alt-") => alt = true,
            Some(_) => shift = true,
            None => break,
        }
        rest = &rest[prefix.map_or(0, str::len)..];
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_control() => return Err(unknown()),
        (Some(c), None) if shift && c.is_alphabetic() => KeyCode::Char(c.to_uppercase().next().unwrap_or(c)),
        (Some(_), None) if shift => return Err(unknown()),
        (Some(c), None) => KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
        _ => match rest.to_ascii_lowercase().as_str() {
            "tab" if shift => KeyCode::BackTab,
            _ if shift => return Err(unknown()),
            "space" => KeyCode::Char(' '),
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "insert" => KeyCode::Insert,
            "delete" | "del" => KeyCode::Delete,
            f if f.starts_with('f') && f[1..].parse::<u8>().is_ok_and(|n| (1..=24).contains(&n)) => {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => return Err(unknown()),
        },
    };
    Ok(Key { code, ctrl, alt })
}

impl std::fmt::Display for Key {
    /// The key as [`parse_key`] reads it, in one spelling: `ctrl-d`, `G`, `space`, `pagedown`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::PageUp => f.write_str("pageup"),
            KeyCode::PageDown => f.write_str("pagedown"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// `[keys]`: action name to the keys that do it. Names and keys are checked by
/// [`Keymap::from_config`] when the file is loaded.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(transparent)]
pub struct KeysConfig(pub std::collections::BTreeMap<String, KeyList>);

/// The keys of one action: a list (`["j", "down"]`), or one key as a plain string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyList(pub Vec<String>);

impl<'de> serde::Deserialize<'de> for KeyList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = KeyList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of keys such as [\"j\", \"down\"]")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KeyList, E> {
                Ok(KeyList(vec![v.to_string()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<KeyList, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = seq.next_element::<String>()? {
                    keys.push(k);
                }
                Ok(KeyList(keys))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Where a binding applies: everywhere, or only while that pane has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    List,
    Reader,
}

impl Context {
    pub fn label(self) -> &'static str {
        match self {
            Context::Global => "",
            Context::List => "list",
            Context::Reader => "reader",
        }
    }
}

/// One line of the binding table: an action's stable name (the key of `[keys]` in the config),
/// where it applies, its default keys, what it does and its line in the help.
pub struct Binding {
    pub name: &'static str,
    pub context: Context,
    pub keys: &'static [&'static str],
    pub action: Action,
    pub help: &'static str,
}

const fn b(
    name: &'static str,
    context: Context,
    keys: &'static [&'static str],
    action: Action,
    help: &'static str,
) -> Binding {
    Binding { name, context, keys, action, help }
}

/// Every action a key can do, with its default keys: vim and less keys plus arrows. The
/// `[keys]` table of the built-in `config.toml` lists the same names and keys (a test keeps the
/// two in step).
pub const DEFAULT_BINDINGS: &[Binding] = {
    use Action as A;
    use Context::{Global as G, List as L, Reader as R};
    &[
        b("scroll_down", G, &["j", "down"], A::Down, "next article / line down"),
        b("scroll_up", G, &["k", "up"], A::Up, "previous article / line up"),
        b("half_page_down", G, &["ctrl-d"], A::HalfPageDown, "half a page down"),
        b("half_page_up", G, &["ctrl-u"], A::HalfPageUp, "half a page up"),
        b("page_down", G, &["space", "pagedown", "ctrl-f"], A::PageDown, "a page down"),
        b("page_up", G, &["b", "pageup", "ctrl-b"], A::PageUp, "a page up"),
        b("top", G, &["g", "home"], A::Top, "first article / top"),
        b("bottom", G, &["G", "end"], A::Bottom, "last article / bottom"),
        b("next_paragraph", R, &["}", "J"], A::NextParagraph, "next paragraph (cursor)"),
        b("previous_paragraph", R, &["{", "K"], A::PrevParagraph, "previous paragraph"),
        b("open", L, &["enter", "l", "right"], A::Open, "open the selected article"),
        b("toggle_focus", G, &["tab", "shift-tab"], A::ToggleFocus, "switch between list and reader"),
        b("cycle_mode", G, &["v"], A::CycleMode, "next reading mode"),
        b("mode_translation", G, &["1"], A::SetMode(Mode::Translation), "translation only"),
        b("mode_source", G, &["2"], A::SetMode(Mode::Source), "source only"),
        b("mode_side_by_side", G, &["3"], A::SetMode(Mode::SideBySide), "side by side"),
        b("mode_interleaved", G, &["4"], A::SetMode(Mode::Interleaved), "interleaved"),
        b("swap", G, &["s"], A::Swap, "swap the side-by-side columns"),
        b("zoom", G, &["z"], A::Zoom, "whole-width reader on/off"),
        b("peek", R, &["p"], A::Peek, "peek at the other language"),
        b("toggle_read", G, &["m"], A::ToggleRead, "mark read / unread"),
        b("toggle_star", G, &["*"], A::ToggleStar, "star / unstar"),
        b("mark_all_read", L, &["A"], A::MarkAllRead, "mark every listed article read"),
        b("next_unread", G, &["]"], A::NextUnread, "next unread article"),
        b("previous_unread", G, &["["], A::PrevUnread, "previous unread article"),
        b("search", L, &["/"], A::Search, "search all articles"),
        b("filter_unread", L, &["u"], A::FilterUnread, "show unread only"),
        b("filter_starred", L, &["S"], A::FilterStarred, "show starred only"),
        b("filter_picker", L, &["t"], A::Picker, "tag, outlet or language filter"),
        b("cycle_sort", L, &["o"], A::CycleSort, "sort by date, title or outlet"),
        b("find", R, &["/"], A::Find, "find in this article"),
        b("find_next", R, &["n"], A::FindNext, "next match"),
        b("find_previous", R, &["N"], A::FindPrev, "previous match"),
        b("copy_paragraph", R, &["y"], A::CopyParagraph, "copy this paragraph pair"),
        b("copy_url", R, &["Y"], A::CopyUrl, "copy the URL"),
        b("open_url", R, &["o"], A::OpenUrl, "open the article's URL"),
        b("join_pair", R, &["+"], A::JoinPair, "join this pair with the next"),
        b("split_pair", R, &["-"], A::SplitPair, "split this pair by paragraph"),
        b("unlink_pair", R, &["x"], A::UnlinkPair, "unlink source and translation"),
        b("undo_pairing", R, &["u"], A::UndoPairing, "undo the last pairing edit"),
        b("info", G, &["i"], A::Info, "article info (whole URL, file)"),
        b("edit", G, &["e"], A::Edit, "edit the file in $EDITOR"),
        b("reload", G, &["R"], A::Reload, "reload the library"),
        b("add_article", G, &["a"], A::AddArticle, "add an article from a URL"),
        b("translate", G, &["T"], A::Translate, "translate missing paragraphs"),
        b("fetch_feeds", G, &["r"], A::FetchFeeds, "fetch all feeds"),
        b("fetch_feed", G, &["F"], A::FetchFeed, "fetch one feed (choose it)"),
        b("problems", G, &["!"], A::Problems, "files that could not be loaded"),
        b("help", G, &["?", "f1"], A::Help, "this help"),
        b("back", G, &["q"], A::Back, "back; quit from the list"),
        b("cancel", G, &["esc", "h", "left"], A::Cancel, "close, clear or leave reader"),
        b("quit", G, &["ctrl-c"], A::Quit, "quit"),
        b("suspend", G, &["ctrl-z"], A::Suspend, "suspend (fg resumes)"),
        b("redraw", G, &["ctrl-l"], A::Redraw, "redraw the screen"),
    ]
};

/// The binding of an action name, if there is one.
pub fn binding(name: &str) -> Option<&'static Binding> {
    DEFAULT_BINDINGS.iter().find(|b| b.name == name)
}

/// Why a set of bindings cannot be used. Each names what the user wrote, so the config loader
/// can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeymapError {
    /// `[keys]` names an action that does not exist.
    UnknownAction { name: String, suggestion: Option<&'static str> },
    /// A key of `action` (the `index`th of its list) could not be parsed.
    BadKey { action: String, index: usize, text: String },
    /// One key means two actions in one place. `first` and `second` are the two bindings, each
    /// with the index of the key in its list.
    Conflict { key: String, first: (&'static str, usize), second: (&'static str, usize), context: Context },
    /// No key quits: `quit` and `back` are both without keys.
    NoQuit,
}

impl std::fmt::Display for KeymapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeymapError::UnknownAction { name, suggestion: Some(s) } => {
                write!(f, "unknown action {name:?} in [keys]; did you mean {s:?}?")
            }
            KeymapError::UnknownAction { name, suggestion: None } => {
                write!(f, "unknown action {name:?} in [keys]; `bitext config --default` lists every action")
            }
            KeymapError::BadKey { action, text, .. } => write!(
                f,
                "unknown key {text:?} for {action:?} in [keys]; write keys such as \"j\", \"G\", \"?\", \"ctrl-d\", \"shift-tab\", \"pagedown\" or \"f1\""
            ),
            KeymapError::Conflict { key, first, second, context } => {
                write!(f, "key {key:?} is bound to both {:?} and {:?}", first.0, second.0)?;
                if *context != Context::Global {
                    write!(f, " in the {}", context.label())?;
                }
                write!(f, "; give one of them other keys in [keys]")
            }
            KeymapError::NoQuit => write!(
                f,
                "no key quits bitext: \"quit\" and \"back\" both have no keys in [keys]; give one of them a key such as \"q\" or \"ctrl-c\""
            ),
        }
    }
}

impl std::error::Error for KeymapError {}

/// Keys to actions.
pub struct Keymap {
    map: std::collections::HashMap<(Context, Key), (Action, &'static str, usize)>,
    /// For the help overlay: the context, the keys in force and the help text of each bound
    /// action, in the order of [`DEFAULT_BINDINGS`].
    pub help: Vec<(Context, String, &'static str)>,
}

impl Keymap {
    /// A keymap from a binding table as it stands (the default keys of each binding).
    pub fn from_bindings(bindings: &[Binding]) -> Result<Keymap, KeymapError> {
        Keymap::build(bindings.iter().map(|b| (b, b.keys.iter().map(|k| k.to_string()).collect())))
    }

    /// The keymap of a `[keys]` table: each action listed there gets exactly those keys (an
    /// empty list unbinds it); an action not listed keeps its default keys.
    pub fn from_config(keys: &KeysConfig) -> Result<Keymap, KeymapError> {
        if let Some(name) = keys.0.keys().find(|name| binding(name).is_none()) {
            return Err(KeymapError::UnknownAction { name: name.clone(), suggestion: suggest(name) });
        }
        let keymap = Keymap::build(DEFAULT_BINDINGS.iter().map(|b| {
            let written = match keys.0.get(b.name) {
                Some(list) => list.0.clone(),
                None => b.keys.iter().map(|k| k.to_string()).collect(),
            };
            (b, written)
        }))?;
        // A keymap with no way out would leave the user stuck in the terminal.
        let quits = keymap.map.iter().any(|((c, _), (a, _, _))| {
            *a == Action::Quit || (*a == Action::Back && matches!(c, Context::Global | Context::List))
        });
        if !quits {
            return Err(KeymapError::NoQuit);
        }
        Ok(keymap)
    }

    fn build<'a>(bindings: impl Iterator<Item = (&'a Binding, Vec<String>)>) -> Result<Keymap, KeymapError> {
        let mut map = std::collections::HashMap::new();
        let mut help = Vec::new();
        for (b, written) in bindings {
            let mut shown: Vec<String> = Vec::new();
            for (index, k) in written.iter().enumerate() {
                let key = parse_key(k).map_err(|_| KeymapError::BadKey {
                    action: b.name.to_string(),
                    index,
                    text: k.clone(),
                })?;
                // A key may mean one thing everywhere, or different things in different panes,
                // but never two things in one place.
                let clashes: &[Context] = match b.context {
                    Context::Global => &[Context::Global, Context::List, Context::Reader],
                    Context::List => &[Context::List, Context::Global],
                    Context::Reader => &[Context::Reader, Context::Global],
                };
                let mut repeated = false;
                for &c in clashes {
                    if let Some(&(_, name, first_index)) = map.get(&(c, key)) {
                        if name == b.name {
                            repeated = true;
                            continue;
                        }
                        let context = if c == Context::Global { b.context } else { c };
                        return Err(KeymapError::Conflict {
                            key: key.to_string(),
                            first: (name, first_index),
                            second: (b.name, index),
                            context,
                        });
                    }
                }
                if !repeated {
                    map.insert((b.context, key), (b.action, b.name, index));
                    shown.push(key.to_string());
                }
            }
            if !shown.is_empty() {
                help.push((b.context, shown.join(", "), b.help));
            }
        }
        Ok(Keymap { map, help })
    }

    /// The action of a key in the pane that has the focus.
    pub fn action(&self, event: &KeyEvent, context: Context) -> Option<Action> {
        let mut key = Key::from_event(event);
        if let KeyCode::Char(c) = key.code
            && key.ctrl
        {
            key.code = KeyCode::Char(c.to_ascii_lowercase());
        }
        self.map.get(&(context, key)).or_else(|| self.map.get(&(Context::Global, key))).map(|&(a, _, _)| a)
    }

    /// The keys bound to an action name, as the help shows them.
    pub fn keys_of(&self, name: &str) -> Vec<String> {
        let mut keys: Vec<(usize, String)> = self
            .map
            .iter()
            .filter(|(_, (_, n, _))| *n == name)
            .map(|((_, k), (_, _, i))| (*i, k.to_string()))
            .collect();
        keys.sort();
        keys.into_iter().map(|(_, k)| k).collect()
    }
}

/// The action name closest to a misspelt one, if one is close.
fn suggest(name: &str) -> Option<&'static str> {
    let distance = |a: &str, b: &str| {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for j in 0..b.len() {
                let cost = usize::from(ca != b[j]);
                let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
                prev = row[j + 1];
                row[j + 1] = next;
            }
        }
        row[b.len()]
    };
    let name = name.to_ascii_lowercase().replace('-', "_");
    DEFAULT_BINDINGS
        .iter()
        .map(|b| (distance(&name, b.name), b.name))
        .filter(|&(d, n)| d <= 2.max(n.len() / 4))
        .min()
        .map(|(_, n)| n)
}

/// Keys while a line is being typed: text goes into the line; Enter, Esc, Backspace, Ctrl-U
/// and Ctrl-C keep their meaning, and Up brings back the last find.
pub fn prompt_action(event: &KeyEvent) -> Option<Action> {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    match event.code {
        KeyCode::Char('c') if ctrl => Some(Action::Quit),
        KeyCode::Char('z') if ctrl => Some(Action::Suspend),
        KeyCode::Char('u') if ctrl => Some(Action::PromptClear),
        KeyCode::Char('w') if ctrl => Some(Action::PromptClear),
        KeyCode::Char(c) if !ctrl && !event.modifiers.contains(KeyModifiers::ALT) => Some(Action::PromptChar(c)),
        KeyCode::Backspace => Some(Action::PromptBackspace),
        KeyCode::Up => Some(Action::PromptRecall),
        KeyCode::Enter => Some(Action::PromptAccept),
        KeyCode::Esc => Some(Action::PromptCancel),
        _ => None,
    }
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::from_bindings(DEFAULT_BINDINGS).expect("the default bindings are valid and distinct")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    fn ev(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new_with_kind(code, modifiers, KeyEventKind::Press)
    }

    #[test]
    fn parses_keys_as_users_write_them() {
        assert_eq!(parse_key("ctrl-d").unwrap(), Key { code: KeyCode::Char('d'), ctrl: true, alt: false });
        assert_eq!(parse_key("G").unwrap().code, KeyCode::Char('G'));
        assert_eq!(parse_key("pagedown").unwrap().code, KeyCode::PageDown);
        assert_eq!(parse_key("space").unwrap().code, KeyCode::Char(' '));
        assert_eq!(parse_key("shift-tab").unwrap().code, KeyCode::BackTab);
        assert_eq!(parse_key("-").unwrap().code, KeyCode::Char('-'));
        assert_eq!(parse_key("ctrl--").unwrap(), Key { code: KeyCode::Char('-'), ctrl: true, alt: false });
        assert!(parse_key("hyper-x").is_err());
    }

    #[test]
    fn default_map_resolves_events() {
        let k = Keymap::default();
        let l = Context::List;
        assert_eq!(k.action(&ev(KeyCode::Char('j'), KeyModifiers::NONE), l), Some(Action::Down));
        assert_eq!(k.action(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT), l), Some(Action::Bottom));
        assert_eq!(k.action(&ev(KeyCode::Char('d'), KeyModifiers::CONTROL), l), Some(Action::HalfPageDown));
        assert_eq!(k.action(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL), l), Some(Action::Quit));
        assert_eq!(k.action(&ev(KeyCode::Char('3'), KeyModifiers::NONE), l), Some(Action::SetMode(Mode::SideBySide)));
        assert_eq!(k.action(&ev(KeyCode::Char('x'), KeyModifiers::NONE), l), None);
        assert_eq!(k.action(&ev(KeyCode::Char('o'), KeyModifiers::NONE), l), Some(Action::CycleSort));
        assert_eq!(k.action(&ev(KeyCode::Char('o'), KeyModifiers::NONE), Context::Reader), Some(Action::OpenUrl));
    }

    #[test]
    fn conflicting_bindings_are_refused() {
        let same_place =
            [b("down", Context::List, &["j"], Action::Down, ""), b("up", Context::List, &["j"], Action::Up, "")];
        let e = Keymap::from_bindings(&same_place).err().unwrap();
        assert_eq!(
            e.to_string(),
            "key \"j\" is bound to both \"down\" and \"up\" in the list; give one of them other keys in [keys]"
        );
        let shadowing = [
            b("down", Context::Global, &["j"], Action::Down, ""),
            b("up", Context::Reader, &["x", "j"], Action::Up, ""),
        ];
        let e = Keymap::from_bindings(&shadowing).err().unwrap();
        assert_eq!(
            e,
            KeymapError::Conflict { key: "j".into(), first: ("down", 0), second: ("up", 1), context: Context::Reader }
        );
        let panes = [
            b("sort", Context::List, &["o"], Action::CycleSort, ""),
            b("url", Context::Reader, &["o"], Action::OpenUrl, ""),
        ];
        assert!(Keymap::from_bindings(&panes).is_ok());
    }

    #[test]
    fn names_are_snake_case_and_distinct() {
        let mut seen = std::collections::BTreeSet::new();
        for b in DEFAULT_BINDINGS {
            assert!(b.name.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", b.name);
            assert!(seen.insert(b.name), "{} twice", b.name);
        }
    }

    #[test]
    fn keys_print_as_they_parse() {
        for b in DEFAULT_BINDINGS {
            for k in b.keys {
                let key = parse_key(k).unwrap();
                assert_eq!(parse_key(&key.to_string()).unwrap(), key, "{k}");
            }
        }
        assert_eq!(parse_key("Ctrl-D").unwrap().to_string(), "ctrl-d");
        assert_eq!(parse_key("shift-g").unwrap().to_string(), "G");
        assert_eq!(parse_key("PgDn").unwrap().to_string(), "pagedown");
        assert_eq!(parse_key("F12").unwrap().to_string(), "f12");
        for bad in ["", "ctrl-", "shift-1", "shift-up", "f25", "ctrl-hyper-x", "<C-d>", "\t"] {
            assert!(parse_key(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn config_replaces_an_actions_keys() {
        let mut keys = crate::config::KeysConfig::default();
        keys.0.insert("scroll_down".into(), crate::config::KeyList(vec!["ctrl-e".into()]));
        keys.0.insert("quit".into(), crate::config::KeyList(vec![]));
        let k = Keymap::from_config(&keys).unwrap();
        let l = Context::List;
        assert_eq!(k.action(&ev(KeyCode::Char('e'), KeyModifiers::CONTROL), l), Some(Action::Down));
        assert_eq!(k.action(&ev(KeyCode::Char('j'), KeyModifiers::NONE), l), None);
        assert_eq!(k.action(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL), l), None);
        assert!(k.help.iter().any(|(_, keys, help)| keys == "ctrl-e" && help.contains("line down")));
        assert!(!k.help.iter().any(|(_, _, help)| *help == "quit"), "an unbound action leaves the help");
        assert_eq!(k.keys_of("page_down"), ["space", "pagedown", "ctrl-f"]);
    }

    #[test]
    fn config_errors_name_what_was_written() {
        let mut keys = crate::config::KeysConfig::default();
        keys.0.insert("scroll_dwon".into(), crate::config::KeyList(vec!["j".into()]));
        let e = Keymap::from_config(&keys).err().unwrap();
        assert_eq!(e.to_string(), "unknown action \"scroll_dwon\" in [keys]; did you mean \"scroll_down\"?");
        let mut keys = crate::config::KeysConfig::default();
        keys.0.insert("top".into(), crate::config::KeyList(vec!["g".into(), "hyper-g".into()]));
        let e = Keymap::from_config(&keys).err().unwrap();
        assert_eq!(e, KeymapError::BadKey { action: "top".into(), index: 1, text: "hyper-g".into() });
        let mut keys = crate::config::KeysConfig::default();
        keys.0.insert("scroll_down".into(), crate::config::KeyList(vec!["n".into()]));
        let e = Keymap::from_config(&keys).err().unwrap();
        assert!(
            e.to_string().starts_with("key \"n\" is bound to both \"scroll_down\" and \"find_next\" in the reader;"),
            "{e}"
        );
    }
}
