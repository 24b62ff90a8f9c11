//! End-to-end tests of the `logscrub` binary: planted values in plain text, JSON, logfmt and URL positions, the
//! real-log corpus, exit codes, actions, long lines, multi-line keys and live (line-buffered) output.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use logscrub_e2e::corpus_dir;

fn bin() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(logscrub_e2e::logscrub_bin).clone()
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(bin())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("logscrub starts");
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out
}

fn scrub(stdin: &[u8], extra: &[&str]) -> Vec<u8> {
    let out = run(extra, stdin);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn secrets() -> Vec<String> {
    std::fs::read_to_string(data("planted.secrets"))
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_planted_value_is_removed_and_lines_are_kept() {
    let input = std::fs::read(data("planted.log")).unwrap();
    let out = scrub(&input, &[]);
    let text = String::from_utf8(out.clone()).unwrap();
    for s in secrets() {
        assert!(!text.contains(&s), "raw value survived: {s:?}\n{text}");
    }
    assert_eq!(
        input.iter().filter(|&&b| b == b'\n').count(),
        out.iter().filter(|&&b| b == b'\n').count()
    );
    // Only the sensitive part changes.
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "2024-05-01T10:00:00Z INFO payment declined card=[REDACTED:credit_card] user=ann"
    );
    assert_eq!(
        lines[6],
        "2024-05-01T10:00:03Z DEBUG connecting to postgres://app:[REDACTED:url_password]@db.internal:5432/orders"
    );
    assert!(lines[8].starts_with(
        "GET /files/report.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=[REDACTED:"
    ));
    assert_eq!(
        *lines.last().unwrap(),
        "trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7 request_id=123e4567-e89b-12d3-a456-426614174000 version=1.2.3 took=1445144423ms",
        "trace ids, UUIDs, versions and counters are not touched"
    );
}

#[test]
fn json_lines_stay_valid_json() {
    let input = std::fs::read_to_string(data("planted.log")).unwrap();
    let out = String::from_utf8(scrub(input.as_bytes(), &[])).unwrap();
    let mut checked = 0;
    for (a, b) in input.lines().zip(out.lines()) {
        if serde_json::from_str::<serde_json::Value>(a).is_ok() {
            let v: serde_json::Value =
                serde_json::from_str(b).unwrap_or_else(|e| panic!("output is not JSON ({e}): {b}"));
            assert!(v.is_object());
            checked += 1;
        }
    }
    assert!(checked >= 6, "only {checked} JSON lines checked");
    let out = String::from_utf8(scrub(br#"{"card": 4111111111111111}"#, &[])).unwrap();
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["card"], "[REDACTED:credit_card]");
}

#[test]
fn scrubbing_twice_equals_once() {
    let input = std::fs::read(data("planted.log")).unwrap();
    let once = scrub(&input, &[]);
    let twice = scrub(&once, &[]);
    assert_eq!(
        String::from_utf8_lossy(&once),
        String::from_utf8_lossy(&twice)
    );
}

#[test]
fn thread_count_does_not_change_output() {
    let mut input = std::fs::read(data("planted.log")).unwrap();
    if let Some(dir) = corpus_dir() {
        for f in ["HDFS_2k.log", "OpenSSH_2k.log", "Zookeeper_2k.log"] {
            input.extend(std::fs::read(dir.join(f)).unwrap());
        }
    }
    // Repeat to cross several chunk boundaries.
    let big: Vec<u8> = input
        .iter()
        .copied()
        .cycle()
        .take(input.len() * 6)
        .collect();
    let one = scrub(&big, &["--threads", "1"]);
    let four = scrub(&big, &["--threads", "4"]);
    assert!(one == four, "outputs differ between 1 and 4 threads");
}

/// A pipe with the default thread count starts on one thread and hands over to the workers after its first
/// read, at a line where no key block is open: a key block placed anywhere around that point is redacted as one
/// stream would, and so is everything else.
#[test]
fn a_pipe_handed_over_to_threads_writes_what_one_thread_writes() {
    let base = std::fs::read(data("planted.log")).unwrap();
    let body: String = (0..30)
        .map(|i| format!("MIIEowIBAAKCAQEAr{i:02}x7v9Qm3kZpLw8YtNcB4eHs2uJfGdKaVnRq\n"))
        .collect();
    let key = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}-----END RSA PRIVATE KEY-----\n");
    let filler: Vec<u8> = base.iter().copied().cycle().take(1_200_000).collect();
    for at in [200_000usize, 250_000, 255_000, 262_000, 270_000, 300_000] {
        let cut = at.min(filler.len());
        let cut = filler[..cut]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let mut input = filler[..cut].to_vec();
        input.extend_from_slice(key.as_bytes());
        input.extend_from_slice(&filler[cut..]);
        let one = scrub(&input, &["--threads", "1"]);
        let default = scrub(&input, &[]);
        assert!(
            one == default,
            "default threads differ from one thread (key at {at})"
        );
        let text = String::from_utf8_lossy(&default);
        assert!(
            !text.contains("MIIEowIBAAKCAQEAr07"),
            "key body left (key at {at})"
        );
    }
    // A small pipe stays on one thread and gives the same bytes too.
    assert!(scrub(&base, &[]) == scrub(&base, &["--threads", "1"]));
}

#[test]
fn crlf_invalid_utf8_and_missing_final_newline_pass_through() {
    let mut input = b"a\r\ncard 4111111111111111\r\n".to_vec();
    input.extend_from_slice(&[0xff, 0xfe, b' ', b'x', b'\n', 0x00, 0x01, b'e', b'n', b'd']);
    let out = scrub(&input, &[]);
    let mut expected = b"a\r\ncard [REDACTED:credit_card]\r\n".to_vec();
    expected.extend_from_slice(&[0xff, 0xfe, b' ', b'x', b'\n', 0x00, 0x01, b'e', b'n', b'd']);
    assert_eq!(out, expected);
}

#[test]
fn real_logs_change_only_at_addresses() {
    let Some(dir) = corpus_dir() else {
        eprintln!("SKIP: ../shared/corpus is missing");
        return;
    };
    let allowed = ["ipv4", "ipv4_in_hostname", "ipv6", "email"];
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "log") {
            continue;
        }
        files += 1;
        let out = run(
            &[
                "scan",
                "--format",
                "json",
                "--exit-zero",
                path.to_str().unwrap(),
            ],
            b"",
        );
        assert!(out.status.success());
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let rule = v["rule"].as_str().unwrap();
            assert!(
                allowed.contains(&rule),
                "{}:{}: unexpected finding {rule}",
                path.display(),
                v["line"]
            );
        }
        let input = std::fs::read(&path).unwrap();
        let scrubbed = scrub(&input, &[]);
        let (a, b) = (
            String::from_utf8_lossy(&input),
            String::from_utf8_lossy(&scrubbed),
        );
        assert_eq!(a.lines().count(), b.lines().count());
        for (x, y) in a.lines().zip(b.lines()) {
            if x != y {
                assert!(
                    y.contains("[REDACTED:ipv") || y.contains("[REDACTED:email]"),
                    "{y}"
                );
            }
        }
    }
    assert!(files >= 10);
}

