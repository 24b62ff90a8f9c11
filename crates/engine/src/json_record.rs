//! JSON text as a [`Record`] that keeps its bytes: HTTP/NDJSON bodies, Docker json-file records.
//!
//! [`JsonText`] visits every string and number of a JSON document with its path, as the `serde_json::Value`
//! record does, but instead of re-encoding the document it splices each replacement into the original text: every
//! byte outside a changed value stays as it was (white space, key order, duplicate keys, escapes, number
//! spellings). A changed string is re-encoded whole; a number with a finding becomes a JSON string, so the
//! document stays valid JSON. serde_json does the parsing (its `RawValue` gives each member's exact text); this
//! module only keeps offsets. It never formats a value into an error.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::record::{PathSegment, Record, RecordVisitor};

/// Why a text is not a JSON document: only where (line and column), never what was read there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not valid JSON at line {line} column {column}")]
pub struct JsonTextError {
    /// 1-based line of the error.
    pub line: usize,
    /// 1-based column of the error.
    pub column: usize,
}

impl From<serde_json::Error> for JsonTextError {
    fn from(e: serde_json::Error) -> Self {
        JsonTextError {
            line: e.line(),
            column: e.column(),
        }
    }
}

/// A JSON document (one value, valid JSON) whose values are scrubbed in place, keeping every other byte.
#[derive(Debug)]
pub struct JsonText<'a> {
    text: &'a str,
    /// Top-level members whose string value is free text (a log message), visited with
    /// [`RecordVisitor::visit_text`].
    text_fields: &'a [&'a str],
    /// Replacements, by the range of the original value they replace (JSON text, quotes included).
    edits: Vec<(Range<usize>, String)>,
}

impl<'a> JsonText<'a> {
    /// Checks that `text` is one JSON value (white space around it allowed).
    pub fn parse(text: &'a str) -> Result<Self, JsonTextError> {
        let _: &RawValue = serde_json::from_str(text)?;
        Ok(JsonText {
            text,
            text_fields: &[],
            edits: Vec::new(),
        })
    }

    /// Names the top-level members that carry the record's text (`log`, `message`, `msg`): their string values
    /// are scanned as log text, through the producer's stream when the caller gives one.
    pub fn text_fields(mut self, names: &'a [&'a str]) -> Self {
        self.text_fields = names;
        self
    }

    /// Some value was replaced.
    pub fn changed(&self) -> bool {
        !self.edits.is_empty()
    }

    /// Appends the document with every replacement applied to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let mut edits: Vec<&(Range<usize>, String)> = self.edits.iter().collect();
        edits.sort_by_key(|(r, _)| r.start);
        let mut at = 0;
        for (r, with) in edits {
            out.extend_from_slice(&self.text.as_bytes()[at..r.start]);
            out.extend_from_slice(with.as_bytes());
            at = r.end;
        }
        out.extend_from_slice(&self.text.as_bytes()[at..]);
    }

    /// The document with every replacement applied.
    pub fn to_string_scrubbed(&self) -> String {
        let mut out = Vec::with_capacity(self.text.len());
        self.write_to(&mut out);
        // Only whole values were replaced, by JSON text: the result is UTF-8.
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Visits the value whose text is `raw` (a sub-slice of `self.text`).
    fn walk(&mut self, raw: &'a str, path: &[PathSegment<'_>], visitor: &mut dyn RecordVisitor) {
        let at = offset_in(self.text, raw);
        let range = at..at + raw.len();
        match raw.as_bytes().first() {
            Some(b'{') => {
                let Ok(Members(members)) = serde_json::from_str::<Members<'a>>(raw) else {
                    return;
                };
                for (key, value) in members {
                    let mut child = path.to_vec();
                    child.push(PathSegment::Key(&key));
                    if path.is_empty() && self.text_fields.contains(&key.as_ref()) {
                        if let Ok(Str(s)) = serde_json::from_str::<Str<'_>>(value.get()) {
                            let at = offset_in(self.text, value.get());
                            if let Some(r) = visitor.visit_text(&child, &s) {
                                self.replace(at..at + value.get().len(), &r);
                            }
                            continue;
                        }
                    }
                    self.walk(value.get(), &child, visitor);
                }
            }
            Some(b'[') => {
                let Ok(items) = serde_json::from_str::<Vec<&'a RawValue>>(raw) else {
                    return;
                };
                for (i, item) in items.into_iter().enumerate() {
                    let mut child = path.to_vec();
                    child.push(PathSegment::Index(i));
                    self.walk(item.get(), &child, visitor);
                }
            }
            Some(b'"') => {
                if let Ok(Str(s)) = serde_json::from_str::<Str<'_>>(raw) {
                    if let Some(r) = visitor.visit_str(path, &s) {
                        self.replace(range, &r);
                    }
                }
            }
            Some(b'-' | b'0'..=b'9') => {
                if let Some(r) = visitor.visit_str(path, raw) {
                    self.replace(range, &r);
                }
            }
            _ => {}
        }
    }

    fn replace(&mut self, range: Range<usize>, with: &str) {
        // Encoding a string never fails.
        let encoded = serde_json::to_string(with).unwrap_or_else(|_| "\"\"".to_string());
        self.edits.push((range, encoded));
    }
}

impl Record for JsonText<'_> {
    fn visit(&mut self, visitor: &mut dyn RecordVisitor) {
        self.edits.clear();
        let text = self.text;
        let trimmed = text.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r'));
        self.walk(trimmed, &[], visitor);
    }
}

/// Where `part` (a sub-slice of `whole`) starts in `whole`.
fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

/// A JSON string, borrowed when it has no escapes.
struct Str<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// An object's members in document order (duplicates kept), each value as its exact text.
struct Members<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                let mut members = Vec::new();
                while let Some(Str(k)) = map.next_key::<Str<'de>>()? {
                    let v: &'de RawValue = map.next_value()?;
                    members.push((k, v));
                }
                Ok(Members(members))
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lists every visited path, replacing values under `secret`.
    struct Lister(Vec<String>);
    impl RecordVisitor for Lister {
        fn visit_str(&mut self, path: &[PathSegment<'_>], value: &str) -> Option<String> {
            self.0
                .push(format!("{}={value}", crate::record::render_path(path)));
            (path.last() == Some(&PathSegment::Key("secret"))).then(|| "X".to_string())
        }
        fn visit_text(&mut self, path: &[PathSegment<'_>], value: &str) -> Option<String> {
            self.0
                .push(format!("text {}={value}", crate::record::render_path(path)));
            None
        }
    }

    #[test]
    fn values_are_visited_in_order_and_the_rest_keeps_its_bytes() {
        let text = " {\"a\" : [1, \"t\\u00e9\"], \"secret\":  42e0 ,\"b\":{\"secret\":\"s\\\"x\"}, \"a\":null, \"log\":\"l\"}\n";
        let mut j = JsonText::parse(text).unwrap().text_fields(&["log"]);
        let mut v = Lister(Vec::new());
        j.visit(&mut v);
        assert_eq!(
            v.0,
            [
                "a[0]=1",
                "a[1]=té",
                "secret=42e0",
                "b.secret=s\"x",
                "text log=l"
            ]
        );
        assert_eq!(
            j.to_string_scrubbed(),
            " {\"a\" : [1, \"t\\u00e9\"], \"secret\":  \"X\" ,\"b\":{\"secret\":\"X\"}, \"a\":null, \"log\":\"l\"}\n"
        );
    }

    #[test]
    fn invalid_json_is_an_error_that_names_the_place_only() {
        let e = JsonText::parse("{\"password\": hunter2}").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(!e.to_string().contains("hunter2"));
    }
}
