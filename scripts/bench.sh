#!/usr/bin/env bash
# Build and check benchmarks on synthetic corpora.
#   scripts/bench.sh            # everything below
#   scripts/bench.sh scale      # only the scale figures (issue 15)
#   scripts/bench.sh prose      # only long pages of prose (peak memory of build and check)
#   scripts/bench.sh memory     # only the live heap at the end of each stage of a build
# 1. hyperfine: `build` and `check` on 1,000 and 10,000 pages (skipped without hyperfine:
#    apt-get install -y hyperfine);
# 2. scale (issue 15): `build` at 1,000, 10,000 and 20,000 pages with wall time, peak RSS,
#    output bytes and file count (median of RUNS runs), `check` at 10,000 pages, and Hugo
#    on the same 10,000-page corpus in the same runs, interleaved (skipped when `hugo` is
#    not installed: apt-get install -y hugo), after one untimed build of each corpus. Output
#    goes to tmpfs (/dev/shm) when there is one, so that the disk's write-back does not
#    swamp the figures.
# 3. prose: `build` and `check` of 5,000 long pages of prose (`synth-corpus 5000 DIR prose`,
#    about 48 KB each), wall time and peak RSS (median of RUNS runs): there the pages' text
#    is most of what is read, so this shows whether the site's Markdown is held at once.
# 4. memory: `build` at 10,000 and 20,000 pages with the binary built with the
#    `heap-stages` feature (in target/heap-stages, so the timed binary stays as it is),
#    which prints the live heap at the end of each stage of the round and the most it held
#    during the stage: where a peak RSS comes from. Only on request (a build of its own).
# Figures go into docs/benchmarks.md by hand, with the machine they ran on.
set -euo pipefail
cd "$(dirname "$0")/.."
part=${1:-all}
cargo build --release --quiet --bin docshift --example synth-corpus
bin=$PWD/target/release/docshift
work=${BENCH_DIR:-/tmp/docshift-bench}
runs=${RUNS:-3}
mkdir -p "$work"

corpus() { # corpus N → folder with content/ (generated once)
  local dir="$work/corpus-$1"
  if [ ! -f "$dir/content/index.md" ]; then
    rm -rf "$dir"
    target/release/examples/synth-corpus "$1" "$dir/content" >/dev/null
  fi
  echo "$dir"
}

if [ "$part" = all ]; then
  if command -v hyperfine >/dev/null; then
    for n in 1000 10000; do
      c=$(corpus "$n")
      "$bin" check --root "$c" --format json >/dev/null  # must be clean
      hyperfine --warmup 1 --runs "${RUNS:-5}" --export-markdown "$work/build-$n.md" \
        "$bin build --root $c --output $work/out-$n" \
        "$bin check --root $c"
    done
    cat "$work"/build-*.md
  else
    echo "hyperfine not installed: skipping the hyperfine runs (apt-get install -y hyperfine)"
  fi
fi

out=$work
[ -d /dev/shm ] && out=$(mktemp -d /dev/shm/docshift-scale.XXXXXX)
# The outputs go; so does the folder on tmpfs with its timing files (the corpora stay).
trap 'rm -rf "$out"/out-* "$out"/hugo-*; [ "$out" = "$work" ] || rm -rf "$out"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# timed OUTFILE CMD… → appends "wall-seconds peak-KiB" to OUTFILE
timed() { local f=$1; shift; /usr/bin/time -f '%e %M' -o "$f.last" "$@" >/dev/null 2>&1; cat "$f.last" >>"$f"; }
size() { echo "$(du -sb "$1" | cut -f1) $(find "$1" -type f | wc -l)"; }
# summary FILE → "wall W s, peak RSS M MiB" (medians)
summary() { echo "wall $(cut -d' ' -f1 "$1" | median) s, peak RSS $(($(cut -d' ' -f2 "$1" | median) / 1024)) MiB"; }

# ---- prose -----------------------------------------------------------------------------
if [ "$part" = all ] || [ "$part" = prose ]; then
  c="$work/prose-5000"
  if [ ! -f "$c/content/index.md" ]; then
    rm -rf "$c"
    target/release/examples/synth-corpus 5000 "$c/content" prose >/dev/null
  fi
  "$bin" build --root "$c" --output "$out/out-prose" >/dev/null 2>&1
  sync
  rm -f "$out/prose-build" "$out/prose-check"
  for _ in $(seq "$runs"); do
    rm -rf "$out/out-prose"
    timed "$out/prose-build" "$bin" build --root "$c" --output "$out/out-prose"
    timed "$out/prose-check" "$bin" check --root "$c"
  done
  echo "prose: $(du -sb "$c/content" | cut -f1) bytes of Markdown in 5,000 pages"
  echo "build prose: $(summary "$out/prose-build")"
  echo "check prose: $(summary "$out/prose-check")"
  rm -rf "$out/out-prose"
