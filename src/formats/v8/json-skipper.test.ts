import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonValueSkipper, needMoreInput } from './json-skipper.js';

const encoder = new TextEncoder();

/** Feed `text` in pieces of `step` bytes; returns the absolute end of the first value or the error. */
function skip(text: string, step: number): { end: number } | { error: number; expected: string } {
  const bytes = encoder.encode(text);
  const skipper = new JsonValueSkipper();
  for (let at = 0; at < bytes.length; at += step) {
    const piece = bytes.subarray(at, Math.min(bytes.length, at + step));
    const result = skipper.feed(piece, 0, piece.length);
    if (result === -2) return { error: at + skipper.errorPosition, expected: skipper.errorExpected };
    if (result !== needMoreInput) return { end: at + result };
  }
  return { error: -1, expected: skipper.expecting };
}

test('skips any JSON value exactly, whatever the chunking', () => {
  const values = ['{"a":[1,2,{"b":"c\\"]"}],"d":true,"e":null,"f":-1.5e3}', '[[],[[]],{}]', '"str\\u0041ing"', 'false', '[{"k":"\\\\"}]'];
  for (const value of values) {
    for (const step of [1, 2, 3, 7, 1000]) assert.deepEqual(skip(`${value} ,rest`, step), { end: value.length }, `${value} / ${step}`);
  }
});

test('a top-level number ends at the first non-number byte', () => {
  assert.deepEqual(skip('1234,', 2), { end: 4 });
});

test('rejects wrong tokens with the offending position', () => {
  assert.deepEqual(skip('{"a" 1}', 1), { error: 5, expected: "':'" });
  assert.deepEqual(skip('[1 2]', 1), { error: 3, expected: "',' or ']'" });
  assert.deepEqual(skip('{"a":tru}', 1), { error: 8, expected: "the literal 'true'" });
  assert.deepEqual(skip('[1,]', 1), { error: 3, expected: 'a JSON value' });
  assert.deepEqual(skip('{,}', 1), { error: 1, expected: "an object key or '}'" });
});

test('reports what it still expects when the input ends', () => {
  assert.deepEqual(skip('{"a":[1,2', 3), { error: -1, expected: "',' or ']'" });
  assert.deepEqual(skip('["abc', 3), { error: -1, expected: 'the end of a string' });
});

test('survives deep nesting without recursion', () => {
  const depth = 100_000;
  assert.deepEqual(skip('['.repeat(depth) + ']'.repeat(depth), 4096), { end: 2 * depth });
});
