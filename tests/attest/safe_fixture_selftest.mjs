// Self-check of tests/attest/safe_fixture.mjs against real nodes: two anvils (chain id 1, free
// loopback ports, killed at the end whatever happens: tests/support/local_nodes.mjs), the official
// Safe 1.4.1 contracts from npm, and every claim of the fixture's output re-read from the node by
// this test's own calls and compared with values that do not come from the fixture:
//   - the canonical code hashes of docs/DESIGN.md §Contract vaults, which must also be what
//     @safe-global/safe-deployments lists (dist/assets/v1.4.1/{safe,safe_l2,safe_proxy_factory,
//     compatibility_fallback_handler}.json in the version pinned by package.json);
//   - the Safe 1.4.1 storage layout (slot 0 = singleton, contracts/common/Singleton.sol; guard and
//     fallback handler slots, contracts/base/GuardManager.sol and FallbackManager.sol);
//   - the Safe's own getters and CompatibilityFallbackHandler.getMessageHashForSafe / isValidSignature.
// Usage: node tests/attest/safe_fixture_selftest.mjs BUILD_DIR     (exit 0 = all checks passed)
import { spawnSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAnvil, stopChildren, ROOT } from '../support/local_nodes.mjs';
import { buildVaults, Node, safeArtifact } from './safe_fixture.mjs';
import { require } from '../../fixtures/sample-exchange/sample_keys.mjs';

const ethers = require('ethers');

// docs/DESIGN.md §Contract vaults.
const PROXY_141 = '0xd7d408ebcd99b2b70be43e20253d6d92a8ea8fab29bd3be7f55b10032331fb4c';
const SAFE_141 = '0x1fe2df852ba3299d6534ef416eefa406e56ced995bca886ab7a553e6d0c5e1c4';
const SAFE_L2_141 = '0xb1f926978a0f44a2c0ec8fe822418ae969bd8c3f18d61e5103100339894f81ff';
const CANONICAL_SINGLETONS = [
  '0xbba688fbdb21ad2bb58bc320638b43d94e7d100f6f3ebaab0a4e4de6304b1c2e', '0x21842597390c4c6e3c1239e434a682b054bd9548eee5e9b1d6a4482731023c0f',
  SAFE_141, SAFE_L2_141];
// Safe 1.4.1: keccak256("guard_manager.guard.address"), keccak256("fallback_manager.handler.address").
const GUARD_SLOT = '0x4a204f620c8c5ccdca3fd54d003badd85ba500436a431f0cbda4f558c93c34c8';
const FALLBACK_SLOT = '0x6c9a6c4a39284e37ed1cf53d337577d14212a4870fb976a4366c693b939918d5';
const SENTINEL = '0x0000000000000000000000000000000000000001';
const MAGIC = '0x1626ba7e';  // EIP-1271
const ETH = 10n ** 18n;

const buildDir = process.argv[2];
if (!buildDir) {
  process.stderr.write('usage: safe_fixture_selftest.mjs BUILD_DIR\n');
  process.exit(2);
}
const contractsCache = join(buildDir, 'vaults-test-contracts.json');
const FIXTURE = join(ROOT, 'tests/attest/safe_fixture.mjs');
const DEPLOYMENTS = join(ROOT, 'node_modules/@safe-global/safe-deployments');

// ---- checks -----------------------------------------------------------------------------------------
let failures = 0;
let passes = 0;
function check(name, ok, detail = '') {
  if (ok) passes++;
  else {
    failures++;
    process.stdout.write(`FAIL ${name}${detail ? ': ' + detail : ''}\n`);
  }
}
const show = (v) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? x.toString() : x));
function eq(name, actual, expected) {
  check(name, isDeepStrictEqual(actual, expected), `got ${show(actual)}, expected ${show(expected)}`);
}

const SAFE = new ethers.Interface(safeArtifact('Safe').abi);
const HANDLER = new ethers.Interface(safeArtifact('CompatibilityFallbackHandler').abi);
const FACTORY = new ethers.Interface(safeArtifact('SafeProxyFactory').abi);
const VIEWS = new ethers.Interface([
  'function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)',
  'function masterCopy() view returns (address)',
  'function decimals() view returns (uint8)',
  'function balanceOf(address) view returns (uint256)',
]);

// isValidSignature's answer, or "revert" (the handler reverts on bad owner signatures).
async function erc1271(node, vault, hash, signature, block) {
  try {
    return (await node.read(VIEWS, vault, 'isValidSignature', [hash, signature], block))[0];
  } catch (e) {
    return 'revert';
  }
}

