#!/usr/bin/env bash
# Installs libcontacts (header, shared and static library, pkg-config file)
# into PREFIX (default /usr/local). Build first: cargo build --release -p contacts-ffi
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-/usr/local}"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
mkdir -p "$prefix/include" "$prefix/lib/pkgconfig"
install -m 0644 include/libcontacts.h "$prefix/include/"
install -m 0755 target/release/libcontacts.so "$prefix/lib/"
install -m 0644 target/release/libcontacts.a "$prefix/lib/"
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" ffi/libcontacts.pc.in > "$prefix/lib/pkgconfig/libcontacts.pc"
echo "installed libcontacts $version into $prefix"
