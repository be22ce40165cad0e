use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    bitext::tui::terminal::install_panic_hook();
    // A shell asking for completions (`COMPLETE=bash bitext -- …`) is answered before anything
    // else runs or writes.
    bitext::completion::answer_and_exit_if_asked();
    let cli = bitext::cli::Cli::parse();
    bitext::logging::init(cli.log_level);
    match bitext::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            // A usage error is the user's to fix and is said on stderr; only a failure of the
            // machine is logged.
            if !e.is_usage() {
                tracing::error!("{e}");
            }
            bitext::logging::say(&format!("bitext: {e}"));
            ExitCode::from(2)
        }
    }
}
