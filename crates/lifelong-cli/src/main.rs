//! The `lifelong` binary: parses the command line and hands over to [`lifelong_cli::run`].

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: the server frees many large request and statement
/// buffers, and glibc's allocator spent about a fifth of the learning record store's CPU
/// consolidating them (docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
