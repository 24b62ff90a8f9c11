//! Every rule of the default pack finds its examples and leaves its negative examples alone, and ships at least
//! five of each.

use logscrub_engine::{RuleSet, Scrubber};

#[test]
fn default_pack_examples() {
    let scrubber = Scrubber::default_rules().expect("default pack compiles");
    let mut scratch = scrubber.scratch();
    let mut failures = Vec::new();
    for (i, info) in scrubber.rules().iter().enumerate() {
        if info.examples.len() < 5 || info.negative_examples.len() < 5 {
            failures.push(format!("{}: fewer than 5 examples or negative examples", info.id));
        }
        for ex in &info.examples {
            let mut f = Vec::new();
            scrubber.scan_line(ex.as_bytes(), &mut scratch, &mut f);
            if !f.iter().any(|x| x.rule.0 as usize == i) {
                failures.push(format!("{}: missed example {ex:?} (found {:?})", info.id,
                    f.iter().map(|x| &scrubber.rule(x.rule).id).collect::<Vec<_>>()));
            }
        }
        for ex in &info.negative_examples {
            let mut f = Vec::new();
            scrubber.scan_line(ex.as_bytes(), &mut scratch, &mut f);
            if f.iter().any(|x| x.rule.0 as usize == i) {
                failures.push(format!("{}: flagged negative example {ex:?}", info.id));
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn default_pack_loads_as_data() {
    let set = RuleSet::default_pack().unwrap();
    assert!(set.rules().len() >= 20);
    assert!(set.freeform_fields().iter().any(|f| f == "notes"));
}
