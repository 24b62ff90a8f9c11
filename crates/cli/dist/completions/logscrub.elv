
use builtin;
use str;

set edit:completion:arg-completer[logscrub] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'logscrub'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'logscrub'= {
            cand --format 'Format of --stats: text, or one JSON object'
            cand -j 'Worker threads (default: available cores; files of 1 MiB or less in all, or standard input redirected from one, run on one; a pipe starts on one and hands over to the others after its first 256 KiB). Output order is always the input order'
            cand --threads 'Worker threads (default: available cores; files of 1 MiB or less in all, or standard input redirected from one, run on one; a pipe starts on one and hands over to the others after its first 256 KiB). Output order is always the input order'
            cand --rules 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one'
            cand -c 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits'
            cand --config 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits'
            cand --backend 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in'
            cand --stats 'Print counts per class and per rule, lines and throughput to stderr at the end'
            cand --progress 'Show progress on stderr (default: when stderr is a terminal and every input is a file): percent, rate and ETA when the sizes are known, a spinner otherwise; plain lines every 2 s when stderr is not a terminal'
            cand --no-progress 'Never show progress'
            cand -z 'Decompress every input (stdin too) whose data is gzip or zstd, whatever its name (`*.gz` and `*.zst` files always are)'
            cand --decompress 'Decompress every input (stdin too) whose data is gzip or zstd, whatever its name (`*.gz` and `*.zst` files always are)'
            cand --line-buffered 'Flush after every input chunk even when stdout is a regular file (default: only for pipes and terminals)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand scan 'Report findings without rewriting (text, JSON lines or SARIF). Exit code 1 when anything is found'
            cand rules 'List, check or export the rules'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'logscrub;scan'= {
            cand --format 'Output format'
            cand -o 'Write the report to FILE instead of stdout'
            cand --report-path 'Write the report to FILE instead of stdout'
            cand --max-results 'Report at most N findings (the rest is still counted and the exit code still says 1); 0 means no cap. Default: 25000 for SARIF (GitHub''s limit), no cap otherwise'
            cand --allowlist 'Allowlist file (TOML: `paths`, `rules`, `hashes`); what it names is not reported'
            cand --baseline 'Report only findings that are not in this earlier `scan --format json` (or sarif) output'
            cand -j 'Worker threads (default: available cores). Findings are reported in input order whatever the count'
            cand --threads 'Worker threads (default: available cores). Findings are reported in input order whatever the count'
            cand --rules 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one'
            cand -c 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits'
            cand --config 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits'
            cand --backend 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in'
            cand --summary 'Instead of each finding, print one line (or JSON object) per rule: count, files, first place'
            cand --context 'Show each finding''s line as the filter would write it (the value replaced), cut to 160 characters'
            cand -z 'Decompress every input (stdin too) whose data is gzip or zstd, whatever its name'
            cand --decompress 'Decompress every input (stdin too) whose data is gzip or zstd, whatever its name'
            cand --hidden 'In directories, also scan hidden files and directories'
            cand --no-ignore 'In directories, ignore .gitignore, .ignore and git exclude rules'
            cand --progress 'Show progress on stderr (default: when stderr is a terminal and every input is a file)'
            cand --no-progress 'Never show progress'
            cand --exit-zero 'Exit 0 even when something is found'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'logscrub;rules'= {
            cand --rules 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one'
            cand -c 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits'
            cand --config 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits'
            cand --backend 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List the rules by category, with their class, action and provider or countries; `--format markdown` prints the table of rules/README.md'
            cand check 'Run every rule''s examples and negative examples; exit 1 if any fails'
            cand export 'Export the rules'' patterns for other tools (benchmarks, comparisons)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'logscrub;rules;list'= {
            cand --category 'Only this category (account, url_credential, secret, personal, national_id, health, crypto)'
            cand --country 'Only identifiers of this country (ISO 3166-1 alpha-2, e.g. BR)'
            cand --provider 'Only credentials of this provider (e.g. github, aws, gitlab)'
            cand --format 'Output format'
            cand --rules 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one'
            cand -c 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits'
            cand --config 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits'
            cand --backend 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'logscrub;rules;check'= {
            cand --rules 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one'
            cand -c 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits'
            cand --config 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits'
            cand --backend 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'logscrub;rules;export'= {
            cand --format 'Output format'
            cand --rules 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one'
            cand -c 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits'
            cand --config 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits'
            cand --backend 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'logscrub;rules;help'= {
            cand list 'List the rules by category, with their class, action and provider or countries; `--format markdown` prints the table of rules/README.md'
            cand check 'Run every rule''s examples and negative examples; exit 1 if any fails'
            cand export 'Export the rules'' patterns for other tools (benchmarks, comparisons)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'logscrub;rules;help;list'= {
        }
        &'logscrub;rules;help;check'= {
        }
        &'logscrub;rules;help;export'= {
        }
        &'logscrub;rules;help;help'= {
        }
        &'logscrub;help'= {
            cand scan 'Report findings without rewriting (text, JSON lines or SARIF). Exit code 1 when anything is found'
            cand rules 'List, check or export the rules'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'logscrub;help;scan'= {
        }
        &'logscrub;help;rules'= {
            cand list 'List the rules by category, with their class, action and provider or countries; `--format markdown` prints the table of rules/README.md'
            cand check 'Run every rule''s examples and negative examples; exit 1 if any fails'
            cand export 'Export the rules'' patterns for other tools (benchmarks, comparisons)'
        }
        &'logscrub;help;rules;list'= {
        }
        &'logscrub;help;rules;check'= {
        }
        &'logscrub;help;rules;export'= {
        }
        &'logscrub;help;help'= {
        }
    ]
    $completions[$command]
}
