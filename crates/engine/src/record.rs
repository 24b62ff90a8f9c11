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

use crate::placeholder;
use crate::scrubber::{Finding, Scratch, Scrubber};
use crate::stream::{LineFinding, LineStream};

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

/// Receives each scalar value of a record. The engine's visitor ([`Scrubber::scrub_record`]) is the one that
/// matters; another visitor (one that lists paths, say) only needs [`RecordVisitor::visit_str`].
///
/// Each method returns the replacement when the value must change, `None` to keep it as it is. A record stores
/// every replacement it is given, as it is: the engine has already written the placeholders.
pub trait RecordVisitor {
    /// A field value (a JSON member, an attribute, an SD-PARAM, a `tracing` field; a number in its decimal form).
    /// `path` leads from the record's root to the value; its nearest key is the value's context (`password`
    /// makes the whole value secret).
    fn visit_str(&mut self, path: &[PathSegment<'_>], value: &str) -> Option<String>;

    /// Free text: a log message or body. It is scanned as log lines, not as one field, and with
    /// [`Scrubber::scrub_record_streamed`] it continues its producer's stream, so that a private key logged one
    /// line per record is found. A final line break is the record's terminator and is kept.
    fn visit_text(&mut self, path: &[PathSegment<'_>], value: &str) -> Option<String> {
        self.visit_str(path, value)
    }

    /// Raw bytes (an OTLP `bytesValue`, a structured-data value that is not UTF-8, a `tracing` bytes field).
    /// The engine scans bytes that are UTF-8 text as [`RecordVisitor::visit_str`] does; bytes it cannot scan
    /// as text are replaced whole by `[REDACTED:bytes]` (fail closed). A record stores a replacement where
    /// the value was, as bytes or, where its format allows, as text.
    fn visit_bytes(&mut self, path: &[PathSegment<'_>], value: &[u8]) -> Option<Vec<u8>> {
        let _ = (path, value);
        None
    }
}

/// A structured record whose values can be visited and replaced in place.
pub trait Record {
    /// Calls `visitor` for every scalar value (strings, numbers, bytes; booleans and nulls carry nothing), with
    /// the path that leads to it, and stores each replacement it returns. Keys, and fields that only give the
    /// record its structure (trace ids, timestamps, counts), are not visited.
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

/// What [`Scrubber::scrub_record`] did to one record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecordOutcome {
    /// Findings appended (each value's findings, with its path).
    pub findings: usize,
    /// Values replaced whole because they could not be scanned (bytes that are not text).
    pub unscanned: usize,
}

impl RecordOutcome {
    /// Nothing was found and nothing replaced: the record is as it was.
    pub fn is_clean(&self) -> bool {
        self.findings == 0 && self.unscanned == 0
    }
}

struct EngineVisitor<'a> {
    scrubber: &'a Scrubber,
    scratch: &'a mut Scratch,
    findings: &'a mut Vec<RecordFinding>,
    /// The producer's stream for free text, when the caller keeps one.
    text: Option<&'a mut LineStream>,
    unscanned: usize,
    out: Vec<u8>,
    line_findings: Vec<Finding>,
    /// Reused for each keyed value: its JSON member, the member scrubbed, the member's findings.
    member: String,
    member_out: Vec<u8>,
    member_found: Vec<Finding>,
}

/// The nearest key of a path: the context of the value at its end.
fn context_key<'p>(path: &[PathSegment<'p>]) -> Option<&'p str> {
    path.iter().rev().find_map(|p| match p {
        PathSegment::Key(k) => Some(*k),
        PathSegment::Index(_) => None,
    })
}

