//! Per-rule cost: for each rule of the pack, a scrubber with only that rule enabled runs over the same corpus
//! buffer; rules are listed slowest first with their MB/s and their share of the time. A slow rule added to the
//! pack shows up at the top of this table. A second figure per rule, leave-one-out, is what the full pack saves
//! without that rule.
//!
//! `cargo bench -p logscrub-benches --bench rules_profile [-- --mb 20 --reps 3 --corpus DIR --loo]`

use std::time::Instant;

use logscrub_benches::{
    byte_pass, fmt_bytes, keyword_automaton, keyword_pass, load_corpus_or_exit, loadavg,
    machine_summary, measure, prefilter_line_hits, prefilters, repeat_to, scrubber_with_only,
    scrubber_without, stream_scrub, with_sentinel, Args, Row, Who, PUSH_CHUNK, SENTINEL,
};
use logscrub_engine::{RuleSet, Scrubber};

const USAGE: &str =
    "usage: rules_profile [--mb N (default 20)] [--reps N (default 3)] [--corpus DIR] [--loo]";

fn main() {
    let started = Instant::now();
    let args = Args::parse(USAGE);
    let corpus = load_corpus_or_exit(&args);
    let mb = args.mb.unwrap_or(20);
    let reps = args.reps.unwrap_or(3);
    let set = RuleSet::default_pack().unwrap_or_else(|e| logscrub_benches::die(&e.to_string()));
    let buf = repeat_to(&corpus.bytes, mb * 1_000_000);
    let lines = memchr::memchr_iter(b'\n', &buf).count();
    let ids: Vec<String> = set.rules().iter().map(|r| r.rule.id.clone()).collect();
    let n = ids.len();

    println!("# logscrub per-rule cost\n");
    println!("{}", machine_summary());
    println!(
        "- buffer: the corpus ({} files) repeated to {}, {lines} lines; `LineStream`, 1 thread; CPU time of the \
         thread; best of {reps} round-robin repetitions; {n} rules",
        corpus.files.len(),
        fmt_bytes(buf.len())
    );
    println!(
        "- *alone*: the rule runs alone (every other rule disabled by policy) next to a sentinel rule whose keyword \
         never occurs, so that every scrubber has a non-empty keyword automaton; `none` is the sentinel alone (line \
         framing, the byte pass, a one-keyword automaton); *marginal* = time alone − time of `none`; share = \
         marginal ÷ sum of marginals. A rule's keywords make the automaton slower, so keyword rules that never fire \
         still show a cost here; in the full pack that automaton is shared."
    );
    if args.loo {
        println!(
            "- *saved when removed*: time of the full pack − time of the full pack without the rule (leave-one-out; \
             off by default: the differences are a few % of the full pack's time, below the noise of a shared \
             2-core machine)"
        );
    }

    // Scrubbers: [none, full, alone(rule)..., without(rule)...].
    let with_s = with_sentinel(&set);
    let mut scrubbers: Vec<Scrubber> = vec![
        scrubber_with_only(&with_s, &[SENTINEL]),
        Scrubber::builder()
            .rules(set.clone())
            .build()
            .unwrap_or_else(|e| logscrub_benches::die(&e.to_string())),
    ];
    for id in &ids {
        scrubbers.push(scrubber_with_only(&with_s, &[id.as_str(), SENTINEL]));
    }
    if args.loo {
        for id in &ids {
            scrubbers.push(scrubber_without(&set, id));
        }
    }
    let pfs = prefilters(&set);
    let (ac, n_words) = keyword_automaton(&pfs);

    let mut out = vec![1u8; buf.len() + buf.len() / 4];
    out.clear();
    let mut rows: Vec<Row> = (0..scrubbers.len())
        .map(|_| Row::new("", 1, buf.len()))
        .collect();
    let mut kw_row = Row::new("keyword automaton", 1, buf.len());
    let mut byte_row = Row::new("byte pass", 1, buf.len());
    let mut changed_full = 0;
    for _ in 0..reps {
        for (i, s) in scrubbers.iter().enumerate() {
            let (c, sample) = measure(Who::Thread, || stream_scrub(s, &buf, &mut out));
            if i == 1 {
                changed_full = c;
            }
            rows[i].record(sample);
        }
        let (_, sample) = measure(Who::Thread, || keyword_pass(&ac, &buf));
        kw_row.record(sample);
        let (_, sample) = measure(Who::Thread, || byte_pass(&buf));
        byte_row.record(sample);
    }
    let cpu = |r: &Row| r.best.map_or(0.0, |s| s.cpu.as_secs_f64());
    let base = cpu(&rows[0]);
    let full = cpu(&rows[1]);
    let alone = |k: usize| &rows[2 + k];
    let without = |k: usize| rows.get(2 + n + k).filter(|_| args.loo);

    // What fires on the corpus (one copy): lines each prefilter lets through, findings of the full pack.
    let hits = prefilter_line_hits(&pfs, &corpus.bytes);
    let corpus_lines = corpus
        .bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    let full_scrubber = &scrubbers[1];
    let mut stream = full_scrubber.stream();
    let mut tmp = Vec::with_capacity(corpus.bytes.len() * 2);
    for chunk in corpus.bytes.chunks(PUSH_CHUNK) {
        stream.push(chunk, &mut tmp);
    }
    stream.finish(&mut tmp);
    let stats = stream.stats().clone();
    let findings_of = |id: &str| -> u64 {
        full_scrubber
            .rules()
            .iter()
            .position(|r| r.id == id)
            .map_or(0, |i| stats.findings[i])
    };

    let marginal: Vec<f64> = (0..n).map(|k| (cpu(alone(k)) - base).max(0.0)).collect();
    let total_marginal: f64 = marginal.iter().sum();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| marginal[b].total_cmp(&marginal[a]));

    println!(
        "\n| # | rule | kind | prefilter | corpus lines let through | findings in corpus | MB/s alone | marginal ms | \
         marginal ns/line | share |{}\n\
         |---:|---|---|---|---:|---:|---:|---:|---:|---:|{}",
        if args.loo { " saved when removed, ms |" } else { "" },
        if args.loo { "---:|" } else { "" }
    );
    for (rank, &k) in order.iter().enumerate() {
        let pf = &pfs[k];
        let saved = without(k).map_or(String::new(), |r| {
            format!(" {:.1} |", (full - cpu(r)) * 1e3)
        });
        let through = match &hits[k].top_literal {
            Some((lit, lines)) if hits[k].lines > 0 => format!(
                "{:.1}% (`{lit}`: {lines} lines)",
                100.0 * hits[k].lines as f64 / corpus_lines as f64,
            ),
            _ => format!("{:.1}%", 100.0 * hits[k].lines as f64 / corpus_lines as f64),
        };
        println!(
            "| {} | {} | {:?} | {} | {} | {} | {:.1} | {:.1} | {:.0} | {:.1}% |{}",
            rank + 1,
            ids[k],
            pf.kind,
            pf.describe(),
            through,
            findings_of(&ids[k]),
            alone(k).mbps_cpu().unwrap_or(0.0),
            marginal[k] * 1e3,
            marginal[k] * 1e9 / lines as f64,
            if total_marginal > 0.0 {
                100.0 * marginal[k] / total_marginal
            } else {
                0.0
            },
            saved
        );
    }
    let ref_row = |name: &str, secs: f64| {
        println!(
            "| {name} | {:.1} | {:.1} | {:.0} |",
            if secs > 0.0 {
                buf.len() as f64 / 1e6 / secs
            } else {
                0.0
            },
            secs * 1e3,
            secs * 1e9 / lines as f64
        );
    };
    println!("\n| reference (same buffer) | MB/s | CPU ms | ns/line |\n|---|---:|---:|---:|");
    ref_row("full pack", full);
    ref_row("none (framing, byte pass, one-keyword automaton)", base);
    ref_row("none + sum of marginals", base + total_marginal);
    ref_row(
        &format!(
            "keyword pass alone, re-created ({n_words} literals, ASCII-CI, overlapping, per line)"
        ),
        cpu(&kw_row),
    );
    ref_row(
        "byte pass alone, re-created (digit count + byte set, per line)",
        cpu(&byte_row),
    );

    println!(
        "\n- full pack on the corpus: {} of {corpus_lines} lines changed ({:.1}%), {} findings; in the buffer: {} lines \
         changed",
        stats.lines_changed,
        100.0 * stats.lines_changed as f64 / corpus_lines as f64,
        stats.total_findings(),
        changed_full
    );
    println!(
        "- `corpus lines let through` is re-derived from the rule data (keywords, field names, byte triggers) the \
         way the engine's compile step builds its prefilter: the share of lines on which the rule's regex or field \
         scan runs at all; in brackets, the keyword found on the most lines and on how many of the corpus lines"
    );
    println!(
        "- load average at end: {}; bench wall time {:.1} s",
        loadavg(),
        started.elapsed().as_secs_f64()
    );
}
