#!/usr/bin/env python3
"""Unit tests of the Python reference tree itself (tests/tools/reference_tree.py).

Expected values are written by hand from docs/FORMAT.md's rules and examples, or were computed with
the OpenSSL CLI (an independent SHA-256/HMAC); none is produced by the code under test.
"""

import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(os.path.dirname(HERE))
TOOLS = os.path.join(SOURCE_DIR, "tests", "tools")
WORKED_EXAMPLE = os.path.join(SOURCE_DIR, "fixtures", "worked-example")
sys.path.insert(0, TOOLS)

import reference_tree  # noqa: E402
from reftree.amounts import MAX_AMOUNT, AmountError, format_amount, parse_amount  # noqa: E402
from reftree.liabilities import LiabilitiesError, read_liabilities  # noqa: E402
from reftree.sum_tree import account_commitment, account_nonce, tree_height  # noqa: E402

KEY = bytes(range(32))


def run_cli(*args):
    """(exit code, stdout, stderr) of reference_tree.py run in-process."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = reference_tree.main(list(args))
        except SystemExit as exit_:
            code = exit_.code
    return code, out.getvalue(), err.getvalue()


class AmountTest(unittest.TestCase):
    def test_parses_design_examples(self):
        self.assertEqual(parse_amount("15", 8), 1_500_000_000)
        self.assertEqual(parse_amount("0.00012", 8), 12_000)
        self.assertEqual(parse_amount("1.50", 2), 150)
        self.assertEqual(parse_amount("7", 0), 7)

    def test_limits(self):
        self.assertEqual(parse_amount("340282366920938463463374607431768211455", 0), MAX_AMOUNT)
        self.assertEqual(parse_amount("3.40282366920938463463374607431768211455", 38), MAX_AMOUNT)
        with self.assertRaisesRegex(AmountError, "overflow"):
            parse_amount("340282366920938463463374607431768211456", 0)

    def test_rejects(self):
        for text, reason in [("-1", "negative"), ("1.234", "too many decimals"), ("1e5", "not a number"),
                             ("+1", "not a number"), ("1.", "not a number"), (".5", "not a number"),
                             (" 1", "not a number"), ("1,000", "not a number"), ("\u0661", "not a number"),
                             ("0x10", "not a number")]:
            with self.subTest(text=text), self.assertRaisesRegex(AmountError, reason):
                parse_amount(text, 2)

    def test_canonical_text(self):
        self.assertEqual(format_amount(0, 8), "0")
        self.assertEqual(format_amount(100_000_000, 8), "1")
        self.assertEqual(format_amount(150_000_000, 8), "1.5")
        self.assertEqual(format_amount(1, 18), "0.000000000000000001")
        self.assertEqual(format_amount(1200, 0), "1200")
        self.assertEqual(format_amount(MAX_AMOUNT, 0), "340282366920938463463374607431768211455")


class LiabilitiesTest(unittest.TestCase):
    def write(self, text):
        handle, path = tempfile.mkstemp(suffix=".csv")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        self.addCleanup(os.remove, path)
        return path

    def test_quoting_empty_cells_and_header_order(self):
        path = self.write('account_id,ETH,BTC\r\n"a,""b""",1,\r\n\u00e9\u4e2d,,0.5\r\n')
        assets, accounts = read_liabilities(path, [("BTC", 8), ("ETH", 18)])
        self.assertEqual(assets, [("ETH", 18), ("BTC", 8)])
        self.assertEqual(accounts, [('a,"b"', [10**18, 0]), ("\u00e9\u4e2d", [0, 50_000_000])])

    def test_errors_name_file_line_and_column(self):
        cases = [("account_id,BTC\na,1\nb,-1\n", ":3:2 (BTC): negative"),
                 ("account_id,BTC\na,0.123456789\n", ":2:2 (BTC): too many decimals"),
                 ("account_id,BTC\na,1\na,2\n", ":3:1: duplicate account id"),
                 ("account_id,BTC\na,1,2\n", ":2: wrong column count"),
                 ("account_id,BTC,XRP\na,1,2\n", ":1:3: unknown asset"),
                 ("account_id\n", ":1: --assets symbol 'BTC' has no column"),
                 ("account_id,BTC\n", ": no accounts")]
        for text, message in cases:
            path = self.write(text)
            with self.subTest(message=message), self.assertRaises(LiabilitiesError) as raised:
                read_liabilities(path, [("BTC", 8)])
            self.assertIn(path + message, str(raised.exception))


