//! What `scan` is told to accept: an allowlist (paths, rule ids, value hashes) and a baseline (the findings of an
//! earlier run, so that only new ones are reported). Both match on what a finding carries — place, rule and keyed
//! hash — never on a value.
//!
//! Allowlist file (TOML):
//!
//! ```toml
//! paths = ["tests/**", "**/*.fixture.log"]   # globs on the input path as shown in reports
//! rules = ["ipv4", "email"]                  # rule ids
//! hashes = ["3f9a0c1d2e4b5a69"]              # the `hash` of a finding (scan's fixed salt, or your pseudonym key)
//! ```
//!
//! Baseline file: the output of an earlier `logscrub scan --format json` (JSON lines) or `--format sarif`.

use std::collections::HashSet;
use std::path::Path;

use anyhow::Result;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::load::UsageError;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct AllowFile {
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    hashes: Vec<String>,
}

/// The compiled allowlist.
#[derive(Default)]
pub struct Allowlist {
    paths: GlobSet,
    rules: HashSet<String>,
    hashes: HashSet<u64>,
}

fn usage(msg: String) -> anyhow::Error {
    UsageError(msg).into()
}

impl Allowlist {
    /// Reads and checks an allowlist file; every problem names the file and the entry.
    pub fn load(path: &Path) -> Result<Allowlist> {
        let name = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| usage(format!("cannot read allowlist {name}: {e}")))?;
        let f: AllowFile =
            toml::from_str(&text).map_err(|e| usage(format!("allowlist {name}: {e}")))?;
        let mut b = GlobSetBuilder::new();
        for p in &f.paths {
            b.add(
                Glob::new(p)
                    .map_err(|e| usage(format!("allowlist {name}: path glob {p:?}: {e}")))?,
            );
        }
        let mut hashes = HashSet::new();
        for h in &f.hashes {
            let v = u64::from_str_radix(h, 16).ok().filter(|_| h.len() == 16).ok_or_else(|| {
                usage(format!(
                    "allowlist {name}: hash {h:?} is not 16 hex digits (copy the `hash` of a scan finding)"
                ))
            })?;
            hashes.insert(v);
        }
        Ok(Allowlist {
            paths: b
                .build()
                .map_err(|e| usage(format!("allowlist {name}: {e}")))?,
            rules: f.rules.into_iter().collect(),
            hashes,
        })
    }

    /// Is the input at `path` accepted whole?
    pub fn allows_path(&self, path: &Path) -> bool {
        self.paths.is_match(path)
    }

    /// Is a finding of `rule` with `hash` accepted?
    pub fn allows(&self, rule: &str, hash: u64) -> bool {
        self.rules.contains(rule) || self.hashes.contains(&hash)
    }

    /// Rule ids in the allowlist that no loaded rule has (a typo would silently accept nothing).
    pub fn unknown_rules<'a>(&'a self, known: &[&str]) -> Vec<&'a str> {
        self.rules
            .iter()
            .map(String::as_str)
            .filter(|r| !known.contains(r))
            .collect()
    }
}

/// Fingerprints of an earlier run's findings.
#[derive(Default)]
pub struct Baseline {
    seen: HashSet<String>,
}

impl Baseline {
    /// Reads the JSON lines or SARIF an earlier scan wrote.
    pub fn load(path: &Path) -> Result<Baseline> {
        let name = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| usage(format!("cannot read baseline {name}: {e}")))?;
        let mut seen = HashSet::new();
        if let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) {
            if let Some(runs) = doc.get("runs").and_then(|r| r.as_array()) {
                for run in runs {
                    for r in run["results"].as_array().into_iter().flatten() {
                        if let Some(f) = r["partialFingerprints"]["logscrubFinding/v1"].as_str() {
                            seen.insert(f.to_string());
                        }
                    }
                }
                return Ok(Baseline { seen });
            }
        }
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(line).map_err(|e| {
                usage(format!(
                    "baseline {name}, line {}: {e} (expected the output of `logscrub scan --format json` or \
                     `--format sarif`)",
                    i + 1
                ))
            })?;
            let f = v["fingerprint"].as_str().ok_or_else(|| {
                usage(format!(
                    "baseline {name}, line {}: no \"fingerprint\" field (expected `logscrub scan --format json` output)",
                    i + 1
                ))
            })?;
            seen.insert(f.to_string());
        }
        Ok(Baseline { seen })
    }

    /// Was this finding in the baseline?
    pub fn contains(&self, fingerprint: &str) -> bool {
        self.seen.contains(fingerprint)
    }
}
