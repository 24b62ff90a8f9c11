//! A Vectorscan prefilter over the rules' regexes (cargo feature `vectorscan`).
//!
//! What it is for: one Vectorscan pass over a batch of lines says, for every pattern, where a match may end, so
//! the engine runs a rule's real regex only on the lines Vectorscan flagged. Vectorscan scans many patterns at
//! once far faster than running each regex, but it reads PCRE rather than regex-syntax, and it refuses (or takes
//! very long to compile) some patterns that regex-automata takes in its stride.
//!
//! What it must never do: miss a line where the real regex matches — a missed line is a leaked secret. Reporting
//! more than the regex would is fine: the engine confirms every candidate with the real regex. Every shortcut
//! below (prefilter mode, relaxed repeats, dropped half-boundaries) therefore only ever widens what matches.
//!
//! How a pattern reaches Vectorscan: it is parsed with regex-syntax under the engine's own settings (bytes,
//! Unicode off) and the resulting HIR is printed back as PCRE that cannot be read two ways: every byte that is not
//! an ASCII letter or digit as `\xHH`, classes as byte ranges (case folding already expanded), capture groups as
//! `(?:...)`, Unicode classes as UTF-8 byte sequences. Printing the HIR rather than rewriting the pattern text
//! means the two dialects never disagree about an escape, a flag or a class.
//!
//! Reading the hits: a hit `(id, end)` lies on the line whose first byte is at or before `end` and whose
//! terminating `\n` (or the end of the haystack) is at or after `end`; a match that ends at the end of a line has
//! `end` equal to the offset of that line's `\n`.

use std::fmt::Write as _;
use std::sync::Arc;

use regex_syntax::hir::{Class, Hir, HirKind, Look};
use vectorscan_rs::{BlockDatabase, BlockScanner, Error as VsError, Flag, Pattern, Scan};

/// Bounded repeats whose upper bound is above this are made unbounded when a pattern must be relaxed: Vectorscan
/// builds a state per repeat position for some repeat shapes, which blows up compile time and size for bounds
/// like `{0,63}` nested inside `+`.
const RELAX_REPEATS_ABOVE: u32 = 16;

/// A Unicode class with more UTF-8 byte sequences than this is widened (see [`write_unicode_class`]).
const MAX_EXACT_UTF8_SEQUENCES: usize = 32;

/// How a pattern was handed to Vectorscan. Everything but `Exact` may report more matches than the regex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Translation {
    /// The HIR printed exactly; Vectorscan matches what the regex matches.
    Exact,
    /// Exact text, compiled with `HS_FLAG_PREFILTER` because Vectorscan refused it otherwise.
    Prefilter,
    /// Large bounded repeats made unbounded (see [`RELAX_REPEATS_ABOVE`]).
    Relaxed,
    /// Relaxed and compiled in prefilter mode.
    RelaxedPrefilter,
}

impl Translation {
    /// The next, wider translation to try after Vectorscan refused this one.
    fn widen(self) -> Option<Self> {
        match self {
            Translation::Exact => Some(Translation::Prefilter),
            Translation::Prefilter => Some(Translation::Relaxed),
            Translation::Relaxed => Some(Translation::RelaxedPrefilter),
            Translation::RelaxedPrefilter => None,
        }
    }

    fn relaxed(self) -> bool {
        matches!(self, Translation::Relaxed | Translation::RelaxedPrefilter)
    }

    fn prefilter(self) -> bool {
        matches!(self, Translation::Prefilter | Translation::RelaxedPrefilter)
    }
}

/// One pattern as parsed, with the translation currently chosen for it.
struct Prepared {
    hir: Hir,
    translation: Translation,
    /// Whether the pattern can match the empty string (then Vectorscan needs `HS_FLAG_ALLOWEMPTY`).
    can_be_empty: bool,
}

impl Prepared {
    fn to_vectorscan(&self, id: u32) -> Result<Pattern, String> {
        let mut expr = String::new();
        let relax = self.translation.relaxed().then_some(RELAX_REPEATS_ABOVE);
        write_hir(&self.hir, relax, &mut expr).map_err(|e| format!("pattern {id}: {e}"))?;
        let mut flags = Flag::MULTILINE;
        if self.translation.prefilter() {
            flags |= Flag::PREFILTER;
        }
        if self.can_be_empty {
            flags |= Flag::ALLOWEMPTY;
        }
        Ok(Pattern::new(expr.into_bytes(), flags, Some(id)))
    }
}

