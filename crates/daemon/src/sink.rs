//! Sinks: where scrubbed batches go. [`FileSink`] writes rotated segment files (size and time rotation,
//! retention by count and age, `fdatasync` group commit); [`StdoutSink`] writes to standard output.
//!
//! Sinks only ever receive scrubbed bytes (see [`crate::pipeline`]). They never log the bytes they write; errors
//! name the path and the I/O error only.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::config::{FileSink as FileSinkConfig, FsyncPolicy};
use crate::pipeline::WriterError;

/// A destination for scrubbed bytes, driven by its own task (see [`crate::writer`]); it is given only the
/// batches of the sources it takes (its `inputs`, routed by [`crate::pipeline::Queue`]).
pub trait Sink: Send {
    /// Appends scrubbed records.
    fn write(&mut self, data: &[u8]) -> Result<(), WriterError>;
    /// Appends a batch: its bytes by default; a sink that keeps record boundaries, keys and headers (Kafka)
    /// reads [`crate::pipeline::Batch::keyed`].
    fn write_batch(&mut self, b: &crate::pipeline::Batch) -> Result<(), WriterError> {
        if b.data.is_empty() {
            return Ok(());
        }
        self.write(&b.data)
    }
    /// Makes everything written so far durable (per policy). Returns true when an fsync happened.
    fn sync(&mut self) -> Result<bool, WriterError>;
    /// Called about twice a second while idle: time-based rotation and retention.
    fn tick(&mut self) -> Result<(), WriterError>;
    /// Closes at shutdown (syncs and closes the current segment).
    fn close(&mut self) -> Result<(), WriterError>;
    /// Undoes what was written since the last successful sync (a failed group is written again later).
    fn rollback(&mut self) -> Result<(), WriterError> {
        Ok(())
    }
}

fn err(what: impl Into<String>, source: std::io::Error) -> WriterError {
    WriterError {
        what: what.into(),
        source,
    }
}

/// A sink with its metrics: every failed write or sync counts in `logscrubd_sink_errors_total`, and the time
/// from the group's first write to the end of its sync goes into `logscrubd_sink_sync_seconds`.
pub struct Instrumented {
    inner: Box<dyn Sink>,
    stats: crate::metrics::SinkStats,
    started: Option<std::time::Instant>,
}

impl Instrumented {
    /// Wraps `inner`, counting into `stats` (see [`crate::metrics::Metrics::sink`]).
    pub fn new(inner: Box<dyn Sink>, stats: crate::metrics::SinkStats) -> Self {
        Instrumented {
            inner,
            stats,
            started: None,
        }
    }

    fn count<T>(&self, r: Result<T, WriterError>) -> Result<T, WriterError> {
        if r.is_err() {
            self.stats.errors.inc();
        }
        r
    }
}

impl Sink for Instrumented {
    fn write(&mut self, data: &[u8]) -> Result<(), WriterError> {
        self.started.get_or_insert_with(std::time::Instant::now);
        let r = self.inner.write(data);
        self.count(r)
    }
    fn write_batch(&mut self, b: &crate::pipeline::Batch) -> Result<(), WriterError> {
        self.started.get_or_insert_with(std::time::Instant::now);
        let r = self.inner.write_batch(b);
        self.count(r)
    }
    fn sync(&mut self) -> Result<bool, WriterError> {
        let started = self.started.take().unwrap_or_else(std::time::Instant::now);
        let r = self.inner.sync();
        if r.is_ok() {
            self.stats
                .sync_seconds
                .observe(started.elapsed().as_secs_f64());
        }
        self.count(r)
    }
    fn tick(&mut self) -> Result<(), WriterError> {
        let r = self.inner.tick();
        self.count(r)
    }
    fn close(&mut self) -> Result<(), WriterError> {
        let r = self.inner.close();
        self.count(r)
    }
    fn rollback(&mut self) -> Result<(), WriterError> {
        self.started = None;
        let r = self.inner.rollback();
        self.count(r)
    }
}

