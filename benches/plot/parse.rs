//! Reads the figures of one bench run back out of the Markdown the bench binaries print.
//!
//! `benches/RESULTS.md` keeps the raw output of the last full run (`benches/run.sh`) under a
//! `## Raw output of the run` heading; `run.sh` also saves the same text under `target/bench-results/`. This
//! module finds that section (or takes a whole saved file) and reads the throughput tables and the per-rule cost
//! table by their column names, so that a column added to a table does not break the figures. It never reads
//! files and never guesses: a table or column that is missing is an error naming it.

use thiserror::Error;

/// The heading under which `benches/RESULTS.md` keeps the raw output of the run its figures come from.
pub const RAW_SECTION: &str = "## Raw output of the run";

/// Why the figures could not be read.
#[derive(Debug, Error, PartialEq)]
pub enum ParseError {
    /// A table the figures need is not in the text.
    #[error(
        "no {what} table found (a table whose header has {columns}); run `benches/run.sh` and paste its output \
         under `{RAW_SECTION}` in benches/RESULTS.md"
    )]
    MissingTable {
        what: &'static str,
        columns: &'static str,
    },
    /// A cell that should hold a number does not.
    #[error("{table} table, row {row:?}: column {column:?} holds {cell:?}, not a number")]
    NotANumber {
        table: &'static str,
        row: String,
        column: &'static str,
        cell: String,
    },
}

/// One row of a throughput table (`throughput` bench): a way of processing the same bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct ThroughputRow {
    /// The row's name as printed, without Markdown backticks.
    pub name: String,
    /// The `thr` column: threads the row ran on.
    pub threads: u32,
    /// `MB/s (cpu)`: bytes per second of CPU time (per core for threaded rows).
    pub mbps_cpu: f64,
    /// `MB/s (wall)`: bytes per second of wall time.
    pub mbps_wall: f64,
}

/// One row of the per-rule cost table (`rules_profile` bench).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleCost {
    /// Rule id.
    pub rule: String,
    /// `marginal ns/line`: time alone minus the sentinel-only scrubber's, per corpus line.
    pub marginal_ns_per_line: f64,
    /// `share`, in percent of the summed marginals.
    pub share_pct: f64,
}

/// The figures of one bench run.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchRun {
    /// `- date:` of the run, if printed.
    pub date: Option<String>,
    /// `- commit:` of the run, if printed.
    pub commit: Option<String>,
    /// The throughput table on the clean corpus, with its heading.
    pub clean: (String, Vec<ThroughputRow>),
    /// The throughput table on the corpus with planted secrets, with its heading.
    pub planted: (String, Vec<ThroughputRow>),
    /// The per-rule cost table, in the order printed (slowest rule first).
    pub rules: Vec<RuleCost>,
}

impl BenchRun {
    /// "run of DATE, commit HASH", for figure captions.
    pub fn provenance(&self) -> String {
        let date = self.date.as_deref().unwrap_or("unknown date");
        match &self.commit {
            Some(c) => format!("run of {date}, commit {c}"),
            None => format!("run of {date}"),
        }
    }
}

/// A Markdown table and the nearest heading above it.
struct Table<'a> {
    heading: &'a str,
    header: Vec<&'a str>,
    rows: Vec<Vec<&'a str>>,
}

impl Table<'_> {
    fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| *h == name)
    }
}

/// Reads a bench run from `benches/RESULTS.md` (the part under [`RAW_SECTION`]) or from a file saved by
/// `benches/run.sh` (the whole text, when it has no such heading).
pub fn bench_run(markdown: &str) -> Result<BenchRun, ParseError> {
    let text = match markdown.find(&format!("\n{RAW_SECTION}\n")) {
        Some(i) => &markdown[i + 1..],
        None => markdown,
    };
    let tables = tables(text);
    const TP_COLUMNS: &str = "`row`, `thr`, `MB/s (cpu)` and `MB/s (wall)`";
    let throughput = |heading_start: &str, what: &'static str| {
        tables
            .iter()
            .find(|t| t.heading.starts_with(heading_start) && t.column("MB/s (cpu)").is_some())
            .ok_or(ParseError::MissingTable {
                what,
                columns: TP_COLUMNS,
            })
            .and_then(|t| throughput_rows(t, what).map(|rows| (t.heading.to_string(), rows)))
    };
    let clean = throughput("## Clean corpus", "clean-corpus throughput")?;
    let planted = throughput("## Corpus with", "planted-corpus throughput")?;
    let rules_table = tables
        .iter()
        .find(|t| t.column("rule").is_some() && t.column("marginal ns/line").is_some())
        .ok_or(ParseError::MissingTable {
            what: "per-rule cost",
            columns: "`rule`, `marginal ns/line` and `share`",
        })?;
    Ok(BenchRun {
        date: field(text, "- date: "),
        commit: field(text, "- commit: "),
        clean,
        planted,
        rules: rule_rows(rules_table)?,
    })
}

/// The value of the first `- key: value` line.
fn field(text: &str, prefix: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix(prefix))
        .map(|v| v.trim().to_string())
}

/// Every pipe table of the text, with the last `#` heading above it.
fn tables(text: &str) -> Vec<Table<'_>> {
    let mut out = Vec::new();
    let mut heading = "";
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with('#') {
            heading = line;
            continue;
        }
        let is_rule = |l: &str| l.starts_with("|---") || l.starts_with("|:--");
        if !(line.starts_with('|') && lines.peek().is_some_and(|l| is_rule(l))) {
            continue;
        }
        lines.next();
        let mut table = Table {
            heading,
            header: cells(line),
            rows: Vec::new(),
        };
        while let Some(row) = lines.next_if(|l| l.starts_with('|')) {
            table.rows.push(cells(row));
        }
        out.push(table);
    }
    out
}

