#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer through cargo fuzz) of what hostile input
# reaches: response parsing, webhook verification and typing, settings JSON,
# params JSON, path building, mapping templates and records, flows (harnesses and
# oracles: fuzz/harness.rs).
# Each target runs for FUZZ_SECONDS (10) from the committed corpus, with
# debug assertions on, so an overflow is a finding too. New inputs go to a
# scratch folder; a finding lands in fuzz/artifacts/<target>/ and fails the
# run. The long runs are the same command with FUZZ_RUNS=10000000 and
# FUZZ_GROW=1 (new inputs into the committed corpus, then cargo fuzz cmin).
# Called by tests/run.sh; installs cargo-fuzz when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${FUZZ_SECONDS:-10}"
runs="${FUZZ_RUNS:-}"
targets=(${FUZZ_TARGETS:-response_parse webhook settings params path mapping flow})
command -v cargo-fuzz >/dev/null || cargo install -q --locked cargo-fuzz@0.13.2
# libFuzzer's instrumentation needs unstable rustc flags; this build alone
# takes them from the one stable toolchain.
export RUSTC_BOOTSTRAP=1
(cd fuzz && cargo fuzz build -s none -a)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for t in "${targets[@]}"; do
  grow="$scratch/$t"
  [ -n "${FUZZ_GROW:-}" ] && grow="corpus/$t"
  mkdir -p "$scratch/$t"
  limit=(-max_total_time="$seconds")
  [ -n "$runs" ] && limit=(-runs="$runs")
  log="$scratch/$t.log"
  if ! (cd fuzz && cargo fuzz run -s none -a "$t" "$grow" "corpus/$t" -- \
        "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1) > "$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz target $t: a finding (input in fuzz/artifacts/$t/)" >&2
    exit 1
  fi
  execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | awk '{print $2}')
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | awk '{print $2}')
  echo "fuzz target $t: $execs executions, coverage $cov edges, no finding"
done
