// Local nodes for the sample exchange and the attestation benchmark: anvil and the Bitcoin test
// server on free 127.0.0.1 ports, run so that none outlives this process, plus the JSON-RPC and
// contract helpers both need.
//
// Children run under a tiny python wrapper that sets PR_SET_PDEATHSIG (SIGTERM) and then execs
// the node, so they die with us even if we are SIGKILLed; stopChildren() stops the rest and waits.
// runUntilStopped(setup) is the launcher's life cycle: signals during setup stop at once; after
// setup resolves, it waits for SIGTERM/SIGINT, stdin EOF (when stdin is a pipe or terminal) or a
// node's death, then stops every node and exits (2 after an error, else 0).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, fstatSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { require } from '../../fixtures/sample-exchange/sample_keys.mjs';

const ethers = require('ethers');

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ANVIL = join(ROOT, 'node_modules/.bin/anvil');
const BITCOIN_SERVER = join(ROOT, 'tests/support/servers/bitcoin_test_server.py');
// The Bitcoin test server's RPC credentials (a loopback test server: not a secret worth hiding).
export const BITCOIN_RPC_AUTH = 'sample:sample-rpc-password';

export function log(msg) {
  process.stderr.write(msg + '\n');
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- child processes ----------------------------------------------------------------------------
const children = [];

// Runs `program` under a tiny python wrapper that sets PR_SET_PDEATHSIG (SIGTERM) and then execs it,
// so the node dies with us even if we are SIGKILLed. stdout is piped (the Bitcoin server prints its
// port there), stderr goes to `logFile`.
function startChild(name, program, args, logFile) {
  const wrapper = 'import ctypes, os, signal, sys\n' +
    'ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)\n' +
    'if os.getppid() != int(sys.argv[1]): sys.exit(1)\n' +
    'os.execvp(sys.argv[2], sys.argv[2:])\n';
  const child = spawn('python3', ['-c', wrapper, String(process.pid), program, ...args], {
    stdio: ['ignore', 'pipe', logFile ? 'pipe' : 'ignore'],
  });
  const entry = { name, child, exited: false, stderr: '' };
  child.on('exit', () => { entry.exited = true; });
  if (logFile) child.stderr.on('data', (d) => { entry.stderr += d; });
  children.push(entry);
  return entry;
}

export async function stopChildren() {
  await Promise.all(children.map((e) => new Promise((res) => {
    if (e.exited || e.child.exitCode !== null || e.child.signalCode !== null) return res();
    const timer = setTimeout(() => e.child.kill('SIGKILL'), 2000);
    e.child.once('exit', () => { clearTimeout(timer); res(); });
    e.child.kill('SIGTERM');
  })));
}

export function freePort() {
  return new Promise((res, rej) => {
    const srv = net.createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}


export async function rpc(url, method, params = []) {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' },
                               body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = await r.json();
  if (body.error) throw new Error(method + ': ' + JSON.stringify(body.error));
  return body.result;
}

// The one way JavaScript tests start anvil (C++ tests: tests/support/anvil.h). Chain id 1 unless
// told otherwise: attestations are mainnet only.
// `timestamp`: the genesis block's time (unix seconds).
export async function startAnvil({ chainId = 1, timestamp = 1700000000 } = {}) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = 'http://127.0.0.1:' + port;
    const e = startChild('anvil', ANVIL, ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(chainId),
                                          '--timestamp', String(timestamp), '--silent'], false);
    for (let i = 0; i < 200 && !e.exited; i++) {
      try {
        if ((await rpc(url, 'eth_chainId')) === '0x' + chainId.toString(16)) return url;
      } catch { /* not up yet */ }
      await sleep(50);
    }
    e.child.kill('SIGKILL');
  }
  throw new Error('anvil did not start');
}

