//! Bodies of the fuzz targets in `fuzz/` (cargo-fuzz, nightly), kept here so that `tests/fuzz_corpus.rs` runs the
//! same checks over the seed corpus and every crash found so far on stable, in CI.
//!
//! Each function takes arbitrary bytes, must never panic, and asserts what the parser promises (frames within
//! their limits and independent of how the input was split, ranges inside the input, errors that never quote
//! the input). Not a stable API.

use std::sync::{Arc, Mutex, OnceLock};

use bytes::BytesMut;
use logscrub_engine::Scrubber;
use tokio_util::codec::Decoder;

use crate::metrics::Metrics;
use crate::pipeline::BatchBuilder;
use crate::source::rfc6587::{Frame, Rfc6587};
use crate::streams::StreamMap;

/// The default pack, compiled once per process (compiling it takes longer than one fuzz run).
fn scrubber() -> &'static Scrubber {
    static S: OnceLock<Scrubber> = OnceLock::new();
    S.get_or_init(|| Scrubber::default_rules().expect("the default pack compiles"))
}

fn builder() -> BatchBuilder {
    BatchBuilder::new(
        Arc::from("fuzz"),
        scrubber().clone(),
        Arc::new(Metrics::default()),
    )
}

/// Whole messages (parts joined, trailing CR/LF trimmed) decoded from `chunks` fed one after the other, then EOF.
fn messages(max_frame: usize, chunks: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut dec = Rfc6587::new(max_frame);
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    let mut open: Option<Vec<u8>> = None;
    let mut take = |f: Frame, open: &mut Option<Vec<u8>>| match f {
        Frame::Msg(m) => {
            assert!(open.is_none(), "a whole message inside a long one");
            out.push(m.to_vec());
        }
        Frame::Part { bytes, first, last } => {
            assert_eq!(first, open.is_none(), "a part out of order");
            let m = open.get_or_insert_with(Vec::new);
            m.extend_from_slice(&bytes);
            if last {
                out.push(open.take().unwrap_or_default());
            }
        }
    };
    for c in chunks {
        buf.extend_from_slice(c);
        while let Some(f) = dec.decode(&mut buf).expect("decode never fails") {
            take(f, &mut open);
        }
    }
    while let Some(f) = dec.decode_eof(&mut buf).expect("decode_eof never fails") {
        take(f, &mut open);
        if buf.is_empty() {
            // decode_eof ends a pending long message once; a second call sees an empty buffer.
            continue;
        }
    }
    assert!(open.is_none(), "a long message left open at EOF");
    for m in &mut out {
        while matches!(m.last(), Some(b'\n' | b'\r')) {
            m.pop();
        }
    }
    out
}

/// RFC 6587 framing (octet counting and LF): the same messages whether the input comes whole, in two pieces or
/// byte by byte, and never more bytes out than in. Byte 0 picks the frame limit, byte 1 the split point.
pub fn syslog_framing(data: &[u8]) {
    let Some((&[lim, cut], input)) = data.split_first_chunk::<2>() else {
        return;
    };
    let max_frame = 64 + usize::from(lim);
    let whole = messages(max_frame, &[input]);
    let at = usize::from(cut).min(input.len());
    let (a, b) = input.split_at(at);
    assert_eq!(messages(max_frame, &[a, b]), whole, "split at {at}");
    if input.len() <= 512 {
        let bytes: Vec<&[u8]> = input.chunks(1).collect();
        assert_eq!(messages(max_frame, &bytes), whole, "byte by byte");
    }
    let out: usize = whole.iter().map(Vec::len).sum();
    assert!(out <= input.len());
}

/// Syslog header parsing and scrubbing (RFC 5424 and 3164 headers, structured data, message): never panics, and
/// a message in which the engine finds nothing is stored byte for byte. Messages with a quote are left out of
/// that check: structured data is re-encoded today (`a="b\"]"` comes out `a="b\"\]"`, see
/// `tests/fuzz_corpus.rs` `syslog_sd_values_are_re_escaped`), which the structured-data rewrite is to fix.
pub fn syslog_message(data: &[u8]) {
    let mut b = builder();
    let streams = Mutex::new(StreamMap::default());
    let mut out = Vec::new();
    crate::source::syslog::scrub_message(&mut b, &streams, b"fuzz", data, &mut out);
    let batch = b.take(None);
    if batch.findings.is_empty() && !data.contains(&b'\n') && !data.contains(&b'"') {
        assert_eq!(out, data, "bytes changed without a finding");
    }
}

/// HTTP `/ingest` body decoding: gzip with its output limit, then JSON array, object or NDJSON/text. Byte 0 picks
/// the content type and whether the rest is gzip.
pub fn http_body(data: &[u8]) {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let ctype = if sel & 1 == 1 {
        "application/json"
    } else {
        "text/plain"
    };
    let max = 1 << 16;
    let budget = crate::budget::Budget::new(1 << 20);
    let mut lease = budget.lease();
    let plain = if sel & 2 == 2 {
        match crate::source::http::gunzip(body, max, &mut lease) {
            Ok(b) => {
                assert!(b.len() <= max, "gunzip went past its limit");
                b.to_vec()
            }
            Err(_) => return,
        }
    } else {
        body.to_vec()
    };
    let mut b = builder();
    let streams = Mutex::new(StreamMap::default());
    if let Err(e) = crate::source::http::scrub_body(&mut b, &streams, ctype, &plain) {
        // Errors name a place, never the body's text.
        assert!(e.len() < 200, "long error: {e}");
    }
}

