//! The activity record: the findings log (JSONL, one object per rule and keyed hash per batch: time, source,
//! rule id, class, count, keyed hash) and the record of configuration reloads.
//!
//! Never the value: a finding is written as its rule and the engine's keyed hash only. Reload entries carry the
//! outcome and the error text, which names configuration fields and files, never log data.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use logscrub_engine::{RuleRef, Scrubber};

use crate::pipeline::WriterError;

/// Appends to the findings log; synced with each group commit.
pub struct FindingsLog {
    file: File,
    path: PathBuf,
    dirty: bool,
    buf: Vec<u8>,
}

fn open_append(path: &Path) -> std::io::Result<File> {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d)?;
    }
    OpenOptions::new().create(true).append(true).open(path)
}

impl FindingsLog {
    /// Opens (creates) the log for appending.
    pub fn open(path: PathBuf) -> Result<Self, WriterError> {
        let file = open_append(&path).map_err(|e| WriterError {
            what: format!("findings log {}", path.display()),
            source: e,
        })?;
        Ok(FindingsLog {
            file,
            path,
            dirty: false,
            buf: Vec::new(),
        })
    }

    /// Appends the findings of one batch, grouped by rule and hash.
    pub fn append(
        &mut self,
        source: &str,
        scrubber: &Scrubber,
        findings: &[(RuleRef, u64)],
    ) -> Result<(), WriterError> {
        if findings.is_empty() {
            return Ok(());
        }
        let mut grouped: BTreeMap<(u16, u64), u64> = BTreeMap::new();
        for (r, h) in findings {
            *grouped.entry((r.0, *h)).or_default() += 1;
        }
        let time = crate::util::rfc3339_now();
        self.buf.clear();
        for ((r, h), count) in grouped {
            let info = scrubber.rule(RuleRef(r));
            let v = serde_json::json!({
                "time": time,
                "source": source,
                "rule": info.id,
                "class": info.class,
                "count": count,
                "hash": format!("{h:016x}"),
            });
            self.buf.extend_from_slice(v.to_string().as_bytes());
            self.buf.push(b'\n');
        }
        self.file.write_all(&self.buf).map_err(|e| WriterError {
            what: format!("findings log {}", self.path.display()),
            source: e,
        })?;
        self.dirty = true;
        Ok(())
    }

    /// fdatasync if anything was appended.
    pub fn sync(&mut self) -> Result<(), WriterError> {
        if self.dirty {
            self.file.sync_data().map_err(|e| WriterError {
                what: format!("findings log {}", self.path.display()),
                source: e,
            })?;
            self.dirty = false;
        }
        Ok(())
    }
}

/// Appends one reload outcome to the reload record (and syncs it).
pub fn record_reload(path: &Path, ok: bool, detail: &str) -> std::io::Result<()> {
    let mut f = open_append(path)?;
    let v = serde_json::json!({
        "time": crate::util::rfc3339_now(),
        "event": "reload",
        "result": if ok { "applied" } else { "refused" },
        "detail": detail,
    });
    f.write_all(format!("{v}\n").as_bytes())?;
    f.sync_data()
}
