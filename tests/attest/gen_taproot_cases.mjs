// Generates tests/attest/taproot_cases.json: P2TR pool and firm addresses with their "taproot"
// disclosures (docs/FORMAT.md §7) and BIP-322 key-path ownership proofs, for the Taproot cases of
// tests/attest/taproot_attest_test.cpp, made with independent implementations pinned by
// package-lock.json:
//   - bitcoinjs-lib 7.0.5 + tiny-secp256k1 2.2.4 + ecpair 3.0.2: each address from
//     payments.p2tr({internalPubkey, scriptTree}) (BIP-341 tweak and script tree hashing done by
//     bitcoinjs-lib, not by segverify), and its BIP-322 "simple" signature: to_spend/to_sign as
//     BIP-322 "Full" describes, signed on the key path with the internal key tweaked by
//     TapTweak(internal key || merkle root) (Psbt with tapInternalKey/tapMerkleRoot, signInput),
//     checked with Psbt.validateSignaturesOfInput before it is written;
//   - bip322-js 3.0.0 Signer.sign: the P2WPKH pool address of a key that is only a firm key
//     through a firm Taproot leaf (Verifier.verifySignature checks it).
// Tapscript leaves (BIP-342): "<x> OP_CHECKSIG", and miniscript's multi_a
// "<x1> OP_CHECKSIG <x2> OP_CHECKSIGADD <x3> OP_CHECKSIGADD <k> OP_NUMEQUAL".
//
// SAMPLE KEYS ONLY: private key = sha256("segverify sample key <name>") (fixtures/sample-exchange).
// Re-run: node tests/attest/gen_taproot_cases.mjs (Schnorr signatures use fresh auxiliary
// randomness, so they change on every run; addresses and expected findings do not).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { MESSAGE, require, samplePrivateKey } from '../../fixtures/sample-exchange/sample_keys.mjs';

const bitcoin = require('bitcoinjs-lib');
const ecc = require('tiny-secp256k1');
const { ECPairFactory } = require('ecpair');
const bip322 = require('bip322-js');

bitcoin.initEccLib(ecc);
const ECPair = ECPairFactory(ecc);
const here = dirname(fileURLToPath(import.meta.url));
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const pair = (name) => ECPair.fromPrivateKey(samplePrivateKey('taproot ' + name));
const xonly = (name) => Buffer.from(pair(name).publicKey).subarray(1);
const compressed = (name) => hex(pair(name).publicKey);

function sha256(data) { return createHash('sha256').update(data).digest(); }
function taggedHash(tag, data) {
  const t = sha256(Buffer.from(tag, 'utf8'));
  return sha256(Buffer.concat([t, t, data]));
}
function compactSize(n) {
  if (n < 0xfd) return Buffer.from([n]);
  throw new Error('too long');
}
function encodeWitness(items) {
  return Buffer.concat([compactSize(items.length), ...items.map((i) => Buffer.concat([compactSize(i.length), Buffer.from(i)]))]);
}

const OP_CHECKSIG = 0xac, OP_CHECKSIGADD = 0xba, OP_NUMEQUAL = 0x9c, OP_CHECKSIGVERIFY = 0xad, OP_CSV = 0xb2;
const checksig = (name) => Buffer.concat([Buffer.from([0x20]), xonly(name), Buffer.from([OP_CHECKSIG])]);
// multi_a(k, names...) with k <= 16 (OP_k).
function multiA(k, names) {
  const parts = names.map((n, i) => Buffer.concat([Buffer.from([0x20]), xonly(n), Buffer.from([i === 0 ? OP_CHECKSIG : OP_CHECKSIGADD])]));
  return Buffer.concat([...parts, Buffer.from([0x50 + k, OP_NUMEQUAL])]);
}
// A timelocked single key: "<x> OP_CHECKSIGVERIFY <144> OP_CHECKSEQUENCEVERIFY" (no shape segverify reads).
const timelocked = (name) => Buffer.concat([Buffer.from([0x20]), xonly(name), Buffer.from([OP_CHECKSIGVERIFY, 0x02, 0x90, 0x00, OP_CSV])]);

// BIP-322 to_spend for `output` and the message.
function toSpend(output) {
  const tx = new bitcoin.Transaction();
  tx.version = 0;
  tx.locktime = 0;
  const messageHash = taggedHash('BIP0322-signed-message', Buffer.from(MESSAGE, 'utf8'));
  tx.addInput(Buffer.alloc(32, 0), 0xffffffff, 0, Buffer.concat([Buffer.from([0x00, 0x20]), messageHash]));
  tx.addOutput(output, 0n);
  return tx;
}

// A key-path BIP-322 simple signature of the P2TR output, by the internal key `name` tweaked with
// the tree's merkle root (bitcoinjs-lib's hash of it).
function keyPathSignature(p2tr, name) {
  const merkleRoot = p2tr.hash;  // undefined without a tree
  const tweak = taggedHash('TapTweak', merkleRoot ? Buffer.concat([xonly(name), merkleRoot]) : xonly(name));
  const signer = pair(name).tweak(tweak);
  const spend = toSpend(p2tr.output);
  const psbt = new bitcoin.Psbt();
  psbt.setVersion(0);
  psbt.setLocktime(0);
  const input = { hash: spend.getId(), index: 0, sequence: 0, witnessUtxo: { script: p2tr.output, value: 0n },
                  tapInternalKey: xonly(name) };
  if (merkleRoot) input.tapMerkleRoot = merkleRoot;
  psbt.addInput(input);
  psbt.addOutput({ script: Buffer.from([0x6a]), value: 0n });
  psbt.signInput(0, signer);
  if (!psbt.validateSignaturesOfInput(0, (pubkey, hash, signature) => ecc.verifySchnorr(hash, pubkey, signature))) {
    throw new Error('bitcoinjs does not accept its own key-path signature');
  }
  psbt.finalizeInput(0);
  const witness = psbt.extractTransaction().ins[0].witness;
  if (witness.length !== 1) throw new Error('expected a key-path witness');
  return encodeWitness(witness).toString('base64');
}

