//! The scan pipeline: one reader cuts each input into line-aligned chunks, worker threads find what is in them
//! with their own [`LineStream`], and the caller receives each chunk's findings in input order, as soon as the
//! chunks before it are done. Chunks in flight are bounded by permits, so memory does not depend on the input
//! size or on how many findings it holds.
//!
//! It never keeps a finding past its chunk and never copies a scanned value into a result: a hit is a line,
//! columns, a rule and a keyed hash (plus, when asked, the line as the filter would write it, value replaced).

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::mpsc::{channel, sync_channel, SyncSender};
use std::sync::{Arc, Mutex};

use anyhow::Result;
use logscrub_engine::{LineFinding, LineStream, RuleRef, Scrubber, Stats};

use crate::inputs::{Decompress, Source};
use crate::progress::Progress;

/// Target size of one chunk.
const CHUNK: usize = 1 << 20;
/// Read size.
const READ: usize = 256 * 1024;
/// Longest context shown around a finding, in characters.
const CONTEXT_CHARS: usize = 160;

/// One finding, in the coordinates of its input.
#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based line number.
    pub line: u64,
    /// 1-based column of the first character (Unicode code points; invalid UTF-8 bytes count one each).
    pub col: u64,
    /// 1-based column just past the last character.
    pub end_col: u64,
    /// Byte offsets in the line.
    pub start: usize,
    /// Byte offset just past the value.
    pub end: usize,
    /// The rule that found it.
    pub rule: RuleRef,
    /// Keyed hash of the value.
    pub hash: u64,
    /// The scrubbed line around the finding (value replaced), when context was asked for.
    pub context: Option<String>,
}

/// What the caller receives, in input order.
pub enum Event {
    /// The findings of one chunk of input `source`.
    Hits { source: usize, hits: Vec<Hit> },
    /// An input could not be read (the message names it and the fix); the scan went on with the next.
    Refused { error: anyhow::Error },
}

/// Scan settings.
pub struct Settings {
    /// Worker threads.
    pub threads: usize,
    /// How to recognise compressed inputs.
    pub decompress: Decompress,
    /// Attach the scrubbed line to each hit.
    pub context: bool,
}

enum Job {
    Scan {
        seq: u64,
        source: usize,
        first_line: u64,
        data: Vec<u8>,
        last: bool,
    },
    Ready {
        seq: u64,
        event: Event,
    },
}

/// Scans every source; `sink` gets each event in input order (on the calling thread). Returns the merged
/// counters. A sink error (closed output) stops the scan.
pub fn run(
    scrubber: &Scrubber,
    sources: &[Source],
    settings: &Settings,
    progress: &Progress,
    mut sink: impl FnMut(Event) -> Result<()>,
) -> Result<Stats> {
    let threads = settings.threads.max(1);
    let (job_tx, job_rx) = sync_channel::<Job>(threads * 2);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (permit_tx, permit_rx) = sync_channel::<()>(threads * 4);
    let (res_tx, res_rx) = channel::<(u64, Event)>();
    let mut workers = Vec::new();
    for _ in 0..threads {
        let rx = Arc::clone(&job_rx);
        let tx = res_tx.clone();
        let mut stream = scrubber.stream().collect_findings(true);
        let context = settings.context;
        workers.push(std::thread::spawn(move || {
            worker(&rx, &tx, &mut stream, context);
            stream.stats().clone()
        }));
    }
    drop(res_tx);
    let reader = {
        let scrubber = scrubber.clone();
        let sources = sources.to_vec();
        let progress = progress.clone();
        let decompress = settings.decompress;
        std::thread::spawn(move || {
            read_all(
                &scrubber, &sources, decompress, &job_tx, &permit_tx, &progress,
            )
        })
    };

    let mut next = 0u64;
    let mut waiting: BTreeMap<u64, Event> = BTreeMap::new();
    let mut sink_result = Ok(());
    for (seq, event) in res_rx.iter() {
        waiting.insert(seq, event);
        while let Some(event) = waiting.remove(&next) {
            next += 1;
            let _ = permit_rx.try_recv();
            if sink_result.is_ok() {
                sink_result = sink(event);
            }
        }
        if sink_result.is_err() {
            break;
        }
    }
    // Stop the reader if it is waiting for a permit (the sink failed), then collect everyone.
    drop(permit_rx);
    drop(res_rx);
    let reader_stats = reader
        .join()
        .map_err(|_| anyhow::anyhow!("the reader thread panicked"))?;
    let mut total = Stats::default();
    for w in workers {
        let s = w
            .join()
            .map_err(|_| anyhow::anyhow!("a worker thread panicked"))?;
        total.merge(&s);
    }
    sink_result?;
    total.merge(&reader_stats);
    Ok(total)
}

