#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
"""Generate test/unit/dat_abi_table.h from a reference set of DAT 2.0 headers.

Developer tool, not run by "make check".  It asks clang for the AST of the
reference headers (normally the OFA ones in /usr/include/dat2), then writes
a C table listing, with the values the *reference* compiler saw:

  * every enumerator and every integer-valued object-like macro,
  * sizeof of every struct, union and typedef,
  * offsetof of every struct member (members of anonymous unions included),
  * a type-compatibility check for every function, typedef and member.

check_dat_abi.c includes the table and compiles it against *our* headers, so
any difference in a name, value, layout or signature fails the build or the
test.  Regenerate after a deliberate change:

    python3 test/unit/gen_dat_abi_table.py /usr/include > test/unit/dat_abi_table.h
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HEADERS = ["udat.h", "dat_registry.h", "dat_ib_extensions.h"]
PRELUDE = "#include <netinet/in.h>\n" + "".join(
    "#include <dat2/%s>\n" % h for h in HEADERS)
# Declared in the headers, yet deliberately not part of the check:
#   DAT_IA_HA_RELATED is a malformed object-like macro in the reference.
SKIP_MACROS = {"DAT_IA_HA_RELATED", "DAT_OPTIMAL_ALIGNMENT"}


def clang(args, src):
    with tempfile.NamedTemporaryFile("w", suffix=".c", delete=False) as f:
        f.write(src)
        path = f.name
    try:
        return subprocess.run(["clang"] + args + [path], capture_output=True,
                              text=True)
    finally:
        os.unlink(path)


def in_dat2(node, state):
    loc = node.get("loc", {})
    f = loc.get("file") or loc.get("spellingLoc", {}).get("file")
    if f:
        state["file"] = f
    return "/dat2/" in state.get("file", "")


def c_type(qt):
    """clang spells va_list by its builtin type; use the portable name."""
    return qt.replace("struct __va_list_tag *", "va_list")


def walk_ast(inc):
    out = clang(["-fsyntax-only", "-Xclang", "-ast-dump=json", "-I", inc],
                PRELUDE)
    ast = json.loads(out.stdout)
    enums, typedefs, funcs, records = [], [], [], []
    state = {}
    for node in ast["inner"]:
        ours = in_dat2(node, state)
        if not ours or node.get("isImplicit"):
            continue
        kind = node["kind"]
        if kind == "EnumDecl":
            enums += [c["name"] for c in node.get("inner", [])
                      if c["kind"] == "EnumConstantDecl"]
        elif kind == "TypedefDecl":
            typedefs.append((node["name"], node["type"]["qualType"]))
        elif kind == "FunctionDecl" and node.get("storageClass") != "static":
            funcs.append((node["name"], node["type"]["qualType"]))
        elif kind == "RecordDecl" and node.get("completeDefinition"):
            records.append(node)
    return enums, typedefs, funcs, records


def record_fields(rec):
    """Yield (member name, type) including members of anonymous unions."""
    for f in rec.get("inner", []):
        if f["kind"] != "FieldDecl":
            continue
        if f.get("isImplicit") or not f.get("name"):
            continue
        yield f["name"], f["type"]["qualType"]
    inner = rec.get("inner", [])
    for f, nxt in zip(inner, inner[1:]):
        # clang follows an anonymous union with an implicit field; its
        # members are then members of the parent.
        if (f["kind"] == "RecordDecl" and not f.get("name") and
                nxt["kind"] == "FieldDecl" and nxt.get("isImplicit")):
            yield from record_fields(f)


def macro_names(inc):
    names = []
    for h in sorted(os.listdir(os.path.join(inc, "dat2"))):
        with open(os.path.join(inc, "dat2", h)) as fh:
            for m in re.finditer(r"^\s*#\s*define\s+(\w+)(\s|$)", fh.read(),
                                 re.M):
                if m.group(1) not in SKIP_MACROS:
                    names.append(m.group(1))
    return sorted(set(names))


def evaluate(inc, exprs):
    """Return {expr: value} for every expression that is an integer constant."""
    pending = list(exprs)
    while True:
        body = "".join("_Static_assert((long long)(%s) || 1, \"\");\n" % e
                       for e in pending)
        prog = PRELUDE + "#line 1 \"probe\"\n" + body
        res = clang(["-c", "-o", "/dev/null", "-w", "-I", inc], prog)
        bad = {int(m.group(1)) - 1 for m in
               re.finditer(r"^probe:(\d+):", res.stderr, re.M)}
        if not bad:
            break
        pending = [e for i, e in enumerate(pending) if i not in bad]
    body = "".join('printf("%%lld\\n", (long long)(%s));\n' % e for e in pending)
    prog = PRELUDE + "#include <stdio.h>\n#include <stddef.h>\nint main(void){\n" + body + "return 0;}\n"
    with tempfile.TemporaryDirectory() as d:
        exe = os.path.join(d, "probe")
        res = clang(["-w", "-I", inc, "-o", exe], prog)
        if res.returncode:
            sys.exit(res.stderr)
        vals = subprocess.run([exe], capture_output=True, text=True).stdout.split()
    return dict(zip(pending, (int(v) for v in vals)))


def record_type(rec, typedefs):
    if rec.get("name"):
        return "%s %s" % (rec["tagUsed"], rec["name"])
    # Anonymous struct: find the typedef that names it.
    for name, qt in typedefs:
        if rec["id"] in qt or ("(anonymous" in qt and rec.get("range") and
                               str(rec["range"]["begin"].get("line")) in qt):
            return name
    return None


def main():
    inc = sys.argv[1] if len(sys.argv) > 1 else "/usr/include"
    enums, typedefs, funcs, records = walk_ast(inc)
    exprs = list(dict.fromkeys(enums + macro_names(inc)))
    layout = []
    for rec in records:
        t = record_type(rec, typedefs)
        if not t:
            continue
        layout.append("sizeof(%s)" % t)
        layout += ["offsetof(%s, %s)" % (t, f) for f, _ in record_fields(rec)]
    layout += ["sizeof(%s)" % n for n, _ in typedefs]
    values = evaluate(inc, exprs + layout)

    print("/* Generated by gen_dat_abi_table.py from the reference DAT 2.0")
    print(" * headers; do not edit.  See check_dat_abi.c. */")
    print("#define DAT_ABI_VALUES \\")
    for e in exprs + layout:
        if e in values:
            print('\tABI_VALUE(%s, %dLL, "%s") \\' % (e, values[e],
                                                    e.replace('"', '\\"')))
    print("\t/* end */\n")
    print("#define DAT_ABI_TYPES \\")
    skip = ("anonymous", "unnamed", "struct ibv_ah")
    for name, qt in funcs:
        print('\tABI_TYPE(%s, %s, "%s") \\' % (name, c_type(qt), name))
    for name, qt in typedefs:
        if not any(s in qt for s in skip):
            print('\tABI_TYPE((*(%s *)0), %s, "%s") \\' % (name, c_type(qt), name))
    for rec in records:
        t = record_type(rec, typedefs)
        if not t:
            continue
        for f, qt in record_fields(rec):
            if not any(s in qt for s in skip):
                print('\tABI_TYPE(((%s *)0)->%s, %s, "%s.%s") \\' %
                      (t, f, qt, t, f))
    print("\t/* end */")


if __name__ == "__main__":
    main()
