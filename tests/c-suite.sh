#!/usr/bin/env bash
# The C suite of libcontacts: compiled with -std=c11 -Wall -Wextra -Werror
# against libcontacts.so and libcontacts.a, run against live sandboxes on
# loopback, then again under AddressSanitizer + UBSan and under valgrind.
# Called by tests/run.sh; installs valgrind when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v valgrind >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind; }
cargo build -q --release -p contacts-ffi -p contacts-sandbox
source tests/sandbox.sh
work="$sandbox_work"
start_sandbox main --seed 30 --burst 100000 --daily 10000000; base=$base_url
start_sandbox slow --fault latency=3000; slow=$base_url
export CONTACTS_BASE_URL="$base" CONTACTS_SLOW_BASE_URL="$slow"
export CONTACTS_PIT=pit-sandbox-0000-0000-0000 CONTACTS_LOCATION=SBXloc00000000000001
fresh_tokens() { # each run needs an unused refresh token
  eval "$(python3 - "$base" <<'PY'
import json, sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/sandbox/tokens", data=b'{"scopes": ["contacts.readonly"]}', method="POST")
t = json.load(urllib.request.urlopen(req))
print(f"export CONTACTS_ACCESS_TOKEN='{t['access_token']}' CONTACTS_REFRESH_TOKEN='{t['refresh_token']}'")
PY
)"
}
fresh_tokens
eval "$(python3 <<'PY'
import json
v = json.load(open("tests/vectors/webhooks.json"))
d = v["vectors"][0]["deliveries"][0]
q = lambda s: "'" + s.replace("'", "'\\''") + "'"
print("export CONTACTS_WEBHOOK_KEYS=" + q(json.dumps([v["public_key"]])) + " CONTACTS_WEBHOOK_BODY=" + q(d["body_text"]))
print("export CONTACTS_WEBHOOK_SIGNATURE=" + q(d["headers"]["X-GHL-Signature"]) + " CONTACTS_WEBHOOK_NOW_MS=" + str(d["now_ms"]))
PY
)"
echo "-- every macro of the header is used by the C suite"
for name in $(grep -oE '^#define [A-Z_][A-Z0-9_]+' include/libcontacts.h | awk '{print $2}' | grep -v '^LIBCONTACTS_H$'); do
  grep -q "\b$name\b" ffi/tests/c/test_libcontacts.c || { echo "$name is in the header but no C test uses it" >&2; exit 1; }
done
lib=target/release
flags=(-std=c11 -Wall -Wextra -Werror -pthread -Iinclude)
src=ffi/tests/c/test_libcontacts.c
echo "-- against libcontacts.so"
gcc "${flags[@]}" "$src" -L"$lib" -lcontacts -Wl,-rpath,"$PWD/$lib" -o "$work/test_shared"
"$work/test_shared"
echo "-- against libcontacts.a"
gcc "${flags[@]}" "$src" "$lib/libcontacts.a" -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc -o "$work/test_static"
fresh_tokens; "$work/test_static"
echo "-- AddressSanitizer + UndefinedBehaviorSanitizer"
gcc "${flags[@]}" -g -fsanitize=address,undefined -fno-omit-frame-pointer "$src" -L"$lib" -lcontacts -Wl,-rpath,"$PWD/$lib" -o "$work/test_asan"
fresh_tokens; ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$work/test_asan"
echo "-- the README example, compiled exactly as shown (after ffi/install.sh)"
command -v pkg-config >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pkg-config; }
bash ffi/install.sh "$work/prefix" > /dev/null
mkdir -p "$work/example" && python3 - ffi/README.md "$work/example" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
code = re.search(r"```c\n(.*?)```", text, re.S).group(1)
cmd = re.search(r"```sh\n(cc .*?)\n", text).group(1)
open(sys.argv[2] + "/example.c", "w").write(code)
open(sys.argv[2] + "/build.sh", "w").write(cmd + "\n")
PY
(cd "$work/example" && PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" bash build.sh \
  && HIGHLEVEL_TOKEN=$CONTACTS_PIT HIGHLEVEL_LOCATION_ID=$CONTACTS_LOCATION HIGHLEVEL_BASE_URL=$CONTACTS_BASE_URL ./example > out.json \
  && python3 -c "import json; d=json.load(open('out.json')); assert len(d['contacts']) == 5, d; print('example: 1 passed, 0 failed')")
echo "-- bindings: every code of the header handled"
bash bindings/check-codes.sh
echo "-- bindings/cpp: the header-only C++17 wrapper"
# The tests read JSON with nlohmann/json (Debian's package).
[ -f /usr/include/nlohmann/json.hpp ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nlohmann-json3-dev >/dev/null; }
g++ -std=c++17 -Wall -Wextra -Werror -pthread -Iinclude -Ibindings/cpp/include bindings/cpp/tests/test_libcontacts.cpp \
  -L"$lib" -lcontacts -Wl,-rpath,"$PWD/$lib" -o "$work/test_cpp"
"$work/test_cpp"
echo "-- bindings/cpp: every shared vector (JSON read with nlohmann/json)"
g++ -std=c++17 -Wall -Wextra -Werror -Iinclude -Ibindings/cpp/include bindings/cpp/tests/test_vectors.cpp \
  -L"$lib" -lcontacts -Wl,-rpath,"$PWD/$lib" -o "$work/test_cpp_vectors"
"$work/test_cpp_vectors" tests/vectors
echo "-- bindings/python: pip-installed from its folder, pytest against the sandbox"
python3 -m pytest --version >/dev/null 2>&1 || python3 -m pip install -q pytest
python3 -m pip install -q --no-deps --target "$work/py" bindings/python
LIBCONTACTS_PATH="$PWD/$lib/libcontacts.so" PYTHONPATH="$work/py" python3 -m pytest -q -p no:cacheprovider bindings/python/tests
echo "-- valgrind"
fresh_tokens; valgrind -q --error-exitcode=99 --suppressions=ffi/tests/c/valgrind.supp --leak-check=full --errors-for-leak-kinds=definite,possible --show-leak-kinds=definite,possible "$work/test_static"
