//! Interop with real clients started by the tests: util-linux `logger` (syslog over TCP with octet counting and
//! LF framing, and UDP), `curl` (HTTPS ingest with a bearer token), and the OpenTelemetry Python SDK's OTLP/HTTP
//! log exporter (protobuf). Each test prints SKIPPED and returns when its tool is missing.
//!
//! Packages: apt `bsdutils` (logger), `curl`, `python3`; pip `opentelemetry-sdk`
//! `opentelemetry-exporter-otlp-proto-http`.

mod common;

use std::process::Command;

use common::*;

fn logger_ok() -> bool {
    if !has_tool("logger") {
        return false;
    }
    // busybox logger lacks the remote options.
    Command::new("logger")
        .arg("--help")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("--octet-count"))
        .unwrap_or(false)
}

/// Splits an RFC 5424 line into its header (through MSGID and the space after SD) and MSG.
fn split_5424(line: &str) -> (&str, &str) {
    // <PRI>1 TS HOST APP PROCID MSGID SD MSG; SD here is `-` or `[...]` without spaces inside values we send.
    let mut idx = 0;
    for _ in 0..6 {
        idx += line[idx..].find(' ').expect("header field") + 1;
    }
    let rest = &line[idx..];
    let sd_end = if rest.starts_with('-') {
        1
    } else {
        rest.find("] ").expect("structured data") + 1
    };
    (&line[..idx + sd_end + 1], &line[idx + sd_end + 1..])
}

#[test]
fn logger_syslog_tcp_octet_counting_and_lf_framing() {
    if !logger_ok() {
        eprintln!("SKIPPED logger_syslog_tcp_*: util-linux `logger` not installed (apt-get install bsdutils)");
        return;
    }
    let d = Daemon::start(
        "[[source]]\ntype = \"syslog\"\nname = \"st\"\nprotocol = \"tcp\"\nlisten = \"127.0.0.1:0\"\n[[sink]]\ntype = \"file\"\n",
    );
    let port = d.addr("st").port().to_string();
    let msgs = [
        format!("card {CARD} charged"),
        format!("db {DB_URL} down"),
        "an ordinary message".to_string(),
    ];
    for (i, m) in msgs.iter().enumerate() {
        let mut cmd = Command::new("logger");
        cmd.args([
            "--rfc5424",
            "--tcp",
            "-n",
            "127.0.0.1",
            "-P",
            &port,
            "-t",
            "shop",
            "--msgid",
            "PAY",
        ]);
        if i != 1 {
            cmd.arg("--octet-count");
        }
        let st = cmd.arg(m).status().expect("run logger");
        assert!(st.success());
    }
    let out = d.wait_lines(3);
    let got: Vec<&str> = out.lines().collect();
    assert_eq!(got.len(), 3, "{out}");
    // One connection per logger run: records of different connections have no order between them.
    let mut got_msgs = Vec::new();
    for line in &got {
        let (header, msg) = split_5424(line);
        assert!(header.starts_with("<13>1 "), "{line}");
        assert!(
            header.contains(" shop ") && header.contains(" PAY "),
            "{line}"
        );
        got_msgs.push(msg.to_string());
    }
    let mut want: Vec<String> = msgs.iter().map(|m| engine_scrub(m)).collect();
    got_msgs.sort();
    want.sort();
    assert_eq!(got_msgs, want, "{out}");
    assert_no_raw_on_disk(&d.data());
}

