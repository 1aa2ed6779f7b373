// Sets up the synthetic attestation for bench/attest_bench.sh: ACCOUNTS accounts x 3 assets
// (BTC:8, ETH:18, USDT:6) in 2 pools, ADDRESSES pool addresses (half Bitcoin P2WPKH with BIP-322
// signatures, half Ethereum EOAs with EIP-191 signatures, split evenly between the pools), each
// funded so that every pool covers its liabilities; on a local anvil (--chain-id 1) and the
// Bitcoin test server. Prints "READY <DIR>/config.json" and stays up like
// tests/scenario/sample_exchange.mjs (same life cycle: tests/support/local_nodes.mjs).
//
// Usage: node bench/attest_bench_setup.mjs --out DIR [--accounts N] [--addresses M] [--contracts-cache F]
//                                          [--no-esplora]   (Bitcoin Core as the only Bitcoin source)
//
// Signing 10,000 messages with bip322-js / ethers.signMessage takes minutes, so the signatures are
// made directly with tiny-secp256k1 (RFC 6979) over the BIP-322 sighash (bitcoinjs-lib) and the
// EIP-191 hash (ethers.hashMessage); the first of each kind is checked with bip322-js / ethers.
// Balances are written straight into state (anvil_setBalance, anvil_setStorageAt on the token's
// balanceOf mapping, slot 1 of tests/support/contracts/Erc20Ledger.sol) in JSON-RPC batches.
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { require } from '../fixtures/sample-exchange/sample_keys.mjs';
import {
  BITCOIN_RPC_AUTH, compiledContracts, log, mineTo, runUntilStopped, sendFromDev, startAnvil, startBitcoinServer,
} from '../tests/support/local_nodes.mjs';

const bitcoin = require('bitcoinjs-lib');
const ecc = require('tiny-secp256k1');
const bip322 = require('bip322-js');
const ethers = require('ethers');
bitcoin.initEccLib(ecc);

const MESSAGE = 'Example Exchange attestation 2026-11: client assets (benchmark)';
const DEPLOYER = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const PINNED_BLOCK = 10;
const PINNED_HEIGHT = 60;
const ASSETS = [['BTC', 8n], ['ETH', 18n], ['USDT', 6n]];

function parseArgs(argv) {
  const args = { out: null, accounts: 1000000, addresses: 10000, contractsCache: null, esplora: true };
  for (let i = 0; i < argv.length; i++) {
    const v = () => argv[++i];
    if (argv[i] === '--out') args.out = resolve(v());
    else if (argv[i] === '--accounts') args.accounts = Number(v());
    else if (argv[i] === '--addresses') args.addresses = Number(v());
    else if (argv[i] === '--contracts-cache') args.contractsCache = resolve(v());
    else if (argv[i] === '--no-esplora') args.esplora = false;
    else throw new Error('unknown argument ' + argv[i]);
  }
  if (!args.out || !(args.accounts >= 2) || !(args.addresses >= 4) || args.addresses % 4 !== 0) {
    throw new Error('usage: --out DIR [--accounts N>=2] [--addresses M, a multiple of 4]');
  }
  return args;
}

function amountText(units, decimals) {
  const scale = 10n ** decimals;
  const whole = units / scale;
  let frac = (units % scale).toString().padStart(Number(decimals), '0').replace(/0+$/, '');
  return frac ? whole + '.' + frac : whole.toString();
}

// Row i's balances in base units: varied, never all zero, totals far from any overflow.
function rowUnits(i) {
  return [BigInt((i % 997) + 1) * 1000n, BigInt((i % 89) + 1) * 10n ** 15n, BigInt((i % 1013) + 1) * 10000n];
}

async function writeLiabilities(path, pool, count) {
  const out = createWriteStream(path);
  const totals = [0n, 0n, 0n];
  out.write('account_id,' + ASSETS.map(([s]) => s).join(',') + '\n');
  let chunk = [];
  for (let i = 0; i < count; i++) {
    const units = rowUnits(i);
    for (let k = 0; k < 3; k++) totals[k] += units[k];
    chunk.push(pool + '-user-' + i + ',' + units.map((u, k) => amountText(u, ASSETS[k][1])).join(','));
    if (chunk.length === 10000) {
      if (!out.write(chunk.join('\n') + '\n')) await new Promise((r) => out.once('drain', r));
      chunk = [];
    }
  }
  if (chunk.length) out.write(chunk.join('\n') + '\n');
  await new Promise((r) => out.end(r));
  return totals;
}

