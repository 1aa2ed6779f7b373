// In headless Chromium (Debian chromium via playwright-core), on a real tree of 100,000 accounts
// (height 17) built with the CLI, published with `segverify publish` and served by a plain static
// server, and served by `segverify serve`:
// - the page's time to first verdict: a fresh browser context per run (cold cache), from
//   navigation start to the first contentful paint, which shows the verdict (it is in the HTML);
// - the in-browser proof check (target < 50 ms), WebCrypto and the built-in SHA-256: the page's
//   own measurement around checkProofText (#verify-result data-ms).
// Run: node bench/server_bench_browser.mjs build/verifier/segverify [runs=30]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { kChromiumArgs, makeTempDir, publish, startServer, startStaticServer, writeReport } from '../tests/browser/support.mjs';

const [binary, runsArg] = process.argv.slice(2);
if (!binary) throw new Error('usage: server_bench_browser.mjs <segverify binary> [runs]');
const runs = Number(runsArg || 30);
const accounts = 100000;

const stats = (times) => {
  times.sort((a, b) => a - b);
  const pick = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return `median ${pick(0.5).toFixed(1)} ms, p90 ${pick(0.9).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`;
};

const dir = makeTempDir('segverify-browser-bench-');
const stops = [];
let browser = null;
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
  writeReport(path.join(dir, 'reports'), '2026-11', 'PASS', root, '2026-11-01T00:00:00Z');
  publish(binary, path.join(dir, 'reports'), path.join(dir, 'site'));
  const site = await startStaticServer(path.join(dir, 'site'));
  stops.push(site.stop);
  const served = await startServer(binary, path.join(dir, 'reports'), path.join(dir, 'history.sqlite'));
  stops.push(served.stop);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: kChromiumArgs });

  for (const [name, url] of [['static site', site.url], ['serve', served.url]]) {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'load' });
      const verdict = await page.textContent('#verdict');
      if (verdict.trim() !== 'PASS') throw new Error(`verdict ${verdict}`);
      await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
      times.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0].startTime));
      await context.close();
    }
    console.log(`time to first verdict (${name}, cold, 375 px): ${stats(times)}`);
  }

  const page = await browser.newPage();
  for (const [mode, query] of [['webcrypto', ''], ['builtin', '?sha=builtin']]) {
    await page.goto(site.url + query);
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
    console.log(`proof check (${mode}): height ${root.height}, ${runs} runs: ${stats(times)} (target < 50 ms)`);
  }
} finally {
  if (browser) await browser.close();
  for (const stop of stops) await stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
