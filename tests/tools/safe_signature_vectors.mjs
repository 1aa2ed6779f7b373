// Writes tests/chain/vectors/safe-signatures-ethers.json: ERC-1271 signatures of a Safe, made with ethers 6
// (an independent implementation of EIP-712 and ECDSA: ethers.TypedDataEncoder, SigningKey), for
// verifier/chain/safe_signature.h. Run: node tests/tools/safe_signature_vectors.mjs > FILE
//
// The Safe message hash is EIP-712 over the domain {chainId, verifyingContract} and
// SafeMessage(bytes message) with message = the 32-byte EIP-191 hash of the text
// (CompatibilityFallbackHandler 1.3.0/1.4.1). Each case's "expect" is Safe's checkNSignatures rule
// applied by hand: "valid", "invalid", or "chain" (a kind only the chain can judge).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ethers = require('ethers');

const CHAIN_ID = 1n;
const SAFE = ethers.getAddress('0x8a2b1c0e5f6d7e8a9b0c1d2e3f4a5b6c7d8e9f01');
const MESSAGE = 'segverify safe signature vectors: client assets 2026-11';
const key = (label) => ethers.keccak256(ethers.toUtf8Bytes('segverify safe signature vectors ' + label));
const wallets = ['a', 'b', 'c', 'outsider'].map((l) => new ethers.Wallet(key(l)));
const [a, b, c, outsider] = wallets;
const owners = [a, b, c].map((w) => w.address);

const dataHash = ethers.hashMessage(MESSAGE);
const safeHash = ethers.TypedDataEncoder.hash({ chainId: CHAIN_ID, verifyingContract: SAFE },
                                              { SafeMessage: [{ name: 'message', type: 'bytes' }] },
                                              { message: dataHash });
const ascending = (ws) => [...ws].sort((x, y) => (BigInt(x.address) < BigInt(y.address) ? -1 : 1));
const direct = (w) => w.signingKey.sign(safeHash).serialized;
// eth_sign: the EIP-191 hash of the 32-byte Safe hash, v + 4.
const ethSign = (w) => {
  const sig = ethers.Signature.from(w.signingKey.sign(ethers.hashMessage(ethers.getBytes(safeHash))));
  return ethers.concat([sig.r, sig.s, ethers.toBeHex(sig.v + 4, 1)]);
};
const pair = ascending([a, b]);
const cases = [
  { name: 'two owners, ascending, v 27/28', threshold: 2, signature: ethers.concat(pair.map(direct)), expect: 'valid' },
  { name: 'two owners by eth_sign (v 31/32)', threshold: 2, signature: ethers.concat(pair.map(ethSign)), expect: 'valid' },
  { name: 'one direct and one eth_sign', threshold: 2, signature: ethers.concat([direct(pair[0]), ethSign(pair[1])]), expect: 'valid' },
  { name: 'two owners, descending', threshold: 2, signature: ethers.concat([...pair].reverse().map(direct)), expect: 'invalid' },
  { name: 'the same owner twice', threshold: 2, signature: ethers.concat([direct(a), direct(a)]), expect: 'invalid' },
  { name: 'an outsider among the signers', threshold: 2, signature: ethers.concat(ascending([a, outsider]).map(direct)), expect: 'invalid' },
  { name: 'fewer signatures than the threshold', threshold: 2, signature: direct(a), expect: 'invalid' },
  { name: 'one signature, threshold 1, extra bytes after it', threshold: 1, signature: ethers.concat([direct(c), '0xdeadbeef']), expect: 'valid' },
  { name: 'a contract signature (v 0)', threshold: 1, signature: ethers.concat([ethers.zeroPadValue(a.address, 32), ethers.toBeHex(65, 32), '0x00']), expect: 'chain' },
  { name: 'an approved hash (v 1)', threshold: 1, signature: ethers.concat([ethers.zeroPadValue(a.address, 32), ethers.ZeroHash, '0x01']), expect: 'chain' },
  { name: 'empty (signedMessages)', threshold: 1, signature: '0x', expect: 'chain' },
  { name: 'threshold zero (never set up)', threshold: 0, signature: direct(a), expect: 'invalid' },
];
process.stdout.write(JSON.stringify({
  source: 'tests/tools/safe_signature_vectors.mjs with ethers ' + ethers.version,
  chain_id: Number(CHAIN_ID), safe: SAFE, message: MESSAGE, eip191_hash: dataHash, safe_message_hash: safeHash,
  owners, cases,
}, null, 2) + '\n');
