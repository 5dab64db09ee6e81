#!/usr/bin/env bash
# The mapping issue's native bar: a 12-field record mapped at >= 0.6x the
# phone transform's own rate. One process's ratio moves by a tenth with the
# process's memory layout (libphonenumber's regex cache hashes its patterns
# on every lookup), so this runs the criterion bench in RUNS separate
# processes (default 5) and reports each run's ratio and their median.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
runs="${RUNS:-5}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cargo bench -q -p contacts-core --features native --bench mapping --no-run 2>/dev/null
for i in $(seq "$runs"); do
  cargo bench -q -p contacts-core --features native --bench mapping -- \
    --warm-up-time 2 --measurement-time 5 --noplot >"$out/run$i.txt" 2>/dev/null
done
python3 - "$out" "$runs" <<'PY'
import re, sys, statistics
out, runs = sys.argv[1], int(sys.argv[2])
unit = {"ns": 1e-3, "µs": 1.0, "ms": 1e3}
rows = []
for i in range(1, runs + 1):
    text = open(f"{out}/run{i}.txt").read()
    medians = {}
    for name, value, u in re.findall(r"mapping/([^\n]+?)\s*\n?\s*time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", text):
        medians[name.strip()] = float(value) * unit[u]
    phone, record = medians["phone transform alone"], medians["12-field record"]
    rows.append((phone, record, phone / record, medians["the phone field alone"], medians["the other 11 fields"]))
    print(f"run {i}: phone {phone:.2f} µs, record {record:.2f} µs, ratio {phone / record:.3f} "
          f"(phone field {rows[-1][3]:.2f}, other 11 fields {rows[-1][4]:.2f})")
print(f"median of {runs}: phone {statistics.median(r[0] for r in rows):.2f} µs, "
      f"record {statistics.median(r[1] for r in rows):.2f} µs, "
      f"ratio {statistics.median(r[2] for r in rows):.3f} (bar 0.6)")
PY
