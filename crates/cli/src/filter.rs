//! The filter: stdin or files in, scrubbed bytes out, in input order, in bounded memory.
//!
//! One thread reads and cuts the input into line-aligned chunks; worker threads scrub chunks with their own
//! [`LineStream`]; one thread writes results back in order. A line longer than the policy's limit is never cut
//! between workers: the reader scrubs it itself with the engine's windowed long-line handling, so the guarantee
//! "never passed through unscanned" holds with any thread count. Chunks are not cut inside a private-key block.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use logscrub_engine::{LineStream, Scrubber, Stats};

use crate::inputs::{self, Decompress, Source, Walk};
use crate::output::{check_stdout_open, PipeClosed};
use crate::progress::{Progress, When};
use crate::{exit, load, FilterArgs, StatsFormat};

/// Target size of one chunk handed to a worker.
const CHUNK: usize = 1 << 20;
/// Read size.
const READ: usize = 256 * 1024;

/// Is stdout a pipe or a terminal (where a reader waits for each line)?
pub(crate) fn stdout_is_live() -> bool {
    use std::os::unix::fs::FileTypeExt;
    if io::stdout().is_terminal() {
        return true;
    }
    std::fs::metadata("/dev/stdout")
        .map(|m| m.file_type().is_fifo() || m.file_type().is_socket())
        .unwrap_or(false)
}

/// Writes to stdout; a closed pipe (`logscrub | head`) ends the run quietly.
struct Output {
    out: io::BufWriter<io::Stdout>,
    live: bool,
}

impl Output {
    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        let r =
            self.out.write_all(bytes).and_then(
                |()| {
                    if self.live {
                        self.out.flush()
                    } else {
                        Ok(())
                    }
                },
            );
        match r {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(PipeClosed.into()),
            Err(e) => Err(anyhow::Error::new(e).context("cannot write to stdout")),
            Ok(()) => Ok(()),
        }
    }
    fn flush(&mut self) -> Result<()> {
        match self.out.flush() {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(PipeClosed.into()),
            r => r.context("cannot write to stdout"),
        }
    }
}

/// Runs the filter; returns the exit code.
pub fn run(args: &FilterArgs) -> Result<u8> {
    let scrubber = load::scrubber(&args.rules)?;
    check_stdout_open()?;
    let inputs = inputs::sources(&args.files, Walk::default());
    let threads = args
        .threads
        .unwrap_or_else(|| {
            default_threads(inputs::total_size(&inputs).or_else(|| stdin_file_size(&inputs)))
        })
        .clamp(1, 256);
    let mut output = Output {
        out: io::BufWriter::with_capacity(READ, io::stdout()),
        live: args.line_buffered || stdout_is_live(),
    };
    let start = Instant::now();
    let progress = Progress::new(
        When::from_flags(args.progress, args.no_progress),
        inputs::total_size(&inputs),
        inputs::all_files(&inputs),
    );
    let mode = if args.decompress {
        Decompress::Sniff
    } else {
        Decompress::ByName
    };
    let result = if threads == 1 {
        sequential(&scrubber, &inputs, mode, &mut output, &progress)
    } else if args.threads.is_none() && matches!(inputs.as_slice(), [Source::Stdin]) {
        // A pipe of unknown size: start threads only once there is work for them.
        adaptive(&scrubber, &inputs, mode, threads, output, &progress)
    } else {
        parallel(&scrubber, &inputs, mode, threads, output, &progress, None)
    };
    progress.finish();
    let stats = match result {
        Ok(s) => s,
        Err(e) if e.downcast_ref::<PipeClosed>().is_some() => return Ok(exit::OK),
        Err(e) => return Err(e),
    };
    if args.stats {
        match args.format {
            StatsFormat::Text => print_stats(&scrubber, &stats, start.elapsed(), threads),
            StatsFormat::Json => print_stats_json(&scrubber, &stats, start.elapsed(), threads),
        }
    }
    Ok(exit::OK)
}

