//! One result, many consumers: the findings the engine reports are exactly what its rewrite replaces, whichever
//! path found them (block lines, long-line windows, multi-line keys, rescans). Each defect found by the
//! independent checks has a test here that failed before the findings-first engine.

use logscrub_engine::{LineFinding, PolicyConfig, Scrubber};

fn default() -> &'static Scrubber {
    static S: std::sync::OnceLock<Scrubber> = std::sync::OnceLock::new();
    S.get_or_init(|| Scrubber::default_rules().expect("default pack builds"))
}

fn with_policy(toml: &str) -> Scrubber {
    let policy = PolicyConfig::from_toml("test.toml", toml).expect("policy parses");
    Scrubber::builder()
        .policy(policy)
        .build()
        .expect("scrubber builds")
}

/// Runs `input` through a stream in chunks of `chunk` bytes; returns the output and the findings.
fn run(s: &Scrubber, input: &[u8], chunk: usize) -> (Vec<u8>, Vec<LineFinding>) {
    let mut st = s.stream().collect_findings(true);
    let mut out = Vec::new();
    let mut findings = Vec::new();
    for c in input.chunks(chunk.max(1)) {
        st.push(c, &mut out);
        findings.extend(st.take_findings());
    }
    st.finish(&mut out);
    findings.extend(st.take_findings());
    (out, findings)
}

fn scrub(s: &Scrubber, input: &str) -> String {
    let (out, _) = run(s, input.as_bytes(), 1 << 20);
    String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
}

fn rule_ids(s: &Scrubber, f: &[LineFinding]) -> Vec<String> {
    f.iter()
        .map(|f| s.rule(f.finding.rule).id.clone())
        .collect()
}

const KEY_BODY: [&str; 3] = [
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
    "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
    "LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo",
];

fn pem_lines() -> String {
    let mut s = String::from("2024-05-01 app started\n-----BEGIN RSA PRIVATE KEY-----\n");
    for l in KEY_BODY {
        s.push_str(l);
        s.push('\n');
    }
    s.push_str("-----END RSA PRIVATE KEY-----\nnext line\n");
    s
}

#[test]
fn a_key_spread_over_lines_is_reported_where_it_is_redacted() {
    let s = default();
    let input = pem_lines();
    let (out, findings) = run(s, input.as_bytes(), 1 << 20);
    let out = String::from_utf8(out).unwrap();
    for l in KEY_BODY {
        assert!(!out.contains(l), "key body written: {out}");
    }
    // One finding per body line, on lines 3-5, each covering exactly the body.
    let body: Vec<_> = findings
        .iter()
        .filter(|f| (3..=5).contains(&f.line))
        .collect();
    assert_eq!(body.len(), 3, "{findings:?}");
    for f in body {
        assert_eq!(s.rule(f.finding.rule).id, "private_key");
        assert_eq!(f.finding.end - f.finding.start, KEY_BODY[0].len());
    }
}

#[test]
fn a_card_in_a_two_mib_line_is_reported_and_counted() {
    let s = default();
    let mut line = "x ".repeat(1 << 20);
    line.push_str("card 4111 1111 1111 1111 end");
    line.push_str(&" y".repeat(1 << 19));
    line.push('\n');
    let (out, findings) = run(s, line.as_bytes(), 64 * 1024);
    let out = String::from_utf8(out).unwrap();
    assert!(!out.contains("4111 1111 1111 1111"));
    let at = line.find("4111").unwrap();
    assert!(
        findings.iter().any(|f| f.line == 1
            && f.finding.start == at
            && s.rule(f.finding.rule).id == "credit_card"),
        "{findings:?}"
    );
    let mut st = s.stream();
    let mut sink = Vec::new();
    st.push(line.as_bytes(), &mut sink);
    st.finish(&mut sink);
    let card = s
        .rules()
        .iter()
        .position(|r| r.id == "credit_card")
        .unwrap();
    assert_eq!(st.stats().findings[card], 1);
}

#[test]
fn values_found_by_a_rescan_are_reported_in_input_coordinates() {
    let s = default();
    let line = "peer fe80::1ff:fe23:4567:890a10.0.0.1 up";
    let (out, findings) = run(s, line.as_bytes(), 1 << 20);
    let out = String::from_utf8(out).unwrap();
    assert!(!out.contains("10.0.0.1"), "{out}");
    let ids = rule_ids(s, &findings);
    assert!(ids.contains(&"ipv4".to_string()), "{ids:?}");
    let v4 = findings
        .iter()
        .find(|f| s.rule(f.finding.rule).id == "ipv4")
        .unwrap();
    assert_eq!(&line[v4.finding.start..v4.finding.end], "10.0.0.1");
}

