//! Writing a line with its findings replaced. The only code in the workspace that writes replacement bytes.
//!
//! It consumes the final list of findings (`Scratch::accepted`, built by detection and [`crate::resolve`]) and
//! nothing else: every byte outside a finding is copied as it was. Every action keeps the line valid UTF-8 where it
//! was, and valid JSON where it was: a bare JSON number becomes a quoted placeholder, `mask` works on characters and
//! escapes, never on bytes. Work is linear in the line's length whatever the number of findings.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::compile::RuleInfo;
use crate::fields;
use crate::placeholder;
use crate::policy::Action;
use crate::scrubber::{Candidate, Scrubber};

/// A run of copied bytes: `len` bytes at `out` in the output are the bytes at `orig` in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Segment {
    pub out: usize,
    pub orig: usize,
    pub len: usize,
}

/// Maps offsets of a rewritten line back to the input, through the copied segments.
pub(crate) fn map_back(segments: &[Segment], start: usize, end: usize) -> Option<(usize, usize)> {
    let i = segments.partition_point(|s| s.out + s.len <= start);
    let s = segments.get(i)?;
    if start < s.out || end > s.out + s.len {
        return None;
    }
    Some((s.orig + (start - s.out), s.orig + (end - s.out)))
}

/// Answers "is this offset inside a JSON string?" for increasing offsets in one pass over the line (the same
/// answers as [`fields::in_json_string`], which starts from the line's beginning every time).
struct JsonCursor<'a> {
    line: &'a [u8],
    /// Where to look for the next JSON document.
    from: usize,
    /// The current document: where its scan has reached, and its state there.
    doc: Option<(usize, usize)>,
    i: usize,
    in_str: bool,
    depth: usize,
    exhausted: bool,
}

impl<'a> JsonCursor<'a> {
    fn new(line: &'a [u8]) -> Self {
        JsonCursor {
            line,
            from: 0,
            doc: None,
            i: 0,
            in_str: false,
            depth: 0,
            exhausted: false,
        }
    }

    fn at(&mut self, pos: usize) -> Option<bool> {
        let line = self.line;
        loop {
            if self.exhausted {
                return None;
            }
            let start = match self.doc {
                Some((start, _)) => start,
                None => {
                    let hay = &line[self.from.min(line.len())..];
                    let Some(rel) = memchr::memchr2_iter(b'{', b'[', hay)
                        .find(|&i| hay.get(i + 1) == Some(&b'"'))
                    else {
                        self.exhausted = true;
                        return None;
                    };
                    let start = self.from + rel;
                    self.doc = Some((start, start));
                    self.i = start;
                    self.in_str = false;
                    self.depth = 0;
                    start
                }
            };
            if pos < start {
                return None;
            }
            let mut closed = false;
            while self.i < pos {
                match line[self.i] {
                    b'\\' if self.in_str => self.i += 1,
                    b'"' => self.in_str = !self.in_str,
                    b'{' | b'[' if !self.in_str => self.depth += 1,
                    b'}' | b']' if !self.in_str => {
                        self.depth = self.depth.saturating_sub(1);
                        if self.depth == 0 {
                            closed = true;
                            break;
                        }
                    }
                    _ => {}
                }
                self.i += 1;
            }
            if !closed {
                return Some(self.in_str);
            }
            self.from = self.i + 1;
            self.doc = None;
        }
    }
}

impl Scrubber {
    /// Writes `line` to `out` with every finding of `accepted` replaced by its rule's action. When `segments` is
    /// given, records where each copied run landed (to map a later pass's findings back). Returns the number of
    /// findings replaced.
    pub(crate) fn rewrite_with(
        &self,
        line: &[u8],
        accepted: &[Candidate],
        out: &mut Vec<u8>,
        mut segments: Option<&mut Vec<Segment>>,
    ) -> usize {
        if let Some(s) = segments.as_deref_mut() {
            s.clear();
        }
        let mut copy = |out: &mut Vec<u8>, from: usize, to: usize| {
            if to > from {
                if let Some(s) = segments.as_deref_mut() {
                    s.push(Segment {
                        out: out.len(),
                        orig: from,
                        len: to - from,
                    });
                }
                out.extend_from_slice(&line[from..to]);
            }
        };
        let mut json = JsonCursor::new(line);
        let mut pos = 0;
        for c in accepted {
            copy(out, pos, c.start);
            let info = &self.inner.infos[c.rule as usize];
            let bare_json = json.at(c.start) == Some(false)
                && fields::json_value_position(line, c.start, c.end);
            self.replacement(info, &line[c.start..c.end], bare_json, out);
            pos = c.end;
        }
        copy(out, pos, line.len());
        accepted.len()
    }

