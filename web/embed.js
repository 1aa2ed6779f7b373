// Embed script for an exchange's own status page:
//   <div id="proof-of-segregation"></div>
//   <script src="https://status.example/embed.js" data-target="#proof-of-segregation"></script>
// Fetches /api/status from the origin this script was loaded from (not the embedding page's) and
// shows the badge and the verdict. Without data-target it renders right after the script tag.
// Only textContent and element properties are set (no HTML from the server is ever parsed).
(function () {
  'use strict';
  const script = document.currentScript;
  if (!script || !script.src) return;
  const origin = new URL(script.src, document.baseURI).origin;
  let target = script.dataset.target ? document.querySelector(script.dataset.target) : null;
  if (!target) {
    target = document.createElement('span');
    script.parentNode.insertBefore(target, script.nextSibling);
  }
  const box = document.createElement('a');
  box.className = 'segverify-embed';
  box.href = `${origin}/`;
  const badge = document.createElement('img');
  badge.alt = 'segregation attestation badge';
  const text = document.createElement('span');
  text.className = 'segverify-verdict';
  text.textContent = ' checking...';
  box.appendChild(badge);
  box.appendChild(text);
  target.appendChild(box);

  fetch(`${origin}/api/status`, { mode: 'cors', credentials: 'omit', cache: 'no-store' })
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((status) => {
      // Fail closed: anything but an explicit PASS/FAIL is shown as ERROR.
      const verdict = status.verdict === 'PASS' || status.verdict === 'FAIL' ? status.verdict : 'ERROR';
      badge.src = `${origin}/badge.svg`;
      badge.alt = `segregation attestation ${verdict} (${status.id})`;
      text.textContent = ` Segregated client assets: ${verdict} (attestation ${status.id})`;
      box.dataset.verdict = verdict;
    })
    .catch((e) => {
      text.textContent = ` Segregated client assets: status unavailable (${e.message})`;
      box.dataset.verdict = 'ERROR';
    });
})();
