//! The OTLP logs messages as engine records: which values of a resource, a scope and its log records are
//! visited, under which path, and how a replacement is stored. Nothing here decides what is sensitive or writes a
//! placeholder: the engine does ([`logscrub_engine::Scrubber::scrub_record`]).
//!
//! Visited: attribute values (nested `kvlistValue`s and `arrayValue`s, each value under its attribute key),
//! bodies (a string body is free text, continuing its producer's stream), severity text, event names, scope names
//! and versions, entity references. Not visited: trace and span ids, timestamps, counts, flags (structure, not
//! content). A number or bytes value that the engine changed is stored as a `stringValue` holding the result, as a
//! JSON number with a finding becomes a string.

use logscrub_engine::{PathSegment, Record, RecordVisitor};
use opentelemetry_proto::tonic::common::v1::any_value::Value as Val;
use opentelemetry_proto::tonic::common::v1::{AnyValue, InstrumentationScope, KeyValue};
use opentelemetry_proto::tonic::logs::v1::LogRecord;
use opentelemetry_proto::tonic::resource::v1::Resource;

/// A resource: its attributes and entity references.
pub struct ResourceRecord<'r>(pub &'r mut Resource);

/// An instrumentation scope: name, version, attributes.
pub struct ScopeRecord<'r>(pub &'r mut InstrumentationScope);

/// The log records of one scope, one producer: their string bodies continue that producer's stream in order.
pub struct LogRecords<'r>(pub &'r mut [LogRecord]);

impl Record for ResourceRecord<'_> {
    fn visit(&mut self, v: &mut dyn RecordVisitor) {
        let root = [PathSegment::Key("resource")];
        visit_attributes(&mut self.0.attributes, &root, v);
        for (i, e) in self.0.entity_refs.iter_mut().enumerate() {
            let at = [
                PathSegment::Key("resource"),
                PathSegment::Key("entityRefs"),
                PathSegment::Index(i),
            ];
            visit_string(&mut e.schema_url, &at, "schemaUrl", v);
            visit_string(&mut e.r#type, &at, "type", v);
            for (name, list) in [
                ("idKeys", &mut e.id_keys),
                ("descriptionKeys", &mut e.description_keys),
            ] {
                for (j, s) in list.iter_mut().enumerate() {
                    let mut p = at.to_vec();
                    p.extend([PathSegment::Key(name), PathSegment::Index(j)]);
                    if let Some(r) = v.visit_str(&p, s) {
                        *s = r;
                    }
                }
            }
        }
    }
}

impl Record for ScopeRecord<'_> {
    fn visit(&mut self, v: &mut dyn RecordVisitor) {
        let root = [PathSegment::Key("scope")];
        visit_string(&mut self.0.name, &root, "name", v);
        visit_string(&mut self.0.version, &root, "version", v);
        visit_attributes(&mut self.0.attributes, &root, v);
    }
}

impl Record for LogRecords<'_> {
    fn visit(&mut self, v: &mut dyn RecordVisitor) {
        for (i, lr) in self.0.iter_mut().enumerate() {
            let at = [PathSegment::Key("logRecords"), PathSegment::Index(i)];
            if let Some(body) = lr.body.as_mut() {
                let mut p = at.to_vec();
                p.push(PathSegment::Key("body"));
                match &mut body.value {
                    Some(Val::StringValue(s)) => {
                        if let Some(r) = v.visit_text(&p, s) {
                            *s = r;
                        }
                    }
                    _ => visit_any(body, &p, v),
                }
            }
            visit_string(&mut lr.severity_text, &at, "severityText", v);
            visit_string(&mut lr.event_name, &at, "eventName", v);
            visit_attributes(&mut lr.attributes, &at, v);
        }
    }
}

/// A plain string field `name` of the message at `at` (skipped when empty).
fn visit_string(s: &mut String, at: &[PathSegment<'_>], name: &str, v: &mut dyn RecordVisitor) {
    if s.is_empty() {
        return;
    }
    let mut p = at.to_vec();
    p.push(PathSegment::Key(name));
    if let Some(r) = v.visit_str(&p, s) {
        *s = r;
    }
}

/// `attributes` of the message at `at`: each value under its key.
fn visit_attributes(kvs: &mut [KeyValue], at: &[PathSegment<'_>], v: &mut dyn RecordVisitor) {
    let mut p = at.to_vec();
    p.push(PathSegment::Key("attributes"));
    visit_kvs(kvs, &p, v);
}

fn visit_kvs(kvs: &mut [KeyValue], at: &[PathSegment<'_>], v: &mut dyn RecordVisitor) {
    for kv in kvs {
        let Some(value) = kv.value.as_mut() else {
            continue;
        };
        let mut p = at.to_vec();
        p.push(PathSegment::Key(&kv.key));
        visit_any(value, &p, v);
    }
}

/// An `AnyValue` at `path`: scalars visited, lists by index, maps by key.
fn visit_any(any: &mut AnyValue, path: &[PathSegment<'_>], v: &mut dyn RecordVisitor) {
    let replaced: Option<Val> = match &mut any.value {
        Some(Val::StringValue(s)) => {
            if let Some(r) = v.visit_str(path, s) {
                *s = r;
            }
            None
        }
        Some(Val::IntValue(i)) => v.visit_str(path, &i.to_string()).map(Val::StringValue),
        Some(Val::DoubleValue(d)) => v.visit_str(path, &d.to_string()).map(Val::StringValue),
        Some(Val::BytesValue(b)) => v.visit_bytes(path, b).map(|r| match String::from_utf8(r) {
            Ok(text) => Val::StringValue(text),
            Err(e) => Val::BytesValue(e.into_bytes()),
        }),
        Some(Val::ArrayValue(a)) => {
            for (i, item) in a.values.iter_mut().enumerate() {
                let mut p = path.to_vec();
                p.push(PathSegment::Index(i));
                visit_any(item, &p, v);
            }
            None
        }
        Some(Val::KvlistValue(kv)) => {
            visit_kvs(&mut kv.values, path, v);
            None
        }
        Some(Val::BoolValue(_)) | Some(Val::StringValueStrindex(_)) | None => None,
    };
    if let Some(r) = replaced {
        any.value = Some(r);
    }
}