/// One compiled Vectorscan block-mode database over the prefilter patterns.
pub(crate) struct VectorscanPrefilter {
    /// Shared with every scratch made from it, which borrows it (see [`VectorscanPrefilter::scratch`]).
    db: Arc<BlockDatabase>,
    /// How each pattern was compiled, by pattern id (the tests report which patterns Vectorscan widened).
    #[cfg_attr(not(test), allow(dead_code))]
    translations: Vec<Translation>,
}

/// Per-thread scratch for it.
pub(crate) struct VectorscanScratch {
    // Field order matters: `scanner` borrows `*db` and must be dropped before it.
    scanner: BlockScanner<'static>,
    db: Arc<BlockDatabase>,
}

impl VectorscanPrefilter {
    /// `patterns[i]` is a regex in regex-automata / regex-syntax syntax (bytes, Unicode off, may contain `(?i)`,
    /// `\b`, `\d`, `\s`, bounded repeats, named groups `(?P<secret>...)`, lazy `*?`). Pattern id i is reported for
    /// it. Patterns never need to match across '\n': the haystack is one or more complete lines joined by '\n'.
    /// `^` and `$` mean start/end of line (multi-line).
    ///
    /// Vectorscan gets each pattern exactly when it accepts it; a pattern it refuses is retried in prefilter mode,
    /// then with large bounded repeats made unbounded, then both (see [`Self::translation`]). Returns an error
    /// message naming the pattern index if a pattern cannot be compiled even so.
    pub(crate) fn new(patterns: &[String]) -> Result<Self, String> {
        if patterns.is_empty() {
            // Vectorscan refuses an empty database; an empty pattern list is a caller's mistake, not a rule's.
            return Err("no patterns to compile into the Vectorscan prefilter".to_string());
        }
        let id_of = |i: usize| {
            u32::try_from(i).map_err(|_| format!("too many patterns for Vectorscan ({i} and more)"))
        };
        let mut prepared = Vec::with_capacity(patterns.len());
        for (i, pattern) in patterns.iter().enumerate() {
            let hir =
                parse(pattern).map_err(|e| format!("pattern {i} is not a valid regex: {e}"))?;
            let can_be_empty = hir.properties().minimum_len() == Some(0);
            prepared.push(Prepared {
                hir,
                translation: Translation::Exact,
                can_be_empty,
            });
        }
        // Compile everything at once; when Vectorscan names a pattern it refuses, widen that one and try again.
        // Each pattern widens at most three times, so this ends.
        loop {
            let mut vs_patterns = Vec::with_capacity(prepared.len());
            for (i, p) in prepared.iter().enumerate() {
                vs_patterns.push(p.to_vectorscan(id_of(i)?)?);
            }
            match BlockDatabase::new(vs_patterns) {
                Ok(db) => {
                    return Ok(Self {
                        db: Arc::new(db),
                        translations: prepared.iter().map(|p| p.translation).collect(),
                    })
                }
                Err(VsError::HyperscanCompile(message, index)) => {
                    let Some(p) = usize::try_from(index)
                        .ok()
                        .and_then(|i| prepared.get_mut(i))
                    else {
                        return Err(format!(
                            "Vectorscan refused the pattern set as a whole: {message}"
                        ));
                    };
                    match p.translation.widen() {
                        Some(wider) => p.translation = wider,
                        None => {
                            return Err(format!(
                                "pattern {index} cannot be compiled by Vectorscan even in prefilter mode with \
                                 relaxed repeats: {message}"
                            ))
                        }
                    }
                }
                Err(e) => return Err(format!("Vectorscan could not compile the patterns: {e}")),
            }
        }
    }

