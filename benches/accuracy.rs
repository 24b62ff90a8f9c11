//! Accuracy benchmark: recall per class over a labelled corpus, collateral damage around the values found, false
//! positives on look-alikes, and changed lines over the real (clean) logs.
//!
//! The labelled corpus (`benches/accuracy_corpus.jsonl`, made by `benches/accuracy_gen.py`) has one JSON object per
//! line: `{"class", "fmt", "line", "start", "end"}` with the byte range of the one sensitive value, or a `neg:<kind>`
//! class with `start = -1` for a look-alike that must stay untouched. This is a measurement, not a test: it prints
//! Markdown tables for `benches/RESULTS.md` and never fails on a figure.
//!
//! A value counts as found when every byte of its range is inside the changed region of the scrubbed line
//! (a partial redaction is a miss). Collateral: a found or not, dirty line whose bytes outside the value changed
//! (the longest common prefix ends before the value, or the longest common suffix starts after it).
//!
//! Every row may carry a `group` (the rule category it measures: personal, account, secret, secret_cloud,
//! national_id, health, bank, crypto, ...); classes are reported sorted by group, with a summary per group.

use std::collections::BTreeMap;
use std::path::PathBuf;

use logscrub_benches::{load_corpus_or_exit, Args};
use logscrub_engine::Scrubber;

const DEFAULT_LABELLED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/accuracy_corpus.jsonl");

#[derive(Default)]
struct ClassRow {
    total: usize,
    found: usize,
    collateral: usize,
    by_fmt: BTreeMap<String, (usize, usize)>,
}

fn changed_region(a: &[u8], b: &[u8]) -> (usize, usize) {
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let max_s = a.len().min(b.len()) - p;
    let s = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_s)
        .take_while(|(x, y)| x == y)
        .count();
    (p, a.len() - s)
}

