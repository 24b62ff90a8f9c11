//! The prefilter: one pass over a whole block of lines that says which rules may match on which line.
//!
//! Every rule's cheapest necessary condition goes into one multi-pattern automaton: its keywords (ASCII
//! case-insensitive literals) or, for a rule without keywords, its own pattern (or its `prefilter` pattern). The
//! automaton runs once over a block of complete lines (the CLI hands the engine ~1 MiB at a time) and reports
//! `(pattern, end offset)` for every match of every pattern, overlapping. A line without a report is copied as it
//! is; a line with reports runs only the rules reported on it. That replaces a per-line keyword pass and a
//! per-line byte pass, whose fixed cost per line dominated the old design.
//!
//! Patterns never match across a line break (`\s` and negated classes that could match `\n` only make the
//! prefilter report more, never less), and `^`/`$` are compiled in multi-line CRLF mode, so a match inside one
//! line is a match inside the block: the prefilter can report too much (the rule's regex then decides) but never
//! too little.
//!
//! Two backends implement it: pure Rust (the default: keywords in [`KeywordSearch`], an anchored three-byte-code
//! searcher whose anchors are retuned to the stream once a large block has been seen; the other patterns in
//! regex-automata's lazy DFA) and, with the cargo feature `vectorscan`, Vectorscan. Both feed the same
//! confirmation stage, so they give the same findings.

use std::sync::{Mutex, OnceLock};

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind};

use crate::keywords::{CodeCounts, KeywordSearch};

/// Which engine runs the prefilter. Both give the same findings; they differ in speed and in how they are built.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Backend {
    /// regex-automata's lazy DFA: pure Rust, always compiled in.
    #[default]
    Rust,
    /// Vectorscan (a Hyperscan fork), compiled in with the cargo feature `vectorscan`.
    Vectorscan,
}

impl Backend {
    /// Every backend compiled into this build, the default first.
    pub fn compiled() -> &'static [Backend] {
        #[cfg(feature = "vectorscan")]
        {
            &[Backend::Rust, Backend::Vectorscan]
        }
        #[cfg(not(feature = "vectorscan"))]
        {
            &[Backend::Rust]
        }
    }

    /// The name used on command lines and in reports (`rust`, `vectorscan`).
    pub fn name(self) -> &'static str {
        match self {
            Backend::Rust => "rust",
            Backend::Vectorscan => "vectorscan",
        }
    }
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a keyword counts for a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeywordUse {
    /// Anywhere in the line.
    Anywhere,
    /// Only at the end of a field key (followed by `=` or `:`): field names such as `name` or `key` occur
    /// everywhere as parts of words.
    KeyEnd,
    /// Only as a whole field key: at a key's end, and not right after a letter or digit. For a free-form field
    /// name, which lets a rule fire only in a field whose whole (normalized) key is that name: `name` ends the key
    /// `logname=` of every PAM line, where no free-form rule can fire.
    WholeKey,
}

/// What a prefilter pattern stands for.
#[derive(Debug, Clone)]
pub(crate) enum Meaning {
    /// A keyword of `len` bytes shared by these rules, each with where it counts.
    Keyword {
        rules: Vec<(u16, KeywordUse)>,
        len: usize,
    },
    /// The pattern of this rule.
    Rule(u16),
}

/// One prefilter pattern before compilation.
#[derive(Debug, Clone)]
pub(crate) struct PrefilterPattern {
    /// regex-automata syntax (bytes, Unicode off).
    pub regex: String,
    /// For a keyword: the literal itself (ASCII case-insensitive), so the pure Rust backend can run every keyword
    /// in one [`KeywordSearch`] instead of the regex DFA.
    pub literal: Option<String>,
    pub meaning: Meaning,
}

/// A compiled prefilter. `Send + Sync`; per-thread state lives in [`PrefilterCache`].
pub(crate) struct Prefilter {
    engine: Engine,
    pub meanings: Vec<Meaning>,
}

