//! End-to-end tests of `logscrub scan`: streaming, thread-independent results, the cap, per-rule summaries,
//! directories and compressed inputs, refusals, allowlist and baseline, report path, context, and the CLI's
//! conventions (global options anywhere, closed pipes, closed or failing stdout, `--stats --format json`).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(logscrub_e2e::logscrub_bin).clone()
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

fn planted() -> Vec<u8> {
    std::fs::read(data("planted.log")).unwrap()
}

fn secrets() -> Vec<String> {
    std::fs::read_to_string(data("planted.secrets"))
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("logscrub-scan-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn json_lines(b: &[u8]) -> Vec<serde_json::Value> {
    text(b)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

/// (line, rule) of every finding in JSON lines output.
fn places(out: &[u8]) -> Vec<(u64, String)> {
    json_lines(out)
        .iter()
        .map(|v| {
            (
                v["line"].as_u64().unwrap(),
                v["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn findings_are_written_before_the_input_ends() {
    let mut child = Command::new(bin())
        .args(["scan", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"ok\ncard=4111 1111 1111 1111 here\n")
        .unwrap();
    stdin.flush().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    // The input is still open: the finding must arrive anyway.
    let line = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("a finding is printed while stdin is still open");
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["rule"], "credit_card");
    assert_eq!(v["line"], 2);
    drop(stdin);
    assert_eq!(child.wait().unwrap().code(), Some(1));
}

#[test]
fn line_numbers_and_order_do_not_depend_on_threads_or_chunks() {
    let dir = tempdir("threads");
    let one = planted();
    let lines_per = one.iter().filter(|&&b| b == b'\n').count() as u64;
    let copies = 700; // about 1.7 MB: more than one 1 MiB chunk
    let big: Vec<u8> = one
        .iter()
        .copied()
        .cycle()
        .take(one.len() * copies)
        .collect();
    std::fs::write(dir.join("big.log"), &big).unwrap();
    let single = run_in(
        &dir,
        &["scan", "--format", "json", "-j", "1", "planted-copy.log"],
    );
    assert_eq!(single.status.code(), Some(3), "a missing file is refused");
    std::fs::write(dir.join("one.log"), &one).unwrap();
    let base = places(&run_in(&dir, &["scan", "--format", "json", "-j", "1", "one.log"]).stdout);
    assert!(base.len() > 20);
    let j1 = run_in(&dir, &["scan", "--format", "json", "-j", "1", "big.log"]);
    let j4 = run_in(&dir, &["scan", "--format", "json", "-j", "4", "big.log"]);
    assert_eq!(j1.status.code(), Some(1));
    assert_eq!(
        j1.stdout, j4.stdout,
        "same findings, same order with 1 and 4 threads"
    );
    let got = places(&j4.stdout);
    assert_eq!(got.len(), base.len() * copies);
    for (i, (line, rule)) in got.iter().enumerate() {
        let (bline, brule) = &base[i % base.len()];
        let copy = (i / base.len()) as u64;
        assert_eq!(
            (line, rule),
            (&(bline + copy * lines_per), brule),
            "finding {i}"
        );
    }
}

#[test]
fn max_results_caps_with_a_note_and_summary_counts_per_rule() {
    let dir = tempdir("cap");
    std::fs::write(dir.join("a.log"), planted()).unwrap();
    let all = run_in(&dir, &["scan", "--format", "json", "a.log"]);
    let total = json_lines(&all.stdout).len();
    let capped = run_in(&dir, &["scan", "--max-results", "5", "a.log"]);
    assert_eq!(capped.status.code(), Some(1));
    assert_eq!(text(&capped.stdout).lines().count(), 5);
    let err = text(&capped.stderr);
    assert!(err.contains("--max-results 5 reached"), "{err}");
    assert!(
        err.contains(&format!("{total} findings, 5 reported")),
        "{err}"
    );

    let summary = run_in(&dir, &["scan", "--summary", "--format", "json", "a.log"]);
    assert_eq!(summary.status.code(), Some(1));
    let rows = json_lines(&summary.stdout);
    let sum: u64 = rows.iter().map(|r| r["findings"].as_u64().unwrap()).sum();
    assert_eq!(sum as usize, total);
    let cards = json_lines(&all.stdout)
        .iter()
        .filter(|v| v["rule"] == "credit_card")
        .count();
    let row = rows.iter().find(|r| r["rule"] == "credit_card").unwrap();
    assert_eq!(row["findings"].as_u64().unwrap() as usize, cards);
    assert_eq!(row["first"]["file"], "a.log");
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn directories_and_compressed_files_are_read() {
    let dir = tempdir("dirs");
    let logs = dir.join("logs");
    std::fs::create_dir_all(logs.join("sub")).unwrap();
    std::fs::create_dir_all(logs.join(".hidden")).unwrap();
    let line = b"card=4111 1111 1111 1111\n";
    std::fs::write(logs.join("a.log"), line).unwrap();
    std::fs::write(logs.join("sub/b.log.gz"), gzip(line)).unwrap();
    std::fs::write(
        logs.join("sub/c.log.zst"),
        zstd::encode_all(&line[..], 3).unwrap(),
    )
    .unwrap();
    std::fs::write(logs.join("ignored.log"), line).unwrap();
    std::fs::write(logs.join(".ignore"), "ignored.log\n").unwrap();
    std::fs::write(logs.join(".hidden/d.log"), line).unwrap();
    let files = |args: &[&str]| -> Vec<String> {
        let out = run_in(&dir, args);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        let mut f: Vec<String> = json_lines(&out.stdout)
            .iter()
            .map(|v| v["file"].as_str().unwrap().to_string())
            .collect();
        f.sort();
        f
    };
    assert_eq!(
        files(&["scan", "--format", "json", "logs"]),
        ["logs/a.log", "logs/sub/b.log.gz", "logs/sub/c.log.zst"]
    );
    assert_eq!(
        files(&[
            "scan",
            "--format",
            "json",
            "--no-ignore",
            "--hidden",
            "logs"
        ]),
        [
            "logs/.hidden/d.log",
            "logs/.ignore",
            "logs/a.log",
            "logs/ignored.log",
            "logs/sub/b.log.gz",
            "logs/sub/c.log.zst"
        ]
        .iter()
        .filter(|f| !f.ends_with(".ignore"))
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
    );
    // The filter decompresses too, and stdin with -z.
    let out = run_in(&dir, &["logs/sub/b.log.gz"]);
    assert_eq!(text(&out.stdout), "card=[REDACTED:credit_card]\n");
    let mut child = Command::new(bin())
        .args(["-z"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&gzip(line)).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(text(&out.stdout), "card=[REDACTED:credit_card]\n");
}

#[test]
fn what_cannot_be_read_is_refused_never_passed() {
    let dir = tempdir("refuse");
    std::fs::write(dir.join("good.log"), b"card=4111 1111 1111 1111\n").unwrap();
    std::fs::write(
        dir.join("rotated.log.1"),
        gzip(b"card=4111 1111 1111 1111\n"),
    )
    .unwrap();
    std::fs::write(dir.join("old.log.bz2"), b"BZh91AY&SY....").unwrap();
    let mut corrupt = gzip(b"card=4111 1111 1111 1111\nmore\n");
    corrupt.truncate(corrupt.len() / 2);
    std::fs::write(dir.join("cut.log.gz"), corrupt).unwrap();
    std::fs::write(dir.join("fake.log.gz"), b"plain text\n").unwrap();
    for (file, says) in [
        ("rotated.log.1", "pass -z"),
        ("old.log.bz2", "bzip2"),
        ("cut.log.gz", "cut.log.gz"),
        ("fake.log.gz", "not gzip-compressed"),
        ("missing.log", "cannot open input missing.log"),
    ] {
        let out = run_in(&dir, &["scan", file, "good.log"]);
        assert_eq!(out.status.code(), Some(3), "{file}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(err.contains(file) && err.contains(says), "{file}: {err}");
        assert!(err.contains("scan is incomplete"), "{err}");
        // The other input was still scanned.
        assert!(
            text(&out.stdout).contains("good.log:1:"),
            "{file}: {}",
            text(&out.stdout)
        );
    }
    let ok = run_in(&dir, &["scan", "-z", "rotated.log.1"]);
    assert_eq!(ok.status.code(), Some(1), "{}", text(&ok.stderr));
    // The filter stops at the first refusal.
    let out = run_in(&dir, &["old.log.bz2"]);
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn allowlist_and_baseline_leave_out_what_was_accepted() {
    let dir = tempdir("allow");
    std::fs::write(dir.join("a.log"), planted()).unwrap();
    std::fs::create_dir_all(dir.join("fixtures")).unwrap();
    std::fs::write(dir.join("fixtures/f.log"), planted()).unwrap();
    let all = json_lines(&run_in(&dir, &["scan", "--format", "json", "a.log"]).stdout);
    let email_hash = all.iter().find(|v| v["rule"] == "email").unwrap()["hash"]
        .as_str()
        .unwrap()
        .to_string();
    std::fs::write(
        dir.join("allow.toml"),
        format!(
            "paths = [\"fixtures/**\"]\nrules = [\"credit_card\"]\nhashes = [\"{email_hash}\"]\n"
        ),
    )
    .unwrap();
    let out = run_in(
        &dir,
        &[
            "scan",
            "--format",
            "json",
            "--allowlist",
            "allow.toml",
            "a.log",
            "fixtures",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let left = json_lines(&out.stdout);
    let cards = all.iter().filter(|v| v["rule"] == "credit_card").count();
    assert_eq!(left.len(), all.len() - cards - 1);
    assert!(left
        .iter()
        .all(|v| v["rule"] != "credit_card" && v["rule"] != "email"));
    assert!(left.iter().all(|v| v["file"] == "a.log"));
    assert!(text(&out.stderr).contains("1 input skipped by the allowlist"));

    std::fs::write(dir.join("bad.toml"), "rules = [\"no_such_rule\"]\n").unwrap();
    let out = run_in(&dir, &["scan", "--allowlist", "bad.toml", "a.log"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no_such_rule"));

    // Baseline: the first run's JSON; a new secret appended is the only one reported.
    std::fs::write(
        dir.join("base.json"),
        &run_in(&dir, &["scan", "--format", "json", "a.log"]).stdout,
    )
    .unwrap();
    let mut grown = planted();
    grown.extend_from_slice(b"later mail=zed.new@example.org appeared\n");
    std::fs::write(dir.join("a.log"), &grown).unwrap();
    let out = run_in(
        &dir,
        &[
            "scan",
            "--format",
            "json",
            "--baseline",
            "base.json",
            "a.log",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let new = json_lines(&out.stdout);
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(
        new[0]["line"].as_u64().unwrap() as usize,
        text(&grown).lines().count()
    );
    // SARIF works as a baseline too.
    std::fs::write(dir.join("a.log"), planted()).unwrap();
    let out = run_in(
        &dir,
        &["scan", "--format", "sarif", "-o", "base.sarif", "a.log"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "-o writes the report to the file, not stdout"
    );
    let out = run_in(&dir, &["scan", "--baseline", "base.sarif", "a.log"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn context_shows_the_line_with_values_replaced() {
    let out = {
        let dir = tempdir("context");
        std::fs::write(dir.join("a.log"), planted()).unwrap();
        run_in(&dir, &["scan", "--format", "json", "--context", "a.log"])
    };
    let rows = json_lines(&out.stdout);
    assert!(rows.iter().all(|v| v["context"].is_string()));
    assert!(rows.iter().any(|v| v["context"]
        .as_str()
        .unwrap()
        .contains("[REDACTED:credit_card]")));
    let all = text(&out.stdout);
    for s in secrets() {
        assert!(!all.contains(&s), "context leaks {s:?}");
    }
}

#[test]
fn html_summary_by_class_and_file() {
    let dir = tempdir("html");
    std::fs::write(dir.join("a.log"), planted()).unwrap();
    let out = run_in(&dir, &["scan", "--format", "html", "a.log"]);
    assert_eq!(out.status.code(), Some(1));
    let page = text(&out.stdout);
    assert!(page.starts_with("<!DOCTYPE html>") && page.trim_end().ends_with("</html>"));
    assert!(page.contains("<svg") && page.contains("credit_card") && page.contains("a.log"));
    for s in secrets() {
        assert!(!page.contains(&s), "html leaks {s:?}");
    }
}

#[test]
fn global_options_may_come_before_the_subcommand() {
    let dir = tempdir("global");
    std::fs::write(dir.join("p.toml"), "[rules]\ndisable = [\"credit_card\"]\n").unwrap();
    std::fs::write(
        dir.join("a.log"),
        b"card=4111 1111 1111 1111 mail=ann@example.com\n",
    )
    .unwrap();
    for args in [
        &["-c", "p.toml", "scan", "--format", "json", "a.log"][..],
        &["scan", "--format", "json", "a.log", "-c", "p.toml"][..],
        &["--config", "p.toml", "scan", "--format", "json", "a.log"][..],
    ] {
        let out = run_in(&dir, args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            text(&out.stderr)
        );
        let rules: Vec<String> = json_lines(&out.stdout)
            .iter()
            .map(|v| v["rule"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(rules, ["email"], "{args:?}");
    }
    let out = run_in(&dir, &["-c", "p.toml", "rules", "list"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// Reads one line of `args`' output, closes the pipe, and returns the exit status and stderr.
fn close_after_one_line(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert!(!line.is_empty());
    drop(out);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (child.wait().unwrap().code(), err)
}

#[test]
fn closed_pipes_end_quietly_and_closed_or_full_stdout_is_an_error() {
    let dir = tempdir("pipes");
    let one = planted();
    let big: Vec<u8> = one.iter().copied().cycle().take(one.len() * 2000).collect();
    std::fs::write(dir.join("big.log"), &big).unwrap();
    for args in [
        &["scan", "big.log"][..],
        &["scan", "--format", "sarif", "big.log"][..],
        &["big.log"][..],
    ] {
        let (code, err) = close_after_one_line(&dir, args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
    // stdout closed (`>&-`): exit 3 with a message, for the filter, scan and rules.
    for args in ["scan big.log", "big.log", "rules list"] {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("exec \"$0\" {args} >&-"))
            .arg(bin())
            .current_dir(&dir)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{args}");
        assert!(
            text(&out.stderr).contains("standard output is closed"),
            "{args}: {}",
            text(&out.stderr)
        );
    }
    if Path::new("/dev/full").exists() {
        for args in [&["scan", "big.log"][..], &["big.log"][..]] {
            let out = Command::new(bin())
                .args(args)
                .current_dir(&dir)
                .stdout(
                    std::fs::OpenOptions::new()
                        .write(true)
                        .open("/dev/full")
                        .unwrap(),
                )
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(3), "{args:?}");
            assert!(
                text(&out.stderr).contains("No space left"),
                "{args:?}: {}",
                text(&out.stderr)
            );
        }
    }
}

#[test]
fn stats_as_json_and_no_progress_when_stderr_is_not_a_terminal() {
    let dir = tempdir("stats");
    std::fs::write(dir.join("a.log"), planted()).unwrap();
    let out = run_in(&dir, &["--stats", "--format", "json", "a.log"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value =
        serde_json::from_str(text(&out.stderr).trim()).expect("one JSON object");
    let by_rule: u64 = v["by_rule"]
        .as_object()
        .unwrap()
        .values()
        .map(|r| r["findings"].as_u64().unwrap())
        .sum();
    assert!(v["findings"].as_u64().unwrap() > 20);
    assert_eq!(v["findings"].as_u64().unwrap(), by_rule);
    assert_eq!(
        v["lines"].as_u64().unwrap() as usize,
        text(&planted()).lines().count()
    );
    // stderr is a pipe here: no progress unless asked.
    let quiet = run_in(&dir, &["scan", "a.log"]);
    assert!(quiet.stderr.is_empty(), "{}", text(&quiet.stderr));
    let out = run_in(&dir, &["--format", "json", "a.log"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "--format without --stats is a usage error"
    );
}
