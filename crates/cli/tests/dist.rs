//! The man pages and completions committed under `crates/cli/dist/` are what the current flags generate.

use std::path::Path;

#[test]
fn dist_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist");
    let files = logscrub_cli::dist_files();
    assert!(files.iter().any(|(p, _)| p == "man/logscrub-scan.1"));
    assert!(files.iter().any(|(p, _)| p == "completions/logscrub.bash"));
    let mut stale = Vec::new();
    for (path, bytes) in &files {
        match std::fs::read(root.join(path)) {
            Ok(committed) if &committed == bytes => {}
            _ => stale.push(path.clone()),
        }
    }
    assert!(
        stale.is_empty(),
        "crates/cli/dist/ is out of date for {stale:?}: run `cargo run -p logscrub-cli --example gen-dist` and commit"
    );
}

#[test]
fn man_page_documents_scan_flags() {
    let files = logscrub_cli::dist_files();
    let (_, man) = files
        .iter()
        .find(|(p, _)| p == "man/logscrub-scan.1")
        .expect("scan man page");
    let text = String::from_utf8_lossy(man);
    for flag in [
        "max\\-results",
        "allowlist",
        "baseline",
        "report\\-path",
        "decompress",
    ] {
        assert!(text.contains(flag), "man page lacks {flag}");
    }
}