    fn replacement(&self, info: &RuleInfo, value: &[u8], bare_json: bool, out: &mut Vec<u8>) {
        if bare_json {
            out.push(b'"');
        }
        match &info.action {
            Action::Redact => placeholder::write_redacted(&info.class, out),
            Action::Remove => {}
            Action::Mask { keep_last } => mask(value, *keep_last, out),
            Action::Pseudonym { length } => {
                let normalized: Vec<u8> = if value.iter().any(u8::is_ascii_digit)
                    && value
                        .iter()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'-' | b'.'))
                {
                    value
                        .iter()
                        .filter(|b| b.is_ascii_alphanumeric())
                        .map(u8::to_ascii_uppercase)
                        .collect()
                } else {
                    value.to_vec()
                };
                let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.inner.key.bytes)
                    .expect("HMAC takes keys of any length");
                mac.update(info.class.as_bytes());
                mac.update(&[0]);
                mac.update(&normalized);
                let digest = mac.finalize().into_bytes();
                placeholder::write_pseudonym(
                    &info.class,
                    &self.inner.key.id,
                    &digest,
                    *length,
                    out,
                );
            }
        }
        if bare_json {
            out.push(b'"');
        }
    }
}

/// One unit of a value for masking: a character (or an invalid byte), or a backslash escape.
#[derive(Clone, Copy)]
enum Unit {
    /// A letter, digit or non-ASCII character, or an escape: masked.
    Masked(usize),
    /// A separator (space, `-`, `.`, ...): kept.
    Kept(usize),
}

fn units(value: &[u8]) -> impl Iterator<Item = Unit> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        let b = *value.get(i)?;
        let len = if b == b'\\' {
            match value.get(i + 1) {
                Some(b'u')
                    if value.len() >= i + 6
                        && value[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit) =>
                {
                    6
                }
                Some(_) => 2,
                None => 1,
            }
        } else if b < 0x80 {
            1
        } else {
            utf8_len(&value[i..])
        };
        i += len;
        Some(
            if b.is_ascii_alphanumeric() || b >= 0x80 || b == b'\\' || b == b'"' {
                Unit::Masked(len)
            } else {
                Unit::Kept(len)
            },
        )
    })
}

/// Length of the UTF-8 character at the start of `s`, or 1 for a byte that does not start a valid one.
fn utf8_len(s: &[u8]) -> usize {
    let want = match s[0] {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return 1,
    };
    match s.get(..want) {
        Some(c) if std::str::from_utf8(c).is_ok() => want,
        _ => 1,
    }
}

/// `mask`: every character but the last `keep_last` letters and digits becomes one `*`; separators stay. Never
/// more than half of the characters stay readable, whatever `keep_last` says, and an escape or a multi-byte
/// character becomes one `*`, so the output stays valid UTF-8 and valid JSON.
fn mask(value: &[u8], keep_last: usize, out: &mut Vec<u8>) {
    let total = units(value)
        .filter(|u| matches!(u, Unit::Masked(_)))
        .count();
    let keep = keep_last.min(total / 2);
    let mask_upto = total - keep;
    let (mut seen, mut at) = (0, 0);
    for u in units(value) {
        match u {
            Unit::Masked(len) => {
                let piece = &value[at..at + len];
                let readable = len == 1 && piece[0].is_ascii_alphanumeric()
                    || (piece[0] >= 0x80 && std::str::from_utf8(piece).is_ok());
                if seen < mask_upto || !readable {
                    out.push(b'*');
                } else {
                    out.extend_from_slice(piece);
                }
                seen += 1;
                at += len;
            }
            Unit::Kept(len) => {
                out.extend_from_slice(&value[at..at + len]);
                at += len;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(v: &str, keep: usize) -> String {
        let mut out = Vec::new();
        mask(v.as_bytes(), keep, &mut out);
        String::from_utf8(out).expect("mask keeps UTF-8")
    }

    #[test]
    fn mask_works_on_characters() {
        assert_eq!(masked("4111 1111 1111 1111", 4), "**** **** **** 1111");
        assert_eq!(masked("René Lee", 4), "**** Lee");
        assert_eq!(masked("a\\u00e9b\\\"c", 0), "*****");
    }

    #[test]
    fn mask_never_shows_more_than_half() {
        assert_eq!(masked("4111111111111111", 100), "********11111111");
        assert_eq!(masked("ab", 4), "*b");
    }

    #[test]
    fn json_cursor_agrees_with_the_scan_from_the_start() {
        let line = br#"pre {"a": "x\"}", "b": [1, {"c": "d"}]} mid ["e", 5] tail "q""#;
        let mut c = JsonCursor::new(line);
        for pos in 0..line.len() {
            assert_eq!(c.at(pos), fields::in_json_string(line, pos), "at {pos}");
        }
    }

    #[test]
    fn segments_map_back() {
        let segs = [
            Segment {
                out: 0,
                orig: 0,
                len: 5,
            },
            Segment {
                out: 20,
                orig: 9,
                len: 10,
            },
        ];
        assert_eq!(map_back(&segs, 21, 25), Some((10, 14)));
        assert_eq!(map_back(&segs, 4, 21), None);
    }
}
