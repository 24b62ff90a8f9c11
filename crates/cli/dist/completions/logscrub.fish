# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_logscrub_global_optspecs
    string join \n stats format= progress no-progress z/decompress j/threads= line-buffered rules= c/config= backend= h/help V/version
end

function __fish_logscrub_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_logscrub_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_logscrub_using_subcommand
    set -l cmd (__fish_logscrub_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c logscrub -n "__fish_logscrub_needs_command" -l format -d 'Format of --stats: text, or one JSON object' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object'"
complete -c logscrub -n "__fish_logscrub_needs_command" -s j -l threads -d 'Worker threads (default: available cores; files of 1 MiB or less in all, or standard input redirected from one, run on one; a pipe starts on one and hands over to the others after its first 256 KiB). Output order is always the input order' -r
complete -c logscrub -n "__fish_logscrub_needs_command" -l rules -d 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one' -r -F
complete -c logscrub -n "__fish_logscrub_needs_command" -s c -l config -d 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits' -r -F
complete -c logscrub -n "__fish_logscrub_needs_command" -l backend -d 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in' -r -f -a "rust\t'regex-automata\'s lazy DFA (pure Rust)'
vectorscan\t'Vectorscan (only in builds with the `vectorscan` feature)'"
complete -c logscrub -n "__fish_logscrub_needs_command" -l stats -d 'Print counts per class and per rule, lines and throughput to stderr at the end'
complete -c logscrub -n "__fish_logscrub_needs_command" -l progress -d 'Show progress on stderr (default: when stderr is a terminal and every input is a file): percent, rate and ETA when the sizes are known, a spinner otherwise; plain lines every 2 s when stderr is not a terminal'
complete -c logscrub -n "__fish_logscrub_needs_command" -l no-progress -d 'Never show progress'
complete -c logscrub -n "__fish_logscrub_needs_command" -s z -l decompress -d 'Decompress every input (stdin too) whose data is gzip or zstd, whatever its name (`*.gz` and `*.zst` files always are)'
complete -c logscrub -n "__fish_logscrub_needs_command" -l line-buffered -d 'Flush after every input chunk even when stdout is a regular file (default: only for pipes and terminals)'
complete -c logscrub -n "__fish_logscrub_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logscrub -n "__fish_logscrub_needs_command" -s V -l version -d 'Print version'
complete -c logscrub -n "__fish_logscrub_needs_command" -a "scan" -d 'Report findings without rewriting (text, JSON lines or SARIF). Exit code 1 when anything is found'
complete -c logscrub -n "__fish_logscrub_needs_command" -a "rules" -d 'List, check or export the rules'
complete -c logscrub -n "__fish_logscrub_needs_command" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -l format -d 'Output format' -r -f -a "text\t'`file:line:col: rule (class) hash=...`, one per line'
json\t'One JSON object per finding (JSON lines)'
sarif\t'A SARIF 2.1.0 log for code scanning (GitHub, GitLab, ...), compact, capped at 25,000 results by default'
html\t'A self-contained HTML page: findings by class and by file, with a chart'"
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -s o -l report-path -d 'Write the report to FILE instead of stdout' -r -F
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -l max-results -d 'Report at most N findings (the rest is still counted and the exit code still says 1); 0 means no cap. Default: 25000 for SARIF (GitHub\'s limit), no cap otherwise' -r
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -l allowlist -d 'Allowlist file (TOML: `paths`, `rules`, `hashes`); what it names is not reported' -r -F
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -l baseline -d 'Report only findings that are not in this earlier `scan --format json` (or sarif) output' -r -F
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -s j -l threads -d 'Worker threads (default: available cores). Findings are reported in input order whatever the count' -r
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -l rules -d 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one' -r -F
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -s c -l config -d 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits' -r -F
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -l backend -d 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in' -r -f -a "rust\t'regex-automata\'s lazy DFA (pure Rust)'
vectorscan\t'Vectorscan (only in builds with the `vectorscan` feature)'"
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -l summary -d 'Instead of each finding, print one line (or JSON object) per rule: count, files, first place'
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -l context -d 'Show each finding\'s line as the filter would write it (the value replaced), cut to 160 characters'
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -s z -l decompress -d 'Decompress every input (stdin too) whose data is gzip or zstd, whatever its name'
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -l hidden -d 'In directories, also scan hidden files and directories'
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -l no-ignore -d 'In directories, ignore .gitignore, .ignore and git exclude rules'
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -l progress -d 'Show progress on stderr (default: when stderr is a terminal and every input is a file)'
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -l no-progress -d 'Never show progress'
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -l exit-zero -d 'Exit 0 even when something is found'
complete -c logscrub -n "__fish_logscrub_using_subcommand scan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and not __fish_seen_subcommand_from list check export help" -l rules -d 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one' -r -F
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and not __fish_seen_subcommand_from list check export help" -s c -l config -d 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits' -r -F
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and not __fish_seen_subcommand_from list check export help" -l backend -d 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in' -r -f -a "rust\t'regex-automata\'s lazy DFA (pure Rust)'
vectorscan\t'Vectorscan (only in builds with the `vectorscan` feature)'"
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and not __fish_seen_subcommand_from list check export help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and not __fish_seen_subcommand_from list check export help" -f -a "list" -d 'List the rules by category, with their class, action and provider or countries; `--format markdown` prints the table of rules/README.md'
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and not __fish_seen_subcommand_from list check export help" -f -a "check" -d 'Run every rule\'s examples and negative examples; exit 1 if any fails'
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and not __fish_seen_subcommand_from list check export help" -f -a "export" -d 'Export the rules\' patterns for other tools (benchmarks, comparisons)'
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and not __fish_seen_subcommand_from list check export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from list" -l category -d 'Only this category (account, url_credential, secret, personal, national_id, health, crypto)' -r
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from list" -l country -d 'Only identifiers of this country (ISO 3166-1 alpha-2, e.g. BR)' -r
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from list" -l provider -d 'Only credentials of this provider (e.g. github, aws, gitlab)' -r
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from list" -l format -d 'Output format' -r -f -a "text\t'Grouped by category, one rule a line'
markdown\t'The Markdown table of everything detected (id, class, category, provider or countries, spec)'"
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from list" -l rules -d 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one' -r -F
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from list" -s c -l config -d 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits' -r -F
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from list" -l backend -d 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in' -r -f -a "rust\t'regex-automata\'s lazy DFA (pure Rust)'
vectorscan\t'Vectorscan (only in builds with the `vectorscan` feature)'"
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from check" -l rules -d 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one' -r -F
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from check" -s c -l config -d 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits' -r -F
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from check" -l backend -d 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in' -r -f -a "rust\t'regex-automata\'s lazy DFA (pure Rust)'
vectorscan\t'Vectorscan (only in builds with the `vectorscan` feature)'"
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from export" -l format -d 'Output format' -r -f -a "rg\t'One regex per line, for `rg -f` / `grep -E -f` style tools (pattern rules only)'
json\t'The whole rule set as JSON'"
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from export" -l rules -d 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one' -r -F
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from export" -s c -l config -d 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits' -r -F
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from export" -l backend -d 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in' -r -f -a "rust\t'regex-automata\'s lazy DFA (pure Rust)'
vectorscan\t'Vectorscan (only in builds with the `vectorscan` feature)'"
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the rules by category, with their class, action and provider or countries; `--format markdown` prints the table of rules/README.md'
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from help" -f -a "check" -d 'Run every rule\'s examples and negative examples; exit 1 if any fails'
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from help" -f -a "export" -d 'Export the rules\' patterns for other tools (benchmarks, comparisons)'
complete -c logscrub -n "__fish_logscrub_using_subcommand rules; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c logscrub -n "__fish_logscrub_using_subcommand help; and not __fish_seen_subcommand_from scan rules help" -f -a "scan" -d 'Report findings without rewriting (text, JSON lines or SARIF). Exit code 1 when anything is found'
complete -c logscrub -n "__fish_logscrub_using_subcommand help; and not __fish_seen_subcommand_from scan rules help" -f -a "rules" -d 'List, check or export the rules'
complete -c logscrub -n "__fish_logscrub_using_subcommand help; and not __fish_seen_subcommand_from scan rules help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c logscrub -n "__fish_logscrub_using_subcommand help; and __fish_seen_subcommand_from rules" -f -a "list" -d 'List the rules by category, with their class, action and provider or countries; `--format markdown` prints the table of rules/README.md'
complete -c logscrub -n "__fish_logscrub_using_subcommand help; and __fish_seen_subcommand_from rules" -f -a "check" -d 'Run every rule\'s examples and negative examples; exit 1 if any fails'
complete -c logscrub -n "__fish_logscrub_using_subcommand help; and __fish_seen_subcommand_from rules" -f -a "export" -d 'Export the rules\' patterns for other tools (benchmarks, comparisons)'
