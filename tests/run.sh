#!/usr/bin/env bash
# Runs every test suite of libcontacts, installing whatever a suite needs
# when it is missing (idempotent). Run from anywhere: bash tests/run.sh
# Reads the official specs from ../shared (or LIBCONTACTS_SHARED) when they are
# there; without them the spec suites say they were skipped (CI=true: fail).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
# Each step's wall time, printed when the run ends (pass or fail), so a
# change that slows the suite shows which step it slowed.
step_names=() step_seconds=() step_title="" step_started=$SECONDS
finish_step() {
  if [ -n "$step_title" ]; then
    step_names+=("$step_title") step_seconds+=($((SECONDS - step_started)))
  fi
  step_title=""
}
step() { finish_step; step_title="$*" step_started=$SECONDS; printf '\n==> %s\n' "$*"; }
report_times() {
  finish_step
  printf '\n-- wall time per step (s)\n'
  for i in "${!step_names[@]}"; do printf '%6d  %s\n' "${step_seconds[$i]}" "${step_names[$i]:0:70}"; done
  printf '%6d  in all\n' "$SECONDS"
}
trap report_times EXIT

step "toolchain"
command -v cargo >/dev/null || { echo "cargo is required (rustup)"; exit 1; }
cargo --version
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt

step "redis-server (Debian's): the fleet suites start their own on loopback"
command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; }
redis-server --version

step "the official specs"
shared_dir="${LIBCONTACTS_SHARED:-$PWD/../shared}"
if [ -d "$shared_dir/ghl-openapi/apps" ]; then
  echo "found at $shared_dir"
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true but $shared_dir/ghl-openapi/apps is missing: the spec conformance suites must run in CI" >&2
  exit 1
else
  echo "skipped: the spec conformance suites (no $shared_dir/ghl-openapi/apps);"
  echo "  point LIBCONTACTS_SHARED at a copy of shared/ to run them"
fi

step "format"
cargo fmt --all -- --check

step "module cycles: none in any crate (and the check finds a planted one)"
python3 tests/module_cycles.py --self-test
python3 tests/module_cycles.py core/src core/macros/src ffi/src wasm/src sandbox/src cli/src bench/src

step "lint"
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
cargo clippy -q -p contacts-core --features schema,native,typed --all-targets -- -D warnings

step "contacts-core: unit, vectors, conformance, catalog drift, no-IO, engine rules, native client vs sandbox"
cargo test -p contacts-core --features schema,native,typed

step "contacts-sandbox: every operation over HTTP against the spec, auth, limits, faults, webhooks"
cargo clippy -q -p contacts-sandbox --all-targets -- -D warnings
cargo test -p contacts-sandbox

step "the official HighLevel Node SDK, unchanged, against the sandbox"
command -v node >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
cargo build -q -p contacts-sandbox
(cd tests/node-sdk && { [ -d node_modules/@gohighlevel/api-client ] || npm ci --no-audit --no-fund --loglevel=error; } && node --test)

step "the contacts CLI: every command end to end against the sandbox"
cargo clippy -q -p contacts-cli --all-targets -- -D warnings
cargo test -p contacts-cli --features failpoints

step "libcontacts (C ABI): header drift, NULL/UTF-8/JSON abuse, vectors through the ABI, live calls"
cargo clippy -q -p contacts-ffi --all-targets -- -D warnings
cargo test -p contacts-ffi

step "libcontacts: the C suite against the .so and the .a, under ASan+UBSan and valgrind"
bash tests/c-suite.sh

step "the npm package: wasm-bindgen-test (Node, Chromium), size budget, vectors, live client, types, packed package, demo widget"
bash tests/js-suite.sh

step "fuzzing: every target for 10 s from the committed corpus (cargo fuzz, libFuzzer)"
bash tests/fuzz.sh

# The core's and the sandbox's criterion benches were type-checked and linted
# by the lint steps above (--all-targets). Building them again with the bench
# profile's optimisations took over 2 minutes of every run and checked
# nothing more; the bench scripts build what they run.
step "benchmarks: the bench harness type-checks and lints clean"
cargo clippy -q -p contacts-bench --all-targets -- -D warnings

echo
echo "all suites passed"
