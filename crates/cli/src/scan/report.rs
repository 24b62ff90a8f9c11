//! How `scan` writes what it found: each reporter receives the findings one at a time, in input order, and writes
//! them at once (text, JSON lines, SARIF) or keeps only bounded counts (per-rule summary, HTML). The end-of-run
//! [`Summary`] holds counts per rule and per file and class, never a finding list.
//!
//! A reporter never sees a value: only rule, place, keyed hash and the already-scrubbed context line.

use std::collections::BTreeMap;
use std::io::{self, Write};

use logscrub_engine::Scrubber;
use serde_json::json;

use super::pipeline::Hit;
use super::Located;

/// Writes findings as they arrive.
pub trait Reporter {
    /// Before the first finding.
    fn begin(&mut self, _w: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    /// One finding.
    fn hit(&mut self, w: &mut dyn Write, at: &Located, hit: &Hit) -> io::Result<()>;
    /// After the last one.
    fn end(&mut self, _w: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// Counts for one rule.
#[derive(Debug, Clone, Default)]
pub struct RuleCount {
    /// Findings (after allowlist and baseline).
    pub count: u64,
    /// Distinct inputs it was found in.
    pub files: u64,
    /// Where it was first found.
    pub first: Option<(String, u64)>,
    last_source: Option<usize>,
}

/// End-of-run counts, bounded by rules × inputs.
#[derive(Debug, Default)]
pub struct Summary {
    /// Findings after the allowlist and baseline.
    pub total: u64,
    /// Of those, written out (the rest is over `--max-results`).
    pub reported: u64,
    /// The cap (0: none).
    pub max_results: u64,
    /// Findings the allowlist accepted.
    pub allowlisted: u64,
    /// Findings already in the baseline.
    pub baselined: u64,
    /// Inputs that could not be read, with the reason.
    pub refused: Vec<String>,
    /// Per rule, indexed like [`Scrubber::rules`].
    pub rules: Vec<RuleCount>,
    /// Per (input name, class).
    pub by_file_class: BTreeMap<(String, String), u64>,
    /// Lines and bytes scanned.
    pub lines: u64,
    /// Bytes scanned (decompressed).
    pub bytes: u64,
}

impl Summary {
    /// A summary for `scrubber`'s rules.
    pub fn new(scrubber: &Scrubber, max_results: u64) -> Self {
        Summary {
            max_results,
            rules: vec![RuleCount::default(); scrubber.rules().len()],
            ..Summary::default()
        }
    }

    /// Counts a finding that passed the allowlist and baseline; true when it is to be written (under the cap).
    pub fn count(&mut self, scrubber: &Scrubber, at: &Located, hit: &Hit) -> bool {
        self.total += 1;
        let rc = &mut self.rules[hit.rule.0 as usize];
        rc.count += 1;
        if rc.last_source != Some(at.index) {
            rc.last_source = Some(at.index);
            rc.files += 1;
        }
        if rc.first.is_none() {
            rc.first = Some((at.name.to_string(), hit.line));
        }
        let class = &scrubber.rule(hit.rule).class;
        *self
            .by_file_class
            .entry((at.name.to_string(), class.clone()))
            .or_default() += 1;
        let write = self.max_results == 0 || self.reported < self.max_results;
        if write {
            self.reported += 1;
        }
        write
    }

    /// Was the cap reached with findings left out?
    pub fn truncated(&self) -> bool {
        self.reported < self.total
    }
}

/// `file:line:col: rule (class) hash=...`, with the scrubbed line indented below when context is on.
pub struct TextReporter {
    scrubber: Scrubber,
}

impl TextReporter {
    /// For `scrubber`'s rules.
    pub fn new(scrubber: &Scrubber) -> Self {
        TextReporter {
            scrubber: scrubber.clone(),
        }
    }
}

impl Reporter for TextReporter {
    fn hit(&mut self, w: &mut dyn Write, at: &Located, hit: &Hit) -> io::Result<()> {
        let r = self.scrubber.rule(hit.rule);
        writeln!(
            w,
            "{}:{}:{}: {} ({}) hash={:016x}",
            at.name, hit.line, hit.col, r.id, r.class, hit.hash
        )?;
        if let Some(c) = &hit.context {
            writeln!(w, "    {c}")?;
        }
        Ok(())
    }
}

/// One JSON object per finding (JSON lines), with a `fingerprint` that a baseline file matches on.
pub struct JsonReporter {
    scrubber: Scrubber,
}

impl JsonReporter {
    /// For `scrubber`'s rules.
    pub fn new(scrubber: &Scrubber) -> Self {
        JsonReporter {
            scrubber: scrubber.clone(),
        }
    }
}

impl Reporter for JsonReporter {
    fn hit(&mut self, w: &mut dyn Write, at: &Located, hit: &Hit) -> io::Result<()> {
        let r = self.scrubber.rule(hit.rule);
        let mut v = json!({
            "file": at.name,
            "line": hit.line,
            "column": hit.col,
            "end_column": hit.end_col,
            "start": hit.start,
            "end": hit.end,
            "rule": r.id,
            "class": r.class,
            "category": r.category.as_str(),
            "hash": format!("{:016x}", hit.hash),
            "fingerprint": at.fingerprint(r, hit),
        });
        if let Some(c) = &hit.context {
            v["context"] = json!(c);
        }
        serde_json::to_writer(&mut *w, &v).map_err(io::Error::from)?;
        w.write_all(b"\n")
    }
}

/// `--summary`: nothing per finding; one line (or JSON object) per rule at the end.
pub struct SummaryReporter {
    scrubber: Scrubber,
    json: bool,
}

impl SummaryReporter {
    /// Text or JSON lines.
    pub fn new(scrubber: &Scrubber, json: bool) -> Self {
        SummaryReporter {
            scrubber: scrubber.clone(),
            json,
        }
    }
}

impl Reporter for SummaryReporter {
    fn hit(&mut self, _w: &mut dyn Write, _at: &Located, _hit: &Hit) -> io::Result<()> {
        Ok(())
    }

    fn end(&mut self, w: &mut dyn Write, s: &Summary) -> io::Result<()> {
        let mut order: Vec<usize> = (0..s.rules.len())
            .filter(|&i| s.rules[i].count > 0)
            .collect();
        order.sort_by_key(|&i| std::cmp::Reverse(s.rules[i].count));
        for i in order {
            let rc = &s.rules[i];
            let r = &self.scrubber.rules()[i];
            let (file, line) = rc.first.clone().unwrap_or_default();
            if self.json {
                let v = json!({
                    "rule": r.id, "class": r.class, "category": r.category.as_str(),
                    "findings": rc.count, "files": rc.files,
                    "first": { "file": file, "line": line },
                });
                serde_json::to_writer(&mut *w, &v).map_err(io::Error::from)?;
                w.write_all(b"\n")?;
            } else {
                writeln!(
                    w,
                    "{:<26} {:<10} {:>10} findings in {} file{}, first at {file}:{line}",
                    r.id,
                    r.category.as_str(),
                    rc.count,
                    rc.files,
                    if rc.files == 1 { "" } else { "s" }
                )?;
            }
        }
        Ok(())
    }
}
