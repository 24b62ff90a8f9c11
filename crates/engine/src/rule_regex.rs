//! A rule's regex, built at its first search.
//!
//! Building a `meta::Regex` (its NFA, the reverse NFA, the one-pass DFA) is most of what compiling the default
//! pack costs: about 100 M instructions for some 260 rules, where most rules never run on a given stream (the
//! prefilter only lets a rule run on a line that holds its keyword or its shape), and even parsing them all costs
//! about 27 M. So the embedded default pack's regexes are neither parsed nor built when the scrubber is built, only
//! the first time a search needs them: the pack is known to parse and build (the test `every_builtin_regex_builds`).
//! Rules from the user's files are built at once, so that a rule that cannot be parsed or built is reported, with
//! its file and rule, when the scrubber is made, never in the middle of a stream.

use std::sync::OnceLock;

use regex_automata::util::syntax;
use regex_automata::{meta, PatternID};
use regex_syntax::hir::Hir;

/// The syntax every rule regex is written in: bytes, Unicode off, `^`/`$` at the ends of the (single-line) input.
fn syntax_config() -> syntax::Config {
    syntax::Config::new()
        .unicode(false)
        .utf8(false)
        .multi_line(false)
}

/// Builds a rule regex now. Errors are regex-automata's message, for the caller to name the file and rule.
pub(crate) fn build(pattern: &str) -> Result<meta::Regex, String> {
    meta::Regex::builder()
        .syntax(syntax_config())
        .configure(
            meta::Config::new()
                .utf8_empty(false)
                .auto_prefilter(false)
                .dfa(false),
        )
        .build(pattern)
        .map_err(|e| e.to_string())
}

/// Parses a pattern with the rule syntax, without building anything.
pub(crate) fn check(pattern: &str) -> Result<Hir, String> {
    syntax::parse_with(pattern, &syntax_config()).map_err(|e| e.to_string())
}

/// A rule regex, built now or at its first use. Dereferences to the built `meta::Regex`.
pub(crate) struct RuleRegex {
    pattern: String,
    built: OnceLock<Built>,
}

struct Built {
    re: meta::Regex,
    /// The index of the capture group named `secret`, if the pattern has one.
    secret_group: Option<usize>,
}

impl Built {
    fn new(pattern: &str) -> Result<Built, String> {
        let re = build(pattern)?;
        let secret_group = re.group_info().to_index(PatternID::ZERO, "secret");
        Ok(Built { re, secret_group })
    }
}

impl RuleRegex {
    /// Builds `pattern` at once when `eager` (errors are regex-automata's message), else at its first use: only
    /// for the embedded default pack, which a test parses and builds.
    pub fn new(pattern: &str, eager: bool) -> Result<RuleRegex, String> {
        let built = OnceLock::new();
        if eager {
            let _ = built.set(Built::new(pattern)?);
        }
        Ok(RuleRegex {
            pattern: pattern.to_string(),
            built,
        })
    }

    /// The index of the capture group named `secret` (group 0 is the whole match); builds the regex if needed.
    pub fn secret_group(&self) -> Option<usize> {
        self.built().secret_group
    }

    /// The built regex, building it on the first call.
    pub fn get(&self) -> &meta::Regex {
        &self.built().re
    }

    fn built(&self) -> &Built {
        self.built.get_or_init(|| {
            // Only embedded default-pack patterns are deferred, and a test builds every one of them.
            Built::new(&self.pattern).unwrap_or_else(|e| {
                panic!("a built-in rule regex failed to build ({e}); the test every_builtin_regex_builds must fail too")
            })
        })
    }
}

#[cfg(test)]
impl RuleRegex {
    pub fn is_built(&self) -> bool {
        self.built.get().is_some()
    }
}

impl std::ops::Deref for RuleRegex {
    type Target = meta::Regex;

    fn deref(&self) -> &meta::Regex {
        self.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deferred_and_eager_agree_on_the_secret_group() {
        for p in [
            r"(?:a|(b))(?P<secret>\d+)",
            r"(?i)token=(?P<secret>[a-z]+)",
            r"\d{3}",
            r"(x)(y)(?:(?P<secret>z)|w)",
        ] {
            let lazy = RuleRegex::new(p, false).unwrap();
            let eager = RuleRegex::new(p, true).unwrap();
            assert!(
                lazy.built.get().is_none(),
                "a deferred regex is not built yet"
            );
            assert!(eager.built.get().is_some(), "an eager regex is built");
            assert_eq!(lazy.secret_group(), eager.secret_group(), "{p}");
            assert_eq!(
                lazy.find(b"zz token=abc 123 xyz").map(|m| m.range()),
                eager.find(b"zz token=abc 123 xyz").map(|m| m.range()),
                "{p}"
            );
        }
    }

    #[test]
    fn a_syntax_error_of_an_eager_regex_is_reported_at_once() {
        assert!(RuleRegex::new("(unclosed", true).is_err());
        assert!(
            RuleRegex::new("(unclosed", false).is_ok(),
            "deferred: only for the tested built-in pack"
        );
    }

    #[test]
    fn every_builtin_regex_builds() {
        let set = crate::RuleSet::default_pack().unwrap();
        let mut n = 0;
        for r in set.rules() {
            let r = &r.rule;
            for p in [&r.pattern, &r.begin, &r.end, &r.prefilter]
                .into_iter()
                .flatten()
            {
                build(p).unwrap_or_else(|e| panic!("rule {}: {e}", r.id));
                n += 1;
            }
        }
        assert!(n > 250, "only {n} patterns in the default pack");
    }
}
