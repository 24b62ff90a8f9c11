//! End-to-end: every class of the default pack logged through fields, messages, spans, errors, bytes and the `log`
//! crate, in text and JSON; no raw value may appear and everything else must come out as the plain formatter
//! prints it.

mod common;

use std::error::Error as StdError;
use std::fmt;

use common::*;
use logscrub_tracing::{fmt_layer, ScrubWriter, Scrubber, ScrubberConfig};
use tracing_subscriber::prelude::*;

fn scrubber() -> Scrubber {
    Scrubber::default_rules().unwrap()
}

/// Runs `f` with the scrubbing text layer (no time, no colours) and returns what it wrote.
fn text(f: impl FnOnce()) -> String {
    let buf = Buf::default();
    let b = buf.clone();
    let layer = fmt_layer(scrubber())
        .without_time()
        .with_ansi(false)
        .with_writer(move || b.clone());
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), f);
    buf.text()
}

/// Runs `f` with the scrubbing JSON layer (no time, current span and span list on).
fn json(f: impl FnOnce()) -> String {
    let buf = Buf::default();
    let b = buf.clone();
    let layer = fmt_layer(scrubber())
        .json()
        .without_time()
        .with_current_span(true)
        .with_span_list(true)
        .with_writer(move || b.clone());
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), f);
    buf.text()
}

/// The same, with tracing-subscriber's own unscrubbed layer (the reference output).
fn plain_text(f: impl FnOnce()) -> String {
    let buf = Buf::default();
    let b = buf.clone();
    let layer = tracing_subscriber::fmt::layer()
        .without_time()
        .with_ansi(false)
        .with_writer(move || b.clone());
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), f);
    buf.text()
}

fn plain_json(f: impl FnOnce()) -> String {
    let buf = Buf::default();
    let b = buf.clone();
    let layer = tracing_subscriber::fmt::layer()
        .json()
        .without_time()
        .with_current_span(true)
        .with_span_list(true)
        .with_writer(move || b.clone());
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), f);
    buf.text()
}

fn placeholder(class: &str) -> String {
    format!("[REDACTED:{class}]")
}

/// What the engine makes of `value` under the field name `field`.
fn engine_scrub(field: &str, value: &str) -> String {
    let s = scrubber();
    let mut out = Vec::new();
    s.scrub_field(field, value.as_bytes(), &mut out, &mut s.scratch());
    String::from_utf8(out).unwrap()
}

/// What the engine itself makes of each planted field value (the expected value in the output).
fn engine_field_values() -> Vec<String> {
    let s = scrubber();
    let mut scratch = s.scratch();
    PLANTS
        .iter()
        .map(|p| {
            // The layer hands an event's fields to the engine's record API, each value under its field name.
            let mut record = serde_json::json!({ p.field: p.value });
            s.scrub_record(&mut record, &mut scratch, &mut Vec::new());
            record[p.field].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn the_engine_finds_every_planted_value() {
    // Guards the table itself: if the engine did not flag a planted value, the other tests would prove nothing.
    let s = scrubber();
    let mut scratch = s.scratch();
    let classes: std::collections::BTreeSet<&str> =
        s.rules().iter().map(|r| r.class.as_str()).collect();
    let planted: std::collections::BTreeSet<&str> = PLANTS.iter().map(|p| p.class).collect();
    // The pack has far more classes than this table plants (provider tokens, national ids); every plant must name
    // one of them, and the table keeps one plant per class of the original pack.
    assert!(
        planted.is_subset(&classes),
        "planted classes not in the pack: {:?}",
        planted.difference(&classes).collect::<Vec<_>>()
    );
    assert!(
        planted.len() >= 26,
        "one plant per class of the original pack"
    );
    for p in PLANTS {
        assert!(p.value.contains(p.secret) && p.message.contains(p.message_secret));
        let mut out = Vec::new();
        s.scrub_field(p.field, p.value.as_bytes(), &mut out, &mut scratch);
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains(&placeholder(p.class)),
            "field {}: {} not found",
            p.field,
            p.class
        );
        let mut out = Vec::new();
        s.scrub_field("message", p.message.as_bytes(), &mut out, &mut scratch);
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains(&placeholder(p.class)),
            "message: {} not found",
            p.class
        );
    }
}

#[test]
fn text_fields_every_class_one_event_each() {
    let out = text(log_fields);
    assert_no_secret(&out);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), PLANTS.len());
    for (line, p) in lines.iter().zip(PLANTS) {
        assert!(line.contains(&placeholder(p.class)), "{} missing", p.class);
        assert!(line.contains(&format!(" {}=", p.field)));
        assert!(line.starts_with(" INFO scrub::common: checkout step order_id=42 "));
        assert!(line.ends_with(" user=\"bob\""));
    }
}

