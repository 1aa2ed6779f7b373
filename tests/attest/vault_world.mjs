// One Ethereum world for the contract-vault scenarios (tests/attest/vault_scenarios.cpp): anvil with
// chain id 1 (attestations are mainnet only; tests/support/local_nodes.mjs), the official Safe 1.4.1
// contracts and every Safe, look-alike and token the scenarios need, built by
// tests/attest/safe_fixture.mjs at one pinned block, and one attestation config per scenario.
//
// Usage: node tests/attest/vault_world.mjs --out DIR [--contracts-cache FILE]
// Writes DIR/world.json (safe_fixture's output) and DIR/<scenario>/{config.json,liabilities.csv}
// for every scenario below, prints exactly one line "READY DIR" on stdout, and stays up until
// stdin ends or SIGTERM (then stops anvil and waits for it; local_nodes.mjs runUntilStopped).
//
// Every scenario is an Ethereum-only attestation with one pool ("vaults") and the same firm:
//   firm.addresses: the EOA of key:firm-hot (EIP-191) and the firm's own Safe "firm_safe" (ERC-1271);
//   firm.keys: the public key of key:firm-cold.
// The firm's Ethereum addresses are therefore firm-hot, firm_safe, and firm-cold's account (from
// its key) — and each key's negation's account, which no scenario needs.
// Expected outcomes are the docs/DESIGN.md §Contract vaults rules applied by hand
// (vault_scenarios.cpp asserts them).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { require } from '../../fixtures/sample-exchange/sample_keys.mjs';
import { rpc, runUntilStopped, startAnvil } from '../support/local_nodes.mjs';
import { buildVaults, safeMessageSignature, testKey } from './safe_fixture.mjs';

const ethers = require('ethers');

export const MESSAGE = 'segverify vault scenarios 2026-11: client assets';
const ETH = 10n ** 18n;
const TWO_ETH = (2n * ETH).toString();
const TWO_127 = (1n << 127n).toString();  // two of them pass 2^128-1

