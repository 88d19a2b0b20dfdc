//! The `lifelong` binary: parses the command line and hands over to [`lifelong_cli::run`].

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = lifelong_cli::cli::Cli::parse();
    match lifelong_cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}