impl crate::config::SinkConfig {
    /// Opens this sink, the `index`-th of `cfg` (a forward's retries count in `stats`). Must be called inside
    /// the daemon's tokio runtime.
    pub fn build(
        &self,
        index: usize,
        cfg: &crate::config::Config,
        metrics: &std::sync::Arc<crate::metrics::Metrics>,
        stats: &crate::metrics::SinkStats,
    ) -> Result<Box<dyn Sink>, crate::app::DaemonError> {
        use crate::config::SinkConfig as C;
        Ok(match self {
            C::File(f) => Box::new(FileSink::open(f, cfg.data_path(&f.dir))?),
            C::Stdout(_) => Box::new(StdoutSink::new()),
            C::Http(h) => Box::new(crate::forward::HttpForward::new(h, stats.clone())?),
            C::Syslog(sy) => Box::new(crate::forward::SyslogForward::new(sy, stats.clone())?),
            C::Kafka(k) => {
                crate::kafka::open_sink(k, metrics.clone(), stats, &format!("sink[{index}]"))?
            }
        })
    }

    /// `check-config`'s environment checks of this sink (`field`: `sink[i]`), see [`crate::environment`].
    pub fn check_environment(
        &self,
        field: &str,
        cfg: &crate::config::Config,
        c: &mut crate::environment::Checks,
    ) {
        use crate::config::SinkConfig as C;
        match self {
            C::File(f) => c.writable_dir(&format!("{field}.dir"), &cfg.data_path(&f.dir)),
            C::Stdout(_) => {}
            C::Http(h) => h.check_environment(field, c),
            C::Syslog(sy) => sy.check_environment(field, c),
            C::Kafka(k) => k.check_environment(field, c),
        }
    }
}

/// The metrics label of the `index`-th sink of the configuration: `file_0`, `http_1`...
pub fn label(index: usize, cfg: &crate::config::SinkConfig) -> String {
    use crate::config::SinkConfig as C;
    let kind = match cfg {
        C::File(_) => "file",
        C::Stdout(_) => "stdout",
        C::Http(_) => "http",
        C::Syslog(_) => "syslog",
        C::Kafka(_) => "kafka",
    };
    format!("{kind}_{index}")
}

/// Standard output.
pub struct StdoutSink {
    out: std::io::Stdout,
}

impl StdoutSink {
    /// The process's stdout.
    pub fn new() -> Self {
        StdoutSink {
            out: std::io::stdout(),
        }
    }
}

impl Default for StdoutSink {
    fn default() -> Self {
        Self::new()
    }
}

impl Sink for StdoutSink {
    fn write(&mut self, data: &[u8]) -> Result<(), WriterError> {
        self.out
            .lock()
            .write_all(data)
            .map_err(|e| err("stdout sink", e))
    }
    fn sync(&mut self) -> Result<bool, WriterError> {
        self.out.lock().flush().map_err(|e| err("stdout sink", e))?;
        Ok(false)
    }
    fn tick(&mut self) -> Result<(), WriterError> {
        Ok(())
    }
    fn close(&mut self) -> Result<(), WriterError> {
        self.sync().map(|_| ())
    }
}

struct Segment {
    file: File,
    path: PathBuf,
    opened: SystemTime,
    size: u64,
    /// Size at the last successful sync (what a rollback returns to).
    synced: u64,
    dirty: bool,
    new: bool,
}

/// Rotated segment files `<prefix>-<unix ms>-<seq>.log` in one directory. A new segment is opened at every start,
/// so a segment torn by a crash is never appended to.
pub struct FileSink {
    dir: PathBuf,
    prefix: String,
    max_bytes: u64,
    max_age: Option<Duration>,
    retain_files: usize,
    retain_age: Option<Duration>,
    fsync: FsyncPolicy,
    encrypt_to: Vec<crate::age::Recipient>,
    seq: u64,
    current: Option<Segment>,
}

