//! The compiled scrubber: finds sensitive values in one line and rewrites only them.
//!
//! Detection runs in three steps so that most bytes are touched once: (1) the prefilter (one multi-pattern
//! automaton, see [`crate::prefilter`]) marks the rules whose keywords or patterns occur, usually for a whole block
//! of lines at once; (2) only the rules marked run their regex; (3) each match is confirmed by its validator and
//! context before it becomes a finding. Overlapping findings are resolved by priority, then length. Rewriting
//! copies every byte outside findings unchanged.
//!
//! This module must never log, print or return a scanned value: findings carry ranges and keyed hashes only.

use std::ops::Range;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use regex_automata::{meta, Input};
use sha2::Sha256;

use crate::compile::{CompiledRule, RuleInfo, ScrubberBuilder};
use crate::error::Error;
use crate::fields::{self, Field};
use crate::placeholder::{self, KnownClasses};
use crate::policy::{Action, Key, Limits};
use crate::prefilter::{Backend, Incomplete, KeywordUse, Meaning, Prefilter, PrefilterCache};
use crate::resolve;
use crate::rewrite::{map_back, Segment};
use crate::rules::{Category, RuleKind, ValueShape};
use crate::validate;

pub(crate) struct Inner {
    pub rules: Vec<CompiledRule>,
    pub infos: Vec<RuleInfo>,
    pub prefilter: Prefilter,
    pub freeform: Vec<String>,
    pub keys: crate::compile::KeyIndex,
    pub key: Key,
    pub limits: Limits,
    /// The classes this scrubber writes into placeholders: only those are protected from a rescan.
    pub classes: KnownClasses,
    /// Finds a JSON `\u00` escape; built once (a searcher built per line cost more than the search).
    pub escape: memchr::memmem::Finder<'static>,
}

/// A compiled, immutable rule set with its policy. Cheap to clone (an `Arc`), `Send + Sync`: build it once and
/// share it between threads; give each thread its own [`Scratch`].
#[derive(Clone)]
pub struct Scrubber {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scrubber")
            .field("rules", &self.inner.infos.len())
            .finish_non_exhaustive()
    }
}

/// Identifies a rule inside one [`Scrubber`]; look it up with [`Scrubber::rule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleRef(pub u16);

/// One sensitive value found in a line. It never holds the value itself: only where it was, which rule found it,
/// and a keyed hash so that repeated values can be correlated without being revealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    /// The rule that found it.
    pub rule: RuleRef,
    /// Byte offset of the value's start in the scanned line.
    pub start: usize,
    /// Byte offset one past the value's end.
    pub end: usize,
    /// HMAC-SHA256 of the value under the scrubber's key, first 8 bytes.
    pub hash: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub start: usize,
    pub end: usize,
    pub rule: u16,
    pub priority: u8,
    /// Every byte of it must stay covered: a stronger overlapping finding absorbs it (their union is replaced)
    /// instead of dropping it. True for values that are secret as a whole (a field named `password`, a key block,
    /// a credential pattern); a personal-data pattern that loses an overlap is dropped, so that an e-mail-shaped
    /// `pass@host` does not take the URL's host with it.
    pub sticky: bool,
}

/// What detection decided about one line (or one field value): the result that the rewrite, the findings, the
/// statistics and the stream's multi-line state all read. It is filled by one detection and read by its caller;
/// nothing carries it from one line to the next.
#[derive(Debug, Default)]
pub(crate) struct Detection {
    /// The findings the rewrite replaces, in the line's coordinates, sorted and not overlapping.
    pub findings: Vec<Candidate>,
    /// A block rule (a PEM key) began on the line and did not end there.
    pub open_block: Option<u16>,
    /// The rules the prefilter let run on the line (for statistics).
    pub ran: Vec<u16>,
}

impl Detection {
    fn clear(&mut self) {
        self.findings.clear();
        self.open_block = None;
        self.ran.clear();
    }
}

/// Reusable per-thread buffers for scanning. Create one with [`Scrubber::scratch`] and pass it to every call. It
/// holds buffers only: every result is handed back to the caller (a [`Detection`]).
pub struct Scratch {
    /// Per rule, the mark generation in which it was last marked: a rule is marked on the current line when its
    /// stamp equals `generation`, so a line costs its hits, not a pass over every rule of the pack.
    triggered: Vec<u32>,
    generation: u32,
    /// Rules marked on the line being scanned, in rule order: the work list of a pass.
    marked: Vec<u16>,
    /// `(rule, end)` of the prefilter hits of rules with a `reach` (their own regex is their prefilter pattern), in
    /// the line's coordinates, sorted: where the line's matches of that rule end.
    ends: Vec<(u16, u32)>,
    /// Per rule, the generation in which it was marked for another reason than its own pattern's hits (or every
    /// rule was marked): then its search covers the whole line.
    unbounded: Vec<u32>,
    prefilter: PrefilterCache,
    /// The prefilter's hits over the last block ([`Scrubber::prefilter_block`]), consumed line by line.
    block_hits: Vec<(u32, u32)>,
    block_cursor: usize,
    block_complete: bool,
    caches: Vec<Option<meta::Cache>>,
    caps: Vec<Option<regex_automata::util::captures::Captures>>,
    fields: Vec<Field>,
    fields_ready: bool,
    candidates: Vec<Candidate>,
    /// Room for the result of a second pass (a rewritten line, a decoded view) before it is mapped back.
    nested: Detection,
    /// Room for a public call's result (see `with_detection`).
    spare: Detection,
    protected: Vec<Range<usize>>,
    /// Key-block markers (`-----BEGIN ... PRIVATE KEY-----`) found on the line.
    markers: Vec<Range<usize>>,
    /// Findings of a second pass (a rewritten line, a decoded view), mapped back to the line.
    extra: Vec<Candidate>,
    /// A rewritten line or a decoded view, and how its bytes map back to the line.
    tmp: Vec<u8>,
    segments: Vec<Segment>,
    view_map: Vec<u32>,
}

