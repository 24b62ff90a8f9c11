//! Scrubbing a byte stream: line framing, CRLF, over-long lines and blocks that span lines (PEM keys).
//!
//! [`LineStream`] is pure: callers push bytes in and take bytes out, so the CLI, the daemon and the tracing writer
//! share one implementation of the stream rules. Memory stays bounded by the policy's `max_line_bytes`, whatever
//! the input size. Every line break is kept; a line is never passed through unscanned.

use crate::placeholder;
use crate::policy::LongLinePolicy;
use crate::scrubber::{Detection, Finding, Scratch, Scrubber};

/// Counters for one stream, for `--stats` and metrics. Never holds a scanned value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Lines seen (a final line without a terminator counts).
    pub lines: u64,
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// Lines with at least one finding.
    pub lines_changed: u64,
    /// Findings per rule, indexed like [`Scrubber::rules`].
    pub findings: Vec<u64>,
    /// Lines longer than the limit.
    pub long_lines: u64,
    /// Of those, lines replaced whole (`long_line = "mask"`).
    pub long_lines_masked: u64,
    /// Of those, lines dropped (`long_line = "drop"`).
    pub long_lines_dropped: u64,
    /// Lines inside multi-line blocks (private keys) that were replaced.
    pub block_lines: u64,
    /// Lines on which each rule's prefilter fired (so its regex and validators ran), indexed like
    /// [`Scrubber::rules`]: the cost side of [`Stats::findings`].
    pub prefiltered: Vec<u64>,
}

impl Stats {
    /// Adds another stream's counters (parallel workers).
    pub fn merge(&mut self, o: &Stats) {
        self.lines += o.lines;
        self.bytes_in += o.bytes_in;
        self.bytes_out += o.bytes_out;
        self.lines_changed += o.lines_changed;
        if self.findings.len() < o.findings.len() {
            self.findings.resize(o.findings.len(), 0);
        }
        for (a, b) in self.findings.iter_mut().zip(&o.findings) {
            *a += b;
        }
        if self.prefiltered.len() < o.prefiltered.len() {
            self.prefiltered.resize(o.prefiltered.len(), 0);
        }
        for (a, b) in self.prefiltered.iter_mut().zip(&o.prefiltered) {
            *a += b;
        }
        self.long_lines += o.long_lines;
        self.long_lines_masked += o.long_lines_masked;
        self.long_lines_dropped += o.long_lines_dropped;
        self.block_lines += o.block_lines;
    }

    /// Total findings.
    pub fn total_findings(&self) -> u64 {
        self.findings.iter().sum()
    }
}

/// A finding with the 1-based line number of the stream it came from. `start`/`end` are offsets in that line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineFinding {
    /// 1-based line number.
    pub line: u64,
    /// The finding (offsets within the line's content).
    pub finding: Finding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LongState {
    /// Not inside an over-long line.
    Normal,
    /// Inside an over-long line being scanned in windows.
    Windowing,
    /// Inside an over-long line being masked or dropped: skip until the newline.
    Skipping,
}

/// Most lines a multi-line block may span before we stop treating lines as part of it.
const MAX_BLOCK_LINES: u32 = 2000;

/// A stateful scrubber for one stream of lines. Not shared between threads: make one per stream.
pub struct LineStream {
    scrubber: Scrubber,
    scratch: Scratch,
    /// What detection found on the line just scrubbed (its findings, statistics and whether a block opened).
    detection: Detection,
    pending: Vec<u8>,
    long: LongState,
    block: Option<(u16, u32)>,
    stats: Stats,
    collect: bool,
    findings: Vec<LineFinding>,
    line_findings: Vec<Finding>,
    /// Inside an over-long line scanned in windows: how many leading bytes of `pending` were already written
    /// (kept as left context for the next window, so that a value right after a cut still has its key), and the
    /// offset of `pending[0]` in the line.
    window_context: usize,
    window_offset: usize,
}

