//! Forwarding sinks, daemon to daemon on loopback: HTTP NDJSON forward (retried while the receiver is down; the
//! upstream client gets its 200 only once the receiver has the records) and syslog forward (octet counting).

mod common;

use std::net::TcpListener;
use std::time::Duration;

use common::*;

#[test]
fn http_forward_retries_until_the_receiver_is_up() {
    let port_b = free_port();
    let a = Daemon::start(&format!(
        "[[source]]\ntype = \"http\"\nname = \"in\"\nlisten = \"127.0.0.1:0\"\n\
         [[sink]]\ntype = \"file\"\n\
         [[sink]]\ntype = \"http\"\nurl = \"http://127.0.0.1:{port_b}/ingest\"\ntimeout_secs = 2\n"
    ));
    let lines = [
        format!("fwd card {CARD}"),
        format!("fwd db {DB_URL}"),
        "fwd plain".to_string(),
    ];
    let body = lines.join("\n") + "\n";
    let addr = a.addr("in");
    let client = std::thread::spawn(move || http(addr, "POST", "/ingest", &[], body.as_bytes()));
    // The receiver is down: A keeps retrying and the client has no answer yet.
    std::thread::sleep(Duration::from_millis(400));
    assert!(
        !client.is_finished(),
        "acknowledged before the forward succeeded"
    );
    let b = Daemon::start(&format!(
        "[[source]]\ntype = \"http\"\nname = \"b\"\nlisten = \"127.0.0.1:{port_b}\"\n[[sink]]\ntype = \"file\"\n"
    ));
    let (st, _, _) = client.join().unwrap();
    assert_eq!(st, 200);
    let want: String = lines.iter().map(|l| engine_scrub(l) + "\n").collect();
    assert_eq!(b.output(), want);
    assert_eq!(a.output(), want);
    assert_no_raw_on_disk(&a.data());
    assert_no_raw_on_disk(&b.data());
}

#[test]
fn syslog_forward_with_octet_counting() {
    let b = Daemon::start(
        "[[source]]\ntype = \"syslog\"\nname = \"sb\"\nprotocol = \"tcp\"\nlisten = \"127.0.0.1:0\"\n[[sink]]\ntype = \"file\"\n",
    );
    let a = Daemon::start(&format!(
        "[[source]]\ntype = \"http\"\nname = \"in\"\nlisten = \"127.0.0.1:0\"\n\
         [[sink]]\ntype = \"syslog\"\naddress = \"{}\"\n",
        b.addr("sb")
    ));
    let lines = [
        format!("<13>1 2026-11-28T10:00:00Z h app - - - card {CARD}"),
        format!("<34>Oct 11 22:14:15 host su: key {AWS}"),
    ];
    let (st, _, _) = http(
        a.addr("in"),
        "POST",
        "/ingest",
        &[],
        (lines.join("\n") + "\n").as_bytes(),
    );
    assert_eq!(st, 200);
    let out = b.wait_lines(2);
    assert_eq!(
        out,
        "<13>1 2026-11-28T10:00:00Z h app - - - card [REDACTED:credit_card]\n<34>Oct 11 22:14:15 host su: key [REDACTED:aws_access_key_id]\n"
    );
    assert_no_raw_on_disk(&b.data());
}

/// The daemon's own logs go through logscrub-tracing: an http sink URL carrying credentials (operator-supplied
/// text) is logged on every failed forward attempt and named in the final error, and the password must come out
/// scrubbed on stderr, both in the log lines and in the error printed at exit.
#[test]
fn own_logs_scrub_credentials_in_a_forward_url() {
    const PW: &str = "s3cr3tPw";
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("logscrubd.toml");
    std::fs::write(
        &cfg,
        format!(
            "[daemon]\ndata_dir = \"{}\"\n[[source]]\ntype = \"stdin\"\n\
             [[sink]]\ntype = \"http\"\nurl = \"http://logger:{PW}@127.0.0.1:1/ingest\"\n\
             timeout_secs = 2\nmax_retries = 1\n",
            dir.path().join("data").display()
        ),
    )
    .unwrap();
    let mut child = std::process::Command::new(bin())
        .arg("--config")
        .arg(&cfg)
        .env("LOGSCRUBD_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn logscrubd");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"one record\n").unwrap();
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("logscrubd did not give up on the forward in 30 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(2), "{err}");
    let warn = err
        .lines()
        .find(|l| l.contains("forward failed; retrying"))
        .unwrap_or_else(|| panic!("no forward warning logged: {err}"));
    assert!(
        warn.contains("url=http://logger:[REDACTED:"),
        "URL not scrubbed as a URL in: {warn}"
    );
    assert!(
        err.contains("gave up after 2 attempts"),
        "final error missing: {err}"
    );
    assert!(!err.contains(PW), "password on stderr: {err}");
}

