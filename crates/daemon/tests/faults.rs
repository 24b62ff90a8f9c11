//! Fault suite (loopback only, bounded in time): what a hostile but fair client sees.
//!
//! - `kill9_on_every_path`: HTTP NDJSON, OTLP/HTTP JSON, syslog over TCP with octet counting and a tailed file
//!   are fed at once while the daemon is killed with SIGKILL again and again and restarted. Per path it reports
//!   records sent / acknowledged / lost / duplicated, and checks that no planted raw value, and no body line of a
//!   PEM private key sent one line per record, is in any file under `data_dir`.
//! - `idle_connections_and_slow_uploads`: many idle connections and concurrent slow uploads; the daemon stays
//!   up, other clients are served, peak RSS stays within the in-flight budget plus a stated margin.
//!
//! CI runs a small variant (about a minute). `LOGSCRUB_FAULTS=full` runs the figures recorded in the daemon
//! README and benches/RESULTS.md (15 kills; 2,000 idle connections; 100 slow 16 MiB uploads):
//! `LOGSCRUB_FAULTS=full cargo test -p logscrub-daemon --release --test faults -- --nocapture --test-threads 1`.

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;

fn full() -> bool {
    std::env::var("LOGSCRUB_FAULTS").is_ok_and(|v| v == "full")
}

/// A PEM private key as a program logs it: one line per record.
const KEY: &[&str] = &[
    "-----BEGIN RSA PRIVATE KEY-----",
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
    "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
    "LY4ukrspiTV1EXm4aHfh3ja4kcQ4q9yKpyy+3Ee2fjSeaagy6nnYG5hdNaZBbxl7",
    "-----END RSA PRIVATE KEY-----",
];

/// Files under `dir` holding a planted raw value or a key body line (the first 20 characters, which a JSON
/// encoder does not escape).
fn raw_files(dir: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    for (p, text) in files_under(dir) {
        for raw in RAW
            .iter()
            .copied()
            .chain(KEY[1..KEY.len() - 1].iter().map(|b| &b[..20]))
        {
            let n = text.matches(raw).count();
            if n > 0 {
                found.push(format!(
                    "{} x{n} in {}",
                    &raw[..8.min(raw.len())],
                    p.display()
                ));
            }
        }
    }
    found
}

/// The text of record `id` of path `p` (every 10th carries planted values).
fn text(p: char, id: u64) -> String {
    if id % 10 == 0 {
        format!("{p}-{id:07} card {CARD} via {DB_URL} key {AWS}")
    } else {
        format!("{p}-{id:07} order shipped to warehouse 7, status=ok")
    }
}

/// Ids of path `p` in the output, with their counts.
fn seen(out: &str, p: char) -> HashMap<u64, u32> {
    let mut m = HashMap::new();
    let tag = format!("{p}-");
    for l in out.lines() {
        let mut rest = l;
        while let Some(i) = rest.find(&tag) {
            let digits = rest[i + 2..].get(..7);
            rest = &rest[i + 2..];
            if let Some(id) = digits.and_then(|d| d.parse::<u64>().ok()) {
                *m.entry(id).or_default() += 1;
                break;
            }
        }
    }
    m
}

#[derive(Default)]
struct Path {
    sent: AtomicU64,
    acked: AtomicU64,
    retries: AtomicU64,
}

/// POSTs until a 200; counts failed tries.
fn post_until_ok(
    addr: SocketAddr,
    path: &str,
    ctype: &str,
    body: &[u8],
    st: &Path,
    deadline: Instant,
) {
    loop {
        assert!(Instant::now() < deadline, "a client did not finish in time");
        match try_http(addr, "POST", path, &[("Content-Type", ctype)], body) {
            Ok((200, _, _)) => return,
            _ => {
                st.retries.fetch_add(1, Relaxed);
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

fn ndjson_key() -> String {
    KEY.iter()
        .map(|l| {
            serde_json::json!({"log": format!("{l}\n"), "container_id": "c1", "stream": "stderr"})
                .to_string()
                + "\n"
        })
        .collect()
}

fn otlp_body(records: &[String]) -> String {
    let recs: Vec<serde_json::Value> = records
        .iter()
        .map(|t| serde_json::json!({"body": {"stringValue": t}}))
        .collect();
    serde_json::json!({"resourceLogs": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "shop"}}]}, "scopeLogs": [{"scope": {"name": "app"}, "logRecords": recs}]}]}).to_string()
}