enum Engine {
    /// Keywords in a [`KeywordSearch`], the other patterns in a lazy DFA (boxed: several hundred bytes), each
    /// with the global index of its patterns. Hundreds of case-insensitive literals in one lazy DFA beside the
    /// regexes make it build states at run time on real text.
    Rust {
        keywords: Option<Keywords>,
        regexes: Option<(Box<DFA>, Vec<u32>)>,
    },
    #[cfg(feature = "vectorscan")]
    Vectorscan(crate::vectorscan::VectorscanPrefilter),
}

/// The keywords' searchers, with the global index of each keyword's pattern.
///
/// Both searchers report the same matches; they differ in where they look. The first picks each keyword's anchor
/// from a fixed estimate of byte frequencies. The first `tune_after` bytes scanned (by any thread) are counted,
/// and then a second searcher whose anchors are the codes rarest in them is built once and used from then on by
/// every thread: on the corpus it compares 40% fewer places.
struct Keywords {
    plain: KeywordSearch,
    tuned: OnceLock<KeywordSearch>,
    /// The counts so far; `None` once the tuned searcher is built. A thread that finds it locked does not wait.
    sample: Mutex<Option<Box<CodeCounts>>>,
    words: Vec<Vec<u8>>,
    ids: Vec<u32>,
    tune_after: usize,
}

/// Bytes to count before the anchors are tuned (see [`Keywords`]).
const TUNE_AFTER: usize = 1 << 20;

impl Keywords {
    fn new(words: Vec<Vec<u8>>, ids: Vec<u32>, tune_after: usize) -> Keywords {
        Keywords {
            plain: KeywordSearch::new(&words),
            tuned: OnceLock::new(),
            sample: Mutex::new(Some(Box::default())),
            words,
            ids,
            tune_after,
        }
    }

    /// The searcher for a scan of `haystack`, counting it towards the tuned one while that is not built.
    fn searcher(&self, haystack: &[u8]) -> &KeywordSearch {
        if let Some(t) = self.tuned.get() {
            return t;
        }
        let Ok(mut sample) = self.sample.try_lock() else {
            return &self.plain;
        };
        let Some(counts) = sample.as_mut() else {
            return self.tuned.get().unwrap_or(&self.plain);
        };
        counts.count(&haystack[..haystack.len().min(self.tune_after)]);
        if counts.bytes < self.tune_after {
            return &self.plain;
        }
        let tuned = self
            .tuned
            .get_or_init(|| KeywordSearch::tuned_on(&self.words, counts));
        *sample = None;
        tuned
    }
}

/// Per-thread state of a [`Prefilter`] and its last result.
pub(crate) struct PrefilterCache {
    rust: Option<Cache>,
    /// The regex DFA's hits, merged into `hits` by end offset.
    regex_hits: Vec<(u32, u32)>,
    /// Room for that merge.
    merged: Vec<(u32, u32)>,
    #[cfg(feature = "vectorscan")]
    vectorscan: Option<crate::vectorscan::VectorscanScratch>,
    /// `(pattern, end offset)` of the last scan, in line order (see [`Prefilter::scan`]).
    pub hits: Vec<(u32, u32)>,
}

/// The prefilter could not finish (the lazy DFA gave up, or Vectorscan failed). The caller fails closed: every
/// rule runs on every line of the block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Incomplete;

/// Escapes a keyword into a case-insensitive literal pattern.
pub(crate) fn keyword_pattern(word: &str) -> String {
    format!("(?i:{})", regex_syntax::escape(word))
}

impl Prefilter {
    /// Compiles `patterns` for `backend`. Errors name the pattern that failed.
    pub fn new(patterns: Vec<PrefilterPattern>, backend: Backend) -> Result<Prefilter, String> {
        let engine =
            match backend {
                Backend::Rust => rust_engine(&patterns, TUNE_AFTER)?,
                #[cfg(feature = "vectorscan")]
                Backend::Vectorscan => {
                    let owned: Vec<String> = patterns.iter().map(|p| p.regex.clone()).collect();
                    Engine::Vectorscan(crate::vectorscan::VectorscanPrefilter::new(&owned)?)
                }
                #[cfg(not(feature = "vectorscan"))]
                Backend::Vectorscan => return Err(
                    "this build has no Vectorscan backend: rebuild with `--features vectorscan`"
                        .to_string(),
                ),
            };
        Ok(Prefilter {
            engine,
            meanings: patterns.into_iter().map(|p| p.meaning).collect(),
        })
    }

