#!/usr/bin/env python3
"""Independent reference implementation of the segverify Merkle-sum tree (Python 3 stdlib only).

Written from docs/FORMAT.md alone, apart from the C++ in merkle/, so that the two can be compared
bit for bit (tests/merkle/crosscheck.py). Accounts take leaves in input order (the C++ equivalent
is `segverify tree build --no-shuffle`); --nonce-key is required so results are reproducible.

  reference_tree.py root    --liabilities F.csv --assets BTC:8,ETH:18 --nonce-key HEX [--pool P]
  reference_tree.py proof   --liabilities F.csv --assets ... --nonce-key HEX --account ID [--pool P]
  reference_tree.py explain --liabilities F.csv --assets ... --nonce-key HEX
  reference_tree.py verify  PROOF.json [--root-hash HEX | --root ROOT.json]

Exit codes: 0 = done / proof valid, 1 = proof checked and invalid, 2 = bad input or usage.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from reftree.amounts import parse_assets_spec  # noqa: E402
from reftree.documents import dump_json, proof_document, root_document  # noqa: E402
from reftree.explain import explain_lines  # noqa: E402
from reftree.liabilities import read_liabilities  # noqa: E402
from reftree.proof_verify import (Proof, Root, Verdict,  # noqa: E402
                                  load_json_file, parse_hash, verify_proof)
from reftree.sum_tree import SumTree, build_account_leaves  # noqa: E402

EXIT_OK, EXIT_INVALID, EXIT_CANNOT_CHECK = 0, 1, 2


class UsageError(ValueError):
    pass


def parse_nonce_key(text: str) -> bytes:
    if len(text) != 64:
        raise UsageError("--nonce-key: expected 64 hex characters")
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise UsageError("--nonce-key: expected 64 hex characters") from None


def build_reference_tree(liabilities_path: str, assets_spec: str, nonce_key: bytes):
    """Returns (assets in header order, [AccountLeaf], SumTree); raises ValueError subclasses."""
    assets, accounts = read_liabilities(liabilities_path, parse_assets_spec(assets_spec))
    account_leaves = build_account_leaves(nonce_key, accounts)
    return assets, account_leaves, SumTree([a.leaf for a in account_leaves], len(assets))


def _build_from_args(args):
    return build_reference_tree(args.liabilities, args.assets, parse_nonce_key(args.nonce_key))


def command_root(args) -> int:
    assets, _, tree = _build_from_args(args)
    print(dump_json(root_document(assets, tree, args.pool), args.pretty))
    return EXIT_OK


def command_proof(args) -> int:
    assets, account_leaves, tree = _build_from_args(args)
    for index, account in enumerate(account_leaves):
        if account.account_id == args.account:
            print(dump_json(proof_document(args.pool, assets, tree, account, index), args.pretty))
            return EXIT_OK
    raise UsageError(f"--account: no account {args.account!r} in {args.liabilities}")


def command_explain(args) -> int:
    nonce_key = parse_nonce_key(args.nonce_key)
    assets, account_leaves, tree = build_reference_tree(args.liabilities, args.assets, nonce_key)
    for line in explain_lines(nonce_key, assets, account_leaves, tree):
        print(line)
    return EXIT_OK


def command_verify(args) -> int:
    proof = Proof(load_json_file(args.proof))
    expected_hash = parse_hash(args.root_hash, "--root-hash") if args.root_hash else None
    expected_root = Root(load_json_file(args.root)) if args.root else None
    verdict = verify_proof(proof, expected_hash, expected_root)
    if verdict is Verdict.VALID:
        print(f"valid: account {proof.account_id!r} is included under root {proof.root_hash.hex()}")
        return EXIT_OK
    print(f"invalid: {verdict.value}")
    return EXIT_INVALID


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reference_tree.py", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def tree_command(name, handler, help_text):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--liabilities", required=True, help="liabilities CSV")
        sub.add_argument("--assets", required=True, help="SYMBOL:DECIMALS,... e.g. BTC:8,ETH:18")
        sub.add_argument("--nonce-key", required=True, help="64 hex chars; nonce = HMAC-SHA256(K, id)")
        sub.add_argument("--pretty", action="store_true", help="indented JSON")
        sub.set_defaults(handler=handler)
        return sub

    root = tree_command("root", command_root, "print root.json")
    root.add_argument("--pool", help="pool name to write into root.json (optional field)")
    proof = tree_command("proof", command_proof, "print one account's inclusion proof")
    proof.add_argument("--account", required=True)
    proof.add_argument("--pool", default="default")
    tree_command("explain", command_explain, "print every intermediate value")

    verify = commands.add_parser("verify", help="verify an inclusion proof")
    verify.add_argument("proof", help="proof JSON file")
    expected = verify.add_mutually_exclusive_group()
    expected.add_argument("--root-hash", help="the published root hash (64 hex)")
    expected.add_argument("--root", help="the published root.json")
    verify.set_defaults(handler=command_verify)
    return parser


def main(argv=None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ValueError as error:  # every input error here (usage, CSV, amount, proof) is one
        print(f"reference_tree: error: {error}", file=sys.stderr)
        return EXIT_CANNOT_CHECK


if __name__ == "__main__":
    sys.exit(main())
