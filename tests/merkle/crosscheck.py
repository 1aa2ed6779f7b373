#!/usr/bin/env python3
"""Cross-check: the C++ `segverify` tree/proof commands against the independent Python reference.

The reference (tests/tools/reference_tree.py) was written from docs/FORMAT.md alone, apart from the
C++ in merkle/; agreement bit for bit is the test (evmone habit: "computed in go-ethereum"). For
random liabilities (deterministic seed; ids with commas, quotes, spaces and non-ASCII; 1-4 assets
with varied decimals) it checks:
  1. `segverify tree build --no-shuffle --nonce-key K` writes the same root.json, field by field;
  2. `segverify proof export` gives the same proof JSON as the reference, for several accounts
     (--account) and for all of them (--all);
  3. C++-made proofs pass the reference verifier; reference proofs pass `segverify proof verify`;
  4. each tampered field makes both verifiers refuse (exit 1; exit 2 where the proof becomes
     malformed);
  4b. a default (shuffled) build keeps assets, height and sums, puts each account once at leaves
     0..n-1, and all its proofs pass the reference verifier;
  5. bad liabilities input is refused by both (C++ exit 2, no root.json written);
  6. the worked example in fixtures/worked-example/ matches the C++.

  crosscheck.py --segverify build/verifier/segverify [--seed N]
Exit status 0 when everything agrees, 1 otherwise (each disagreement printed, first differing
value named).
"""

import argparse
import copy
import csv
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(os.path.dirname(HERE))
REFERENCE_TOOL = os.path.join(SOURCE_DIR, "tests", "tools", "reference_tree.py")
sys.path.insert(0, os.path.dirname(REFERENCE_TOOL))

from reftree.amounts import MAX_AMOUNT, format_amount, parse_amount  # noqa: E402
from reftree.documents import dump_json, proof_document, root_document, sums_json  # noqa: E402
from reftree.liabilities import LiabilitiesError  # noqa: E402
from reftree.proof_verify import (MalformedError, Proof, Root, Verdict,  # noqa: E402
                                  load_json_file, verify_proof)
from reference_tree import build_reference_tree  # noqa: E402

ACCOUNT_COUNTS = "1,2,3,5,17,1000"
SYMBOLS = ["BTC", "ETH", "USDT", "USDC", "SOL", "DAI"]
DECIMALS = [0, 2, 6, 8, 9, 18, 24]
ID_PIECES = list("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789") + [
    ",", '"', " ", "'", ";", "-", "_", "é", "ß", "中", "文", "😀", "Ω", "\u00a0"]
WORKED_EXAMPLE_KEY = bytes(range(32)).hex()


class Report:
    """Collects disagreements so one run shows all of them."""

    def __init__(self):
        self.failures = 0
        self.checks = 0

    def expect(self, condition: bool, message: str) -> bool:
        self.checks += 1
        if not condition:
            self.failures += 1
            print(f"FAIL: {message}", flush=True)
        return condition


