
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'logscrub' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'logscrub'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'logscrub' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Format of --stats: text, or one JSON object')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Worker threads (default: available cores; files of 1 MiB or less in all, or standard input redirected from one, run on one; a pipe starts on one and hands over to the others after its first 256 KiB). Output order is always the input order')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: available cores; files of 1 MiB or less in all, or standard input redirected from one, run on one; a pipe starts on one and hands over to the others after its first 256 KiB). Output order is always the input order')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print counts per class and per rule, lines and throughput to stderr at the end')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Show progress on stderr (default: when stderr is a terminal and every input is a file): percent, rate and ETA when the sizes are known, a spinner otherwise; plain lines every 2 s when stderr is not a terminal')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'Decompress every input (stdin too) whose data is gzip or zstd, whatever its name (`*.gz` and `*.zst` files always are)')
            [CompletionResult]::new('--decompress', '--decompress', [CompletionResultType]::ParameterName, 'Decompress every input (stdin too) whose data is gzip or zstd, whatever its name (`*.gz` and `*.zst` files always are)')
            [CompletionResult]::new('--line-buffered', '--line-buffered', [CompletionResultType]::ParameterName, 'Flush after every input chunk even when stdout is a regular file (default: only for pipes and terminals)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Report findings without rewriting (text, JSON lines or SARIF). Exit code 1 when anything is found')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List, check or export the rules')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'logscrub;scan' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of stdout')
            [CompletionResult]::new('--report-path', '--report-path', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of stdout')
            [CompletionResult]::new('--max-results', '--max-results', [CompletionResultType]::ParameterName, 'Report at most N findings (the rest is still counted and the exit code still says 1); 0 means no cap. Default: 25000 for SARIF (GitHub''s limit), no cap otherwise')
            [CompletionResult]::new('--allowlist', '--allowlist', [CompletionResultType]::ParameterName, 'Allowlist file (TOML: `paths`, `rules`, `hashes`); what it names is not reported')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Report only findings that are not in this earlier `scan --format json` (or sarif) output')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Worker threads (default: available cores). Findings are reported in input order whatever the count')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: available cores). Findings are reported in input order whatever the count')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in')
            [CompletionResult]::new('--summary', '--summary', [CompletionResultType]::ParameterName, 'Instead of each finding, print one line (or JSON object) per rule: count, files, first place')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Show each finding''s line as the filter would write it (the value replaced), cut to 160 characters')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'Decompress every input (stdin too) whose data is gzip or zstd, whatever its name')
            [CompletionResult]::new('--decompress', '--decompress', [CompletionResultType]::ParameterName, 'Decompress every input (stdin too) whose data is gzip or zstd, whatever its name')
            [CompletionResult]::new('--hidden', '--hidden', [CompletionResultType]::ParameterName, 'In directories, also scan hidden files and directories')
            [CompletionResult]::new('--no-ignore', '--no-ignore', [CompletionResultType]::ParameterName, 'In directories, ignore .gitignore, .ignore and git exclude rules')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Show progress on stderr (default: when stderr is a terminal and every input is a file)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress')
            [CompletionResult]::new('--exit-zero', '--exit-zero', [CompletionResultType]::ParameterName, 'Exit 0 even when something is found')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'logscrub;rules' {
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the rules by category, with their class, action and provider or countries; `--format markdown` prints the table of rules/README.md')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Run every rule''s examples and negative examples; exit 1 if any fails')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export the rules'' patterns for other tools (benchmarks, comparisons)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'logscrub;rules;list' {
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Only this category (account, url_credential, secret, personal, national_id, health, crypto)')
            [CompletionResult]::new('--country', '--country', [CompletionResultType]::ParameterName, 'Only identifiers of this country (ISO 3166-1 alpha-2, e.g. BR)')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Only credentials of this provider (e.g. github, aws, gitlab)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'logscrub;rules;check' {
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'logscrub;rules;export' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Directory of extra rule files (*.toml); a rule with an existing id replaces the built-in one')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Policy file: rules/categories switched off, actions, pseudonym key source, line limits')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Prefilter backend: `rust` (default, always built in) or `vectorscan` (builds with `--features vectorscan`). Both give the same output; `logscrub rules check` runs the examples on every one built in')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'logscrub;rules;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the rules by category, with their class, action and provider or countries; `--format markdown` prints the table of rules/README.md')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Run every rule''s examples and negative examples; exit 1 if any fails')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export the rules'' patterns for other tools (benchmarks, comparisons)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'logscrub;rules;help;list' {
            break
        }
        'logscrub;rules;help;check' {
            break
        }
        'logscrub;rules;help;export' {
            break
        }
        'logscrub;rules;help;help' {
            break
        }
        'logscrub;help' {
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Report findings without rewriting (text, JSON lines or SARIF). Exit code 1 when anything is found')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List, check or export the rules')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'logscrub;help;scan' {
            break
        }
        'logscrub;help;rules' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the rules by category, with their class, action and provider or countries; `--format markdown` prints the table of rules/README.md')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Run every rule''s examples and negative examples; exit 1 if any fails')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export the rules'' patterns for other tools (benchmarks, comparisons)')
            break
        }
        'logscrub;help;rules;list' {
            break
        }
        'logscrub;help;rules;check' {
            break
        }
        'logscrub;help;rules;export' {
            break
        }
        'logscrub;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
