//! Compiling a [`RuleSet`] and a [`PolicyConfig`] into an immutable [`Scrubber`].
//!
//! Compilation checks everything once and reports every problem together (file, rule id, what to fix). The
//! result holds the prefilter (one multi-pattern automaton over every rule's keywords and the patterns of the
//! keyword-less rules, see [`crate::prefilter`]), one regex per pattern rule, and the per-rule action. It is `Send + Sync`; per-search scratch lives in [`crate::Scratch`].

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use aho_corasick::AhoCorasick;

use crate::error::{Error, Problem};
use crate::fields::normalize_key;
use crate::policy::{Action, Key, PolicyConfig};
use crate::prefilter::{
    keyword_pattern, Backend, KeywordUse, Meaning, Prefilter, PrefilterPattern,
};
use crate::rule_regex::{self, RuleRegex};
use crate::rules::{
    Category, FieldMatch, RuleConfig, RuleKind, RuleSet, ValidatorName, ValueShape,
};
use crate::scrubber::{Inner, Scrubber};

/// What a user-facing listing needs to know about a compiled rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    /// The rule id.
    pub id: String,
    /// The placeholder class.
    pub class: String,
    /// The category.
    pub category: Category,
    /// One-sentence description.
    pub description: String,
    /// The format's source of truth (provider documentation or national specification).
    pub source: String,
    /// The provider whose credential this is, if any.
    pub provider: Option<String>,
    /// ISO 3166-1 alpha-2 codes of the countries whose identifier this is.
    pub countries: Vec<String>,
    /// Where the rule came from.
    pub file: String,
    /// Positive examples (for `rules check`).
    pub examples: Vec<String>,
    /// Negative examples (for `rules check`).
    pub negative_examples: Vec<String>,
    /// Examples with their exact expected output (for `rules check`).
    pub expected: Vec<crate::rules::ExpectedExample>,
    /// The action the policy gives this rule.
    pub action: Action,
}

pub(crate) struct ContextMatcher {
    pub ac: AhoCorasick,
    pub words: Vec<String>,
    pub window: usize,
    pub required: bool,
}

pub(crate) struct CompiledRule {
    pub kind: RuleKind,
    pub regex: Option<RuleRegex>,
    pub end_regex: Option<RuleRegex>,
    pub validator: Option<ValidatorName>,
    pub context: Option<ContextMatcher>,
    pub fields: Vec<String>,
    pub field_match: FieldMatch,
    pub value_shape: ValueShape,
    pub min_len: usize,
    pub exclude_fields: Vec<String>,
    pub freeform: bool,
    pub priority: u8,
    pub needs_fields: bool,
    /// Set when the rule's own regex is its prefilter pattern (no keywords, no `prefilter`) and its matches have a
    /// bounded length: the longest match in bytes. The prefilter then reports the end of every match, so a search
    /// for the next match can start `reach` bytes before the next reported end and stop at the last one.
    pub reach: Option<usize>,
}

/// Builds a [`Scrubber`] from rules, a policy and an optional key.
#[derive(Debug, Clone, Default)]
pub struct ScrubberBuilder {
    rules: Option<RuleSet>,
    policy: PolicyConfig,
    key: Option<Key>,
    backend: Backend,
}

fn ci_automaton(words: &[String]) -> Result<AhoCorasick, String> {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        // Context windows are a few dozen bytes: the contiguous NFA is as fast there and builds in a tenth of the
        // time of a DFA (about 30 M instructions less at start-up for the default pack).
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(words)
        .map_err(|e| e.to_string())
}

impl ScrubberBuilder {
    /// Uses these rules instead of the default pack.
    pub fn rules(mut self, rules: RuleSet) -> Self {
        self.rules = Some(rules);
        self
    }

    /// Uses this policy (default: every rule on, `redact`).
    pub fn policy(mut self, policy: PolicyConfig) -> Self {
        self.policy = policy;
        self
    }

    /// The key for pseudonyms and finding hashes. Without one, finding hashes use a random per-process key and
    /// the pseudonym action is refused.
    pub fn key(mut self, key: Key) -> Self {
        self.key = Some(key);
        self
    }

