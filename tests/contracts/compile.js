// Compiles every tests/contracts/*.sol with solc-js (the pinned npm "solc") and prints
// {"<ContractName>": {"abi": [...], "bytecode": "<creation code hex>"}, ...} on stdout.
// Usage: node compile.js   (the C++ test helper caches the output in the build directory)
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const dir = __dirname;
const sources = {};
for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.sol')).sort()) {
  sources[name] = { content: fs.readFileSync(path.join(dir, name), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'paris',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
if (errors.length) {
  for (const e of errors) process.stderr.write(e.formattedMessage + '\n');
  process.exit(1);
}
const result = {};
for (const file of Object.keys(output.contracts).sort()) {
  for (const [name, c] of Object.entries(output.contracts[file])) {
    result[name] = { abi: c.abi, bytecode: c.evm.bytecode.object };
  }
}
process.stdout.write(JSON.stringify(result) + '\n');
