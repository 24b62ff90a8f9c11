#!/usr/bin/env bash
# Builds the release binaries and runs every logscrub benchmark in one go (about 3-4 minutes on 2 cores).
# Prints Markdown on stdout and keeps a copy in $CARGO_TARGET_DIR/bench-results/<UTC time>.md.
#
#   benches/run.sh                      # the corpus at ../shared/corpus relative to the repository root
#   LOGSCRUB_CORPUS=/path benches/run.sh
#   QUICK=1 benches/run.sh              # smaller buffers and fewer repetitions (a smoke run, ~1 minute)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

tp_args=() lat_args=() prof_args=()
if [ -n "${QUICK:-}" ]; then
  tp_args=(--mb 20 --reps 1) lat_args=(--calls 20000) prof_args=(--mb 5 --reps 1)
fi

if [ -f crates/cli/Cargo.toml ]; then
  cargo build --release -p logscrub-cli
fi
cargo bench -p logscrub-benches --no-run

mkdir -p "$CARGO_TARGET_DIR/bench-results"
out="$CARGO_TARGET_DIR/bench-results/$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "# logscrub benchmarks"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "- toolchain: $(rustc --version)"
  echo "- command: \`benches/run.sh\`${QUICK:+ (QUICK=1)}"
  echo
  cargo bench -q -p logscrub-benches --bench throughput -- "${tp_args[@]}"
  echo
  cargo bench -q -p logscrub-benches --bench latency -- "${lat_args[@]}"
  echo
  cargo bench -q -p logscrub-benches --bench rules_profile -- "${prof_args[@]}"
} 2>&1 | tee "$out"
echo
echo "(saved to $out)"
