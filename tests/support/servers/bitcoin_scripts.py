"""Bitcoin addresses, output scripts and output descriptors for the Bitcoin test server (stdlib only).

Everything here follows a published specification, cited where it is implemented:
  - descriptor checksum: BIP-380 (https://github.com/bitcoin/bips/blob/master/bip-0380.mediawiki,
    "Checksum"); Core's error texts for a bad checksum from src/script/descriptor.cpp CheckChecksum;
  - bech32 / bech32m segwit addresses: BIP-173 and BIP-350 reference decoder
    (https://github.com/bitcoin/bips/blob/master/bip-0350.mediawiki, "Reference implementations");
  - base58check P2PKH / P2SH addresses (version bytes 0x00 / 0x05 on mainnet);
  - the JSON of a script (asm, desc, hex, address, type) as Core's ScriptToUniv
    (src/core_io.cpp / core_write.cpp) prints it in getblock verbosity 3 and getdescriptoractivity;
    the inferred descriptor as Core's InferDescriptor: addr(...) for scripts with an address
    (no keys are known), rawtr(<x-only key>) for a P2TR output whose key is on the curve,
    raw(<hex>) otherwise.
"""
import hashlib
import re


class RpcError(Exception):
    """A JSON-RPC error as Bitcoin Core returns it (code, message)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


# Core's RPC error codes (src/rpc/protocol.h).
RPC_MISC_ERROR = -1
RPC_INVALID_ADDRESS_OR_KEY = -5
RPC_INVALID_PARAMETER = -8
RPC_METHOD_NOT_FOUND = -32601
RPC_PARSE_ERROR = -32700


def sha256(data):
    return hashlib.sha256(data).digest()


def dsha256(data):
    return sha256(sha256(data))


# ---- Descriptor checksum (BIP-380, "Checksum") ----
_INPUT_CHARSET = "0123456789()[],'/*abcdefgh@:$%{}IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~ijklmnopqrstuvwxyzABCDEFGH`#\"\\ "
_CHECKSUM_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _polymod(c, val):
    c0 = c >> 35
    c = ((c & 0x7ffffffff) << 5) ^ val
    for i, g in enumerate([0xf5dee51989, 0xa9fdca3312, 0x1bab10e32d, 0x3706b1677a, 0x644d626ffd]):
        if c0 & (1 << i):
            c ^= g
    return c


def checksum(desc):
    """The 8-character checksum of a descriptor without '#', or None if it has a character
    outside the descriptor character set."""
    c, cls, clscount = 1, 0, 0
    for ch in desc:
        pos = _INPUT_CHARSET.find(ch)
        if pos < 0:
            return None
        c = _polymod(c, pos & 31)
        cls = cls * 3 + (pos >> 5)
        clscount += 1
        if clscount == 3:
            c = _polymod(c, cls)
            cls, clscount = 0, 0
    if clscount > 0:
        c = _polymod(c, cls)
    for _ in range(8):
        c = _polymod(c, 0)
    c ^= 1
    return "".join(_CHECKSUM_CHARSET[(c >> (5 * (7 - i))) & 31] for i in range(8))


def descsum(desc):
    """The descriptor with its checksum appended."""
    return desc + "#" + checksum(desc)


# ---- bech32 / bech32m (BIP-173, BIP-350 reference code) ----
_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_CONST, _BECH32M_CONST = 1, 0x2bc830a3


def _bech32_polymod(values):
    gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
    chk = 1
    for v in values:
        b = chk >> 25
        chk = (chk & 0x1ffffff) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((b >> i) & 1) else 0
    return chk


def _hrp_expand(hrp):
    return [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp]


def _convertbits(data, frombits, tobits, pad):
    acc, bits, ret, maxv = 0, 0, [], (1 << tobits) - 1
    for value in data:
        if value < 0 or (value >> frombits):
            return None
        acc = ((acc << frombits) | value) & ((1 << (frombits + tobits - 1)) - 1)
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            ret.append((acc >> bits) & maxv)
    if pad:
        if bits:
            ret.append((acc << (tobits - bits)) & maxv)
    elif bits >= frombits or ((acc << (tobits - bits)) & maxv):
        return None
    return ret


def _decode_segwit(hrp, addr):
    if any(ord(x) < 33 or ord(x) > 126 for x in addr) or (addr.lower() != addr and addr.upper() != addr):
        return None
    addr = addr.lower()
    pos = addr.rfind("1")
    if pos < 1 or pos + 7 > len(addr) or len(addr) > 90 or addr[:pos] != hrp:
        return None
    if not all(x in _BECH32_CHARSET for x in addr[pos + 1:]):
        return None
    data = [_BECH32_CHARSET.find(x) for x in addr[pos + 1:]]
    const = _bech32_polymod(_hrp_expand(hrp) + data)
    if const not in (_BECH32_CONST, _BECH32M_CONST):
        return None
    data = data[:-6]
    if not data:
        return None
    prog = _convertbits(data[1:], 5, 8, False)
    if prog is None or len(prog) < 2 or len(prog) > 40 or data[0] > 16:
        return None
    if data[0] == 0 and len(prog) not in (20, 32):
        return None
    if (data[0] == 0) != (const == _BECH32_CONST):
        return None
    return data[0], bytes(prog)


def _encode_segwit(hrp, version, prog):
    data = [version] + _convertbits(prog, 8, 5, True)
    const = _BECH32_CONST if version == 0 else _BECH32M_CONST
    polymod = _bech32_polymod(_hrp_expand(hrp) + data + [0] * 6) ^ const
    data += [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_BECH32_CHARSET[d] for d in data)


# ---- base58check ----
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _b58decode_check(s):
    n = 0
    for ch in s:
        idx = _B58.find(ch)
        if idx < 0:
            return None
        n = n * 58 + idx
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    raw = b"\0" * (len(s) - len(s.lstrip("1"))) + raw
    if len(raw) < 5 or dsha256(raw[:-4])[:4] != raw[-4:]:
        return None
    return raw[:-4]


def _b58encode_check(payload):
    raw = payload + dsha256(payload)[:4]
    n = int.from_bytes(raw, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


HRP = "bc"  # mainnet only, like the chain files


def address_to_script(address):
    """The scriptPubKey (hex) of a mainnet address, or None if it is not a valid one."""
    seg = _decode_segwit(HRP, address)
    if seg:
        version, prog = seg
        return ("00" if version == 0 else "%02x" % (0x50 + version)) + "%02x" % len(prog) + prog.hex()
    payload = _b58decode_check(address)
    if payload and len(payload) == 21 and payload[0] == 0x00:
        return "76a914" + payload[1:].hex() + "88ac"
    if payload and len(payload) == 21 and payload[0] == 0x05:
        return "a914" + payload[1:].hex() + "87"
    return None


# ---- Script to JSON (Core's ScriptToUniv) ----
_P = 2 ** 256 - 2 ** 32 - 977  # secp256k1 field


def _xonly_on_curve(xbytes):
    x = int.from_bytes(xbytes, "big")
    return x < _P and pow((x ** 3 + 7) % _P, (_P - 1) // 2, _P) == 1


def _classify(spk):
    """(type, address or None) for a scriptPubKey (bytes), with Core's type names."""
    if len(spk) == 25 and spk[:3] == b"\x76\xa9\x14" and spk[23:] == b"\x88\xac":
        return "pubkeyhash", _b58encode_check(b"\x00" + spk[3:23])
    if len(spk) == 23 and spk[:2] == b"\xa9\x14" and spk[22] == 0x87:
        return "scripthash", _b58encode_check(b"\x05" + spk[2:22])
    if 4 <= len(spk) <= 42 and (spk[0] == 0 or 0x51 <= spk[0] <= 0x60) and spk[1] == len(spk) - 2:
        version = 0 if spk[0] == 0 else spk[0] - 0x50
        prog = spk[2:]
        if version == 0 and len(prog) == 20:
            return "witness_v0_keyhash", _encode_segwit(HRP, 0, prog)
        if version == 0 and len(prog) == 32:
            return "witness_v0_scripthash", _encode_segwit(HRP, 0, prog)
        if version == 1 and len(prog) == 32:
            return "witness_v1_taproot", _encode_segwit(HRP, 1, prog)
        if version != 0:
            return "witness_unknown", _encode_segwit(HRP, version, prog)
    if spk[:1] == b"\x6a":
        return "nulldata", None
    return "nonstandard", None