    /// Which backend this prefilter runs on.
    pub fn backend(&self) -> Backend {
        match self.engine {
            Engine::Rust { .. } => Backend::Rust,
            #[cfg(feature = "vectorscan")]
            Engine::Vectorscan(_) => Backend::Vectorscan,
        }
    }

    /// Fresh per-thread state.
    pub fn cache(&self) -> PrefilterCache {
        PrefilterCache {
            rust: match &self.engine {
                Engine::Rust {
                    regexes: Some((dfa, _)),
                    ..
                } => Some(dfa.create_cache()),
                _ => None,
            },
            regex_hits: Vec::new(),
            merged: Vec::new(),
            #[cfg(feature = "vectorscan")]
            vectorscan: match &self.engine {
                Engine::Vectorscan(vs) => vs.scratch().ok(),
                Engine::Rust { .. } => None,
            },
            hits: Vec::new(),
        }
    }

    /// Scans `haystack` (one or more complete lines, joined by `\n`) into `cache.hits`, in line order: the hits
    /// whose end lies in one line come after those of the lines before it, in no particular order within the line
    /// (callers take a line's hits as a run, never rely on their order inside it).
    pub fn scan(&self, haystack: &[u8], cache: &mut PrefilterCache) -> Result<(), Incomplete> {
        cache.hits.clear();
        if haystack.len() > u32::MAX as usize {
            return Err(Incomplete);
        }
        match &self.engine {
            Engine::Rust { keywords, regexes } => {
                if let Some(kw) = keywords {
                    let searcher = kw.searcher(haystack);
                    searcher.find_all(haystack, &mut cache.hits);
                    for h in cache.hits.iter_mut() {
                        h.0 = kw.ids[h.0 as usize];
                    }
                    if !searcher.line_ordered() {
                        cache.hits.sort_unstable_by_key(|&(p, end)| (end, p));
                    }
                }
                if let Some((dfa, ids)) = regexes {
                    let c = cache.rust.as_mut().ok_or(Incomplete)?;
                    cache.regex_hits.clear();
                    every_match_end(dfa, c, haystack, ids, &mut cache.regex_hits)?;
                    if cache.hits.is_empty() {
                        std::mem::swap(&mut cache.hits, &mut cache.regex_hits);
                    } else if !cache.regex_hits.is_empty() {
                        // Both lists are in line order, and a merge by end offset keeps that.
                        merge_by_end(&mut cache.hits, &cache.regex_hits, &mut cache.merged);
                    }
                }
            }
            #[cfg(feature = "vectorscan")]
            Engine::Vectorscan(vs) => {
                let s = cache.vectorscan.as_mut().ok_or(Incomplete)?;
                vs.scan(haystack, s, &mut cache.hits)
                    .map_err(|_| Incomplete)?;
                if !cache.hits.windows(2).all(|w| w[0].1 <= w[1].1) {
                    cache.hits.sort_by_key(|h| h.1);
                }
            }
        }
        Ok(())
    }
}

/// Appends `(pattern, end)` for every end of every match of every pattern of `dfa` in `haystack`: what
/// regex-automata's overlapping search reports, in a loop that keeps its state in registers. (The library's
/// overlapping search stores its position in its state and tracks search progress at every byte; on the default
/// pack that loop cost about 29 instructions a byte, this one about a third of that.)
fn every_match_end(
    dfa: &DFA,
    cache: &mut Cache,
    haystack: &[u8],
    ids: &[u32],
    out: &mut Vec<(u32, u32)>,
) -> Result<(), Incomplete> {
    let input = Input::new(haystack);
    let mut sid = dfa
        .start_state_forward(cache, &input)
        .map_err(|_| Incomplete)?;
    let report = |sid, at: usize, cache: &Cache, out: &mut Vec<(u32, u32)>| {
        for i in 0..dfa.match_len(cache, sid) {
            out.push((ids[dfa.match_pattern(cache, sid, i).as_usize()], at as u32));
        }
    };
    for (at, &b) in haystack.iter().enumerate() {
        sid = dfa.next_state(cache, sid, b).map_err(|_| Incomplete)?;
        if sid.is_tagged() {
            // Match states are delayed by one byte: this one says a match ended at `at`.
            if sid.is_match() {
                report(sid, at, cache, out);
            } else if sid.is_dead() {
                return Ok(());
            } else if sid.is_quit() {
                return Err(Incomplete);
            }
        }
    }
    sid = dfa.next_eoi_state(cache, sid).map_err(|_| Incomplete)?;
    if sid.is_match() {
        report(sid, haystack.len(), cache, out);
    }
    Ok(())
}

