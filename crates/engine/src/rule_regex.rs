//! A rule's regex, built at its first search.
//!
//! Building a `meta::Regex` (its NFA, the reverse NFA, the one-pass DFA) is most of what compiling the default
//! pack costs: about 100 M instructions for some 390 rules, where most rules never run on a given stream (the
//! prefilter only lets a rule run on a line that holds its keyword or its shape). So a rule's regex is checked when
//! the scrubber is built (parsed, which catches every syntax error and names the rule) and built the first time a
//! search needs it.
//!
//! Building can still fail after a successful parse (a pattern past the NFA size limit). The embedded default pack
//! is known to build (the test `every_builtin_regex_builds`), so only its rules are deferred; rules from the
//! user's files are built at once, so that a rule that cannot be built is reported when the scrubber is made,
//! never in the middle of a stream.

use std::sync::OnceLock;

use regex_automata::util::syntax;
use regex_automata::{meta, PatternID};
use regex_syntax::hir::{Hir, HirKind};

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
    /// The index of the capture group named `secret`, if the pattern has one.
    secret_group: Option<usize>,
    built: OnceLock<meta::Regex>,
}

impl RuleRegex {
    /// Checks `pattern`; builds it at once when `eager`, else at its first use.
    pub fn new(pattern: &str, eager: bool) -> Result<RuleRegex, String> {
        let built = OnceLock::new();
        let secret_group = if eager {
            let re = build(pattern)?;
            let g = re.group_info().to_index(PatternID::ZERO, "secret");
            let _ = built.set(re);
            g
        } else {
            secret_index(&check(pattern)?)
        };
        Ok(RuleRegex {
            pattern: pattern.to_string(),
            secret_group,
            built,
        })
    }

    /// The index of the capture group named `secret` (group 0 is the whole match).
    pub fn secret_group(&self) -> Option<usize> {
        self.secret_group
    }

    /// The built regex, building it on the first call.
    pub fn get(&self) -> &meta::Regex {
        self.built.get_or_init(|| {
            // Only embedded default-pack patterns are deferred, and a test builds every one of them.
            build(&self.pattern).unwrap_or_else(|e| {
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

/// The capture index of the group named `secret`: groups are numbered by their opening parenthesis, from 1, as
/// regex-automata numbers them for a single pattern.
fn secret_index(hir: &Hir) -> Option<usize> {
    match hir.kind() {
        HirKind::Capture(c) => {
            if c.name.as_deref() == Some("secret") {
                Some(c.index as usize)
            } else {
                secret_index(&c.sub)
            }
        }
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().find_map(secret_index),
        HirKind::Repetition(r) => secret_index(&r.sub),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => None,
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
            assert_eq!(lazy.secret_group(), eager.secret_group(), "{p}");
            assert!(
                lazy.built.get().is_none(),
                "a deferred regex is not built yet"
            );
            assert_eq!(
                lazy.find(b"zz token=abc 123 xyz").map(|m| m.range()),
                eager.find(b"zz token=abc 123 xyz").map(|m| m.range()),
                "{p}"
            );
        }
    }

    #[test]
    fn a_syntax_error_is_reported_at_once_either_way() {
        assert!(RuleRegex::new("(unclosed", false).is_err());
        assert!(RuleRegex::new("(unclosed", true).is_err());
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
