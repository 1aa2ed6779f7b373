// The status page: renders /api/status and /api/roots, and runs the proof checker in the page
// (SegverifyProofCheck, proof_check.js). The verdict itself is already in the HTML the server
// sends; this script adds the tables. Only textContent is used for data (no HTML injection).
// "?sha=builtin" forces the built-in SHA-256 (what browsers without WebCrypto use), for tests.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }
  function clear(tbody) { while (tbody.firstChild) tbody.removeChild(tbody.firstChild); }

  // reserves / liabilities in percent, from decimal strings, for display only (BigInt, no floats
  // on the amounts themselves). null when liabilities are zero or the text is not an amount.
  function coveragePercent(liabilities, reserves) {
    const re = /^([0-9]+)(?:\.([0-9]+))?$/;
    const l = re.exec(liabilities), r = re.exec(reserves);
    if (!l || !r) return null;
    const digits = Math.max((l[2] || '').length, (r[2] || '').length);
    const scale = (m) => BigInt(m[1] + (m[2] || '').padEnd(digits, '0'));
    const lv = scale(l), rv = scale(r);
    if (lv === 0n) return null;
    return Number((rv * 10000n) / lv) / 100;
  }

  function renderStatus(status) {
    const coverage = $('coverage').tBodies[0];
    clear(coverage);
    for (const pool of status.pools || []) {
      for (const asset of pool.assets || []) {
        const row = coverage.insertRow();
        cell(row, pool.name);
        cell(row, asset.symbol);
        cell(row, asset.liabilities);
        cell(row, typeof asset.reserves === 'string' ? asset.reserves : 'unknown');
        const chart = cell(row, '');
        const percent = coveragePercent(asset.liabilities, asset.reserves);
        if (percent !== null) {
          const bar = document.createElement('progress');
          bar.max = 100;
          bar.value = Math.min(percent, 100);
          chart.appendChild(bar);
          chart.appendChild(document.createTextNode(` ${percent.toFixed(2)} %`));
        }
        cell(row, asset.covered === true ? 'yes' : 'NO');
      }
    }
    const chains = $('chains').tBodies[0];
    clear(chains);
    for (const [name, chain] of Object.entries(status.chains || {})) {
      const row = chains.insertRow();
      cell(row, name);
      cell(row, String(chain.block !== undefined ? chain.block : chain.height));
      cell(row, typeof chain.block_hash === 'string' ? chain.block_hash : 'not agreed by the sources', 'hash');
    }
    const findings = $('findings');
    clear(findings);
    for (const f of status.findings || []) {
      const li = document.createElement('li');
      li.className = `severity-${f.severity}`;
      li.textContent = `[${f.severity}] ${f.check}: ${f.subject}: ${f.detail}`;
      findings.appendChild(li);
    }
    if ((status.findings || []).length === 0) {
      const li = document.createElement('li');
      li.textContent = 'none';
      findings.appendChild(li);
    }
    const problems = [status.error, ...(status.errors || [])].filter((e) => typeof e === 'string');
    if (problems.length > 0) {
      $('status-error').textContent = problems.join('; ');
      $('status-error').hidden = false;
    }
  }

  function renderRoots(roots) {
    const tbody = $('roots').tBodies[0];
    clear(tbody);
    for (const r of roots) {
      const row = tbody.insertRow();
      cell(row, r.id);
      cell(row, r.pool);
      cell(row, String(r.height));
      cell(row, r.hash, 'hash');
    }
  }

  async function fetchJson(path) {
    const response = await fetch(path, { cache: 'no-store' });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  const rootsPromise = fetchJson('/api/roots').then(
    (roots) => { renderRoots(roots); return roots; },
    () => null);  // no roots -> the checker says it cannot confirm the root (never "valid")
  fetchJson('/api/status').then(renderStatus, (e) => {
    $('status-error').textContent = `status unavailable: ${e.message}`;
    $('status-error').hidden = false;
  });

  const sha = SegverifyProofCheck.pickSha256(new URLSearchParams(location.search).get('sha') === 'builtin');
  const result = $('verify-result');
  result.dataset.sha = sha.name;
  $('verify').addEventListener('click', async () => {
    result.textContent = 'checking...';
    result.className = '';
    const roots = await rootsPromise;
    const started = performance.now();
    let outcome;
    try {
      outcome = await SegverifyProofCheck.checkProofText($('proof').value, roots, sha.digest);
    } catch (e) {
      outcome = { valid: false, message: `invalid: cannot check: ${e.message}` };
    }
    result.dataset.ms = (performance.now() - started).toFixed(2);
    result.textContent = outcome.message;
    result.className = outcome.valid ? 'valid' : 'invalid';
  });
})();
