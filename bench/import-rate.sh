#!/usr/bin/env bash
# `contacts import` of ROWS rows (default 5,000) against a sandbox limited to
# 100 requests per second: reports the requests sent as a share of what the
# windows it spanned allowed (target >= 97%), the 429s received (target 0),
# and that every row is accounted for.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
rows="${ROWS:-5000}"
cargo build -q --release -p contacts-sandbox -p contacts-cli
source tests/sandbox.sh
work="$sandbox_work"
start_sandbox limited --burst 100 --interval-ms 1000
base=$base_url
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
import math
# Fixed 1 s windows of 100: a run of T seconds may send 100 per window it
# touches, so the allowance is 100 x (floor(T) + 1), not 100 x T.
allowed = 100 * (math.floor(s["seconds"]) + 1)
print(json.dumps({"rows": int(sys.argv[2]), "accounted": s["created"] + s["updated"] + s["failed"],
                  "requests": s["requests"], "allowed_in_that_time": allowed,
                  "rate_share_of_allowed": round(s["requests"] / allowed, 4),
                  "responses_429": s["rateLimited429"], "failed": s["failed"]}))
PY
