"""The binding's ctypes declarations against include/libcontacts.h: every
function of the header is declared, with the header's argument and result
types, and every struct the binding mirrors has the header's fields."""

import ctypes
import pathlib
import re

import libcontacts
from libcontacts import _SIGNATURES, _Bytes, _Header, _HeaderIn, _Response, _StateStore, _Str, _SyncHost, _SyncHosts, _COMPLETION, _OBSERVER, _P, _SYNC_PROGRESS, _WATCH_CALLBACK

HEADER = pathlib.Path(__file__).resolve().parents[3] / "include" / "libcontacts.h"
MIRRORS = {"contacts_str": _Str, "contacts_bytes": _Bytes, "contacts_header": _Header,
           "contacts_header_in": _HeaderIn, "contacts_http_response": _Response,
           "contacts_sync_hosts": _SyncHosts}
BYTE_POINTERS = {ctypes.c_char_p, ctypes.POINTER(ctypes.c_uint8)}


def _text():
    text = re.sub(r"//[^\n]*|/\*.*?\*/", "", HEADER.read_text(), flags=re.S)
    return re.sub(r"^#.*$", "", text, flags=re.M)


def _ctypes_of(decl):
    """The ctypes types a C declaration (`const char *name`) may be bound as."""
    decl = " ".join(decl.replace("*", " * ").split())
    words = decl.split()
    if words and re.fullmatch(r"[a-z_][a-z0-9_]*", words[-1]) and words[-1] not in ("void",) and len(words) > 1 \
            and not (words[-1].startswith("contacts_") and words[-2] in ("struct", "enum")):
        words = words[:-1]  # the parameter's name
    t = " ".join(w for w in words if w != "const")
    if t.count("*") >= 2:
        return {ctypes.POINTER(_P)}
    simple = {
        "void": {None}, "bool": {ctypes.c_bool}, "char *": {ctypes.c_char_p}, "uint8_t *": BYTE_POINTERS, "void *": {_P},
        "size_t": {ctypes.c_size_t}, "uint64_t": {ctypes.c_uint64}, "uint32_t": {ctypes.c_uint32},
        "uint16_t": {ctypes.c_uint16}, "enum contacts_code": {ctypes.c_int}, "contacts_code": {ctypes.c_int},
        "contacts_completion": {_COMPLETION}, "contacts_watch_callback": {_WATCH_CALLBACK}, "contacts_observer_fn": {_OBSERVER}, "bool *": {ctypes.POINTER(ctypes.c_bool)},
        "struct contacts_header_in *": {ctypes.POINTER(_HeaderIn)},
        "struct contacts_http_response *": {ctypes.POINTER(_Response)},
        "struct contacts_state_store *": {ctypes.POINTER(_StateStore)},
        "struct contacts_sync_host *": {ctypes.POINTER(_SyncHost)},
        "struct contacts_sync_hosts *": {ctypes.POINTER(_SyncHosts)},
        "contacts_sync_progress": {_SYNC_PROGRESS},
    }
    if t in simple:
        return simple[t]
    m = re.fullmatch(r"struct (contacts_\w+)", t)
    if m and m.group(1) in MIRRORS:
        return {MIRRORS[m.group(1)]}
    if re.fullmatch(r"struct contacts_\w+ \*", t):
        return {_P}
    raise AssertionError(f"no ctypes mapping for C type {t!r} (from {decl!r})")


def _functions():
    found = {}
    for statement in _text().split(";"):
        statement = " ".join(re.split(r"[{}]", statement)[-1].split())
        m = re.fullmatch(r"([A-Za-z_][\w \*]*?)\s*\b(contacts_\w+)\(([^()]*)\)", statement)
        if not m or "typedef" in m.group(1):
            continue
        ret, name, args = m.groups()
        params = [a.strip() for a in args.split(",") if a.strip() and a.strip() != "void"]
        found[name] = (ret.strip(), params)
    return found


def test_every_header_function_is_declared_with_its_types():
    functions = _functions()
    assert len(functions) >= 35, sorted(functions)
    assert set(functions) == set(_SIGNATURES), (
        f"header only: {sorted(set(functions) - set(_SIGNATURES))}; "
        f"binding only: {sorted(set(_SIGNATURES) - set(functions))}")
    for name, (ret, params) in functions.items():
        args, restype = _SIGNATURES[name]
        assert restype in _ctypes_of(ret + " x" if ret != "void" else "void"), f"{name}: returns {ret}, bound as {restype}"
        assert len(args) == len(params), f"{name}: {len(params)} parameters, bound with {len(args)}"
        for i, (param, arg) in enumerate(zip(params, args)):
            assert arg in _ctypes_of(param), f"{name} parameter {i} ({param}) bound as {arg}"


def test_mirrored_structs_have_the_header_fields():
    text = _text()
    for c_name, mirror in MIRRORS.items():
        body = re.search(r"typedef struct " + c_name + r" \{(.*?)\} " + c_name + ";", text, re.S)
        assert body, f"struct {c_name} is not in the header"
        declared = re.sub(r"//[^\n]*", "", body.group(1))
        fields = [f.strip() for f in declared.split(";") if f.strip()]
        assert [f.split()[-1].lstrip("*") for f in fields] == [n for n, _ in mirror._fields_], c_name
        for field, (fname, ftype) in zip(fields, mirror._fields_):
            assert ftype in _ctypes_of(field), f"{c_name}.{fname}: {field} mirrored as {ftype}"


def test_the_check_fails_on_a_wrong_declaration():
    # A wrong type must be caught: `size_t` is not a `uint64_t` here.
    assert ctypes.c_uint64 not in _ctypes_of("size_t len") or ctypes.c_uint64 is ctypes.c_size_t
    assert ctypes.c_char_p not in _ctypes_of("struct contacts_error **err_out")
    assert libcontacts.parse_webhook_event is not None
