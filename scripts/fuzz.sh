#!/usr/bin/env bash
# Runs one fuzz target for a number of seconds, with nightly Rust and cargo-fuzz:
#
#   scripts/fuzz.sh TARGET [SECONDS] [more libFuzzer flags]
#
# TARGET is page, data_file, directive or request_path (see fuzz/fuzz_targets/). The seed
# corpus is built from tests/fixtures on every run (plus fuzz/seeds/TARGET); what the
# fuzzer finds is kept in fuzz/corpus/TARGET (not committed), so coverage grows from run to
# run. A crash is written to fuzz/artifacts/TARGET/ and stops the run with a non-zero exit.
set -euo pipefail

target=${1:?usage: scripts/fuzz.sh page|data_file|directive|request_path [SECONDS] [flags]}
seconds=${2:-60}
shift $(($# < 2 ? $# : 2))
cd "$(dirname "$0")/.."

seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
# Each seed is named by a hash of its bytes, so fixtures with the same name do not collide.
add_seed() { # reads one seed from stdin
  local tmp="$seeds/.new"
  cat >"$tmp"
  local name
  name=$(sha1sum "$tmp" | cut -c1-16)
  mv "$tmp" "$seeds/$name"
}

case $target in
page)
  # Pages alone, and each page followed by the included files of its fixture (the target
  # splits its input on "\n=====\n" into index.md and includes/a.md, b.md, c.md).
  while IFS= read -r -d '' page; do
    add_seed <"$page"
    includes=$(dirname "$page")/includes
    if [ -d "$includes" ]; then
      mapfile -t parts < <(find "$includes" -name '*.md' -size -16k | sort | head -3)
      { cat "$page"; for part in "${parts[@]}"; do printf '\n=====\n'; cat "$part"; done; } | add_seed
    fi
  done < <(find tests/fixtures -name '*.md' -not -path '*/includes/*' -size -64k -print0)
  dict=fuzz/docfx.dict
  ;;
data_file)
  # The first byte picks the kind: even for a mapping file, odd for a YamlMime:FAQ page.
  while IFS= read -r -d '' file; do
    { printf '\0'; cat "$file"; } | add_seed
  done < <(find tests/fixtures -name '*.mapping.y*ml' -print0)
  while IFS= read -r -d '' file; do
    { printf '\1'; cat "$file"; } | add_seed
  done < <(grep -rlZ 'YamlMime:FAQ' tests/fixtures --include='*.yml' --include='*.yaml')
  dict=fuzz/docfx.dict
  ;;
directive)
  # Every line of the fixtures that holds a triple-colon directive.
  while IFS= read -r line; do
    printf '%s\n' "$line" | add_seed
  done < <(grep -rh ':::' tests/fixtures --include='*.md' | sort -u)
  dict=fuzz/docfx.dict
  ;;
request_path)
  dict=fuzz/http.dict
  ;;
*)
  echo "unknown fuzz target: $target (page, data_file, directive or request_path)" >&2
  exit 2
  ;;
esac
if [ -d "fuzz/seeds/$target" ]; then
  cp fuzz/seeds/"$target"/* "$seeds"/
fi

corpus=fuzz/corpus/$target
mkdir -p "$corpus"
echo "fuzzing $target for ${seconds}s from $(find "$seeds" -type f | wc -l) seeds" >&2
# Optimised, with debug assertions and overflow checks: an overflow is a crash here.
cargo +nightly fuzz run -O --debug-assertions "$target" "$corpus" "$seeds" -- \
  -dict="$dict" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
  -print_final_stats=1 "$@"
