// The page's built-in SHA-256 (web/sha256.js), used when WebCrypto is missing.
// Vectors: FIPS 180-2 Appendix B.1-B.3 (https://csrc.nist.gov/publications/detail/fips/180/2/final)
// and the 896-bit message from NIST's "SHA-256 examples" (csrc.nist.gov, Example Values);
// then random lengths cross-checked against node's crypto (OpenSSL), an independent implementation.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { sha256 } = require('../../web/sha256.js');
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const ascii = (s) => new TextEncoder().encode(s);

const vectors = [
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ['abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
   'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1'],
  ['a'.repeat(1000000), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
];
for (const [message, expected] of vectors) {
  assert.equal(hex(sha256(ascii(message))), expected, `FIPS vector of length ${message.length}`);
}
// Every padding boundary around one and two blocks, and some larger inputs.
for (const length of [1, 54, 55, 56, 57, 63, 64, 65, 111, 119, 120, 128, 1000, 65537]) {
  const data = crypto.randomBytes(length);
  assert.equal(hex(sha256(data)), crypto.createHash('sha256').update(data).digest('hex'), `random length ${length}`);
}
console.log(`sha256 fallback: ${vectors.length} FIPS vectors and 14 random lengths OK`);
