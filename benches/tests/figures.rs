//! The SVG figures committed under `benches/figures/` are what the raw run in `benches/RESULTS.md` draws, and
//! the `plot` program that draws them runs over the committed data.

use std::path::{Path, PathBuf};
use std::process::Command;

use logscrub_benches::plot::{bench_run, figures, FIGURES_DIR};

fn package() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn results_md() -> String {
    std::fs::read_to_string(package().join("RESULTS.md")).expect("benches/RESULTS.md")
}

#[test]
fn committed_figures_are_current() {
    let figures = figures(&results_md()).expect("the figures draw from benches/RESULTS.md");
    assert_eq!(figures.len(), 3);
    let dir = package().join(FIGURES_DIR);
    let stale: Vec<&str> = figures
        .iter()
        .filter(|(name, svg)| std::fs::read(dir.join(name)).ok().as_deref() != Some(svg.as_bytes()))
        .map(|(name, _)| *name)
        .collect();
    assert!(
        stale.is_empty(),
        "benches/figures/ is out of date for {stale:?}: run `cargo run -p logscrub-benches --bin plot` and commit"
    );
}

#[test]
fn figures_show_the_rows_of_the_recorded_run() {
    let md = results_md();
    let run = bench_run(&md).unwrap();
    assert!(run.clean.1.len() >= 4 && run.planted.1.len() >= 4 && !run.rules.is_empty());
    let figures = figures(&md).unwrap();
    let svg = |name: &str| &figures.iter().find(|(n, _)| *n == name).unwrap().1;
    for row in &run.clean.1 {
        let escaped = row
            .name
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(
            svg("throughput.svg").contains(&escaped),
            "throughput.svg lacks row {:?}",
            row.name
        );
        assert!(svg("throughput.svg").contains(&format!("{:.1}", row.mbps_cpu)));
    }
    let slowest = run
        .rules
        .iter()
        .max_by(|a, b| a.marginal_ns_per_line.total_cmp(&b.marginal_ns_per_line))
        .unwrap();
    assert!(svg("rule_cost.svg").contains(&format!(">\n{}\n<", slowest.rule)));
    for (name, text) in &figures {
        assert!(
            text.starts_with("<svg ") && text.trim_end().ends_with("</svg>"),
            "{name}"
        );
        if let Some(commit) = &run.commit {
            assert!(
                text.contains(commit.as_str()),
                "{name} does not say which run it shows"
            );
        }
    }
}

fn plot(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_plot"))
        .args(args)
        .output()
        .expect("run plot")
}

#[test]
fn plot_program_checks_and_writes_figures() {
    let out = plot(&["--check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let dir = std::env::temp_dir().join(format!("logscrub-figures-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let dir_s = dir.to_str().unwrap();
    let out = plot(&["--check", "--out", dir_s]);
    assert_eq!(out.status.code(), Some(1), "an empty directory is stale");
    assert!(String::from_utf8_lossy(&out.stderr).contains("throughput.svg"));

    let out = plot(&["--out", dir_s]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(plot(&["--check", "--out", dir_s]).status.success());
    for name in ["throughput.svg", "thread_scaling.svg", "rule_cost.svg"] {
        assert_eq!(
            std::fs::read(dir.join(name)).unwrap(),
            std::fs::read(Path::new(&package()).join(FIGURES_DIR).join(name)).unwrap(),
            "{name}: a redraw differs from the committed file"
        );
    }
    std::fs::write(dir.join("rule_cost.svg"), "<svg/>").unwrap();
    assert_eq!(plot(&["--check", "--out", dir_s]).status.code(), Some(1));

    // Input without the tables: a clear error, exit 2, nothing written.
    let empty = dir.join("empty.md");
    std::fs::write(&empty, "# no tables here\n").unwrap();
    let out = plot(&[
        "--input",
        empty.to_str().unwrap(),
        "--out",
        dir.join("x").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("empty.md") && err.contains("throughput table"),
        "{err}"
    );
    assert!(!dir.join("x").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
