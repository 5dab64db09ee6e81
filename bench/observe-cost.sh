#!/usr/bin/env bash
# What the event stream costs the native client's get-contact: the build
# before the stream (BASE, default the commit before it landed) against
# this tree with no observer and with an observer that drops every event
# at level debug, in alternating rounds against one sandbox. Prints the
# medians and the ratios to the build before.
#   ROUNDS=5 BENCH_SECONDS=3 BASE=00a43da bash bench/observe-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
rounds="${ROUNDS:-5}" secs="${BENCH_SECONDS:-3}" base_rev="${BASE:-00a43da}"
cargo build -q --release -p contacts-sandbox -p contacts-bench
source tests/sandbox.sh
work="$sandbox_work"
cp target/release/contacts-bench "$work/bench-now"
# The build before, in a worktree sharing this target directory (so only
# the workspace's crates are compiled again), copied aside.
git worktree add -q --detach "$work/base" "$base_rev"
trap 'git worktree remove --force "$work/base" 2>/dev/null || true; stop_sandboxes' EXIT
(cd "$work/base" && CARGO_TARGET_DIR="$OLDPWD/target" cargo build -q --release -p contacts-bench)
cp target/release/contacts-bench "$work/bench-before"
cargo build -q --release -p contacts-bench # the tree's own again, for whoever runs it next
start_get_contact_bench
for r in $(seq 1 "$rounds"); do
  "$work/bench-before" "$base" "$pit" "$loc" "$id" "$secs" 1,32 | sed 's/^{/{"mode":"before",/' >> "$work/runs.jsonl"
  "$work/bench-now" "$base" "$pit" "$loc" "$id" "$secs" 1,32 | sed 's/^{/{"mode":"none",/' >> "$work/runs.jsonl"
  BENCH_OBSERVER=drop "$work/bench-now" "$base" "$pit" "$loc" "$id" "$secs" 1,32 | sed 's/^{/{"mode":"drop",/' >> "$work/runs.jsonl"
done
python3 - "$work/runs.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(mode, c, k):
    return statistics.median(r[k] for r in rows if r["mode"] == mode and r["concurrency"] == c)
for c in sorted({r["concurrency"] for r in rows}):
    b = med("before", c, "calls_per_s"); bc = med("before", c, "cpu_us_per_call")
    out = {"concurrency": c, "before_calls_per_s": round(b)}
    for m in ("none", "drop"):
        out[m] = {"calls_per_s": round(med(m, c, "calls_per_s")),
                  "calls_ratio": round(med(m, c, "calls_per_s") / b, 3),
                  "cpu_per_call_ratio": round(med(m, c, "cpu_us_per_call") / bc, 3)}
    print(json.dumps(out))
PY
