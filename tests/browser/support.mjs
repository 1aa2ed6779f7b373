// Shared setup for the browser and node tests of the status page: builds a real tree and proofs
// with the segverify CLI (tree build / proof export), composes a report directory whose pool root
// is that tree's root.json, derives the tampered proof set, and starts/stops `segverify serve`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
  writeReport(reports, '2026-11', 'PASS', root);
  return {
    reports,
    rootHash: root.hash,
    valid: { alice: exportProof('tree', 'alice'), erin: exportProof('tree', 'erin'), dave: exportProof('tree', 'dave') },
    unpublished: exportProof('unpublished-tree', 'alice'),
  };
}

// Writes <reports>/<id>/report.json with one pool "spot" whose root is `root` (a root.json object).
export function writeReport(reports, id, verdict, root) {
  // The reader refuses a verdict its contents do not call for: FAIL carries an error finding,
  // ERROR a could-not-check line, as attest writes them.
  const findings = [{ check: 'shared-key', subject: '02ab', detail: 'key also in a firm multisig', severity: 'info' }];
  if (verdict === 'FAIL') findings.push({ check: 'overlap', subject: 'bc1qx', detail: 'address is in pool spot and in firm', severity: 'error' });
  const report = {
    format: 'segverify-report/1', id, verdict, message: `Example Exchange attestation ${id}`,
    chains: { ethereum: { block: 21000000, block_hash: `0x${'ab'.repeat(32)}`, sources: ['ethereum'] },
              bitcoin: { height: 870000, block_hash: 'cd'.repeat(32), sources: ['bitcoin-core', 'esplora'] } },
    pools: [{ name: 'spot', holds: true, accounts: 10, root: { hash: root.hash, sums: root.sums, height: root.height },
              assets: root.assets.map((a, i) => ({ symbol: a.symbol, decimals: a.decimals, liabilities: root.sums[i], reserves: root.sums[i], covered: true })),
              addresses: [] }],
    firm: { addresses: [] },
    findings,
    errors: verdict === 'ERROR' ? ['bitcoin source 1 could not be reached'] : [],
    inputs: { config_sha256: '00'.repeat(32), liabilities_sha256: {} },
    tool: { name: 'segverify', version: 'test' },
  };
  fs.mkdirSync(path.join(reports, id), { recursive: true });
  fs.writeFileSync(path.join(reports, id, 'report.json'), JSON.stringify(report));
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

// Starts `segverify serve --port 0`; resolves {url, stop}. stop() kills it and waits.
export function startServer(binary, reports) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['serve', '--report', reports, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`serve did not start: ${err}`)); }, 10000);
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = /at (http:\/\/[^ ]+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        const exited = new Promise((r) => child.once('exit', r));
        resolve({ url: m[1], stop: async () => { if (child.exitCode === null) child.kill('SIGTERM'); await exited; } });
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited ${code}: ${err}`)); });
  });
}
