"""Merkle-sum tree exactly as docs/FORMAT.md §3 specifies, written apart from merkle/.

- nonce      = HMAC-SHA256(K, account_id as UTF-8)
- commitment = SHA256(nonce || account_id as UTF-8)
- leaf       = SHA256(0x00 || C || a_1 || ... || a_k), amounts 16 bytes big-endian
- padding    = a leaf with C = 32 zero bytes and all amounts 0
- node       = SHA256(0x01 || H_left || sums_left || H_right || sums_right), sums = left + right
- height     = smallest h >= 1 with 2^h >= number of accounts
"""

import hashlib
import hmac
from typing import NamedTuple

from .amounts import add_sums, amount_bytes

LEAF_TAG = b"\x00"
NODE_TAG = b"\x01"
PADDING_COMMITMENT = bytes(32)


class Node(NamedTuple):
    """A tree node (or leaf) as its parent sees it: its hash and its per-asset sums."""
    hash: bytes
    sums: list


def account_nonce(nonce_key: bytes, account_id: str) -> bytes:
    return hmac.new(nonce_key, account_id.encode("utf-8"), hashlib.sha256).digest()


def account_commitment(nonce: bytes, account_id: str) -> bytes:
    return hashlib.sha256(nonce + account_id.encode("utf-8")).digest()


def leaf_preimage(commitment: bytes, amounts: list) -> bytes:
    return LEAF_TAG + commitment + b"".join(amount_bytes(a) for a in amounts)


def leaf_node(commitment: bytes, amounts: list) -> Node:
    return Node(hashlib.sha256(leaf_preimage(commitment, amounts)).digest(), list(amounts))


def node_preimage(left: Node, right: Node) -> bytes:
    def part(node):
        return node.hash + b"".join(amount_bytes(s) for s in node.sums)
    return NODE_TAG + part(left) + part(right)


def parent_node(left: Node, right: Node) -> Node:
    """Raises AmountError when a per-asset sum passes 2^128-1."""
    sums = add_sums(left.sums, right.sums)
    return Node(hashlib.sha256(node_preimage(left, right)).digest(), sums)


def tree_height(account_count: int) -> int:
    height = 1
    while (1 << height) < account_count:
        height += 1
    return height


class SumTree:
    """Every level of the tree, leaves first; levels[height] holds the root alone."""

    def __init__(self, leaves: list, asset_count: int):
        self.height = tree_height(len(leaves))
        padding = leaf_node(PADDING_COMMITMENT, [0] * asset_count)
        level = list(leaves) + [padding] * ((1 << self.height) - len(leaves))
        self.levels = [level]
        while len(level) > 1:
            level = [parent_node(level[i], level[i + 1]) for i in range(0, len(level), 2)]
            self.levels.append(level)

    @property
    def root(self) -> Node:
        return self.levels[-1][0]

    def path(self, leaf_index: int) -> list:
        """Siblings bottom-up: at level j the sibling of the node on the way up."""
        siblings = []
        for level in self.levels[:-1]:
            siblings.append(level[leaf_index ^ 1])
            leaf_index >>= 1
        return siblings


class AccountLeaf(NamedTuple):
    account_id: str
    amounts: list
    nonce: bytes
    commitment: bytes
    leaf: Node


def build_account_leaves(nonce_key: bytes, accounts: list) -> list:
    """Accounts [(id, amounts)] in leaf order -> [AccountLeaf]."""
    result = []
    for account_id, amounts in accounts:
        nonce = account_nonce(nonce_key, account_id)
        commitment = account_commitment(nonce, account_id)
        result.append(AccountLeaf(account_id, amounts, nonce, commitment,
                                  leaf_node(commitment, amounts)))
    return result
