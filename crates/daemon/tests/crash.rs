//! Crash test: clients send N records over HTTP under load (retrying until they get 200), while the test kills
//! the daemon with SIGKILL at random moments several times and restarts it. Afterwards every record must be
//! persisted at least once, and no file under the data directory may hold a planted raw value. The figures
//! (N, kills, lost, duplicates) are printed (`cargo test -p logscrub-daemon --test crash -- --nocapture`).

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;

const N: u64 = 20_000;
const PER_REQUEST: u64 = 100;
const SENDERS: u64 = 4;
const KILLS: u32 = 5;

/// Every 10th record carries planted values (scanning them is slow in debug builds); the others are plain.
fn record(id: u64) -> String {
    if id % 10 == 0 {
        format!("{{\"id\":\"rec-{id:06}\",\"msg\":\"card {CARD} via {DB_URL}\",\"key\":\"{AWS}\"}}")
    } else {
        format!("{{\"id\":\"rec-{id:06}\",\"msg\":\"order shipped to warehouse 7, status=ok, items=3\"}}")
    }
}

#[test]
fn kill9_under_load_loses_nothing_and_never_writes_raw_values() {
    let port = free_port();
    let mut d = Daemon::start(&format!(
        "[[source]]\ntype = \"http\"\nname = \"web\"\nlisten = \"127.0.0.1:{port}\"\n\
         [[sink]]\ntype = \"file\"\nmax_bytes = 262144\n"
    ));
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let acked = Arc::new(AtomicU64::new(0));
    let retries = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(150);

    let mut senders = Vec::new();
    for s in 0..SENDERS {
        let acked = acked.clone();
        let retries = retries.clone();
        senders.push(std::thread::spawn(move || {
            let mut id = s * PER_REQUEST;
            while id < N {
                let body: String = (id..(id + PER_REQUEST).min(N))
                    .map(|i| record(i) + "\n")
                    .collect();
                loop {
                    assert!(Instant::now() < deadline, "senders did not finish in time");
                    let r = try_http(
                        addr,
                        "POST",
                        "/ingest",
                        &[("Content-Type", "application/x-ndjson")],
                        body.as_bytes(),
                    );
                    match r {
                        Ok((200, _, _)) => break,
                        _ => {
                            retries.fetch_add(1, Ordering::Relaxed);
                            std::thread::sleep(Duration::from_millis(20));
                        }
                    }
                }
                acked.fetch_add((id + PER_REQUEST).min(N) - id, Ordering::Relaxed);
                id += SENDERS * PER_REQUEST;
            }
        }));
    }

    // Random moments: a small xorshift seeded from the clock (printed, to reproduce).
    let mut rng = XorShift::from_clock();
    let seed0 = rng.0;
    let mut rnd = move || rng.next();
    // Kill points: random progress marks between 5 % and 90 % of N, then a random delay of up to 30 ms.
    let mut marks: Vec<u64> = (0..KILLS)
        .map(|_| N / 20 + rnd() % (N * 85 / 100))
        .collect();
    marks.sort_unstable();
    let mut kills = 0;
    let mut at_kill = Vec::new();
    for mark in marks {
        while acked.load(Ordering::Relaxed) < mark {
            assert!(Instant::now() < deadline, "no progress");
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_micros(rnd() % 30_000));
        if acked.load(Ordering::Relaxed) >= N {
            break;
        }
        at_kill.push(acked.load(Ordering::Relaxed));
        d.kill9();
        kills += 1;
        d.spawn(std::process::Stdio::null());
    }
    for s in senders {
        s.join().expect("sender panicked");
    }
    assert!(d.stop().success());

    // Every record at least once; count duplicates.
    let out = d.output();
    let mut seen: HashMap<u64, u32> = HashMap::new();
    let mut torn = 0;
    for line in out.split_inclusive('\n') {
        if !line.ends_with('\n') {
            torn += 1;
            continue;
        }
        let l = line.trim_end();
        let Some(pos) = l.find("\"id\":\"rec-") else {
            panic!("unexpected line: {l}");
        };
        let id: u64 = l[pos + 10..pos + 16].parse().unwrap();
        // Everything but the planted values is unchanged.
        if id % 10 == 0 {
            assert!(
                l.starts_with(&format!(
                    "{{\"id\":\"rec-{id:06}\",\"msg\":\"card [REDACTED:credit_card] via "
                )),
                "{l}"
            );
        } else {
            assert_eq!(l, record(id));
        }
        *seen.entry(id).or_default() += 1;
    }
    let lost: Vec<u64> = (0..N).filter(|i| !seen.contains_key(i)).collect();
    let duplicates: u64 = seen.values().map(|&c| u64::from(c) - 1).sum();
    println!(
        "CRASH TEST: N={N} kills={kills} (acked at kills: {at_kill:?}) lost={} duplicates={duplicates} torn_lines={torn} client_retries={} seed={seed0}",
        lost.len(),
        retries.load(Ordering::Relaxed)
    );
    assert!(
        kills >= 3,
        "the load ended before enough kills ({kills}); raise N"
    );
    assert!(
        lost.is_empty(),
        "lost {} records, first {:?}",
        lost.len(),
        &lost[..lost.len().min(10)]
    );
    assert_eq!(torn, 0, "a torn final line must be repaired at restart");
    assert_no_raw_on_disk(&d.data());
}

