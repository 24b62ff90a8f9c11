//! Structured records: a visitor over a record's values, path by path, so that JSON bodies, OTLP bodies and
//! attributes, syslog structured data and `tracing` fields all go through one engine API.
//!
//! A shell decodes its wire format into something that implements [`Record`], calls
//! [`Scrubber::scrub_record`], and encodes the result; it never walks values or writes placeholders itself. The
//! engine scrubs each scalar with its nearest key as context (as [`Scrubber::scrub_field`] does), and a value that
//! spans several lines (a stack trace, a PEM key in a JSON string) through a [`crate::LineStream`], so that a
//! multi-line key inside one value is redacted too. Findings carry the value's path and offsets, never the value.
//! Object keys are not scrubbed: they name fields, and rewriting them would change the record's shape.

use std::fmt::Write as _;

use crate::scrubber::{Finding, Scratch, Scrubber};

/// One step of a path into a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathSegment<'a> {
    /// A member of an object (a JSON key, an attribute name, an SD-PARAM name).
    Key(&'a str),
    /// An element of an array.
    Index(usize),
}

/// Renders a path as `a.b[2].c` (keys that are not plain identifiers are quoted: `headers["x-api-key"]`).
pub fn render_path(path: &[PathSegment<'_>]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            PathSegment::Key(k)
                if !k.is_empty()
                    && k.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') =>
            {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            PathSegment::Key(k) => {
                let _ = write!(s, "[{k:?}]");
            }
            PathSegment::Index(i) => {
                let _ = write!(s, "[{i}]");
            }
        }
    }
    s
}

/// Receives each scalar value of a record.
pub trait RecordVisitor {
    /// `path` leads from the record's root to the value; `value` is its text (a number in its decimal form).
    /// Returns the replacement text when the value must change, `None` to keep it as it is.
    fn visit_str(&mut self, path: &[PathSegment<'_>], value: &str) -> Option<String>;
}

/// A structured record whose values can be visited and replaced in place.
pub trait Record {
    /// Calls `visitor` for every scalar value (strings, and numbers, which become strings only when replaced),
    /// and stores each replacement it returns.
    fn visit(&mut self, visitor: &mut dyn RecordVisitor);
}

/// A finding inside a record: the rendered path of the value it was in, and its offsets in that value's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFinding {
    /// The value's path, as [`render_path`] writes it.
    pub path: String,
    /// The finding, offsets into the value's text.
    pub finding: Finding,
}

struct EngineVisitor<'a> {
    scrubber: &'a Scrubber,
    scratch: &'a mut Scratch,
    findings: &'a mut Vec<RecordFinding>,
    out: Vec<u8>,
    line_findings: Vec<Finding>,
}

impl RecordVisitor for EngineVisitor<'_> {
    fn visit_str(&mut self, path: &[PathSegment<'_>], value: &str) -> Option<String> {
        self.out.clear();
        self.line_findings.clear();
        let key = path.iter().rev().find_map(|p| match p {
            PathSegment::Key(k) => Some(*k),
            PathSegment::Index(_) => None,
        });
        let n = if value.contains('\n') {
            self.scrub_lines(value)
        } else {
            match key {
                Some(k) => self.scrubber.scrub_field_findings(
                    k,
                    value.as_bytes(),
                    &mut self.out,
                    self.scratch,
                    &mut self.line_findings,
                ),
                None => self.scrubber.scrub_line_findings(
                    value.as_bytes(),
                    &mut self.out,
                    self.scratch,
                    &mut self.line_findings,
                ),
            }
        };
        if n == 0 && self.line_findings.is_empty() {
            return None;
        }
        let rendered = render_path(path);
        self.findings
            .extend(self.line_findings.drain(..).map(|finding| RecordFinding {
                path: rendered.clone(),
                finding,
            }));
        // Every replacement is ASCII and edits only whole characters, so the text stays UTF-8.
        Some(String::from_utf8_lossy(&self.out).into_owned())
    }
}

