//! Shared support for the logscrub benchmarks (`throughput`, `latency`, `rules_profile`).
//!
//! Everything here is plain std + libc: the benches are `harness = false` binaries that print Markdown tables,
//! so that one `cargo bench` run gives figures that can be pasted into `benches/RESULTS.md` as they are.
//!
//! Measurement rules (the project's): figures are compared only with figures taken in the same run over the same
//! in-memory bytes, and time is CPU time (`getrusage`) where possible, because the machine is shared and wall
//! time is noisy. Rows are run round-robin (every row once, then every row again, ...) and the best repetition
//! of each row is kept, so that a burst of load from another process does not hit one row only.
//!
//! The one exception to "plain std + libc" is [`plot`], which draws the figures of `benches/figures/` with
//! plotters (SVG only) from the tables these binaries print; it measures nothing.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use logscrub_engine::{PolicyConfig, RuleConfig, RuleKind, RuleSet, Scrubber, Stats};

pub mod plot;

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
    stream_scrub_stats(scrubber, input, out).lines_changed
}

/// Like [`stream_scrub`], but returns the stream's whole counters: what the engine itself says about the run
/// (findings and prefilter hits per rule), so that reports need not re-derive them.
pub fn stream_scrub_stats(scrubber: &Scrubber, input: &[u8], out: &mut Vec<u8>) -> Stats {
    out.clear();
    let mut stream = scrubber.stream();
    for chunk in input.chunks(PUSH_CHUNK) {
        stream.push(chunk, out);
    }
    stream.finish(out);
    stream.stats().clone()
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

/// Thread counts of the throughput bench's parallel engine rows: the powers of two from 2 that are below `threads`, then `threads`.
pub fn thread_counts(threads: usize) -> Vec<usize> {
    let mut counts: Vec<usize> = std::iter::successors(Some(2usize), |k| k.checked_mul(2))
        .take_while(|&k| k < threads)
        .collect();
    counts.push(threads);
    counts
}

/// Where `a` and `b` first differ (the shorter length when one is a prefix of the other), or `None` when they are
/// identical: the throughput bench reports it when two prefilter backends disagree, so the line can be found.
pub fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    if a == b {
        return None;
    }
    Some(
        a.iter()
            .zip(b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len())),
    )
}

/// Id of the sentinel rule that [`with_sentinel`] adds.
pub const SENTINEL: &str = "bench_sentinel";

