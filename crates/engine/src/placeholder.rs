//! The placeholder grammar, written by the engine and never matched again.
//!
//! ```text
//! placeholder = "[REDACTED:" class "]"
//!             | "[PSEUDO:" class ":" key-id ":" hex "]"
//! class       = 1*( a-z / 0-9 / "_" )
//! key-id      = 1*( A-Z / a-z / 0-9 / "-" / "_" )
//! hex         = 8*64( 0-9 / a-f )
//! ```
//!
//! Placeholders hold no quote, backslash or space, so they are safe inside JSON strings, logfmt values and URLs.
//! Before a line is scanned, every placeholder in it is marked protected and no finding may overlap one: scrubbing
//! twice gives the same bytes as scrubbing once.

use std::ops::Range;

/// The class of the placeholder that replaces a bytes value the engine cannot scan as text (fail closed).
pub(crate) const BYTES_CLASS: &str = "bytes";

/// Writes `[REDACTED:<class>]`.
pub(crate) fn write_redacted(class: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(b"[REDACTED:");
    out.extend_from_slice(class.as_bytes());
    out.push(b']');
}

/// Writes `[PSEUDO:<class>:<key id>:<hex>]` with the first `len` hex digits of `digest`.
pub(crate) fn write_pseudonym(
    class: &str,
    key_id: &str,
    digest: &[u8],
    len: usize,
    out: &mut Vec<u8>,
) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(b"[PSEUDO:");
    out.extend_from_slice(class.as_bytes());
    out.push(b':');
    out.extend_from_slice(key_id.as_bytes());
    out.push(b':');
    for i in 0..len.min(digest.len() * 2) {
        let byte = digest[i / 2];
        let nibble = if i % 2 == 0 { byte >> 4 } else { byte & 0xf };
        out.push(HEX[nibble as usize]);
    }
    out.push(b']');
}

/// The placeholder classes one scrubber writes: its rules' classes and `long_line`. Only text in the exact grammar
/// with one of these classes is protected, so that `[REDACTED:4111111111111111]` typed by someone is not.
#[derive(Debug, Clone, Default)]
pub(crate) struct KnownClasses {
    sorted: Vec<String>,
}

impl KnownClasses {
    pub(crate) fn new(classes: impl IntoIterator<Item = String>) -> Self {
        let mut sorted: Vec<String> = classes.into_iter().collect();
        sorted.push("long_line".to_string());
        // Written by the record API for a bytes value it cannot scan (crate::record).
        sorted.push(BYTES_CLASS.to_string());
        sorted.sort();
        sorted.dedup();
        KnownClasses { sorted }
    }

    fn contains(&self, class: &[u8]) -> bool {
        self.sorted
            .binary_search_by(|c| c.as_bytes().cmp(class))
            .is_ok()
    }
}

/// Length of a placeholder of the exact grammar starting at `line[0]`, if there is one. With `known`, its class
/// must be one of them.
fn placeholder_len(rest: &[u8], known: Option<&KnownClasses>) -> Option<usize> {
    let class_ok = |c: &[u8]| {
        !c.is_empty()
            && c.iter()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
            && known.is_none_or(|k| k.contains(c))
    };
    let take = |from: usize, ok: &dyn Fn(u8) -> bool| {
        rest[from..]
            .iter()
            .take(130)
            .position(|&b| !ok(b))
            .map(|n| from + n)
    };
    if rest.starts_with(b"[REDACTED:") {
        let end = take(10, &|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'
        })?;
        (rest[end] == b']' && class_ok(&rest[10..end])).then_some(end + 1)
    } else if rest.starts_with(b"[PSEUDO:") {
        let c_end = take(8, &|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'
        })?;
        if rest[c_end] != b':' || !class_ok(&rest[8..c_end]) {
            return None;
        }
        let k_end = take(c_end + 1, &|b| {
            b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
        })?;
        if rest[k_end] != b':' || k_end == c_end + 1 {
            return None;
        }
        let h_end = take(k_end + 1, &|b| {
            b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
        })?;
        let hex = h_end - k_end - 1;
        (rest[h_end] == b']' && (8..=64).contains(&hex)).then_some(h_end + 1)
    } else {
        None
    }
}

/// Collects the byte ranges of every placeholder this scrubber could have written in `line` into `out` (cleared
/// first), sorted and non-overlapping.
pub(crate) fn protected_spans(line: &[u8], known: &KnownClasses, out: &mut Vec<Range<usize>>) {
    out.clear();
    // One memchr pass for `[`; building substring finders per line would cost more than the scan.
    let mut after = 0;
    for at in memchr::memchr_iter(b'[', line) {
        if at < after {
            continue;
        }
        if let Some(n) = placeholder_len(&line[at..], Some(known)) {
            out.push(at..at + n);
            after = at + n;
        }
    }
}

/// Is `s` exactly one placeholder of the grammar (any class)?
pub fn is_placeholder(s: &[u8]) -> bool {
    s.first() == Some(&b'[') && placeholder_len(s, None) == Some(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar_round_trip() {
        let mut out = Vec::new();
        write_redacted("credit_card", &mut out);
        assert!(is_placeholder(&out));
        out.clear();
        write_pseudonym("email", "k1", &[0xab; 32], 16, &mut out);
        assert_eq!(out, b"[PSEUDO:email:k1:abababababababab]");
        assert!(is_placeholder(&out));
        assert!(!is_placeholder(b"[REDACTED:credit card]"));
        assert!(!is_placeholder(b"[PSEUDO:email:k1:abc]"));
    }

    #[test]
    fn only_known_classes_are_protected() {
        let known = KnownClasses::new(["credit_card".to_string()]);
        let mut v = Vec::new();
        protected_spans(
            b"a [REDACTED:credit_card] b [REDACTED:4111111111111111]",
            &known,
            &mut v,
        );
        assert_eq!(v, vec![2..24]);
        protected_spans(b"[REDACTED:long_line]", &known, &mut v);
        assert_eq!(v, vec![0..20]);
    }
}
