// Differential oracle for segverify's ownership proofs (tests/chain/oracle_diff_test.cpp).
//
// Generates FRESH keys and signatures with independent implementations installed from npm
// (versions pinned in /work/main/package-lock.json):
//   bitcoinjs-message (BIP-137, incl. segwit and Electrum-style headers), bip322-js (BIP-322
//   P2WPKH / P2TR / legacy P2PKH), bitcoinjs-lib + tiny-secp256k1 (BIP-322 P2WSH 2-of-3 built by
//   hand: bip322-js has no P2WSH signer; P2TR SIGHASH_DEFAULT), ethers (EIP-191).
// Each valid case is also checked by the oracle's own verifier where it has one ("oracle": true).
// Tampered cases are expected to be rejected: either the oracle rejects them too, or the rule
// that rejects them is named in "rule" (e.g. docs/DESIGN.md §Ownership proofs' high-s rule,
// distinct signers).
//
// Usage: node oracle_cases.js OUT.json   — writes {"source": ..., "cases": [...]}.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const bitcoin = require('bitcoinjs-lib');
const ecc = require('tiny-secp256k1');
const { ECPairFactory } = require('ecpair');
const bitcoinMessage = require('bitcoinjs-message');
const bip322 = require('bip322-js');
const ethers = require('ethers');

bitcoin.initEccLib(ecc);
const ECPair = ECPairFactory(ecc);
const cases = [];

function add(c) {
  cases.push(Object.assign({ type: null, script: null, rule: null }, c));
}

function flipByte(base64, index) {
  const buf = Buffer.from(base64, 'base64');
  const i = index < 0 ? buf.length + index : index;
  buf[i] ^= 0x01;
  return buf.toString('base64');
}

const messages = ['segverify attestation 2026-11: client assets', '', 'line one\nline two\n', ' padded message ', 'Unicode ✓ 测试'];

// ---------------------------------------------------------------- BIP-137 (bitcoinjs-message)
for (const message of messages) {
  const key = ECPair.makeRandom();
  const keyU = ECPair.fromPrivateKey(key.privateKey, { compressed: false });
  const other = ECPair.makeRandom();
  const pub = Buffer.from(key.publicKey);
  const pubU = Buffer.from(keyU.publicKey);
  const addr = {
    p2pkh: bitcoin.payments.p2pkh({ pubkey: pub }).address,
    p2pkhU: bitcoin.payments.p2pkh({ pubkey: pubU }).address,
    p2shp2wpkh: bitcoin.payments.p2sh({ redeem: bitcoin.payments.p2wpkh({ pubkey: pub }) }).address,
    p2wpkh: bitcoin.payments.p2wpkh({ pubkey: pub }).address,
    otherP2pkh: bitcoin.payments.p2pkh({ pubkey: Buffer.from(other.publicKey) }).address,
  };
  const priv = Buffer.from(key.privateKey);
  const sig = {
    compressed: bitcoinMessage.sign(message, priv, true).toString('base64'),
    uncompressed: bitcoinMessage.sign(message, priv, false).toString('base64'),
    p2shp2wpkh: bitcoinMessage.sign(message, priv, true, { segwitType: 'p2sh(p2wpkh)' }).toString('base64'),
    p2wpkh: bitcoinMessage.sign(message, priv, true, { segwitType: 'p2wpkh' }).toString('base64'),
  };
  const ok = (a, s, electrum) => bitcoinMessage.verify(message, a, s, null, electrum === true);
  const valid = [
    ['bip137 p2pkh compressed', addr.p2pkh, sig.compressed, false],
    ['bip137 p2pkh uncompressed', addr.p2pkhU, sig.uncompressed, false],
    ['bip137 p2sh-p2wpkh', addr.p2shp2wpkh, sig.p2shp2wpkh, false],
    ['bip137 p2wpkh', addr.p2wpkh, sig.p2wpkh, false],
    ['bip137 p2wpkh electrum header', addr.p2wpkh, sig.compressed, true],
    ['bip137 p2sh-p2wpkh electrum header', addr.p2shp2wpkh, sig.compressed, true],
  ];
  for (const [name, a, s, electrum] of valid) {
    if (!ok(a, s, electrum)) throw new Error('oracle rejects its own signature: ' + name);
    add({ name, chain: 'bitcoin', address: a, message, signature: s, expect: 'valid', oracle: true });
    add({ name: name + ' (--type bip137)', chain: 'bitcoin', address: a, message, signature: s, type: 'bip137', expect: 'valid', oracle: true });
  }
  const rejected = [
    ['bip137 wrong message', addr.p2pkh, sig.compressed, message + 'x', null],
    ['bip137 wrong address', addr.otherP2pkh, sig.compressed, message, null],
    ['bip137 flipped r byte', addr.p2pkh, flipByte(sig.compressed, 5), message, null],
    ['bip137 flipped s byte', addr.p2pkh, flipByte(sig.compressed, -3), message, null],
    ['bip137 uncompressed header on compressed-key address', addr.p2pkh, sig.uncompressed, message, null],
    ['bip137 compressed header on uncompressed-key address', addr.p2pkhU, sig.compressed, message, null],
    ['bip137 p2wpkh header on p2pkh address', addr.p2pkh, sig.p2wpkh, message, 'header fixes the address kind'],
    ['bip137 p2sh-p2wpkh header on p2wpkh address', addr.p2wpkh, sig.p2shp2wpkh, message, 'header fixes the address kind'],
  ];
  if (message.trim() !== message) {
    rejected.push(['bip137 message trimmed', addr.p2pkh, sig.compressed, message.trim(), 'message hashed exactly as given']);
  }
  for (const [name, a, s, m, rule] of rejected) {
    let oracle = null;
    try { oracle = bitcoinMessage.verify(m, a, s); } catch (e) { oracle = false; }
    if (oracle && !rule) throw new Error('oracle accepts tampered case: ' + name);
    add({ name, chain: 'bitcoin', address: a, message: m, signature: s, expect: 'rejected', oracle: !oracle, rule });
  }
}

