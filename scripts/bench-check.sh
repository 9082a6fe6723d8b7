#!/usr/bin/env bash
# `docshift check` alone on the synthetic corpus (10,000 pages by default). The target: fast
# enough to run on every save, under one second for 10,000 pages on a 2-core machine.
# scripts/bench.sh times build and check together on 1,000 and 10,000 pages and shares the
# corpus folder with this script; this one is the quick check-only run.
#   scripts/bench-check.sh [pages]     # needs hyperfine (apt-get install -y hyperfine)
#   RUNS=20 BENCH_DIR=/tmp/x scripts/bench-check.sh 1000
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is required: apt-get install -y hyperfine" >&2; exit 2; }
pages=${1:-10000}
cargo build --release --quiet --bin docshift --example synth-corpus
bin=target/release/docshift
work=${BENCH_DIR:-/tmp/docshift-bench}
corpus="$work/corpus-$pages"
if [ ! -f "$corpus/content/index.md" ]; then
  rm -rf "$corpus"
  target/release/examples/synth-corpus "$pages" "$corpus/content" >/dev/null
fi
"$bin" check --root "$corpus"  # the corpus is clean: prints the summary line, exits 0
hyperfine --warmup 2 --runs "${RUNS:-10}" --export-markdown "$work/check-$pages.md" \
  -n "check (human)" "$bin check --root $corpus" \
  -n "check --format json" "$bin check --root $corpus --format json" \
  -n "check --format sarif" "$bin check --root $corpus --format sarif"
cat "$work/check-$pages.md"
