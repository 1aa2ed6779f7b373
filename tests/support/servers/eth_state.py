"""A tiny Ethereum state for the loopback test nodes (stdlib only): Keccak-256, RLP, a
Merkle-Patricia trie with EIP-1186 proofs, and block headers whose hash is Keccak-256 of their RLP.

Test scaffolding, written from the public specifications (Keccak: FIPS 202 §3 permutation with
Keccak's original 0x01 padding, as Ethereum uses it; RLP, hex-prefix and the trie: Ethereum Yellow
Paper, Appendices B-D; the header field order: docs/FORMAT.md "Proven Ethereum reads"). segverify's
own implementation is C++ (ethproof/); this one lets a fake node serve state that proves.
Self-check: `python3 eth_state.py` compares with published Keccak and trie vectors.
"""

_RC = [0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000, 0x000000000000808B,
       0x0000000080000001, 0x8000000080008081, 0x8000000000008009, 0x000000000000008A, 0x0000000000000088,
       0x0000000080008009, 0x000000008000000A, 0x000000008000808B, 0x800000000000008B, 0x8000000000008089,
       0x8000000000008003, 0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
       0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008]
_ROT = [[0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61], [28, 55, 25, 21, 56], [27, 20, 39, 8, 14]]
_MASK = (1 << 64) - 1


def _rol(x, n):
    return ((x << n) | (x >> (64 - n))) & _MASK if n else x


def _keccak_f(a):
    for rc in _RC:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rol(c[(x + 1) % 5], 1) for x in range(5)]
        a = [[a[x][y] ^ d[x] for y in range(5)] for x in range(5)]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = _rol(a[x][y], _ROT[x][y])
        a = [[b[x][y] ^ ((~b[(x + 1) % 5][y]) & b[(x + 2) % 5][y]) for y in range(5)] for x in range(5)]
        a[0][0] ^= rc
    return a


