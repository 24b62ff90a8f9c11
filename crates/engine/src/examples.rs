//! Running rules' own examples: every positive example must produce a finding of its rule, every negative example
//! must not. `logscrub rules check`, the test suite and custom rule loading all use this one implementation.

use crate::scrubber::{RuleRef, Scrubber};

/// Why an example failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExampleFailureKind {
    /// A positive example produced no finding of its rule.
    Missed,
    /// A negative example produced a finding of its rule.
    Flagged,
    /// Scrubbing the example's output again changed it (the rewrite is not idempotent).
    NotIdempotent,
}

/// One failing example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// The rule.
    pub rule: RuleRef,
    /// Index into the rule's `examples` or `negative_examples`.
    pub index: usize,
    /// What went wrong.
    pub kind: ExampleFailureKind,
}

impl ExampleFailure {
    /// One line saying which example of which rule failed and how to fix it. It names the example by its number
    /// and length, never by its text: an example may hold a real value pasted by mistake, and this line ends up on
    /// terminals and in CI logs.
    pub fn describe(&self, s: &Scrubber) -> String {
        let info = s.rule(self.rule);
        let (list, text) = match self.kind {
            ExampleFailureKind::Flagged => ("negative_examples", &info.negative_examples),
            _ => ("examples", &info.examples),
        };
        let len = text.get(self.index).map_or(0, String::len);
        let what = match self.kind {
            ExampleFailureKind::Missed => {
                "is not found by the rule (fix the pattern, validator or context)"
            }
            ExampleFailureKind::NotIdempotent => {
                "changes again when its output is scrubbed a second time (the rewrite must be idempotent)"
            }
            ExampleFailureKind::Flagged => "is flagged (tighten the pattern or add context)",
        };
        format!(
            "{}: rule `{}`: example {} in `{list}` ({len} bytes) {what}",
            info.file,
            info.id,
            self.index + 1
        )
    }
}

impl Scrubber {
    /// Runs the examples of one rule through the whole scrubber (so overlaps with other rules count).
    pub fn check_examples(&self, rule: RuleRef) -> Vec<ExampleFailure> {
        let info = self.rule(rule);
        let mut scratch = self.scratch();
        let mut failures = Vec::new();
        let mut findings = Vec::new();
        let mut out = Vec::new();
        let mut again = Vec::new();
        for (index, ex) in info.examples.iter().enumerate() {
            findings.clear();
            out.clear();
            self.scrub_line_findings(ex.as_bytes(), &mut out, &mut scratch, &mut findings);
            if !findings.iter().any(|f| f.rule == rule) {
                failures.push(ExampleFailure {
                    rule,
                    index,
                    kind: ExampleFailureKind::Missed,
                });
                continue;
            }
            again.clear();
            self.scrub_line(&out, &mut again, &mut scratch);
            if again != out {
                failures.push(ExampleFailure {
                    rule,
                    index,
                    kind: ExampleFailureKind::NotIdempotent,
                });
            }
        }
        for (index, ex) in info.negative_examples.iter().enumerate() {
            findings.clear();
            self.scan_line(ex.as_bytes(), &mut scratch, &mut findings);
            if findings.iter().any(|f| f.rule == rule) {
                failures.push(ExampleFailure {
                    rule,
                    index,
                    kind: ExampleFailureKind::Flagged,
                });
            }
        }
        failures
    }

    /// Runs every rule's examples.
    pub fn check_all_examples(&self) -> Vec<ExampleFailure> {
        (0..self.rules().len())
            .flat_map(|i| self.check_examples(RuleRef(i as u16)))
            .collect()
    }
}
