// Contract vaults on a test node: deploys the OFFICIAL Safe 1.4.1 contracts from the pinned npm
// artifacts (@safe-global/safe-contracts 1.4.1, build/artifacts; creation code exactly as shipped)
// on a running anvil, then builds the Safes, look-alikes and tokens a spec asks for and describes
// them in one JSON object. Test scaffolding for the contract-vault rules (docs/DESIGN.md
// §Contract vaults, §Assets and tokens); never part of segverify.
//
//   node tests/attest/safe_fixture.mjs --rpc http://127.0.0.1:PORT --spec spec.json
//        [--contracts-cache FILE]     (caches the solc output of tests/support/contracts; "-" spec = stdin)
//   import { buildVaults } from './safe_fixture.mjs';  await buildVaults(url, spec, { contractsCache })
//   canonicalSafeAddress({owners, threshold, saltNonce}) and safeMessageSignature({chainId, safe,
//   message, privateKeys}) give a "safe" entry's address and signatures offline (generated fixtures).
//
// Exit 0 and the JSON on stdout, or exit 1 and one error line on stderr.
//
// Packages (package.json): @safe-global/safe-contracts 1.4.1 declares a peer dependency on ethers
// 5.4.0; an "overrides" entry satisfies it with the project's ethers 6, which is harmless because only
// the artifacts' JSON is read here, never that package's JavaScript. @safe-global/safe-deployments is
// pinned at 1.37.56, the last release that does not require node >= 22.
//
// ---- How the contracts get onto the node (once per node; later runs reuse them) ------------------
// Safe deploys its contracts through the Safe singleton factory (a CREATE2 deployer at
// 0x914d7Fec6aaC8cd542e72Bca78B30650d45643d7, https://github.com/safe-global/safe-singleton-factory,
// artifacts/1/deployment.json at commit b7721891c141b576a644bc27fd32ae73e90bab51) with salt 0, so
// the artifacts' creation code lands at the canonical addresses of @safe-global/safe-deployments
// (pinned in package.json; dist/assets/v1.4.1/*.json) only if it is byte for byte the code Safe
// deployed. On chain id 1 the factory comes from its real presigned transaction; on any other chain
// id (the transaction is EIP-155 bound) its runtime code, computed from that transaction's init code,
// is put in place with anvil_setCode. Then Safe, SafeL2, SafeProxyFactory,
// CompatibilityFallbackHandler and the example DebugTransactionGuard are created with salt 0, and
// every address and runtime code hash is checked against safe-deployments (a mismatch is an error).
// Transactions are sent by a fixed relayer address (anvil_impersonateAccount, anvil_setBalance):
// no dev account's nonce is touched. A module that acts (module_transfer_eth) sends its own
// transaction and is given 0.1 ETH for gas if it has less. Keys and salts derive from fixed strings: the same spec on a
// fresh node gives the same addresses, signatures and blocks.
//
// ---- Spec (JSON) ---------------------------------------------------------------------------------
// {
//   "salt": "run-2",          optional: mixed into every CREATE2 salt (to apply one spec twice on a node)
//   "pin_block": 60,          optional: mine empty blocks so the pin is exactly this block
//   "entries": [ { "id": "...", "kind": "token" | "safe" | "imitation", ... }, ... ]   (built in order)
// }
// A party (owner, module, holder, recipient) is one of
//   "key:<label>"   an EOA whose private key is sha256("segverify vault key <label>")  (test keys!)
//   "0x<64 hex>"    an EOA given by its private key
//   "0x<40 hex>"    any address (no key: it cannot sign)
//   "contract:<id>" the address of an earlier entry (a Safe, an imitation or a token)
// Amounts are decimal strings (wei, or token base units).
//
// kind "token": a DecimalsToken (tests/support/contracts/DecimalsToken.sol).
//   "decimals": 0..255, "mint": { "<party>": "<amount>", ... }          (optional)
// kind "safe": a SafeProxy made by SafeProxyFactory.createProxyWithNonce with a setup() initializer,
//   fallback handler = the CompatibilityFallbackHandler.
//   "owners": [party, ...], "threshold": n,
//   "singleton": "Safe" (default) | "SafeL2" | "contract:<imitation id>" (a real proxy in front of a
//                 non-canonical singleton; then no modules, guard or actions: it has no execTransaction)
//   "modules": [party, ...]   enabled after setup, each by an execTransaction signed by the owners
//   "guard": "DebugTransactionGuard" | party   set after the modules, by execTransaction
//   "eth_wei": "<amount>"     sent to the Safe;  "erc20": { "<token id>": "<amount>" } minted to it
//   "messages": ["text", ...] ERC-1271 signatures by the Safe (below)
//   "signers": [party, ...]   who signs (default: the key-holding owners, lowest addresses first,
//                             as many as the threshold; contract owners never sign here)
//   "actions": [action, ...]  more changes before the pin;  "after_pin": [action, ...] after it
//   "salt_nonce": "<uint256>" optional (default: keccak256 of "segverify vault fixture <salt> <id>")
//   "fallback_handler": "CompatibilityFallbackHandler" (default) | null (none) | party   set by setup()
//   "setup_plant": {"via": "contract:<EntryPlanter id>", "owner": P, "module": P}   setup()'s delegatecall
//                 (`to`/`data`): EntryPlanter.plant writes owners[P] / modules[P] outside the lists
// kind "contract": {"contract": "<name in tests/support/contracts>"} deployed as it is (RogueHandler, EntryPlanter)
// kind "imitation": a SafeImitation (tests/support/contracts/SafeImitation.sol) on its own: Safe-like getters,
//   any signature accepted. "owners", "threshold", "messages", "signers", "eth_wei", "erc20" as above.
// Actions (one object each; the action's name holds its main party):
//   {"enable_module": P}  {"disable_module": P}  {"set_guard": "DebugTransactionGuard" | P | null}
//   {"add_owner": P, "threshold": n}  {"remove_owner": P, "threshold": n}  {"change_threshold": n}
//   {"transfer_eth": P, "wei": "<amount>"}           by execTransaction signed by the owners
//   {"module_transfer_eth": P, "module": M, "wei": "<amount>"}   by the module M alone (a key: party),
//                                                    through execTransactionFromModule
//   {"delegatecall_plant": "contract:<EntryPlanter id>", "owner": P, "module": P}   an execTransaction
//                                                    with operation DELEGATECALL, signed by the owners
//
// ERC-1271 signatures are made the way Safe 1.4.1's CompatibilityFallbackHandler checks
// isValidSignature(bytes32 hash, bytes sig): hash = the EIP-191 personal_sign hash of the message;
// the handler checks the owners' signatures over the EIP-712 hash of SafeMessage(bytes message) with
// message = abi.encode(hash), domain {chainId, verifyingContract: the Safe}; the 65-byte signatures
// (r, s, v = 27/28) are concatenated in ascending order of owner address. Each one is checked with
// an eth_call of isValidSignature at the pin block (must answer 0x1626ba7e) before it is printed.
//
// ---- Output (JSON) -------------------------------------------------------------------------------
// {
//   "chain_id": 1, "pin_block": 30, "pin_block_hash": "0x…", "latest_block": 33,
//   "singleton_factory": {"address": "0x914d…", "installed_by": "presigned transaction"|"anvil_setCode"|"already present"},
//   "safe_contracts": { "Safe": {"address": "0x4167…", "code_hash": "0x1fe2…"}, "SafeL2": {…},
//                       "SafeProxyFactory": {…}, "CompatibilityFallbackHandler": {…},
//                       "DebugTransactionGuard": {…}, "SafeProxy": {"code_hash": "0xd7d4…"} },
//   "keys": { "key:alice": {"address": "0x…", "private_key": "0x…", "public_key": "02…"} },   (test keys)
//   "entries": {
//     "<token id>": {"kind": "token", "address", "decimals", "code_hash", "balances": {"0x…": "amount"}},
//     "<contract id>": {"kind": "contract", "contract": "RogueHandler", "address", "code_hash"},
//     "<safe id>": {
//       "kind": "safe", "address", "salt_nonce", "singleton_name": "Safe", "setup_block": 12 (its
//       createProxyWithNonce), "initializer": "0x…" (setup's `to`, zero address if none),
//       "singleton": "0x…" (read from the proxy's storage slot 0), "proxy_code_hash", "singleton_code_hash",
//       "owners": ["0x…"] (getOwners() order), "contract_owners": ["0x…"] (owners with code),
//       "threshold": 2, "modules": ["0x…"] (getModulesPaginated order: newest first),
//       "guard": "0x…" (zero address if none), "fallback_handler": "0x…", "eth_wei": "…",
//       "erc20": {"<token id>": {"token": "0x…", "amount": "…"}},
//       "signatures": [{"message", "message_hash", "safe_message_hash", "signers": ["0x…"], "signature"}],
//       "pin_block": 30,
//       "after_pin": null | {"actions": [{"action": "enable_module", "block": 31, …}],
//                            "owners", "threshold", "modules", "guard", "eth_wei"}   (state at the end)
//     },
//     "<imitation id>": {"kind": "imitation", "address", "code_hash", "owners", "contract_owners",
//                        "threshold", "fallback_handler", "eth_wei", "erc20", "signatures", "pin_block"}
//   }
// }
// Addresses are EIP-55. Owners, modules, guard and threshold are what the fixture set up (its own
// model), not read back: tests compare them with what the chain answers.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ethers = require('ethers');
const { compiledContracts } = require('../support/contracts/compile.js');

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SAFE_PACKAGE = join(ROOT, 'node_modules/@safe-global/safe-contracts');
const DEPLOYMENTS_PACKAGE = join(ROOT, 'node_modules/@safe-global/safe-deployments');
const SAFE_VERSION = '1.4.1';

