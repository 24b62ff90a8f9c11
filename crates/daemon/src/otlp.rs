//! OTLP/HTTP logs (`POST /v1/logs`): the JSON and protobuf encodings of `ExportLogsServiceRequest`, as the
//! OpenTelemetry SDK exporters send them. Each log record is persisted as one compact JSON line
//! `{"resource":{..},"scope":{..},"logRecord":{..}}` in the OTLP JSON mapping, with the body and every string
//! attribute value (resource, scope and record attributes, nested lists and maps) scrubbed.
//!
//! The protobuf messages are written by hand with `prost` derives (no protoc). Bytes values
//! (`bytesValue`) are not scanned and are replaced by `[REDACTED:bytes]` (fail closed); trace and span ids are
//! kept. Nothing here logs a value.

use serde_json::{Map, Value};

use std::sync::Mutex;

use crate::pipeline::{BatchBuilder, HOLE};
use crate::streams::StreamMap;

/// Scrubs an OTLP JSON `ExportLogsServiceRequest` into records.
pub fn scrub_json(
    b: &mut BatchBuilder,
    streams: &Mutex<StreamMap>,
    body: &[u8],
) -> Result<(), String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        format!(
            "not an OTLP JSON request: line {} column {}",
            e.line(),
            e.column()
        )
    })?;
    emit(b, streams, v)
}

/// Scrubs an OTLP protobuf `ExportLogsServiceRequest` into records.
pub fn scrub_protobuf(
    b: &mut BatchBuilder,
    streams: &Mutex<StreamMap>,
    body: &[u8],
) -> Result<(), String> {
    use prost::Message;
    let req = pb::ExportLogsServiceRequest::decode(body)
        .map_err(|_| "not an OTLP protobuf ExportLogsServiceRequest".to_string())?;
    emit(b, streams, req.to_json())
}

/// Every log record of one resource and scope is a record of one producer: a string body is scrubbed in that
/// producer's stream (across requests), so a private key logged one line per record is found.
fn emit(b: &mut BatchBuilder, streams: &Mutex<StreamMap>, v: Value) -> Result<(), String> {
    let Value::Object(mut root) = v else {
        return Err("OTLP request must be an object".into());
    };
    let rls = match root.remove("resourceLogs") {
        Some(Value::Array(a)) => a,
        None | Some(Value::Null) => Vec::new(),
        Some(_) => return Err("resourceLogs must be an array".into()),
    };
    let mut scratch = Vec::new();
    for rl in rls {
        let Value::Object(mut rl) = rl else {
            return Err("resourceLogs[] must be objects".into());
        };
        let mut resource = rl.remove("resource").unwrap_or(Value::Object(Map::new()));
        scrub_attrs_in(b, &mut resource, &mut scratch);
        let sls = match rl.remove("scopeLogs") {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        };
        for sl in sls {
            let Value::Object(mut sl) = sl else {
                return Err("scopeLogs[] must be objects".into());
            };
            let mut scope = sl.remove("scope").unwrap_or(Value::Object(Map::new()));
            scrub_attrs_in(b, &mut scope, &mut scratch);
            let lrs = match sl.remove("logRecords") {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            };
            let producer = format!("otlp\0{resource}\0{scope}");
            for mut lr in lrs {
                let mut body_text = None;
                if let Value::Object(o) = &mut lr {
                    if let Some(body) = o.get_mut("body") {
                        body_text = scrub_body(b, streams, producer.as_bytes(), body, &mut scratch);
                    }
                }
                scrub_attrs_in(b, &mut lr, &mut scratch);
                let rec =
                    serde_json::json!({"resource": resource, "scope": scope, "logRecord": lr});
                // A second, line-level pass over the whole record also covers fields that are not attributes
                // (severity text, scope name, event name); the engine is idempotent on placeholders. A string
                // body was scrubbed by its producer's stream and is left out of this pass (see HOLE).
                let line = rec.to_string();
                match body_text {
                    Some(text) => match serde_json::to_string(&text) {
                        Ok(fill) => b.push_json_filled(line.as_bytes(), fill.as_bytes()),
                        Err(_) => b.push_line(line.replace(HOLE, "\"\"").as_bytes()),
                    },
                    None => b.push_line(line.as_bytes()),
                }
            }
        }
    }
    Ok(())
}

