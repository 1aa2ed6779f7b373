// The status page's honest states in headless Chromium (docs/FORMAT.md §13, docs/STATUS-PAGE.md):
// a site published three times — 2026-10 (PASS), 2026-11 (ERROR), 2026-11 again (FAIL: the re-run
// that replaces the ERROR run) — served by a plain static server.
//
//   - the in-browser check has three outcomes: a proof of the replaced 2026-11 run is invalid,
//     naming the replacement; report.json opened by mistake, a text that is no proof, and a proof
//     checked while roots.json cannot be loaded are "could not be checked", shown neutral (never
//     in the invalid colour);
//   - a valid proof of 2026-10 names the current attestation, 2026-11, and its FAIL;
//   - the FAIL page lists its error finding before the info one, shows the shortfall of one base
//     unit and never "100.0 %" for it; every page says what a PASS does not show;
//   - the date says "N days ago", and an attestation older than 45 days carries a notice;
//   - an EVM chain's reads: proven against the pinned block with the reads that were only agreed
//     listed (2026-11), or all agreed by its two sources, not proven (2026-10); the card on what a
//     PASS does not show names them;
//   - at 375 and 1280 px, light and dark (prefers-color-scheme), no sideways scroll; screenshots of
//     each state go to ARTIFACTS.
// Usage: node honest_pages_test.mjs <segverify binary> <artifacts dir>
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { buildFixtures, kChromiumArgs, makeTempDir, publish, startStaticServer, writeReport } from './support.mjs';

const [binary, artifacts] = process.argv.slice(2);
assert.ok(binary && artifacts, 'usage: honest_pages_test.mjs <segverify binary> <artifacts dir>');
fs.mkdirSync(artifacts, { recursive: true });

