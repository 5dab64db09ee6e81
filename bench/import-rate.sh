#!/usr/bin/env bash
# `contacts import` of ROWS rows (default 5,000) against a sandbox limited to
# 100 requests per second: reports the achieved request rate as a share of
# the allowed one (target >= 97%), the 429s received (target 0), and that
# every row is accounted for.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
rows="${ROWS:-5000}"
cargo build -q --release -p contacts-sandbox -p contacts-cli
work="$(mktemp -d)"
target/release/contacts-sandbox --port 0 --threads 1 --burst 100 --interval-ms 1000 > "$work/sandbox.log" &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do grep -q "END PUBLIC KEY" "$work/sandbox.log" && break; sleep 0.1; done
base=$(sed -n 's/^  base URL: *//p' "$work/sandbox.log")
python3 - "$rows" > "$work/rows.csv" <<'PY'
import sys
print("first_name,last_name,email,phone,tags")
for i in range(int(sys.argv[1])):
    print(f"First{i},Last{i},person{i}@import.example,+1555{i:07d},imported;batch-{i % 10}")
PY
HIGHLEVEL_BASE_URL="$base" HIGHLEVEL_TOKEN=pit-sandbox-0000-0000-0000 HIGHLEVEL_LOCATION_ID=SBXloc00000000000001 \
  target/release/contacts --json import "$work/rows.csv" --concurrency 16 | tee "$work/summary.json"
python3 - "$work/summary.json" "$rows" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
allowed = 100.0
print(json.dumps({"rows": int(sys.argv[2]), "accounted": s["created"] + s["updated"] + s["failed"],
                  "rate_share_of_allowed": round(s["requestsPerSecond"] / allowed, 4),
                  "responses_429": s["rateLimited429"], "failed": s["failed"]}))
PY
