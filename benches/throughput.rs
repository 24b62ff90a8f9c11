//! Throughput: the logscrub engine against memchr, memcpy, a naive one-regex-per-rule scrubber and external tools,
//! all over the SAME in-memory bytes in ONE run, so that the ratios hold even on a noisy shared machine.
//!
//! The engine has one 1-thread row per prefilter backend compiled into this build (`Backend::compiled()`, so a
//! build with `--features vectorscan` adds the Vectorscan row without any change here), and their outputs are
//! checked byte-identical: the backends must differ in speed only.
//!
//! The parallel engine rows run at 2, 4, 8, ... threads below N and at N (`--threads N`, default all cores), so
//! that one run gives the thread-scaling curve of `benches/figures/thread_scaling.svg`.
//!
//! `cargo bench -p logscrub-benches --bench throughput [-- --corpus DIR --mb 100 --reps 2 --threads N]`

use std::process::Command;
use std::time::{Duration, Instant};

use logscrub_benches::{
    find_in_path, first_difference, fmt_bytes, load_corpus_or_exit, loadavg, logscrub_candidates,
    machine_summary, measure, measure_calibrated, pack_examples, parallel_scrub, peak_rss_kib,
    plant_secrets, repeat_to, run_child, stream_scrub, thread_counts, throughput_table, Args,
    Naive, Row, Sample, TempFile, Who,
};
use logscrub_engine::{Backend, RuleSet, Scrubber};

const USAGE: &str =
    "usage: throughput [--corpus DIR] [--mb N (default 100)] [--reps N (default 2)] \
[--threads N (default: available parallelism)] [--logscrub PATH] [--no-external]";

const MEMCHR: &str = "memchr newline count";
const NAIVE: &str = "naive regex";

/// `rg` with the pack's patterns, or why not.
struct Rg {
    path: std::path::PathBuf,
    patterns: TempFile,
    kept: usize,
}

/// One 1-thread engine row: a prefilter backend and the full pack built for it, or why it could not be built
/// (a backend may reject a pattern the other accepts; the row then says so instead of ending the run).
struct Engine {
    backend: Backend,
    scrubber: Result<Scrubber, String>,
}

/// The name of the 1-thread engine row of `backend`.
fn engine_row_name(backend: Backend) -> String {
    format!("logscrub engine, LineStream, 1 thread, backend {backend}")
}

/// The CLI binary, checked on a sample against the engine.
struct Cli {
    path: std::path::PathBuf,
    note: String,
    threads_ok: Result<(), String>,
}

