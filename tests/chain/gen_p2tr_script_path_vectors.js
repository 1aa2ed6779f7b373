// Generates tests/chain/vectors/bip322-p2tr-witness-kinds.json: BIP-322 "simple" signatures
// (base64 of the to_sign witness stack) presented for P2TR addresses, made with independent
// implementations pinned by package-lock.json:
//   - bitcoinjs-lib 7.0.5 + tiny-secp256k1 2.2.4 + ecpair 3.0.2: a P2TR output with an internal
//     key and one tapscript leaf "<B> OP_CHECKSIG" (payments.p2tr with scriptTree and redeem),
//     and a genuine script-path spend of it: the BIP-322 to_sign transaction (BIP-322 "Full",
//     to_spend/to_sign built as the BIP describes) signed with Psbt.signInput (tapScriptSig) and
//     finalized (witness = [signature, leaf script, control block]).
//   - bip322-js 3.0.0 Signer.sign: a P2WPKH signature of key K (witness [ECDSA signature, K]) and
//     a P2TR key-path signature of the same K, as controls.
// Expected verdicts follow BIP-341 "Script validation rules": a witness that is not a key-path
// signature spends the output only if its control block commits to the output key.
// Re-run: node tests/chain/gen_p2tr_script_path_vectors.js (Schnorr signatures use fresh
// auxiliary randomness, so the signatures change; the verdicts do not).
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const bitcoin = require('bitcoinjs-lib');
const ecc = require('tiny-secp256k1');
const { ECPairFactory } = require('ecpair');
const { Signer } = require('bip322-js');

bitcoin.initEccLib(ecc);
const ECPair = ECPairFactory(ecc);
const root = path.resolve(__dirname, '..', '..');
const message = 'segverify attestation 2026-11: client assets';

function sha256(data) { return crypto.createHash('sha256').update(data).digest(); }
function taggedHash(tag, data) {
  const t = sha256(Buffer.from(tag, 'utf8'));
  return sha256(Buffer.concat([t, t, data]));
}
function compactSize(n) {
  if (n < 0xfd) return Buffer.from([n]);
  if (n <= 0xffff) { const b = Buffer.alloc(3); b[0] = 0xfd; b.writeUInt16LE(n, 1); return b; }
  throw new Error('too long');
}
// Consensus encoding of a witness stack, as BIP-322 "simple" carries it (then base64).
function encodeWitness(items) {
  return Buffer.concat([compactSize(items.length), ...items.map((i) => Buffer.concat([compactSize(i.length), Buffer.from(i)]))]);
}

// BIP-322 to_spend: version 0, one input spending 000...000:0xFFFFFFFF with scriptSig
// OP_0 PUSH32[message hash], one output of 0 paying the address's scriptPubKey.
function toSpend(scriptPubKey) {
  const tx = new bitcoin.Transaction();
  tx.version = 0;
  tx.locktime = 0;
  const messageHash = taggedHash('BIP0322-signed-message', Buffer.from(message, 'utf8'));
  tx.addInput(Buffer.alloc(32, 0), 0xffffffff, 0, Buffer.concat([Buffer.from([0x00, 0x20]), messageHash]));
  tx.addOutput(scriptPubKey, 0n);
  return tx;
}

// BIP-322 to_sign spending to_spend:0 by the tapscript leaf, signed with `leafKey`.
function scriptPathSignature(p2tr, leafScript, controlBlock, leafKey) {
  const spend = toSpend(p2tr.output);
  const psbt = new bitcoin.Psbt();
  psbt.setVersion(0);
  psbt.setLocktime(0);
  psbt.addInput({
    hash: spend.getId(),
    index: 0,
    sequence: 0,
    witnessUtxo: { script: p2tr.output, value: 0n },
    tapLeafScript: [{ leafVersion: 0xc0, script: leafScript, controlBlock }],
  });
  psbt.addOutput({ script: Buffer.from([0x6a]), value: 0n });
  psbt.signInput(0, leafKey);
  if (!psbt.validateSignaturesOfInput(0, (pubkey, hash, signature) => ecc.verifySchnorr(hash, pubkey, signature))) {
    throw new Error('bitcoinjs does not accept its own tapscript signature');
  }
  psbt.finalizeInput(0);
  const witness = psbt.extractTransaction().ins[0].witness;
  if (witness.length !== 3) throw new Error('expected [sig, script, control block]');
  return witness;
}

