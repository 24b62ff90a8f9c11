//! End-to-end tests of the issue 12 defects (logscrubd v2): each test plants what a hostile but fair client
//! would send and checks what reached disk. All on loopback, every wait bounded.

mod common;

use std::io::Write;
use std::net::{TcpStream, UdpSocket};
use std::time::Duration;

use common::*;

/// A PEM private key as a program logs it: one line per record.
const KEY: &[&str] = &[
    "-----BEGIN RSA PRIVATE KEY-----",
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
    "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
    "LY4ukrspiTV1EXm4aHfh3ja4kcQ4q9yKpyy+3Ee2fjSeaagy6nnYG5hdNaZBbxl7",
    "-----END RSA PRIVATE KEY-----",
];

/// No body line of [`KEY`] in any file under `dir`.
fn assert_no_key_body_on_disk(dir: &std::path::Path) {
    for (p, text) in files_under(dir) {
        for body in &KEY[1..KEY.len() - 1] {
            // A JSON encoder may escape `/` or `+`; the first 20 characters have neither.
            assert!(
                !text.contains(&body[..20]),
                "private key line found in {}:\n{text}",
                p.display()
            );
        }
    }
}

fn sources(kinds: &[(&str, &str)]) -> String {
    let mut s = String::new();
    for (name, extra) in kinds {
        s.push_str(&format!(
            "[[source]]\nname = \"{name}\"\nlisten = \"127.0.0.1:0\"\n{extra}\n"
        ));
    }
    s.push_str(FILE_SINK);
    s
}

#[test]
fn defect1_private_key_one_line_per_record_is_redacted_on_every_path() {
    let d = Daemon::start(&sources(&[
        ("st", "type = \"syslog\"\nprotocol = \"tcp\""),
        ("su", "type = \"syslog\"\nprotocol = \"udp\""),
        ("web", "type = \"http\""),
    ]));
    let mut expected = 0;
    // syslog over TCP with octet counting, as `logger --rfc5424 --tcp --octet-count < key.pem` sends it.
    let mut s = TcpStream::connect(d.addr("st")).unwrap();
    for l in KEY {
        let m = format!("<13>1 2026-12-01T10:00:00.000Z web01 keytool 77 - - {l}");
        write!(s, "{} {}", m.len(), m).unwrap();
    }
    // RFC 3164 with LF framing (`logger --rfc3164`).
    for l in KEY {
        writeln!(s, "<13>Dec  1 10:00:00 web01 keytool[78]: {l}").unwrap();
    }
    s.flush().unwrap();
    drop(s);
    expected += 2 * KEY.len();
    // syslog over UDP, one datagram per line.
    let u = UdpSocket::bind("127.0.0.1:0").unwrap();
    for l in KEY {
        let m = format!("<13>1 - web02 keytool 79 - - {l}");
        u.send_to(m.as_bytes(), d.addr("su")).unwrap();
        // Keep datagram order.
        std::thread::sleep(Duration::from_millis(20));
    }
    expected += KEY.len();
    // HTTP, Docker json-file records, one request per record and then all in one NDJSON body.
    for l in KEY {
        let rec = serde_json::json!({"log": format!("{l}\n"), "stream": "stderr", "time": "2026-12-01T10:00:00Z", "container_id": "c0ffee"});
        let (st, _, r) = http(
            d.addr("web"),
            "POST",
            "/ingest",
            &[("Content-Type", "application/json")],
            rec.to_string().as_bytes(),
        );
        assert_eq!(st, 200, "{r}");
    }
    let body: String = KEY
        .iter()
        .map(|l| {
            serde_json::json!({"log": format!("{l}\n"), "stream": "stdout", "container_id": "beef"})
                .to_string()
                + "\n"
        })
        .collect();
    let (st, _, r) = http(d.addr("web"), "POST", "/ingest", &[], body.as_bytes());
    assert_eq!(st, 200, "{r}");
    expected += 2 * KEY.len();
    // HTTP plain text, one line per request.
    for l in KEY {
        let (st, _, r) = http(
            d.addr("web"),
            "POST",
            "/ingest",
            &[],
            format!("{l}\n").as_bytes(),
        );
        assert_eq!(st, 200, "{r}");
    }
    expected += KEY.len();
    // OTLP JSON, one record per request (as a batching exporter with a small batch sends them).
    for l in KEY {
        let body = serde_json::json!({"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"keytool"}}]},
            "scopeLogs":[{"scope":{"name":"app"},"logRecords":[{"body":{"stringValue": l}}]}]}]});
        let (st, _, r) = http(
            d.addr("web"),
            "POST",
            "/v1/logs",
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        );
        assert_eq!(st, 200, "{r}");
    }
    expected += KEY.len();
    let out = d.wait_lines(expected);
    assert_eq!(
        out.matches("[REDACTED:private_key]").count(),
        7 * (KEY.len() - 2),
        "{out}"
    );
    assert_eq!(out.matches(KEY[0]).count(), 7, "markers are kept: {out}");
    assert_no_key_body_on_disk(&d.data());
}