impl std::fmt::Debug for LineStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LineStream")
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl Scrubber {
    /// A new stream scrubber sharing this scrubber's compiled rules.
    pub fn stream(&self) -> LineStream {
        LineStream {
            scrubber: self.clone(),
            scratch: self.scratch(),
            detection: Detection::default(),
            pending: Vec::new(),
            long: LongState::Normal,
            block: None,
            stats: Stats {
                findings: vec![0; self.rules().len()],
                prefiltered: vec![0; self.rules().len()],
                ..Stats::default()
            },
            collect: false,
            findings: Vec::new(),
            line_findings: Vec::new(),
            window_context: 0,
            window_offset: 0,
        }
    }
}

impl Scrubber {
    /// Where a caller that splits one stream into independently scrubbed chunks (the CLI's worker threads) may
    /// cut `buf`: the end of its last complete line, unless a multi-line block (a private key) is still open
    /// there, in which case the start of the line that opened it (`None` when that is the start of `buf`).
    /// A fresh [`LineStream`] started at the cut gives the same bytes as one that read everything before it.
    /// With `force`, the end of the last complete line whatever is open (a block longer than the caller's
    /// buffer limit is then scanned line by line, as the stream does after its block line limit).
    pub fn safe_cut(&self, buf: &[u8], force: bool) -> Option<usize> {
        self.safe_cut_within(buf, force, 64)
    }

    /// [`Scrubber::safe_cut`], looking back over at most `depth` block openings.
    fn safe_cut_within(&self, buf: &[u8], force: bool, depth: u32) -> Option<usize> {
        let nl = memchr::memrchr(b'\n', buf)?;
        let head = &buf[..=nl];
        if force {
            return Some(nl + 1);
        }
        // The last block opening in the head, over every block rule.
        let mut last: Option<(usize, usize, u16)> = None;
        for (i, rule) in self.inner.rules.iter().enumerate() {
            if rule.kind != crate::rules::RuleKind::Block {
                continue;
            }
            let Some(begin) = rule.regex.as_ref() else {
                continue;
            };
            if let Some(m) = begin.find_iter(head).last() {
                if last.is_none_or(|(s, _, _)| m.start() > s) {
                    last = Some((m.start(), m.end(), i as u16));
                }
            }
        }
        let Some((b_start, b_end, rule)) = last else {
            return Some(nl + 1);
        };
        let line_start = memchr::memrchr(b'\n', &head[..b_start]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &head[b_end..]).map_or(head.len(), |i| b_end + i);
        let compiled = &self.inner.rules[rule as usize];
        let Some(end_re) = compiled.end_regex.as_ref() else {
            return Some(nl + 1);
        };
        // Closed on its own line?
        if end_re.is_match(regex_automata::Input::new(&head[b_end..line_end])) {
            return Some(nl + 1);
        }
        // Walk the following lines as the stream would (`LineStream::continue_block`).
        let class = &self.rule(crate::RuleRef(rule)).class;
        let mut own = Vec::new();
        placeholder::write_redacted(class, &mut own);
        let mut at = line_end + 1;
        let mut n = 0u32;
        while at <= nl {
            let e = memchr::memchr(b'\n', &head[at..]).map_or(head.len(), |i| at + i);
            let (content, _) = split_terminator(&head[at..=e.min(nl)]);
            match block_line(content, end_re, n, &own) {
                BlockLine::Blank | BlockLine::Key { .. } => n += 1,
                BlockLine::Ends { .. } | BlockLine::NotPart => return Some(nl + 1),
            }
            at = e + 1;
        }
        // Still open: cut before the line that opened it, if no earlier block is open there (a `-----BEGIN` line
        // can itself continue an earlier block).
        if line_start == 0 || depth == 0 {
            return None;
        }
        match self.safe_cut_within(&buf[..line_start], false, depth - 1) {
            Some(c) if c == line_start => Some(c),
            earlier => earlier,
        }
    }
}

/// How a line inside an open block continues it: the one classification [`LineStream::continue_block`] acts on
/// and [`Scrubber::safe_cut`] walks, so that a chunk boundary never changes what is redacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockLine {
    /// The end marker starts at `marker` on this line: the block is over after it.
    Ends { marker: usize },
    /// An empty line, or this block's own placeholder (an earlier pass): written as it is; the block goes on.
    Blank,
    /// Key material at `start..end`; with `prefixed`, a log prefix comes before it (scanned normally). The block
    /// goes on.
    Key {
        start: usize,
        end: usize,
        prefixed: bool,
    },
    /// Not part of the block: the block is over and the line is scanned normally.
    NotPart,
}