/// Files smaller than this run on one thread by default: a handful of chunks cannot keep several workers busy, and
/// starting them (each with its own scratch for every rule) costs more than it saves.
const SMALL_INPUT: u64 = 4 * READ as u64;

/// The thread count when `--threads` is not given: one for small files, else one per available core.
fn default_threads(total_size: Option<u64>) -> usize {
    match total_size {
        Some(n) if n <= SMALL_INPUT => 1,
        _ => std::thread::available_parallelism().map_or(1, |n| n.get()),
    }
}

/// The size of standard input when it is the only input and a regular file (`logscrub < app.log`), so that a small
/// one runs on one thread as a small named file does.
fn stdin_file_size(inputs: &[Source]) -> Option<u64> {
    if !matches!(inputs, [Source::Stdin]) {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let fd = io::stdin().as_fd().try_clone_to_owned().ok()?;
        let meta = std::fs::File::from(fd).metadata().ok()?;
        meta.is_file().then_some(meta.len())
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Bytes a pipe of unknown size is scrubbed on the calling thread before the workers start: a small input never
/// pays for threads it cannot keep busy, a large one runs all but its first read on the workers.
const PIPE_SEQUENTIAL: usize = READ;

/// Scrubs standard input on this thread until `PIPE_SEQUENTIAL` bytes have come, then hands the rest to
/// [`parallel`] at a line boundary where the stream is at rest (no partial line, no open key block), so the
/// output is the one a single stream would write.
fn adaptive(
    scrubber: &Scrubber,
    inputs: &[Source],
    mode: Decompress,
    threads: usize,
    mut output: Output,
    progress: &Progress,
) -> Result<Stats> {
    let [input] = inputs else {
        return parallel(scrubber, inputs, mode, threads, output, progress, None);
    };
    let mut reader = input.open(mode, progress)?;
    let mut stream = scrubber.stream();
    let mut buf = vec![0u8; READ];
    let mut out = Vec::with_capacity(READ + READ / 2);
    let mut seen = 0usize;
    loop {
        let n = input.read_some(&mut reader, &mut buf)?;
        if n == 0 {
            out.clear();
            stream.finish(&mut out);
            output.write(&out)?;
            output.flush()?;
            return Ok(stream.stats().clone());
        }
        seen += n;
        let data = &buf[..n];
        out.clear();
        match memchr::memrchr(b'\n', data) {
            Some(nl) if seen >= PIPE_SEQUENTIAL => {
                stream.push(&data[..=nl], &mut out);
                output.write(&out)?;
                if stream.is_at_rest() {
                    let rest = data[nl + 1..].to_vec();
                    let mut stats = stream.stats().clone();
                    let more = parallel(
                        scrubber,
                        inputs,
                        mode,
                        threads,
                        output,
                        progress,
                        Some((reader, rest)),
                    )?;
                    stats.merge(&more);
                    return Ok(stats);
                }
                out.clear();
                stream.push(&data[nl + 1..], &mut out);
                output.write(&out)?;
            }
            _ => {
                stream.push(data, &mut out);
                output.write(&out)?;
            }
        }
    }
}

fn sequential(
    scrubber: &Scrubber,
    inputs: &[Source],
    mode: Decompress,
    output: &mut Output,
    progress: &Progress,
) -> Result<Stats> {
    let mut total = Stats::default();
    let mut buf = vec![0u8; READ];
    let mut out = Vec::with_capacity(READ + READ / 2);
    for input in inputs {
        let mut reader = input.open(mode, progress)?;
        let mut stream = scrubber.stream();
        loop {
            let n = input.read_some(&mut reader, &mut buf)?;
            if n == 0 {
                break;
            }
            out.clear();
            stream.push(&buf[..n], &mut out);
            output.write(&out)?;
        }
        out.clear();
        stream.finish(&mut out);
        output.write(&out)?;
        total.merge(stream.stats());
    }
    output.flush()?;
    Ok(total)
}

/// The first input, already open, and the bytes read from it that are still to be scrubbed.
type Opened = (Box<dyn std::io::Read + Send>, Vec<u8>);

/// Work for a worker thread.
enum Job {
    /// Line-aligned bytes to scrub; `last` ends an input (a final line without newline is finished).
    Scrub { seq: u64, data: Vec<u8>, last: bool },
    /// Bytes the reader already scrubbed (an over-long line), passed on in order.
    Done { seq: u64, data: Vec<u8> },
}

fn memchr_rev(buf: &[u8]) -> Option<usize> {
    memchr::memrchr(b'\n', buf)
}

fn parallel(
    scrubber: &Scrubber,
    inputs: &[Source],
    mode: Decompress,
    threads: usize,
    mut output: Output,
    progress: &Progress,
    opened: Option<Opened>,
) -> Result<Stats> {
    let (job_tx, job_rx) = sync_channel::<Job>(threads * 2);
    let job_rx = Arc::new(Mutex::new(job_rx));
    // Chunks read but not yet written are bounded by permits, whatever order the workers finish in: the reader
    // takes one per chunk, the writer gives it back once the chunk is out. That keeps memory independent of the
    // input even when one worker is slow and the others run ahead (their results wait in the writer).
    let (permit_tx, permit_rx) = sync_channel::<()>(threads * 4);
    let (res_tx, res_rx) = channel::<(u64, Vec<u8>)>();
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let rx = Arc::clone(&job_rx);
            let tx = res_tx.clone();
            let mut stream = scrubber.stream();
            std::thread::spawn(move || {
                worker(&rx, &tx, &mut stream).map(|()| stream.stats().clone())
            })
        })
        .collect();
    drop(res_tx);
    let writer = std::thread::spawn(move || writer(res_rx, &permit_rx, &mut output));

    let read_result = read_chunks(
        scrubber, inputs, mode, &job_tx, &permit_tx, progress, opened,
    );
    drop(job_tx);
    let mut total = Stats::default();
    let mut worker_error = None;
    for w in workers {
        match w.join() {
            Ok(Ok(s)) => total.merge(&s),
            Ok(Err(e)) => worker_error = Some(e),
            Err(_) => worker_error = Some(anyhow::anyhow!("a worker thread panicked")),
        }
    }
    let write_result = writer
        .join()
        .map_err(|_| anyhow::anyhow!("the writer thread panicked"))?;
    // A closed output explains the others' errors: report it first.
    write_result?;
    let reader_stats = read_result?;
    if let Some(e) = worker_error {
        return Err(e);
    }
    total.merge(&reader_stats);
    Ok(total)
}