fn main() {
    let started = Instant::now();
    let args = Args::parse(USAGE);
    let corpus = load_corpus_or_exit(&args);
    let mb = args.mb.unwrap_or(100);
    let reps = args.reps.unwrap_or(2);
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let set = RuleSet::default_pack().unwrap_or_else(|e| logscrub_benches::die(&e.to_string()));
    let scrubber = Scrubber::builder()
        .rules(set.clone())
        .build()
        .unwrap_or_else(|e| logscrub_benches::die(&e.to_string()));
    let naive = Naive::new(&set);
    let engines: Vec<Engine> = Backend::compiled()
        .iter()
        .map(|&backend| Engine {
            backend,
            scrubber: if backend == scrubber.backend() {
                Ok(scrubber.clone())
            } else {
                Scrubber::builder()
                    .rules(set.clone())
                    .backend(backend)
                    .build()
                    .map_err(|e| e.to_string())
            },
        })
        .collect();

    println!("# logscrub throughput\n");
    println!("{}", machine_summary());
    println!(
        "- corpus: {} ({} files: {}), {}",
        corpus.dir.display(),
        corpus.files.len(),
        corpus.files.join(" "),
        fmt_bytes(corpus.bytes.len())
    );
    println!(
        "- buffer: corpus repeated in memory to >= {mb} MB; best of {reps} round-robin repetitions per row; \
         `LineStream::push` in 1 MiB pieces; N = {threads} threads"
    );
    println!(
        "- rules: {} in the pack ({} compiled); naive baseline: {} `regex::bytes::Regex` (unicode off), one per \
         pattern rule{}",
        set.rules().len(),
        scrubber.rules().len(),
        naive.len(),
        if naive.dropped.is_empty() {
            String::new()
        } else {
            format!(" (dropped: {})", naive.dropped.join("; "))
        }
    );
    println!(
        "- prefilter backends compiled in: {} (one 1-thread engine row each, outputs compared byte for byte); the \
         N-thread row and the CLI use the default, {}{}",
        engines
            .iter()
            .map(|e| e.backend.name())
            .collect::<Vec<_>>()
            .join(", "),
        scrubber.backend(),
        if engines.len() < 2 {
            " (build with `--features vectorscan` for a Vectorscan row)"
        } else {
            ""
        }
    );
    println!(
        "- MB = 10^6 bytes. `MB/s (cpu)` = bytes ÷ CPU time (user+sys, getrusage) of the measuring thread, the \
         whole process (threaded rows: per-core figure) or the child process (external rows); the ratio columns \
         divide it by the memchr and naive-regex rows of the same table."
    );

    let rg = if args.no_external {
        None
    } else {
        setup_rg(&set)
    };
    let cli = if args.no_external {
        None
    } else {
        setup_cli(&args, &scrubber, &corpus.bytes, threads)
    };

    let clean = repeat_to(&corpus.bytes, mb * 1_000_000);
    run_variant(
        "Clean corpus",
        &clean,
        &scrubber,
        &engines,
        &naive,
        threads,
        reps,
        rg.as_ref(),
        cli.as_ref(),
        &args,
    );
    let examples = pack_examples(&set);
    let (planted, n) = plant_secrets(&clean, 100, &examples);
    drop(clean);
    println!(
        "\n(planted variant: one line in 100 gets one of the pack's {} rule examples appended; {n} lines planted)",
        examples.len()
    );
    run_variant(
        "Corpus with ~1% planted secrets",
        &planted,
        &scrubber,
        &engines,
        &naive,
        threads,
        reps,
        rg.as_ref(),
        cli.as_ref(),
        &args,
    );
    drop(planted);

    println!(
        "\n- peak RSS of this process (VmHWM): {} MiB (mostly the input and the preallocated copy and output \
         buffers: one output per engine row, the N-thread row's chunks and the naive row's, each 1.25 × the buffer \
         size)",
        peak_rss_kib().map_or("?".to_string(), |k| format!("{:.0}", k as f64 / 1024.0)),
    );
    println!(
        "- load average at end: {}; bench wall time {:.1} s",
        loadavg(),
        started.elapsed().as_secs_f64()
    );
}