fi
[ "$part" = prose ] && exit 0

# ---- memory ----------------------------------------------------------------------------
if [ "$part" = memory ]; then
  cargo build --release --quiet --features heap-stages --target-dir target/heap-stages --bin docshift
  for n in 10000 20000; do
    c=$(corpus "$n")
    echo "build $n: live heap by stage"
    target/heap-stages/release/docshift build --root "$c" --output "$out/out-memory" \
      2>&1 >/dev/null | sed 's/^/  /'
    rm -rf "$out/out-memory"
  done
  exit 0
fi

# ---- scale ---------------------------------------------------------------------------

hugo_site() { # hugo_site CORPUS → a Hugo site over the same Markdown, minimal theme (title,
  # content, and a list of the section's pages on section pages)
  local site="$work/hugo-site-$(basename "$1")"
  if [ ! -d "$site/layouts" ]; then
    mkdir -p "$site/layouts/_default"
    # Hard links of the same Markdown; a folder's index.md is Hugo's _index.md (a plain
    # index.md would make the folder a leaf bundle and hide its other pages).
    cp -al "$1/content" "$site/content"
    find "$site/content" -name index.md -execdir mv index.md _index.md \;
    printf 'baseURL = "https://example.com/"\ntitle = "bench"\n' >"$site/hugo.toml"
    printf '<!doctype html><html><head><title>{{ .Title }}</title></head><body><main>{{ .Content }}</main></body></html>\n' \
      >"$site/layouts/_default/single.html"
    printf '<!doctype html><html><head><title>{{ .Title }}</title></head><body><main>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main></body></html>\n' \
      >"$site/layouts/_default/list.html"
  fi
  echo "$site"
}

has_hugo=false
command -v hugo >/dev/null && has_hugo=true
$has_hugo || echo "hugo not installed: skipping the side-by-side run (apt-get install -y hugo)"
for n in 1000 10000 20000; do
  c=$(corpus "$n")
  rm -f "$out/build-$n" "$out/hugo-$n" "$out/check-$n"
  # One untimed build first, as hyperfine's --warmup: the corpus in the page cache, and the
  # write-back of the release build and of the corpus generation finished (`sync`).
  rm -rf "$out/out-$n"
  "$bin" build --root "$c" --output "$out/out-$n" >/dev/null 2>&1
  if [ "$n" = 10000 ] && $has_hugo; then
    rm -rf "$out/hugo-out"
    hugo --quiet -s "$(hugo_site "$c")" -d "$out/hugo-out" >/dev/null 2>&1
  fi
  sync
  for _ in $(seq "$runs"); do
    rm -rf "$out/out-$n"
    timed "$out/build-$n" "$bin" build --root "$c" --output "$out/out-$n"
    if [ "$n" = 10000 ]; then
      timed "$out/check-$n" "$bin" check --root "$c"
      if $has_hugo; then
        rm -rf "$out/hugo-out"
        timed "$out/hugo-$n" hugo --quiet -s "$(hugo_site "$c")" -d "$out/hugo-out"
      fi
    fi
  done
  read -r bytes files <<<"$(size "$out/out-$n")"
  pages=$(find "$c/content" -name '*.md' | wc -l)
  echo "build $n ($pages pages): wall $(cut -d' ' -f1 "$out/build-$n" | median) s," \
    "peak RSS $(($(cut -d' ' -f2 "$out/build-$n" | median) / 1024)) MiB," \
    "output $((bytes / 1000000)) MB in $files files" \
    "(site.json $(($(stat -c %s "$out/out-$n/site.json") / 1000000)) MB," \
    "search $(($(du -sb "$out/out-$n/search" | cut -f1) / 1000000)) MB in $(find "$out/out-$n/search" -type f | wc -l) files)"
  if [ "$n" = 10000 ]; then
    echo "check $n: wall $(cut -d' ' -f1 "$out/check-$n" | median) s," \
      "peak RSS $(($(cut -d' ' -f2 "$out/check-$n" | median) / 1024)) MiB"
    if $has_hugo; then
      read -r hbytes hfiles <<<"$(size "$out/hugo-out")"
      echo "hugo $n ($(hugo version | cut -d' ' -f2)): wall $(cut -d' ' -f1 "$out/hugo-$n" | median) s," \
        "peak RSS $(($(cut -d' ' -f2 "$out/hugo-$n" | median) / 1024)) MiB," \
        "output $((hbytes / 1000000)) MB in $hfiles files"
    fi
  fi
  rm -rf "$out/out-$n"
done
rss10=$(cut -d' ' -f2 "$out/build-10000" | median)
rss20=$(cut -d' ' -f2 "$out/build-20000" | median)
awk -v a="$rss10" -v b="$rss20" 'BEGIN {r = b / a; printf "memory: peak at 20,000 pages / peak at 10,000 = %.2f (goal < 1.5: %s)\n", r, (r < 1.5 ? "met" : "not met")}'
