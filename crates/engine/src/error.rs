//! Errors the engine reports while loading rules and building a scrubber.
//!
//! Every error names where the problem is (file, rule id, field) and what to do. None of them ever carries a
//! value that was being scanned: only rule text and configuration written by the operator appear here.

use thiserror::Error;

/// One problem found while loading or compiling rules or a policy.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The rule file is not valid TOML or does not follow the schema.
    #[error("{file}: cannot parse rule file: {message} (see rules/README.md for the schema)")]
    Parse {
        /// The file that failed.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// A rule's regular expression does not compile.
    #[error("{file}: rule `{rule}`: invalid {what}: {message}")]
    Regex {
        /// The file holding the rule.
        file: String,
        /// The rule id.
        rule: String,
        /// Which pattern (`pattern`, `begin`, `end`).
        what: &'static str,
        /// The regex compiler's message.
        message: String,
    },
    /// A rule is structurally wrong (missing field, bad combination, too few examples, ...).
    #[error("{file}: rule `{rule}`: {message}")]
    Rule {
        /// The file holding the rule.
        file: String,
        /// The rule id.
        rule: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The same rule id appears twice in one layer of rules.
    #[error("{file}: rule `{rule}` is defined twice (first in {first}); rename one or remove it")]
    Duplicate {
        /// The file with the second definition.
        file: String,
        /// The rule id.
        rule: String,
        /// The file with the first definition.
        first: String,
    },
    /// The policy (user configuration) is wrong.
    #[error("policy: {0}")]
    Policy(String),
}

/// All the problems found in one load or build, reported together so that an operator can fix them in one go.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("{}", render(.0))]
pub struct Error(pub Vec<Problem>);

fn render(problems: &[Problem]) -> String {
    let mut s = String::new();
    for (i, p) in problems.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        s.push_str(&p.to_string());
    }
    s
}

impl Error {
    /// The individual problems.
    pub fn problems(&self) -> &[Problem] {
        &self.0
    }
}

impl From<Problem> for Error {
    fn from(p: Problem) -> Self {
        Error(vec![p])
    }
}