// Starts the Bitcoin test server; it binds port 0 itself and prints the port.
export async function startBitcoinServer(chainFile, extraArgs) {
  const e = startChild('bitcoin-server', 'python3', [BITCOIN_SERVER, '--chain', chainFile, '--auth', BITCOIN_RPC_AUTH, ...extraArgs], true);
  const port = await new Promise((res, rej) => {
    let out = '';
    e.child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) res(Number(out.slice(0, nl).trim()));
    });
    e.child.once('exit', () => rej(new Error('the Bitcoin test server exited: ' + e.stderr.trim())));
  });
  return 'http://127.0.0.1:' + port;
}

// ---- contracts ----------------------------------------------------------------------------------
export function compiledContracts(cacheFile) {
  const dir = join(ROOT, 'tests/support/contracts');
  const hash = createHash('sha256');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.sol') || n === 'compile.js').sort()) {
    hash.update(f).update(readFileSync(join(dir, f)));
  }
  const key = hash.digest('hex');
  if (cacheFile && existsSync(cacheFile)) {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8'));
    if (cached.key === key) return cached.contracts;
  }
  const r = spawnSync('node', [join(dir, 'compile.js')], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error('compiling tests/support/contracts failed: ' + r.stderr);
  const contracts = JSON.parse(r.stdout);
  if (cacheFile) {
    const tmp = cacheFile + '.' + process.pid + '.tmp';
    writeFileSync(tmp, JSON.stringify({ key, contracts }));
    renameSync(tmp, cacheFile);  // atomic: parallel tests never read half a file
  }
  return contracts;
}

// ---- Ethereum state -----------------------------------------------------------------------------
// anvil mines each transaction as it arrives, but the receipt can trail the hash by a moment.
export async function receiptOf(url, hash) {
  for (let i = 0; i < 100; i++) {
    const receipt = await rpc(url, 'eth_getTransactionReceipt', [hash]);
    if (receipt) return receipt;
    await sleep(20);
  }
  return null;
}

export async function sendFromDev(url, from, to, valueWei, data) {
  const tx = { from, data: data || '0x' };
  if (to) tx.to = to;
  if (valueWei) tx.value = ethers.toQuantity(valueWei);
  const hash = await rpc(url, 'eth_sendTransaction', [tx]);
  const receipt = await receiptOf(url, hash);
  if (!receipt || receipt.status !== '0x1') throw new Error('transaction failed: ' + JSON.stringify(tx).slice(0, 200) + ' receipt ' + JSON.stringify(receipt));
  return receipt;
}

export async function mineTo(url, block) {
  const now = Number(await rpc(url, 'eth_blockNumber'));
  if (now > block) throw new Error('setup used more blocks (' + now + ') than the pinned block ' + block);
  if (now < block) await rpc(url, 'anvil_mine', [ethers.toQuantity(block - now)]);
}

// ---- life cycle -----------------------------------------------------------------------------------
let ready = false;
let requestStop;
const stopPromise = new Promise((r) => { requestStop = r; });
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    requestStop();
    if (!ready) stopChildren().then(() => process.exit(2));
  });
}

// Runs `setup` (which starts nodes and prints its READY line), then waits as described above.
export async function runUntilStopped(setup) {
  let failed = false;
  process.once('uncaughtException', (e) => { log('error: ' + e.message); stopChildren().then(() => process.exit(2)); });
  try {
    await setup();
    ready = true;
    await new Promise((res) => {
      stopPromise.then(res);
      const st = fstatSync(0);
      if (st.isFIFO() || st.isSocket() || process.stdin.isTTY) {
        process.stdin.on('data', () => {});
        process.stdin.once('end', res);
        process.stdin.once('close', res);
      }
      for (const e of children) {
        if (!e.exited) e.child.once('exit', () => { log(e.name + ' exited unexpectedly'); res(); });
      }
    });
  } catch (e) {
    log('error: ' + (e && e.message ? e.message : e));
    failed = true;
  }
  await stopChildren();
  process.exit(failed ? 2 : 0);
}
