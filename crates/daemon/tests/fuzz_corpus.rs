//! The fuzz targets of `fuzz/` (cargo-fuzz, nightly) run here on stable over their seed corpus
//! (`fuzz/seeds/<target>/`) and over every input that once crashed them (`fuzz/regressions/<target>/`), so that
//! CI keeps each parser's promises without a fuzzing toolchain. A crash found by `cargo fuzz run` is copied into
//! `regressions/` and stays there.

use std::path::PathBuf;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut v = Vec::new();
    for dir in ["seeds", "regressions"] {
        let d = root.join(dir).join(target);
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            v.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    v.sort();
    v
}

fn run(target: &str, f: fn(&[u8])) {
    let cases = inputs(target);
    assert!(
        !cases.is_empty(),
        "no seeds for {target} under fuzz/seeds/{target}"
    );
    for (p, data) in cases {
        if std::panic::catch_unwind(|| f(&data)).is_err() {
            panic!("fuzz target {target} fails on {}", p.display());
        }
    }
}

#[test]
fn syslog_framing() {
    run("syslog_framing", logscrub_daemon::fuzzing::syslog_framing);
}

#[test]
fn syslog_message() {
    run("syslog_message", logscrub_daemon::fuzzing::syslog_message);
}

#[test]
fn http_body() {
    run("http_body", logscrub_daemon::fuzzing::http_body);
}

#[test]
fn otlp() {
    run("otlp", logscrub_daemon::fuzzing::otlp);
}

#[test]
fn config() {
    run("config", logscrub_daemon::fuzzing::config);
}

#[test]
fn kv_reader() {
    run("kv_reader", logscrub_daemon::fuzzing::kv_reader);
}

#[test]
fn rules() {
    run("rules", logscrub_daemon::fuzzing::rules);
}

/// Found by the `syslog_message` target: a structured-data value holding an escaped quote and a `]` is stored
/// re-escaped although nothing in it was sensitive ("every other byte stays"). Syslog structured-data scrubbing
/// is being rewritten on the engine's record API; run with `--ignored` to check the fix.
#[test]
#[ignore = "known: structured data is re-encoded (syslog SD scrubbing rewrite pending)"]
fn syslog_sd_values_are_re_escaped() {
    let msg: &[u8] = br#"<13>1 - h a - - [x@1 a="b\"]"][y@2] plain"#;
    let s = logscrub_engine::Scrubber::default_rules().unwrap();
    let mut b = logscrub_daemon::pipeline::BatchBuilder::new(
        std::sync::Arc::from("t"),
        s,
        std::sync::Arc::new(logscrub_daemon::metrics::Metrics::default()),
    );
    let streams = std::sync::Mutex::new(logscrub_daemon::streams::StreamMap::default());
    let mut out = Vec::new();
    logscrub_daemon::source::syslog::scrub_message(&mut b, &streams, b"c", msg, &mut out);
    assert!(b.take(None).findings.is_empty());
    assert_eq!(String::from_utf8_lossy(&out), String::from_utf8_lossy(msg));
}