fn worker(
    rx: &Mutex<Receiver<Job>>,
    tx: &Sender<(u64, Vec<u8>)>,
    stream: &mut LineStream,
) -> Result<()> {
    loop {
        let job = {
            let guard = rx
                .lock()
                .map_err(|_| anyhow::anyhow!("job queue poisoned"))?;
            guard.recv()
        };
        let Ok(job) = job else { return Ok(()) };
        let (seq, out) = match job {
            Job::Scrub { seq, data, last } => {
                let mut out = Vec::with_capacity(data.len() + data.len() / 8);
                stream.push(&data, &mut out);
                if last {
                    stream.finish(&mut out);
                }
                (seq, out)
            }
            Job::Done { seq, data } => (seq, data),
        };
        if tx.send((seq, out)).is_err() {
            return Ok(()); // the writer stopped (closed output); it reports why
        }
    }
}

fn writer(rx: Receiver<(u64, Vec<u8>)>, permits: &Receiver<()>, output: &mut Output) -> Result<()> {
    let mut next = 0u64;
    let mut waiting: BTreeMap<u64, Vec<u8>> = BTreeMap::new();
    for (seq, data) in rx {
        waiting.insert(seq, data);
        while let Some(data) = waiting.remove(&next) {
            output.write(&data)?;
            // Hand the chunk's permit back to the reader.
            let _ = permits.try_recv();
            next += 1;
        }
    }
    output.flush()
}