// The tree in bitcoinjs-lib's form and in the config's ({"script","leaf_version"} or [a, b]).
const leaf = (script) => ({ output: script });
function disclosureTree(tree) {
  if (Array.isArray(tree)) return tree.map(disclosureTree);
  return { script: hex(tree.output), leaf_version: 192 };
}

// One P2TR address: its config entry (with the disclosure, or `disclosed` in its place) and proof.
function taprootEntry(internal, tree, disclosed) {
  const p2tr = bitcoin.payments.p2tr({ internalPubkey: xonly(internal), scriptTree: tree });
  const taproot = { internal_key: hex(xonly(internal)) };
  if (tree) taproot.tree = disclosureTree(tree);
  const entry = { chain: 'bitcoin', address: p2tr.address };
  if (disclosed !== null) entry.taproot = disclosed ?? taproot;
  entry.proof = { type: 'bip322', signature: keyPathSignature(p2tr, internal) };
  return entry;
}

function p2wpkhEntry(name) {
  const p2wpkh = bitcoin.payments.p2wpkh({ pubkey: pair(name).publicKey });
  const signature = bip322.Signer.sign(pair(name).toWIF(), p2wpkh.address, MESSAGE);
  if (!bip322.Verifier.verifySignature(p2wpkh.address, MESSAGE, signature)) throw new Error('bip322-js rejects ' + name);
  return { chain: 'bitcoin', address: p2wpkh.address, proof: { type: 'bip322', signature } };
}

// Firm keys (config "firm.keys", compressed SEC: the x-only keys below are the same x).
const firmKeys = ['firm-a', 'firm-b', 'firm-c'].map(compressed);

const cases = {
  internal_firm_key: {
    expect: 'firm-control (error): the internal key is a firm key',
    entry: taprootEntry('firm-a', undefined),
  },
  leaf_firm_key: {
    expect: 'firm-control (error): a leaf <firm key> OP_CHECKSIG',
    entry: taprootEntry('pool-1', [leaf(checksig('pool-2')), leaf(checksig('firm-b'))]),
  },
  multi_a_firm_threshold: {
    expect: 'firm-control (error): a multi_a 2-of-3 leaf with two firm keys',
    entry: taprootEntry('pool-3', leaf(multiA(2, ['firm-a', 'pool-4', 'firm-c']))),
  },
  multi_a_below_threshold: {
    expect: 'shared-key (info): a multi_a 2-of-3 leaf with one firm key',
    entry: taprootEntry('pool-5', leaf(multiA(2, ['pool-6', 'firm-b', 'pool-7']))),
  },
  clean_tree: {
    expect: 'no finding: internal key and leaves of pool keys only',
    entry: taprootEntry('pool-8', [leaf(checksig('pool-9')), [leaf(multiA(2, ['pool-10', 'pool-11', 'pool-12'])), leaf(checksig('pool-13'))]]),
  },
  other_leaf_shape: {
    expect: 'vault-unverified (error): a timelocked leaf',
    entry: taprootEntry('pool-14', [leaf(checksig('pool-15')), leaf(timelocked('pool-16'))]),
  },
  wrong_disclosure: {
    expect: 'ownership invalid (error): the disclosed tree is not the one committed',
    entry: taprootEntry('pool-17', leaf(checksig('pool-18')),
                        { internal_key: hex(xonly('pool-17')), tree: disclosureTree(leaf(checksig('pool-19'))) }),
  },
  no_disclosure: {
    expect: 'vault-unverified (error): a P2TR pool address without "taproot"',
    entry: taprootEntry('pool-20', undefined, null),
  },
  key_of_firm_taproot_leaf: {
    expect: 'shared-key (error): a P2WPKH pool address whose key is a leaf key of a firm Taproot address',
    entry: p2wpkhEntry('firm-leaf'),
  },
};

const firmEntries = [taprootEntry('firm-internal', [leaf(checksig('firm-leaf')), leaf(multiA(2, ['firm-m1', 'firm-m2', 'firm-m3']))])];

const out = {
  source: 'Generated by tests/attest/gen_taproot_cases.mjs with bitcoinjs-lib 7.0.5 (payments.p2tr with scriptTree, ' +
    'Psbt key-path signing with tapMerkleRoot), tiny-secp256k1 2.2.4, ecpair 3.0.2 and bip322-js 3.0.0 ' +
    '(P2WPKH). BIP-341/342: https://github.com/bitcoin/bips/blob/master/bip-0341.mediawiki, bip-0342.mediawiki. ' +
    'SAMPLE KEYS: private key = sha256("segverify sample key taproot <name>").',
  message: MESSAGE,
  firm_keys: firmKeys,
  firm_addresses: firmEntries,
  cases,
};
writeFileSync(join(here, 'taproot_cases.json'), JSON.stringify(out, null, 2) + '\n');
