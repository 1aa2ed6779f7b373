// In-browser proof verification time (target < 50 ms per proof) in headless Chromium, for the
// WebCrypto and the built-in SHA-256 paths. Uses a real tree of 100,000 accounts (height 17)
// built with the CLI, served by `segverify serve`; times the page's own measurement (#verify-result
// data-ms: from the click handler's start of checkProofText to its answer).
// Run: node bench/server_bench_browser.mjs build/verifier/segverify [runs=30]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { makeTempDir, startServer, writeReport } from '../tests/browser/support.mjs';

const [binary, runsArg] = process.argv.slice(2);
if (!binary) throw new Error('usage: server_bench_browser.mjs <segverify binary> [runs]');
const runs = Number(runsArg || 30);
const accounts = 100000;

const dir = makeTempDir('segverify-browser-bench-');
let server = null, context = null;
try {
  const rows = ['account_id,BTC,ETH'];
  for (let i = 0; i < accounts; i++) rows.push(`user-${i},${i % 1000}.5,${i % 7}`);
  fs.writeFileSync(path.join(dir, 'l.csv'), `${rows.join('\n')}\n`);
  const cli = (args) => {
    const r = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  cli(['tree', 'build', '--liabilities', path.join(dir, 'l.csv'), '--assets', 'BTC:8,ETH:18', '--out',
       path.join(dir, 'tree'), '--pool', 'spot', '--nonce-key', 'ab'.repeat(32), '--quiet']);
  const proof = cli(['proof', 'export', '--tree', path.join(dir, 'tree'), '--account', 'user-4242']);
  const root = JSON.parse(fs.readFileSync(path.join(dir, 'tree', 'root.json'), 'utf8'));
  writeReport(path.join(dir, 'reports'), '2026-11', 'PASS', root);
  server = await startServer(binary, path.join(dir, 'reports'));
  context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = context.pages()[0] || await context.newPage();
  for (const [mode, query] of [['webcrypto', ''], ['builtin', '?sha=builtin']]) {
    await page.goto(server.url + query);
    await page.waitForSelector('#roots tbody tr');
    await page.fill('#proof', proof);
    const times = [];
    for (let i = 0; i < runs; i++) {
      await page.evaluate(() => { document.getElementById('verify-result').textContent = ''; });
      await page.click('#verify');
      await page.waitForFunction(() => /^(valid|invalid)/.test(document.getElementById('verify-result').textContent));
      const text = await page.textContent('#verify-result');
      if (!text.startsWith('valid')) throw new Error(`expected valid, got ${text}`);
      times.push(Number(await page.getAttribute('#verify-result', 'data-ms')));
    }
    times.sort((a, b) => a - b);
    const pick = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    console.log(`${mode}: height ${root.height}, ${runs} runs: median ${pick(0.5).toFixed(2)} ms, ` +
                `p90 ${pick(0.9).toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms (target < 50 ms)`);
  }
} finally {
  if (context) await context.close();
  if (server) await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
