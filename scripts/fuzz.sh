#!/usr/bin/env bash
# Runs bitext's cargo-fuzz targets, one after another, for a fixed time each.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#
#   SECONDS  how long to fuzz each target (default 60)
#   TARGET   any of: parse_article sanitize wrap align split_document decode_extract (default: all six)
#
# Examples:
#   scripts/fuzz.sh                       # every target for 60 s
#   scripts/fuzz.sh 600 parse_article     # one target for 10 minutes
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a C++ compiler (libfuzzer-sys builds
# libFuzzer). cargo-fuzz passes nightly-only flags to rustc (-Zsanitizer, ...); on a stable
# toolchain this script sets RUSTC_BOOTSTRAP=1 so stable rustc accepts them. See FUZZING.md.
#
# Targets are built with optimisations plus debug assertions and overflow checks (so they
# fail where `cargo test` would) and without AddressSanitizer (bitext has no unsafe code, and
# ASan halves the speed). Corpora are seeded from the repository's articles, test fixtures and
# Markdown files and kept in fuzz/corpus/TARGET (not committed); crashes go to
# fuzz/artifacts/TARGET; libFuzzer's output to fuzz/logs/TARGET-DATE.log. After each target a
# summary line (executions, exec/s, coverage, features, corpus, crashes) is printed and also
# appended to fuzz/logs/summary.log. Exits 1 if any target found a crash, 0 otherwise.
#
# Run one fuzzer at a time on a small machine: each uses a core. Environment:
#   FUZZ_EXTRA_ARGS  more libFuzzer flags, e.g. "-dict=..." or "-seed=1"

set -euo pipefail

usage() {
    sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'
}

ALL_TARGETS=(parse_article sanitize wrap align split_document decode_extract)

seconds=60
if [[ $# -gt 0 ]]; then
    case "$1" in
        -h | --help)
            usage
            exit 0
            ;;
        *[!0-9]*)
            echo "fuzz.sh: SECONDS must be a whole number, not '$1'" >&2
            usage >&2
            exit 2
            ;;
        *)
            seconds=$1
            shift
            ;;
    esac
fi
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    targets=("${ALL_TARGETS[@]}")
fi
for t in "${targets[@]}"; do
    if [[ ! " ${ALL_TARGETS[*]} " == *" $t "* ]]; then
        echo "fuzz.sh: unknown target '$t' (known: ${ALL_TARGETS[*]})" >&2
        exit 2
    fi
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fuzz="$root/fuzz"
cd "$fuzz"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: cargo-fuzz is not installed; run: cargo install cargo-fuzz" >&2
    exit 2
fi

# cargo-fuzz passes -Zsanitizer=... and other unstable flags; let stable rustc accept them.
export RUSTC_BOOTSTRAP=1
build_flags=(--release --debug-assertions --sanitizer none)

echo "== building fuzz targets: ${targets[*]}"
for t in "${targets[@]}"; do
    cargo fuzz build "${build_flags[@]}" "$t"
done
triple=$(rustc -vV | sed -n 's/^host: //p')
bin_dir="$fuzz/target/$triple/release"

# Seeds: copied into the corpus on every run (cheap; libFuzzer skips duplicates it has seen).
seed() {
    local target=$1
    shift
    local dir="$fuzz/corpus/$target"
    mkdir -p "$dir"
    local f name
    for f in "$@"; do
        [[ -f $f ]] || continue
        name="seed-${f#"$root"/}"
        name=${name//\//_}
        cp -f "$f" "$dir/$name"
    done
}
shopt -s nullglob globstar
articles=("$root"/articles/**/*.toml)
aligned=("$root"/tests/align/**/*.toml)
fixtures=("$root"/tests/fixtures/**/*.toml)
markdown=("$root"/*.md "$root"/docs/**/*.md)
pages=("$root"/tests/fixtures/web/*.html)
shopt -u nullglob globstar

mkdir -p "$fuzz/logs" "$fuzz/artifacts"
summary_log="$fuzz/logs/summary.log"
status=0

for t in "${targets[@]}"; do
    case "$t" in
        parse_article) seed "$t" "${articles[@]}" "${aligned[@]}" "${fixtures[@]}" ;;
        sanitize) seed "$t" "${articles[@]}" "${fixtures[@]}" ;;
        wrap) seed "$t" "${articles[@]}" "${fixtures[@]}" ;;
        align) seed "$t" "${aligned[@]}" "${articles[@]}" ;;
        split_document) seed "$t" "${markdown[@]}" "${articles[@]}" "${aligned[@]}" ;;
        decode_extract) seed "$t" "${pages[@]}" ;;
    esac
    corpus="$fuzz/corpus/$t"
    artifacts="$fuzz/artifacts/$t"
    mkdir -p "$artifacts"
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    run_dir="$fuzz/logs/$t-$stamp"
    mkdir -p "$run_dir"
    log="$fuzz/logs/$t-$stamp.log"
    before=$(find "$artifacts" -type f | wc -l)
    echo "== fuzzing $t for ${seconds}s (log: ${log#"$root"/})"
    # With -jobs=1 -workers=1 libFuzzer runs the fuzzer in one child process whose output goes
    # to fuzz-0.log in the working directory: run in a directory of its own and keep that log.
    set +e
    (
        cd "$run_dir"
        # shellcheck disable=SC2086
        "$bin_dir/$t" "$corpus" \
            -max_total_time="$seconds" -jobs=1 -workers=1 -rss_limit_mb=2048 -max_len=65536 \
            -timeout=30 -print_final_stats=1 -artifact_prefix="$artifacts/" ${FUZZ_EXTRA_ARGS:-}
    ) >"$run_dir/driver.log" 2>&1
    rc=$?
    set -e
    cat "$run_dir"/fuzz-*.log "$run_dir/driver.log" >"$log" 2>/dev/null || true
    rm -rf "$run_dir"
    after=$(find "$artifacts" -type f | wc -l)
    crashes=$((after - before))

    # libFuzzer's last status line: "#N  DONE  cov: C ft: F corp: K/SIZE exec/s: E rss: R".
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    [[ -n $execs ]] || execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
    ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
    corp=$(sed -nE 's/.* corp: ([^ ]+).*/\1/p' <<<"$last")
    line="$(date -u +%Y-%m-%dT%H:%M:%SZ) target=$t seconds=$seconds execs=${execs:-?} exec/s=${rate:-?} cov=${cov:-?} ft=${ft:-?} corp=${corp:-?} crashes=$crashes exit=$rc"
    echo "$line"
    echo "$line" >>"$summary_log"
    if [[ $crashes -gt 0 || $rc -ne 0 ]]; then
        status=1
        echo "   $t failed: see ${log#"$root"/} and ${artifacts#"$root"/}/" >&2
        grep -E "panicked at|ERROR: libFuzzer|SUMMARY" "$log" | head -n 5 >&2 || true
    fi
done

exit "$status"