// The owners, threshold, modules and guard a Safe answers at `block`.
async function policyAt(node, address, block) {
  const tag = ethers.toQuantity(block);
  const [owners] = await node.read(SAFE, address, 'getOwners', [], block);
  const [threshold] = await node.read(SAFE, address, 'getThreshold', [], block);
  const [modules, next] = await node.read(SAFE, address, 'getModulesPaginated', [SENTINEL, 10], block);
  return {
    owners: [...owners], threshold: Number(threshold), modules: [...modules], next,
    guard: await node.storageAddress(address, GUARD_SLOT, tag),
  };
}

// safe-deployments: the canonical entries this test relies on, and whether it lists a SafeProxy hash.
function deploymentsAsset(file) {
  const asset = JSON.parse(readFileSync(join(DEPLOYMENTS, 'dist/assets/v1.4.1', file), 'utf8'));
  return asset.deployments.canonical;
}

async function checkCanonicalContracts(node, out) {
  const version = JSON.parse(readFileSync(join(DEPLOYMENTS, 'package.json'), 'utf8')).version;
  const safe = deploymentsAsset('safe.json');
  const safeL2 = deploymentsAsset('safe_l2.json');
  const factory = deploymentsAsset('safe_proxy_factory.json');
  const handler = deploymentsAsset('compatibility_fallback_handler.json');
  eq(`safe-deployments ${version} safe.json codeHash is DESIGN's Safe 1.4.1`, safe.codeHash, SAFE_141);
  eq(`safe-deployments ${version} safe_l2.json codeHash is DESIGN's SafeL2 1.4.1`, safeL2.codeHash, SAFE_L2_141);
  for (const [name, canonical] of [['Safe', safe], ['SafeL2', safeL2], ['SafeProxyFactory', factory],
                                   ['CompatibilityFallbackHandler', handler]]) {
    eq(`${name} deployed at its canonical address`, out.safe_contracts[name].address, canonical.address);
    eq(`${name} code hash on the node`, await node.codeHash(canonical.address), canonical.codeHash);
  }
  // safe-deployments lists no SafeProxy (only its factory). If a version ever does, it must agree.
  const listed = readdirSync(join(DEPLOYMENTS, 'dist/assets/v1.4.1'))
    .map((f) => JSON.parse(readFileSync(join(DEPLOYMENTS, 'dist/assets/v1.4.1', f), 'utf8')))
    .filter((a) => a.contractName === 'SafeProxy');
  for (const a of listed) eq('safe-deployments SafeProxy codeHash', a.deployments.canonical.codeHash, PROXY_141);
  // So the proxy's hash is checked through the factory safe-deployments lists: the code that factory
  // creates proxies with, run as a creation, leaves runtime code hashing to DESIGN's SafeProxy 1.4.1.
  const [creationCode] = await node.read(FACTORY, factory.address, 'proxyCreationCode');
  eq('factory proxyCreationCode is the npm SafeProxy creation code', creationCode, safeArtifact('SafeProxy').bytecode);
  const runtime = await node.call('eth_call', [{ data: ethers.concat([creationCode, ethers.zeroPadValue(safe.address, 32)]) }, 'latest']);
  eq('runtime code of the canonical factory\'s proxy hashes to SafeProxy 1.4.1', ethers.keccak256(runtime), PROXY_141);
  eq('npm SafeProxy deployedBytecode hashes to SafeProxy 1.4.1', ethers.keccak256(safeArtifact('SafeProxy').deployedBytecode), PROXY_141);
  eq('fixture reports SafeProxy 1.4.1 hash', out.safe_contracts.SafeProxy.code_hash, PROXY_141);
  return { safe, safeL2, handler };
}

