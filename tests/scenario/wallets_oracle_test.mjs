// Checks the committed sample wallets (fixtures/sample-exchange/wallets.json) with the independent
// npm verifiers, so a stale or hand-edited fixture is caught without trusting segverify:
// bip322-js (BIP-322 P2WPKH / P2TR), bitcoinjs-message (BIP-137), ethers (EIP-191, and the vault's
// owner for ERC-1271), bitcoinjs-lib (addresses from keys and witness scripts). The broken
// variants the scenarios use must be rejected by the same verifiers.
// Usage: node tests/scenario/wallets_oracle_test.mjs   (exit 0 = every check holds)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { require } from '../../fixtures/sample-exchange/sample_keys.mjs';
import { ROOT } from './local_nodes.mjs';

const bitcoin = require('bitcoinjs-lib');
const ecc = require('tiny-secp256k1');
const bip322 = require('bip322-js');
const bitcoinMessage = require('bitcoinjs-message');
const ethers = require('ethers');
bitcoin.initEccLib(ecc);

const w = JSON.parse(readFileSync(join(ROOT, 'fixtures/sample-exchange/wallets.json'), 'utf8'));
let failures = 0;
function expect(ok, what) {
  console.log((ok ? 'ok   ' : 'FAIL ') + what);
  if (!ok) failures++;
}
const verify = (fn) => { try { return fn(); } catch { return false; } };

for (const [name, a] of Object.entries(w.addresses)) {
  const { address, proof, script } = a.entry;
  const valid = !/_stale$|_foreign$|_non_owner$/.test(name);
  const message = w.message;  // every proof is checked against this month's message
  let ok;
  if (proof.type === 'bip322' && script) {
    // P2WSH: bip322-js has no P2WSH verifier; check the address is the script's and the keys are the named ones.
    const pay = bitcoin.payments.p2wsh({ redeem: { output: Buffer.from(script, 'hex') } });
    const ms = bitcoin.payments.p2ms({ output: Buffer.from(script, 'hex') });
    ok = pay.address === address && ms.pubkeys.map((k) => Buffer.from(k).toString('hex')).join() ===
         a.keys.map((k) => w.public_keys[k]).join();
    expect(ok, name + ': P2WSH address and keys match its witness script');
    continue;
  }
  if (proof.type === 'bip322') ok = verify(() => bip322.Verifier.verifySignature(address, message, proof.signature));
  else if (proof.type === 'bip137') ok = verify(() => bitcoinMessage.verify(message, address, proof.signature));
  else if (proof.type === 'eip191') ok = verify(() => ethers.verifyMessage(message, proof.signature) === address);
  else if (proof.type === 'erc1271') ok = verify(() => ethers.verifyMessage(message, proof.signature) === a.owner);
  expect(ok === valid, name + ': ' + proof.type + ' ' + (valid ? 'accepted' : 'rejected') + ' by the npm verifier');
}
// The stale proof is a genuine signature, only over last month's message.
{
  const { address, proof } = w.addresses.spot_p2wpkh_stale.entry;
  expect(verify(() => bip322.Verifier.verifySignature(address, w.stale_message, proof.signature)),
         'spot_p2wpkh_stale: valid over the 2026-10 message');
}
// Keys behind single-key addresses are the ones wallets.json names.
for (const [name, kind] of [['spot_p2wpkh', 'p2wpkh'], ['margin_p2wpkh', 'p2wpkh'], ['firm_p2pkh', 'p2pkh'],
                            ['shared_firm_cold_p2wpkh', 'p2wpkh'], ['shared_firm_p2pkh_p2wpkh', 'p2wpkh']]) {
  const a = w.addresses[name];
  const pay = bitcoin.payments[kind]({ pubkey: Buffer.from(w.public_keys[a.keys[0]], 'hex') });
  expect(pay.address === a.entry.address, name + ': address of key ' + a.keys[0]);
}
expect(ethers.getCreateAddress({ from: w.contracts.deployer, nonce: 1 }) === w.contracts.vault, 'vault = CREATE(deployer, 1)');
expect(ethers.getCreateAddress({ from: w.contracts.deployer, nonce: 0 }) === w.contracts.USDT, 'USDT = CREATE(deployer, 0)');
process.exit(failures ? 1 : 0);