/// A string body goes through the producer's stream and is returned scrubbed, with a hole left in its place
/// (see [`crate::pipeline::BatchBuilder::push_json_filled`]); any other body is scrubbed as an `AnyValue`.
fn scrub_body(
    b: &mut BatchBuilder,
    streams: &Mutex<StreamMap>,
    producer: &[u8],
    body: &mut Value,
    scratch: &mut Vec<u8>,
) -> Option<String> {
    let s = match body {
        Value::Object(o) => match o.get_mut("stringValue") {
            Some(Value::String(s)) => s,
            _ => {
                scrub_any(b, None, body, scratch);
                return None;
            }
        },
        _ => {
            scrub_any(b, None, body, scratch);
            return None;
        }
    };
    scratch.clear();
    b.scrub_record_in(streams, producer, s.as_bytes(), scratch);
    let text = String::from_utf8_lossy(scratch).into_owned();
    // The hole is a JSON string literal; serde_json writes it back with its quotes when the record is printed.
    let hole: String = serde_json::from_str(HOLE).unwrap_or_default();
    *s = hole;
    Some(text)
}

/// Scrubs `obj.attributes` (an array of `{key, value}`).
fn scrub_attrs_in(b: &mut BatchBuilder, obj: &mut Value, scratch: &mut Vec<u8>) {
    if let Some(Value::Array(attrs)) = obj.get_mut("attributes") {
        scrub_kvs(b, attrs, scratch);
    }
}

fn scrub_kvs(b: &mut BatchBuilder, kvs: &mut [Value], scratch: &mut Vec<u8>) {
    for kv in kvs {
        let key = kv
            .get("key")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if let Some(v) = kv.get_mut("value") {
            scrub_any(b, Some(&key), v, scratch);
        }
    }
}

/// Scrubs an `AnyValue`: strings as a field (with its key) or as text (the body); lists and maps recursively.
fn scrub_any(b: &mut BatchBuilder, key: Option<&str>, v: &mut Value, scratch: &mut Vec<u8>) {
    let Value::Object(o) = v else {
        // Not an AnyValue object: a bare string is scrubbed anyway (fail closed).
        if let Value::String(s) = v {
            *s = scrub_str(b, key, s, scratch);
        }
        return;
    };
    if let Some(Value::String(s)) = o.get_mut("stringValue") {
        *s = scrub_str(b, key, s, scratch);
    }
    if let Some(Value::Object(arr)) = o.get_mut("arrayValue") {
        if let Some(Value::Array(vals)) = arr.get_mut("values") {
            for x in vals {
                scrub_any(b, key, x, scratch);
            }
        }
    }
    if let Some(Value::Object(kvl)) = o.get_mut("kvlistValue") {
        if let Some(Value::Array(vals)) = kvl.get_mut("values") {
            scrub_kvs(b, vals, scratch);
        }
    }
    if let Some(bv) = o.get_mut("bytesValue") {
        *bv = Value::String("[REDACTED:bytes]".into());
    }
}

fn scrub_str(b: &mut BatchBuilder, key: Option<&str>, s: &str, scratch: &mut Vec<u8>) -> String {
    scratch.clear();
    match key {
        Some(k) => b.scrub_field_into(k, s.as_bytes(), scratch),
        None => b.scrub_text_into(s.as_bytes(), scratch),
    }
    String::from_utf8_lossy(scratch).into_owned()
}

