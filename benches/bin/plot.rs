//! `plot`: draws the benchmark figures (SVG) from the tables of a bench run.
//!
//!     cargo run -p logscrub-benches --bin plot                      # benches/RESULTS.md -> benches/figures/
//!     cargo run -p logscrub-benches --bin plot -- --check           # exit 1 if benches/figures/ is stale
//!     cargo run -p logscrub-benches --bin plot -- --input target/bench-results/X.md --out DIR
//!
//! It only reads the Markdown and writes the SVG files; it measures nothing.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use logscrub_benches::plot::{figures, FIGURES_DIR};

const USAGE: &str = "usage: plot [--input RESULTS.md] [--out DIR] [--check]";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("plot: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode> {
    let package = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut input = package.join("RESULTS.md");
    let mut out = package.join(FIGURES_DIR);
    let mut check = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--input" => input = args.next().context(USAGE)?.into(),
            "--out" => out = args.next().context(USAGE)?.into(),
            "--check" => check = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            other => bail!("unknown argument {other:?}; {USAGE}"),
        }
    }
    let markdown =
        std::fs::read_to_string(&input).with_context(|| format!("reading {}", input.display()))?;
    let figures = figures(&markdown).with_context(|| format!("in {}", input.display()))?;
    if check {
        let stale: Vec<&str> = figures
            .iter()
            .filter(|(name, svg)| {
                std::fs::read(out.join(name)).ok().as_deref() != Some(svg.as_bytes())
            })
            .map(|(name, _)| *name)
            .collect();
        if stale.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "plot: {} is stale for {stale:?}: run `cargo run -p logscrub-benches --bin plot` and commit",
            out.display()
        );
        return Ok(ExitCode::from(1));
    }
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    for (name, svg) in &figures {
        let path = out.join(name);
        std::fs::write(&path, svg).with_context(|| format!("writing {}", path.display()))?;
        println!("{}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
