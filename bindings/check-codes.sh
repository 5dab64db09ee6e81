#!/usr/bin/env bash
# Every binding handles every code in include/libcontacts.h, and no other:
# the CONTACTS_CODE_* names of the header against the C++ wrapper's Code enum
# and the Python binding's CODES table (name and value).
set -euo pipefail
cd "$(dirname "$0")/.."
header=$(grep -oE 'CONTACTS_CODE_[A-Z0-9_]+ = [0-9]+' include/libcontacts.h | sed 's/CONTACTS_CODE_//; s/ = /=/' | sort)
cpp=$(grep -oE '= CONTACTS_CODE_[A-Z0-9_]+' bindings/cpp/include/libcontacts.hpp | sed 's/= CONTACTS_CODE_//' | sort)
python=$(python3 -c '
import ast, sys
tree = ast.parse(open("bindings/python/libcontacts/__init__.py").read())
codes = next(n.value for n in ast.walk(tree) if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "CODES")
print("\n".join(sorted(f"{v.value}={k.value}" for k, v in zip(codes.keys, codes.values))))')
names=$(echo "$header" | cut -d= -f1)
status=0
[ "$names" = "$cpp" ] || { echo "C++ binding codes differ from the header:"; diff <(echo "$names") <(echo "$cpp") || true; status=1; }
[ "$header" = "$python" ] || { echo "Python binding codes differ from the header:"; diff <(echo "$header") <(echo "$python") || true; status=1; }
[ $status = 0 ] && echo "bindings handle all $(echo "$names" | wc -l) codes of the header"
exit $status
