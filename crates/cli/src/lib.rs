//! `logscrub`: the command-line shell around the engine (library part: the binary's `main` calls [`main`]).
//!
//! It parses flags, loads rules and the policy, moves bytes between files and the engine, and reports. It never
//! detects or rewrites anything itself, and never prints a scanned value: findings are shown as rule, place and
//! keyed hash.

mod dist;
mod filter;
mod inputs;
mod load;
mod output;
mod progress;
mod rules_cmd;
mod scan;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

/// Exit codes, documented in `--help` and the README.
pub mod exit {
    /// Success (for `scan`: no finding).
    pub const OK: u8 = 0;
    /// `scan` found sensitive values; `rules check` found failing examples.
    pub const FINDINGS: u8 = 1;
    /// Bad flags, bad configuration or bad rules.
    pub const USAGE: u8 = 2;
    /// An input could not be read or the output could not be written.
    pub const IO: u8 = 3;
}

const AFTER_HELP: &str = "\
EXAMPLES:
    my-service 2>&1 | logscrub > service.log     filter stdin to stdout
    logscrub app.log other.log > clean.log       files as arguments, in order
    logscrub --stats < app.log > clean.log       counts per class and rule on stderr
    logscrub scan --format sarif -o scan.sarif logs/   findings only (no rewrite), for CI
    logscrub scan app.log.gz | head               gzip/zstd read on the fly; a closed pipe ends quietly
    logscrub rules list                           what is detected, by category
    logscrub rules check --rules ./my-rules       run every rule's examples

EXIT CODES:
    0  success (scan: nothing found)
    1  scan: sensitive values found; rules check: an example failed
    2  bad flags, configuration or rules
    3  an input could not be read (scan goes on with the others, then exits 3) or the output could not be
       written (also: stdout closed)

Placeholders look like [REDACTED:<class>] (or [PSEUDO:<class>:<key id>:<token>] with the pseudonym
action); scrubbing twice gives the same bytes as scrubbing once. See README.md for the policy file.";

/// Removes sensitive values (payment cards, IBANs, credentials in URLs, API keys, private keys, personal data)
/// from logs before they are persisted. Reads stdin (or FILES) and writes the scrubbed lines to stdout; every
/// other byte and line break stays as it was.
#[derive(Parser, Debug)]
#[command(name = "logscrub", version, after_help = AFTER_HELP, subcommand_precedence_over_arg = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    filter: FilterArgs,
}

/// Options shared by everything that builds a scrubber.
#[derive(Args, Debug, Clone, Default)]
pub struct RuleArgs {
    /// Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one.
    #[arg(long, value_name = "DIR", global = true)]
    pub rules: Option<PathBuf>,
    /// Policy file: rules/categories switched off, actions, pseudonym key source, line limits.
    #[arg(long, short = 'c', value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features
    /// vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in.
    #[arg(long, value_enum, value_name = "NAME", global = true)]
    pub backend: Option<BackendArg>,
}

/// The `--backend` values (mirrors `logscrub_engine::Backend`).
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendArg {
    /// regex-automata's lazy DFA (pure Rust).
    Rust,
    /// Vectorscan (only in builds with the `vectorscan` feature).
    Vectorscan,
}

impl From<BackendArg> for logscrub_engine::Backend {
    fn from(b: BackendArg) -> Self {
        match b {
            BackendArg::Rust => logscrub_engine::Backend::Rust,
            BackendArg::Vectorscan => logscrub_engine::Backend::Vectorscan,
        }
    }
}

/// Options of the filter (the default command).
#[derive(Args, Debug, Clone)]
pub struct FilterArgs {
    /// Input files, read in order; none or `-` means stdin.
    #[arg(value_name = "FILES")]
    pub files: Vec<PathBuf>,
    /// Print counts per class and per rule, lines and throughput to stderr at the end.
    #[arg(long)]
    pub stats: bool,
    /// Format of --stats: text, or one JSON object.
    #[arg(long, value_enum, default_value_t = StatsFormat::Text, requires = "stats")]
    pub format: StatsFormat,
    /// Show progress on stderr (default: when stderr is a terminal and every input is a file): percent, rate and
    /// ETA when the sizes are known, a spinner otherwise; plain lines every 2 s when stderr is not a terminal.
    #[arg(long, overrides_with = "no_progress")]
    pub progress: bool,
    /// Never show progress.
    #[arg(long)]
    pub no_progress: bool,
    /// Decompress every input (stdin too) whose data is gzip or zstd, whatever its name (`*.gz` and `*.zst`
    /// files always are).
    #[arg(long, short = 'z')]
    pub decompress: bool,
    /// Worker threads (default: available cores; files of 1 MiB or less in all, or standard input redirected from
    /// one, run on one; a pipe starts on one and hands over to the others after its first 256 KiB). Output order
    /// is always the input order.
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Flush after every input chunk even when stdout is a regular file (default: only for pipes and terminals).
    #[arg(long)]
    pub line_buffered: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// Formats of `--stats`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object.
    Json,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Report findings without rewriting (text, JSON lines or SARIF). Exit code 1 when anything is found.
    Scan(scan::ScanArgs),
    /// List, check or export the rules.
    Rules {
        #[command(subcommand)]
        command: rules_cmd::RulesCommand,
    },
}

/// The command definition, for the man page and completion generator.
pub fn command() -> clap::Command {
    Cli::command()
}

/// The generated man pages and completions (path under `crates/cli/dist/`, contents).
pub fn dist_files() -> Vec<(String, Vec<u8>)> {
    dist::files()
}

/// Runs the binary. `stdout_closed` says that fd 1 was closed when the process started (see `main.rs`).
pub fn main(stdout_closed: bool) -> ExitCode {
    if stdout_closed {
        output::mark_stdout_closed();
    }
    let cli = Cli::parse();
    let result = match cli.command {
        None => filter::run(&cli.filter),
        Some(Command::Scan(args)) => scan::run(&args),
        Some(Command::Rules { command }) => {
            output::check_stdout_open().and_then(|()| rules_cmd::run(&command))
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // `logscrub ... | head`: the reader has what it wanted.
        Err(e) if output::is_pipe_closed(&e) => ExitCode::from(exit::OK),
        Err(e) => {
            let code = e
                .downcast_ref::<load::UsageError>()
                .map(|_| exit::USAGE)
                .unwrap_or(exit::IO);
            eprintln!("logscrub: {e:#}");
            ExitCode::from(code)
        }
    }
}
