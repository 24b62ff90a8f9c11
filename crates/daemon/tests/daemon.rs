//! End-to-end tests of the `logscrubd` binary on loopback: every source kind, the file sink, the findings log,
//! acknowledgements after persistence, metrics, signals. Expected output is the engine's own scrub of the input
//! line, so "only the sensitive value changed" is checked byte for byte.

mod common;

use std::io::Write;
use std::net::{TcpStream, UdpSocket};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;

fn lines() -> Vec<String> {
    vec![
        format!("payment ok card {CARD} amount 12.00"),
        format!("connect {DB_URL} retry=3"),
        format!("{{\"user\":\"ann\",\"key\":\"{AWS}\",\"n\":1}}"),
        "nothing to see here 123".to_string(),
    ]
}

fn expected(lines: &[String]) -> String {
    lines.iter().map(|l| engine_scrub(l) + "\n").collect()
}

#[test]
fn check_config_accepts_valid_and_names_bad_fields() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.toml");
    std::fs::write(
        &good,
        "[daemon]\ndata_dir = \"d\"\n[[source]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:0\"\n[[sink]]\ntype = \"stdout\"\n",
    )
    .unwrap();
    let out = check_config(&good, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok"));

    let cases: &[(&str, &str)] = &[
        ("[daemon]\nqueue_capacty = 3\n", "queue_capacty"),
        ("[[source]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:0\"\nlisen = 1\n[[sink]]\ntype = \"stdout\"\n", "lisen"),
        ("[[sink]]\ntype = \"stdout\"\n", "source"),
        ("[[source]]\ntype = \"stdin\"\n", "sink"),
        ("[daemon]\nqueue_capacity = 0\n[[source]]\ntype = \"stdin\"\n[[sink]]\ntype = \"stdout\"\n", "daemon.queue_capacity"),
        ("[[source]]\ntype = \"http\"\nlisten = \"127.0.0.1:0\"\ntoken_file = \"/nonexistent/token\"\n[[sink]]\ntype = \"stdout\"\n", "source[0].token_file"),
        ("[[source]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:0\"\ntls = { cert = \"/nonexistent.pem\", key = \"/nonexistent.key\" }\n[[sink]]\ntype = \"stdout\"\n", "source[0].tls"),
        ("[scrub.policy.actions]\ndefault = { action = \"explode\" }\n[[source]]\ntype = \"stdin\"\n[[sink]]\ntype = \"stdout\"\n", "explode"),
        ("[scrub.policy.rules]\ndisable = [\"no_such_rule\"]\n[[source]]\ntype = \"stdin\"\n[[sink]]\ntype = \"stdout\"\n", "no_such_rule"),
        ("[[source]]\ntype = \"carrier_pigeon\"\n[[sink]]\ntype = \"stdout\"\n", "carrier_pigeon"),
        ("[[source]]\ntype = \"stdin\"\n[[sink]]\ntype = \"http\"\nurl = \"ftp://x\"\n", "sink[0].url"),
        ("[[source]]\ntype = \"stdin\"\n[[sink]]\ntype = \"http\"\nurl = \"https://x/ingest\"\n", "sink[0].ca_file"),
        ("[[source]]\ntype = \"stdin\"\n[[sink]]\ntype = \"syslog\"\naddress = \"nohost\"\n", "sink[0].address"),
        ("[[source]]\ntype = \"stdin\"\n[[sink]]\ntype = \"file\"\nencrypt_to = [\"age1notakey\"]\n", "sink[0].encrypt_to[0]"),
    ];
    for (i, (text, needle)) in cases.iter().enumerate() {
        let p = dir.path().join(format!("bad{i}.toml"));
        std::fs::write(&p, text).unwrap();
        let out = check_config(&p, &[]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "case {i} should fail: {err}");
        assert!(
            err.contains(needle),
            "case {i}: error should name `{needle}`: {err}"
        );
    }
}