#[test]
fn defect2_syslog_header_fields_are_scrubbed() {
    let d = Daemon::start(&sources(&[("st", "type = \"syslog\"\nprotocol = \"tcp\"")]));
    let mut s = TcpStream::connect(d.addr("st")).unwrap();
    // Planted in HOSTNAME, APP-NAME, PROCID and MSGID (RFC 5424), host and tag (RFC 3164).
    let msgs = [
        format!("<13>1 2026-12-01T10:00:00Z {DB_URL} app 1 - - a"),
        format!("<13>1 2026-12-01T10:00:00Z h {AWS} 1 - - b"),
        "<13>1 2026-12-01T10:00:00Z h app 4111111111111111 - - c".to_string(),
        format!("<13>1 2026-12-01T10:00:00Z h app 1 {AWS} - d"),
        format!("<13>Dec  1 10:00:00 {DB_URL} su[1]: e"),
        format!("<13>Dec  1 10:00:00 web01 {AWS}[2]: f"),
    ];
    for m in &msgs {
        write!(s, "{} {}", m.len(), m).unwrap();
    }
    s.flush().unwrap();
    drop(s);
    let out = d.wait_lines(msgs.len());
    let got: Vec<&str> = out.lines().collect();
    assert!(
        got[2].starts_with("<13>1 2026-12-01T10:00:00Z h app [REDACTED:"),
        "{out}"
    );
    assert!(
        got[5].starts_with("<13>Dec  1 10:00:00 web01 [REDACTED:aws_access_key_id][2]: f"),
        "{out}"
    );
    for (g, tail) in got.iter().zip(["a", "b", "c", "d", "e", "f"]) {
        assert!(g.ends_with(&format!(" {tail}")), "{g}");
    }
    assert_no_raw_on_disk(&d.data());
}

/// A line of about `size` bytes with a card number every 10 000 bytes, so that some sit across any cut.
fn long_line(prefix: &str, size: usize) -> String {
    let mut s = prefix.to_string();
    let mut k = 0;
    while s.len() < size {
        s.push_str(&"lorem ipsum ".repeat(830));
        s.push_str(&format!("card {CARD} n{k} "));
        k += 1;
    }
    s
}

#[test]
fn defect3_long_messages_are_scanned_with_overlap_and_digit_lines_are_lf_framed() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app.log");
    std::fs::write(&app, "").unwrap();
    let d = Daemon::start(&format!(
        "{}[[source]]\ntype = \"tail\"\nname = \"t\"\npath = \"{}\"\npoll_ms = 20\n",
        sources(&[("st", "type = \"syslog\"\nprotocol = \"tcp\"")]),
        app.display()
    ));
    let mut s = TcpStream::connect(d.addr("st")).unwrap();
    // LF-framed messages that begin with a digit are messages, not octet counts.
    writeln!(s, "2026-12-01 10:00:00 backup done").unwrap();
    writeln!(s, "404 not found").unwrap();
    // A 3 MiB LF-framed message and a 3 MiB octet-counted one, sent in small writes.
    let big = long_line("<13>1 - web01 app 1 - - ", 3 << 20);
    for c in format!("{big}\n").as_bytes().chunks(10_000) {
        s.write_all(c).unwrap();
    }
    let counted = format!("{} {big}", big.len());
    for c in counted.as_bytes().chunks(10_000) {
        s.write_all(c).unwrap();
    }
    writeln!(s, "<13>1 - web01 app 1 - - after").unwrap();
    s.flush().unwrap();
    drop(s);
    // A 3 MiB line in a tailed file.
    std::fs::write(&app, long_line("tail ", 3 << 20) + "\nnext\n").unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        let out = d.output();
        if out.contains("<13>1 - web01 app 1 - - after") && out.contains("\nnext\n") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "not all persisted");
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = d.output();
    assert!(
        out.contains("2026-12-01 10:00:00 backup done\n"),
        "digit line lost"
    );
    assert!(out.contains("404 not found\n"), "digit line lost");
    let cards = 3 * ((3 << 20) / 10_000);
    assert!(
        out.matches("card [REDACTED:credit_card] n").count() >= cards,
        "every planted card is redacted"
    );
    assert_no_raw_on_disk(&d.data());
}

