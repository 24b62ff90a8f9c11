#!/usr/bin/env bash
# Builds the release binaries and runs every logscrub benchmark in one go (about 3-4 minutes on 2 cores).
# Prints Markdown on stdout and keeps a copy in $CARGO_TARGET_DIR/bench-results/<UTC time>.md.
#
#   benches/run.sh                      # the corpus at ../shared/corpus relative to the repository root
#   LOGSCRUB_CORPUS=/path benches/run.sh
#   QUICK=1 benches/run.sh              # smaller buffers and fewer repetitions (a smoke run, ~1 minute)
#   FEATURES=vectorscan benches/run.sh  # cargo features (comma-separated): `--features` for cargo bench and the CLI
#                                       # build; `vectorscan` adds a Vectorscan row to the throughput table
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

tp_args=() lat_args=() prof_args=()
if [ -n "${QUICK:-}" ]; then
  tp_args=(--mb 20 --reps 1) lat_args=(--calls 20000) prof_args=(--mb 5 --reps 1)
fi

# Features: the benches take them under their own names. The CLI gets a feature under its own name when its
# [features] table declares it, else as the engine's (`logscrub-engine/NAME`), so that the binary the throughput
# bench times is built like the engine the benches link.
bench_features=() cli_features=()
if [ -n "${FEATURES:-}" ]; then
  bench_features=(--features "$FEATURES")
  if [ -f crates/cli/Cargo.toml ]; then
    cli_list=()
    for f in ${FEATURES//,/ }; do
      if awk -v f="$f" '/^\[/ { in_features = ($0 == "[features]"); next }
          in_features { k = $0; sub(/[ \t]*=.*/, "", k); sub(/^[ \t]+/, "", k); if (k == f) found = 1 }
          END { exit !found }' crates/cli/Cargo.toml; then
        cli_list+=("$f")
      else
        cli_list+=("logscrub-engine/$f")
      fi
    done
    cli_features=(--features "$(IFS=,; echo "${cli_list[*]}")")
  fi
fi

if [ -f crates/cli/Cargo.toml ]; then
  cargo build --release -p logscrub-cli "${cli_features[@]}"
fi
cargo bench -p logscrub-benches "${bench_features[@]}" --no-run

mkdir -p "$CARGO_TARGET_DIR/bench-results"
out="$CARGO_TARGET_DIR/bench-results/$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "# logscrub benchmarks"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "- toolchain: $(rustc --version)"
  echo "- command: \`${FEATURES:+FEATURES=$FEATURES }${QUICK:+QUICK=1 }benches/run.sh\`"
  echo
  cargo bench -q -p logscrub-benches "${bench_features[@]}" --bench throughput -- "${tp_args[@]}"
  echo
  cargo bench -q -p logscrub-benches "${bench_features[@]}" --bench latency -- "${lat_args[@]}"
  echo
  cargo bench -q -p logscrub-benches "${bench_features[@]}" --bench rules_profile -- "${prof_args[@]}"
} 2>&1 | tee "$out"
echo
echo "(saved to $out)"
# Figures of this run (SVG; benches/figures/ holds those of the run recorded in benches/RESULTS.md).
if cargo run -q -p logscrub-benches --bin plot -- --input "$out" --out "${out%.md}-figures"; then
  echo "(figures in ${out%.md}-figures/)"
else
  echo "warning: the figures of this run could not be drawn (see above)"
fi
