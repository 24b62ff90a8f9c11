//! File tail: follows a file across rotation (rename and re-create) and truncation, on its own thread, polling.
//! Only whole lines are taken; the checkpoint (device, inode, offset) is advanced and persisted (write, fsync,
//! rename, fsync directory) only after the batch holding those lines is durable in every sink; which file is
//! followed is recorded as soon as it is opened. After a crash the lines after the checkpoint are read again:
//! duplicates, never loss.
//!
//! After a restart, when the file at `path` is no longer the checkpoint's file (rotated while the daemon was
//! down), the checkpoint's file is looked up by device and inode in the same directory (`app.log.1`) and
//! finished first. Limits: a rotated file that was also moved to another directory or compressed is not found,
//! and lines written to it after the checkpoint are then lost. A line longer than the read chunk (1 MiB) is fed to
//! the engine's line stream in parts, which scans it in overlapping windows (the long-line policy), so a value
//! crossing a chunk boundary is seen whole; the checkpoint moves only past whole lines.
//!
//! Never logs file contents.

use std::fs::File;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::Ctx;
use crate::config::{invalid, ConfigError};
use crate::pipeline::BatchBuilder;

const CHUNK: usize = 1 << 20;

/// The persisted position in the followed file.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Checkpoint {
    /// Device of the file.
    pub dev: u64,
    /// Inode of the file.
    pub ino: u64,
    /// Bytes of it durably persisted (always at a line boundary).
    pub offset: u64,
}

/// Where the checkpoint of source `name` lives.
pub fn checkpoint_path(data_dir: &Path, name: &str) -> PathBuf {
    data_dir.join("checkpoints").join(format!("{name}.json"))
}

fn load_checkpoint(p: &Path) -> Option<Checkpoint> {
    let t = std::fs::read(p).ok()?;
    serde_json::from_slice(&t).ok()
}

fn save_checkpoint(p: &Path, c: &Checkpoint) -> std::io::Result<()> {
    let dir = p.parent().unwrap_or(Path::new("."));
    crate::util::private_dir(dir)?;
    let tmp = p.with_extension("json.tmp");
    {
        let f = crate::util::write_private(
            &tmp,
            serde_json::to_string(c).unwrap_or_default().as_bytes(),
        )?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, p)?;
    File::open(dir)?.sync_all()
}

