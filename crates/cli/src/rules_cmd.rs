//! `logscrub rules list | check | export`.

mod list;

use std::io::Write;

use anyhow::Result;
use clap::{Subcommand, ValueEnum};
use logscrub_engine::{Backend, RuleKind, RuleRef};

use crate::{exit, load, RuleArgs};

/// Export formats.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    /// One regex per line, for `rg -f` / `grep -E -f` style tools (pattern rules only).
    Rg,
    /// The whole rule set as JSON.
    Json,
}

/// `logscrub rules ...`
#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// List the rules by category, with their class, action and provider or countries; `--format markdown`
    /// prints the table of rules/README.md.
    List(list::ListArgs),
    /// Run every rule's examples and negative examples; exit 1 if any fails.
    Check {
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Export the rules' patterns for other tools (benchmarks, comparisons).
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Rg)]
        format: ExportFormat,
        #[command(flatten)]
        rules: RuleArgs,
    },
}

/// Runs a `rules` subcommand; returns the exit code.
pub fn run(cmd: &RulesCommand) -> Result<u8> {
    let mut out = std::io::stdout().lock();
    match cmd {
        RulesCommand::List(args) => {
            list::run(args, &mut out)?;
            Ok(exit::OK)
        }
        RulesCommand::Check { rules } => {
            // Build without the load-time example check so that every failure is listed here, once per backend
            // compiled in (or only the one `--backend` names): both must find exactly the same values.
            let (set, _) = load::rule_set(rules)?;
            let policy = load::policy(rules)?;
            let backends: Vec<Backend> = match rules.backend {
                Some(_) => vec![load::backend(rules)?],
                None => Backend::compiled().to_vec(),
            };
            let mut failed = 0;
            let mut count = 0;
            for backend in &backends {
                let s = logscrub_engine::Scrubber::builder()
                    .rules(set.clone())
                    .policy(logscrub_engine::PolicyConfig {
                        actions: Default::default(),
                        pseudonym: Default::default(),
                        ..policy.clone()
                    })
                    .backend(*backend)
                    .build()
                    .map_err(|e| load::UsageError(e.to_string()))?;
                count = s.rules().len();
                for i in 0..s.rules().len() {
                    let r = RuleRef(i as u16);
                    let fails = s.check_examples(r);
                    let info = s.rule(r);
                    if fails.is_empty() {
                        writeln!(
                            out,
                            "ok    {:<26} {} examples, {} negative [backend: {backend}]",
                            info.id,
                            info.examples.len(),
                            info.negative_examples.len()
                        )?;
                    } else {
                        failed += fails.len();
                        for f in fails {
                            writeln!(
                                out,
                                "FAIL  [backend: {backend}] {}",
                                load::describe_failure(&s, &f)
                            )?;
                        }
                    }
                }
            }
            let names: Vec<&str> = backends.iter().map(|b| b.name()).collect();
            writeln!(
                out,
                "{count} rules, {failed} failing examples (backends: {})",
                names.join(", ")
            )?;
            Ok(if failed == 0 {
                exit::OK
            } else {
                exit::FINDINGS
            })
        }
        RulesCommand::Export { format, rules } => {
            let (set, _) = load::rule_set(rules)?;
            match format {
                ExportFormat::Rg => {
                    for r in set.rules() {
                        if r.rule.kind == RuleKind::Pattern {
                            if let Some(p) = &r.rule.pattern {
                                writeln!(out, "{p}")?;
                            }
                        }
                    }
                }
                ExportFormat::Json => {
                    let all: Vec<_> = set.rules().iter().map(|r| &r.rule).collect();
                    serde_json::to_writer_pretty(&mut out, &all)?;
                    writeln!(out)?;
                }
            }
            Ok(exit::OK)
        }
    }
}
