// A strict JSON parser for the page's proof checker, so the browser refuses exactly what the C++
// side (RapidJSON + common/json.h) refuses: duplicate object keys, nesting deeper than the limit,
// lone UTF-16 surrogates that RapidJSON refuses, trailing text. JSON.parse cannot
// see duplicate keys nor tell 1 from 1.0, and the proof format needs both.
//
// Values: objects → Map (key order kept, no prototype keys), arrays → Array, strings → string,
// true/false/null → themselves, numbers → JsonNumber (the literal text; integer() gives a BigInt
// when the literal is a plain integer without fraction or exponent, else null).
(function (root, factory) {
  const api = factory();
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.SegverifyStrictJson = api;
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  const kMaxDepth = 64;  // common/json.h JsonLimits::max_depth

  class JsonNumber {
    constructor(text) { this.text = text; }
    // The value as a BigInt when the literal is a non-negative integer ("0", "17"), else null.
    // "-0" counts: RapidJSON reads it as the unsigned integer 0.
    integer() { return /^(-?0|[1-9][0-9]*)$/.test(this.text) ? BigInt(this.text) : null; }
  }

  // offset: where in the text the error was found (the page tells several pasted proofs from one).
  class JsonSyntaxError extends Error {
    constructor(message, offset) { super(message); this.offset = offset; }
  }

  // Parses `text` (at most maxDepth levels of arrays/objects); throws JsonSyntaxError("<what> at offset N").
  function parse(text, maxDepth = kMaxDepth) {
    let pos = 0;
    const fail = (what) => { throw new JsonSyntaxError(`${what} at offset ${pos}`, pos); };
    const skipSpace = () => {
      while (pos < text.length) {
        const c = text.charCodeAt(pos);
        if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++;
        else break;
      }
    };
    const expectWord = (word, value) => {
      if (text.startsWith(word, pos)) { pos += word.length; return value; }
      return fail('invalid value');
    };
    const parseNumber = () => {
      const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(pos, pos + 4096));
      if (!match || match[0].length === 0 || match[0] === '-') fail('invalid number');
      pos += match[0].length;
      return new JsonNumber(match[0]);
    };
    const parseString = () => {
      pos++;  // opening quote
      let out = '';
      for (;;) {
        if (pos >= text.length) fail('unterminated string');
        const c = text.charCodeAt(pos);
        if (c === 0x22) { pos++; return out; }
        if (c < 0x20) fail('control character in string');
        if (c === 0x5c) {
          const e = text[pos + 1];
          const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (e in simple) { out += simple[e]; pos += 2; continue; }
          if (e !== 'u') fail('invalid escape');
          const unit = readHex4(pos + 2);
          pos += 6;
          if (unit >= 0xd800 && unit <= 0xdbff) {
            if (text[pos] !== '\\' || text[pos + 1] !== 'u') fail('lone surrogate escape');
            const low = readHex4(pos + 2);
            if (low < 0xdc00 || low > 0xdfff) fail('lone surrogate escape');
            pos += 6;
            out += String.fromCharCode(unit, low);
          } else {
            // RapidJSON accepts an escaped lone LOW surrogate (and stores its 3-byte encoding), so
            // this does too; utf8Bytes() in proof_check.js encodes it the same way.
            out += String.fromCharCode(unit);
          }
          continue;
        }
        if (c >= 0xd800 && c <= 0xdbff) {
          const low = text.charCodeAt(pos + 1);
          if (!(low >= 0xdc00 && low <= 0xdfff)) fail('invalid UTF-16 (lone surrogate)');
          out += text[pos] + text[pos + 1];
          pos += 2;
          continue;
        }
        if (c >= 0xdc00 && c <= 0xdfff) fail('invalid UTF-16 (lone surrogate)');
        out += text[pos];
        pos++;
      }
    };
    const readHex4 = (at) => {
      const digits = text.slice(at, at + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(digits)) fail('invalid \\u escape');
      return parseInt(digits, 16);
    };
    const parseValue = (depth) => {
      skipSpace();
      const c = text[pos];
      // Like common/json.cpp, only arrays and objects count as levels (the root is level 1).
      if ((c === '{' || c === '[') && depth > maxDepth) fail(`nesting deeper than ${maxDepth}`);
      if (c === '{') {
        pos++;
        const object = new Map();
        skipSpace();
        if (text[pos] === '}') { pos++; return object; }
        for (;;) {
          skipSpace();
          if (text[pos] !== '"') fail('expected a key');
          const key = parseString();
          if (object.has(key)) fail(`duplicate key "${key}"`);
          skipSpace();
          if (text[pos] !== ':') fail('expected ":"');
          pos++;
          object.set(key, parseValue(depth + 1));
          skipSpace();
          if (text[pos] === ',') { pos++; continue; }
          if (text[pos] === '}') { pos++; return object; }
          fail('expected "," or "}"');
        }
      }
      if (c === '[') {
        pos++;
        const array = [];
        skipSpace();
        if (text[pos] === ']') { pos++; return array; }
        for (;;) {
          array.push(parseValue(depth + 1));
          skipSpace();
          if (text[pos] === ',') { pos++; continue; }
          if (text[pos] === ']') { pos++; return array; }
          fail('expected "," or "]"');
        }
      }
      if (c === '"') return parseString();
      if (c === 't') return expectWord('true', true);
      if (c === 'f') return expectWord('false', false);
      if (c === 'n') return expectWord('null', null);
      if (c === '-' || (c >= '0' && c <= '9')) return parseNumber();
      return fail(pos >= text.length ? 'unexpected end of input' : 'invalid value');
    };
    const value = parseValue(1);
    skipSpace();
    if (pos !== text.length) fail('trailing text after the JSON value');
    return value;
  }

  return { parse, JsonNumber, JsonSyntaxError, kMaxDepth };
});