#[allow(clippy::too_many_arguments)]
fn run_variant(
    title: &str,
    input: &[u8],
    scrubber: &Scrubber,
    engines: &[Engine],
    naive: &Naive,
    threads: usize,
    reps: usize,
    rg: Option<&Rg>,
    cli: Option<&Cli>,
    args: &Args,
) {
    let len = input.len();
    let lines = memchr::memchr_iter(b'\n', input).count();
    println!("\n## {title}: {}, {lines} lines\n", fmt_bytes(len));

    // Output buffers, allocated and touched before any timing.
    let touched = |cap: usize| {
        let mut v = vec![1u8; cap];
        v.clear();
        v
    };
    let mut copy_dst = vec![0u8; len];
    copy_dst.copy_from_slice(input);
    let mut outs: Vec<Vec<u8>> = engines.iter().map(|_| touched(len + len / 4)).collect();
    let mut outn = touched(len + len / 4);
    let mut outnaive = touched(len + len / 4);
    let counts = thread_counts(threads);
    // Per-thread output buffers of each parallel row.
    let mut bufs: Vec<Vec<Vec<u8>>> = counts
        .iter()
        .map(|&k| (0..k).map(|_| touched((len / k) + len / 4)).collect())
        .collect();

    // Rows: memchr, memcpy, one per engine backend, the parallel engine at each thread count, the naive regex.
    const FIRST_ENGINE: usize = 2;
    let mut rows = vec![Row::new(MEMCHR, 1, len), Row::new("memcpy", 1, len)];
    rows.extend(
        engines
            .iter()
            .map(|e| Row::new(engine_row_name(e.backend), 1, len)),
    );
    let first_par = rows.len();
    for &k in &counts {
        rows.push(Row::new(
            format!(
                "logscrub engine, LineStream × {k}, backend {}",
                scrubber.backend()
            ),
            k,
            len,
        ));
    }
    let nv = rows.len();
    rows.push(Row::new(
        format!("{NAIVE} ({} patterns)", naive.len()),
        1,
        len,
    ));
    let naive_name = rows[nv].name.clone();
    // The 1-thread row of the backend the N-thread row and the CLI use: the reference output.
    let reference = engines
        .iter()
        .position(|e| e.backend == scrubber.backend())
        .expect("the default backend is always compiled in");
    let mut changed = vec![0u64; engines.len()];
    let mut identical = vec![true; counts.len()];
    let (mut changed_naive, mut nl) = (0, 0);
    let (mut k_memchr, mut k_memcpy) = (0u32, 0u32);
    let min = Duration::from_millis(300);
    for _ in 0..reps {
        let s = measure_calibrated(Who::Thread, min, &mut k_memchr, || {
            nl = memchr::memchr_iter(b'\n', std::hint::black_box(input)).count();
        });
        rows[0].record(s);
        let s = measure_calibrated(Who::Thread, min, &mut k_memcpy, || {
            copy_dst.copy_from_slice(std::hint::black_box(input));
            copy_dst[len / 2]
        });
        rows[1].record(s);
        for (j, e) in engines.iter().enumerate() {
            if let Ok(sc) = &e.scrubber {
                let (c, s) = measure(Who::Thread, || stream_scrub(sc, input, &mut outs[j]));
                changed[j] = c;
                rows[FIRST_ENGINE + j].record(s);
            }
        }
        for (i, &k) in counts.iter().enumerate() {
            let (_, s) = measure(Who::Process, || {
                parallel_scrub(scrubber, input, k, &mut bufs[i], &mut outn)
            });
            rows[first_par + i].record(s);
            identical[i] &= outn == outs[reference];
        }
        let (c, s) = measure(Who::Thread, || naive.scrub(input, &mut outnaive));
        changed_naive = c;
        rows[nv].record(s);
    }
    rows[0].note = format!("best of {reps} × {k_memchr} passes (repeated for a CPU-time figure)");
    rows[1].note = format!("best of {reps} × {k_memcpy} passes (repeated for a CPU-time figure)");
    assert_eq!(nl, lines);
    let ref_out = &outs[reference];
    let ref_name = engines[reference].backend;
    let one_thread_wall = rows[FIRST_ENGINE + reference]
        .mbps_wall()
        .unwrap_or(f64::INFINITY);
    for (i, same) in identical.iter().enumerate() {
        let row = &mut rows[first_par + i];
        row.note = if *same {
            format!(
                "output identical to the 1-thread {ref_name} row ({} bytes); wall speed-up over it: {:.2}×",
                ref_out.len(),
                row.mbps_wall().unwrap_or(0.0) / one_thread_wall
            )
        } else {
            format!(
                "OUTPUT DIFFERS from the 1-thread {ref_name} row (a block spanning a chunk boundary?)"
            )
        };
    }
    // Every backend must give the same bytes: compare each built row with the reference row.
    let mut compared = Vec::new();
    let mut differing = Vec::new();
    for (j, e) in engines.iter().enumerate() {
        let row = &mut rows[FIRST_ENGINE + j];
        if let Err(why) = &e.scrubber {
            row.note = format!("skipped: cannot build the pack for this backend: {why}");
            continue;
        }
        row.note = format!(
            "{} lines changed ({:.2}% of lines), output {} bytes",
            changed[j],
            100.0 * changed[j] as f64 / lines.max(1) as f64,
            outs[j].len()
        );
        if j == reference {
            continue;
        }
        compared.push(e.backend.name());
        match first_difference(&outs[j], ref_out) {
            None => row
                .note
                .push_str(&format!("; byte-identical to the {ref_name} row")),
            Some(at) => {
                row.note.push_str(&format!(
                    "; OUTPUT DIFFERS from the {ref_name} row (first difference at byte {at})"
                ));
                differing.push(e.backend.name());
            }
        }
    }
    let backend_check = if compared.is_empty() {
        format!(
            "only the {ref_name} prefilter backend was run: no other backend to compare with (build with \
             `--features vectorscan` for a Vectorscan row)"
        )
    } else if differing.is_empty() {
        format!(
            "outputs of the prefilter backends {ref_name}, {} are byte-identical ({} bytes)",
            compared.join(", "),
            ref_out.len()
        )
    } else {
        format!(
            "OUTPUTS DIFFER between prefilter backends: {} against {ref_name}",
            differing.join(", ")
        )
    };
    rows[nv].note = format!(
        "{changed_naive} lines changed ({:.2}%; no validators or context, so not comparable in precision)",
        100.0 * changed_naive as f64 / lines.max(1) as f64
    );
    drop((copy_dst, outs, outn, outnaive, bufs));

    if !args.no_external {
        external_rows(input, reps, rg, cli, threads, &mut rows);
    }
    print!("{}", throughput_table(&rows, MEMCHR, &naive_name));
    println!("\n- backend check: {backend_check}");
    println!("\n(load average after this table: {})", loadavg());
}