fn octet(msg: &str) -> String {
    format!("{} {msg}", msg.len())
}

#[test]
fn kill9_on_every_path() {
    let (n, kills) = if full() {
        (20_000u64, 15u32)
    } else {
        (2_000, 3)
    };
    const BATCH: u64 = 50;
    let (p_web, p_otlp, p_sys) = (free_port(), free_port(), free_port());
    let logs = tempfile::tempdir().unwrap();
    let file = logs.path().join("app.log");
    std::fs::write(&file, b"").unwrap();
    let mut d = Daemon::start(&format!(
        "[[source]]\ntype = \"http\"\nname = \"web\"\nlisten = \"127.0.0.1:{p_web}\"\n\
         [[source]]\ntype = \"http\"\nname = \"otlp\"\nlisten = \"127.0.0.1:{p_otlp}\"\n\
         [[source]]\ntype = \"syslog\"\nname = \"sys\"\nprotocol = \"tcp\"\nlisten = \"127.0.0.1:{p_sys}\"\n\
         [[source]]\ntype = \"tail\"\nname = \"app\"\npath = \"{}\"\npoll_ms = 10\n\
         [[sink]]\ntype = \"file\"\nmax_bytes = 262144\n",
        file.display()
    ));
    let at = |p: u16| -> SocketAddr { format!("127.0.0.1:{p}").parse().unwrap() };
    let deadline = Instant::now() + Duration::from_secs(if full() { 600 } else { 150 });
    let stats: Arc<[Path; 4]> = Arc::new(Default::default());
    // The syslog and tail clients are paced to span the whole kill phase (a kill and restart take about 0.7 s).
    let pace = Duration::from_millis(u64::from(kills) * 700 / (n / BATCH));
    let done = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();

    // HTTP NDJSON, with a PEM key as Docker json-file records (one line per record) in every 10th request.
    {
        let stats = stats.clone();
        clients.push(std::thread::spawn(move || {
            let st = &stats[0];
            let mut id = 0;
            while id < n {
                let end = (id + BATCH).min(n);
                let mut body: String = (id..end)
                    .map(|i| serde_json::json!({"msg": text('h', i)}).to_string() + "\n")
                    .collect();
                if (id / BATCH) % 10 == 5 {
                    body.push_str(&ndjson_key());
                }
                st.sent.fetch_add(end - id, Relaxed);
                post_until_ok(
                    at(p_web),
                    "/ingest",
                    "application/x-ndjson",
                    body.as_bytes(),
                    st,
                    deadline,
                );
                st.acked.fetch_add(end - id, Relaxed);
                id = end;
            }
        }));
    }
    // OTLP/HTTP JSON, with the key as consecutive log records in every 10th request.
    {
        let stats = stats.clone();
        clients.push(std::thread::spawn(move || {
            let st = &stats[1];
            let mut id = 0;
            while id < n {
                let end = (id + BATCH).min(n);
                let mut recs: Vec<String> = (id..end).map(|i| text('o', i)).collect();
                if (id / BATCH) % 10 == 5 {
                    recs.extend(KEY.iter().map(|l| l.to_string()));
                }
                st.sent.fetch_add(end - id, Relaxed);
                post_until_ok(
                    at(p_otlp),
                    "/v1/logs",
                    "application/json",
                    otlp_body(&recs).as_bytes(),
                    st,
                    deadline,
                );
                st.acked.fetch_add(end - id, Relaxed);
                id = end;
            }
        }));
    }
    // Syslog over TCP with octet counting: no acknowledgement exists, so "acknowledged" is "written to the socket";
    // on an error the client reconnects and goes on with the next message (what rsyslog's omfwd does).
    {
        let stats = stats.clone();
        clients.push(std::thread::spawn(move || {
            let st = &stats[2];
            let mut conn: Option<TcpStream> = None;
            let mut id = 0;
            while id < n {
                assert!(
                    Instant::now() < deadline,
                    "the syslog client did not finish in time"
                );
                let end = (id + BATCH).min(n);
                let mut frames: String = (id..end)
                    .map(|i| {
                        octet(&format!(
                            "<13>1 2026-12-01T10:00:00Z web01 shop 42 - - {}",
                            text('s', i)
                        ))
                    })
                    .collect();
                if (id / BATCH) % 10 == 5 {
                    for l in KEY {
                        frames.push_str(&octet(&format!(
                            "<11>1 2026-12-01T10:00:00Z web01 shop 42 - - {l}"
                        )));
                    }
                }
                st.sent.fetch_add(end - id, Relaxed);
                // A failed write is retried on a new connection (rsyslog's action resume): frames written to a
                // socket whose daemon was then killed are what can be lost.
                loop {
                    assert!(
                        Instant::now() < deadline,
                        "the syslog client did not finish in time"
                    );
                    if conn.is_none() {
                        conn = TcpStream::connect(at(p_sys)).ok();
                    }
                    match conn.as_mut().map(|c| c.write_all(frames.as_bytes())) {
                        Some(Ok(())) => break,
                        _ => {
                            conn = None;
                            st.retries.fetch_add(1, Relaxed);
                            std::thread::sleep(Duration::from_millis(20));
                        }
                    }
                }
                st.acked.fetch_add(end - id, Relaxed);
                id = end;
                std::thread::sleep(pace);
            }
        }));
    }
    // A tailed file: "acknowledged" is "appended"; the checkpoint advances only after fdatasync.
    {
        let stats = stats.clone();
        let file = file.clone();
        clients.push(std::thread::spawn(move || {
            let st = &stats[3];
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&file)
                .unwrap();
            let mut id = 0;
            while id < n {
                let end = (id + BATCH).min(n);
                let mut chunk: String = (id..end).map(|i| text('t', i) + "\n").collect();
                if (id / BATCH) % 10 == 5 {
                    chunk.extend(KEY.iter().map(|l| format!("{l}\n")));
                }
                f.write_all(chunk.as_bytes()).unwrap();
                st.sent.fetch_add(end - id, Relaxed);
                st.acked.fetch_add(end - id, Relaxed);
                id = end;
                std::thread::sleep(pace);
            }
        }));
    }

    let mut rng = XorShift::from_clock();
    let seed0 = rng.0;
    let mut rnd = move || rng.next();
    let mut done_kills = 0;
    for _ in 0..kills {
        std::thread::sleep(Duration::from_millis(150 + rnd() % 400));
        if stats.iter().all(|s| s.acked.load(Relaxed) >= n) {
            break;
        }
        d.kill9();
        done_kills += 1;
        d.spawn(std::process::Stdio::null());
    }
    for c in clients {
        c.join().expect("a client panicked");
    }
    done.store(true, Relaxed);
    // The tail and syslog paths have no acknowledgement to wait for: wait until their records stop arriving.
    let mut last = 0;
    let mut still = 0;
    while still < 10 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        let out = d.output();
        let t = seen(&out, 't').len();
        if t as u64 == n && t == last {
            break;
        }
        still = if t == last { still + 1 } else { 0 };
        last = t;
    }
    assert!(d.stop().success());
    let out = d.output();
    let mut lost_acked = Vec::new();
    for (i, (p, name)) in [
        ('h', "http"),
        ('o', "otlp"),
        ('s', "syslog-octet"),
        ('t', "tail"),
    ]
    .iter()
    .enumerate()
    {
        let s = seen(&out, *p);
        let lost = (0..n).filter(|i| !s.contains_key(i)).count();
        let dup: u64 = s.values().map(|&c| u64::from(c) - 1).sum();
        let st = &stats[i];
        println!(
            "FAULTS kill -9 {name}: sent={} acknowledged={} lost={lost} duplicated={dup} client_retries={} kills={done_kills} seed={seed0}",
            st.sent.load(Relaxed),
            st.acked.load(Relaxed),
            st.retries.load(Relaxed),
        );
        if *p != 's' {
            lost_acked.push((*name, lost));
        }
    }
    let raw = raw_files(&d.data());
    println!(
        "FAULTS raw planted values (incl. PEM key body lines) under data_dir: {}",
        raw.len()
    );
    assert!(
        done_kills >= 2,
        "the load ended before enough kills ({done_kills})"
    );
    for (name, lost) in lost_acked {
        assert_eq!(lost, 0, "{name}: acknowledged records lost");
    }
    assert!(raw.is_empty(), "raw values on disk: {raw:?}");
}