// Safe singleton factory: address, and its chain-1 presigned deployment (see the header).
export const SINGLETON_FACTORY = '0x914d7Fec6aaC8cd542e72Bca78B30650d45643d7';
const SINGLETON_FACTORY_TX_CHAIN_1 =
  '0xf8a58085174876e800830186a08080b853604580600e600039806000f350fe7fffffffffffffffffffffffffffffffffff' +
  'ffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600c' +
  'f326a0b1fd9f4102283a663738983f1aac789e979e220a1b649faa74033f507b911af5a061dd0f2f6f2341ee95913cf94b3b' +
  '8a49cac9fdd7be6310da7acd7a96e31958d7';

// Safe 1.4.1's owner and module lists start at this sentinel (contracts/base/ModuleManager.sol).
export const SENTINEL = '0x0000000000000000000000000000000000000001';
export const ERC1271_MAGIC = '0x1626ba7e';

const ARTIFACT_FILES = {
  Safe: 'Safe.sol/Safe.json',
  SafeL2: 'SafeL2.sol/SafeL2.json',
  SafeProxy: 'proxies/SafeProxy.sol/SafeProxy.json',
  SafeProxyFactory: 'proxies/SafeProxyFactory.sol/SafeProxyFactory.json',
  CompatibilityFallbackHandler: 'handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json',
  DebugTransactionGuard: 'examples/guards/DebugTransactionGuard.sol/DebugTransactionGuard.json',
};
// The contracts safe-deployments lists (it has no entry for SafeProxy or the example guard).
const DEPLOYMENT_FILES = {
  Safe: 'safe.json',
  SafeL2: 'safe_l2.json',
  SafeProxyFactory: 'safe_proxy_factory.json',
  CompatibilityFallbackHandler: 'compatibility_fallback_handler.json',
};
const DEPLOYED_BY_FIXTURE = ['Safe', 'SafeL2', 'SafeProxyFactory', 'CompatibilityFallbackHandler', 'DebugTransactionGuard'];

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const memo = new Map();
const once = (key, make) => (memo.has(key) ? memo.get(key) : memo.set(key, make()).get(key));