def first_difference(expected, actual, path="$"):
    """Path and values of the first place two JSON values differ, or None."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in list(expected) + [k for k in actual if k not in expected]:
            if key not in actual:
                return f"{path}.{key}: missing in C++ output (reference has {expected[key]!r})"
            if key not in expected:
                return f"{path}.{key}: extra field in C++ output ({actual[key]!r})"
            difference = first_difference(expected[key], actual[key], f"{path}.{key}")
            if difference:
                return difference
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{path}: length {len(actual)} in C++, {len(expected)} in reference"
        for i, (e, a) in enumerate(zip(expected, actual)):
            difference = first_difference(e, a, f"{path}[{i}]")
            if difference:
                return difference
        return None
    if type(expected) is not type(actual) or expected != actual:
        return f"{path}: C++ {actual!r}, reference {expected!r}"
    return None


class Segverify:
    def __init__(self, binary: str):
        self.binary = binary

    def run(self, *args):
        return subprocess.run([self.binary, *args], capture_output=True, text=True, timeout=120)


def random_account_id(rng: random.Random) -> str:
    while True:
        text = "".join(rng.choice(ID_PIECES) for _ in range(rng.randint(1, 16))).strip(" \u00a0")
        if text:
            return text


def random_amount_text(rng: random.Random, decimals: int, limit: int) -> str:
    kind = rng.random()
    if kind < 0.15:
        return ""
    if kind < 0.2:
        return "0"
    if kind < 0.6:
        value = rng.randint(1, min(limit, 10 ** (decimals + 3)))
    elif kind < 0.9:
        value = rng.randint(1, min(limit, 10 ** (decimals + 12)))
    else:
        value = rng.randint(limit // 2, limit)
    text = format_amount(value, decimals)
    # Non-canonical but valid input (trailing fractional zeros) must give canonical output.
    fraction = text.partition(".")[2]
    if decimals > len(fraction) and rng.random() < 0.1:
        text = (text if fraction else text + ".") + "0" * rng.randint(1, decimals - len(fraction))
    return text


def write_csv(path: str, header: list, rows: list, line_end: str):
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator=line_end, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(rows)


def random_case(rng: random.Random, count: int):
    """Returns (assets spec, header, rows)."""
    assets = [(s, rng.choice(DECIMALS)) for s in rng.sample(SYMBOLS, rng.randint(1, 4))]
    leaves = 1
    while leaves < count:
        leaves *= 2
    limit = MAX_AMOUNT // max(2, leaves)  # no sum can overflow
    ids = []
    seen = set()
    while len(ids) < count:
        account_id = random_account_id(rng)
        if account_id not in seen:
            seen.add(account_id)
            ids.append(account_id)
    rows = [[i] + [random_amount_text(rng, d, limit) for _, d in assets] for i in ids]
    spec = ",".join(f"{s}:{d}" for s, d in assets)
    return spec, ["account_id"] + [s for s, _ in assets], rows


def parse_json_output(report: Report, text: str, what: str):
    try:
        return json.loads(text)
    except ValueError as error:
        report.expect(False, f"{what}: C++ output is not JSON ({error}): {text[:200]!r}")
        return None


def check_proof_pair(report, segverify, workdir, label, reference_doc, cpp_doc, root_json_path):
    """Each verifier accepts the other's proof; then tampering is refused by both."""
    cpp_path = os.path.join(workdir, "cpp-proof.json")
    ref_path = os.path.join(workdir, "ref-proof.json")
    with open(cpp_path, "w", encoding="utf-8") as stream:
        json.dump(cpp_doc, stream, ensure_ascii=False)
    with open(ref_path, "w", encoding="utf-8") as stream:
        stream.write(dump_json(reference_doc))
    root_hash = reference_doc["root"]["hash"]
    result = subprocess.run([sys.executable, REFERENCE_TOOL, "verify", cpp_path, "--root", root_json_path],
                            capture_output=True, text=True, timeout=120)
    report.expect(result.returncode == 0, f"{label}: reference verifier rejects the C++ proof "
                                          f"(exit {result.returncode}): {result.stdout.strip()} {result.stderr.strip()}")
    for extra in (["--root-hash", root_hash], ["--root", root_json_path]):
        result = segverify.run("proof", "verify", ref_path, *extra)
        report.expect(result.returncode == 0,
                      f"{label}: segverify proof verify {extra[0]} rejects the reference proof "
                      f"(exit {result.returncode}): {result.stderr.strip()}")
    for name, tampered, expected_exit, published in tampered_proofs(reference_doc):
        against = (["--root-hash", root_hash] if published == "hash" else ["--root", root_json_path])
        check_tampered(report, segverify, workdir, f"{label}: tampered {name}", tampered, against,
                       expected_exit)
    other_root = ("0" if root_hash[0] != "0" else "1") + root_hash[1:]
    result = segverify.run("proof", "verify", ref_path, "--root-hash", other_root)
    report.expect(result.returncode == 1,
                  f"{label}: segverify accepts the proof against another root (exit {result.returncode})")
    verdict = verify_proof(Proof(reference_doc), bytes.fromhex(other_root))
    report.expect(verdict is not Verdict.VALID, f"{label}: reference accepts the proof against another root")


def flip_hex(text: str) -> str:
    """Changes the last hex digit (still 64 valid hex digits)."""
    return text[:-1] + ("1" if text[-1] == "0" else "0")


def bump(amount_text: str, decimals: int) -> str:
    """amount + 1 smallest unit, canonical text (stays a valid amount)."""
    return format_amount(parse_amount(amount_text, decimals) + 1, decimals)


