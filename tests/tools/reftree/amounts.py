"""Amounts: integers in an asset's smallest unit, written as decimal text in whole units.

Independent reference for docs/FORMAT.md §1: an amount is an unsigned integer at
most 2^128-1; in text it is a decimal string in whole units with at most `decimals` fractional
digits ("15", "0.00012"), no sign, exponent or separators; inside hashes it is 16 bytes
big-endian. Nothing here uses floating point.
"""

import re

MAX_AMOUNT = (1 << 128) - 1
# 10^38 < 2^128 < 10^39: a scale beyond 38 digits could not express even one whole unit.
MAX_DECIMALS = 38

# ASCII digits only (Python's str.isdigit would accept other scripts' digits).
_DECIMAL_TEXT = re.compile(r"([0-9]+)(?:\.([0-9]+))?", re.ASCII)


class AmountError(ValueError):
    """The text is not an amount; the message says why (negative, too many decimals, ...)."""


def parse_amount(text: str, decimals: int) -> int:
    """Returns the amount in smallest units, or raises AmountError naming the reason."""
    match = _DECIMAL_TEXT.fullmatch(text)
    if match is None:
        if text.startswith("-") and _DECIMAL_TEXT.fullmatch(text[1:]):
            raise AmountError(f"negative amount {text!r}")
        raise AmountError(f"not a number: {text!r}")
    whole, fraction = match.group(1), match.group(2) or ""
    if len(fraction) > decimals:
        raise AmountError(f"too many decimals in {text!r} (at most {decimals})")
    value = int(whole) * 10**decimals + int(fraction.ljust(decimals, "0") or "0")
    if value > MAX_AMOUNT:
        raise AmountError(f"amount {text!r} overflows 2^128-1 smallest units")
    return value


def format_amount(value: int, decimals: int) -> str:
    """Canonical text: no leading zeros (except "0"), no trailing fractional zeros, no bare dot."""
    if not 0 <= value <= MAX_AMOUNT:
        raise AmountError(f"amount {value} out of range")
    whole, fraction = divmod(value, 10**decimals)
    fraction_text = str(fraction).rjust(decimals, "0").rstrip("0") if decimals else ""
    return f"{whole}.{fraction_text}" if fraction_text else str(whole)


def amount_bytes(value: int) -> bytes:
    """The 16-byte big-endian form hashed into leaves and nodes."""
    return value.to_bytes(16, "big")


def add_sums(left: list, right: list) -> list:
    """Per-asset sums; raises AmountError when any total passes 2^128-1 (never wraps)."""
    totals = [a + b for a, b in zip(left, right, strict=True)]
    if any(t > MAX_AMOUNT for t in totals):
        raise AmountError("sum overflows 2^128-1 smallest units")
    return totals


def parse_assets_spec(spec: str) -> list:
    """Parses "BTC:8,ETH:18" into [("BTC", 8), ("ETH", 18)]; raises ValueError on bad text."""
    assets = []
    for item in spec.split(","):
        symbol, sep, decimals_text = item.partition(":")
        if not sep or not symbol or not re.fullmatch(r"[0-9]+", decimals_text, re.ASCII):
            raise ValueError(f"--assets: expected SYMBOL:DECIMALS, got {item!r}")
        decimals = int(decimals_text)
        if decimals > MAX_DECIMALS:
            raise ValueError(f"--assets: {symbol} decimals {decimals} above {MAX_DECIMALS}")
        if any(symbol == s for s, _ in assets):
            raise ValueError(f"--assets: duplicate symbol {symbol}")
        assets.append((symbol, decimals))
    return assets
