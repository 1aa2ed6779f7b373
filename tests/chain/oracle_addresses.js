// Differential oracle for segverify's address codecs: bitcoinjs-lib 7.0.5 (pinned in
// package.json) derives addresses and scriptPubKeys from fresh random keys; segverify must decode
// each address to exactly these values. segverify's code computes none of the expected values.
//
// Usage: node tests/chain/oracle_addresses.js COUNT
// Prints one JSON array: [{"address","type","network","script_pubkey","program"
//                          [, "witness_script", "m", "keys" for 2-of-3 P2WSH and P2SH-P2WSH]}]
// plus a few base58 addresses with version bytes segverify must refuse ("expect_error": true).
'use strict';
const crypto = require('crypto');
const bitcoin = require('bitcoinjs-lib');
const ecc = require('tiny-secp256k1');
const { ECPairFactory } = require('ecpair');

bitcoin.initEccLib(ecc);
const ECPair = ECPairFactory(ecc);
const hex = (u8) => Buffer.from(u8).toString('hex');

const count = Number(process.argv[2] || 20);
const networks = [
  ['mainnet', bitcoin.networks.bitcoin],
  ['testnet', bitcoin.networks.testnet],
  ['regtest', bitcoin.networks.regtest],
];

function randomKey() {
  for (;;) {
    const priv = crypto.randomBytes(32);
    if (ecc.isPrivate(priv)) return ECPair.fromPrivateKey(priv, { compressed: crypto.randomInt(4) !== 0 });
  }
}
function compressedKey() {
  for (;;) {
    const priv = crypto.randomBytes(32);
    if (ecc.isPrivate(priv)) return ECPair.fromPrivateKey(priv);
  }
}

// Base58 P2PKH/P2SH on regtest use testnet's version bytes, so segverify reports them as testnet.
const base58Network = (name) => (name === 'regtest' ? 'testnet' : name);

const cases = [];
function push(type, networkName, payment, extra = {}) {
  const isBase58 = type === 'p2pkh' || type === 'p2sh';
  cases.push({
    address: payment.address,
    type,
    network: isBase58 ? base58Network(networkName) : networkName,
    script_pubkey: hex(payment.output),
    program: isBase58 ? hex(payment.hash) : hex(payment.output.subarray(2)),
    ...extra,
  });
}

for (let i = 0; i < count; ++i) {
  const [networkName, network] = networks[i % networks.length];
  const key = randomKey();
  const pubkey = key.publicKey;
  push('p2pkh', networkName, bitcoin.payments.p2pkh({ pubkey, network }));

  const segwitKey = compressedKey().publicKey;  // segwit v0 requires compressed keys
  const p2wpkh = bitcoin.payments.p2wpkh({ pubkey: segwitKey, network });
  push('p2wpkh', networkName, p2wpkh);
  push('p2sh', networkName, bitcoin.payments.p2sh({ redeem: p2wpkh, network }));
  push('p2tr', networkName, bitcoin.payments.p2tr({ internalPubkey: segwitKey.subarray(1), network }));

  const pubkeys = [compressedKey(), compressedKey(), compressedKey()].map((k) => k.publicKey);
  const p2ms = bitcoin.payments.p2ms({ m: 2, pubkeys, network });
  const p2wsh = bitcoin.payments.p2wsh({ redeem: p2ms, network });
  const policy = { witness_script: hex(p2ms.output), m: p2ms.m, keys: p2ms.pubkeys.map(hex) };
  push('p2wsh', networkName, p2wsh, policy);
  push('p2sh', networkName, bitcoin.payments.p2sh({ redeem: p2wsh, network }), policy);
}

// Base58Check with a version byte that is not Bitcoin's (0x30 = Litecoin P2PKH, 0x1e = Dogecoin):
// well-formed base58check, unknown prefix → segverify must refuse.
for (const version of [0x30, 0x1e]) {
  cases.push({ address: bitcoin.address.toBase58Check(crypto.randomBytes(20), version), expect_error: true });
}

process.stdout.write(JSON.stringify(cases) + '\n');
