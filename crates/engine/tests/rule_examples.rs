//! Every rule of the default pack finds its examples (idempotently) and leaves its negative examples alone, and
//! ships at least five of each.

use logscrub_engine::{ExampleFailureKind, RuleSet, Scrubber};

#[test]
fn default_pack_examples() {
    let scrubber = Scrubber::default_rules().expect("default pack compiles");
    let mut failures = Vec::new();
    for info in scrubber.rules() {
        if info.examples.len() < 5 || info.negative_examples.len() < 5 {
            failures.push(format!(
                "{}: fewer than 5 examples or negative examples",
                info.id
            ));
        }
    }
    for f in scrubber.check_all_examples() {
        let info = scrubber.rule(f.rule);
        let text = match f.kind {
            ExampleFailureKind::Flagged => &info.negative_examples[f.index],
            ExampleFailureKind::WrongOutput => &info.expected[f.index].input,
            _ => &info.examples[f.index],
        };
        failures.push(format!("{}: {:?} {text:?}", info.id, f.kind));
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn default_pack_loads_as_data() {
    let set = RuleSet::default_pack().unwrap();
    assert!(set.rules().len() >= 20);
    assert!(set.freeform_fields().iter().any(|f| f == "notes"));
}

#[test]
fn a_failing_example_is_reported() {
    let mut set = RuleSet::default_pack().unwrap();
    set.add_toml(
        "custom.toml",
        r#"
[[rule]]
id = "order_code"
class = "order_code"
category = "secret"
pattern = '''ORD-\d{6}'''
keywords = ["ORD-"]
examples = ["order ORD-123456 placed", "order ORD-12 placed"]
negative_examples = ["order ORD-999999 placed"]
"#,
    )
    .unwrap();
    let s = Scrubber::builder().rules(set).build().unwrap();
    let idx = s.rules().iter().position(|r| r.id == "order_code").unwrap();
    let f = s.check_examples(logscrub_engine::RuleRef(idx as u16));
    let kinds: Vec<_> = f.iter().map(|x| (x.kind, x.index)).collect();
    assert_eq!(
        kinds,
        vec![
            (ExampleFailureKind::Missed, 1),
            (ExampleFailureKind::Flagged, 0)
        ]
    );
}

#[test]
fn a_multi_line_example_with_a_stated_output_is_checked_through_the_stream() {
    let rules = r#"
[[rule]]
id = "ticket_secret"
class = "ticket_secret"
category = "secret"
pattern = 'TKS-[0-9]{6}'
keywords = ["TKS-"]
examples = ["a TKS-123456 b"]
negative_examples = ["nothing here"]
expected = [
  { input = "one TKS-123456\ntwo TKS-654321\n", output = "one [REDACTED:ticket_secret]\ntwo [REDACTED:ticket_secret]\n" },
  { input = "three TKS-111111\n", output = "three TKS-111111\n" },
]
"#;
    let mut set = RuleSet::new();
    set.add_toml("t.toml", rules).expect("rule file parses");
    let s = Scrubber::builder().rules(set).build().expect("builds");
    let f = s.check_all_examples();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0].kind, f[0].index),
        (ExampleFailureKind::WrongOutput, 1)
    );
    let line = f[0].describe(&s);
    assert!(
        line.contains("expected") && !line.contains("TKS-111111"),
        "{line}"
    );
}
