#!/usr/bin/env bash
# What a change costs the npm package's get-contact in Node: the package
# built at BASE (default the commit before the event stream) against this
# tree's, in alternating rounds against one sandbox, medians and ratios.
#   ROUNDS=5 BENCH_SECONDS=3 BASE=00a43da bash bench/js-change-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
rounds="${ROUNDS:-5}" secs="${BENCH_SECONDS:-3}" base_rev="${BASE:-00a43da}"
cargo build -q --release -p contacts-sandbox
node wasm/js/scripts/build.mjs > /dev/null
source tests/sandbox.sh
work="$sandbox_work"
git worktree add -q --detach "$work/base" "$base_rev"
trap 'git worktree remove --force "$work/base" 2>/dev/null || true; stop_sandboxes' EXIT
# The build before: its own dist, this target directory (so only the
# workspace's crates compile again) and this checkout's npm dev tools.
ln -s "$PWD/wasm/js/node_modules" "$work/base/wasm/js/node_modules"
ln -s "$PWD/target" "$work/base/target"
(cd "$work/base" && node wasm/js/scripts/build.mjs > /dev/null)
cp -r "$work/base/wasm/js/dist" "$work/dist-before"
node wasm/js/scripts/build.mjs > /dev/null # this tree's own again
start_get_contact_bench
for r in $(seq 1 "$rounds"); do
  LIBCONTACTS_DIST="$work/dist-before" node tests/node-sdk/bench.mjs libcontacts "$base" "$pit" "$loc" "$id" "$secs" 1,32 \
    | sed 's/^{/{"build":"before",/' >> "$work/runs.jsonl"
  node tests/node-sdk/bench.mjs libcontacts "$base" "$pit" "$loc" "$id" "$secs" 1,32 \
    | sed 's/^{/{"build":"now",/' >> "$work/runs.jsonl"
done
cat "$work/runs.jsonl"
python3 - "$work/runs.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
med = lambda b, c, k: statistics.median(r[k] for r in rows if r["build"] == b and r["concurrency"] == c)
for c in sorted({r["concurrency"] for r in rows}):
    print(json.dumps({"concurrency": c, "before_calls_per_s": round(med("before", c, "calls_per_s")),
        "now_calls_per_s": round(med("now", c, "calls_per_s")),
        "calls_ratio": round(med("now", c, "calls_per_s") / med("before", c, "calls_per_s"), 3),
        "cpu_per_call_ratio": round(med("now", c, "cpu_us_per_call") / med("before", c, "cpu_us_per_call"), 3)}))
PY
