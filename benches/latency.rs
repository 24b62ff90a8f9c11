//! Latency: nanoseconds to scrub one log line with `Scrubber::scrub_line`, as a distribution (p50, p99, ...),
//! measured by timing many individual calls after a warm-up and sorting.
//!
//! `cargo bench -p logscrub-benches --bench latency [-- --calls 200000 --corpus DIR]`

use std::time::Instant;

use logscrub_benches::{load_corpus_or_exit, loadavg, machine_summary, Args};
use logscrub_engine::Scrubber;

const USAGE: &str = "usage: latency [--calls N (default 200000)] [--corpus DIR]";

/// A typical Hadoop line (~200 bytes) on which the default pack finds nothing.
const NO_FINDING: &str = "2015-10-18 18:01:53,885 INFO [AsyncDispatcher event handler] \
org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl: attempt_1445144423722_0020_m_000005_0 TaskAttempt \
Transitioned from NEW to UNASSIGNED";

/// A typical sshd line (~200 bytes) with findings (a client IP address and an e-mail address).
const WITH_FINDING: &str = "Dec 10 07:28:37 LabSZ sshd[24275]: pam_unix(sshd:auth): authentication failure; \
logname= uid=0 euid=0 tty=ssh ruser= rhost=112.95.230.3  user=root notify=jane.doe@example.com port 52413 ssh2 (retry 3)";

struct Dist {
    name: String,
    bytes: String,
    findings: String,
    sorted: Vec<u64>,
    batch_ns: f64,
}

fn pct(sorted: &[u64], p: f64) -> u64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Times `n` individual calls of `f` (after `n / 10` warm-up calls); also times `n` calls in one block.
fn time_calls(n: usize, mut f: impl FnMut()) -> (Vec<u64>, f64) {
    for _ in 0..n / 10 {
        f();
    }
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        f();
        v.push(t.elapsed().as_nanos() as u64);
    }
    let t = Instant::now();
    for _ in 0..n {
        f();
    }
    let batch = t.elapsed().as_nanos() as f64 / n as f64;
    v.sort_unstable();
    (v, batch)
}

fn main() {
    let args = Args::parse(USAGE);
    let corpus = load_corpus_or_exit(&args);
    let n = args.calls.unwrap_or(200_000);
    let scrubber =
        Scrubber::default_rules().unwrap_or_else(|e| logscrub_benches::die(&e.to_string()));
    let mut scratch = scrubber.scratch();
    let mut out = Vec::with_capacity(64 << 10);

    println!("# logscrub latency (`Scrubber::scrub_line`, default pack)\n");
    println!("{}", machine_summary());
    println!(
        "- {n} individually timed calls per case after {} warm-up calls (`Instant::now()` around each call), \
         sorted; `batch mean` times {n} calls in one block (no timer in the loop)",
        n / 10
    );

    let mut dists = Vec::new();

    // Timer overhead: an empty timed region.
    let (sorted, batch) = time_calls(n, || {
        std::hint::black_box(());
    });
    dists.push(Dist {
        name: "timer overhead (empty call)".to_string(),
        bytes: "0".to_string(),
        findings: "–".to_string(),
        sorted,
        batch_ns: batch,
    });

    for (name, line) in [
        ("line without a finding", NO_FINDING),
        ("line with findings", WITH_FINDING),
    ] {
        out.clear();
        let found = scrubber.scrub_line(line.as_bytes(), &mut out, &mut scratch);
        let (sorted, batch) = time_calls(n, || {
            out.clear();
            std::hint::black_box(scrubber.scrub_line(
                std::hint::black_box(line.as_bytes()),
                &mut out,
                &mut scratch,
            ));
        });
        dists.push(Dist {
            name: name.to_string(),
            bytes: line.len().to_string(),
            findings: found.to_string(),
            sorted,
            batch_ns: batch,
        });
        println!(
            "- {name} ({} bytes, {found} finding(s)):\n  - in:  `{line}`\n  - out: `{}`",
            line.len(),
            String::from_utf8_lossy(&out)
        );
    }
    if dists[1].findings != "0" {
        println!(
            "- NOTE: the line meant to have no finding now has {} (the pack changed?)",
            dists[1].findings
        );
    }

    // The corpus as it comes: every line once per pass, passes repeated up to n samples.
    let lines: Vec<&[u8]> = corpus
        .bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let mean_len = lines.iter().map(|l| l.len()).sum::<usize>() as f64 / lines.len() as f64;
    let mut with = 0usize;
    for l in &lines {
        out.clear();
        with += usize::from(scrubber.scrub_line(l, &mut out, &mut scratch) > 0);
    }
    let mut i = 0usize;
    let (sorted, batch) = time_calls(n, || {
        out.clear();
        let l = lines[i % lines.len()];
        i += 1;
        std::hint::black_box(scrubber.scrub_line(l, &mut out, &mut scratch));
    });
    dists.push(Dist {
        name: format!("corpus lines in turn ({} lines)", lines.len()),
        bytes: format!("{mean_len:.0} (mean)"),
        findings: format!("{:.1}% of lines", 100.0 * with as f64 / lines.len() as f64),
        sorted,
        batch_ns: batch,
    });

    println!(
        "\n| case | bytes | findings | p50 ns | p90 ns | p99 ns | p99.9 ns | max ns | batch mean ns |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for d in &dists {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.0} |",
            d.name,
            d.bytes,
            d.findings,
            pct(&d.sorted, 0.5),
            pct(&d.sorted, 0.9),
            pct(&d.sorted, 0.99),
            pct(&d.sorted, 0.999),
            d.sorted.last().copied().unwrap_or(0),
            d.batch_ns
        );
    }
    println!(
        "\n(timed figures include the timer overhead of the first row; p99.9 and max are dominated by preemption on \
         a shared machine; load average now: {})",
        loadavg()
    );
}