function main() {
  const key = ECPair.fromPrivateKey(Buffer.from('11'.repeat(32), 'hex'));  // K: internal key, P2WPKH key
  const leafKey = ECPair.fromPrivateKey(Buffer.from('22'.repeat(32), 'hex'));  // B: the leaf's key
  const xonly = (pair) => Buffer.from(pair.publicKey.subarray(1, 33));

  const leafScript = bitcoin.script.compile([xonly(leafKey), bitcoin.opcodes.OP_CHECKSIG]);
  const redeem = { output: leafScript, redeemVersion: 0xc0 };
  const withLeaf = bitcoin.payments.p2tr({ internalPubkey: xonly(key), scriptTree: { output: leafScript }, redeem });
  const controlBlock = withLeaf.witness[withLeaf.witness.length - 1];
  const genuine = scriptPathSignature(withLeaf, leafScript, controlBlock, leafKey);
  // The same spend with one byte of the control block's internal key changed: the block no longer
  // commits to the output key (BIP-341: Q != P + t·G), so it does not spend this address.
  const tampered = genuine.map((item) => Buffer.from(item));
  tampered[2][5] ^= 0x01;
  // A control block of 33 + 32m bytes is required; 34 bytes is none.
  const shortBlock = [genuine[0], genuine[1], Buffer.concat([genuine[2].subarray(0, 33), Buffer.from([0])])];

  const keyPathOnly = bitcoin.payments.p2tr({ internalPubkey: xonly(key) });
  const p2wpkh = bitcoin.payments.p2wpkh({ pubkey: Buffer.from(key.publicKey) });
  const wif = key.toWIF();
  const p2wpkhSignature = Signer.sign(wif, p2wpkh.address, message);
  const keyPathSignature = Signer.sign(wif, keyPathOnly.address, message);

  const cases = [
    { name: 'p2wpkh witness for the p2wpkh address (control)', address: p2wpkh.address,
      signature: p2wpkhSignature, expected: 'valid' },
    { name: 'key-path signature for the p2tr address of the same key (control)', address: keyPathOnly.address,
      signature: keyPathSignature, expected: 'valid' },
    { name: 'p2wpkh witness of the same key presented for its p2tr address', address: keyPathOnly.address,
      signature: p2wpkhSignature, expected: 'invalid' },
    { name: 'genuine script-path spend (leaf <B> OP_CHECKSIG) of a p2tr address with a script tree',
      address: withLeaf.address, signature: encodeWitness(genuine).toString('base64'), expected: 'unsupported' },
    { name: 'the same script-path spend presented for another p2tr address', address: keyPathOnly.address,
      signature: encodeWitness(genuine).toString('base64'), expected: 'invalid' },
    { name: 'script-path spend whose control block has one internal-key byte changed', address: withLeaf.address,
      signature: encodeWitness(tampered).toString('base64'), expected: 'invalid' },
    { name: 'script-path spend whose control block is 34 bytes', address: withLeaf.address,
      signature: encodeWitness(shortBlock).toString('base64'), expected: 'invalid' },
  ];
  fs.writeFileSync(path.join(root, 'tests/chain/vectors/bip322-p2tr-witness-kinds.json'), JSON.stringify({
    source: 'generated by tests/chain/gen_p2tr_script_path_vectors.js with bitcoinjs-lib 7.0.5 (payments.p2tr, ' +
      'Psbt tapLeafScript signing), tiny-secp256k1 2.2.4, ecpair 3.0.2 and bip322-js 3.0.0 (Signer.sign); ' +
      'expected verdicts from BIP-341 script validation rules',
    message,
    cases,
  }, null, 2) + '\n');
}

main();
