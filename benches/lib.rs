//! Shared support for the logscrub benchmarks (`throughput`, `latency`, `rules_profile`).
//!
//! Everything here is plain std + libc: the benches are `harness = false` binaries that print Markdown tables,
//! so that one `cargo bench` run gives figures that can be pasted into `benches/RESULTS.md` as they are.
//!
//! Measurement rules (the project's): figures are compared only with figures taken in the same run over the same
//! in-memory bytes, and time is CPU time (`getrusage`) where possible, because the machine is shared and wall
//! time is noisy. Rows are run round-robin (every row once, then every row again, ...) and the best repetition
//! of each row is kept, so that a burst of load from another process does not hit one row only.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use aho_corasick::AhoCorasick;
use logscrub_engine::{PolicyConfig, RuleKind, RuleSet, Scrubber};

/// Where the corpus lives, relative to this package: `<repo>/../shared/corpus`.
pub const DEFAULT_CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus");

/// Bytes per `LineStream::push` call: what a CLI reading 1 MiB blocks would do.
pub const PUSH_CHUNK: usize = 1 << 20;

/// One million bytes (MB/s in every table is 10^6 bytes per second).
pub const MB: f64 = 1e6;

// ------------------------------------------------------------------------------------------------- arguments

/// Command-line options common to the bench binaries. `cargo bench` passes `--bench`, which is ignored.
#[derive(Debug, Clone, Default)]
pub struct Args {
    /// `--corpus DIR` (or `LOGSCRUB_CORPUS`): directory of `*.log` files.
    pub corpus: Option<PathBuf>,
    /// `--mb N`: size of the in-memory buffer, in MB.
    pub mb: Option<usize>,
    /// `--reps N`: repetitions per row (best kept).
    pub reps: Option<usize>,
    /// `--threads N`: threads for the parallel rows.
    pub threads: Option<usize>,
    /// `--logscrub PATH` (or `LOGSCRUB_BIN`): the CLI binary.
    pub logscrub: Option<PathBuf>,
    /// `--calls N`: timed calls per latency case.
    pub calls: Option<usize>,
    /// `--no-external`: skip `cat`, `rg` and the CLI.
    pub no_external: bool,
    /// `--loo`: add the leave-one-out column to the per-rule profile (slow, and noisy on a shared machine).
    pub loo: bool,
}

impl Args {
    /// Parses `std::env::args`; exits with a usage message on a malformed flag.
    pub fn parse(usage: &str) -> Args {
        let mut a = Args {
            corpus: std::env::var_os("LOGSCRUB_CORPUS").map(PathBuf::from),
            logscrub: std::env::var_os("LOGSCRUB_BIN").map(PathBuf::from),
            ..Args::default()
        };
        let mut it = std::env::args_os().skip(1);
        let value = |it: &mut dyn Iterator<Item = OsString>, flag: &str| -> OsString {
            it.next()
                .unwrap_or_else(|| die(&format!("{flag} needs a value\n{usage}")))
        };
        let number = |v: OsString, flag: &str| -> usize {
            v.to_str()
                .and_then(|s| s.parse().ok())
                .filter(|&n: &usize| n > 0)
                .unwrap_or_else(|| die(&format!("{flag} needs a positive integer\n{usage}")))
        };
        while let Some(arg) = it.next() {
            match arg.to_str().unwrap_or("") {
                "--bench" | "--nocapture" => {}
                "--corpus" => a.corpus = Some(PathBuf::from(value(&mut it, "--corpus"))),
                "--mb" => a.mb = Some(number(value(&mut it, "--mb"), "--mb")),
                "--reps" => a.reps = Some(number(value(&mut it, "--reps"), "--reps")),
                "--threads" => a.threads = Some(number(value(&mut it, "--threads"), "--threads")),
                "--calls" => a.calls = Some(number(value(&mut it, "--calls"), "--calls")),
                "--logscrub" => a.logscrub = Some(PathBuf::from(value(&mut it, "--logscrub"))),
                "--no-external" => a.no_external = true,
                "--loo" => a.loo = true,
                "-h" | "--help" => {
                    println!("{usage}");
                    std::process::exit(0);
                }
                other => eprintln!("note: ignoring argument `{other}`"),
            }
        }
        a
    }