_OP_NAMES = {0x4f: "-1", 0x6a: "OP_RETURN", 0x76: "OP_DUP", 0x87: "OP_EQUAL", 0x88: "OP_EQUALVERIFY",
             0xa9: "OP_HASH160", 0xac: "OP_CHECKSIG", 0xae: "OP_CHECKMULTISIG"}


def _script_num(data):
    if not data:
        return 0
    n = int.from_bytes(data, "little")
    if data[-1] & 0x80:
        return -(n & ~(0x80 << (8 * (len(data) - 1))))
    return n


def script_asm(spk):
    """Core's ScriptToAsmStr for the opcodes these chains use (pushes ≤ 4 bytes as numbers)."""
    out, i = [], 0
    while i < len(spk):
        op = spk[i]
        i += 1
        if op <= 0x4e:
            if op < 0x4c:
                size = op
            else:
                width = {0x4c: 1, 0x4d: 2, 0x4e: 4}[op]
                size = int.from_bytes(spk[i:i + width], "little")
                i += width
            data = spk[i:i + size]
            if len(data) < size:
                out.append("[error]")
                break
            i += size
            out.append(str(_script_num(data)) if size <= 4 else data.hex())
        elif 0x51 <= op <= 0x60:
            out.append(str(op - 0x50))
        else:
            out.append(_OP_NAMES.get(op, "OP_UNKNOWN"))
    return " ".join(out)


