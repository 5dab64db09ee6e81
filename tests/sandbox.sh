# Sourced by the test and bench scripts: starts release contacts-sandbox
# processes on free loopback ports and stops them when the script exits.
#
#   source tests/sandbox.sh
#   start_sandbox main --seed 30    # sets $base_url; more args go to the sandbox
#   start_get_contact_bench         # the get-contact benches: sets base, loc, pit, id
#
# Needs `cargo build --release -p contacts-sandbox` first.
sandbox_work="$(mktemp -d)"
sandbox_pids=()
stop_sandboxes() {
  for p in "${sandbox_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$sandbox_work"
}
trap stop_sandboxes EXIT

start_sandbox() { # NAME [ARGS...]: sets base_url, or exits if it does not come up
  local name=$1; shift
  target/release/contacts-sandbox --port 0 --threads 1 "$@" > "$sandbox_work/$name.log" &
  sandbox_pids+=($!)
  for _ in $(seq 1 1200); do grep -q "END PUBLIC KEY" "$sandbox_work/$name.log" && break; sleep 0.1; done
  base_url=$(sed -n 's/^  base URL: *//p' "$sandbox_work/$name.log")
  [ -n "$base_url" ] || { echo "sandbox $name did not start:"; cat "$sandbox_work/$name.log"; exit 1; }
}

start_get_contact_bench() { # the get-contact benches' sandbox: sets base, loc, pit, id (one seeded contact)
  start_sandbox bench --seed 1000 --burst 4000000000 --daily 4000000000
  base=$base_url loc=SBXloc00000000000001 pit=pit-sandbox-0000-0000-0000
  id=$(curl -s -H "Authorization: Bearer $pit" -H 'Version: 2021-07-28' "$base/contacts/?locationId=$loc&limit=1" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["contacts"][0]["id"])')
}
