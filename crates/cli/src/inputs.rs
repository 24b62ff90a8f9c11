//! What the command line names as input, turned into a list of readable sources: stdin, files, directories
//! (walked recursively with `.gitignore`/`.ignore` rules by the `ignore` crate, as ripgrep does) and gzip/zstd
//! files decompressed on the fly.
//!
//! It must never let an input pass as clean without being read: a compressed file it was not told to decompress,
//! an archive format it cannot read, a directory entry it cannot open, all become a [`Refusal`] that names the
//! file and what to do (exit 3). It never looks at the content beyond the first bytes' format magic.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::progress::Progress;

/// An input that cannot be read, with the reason and the fix. Exit code 3.
#[derive(Debug)]
pub struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Refusal {}

/// How compressed inputs are recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decompress {
    /// Files named `*.gz` / `*.zst` are decompressed; another file that starts like a compressed one is refused.
    #[default]
    ByName,
    /// `-z`: every input (stdin too) is decompressed when its first bytes say gzip or zstd.
    Sniff,
}

/// How directories are walked.
#[derive(Debug, Clone, Copy, Default)]
pub struct Walk {
    /// Also read hidden files and directories (names starting with `.`).
    pub hidden: bool,
    /// Do not apply `.gitignore`, `.ignore` and git exclude rules.
    pub no_ignore: bool,
}

/// One readable input.
#[derive(Debug, Clone)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file (named on the command line, or found in a directory).
    File {
        /// Its path, as given or as found under a directory given.
        path: PathBuf,
        /// Its size in bytes when known (for progress).
        size: Option<u64>,
    },
    /// Something named or found that cannot be read (a walk error); opening it gives the refusal.
    Unreadable {
        /// Its name for messages.
        name: String,
        /// Why, and what to do.
        reason: String,
    },
}

/// The sources named on the command line (none or `-` means stdin), directories expanded in path order.
pub fn sources(args: &[PathBuf], walk: Walk) -> Vec<Source> {
    if args.is_empty() {
        return vec![Source::Stdin];
    }
    let mut out = Vec::new();
    for a in args {
        if a == Path::new("-") {
            out.push(Source::Stdin);
        } else if a.is_dir() {
            expand_dir(a, walk, &mut out);
        } else {
            let size = std::fs::metadata(a).ok().map(|m| m.len());
            out.push(Source::File {
                path: a.clone(),
                size,
            });
        }
    }
    out
}

fn expand_dir(dir: &Path, walk: Walk, out: &mut Vec<Source>) {
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(!walk.hidden)
        .ignore(!walk.no_ignore)
        .git_ignore(!walk.no_ignore)
        .git_global(!walk.no_ignore)
        .git_exclude(!walk.no_ignore)
        .parents(!walk.no_ignore)
        // Outside a git repository too: a log directory is rarely one.
        .require_git(false)
        .sort_by_file_path(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                let size = e.metadata().ok().map(|m| m.len());
                out.push(Source::File {
                    path: e.into_path(),
                    size,
                });
            }
            Ok(_) => {}
            Err(e) => out.push(Source::Unreadable {
                name: dir.display().to_string(),
                reason: format!(
                    "cannot read part of directory {}: {e} (fix the permissions or leave it out)",
                    dir.display()
                ),
            }),
        }
    }
}

/// Sum of the sizes, when every source is a file of known size (for a percentage and an ETA).
pub fn total_size(sources: &[Source]) -> Option<u64> {
    sources.iter().try_fold(0u64, |acc, s| match s {
        Source::File { size: Some(n), .. } => Some(acc + n),
        Source::Unreadable { .. } => Some(acc),
        _ => None,
    })
}

/// Are all sources files (not stdin)?
pub fn all_files(sources: &[Source]) -> bool {
    sources.iter().all(|s| !matches!(s, Source::Stdin))
}

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];

/// Formats we recognise but cannot read: refused rather than scanned as bytes.
const UNSUPPORTED: &[(&[u8], &str)] = &[
    (b"BZh", "bzip2"),
    (&[0xfd, b'7', b'z', b'X', b'Z', 0x00], "xz"),
    (b"PK\x03\x04", "zip"),
    (&[b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c], "7z"),
    (&[0x04, 0x22, 0x4d, 0x18], "lz4"),
];

