import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonStringDecoder, findStringEnd, stringComplete, stringIncomplete, stringMalformed } from './string-decoder.js';

const encoder = new TextEncoder();

/** Decode the body of JSON string literal `literal` (including quotes) through the byte-level decoder. */
function decode(literal: string): string {
  const bytes = encoder.encode(literal);
  const target = new Uint8Array(bytes.length);
  const decoder = new JsonStringDecoder();
  assert.equal(decoder.decode(bytes, 1, bytes.length, target, 0), stringComplete);
  assert.equal(decoder.sourceEnd, bytes.length);
  return new TextDecoder().decode(target.subarray(0, decoder.written));
}

test('decodes simple escapes the way JSON.parse does', () => {
  for (const literal of ['""', '"plain"', '"a\\"b\\\\c\\/d"', '"\\b\\f\\n\\r\\t"', '"\\u0041\\u00e9\\u4e2d"', '"raw caf\u00e9 \u{1F600}"']) {
    assert.equal(decode(literal), JSON.parse(literal));
  }
});

test('combines surrogate pair escapes into one 4-byte code point', () => {
  assert.equal(decode('"\\ud83d\\ude00!"'), '\u{1F600}!');
});

test('replaces lone surrogates with U+FFFD', () => {
  assert.equal(decode('"a\\ud83db"'), 'a\ufffdb');
  assert.equal(decode('"\\ude00"'), '\ufffd');
  assert.equal(decode('"\\ud83d\\u0041"'), '\ufffdA');
  assert.equal(decode('"\\ud83d\\n"'), '\ufffd\n');
  assert.equal(decode('"\\ud83d"'), '\ufffd');
});

test('reports an incomplete string when the input ends before the closing quote, even mid-escape', () => {
  const decoder = new JsonStringDecoder();
  for (const body of ['abc', 'ab\\', 'ab\\u00', 'ab\\ud83d', 'ab\\ud83d\\', 'ab\\ud83d\\ude']) {
    const bytes = encoder.encode(body);
    assert.equal(decoder.decode(bytes, 0, bytes.length, new Uint8Array(64), 0), stringIncomplete, body);
  }
});

test('rejects bad escapes and raw control characters with their position', () => {
  const decoder = new JsonStringDecoder();
  const cases: Array<[string, number]> = [
    ['ab\\x"', 3],
    ['ab\\u12g4"', 6],
    ['a\nb"', 1],
  ];
  for (const [body, position] of cases) {
    const bytes = encoder.encode(body);
    assert.equal(decoder.decode(bytes, 0, bytes.length, new Uint8Array(64), 0), stringMalformed, body);
    assert.equal(decoder.errorPosition, position, body);
  }
});

test('findStringEnd skips escaped quotes and says when a chunk ends on a backslash', () => {
  const bytes = encoder.encode('a\\"b"c');
  assert.equal(findStringEnd(bytes, 0, bytes.length, false), 4);
  assert.equal(findStringEnd(bytes, 0, 2, false), -2);
  assert.equal(findStringEnd(bytes, 0, 1, false), -1);
  // Continuing after a chunk that ended on the backslash: the quote at 2 is escaped.
  assert.equal(findStringEnd(bytes, 2, bytes.length, true), 4);
});
