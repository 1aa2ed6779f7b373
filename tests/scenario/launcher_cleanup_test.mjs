// The sample-exchange launcher never leaves a node behind (tests/scenario/sample_exchange.mjs):
//   1. "stdin": its stdin (a pipe) closes → it stops anvil and the Bitcoin server and exits 0;
//   2. "sigterm": SIGTERM → the same;
//   3. "sigkill": it is SIGKILLed (no chance to clean up) → the nodes still go (parent-death signal).
// Each case reads the node URLs from the config the launcher wrote, checks they answer while it
// runs, and that both ports refuse connections within 5 s after it is gone.
// Usage: node tests/scenario/launcher_cleanup_test.mjs CACHE_DIR   (exit 0 = all cases hold)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cacheDir = process.argv[2] || tmpdir();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function portOpen(url) {
  const { hostname, port } = new URL(url);
  return new Promise((res) => {
    const s = net.connect({ host: hostname, port: Number(port) });
    s.once('connect', () => { s.destroy(); res(true); });
    s.once('error', () => res(false));
  });
}

async function runCase(name) {
  const dir = mkdtempSync(join(tmpdir(), 'segverify-launcher-'));
  const launcher = spawn('node', [join(here, 'sample_exchange.mjs'), '--out', dir, '--contracts-cache',
                                  join(cacheDir, 'sample-exchange-contracts.json')], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  launcher.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((res) => launcher.once('exit', (code, signal) => res({ code, signal })));
  try {
    const line = await new Promise((res, rej) => {
      let out = '';
      launcher.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) res(out.slice(0, out.indexOf('\n')));
      });
      exited.then(() => rej(new Error('launcher exited before READY: ' + stderr)));
      setTimeout(() => rej(new Error('no READY line in 60 s')), 60000);
    });
    if (!line.startsWith('READY ')) throw new Error('first line is not READY: ' + line);
    const config = JSON.parse(readFileSync(line.slice(6), 'utf8'));
    const urls = [config.chains.ethereum.sources[0].url, config.chains.bitcoin.sources[0].url];
    for (const u of urls) if (!(await portOpen(u))) throw new Error(name + ': ' + u + ' does not answer while the launcher runs');
    if (name === 'stdin') launcher.stdin.end();
    else launcher.kill(name === 'sigterm' ? 'SIGTERM' : 'SIGKILL');
    const how = await exited;
    if (name !== 'sigkill' && how.code !== 0) throw new Error(name + ': launcher exit ' + JSON.stringify(how) + ' ' + stderr);
    for (const u of urls) {
      let open = true;
      for (let i = 0; i < 50 && open; i++) {
        open = await portOpen(u);
        if (open) await sleep(100);
      }
      if (open) throw new Error(name + ': ' + u + ' still answers after the launcher is gone');
    }
    console.log('ok ' + name);
  } finally {
    launcher.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

let failed = false;
for (const name of ['stdin', 'sigterm', 'sigkill']) {
  try {
    await runCase(name);
  } catch (e) {
    console.log('FAIL ' + e.message);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
