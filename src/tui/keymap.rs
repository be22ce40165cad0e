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

/// One line of the binding table.
pub struct Binding {
    pub keys: &'static [&'static str],
    pub action: Action,
    pub help: &'static str,
}

/// The default bindings: vim and less keys plus arrows.
pub const DEFAULT_BINDINGS: &[Binding] = &[
    Binding { keys: &["j", "down"], action: Action::Down, help: "next article / scroll down a line" },
    Binding { keys: &["k", "up"], action: Action::Up, help: "previous article / scroll up a line" },
    Binding { keys: &["ctrl-d"], action: Action::HalfPageDown, help: "half a page down" },
    Binding { keys: &["ctrl-u"], action: Action::HalfPageUp, help: "half a page up" },
    Binding { keys: &["space", "pagedown", "ctrl-f"], action: Action::PageDown, help: "a page down" },
    Binding { keys: &["b", "pageup", "ctrl-b"], action: Action::PageUp, help: "a page up" },
    Binding { keys: &["g", "home"], action: Action::Top, help: "first article / top" },
    Binding { keys: &["G", "end"], action: Action::Bottom, help: "last article / bottom" },
    Binding { keys: &["}", "J"], action: Action::NextParagraph, help: "next paragraph (the reading cursor)" },
    Binding { keys: &["{", "K"], action: Action::PrevParagraph, help: "previous paragraph" },
    Binding { keys: &["enter", "l", "right"], action: Action::Open, help: "open the selected article" },
    Binding { keys: &["tab", "shift-tab"], action: Action::ToggleFocus, help: "switch between list and reader" },
    Binding { keys: &["v"], action: Action::CycleMode, help: "next reading mode" },
    Binding { keys: &["1"], action: Action::SetMode(Mode::Translation), help: "translation only" },
    Binding { keys: &["2"], action: Action::SetMode(Mode::Source), help: "source only" },
    Binding { keys: &["3"], action: Action::SetMode(Mode::SideBySide), help: "side by side" },
    Binding { keys: &["4"], action: Action::SetMode(Mode::Interleaved), help: "interleaved" },
    Binding { keys: &["s"], action: Action::Swap, help: "swap the side-by-side columns" },
    Binding { keys: &["p"], action: Action::Peek, help: "peek at the other language of the current paragraph" },
    Binding { keys: &["!"], action: Action::Problems, help: "files that could not be loaded" },
    Binding { keys: &["?", "f1"], action: Action::Help, help: "this help" },
    Binding { keys: &["q"], action: Action::Back, help: "back; quit from the list" },
    Binding { keys: &["esc", "h", "left"], action: Action::Cancel, help: "back (close, leave the reader)" },
    Binding { keys: &["ctrl-c"], action: Action::Quit, help: "quit" },
];

/// Keys to actions.
pub struct Keymap {
    map: std::collections::HashMap<Key, Action>,
    /// For the help overlay: the written keys and the help text of each binding.
    pub help: Vec<(String, &'static str)>,
}

impl Keymap {
    pub fn from_bindings(bindings: &[Binding]) -> Result<Keymap, String> {
        let mut map = std::collections::HashMap::new();
        let mut help = Vec::new();
        for b in bindings {
            for k in b.keys {
                let key = parse_key(k)?;
                if let Some(previous) = map.insert(key, b.action) {
                    return Err(format!("key {k:?} is bound to both {previous:?} and {:?}", b.action));
                }
            }
            help.push((b.keys.join(", "), b.help));
        }
        Ok(Keymap { map, help })
    }

    pub fn action(&self, event: &KeyEvent) -> Option<Action> {
        let mut key = Key::from_event(event);
        if let KeyCode::Char(c) = key.code
            && key.ctrl
        {
            key.code = KeyCode::Char(c.to_ascii_lowercase());
        }
        self.map.get(&key).copied()
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
        assert_eq!(k.action(&ev(KeyCode::Char('j'), KeyModifiers::NONE)), Some(Action::Down));
        assert_eq!(k.action(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(Action::Bottom));
        assert_eq!(k.action(&ev(KeyCode::Char('d'), KeyModifiers::CONTROL)), Some(Action::HalfPageDown));
        assert_eq!(k.action(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
        assert_eq!(k.action(&ev(KeyCode::Char('3'), KeyModifiers::NONE)), Some(Action::SetMode(Mode::SideBySide)));
        assert_eq!(k.action(&ev(KeyCode::Char('x'), KeyModifiers::NONE)), None);
    }

    #[test]
    fn conflicting_bindings_are_refused() {
        let b = [
            Binding { keys: &["j"], action: Action::Down, help: "" },
            Binding { keys: &["j"], action: Action::Up, help: "" },
        ];
        assert!(Keymap::from_bindings(&b).is_err());
    }
}