#[test]
fn logger_syslog_udp_rfc5424_and_rfc3164() {
    if !logger_ok() {
        eprintln!("SKIPPED logger_syslog_udp_*: util-linux `logger` not installed (apt-get install bsdutils)");
        return;
    }
    let d = Daemon::start(
        "[[source]]\ntype = \"syslog\"\nname = \"su\"\nprotocol = \"udp\"\nlisten = \"127.0.0.1:0\"\n[[sink]]\ntype = \"file\"\n",
    );
    let port = d.addr("su").port().to_string();
    let m1 = format!("udp key {AWS} used");
    let st = Command::new("logger")
        .args([
            "--rfc5424",
            "--udp",
            "-n",
            "127.0.0.1",
            "-P",
            &port,
            "-t",
            "app",
        ])
        .arg(&m1)
        .status()
        .unwrap();
    assert!(st.success());
    d.wait_lines(1);
    let m2 = format!("legacy card {CARD}");
    let st = Command::new("logger")
        .args([
            "--rfc3164",
            "--udp",
            "-n",
            "127.0.0.1",
            "-P",
            &port,
            "-t",
            "old",
        ])
        .arg(&m2)
        .status()
        .unwrap();
    assert!(st.success());
    let out = d.wait_lines(2);
    let got: Vec<&str> = out.lines().collect();
    let (_, msg) = split_5424(got[0]);
    assert_eq!(msg, engine_scrub(&m1));
    // RFC 3164: `<13>Mmm dd hh:mm:ss HOST old: MSG`.
    assert!(got[1].starts_with("<13>"), "{}", got[1]);
    assert!(
        got[1].ends_with(&format!(" old: {}", engine_scrub(&m2))),
        "{}",
        got[1]
    );
    assert_no_raw_on_disk(&d.data());
}

