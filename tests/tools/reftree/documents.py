"""root.json and inclusion-proof JSON documents (docs/FORMAT.md §4 and §5)."""

import json

from .amounts import format_amount

ROOT_FORMAT = "segverify-root/1"
PROOF_FORMAT = "segverify-proof/1"


def assets_json(assets: list) -> list:
    return [{"symbol": symbol, "decimals": decimals} for symbol, decimals in assets]


def sums_json(assets: list, sums: list) -> list:
    return [format_amount(value, decimals) for value, (_, decimals) in zip(sums, assets, strict=True)]


def root_document(assets: list, tree, pool: str = None) -> dict:
    document = {"format": ROOT_FORMAT}
    if pool is not None:  # optional in segverify-root/1
        document["pool"] = pool
    document.update({"assets": assets_json(assets), "height": tree.height,
                     "hash": tree.root.hash.hex(), "sums": sums_json(assets, tree.root.sums)})
    return document


def proof_document(pool: str, assets: list, tree, account, leaf_index: int) -> dict:
    return {
        "format": PROOF_FORMAT,
        "pool": pool,
        "assets": assets_json(assets),
        "account_id": account.account_id,
        "nonce": account.nonce.hex(),
        "balances": sums_json(assets, account.amounts),
        "leaf_index": leaf_index,
        "path": [{"hash": sibling.hash.hex(), "sums": sums_json(assets, sibling.sums)}
                 for sibling in tree.path(leaf_index)],
        "root": {"hash": tree.root.hash.hex(), "sums": sums_json(assets, tree.root.sums),
                 "height": tree.height},
    }


def dump_json(document, pretty: bool = False) -> str:
    if pretty:
        return json.dumps(document, ensure_ascii=False, indent=2)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
