//! RFC 5424 STRUCTURED-DATA as an engine record: each SD-PARAM value is visited under the path
//! `SD-ID.PARAM-NAME` (so a `password` parameter is secret whatever its value looks like), and written back with
//! the RFC's escapes (`\"`, `\\`, `\]`). Every byte outside a replaced value is kept. SD-IDs and parameter names
//! are not visited: they name fields. A value that is not UTF-8 goes to the engine as bytes (it decides: fail
//! closed). Nothing here decides what is sensitive or logs a value.

use std::borrow::Cow;
use std::ops::Range;

use logscrub_engine::{PathSegment, Record, RecordVisitor};

struct Param<'a> {
    name: Cow<'a, str>,
    /// The value's raw bytes between the quotes (escapes included).
    raw: Range<usize>,
    /// The replacement, unescaped, when the engine changed the value.
    replaced: Option<Vec<u8>>,
}

struct Element<'a> {
    id: Cow<'a, str>,
    params: Vec<Param<'a>>,
}

/// The SD-ELEMENTs of one message.
pub(super) struct StructuredData<'a> {
    sd: &'a [u8],
    elements: Vec<Element<'a>>,
}

impl<'a> StructuredData<'a> {
    /// Parses `[id name="value" ...][...]`; `None` when `sd` does not follow the grammar (the caller then scrubs
    /// it as text).
    pub(super) fn parse(sd: &'a [u8]) -> Option<Self> {
        let mut elements = Vec::new();
        let mut i = 0;
        while i < sd.len() {
            if sd[i] != b'[' {
                return None;
            }
            i += 1;
            let id_start = i;
            while i < sd.len() && !matches!(sd[i], b' ' | b']' | b'=' | b'"') {
                i += 1;
            }
            if i == id_start {
                return None;
            }
            let id = String::from_utf8_lossy(&sd[id_start..i]);
            let mut params = Vec::new();
            loop {
                match sd.get(i)? {
                    b']' => {
                        i += 1;
                        break;
                    }
                    b' ' => i += 1,
                    _ => {
                        let name_start = i;
                        while i < sd.len() && !matches!(sd[i], b' ' | b']' | b'=' | b'"') {
                            i += 1;
                        }
                        if i == name_start
                            || sd.get(i) != Some(&b'=')
                            || sd.get(i + 1) != Some(&b'"')
                        {
                            return None;
                        }
                        let name = String::from_utf8_lossy(&sd[name_start..i]);
                        i += 2;
                        let v_start = i;
                        while i < sd.len() && sd[i] != b'"' {
                            i += if sd[i] == b'\\' { 2 } else { 1 };
                        }
                        if i >= sd.len() {
                            return None;
                        }
                        params.push(Param {
                            name,
                            raw: v_start..i,
                            replaced: None,
                        });
                        i += 1;
                    }
                }
            }
            elements.push(Element { id, params });
        }
        Some(StructuredData { sd, elements })
    }

    /// Appends the structured data with every replaced value escaped in place.
    pub(super) fn write_to(&self, out: &mut Vec<u8>) {
        let mut at = 0;
        for p in self.elements.iter().flat_map(|e| &e.params) {
            let Some(r) = &p.replaced else { continue };
            out.extend_from_slice(&self.sd[at..p.raw.start]);
            for &c in r {
                if matches!(c, b'"' | b'\\' | b']') {
                    out.push(b'\\');
                }
                out.push(c);
            }
            at = p.raw.end;
        }
        out.extend_from_slice(&self.sd[at..]);
    }
}

/// PARAM-VALUE unescaped: `\"`, `\\` and `\]` stand for the character; any other backslash is itself.
fn unescape(raw: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'\\' && matches!(raw.get(i + 1), Some(b'"' | b'\\' | b']')) {
            v.push(raw[i + 1]);
            i += 2;
        } else {
            v.push(raw[i]);
            i += 1;
        }
    }
    v
}

impl Record for StructuredData<'_> {
    fn visit(&mut self, v: &mut dyn RecordVisitor) {
        let sd = self.sd;
        for e in &mut self.elements {
            for p in &mut e.params {
                let value = unescape(&sd[p.raw.clone()]);
                let path = [PathSegment::Key(&e.id), PathSegment::Key(&p.name)];
                p.replaced = match std::str::from_utf8(&value) {
                    Ok(text) => v.visit_str(&path, text).map(String::into_bytes),
                    Err(_) => v.visit_bytes(&path, &value),
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Upper;
    impl RecordVisitor for Upper {
        fn visit_str(&mut self, path: &[PathSegment<'_>], value: &str) -> Option<String> {
            (path[1] == PathSegment::Key("b")).then(|| format!("{}]\"", value.to_uppercase()))
        }
    }

    #[test]
    fn values_are_replaced_and_escaped_in_place() {
        let sd = br#"[x@1 a="1" b="q\"\\\]z\n"][y b=""]"#;
        let mut d = StructuredData::parse(sd).unwrap();
        d.visit(&mut Upper);
        let mut out = Vec::new();
        d.write_to(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"[x@1 a="1" b="Q\"\\\]Z\\N\]\""][y b="\]\""]"#
        );
    }

    #[test]
    fn malformed_structured_data_is_refused() {
        for bad in [&b"[x a=1]"[..], b"[x a=\"1]", b"x", b"[]", b"[x a]"] {
            assert!(StructuredData::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn findings_carry_the_sd_id_and_param_name() {
        let s = logscrub_engine::Scrubber::default_rules().unwrap();
        let sd = br#"[origin ip="10.1.2.3"][auth@1 user="ann" password="Tr0ub4dor&3"]"#;
        let mut d = StructuredData::parse(sd).unwrap();
        let mut f = Vec::new();
        s.scrub_record(&mut d, &mut s.scratch(), &mut f);
        let paths: Vec<&str> = f.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["origin.ip", r#"["auth@1"].password"#]);
        let mut out = Vec::new();
        d.write_to(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            // RFC 5424 escapes `]` inside a value.
            r#"[origin ip="[REDACTED:ipv4\]"][auth@1 user="ann" password="[REDACTED:password\]"]"#
        );
    }
}