impl std::fmt::Debug for Scratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scratch").finish_non_exhaustive()
    }
}

/// What a field's key says about a match inside its value.
struct FieldView<'a> {
    key: Option<&'a str>,
}

impl Scrubber {
    /// A builder: rules, policy and key.
    pub fn builder() -> ScrubberBuilder {
        ScrubberBuilder::default()
    }

    /// The default rule pack with the default policy (every rule on, `redact`).
    pub fn default_rules() -> Result<Self, Error> {
        Self::builder().build()
    }

    /// Fresh scratch buffers for this scrubber.
    pub fn scratch(&self) -> Scratch {
        let n = self.inner.rules.len();
        Scratch {
            triggered: vec![0; n],
            generation: 0,
            marked: Vec::new(),
            ends: Vec::new(),
            unbounded: vec![0; n],
            prefilter: self.inner.prefilter.cache(),
            block_hits: Vec::new(),
            block_cursor: 0,
            block_complete: true,
            // Made at a rule's first search: most rules of the pack never run on a given stream, and a cache per
            // rule up front costs over a MiB per scratch (one per thread, connection or producer).
            caches: (0..n).map(|_| None).collect(),
            caps: (0..n).map(|_| None).collect(),
            fields: Vec::new(),
            fields_ready: false,
            candidates: Vec::new(),
            nested: Detection::default(),
            spare: Detection::default(),
            protected: Vec::new(),
            markers: Vec::new(),
            extra: Vec::new(),
            tmp: Vec::new(),
            segments: Vec::new(),
            view_map: Vec::new(),
        }
    }

    /// Every compiled rule, in order; index with [`RuleRef`].
    pub fn rules(&self) -> &[RuleInfo] {
        &self.inner.infos
    }

    /// The rule a finding names.
    pub fn rule(&self, r: RuleRef) -> &RuleInfo {
        &self.inner.infos[r.0 as usize]
    }

    /// The backend the prefilter runs on.
    pub fn backend(&self) -> Backend {
        self.inner.prefilter.backend()
    }

    /// Builds now what is otherwise built on first need: each rule's regex (at the rule's first search); for the
    /// default pack about 35 M instructions, some 10 ms. For embedders
    /// where one slow call matters more than start-up (a `tracing` layer, a daemon about to serve): no later call
    /// pays for a build. Results are the same either way.
    pub fn warm_up(&self) {
        for rule in &self.inner.rules {
            for re in [&rule.regex, &rule.end_regex].into_iter().flatten() {
                re.get();
            }
        }
    }

    /// The line limits of the policy.
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// Scrubs one line (without its line terminator) into `out` (appended). Returns the number of findings.
    pub fn scrub_line(&self, line: &[u8], out: &mut Vec<u8>, scratch: &mut Scratch) -> usize {
        self.with_detection(scratch, |d, s| {
            self.detect(line, None, s, d);
            self.rewrite_detected(line, d, out)
        })
    }

    /// Like [`Scrubber::scrub_line`], and also appends the findings (offsets into `line`): exactly the spans the
    /// rewrite replaced.
    pub fn scrub_line_findings(
        &self,
        line: &[u8],
        out: &mut Vec<u8>,
        scratch: &mut Scratch,
        findings: &mut Vec<Finding>,
    ) -> usize {
        self.with_detection(scratch, |d, s| {
            self.detect(line, None, s, d);
            self.push_findings(line, d, findings);
            self.rewrite_detected(line, d, out)
        })
    }

    /// Finds without rewriting: appends the findings of `line` to `findings`, the same ones
    /// [`Scrubber::scrub_line`] replaces.
    pub fn scan_line(&self, line: &[u8], scratch: &mut Scratch, findings: &mut Vec<Finding>) {
        self.with_detection(scratch, |d, s| {
            self.detect(line, None, s, d);
            self.push_findings(line, d, findings);
        })
    }

    /// Scrubs the value of a structured field (a `tracing` field, an OTLP attribute): the key steers detection as
    /// a JSON key would (`password` makes the whole value secret, `notes` lowers thresholds).
    pub fn scrub_field(
        &self,
        key: &str,
        value: &[u8],
        out: &mut Vec<u8>,
        scratch: &mut Scratch,
    ) -> usize {
        let key = fields::normalize_key(key.as_bytes());
        self.with_detection(scratch, |d, s| {
            self.detect(value, Some(&key), s, d);
            self.rewrite_detected(value, d, out)
        })
    }