// ---- the world --------------------------------------------------------------------------------------
const CUSTODIANS = ['key:cust-1', 'key:cust-2', 'key:cust-3'];
const signed = { eth_wei: TWO_ETH, messages: [MESSAGE] };
// The negation of firm-hot's private key (n - d): the same x, the other y. Its account is no
// configured firm address, but whoever holds firm-hot's key holds this one too.
const SECP256K1_N = BigInt('0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141');
const FIRM_HOT_NEGATED = '0x' + (SECP256K1_N - BigInt(testKey('firm-hot'))).toString(16).padStart(64, '0');
const MANY_MODULES = Array.from({ length: 20 }, (_, i) => '0x' + (0xa11ce000 + i).toString(16).padStart(40, '0'));
const SPEC = {
  entries: [
    { id: 'tok18', kind: 'token', decimals: 18, mint: { 'key:pool-eoa': '5000000000000000000' } },
    { id: 'big', kind: 'token', decimals: 0, mint: { 'key:big-1': TWO_127, 'key:big-2': TWO_127 } },
    // The firm's own Safe (a firm address with code): reported, never judged.
    { id: 'firm_safe', kind: 'safe', owners: ['key:firm-hot'], threshold: 1, ...signed },
    // One firm owner (firm-cold, known only by its key) of a 2-of-3 beside two custodians.
    { id: 'segregated', kind: 'safe', owners: ['key:firm-cold', 'key:cust-1', 'key:cust-2'], threshold: 2, ...signed },
    // Two firm owners (a firm address and a firm key's account) meet the threshold.
    { id: 'firm_control', kind: 'safe', owners: ['key:firm-hot', 'key:firm-cold', 'key:cust-1'], threshold: 2, ...signed },
    { id: 'firm_1of1', kind: 'safe', owners: ['key:firm-hot'], threshold: 1, ...signed },
    // Owned by the account of firm-hot's negated key, which the firm knows only from firm-hot's
    // EIP-191 ownership signature (the key recovered from it, both y parities).
    { id: 'firm_negated_key', kind: 'safe', owners: [FIRM_HOT_NEGATED], threshold: 1, ...signed },
    { id: 'module_before', kind: 'safe', owners: CUSTODIANS, threshold: 2, modules: ['key:module'], ...signed },
    // More modules than one getModulesPaginated page (segverify asks 16 at a time).
    { id: 'many_modules', kind: 'safe', owners: CUSTODIANS, threshold: 2, modules: MANY_MODULES, ...signed },
    { id: 'guarded', kind: 'safe', owners: CUSTODIANS, threshold: 2, guard: 'DebugTransactionGuard', ...signed },
    { id: 'imitation', kind: 'imitation', owners: CUSTODIANS, threshold: 2, ...signed },
    { id: 'fake_singleton', kind: 'safe', singleton: 'contract:imitation', owners: CUSTODIANS, threshold: 2, ...signed },
    // Owners that are contracts (the segregated Safe): with one firm owner they meet the threshold...
    { id: 'contract_owner_firm', kind: 'safe', owners: ['key:firm-hot', 'contract:segregated', 'key:cust-1'], threshold: 2,
      signers: ['key:firm-hot', 'key:cust-1'], ...signed },
    // ...without a firm owner they do not.
    { id: 'contract_owner', kind: 'safe', owners: ['contract:segregated', 'key:cust-1', 'key:cust-2'], threshold: 2, ...signed },
    // Backdoors an attacker would build (tests/support/contracts/SafeBackdoors.sol). A handler that answers
    // "valid" to any ERC-1271 question, picked at setup: custodians own the Safe, the handler signs.
    { id: 'rogue_handler', kind: 'contract', contract: 'RogueHandler' },
    { id: 'planter', kind: 'contract', contract: 'EntryPlanter' },
    { id: 'rogue_handler_safe', kind: 'safe', owners: CUSTODIANS, threshold: 2, fallback_handler: 'contract:rogue_handler', ...signed },
    // setup() delegatecalls the planter, which writes owners[backdoor] and modules[backdoor] (no firm
    // address: only the setup's initializer shows it).
    { id: 'setup_plant', kind: 'safe', owners: CUSTODIANS, threshold: 2, ...signed,
      setup_plant: { via: 'contract:planter', owner: 'key:backdoor', module: 'key:backdoor' } },
    // Entries written later, by a delegatecall the owners signed: firm-hot as a hidden owner of a
    // 1-of-2 (getOwners() shows custodians only), and as a hidden module of a 2-of-3.
    { id: 'later_owner', kind: 'safe', owners: ['key:cust-1', 'key:cust-2'], threshold: 1, ...signed,
      actions: [{ delegatecall_plant: 'contract:planter', owner: 'key:firm-hot' }] },
    { id: 'later_module', kind: 'safe', owners: CUSTODIANS, threshold: 2, ...signed,
      actions: [{ delegatecall_plant: 'contract:planter', module: 'key:firm-hot' }] },
  ],
};
// The second world (a second anvil): the firm's Safe and a Safe whose module arrives after the pin
// and drains it (at the pin it held 2 ETH and no module). It has a node of its own because anvil
// (1.7.1) answers eth_getProof at an earlier block hash from its LATEST state: once anything
// changes after the pin, none of that node's proofs hash to the pinned stateRoot — a node that
// answers from "latest", which proven reads must refuse. The first world never moves past its pin.
const FIRM_SAFE = SPEC.entries.find((e) => e.id === 'firm_safe');
const AFTER_PIN_SPEC = {
  entries: [
    FIRM_SAFE,
    { id: 'module_after', kind: 'safe', owners: CUSTODIANS, threshold: 2, ...signed,
      after_pin: [{ enable_module: 'key:module' }, { module_transfer_eth: 'key:thief', module: 'key:module', wei: (19n * ETH / 10n).toString() }] },
  ],
};
const EOAS = ['key:firm-hot', 'key:pool-eoa', 'key:big-1', 'key:big-2'];  // EOAs that sign with EIP-191

// ---- configs ----------------------------------------------------------------------------------------
const wallet = (world, party) => new ethers.Wallet(world.keys[party].private_key);

async function eoaEntry(world, party) {
  const w = wallet(world, party);
  return { chain: 'ethereum', address: w.address, proof: { type: 'eip191', signature: await w.signMessage(MESSAGE) } };
}

function vaultEntry(world, id) {
  const vault = world.entries[id];
  const s = vault.signatures.find((x) => x.message === MESSAGE);
  return { chain: 'ethereum', address: vault.address, proof: { type: 'erc1271', signature: s.signature } };
}

