//! Invariants over generated inputs: scrubbing is idempotent, keeps every line break, never panics, keeps JSON
//! valid, and gives the same bytes whatever the chunking of the stream.

use logscrub_engine::{LineFinding, Scrubber};
use proptest::prelude::*;

fn scrubber() -> &'static Scrubber {
    static S: std::sync::OnceLock<Scrubber> = std::sync::OnceLock::new();
    S.get_or_init(|| Scrubber::default_rules().unwrap())
}

fn scrub_stream(input: &[u8], chunk: usize) -> Vec<u8> {
    let mut st = scrubber().stream();
    let mut out = Vec::new();
    for c in input.chunks(chunk.max(1)) {
        st.push(c, &mut out);
    }
    st.finish(&mut out);
    out
}

/// Fragments that make lines look like real logs with secrets in them.
fn fragment() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"card 4111 1111 1111 1111".to_vec()),
        Just(b"{\"card\": 5555555555554444, \"name\": \"Jane Doe\"}".to_vec()),
        Just(b"postgres://app:s3cr3t@db:5432/x".to_vec()),
        Just(b"?token=abc123&sig=zzz".to_vec()),
        Just(b"bob@example.com".to_vec()),
        Just(b"10.0.0.1".to_vec()),
        Just(b"fe80::1ff:fe23:4567:890a".to_vec()),
        Just(b"password=hunter2".to_vec()),
        Just(b"AKIAIOSFODNN7EXAMPLE".to_vec()),
        Just(b"-----BEGIN RSA PRIVATE KEY-----".to_vec()),
        Just(b"MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo".to_vec()),
        Just(b"-----END RSA PRIVATE KEY-----".to_vec()),
        Just(b"ssn 123-45-6789 dob=1990-05-17".to_vec()),
        Just(b"[REDACTED:email]".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b" ".to_vec()),
        Just(b"=".to_vec()),
        Just(b":".to_vec()),
        Just(b"\"".to_vec()),
        "[a-zA-Z0-9 ,.:=/@_-]{0,12}".prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..8),
    ]
}

fn log_text() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(fragment(), 0..40).prop_map(|v| v.concat())
}

/// Output and findings of one stream over `input`.
fn scan_and_scrub(input: &[u8]) -> (Vec<u8>, Vec<LineFinding>) {
    let mut st = scrubber().stream().collect_findings(true);
    let mut out = Vec::new();
    st.push(input, &mut out);
    st.finish(&mut out);
    (out, st.take_findings())
}

/// Splits `input` as the CLI's reader does (at the engine's safe cuts) and scrubs each chunk with a fresh stream.
fn scrub_in_independent_chunks(input: &[u8], chunk: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf: Vec<u8> = Vec::new();
    let flush = |data: &[u8], out: &mut Vec<u8>| {
        let mut st = scrubber().stream();
        st.push(data, out);
        st.finish(out);
    };
    for c in input.chunks(chunk.max(1)) {
        buf.extend_from_slice(c);
        if let Some(cut) = scrubber().safe_cut(&buf, false) {
            let rest = buf.split_off(cut);
            flush(&buf, &mut out);
            buf = rest;
        }
    }
    flush(&buf, &mut out);
    out
}