    /// How pattern `id` was handed to Vectorscan (`None` for an unknown id).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn translation(&self, id: u32) -> Option<Translation> {
        self.translations.get(id as usize).copied()
    }

    pub(crate) fn scratch(&self) -> Result<VectorscanScratch, String> {
        let db = Arc::clone(&self.db);
        // SAFETY: the reference points into the `Arc`'s heap allocation, which does not move when the scratch
        // moves and which `VectorscanScratch::db` keeps alive for as long as the scanner exists (the scanner is
        // declared first, so it is dropped first). The database is immutable. vectorscan-rs ties a scanner to its
        // database by a borrow; this is what lets the scratch be an owned, `Send` value.
        let db_ref: &'static BlockDatabase = unsafe { &*Arc::as_ptr(&db) };
        let scanner = BlockScanner::new(db_ref)
            .map_err(|e| format!("Vectorscan could not allocate scratch space: {e}"))?;
        Ok(VectorscanScratch { scanner, db })
    }

    /// Appends `(pattern id, end offset)` for every match end of every pattern (overlapping; order by end offset
    /// as Vectorscan reports them). It may report MORE than the exact regex would (a superset is fine — the
    /// engine confirms every candidate with the real regex afterwards) but never misses a line where the regex
    /// matches.
    pub(crate) fn scan(
        &self,
        haystack: &[u8],
        scratch: &mut VectorscanScratch,
        hits: &mut Vec<(u32, u32)>,
    ) -> Result<(), String> {
        if !Arc::ptr_eq(&self.db, &scratch.db) {
            return Err(
                "Vectorscan scratch used with a prefilter other than the one that made it"
                    .to_string(),
            );
        }
        // Vectorscan takes the length as `unsigned int`; vectorscan-rs would truncate a longer haystack silently.
        if u32::try_from(haystack.len()).is_err() {
            return Err(format!(
                "haystack of {} bytes is too long for one Vectorscan scan (at most 4 GiB)",
                haystack.len()
            ));
        }
        scratch
            .scanner
            .scan(haystack, |id, _from, to, _flags| {
                // `to <= haystack.len()`, which fits in u32 (checked above).
                hits.push((id, to as u32));
                Scan::Continue
            })
            .map_err(|e| format!("Vectorscan scan failed: {e}"))?;
        Ok(())
    }
}

/// Parses like the engine's `rule_regex::build`: bytes, Unicode off, `^`/`$` at the ends of the (single-line) input.
fn parse(pattern: &str) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .multi_line(false)
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())
}

/// Prints `hir` as a PCRE expression for Vectorscan that matches at least what `hir` matches on one line (exactly
/// that, except where noted). With `relax_above`, bounded repeats with a larger upper bound lose it.
fn write_hir(hir: &Hir, relax_above: Option<u32>, out: &mut String) -> Result<(), String> {
    match hir.kind() {
        HirKind::Empty => {}
        HirKind::Literal(lit) => {
            for &b in lit.0.iter() {
                write_byte(b, out);
            }
        }
        HirKind::Class(Class::Bytes(class)) => {
            if class.ranges().is_empty() {
                return Err("contains a character class that matches nothing".to_string());
            }
            out.push('[');
            for r in class.ranges() {
                write_range(r.start(), r.end(), out);
            }
            out.push(']');
        }
        HirKind::Class(Class::Unicode(class)) => {
            if class.ranges().is_empty() {
                return Err("contains a character class that matches nothing".to_string());
            }
            write_unicode_class(class, out);
        }
        HirKind::Look(look) => out.push_str(look_to_pcre(*look)),
        HirKind::Repetition(rep) => {
            if rep.max == Some(0) {
                // `x{0}` matches the empty string only.
                return Ok(());
            }
            out.push_str("(?:");
            write_hir(&rep.sub, relax_above, out)?;
            out.push(')');
            // Laziness changes which match is reported, not where matches may end: every quantifier is greedy.
            let max = match (rep.max, relax_above) {
                (Some(max), Some(limit)) if max > limit => None,
                (max, _) => max,
            };
            match (rep.min, max) {
                (0, None) => out.push('*'),
                (1, None) => out.push('+'),
                (0, Some(1)) => out.push('?'),
                (min, None) => {
                    let _ = write!(out, "{{{min},}}");
                }
                (min, Some(max)) if min == max => {
                    let _ = write!(out, "{{{min}}}");
                }
                (min, Some(max)) => {
                    let _ = write!(out, "{{{min},{max}}}");
                }
            }
        }
        HirKind::Capture(cap) => {
            // Vectorscan reports no groups; a name (`(?P<secret>`) would only be one more syntax to disagree on.
            out.push_str("(?:");
            write_hir(&cap.sub, relax_above, out)?;
            out.push(')');
        }
        HirKind::Concat(subs) => {
            for sub in subs {
                write_hir(sub, relax_above, out)?;
            }
        }
        HirKind::Alternation(subs) => {
            out.push_str("(?:");
            for (i, sub) in subs.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                write_hir(sub, relax_above, out)?;
            }
            out.push(')');
        }
    }
    Ok(())
}