/// `set` plus a sentinel rule whose keywords never occur in logs. The per-rule profile enables it next to the
/// rule being measured, and alone as its `none` baseline, so that every scrubber there walks its prefilter
/// automaton over every byte. An automaton built from no pattern at all stops at the first byte, so without the
/// sentinel each rule's marginal cost would include that walk, which the full pack pays once for all its rules.
/// The sentinel has four keywords without a byte in common: with one keyword, Aho-Corasick skips to its first byte
/// with `memchr` and the baseline would not walk the automaton while every rule alone does.
pub fn with_sentinel(set: &RuleSet) -> RuleSet {
    let mut set = set.clone();
    set.add_toml(
        "bench:sentinel.toml",
        r#"
[[rule]]
id = "bench_sentinel"
class = "bench_sentinel"
category = "secret"
description = "Never fires: gives every scrubber of the per-rule profile a prefilter automaton to walk."
pattern = 'qzx7jvk8wpy9fgb6-logscrub-bench-sentinel'
keywords = ["qzx7", "jvk8", "wpy9", "fgb6"]
examples = ["qzx7jvk8wpy9fgb6-logscrub-bench-sentinel"]
negative_examples = ["nothing here"]
"#,
    )
    .unwrap_or_else(|e| die(&format!("sentinel rule: {e}")));
    set
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

/// How many keywords or field names a prefilter description lists before `+N`: enough to recognise the rule,
/// short enough to keep the profile table one screen wide.
const DESCRIBE_WORDS: usize = 3;

/// How many characters of a regex a prefilter description keeps: the table shows which regex it is, the rule
/// file has the whole of it.
const DESCRIBE_REGEX_CHARS: usize = 40;

/// Up to [`DESCRIBE_WORDS`] words as inline code, then `+N` for the rest.
fn word_list(words: &[String]) -> String {
    let mut s = words
        .iter()
        .take(DESCRIBE_WORDS)
        .map(|w| md_code(w))
        .collect::<Vec<_>>()
        .join(" ");
    if words.len() > DESCRIBE_WORDS {
        let _ = write!(s, " +{}", words.len() - DESCRIBE_WORDS);
    }
    s
}

/// `text` as Markdown inline code that is safe inside a table cell: a `|` would end the cell even inside code,
/// so it is escaped, and a backtick in the text gets a double-backtick delimiter.
fn md_code(text: &str) -> String {
    let t = text.replace('|', "\\|");
    if t.contains('`') {
        format!("`` {t} ``")
    } else {
        format!("`{t}`")
    }
}

/// A one-cell description of the prefilter the engine builds for `rule` of `set`, read from the rule data.
///
/// The engine does not expose its prefilter patterns, so the profile's *prefilter* column follows the order of
/// `ScrubberBuilder::build` in `crates/engine/src/compile.rs`: the rule's `keywords` (for a field rule they count
/// only as a field key, written `keys`); else, for a field rule, its field names (keys); else, when its context is
/// required, the context keywords, the field names (keys) and, for a free-form rule, the pack's free-form fields;
/// else `-----BEGIN` for a block rule; else its `prefilter` regex, or its `pattern`, abbreviated. Only the
/// description is derived here: how many lines the prefilter lets through is the engine's own count
/// (`Stats::prefiltered`).
pub fn describe_prefilter(set: &RuleSet, rule: &RuleConfig) -> String {
    let field = rule.kind == RuleKind::Field;
    if !rule.keywords.is_empty() {
        let what = if field { "keys" } else { "kw" };
        return format!("{what} {}", word_list(&rule.keywords));
    }
    if field && !rule.fields.is_empty() {
        return format!("keys {}", word_list(&rule.fields));
    }
    if let Some(ctx) = rule.context.as_ref().filter(|c| c.required) {
        let mut parts = Vec::new();
        if !ctx.keywords.is_empty() {
            parts.push(format!("context kw {}", word_list(&ctx.keywords)));
        }
        if !rule.fields.is_empty() {
            parts.push(format!("keys {}", word_list(&rule.fields)));
        }
        if rule.freeform && !set.freeform_fields().is_empty() {
            parts.push(format!("{} free-form keys", set.freeform_fields().len()));
        }
        if !parts.is_empty() {
            return parts.join(" + ");
        }
    }
    if rule.kind == RuleKind::Block {
        return format!("kw {}", md_code("-----BEGIN"));
    }
    let (what, regex) = match (&rule.prefilter, &rule.pattern) {
        (Some(p), _) => ("prefilter", p.as_str()),
        (None, Some(p)) => ("pattern", p.as_str()),
        (None, None) => return "none (the engine refuses such a rule)".to_string(),
    };
    let mut short: String = regex.chars().take(DESCRIBE_REGEX_CHARS).collect();
    if short.len() < regex.len() {
        short.push('…');
    }
    format!("{what} {}", md_code(&short))
}

#[cfg(test)]
mod tests {
    use super::thread_counts;

    #[test]
    fn thread_counts_double_up_to_the_given_count() {
        assert_eq!(thread_counts(1), vec![1]);
        assert_eq!(thread_counts(2), vec![2]);
        assert_eq!(thread_counts(6), vec![2, 4, 6]);
        assert_eq!(thread_counts(16), vec![2, 4, 8, 16]);
    }

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
    fn prefilter_descriptions_follow_the_compile_order() {
        let set = RuleSet::default_pack().expect("default pack");
        let describe = |id: &str| describe_prefilter(&set, &set.get(id).expect(id).rule);
        // Keywords first; a field rule's keywords only count as keys.
        assert!(
            describe("jwt").starts_with("kw `eyJ`"),
            "{}",
            describe("jwt")
        );
        assert!(describe("person_name").starts_with("keys `name` `holder`"));
        // A required context: its keywords, the rule's keys and the free-form keys.
        let aba = describe("aba_routing");
        assert!(aba.starts_with("context kw `routing`"), "{aba}");
        assert!(aba.contains(" + keys `routing`") && aba.ends_with("free-form keys"));
        // No keyword: the `prefilter` regex before the pattern, `|` escaped for the table, long ones cut.
        let ipv6 = describe("ipv6");
        assert!(ipv6.starts_with("prefilter `(?i)::\\|"), "{ipv6}");
        assert!(ipv6.ends_with("…`"), "{ipv6}");
        assert!(describe("email").starts_with("prefilter `"));
        for r in set.rules() {
            assert!(!describe(&r.rule.id).starts_with("none"), "{}", r.rule.id);
        }
    }

    #[test]
    fn first_difference_finds_the_byte() {
        assert_eq!(first_difference(b"abc", b"abc"), None);
        assert_eq!(first_difference(b"abc", b"abd"), Some(2));
        assert_eq!(first_difference(b"ab", b"abc"), Some(2));
        assert_eq!(first_difference(b"", b""), None);
    }

    #[test]
    fn md_code_is_safe_in_a_table_cell() {
        assert_eq!(md_code("a|b"), "`a\\|b`");
        assert_eq!(md_code("a`b"), "`` a`b ``");
    }

    #[test]
    fn planting_keeps_line_count() {
        let buf = b"a\nb\nc\nd\n";
        let (v, n) = plant_secrets(buf, 2, &["S".to_string()]);
        assert_eq!(n, 2);
        assert_eq!(v, b"a\nb S\nc\nd S\n".to_vec());
    }
}