    /// The corpus directory: the flag, the environment, or the default next to the repository.
    pub fn corpus_dir(&self) -> PathBuf {
        self.corpus
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_CORPUS))
    }
}

/// Prints `msg` to stderr and exits with status 2.
pub fn die(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(2)
}

// ------------------------------------------------------------------------------------------------- corpus

/// The real logs, concatenated (each file ends with a newline).
#[derive(Debug, Clone)]
pub struct Corpus {
    /// Where they came from.
    pub dir: PathBuf,
    /// File names, in the order concatenated.
    pub files: Vec<String>,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Reads every `*.log` file of `dir` (sorted by name). Errors say how to fix a missing corpus.
pub fn load_corpus(dir: &Path) -> Result<Corpus, String> {
    let hint = format!(
        "the benchmarks need the loghub corpus (*.log files) at {} — it is `../shared/corpus` relative to the \
         repository root; pass `--corpus DIR` or set LOGSCRUB_CORPUS",
        dir.display()
    );
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{hint} ({e})"))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "log") && p.is_file())
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(format!("{hint} (no *.log file there)"));
    }
    let mut bytes = Vec::new();
    let mut files = Vec::new();
    for p in &paths {
        let data = std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        bytes.extend_from_slice(&data);
        if !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
        files.push(
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
        );
    }
    Ok(Corpus {
        dir: dir.to_path_buf(),
        files,
        bytes,
    })
}

/// Loads the corpus or exits with the explanation.
pub fn load_corpus_or_exit(args: &Args) -> Corpus {
    load_corpus(&args.corpus_dir()).unwrap_or_else(|e| die(&e))
}

/// Whole copies of `base` until the result holds at least `min_bytes`.
pub fn repeat_to(base: &[u8], min_bytes: usize) -> Vec<u8> {
    assert!(!base.is_empty());
    let copies = min_bytes.div_ceil(base.len()).max(1);
    let mut v = Vec::with_capacity(copies * base.len());
    for _ in 0..copies {
        v.extend_from_slice(base);
    }
    v
}

/// Every example line of every rule in the pack (line breaks replaced by spaces).
pub fn pack_examples(set: &RuleSet) -> Vec<String> {
    set.rules()
        .iter()
        .flat_map(|r| r.rule.examples.iter())
        .map(|e| e.replace(['\n', '\r'], " "))
        .collect()
}

/// Appends `" " + secret` to one line in `every` (the secrets taken in turn). Returns the new buffer and the
/// number of lines planted.
pub fn plant_secrets(buf: &[u8], every: usize, secrets: &[String]) -> (Vec<u8>, usize) {
    assert!(every > 0 && !secrets.is_empty());
    let mut out = Vec::with_capacity(buf.len() + buf.len() / every);
    let mut planted = 0;
    for (i, line) in buf.split_inclusive(|&b| b == b'\n').enumerate() {
        if i % every == every / 2 {
            let content = line.strip_suffix(b"\n").unwrap_or(line);
            let content = content.strip_suffix(b"\r").unwrap_or(content);
            out.extend_from_slice(content);
            out.push(b' ');
            out.extend_from_slice(secrets[planted % secrets.len()].as_bytes());
            out.extend_from_slice(&line[content.len()..]);
            planted += 1;
        } else {
            out.extend_from_slice(line);
        }
    }
    (out, planted)
}

