//! Helpers shared by the end-to-end tests: where the shared corpus is, and where the built binaries are.

use std::path::PathBuf;

/// The shared real-log corpus beside the checkout (`../shared/corpus`), if present.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    dir.is_dir().then_some(dir)
}
