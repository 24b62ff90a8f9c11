//! Writes the man pages and shell completions under `crates/cli/dist/` (run after changing a flag):
//!
//!     cargo run -p logscrub-cli --example gen-dist
//!
//! The test `dist_is_current` fails while the committed files differ from what this writes.

fn main() -> std::io::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dist");
    for (path, bytes) in logscrub_cli::dist_files() {
        let p = root.join(path);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&p, bytes)?;
        println!("wrote {}", p.display());
    }
    Ok(())
}