/// Splits `buf` into at most `n` chunks that each end at a line break (the last one at the end of `buf`).
pub fn split_lines(buf: &[u8], n: usize) -> Vec<&[u8]> {
    let n = n.max(1);
    let mut chunks = Vec::with_capacity(n);
    let mut start = 0;
    for k in 1..=n {
        if start >= buf.len() {
            break;
        }
        let mut end = if k == n {
            buf.len()
        } else {
            (buf.len() * k / n).max(start)
        };
        if end < buf.len() {
            end = match memchr::memchr(b'\n', &buf[end..]) {
                Some(i) => end + i + 1,
                None => buf.len(),
            };
        }
        chunks.push(&buf[start..end]);
        start = end;
    }
    chunks
}

// ------------------------------------------------------------------------------------------------- engine runs

/// Scrubs `input` through one `LineStream`, pushed in [`PUSH_CHUNK`] pieces, into `out` (cleared first).
/// Returns the number of lines changed.
pub fn stream_scrub(scrubber: &Scrubber, input: &[u8], out: &mut Vec<u8>) -> u64 {
    out.clear();
    let mut stream = scrubber.stream();
    for chunk in input.chunks(PUSH_CHUNK) {
        stream.push(chunk, out);
    }
    stream.finish(out);
    stream.stats().lines_changed
}

/// Scrubs `input` with one `LineStream` per thread over line-aligned chunks and concatenates the outputs in order
/// into `out`. `bufs` are per-thread output buffers kept between calls so allocation stays out of the timing.
pub fn parallel_scrub(
    scrubber: &Scrubber,
    input: &[u8],
    threads: usize,
    bufs: &mut Vec<Vec<u8>>,
    out: &mut Vec<u8>,
) -> u64 {
    let chunks = split_lines(input, threads);
    bufs.resize_with(chunks.len(), Vec::new);
    let changed: u64 = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .zip(bufs.iter_mut())
            .map(|(chunk, buf)| s.spawn(move || stream_scrub(scrubber, chunk, buf)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("worker panicked"))
            .sum()
    });
    out.clear();
    for b in bufs.iter() {
        out.extend_from_slice(b);
    }
    changed
}

/// Id of the sentinel rule that [`with_sentinel`] adds.
pub const SENTINEL: &str = "bench_sentinel";

/// `set` plus a sentinel rule whose keyword never occurs in logs. The per-rule profile enables it next to the
/// rule being measured so that every scrubber has a non-empty keyword automaton (an automaton built from no
/// keyword at all has no prefilter and scans byte by byte, which would be charged to trigger-only rules).
pub fn with_sentinel(set: &RuleSet) -> RuleSet {
    let mut set = set.clone();
    set.add_toml(
        "bench:sentinel.toml",
        r#"
[[rule]]
id = "bench_sentinel"
class = "bench_sentinel"
category = "secret"
description = "Never fires: keeps the keyword automaton non-empty in the per-rule profile."
pattern = 'zqxjv-logscrub-bench-sentinel'
keywords = ["zqxjv-logscrub-bench-sentinel"]
examples = ["zqxjv-logscrub-bench-sentinel"]
negative_examples = ["nothing here"]
"#,
    )
    .unwrap_or_else(|e| die(&format!("sentinel rule: {e}")));
    set
}

/// The engine's keyword pass, re-created: one ASCII-case-insensitive Aho-Corasick automaton over `literals`,
/// `find_overlapping_iter` over each line. Returns the number of keyword hits.
pub fn keyword_pass(ac: &AhoCorasick, buf: &[u8]) -> u64 {
    let mut hits = 0u64;
    for line in buf.split(|&b| b == b'\n') {
        hits += ac.find_overlapping_iter(line).count() as u64;
    }
    hits
}

/// The engine's byte pass, re-created: per line, count ASCII digits and note which bytes occur.
pub fn byte_pass(buf: &[u8]) -> u64 {
    let mut acc = 0u64;
    for line in buf.split(|&b| b == b'\n') {
        let mut digits = 0usize;
        let mut present = [0u64; 4];
        for &b in line {
            digits += usize::from(b.is_ascii_digit());
            present[(b >> 6) as usize] |= 1u64 << (b & 63);
        }
        acc = acc.wrapping_add(digits as u64 ^ present[0] ^ present[1]);
    }
    acc
}

