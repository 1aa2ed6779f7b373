// Shared setup for the browser and node tests of the status site: builds a real tree and proofs
// with the segverify CLI (tree build / proof export), composes a report directory (DIR/report.json,
// as `attest --out DIR` writes it) whose pool root is that tree's root.json, derives the tampered
// proof set, runs the sample exchange (real anvil + Bitcoin test server + `attest`) for realistic
// reports, publishes sites, and starts/stops `segverify serve` and a plain static file server.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const kRepo = path.resolve(here, '..', '..');
export const kChromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function makeTempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function run(binary, args) {
  const r = spawnSync(binary, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`segverify ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

const kLiabilities = 'account_id,BTC,ETH\nalice,0.5,1.25\nbob,1,0\ncarol,0.00000001,3\ndave,0,0.000000000000000001\nerin,21,0\n';

// Builds the published tree (and an unpublished one) in `dir`; returns the report dir and proofs.
export function buildFixtures(binary, dir) {
  fs.writeFileSync(path.join(dir, 'spot.csv'), kLiabilities);
  const build = (out, key) => run(binary, ['tree', 'build', '--liabilities', path.join(dir, 'spot.csv'),
    '--assets', 'BTC:8,ETH:18', '--out', path.join(dir, out), '--pool', 'spot', '--no-shuffle',
    '--nonce-key', key, '--quiet']);
  build('tree', '11'.repeat(32));
  build('unpublished-tree', '22'.repeat(32));
  const root = JSON.parse(fs.readFileSync(path.join(dir, 'tree', 'root.json'), 'utf8'));
  const exportProof = (tree, account) =>
    run(binary, ['proof', 'export', '--tree', path.join(dir, tree), '--account', account]).trim();

  const reports = path.join(dir, 'reports');
  writeReport(reports, '2026-11', 'PASS', root, '2026-11-01T00:00:00Z');
  return {
    reports,
    rootHash: root.hash,
    valid: { alice: exportProof('tree', 'alice'), erin: exportProof('tree', 'erin'), dave: exportProof('tree', 'dave') },
    unpublished: exportProof('unpublished-tree', 'alice'),
  };
}

// Writes <dir>/report.json with one pool "spot" whose root is `root` (a root.json object), one
// address per chain with its balances, and the bitcoin block's time `blockTime` (null: unknown).
export function writeReport(dir, id, verdict, root, blockTime = null) {
  // The reader refuses a verdict its contents do not call for: FAIL carries an error finding,
  // ERROR a could-not-check line, as attest writes them.
  const findings = [{ check: 'shared-key', subject: '02ab', detail: 'key also in a firm multisig', severity: 'info' }];
  if (verdict === 'FAIL') findings.push({ check: 'overlap', subject: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', detail: 'address is in pool spot and in firm', severity: 'error' });
  const btc = root.assets.findIndex((a) => a.symbol === 'BTC');
  const report = {
    format: 'segverify-report/1', id, verdict, message: `Example Exchange attestation ${id}: client assets`,
    chains: { ethereum: { block: 21000000, block_hash: `0x${'ab'.repeat(32)}`, block_time: null, sources: ['http://127.0.0.1:8545'] },
              bitcoin: { height: 870000, block_hash: 'cd'.repeat(32), block_time: blockTime, sources: ['http://127.0.0.1:8332', 'http://127.0.0.1:3000'] } },
    pools: [{ name: 'spot', holds: true, accounts: 10, root: { hash: root.hash, sums: root.sums, height: root.height },
              assets: root.assets.map((a, i) => ({ symbol: a.symbol, decimals: a.decimals, liabilities: root.sums[i], reserves: root.sums[i], covered: true })),
              addresses: [{ chain: 'bitcoin', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', type: 'p2wpkh', proof: 'bip322', ownership: 'valid',
                            balances: btc >= 0 ? { BTC: root.sums[btc] } : {} }] }],
    firm: { addresses: [] },
    findings,
    errors: verdict === 'ERROR' ? ['bitcoin: http://127.0.0.1:8332: cannot reach the node (Connection) (getblockhash)'] : [],
    inputs: { config_sha256: '00'.repeat(32), liabilities_sha256: {} },
    tool: { name: 'segverify', version: 'test' },
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report));
}

// The proof set: [{name, text}] — valid proofs, each tampering, and malformed inputs.
export function proofCases(fixtures) {
  const base = fixtures.valid.alice;
  const edit = (fn) => { const p = JSON.parse(base); fn(p); return JSON.stringify(p); };
  const flipHex = (h) => (h[0] === '0' ? '1' : '0') + h.slice(1);
  return [
    { name: 'valid alice', text: base },
    { name: 'valid erin', text: fixtures.valid.erin },
    { name: 'valid dave (1 wei)', text: fixtures.valid.dave },
    { name: 'valid, same value written 0.50', text: edit((p) => { p.balances[0] = '0.50'; }) },
    { name: 'valid, pretty-printed', text: JSON.stringify(JSON.parse(base), null, 2) },
    { name: 'valid, leaf_index written -0', text: base.replace('"leaf_index":0', '"leaf_index":-0') },
    { name: 'tampered balance', text: edit((p) => { p.balances[0] = '0.6'; }) },
    { name: 'tampered second balance', text: edit((p) => { p.balances[1] = '100'; }) },
    { name: 'tampered account id', text: edit((p) => { p.account_id = 'mallory'; }) },
    { name: 'tampered nonce', text: edit((p) => { p.nonce = flipHex(p.nonce); }) },
    { name: 'tampered leaf index', text: edit((p) => { p.leaf_index = 1; }) },
    { name: 'tampered sibling hash', text: edit((p) => { p.path[0].hash = flipHex(p.path[0].hash); }) },
    { name: 'tampered sibling sums', text: edit((p) => { p.path[1].sums[0] = '0'; }) },
    { name: 'swapped path order', text: edit((p) => { p.path.reverse(); }) },
    { name: 'tampered root hash', text: edit((p) => { p.root.hash = flipHex(p.root.hash); }) },
    { name: 'tampered root sums', text: edit((p) => { p.root.sums[0] = '1000'; }) },
    { name: 'consistent proof, unpublished root', text: fixtures.unpublished },
    { name: 'upper-case hex (still valid)', text: edit((p) => { p.nonce = p.nonce.toUpperCase(); p.root.hash = p.root.hash.toUpperCase(); }) },
    { name: 'malformed: unknown field', text: edit((p) => { p.extra = 1; }) },
    { name: 'malformed: missing field', text: edit((p) => { delete p.pool; }) },
    { name: 'malformed: duplicate key', text: base.replace('{"format"', '{"pool":"other","format"') },
    { name: 'malformed: leaf_index 0.0', text: base.replace('"leaf_index":0', '"leaf_index":0.0') },
    { name: 'malformed: too many decimals', text: edit((p) => { p.balances[0] = '0.500000000'; }) },
    { name: 'malformed: exponent amount', text: edit((p) => { p.balances[0] = '5e-1'; }) },
    { name: 'malformed: negative amount', text: edit((p) => { p.balances[0] = '-0.5'; }) },
    { name: 'malformed: wrong format', text: edit((p) => { p.format = 'segverify-proof/2'; }) },
    { name: 'malformed: height mismatch', text: edit((p) => { p.root.height += 1; }) },
    { name: 'malformed: leaf index beyond height', text: edit((p) => { p.leaf_index = 1 << 20; }) },
    { name: 'malformed: decimals changed', text: edit((p) => { p.assets[0].decimals = 9; }) },
    { name: 'malformed: short nonce', text: edit((p) => { p.nonce = p.nonce.slice(2); }) },
    { name: 'malformed: deep nesting', text: `{"format":${'['.repeat(100)}${']'.repeat(100)}}` },
    { name: 'malformed: not JSON', text: 'this is not a proof' },
    { name: 'malformed: empty', text: '' },
    { name: 'malformed: trailing text', text: `${base} x` },
    { name: 'valid, padded to exactly 1 MiB', text: base + ' '.repeat((1 << 20) - base.length) },
    { name: 'malformed: padded to 1 MiB + 1 byte', text: base + ' '.repeat((1 << 20) + 1 - base.length) },
  ];
}

// What the CLI says: true iff `proof verify --root-hash <published>` exits 0.
export function cliSaysValid(binary, dir, text, rootHash) {
  const file = path.join(dir, 'case.json');
  fs.writeFileSync(file, text);
  const r = spawnSync(binary, ['proof', 'verify', file, '--root-hash', rootHash], { encoding: 'utf8' });
  if (![0, 1, 2].includes(r.status)) throw new Error(`proof verify exited ${r.status}: ${r.stderr}`);
  return r.status === 0;
}

// Starts `segverify serve --port 0` (history in `state`, default beside the reports); resolves
// {url, stop}. stop() stops it and waits.
export function startServer(binary, reports, state = null) {
  const args = ['serve', '--report', reports, '--port', '0'];
  if (state) args.push('--state', state);
  return startPrinting(binary, args, /at (http:\/\/[^ ]+\/)/, 'serve');
}

// A plain static file server for `dir` (python3 http.server: no CORS headers, no special
// routes), as a CDN or a web server would serve a published site. Resolves {url, stop}.
export function startStaticServer(dir) {
  return startPrinting('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir],
    /port (\d+)/, 'python3 http.server', (m) => `http://127.0.0.1:${m[1]}/`);
}

// Servers still running when this process exits (an assertion thrown past every finally, an
// uncaught exception) are stopped on the way out, so a failed test leaves no server behind.
const running = new Set();
process.once('exit', () => { for (const child of running) child.kill('SIGTERM'); });

function startPrinting(program, args, pattern, name, toUrl = (m) => m[1]) {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    let out = '', err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${name} did not start: ${err}`)); }, 15000);
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = pattern.exec(out);
      if (m && timer) {
        clearTimeout(timer);
        const exited = new Promise((r) => child.once('exit', r));
        resolve({ url: toUrl(m), stop: async () => { if (child.exitCode === null) child.kill('SIGTERM'); await exited; } });
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} exited ${code}: ${err}`)); });
  });
}