const ETH_ASSET = { symbol: 'ETH', decimals: 18, chain: 'ethereum' };

// Each scenario: pool addresses, assets (ETH by default) and liabilities (one row per asset).
async function scenarios(world) {
  const vault = (id) => vaultEntry(world, id);
  const eoa = (party) => eoaEntry(world, party);
  const tok = (decimals, address = world.entries.tok18.address) => ({ symbol: 'TOK', decimals, chain: 'ethereum', contract: address });
  const oneEth = { ETH: '1' };
  const list = {
    segregated: { pool: [vault('segregated')] },
    'firm-control': { pool: [vault('firm_control')] },
    'firm-1of1': { pool: [vault('firm_1of1')] },
    'firm-negated-key': { pool: [vault('firm_negated_key')] },
    'module-before-pin': { pool: [vault('module_before')] },
    // In the second world, whose node answers from its latest state: agreed by two sources (the
    // node's answers at the pinned hash), and proven (its proofs are refused).
    'module-after-pin': { pool: [vault('module_after')], world: 'after-pin', reads: 'agreed' },
    'module-after-pin-proven': { pool: [vault('module_after')], world: 'after-pin' },
    'many-modules': { pool: [vault('many_modules')] },
    guard: { pool: [vault('guarded')] },
    imitation: { pool: [vault('imitation')] },
    'fake-singleton': { pool: [vault('fake_singleton')] },
    'contract-owner-with-firm': { pool: [vault('contract_owner_firm')] },
    'contract-owner': { pool: [vault('contract_owner')] },
    'rogue-handler': { pool: [vault('rogue_handler_safe')] },
    'setup-plant': { pool: [vault('setup_plant')] },
    'later-owner': { pool: [vault('later_owner')] },
    'later-module': { pool: [vault('later_module')] },
    // The segregated Safe's ERC-1271 proof signed by two keys that own nothing: the Safe says
    // "invalid"; vault_scenarios.cpp also runs it behind a provider that answers "valid" to it.
    'forged-erc1271': { pool: [{ ...vault('segregated'), proof: { type: 'erc1271', signature: safeMessageSignature({
      chainId: world.chain_id, safe: world.entries.segregated.address, message: MESSAGE,
      privateKeys: [testKey('thief'), testKey('module')] }).signature } }] },
    // A contract's proof must be ERC-1271: the same Safe with an owner's EIP-191 signature.
    'eip191-for-contract': { pool: [{ ...vault('segregated'), proof: { type: 'eip191',
                                                                       signature: await wallet(world, 'key:cust-1').signMessage(MESSAGE) } }] },
    // An EOA cannot answer ERC-1271.
    'erc1271-for-eoa': { pool: [{ ...(await eoa('key:pool-eoa')), proof: { type: 'erc1271', signature: '0x' + '11'.repeat(65) } }] },
    'decimals-right': { pool: [await eoa('key:pool-eoa')], assets: [ETH_ASSET, tok(18)], liabilities: { ETH: '0', TOK: '4.5' } },
    'decimals-wrong': { pool: [await eoa('key:pool-eoa')], assets: [ETH_ASSET, tok(6)], liabilities: { ETH: '0', TOK: '4.5' } },
    // The same token in two letter cases under two symbols: a config error.
    'duplicate-contract': { pool: [await eoa('key:pool-eoa')],
                            assets: [tok(18, world.entries.tok18.address.toLowerCase()),
                                     { ...tok(18), symbol: 'TOK2' }],
                            liabilities: { TOK: '1', TOK2: '1' } },
    'second-native': { pool: [await eoa('key:pool-eoa')], assets: [ETH_ASSET, { ...ETH_ASSET, symbol: 'ETH2' }],
                       liabilities: { ETH: '0', ETH2: '0' } },
    // Two balances of 2^127: reserves past 2^128-1.
    'reserves-overflow': { pool: [await eoa('key:big-1'), await eoa('key:big-2')],
                           assets: [{ symbol: 'BIG', decimals: 0, chain: 'ethereum', contract: world.entries.big.address }],
                           liabilities: { BIG: '1' } },
    // Two accounts of 2^127 each: liabilities past 2^128-1.
    'liabilities-overflow': { pool: [await eoa('key:big-1')],
                              assets: [{ symbol: 'BIG', decimals: 0, chain: 'ethereum', contract: world.entries.big.address }],
                              liabilities: { BIG: TWO_127 }, accounts: 2 },
  };
  for (const s of Object.values(list)) {
    s.assets ??= [ETH_ASSET];
    s.liabilities ??= oneEth;
  }
  return list;
}