// ---------------------------------------------------------------- BIP-322 P2WPKH / P2TR / legacy (bip322-js)
for (const message of messages) {
  const key = ECPair.makeRandom();
  const other = ECPair.makeRandom();
  const pub = Buffer.from(key.publicKey);
  const addrs = {
    p2wpkh: bitcoin.payments.p2wpkh({ pubkey: pub }).address,
    p2tr: bitcoin.payments.p2tr({ internalPubkey: pub.subarray(1) }).address,
    p2pkh: bitcoin.payments.p2pkh({ pubkey: pub }).address,
  };
  const others = {
    p2wpkh: bitcoin.payments.p2wpkh({ pubkey: Buffer.from(other.publicKey) }).address,
    p2tr: bitcoin.payments.p2tr({ internalPubkey: Buffer.from(other.publicKey).subarray(1) }).address,
    p2pkh: bitcoin.payments.p2pkh({ pubkey: Buffer.from(other.publicKey) }).address,
  };
  for (const kind of ['p2wpkh', 'p2tr', 'p2pkh']) {
    const a = addrs[kind];
    const s = bip322.Signer.sign(key.toWIF(), a, message);
    if (!bip322.Verifier.verifySignature(a, message, s)) throw new Error('bip322-js rejects its own ' + kind);
    add({ name: `bip322 ${kind}`, chain: 'bitcoin', address: a, message, signature: s, expect: 'valid', oracle: true });
    add({ name: `bip322 ${kind} (--type bip322)`, chain: 'bitcoin', address: a, message, signature: s, type: 'bip322', expect: 'valid', oracle: true });
    if (kind !== 'p2pkh') {
      add({ name: `bip322 ${kind} smp prefix`, chain: 'bitcoin', address: a, message, signature: 'smp' + s, expect: 'valid', oracle: false, rule: 'BIP-322 2.0.0 prefix' });
    }
    const tampered = [
      [`bip322 ${kind} wrong message`, a, s, message + '!'],
      [`bip322 ${kind} wrong address`, others[kind], s, message],
      [`bip322 ${kind} flipped signature byte`, a, flipByte(s, kind === 'p2wpkh' ? 10 : 8), message],
    ];
    for (const [name, ta, ts, tm] of tampered) {
      let oracle;
      try { oracle = bip322.Verifier.verifySignature(ta, tm, ts); } catch (e) { oracle = false; }
      if (oracle) throw new Error('bip322-js accepts tampered case: ' + name);
      add({ name, chain: 'bitcoin', address: ta, message: tm, signature: ts, expect: 'rejected', oracle: true });
    }
  }
}

// ---------------------------------------------------------------- BIP-322 built by hand with bitcoinjs-lib
const OP_RETURN_SCRIPT = Buffer.from([0x6a]);

function toSignTx(toSpend) {
  const tx = new bitcoin.Transaction();
  tx.version = 0;
  tx.addInput(toSpend.getHash(), 0, 0);
  tx.addOutput(OP_RETURN_SCRIPT, BigInt(0));
  return tx;
}

function encodeWitness(items) {
  const parts = [varint(items.length)];
  for (const item of items) parts.push(varint(item.length), Buffer.from(item));
  return Buffer.concat(parts).toString('base64');
}