const cli = (args) => {
  const r = spawnSync(binary, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`segverify ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

const dir = makeTempDir('segverify-honest-');
let browser = null;
let server = null;
try {
  const fixtures = buildFixtures(binary, dir);
  const rootOf = (tree) => JSON.parse(fs.readFileSync(path.join(dir, tree, 'root.json'), 'utf8'));
  const site = path.join(dir, 'site');
  const reports = path.join(dir, 'month');
  // 2026-10: PASS, the tree whose proofs are fixtures.valid.
  writeReport(reports, '2026-10', 'PASS', rootOf('tree'), '2026-10-01T00:00:00Z');
  const october = JSON.parse(fs.readFileSync(path.join(reports, 'report.json'), 'utf8'));
  october.chains.ethereum.sources = ['http://127.0.0.1:8545', 'http://127.0.0.1:8546'];
  october.chains.ethereum.reads = 'agreed';  // e.g. nodes that cannot prove state at old blocks
  october.chains.ethereum.agreed_reads = [];
  fs.writeFileSync(path.join(reports, 'report.json'), JSON.stringify(october));
  publish(binary, reports, site);
  // 2026-11, first run: ERROR, the "unpublished" tree (its proof becomes a replaced run's proof).
  writeReport(reports, '2026-11', 'ERROR', rootOf('unpublished-tree'), '2026-11-01T00:00:00Z');
  publish(binary, reports, site);
  // 2026-11 again: FAIL, a third tree, one base unit (1 satoshi) short on BTC.
  cli(['tree', 'build', '--liabilities', path.join(dir, 'spot.csv'), '--assets', 'BTC:8,ETH:18', '--out',
       path.join(dir, 'rerun-tree'), '--pool', 'spot', '--no-shuffle', '--nonce-key', '33'.repeat(32), '--quiet']);
  const rerunRoot = rootOf('rerun-tree');
  // Dated two days ago: fresh, so "2 days ago" and no stale notice.
  const recent = new Date(Date.now() - 2 * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
  writeReport(reports, '2026-11', 'FAIL', rerunRoot, recent);
  const report = JSON.parse(fs.readFileSync(path.join(reports, 'report.json'), 'utf8'));
  const btc = report.pools[0].assets[0];
  assert.equal(btc.liabilities, '22.50000001');  // the fixtures' BTC total
  btc.reserves = '22.5';
  report.pools[0].addresses[0].balances.BTC = '22.5';
  btc.covered = false;
  report.pools[0].holds = false;
  report.as_of = '2026-11-30T23:59:00Z';  // when the liabilities were taken (config "as_of")
  report.chains.ethereum.reads = 'proven';
  report.chains.ethereum.agreed_reads = ['USDT decimals()', 'eth_call answers (ERC-1271 signatures of contract wallets)'];
  fs.writeFileSync(path.join(reports, 'report.json'), JSON.stringify(report));
  const published = publish(binary, reports, site);
  assert.match(published, /the earlier run of 2026-11 was replaced/);
  assert.match(published, /2 attestation\(s\) in its history/);
  const roots = JSON.parse(fs.readFileSync(path.join(site, 'roots.json'), 'utf8'));
  assert.equal(roots.format, 'segverify-roots/2');
  assert.deepEqual(roots.roots.map((r) => r.id), ['2026-11', '2026-10']);
  assert.deepEqual(roots.superseded.map((r) => [r.id, r.verdict]), [['2026-11', 'ERROR']]);
  assert.ok(fs.existsSync(path.join(site, 'attestations', '2026-10', 'report.html')));

  server = await startStaticServer(site);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: kChromiumArgs });
  const shots = [];
  for (const scheme of ['light', 'dark']) {
    for (const [width, height] of [[375, 812], [1280, 900]]) {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme });
      const page = await context.newPage();
      const problems = [];
      page.on('pageerror', (e) => problems.push(e.message));
      const tag = `${width}-${scheme}`;
      const shot = async (name, locator = null) => {
        const file = path.join(artifacts, `${name}-${tag}.png`);
        if (locator) await page.locator(locator).screenshot({ path: file });
        else await page.screenshot({ path: file, fullPage: true });
        shots.push(file);
      };
      await page.goto(server.url);
      assert.equal((await page.textContent('#verdict')).trim(), 'FAIL');
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(background === 'rgb(13, 17, 23)', scheme === 'dark', `${tag}: page background ${background}`);

      // FAIL page: error finding first, the shortfall exact, no "100.0 %" for it.
      const findings = await page.$$eval('#findings .finding', (items) => items.map((i) => i.className));
      assert.deepEqual(findings, ['finding error', 'finding info'], tag);
      const pool = await page.innerText('.pool');
      assert.match(pool, /not covered \(99\.9 %\)/, tag);
      assert.match(pool, /Shortfall\s+0\.00000001 BTC/, tag);
      assert.doesNotMatch(pool, /not covered \(100\.0 %\)/, tag);
      // What a PASS does not show, and dates.
      assert.match(await page.innerText('#limits'), /That the list of client balances is complete/, tag);
      assert.match(await page.innerText('#attestation-date'), /\(2 days ago\)$/, tag);
      assert.equal(await page.locator('#stale').count(), 0, `${tag}: a fresh attestation has no stale notice`);
      assert.equal((await page.innerText('#as-of')).trim(), 'Client balances as of 30 November 2026, 23:59 UTC', tag);
      assert.match(await page.innerText('#block-times'), /Balances at ethereum block 21000000 \(time not recorded\); bitcoin height 870000/);
      await shot('fail-index');
      // An EVM chain's reads: proven, and what was only agreed listed by name.
      const blocks = await page.innerText('#blocks');
      assert.match(blocks, /Balances, code and storage proven against the pinned block\./, tag);
      assert.match(blocks, /Taken from 1 source, not proven:\s+USDT decimals\(\)\s+eth_call answers \(ERC-1271 signatures of contract wallets\)/, tag);
      assert.match(await page.innerText('#limits'), /Reads that were only agreed\. On ethereum, the reads listed under Pinned blocks were taken from 1 source, not proven\./, tag);
      await shot('reads-proven', '#blocks');

      const check = async (text) => {
        await page.fill('#proof', text);
        await page.evaluate(() => { document.getElementById('verify-result').textContent = ''; });
        await page.click('#verify');
        await page.waitForFunction(() => document.getElementById('verify-result').dataset.outcome
          && document.getElementById('verify-result').textContent !== 'checking…');
        return page.evaluate(() => {
          const r = document.getElementById('verify-result');
          const message = r.querySelector('.verify-message');
          return { outcome: r.dataset.outcome, kind: r.dataset.kind, cls: r.className, text: r.innerText,
                   color: getComputedStyle(message).color };
        });
      };
      const failColor = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--fail').trim());
      // A valid proof of the earlier month names the current attestation and its verdict.
      const earlier = await check(fixtures.valid.alice);
      assert.equal(earlier.outcome, 'valid', earlier.text);
      assert.match(earlier.text, /holds \(PASS\)/);
      assert.match(earlier.text, /This proof is of an earlier attestation \(2026-10\)\. The current attestation is 2026-11: it does not hold \(FAIL\)\./, earlier.text);
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot('proof-earlier-month', '#check');
      // A proof of the replaced run: invalid, naming the replacement.
      const replaced = await check(fixtures.unpublished);
      assert.equal(replaced.outcome, 'invalid', replaced.text);
      assert.equal(replaced.kind, 'superseded');
      assert.match(replaced.text, /^invalid: this proof belongs to a run of 2026-11 that was replaced on \d+ \w+ \d{4}, \d\d:\d\d UTC; ask for your proof of the current run/);
      await shot('proof-superseded', '#check');
      // Could not be checked, neutral: report.json opened by mistake, a text that is no proof.
      const wrongFile = await check(fs.readFileSync(path.join(site, 'report.json'), 'utf8'));
      assert.equal(wrongFile.outcome, 'cannot-check', wrongFile.text);
      assert.equal(wrongFile.cls, 'neutral');
      assert.match(wrongFile.text, /^could not be checked: this is a report \(report\.json\), not a proof/);
      assert.notEqual(wrongFile.color, failColor);
      await shot('proof-other-file', '#check');
      const noProof = await check('Dear client, your balance is 1 BTC.');
      assert.equal(noProof.outcome, 'cannot-check', noProof.text);
      assert.match(noProof.text, /^could not be checked: this is not a proof \(not JSON\)/);
      const width1 = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width1 <= width, `${tag}: scrollWidth ${width1}`);

      // roots.json unreadable (moved away): a valid proof could not be checked, neutral.
      fs.renameSync(path.join(site, 'roots.json'), path.join(dir, 'roots.json.away'));
      try {
        await page.goto(server.url);
        const noRoots = await check(fixtures.valid.alice);
        assert.equal(noRoots.outcome, 'cannot-check', noRoots.text);
        assert.equal(noRoots.cls, 'neutral');
        assert.match(noRoots.text, /^could not be checked: this site's published roots \(roots\.json\) could not be loaded/);
        await shot('proof-no-roots', '#check');
      } finally {
        fs.renameSync(path.join(dir, 'roots.json.away'), path.join(site, 'roots.json'));
      }

      // The kept 2026-10 attestation: older than 45 days -> "N days ago" and the stale notice.
      await page.goto(`${server.url}attestations/2026-10/report.html`);
      assert.match(await page.innerText('#limits'), /The rest of the month/);
      assert.match(await page.innerText('#blocks'), /Reads agreed by 2 sources, not proven: nothing on this chain is proven against the pinned block\./, tag);
      assert.doesNotMatch(await page.innerText('#blocks'), /Balances, code and storage proven/, tag);
      assert.match(await page.innerText('#limits'), /On ethereum, every read was agreed by 2 sources, not proven\./, tag);
      await shot('reads-agreed', '#blocks');
      await page.goto(server.url);
      await page.evaluate(() => {  // the same page as if its attestation were the 2026-10 one
        const e = document.getElementById('attestation-date');
        e.dataset.time = '2026-10-01T00:00:00Z';
      });
      await page.addScriptTag({ url: 'app.js' });
      assert.equal(await page.locator('#stale').count(), 1, `${tag}: stale notice`);
      assert.match(await page.innerText('#stale'), /This attestation is \d+ days old/);
      await shot('stale-notice', '.banner + #stale');
      assert.deepEqual(problems, [], tag);
      await context.close();
    }
  }
  console.log(`honest pages: superseded, earlier month, could-not-check (3 ways), FAIL order and shortfall, limits, dates, ` +
              `reads proven and agreed; ` +
              `${shots.length} screenshots in ${artifacts}`);
} finally {
  if (browser) await browser.close();
  if (server) await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
