//! `scan --format sarif` validates against the official SARIF 2.1.0 schema (committed under tests/data/, from the
//! OASIS sarif-spec repository, errata 01), and carries what GitHub code scanning needs.

use std::path::{Path, PathBuf};
use std::process::Command;

fn planted() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/planted.log")
}

fn sarif(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_logscrub"))
        .arg("scan")
        .arg("--format")
        .arg("sarif")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains("\n  "),
        "SARIF should be compact, not pretty-printed"
    );
    serde_json::from_str(&text).unwrap()
}

fn workdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("logscrub-sarif-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("my logs")).unwrap();
    std::fs::copy(planted(), d.join("my logs/app#1.log")).unwrap();
    d
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("the schema compiles");
    let dir = workdir("schema");
    for args in [
        &["my logs"][..],
        &["--context", "--max-results", "3", "my logs"][..],
    ] {
        let doc = sarif(&dir, args);
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
    }
    // The validator is not a rubber stamp: a result without a message is rejected.
    let mut bad = sarif(&dir, &["my logs"]);
    bad["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(!validator.is_valid(&bad));
}

#[test]
fn sarif_is_fit_for_github_code_scanning() {
    let dir = workdir("github");
    let a = sarif(&dir, &["my logs"]);
    let b = sarif(&dir, &["my logs"]);
    let run = &a["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert!(results.len() > 20);
    let loc = &results[0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(loc["uri"], "my%20logs/app%231.log");
    assert_eq!(loc["uriBaseId"], "%SRCROOT%");
    assert!(run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap()
        .starts_with("file:///"));
    // Stable fingerprints across runs without any key configured.
    let fps = |d: &serde_json::Value| -> Vec<String> {
        d["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["logscrubFinding/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(fps(&a), fps(&b));
    let unique: std::collections::HashSet<_> = fps(&a).into_iter().collect();
    assert_eq!(
        unique.len(),
        results.len(),
        "fingerprints tell findings apart"
    );
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        let sev: f64 = rule["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.0..=10.0).contains(&sev));
        assert!(rule["help"]["text"].as_str().unwrap().len() > 20);
        assert!(rule["help"]["markdown"].as_str().is_some());
    }
    // The cap: a notification says how many were left out.
    let capped = sarif(&dir, &["--max-results", "5", "my logs"]);
    assert_eq!(capped["runs"][0]["results"].as_array().unwrap().len(), 5);
    let note = capped["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]
        ["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        note.contains("--max-results 5") && note.contains(&results.len().to_string()),
        "{note}"
    );
    // Never a value: every planted secret is absent from the document.
    let text = a.to_string();
    for s in std::fs::read_to_string(planted().with_extension("secrets"))
        .unwrap()
        .lines()
    {
        if !s.is_empty() {
            assert!(!text.contains(s), "SARIF leaks {s:?}");
        }
    }
}