/// The cells of a `| a | b |` line, trimmed. A `\|` inside a cell (an escaped pipe) stays in it.
fn cells(line: &str) -> Vec<&str> {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = Vec::new();
    let mut start = 0;
    let bytes = inner.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'|' && (i == 0 || bytes[i - 1] != b'\\') {
            cells.push(inner[start..i].trim());
            start = i + 1;
        }
    }
    cells.push(inner[start..].trim());
    cells
}

fn number(
    table: &'static str,
    row: &[&str],
    col: usize,
    column: &'static str,
) -> Result<f64, ParseError> {
    let cell = row.get(col).copied().unwrap_or("");
    cell.trim_end_matches('%')
        .replace(',', "")
        .parse::<f64>()
        .map_err(|_| ParseError::NotANumber {
            table,
            row: row.first().copied().unwrap_or("").to_string(),
            column,
            cell: cell.to_string(),
        })
}

fn throughput_rows(t: &Table, what: &'static str) -> Result<Vec<ThroughputRow>, ParseError> {
    let missing = ParseError::MissingTable {
        what,
        columns: "`row`, `thr`, `MB/s (cpu)` and `MB/s (wall)`",
    };
    let (Some(name), Some(thr), Some(cpu), Some(wall)) = (
        t.column("row"),
        t.column("thr"),
        t.column("MB/s (cpu)"),
        t.column("MB/s (wall)"),
    ) else {
        return Err(missing);
    };
    t.rows
        .iter()
        .map(|r| {
            Ok(ThroughputRow {
                name: r.get(name).copied().unwrap_or("").replace('`', ""),
                threads: number(what, r, thr, "thr")? as u32,
                mbps_cpu: number(what, r, cpu, "MB/s (cpu)")?,
                mbps_wall: number(what, r, wall, "MB/s (wall)")?,
            })
        })
        .collect()
}

fn rule_rows(t: &Table) -> Result<Vec<RuleCost>, ParseError> {
    const WHAT: &str = "per-rule cost";
    let (Some(rule), Some(ns), Some(share)) = (
        t.column("rule"),
        t.column("marginal ns/line"),
        t.column("share"),
    ) else {
        return Err(ParseError::MissingTable {
            what: WHAT,
            columns: "`rule`, `marginal ns/line` and `share`",
        });
    };
    t.rows
        .iter()
        .map(|r| {
            Ok(RuleCost {
                rule: r.get(rule).copied().unwrap_or("").replace('`', ""),
                marginal_ns_per_line: number(WHAT, r, ns, "marginal ns/line")?,
                share_pct: number(WHAT, r, share, "share")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUN: &str = "\
# notes above the raw output

| row | thr | MB/s (cpu) | MB/s (wall) |
|---|---:|---:|---:|
| not this one | 1 | 1.0 | 1.0 |

## Raw output of the run

- date: 2026-11-28 14:53:03 UTC
- commit: 8aeb905

## Clean corpus: 100 MB

| row | thr | wall ms | MB/s (cpu) | MB/s (wall) |
|---|---:|---:|---:|---:|
| memchr | 1 | 15.2 | 6647.6 | 6591.4 |
| `logscrub --threads 2` | 2 | 662.1 | 78.3 | 151.6 |

## Corpus with ~1% planted secrets: 100.8 MB

| row | thr | MB/s (cpu) | MB/s (wall) |
|---|---:|---:|---:|
| memchr | 1 | 6014.8 | 5861.0 |

| # | rule | kind | prefilter | marginal ns/line | share |
|---:|---|---|---|---:|---:|
| 1 | phone_context | Pattern | pattern `a\\|b` | 300 | 31.6% |
| 2 | ipv4 | Pattern | kw | 225 | 23.7% |
";

    #[test]
    fn reads_the_raw_section_by_column_name() {
        let run = bench_run(RUN).unwrap();
        assert_eq!(run.date.as_deref(), Some("2026-11-28 14:53:03 UTC"));
        assert_eq!(run.commit.as_deref(), Some("8aeb905"));
        assert_eq!(run.clean.0, "## Clean corpus: 100 MB");
        assert_eq!(run.clean.1.len(), 2);
        assert_eq!(run.clean.1[1].name, "logscrub --threads 2");
        assert_eq!(run.clean.1[1].threads, 2);
        assert_eq!(run.clean.1[1].mbps_cpu, 78.3);
        assert_eq!(run.clean.1[1].mbps_wall, 151.6);
        assert_eq!(run.planted.1[0].mbps_cpu, 6014.8);
        assert_eq!(run.rules.len(), 2);
        assert_eq!(run.rules[0].rule, "phone_context");
        assert_eq!(run.rules[0].marginal_ns_per_line, 300.0);
        assert_eq!(run.rules[1].share_pct, 23.7);
    }

    #[test]
    fn a_missing_table_is_named() {
        let without_rules = RUN.split("| # |").next().unwrap();
        assert_eq!(
            bench_run(without_rules),
            Err(ParseError::MissingTable {
                what: "per-rule cost",
                columns: "`rule`, `marginal ns/line` and `share`"
            })
        );
    }

    #[test]
    fn a_bad_number_names_table_row_and_column() {
        let bad = RUN.replace("| 6647.6 |", "| fast |");
        let err = bench_run(&bad).unwrap_err().to_string();
        assert!(err.contains("clean-corpus throughput"), "{err}");
        assert!(
            err.contains("\"memchr\"") && err.contains("MB/s (cpu)") && err.contains("\"fast\"")
        );
    }
}