/// Reads every input and sends line-aligned chunks. Returns the stats of the lines the reader scrubbed itself.
fn read_chunks(
    scrubber: &Scrubber,
    inputs: &[Source],
    mode: Decompress,
    tx: &SyncSender<Job>,
    permits: &SyncSender<()>,
    progress: &Progress,
    mut opened: Option<Opened>,
) -> Result<Stats> {
    let max_line = scrubber.limits().max_line_bytes;
    let mut seq = 0u64;
    let mut long_stream = scrubber.stream();
    let send = |job: Job| {
        permits
            .send(())
            .and_then(|()| tx.send(job).map_err(|_| std::sync::mpsc::SendError(())))
            .map_err(|_| anyhow::Error::new(PipeClosed))
    };
    let mut read_buf = vec![0u8; READ];
    for input in inputs {
        // The first input may come already open, with bytes read from it but not yet scrubbed (see `adaptive`).
        let (mut reader, mut buf) = match opened.take() {
            Some((reader, rest)) => (reader, rest),
            None => (input.open(mode, progress)?, Vec::new()),
        };
        buf.reserve(CHUNK + READ);
        let mut in_long = false;
        let mut long_out = Vec::new();
        loop {
            let n = input.read_some(&mut reader, &mut read_buf)?;
            if n == 0 {
                break;
            }
            let mut data = &read_buf[..n];
            if in_long {
                // Inside an over-long line: the reader scrubs it (windowed) until its newline.
                match memchr::memchr(b'\n', data) {
                    None => {
                        long_stream.push(data, &mut long_out);
                        data = &[];
                    }
                    Some(nl) => {
                        long_stream.push(&data[..=nl], &mut long_out);
                        data = &data[nl + 1..];
                        in_long = false;
                    }
                }
                if !long_out.is_empty() {
                    send(Job::Done {
                        seq,
                        data: std::mem::take(&mut long_out),
                    })?;
                    seq += 1;
                }
            }
            buf.extend_from_slice(data);
            // A short read means the producer is slow (`tail -f`): hand over what we have so output stays live.
            if buf.len() >= CHUNK || (n < READ && !buf.is_empty()) {
                // The engine says where a chunk may end (not inside an open private-key block).
                if let Some(cut) = scrubber.safe_cut(&buf, buf.len() >= 4 * CHUNK) {
                    let rest = buf.split_off(cut);
                    send(Job::Scrub {
                        seq,
                        data: std::mem::replace(&mut buf, rest),
                        last: false,
                    })?;
                    seq += 1;
                } else if memchr_rev(&buf).is_none() && buf.len() >= max_line {
                    // One line longer than the limit: scrub it here, in order, with windows.
                    long_stream.push(&buf, &mut long_out);
                    buf.clear();
                    in_long = true;
                    send(Job::Done {
                        seq,
                        data: std::mem::take(&mut long_out),
                    })?;
                    seq += 1;
                }
            }
        }
        if in_long {
            long_stream.finish(&mut long_out);
            send(Job::Done {
                seq,
                data: std::mem::take(&mut long_out),
            })?;
            seq += 1;
        }
        send(Job::Scrub {
            seq,
            data: buf,
            last: true,
        })?;
        seq += 1;
    }
    Ok(long_stream.stats().clone())
}