fn worker(
    rx: &Mutex<std::sync::mpsc::Receiver<Job>>,
    tx: &std::sync::mpsc::Sender<(u64, Event)>,
    stream: &mut LineStream,
    context: bool,
) {
    let mut out = Vec::with_capacity(CHUNK + CHUNK / 4);
    loop {
        let job = match rx.lock() {
            Ok(guard) => guard.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        let (seq, event) = match job {
            Job::Ready { seq, event } => (seq, event),
            Job::Scan {
                seq,
                source,
                first_line,
                data,
                last,
            } => {
                out.clear();
                let before = stream.stats().lines;
                stream.push(&data, &mut out);
                if last {
                    stream.finish(&mut out);
                }
                let lines = stream.stats().lines - before;
                let found = stream.take_findings();
                let hits = to_hits(
                    &data,
                    &found,
                    before,
                    first_line,
                    context.then_some((&out[..], lines)),
                );
                (seq, Event::Hits { source, hits })
            }
        };
        if tx.send((seq, event)).is_err() {
            return;
        }
    }
}

/// Turns stream findings into hits in input coordinates. `data` holds whole lines; `before` is the stream's line
/// count before `data`; `scrubbed` is the stream's output for `data` and how many lines it counted.
fn to_hits(
    data: &[u8],
    found: &[LineFinding],
    before: u64,
    first_line: u64,
    scrubbed: Option<(&[u8], u64)>,
) -> Vec<Hit> {
    if found.is_empty() {
        return Vec::new();
    }
    let starts = line_starts(data);
    // Context comes from the scrubbed output, line for line; when the policy dropped a line the two no longer
    // align, and context is left out rather than shown for the wrong line.
    let out_starts = scrubbed.and_then(|(out, lines)| {
        let s = line_starts(out);
        (s.len() as u64 >= lines && data_lines(data) == lines).then_some((out, s))
    });
    // Columns and context are counted with cursors that move forward along each line, so a line with many
    // findings costs its length once, not once per finding.
    let mut cols = CharCursor::default();
    let mut ctx = LineText::default();
    found
        .iter()
        .map(|f| {
            let rel = (f.line - before).saturating_sub(1) as usize;
            let line = line_at(data, &starts, rel);
            let (start, end) = (
                f.finding.start.min(line.len()),
                f.finding.end.min(line.len()),
            );
            let col = cols.chars_before(rel, line, start) + 1;
            let end_col = col + chars(&line[start..end]);
            let context = out_starts
                .as_ref()
                .map(|(out, s)| ctx.window(rel, line_at(out, s, rel), start));
            Hit {
                line: first_line + rel as u64,
                col,
                end_col,
                start: f.finding.start,
                end: f.finding.end,
                rule: f.finding.rule,
                hash: f.finding.hash,
                context,
            }
        })
        .collect()
}

/// Counts the characters before successive byte offsets of a line, moving forward from the last offset asked.
#[derive(Default)]
struct CharCursor {
    line: Option<usize>,
    byte: usize,
    chars: u64,
}

impl CharCursor {
    /// The characters of `text[..at]` (as [`chars`] counts them), `text` being line `line`.
    fn chars_before(&mut self, line: usize, text: &[u8], at: usize) -> u64 {
        if self.line != Some(line) || at < self.byte {
            *self = CharCursor {
                line: Some(line),
                byte: 0,
                chars: 0,
            };
        }
        let n = self.chars + chars(&text[self.byte..at]);
        // Move only to a character boundary, so that counting on from here equals counting from the line start.
        if text.get(at).is_none_or(|&b| !(0x80..=0xBF).contains(&b)) {
            self.byte = at;
            self.chars = n;
        }
        n
    }
}

/// The scrubbed line that context windows are cut from, decoded once per line with the byte offset of each of its
/// characters.
#[derive(Default)]
struct LineText {
    line: Option<usize>,
    text: String,
    /// Byte offset in `text` of each character, and `text.len()` at the end.
    starts: Vec<usize>,
    cursor: CharCursor,
}

impl LineText {
    /// At most [`CONTEXT_CHARS`] characters of line `line` (`out` is its scrubbed bytes) around byte `near`, in
    /// time independent of how many windows the line gives.
    fn window(&mut self, line: usize, out: &[u8], near: usize) -> String {
        if self.line != Some(line) {
            self.line = Some(line);
            self.text = String::from_utf8_lossy(out).into_owned();
            self.starts.clear();
            self.starts.extend(self.text.char_indices().map(|(i, _)| i));
            self.starts.push(self.text.len());
            self.cursor = CharCursor::default();
        }
        let n = self.starts.len() - 1;
        if n <= CONTEXT_CHARS {
            return self.text.clone();
        }
        let near_chars = self.cursor.chars_before(line, out, near.min(out.len())) as usize;
        let from = near_chars
            .saturating_sub(CONTEXT_CHARS / 2)
            .min(n - CONTEXT_CHARS);
        let mut s = String::with_capacity(CONTEXT_CHARS + 8);
        if from > 0 {
            s.push('…');
        }
        s.push_str(&self.text[self.starts[from]..self.starts[from + CONTEXT_CHARS]]);
        if from + CONTEXT_CHARS < n {
            s.push('…');
        }
        s
    }
}

fn data_lines(data: &[u8]) -> u64 {
    let n = memchr::memchr_iter(b'\n', data).count() as u64;
    if data.last().is_some_and(|&b| b != b'\n') {
        n + 1
    } else {
        n
    }
}

fn line_starts(data: &[u8]) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(memchr::memchr_iter(b'\n', data).map(|i| i + 1));
    v
}