/// A Unicode class (only inside `(?u:...)` here) as the alternation of its ranges' UTF-8 byte sequences. A class
/// with many sequences (`(?u:\w)` has hundreds) is too long for Vectorscan: then its ASCII part stays exact and
/// every non-ASCII code point is widened to "any 2 to 4 byte UTF-8 shape".
fn write_unicode_class(class: &regex_syntax::hir::ClassUnicode, out: &mut String) {
    let sequences = || {
        class
            .ranges()
            .iter()
            .flat_map(|r| regex_syntax::utf8::Utf8Sequences::new(r.start(), r.end()))
    };
    out.push_str("(?:");
    if sequences().count() <= MAX_EXACT_UTF8_SEQUENCES {
        for (i, seq) in sequences().enumerate() {
            if i > 0 {
                out.push('|');
            }
            for byte_range in seq.as_slice() {
                out.push('[');
                write_range(byte_range.start, byte_range.end, out);
                out.push(']');
            }
        }
    } else {
        let mut ascii = String::new();
        for r in class.ranges() {
            let (start, end) = (u32::from(r.start()), u32::from(r.end()).min(0x7f));
            if let (Ok(start), Ok(end)) = (u8::try_from(start), u8::try_from(end)) {
                if start <= end {
                    write_range(start, end, &mut ascii);
                }
            }
        }
        if !ascii.is_empty() {
            out.push('[');
            out.push_str(&ascii);
            out.push_str("]|");
        }
        out.push_str("[\\xc2-\\xf4][\\x80-\\xbf]{1,3}");
    }
    out.push(')');
}

/// The PCRE for an assertion, compiled with `HS_FLAG_MULTILINE` over lines joined by `\n`. Where Vectorscan has no
/// exact equivalent the translation is wider (it may consume a byte of the same line, or assert nothing).
fn look_to_pcre(look: Look) -> &'static str {
    match look {
        // The regex runs on one line at a time, so the start and end of its input are a line's. In a block a line
        // that ended in CRLF has its `\r` before the `\n` (the line the regex sees does not): allow it.
        Look::Start | Look::StartLF => "^",
        Look::End | Look::EndLF => "\\r?$",
        // CRLF mode: `^` also after a lone `\r`, `$` also before `\r`. Consuming that `\r` keeps the match on the
        // same line, so where it ends is still on a line the regex matches.
        Look::StartCRLF => "(?:^|\\r)",
        Look::EndCRLF => "\\r?$",
        // Without HS_FLAG_UCP Vectorscan's `\b` is the ASCII word boundary, as is regex-syntax's with Unicode off.
        Look::WordAscii => "\\b",
        Look::WordAsciiNegate => "\\B",
        // Start or end of word: a word boundary of either kind is wider.
        Look::WordStartAscii | Look::WordEndAscii => "\\b",
        // Unicode word boundaries and half boundaries have no Vectorscan equivalent here: assert nothing.
        Look::WordUnicode
        | Look::WordUnicodeNegate
        | Look::WordStartUnicode
        | Look::WordEndUnicode
        | Look::WordStartHalfAscii
        | Look::WordEndHalfAscii
        | Look::WordStartHalfUnicode
        | Look::WordEndHalfUnicode => "",
    }
}

fn write_byte(b: u8, out: &mut String) {
    if b.is_ascii_alphanumeric() {
        out.push(char::from(b));
    } else {
        let _ = write!(out, "\\x{b:02x}");
    }
}

