//! `logscrub scan`: findings without rewriting, as text, JSON lines or SARIF 2.1.0, with a CI exit code.
//!
//! A finding is reported as file, line, column, rule, class and keyed hash. The value itself is never printed.

use std::io::{self, Write};

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use logscrub_engine::{LineFinding, Scrubber};
use serde_json::json;

use crate::filter::Input;
use crate::{exit, load, RuleArgs};

/// Output formats of `scan`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// `file:line:col: rule (class) hash=...`, one per line.
    Text,
    /// One JSON object per finding (JSON lines).
    Json,
    /// A SARIF 2.1.0 log, for code-scanning tools.
    Sarif,
}

/// Arguments of `logscrub scan`.
#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Files to scan; none or `-` means stdin.
    #[arg(value_name = "FILES")]
    pub files: Vec<std::path::PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 0 even when something is found.
    #[arg(long)]
    pub exit_zero: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
}

struct Located {
    file: String,
    f: LineFinding,
}

/// Runs `scan`; returns the exit code.
pub fn run(args: &ScanArgs) -> Result<u8> {
    let scrubber = load::scrubber(&args.rules)?;
    let mut all = Vec::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut sink = Vec::new();
    for input in Input::from_args(&args.files) {
        let mut reader = input.open()?;
        let mut stream = scrubber.stream().collect_findings(true);
        loop {
            let n = input.read_some(&mut reader, &mut buf)?;
            if n == 0 {
                break;
            }
            sink.clear();
            stream.push(&buf[..n], &mut sink);
            all.extend(stream.take_findings().into_iter().map(|f| Located {
                file: input.name(),
                f,
            }));
        }
        sink.clear();
        stream.finish(&mut sink);
        all.extend(stream.take_findings().into_iter().map(|f| Located {
            file: input.name(),
            f,
        }));
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        Format::Text => {
            for l in &all {
                let r = scrubber.rule(l.f.finding.rule);
                writeln!(
                    out,
                    "{}:{}:{}: {} ({}) hash={:016x}",
                    l.file,
                    l.f.line,
                    l.f.finding.start + 1,
                    r.id,
                    r.class,
                    l.f.finding.hash
                )?;
            }
        }
        Format::Json => {
            for l in &all {
                let r = scrubber.rule(l.f.finding.rule);
                let v = json!({
                    "file": l.file,
                    "line": l.f.line,
                    "start": l.f.finding.start,
                    "end": l.f.finding.end,
                    "rule": r.id,
                    "class": r.class,
                    "category": r.category.as_str(),
                    "hash": format!("{:016x}", l.f.finding.hash),
                });
                writeln!(out, "{v}")?;
            }
        }
        Format::Sarif => {
            serde_json::to_writer_pretty(&mut out, &sarif(&scrubber, &all))?;
            writeln!(out)?;
        }
    }
    out.flush().context("cannot write to stdout")?;
    if all.is_empty() || args.exit_zero {
        Ok(exit::OK)
    } else {
        Ok(exit::FINDINGS)
    }
}

fn sarif(scrubber: &Scrubber, all: &[Located]) -> serde_json::Value {
    let rules: Vec<_> = scrubber
        .rules()
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.class,
                "shortDescription": { "text": r.description },
                "properties": { "category": r.category.as_str() },
            })
        })
        .collect();
    let results: Vec<_> = all
        .iter()
        .map(|l| {
            let r = scrubber.rule(l.f.finding.rule);
            json!({
                "ruleId": r.id,
                "ruleIndex": l.f.finding.rule.0,
                "level": "error",
                "message": { "text": format!("{} found ({})", r.class, r.category.as_str()) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": l.file },
                        "region": {
                            "startLine": l.f.line,
                            "startColumn": l.f.finding.start + 1,
                            "endColumn": l.f.finding.end + 1,
                        }
                    }
                }],
                "partialFingerprints": { "valueHash/v1": format!("{:016x}", l.f.finding.hash) },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "logscrub",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }]
    })
}