/// A case-insensitive automaton over the union of every prefilter's literals (what the engine builds for the
/// whole pack).
pub fn keyword_automaton(pfs: &[Prefilter]) -> (AhoCorasick, usize) {
    let mut words: Vec<String> = pfs
        .iter()
        .flat_map(|p| p.literals.iter().map(|l| l.to_ascii_lowercase()))
        .collect();
    words.sort();
    words.dedup();
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(&words)
        .expect("keyword automaton");
    (ac, words.len())
}

/// A scrubber with every rule of `set` but `drop`.
pub fn scrubber_without(set: &RuleSet, drop: &str) -> Scrubber {
    let mut policy = PolicyConfig::default();
    policy.rules.disable = vec![drop.to_string()];
    Scrubber::builder()
        .rules(set.clone())
        .policy(policy)
        .build()
        .unwrap_or_else(|e| die(&format!("cannot build a scrubber without {drop}: {e}")))
}

/// A scrubber with only the rules in `keep` enabled (every other rule of `set` disabled by policy).
pub fn scrubber_with_only(set: &RuleSet, keep: &[&str]) -> Scrubber {
    let mut policy = PolicyConfig::default();
    policy.rules.disable = set
        .rules()
        .iter()
        .map(|r| r.rule.id.clone())
        .filter(|id| !keep.contains(&id.as_str()))
        .collect();
    Scrubber::builder()
        .rules(set.clone())
        .policy(policy)
        .build()
        .unwrap_or_else(|e| die(&format!("cannot build a scrubber with only {keep:?}: {e}")))
}

// ------------------------------------------------------------------------------------------------- naive baseline

/// The naive baseline: one `regex::bytes::Regex` per pattern rule of the pack (unicode off, like the engine),
/// each run over every line with `find_iter`, matches replaced by `[REDACTED:<class>]` (first match wins on
/// overlap). No prefilter, no validator, no context: what a one-regex-per-rule scrubber costs.
pub struct Naive {
    regexes: Vec<(regex::bytes::Regex, Vec<u8>)>,
    /// Rules left out, with why.
    pub dropped: Vec<String>,
}

impl Naive {
    /// Compiles every pattern rule of `set`.
    pub fn new(set: &RuleSet) -> Naive {
        let mut regexes = Vec::new();
        let mut dropped = Vec::new();
        for r in set.rules() {
            let Some(p) = r.rule.pattern.as_deref() else {
                continue;
            };
            match regex::bytes::RegexBuilder::new(p)
                .unicode(false)
                .size_limit(64 << 20)
                .build()
            {
                Ok(re) => regexes.push((re, format!("[REDACTED:{}]", r.rule.class).into_bytes())),
                Err(e) => dropped.push(format!(
                    "{}: {}",
                    r.rule.id,
                    e.to_string().lines().last().unwrap_or("")
                )),
            }
        }
        Naive { regexes, dropped }
    }

    /// How many regexes run.
    pub fn len(&self) -> usize {
        self.regexes.len()
    }

    /// True when no pattern compiled.
    pub fn is_empty(&self) -> bool {
        self.regexes.is_empty()
    }

