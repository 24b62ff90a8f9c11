//! OTLP/HTTP logs (`POST /v1/logs`): the JSON and protobuf encodings of `ExportLogsServiceRequest`, as the
//! OpenTelemetry SDK exporters send them, decoded with the `opentelemetry-proto` types (protobuf via prost, JSON
//! via its serde mapping). Each log record is persisted as one compact JSON line
//! `{"resource":{..},"scope":{..},"logRecord":{..}}` in the OTLP JSON mapping.
//!
//! This module decodes, hands the messages to the engine's record API ([`record`] says which values are visited
//! and under which path) and encodes; it never walks values or writes a placeholder. A string body continues the
//! stream of its producer (one resource and scope), so a private key logged one line per record is found. Trace
//! and span ids are kept as they are. Nothing here logs or echoes a value.

pub mod record;

use std::sync::Mutex;

use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::common::v1::InstrumentationScope;
use opentelemetry_proto::tonic::logs::v1::LogRecord;
use opentelemetry_proto::tonic::resource::v1::Resource;

use crate::pipeline::BatchBuilder;
use crate::streams::StreamMap;
use record::{LogRecords, ResourceRecord, ScopeRecord};

/// Why a body is not an OTLP logs request. Names the place only, never the bytes read there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OtlpError {
    /// The JSON encoding did not parse as an `ExportLogsServiceRequest`.
    #[error("not an OTLP JSON ExportLogsServiceRequest: line {line} column {column}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The protobuf encoding did not decode.
    #[error("not an OTLP protobuf ExportLogsServiceRequest")]
    Protobuf,
    /// A scrubbed record could not be encoded as JSON (nothing of the request was kept).
    #[error("an OTLP log record could not be encoded as JSON")]
    Encode,
}

/// Decodes the OTLP JSON encoding of an `ExportLogsServiceRequest`.
pub fn decode_json(body: &[u8]) -> Result<ExportLogsServiceRequest, OtlpError> {
    serde_json::from_slice(body).map_err(|e| OtlpError::Json {
        line: e.line(),
        column: e.column(),
    })
}

/// Decodes the OTLP protobuf encoding of an `ExportLogsServiceRequest`.
pub fn decode_protobuf(body: &[u8]) -> Result<ExportLogsServiceRequest, OtlpError> {
    use prost::Message;
    ExportLogsServiceRequest::decode(body).map_err(|_| OtlpError::Protobuf)
}

/// Scrubs an OTLP JSON `ExportLogsServiceRequest` into records.
pub fn scrub_json(
    b: &mut BatchBuilder,
    streams: &Mutex<StreamMap>,
    body: &[u8],
) -> Result<(), OtlpError> {
    emit(b, streams, decode_json(body)?)
}

/// Scrubs an OTLP protobuf `ExportLogsServiceRequest` into records.
pub fn scrub_protobuf(
    b: &mut BatchBuilder,
    streams: &Mutex<StreamMap>,
    body: &[u8],
) -> Result<(), OtlpError> {
    emit(b, streams, decode_protobuf(body)?)
}

/// One persisted line: a log record with its resource and scope.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Persisted<'a> {
    resource: &'a Resource,
    scope: &'a InstrumentationScope,
    log_record: &'a LogRecord,
}