/// Line `i` of `data` (0-based) without its terminator.
fn line_at<'a>(data: &'a [u8], starts: &[usize], i: usize) -> &'a [u8] {
    let Some(&s) = starts.get(i) else { return &[] };
    let e = starts.get(i + 1).map_or(data.len(), |&e| e - 1);
    let line = &data[s.min(e)..e];
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn chars(b: &[u8]) -> u64 {
    String::from_utf8_lossy(b).chars().count() as u64
}

/// At most [`CONTEXT_CHARS`] characters of the scrubbed line, around byte `near`: the plain statement of what
/// [`LineText::window`] computes in time independent of the number of windows (the tests compare the two).
#[cfg(test)]
fn window(line: &[u8], near: usize) -> String {
    let text = String::from_utf8_lossy(line);
    let n = text.chars().count();
    if n <= CONTEXT_CHARS {
        return text.into_owned();
    }
    let near_chars = chars(&line[..near.min(line.len())]) as usize;
    let from = near_chars
        .saturating_sub(CONTEXT_CHARS / 2)
        .min(n - CONTEXT_CHARS);
    let mut s: String = text.chars().skip(from).take(CONTEXT_CHARS).collect();
    if from > 0 {
        s.insert(0, '…');
    }
    if from + CONTEXT_CHARS < n {
        s.push('…');
    }
    s
}

#[allow(clippy::too_many_arguments)]
fn read_all(
    scrubber: &Scrubber,
    sources: &[Source],
    decompress: Decompress,
    tx: &SyncSender<Job>,
    permits: &SyncSender<()>,
    progress: &Progress,
) -> Stats {
    let mut seq = 0u64;
    let mut long_stream = scrubber.stream().collect_findings(true);
    let mut read_buf = vec![0u8; READ];
    for (idx, source) in sources.iter().enumerate() {
        match read_one(
            scrubber,
            idx,
            source,
            decompress,
            tx,
            permits,
            progress,
            &mut seq,
            &mut long_stream,
            &mut read_buf,
        ) {
            Ok(()) => {}
            Err(ReadStop::Closed) => break,
            Err(ReadStop::Refused(error)) => {
                let job = Job::Ready {
                    seq,
                    event: Event::Refused { error },
                };
                if permits.send(()).is_err() || tx.send(job).is_err() {
                    break;
                }
                seq += 1;
            }
        }
    }
    long_stream.stats().clone()
}

enum ReadStop {
    /// The consumer stopped (closed output).
    Closed,
    /// This input cannot be read.
    Refused(anyhow::Error),
}

