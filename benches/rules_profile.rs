//! Per-rule cost: for each rule of the pack, a scrubber with only that rule enabled runs over the same corpus
//! buffer; rules are listed slowest first with their MB/s and their share of the time. A slow rule added to the
//! pack shows up at the top of this table. A second figure per rule, leave-one-out, is what the full pack saves
//! without that rule. Next to the cost, the engine's own counters for one pass of the full pack over the corpus
//! (`Stats::prefiltered`, `Stats::findings`) say how often each rule's prefilter let a line through and how often
//! the rule then found something: a rule whose prefilter fires on many lines but finds little is the one to
//! tighten.
//!
//! `cargo bench -p logscrub-benches --bench rules_profile [-- --mb 20 --reps 3 --corpus DIR --loo]`

use std::time::Instant;

use logscrub_benches::{
    describe_prefilter, fmt_bytes, load_corpus_or_exit, loadavg, machine_summary, measure,
    repeat_to, scrubber_with_only, scrubber_without, stream_scrub, stream_scrub_stats,
    with_sentinel, Args, Row, Who, SENTINEL,
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
        "- *alone*: the rule runs alone (every other rule disabled by policy) next to a sentinel rule whose keywords \
         never occur, so that every scrubber walks a prefilter automaton over every byte; `none` is the sentinel \
         alone (line framing, the walk of a four-keyword prefilter automaton); *marginal* = time alone − time of \
         `none`; share = marginal ÷ sum of marginals. A rule's prefilter patterns make the automaton larger, so a \
         rule that never fires can still show a cost here; in the full pack one automaton holds every rule's \
         patterns and is walked once."
    );
    if args.loo {
        println!(
            "- *saved when removed*: time of the full pack − time of the full pack without the rule (leave-one-out; \
             off by default: the differences are a few % of the full pack's time, below the noise of a shared \
             2-core machine)"
        );
    }

    // Scrubbers: [empty, none, full, alone(rule)..., without(rule)...].
    const EMPTY: usize = 0;
    const NONE: usize = 1;
    const FULL: usize = 2;
    const ALONE: usize = 3;
    let with_s = with_sentinel(&set);
    let mut scrubbers: Vec<Scrubber> = vec![
        scrubber_with_only(&with_s, &[]),
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

    let mut out = vec![1u8; buf.len() + buf.len() / 4];
    out.clear();
    let mut rows: Vec<Row> = (0..scrubbers.len())
        .map(|_| Row::new("", 1, buf.len()))
        .collect();
    let mut changed_full = 0;
    for _ in 0..reps {
        for (i, s) in scrubbers.iter().enumerate() {
            let (c, sample) = measure(Who::Thread, || stream_scrub(s, &buf, &mut out));
            if i == FULL {
                changed_full = c;
            }
            rows[i].record(sample);
        }
    }
    let cpu = |r: &Row| r.best.map_or(0.0, |s| s.cpu.as_secs_f64());
    let empty = cpu(&rows[EMPTY]);
    let base = cpu(&rows[NONE]);
    let full = cpu(&rows[FULL]);
    let alone = |k: usize| &rows[ALONE + k];
    let without = |k: usize| rows.get(ALONE + n + k).filter(|_| args.loo);

    // What fires on the corpus (one copy), as the engine counts it in one pass of the full pack: lines on which
    // each rule's prefilter fired (so its regex or field scan ran), and its findings. Looked up by id because the
    // engine indexes its counters by compiled rule, which need not be the pack's order.
    let full_scrubber = &scrubbers[FULL];
    let mut tmp = Vec::with_capacity(corpus.bytes.len() * 2);
    let stats = stream_scrub_stats(full_scrubber, &corpus.bytes, &mut tmp);
    let corpus_lines = stats.lines;
    let of = |counts: &[u64], id: &str| -> Option<u64> {
        full_scrubber
            .rules()
            .iter()
            .position(|r| r.id == id)
            .map(|i| counts[i])
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
        let rule = &set.rules()[k].rule;
        let saved = without(k).map_or(String::new(), |r| {
            format!(" {:.1} |", (full - cpu(r)) * 1e3)
        });
        let through = match of(&stats.prefiltered, &ids[k]) {
            Some(lines) => format!(
                "{:.1}% ({lines})",
                100.0 * lines as f64 / corpus_lines.max(1) as f64
            ),
            None => "– (not compiled)".to_string(),
        };
        let findings = of(&stats.findings, &ids[k]).map_or("–".to_string(), |f| f.to_string());
        println!(
            "| {} | {} | {:?} | {} | {} | {} | {:.1} | {:.1} | {:.0} | {:.1}% |{}",
            rank + 1,
            ids[k],
            rule.kind,
            describe_prefilter(&set, rule),
            through,
            findings,
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
    // A row too fast for the CPU clock (the empty scrubber on a small buffer) has no MB/s, rather than 0 MB/s.
    let ref_row = |name: &str, secs: f64| {
        println!(
            "| {name} | {} | {:.1} | {:.0} |",
            if secs > 0.0 {
                format!("{:.1}", buf.len() as f64 / 1e6 / secs)
            } else {
                "–".to_string()
            },
            secs * 1e3,
            secs * 1e9 / lines as f64
        );
    };
    println!("\n| reference (same buffer) | MB/s | CPU ms | ns/line |\n|---|---:|---:|---:|");
    ref_row("full pack", full);
    ref_row(
        "none (framing, walk of a four-keyword prefilter automaton)",
        base,
    );
    ref_row("none + sum of marginals", base + total_marginal);
    ref_row(
        "no rule at all (framing and copy; an empty automaton stops at once)",
        empty,
    );

    println!(
        "\n- full pack on the corpus: {} of {corpus_lines} lines changed ({:.1}%), {} findings; in the buffer: {} lines \
         changed",
        stats.lines_changed,
        100.0 * stats.lines_changed as f64 / corpus_lines.max(1) as f64,
        stats.total_findings(),
        changed_full
    );
    println!(
        "- `corpus lines let through` is the engine's own count (`Stats::prefiltered`) for one pass of the full pack \
         over the corpus ({} prefilter): the share, and number in brackets, of the {corpus_lines} lines on which the \
         rule's prefilter fired, so that its regex or field scan ran; `findings in corpus` is `Stats::findings` of \
         the same pass",
        full_scrubber.backend().name()
    );
    println!(
        "- `prefilter` is read from the rule data in the order the engine's compile step uses: `kw` keywords \
         (ASCII case-insensitive), `keys` field names or a field rule's keywords (they count only as a field key, \
         followed by `=` or `:`), `context kw` a required context's keywords (with the rule's keys and the pack's \
         free-form keys), else the rule's `prefilter` regex or its `pattern`, abbreviated"
    );
    println!(
        "- load average at end: {}; bench wall time {:.1} s",
        loadavg(),
        started.elapsed().as_secs_f64()
    );
}