#[test]
fn text_output_is_the_plain_output_of_the_scrubbed_values() {
    // Byte for byte: the layer changes nothing but the values the engine rewrote.
    let scrubbed = text(log_fields);
    let reference = plain_text(|| log_fields_with(&engine_field_values()));
    assert_eq!(scrubbed, reference);
}

#[test]
fn json_fields_every_class_valid_and_scrubbed() {
    let out = json(log_fields);
    assert_no_secret(&out);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), PLANTS.len());
    for (v, p) in lines.iter().zip(PLANTS) {
        let fields = &v["fields"];
        assert_eq!(fields["message"], "checkout step");
        assert_eq!(fields["order_id"], 42, "unchanged numbers stay numbers");
        assert_eq!(fields["user"], "bob");
        let value = fields[p.field].as_str().unwrap();
        assert!(value.contains(&placeholder(p.class)), "{} missing", p.class);
        assert_eq!(v["level"], "INFO");
        assert_eq!(v["target"], "scrub::common");
    }
}

#[test]
fn json_output_is_the_plain_output_of_the_scrubbed_values() {
    let scrubbed = json(log_fields);
    let reference = plain_json(|| log_fields_with(&engine_field_values()));
    assert_eq!(scrubbed, reference);
}

#[test]
fn numbers_with_findings_become_strings() {
    let events = || {
        tracing::info!(
            card = 4111111111111111u64,
            amount = 12u64,
            delta = -3i64,
            big = 5555555555554444u128,
            ratio = 0.5f64,
            ok = true,
            "charged"
        );
    };
    let out = json(events);
    let v = &json_lines(&out)[0]["fields"];
    assert_eq!(v["card"], "[REDACTED:credit_card]");
    assert_eq!(v["big"], "[REDACTED:credit_card]");
    assert_eq!(v["amount"], 12);
    assert_eq!(v["delta"], -3);
    assert_eq!(v["ratio"], 0.5);
    assert_eq!(v["ok"], true);
    let out = text(events);
    assert_eq!(
        out,
        " INFO scrub: charged card=[REDACTED:credit_card] amount=12 delta=-3 \
         big=[REDACTED:credit_card] ratio=0.5 ok=true\n"
    );
}

fn log_messages() {
    for p in PLANTS {
        tracing::warn!(order_id = 7u64, "{}", p.message);
    }
}

#[test]
fn messages_every_class_text_and_json() {
    let out = text(log_messages);
    assert_no_secret(&out);
    for (line, p) in out.lines().zip(PLANTS) {
        assert!(line.contains(&placeholder(p.class)), "{} missing", p.class);
        assert!(line.starts_with(" WARN scrub: ") && line.ends_with(" order_id=7"));
    }
    let out = json(log_messages);
    assert_no_secret(&out);
    for (v, p) in json_lines(&out).iter().zip(PLANTS) {
        let m = v["fields"]["message"].as_str().unwrap();
        assert!(m.contains(&placeholder(p.class)), "{} missing", p.class);
    }
}

#[test]
fn message_with_inline_arguments_keeps_its_text() {
    let url = "https://admin:Tr0ub4dor@example.com/login";
    let out = text(|| tracing::info!("charged {url} in {} ms", 12));
    assert_eq!(
        out,
        " INFO scrub: charged https://admin:[REDACTED:url_password]@example.com/login in 12 ms\n"
    );
}

