//! The scrubbing subscriber (`scrubbed`) around unrelated layers: a layer that records every value it is handed,
//! and a JSON file written through tracing-appender, with `EnvFilter`, a per-layer filter and the `log` bridge.
//! No layer may see a planted value; hooks, names, levels, targets, field names, value kinds and the span tree
//! must be what the same stack sees without scrubbing.

mod common;

use std::path::PathBuf;

use common::recorder::{Recorder, Seen, Val};
use common::*;
use logscrub_tracing::{scrubbed, Scrubber};
use tracing_subscriber::filter::{EnvFilter, LevelFilter};
use tracing_subscriber::prelude::*;

fn scrubber() -> Scrubber {
    Scrubber::default_rules().unwrap()
}

fn placeholder(class: &str) -> String {
    format!("[REDACTED:{class}]")
}

/// Runs `f` with a recorder as the only layer, scrubbed or not; returns what it saw.
fn record(scrub: bool, f: impl FnOnce()) -> Vec<Seen> {
    init_log_bridge();
    let rec = Recorder::default();
    let stack = tracing_subscriber::registry().with(rec.clone());
    if scrub {
        tracing::subscriber::with_default(scrubbed(scrubber(), stack), f);
    } else {
        tracing::subscriber::with_default(stack, f);
    }
    rec.seen()
}

fn dump(seen: &[Seen]) -> String {
    let rec = Recorder::default();
    rec.0.lock().unwrap().extend(seen.iter().cloned());
    rec.dump()
}

#[test]
fn without_scrubbing_the_recorder_sees_every_planted_value() {
    // Guards the workload: if the planted values did not reach a plain layer, the tests below would prove nothing.
    let out = dump(&record(false, log_everything));
    for secret in all_secrets() {
        assert!(
            out.contains(secret),
            "workload does not log a planted value"
        );
    }
}

#[test]
fn the_recorder_sees_only_scrubbed_values_in_every_hook() {
    let seen = record(true, log_everything);
    let out = dump(&seen);
    assert_no_secret(&out);
    for p in PLANTS {
        assert!(
            out.contains(&placeholder(p.class)),
            "{} placeholder missing",
            p.class
        );
    }
    for hook in ["event", "event_enabled", "new_span", "record"] {
        assert!(seen.iter().any(|s| s.hook == hook), "no {hook} seen");
    }
}

#[test]
fn hooks_metadata_field_names_kinds_and_span_tree_are_unchanged() {
    let plain: Vec<String> = record(false, log_everything)
        .iter()
        .map(Seen::shape)
        .collect();
    let scrubbed: Vec<String> = record(true, log_everything)
        .iter()
        .map(Seen::shape)
        .collect();
    assert_eq!(plain.len(), scrubbed.len());
    for (a, b) in plain.iter().zip(&scrubbed) {
        assert_eq!(a, b);
    }
    // Explicit parents and explicit roots survive the rebuild.
    assert!(scrubbed
        .iter()
        .any(|s| s.starts_with("event INFO") && s.contains("parent=Some(\"child\")")));
    assert!(scrubbed
        .iter()
        .any(|s| s.starts_with("event INFO") && s.contains("parent=None")));
    assert!(scrubbed
        .iter()
        .any(|s| s.starts_with("new_span INFO") && s.contains(" detached parent=None")));
}