async function firm(world) {
  return {
    addresses: [await eoaEntry(world, 'key:firm-hot'), vaultEntry(world, 'firm_safe')],
    keys: [world.keys['key:firm-cold'].public_key],
  };
}

function liabilitiesCsv(assets, liabilities, accounts = 1) {
  const header = ['account_id', ...assets.map((a) => a.symbol)].join(',');
  const rows = [];
  for (let i = 0; i < accounts; i++) rows.push([`client-${i + 1}`, ...assets.map((a) => liabilities[a.symbol] ?? '0')].join(','));
  return [header, ...rows].join('\n') + '\n';
}

// The chain of a scenario: the first world by default; the second ("after-pin") with agreed reads
// from two sources (the same node under two spellings of its URL: the test's word, not independence).
function ethereumChain(world, s) {
  if (s.world !== 'after-pin') return { block: world.pin_block, sources: [{ type: 'ethereum', url: world.url }] };
  const after = world.after_pin_world;
  if (s.reads !== 'agreed') return { block: after.pin_block, sources: [{ type: 'ethereum', url: after.url }] };
  return { block: after.pin_block, reads: 'agreed',
           sources: [{ type: 'ethereum', url: after.url }, { type: 'ethereum', url: after.url + '/' }] };
}

async function writeScenarios(out, world) {
  const firmPart = await firm(world);
  for (const [name, s] of Object.entries(await scenarios(world))) {
    const dir = join(out, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'liabilities.csv'), liabilitiesCsv(s.assets, s.liabilities, s.accounts));
    const config = {
      format: 'segverify-attestation/1', id: 'vaults-' + name, message: MESSAGE, assets: s.assets,
      chains: { ethereum: ethereumChain(world, s) },
      pools: [{ name: 'vaults', liabilities: 'liabilities.csv', addresses: s.pool }],
      firm: firmPart,
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  }
}

// A node with the EOAs' balances (set before the pin: no block is mined) and `spec` built on it.
async function buildWorld(spec, args) {
  const url = await startAnvil();
  for (const party of EOAS) {
    await rpc(url, 'anvil_setBalance', [ethers.computeAddress(testKey(party.slice(4))), ethers.toQuantity(ETH)]);
  }
  return { url, ...(await buildVaults(url, spec, { contractsCache: args.contractsCache })) };
}

async function setUp(args) {
  mkdirSync(args.out, { recursive: true });
  const world = await buildWorld(SPEC, args);
  const after = await buildWorld(AFTER_PIN_SPEC, args);
  // Keys and salts derive from fixed strings: the firm's Safe has one address in both worlds.
  if (after.entries.firm_safe.address !== world.entries.firm_safe.address) {
    throw new Error('firm_safe: the two worlds built it at different addresses');
  }
  world.entries.module_after = after.entries.module_after;
  world.after_pin_world = { url: after.url, pin_block: after.pin_block, pin_block_hash: after.pin_block_hash };
  for (const party of EOAS) {  // keys that are no Safe's owner still need their key material
    if (!world.keys[party]) {
      const w = new ethers.Wallet(testKey(party.slice(4)));
      world.keys[party] = { address: w.address, private_key: w.privateKey, public_key: w.signingKey.compressedPublicKey.slice(2) };
    }
  }
  writeFileSync(join(args.out, 'world.json'), JSON.stringify({ message: MESSAGE, ...world }, null, 2) + '\n');
  await writeScenarios(args.out, world);
  process.stdout.write('READY ' + args.out + '\n');
}

function parseArgs(argv) {
  const args = { out: null, contractsCache: null };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--out' && argv[i + 1]) args.out = resolve(argv[i + 1]);
    else if (argv[i] === '--contracts-cache' && argv[i + 1]) args.contractsCache = resolve(argv[i + 1]);
    else throw new Error('usage: vault_world.mjs --out DIR [--contracts-cache FILE]');
  }
  if (!args.out) throw new Error('usage: vault_world.mjs --out DIR [--contracts-cache FILE]');
  return args;
}

await runUntilStopped(() => setUp(parseArgs(process.argv.slice(2))));