def tampered_proofs(doc: dict):
    """(name, tampered proof, expected exit code(s), checked against "hash" or "root") per field.

    Asset symbols and decimals are not hashed (docs/FORMAT.md §3), so relabelling an asset can only
    be caught against the published root.json, not against the bare root hash."""
    decimals = doc["assets"][0]["decimals"]
    height = doc["root"]["height"]

    def variant(name, change, expected_exit=1, published="hash"):
        tampered = copy.deepcopy(doc)
        change(tampered)
        return name, tampered, expected_exit, published

    level = height - 1
    yield variant("balance", lambda d: d["balances"].__setitem__(0, bump(d["balances"][0], decimals)))
    yield variant("nonce", lambda d: d.__setitem__("nonce", flip_hex(d["nonce"])))
    yield variant("account_id", lambda d: d.__setitem__("account_id", d["account_id"] + "x"))
    yield variant("path hash", lambda d: d["path"][level].__setitem__("hash", flip_hex(d["path"][level]["hash"])))
    yield variant("path sum", lambda d: d["path"][0]["sums"].__setitem__(0, bump(d["path"][0]["sums"][0], decimals)))
    yield variant("leaf_index", lambda d: d.__setitem__("leaf_index", d["leaf_index"] ^ 1))
    yield variant("root hash", lambda d: d["root"].__setitem__("hash", flip_hex(d["root"]["hash"])))
    yield variant("root sum", lambda d: d["root"]["sums"].__setitem__(0, bump(d["root"]["sums"][0], decimals)))
    yield variant("path too short", lambda d: d["path"].pop(), expected_exit=2)
    yield variant("leaf_index beyond the tree", lambda d: d.__setitem__("leaf_index", 1 << height), expected_exit=2)
    yield variant("balance not a number", lambda d: d["balances"].__setitem__(0, "1e3"), expected_exit=2)
    yield variant("asset symbol", lambda d: d["assets"][0].__setitem__("symbol", "FAKE"), published="root")
    # More decimals may push an amount past 2^128-1 (malformed) or change its value (invalid).
    yield variant("asset decimals", lambda d: d["assets"][0].__setitem__("decimals", decimals + 1),
                  expected_exit=(1, 2), published="root")


def check_tampered(report, segverify, workdir, label, tampered, against, expected_exit):
    path = os.path.join(workdir, "tampered.json")
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(dump_json(tampered))
    result = segverify.run("proof", "verify", path, *against)
    expected = expected_exit if isinstance(expected_exit, tuple) else (expected_exit,)
    report.expect(result.returncode in expected,
                  f"{label}: segverify exit {result.returncode}, expected {expected_exit} "
                  f"({result.stderr.strip() or result.stdout.strip()})")
    option, value = against
    try:
        if option == "--root-hash":
            verdict = verify_proof(Proof(tampered), expected_hash=bytes.fromhex(value))
        else:
            verdict = verify_proof(Proof(tampered), expected_root=Root(load_json_file(value)))
        reference_exit = 0 if verdict is Verdict.VALID else 1
    except MalformedError:
        reference_exit = 2
    report.expect(reference_exit in expected,
                  f"{label}: reference verifier exit {reference_exit}, expected {expected_exit}")


def check_case(report, segverify, workdir, label, csv_path, spec, pool, accounts_to_export):
    key = random.Random(label).randbytes(32).hex()
    assets, account_leaves, tree = build_reference_tree(csv_path, spec, bytes.fromhex(key))
    out_dir = os.path.join(workdir, "tree")
    args = ["tree", "build", "--liabilities", csv_path, "--assets", spec, "--out", out_dir,
            "--no-shuffle", "--nonce-key", key, "--force"]  # --force: each case replaces the last tree
    if pool is not None:
        args += ["--pool", pool]
    result = segverify.run(*args)
    if not report.expect(result.returncode == 0,
                         f"{label}: tree build exit {result.returncode}: {result.stderr.strip()}"):
        return
    root_path = os.path.join(out_dir, "root.json")
    with open(root_path, encoding="utf-8") as stream:
        cpp_root = parse_json_output(report, stream.read(), f"{label}: root.json")
    difference = first_difference(root_document(assets, tree, pool or "default"), cpp_root)
    report.expect(difference is None, f"{label}: root.json differs at {difference}")
    for index in accounts_to_export(len(account_leaves)):
        account = account_leaves[index]
        proof_label = f"{label} account #{index} {account.account_id!r}"
        result = segverify.run("proof", "export", "--tree", out_dir, "--account", account.account_id)
        if not report.expect(result.returncode == 0,
                             f"{proof_label}: proof export exit {result.returncode}: {result.stderr.strip()}"):
            continue
        cpp_proof = parse_json_output(report, result.stdout, proof_label)
        reference_proof = proof_document(pool or "default", assets, tree, account, index)
        difference = first_difference(reference_proof, cpp_proof)
        report.expect(difference is None, f"{proof_label}: proof differs at {difference}")
        if cpp_proof is not None:
            check_proof_pair(report, segverify, workdir, proof_label, reference_proof, cpp_proof, root_path)
    result = segverify.run("proof", "export", "--tree", out_dir, "--account", "no such account \u2603")
    report.expect(result.returncode == 2, f"{label}: proof export of an unknown account exit {result.returncode}")
    expected = [proof_document(pool or "default", assets, tree, a, i) for i, a in enumerate(account_leaves)]
    exported = export_all(report, segverify, workdir, label, out_dir)
    if exported is not None:
        report.expect(len(exported) == len(expected),
                      f"{label}: proof export --all: {len(exported)} proofs for {len(expected)} accounts")
        difference = next(filter(None, map(first_difference, expected, exported)), None)
        report.expect(difference is None, f"{label}: proof export --all differs at {difference}")
    check_shuffled_build(report, segverify, workdir, label, csv_path, spec, key, assets, account_leaves, tree)