    /// Like [`Scrubber::scrub_field`], and also appends the findings (offsets into `value`).
    pub fn scrub_field_findings(
        &self,
        key: &str,
        value: &[u8],
        out: &mut Vec<u8>,
        scratch: &mut Scratch,
        findings: &mut Vec<Finding>,
    ) -> usize {
        let key = fields::normalize_key(key.as_bytes());
        self.with_detection(scratch, |d, s| {
            self.detect(value, Some(&key), s, d);
            self.push_findings(value, d, findings);
            self.rewrite_detected(value, d, out)
        })
    }

    /// Finds without rewriting in a structured field's value.
    pub fn scan_field(
        &self,
        key: &str,
        value: &[u8],
        scratch: &mut Scratch,
        findings: &mut Vec<Finding>,
    ) {
        let key = fields::normalize_key(key.as_bytes());
        self.with_detection(scratch, |d, s| {
            self.detect(value, Some(&key), s, d);
            self.push_findings(value, d, findings);
        })
    }

    /// Runs `f` with an empty [`Detection`] whose room is reused from call to call (the public one-line calls).
    fn with_detection<T>(
        &self,
        scratch: &mut Scratch,
        f: impl FnOnce(&mut Detection, &mut Scratch) -> T,
    ) -> T {
        let mut d = std::mem::take(&mut scratch.spare);
        let r = f(&mut d, scratch);
        d.clear();
        scratch.spare = d;
        r
    }

    /// Writes `line` with the findings of `d` replaced.
    pub(crate) fn rewrite_detected(&self, line: &[u8], d: &Detection, out: &mut Vec<u8>) -> usize {
        self.rewrite_with(line, &d.findings, out, None)
    }

    pub(crate) fn push_findings(&self, line: &[u8], d: &Detection, findings: &mut Vec<Finding>) {
        for c in &d.findings {
            findings.push(Finding {
                rule: RuleRef(c.rule),
                start: c.start,
                end: c.end,
                hash: self.keyed_hash(&line[c.start..c.end]),
            });
        }
    }