// The npm artifact of a Safe 1.4.1 contract ({abi, bytecode, deployedBytecode}).
export function safeArtifact(name) {
  return once('artifact ' + name, () => {
    const version = readJson(join(SAFE_PACKAGE, 'package.json')).version;
    if (version !== SAFE_VERSION) throw new Error(`@safe-global/safe-contracts is ${version}, not ${SAFE_VERSION}`);
    return readJson(join(SAFE_PACKAGE, 'build/artifacts/contracts', ARTIFACT_FILES[name]));
  });
}

// safe-deployments' canonical entry: {address, codeHash, file, package_version}.
export function canonicalDeployment(name) {
  return once('deployment ' + name, () => {
    const file = `dist/assets/v${SAFE_VERSION}/${DEPLOYMENT_FILES[name]}`;
    const asset = readJson(join(DEPLOYMENTS_PACKAGE, file));
    if (asset.version !== SAFE_VERSION || asset.contractName !== name) throw new Error(`unexpected ${file}`);
    const packageVersion = readJson(join(DEPLOYMENTS_PACKAGE, 'package.json')).version;
    return { ...asset.deployments.canonical, file, package_version: packageVersion };
  });
}

const iface = (name) => once('iface ' + name, () => new ethers.Interface(safeArtifact(name).abi));
const ERC1271 = new ethers.Interface(['function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)']);

// ---- keys and parties -----------------------------------------------------------------------------
export function testKey(label) {
  return '0x' + createHash('sha256').update('segverify vault key ' + label, 'utf8').digest('hex');
}
const RELAYER = ethers.computeAddress('0x' + createHash('sha256').update('segverify vault relayer', 'utf8').digest('hex'));

function keyParty(ctx, ref, privateKey) {
  const wallet = new ethers.Wallet(privateKey);
  ctx.wallets.set(wallet.address, wallet);
  ctx.keys[ref] = { address: wallet.address, private_key: privateKey,
                    public_key: wallet.signingKey.compressedPublicKey.slice(2) };
  return wallet.address;
}

// A party reference (see the header) → EIP-55 address; key parties are remembered for signing.
function party(ctx, ref, where) {
  if (typeof ref !== 'string') throw new Error(`${where}: a party must be a string, got ${JSON.stringify(ref)}`);
  if (ref.startsWith('key:') && ref.length > 4) return keyParty(ctx, ref, testKey(ref.slice(4)));
  if (/^0x[0-9a-fA-F]{64}$/.test(ref)) return keyParty(ctx, ref, ref);
  if (/^0x[0-9a-fA-F]{40}$/.test(ref)) return ethers.getAddress(ref.toLowerCase());
  if (ref.startsWith('contract:')) {
    const entry = ctx.entries[ref.slice(9)];
    if (!entry) throw new Error(`${where}: ${ref} names no earlier entry`);
    return entry.address;
  }
  throw new Error(`${where}: cannot read party ${JSON.stringify(ref)}`);
}