/// A byte range inside `[...]`.
fn write_range(start: u8, end: u8, out: &mut String) {
    let _ = write!(out, "\\x{start:02x}");
    if end != start {
        let _ = write!(out, "-\\x{end:02x}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::{meta, util::syntax};

    use crate::rules::RuleSet;

    fn prefilter(patterns: &[&str]) -> VectorscanPrefilter {
        let owned: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        match VectorscanPrefilter::new(&owned) {
            Ok(p) => p,
            Err(e) => panic!("compile failed: {e}"),
        }
    }

    fn hits_of(pf: &VectorscanPrefilter, haystack: &[u8]) -> Vec<(u32, u32)> {
        let mut scratch = pf.scratch().expect("scratch");
        let mut hits = Vec::new();
        pf.scan(haystack, &mut scratch, &mut hits).expect("scan");
        hits
    }

    /// The regex the engine builds for a pattern (the settings of `rule_regex::build`).
    fn engine_regex(pattern: &str) -> meta::Regex {
        meta::Regex::builder()
            .syntax(
                syntax::Config::new()
                    .unicode(false)
                    .utf8(false)
                    .multi_line(false),
            )
            .configure(meta::Config::new().utf8_empty(false))
            .build(pattern)
            .unwrap_or_else(|e| panic!("regex {pattern:?}: {e}"))
    }

    fn translated(pattern: &str) -> String {
        let mut out = String::new();
        write_hir(&parse(pattern).expect("parse"), None, &mut out).expect("translate");
        out
    }

    /// For each line of `haystack`, the set of pattern ids that had a hit on it (see the module doc).
    fn lines_hit(haystack: &[u8], hits: &[(u32, u32)], patterns: usize) -> Vec<Vec<bool>> {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', haystack).map(|i| i + 1))
            .collect();
        let mut by_line = vec![vec![false; patterns]; starts.len()];
        for &(id, end) in hits {
            // The last line starting at or before `end`.
            let line = starts.partition_point(|&s| s <= end as usize) - 1;
            by_line[line][id as usize] = true;
        }
        by_line
    }

    /// The `(line, pattern)` pairs where `regexes[p]` matches `lines[line]` but Vectorscan had no hit for `p` on
    /// that line when the lines were scanned joined by `\n`.
    fn misses(
        pf: &VectorscanPrefilter,
        regexes: &[meta::Regex],
        lines: &[&[u8]],
    ) -> Vec<(usize, usize)> {
        let haystack = lines.join(&b'\n');
        let hits = hits_of(pf, &haystack);
        let by_line = lines_hit(&haystack, &hits, regexes.len());
        let mut missed = Vec::new();
        for (l, line) in lines.iter().enumerate() {
            for (p, re) in regexes.iter().enumerate() {
                if re.is_match(*line) && !by_line[l][p] {
                    missed.push((l, p));
                }
            }
        }
        missed
    }

    /// Every regex of the default pack (pattern rules, block begin/end) plus `(?i)` literals for every keyword.
    fn default_pack_patterns() -> Vec<(String, String)> {
        let set = RuleSet::default_pack().expect("default pack");
        let mut out = Vec::new();
        let mut keywords = std::collections::BTreeSet::new();
        for sourced in set.rules() {
            let r = &sourced.rule;
            for (what, p) in [
                ("pattern", &r.pattern),
                ("begin", &r.begin),
                ("end", &r.end),
            ] {
                if let Some(p) = p {
                    out.push((format!("{} {what}", r.id), p.clone()));
                }
            }
            for k in &r.keywords {
                keywords.insert(k.to_ascii_lowercase());
            }
        }
        for k in keywords {
            out.push((
                format!("keyword {k:?}"),
                format!("(?i){}", regex_syntax::escape(&k)),
            ));
        }
        out
    }

    fn default_pack_lines() -> Vec<Vec<u8>> {
        let set = RuleSet::default_pack().expect("default pack");
        set.rules()
            .iter()
            .flat_map(|s| s.rule.examples.iter().chain(&s.rule.negative_examples))
            .flat_map(|e| e.split('\n'))
            .map(|l| l.as_bytes().to_vec())
            .collect()
    }

    /// `<repo>/../shared/corpus/*.log`, one entry per file, or nothing (with a message) when it is not there.
    fn corpus_files() -> Vec<(String, Vec<u8>)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("skipping the corpus: {} is missing", dir.display());
            return Vec::new();
        };
        let mut files: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "log"))
            .collect();
        files.sort();
        files
            .into_iter()
            .filter_map(|p| {
                let bytes = std::fs::read(&p).ok()?;
                Some((p.display().to_string(), bytes))
            })
            .collect()
    }

    #[test]
    fn the_default_pack_compiles_and_reports_its_translations() {
        let patterns = default_pack_patterns();
        let texts: Vec<String> = patterns.iter().map(|(_, p)| p.clone()).collect();
        let pf = VectorscanPrefilter::new(&texts).unwrap_or_else(|e| panic!("{e}"));
        for (i, (name, _)) in patterns.iter().enumerate() {
            let t = pf
                .translation(i as u32)
                .expect("every id has a translation");
            if t != Translation::Exact {
                eprintln!("{name}: {t:?}");
            }
        }
        assert_eq!(pf.translation(patterns.len() as u32), None);
    }

    #[test]
    fn vectorscan_flags_every_line_the_regex_matches_in_the_corpus_and_the_examples() {
        let patterns = default_pack_patterns();
        let texts: Vec<String> = patterns.iter().map(|(_, p)| p.clone()).collect();
        let pf = VectorscanPrefilter::new(&texts).unwrap_or_else(|e| panic!("{e}"));
        let regexes: Vec<meta::Regex> = texts.iter().map(|p| engine_regex(p)).collect();

        let mut inputs = corpus_files();
        let examples = default_pack_lines().join(&b'\n');
        inputs.push(("rule examples".to_string(), examples));

        let mut failures = Vec::new();
        let (mut regex_lines, mut flagged_lines) = (0usize, 0usize);
        for (name, bytes) in &inputs {
            let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
            for (l, p) in misses(&pf, &regexes, &lines) {
                failures.push(format!("{name}:{}: pattern {p} ({})", l + 1, patterns[p].0));
            }
            // How much wider than the regexes the prefilter is, for the record.
            let haystack = lines.join(&b'\n');
            let by_line = lines_hit(&haystack, &hits_of(&pf, &haystack), regexes.len());
            for (l, line) in lines.iter().enumerate() {
                for (p, re) in regexes.iter().enumerate() {
                    regex_lines += usize::from(re.is_match(*line));
                    flagged_lines += usize::from(by_line[l][p]);
                }
            }
        }
        eprintln!(
            "{} inputs: (line, pattern) pairs the regex matches: {regex_lines}; Vectorscan flags: {flagged_lines}",
            inputs.len()
        );
        assert!(
            failures.is_empty(),
            "Vectorscan missed {} line(s) the regex matches:\n{}",
            failures.len(),
            failures.join("\n")
        );
        assert!(regex_lines > 0, "the inputs must exercise the patterns");
    }

    #[test]
    fn the_miss_check_catches_a_prefilter_that_misses() {
        // Vectorscan looks for `foo`, the "regex" for `bar`: every `bar` line is a miss the check must report.
        let pf = prefilter(&["foo"]);
        let lines: [&[u8]; 3] = [b"foo", b"bar", b"a bar b"];
        assert_eq!(
            misses(&pf, &[engine_regex("bar")], &lines),
            vec![(1, 0), (2, 0)]
        );
        assert!(misses(&pf, &[engine_regex("foo")], &lines).is_empty());
    }

    #[test]
    fn hits_carry_the_pattern_id_and_the_end_offset() {
        let pf = prefilter(&["abc", "(?i)XYZ"]);
        assert_eq!(hits_of(&pf, b"xyz abc"), vec![(1, 3), (0, 7)]);
        assert_eq!(hits_of(&pf, b"nothing here"), vec![]);
    }

    #[test]
    fn anchors_mean_the_start_and_end_of_each_line() {
        let pf = prefilter(&["^ab$", r"\Acd\z"]);
        let hits = hits_of(&pf, b"xab\nab\ncd\ncdx");
        assert_eq!(hits, vec![(0, 6), (1, 9)]);
    }

    #[test]
    fn named_groups_lazy_repeats_and_word_boundaries_translate() {
        assert_eq!(translated("(?P<secret>a)"), "(?:a)");
        assert_eq!(translated("(?<x>a)"), "(?:a)");
        assert_eq!(translated(r"a+?\b"), r"(?:a)+\b");
        assert_eq!(translated(r"\d{2,5}"), r"(?:[\x30-\x39]){2,5}");
        assert_eq!(translated("(?i)k"), r"[\x4b\x6b]");
        assert_eq!(translated("a.b"), r"a[\x00-\x09\x0b-\xff]b");
        let pf = prefilter(&[r"\bkey=(?P<secret>\w+?)\b", r"(?i)token:\s*\d{4}"]);
        let hits = hits_of(&pf, b"akey=x\nkey=vv\nTOKEN:  1234");
        assert!(
            !hits.iter().any(|&(id, end)| id == 0 && end <= 6),
            "{hits:?}"
        );
        assert!(hits.contains(&(0, 13)), "{hits:?}");
        assert!(hits.contains(&(1, 26)), "{hits:?}");
    }

    #[test]
    fn relaxed_repeats_lose_only_large_upper_bounds() {
        let hir = parse(r"a{0,63}b{2,5}c{3}d{20,}").expect("parse");
        let mut out = String::new();
        write_hir(&hir, Some(RELAX_REPEATS_ABOVE), &mut out).expect("translate");
        assert_eq!(out, "(?:a)*(?:b){2,5}(?:c){3}(?:d){20,}");
    }

    #[test]
    fn unicode_classes_become_utf8_sequences() {
        assert_eq!(translated("(?u:[é-ê])"), r"(?:[\xc3][\xa9-\xaa])");
        // `\w` has hundreds of sequences: its ASCII part stays exact, the rest is any multi-byte shape.
        assert!(translated(r"(?u:\w)").ends_with(r"\x61-\x7a]|[\xc2-\xf4][\x80-\xbf]{1,3})"));
        let pf = prefilter(&[r"(?u:\w)+x", "(?u:[é])"]);
        let hits = hits_of(&pf, "ééx\né\ne".as_bytes());
        assert!(hits.contains(&(0, 5)), "{hits:?}");
        assert!(hits.contains(&(1, 8)), "{hits:?}");
        assert!(!hits.iter().any(|&(_, end)| end > 8), "{hits:?}");
    }

    #[test]
    fn half_boundaries_and_crlf_anchors_are_widened_not_dropped_lines() {
        let regexes = [r"\b{start-half}ab", r"(?Rm)ab$", r"(?Rm)^cd"];
        let pf = prefilter(&regexes);
        let lines: [&[u8]; 4] = [b"ab", b"xab\r", b"\rcd", b"-ab"];
        let res: Vec<meta::Regex> = regexes.iter().map(|p| engine_regex(p)).collect();
        assert!(misses(&pf, &res, &lines).is_empty());
    }

    #[test]
    fn a_pattern_that_matches_empty_flags_every_line() {
        let pf = prefilter(&["x*", "zzz"]);
        let lines: [&[u8]; 3] = [b"a", b"", b"b"];
        let res = [engine_regex("x*"), engine_regex("zzz")];
        assert!(misses(&pf, &res, &lines).is_empty());
    }

    #[test]
    fn an_invalid_pattern_is_named_by_its_index() {
        let patterns = vec!["abc".to_string(), "(unclosed".to_string()];
        let err = VectorscanPrefilter::new(&patterns)
            .err()
            .expect("must fail");
        assert!(err.contains("pattern 1"), "{err}");
        let err = VectorscanPrefilter::new(&["[^\\x00-\\xff]".to_string()])
            .err()
            .expect("a class that matches nothing must fail");
        assert!(err.contains("pattern 0"), "{err}");
        assert!(VectorscanPrefilter::new(&[]).is_err());
    }

    #[test]
    fn a_scratch_only_works_with_its_own_prefilter() {
        let a = prefilter(&["a"]);
        let b = prefilter(&["b"]);
        let mut scratch = a.scratch().expect("scratch");
        let mut hits = Vec::new();
        assert!(b.scan(b"ab", &mut scratch, &mut hits).is_err());
        a.scan(b"ab", &mut scratch, &mut hits).expect("scan");
        assert_eq!(hits, vec![(0, 1)]);
    }

    #[test]
    fn the_prefilter_is_shareable_and_its_scratch_can_move() {
        fn send_sync<T: Send + Sync>() {}
        fn send<T: Send>() {}
        send_sync::<VectorscanPrefilter>();
        send::<VectorscanScratch>();
        let pf = prefilter(&["needle"]);
        let mut scratch = pf.scratch().expect("scratch");
        std::thread::scope(|s| {
            s.spawn(|| {
                let mut hits = Vec::new();
                pf.scan(b"hay needle", &mut scratch, &mut hits)
                    .expect("scan");
                assert_eq!(hits, vec![(0, 10)]);
            });
        });
    }

    /// CPU time of this thread in seconds (Linux `schedstat`), else wall time: the machine is shared, and CPU
    /// time keeps the two figures comparable when other work competes for the cores.
    fn cpu_seconds(wall: std::time::Instant) -> f64 {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
            .map_or_else(|| wall.elapsed().as_secs_f64(), |ns| ns as f64 / 1e9)
    }

    /// The best of three runs of `f`, in seconds (CPU time where available).
    fn best_of_3(mut f: impl FnMut()) -> f64 {
        (0..3)
            .map(|_| {
                let wall = std::time::Instant::now();
                let before = cpu_seconds(wall);
                f();
                cpu_seconds(wall) - before
            })
            .fold(f64::INFINITY, f64::min)
    }

    /// Throughput of one Vectorscan pass with every default-pack pattern and keyword, against regex-automata's
    /// lazy DFA over the same patterns reporting every match end (`MatchKind::All`, overlapping), on the corpus
    /// repeated to about 20 MB and cut into 2 MiB batches of whole lines. Prints both figures, then each
    /// pattern's own Vectorscan throughput and hit count, and the keywords' together (what makes the pass slow).
    ///
    /// `cargo test -p logscrub-engine --features vectorscan --lib -- --ignored --nocapture throughput`
    #[test]
    #[ignore = "a measurement, not a check: run it by name with --ignored --nocapture"]
    fn throughput_against_the_lazy_dfa() {
        use regex_automata::hybrid::dfa::{OverlappingState, DFA};
        use regex_automata::{Input, MatchKind};

        let corpus: Vec<u8> = corpus_files()
            .into_iter()
            .flat_map(|(_, mut bytes)| {
                if bytes.last() != Some(&b'\n') {
                    bytes.push(b'\n');
                }
                bytes
            })
            .collect();
        if corpus.is_empty() {
            return;
        }
        let mut buf = Vec::with_capacity(21_000_000);
        while buf.len() < 20_000_000 {
            buf.extend_from_slice(&corpus);
        }
        /// 2 MiB batches of whole lines, without the final '\n' of each batch.
        fn batches(bytes: &[u8]) -> Vec<&[u8]> {
            let mut out = Vec::new();
            let mut rest = bytes;
            while !rest.is_empty() {
                let cut = if rest.len() <= 2 << 20 {
                    rest.len()
                } else {
                    memchr::memrchr(b'\n', &rest[..2 << 20]).map_or(rest.len(), |i| i + 1)
                };
                let (batch, tail) = rest.split_at(cut);
                out.push(batch.strip_suffix(b"\n").unwrap_or(batch));
                rest = tail;
            }
            out
        }
        let mb = buf.len() as f64 / 1e6;
        let big = batches(&buf);
        let named = default_pack_patterns();
        let patterns: Vec<String> = named.iter().map(|(_, p)| p.clone()).collect();

        let wall = std::time::Instant::now();
        let pf = VectorscanPrefilter::new(&patterns).unwrap_or_else(|e| panic!("{e}"));
        let vs_compile = wall.elapsed();
        let scan_all = |pf: &VectorscanPrefilter, batches: &[&[u8]]| -> (f64, usize) {
            let mut scratch = pf.scratch().expect("scratch");
            let mut hits = Vec::new();
            let mut count = 0;
            let secs = best_of_3(|| {
                count = 0;
                for batch in batches {
                    hits.clear();
                    pf.scan(batch, &mut scratch, &mut hits).expect("scan");
                    count += hits.len();
                }
            });
            (secs, count)
        };
        let (vs, vs_hits) = scan_all(&pf, &big);

        let wall = std::time::Instant::now();
        let dfa = DFA::builder()
            .syntax(
                syntax::Config::new()
                    .unicode(false)
                    .utf8(false)
                    .multi_line(true),
            )
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .cache_capacity(64 << 20),
            )
            .build_many(&patterns)
            .expect("lazy DFA");
        let dfa_build = wall.elapsed();
        let mut cache = dfa.create_cache();
        let mut dfa_hits = 0usize;
        let dfa_time = best_of_3(|| {
            dfa_hits = 0;
            for batch in &big {
                let input = Input::new(*batch);
                let mut state = OverlappingState::start();
                loop {
                    dfa.try_search_overlapping_fwd(&mut cache, &input, &mut state)
                        .expect("lazy DFA search");
                    if state.get_match().is_none() {
                        break;
                    }
                    dfa_hits += 1;
                }
            }
        });

        eprintln!(
            "{} patterns, {mb:.1} MB in {} batches, best of 3, CPU time\n\
             vectorscan: {:.0} MB/s, {vs_hits} hits, compile {:.2} s\n\
             hybrid (MatchKind::All, overlapping): {:.0} MB/s, {dfa_hits} match ends, build {:.3} s",
            patterns.len(),
            big.len(),
            mb / vs,
            vs_compile.as_secs_f64(),
            mb / dfa_time,
            dfa_build.as_secs_f64(),
        );

        // Each pattern alone, and the keywords alone, over the same buffer.
        let keywords: Vec<String> = named
            .iter()
            .filter(|(name, _)| name.starts_with("keyword "))
            .map(|(_, p)| p.clone())
            .collect();
        let pf = VectorscanPrefilter::new(&keywords).unwrap_or_else(|e| panic!("{e}"));
        let (secs, hits) = scan_all(&pf, &big);
        eprintln!(
            "vectorscan, the {} keywords alone: {:.0} MB/s, {hits} hits",
            keywords.len(),
            mb / secs
        );
        let mut rows = Vec::new();
        for (name, pattern) in named
            .iter()
            .filter(|(name, _)| !name.starts_with("keyword "))
        {
            let pf = VectorscanPrefilter::new(std::slice::from_ref(pattern))
                .unwrap_or_else(|e| panic!("{e}"));
            let (secs, hits) = scan_all(&pf, &big);
            rows.push((mb / secs, hits, name));
        }
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        eprintln!("vectorscan, each rule pattern alone, slowest first:");
        for (mbs, hits, name) in &rows {
            eprintln!("  {mbs:>8.0} MB/s {hits:>8} hits  {name}");
        }
    }
}