#[test]
fn span_fields_every_class_text_and_json() {
    let out = text(log_spans);
    assert_no_secret(&out);
    for (line, p) in out.lines().zip(PLANTS) {
        assert!(line.contains(&placeholder(p.class)), "{} missing", p.class);
        assert!(line.contains(" checkout{") && line.ends_with(": inside span user=\"bob\""));
    }
    let out = json(log_spans);
    assert_no_secret(&out);
    for ((v, line), p) in json_lines(&out).iter().zip(out.lines()).zip(PLANTS) {
        for span in [&v["span"], &v["spans"][0]] {
            assert_eq!(span["name"], "checkout");
            assert_eq!(span["order_id"], 42);
            check_span_field(span, line, p);
        }
    }
}

#[test]
fn span_fields_recorded_later_text_and_json() {
    let out = text(log_span_records);
    assert_no_secret(&out);
    for (line, p) in out.lines().zip(PLANTS) {
        assert!(line.contains(&placeholder(p.class)), "{} missing", p.class);
        assert!(line.ends_with(": recorded later"));
    }
    let out = json(log_span_records);
    assert_no_secret(&out);
    for ((v, line), p) in json_lines(&out).iter().zip(out.lines()).zip(PLANTS) {
        check_span_field(&v["span"], line, p);
    }
}

/// tracing-subscriber's JSON formatter writes the span's name as `"name"` after its fields, so a span field
/// called `name` is shadowed in the parsed object; look for it in the text then.
fn check_span_field(span: &serde_json::Value, line: &str, p: &Plant) {
    if p.field == "name" {
        assert!(line.contains(&format!("\"name\":\"{}\"", placeholder(p.class))));
    } else {
        let value = span[p.field].as_str().unwrap();
        assert!(value.contains(&placeholder(p.class)), "{} missing", p.class);
    }
}

#[test]
fn errors_and_their_source_chain_text_and_json() {
    let out = text(log_errors);
    assert_no_secret(&out);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2 * PLANTS.len());
    for (pair, p) in lines.chunks(2).zip(PLANTS) {
        let ph = placeholder(p.class);
        assert!(pair[0].starts_with(
            "ERROR scrub::common: request failed error=checkout failed error.sources=["
        ));
        assert_eq!(
            pair[0].matches(&ph).count(),
            2,
            "both sources scrubbed ({})",
            p.class
        );
        assert!(pair[1].contains(&ph));
    }
    let out = json(log_errors);
    assert_no_secret(&out);
    for (pair, p) in json_lines(&out).chunks(2).zip(PLANTS) {
        // The JSON formatter itself prints only an error's own message; the chain is handed to it as one text.
        let ph = placeholder(p.class);
        let source = engine_scrub("error", p.message);
        assert!(source.contains(&ph));
        assert_eq!(
            pair[0]["fields"]["error"],
            format!("checkout failed: {source}: {source}"),
            "both sources, scrubbed ({})",
            p.class
        );
        let top = pair[1]["fields"]["error"].as_str().unwrap();
        assert!(top.contains(&ph));
    }
}

fn hex(s: &str) -> String {
    s.bytes()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn byte_fields_text_and_json() {
    let events = || {
        for p in PLANTS {
            tracing::info!(payload = p.message.as_bytes(), "bytes");
        }
    };
    let out = text(events);
    for (line, p) in out.lines().zip(PLANTS) {
        assert!(
            !line.contains(&hex(p.message_secret)),
            "{} leaked as hex",
            p.class
        );
        assert!(
            line.contains(&hex(&placeholder(p.class))),
            "{} missing",
            p.class
        );
    }
    let out = json(events);
    for (v, p) in json_lines(&out).iter().zip(PLANTS) {
        // tracing-subscriber's JSON formatter prints bytes as the same hex text.
        let s = v["fields"]["payload"].as_str().unwrap();
        assert!(
            !s.contains(&hex(p.message_secret)),
            "{} leaked as hex",
            p.class
        );
        assert!(
            s.contains(&hex(&placeholder(p.class))),
            "{} missing",
            p.class
        );
    }
}

fn log_crate_events() {
    for p in PLANTS {
        log::warn!(target: "billing", "{}", p.message);
    }
}

#[test]
fn log_crate_events_text_and_json() {
    init_log_bridge();
    let out = text(log_crate_events);
    assert_no_secret(&out);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), PLANTS.len());
    for (line, p) in lines.iter().zip(PLANTS) {
        assert!(line.starts_with(" WARN billing: "), "log target kept");
        assert!(line.contains(&placeholder(p.class)), "{} missing", p.class);
    }
    let out = json(log_crate_events);
    assert_no_secret(&out);
    for (v, p) in json_lines(&out).iter().zip(PLANTS) {
        assert_eq!(v["target"], "billing");
        let m = v["fields"]["message"].as_str().unwrap();
        assert!(m.contains(&placeholder(p.class)));
    }
}