def export_all(report, segverify, workdir, label, tree_dir):
    """Every proof of a C++ tree (`proof export --all`, JSON lines), or None after a failure."""
    out_path = os.path.join(workdir, "all.jsonl")
    result = segverify.run("proof", "export", "--tree", tree_dir, "--all", "--out", out_path)
    if not report.expect(result.returncode == 0, f"{label}: proof export --all exit {result.returncode}: "
                                                 f"{result.stderr.strip()}"):
        return None
    with open(out_path, encoding="utf-8") as stream:
        return [parse_json_output(report, line, f"{label}: proof export --all") for line in stream]


def check_shuffled_build(report, segverify, workdir, label, csv_path, spec, key, assets, account_leaves, tree):
    """Default (shuffled) build: same assets, height and sums; every account once at leaves 0..n-1;
    every proof verifies with the reference verifier against that tree's root."""
    label = f"{label} shuffled"
    out_dir = os.path.join(workdir, "tree-shuffled")
    result = segverify.run("tree", "build", "--liabilities", csv_path, "--assets", spec, "--out", out_dir,
                           "--nonce-key", key, "--force")
    if not report.expect(result.returncode == 0, f"{label}: tree build exit {result.returncode}: "
                                                 f"{result.stderr.strip()}"):
        return
    with open(os.path.join(out_dir, "root.json"), encoding="utf-8") as stream:
        cpp_root = json.load(stream)
    reference_root = root_document(assets, tree)
    for field in ("format", "assets", "height", "sums"):
        report.expect(cpp_root.get(field) == reference_root[field],
                      f"{label}: root.json {field} {cpp_root.get(field)!r}, reference {reference_root[field]!r}")
    proofs = export_all(report, segverify, workdir, label, out_dir) or []
    expected_accounts = sorted((a.account_id, a.nonce.hex(), sums_json(assets, a.amounts))
                               for a in account_leaves)
    seen_accounts, seen_leaves = [], []
    for proof in proofs:
        try:
            verdict = verify_proof(Proof(proof), bytes.fromhex(cpp_root["hash"]))
        except MalformedError as error:
            verdict = f"malformed ({error})"
        if not report.expect(verdict is Verdict.VALID, f"{label}: reference verifier says {verdict} for "
                                                       f"{proof.get('account_id')!r}"):
            return
        seen_accounts.append((proof["account_id"], proof["nonce"], proof["balances"]))
        seen_leaves.append(proof["leaf_index"])
    report.expect(sorted(seen_accounts) == expected_accounts,
                  f"{label}: the proofs do not cover each account once with its nonce and balances")
    report.expect(sorted(seen_leaves) == list(range(len(account_leaves))),
                  f"{label}: accounts do not take leaves 0..n-1")