// `segverify publish --report reports --out site`.
export function publish(binary, reports, site) {
  return run(binary, ['publish', '--report', reports, '--out', site]);
}

// Runs the sample exchange for `scenario` (tests/scenario/sample_exchange.mjs: anvil and the
// Bitcoin test server on loopback) and `segverify attest` on it; the nodes are stopped before it
// returns. Returns {out (attest's --out, with report.json and pools/), config, servers}.
export async function runSampleExchange(binary, dir, scenario, contractsCache) {
  const servers = path.join(dir, `${scenario}-servers`);
  const launcher = spawn('node', [path.join(kRepo, 'tests/scenario/sample_exchange.mjs'), '--out', servers, '--scenario',
                                  scenario, '--contracts-cache', contractsCache], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  launcher.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((r) => launcher.once('exit', r));
  try {
    let timer = null;
    const line = await new Promise((resolve, reject) => {
      let out = '';
      launcher.stdout.on('data', (d) => { out += d; if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n'))); });
      exited.then(() => reject(new Error(`sample exchange exited before READY: ${stderr}`)));
      timer = setTimeout(() => reject(new Error('sample exchange: no READY line in 120 s')), 120000);
    }).finally(() => clearTimeout(timer));
    if (!line.startsWith('READY ')) throw new Error(`sample exchange said "${line}"`);
    const config = line.slice(6);
    const out = path.join(dir, `${scenario}-out`);
    const attest = spawnSync(binary, ['attest', config, '--out', out, '--quiet'], { encoding: 'utf8' });
    if (![0, 1, 2].includes(attest.status) || !fs.existsSync(path.join(out, 'report.json'))) {
      throw new Error(`attest (${scenario}) exited ${attest.status}: ${attest.stderr}`);
    }
    return { out, config, servers, stderr: attest.stderr };
  } finally {
    launcher.stdin.end();
    await exited;
  }
}