// ---- spec checking ----------------------------------------------------------------------------------
function allowOnly(obj, keys, where) {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new Error(`${where}: must be an object`);
  for (const k of Object.keys(obj)) if (!keys.includes(k)) throw new Error(`${where}: unknown field "${k}"`);
}
function amount(value, where) {
  if (typeof value !== 'string' || !/^[0-9]+$/.test(value)) throw new Error(`${where}: amount must be a decimal string`);
  return BigInt(value);
}
function count(value, where) {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${where}: must be a non-negative integer`);
  return value;
}

// ---- node access ------------------------------------------------------------------------------------
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Node {
  constructor(url) {
    this.url = url;
    this.nextId = 1;
    this.impersonated = new Set();
  }

  // One JSON-RPC call; an error answer throws (err.data keeps revert data).
  async call(method, params = []) {
    const response = await fetch(this.url, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: this.nextId++, method, params }),
    });
    const body = await response.json();
    if (body.error) {
      const err = new Error(`${method}: ${body.error.message}`);
      err.data = body.error.data;
      throw err;
    }
    return body.result;
  }

  code(address, block = 'latest') { return this.call('eth_getCode', [address, block]); }
  async codeHash(address, block = 'latest') { return ethers.keccak256(await this.code(address, block)); }
  async storageAddress(address, slot, block = 'latest') {
    return ethers.getAddress(ethers.dataSlice(await this.call('eth_getStorageAt', [address, slot, block]), 12));
  }
  async blockNumber() { return Number(await this.call('eth_blockNumber')); }
  async balance(address, block = 'latest') { return BigInt(await this.call('eth_getBalance', [address, block])); }

  // eth_call of `fn` on `to`, decoded with `contractIface`; block is a number or a tag.
  async read(contractIface, to, fn, args = [], block = 'latest') {
    const tag = typeof block === 'number' ? ethers.toQuantity(block) : block;
    const out = await this.call('eth_call', [{ to, data: contractIface.encodeFunctionData(fn, args) }, tag]);
    return contractIface.decodeFunctionResult(fn, out);
  }

  async receipt(hash) {
    for (let i = 0; i < 500; i++) {
      const receipt = await this.call('eth_getTransactionReceipt', [hash]);
      if (receipt) return receipt;
      await sleep(10);
    }
    throw new Error(`no receipt for ${hash}`);
  }

  // At least `wei` on `address` (anvil_setBalance; only ever raised).
  async topUp(address, wei) {
    if ((await this.balance(address)) < wei) await this.call('anvil_setBalance', [address, ethers.toQuantity(wei)]);
  }

  // eth_sendTransaction from an impersonated address given at least `gasMoney` wei; throws unless
  // the receipt says success.
  async send(from, tx, what, gasMoney = 10n ** 21n) {
    if (!this.impersonated.has(from)) {
      await this.call('anvil_impersonateAccount', [from]);
      this.impersonated.add(from);
    }
    await this.topUp(from, gasMoney);
    const request = { from, to: tx.to, data: tx.data ?? '0x' };
    if (tx.value) request.value = ethers.toQuantity(tx.value);
    const hash = await this.call('eth_sendTransaction', [request]);
    const receipt = await this.receipt(hash);
    if (receipt.status !== '0x1') throw new Error(`${what}: transaction ${hash} reverted`);
    return receipt;
  }
}

const hasLog = (receipt, address, topic0) => receipt.logs.some(
  (l) => l.address.toLowerCase() === address.toLowerCase() && l.topics[0] === topic0);

// ---- Safe contracts ---------------------------------------------------------------------------------
// The Safe singleton factory, installed as the header says. Returns how it got there.
async function ensureSingletonFactory(node, chainId) {
  const tx = ethers.Transaction.from(SINGLETON_FACTORY_TX_CHAIN_1);
  if (ethers.getCreateAddress({ from: tx.from, nonce: 0 }) !== SINGLETON_FACTORY) throw new Error('bad factory transaction');
  const runtime = await node.call('eth_call', [{ data: tx.data }, 'latest']);  // what its init code leaves
  const present = await node.code(SINGLETON_FACTORY);
  if (present !== '0x') {
    if (present !== runtime) throw new Error(`${SINGLETON_FACTORY} holds code that is not the Safe singleton factory`);
    return 'already present';
  }
  let installedBy = 'anvil_setCode';
  const signerNonce = Number(await node.call('eth_getTransactionCount', [tx.from, 'latest']));
  if (chainId === 1n && signerNonce === 0) {
    await node.topUp(tx.from, tx.gasLimit * tx.gasPrice);
    const receipt = await node.receipt(await node.call('eth_sendRawTransaction', [SINGLETON_FACTORY_TX_CHAIN_1]));
    if (receipt.status !== '0x1') throw new Error('the Safe singleton factory deployment reverted');
    installedBy = 'presigned transaction';
  } else {
    await node.call('anvil_setCode', [SINGLETON_FACTORY, runtime]);
  }
  if ((await node.code(SINGLETON_FACTORY)) !== runtime) throw new Error('the Safe singleton factory did not deploy');
  return installedBy;
}

// CREATE2 through the singleton factory; returns {address, existed}.
async function create2(node, initCode, salt, what) {
  const address = ethers.getCreate2Address(SINGLETON_FACTORY, salt, ethers.keccak256(initCode));
  if ((await node.code(address)) !== '0x') return { address, existed: true };
  await node.send(RELAYER, { to: SINGLETON_FACTORY, data: ethers.concat([salt, initCode]) }, `deploying ${what}`);
  if ((await node.code(address)) === '0x') throw new Error(`deploying ${what}: no code at ${address}`);
  return { address, existed: false };
}

// Deploys (or finds) the Safe 1.4.1 contracts and checks them against the artifacts and
// safe-deployments. Returns {name: {address, code_hash}} plus SafeProxy's runtime hash.
export async function ensureSafeContracts(node) {
  const out = {};
  for (const name of DEPLOYED_BY_FIXTURE) {
    const artifact = safeArtifact(name);
    const { address } = await create2(node, artifact.bytecode, ethers.ZeroHash, name + ' ' + SAFE_VERSION);
    const codeHash = await node.codeHash(address);
    const artifactHash = ethers.keccak256(artifact.deployedBytecode);
    if (codeHash !== artifactHash) {
      throw new Error(`${name}: runtime code hash on the node ${codeHash} differs from the artifact's deployedBytecode ${artifactHash}`);
    }
    if (DEPLOYMENT_FILES[name]) {
      const canonical = canonicalDeployment(name);
      if (address !== canonical.address) {
        throw new Error(`${name}: the artifact's creation code deploys to ${address}, not to the canonical ` +
                        `${canonical.address} (${canonical.file}): it is not the code Safe deployed`);
      }
      if (codeHash !== canonical.codeHash) {
        throw new Error(`${name}: runtime code hash ${codeHash} is not safe-deployments' ${canonical.codeHash}`);
      }
    }
    out[name] = { address, code_hash: codeHash };
  }
  out.SafeProxy = { code_hash: ethers.keccak256(safeArtifact('SafeProxy').deployedBytecode) };
  return out;
}

// ---- building entries -------------------------------------------------------------------------------
function saltFor(ctx, id) {
  return ethers.keccak256(ethers.toUtf8Bytes(`segverify vault fixture ${ctx.salt} ${id}`));
}

// CREATE2 of one of tests/support/contracts; an address already taken means the spec ran twice on this node.
async function deployTestContract(ctx, id, name, argTypes, args) {
  const { bytecode } = ctx.contracts[name];
  const initCode = ethers.concat(['0x' + bytecode, ethers.AbiCoder.defaultAbiCoder().encode(argTypes, args)]);
  const { address, existed } = await create2(ctx.node, initCode, saltFor(ctx, id), `${name} for ${id}`);
  if (existed) throw new Error(`${id}: ${address} already exists on this node (give the spec another "salt")`);
  return address;
}

const testIface = (ctx, name) => once('test iface ' + name, () => new ethers.Interface(ctx.contracts[name].abi));

async function mintToken(ctx, tokenId, to, value) {
  const token = ctx.entries[tokenId];
  if (!token || token.kind !== 'token') throw new Error(`erc20: "${tokenId}" names no earlier token`);
  const data = testIface(ctx, 'DecimalsToken').encodeFunctionData('mint', [to, value]);
  await ctx.node.send(RELAYER, { to: token.address, data }, `minting ${tokenId}`);
  token.balances[to] = ((token.balances[to] ? BigInt(token.balances[to]) : 0n) + value).toString();
  return token.address;
}

