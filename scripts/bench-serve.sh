#!/usr/bin/env bash
# Save-to-reload latency of `docshift serve` (file written -> `reload` event received by a
# live-reload client), median of 20 edits, on the default site and on the 10,000-page
# synthetic corpus. Figures go into docs/benchmarks.md ("serve") by hand.
#   scripts/bench-serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin docshift --example synth-corpus --example serve-latency
work=${BENCH_DIR:-/tmp/docshift-bench}
mkdir -p "$work"
# The default site, copied so the benchmark never edits the repository.
rm -rf "$work/default-site" && mkdir -p "$work/default-site"
cp -r content site.yaml "$work/default-site/"
target/release/examples/serve-latency "$work/default-site" cpp-to-partner-center/faq.md "${EDITS:-20}"
corpus="$work/corpus-10000"
if [ ! -f "$corpus/content/index.md" ]; then
  rm -rf "$corpus"
  target/release/examples/synth-corpus 10000 "$corpus/content" >/dev/null
fi
page=$(cd "$corpus/content" && find . -name '*.md' -path './*/*' ! -name index.md ! -path './includes/*' | sort | sed -n 500p)
target/release/examples/serve-latency "$corpus" "${page#./}" "${EDITS:-20}"