/// A bare HTTP/1.1 receiver on loopback: answers every POST 200 (closing after each answer when `close_each`),
/// and counts connections and requests and keeps the bodies.
struct Receiver {
    port: u16,
    connections: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    bodies: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Receiver {
    fn start(close_each: bool) -> Receiver {
        use std::io::{BufRead, BufReader, Read, Write};
        use std::sync::atomic::Ordering::SeqCst;
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let r = Receiver {
            port,
            connections: Default::default(),
            bodies: Default::default(),
        };
        let (conns, bodies) = (r.connections.clone(), r.bodies.clone());
        std::thread::spawn(move || {
            for s in l.incoming() {
                let Ok(s) = s else { continue };
                conns.fetch_add(1, SeqCst);
                let bodies = bodies.clone();
                std::thread::spawn(move || {
                    let mut w = s.try_clone().unwrap();
                    let mut r = BufReader::new(s);
                    loop {
                        let mut len = 0usize;
                        let mut line = String::new();
                        loop {
                            line.clear();
                            if r.read_line(&mut line).unwrap_or(0) == 0 {
                                return;
                            }
                            if line == "\r\n" {
                                break;
                            }
                            let lower = line.to_ascii_lowercase();
                            if let Some(v) = lower.strip_prefix("content-length:") {
                                len = v.trim().parse().unwrap();
                            }
                        }
                        let mut body = vec![0u8; len];
                        r.read_exact(&mut body).unwrap();
                        bodies
                            .lock()
                            .unwrap()
                            .push(String::from_utf8(body).unwrap());
                        let close = if close_each {
                            "Connection: close\r\n"
                        } else {
                            ""
                        };
                        let answer =
                            format!("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n{close}\r\nok\n");
                        w.write_all(answer.as_bytes()).unwrap();
                        if close_each {
                            return;
                        }
                    }
                });
            }
        });
        r
    }
}

/// Three groups forwarded one after the other: one kept-alive connection carries them all, and a receiver that
/// closes after each answer gets a new connection per group (nothing lost either way).
#[test]
fn http_forward_reuses_its_connection() {
    use std::sync::atomic::Ordering::SeqCst;
    for close_each in [false, true] {
        let recv = Receiver::start(close_each);
        let a = Daemon::start(&format!(
            "[[source]]\ntype = \"http\"\nname = \"in\"\nlisten = \"127.0.0.1:0\"\n\
             [[sink]]\ntype = \"http\"\nurl = \"http://127.0.0.1:{}/ingest\"\ntimeout_secs = 5\n",
            recv.port
        ));
        let lines = [
            format!("one {CARD}"),
            "two".to_string(),
            format!("three {AWS}"),
        ];
        for l in &lines {
            let (st, _, _) = http(
                a.addr("in"),
                "POST",
                "/ingest",
                &[],
                format!("{l}\n").as_bytes(),
            );
            assert_eq!(st, 200);
        }
        let want: Vec<String> = lines.iter().map(|l| engine_scrub(l) + "\n").collect();
        assert_eq!(*recv.bodies.lock().unwrap(), want);
        let expected_connections = if close_each { 3 } else { 1 };
        assert_eq!(
            recv.connections.load(SeqCst),
            expected_connections,
            "close_each = {close_each}"
        );
    }
}

/// A loopback HTTP server that accepts connections and never answers (a stalled forward target).
struct BlackHole {
    port: u16,
    accepted: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl BlackHole {
    fn start() -> BlackHole {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let n = accepted.clone();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for s in l.incoming().flatten() {
                n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                held.push(s);
            }
        });
        BlackHole { port, accepted }
    }
}

/// Each sink runs in its own task: a forward whose receiver never answers holds back only the batches routed
/// to it. Fails on the single writer thread of before, where the stalled forward's sync blocked every group, so
/// the other source was never acknowledged.
#[test]
fn a_stalled_forward_does_not_stop_the_file_sink() {
    let hole = BlackHole::start();
    let d = Daemon::start(&format!(
        "[metrics]\nlisten = \"127.0.0.1:0\"\n\
         [[source]]\ntype = \"http\"\nname = \"fast\"\nlisten = \"127.0.0.1:0\"\n\
         [[source]]\ntype = \"http\"\nname = \"slow\"\nlisten = \"127.0.0.1:0\"\n\
         [[sink]]\ntype = \"file\"\n\
         [[sink]]\ntype = \"http\"\nurl = \"http://127.0.0.1:{}/ingest\"\ntimeout_secs = 60\ninputs = [\"slow\"]\n",
        hole.port
    ));
    let slow = d.addr("slow");
    let stalled = std::thread::spawn(move || {
        try_http(
            slow,
            "POST",
            "/ingest",
            &[],
            format!("slow card {CARD}\n").as_bytes(),
        )
    });
    // The file sink has the slow source's record although the forward is stuck on it.
    let out = d.wait_lines(1);
    assert_eq!(out, engine_scrub(&format!("slow card {CARD}")) + "\n");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while hole.accepted.load(std::sync::atomic::Ordering::SeqCst) == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the forward never connected"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The other source is written, synced and acknowledged meanwhile, again and again.
    for i in 0..3 {
        let mut s = std::net::TcpStream::connect(d.addr("fast")).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let body = format!("fast {i} db {DB_URL}\n");
        use std::io::{Read, Write};
        write!(
            s,
            "POST /ingest HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut resp = Vec::new();
        let r = s.read_to_end(&mut resp);
        let (st, _, _) = parse_response(&resp);
        assert!(
            r.is_ok() && st == 200,
            "fast source not acknowledged within 10 s while the forward is stalled ({r:?}, status {st})"
        );
    }
    let out = d.wait_lines(4);
    for i in 0..3 {
        assert!(
            out.contains(&(engine_scrub(&format!("fast {i} db {DB_URL}")) + "\n")),
            "{out}"
        );
    }
    // The slow source's record waits for the forward: at-least-once means no answer until every sink has it.
    assert!(
        !stalled.is_finished(),
        "acknowledged before the forward had it"
    );
    // A second one waits in the forward's own queue, which the metrics show.
    let second = std::thread::spawn(move || try_http(slow, "POST", "/ingest", &[], b"slow two\n"));
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while metric(&d, "logscrubd_sink_queue_depth{sink=\"http_1\"}") != 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "the waiting batch is not in the forward's queue depth"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(metric(&d, "logscrubd_sink_queue_depth{sink=\"file_0\"}"), 0);
    assert!(!second.is_finished());
    assert_no_raw_on_disk(&d.data());
}