/// OTLP/HTTP logs, protobuf (byte 0 even) or JSON (odd): never panics; an error names no byte of the input; a
/// request that decodes is scrubbed whole or refused whole, one persisted line per log record, each a JSON
/// object of `resource`, `scope` and `logRecord`; and a protobuf request persists the same lines as its JSON
/// encoding (the `opentelemetry-proto` serde mapping), so the two decoders agree.
pub fn otlp(data: &[u8]) {
    use crate::otlp::{decode_json, decode_protobuf, scrub_json, scrub_protobuf, OtlpError};
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let proto = sel & 1 == 0;
    let run = |proto: bool, body: &[u8]| {
        let mut b = builder();
        let streams = Mutex::new(StreamMap::default());
        let r = if proto {
            scrub_protobuf(&mut b, &streams, body)
        } else {
            scrub_json(&mut b, &streams, body)
        };
        (r, b.take(None).data)
    };
    let decoded = if proto {
        decode_protobuf(body)
    } else {
        decode_json(body)
    };
    let req = match decoded {
        Ok(r) => r,
        Err(e) => {
            assert!(e.to_string().len() < 100, "long error: {e}");
            let (r, out) = run(proto, body);
            assert_eq!(r, Err(e), "decoding and scrubbing disagree");
            assert!(out.is_empty(), "records kept from a refused request");
            return;
        }
    };
    let records: usize = req
        .resource_logs
        .iter()
        .flat_map(|r| &r.scope_logs)
        .map(|s| s.log_records.len())
        .sum();
    let (r, out) = run(proto, body);
    match r {
        Ok(()) => {}
        Err(OtlpError::Encode) => {
            assert!(out.is_empty(), "part of a request kept");
            return;
        }
        Err(e) => panic!("decoded, then refused: {e}"),
    }
    let lines: Vec<&[u8]> = out.split_inclusive(|&c| c == b'\n').collect();
    assert_eq!(lines.len(), records, "one line per log record");
    for l in &lines {
        let v: serde_json::Value = serde_json::from_slice(l).expect("every persisted line is JSON");
        for k in ["resource", "scope", "logRecord"] {
            assert!(v.get(k).is_some(), "a persisted line without `{k}`");
        }
    }
    if proto {
        if let Ok(json) = serde_json::to_vec(&req) {
            let (r, again) = run(false, &json);
            assert_eq!(
                r,
                Ok(()),
                "the JSON encoding of a protobuf request is refused"
            );
            assert!(
                again == out,
                "protobuf and its JSON encoding persist different lines"
            );
        }
    }
}

/// Configuration loading: parse, then validate; errors without values never quote a string of the input.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let cfg = match crate::config::Config::parse("fuzz.toml", text) {
        Ok(c) => c,
        Err(e) => {
            check_no_quoted_value(text, &e.without_values());
            return;
        }
    };
    if let Err(e) = cfg.validate() {
        check_no_quoted_value(text, &e.without_values());
    }
}

/// `text`'s basic strings of 12 bytes or more (what an operator's secret looks like) must not appear in `msg`.
fn check_no_quoted_value(text: &str, msg: &str) {
    for (i, part) in text.split('"').enumerate() {
        if i % 2 == 1
            && part.len() >= 12
            && !part.contains('\n')
            && part.bytes().all(|c| c.is_ascii_alphanumeric())
        {
            assert!(
                !msg.contains(part),
                "an error quotes a value of the input: {msg}"
            );
        }
    }
}

/// The engine's tolerant key/value reader: every value range lies inside the line, keys are normalized, and a
/// scrub of the line (which uses the reader for context) keeps the line count.
pub fn kv_reader(data: &[u8]) {
    for (key, value, _quoted) in logscrub_engine::fuzz_read_fields(data) {
        assert!(
            value.start <= value.end && value.end <= data.len(),
            "range {value:?} outside the line"
        );
        assert!(
            key.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
            "key {key:?} not normalized"
        );
    }
    let line: Vec<u8> = data.iter().copied().filter(|&c| c != b'\n').collect();
    let s = scrubber();
    let mut scratch = s.scratch();
    let mut out = Vec::new();
    s.scrub_line(&line, &mut out, &mut scratch);
    assert!(!out.contains(&b'\n'), "a line break added");
}

/// Rule file loading and compilation: a rule file (TOML) either loads and compiles or is refused with an error,
/// never a panic; an error names the file.
pub fn rules(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut set = logscrub_engine::RuleSet::new();
    if let Err(e) = set.add_toml("fuzz.toml", text) {
        assert!(
            e.to_string().contains("fuzz.toml"),
            "error does not name the file: {e}"
        );
        return;
    }
    let _ = Scrubber::builder().rules(set).build().map(|s| {
        let mut scratch = s.scratch();
        let mut out = Vec::new();
        s.scrub_line(
            b"password=hunter2 card 4111 1111 1111 1111",
            &mut out,
            &mut scratch,
        );
    });
}