async function buildToken(ctx, id, e) {
  allowOnly(e, ['id', 'kind', 'decimals', 'mint'], id);
  const decimals = count(e.decimals, `${id}.decimals`);
  if (decimals > 255) throw new Error(`${id}.decimals: at most 255`);
  const address = await deployTestContract(ctx, id, 'DecimalsToken', ['uint8'], [decimals]);
  ctx.entries[id] = { kind: 'token', address, decimals, code_hash: await ctx.node.codeHash(address), balances: {} };
  for (const [holder, value] of Object.entries(e.mint ?? {})) {
    await mintToken(ctx, id, party(ctx, holder, `${id}.mint`), amount(value, `${id}.mint`));
  }
}

// ETH and token funding of a vault (fields "eth_wei" and "erc20").
async function fund(ctx, id, e, vault) {
  vault.eth = 0n;
  vault.erc20 = {};
  if (e.eth_wei !== undefined) {
    vault.eth = amount(e.eth_wei, `${id}.eth_wei`);
    await ctx.node.topUp(RELAYER, vault.eth + 10n ** 21n);
    await ctx.node.send(RELAYER, { to: vault.address, value: vault.eth }, `funding ${id}`);
  }
  for (const [tokenId, value] of Object.entries(e.erc20 ?? {})) {
    const v = amount(value, `${id}.erc20.${tokenId}`);
    vault.erc20[tokenId] = { token: await mintToken(ctx, tokenId, vault.address, v), amount: v.toString() };
  }
}

// The keys that sign for a vault: "signers" if given, else key-holding owners by ascending address.
function signingWallets(ctx, vault) {
  const byAddress = (a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1);
  if (vault.signers) {
    return vault.signers.map((a) => {
      const w = ctx.wallets.get(a);
      if (!w) throw new Error(`${vault.id}: signer ${a} has no key`);
      return w;
    }).sort(byAddress);
  }
  const keyed = vault.owners.map((a) => ctx.wallets.get(a)).filter(Boolean).sort(byAddress);
  if (keyed.length < vault.threshold) {
    throw new Error(`${vault.id}: ${keyed.length} owner(s) with keys cannot meet threshold ${vault.threshold}`);
  }
  return keyed.slice(0, vault.threshold);
}

// Safe signature bytes over `hash`: r‖s‖v (v = 27/28) per signer, ascending signer address.
function safeSignatures(wallets, hash) {
  return ethers.concat(wallets.map((w) => w.signingKey.sign(hash).serialized));
}

const SAFE_TX_TYPES = {
  SafeTx: [
    { name: 'to', type: 'address' }, { name: 'value', type: 'uint256' }, { name: 'data', type: 'bytes' },
    { name: 'operation', type: 'uint8' }, { name: 'safeTxGas', type: 'uint256' }, { name: 'baseGas', type: 'uint256' },
    { name: 'gasPrice', type: 'uint256' }, { name: 'gasToken', type: 'address' },
    { name: 'refundReceiver', type: 'address' }, { name: 'nonce', type: 'uint256' },
  ],
};
const SAFE_MESSAGE_TYPES = { SafeMessage: [{ name: 'message', type: 'bytes' }] };

// A call from the Safe itself, through execTransaction signed by its owners (no refund, no gas price).
async function execBySafe(ctx, vault, to, value, data, what, operation = 0) {
  if (!vault.canonical) throw new Error(`${vault.id}: ${what} needs a Safe singleton (this proxy's has no execTransaction)`);
  const [nonce] = await ctx.node.read(iface('Safe'), vault.address, 'nonce');
  const tx = { to, value, data, operation, safeTxGas: 0, baseGas: 0, gasPrice: 0,
               gasToken: ethers.ZeroAddress, refundReceiver: ethers.ZeroAddress, nonce };
  const domain = { chainId: ctx.chainId, verifyingContract: vault.address };
  const txHash = ethers.TypedDataEncoder.hash(domain, SAFE_TX_TYPES, tx);
  const signatures = safeSignatures(signingWallets(ctx, vault), txHash);
  const call = iface('Safe').encodeFunctionData('execTransaction', [
    to, value, data, operation, 0, 0, 0, ethers.ZeroAddress, ethers.ZeroAddress, signatures]);
  const receipt = await ctx.node.send(RELAYER, { to: vault.address, data: call }, `${vault.id}: ${what}`);
  if (!hasLog(receipt, vault.address, iface('Safe').getEvent('ExecutionSuccess').topicHash)) {
    throw new Error(`${vault.id}: ${what}: no ExecutionSuccess`);
  }
  return receipt;
}

function guardAddress(ctx, ref, where) {
  if (ref === null) return ethers.ZeroAddress;
  if (ref === 'DebugTransactionGuard') return ctx.safeContracts.DebugTransactionGuard.address;
  return party(ctx, ref, where);
}

function indexIn(list, address, what, where) {
  const i = list.indexOf(address);
  if (i < 0) throw new Error(`${where}: ${address} is not ${what}`);
  return i;
}

