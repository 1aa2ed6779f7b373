// Launches the sample exchange (fixtures/sample-exchange/) on real loopback nodes, for the README
// example (scripts/sample-exchange) and the end-to-end attestation tests (tests/attest/).
//
// Usage: node tests/scenario/sample_exchange.mjs --out DIR [--scenario NAME] [--contracts-cache FILE]
//
// Starts anvil (--chain-id 1: attestations are mainnet only) and the Bitcoin test server
// (tests/support/servers/bitcoin_test_server.py, Bitcoin Core RPC + Esplora) on free 127.0.0.1 ports,
// deploys TestToken (the sample's USDT) from anvil's first dev account at nonce 0 and the spot
// vault, a Safe 1.4.1 made from the official contracts by tests/attest/safe_fixture.mjs (both at the
// addresses in wallets.json), funds the sample
// addresses, mines to the pinned block, and writes DIR/config.json (with DIR/spot.csv and
// DIR/margin.csv beside it) and DIR/bitcoin_chain.json. Then prints exactly one line
// "READY <DIR>/config.json" on stdout and stays up until SIGTERM/SIGINT, or until stdin reaches
// its end when stdin is a pipe or a terminal (under /dev/null it waits for a signal). On the way
// out — also after any error — it stops every node it started and waits for them. The nodes also
// get SIGTERM if this process dies without cleaning up (Linux parent-death signal), so none is
// ever left behind. Diagnostics go to stderr; stdout carries only the READY line.
//
// Scenarios (each changes the config and/or the chain state; the expected outcome in brackets):
//   pass [PASS]; overlap, overlap-eth [overlap]; double-count, double-count-same-pool
//   [double-count]; shared-key, shared-key-firm-address [shared-key error]; firm-control;
//   under-coverage [coverage, USDT only]; stale-signature, foreign-signature, erc1271-invalid
//   [ownership]; moved-after-pin [PASS]; moved-before-pin [coverage]; node-down [ERROR];
//   sources-disagree [sources-disagree].
import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VAULT, require, samplePrivateKey } from '../../fixtures/sample-exchange/sample_keys.mjs';
import { buildVaults } from '../attest/safe_fixture.mjs';
import {
  BITCOIN_RPC_AUTH, ROOT, compiledContracts, freePort, log, mineTo, receiptOf, rpc, runUntilStopped, sendFromDev,
  startAnvil, startBitcoinServer,
} from '../support/local_nodes.mjs';

const ethers = require('ethers');
const bitcoin = require('bitcoinjs-lib');

const SAMPLE = join(ROOT, 'fixtures/sample-exchange');
const SAT = 100000000;

// Pinned heights come from the template; the chain states below are built around them.
const SCENARIOS = [
  'pass', 'overlap', 'overlap-eth', 'double-count', 'double-count-same-pool', 'shared-key',
  'shared-key-firm-address', 'firm-control', 'under-coverage', 'stale-signature', 'foreign-signature',
  'moved-after-pin', 'moved-before-pin', 'node-down', 'sources-disagree', 'erc1271-invalid',
];

function parseArgs(argv) {
  const args = { scenario: 'pass', out: null, contractsCache: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(a + ' needs a value');
      return argv[++i];
    };
    if (a === '--out') args.out = resolve(value());
    else if (a === '--scenario') args.scenario = value();
    else if (a === '--contracts-cache') args.contractsCache = resolve(value());
    else throw new Error('unknown argument ' + a);
  }
  if (!args.out) throw new Error('--out DIR is required');
  if (!SCENARIOS.includes(args.scenario)) throw new Error('unknown scenario "' + args.scenario + '" (' + SCENARIOS.join(', ') + ')');
  return args;
}

// A plain ETH transfer signed with a sample key (ethers), as the exchange itself would send it.
async function sendFromSampleKey(url, keyName, to, valueWei) {
  const wallet = new ethers.Wallet('0x' + samplePrivateKey(keyName).toString('hex'));
  const nonce = Number(await rpc(url, 'eth_getTransactionCount', [wallet.address, 'latest']));
  const gasPrice = BigInt(await rpc(url, 'eth_gasPrice'));
  const raw = await wallet.signTransaction({ type: 0, chainId: 1, nonce, to, value: valueWei, gasLimit: 21000n, gasPrice });
  const hash = await rpc(url, 'eth_sendRawTransaction', [raw]);
  const receipt = await receiptOf(url, hash);
  if (!receipt || receipt.status !== '0x1') throw new Error('transfer from ' + keyName + ' failed');
}

// The spot vault (sample_keys.mjs VAULT), through the official SafeProxyFactory.
async function deploySpotVault(url, contractsCache) {
  const owners = VAULT.owners.map((name) => '0x' + samplePrivateKey(name).toString('hex'));
  const spec = { entries: [{ id: 'spot_vault', kind: 'safe', owners, threshold: VAULT.threshold, salt_nonce: VAULT.salt_nonce }] };
  return (await buildVaults(url, spec, { contractsCache })).entries.spot_vault.address;
}

