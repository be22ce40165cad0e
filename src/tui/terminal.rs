//! The real terminal: setup and restore, the panic hook, and the event loop.

use std::io::{IsTerminal, Write, stdout};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, Event};
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};

use super::{Action, App, view};
use crate::commands::{Context, Error};
use crate::library::Library;
use crate::tui::theme::Theme;

/// Opens the reader on the configured library until the user quits.
pub fn run(ctx: &Context) -> Result<ExitCode, Error> {
    let library = Library::scan(&ctx.library_path)?;
    if !stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Error::Usage(
            "the reader needs a terminal; `bitext list` and `bitext show ID` print to pipes".into(),
        ));
    }
    let theme = Theme::from_colors(&ctx.config.colors);
    let mut app = App::new(library, theme, ctx.render_options(), ctx.config.reader.mode);
    let _guard = TerminalGuard::enter()?;
    // Clear directly: `Terminal::clear` asks the terminal for the cursor position, and a slow
    // link or a terminal that never answers would fail the start.
    execute!(stdout(), Clear(ClearType::All))?;
    let mut terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
    let result = event_loop(&mut terminal, &mut app);
    drop(_guard);
    result.map(|()| ExitCode::SUCCESS)
}

fn event_loop(terminal: &mut Terminal<CrosstermBackend<std::io::Stdout>>, app: &mut App) -> Result<(), Error> {
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    app.select(0);
    loop {
        terminal.draw(|frame| view(app, frame))?;
        // Block until something happens, then take everything already waiting, so a burst of
        // resizes or a held key is handled before the next draw.
        let mut events = vec![event::read()?];
        while event::poll(Duration::ZERO)? {
            events.push(event::read()?);
        }
        let mut resize = None;
        for e in events {
            match e {
                Event::Resize(w, h) => resize = Some((w, h)),
                Event::Key(k) if k.is_press() || k.is_repeat() => {
                    if let Some(a) = app.keymap.action(&k) {
                        app.update(a);
                    }
                }
                _ => {}
            }
        }
        if let Some((w, h)) = resize {
            // The size in the event can be stale after a storm; ask the terminal.
            let size = terminal.size().map(|s| (s.width, s.height)).unwrap_or((w, h));
            terminal.autoresize()?;
            app.update(Action::Resize(size.0, size.1));
        }
        if app.quit {
            return Ok(());
        }
    }
}

/// Raw mode and the alternate screen while alive; restores the terminal when dropped, on
/// every path out, including errors.
struct TerminalGuard;

/// Set while the terminal is in raw mode on the alternate screen.
static ACTIVE: AtomicBool = AtomicBool::new(false);

impl TerminalGuard {
    fn enter() -> std::io::Result<TerminalGuard> {
        ACTIVE.store(true, Ordering::SeqCst);
        enable_raw_mode()?;
        let guard = TerminalGuard;
        execute!(stdout(), EnterAlternateScreen, cursor::Hide)?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Leaves the alternate screen, shows the cursor and turns raw mode off, if the reader had
/// taken the terminal. Safe to call twice.
pub fn restore_terminal() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = stdout();
    let _ = execute!(out, LeaveAlternateScreen, cursor::Show);
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// On a panic: restore the terminal first, then print one readable line (no backtrace).
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        restore_terminal();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("bitext: internal error: {}{place}", crate::text::sanitize_line(&message));
    }));
}
