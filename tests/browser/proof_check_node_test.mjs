// web/proof_check.js run directly in node (both SHA-256 paths: WebCrypto and the built-in one)
// must agree with `segverify proof verify --root-hash <published root>` on every proof in the set:
// "valid" exactly when the CLI exits 0. Usage: node proof_check_node_test.mjs <segverify binary>
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { buildFixtures, cliSaysValid, makeTempDir, proofCases } from './support.mjs';

const require = createRequire(import.meta.url);
const { checkProofText, pickSha256 } = require('../../web/proof_check.js');
const binary = process.argv[2];
assert.ok(binary, 'usage: proof_check_node_test.mjs <segverify binary>');

const dir = makeTempDir('segverify-proofcheck-');
try {
  const fixtures = buildFixtures(binary, dir);
  const published = [{ id: '2026-11', pool: 'spot', hash: fixtures.rootHash }];
  const webcrypto = pickSha256(false), builtin = pickSha256(true);
  assert.equal(webcrypto.name, 'webcrypto');
  assert.equal(builtin.name, 'builtin');
  let validCount = 0;
  for (const c of proofCases(fixtures)) {
    const expected = cliSaysValid(binary, dir, c.text, fixtures.rootHash);
    for (const sha of [webcrypto, builtin]) {
      const answer = await checkProofText(c.text, published, sha.digest);
      assert.match(answer.message, answer.valid ? /^valid/ : answer.kind === 'empty' ? /^Nothing to check yet/ : /^(invalid|could not be checked): /, c.name);
      assert.equal(answer.valid, expected, `${c.name} (${sha.name}): page says "${answer.message}", CLI valid=${expected}`);
    }
    if (expected) validCount++;
  }
  assert.ok(validCount >= 5, 'the set holds valid proofs');
  // A valid answer carries what the page shows: balances per asset, pool, the attestation's record.
  const valid = await checkProofText(fixtures.valid.alice, [{ id: '2026-11', pool: 'spot', hash: fixtures.rootHash, verdict: 'PASS' }], builtin.digest);
  assert.equal(valid.kind, 'valid');
  assert.deepEqual(valid.balances, [{ symbol: 'BTC', amount: '0.5' }, { symbol: 'ETH', amount: '1.25' }]);
  assert.equal(valid.pool, 'spot');
  assert.equal(valid.account, 'alice');
  assert.equal(valid.attestation.verdict, 'PASS');
  // Empty input and several proofs get their own answers (never "valid").
  for (const [text, kind] of [['', 'empty'], ['  \n', 'empty'], [`${fixtures.valid.alice}\n${fixtures.valid.erin}`, 'several'],
                              [`[${fixtures.valid.alice},${fixtures.valid.erin}]`, 'several'],
                              [`${fixtures.valid.alice},${fixtures.valid.erin}`, 'several']]) {
    const answer = await checkProofText(text, published, builtin.digest);
    assert.equal(answer.valid, false, JSON.stringify(text.slice(0, 20)));
    assert.equal(answer.kind, kind, `${JSON.stringify(text.slice(0, 20))}: ${answer.message}`);
  }
  assert.equal((await checkProofText(fixtures.unpublished, published, builtin.digest)).kind, 'unpublished');
  // Fail closed without the published roots, and against a different published root.
  const alice = fixtures.valid.alice;
  assert.equal((await checkProofText(alice, null, builtin.digest)).valid, false);
  assert.equal((await checkProofText(alice, [{ hash: '00'.repeat(32) }], builtin.digest)).valid, false);

  // Three outcomes, like verdicts (docs/SECURITY.md "The status page"): what cannot be checked is
  // never called invalid. roots.json unreadable, a file of another kind, not a proof at all:
  const outcomeOf = async (text, roots = published) => checkProofText(text, roots, builtin.digest);
  const noRoots = await outcomeOf(alice, null);
  assert.equal(noRoots.outcome, 'cannot-check');
  assert.match(noRoots.message, /^could not be checked: this site's published roots \(roots\.json\) could not be loaded/);
  const report = JSON.stringify({ format: 'segverify-report/1', id: '2026-11', verdict: 'PASS' });
  for (const [text, kind, words] of [[report, 'other-file', /this is a report \(report\.json\), not a proof/],
    [JSON.stringify({ format: 'segverify-roots/2', roots: [], superseded: [] }), 'other-file', /roots\.json/],
    [JSON.stringify([{ id: '2026-11', pool: 'spot', hash: fixtures.rootHash }]), 'other-file', /roots\.json/],
    ['%PDF-1.7 binary', 'not-a-proof', /this is not a proof \(not JSON\)/],
    ['{"hello":"world"}', 'not-a-proof', /this is not a proof/]]) {
    const answer = await outcomeOf(text);
    assert.equal(answer.outcome, 'cannot-check', text);
    assert.equal(answer.kind, kind, text);
    assert.match(answer.message, words);
  }
  // A proof altered or not published stays invalid.
  assert.equal((await outcomeOf(fixtures.unpublished)).outcome, 'invalid');
  // roots.json as publish writes it: a root of a replaced run is invalid with the date it was replaced.
  const site = { format: 'segverify-roots/2', roots: [{ id: '2026-11', pool: 'spot', hash: '00'.repeat(32), verdict: 'PASS' }],
    superseded: [{ id: '2026-11', pool: 'spot', hash: fixtures.rootHash, verdict: 'ERROR', superseded_at: '2026-12-03T10:20:00Z' }] };
  const replaced = await outcomeOf(alice, site);
  assert.equal(replaced.outcome, 'invalid');
  assert.equal(replaced.kind, 'superseded');
  assert.equal(replaced.message, 'invalid: this proof belongs to a run of 2026-11 that was replaced on 3 December 2026, 10:20 UTC; ask for your proof of the current run');
  site.roots.push({ id: '2026-10', pool: 'spot', hash: fixtures.rootHash, verdict: 'PASS' });
  site.superseded = [];
  assert.equal((await outcomeOf(alice, site)).outcome, 'valid');
  console.log(`proof_check.js agrees with the CLI on ${proofCases(fixtures).length} proofs (both SHA-256 paths)`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
