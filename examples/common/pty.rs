//! What the measuring examples share: a program's screen in a pseudo-terminal, read on a
//! thread, and its peak memory.

use std::io::Read;
use std::sync::{Arc, Mutex};

/// What a program wrote: the screen as a terminal emulator shows it, how many bytes, and all of
/// them when asked to keep them.
pub struct Screen {
    pub parser: vt100::Parser,
    pub bytes: usize,
    pub log: Option<Vec<u8>>,
}

impl Screen {
    /// A screen of `cols`×`rows`, filled from `reader` on a thread until the program closes
    /// its end; `log` keeps every byte.
    pub fn read(mut reader: Box<dyn Read + Send>, (cols, rows): (u16, u16), log: bool) -> Arc<Mutex<Screen>> {
        let screen = Arc::new(Mutex::new(Screen {
            parser: vt100::Parser::new(rows.try_into().unwrap(), cols.try_into().unwrap(), 0),
            bytes: 0,
            log: log.then(Vec::new),
        }));
        let filled = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    return;
                }
                let mut s = filled.lock().unwrap();
                s.parser.process(&buf[..n]);
                s.bytes += n;
                if let Some(log) = s.log.as_mut() {
                    log.extend_from_slice(&buf[..n]);
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