const key = (i) => createHash('sha256').update('segverify bench key ' + i).digest();

function varint(n) {
  if (n < 0xfd) return Buffer.from([n]);
  return Buffer.from([0xfd, n & 0xff, n >> 8]);
}

// BIP-322 simple signature of a P2WPKH address: witness [DER sig || SIGHASH_ALL, pubkey] of the
// to_sign transaction (https://github.com/bitcoin/bips/blob/master/bip-0322.mediawiki).
function bitcoinAddress(i) {
  const priv = key(i);
  const pubkey = Buffer.from(ecc.pointFromScalar(priv, true));
  const pay = bitcoin.payments.p2wpkh({ pubkey });
  const toSpend = bip322.BIP322.buildToSpendTx(MESSAGE, Buffer.from(pay.output));
  const toSign = new bitcoin.Transaction();
  toSign.version = 0;
  toSign.addInput(toSpend.getHash(), 0, 0);
  toSign.addOutput(Buffer.from([0x6a]), BigInt(0));
  const scriptCode = bitcoin.payments.p2pkh({ pubkey }).output;
  const hash = toSign.hashForWitnessV0(0, scriptCode, BigInt(0), bitcoin.Transaction.SIGHASH_ALL);
  const sig = Buffer.from(bitcoin.script.signature.encode(Buffer.from(ecc.sign(hash, priv)), bitcoin.Transaction.SIGHASH_ALL));
  const signature = Buffer.concat([varint(2), varint(sig.length), sig, varint(pubkey.length), pubkey]).toString('base64');
  return { entry: { chain: 'bitcoin', address: pay.address, proof: { type: 'bip322', signature } },
           scriptpubkey: Buffer.from(pay.output).toString('hex') };
}

function ethereumAddress(i) {
  const priv = key(i);
  const digest = Buffer.from(ethers.getBytes(ethers.hashMessage(MESSAGE)));
  const { signature, recoveryId } = ecc.signRecoverable(digest, priv);
  const address = ethers.computeAddress('0x' + Buffer.from(ecc.pointFromScalar(priv, false)).toString('hex'));
  const sig = '0x' + Buffer.from(signature).toString('hex') + (27 + recoveryId).toString(16);
  return { entry: { chain: 'ethereum', address, proof: { type: 'eip191', signature: sig } } };
}

async function rpcBatch(url, calls) {
  for (let i = 0; i < calls.length; i += 500) {
    const body = calls.slice(i, i + 500).map(([method, params], j) => ({ jsonrpc: '2.0', id: i + j, method, params }));
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (const a of await r.json()) if (a.error) throw new Error('batch call failed: ' + JSON.stringify(a.error));
  }
}

// Spreads `total` (+1 unit each, so the pool is covered) over `n` addresses.
const share = (total, n) => total / BigInt(n) + 1n;