/// Events without any finding, of every kind of value.
fn clean_events() {
    let err = PlantedError {
        message: "timeout",
        source: Some(Box::new(PlantedError {
            message: "connection reset",
            source: None,
        })),
    };
    let span = tracing::info_span!("request", method = "GET", path = "/health", n = 3u64);
    let _e = span.enter();
    tracing::info!(
        a = "text",
        b = ?vec![1, 2, 3],
        c = %"display",
        d = 7u64,
        e = -7i64,
        f = 1.25f64,
        g = false,
        h = b"raw".as_slice(),
        error = &err as &(dyn StdError + 'static),
        "all {} kinds",
        9
    );
    tracing::debug!("not enabled? still formatted: {}", "yes");
    log::info!(target: "billing", "refund {} queued", 17);
}

#[test]
fn without_findings_the_output_is_byte_identical() {
    init_log_bridge();
    assert_eq!(text(clean_events), plain_text(clean_events));
    // JSON: identical except that the error carries its source chain (the plain formatter drops it).
    let plain = plain_json(clean_events);
    assert_eq!(plain.matches(r#""error":"timeout""#).count(), 1);
    let expected = plain.replace(
        r#""error":"timeout""#,
        r#""error":"timeout: connection reset""#,
    );
    assert_eq!(json(clean_events), expected);
}

#[test]
fn compact_and_pretty_formats() {
    for pretty in [false, true] {
        let buf = Buf::default();
        let b = buf.clone();
        let base = fmt_layer(scrubber())
            .without_time()
            .with_ansi(false)
            .with_writer(move || b.clone());
        let run = || {
            log_fields();
            log_spans();
            log_messages();
        };
        if pretty {
            tracing::subscriber::with_default(
                tracing_subscriber::registry().with(base.pretty()),
                run,
            );
        } else {
            tracing::subscriber::with_default(
                tracing_subscriber::registry().with(base.compact()),
                run,
            );
        }
        let out = buf.text();
        assert_no_secret(&out);
        for p in PLANTS {
            assert!(out.contains(&placeholder(p.class)));
        }
    }
}

#[test]
fn backstop_scrubs_an_unscrubbed_formatter_text_and_json() {
    // tracing-subscriber's plain layer stands in for a third-party formatter we cannot wrap.
    for as_json in [false, true] {
        let buf = Buf::default();
        let b = buf.clone();
        let writer = ScrubWriter::new(scrubber(), move || b.clone());
        let run = || {
            log_fields();
            log_messages();
        };
        if as_json {
            let layer = tracing_subscriber::fmt::layer().json().with_writer(writer);
            tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), run);
        } else {
            let layer = tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(writer);
            tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), run);
        }
        let out = buf.text();
        assert_no_secret(&out);
        assert_eq!(out.lines().count(), 2 * PLANTS.len());
        if as_json {
            json_lines(&out);
        }
        assert!(out.contains("checkout step") && out.contains("order_id"));
    }
}

#[test]
fn backstop_on_top_changes_nothing_more() {
    // Placeholders are never matched again, so the second scan is a no-op on scrubbed output.
    let buf = Buf::default();
    let b = buf.clone();
    let layer = fmt_layer(scrubber())
        .without_time()
        .with_ansi(false)
        .with_writer(move || b.clone())
        .with_backstop();
    let run = || {
        log_fields();
        log_messages();
        log_errors();
    };
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), run);
    assert_eq!(buf.text(), text(run));
}

#[test]
fn backstop_handles_a_multi_line_private_key() {
    let buf = Buf::default();
    let b = buf.clone();
    let layer = tracing_subscriber::fmt::layer()
        .without_time()
        .with_ansi(false)
        .with_writer(ScrubWriter::new(scrubber(), move || b.clone()));
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
        tracing::info!(
            "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n\
             Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0\n-----END RSA PRIVATE KEY-----"
        );
    });
    let out = buf.text();
    assert!(!out.contains("MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo"));
    assert!(!out.contains("Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0"));
    assert!(out.contains("-----END RSA PRIVATE KEY-----"));
}