async function setUpEthereum(url, contracts, wallets, scenario, pinnedBlock, contractsCache) {
  const dev = wallets.contracts.deployer;
  const a = (name) => wallets.addresses[name].entry.address;
  const token = (await sendFromDev(url, dev, null, 0n, '0x' + contracts.TestToken.bytecode)).contractAddress;
  const vault = await deploySpotVault(url, contractsCache);
  if (token.toLowerCase() !== wallets.contracts.USDT.toLowerCase() || vault.toLowerCase() !== wallets.contracts.vault.toLowerCase()) {
    throw new Error('contract addresses differ from wallets.json (was anything sent before the deployments?)');
  }
  const eth = ethers.parseEther;
  const usdt = (text) => ethers.parseUnits(text, 6);
  // spot ETH 17.950000000000000001 = EOA + vault; margin ETH 8; spot USDT 102811.613456; margin 12800.
  for (const [to, value] of [[a('spot_eoa'), eth('15.950000000000000001')], [a('margin_eoa'), eth('8')], [a('firm_eoa'), eth('30')]]) {
    await sendFromDev(url, dev, to, value);
  }
  await rpc(url, 'anvil_setBalance', [vault, ethers.toQuantity(eth('2'))]);
  const iface = new ethers.Interface(contracts.TestToken.abi);
  const spotEoaUsdt = scenario === 'under-coverage' ? usdt('49999.999999') : usdt('50000');  // 0.000001 short
  for (const [to, value] of [[a('spot_eoa'), spotEoaUsdt], [vault, usdt('52811.613456')], [a('margin_eoa'), usdt('12800')],
                             [a('firm_eoa'), usdt('1000')]]) {
    await sendFromDev(url, dev, token, 0n, iface.encodeFunctionData('mint', [to, value]));
  }
  const away = wallets.ethereum_addresses.stranger;
  if (scenario === 'moved-before-pin') {
    await mineTo(url, pinnedBlock - 5);
    await sendFromSampleKey(url, 'spot-eth', away, eth('10'));  // leaves before the pin: not covered
  }
  await mineTo(url, pinnedBlock);
  if (scenario === 'moved-after-pin') {
    await sendFromSampleKey(url, 'spot-eth', away, eth('10'));  // leaves after the pin: still covered at the pin
  }
  await rpc(url, 'anvil_mine', ['0x3']);  // the tip is past the pin, as on a live chain
}

// ---- Bitcoin chain --------------------------------------------------------------------------------
// The chain file for tests/support/servers/bitcoin_test_server.py (its header comment gives the format).
function bitcoinChain(wallets, scenario, pinnedHeight) {
  const spk = (name) => wallets.addresses[name].script_pubkey;
  const stranger = bitcoin.payments.p2wpkh({ pubkey: Buffer.from(wallets.public_keys.stranger, 'hex') });
  const addresses = {};
  for (const name of ['spot_p2wpkh', 'spot_p2tr', 'spot_p2wsh', 'margin_p2wpkh', 'firm_p2pkh', 'shared_firm_cold_p2wpkh',
                      'shared_firm_p2pkh_p2wpkh', 'firm_controlled_p2wsh']) {
    addresses[name] = { address: wallets.addresses[name].entry.address, scriptpubkey: spk(name) };
  }
  addresses.stranger = { address: stranger.address, scriptpubkey: Buffer.from(stranger.output).toString('hex') };
  // spot BTC 18.08012 = 5 (p2wpkh) + 3.08012 (p2tr) + 10 (p2wsh); margin 5.25; firm 2.5.
  const txs = [
    { comment: 'tx0: coinbase pays spot_p2wpkh 6 BTC', height: 100, inputs: [], outputs: [['spot_p2wpkh', 6 * SAT]] },
    { comment: 'tx1: coinbase pays spot_p2tr 3.08012 BTC', height: 110, inputs: [], outputs: [['spot_p2tr', 308012000]] },
    { comment: 'tx2: coinbase pays spot_p2wsh 10 BTC', height: 120, inputs: [], outputs: [['spot_p2wsh', 10 * SAT]] },
    { comment: 'tx3: coinbase pays margin_p2wpkh 5.25 BTC and firm_p2pkh 2.5 BTC', height: 130, inputs: [],
      outputs: [['margin_p2wpkh', 525000000], ['firm_p2pkh', 250000000]] },
    { comment: 'tx4: a client withdrawal from spot_p2wpkh: 0.9999 BTC out, 5 BTC change, fee 0.0001', height: 150,
      inputs: [[0, 0]], outputs: [['stranger', 99990000], ['spot_p2wpkh', 5 * SAT]] },
  ];
  if (scenario === 'moved-before-pin') {
    txs.push({ comment: 'tx5: spot_p2tr moved out before the pin', height: pinnedHeight - 10, inputs: [[1, 0]],
               outputs: [['stranger', 308002000]] });
  }
  return { source: 'Synthetic chain for the segverify sample exchange, written by tests/scenario/sample_exchange.mjs ' +
                   '(not a real chain); addresses and scriptPubKeys from fixtures/sample-exchange/wallets.json.',
           tip: pinnedHeight, block_time0: kNovember28 - 600 * pinnedHeight, addresses, txs };
}

