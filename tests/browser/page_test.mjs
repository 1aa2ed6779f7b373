// The status page in real headless Chromium (Debian /usr/bin/chromium, driven by playwright-core):
// the verdict is shown; the in-page checker says "valid" / "invalid" exactly as
// `segverify proof verify --root-hash <published root>` does on every proof of the set, with
// WebCrypto and with the built-in SHA-256 (?sha=builtin); the check never calls
// /api/verify-proof; and /embed.js renders the verdict on another origin's page.
// Usage: node page_test.mjs <segverify binary>
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { buildFixtures, cliSaysValid, makeTempDir, proofCases, startServer } from './support.mjs';

const binary = process.argv[2];
assert.ok(binary, 'usage: page_test.mjs <segverify binary>');
export const kChromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const dir = makeTempDir('segverify-page-');
let server = null, context = null, exchange = null;
try {
  const fixtures = buildFixtures(binary, dir);
  server = await startServer(binary, fixtures.reports);
  context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
    executablePath: '/usr/bin/chromium', headless: true, args: kChromiumArgs });
  const page = context.pages()[0] || await context.newPage();
  const requests = [];
  const problems = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Chromium asks for /favicon.ico on its own (404 here); any other failed response is a problem.
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });

  await page.goto(server.url);
  assert.equal((await page.textContent('#verdict')).trim(), 'PASS');
  await page.waitForSelector('#roots tbody tr');
  assert.match(await page.textContent('#roots'), new RegExp(fixtures.rootHash));
  assert.equal(await page.locator('#coverage tbody tr').count(), 2, 'one row per pool asset');
  assert.match(await page.textContent('#chains'), /21000000/);

  const cases = proofCases(fixtures);
  const expected = cases.map((c) => cliSaysValid(binary, dir, c.text, fixtures.rootHash));
  let slowest = 0;
  for (const [mode, query] of [['webcrypto', ''], ['builtin', '?sha=builtin']]) {
    await page.goto(server.url + query);
    assert.equal(await page.getAttribute('#verify-result', 'data-sha'), mode);
    await page.waitForSelector('#roots tbody tr');
    for (const [i, c] of cases.entries()) {
      await page.fill('#proof', c.text);
      await page.evaluate(() => { document.getElementById('verify-result').textContent = ''; });
      await page.click('#verify');
      await page.waitForFunction(() => {
        const t = document.getElementById('verify-result').textContent;
        return t.startsWith('valid') || t.startsWith('invalid');
      });
      const text = await page.textContent('#verify-result');
      assert.equal(text.startsWith('valid'), expected[i], `${c.name} (${mode}): page says "${text}", CLI valid=${expected[i]}`);
      slowest = Math.max(slowest, Number(await page.getAttribute('#verify-result', 'data-ms')));
    }
  }
  assert.ok(expected.filter(Boolean).length >= 5 && expected.some((v) => !v), 'the set holds valid and invalid proofs');
  assert.deepEqual(requests.filter((u) => u.includes('/api/verify-proof')), [], 'the in-page check stays in the page');

  // /embed.js on another origin's page: a second loopback server (another port = another origin;
  // loopback, so Chromium's local-network-access rules allow it), as an exchange's page would be.
  exchange = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(`<!doctype html><div id="status"></div><script src="${server.url}embed.js" data-target="#status"></script>`);
  });
  await new Promise((resolve) => exchange.listen(0, '127.0.0.1', resolve));
  const embedPage = await context.newPage();
  await embedPage.goto(`http://127.0.0.1:${exchange.address().port}/`);
  await embedPage.waitForFunction(() => /PASS|FAIL|ERROR|unavailable/.test(document.querySelector('#status').textContent));
  assert.match(await embedPage.textContent('#status'), /PASS \(attestation 2026-11\)/);
  assert.equal(await embedPage.getAttribute('#status img', 'src'), `${server.url}badge.svg`);

  assert.deepEqual(problems, []);
  console.log(`page: ${cases.length} proofs x 2 SHA-256 paths agree with the CLI; slowest in-page check ${slowest.toFixed(1)} ms`);
} finally {
  if (context) await context.close();
  if (exchange) exchange.close();
  if (server) await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