#[test]
fn scan_reports_places_never_values() {
    let input = std::fs::read(data("planted.log")).unwrap();
    let out = run(&["scan", "--format", "json"], &input);
    assert_eq!(out.status.code(), Some(1), "findings give exit code 1");
    let text = String::from_utf8(out.stdout).unwrap();
    for s in secrets() {
        assert!(!text.contains(&s), "scan output leaks {s:?}");
    }
    let rules: std::collections::BTreeSet<String> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["rule"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for r in [
        "credit_card",
        "iban",
        "url_password",
        "jwt",
        "private_key",
        "email",
        "ssn",
        "ipv6",
    ] {
        assert!(rules.contains(r), "no {r} finding in {rules:?}");
    }
    let clean = run(&["scan"], b"nothing to see here\n");
    assert_eq!(clean.status.code(), Some(0));

    let sarif = run(&["scan", "--format", "sarif", "--exit-zero"], &input);
    let v: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["runs"][0]["results"].as_array().unwrap().len() >= 30);
}

/// The backends this `logscrub` was built with, as `rules check` reports them.
fn compiled_backends() -> Vec<String> {
    let out = run(&["rules", "check"], b"");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let list = text
        .lines()
        .last()
        .and_then(|l| l.split("(backends: ").nth(1))
        .map(|l| l.trim_end_matches(')').to_string())
        .expect("rules check names its backends");
    list.split(", ").map(String::from).collect()
}

#[test]
fn every_backend_gives_byte_identical_output() {
    let mut input = std::fs::read(data("planted.log")).unwrap();
    if let Some(dir) = corpus_dir() {
        for f in std::fs::read_dir(&dir).unwrap().flatten() {
            if f.path().extension().is_some_and(|x| x == "log") {
                input.extend(std::fs::read(f.path()).unwrap());
            }
        }
    } else {
        eprintln!("../shared/corpus is missing: comparing backends on the planted file only");
    }
    let backends = compiled_backends();
    assert!(backends.iter().any(|b| b == "rust"), "{backends:?}");
    if backends.len() == 1 {
        eprintln!("only the pure-Rust backend is built in (build with --features logscrub-cli/vectorscan to compare)");
    }
    let reference = scrub(&input, &["--backend", "rust"]);
    assert_ne!(reference, input);
    for b in &backends {
        let out = scrub(&input, &["--backend", b]);
        assert!(
            out == reference,
            "backend {b} differs from the pure-Rust backend"
        );
    }
}