    /// Runs the prefilter on this backend (default [`Backend::Rust`]; see [`Backend::compiled`]).
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// Compiles everything, reporting every problem at once.
    pub fn build(self) -> Result<Scrubber, Error> {
        let set = match self.rules {
            Some(s) => s,
            None => RuleSet::default_pack()?,
        };
        let mut problems = Vec::new();
        let policy = self.policy;

        // Policy references must name real rules.
        for id in policy
            .rules
            .disable
            .iter()
            .chain(policy.actions.rules.keys())
        {
            if set.get(id).is_none() {
                problems.push(Problem::Policy(format!(
                    "unknown rule id `{id}` (see `logscrub rules list`)"
                )));
            }
        }
        if policy.needs_key() && self.key.is_none() {
            problems.push(Problem::Policy(
                "the pseudonym action needs a key: set [pseudonym] key_file or key_env (refusing to start without one)"
                    .to_string(),
            ));
        }
        if policy.limits.max_line_bytes < 1024 {
            problems.push(Problem::Policy(format!(
                "limits.max_line_bytes = {} is too small; use at least 1024",
                policy.limits.max_line_bytes
            )));
        }
        for a in policy
            .actions
            .rules
            .values()
            .chain(policy.actions.categories.values())
            .chain(std::iter::once(&policy.actions.default))
        {
            if let Action::Mask { keep_last } = a {
                if *keep_last > MAX_KEEP_LAST {
                    problems.push(Problem::Policy(format!(
                        "mask keep_last = {keep_last} would leave too much of a value readable; use at most \
                         {MAX_KEEP_LAST} (at most half of a value's characters stay readable in any case)"
                    )));
                }
            }
            if let Action::Pseudonym { length } = a {
                if !(8..=64).contains(length) {
                    problems.push(Problem::Policy(format!(
                        "pseudonym length {length} must be between 8 and 64"
                    )));
                }
            }
        }

        let disabled_ids: BTreeSet<&str> =
            policy.rules.disable.iter().map(String::as_str).collect();
        let disabled_cats: BTreeSet<Category> =
            policy.rules.disable_categories.iter().copied().collect();

        let mut compiled = Vec::new();
        let mut infos = Vec::new();
        // Prefilter patterns: one per distinct keyword (shared by the rules naming it), one per keyword-less rule.
        let mut prefilter_patterns: Vec<PrefilterPattern> = Vec::new();
        let mut keyword_index: BTreeMap<String, usize> = BTreeMap::new();
        let mut add_keyword =
            |word: &str, rule: u16, usage: KeywordUse, pats: &mut Vec<PrefilterPattern>| {
                let w = word.to_ascii_lowercase();
                let i = *keyword_index.entry(w.clone()).or_insert_with(|| {
                    pats.push(PrefilterPattern {
                        regex: keyword_pattern(&w),
                        literal: Some(w.clone()),
                        meaning: Meaning::Keyword {
                            rules: Vec::new(),
                            len: w.len(),
                        },
                    });
                    pats.len() - 1
                });
                if let Meaning::Keyword { rules, .. } = &mut pats[i].meaning {
                    if !rules.contains(&(rule, usage)) {
                        rules.push((rule, usage));
                    }
                }
            };

        for sourced in set.rules() {
            let r = &sourced.rule;
            if disabled_ids.contains(r.id.as_str()) || disabled_cats.contains(&r.category) {
                continue;
            }
            let idx = compiled.len() as u16;
            // The embedded pack's regexes are built at their first search (a test builds every one of them);
            // the user's own rules at once, so that any problem is reported now.
            let eager = !sourced.file.starts_with("builtin:");
            match compile_rule(&sourced.file, r, eager) {
                Ok(mut c) => {
                    // Prefilter keywords, each with whether it only counts as a field key (followed by `=` or
                    // `:`): field names such as `name` or `key` occur everywhere as parts of words. Explicit
                    // keywords first; else the context keywords and field names of rules that cannot fire without
                    // them; else the rule's own pattern (or its `prefilter` pattern).
                    let key_end = |field: bool| {
                        if field {
                            KeywordUse::KeyEnd
                        } else {
                            KeywordUse::Anywhere
                        }
                    };
                    let mut keywords: Vec<(String, KeywordUse)> = r
                        .keywords
                        .iter()
                        .map(|k| (k.clone(), key_end(r.kind == RuleKind::Field)))
                        .collect();
                    if r.kind == RuleKind::Field && keywords.is_empty() {
                        keywords.extend(
                            r.fields
                                .iter()
                                .flat_map(|f| key_spellings(f))
                                .map(|f| (f, KeywordUse::KeyEnd)),
                        );
                    }
                    let context_required = r.context.as_ref().is_some_and(|c| c.required);
                    if keywords.is_empty() && context_required {
                        if let Some(ctx) = &r.context {
                            keywords.extend(
                                ctx.keywords
                                    .iter()
                                    .map(|k| (k.clone(), KeywordUse::Anywhere)),
                            );
                        }
                        keywords.extend(
                            r.fields
                                .iter()
                                .flat_map(|f| key_spellings(f))
                                .map(|f| (f, KeywordUse::KeyEnd)),
                        );
                        // A free-form field lets the rule fire only when it is the whole key.
                        if r.freeform {
                            keywords.extend(
                                set.freeform_fields()
                                    .iter()
                                    .map(|f| (f.clone(), KeywordUse::WholeKey)),
                            );
                        }
                    }
                    if r.kind == RuleKind::Block && keywords.is_empty() {
                        keywords.push(("-----BEGIN".to_string(), KeywordUse::Anywhere));
                    }
                    if keywords.is_empty() {
                        match r.prefilter.as_ref().or(r.pattern.as_ref()) {
                            Some(p) if r.kind == RuleKind::Pattern => {
                                if let Some(pf) = &r.prefilter {
                                    if let Err(message) = rule_regex::check(pf) {
                                        problems.push(Problem::Regex {
                                            file: sourced.file.clone(),
                                            rule: r.id.clone(),
                                            what: "prefilter",
                                            message,
                                        });
                                        continue;
                                    }
                                }
                                prefilter_patterns.push(PrefilterPattern {
                                    regex: p.clone(),
                                    literal: None,
                                    meaning: Meaning::Rule(idx),
                                });
                                if r.prefilter.is_none() {
                                    c.reach = rule_regex::check(p).ok().and_then(|hir| {
                                        let props = hir.properties();
                                        props
                                            .maximum_len()
                                            .filter(|_| props.minimum_len() >= Some(1))
                                    });
                                }
                            }
                            _ => {
                                problems.push(Problem::Rule {
                                    file: sourced.file.clone(),
                                    rule: r.id.clone(),
                                    message: "no prefilter: give `keywords`, a `pattern`, or required `context` keywords"
                                        .to_string(),
                                });
                                continue;
                            }
                        }
                    } else if r.prefilter.is_some() {
                        problems.push(Problem::Rule {
                            file: sourced.file.clone(),
                            rule: r.id.clone(),
                            message: "`prefilter` is only used by rules without keywords: remove it or the keywords"
                                .to_string(),
                        });
                        continue;
                    }
                    for (w, usage) in &keywords {
                        add_keyword(w, idx, *usage, &mut prefilter_patterns);
                    }
                    let action = policy
                        .actions
                        .rules
                        .get(&r.id)
                        .or_else(|| policy.actions.categories.get(&r.category))
                        .unwrap_or(&policy.actions.default)
                        .clone();
                    infos.push(RuleInfo {
                        id: r.id.clone(),
                        class: r.class.clone(),
                        category: r.category,
                        description: r.description.clone(),
                        source: r.source.clone(),
                        provider: r.provider.clone(),
                        countries: r.countries.clone(),
                        file: sourced.file.clone(),
                        examples: r.examples.clone(),
                        negative_examples: r.negative_examples.clone(),
                        expected: r.expected.clone(),
                        action,
                    });
                    compiled.push(c);
                }
                Err(mut p) => problems.append(&mut p),
            }
        }
        if compiled.len() > u16::MAX as usize {
            problems.push(Problem::Policy(
                "too many rules (at most 65535)".to_string(),
            ));
        }
        let prefilter = if problems.is_empty() {
            match Prefilter::new(prefilter_patterns, self.backend) {
                Ok(p) => Some(p),
                Err(e) => {
                    problems.push(Problem::Policy(format!(
                        "cannot build the {} prefilter: {e}",
                        self.backend
                    )));
                    None
                }
            }
        } else {
            None
        };
        if !problems.is_empty() {
            return Err(Error(problems));
        }
        let key = self.key.unwrap_or_else(random_key);
        let freeform: Vec<String> = set
            .freeform_fields()
            .iter()
            .map(|f| normalize_key(f.as_bytes()))
            .collect();
        let keys = KeyIndex::new(&compiled, &freeform);
        let classes = crate::placeholder::KnownClasses::new(infos.iter().map(|i| i.class.clone()));
        let inner = Inner {
            classes,
            rules: compiled,
            infos,
            prefilter: prefilter.expect("built when there are no problems"),
            freeform,
            keys,
            key,
            limits: policy.limits.clone(),
            escape: memchr::memmem::Finder::new(b"\\u00").into_owned(),
        };
        Ok(Scrubber {
            inner: Arc::new(inner),
        })
    }
}

