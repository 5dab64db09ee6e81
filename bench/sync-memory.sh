#!/usr/bin/env bash
# Two-way sync's memory at scale (a bench, not CI): a first `contacts sync`
# pass between N seeded contacts (default 100,000) and a SQLite table of N
# host rows equal to them (every one matching by email, nothing to write),
# on a sandbox with a raised budget, then a pass with nothing changed.
# Reports each pass's requests, wall time, peak memory (the goal: flat in
# N, at most 64 MiB at 1,000,000) and report counts.
# SYNC_CLI runs another build's `contacts` for the sync passes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
n="${N:-100000}"
cargo build -q --release -p contacts-sandbox -p contacts-cli
source tests/sandbox.sh
work="$sandbox_work"
start_sandbox seeded --seed "$n" --burst 4000000000 --daily 4000000000
export HIGHLEVEL_BASE_URL="$base_url" HIGHLEVEL_TOKEN=pit-sandbox-0000-0000-0000 HIGHLEVEL_LOCATION_ID=SBXloc00000000000001
target/release/contacts export --out "$work/all.jsonl" --page-size 100
python3 - "$work" <<'PY'
import json, sqlite3, sys
work = sys.argv[1]
db = sqlite3.connect(f"{work}/app.db")
db.execute("CREATE TABLE members (id INTEGER PRIMARY KEY, first TEXT, last TEXT, email TEXT, updated_at INTEGER NOT NULL, deleted_at INTEGER)")
rows = ((c.get("firstName"), c.get("lastName"), c.get("email")) for c in map(json.loads, open(f"{work}/all.jsonl")))
db.executemany("INSERT INTO members (first, last, email, updated_at) VALUES (?, ?, ?, 1)", rows)
db.commit()
json.dump({"target": "contact", "name": "bench-members", "direction": "both",
           "fields": [{"from": "first", "to": "firstName"}, {"from": "last", "to": "lastName"},
                      {"from": "email", "to": "email", "transforms": ["email"]}]},
          open(f"{work}/map.json", "w"))
PY
requests() { curl -s "$base_url/sandbox/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["apiRequests"])'; }
run_pass() { # LABEL: one pass, its figures as a JSON line
  local before after
  before=$(requests)
  /usr/bin/time -f '%e %M' -o "$work/time.txt" ${SYNC_CLI:-target/release/contacts} --json sync \
    --host "sqlite:$work/app.db" --table members --template "$work/map.json" \
    --settings '{"name": "memory"}' > "$work/report.json"
  after=$(requests)
  python3 - "$1" "$n" "$((after - before))" "$work" <<'PY'
import json, sys
label, n, sent, work = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
seconds, peak_kb = open(f"{work}/time.txt").read().split()
r = json.load(open(f"{work}/report.json"))
print(json.dumps({"pass": label, "contacts": n, "requests": sent, "seconds": float(seconds),
                  "peakMiB": round(int(peak_kb) / 1024, 1), "matched": r["matched"],
                  "created": r["created"], "updated": r["updated"], "unchanged": r["unchanged"]}))
PY
}
run_pass first
run_pass "incremental, 0 changes"
