//! Helpers shared by the end-to-end tests: where the shared corpus is, and where the built binaries are.

use std::path::PathBuf;

/// The shared real-log corpus beside the checkout (`../shared/corpus`), if present.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    dir.is_dir().then_some(dir)
}

/// The `logscrub` binary built from this workspace (built on first use if `cargo test` did not build it).
pub fn logscrub_bin() -> PathBuf {
    workspace_bin("logscrub", "logscrub-cli")
}

/// A binary of a workspace package, next to the test executable (`target/<profile>/NAME`).
///
/// `cargo test --workspace` builds it (the CLI crate has integration tests of its own). If it is missing or older
/// than the sources, it is built into a separate target directory: building into the one `cargo test` holds
/// locked would wait forever.
pub fn workspace_bin(name: &str, package: &str) -> PathBuf {
    use std::sync::{Mutex, OnceLock};
    static BUILD: OnceLock<Mutex<()>> = OnceLock::new();
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps/<test>")
        .to_path_buf();
    let path = profile_dir.join(name);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let newest_source = ["crates", "rules"]
        .iter()
        .map(|d| newest_mtime(&root.join(d)))
        .max()
        .flatten();
    let fresh = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .ok()
        .zip(newest_source)
        .is_some_and(|(bin, src)| bin >= src);
    if fresh {
        return path;
    }
    let _guard = BUILD.get_or_init(|| Mutex::new(())).lock();
    let target = profile_dir.join("e2e-build");
    let status = std::process::Command::new(env!("CARGO"))
        .args([
            "build",
            "--quiet",
            "-p",
            package,
            "--bin",
            name,
            "--target-dir",
        ])
        .arg(&target)
        .current_dir(&root)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building {package} failed");
    target.join("debug").join(name)
}

fn newest_mtime(dir: &std::path::Path) -> Option<std::time::SystemTime> {
    let mut newest = None;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(t) = e.metadata().and_then(|m| m.modified()) {
                newest = newest.max(Some(t));
            }
        }
    }
    newest
}
