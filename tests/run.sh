#!/usr/bin/env bash
# Runs every test suite of libcontacts, installing whatever a suite needs
# when it is missing (idempotent). Run from anywhere: bash tests/run.sh
# Expects the shared reference folder at ../shared (or LIBCONTACTS_SHARED).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
command -v cargo >/dev/null || { echo "cargo is required (rustup)"; exit 1; }
cargo --version
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt

step "format"
cargo fmt --all -- --check

step "lint"
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
cargo clippy -q -p contacts-core --features schema --all-targets -- -D warnings

step "contacts-core: unit, vectors, conformance, catalog drift, no-IO"
cargo test -p contacts-core --features schema

step "the rest of the native workspace"
cargo test -p contacts-ffi -p contacts-sandbox -p contacts-cli

step "benchmarks compile"
cargo bench -p contacts-core --no-run -q

echo
echo "all suites passed"
