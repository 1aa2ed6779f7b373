"""Independent inclusion-proof verifier.

Two outcomes are kept apart (docs/FORMAT.md §9):
- MalformedError: the document cannot be checked (bad JSON, missing/unknown field, wrong type,
  path length != height, leaf_index outside the tree) -> exit 2;
- a Verdict: the proof was checked; anything but Verdict.VALID -> exit 1.
Unknown fields are rejected rather than ignored (fail closed).
"""

import enum
import json
import re

from .amounts import MAX_DECIMALS, AmountError, parse_amount
from .documents import PROOF_FORMAT, ROOT_FORMAT
from .sum_tree import Node, account_commitment, leaf_node, parent_node

MAX_DOCUMENT_BYTES = 16 << 20
_HEX32 = re.compile(r"[0-9a-fA-F]{64}", re.ASCII)


class MalformedError(ValueError):
    """The input cannot be checked; the message names the field at fault."""


class Verdict(enum.Enum):
    VALID = "valid"
    ROOT_HASH_MISMATCH = "recomputed root hash differs from the proof's root hash"
    ROOT_SUMS_MISMATCH = "recomputed root sums differ from the proof's root sums"
    SUM_OVERFLOW = "a node sum passes 2^128-1"
    EXPECTED_HASH_MISMATCH = "proof's root hash is not the expected root hash"
    EXPECTED_ROOT_MISMATCH = "proof's root (height, sums or assets) differs from the given root.json"


def load_json_file(path: str):
    """Strict JSON: duplicate keys, NaN/Infinity and excessive nesting are errors."""
    try:
        with open(path, "rb") as stream:
            raw = stream.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as error:
        raise MalformedError(f"{path}: cannot read: {error.strerror}") from None
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise MalformedError(f"{path}: larger than {MAX_DOCUMENT_BYTES} bytes")
    try:
        return json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys,
                          parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise MalformedError(f"{path}: not valid JSON: {error}") from None