#[test]
fn defect4_connection_cap_idle_timeouts_memory_budget_and_readiness() {
    let dir = tempfile::tempdir().unwrap();
    let d = Daemon::start(&format!(
        "max_connections = 20\nidle_timeout_secs = 1\nrequest_timeout_secs = 3\nmax_inflight_bytes = 8388608\n\
         [metrics]\nlisten = \"127.0.0.1:0\"\n{}\
         [[source]]\ntype = \"tail\"\nname = \"t\"\npath = \"{}\"\npoll_ms = 20\n",
        sources(&[
            ("st", "type = \"syslog\"\nprotocol = \"tcp\""),
            ("web", "type = \"http\""),
        ]),
        dir.path().join("app.log").display()
    ));
    // 30 idle connections: 20 are served, 10 are closed at once and counted; the served ones are closed after
    // the idle timeout, and a new sender is served.
    let idle: Vec<TcpStream> = (0..30)
        .map(|_| TcpStream::connect(d.addr("st")).unwrap())
        .collect();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while metric(&d, "logscrubd_refused_connections_total{source=\"st\"}") < 10 {
        assert!(
            std::time::Instant::now() < deadline,
            "no connection refused"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    for mut c in idle {
        c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut b = [0u8; 1];
        assert_eq!(
            std::io::Read::read(&mut c, &mut b).unwrap_or(0),
            0,
            "an idle connection stays open"
        );
    }
    let mut s = TcpStream::connect(d.addr("st")).unwrap();
    writeln!(s, "<13>1 - h app - - - served after the idle ones").unwrap();
    drop(s);
    d.wait_lines(1);
    // An HTTP connection that sends nothing is closed too.
    let mut h = TcpStream::connect(d.addr("web")).unwrap();
    h.set_read_timeout(Some(Duration::from_secs(40))).unwrap();
    let mut b = [0u8; 1];
    assert_eq!(std::io::Read::read(&mut h, &mut b).unwrap_or(0), 0);

    // Slow uploads of 3 MiB bodies hold most of the 8 MiB budget; meanwhile another large body is answered 503 with
    // Retry-After and small requests are still served.
    let mut slow = Vec::new();
    for _ in 0..2 {
        let mut c = TcpStream::connect(d.addr("web")).unwrap();
        write!(
            c,
            "POST /ingest HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
            3 << 20
        )
        .unwrap();
        c.write_all(&vec![b'a'; (3 << 20) - 10]).unwrap();
        slow.push(c);
    }
    std::thread::sleep(Duration::from_millis(300));
    let big = vec![b'b'; 3 << 20];
    let (st, headers, _) = http(d.addr("web"), "POST", "/ingest", &[], &big);
    assert_eq!(st, 503);
    assert!(headers.iter().any(|(k, _)| k == "retry-after"));
    let (st, _, r) = http(
        d.addr("web"),
        "POST",
        "/ingest",
        &[],
        format!("small {CARD}\n").as_bytes(),
    );
    assert_eq!(st, 200, "{r}");
    // The stalled uploads are answered 408 after the request timeout and give their share back.
    for mut c in slow {
        c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut r = Vec::new();
        let _ = std::io::Read::read_to_end(&mut c, &mut r);
        assert!(
            String::from_utf8_lossy(&r).starts_with("HTTP/1.1 408"),
            "{}",
            String::from_utf8_lossy(&r)
        );
    }
    let (st, _, r) = http(d.addr("web"), "POST", "/ingest", &[], &big);
    assert_eq!(st, 200, "{r}");

    // A source that stops for good makes /readyz fail: the tail cannot write its checkpoint.
    let (st, _, _) = http(d.metrics_addr(), "GET", "/readyz", &[], b"");
    assert_eq!(st, 200);
    std::fs::remove_dir_all(d.data().join("checkpoints")).ok();
    std::fs::write(d.data().join("checkpoints"), "not a directory").unwrap();
    std::fs::write(dir.path().join("app.log"), "line\n").unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let (st, _, _) = http(d.metrics_addr(), "GET", "/readyz", &[], b"");
        if st == 503 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "/readyz still 200 after the tail stopped"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let (st, _, _) = http(d.metrics_addr(), "GET", "/healthz", &[], b"");
    assert_eq!(st, 200);
    assert_eq!(metric(&d, "logscrubd_source_up{source=\"t\"}"), 0);
}

#[test]
fn defect7_a_bad_config_on_sighup_is_recorded_without_its_text() {
    let cfg = sources(&[("web", "type = \"http\"")]);
    let d = Daemon::start(&cfg);
    // An operator pastes a token into the wrong place and forgets the closing quote.
    d.write_config(&format!(
        "{cfg}\n[findings]\nenabled = true\ntoken = \"op-secret-9f8e7d6c5b4a\n"
    ));
    d.signal(libc::SIGHUP);
    let log = d.data().join("reloads.jsonl");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let text = loop {
        let t = std::fs::read_to_string(&log).unwrap_or_default();
        if t.contains("refused") {
            break t;
        }
        assert!(std::time::Instant::now() < deadline, "no reload recorded");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(!text.contains("op-secret-9f8e7d6c5b4a"), "{text}");
    assert!(
        text.contains("logscrubd.toml") && text.contains("line"),
        "{text}"
    );
}

#[test]
fn defect6_owner_only_files_refused_readable_secrets_and_long_findings_hashes() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app.log");
    std::fs::write(&app, format!("tail {CARD}\n")).unwrap();
    // umask 022, as on most systems: the daemon's files must still be owner-only.
    let old = unsafe { libc::umask(0o022) };
    let mut d = Daemon::start(&format!(
        "{}[[source]]\ntype = \"tail\"\nname = \"t\"\npath = \"{}\"\npoll_ms = 20\n",
        sources(&[("web", "type = \"http\"")]),
        app.display()
    ));
    unsafe { libc::umask(old) };
    let (st, _, _) = http(
        d.addr("web"),
        "POST",
        "/ingest",
        &[],
        format!("x {CARD}\n").as_bytes(),
    );
    assert_eq!(st, 200);
    d.wait_lines(2);
    d.signal(libc::SIGHUP);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !d.data().join("reloads.jsonl").exists() {
        assert!(std::time::Instant::now() < deadline, "no reload record");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut stack = vec![d.data()];
    let mut files = 0;
    while let Some(p) = stack.pop() {
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        if p.is_dir() {
            assert_eq!(mode, 0o700, "{}", p.display());
            stack.extend(std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()));
        } else {
            assert_eq!(mode, 0o600, "{}", p.display());
            files += 1;
        }
    }
    assert!(
        files >= 5,
        "segment, findings, checkpoint, reloads, bound.json"
    );
    // Findings hashes are 128 bits.
    let f = std::fs::read_to_string(d.data().join("findings.jsonl")).unwrap();
    let v: serde_json::Value = serde_json::from_str(f.lines().next().unwrap()).unwrap();
    assert_eq!(v["hash"].as_str().unwrap().len(), 32, "{f}");
    d.stop();

    // A token file other users can read is refused, naming the file and the chmod to run.
    let token = dir.path().join("token");
    std::fs::write(&token, "tok-0123456789abcdef-xyz\n").unwrap();
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o644)).unwrap();
    let cfg = dir.path().join("c.toml");
    std::fs::write(
        &cfg,
        format!(
            "[daemon]\ndata_dir = \"{}\"\n[[source]]\ntype = \"http\"\nlisten = \"127.0.0.1:0\"\ntoken_file = \"{}\"\n{FILE_SINK}",
            dir.path().join("d2").display(),
            token.display()
        ),
    )
    .unwrap();
    let out = check_config(&cfg, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("chmod 600 {}", token.display())),
        "{err}"
    );
    assert!(!err.contains("tok-0123456789abcdef"), "{err}");
}

