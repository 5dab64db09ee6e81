#!/usr/bin/env bash
# `contacts export` of COUNT seeded contacts (default 1,000,000): peak RSS of
# the exporting process (target: under 64 MiB whatever the count) and that
# every contact arrived exactly once.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
count="${COUNT:-1000000}"
cargo build -q --release -p contacts-sandbox -p contacts-cli
source tests/sandbox.sh
work="$sandbox_work"
start_sandbox seeded --seed "$count" --burst 4000000000 --daily 4000000000
base=$base_url
start=$(date +%s.%N)
HIGHLEVEL_BASE_URL="$base" HIGHLEVEL_TOKEN=pit-sandbox-0000-0000-0000 HIGHLEVEL_LOCATION_ID=SBXloc00000000000001 \
  /usr/bin/time -f '%M' -o "$work/rss_kib" target/release/contacts export --out "$work/all.jsonl" --page-size 100
end=$(date +%s.%N)
lines=$(wc -l < "$work/all.jsonl")
unique=$(python3 -c "import json,sys; print(len({json.loads(l)['id'] for l in open(sys.argv[1])}))" "$work/all.jsonl")
python3 -c "import json,sys; print(json.dumps({'contacts': $count, 'lines': $lines, 'unique_ids': $unique, 'peak_rss_mib': round(int(open('$work/rss_kib').read().split()[-1]) / 1024, 1), 'seconds': round($end - $start, 1)}))"
