//! Keys read from the terminal before crossterm reads it: while the reader waits for the
//! terminal's answer to its one question at start (see `terminal::ask_margins`), whatever else
//! arrives is keys typed meanwhile. They are handed to the loop as the events crossterm would
//! have made of them, so nothing typed is lost: characters, the control keys, Escape, and the
//! cursor and page keys in both their forms (`ESC [` and `ESC O`). Anything else (a mouse
//! report, a rarer key) is dropped.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// The key events `bytes` stand for, in order.
pub fn keys(bytes: &[u8]) -> Vec<Event> {
    let mut events = Vec::new();
    let mut rest = bytes;
    while let Some(&b) = rest.first() {
        let (code, modifiers, used) = match b {
            0x1b => escape(rest),
            b'\r' | b'\n' => (Some(KeyCode::Enter), KeyModifiers::NONE, 1),
            b'\t' => (Some(KeyCode::Tab), KeyModifiers::NONE, 1),
            0x7f | 0x08 => (Some(KeyCode::Backspace), KeyModifiers::NONE, 1),
            // Ctrl-A to Ctrl-Z, as crossterm reports them.
            0x01..=0x1a => (Some(KeyCode::Char((b - 1 + b'a') as char)), KeyModifiers::CONTROL, 1),
            0x00..=0x1f => (None, KeyModifiers::NONE, 1),
            _ => {
                let len = utf8_len(b).min(rest.len());
                match std::str::from_utf8(&rest[..len]).ok().and_then(|s| s.chars().next()) {
                    // An upper-case letter comes with Shift, as crossterm reports it.
                    Some(c) if c.is_uppercase() => (Some(KeyCode::Char(c)), KeyModifiers::SHIFT, len),
                    Some(c) => (Some(KeyCode::Char(c)), KeyModifiers::NONE, len),
                    None => (None, KeyModifiers::NONE, 1),
                }
            }
        };
        if let Some(code) = code {
            events.push(Event::Key(KeyEvent::new(code, modifiers)));
        }
        rest = &rest[used..];
    }
    events
}

/// A key that starts with Escape: Escape itself, or a cursor or page key.
fn escape(bytes: &[u8]) -> (Option<KeyCode>, KeyModifiers, usize) {
    let none = KeyModifiers::NONE;
    match bytes.get(1) {
        Some(b'[') | Some(b'O') => {
            // The parameters, then the final byte.
            let Some(end) = bytes[2..].iter().position(|b| (0x40..=0x7e).contains(b)) else {
                return (None, none, bytes.len());
            };
            let params = &bytes[2..2 + end];
            let code = match (bytes[2 + end], params) {
                (b'A', _) => Some(KeyCode::Up),
                (b'B', _) => Some(KeyCode::Down),
                (b'C', _) => Some(KeyCode::Right),
                (b'D', _) => Some(KeyCode::Left),
                (b'H', _) => Some(KeyCode::Home),
                (b'F', _) => Some(KeyCode::End),
                (b'~', b"1" | b"7") => Some(KeyCode::Home),
                (b'~', b"4" | b"8") => Some(KeyCode::End),
                (b'~', b"2") => Some(KeyCode::Insert),
                (b'~', b"3") => Some(KeyCode::Delete),
                (b'~', b"5") => Some(KeyCode::PageUp),
                (b'~', b"6") => Some(KeyCode::PageDown),
                _ => None,
            };
            (code, none, 2 + end + 1)
        }
        _ => (Some(KeyCode::Esc), none, 1),
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xf0..=0xf7 => 4,
        0xe0..=0xef => 3,
        0xc0..=0xdf => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn keys_typed_become_the_events_crossterm_makes() {
        assert_eq!(
            keys("j/태풍\r".as_bytes()),
            vec![
                key(KeyCode::Char('j')),
                key(KeyCode::Char('/')),
                key(KeyCode::Char('태')),
                key(KeyCode::Char('풍')),
                key(KeyCode::Enter)
            ]
        );
        assert_eq!(
            keys(b"\x1b[B\x1bOA\x1b[6~\x03\x1b"),
            vec![
                key(KeyCode::Down),
                key(KeyCode::Up),
                key(KeyCode::PageDown),
                Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
                key(KeyCode::Esc)
            ]
        );
        assert_eq!(keys(b"G"), vec![Event::Key(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT))]);
        // A mouse report and a cut sequence are dropped; what follows still counts.
        assert_eq!(keys(b"\x1b[<0;3;4Mq"), vec![key(KeyCode::Char('q'))]);
        assert_eq!(keys(b"\x1b[12"), vec![]);
    }
}