/// Classifies `content`, the `n`-th line after a block opened; `own` is the block's placeholder.
fn block_line(content: &[u8], end: &regex_automata::meta::Regex, n: u32, own: &[u8]) -> BlockLine {
    if let Some(m) = end.find(content) {
        return BlockLine::Ends { marker: m.start() };
    }
    if n >= MAX_BLOCK_LINES {
        return BlockLine::NotPart;
    }
    let lead = leading_ws(content);
    let body = content[lead..].trim_ascii_end();
    if body.is_empty() || body == own {
        return BlockLine::Blank;
    }
    if is_key_material(body) {
        return BlockLine::Key {
            start: lead,
            end: lead + body.len(),
            prefixed: false,
        };
    }
    // A log prefix before the key material: the trailing base64 token counts if it is long.
    if let Some(sp) = body.iter().rposition(|&b| b == b' ') {
        let tail = &body[sp + 1..];
        if tail.len() >= 40 && is_key_material(tail) {
            return BlockLine::Key {
                start: lead + sp + 1,
                end: lead + body.len(),
                prefixed: true,
            };
        }
    }
    BlockLine::NotPart
}

impl LineStream {
    /// Also record findings (with line numbers), to be taken with [`LineStream::take_findings`].
    pub fn collect_findings(mut self, yes: bool) -> Self {
        self.collect = yes;
        self
    }

    /// The counters so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Whether the stream holds nothing between lines: no partial line, no open key block, no over-long line
    /// in progress. A caller may then continue the input on another stream (a fresh one scrubs what follows
    /// exactly as this one would).
    pub fn is_at_rest(&self) -> bool {
        self.pending.is_empty() && self.block.is_none() && self.long == LongState::Normal
    }

    /// Findings recorded since the last call.
    pub fn take_findings(&mut self) -> Vec<LineFinding> {
        std::mem::take(&mut self.findings)
    }

