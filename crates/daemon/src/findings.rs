//! The activity record: the findings log (JSONL, one object per rule and keyed hash per batch: time, source,
//! rule id, class, count, keyed hash) and the record of configuration reloads.
//!
//! Never the value: a finding is written as its rule and a 128-bit keyed hash only (keyed by the daemon's findings
//! key, which is not in the data directory). Reload entries carry the
//! outcome and the error text, which names configuration fields and files, never log data.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use logscrub_engine::{RuleRef, Scrubber};

use crate::pipeline::WriterError;

/// Appends to the findings log; synced with each group commit.
pub struct FindingsLog {
    file: File,
    key: ring::hmac::Key,
    path: PathBuf,
    dirty: bool,
    buf: Vec<u8>,
    /// Length at the last sync: a failed append is cut back to it on [`FindingsLog::reopen`].
    synced: u64,
}

fn open_append(path: &Path) -> std::io::Result<File> {
    if let Some(d) = path.parent() {
        crate::util::private_dir(d)?;
    }
    crate::util::private_file()
        .create(true)
        .append(true)
        .open(path)
}

impl FindingsLog {
    /// Opens (creates) the log for appending. `hash_key`: the key of the findings hashes (see
    /// [`FindingsLog::append`]); None draws a random one for this process, so hashes correlate within a run only.
    pub fn open(path: PathBuf, hash_key: Option<&[u8]>) -> Result<Self, WriterError> {
        let key = match hash_key {
            Some(k) => ring::hmac::Key::new(ring::hmac::HMAC_SHA256, k),
            None => {
                ring::hmac::Key::generate(ring::hmac::HMAC_SHA256, &ring::rand::SystemRandom::new())
                    .map_err(|_| WriterError {
                        what: "findings hash key".into(),
                        source: std::io::Error::other("no system randomness"),
                    })?
            }
        };
        let file = open_append(&path).map_err(|e| WriterError {
            what: format!("findings log {}", path.display()),
            source: e,
        })?;
        let synced = file_len(&path);
        Ok(FindingsLog {
            file,
            key,
            path,
            dirty: false,
            buf: Vec::new(),
            synced,
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
                "hash": self.hash(&info.id, h),
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

    /// The recorded hash: HMAC-SHA256 under the daemon's findings key (never stored in the data directory) of the
    /// rule id and the engine's keyed hash, 128 bits. Someone holding the data files, or the pseudonym key, cannot
    /// test guesses of a value against it offline without this key too.
    fn hash(&self, rule: &str, engine_hash: u64) -> String {
        let mut msg = rule.as_bytes().to_vec();
        msg.push(0);
        msg.extend_from_slice(&engine_hash.to_be_bytes());
        let tag = ring::hmac::sign(&self.key, &msg);
        tag.as_ref()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Opens the log again after a failed write (a full file system, a replaced file), cutting a partial append
    /// back to the last synced length.
    pub fn reopen(&mut self) -> Result<(), WriterError> {
        let e = |e| WriterError {
            what: format!("findings log {}", self.path.display()),
            source: e,
        };
        self.file = open_append(&self.path).map_err(e)?;
        let len = self.file.metadata().map(|m| m.len()).unwrap_or(0);
        if len > self.synced && self.file.metadata().is_ok_and(|m| m.is_file()) {
            self.file.set_len(self.synced).map_err(e)?;
        }
        self.synced = self.synced.min(len);
        self.dirty = false;
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
            self.synced = self.file.metadata().map(|m| m.len()).unwrap_or(self.synced);
        }
        Ok(())
    }
}

/// The findings log runs as a sink task of its own that takes every batch: a batch is acknowledged only once
/// its findings are synced too. It reads a batch's findings, never its bytes.
impl crate::sink::Sink for FindingsLog {
    fn write(&mut self, _data: &[u8]) -> Result<(), WriterError> {
        Ok(())
    }
    fn write_batch(&mut self, b: &crate::pipeline::Batch) -> Result<(), WriterError> {
        self.append(&b.source, &b.scrubber, &b.findings)
    }
    fn sync(&mut self) -> Result<bool, WriterError> {
        FindingsLog::sync(self).map(|()| false)
    }
    fn tick(&mut self) -> Result<(), WriterError> {
        Ok(())
    }
    fn close(&mut self) -> Result<(), WriterError> {
        FindingsLog::sync(self)
    }
    fn rollback(&mut self) -> Result<(), WriterError> {
        self.reopen()
    }
}

fn file_len(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
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
