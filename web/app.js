// The status page's proof check: the page itself (verdict, coverage, addresses, history) is static
// HTML; this script fills the site's own address into the re-check command, and runs
// SegverifyProofCheck (proof_check.js) on a pasted or opened proof,
// against roots.json (every root published on this site, with its attestation's id, date and
// verdict), and shows the answer: on "valid", the account's balances per asset, the pool, the
// attestation and its date and verdict. Nothing is sent anywhere. Only textContent is used for
// data (no HTML injection). All URLs are relative, so the page works from any static server.
// "?sha=builtin" forces the built-in SHA-256 (what browsers without WebCrypto use), for tests.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const words = { PASS: 'holds', FAIL: 'does not hold', ERROR: 'could not be checked' };
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
    'October', 'November', 'December'];

  // "2026-11-01T00:00:00Z" -> "1 November 2026, 00:00 UTC" (as the page writes dates).
  function formatDate(iso) {
    const m = typeof iso === 'string' && /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return 'date not recorded';
    return `${Number(m[3])} ${months[Number(m[2]) - 1]} ${m[1]}, ${m[4]}:${m[5]} UTC`;
  }

  function element(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (className) e.className = className;
    return e;
  }

  function fact(list, term, value) {
    list.appendChild(element('dt', term));
    const dd = element('dd');
    if (typeof value === 'string') dd.textContent = value;
    else dd.appendChild(value);
    list.appendChild(dd);
  }

  function show(outcome) {
    const result = $('verify-result');
    while (result.firstChild) result.removeChild(result.firstChild);
    result.className = outcome.kind === 'empty' ? 'neutral' : outcome.valid ? 'valid' : 'invalid';
    result.dataset.kind = outcome.kind || (outcome.valid ? 'valid' : 'invalid');
    result.appendChild(element('p', outcome.message, 'verify-message'));
    if (!outcome.valid) return;
    const facts = element('dl', undefined, 'facts');
    facts.id = 'verify-details';
    const balances = element('ul', undefined, 'plain');
    balances.id = 'verify-balances';
    for (const b of outcome.balances) balances.appendChild(element('li', `${b.amount} ${b.symbol}`));
    fact(facts, 'Your balances', balances);
    fact(facts, 'Account', outcome.account);
    fact(facts, 'Pool', outcome.pool);
    const a = outcome.attestation || {};
    fact(facts, 'Attestation', typeof a.id === 'string' ? a.id : 'unknown');
    fact(facts, 'Date', formatDate(a.attested_at));
    const verdict = words[a.verdict] ? `${words[a.verdict]} (${a.verdict})` : 'unknown';
    fact(facts, "That attestation's verdict", verdict);
    result.appendChild(facts);
  }

  // The re-check command names this site, whose address only the browser knows (the files use
  // relative URLs): the folder of this page.
  const recheckSite = $('recheck-site');
  if (recheckSite && /^https?:$/.test(location.protocol)) recheckSite.textContent = new URL('.', location.href).href;

  const rootsPromise = fetch('roots.json', { cache: 'no-store' })
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((roots) => (Array.isArray(roots) ? roots : null), () => null);  // null: never "valid"

  const sha = SegverifyProofCheck.pickSha256(new URLSearchParams(location.search).get('sha') === 'builtin');
  $('verify-result').dataset.sha = sha.name;

  async function check() {
    const result = $('verify-result');
    result.className = 'neutral';
    result.textContent = 'checking…';
    const roots = await rootsPromise;
    const started = performance.now();
    let outcome;
    try {
      outcome = await SegverifyProofCheck.checkProofText($('proof').value, roots, sha.digest);
    } catch (e) {
      outcome = { valid: false, kind: 'invalid', message: `invalid: cannot check: ${e.message}` };
    }
    result.dataset.ms = (performance.now() - started).toFixed(2);
    show(outcome);
  }

  $('verify').addEventListener('click', check);
  $('proof-file').addEventListener('change', () => {
    const file = $('proof-file').files[0];
    if (!file) return;
    if (file.size > (1 << 20)) {
      show({ valid: false, kind: 'malformed', message: 'invalid: this file is larger than 1 MiB, so it is not a proof' });
      return;
    }
    file.text().then((text) => {
      $('proof').value = text;
      $('proof-file').value = '';
      return check();
    }, () => show({ valid: false, kind: 'malformed', message: 'invalid: the file could not be read' }));
  });
})();
