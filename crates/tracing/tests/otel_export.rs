//! End to end with OpenTelemetry: `scrubbed(registry().with(EnvFilter).with(fmt).with(tracing-opentelemetry)
//! .with(opentelemetry-appender-tracing))`, exported to the SDK's in-memory span and log exporters. No planted
//! value (event fields, messages, span fields, `Span::record`, error sources, `log` records) may reach an
//! exporter; span names, the span tree, attribute keys and kinds, levels, targets and log records must be what the
//! same stack exports without scrubbing.

mod common;

use std::collections::HashMap;

use common::*;
use logscrub_tracing::{scrubbed, Scrubber};
use opentelemetry::logs::AnyValue;
use opentelemetry::trace::{Status, TracerProvider as _};
use opentelemetry::{KeyValue, Value};
use opentelemetry_appender_tracing::layer::OpenTelemetryTracingBridge;
use opentelemetry_sdk::logs::{InMemoryLogExporter, SdkLoggerProvider};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use tracing_subscriber::filter::EnvFilter;
use tracing_subscriber::prelude::*;

/// What both exporters received.
struct Exported {
    spans: Vec<SpanData>,
    logs: Vec<opentelemetry_sdk::logs::in_memory_exporter::LogDataWithResource>,
}

impl Exported {
    /// Everything the exporters hold, as text (to search for planted values).
    fn dump(&self) -> String {
        format!("{:?}\n{:?}", self.spans, self.logs)
    }
}

/// Runs `f` under the full OpenTelemetry stack, scrubbed or not, and returns what the exporters received.
fn export(scrub: bool, f: impl FnOnce()) -> Exported {
    init_log_bridge();
    let span_exporter = InMemorySpanExporter::default();
    let log_exporter = InMemoryLogExporter::default();
    let tracer_provider = SdkTracerProvider::builder()
        .with_simple_exporter(span_exporter.clone())
        .build();
    let logger_provider = SdkLoggerProvider::builder()
        .with_simple_exporter(log_exporter.clone())
        .build();
    let stack = tracing_subscriber::registry()
        .with(EnvFilter::new("info"))
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::sink))
        .with(tracing_opentelemetry::layer().with_tracer(tracer_provider.tracer("checkout")))
        .with(OpenTelemetryTracingBridge::new(&logger_provider));
    if scrub {
        let scrubber = Scrubber::default_rules().unwrap();
        tracing::subscriber::with_default(scrubbed(scrubber, stack), f);
    } else {
        tracing::subscriber::with_default(stack, f);
    }
    tracer_provider.force_flush().unwrap();
    logger_provider.force_flush().unwrap();
    Exported {
        spans: span_exporter.get_finished_spans().unwrap(),
        logs: log_exporter.get_emitted_logs().unwrap(),
    }
}

fn placeholder(class: &str) -> String {
    format!("[REDACTED:{class}]")
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "bool",
        Value::I64(_) => "i64",
        Value::F64(_) => "f64",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        _ => "other",
    }
}

fn any_kind(v: &AnyValue) -> &'static str {
    match v {
        AnyValue::Int(_) => "int",
        AnyValue::Double(_) => "double",
        AnyValue::String(_) => "string",
        AnyValue::Boolean(_) => "bool",
        AnyValue::Bytes(_) => "bytes",
        AnyValue::ListAny(_) => "list",
        AnyValue::Map(_) => "map",
        _ => "other",
    }
}

/// Attribute keys with their kinds, sorted; the values of `level` and `target` too.
fn attrs_shape(kvs: &[KeyValue]) -> String {
    let mut v: Vec<String> = kvs
        .iter()
        .map(|kv| match kv.key.as_str() {
            "level" | "target" => format!("{}={}", kv.key, kv.value),
            k => format!("{k}:{}", kind(&kv.value)),
        })
        .collect();
    v.sort();
    v.join(" ")
}

/// Everything but the values: names, the span tree, attribute keys and kinds, events, status kind.
fn span_shapes(spans: &[SpanData]) -> Vec<String> {
    let names: HashMap<_, _> = spans
        .iter()
        .map(|s| (s.span_context.span_id(), s.name.to_string()))
        .collect();
    spans
        .iter()
        .map(|s| {
            let events: Vec<String> = s
                .events
                .iter()
                .map(|e| format!("({})", attrs_shape(&e.attributes)))
                .collect();
            let status = match s.status {
                Status::Unset => "unset",
                Status::Ok => "ok",
                Status::Error { .. } => "error",
            };
            format!(
                "{} parent={:?} trace_root={} [{}] events={} status={status}",
                s.name,
                names.get(&s.parent_span_id),
                s.parent_span_id == opentelemetry::trace::SpanId::INVALID,
                attrs_shape(&s.attributes),
                events.join(" ")
            )
        })
        .collect()
}