// A Safe (real proxy, canonical singleton) at the pin and, if it changed after the pin, at the end.
async function checkSafe(node, out, id, singleton, singletonHash, handler) {
  const v = out.entries[id];
  const pin = out.pin_block;
  const tag = ethers.toQuantity(pin);
  eq(`${id}: proxy code hash`, await node.codeHash(v.address, tag), PROXY_141);
  eq(`${id}: fixture's proxy_code_hash`, v.proxy_code_hash, PROXY_141);
  eq(`${id}: slot 0 holds the singleton`, await node.storageAddress(v.address, ethers.ZeroHash, tag), singleton);
  eq(`${id}: masterCopy()`, (await node.read(VIEWS, v.address, 'masterCopy', [], pin))[0], singleton);
  eq(`${id}: singleton code hash`, await node.codeHash(singleton, tag), singletonHash);
  eq(`${id}: fixture's singleton_code_hash`, v.singleton_code_hash, singletonHash);
  eq(`${id}: fallback handler slot`, await node.storageAddress(v.address, FALLBACK_SLOT, tag), handler);
  eq(`${id}: fixture's fallback_handler`, v.fallback_handler, handler);
  const atPin = await policyAt(node, v.address, pin);
  eq(`${id}: owners at the pin`, atPin.owners, v.owners);
  eq(`${id}: threshold at the pin`, atPin.threshold, v.threshold);
  eq(`${id}: modules at the pin`, atPin.modules, v.modules);
  eq(`${id}: module page ends at the sentinel`, atPin.next, SENTINEL);
  eq(`${id}: guard slot at the pin`, atPin.guard, v.guard);
  for (const s of v.signatures) await checkSignature(node, v, s, pin, handler);
  if (v.after_pin) {
    const end = await policyAt(node, v.address, out.latest_block);
    const after = v.after_pin;
    eq(`${id}: owners after the pin`, end.owners, after.owners);
    eq(`${id}: threshold after the pin`, end.threshold, after.threshold);
    eq(`${id}: modules after the pin`, end.modules, after.modules);
    eq(`${id}: guard after the pin`, end.guard, after.guard);
    eq(`${id}: balance after the pin`, String(await node.balance(v.address)), after.eth_wei);
    check(`${id}: the later actions change what the Safe answers`,
          !isDeepStrictEqual(end, atPin), show(end));
    check(`${id}: every later action is after the pin`, after.actions.every((a) => a.block > pin), show(after.actions));
  }
}