function varint(n) {
  if (n < 0xfd) return Buffer.from([n]);
  if (n <= 0xffff) return Buffer.from([0xfd, n & 0xff, n >> 8]);
  throw new Error('too long');
}

// P2TR key path with SIGHASH_DEFAULT (64 bytes) and a forbidden SIGHASH_NONE (65 bytes).
for (const message of messages.slice(0, 2)) {
  const key = ECPair.makeRandom();
  const internal = Buffer.from(key.publicKey).subarray(1);
  const pay = bitcoin.payments.p2tr({ internalPubkey: internal });
  const toSpend = bip322.BIP322.buildToSpendTx(message, Buffer.from(pay.output));
  const tweaked = key.tweak(bitcoin.crypto.taggedHash('TapTweak', internal));
  for (const [hashType, expect, suffix] of [
    [bitcoin.Transaction.SIGHASH_DEFAULT, 'valid', 'default'],
    [bitcoin.Transaction.SIGHASH_ALL, 'valid', 'all'],
    [bitcoin.Transaction.SIGHASH_NONE, 'rejected', 'none'],
  ]) {
    const tx = toSignTx(toSpend);
    const hash = tx.hashForWitnessV1(0, [pay.output], [BigInt(0)], hashType);
    let sig = Buffer.from(tweaked.signSchnorr(hash));
    if (hashType !== bitcoin.Transaction.SIGHASH_DEFAULT) sig = Buffer.concat([sig, Buffer.from([hashType])]);
    const s = encodeWitness([sig]);
    add({ name: `bip322 p2tr sighash ${suffix} (bitcoinjs-lib)`, chain: 'bitcoin', address: pay.address, message, signature: s,
          expect, oracle: false, rule: expect === 'valid' ? null : 'only SIGHASH_DEFAULT or SIGHASH_ALL' });
  }
}

// P2WSH 2-of-3 multisig (bip322-js has no P2WSH signer).
function multisigCase(message, keys, scriptKeys, signerIdx, opts) {
  const pubkeys = scriptKeys.map((k) => Buffer.from(k.publicKey));
  const ms = bitcoin.payments.p2ms({ m: 2, pubkeys, validate: false });
  const pay = bitcoin.payments.p2wsh({ redeem: ms });
  const toSpend = bip322.BIP322.buildToSpendTx(message, Buffer.from(pay.output));
  const tx = toSignTx(toSpend);
  const hash = tx.hashForWitnessV0(0, ms.output, BigInt(0), bitcoin.Transaction.SIGHASH_ALL);
  const sigs = signerIdx.map((i) => Buffer.from(bitcoin.script.signature.encode(Buffer.from(keys[i].sign(hash)), bitcoin.Transaction.SIGHASH_ALL)));
  const witness = [Buffer.alloc(0), ...sigs, Buffer.from(ms.output)];
  tx.setWitness(0, witness);
  return { address: pay.address, script: Buffer.from(ms.output).toString('hex'), simple: encodeWitness(witness),
           full: 'ful' + Buffer.from(tx.toBuffer()).toString('base64') };
}