/// Resident set size and its peak of a process, in KiB (`/proc/PID/status`).
fn rss_kib(pid: u32) -> (u64, u64) {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let get = |k: &str| {
        s.lines()
            .find_map(|l| l.strip_prefix(k)?.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    (get("VmRSS:"), get("VmHWM:"))
}

#[allow(clippy::unnecessary_cast)] // rlim_t is not u64 everywhere
fn open_files_limit() -> u64 {
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct we own.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) } != 0 {
        return 1024;
    }
    r.rlim_cur as u64
}

#[test]
fn idle_connections_and_slow_uploads() {
    let want_idle: u64 = if full() { 2_000 } else { 400 };
    // The test and the daemon each hold one descriptor per connection; keep 200 spare for both.
    let idle_n = want_idle.min(open_files_limit().saturating_sub(200));
    let (uploads, upload_bytes, budget): (usize, usize, usize) = if full() {
        (100, 16 << 20, 256 << 20)
    } else {
        (12, 2 << 20, 8 << 20)
    };
    let mut d = Daemon::start(&format!(
        "max_connections = {}\nmax_inflight_bytes = {budget}\nrequest_timeout_secs = 120\n\
         [metrics]\nlisten = \"127.0.0.1:0\"\n\
         [[source]]\ntype = \"syslog\"\nname = \"sys\"\nprotocol = \"tcp\"\nlisten = \"127.0.0.1:0\"\n\
         [[source]]\ntype = \"http\"\nname = \"web\"\nlisten = \"127.0.0.1:0\"\n\
         [[sink]]\ntype = \"file\"\n",
        idle_n + uploads as u64 + 50
    ));
    let pid = d.child.as_ref().unwrap().id();
    let (rss0, _) = rss_kib(pid);

    // Idle connections, half on syslog, half on HTTP (no request sent).
    let t0 = Instant::now();
    let mut idle = Vec::new();
    for i in 0..idle_n {
        let a = if i % 2 == 0 {
            d.addr("sys")
        } else {
            d.addr("web")
        };
        idle.push(TcpStream::connect(a).expect("connect an idle client"));
    }
    std::thread::sleep(Duration::from_millis(500));
    let (st, _, _) = http(
        d.addr("web"),
        "POST",
        "/ingest",
        &[],
        format!("served {CARD}\n").as_bytes(),
    );
    assert_eq!(
        st, 200,
        "another client is served beside {idle_n} idle connections"
    );
    let mut s = TcpStream::connect(d.addr("sys")).unwrap();
    s.write_all(b"<13>1 - h app - - - syslog served too\n")
        .unwrap();
    drop(s);
    d.wait_lines(2);
    assert_eq!(http(d.metrics_addr(), "GET", "/readyz", &[], b"").0, 200);
    let (rss_idle, _) = rss_kib(pid);
    let per_conn = (rss_idle.saturating_sub(rss0)) / idle_n.max(1);
    assert!(
        per_conn < 256,
        "an idle connection costs {per_conn} KiB of RSS"
    );
    println!(
        "FAULTS idle: {idle_n} idle connections (fd limit {}) held in {:?}; other clients served; RSS {} -> {} KiB",
        open_files_limit(),
        t0.elapsed(),
        rss0,
        rss_idle
    );

    // Concurrent slow uploads: each sends its body in 64 KiB pieces with pauses. Small requests go on meanwhile.
    let stop = Arc::new(AtomicBool::new(false));
    let web = d.addr("web");
    let mut ups = Vec::new();
    for u in 0..uploads {
        ups.push(std::thread::spawn(move || -> u16 {
            let Ok(mut c) = TcpStream::connect(web) else { return 0 };
            c.set_read_timeout(Some(Duration::from_secs(300))).unwrap();
            let line = format!("upload {u:03} a line of an export that is slow to arrive, status=ok\n");
            let mut body = Vec::with_capacity(upload_bytes);
            while body.len() + line.len() <= upload_bytes {
                body.extend_from_slice(line.as_bytes());
            }
            if write!(c, "POST /ingest HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).is_err() {
                return 0;
            }
            for piece in body.chunks(64 << 10) {
                if c.write_all(piece).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(if u % 2 == 0 { 5 } else { 20 }));
            }
            let mut r = Vec::new();
            let _ = c.read_to_end(&mut r);
            parse_response(&r).0
        }));
    }
    let small = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let (mut ok, mut other) = (0u32, 0u32);
            while !stop.load(Relaxed) {
                match try_http(
                    web,
                    "POST",
                    "/ingest",
                    &[],
                    b"small request during the uploads\n",
                ) {
                    Ok((200, _, _)) => ok += 1,
                    _ => other += 1,
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            (ok, other)
        })
    };
    let mut peak = 0;
    let mut codes: HashMap<u16, u32> = HashMap::new();
    for u in ups {
        while !u.is_finished() {
            peak = peak.max(rss_kib(pid).0);
            std::thread::sleep(Duration::from_millis(50));
        }
        *codes.entry(u.join().unwrap()).or_default() += 1;
    }
    stop.store(true, Relaxed);
    let (ok, other) = small.join().unwrap();
    let (_, hwm) = rss_kib(pid);
    assert!(
        d.child.as_mut().unwrap().try_wait().unwrap().is_none(),
        "the daemon died"
    );
    assert_eq!(http(d.metrics_addr(), "GET", "/healthz", &[], b"").0, 200);
    let bound_kib =
        ((2 * budget + (idle_n as usize + uploads) * (64 << 10)) >> 10) as u64 + 65_536 + rss0;
    println!(
        "FAULTS slow uploads: {uploads} x {} MiB, budget {} MiB: answers {codes:?}; small requests ok={ok} other={other}; \
         RSS peak {peak} KiB (VmHWM {hwm} KiB), bound {bound_kib} KiB",
        upload_bytes >> 20,
        budget >> 20
    );
    assert!(
        ok > 0 && other == 0,
        "small requests were not all served: ok={ok} other={other}"
    );
    assert!(
        codes.get(&200).copied().unwrap_or(0) > 0,
        "no upload accepted: {codes:?}"
    );
    assert!(
        codes.keys().all(|c| *c == 200 || *c == 503),
        "uploads answered other than 200 or 503: {codes:?}"
    );
    assert!(
        hwm <= bound_kib,
        "peak RSS {hwm} KiB above the bound {bound_kib} KiB"
    );
    drop(idle);
    assert_no_raw_on_disk(&d.data());
}