impl FileSink {
    /// Creates the directory if needed. The first segment is opened at the first write.
    pub fn open(cfg: &FileSinkConfig, dir: PathBuf) -> Result<Self, WriterError> {
        crate::util::private_dir(&dir)
            .map_err(|e| err(format!("file sink {}", dir.display()), e))?;
        let sink = FileSink {
            dir,
            prefix: cfg.prefix.clone(),
            max_bytes: cfg.max_bytes,
            max_age: (cfg.max_age_secs > 0).then(|| Duration::from_secs(cfg.max_age_secs)),
            retain_files: cfg.retain_files,
            retain_age: (cfg.retain_secs > 0).then(|| Duration::from_secs(cfg.retain_secs)),
            fsync: cfg.fsync,
            encrypt_to: cfg
                .encrypt_to
                .iter()
                .map(|r| {
                    r.parse().map_err(|e: crate::age::BadRecipient| {
                        err("file sink encrypt_to", std::io::Error::other(e.to_string()))
                    })
                })
                .collect::<Result<_, _>>()?,
            seq: 0,
            current: None,
        };
        for p in sink.closed_segments()? {
            if p.extension().is_some_and(|e| e == "log") {
                repair_torn_tail(&p)?;
                // Left in plaintext by a crash before its encryption: encrypt it now.
                sink.encrypt_closed(&p)?;
            }
        }
        Ok(sink)
    }

    fn open_segment(&mut self) -> Result<(), WriterError> {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        loop {
            self.seq += 1;
            let path = self
                .dir
                .join(format!("{}-{ms:013}-{:06}.log", self.prefix, self.seq));
            match crate::util::private_file()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => {
                    self.current = Some(Segment {
                        file,
                        path,
                        opened: SystemTime::now(),
                        size: 0,
                        synced: 0,
                        dirty: false,
                        new: true,
                    });
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(err(format!("file sink {}", path.display()), e)),
            }
        }
    }

    fn rotate(&mut self) -> Result<(), WriterError> {
        if let Some(mut seg) = self.current.take() {
            sync_segment(&mut seg, &self.dir)?;
            self.encrypt_closed(&seg.path)?;
        }
        self.retention()
    }

    /// With `encrypt_to`: `seg.log` becomes `seg.log.age` (written to a temporary name, synced, renamed, the
    /// directory synced) and the plaintext is removed.
    fn encrypt_closed(&self, path: &Path) -> Result<(), WriterError> {
        if self.encrypt_to.is_empty() {
            return Ok(());
        }
        let out = crate::age::age_path(path);
        let mut tmp = out.as_os_str().to_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        let _ = std::fs::remove_file(&tmp);
        crate::age::encrypt_file(path, &tmp, &self.encrypt_to)
            .map_err(|e| err(format!("encrypt {}", path.display()), e))?;
        std::fs::rename(&tmp, &out).map_err(|e| err(format!("rename {}", tmp.display()), e))?;
        sync_dir(&self.dir)?;
        std::fs::remove_file(path).map_err(|e| err(format!("remove {}", path.display()), e))?;
        sync_dir(&self.dir)
    }