impl EngineVisitor<'_> {
    /// A value of several lines goes through a stream (multi-line blocks), findings mapped to value offsets.
    fn scrub_lines(&mut self, value: &str) -> usize {
        let mut st = self.scrubber.stream().collect_findings(true);
        st.push(value.as_bytes(), &mut self.out);
        st.finish(&mut self.out);
        let starts: Vec<usize> = std::iter::once(0)
            .chain(value.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        for lf in st.take_findings() {
            let base = starts
                .get((lf.line as usize).saturating_sub(1))
                .copied()
                .unwrap_or(0);
            self.line_findings.push(Finding {
                start: base + lf.finding.start,
                end: base + lf.finding.end,
                ..lf.finding
            });
        }
        self.line_findings.len()
    }
}

impl Scrubber {
    /// Scrubs every value of `record` in place and appends its findings. Returns the number of findings.
    pub fn scrub_record(
        &self,
        record: &mut dyn Record,
        scratch: &mut Scratch,
        findings: &mut Vec<RecordFinding>,
    ) -> usize {
        let before = findings.len();
        let mut v = EngineVisitor {
            scrubber: self,
            scratch,
            findings,
            out: Vec::new(),
            line_findings: Vec::new(),
        };
        record.visit(&mut v);
        v.findings.len() - before
    }
}

/// JSON documents (HTTP/NDJSON bodies, OTLP/JSON) are records: strings and numbers are visited; a number whose
/// text holds a finding becomes a string holding the placeholder, so the document stays valid JSON.
impl Record for serde_json::Value {
    fn visit(&mut self, visitor: &mut dyn RecordVisitor) {
        walk_json(self, &[], visitor);
    }
}

fn walk_json(v: &mut serde_json::Value, path: &[PathSegment<'_>], visitor: &mut dyn RecordVisitor) {
    match v {
        serde_json::Value::String(s) => {
            if let Some(r) = visitor.visit_str(path, s) {
                *s = r;
            }
        }
        serde_json::Value::Number(n) => {
            let text = n.to_string();
            if let Some(r) = visitor.visit_str(path, &text) {
                *v = serde_json::Value::String(r);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let mut child = path.to_vec();
                child.push(PathSegment::Index(i));
                walk_json(item, &child, visitor);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                let mut child = path.to_vec();
                child.push(PathSegment::Key(k.as_str()));
                walk_json(item, &child, visitor);
            }
        }
        serde_json::Value::Bool(_) | serde_json::Value::Null => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_record_values_are_scrubbed_path_by_path() {
        let s = Scrubber::default_rules().expect("default pack");
        let mut v: serde_json::Value = serde_json::from_str(
            r#"{"user":{"password":"hunter2","email":"ann@example.com"},"cards":[4111111111111111, 12],
               "note":"ok","key":"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"}"#,
        )
        .expect("JSON");
        let mut scratch = s.scratch();
        let mut findings = Vec::new();
        let n = s.scrub_record(&mut v, &mut scratch, &mut findings);
        assert_eq!(v["user"]["password"], "[REDACTED:password]");
        assert_eq!(v["user"]["email"], "[REDACTED:email]");
        assert_eq!(v["cards"][0], "[REDACTED:credit_card]");
        assert_eq!(
            v["cards"][1], 12,
            "a number without a finding keeps its type"
        );
        assert_eq!(v["note"], "ok");
        assert!(!v["key"].as_str().expect("string").contains("MIIEvQ"));
        let paths: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
        assert!(
            paths.contains(&"user.password")
                && paths.contains(&"cards[0]")
                && paths.contains(&"key"),
            "{paths:?}"
        );
        assert_eq!(n, findings.len());
    }

    #[test]
    fn paths_render_readably() {
        let p = [
            PathSegment::Key("headers"),
            PathSegment::Key("x api"),
            PathSegment::Index(2),
        ];
        assert_eq!(render_path(&p), r#"headers["x api"][2]"#);
    }
}