def script_json(spk_hex):
    """{"asm","desc","hex","address"?,"type"} of a scriptPubKey, in Core's key order."""
    spk = bytes.fromhex(spk_hex)
    kind, address = _classify(spk)
    if kind == "witness_v1_taproot" and _xonly_on_curve(spk[2:]):
        desc = "rawtr(%s)" % spk[2:].hex()
    elif address:
        desc = "addr(%s)" % address
    else:
        desc = "raw(%s)" % spk_hex
    out = {"asm": script_asm(spk), "desc": descsum(desc), "hex": spk_hex}
    if address:
        out["address"] = address
    out["type"] = kind
    return out


# ---- Descriptors given to scantxoutset / scanblocks / getdescriptoractivity ----
def descriptor_script(scanobject):
    """The scriptPubKey (hex) of one scan object: a descriptor string or {"desc": ...}.

    Only addr(ADDRESS) and raw(HEX), with or without '#checksum', are supported; errors are Core's
    (src/rpc/util.cpp EvalDescriptorStringOrObject, src/script/descriptor.cpp CheckChecksum and
    ParseScript)."""
    if isinstance(scanobject, str):
        desc = scanobject
    elif isinstance(scanobject, dict):
        if scanobject.get("desc") is None:
            raise RpcError(RPC_INVALID_PARAMETER, "Descriptor needs to be provided in scan object")
        desc = scanobject["desc"]
    else:
        raise RpcError(RPC_INVALID_PARAMETER, "Scan object needs to be either a string or an object")
    parts = desc.split("#")
    if len(parts) > 2:
        raise RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Multiple '#' symbols")
    if len(parts) == 2 and len(parts[1]) != 8:
        raise RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Expected 8 character checksum, not %d characters" % len(parts[1]))
    computed = checksum(parts[0])
    if computed is None:
        raise RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Invalid characters in payload")
    if len(parts) == 2 and parts[1] != computed:
        raise RpcError(RPC_INVALID_ADDRESS_OR_KEY,
                       "Provided checksum '%s' does not match computed checksum '%s'" % (parts[1], computed))
    body = parts[0]
    m = re.fullmatch(r"addr\((.*)\)", body)
    if m:
        spk = address_to_script(m.group(1))
        if spk is None:
            raise RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Address is not valid")
        return spk
    m = re.fullmatch(r"raw\((.*)\)", body)
    if m:
        if not re.fullmatch(r"(?:[0-9a-fA-F]{2})*", m.group(1)):
            raise RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Raw script is not hex")
        return m.group(1).lower()
    raise RpcError(RPC_INVALID_ADDRESS_OR_KEY, "'%s' is not a valid descriptor function" % body)


def descriptor_scripts(scanobjects):
    """The set of scriptPubKeys (hex) of a list of scan objects."""
    if not isinstance(scanobjects, list):
        raise RpcError(RPC_MISC_ERROR, "JSON value of type %s is not of expected type array"
                       % ("null" if scanobjects is None else type(scanobjects).__name__))
    return {descriptor_script(s) for s in scanobjects}
