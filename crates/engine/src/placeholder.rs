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

/// Collects the byte ranges of every placeholder in `line` into `out` (cleared first).
pub(crate) fn protected_spans(line: &[u8], out: &mut Vec<Range<usize>>) {
    out.clear();
    // One memchr pass for `[`; building substring finders per line would cost more than the scan.
    for at in memchr::memchr_iter(b'[', line) {
        let rest = &line[at..];
        let prefix = if rest.starts_with(b"[REDACTED:") {
            10
        } else if rest.starts_with(b"[PSEUDO:") {
            8
        } else {
            continue;
        };
        let body = at + prefix;
        let end = line[body..]
            .iter()
            .take(128)
            .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b':'));
        if let Some(n) = end {
            if n > 0 && line[body + n] == b']' {
                out.push(at..body + n + 1);
            }
        }
    }
}

/// Is `s` exactly one placeholder?
pub fn is_placeholder(s: &[u8]) -> bool {
    let mut v = Vec::new();
    protected_spans(s, &mut v);
    v.len() == 1 && v[0] == (0..s.len())
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
    }
}
