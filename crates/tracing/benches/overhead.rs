//! Overhead of format-time scrubbing against plain `tracing_subscriber::fmt`, both writing to `io::sink()`.
//!
//! Events with 0, 3 and 10 fields, without and with one finding; text (the default format) and JSON; and the
//! write-time backstop alone behind the plain formatter. The `_varying` shapes change some values in every event
//! (ids, timings), so that the memo of clean values cannot help them. Run:
//!
//! ```text
//! cargo bench -p logscrub-tracing --bench overhead -- --warm-up-time 1 --measurement-time 2
//! ```

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use logscrub_tracing::{fmt_layer, ScrubWriter, Scrubber};
use tracing::Dispatch;
use tracing_subscriber::prelude::*;

fn ev0(finding: bool) {
    if finding {
        tracing::info!("charged card 4111 1111 1111 1111 for order");
    } else {
        tracing::info!("request handled for order");
    }
}

fn ev3(finding: bool) {
    if finding {
        tracing::info!(
            user_id = 42u64,
            method = "GET",
            email = "jane.doe@example.com",
            "request handled"
        );
    } else {
        tracing::info!(
            user_id = 42u64,
            method = "GET",
            path = "/api/v1/orders/1234",
            "request handled"
        );
    }
}

fn ev10(finding: bool) {
    let items = [1, 2, 3];
    if finding {
        tracing::info!(
            user_id = 42u64,
            method = "GET",
            path = "/api/v1/orders/1234",
            status = 200u64,
            latency_ms = 12.5f64,
            cached = false,
            region = "eu-west-1",
            items = ?items,
            peer = %"web-01",
            card = 4111111111111111u64,
            "request handled"
        );
    } else {
        tracing::info!(
            user_id = 42u64,
            method = "GET",
            path = "/api/v1/orders/1234",
            status = 200u64,
            latency_ms = 12.5f64,
            cached = false,
            region = "eu-west-1",
            items = ?items,
            peer = %"web-01",
            attempt = 3u64,
            "request handled"
        );
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(1_000_000);

/// 3 fields, two of them different in every event (ids, timings): nothing to memoize.
fn ev3_varying(_: bool) {
    let i = COUNTER.fetch_add(1, Ordering::Relaxed);
    tracing::info!(
        user_id = i,
        method = "GET",
        latency_us = i % 9973,
        "request handled"
    );
}

/// 10 fields, five of them different in every event.
fn ev10_varying(_: bool) {
    let i = COUNTER.fetch_add(1, Ordering::Relaxed);
    let items = [1, 2, 3];
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
        attempt = i % 7,
        "request handled"
    );
}

fn dispatches(scrubber: &Scrubber) -> Vec<(&'static str, Dispatch)> {
    let sink = io::sink as fn() -> io::Sink;
    vec![
        (
            "plain_text",
            Dispatch::new(
                tracing_subscriber::registry().with(
                    tracing_subscriber::fmt::layer()
                        .with_ansi(false)
                        .with_writer(sink),
                ),
            ),
        ),
        (
            "scrubbed_text",
            Dispatch::new(
                tracing_subscriber::registry().with(
                    fmt_layer(scrubber.clone())
                        .with_ansi(false)
                        .with_writer(sink),
                ),
            ),
        ),
        (
            "plain_json",
            Dispatch::new(
                tracing_subscriber::registry()
                    .with(tracing_subscriber::fmt::layer().json().with_writer(sink)),
            ),
        ),
        (
            "scrubbed_json",
            Dispatch::new(
                tracing_subscriber::registry()
                    .with(fmt_layer(scrubber.clone()).json().with_writer(sink)),
            ),
        ),
        (
            "backstop_text",
            Dispatch::new(
                tracing_subscriber::registry().with(
                    tracing_subscriber::fmt::layer()
                        .with_ansi(false)
                        .with_writer(ScrubWriter::new(scrubber.clone(), sink)),
                ),
            ),
        ),
    ]
}

/// An event shape: its name, a function logging it (with or without a finding), and whether it has a variant
/// with a finding.
type Shape = (&'static str, fn(bool), bool);

fn overhead(c: &mut Criterion) {
    let scrubber = Scrubber::default_rules().expect("default rules compile");
    let dispatches = dispatches(&scrubber);
    let events: [Shape; 5] = [
        ("0_fields", ev0, true),
        ("3_fields", ev3, true),
        ("10_fields", ev10, true),
        ("3_fields_varying", ev3_varying, false),
        ("10_fields_varying", ev10_varying, false),
    ];
    // One group per event shape, so that the plain and scrubbed figures of a shape are measured back to back
    // (the ratio then suffers less from load changing on a shared machine).
    for (ev_name, ev, with_finding) in events {
        for finding in [false, true] {
            if finding && !with_finding {
                continue;
            }
            let mut group = c.benchmark_group(format!(
                "{ev_name}_{}",
                if finding { "finding" } else { "clean" }
            ));
            for (name, dispatch) in &dispatches {
                tracing::dispatcher::with_default(dispatch, || {
                    group.bench_function(*name, |b| b.iter(|| ev(finding)));
                });
            }
            group.finish();
        }
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
