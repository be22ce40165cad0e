#!/usr/bin/env bash
# The scale measures of BENCHMARKS.md in one run: bitext on 10,000 and 100,000 generated
# articles in the pseudo-terminal harness (first list, peak memory, bytes a line and a page),
# newsboat on the same 10,000 in the same harness, and `bitext list --json` timed on both
# libraries (cold: no index cache; warm: three runs after).
#
# Usage: scripts/measure-scale.sh [DIR]
#
#   DIR  where the generated libraries are kept (default /tmp): DIR/lib10k and DIR/lib100k are
#        written by `gen_library` when missing (about 1.2 GB and 15 s for the larger).
#
# Needs newsboat for its part (`apt-get install newsboat`); without it that part is skipped
# and says so. Nothing here reaches the network: newsboat's feed is served from 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/tmp}
cargo build --release --quiet --bin bitext --examples
for n in 10000 100000; do
  lib="$dir/lib$((n / 1000))k"
  [ -d "$lib" ] || target/release/examples/gen_library "$lib" "$n"
done

echo "== bitext in the harness, 120x40 (run 1 with no index cache, then warm)"
target/release/examples/tty_measure --runs 3 --settle 3000 "$dir/lib10k"
target/release/examples/tty_measure --runs 3 --settle 30000 "$dir/lib100k"

echo "== newsboat in the harness, 120x40, the same 10,000 articles"
if command -v newsboat >/dev/null; then
  target/release/examples/newsboat_measure --runs 3 "$dir/lib10k"
else
  echo "newsboat is not installed: skipped"
fi

echo "== bitext list --json"
for lib in "$dir/lib10k" "$dir/lib100k"; do
  cache=$(mktemp -d)
  for run in cold warm warm warm; do
    printf '%s %s: ' "$(basename "$lib")" "$run"
    if [ -x /usr/bin/time ]; then
      XDG_CACHE_HOME="$cache" /usr/bin/time -f '%e s, peak %M KB' target/release/bitext --library "$lib" list --json 2>&1 >/dev/null
    else
      # (GNU time, Debian's `time` package, also gives the peak memory.)
      TIMEFORMAT='%R s'
      { time XDG_CACHE_HOME="$cache" target/release/bitext --library "$lib" list --json >/dev/null; } 2>&1
    fi
  done
  rm -rf "$cache"
done
