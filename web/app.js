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
  const formatDate = SegverifyProofCheck.formatDate;

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
    // Three outcomes, like verdicts: could-not-check is neutral, never shown as "invalid".
    const outcomeName = outcome.outcome || (outcome.valid ? 'valid' : 'invalid');
    result.className = outcomeName === 'valid' ? 'valid' : outcomeName === 'invalid' ? 'invalid' : 'neutral';
    result.dataset.kind = outcome.kind || outcomeName;
    result.dataset.outcome = outcomeName;
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
    // A proof of an earlier attestation still holds for its month; say what stands now.
    const now = outcome.current;
    if (now && typeof now.id === 'string' && now.id !== a.id) {
      const nowWords = words[now.verdict] ? `${words[now.verdict]} (${now.verdict})` : words.ERROR + ' (ERROR)';
      const note = element('p', `This proof is of an earlier attestation (${typeof a.id === 'string' ? a.id : 'unknown'}). `
        + `The current attestation is ${now.id}: it ${nowWords}. `
        + 'Ask the exchange for your proof of the current attestation.', 'current-note');
      note.id = 'verify-current';
      result.appendChild(note);
    }
  }

  // "N days ago" beside the attestation's date, and a notice when it is more than 45 days old
  // (docs/STATUS-PAGE.md "Dates"): computed here, in the visitor's browser, because a published
  // page is static and its age grows after it was written.
  const dateElement = $('attestation-date');
  const attested = dateElement ? Date.parse(dateElement.dataset.time || '') : NaN;
  if (!Number.isNaN(attested)) {
    const days = Math.floor((Date.now() - attested) / 86400000);
    const ago = days <= 0 ? 'today' : days === 1 ? '1 day ago' : `${days} days ago`;
    dateElement.appendChild(element('span', ` (${ago})`, 'ago'));
    if (days > 45) {
      const notice = element('section', undefined, 'card stale');
      notice.id = 'stale';
      notice.appendChild(element('h2', `This attestation is ${days} days old`));
      notice.appendChild(element('p', 'It shows the pools at its pinned blocks only. An exchange that attests every '
        + 'month should have published a newer one; until it does, nothing here speaks for the weeks since.'));
      const banner = document.querySelector('.banner');
      if (banner && banner.parentNode) banner.parentNode.insertBefore(notice, banner.nextSibling);
    }
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
    .then((roots) => (Array.isArray(roots) || (roots && Array.isArray(roots.roots)) ? roots : null), () => null);  // null: never "valid"

  // The current attestation (status.json), named beside a valid proof of an earlier one.
  const statusPromise = fetch('status.json', { cache: 'no-store' })
    .then((response) => (response.ok ? response.json() : null))
    .then((status) => (status && typeof status.id === 'string' ? { id: status.id, verdict: status.verdict } : null), () => null);

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
      outcome = { valid: false, outcome: 'cannot-check', kind: 'error', message: `could not be checked: ${e.message}` };
    }
    if (outcome.valid) outcome.current = await statusPromise;
    result.dataset.ms = (performance.now() - started).toFixed(2);
    show(outcome);
  }

  $('verify').addEventListener('click', check);
  $('proof-file').addEventListener('change', () => {
    const file = $('proof-file').files[0];
    if (!file) return;
    if (file.size > (1 << 20)) {
      show({ valid: false, outcome: 'cannot-check', kind: 'not-a-proof', message: 'could not be checked: this file is larger than 1 MiB, so it is not a proof' });
      return;
    }
    file.text().then((text) => {
      $('proof').value = text;
      $('proof-file').value = '';
      return check();
    }, () => show({ valid: false, outcome: 'cannot-check', kind: 'unreadable', message: 'could not be checked: the file could not be read' }));
  });
})();
