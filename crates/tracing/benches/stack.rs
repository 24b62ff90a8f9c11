//! Overhead of `scrubbed(..)` around a whole OpenTelemetry stack against the same stack without it.
//!
//! The stack is the one services run: `EnvFilter`, the `fmt` layer (text, to `io::sink()`), tracing-opentelemetry
//! (spans, with the SDK's simple processor) and opentelemetry-appender-tracing (logs), both exporting to an
//! exporter that discards the batch, so that the figures are the in-process cost. Beside it, the `fmt` layer
//! alone: plain, wrapped in `scrubbed`, and `fmt_layer` (format-time scrubbing), to show which costs what.
//!
//! Shapes: an event outside any span (fmt and the log bridge see it; tracing-opentelemetry drops it) and a
//! "request" (a span with two fields, entered, one event inside, closed and exported), with 3 or 10 fields, values
//! that change in every event (ids, timings), without and with a finding. Run:
//!
//! ```text
//! cargo bench -p logscrub-tracing --bench stack -- --warm-up-time 1 --measurement-time 2
//! ```

use std::future::{ready, Future};
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use logscrub_tracing::{fmt_layer, scrubbed, Scrubber};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_appender_tracing::layer::OpenTelemetryTracingBridge;
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::logs::{LogBatch, LogExporter, SdkLoggerProvider};
use opentelemetry_sdk::trace::{SdkTracerProvider, SpanData, SpanExporter};
use tracing::Dispatch;
use tracing_subscriber::prelude::*;
use tracing_subscriber::EnvFilter;

/// An exporter that drops what it is given: the figures are the cost inside the process.
#[derive(Debug, Clone, Copy)]
struct Discard;

impl SpanExporter for Discard {
    fn export(&self, batch: Vec<SpanData>) -> impl Future<Output = OTelSdkResult> + Send {
        drop(batch);
        ready(Ok(()))
    }
}

impl LogExporter for Discard {
    fn export(&self, _batch: LogBatch<'_>) -> impl Future<Output = OTelSdkResult> + Send {
        ready(Ok(()))
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(1_000_000);

fn event3(finding: bool) {
    let i = COUNTER.fetch_add(1, Ordering::Relaxed);
    if finding {
        tracing::info!(
            user_id = i,
            email = "jane.doe@example.com",
            latency_us = i % 9973,
            "request handled"
        );
    } else {
        tracing::info!(
            user_id = i,
            method = "GET",
            latency_us = i % 9973,
            "request handled"
        );
    }
}

fn event10(finding: bool) {
    let i = COUNTER.fetch_add(1, Ordering::Relaxed);
    let items = [1, 2, 3];
    let card = if finding { 4111111111111111u64 } else { i };
    tracing::info!(
        user_id = i,
        method = "GET",
        path = "/api/v1/orders/1234",
        status = 200u64,
        latency_ms = (i % 997) as f64 / 8.0,
        cached = false,
        region = "eu-west-1",
        items = ?items,
        request_id = %i.wrapping_mul(0x9E37_79B9_7F4A_7C15),
        card = card,
        "request handled"
    );
}

/// A span with two fields, entered, one event inside, closed (and exported by tracing-opentelemetry).
fn request(event: fn(bool), finding: bool) {
    let i = COUNTER.load(Ordering::Relaxed);
    let span = tracing::info_span!("request", request_id = i, route = "/api/v1/orders");
    let _entered = span.enter();
    event(finding);
}

fn otel_stack(
) -> impl tracing::Subscriber + Send + Sync + for<'a> tracing_subscriber::registry::LookupSpan<'a> {
    let tracer_provider = SdkTracerProvider::builder()
        .with_simple_exporter(Discard)
        .build();
    let logger_provider = SdkLoggerProvider::builder()
        .with_simple_exporter(Discard)
        .build();
    tracing_subscriber::registry()
        .with(EnvFilter::new("info"))
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(io::sink),
        )
        .with(tracing_opentelemetry::layer().with_tracer(tracer_provider.tracer("bench")))
        .with(OpenTelemetryTracingBridge::new(&logger_provider))
}

fn fmt_only(
) -> impl tracing::Subscriber + Send + Sync + for<'a> tracing_subscriber::registry::LookupSpan<'a> {
    tracing_subscriber::registry().with(
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(io::sink),
    )
}

fn dispatches(scrubber: &Scrubber) -> Vec<(&'static str, Dispatch)> {
    vec![
        ("otel_plain", Dispatch::new(otel_stack())),
        (
            "otel_scrubbed",
            Dispatch::new(scrubbed(scrubber.clone(), otel_stack())),
        ),
        ("fmt_plain", Dispatch::new(fmt_only())),
        (
            "fmt_scrubbed",
            Dispatch::new(scrubbed(scrubber.clone(), fmt_only())),
        ),
        (
            "fmt_layer",
            Dispatch::new(
                tracing_subscriber::registry().with(
                    fmt_layer(scrubber.clone())
                        .with_ansi(false)
                        .with_writer(io::sink),
                ),
            ),
        ),
    ]
}

fn overhead(c: &mut Criterion) {
    let scrubber = Scrubber::default_rules().expect("default rules compile");
    let dispatches = dispatches(&scrubber);
    type Shape = (&'static str, fn(bool), bool);
    let shapes: [Shape; 6] = [
        ("event_3_fields_clean", event3, false),
        ("event_3_fields_finding", event3, true),
        ("event_10_fields_clean", event10, false),
        ("event_10_fields_finding", event10, true),
        ("request_3_fields_clean", |f| request(event3, f), false),
        ("request_3_fields_finding", |f| request(event3, f), true),
    ];
    // One group per shape, so that the plain and scrubbed figures of a shape are measured back to back.
    for (name, shape, finding) in shapes {
        let mut group = c.benchmark_group(name);
        for (stack, dispatch) in &dispatches {
            tracing::dispatcher::with_default(dispatch, || {
                group.bench_function(*stack, |b| b.iter(|| shape(finding)));
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    targets = overhead
}
criterion_main!(benches);