/// Merges `b` into `a` by end offset, through `room`. Both in line order (`b` even sorted), so is the result: two
/// hits of different lines compare in line order, and each list keeps its own order.
fn merge_by_end(a: &mut Vec<(u32, u32)>, b: &[(u32, u32)], room: &mut Vec<(u32, u32)>) {
    room.clear();
    room.reserve(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if b[j].1 < a[i].1 {
            room.push(b[j]);
            j += 1;
        } else {
            room.push(a[i]);
            i += 1;
        }
    }
    room.extend_from_slice(&a[i..]);
    room.extend_from_slice(&b[j..]);
    std::mem::swap(a, room);
}

/// The pure Rust engine: keywords in a [`KeywordSearch`], everything else in the lazy DFA.
fn rust_engine(patterns: &[PrefilterPattern], tune_after: usize) -> Result<Engine, String> {
    let mut words: Vec<Vec<u8>> = Vec::new();
    let mut word_ids = Vec::new();
    let mut regexes = Vec::new();
    let mut regex_ids = Vec::new();
    for (i, p) in patterns.iter().enumerate() {
        match &p.literal {
            Some(w) if !w.is_empty() => {
                words.push(w.as_bytes().to_vec());
                word_ids.push(i as u32);
            }
            _ => {
                regexes.push(p.regex.as_str());
                regex_ids.push(i as u32);
            }
        }
    }
    let keywords = if words.is_empty() {
        None
    } else {
        Some(Keywords::new(words, word_ids, tune_after))
    };
    let regexes = if regexes.is_empty() {
        None
    } else {
        Some((Box::new(build_dfa(&regexes)?), regex_ids))
    };
    Ok(Engine::Rust { keywords, regexes })
}