def _no_duplicate_keys(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _reject_constant(name):
    raise ValueError(f"{name} is not allowed")


class _Reader:
    """Typed field access on one JSON object, naming the field path in errors."""

    def __init__(self, value, where: str, keys: set, optional: set = frozenset()):
        if not isinstance(value, dict):
            raise MalformedError(f"{where}: expected an object")
        unknown = sorted(set(value) - keys - optional)
        if unknown:
            raise MalformedError(f"{where}.{unknown[0]}: unknown field")
        missing = sorted(keys - set(value))
        if missing:
            raise MalformedError(f"{where}.{missing[0]}: missing field")
        self.value, self.where = value, where

    def string(self, key: str) -> str:
        value = self.value[key]
        if not isinstance(value, str):
            raise MalformedError(f"{self.where}.{key}: expected a string")
        return value

    def integer(self, key: str, low: int, high: int) -> int:
        value = self.value[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise MalformedError(f"{self.where}.{key}: expected an integer in [{low}, {high}]")
        return value

    def hash32(self, key: str) -> bytes:
        return parse_hash(self.string(key), f"{self.where}.{key}")

    def array(self, key: str) -> list:
        value = self.value[key]
        if not isinstance(value, list):
            raise MalformedError(f"{self.where}.{key}: expected an array")
        return value

    def amounts(self, key: str, assets: list) -> list:
        texts = self.array(key)
        if len(texts) != len(assets):
            raise MalformedError(f"{self.where}.{key}: {len(texts)} amounts for {len(assets)} assets")
        result = []
        for i, (text, (_, decimals)) in enumerate(zip(texts, assets)):
            if not isinstance(text, str):
                raise MalformedError(f"{self.where}.{key}[{i}]: expected a decimal string")
            try:
                result.append(parse_amount(text, decimals))
            except AmountError as error:
                raise MalformedError(f"{self.where}.{key}[{i}]: {error}") from None
        return result

    def assets(self, key: str) -> list:
        items = self.array(key)
        if not items:
            raise MalformedError(f"{self.where}.{key}: no assets")
        result = []
        for i, item in enumerate(items):
            asset = _Reader(item, f"{self.where}.{key}[{i}]", {"symbol", "decimals"})
            symbol = asset.string("symbol")
            if not symbol or any(symbol == s for s, _ in result):
                raise MalformedError(f"{asset.where}.symbol: empty or repeated")
            result.append((symbol, asset.integer("decimals", 0, MAX_DECIMALS)))
        return result


def parse_hash(text: str, where: str) -> bytes:
    if not _HEX32.fullmatch(text):
        raise MalformedError(f"{where}: expected 64 hex digits")
    return bytes.fromhex(text)


class Proof:
    """A parsed inclusion proof; every field type- and shape-checked."""

    def __init__(self, document):
        top = _Reader(document, "proof", {"format", "pool", "assets", "account_id", "nonce",
                                          "balances", "leaf_index", "path", "root"})
        if top.string("format") != PROOF_FORMAT:
            raise MalformedError(f"proof.format: expected {PROOF_FORMAT!r}")
        self.pool = top.string("pool")
        self.assets = top.assets("assets")
        self.account_id = top.string("account_id")
        if not self.account_id:
            raise MalformedError("proof.account_id: empty")
        self.nonce = top.hash32("nonce")
        self.balances = top.amounts("balances", self.assets)
        root = _Reader(document["root"], "proof.root", {"hash", "sums", "height"})
        self.root_hash = root.hash32("hash")
        self.root_sums = root.amounts("sums", self.assets)
        self.height = root.integer("height", 1, 256)
        self.leaf_index = top.integer("leaf_index", 0, (1 << self.height) - 1)
        path = top.array("path")
        if len(path) != self.height:
            raise MalformedError(f"proof.path: {len(path)} entries, root height is {self.height}")
        self.path = []
        for i, entry in enumerate(path):
            sibling = _Reader(entry, f"proof.path[{i}]", {"hash", "sums"})
            self.path.append(Node(sibling.hash32("hash"), sibling.amounts("sums", self.assets)))


class Root:
    """A parsed root.json."""

    def __init__(self, document):
        # "pool" is optional (docs/DESIGN.md §Command line: root.json carries the pool name).
        top = _Reader(document, "root", {"format", "assets", "height", "hash", "sums"}, {"pool"})
        if top.string("format") != ROOT_FORMAT:
            raise MalformedError(f"root.format: expected {ROOT_FORMAT!r}")
        self.pool = top.string("pool") if "pool" in document else None
        self.assets = top.assets("assets")
        self.height = top.integer("height", 1, 256)
        self.hash = top.hash32("hash")
        self.sums = top.amounts("sums", self.assets)


def verify_proof(proof: Proof, expected_hash: bytes = None, expected_root: Root = None) -> Verdict:
    commitment = account_commitment(proof.nonce, proof.account_id)
    node = leaf_node(commitment, proof.balances)
    try:
        for level, sibling in enumerate(proof.path):
            is_right_child = (proof.leaf_index >> level) & 1
            node = parent_node(sibling, node) if is_right_child else parent_node(node, sibling)
    except AmountError:
        return Verdict.SUM_OVERFLOW
    if node.hash != proof.root_hash:
        return Verdict.ROOT_HASH_MISMATCH
    if node.sums != proof.root_sums:
        return Verdict.ROOT_SUMS_MISMATCH
    if expected_hash is not None and expected_hash != proof.root_hash:
        return Verdict.EXPECTED_HASH_MISMATCH
    if expected_root is not None:
        if expected_root.hash != proof.root_hash:
            return Verdict.EXPECTED_HASH_MISMATCH
        if (expected_root.height, expected_root.sums, expected_root.assets) != (
                proof.height, proof.root_sums, proof.assets):
            return Verdict.EXPECTED_ROOT_MISMATCH
    return Verdict.VALID

