#!/usr/bin/env bash
# Runs contacts-bench (the native Rust client) and the official Node SDK against
# the same sandbox (release build, one tokio worker, unlimited budget), then
# prints the ratios. Targets: >= 8x the Node SDK's calls/s at concurrency 32,
# and <= 1/8 of its peak RSS. BENCH_SECONDS sets the time per measurement.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
secs="${BENCH_SECONDS:-5}"
cargo build -q --release -p contacts-sandbox -p contacts-bench
(cd tests/node-sdk && { [ -d node_modules/@gohighlevel/api-client ] || npm ci --no-audit --no-fund --loglevel=error; })
source tests/sandbox.sh
work="$sandbox_work"
start_get_contact_bench
target/release/contacts-bench "$base" "$pit" "$loc" "$id" "$secs" 1,32 | tee "$work/rust.jsonl"
node tests/node-sdk/bench.mjs node-sdk "$base" "$pit" "$loc" "$id" "$secs" 1,32 | tee "$work/node.jsonl"
python3 - "$work/rust.jsonl" "$work/node.jsonl" <<'PY'
import json, sys
rust = {r["concurrency"]: r for r in map(json.loads, open(sys.argv[1]))}
node = {r["concurrency"]: r for r in map(json.loads, open(sys.argv[2]))}
for c in sorted(rust):
    r, n = rust[c], node[c]
    print(json.dumps({"concurrency": c,
        "calls_per_s_ratio": round(r["calls_per_s"] / n["calls_per_s"], 2),
        "cpu_per_call_ratio": round(n["cpu_us_per_call"] / r["cpu_us_per_call"], 2),
        "peak_rss_ratio": round(r["peak_rss_kib"] / n["peak_rss_kib"], 3)}))
PY
