#!/usr/bin/env bash
# The npm package (libcontacts, wasm) against the official Node SDK, both in
# Node on the same sandbox, in one run: ROUNDS alternating rounds of each at
# concurrency 1 and 32, medians and ratios printed, beside the floor (a bare
# keep-alive node:http GET and JSON.parse) in the same rounds. Targets: >= 2x
# the Node SDK's calls/s at concurrency 32, and <= 2.1x the floor's client
# CPU per call. Then the package's load (compile + instantiate) time in
# fresh Node processes.
# BENCH_SECONDS per measurement (default 4), ROUNDS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
secs="${BENCH_SECONDS:-4}" rounds="${ROUNDS:-3}"
cargo build -q --release -p contacts-sandbox
(cd tests/node-sdk && { [ -d node_modules/@gohighlevel/api-client ] || npm ci --no-audit --no-fund --loglevel=error; })
[ -f wasm/js/dist/node/index.cjs ] || node wasm/js/scripts/build.mjs
source tests/sandbox.sh
work="$sandbox_work"
start_get_contact_bench
for r in $(seq 1 "$rounds"); do
  for client in libcontacts node-sdk floor; do
    node tests/node-sdk/bench.mjs "$client" "$base" "$pit" "$loc" "$id" "$secs" 1,32 | tee -a "$work/all.jsonl"
  done
done
python3 - "$work/all.jsonl" <<'PY'
import json, sys, statistics
rows = list(map(json.loads, open(sys.argv[1])))
med = lambda client, c, k: statistics.median(r[k] for r in rows if r["client"] == client and r["concurrency"] == c)
for c in sorted({r["concurrency"] for r in rows}):
    lc, sdk = med("libcontacts", c, "calls_per_s"), med("node-sdk", c, "calls_per_s")
    print(json.dumps({"concurrency": c, "libcontacts_calls_per_s": lc, "node_sdk_calls_per_s": sdk,
        "calls_per_s_ratio": round(lc / sdk, 2),
        "floor_calls_per_s": med("floor", c, "calls_per_s"),
        "cpu_per_call_vs_floor": round(med("libcontacts", c, "cpu_us_per_call") / med("floor", c, "cpu_us_per_call"), 2),
        "cpu_per_call_ratio": round(med("node-sdk", c, "cpu_us_per_call") / med("libcontacts", c, "cpu_us_per_call"), 2),
        "peak_rss_ratio": round(med("libcontacts", c, "peak_rss_kib") / med("node-sdk", c, "peak_rss_kib"), 2)}))
PY
node bench/js-instantiate.mjs