def keccak256(data):
    rate = 136
    msg = bytearray(data) + b"\x01" + b"\x00" * ((-len(data) - 1) % rate)
    msg[-1] |= 0x80
    a = [[0] * 5 for _ in range(5)]
    for off in range(0, len(msg), rate):
        block = msg[off:off + rate]
        for i in range(rate // 8):
            a[i % 5][i // 5] ^= int.from_bytes(block[8 * i:8 * i + 8], "little")
        a = _keccak_f(a)
    return b"".join(a[i % 5][i // 5].to_bytes(8, "little") for i in range(4))


def rlp(item):
    """bytes -> string item; list -> list item; int -> minimal big-endian string."""
    if isinstance(item, int):
        item = item.to_bytes((item.bit_length() + 7) // 8, "big")
    if isinstance(item, (bytes, bytearray)):
        if len(item) == 1 and item[0] < 0x80:
            return bytes(item)
        return _length(len(item), 0x80) + bytes(item)
    payload = b"".join(x.encoded if isinstance(x, _Raw) else rlp(x) for x in item)
    return _length(len(payload), 0xC0) + payload


class _Raw:
    """An already-encoded item (an embedded trie node)."""

    def __init__(self, encoded):
        self.encoded = encoded


def _length(n, base):
    if n <= 55:
        return bytes([base + n])
    digits = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([base + 55 + len(digits)]) + digits


def _nibbles(key):
    out = []
    for b in key:
        out += [b >> 4, b & 15]
    return out


def _hex_prefix(nibbles, leaf):
    flag = (2 if leaf else 0) + (len(nibbles) % 2)
    if len(nibbles) % 2:
        nibbles = [flag] + nibbles
    else:
        nibbles = [flag, 0] + nibbles
    return bytes(nibbles[i] << 4 | nibbles[i + 1] for i in range(0, len(nibbles), 2))


class Trie:
    """A Merkle-Patricia trie of {key bytes: value bytes}; secure=True hashes keys first."""

    def __init__(self, items, secure=True):
        self.secure = secure
        self.entries = sorted((_nibbles(self._key(k)), v) for k, v in items.items())
        self.root = keccak256(self._node(self.entries, 0)) if self.entries else keccak256(rlp(b""))

    def _key(self, key):
        return keccak256(key) if self.secure else key

    @staticmethod
    def _prefix(entries, depth):
        c = 0
        while all(len(p) > depth + c and p[depth + c] == entries[0][0][depth + c] for p, _ in entries):
            c += 1
        return c

    def _ref(self, node):
        return _Raw(node) if len(node) < 32 else keccak256(node)

    def _node(self, entries, depth):
        if len(entries) == 1:
            path, value = entries[0]
            return rlp([_hex_prefix(path[depth:], True), value])
        c = self._prefix(entries, depth)
        if c:
            return rlp([_hex_prefix(entries[0][0][depth:depth + c], False), self._ref(self._node(entries, depth + c))])
        slots = [b""] * 17
        for n in range(16):
            group = [e for e in entries if len(e[0]) > depth and e[0][depth] == n]
            if group:
                slots[n] = self._ref(self._node(group, depth + 1))
        for p, v in entries:
            if len(p) == depth:
                slots[16] = v
        return rlp(slots)

    def proof(self, key):
        """The nodes from the root towards `key` (EIP-1186 order), hashed ones only."""
        out = []
        if not self.entries:
            return out
        key = _nibbles(self._key(key))
        entries, depth, root = self.entries, 0, True
        while True:
            node = self._node(entries, depth)
            if root or len(node) >= 32:
                out.append(node)
            root = False
            if len(entries) == 1:
                return out
            c = self._prefix(entries, depth)
            if c:
                if key[depth:depth + c] != entries[0][0][depth:depth + c]:
                    return out
                depth += c
                continue
            if len(key) == depth:
                return out
            entries = [e for e in entries if len(e[0]) > depth and e[0][depth] == key[depth]]
            depth += 1
            if not entries:
                return out


EMPTY_CODE_HASH = keccak256(b"")
EMPTY_ROOT = keccak256(rlp(b""))


def account_rlp(balance, nonce=0):
    return rlp([nonce, balance, EMPTY_ROOT, EMPTY_CODE_HASH])


def hex0x(b):
    return "0x" + bytes(b).hex()


# Header fields in fork order (docs/FORMAT.md), up to Cancun, as a node answers them.
def header(number, timestamp, state_root, extra=b""):
    fields = [("parentHash", b"\x11" * 32), ("sha3Uncles", keccak256(rlp([]))), ("miner", b"\x00" * 20),
              ("stateRoot", state_root), ("transactionsRoot", EMPTY_ROOT), ("receiptsRoot", EMPTY_ROOT),
              ("logsBloom", b"\x00" * 256), ("difficulty", 0), ("number", number), ("gasLimit", 30_000_000),
              ("gasUsed", 0), ("timestamp", timestamp), ("extraData", extra), ("mixHash", b"\x00" * 32),
              ("nonce", b"\x00" * 8), ("baseFeePerGas", 7), ("withdrawalsRoot", EMPTY_ROOT), ("blobGasUsed", 0),
              ("excessBlobGas", 0), ("parentBeaconBlockRoot", b"\x22" * 32)]
    block_hash = keccak256(rlp([v for _, v in fields]))
    answer = {k: (hex(v) if isinstance(v, int) else hex0x(v)) for k, v in fields}
    answer["hash"] = hex0x(block_hash)
    return answer


class State:
    """Accounts without code or storage, {20-byte address: balance in wei}; any other address is
    proven absent."""

    def __init__(self, balances):
        self.balances = balances
        self.trie = Trie({a: account_rlp(b) for a, b in balances.items()})

    def get_proof(self, address, slots):
        """eth_getProof's answer for `address` (bytes) with storage `slots` (hex texts)."""
        return {"address": hex0x(address), "accountProof": [hex0x(n) for n in self.trie.proof(address)],
                "balance": hex(self.balances.get(address, 0)), "nonce": "0x0",
                "codeHash": hex0x(EMPTY_CODE_HASH), "storageHash": hex0x(EMPTY_ROOT),
                "storageProof": [{"key": s, "value": "0x0", "proof": []} for s in slots]}


if __name__ == "__main__":
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    # ethereum/tests TrieTests/trieanyorder.json "dogs"
    t = Trie({b"doe": b"reindeer", b"dog": b"puppy", b"dogglesworth": b"cat"}, secure=False)
    assert t.root.hex() == "8aad789dff2f538bca5d8ea56e8abe10f4c7ba3a5dea95fea4cd6e7c3a1168d3", t.root.hex()
    print("eth_state: self-check passed")
