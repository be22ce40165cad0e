//! Key bindings as data: one table maps written keys (`ctrl-d`, `pagedown`, `G`) to actions,
//! and the help overlay is generated from the same table.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
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

/// Parses a key as users write it: `j`, `G`, `?`, `ctrl-d`, `alt-x`, `space`, `enter`, `esc`,
/// `tab`, `shift-tab`, `up`, `pagedown`, `home`, `f1`.
pub fn parse_key(s: &str) -> Result<Key, String> {
    let mut ctrl = false;
    let mut alt = false;
    let mut rest = s;
    loop {
        let lower = rest.to_ascii_lowercase();
        if rest.chars().count() > 1 && lower.starts_with("ctrl-") {
            ctrl = true;
            rest = &rest[5..];
        } else if rest.chars().count() > 1 && lower.starts_with("alt-") {
            alt = true;
            rest = &rest[4..];
        } else {
            break;
        }
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) => KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
        _ => match rest.to_ascii_lowercase().as_str() {
            "space" => KeyCode::Char(' '),
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "shift-tab" | "backtab" => KeyCode::BackTab,
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
            _ => return Err(format!("unknown key {s:?}")),
        },
    };
    Ok(Key { code, ctrl, alt })
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

/// One line of the binding table.
pub struct Binding {
    pub context: Context,
    pub keys: &'static [&'static str],
    pub action: Action,
    pub help: &'static str,
}

const fn b(context: Context, keys: &'static [&'static str], action: Action, help: &'static str) -> Binding {
    Binding { context, keys, action, help }
}

/// The default bindings: vim and less keys plus arrows.
pub const DEFAULT_BINDINGS: &[Binding] = {
    use Action as A;
    use Context::{Global as G, List as L, Reader as R};
    &[
        b(G, &["j", "down"], A::Down, "next article / line down"),
        b(G, &["k", "up"], A::Up, "previous article / line up"),
        b(G, &["ctrl-d"], A::HalfPageDown, "half a page down"),
        b(G, &["ctrl-u"], A::HalfPageUp, "half a page up"),
        b(G, &["space", "pagedown", "ctrl-f"], A::PageDown, "a page down"),
        b(G, &["b", "pageup", "ctrl-b"], A::PageUp, "a page up"),
        b(G, &["g", "home"], A::Top, "first article / top"),
        b(G, &["G", "end"], A::Bottom, "last article / bottom"),
        b(R, &["}", "J"], A::NextParagraph, "next paragraph (cursor)"),
        b(R, &["{", "K"], A::PrevParagraph, "previous paragraph"),
        b(L, &["enter", "l", "right"], A::Open, "open the selected article"),
        b(G, &["tab", "shift-tab"], A::ToggleFocus, "switch between list and reader"),
        b(G, &["v"], A::CycleMode, "next reading mode"),
        b(G, &["1"], A::SetMode(Mode::Translation), "translation only"),
        b(G, &["2"], A::SetMode(Mode::Source), "source only"),
        b(G, &["3"], A::SetMode(Mode::SideBySide), "side by side"),
        b(G, &["4"], A::SetMode(Mode::Interleaved), "interleaved"),
        b(G, &["s"], A::Swap, "swap the side-by-side columns"),
        b(R, &["p"], A::Peek, "peek at the other language"),
        b(G, &["m"], A::ToggleRead, "mark read / unread"),
        b(G, &["*"], A::ToggleStar, "star / unstar"),
        b(L, &["/"], A::Search, "search all articles"),
        b(L, &["u"], A::FilterUnread, "show unread only"),
        b(L, &["S"], A::FilterStarred, "show starred only"),
        b(L, &["t"], A::Picker, "tag, outlet or language filter"),
        b(L, &["o"], A::CycleSort, "sort by date, title or outlet"),
        b(R, &["/"], A::Find, "find in this article"),
        b(R, &["n"], A::FindNext, "next match"),
        b(R, &["N"], A::FindPrev, "previous match"),
        b(R, &["y"], A::CopyParagraph, "copy this paragraph pair"),
        b(R, &["Y"], A::CopyUrl, "copy the URL"),
        b(R, &["o"], A::OpenUrl, "open the article's URL"),
        b(G, &["R"], A::Reload, "reload the library"),
        b(G, &["!"], A::Problems, "files that could not be loaded"),
        b(G, &["?", "f1"], A::Help, "this help"),
        b(G, &["q"], A::Back, "back; quit from the list"),
        b(G, &["esc", "h", "left"], A::Cancel, "close, clear or leave reader"),
        b(G, &["ctrl-c"], A::Quit, "quit"),
        b(G, &["ctrl-z"], A::Suspend, "suspend (fg resumes)"),
    ]
};

/// Keys to actions.
pub struct Keymap {
    map: std::collections::HashMap<(Context, Key), Action>,
    /// For the help overlay: the context, the written keys and the help text of each binding.
    pub help: Vec<(Context, String, &'static str)>,
}

impl Keymap {
    pub fn from_bindings(bindings: &[Binding]) -> Result<Keymap, String> {
        let mut map = std::collections::HashMap::new();
        let mut help = Vec::new();
        for b in bindings {
            for k in b.keys {
                let key = parse_key(k)?;
                // A key may mean one thing everywhere, or different things in different panes,
                // but never two things in one place.
                let clashes: Vec<Context> = match b.context {
                    Context::Global => vec![Context::Global, Context::List, Context::Reader],
                    c => vec![c, Context::Global],
                };
                for c in clashes {
                    if let Some(previous) = map.get(&(c, key)) {
                        return Err(format!("key {k:?} is bound to both {previous:?} and {:?}", b.action));
                    }
                }
                map.insert((b.context, key), b.action);
            }
            help.push((b.context, b.keys.join(", "), b.help));
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
        self.map.get(&(context, key)).or_else(|| self.map.get(&(Context::Global, key))).copied()
    }
}

/// Keys while a line is being typed: text goes into the line; Enter, Esc, Backspace, Ctrl-U
/// and Ctrl-C keep their meaning.
pub fn prompt_action(event: &KeyEvent) -> Option<Action> {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    match event.code {
        KeyCode::Char('c') if ctrl => Some(Action::Quit),
        KeyCode::Char('z') if ctrl => Some(Action::Suspend),
        KeyCode::Char('u') if ctrl => Some(Action::PromptClear),
        KeyCode::Char('w') if ctrl => Some(Action::PromptClear),
        KeyCode::Char(c) if !ctrl && !event.modifiers.contains(KeyModifiers::ALT) => Some(Action::PromptChar(c)),
        KeyCode::Backspace => Some(Action::PromptBackspace),
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
        let same_place = [b(Context::List, &["j"], Action::Down, ""), b(Context::List, &["j"], Action::Up, "")];
        assert!(Keymap::from_bindings(&same_place).is_err());
        let shadowing = [b(Context::Global, &["j"], Action::Down, ""), b(Context::Reader, &["j"], Action::Up, "")];
        assert!(Keymap::from_bindings(&shadowing).is_err());
        let panes = [b(Context::List, &["o"], Action::CycleSort, ""), b(Context::Reader, &["o"], Action::OpenUrl, "")];
        assert!(Keymap::from_bindings(&panes).is_ok());
    }
}