/// The tail source under SIGKILL: a writer appends M lines (rotating the file once midway) while the daemon is
/// killed at random moments and restarted; every line must be persisted at least once (the checkpoint only
/// advances after fdatasync, and names the followed file from the moment it is opened), and no raw value may
/// reach the data directory.
#[test]
fn kill9_while_tailing_loses_no_line() {
    const M: u64 = 6_000;
    let logs = tempfile::tempdir().unwrap();
    let file = logs.path().join("app.log");
    std::fs::write(&file, b"").unwrap();
    let mut d = Daemon::start(&format!(
        "[[source]]\ntype = \"tail\"\nname = \"app\"\npath = \"{}\"\npoll_ms = 10\n[[sink]]\ntype = \"file\"\n",
        file.display()
    ));
    // The promise starts once the daemon follows the file (it records which file in its checkpoint when it
    // opens it): a file rotated away before the daemon ever opened it cannot be found again. On a loaded
    // machine the first start can take longer than the writer's first half.
    let cp = d.data().join("checkpoints").join("app.json");
    let started = Instant::now();
    while !cp.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the tail never opened its file"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let written = Arc::new(AtomicU64::new(0));
    let w = {
        let written = written.clone();
        let file = file.clone();
        let rotated = logs.path().join("app.log.1");
        std::thread::spawn(move || {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&file)
                .unwrap();
            for i in 0..M {
                if i == M / 2 {
                    // Rotation: the rest goes to a new file (the old one is drained by the daemon).
                    std::fs::rename(&file, &rotated).unwrap();
                    f = std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(&file)
                        .unwrap();
                }
                let l = if i % 10 == 0 {
                    format!("line-{i:06} card {CARD}\n")
                } else {
                    format!("line-{i:06} ok\n")
                };
                f.write_all(l.as_bytes()).unwrap();
                written.store(i + 1, Ordering::Relaxed);
                if i % 20 == 0 {
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        })
    };
    let mut rng = XorShift::from_clock();
    let seed0 = rng.0;
    let mut kills = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    for k in 1..=3u64 {
        // Kill at roughly k/4 of the writing, before the rotation for the first kill.
        while written.load(Ordering::Relaxed) < M * k / 4 {
            assert!(Instant::now() < deadline);
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_micros(rng.next() % 20_000));
        d.kill9();
        kills += 1;
        d.spawn(std::process::Stdio::null());
    }
    w.join().unwrap();
    // Wait until every line is there.
    let mut seen: HashMap<u64, u32> = HashMap::new();
    loop {
        seen.clear();
        for l in d.output().lines() {
            if let Some(n) = l
                .strip_prefix("line-")
                .and_then(|r| r.get(..6))
                .and_then(|n| n.parse().ok())
            {
                *seen.entry(n).or_default() += 1;
            }
        }
        if seen.len() as u64 == M || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(d.stop().success());
    let lost = (0..M).filter(|i| !seen.contains_key(i)).count();
    let duplicates: u64 = seen.values().map(|&c| u64::from(c) - 1).sum();
    let lost_ids: Vec<u64> = (0..M).filter(|i| !seen.contains_key(i)).collect();
    println!(
        "TAIL CRASH TEST: M={M} kills={kills} lost={lost} duplicates={duplicates} seed={seed0} first lost {:?} last lost {:?}",
        lost_ids.first(),
        lost_ids.last()
    );
    if lost > 0 {
        // What is needed to tell why: the last instance's log, its checkpoint, the segments and the files.
        eprintln!("last instance's stderr:\n{}", d.stderr());
        let cp = d.data().join("checkpoints").join("app.json");
        eprintln!("checkpoint: {:?}", std::fs::read_to_string(cp));
        for dir in [d.data().join("out"), logs.path().to_path_buf()] {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                use std::os::unix::fs::MetadataExt;
                if let Ok(m) = e.metadata() {
                    eprintln!(
                        "{}: {} bytes, inode {}",
                        e.path().display(),
                        m.len(),
                        m.ino()
                    );
                }
            }
        }
    }
    assert_eq!(lost, 0, "lines lost");
    assert_no_raw_on_disk(&d.data());
}