// One action (see the header) on a Safe; updates the vault's model. Returns its description.
async function applyAction(ctx, vault, action, where) {
  const names = Object.keys(action ?? {}).filter((k) => !['threshold', 'wei', 'module', 'owner'].includes(k));
  if (names.length !== 1) throw new Error(`${where}: an action names exactly one of its kinds`);
  const kind = names[0];
  const self = vault.address;
  const safe = iface('Safe');
  const described = { action: kind };
  const exec = (data, what, to = self, value = 0n, operation = 0) => execBySafe(ctx, vault, to, value, data, what, operation);
  const threshold = () => count(action.threshold, `${where}.threshold`);
  let receipt;
  if (kind === 'enable_module') {
    allowOnly(action, [kind], where);
    const m = party(ctx, action[kind], where);
    receipt = await exec(safe.encodeFunctionData('enableModule', [m]), `enableModule(${m})`);
    vault.modules.unshift(m);  // ModuleManager inserts at the head of its list
    described.module = m;
  } else if (kind === 'disable_module') {
    allowOnly(action, [kind], where);
    const m = party(ctx, action[kind], where);
    const i = indexIn(vault.modules, m, 'an enabled module', where);
    const prev = i === 0 ? SENTINEL : vault.modules[i - 1];
    receipt = await exec(safe.encodeFunctionData('disableModule', [prev, m]), `disableModule(${m})`);
    vault.modules.splice(i, 1);
    described.module = m;
  } else if (kind === 'set_guard') {
    allowOnly(action, [kind], where);
    const g = guardAddress(ctx, action[kind], where);
    receipt = await exec(safe.encodeFunctionData('setGuard', [g]), `setGuard(${g})`);
    vault.guard = g;
    described.guard = g;
  } else if (kind === 'add_owner') {
    allowOnly(action, [kind, 'threshold'], where);
    const o = party(ctx, action[kind], where);
    const t = threshold();
    receipt = await exec(safe.encodeFunctionData('addOwnerWithThreshold', [o, t]), `addOwnerWithThreshold(${o})`);
    vault.owners.unshift(o);  // OwnerManager inserts at the head too
    vault.threshold = t;
    Object.assign(described, { owner: o, threshold: t });
  } else if (kind === 'remove_owner') {
    allowOnly(action, [kind, 'threshold'], where);
    const o = party(ctx, action[kind], where);
    const t = threshold();
    const i = indexIn(vault.owners, o, 'an owner', where);
    const prev = i === 0 ? SENTINEL : vault.owners[i - 1];
    receipt = await exec(safe.encodeFunctionData('removeOwner', [prev, o, t]), `removeOwner(${o})`);
    vault.owners.splice(i, 1);
    vault.threshold = t;
    Object.assign(described, { owner: o, threshold: t });
  } else if (kind === 'change_threshold') {
    allowOnly(action, [kind], where);
    const t = count(action[kind], where);
    receipt = await exec(safe.encodeFunctionData('changeThreshold', [t]), `changeThreshold(${t})`);
    vault.threshold = t;
    described.threshold = t;
  } else if (kind === 'transfer_eth') {
    allowOnly(action, [kind, 'wei'], where);
    const to = party(ctx, action[kind], where);
    const wei = amount(action.wei, `${where}.wei`);
    receipt = await exec('0x', `sending ${wei} wei`, to, wei);
    vault.eth -= wei;
    Object.assign(described, { to, wei: wei.toString() });
  } else if (kind === 'module_transfer_eth') {
    allowOnly(action, [kind, 'wei', 'module'], where);
    const to = party(ctx, action[kind], where);
    const m = party(ctx, action.module, `${where}.module`);
    indexIn(vault.modules, m, 'an enabled module', where);
    const wei = amount(action.wei, `${where}.wei`);
    const data = safe.encodeFunctionData('execTransactionFromModule', [to, wei, '0x', 0]);
    receipt = await ctx.node.send(m, { to: self, data }, `${vault.id}: module transfer`, 10n ** 17n);
    if (!hasLog(receipt, self, safe.getEvent('ExecutionFromModuleSuccess').topicHash)) {
      throw new Error(`${where}: execTransactionFromModule did not succeed`);
    }
    vault.eth -= wei;
    Object.assign(described, { module: m, to, wei: wei.toString() });
  } else if (kind === 'delegatecall_plant') {
    // Signed by the owners like any transaction: an entry written later, outside the lists.
    const plant = plantCall(ctx, { via: action[kind], owner: action.owner, module: action.module }, where);
    receipt = await exec(plant.data, `delegatecall EntryPlanter.plant`, plant.to, 0n, 1);
    Object.assign(described, { via: plant.to, owner: action.owner ?? null, module: action.module ?? null });
  } else {
    throw new Error(`${where}: unknown action "${kind}"`);
  }
  described.block = Number(receipt.blockNumber);
  return described;
}

// `message` signed for the vault at `address` on chain `chainId` by `wallets` (see the header).
function signedBy(chainId, address, message, wallets) {
  const messageHash = ethers.hashMessage(message);
  const domain = { chainId, verifyingContract: address };
  const safeMessageHash = ethers.TypedDataEncoder.hash(domain, SAFE_MESSAGE_TYPES, { message: messageHash });
  const sorted = [...wallets].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
  return { message, message_hash: messageHash, safe_message_hash: safeMessageHash,
           signers: sorted.map((w) => w.address), signature: safeSignatures(sorted, safeMessageHash) };
}

// The ERC-1271 signature of `message` by a vault (see the header); checked later, at the pin.
function signMessage(ctx, vault, message, where) {
  if (typeof message !== 'string') throw new Error(`${where}: a message is a string`);
  return signedBy(ctx.chainId, vault.address, message, signingWallets(ctx, vault));
}

// The same signature made offline, for fixtures that are generated before any node runs: `message`
// signed for the Safe at `safe` on chain `chainId` by the EOAs of `privateKeys` (any order).
export function safeMessageSignature({ chainId, safe, message, privateKeys }) {
  return signedBy(BigInt(chainId), ethers.getAddress(safe), message, privateKeys.map((k) => new ethers.Wallet(k)));
}

// Fields shared by "safe" and "imitation": owners, threshold, signers.
function readPolicy(ctx, id, e) {
  if (!Array.isArray(e.owners) || e.owners.length === 0) throw new Error(`${id}.owners: a non-empty list`);
  const owners = e.owners.map((o, i) => party(ctx, o, `${id}.owners[${i}]`));
  const signers = e.signers === undefined ? null : e.signers.map((s, i) => party(ctx, s, `${id}.signers[${i}]`));
  return { owners, threshold: count(e.threshold, `${id}.threshold`), signers };
}

function setupCall(owners, threshold, fallbackHandler, to = ethers.ZeroAddress, data = '0x') {
  return iface('Safe').encodeFunctionData('setup', [
    owners, threshold, to, data, fallbackHandler, ethers.ZeroAddress, 0, ethers.ZeroAddress]);
}

