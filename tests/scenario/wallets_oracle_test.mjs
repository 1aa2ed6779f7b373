// Checks the committed sample wallets (fixtures/sample-exchange/wallets.json) with the independent
// npm verifiers, so a stale or hand-edited fixture is caught without trusting segverify:
// bip322-js (BIP-322 P2WPKH / P2TR), bitcoinjs-message (BIP-137), ethers (EIP-191; the Safe vault's
// owner signatures over the EIP-712 SafeMessage hash, and its CREATE2 address from the official
// artifacts), bitcoinjs-lib (addresses from keys and witness scripts). The broken variants the
// scenarios use must be rejected by the same verifiers. (The Safe itself accepts the vault's
// signature in the attest "pass" scenario, on anvil.)
// Usage: node tests/scenario/wallets_oracle_test.mjs   (exit 0 = every check holds)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { require } from '../../fixtures/sample-exchange/sample_keys.mjs';
import { ROOT } from '../support/local_nodes.mjs';

const bitcoin = require('bitcoinjs-lib');
const ecc = require('tiny-secp256k1');
const bip322 = require('bip322-js');
const bitcoinMessage = require('bitcoinjs-message');
const ethers = require('ethers');
bitcoin.initEccLib(ecc);

const w = JSON.parse(readFileSync(join(ROOT, 'fixtures/sample-exchange/wallets.json'), 'utf8'));
const readJson = (path) => JSON.parse(readFileSync(join(ROOT, 'node_modules', path), 'utf8'));
const deployment = (file) => readJson('@safe-global/safe-deployments/dist/assets/v1.4.1/' + file).deployments.canonical.address;
const artifact = (file) => readJson('@safe-global/safe-contracts/build/artifacts/contracts/' + file);

// Safe 1.4.1 CompatibilityFallbackHandler.isValidSignature(bytes32 hash, bytes sig): the owners sign
// the EIP-712 hash of SafeMessage(bytes message) with message = abi.encode(hash), hash = the EIP-191
// hash; 65-byte (r, s, v) signatures in ascending owner order. True iff every signer is an owner.
function safeSignatureByOwners(safe, owners, message, signature) {
  const safeMessageHash = ethers.TypedDataEncoder.hash({ chainId: 1, verifyingContract: safe },
                                                       { SafeMessage: [{ name: 'message', type: 'bytes' }] },
                                                       { message: ethers.hashMessage(message) });
  const bytes = ethers.getBytes(signature);
  if (bytes.length === 0 || bytes.length % 65 !== 0) return false;
  let last = 0n;
  for (let i = 0; i < bytes.length; i += 65) {
    const signer = ethers.recoverAddress(safeMessageHash, ethers.hexlify(bytes.slice(i, i + 65)));
    if (!owners.includes(signer) || BigInt(signer) <= last) return false;
    last = BigInt(signer);
  }
  return true;
}
const vaultOwners = (a) => a.safe.owners.map((k) => w.ethereum_addresses[k]);
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
  else if (proof.type === 'erc1271') ok = verify(() => safeSignatureByOwners(address, vaultOwners(a), message, proof.signature));
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
// The vault: SafeProxyFactory 1.4.1 createProxyWithNonce(Safe, setup(owners, threshold, …, handler), saltNonce)
// (contracts/proxies/SafeProxyFactory.sol: CREATE2 with salt keccak256(keccak256(initializer) ‖ saltNonce)).
{
  const v = w.addresses.spot_vault.safe;
  const initializer = new ethers.Interface(artifact('Safe.sol/Safe.json').abi).encodeFunctionData('setup', [
    vaultOwners(w.addresses.spot_vault), v.threshold, ethers.ZeroAddress, '0x',
    deployment('compatibility_fallback_handler.json'), ethers.ZeroAddress, 0, ethers.ZeroAddress]);
  const salt = ethers.solidityPackedKeccak256(['bytes32', 'uint256'], [ethers.keccak256(initializer), v.salt_nonce]);
  const initCode = ethers.concat([artifact('proxies/SafeProxy.sol/SafeProxy.json').bytecode,
                                  ethers.zeroPadValue(deployment('safe.json'), 32)]);
  const address = ethers.getCreate2Address(deployment('safe_proxy_factory.json'), salt, ethers.keccak256(initCode));
  expect(address === w.contracts.vault && address === w.addresses.spot_vault.entry.address,
         'vault = the canonical SafeProxyFactory\'s proxy for its owners, threshold and salt nonce');
}
expect(ethers.getCreateAddress({ from: w.contracts.deployer, nonce: 0 }) === w.contracts.USDT, 'USDT = CREATE(deployer, 0)');
process.exit(failures ? 1 : 0);