    /// Scrubs `input` into `out` (cleared first). Returns the number of lines changed.
    pub fn scrub(&self, input: &[u8], out: &mut Vec<u8>) -> u64 {
        out.clear();
        let mut spans: Vec<(usize, usize, usize)> = Vec::new();
        let mut changed = 0;
        let mut start = 0;
        let mut emit = |line: &[u8], out: &mut Vec<u8>, spans: &mut Vec<(usize, usize, usize)>| {
            spans.clear();
            for (i, (re, _)) in self.regexes.iter().enumerate() {
                for m in re.find_iter(line) {
                    spans.push((m.start(), m.end(), i));
                }
            }
            if spans.is_empty() {
                out.extend_from_slice(line);
                return;
            }
            changed += 1;
            spans.sort_unstable();
            let mut pos = 0;
            for &(s, e, i) in spans.iter() {
                if s < pos {
                    continue;
                }
                out.extend_from_slice(&line[pos..s]);
                out.extend_from_slice(&self.regexes[i].1);
                pos = e;
            }
            out.extend_from_slice(&line[pos..]);
        };
        for nl in memchr::memchr_iter(b'\n', input) {
            emit(&input[start..nl], out, &mut spans);
            out.push(b'\n');
            start = nl + 1;
        }
        if start < input.len() {
            emit(&input[start..], out, &mut spans);
        }
        changed
    }
}

// ------------------------------------------------------------------------------------------------- measuring

/// Whose CPU time to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// The calling thread only (`RUSAGE_THREAD`).
    Thread,
    /// The whole process, every thread (`RUSAGE_SELF`).
    Process,
    /// Waited-for child processes (`RUSAGE_CHILDREN`).
    Children,
}

fn rusage(who: Who) -> libc::rusage {
    let w = match who {
        Who::Thread => libc::RUSAGE_THREAD,
        Who::Process => libc::RUSAGE_SELF,
        Who::Children => libc::RUSAGE_CHILDREN,
    };
    // SAFETY: getrusage only writes into the zeroed struct we pass.
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(w, &mut u);
        u
    }
}

fn tv(t: libc::timeval) -> Duration {
    Duration::new(t.tv_sec as u64, (t.tv_usec as u32) * 1000)
}

/// User + system CPU time consumed so far by `who`.
pub fn cpu_time(who: Who) -> Duration {
    let u = rusage(who);
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// Wall and CPU time of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sample {
    /// Elapsed time.
    pub wall: Duration,
    /// CPU time (user + system) of the measured thread, process or children.
    pub cpu: Duration,
}

/// Runs `f` once and measures it.
pub fn measure<R>(who: Who, f: impl FnOnce() -> R) -> (R, Sample) {
    let c0 = cpu_time(who);
    let t0 = Instant::now();
    let r = std::hint::black_box(f());
    let wall = t0.elapsed();
    let cpu = cpu_time(who).saturating_sub(c0);
    (r, Sample { wall, cpu })
}

/// Runs `f` `k` times under one measurement and returns the per-run sample. `k` is chosen on the first call
/// (`*k == 0`) so that the measurement lasts at least `min`: `getrusage` counts CPU time in scheduler ticks, so a
/// run of a few milliseconds (memchr over 100 MB) needs repeating to get a CPU figure at all.
pub fn measure_calibrated<R>(
    who: Who,
    min: Duration,
    k: &mut u32,
    mut f: impl FnMut() -> R,
) -> Sample {
    if *k == 0 {
        let t0 = Instant::now();
        std::hint::black_box(f());
        let once = t0.elapsed().max(Duration::from_micros(1));
        *k = (min.as_secs_f64() / once.as_secs_f64())
            .ceil()
            .clamp(1.0, 100_000.0) as u32;
    }
    let n = *k;
    let ((), s) = measure(who, || {
        for _ in 0..n {
            std::hint::black_box(f());
        }
    });
    Sample {
        wall: s.wall / n,
        cpu: s.cpu / n,
    }
}

/// Peak resident set size of this process (VmHWM), in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// A few lines about the machine: cores, CPU model, load.
pub fn machine_summary() -> String {
    let nproc = std::thread::available_parallelism().map_or(1, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string());
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".to_string());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_default();
    format!(
        "- machine: {nproc} cores (available_parallelism), CPU `{model}`, MemTotal {mem}\n- load average at start: {load} (the machine is shared: absolute figures are noisy, compare ratios)"
    )
}

/// The load average now, for the footer of a table.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".to_string())
}

/// Formats a byte count as MB with the exact count.
pub fn fmt_bytes(n: usize) -> String {
    format!("{:.1} MB ({n} bytes)", n as f64 / MB)
}