/// Which rules a structured field's key alone makes run (`scrub_field`): exact names in a map, suffix names in
/// a short list, and the free-form rules when the key is a free-form field. Built once, so a `tracing` field costs
/// a hash lookup rather than a walk over every rule's field list.
#[derive(Debug, Default)]
pub(crate) struct KeyIndex {
    exact: std::collections::HashMap<String, Vec<u16>>,
    suffix: Vec<(String, u16, Vec<String>)>,
    freeform_keys: std::collections::HashSet<String>,
    freeform_rules: Vec<u16>,
}

impl KeyIndex {
    fn new(rules: &[CompiledRule], freeform: &[String]) -> Self {
        let mut k = KeyIndex {
            freeform_keys: freeform.iter().cloned().collect(),
            ..KeyIndex::default()
        };
        for (i, r) in rules.iter().enumerate() {
            let i = i as u16;
            for f in &r.fields {
                match r.field_match {
                    FieldMatch::Exact => k.exact.entry(f.clone()).or_default().push(i),
                    FieldMatch::Suffix => k.suffix.push((f.clone(), i, r.exclude_fields.clone())),
                }
            }
            if r.freeform {
                k.freeform_rules.push(i);
            }
        }
        k
    }

    /// The rules that a field named `key` (normalized) triggers.
    pub(crate) fn rules_for<'a>(&'a self, key: &'a str) -> impl Iterator<Item = u16> + 'a {
        let exact = self.exact.get(key).into_iter().flatten().copied();
        let suffix = self
            .suffix
            .iter()
            .filter(move |(f, _, x)| {
                key.ends_with(f.as_str()) && !x.iter().any(|x| key.contains(x.as_str()))
            })
            .map(|&(_, r, _)| r);
        let free = self
            .freeform_keys
            .contains(key)
            .then_some(self.freeform_rules.iter().copied())
            .into_iter()
            .flatten();
        exact.chain(suffix).chain(free)
    }
}

