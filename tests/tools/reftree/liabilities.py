"""Liabilities CSV reader (docs/FORMAT.md §2), independent of the C++.

Header `account_id,<SYMBOL>,...`; one row per account; RFC 4180 quoting; empty cell = 0.
Every error names file, line and column.
"""

import csv

from .amounts import AmountError, parse_amount


class LiabilitiesError(ValueError):
    """Bad liabilities input; the message names file, line and column."""


def read_liabilities(path: str, assets: list):
    """Returns (assets in the header's order, [(account_id, [amounts])]) in input order.

    `assets` is the --assets list [(symbol, decimals)]. Header symbols must all be in it
    (else "unknown asset") and, failing closed, every --assets symbol must be in the header.
    """
    decimals_of = dict(assets)
    try:
        # utf-8-sig: a leading byte-order mark (spreadsheet exports) is not part of the header.
        with open(path, encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream, strict=True)
            header = next(reader, None)
            if header is None:
                raise LiabilitiesError(f"{path}: empty file, expected header account_id,<SYMBOL>,...")
            header_assets = _read_header(path, header, decimals_of)
            accounts = []
            seen_ids = set()
            for row in reader:
                line = reader.line_num
                where = f"{path}:{line}"
                if len(row) != len(header):
                    raise LiabilitiesError(
                        f"{where}: wrong column count {len(row)}, header has {len(header)}")
                account_id = row[0]
                if not account_id:
                    raise LiabilitiesError(f"{where}:1: empty account_id")
                if account_id in seen_ids:
                    raise LiabilitiesError(f"{where}:1: duplicate account id {account_id!r}")
                seen_ids.add(account_id)
                amounts = []
                for column, (cell, (symbol, decimals)) in enumerate(
                        zip(row[1:], header_assets), start=2):
                    try:
                        amounts.append(parse_amount(cell, decimals) if cell else 0)
                    except AmountError as error:
                        raise LiabilitiesError(f"{where}:{column} ({symbol}): {error}") from None
                accounts.append((account_id, amounts))
    except OSError as error:
        raise LiabilitiesError(f"{path}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise LiabilitiesError(f"{path}: not UTF-8 at byte {error.start}") from None
    except csv.Error as error:
        raise LiabilitiesError(f"{path}: CSV syntax error: {error}") from None
    if not accounts:
        raise LiabilitiesError(f"{path}: no accounts")
    return header_assets, accounts


def _read_header(path, header, decimals_of):
    if not header or header[0] != "account_id":
        raise LiabilitiesError(f"{path}:1:1: header must start with account_id")
    header_assets = []
    for column, symbol in enumerate(header[1:], start=2):
        if symbol not in decimals_of:
            raise LiabilitiesError(f"{path}:1:{column}: unknown asset {symbol!r} (not in --assets)")
        if any(symbol == s for s, _ in header_assets):
            raise LiabilitiesError(f"{path}:1:{column}: duplicate asset column {symbol!r}")
        header_assets.append((symbol, decimals_of[symbol]))
    missing = [s for s in decimals_of if all(s != h for h, _ in header_assets)]
    if missing:
        raise LiabilitiesError(f"{path}:1: --assets symbol {missing[0]!r} has no column")
    return header_assets
