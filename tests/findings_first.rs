//! End-to-end checks of the findings-first engine through the `logscrub` binary: `scan` reports what the filter
//! redacts (multi-line keys, long lines), live output with worker threads is not held back by an unterminated key
//! block, and `rules check` never prints an example's text.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn bin() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(logscrub_e2e::logscrub_bin).clone()
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(bin())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("logscrub starts");
    let mut input = child.stdin.take().expect("stdin");
    let bytes = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let out = child.wait_with_output().expect("logscrub ends");
    feeder.join().expect("feeder");
    out
}

const PEM: &str = "boot\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nVJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNb\n-----END PRIVATE KEY-----\ndone\n";

#[test]
fn scan_reports_a_multi_line_key_that_the_filter_redacts() {
    let filtered = run(&[], PEM.as_bytes());
    assert!(!String::from_utf8_lossy(&filtered.stdout).contains("MIIEvQIBADAN"));
    let out = run(&["scan", "--format", "json"], PEM.as_bytes());
    assert_eq!(out.status.code(), Some(1), "scan must fail the CI job");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("private_key"), "{text}");
    assert!(
        !text.contains("MIIEvQIBADAN"),
        "a finding never carries the value"
    );
}

#[test]
fn scan_reports_a_card_in_a_two_mib_line() {
    let mut line = "a ".repeat(1 << 20);
    line.push_str("card 4111 1111 1111 1111 ok\n");
    let out = run(&["scan"], line.as_bytes());
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("credit_card"));
}

#[test]
fn an_unterminated_key_block_does_not_hold_back_live_output_with_threads() {
    let mut child = Command::new(bin())
        .args(["--threads", "2"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("logscrub starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
            let _ = tx.send(std::mem::take(&mut line));
        }
    });
    stdin
        .write_all(b"a log line quoting -----BEGIN without an end\n")
        .unwrap();
    stdin.write_all(b"next mail bob@example.com\n").unwrap();
    stdin.flush().unwrap();
    // Both lines must come back while stdin stays open (`tail -f app.log | logscrub`). The limit only bounds a
    // hang; it measures nothing.
    let mut got = Vec::new();
    while got.len() < 2 {
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(l) => got.push(l),
            Err(_) => break,
        }
    }
    drop(stdin);
    let _ = child.wait();
    assert_eq!(
        got,
        vec![
            "a log line quoting -----BEGIN without an end\n".to_string(),
            "next mail [REDACTED:email]\n".to_string()
        ]
    );
}

#[test]
fn a_failing_rule_example_is_named_not_printed() {
    let dir = std::env::temp_dir().join(format!("logscrub-ff-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("mine.toml"),
        r#"
[[rule]]
id = "order_code"
class = "order_code"
category = "secret"
pattern = '''ORD-\d{6}'''
keywords = ["ORD-"]
examples = ["customer card 4111111111111111 ORD-12"]
negative_examples = ["fine"]
"#,
    )
    .unwrap();
    for args in [vec!["rules", "check", "--rules"], vec!["--rules"]] {
        let mut args: Vec<&str> = args;
        let d = dir.to_str().unwrap();
        args.push(d);
        let out = run(&args, b"x\n");
        assert_ne!(out.status.code(), Some(0));
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            all.contains("order_code") && all.contains("example 1"),
            "{all}"
        );
        assert!(
            !all.contains("4111111111111111"),
            "an example's text was printed: {all}"
        );
    }
}

#[test]
fn a_rule_field_that_does_not_apply_to_its_kind_is_named() {
    let dir = std::env::temp_dir().join(format!("logscrub-ff-kind-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("kinds.toml"),
        r#"
[[rule]]
id = "ticket_code"
class = "ticket_code"
category = "secret"
pattern = '''TCK-\d{6}'''
begin = '''BEGIN'''
min_len = 4
keywords = ["TCK-"]
examples = ["ticket TCK-123456"]
negative_examples = ["fine"]
"#,
    )
    .unwrap();
    let out = run(&["rules", "check", "--rules", dir.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("kinds.toml")
            && err.contains("ticket_code")
            && err.contains("`begin`")
            && err.contains("`min_len`"),
        "{err}"
    );
}