// ------------------------------------------------------------------------------------------------- tables

/// One row of a throughput table.
#[derive(Debug, Clone)]
pub struct Row {
    /// What ran.
    pub name: String,
    /// Threads (or processes) it used.
    pub threads: usize,
    /// Bytes it read.
    pub bytes: usize,
    /// Best sample (least CPU time) over the repetitions.
    pub best: Option<Sample>,
    /// Why it has no figure, or a remark.
    pub note: String,
}

impl Row {
    /// A row with no sample yet.
    pub fn new(name: impl Into<String>, threads: usize, bytes: usize) -> Row {
        Row {
            name: name.into(),
            threads,
            bytes,
            best: None,
            note: String::new(),
        }
    }

    /// Keeps `s` if it used less CPU than the best so far.
    pub fn record(&mut self, s: Sample) {
        let better = match self.best {
            None => true,
            Some(b) => s.cpu < b.cpu || (s.cpu == b.cpu && s.wall < b.wall),
        };
        if better {
            self.best = Some(s);
        }
    }

    /// MB/s over CPU time (per core for multi-threaded rows).
    pub fn mbps_cpu(&self) -> Option<f64> {
        let s = self.best?;
        let secs = s.cpu.as_secs_f64();
        (secs > 0.0).then(|| self.bytes as f64 / MB / secs)
    }

    /// MB/s over wall time.
    pub fn mbps_wall(&self) -> Option<f64> {
        let s = self.best?;
        let secs = s.wall.as_secs_f64();
        (secs > 0.0).then(|| self.bytes as f64 / MB / secs)
    }
}

fn fmt_opt(v: Option<f64>, prec: usize) -> String {
    match v {
        Some(x) if x >= 10_000.0 => format!("{x:.0}"),
        Some(x) => format!("{x:.prec$}"),
        None => "–".to_string(),
    }
}

fn fmt_ms(d: Option<Duration>) -> String {
    d.map_or("–".to_string(), |d| {
        format!("{:.1}", d.as_secs_f64() * 1e3)
    })
}

/// A Markdown table of `rows`, with each row's CPU-based MB/s divided by that of the rows named `memchr_row` and
/// `naive_row` (the ratio columns), and the rows' notes below it.
pub fn throughput_table(rows: &[Row], memchr_row: &str, naive_row: &str) -> String {
    let find = |name: &str| rows.iter().find(|r| r.name == name).and_then(Row::mbps_cpu);
    let (m, n) = (find(memchr_row), find(naive_row));
    let mut t = String::new();
    t.push_str(
        "| row | thr | wall ms | cpu ms | MB/s (cpu) | MB/s (wall) | ÷ memchr | ÷ naive regex |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in rows {
        let cpu = r.mbps_cpu();
        let ratio = |base: Option<f64>| match (cpu, base) {
            (Some(a), Some(b)) if b > 0.0 => format!("{:.3}", a / b),
            _ => "–".to_string(),
        };
        let _ = writeln!(
            t,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            r.name,
            r.threads,
            fmt_ms(r.best.map(|s| s.wall)),
            fmt_ms(r.best.map(|s| s.cpu)),
            fmt_opt(cpu, 1),
            fmt_opt(r.mbps_wall(), 1),
            ratio(m),
            ratio(n),
        );
    }
    let notes: Vec<_> = rows
        .iter()
        .filter(|r| !r.note.is_empty())
        .map(|r| format!("- {}: {}", r.name, r.note))
        .collect();
    if !notes.is_empty() {
        t.push('\n');
        t.push_str(&notes.join("\n"));
        t.push('\n');
    }
    t
}

// ------------------------------------------------------------------------------------------------- external tools

