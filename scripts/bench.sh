#!/usr/bin/env bash
# Build and check benchmarks on synthetic corpora (1,000 and 10,000 pages).
#   scripts/bench.sh            # needs hyperfine (apt-get install -y hyperfine)
# Figures go into docs/benchmarks.md by hand, with the machine they ran on.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is required: apt-get install -y hyperfine" >&2; exit 2; }
cargo build --release --quiet --bin docshift --example synth-corpus
bin=target/release/docshift
work=${BENCH_DIR:-/tmp/docshift-bench}
for n in 1000 10000; do
  corpus="$work/corpus-$n"
  if [ ! -f "$corpus/content/index.md" ]; then
    rm -rf "$corpus"
    target/release/examples/synth-corpus "$n" "$corpus/content" >/dev/null
  fi
  "$bin" check --root "$corpus" --format json >/dev/null  # must be clean
  hyperfine --warmup 1 --runs "${RUNS:-5}" --export-markdown "$work/build-$n.md" \
    "$bin build --root $corpus --output $work/out-$n" \
    "$bin check --root $corpus"
done
cat "$work"/build-*.md