#[test]
fn curl_https_ingest_with_bearer_token() {
    if !has_tool("curl") {
        eprintln!("SKIPPED curl_https_ingest_with_bearer_token: `curl` not installed (apt-get install curl)");
        return;
    }
    let pki = Pki::new();
    let token = pki.p("token");
    std::fs::write(&token, "interop-token-abcdefghijklmnop\n").unwrap();
    chmod600(&token);
    let d = Daemon::start(&format!(
        "[[source]]\ntype = \"http\"\nname = \"web\"\nlisten = \"127.0.0.1:0\"\ntoken_file = \"{}\"\n{}[[sink]]\ntype = \"file\"\n",
        token.display(),
        pki.tls_table(false)
    ));
    let lines = [
        format!("{{\"event\":\"pay\",\"card\":\"{CARD}\"}}"),
        format!("{{\"event\":\"db\",\"url\":\"{DB_URL}\"}}"),
        "{\"event\":\"noop\"}".to_string(),
    ];
    let events = pki.p("events.ndjson");
    std::fs::write(&events, lines.join("\n") + "\n").unwrap();
    let url = format!("https://localhost:{}/ingest", d.addr("web").port());
    let run = |auth: &str| {
        let out = Command::new("curl")
            .args([
                "-sS",
                "--max-time",
                "20",
                "-o",
                "-",
                "-w",
                "\n%{http_code}",
                "--cacert",
            ])
            .arg(pki.p("ca.pem"))
            .args([
                "--resolve",
                &format!("localhost:{}:127.0.0.1", d.addr("web").port()),
            ])
            .args([
                "-X",
                "POST",
                "-H",
                "Content-Type: application/x-ndjson",
                "-H",
                auth,
                "--data-binary",
            ])
            .arg(format!("@{}", events.display()))
            .arg(&url)
            .output()
            .expect("run curl");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let denied = run("Authorization: Bearer wrong-token-wrong-token");
    assert!(denied.ends_with("401"), "{denied}");
    assert_eq!(d.output(), "");
    let ok = run("Authorization: Bearer interop-token-abcdefghijklmnop");
    assert_eq!(ok, "{\"accepted\":3}\n200");
    let want: String = lines.iter().map(|l| engine_scrub(l) + "\n").collect();
    assert_eq!(d.output(), want);
    // TLS 1.1 is refused (curl's own minimum may already forbid it; either way no session).
    let old = Command::new("curl")
        .args([
            "-sS",
            "--max-time",
            "10",
            "--tlsv1.1",
            "--tls-max",
            "1.1",
            "-k",
            "-X",
            "POST",
            "--data",
            "x",
        ])
        .arg(&url)
        .args([
            "--resolve",
            &format!("localhost:{}:127.0.0.1", d.addr("web").port()),
        ])
        .output()
        .unwrap();
    assert!(!old.status.success());
    assert_no_raw_on_disk(&d.data());
}

const OTEL_SCRIPT: &str = r#"
import logging, sys
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from opentelemetry.exporter.otlp.proto.http import Compression

endpoint, card, db, comp = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
compression = Compression.Gzip if comp == "gzip" else Compression.NoCompression
provider = LoggerProvider(resource=Resource.create({"service.name": "checkout"}))
exporter = OTLPLogExporter(endpoint=endpoint, timeout=10, compression=compression)
provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
handler = LoggingHandler(level=logging.INFO, logger_provider=provider)
log = logging.getLogger("shop")
log.setLevel(logging.INFO)
log.addHandler(handler)
log.propagate = False
log.info("charged card %s", card, extra={"db.url": db, "order": "A-17"})
log.warning("plain message")
provider.shutdown()
"#;

#[test]
fn opentelemetry_python_sdk_otlp_http_exporter() {
    let probe = Command::new("python3")
        .args([
            "-c",
            "import opentelemetry.sdk._logs, opentelemetry.exporter.otlp.proto.http._log_exporter",
        ])
        .output();
    if !probe.map(|o| o.status.success()).unwrap_or(false) {
        eprintln!(
            "SKIPPED opentelemetry_python_sdk_otlp_http_exporter: python3 with opentelemetry-sdk and \
             opentelemetry-exporter-otlp-proto-http not installed (pip install opentelemetry-sdk opentelemetry-exporter-otlp-proto-http)"
        );
        return;
    }
    let d = Daemon::start(
        "[[source]]\ntype = \"http\"\nname = \"otlp\"\nlisten = \"127.0.0.1:0\"\n[[sink]]\ntype = \"file\"\n",
    );
    let endpoint = format!("http://127.0.0.1:{}/v1/logs", d.addr("otlp").port());
    let run = |comp: &str| {
        let out = Command::new("python3")
            .args(["-c", OTEL_SCRIPT, &endpoint, CARD, DB_URL, comp])
            .output()
            .expect("run python3");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{stderr}");
        assert!(!stderr.contains("Failed to export"), "{stderr}");
    };
    run("none");
    let text = d.wait_lines(2);
    let recs: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let first = &recs[0];
    assert_eq!(
        first["logRecord"]["body"]["stringValue"],
        engine_scrub(&format!("charged card {CARD}")).as_str()
    );
    assert_eq!(first["logRecord"]["severityText"], "INFO");
    let attrs = first["logRecord"]["attributes"].as_array().unwrap();
    let get = |k: &str| {
        attrs
            .iter()
            .find(|a| a["key"] == k)
            .map(|a| a["value"]["stringValue"].clone())
    };
    assert_eq!(get("order").unwrap(), "A-17");
    let db = get("db.url").unwrap();
    assert!(
        db.as_str().unwrap().contains("[REDACTED") && !db.as_str().unwrap().contains(DB_PASS),
        "{db}"
    );
    let svc = first["resource"]["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == "service.name")
        .unwrap();
    assert_eq!(svc["value"]["stringValue"], "checkout");
    assert_eq!(recs[1]["logRecord"]["body"]["stringValue"], "plain message");
    // The same with gzip-compressed requests (the Collector's otlphttp exporter compresses by default).
    run("gzip");
    let text = d.wait_lines(4);
    let lines: Vec<&str> = text.lines().collect();
    let third: serde_json::Value = serde_json::from_str(lines[2]).unwrap();
    assert_eq!(
        third["logRecord"]["body"]["stringValue"],
        engine_scrub(&format!("charged card {CARD}")).as_str()
    );
    assert_no_raw_on_disk(&d.data());
}