#[test]
fn defect8_disk_full_stops_acknowledging_keeps_health_and_resumes() {
    // The findings log is a link to /dev/full (every write fails with ENOSPC, like a full disk); replacing the
    // link with a file gives the space back.
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("findings.jsonl");
    std::os::unix::fs::symlink("/dev/full", &link).unwrap();
    let d = Daemon::start(&format!(
        "[findings]\npath = \"{}\"\n[metrics]\nlisten = \"127.0.0.1:0\"\n{}",
        link.display(),
        sources(&[("web", "type = \"http\"")])
    ));
    let addr = d.addr("web");
    let first = std::thread::spawn(move || {
        try_http(
            addr,
            "POST",
            "/ingest",
            &[],
            format!("x {CARD}\n").as_bytes(),
        )
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while metric(&d, "logscrubd_storage_full ") != 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "storage full not reported"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Not acknowledged, still healthy, not ready; new requests are answered 503 with Retry-After.
    assert!(!first.is_finished());
    let (st, headers, _) = http(
        addr,
        "POST",
        "/ingest",
        &[],
        format!("y {CARD}\n").as_bytes(),
    );
    assert_eq!(st, 503);
    assert!(headers.iter().any(|(k, _)| k == "retry-after"));
    assert_eq!(http(d.metrics_addr(), "GET", "/healthz", &[], b"").0, 200);
    assert_eq!(http(d.metrics_addr(), "GET", "/readyz", &[], b"").0, 503);
    // Space returns: the held request is acknowledged, the daemon is ready again and accepts new records.
    std::fs::remove_file(&link).unwrap();
    std::fs::write(&link, "").unwrap();
    let (st, _, r) = first.join().unwrap().expect("first request answered");
    assert_eq!(st, 200, "{r}");
    assert_eq!(metric(&d, "logscrubd_storage_full "), 0);
    assert_eq!(metric(&d, "logscrubd_storage_full_events_total"), 1);
    assert_eq!(http(d.metrics_addr(), "GET", "/readyz", &[], b"").0, 200);
    let (st, _, _) = http(
        addr,
        "POST",
        "/ingest",
        &[],
        format!("z {CARD}\n").as_bytes(),
    );
    assert_eq!(st, 200);
    let out = d.wait_lines(2);
    assert_eq!(
        out.matches("[REDACTED:credit_card]").count(),
        2,
        "no duplicate after the rollback: {out}"
    );
    assert_no_raw_on_disk(&d.data());
}

/// `${VAR}` in the configuration comes from the environment; an unset one stops the start with the file, line
/// and variable named.
#[test]
fn config_interpolates_environment_variables() {
    // SAFETY (edition 2021: safe): a variable name no other test reads; children inherit it.
    std::env::set_var("LOGSCRUBD_TEST_SOURCE_NAME", "from-env");
    let d = Daemon::start(
        "[[source]]\ntype = \"http\"\nname = \"${LOGSCRUBD_TEST_SOURCE_NAME}\"\nlisten = \"${LOGSCRUBD_TEST_UNSET_LISTEN:-127.0.0.1:0}\"\n[[sink]]\ntype = \"file\"\n",
    );
    let (st, _, _) = http(d.addr("from-env"), "POST", "/ingest", &[], b"via env\n");
    assert_eq!(st, 200);
    assert_eq!(d.output(), "via env\n");
    let out = check_config(d.config_path(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    d.write_config("[[source]]\ntype = \"stdin\"\nname = \"${LOGSCRUBD_TEST_NEVER_SET}\"\n");
    let out = check_config(d.config_path(), &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("line 6: environment variable LOGSCRUBD_TEST_NEVER_SET is not set"),
        "{err}"
    );
}

/// Each sink takes the sources named in its `inputs` (default: all); a batch is acknowledged once every sink that
/// takes it has it; an input that names no source is refused at check.
#[test]
fn sinks_take_the_sources_named_in_their_inputs() {
    let d = Daemon::start(
        "[[source]]\ntype = \"http\"\nname = \"a\"\nlisten = \"127.0.0.1:0\"\n\
         [[source]]\ntype = \"http\"\nname = \"b\"\nlisten = \"127.0.0.1:0\"\n\
         [[sink]]\ntype = \"file\"\ninputs = [\"a\"]\n\
         [[sink]]\ntype = \"file\"\ndir = \"out-b\"\ninputs = [\"b\"]\n\
         [[sink]]\ntype = \"file\"\ndir = \"out-all\"\n",
    );
    for (src, line) in [("a", "to a"), ("b", format!("to b {CARD}").leak() as &str)] {
        let (st, _, _) = http(
            d.addr(src),
            "POST",
            "/ingest",
            &[],
            format!("{line}\n").as_bytes(),
        );
        assert_eq!(st, 200);
    }
    let b_line = engine_scrub(&format!("to b {CARD}")) + "\n";
    assert_eq!(d.output(), "to a\n");
    assert_eq!(read_segments(&d.data().join("out-b")), b_line);
    assert_eq!(
        read_segments(&d.data().join("out-all")),
        format!("to a\n{b_line}")
    );
    d.write_config(
        "[[source]]\ntype = \"stdin\"\nname = \"a\"\n[[sink]]\ntype = \"file\"\ninputs = [\"a\", \"nope\"]\n",
    );
    let out = check_config(d.config_path(), &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("sink[0].inputs[1]: no source has this name"),
        "{err}"
    );
}
