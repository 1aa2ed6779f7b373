#!/usr/bin/env python3
"""Fails when a source file includes a header across the library layers (docs/ARCHITECTURE.md).

The build enforces the same arrows (each library sees only the include roots of what it links);
this check also catches what a build cannot: a header included by a relative path ("../x.h"), a
third-party header outside the one library allowed to use it (curl only in the node transport,
microhttpd only in the status server, ...), and a library that would link what it must not.

Usage: check_includes.py REPO_ROOT        check the tree, print every violation, exit 1 if any
       check_includes.py --self-test      show that violations are caught (exit 0 if so)
"""
import os
import re
import sys
import tempfile

# Library folder -> the library folders it may include (itself included).
LAYERS = {
    "common": {"common"},
    "merkle": {"common", "merkle"},
    "verifier/chain": {"common", "verifier/chain"},
    "clients": {"common", "clients"},
    "verifier/report": {"common", "merkle", "verifier/report"},
    "verifier/attest": {"common", "merkle", "verifier/chain", "clients", "verifier/report", "verifier/attest"},
    "web": {"web"},
    "verifier/server": {"common", "merkle", "verifier/report", "web", "verifier/server"},
    "verifier/cli": {"common", "merkle", "verifier/chain", "clients", "verifier/report", "verifier/attest",
                     "verifier/server", "web", "verifier/cli"},
}

# Third-party headers (by prefix) -> the library folders allowed to include them. Headers not listed
# (the C++ and C standard libraries, POSIX, RapidJSON) are free for all.
THIRD_PARTY = {
    "curl/": {"clients"},
    "microhttpd.h": {"verifier/server"},
    "sqlite3.h": {"verifier/server"},
    "httplib.h": set(),  # cpp-httplib is gone: it could not bound header size or request time
    "secp256k1": {"verifier/chain"},
    "crypto++/": {"common", "merkle", "verifier/chain"},
    "cryptopp/": {"common", "merkle", "verifier/chain"},
    "CLI/": {"verifier/cli"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCE_SUFFIXES = (".h", ".hpp", ".cpp", ".cc")


def library_of(path):
    """The library folder a repository-relative path belongs to, or None."""
    best = None
    for folder in LAYERS:
        if path == folder or path.startswith(folder + "/"):
            if best is None or len(folder) > len(best):
                best = folder
    return best


def check(root):
    violations = []
    for folder in LAYERS:
        base = os.path.join(root, folder)
        if not os.path.isdir(base):
            continue
        for dirpath, _, files in os.walk(base):
            for name in sorted(files):
                if not name.endswith(SOURCE_SUFFIXES):
                    continue
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                owner = library_of(rel)
                with open(full, encoding="utf-8", errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        kind, header = m.groups()
                        where = f"{rel}:{number}"
                        if kind == '"':
                            if ".." in header.split("/") or header.startswith("/"):
                                violations.append(f"{where}: relative include \"{header}\" (write it from the repository root)")
                                continue
                            target = library_of(header)
                            if target is None:
                                violations.append(f"{where}: \"{header}\" is not in any library folder")
                            elif target not in LAYERS[owner]:
                                violations.append(f"{where}: {owner} must not include {target} (\"{header}\")")
                            elif not os.path.isfile(os.path.join(root, header)):
                                violations.append(f"{where}: \"{header}\" does not exist")
                        else:
                            for prefix, allowed in THIRD_PARTY.items():
                                if header.startswith(prefix) and owner not in allowed:
                                    violations.append(f"{where}: <{header}> belongs to {', '.join(sorted(allowed))} only")
    return violations


def self_test():
    """A tree with one violation of each kind must produce exactly those violations."""
    cases = {
        "merkle/bad.cpp": '#include "verifier/report/report.h"\n',
        "clients/relative.cpp": '#include "../merkle/amount.h"\n',
        "verifier/chain/curl.cpp": "#include <curl/curl.h>\n",
        "common/ok.cpp": '#include "common/ok.h"\n#include <vector>\n',
        "common/ok.h": "#pragma once\n",
        "verifier/report/report.h": "#pragma once\n",
        "merkle/amount.h": "#pragma once\n",
    }
    with tempfile.TemporaryDirectory() as tmp:
        for rel, text in cases.items():
            os.makedirs(os.path.dirname(os.path.join(tmp, rel)), exist_ok=True)
            with open(os.path.join(tmp, rel), "w") as f:
                f.write(text)
        found = check(tmp)
    expected = ["merkle/bad.cpp:1: merkle must not include", "clients/relative.cpp:1: relative include",
                "verifier/chain/curl.cpp:1: <curl/curl.h> belongs to"]
    missing = [e for e in expected if not any(v.startswith(e) for v in found)]
    if missing or len(found) != len(expected):
        print("self-test failed: expected", expected, "found", found)
        return 1
    print("self-test: every planted violation was caught")
    return 0


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--self-test":
        return self_test()
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    violations = check(sys.argv[1])
    for v in violations:
        print(v)
    if violations:
        print(f"{len(violations)} include(s) cross the library layers")
        return 1
    print("includes follow the library layers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
