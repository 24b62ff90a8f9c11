//! The record API as the shells use it: values visited path by path, each value's key as context, free text
//! through the producer's stream, bytes fail closed, findings reported with their path, JSON text kept byte for
//! byte outside what changed.

use logscrub_engine::{JsonText, PathSegment, Record, RecordFinding, RecordVisitor, Scrubber};

fn scrubber() -> Scrubber {
    Scrubber::default_rules().expect("default pack")
}

const CARD: &str = "4111111111111111";
const KEY: [&str; 4] = [
    "-----BEGIN RSA PRIVATE KEY-----",
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
    "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
    "-----END RSA PRIVATE KEY-----",
];

/// A record shaped like an OTLP log record: a kvlist inside an array inside an attribute, a body that is text,
/// and a bytes value.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Str(String),
    Bytes(Vec<u8>),
    List(Vec<Val>),
    Map(Vec<(String, Val)>),
}

struct Log {
    body: String,
    attrs: Vec<(String, Val)>,
}

fn walk(v: &mut Val, path: &[PathSegment<'_>], visitor: &mut dyn RecordVisitor) {
    match v {
        Val::Str(s) => {
            if let Some(r) = visitor.visit_str(path, s) {
                *s = r;
            }
        }
        Val::Bytes(b) => {
            if let Some(r) = visitor.visit_bytes(path, b) {
                *b = r;
            }
        }
        Val::List(items) => {
            for (i, it) in items.iter_mut().enumerate() {
                let mut p = path.to_vec();
                p.push(PathSegment::Index(i));
                walk(it, &p, visitor);
            }
        }
        Val::Map(kvs) => {
            for (k, it) in kvs.iter_mut() {
                let mut p = path.to_vec();
                p.push(PathSegment::Key(k));
                walk(it, &p, visitor);
            }
        }
    }
}

impl Record for Log {
    fn visit(&mut self, visitor: &mut dyn RecordVisitor) {
        if let Some(r) = visitor.visit_text(&[PathSegment::Key("body")], &self.body) {
            self.body = r;
        }
        for (k, v) in self.attrs.iter_mut() {
            walk(
                v,
                &[PathSegment::Key("attributes"), PathSegment::Key(k)],
                visitor,
            );
        }
    }
}

fn paths(f: &[RecordFinding]) -> Vec<&str> {
    f.iter().map(|f| f.path.as_str()).collect()
}

#[test]
fn a_value_nested_in_a_map_inside_a_list_is_redacted_with_its_key_and_reported_with_its_path() {
    let s = scrubber();
    let mut log = Log {
        body: "user logged in".into(),
        attrs: vec![(
            "users".into(),
            Val::List(vec![
                Val::Str("ann".into()),
                Val::Map(vec![
                    ("name".into(), Val::Str("bob".into())),
                    ("password".into(), Val::Str("Tr0ub4dor&3".into())),
                ]),
            ]),
        )],
    };
    let mut f = Vec::new();
    let outcome = s.scrub_record(&mut log, &mut s.scratch(), &mut f);
    let Val::List(users) = &log.attrs[0].1 else {
        panic!("shape kept")
    };
    assert_eq!(users[0], Val::Str("ann".into()));
    let Val::Map(kv) = &users[1] else {
        panic!("shape kept")
    };
    assert_eq!(kv[0].1, Val::Str("bob".into()));
    assert_eq!(kv[1].1, Val::Str("[REDACTED:password]".into()));
    assert_eq!(paths(&f), ["attributes.users[1].password"]);
    assert_eq!(outcome.findings, 1);
    assert_eq!((f[0].finding.start, f[0].finding.end), (0, 11));
    assert_eq!(log.body, "user logged in");
}

#[test]
fn bytes_are_scanned_when_text_and_replaced_whole_when_not() {
    let s = scrubber();
    let mut log = Log {
        body: String::new(),
        attrs: vec![
            ("clean".into(), Val::Bytes(b"GET /".to_vec())),
            (
                "text".into(),
                Val::Bytes(format!("card {CARD}").into_bytes()),
            ),
            ("blob".into(), Val::Bytes(vec![0xff, 0x00, b'4', 0x80])),
        ],
    };
    let mut f = Vec::new();
    let outcome = s.scrub_record(&mut log, &mut s.scratch(), &mut f);
    assert_eq!(log.attrs[0].1, Val::Bytes(b"GET /".to_vec()));
    assert_eq!(
        log.attrs[1].1,
        Val::Bytes(b"card [REDACTED:credit_card]".to_vec())
    );
    assert_eq!(log.attrs[2].1, Val::Bytes(b"[REDACTED:bytes]".to_vec()));
    assert_eq!(outcome.unscanned, 1);
    assert_eq!(outcome.findings, 1);
    assert_eq!(paths(&f), ["attributes.text"]);
    // Scrubbing the result again changes nothing: the bytes placeholder is the engine's own.
    let mut again = Vec::new();
    let second = s.scrub_record(&mut log, &mut s.scratch(), &mut again);
    assert!(second.is_clean(), "{second:?}");
    assert_eq!(log.attrs[2].1, Val::Bytes(b"[REDACTED:bytes]".to_vec()));
}

#[test]
fn free_text_continues_its_producers_stream_across_records() {
    let s = scrubber();
    let mut stream = s.stream().collect_findings(true);
    let mut bodies = Vec::new();
    let mut f = Vec::new();
    for line in KEY {
        let mut log = Log {
            body: format!("{line}\n"),
            attrs: vec![],
        };
        s.scrub_record_streamed(&mut log, &mut s.scratch(), &mut stream, &mut f);
        bodies.push(log.body);
    }
    assert_eq!(bodies[0], format!("{}\n", KEY[0]));
    assert_eq!(bodies[1], "[REDACTED:private_key]\n");
    assert_eq!(bodies[2], "[REDACTED:private_key]\n");
    assert_eq!(bodies[3], format!("{}\n", KEY[3]));
    assert_eq!(paths(&f), ["body", "body"]);
    assert!(f
        .iter()
        .all(|x| x.finding.start == 0 && x.finding.end == KEY[1].len()));
    assert!(f
        .iter()
        .all(|x| s.rule(x.finding.rule).class == "private_key"));
}

#[test]
fn free_text_is_scanned_as_text_not_as_a_field_named_after_its_key() {
    let s = scrubber();
    let mut log = Log {
        body: format!("paid with {CARD} ok"),
        attrs: vec![("note".into(), Val::Str("password=hunter2 then".into()))],
    };
    let mut f = Vec::new();
    s.scrub_record(&mut log, &mut s.scratch(), &mut f);
    assert_eq!(log.body, "paid with [REDACTED:credit_card] ok");
    let Val::Str(note) = &log.attrs[0].1 else {
        panic!()
    };
    assert!(!note.contains("hunter2"), "{note}");
    assert_eq!(f[0].path, "body");
    assert_eq!((f[0].finding.start, f[0].finding.end), (10, 26));
}

#[test]
fn json_text_keeps_every_byte_it_does_not_replace() {
    let s = scrubber();
    let text = format!(
        "{{ \"user\": {{\"pass\" :\"hunter2\", \"city\":\"Z\\u00fcrich\"}},\n  \"n\": {CARD}, \"list\":[1, 2.50, true, null], \"msg\": \"ok\" }}"
    );
    let mut j = JsonText::parse(&text).unwrap();
    let mut f = Vec::new();
    let outcome = s.scrub_record(&mut j, &mut s.scratch(), &mut f);
    let out = j.to_string_scrubbed();
    assert_eq!(
        out,
        "{ \"user\": {\"pass\" :\"[REDACTED:password]\", \"city\":\"Z\\u00fcrich\"},\n  \"n\": \"[REDACTED:credit_card]\", \"list\":[1, 2.50, true, null], \"msg\": \"ok\" }"
    );
    assert_eq!(paths(&f), ["user.pass", "n"]);
    assert_eq!(outcome.findings, 2);
    let _: serde_json::Value = serde_json::from_str(&out).expect("still JSON");
    // Twice is once.
    let mut j2 = JsonText::parse(&out).unwrap();
    assert!(s
        .scrub_record(&mut j2, &mut s.scratch(), &mut Vec::new())
        .is_clean());
    assert!(!j2.changed());
}

#[test]
fn json_text_fields_go_through_the_stream() {
    let s = scrubber();
    let mut stream = s.stream().collect_findings(true);
    let mut outs = Vec::new();
    for line in KEY {
        let rec = serde_json::json!({"log": format!("{line}\n"), "stream": "stdout"}).to_string();
        let mut j = JsonText::parse(&rec).unwrap().text_fields(&["log"]);
        s.scrub_record_streamed(&mut j, &mut s.scratch(), &mut stream, &mut Vec::new());
        outs.push(j.to_string_scrubbed());
    }
    assert_eq!(
        outs[1],
        r#"{"log":"[REDACTED:private_key]\n","stream":"stdout"}"#
    );
    assert!(outs[0].contains("BEGIN RSA PRIVATE KEY"));
}

#[test]
fn a_key_named_by_a_rules_pattern_is_context_for_its_value() {
    let s = scrubber();
    let text = r#"{"headers":{"Authorization":"Basic dXNlcjpwYXNzd29yZA==","accept":"*/*"}}"#;
    let mut j = JsonText::parse(text).unwrap();
    let mut f = Vec::new();
    s.scrub_record(&mut j, &mut s.scratch(), &mut f);
    let out = j.to_string_scrubbed();
    assert!(!out.contains("dXNlcjpwYXNzd29yZA"), "{out}");
    assert!(out.contains(r#""accept":"*/*""#), "{out}");
    assert_eq!(paths(&f), ["headers.Authorization"]);
}

#[test]
fn findings_are_in_the_values_own_offsets_when_it_holds_escaped_characters() {
    let s = scrubber();
    let value = format!("say \"hi\"\t{CARD} ok");
    let mut log = Log {
        body: String::new(),
        attrs: vec![("note".into(), Val::Str(value.clone()))],
    };
    let mut f = Vec::new();
    s.scrub_record(&mut log, &mut s.scratch(), &mut f);
    assert_eq!(f.len(), 1);
    assert_eq!(&value[f[0].finding.start..f[0].finding.end], CARD);
    assert_eq!(
        log.attrs[0].1,
        Val::Str("say \"hi\"\t[REDACTED:credit_card] ok".into())
    );
}