#[test]
fn policy_file_applies_the_same_actions_as_the_cli() {
    let dir = std::env::temp_dir().join(format!("logscrub-tracing-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("logscrub.toml");
    std::fs::write(
        &policy,
        "[rules]\ndisable = [\"email\"]\n\n[actions.default]\naction = \"mask\"\nkeep_last = 4\n",
    )
    .unwrap();
    let s = ScrubberConfig::new().policy_file(&policy).build().unwrap();
    let buf = Buf::default();
    let b = buf.clone();
    let layer = fmt_layer(s)
        .without_time()
        .with_ansi(false)
        .with_writer(move || b.clone());
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
        tracing::info!(
            card = "4111111111111111",
            email = "jane.doe@example.com",
            "x"
        );
    });
    assert_eq!(
        buf.text(),
        " INFO scrub: x card=\"************1111\" email=\"jane.doe@example.com\"\n"
    );
    let err = ScrubberConfig::new()
        .policy_file(dir.join("missing.toml"))
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("missing.toml"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A value whose `Debug` logs another event. tracing itself drops such nested events; what matters is that
/// formatting the outer one neither panics nor leaks.
struct Chatty;

impl fmt::Debug for Chatty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        tracing::info!(password = "hunter2", "from inside Debug");
        f.write_str("chatty")
    }
}

#[test]
fn logging_from_inside_a_debug_impl_is_safe() {
    let out = text(|| tracing::info!(v = ?Chatty, password = "Sup3rS3cret!", "outer"));
    assert_no_secret(&out);
    assert!(out.contains("outer v=chatty password=\"[REDACTED:password]\""));
}

#[test]
fn clean_values_are_remembered_per_field_name_only() {
    // "Jane Doe" is nothing special in a `user` field, but a person's name in a `name` field: remembering that a
    // value was clean must never carry over to another field name.
    let out = text(|| {
        for _ in 0..3 {
            tracing::info!(user = "Jane Doe", method = "GET", "seen");
        }
        tracing::info!(name = "Jane Doe", method = "GET", "seen");
        tracing::info!(user = "Jane Doe", "seen");
    });
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5);
    for l in &lines[..3] {
        assert_eq!(*l, " INFO scrub: seen user=\"Jane Doe\" method=\"GET\"");
    }
    assert_eq!(
        lines[3],
        " INFO scrub: seen name=\"[REDACTED:person_name]\" method=\"GET\""
    );
    assert_eq!(lines[4], " INFO scrub: seen user=\"Jane Doe\"");
}

/// A hand-written event formatter that reads the event's values with its own visitor, as third-party formatters
/// do.
struct OwnFormat;

impl<S, N> tracing_subscriber::fmt::FormatEvent<S, N> for OwnFormat
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    N: for<'a> tracing_subscriber::fmt::FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &tracing_subscriber::fmt::FmtContext<'_, S, N>,
        mut writer: tracing_subscriber::fmt::format::Writer<'_>,
        event: &tracing::Event<'_>,
    ) -> fmt::Result {
        struct Pairs(String);
        impl tracing::field::Visit for Pairs {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
                use fmt::Write;
                let _ = write!(self.0, "{}:{:?};", field.name(), value);
            }
        }
        let mut pairs = Pairs(String::new());
        event.record(&mut pairs);
        writeln!(writer, "{}", pairs.0)
    }
}

#[test]
fn a_hand_written_event_formatter_only_sees_scrubbed_values() {
    let buf = Buf::default();
    let b = buf.clone();
    let layer = fmt_layer(scrubber())
        .event_format(OwnFormat)
        .with_writer(move || b.clone());
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
        log_fields();
        log_messages();
    });
    let out = buf.text();
    assert_no_secret(&out);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2 * PLANTS.len());
    for (line, p) in lines.iter().zip(PLANTS) {
        assert!(line.starts_with("message:checkout step;order_id:42;"));
        assert!(line.contains(&placeholder(p.class)));
    }
}