impl Source {
    /// Its name for messages and reports.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_string(),
            Source::File { path, .. } => path.display().to_string(),
            Source::Unreadable { name, .. } => name.clone(),
        }
    }

    /// The file's path, if it is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Source::File { path, .. } => Some(path),
            _ => None,
        }
    }

    /// Opens it for reading, decompressing when it is compressed and that was asked for (by name or `-z`).
    /// Bytes read from the underlying file (compressed bytes) are counted in `progress`.
    pub fn open(&self, mode: Decompress, progress: &Progress) -> Result<Box<dyn Read + Send>> {
        let (raw, by_name): (Box<dyn Read + Send>, Option<&str>) = match self {
            Source::Stdin => (Box::new(progress.counting(io::stdin())), None),
            Source::File { path, .. } => {
                let f = File::open(path).map_err(|e| {
                    anyhow::Error::new(Refusal(format!(
                        "cannot open input {}: {e}",
                        path.display()
                    )))
                })?;
                let ext = path.extension().and_then(|e| e.to_str());
                let by_name = match ext {
                    Some("gz") => Some("gzip"),
                    Some("zst") | Some("zstd") => Some("zstd"),
                    _ => None,
                };
                (Box::new(progress.counting(f)), by_name)
            }
            Source::Unreadable { reason, .. } => {
                return Err(Refusal(reason.clone()).into());
            }
        };
        let mut buf = BufReader::with_capacity(256 * 1024, raw);
        let head = fill_head(&mut buf).with_context(|| format!("cannot read {}", self.name()))?;
        let format = if head.starts_with(GZIP_MAGIC) {
            Some("gzip")
        } else if head.starts_with(ZSTD_MAGIC) {
            Some("zstd")
        } else {
            None
        };
        if let Some((_, name)) = UNSUPPORTED.iter().find(|(m, _)| head.starts_with(m)) {
            return Err(Refusal(format!(
                "{}: {name}-compressed or archived data, which logscrub cannot read; decompress it first \
                 (logscrub reads plain text, gzip and zstd)",
                self.name()
            ))
            .into());
        }
        let decompress = match (format, by_name, mode) {
            (None, Some(n), _) => {
                return Err(Refusal(format!(
                    "{}: the name says {n} but the data is not {n}-compressed; rename it or decompress it first",
                    self.name()
                ))
                .into())
            }
            (None, None, _) => None,
            (Some(f), Some(_), _) | (Some(f), None, Decompress::Sniff) => Some(f),
            (Some(f), None, Decompress::ByName) => {
                return Err(Refusal(format!(
                    "{}: the data is {f}-compressed; pass -z to decompress it (it would otherwise be scanned as \
                     raw bytes and pass as clean)",
                    self.name()
                ))
                .into())
            }
        };
        Ok(match decompress {
            Some("gzip") => Box::new(flate2::bufread::MultiGzDecoder::new(buf)),
            Some(_) => Box::new(
                zstd::stream::read::Decoder::with_buffer(buf)
                    .with_context(|| format!("cannot start zstd decoding of {}", self.name()))?,
            ),
            None => Box::new(buf),
        })
    }

    /// Reads what is available (retrying interrupted reads); 0 at the end. A decoding error is a refusal that
    /// names the input (the data cannot be scanned, so it must not pass as clean).
    pub fn read_some(&self, reader: &mut dyn Read, buf: &mut [u8]) -> Result<usize> {
        loop {
            match reader.read(buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(Refusal(format!(
                        "cannot read {}: {e} (a truncated or corrupt compressed file?)",
                        self.name()
                    ))
                    .into())
                }
                Ok(n) => return Ok(n),
            }
        }
    }
}

/// The first bytes of the input (up to 8), without consuming them.
fn fill_head<R: Read>(buf: &mut BufReader<R>) -> io::Result<Vec<u8>> {
    loop {
        match buf.fill_buf() {
            Ok(b) => return Ok(b[..b.len().min(8)].to_vec()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}