/// How a field name written with `_` in a rule file (`account_number`) is spelled in logs: `account_number`,
/// `accountNumber` (the prefilter is ASCII case-insensitive), `account-number`, `account.number`. The prefilter
/// needs the literal; matching compares normalized keys, where all of these are equal.
fn key_spellings(f: &str) -> Vec<String> {
    if !f.contains('_') {
        return vec![f.to_string()];
    }
    ["_", "", "-", "."]
        .iter()
        .map(|sep| f.replace('_', sep))
        .collect()
}

/// A per-process random key for finding hashes when the operator gave none: hashes still correlate within a run
/// but cannot be looked up in a dictionary built elsewhere.
fn random_key() -> Key {
    use std::hash::{BuildHasher, Hasher};
    let mut bytes = Vec::with_capacity(32);
    for i in 0..4u64 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i);
        bytes.extend_from_slice(&h.finish().to_le_bytes());
    }
    Key {
        id: "run".to_string(),
        bytes,
    }
}

/// The most trailing characters `mask` may leave readable: the last four, as PCI DSS allows for card numbers.
const MAX_KEEP_LAST: usize = 4;

fn kind_name(k: RuleKind) -> &'static str {
    match k {
        RuleKind::Pattern => "pattern",
        RuleKind::Field => "field",
        RuleKind::Block => "block",
    }
}

/// The fields a rule file sets that its kind does not use: rules are tagged by kind, and a field that would be
/// silently ignored is a mistake the author should hear about.
fn inapplicable_fields(r: &RuleConfig) -> Vec<&'static str> {
    let mut v = Vec::new();
    let mut check = |set: bool, name: &'static str| {
        if set {
            v.push(name);
        }
    };
    let pattern = r.pattern.is_some();
    match r.kind {
        RuleKind::Pattern => {
            check(r.begin.is_some(), "begin");
            check(r.end.is_some(), "end");
            check(r.value != ValueShape::Token, "value");
            check(r.min_len > 0, "min_len");
        }
        RuleKind::Field => {
            check(pattern, "pattern");
            check(r.begin.is_some(), "begin");
            check(r.end.is_some(), "end");
            check(r.prefilter.is_some(), "prefilter");
        }
        RuleKind::Block => {
            check(pattern, "pattern");
            check(!r.fields.is_empty(), "fields");
            check(r.value != ValueShape::Token, "value");
            check(r.min_len > 0, "min_len");
            check(r.validator.is_some(), "validator");
            check(r.context.is_some(), "context");
            check(r.prefilter.is_some(), "prefilter");
            check(r.field_match != FieldMatch::Exact, "field_match");
            check(r.freeform, "freeform");
        }
    }
    v
}