/// The lazy DFA over every prefilter pattern: all matches reported (`MatchKind::All`), no captures, multi-line
/// CRLF anchors. It never gives up on a busy cache (a slow block is better than a failed one).
fn build_dfa(patterns: &[&str]) -> Result<DFA, String> {
    DFA::builder()
        .syntax(
            syntax::Config::new()
                .unicode(false)
                .utf8(false)
                .multi_line(true)
                .crlf(true),
        )
        .thompson(thompson::Config::new().which_captures(WhichCaptures::None))
        .configure(
            DFA::config()
                .match_kind(MatchKind::All)
                .cache_capacity(4 << 20)
                .minimum_cache_clear_count(None),
        )
        .build_many(patterns)
        .map_err(|e| format!("cannot build the prefilter automaton: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pats(list: &[&str]) -> Vec<PrefilterPattern> {
        list.iter()
            .enumerate()
            .map(|(i, r)| PrefilterPattern {
                regex: r.to_string(),
                literal: None,
                meaning: Meaning::Rule(i as u16),
            })
            .collect()
    }

    #[test]
    fn reports_every_pattern_at_its_end_across_lines() {
        let p = Prefilter::new(
            pats(&[&keyword_pattern("token"), r"\b\d{3}-\d{2}-\d{4}\b", r"^x$"]),
            Backend::Rust,
        )
        .unwrap();
        let mut c = p.cache();
        let hay = b"a TOKEN=1\r\nssn 078-05-1120\nx\r\nnone\n";
        p.scan(hay, &mut c).unwrap();
        assert_eq!(c.hits, vec![(0, 7), (1, 26), (2, 28)]);
    }

    #[test]
    fn tuned_anchors_report_what_the_first_ones_did() {
        let words = [
            "token", "to", "name", "username", "a/c", "passw", "password",
        ];
        let patterns: Vec<PrefilterPattern> = words
            .iter()
            .enumerate()
            .map(|(i, w)| PrefilterPattern {
                regex: keyword_pattern(w),
                literal: Some(w.to_string()),
                meaning: Meaning::Rule(i as u16),
            })
            .collect();
        let p = Prefilter {
            engine: rust_engine(&patterns, 100).unwrap(),
            meanings: patterns.iter().map(|p| p.meaning.clone()).collect(),
        };
        let Engine::Rust {
            keywords: Some(kw), ..
        } = &p.engine
        else {
            panic!("no keyword searcher");
        };
        let line = b"USERNAME=ann to=x Password: a/c Token\n";
        let mut c = p.cache();
        p.scan(line, &mut c).unwrap();
        assert!(
            kw.tuned.get().is_none(),
            "under 100 bytes counted tune nothing"
        );
        let mut first = Vec::new();
        for i in 0..4u32 {
            first.extend(c.hits.iter().map(|&(p, e)| (p, e + i * line.len() as u32)));
        }
        p.scan(&line.repeat(4), &mut c).unwrap();
        assert!(
            kw.tuned.get().is_some(),
            "100 bytes counted tune the anchors"
        );
        let line_of = |e: u32| (e as usize - 1) / line.len();
        assert!(
            c.hits
                .windows(2)
                .all(|w| line_of(w[0].1) <= line_of(w[1].1)),
            "hits in line order"
        );
        let sorted = |mut v: Vec<(u32, u32)>| {
            v.sort_unstable_by_key(|&(p, e)| (e, p));
            v
        };
        assert_eq!(sorted(c.hits.clone()), sorted(first.clone()));
        // Per line: username, name, to (twice: `to=` and `Token`), passw, password, a/c, token.
        assert_eq!(first.len(), 32);
    }

    /// What regex-automata's own overlapping search reports.
    fn overlapping_reference(dfa: &DFA, hay: &[u8]) -> Vec<(u32, u32)> {
        let mut cache = dfa.create_cache();
        let input = Input::new(hay);
        let mut state = regex_automata::hybrid::dfa::OverlappingState::start();
        let mut out = Vec::new();
        loop {
            dfa.try_search_overlapping_fwd(&mut cache, &input, &mut state)
                .unwrap();
            match state.get_match() {
                None => return out,
                Some(m) => out.push((m.pattern().as_u32(), m.offset() as u32)),
            }
        }
    }

    #[test]
    fn every_match_end_reports_what_the_overlapping_search_does() {
        let patterns = [
            r"\b(?:\d{1,3}\.){3}\d{1,3}\b",
            r"\d{4}(?:[ +-]|%20)\d{4}|\d{13}",
            r"^x$",
            r"\b[13][1-9A-HJ-NP-Za-km-z]{12}",
            r"(?i)::|ab",
            r"z$",
        ];
        let dfa = build_dfa(&patterns).unwrap();
        let ids: Vec<u32> = (0..patterns.len() as u32).collect();
        for hay in [
            &b"src /10.0.0.1:80 and 1234 5678 9012 3456\r\nx\r\n1234567890123456789 ::ab"[..],
            b"x",
            b"",
            b"abab::z",
            b"13DUyx8mN2aTfKnQzW\nz\nx\r",
        ] {
            let mut cache = dfa.create_cache();
            let mut ours = Vec::new();
            every_match_end(&dfa, &mut cache, hay, &ids, &mut ours).unwrap();
            assert_eq!(
                ours,
                overlapping_reference(&dfa, hay),
                "{:?}",
                String::from_utf8_lossy(hay)
            );
        }
    }

    #[test]
    fn keyword_escape_is_literal() {
        let p = Prefilter::new(
            pats(&[&keyword_pattern("a/c"), &keyword_pattern("acc. no")]),
            Backend::Rust,
        )
        .unwrap();
        let mut c = p.cache();
        p.scan(b"ACC. NO 12 a/c accxno", &mut c).unwrap();
        assert_eq!(c.hits, vec![(1, 7), (0, 14)]);
    }
}