/// Checks that the bytes of `line` outside `spans` appear unchanged and in order in `out`, each finding replaced
/// by one default-policy placeholder (quoted when it stood for a bare JSON value).
fn only_findings_changed(line: &[u8], spans: &[(usize, usize)], out: &[u8]) -> Result<(), String> {
    let mut o = 0;
    let mut i = 0;
    for &(start, end) in spans {
        let gap = &line[i..start];
        if !out[o..].starts_with(gap) {
            return Err(format!("bytes before {start} changed"));
        }
        o += gap.len();
        let quoted = out.get(o) == Some(&b'"') && out.get(o + 1) == Some(&b'[');
        if quoted {
            o += 1;
        }
        if !out[o..].starts_with(b"[REDACTED:") {
            return Err(format!("no placeholder for the finding at {start}"));
        }
        let close = out[o..]
            .iter()
            .position(|&b| b == b']')
            .ok_or("unclosed placeholder")?;
        o += close + 1;
        if quoted {
            if out.get(o) != Some(&b'"') {
                return Err("quoted placeholder not closed".into());
            }
            o += 1;
        }
        i = end;
    }
    if out[o..] != line[i..] {
        return Err("bytes after the last finding changed".into());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn idempotent(input in log_text()) {
        let once = scrub_stream(&input, 1 << 16);
        let twice = scrub_stream(&once, 1 << 16);
        prop_assert_eq!(String::from_utf8_lossy(&once), String::from_utf8_lossy(&twice));
    }

    #[test]
    fn line_breaks_are_kept(input in log_text()) {
        let out = scrub_stream(&input, 1 << 16);
        let count = |b: &[u8], c: u8| b.iter().filter(|&&x| x == c).count();
        prop_assert_eq!(count(&input, b'\n'), count(&out, b'\n'));
        let crlf = |b: &[u8]| b.windows(2).filter(|w| w == b"\r\n").count();
        prop_assert_eq!(crlf(&input), crlf(&out));
    }

    #[test]
    fn scan_and_filter_agree(input in log_text()) {
        let (out, findings) = scan_and_scrub(&input);
        // Nothing reported <=> nothing changed.
        prop_assert_eq!(findings.is_empty(), out == input, "findings {:?}", findings);
        // Every changed byte is inside a reported finding, line by line.
        let split = |b: &[u8]| -> Vec<Vec<u8>> { b.split(|&c| c == b'\n').map(<[u8]>::to_vec).collect() };
        let (ins, outs) = (split(&input), split(&out));
        prop_assert_eq!(ins.len(), outs.len());
        for (n, (l, o)) in ins.iter().zip(&outs).enumerate() {
            let line = n as u64 + 1;
            let mut spans: Vec<(usize, usize)> = findings
                .iter()
                .filter(|f| f.line == line)
                .map(|f| (f.finding.start, f.finding.end))
                .collect();
            spans.sort();
            let r = only_findings_changed(l, &spans, o);
            prop_assert!(r.is_ok(), "line {}: {:?}: {:?} -> {:?}", line, r, String::from_utf8_lossy(l), String::from_utf8_lossy(o));
        }
    }

    #[test]
    fn independent_chunks_at_safe_cuts_match_one_stream(input in log_text(), chunk in 1usize..200) {
        let chunked = scrub_in_independent_chunks(&input, chunk);
        let whole = scrub_stream(&input, 1 << 16);
        prop_assert_eq!(String::from_utf8_lossy(&chunked), String::from_utf8_lossy(&whole));
    }

    #[test]
    fn chunking_does_not_matter(input in log_text(), chunk in 1usize..64) {
        prop_assert_eq!(scrub_stream(&input, chunk), scrub_stream(&input, 1 << 16));
    }

    #[test]
    fn arbitrary_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let out = scrub_stream(&input, 97);
        prop_assert_eq!(input.iter().filter(|&&b| b == b'\n').count(), out.iter().filter(|&&b| b == b'\n').count());
    }

    #[test]
    fn json_in_json_out(
        keys in proptest::collection::vec(prop_oneof![
            Just("card"), Just("name"), Just("notes"), Just("password"), Just("msg"), Just("ip"),
            Just("email"), Just("amount"), Just("trace_id"), Just("url"), Just("headers"),
        ], 1..6),
        vals in proptest::collection::vec(prop_oneof![
            Just(serde_json::json!(4111111111111111u64)),
            Just(serde_json::json!("4111 1111 1111 1111")),
            Just(serde_json::json!("Jane Doe")),
            Just(serde_json::json!("https://u:p@h.example/x?token=abc")),
            Just(serde_json::json!("call 415-555-2671 or mail a@b.example.com")),
            Just(serde_json::json!({"Authorization": "Bearer abcdef0123456789"})),
            Just(serde_json::json!(["10.0.0.1", "::1", "fe80::1"])),
            Just(serde_json::json!(12.5)),
            Just(serde_json::json!(null)),
            Just(serde_json::json!("line\nbreak \"quoted\" \\ back")),
            Just(serde_json::json!("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----")),
            "[ -~]{0,20}".prop_map(serde_json::Value::from),
        ], 1..6),
    ) {
        let mut map = serde_json::Map::new();
        for (k, v) in keys.iter().zip(vals) {
            map.insert((*k).to_string(), v);
        }
        let line = serde_json::to_string(&serde_json::Value::Object(map)).unwrap();
        let mut scratch = scrubber().scratch();
        let mut out = Vec::new();
        scrubber().scrub_line(line.as_bytes(), &mut out, &mut scratch);
        let parsed: Result<serde_json::Value, _> = serde_json::from_slice(&out);
        prop_assert!(parsed.is_ok(), "invalid JSON out: {}", String::from_utf8_lossy(&out));
    }
}

#[test]
fn multi_line_private_key_is_replaced_line_by_line() {
    let input = b"loading\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oQ\nAwEHoUQDQgAE4b3J\n-----END EC PRIVATE KEY-----\ndone 4111111111111111\n";
    let out = scrub_stream(input, 5);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "loading\n-----BEGIN EC PRIVATE KEY-----\n[REDACTED:private_key]\n[REDACTED:private_key]\n-----END EC PRIVATE KEY-----\ndone [REDACTED:credit_card]\n"
    );
}

#[test]
fn scrub_field_uses_the_key_as_context() {
    let s = scrubber();
    let mut scratch = s.scratch();
    let mut out = Vec::new();
    s.scrub_field("password", b"hunter2", &mut out, &mut scratch);
    assert_eq!(out, b"[REDACTED:password]");
    out.clear();
    s.scrub_field("notes", b"wire to 021000021 please", &mut out, &mut scratch);
    assert_eq!(out, b"wire to [REDACTED:routing_number] please");
    out.clear();
    s.scrub_field("order", b"wire to 021000021 please", &mut out, &mut scratch);
    assert_eq!(
        out, b"wire to 021000021 please",
        "no context, no free-form field"
    );
    out.clear();
    s.scrub_field("customer_name", b"Jane Doe", &mut out, &mut scratch);
    assert_eq!(out, b"[REDACTED:person_name]");
}