/// Prints the end-of-run summary to stderr. Counts only: never a value.
pub fn print_stats(scrubber: &Scrubber, stats: &Stats, elapsed: Duration, threads: usize) {
    let secs = elapsed.as_secs_f64().max(1e-9);
    let mut err = io::stderr().lock();
    let _ = writeln!(
        err,
        "logscrub: {} lines, {:.2} MB in {:.2} s ({:.1} MB/s, {} thread{}), {} lines changed, {} findings",
        stats.lines,
        stats.bytes_in as f64 / 1e6,
        secs,
        stats.bytes_in as f64 / 1e6 / secs,
        threads,
        if threads == 1 { "" } else { "s" },
        stats.lines_changed,
        stats.total_findings()
    );
    let mut by_class: BTreeMap<&str, u64> = BTreeMap::new();
    for (i, &n) in stats.findings.iter().enumerate() {
        if n > 0 {
            *by_class.entry(&scrubber.rules()[i].class).or_default() += n;
        }
    }
    if !by_class.is_empty() {
        let _ = writeln!(err, "  by class:");
        for (class, n) in &by_class {
            let _ = writeln!(err, "    {class:<24} {n}");
        }
    }
    // Findings and cost side by side: the lines a rule's prefilter let through are the lines it paid for.
    let ran = |i: usize| stats.prefiltered.get(i).copied().unwrap_or(0);
    if (0..scrubber.rules().len()).any(|i| stats.findings[i] > 0 || ran(i) > 0) {
        let _ = writeln!(
            err,
            "  by rule: findings, lines the rule ran on (prefilter hits)"
        );
        for (i, r) in scrubber.rules().iter().enumerate() {
            let n = stats.findings.get(i).copied().unwrap_or(0);
            if n > 0 || ran(i) > 0 {
                let _ = writeln!(
                    err,
                    "    {:<24} {n:<10} {:<10} ({})",
                    r.id,
                    ran(i),
                    r.category.as_str()
                );
            }
        }
    }
    let _ = writeln!(
        err,
        "  long lines: {} (windowed {}, masked {}, dropped {}); private-key block lines: {}",
        stats.long_lines,
        stats.long_lines - stats.long_lines_masked - stats.long_lines_dropped,
        stats.long_lines_masked,
        stats.long_lines_dropped,
        stats.block_lines
    );
}

/// `--stats --format json`: the same counts as one JSON object on stderr. Counts only: never a value.
pub fn print_stats_json(scrubber: &Scrubber, stats: &Stats, elapsed: Duration, threads: usize) {
    let secs = elapsed.as_secs_f64().max(1e-9);
    let mut by_class: BTreeMap<&str, u64> = BTreeMap::new();
    let mut rules = serde_json::Map::new();
    for (i, r) in scrubber.rules().iter().enumerate() {
        let n = stats.findings.get(i).copied().unwrap_or(0);
        let ran = stats.prefiltered.get(i).copied().unwrap_or(0);
        if n > 0 {
            *by_class.entry(&r.class).or_default() += n;
        }
        if n > 0 || ran > 0 {
            rules.insert(
                r.id.clone(),
                serde_json::json!({ "findings": n, "lines_scanned": ran, "category": r.category.as_str() }),
            );
        }
    }
    let v = serde_json::json!({
        "lines": stats.lines,
        "bytes_in": stats.bytes_in,
        "bytes_out": stats.bytes_out,
        "seconds": secs,
        "mb_per_s": stats.bytes_in as f64 / 1e6 / secs,
        "threads": threads,
        "lines_changed": stats.lines_changed,
        "findings": stats.total_findings(),
        "by_class": by_class,
        "by_rule": rules,
        "long_lines": {
            "total": stats.long_lines,
            "windowed": stats.long_lines - stats.long_lines_masked - stats.long_lines_dropped,
            "masked": stats.long_lines_masked,
            "dropped": stats.long_lines_dropped,
        },
        "block_lines": stats.block_lines,
    });
    let _ = writeln!(io::stderr().lock(), "{v}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_files_run_on_one_thread_by_default() {
        assert_eq!(default_threads(Some(0)), 1);
        assert_eq!(default_threads(Some(SMALL_INPUT)), 1);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(default_threads(Some(SMALL_INPUT + 1)), cores);
        // A pipe's size is unknown: it may be endless.
        assert_eq!(default_threads(None), cores);
    }
}