def random_cases(report, segverify, workdir, seed, counts):
    rng = random.Random(seed)
    for count in counts:
        spec, header, rows = random_case(rng, count)
        line_end = rng.choice(["\r\n", "\n"])
        csv_path = os.path.join(workdir, f"liabilities-{count}.csv")
        write_csv(csv_path, header, rows, line_end)
        pool = rng.choice([None, "spot", "cold pool é"])
        label = f"n={count} assets={spec} pool={pool!r}"
        print(f"case {label}", flush=True)

        def pick(n, rng=rng):
            return sorted({0, n - 1, n // 2} | {rng.randrange(n) for _ in range(2)})
        check_case(report, segverify, workdir, label, csv_path, spec, pool, pick)


def worked_example(report, segverify, workdir):
    """The published fixture: same root and proof from the C++, and the files are current."""
    folder = os.path.join(SOURCE_DIR, "fixtures", "worked-example")
    csv_path = os.path.join(folder, "liabilities.csv")
    out_dir = os.path.join(workdir, "worked-example")
    result = segverify.run("tree", "build", "--liabilities", csv_path, "--assets", "BTC:8,ETH:18",
                           "--out", out_dir, "--no-shuffle", "--nonce-key", WORKED_EXAMPLE_KEY)
    if not report.expect(result.returncode == 0, f"worked example: tree build exit {result.returncode}: "
                                                 f"{result.stderr.strip()}"):
        return
    for fixture_name, produced in (("root.json", os.path.join(out_dir, "root.json")), ("proof-bob.json", None)):
        with open(os.path.join(folder, fixture_name), encoding="utf-8") as stream:
            fixture = json.load(stream)
        if produced:
            with open(produced, encoding="utf-8") as stream:
                cpp = json.load(stream)
        else:
            result = segverify.run("proof", "export", "--tree", out_dir, "--account", "bob")
            cpp = parse_json_output(report, result.stdout, "worked example proof export")
        difference = first_difference(fixture, cpp)
        report.expect(difference is None, f"worked example {fixture_name}: differs at {difference}")


BAD_LIABILITIES = [
    # (name, assets spec, csv text)
    ("negative", "BTC:8", "account_id,BTC\nalice,1\nbob,-1\n"),
    ("too many decimals", "USD:2", "account_id,USD\nalice,0.123\n"),
    ("not a number", "BTC:8", "account_id,BTC\nalice,1e5\n"),
    ("amount overflow", "X:0", f"account_id,X\nalice,{MAX_AMOUNT + 1}\n"),
    ("duplicate account id", "BTC:8", "account_id,BTC\nalice,1\nalice,2\n"),
    ("wrong column count", "BTC:8,ETH:18", "account_id,BTC,ETH\nalice,1\n"),
    ("unknown asset", "BTC:8", "account_id,BTC,XRP\nalice,1,2\n"),
    ("sum overflow", "X:0", f"account_id,X\nalice,{1 << 127}\nbob,{1 << 127}\n"),
]


def bad_inputs(report, segverify, workdir):
    for index, (name, spec, text) in enumerate(BAD_LIABILITIES):
        csv_path = os.path.join(workdir, f"bad-{index}.csv")
        with open(csv_path, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        try:
            build_reference_tree(csv_path, spec, bytes(32))
            report.expect(False, f"bad input {name}: the reference accepted it")
        except (LiabilitiesError, ValueError):
            pass
        out_dir = os.path.join(workdir, f"bad-{index}-tree")
        result = segverify.run("tree", "build", "--liabilities", csv_path, "--assets", spec,
                               "--out", out_dir, "--no-shuffle", "--nonce-key", "00" * 32)
        report.expect(result.returncode == 2, f"bad input {name}: tree build exit {result.returncode}, expected 2")
        report.expect(not os.path.exists(os.path.join(out_dir, "root.json")),
                      f"bad input {name}: tree build left a root.json behind")
        if name != "sum overflow":
            report.expect(os.path.basename(csv_path) in result.stderr,
                          f"bad input {name}: error does not name the file: {result.stderr.strip()!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segverify", required=True, help="path to the segverify binary")
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--counts", default=ACCOUNT_COUNTS, help="account counts of the random trees")
    args = parser.parse_args()
    segverify = Segverify(args.segverify)
    report = Report()
    with tempfile.TemporaryDirectory(prefix="segverify-crosscheck-") as workdir:
        random_cases(report, segverify, workdir, args.seed, [int(c) for c in args.counts.split(",")])
        worked_example(report, segverify, workdir)
        bad_inputs(report, segverify, workdir)
    print(f"{report.checks} checks, {report.failures} failures")
    return 1 if report.failures or report.checks == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
