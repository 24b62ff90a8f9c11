//! `logscrub scan`: findings without rewriting, written as they are found (text, JSON lines, SARIF 2.1.0, or a
//! summary per rule / HTML page at the end), with a CI exit code.
//!
//! A finding is reported as input, line, column, rule, class and keyed hash, optionally with its line as the
//! filter would write it (the value replaced). The value itself is never printed. Memory does not grow with the
//! input or the number of findings: findings go from the workers to the reporter chunk by chunk, in input order.
//!
//! Hashes: HMAC-SHA256 of the value (first 8 bytes) under the pseudonym key when the policy names one, otherwise
//! under the fixed, public salt [`SCAN_SALT`], so that allowlists, baselines and SARIF fingerprints are stable
//! across runs. A fixed salt does not hide a low-entropy value (a card number) from someone who holds the report
//! and tries every candidate: set a pseudonym key when reports leave your hands.

mod allow;
mod html;
mod pipeline;
mod report;
mod sarif;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::{Args, ValueEnum};
use logscrub_engine::{Key, RuleInfo};
use sha2::{Digest, Sha256};

use crate::inputs::{self, Decompress, Source, Walk};
use crate::output::{write_error, Report};
use crate::progress::{Progress, When};
use crate::{exit, load, RuleArgs};
use pipeline::Hit;
use report::{Reporter, Summary};

/// The fixed salt scan hashes values under when no pseudonym key is configured (documented in the README).
pub const SCAN_SALT: &[u8] = b"logscrub scan fingerprint salt v1";

/// GitHub code scanning accepts at most this many results per SARIF run.
const GITHUB_MAX_RESULTS: u64 = 25_000;

/// Output formats of `scan`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// `file:line:col: rule (class) hash=...`, one per line.
    Text,
    /// One JSON object per finding (JSON lines).
    Json,
    /// A SARIF 2.1.0 log for code scanning (GitHub, GitLab, ...), compact, capped at 25,000 results by default.
    Sarif,
    /// A self-contained HTML page: findings by class and by file, with a chart.
    Html,
}

/// Arguments of `logscrub scan`.
#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Files or directories to scan (directories recursively, honouring .gitignore/.ignore); none or `-` means
    /// stdin. `*.gz` and `*.zst` files are decompressed.
    #[arg(value_name = "PATHS")]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub report_path: Option<PathBuf>,
    /// Report at most N findings (the rest is still counted and the exit code still says 1); 0 means no cap.
    /// Default: 25000 for SARIF (GitHub's limit), no cap otherwise.
    #[arg(long, value_name = "N")]
    pub max_results: Option<u64>,
    /// Instead of each finding, print one line (or JSON object) per rule: count, files, first place.
    #[arg(long)]
    pub summary: bool,
    /// Show each finding's line as the filter would write it (the value replaced), cut to 160 characters.
    #[arg(long)]
    pub context: bool,
    /// Allowlist file (TOML: `paths`, `rules`, `hashes`); what it names is not reported.
    #[arg(long, value_name = "FILE")]
    pub allowlist: Option<PathBuf>,
    /// Report only findings that are not in this earlier `scan --format json` (or sarif) output.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Decompress every input (stdin too) whose data is gzip or zstd, whatever its name.
    #[arg(long, short = 'z')]
    pub decompress: bool,
    /// In directories, also scan hidden files and directories.
    #[arg(long)]
    pub hidden: bool,
    /// In directories, ignore .gitignore, .ignore and git exclude rules.
    #[arg(long)]
    pub no_ignore: bool,
    /// Worker threads (default: available cores). Findings are reported in input order whatever the count.
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Show progress on stderr (default: when stderr is a terminal and every input is a file).
    #[arg(long, overrides_with = "no_progress")]
    pub progress: bool,
    /// Never show progress.
    #[arg(long)]
    pub no_progress: bool,
    /// Exit 0 even when something is found.
    #[arg(long)]
    pub exit_zero: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// Where a finding is: which input, by index, display name, path and the name its fingerprint uses.
pub struct Located<'a> {
    /// Index of the input.
    pub index: usize,
    /// Name for reports.
    pub name: &'a str,
    /// The file's path (None for stdin).
    pub path: Option<&'a Path>,
}

