import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadInputError } from '../../base/errors.js';
import { NumberArrayScanner } from './number-array-scanner.js';

const encoder = new TextEncoder();

/** Scan `text` (the array body after '[') in pieces of `step` bytes; returns the numbers, their offsets and the end. */
function scan(text: string, step: number, stride = 1): { values: number[]; offsets: number[]; end: number } {
  const values: number[] = [];
  const offsets: number[] = [];
  const scanner = new NumberArrayScanner('t.heapsnapshot', stride, {
    accept(batch, batchOffsets, count) {
      for (let k = 0; k < count; k++) {
        values.push(batch[k]!);
        offsets.push(batchOffsets[k]!);
      }
    },
  });
  const bytes = encoder.encode(text);
  for (let at = 0; at < bytes.length; at += step) {
    const piece = bytes.subarray(at, Math.min(bytes.length, at + step));
    const end = scanner.feed(piece, 0, piece.length, at);
    if (end >= 0) return { values, offsets, end: at + end };
  }
  return { values, offsets, end: -1 };
}

test('parses numbers split across any chunk boundary with their byte offsets', () => {
  const text = '9,1,1,0,10,0,0\n,3,25,1234567,48, 2 ,0,4294967295]tail';
  const expected = [9, 1, 1, 0, 10, 0, 0, 3, 25, 1234567, 48, 2, 0, 4294967295];
  for (const step of [1, 2, 5, 64]) {
    const result = scan(text, step);
    assert.deepEqual(result.values, expected);
    assert.equal(result.end, text.indexOf(']') + 1);
    assert.equal(result.offsets[9], text.indexOf('1234567'));
  }
});

test('accepts an empty array and delivers batches of whole rows', () => {
  assert.deepEqual(scan(' ]', 1), { values: [], offsets: [], end: 2 });
  const many = Array.from({ length: 50_000 }, (_, i) => i % 1000);
  assert.deepEqual(scan(`${many.join(',')}]`, 4096, 7).values, many);
});

test('rejects signs, fractions, missing numbers and huge values with an offset', () => {
  const cases: Array<[string, number, string]> = [
    ['1,-2]', 2, 'a non-negative integer'],
    ['1.5]', 1, "',' or ']'"],
    ['1,,2]', 2, 'a number'],
    ['1,]', 2, 'a number'],
    ['1 2]', 2, "',' or ']'"],
    ['12345678901234567890]', 0, 'an integer below 2^53'],
  ];
  for (const [text, offset, expected] of cases) {
    assert.throws(
      () => scan(text, 1),
      (error: unknown) => error instanceof BadInputError && error.byteOffset === offset && error.expected === expected,
      text,
    );
  }
});
