// Embed script for an exchange's own pages:
//   <div id="segregation-status">Client assets: <a href="https://status.example/">status page</a></div>
//   <script async src="https://status.example/embed.js" data-target="#segregation-status"></script>
// Renders, inside the target (or right after the script tag when there is no data-target), a
// small box in its own Shadow DOM: the host page's styles cannot reach it, and it paints its own
// background and colours (text contrast >= 4.5:1 on any host). It shows text only, never an
// image: "checking..." while loading, the verdict in words (PASS holds / FAIL does not hold / ERROR
// could not be checked), or "status unavailable" when it cannot be had. The box links to the
// status site (the directory this script was loaded from) and fits 320 px. The file is ASCII only
// (other characters are \u escapes), so it reads the same whatever charset the host page or the
// web server announce.
//
// `publish` and `serve` write the current status into kStatus below, so the script needs no
// request of its own and works cross-origin from a static server that sends no CORS headers. Left
// null (this file as it is in web/), it reads status.json beside itself.
(function () {
  'use strict';
  const kStatus = /*SEGVERIFY_STATUS*/null;
  const kTimeoutMs = 10000;
  const script = document.currentScript;
  if (!script || !script.src) return;
  const site = new URL('.', script.src).href;

  const css = `
:host{all:initial;display:inline-block;max-width:100%;vertical-align:middle}
.box{box-sizing:border-box;display:inline-flex;align-items:center;gap:.5em;max-width:100%;padding:.45em .75em;
  border:1px solid #8c959f;border-radius:.5em;background:#ffffff;color:#1f2328;text-decoration:none;
  font:14px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:anywhere}
.box:focus-visible{outline:2px solid #0969da;outline-offset:2px}
.dot{flex:none;width:.7em;height:.7em;border-radius:50%;background:#8c959f}
.text{min-width:0;display:flex;flex-direction:column}
.verdict{font-weight:700}
.meta{color:#57606a;font-size:12px}
.meta:empty{display:none}
.PASS .verdict{color:#116329}.PASS .dot{background:#1a7f37}
.FAIL .verdict{color:#a40e26}.FAIL .dot{background:#cf222e}
.ERROR .verdict{color:#7d4e00}.ERROR .dot{background:#bf8700}
.unavailable .verdict{color:#57606a}`;

  const words = { PASS: 'holds', FAIL: 'does not hold', ERROR: 'could not be checked' };
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
    'October', 'November', 'December'];
  // "2026-11-01T00:00:00Z" -> "1 November 2026" (UTC); anything else -> ''.
  function day(iso) {
    const m = typeof iso === 'string' && /^(\d{4})-(\d{2})-(\d{2})T/.exec(iso);
    return m && Number(m[2]) >= 1 && Number(m[2]) <= 12 ? `${Number(m[3])} ${months[Number(m[2]) - 1]} ${m[1]}` : '';
  }
  // The latest block_time of a status.json's chains.
  function latestBlockTime(status) {
    let latest = null;
    for (const chain of Object.values(status.chains || {})) {
      const t = chain && typeof chain.block_time === 'string' ? chain.block_time : null;
      if (t && (!latest || Date.parse(t) > Date.parse(latest))) latest = t;
    }
    return latest;
  }

  let host = script.dataset.target ? document.querySelector(script.dataset.target) : null;
  if (!host) {
    host = document.createElement('span');
    script.parentNode.insertBefore(host, script.nextSibling);
  }
  const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
  while (root.firstChild) root.removeChild(root.firstChild);
  const style = document.createElement('style');
  style.textContent = css;
  const box = document.createElement('a');
  box.className = 'box';
  box.href = site;
  box.setAttribute('part', 'box');
  // What a PASS does not show, in short (the status page says it in full).
  box.title = 'A snapshot at the pinned blocks: it does not show that the list of client balances is complete '
    + '(check your own proof on the status page), nor the rest of the month, nor who controls the wallets today.';
  const dot = document.createElement('span');
  dot.className = 'dot';
  dot.setAttribute('aria-hidden', 'true');
  const text = document.createElement('span');
  text.className = 'text';
  const line = document.createElement('span');
  const label = document.createElement('span');
  const verdictText = document.createElement('span');
  verdictText.className = 'verdict';
  line.append(label, verdictText);
  const meta = document.createElement('span');
  meta.className = 'meta';
  text.append(line, meta);
  box.append(dot, text);
  root.append(style, box);

  // state: 'loading' | 'unavailable' | 'PASS' | 'FAIL' | 'ERROR'. Only textContent is set.
  function render(state, status) {
    box.className = `box ${state}`;
    box.dataset.state = state;
    host.dataset.segverifyState = state;
    label.textContent = 'Client assets segregated: ';
    if (state === 'loading') {
      verdictText.textContent = 'checking\u2026';
      meta.textContent = '';
    } else if (state === 'unavailable') {
      verdictText.textContent = 'status unavailable';
      meta.textContent = 'Open the status page';
    } else {
      verdictText.textContent = words[state];
      const when = day(status.date);
      meta.textContent = `${state} \u00b7 attestation ${status.id}${when ? ` of ${when}` : ''}`;
    }
  }
  // Fail closed: anything but an explicit PASS, FAIL or ERROR shows as ERROR.
  const stateOf = (verdict) => (verdict === 'PASS' || verdict === 'FAIL' ? verdict : 'ERROR');

  if (kStatus) {
    render(stateOf(kStatus.verdict), kStatus);
    return;
  }
  render('loading');
  const controller = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = setTimeout(() => { if (controller) controller.abort(); render('unavailable'); }, kTimeoutMs);
  fetch(new URL('status.json', site).href, { credentials: 'omit', cache: 'no-store', signal: controller && controller.signal })
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((status) => {
      clearTimeout(timer);
      render(stateOf(status.verdict), { id: String(status.id), date: latestBlockTime(status) });
    })
    .catch(() => { clearTimeout(timer); render('unavailable'); });
})();
