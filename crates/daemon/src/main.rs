//! `logscrubd`: command line entry point. Runs the daemon in the foreground (logs to stderr), or validates a
//! configuration with `check-config`.
//!
//! The daemon's own logs go through `logscrub-tracing`: every field and message is scrubbed by the engine while it
//! is formatted, before anything reaches stderr. No code here handles log data.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::prelude::*;

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
    /// Validates the configuration, the rules and the policy, and checks the environment (data directories
    /// writable, listen addresses free, key and token files readable and owner-only, forward and Kafka targets
    /// reachable); reports every problem; exit code 0 when all is well, 2 when not.
    CheckConfig {
        /// Skip the network checks (reachability of forward and Kafka targets).
        #[arg(long)]
        offline: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.cmd {
        Some(Cmd::CheckConfig { offline }) => {
            let r = logscrub_daemon::environment::check_config(&cli.config, offline);
            if r.problems.is_empty() {
                println!(
                    "{}: ok ({} sources, {} sinks, {} rules)",
                    cli.config.display(),
                    r.sources,
                    r.sinks,
                    r.rules.unwrap_or(0)
                );
                return ExitCode::SUCCESS;
            }
            for p in &r.problems {
                eprintln!("logscrubd: {}: {p}", cli.config.display());
            }
            eprintln!(
                "logscrubd: {}: {} problem{} found",
                cli.config.display(),
                r.problems.len(),
                if r.problems.len() == 1 { "" } else { "s" }
            );
            ExitCode::from(2)
        }
        None => run(cli.config),
    }
}

fn run(config: PathBuf) -> ExitCode {
    // The scrubber for the daemon's own logs is the engine's default rule pack, not the one compiled from the
    // configuration, on purpose:
    // * the subscriber has to exist before the configuration is loaded: loading and validation errors (which can
    //   quote operator-supplied values such as a sink URL) are logged, and when the configuration is invalid
    //   there is no configured scrubber at all;
    // * the subscriber is global and installed once, while SIGHUP swaps the data scrubber; a configured one would
    //   go stale, and a policy that relaxes detection for data (disabled rules, allowlists) must not relax it for
    //   the daemon's diagnostics.
    // The default pack fails closed. Cost: custom rule_files of the configuration do not apply to these logs.
    let scrubber = match logscrub_tracing::Scrubber::default_rules() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("logscrubd: cannot compile the default rules for the daemon's own logs: {e}");
            return ExitCode::from(1);
        }
    };
    raise_fd_limit();
    let filter = tracing_subscriber::EnvFilter::try_from_env("LOGSCRUBD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::registry()
        .with(filter)
        .with(
            logscrub_tracing::fmt_layer(scrubber.clone())
                .with_writer(std::io::stderr)
                .with_ansi(false),
        )
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
            // Printed besides the log line so that it is seen even with LOGSCRUBD_LOG=off; it bypasses the
            // subscriber, so it is scrubbed here with the same rules.
            eprintln!("logscrubd: {}", scrub_text(&scrubber, &format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}

/// Raises the soft limit of open files to the hard limit: each listener serves up to `daemon.max_connections`
/// connections, and the common soft limit of 1024 would be reached first.
fn raise_fd_limit() {
    // SAFETY: getrlimit/setrlimit only read and write the struct passed to them.
    unsafe {
        let mut l = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut l) == 0 && l.rlim_cur < l.rlim_max {
            l.rlim_cur = l.rlim_max;
            let _ = libc::setrlimit(libc::RLIMIT_NOFILE, &l);
        }
    }
}

/// Scrubs `text` line by line with `s` (an error chain can span lines).
fn scrub_text(s: &logscrub_tracing::Scrubber, text: &str) -> String {
    let mut scratch = s.scratch();
    let mut out = Vec::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        s.scrub_line(line.as_bytes(), &mut out, &mut scratch);
    }
    String::from_utf8_lossy(&out).into_owned()
}
