//! `logscrubd`: command line entry point. Runs the daemon in the foreground (logs to stderr), or validates a
//! configuration with `check-config`.
//!
//! The daemon's own logs go through plain `tracing-subscriber` for now (TODO: switch to `logscrub-tracing` so
//! that its own log lines are scrubbed too). No code here handles log data.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "logscrubd",
    version,
    about = "Scrubs logs before they are persisted."
)]
struct Cli {
    /// The configuration file.
    #[arg(
        long,
        short,
        global = true,
        default_value = "/etc/logscrub/logscrubd.toml"
    )]
    config: PathBuf,
    #[command(subcommand)]
    cmd: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Validates the configuration, the rules and the policy; exit code 0 when valid, 2 when not.
    CheckConfig,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.cmd {
        Some(Cmd::CheckConfig) => match logscrub_daemon::app::check(&cli.config) {
            Ok((cfg, s)) => {
                println!(
                    "{}: ok ({} sources, {} sinks, {} rules)",
                    cli.config.display(),
                    cfg.sources.len(),
                    cfg.sinks.len(),
                    s.rules().len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("logscrubd: {}: {e}", cli.config.display());
                ExitCode::from(2)
            }
        },
        None => run(cli.config),
    }
}

fn run(config: PathBuf) -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LOGSCRUBD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("logscrubd")
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("logscrubd: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let r: anyhow::Result<()> = rt
        .block_on(logscrub_daemon::app::run(config))
        .map_err(Into::into);
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("logscrubd: {e:#}");
            ExitCode::from(2)
        }
    }
}