// EntryPlanter.plant(owner, module) calldata (tests/support/contracts/SafeBackdoors.sol); "none" or absent: zero.
function plantCall(ctx, spec, where) {
  allowOnly(spec, ['via', 'owner', 'module'], where);
  const who = (ref, field) => (ref === undefined ? ethers.ZeroAddress : party(ctx, ref, `${where}.${field}`));
  return { to: party(ctx, spec.via, `${where}.via`),
           data: testIface(ctx, 'EntryPlanter').encodeFunctionData('plant', [who(spec.owner, 'owner'), who(spec.module, 'module')]) };
}

// The "fallback_handler" of a safe entry: the official CompatibilityFallbackHandler (default), none, or a party.
function fallbackHandlerOf(ctx, ref, where) {
  if (ref === undefined || ref === 'CompatibilityFallbackHandler') return ctx.safeContracts.CompatibilityFallbackHandler.address;
  if (ref === null) return ethers.ZeroAddress;
  return party(ctx, ref, where);
}

// Where SafeProxyFactory 1.4.1 createProxyWithNonce puts a proxy (contracts/proxies/SafeProxyFactory.sol).
function proxyAddress(factory, singleton, initializer, saltNonce) {
  const salt = ethers.solidityPackedKeccak256(['bytes32', 'uint256'], [ethers.keccak256(initializer), saltNonce]);
  const initCode = ethers.concat([safeArtifact('SafeProxy').bytecode, ethers.zeroPadValue(singleton, 32)]);
  return ethers.getCreate2Address(factory, salt, ethers.keccak256(initCode));
}

// Where a "safe" entry with these owners (addresses, in order), threshold and salt_nonce lands on any
// node (the canonical factory, singleton and fallback handler of safe-deployments), computed offline.
export function canonicalSafeAddress({ owners, threshold, saltNonce, singleton = 'Safe' }) {
  const initializer = setupCall(owners.map((o) => ethers.getAddress(o)), threshold,
                                canonicalDeployment('CompatibilityFallbackHandler').address);
  return proxyAddress(canonicalDeployment('SafeProxyFactory').address, canonicalDeployment(singleton).address,
                      initializer, BigInt(saltNonce));
}

async function buildSafe(ctx, id, e) {
  allowOnly(e, ['id', 'kind', 'singleton', 'owners', 'threshold', 'modules', 'guard', 'eth_wei', 'erc20',
                'messages', 'signers', 'actions', 'after_pin', 'salt_nonce', 'fallback_handler', 'setup_plant'], id);
  const singletonName = e.singleton ?? 'Safe';
  const canonical = singletonName === 'Safe' || singletonName === 'SafeL2';
  const singleton = canonical ? ctx.safeContracts[singletonName].address : party(ctx, singletonName, `${id}.singleton`);
  const policy = readPolicy(ctx, id, e);
  const handler = fallbackHandlerOf(ctx, e.fallback_handler, `${id}.fallback_handler`);
  const plant = e.setup_plant === undefined ? { to: ethers.ZeroAddress, data: '0x' } : plantCall(ctx, e.setup_plant, `${id}.setup_plant`);
  const initializer = setupCall(policy.owners, policy.threshold, handler, plant.to, plant.data);
  const saltNonce = e.salt_nonce !== undefined ? amount(e.salt_nonce, `${id}.salt_nonce`) : BigInt(saltFor(ctx, id));
  const factory = ctx.safeContracts.SafeProxyFactory.address;
  const address = proxyAddress(factory, singleton, initializer, saltNonce);
  if ((await ctx.node.code(address)) !== '0x') throw new Error(`${id}: ${address} already exists (give the spec another "salt")`);
  const create = iface('SafeProxyFactory').encodeFunctionData('createProxyWithNonce', [singleton, initializer, saltNonce]);
  const receipt = await ctx.node.send(RELAYER, { to: factory, data: create }, `${id}: createProxyWithNonce`);
  const created = receipt.logs.find((l) => l.topics[0] === iface('SafeProxyFactory').getEvent('ProxyCreation').topicHash);
  if (!created || ethers.getAddress(ethers.dataSlice(created.topics[1], 12)) !== address) {
    throw new Error(`${id}: the factory did not create the proxy at ${address}`);
  }
  const vault = { id, kind: 'safe', address, canonical, singletonName, saltNonce, fallbackHandler: handler,
                  setupBlock: Number(receipt.blockNumber), initializer: plant.to,
                  modules: [], guard: ethers.ZeroAddress, ...policy };
  ctx.entries[id] = vault;
  await fund(ctx, id, e, vault);
  const actions = [
    ...(e.modules ?? []).map((m) => ({ enable_module: m })),
    ...(e.guard !== undefined ? [{ set_guard: e.guard }] : []),
    ...(e.actions ?? []),
  ];
  for (const [i, a] of actions.entries()) await applyAction(ctx, vault, a, `${id}.actions[${i}]`);
  vault.signatures = (e.messages ?? []).map((m, i) => signMessage(ctx, vault, m, `${id}.messages[${i}]`));
  vault.afterPin = e.after_pin ?? [];
}

async function buildImitation(ctx, id, e) {
  allowOnly(e, ['id', 'kind', 'owners', 'threshold', 'messages', 'signers', 'eth_wei', 'erc20'], id);
  const policy = readPolicy(ctx, id, e);
  const address = await deployTestContract(ctx, id, 'SafeImitation', [], []);
  const handler = ctx.safeContracts.CompatibilityFallbackHandler.address;
  await ctx.node.send(RELAYER, { to: address, data: setupCall(policy.owners, policy.threshold, handler) }, `${id}: setup`);
  const vault = { id, kind: 'imitation', address, fallbackHandler: handler, ...policy };
  ctx.entries[id] = vault;
  await fund(ctx, id, e, vault);
  vault.signatures = (e.messages ?? []).map((m, i) => signMessage(ctx, vault, m, `${id}.messages[${i}]`));
}