fn log_shapes(exported: &Exported) -> Vec<String> {
    exported
        .logs
        .iter()
        .map(|l| {
            let r = &l.record;
            let mut attrs: Vec<String> = r
                .attributes_iter()
                .map(|(k, v)| format!("{k}:{}", any_kind(v)))
                .collect();
            attrs.sort();
            format!(
                "{:?} {:?} {:?} {:?} body={:?} [{}]",
                r.severity_number(),
                r.severity_text(),
                r.target(),
                r.event_name(),
                r.body().map(any_kind),
                attrs.join(" ")
            )
        })
        .collect()
}

#[test]
fn without_scrubbing_every_planted_value_reaches_the_exporters() {
    // Guards the workload: if the planted values did not reach the exporters, the tests below would prove nothing.
    let out = export(false, log_everything).dump();
    for secret in all_secrets() {
        assert!(
            out.contains(secret),
            "workload does not export a planted value"
        );
    }
}

#[test]
fn no_planted_value_reaches_the_span_or_log_exporter() {
    let exported = export(true, log_everything);
    assert!(!exported.spans.is_empty() && !exported.logs.is_empty());
    let out = exported.dump();
    assert_no_secret(&out);
    for p in PLANTS {
        assert!(
            out.contains(&placeholder(p.class)),
            "{} placeholder missing",
            p.class
        );
    }
    // Span fields given at creation and recorded later are span attributes; error chains are event attributes.
    let attr = |span: &SpanData, key: &str| {
        span.attributes
            .iter()
            .find(|kv| kv.key.as_str() == key)
            .map(|kv| kv.value.to_string())
    };
    let checkout: Vec<&SpanData> = exported
        .spans
        .iter()
        .filter(|s| s.name == "checkout")
        .collect();
    assert_eq!(checkout.len(), 2 * PLANTS.len());
    // First the spans with the value given at creation, then those with the value recorded later.
    let (given, recorded) = checkout.split_at(PLANTS.len());
    for spans in [given, recorded] {
        for (span, p) in spans.iter().zip(PLANTS) {
            let v = attr(span, p.field).unwrap_or_default();
            assert!(v.contains(&placeholder(p.class)), "span field {}", p.field);
            assert_eq!(attr(span, "order_id").as_deref(), Some("42"));
        }
    }
    let chains = exported
        .spans
        .iter()
        .flat_map(|s| s.events.iter())
        .flat_map(|e| e.attributes.iter())
        .filter(|kv| kv.key.as_str() == "error.chain")
        .count();
    assert_eq!(
        chains,
        2 * PLANTS.len(),
        "every error exported with its chain"
    );
}

#[test]
fn names_tree_levels_targets_and_attribute_kinds_are_unchanged() {
    let plain = export(false, log_everything);
    let scrubbed = export(true, log_everything);
    assert_eq!(span_shapes(&plain.spans), span_shapes(&scrubbed.spans));
    assert_eq!(log_shapes(&plain), log_shapes(&scrubbed));
    // Numbers stay numbers in the export (tracing-opentelemetry exports an i64 as a number, a u64 as text).
    let request = scrubbed.spans.iter().find(|s| s.name == "request").unwrap();
    assert!(request
        .attributes
        .iter()
        .any(|kv| kv.key.as_str() == "attempt" && kv.value == Value::I64(1)));
}

#[test]
fn the_trace_context_api_still_works_through_the_wrapper() {
    // `Span::context()` downcasts the dispatcher to tracing-opentelemetry's layer: forwarded by `downcast_raw`.
    use opentelemetry::trace::TraceContextExt as _;
    use tracing_opentelemetry::OpenTelemetrySpanExt as _;
    let mut ids = Vec::new();
    let exported = export(true, || {
        let span = tracing::info_span!("request");
        let cx = span.context();
        ids.push(cx.span().span_context().trace_id());
    });
    assert_ne!(ids[0], opentelemetry::trace::TraceId::INVALID);
    assert_eq!(exported.spans[0].span_context.trace_id(), ids[0]);
}
