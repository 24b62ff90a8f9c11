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
    /// An `expected` example's output differs from the one the rule states.
    WrongOutput,
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
        let (list, len) = match self.kind {
            ExampleFailureKind::Flagged => (
                "negative_examples",
                info.negative_examples
                    .get(self.index)
                    .map_or(0, String::len),
            ),
            ExampleFailureKind::WrongOutput => (
                "expected",
                info.expected.get(self.index).map_or(0, |e| e.input.len()),
            ),
            _ => (
                "examples",
                info.examples.get(self.index).map_or(0, String::len),
            ),
        };
        let what = match self.kind {
            ExampleFailureKind::Missed => {
                "is not found by the rule (fix the pattern, validator or context)"
            }
            ExampleFailureKind::NotIdempotent => {
                "changes again when its output is scrubbed a second time (the rewrite must be idempotent)"
            }
            ExampleFailureKind::Flagged => "is flagged (tighten the pattern or add context)",
            ExampleFailureKind::WrongOutput => {
                "gives another output than the one stated (fix the rule, or the stated output)"
            }
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
    /// Scrubs `text` (one or several lines) through a line stream, as the CLI and the daemon do, so that
    /// multi-line examples (a key logged one line per record) are checked the way they are met.
    fn run_example(&self, text: &[u8]) -> (Vec<u8>, Vec<crate::LineFinding>) {
        let mut st = self.stream().collect_findings(true);
        let mut out = Vec::new();
        st.push(text, &mut out);
        st.finish(&mut out);
        (out, st.take_findings())
    }

    /// Runs the examples of one rule through the whole scrubber (so overlaps with other rules count), on this
    /// scrubber's backend: every positive example must produce a finding of the rule and scrub the same twice,
    /// every negative must produce none of it, every `expected` example must give exactly its output.
    pub fn check_examples(&self, rule: RuleRef) -> Vec<ExampleFailure> {
        let info = self.rule(rule);
        let mut failures = Vec::new();
        let fail = |index, kind, failures: &mut Vec<ExampleFailure>| {
            failures.push(ExampleFailure { rule, index, kind });
        };
        for (index, ex) in info.examples.iter().enumerate() {
            let (out, findings) = self.run_example(ex.as_bytes());
            if !findings.iter().any(|f| f.finding.rule == rule) {
                fail(index, ExampleFailureKind::Missed, &mut failures);
                continue;
            }
            if self.run_example(&out).0 != out {
                fail(index, ExampleFailureKind::NotIdempotent, &mut failures);
            }
        }
        for (index, ex) in info.negative_examples.iter().enumerate() {
            let (_, findings) = self.run_example(ex.as_bytes());
            if findings.iter().any(|f| f.finding.rule == rule) {
                fail(index, ExampleFailureKind::Flagged, &mut failures);
            }
        }
        for (index, ex) in info.expected.iter().enumerate() {
            let (out, _) = self.run_example(ex.input.as_bytes());
            if out != ex.output.as_bytes() {
                fail(index, ExampleFailureKind::WrongOutput, &mut failures);
            } else if self.run_example(&out).0 != out {
                fail(index, ExampleFailureKind::NotIdempotent, &mut failures);
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
