//! What the measuring examples share: a program's screen in a pseudo-terminal, read on a
//! thread, and its peak memory.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

/// The program's keyboard: keys from the measuring code, and the answers a terminal gives to
/// the program's questions (where the cursor is), from the screen's thread.
#[derive(Clone)]
pub struct Keys(Arc<Mutex<Box<dyn Write + Send>>>);

impl Write for Keys {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.lock().unwrap().flush()
    }
}

/// The terminal that answers the program's questions: vt100 (no left and right margins), or
/// WezTerm's model (which has them, and answers for itself).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Answering {
    Vt100,
    WezTerm,
}

#[derive(Debug)]
struct Palette;

impl tattoy_wezterm_term::TerminalConfiguration for Palette {
    fn color_palette(&self) -> tattoy_wezterm_term::color::ColorPalette {
        tattoy_wezterm_term::color::ColorPalette::default()
    }
}

impl Keys {
    pub fn new(writer: Box<dyn Write + Send>) -> Keys {
        Keys(Arc::new(Mutex::new(writer)))
    }

    pub fn send(&self, bytes: &[u8]) {
        let mut w = self.0.lock().unwrap();
        w.write_all(bytes).expect("write");
        w.flush().expect("flush");
    }
}

/// What a program wrote: the screen as a terminal emulator shows it, how many bytes, and all of
/// them when asked to keep them.
pub struct Screen {
    pub parser: vt100::Parser,
    pub bytes: usize,
    pub log: Option<Vec<u8>>,
}

impl Screen {
    /// A screen of `cols`×`rows`, filled from `reader` on a thread until the program closes
    /// its end; `log` keeps every byte. A cursor position request (DSR 6: bitext asks once at
    /// start whether the terminal has left and right margins) is answered on `keys`, as a
    /// terminal answers it: by vt100's screen, or by WezTerm's model, which reads the bytes too
    /// (the status line, outside any margin, reads the same in both).
    pub fn read(
        mut reader: Box<dyn Read + Send>,
        keys: Keys,
        (cols, rows): (u16, u16),
        log: bool,
        answering: Answering,
    ) -> Arc<Mutex<Screen>> {
        let mut wezterm = (answering == Answering::WezTerm).then(|| {
            let size = tattoy_wezterm_term::TerminalSize {
                rows: usize::from(rows),
                cols: usize::from(cols),
                pixel_width: usize::from(cols) * 8,
                pixel_height: usize::from(rows) * 16,
                dpi: 0,
            };
            tattoy_wezterm_term::Terminal::new(size, Arc::new(Palette), "tty_measure", "1", Box::new(keys.clone()))
        });
        let screen = Arc::new(Mutex::new(Screen {
            parser: vt100::Parser::new(rows.try_into().unwrap(), cols.try_into().unwrap(), 0),
            bytes: 0,
            log: log.then(Vec::new),
        }));
        let filled = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            // The end of the last read, so a request split between two reads is still seen.
            let mut tail: Vec<u8> = Vec::new();
            const DSR: &[u8] = b"\x1b[6n";
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    return;
                }
                let answer = {
                    let mut s = filled.lock().unwrap();
                    s.parser.process(&buf[..n]);
                    s.bytes += n;
                    if let Some(log) = s.log.as_mut() {
                        log.extend_from_slice(&buf[..n]);
                    }
                    if let Some(w) = wezterm.as_mut() {
                        w.advance_bytes(&buf[..n]);
                        continue;
                    }
                    tail.extend_from_slice(&buf[..n]);
                    let asked = tail.windows(DSR.len()).filter(|w| *w == DSR).count();
                    tail.drain(..tail.len().saturating_sub(DSR.len() - 1));
                    let (row, col) = s.parser.screen().cursor_position();
                    format!("\x1b[{};{}R", row + 1, col + 1).repeat(asked)
                };
                if !answer.is_empty() {
                    keys.send(answer.as_bytes());
                }
            }
        });
        screen
    }
}

/// The peak resident memory of process `pid` (VmHWM), in KB; 0 if it cannot be read.
pub fn peak_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