fn main() {
    let args = Args::parse("accuracy [--corpus DIR] [--labelled FILE] [--misses N]");
    let mut labelled = PathBuf::from(DEFAULT_LABELLED);
    let mut show_misses = 0usize;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--labelled" => labelled = it.next().map(PathBuf::from).unwrap_or(labelled),
            "--misses" => show_misses = it.next().and_then(|v| v.parse().ok()).unwrap_or(10),
            _ => {}
        }
    }
    let text = std::fs::read_to_string(&labelled).unwrap_or_else(|e| {
        logscrub_benches::die(&format!(
            "cannot read the labelled corpus {} ({e}); make it with `python3 benches/accuracy_gen.py > {}`",
            labelled.display(),
            labelled.display()
        ))
    });
    let scrubber =
        Scrubber::default_rules().unwrap_or_else(|e| logscrub_benches::die(&e.to_string()));
    let mut scratch = scrubber.scratch();
    let mut out = Vec::new();
    let mut classes: BTreeMap<(String, String), ClassRow> = BTreeMap::new();
    let mut negs: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut misses: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut collats: Vec<String> = Vec::new();
    let mut dirty = 0usize;
    let mut dirty_collateral = 0usize;
    for (n, row) in text.lines().enumerate() {
        let v: serde_json::Value = match serde_json::from_str(row) {
            Ok(v) => v,
            Err(e) => logscrub_benches::die(&format!("{}:{}: {e}", labelled.display(), n + 1)),
        };
        let class = v["class"].as_str().unwrap_or("?").to_string();
        let group = v["group"].as_str().unwrap_or("personal").to_string();
        let fmt = v["fmt"].as_str().unwrap_or("?").to_string();
        let line = v["line"].as_str().unwrap_or("").as_bytes();
        out.clear();
        scrubber.scrub_line(line, &mut out, &mut scratch);
        if let Some(kind) = class.strip_prefix("neg:") {
            let e = negs.entry(kind.to_string()).or_default();
            e.0 += 1;
            if out != line {
                e.1 += 1;
                misses.entry(class.clone()).or_default().push(format!(
                    "{}  =>  {}",
                    String::from_utf8_lossy(line),
                    String::from_utf8_lossy(&out)
                ));
            }
            continue;
        }
        let (start, end) = (
            v["start"].as_u64().unwrap_or(0) as usize,
            v["end"].as_u64().unwrap_or(0) as usize,
        );
        let (cs, ce) = changed_region(line, &out);
        let found = out != line && cs <= start && ce >= end;
        let collateral = out != line && (cs < start || ce > end);
        dirty += 1;
        let row = classes.entry((group, class.clone())).or_default();
        row.total += 1;
        let f = row.by_fmt.entry(fmt).or_default();
        f.0 += 1;
        if found {
            row.found += 1;
            f.1 += 1;
        } else {
            misses.entry(class.clone()).or_default().push(format!(
                "{}  =>  {}",
                String::from_utf8_lossy(line),
                String::from_utf8_lossy(&out)
            ));
        }
        if collateral {
            row.collateral += 1;
            dirty_collateral += 1;
            collats.push(format!(
                "{}  =>  {}",
                String::from_utf8_lossy(line),
                String::from_utf8_lossy(&out)
            ));
        }
    }

    println!(
        "### Recall per class ({} dirty lines, {})\n",
        dirty,
        labelled.file_name().unwrap_or_default().to_string_lossy()
    );
    let fmts = ["plain", "json", "logfmt", "access", "header"];
    println!(
        "| group | class | lines | recall | {} | collateral lines |",
        fmts.join(" | ")
    );
    println!("|---|---|---:|---:|{}---:|", "---:|".repeat(fmts.len()));
    let (mut all, mut all_found) = (0, 0);
    let mut groups: BTreeMap<&str, (usize, usize, usize, usize, usize)> = BTreeMap::new();
    for ((g, c), r) in &classes {
        all += r.total;
        all_found += r.found;
        let e = groups.entry(g.as_str()).or_default();
        e.0 += 1;
        e.1 += r.total;
        e.2 += r.found;
        e.3 += r.collateral;
        if r.found * 100 < r.total * 99 {
            e.4 += 1;
        }
        let per: Vec<String> = fmts
            .iter()
            .map(|f| match r.by_fmt.get(*f) {
                Some((t, k)) if *t > 0 => format!("{:.0}%", 100.0 * *k as f64 / *t as f64),
                _ => "-".to_string(),
            })
            .collect();
        println!(
            "| {g} | {c} | {} | {:.1}% | {} | {} |",
            r.total,
            100.0 * r.found as f64 / r.total as f64,
            per.join(" | "),
            r.collateral
        );
    }
    println!(
        "| **all** | | {all} | {:.1}% | | | | | | {dirty_collateral} |\n",
        100.0 * all_found as f64 / all.max(1) as f64
    );
    println!("### Recall per group\n");
    println!("| group | classes | lines | recall | classes under 99% | collateral lines |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (g, (n, t, f, c, short)) in &groups {
        println!(
            "| {g} | {n} | {t} | {:.1}% | {short} | {c} |",
            100.0 * *f as f64 / (*t).max(1) as f64
        );
    }
    println!();
    println!(
        "Collateral: {:.1} per 1,000 dirty lines (lines where bytes outside the labelled value changed).\n",
        1000.0 * dirty_collateral as f64 / dirty.max(1) as f64
    );

    println!("### Look-alike negatives (must stay untouched)\n");
    println!("| kind | lines | changed |");
    println!("|---|---:|---:|");
    let (mut nt, mut nc) = (0, 0);
    for (k, (t, c)) in &negs {
        nt += t;
        nc += c;
        println!("| {k} | {t} | {c} |");
    }
    println!("| **all** | {nt} | {nc} |\n");

    // Real logs: every changed line is damage unless it holds a real address (the loghub samples carry IPs).
    let corpus = load_corpus_or_exit(&args);
    let mut lines = 0usize;
    let mut changed = 0usize;
    let mut changed_non_ip = 0usize;
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    let mut findings = Vec::new();
    let mut examples: Vec<String> = Vec::new();
    for line in corpus.bytes.split(|&b| b == b'\n') {
        if line.is_empty() {
            continue;
        }
        lines += 1;
        out.clear();
        scrubber.scrub_line(line, &mut out, &mut scratch);
        if out != line {
            changed += 1;
            findings.clear();
            scrubber.scan_line(line, &mut scratch, &mut findings);
            let mut non_ip = false;
            for f in &findings {
                let info = scrubber.rule(f.rule);
                *by_rule.entry(info.id.clone()).or_default() += 1;
                if !info.class.starts_with("ip") {
                    non_ip = true;
                }
            }
            if non_ip {
                changed_non_ip += 1;
                if examples.len() < show_misses {
                    examples.push(format!(
                        "{}  =>  {}",
                        String::from_utf8_lossy(line),
                        String::from_utf8_lossy(&out)
                    ));
                }
            }
        }
    }
    println!(
        "### Real logs ({} lines of {})\n",
        lines,
        corpus.dir.display()
    );
    println!("| figure | value |");
    println!("|---|---:|");
    println!(
        "| changed lines per 1,000 | {:.2} |",
        1000.0 * changed as f64 / lines.max(1) as f64
    );
    println!(
        "| changed lines per 1,000, not counting IP addresses (real values in these logs) | {:.2} |",
        1000.0 * changed_non_ip as f64 / lines.max(1) as f64
    );
    let rules: Vec<String> = by_rule.iter().map(|(r, n)| format!("{r} {n}")).collect();
    println!("| findings by rule | {} |\n", rules.join(", "));

    if show_misses > 0 {
        for (c, v) in &misses {
            println!("#### misses / false positives: {c} ({})", v.len());
            for m in v.iter().take(show_misses) {
                println!("    {m}");
            }
        }
        println!("#### collateral ({})", collats.len());
        for m in collats.iter().take(show_misses * 3) {
            println!("    {m}");
        }
        println!("#### real-log lines changed (not IP)");
        for m in &examples {
            println!("    {m}");
        }
    }
}