#[test]
fn a_password_runs_to_the_end_of_its_value() {
    let s = default();
    assert_eq!(
        scrub(s, "login password=Tr0ub4dor&3 user=bob"),
        "login password=[REDACTED:password] user=bob"
    );
    assert_eq!(
        scrub(s, "password=p@ss;word!x"),
        "password=[REDACTED:password]"
    );
    assert_eq!(
        scrub(s, r#"{"pass":"hunter2"}"#),
        r#"{"pass":"[REDACTED:password]"}"#
    );
    assert_eq!(
        scrub(s, "user=bob,password=hunter2,role=admin"),
        "user=bob,password=[REDACTED:password],role=admin"
    );
}

#[test]
fn mask_keeps_utf8_and_json_valid() {
    let s = with_policy("[actions.rules]\nperson_name = { action = \"mask\", keep_last = 4 }\n");
    let out = scrub(&s, r#"{"name": "René Lee"}"#);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let name = v["name"].as_str().unwrap();
    assert!(!name.contains("René"), "{name}");
}

#[test]
fn keep_last_that_would_print_a_whole_value_is_refused() {
    let policy = PolicyConfig::from_toml(
        "p.toml",
        "[actions.rules]\ncredit_card = { action = \"mask\", keep_last = 100 }\n",
    )
    .unwrap();
    let err = Scrubber::builder().policy(policy).build().unwrap_err();
    assert!(err.to_string().contains("keep_last = 100"), "{err}");
}

#[test]
fn overlapping_findings_are_merged_not_dropped() {
    let s = default();
    let out = scrub(s, r#"password="S3cretPassw0rd 4111111111111111" user=bob"#);
    assert!(!out.contains("S3cretPassw0rd"), "{out}");
    assert!(!out.contains("4111111111111111"), "{out}");
    assert!(out.ends_with(" user=bob"), "{out}");
}

#[test]
fn json_escapes_stay_valid_and_escaped_values_are_found() {
    let s = default();
    let out = scrub(s, r#"{"msg":"\u003cann@example.com\u003e"}"#);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert!(
        !v["msg"].as_str().unwrap().contains("ann@example.com"),
        "{out}"
    );
    let out = scrub(s, r#"{"note":"card \u0034111111111111111 ok"}"#);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let note = v["note"].as_str().unwrap();
    assert!(!note.contains("4111111111111111"), "{out}");
    assert!(note.starts_with("card [REDACTED:credit_card]"), "{note}");
}

#[test]
fn only_the_engines_own_placeholders_are_protected() {
    let s = default();
    let out = scrub(s, "card [REDACTED:4111111111111111] ok");
    assert!(!out.contains("4111111111111111"), "{out}");
    // A placeholder the engine wrote stays as it is.
    assert_eq!(
        scrub(s, "card [REDACTED:credit_card] ok"),
        "card [REDACTED:credit_card] ok"
    );
}

#[test]
fn a_keyed_secret_is_redacted_at_every_window_cut() {
    // Small windows so that every offset around a cut can be tried quickly.
    let s = with_policy("[limits]\nmax_line_bytes = 4096\n");
    let secret = "S3cretPassw0rdXYZ";
    let planted = format!(" password={secret} ");
    for at in (3000..4200).step_by(7) {
        let mut line = "ab ".repeat(2000);
        line.truncate(at);
        line.push_str(&planted);
        line.push_str(&"cd ".repeat(1500));
        line.push('\n');
        for chunk in [1000, 4096, 1 << 20] {
            let (out, findings) = run(&s, line.as_bytes(), chunk);
            let out = String::from_utf8(out).unwrap();
            assert!(
                !out.contains("S3cretPassw0rd"),
                "raw at offset {at}, chunk {chunk}"
            );
            let start = line.find(secret).unwrap();
            assert!(
                findings
                    .iter()
                    .any(|f| f.finding.start <= start && start < f.finding.end),
                "not reported at offset {at}, chunk {chunk}: {findings:?}"
            );
        }
    }
}

#[test]
fn a_key_block_inside_a_long_line_is_redacted_across_a_cut() {
    let s = with_policy("[limits]\nmax_line_bytes = 4096\n");
    let body = KEY_BODY.concat().repeat(3);
    for at in (3000..4100).step_by(61) {
        let mut line = "ab ".repeat(2000);
        line.truncate(at);
        line.push_str("\"-----BEGIN RSA PRIVATE KEY-----\\n");
        line.push_str(&body);
        line.push_str("\\n-----END RSA PRIVATE KEY-----\" tail\n");
        let (out, _) = run(&s, line.as_bytes(), 1000);
        let out = String::from_utf8(out).unwrap();
        assert!(
            !out.contains(&KEY_BODY[1][..40]),
            "key body raw at offset {at}"
        );
    }
}
