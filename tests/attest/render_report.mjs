// Opens an attestation's report.html in headless Chromium (Debian's /usr/bin/chromium via the
// pinned playwright-core) and prints what a reader sees, one fact a line:
//   verdict: <text of #verdict>
//   svg: yes|no                 (an inline SVG chart is drawn)
//   external requests: <n>      (the page must be self-contained: only its own file:// URL loads)
// and saves a full-page screenshot. Exit 0 when the page loaded and #verdict is present, else 1.
//
// Usage: node tests/attest/render_report.mjs REPORT.html SCREENSHOT.png
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const [htmlPath, screenshotPath] = process.argv.slice(2);
if (!htmlPath || !screenshotPath) {
  process.stderr.write('usage: render_report.mjs REPORT.html SCREENSHOT.png\n');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let status = 1;
try {
  const page = await browser.newPage();
  const pageUrl = pathToFileURL(resolve(htmlPath)).href;
  let external = 0;
  page.on('request', (r) => { if (r.url() !== pageUrl) external++; });
  await page.goto(pageUrl, { waitUntil: 'load', timeout: 20000 });
  const verdict = page.locator('#verdict');
  if ((await verdict.count()) === 1) {
    process.stdout.write('verdict: ' + (await verdict.innerText()).trim() + '\n');
    status = 0;
  } else {
    process.stdout.write('verdict: (no #verdict element)\n');
  }
  process.stdout.write('svg: ' + ((await page.locator('svg').count()) > 0 ? 'yes' : 'no') + '\n');
  process.stdout.write('external requests: ' + external + '\n');
  await page.screenshot({ path: screenshotPath, fullPage: true });
} finally {
  await browser.close();
}
process.exit(status);