impl RecordVisitor for EngineVisitor<'_> {
    fn visit_str(&mut self, path: &[PathSegment<'_>], value: &str) -> Option<String> {
        self.out.clear();
        self.line_findings.clear();
        let n = if value.contains('\n') {
            self.scrub_lines(value)
        } else {
            match context_key(path) {
                Some(k) => self.scrub_member(k, value),
                None => self.scrubber.scrub_line_findings(
                    value.as_bytes(),
                    &mut self.out,
                    self.scratch,
                    &mut self.line_findings,
                ),
            }
        };
        self.finish(path, value.as_bytes(), n)
    }

    fn visit_text(&mut self, path: &[PathSegment<'_>], value: &str) -> Option<String> {
        self.out.clear();
        self.line_findings.clear();
        let n = match self.text.is_some() {
            true => self.scrub_streamed(value),
            false if value.contains('\n') => self.scrub_lines(value),
            false => self.scrubber.scrub_line_findings(
                value.as_bytes(),
                &mut self.out,
                self.scratch,
                &mut self.line_findings,
            ),
        };
        self.finish(path, value.as_bytes(), n)
    }

    fn visit_bytes(&mut self, path: &[PathSegment<'_>], value: &[u8]) -> Option<Vec<u8>> {
        match std::str::from_utf8(value) {
            Ok(text) => self.visit_str(path, text).map(String::into_bytes),
            Err(_) => {
                // Not text: no rule can be trusted to see what it encodes, so it is not kept.
                self.unscanned += 1;
                let mut out = Vec::new();
                placeholder::write_redacted(placeholder::BYTES_CLASS, &mut out);
                Some(out)
            }
        }
    }
}

impl EngineVisitor<'_> {
    /// Records the findings of the value just scrubbed into `self.out` under its path; the replacement, if any.
    fn finish(&mut self, path: &[PathSegment<'_>], value: &[u8], n: usize) -> Option<String> {
        if n == 0 && self.line_findings.is_empty() && self.out == value {
            return None;
        }
        let rendered = render_path(path);
        self.findings
            .extend(self.line_findings.drain(..).map(|finding| RecordFinding {
                path: rendered.clone(),
                finding,
            }));
        if self.out == value {
            return None;
        }
        // Every replacement is ASCII and edits only whole characters, so the text stays UTF-8.
        Some(String::from_utf8_lossy(&self.out).into_owned())
    }

    /// A value under `key` is scanned as the JSON object `{"key":"value"}` it would be in a JSON log line, so that
    /// the key is its context both for field rules (a `password` key makes the whole value secret) and for rules
    /// whose pattern names the key (`"Authorization": "Basic ..."`); findings keep the value's offsets. A value
    /// that JSON would have to escape (quotes, backslashes, control characters), or whose key itself gets
    /// rewritten (a secret used as a key), is scrubbed as a field with that key instead, whose offsets need no
    /// mapping.
    fn scrub_member(&mut self, key: &str, value: &str) -> usize {
        let needs_escape = |t: &str| t.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20);
        if needs_escape(value) || needs_escape(key) {
            return self.scrub_field(key, value);
        }
        // `{"key":"` before the value, `"}` after it.
        let prefix = key.len() + 5;
        let mut member = std::mem::take(&mut self.member);
        let mut out = std::mem::take(&mut self.member_out);
        let mut found = std::mem::take(&mut self.member_found);
        member.clear();
        out.clear();
        found.clear();
        member.push_str("{\"");
        member.push_str(key);
        member.push_str("\":\"");
        member.push_str(value);
        member.push_str("\"}");
        let n = self.scrubber.scrub_line_findings(
            member.as_bytes(),
            &mut out,
            self.scratch,
            &mut found,
        );
        let inner = out
            .get(prefix..out.len().saturating_sub(2))
            .filter(|_| out.starts_with(&member.as_bytes()[..prefix]) && out.ends_with(b"\"}"));
        // A placeholder holds no quote or backslash: the rewritten value needs no decoding.
        let n = match inner {
            _ if n == 0 => {
                self.out.extend_from_slice(value.as_bytes());
                0
            }
            Some(text) if !text.contains(&b'"') && !text.contains(&b'\\') => {
                self.out.extend_from_slice(text);
                let to_value = |at: usize| at.saturating_sub(prefix).min(value.len());
                for f in &found {
                    self.line_findings.push(Finding {
                        start: to_value(f.start),
                        end: to_value(f.end),
                        ..*f
                    });
                }
                n
            }
            _ => usize::MAX,
        };
        (self.member, self.member_out, self.member_found) = (member, out, found);
        match n {
            usize::MAX => self.scrub_field(key, value),
            n => n,
        }
    }

    fn scrub_field(&mut self, key: &str, value: &str) -> usize {
        self.scrubber.scrub_field_findings(
            key,
            value.as_bytes(),
            &mut self.out,
            self.scratch,
            &mut self.line_findings,
        )
    }

    /// A value of several lines goes through a stream of its own (multi-line blocks), findings mapped to value
    /// offsets.
    fn scrub_lines(&mut self, value: &str) -> usize {
        let mut st = self.scrubber.stream().collect_findings(true);
        st.push(value.as_bytes(), &mut self.out);
        st.finish(&mut self.out);
        let found = st.take_findings();
        self.map_line_findings(value, 0, found);
        self.line_findings.len()
    }

    /// Free text through the producer's stream: the value is one record of it (a final line break is its
    /// terminator), and the stream's block state carries over to the next record.
    fn scrub_streamed(&mut self, value: &str) -> usize {
        let Some(st) = self.text.as_deref_mut() else {
            return 0;
        };
        let (body, term) = match value.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (value, ""),
        };
        let base = st.stats().lines;
        st.push(body.as_bytes(), &mut self.out);
        st.push(b"\n", &mut self.out);
        if self.out.last() == Some(&b'\n') {
            self.out.pop();
        }
        self.out.extend_from_slice(term.as_bytes());
        let found = st.take_findings();
        self.map_line_findings(body, base, found);
        self.line_findings.len()
    }

    /// Maps findings of a stream (1-based line numbers, `base` lines before `value` began) to offsets in `value`.
    fn map_line_findings(&mut self, value: &str, base: u64, found: Vec<LineFinding>) {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(value.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        for lf in found {
            let line = lf.line.saturating_sub(base).saturating_sub(1) as usize;
            let at = starts.get(line).copied().unwrap_or(0);
            self.line_findings.push(Finding {
                start: at + lf.finding.start,
                end: at + lf.finding.end,
                ..lf.finding
            });
        }
    }
}

impl Scrubber {
    /// Scrubs every value of `record` in place and appends its findings, each with its value's path. Free text
    /// ([`RecordVisitor::visit_text`]) is scanned as lines on its own; use [`Scrubber::scrub_record_streamed`]
    /// when the record's producer has a stream.
    pub fn scrub_record(
        &self,
        record: &mut dyn Record,
        scratch: &mut Scratch,
        findings: &mut Vec<RecordFinding>,
    ) -> RecordOutcome {
        self.visit_record(record, scratch, None, findings)
    }

    /// Like [`Scrubber::scrub_record`], with the free text of the record (a message, a body) pushed through
    /// `text`, its producer's stream, as one record of it: a multi-line block (a PEM key) that the producer sends
    /// one line per record is found. `text` must collect findings ([`LineStream::collect_findings`]), and must not
    /// hold a partial line.
    pub fn scrub_record_streamed(
        &self,
        record: &mut dyn Record,
        scratch: &mut Scratch,
        text: &mut LineStream,
        findings: &mut Vec<RecordFinding>,
    ) -> RecordOutcome {
        self.visit_record(record, scratch, Some(text), findings)
    }

    fn visit_record(
        &self,
        record: &mut dyn Record,
        scratch: &mut Scratch,
        text: Option<&mut LineStream>,
        findings: &mut Vec<RecordFinding>,
    ) -> RecordOutcome {
        let before = findings.len();
        let mut v = EngineVisitor {
            scrubber: self,
            scratch,
            findings,
            text,
            unscanned: 0,
            out: Vec::new(),
            line_findings: Vec::new(),
            member: String::new(),
            member_out: Vec::new(),
            member_found: Vec::new(),
        };
        record.visit(&mut v);
        RecordOutcome {
            findings: v.findings.len() - before,
            unscanned: v.unscanned,
        }
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
        let n = s.scrub_record(&mut v, &mut scratch, &mut findings).findings;
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
