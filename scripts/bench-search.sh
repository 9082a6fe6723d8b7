#!/usr/bin/env bash
# Search budgets (issue 5) on the 10,000-page synthetic corpus and on the default site:
#   1. index build cost: full builds with and without search (`search: false`), alternated
#      so that machine load hits both alike; reports the minimum and median wall time and
#      the CPU time (user + sys). Output goes to tmpfs (/dev/shm) when there is one, so the
#      state of the disk's file system (inode allocation after other jobs' deletes) does not
#      swamp the figures;
#   2. first-query transfer: bytes of manifest + shards + metadata chunks a cold client
#      fetches, for a set of queries, run through the real engine (static/search.js);
#   3. index sizes.
#   scripts/bench-search.sh            # ROUNDS=5 by default; needs node
# Figures go into docs/benchmarks.md ("Search") by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v node >/dev/null || { echo "node is required" >&2; exit 2; }
cargo build --release --quiet --bin docshift --example synth-corpus
bin=$PWD/target/release/docshift
work=${BENCH_DIR:-/tmp/docshift-bench}
corpus="$work/corpus-10000"
if [ ! -f "$corpus/content/index.md" ]; then
  rm -rf "$corpus"
  target/release/examples/synth-corpus 10000 "$corpus/content" >/dev/null
fi
printf 'search: false\n' > "$work/no-search.yaml"

out=$work
[ -d /dev/shm ] && out=$(mktemp -d /dev/shm/docshift-bench.XXXXXX)
run() { /usr/bin/time -f '%e %U %S' "$bin" build --root "$corpus" "$@" 2>&1 >/dev/null | tail -1; }
with=() without=() with_cpu=() without_cpu=()
for round in $(seq "${ROUNDS:-5}"); do
  read -r wall user sys <<<"$(run --output "$out/out-search")"
  with+=("$wall"); with_cpu+=("$(echo "$user + $sys" | bc)")
  read -r wall user sys <<<"$(run --config "$work/no-search.yaml" --output "$out/out-nosearch")"
  without+=("$wall"); without_cpu+=("$(echo "$user + $sys" | bc)")
  echo "round $round: with search ${with[-1]} s (cpu ${with_cpu[-1]} s), without ${without[-1]} s (cpu ${without_cpu[-1]} s)"
done
stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "min %.2f s, median %.2f s", a[1], a[int((NR+1)/2)]}'; }
min() { printf '%s\n' "$@" | sort -n | head -1; }
echo "build with search:    wall $(stats "${with[@]}");  cpu $(stats "${with_cpu[@]}")"
echo "build without search: wall $(stats "${without[@]}");  cpu $(stats "${without_cpu[@]}")"
awk -v a="$(min "${with[@]}")" -v b="$(min "${without[@]}")" -v c="$(min "${with_cpu[@]}")" -v d="$(min "${without_cpu[@]}")" \
  'BEGIN {printf "index build overhead (min vs min): wall %+.1f%%, cpu %+.1f%%\n", (a - b) / b * 100, (c - d) / d * 100}'

echo
echo "first query on the 10,000-page corpus (cold client):"
node scripts/search-query.mjs "$out/out-search" payout "partner portal" "offer plan publisher" \
  co-sell pay "topic 12-34" p12-34-1 notification-email xyzzy | grep -v '^  '
echo "typing one character at a time (one client, every prefix searched):"
node scripts/search-query.mjs "$out/out-search" --type "payout" "offer plan publisher" | grep -v '^  '

"$bin" build --output "$out/out-default" >/dev/null 2>&1
size() { find "$1/search" -type f -printf '%s\n' | awk '{s+=$1; n++} END {printf "%d files, %.1f KB", n, s/1024}'; }
echo
echo "index size, 10,000-page corpus: $(size "$out/out-search")"
echo "index size, default site:       $(size "$out/out-default")"
if [ "$out" != "$work" ]; then rm -rf "$out"; fi