/// Hand-written OTLP protobuf messages (opentelemetry-proto `logs/v1`, `common/v1`, `resource/v1`).
#[allow(missing_docs)]
pub mod pb {
    use serde_json::{json, Map, Value};

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ExportLogsServiceRequest {
        #[prost(message, repeated, tag = "1")]
        pub resource_logs: Vec<ResourceLogs>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ResourceLogs {
        #[prost(message, optional, tag = "1")]
        pub resource: Option<Resource>,
        #[prost(message, repeated, tag = "2")]
        pub scope_logs: Vec<ScopeLogs>,
        #[prost(string, tag = "3")]
        pub schema_url: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Resource {
        #[prost(message, repeated, tag = "1")]
        pub attributes: Vec<KeyValue>,
        #[prost(uint32, tag = "2")]
        pub dropped_attributes_count: u32,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ScopeLogs {
        #[prost(message, optional, tag = "1")]
        pub scope: Option<InstrumentationScope>,
        #[prost(message, repeated, tag = "2")]
        pub log_records: Vec<LogRecord>,
        #[prost(string, tag = "3")]
        pub schema_url: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct InstrumentationScope {
        #[prost(string, tag = "1")]
        pub name: String,
        #[prost(string, tag = "2")]
        pub version: String,
        #[prost(message, repeated, tag = "3")]
        pub attributes: Vec<KeyValue>,
        #[prost(uint32, tag = "4")]
        pub dropped_attributes_count: u32,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct LogRecord {
        #[prost(fixed64, tag = "1")]
        pub time_unix_nano: u64,
        #[prost(fixed64, tag = "11")]
        pub observed_time_unix_nano: u64,
        #[prost(int32, tag = "2")]
        pub severity_number: i32,
        #[prost(string, tag = "3")]
        pub severity_text: String,
        #[prost(message, optional, tag = "5")]
        pub body: Option<AnyValue>,
        #[prost(message, repeated, tag = "6")]
        pub attributes: Vec<KeyValue>,
        #[prost(uint32, tag = "7")]
        pub dropped_attributes_count: u32,
        #[prost(fixed32, tag = "8")]
        pub flags: u32,
        #[prost(bytes = "vec", tag = "9")]
        pub trace_id: Vec<u8>,
        #[prost(bytes = "vec", tag = "10")]
        pub span_id: Vec<u8>,
        #[prost(string, tag = "12")]
        pub event_name: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct KeyValue {
        #[prost(string, tag = "1")]
        pub key: String,
        #[prost(message, optional, tag = "2")]
        pub value: Option<AnyValue>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct AnyValue {
        #[prost(oneof = "Val", tags = "1, 2, 3, 4, 5, 6, 7")]
        pub value: Option<Val>,
    }
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Val {
        #[prost(string, tag = "1")]
        StringValue(String),
        #[prost(bool, tag = "2")]
        BoolValue(bool),
        #[prost(int64, tag = "3")]
        IntValue(i64),
        #[prost(double, tag = "4")]
        DoubleValue(f64),
        #[prost(message, tag = "5")]
        ArrayValue(ArrayValue),
        #[prost(message, tag = "6")]
        KvlistValue(KeyValueList),
        #[prost(bytes = "vec", tag = "7")]
        BytesValue(Vec<u8>),
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ArrayValue {
        #[prost(message, repeated, tag = "1")]
        pub values: Vec<AnyValue>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct KeyValueList {
        #[prost(message, repeated, tag = "1")]
        pub values: Vec<KeyValue>,
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    fn kvs(v: &[KeyValue]) -> Value {
        Value::Array(
            v.iter()
                .map(|kv| json!({"key": kv.key, "value": kv.value.as_ref().map_or(json!({}), AnyValue::to_json)}))
                .collect(),
        )
    }

    impl AnyValue {
        /// The OTLP JSON mapping of this value.
        pub fn to_json(&self) -> Value {
            match &self.value {
                None => json!({}),
                Some(Val::StringValue(s)) => json!({"stringValue": s}),
                Some(Val::BoolValue(x)) => json!({"boolValue": x}),
                Some(Val::IntValue(i)) => json!({"intValue": i.to_string()}),
                Some(Val::DoubleValue(d)) => json!({"doubleValue": d}),
                Some(Val::ArrayValue(a)) => {
                    json!({"arrayValue": {"values": a.values.iter().map(AnyValue::to_json).collect::<Vec<_>>()}})
                }
                Some(Val::KvlistValue(k)) => json!({"kvlistValue": {"values": kvs(&k.values)}}),
                Some(Val::BytesValue(_)) => json!({"bytesValue": ""}),
            }
        }
    }

    impl ExportLogsServiceRequest {
        /// The OTLP JSON mapping of the request.
        pub fn to_json(&self) -> Value {
            let rls: Vec<Value> = self
                .resource_logs
                .iter()
                .map(|rl| {
                    let resource = rl.resource.as_ref().map_or(json!({}), |r| {
                        json!({"attributes": kvs(&r.attributes)})
                    });
                    let sls: Vec<Value> = rl
                        .scope_logs
                        .iter()
                        .map(|sl| {
                            let scope = sl.scope.as_ref().map_or(json!({}), |s| {
                                json!({"name": s.name, "version": s.version, "attributes": kvs(&s.attributes)})
                            });
                            let lrs: Vec<Value> = sl
                                .log_records
                                .iter()
                                .map(|lr| {
                                    let mut o = Map::new();
                                    o.insert("timeUnixNano".into(), json!(lr.time_unix_nano.to_string()));
                                    o.insert(
                                        "observedTimeUnixNano".into(),
                                        json!(lr.observed_time_unix_nano.to_string()),
                                    );
                                    o.insert("severityNumber".into(), json!(lr.severity_number));
                                    if !lr.severity_text.is_empty() {
                                        o.insert("severityText".into(), json!(lr.severity_text));
                                    }
                                    if let Some(b) = &lr.body {
                                        o.insert("body".into(), b.to_json());
                                    }
                                    o.insert("attributes".into(), kvs(&lr.attributes));
                                    if lr.flags != 0 {
                                        o.insert("flags".into(), json!(lr.flags));
                                    }
                                    if !lr.trace_id.is_empty() {
                                        o.insert("traceId".into(), json!(hex(&lr.trace_id)));
                                    }
                                    if !lr.span_id.is_empty() {
                                        o.insert("spanId".into(), json!(hex(&lr.span_id)));
                                    }
                                    if !lr.event_name.is_empty() {
                                        o.insert("eventName".into(), json!(lr.event_name));
                                    }
                                    Value::Object(o)
                                })
                                .collect();
                            json!({"scope": scope, "logRecords": lrs})
                        })
                        .collect();
                    json!({"resource": resource, "scopeLogs": sls})
                })
                .collect();
            json!({"resourceLogs": rls})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn run(body: &[u8], proto: bool) -> String {
        let s = logscrub_engine::Scrubber::default_rules().unwrap();
        let mut b = BatchBuilder::new(Arc::from("otlp"), s, Arc::default());
        if proto {
            scrub_protobuf(&mut b, &Default::default(), body).unwrap();
        } else {
            scrub_json(&mut b, &Default::default(), body).unwrap();
        }
        let batch = b.take(None);
        String::from_utf8(batch.data).unwrap()
    }

    #[test]
    fn json_body_and_attributes_are_scrubbed() {
        let body = br#"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},"scopeLogs":[{"scope":{"name":"s"},"logRecords":[{"timeUnixNano":"1","body":{"stringValue":"paid with 4111 1111 1111 1111"},"attributes":[{"key":"db.url","value":{"stringValue":"postgres://app:s3cr3tPass@db.internal:5432/orders"}},{"key":"n","value":{"intValue":"3"}}]}]}]}]}"#;
        let out = run(body, false);
        assert_eq!(out.lines().count(), 1);
        assert!(!out.contains("4111 1111"), "{out}");
        assert!(!out.contains("s3cr3tPass"), "{out}");
        assert!(out.contains("paid with [REDACTED:credit_card]"), "{out}");
        assert!(out.contains("\"shop\""), "{out}");
        assert!(out.contains("\"intValue\":\"3\""), "{out}");
    }

    #[test]
    fn protobuf_round_trip() {
        use prost::Message;
        let req = pb::ExportLogsServiceRequest {
            resource_logs: vec![pb::ResourceLogs {
                resource: None,
                scope_logs: vec![pb::ScopeLogs {
                    scope: None,
                    log_records: vec![pb::LogRecord {
                        body: Some(pb::AnyValue {
                            value: Some(pb::Val::StringValue("key AKIAIOSFODNN7EXAMPLE".into())),
                        }),
                        attributes: vec![pb::KeyValue {
                            key: "password".into(),
                            value: Some(pb::AnyValue {
                                value: Some(pb::Val::StringValue("hunter2hunter2xx".into())),
                            }),
                        }],
                        trace_id: vec![1; 16],
                        ..Default::default()
                    }],
                    schema_url: String::new(),
                }],
                schema_url: String::new(),
            }],
        };
        let out = run(&req.encode_to_vec(), true);
        assert!(out.contains("key [REDACTED:aws_access_key_id]"), "{out}");
        assert!(!out.contains("AKIAIOSFODNN7EXAMPLE"));
        assert!(!out.contains("hunter2hunter2xx"), "{out}");
        assert!(out.contains("01010101010101010101010101010101"));
    }
}