    /// Scrubs `input`, appending to `out` every line completed so far. A trailing partial line is kept until the
    /// next push (or [`LineStream::finish`]); if it grows past the limit it is handled by the long-line policy.
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>) {
        self.stats.bytes_in += input.len() as u64;
        let before = out.len();
        let mut rest = input;
        // First the line that was pending from the last push, if this input completes it.
        if !self.pending.is_empty() || self.long != LongState::Normal {
            match memchr::memchr(b'\n', rest) {
                Some(nl) => {
                    self.pending.extend_from_slice(&rest[..=nl]);
                    rest = &rest[nl + 1..];
                    let whole = std::mem::take(&mut self.pending);
                    self.complete_line(&whole, None, out);
                    self.pending = whole;
                    self.pending.clear();
                }
                None => {
                    self.pending.extend_from_slice(rest);
                    rest = &[];
                    self.check_long(out);
                }
            }
        }
        // Then every complete line of the input as one block: one prefilter pass for all of them.
        if let Some(last) = memchr::memrchr(b'\n', rest) {
            let (block, tail) = rest.split_at(last + 1);
            rest = tail;
            self.scrub_block(block, out);
        }
        if !rest.is_empty() {
            self.pending.extend_from_slice(rest);
            self.check_long(out);
        }
        self.stats.bytes_out += (out.len() - before) as u64;
    }

    /// Scrubs complete lines (the block ends with `\n`).
    fn scrub_block(&mut self, block: &[u8], out: &mut Vec<u8>) {
        self.scrubber.prefilter_block(block, &mut self.scratch);
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', block) {
            self.complete_line(&block[start..=nl], Some(start), out);
            start = nl + 1;
        }
    }

    /// Ends the stream: scrubs a final line that had no terminator.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        let before = out.len();
        if !self.pending.is_empty() || self.long != LongState::Normal {
            let whole = std::mem::take(&mut self.pending);
            self.complete_line(&whole, None, out);
        }
        self.stats.bytes_out += (out.len() - before) as u64;
    }

    /// Handles a complete line, with its terminator if it has one. `at` is its offset in the block given to the
    /// prefilter, if it came in one.
    fn complete_line(&mut self, raw: &[u8], at: Option<usize>, out: &mut Vec<u8>) {
        let (content, term) = split_terminator(raw);
        match self.long {
            LongState::Skipping => {
                // The rest of a masked or dropped line: only a masked line keeps its line break.
                if self.scrubber.limits().long_line == LongLinePolicy::Mask {
                    out.extend_from_slice(term);
                }
                self.long = LongState::Normal;
                self.stats.lines += 1;
                return;
            }
            LongState::Windowing => {
                self.long = LongState::Normal;
                self.stats.lines += 1;
                self.scrub_window(content, content.len(), out);
                self.window_context = 0;
                self.window_offset = 0;
                out.extend_from_slice(term);
                return;
            }
            LongState::Normal => {}
        }
        self.stats.lines += 1;
        if content.len() > self.scrubber.limits().max_line_bytes {
            // An over-long line that arrived whole: it is already in memory, so "window" scans it in one piece.
            self.stats.long_lines += 1;
            match self.scrubber.limits().long_line {
                LongLinePolicy::Window => {}
                LongLinePolicy::Mask => {
                    self.stats.long_lines_masked += 1;
                    placeholder::write_redacted("long_line", out);
                    out.extend_from_slice(term);
                    return;
                }
                LongLinePolicy::Drop => {
                    self.stats.long_lines_dropped += 1;
                    return;
                }
            }
        }
        if let Some((rule, n)) = self.block {
            if self.continue_block(rule, n, content, out) {
                if let Some(at) = at {
                    // Keep the block's hits in step: this line's are not needed.
                    self.scrubber
                        .skip_block_line(at + raw.len(), &mut self.scratch);
                }
                out.extend_from_slice(term);
                return;
            }
        }
        self.scrub_content(content, at.map(|a| (a, a + raw.len())), out);
        out.extend_from_slice(term);
    }

    /// Scrubs one line's content; `at` is its place in the current block (start, start of the next line), if it
    /// came in one, so that the block's prefilter hits are used instead of a new pass.
    fn scrub_content(&mut self, content: &[u8], at: Option<(usize, usize)>, out: &mut Vec<u8>) {
        self.scrub_content_at(content, at, 0, out);
    }

    /// [`LineStream::scrub_content`] for a piece of a line that starts at `offset` in it.
    fn scrub_content_at(
        &mut self,
        content: &[u8],
        at: Option<(usize, usize)>,
        offset: usize,
        out: &mut Vec<u8>,
    ) {
        let line = self.stats.lines;
        let findings = self.collect.then(|| {
            self.line_findings.clear();
            &mut self.line_findings
        });
        let d = &mut self.detection;
        let n = match at {
            Some((start, next)) => {
                self.scrubber
                    .scrub_block_line(content, start, next, out, &mut self.scratch, d)
            }
            None => {
                self.scrubber.detect(content, None, &mut self.scratch, d);
                self.scrubber.rewrite_detected(content, d, out)
            }
        };
        if let Some(f) = findings {
            self.scrubber.push_findings(content, d, f);
        }
        if self.collect {
            self.findings
                .extend(self.line_findings.iter().map(|&finding| LineFinding {
                    line,
                    finding: Finding {
                        start: finding.start + offset,
                        end: finding.end + offset,
                        ..finding
                    },
                }));
        }
        self.count(n);
        if let Some(rule) = self.detection.open_block {
            self.block = Some((rule, 0));
        }
    }

    /// Counts the line just scrubbed (`n` findings, as `self.detection` says) in the statistics.
    fn count(&mut self, n: usize) {
        for &r in &self.detection.ran {
            self.stats.prefiltered[r as usize] += 1;
        }
        if n > 0 {
            self.stats.lines_changed += 1;
            for c in &self.detection.findings {
                self.stats.findings[c.rule as usize] += 1;
            }
        }
    }

    /// Inside a multi-line block: replaces the key material of this line. Returns false when the line is not part
    /// of the block (the block ended without its end marker), so it is scanned normally.
    fn continue_block(&mut self, rule: u16, n: u32, content: &[u8], out: &mut Vec<u8>) -> bool {
        let scrubber = self.scrubber.clone();
        let info = scrubber.rule(crate::RuleRef(rule));
        let Some(end_re) = scrubber.inner.rules[rule as usize].end_regex.as_ref() else {
            self.block = None;
            return false;
        };
        let mut own = Vec::new();
        placeholder::write_redacted(&info.class, &mut own);
        match block_line(content, end_re, n, &own) {
            BlockLine::Ends { marker } => {
                // Last line: replace key material before the end marker, then scan the rest normally. Anything
                // else before the marker is scanned normally with the whole line.
                self.block = None;
                let lead = leading_ws(&content[..marker]);
                let before = content[lead..marker].trim_ascii();
                if before.is_empty() || !is_key_material(before) {
                    return false;
                }
                let changed = self.stats.lines_changed;
                out.extend_from_slice(&content[..lead]);
                self.replace_block_line(rule, content, lead, lead + before.len(), out);
                out.extend_from_slice(&content[lead + before.len()..marker]);
                self.scrub_content_at(&content[marker..], None, marker, out);
                // One changed line, however many findings it held.
                self.stats.lines_changed = changed + 1;
                true
            }
            BlockLine::Blank => {
                out.extend_from_slice(content);
                self.block = Some((rule, n + 1));
                true
            }
            BlockLine::Key {
                start,
                end,
                prefixed,
            } => {
                let changed = self.stats.lines_changed;
                if prefixed {
                    self.scrub_content(&content[..start], None, out);
                } else {
                    out.extend_from_slice(&content[..start]);
                }
                self.replace_block_line(rule, content, start, end, out);
                out.extend_from_slice(&content[end..]);
                self.stats.lines_changed = changed + 1;
                self.block = Some((rule, n + 1));
                true
            }
            BlockLine::NotPart => {
                self.block = None;
                false
            }
        }
    }

    /// Writes the placeholder for `content[start..end]`, key material of an open block (the caller writes what
    /// comes before and after and counts the changed line), and reports it like any other finding (the same list
    /// `scan` reads).
    fn replace_block_line(
        &mut self,
        rule: u16,
        content: &[u8],
        start: usize,
        end: usize,
        out: &mut Vec<u8>,
    ) {
        let scrubber = self.scrubber.clone();
        let info = scrubber.rule(crate::RuleRef(rule));
        placeholder::write_redacted(&info.class, out);
        self.stats.findings[rule as usize] += 1;
        self.stats.block_lines += 1;
        if self.collect {
            self.findings.push(LineFinding {
                line: self.stats.lines,
                finding: Finding {
                    rule: crate::RuleRef(rule),
                    start,
                    end,
                    hash: scrubber.keyed_hash(&content[start..end]),
                },
            });
        }
    }

    /// The trailing partial line grew: apply the long-line policy once it passes the limit.
    fn check_long(&mut self, out: &mut Vec<u8>) {
        let max = self.scrubber.limits().max_line_bytes;
        if self.long == LongState::Skipping {
            self.pending.clear();
            return;
        }
        while self.pending.len() >= max.max(self.window_context + 1) {
            if self.long == LongState::Normal {
                self.stats.long_lines += 1;
            }
            match self.scrubber.limits().long_line {
                LongLinePolicy::Mask => {
                    self.stats.long_lines_masked += 1;
                    placeholder::write_redacted("long_line", out);
                    self.pending.clear();
                    self.long = LongState::Skipping;
                    return;
                }
                LongLinePolicy::Drop => {
                    self.stats.long_lines_dropped += 1;
                    self.pending.clear();
                    self.long = LongState::Skipping;
                    return;
                }
                LongLinePolicy::Window => {
                    self.long = LongState::Windowing;
                    let overlap = (max / 8).clamp(256, 64 * 1024);
                    let pending = std::mem::take(&mut self.pending);
                    let cut =
                        self.scrub_window(&pending, pending.len().saturating_sub(overlap), out);
                    // Keep some written bytes as left context: a key right before the cut still names the value
                    // after it, a `-----BEGIN` marker still opens the block.
                    let context = (overlap / 2).min(1024).min(cut);
                    self.pending = pending;
                    self.pending.drain(..cut - context);
                    self.window_offset += cut - context;
                    self.window_context = context;
                }
            }
        }
    }

    /// Scans `window` (an over-long line's bytes from `window_offset`, whose first `window_context` bytes were
    /// written already) and writes it up to a cut at or after `want_cut`, moved so that no finding is split.
    /// Returns the cut. Findings are reported in the line's coordinates.
    fn scrub_window(&mut self, window: &[u8], want_cut: usize, out: &mut Vec<u8>) -> usize {
        let scrubber = self.scrubber.clone();
        let done = self.window_context;
        scrubber.detect(window, None, &mut self.scratch, &mut self.detection);
        let accepted = &mut self.detection.findings;
        // Findings wholly inside the context were handled by the previous window; one that reaches into it keeps
        // only its new part.
        accepted.retain(|c| c.end > done);
        for c in accepted.iter_mut() {
            c.start = c.start.max(done);
        }
        let mut cut = want_cut.max(done + 1).min(window.len());
        for c in accepted.iter() {
            if c.start < cut && cut < c.end {
                cut = if c.start > done { c.start } else { c.end };
            }
        }
        accepted.retain(|c| c.end <= cut);
        let mut piece = Vec::new();
        let n = scrubber.rewrite_detected(&window[..cut], &self.detection, &mut piece);
        // The context was written before, unchanged (no finding starts in it).
        out.extend_from_slice(&piece[done.min(piece.len())..]);
        if self.collect {
            let line = self.stats.lines + u64::from(self.long == LongState::Windowing);
            let base = self.window_offset;
            for c in &self.detection.findings {
                self.findings.push(LineFinding {
                    line,
                    finding: Finding {
                        rule: crate::RuleRef(c.rule),
                        start: base + c.start,
                        end: base + c.end,
                        hash: scrubber.keyed_hash(&window[c.start..c.end]),
                    },
                });
            }
        }
        self.count(n);
        cut
    }
}

