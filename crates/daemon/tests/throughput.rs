//! Throughput harness (not a test: ignored by default, no timing assertions). Run once for figures, in release:
//!
//! ```text
//! cargo test --release -p logscrub-daemon --test throughput -- --ignored --nocapture
//! ```
//!
//! It measures HTTP NDJSON ingest and syslog-over-TCP ingest into the file sink (fsync "always"), with 10 % of
//! the records carrying planted sensitive values, and prints records/s and MB/s (raw input bytes).

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;

const CLIENTS: usize = 4;

fn line(i: usize) -> String {
    if i % 10 == 0 {
        format!("{{\"ts\":\"2026-11-28T10:00:00Z\",\"level\":\"info\",\"msg\":\"payment with card {CARD} via {DB_URL}\",\"req\":{i}}}")
    } else {
        format!("{{\"ts\":\"2026-11-28T10:00:00Z\",\"level\":\"info\",\"msg\":\"GET /api/v1/orders/{i} 200 12ms user=42 region=eu-west-1\",\"req\":{i}}}")
    }
}

fn persisted(d: &Daemon) -> u64 {
    let (_, _, body) = http(d.metrics_addr(), "GET", "/metrics", &[], b"");
    body.lines()
        .find_map(|l| l.strip_prefix("logscrubd_persisted_records_total "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

#[test]
#[ignore = "throughput harness: run explicitly in release for figures"]
fn throughput_http_and_syslog_tcp() {
    let d = Daemon::start(
        "[metrics]\nlisten = \"127.0.0.1:0\"\n\
         [[source]]\ntype = \"http\"\nname = \"web\"\nlisten = \"127.0.0.1:0\"\n\
         [[source]]\ntype = \"syslog\"\nname = \"st\"\nprotocol = \"tcp\"\nlisten = \"127.0.0.1:0\"\n\
         [[sink]]\ntype = \"file\"\nmax_bytes = 268435456\n",
    );

    // HTTP: CLIENTS threads, requests of 1000 NDJSON records, each answered after fdatasync.
    let per_request = 1000;
    let requests = 50;
    let body: Vec<String> = (0..CLIENTS)
        .map(|c| {
            (0..per_request)
                .map(|i| line(c * per_request + i) + "\n")
                .collect()
        })
        .collect();
    let bytes_per_req = body[0].len();
    let addr = d.addr("web");
    let t = Instant::now();
    let hs: Vec<_> = body
        .into_iter()
        .map(|b| {
            std::thread::spawn(move || {
                for _ in 0..requests {
                    let (st, _, _) = http(
                        addr,
                        "POST",
                        "/ingest",
                        &[("Content-Type", "application/x-ndjson")],
                        b.as_bytes(),
                    );
                    assert_eq!(st, 200);
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    let secs = t.elapsed().as_secs_f64();
    let recs = (CLIENTS * requests * per_request) as f64;
    let mb = (CLIENTS * requests * bytes_per_req) as f64 / 1e6;
    println!(
        "THROUGHPUT http ndjson: {recs} records, {mb:.1} MB in {secs:.2} s = {:.0} records/s, {:.1} MB/s",
        recs / secs,
        mb / secs
    );

    // Syslog over TCP: CLIENTS connections, octet-counted RFC 5424 messages.
    let before = persisted(&d);
    let per_conn = 50_000;
    let msgs: Vec<Vec<u8>> = (0..CLIENTS)
        .map(|c| {
            let mut v = Vec::new();
            for i in 0..per_conn {
                let m = format!(
                    "<13>1 2026-11-28T10:00:00.000Z web01 shop 4242 PAY - {}",
                    line(c * per_conn + i)
                );
                v.extend_from_slice(format!("{} {m}", m.len()).as_bytes());
            }
            v
        })
        .collect();
    let total_bytes: usize = msgs.iter().map(Vec::len).sum();
    let addr = d.addr("st");
    let t = Instant::now();
    let hs: Vec<_> = msgs
        .into_iter()
        .map(|m| {
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(addr).unwrap();
                s.write_all(&m).unwrap();
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    let want = before + (CLIENTS * per_conn) as u64;
    let deadline = Instant::now() + Duration::from_secs(600);
    while persisted(&d) < want {
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(5));
    }
    let secs = t.elapsed().as_secs_f64();
    let recs = (CLIENTS * per_conn) as f64;
    let mb = total_bytes as f64 / 1e6;
    println!(
        "THROUGHPUT syslog tcp: {recs} records, {mb:.1} MB in {secs:.2} s = {:.0} records/s, {:.1} MB/s",
        recs / secs,
        mb / secs
    );
}

/// Baseline for the figures above: the engine alone on the same records, one thread, no I/O.
#[test]
#[ignore = "throughput harness: run explicitly in release for figures"]
fn throughput_engine_baseline() {
    let s = logscrub_engine::Scrubber::default_rules().unwrap();
    let mut sc = s.scratch();
    let lines: Vec<String> = (0..100_000).map(line).collect();
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
    let mut out = Vec::with_capacity(bytes * 2);
    let t = Instant::now();
    for l in &lines {
        out.clear();
        s.scrub_line(l.as_bytes(), &mut out, &mut sc);
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "THROUGHPUT engine only (1 thread): {} records in {secs:.2} s = {:.0} records/s, {:.1} MB/s",
        lines.len(),
        lines.len() as f64 / secs,
        bytes as f64 / 1e6 / secs
    );
}

/// Issue 12 defect 5: the cost of one record as its number of findings grows. Prints time per KiB for records of
/// `?token=abc&` repeated (one finding every 11 bytes) at doubling sizes, through the HTTP text path; linear cost
/// means a flat time per KiB. No timing assertion (figures go to benches/RESULTS.md).
#[test]
#[ignore = "cost harness: run explicitly (release for figures)"]
fn cost_per_record_by_findings() {
    use logscrub_daemon::pipeline::BatchBuilder;
    let s = logscrub_engine::Scrubber::default_rules().expect("rules");
    let streams = std::sync::Mutex::new(logscrub_daemon::streams::StreamMap::default());
    println!("bytes\tfindings\tms\tus/KiB");
    for kib in [16usize, 32, 64, 128, 256] {
        let body = "?token=abc&".repeat(kib * 1024 / 11) + "\n";
        let mut b = BatchBuilder::new(std::sync::Arc::from("t"), s.clone(), Default::default());
        let t = Instant::now();
        logscrub_daemon::source::http::scrub_body(&mut b, &streams, "text/plain", body.as_bytes())
            .expect("body");
        let el = t.elapsed();
        let batch = b.take(None);
        println!(
            "{}\t{}\t{:.1}\t{:.1}",
            body.len(),
            batch.findings.len(),
            el.as_secs_f64() * 1e3,
            el.as_secs_f64() * 1e6 / kib as f64
        );
    }
}
