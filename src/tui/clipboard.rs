//! Copying from a program in a terminal. OSC 52 asks the terminal to put text on the clipboard;
//! it works over SSH, but the terminal never says whether it did. Inside tmux the sequence is
//! wrapped in tmux's passthrough (which tmux forwards when `allow-passthrough` is on), and the
//! text also goes into tmux's own buffer with `tmux load-buffer -w -`, which lands whatever
//! `set-clipboard` says and, with `-w`, asks tmux to pass it on to the outer terminal's
//! clipboard as well.

use std::io::Write;
use std::process::{Command, Stdio};

/// Whether bitext runs inside tmux (`$TMUX` is set).
pub fn in_tmux() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

/// The OSC 52 sequence that asks the terminal to put `text` on the clipboard:
/// `ESC ] 52 ; c ; BASE64 BEL`.
pub fn osc52(text: &str) -> Vec<u8> {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{encoded}\x07").into_bytes()
}

/// [`osc52`] inside tmux's passthrough: `ESC P tmux ;`, the sequence with every ESC doubled,
/// then `ESC \`.
pub fn osc52_tmux(text: &str) -> Vec<u8> {
    let inner = osc52(text);
    let mut out = b"\x1bPtmux;".to_vec();
    for &b in &inner {
        if b == 0x1b {
            out.push(0x1b);
        }
        out.push(b);
    }
    out.extend_from_slice(b"\x1b\\");
    out
}

/// Sends `text` to the clipboard: OSC 52 to `out` (wrapped for tmux when `tmux`), and inside
/// tmux into its buffer too. An error says what could not be done.
pub fn copy(out: &mut impl Write, text: &str, tmux: bool) -> Result<(), String> {
    let sequence = if tmux { osc52_tmux(text) } else { osc52(text) };
    out.write_all(&sequence).and_then(|()| out.flush()).map_err(|e| format!("could not write to the terminal: {e}"))?;
    if tmux {
        load_buffer(text)?;
    }
    Ok(())
}

/// `tmux load-buffer -w -` with `text` on its standard input. The text is written and the
/// program waited for on a thread of its own, so a slow tmux never holds the reader up; a tmux
/// older than 3.2, which has no `-w`, is asked again without it.
fn load_buffer(text: &str) -> Result<(), String> {
    let spawn = |args: &[&str]| {
        Command::new("tmux").args(args).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null()).spawn()
    };
    let child = spawn(&["load-buffer", "-w", "-"]).map_err(|e| format!("could not run tmux load-buffer: {e}"))?;
    let text = text.to_string();
    std::thread::spawn(move || {
        let feed = |mut child: std::process::Child| {
            if let Some(mut stdin) = child.stdin.take() {
                let _ = stdin.write_all(text.as_bytes());
            }
            child.wait().map(|s| s.success()).unwrap_or(false)
        };
        if !feed(child) && !spawn(&["load-buffer", "-"]).is_ok_and(feed) {
            tracing::warn!("tmux load-buffer failed: the copy is not in tmux's buffer");
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_is_the_base64_of_the_text_between_esc_bracket_52_and_bel() {
        assert_eq!(osc52("hi"), b"\x1b]52;c;aGk=\x07");
        assert_eq!(osc52("서울"), b"\x1b]52;c;7ISc7Jq4\x07");
        assert_eq!(osc52(""), b"\x1b]52;c;\x07");
    }

    #[test]
    fn inside_tmux_it_is_wrapped_in_the_passthrough_with_its_escape_doubled() {
        assert_eq!(osc52_tmux("hi"), b"\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\");
        // Base64 has no ESC, so the only doubled ESC is the sequence's own.
        let long = "x".repeat(1000);
        let wrapped = osc52_tmux(&long);
        assert_eq!(wrapped.iter().filter(|&&b| b == 0x1b).count(), 4);
        assert!(wrapped.ends_with(b"\x07\x1b\\"));
    }

    #[test]
    fn copy_writes_the_plain_sequence_outside_tmux() {
        let mut out = Vec::new();
        copy(&mut out, "hi", false).unwrap();
        assert_eq!(out, osc52("hi"));
    }
}