/// Scrubs every resource, scope and log record through the engine, then encodes one line per log record. The
/// log records of one resource and scope are one producer: their string bodies continue that producer's stream.
/// Every line is encoded before any is added, so a request is kept whole or not at all.
fn emit(
    b: &mut BatchBuilder,
    streams: &Mutex<StreamMap>,
    mut req: ExportLogsServiceRequest,
) -> Result<(), OtlpError> {
    let mut lines: Vec<Vec<u8>> = Vec::new();
    for rl in &mut req.resource_logs {
        let mut resource = rl.resource.take().unwrap_or_default();
        b.scrub_record(&mut ResourceRecord(&mut resource));
        let resource_key = serde_json::to_vec(&resource).map_err(|_| OtlpError::Encode)?;
        for sl in &mut rl.scope_logs {
            let mut scope = sl.scope.take().unwrap_or_default();
            b.scrub_record(&mut ScopeRecord(&mut scope));
            let mut producer = b"otlp\0".to_vec();
            producer.extend_from_slice(&resource_key);
            producer.push(0);
            producer.extend(serde_json::to_vec(&scope).map_err(|_| OtlpError::Encode)?);
            let mut flushed = Vec::new();
            b.scrub_record_streamed(
                streams,
                &producer,
                &mut LogRecords(&mut sl.log_records),
                &mut flushed,
            );
            for lr in &sl.log_records {
                let line = serde_json::to_vec(&Persisted {
                    resource: &resource,
                    scope: &scope,
                    log_record: lr,
                })
                .map_err(|_| OtlpError::Encode)?;
                lines.push(line);
            }
        }
    }
    for l in lines {
        b.push_scrubbed_record(&l);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentelemetry_proto::tonic::common::v1::any_value::Value as Val;
    use opentelemetry_proto::tonic::common::v1::{AnyValue, ArrayValue, KeyValue, KeyValueList};
    use opentelemetry_proto::tonic::logs::v1::{ResourceLogs, ScopeLogs};
    use std::sync::Arc;

    fn run(body: &[u8], proto: bool) -> (String, usize) {
        let s = logscrub_engine::Scrubber::default_rules().unwrap();
        let mut b = BatchBuilder::new(Arc::from("otlp"), s, Arc::default());
        if proto {
            scrub_protobuf(&mut b, &Default::default(), body).unwrap();
        } else {
            scrub_json(&mut b, &Default::default(), body).unwrap();
        }
        let batch = b.take(None);
        (String::from_utf8(batch.data).unwrap(), batch.findings.len())
    }

    fn s(v: &str) -> Option<AnyValue> {
        Some(AnyValue {
            value: Some(Val::StringValue(v.into())),
        })
    }

    fn kv(k: &str, value: Option<AnyValue>) -> KeyValue {
        KeyValue {
            key: k.into(),
            value,
            ..Default::default()
        }
    }

    fn request(lr: LogRecord) -> ExportLogsServiceRequest {
        ExportLogsServiceRequest {
            resource_logs: vec![ResourceLogs {
                scope_logs: vec![ScopeLogs {
                    log_records: vec![lr],
                    ..Default::default()
                }],
                ..Default::default()
            }],
        }
    }

    #[test]
    fn json_body_and_attributes_are_scrubbed() {
        let body = br#"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},"scopeLogs":[{"scope":{"name":"s"},"logRecords":[{"timeUnixNano":"1","body":{"stringValue":"paid with 4111 1111 1111 1111"},"attributes":[{"key":"db.url","value":{"stringValue":"postgres://app:s3cr3tPass@db.internal:5432/orders"}},{"key":"n","value":{"intValue":"3"}}]}]}]}]}"#;
        let (out, _) = run(body, false);
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
        let req = request(LogRecord {
            body: s("key AKIAQ7ZL3MXK2PV9RT4W"),
            attributes: vec![kv("password", s("hunter2hunter2xx"))],
            trace_id: vec![1; 16],
            span_id: vec![2; 8],
            ..Default::default()
        });
        let (out, _) = run(&req.encode_to_vec(), true);
        assert!(out.contains("key [REDACTED:aws_access_key_id]"), "{out}");
        assert!(!out.contains("AKIAQ7ZL3MXK2PV9RT4W"));
        assert!(!out.contains("hunter2hunter2xx"), "{out}");
        let v: serde_json::Value = serde_json::from_str(out.trim_end()).unwrap();
        assert_eq!(
            v["logRecord"]["traceId"],
            "01010101010101010101010101010101"
        );
        assert_eq!(v["logRecord"]["spanId"], "0202020202020202");
    }

    /// Fails on the hand-written walk of before: it passed only the innermost key, and wrote `bytesValue`
    /// placeholders itself. Here every value goes through the engine's record API with its path.
    #[test]
    fn a_password_in_a_kvlist_inside_an_array_is_redacted_and_reported_with_its_path() {
        use prost::Message;
        let nested = AnyValue {
            value: Some(Val::ArrayValue(ArrayValue {
                values: vec![
                    s("first"),
                    Some(AnyValue {
                        value: Some(Val::KvlistValue(KeyValueList {
                            values: vec![kv("user", s("ann")), kv("password", s("Tr0ub4dor&3xyz"))],
                        })),
                    }),
                ]
                .into_iter()
                .flatten()
                .collect(),
            })),
        };
        let req = request(LogRecord {
            body: s("login"),
            severity_text: "card 4111111111111111".into(),
            attributes: vec![
                kv("logins", Some(nested)),
                kv(
                    "blob",
                    Some(AnyValue {
                        value: Some(Val::BytesValue(vec![0xff, 0xfe, 0x00])),
                    }),
                ),
                kv(
                    "count",
                    Some(AnyValue {
                        value: Some(Val::IntValue(4111111111111111)),
                    }),
                ),
            ],
            ..Default::default()
        });
        let s_ = logscrub_engine::Scrubber::default_rules().unwrap();
        let mut req2 = req.clone();
        let mut b = BatchBuilder::new(Arc::from("otlp"), s_.clone(), Arc::default());
        let mut f = Vec::new();
        let mut scratch = s_.scratch();
        s_.scrub_record(
            &mut LogRecords(&mut req2.resource_logs[0].scope_logs[0].log_records),
            &mut scratch,
            &mut f,
        );
        let paths: Vec<&str> = f.iter().map(|f| f.path.as_str()).collect();
        assert!(
            paths.contains(&"logRecords[0].attributes.logins[1].password"),
            "{paths:?}"
        );
        assert!(paths.contains(&"logRecords[0].severityText"), "{paths:?}");
        assert!(
            paths.contains(&"logRecords[0].attributes.count"),
            "{paths:?}"
        );
        scrub_protobuf(&mut b, &Default::default(), &req.encode_to_vec()).unwrap();
        let out = String::from_utf8(b.take(None).data).unwrap();
        let v: serde_json::Value = serde_json::from_str(out.trim_end()).unwrap();
        let attrs = &v["logRecord"]["attributes"];
        let inner = &attrs[0]["value"]["arrayValue"]["values"];
        assert_eq!(inner[0]["stringValue"], "first");
        let kvs = &inner[1]["kvlistValue"]["values"];
        assert_eq!(kvs[0]["value"]["stringValue"], "ann");
        assert_eq!(kvs[1]["value"]["stringValue"], "[REDACTED:password]");
        assert_eq!(attrs[1]["value"]["stringValue"], "[REDACTED:bytes]");
        assert_eq!(attrs[2]["value"]["stringValue"], "[REDACTED:credit_card]");
        assert_eq!(
            v["logRecord"]["severityText"],
            "card [REDACTED:credit_card]"
        );
        assert!(!out.contains("Tr0ub4dor"), "{out}");
    }

    #[test]
    fn a_key_sent_one_body_per_request_is_redacted_in_its_producers_stream() {
        let s_ = logscrub_engine::Scrubber::default_rules().unwrap();
        let streams = Mutex::new(StreamMap::default());
        let lines = [
            "-----BEGIN RSA PRIVATE KEY-----",
            "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
            "-----END RSA PRIVATE KEY-----",
        ];
        let mut b = BatchBuilder::new(Arc::from("otlp"), s_, Arc::default());
        for l in lines {
            let body = serde_json::json!({"resourceLogs":[{"scopeLogs":[{"scope":{"name":"app"},
                "logRecords":[{"body":{"stringValue": l}}]}]}]});
            scrub_json(&mut b, &streams, body.to_string().as_bytes()).unwrap();
        }
        let out = String::from_utf8(b.take(None).data).unwrap();
        assert!(!out.contains("MIIEowIBAAKCAQEA"), "{out}");
        assert_eq!(out.matches("[REDACTED:private_key]").count(), 1, "{out}");
    }

    /// Fails on main: a number attribute was never visited, and the line pass over the encoded record saw it
    /// under the key `intValue`, not under its attribute's name.
    #[test]
    fn a_number_attribute_under_a_password_key_is_redacted() {
        let body = br#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"login"},"attributes":[{"key":"password","value":{"intValue":"73914682"}},{"key":"db_password","value":{"doubleValue":73914682.5}},{"key":"retries","value":{"intValue":"3"}}]}]}]}]}"#;
        let (out, findings) = run(body, false);
        assert!(!out.contains("73914682"), "{out}");
        assert!(out.contains(r#""intValue":"3""#), "{out}");
        assert_eq!(findings, 2, "{out}");
    }

    #[test]
    fn empty_values_and_missing_parts_encode() {
        let body = br#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[{"key":"e","value":{}},{"key":"b","value":{"boolValue":true}},{"key":"clean","value":{"bytesValue":"R0VUIC8="}}]}]}]},{}]}"#;
        let (out, findings) = run(body, false);
        assert_eq!(out.lines().count(), 1, "{out}");
        let v: serde_json::Value = serde_json::from_str(out.trim_end()).unwrap();
        assert_eq!(v["logRecord"]["attributes"][1]["value"]["boolValue"], true);
        assert_eq!(
            v["logRecord"]["attributes"][2]["value"]["bytesValue"], "R0VUIC8=",
            "clean text bytes are kept: {out}"
        );
        assert_eq!(findings, 0);
    }

    /// Found by the `otlp` fuzz target (its protobuf and JSON decodings disagreed): serde_json's default float
    /// parser is not correctly rounded, so a `doubleValue` sent as OTLP JSON was persisted one unit in the last
    /// place off (`1.3552527156068805e-20` became `...804e-20`). The daemon enables `float_roundtrip`.
    #[test]
    fn a_json_double_is_persisted_exactly() {
        for d in [
            "1.3552527156068805e-20",
            "-7.475102707913054e+196",
            "0.1",
            "5e-324",
        ] {
            let body = format!(
                r#"{{"resourceLogs":[{{"scopeLogs":[{{"logRecords":[{{"attributes":[{{"key":"r","value":{{"doubleValue":{d}}}}}]}}]}}]}}]}}"#
            );
            let (out, _) = run(body.as_bytes(), false);
            let v: serde_json::Value = serde_json::from_str(out.trim_end()).unwrap();
            let got = v["logRecord"]["attributes"][0]["value"]["doubleValue"]
                .as_f64()
                .unwrap();
            assert_eq!(got, d.parse::<f64>().unwrap(), "{out}");
        }
    }

    #[test]
    fn errors_name_the_place_not_the_bytes() {
        let e = decode_json(br#"{"resourceLogs": "hunter2"}"#).unwrap_err();
        assert!(!e.to_string().contains("hunter2"), "{e}");
        assert_eq!(
            decode_protobuf(b"\xff\xff\xff").unwrap_err(),
            OtlpError::Protobuf
        );
    }
}