fn compile_rule(file: &str, r: &RuleConfig, eager: bool) -> Result<CompiledRule, Vec<Problem>> {
    let mut problems = Vec::new();
    let rule_problem = |message: String| Problem::Rule {
        file: file.to_string(),
        rule: r.id.clone(),
        message,
    };
    if r.id.is_empty()
        || !r
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        problems.push(rule_problem(
            "id must be non-empty snake_case (a-z, 0-9, _)".to_string(),
        ));
    }
    if r.class.is_empty()
        || !r
            .class
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        problems.push(rule_problem(
            "class must be non-empty snake_case (a-z, 0-9, _): it is written into placeholders"
                .to_string(),
        ));
    }
    if r.examples.is_empty() {
        problems.push(rule_problem(
            "missing examples: add at least one line in `examples` that the rule must find"
                .to_string(),
        ));
    }
    if r.negative_examples.is_empty() {
        problems.push(rule_problem(
            "missing negative_examples: add at least one line the rule must leave alone"
                .to_string(),
        ));
    }
    for field in inapplicable_fields(r) {
        problems.push(rule_problem(format!(
            "`{field}` does not apply to a rule of kind `{}`: remove it, or change `kind` (see rules/README.md)",
            kind_name(r.kind)
        )));
    }
    let mut regex = None;
    let mut end_regex = None;
    match r.kind {
        RuleKind::Pattern => match &r.pattern {
            None => problems.push(rule_problem("kind `pattern` needs `pattern`".to_string())),
            Some(p) => match RuleRegex::new(p, eager) {
                Ok(re) => regex = Some(re),
                Err(message) => problems.push(Problem::Regex {
                    file: file.to_string(),
                    rule: r.id.clone(),
                    what: "pattern",
                    message,
                }),
            },
        },
        RuleKind::Field => {
            if r.fields.is_empty() {
                problems.push(rule_problem("kind `field` needs `fields`".to_string()));
            }
        }
        RuleKind::Block => {
            for (what, p, slot) in [
                ("begin", &r.begin, &mut regex),
                ("end", &r.end, &mut end_regex),
            ] {
                match p {
                    None => problems.push(rule_problem(format!("kind `block` needs `{what}`"))),
                    Some(p) => match RuleRegex::new(p, eager) {
                        Ok(re) => *slot = Some(re),
                        Err(message) => problems.push(Problem::Regex {
                            file: file.to_string(),
                            rule: r.id.clone(),
                            what,
                            message,
                        }),
                    },
                }
            }
        }
    }
    let context = match &r.context {
        None => None,
        Some(c) => {
            if c.keywords.is_empty() && c.required && r.fields.is_empty() && !r.freeform {
                problems.push(rule_problem(
                    "context.required needs context.keywords or fields".to_string(),
                ));
            }
            match ci_automaton(&c.keywords) {
                Ok(ac) => Some(ContextMatcher {
                    ac,
                    words: c
                        .keywords
                        .iter()
                        .map(|k| normalize_key(k.as_bytes()))
                        .filter(|k| !k.is_empty())
                        .collect(),
                    window: c.window,
                    required: c.required,
                }),
                Err(e) => {
                    problems.push(rule_problem(format!("context keywords: {e}")));
                    None
                }
            }
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let needs_fields = r.kind == RuleKind::Field
        || r.freeform
        || !r.exclude_fields.is_empty()
        || !r.fields.is_empty()
        || context.as_ref().is_some_and(|c| c.required);
    Ok(CompiledRule {
        kind: r.kind,
        regex,
        end_regex,
        validator: r.validator,
        context,
        fields: r
            .fields
            .iter()
            .map(|f| normalize_key(f.as_bytes()))
            .collect(),
        field_match: r.field_match,
        value_shape: r.value,
        min_len: r.min_len,
        exclude_fields: r
            .exclude_fields
            .iter()
            .map(|f| normalize_key(f.as_bytes()))
            .collect(),
        freeform: r.freeform,
        priority: r.priority,
        needs_fields,
        reach: None,
    })
}

impl CompiledRule {
    /// Does `key` (normalized) name one of this rule's fields?
    ///
    /// A suffix rule takes compound keys (`cardholder_name`, `customer.name`, `X-Phone-Number` all end with a
    /// listed word); its `exclude_fields` remove the compounds that name something else (`hostname`, `filename`).
    pub fn field_matches(&self, key: &str) -> bool {
        self.fields.iter().any(|f| match self.field_match {
            FieldMatch::Exact => key == f,
            FieldMatch::Suffix => key.ends_with(f.as_str()),
        }) && !self.exclude_fields.iter().any(|x| key.contains(x.as_str()))
    }
}