class TreeTest(unittest.TestCase):
    def test_height_is_smallest_h_at_least_one(self):
        for count, height in [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (17, 5), (1000, 10), (1024, 10)]:
            self.assertEqual(tree_height(count), height, count)

    def test_nonce_and_commitment_match_openssl(self):
        # printf alice | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102...1f
        nonce = account_nonce(KEY, "alice")
        self.assertEqual(nonce.hex(), "6eefad2bed97b6d93ee663d67a44b46016b3d79dcad54ada39b61a1d14874d1b")
        # (nonce bytes; printf alice) | openssl dgst -sha256
        self.assertEqual(account_commitment(nonce, "alice").hex(),
                         "1e765cfaac753d46651f674c1323f64777e04cf95e1da256c575ae2bc20e9426")

    def test_worked_example_files_are_current(self):
        # The fixtures must be exactly what the README's commands produce (regression guard); their
        # root hash is checked independently by worked_example_openssl.sh.
        base = ["--liabilities", os.path.join(WORKED_EXAMPLE, "liabilities.csv"),
                "--assets", "BTC:8,ETH:18", "--nonce-key", KEY.hex()]
        for name, args in [("explain.txt", ["explain"]), ("root.json", ["root", "--pool", "default", "--pretty"]),
                           ("proof-bob.json", ["proof", "--account", "bob", "--pretty"])]:
            code, out, _ = run_cli(*args, *base)
            self.assertEqual(code, 0)
            with open(os.path.join(WORKED_EXAMPLE, name), encoding="utf-8") as stream:
                self.assertEqual(out, stream.read(), name)


class VerifyTest(unittest.TestCase):
    def setUp(self):
        with open(os.path.join(WORKED_EXAMPLE, "proof-bob.json"), encoding="utf-8") as stream:
            self.proof = json.load(stream)
        self.root_hash = "af5a0c2daf83751f2cbad37397b745d0ea68fa2de110ef167d9456f2d2b971dc"  # openssl script
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def verify(self, document, *extra):
        path = os.path.join(self.dir.name, "proof.json")
        with open(path, "w", encoding="utf-8") as stream:
            stream.write(document if isinstance(document, str) else json.dumps(document))
        return run_cli("verify", path, *extra)[0]

    def test_valid_against_published_root(self):
        self.assertEqual(self.verify(self.proof, "--root-hash", self.root_hash), 0)
        self.assertEqual(self.verify(self.proof, "--root", os.path.join(WORKED_EXAMPLE, "root.json")), 0)
        self.assertEqual(self.verify(self.proof, "--root-hash", "00" * 32), 1)

    def test_tampered_fields_are_invalid(self):
        tampers = [("balances", ["0.25000001", "0"]), ("account_id", "bob "), ("leaf_index", 0),
                   ("nonce", "00" * 32)]
        for field, value in tampers:
            with self.subTest(field=field):
                self.assertEqual(self.verify(dict(self.proof, **{field: value})), 1)
        path = json.loads(json.dumps(self.proof["path"]))
        path[1]["sums"] = ["0.00000002", "2.000000000000000001"]
        self.assertEqual(self.verify(dict(self.proof, path=path)), 1)

    def test_malformed_is_exit_2(self):
        malformed = [dict(self.proof, path=self.proof["path"][:1]), dict(self.proof, leaf_index=4),
                     dict(self.proof, leaf_index=True), dict(self.proof, balances=["0.25"]),
                     dict(self.proof, extra=1), dict(self.proof, format="segverify-proof/2"),
                     dict(self.proof, nonce="zz" * 32)]
        for document in malformed:
            self.assertEqual(self.verify(document), 2)
        self.assertEqual(self.verify('{"format":"segverify-proof/1","format":"x"}'), 2)
        self.assertEqual(self.verify("[" * 100000), 2)
        self.assertEqual(self.verify(self.proof, "--root-hash", "abc"), 2)


class CommandLineTest(unittest.TestCase):
    def test_script_runs_standalone_and_reports_errors(self):
        result = subprocess.run([sys.executable, os.path.join(TOOLS, "reference_tree.py"), "root",
                                 "--liabilities", "/nonexistent.csv", "--assets", "BTC:8",
                                 "--nonce-key", KEY.hex()], capture_output=True, text=True)
        self.assertEqual(result.returncode, 2)
        self.assertIn("/nonexistent.csv", result.stderr)
        self.assertEqual(run_cli("root", "--liabilities", "x.csv", "--assets", "BTC:8",
                                 "--nonce-key", "00")[0], 2)


if __name__ == "__main__":
    unittest.main()
