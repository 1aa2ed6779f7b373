// Prepares a local anvil for bench/clients_bench.sh: deploys tests/support/contracts TestToken, gives N
// deterministic addresses an ETH balance (anvil_setBalance) and a token balance (anvil_setStorageAt
// on the balanceOf mapping, slot 1 in tests/support/contracts/Erc20Ledger.sol's storage layout), mines one block, and prints
// {"height":H,"token":"0x...","addresses":[...]} on stdout.
// Usage: node clients_bench_setup.js URL N
'use strict';
const { execFileSync } = require('child_process');
const path = require('path');
const { keccak256, AbiCoder, toBeHex, zeroPadValue } = require('ethers');

const [url, countText] = process.argv.slice(2);
const count = Number(countText);
let nextId = 1;

async function rpc(method, params) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }) });
  const body = await res.json();
  if (body.error) throw new Error(method + ': ' + JSON.stringify(body.error));
  return body.result;
}

async function batch(calls) {
  const body = calls.map(([method, params], i) => ({ jsonrpc: '2.0', id: i, method, params }));
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  for (const r of await res.json()) if (r.error) throw new Error(JSON.stringify(r.error));
}

async function main() {
  const compiled = JSON.parse(execFileSync('node', [path.join(__dirname, '../tests/support/contracts/compile.js')]));
  const from = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
  const hash = await rpc('eth_sendTransaction', [{ from, data: '0x' + compiled.TestToken.bytecode }]);
  let receipt = null;
  while (!receipt) receipt = await rpc('eth_getTransactionReceipt', [hash]);
  const token = receipt.contractAddress;
  const coder = AbiCoder.defaultAbiCoder();
  const addresses = [];
  for (let i = 0; i < count; i++) addresses.push(zeroPadValue(toBeHex(0x100000 + i), 20));
  for (let start = 0; start < count; start += 500) {
    const calls = [];
    for (let i = start; i < Math.min(start + 500, count); i++) {
      const a = addresses[i];
      calls.push(['anvil_setBalance', [a, toBeHex(BigInt(i + 1) * 10n ** 15n)]]);
      const slot = keccak256(coder.encode(['address', 'uint256'], [a, 1]));
      calls.push(['anvil_setStorageAt', [token, slot, zeroPadValue(toBeHex(i + 1), 32)]]);
    }
    await batch(calls);
  }
  await rpc('anvil_mine', [1]);
  const height = Number(await rpc('eth_blockNumber', []));
  process.stdout.write(JSON.stringify({ height, token, addresses }) + '\n');
}

main().catch((e) => { process.stderr.write(String(e) + '\n'); process.exit(1); });