#[test]
fn stdin_to_file_sink_and_findings_log() {
    let mut d = Daemon {
        dir: tempfile::tempdir().unwrap(),
        child: None,
        bound: serde_json::Value::Null,
    };
    d.write_config(&format!("[[source]]\ntype = \"stdin\"\n{FILE_SINK}"));
    d.spawn(Stdio::piped());
    let input = lines();
    {
        let mut stdin = d.child.as_mut().unwrap().stdin.take().unwrap();
        for l in &input {
            writeln!(stdin, "{l}").unwrap();
        }
        // Last line without terminator: still one record.
        write!(stdin, "tail {AWS}").unwrap();
    }
    let st = d.wait(Duration::from_secs(20));
    assert!(st.success(), "exit {st}: {}", d.stderr());
    let mut all = input.clone();
    all.push(format!("tail {AWS}"));
    assert_eq!(d.output(), expected(&all));

    let findings = std::fs::read_to_string(d.data().join("findings.jsonl")).unwrap();
    let recs: Vec<serde_json::Value> = findings
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let rules: Vec<&str> = recs.iter().map(|r| r["rule"].as_str().unwrap()).collect();
    assert!(
        rules.contains(&"credit_card") || rules.iter().any(|r| r.contains("card")),
        "{findings}"
    );
    assert!(rules.iter().any(|r| r.contains("aws")), "{findings}");
    for r in &recs {
        assert_eq!(r["source"], "stdin-0");
        assert_eq!(
            r["hash"].as_str().unwrap().len(),
            32,
            "128-bit findings hash"
        );
        assert!(r["count"].as_u64().unwrap() >= 1);
        assert!(r["time"].as_str().unwrap().ends_with('Z'));
    }
    // The AWS key appears twice: same keyed hash, counted twice in total.
    let aws: u64 = recs
        .iter()
        .filter(|r| r["rule"].as_str().unwrap().contains("aws"))
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert_eq!(aws, 2, "{findings}");
    assert_no_raw_on_disk(&d.data());
}

#[test]
fn tcp_text_source_then_sigterm_drains() {
    let mut d = Daemon::start(&format!(
        "[[source]]\ntype = \"tcp\"\nname = \"app\"\nlisten = \"127.0.0.1:0\"\n{FILE_SINK}"
    ));
    let input = lines();
    let mut s = TcpStream::connect(d.addr("app")).unwrap();
    for l in &input {
        // CRLF terminators are handled by the engine's line stream.
        write!(s, "{l}\r\n").unwrap();
    }
    s.flush().unwrap();
    let out = d.wait_lines(input.len());
    let want: String = input.iter().map(|l| engine_scrub(l) + "\r\n").collect();
    assert_eq!(out, want);
    drop(s);
    let st = d.stop();
    assert!(st.success(), "SIGTERM should exit 0: {st}");
    assert_no_raw_on_disk(&d.data());
}

#[test]
fn unix_socket_source() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("in.sock");
    let d = Daemon::start(&format!(
        "[[source]]\ntype = \"unix\"\npath = \"{}\"\n{FILE_SINK}",
        sock.display()
    ));
    // The socket exists once bound.json was written.
    let mut s = std::os::unix::net::UnixStream::connect(&sock).unwrap();
    writeln!(s, "via unix {CARD}").unwrap();
    drop(s);
    let out = d.wait_lines(1);
    assert_eq!(out, engine_scrub(&format!("via unix {CARD}")) + "\n");
}

