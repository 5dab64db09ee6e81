#!/usr/bin/env bash
# The npm package (wasm/): installs what it needs when missing (the wasm32
# target, wasm-bindgen-cli 0.2.130, Debian's chromium + chromium-driver, the
# package's npm dev deps incl. binaryen's wasm-opt and terser), then runs
#   - wasm-bindgen-test against a live sandbox, in Node and headless Chromium,
#   - the release build (wasm-opt -Oz, terser) and its size budget,
#   - node --test: shared vectors, live client, TypeScript, packed package,
#     and the demo widget in Chromium (playwright-core).
# Called by tests/run.sh; runnable alone: bash tests/js-suite.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# The issue's budget: the .wasm plus the JS a browser loads with it, gzipped,
# at most 150 KiB (goal 100). Met on 2026-11-22 at 144.6 KiB (README
# "Measured"). The ratchet sits just above the measured size, so growth is
# caught long before the budget; lower it as the size drops. Raised once, to
# the budget, for the calendars, custom data, users and associations
# operations: 149.9 KiB on 2026-12-02, after the lean catalog's saving.
# The runtime's parts that do not fit (the condition language) live in the
# runtime module, which has no budget of its own: it is reported.
budget_kib=150
ratchet_kib=150

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
# Not --locked: the registry here lacks a locked transitive version (reference/toolchain.md).
[ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen 0.2.130" ] || cargo install -q wasm-bindgen-cli --version 0.2.130
if ! command -v chromedriver >/dev/null || [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi
(cd wasm/js && { [ -x node_modules/.bin/wasm-opt ] && [ -d node_modules/playwright-core ] && [ -x node_modules/.bin/tsc ] \
  && [ -d node_modules/terser ] \
  || npm ci --no-audit --no-fund --loglevel=error; })

cargo clippy -q -p contacts-wasm --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo clippy -q -p contacts-wasm --target wasm32-unknown-unknown --all-targets --features runtime -- -D warnings
node wasm/js/scripts/gen-types.mjs --check

cargo build -q --release -p contacts-sandbox
source tests/sandbox.sh
start_sandbox wasm --seed 12
export CONTACTS_SANDBOX_URL="$base_url"
echo "wasm-bindgen-test in Node"
cargo test -p contacts-wasm --target wasm32-unknown-unknown --test live
echo "wasm-bindgen-test in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_USE_BROWSER=1 \
  cargo test -p contacts-wasm --target wasm32-unknown-unknown --test live

node wasm/js/scripts/build.mjs
python3 - "$budget_kib" "$ratchet_kib" <<'PY'
import json, sys
s = json.load(open("wasm/js/dist/size.json"))
kib, budget, ratchet = s["totalGzip"] / 1024, float(sys.argv[1]), float(sys.argv[2])
print(f"size: .wasm {s['wasmGzip']/1024:.1f} + browser JS {s['webGlueGzip']/1024:.1f} = {kib:.1f} KiB gzip"
      f" (budget {budget:.0f} KiB: {'met' if kib <= budget else f'NOT met by {kib - budget:.1f} KiB'}; ratchet {ratchet:.0f} KiB)")
print(f"size: the runtime module (libcontacts/runtime, loaded only when imported) {s['runtime']['totalGzip']/1024:.1f} KiB gzip")
sys.exit(0 if kib <= min(budget, ratchet) else 1)
PY

(cd wasm/js && SANDBOX_BIN="$PWD/../../target/release/contacts-sandbox" node --test test/)
