#!/usr/bin/env bash
# Fleet mode, measured: N `contacts` processes (N = 1, 2, 4, 8) share one
# location's budget through one Redis, against a sandbox at 100 requests
# per second (HighLevel's shape, 10x faster). For each N: the budget used
# over the run and the 429s. Then, with the budget out of the way, calls/s
# of one process with and without the fleet, and the Redis commands a call
# costs (one EVALSHA round trip, counted with the GET and SET it runs).
#   bash bench/fleet.sh            CALLS=1200 per run by default
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
calls="${CALLS:-1200}"
command -v redis-server >/dev/null || { echo "needs redis-server (tests/run.sh installs it)"; exit 1; }
cargo build -q --release -p contacts-sandbox -p contacts-cli
source tests/sandbox.sh
work="$sandbox_work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" > "$work/redis.log" 2>&1 &
sandbox_pids+=($!)
for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done 2>/dev/null || sleep 1
export HIGHLEVEL_TOKEN=pit-sandbox-0000-0000-0000 HIGHLEVEL_LOCATION_ID=SBXloc00000000000001
params='{"locationId":"SBXloc00000000000001"}'
echo "processes,calls,requests,seconds,budget_used,responses_429"
for n in 1 2 4 8; do
  start_sandbox "limited-$n" --burst 100 --interval-ms 1000
  per=$((calls / n))
  start=$(date +%s.%N)
  for i in $(seq 1 "$n"); do
    HIGHLEVEL_BASE_URL="$base_url" target/release/contacts --json --fleet-redis "redis://127.0.0.1:$port" \
      --fleet-prefix "bench-$n:" call locations.get --params "$params" --repeat "$per" --concurrency 2 \
      > "$work/run-$n-$i.json" &
  done
  wait $(jobs -rp | grep -v -F -x -f <(printf '%s\n' "${sandbox_pids[@]}")) 2>/dev/null || true
  end=$(date +%s.%N)
  python3 - "$n" "$start" "$end" "$work"/run-"$n"-*.json <<'PY'
import json, sys
n, start, end = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
runs = [json.load(open(p)) for p in sys.argv[4:]]
requests = sum(r["requests"] for r in runs)
seconds = max(r["elapsedMs"] for r in runs) / 1000
import math
# The sandbox's fixed 1 s windows of 100: a run of T seconds may send 100
# per window it touches, 100 x (floor(T) + 1).
allowed = 100 * (math.floor(seconds) + 1)
print(f'{n},{sum(r["calls"] for r in runs)},{requests},{seconds:.1f},{requests / allowed:.3f},{sum(r["rateLimited"] for r in runs)}')
PY
done
start_sandbox open --burst 4000000000 --daily 4000000000
echo
echo "mode,calls,calls_per_second"
for mode in local fleet; do
  flags=()
  [ "$mode" = fleet ] && flags=(--fleet-redis "redis://127.0.0.1:$port" --fleet-prefix open:)
  HIGHLEVEL_BASE_URL="$base_url" target/release/contacts --json "${flags[@]}" \
    call locations.get --params "$params" --repeat 3000 --concurrency 8 > "$work/open-$mode.json"
  python3 - "$mode" "$work/open-$mode.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))
print(f'{sys.argv[1]},{r["calls"]},{r["calls"] / (r["elapsedMs"] / 1000):.0f}')
PY
done
before=$(redis-cli -p "$port" info stats 2>/dev/null | sed -n 's/^total_commands_processed:\([0-9]*\).*/\1/p' || true)
HIGHLEVEL_BASE_URL="$base_url" target/release/contacts --json --fleet-redis "redis://127.0.0.1:$port" --fleet-prefix rt: \
  call locations.get --params "$params" --repeat 1000 > /dev/null
after=$(redis-cli -p "$port" info stats 2>/dev/null | sed -n 's/^total_commands_processed:\([0-9]*\).*/\1/p' || true)
if [ -n "$before" ] && [ -n "$after" ]; then
  echo
  echo "redis commands per call: $(python3 -c "print(round(($after - $before - 1) / 1000, 2))")"
fi