#[test]
fn http_ingest_acknowledges_after_persistence() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "test-token-0123456789abcdef\n").unwrap();
    chmod600(&token_file);
    let d = Daemon::start(&format!(
        "[[source]]\ntype = \"http\"\nname = \"web\"\nlisten = \"127.0.0.1:0\"\ntoken_file = \"{}\"\nmax_body_bytes = 100000\n{FILE_SINK}",
        token_file.display()
    ));
    let addr = d.addr("web");
    let auth = ("Authorization", "Bearer test-token-0123456789abcdef");

    // No token / wrong token: 401, nothing persisted.
    let (st, _, _) = http(addr, "POST", "/ingest", &[], b"x 4111 1111 1111 1111\n");
    assert_eq!(st, 401);
    let (st, _, _) = http(
        addr,
        "POST",
        "/ingest",
        &[("Authorization", "Bearer nope-nope-nope-nope-nope")],
        b"x\n",
    );
    assert_eq!(st, 401);
    assert_eq!(d.output(), "");

    // NDJSON: 200 means it is already in the segment file.
    let nd = lines().join("\n") + "\n";
    let (st, _, body) = http(
        addr,
        "POST",
        "/ingest",
        &[auth, ("Content-Type", "application/x-ndjson")],
        nd.as_bytes(),
    );
    assert_eq!(st, 200, "{body}");
    assert_eq!(body, "{\"accepted\":4}");
    assert_eq!(d.output(), expected(&lines()));

    // JSON array: one record per element; a pretty-printed element becomes one line.
    let arr = format!("[{{\"card\":\"{CARD}\"}},\n  {{\"msg\": \"ok\",\n  \"n\": 2}}]");
    let (st, _, body) = http(
        addr,
        "POST",
        "/ingest",
        &[auth, ("Content-Type", "application/json")],
        arr.as_bytes(),
    );
    assert_eq!(st, 200, "{body}");
    assert_eq!(body, "{\"accepted\":2}");
    let out = d.output();
    let tail: Vec<&str> = out.lines().skip(4).collect();
    assert_eq!(
        tail,
        vec![
            engine_scrub(&format!("{{\"card\":\"{CARD}\"}}")).as_str(),
            "{\"msg\": \"ok\",   \"n\": 2}"
        ]
    );

    // Plain text without final newline.
    let (st, _, _) = http(
        addr,
        "POST",
        "/ingest",
        &[auth, ("Content-Type", "text/plain")],
        format!("text {DB_URL}").as_bytes(),
    );
    assert_eq!(st, 200);
    assert!(d
        .output()
        .ends_with(&(engine_scrub(&format!("text {DB_URL}")) + "\n")));

    // Errors.
    let (st, _, _) = http(
        addr,
        "POST",
        "/ingest",
        &[auth, ("Content-Type", "application/json")],
        b"[1, 2",
    );
    assert_eq!(st, 400);
    let (st, _, _) = http(addr, "POST", "/ingest", &[auth], &vec![b'a'; 200_000]);
    assert_eq!(st, 413);
    let (st, _, _) = http(addr, "GET", "/ingest", &[auth], b"");
    assert_eq!(st, 405);
    let (st, _, _) = http(addr, "POST", "/elsewhere", &[auth], b"");
    assert_eq!(st, 404);
    assert_no_raw_on_disk(&d.data());
}