// An ERC-1271 signature: valid at the pin, computed as the handler computes it, tampering rejected.
async function checkSignature(node, v, s, pin, handler) {
  const what = `${v.address.slice(0, 8)} signs "${s.message}"`;
  eq(`${what}: hash is EIP-191`, s.message_hash, ethers.hashMessage(s.message));
  eq(`${what}: accepted at the pin`, await erc1271(node, v.address, s.message_hash, s.signature, pin), MAGIC);
  const [handlerHash] = await node.read(HANDLER, handler, 'getMessageHashForSafe',
                                        [v.address, ethers.AbiCoder.defaultAbiCoder().encode(['bytes32'], [s.message_hash])], pin);
  eq(`${what}: SafeMessage hash is the handler's`, s.safe_message_hash, handlerHash);
  eq(`${what}: signatures sorted by owner`, s.signers, [...s.signers].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
  const bytes = ethers.getBytes(s.signature);
  bytes[40] ^= 0x01;  // one bit of the first signature's s
  check(`${what}: a tampered signature is rejected`,
        (await erc1271(node, v.address, s.message_hash, ethers.hexlify(bytes), pin)) !== MAGIC);
  check(`${what}: another message is rejected`,
        (await erc1271(node, v.address, ethers.hashMessage(s.message + '!'), s.signature, pin)) !== MAGIC);
  if (s.signers.length > 1) {
    check(`${what}: fewer signatures than the threshold are rejected`,
          (await erc1271(node, v.address, s.message_hash, ethers.dataSlice(s.signature, 65), pin)) !== MAGIC);
  }
}

// ---- specs ------------------------------------------------------------------------------------------
const MESSAGE = 'Example Exchange attestation: vault test';
const SPEC_1 = {
  entries: [
    { id: 'tok6', kind: 'token', decimals: 6, mint: { 'key:alice': '5' } },
    { id: 'tok18', kind: 'token', decimals: 18 },
    // A 2-of-3 Safe: the shape of a segregated vault.
    { id: 'segregated', kind: 'safe', owners: ['key:firm', 'key:client-a', 'key:client-b'], threshold: 2,
      eth_wei: String(5n * ETH), erc20: { tok6: '2500000', tok18: String(3n * ETH) }, messages: [MESSAGE] },
    // Module and guard before the pin; after it: another module, the module drains 19 of 20 ETH,
    // an owner joins with threshold 3, the guard is removed.
    { id: 'moduled', kind: 'safe', owners: ['key:firm', 'key:client-a', 'key:client-b'], threshold: 2,
      modules: ['key:module-1'], guard: 'DebugTransactionGuard', eth_wei: String(20n * ETH), messages: [MESSAGE],
      after_pin: [{ enable_module: 'key:module-2' },
                  { module_transfer_eth: 'key:thief', module: 'key:module-1', wei: String(19n * ETH) },
                  { add_owner: 'key:client-c', threshold: 3 },
                  { set_guard: null }] },
    // SafeL2 with an owner that is itself a contract (the 2-of-3 above).
    { id: 'l2-contract-owner', kind: 'safe', singleton: 'SafeL2', owners: ['key:firm', 'contract:segregated'],
      threshold: 1, messages: [MESSAGE] },
    // Not Safes: a look-alike, and a real proxy in front of it.
    { id: 'imitation', kind: 'imitation', owners: ['key:client-a', 'key:client-b'], threshold: 2, messages: [MESSAGE] },
    { id: 'fake-singleton', kind: 'safe', singleton: 'contract:imitation', owners: ['key:client-a', 'key:client-b'],
      threshold: 2, eth_wei: String(ETH), messages: [MESSAGE] },
  ],
};

async function checkSpec1(node, out) {
  const { safe, safeL2, handler } = await checkCanonicalContracts(node, out);
  eq('singleton factory installed by its chain-1 presigned transaction', out.singleton_factory.installed_by, 'presigned transaction');
  const e = out.entries;
  await checkSafe(node, out, 'segregated', safe.address, SAFE_141, handler.address);
  await checkSafe(node, out, 'moduled', safe.address, SAFE_141, handler.address);
  await checkSafe(node, out, 'l2-contract-owner', safeL2.address, SAFE_L2_141, handler.address);
  const pin = out.pin_block;
  const keys = out.keys;
  eq('segregated: owners as set up', e.segregated.owners,
     [keys['key:firm'].address, keys['key:client-a'].address, keys['key:client-b'].address]);
  eq('segregated: no contract owners', e.segregated.contract_owners, []);
  eq('moduled: one module at the pin', e.moduled.modules, [keys['key:module-1'].address]);
  eq('moduled: guard at the pin', e.moduled.guard, out.safe_contracts.DebugTransactionGuard.address);
  eq('moduled: 20 ETH at the pin', await node.balance(e.moduled.address, ethers.toQuantity(pin)), 20n * ETH);
  eq('moduled: 1 ETH at the end', await node.balance(e.moduled.address), ETH);
  eq('moduled: the thief got 19 ETH', await node.balance(keys['key:thief'].address), 19n * ETH);
  eq('moduled: the pin signature no longer meets the raised threshold',
     await erc1271(node, e.moduled.address, e.moduled.signatures[0].message_hash, e.moduled.signatures[0].signature,
                   out.latest_block), 'revert');
  eq('l2-contract-owner: the contract owner', e['l2-contract-owner'].contract_owners, [e.segregated.address]);
  for (const [id, decimals] of [['tok6', 6], ['tok18', 18]]) {
    eq(`${id}: decimals()`, Number((await node.read(VIEWS, e[id].address, 'decimals', [], pin))[0]), decimals);
  }
  eq('tok6: balance of the segregated Safe',
     (await node.read(VIEWS, e.tok6.address, 'balanceOf', [e.segregated.address], pin))[0], 2500000n);
  eq('tok18: balance of the segregated Safe',
     (await node.read(VIEWS, e.tok18.address, 'balanceOf', [e.segregated.address], pin))[0], 3n * ETH);
  await checkLookAlikes(node, out);
}

async function checkLookAlikes(node, out) {
  const pin = out.pin_block;
  const tag = ethers.toQuantity(pin);
  const imitation = out.entries.imitation;
  const fake = out.entries['fake-singleton'];
  const imitationHash = await node.codeHash(imitation.address, tag);
  eq('imitation: fixture code_hash', imitation.code_hash, imitationHash);
  check('imitation: not a SafeProxy', imitationHash !== PROXY_141);
  check('imitation: not a canonical singleton', !CANONICAL_SINGLETONS.includes(imitationHash));
  const looks = await policyAt(node, imitation.address, pin);
  eq('imitation: answers getOwners like a Safe', looks.owners, imitation.owners);
  eq('imitation: answers getThreshold like a Safe', looks.threshold, 2);
  eq('imitation: answers "no modules" like a Safe', [looks.modules, looks.next], [[], SENTINEL]);
  eq('imitation: accepts any signature (the backdoor)',
     await erc1271(node, imitation.address, ethers.ZeroHash, '0x', pin), MAGIC);
  eq('fake-singleton: a genuine SafeProxy', await node.codeHash(fake.address, tag), PROXY_141);
  eq('fake-singleton: slot 0 holds the imitation', await node.storageAddress(fake.address, ethers.ZeroHash, tag),
     imitation.address);
  eq('fake-singleton: singleton code hash is the imitation\'s', fake.singleton_code_hash, imitationHash);
  eq('fake-singleton: answers getOwners', (await policyAt(node, fake.address, pin)).owners, fake.owners);
  eq('fake-singleton: accepts any signature', await erc1271(node, fake.address, ethers.ZeroHash, '0x01', pin), MAGIC);
}

// The second spec goes through the command line on the same node: contracts are reused, the same
// ids under another salt give new vaults, owners change before the pin, and pin_block is honoured.
function spec2(pinBlock) {
  return {
    salt: 'second', pin_block: pinBlock,
    entries: [
      { id: 'segregated', kind: 'safe', owners: ['key:firm'], threshold: 1, messages: [MESSAGE] },
      { id: 'reshaped', kind: 'safe', owners: ['key:firm', 'key:client-a', 'key:client-b'], threshold: 1,
        actions: [{ remove_owner: 'key:client-a', threshold: 1 }, { change_threshold: 2 },
                  { transfer_eth: 'key:client-b', wei: '7' }],
        eth_wei: '10', messages: [MESSAGE] },
    ],
  };
}

function runCli(url, spec, dir, name) {
  const file = join(dir, name + '.json');
  writeFileSync(file, JSON.stringify(spec));
  const r = spawnSync('node', [FIXTURE, '--rpc', url, '--spec', file, '--contracts-cache', contractsCache],
                      { encoding: 'utf8', timeout: 60000 });
  return { status: r.status, out: r.status === 0 ? JSON.parse(r.stdout) : null, stderr: r.stderr };
}

async function checkCli(node, url, first, dir) {
  const pinBlock = (await node.blockNumber()) + 30;
  const r = runCli(url, spec2(pinBlock), dir, 'spec2');
  check('CLI run succeeds', r.status === 0, r.stderr);
  if (r.status !== 0) return;
  const out = r.out;
  eq('CLI: contracts reused', out.safe_contracts, first.safe_contracts);
  eq('CLI: singleton factory already present', out.singleton_factory.installed_by, 'already present');
  eq('CLI: pin_block honoured', out.pin_block, pinBlock);
  check('CLI: another salt, another vault', out.entries.segregated.address !== first.entries.segregated.address);
  const { handler } = await checkCanonicalContracts(node, out);
  const safe = out.safe_contracts.Safe.address;
  await checkSafe(node, out, 'segregated', safe, SAFE_141, handler.address);
  await checkSafe(node, out, 'reshaped', safe, SAFE_141, handler.address);
  const keys = out.keys;
  eq('reshaped: owners after the actions before the pin', out.entries.reshaped.owners,
     [keys['key:firm'].address, keys['key:client-b'].address]);
  eq('reshaped: threshold', out.entries.reshaped.threshold, 2);
  eq('reshaped: balance', await node.balance(out.entries.reshaped.address, ethers.toQuantity(out.pin_block)), 3n);
  // Fail closed: a spec applied twice, a typo, a threshold the keys cannot meet.
  const again = runCli(url, SPEC_1, dir, 'again');
  check('CLI: the same spec twice on a node is refused', again.status === 1 && /already exists/.test(again.stderr), again.stderr);
  const typo = runCli(url, { entries: [{ id: 'x', kind: 'safe', owners: ['key:a'], threshold: 1, moduls: [] }] }, dir, 'typo');
  check('CLI: an unknown field is refused', typo.status === 1 && /unknown field "moduls"/.test(typo.stderr), typo.stderr);
  const unsignable = runCli(url, { salt: 'third', entries: [{ id: 'x', kind: 'safe', owners: ['key:a', '0x000000000000000000000000000000000000dEaD'],
                                                             threshold: 2, messages: ['m'] }] }, dir, 'unsignable');
  check('CLI: a threshold the keys cannot meet is refused', unsignable.status === 1 && /cannot meet threshold/.test(unsignable.stderr),
        unsignable.stderr);
}

// ---- main -------------------------------------------------------------------------------------------
async function main() {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'segverify-vaults-'));
  try {
    const [url, url2] = await Promise.all([startAnvil(), startAnvil()]);
    const node = new Node(url);
    const first = await buildVaults(url, SPEC_1, { contractsCache });
    await checkSpec1(node, first);
    // Determinism: the same spec on a fresh node gives the same output (block hashes aside: anvil
    // stamps blocks with the wall clock).
    const twin = await buildVaults(url2, SPEC_1, { contractsCache });
    eq('same spec, fresh node: same output', { ...twin, pin_block_hash: null }, { ...first, pin_block_hash: null });
    await checkCli(node, url, first, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await stopChildren();
  }
  process.stdout.write(`${passes} checks passed, ${failures} failed (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  process.exit(failures ? 1 : 0);
}

main().catch(async (e) => {
  process.stdout.write('FAIL ' + (e && e.stack ? e.stack : e) + '\n');
  await stopChildren();
  process.exit(1);
});