/// When `path` is no longer the checkpoint's file, looks for that file (same device and inode) in the same
/// directory, e.g. `app.log.1` after a rename rotation, still at least `offset` long.
fn find_rotated(path: &Path, c: &Checkpoint) -> Option<(File, Checkpoint)> {
    if let Ok(m) = std::fs::metadata(path) {
        if m.dev() == c.dev && m.ino() == c.ino {
            return None;
        }
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    for e in std::fs::read_dir(dir).ok()?.flatten() {
        let Ok(m) = e.metadata() else { continue };
        if m.is_file() && m.dev() == c.dev && m.ino() == c.ino && m.len() >= c.offset {
            let f = File::open(e.path()).ok()?;
            return Some((f, *c));
        }
    }
    None
}

struct Open {
    file: File,
    dev: u64,
    ino: u64,
    offset: u64,
    /// Bytes of an over-long line read past `offset` and pushed to the stream, not yet checkpointed.
    pending: u64,
}

/// Scrubbed output of an over-long line held before it is written as a record of its own (the stream keeps its
/// overlap, so scanning context is not lost; the stored line gains a line break there).
const MAX_HELD_OUTPUT: usize = 4 * CHUNK;

/// Follows `cfg.path` until shutdown. Blocking: run it on its own thread.
pub fn run(cfg: TailSource, ctx: Ctx, rt: tokio::runtime::Handle) {
    let cp_path = checkpoint_path(&ctx.data_dir, &ctx.name);
    let poll = Duration::from_millis(cfg.poll_ms);
    let mut cur: Option<Open> = None;
    let mut first = true;
    let mut b = ctx.builder();
    let mut buf = vec![0u8; CHUNK];
    let mut rotated_seen = false;
    while !ctx.stopping() {
        let Some(o) = cur.as_mut() else {
            if first {
                // The file of the checkpoint was rotated away while the daemon was down: finish it first.
                if let Some((file, c)) =
                    load_checkpoint(&cp_path).and_then(|c| find_rotated(&cfg.path, &c))
                {
                    tracing::info!(source = %ctx.name, "resuming in the rotated file of the checkpoint");
                    first = false;
                    cur = Some(Open {
                        file,
                        dev: c.dev,
                        ino: c.ino,
                        offset: c.offset,
                        pending: 0,
                    });
                    b = ctx.builder();
                    continue;
                }
            }
            match File::open(&cfg.path).and_then(|f| f.metadata().map(|m| (f, m))) {
                Ok((file, m)) => {
                    let (offset, record) = if first {
                        match load_checkpoint(&cp_path) {
                            Some(c)
                                if c.dev == m.dev() && c.ino == m.ino() && c.offset <= m.len() =>
                            {
                                (c.offset, false)
                            }
                            Some(_) => (0, true),
                            None if cfg.start_at == StartAt::End => (m.len(), true),
                            None => (0, true),
                        }
                    } else {
                        (0, false)
                    };
                    // Which file is followed is recorded before anything of it is read: a daemon killed before
                    // its first checkpoint, with the file rotated meanwhile, finds that file again at the next
                    // start (by device and inode) instead of starting in the new file and losing the old one.
                    if record {
                        let cp = Checkpoint {
                            dev: m.dev(),
                            ino: m.ino(),
                            offset,
                        };
                        if let Err(e) = save_checkpoint(&cp_path, &cp) {
                            tracing::error!(source = %ctx.name, error = %e, "cannot persist the checkpoint; the tail stops");
                            return;
                        }
                    }
                    first = false;
                    cur = Some(Open {
                        file,
                        dev: m.dev(),
                        ino: m.ino(),
                        offset,
                        pending: 0,
                    });
                    b = ctx.builder();
                }
                Err(_) => {
                    first = false;
                    std::thread::sleep(poll);
                }
            }
            continue;
        };
        let n = match o.file.read_at(&mut buf, o.offset + o.pending) {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(source = %ctx.name, error = %e, "read failed; reopening");
                cur = None;
                std::thread::sleep(poll);
                continue;
            }
        };
        let take = match buf[..n].iter().rposition(|&c| c == b'\n') {
            Some(nl) => nl + 1,
            None if n == CHUNK => n,
            None => 0,
        };
        if take > 0 && buf[take - 1] != b'\n' {
            // Part of an over-long line: into the stream, which windows it with overlap.
            b.push_stream(&buf[..take]);
            o.pending += take as u64;
            ctx.metrics.received(&ctx.name, 0, take as u64);
            if b.len() >= MAX_HELD_OUTPUT {
                b.append_scrubbed(b"\n", 1);
                if rt.block_on(ctx.queue.send_and_wait(b.take(None))).is_err() {
                    tracing::error!(source = %ctx.name, "batch not persisted; the tail stops");
                    return;
                }
            }
            continue;
        }
        if take > 0 {
            let lines = b.push_stream(&buf[..take]);
            ctx.metrics.received(&ctx.name, lines, take as u64);
            if rt.block_on(ctx.queue.send_and_wait(b.take(None))).is_err() {
                tracing::error!(source = %ctx.name, "batch not persisted; the tail stops");
                return;
            }
            o.offset += o.pending + take as u64;
            o.pending = 0;
            let cp = Checkpoint {
                dev: o.dev,
                ino: o.ino,
                offset: o.offset,
            };
            if let Err(e) = save_checkpoint(&cp_path, &cp) {
                tracing::error!(source = %ctx.name, error = %e, "cannot persist the checkpoint; the tail stops");
                return;
            }
            continue;
        }
        // No complete line: rotated, truncated, or just idle?
        let same = std::fs::metadata(&cfg.path)
            .ok()
            .filter(|m| m.dev() == o.dev && m.ino() == o.ino);
        match same {
            Some(m) if m.len() < o.offset => {
                tracing::info!(source = %ctx.name, "file truncated; reading from the start");
                o.offset = 0;
                o.pending = 0;
                b = ctx.builder();
                rotated_seen = false;
            }
            Some(_) => {
                rotated_seen = false;
                std::thread::sleep(poll);
            }
            None if !rotated_seen => {
                // Rotated or removed: give the writer one poll interval to finish the old file.
                rotated_seen = true;
                std::thread::sleep(poll);
            }
            None => {
                // Drained: a final line without terminator in the old file is taken as it is.
                if n > 0 || o.pending > 0 {
                    b.push_stream(&buf[..n]);
                    let lines = b.finish_stream();
                    ctx.metrics.received(&ctx.name, lines, n as u64);
                    if rt.block_on(ctx.queue.send_and_wait(b.take(None))).is_err() {
                        return;
                    }
                }
                tracing::info!(source = %ctx.name, "file rotated; following the new file");
                flush_stream(&mut b, &ctx, &rt);
                cur = None;
                rotated_seen = false;
                // The next open starts at 0 in the new file; record that nothing of it is persisted yet.
                if let Ok(m) = std::fs::metadata(&cfg.path) {
                    let _ = save_checkpoint(
                        &cp_path,
                        &Checkpoint {
                            dev: m.dev(),
                            ino: m.ino(),
                            offset: 0,
                        },
                    );
                }
            }
        }
    }
}

fn flush_stream(b: &mut BatchBuilder, ctx: &Ctx, rt: &tokio::runtime::Handle) {
    b.finish_stream();
    if !b.is_empty() {
        let _ = rt.block_on(ctx.queue.send_and_wait(b.take(None)));
    }
}

// This source's configuration (`[[source]]`), re-exported by `crate::config`, and its validation.

/// Where a tail source starts when it has no checkpoint.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum StartAt {
    /// Read the whole file (default: nothing is skipped).
    #[default]
    Beginning,
    /// Only lines appended after start.
    End,
}

/// `type = "tail"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TailSource {
    /// Name used in metrics, the findings log and the checkpoint file (must be unique).
    #[serde(default)]
    pub name: Option<String>,
    /// The file to follow.
    pub path: PathBuf,
    /// Where to start without a checkpoint.
    #[serde(default)]
    pub start_at: StartAt,
    /// Poll interval in milliseconds.
    #[serde(default = "default_poll_ms")]
    pub poll_ms: u64,
}

fn default_poll_ms() -> u64 {
    200
}

impl TailSource {
    /// Checks what the schema cannot (`f`: `source[i]`): the poll interval.
    pub fn validate(&self, f: &str) -> Result<(), ConfigError> {
        if self.poll_ms == 0 {
            return Err(invalid(format!("{f}.poll_ms"), "must be at least 1"));
        }
        Ok(())
    }
}