fn external_rows(
    input: &[u8],
    reps: usize,
    rg: Option<&Rg>,
    cli: Option<&Cli>,
    threads: usize,
    rows: &mut Vec<Row>,
) {
    let len = input.len();
    let file = match TempFile::with_bytes("input.log", input) {
        Ok(f) => f,
        Err(e) => {
            let mut r = Row::new("external tools", 1, len);
            r.note = format!("skipped: cannot write a temp file ({e})");
            rows.push(r);
            return;
        }
    };
    // (name, command builder, stdin from file?)
    type Make<'a> = Box<dyn Fn() -> Command + 'a>;
    // (row, command, stdin from the file, copies of the file read per run)
    let mut cmds: Vec<(Row, Make, bool, u32)> = Vec::new();
    match find_in_path("cat") {
        Some(cat) => {
            // `cat` takes a few ms per 100 MB: name the file k times so one run lasts ~300 ms of wall time.
            let once = run_child(Command::new(&cat).arg(&file.0), None, false)
                .map(|(_, _, s)| s.wall)
                .unwrap_or(Duration::from_millis(300));
            let k = (0.3 / once.as_secs_f64().max(1e-4)).ceil().clamp(1.0, 64.0) as u32;
            let f = file.0.clone();
            cmds.push((
                Row::new("`cat file > /dev/null`", 1, len),
                Box::new(move || {
                    let mut c = Command::new(&cat);
                    for _ in 0..k {
                        c.arg(&f);
                    }
                    c
                }),
                false,
                k,
            ));
        }
        None => {
            let mut r = Row::new("`cat`", 1, len);
            r.note = "skipped: cat not found on PATH".to_string();
            rows.push(r);
        }
    }
    match rg {
        Some(rg) => {
            let f = file.0.clone();
            cmds.push((
                Row::new(
                    format!("`rg -j1 --no-unicode -c -f <{} patterns>`", rg.kept),
                    1,
                    len,
                ),
                Box::new(move || {
                    let mut c = Command::new(&rg.path);
                    c.args(["-j1", "--no-unicode", "-c", "-f"])
                        .arg(&rg.patterns.0)
                        .arg(&f);
                    c
                }),
                false,
                1,
            ));
        }
        None => {
            let mut r = Row::new("`rg`", 1, len);
            r.note = "skipped: ripgrep (rg) not found on PATH (`apt-get install -y ripgrep`)"
                .to_string();
            rows.push(r);
        }
    }
    match cli {
        Some(cli) => {
            let p = cli.path.clone();
            cmds.push((
                Row::new("`logscrub < file > /dev/null`", 1, len),
                Box::new(move || Command::new(&p)),
                true,
                1,
            ));
            match &cli.threads_ok {
                Ok(()) => {
                    let p = cli.path.clone();
                    cmds.push((
                        Row::new(format!("`logscrub --threads {threads}`"), threads, len),
                        Box::new(move || {
                            let mut c = Command::new(&p);
                            c.arg("--threads").arg(threads.to_string());
                            c
                        }),
                        true,
                        1,
                    ));
                }
                Err(why) => {
                    let mut r = Row::new(format!("`logscrub --threads {threads}`"), threads, len);
                    r.note = format!("skipped: {why}");
                    rows.push(r);
                }
            }
        }
        None => {
            let mut r = Row::new("`logscrub` CLI", 1, len);
            r.note =
                "skipped: no usable release binary (see the note above the tables)".to_string();
            rows.push(r);
        }
    }
    let mut rg_count = String::new();
    for _ in 0..reps {
        for (row, make, stdin, k) in cmds.iter_mut() {
            if !row.note.starts_with("failed") {
                let mut cmd = make();
                let capture = row.name.starts_with("`rg");
                match run_child(&mut cmd, stdin.then_some(file.0.as_path()), capture) {
                    Ok((status, out, s))
                        if status.success() || (capture && status.code() == Some(1)) =>
                    {
                        row.record(Sample {
                            wall: s.wall / *k,
                            cpu: s.cpu / *k,
                        });
                        if *k > 1 {
                            row.note =
                                format!("{k} copies of the file per run (for a CPU-time figure)");
                        }
                        if capture {
                            rg_count = String::from_utf8_lossy(&out).trim().to_string();
                        }
                    }
                    Ok((status, out, _)) => {
                        row.note = format!(
                            "failed: {status}: {}",
                            String::from_utf8_lossy(&out[out.len().saturating_sub(200)..]).trim()
                        );
                    }
                    Err(e) => row.note = format!("failed: cannot run ({e})"),
                }
            }
        }
    }
    for (mut row, _, _, _) in cmds {
        if row.name.starts_with("`rg") && row.note.is_empty() {
            row.note =
                format!("counts matching lines only (no replacement): {rg_count} lines matched");
        }
        if row.name.starts_with("`logscrub <") && row.note.is_empty() {
            if let Some(c) = cli {
                row.note = c.note.clone();
            }
        }
        rows.push(row);
    }
}

