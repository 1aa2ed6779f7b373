// The status page's proof check in real headless Chromium (Debian /usr/bin/chromium, driven by
// playwright-core), on a site written by `segverify publish` and served by a plain static server
// (python3 http.server) as a CDN would: the verdict is shown; the in-page checker says "valid" /
// "invalid" exactly as `segverify proof verify --root-hash <published root>` does on every proof
// of the set, with WebCrypto and with the built-in SHA-256 (?sha=builtin); the check never sends
// the proof anywhere. Usage: node page_test.mjs <segverify binary>
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  buildFixtures, cliSaysValid, kChromiumArgs, makeTempDir, proofCases, publish, startStaticServer,
} from './support.mjs';

const binary = process.argv[2];
assert.ok(binary, 'usage: page_test.mjs <segverify binary>');

const dir = makeTempDir('segverify-page-');
let server = null, context = null;
try {
  const fixtures = buildFixtures(binary, dir);
  publish(binary, fixtures.reports, path.join(dir, 'site'));
  server = await startStaticServer(path.join(dir, 'site'));
  context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
    executablePath: '/usr/bin/chromium', headless: true, args: kChromiumArgs });
  const page = context.pages()[0] || await context.newPage();
  const requests = [];
  const sent = [];
  const problems = [];
  page.on('request', (r) => { requests.push(r.url()); if (r.method() !== 'GET') sent.push(r.url()); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Chromium asks for /favicon.ico on its own (404 here); any other failed response is a problem.
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });

  await page.goto(server.url);
  assert.equal((await page.textContent('#verdict')).trim(), 'PASS');
  assert.match(await page.textContent('#history'), /2026-11/);
  assert.equal(await page.locator('.pool .asset').count(), 2, 'one line per pool asset');
  assert.match(await page.textContent('#blocks'), /21000000/);

  const cases = proofCases(fixtures);
  const expected = cases.map((c) => cliSaysValid(binary, dir, c.text, fixtures.rootHash));
  let slowest = 0;
  for (const [mode, query] of [['webcrypto', ''], ['builtin', '?sha=builtin']]) {
    await page.goto(server.url + query);
    assert.equal(await page.getAttribute('#verify-result', 'data-sha'), mode);
    for (const [i, c] of cases.entries()) {
      await page.fill('#proof', c.text);
      await page.evaluate(() => { document.getElementById('verify-result').textContent = ''; });
      await page.click('#verify');
      await page.waitForFunction(() => {
        const t = document.getElementById('verify-result').textContent;
        return t.startsWith('valid') || t.startsWith('invalid') || t.startsWith('could not be checked') || t.startsWith('Nothing to check');
      });
      const text = await page.textContent('#verify-result');
      assert.equal(text.startsWith('valid'), expected[i], `${c.name} (${mode}): page says "${text}", CLI valid=${expected[i]}`);
      if (c.text.trim() === '') assert.match(text, /^Nothing to check yet/, 'an empty box is not an error');
      slowest = Math.max(slowest, Number(await page.getAttribute('#verify-result', 'data-ms')));
    }
  }
  assert.ok(expected.filter(Boolean).length >= 5 && expected.some((v) => !v), 'the set holds valid and invalid proofs');
  assert.deepEqual(sent, [], 'the in-page check sends nothing');
  assert.deepEqual(requests.filter((u) => u.includes('/api/verify-proof')), [], 'the in-page check stays in the page');

  assert.deepEqual(problems, []);
  console.log(`page: ${cases.length} proofs x 2 SHA-256 paths agree with the CLI; slowest in-page check ${slowest.toFixed(1)} ms`);
} finally {
  if (context) await context.close();
  if (server) await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