fn split_terminator(raw: &[u8]) -> (&[u8], &[u8]) {
    if raw.ends_with(b"\r\n") {
        raw.split_at(raw.len() - 2)
    } else if raw.ends_with(b"\n") {
        raw.split_at(raw.len() - 1)
    } else {
        (raw, &[])
    }
}

fn leading_ws(s: &[u8]) -> usize {
    s.iter().take_while(|b| b.is_ascii_whitespace()).count()
}

/// Base64 body lines and PEM headers (`Proc-Type:`, `DEK-Info:`, `Comment:`, `Version:`).
fn is_key_material(s: &[u8]) -> bool {
    const HEADERS: &[&[u8]] = &[
        b"Proc-Type:",
        b"DEK-Info:",
        b"Comment:",
        b"Version:",
        b"Hash:",
    ];
    if HEADERS.iter().any(|h| s.starts_with(h)) {
        return true;
    }
    s.iter()
        .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'))
        && s.len() >= 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &Scrubber, chunks: &[&[u8]]) -> Vec<u8> {
        let mut st = s.stream();
        let mut out = Vec::new();
        for c in chunks {
            st.push(c, &mut out);
        }
        st.finish(&mut out);
        out
    }

    #[test]
    fn crlf_and_missing_final_newline_survive() {
        let s = Scrubber::default_rules().unwrap();
        let out = run(&s, &[b"a\r\nb\n", b"c"]);
        assert_eq!(out, b"a\r\nb\nc");
    }

    #[test]
    fn chunk_boundaries_do_not_matter() {
        let s = Scrubber::default_rules().unwrap();
        let input = b"card 4111 1111 1111 1111 ok\nmail bob@example.com\n";
        let whole = run(&s, &[input]);
        for cut in 0..input.len() {
            let (a, b) = input.split_at(cut);
            assert_eq!(run(&s, &[a, b]), whole, "cut at {cut}");
        }
    }
}