/// The path of `name` on `PATH`, if any.
pub fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Where the `logscrub` release binary should be: the flag, then `$CARGO_TARGET_DIR/release`, then the
/// workspace's `target/release`.
pub fn logscrub_candidates(args: &Args) -> Vec<PathBuf> {
    let mut v = Vec::new();
    if let Some(p) = &args.logscrub {
        v.push(p.clone());
    }
    if let Some(t) = std::env::var_os("CARGO_TARGET_DIR") {
        v.push(PathBuf::from(t).join("release/logscrub"));
    }
    v.push(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/release/logscrub"
    )));
    v
}

/// Runs a command to completion (stdout discarded unless `capture`), measuring wall time and the child's CPU.
pub fn run_child(
    cmd: &mut Command,
    stdin: Option<&Path>,
    capture: bool,
) -> std::io::Result<(ExitStatus, Vec<u8>, Sample)> {
    match stdin {
        Some(p) => cmd.stdin(std::fs::File::open(p)?),
        None => cmd.stdin(Stdio::null()),
    };
    cmd.stdout(if capture {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    cmd.stderr(Stdio::piped());
    let c0 = cpu_time(Who::Children);
    let t0 = Instant::now();
    let child = cmd.spawn()?;
    let output = child.wait_with_output()?;
    let wall = t0.elapsed();
    let cpu = cpu_time(Who::Children).saturating_sub(c0);
    let mut out = output.stdout;
    if !output.status.success() {
        // Keep stderr for the caller's note when the command failed.
        out.extend_from_slice(b"\nstderr: ");
        out.extend_from_slice(&output.stderr[..output.stderr.len().min(300)]);
    }
    Ok((output.status, out, Sample { wall, cpu }))
}

/// A temporary file removed on drop.
pub struct TempFile(pub PathBuf);

impl TempFile {
    /// Writes `bytes` to a fresh file in the temp directory.
    pub fn with_bytes(tag: &str, bytes: &[u8]) -> std::io::Result<TempFile> {
        let p = std::env::temp_dir().join(format!("logscrub-bench-{}-{tag}", std::process::id()));
        std::fs::write(&p, bytes)?;
        Ok(TempFile(p))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

// ------------------------------------------------------------------------------------------------- prefilters

/// How a rule's prefilter is made, re-derived from the rule data the way `crates/engine/src/compile.rs` does it
/// (keywords; else field names for field rules; else context keywords, fields and free-form fields; block rules
/// `-----BEGIN`; plus the byte trigger). Used only to report which prefilters fire on the corpus.
#[derive(Debug, Clone)]
pub struct Prefilter {
    /// Rule id.
    pub id: String,
    /// Rule kind.
    pub kind: RuleKind,
    /// Literals (ASCII case-insensitive).
    pub literals: Vec<String>,
    /// Minimum digits on the line (trigger).
    pub digits: Option<usize>,
    /// Any of these bytes on the line (trigger).
    pub bytes: Vec<u8>,
    /// Whether the rule has a trigger at all.
    pub has_trigger: bool,
}

impl Prefilter {
    /// A short human description.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let mut trigger = Vec::new();
        if !self.literals.is_empty() {
            let mut s = self
                .literals
                .iter()
                .take(3)
                .map(|l| format!("`{l}`"))
                .collect::<Vec<_>>()
                .join(" ");
            if self.literals.len() > 3 {
                let _ = write!(s, " +{}", self.literals.len() - 3);
            }
            parts.push(format!("kw {s}"));
        }
        if let Some(d) = self.digits {
            trigger.push(format!("≥{d} digits"));
        }
        if !self.bytes.is_empty() {
            trigger.push(format!(
                "a byte of `{}`",
                String::from_utf8_lossy(&self.bytes)
            ));
        }
        if !trigger.is_empty() {
            parts.push(trigger.join(" and "));
        }
        parts.join(" or ")
    }
}

/// The prefilter of every rule of `set`.
pub fn prefilters(set: &RuleSet) -> Vec<Prefilter> {
    set.rules()
        .iter()
        .map(|s| {
            let r = &s.rule;
            let has_trigger = r.trigger.is_some();
            let mut literals = r.keywords.clone();
            if r.kind == RuleKind::Field && literals.is_empty() {
                literals.extend(r.fields.iter().cloned());
            }
            if literals.is_empty() && !has_trigger {
                if let Some(c) = &r.context {
                    literals.extend(c.keywords.iter().cloned());
                }
                literals.extend(r.fields.iter().cloned());
                if r.freeform {
                    literals.extend(set.freeform_fields().iter().cloned());
                }
            }
            if r.kind == RuleKind::Block && literals.is_empty() {
                literals.push("-----BEGIN".to_string());
            }
            let (digits, bytes) = match &r.trigger {
                Some(t) => (t.digits, t.bytes.clone().unwrap_or_default().into_bytes()),
                None => (None, Vec::new()),
            };
            Prefilter {
                id: r.id.clone(),
                kind: r.kind,
                literals,
                digits,
                bytes,
                has_trigger,
            }
        })
        .collect()
}

/// What a prefilter lets through on a buffer.
#[derive(Debug, Clone, Default)]
pub struct PrefilterHits {
    /// Lines on which the rule runs (keyword or trigger).
    pub lines: u64,
    /// The keyword found on the most lines, with that count.
    pub top_literal: Option<(String, u64)>,
}

/// For each prefilter, the lines of `buf` on which it lets its rule run, and its most frequent keyword.
pub fn prefilter_line_hits(pfs: &[Prefilter], buf: &[u8]) -> Vec<PrefilterHits> {
    let acs: Vec<Option<AhoCorasick>> = pfs
        .iter()
        .map(|p| {
            (!p.literals.is_empty()).then(|| {
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(&p.literals)
                    .expect("keyword automaton")
            })
        })
        .collect();
    let mut hits = vec![PrefilterHits::default(); pfs.len()];
    let mut per_literal: Vec<Vec<u64>> = pfs.iter().map(|p| vec![0; p.literals.len()]).collect();
    let mut seen: Vec<usize> = Vec::new();
    for line in buf.split(|&b| b == b'\n') {
        if line.is_empty() {
            continue;
        }
        let digits = line.iter().filter(|b| b.is_ascii_digit()).count();
        for (i, p) in pfs.iter().enumerate() {
            let mut kw = false;
            if let Some(ac) = &acs[i] {
                seen.clear();
                for m in ac.find_overlapping_iter(line) {
                    let k = m.pattern().as_usize();
                    if !seen.contains(&k) {
                        seen.push(k);
                        per_literal[i][k] += 1;
                    }
                }
                kw = !seen.is_empty();
            }
            let trig = p.has_trigger
                && digits >= p.digits.unwrap_or(0)
                && (p.bytes.is_empty() || p.bytes.iter().any(|b| line.contains(b)));
            if kw || trig {
                hits[i].lines += 1;
            }
        }
    }
    for (i, p) in pfs.iter().enumerate() {
        hits[i].top_literal = per_literal[i]
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .max_by_key(|(_, &n)| n)
            .map(|(k, &n)| (p.literals[k].clone(), n));
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_lines_is_line_aligned_and_complete() {
        let buf = b"aa\nbbbb\nc\ndddddd\ne\n";
        for n in 1..8 {
            let chunks = split_lines(buf, n);
            assert_eq!(chunks.concat(), buf.to_vec());
            for c in &chunks {
                assert!(c.ends_with(b"\n"));
            }
        }
        assert!(split_lines(b"", 3).is_empty());
        assert_eq!(
            split_lines(b"no newline", 2).concat(),
            b"no newline".to_vec()
        );
    }

    #[test]
    fn planting_keeps_line_count() {
        let buf = b"a\nb\nc\nd\n";
        let (v, n) = plant_secrets(buf, 2, &["S".to_string()]);
        assert_eq!(n, 2);
        assert_eq!(v, b"a\nb S\nc\nd S\n".to_vec());
    }
}
