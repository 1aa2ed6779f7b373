// Compiles every tests/support/contracts/*.sol with solc-js (the pinned npm "solc") and prints
// {"<ContractName>": {"abi": [...], "bytecode": "<creation code hex>"}, ...} on stdout.
// Usage: node compile.js   (the C++ test helper caches the output in the build directory)
// As a module: compileContracts() returns that object; compiledContracts(cacheFile) the same, cached
// in cacheFile (keyed by the sources' hash) so that repeated runs skip the few seconds solc takes.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const dir = __dirname;

function contractSources() {
  const sources = {};
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.sol')).sort()) {
    sources[name] = { content: fs.readFileSync(path.join(dir, name), 'utf8') };
  }
  return sources;
}

function compileContracts() {
  const solc = require('solc');
  const input = {
    language: 'Solidity',
    sources: contractSources(),
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: 'paris',
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const result = {};
  for (const file of Object.keys(output.contracts).sort()) {
    for (const [name, c] of Object.entries(output.contracts[file])) {
      result[name] = { abi: c.abi, bytecode: c.evm.bytecode.object };
    }
  }
  return result;
}

// The cache key covers the sources and this file (the compiler settings live here).
function sourcesKey() {
  const hash = crypto.createHash('sha256');
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.sol') || n === 'compile.js').sort()) {
    hash.update(f).update(fs.readFileSync(path.join(dir, f)));
  }
  return hash.digest('hex');
}

function compiledContracts(cacheFile) {
  const key = sourcesKey();
  if (cacheFile && fs.existsSync(cacheFile)) {
    try {
      const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
      if (cached.key === key) return cached.contracts;
    } catch { /* unreadable cache: compile again */ }
  }
  const contracts = compileContracts();
  if (cacheFile) {
    const tmp = cacheFile + '.' + process.pid + '.tmp';
    fs.writeFileSync(tmp, JSON.stringify({ key, contracts }));
    fs.renameSync(tmp, cacheFile);  // atomic: parallel runs never read half a file
  }
  return contracts;
}

module.exports = { compileContracts, compiledContracts };

if (require.main === module) {
  try {
    process.stdout.write(JSON.stringify(compileContracts()) + '\n');
  } catch (e) {
    process.stderr.write(e.message + '\n');
    process.exit(1);
  }
}