#[test]
fn values_without_findings_keep_their_kind_and_value() {
    let err = PlantedError {
        message: "timeout",
        source: Some(Box::new(PlantedError {
            message: "connection reset",
            source: None,
        })),
    };
    let seen = record(true, || {
        let span = tracing::info_span!("job", id = 9u64, dry_run = false);
        span.in_scope(|| {
            tracing::info!(
                a = "text",
                b = ?vec![1, 2, 3],
                c = %"display",
                d = 7u64,
                e = -7i64,
                f = 1.25f64,
                g = true,
                h = b"raw".as_slice(),
                i = 1u128 << 100,
                error = &err as &(dyn std::error::Error + 'static),
                "all kinds"
            );
        });
    });
    let span = seen.iter().find(|s| s.hook == "new_span").unwrap();
    assert_eq!(span.field("id"), Some(&Val::U64(9)));
    assert_eq!(span.field("dry_run"), Some(&Val::Bool(false)));
    let ev = seen.iter().find(|s| s.hook == "event").unwrap();
    assert_eq!(ev.field("a"), Some(&Val::Str("text".into())));
    assert_eq!(ev.field("b"), Some(&Val::Debug("[1, 2, 3]".into())));
    assert_eq!(ev.field("c"), Some(&Val::Debug("display".into())));
    assert_eq!(ev.field("d"), Some(&Val::U64(7)));
    assert_eq!(ev.field("e"), Some(&Val::I64(-7)));
    assert_eq!(ev.field("f"), Some(&Val::F64(1.25)));
    assert_eq!(ev.field("g"), Some(&Val::Bool(true)));
    assert_eq!(ev.field("h"), Some(&Val::Bytes(b"raw".to_vec())));
    assert_eq!(ev.field("i"), Some(&Val::U128(1 << 100)));
    assert_eq!(
        ev.field("error"),
        Some(&Val::Error(vec![
            "timeout".into(),
            "connection reset".into()
        ])),
        "an error stays an error, with its chain"
    );
    assert_eq!(ev.field("message"), Some(&Val::Debug("all kinds".into())));
}

#[test]
fn numbers_with_findings_become_text_the_others_stay_numbers() {
    let seen = record(true, || {
        tracing::info!(card = 4111111111111111u64, order_id = 42u64, "charged");
        let span = tracing::info_span!("pay", card = tracing::field::Empty, amount = 1999u64);
        span.record("card", 4012888888881881u64);
    });
    let ev = seen.iter().find(|s| s.hook == "event").unwrap();
    assert_eq!(
        ev.field("card"),
        Some(&Val::Debug(placeholder("credit_card")))
    );
    assert_eq!(ev.field("order_id"), Some(&Val::U64(42)));
    let span = seen.iter().find(|s| s.hook == "new_span").unwrap();
    assert_eq!(span.field("amount"), Some(&Val::U64(1999)));
    assert_eq!(span.field("card"), None, "an empty field stays empty");
    let rec = seen.iter().find(|s| s.hook == "record").unwrap();
    assert_eq!(
        rec.fields,
        vec![("card", Val::Debug(placeholder("credit_card")))]
    );
}

#[test]
fn a_record_with_only_empty_fields_is_not_handed_on_and_others_are() {
    let seen = record(true, || {
        let span = tracing::info_span!("s", a = tracing::field::Empty, b = tracing::field::Empty);
        span.record("a", tracing::field::Empty);
        span.record("b", "value");
    });
    let records: Vec<&Seen> = seen.iter().filter(|s| s.hook == "record").collect();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].fields, vec![("b", Val::Str("value".into()))]);
    assert_eq!(
        records[0].record_len,
        Some(1),
        "Record::len() counts the recorded field only"
    );
}

/// A fresh directory under the system's temp dir for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("logscrub-tracing-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn json_file_and_recorder_behind_env_filter_and_a_per_layer_filter() {
    init_log_bridge();
    let dir = temp_dir("json-file");
    let appender = tracing_appender::rolling::never(&dir, "app.json");
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(appender);
    let rec = Recorder::default();
    let stack = tracing_subscriber::registry()
        .with(EnvFilter::new("info,noisy=off"))
        .with(
            tracing_subscriber::fmt::layer()
                .json()
                .with_current_span(true)
                .with_span_list(true)
                .with_writer(writer),
        )
        .with(rec.clone().with_filter(LevelFilter::WARN));
    tracing::subscriber::with_default(scrubbed(scrubber(), stack), || {
        log_everything();
        tracing::warn!(target: "noisy", "filtered out by EnvFilter");
        tracing::debug!("below the EnvFilter level");
    });
    drop(guard); // flushes the file
    let text = std::fs::read_to_string(dir.join("app.json")).unwrap();
    let _ = std::fs::remove_dir_all(&dir);

    assert_no_secret(&text);
    let lines = json_lines(&text);
    assert!(!lines.is_empty());
    for p in PLANTS {
        assert!(
            text.contains(&placeholder(p.class)),
            "{} missing in file",
            p.class
        );
    }
    assert!(!text.contains("filtered out") && !text.contains("below the EnvFilter"));
    // Span fields as the JSON formatter prints them (current span and span list), and `log` records.
    assert!(lines.iter().any(|l| l["span"]["name"] == "checkout"));
    assert!(lines.iter().any(|l| l["target"] == "billing"));
    assert!(lines
        .iter()
        .any(|l| l["fields"]["order_id"] == 42 && l["fields"]["user"] == "bob"));

    let seen = rec.seen();
    let out = rec.dump();
    assert_no_secret(&out);
    assert!(out.contains(&placeholder("credit_card")));
    // The per-layer filter still decides what the recorder gets: events below WARN never reach it.
    let events: Vec<&Seen> = seen.iter().filter(|s| s.hook == "event").collect();
    assert!(!events.is_empty());
    assert!(events.iter().all(|s| s.level <= tracing::Level::WARN));
    assert!(events.iter().all(|s| s.target != "noisy"));
}

