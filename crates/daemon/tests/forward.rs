//! Forwarding sinks, daemon to daemon on loopback: HTTP NDJSON forward (retried while the receiver is down; the
//! upstream client gets its 200 only once the receiver has the records) and syslog forward (octet counting).

mod common;

use std::net::TcpListener;
use std::time::Duration;

use common::*;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

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
