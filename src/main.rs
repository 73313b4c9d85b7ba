//! `couper`: maps each command to the library and errors to exit codes
//! (0 success, 1 refused input with a one-line reason on stderr, 2 usage).

use anyhow::Context;
use clap::Parser;
use couper::cli::{Cli, Command};
use couper::settings;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("couper: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let path = settings::default_path(cli.config.as_deref())
        .context("no settings path: give --config PATH or set COUPER_CONFIG")?;
    match cli.command {
        Command::Check => match settings::load(&path) {
            Ok(_) => {
                println!("ok");
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => {
                eprintln!("{e}");
                Ok(ExitCode::from(1))
            }
        },
        Command::Simulate { json: _, history } => {
            let settings = settings::load(&path)?;
            let dir;
            let store = match history {
                Some(path) => couper::store::Store::open(&path)?,
                None => {
                    dir = tempfile::tempdir().context("cannot create a temporary directory")?;
                    couper::store::Store::open_scratch(&dir.path().join("simulate.sqlite3"))?
                }
            };
            let stdin = std::io::stdin().lock();
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            couper::simulate::run(&settings, store, stdin, &mut stdout)?;
            Ok(ExitCode::SUCCESS)
        }
        other => {
            anyhow::bail!("{other:?} is not available yet");
        }
    }
}
