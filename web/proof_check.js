// The page's inclusion-proof check (format "segverify-proof/1"): the same rules, in the same
// order of concern, as merkle/inclusion_proof.cpp, so that the browser and `segverify proof verify`
// give the same answer on every proof. Runs entirely in the page: nothing is sent to the server.
//
//   checkProofText(text, publishedRoots, sha256) -> Promise<{valid, outcome, kind, message, ...}>
//     text            the proof JSON as pasted
//     publishedRoots  roots.json: {"roots":[{id, pool, hash, verdict, attested_at, ...}],
//                     "superseded":[... + superseded_at]} (or the plain array of roots older sites
//                     wrote); the proof's root must be a current one. null when it could not be
//                     loaded -> never valid (fail closed), "could not be checked"
//     sha256          async (Uint8Array) -> Uint8Array; see pickSha256()
//   Three outcomes, like verdicts (docs/SECURITY.md "The status page"):
//     'valid'
//     'invalid'       altered (kind 'invalid'), a proof-format file that is malformed ('malformed'),
//                     root not published here ('unpublished') or of a run that a new run of the same
//                     attestation replaced ('superseded')
//     'cannot-check'  roots.json unreadable ('no-roots'), not JSON or not a proof ('not-a-proof'), a
//                     segverify file of another kind ('other-file'), several proofs ('several')
//   and 'empty' (nothing pasted). message starts with "valid", "invalid: " or "could not be
//   checked: ", except for 'empty'. A valid answer also carries account, pool, balances
//   [{symbol, amount}] and attestation (the published root's record).
//
// Amounts are BigInt throughout (never Number); any sum reaching 2^128 is invalid.
(function (root, factory) {
  const api = typeof module === 'object' && module.exports
    ? factory(require('./strict_json.js'), require('./sha256.js'))
    : factory(root.SegverifyStrictJson, root.SegverifySha256);
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.SegverifyProofCheck = api;
})(typeof self !== 'undefined' ? self : this, function (strictJson, fallbackSha) {
  'use strict';

  const kFormat = 'segverify-proof/1';
  const kMaxProofDepth = 16;  // merkle/inclusion_proof.cpp parses proofs with this depth limit
  const kMaxProofBytes = 1 << 20;  // merkle::kMaxProofBytes (UTF-8 bytes)
  const kMaxHeight = 48;      // merkle/json_fields.h kMaxTreeHeight
  const kMaxDecimals = 38;
  const kTwo128 = 1n << 128n;
  const kU64Max = (1n << 64n) - 1n;
  const kProofKeys = ['format', 'pool', 'assets', 'account_id', 'nonce', 'balances', 'leaf_index', 'path', 'root'];

  class Malformed extends Error {}
  const malformed = (path, what) => { throw new Malformed(`${path}: ${what}`); };

  function requireObject(value, path, keys) {
    if (!(value instanceof Map)) malformed(path || 'proof', 'expected an object');
    for (const key of value.keys()) {
      if (!keys.includes(key)) malformed(path ? `${path}.${key}` : key, 'unknown field');
    }
    for (const key of keys) {
      if (!value.has(key)) malformed(path ? `${path}.${key}` : key, 'missing field');
    }
    return value;
  }
  function requireString(value, path) {
    if (typeof value !== 'string') malformed(path, 'expected a string');
    return value;
  }
  function requireUint64(value, path) {
    const n = value instanceof strictJson.JsonNumber ? value.integer() : null;
    if (n === null || n > kU64Max) malformed(path, 'expected a non-negative integer');
    return n;
  }
  function requireArray(value, path) {
    if (!Array.isArray(value)) malformed(path, 'expected an array');
    return value;
  }
  function hexToBytes(value, path) {
    const text = requireString(value, path);
    if (!/^[0-9a-fA-F]{64}$/.test(text)) malformed(path, 'expected 64 hex characters');
    const out = new Uint8Array(32);
    for (let i = 0; i < 32; i++) out[i] = parseInt(text.substr(2 * i, 2), 16);
    return out;
  }
  const bytesToHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

  // "12.5" with 8 decimals -> 1250000000n. Same grammar as merkle/amount.h.
  function parseAmount(value, decimals, path) {
    const text = requireString(value, path);
    const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(text);
    if (!match) malformed(path, `not an amount "${text}"`);
    const fraction = match[2] || '';
    if (fraction.length > decimals) malformed(path, `more than ${decimals} decimals in "${text}"`);
    const units = BigInt(match[1]) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
    if (units >= kTwo128) malformed(path, `amount "${text}" exceeds 2^128-1 base units`);
    return units;
  }
  function parseAmounts(value, assets, path) {
    const array = requireArray(value, path);
    if (array.length !== assets.length) {
      malformed(path, `expected ${assets.length} amounts (one per asset), found ${array.length}`);
    }
    return array.map((item, i) => parseAmount(item, assets[i].decimals, `${path}[${i}]`));
  }
  function parseAssets(value) {
    const array = requireArray(value, 'assets');
    if (array.length === 0) malformed('assets', 'must list at least one asset');
    const seen = new Set();
    return array.map((item, i) => {
      const path = `assets[${i}]`;
      requireObject(item, path, ['symbol', 'decimals']);
      const symbol = requireString(item.get('symbol'), `${path}.symbol`);
      const decimals = requireUint64(item.get('decimals'), `${path}.decimals`);
      if (!/^[A-Za-z0-9._-]{1,32}$/.test(symbol)) malformed(`${path}.symbol`, `invalid symbol "${symbol}"`);
      if (decimals > BigInt(kMaxDecimals)) malformed(`${path}.decimals`, `decimals must be 0..${kMaxDecimals}`);
      if (seen.has(symbol)) malformed(`${path}.symbol`, `duplicate asset ${symbol}`);
      seen.add(symbol);
      return { symbol, decimals: Number(decimals) };
    });
  }

  // Parses and validates; throws Malformed or strictJson.JsonSyntaxError.
  function parseProof(text) {
    // TextEncoder writes a lone surrogate as 3 bytes (U+FFFD), the same length utf8Bytes() gives it.
    if (text.length > kMaxProofBytes || new TextEncoder().encode(text).length > kMaxProofBytes) {
      malformed('proof', `larger than ${kMaxProofBytes} bytes`);
    }
    const doc = strictJson.parse(text, kMaxProofDepth);
    requireObject(doc, '', kProofKeys);
    const format = requireString(doc.get('format'), 'format');
    if (format !== kFormat) malformed('format', `unsupported format "${format}" (expected ${kFormat})`);
    const pool = requireString(doc.get('pool'), 'pool');
    const assets = parseAssets(doc.get('assets'));
    const accountId = requireString(doc.get('account_id'), 'account_id');
    if (accountId.length === 0) malformed('account_id', 'empty account id');
    const nonce = hexToBytes(doc.get('nonce'), 'nonce');
    const balances = parseAmounts(doc.get('balances'), assets, 'balances');
    const leafIndex = requireUint64(doc.get('leaf_index'), 'leaf_index');
    const rootObject = requireObject(doc.get('root'), 'root', ['hash', 'sums', 'height']);
    const root = {
      hash: hexToBytes(rootObject.get('hash'), 'root.hash'),
      sums: parseAmounts(rootObject.get('sums'), assets, 'root.sums'),
      height: requireUint64(rootObject.get('height'), 'root.height'),
    };
    if (root.height < 1n || root.height > BigInt(kMaxHeight)) malformed('root.height', `height must be 1..${kMaxHeight}`);
    if (leafIndex >= (1n << root.height)) {
      malformed('leaf_index', `leaf index ${leafIndex} out of range for height ${root.height}`);
    }
    const pathArray = requireArray(doc.get('path'), 'path');
    if (BigInt(pathArray.length) !== root.height) {
      malformed('path', `path has ${pathArray.length} entries, root height is ${root.height}`);
    }
    const path = pathArray.map((node, i) => {
      requireObject(node, `path[${i}]`, ['hash', 'sums']);
      return { hash: hexToBytes(node.get('hash'), `path[${i}].hash`), sums: parseAmounts(node.get('sums'), assets, `path[${i}].sums`) };
    });
    return { pool, assets, accountId, nonce, balances, leafIndex, root, path };
  }

  function amountBytes(value) {  // 16 bytes big-endian
    const out = new Uint8Array(16);
    for (let i = 15; i >= 0; i--) { out[i] = Number(value & 0xffn); value >>= 8n; }
    return out;
  }
  function concat(parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  }
  // UTF-8 of a JS string as the C++ side stores it: pairs as 4 bytes, and a lone surrogate (only an
  // escaped low surrogate gets through strict_json.js, as through RapidJSON) as its 3-byte form.
  function utf8Bytes(text) {
    const out = [];
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      const next = text.charCodeAt(i + 1);
      if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      }
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return Uint8Array.from(out);
  }
  function equalBytes(a, b) { return a.length === b.length && a.every((x, i) => x === b[i]); }

  // Recomputes the root from the leaf; returns {hash, sums} or {overflowLevel}.
  async function recomputeRoot(proof, sha256) {
    const commitment = await sha256(concat([proof.nonce, utf8Bytes(proof.accountId)]));
    let hash = await sha256(concat([Uint8Array.of(0x00), commitment, ...proof.balances.map(amountBytes)]));
    let sums = proof.balances;
    for (let level = 0; level < proof.path.length; level++) {
      const sibling = proof.path[level];
      const isRight = ((proof.leafIndex >> BigInt(level)) & 1n) === 1n;
      const newSums = sums.map((s, i) => s + sibling.sums[i]);
      if (newSums.some((s) => s >= kTwo128)) return { overflowLevel: level + 1 };
      const current = concat([hash, ...sums.map(amountBytes)]);
      const other = concat([sibling.hash, ...sibling.sums.map(amountBytes)]);
      hash = await sha256(concat([Uint8Array.of(0x01), ...(isRight ? [other, current] : [current, other])]));
      sums = newSums;
    }
    return { hash, sums };
  }

  // "12.5" from 1250000000n with 8 decimals (no trailing zeros).
  function formatAmount(units, decimals) {
    const scale = 10n ** BigInt(decimals);
    const whole = units / scale;
    const fraction = decimals > 0 ? (units % scale).toString().padStart(decimals, '0').replace(/0+$/, '') : '';
    return fraction ? `${whole}.${fraction}` : `${whole}`;
  }

  // Several proofs in one paste: a JSON array of objects, or a second value after the first.
  function severalProofs(text, error) {
    if (error instanceof strictJson.JsonSyntaxError && /^trailing text/.test(error.message)) {
      return /^[\s,]*[{[]/.test(text.slice(error.offset));
    }
    if (error instanceof Malformed) {
      try {
        const doc = strictJson.parse(text, kMaxProofDepth);
        return Array.isArray(doc) && doc.length > 1 && doc.every((d) => d instanceof Map);
      } catch (e) {
        return false;
      }
    }
    return false;
  }

  const fail = (kind, message) => ({ valid: false, outcome: 'invalid', kind, message });
  const cannotCheck = (kind, message) => ({ valid: false, outcome: 'cannot-check', kind, message: `could not be checked: ${message}` });

  const kMonths = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
    'October', 'November', 'December'];
  // "2026-11-01T00:00:00Z" -> "1 November 2026, 00:00 UTC" (as the pages write dates).
  function formatDate(iso) {
    const m = typeof iso === 'string' && /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return 'date not recorded';
    return `${Number(m[3])} ${kMonths[Number(m[2]) - 1]} ${m[1]}, ${m[4]}:${m[5]} UTC`;
  }

  // The segverify files a visitor may open by mistake, by their "format".
  const kOtherFiles = {
    'segverify-report/1': 'a report (report.json)',
    'segverify-status/1': 'the status (status.json)',
    'segverify-roots/2': 'the list of published roots (roots.json)',
    'segverify-public-attestation/1': 'a public attestation (attestation.json)',
  };
  // Why a text that is not a well-formed proof cannot be checked ({kind, message}), or null when it
  // claims to be a proof (then a malformed one is invalid: it was broken or altered).
  function notAProof(text) {
    const other = (what) => ({ kind: 'other-file', message: `this is ${what}, not a proof` });
    const notProof = (why) => ({ kind: 'not-a-proof', message: `this is not a proof (${why}): a proof is a small file that starts with {"format":"segverify-proof/1"` });
    let doc;
    try {
      doc = strictJson.parse(text, 64);
    } catch (e) {
      return notProof('not JSON');
    }
    if (Array.isArray(doc) && doc.length > 0 && doc.every((r) => r instanceof Map && r.has('hash') && r.has('pool'))) {
      return other('the list of published roots (roots.json)');
    }
    const format = doc instanceof Map ? doc.get('format') : undefined;
    if (format === kFormat) return null;
    if (typeof format === 'string' && kOtherFiles[format]) return other(kOtherFiles[format]);
    if (doc instanceof Map && doc.has('hash') && doc.has('sums') && doc.has('height') && !doc.has('path')) {
      return other("a tree's root (root.json)");
    }
    return notProof(doc instanceof Map ? 'no "format":"segverify-proof/1"' : 'not a JSON object');
  }

  function rootLists(published) {
    if (Array.isArray(published)) return { current: published, superseded: [] };
    if (published && typeof published === 'object' && Array.isArray(published.roots)) {
      return { current: published.roots, superseded: Array.isArray(published.superseded) ? published.superseded : [] };
    }
    return null;
  }
  const sameHash = (hex) => (r) => r && typeof r.hash === 'string' && r.hash.toLowerCase() === hex;

  async function checkProofText(text, publishedRoots, sha256) {
    text = String(text);
    if (text.trim() === '') return { valid: false, outcome: 'empty', kind: 'empty', message: 'Nothing to check yet: paste your proof or open its file.' };
    let proof;
    try {
      proof = parseProof(text);
    } catch (e) {
      if (!(e instanceof Malformed) && !(e instanceof strictJson.JsonSyntaxError)) throw e;
      if (severalProofs(text, e)) {
        return cannotCheck('several', 'several proofs were pasted; check them one at a time (one proof is one JSON object)');
      }
      const why = notAProof(text);
      if (why !== null) return cannotCheck(why.kind, why.message);
      return fail('malformed', `invalid: malformed proof: ${e.message}`);
    }
    const computed = await recomputeRoot(proof, sha256);
    if (computed.overflowLevel) {
      return fail('invalid', `invalid: a sum exceeds 2^128-1 at level ${computed.overflowLevel}`);
    }
    const rootHex = bytesToHex(proof.root.hash);
    if (!equalBytes(computed.hash, proof.root.hash)) {
      return fail('invalid', `invalid: this proof has been altered: its path recomputes to root ${bytesToHex(computed.hash)}, not to the root it names (${rootHex})`);
    }
    if (computed.sums.some((s, i) => s !== proof.root.sums[i])) {
      return fail('invalid', "invalid: this proof has been altered: its path sums do not add up to the root's sums");
    }
    const lists = rootLists(publishedRoots);
    if (lists === null) {
      return cannotCheck('no-roots', "this site's published roots (roots.json) could not be loaded, so whether this proof's root is published cannot be checked; try again later");
    }
    const published = lists.current.find(sameHash(rootHex));
    const replaced = published ? undefined : lists.superseded.find(sameHash(rootHex));
    if (replaced) {
      const id = typeof replaced.id === 'string' ? replaced.id : 'this attestation';
      return fail('superseded', `invalid: this proof belongs to a run of ${id} that was replaced on ${formatDate(replaced.superseded_at)}; ask for your proof of the current run`);
    }
    if (!published) {
      return fail('unpublished', `invalid: root ${rootHex} is not published here: this proof is not from an attestation on this page, so it does not show that your balance is counted. Ask the exchange for your proof of the current attestation.`);
    }
    const pool = typeof published.pool === 'string' ? published.pool : proof.pool;
    const id = typeof published.id === 'string' ? published.id : '';
    return {
      valid: true,
      outcome: 'valid',
      kind: 'valid',
      message: `valid: your balance is counted in pool ${pool}${id ? ` of attestation ${id}` : ''}`,
      account: proof.accountId,
      pool,
      balances: proof.assets.map((a, i) => ({ symbol: a.symbol, amount: formatAmount(proof.balances[i], a.decimals) })),
      attestation: published,
    };
  }

  // WebCrypto when the page has it (secure contexts), else the built-in implementation.
  function pickSha256(preferBuiltin) {
    const subtle = typeof crypto !== 'undefined' && crypto && crypto.subtle;
    if (subtle && !preferBuiltin) {
      return { name: 'webcrypto', digest: async (bytes) => new Uint8Array(await subtle.digest('SHA-256', bytes)) };
    }
    return { name: 'builtin', digest: async (bytes) => fallbackSha.sha256(bytes) };
  }

  return { checkProofText, parseProof, pickSha256, formatAmount, formatDate };
});