impl Located<'_> {
    /// A fingerprint stable across runs: SHA-256 over rule id, input name, line and the value's keyed hash (never
    /// the value), first 16 bytes in hex. Baselines match on it; SARIF carries it as `logscrubFinding/v1`.
    pub fn fingerprint(&self, rule: &RuleInfo, hit: &Hit) -> String {
        let mut h = Sha256::new();
        h.update(rule.id.as_bytes());
        h.update([0]);
        h.update(self.name.as_bytes());
        h.update([0]);
        h.update(hit.line.to_be_bytes());
        h.update(hit.hash.to_be_bytes());
        let d = h.finalize();
        d[..16].iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Runs `scan`; returns the exit code.
pub fn run(args: &ScanArgs) -> Result<u8> {
    if args.summary && matches!(args.format, Format::Sarif | Format::Html) {
        return Err(load::UsageError(
            "--summary prints counts per rule as text or JSON; use --format text or --format json with it".into(),
        )
        .into());
    }
    let fallback = Key::new("scan", SCAN_SALT).map_err(|e| load::UsageError(e.to_string()))?;
    let scrubber = load::scrubber_with_fallback_key(&args.rules, Some(fallback))?;
    let allow = match &args.allowlist {
        Some(p) => allow::Allowlist::load(p)?,
        None => allow::Allowlist::default(),
    };
    let known: Vec<&str> = scrubber.rules().iter().map(|r| r.id.as_str()).collect();
    let unknown = allow.unknown_rules(&known);
    if !unknown.is_empty() {
        return Err(load::UsageError(format!(
            "allowlist names rules that do not exist: {} (see `logscrub rules list`)",
            unknown.join(", ")
        ))
        .into());
    }
    let baseline = match &args.baseline {
        Some(p) => allow::Baseline::load(p)?,
        None => allow::Baseline::default(),
    };
    let mut report = Report::open(args.report_path.as_deref())?;
    let live = args.report_path.is_none() && crate::filter::stdout_is_live();
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));

    let walk = Walk {
        hidden: args.hidden,
        no_ignore: args.no_ignore,
    };
    let all = inputs::sources(&args.files, walk);
    let mut allowlisted_files = 0u64;
    let sources: Vec<Source> = all
        .into_iter()
        .filter(|s| {
            let skip = s.path().is_some_and(|p| allow.allows_path(p));
            allowlisted_files += skip as u64;
            !skip
        })
        .collect();
    let names: Vec<String> = sources.iter().map(Source::name).collect();
    let progress = Progress::new(
        When::from_flags(args.progress, args.no_progress),
        inputs::total_size(&sources),
        inputs::all_files(&sources),
    );

    let max_results = args.max_results.unwrap_or(match args.format {
        Format::Sarif => GITHUB_MAX_RESULTS,
        _ => 0,
    });
    let mut reporter: Box<dyn Reporter> = match (args.format, args.summary) {
        (Format::Text, false) => Box::new(report::TextReporter::new(&scrubber)),
        (Format::Json, false) => Box::new(report::JsonReporter::new(&scrubber)),
        (Format::Text, true) => Box::new(report::SummaryReporter::new(&scrubber, false)),
        (Format::Json, true) => Box::new(report::SummaryReporter::new(&scrubber, true)),
        (Format::Sarif, _) => Box::new(sarif::SarifReporter::new(&scrubber, cwd.clone())),
        (Format::Html, _) => Box::new(html::HtmlReporter::new(&scrubber)),
    };
    let mut summary = Summary::new(&scrubber, max_results);
    let out_name = report.name.clone();
    reporter
        .begin(&mut report.w)
        .map_err(|e| write_error(e, &out_name))?;

    let settings = pipeline::Settings {
        threads: args
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .clamp(1, 256),
        decompress: if args.decompress {
            Decompress::Sniff
        } else {
            Decompress::ByName
        },
        context: args.context,
    };
    let mut noted = false;
    let stats = pipeline::run(&scrubber, &sources, &settings, &progress, |event| {
        match event {
            pipeline::Event::Refused { error } => {
                eprintln!("logscrub: {error:#}");
                summary.refused.push(format!("{error:#}"));
            }
            pipeline::Event::Hits { source, hits } => {
                let at = Located {
                    index: source,
                    name: &names[source],
                    path: sources[source].path(),
                };
                for hit in &hits {
                    let rule = scrubber.rule(hit.rule);
                    if allow.allows(&rule.id, hit.hash) {
                        summary.allowlisted += 1;
                        continue;
                    }
                    if args.baseline.is_some() && baseline.contains(&at.fingerprint(rule, hit)) {
                        summary.baselined += 1;
                        continue;
                    }
                    if summary.count(&scrubber, &at, hit) {
                        reporter
                            .hit(&mut report.w, &at, hit)
                            .map_err(|e| write_error(e, &out_name))?;
                    } else if !noted {
                        noted = true;
                        eprintln!(
                            "logscrub: --max-results {max_results} reached; the remaining findings are counted, not reported"
                        );
                    }
                }
                if live && !hits.is_empty() {
                    report.w.flush().map_err(|e| write_error(e, &out_name))?;
                }
            }
        }
        Ok(())
    });
    progress.finish();
    let stats = stats?;
    summary.lines = stats.lines;
    summary.bytes = stats.bytes_in;
    reporter
        .end(&mut report.w, &summary)
        .map_err(|e| write_error(e, &out_name))?;
    report.flush()?;
    if summary.truncated() {
        eprintln!(
            "logscrub: {} findings, {} reported (--max-results {max_results}); use --summary for counts per rule",
            summary.total, summary.reported
        );
    }
    if summary.allowlisted + summary.baselined + allowlisted_files > 0 {
        eprintln!(
            "logscrub: not reported: {} allowlisted, {} in the baseline, {} input{} skipped by the allowlist",
            summary.allowlisted,
            summary.baselined,
            allowlisted_files,
            if allowlisted_files == 1 { "" } else { "s" }
        );
    }
    if !summary.refused.is_empty() {
        eprintln!(
            "logscrub: {} input{} could not be read (see above); the scan is incomplete",
            summary.refused.len(),
            if summary.refused.len() == 1 { "" } else { "s" }
        );
        return Ok(exit::IO);
    }
    if summary.total == 0 || args.exit_zero {
        Ok(exit::OK)
    } else {
        Ok(exit::FINDINGS)
    }
}