// kind "contract": one of tests/support/contracts deployed as it is (constructor without arguments).
async function buildContract(ctx, id, e) {
  allowOnly(e, ['id', 'kind', 'contract'], id);
  if (!ctx.contracts[e.contract]) throw new Error(`${id}.contract: no contract ${JSON.stringify(e.contract)} in tests/support/contracts`);
  const address = await deployTestContract(ctx, id, e.contract, [], []);
  ctx.entries[id] = { kind: 'contract', contract: e.contract, address, code_hash: await ctx.node.codeHash(address) };
}

const BUILDERS = { token: buildToken, safe: buildSafe, imitation: buildImitation, contract: buildContract };

// ---- pin, checks, output ----------------------------------------------------------------------------
async function checkSignaturesAt(ctx, vault, pin) {
  for (const s of vault.signatures) {
    const [answer] = await ctx.node.read(ERC1271, vault.address, 'isValidSignature', [s.message_hash, s.signature], pin);
    if (answer !== ERC1271_MAGIC) throw new Error(`${vault.id}: isValidSignature answered ${answer} for "${s.message}"`);
  }
}

async function contractOwners(ctx, owners, pin) {
  const out = [];
  for (const o of owners) if ((await ctx.node.code(o, ethers.toQuantity(pin))) !== '0x') out.push(o);
  return out;
}

async function describeVault(ctx, vault, pin) {
  const tag = ethers.toQuantity(pin);
  let code;
  if (vault.kind === 'imitation') {
    code = { code_hash: await ctx.node.codeHash(vault.address, tag) };
  } else {
    const singleton = await ctx.node.storageAddress(vault.address, ethers.ZeroHash, tag);
    code = { salt_nonce: vault.saltNonce.toString(), singleton_name: vault.singletonName, singleton,
             setup_block: vault.setupBlock, initializer: vault.initializer,
             proxy_code_hash: await ctx.node.codeHash(vault.address, tag),
             singleton_code_hash: await ctx.node.codeHash(singleton, tag) };
  }
  const modules = vault.kind === 'safe' ? { modules: [...vault.modules], guard: vault.guard } : {};
  return {
    kind: vault.kind, address: vault.address, ...code, owners: [...vault.owners],
    contract_owners: await contractOwners(ctx, vault.owners, pin), threshold: vault.threshold, ...modules,
    fallback_handler: vault.fallbackHandler, eth_wei: vault.eth.toString(), erc20: vault.erc20,
    signatures: vault.signatures, pin_block: pin,
  };
}

async function mineTo(node, block) {
  const now = await node.blockNumber();
  if (now > block) throw new Error(`pin_block ${block}: the setup already reached block ${now}`);
  if (now < block) await node.call('anvil_mine', [ethers.toQuantity(block - now)]);
}

// Builds everything `spec` asks for on the node at `url`; returns the output object (header).
export async function buildVaults(url, spec, options = {}) {
  allowOnly(spec, ['salt', 'pin_block', 'entries'], 'spec');
  if (!Array.isArray(spec.entries)) throw new Error('spec.entries: a list');
  const node = new Node(url);
  const chainId = BigInt(await node.call('eth_chainId'));
  const ctx = { node, chainId, salt: spec.salt ?? '', entries: {}, keys: {}, wallets: new Map(),
                contracts: compiledContracts(options.contractsCache) };
  const installedBy = await ensureSingletonFactory(node, chainId);
  ctx.safeContracts = await ensureSafeContracts(node);
  for (const [i, e] of spec.entries.entries()) {
    const id = e?.id;
    if (typeof id !== 'string' || !id || ctx.entries[id]) throw new Error(`spec.entries[${i}]: needs a unique "id"`);
    const build = BUILDERS[e.kind];
    if (!build) throw new Error(`${id}: unknown kind ${JSON.stringify(e.kind)}`);
    await build(ctx, id, e);
  }
  if (spec.pin_block !== undefined) await mineTo(node, count(spec.pin_block, 'spec.pin_block'));
  const pin = await node.blockNumber();
  const pinHash = (await node.call('eth_getBlockByNumber', [ethers.toQuantity(pin), false])).hash;
  const entries = {};
  for (const [id, entry] of Object.entries(ctx.entries)) {
    if (entry.kind === 'token' || entry.kind === 'contract') {
      entries[id] = { ...entry };
      continue;
    }
    await checkSignaturesAt(ctx, entry, pin);
    entries[id] = await describeVault(ctx, entry, pin);
  }
  for (const [id, entry] of Object.entries(ctx.entries)) {
    if (entry.kind !== 'safe') continue;
    if (entry.afterPin.length === 0) {
      entries[id].after_pin = null;
      continue;
    }
    const actions = [];
    for (const [i, a] of entry.afterPin.entries()) actions.push(await applyAction(ctx, entry, a, `${id}.after_pin[${i}]`));
    entries[id].after_pin = { actions, owners: [...entry.owners], threshold: entry.threshold,
                              modules: [...entry.modules], guard: entry.guard, eth_wei: entry.eth.toString() };
  }
  return {
    chain_id: Number(chainId), pin_block: pin, pin_block_hash: pinHash, latest_block: await node.blockNumber(),
    singleton_factory: { address: SINGLETON_FACTORY, installed_by: installedBy },
    safe_contracts: ctx.safeContracts, keys: ctx.keys, entries,
  };
}

// ---- command line -----------------------------------------------------------------------------------
function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    if (!['--rpc', '--spec', '--contracts-cache'].includes(flag) || argv[i + 1] === undefined) {
      throw new Error('usage: safe_fixture.mjs --rpc URL --spec FILE|- [--contracts-cache FILE]');
    }
    args[flag.slice(2)] = argv[i + 1];
  }
  if (!args.rpc || !args.spec) throw new Error('usage: safe_fixture.mjs --rpc URL --spec FILE|- [--contracts-cache FILE]');
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const spec = JSON.parse(readFileSync(args.spec === '-' ? 0 : args.spec, 'utf8'));
  const out = await buildVaults(args.rpc, spec, { contractsCache: args['contracts-cache'] });
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    process.stderr.write('safe_fixture: ' + (e && e.message ? e.message : e) + '\n');
    process.exit(1);
  });
}
