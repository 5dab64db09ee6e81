#!/usr/bin/env python3
"""Lists import cycles between the modules of each crate; exits 1 if any.

A node is one module file (`engine/call.rs`, `engine/mod.rs`). An edge A -> B
means A names a path that resolves into B (`use crate::b::..`, `super::b`,
`crate::b::f()` in code). A parent's `mod child;` declaration is not an edge,
and neither is a child naming its own ancestors (`super::X` from
`engine/call.rs` into `engine/mod.rs`): a module's parent owns it, so only
siblings and cousins can form a cycle worth breaking.

A maintained tool (cargo-modules) can do this, but it builds rust-analyzer,
about ten minutes on the 2-core CI machine; this reads source text in
well under a second, which is all the check needs.

Usage: module_cycles.py CRATE_SRC_DIR...   (each a crate's `src/`)
       module_cycles.py --self-test         (plants a cycle; must be found)
"""
import os
import re
import sys
import tempfile

COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
STRING = re.compile(r'r#*"(?:.|\n)*?"#*|"(?:\\.|[^"\\])*"')
USE = re.compile(r"\buse\s+([^;]+);")
PATH = re.compile(r"\b((?:crate|super|self)(?:::\w+)+)")


def module_files(src):
    """Maps each module path (tuple of names) to its file."""
    modules = {}
    for root, _, files in os.walk(src):
        for name in files:
            if not name.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(root, name), src)
            parts = rel[:-3].split(os.sep)
            if parts[-1] in ("mod", "lib", "main"):
                parts = parts[:-1]
            if parts and parts[0] == "bin":
                continue
            modules[tuple(parts)] = os.path.join(root, name)
    return modules


def expand_use(tree):
    """Flattens `a::{b, c::{d}}` into ["a::b", "a::c::d"]."""
    tree = re.sub(r"\s+", "", tree)
    brace = tree.find("{")
    if brace < 0:
        return [tree.split("as")[0] if "as" in tree else tree]
    prefix, inner = tree[:brace], tree[brace + 1 : tree.rfind("}")]
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    out = []
    for part in filter(None, parts):
        out.extend(expand_use(prefix + part))
    return out


def resolve(here, path, modules, exports=None):
    """The module a path lands in, or None when it leaves the crate.
    `exports` maps the crate root's re-exported names to where they live, so
    `crate::Error` counts as a use of `error`, not of the root."""
    names = path.split("::")
    if names[0] == "crate":
        base, rest = (), names[1:]
    elif names[0] in ("super", "self"):
        base = here
        while names and names[0] in ("super", "self"):
            if names[0] == "super":
                base = base[:-1]
            names = names[1:]
        rest = names
    else:
        # A `use` relative to the current module: `use call::X` in engine/mod.rs.
        base, rest = here, names
        if here + (rest[0],) not in modules:
            return None
    target = base
    for name in rest:
        if target + (name,) in modules:
            target = target + (name,)
        else:
            break
    if target == () and rest and exports and rest[0] in exports:
        return exports[rest[0]]
    return target


def root_exports(modules):
    """`pub use a::b::{X, Y};` in the crate root: X and Y live in a::b."""
    root = modules.get(())
    if root is None:
        return {}
    text = COMMENT.sub("", open(root, encoding="utf-8").read())
    exports = {}
    for tree in re.findall(r"\bpub\s+use\s+([^;]+);", text):
        for path in expand_use(tree):
            target = resolve((), "crate::" + path, modules)
            if target:
                exports[path.split("::")[-1]] = target
    return exports


def edges_of(src):
    """File-level edges: module -> the modules it names."""
    modules = module_files(src)
    exports = root_exports(modules)
    edges = {m: set() for m in modules}
    for here, file in modules.items():
        text = open(file, encoding="utf-8").read()
        text = STRING.sub('""', COMMENT.sub("", text))
        # Tests inside a file may reach anywhere; they are not part of the graph.
        cut = re.search(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text)
        if cut:
            text = text[: cut.start()]
        paths = []
        for tree in USE.findall(text):
            paths.extend(expand_use(tree))
        paths.extend(PATH.findall(text))
        for path in paths:
            target = resolve(here, path, modules, exports)
            if target is None or target == here:
                continue
            if here[: len(target)] == target:
                continue  # a child naming an ancestor
            if target[: len(here)] == here:
                continue  # a parent naming its own child
            edges[here].add(target)
    return edges


def sibling_edges(edges):
    """Lifts each file edge to the two siblings under the files' common
    parent: `engine/call -> catalog` is `engine -> catalog` at the root. A
    cycle there is a cycle between whole modules, even when no two files
    name each other."""
    lifted = {}
    for a, targets in edges.items():
        for b in targets:
            n = 0
            while n < min(len(a), len(b)) and a[n] == b[n]:
                n += 1
            lifted.setdefault(a[: n + 1], set()).add(b[: n + 1])
            lifted.setdefault(b[: n + 1], set())
    return lifted


def cycles(edges):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def name(module):
    return "/".join(module) or "(crate root)"


def check(srcs):
    bad = 0
    for src in srcs:
        edges = sibling_edges(edges_of(src))
        found = cycles(edges)
        for comp in found:
            bad += 1
            members = set(comp)
            links = [
                f"{name(a)} -> {name(b)}"
                for a in comp
                for b in sorted(edges[a])
                if b in members
            ]
            print(f"{src}: cycle among {', '.join(map(name, comp))}")
            for link in links:
                print(f"    {link}")
        if not found:
            print(f"{src}: {len(module_files(src))} modules, no cycles")
    return bad


def self_test():
    with tempfile.TemporaryDirectory() as src:
        os.makedirs(os.path.join(src, "engine"))
        files = {
            "lib.rs": "pub mod a;\npub mod b;\npub mod engine;\n",
            "a.rs": "use crate::b::Thing; // use crate::c\n",
            "b.rs": "pub fn f() { crate::a::g(); }\n",
            "engine/mod.rs": "mod call;\npub use call::Call;\n",
            "engine/call.rs": "use super::Engine;\nuse crate::{a::X, b};\n",
        }
        for rel, body in files.items():
            with open(os.path.join(src, rel), "w") as f:
                f.write(body)
        found = cycles(sibling_edges(edges_of(src)))
        assert found == [[("a",), ("b",)]], f"planted cycle not found: {found}"
        with open(os.path.join(src, "b.rs"), "w") as f:
            f.write('pub fn f() { let _ = "crate::a::g"; }\n')
        found = cycles(sibling_edges(edges_of(src)))
        assert found == [], f"a string was read as a path: {found}"
        # No two files name each other, but engine (through engine/call)
        # needs b, and b needs engine: a cycle between whole modules.
        with open(os.path.join(src, "a.rs"), "w") as f:
            f.write("pub fn g() {}\n")
        with open(os.path.join(src, "b.rs"), "w") as f:
            f.write("pub fn f() { crate::engine::Call::new(); }\n")
        found = cycles(sibling_edges(edges_of(src)))
        assert found == [[("b",), ("engine",)]], f"lifted cycle not found: {found}"
    print("self-test: planted cycles are found (files, and whole modules); text in strings is not")


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        sys.exit(0)
    sys.exit(1 if check(sys.argv[1:]) else 0)