    /// HMAC-SHA256 of `value` under the scrubber's key, first 8 bytes.
    pub fn keyed_hash(&self, value: &[u8]) -> u64 {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.inner.key.bytes)
            .expect("HMAC takes keys of any length");
        mac.update(value);
        let out = mac.finalize().into_bytes();
        u64::from_be_bytes(out[..8].try_into().expect("8 bytes"))
    }

    // ------------------------------------------------------------------------------------------------ detection

    /// Runs the prefilter over one line, then the rules it marks, into `d` (cleared first).
    pub(crate) fn detect(
        &self,
        line: &[u8],
        outer_key: Option<&str>,
        s: &mut Scratch,
        d: &mut Detection,
    ) {
        self.detect_pass(line, outer_key, s, d);
        d.ran.clear();
        d.ran.extend_from_slice(&s.marked);
        self.finish_detection(line, outer_key, s, d);
    }

    /// One detection pass: prefilter, marked rules, overlaps merged, into `d.findings` and `d.open_block`.
    fn detect_pass(
        &self,
        line: &[u8],
        outer_key: Option<&str>,
        s: &mut Scratch,
        d: &mut Detection,
    ) {
        let scanned = self.inner.prefilter.scan(line, &mut s.prefilter);
        let hits = std::mem::take(&mut s.prefilter.hits);
        self.mark(line, &hits, 0, scanned, outer_key, s);
        s.prefilter.hits = hits;
        self.detect_marked(line, outer_key, s, d);
    }

    /// Completes a line's findings after its first pass, so that they are exactly what the rewrite replaces:
    /// values spelled with JSON `\uXXXX` escapes (found in a decoded view), edges moved out of escapes, `remove`
    /// widened to the whole field value, and values that only a replacement separates from their neighbours
    /// (`…890a10.0.0.1`: found by rescanning the rewritten line, mapped back to the input).
    fn finish_detection(
        &self,
        line: &[u8],
        outer_key: Option<&str>,
        s: &mut Scratch,
        d: &mut Detection,
    ) {
        if self.inner.escape.find(line).is_some() {
            self.escaped_view_pass(line, outer_key, s, d);
        }
        if crate::url_view::needs_view(line) {
            self.url_view_pass(line, outer_key, s, d);
        }
        resolve::snap_to_escapes(line, &mut d.findings);
        s.fields_ready = false;
        self.widen_removals(line, outer_key, s, d);
        if Self::glued(line, d) {
            self.rescan_rewritten(line, outer_key, s, d);
            resolve::snap_to_escapes(line, &mut d.findings);
        }
        s.fields_ready = false;
    }

    /// Whether a finding touches a byte that could be part of a longer token: only then can its replacement
    /// create a new word boundary and so a new match.
    fn glued(line: &[u8], d: &Detection) -> bool {
        let loose = |b: Option<&u8>| {
            b.is_none_or(|b| b.is_ascii_whitespace() || b"\"',;=&()[]{}<>|:/?#\\".contains(b))
        };
        d.findings.iter().any(|c| {
            !loose(c.start.checked_sub(1).and_then(|i| line.get(i))) || !loose(line.get(c.end))
        })
    }

    /// Rescans the rewritten line (at most a few times) and adds what it finds, mapped back to the input.
    fn rescan_rewritten(
        &self,
        line: &[u8],
        outer_key: Option<&str>,
        s: &mut Scratch,
        d: &mut Detection,
    ) {
        let mut tmp = std::mem::take(&mut s.tmp);
        let mut segments = std::mem::take(&mut s.segments);
        let mut nested = std::mem::take(&mut s.nested);
        for _ in 0..3 {
            tmp.clear();
            self.rewrite_with(line, &d.findings, &mut tmp, Some(&mut segments));
            nested.clear();
            self.detect_pass(&tmp, outer_key, s, &mut nested);
            s.extra.clear();
            for c in &nested.findings {
                if let Some((start, end)) = map_back(&segments, c.start, c.end) {
                    s.extra.push(Candidate { start, end, ..*c });
                }
            }
            if s.extra.is_empty() {
                break;
            }
            let mut extra = std::mem::take(&mut s.extra);
            resolve::absorb(&mut d.findings, &mut extra);
            s.extra = extra;
        }
        nested.clear();
        s.nested = nested;
        s.tmp = tmp;
        s.segments = segments;
    }

    /// Detection over a copy of the line with its JSON `\u00XX` escapes of printable ASCII decoded
    /// (`\u0034111…` is a card number), mapped back to the input.
    fn escaped_view_pass(
        &self,
        line: &[u8],
        outer_key: Option<&str>,
        s: &mut Scratch,
        d: &mut Detection,
    ) {
        let mut view = std::mem::take(&mut s.tmp);
        let mut map = std::mem::take(&mut s.view_map);
        view.clear();
        map.clear();
        let mut i = 0;
        let mut decoded_any = false;
        while i < line.len() {
            if line[i] == b'\\' {
                if let Some(b) = decoded_escape(line, i) {
                    map.push(i as u32);
                    view.push(b);
                    i += 6;
                    decoded_any = true;
                    continue;
                }
                // Another escape is copied whole, so that `\\u0041` stays what it is.
                let len = if i + 1 < line.len() { 2 } else { 1 };
                for k in 0..len {
                    map.push((i + k) as u32);
                    view.push(line[i + k]);
                }
                i += len;
                continue;
            }
            map.push(i as u32);
            view.push(line[i]);
            i += 1;
        }
        if decoded_any {
            self.view_pass(line, &view, &map, outer_key, s, d);
        }
        s.tmp = view;
        s.view_map = map;
    }

    /// Detects on `view`, a decoded copy of `line` whose byte `i` stands for the input at `map[i]`, and adds its
    /// findings, mapped back to the input, to `d`.
    fn view_pass(
        &self,
        line: &[u8],
        view: &[u8],
        map: &[u32],
        outer_key: Option<&str>,
        s: &mut Scratch,
        d: &mut Detection,
    ) {
        let mut nested = std::mem::take(&mut s.nested);
        nested.clear();
        self.detect_pass(view, outer_key, s, &mut nested);
        s.extra.clear();
        let orig = |p: usize| map.get(p).map_or(line.len(), |&o| o as usize);
        for c in &nested.findings {
            s.extra.push(Candidate {
                start: orig(c.start),
                end: orig(c.end),
                ..*c
            });
        }
        nested.clear();
        s.nested = nested;
        let mut extra = std::mem::take(&mut s.extra);
        resolve::absorb(&mut d.findings, &mut extra);
        s.extra = extra;
    }

    /// Detection over a copy of the line with its URL encoding decoded (`?ssn=078%2D05%2D1120`,
    /// `addr=Flat+23,+High+St&...`; see [`crate::url_view`]), mapped back to the input: each view byte maps to the
    /// start of its escape, so a finding covers whole escapes.
    fn url_view_pass(
        &self,
        line: &[u8],
        outer_key: Option<&str>,
        s: &mut Scratch,
        d: &mut Detection,
    ) {
        let mut view = std::mem::take(&mut s.tmp);
        let mut map = std::mem::take(&mut s.view_map);
        // `+` read as a space; then, when the line also has escapes, `+` kept (base64 with `%2F` but a raw `+`).
        for plus_is_space in [true, false] {
            let decoded = crate::url_view::build(line, &mut view, &mut map, plus_is_space);
            if !decoded.any(plus_is_space) || (!plus_is_space && !decoded.plus) {
                continue;
            }
            self.view_pass(line, &view, &map, outer_key, s, d);
        }
        s.tmp = view;
        s.view_map = map;
    }

    /// `remove` takes a finding's whole field value (or the whole structured value), so that nothing of it stays.
    fn widen_removals(
        &self,
        line: &[u8],
        outer_key: Option<&str>,
        s: &mut Scratch,
        d: &mut Detection,
    ) {
        let mut widened = false;
        for k in 0..d.findings.len() {
            let c = d.findings[k];
            if !matches!(self.inner.infos[c.rule as usize].action, Action::Remove) {
                continue;
            }
            Self::ensure_fields(line, s);
            if let Some(f) = fields::enclosing(&s.fields, c.start, c.end) {
                let r = f.value.clone();
                d.findings[k].start = r.start.min(c.start);
                d.findings[k].end = r.end.max(c.end);
                widened = true;
            } else if outer_key.is_some() {
                d.findings[k].start = 0;
                d.findings[k].end = line.len();
                widened = true;
            }
        }
        if widened {
            let mut all = std::mem::take(&mut d.findings);
            resolve::merge(&mut all, &[], &[], &mut d.findings);
        }
    }

    /// Runs the prefilter once over `block`, complete lines joined by `\n`, for the lines that follow to be
    /// scrubbed with [`Scrubber::scrub_block_line`] in order. One automaton pass over a block replaces a pass per
    /// line, and lines without a hit are never looked at again.
    pub(crate) fn prefilter_block(&self, block: &[u8], s: &mut Scratch) {
        s.block_complete = self.inner.prefilter.scan(block, &mut s.prefilter).is_ok();
        std::mem::swap(&mut s.block_hits, &mut s.prefilter.hits);
        s.block_cursor = 0;
    }

    /// Scrubs the next line of the block given to [`Scrubber::prefilter_block`]: `line` is its content (no
    /// terminator), found at `start` in the block, and `next` is where the following line starts. A line without a
    /// prefilter hit is copied as it is. Returns the number of findings.
    pub(crate) fn scrub_block_line(
        &self,
        line: &[u8],
        start: usize,
        next: usize,
        out: &mut Vec<u8>,
        s: &mut Scratch,
        d: &mut Detection,
    ) -> usize {
        let from = s.block_cursor;
        let mut to = from;
        while to < s.block_hits.len() && s.block_hits[to].1 as usize <= next {
            to += 1;
        }
        s.block_cursor = to;
        d.clear();
        if from == to && s.block_complete && !self.may_hide_values(line) {
            out.extend_from_slice(line);
            return 0;
        }
        let hits = std::mem::take(&mut s.block_hits);
        let scanned = if s.block_complete {
            Ok(())
        } else {
            Err(Incomplete)
        };
        self.mark(line, &hits[from..to], start, scanned, None, s);
        s.block_hits = hits;
        self.detect_marked(line, None, s, d);
        d.ran.extend_from_slice(&s.marked);
        self.finish_detection(line, None, s, d);
        self.rewrite_detected(line, d, out)
    }

    /// Whether a line without a prefilter hit may still hold a value in an encoded view (URL escapes, `+` in a
    /// query value, JSON `\u00XX` escapes): then it is detected like any other, so that the stream finds what
    /// [`Scrubber::scrub_line`] finds. One `memchr3` pass for the other lines.
    fn may_hide_values(&self, line: &[u8]) -> bool {
        memchr::memchr3(b'%', b'+', b'\\', line).is_some()
            && (crate::url_view::needs_view(line) || self.inner.escape.find(line).is_some())
    }

    /// Skips the block's hits up to `next` (a line handled without scanning, such as a private key's body).
    pub(crate) fn skip_block_line(&self, next: usize, s: &mut Scratch) {
        while s.block_cursor < s.block_hits.len() && s.block_hits[s.block_cursor].1 as usize <= next
        {
            s.block_cursor += 1;
        }
    }

    /// Marks the rules that `hits` (end offsets relative to `base`) name on `line`. When the prefilter could not
    /// finish, every rule is marked: a slow line, never an unscanned one.
    fn mark(
        &self,
        line: &[u8],
        hits: &[(u32, u32)],
        base: usize,
        scanned: Result<(), Incomplete>,
        outer_key: Option<&str>,
        s: &mut Scratch,
    ) {
        let inner = &*self.inner;
        s.marked.clear();
        s.ends.clear();
        s.generation = s.generation.wrapping_add(1);
        if s.generation == 0 {
            // The stamps wrapped around: forget every old one.
            s.triggered.iter_mut().for_each(|t| *t = 0);
            s.unbounded.iter_mut().for_each(|t| *t = 0);
            s.generation = 1;
        }
        let generation = s.generation;
        if scanned.is_err() {
            s.marked.extend(0..inner.rules.len() as u16);
            s.unbounded.iter_mut().for_each(|t| *t = generation);
            return;
        }
        let mark = |r: u16, s: &mut Scratch| {
            let t = &mut s.triggered[r as usize];
            if *t != generation {
                *t = generation;
                s.marked.push(r);
            }
        };
        // Only the pure Rust prefilter reports the end of every match of a rule's pattern (Vectorscan may run a
        // pattern in its approximate prefilter mode).
        let ends_known = inner.prefilter.backend() == Backend::Rust;
        for &(pattern, end) in hits {
            match &inner.prefilter.meanings[pattern as usize] {
                Meaning::Rule(r) => {
                    mark(*r, s);
                    if ends_known && inner.rules[*r as usize].reach.is_some() {
                        let end = (end as usize).saturating_sub(base).min(line.len());
                        s.ends.push((*r, end as u32));
                    } else {
                        s.unbounded[*r as usize] = generation;
                    }
                }
                Meaning::Keyword { rules, len } => {
                    let end = (end as usize).saturating_sub(base).min(line.len());
                    let mut is_key = None;
                    let whole = || {
                        end.checked_sub(*len + 1)
                            .is_none_or(|i| !line[i].is_ascii_alphanumeric())
                    };
                    for &(r, usage) in rules {
                        let counts = match usage {
                            KeywordUse::Anywhere => true,
                            KeywordUse::KeyEnd => {
                                *is_key.get_or_insert_with(|| fields::ends_key(line, end))
                            }
                            KeywordUse::WholeKey => {
                                *is_key.get_or_insert_with(|| fields::ends_key(line, end))
                                    && whole()
                            }
                        };
                        if !counts {
                            continue;
                        }
                        mark(r, s);
                        s.unbounded[r as usize] = generation;
                    }
                }
            }
        }
        // A structured field's key can make a field rule fire on its whole value.
        if let Some(key) = outer_key {
            for r in inner.keys.rules_for(key) {
                mark(r, s);
                s.unbounded[r as usize] = generation;
            }
        }
        // Rules run in rule order, whatever order their hits came in.
        s.marked.sort_unstable();
        s.ends.sort_unstable();
    }

    /// Steps (2) and (3) for the rules marked in `s.triggered`.
    fn detect_marked(
        &self,
        line: &[u8],
        outer_key: Option<&str>,
        s: &mut Scratch,
        d: &mut Detection,
    ) {
        let inner = &*self.inner;
        s.candidates.clear();
        d.findings.clear();
        d.open_block = None;
        s.fields_ready = false;
        if s.marked.is_empty() {
            return;
        }
        placeholder::protected_spans(line, &inner.classes, &mut s.protected);

        // Run the marked rules and confirm their matches; block rules first, so that their markers are known to
        // the others.
        s.markers.clear();
        for blocks_first in [true, false] {
            for k in 0..s.marked.len() {
                let i = s.marked[k] as usize;
                let rule = &inner.rules[i];
                if (rule.kind == RuleKind::Block) != blocks_first {
                    continue;
                }
                match rule.kind {
                    RuleKind::Pattern => self.run_pattern(i, line, outer_key, s),
                    RuleKind::Field => self.run_field(i, line, outer_key, s),
                    RuleKind::Block => self.run_block(i, line, s, d),
                }
            }
        }
        resolve(s, d);
    }

    fn ensure_fields(line: &[u8], s: &mut Scratch) {
        if !s.fields_ready {
            fields::read_fields(line, &mut s.fields);
            s.fields_ready = true;
        }
    }

    fn field_view<'a>(
        line: &[u8],
        start: usize,
        end: usize,
        outer_key: Option<&'a str>,
        s: &'a mut Scratch,
    ) -> FieldView<'a> {
        Self::ensure_fields(line, s);
        match fields::enclosing(&s.fields, start, end) {
            Some(f) => FieldView {
                key: Some(f.key.as_str()),
            },
            None => FieldView { key: outer_key },
        }
    }

    fn run_pattern(&self, i: usize, line: &[u8], outer_key: Option<&str>, s: &mut Scratch) {
        let rule = &self.inner.rules[i];
        let Some(re) = rule.regex.as_ref() else {
            return;
        };
        // Where this line's matches end, when the prefilter told (see `CompiledRule::reach`): every match starting
        // at or after `at` ends at one of them, after `at`, and starts at most `reach` before it.
        let bounded = rule.reach.filter(|_| s.unbounded[i] != s.generation);
        let ends = match bounded {
            Some(_) => {
                let from = s.ends.partition_point(|&(r, _)| (r as usize) < i);
                let to = s.ends.partition_point(|&(r, _)| (r as usize) <= i);
                from..to
            }
            None => 0..0,
        };
        let mut at = 0;
        while at <= line.len() {
            let input = match bounded {
                None => Input::new(line).range(at..),
                Some(reach) => {
                    let e = &s.ends[ends.clone()];
                    let next = e.partition_point(|&(_, end)| end as usize <= at);
                    let Some(&(_, first)) = e.get(next) else {
                        break;
                    };
                    let last = e[e.len() - 1].1 as usize;
                    Input::new(line).range(at.max((first as usize).saturating_sub(reach))..last)
                }
            };
            let (mstart, mend, sstart, send) = if let Some(g) = re.secret_group() {
                let cache = s.caches[i].get_or_insert_with(|| re.create_cache());
                let caps = s.caps[i].get_or_insert_with(|| re.create_captures());
                re.search_captures_with(cache, &input, caps);
                let Some(m) = caps.get_match() else { break };
                let (ss, se) = match caps.get_group(g) {
                    Some(sp) => (sp.start, sp.end),
                    None => (m.start(), m.end()),
                };
                (m.start(), m.end(), ss, se)
            } else {
                let cache = s.caches[i].get_or_insert_with(|| re.create_cache());
                let Some(m) = re.search_with(cache, &input) else {
                    break;
                };
                (m.start(), m.end(), m.start(), m.end())
            };
            at = if mend > mstart { mend } else { mend + 1 };
            if send <= sstart {
                continue;
            }
            // A match over a placeholder cannot be taken; a shorter one may start later.
            if resolve::overlaps_any(&s.protected, sstart, send) {
                at = mstart + 1;
                continue;
            }
            // A match glued to a key-block marker keeps only its part outside the marker (`sig=zzz-----BEGIN`).
            let (mut sstart, mut send) = (sstart, send);
            for m in &s.markers {
                if m.start < send && sstart < m.end {
                    if sstart < m.start {
                        send = m.start;
                    } else {
                        sstart = sstart.max(m.end);
                    }
                }
            }
            if send <= sstart {
                at = mstart + 1;
                continue;
            }
            // A rejected match may hide a real one that starts inside it (`1999 4111 1111 1111 1111`: the
            // first four groups fail Luhn, the card starts at the second group): search again one byte later.
            if let Some(v) = rule.validator {
                if !validate::check(v, line, sstart, send) {
                    at = mstart + 1;
                    continue;
                }
            }
            if !self.context_ok(i, line, sstart, send, outer_key, s) {
                continue;
            }
            s.candidates.push(Candidate {
                start: sstart,
                end: send,
                rule: i as u16,
                priority: rule.priority,
                sticky: matches!(
                    self.inner.infos[i].category,
                    Category::Secret | Category::UrlCredential
                ),
            });
        }
    }

    /// Context keywords, field names, free-form fields and excluded fields.
    fn context_ok(
        &self,
        i: usize,
        line: &[u8],
        start: usize,
        end: usize,
        outer_key: Option<&str>,
        s: &mut Scratch,
    ) -> bool {
        let rule = &self.inner.rules[i];
        if !rule.needs_fields && rule.context.is_none() {
            return true;
        }
        let view = if rule.needs_fields {
            Self::field_view(line, start, end, outer_key, s)
        } else {
            FieldView { key: outer_key }
        };
        if let Some(key) = view.key {
            if rule.exclude_fields.iter().any(|x| key.contains(x.as_str())) {
                return false;
            }
        }
        let Some(ctx) = &rule.context else {
            return true;
        };
        if !ctx.required {
            return true;
        }
        let from = start.saturating_sub(ctx.window);
        let window = &line[from..start];
        let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
        // A keyword counts only as a word of its own: `a/c` in `data/current` does not.
        if ctx.ac.find_overlapping_iter(window).any(|m| {
            let glued_before = word(m.start().checked_sub(1).and_then(|i| window.get(i)));
            let glued_after = word(window.get(m.end())) && word(window.get(m.end() - 1));
            !glued_before && !glued_after
        }) {
            return true;
        }
        if let Some(key) = view.key {
            if rule.field_matches(key)
                || ctx.words.iter().any(|w| key.contains(w.as_str()))
                || (rule.freeform && self.inner.freeform.iter().any(|f| f == key))
            {
                return true;
            }
        }
        false
    }

    fn run_field(&self, i: usize, line: &[u8], outer_key: Option<&str>, s: &mut Scratch) {
        let rule = &self.inner.rules[i];
        Self::ensure_fields(line, s);
        let mut found = Vec::new();
        for f in &s.fields {
            if !rule.field_matches(&f.key) {
                continue;
            }
            let mut v = f.value.clone();
            if !f.quoted && rule.value_shape == ValueShape::Phrase {
                v = fields::extend_phrase(line, v);
            } else if !f.quoted && self.inner.infos[i].category == Category::Secret {
                // A secret runs to the end of its value, punctuation included (`Tr0ub4dor&3`).
                v = crate::secret_value::secret_extent(line, v);
            }
            found.push(v);
        }
        if found.is_empty() {
            if let Some(key) = outer_key {
                if rule.field_matches(key) {
                    found.push(0..line.len());
                }
            }
        }
        for v in found {
            let (mut a, mut b) = (v.start, v.end);
            while a < b && line[a].is_ascii_whitespace() {
                a += 1;
            }
            while b > a && line[b - 1].is_ascii_whitespace() {
                b -= 1;
            }
            if b - a < rule.min_len.max(1)
                || validate::is_placeholder(&line[a..b])
                || matches!(line[a], b'{' | b'[')
            {
                continue;
            }
            if let Some(val) = rule.validator {
                if !validate::check(val, line, a, b) {
                    continue;
                }
            }
            s.candidates.push(Candidate {
                start: a,
                end: b,
                rule: i as u16,
                priority: rule.priority,
                sticky: true,
            });
        }
    }

    fn run_block(&self, i: usize, line: &[u8], s: &mut Scratch, d: &mut Detection) {
        let rule = &self.inner.rules[i];
        let (Some(begin), Some(end)) = (rule.regex.as_ref(), rule.end_regex.as_ref()) else {
            return;
        };
        // The markers themselves stay readable and whole in every pass, so no other finding may cut them.
        for re in [begin, end] {
            s.markers.extend(re.find_iter(line).map(|m| m.range()));
        }
        let mut at = 0;
        while at < line.len() {
            let Some(b) = begin.find(Input::new(line).range(at..)) else {
                return;
            };
            match end.find(Input::new(line).range(b.end()..)) {
                Some(e) => {
                    if e.start() > b.end() {
                        s.candidates.push(Candidate {
                            start: b.end(),
                            end: e.start(),
                            rule: i as u16,
                            priority: rule.priority,
                            sticky: true,
                        });
                    }
                    at = e.end();
                }
                None => {
                    let mut stop = line.len();
                    while stop > b.end() && matches!(line[stop - 1], b' ' | b'"' | b'\'' | b'\t') {
                        stop -= 1;
                    }
                    if stop > b.end() {
                        s.candidates.push(Candidate {
                            start: b.end(),
                            end: stop,
                            rule: i as u16,
                            priority: rule.priority,
                            sticky: true,
                        });
                    }
                    d.open_block = Some(i as u16);
                    return;
                }
            }
        }
    }
}