#[test]
fn rules_check_passes_and_bad_rules_are_named() {
    let out = run(&["rules", "check"], b"");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let dir = tempdir("badrules");
    std::fs::write(
        dir.join("bad.toml"),
        r#"
[[rule]]
id = "broken_rule"
class = "x"
category = "secret"
pattern = '''(unclosed'''
keywords = ["x"]
examples = ["x"]
negative_examples = ["y"]
"#,
    )
    .unwrap();
    let out = run(&["--rules", dir.to_str().unwrap()], b"x\n");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml") && err.contains("broken_rule") && err.contains("pattern"),
        "{err}"
    );

    std::fs::write(
        dir.join("bad.toml"),
        r#"
[[rule]]
id = "order_code"
class = "order_code"
category = "secret"
pattern = '''ORD-\d{6}'''
keywords = ["ORD-"]
examples = ["order ORD-12 placed"]
negative_examples = ["fine"]
"#,
    )
    .unwrap();
    let out = run(&["--rules", dir.to_str().unwrap()], b"ORD-123456\n");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("order_code") && err.contains("example 1"),
        "{err}"
    );
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("logscrub-e2e-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn actions_mask_pseudonym_and_remove() {
    let dir = tempdir("actions");
    let cfg = dir.join("logscrub.toml");
    std::fs::write(
        &cfg,
        r#"
[actions.categories]
account = { action = "mask", keep_last = 4 }
[actions.rules]
email = { action = "pseudonym" }
password_assignment = { action = "remove" }
[pseudonym]
key_env = "LOGSCRUB_TEST_KEY"
key_id = "t1"
"#,
    )
    .unwrap();
    let input = b"card 4111 1111 1111 1111 by a@example.com\nagain a@example.com b@example.com\n{\"password\":\"hunter2\",\"x\":1}\n";
    let mut child = Command::new(bin())
        .args(["--config", cfg.to_str().unwrap()])
        .env("LOGSCRUB_TEST_KEY", "0123456789abcdef0123456789abcdef")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("card **** **** **** 1111 by [PSEUDO:email:t1:"),
        "{text}"
    );
    let token = |l: &str, i: usize| l.split("[PSEUDO:email:t1:").nth(i).unwrap()[..16].to_string();
    assert_eq!(
        token(lines[0], 1),
        token(lines[1], 1),
        "same value, same token"
    );
    assert_ne!(
        token(lines[1], 1),
        token(lines[1], 2),
        "different values, different tokens"
    );
    assert_eq!(lines[2], r#"{"password":"","x":1}"#);
    // Idempotent with these actions too.
    let again = scrub_with_env(text.as_bytes(), &["--config", cfg.to_str().unwrap()]);
    assert_eq!(again, text);

    // No key: refuse to start.
    let out = run(&["--config", cfg.to_str().unwrap()], b"x\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing"));
}

fn scrub_with_env(input: &[u8], args: &[&str]) -> String {
    let mut child = Command::new(bin())
        .args(args)
        .env("LOGSCRUB_TEST_KEY", "0123456789abcdef0123456789abcdef")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
}

#[test]
fn long_lines_are_scanned_in_windows_or_masked() {
    let dir = tempdir("long");
    let cfg = dir.join("c.toml");
    std::fs::write(&cfg, "[limits]\nmax_line_bytes = 4096\n").unwrap();
    let mut line = "x ".repeat(3000);
    line.push_str("card 4111111111111111 ");
    line.push_str(&"y ".repeat(5000));
    line.push('\n');
    let input = format!("{line}short 4111111111111111\n");
    for threads in ["1", "3"] {
        let out = String::from_utf8(scrub(
            input.as_bytes(),
            &["--config", cfg.to_str().unwrap(), "--threads", threads],
        ))
        .unwrap();
        assert!(!out.contains("4111111111111111"), "threads={threads}");
        assert_eq!(out.lines().count(), 2);
        assert_eq!(
            out.len(),
            input.len() - 2 * 16 + 2 * "[REDACTED:credit_card]".len()
        );
    }
    std::fs::write(
        &cfg,
        "[limits]\nmax_line_bytes = 4096\nlong_line = \"mask\"\n",
    )
    .unwrap();
    let out = String::from_utf8(scrub(
        input.as_bytes(),
        &["--config", cfg.to_str().unwrap(), "--threads", "1"],
    ))
    .unwrap();
    assert_eq!(out, "[REDACTED:long_line]\nshort [REDACTED:credit_card]\n");
}

#[test]
fn output_is_live_on_a_pipe() {
    let mut child = Command::new(bin())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    stdin.write_all(b"first mail bob@example.com\n").unwrap();
    stdin.flush().unwrap();
    // The line must come back while stdin is still open (tail -f | logscrub).
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "first mail [REDACTED:email]\n");
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn files_as_arguments_and_stats() {
    let out = run(
        &[
            "--stats",
            data("example.log").to_str().unwrap(),
            data("example.log").to_str().unwrap(),
        ],
        b"",
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 10);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("10 lines") && err.contains("credit_card"),
        "{err}"
    );
    assert!(!err.contains("4111"), "stats never show values");
    let missing = run(&["/nonexistent/x.log"], b"");
    assert_eq!(missing.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/x.log"));
}
