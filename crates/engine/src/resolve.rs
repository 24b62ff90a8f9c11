//! Turning a line's raw candidates into its findings: overlaps merged, JSON escapes kept whole.
//!
//! Every consumer (the rewrite, `scan`, statistics, the daemon, tracing) reads the list this module leaves in
//! `Scratch::accepted`, so it must be final: non-overlapping, sorted by start, each span exactly what the rewrite
//! replaces. It must never drop a sensitive byte: when two candidates overlap, the union is kept (labelled with the
//! stronger rule), never only the winner. Work is `O(n log n)` in the number of candidates.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::scrubber::Candidate;

/// The order of strength between two overlapping candidates: higher priority, then longer, then earlier.
fn stronger(a: &Candidate, b: &Candidate) -> bool {
    (a.priority, a.end - a.start, std::cmp::Reverse(a.start))
        > (b.priority, b.end - b.start, std::cmp::Reverse(b.start))
}

/// Whether `start..end` overlaps any of the sorted, non-overlapping `spans`.
pub(crate) fn overlaps_any(spans: &[Range<usize>], start: usize, end: usize) -> bool {
    // The first span that ends after `start` is the only one that can overlap.
    let i = spans.partition_point(|p| p.end <= start);
    spans.get(i).is_some_and(|p| p.start < end)
}

/// Resolves `candidates` into `accepted`: candidates overlapping a protected span (a placeholder, a key-block
/// marker) are dropped; the rest are taken strongest first, each one that overlaps none taken so far; then every
/// sticky candidate that lost an overlap is absorbed: it and the findings it overlaps become one finding over
/// their union, named after the strongest. `accepted` ends sorted by start and non-overlapping.
pub(crate) fn merge(
    candidates: &mut [Candidate],
    protected: &[Range<usize>],
    markers: &[Range<usize>],
    accepted: &mut Vec<Candidate>,
) {
    accepted.clear();
    candidates.sort_unstable_by(|a, b| {
        (b.priority, b.end - b.start, a.start).cmp(&(a.priority, a.end - a.start, b.start))
    });
    // Taken findings by start; they never overlap one another.
    let mut taken: BTreeMap<usize, Candidate> = BTreeMap::new();
    let mut losers = Vec::new();
    for c in candidates.iter() {
        if c.end <= c.start
            || overlaps_any(protected, c.start, c.end)
            || markers.iter().any(|m| m.start < c.end && c.start < m.end)
        {
            continue;
        }
        if overlapping(&taken, c.start, c.end).next().is_some() {
            if c.sticky {
                losers.push(*c);
            }
            continue;
        }
        taken.insert(c.start, *c);
    }
    for c in losers {
        let hit: Vec<usize> = overlapping(&taken, c.start, c.end).collect();
        let mut union = c;
        for start in hit {
            if let Some(t) = taken.remove(&start) {
                let (s, e) = (union.start.min(t.start), union.end.max(t.end));
                if stronger(&t, &union) {
                    union = t;
                }
                union.start = s;
                union.end = e;
            }
        }
        union.sticky = true;
        taken.insert(union.start, union);
    }
    accepted.extend(taken.into_values());
}

/// Starts of the taken findings that overlap `start..end`.
fn overlapping(
    taken: &BTreeMap<usize, Candidate>,
    start: usize,
    end: usize,
) -> impl Iterator<Item = usize> + '_ {
    // The finding starting last before `start` may reach into it; every one starting inside overlaps.
    let before = taken
        .range(..start)
        .next_back()
        .filter(|(_, t)| t.end > start)
        .map(|(&s, _)| s);
    before
        .into_iter()
        .chain(taken.range(start..end).map(|(&s, _)| s))
}

/// Adds `extra` findings (from another pass over the same line, already in its coordinates) to the sorted
/// `accepted` list, merging overlaps as [`merge`] does.
pub(crate) fn absorb(accepted: &mut Vec<Candidate>, extra: &mut Vec<Candidate>) {
    if extra.is_empty() {
        return;
    }
    extra.append(accepted);
    let mut all = std::mem::take(extra);
    merge(&mut all, &[], &[], accepted);
    *extra = all;
    extra.clear();
}

/// Moves finding edges out of backslash escapes (`\u003c`, `\n`, `\"`) so that a replacement never leaves half an
/// escape behind: a finding that starts inside an escape starts after it, one that ends inside an escape ends
/// before it. Only lines holding a backslash pay for this.
pub(crate) fn snap_to_escapes(line: &[u8], accepted: &mut Vec<Candidate>) {
    if memchr::memchr(b'\\', line).is_none() {
        return;
    }
    for c in accepted.iter_mut() {
        // Walk escapes from a little before the start: an escape is at most 6 bytes (`\uXXXX`).
        let mut i = c.start.saturating_sub(6);
        // Backslash runs before the window decide whether its first backslash opens an escape.
        while i > 0 && line[i - 1] == b'\\' {
            i -= 1;
        }
        let (mut start, mut end) = (c.start, c.end);
        while i < end {
            if line[i] != b'\\' {
                i += 1;
                continue;
            }
            let len = escape_len(line, i);
            let esc = i..i + len;
            if esc.start < start && start < esc.end {
                start = esc.end;
            }
            if esc.start < end && end < esc.end {
                end = esc.start;
            }
            i += len;
        }
        c.start = start;
        c.end = end.max(start);
    }
    accepted.retain(|c| c.end > c.start);
}

/// Length of the escape sequence starting with the backslash at `i`.
fn escape_len(line: &[u8], i: usize) -> usize {
    match line.get(i + 1) {
        Some(b'u')
            if line.len() >= i + 6 && line[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit) =>
        {
            6
        }
        Some(_) => 2,
        None => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(start: usize, end: usize, rule: u16, priority: u8) -> Candidate {
        Candidate {
            start,
            end,
            rule,
            priority,
            sticky: false,
        }
    }

    fn sticky(c: Candidate) -> Candidate {
        Candidate { sticky: true, ..c }
    }

    #[test]
    fn a_sticky_loser_is_absorbed_into_the_union_named_after_the_stronger() {
        let mut c = vec![
            sticky(cand(0, 10, 1, 60)),
            cand(5, 20, 2, 90),
            cand(30, 35, 3, 10),
        ];
        let mut acc = Vec::new();
        merge(&mut c, &[], &[], &mut acc);
        assert_eq!(acc, vec![sticky(cand(0, 20, 2, 90)), cand(30, 35, 3, 10)]);
    }

    #[test]
    fn a_plain_loser_is_dropped() {
        let mut c = vec![cand(0, 10, 1, 40), cand(5, 20, 2, 90)];
        let mut acc = Vec::new();
        merge(&mut c, &[], &[], &mut acc);
        assert_eq!(acc, vec![cand(5, 20, 2, 90)]);
    }

    #[test]
    fn protected_spans_drop_candidates() {
        let mut c = vec![cand(0, 10, 1, 60), cand(12, 14, 2, 60)];
        let mut acc = Vec::new();
        merge(&mut c, std::slice::from_ref(&(8..11)), &[], &mut acc);
        assert_eq!(acc, vec![cand(12, 14, 2, 60)]);
    }

    #[test]
    fn escapes_are_never_split() {
        let line = br#"{"m":"\u003cann@x.io\u003e"}"#;
        // A match that starts on the `u` of `\u003c` and ends inside `\u003e`.
        let at = 7;
        let mut acc = vec![cand(at, line.len() - 4, 1, 50)];
        snap_to_escapes(line, &mut acc);
        assert_eq!(&line[acc[0].start..acc[0].end], b"ann@x.io");
    }
}
