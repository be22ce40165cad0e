use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    bitext::tui::terminal::install_panic_hook();
    let cli = bitext::cli::Cli::parse();
    bitext::logging::init(cli.log_level);
    match bitext::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            tracing::error!("{e}");
            bitext::logging::say(&format!("bitext: {e}"));
            ExitCode::from(2)
        }
    }
}