    /// Deletes closed segments beyond the count and age limits.
    fn retention(&mut self) -> Result<(), WriterError> {
        if self.retain_files == 0 && self.retain_age.is_none() {
            return Ok(());
        }
        let mut closed = self.closed_segments()?;
        closed.sort();
        let now = SystemTime::now();
        let mut remove = Vec::new();
        if self.retain_files > 0 && closed.len() > self.retain_files {
            let n = closed.len() - self.retain_files;
            remove.extend(closed.drain(..n));
        }
        if let Some(age) = self.retain_age {
            for p in closed {
                let old = std::fs::metadata(&p)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| now.duration_since(t).ok())
                    .is_some_and(|d| d > age);
                if old {
                    remove.push(p);
                }
            }
        }
        for p in remove {
            if let Err(e) = std::fs::remove_file(&p) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    return Err(err(format!("retention {}", p.display()), e));
                }
            }
        }
        Ok(())
    }

    /// Closed segments of this sink (every `<prefix>-*.log` and `.log.age` but the current one).
    pub fn closed_segments(&self) -> Result<Vec<PathBuf>, WriterError> {
        let rd = std::fs::read_dir(&self.dir)
            .map_err(|e| err(format!("file sink {}", self.dir.display()), e))?;
        let cur = self.current.as_ref().map(|s| s.path.clone());
        let mut v = Vec::new();
        for e in rd.flatten() {
            let p = e.path();
            let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if name.starts_with(&format!("{}-", self.prefix))
                && (name.ends_with(".log") || name.ends_with(".log.age"))
                && Some(&p) != cur.as_ref()
            {
                v.push(p);
            }
        }
        Ok(v)
    }

    fn too_old(&self) -> bool {
        match (&self.current, self.max_age) {
            (Some(s), Some(age)) => SystemTime::now()
                .duration_since(s.opened)
                .is_ok_and(|d| d >= age),
            _ => false,
        }
    }
}

/// A crash while writing can leave a final record without its `\n`. That record was never acknowledged (its
/// sender retries), so the partial line is cut off at start.
pub fn repair_torn_tail(p: &Path) -> Result<(), WriterError> {
    use std::io::{Read, Seek, SeekFrom};
    let e = |x| err(format!("repair {}", p.display()), x);
    let mut f = OpenOptions::new()
        .read(true)
        .write(true)
        .open(p)
        .map_err(e)?;
    let len = f.metadata().map_err(e)?.len();
    if len == 0 {
        return Ok(());
    }
    let mut end = len;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let start = end.saturating_sub(buf.len() as u64);
        let n = (end - start) as usize;
        f.seek(SeekFrom::Start(start)).map_err(e)?;
        f.read_exact(&mut buf[..n]).map_err(e)?;
        if end == len && buf[n - 1] == b'\n' {
            return Ok(());
        }
        if let Some(i) = buf[..n].iter().rposition(|&c| c == b'\n') {
            end = start + i as u64 + 1;
            break;
        }
        if start == 0 {
            end = 0;
            break;
        }
        end = start;
    }
    tracing::warn!(segment = %p.display(), removed_bytes = len - end, "cut a partial final record left by a crash");
    f.set_len(end).map_err(e)?;
    f.sync_all().map_err(e)
}

fn sync_segment(seg: &mut Segment, dir: &Path) -> Result<(), WriterError> {
    if seg.dirty {
        seg.file
            .sync_data()
            .map_err(|e| err(format!("fdatasync {}", seg.path.display()), e))?;
        seg.dirty = false;
    }
    if seg.new {
        sync_dir(dir)?;
        seg.new = false;
    }
    Ok(())
}

/// fsyncs a directory so that a new or renamed entry in it survives a crash.
pub fn sync_dir(dir: &Path) -> Result<(), WriterError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| err(format!("fsync directory {}", dir.display()), e))
}

impl Sink for FileSink {
    fn write(&mut self, data: &[u8]) -> Result<(), WriterError> {
        let needs_rotation = match &self.current {
            Some(s) => s.size > 0 && s.size + data.len() as u64 > self.max_bytes,
            None => false,
        };
        if needs_rotation || self.too_old() {
            self.rotate()?;
        }
        if self.current.is_none() {
            self.open_segment()?;
        }
        let Some(seg) = self.current.as_mut() else {
            return Ok(());
        };
        seg.file
            .write_all(data)
            .map_err(|e| err(format!("write {}", seg.path.display()), e))?;
        seg.size += data.len() as u64;
        seg.dirty = true;
        Ok(())
    }

