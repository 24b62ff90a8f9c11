//! The stack most services run — `EnvFilter`, the `fmt` layer, tracing-opentelemetry for spans and
//! opentelemetry-appender-tracing for logs — wrapped in `logscrub_tracing::scrubbed`, and then what the
//! OpenTelemetry exporters received. Run: `cargo run -p logscrub-tracing --example opentelemetry_stack`.
//!
//! The exporters here are the SDK's in-memory ones, so that the example can print what would have gone over OTLP;
//! in a service they are `opentelemetry-otlp` exporters, and nothing else changes. Every value below comes from
//! the `examples` of the rules in `rules/*.toml`; none of them is real.

use std::error::Error;
use std::fmt;

use opentelemetry::logs::AnyValue;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_appender_tracing::layer::OpenTelemetryTracingBridge;
use opentelemetry_sdk::logs::{InMemoryLogExporter, SdkLoggerProvider};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider};
use tracing_subscriber::prelude::*;
use tracing_subscriber::EnvFilter;

/// An error whose source carries a credential, as a database driver's error might.
#[derive(Debug)]
struct QueryError(ConnectError);

#[derive(Debug)]
struct ConnectError;

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("query failed")
    }
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot connect to postgres://app:s3cr3tPass@db.internal:5432/orders")
    }
}

impl Error for QueryError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.0)
    }
}

impl Error for ConnectError {}

fn main() -> Result<(), Box<dyn Error>> {
    let spans = InMemorySpanExporter::default();
    let logs = InMemoryLogExporter::default();
    let tracer_provider = SdkTracerProvider::builder()
        .with_simple_exporter(spans.clone())
        .build();
    let logger_provider = SdkLoggerProvider::builder()
        .with_simple_exporter(logs.clone())
        .build();

    // The usual stack, unchanged ...
    let stack = tracing_subscriber::registry()
        .with(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with(
            tracing_subscriber::fmt::layer()
                .without_time()
                .with_ansi(false),
        )
        .with(tracing_opentelemetry::layer().with_tracer(tracer_provider.tracer("shop")))
        .with(OpenTelemetryTracingBridge::new(&logger_provider));
    // ... wrapped once: every layer in it now sees only scrubbed values.
    let scrubber = logscrub_tracing::Scrubber::default_rules()?;
    logscrub_tracing::scrubbed(scrubber, stack).init();

    println!("== what the fmt layer printed ==");
    {
        let span = tracing::info_span!(
            "checkout",
            customer.email = "jane.doe@example.com",
            order_id = 1042i64,
            payment.dsn = tracing::field::Empty,
        );
        let _entered = span.enter();
        span.record(
            "payment.dsn",
            "postgres://app:s3cr3tPass@db.internal:5432/orders",
        );
        tracing::info!(
            card = 4012888888881881u64,
            amount_cents = 1999i64,
            "charged card 4111 1111 1111 1111"
        );
        let err = QueryError(ConnectError);
        tracing::error!(error = &err as &(dyn Error + 'static), "order not saved");
        log::warn!(target: "billing", "refund to IBAN GB82 WEST 1234 5698 7654 32 queued");
    }
    tracer_provider.force_flush()?;
    logger_provider.force_flush()?;

    println!("\n== what the span exporter received ==");
    for span in spans.get_finished_spans()? {
        println!("span {:?}", span.name);
        for kv in &span.attributes {
            if !kv.key.as_str().starts_with("code.") && !kv.key.as_str().starts_with("thread.") {
                println!("  {} = {}", kv.key, kv.value);
            }
        }
        for event in span.events.iter() {
            println!("  event {:?}", event.name);
            for kv in &event.attributes {
                if !kv.key.as_str().starts_with("code.") {
                    println!("    {} = {}", kv.key, kv.value);
                }
            }
        }
    }
    println!("\n== what the log exporter received ==");
    for log in logs.get_emitted_logs()? {
        let r = &log.record;
        println!(
            "{} {}: {}",
            r.severity_text().unwrap_or("?"),
            r.target().map(|t| t.as_ref()).unwrap_or("?"),
            r.body().map(text).unwrap_or_default()
        );
        for (k, v) in r.attributes_iter() {
            println!("    {k} = {}", text(v));
        }
    }
    Ok(())
}

/// A log attribute as text (strings without quotes).
fn text(v: &AnyValue) -> String {
    match v {
        AnyValue::String(s) => s.to_string(),
        AnyValue::Int(i) => i.to_string(),
        AnyValue::Double(d) => d.to_string(),
        AnyValue::Boolean(b) => b.to_string(),
        other => format!("{other:?}"),
    }
}