#[allow(clippy::too_many_arguments)]
fn read_one(
    scrubber: &Scrubber,
    idx: usize,
    source: &Source,
    decompress: Decompress,
    tx: &SyncSender<Job>,
    permits: &SyncSender<()>,
    progress: &Progress,
    seq: &mut u64,
    long_stream: &mut LineStream,
    read_buf: &mut [u8],
) -> Result<(), ReadStop> {
    let max_line = scrubber.limits().max_line_bytes;
    let send = |job: Job| -> Result<(), ReadStop> {
        permits.send(()).map_err(|_| ReadStop::Closed)?;
        tx.send(job).map_err(|_| ReadStop::Closed)
    };
    let mut reader: Box<dyn Read + Send> = source
        .open(decompress, progress)
        .map_err(ReadStop::Refused)?;
    let mut next_line = 1u64;
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + READ);
    // Inside an over-long line, scanned here (windowed) so that it is never split between workers.
    let mut in_long = false;
    let mut long_line = 0u64;
    let mut long_out = Vec::new();
    let long_hits = |stream: &mut LineStream, line: u64| -> Vec<Hit> {
        stream
            .take_findings()
            .into_iter()
            .map(|f| Hit {
                line,
                // Columns of a windowed line are not computed (the line is not kept whole): byte offsets + 1.
                col: f.finding.start as u64 + 1,
                end_col: f.finding.end as u64 + 1,
                start: f.finding.start,
                end: f.finding.end,
                rule: f.finding.rule,
                hash: f.finding.hash,
                context: None,
            })
            .collect()
    };
    loop {
        let n = source
            .read_some(&mut reader, read_buf)
            .map_err(ReadStop::Refused)?;
        if n == 0 {
            break;
        }
        let mut data = &read_buf[..n];
        if in_long {
            long_out.clear();
            match memchr::memchr(b'\n', data) {
                None => {
                    long_stream.push(data, &mut long_out);
                    data = &[];
                }
                Some(nl) => {
                    long_stream.push(&data[..=nl], &mut long_out);
                    data = &data[nl + 1..];
                    in_long = false;
                    next_line += 1;
                }
            }
            let hits = long_hits(long_stream, long_line);
            if !hits.is_empty() {
                send(Job::Ready {
                    seq: *seq,
                    event: Event::Hits { source: idx, hits },
                })?;
                *seq += 1;
            }
        }
        buf.extend_from_slice(data);
        // A short read on stdin means a slow producer (`tail -f`): hand over what we have, so findings are live.
        let live = matches!(source, Source::Stdin) && n < read_buf.len() && !buf.is_empty();
        if buf.len() >= CHUNK || live {
            // The engine says where a chunk may end (not inside an open private-key block).
            if let Some(cut) = scrubber.safe_cut(&buf, buf.len() >= 4 * CHUNK) {
                let rest = buf.split_off(cut);
                let chunk = std::mem::replace(&mut buf, rest);
                let first_line = next_line;
                next_line += memchr::memchr_iter(b'\n', &chunk).count() as u64;
                send(Job::Scan {
                    seq: *seq,
                    source: idx,
                    first_line,
                    data: chunk,
                    last: false,
                })?;
                *seq += 1;
            } else if memchr::memrchr(b'\n', &buf).is_none() && buf.len() >= max_line {
                long_out.clear();
                long_stream.push(&buf, &mut long_out);
                buf.clear();
                in_long = true;
                long_line = next_line;
                let hits = long_hits(long_stream, long_line);
                if !hits.is_empty() {
                    send(Job::Ready {
                        seq: *seq,
                        event: Event::Hits { source: idx, hits },
                    })?;
                    *seq += 1;
                }
            }
        }
    }
    if in_long {
        long_out.clear();
        long_stream.finish(&mut long_out);
        let hits = long_hits(long_stream, long_line);
        if !hits.is_empty() {
            send(Job::Ready {
                seq: *seq,
                event: Event::Hits { source: idx, hits },
            })?;
            *seq += 1;
        }
        next_line += 1;
    }
    send(Job::Scan {
        seq: *seq,
        source: idx,
        first_line: next_line,
        data: buf,
        last: true,
    })?;
    *seq += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_keep_the_finding_in_view() {
        let line = format!("{}[REDACTED:email]{}", "a".repeat(500), "b".repeat(500));
        let w = window(line.as_bytes(), 500);
        assert!(w.contains("[REDACTED:email]"), "{w}");
        assert!(w.starts_with('…') && w.ends_with('…'));
        assert!(w.chars().count() <= CONTEXT_CHARS + 2);
    }

    #[test]
    fn cursors_count_as_from_the_line_start() {
        let line = "é€x".repeat(120) + "\u{FFFD}ab" + &"z".repeat(300);
        let bytes = line.as_bytes();
        let mut offsets: Vec<usize> = (0..=bytes.len()).step_by(7).collect();
        offsets.push(bytes.len());
        let mut cols = CharCursor::default();
        let mut text = LineText::default();
        for &at in &offsets {
            assert_eq!(
                cols.chars_before(0, bytes, at),
                chars(&bytes[..at]),
                "at {at}"
            );
            assert_eq!(text.window(0, bytes, at), window(bytes, at), "at {at}");
        }
        // Invalid UTF-8 and offsets inside a character count as before too.
        let raw = [
            b"ab\xE2\x82".as_slice(),
            b"c\xFF",
            "é".as_bytes(),
            &[b'q'; 200],
        ]
        .concat();
        let mut cols = CharCursor::default();
        let mut text = LineText::default();
        for at in 0..=raw.len() {
            assert_eq!(cols.chars_before(1, &raw, at), chars(&raw[..at]), "at {at}");
            assert_eq!(text.window(1, &raw, at), window(&raw, at), "at {at}");
        }
    }

    #[test]
    fn lines_are_cut_without_terminators() {
        let data = b"one\r\ntwo\nthree";
        let s = line_starts(data);
        assert_eq!(line_at(data, &s, 0), b"one");
        assert_eq!(line_at(data, &s, 1), b"two");
        assert_eq!(line_at(data, &s, 2), b"three");
        assert_eq!(data_lines(data), 3);
    }
}
