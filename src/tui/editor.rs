//! `e`: an article's file in `$EDITOR` (else `vi`). The terminal is handed over as for Ctrl-Z:
//! the input thread stops reading it, the screen and raw mode are given back, the editor runs
//! in the foreground, and when it ends bitext takes the terminal again and draws everything.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// Set while the editor has the terminal: Ctrl-C and Ctrl-\ are the editor's, and a stop
/// (Ctrl-Z in the editor stops its whole process group) stops bitext as it is, without
/// touching the terminal.
pub static EDITING: AtomicBool = AtomicBool::new(false);

/// How often the input thread looks up from waiting for input, to see whether it is asked to
/// stop reading.
pub const INPUT_POLL: Duration = Duration::from_millis(200);

/// Lets the loop stop the input thread from reading the terminal while another program reads
/// it, and start it again.
#[derive(Default)]
pub struct InputGate {
    state: Mutex<Gate>,
    changed: Condvar,
}

#[derive(Default)]
struct Gate {
    /// The loop asks the input thread not to read.
    closed: bool,
    /// The input thread is waiting at the gate, reading nothing.
    waiting: bool,
}

impl InputGate {
    /// For the input thread, before it waits for input: returns at once while the gate is
    /// open, else when it opens again.
    pub fn pass(&self) {
        let mut gate = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if !gate.closed {
            return;
        }
        gate.waiting = true;
        self.changed.notify_all();
        while gate.closed {
            gate = self.changed.wait(gate).unwrap_or_else(|e| e.into_inner());
        }
        gate.waiting = false;
    }

    /// Closes the gate and waits (at most `timeout`) for the input thread to stop at it.
    /// Whether it did.
    pub fn close(&self, timeout: Duration) -> bool {
        let mut gate = self.state.lock().unwrap_or_else(|e| e.into_inner());
        gate.closed = true;
        let (gate, _) =
            self.changed.wait_timeout_while(gate, timeout, |g| !g.waiting).unwrap_or_else(|e| e.into_inner());
        gate.waiting
    }

    pub fn open(&self) {
        let mut gate = self.state.lock().unwrap_or_else(|e| e.into_inner());
        gate.closed = false;
        self.changed.notify_all();
    }
}

/// The editor: `$EDITOR`, else `vi`.
pub fn editor() -> String {
    std::env::var("EDITOR").ok().filter(|e| !e.trim().is_empty()).unwrap_or_else(|| "vi".into())
}

/// Runs the editor on `path` in the foreground and waits for it. `$EDITOR` is read by the
/// shell, so it may carry arguments (`code --wait`); the path is passed as one argument.
pub fn run(path: &Path) -> Result<(), String> {
    let editor = editor();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(path)
        .status()
        .map_err(|e| format!("could not run {editor}: {e}"))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(127) => Err(format!("could not run {editor} (not found)")),
        Some(code) => Err(format!("{editor} ended with status {code}")),
        None => Err(format!("{editor} was killed")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn the_gate_holds_the_reader_until_it_opens() {
        let gate = Arc::new(InputGate::default());
        let passed = Arc::new(AtomicBool::new(false));
        let (g, p) = (gate.clone(), passed.clone());
        let reader = std::thread::spawn(move || {
            loop {
                g.pass();
                if p.load(std::sync::atomic::Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        assert!(gate.close(Duration::from_secs(5)), "the reader stopped at the gate");
        passed.store(true, std::sync::atomic::Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(30));
        assert!(!reader.is_finished(), "the reader waits while the gate is closed");
        gate.open();
        reader.join().unwrap();
    }

    #[test]
    fn closing_with_no_reader_gives_up_after_the_timeout() {
        let gate = InputGate::default();
        assert!(!gate.close(Duration::from_millis(10)));
        gate.open();
    }
}
