"""The default (shuffled) leaf order, exactly as docs/FORMAT.md §3 "Placement order" states it,
written from that text and the SipHash paper, apart from merkle/leaf_permutation.cpp.

- shuffle key S = the first 16 bytes of HMAC-SHA256(K, "segverify/leaf-permutation")
- b = the smallest even number >= 2 with 2^b >= n; half = b / 2; mask = 2^half - 1
- round function F(r, R) = SipHash-2-4(S, one byte r, then R as 8 bytes little-endian) & mask
- one pass: L = x >> half, R = x & mask; for r in 0..3: (L, R) = (R, L ^ F(r, R)); x = L << half | R
- P(i): apply passes to i until x < n (cycle walking); the account in input row i takes leaf P(i)
"""

import hashlib
import hmac

SHUFFLE_KEY_LABEL = b"segverify/leaf-permutation"
_MASK64 = (1 << 64) - 1


def _rotl(value: int, bits: int) -> int:
    return ((value << bits) | (value >> (64 - bits))) & _MASK64


def siphash24(key: bytes, message: bytes) -> int:
    """SipHash-2-4 with 64-bit output (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
    2012, §2), written from the paper's description."""
    assert len(key) == 16
    k0 = int.from_bytes(key[:8], "little")
    k1 = int.from_bytes(key[8:], "little")
    v = [k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D, k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573]

    def sip_round():
        v[0] = (v[0] + v[1]) & _MASK64
        v[1] = _rotl(v[1], 13) ^ v[0]
        v[0] = _rotl(v[0], 32)
        v[2] = (v[2] + v[3]) & _MASK64
        v[3] = _rotl(v[3], 16) ^ v[2]
        v[0] = (v[0] + v[3]) & _MASK64
        v[3] = _rotl(v[3], 21) ^ v[0]
        v[2] = (v[2] + v[1]) & _MASK64
        v[1] = _rotl(v[1], 17) ^ v[2]
        v[2] = _rotl(v[2], 32)

    # The message padded with zeros to 8 bytes less than a multiple of 8, then its length mod 256.
    padded = message + bytes((-len(message) - 1) % 8) + bytes([len(message) & 0xFF])
    for at in range(0, len(padded), 8):
        m = int.from_bytes(padded[at:at + 8], "little")
        v[3] ^= m
        sip_round()
        sip_round()
        v[0] ^= m
    v[2] ^= 0xFF
    for _ in range(4):
        sip_round()
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def shuffle_key(nonce_key: bytes) -> bytes:
    return hmac.new(nonce_key, SHUFFLE_KEY_LABEL, hashlib.sha256).digest()[:16]


class LeafShuffle:
    """P over 0..n-1 for one shuffle key."""

    def __init__(self, n: int, key: bytes):
        self.n = n
        self.key = key
        bits = 2
        while (1 << bits) < n:
            bits += 2
        self.half = bits // 2
        self.mask = (1 << self.half) - 1

    def _round(self, r: int, right: int) -> int:
        return siphash24(self.key, bytes([r]) + right.to_bytes(8, "little")) & self.mask

    def _pass(self, x: int) -> int:
        left, right = x >> self.half, x & self.mask
        for r in range(4):
            left, right = right, left ^ self._round(r, right)
        return (left << self.half) | right

    def __call__(self, index: int) -> int:
        assert 0 <= index < self.n
        x = self._pass(index)
        while x >= self.n:
            x = self._pass(x)
        return x


def shuffled_order(nonce_key: bytes, accounts: list) -> list:
    """Accounts in input order -> the same accounts in leaf order (leaf P(i) holds input row i)."""
    shuffle = LeafShuffle(len(accounts), shuffle_key(nonce_key))
    placed = [None] * len(accounts)
    for i, account in enumerate(accounts):
        placed[shuffle(i)] = account
    return placed