for (const message of messages.slice(0, 3)) {
  const keys = [ECPair.makeRandom(), ECPair.makeRandom(), ECPair.makeRandom()];
  for (const pair of [[0, 1], [0, 2], [1, 2]]) {
    const c = multisigCase(message, keys, keys, pair);
    add({ name: `bip322 p2wsh 2-of-3 signers ${pair}`, chain: 'bitcoin', address: c.address, message, signature: c.simple, script: c.script, expect: 'valid', oracle: false });
    add({ name: `bip322 p2wsh 2-of-3 signers ${pair} no configured script`, chain: 'bitcoin', address: c.address, message, signature: c.simple, expect: 'valid', oracle: false });
    add({ name: `bip322 p2wsh 2-of-3 signers ${pair} full`, chain: 'bitcoin', address: c.address, message, signature: c.full, script: c.script, expect: 'valid', oracle: false });
  }
  const good = multisigCase(message, keys, keys, [0, 1]);
  const swapped = multisigCase(message, keys, keys, [1, 0]);
  add({ name: 'bip322 p2wsh swapped signers', chain: 'bitcoin', address: swapped.address, message, signature: swapped.simple, script: swapped.script, expect: 'rejected', rule: 'CHECKMULTISIG key order' });
  const dup = multisigCase(message, keys, keys, [0, 0]);
  add({ name: 'bip322 p2wsh same signer twice', chain: 'bitcoin', address: dup.address, message, signature: dup.simple, script: dup.script, expect: 'rejected', rule: 'CHECKMULTISIG consumes keys' });
  // A script that lists one key twice: consensus would accept two signatures by that key; the
  // distinct-signer rule must not.
  const dupKeyScript = multisigCase(message, keys, [keys[0], keys[0], keys[1]], [0, 0]);
  add({ name: 'bip322 p2wsh duplicated key counted twice', chain: 'bitcoin', address: dupKeyScript.address, message, signature: dupKeyScript.simple, script: dupKeyScript.script, expect: 'rejected', rule: 'distinct signers' });
  const single = multisigCase(message, keys, keys, [2]);
  add({ name: 'bip322 p2wsh one signature of two', chain: 'bitcoin', address: single.address, message, signature: single.simple, script: single.script, expect: 'rejected', rule: 'threshold' });
  add({ name: 'bip322 p2wsh wrong message', chain: 'bitcoin', address: good.address, message: message + '.', signature: good.simple, script: good.script, expect: 'rejected' });
  add({ name: 'bip322 p2wsh flipped signature byte', chain: 'bitcoin', address: good.address, message, signature: flipByte(good.simple, 12), script: good.script, expect: 'rejected' });
  const otherKeys = [ECPair.makeRandom(), keys[1], keys[2]];
  const otherScript = multisigCase(message, otherKeys, otherKeys, [1, 2]);
  add({ name: 'bip322 p2wsh configured script differs', chain: 'bitcoin', address: good.address, message, signature: good.simple, script: otherScript.script, expect: 'rejected', rule: 'configured script' });
  add({ name: 'bip322 p2wsh signature for another address', chain: 'bitcoin', address: otherScript.address, message, signature: good.simple, expect: 'rejected' });
}

// ---------------------------------------------------------------- EIP-191 (ethers)
const N = BigInt('0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141');
async function eip191() {
  for (const message of messages) {
    const wallet = ethers.Wallet.createRandom();
    const other = ethers.Wallet.createRandom();
    const sig = await wallet.signMessage(message);
    if (ethers.verifyMessage(message, sig) !== wallet.address) throw new Error('ethers rejects its own signature');
    const s = ethers.Signature.from(sig);
    add({ name: 'eip191 v=27/28', chain: 'ethereum', address: wallet.address, message, signature: sig, expect: 'valid', oracle: true });
    add({ name: 'eip191 lower-case address', chain: 'ethereum', address: wallet.address.toLowerCase(), message, signature: sig, type: 'eip191', expect: 'valid', oracle: true });
    const v01 = ethers.concat([s.r, s.s, ethers.toBeHex(s.yParity, 1)]);
    add({ name: 'eip191 v=0/1', chain: 'ethereum', address: wallet.address, message, signature: v01, expect: 'valid', oracle: true });
    // Rejected cases name their type: without one, a failed EIP-191 check is "cannot check" offline
    // (the address might be a contract wallet, which only a node can ask; ownership.h).
    // The malleable twin: s' = n - s with the other parity recovers the same key; Ethereum rejects it (EIP-2).
    const highS = ethers.concat([s.r, ethers.toBeHex(N - BigInt(s.s), 32), ethers.toBeHex(27 + (1 - s.yParity), 1)]);
    add({ name: 'eip191 high s', chain: 'ethereum', address: wallet.address, message, signature: highS, type: 'eip191', expect: 'rejected', rule: 'high-s is invalid (EIP-2)' });
    add({ name: 'eip191 wrong message', chain: 'ethereum', address: wallet.address, message: message + ' ', signature: sig, type: 'eip191', expect: 'rejected', oracle: ethers.verifyMessage(message + ' ', sig) !== wallet.address });
    add({ name: 'eip191 wrong address', chain: 'ethereum', address: other.address, message, signature: sig, type: 'eip191', expect: 'rejected', oracle: true });
    const flipped = ethers.getBytes(sig);
    flipped[40] ^= 1;
    add({ name: 'eip191 flipped byte', chain: 'ethereum', address: wallet.address, message, signature: ethers.hexlify(flipped), type: 'eip191', expect: 'rejected', oracle: true });
  }
}

eip191().then(() => {
  const out = {
    source: 'generated by tests/chain/oracle_cases.js with bitcoinjs-message 2.2.0, bip322-js 3.0.0, bitcoinjs-lib 7.0.5, tiny-secp256k1 2.2.4, ecpair 3.0.2, ethers 6.17.0 (fresh random keys every run)',
    cases,
  };
  fs.writeFileSync(process.argv[2], JSON.stringify(out, null, 1));
}).catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
