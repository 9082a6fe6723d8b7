#!/usr/bin/env bash
# The human report on a site full of findings: 1,000 pages in 10 folders, each page with 10
# links to a misspelt page name and 10 links to a misspelt anchor (20,000 findings, each
# with a "did you mean"). Times `check` in the human and the JSON format, so the cost of
# drawing the report and the cost of the suggestions can be told apart.
#   scripts/bench-report.sh            # prints wall/user time, report size and help lines
#   BENCH_DIR=/tmp/x scripts/bench-report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin docshift
bin=$PWD/target/release/docshift
corpus=${BENCH_DIR:-/tmp/docshift-bench}/findings
if [ ! -f "$corpus/content/d9/page-99.md" ]; then
  rm -rf "$corpus"
  for d in $(seq 0 9); do
    mkdir -p "$corpus/content/d$d"
    next=$(((d + 1) % 10))
    for p in $(seq 0 99); do
      {
        printf '# Page %s-%s\n\n## Install\n\n' "$d" "$p"
        for k in $(seq 0 9); do
          printf 'See [page %s](../d%s/pag-%s.md) and [ok](../d%s/page-%s.md#instal) text %s.\n\n' \
            "$k" "$next" "$k" "$next" "$k" "$k"
        done
      } >"$corpus/content/d$d/page-$p.md"
    done
  done
fi
for format in human json; do
  /usr/bin/time -f "check --format $format: %e s wall, %U s user, %M KB" \
    "$bin" check --root "$corpus" --format "$format" >"$corpus.$format" || true
done
echo "human report: $(wc -c <"$corpus.human") bytes, $(grep -c '= help:' "$corpus.human") help lines"