    fn sync(&mut self) -> Result<bool, WriterError> {
        if self.fsync == FsyncPolicy::Never {
            return Ok(false);
        }
        match self.current.as_mut() {
            Some(seg) if seg.dirty || seg.new => {
                sync_segment(seg, &self.dir)?;
                seg.synced = seg.size;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    fn tick(&mut self) -> Result<(), WriterError> {
        if self.too_old() {
            self.rotate()?;
        }
        Ok(())
    }

    fn close(&mut self) -> Result<(), WriterError> {
        if let Some(mut seg) = self.current.take() {
            sync_segment(&mut seg, &self.dir)?;
            self.encrypt_closed(&seg.path)?;
        }
        Ok(())
    }

    fn rollback(&mut self) -> Result<(), WriterError> {
        use std::io::{Seek, SeekFrom};
        if let Some(seg) = self.current.as_mut() {
            let e = |x| err(format!("rollback {}", seg.path.display()), x);
            seg.file.set_len(seg.synced).map_err(e)?;
            seg.file.seek(SeekFrom::Start(seg.synced)).map_err(e)?;
            seg.size = seg.synced;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> FileSinkConfig {
        FileSinkConfig {
            dir: PathBuf::from("out"),
            prefix: "scrubbed".into(),
            max_bytes: 1024,
            max_age_secs: 0,
            retain_files: 0,
            retain_secs: 0,
            fsync: FsyncPolicy::Always,
            encrypt_to: Vec::new(),
            inputs: Vec::new(),
        }
    }

    #[test]
    fn torn_final_record_is_cut_at_start() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("scrubbed-0000000000001-000001.log");
        std::fs::write(&p, b"one\ntwo\nthr").unwrap();
        let whole = d.path().join("scrubbed-0000000000001-000002.log");
        std::fs::write(&whole, b"a\nb\n").unwrap();
        let only_partial = d.path().join("scrubbed-0000000000001-000003.log");
        std::fs::write(&only_partial, b"partial").unwrap();
        let _sink = FileSink::open(&cfg(), d.path().to_path_buf()).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"one\ntwo\n");
        assert_eq!(std::fs::read(&whole).unwrap(), b"a\nb\n");
        assert_eq!(std::fs::read(&only_partial).unwrap(), b"");
    }

    #[test]
    fn plaintext_left_by_a_crash_is_encrypted_at_start() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("scrubbed-0000000000001-000001.log");
        std::fs::write(&p, b"scrubbed [REDACTED:credit_card]\npart").unwrap();
        std::fs::write(
            d.path().join("scrubbed-0000000000001-000001.log.age.tmp"),
            b"junk",
        )
        .unwrap();
        let mut c = cfg();
        c.encrypt_to =
            vec!["age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p".into()];
        let _sink = FileSink::open(&c, d.path().to_path_buf()).unwrap();
        let names: Vec<String> = std::fs::read_dir(d.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            vec!["scrubbed-0000000000001-000001.log.age".to_string()]
        );
        let enc = std::fs::read(d.path().join(&names[0])).unwrap();
        assert!(enc.starts_with(b"age-encryption.org/v1\n"));
        assert!(!String::from_utf8_lossy(&enc).contains("REDACTED"));
    }

    #[test]
    fn new_segment_per_start_and_size_rotation() {
        let d = tempfile::tempdir().unwrap();
        let mut s = FileSink::open(&cfg(), d.path().to_path_buf()).unwrap();
        s.write(&[b'x'; 1000]).unwrap();
        s.write(b"\n").unwrap();
        s.write(&[b'y'; 100]).unwrap();
        assert!(s.sync().unwrap());
        s.close().unwrap();
        let mut s = FileSink::open(&cfg(), d.path().to_path_buf()).unwrap();
        s.write(b"z\n").unwrap();
        s.close().unwrap();
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 3);
    }
}