#[test]
fn otlp_json_over_http() {
    let d = Daemon::start(&format!(
        "[[source]]\ntype = \"http\"\nname = \"otlp\"\nlisten = \"127.0.0.1:0\"\n{FILE_SINK}"
    ));
    let body = format!(
        r#"{{"resourceLogs":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"shop"}}}}]}},"scopeLogs":[{{"scope":{{"name":"app"}},"logRecords":[{{"timeUnixNano":"1700000000000000000","severityText":"INFO","body":{{"stringValue":"charged {CARD}"}},"attributes":[{{"key":"db","value":{{"stringValue":"{DB_URL}"}}}}]}},{{"body":{{"stringValue":"second"}}}}]}}]}}]}}"#
    );
    let (st, _, resp) = http(
        d.addr("otlp"),
        "POST",
        "/v1/logs",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    assert_eq!(st, 200, "{resp}");
    let out = d.output();
    assert_eq!(out.lines().count(), 2, "{out}");
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(
        first["logRecord"]["body"]["stringValue"],
        "charged [REDACTED:credit_card]"
    );
    assert_eq!(
        first["resource"]["attributes"][0]["value"]["stringValue"],
        "shop"
    );
    assert_eq!(first["logRecord"]["severityText"], "INFO");
    assert!(!first["logRecord"]["attributes"][0]["value"]["stringValue"]
        .as_str()
        .unwrap()
        .contains(DB_PASS));
    let (st, _, _) = http(
        d.addr("otlp"),
        "POST",
        "/v1/logs",
        &[("Content-Type", "text/plain")],
        b"x",
    );
    assert_eq!(st, 415);
    assert_no_raw_on_disk(&d.data());
}

#[test]
fn syslog_tcp_octet_counting_lf_and_udp() {
    let d = Daemon::start(&format!(
        "[[source]]\ntype = \"syslog\"\nname = \"st\"\nprotocol = \"tcp\"\nlisten = \"127.0.0.1:0\"\n\
         [[source]]\ntype = \"syslog\"\nname = \"su\"\nprotocol = \"udp\"\nlisten = \"127.0.0.1:0\"\n{FILE_SINK}"
    ));
    let m1 = format!("<13>1 2026-11-28T10:00:00.000Z web01 shop 4242 PAY [exampleSDID@32473 iut=\"3\" eventSource=\"Application\"] card {CARD} declined");
    let m2 = format!("<34>Oct 11 22:14:15 mymachine su[230]: login with {DB_URL}");
    let mut s = TcpStream::connect(d.addr("st")).unwrap();
    write!(s, "{} {}", m1.len(), m1).unwrap();
    writeln!(s, "{m2}").unwrap();
    s.flush().unwrap();
    drop(s);
    let out = d.wait_lines(2);
    let got: Vec<&str> = out.lines().collect();
    assert_eq!(
        got[0],
        "<13>1 2026-11-28T10:00:00.000Z web01 shop 4242 PAY [exampleSDID@32473 iut=\"3\" eventSource=\"Application\"] card [REDACTED:credit_card] declined"
    );
    assert!(
        got[1].starts_with("<34>Oct 11 22:14:15 mymachine su[230]: login with "),
        "{}",
        got[1]
    );
    assert_eq!(
        got[1],
        format!(
            "<34>Oct 11 22:14:15 mymachine su[230]: {}",
            engine_scrub(&format!("login with {DB_URL}"))
        )
    );

    let u = UdpSocket::bind("127.0.0.1:0").unwrap();
    let m3 = format!("<14>1 - host app - - - key {AWS}");
    u.send_to(m3.as_bytes(), d.addr("su")).unwrap();
    let out = d.wait_lines(3);
    assert_eq!(
        out.lines().nth(2).unwrap(),
        "<14>1 - host app - - - key [REDACTED:aws_access_key_id]"
    );
    assert_no_raw_on_disk(&d.data());
}

#[test]
fn metrics_health_and_readiness() {
    let d = Daemon::start(&format!(
        "[metrics]\nlisten = \"127.0.0.1:0\"\n[[source]]\ntype = \"http\"\nname = \"web\"\nlisten = \"127.0.0.1:0\"\n{FILE_SINK}"
    ));
    let (st, _, _) = http(
        d.addr("web"),
        "POST",
        "/ingest",
        &[],
        format!("a {CARD}\nb\n").as_bytes(),
    );
    assert_eq!(st, 200);
    let m = d.metrics_addr();
    let (st, _, body) = http(m, "GET", "/healthz", &[], b"");
    assert_eq!((st, body.as_str()), (200, "ok\n"));
    let (st, _, _) = http(m, "GET", "/readyz", &[], b"");
    assert_eq!(st, 200);
    let (st, headers, body) = http(m, "GET", "/metrics", &[], b"");
    assert_eq!(st, 200);
    assert!(headers
        .iter()
        .any(|(k, v)| k == "content-type" && v.starts_with("application/openmetrics-text")));
    for needle in [
        "logscrubd_received_records_total{source=\"web\"} 2",
        "logscrubd_persisted_records_total 2",
        "logscrubd_acknowledged_records_total 2",
        "logscrubd_scrubbed_records_total 2",
        "logscrubd_findings_total{rule=\"credit_card\",class=\"credit_card\"} 1",
        "logscrubd_queue_capacity 256",
        "logscrubd_queue_depth 0",
    ] {
        assert!(body.contains(needle), "missing {needle} in\n{body}");
    }
    for raw in RAW {
        assert!(!body.contains(raw));
    }
}

#[test]
fn sighup_reload_applies_valid_and_keeps_old_on_invalid() {
    let base =
        format!("[[source]]\ntype = \"tcp\"\nname = \"t\"\nlisten = \"127.0.0.1:0\"\n{FILE_SINK}");
    let mut d = Daemon::start(&base);
    let send = |d: &Daemon, l: &str| {
        let mut s = TcpStream::connect(d.addr("t")).unwrap();
        writeln!(s, "{l}").unwrap();
    };
    send(&d, &format!("one {CARD}"));
    d.wait_lines(1);

    // Valid: mask cards instead of redacting.
    d.write_config(&format!(
        "[scrub.policy.actions.categories]\naccount = {{ action = \"mask\", keep_last = 4 }}\n{base}"
    ));
    let good = d.config_path();
    let ok = check_config(&good, &[]);
    assert!(
        ok.status.success(),
        "test config must be valid: {}",
        String::from_utf8_lossy(&ok.stderr)
    );
    d.signal(libc::SIGHUP);
    let reloads = d.data().join("reloads.jsonl");
    wait_for(|| {
        std::fs::read_to_string(&reloads)
            .unwrap_or_default()
            .contains("applied")
    });
    send(&d, &format!("two {CARD}"));
    let out = d.wait_lines(2);
    let second = out.lines().nth(1).unwrap();
    assert!(
        second.contains("1111") && !second.contains("REDACTED") && !second.contains(CARD),
        "{second}"
    );

    // Invalid: refused, old (mask) policy keeps running.
    d.write_config(&format!("[scrub]\nbogus = 1\n{base}"));
    d.signal(libc::SIGHUP);
    wait_for(|| {
        std::fs::read_to_string(&reloads)
            .unwrap_or_default()
            .contains("refused")
    });
    let rec = std::fs::read_to_string(&reloads).unwrap();
    assert!(rec.contains("bogus"), "the refusal says why: {rec}");
    send(&d, &format!("three {CARD}"));
    let out = d.wait_lines(3);
    let third = out.lines().nth(2).unwrap();
    assert_eq!(third, second.replace("two", "three"));
    assert!(d.stop().success());
    assert_no_raw_on_disk(&d.data());
}

fn wait_for(mut f: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !f() {
        assert!(
            std::time::Instant::now() < deadline,
            "condition not met in 20 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn file_sink_rotates_by_size_and_keeps_retention() {
    let d = Daemon::start(
        "[[source]]\ntype = \"tcp\"\nname = \"t\"\nlisten = \"127.0.0.1:0\"\n\
         [[sink]]\ntype = \"file\"\nmax_bytes = 1024\nretain_files = 3\n",
    );
    let mut s = TcpStream::connect(d.addr("t")).unwrap();
    for batch in 0..10 {
        for i in 0..10 {
            writeln!(s, "batch {batch} line {i} {}", "x".repeat(40)).unwrap();
        }
        s.flush().unwrap();
        // Let each write land as its own batch so that rotation happens between batches.
        wait_for(|| d.output().contains(&format!("batch {batch} line 9")));
    }
    let files: Vec<_> = std::fs::read_dir(d.data().join("out"))
        .unwrap()
        .flatten()
        .collect();
    // 3 closed segments + the current one.
    assert_eq!(files.len(), 4, "{files:?}");
    for f in &files {
        assert!(
            f.metadata().unwrap().len() <= 1024 + 600,
            "segment too large"
        );
    }
    // The newest records are all there, in order.
    assert!(d
        .output()
        .trim_end()
        .ends_with(&format!("batch 9 line 9 {}", "x".repeat(40))));
}

#[test]
fn file_sink_rotates_by_time() {
    let d = Daemon::start(
        "[[source]]\ntype = \"tcp\"\nname = \"t\"\nlisten = \"127.0.0.1:0\"\n\
         [[sink]]\ntype = \"file\"\nmax_age_secs = 1\n",
    );
    let mut s = TcpStream::connect(d.addr("t")).unwrap();
    writeln!(s, "first").unwrap();
    d.wait_lines(1);
    // The writer's idle tick closes a segment older than max_age; the next record opens a new one.
    std::thread::sleep(Duration::from_millis(2200));
    writeln!(s, "second").unwrap();
    d.wait_lines(2);
    let n = std::fs::read_dir(d.data().join("out")).unwrap().count();
    assert_eq!(n, 2);
}

#[test]
fn shipped_example_config_is_valid() {
    let p = concat!(env!("CARGO_MANIFEST_DIR"), "/logscrubd.example.toml");
    // The environment checks need a data directory this user can create, and the forwards it names are not
    // running here (`--offline`).
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(p).unwrap().replace(
        "data_dir = \"/var/lib/logscrubd\"",
        &format!("data_dir = \"{}\"", dir.path().join("data").display()),
    );
    let p1 = dir.path().join("example.toml");
    std::fs::write(&p1, &text).unwrap();
    let out = check_config(&p1, &["--offline"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every commented-out option is valid too once uncommented (except files that must exist: TLS, tokens, keys).
    let uncommented: String = text
        .lines()
        .map(|l| {
            let t = l.trim_start();
            let skip = [
                "tls",
                "token_file",
                "policy_file",
                "key_file",
                "[scrub.policy",
                "disable",
                "default =",
                "account =",
                "encrypt_to",
                "path = \"/var",
                "path = \"/run",
            ];
            let keep = [
                "type", "name", "listen", "start_at", "poll_ms", "url", "address",
            ];
            if let Some(rest) = t.strip_prefix("# ") {
                let option = (rest.starts_with('[') && !rest.starts_with("[scrub"))
                    || keep.iter().any(|k| rest.starts_with(k));
                if option && !skip.iter().any(|s| rest.starts_with(s)) {
                    return rest.to_string();
                }
            }
            l.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
        .replace(
            "type = \"unix\"",
            &format!(
                "type = \"unix\"\npath = \"{}/s.sock\"",
                dir.path().display()
            ),
        )
        .replace(
            "type = \"tail\"\nname = \"app\"",
            &format!(
                "type = \"tail\"\nname = \"app\"\npath = \"{}/app.log\"",
                dir.path().display()
            ),
        );
    let p2 = dir.path().join("all.toml");
    std::fs::write(&p2, &uncommented).unwrap();
    let out = check_config(&p2, &["--offline"]);
    assert!(
        out.status.success(),
        "{}\n{uncommented}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("7 sources, 4 sinks"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn age_encrypts_closed_segments() {
    if !has_tool("age") || !has_tool("age-keygen") {
        eprintln!(
            "SKIPPED age_encrypts_closed_segments: `age` not installed (apt-get install age)"
        );
        return;
    }
    let keys = tempfile::tempdir().unwrap();
    let key = keys.path().join("key.txt");
    let st = Command::new("age-keygen")
        .arg("-o")
        .arg(&key)
        .output()
        .unwrap();
    assert!(st.status.success());
    let recipient = std::fs::read_to_string(&key)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("# public key: ").map(str::to_string))
        .unwrap();
    let mut d = Daemon::start(&format!(
        "[[source]]\ntype = \"tcp\"\nname = \"t\"\nlisten = \"127.0.0.1:0\"\n\
         [[sink]]\ntype = \"file\"\nmax_bytes = 1024\nencrypt_to = [\"{recipient}\"]\n"
    ));
    let mut want = String::new();
    let mut s = TcpStream::connect(d.addr("t")).unwrap();
    for i in 0..60 {
        let l = format!("line {i} card {CARD} {}", "y".repeat(30));
        writeln!(s, "{l}").unwrap();
        want.push_str(&engine_scrub(&l));
        want.push('\n');
    }
    drop(s);
    // Wait until everything is persisted (the current segment is plaintext until closed).
    let out_dir = d.data().join("out");
    wait_for(|| {
        let mut n = 0;
        for e in std::fs::read_dir(&out_dir).unwrap().flatten() {
            let p = e.path();
            let text = if p.extension().is_some_and(|x| x == "log") {
                std::fs::read_to_string(&p).unwrap_or_default()
            } else if p.to_string_lossy().ends_with(".log.age") {
                let o = Command::new("age")
                    .arg("-d")
                    .arg("-i")
                    .arg(&key)
                    .arg(&p)
                    .output()
                    .unwrap();
                String::from_utf8_lossy(&o.stdout).into_owned()
            } else {
                String::new()
            };
            n += text.lines().count();
        }
        n >= 60
    });
    assert!(d.stop().success());
    let mut files: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(files.len() > 2, "{files:?}");
    let mut got = String::new();
    for f in &files {
        assert!(
            f.to_string_lossy().ends_with(".log.age"),
            "plaintext left: {f:?}"
        );
        let bytes = std::fs::read(f).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("REDACTED"),
            "not encrypted: {f:?}"
        );
        let out = Command::new("age")
            .arg("-d")
            .arg("-i")
            .arg(&key)
            .arg(f)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "age -d failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        got.push_str(&String::from_utf8(out.stdout).unwrap());
    }
    assert_eq!(got, want);
    assert_no_raw_on_disk(&d.data());
}

#[test]
fn sigterm_persists_what_a_connected_peer_already_sent() {
    let mut d = Daemon::start(&format!(
        "[[source]]\ntype = \"tcp\"\nname = \"t\"\nlisten = \"127.0.0.1:0\"\n{FILE_SINK}"
    ));
    let mut s = TcpStream::connect(d.addr("t")).unwrap();
    let mut want = String::new();
    for i in 0..2000 {
        let l = format!("drain {i}: card {CARD}");
        writeln!(s, "{l}").unwrap();
        want.push_str(&engine_scrub(&l));
        want.push('\n');
    }
    s.flush().unwrap();
    // SIGTERM right away, with the connection still open and data possibly unread.
    let st = d.stop();
    assert!(st.success(), "{st}");
    assert_eq!(d.output(), want);
    drop(s);
    assert_no_raw_on_disk(&d.data());
}
