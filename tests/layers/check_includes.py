#!/usr/bin/env python3
"""Fails when a source file includes a header across the library layers (docs/ARCHITECTURE.md).

The layers are not written here: they are the links each library declares in CMake, which
cmake/Libraries.cmake writes to <build>/layers.json at configure time. A library may include its
own headers, those of every library it links, and those of what they pass on (their public
links) — exactly the include roots the compiler gives it. The build enforces the same arrows;
this check also catches what a build cannot: a header included by a relative path ("../x.h"), a
third-party header in a library that does not link its package (curl only in the node transport,
microhttpd only in the status server, ...), and a header that is in no library.

Usage: check_includes.py REPO_ROOT LAYERS_JSON   check the tree, print every violation, exit 1 if any
       check_includes.py --self-test             show that violations are caught (exit 0 if so)
"""
import json
import os
import re
import sys
import tempfile

# Third-party headers (by prefix) -> the CMake link item that provides them (None: no library may
# include it). A library may include such a header only if it links that item itself. Headers not
# listed (the C++ and C standard libraries, POSIX, RapidJSON) are free for all.
THIRD_PARTY = {
    "curl/": "PkgConfig::CURL",
    "microhttpd.h": "PkgConfig::MICROHTTPD",
    "sqlite3.h": "SQLite::SQLite3",
    "zlib.h": "ZLIB::ZLIB",
    "httplib.h": None,  # cpp-httplib is gone: it could not bound header size or request time
    "secp256k1": "PkgConfig::SECP256K1",
    "crypto++/": "PkgConfig::CRYPTOPP",
    "cryptopp/": "PkgConfig::CRYPTOPP",
    "CLI/": "segverify_cli11",
}


def _target(item):
    """A link item as a target name: the alias segverify::x is the target segverify_x."""
    return item.replace("segverify::", "segverify_", 1) if item.startswith("segverify::") else item


class Layers:
    """The include rules one layers.json gives: folder -> folders it may include, and its links."""

    def __init__(self, graph):
        self.folder_of = {target: entry["folder"] for target, entry in graph.items()}
        public = {target: [_target(i) for i in entry["public_links"]] for target, entry in graph.items()}

        def seen_through(target, seen):
            for item in public.get(target, []):
                if item not in seen:
                    seen.add(item)
                    seen_through(item, seen)
            return seen

        self.allowed = {}
        self.links = {}
        for target, entry in graph.items():
            folder = entry["folder"]
            direct = [_target(i) for i in entry["links"]]
            visible = {target}
            for item in direct:
                visible.add(item)
                seen_through(item, visible)
            self.allowed[folder] = {self.folder_of[t] for t in visible if t in self.folder_of}
            self.links[folder] = set(entry["links"])

    @staticmethod
    def load(path):
        with open(path, encoding="utf-8") as f:
            return Layers(json.load(f))

    def library_of(self, path):
        """The library folder a repository-relative path belongs to, or None."""
        best = None
        for folder in self.allowed:
            if path == folder or path.startswith(folder + "/"):
                if best is None or len(folder) > len(best):
                    best = folder
        return best


INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCE_SUFFIXES = (".h", ".hpp", ".cpp", ".cc")


def check(root, layers):
    violations = []
    for folder in layers.allowed:
        base = os.path.join(root, folder)
        if not os.path.isdir(base):
            continue
        for dirpath, _, files in os.walk(base):
            for name in sorted(files):
                if not name.endswith(SOURCE_SUFFIXES):
                    continue
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                owner = layers.library_of(rel)
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
                            target = layers.library_of(header)
                            if target is None:
                                violations.append(f"{where}: \"{header}\" is not in any library folder")
                            elif target not in layers.allowed[owner]:
                                violations.append(f"{where}: {owner} must not include {target} (\"{header}\")")
                            elif not os.path.isfile(os.path.join(root, header)):
                                violations.append(f"{where}: \"{header}\" does not exist")
                        else:
                            for prefix, package in THIRD_PARTY.items():
                                if header.startswith(prefix) and (package is None or package not in layers.links[owner]):
                                    users = sorted(f for f, links in layers.links.items() if package in links)
                                    violations.append(f"{where}: <{header}> belongs to {', '.join(users) or 'no library'} only"
                                                      f" (the libraries that link {package})")
    return violations


# The planted tree's layers, as layers.json would give them: clients and merkle on common,
# report on merkle (and common through it), curl linked by clients only.
SELF_TEST_GRAPH = {
    "segverify_common": {"folder": "common", "links": [], "public_links": []},
    "segverify_merkle": {"folder": "merkle", "links": ["segverify::common"], "public_links": ["segverify::common"]},
    "segverify_clients": {"folder": "clients", "links": ["segverify::common", "PkgConfig::CURL"],
                          "public_links": ["segverify::common"]},
    "segverify_chain": {"folder": "verifier/chain", "links": ["segverify::common"], "public_links": []},
    "segverify_report": {"folder": "verifier/report", "links": ["segverify::merkle"],
                         "public_links": ["segverify::merkle"]},
}


def self_test():
    """A tree with one violation of each kind must produce exactly those violations."""
    cases = {
        "merkle/bad.cpp": '#include "verifier/report/report.h"\n',
        "clients/relative.cpp": '#include "../merkle/amount.h"\n',
        "verifier/chain/curl.cpp": "#include <curl/curl.h>\n",
        "common/ok.cpp": '#include "common/ok.h"\n#include <vector>\n',
        "common/ok.h": "#pragma once\n",
        "verifier/report/report.h": "#pragma once\n",
        "verifier/report/ok.cpp": '#include "common/ok.h"\n',  # common seen through merkle's public link
        "merkle/amount.h": "#pragma once\n",
    }
    with tempfile.TemporaryDirectory() as tmp:
        for rel, text in cases.items():
            os.makedirs(os.path.dirname(os.path.join(tmp, rel)), exist_ok=True)
            with open(os.path.join(tmp, rel), "w") as f:
                f.write(text)
        found = check(tmp, Layers(SELF_TEST_GRAPH))
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
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    violations = check(sys.argv[1], Layers.load(sys.argv[2]))
    for v in violations:
        print(v)
    if violations:
        print(f"{len(violations)} include(s) cross the library layers")
        return 1
    print("includes follow the library layers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