/// Merges the pass's candidates into its findings (see [`crate::resolve`]).
fn resolve(s: &mut Scratch, d: &mut Detection) {
    let mut candidates = std::mem::take(&mut s.candidates);
    resolve::merge(&mut candidates, &s.protected, &s.markers, &mut d.findings);
    s.candidates = candidates;
}

/// The printable ASCII byte a JSON `\u00XX` escape at `i` stands for, if it is one (not `"` or `\\`, which must
/// stay escaped, and not preceded by another backslash that would make it literal text).
fn decoded_escape(line: &[u8], i: usize) -> Option<u8> {
    let esc = line.get(i..i + 6)?;
    if &esc[..4] != b"\\u00" {
        return None;
    }
    let hex = |b: u8| (b as char).to_digit(16);
    let v = hex(esc[4])? * 16 + hex(esc[5])?;
    let b = u8::try_from(v).ok()?;
    let backslashes_before = line[..i].iter().rev().take_while(|&&c| c == b'\\').count();
    (backslashes_before % 2 == 0 && (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
        .then_some(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The findings of one detection pass on `line`: as the prefilter directs it, and with every rule run over
    /// the whole line (the fail-closed path of an incomplete prefilter).
    fn both_ways(s: &Scrubber, line: &[u8]) -> (Vec<Candidate>, Vec<Candidate>) {
        let mut scratch = s.scratch();
        let mut d = Detection::default();
        s.detect_pass(line, None, &mut scratch, &mut d);
        let directed = d.findings.clone();
        s.mark(line, &[], 0, Err(Incomplete), None, &mut scratch);
        s.detect_marked(line, None, &mut scratch, &mut d);
        (directed, d.findings.clone())
    }

    #[test]
    fn searches_bounded_by_the_prefilter_find_what_whole_line_searches_find() {
        let s = Scrubber::builder().build().unwrap();
        for line in [
            &b"src: /10.250.19.102:54106 dest: /10.250.19.102:50010 via 1.2.3.4.5 and 999.1.1.1"[..],
            b"a1.2.3.4 10.0.0.256 /192.168.1.1/ 8.8.8.8",
            b"ssn 078-05-1120 and 078-05-11201 and 1078-05-1120 then 219-09-9999",
            b"cpf 123.456.789-09 cnpj 11.222.333/0001-81 hetu 131052-308T",
            b"ip-10-0-0-1.ec2.internal host-192-168-1-1 10.0.0.1",
            b"AB123456C QQ 12 34 56 C GB82WEST12345698765432 DE89 3704 0044 0532 0130 00",
        ] {
            let (directed, whole) = both_ways(&s, line);
            assert_eq!(directed, whole, "{}", String::from_utf8_lossy(line));
        }
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("10.0.0.1".to_string()),
            Just("256.1.1.1".to_string()),
            Just("078-05-1120".to_string()),
            Just("123.456.789-09".to_string()),
            Just("GB82WEST12345698765432".to_string()),
            Just("ip-10-1-2-3".to_string()),
            "[0-9.:/-]{1,12}",
            "[a-z ]{1,6}",
        ]
    }

    proptest! {
        #[test]
        fn bounded_searches_agree_on_random_lines(parts in prop::collection::vec(fragment(), 1..12)) {
            static PACK: std::sync::OnceLock<Scrubber> = std::sync::OnceLock::new();
            let s = PACK.get_or_init(|| Scrubber::builder().build().unwrap());
            let line = parts.concat();
            let (directed, whole) = both_ways(s, line.as_bytes());
            prop_assert_eq!(directed, whole);
        }
    }

    #[test]
    fn warm_up_builds_every_deferred_regex() {
        let s = Scrubber::builder().build().unwrap();
        let built = |s: &Scrubber| {
            s.inner
                .rules
                .iter()
                .flat_map(|r| [&r.regex, &r.end_regex])
                .flatten()
                .filter(|re| re.is_built())
                .count()
        };
        let all = s
            .inner
            .rules
            .iter()
            .flat_map(|r| [&r.regex, &r.end_regex])
            .flatten()
            .count();
        assert!(
            built(&s) < all / 10,
            "the default pack's regexes are deferred"
        );
        let mut out = Vec::new();
        let before = s.scrub_line(
            b"card 4111 1111 1111 1111 from 10.0.0.1",
            &mut out,
            &mut s.scratch(),
        );
        s.warm_up();
        assert_eq!(built(&s), all);
        let mut again = Vec::new();
        let after = s.scrub_line(
            b"card 4111 1111 1111 1111 from 10.0.0.1",
            &mut again,
            &mut s.scratch(),
        );
        assert_eq!((before, out), (after, again));
    }
}
