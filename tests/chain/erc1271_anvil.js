// ERC-1271 end to end against a real node: starts anvil (npm @foundry-rs/anvil-linux-amd64, pinned)
// on a free loopback port (tests/support/local_nodes.mjs, the JavaScript tests' one launcher), deploys a small ERC-1271 wallet compiled with solc-js (pinned), and runs
// `segverify sig verify` against it, checking exit codes 0 / 1 / 2. anvil is killed on every path.
//
// Usage: node erc1271_anvil.js /path/to/segverify
'use strict';
const { spawnSync } = require('child_process');
const solc = require('solc');
const ethers = require('ethers');

const segverify = process.argv[2];

// A wallet owned by one EOA: valid iff the signature recovers to the owner; reverts on a
// signature that is not 65 bytes (so a revert can be tested).
const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;
contract OwnerWallet {
  address public owner;
  constructor(address o) { owner = o; }
  function isValidSignature(bytes32 hash, bytes calldata sig) external view returns (bytes4) {
    require(sig.length == 65, "signature must be 65 bytes");
    bytes32 r; bytes32 s; uint8 v;
    assembly {
      r := calldataload(sig.offset)
      s := calldataload(add(sig.offset, 32))
      v := byte(0, calldataload(add(sig.offset, 64)))
    }
    return ecrecover(hash, v, r, s) == owner ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
  }
}`;

function compile() {
  const input = { language: 'Solidity', sources: { 'OwnerWallet.sol': { content: SOURCE } },
                  settings: { outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } } };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors || []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const c = out.contracts['OwnerWallet.sol'].OwnerWallet;
  return { abi: c.abi, bytecode: '0x' + c.evm.bytecode.object };
}

let failures = 0;
function check(name, args, expectedExit) {
  const run = spawnSync(segverify, ['sig', 'verify', ...args], { encoding: 'utf8' });
  const ok = run.status === expectedExit;
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: exit ${run.status} (expected ${expectedExit}) ${(run.stdout + run.stderr).trim()}`);
}

async function main() {
  const { startAnvil, stopChildren } = await import('../support/local_nodes.mjs');
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { stopChildren().then(() => process.exit(1)); });
  try {
    const url = await startAnvil({ chainId: 31337 });
    const provider = new ethers.JsonRpcProvider(url, 31337, { staticNetwork: true });  // anvil's chain id: no network probing
    const deployer = await provider.getSigner(0);
    const owner = ethers.Wallet.createRandom();
    const stranger = ethers.Wallet.createRandom();
    const { abi, bytecode } = compile();
    const contract = await new ethers.ContractFactory(abi, bytecode, deployer).deploy(owner.address);
    // The block that holds the deployment, from its receipt: ethers' getBlockNumber() may answer from
    // a cache filled before the deployment was mined (block 0, where the wallet has no code yet).
    const receipt = await contract.deploymentTransaction().wait();
    const wallet = await contract.getAddress();
    const block = String(receipt.blockNumber);
    const message = 'segverify attestation 2026-11: client assets';
    const good = await owner.signMessage(message);
    const bad = await stranger.signMessage(message);
    const base = (sig, extra = []) => ['--chain', 'ethereum', '--address', wallet, '--message', message, '--signature', sig, '--rpc', url, '--block', block, ...extra];

    check('owner signature → valid', base(good, ['--type', 'erc1271']), 0);
    check('owner signature, type detected (EIP-191 fails, ERC-1271 holds)', base(good), 0);
    check('owner signature, --json', base(good, ['--type', 'erc1271', '--json']), 0);
    check('stranger signature → 0xffffffff → invalid', base(bad, ['--type', 'erc1271']), 1);
    check('wrong message → invalid', ['--chain', 'ethereum', '--address', wallet, '--message', message + '!', '--signature', good, '--rpc', url, '--block', block, '--type', 'erc1271'], 1);
    check('64-byte signature → contract reverts → invalid', base(ethers.dataSlice(good, 0, 64), ['--type', 'erc1271']), 1);
    check('block before deployment → no code, empty answer → invalid', ['--chain', 'ethereum', '--address', wallet, '--message', message, '--signature', good, '--rpc', url, '--block', '0', '--type', 'erc1271'], 1);
    check('block beyond the tip → cannot check', ['--chain', 'ethereum', '--address', wallet, '--message', message, '--signature', good, '--rpc', url, '--block', '999999', '--type', 'erc1271'], 2);
    check('EIP-191 asked of a contract → invalid', base(good, ['--type', 'eip191']), 1);
    provider.destroy();
    await stopChildren();
    await new Promise((r) => setTimeout(r, 200));
    check('node stopped → cannot check', base(good, ['--type', 'erc1271']), 2);
  } finally {
    await stopChildren();
  }
  if (failures) console.error(`${failures} check(s) failed`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