/// Exports the pack's patterns for `rg -f`, dropping (with a note) those rg cannot parse.
fn setup_rg(set: &RuleSet) -> Option<Rg> {
    let Some(path) = find_in_path("rg") else {
        println!("- rg: not found on PATH; its rows are skipped");
        return None;
    };
    let version = Command::new(&path)
        .arg("--version")
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_default();
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for r in set.rules() {
        let Some(p) = r.rule.pattern.as_deref() else {
            continue;
        };
        // rg joins the patterns of `-f` into one alternation, where a group name used by several rules is a
        // duplicate: named groups become plain groups (the match is the same).
        let p = &p.replace("(?P<secret>", "(?:").replace("(?<secret>", "(?:");
        let ok = TempFile::with_bytes("pattern", format!("{p}\n").as_bytes())
            .ok()
            .and_then(|f| {
                Command::new(&path)
                    .args(["-j1", "--no-unicode", "-c", "-f"])
                    .arg(&f.0)
                    .arg("/dev/null")
                    .output()
                    .ok()
            })
            .is_some_and(|o| o.status.code() != Some(2));
        if ok {
            kept.push(p.to_string());
        } else {
            dropped.push(r.rule.id.clone());
        }
    }
    let patterns = TempFile::with_bytes("patterns", (kept.join("\n") + "\n").as_bytes()).ok()?;
    println!(
        "- rg: `{version}` at {}; {} patterns exported from the pack (named groups made non-capturing){}",
        path.display(),
        kept.len(),
        if dropped.is_empty() {
            String::new()
        } else {
            format!(
                "; dropped (rg cannot parse them): {}",
                dropped.join(", ")
            )
        }
    );
    Some(Rg {
        path,
        patterns,
        kept: kept.len(),
    })
}

/// Finds the CLI and checks on the plain corpus that it really scrubs (a stub that prints nothing is not timed).
fn setup_cli(args: &Args, scrubber: &Scrubber, sample: &[u8], threads: usize) -> Option<Cli> {
    let Some(path) = logscrub_candidates(args).into_iter().find(|p| p.is_file()) else {
        println!(
            "- logscrub CLI: no release binary at {} (build it with `cargo build --release -p logscrub-cli`); its \
             rows are skipped",
            logscrub_candidates(args)
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" or ")
        );
        return None;
    };
    let file = TempFile::with_bytes("sample.log", sample).ok()?;
    let mut expected = Vec::new();
    stream_scrub(scrubber, sample, &mut expected);
    let check = |extra: &[String]| -> Result<Vec<u8>, String> {
        let mut cmd = Command::new(&path);
        cmd.args(extra);
        match run_child(&mut cmd, Some(&file.0), true) {
            Ok((st, out, _)) if st.success() => Ok(out),
            Ok((st, out, _)) => Err(format!(
                "exits with {st} ({})",
                String::from_utf8_lossy(&out[out.len().saturating_sub(160)..])
                    .trim()
                    .replace('\n', " ")
            )),
            Err(e) => Err(format!("cannot run: {e}")),
        }
    };
    let plain = match check(&[]) {
        Ok(out) => out,
        Err(why) => {
            println!(
                "- logscrub CLI at {}: {why}; its rows are skipped",
                path.display()
            );
            return None;
        }
    };
    if plain.len() < sample.len() / 2 {
        println!(
            "- logscrub CLI at {}: wrote {} bytes for a {}-byte sample (a stub?); its rows are skipped",
            path.display(),
            plain.len(),
            sample.len()
        );
        return None;
    }
    let note = if plain == expected {
        "output checked identical to the engine's on the corpus sample".to_string()
    } else {
        format!(
            "output differs from the engine's default-policy output on the corpus sample ({} vs {} bytes): \
             different defaults or version",
            plain.len(),
            expected.len()
        )
    };
    let threads_ok = check(&["--threads".to_string(), threads.to_string()]).and_then(|out| {
        if out == plain {
            Ok(())
        } else {
            Err(format!(
                "`--threads {threads}` output differs from the 1-thread output on the sample"
            ))
        }
    });
    let threads_ok = threads_ok.map_err(|e| format!("`--threads` rejected or unusable: {e}"));
    println!("- logscrub CLI: {} ({note})", path.display());
    Some(Cli {
        path,
        note,
        threads_ok,
    })
}
