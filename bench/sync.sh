#!/usr/bin/env bash
# Two-way sync at scale (a bench, not CI): `contacts sync` between a SQLite
# table of N host rows and a location of N contacts, half of them matching
# by email, against a sandbox at the real budget's shape (100 requests per
# window) with the window INTERVAL_MS long (default 1,000: ten times faster
# than HighLevel's 10 s, so the floor is a tenth of the real one).
# Reports, for the first pass and for incremental passes with 0 and with
# CHANGES (default 100) host edits: the requests sent against the minimum
# the pass needs, the wall time against the budget's floor for those
# requests, and the process's peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
n="${N:-2000}"
changes="${CHANGES:-100}"
interval="${INTERVAL_MS:-1000}"
cargo build -q --release -p contacts-sandbox -p contacts-cli
source tests/sandbox.sh
work="$sandbox_work"
start_sandbox sync --burst 100 --interval-ms "$interval"
base=$base_url
loc=SBXloc00000000000001
pit=pit-sandbox-0000-0000-0000
python3 - "$base" "$loc" "$n" "$work" <<'PY'
import json, sqlite3, sys, urllib.request
base, loc, n, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
# N contacts through the sandbox's batch route (outside the budget): the
# even ones match host rows by email, the odd ones are HighLevel's alone.
for start in range(0, n, 1000):
    reqs = [{"method": "POST", "path": "/contacts/", "body": {"locationId": loc, "firstName": f"Contact{i}",
             "email": (f"member{i}@sync.example" if i % 2 == 0 else f"hl{i}@sync.example")}}
            for i in range(start, min(n, start + 1000))]
    body = json.dumps({"requests": reqs}).encode()
    urllib.request.urlopen(urllib.request.Request(f"{base}/sandbox/batch", data=body, method="POST")).read()
db = sqlite3.connect(f"{work}/app.db")
db.execute("CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT, email TEXT, city TEXT, updated_at INTEGER NOT NULL, deleted_at INTEGER)")
# N host rows: the even ones match contacts, the odd ones are the host's alone.
db.executemany("INSERT INTO members (name, email, city, updated_at) VALUES (?, ?, ?, 1)",
               [(f"Member {i}", f"member{i}@sync.example" if i % 2 == 0 else f"host{i}@sync.example", "Oslo") for i in range(n)])
db.commit()
json.dump({"target": "contact", "name": "bench-members", "direction": "both",
           "fields": [{"from": "name", "to": ["firstName", "lastName"], "transforms": ["trim", "splitName"]},
                      {"from": "email", "to": "email", "transforms": ["email"]}, {"from": "city", "to": "city"}]},
          open(f"{work}/map.json", "w"))
PY
requests() { curl -s "$base/sandbox/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["apiRequests"])'; }
run_pass() { # LABEL MINIMUM: one pass, its report and figures as a JSON line
  local label=$1 minimum=$2 before after
  before=$(requests)
  /usr/bin/time -f '%e %M' -o "$work/time.txt" env HIGHLEVEL_TOKEN=$pit HIGHLEVEL_LOCATION_ID=$loc HIGHLEVEL_BASE_URL=$base \
    target/release/contacts --json sync --host "sqlite:$work/app.db" --table members --template "$work/map.json" \
    --settings '{"name": "bench"}' > "$work/report.json"
  after=$(requests)
  python3 - "$label" "$minimum" "$((after - before))" "$interval" "$work" <<'PY'
import json, sys
label, minimum, sent, interval, work = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
seconds, peak_kb = open(f"{work}/time.txt").read().split()
r = json.load(open(f"{work}/report.json"))
floor = max(0, sent - 100) / 100 * interval / 1000  # the first window's 100 are free
print(json.dumps({"pass": label, "requests": sent, "minimum": minimum, "seconds": float(seconds),
                  "budgetFloorSeconds": round(floor, 1), "peakMiB": round(int(peak_kb) / 1024, 1),
                  "created": r["created"], "updated": r["updated"], "matched": r["matched"], "unchanged": r["unchanged"]}))
PY
}
# The first pass's minimum: every contact read in pages of 500, one
# create per host row alone (N/2) and one update per matched contact whose
# city the host fills (N/2); host-side creates cost no request.
run_pass first $(( (n + 499) / 500 + n / 2 + n / 2 ))
run_pass "incremental, 0 changes" 1
python3 - "$work" "$changes" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(f"{sys.argv[1]}/app.db")
now = int(time.time() * 1000)
db.execute("UPDATE members SET city = 'Bergen', updated_at = ? WHERE id <= ?", (now, int(sys.argv[2])))
db.commit()
PY
run_pass "incremental, $changes changes" $(( 1 + changes ))