// The sample's blocks are dated in the month of its attestation (2026-11): the pinned Bitcoin block
// at 2026-11-28T00:00:00Z, anvil's genesis at 2026-11-29T12:00:00Z.
const kNovember28 = 1795824000;
const kNovember29Noon = 1795953600;

// ---- config ---------------------------------------------------------------------------------------
function buildConfig(template, wallets, scenario, urls, out) {
  const config = JSON.parse(JSON.stringify(template));
  const entry = (name) => JSON.parse(JSON.stringify(wallets.addresses[name].entry));
  const [spot, margin] = config.pools;
  const replace = (pool, from, to) => {
    const i = pool.addresses.findIndex((x) => x.address === wallets.addresses[from].entry.address);
    pool.addresses[i] = entry(to);
  };
  config.chains.bitcoin.sources[0].url = urls.core;
  config.chains.bitcoin.sources[0].auth = BITCOIN_RPC_AUTH;
  config.chains.bitcoin.sources[1].url = urls.esplora;
  config.chains.ethereum.sources[0].url = urls.ethereum;
  for (const pool of config.pools) {
    copyFileSync(resolve(SAMPLE, pool.liabilities), join(out, pool.name + '.csv'));
    pool.liabilities = pool.name + '.csv';
  }
  switch (scenario) {
    case 'overlap':  // the spot P2WPKH address again, written in upper case, as a firm address
      config.firm.addresses.push(Object.assign(entry('spot_p2wpkh'), { address: wallets.addresses.spot_p2wpkh.entry.address.toUpperCase() }));
      break;
    case 'overlap-eth':  // the spot EOA again, all lower case (no checksum), as a firm address
      config.firm.addresses.push(Object.assign(entry('spot_eoa'), { address: wallets.addresses.spot_eoa.entry.address.toLowerCase() }));
      break;
    case 'double-count': margin.addresses.push(entry('spot_p2tr')); break;
    case 'double-count-same-pool': spot.addresses.push(entry('spot_eoa')); break;
    case 'shared-key': spot.addresses.push(entry('shared_firm_cold_p2wpkh')); break;
    case 'shared-key-firm-address': spot.addresses.push(entry('shared_firm_p2pkh_p2wpkh')); break;
    case 'firm-control': spot.addresses.push(entry('firm_controlled_p2wsh')); break;
    case 'stale-signature': replace(spot, 'spot_p2wpkh', 'spot_p2wpkh_stale'); break;
    case 'foreign-signature': replace(spot, 'spot_eoa', 'spot_eoa_foreign'); break;
    case 'erc1271-invalid': replace(spot, 'spot_vault', 'spot_vault_non_owner'); break;
    default: break;
  }
  return config;
}

async function setUp(args) {
  mkdirSync(args.out, { recursive: true });
  const wallets = JSON.parse(readFileSync(join(SAMPLE, 'wallets.json'), 'utf8'));
  const template = JSON.parse(readFileSync(join(SAMPLE, 'config.template.json'), 'utf8'));
  const contracts = compiledContracts(args.contractsCache);

  // Dated in its month: the sample's attestation is 2026-11, so are its pinned blocks.
  const ethUrl = await startAnvil({ timestamp: kNovember29Noon });
  await setUpEthereum(ethUrl, contracts, wallets, args.scenario, template.chains.ethereum.block, args.contractsCache);

  const pinnedHeight = template.chains.bitcoin.height;
  const chainFile = join(args.out, 'bitcoin_chain.json');
  writeFileSync(chainFile, JSON.stringify(bitcoinChain(wallets, args.scenario, pinnedHeight), null, 1) + '\n');
  // Bitcoin Core's scantxoutset only answers for the tip, so the server's tip is the pinned height.
  const core = await startBitcoinServer(chainFile, ['--tip', String(pinnedHeight)]);
  let esplora = core;
  if (args.scenario === 'sources-disagree') {
    // A second server whose Esplora omits tx2 (spot_p2wsh's 10 BTC): the two sources disagree.
    esplora = await startBitcoinServer(chainFile, ['--tip', String(pinnedHeight), '--hide-tx', '2']);
  }
  const ethereum = args.scenario === 'node-down' ? 'http://127.0.0.1:' + (await freePort()) : ethUrl;

  const config = buildConfig(template, wallets, args.scenario, { core, esplora, ethereum }, args.out);
  const configPath = join(args.out, 'config.json');
  writeFileSync(configPath + '.tmp', JSON.stringify(config, null, 2) + '\n');
  renameSync(configPath + '.tmp', configPath);
  log('sample_exchange: scenario ' + args.scenario + ': anvil ' + ethUrl + ', bitcoin ' + core + (esplora !== core ? ', esplora ' + esplora : ''));
  process.stdout.write('READY ' + configPath + '\n');
}

await runUntilStopped(() => setUp(parseArgs(process.argv.slice(2))));
