//! Benchmark figures: SVG pictures of the tables in `benches/RESULTS.md` (throughput per row, engine thread
//! scaling, per-rule cost), drawn from the raw output of the run that the file records.
//!
//! [`parse`] reads the tables back from the Markdown the bench binaries print, [`draw`] turns them into SVG text;
//! the `plot` binary writes them to `benches/figures/`, and a test checks that the committed files are what a
//! redraw gives. Nothing here measures anything or touches files.

pub mod draw;
pub mod parse;

pub use parse::{bench_run, BenchRun, ParseError};

/// Where the committed figures live, relative to the `benches/` package.
pub const FIGURES_DIR: &str = "figures";

/// Why the figures could not be made.
#[derive(Debug, thiserror::Error)]
pub enum FigureError {
    /// The Markdown lacked a table or held a bad number.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// plotters failed.
    #[error(transparent)]
    Draw(#[from] draw::DrawError),
}

/// Every figure for the bench run recorded in `markdown` (benches/RESULTS.md or a file saved by
/// `benches/run.sh`): (file name, SVG text).
pub fn figures(markdown: &str) -> Result<Vec<(&'static str, String)>, FigureError> {
    let run = bench_run(markdown)?;
    Ok(vec![
        ("throughput.svg", draw::throughput(&run)?),
        ("thread_scaling.svg", draw::thread_scaling(&run)?),
        ("rule_cost.svg", draw::rule_cost(&run)?),
    ])
}
