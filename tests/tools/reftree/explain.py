"""Human-readable walk through a tree build: every input, preimage and hash, for the docs."""

from .amounts import amount_bytes, format_amount
from .sum_tree import PADDING_COMMITMENT, leaf_preimage, node_preimage


def _sums_text(assets, sums):
    return ", ".join(f"{symbol} {format_amount(v, d)} ({v} = 0x{amount_bytes(v).hex()})"
                     for v, (symbol, d) in zip(sums, assets))


def explain_lines(nonce_key: bytes, assets: list, account_leaves: list, tree):
    yield "segverify Merkle-sum tree, step by step (docs/FORMAT.md §3)"
    yield f"nonce key K: {nonce_key.hex()}"
    yield "assets (header order): " + ", ".join(f"{s} ({d} decimals)" for s, d in assets)
    yield f"accounts: {len(account_leaves)}; height: {tree.height}; leaves: {1 << tree.height}"
    yield ""
    yield "Leaves (accounts in input order, then padding):"
    for index, account in enumerate(account_leaves):
        id_bytes = account.account_id.encode("utf-8")
        yield f"leaf {index}: account_id {account.account_id!r} (UTF-8 {id_bytes.hex()})"
        yield f"  balances:   {_sums_text(assets, account.amounts)}"
        yield f"  nonce      = HMAC-SHA256(K, account_id) = {account.nonce.hex()}"
        yield f"  commitment = SHA256(nonce || account_id) = {account.commitment.hex()}"
        yield f"  leaf preimage = 00 || C || amounts = {leaf_preimage(account.commitment, account.amounts).hex()}"
        yield f"  leaf hash  = {account.leaf.hash.hex()}"
    padding_count = (1 << tree.height) - len(account_leaves)
    if padding_count:
        padding = tree.levels[0][-1]
        yield (f"leaves {len(account_leaves)}..{(1 << tree.height) - 1}: padding "
               f"(C = 32 zero bytes, all amounts 0)")
        yield f"  leaf preimage = {leaf_preimage(PADDING_COMMITMENT, padding.sums).hex()}"
        yield f"  leaf hash  = {padding.hash.hex()}"
    for level in range(1, tree.height + 1):
        yield ""
        yield f"Level {level} (node = SHA256(01 || H_left || sums_left || H_right || sums_right)):"
        for index, node in enumerate(tree.levels[level]):
            left, right = tree.levels[level - 1][2 * index], tree.levels[level - 1][2 * index + 1]
            yield f"node {level}.{index} = parent of {level - 1}.{2 * index} and {level - 1}.{2 * index + 1}"
            yield f"  preimage = {node_preimage(left, right).hex()}"
            yield f"  hash = {node.hash.hex()}"
            yield f"  sums = {_sums_text(assets, node.sums)}"
    yield ""
    yield f"root hash: {tree.root.hash.hex()}"
    yield "root sums: " + ", ".join(f"{s} {format_amount(v, d)}" for v, (s, d) in zip(tree.root.sums, assets))