#[test]
fn many_fields_in_one_event_span_and_record() {
    // More fields than fit on the stack (32) in one callsite: still rebuilt, in order, every value scrubbed.
    let seen = record(true, || {
        let span = tracing::info_span!(
            "wide",
            f00 = 0u64,
            f01 = 1u64,
            f02 = 2u64,
            f03 = 3u64,
            f04 = 4u64,
            f05 = 5u64,
            f06 = 6u64,
            f07 = 7u64,
            f08 = 8u64,
            f09 = 9u64,
            f10 = 10u64,
            f11 = 11u64,
            f12 = 12u64,
            f13 = 13u64,
            f14 = 14u64,
            f15 = 15u64,
            f16 = 16u64,
            f17 = 17u64,
            f18 = 18u64,
            f19 = 19u64,
            f20 = 20u64,
            f21 = 21u64,
            f22 = 22u64,
            f23 = 23u64,
            f24 = 24u64,
            f25 = 25u64,
            f26 = 26u64,
            f27 = 27u64,
            f28 = 28u64,
            f29 = 29u64,
            f30 = 30u64,
            f31 = 31u64,
            f32 = 32u64,
            email = "jane.doe@example.com",
            later = tracing::field::Empty
        );
        span.record("later", "postgres://app:s3cr3tPass@db.internal:5432/orders");
        span.in_scope(|| {
            tracing::info!(
                f00 = 0u64,
                f01 = 1u64,
                f02 = 2u64,
                f03 = 3u64,
                f04 = 4u64,
                f05 = 5u64,
                f06 = 6u64,
                f07 = 7u64,
                f08 = 8u64,
                f09 = 9u64,
                f10 = 10u64,
                f11 = 11u64,
                f12 = 12u64,
                f13 = 13u64,
                f14 = 14u64,
                f15 = 15u64,
                f16 = 16u64,
                f17 = 17u64,
                f18 = 18u64,
                f19 = 19u64,
                f20 = 20u64,
                f21 = 21u64,
                f22 = 22u64,
                f23 = 23u64,
                f24 = 24u64,
                f25 = 25u64,
                f26 = 26u64,
                f27 = 27u64,
                f28 = 28u64,
                f29 = 29u64,
                f30 = 30u64,
                f31 = 31u64,
                f32 = 32u64,
                email = "jane.doe@example.com",
                "wide"
            );
        });
    });
    for hook in ["new_span", "event"] {
        let s = seen.iter().find(|s| s.hook == hook).unwrap();
        for i in 0..=32u64 {
            let name = format!("f{i:02}");
            assert_eq!(s.field(&name), Some(&Val::U64(i)), "{hook} {name}");
        }
        assert_eq!(s.field("email"), Some(&Val::Str(placeholder("email"))));
    }
    let rec = seen.iter().find(|s| s.hook == "record").unwrap();
    let later = rec.field("later").unwrap().text();
    assert!(later.contains(&placeholder("url_password")) && !later.contains("s3cr3tPass"));
}