async function setUp(args) {
  mkdirSync(args.out, { recursive: true });
  let t = Date.now();
  const half = Math.floor(args.accounts / 2);
  const totals = {
    a: await writeLiabilities(join(args.out, 'a.csv'), 'a', half),
    b: await writeLiabilities(join(args.out, 'b.csv'), 'b', args.accounts - half),
  };
  log('bench setup: liabilities written in ' + (Date.now() - t) + ' ms');
  t = Date.now();
  const perKind = args.addresses / 4;  // per pool and chain
  const pools = { a: { btc: [], eth: [] }, b: { btc: [], eth: [] } };
  let n = 0;
  for (const p of ['a', 'b']) {
    for (let i = 0; i < perKind; i++) pools[p].btc.push(bitcoinAddress(n++));
    for (let i = 0; i < perKind; i++) pools[p].eth.push(ethereumAddress(n++));
  }
  const firm = ethereumAddress(n++);
  const first = pools.a.btc[0].entry;
  if (!bip322.Verifier.verifySignature(first.address, MESSAGE, first.proof.signature)) throw new Error('bip322-js rejects the BIP-322 signer');
  const firstEth = pools.a.eth[0].entry;
  if (ethers.verifyMessage(MESSAGE, firstEth.proof.signature) !== firstEth.address) throw new Error('ethers rejects the EIP-191 signer');
  log('bench setup: ' + args.addresses + ' addresses signed in ' + (Date.now() - t) + ' ms');

  t = Date.now();
  const contracts = compiledContracts(args.contractsCache);
  const ethUrl = await startAnvil();
  const token = (await sendFromDev(ethUrl, DEPLOYER, null, 0n, '0x' + contracts.TestToken.bytecode)).contractAddress;
  const calls = [];
  const coder = ethers.AbiCoder.defaultAbiCoder();
  for (const p of ['a', 'b']) {
    const eth = ethers.toQuantity(share(totals[p][1], perKind));
    const usdt = ethers.zeroPadValue(ethers.toBeHex(share(totals[p][2], perKind)), 32);
    for (const { entry } of pools[p].eth) {
      calls.push(['anvil_setBalance', [entry.address, eth]]);
      calls.push(['anvil_setStorageAt', [token, ethers.keccak256(coder.encode(['address', 'uint256'], [entry.address, 1])), usdt]]);
    }
  }
  await rpcBatch(ethUrl, calls);
  await mineTo(ethUrl, PINNED_BLOCK);
  log('bench setup: anvil funded in ' + (Date.now() - t) + ' ms');

  const addresses = {};
  const txs = [];
  // Every funding transaction must be mined at or below the pinned height: at most 25 of them
  // per pool (50 for both, below the pinned height 60), however many addresses (100 outputs
  // each left addresses past 6,000 unfunded).
  const perTx = Math.max(100, Math.ceil(perKind / 25));
  for (const p of ['a', 'b']) {
    const sats = Number(share(totals[p][0], perKind));
    pools[p].btc.forEach((a, i) => {
      const name = p + i;
      addresses[name] = { address: a.entry.address, scriptpubkey: a.scriptpubkey };
      if (i % perTx === 0) txs.push({ height: 1 + txs.length, inputs: [], outputs: [] });
      txs[txs.length - 1].outputs.push([name, sats]);
    });
  }
  const chainFile = join(args.out, 'bitcoin_chain.json');
  writeFileSync(chainFile, JSON.stringify({ source: 'synthetic benchmark chain (bench/attest_bench_setup.mjs)', tip: PINNED_HEIGHT, addresses, txs }));
  const bitcoinUrl = await startBitcoinServer(chainFile, ['--tip', String(PINNED_HEIGHT)]);

  const config = {
    format: 'segverify-attestation/1', id: 'bench', message: MESSAGE,
    assets: [{ symbol: 'BTC', decimals: 8, chain: 'bitcoin' }, { symbol: 'ETH', decimals: 18, chain: 'ethereum' },
             { symbol: 'USDT', decimals: 6, chain: 'ethereum', contract: token }],
    chains: {
      bitcoin: { height: PINNED_HEIGHT, sources: [{ type: 'bitcoin-core', url: bitcoinUrl, auth: BITCOIN_RPC_AUTH },
                                                  ...(args.esplora ? [{ type: 'esplora', url: bitcoinUrl }] : [])] },
      ethereum: { block: PINNED_BLOCK, sources: [{ type: 'ethereum', url: ethUrl }] },
    },
    pools: ['a', 'b'].map((p) => ({ name: p, liabilities: p + '.csv',
                                    addresses: [...pools[p].btc, ...pools[p].eth].map((a) => a.entry) })),
    firm: { addresses: [firm.entry] },
  };
  writeFileSync(join(args.out, 'config.json'), JSON.stringify(config, null, 1) + '\n');
  process.stdout.write('READY ' + join(args.out, 'config.json') + '\n');
}

await runUntilStopped(() => setUp(parseArgs(process.argv.slice(2))));
